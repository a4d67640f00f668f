/* Data test: the threshold study on the staged World Bank GDP file and the
 * COW IGO memberships (igo_year_format3.csv).  Structural facts only:
 *   - the US–Japan peak year and ratio on current US$, computed here from
 *     the CSV itself (the last three fields of a line: code, year, value);
 *   - the leader is the United States through the file, the events are
 *     Japan's first crossing (1994) and China's (2018), China's 2020 is a
 *     re-crossing;
 *   - the COW data run 1816-2014, and the US's 1985 exit from UNESCO is an
 *     exit (k = -9 of Japan's 1994 crossing).
 * The two imports take some 12 s. */
#include "testutil.h"

#include "orderlab/history.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void import(ol_store *s, const char *kind, const char *rel)
{
    char *path = ol_test_data_file(rel);
    ol_import_options io;
    ol_import_options_init(&io);
    io.max_rejects = -1;
    ol_import_summary sum;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_import_file(s, kind, path, &io, &sum, NULL, &err), &err);
    free(path);
}

/* The peak of JPN/USA in the file, read directly. */
static void peak_from_file(double *peak, int *year)
{
    char *path = ol_test_data_file("wb_gdp/gdp.csv");
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    double us[200] = {0}, jp[200] = {0};
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *v = strrchr(line, ',');
        if (!v) continue;
        *v++ = '\0';
        char *y = strrchr(line, ',');
        if (!y) continue;
        *y++ = '\0';
        char *c = strrchr(line, ',');
        if (!c) continue;
        c++;
        int yr = atoi(y);
        if (yr < 1900 || yr >= 2100 || !*v) continue;
        if (strcmp(c, "USA") == 0) us[yr - 1900] = strtod(v, NULL);
        if (strcmp(c, "JPN") == 0) jp[yr - 1900] = strtod(v, NULL);
    }
    fclose(f);
    free(path);
    *peak = 0;
    *year = 0;
    for (int i = 0; i < 200; i++)
        if (us[i] > 0 && jp[i] > 0 && jp[i] / us[i] > *peak) { *peak = jp[i] / us[i]; *year = 1900 + i; }
}

static void test_history_wb_cow(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    ol_store *s = ol_test_store(dir);
    import(s, "wb", "wb_gdp/gdp.csv");
    import(s, "cow-igo", "cow_igo/igo_year_format3.csv");
    static const char *const SERIES[] = {"NY.GDP.MKTP.CD"};
    ol_history_options opt;
    ol_history_options_init(&opt);
    opt.series = SERIES;
    opt.nseries = 1;
    ol_history_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_history_compute(s, &opt, &r, &err), &err);

    assert_int_equal(r->igo_first, 1816);
    assert_int_equal(r->igo_last, 2014);
    assert_int_equal(r->measures[0].nreigns, 1);
    assert_string_equal(r->measures[0].reigns[0].leader.code, "USA");
    int jp = 0, cn = 0, cn_re = 0;
    for (size_t i = 0; i < r->ncrossings; i++) {
        const ol_history_crossing *x = &r->crossings[i];
        if (!strcmp(x->challenger, "JPN") && x->year == 1994 && x->used) jp = 1;
        if (!strcmp(x->challenger, "CHN") && x->year == 2018 && x->used) cn = 1;
        if (!strcmp(x->challenger, "CHN") && x->year == 2020 && x->nth == 2 && !x->used) cn_re = 1;
    }
    assert_true(jp && cn && cn_re);

    /* US-Japan, against the file */
    double peak;
    int year;
    peak_from_file(&peak, &year);
    assert_int_equal(r->japan[0].peak_year, year);
    assert_true(fabs(r->japan[0].peak - peak) < 1e-9);
    assert_int_equal(r->japan[0].first_year, 1994);
    assert_true(r->japan[0].claim_max < 2.0 / 3.0); /* not in the 1970s */
    assert_int_equal(r->japan[0].claim_max_year, 1978);

    /* 1985 (UNESCO) is k = -9 of 1994 and k = -33 of 2018: outside the latter's window */
    for (size_t i = 0; i < r->nrows; i++)
        if (r->rows[i].kind == OL_HISTORY_ROW_K && r->rows[i].k == -9) assert_true(r->rows[i].leader.count >= 1);
    assert_int_equal(r->nmodels, 1);
    assert_true(r->models[0].n >= 60);
    ol_history_result_free(r);
    ol_store_close(s);
    ol_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    if (!ol_test_shared_data()) return 77;
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_history_wb_cow)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
