/*
 * orderlab/ideal.h — ideal points of the UN General Assembly estimated here
 * from the roll calls in the store (the paper's Figure 4.2, and the
 * alignment the model starts from).
 *
 * The model is the one-dimensional item-response model of roll-call voting
 * (Clinton–Jackman–Rivers), fitted by EM as Imai, Lo and Olmsted do: each
 * vote is the sign of a latent utility difference
 *
 *     y*_ij = alpha_g(j) + beta_g(j) * x_i,t(j) + e_ij,   e_ij ~ N(0, 1)
 *
 * where i is a country, j a roll call in session t(j) and g(j) its item
 * (a roll call, or a group of identical recurring resolutions: bridging).
 *   - binary: yes (y* >= 0) / no (y* < 0); abstentions are missing.
 *   - ordinal: no (y* < 0) / abstain (0 <= y* < delta_g) / yes (y* >= delta_g),
 *     delta_g >= 0 the item's abstention band.
 *   - time: OL_IDEAL_BINARY and OL_IDEAL_ORDINAL fit each session on its own
 *     (x_i,t ~ N(0, prior_sd^2), items per roll call), so that positions are
 *     comparable within a session only.  OL_IDEAL_DYNAMIC fits all sessions
 *     at once, x_i,first ~ N(0, prior_sd^2) and, per session elapsed,
 *     x_i,t ~ N(rho x_i,t-1, walk_sd^2) with rho = sqrt(1 - walk_sd^2 /
 *     prior_sd^2), so that every session's positions have the same N(0,
 *     prior_sd^2) prior (stationary; OL_IDEAL_WALK_RANDOM: rho = 1, the
 *     random walk of Martin and Quinn), and bridges the
 *     sessions through resolutions that recur with the same text (one item,
 *     one set of parameters): the approach of Bailey, Strezhnev and Voeten
 *     (2017) in an EM fit.
 * The EM treats x and the item parameters as parameters (posterior mode);
 * the E-step is the truncated-normal mean of y* (from tables: absolute
 * error below 2e-8, docs/ideal.md §6), the M-steps are a ridge
 * regression per item and, per country, the exact Gaussian smoother of its
 * chain (tridiagonal solve).  The abstention band is updated by a guarded
 * Newton step on the observed likelihood.  docs/ideal.md has the equations,
 * defaults and their sources, and the validation against published
 * estimates.
 *
 * options.method = OL_IDEAL_METHOD_GIBBS samples the same posterior instead
 * (Albert-Chib data augmentation, a Metropolis step for each band, and
 * moves of the location and scale that the votes cannot see), started from
 * the EM fit: positions are posterior means, se posterior sds; the fit
 * reports Geweke's z of the positions' spread (docs/ideal.md §1, §5).
 *
 * Identification and polarity: the prior fixes the scale; the sign is
 * fixed by the anchor country (default USA), whose mean position is made
 * positive (per session for the per-session models).  A fit whose anchor has
 * no votes is refused (OL_EVALIDATE) unless the anchor is "" (sign left as
 * the start values give it).
 *
 * Bad input is counted, never fatal unless nothing is left: votes whose code
 * is not 1/2/3, votes for roll calls that are not loaded, roll calls outside
 * the years, unanimous and lopsided roll calls (minority share < lop),
 * countries with fewer than min_votes usable votes.  A sample with fewer
 * than 2 countries or no usable roll call does not identify the model:
 * OL_EVALIDATE naming what is missing.  The fit never returns a NaN: a
 * non-finite iterate stops it with OL_EVALIDATE.
 *
 * Ownership: objects returned through out-pointers belong to the caller and
 * are freed with their _free function (NULL accepted).  Nothing keeps a
 * reference to the store after a call returns.  The estimator allocates all
 * its work space before the first iteration.
 * Threads: the E/M passes use OpenMP (options.threads, 0 = the OpenMP
 * default); the per-item and per-country sums are each computed by one
 * thread in a fixed order, so results are bitwise identical for any thread
 * count.  On x86-64 processors with AVX2 or AVX-512 the passes use vector
 * kernels (options.kernels) that return the same bits as the portable ones.
 */
