/* The threshold across history (history.h): crossings against the leader,
 * exits versus dissolutions, event-time counting, the Poisson fit on data
 * with known coefficients, and bad input. */
#include "testutil.h"

#include "orderlab/history.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

enum { Y0 = 2000, Y1 = 2020 };

static void exec(ol_store *s, const char *sql)
{
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_store_exec(s, sql, &err), &err);
}

/* US 100 a year; Japan 50 to 2009, 70 in 2010-2012, 60 in 2013-2014, 70
 * from 2015 (up 2010, re-crossing 2015); China 30.  IGOs: the US leaves A
 * in 2011 and B in 2005, D dissolves in 2012 (no row after), E dissolves in
 * 2015 (coded none): two dissolutions, two exits; Japan leaves A in 2016. */
static void fixture(ol_store *s, int with_igo)
{
    char sql[512];
    exec(s, "INSERT INTO sources(id, kind, name, vintage) VALUES (901, 'wb', 'test.gdp', 'v1');"
            "INSERT INTO series(code, name, unit) VALUES ('test.gdp', 'test GDP', 'US$');");
    for (int y = Y0; y <= Y1; y++) {
        double jp = y < 2010 ? 50 : y < 2013 ? 70 : y < 2015 ? 60 : 70;
        snprintf(sql, sizeof sql,
                 "INSERT INTO indicator_values(series, country, year, source_id, value, unit, vintage) VALUES ('test.gdp','USA',%d,901,100,'US$','v1'),"
                 "('test.gdp','JPN',%d,901,%g,'US$','v1'),('test.gdp','CHN',%d,901,30,'US$','v1');", y, y, jp, y);
        exec(s, sql);
    }
    if (!with_igo) return;
    exec(s, "INSERT INTO sources(id, kind, name, vintage) VALUES (902, 'cow-igo', 'igo.csv', 'v3');"
            "INSERT INTO institutions(code, name_en, dissolved) VALUES ('TA','A',NULL),('TB','B',NULL),"
            "('TC','C',NULL),('TD','D',2012),('TE','E',2015);");
    for (int y = Y0; y <= Y1; y++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO memberships VALUES ('TA','USA',%d,902,'%s'),('TB','USA',%d,902,'%s'),"
                 "('TC','USA',%d,902,'full'),('TA','JPN',%d,902,'%s'),('TC','JPN',%d,902,'full');",
                 y, y < 2011 ? "full" : "none", y, y < 2005 ? "full" : "none", y, y, y < 2016 ? "full" : "none", y);
        exec(s, sql);
        if (y < 2012) {
            snprintf(sql, sizeof sql, "INSERT INTO memberships VALUES ('TD','USA',%d,902,'full');", y);
            exec(s, sql);
        }
        snprintf(sql, sizeof sql, "INSERT INTO memberships VALUES ('TE','USA',%d,902,'%s');", y,
                 y < 2015 ? "full" : "none");
        exec(s, sql);
    }
}

static ol_history_result *run(ol_store *s, int window, int all)
{
    static const char *const SERIES[] = {"test.gdp", "not.there"};
    ol_history_options opt;
    ol_history_options_init(&opt);
    opt.series = SERIES;
    opt.nseries = 2;
    opt.window = window;
    opt.all_crossings = all;
    opt.use_catalog = 0;
    opt.japan_from = 0;
    ol_history_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_history_compute(s, &opt, &r, &err), &err);
    return r;
}

static const ol_history_event_row *row(const ol_history_result *r, ol_history_row_kind kind, int k)
{
    for (size_t i = 0; i < r->nrows; i++)
        if (r->rows[i].kind == kind && (kind != OL_HISTORY_ROW_K || r->rows[i].k == k)) return &r->rows[i];
    fail_msg("no row %d/%d", (int)kind, k);
    return NULL;
}

