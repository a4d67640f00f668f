/* The hazard table and the exact references of util/truncnorm.h. */
#include "util/truncnorm.h"

/* Beyond the table: below OL_TN_LO, Q(x) = 1 to double precision and h = phi;
 * above OL_TN_HI, Q underflows and h comes from the Laplace continued
 * fraction Q(x)/phi(x) = 1/(x + 1/(x + 2/(x + 3/(x + ...)))), of which 40
 * terms give full double precision at x >= 8. */
#define CF_TERMS 40
#define INV_SQRT_2 0.70710678118654752440
#define LN_SQRT_2PI 0.91893853320467274178
/* Beyond this many sd from 0 both bounds of a band can lie in one tail,
 * where Phi(b) - Phi(a) loses precision: the exact band uses log Q there. */
#define TAIL_SWITCH 5.0

double ol_tn_hazard_exact(double x)
{
    if (x <= OL_TN_LO) return exp(-0.5 * x * x) * OL_TN_INV_SQRT_2PI;
    if (x >= OL_TN_HI) {
        double r = 0;
        for (int k = CF_TERMS; k >= 1; k--) r = k / (x + r);
        return x + r;
    }
    return exp(-0.5 * x * x) * OL_TN_INV_SQRT_2PI / (0.5 * erfc(x * INV_SQRT_2));
}

void ol_tn_table_init(ol_tn_table *t)
{
    /* values and derivatives (scaled by the step) at the nodes */
    double v0 = ol_tn_hazard_exact(OL_TN_LO), d0 = v0 * (v0 - OL_TN_LO) / OL_TN_PER_UNIT;
    for (int k = 0; k < OL_TN_INTERVALS; k++) {
        double x1 = OL_TN_LO + (double)(k + 1) / OL_TN_PER_UNIT;
        double v1 = ol_tn_hazard_exact(x1), d1 = v1 * (v1 - x1) / OL_TN_PER_UNIT;
        t->c[4 * k + 0] = v0;
        t->c[4 * k + 1] = d0;
        t->c[4 * k + 2] = 3 * (v1 - v0) - 2 * d0 - d1;
        t->c[4 * k + 3] = 2 * (v0 - v1) + d0 + d1;
        v0 = v1;
        d0 = d1;
    }
    for (int j = 0; j < 64; j++) t->exp2[j] = exp2(j / 64.0);
}

/* log Q(x) for x >= 0 without underflow: log phi(x) - log h(x). */
static double log_q(double x)
{
    return -0.5 * x * x - LN_SQRT_2PI - log(ol_tn_hazard_exact(x));
}

/* Widths below which the band is summed by its expansion about the centre
 * c (see ol_tn_band_exact); the expansion's relative error is of the order
 * of (c w)^4. */
#define NARROW_CW 1e-3

void ol_tn_band_exact(double a, double b, double *mean, double *r)
{
    double w = b - a, c = 0.5 * (a + b);
    if (w < OL_TN_BAND_MIN_WIDTH && fabs(c) * w < NARROW_CW) {
        /* e = c + t, t in [-w/2, w/2): density phi(c) exp(-c t - t^2/2), so
         * P = phi(c) w (1 + (c^2 - 1) w^2 / 24 + O(w^4)), E[t] = -c w^2 / 12
         * + O(w^4), phi(b) / P = exp(-c w / 2 - w^2 / 8) / (P / phi(c)) */
        *mean = c - c * w * w / 12;
        *r = exp(-0.5 * c * w - 0.125 * w * w) / (w * (1 + (c * c - 1) * w * w / 24));
        return;
    }
    if (a >= TAIL_SWITCH || b <= -TAIL_SWITCH) {
        int mirror = b <= -TAIL_SWITCH;
        double lo = mirror ? -b : a, hi = mirror ? -a : b;
        /* upper tail: P = Q(lo) (1 - rho), rho = Q(hi)/Q(lo) */
        double lr = log_q(hi) - log_q(lo);
        double rho = exp(lr), one_m = -expm1(lr);
        double hl = ol_tn_hazard_exact(lo), hh = ol_tn_hazard_exact(hi);
        if (one_m <= 0) one_m = 1e-300;
        double m = (hl - hh * rho) / one_m;
        /* phi at the band's upper end b: hi when not mirrored, lo when mirrored */
        *mean = mirror ? -m : m;
        *r = mirror ? hl / one_m : hh * rho / one_m;
        return;
    }
    double pa = exp(-0.5 * a * a) * OL_TN_INV_SQRT_2PI, pb = exp(-0.5 * b * b) * OL_TN_INV_SQRT_2PI;
    double mass = 0.5 * (erf(b * INV_SQRT_2) - erf(a * INV_SQRT_2));
    if (mass < 1e-300) mass = 1e-300;
    *mean = (pa - pb) / mass;
    *r = pb / mass;
}
