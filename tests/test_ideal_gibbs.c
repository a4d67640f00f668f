/* The draws of the Gibbs sampler (src/ideal_gibbs.c): each vote's latent
 * utility y* comes from the normal truncated to its category's interval.
 * Checked: every draw lies in its interval, and the mean of many draws is
 * the exact truncated mean (util/truncnorm.h) within 5 standard errors, for
 * intervals in the bulk, in both tails and far out, narrow and wide; and
 * Geweke's z of a stationary and of a drifting trace; the window shifts'
 * Metropolis ratio against the posterior written out. */
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

/* log P(vote) from the model's definition, in long double: no y* < 0,
 * abstain 0 <= y* < d, yes y* >= d, y* ~ N(mu, 1).  The abstention's
 * band is the difference of the two tail areas on the side it lies on (as
 * 1 - P(no) - P(yes) it would lose its digits far out). */
static long double vote_logp(int code, long double mu, long double d)
{
    const long double r2 = sqrtl(2.0L);
    if (code == 0) return logl(0.5L * erfcl(mu / r2));
    if (code == 2) return logl(0.5L * erfcl((d - mu) / r2));
    return logl(mu > d / 2 ? 0.5L * (erfcl((mu - d) / r2) - erfcl(mu / r2))
                           : 0.5L * (erfcl(-mu / r2) - erfcl((d - mu) / r2)));
}

/* The window shift's Metropolis ratio (items held, y* integrated out)
 * against the log posterior of the chain written out from its definition:
 * the first position's prior, each step's walk term, each vote's
 * probability.  One country, four sessions, three items, votes of every
 * kind, one far in a tail. */
static void test_window_shift_ratio(void **state)
{
    (void)state;
    enum { NCP = 4, NG = 3, NV = 9 };
    /* votes per session, each session's no | abstain | yes: (item, code) */
    static const int votes[NV][3] = {{0, 0, 0}, {0, 1, 2}, {1, 2, 1}, {1, 0, 2}, {2, 1, 0},
                                     {2, 2, 0}, {2, 0, 1}, {3, 2, 2}, {3, 1, 2}}; /* session, item, code */
    int32_t cp_start[2] = {0, NCP};
    double walk[NCP] = {0, 4, 9, 25}, rho[NCP] = {0, 0.9, 0.95, 1.0};
    double x[NCP] = {-0.7, 0.2, 1.1, 1.4};
    double alpha[NG] = {0.3, -0.8, 9.0}, beta[NG] = {1.2, -0.6, 0.4}, delta[NG] = {0.5, 0.25, 1.0};
    size_t cstart[NCP + 1] = {0}, cseg[2 * NCP];
    uint32_t citem[NV];
    for (int cp = 0, k = 0; cp < NCP; cp++) {
        for (int code = 0; code < 3; code++) {
            if (code == 1) cseg[2 * cp] = (size_t)k;
            if (code == 2) cseg[2 * cp + 1] = (size_t)k;
            for (int v = 0; v < NV; v++)
                if (votes[v][0] == cp && votes[v][2] == code) citem[k++] = (uint32_t)votes[v][1];
        }
        cstart[cp + 1] = (size_t)k;
    }
    problem p = {.nc = 1, .cp_start = cp_start, .ncp = NCP, .cp_walk = walk, .cp_rho = rho, .ng = NG,
                 .citem = citem, .cstart = cstart, .cseg = cseg, .x = x, .alpha = alpha, .beta = beta, .delta = delta};
    const double prior_prec = 1.5;
    const int32_t windows[][2] = {{0, 0}, {0, 2}, {0, 3}, {1, 3}, {3, 3}, {1, 2}};
    const double shifts[] = {-1.3, 0.4, 2.5};
    for (size_t w = 0; w < sizeof windows / sizeof windows[0]; w++)
        for (size_t j = 0; j < sizeof shifts / sizeof shifts[0]; j++) {
            int32_t a = windows[w][0], b = windows[w][1];
            long double lp[2];
            for (int moved = 0; moved < 2; moved++) {
                long double xs[NCP];
                for (int k = 0; k < NCP; k++) xs[k] = x[k] + (moved && k >= a && k <= b ? shifts[j] : 0);
                long double l = -0.5L * prior_prec * xs[0] * xs[0];
                for (int t = 1; t < NCP; t++) l -= 0.5L * walk[t] * (xs[t] - rho[t] * xs[t - 1]) * (xs[t] - rho[t] * xs[t - 1]);
                for (int v = 0; v < NV; v++) {
                    int g = votes[v][1];
                    l += vote_logp(votes[v][2], alpha[g] + beta[g] * xs[votes[v][0]], delta[g]);
                }
                lp[moved] = l;
            }
            double want = (double)(lp[1] - lp[0]), got = ideal_window_shift_logratio(&p, prior_prec, 0, NCP, a, b, shifts[j]);
            if (!(fabs(got - want) <= 1e-9 * fmax(1, fabs(want))))
                fail_msg("window [%d, %d], shift %g: ratio %.12g, from the definition %.12g", a, b, shifts[j], got, want);
        }
    /* the positions themselves are left as they were */
    assert_true(x[0] == -0.7 && x[3] == 1.4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draws_truncated_means),
        cmocka_unit_test(test_geweke),
        cmocka_unit_test(test_geweke_batches),
        cmocka_unit_test(test_window_shift_ratio),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
