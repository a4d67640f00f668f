/*
 * The inner loops of the ideal-point EM (src/ideal_em.c): the E-step over one
 * group of votes of one category (no, abstain, yes) of an item (item pass)
 * or of a country-period (position pass), and the sums the M-steps need.
 * The model and the sums are in docs/ideal.md §1; the truncated-normal
 * moments in util/truncnorm.h.
 *
 * Every kernel sums in OL_IK_LANES accumulators: lane j takes the votes
 * k0 + j, k0 + j + 4, ...; the votes after the last full group of 4 go to
 * lane 0; the lanes are added as (l0 + l1) + (l2 + l3).  A group with an
 * argument outside the tables (rare) is summed again, all in lane 0, on the
 * exact path.  The *_avx2 kernels do the same operations in the same order
 * on four lanes at once, and the *_avx512 kernels on eight (votes k + j and
 * k + 4 + j added to lane j in that order), so both return the same bits as
 * the portable ones (tests/test_ideal_kernel.c checks it); ol_ik_avx2() and
 * ol_ik_avx512() say whether the processor has them, and
 * ol_ik_kernels_get() picks the widest set.
 */
#ifndef ORDERLAB_IDEAL_KERNEL_H
#define ORDERLAB_IDEAL_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "util/truncnorm.h"

#define OL_IK_LANES 4

/* An item's parameters as the position pass reads them: one 64-byte row per
 * item (a vote costs one cache line of item parameters); pb is E[beta^2] =
 * beta^2 + Var(beta), vab Cov(alpha, beta). */
typedef struct ol_ik_item {
    double a, b, d, pb, vab, pad[3];
} ol_ik_item;

/* The item pass's sums over a group: sum x, sum E[x^2], sum z, sum x z and
 * the band's gradient gd and curvature hd (yes and abstain groups). */
typedef struct ol_ik_isums {
    double sx, sxx, sz, sxz, gd, hd;
} ol_ik_isums;

/* Item pass.  cp[k0..k1): the voters' country-periods; xq: x and E[x^2]
 * interleaved per country-period; a, b, d the item's alpha, beta, band.
 * yes_no: yes = 1 for the yes votes (y* >= d), 0 for the no votes (y* < 0;
 * gd = hd = 0).  abstain: 0 <= y* < d. */
ol_ik_isums ol_ik_item_yes_no(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k0, size_t k1,
                              double a, double b, double d, int yes);
ol_ik_isums ol_ik_item_abstain(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k0, size_t k1,
                               double a, double b, double d);

/* Position pass.  item[k0..k1): the items a country-period voted on, at
 * position x; out: sum E[beta^2] and sum E[beta (z - alpha)]. */
void ol_ik_pos_yes_no(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k0, size_t k1,
                      double x, int yes, double *P, double *h);
void ol_ik_pos_abstain(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k0, size_t k1,
                       double x, double *P, double *h);

/* 1 when the processor runs the *_avx2 kernels (x86-64 with AVX2). */
int ol_ik_avx2(void);

/* The same kernels with AVX2 (defined on x86-64 only; call them only when
 * ol_ik_avx2()). */
ol_ik_isums ol_ik_item_yes_no_avx2(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k0, size_t k1,
                                   double a, double b, double d, int yes);
ol_ik_isums ol_ik_item_abstain_avx2(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k0,
                                    size_t k1, double a, double b, double d);
void ol_ik_pos_yes_no_avx2(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k0,
                           size_t k1, double x, int yes, double *P, double *h);
void ol_ik_pos_abstain_avx2(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k0,
                            size_t k1, double x, double *P, double *h);

/* 1 when the processor runs the *_avx512 kernels (x86-64 with AVX-512F). */
int ol_ik_avx512(void);

/* The same kernels, eight votes at a time, with AVX-512F (call them only when
 * ol_ik_avx512()): still the same bits. */
ol_ik_isums ol_ik_item_yes_no_avx512(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k0,
                                     size_t k1, double a, double b, double d, int yes);
ol_ik_isums ol_ik_item_abstain_avx512(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k0,
                                      size_t k1, double a, double b, double d);
void ol_ik_pos_yes_no_avx512(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k0,
                             size_t k1, double x, int yes, double *P, double *h);
void ol_ik_pos_abstain_avx512(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k0,
                              size_t k1, double x, double *P, double *h);

/* The kernel set a fit runs: the widest the processor has, up to a level.
 * Every set returns the same bits; only the speed differs. */
typedef enum ol_ik_level { OL_IK_PORTABLE = 0, OL_IK_AVX2 = 1, OL_IK_AVX512 = 2 } ol_ik_level;

typedef struct ol_ik_kernels {
    ol_ik_level level;
    const char *name; /* "portable", "avx2", "avx512" */
    ol_ik_isums (*item_yes_no)(const ol_tn_table *, const uint32_t *, const double *, size_t, size_t, double,
                               double, double, int);
    ol_ik_isums (*item_abstain)(const ol_tn_table *, const uint32_t *, const double *, size_t, size_t, double,
                                double, double);
    void (*pos_yes_no)(const ol_tn_table *, const uint32_t *, const ol_ik_item *, size_t, size_t, double, int,
                       double *, double *);
    void (*pos_abstain)(const ol_tn_table *, const uint32_t *, const ol_ik_item *, size_t, size_t, double,
                        double *, double *);
} ol_ik_kernels;

/* The widest set this processor runs whose level is at most max (a static
 * object, never freed). */
const ol_ik_kernels *ol_ik_kernels_get(ol_ik_level max);

#endif
