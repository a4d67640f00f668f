/* The inner loops of the ideal-point EM: see ideal_kernel.h. */
#include "ideal_kernel.h"

/* ------------------------------------------------------------ one vote
 * The arithmetic of one vote, shared by the lanes, the tail and the exact
 * path of the portable kernels; the AVX2 kernels repeat it operation by
 * operation. */

/* yes: arg = d - mu, z = mu + h(arg); no: arg = mu, z = mu - h(arg) (d0 = 0,
 * sm = 1, sh = -1): exactly these values. */
typedef struct yn_form {
    double d0, sm, sh;
} yn_form;

static yn_form yn_of(int yes, double d)
{
    return yes ? (yn_form){d, -1, 1} : (yn_form){0, 1, -1};
}

/* lane j of the item sums */
typedef struct lanes6 {
    double sx[OL_IK_LANES], sxx[OL_IK_LANES], sz[OL_IK_LANES], sxz[OL_IK_LANES], gd[OL_IK_LANES], hd[OL_IK_LANES];
} lanes6;

static inline void item_add(lanes6 *l, int j, double xv, double x2, double z, double gd, double hd)
{
    l->sx[j] += xv;
    l->sxx[j] += x2;
    l->sz[j] += z;
    l->sxz[j] += xv * z;
    l->gd[j] += gd;
    l->hd[j] += hd;
}

static inline double lane_sum(const double *v)
{
    return (v[0] + v[1]) + (v[2] + v[3]);
}

static ol_ik_isums item_result(const lanes6 *l, int band)
{
    return (ol_ik_isums){lane_sum(l->sx), lane_sum(l->sxx), lane_sum(l->sz), lane_sum(l->sxz),
                         band ? lane_sum(l->gd) : 0, band ? lane_sum(l->hd) : 0};
}

/* The votes from k on, in lane 0, on the exact path. */
static void item_yes_no_tail(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k, size_t k1,
                             double a, double b, yn_form f, lanes6 *l)
{
    for (; k < k1; k++) {
        size_t q = 2 * (size_t)cp[k];
        double xv = xq[q], mu = a + b * xv, arg = f.d0 + f.sm * mu;
        double h = ol_tn_hazard(t, arg), z = mu + f.sh * h;
        item_add(l, 0, xv, xq[q + 1], z, -h, -(h * (h - arg)));
    }
}

static void item_abstain_tail(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k, size_t k1,
                              double a, double b, double d, lanes6 *l)
{
    for (; k < k1; k++) {
        size_t q = 2 * (size_t)cp[k];
        double xv = xq[q], mu = a + b * xv, hi = d - mu, m, r;
        ol_tn_band(t, -mu, hi, &m, &r);
        item_add(l, 0, xv, xq[q + 1], mu + m, r, -(r * (hi + r)));
    }
}

static void pos_yes_no_tail(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k,
                            size_t k1, double x, int yes, double *P, double *h)
{
    yn_form f = yn_of(yes, 0);
    for (; k < k1; k++) {
        const ol_ik_item *it = items + item[k];
        double mu = it->a + it->b * x, arg = (yes ? it->d : 0) + f.sm * mu;
        double z = mu + f.sh * ol_tn_hazard(t, arg);
        P[0] += it->pb;
        h[0] += it->b * (z - it->a) - it->vab;
    }
}

static void pos_abstain_tail(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k,
                             size_t k1, double x, double *P, double *h)
{
    for (; k < k1; k++) {
        const ol_ik_item *it = items + item[k];
        double mu = it->a + it->b * x, m, r;
        ol_tn_band(t, -mu, it->d - mu, &m, &r);
        double z = mu + m;
        P[0] += it->pb;
        h[0] += it->b * (z - it->a) - it->vab;
    }
}

/* ------------------------------------------------------------ portable kernels
 * One vote into lane j, branch-free; 1 when its argument is outside the
 * tables.  The kernels run the full groups of OL_IK_LANES with a constant
 * trip count (unrolled, the lanes in registers), then the short last group
 * into lanes 0.. as far as it goes. */

static inline int item_yes_no_vote(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k, double a,
                                   double b, yn_form f, lanes6 *l, int j)
{
    size_t q = 2 * (size_t)cp[k];
    double xv = xq[q], mu = a + b * xv, arg = f.d0 + f.sm * mu;
    double h = ol_tn_hazard_in(t->c, arg), z = mu + f.sh * h;
    item_add(l, j, xv, xq[q + 1], z, -h, -(h * (h - arg)));
    return !ol_tn_in_table(arg);
}

static inline int item_abstain_vote(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k, double a,
                                    double b, double d, lanes6 *l, int j)
{
    size_t q = 2 * (size_t)cp[k];
    double xv = xq[q], mu = a + b * xv, hi = d - mu, m, r;
    ol_tn_band_in(t, -mu, hi, &m, &r);
    item_add(l, j, xv, xq[q + 1], mu + m, r, -(r * (hi + r)));
    return !ol_tn_band_inside(-mu, hi);
}

static inline int pos_yes_no_vote(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k,
                                  double x, int yes, yn_form f, double *P, double *h, int j)
{
    const ol_ik_item *it = items + item[k];
    double mu = it->a + it->b * x, arg = (yes ? it->d : 0) + f.sm * mu;
    double z = mu + f.sh * ol_tn_hazard_in(t->c, arg);
    P[j] += it->pb;
    h[j] += it->b * (z - it->a) - it->vab;
    return !ol_tn_in_table(arg);
}

static inline int pos_abstain_vote(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k,
                                   double x, double *P, double *h, int j)
{
    const ol_ik_item *it = items + item[k];
    double mu = it->a + it->b * x, m, r;
    ol_tn_band_in(t, -mu, it->d - mu, &m, &r);
    double z = mu + m;
    P[j] += it->pb;
    h[j] += it->b * (z - it->a) - it->vab;
    return !ol_tn_band_inside(-mu, it->d - mu);
}

ol_ik_isums ol_ik_item_yes_no(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k0, size_t k1,
                              double a, double b, double d, int yes)
{
    yn_form f = yn_of(yes, d);
    lanes6 l = {0};
    int out = 0;
    size_t k = k0;
    for (; k + OL_IK_LANES <= k1; k += OL_IK_LANES)
        for (int j = 0; j < OL_IK_LANES; j++) out |= item_yes_no_vote(t, cp, xq, k + (size_t)j, a, b, f, &l, j);
    for (int j = 0; k + (size_t)j < k1; j++) out |= item_yes_no_vote(t, cp, xq, k + (size_t)j, a, b, f, &l, j);
    if (out) {
        l = (lanes6){0};
        item_yes_no_tail(t, cp, xq, k0, k1, a, b, f, &l);
    }
    return item_result(&l, yes);
}

