/*
 * Moments of a standard normal truncated to an interval: the E-step of the
 * ideal-point estimator (src/ideal_em.c, docs/ideal.md §6) evaluates one per
 * vote and pass, so they are computed from tables, without erf and exp.
 *
 *   h(x) = phi(x) / Q(x)   the inverse Mills ratio, E[e | e >= x]
 *   band [a, b):  mean = (phi(a) - phi(b)) / P,  r = phi(b) / P,
 *                 P = Phi(b) - Phi(a)
 *
 * Two tables:
 *   - h on the grid x_k = OL_TN_LO + k / OL_TN_PER_UNIT over [OL_TN_LO,
 *     OL_TN_HI]: cubic Hermite interpolation from the exact values and
 *     derivatives (h' = h (h - x)) at the nodes; exact (erfc, a continued
 *     fraction above OL_TN_HI) outside;
 *   - exp, for phi: 2^(j/64), j < 64, and a polynomial (ol_tn_exp_in):
 *     a few ulp, branch-free, no libm call.
 * The band's P is written through the hazard, so that it keeps its relative
 * precision where Phi(b) - Phi(a) would cancel: mirrored so that a + b >= 0,
 *   a >= 0:  P = phi(a) / h(a) - phi(b) / h(b)            (Q(a) - Q(b))
 *   a < 0:   P = 1 - phi(a) / h(-a) - phi(b) / h(b)       (1 - Q(-a) - Q(b))
 * i.e. 1 / P = h(|a|) h(b) / D with one division.
 *
 * ol_tn_hazard_in and ol_tn_band_in have no branch (for loops over votes,
 * whose categories and band positions come at random) and are exact only
 * inside the tables (ol_tn_in_table, ol_tn_band_inside); the caller counts
 * the arguments outside and recomputes them with ol_tn_hazard and
 * ol_tn_band, which call the exact functions there.
 *
 * Accuracy (tests/test_truncnorm.c checks these bounds against long-double
 * references over the whole domain; docs/ideal.md §6 states them):
 *   ol_tn_hazard: absolute error < OL_TN_HAZARD_ABS_ERR for every x;
 *   ol_tn_band:   absolute error of the mean < OL_TN_BAND_ABS_ERR and
 *                 relative error of r < OL_TN_BAND_REL_ERR for every a and
 *                 every width b - a; bands narrower than
 *                 OL_TN_BAND_MIN_WIDTH, whose D would be of the order of the
 *                 table's error, and bands outside the table are computed
 *                 by ol_tn_band_exact (an expansion about the centre for
 *                 the narrow ones, erf and log Q otherwise).
 *
 * The table is plain data owned by the caller (no global state); it is
 * filled once by ol_tn_table_init and read-only afterwards, so threads share
 * it.
 */
#ifndef ORDERLAB_UTIL_TRUNCNORM_H
#define ORDERLAB_UTIL_TRUNCNORM_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#define OL_TN_LO (-8.0)
#define OL_TN_HI 8.0
#define OL_TN_PER_UNIT 32
#define OL_TN_INTERVALS 512 /* (OL_TN_HI - OL_TN_LO) * OL_TN_PER_UNIT, a power of 2 */

/* Stated error bounds (the measured maxima are below a third of these). */
#define OL_TN_HAZARD_ABS_ERR 2e-9
#define OL_TN_BAND_ABS_ERR 2e-8
#define OL_TN_BAND_REL_ERR 3e-8

#define OL_TN_BAND_MIN_WIDTH 1e-6

#define OL_TN_INV_SQRT_2PI 0.39894228040143267794
/* Lower end of ol_tn_exp_in's range: the band reads exp(-x^2 / 2) at
 * |x| < 8, and exp(-(b - a)(b + a) / 2) >= exp(-128). */
#define OL_TN_EXP_MIN (-700.0)

typedef struct ol_tn_table {
    /* interval k: h = c[4k] + s (c[4k+1] + s (c[4k+2] + s c[4k+3])),
     * s = (x - x_k) * OL_TN_PER_UNIT in [0, 1) */
    double c[4 * OL_TN_INTERVALS];
    double exp2[64]; /* 2^(j / 64) */
} ol_tn_table;

void ol_tn_table_init(ol_tn_table *t);

/* h(x) from libm's erfc (a continued fraction above OL_TN_HI): the
 * reference the table is built from. */
double ol_tn_hazard_exact(double x);

/* The band's mean and r from erf/erfc (log Q in the far tails; bands
 * narrower than OL_TN_BAND_MIN_WIDTH by the expansion about their centre):
 * the path of ol_tn_band outside the tables. */
void ol_tn_band_exact(double a, double b, double *mean, double *r);

