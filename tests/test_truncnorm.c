/* The truncated-normal moments of util/truncnorm.h against long-double
 * references over their whole domain: the table of the hazard, the table
 * exp, the band's mean and r (the error bounds the header and
 * docs/ideal.md §6 state), the branch-free forms against the branching ones,
 * the exact paths outside the tables, and NaN arguments (no read outside the
 * tables). */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/truncnorm.h"

#define INV_SQRT_2PI_L 0.398942280401432677939946059934381868L
#define INV_SQRT_2_L 0.707106781186547524400844362104849039L

static ol_tn_table *table(void)
{
    ol_tn_table *t = malloc(sizeof *t);
    assert_non_null(t);
    ol_tn_table_init(t);
    return t;
}

/* Q(x) = P(e >= x) and phi(x) in long double */
static long double q_l(long double x)
{
    return 0.5L * erfcl(x * INV_SQRT_2_L);
}

static long double phi_l(long double x)
{
    return expl(-0.5L * x * x) * INV_SQRT_2PI_L;
}

static long double hazard_l(long double x)
{
    return phi_l(x) / q_l(x);
}

/* A narrow band [c - w/2, c + w/2): relative to phi(c) the density is
 * f(t) = exp(-c t - t^2/2), integrated by 5-point Gauss-Legendre (error of
 * the order of (c w)^10): no cancellation, wherever c is. */
static void band_narrow_l(long double a, long double b, long double *mean, long double *r)
{
    static const long double x5[] = {0.0L, 0.538469310105683091036314420700L, -0.538469310105683091036314420700L,
                                     0.906179845938663992797626878299L, -0.906179845938663992797626878299L};
    static const long double w5[] = {0.568888888888888888888888888889L, 0.478628670499366468041291514836L,
                                     0.478628670499366468041291514836L, 0.236926885056189087514264040720L,
                                     0.236926885056189087514264040720L};
    long double c = 0.5L * (a + b), hw = 0.5L * (b - a), p = 0, pt = 0;
    for (int i = 0; i < 5; i++) {
        long double t = hw * x5[i], f = expl(-c * t - 0.5L * t * t);
        p += w5[i] * f;
        pt += w5[i] * t * f;
    }
    p *= hw;
    pt *= hw;
    *mean = c + pt / p;
    *r = expl(-c * hw - 0.5L * hw * hw) / p;
}

/* The band's mean and r: mirrored so that both tails keep their precision. */
static void band_l(long double a, long double b, long double *mean, long double *r)
{
    if ((b - a) * (fabsl(a + b) / 2 + 1) < 1e-2L) {
        band_narrow_l(a, b, mean, r);
        return;
    }
    int flip = a + b < 0;
    long double lo = flip ? -b : a, hi = flip ? -a : b;
    long double p = lo >= 0 ? q_l(lo) - q_l(hi) : 1 - q_l(-lo) - q_l(hi);
    /* phi(lo) - phi(hi) without cancelling in the rounding of their exponents */
    long double m = phi_l(lo) * -expm1l(-0.5L * (hi - lo) * (hi + lo)) / p;
    *mean = flip ? -m : m;
    *r = (flip ? phi_l(lo) : phi_l(hi)) / p;
}

static void test_hazard_accuracy(void **state)
{
    (void)state;
    ol_tn_table *t = table();
    double worst = 0, at = 0;
    for (double x = -40; x <= 40; x += 1.0 / 1024 + 1e-7) {
        double e = fabs(ol_tn_hazard(t, x) - (double)hazard_l(x));
        if (e > worst) worst = e, at = x;
        if (ol_tn_in_table(x)) assert_true(ol_tn_hazard_in(t->c, x) == ol_tn_hazard(t, x));
    }
    printf("hazard: max abs error %.3g at x = %.4f (bound %.0e)\n", worst, at, OL_TN_HAZARD_ABS_ERR);
    assert_true(worst < OL_TN_HAZARD_ABS_ERR);
    /* the nodes themselves are the exact function */
    for (int k = 0; k < OL_TN_INTERVALS; k++) {
        double x = OL_TN_LO + (double)k / OL_TN_PER_UNIT;
        if (k) assert_true(fabs(ol_tn_hazard(t, x) - ol_tn_hazard_exact(x)) <= 1e-15 * ol_tn_hazard_exact(x));
    }
    free(t);
}