static void test_crossings(void **state)
{
    ol_test_fixture *f = *state;
    fixture(f->s, 1);
    ol_history_result *r = run(f->s, 3, 0);
    assert_int_equal(r->nmeasures, 2);
    assert_int_equal(r->measures[0].status, OL_OK);
    assert_int_equal(r->measures[1].status, OL_ENOTFOUND); /* listed, skipped */
    assert_int_equal(r->measures[0].nreigns, 1);
    assert_string_equal(r->measures[0].reigns[0].leader.code, "USA");
    assert_int_equal(r->ncrossings, 2);
    assert_string_equal(r->crossings[0].challenger, "JPN");
    assert_int_equal(r->crossings[0].year, 2010);
    assert_int_equal(r->crossings[0].nth, 1);
    assert_true(r->crossings[0].used);
    assert_int_equal(r->crossings[1].year, 2015);
    assert_int_equal(r->crossings[1].nth, 2); /* a re-crossing: not an event by default */
    assert_false(r->crossings[1].used);
    assert_int_equal(r->measures[0].nevents, 1);
    /* US-Japan on the measure */
    assert_int_equal(r->njapan, 1);
    assert_int_equal(r->japan[0].first_year, 2010);
    assert_int_equal(r->japan[0].peak_year, 2010);
    assert_true(fabs(r->japan[0].peak - 0.7) < 1e-12);
    ol_history_result_free(r);
    r = run(f->s, 3, 1);
    assert_true(r->crossings[1].used);
    assert_int_equal(r->measures[0].nevents, 2);
    ol_history_result_free(r);
}

static void test_exits_and_dissolutions(void **state)
{
    ol_test_fixture *f = *state;
    fixture(f->s, 1);
    ol_history_result *r = run(f->s, 3, 0);
    assert_int_equal(r->igo_first, Y0);
    assert_int_equal(r->igo_last, Y1);
    assert_int_equal(r->measures[0].cow_exits, 2);       /* A 2011, B 2005 */
    assert_int_equal(r->measures[0].dissolutions, 2);    /* D 2012 (no row), E 2015 (coded none) */
    /* event 2010: k = 1 is 2011, the exit from A; at risk A, C, D, E */
    const ol_history_event_row *k1 = row(r, OL_HISTORY_ROW_K, 1);
    assert_int_equal(k1->nevents, 1);
    assert_int_equal(k1->leader.count, 1);
    assert_true(k1->leader.exposure == 4);
    /* 2012: D has dissolved and A is gone: C and E at risk, no exit */
    const ol_history_event_row *k2 = row(r, OL_HISTORY_ROW_K, 2);
    assert_int_equal(k2->leader.count, 0);
    assert_true(k2->leader.exposure == 2);
    /* k = -3 is 2007: A, C, D, E */
    assert_true(row(r, OL_HISTORY_ROW_K, -3)->leader.exposure == 4);
    /* Japan's exit from A (2016) is another state's, outside the window */
    const ol_history_event_row *base = row(r, OL_HISTORY_ROW_BASELINE, 0);
    /* baseline: 2001-2006 and 2014-2020 (outcome years with no event within 3) */
    assert_int_equal(base->nevents, 13);
    assert_int_equal(base->leader.count, 1);               /* B 2005; E 2015 is a dissolution */
    assert_int_equal(base->others.count, 1);               /* Japan, A, 2016 */
    const ol_history_event_row *post = row(r, OL_HISTORY_ROW_POST, 0);
    assert_int_equal(post->nevents, 4);
    assert_int_equal(post->leader.count, 1);
    /* rates and exact intervals */
    assert_true(fabs(k1->leader.rate - 0.25) < 1e-12);
    double lo, hi;
    ol_history_poisson_ci(1, 0.95, &lo, &hi);
    assert_true(fabs(lo - 0.0253) < 1e-3 && fabs(hi - 5.5716) < 1e-3);
    assert_true(fabs(k1->leader.lo - lo / 4) < 1e-12);
    ol_history_poisson_ci(0, 0.95, &lo, &hi);
    assert_true(lo == 0 && fabs(hi - 3.6889) < 1e-3);
    /* the model: too few exits to separate after from before, said so */
    assert_int_equal(r->nmodels, 1);
    assert_int_equal(r->models[0].exits, 2);
    ol_history_result_free(r);
}

static void test_figure(void **state)
{
    ol_test_fixture *f = *state;
    fixture(f->s, 1);
    ol_history_result *r = run(f->s, 3, 0);
    char *path = ol_test_path(f->dir, "h.svg");
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_history_figure_write(r, "test.gdp", path, OL_PLOT_SVG, &err), &err);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    fclose(fp);
    assert_int_equal(ol_history_figure_write(r, "not.there", path, OL_PLOT_SVG, &err), OL_ENOTFOUND);
    free(path);
    ol_history_result_free(r);
}