/* Inside the table: where ol_tn_hazard_in is the table's value. */
static inline int ol_tn_in_table(double x)
{
    return x > OL_TN_LO && x < OL_TN_HI;
}

/* round(v) for |v| < 2^51, as the low bits of a double: adding 1.5 * 2^52
 * rounds to an integer; masked, any v (NaN included) gives an index inside
 * a table of mask + 1 entries. */
static inline int ol_tn_round_masked(double v, uint64_t mask)
{
    double r = v + 0x1.8p52;
    uint64_t bits;
    memcpy(&bits, &r, sizeof bits);
    return (int)(bits & mask);
}

/* The table's cubic at x, branch-free: equal to ol_tn_hazard where
 * ol_tn_in_table(x) (at a node, the cubic of either side: they agree there),
 * meaningless but inside the table elsewhere.  c is the table's c. */
static inline double ol_tn_hazard_in(const double *c, double x)
{
    double u = (x - OL_TN_LO) * OL_TN_PER_UNIT;
    int k = ol_tn_round_masked(u - 0.5, OL_TN_INTERVALS - 1);
    double s = u - k;
    const double *ck = c + 4 * k;
    return ck[0] + s * (ck[1] + s * (ck[2] + s * ck[3]));
}

static inline double ol_tn_hazard(const ol_tn_table *t, double x)
{
    if (!ol_tn_in_table(x)) return ol_tn_hazard_exact(x);
    return ol_tn_hazard_in(t->c, x);
}

/* exp(y) for OL_TN_EXP_MIN <= y <= 0, branch-free: y = (n / 64) ln 2 + r,
 * n = round(64 y / ln 2), |r| <= ln 2 / 128; 2^(n/64) = 2^(n >> 6) times
 * the table's 2^((n & 63) / 64), exp(r) by its Taylor polynomial of degree
 * 5 (truncation below 4e-17).  Relative error a few ulp (the test checks
 * it); meaningless outside the range. */
static inline double ol_tn_exp_in(const ol_tn_table *t, double y)
{
    double yc = y > OL_TN_EXP_MIN ? y : OL_TN_EXP_MIN;
    double v = yc * (64 / 0.69314718055994530942) + 0x1.8p52, nd = v - 0x1.8p52;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int64_t n = (int64_t)(bits & 0xfffffffffffffULL) - (int64_t)0x8000000000000LL;
    /* r = y - n ln2 / 64 with ln 2 / 64 split in two for precision */
    double r = (yc - nd * 0x1.62e42fefa0000p-7) - nd * 0x1.cf79abc9e3b3ap-46;
    double er = 1 + r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))));
    /* 2^(floor(n / 64)) as bits: n + 1023 * 64 > 0 over the range */
    uint64_t scale = ((uint64_t)(n + 1023 * 64) >> 6) << 52;
    double sc;
    memcpy(&sc, &scale, sizeof sc);
    return sc * t->exp2[(uint64_t)n & 63] * er;
}

/* Where ol_tn_band_in is exact as ol_tn_band: both bounds inside the table
 * and the band not narrower than OL_TN_BAND_MIN_WIDTH. */
static inline int ol_tn_band_inside(double a, double b)
{
    return a > OL_TN_LO && b < OL_TN_HI && b - a >= OL_TN_BAND_MIN_WIDTH;
}

/* Mean of e ~ N(0, 1) truncated to [a, b), and r = phi(b) / P, branch-free
 * (both forms computed, one selected): exact as ol_tn_band where
 * ol_tn_band_inside(a, b), meaningless elsewhere. */
static inline void ol_tn_band_in(const ol_tn_table *t, double a, double b, double *mean, double *r)
{
    int flip = a + b < 0;
    double lo = flip ? -b : a, hi = flip ? -a : b, alo = lo < 0 ? -lo : lo;
    double pa = ol_tn_exp_in(t, -0.5 * lo * lo) * OL_TN_INV_SQRT_2PI;
    double pb = pa * ol_tn_exp_in(t, -0.5 * (hi - lo) * (hi + lo));
    double ha = ol_tn_hazard_in(t->c, alo), hb = ol_tn_hazard_in(t->c, hi);
    double dpos = pa * hb - pb * ha;
    double inv_p = ha * hb / (lo >= 0 ? dpos : ha * hb - pa * hb - pb * ha);
    double ra = pa * inv_p, rb = pb * inv_p;
    *mean = flip ? rb - ra : ra - rb;
    *r = flip ? ra : rb;
}

/* Mean of e ~ N(0, 1) truncated to [a, b), a < b, and r = phi(b) / P. */
static inline void ol_tn_band(const ol_tn_table *t, double a, double b, double *mean, double *r)
{
    if (ol_tn_band_inside(a, b)) ol_tn_band_in(t, a, b, mean, r);
    else ol_tn_band_exact(a, b, mean, r);
}

#endif
