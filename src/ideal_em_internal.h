/* Internals of the ideal-point estimator shared by ideal_em.c (selection,
 * problems, EM, bootstrap) and ideal_gibbs.c (the Gibbs sampler of the same
 * posterior).  The layout of a problem is described in ideal_em.c. */
#ifndef ORDERLAB_IDEAL_EM_INTERNAL_H
#define ORDERLAB_IDEAL_EM_INTERNAL_H

#include "ideal_internal.h"
#include "ideal_kernel.h"

#include <gsl/gsl_rng.h>
#include <stdint.h>
#include <stdlib.h>

#define ALLOC(ptr, n) (((ptr) = calloc((size_t)(n) != 0 ? (size_t)(n) : 1, sizeof *(ptr))) == NULL)

typedef struct problem {
    int nc;            /* countries */
    int32_t *country;  /* global country index [nc] */
    int32_t *cp_start; /* [nc + 1] */
    int ncp;
    int32_t *cp_session; /* session number [ncp] */
    double *cp_walk;     /* precision of the step from the previous cp [ncp] (0 for a chain's first) */
    double *cp_rho;      /* x_cp = rho x_cp-1 + step [ncp] */
    int32_t *cp_nvotes;  /* [ncp] */
    int ng;              /* items */
    size_t nobs;
    uint32_t *cells;  /* item-major (cp << 2 | code), in the order of the votes [nobs]: the data */
    size_t *istart;   /* item g's cells: [istart[g], istart[g + 1]) [ng + 1] */
    uint32_t *icp;    /* item-major cp of each cell, each item's no | abstain | yes [nobs] */
    size_t *iseg;     /* item g: abstentions from iseg[2g], yes from iseg[2g + 1] [2 ng] */
    uint32_t *citem;  /* cp-major item of each cell, each cp's no | abstain | yes [nobs] */
    size_t *cstart;   /* [ncp + 1] */
    size_t *cseg;     /* as iseg, per cp [2 ncp] */
    size_t *cfill;    /* work space of the partition [3 ncp] */
    uint8_t *has_abstain; /* [ng] */
    double *x, *xprev, *alpha, *beta, *delta;
    double *xvar;          /* variational variance of x [ncp] */
    double *xq;            /* x and E[x^2] = x^2 + var, interleaved [2 ncp] */
    double *vbb, *vab;     /* variational Var(beta), Cov(alpha, beta) [ng] */
    ol_ik_item *items;       /* [ng], 64-byte aligned */
    double *P, *h, *work, *dwork; /* [ncp] */
    double *fit_x, *fit_alpha, *fit_beta, *fit_delta; /* the fit, kept for the bootstrap */
    double *sum, *sum2;                              /* bootstrap moments [ncp] */
    double *gz;                                      /* Gibbs: Geweke z of each position [ncp] */
    int session;                                     /* per-session problems: the session; 0 dynamic */
    int iterations, converged;
    double change;
    int failed;
} problem;

typedef struct em_ctx {
    const ol_tn_table *hz;
    const ol_ik_kernels *k; /* the vector kernels (the same bits as the portable ones) */
    double prior_prec, item_prec;
    int ordinal;
    int parallel; /* use threads inside the passes */
    int threads;
} em_ctx;

/* Cap on the abstention band, in sd of the latent utility: a numerical
 * guard for items whose votes are all abstain/no (the band's MLE is then
 * unbounded); 10 sd is far beyond any estimated band. */
#define DELTA_MAX 10.0
/* Largest Newton step of the band per iteration (sd): keeps the step in the
 * region where the quadratic model of the log-likelihood holds. */
#define DELTA_STEP_MAX 1.0

typedef struct run_ctl {
    ol_progress_fn progress;
    void *ctx;
    int report; /* call progress each iteration (dynamic, top level) */
    int stopped;
} run_ctl;

/* E[x^2] of country-periods [c0, c1) as the item pass reads it (xq). */
void ideal_set_xq(problem *p, int32_t c0, int32_t c1);
/* The anchor's mean position made positive (x and beta flipped). */
void ideal_orient(problem *p, int32_t anchor);
/* A 64-bit mixer (splitmix64's finaliser) for derived seeds. */
uint64_t ideal_mix64(uint64_t z);

/* Sample a fitted problem (the EM fit, oriented) with the Gibbs sampler:
 * o->burn sweeps, then o->draws kept every o->thin-th.  The posterior mean
 * of each position goes to fit_x and sum, its sd to sum2, the kept sweeps'
 * spreads (sd of the positions) to trace [o->draws]; the moves accepted and
 * proposed are added to acc [4]: the bands' (acc[0] of acc[1]) and the
 * window shifts' (acc[2] of acc[3]).  rng: one generator per
 * thread.  Returns -1 when out of memory, 1 when ctl's progress stopped it,
 * else 0. */
int ideal_gibbs_run(problem *p, const em_ctx *e, const ol_ideal_options *o, uint64_t seed, gsl_rng **rng,
                    int32_t anchor, run_ctl *ctl, double *trace, long *acc);

/* The log posterior ratio of shifting positions a..b (a window of the chain
 * [c0, c1)) by s, items held, y* integrated out: the Metropolis ratio of
 * the sampler's window shifts (ideal_gibbs.c). */
double ideal_window_shift_logratio(const problem *p, double prior_prec, int32_t c0, int32_t c1, int32_t a, int32_t b,
                                   double s);

/* A draw of y* ~ N(mu, 1) given the vote's category code (0 no: y* < 0;
 * 1 abstain: 0 <= y* < d; 2 yes: y* >= d), from r. */
double ideal_draw_ystar(gsl_rng *r, double mu, double d, int code);

/* The per-position Geweke diagnostic: the kept draws are cut into
 * GEWEKE_BATCHES batches of (nearly) equal length; the first
 * GEWEKE_FIRST batches (10 %) are compared with the last GEWEKE_LAST (50 %),
 * the variance of a batch mean taken from the last ones' spread (t with
 * GEWEKE_LAST - 1 degrees of freedom under a converged chain).  Twenty
 * batches keep the work space at 20 doubles per position. */
#define GEWEKE_BATCHES 20
#define GEWEKE_FIRST 2
#define GEWEKE_LAST 10
/* z from the batch means bm [GEWEKE_BATCHES] of one position (0 when the
 * last batches do not vary and the means agree, +-INFINITY when they do not
 * vary but the means differ). */
double ideal_geweke_batches(const double *bm);

/* Geweke's z of a trace v [n]: the mean of its first 10 % against the
 * last 50 %, each mean's variance from batch means (batches of sqrt of the
 * segment's length, so that autocorrelation counts); NAN when n < 40. */
double ideal_geweke(const double *v, int n);

#endif