#ifndef ORDERLAB_IDEAL_H
#define ORDERLAB_IDEAL_H

#include <stddef.h>
#include <stdint.h>

#include "orderlab/common.h"
#include "orderlab/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ol_ideal_model {
    OL_IDEAL_BINARY = 0, /* yes/no, one fit per session */
    OL_IDEAL_ORDINAL,    /* yes/abstain/no, one fit per session */
    OL_IDEAL_DYNAMIC     /* yes/abstain/no, random walk across sessions, bridged */
} ol_ideal_model;

/* How a country's position moves from session to session (dynamic model). */
typedef enum ol_ideal_walk {
    OL_IDEAL_WALK_STATIONARY = 0, /* AR(1): x_t = rho x_t-1 + u, stationary sd prior_sd, step sd walk_sd */
    OL_IDEAL_WALK_RANDOM,         /* random walk: x_t = x_t-1 + u, u ~ N(0, walk_sd^2) */
    OL_IDEAL_WALK_NONE            /* independent sessions, x_t ~ N(0, prior_sd^2): linked by bridging only */
} ol_ideal_walk;

/* How recurring resolutions are recognised (dynamic model only). */
typedef enum ol_ideal_bridge {
    OL_IDEAL_BRIDGE_NONE = 0, /* every roll call its own item */
    OL_IDEAL_BRIDGE_TEXT      /* same normalised description (and title) in another session */
} ol_ideal_bridge;

/* Which vector kernels the E-step may use: the widest the processor has,
 * up to the one named.  Every choice returns the same bits (tested); only
 * the speed differs (docs/ideal.md §6). */
typedef enum ol_ideal_kernels {
    OL_IDEAL_KERNELS_AUTO = 0, /* the widest: AVX-512, else AVX2, else portable */
    OL_IDEAL_KERNELS_PORTABLE, /* scalar C */
    OL_IDEAL_KERNELS_AVX2,     /* at most AVX2 */
    OL_IDEAL_KERNELS_AVX512    /* at most AVX-512 (as auto) */
} ol_ideal_kernels;

/* How the model is fitted (docs/ideal.md §1). */
typedef enum ol_ideal_method {
    OL_IDEAL_METHOD_EM = 0, /* variational EM: independent Gaussian factors for positions and items */
    OL_IDEAL_METHOD_GIBBS   /* Gibbs sampler of the same posterior, started from the EM fit */
} ol_ideal_method;

enum { OL_IDEAL_CODE_MAX = 8 };

typedef struct ol_ideal_options {
    ol_ideal_model model;
    int from_year, to_year;       /* roll calls dated in [from, to]; 0 = open */
    double lop;                   /* drop roll calls whose minority share < lop */
    int min_votes;                /* drop countries with fewer usable votes in the range */
    double tol;                   /* stop when corr(x_k, x_k-1) > 1 - tol ... */
    int max_iter;                 /* ... or after max_iter iterations */
    int threads;                  /* OpenMP threads; 0 = default */
    char anchor[OL_IDEAL_CODE_MAX]; /* ISO3 of the country on the positive side; "" = none */
    double prior_sd;              /* sd of x in a session (static) or the first session (dynamic) */
    double walk_sd;               /* sd of a position's step per session (dynamic) */
    ol_ideal_walk walk;           /* dynamic: stationary AR(1) (default) or random walk */
    double item_sd;               /* sd of the normal prior of alpha and beta */
    ol_ideal_bridge bridge;       /* dynamic model: how roll calls are bridged */
    int bridge_min_chars;         /* descriptions shorter than this never bridge */
    int bootstrap;                /* parametric-bootstrap replicates for se (0: no se) */
    uint64_t seed;                /* seed of the bootstrap */
    ol_ideal_kernels kernels;     /* vector kernels allowed (speed only: the same bits) */
    ol_ideal_method method;       /* EM (default), or a Gibbs sampler started from the EM fit */
    int burn;                     /* Gibbs: sweeps discarded after the EM start */
    int draws;                    /* Gibbs: sweeps kept (every thin-th after burn) */
    int thin;                     /* Gibbs: keep every thin-th sweep */
} ol_ideal_options;

