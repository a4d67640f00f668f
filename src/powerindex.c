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

    pi_work w = {0};
    w.ntypes = tR;
    w.weight = weight;
    w.count = count;
    w.coef = coef;
    w.nveto = (size_t)nveto;
    w.wveto = wveto;
    w.quota = quota;
    w.total = total;
    int64_t direct = quota - wveto - 1, blocking = total - quota;
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