static void test_exp_accuracy(void **state)
{
    (void)state;
    ol_tn_table *t = table();
    double worst = 0, at = 0;
    for (double y = OL_TN_EXP_MIN; y <= 0; y += 0.0137) {
        long double ref = expl((long double)y);
        double e = (double)(fabsl((long double)ol_tn_exp_in(t, y) - ref) / ref);
        if (e > worst) worst = e, at = y;
    }
    printf("exp: max relative error %.3g at %.4f\n", worst, at);
    assert_true(worst < 4 * 2.2204460492503131e-16);
    assert_true(ol_tn_exp_in(t, 0) == 1.0);
    free(t);
}

static void test_band_accuracy(void **state)
{
    (void)state;
    ol_tn_table *t = table();
    double wm = 0, wr = 0, am = 0, wam = 0, ar = 0, war = 0;
    long n = 0;
    for (double w = 1e-9; w <= 20; w *= 1.07)
        for (double a = -40; a <= 40; a += 0.0173) {
            double m, r;
            long double ml, rl;
            ol_tn_band(t, a, a + w, &m, &r);
            band_l(a, a + w, &ml, &rl);
            /* r relative where a double holds it, else absolute */
            double em = (double)fabsl((long double)m - ml),
                   er = (double)(fabsl((long double)r - rl) / (rl > 1e-300L ? rl : 1e300L));
            if (!(em <= wm)) wm = em, am = a, wam = w;
            if (!(er <= wr)) wr = er, ar = a, war = w;
            if (ol_tn_band_inside(a, a + w)) {
                double m2, r2;
                ol_tn_band_in(t, a, a + w, &m2, &r2);
                assert_true(m2 == m && r2 == r);
            }
            n++;
        }
    printf("band (%ld cases): mean max abs error %.3g (a %.3f, width %.3g; bound %.0e); r max relative error "
           "%.3g (a %.3f, width %.3g; bound %.0e)\n",
           n, wm, am, wam, OL_TN_BAND_ABS_ERR, wr, ar, war, OL_TN_BAND_REL_ERR);
    assert_true(wm < OL_TN_BAND_ABS_ERR);
    assert_true(wr < OL_TN_BAND_REL_ERR);
    free(t);
}

static void test_band_exact_reference(void **state)
{
    (void)state;
    /* the erf reference itself, in and far out of the tables */
    const double cases[][2] = {{-0.3, 0.2}, {0.5, 0.7}, {-3, -2.5}, {6, 7}, {-9, -8.5}, {12, 30}, {-1e-3, 1e-3}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        double m, r;
        long double ml, rl;
        ol_tn_band_exact(cases[i][0], cases[i][1], &m, &r);
        band_l(cases[i][0], cases[i][1], &ml, &rl);
        assert_true(fabsl((long double)m - ml) < 1e-9L);
        assert_true(fabsl((long double)r - rl) < 1e-9L * rl);
    }
}

static void test_outside_and_nan(void **state)
{
    (void)state;
    ol_tn_table *t = table();
    /* outside the table the branching forms are exact, the branch-free ones
     * say so and still read inside the tables (ASan checks the reads) */
    const double xs[] = {-1e300, -50, -8, 8, 9, 1e300, NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
        assert_false(ol_tn_in_table(xs[i]));
        (void)ol_tn_hazard_in(t->c, xs[i]);
        (void)ol_tn_exp_in(t, xs[i]);
        double m, r;
        ol_tn_band_in(t, xs[i], xs[i] + 1, &m, &r);
        assert_false(ol_tn_band_inside(xs[i], xs[i] + 1) && !isnan(xs[i]) && fabs(xs[i]) >= 8);
    }
    assert_true(fabs(ol_tn_hazard(t, 9) - (double)hazard_l(9)) < 1e-12);
    assert_true(isnan(ol_tn_hazard(t, NAN)));
    /* too narrow a band is computed exactly */
    assert_false(ol_tn_band_inside(0.1, 0.1 + 1e-7));
    double m, r;
    long double ml, rl;
    ol_tn_band(t, 0.1, 0.1 + 1e-7, &m, &r);
    band_l(0.1, 0.1 + 1e-7, &ml, &rl);
    assert_true(fabsl((long double)m - ml) < 1e-8L);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hazard_accuracy),  cmocka_unit_test(test_exp_accuracy),
        cmocka_unit_test(test_band_accuracy),    cmocka_unit_test(test_band_exact_reference),
        cmocka_unit_test(test_outside_and_nan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
