/* Sobol indices from a Saltelli design's outputs: the first-order estimator
 * of Saltelli et al. (2010), the total-order estimator of Jansen (1999), and
 * percentile bootstrap intervals over the base rows. */
#include "orderlab/design.h"

#include "orderlab/model.h"

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * The indices of the base rows rows[0..N-1] (NULL: every row once) into
 * S1[p], ST[p]; pool has room for 2N values.  Returns the output variance V
 * (of f(A) and f(B) pooled, 2N values); the indices are left untouched when
 * V is 0.
 */
static double estimate(size_t N, size_t p, const double *yA, const double *yB, const double *yAB,
                       const size_t *rows, double *pool, double *S1, double *ST)
{
    for (size_t j = 0; j < N; j++) {
        size_t r = rows ? rows[j] : j;
        pool[j] = yA[r];
        pool[N + j] = yB[r];
    }
    /* the variance with denominator 2N, as SALib computes it, so that the
     * two can be checked against each other */
    const double mean = gsl_stats_mean(pool, 1, 2 * N);
    const double V = gsl_stats_variance_with_fixed_mean(pool, 1, 2 * N, mean);
    if (!(V > 0.0)) return 0.0;
    for (size_t i = 0; i < p; i++) {
        const double *ab = yAB + i * N;
        double first = 0.0, total = 0.0;
        for (size_t j = 0; j < N; j++) {
            size_t r = rows ? rows[j] : j;
            double d = ab[r] - yA[r];
            /* Saltelli et al. 2010, table 2 (b), on the centred f(B): the same
             * expectation (E[f(AB) - f(A)] = 0), but the outputs' mean no longer
             * enters as noise (years near 2020 would swamp differences of a few) */
            first += (yB[r] - mean) * d;
            total += d * d;      /* Jansen 1999; Saltelli et al. 2010, table 2 (f) */
        }
        S1[i] = first / (double)N / V;
        ST[i] = total / (double)N / (2.0 * V);
    }
    return V;
}

static ol_status check_finite(const double *y, size_t n, const char *name, ol_error *err)
{
    for (size_t k = 0; k < n; k++)
        if (!isfinite(y[k]))
            return ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, name, "%s[%zu] is not finite (%g): the Sobol "
                                "indices need every run's output", name, k, y[k]);
    return OL_OK;
}