ol_ik_isums ol_ik_item_abstain(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k0, size_t k1,
                               double a, double b, double d)
{
    lanes6 l = {0};
    int out = 0;
    size_t k = k0;
    for (; k + OL_IK_LANES <= k1; k += OL_IK_LANES)
        for (int j = 0; j < OL_IK_LANES; j++) out |= item_abstain_vote(t, cp, xq, k + (size_t)j, a, b, d, &l, j);
    for (int j = 0; k + (size_t)j < k1; j++) out |= item_abstain_vote(t, cp, xq, k + (size_t)j, a, b, d, &l, j);
    if (out) {
        l = (lanes6){0};
        item_abstain_tail(t, cp, xq, k0, k1, a, b, d, &l);
    }
    return item_result(&l, 1);
}

void ol_ik_pos_yes_no(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k0, size_t k1,
                      double x, int yes, double *Pout, double *hout)
{
    yn_form f = yn_of(yes, 0);
    double P[OL_IK_LANES] = {0}, h[OL_IK_LANES] = {0};
    int out = 0;
    size_t k = k0;
    for (; k + OL_IK_LANES <= k1; k += OL_IK_LANES)
        for (int j = 0; j < OL_IK_LANES; j++)
            out |= pos_yes_no_vote(t, item, items, k + (size_t)j, x, yes, f, P, h, j);
    for (int j = 0; k + (size_t)j < k1; j++) out |= pos_yes_no_vote(t, item, items, k + (size_t)j, x, yes, f, P, h, j);
    if (out) {
        for (int j = 0; j < OL_IK_LANES; j++) P[j] = h[j] = 0;
        pos_yes_no_tail(t, item, items, k0, k1, x, yes, P, h);
    }
    *Pout = lane_sum(P);
    *hout = lane_sum(h);
}

void ol_ik_pos_abstain(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k0, size_t k1,
                       double x, double *Pout, double *hout)
{
    double P[OL_IK_LANES] = {0}, h[OL_IK_LANES] = {0};
    int out = 0;
    size_t k = k0;
    for (; k + OL_IK_LANES <= k1; k += OL_IK_LANES)
        for (int j = 0; j < OL_IK_LANES; j++) out |= pos_abstain_vote(t, item, items, k + (size_t)j, x, P, h, j);
    for (int j = 0; k + (size_t)j < k1; j++) out |= pos_abstain_vote(t, item, items, k + (size_t)j, x, P, h, j);
    if (out) {
        for (int j = 0; j < OL_IK_LANES; j++) P[j] = h[j] = 0;
        pos_abstain_tail(t, item, items, k0, k1, x, P, h);
    }
    *Pout = lane_sum(P);
    *hout = lane_sum(h);
}

/* ------------------------------------------------------------ AVX2 kernels
 * Four votes at once, lane j = vote k + j: the operations of the portable
 * kernels in the same order (no FMA: the file is compiled without
 * -ffp-contract=fast, and the intrinsics multiply and add separately), the
 * same tail and exact path. */

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))

int ol_ik_avx2(void)
{
    return __builtin_cpu_supports("avx2") ? 1 : 0;
}

AVX2 static inline __m256d v_set(double v)
{
    return _mm256_set1_pd(v);
}

AVX2 static inline __m256d v_neg(__m256d x)
{
    return _mm256_xor_pd(x, _mm256_set1_pd(-0.0));
}

/* mask ? b : a */
AVX2 static inline __m256d v_sel(__m256d mask, __m256d a, __m256d b)
{
    return _mm256_blendv_pd(a, b, mask);
}

AVX2 static inline __m256d v_in_table(__m256d x)
{
    return _mm256_and_pd(_mm256_cmp_pd(x, v_set(OL_TN_LO), _CMP_GT_OQ), _mm256_cmp_pd(x, v_set(OL_TN_HI), _CMP_LT_OQ));
}

AVX2 static inline __m256d v_band_inside(__m256d a, __m256d b)
{
    return _mm256_and_pd(
        _mm256_and_pd(_mm256_cmp_pd(a, v_set(OL_TN_LO), _CMP_GT_OQ), _mm256_cmp_pd(b, v_set(OL_TN_HI), _CMP_LT_OQ)),
        _mm256_cmp_pd(_mm256_sub_pd(b, a), v_set(OL_TN_BAND_MIN_WIDTH), _CMP_GE_OQ));
}

/* Four rows of 4 doubles as 4 columns (r0[j], r1[j], r2[j], r3[j]): four
 * loads and eight shuffles, cheaper than four gathers. */
AVX2 static inline void v_columns(const double *r0, const double *r1, const double *r2, const double *r3, __m256d *c0,
                                  __m256d *c1, __m256d *c2, __m256d *c3)
{
    __m256d a0 = _mm256_loadu_pd(r0), a1 = _mm256_loadu_pd(r1), a2 = _mm256_loadu_pd(r2), a3 = _mm256_loadu_pd(r3);
    __m256d t0 = _mm256_unpacklo_pd(a0, a1), t1 = _mm256_unpackhi_pd(a0, a1);
    __m256d t2 = _mm256_unpacklo_pd(a2, a3), t3 = _mm256_unpackhi_pd(a2, a3);
    *c0 = _mm256_permute2f128_pd(t0, t2, 0x20);
    *c1 = _mm256_permute2f128_pd(t1, t3, 0x20);
    *c2 = _mm256_permute2f128_pd(t0, t2, 0x31);
    *c3 = _mm256_permute2f128_pd(t1, t3, 0x31);
}

