/*
 * orderlab/design.h — experimental designs for sweeps of the model, and the
 * variance-based (Sobol) sensitivity indices computed from their results.
 *
 * A design file (YAML) names parameters with a range
 * (min, max) or explicit levels, a design kind and the number of
 * replicates per point (every key, its default and meaning: docs/design.md):
 *
 *     name: paper-two-thirds
 *     design: saltelli          # grid | oat | lhs | saltelli
 *     samples: 256              # lhs: points; saltelli: base samples N
 *     replicates: 4             # runs per point, each with its own seed
 *     seed: 20181017            # LHS permutations, bootstrap; runs' seeds
 *     stochastic: true          # optional: override the scenario's choice.rule
 *     parameters:
 *       - {key: threshold.tau, min: 0.5, max: 0.85}
 *       - {key: "leaders[transactional].temperament", levels: [1, 1.5, 2, 3]}
 *       - {key: "actors[role=ally].dependence", op: scale, min: 0.5, max: 1.5}
 *
 * This module knows nothing of scenarios: a key is a string it keeps (with
 * its line and column, so that the sweep engine can report a key the
 * scenario does not have at its place in the file).  It generates the
 * points and estimates Sobol indices; the engine (orderlab/sweep.h) applies
 * the points to a scenario and runs them.
 *
 * Points (npoints × nparams values, row-major, built at load time):
 *   grid      every combination of the parameters' levels (a range with
 *             `steps: K` gives K evenly spaced levels, min and max included),
 *             the last parameter varying fastest;
 *   oat       one-at-a-time: point 0 is every parameter at its baseline,
 *             then each parameter in turn through its levels (baseline value
 *             skipped) with the others at their baseline;
 *   lhs       Latin hypercube: `samples` points, each parameter's range cut
 *             into `samples` equal strata, exactly one point per stratum,
 *             uniform within it, strata permuted independently per
 *             parameter (gsl_rng_mt19937 seeded from the design seed,
 *             splitmix64-mixed and folded to the 32 bits MT19937 takes; per
 *             parameter in order: gsl_ran_shuffle of the strata, then one
 *             uniform draw per point in order);
 *   saltelli  Saltelli (2010) sampling: base matrices A and B (N × p) from
 *             the first 2p dimensions of a Sobol low-discrepancy sequence
 *             (gsl_qrng_sobol, p <= 20), scaled to the ranges: row j is
 *             point j of GSL's sequence, which starts after the all-zero
 *             point (nothing else is skipped); the points are
 *             ordered in blocks of p + 2 per base row j:
 *             A_j, B_j, AB_j^(1), ..., AB_j^(p)  (AB^(i) = A with column i
 *             from B), so npoints = N (p + 2).
 * The sampled designs (lhs, saltelli) map a uniform u in [0, 1) to a value:
 * a range gives min + u (max - min); levels give level floor(u K) of K (each
 * equally likely); an integer range gives min + floor(u (max - min + 1))
 * (each whole number from min to max equally likely).
 *
 * Runs: run k is point k / replicates, replicate k % replicates, seeded
 * ol_design_seed(design seed, k) = ol_model_seed(design seed, k) — a
 * counter-based derivation (splitmix64 of the base seed and the run index: a
 * pure function of both, no sequential state), so that any run can be rerun
 * alone, and run k of a sweep draws what run k of `orderlab simulate --runs`
 * with the same seed draws.
 *
 * Ownership: ol_design_load* allocate an ol_design freed with ol_design_free;
 * its arrays belong to it.  Read-only after loading: may be shared between
 * threads.  No global state.
 *
 * Errors: OL_EIO (file), OL_EPARSE (YAML syntax), OL_EVALIDATE (a value:
 * err has file, line, column and the key, e.g. "parameters[2].min", the
 * parameters numbered from 1; every problem of a file is found, the first is
 * returned and the message ends with the count of the others),
 * OL_EINVAL (bad arguments), OL_ENOMEM.
 */
#ifndef ORDERLAB_DESIGN_H
#define ORDERLAB_DESIGN_H

#include "orderlab/common.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ol_design_kind {
    OL_DESIGN_GRID = 0,
    OL_DESIGN_OAT,
    OL_DESIGN_LHS,
    OL_DESIGN_SALTELLI,
    OL_DESIGN_KIND_COUNT
} ol_design_kind;

