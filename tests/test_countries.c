/* The crosswalk: built-in load, resolution in every code system, year-aware
 * lookups, ambiguity, precedence of codes over names, and user overrides. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

typedef ol_test_fixture fixture;
#define setup ol_test_setup
#define teardown ol_test_teardown

static void expect(ol_store *s, const char *query, const char *code)
{
    ol_country c;
    ol_error err;
    ol_error_clear(&err);
    ol_status st = ol_country_resolve(s, query, &c, &err);
    if (st) fail_msg("resolving '%s': %s", query, err.message);
    if (strcmp(c.code, code) != 0) fail_msg("'%s' resolved to %s, expected %s", query, c.code, code);
}

static void test_builtin_loaded(void **state)
{
    fixture *f = *state;
    assert_true(ol_test_count(f->s, "countries") > 300);
    assert_true(ol_test_count(f->s, "country_spells") >= 243);
    ol_country c;
    ol_error err;
    OL_ASSERT_OK(ol_country_get(f->s, "USA", &c, &err), &err);
    assert_string_equal(c.iso2, "US");
    assert_int_equal(c.cown, 2);
    assert_int_equal(c.iso3n, 840);
    assert_string_equal(c.name_zh, "美国");
    assert_string_equal(c.kind, "state");
    assert_int_equal(c.start_year, 1816);
    /* Loading again at the same version changes nothing. */
    int64_t before = ol_test_count(f->s, "country_names");
    OL_ASSERT_OK(ol_countries_ensure(f->s, &err), &err);
    assert_int_equal(ol_test_count(f->s, "country_names"), before);
}

static void test_resolve_systems(void **state)
{
    fixture *f = *state;
    expect(f->s, "CHN", "CHN");          /* ISO3 / orderlab */
    expect(f->s, "cn", "CHN");           /* ISO2, any case */
    expect(f->s, "156", "CHN");          /* ISO numeric (COW 156 does not exist) */
    expect(f->s, "710", "CHN");          /* COW number */
    expect(f->s, "中国", "CHN");         /* Chinese name */
    expect(f->s, "People's Republic of China", "CHN");
    expect(f->s, "  united   states of AMERICA ", "USA");
    expect(f->s, "美利坚合众国", "USA");  /* UN official Chinese name as alias */
    expect(f->s, "Cote d'Ivoire", "CIV"); /* accents and typographic quotes fold */
    expect(f->s, "Côte d’Ivoire", "CIV");
    expect(f->s, "GMY", "DEU");          /* COW letter code */
    expect(f->s, "WLD", "WLD");          /* World Bank aggregate */
    expect(f->s, "XKX", "XKX");          /* Kosovo, user-assigned codes */
}

static void test_historical_states(void **state)
{
    fixture *f = *state;
    expect(f->s, "Soviet Union", "SUN");
    expect(f->s, "USSR", "SUN");
    expect(f->s, "DD", "DDR");
    expect(f->s, "CS", "CSK");
    expect(f->s, "YD", "YMD");
    expect(f->s, "Yemen Arab Republic", "YAR");
    expect(f->s, "Federal Republic of Germany", "DEU");
    expect(f->s, "Zanzibar", "ZAN");
    ol_country c;
    ol_error err;
    OL_ASSERT_OK(ol_country_get(f->s, "SUN", &c, &err), &err);
    assert_string_equal(c.kind, "former");
    assert_string_equal(c.successor, "RUS");
    assert_int_equal(c.end_year, 1991);
    OL_ASSERT_OK(ol_country_get(f->s, "DDR", &c, &err), &err);
    assert_string_equal(c.successor, "DEU");
}

static void test_ambiguous_and_unknown(void **state)
{
    fixture *f = *state;
    ol_country c;
    ol_error err;
    ol_error_clear(&err);
    assert_int_equal(ol_country_resolve(f->s, "Congo", &c, &err), OL_EAMBIGUOUS);
    assert_non_null(strstr(err.message, "COG"));
    assert_non_null(strstr(err.message, "COD"));
    ol_error_clear(&err);
    assert_int_equal(ol_country_resolve(f->s, "Atlantis", &c, &err), OL_ENOTFOUND);
    assert_non_null(strstr(err.message, "Atlantis"));
    assert_int_equal(ol_country_resolve(f->s, "  ", &c, &err), OL_EINVAL);
    ol_error_clear(&err);
    assert_int_equal(ol_country_resolve(f->s, "YU", &c, &err), OL_EAMBIGUOUS);
    assert_non_null(strstr(err.message, "YUG"));
    assert_non_null(strstr(err.message, "SRB"));
    /* Codes win over other systems: CZE is Czechia's ISO3 code and
     * Czechoslovakia's COW letter code. */
    expect(f->s, "CZE", "CZE");
}