/* ol_tn_hazard_in */
AVX2 static inline __m256d v_hazard_in(const double *c, __m256d x)
{
    __m256d u = _mm256_mul_pd(_mm256_sub_pd(x, v_set(OL_TN_LO)), v_set(OL_TN_PER_UNIT));
    __m256d r = _mm256_add_pd(_mm256_sub_pd(u, v_set(0.5)), v_set(0x1.8p52));
    __m256i k = _mm256_and_si256(_mm256_castpd_si256(r), _mm256_set1_epi64x(OL_TN_INTERVALS - 1));
    /* (double)k: 2^52 + k as bits, minus 2^52 */
    __m256d kd = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(k, _mm256_castpd_si256(v_set(0x1p52)))),
                               v_set(0x1p52));
    __m256d s = _mm256_sub_pd(u, kd), c0, c1, c2, c3;
    int64_t ks[4];
    _mm256_storeu_si256((__m256i *)ks, _mm256_slli_epi64(k, 2));
    v_columns(c + ks[0], c + ks[1], c + ks[2], c + ks[3], &c0, &c1, &c2, &c3);
    return _mm256_add_pd(
        c0, _mm256_mul_pd(s, _mm256_add_pd(c1, _mm256_mul_pd(s, _mm256_add_pd(c2, _mm256_mul_pd(s, c3))))));
}

/* x and E[x^2] of the four voters */
AVX2 static inline void v_xq(const double *xq, const uint32_t *cp, __m256d *xv, __m256d *x2)
{
    __m256d a = _mm256_set_m128d(_mm_loadu_pd(xq + 2 * (size_t)cp[2]), _mm_loadu_pd(xq + 2 * (size_t)cp[0]));
    __m256d b = _mm256_set_m128d(_mm_loadu_pd(xq + 2 * (size_t)cp[3]), _mm_loadu_pd(xq + 2 * (size_t)cp[1]));
    *xv = _mm256_unpacklo_pd(a, b);
    *x2 = _mm256_unpackhi_pd(a, b);
}

/* a, b, d, pb and vab of the four items */
AVX2 static inline void v_items(const ol_ik_item *items, const uint32_t *item, __m256d *a, __m256d *b, __m256d *d,
                                __m256d *pb, __m256d *vab)
{
    const ol_ik_item *i0 = items + item[0], *i1 = items + item[1], *i2 = items + item[2], *i3 = items + item[3];
    v_columns(&i0->a, &i1->a, &i2->a, &i3->a, a, b, d, pb);
    *vab = _mm256_set_pd(i3->vab, i2->vab, i1->vab, i0->vab);
}

/* ol_tn_exp_in */
AVX2 static inline __m256d v_exp_in(const ol_tn_table *t, __m256d y)
{
    __m256d yc = v_sel(_mm256_cmp_pd(y, v_set(OL_TN_EXP_MIN), _CMP_GT_OQ), v_set(OL_TN_EXP_MIN), y);
    __m256d v = _mm256_add_pd(_mm256_mul_pd(yc, v_set(64 / 0.69314718055994530942)), v_set(0x1.8p52));
    __m256d nd = _mm256_sub_pd(v, v_set(0x1.8p52));
    __m256i n = _mm256_sub_epi64(_mm256_and_si256(_mm256_castpd_si256(v), _mm256_set1_epi64x(0xfffffffffffffLL)),
                                 _mm256_set1_epi64x(0x8000000000000LL));
    __m256d r = _mm256_sub_pd(_mm256_sub_pd(yc, _mm256_mul_pd(nd, v_set(0x1.62e42fefa0000p-7))),
                              _mm256_mul_pd(nd, v_set(0x1.cf79abc9e3b3ap-46)));
    __m256d er = _mm256_add_pd(v_set(1.0 / 120), _mm256_setzero_pd());
    er = _mm256_add_pd(v_set(1.0 / 24), _mm256_mul_pd(r, er));
    er = _mm256_add_pd(v_set(1.0 / 6), _mm256_mul_pd(r, er));
    er = _mm256_add_pd(v_set(1.0 / 2), _mm256_mul_pd(r, er));
    er = _mm256_add_pd(v_set(1), _mm256_mul_pd(r, er));
    er = _mm256_add_pd(v_set(1), _mm256_mul_pd(r, er));
    __m256i scale = _mm256_slli_epi64(_mm256_srli_epi64(_mm256_add_epi64(n, _mm256_set1_epi64x(1023 * 64)), 6), 52);
    __m256d e2 = _mm256_i64gather_pd(t->exp2, _mm256_and_si256(n, _mm256_set1_epi64x(63)), 8);
    return _mm256_mul_pd(_mm256_mul_pd(_mm256_castsi256_pd(scale), e2), er);
}

/* ol_tn_band_in */
AVX2 static inline void v_band_in(const ol_tn_table *t, __m256d a, __m256d b, __m256d *mean, __m256d *rout)
{
    __m256d zero = _mm256_setzero_pd();
    __m256d flip = _mm256_cmp_pd(_mm256_add_pd(a, b), zero, _CMP_LT_OQ);
    __m256d lo = v_sel(flip, a, v_neg(b)), hi = v_sel(flip, b, v_neg(a));
    __m256d alo = v_sel(_mm256_cmp_pd(lo, zero, _CMP_LT_OQ), lo, v_neg(lo));
    __m256d pa = _mm256_mul_pd(v_exp_in(t, _mm256_mul_pd(_mm256_mul_pd(v_set(-0.5), lo), lo)),
                               v_set(OL_TN_INV_SQRT_2PI));
    __m256d pb = _mm256_mul_pd(
        pa, v_exp_in(t, _mm256_mul_pd(_mm256_mul_pd(v_set(-0.5), _mm256_sub_pd(hi, lo)), _mm256_add_pd(hi, lo))));
    __m256d ha = v_hazard_in(t->c, alo), hb = v_hazard_in(t->c, hi);
    __m256d dpos = _mm256_sub_pd(_mm256_mul_pd(pa, hb), _mm256_mul_pd(pb, ha));
    __m256d hh = _mm256_mul_pd(ha, hb);
    __m256d dneg = _mm256_sub_pd(_mm256_sub_pd(hh, _mm256_mul_pd(pa, hb)), _mm256_mul_pd(pb, ha));
    __m256d inv_p = _mm256_div_pd(hh, v_sel(_mm256_cmp_pd(lo, zero, _CMP_GE_OQ), dneg, dpos));
    __m256d ra = _mm256_mul_pd(pa, inv_p), rb = _mm256_mul_pd(pb, inv_p);
    *mean = v_sel(flip, _mm256_sub_pd(ra, rb), _mm256_sub_pd(rb, ra));
    *rout = v_sel(flip, rb, ra);
}

AVX2 static inline int v_all(__m256d mask)
{
    return _mm256_movemask_pd(mask) == 0xF;
}

/* The group at k: its 4 indices (a short last group padded with its first
 * vote, a valid address) and the mask of its real lanes. */