/* How a point's value acts on the scenario (applied by the sweep engine). */
typedef enum ol_design_op {
    OL_DESIGN_SET = 0, /* the parameter takes the value */
    OL_DESIGN_SCALE    /* the parameter's own value (as built) is multiplied by it */
} ol_design_op;

enum { OL_DESIGN_KEY_MAX = 128, OL_DESIGN_NAME_MAX = 128 };

typedef struct ol_design_param {
    char key[OL_DESIGN_KEY_MAX]; /* as written: "threshold.tau", "leaders[NAME].temperament", ... */
    ol_design_op op;
    double min, max;       /* the range (levels: their min and max) */
    size_t nlevels;        /* levels (from `levels`, or grid/oat `steps`); 0 for a sampled range */
    double *levels;        /* [nlevels], strictly ascending as written; lhs/saltelli draw from them */
    double baseline;       /* oat: value while others vary (`baseline`, default: the middle
                              level (the lower of two), or the midpoint of the range (integer:
                              rounded down); one within 1e-9 of the range of a level is that
                              level) */
    int integer;           /* `integer: true`: values are whole numbers (min, max, levels and
                              baseline must be; `steps` levels are rounded) */
    long line, column;     /* where the parameter's key is in the file (1-based) */
} ol_design_param;

typedef struct ol_design {
    char name[OL_DESIGN_NAME_MAX];
    char path[OL_ERROR_PATH_MAX]; /* file it came from ("" for text) */
    ol_design_kind kind;
    size_t nparams;
    ol_design_param *params;     /* [nparams] */
    size_t samples;              /* lhs: points; saltelli: base rows N; else 0 */
    size_t replicates;           /* >= 1 */
    uint64_t seed;
    int stochastic;              /* -1: the scenario's choice.rule; 0 argmax; 1 logit */
    size_t npoints;
    double *points;              /* [npoints × nparams], row-major */
} ol_design;

OL_API ol_status ol_design_load(const char *path, ol_design **out, ol_error *err);
/* The same from YAML text in memory (name is used in messages). */
OL_API ol_status ol_design_load_text(const char *text, size_t len, const char *name, ol_design **out,
                                     ol_error *err);
OL_API void ol_design_free(ol_design *d);

/* Stable lower-case name of a kind ("grid", "oat", "lhs", "saltelli"); -1 / NULL when unknown. */
OL_API const char *ol_design_kind_name(ol_design_kind k);
OL_API int ol_design_kind_parse(const char *s);

/* npoints × replicates. */
OL_API uint64_t ol_design_runs(const ol_design *d);
/* The values of point i ([nparams]); NULL when i >= npoints. */
OL_API const double *ol_design_point(const ol_design *d, size_t i);
/* The seed of run k: a counter-based derivation from the base seed. */
OL_API uint64_t ol_design_seed(uint64_t base, uint64_t run);

/* ------------------------------------------------------------ Sobol indices */
typedef struct ol_sobol_index {
    double S1, S1_lo, S1_hi; /* first-order index and its bootstrap interval */
    double ST, ST_lo, ST_hi; /* total-order index and its bootstrap interval */
} ol_sobol_index;

/*
 * First-order (Saltelli 2010) and total (Jansen 1999) indices of p inputs
 * from N base rows: yA[j] = f(A_j), yB[j] = f(B_j), yAB[i*N + j] = f(AB_j^(i)).
 * Percentile bootstrap over the base rows (nboot resamples, 0: intervals
 * = the estimate), seeded, at confidence level conf (e.g. 0.95).  A zero
 * output variance gives OL_EVALIDATE (indices undefined), never a NaN.
 * out has p entries.  Deterministic for a seed.
 */
OL_API ol_status ol_sobol_indices(size_t N, size_t p, const double *yA, const double *yB, const double *yAB,
                                  size_t nboot, double conf, uint64_t seed, ol_sobol_index *out,
                                  ol_error *err);

/* The same from a Saltelli design's outputs y[npoints] in point order (e.g. each
 * point's mean over its replicates).  OL_EINVAL unless d is a saltelli design. */
OL_API ol_status ol_sobol_from_design(const ol_design *d, const double *y, size_t nboot, double conf,
                                      uint64_t seed, ol_sobol_index *out, ol_error *err);

#ifdef __cplusplus
}
#endif
#endif
