/* Data test: the default scenario built from the real World Bank GDP import
 * (wb_gdp/gdp.csv through ol_import_file): the power comes from the store,
 * ROW is WLD minus the listed actors, and the ratios are those of
 * docs/indicators.md (CHN/USA 2018 = 0.673; JPN/USA 1994 = 0.686, Japan's
 * first year at or above 2/3).  With the Census trade and the CEB donor file
 * imported as well, the default world takes China's 2018 goods surplus and
 * the US assessment to the UN from them: the values are read from the
 * staged files here. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void test_default_from_wb(void **state)
{
    (void)state;
    if (!ol_test_shared_data()) skip();
    char *path = ol_test_data_file("wb_gdp/gdp.csv");
    char *dir = ol_test_tmpdir();
    ol_store *s = ol_test_store(dir);
    ol_import_options io;
    ol_import_options_init(&io);
    io.max_rejects = -1;
    ol_import_summary sum;
    ol_error err;
    OL_ASSERT_OK(ol_import_file(s, "wb", path, &io, &sum, NULL, &err), &err);
    ol_scenario *sc = NULL;
    OL_ASSERT_OK(ol_scenario_default(s, &sc, &err), &err);
    ol_simulate_world *sw = NULL;
    OL_ASSERT_OK(ol_simulate_world_new(s, sc, &sw, &err), &err);
    const ol_simulate_world_info *info = ol_simulate_world_info_get(sw);
    assert_int_equal(info->power_source, OL_POWER_STORE);
    assert_int_equal(info->power_data_end, 2023);
    const ol_model_world *w = ol_simulate_world_model(sw);
    size_t us = (size_t)ol_scenario_actor_index(sc, "USA"), cn = (size_t)ol_scenario_actor_index(sc, "CHN"),
           jp = (size_t)ol_scenario_actor_index(sc, "JPN"), row = (size_t)ol_scenario_actor_index(sc, "ROW");
    double r18 = w->actors[cn].power[2018 - 1990] / w->actors[us].power[2018 - 1990];
    double j94 = w->actors[jp].power[1994 - 1990] / w->actors[us].power[1994 - 1990];
    if (fabs(r18 - 0.673) > 0.0005) fail_msg("CHN/USA 2018 = %.4f", r18);
    if (fabs(j94 - 0.686) > 0.0005) fail_msg("JPN/USA 1994 = %.4f", j94);
    for (int y = 1990; y <= 2023; y++) {
        double sum_listed = 0;
        for (size_t i = 0; i < w->nactors; i++)
            if (i != row) sum_listed += w->actors[i].power[y - 1990];
        double wld = ol_test_value(s, "NY.GDP.MKTP.CD", "WLD", y);
        if (fabs(w->actors[row].power[y - 1990] - (wld - sum_listed)) > 1.0) fail_msg("ROW %d", y);
    }
    /* the store and the built-in facts give the same world */
    ol_simulate_world *fw = NULL;
    OL_ASSERT_OK(ol_simulate_world_new(NULL, sc, &fw, &err), &err);
    const ol_model_world *f = ol_simulate_world_model(fw);
    for (size_t i = 0; i < w->nactors; i++)
        if (fabs(f->actors[i].power[28] / w->actors[i].power[28] - 1) > 1e-9) fail_msg("%s differs", w->actors[i].code);
    ol_simulate_world_free(fw);
    ol_simulate_world_free(sw);
    ol_scenario_free(sc);
    ol_store_close(s);
    ol_test_rmtree(dir);
    free(dir);
    free(path);
}

static void import_staged(ol_store *s, const char *kind, const char *rel, const char *vintage)
{
    char *path = ol_test_data_file(rel);
    ol_import_options io;
    ol_import_options_init(&io);
    io.vintage = vintage;
    ol_import_summary sum;
    ol_error err;
    OL_ASSERT_OK(ol_import_file(s, kind, path, &io, &sum, NULL, &err), &err);
    free(path);
}

