/* The Shapley–Shubik index by dynamic programming over integer weights; see
 * include/orderlab/powerindex.h for the game, the method and the limits. */
#include "orderlab/powerindex.h"

#include <stdlib.h>
#include <string.h>

/* Values this close to zero are rounding noise of the efficiency identity. */
static const double OL_PI_ZERO = 1e-15;

/* A table of coalition counts among some of the non-veto players:
 * cell[s * cols + x] = number of coalitions of s players and weight x
 * (x <= cap; heavier coalitions are never needed). */
typedef struct pi_table {
    double *cell;
    size_t cnt; /* players added so far: rows 0..cnt are meaningful */
} pi_table;

typedef struct pi_work {
    size_t ntypes;
    const int64_t *weight; /* non-veto types, sorted by count descending */
    const uint32_t *count;
    size_t rows, cols;     /* rows = n_R (sizes 0..n_R-1), cols = cap + 1 */
    pi_table *level;       /* one table per recursion depth, allocated lazily */
    size_t nlevels;
    const double *coef;    /* coef[s] = s!(n-1-s)!/n! */
    size_t nveto;
    int64_t wveto, quota, total, cap;
    int complement;        /* count blocking instead of losing coalitions */
    double *out;           /* by sorted position */
} pi_work;

static void table_add(const pi_work *w, pi_table *t, int64_t weight, uint32_t times)
{
    size_t cols = w->cols;
    for (uint32_t r = 0; r < times; r++) {
        if (weight <= w->cap) {
            size_t wt = (size_t)weight;
            for (size_t s = t->cnt + 1; s-- > 0;) {
                if (s + 1 >= w->rows) continue; /* never needed: a leave-one-out has n_R-1 players */
                const double *src = t->cell + s * cols;
                double *dst = t->cell + (s + 1) * cols;
                for (size_t x = cols; x-- > wt;) dst[x] += src[x - wt];
            }
        }
        t->cnt++;
    }
}

static ol_status level_get(pi_work *w, size_t depth, pi_table **out)
{
    if (depth >= w->nlevels) return OL_EINVAL; /* cannot happen: depth < ntypes + 1 */
    pi_table *t = &w->level[depth];
    if (!t->cell) {
        t->cell = malloc(w->rows * w->cols * sizeof *t->cell);
        if (!t->cell) return OL_ENOMEM;
    }
    *out = t;
    return OL_OK;
}

/* The index of one player of weight wi from the table of the others. */
static double pivot_probability(const pi_work *w, const pi_table *t, int64_t wi)
{
    int64_t lo, hi;
    if (!w->complement) {
        lo = w->quota - w->wveto - wi;
        hi = w->quota - w->wveto - 1;
    } else {
        lo = w->total - w->quota + 1 - wi;
        hi = w->total - w->quota;
    }
    if (lo < 0) lo = 0;
    if (hi > w->cap) hi = w->cap;
    if (lo > hi) return 0.0;
    double p = 0.0;
    for (size_t s = 0; s <= t->cnt && s < w->rows; s++) {
        const double *row = t->cell + s * w->cols;
        double c = 0.0;
        for (int64_t x = lo; x <= hi; x++) c += row[x];
        if (c == 0.0) continue;
        /* s counts the others before i (direct) or after i (complement). */
        size_t before = w->complement ? (w->rows - 1 - s) : s;
        p += c * w->coef[w->nveto + before];
    }
    return p;
}

/* Types [lo, hi) are missing from table `depth`; every other type is in it. */
static ol_status solve(pi_work *w, size_t lo, size_t hi, size_t depth)
{
    ol_status st;
    pi_table *t;
    if ((st = level_get(w, depth, &t)) != OL_OK) return st;
    if (hi - lo == 1) {
        table_add(w, t, w->weight[lo], w->count[lo] - 1);
        w->out[lo] = pivot_probability(w, t, w->weight[lo]);
        return OL_OK;
    }
    /* Split where the players are halved, so that a big block is added few times. */
    uint64_t total = 0, cum = 0;
    for (size_t k = lo; k < hi; k++) total += w->count[k];
    size_t mid = lo + 1;
    for (size_t k = lo; k < hi - 1; k++) {
        cum += w->count[k];
        mid = k + 1;
        if (2 * cum >= total) break;
    }
    pi_table *child;
    if ((st = level_get(w, depth + 1, &child)) != OL_OK) return st;
    for (int half = 0; half < 2; half++) {
        memcpy(child->cell, t->cell, w->rows * w->cols * sizeof *t->cell);
        child->cnt = t->cnt;
        size_t a = half ? lo : mid, b = half ? mid : hi; /* the half that goes in */
        for (size_t k = a; k < b; k++) table_add(w, child, w->weight[k], w->count[k]);
        st = half ? solve(w, mid, hi, depth + 1) : solve(w, lo, mid, depth + 1);
        if (st != OL_OK) return st;
    }
    return OL_OK;
}