ol_status ol_sobol_indices(size_t N, size_t p, const double *yA, const double *yB, const double *yAB, size_t nboot,
                           double conf, uint64_t seed, ol_sobol_index *out, ol_error *err)
{
    ol_error_clear(err);
    if (!yA || !yB || !yAB || !out)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_sobol_indices: missing outputs or no result array");
    if (N < 2 || p < 1)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_sobol_indices: needs N >= 2 base rows and p >= 1 "
                            "inputs (got N = %zu, p = %zu)", N, p);
    if (!(conf > 0.0 && conf < 1.0))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "conf", "the confidence level %g is not between 0 and 1", conf);
    if (p > SIZE_MAX / N / sizeof(double) || (nboot && p > SIZE_MAX / nboot / 2 / sizeof(double)))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_sobol_indices: N x p or nboot x p too large");
    ol_status st = check_finite(yA, N, "yA", err);
    if (!st) st = check_finite(yB, N, "yB", err);
    if (!st) st = check_finite(yAB, N * p, "yAB", err);
    if (st) return st;

    double *pool = malloc(2 * N * sizeof *pool);
    double *S1 = malloc(p * sizeof *S1), *ST = malloc(p * sizeof *ST);
    if (!pool || !S1 || !ST) {
        free(pool); free(S1); free(ST);
        return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    if (estimate(N, p, yA, yB, yAB, NULL, pool, S1, ST) == 0.0) {
        free(pool); free(S1); free(ST);
        return ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, "y", "the output does not vary over the %zu base rows "
                            "(variance 0): the Sobol indices are undefined", N);
    }
    for (size_t i = 0; i < p; i++)
        out[i] = (ol_sobol_index){S1[i], S1[i], S1[i], ST[i], ST[i], ST[i]};
    if (nboot == 0) { free(pool); free(S1); free(ST); return OL_OK; }

    /* Resample the base rows with replacement; per input the nb resamples'
     * estimates, sorted, give the percentile interval.  A resample whose
     * output happens not to vary (possible only for tiny N) is left out. */
    size_t *rows = malloc(N * sizeof *rows);
    double *bS1 = malloc(nboot * p * sizeof *bS1), *bST = malloc(nboot * p * sizeof *bST);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rows || !bS1 || !bST || !r) {
        free(rows); free(bS1); free(bST); free(pool); free(S1); free(ST);
        if (r) gsl_rng_free(r);
        return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    uint64_t z = ol_model_seed(seed, 0); /* MT19937 takes 32 bits: mix, then fold */
    gsl_rng_set(r, (unsigned long)((z ^ (z >> 32)) & 0xffffffffu));
    size_t nb = 0;
    for (size_t b = 0; b < nboot; b++) {
        for (size_t j = 0; j < N; j++) rows[j] = (size_t)gsl_rng_uniform_int(r, (unsigned long)N);
        if (estimate(N, p, yA, yB, yAB, rows, pool, S1, ST) == 0.0) continue;
        for (size_t i = 0; i < p; i++) {
            bS1[i * nboot + nb] = S1[i];
            bST[i * nboot + nb] = ST[i];
        }
        nb++;
    }
    const double lo = (1.0 - conf) / 2.0, hi = 1.0 - lo;
    for (size_t i = 0; nb && i < p; i++) {
        double *s = bS1 + i * nboot, *t = bST + i * nboot;
        gsl_sort(s, 1, nb);
        gsl_sort(t, 1, nb);
        out[i].S1_lo = gsl_stats_quantile_from_sorted_data(s, 1, nb, lo);
        out[i].S1_hi = gsl_stats_quantile_from_sorted_data(s, 1, nb, hi);
        out[i].ST_lo = gsl_stats_quantile_from_sorted_data(t, 1, nb, lo);
        out[i].ST_hi = gsl_stats_quantile_from_sorted_data(t, 1, nb, hi);
    }
    gsl_rng_free(r);
    free(rows); free(bS1); free(bST); free(pool); free(S1); free(ST);
    return OL_OK;
}

ol_status ol_sobol_from_design(const ol_design *d, const double *y, size_t nboot, double conf, uint64_t seed,
                               ol_sobol_index *out, ol_error *err)
{
    ol_error_clear(err);
    if (!d || d->kind != OL_DESIGN_SALTELLI)
        return ol_error_set(err, OL_EINVAL, d ? d->path : NULL, 0, 0, "design", "Sobol indices need a saltelli "
                            "design (this one is %s)", d ? ol_design_kind_name(d->kind) : "missing");
    if (!y || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_sobol_from_design: no outputs");
    const size_t N = d->samples, p = d->nparams, block = p + 2;
    ol_status st = check_finite(y, d->npoints, "y", err); /* named by point, as the caller knows them */
    if (st) return st;
    double *yA = malloc(N * sizeof *yA), *yB = malloc(N * sizeof *yB), *yAB = malloc(N * p * sizeof *yAB);
    if (!yA || !yB || !yAB) {
        free(yA); free(yB); free(yAB);
        return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    for (size_t j = 0; j < N; j++) {
        const double *b = y + j * block; /* A_j, B_j, AB_j^(1), ..., AB_j^(p) */
        yA[j] = b[0];
        yB[j] = b[1];
        for (size_t i = 0; i < p; i++) yAB[i * N + j] = b[2 + i];
    }
    st = ol_sobol_indices(N, p, yA, yB, yAB, nboot, conf, seed, out, err);
    free(yA); free(yB); free(yAB);
    return st;
}
