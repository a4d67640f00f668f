/* Data test: the default scenario built from the real World Bank GDP import
 * (wb_gdp/gdp.csv through ol_import_file): the power comes from the store,
 * ROW is WLD minus the listed actors, and the ratios are those of
 * docs/indicators.md (CHN/USA 2018 = 0.673; JPN/USA 1994 = 0.686, Japan's
 * first year at or above 2/3). */
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

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_default_from_wb)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