AVX2 static inline const uint32_t *v_group(const uint32_t *ix, size_t k, size_t k1, uint32_t pad[4], __m256d *valid)
{
    size_t n = k1 - k;
    if (n >= OL_IK_LANES) {
        *valid = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
        return ix + k;
    }
    for (size_t j = 0; j < OL_IK_LANES; j++) pad[j] = ix[k + (j < n ? j : 0)];
    *valid = _mm256_castsi256_pd(_mm256_set_epi64x(n > 3 ? -1 : 0, n > 2 ? -1 : 0, n > 1 ? -1 : 0, -1));
    return pad;
}

/* acc + v in the real lanes; the others unchanged (as the portable kernels,
 * which do not touch them) */
AVX2 static inline __m256d v_acc(__m256d acc, __m256d v, __m256d valid)
{
    return v_sel(valid, acc, _mm256_add_pd(acc, v));
}

/* the "inside" mask over the real lanes */
AVX2 static inline __m256d v_in_acc(__m256d in, __m256d inside, __m256d valid)
{
    return _mm256_and_pd(in, _mm256_or_pd(inside, _mm256_xor_pd(valid, _mm256_castsi256_pd(_mm256_set1_epi64x(-1)))));
}

AVX2 static inline void v_store6(lanes6 *l, __m256d sx, __m256d sxx, __m256d sz, __m256d sxz, __m256d gd, __m256d hd)
{
    _mm256_storeu_pd(l->sx, sx);
    _mm256_storeu_pd(l->sxx, sxx);
    _mm256_storeu_pd(l->sz, sz);
    _mm256_storeu_pd(l->sxz, sxz);
    _mm256_storeu_pd(l->gd, gd);
    _mm256_storeu_pd(l->hd, hd);
}

/* The running sums of a kernel, four lanes each, and the "inside the
 * tables" mask; the AVX-512 kernels run their groups of 8 into the same
 * lanes, then hand the rest to the same loops. */
typedef struct v_isums {
    __m256d sx, sxx, sz, sxz, gd, hd, in;
} v_isums;

typedef struct v_psums {
    __m256d P, h, in;
} v_psums;

AVX2 static inline v_isums v_isums_zero(void)
{
    __m256d z = _mm256_setzero_pd();
    return (v_isums){z, z, z, z, z, z, _mm256_castsi256_pd(_mm256_set1_epi64x(-1))};
}

AVX2 static inline v_psums v_psums_zero(void)
{
    __m256d z = _mm256_setzero_pd();
    return (v_psums){z, z, _mm256_castsi256_pd(_mm256_set1_epi64x(-1))};
}

AVX2 static inline void v_item_yes_no_run(v_isums *s, const ol_tn_table *t, const uint32_t *cp, const double *xq,
                                          size_t k, size_t k1, double a, double b, yn_form f)
{
    __m256d va = v_set(a), vb = v_set(b), vd0 = v_set(f.d0), vsm = v_set(f.sm), vsh = v_set(f.sh), valid;
    uint32_t pad[4];
    for (; k < k1; k += OL_IK_LANES) {
        const uint32_t *g = v_group(cp, k, k1, pad, &valid);
        __m256d xv, x2;
        v_xq(xq, g, &xv, &x2);
        __m256d mu = _mm256_add_pd(va, _mm256_mul_pd(vb, xv)), arg = _mm256_add_pd(vd0, _mm256_mul_pd(vsm, mu));
        s->in = v_in_acc(s->in, v_in_table(arg), valid);
        __m256d h = v_hazard_in(t->c, arg), z = _mm256_add_pd(mu, _mm256_mul_pd(vsh, h));
        s->sx = v_acc(s->sx, xv, valid);
        s->sxx = v_acc(s->sxx, x2, valid);
        s->sz = v_acc(s->sz, z, valid);
        s->sxz = v_acc(s->sxz, _mm256_mul_pd(xv, z), valid);
        s->gd = v_acc(s->gd, v_neg(h), valid);
        s->hd = v_acc(s->hd, v_neg(_mm256_mul_pd(h, _mm256_sub_pd(h, arg))), valid);
    }
}

AVX2 static inline void v_item_abstain_run(v_isums *s, const ol_tn_table *t, const uint32_t *cp, const double *xq,
                                           size_t k, size_t k1, double a, double b, double d)
{
    __m256d va = v_set(a), vb = v_set(b), vd = v_set(d), valid;
    uint32_t pad[4];
    for (; k < k1; k += OL_IK_LANES) {
        const uint32_t *g = v_group(cp, k, k1, pad, &valid);
        __m256d xv, x2;
        v_xq(xq, g, &xv, &x2);
        __m256d mu = _mm256_add_pd(va, _mm256_mul_pd(vb, xv)), hi = _mm256_sub_pd(vd, mu), m, r;
        s->in = v_in_acc(s->in, v_band_inside(v_neg(mu), hi), valid);
        v_band_in(t, v_neg(mu), hi, &m, &r);
        __m256d z = _mm256_add_pd(mu, m);
        s->sx = v_acc(s->sx, xv, valid);
        s->sxx = v_acc(s->sxx, x2, valid);
        s->sz = v_acc(s->sz, z, valid);
        s->sxz = v_acc(s->sxz, _mm256_mul_pd(xv, z), valid);
        s->gd = v_acc(s->gd, r, valid);
        s->hd = v_acc(s->hd, v_neg(_mm256_mul_pd(r, _mm256_add_pd(hi, r))), valid);
    }
}

AVX2 static inline void v_pos_yes_no_run(v_psums *s, const ol_tn_table *t, const uint32_t *item,
                                         const ol_ik_item *items, size_t k, size_t k1, double x, int yes)
{
    yn_form f = yn_of(yes, 0);
    __m256d vx = v_set(x), vsm = v_set(f.sm), vsh = v_set(f.sh), valid;
    uint32_t pad[4];
    for (; k < k1; k += OL_IK_LANES) {
        const uint32_t *g = v_group(item, k, k1, pad, &valid);
        __m256d ia, ib, id, ipb, ivab;
        v_items(items, g, &ia, &ib, &id, &ipb, &ivab);
        if (!yes) id = _mm256_setzero_pd();
        __m256d mu = _mm256_add_pd(ia, _mm256_mul_pd(ib, vx)), arg = _mm256_add_pd(id, _mm256_mul_pd(vsm, mu));
        s->in = v_in_acc(s->in, v_in_table(arg), valid);
        __m256d z = _mm256_add_pd(mu, _mm256_mul_pd(vsh, v_hazard_in(t->c, arg)));
        s->P = v_acc(s->P, ipb, valid);
        s->h = v_acc(s->h, _mm256_sub_pd(_mm256_mul_pd(ib, _mm256_sub_pd(z, ia)), ivab), valid);
    }
}