static void test_poisson_recovers(void **state)
{
    (void)state;
    enum { N = 4000, P = 3 };
    static double x[N * P], y[N], off[N];
    const double beta[P] = {-3.0, 0.8, 0.4};
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 20240601);
    for (int i = 0; i < N; i++) {
        x[i * P] = 1;
        x[i * P + 1] = i % 3 == 0;
        x[i * P + 2] = gsl_rng_uniform(g) * 2 - 1;
        off[i] = log(50 + 100 * gsl_rng_uniform(g));
        double eta = off[i];
        for (int j = 0; j < P; j++) eta += beta[j] * x[i * P + j];
        y[i] = gsl_ran_poisson(g, exp(eta));
    }
    gsl_rng_free(g);
    ol_poisson_fit fit;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_poisson_fit_compute(x, y, off, N, P, 1e-10, 100, &fit, &err), &err);
    assert_true(fit.converged);
    for (int j = 0; j < P; j++) {
        assert_true(fit.se[j] > 0 && fit.se[j] < 0.1);
        assert_true(fabs(fit.coef[j] - beta[j]) < 4 * fit.se[j]);
    }
    /* a correct model: deviance and Pearson near n - p, dispersion near 1 */
    assert_true(fabs(fit.dispersion - 1) < 0.15);
    assert_true(fit.deviance < fit.null_deviance);

    /* bad input */
    assert_int_equal(ol_poisson_fit_compute(x, y, off, 3, P, 1e-10, 100, &fit, &err), OL_EINVAL);
    assert_int_equal(ol_poisson_fit_compute(x, y, off, N, 0, 1e-10, 100, &fit, &err), OL_EINVAL);
    double ybad = y[0];
    y[0] = -1;
    assert_int_equal(ol_poisson_fit_compute(x, y, off, N, P, 1e-10, 100, &fit, &err), OL_EINVAL);
    assert_string_equal(err.field, "y");
    y[0] = ybad;
    /* no counts where x1 = 1: the coefficient runs to -inf, an error, not a number */
    for (int i = 0; i < N; i++) if (x[i * P + 1] == 1) y[i] = 0;
    ol_status st = ol_poisson_fit_compute(x, y, off, N, P, 1e-10, 100, &fit, &err);
    assert_int_equal(st, OL_EVALIDATE);
}

static void test_bad_input(void **state)
{
    ol_test_fixture *f = *state;
    ol_history_options opt;
    ol_history_options_init(&opt);
    ol_history_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    /* no memberships in the store */
    fixture(f->s, 0);
    assert_int_equal(ol_history_compute(f->s, &opt, &r, &err), OL_ENOTFOUND);
    assert_string_equal(err.field, "memberships");
    assert_null(r);
    /* options */
    opt.window = 0;
    assert_int_equal(ol_history_compute(f->s, &opt, &r, &err), OL_EINVAL);
    assert_string_equal(err.field, "window");
    ol_history_options_init(&opt);
    opt.threshold = -1;
    assert_int_equal(ol_history_compute(f->s, &opt, &r, &err), OL_EINVAL);
    ol_history_options_init(&opt);
    opt.level = 1.5;
    assert_int_equal(ol_history_compute(f->s, &opt, &r, &err), OL_EINVAL);
    /* memberships but none of the measures */
    exec(f->s, "INSERT INTO sources(id, kind, name, vintage) VALUES (903, 'cow-igo', 'igo.csv', 'v3');"
               "INSERT INTO institutions(code, name_en) VALUES ('TA','A');"
               "INSERT INTO memberships VALUES ('TA','USA',2000,903,'full'),('TA','USA',2001,903,'none');");
    static const char *const MISSING[] = {"no.such"};
    ol_history_options_init(&opt);
    opt.series = MISSING;
    opt.nseries = 1;
    assert_int_equal(ol_history_compute(f->s, &opt, &r, &err), OL_ENOTFOUND);
    assert_string_equal(err.field, "series");
    assert_null(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_crossings, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_exits_and_dissolutions, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_figure, ol_test_setup, ol_test_teardown),
        cmocka_unit_test(test_poisson_recovers),
        cmocka_unit_test_setup_teardown(test_bad_input, ol_test_setup, ol_test_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
