/* The draws of the Gibbs sampler (src/ideal_gibbs.c): each vote's latent
 * utility y* comes from the normal truncated to its category's interval.
 * Checked: every draw lies in its interval, and the mean of many draws is
 * the exact truncated mean (util/truncnorm.h) within 5 standard errors, for
 * intervals in the bulk, in both tails and far out, narrow and wide; and
 * Geweke's z of a stationary and of a drifting trace. */
#include "testutil.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>

#include "ideal_em_internal.h"

enum { NDRAW = 40000 };

/* the mean and sd of y* - mu over NDRAW draws, each checked to lie in its interval */
static void draw_moments(gsl_rng *r, double mu, double d, int code, double *mean, double *sd)
{
    double lo = code == 0 ? -INFINITY : code == 1 ? 0 : d, hi = code == 0 ? 0 : code == 1 ? d : INFINITY;
    double s = 0, ss = 0;
    for (int k = 0; k < NDRAW; k++) {
        double y = ideal_draw_ystar(r, mu, d, code);
        if (!(y >= lo && y < hi)) fail_msg("code %d, mu %g, d %g: y* = %.17g outside [%g, %g)", code, mu, d, y, lo, hi);
        s += y - mu;
        ss += (y - mu) * (y - mu);
    }
    *mean = s / NDRAW;
    *sd = sqrt(ss / NDRAW - *mean * *mean);
}

static void test_draws_truncated_means(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 12345);
    /* (mu, d): yes and no votes far on either side, abstentions in the
     * bulk, in a tail, in a narrow band and far out */
    const double cases[][2] = {{0, 0.5}, {1.5, 0.3}, {-2, 1}, {4, 0.8}, {-6, 2}, {9, 0.05}, {0.3, 3}, {-12, 0.7}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double mu = cases[c][0], d = cases[c][1];
        for (int code = 0; code < 3; code++) {
            double m, sd, want;
            draw_moments(r, mu, d, code, &m, &sd);
            if (code == 0) want = -ol_tn_hazard_exact(mu); /* e < -mu: -h(mu) */
            else if (code == 2) want = ol_tn_hazard_exact(d - mu);
            else {
                double rr;
                ol_tn_band_exact(-mu, d - mu, &want, &rr);
            }
            double tol = 5 * sd / sqrt((double)NDRAW) + 1e-12;
            if (!(fabs(m - want) <= tol))
                fail_msg("code %d, mu %g, d %g: mean of the draws %.6f, truncated mean %.6f (tolerance %.2g)", code, mu,
                         d, m, want, tol);
        }
    }
    gsl_rng_free(r);
}

static void test_geweke(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 7);
    enum { N = 2000 };
    static double flat[N], drift[N], ar[N];
    double a = 0;
    for (int k = 0; k < N; k++) {
        flat[k] = gsl_rng_uniform(r);
        drift[k] = flat[k] + 3.0 * k / N; /* a trend of 3 over the trace: far from stationary */
        a = 0.9 * a + gsl_rng_uniform(r) - 0.5; /* autocorrelated, stationary */
        ar[k] = a;
    }
    double zf = ideal_geweke(flat, N), zd = ideal_geweke(drift, N), za = ideal_geweke(ar, N);
    print_message("Geweke z: white noise %.2f, autocorrelated %.2f, drifting %.1f\n", zf, za, zd);
    assert_true(fabs(zf) < 3);
    assert_true(fabs(za) < 3);
    assert_true(zd < -10);
    assert_true(isnan(ideal_geweke(flat, 39)));
    assert_false(isnan(ideal_geweke(flat, 40)));
    gsl_rng_free(r);
}

/* The per-position z from batch means: under stationarity it is t with 9
 * degrees of freedom, so |z| > 3 in 1.5 % of positions; a trend is caught;
 * the degenerate cases are defined. */
static void test_geweke_batches(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 11);
    enum { UNITS = 40000 };
    double bm[GEWEKE_BATCHES];
    int over = 0;
    for (int u = 0; u < UNITS; u++) {
        for (int b = 0; b < GEWEKE_BATCHES; b++) bm[b] = gsl_ran_gaussian(r, 1.0);
        over += fabs(ideal_geweke_batches(bm)) > 3;
    }
    double share = (double)over / UNITS, expect = 2 * gsl_cdf_tdist_Q(3.0, GEWEKE_LAST - 1);
    print_message("per-position Geweke: |z| > 3 in %.2f %% of stationary units (t9: %.2f %%)\n", 100 * share,
                  100 * expect);
    /* binomial sd of the share: sqrt(0.015 * 0.985 / 40000) = 0.0006 */
    assert_true(fabs(share - expect) < 4 * sqrt(expect * (1 - expect) / UNITS));
    /* a trend of one batch sd per batch */
    for (int b = 0; b < GEWEKE_BATCHES; b++) bm[b] = b + gsl_ran_gaussian(r, 1.0);
    assert_true(ideal_geweke_batches(bm) < -3);
    /* constant: 0; constant last batches with another start: infinite */
    for (int b = 0; b < GEWEKE_BATCHES; b++) bm[b] = 2.5;
    assert_true(ideal_geweke_batches(bm) == 0);
    bm[0] = 3.5;
    assert_true(ideal_geweke_batches(bm) == INFINITY);
    bm[0] = 1.5;
    assert_true(ideal_geweke_batches(bm) == -INFINITY);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draws_truncated_means),
        cmocka_unit_test(test_geweke),
        cmocka_unit_test(test_geweke_batches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