AVX2 static inline void v_pos_abstain_run(v_psums *s, const ol_tn_table *t, const uint32_t *item,
                                          const ol_ik_item *items, size_t k, size_t k1, double x)
{
    __m256d vx = v_set(x), valid;
    uint32_t pad[4];
    for (; k < k1; k += OL_IK_LANES) {
        const uint32_t *g = v_group(item, k, k1, pad, &valid);
        __m256d ia, ib, id, ipb, ivab;
        v_items(items, g, &ia, &ib, &id, &ipb, &ivab);
        __m256d mu = _mm256_add_pd(ia, _mm256_mul_pd(ib, vx)), hi = _mm256_sub_pd(id, mu), m, r;
        s->in = v_in_acc(s->in, v_band_inside(v_neg(mu), hi), valid);
        v_band_in(t, v_neg(mu), hi, &m, &r);
        __m256d z = _mm256_add_pd(mu, m);
        s->P = v_acc(s->P, ipb, valid);
        s->h = v_acc(s->h, _mm256_sub_pd(_mm256_mul_pd(ib, _mm256_sub_pd(z, ia)), ivab), valid);
    }
}

/* The sums, or NULL when a vote fell outside the tables (the caller then
 * takes the exact path). */
AVX2 static inline const lanes6 *v_isums_done(const v_isums *s, lanes6 *l)
{
    if (!v_all(s->in)) return NULL;
    v_store6(l, s->sx, s->sxx, s->sz, s->sxz, s->gd, s->hd);
    return l;
}

AVX2 static inline int v_psums_done(const v_psums *s, double *Pl, double *hl)
{
    if (!v_all(s->in)) return 0;
    _mm256_storeu_pd(Pl, s->P);
    _mm256_storeu_pd(hl, s->h);
    return 1;
}

AVX2 ol_ik_isums ol_ik_item_yes_no_avx2(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k0,
                                        size_t k1, double a, double b, double d, int yes)
{
    yn_form f = yn_of(yes, d);
    v_isums s = v_isums_zero();
    v_item_yes_no_run(&s, t, cp, xq, k0, k1, a, b, f);
    lanes6 l = {0};
    if (!v_isums_done(&s, &l)) item_yes_no_tail(t, cp, xq, k0, k1, a, b, f, &l);
    return item_result(&l, yes);
}

AVX2 ol_ik_isums ol_ik_item_abstain_avx2(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k0,
                                         size_t k1, double a, double b, double d)
{
    v_isums s = v_isums_zero();
    v_item_abstain_run(&s, t, cp, xq, k0, k1, a, b, d);
    lanes6 l = {0};
    if (!v_isums_done(&s, &l)) item_abstain_tail(t, cp, xq, k0, k1, a, b, d, &l);
    return item_result(&l, 1);
}

AVX2 void ol_ik_pos_yes_no_avx2(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k0,
                                size_t k1, double x, int yes, double *Pout, double *hout)
{
    v_psums s = v_psums_zero();
    v_pos_yes_no_run(&s, t, item, items, k0, k1, x, yes);
    double Pl[OL_IK_LANES] = {0}, hl[OL_IK_LANES] = {0};
    if (!v_psums_done(&s, Pl, hl)) pos_yes_no_tail(t, item, items, k0, k1, x, yes, Pl, hl);
    *Pout = lane_sum(Pl);
    *hout = lane_sum(hl);
}

AVX2 void ol_ik_pos_abstain_avx2(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k0,
                                 size_t k1, double x, double *Pout, double *hout)
{
    v_psums s = v_psums_zero();
    v_pos_abstain_run(&s, t, item, items, k0, k1, x);
    double Pl[OL_IK_LANES] = {0}, hl[OL_IK_LANES] = {0};
    if (!v_psums_done(&s, Pl, hl)) pos_abstain_tail(t, item, items, k0, k1, x, Pl, hl);
    *Pout = lane_sum(Pl);
    *hout = lane_sum(hl);
}

/* ------------------------------------------------------------ AVX-512 kernels
 * Eight votes at once: lanes j and j + 4 of a vector are votes k + j and
 * k + 4 + j, which the four-lane kernels put in lane j one after the other;
 * so each sum adds the low half, then the high half, to the same four lanes
 * (acc + v_lo + v_hi in that order) and the bits stay those of the portable
 * kernels.  Table rows, voters' (x, E[x^2]) and item rows are loaded whole
 * and transposed in registers (gather instructions were slower on the
 * processor measured, docs/ideal.md §6); the last 0-7 votes of a group run
 * through the AVX2 loops above. */

#define AVX512 __attribute__((target("avx512f,avx2")))

int ol_ik_avx512(void)
{
    return __builtin_cpu_supports("avx512f") ? 1 : 0;
}

AVX512 static inline __m512d w_set(double v)
{
    return _mm512_set1_pd(v);
}

AVX512 static inline __m512d w_neg(__m512d x)
{
    return _mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(x), _mm512_set1_epi64(INT64_MIN)));
}

/* mask ? b : a, as v_sel */
AVX512 static inline __m512d w_sel(__mmask8 mask, __m512d a, __m512d b)
{
    return _mm512_mask_blend_pd(mask, a, b);
}

AVX512 static inline __mmask8 w_in_table(__m512d x)
{
    return _mm512_mask_cmp_pd_mask(_mm512_cmp_pd_mask(x, w_set(OL_TN_LO), _CMP_GT_OQ), x, w_set(OL_TN_HI),
                                   _CMP_LT_OQ);
}

AVX512 static inline __mmask8 w_band_inside(__m512d a, __m512d b)
{
    __mmask8 m = _mm512_cmp_pd_mask(a, w_set(OL_TN_LO), _CMP_GT_OQ);
    m = _mm512_mask_cmp_pd_mask(m, b, w_set(OL_TN_HI), _CMP_LT_OQ);
    return _mm512_mask_cmp_pd_mask(m, _mm512_sub_pd(b, a), w_set(OL_TN_BAND_MIN_WIDTH), _CMP_GE_OQ);
}