/* ---------------------------------------------------------------- enumeration
 * For games with few distinct players beside one large block of identical
 * ones (the model's case: a dozen listed states and the rest of the world):
 * walk every composition of the coalition by the other non-veto types (how
 * many of each), and count the block's part in closed form — for a
 * composition of weight x and size s, the block members that put player i in
 * its window are an interval of counts c, and Σ_c C(M, c) coef(s + c) over
 * it is a difference of prefix sums.  Time O(Π_t (m_t + 1) · T), memory
 * O(S · M). */

typedef struct pi_enum {
    size_t nl;              /* non-block non-veto types */
    const int64_t *lw;      /* their weights */
    const uint32_t *lc;     /* their counts */
    uint32_t *k;            /* the composition being walked */
    size_t ntarget;         /* types whose index is wanted: the nl, then the block */
    int64_t *lo, *hi;       /* per target: window of the non-veto coalition weight */
    double *acc;            /* per target */
    int64_t vb;             /* block weight */
    uint32_t M;             /* block count (0: no block) */
    size_t smax;            /* Σ lc */
    const double *ps_full;  /* [(smax+1) × (M+1)] prefix sums over c of C(M,c) coef(v + s + c) */
    const double *ps_less;  /* the same with M − 1 block members (for the block's own index) */
} pi_enum;

static double block_sum(const pi_enum *e, const double *ps, uint32_t Mx, size_t s, int64_t x, int64_t lo,
                        int64_t hi)
{
    int64_t clo, chi;
    if (e->vb == 0 || Mx == 0) {
        if (x < lo || x > hi) return 0.0;
        clo = 0;
        chi = Mx;
    } else {
        int64_t a = lo - x, b = hi - x;
        clo = a <= 0 ? 0 : (a + e->vb - 1) / e->vb;
        chi = b < 0 ? -1 : b / e->vb;
        if (chi > (int64_t)Mx) chi = Mx;
    }
    if (clo > chi || chi < 0) return 0.0; /* chi < 0 implies clo > chi; said for the compiler */
    const double *row = ps + s * ((size_t)e->M + 1); /* both tables have rows of M + 1 */
    return row[chi] - (clo > 0 ? row[clo - 1] : 0.0);
}

static void enum_walk(pi_enum *e, size_t t, int64_t x, size_t s, double mult)
{
    if (t == e->nl) {
        for (size_t i = 0; i < e->nl; i++) {
            if (e->k[i] == e->lc[i]) continue; /* player i itself must be outside */
            double m = mult * (double)(e->lc[i] - e->k[i]) / (double)e->lc[i];
            e->acc[i] += m * block_sum(e, e->ps_full, e->M, s, x, e->lo[i], e->hi[i]);
        }
        if (e->M) e->acc[e->nl] += mult * block_sum(e, e->ps_less, e->M - 1, s, x, e->lo[e->nl], e->hi[e->nl]);
        return;
    }
    double binom = 1.0;
    for (uint32_t c = 0; c <= e->lc[t]; c++) {
        e->k[t] = c;
        enum_walk(e, t + 1, x + (int64_t)c * e->lw[t], s + c, mult * binom);
        binom = binom * (double)(e->lc[t] - c) / (double)(c + 1);
    }
}

/* Fills res[j] for the non-veto types in `order` (sorted by count, the block
 * first when its count is > 1). */
