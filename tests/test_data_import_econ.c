/* The economic importers on the real staged files (label `data`): World Bank
 * GDP and population (datahub long layout), Penn World Table 11.0 and COW
 * NMC v6.0.  Counts, the documented rejects only, known values from the
 * files, and re-imports that replace instead of duplicating.  Skipped (77)
 * when the staged data are absent. */
#include "testutil.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef ol_test_fixture fixture;
#define setup ol_test_setup
#define teardown ol_test_teardown

static ol_status import(fixture *f, const char *kind, const char *rel, const char *series,
                        ol_import_summary *sum, int64_t *sid)
{
    char *path = ol_test_data_file(rel);
    ol_import_options opt;
    ol_import_options_init(&opt);
    opt.series = series;
    opt.vintage = "test";
    opt.max_rejects = -1; /* counted and checked below */
    ol_error err;
    ol_error_clear(&err);
    ol_status st = ol_import_file(f->s, kind, path, &opt, sum, sid, &err);
    free(path);
    OL_ASSERT_OK(st, &err);
    return st;
}

static int64_t count_sql(ol_store *s, const char *sql, int64_t bind)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(ol_store_db(s), sql, -1, &st, NULL) != SQLITE_OK) fail_msg("bad SQL %s", sql);
    if (sqlite3_bind_parameter_count(st) > 0) sqlite3_bind_int64(st, 1, bind);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