/* Eight rows of 4 doubles (lane j: row j) as 4 columns: rows j and j + 4
 * share a 512-bit register, then a 4 x 4 transpose within each half. */
AVX512 static inline void w_columns(const double *const r[8], __m512d *c0, __m512d *c1, __m512d *c2, __m512d *c3)
{
    __m512d z0 = _mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_loadu_pd(r[0])), _mm256_loadu_pd(r[4]), 1);
    __m512d z1 = _mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_loadu_pd(r[1])), _mm256_loadu_pd(r[5]), 1);
    __m512d z2 = _mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_loadu_pd(r[2])), _mm256_loadu_pd(r[6]), 1);
    __m512d z3 = _mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_loadu_pd(r[3])), _mm256_loadu_pd(r[7]), 1);
    __m512d t0 = _mm512_unpacklo_pd(z0, z1), t1 = _mm512_unpackhi_pd(z0, z1);
    __m512d t2 = _mm512_unpacklo_pd(z2, z3), t3 = _mm512_unpackhi_pd(z2, z3);
    __m512i lo = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0), hi = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
    *c0 = _mm512_permutex2var_pd(t0, lo, t2);
    *c1 = _mm512_permutex2var_pd(t1, lo, t3);
    *c2 = _mm512_permutex2var_pd(t0, hi, t2);
    *c3 = _mm512_permutex2var_pd(t1, hi, t3);
}

/* v_hazard_in */
AVX512 static inline __m512d w_hazard_in(const double *c, __m512d x)
{
    __m512d u = _mm512_mul_pd(_mm512_sub_pd(x, w_set(OL_TN_LO)), w_set(OL_TN_PER_UNIT));
    __m512d r = _mm512_add_pd(_mm512_sub_pd(u, w_set(0.5)), w_set(0x1.8p52));
    __m512i k = _mm512_and_si512(_mm512_castpd_si512(r), _mm512_set1_epi64(OL_TN_INTERVALS - 1));
    __m512d kd = _mm512_sub_pd(_mm512_castsi512_pd(_mm512_or_si512(k, _mm512_castpd_si512(w_set(0x1p52)))),
                               w_set(0x1p52));
    __m512d s = _mm512_sub_pd(u, kd), c0, c1, c2, c3;
    int64_t ks[8];
    _mm512_storeu_si512(ks, _mm512_slli_epi64(k, 2));
    const double *rows[8] = {c + ks[0], c + ks[1], c + ks[2], c + ks[3], c + ks[4], c + ks[5], c + ks[6], c + ks[7]};
    w_columns(rows, &c0, &c1, &c2, &c3);
    return _mm512_add_pd(
        c0, _mm512_mul_pd(s, _mm512_add_pd(c1, _mm512_mul_pd(s, _mm512_add_pd(c2, _mm512_mul_pd(s, c3))))));
}

/* v_exp_in */
AVX512 static inline __m512d w_exp_in(const ol_tn_table *t, __m512d y)
{
    __m512d yc = w_sel(_mm512_cmp_pd_mask(y, w_set(OL_TN_EXP_MIN), _CMP_GT_OQ), w_set(OL_TN_EXP_MIN), y);
    __m512d v = _mm512_add_pd(_mm512_mul_pd(yc, w_set(64 / 0.69314718055994530942)), w_set(0x1.8p52));
    __m512d nd = _mm512_sub_pd(v, w_set(0x1.8p52));
    __m512i n = _mm512_sub_epi64(_mm512_and_si512(_mm512_castpd_si512(v), _mm512_set1_epi64(0xfffffffffffffLL)),
                                 _mm512_set1_epi64(0x8000000000000LL));
    __m512d r = _mm512_sub_pd(_mm512_sub_pd(yc, _mm512_mul_pd(nd, w_set(0x1.62e42fefa0000p-7))),
                              _mm512_mul_pd(nd, w_set(0x1.cf79abc9e3b3ap-46)));
    __m512d er = w_set(1.0 / 120);
    er = _mm512_add_pd(w_set(1.0 / 24), _mm512_mul_pd(r, er));
    er = _mm512_add_pd(w_set(1.0 / 6), _mm512_mul_pd(r, er));
    er = _mm512_add_pd(w_set(1.0 / 2), _mm512_mul_pd(r, er));
    er = _mm512_add_pd(w_set(1), _mm512_mul_pd(r, er));
    er = _mm512_add_pd(w_set(1), _mm512_mul_pd(r, er));
    __m512i scale = _mm512_slli_epi64(_mm512_srli_epi64(_mm512_add_epi64(n, _mm512_set1_epi64(1023 * 64)), 6), 52);
    int64_t j[8];
    _mm512_storeu_si512(j, _mm512_and_si512(n, _mm512_set1_epi64(63)));
    const double *e = t->exp2;
    __m512d e2 = _mm512_set_pd(e[j[7]], e[j[6]], e[j[5]], e[j[4]], e[j[3]], e[j[2]], e[j[1]], e[j[0]]);
    return _mm512_mul_pd(_mm512_mul_pd(_mm512_castsi512_pd(scale), e2), er);
}

/* v_band_in */
AVX512 static inline void w_band_in(const ol_tn_table *t, __m512d a, __m512d b, __m512d *mean, __m512d *rout)
{
    __m512d zero = _mm512_setzero_pd();
    __mmask8 flip = _mm512_cmp_pd_mask(_mm512_add_pd(a, b), zero, _CMP_LT_OQ);
    __m512d lo = w_sel(flip, a, w_neg(b)), hi = w_sel(flip, b, w_neg(a));
    __m512d alo = w_sel(_mm512_cmp_pd_mask(lo, zero, _CMP_LT_OQ), lo, w_neg(lo));
    __m512d pa = _mm512_mul_pd(w_exp_in(t, _mm512_mul_pd(_mm512_mul_pd(w_set(-0.5), lo), lo)),
                               w_set(OL_TN_INV_SQRT_2PI));
    __m512d pb = _mm512_mul_pd(
        pa, w_exp_in(t, _mm512_mul_pd(_mm512_mul_pd(w_set(-0.5), _mm512_sub_pd(hi, lo)), _mm512_add_pd(hi, lo))));
    __m512d ha = w_hazard_in(t->c, alo), hb = w_hazard_in(t->c, hi);
    __m512d dpos = _mm512_sub_pd(_mm512_mul_pd(pa, hb), _mm512_mul_pd(pb, ha));
    __m512d hh = _mm512_mul_pd(ha, hb);
    __m512d dneg = _mm512_sub_pd(_mm512_sub_pd(hh, _mm512_mul_pd(pa, hb)), _mm512_mul_pd(pb, ha));
    __m512d inv_p = _mm512_div_pd(hh, w_sel(_mm512_cmp_pd_mask(lo, zero, _CMP_GE_OQ), dneg, dpos));
    __m512d ra = _mm512_mul_pd(pa, inv_p), rb = _mm512_mul_pd(pb, inv_p);
    *mean = w_sel(flip, _mm512_sub_pd(ra, rb), _mm512_sub_pd(rb, ra));
    *rout = w_sel(flip, rb, ra);
}