static ol_status shapley_enum(size_t tR, const int64_t *weight, const uint32_t *count, const double *coef,
                              uint64_t n, uint64_t nveto, int64_t wveto, int64_t quota, double *res)
{
    (void)n;
    size_t b = count[0] > 1 ? 0 : SIZE_MAX; /* types are sorted by count, descending */
    size_t first = b == 0 ? 1 : 0, nl = tR - first;
    uint32_t M = b == 0 ? count[0] : 0;
    size_t smax = 0;
    for (size_t j = first; j < tR; j++) smax += count[j];
    size_t cols = (size_t)M + 1;
    double *ps_full = malloc((smax + 1) * cols * sizeof *ps_full);
    double *ps_less = malloc((smax + 1) * cols * sizeof *ps_less);
    uint32_t *k = calloc(nl + 1, sizeof *k);
    int64_t *lo = malloc((nl + 1) * sizeof *lo), *hi = malloc((nl + 1) * sizeof *hi);
    double *acc = calloc(nl + 1, sizeof *acc);
    if (!ps_full || !ps_less || !k || !lo || !hi || !acc) {
        free(ps_full); free(ps_less); free(k); free(lo); free(hi); free(acc);
        return OL_ENOMEM;
    }
    for (int less = 0; less < 2; less++) {
        double *ps = less ? ps_less : ps_full;
        uint32_t Mx = less ? (M ? M - 1 : 0) : M;
        for (size_t s = 0; s <= smax; s++) {
            double binom = 1.0, run = 0.0;
            for (uint32_t c = 0; c <= M; c++) {
                if (c <= Mx) {
                    size_t before = (size_t)nveto + s + c;
                    run += binom * (before < n ? coef[before] : 0.0);
                    binom = binom * (double)(Mx - c) / (double)(c + 1);
                }
                ps[s * cols + c] = run;
            }
        }
    }
    for (size_t i = 0; i < nl; i++) {
        lo[i] = quota - wveto - weight[first + i];
        hi[i] = quota - wveto - 1;
    }
    if (M) {
        lo[nl] = quota - wveto - weight[0];
        hi[nl] = quota - wveto - 1;
    }
    pi_enum e = {nl, weight + first, count + first, k, nl + (M != 0), lo, hi, acc,
                 M ? weight[0] : 0, M, smax, ps_full, ps_less};
    enum_walk(&e, 0, 0, 0, 1.0);
    for (size_t i = 0; i < nl; i++) res[first + i] = acc[i];
    if (M) res[0] = acc[nl];
    free(ps_full); free(ps_less); free(k); free(lo); free(hi); free(acc);
    return OL_OK;
}

double ol_powerindex_symmetric(size_t n)
{
    return n ? 1.0 / (double)n : 0.0;
}

typedef struct pi_sorted {
    size_t index;
    uint32_t count;
} pi_sorted;

static int by_count_desc(const void *a, const void *b)
{
    const pi_sorted *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return x->index < y->index ? -1 : (x->index > y->index);
}

ol_status ol_powerindex_shapley(size_t ntypes, const ol_powerindex_type *types, int64_t quota,
                                double *out, ol_error *err)
{
    return ol_powerindex_shapley_method(ntypes, types, quota, OL_POWERINDEX_AUTO, out, err);
}