static void test_default_magnitudes(void **state)
{
    (void)state;
    if (!ol_test_shared_data()) skip();
    char *dir = ol_test_tmpdir();
    ol_store *s = ol_test_store(dir);
    import_staged(s, "wb", "wb_gdp/gdp.csv", "2024-10-21");
    import_staged(s, "census-trade", "us_trade_census/country.csv", NULL);
    import_staged(s, "un-finance", "un_system_finance/ceb_donor_contributions_2013_2024.csv", "2026-02");

    /* the files' own figures: China (Census code 5700) in 2018; the US
     * government's assessed contributions to the UN in 2024 and everyone's */
    char *cpath = ol_test_data_file("us_trade_census/country.csv");
    ol_test_table *t = ol_test_table_file(cpath, ',');
    double cn18 = NAN, cn23 = NAN;
    for (size_t r = 0; r < t->nrows; r++) {
        if (strcmp(ol_test_table_get(t, r, "CTY_CODE"), "5700")) continue;
        double v = (atof(ol_test_table_get(t, r, "IYR")) - atof(ol_test_table_get(t, r, "EYR"))) * 1e6;
        if (!strcmp(ol_test_table_get(t, r, "year"), "2018")) cn18 = v;
        if (!strcmp(ol_test_table_get(t, r, "year"), "2023")) cn23 = v;
    }
    ol_test_table_free(t);
    free(cpath);
    char *upath = ol_test_data_file("un_system_finance/ceb_donor_contributions_2013_2024.csv");
    t = ol_test_table_file(upath, ',');
    double us_un = 0, all_un = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        if (strcmp(ol_test_table_get(t, r, "year"), "2024") || strcmp(ol_test_table_get(t, r, "entity"), "UN") ||
            strcmp(ol_test_table_get(t, r, "type"), "Assessed") ||
            strcmp(ol_test_table_get(t, r, "category"), "Government"))
            continue;
        double v = atof(ol_test_table_get(t, r, "amount_usd"));
        all_un += v;
        if (!strcmp(ol_test_table_get(t, r, "donor"), "United States of America")) us_un += v;
    }
    ol_test_table_free(t);
    free(upath);
    assert_true(isfinite(cn18) && isfinite(cn23) && us_un > 0 && all_un > us_un);

    ol_scenario *sc = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_scenario_default(s, &sc, &err), &err);
    ol_simulate_world *sw = NULL;
    OL_ASSERT_OK(ol_simulate_world_new(s, sc, &sw, &err), &err);
    const ol_model_world *w = ol_simulate_world_model(sw);
    size_t cn = (size_t)ol_scenario_actor_index(sc, "CHN");
    /* China's surplus: the Census file's 2018; the series ends in 2023, the
     * partial 2024 left out */
    if (fabs(w->actors[cn].surplus[2018 - 1990] - cn18) > 1.0)
        fail_msg("CHN 2018 surplus %.17g, the file gives %.17g", w->actors[cn].surplus[2018 - 1990], cn18);
    assert_int_equal(w->actors[cn].nsurplus, 2023 - 1990 + 1);
    assert_true(fabs(w->actors[cn].surplus[2023 - 1990] - cn23) <= 1.0);
    const ol_simulate_magnitude *m = ol_test_magnitude(sw, "CHN", "surplus_iH");
    assert_int_equal(m->origin, OL_ORIGIN_STORE);
    assert_non_null(strstr(m->note, "2024 is flagged partial"));
    /* the UN: what the US pays, c_H C_k, is its 2024 assessment in the file */
    const ol_model_institution *un = NULL;
    for (size_t k = 0; k < w->ninst; k++)
        if (!strcmp(w->inst[k].code, "UN")) un = &w->inst[k];
    assert_non_null(un);
    if (fabs(un->budget - all_un) > 1.0) fail_msg("UN budget %.17g, the file gives %.17g", un->budget, all_un);
    m = ol_test_magnitude(sw, "UN", "X_Hk");
    if (fabs(m->value - us_un) > 1.0) fail_msg("US pays the UN %.17g, the file gives %.17g", m->value, us_un);
    assert_int_equal(ol_test_magnitude(sw, "UN", "c_Hk")->origin, OL_ORIGIN_STORE);
    assert_non_null(strstr(ol_test_magnitude(sw, "UN", "c_Hk")->source, "ceb.donor.assessed"));
    ol_simulate_world_free(sw);
    ol_scenario_free(sc);
    ol_store_close(s);
    ol_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_default_from_wb),
                                       cmocka_unit_test(test_default_magnitudes)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