/* x and E[x^2] of the 8 voters: pairs 0, 2, 4, 6 and 1, 3, 5, 7 in two
 * registers, then unpacked */
AVX512 static inline void w_xq(const double *xq, const uint32_t *cp, __m512d *xv, __m512d *x2)
{
#define XQ(j) _mm_loadu_pd(xq + 2 * (size_t)cp[j])
    __m512d a = _mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_set_m128d(XQ(2), XQ(0))),
                                   _mm256_set_m128d(XQ(6), XQ(4)), 1);
    __m512d b = _mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_set_m128d(XQ(3), XQ(1))),
                                   _mm256_set_m128d(XQ(7), XQ(5)), 1);
#undef XQ
    *xv = _mm512_unpacklo_pd(a, b);
    *x2 = _mm512_unpackhi_pd(a, b);
}

/* acc + v_lo + v_hi, in that order */
AVX512 static inline __m256d w_acc(__m256d acc, __m512d v)
{
    return _mm256_add_pd(_mm256_add_pd(acc, _mm512_castpd512_pd256(v)), _mm512_extractf64x4_pd(v, 1));
}

/* the 8 indices from k on, times m */
AVX512 static inline __m256i w_index(const uint32_t *ix, size_t k, int shift)
{
    return _mm256_slli_epi32(_mm256_loadu_si256((const __m256i *)(ix + k)), shift);
}

/* the "inside" mask of the four-lane sums, and-ed with 8 lanes' */
AVX512 static inline __m256d w_in_fold(__m256d in, __mmask8 m)
{
    return m == 0xFF ? in : _mm256_setzero_pd();
}

AVX512 ol_ik_isums ol_ik_item_yes_no_avx512(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k0,
                                           size_t k1, double a, double b, double d, int yes)
{
    yn_form f = yn_of(yes, d);
    __m512d va = w_set(a), vb = w_set(b), vd0 = w_set(f.d0), vsm = w_set(f.sm), vsh = w_set(f.sh);
    v_isums s = v_isums_zero();
    __mmask8 in = 0xFF;
    size_t k = k0;
    for (; k + 8 <= k1; k += 8) {
        __m512d xv, x2;
        w_xq(xq, cp + k, &xv, &x2);
        __m512d mu = _mm512_add_pd(va, _mm512_mul_pd(vb, xv)), arg = _mm512_add_pd(vd0, _mm512_mul_pd(vsm, mu));
        in &= w_in_table(arg);
        __m512d h = w_hazard_in(t->c, arg), z = _mm512_add_pd(mu, _mm512_mul_pd(vsh, h));
        s.sx = w_acc(s.sx, xv);
        s.sxx = w_acc(s.sxx, x2);
        s.sz = w_acc(s.sz, z);
        s.sxz = w_acc(s.sxz, _mm512_mul_pd(xv, z));
        s.gd = w_acc(s.gd, w_neg(h));
        s.hd = w_acc(s.hd, w_neg(_mm512_mul_pd(h, _mm512_sub_pd(h, arg))));
    }
    s.in = w_in_fold(s.in, in);
    v_item_yes_no_run(&s, t, cp, xq, k, k1, a, b, f);
    lanes6 l = {0};
    if (!v_isums_done(&s, &l)) item_yes_no_tail(t, cp, xq, k0, k1, a, b, f, &l);
    return item_result(&l, yes);
}

AVX512 ol_ik_isums ol_ik_item_abstain_avx512(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k0,
                                            size_t k1, double a, double b, double d)
{
    __m512d va = w_set(a), vb = w_set(b), vd = w_set(d);
    v_isums s = v_isums_zero();
    __mmask8 in = 0xFF;
    size_t k = k0;
    for (; k + 8 <= k1; k += 8) {
        __m512d xv, x2;
        w_xq(xq, cp + k, &xv, &x2);
        __m512d mu = _mm512_add_pd(va, _mm512_mul_pd(vb, xv)), hi = _mm512_sub_pd(vd, mu), m, r;
        in &= w_band_inside(w_neg(mu), hi);
        w_band_in(t, w_neg(mu), hi, &m, &r);
        __m512d z = _mm512_add_pd(mu, m);
        s.sx = w_acc(s.sx, xv);
        s.sxx = w_acc(s.sxx, x2);
        s.sz = w_acc(s.sz, z);
        s.sxz = w_acc(s.sxz, _mm512_mul_pd(xv, z));
        s.gd = w_acc(s.gd, r);
        s.hd = w_acc(s.hd, w_neg(_mm512_mul_pd(r, _mm512_add_pd(hi, r))));
    }
    s.in = w_in_fold(s.in, in);
    v_item_abstain_run(&s, t, cp, xq, k, k1, a, b, d);
    lanes6 l = {0};
    if (!v_isums_done(&s, &l)) item_abstain_tail(t, cp, xq, k0, k1, a, b, d, &l);
    return item_result(&l, 1);
}

/* a, b, d, pb and vab of the 8 items from k on (64-byte rows) */
AVX512 static inline void w_items(const ol_ik_item *items, const uint32_t *item, size_t k, __m512d *a, __m512d *b,
                                  __m512d *d, __m512d *pb, __m512d *vab)
{
    const ol_ik_item *it[8];
    for (int j = 0; j < 8; j++) it[j] = items + item[k + (size_t)j];
    const double *rows[8] = {&it[0]->a, &it[1]->a, &it[2]->a, &it[3]->a, &it[4]->a, &it[5]->a, &it[6]->a, &it[7]->a};
    w_columns(rows, a, b, d, pb);
    *vab = _mm512_i32gather_pd(w_index(item, k, 3), &items->vab, 8);
}