/* The defaults of docs/ideal.md for a model. */
OL_API void ol_ideal_options_init(ol_ideal_options *o, ol_ideal_model model);

/* "auto", "portable", "avx2", "avx512" as options.kernels; else OL_EINVAL. */
OL_API ol_status ol_ideal_kernels_parse(const char *s, ol_ideal_kernels *out, ol_error *err);

/* "em", "gibbs" as options.method; else OL_EINVAL. */
OL_API ol_status ol_ideal_method_parse(const char *s, ol_ideal_method *out, ol_error *err);

/* "binary", "ordinal", "dynamic" and back; parse returns OL_EINVAL. */
OL_API const char *ol_ideal_model_name(ol_ideal_model m);
OL_API ol_status ol_ideal_model_parse(const char *s, ol_ideal_model *out, ol_error *err);
/* The estimate name under which a model's points are stored:
 * "orderlab-binary", "orderlab-ordinal", "orderlab-dynamic". */
OL_API const char *ol_ideal_model_estimate(ol_ideal_model m);

/* What the loader and the estimator kept, dropped and why. */
typedef struct ol_ideal_counts {
    long rollcalls_read;     /* roll calls offered */
    long rollcalls_range;    /* ... outside from/to years (dropped) */
    long rollcalls_unanimous;/* ... with no minority among the usable votes (dropped) */
    long rollcalls_lopsided; /* ... with minority share < lop (dropped) */
    long rollcalls_used;
    long items;              /* items after bridging (= rollcalls_used without) */
    long bridged_rollcalls;  /* roll calls that share their item with another session */
    long votes_read;         /* votes offered */
    long votes_bad_code;     /* code not 1 (yes), 2 (abstain), 3 (no) */
    long votes_unknown_rollcall;
    long votes_duplicate;    /* a second vote of a country on a roll call (first kept) */
    long votes_abstain_missing; /* binary model: abstentions treated as missing */
    long votes_dropped;      /* on dropped roll calls or by dropped countries */
    long votes_used;
    long countries_read;
    long countries_too_few;  /* fewer than min_votes usable votes (dropped) */
    long countries_used;
    long periods_unidentified; /* per-session models: sessions left out (too few countries or roll calls) */
} ol_ideal_counts;

/* The roll-call matrix, in the compact form the estimator iterates on. */
typedef struct ol_ideal_votes ol_ideal_votes;

OL_API ol_status ol_ideal_votes_new(ol_ideal_votes **out, ol_error *err);
OL_API void ol_ideal_votes_free(ol_ideal_votes *v);
/* Declare a roll call.  bridge_key may be NULL (never bridged); it is the
 * text that identifies a recurring resolution (the store loader passes the
 * title and description).  A second declaration of the same rcid is
 * OL_EVALIDATE. */
OL_API ol_status ol_ideal_votes_add_rollcall(ol_ideal_votes *v, int64_t rcid, int session, int year,
                                             const char *bridge_key, ol_error *err);
/* Record a vote: code 1 yes, 2 abstain, 3 no.  Votes with other codes or
 * for undeclared roll calls are counted (ol_ideal_votes_counts) and
 * ignored; only OL_ENOMEM and OL_EINVAL (NULL/empty country) are errors. */
OL_API ol_status ol_ideal_votes_add(ol_ideal_votes *v, int64_t rcid, const char *country, int code,
                                    ol_error *err);
OL_API const ol_ideal_counts *ol_ideal_votes_counts(const ol_ideal_votes *v);
/* Load every roll call and vote of the store (tables roll_calls, votes);
 * the estimator drops and counts the roll calls outside o's years
 * (rollcalls_range).  o is reserved for loader options. */
OL_API ol_status ol_ideal_votes_load(ol_store *store, const ol_ideal_options *o, ol_ideal_votes **out,
                                     ol_error *err);

