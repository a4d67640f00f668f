/*
 * Moments of a standard normal truncated to an interval: the E-step of the
 * ideal-point estimator (src/ideal_em.c, docs/ideal.md §6) evaluates one per
 * vote and pass, so they are computed from a table of the normal hazard.
 *
 *   h(x) = phi(x) / Q(x)   the inverse Mills ratio, E[e | e >= x]
 *   band [a, b):  mean = (phi(a) - phi(b)) / P,  r = phi(b) / P,
 *                 P = Phi(b) - Phi(a)
 *
 * ol_tn_hazard interpolates h by cubic Hermite polynomials on a grid of step
 * 1/OL_TN_PER_UNIT over (OL_TN_LO, OL_TN_HI), from the exact values and
 * derivatives (h' = h (h - x)), and calls the exact function outside.
 * ol_tn_band writes P through the hazard (no erf):
 *   mirrored so that a + b >= 0, t = phi(b) / phi(a) = exp(-(b - a)(b + a) / 2),
 *   a >= 0:  phi(a) / P = h(a) h(b) / (h(b) - t h(a))
 *   a < 0:   phi(a) / P = phi(a) / (1 - phi(a) (1 / h(-a) + t / h(b)))
 * one exp for t and, when the band straddles 0, one for phi(a); both forms
 * keep their relative precision in the tails, where Phi(b) - Phi(a) would
 * cancel.
 *
 * Accuracy (tests/test_truncnorm.c checks these bounds against long-double
 * references over the whole domain; docs/ideal.md §6 states them):
 *   ol_tn_hazard: absolute error < OL_TN_HAZARD_ABS_ERR for every x;
 *   ol_tn_band:   absolute error of the mean < OL_TN_BAND_ABS_ERR and
 *                 relative error of r < OL_TN_BAND_REL_ERR for every a and
 *                 every width b - a; bands narrower than
 *                 OL_TN_BAND_MIN_WIDTH, where the difference h(b) - t h(a)
 *                 would be of the order of the table's error, are computed
 *                 exactly.
 *
 * The table is plain data owned by the caller (no global state); it is
 * filled once by ol_tn_table_init and read-only afterwards, so threads share
 * it.
 */
#ifndef ORDERLAB_UTIL_TRUNCNORM_H
#define ORDERLAB_UTIL_TRUNCNORM_H

#include <math.h>

#define OL_TN_LO (-8.0)
#define OL_TN_HI 8.0
#define OL_TN_PER_UNIT 32
#define OL_TN_INTERVALS 512 /* (OL_TN_HI - OL_TN_LO) * OL_TN_PER_UNIT */

/* Stated error bounds (the measured maxima are below a third of these). */
#define OL_TN_HAZARD_ABS_ERR 2e-9
#define OL_TN_BAND_ABS_ERR 2e-8
#define OL_TN_BAND_REL_ERR 3e-8

#define OL_TN_BAND_MIN_WIDTH 1e-6

#define OL_TN_INV_SQRT_2PI 0.39894228040143267794

/* Per interval, the cubic in s = (x - x_k) * OL_TN_PER_UNIT in s in [0, 1):
 * c[0] + s (c[1] + s (c[2] + s c[3])), one 32-byte row per interval. */
typedef struct ol_tn_table {
    double c[OL_TN_INTERVALS][4];
} ol_tn_table;

void ol_tn_table_init(ol_tn_table *t);

/* h(x) from libm's erfc: the reference the table is built from. */
double ol_tn_hazard_exact(double x);

/* The band's mean and r from erf/erfc (log Q in the far tails): the
 * reference of ol_tn_band. */
void ol_tn_band_exact(double a, double b, double *mean, double *r);

static inline double ol_tn_hazard(const ol_tn_table *t, double x)
{
    if (!(x > OL_TN_LO && x < OL_TN_HI)) return ol_tn_hazard_exact(x);
    double u = (x - OL_TN_LO) * OL_TN_PER_UNIT;
    int k = (int)u;
    double s = u - k;
    const double *c = t->c[k];
    return c[0] + s * (c[1] + s * (c[2] + s * c[3]));
}

/* Mean of e ~ N(0, 1) truncated to [a, b), a < b, and r = phi(b) / P. */
static inline void ol_tn_band(const ol_tn_table *t, double a, double b, double *mean, double *r)
{
    if (!(b - a >= OL_TN_BAND_MIN_WIDTH)) {
        ol_tn_band_exact(a, b, mean, r);
        return;
    }
    int flip = a + b < 0;
    double lo = flip ? -b : a, hi = flip ? -a : b;
    double tt = exp(-0.5 * (hi - lo) * (hi + lo)), ra;
    if (lo >= 0) {
        double ha = ol_tn_hazard(t, lo), hb = ol_tn_hazard(t, hi);
        ra = ha * hb / (hb - tt * ha);
    } else {
        double pa = exp(-0.5 * lo * lo) * OL_TN_INV_SQRT_2PI;
        ra = pa / (1 - pa * (1 / ol_tn_hazard(t, -lo) + tt / ol_tn_hazard(t, hi)));
    }
    double rb = tt * ra;
    *mean = flip ? rb - ra : ra - rb;
    *r = flip ? ra : rb;
}

#endif