AVX512 void ol_ik_pos_yes_no_avx512(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k0,
                                    size_t k1, double x, int yes, double *Pout, double *hout)
{
    yn_form f = yn_of(yes, 0);
    __m512d vx = w_set(x), vsm = w_set(f.sm), vsh = w_set(f.sh);
    v_psums s = v_psums_zero();
    __mmask8 in = 0xFF;
    size_t k = k0;
    for (; k + 8 <= k1; k += 8) {
        __m512d ia, ib, id, ipb, ivab;
        w_items(items, item, k, &ia, &ib, &id, &ipb, &ivab);
        if (!yes) id = _mm512_setzero_pd();
        __m512d mu = _mm512_add_pd(ia, _mm512_mul_pd(ib, vx)), arg = _mm512_add_pd(id, _mm512_mul_pd(vsm, mu));
        in &= w_in_table(arg);
        __m512d z = _mm512_add_pd(mu, _mm512_mul_pd(vsh, w_hazard_in(t->c, arg)));
        s.P = w_acc(s.P, ipb);
        s.h = w_acc(s.h, _mm512_sub_pd(_mm512_mul_pd(ib, _mm512_sub_pd(z, ia)), ivab));
    }
    s.in = w_in_fold(s.in, in);
    v_pos_yes_no_run(&s, t, item, items, k, k1, x, yes);
    double Pl[OL_IK_LANES] = {0}, hl[OL_IK_LANES] = {0};
    if (!v_psums_done(&s, Pl, hl)) pos_yes_no_tail(t, item, items, k0, k1, x, yes, Pl, hl);
    *Pout = lane_sum(Pl);
    *hout = lane_sum(hl);
}

AVX512 void ol_ik_pos_abstain_avx512(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items,
                                     size_t k0, size_t k1, double x, double *Pout, double *hout)
{
    __m512d vx = w_set(x);
    v_psums s = v_psums_zero();
    __mmask8 in = 0xFF;
    size_t k = k0;
    for (; k + 8 <= k1; k += 8) {
        __m512d ia, ib, id, ipb, ivab;
        w_items(items, item, k, &ia, &ib, &id, &ipb, &ivab);
        __m512d mu = _mm512_add_pd(ia, _mm512_mul_pd(ib, vx)), hi = _mm512_sub_pd(id, mu), m, r;
        in &= w_band_inside(w_neg(mu), hi);
        w_band_in(t, w_neg(mu), hi, &m, &r);
        __m512d z = _mm512_add_pd(mu, m);
        s.P = w_acc(s.P, ipb);
        s.h = w_acc(s.h, _mm512_sub_pd(_mm512_mul_pd(ib, _mm512_sub_pd(z, ia)), ivab));
    }
    s.in = w_in_fold(s.in, in);
    v_pos_abstain_run(&s, t, item, items, k, k1, x);
    double Pl[OL_IK_LANES] = {0}, hl[OL_IK_LANES] = {0};
    if (!v_psums_done(&s, Pl, hl)) pos_abstain_tail(t, item, items, k0, k1, x, Pl, hl);
    *Pout = lane_sum(Pl);
    *hout = lane_sum(hl);
}

#else /* no vector kernels: ol_ik_avx2() and ol_ik_avx512() are 0 and these are never called */

int ol_ik_avx2(void)
{
    return 0;
}

int ol_ik_avx512(void)
{
    return 0;
}

ol_ik_isums ol_ik_item_yes_no_avx512(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k0,
                                     size_t k1, double a, double b, double d, int yes)
{
    return ol_ik_item_yes_no(t, cp, xq, k0, k1, a, b, d, yes);
}

ol_ik_isums ol_ik_item_abstain_avx512(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k0,
                                      size_t k1, double a, double b, double d)
{
    return ol_ik_item_abstain(t, cp, xq, k0, k1, a, b, d);
}

void ol_ik_pos_yes_no_avx512(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k0,
                             size_t k1, double x, int yes, double *P, double *h)
{
    ol_ik_pos_yes_no(t, item, items, k0, k1, x, yes, P, h);
}

void ol_ik_pos_abstain_avx512(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k0,
                              size_t k1, double x, double *P, double *h)
{
    ol_ik_pos_abstain(t, item, items, k0, k1, x, P, h);
}

ol_ik_isums ol_ik_item_yes_no_avx2(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k0, size_t k1,
                                   double a, double b, double d, int yes)
{
    return ol_ik_item_yes_no(t, cp, xq, k0, k1, a, b, d, yes);
}

ol_ik_isums ol_ik_item_abstain_avx2(const ol_tn_table *t, const uint32_t *cp, const double *xq, size_t k0,
                                    size_t k1, double a, double b, double d)
{
    return ol_ik_item_abstain(t, cp, xq, k0, k1, a, b, d);
}

void ol_ik_pos_yes_no_avx2(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k0,
                           size_t k1, double x, int yes, double *P, double *h)
{
    ol_ik_pos_yes_no(t, item, items, k0, k1, x, yes, P, h);
}

void ol_ik_pos_abstain_avx2(const ol_tn_table *t, const uint32_t *item, const ol_ik_item *items, size_t k0,
                            size_t k1, double x, double *P, double *h)
{
    ol_ik_pos_abstain(t, item, items, k0, k1, x, P, h);
}
#endif

static const ol_ik_kernels kernel_sets[] = {
    {OL_IK_PORTABLE, "portable", ol_ik_item_yes_no, ol_ik_item_abstain, ol_ik_pos_yes_no, ol_ik_pos_abstain},
    {OL_IK_AVX2, "avx2", ol_ik_item_yes_no_avx2, ol_ik_item_abstain_avx2, ol_ik_pos_yes_no_avx2,
     ol_ik_pos_abstain_avx2},
    {OL_IK_AVX512, "avx512", ol_ik_item_yes_no_avx512, ol_ik_item_abstain_avx512, ol_ik_pos_yes_no_avx512,
     ol_ik_pos_abstain_avx512},
};

const ol_ik_kernels *ol_ik_kernels_get(ol_ik_level max)
{
    if (max >= OL_IK_AVX512 && ol_ik_avx512()) return &kernel_sets[OL_IK_AVX512];
    if (max >= OL_IK_AVX2 && ol_ik_avx2()) return &kernel_sets[OL_IK_AVX2];
    return &kernel_sets[OL_IK_PORTABLE];
}