/* One estimated position. */
typedef struct ol_ideal_point {
    char country[OL_IDEAL_CODE_MAX];
    int session;
    int year;      /* the year most of the session's roll calls are dated */
    double value;
    double se;     /* bootstrap standard error, or the posterior sd (Gibbs); NAN when neither */
    int nvotes;    /* usable votes of the country in the session */
    double geweke_z; /* Gibbs: Geweke's z of this position's draws (first 10 % of the kept draws
                        against the last 50 %, in 20 batches: docs/ideal.md §1); NAN for EM or
                        fewer than 20 draws */
} ol_ideal_point;

/* A position counts as still moving when its Geweke z exceeds this in
 * absolute value: under a converged chain z is t with 9 degrees of freedom
 * (the last 10 batches estimate the variance), and |t9| > 3 has probability
 * 1.5 %, reported beside the observed share (ol_ideal_fit.geweke_expected). */
#define OL_IDEAL_GEWEKE_Z 3.0
/* How many countries the fit names as moving most. */
enum { OL_IDEAL_GEWEKE_TOP = 5 };

/* A country with positions still moving at the end of the Gibbs run. */
typedef struct ol_ideal_moving {
    char country[OL_IDEAL_CODE_MAX];
    int moving;    /* its sessions with |geweke_z| > OL_IDEAL_GEWEKE_Z */
    int sessions;  /* its sessions with a position */
    double max_z;  /* the largest |geweke_z| among them */
} ol_ideal_moving;

typedef struct ol_ideal_fit {
    ol_ideal_options options;
    ol_ideal_counts counts;
    size_t n;                 /* points, sorted by country then session */
    ol_ideal_point *points;
    int iterations;           /* EM iterations (the largest over sessions for per-session models) */
    int converged;            /* 1 when every fit met tol before max_iter */
    double last_change;       /* 1 - corr of the last two iterates (largest over sessions) */
    double seconds;           /* wall time of the estimation (without bootstrap) */
    const char *kernels;      /* the kernels that ran: "portable", "avx2" or "avx512" (static) */
    double bootstrap_seconds;
    /* Gibbs only (0 for EM): sweeps run after the EM start, their wall time,
     * the share of accepted moves of the abstention bands and of the window
     * shifts of the positions (docs/ideal.md §1), and Geweke's z of
     * the positions' spread (sd over all country-sessions per kept sweep):
     * first 10 % of the kept sweeps against the last 50 %, |z| > 2 says
     * the chain was still moving. */
    int sweeps;
    double gibbs_seconds;
    double band_accept;
    double shift_accept;
    double geweke_z;
    /* Gibbs, per position (NAN / 0 when fewer than 20 draws were kept): the
     * share of the points whose |geweke_z| exceeds OL_IDEAL_GEWEKE_Z, the
     * share a converged chain gives (2 P(t9 > OL_IDEAL_GEWEKE_Z)), and the
     * countries with most such sessions (ties: the larger max_z), at most
     * OL_IDEAL_GEWEKE_TOP, only countries with at least one. */
    double geweke_moving;
    double geweke_expected;
    ol_ideal_moving geweke_top[OL_IDEAL_GEWEKE_TOP];
    int ngeweke_top;
} ol_ideal_fit;

/* Fit the model.  progress (may be NULL) is called with (iteration or
 * replicate, total); a non-zero return stops the fit (OL_EINTERRUPTED). */
OL_API ol_status ol_ideal_estimate(const ol_ideal_votes *v, const ol_ideal_options *o, ol_progress_fn progress,
                                   void *progress_ctx, ol_ideal_fit **out, ol_error *err);
OL_API void ol_ideal_fit_free(ol_ideal_fit *f);

/* Write the points as CSV: estimate,country,session,year,value,se,nvotes. */
OL_API ol_status ol_ideal_fit_write_csv(const ol_ideal_fit *f, const char *path, ol_error *err);
/* Store the points (table ideal_points, estimate ol_ideal_model_estimate,
 * period_kind 'session', run_id of a new runs row of kind 'ideal' whose
 * params echo the options and counts as JSON).  One transaction; the points
 * of an earlier fit of the same estimate are replaced, so that the store
 * holds one current fit per model. */
OL_API ol_status ol_ideal_fit_save(ol_store *store, const ol_ideal_fit *f, int64_t *run_id, ol_error *err);

#ifdef __cplusplus
}
#endif

#endif