#define ASSERT_NEAR(a, b) do { double a_ = (a), b_ = (b); \
    if (fabs(a_ - b_) > 1e-9 * fabs(b_)) fail_msg("%s = %.17g, want %.17g", #a, a_, b_); } while (0)

/* Re-importing the same file and vintage leaves every count as it was. */
static void assert_reimport_idempotent(fixture *f, const char *kind, const char *rel, const char *series)
{
    int64_t values = ol_test_count(f->s, "indicator_values");
    int64_t sources = ol_test_count(f->s, "sources");
    int64_t rejects = ol_test_count(f->s, "import_rejects");
    ol_import_summary sum;
    import(f, kind, rel, series, &sum, NULL);
    assert_int_equal(ol_test_count(f->s, "indicator_values"), values);
    assert_int_equal(ol_test_count(f->s, "sources"), sources);
    assert_int_equal(ol_test_count(f->s, "import_rejects"), rejects);
}

static void test_wb(void **state)
{
    fixture *f = *state;
    ol_import_summary sum;
    int64_t sid;
    import(f, "wb", "wb_gdp/gdp.csv", NULL, &sum, &sid);
    assert_int_equal(sum.rows_read, 13979);
    /* Every World Bank code is in the crosswalk (CHI, the Channel Islands,
     * included): no rejects. */
    assert_int_equal(sum.rows_rejected, 0);
    assert_int_equal(sum.rows_kept, 13979);
    ASSERT_NEAR(ol_test_value(f->s, "NY.GDP.MKTP.CD", "USA", 2023), 27360935000000.0);
    ASSERT_NEAR(ol_test_value(f->s, "NY.GDP.MKTP.CD", "CHN", 2023), 17794781986104.457);
    ASSERT_NEAR(ol_test_value(f->s, "NY.GDP.MKTP.CD", "JPN", 2023), 4212945159781.403);
    ASSERT_NEAR(ol_test_value(f->s, "NY.GDP.MKTP.CD", "WLD", 2023), 105435039507024.1);
    /* USA, CHN and JPN are complete for 1960-2023. */
    assert_int_equal(count_sql(f->s, "SELECT count(*) FROM indicator_values WHERE series = 'NY.GDP.MKTP.CD' "
                                     "AND country IN ('USA','CHN','JPN') AND year BETWEEN 1960 AND 2023", 0), 3 * 64);
    assert_reimport_idempotent(f, "wb", "wb_gdp/gdp.csv", NULL);

    import(f, "wb", "wb_population/population.csv", "SP.POP.TOTL", &sum, &sid);
    assert_int_equal(sum.rows_read, 17195);
    assert_int_equal(sum.rows_rejected, 0);
    ASSERT_NEAR(ol_test_value(f->s, "SP.POP.TOTL", "USA", 2024), 340110988.0);
    ASSERT_NEAR(ol_test_value(f->s, "SP.POP.TOTL", "CHN", 2023), 1410710000.0);
    assert_reimport_idempotent(f, "wb", "wb_population/population.csv", "SP.POP.TOTL");
}

static void test_pwt(void **state)
{
    fixture *f = *state;
    ol_import_summary sum;
    int64_t sid;
    import(f, "pwt", "pwt/pwt110.csv", NULL, &sum, &sid);
    /* 13,693 lines x 19 variables, but the three repeated ZWE 2021-2023
     * lines (13692-13694) are rejected as a whole. */
    assert_int_equal(sum.rows_rejected, 3);
    assert_int_equal(sum.rows_read, (13693 - 3) * 19 + 3);
    assert_int_equal(sum.rows_kept + sum.rows_skipped, (13693 - 3) * 19);
    assert_int_equal(count_sql(f->s, "SELECT count(*) FROM import_rejects WHERE source_id = ?1 AND line BETWEEN 13692 "
                                     "AND 13694 AND field = 'countrycode' AND message LIKE 'duplicate%ZWE%'", sid), 3);
    ASSERT_NEAR(ol_test_value(f->s, "pwt.rgdpe", "USA", 2023), 25641846.0);
    ASSERT_NEAR(ol_test_value(f->s, "pwt.cgdpo", "CHN", 2023), 30892220.0);
    ASSERT_NEAR(ol_test_value(f->s, "pwt.pop", "CHN", 2023), 1423.0);
    ASSERT_NEAR(ol_test_value(f->s, "pwt.csh_g", "USA", 2023), 0.12);
    /* The first ZWE 2021 line is the one kept. */
    ASSERT_NEAR(ol_test_value(f->s, "pwt.rgdpe", "ZWE", 2021), 45625.0);
    /* The three Latin-1 names' countries are in. */
    ASSERT_NEAR(ol_test_value(f->s, "pwt.rgdpe", "CUW", 2019), 4180.0);
    ASSERT_NEAR(ol_test_value(f->s, "pwt.rgdpe", "CIV", 2019), 161362.0);
    ASSERT_NEAR(ol_test_value(f->s, "pwt.rgdpe", "TUR", 2019), 2373348.0);
    assert_reimport_idempotent(f, "pwt", "pwt/pwt110.csv", NULL);
}

static void test_nmc(void **state)
{
    fixture *f = *state;
    ol_import_summary sum;
    import(f, "nmc", "cow_nmc/NMC-60-abridged.csv", NULL, &sum, NULL);
    assert_int_equal(sum.rows_rejected, 0);
    assert_int_equal(sum.rows_read, 15951 * 7);
    /* 3,185 cells are -9, and the FRG's 1990 line (7 values) gives way to
     * united Germany's. */
    assert_int_equal(sum.rows_skipped, 3185 + 7);
    ASSERT_NEAR(ol_test_value(f->s, "nmc.cinc", "USA", 2016), 0.13305758);
    ASSERT_NEAR(ol_test_value(f->s, "nmc.cinc", "CHN", 2016), 0.23061772);
    ASSERT_NEAR(ol_test_value(f->s, "nmc.cinc", "JPN", 2016), 0.032967471);
    ASSERT_NEAR(ol_test_value(f->s, "nmc.tpop", "DEU", 1990), 79402.0);
    ASSERT_NEAR(ol_test_value(f->s, "nmc.tpop", "DEU", 1989), 62062.0);
    ASSERT_NEAR(ol_test_value(f->s, "nmc.tpop", "DDR", 1989), 16630.0);
    ASSERT_NEAR(ol_test_value(f->s, "nmc.milex", "USA", 1816), 3823.0);
    assert_reimport_idempotent(f, "nmc", "cow_nmc/NMC-60-abridged.csv", NULL);
}

int main(void)
{
    if (!ol_test_shared_data()) return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wb, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pwt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nmc, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