ol_status ol_powerindex_shapley_method(size_t ntypes, const ol_powerindex_type *types, int64_t quota,
                                       ol_powerindex_method method, double *out, ol_error *err)
{
    if (!types || !out || ntypes == 0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "power index: no players");
    uint64_t n = 0, nveto = 0, nR = 0;
    int64_t total = 0, wveto = 0;
    size_t tR = 0;
    for (size_t k = 0; k < ntypes; k++) {
        if (types[k].count == 0)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "count", "power index: type %zu has no players", k);
        if (types[k].weight < 0 || types[k].weight > OL_POWERINDEX_MAX_WEIGHT)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "weight",
                                "power index: weight %lld of type %zu outside [0, %d]",
                                (long long)types[k].weight, k, (int)OL_POWERINDEX_MAX_WEIGHT);
        n += types[k].count;
        if (n > OL_POWERINDEX_MAX_PLAYERS)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "count", "power index: more than %d players",
                                (int)OL_POWERINDEX_MAX_PLAYERS);
        total += types[k].weight * (int64_t)types[k].count;
        if (total > OL_POWERINDEX_MAX_WEIGHT)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "weight", "power index: total weight above %d",
                                (int)OL_POWERINDEX_MAX_WEIGHT);
        if (types[k].veto) {
            nveto += types[k].count;
            wveto += types[k].weight * (int64_t)types[k].count;
        } else {
            nR += types[k].count;
            tR++;
        }
    }
    if (quota > total)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "quota",
                            "power index: quota %lld above the total weight %lld: no coalition wins",
                            (long long)quota, (long long)total);
    if (quota <= 0 && nveto == 0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "quota",
                            "power index: quota %lld is reached by the empty coalition", (long long)quota);

    /* Cases with no game to solve. */
    if (ntypes == 1 || nR == 0) {
        for (size_t k = 0; k < ntypes; k++) out[k] = 1.0 / (double)n;
        return OL_OK;
    }
    if (quota - wveto - 1 < 0) { /* the veto players alone win: nobody else is ever pivotal */
        for (size_t k = 0; k < ntypes; k++) out[k] = types[k].veto ? 1.0 / (double)nveto : 0.0;
        return OL_OK;
    }

    ol_status st = OL_OK;
    pi_sorted *order = malloc(tR * sizeof *order);
    int64_t *weight = malloc(tR * sizeof *weight);
    uint32_t *count = malloc(tR * sizeof *count);
    double *coef = malloc((size_t)n * sizeof *coef);
    double *res = calloc(tR, sizeof *res);
    pi_table *level = calloc(tR + 1, sizeof *level);
    if (!order || !weight || !count || !coef || !res || !level) {
        st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "power index: out of memory");
        goto done;
    }
    for (size_t k = 0, j = 0; k < ntypes; k++)
        if (!types[k].veto) order[j++] = (pi_sorted){k, types[k].count};
    qsort(order, tR, sizeof *order, by_count_desc);
    for (size_t j = 0; j < tR; j++) {
        weight[j] = types[order[j].index].weight;
        count[j] = order[j].count;
    }
    /* coef[s] = s!(n-1-s)!/n!, the probability that exactly the s given
     * players precede i, by a product that neither overflows nor loses bits. */
    coef[0] = 1.0 / (double)n;
    for (uint64_t s = 0; s + 1 < n; s++) coef[s + 1] = coef[s] * (double)(s + 1) / (double)(n - 1 - s);

    int64_t direct = quota - wveto - 1, blocking = total - quota;
    int64_t cap = blocking < direct ? blocking : direct;
    /* Costs of the two methods, in inner-loop steps (see the header). */
    double enum_cost = 1.0, dp_cost = (double)nR * (double)nR * (double)(cap + 1);
    for (size_t j = count[0] > 1 ? 1 : 0; j < tR && enum_cost < 1e18; j++) enum_cost *= (double)count[j] + 1.0;
    enum_cost *= (double)tR;
    for (size_t d = tR; d > 1; d /= 2) dp_cost *= 1.5;
    int use_enum = method == OL_POWERINDEX_ENUMERATE ||
                   (method == OL_POWERINDEX_AUTO && enum_cost <= dp_cost);
    if (method == OL_POWERINDEX_ENUMERATE && enum_cost > 1e10) {
        st = ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "power index: too many distinct players to enumerate");
        goto done;
    }
    if (use_enum) {
        if ((st = shapley_enum(tR, weight, count, coef, n, nveto, wveto, quota, res)) != OL_OK) {
            ol_error_set(err, st, NULL, 0, 0, NULL, "power index: out of memory");
            goto done;
        }
    } else {
        pi_work w = {0};
        w.ntypes = tR;
        w.weight = weight;
        w.count = count;
        w.coef = coef;
        w.nveto = (size_t)nveto;
        w.wveto = wveto;
        w.quota = quota;
        w.total = total;
        w.complement = blocking < direct;
        w.cap = w.complement ? blocking : direct;
        w.rows = (size_t)nR;
        w.cols = (size_t)w.cap + 1;
        w.level = level;
        w.nlevels = tR + 1;
        w.out = res;

        pi_table *root;
        if ((st = level_get(&w, 0, &root)) != OL_OK) {
            ol_error_set(err, st, NULL, 0, 0, NULL, "power index: out of memory");
            goto done;
        }
        memset(root->cell, 0, w.rows * w.cols * sizeof *root->cell);
        root->cell[0] = 1.0; /* the empty coalition */
        root->cnt = 0;
        if ((st = solve(&w, 0, tR, 0)) != OL_OK) {
            ol_error_set(err, st, NULL, 0, 0, NULL, "power index: out of memory");
            goto done;
        }
    }
    double sum = 0.0;
    for (size_t j = 0; j < tR; j++) {
        out[order[j].index] = res[j] < OL_PI_ZERO ? 0.0 : res[j];
        sum += res[j] * (double)count[j];
    }
    double each_veto = nveto ? (1.0 - sum) / (double)nveto : 0.0;
    if (each_veto < OL_PI_ZERO) each_veto = 0.0;
    for (size_t k = 0; k < ntypes; k++)
        if (types[k].veto) out[k] = each_veto;

done:
    if (level)
        for (size_t d = 0; d <= tR; d++) free(level[d].cell);
    free(level);
    free(res);
    free(coef);
    free(count);
    free(weight);
    free(order);
    return st;
}