static void test_index_years(void **state)
{
    fixture *f = *state;
    ol_country_index *ix = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_country_index_new(f->s, &ix, &err), &err);
    assert_string_equal(ol_country_index_lookup(ix, OL_CODES_COWN, "345", 1990), "YUG");
    assert_string_equal(ol_country_index_lookup(ix, OL_CODES_COWN, "345", 2010), "SRB");
    assert_null(ol_country_index_lookup(ix, OL_CODES_COWN, "345", 0)); /* ambiguous without a year */
    /* ISO2 YU: Yugoslavia, and Serbia in the UNGA data after 2006. */
    assert_string_equal(ol_country_index_lookup(ix, OL_CODES_ISO2, "YU", 1990), "YUG");
    assert_string_equal(ol_country_index_lookup(ix, OL_CODES_ISO2, "YU", 2010), "SRB");
    assert_string_equal(ol_country_index_lookup(ix, OL_CODES_COWN, "260", 1970), "DEU");
    assert_string_equal(ol_country_index_lookup(ix, OL_CODES_COWN, "255", 1900), "DEU");
    assert_string_equal(ol_country_index_lookup(ix, OL_CODES_COWN, "002", 0), "USA");
    assert_string_equal(ol_country_index_lookup(ix, OL_CODES_COWN, "365", 1960), "RUS");
    assert_string_equal(ol_country_index_lookup(ix, OL_CODES_COWC, "CZE", 1950), "CSK");
    assert_string_equal(ol_country_index_lookup(ix, OL_CODES_ISO2, "de", 1975), "DEU");
    assert_string_equal(ol_country_index_lookup(ix, OL_CODES_WB, "EUU", 2000), "EUU");
    assert_string_equal(ol_country_index_lookup(ix, OL_CODES_NAME, "German Democratic Republic", 1980), "DDR");
    assert_null(ol_country_index_lookup(ix, OL_CODES_ISO2, "ZZ", 0));
    assert_null(ol_country_index_lookup(ix, OL_CODES_NAME, "Congo", 0));
    const ol_country *c = ol_country_index_get(ix, "JPN");
    assert_non_null(c);
    assert_int_equal(c->cown, 740);
    assert_null(ol_country_index_get(ix, "NOPE"));
    ol_country_index_free(ix);
}

static void test_overrides(void **state)
{
    fixture *f = *state;
    ol_error err;
    ol_error_clear(&err);
    char *p = ol_test_write(f->dir, "over.csv",
                            "code,iso2,cown,name_en,name_zh,kind,start_year,aliases\n"
                            "XKX,XK,347,Kosovo (as recognised by the user),科索沃,state,2008,Kosova\n"
                            "XSO,,,Somaliland,索马里兰,other,1991,Republic of Somaliland\n");
    int64_t rows = 0;
    OL_ASSERT_OK(ol_countries_import_overrides(f->s, p, &rows, &err), &err);
    assert_int_equal(rows, 2);
    expect(f->s, "Kosova", "XKX");
    expect(f->s, "Somaliland", "XSO");
    ol_country c;
    OL_ASSERT_OK(ol_country_get(f->s, "XKX", &c, &err), &err);
    assert_true(c.overridden);
    assert_string_equal(c.name_en, "Kosovo (as recognised by the user)");
    /* A reload of the built-in table (forced here) keeps the overrides. */
    OL_ASSERT_OK(ol_store_exec(f->s, "DELETE FROM builtin_data WHERE name = 'countries'", &err), &err);
    OL_ASSERT_OK(ol_countries_ensure(f->s, &err), &err);
    OL_ASSERT_OK(ol_country_get(f->s, "XKX", &c, &err), &err);
    assert_string_equal(c.name_en, "Kosovo (as recognised by the user)");
    /* Removing restores the built-in row, and drops an override-only row. */
    OL_ASSERT_OK(ol_countries_remove_override(f->s, "XKX", &err), &err);
    OL_ASSERT_OK(ol_country_get(f->s, "XKX", &c, &err), &err);
    assert_string_equal(c.name_en, "Kosovo");
    assert_false(c.overridden);
    OL_ASSERT_OK(ol_countries_remove_override(f->s, "XSO", &err), &err);
    assert_int_equal(ol_country_get(f->s, "XSO", &c, &err), OL_ENOTFOUND);
    assert_int_equal(ol_countries_remove_override(f->s, "XSO", &err), OL_ENOTFOUND);
    free(p);
}

static void test_bad_overrides(void **state)
{
    fixture *f = *state;
    ol_error err;
    ol_test_snapshot before = ol_test_snap(f->s);
    int64_t rows = 0;
    struct { const char *text; long line; const char *field; } cases[] = {
        {"code,name_en,kind\nXAA,Good,state\nXAB,Bad,empire\n", 3, "kind"},
        {"code,name_en\nxa,lower case\n", 2, "code"},
        {"code,name_en,cown\nXAC,Name,two\n", 2, "cown"},
        {"code,name_en\nXAD,\n", 2, "name_en"},
        {"code,name_en,start_year,end_year\nXAE,Name,1990,1980\n", 2, "end_year"},
        {"code,iso2,name_en\nXAF,USA,Name\n", 2, "iso2"},
        {"name_en\nNo code column\n", 1, "code"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ol_error_clear(&err);
        char *p = ol_test_write(f->dir, "bad.csv", cases[i].text);
        ol_status st = ol_countries_import_overrides(f->s, p, &rows, &err);
        if (st == OL_OK) fail_msg("case %zu was accepted", i);
        assert_int_equal(err.line, cases[i].line);
        assert_string_equal(err.field, cases[i].field);
        assert_string_equal(err.file, p);
        ol_test_snapshot after = ol_test_snap(f->s);
        ol_test_snapshot_same(&before, &after);
        free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_builtin_loaded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resolve_systems, setup, teardown),
        cmocka_unit_test_setup_teardown(test_historical_states, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ambiguous_and_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_years, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overrides, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_overrides, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
