/* The crosswalk against the reference files in ../shared/data/country_codes:
 * every code both have must agree, and every COW state-system spell must be
 * in country_spells under the entity the year-aware lookup gives. */
#include "testutil.h"

#include "util/csvread.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The reference file country_codes/name, open past its header, with cols
 * mapped to idx. */
static ol_csv *open_ref(const char *name, const char *const *cols, size_t n, long *idx)
{
    char rel[256];
    snprintf(rel, sizeof rel, "country_codes/%s", name);
    char *path = ol_test_data_file(rel);
    ol_csv *r = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_csv_open(path, NULL, &r, &err), &err);
    free(path);
    assert_int_equal(ol_csv_next(r, &err), 1);
    OL_ASSERT_OK(ol_csv_require(r, cols, n, idx, &err), &err);
    return r;
}

static void test_codelist(void **state)
{
    ol_store *s = ((ol_test_fixture *)*state)->s;
    ol_country_index *ix = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_country_index_new(s, &ix, &err), &err);
    static const char *const cols[] = {"iso3c", "iso2c", "iso3n", "cown", "cowc", "wb", "country.name.en"};
    long idx[7];
    ol_csv *r = open_ref("codelist_without_cldr.csv", cols, 7, idx);
    int rows = 0, compared = 0, mismatches = 0;
    while (ol_csv_next(r, &err) == 1) {
        const char *iso3 = ol_csv_field(r, (size_t)idx[0]);
        if (!*iso3) continue;
        rows++;
        const ol_country *c = ol_country_index_get(ix, iso3);
        if (!c) { print_error("line %ld: %s missing from the crosswalk\n", ol_csv_line(r), iso3); mismatches++; continue; }
        const char *iso2 = ol_csv_field(r, (size_t)idx[1]);
        const char *iso3n = ol_csv_field(r, (size_t)idx[2]);
        const char *cown = ol_csv_field(r, (size_t)idx[3]);
        const char *cowc = ol_csv_field(r, (size_t)idx[4]);
        const char *wb = ol_csv_field(r, (size_t)idx[5]);
        if (*iso2 && *c->iso2) { compared++; if (strcmp(iso2, c->iso2)) { print_error("%s iso2 %s vs %s\n", iso3, iso2, c->iso2); mismatches++; } }
        if (*iso3n && c->iso3n) { compared++; if (atoi(iso3n) != c->iso3n) { print_error("%s iso3n %s vs %d\n", iso3, iso3n, c->iso3n); mismatches++; } }
        if (*cown && c->cown) { compared++; if (atoi(cown) != c->cown) { print_error("%s cown %s vs %d\n", iso3, cown, c->cown); mismatches++; } }
        if (*cowc && *c->cowc) { compared++; if (strcmp(cowc, c->cowc)) { print_error("%s cowc %s vs %s\n", iso3, cowc, c->cowc); mismatches++; } }
        if (*wb && *c->wb) { compared++; if (strcmp(wb, c->wb)) { print_error("%s wb %s vs %s\n", iso3, wb, c->wb); mismatches++; } }
        /* Every reference code finds this entity. */
        if (*iso2 && strcmp(ol_country_index_lookup(ix, OL_CODES_ISO2, iso2, 0) ? ol_country_index_lookup(ix, OL_CODES_ISO2, iso2, 0) : "", iso3)) {
            print_error("ISO2 %s does not find %s\n", iso2, iso3); mismatches++;
        }
    }
    ol_csv_close(r);
    print_message("codelist: %d entities with ISO3, %d codes compared, %d mismatches\n", rows, compared, mismatches);
    assert_true(rows >= 249);
    assert_true(compared > 900);
    assert_int_equal(mismatches, 0);
    ol_country_index_free(ix);
}

static void test_cow_states(void **state)
{
    ol_store *s = ((ol_test_fixture *)*state)->s;
    ol_country_index *ix = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_country_index_new(s, &ix, &err), &err);
    static const char *const cols[] = {"stateabb", "ccode", "styear", "endyear"};
    long idx[4];
    ol_csv *r = open_ref("states2016.csv", cols, 4, idx);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(ol_store_db(s),
        "SELECT count(*) FROM country_spells WHERE code = ?1 AND cown = ?2 AND start_year = ?3", -1, &q, NULL), 0);
    int spells = 0, bad = 0;
    while (ol_csv_next(r, &err) == 1) {
        spells++;
        const char *ccode = ol_csv_field(r, (size_t)idx[1]);
        int sy = atoi(ol_csv_field(r, (size_t)idx[2]));
        const char *code = ol_country_index_lookup(ix, OL_CODES_COWN, ccode, sy);
        if (!code) { print_error("COW %s (%d) not found\n", ccode, sy); bad++; continue; }
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(q, 2, atoi(ccode));
        sqlite3_bind_int(q, 3, sy);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        if (sqlite3_column_int(q, 0) != 1) { print_error("spell %s %s %d missing\n", code, ccode, sy); bad++; }
    }
    sqlite3_finalize(q);
    ol_csv_close(r);
    print_message("states2016: %d spells checked, %d problems\n", spells, bad);
    assert_int_equal(spells, 243);
    assert_int_equal(bad, 0);
    ol_country_index_free(ix);
}

int main(void)
{
    if (!ol_test_shared_data()) { printf("skipped: no shared data\n"); return 77; }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_codelist, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_cow_states, ol_test_setup, ol_test_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
