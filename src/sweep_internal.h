/* Internal to the sweep engine (include/orderlab/sweep.h): the plan's
 * structure, shared helpers, and the process layer (sweep_mpi.c, the only
 * file that includes mpi.h). */
#ifndef OL_SWEEP_INTERNAL_H
#define OL_SWEEP_INTERNAL_H

#include "orderlab/sweep.h"

#include <stdio.h>

/* What a design parameter changes. */
typedef enum { SW_PARAM, SW_LEADER, SW_ACTOR } sw_kind;
/* Fields of a leader profile and of an actor a key may name. */
enum { SW_LEADER_TEMPERAMENT, SW_LEADER_OMEGA };
enum { SW_ACTOR_DEPENDENCE, SW_ACTOR_OUTSIDE, SW_ACTOR_ALIGNMENT, SW_ACTOR_GROWTH };

typedef struct sw_target {
    sw_kind kind;
    ol_design_op op;
    int field;        /* SW_LEADER_* or SW_ACTOR_* */
    size_t pindex;    /* SW_PARAM: the index of the double in ol_model_params */
    size_t n;         /* SW_LEADER, SW_ACTOR: the profiles or actors it changes */
    size_t *idx;
    const ol_scenario_field *range; /* min, max and open ends of the values */
} sw_target;

struct ol_sweep_plan {
    const ol_model_world *w;
    ol_model_params p;
    int stochastic;
    const ol_design *d;
    ol_sweep_options opt;
    sw_target *t; /* [d->nparams] */
    size_t heat[2]; /* the heat map's parameters (indices into d->params) */
};

/* The files of a sweep directory. */
#define SW_FILE_DESIGN "design.yaml"
#define SW_FILE_SCENARIO "scenario.yaml"
#define SW_FILE_MANIFEST "manifest.csv"
#define SW_FILE_MAGNITUDES_CSV "magnitudes.csv" /* where the world's magnitudes come from */
#define SW_FILE_MAGNITUDES_MD "magnitudes.md"
#define SW_FILE_RUNS "runs.csv"
#define SW_FILE_AGGREGATE "aggregate.csv"
#define SW_FILE_HEATMAP "heatmap.csv"
#define SW_FILE_SOBOL "sobol.csv"
#define SW_FILE_SUMMARY "summary.json"
#define SW_FILE_ID ".sweep"
#define SW_DIR_PARTS "parts"
#define SW_FIG_HEATMAP "sweep_heatmap"
#define SW_FIG_SENSITIVITY "sweep_sensitivity"

/* A line of runs.csv is at most this long (the error is cut to
 * OL_SWEEP_ERROR_MAX and doubles at most in quoting). */
enum { SW_ROW_MAX = 4 * OL_SWEEP_ERROR_MAX };

/* dir/name, malloc'ed (NULL on allocation failure). */
char *sw_path(const char *dir, const char *name);
/* FNV-1a 64 over n bytes (util/fnv.h), continuing from h (start with
 * SW_FNV_INIT).  The start value is not FNV's offset basis (a digit short)
 * but stays as it is: it seeds the world hash that sweep directories keep,
 * and a directory written earlier must still resume. */
#define SW_FNV_INIT 1469598103934665603ull
uint64_t sw_fnv(uint64_t h, const void *p, size_t n);
/* The identity of what decides the rows of a design: keys, ops, points,
 * replicates, seed, the choice rule and the wave definition. */
uint64_t sw_design_hash(const ol_sweep_plan *pl);
/* The value of run's point for parameter j. */
double sw_value(const ol_sweep_plan *pl, uint64_t run, size_t j);
/* A whole file read into memory (NUL-terminated), or NULL (errno set). */
char *sw_slurp(const char *path, size_t *len);
/* Writes text to path through path.tmp and a rename. */
ol_status sw_write_atomic(const char *path, const char *text, size_t len, ol_error *err);

/* ------------------------------------------------------------ execution internals */

/* Reads the finished runs of dir (runs.csv and parts/part-*.csv), dropping
 * a truncated last line; sets their bits in done[(nruns+7)/8]; *ndone gets
 * their count and *session the next session number.  Rank 0 only. */
ol_status sw_scan(const char *dir, uint64_t nruns, unsigned char *done, uint64_t *ndone, unsigned *session,
                  ol_error *err);
/* Merges runs.csv and the part files of dir into runs.csv (through a
 * temporary file), checks that it holds runs 0..nruns-1, counts the failed
 * ones and removes the part files. */
ol_status sw_merge(const char *dir, uint64_t nruns, uint64_t *failed, ol_error *err);

/* ------------------------------------------------------------ the process layer (sweep_mpi.c) */

/* This process's rank and the number of ranks (0 and 1 unless mpi and MPI
 * is initialised). */
void sw_procs(int mpi, int *rank, int *size);
/* Broadcasts n bytes from rank 0 (nothing unless mpi). */
void sw_bcast(int mpi, void *buf, size_t n);
/* The sum over the ranks. */
uint64_t sw_sum_u64(int mpi, uint64_t v);

/* The shared counter that hands out runs: a fetch-and-add on rank 0's
 * window under MPI, a plain integer in one process.  Collective new/free
 * under MPI.  fetch_add and stop are called by one thread at a time. */
typedef struct sw_counter sw_counter;
ol_status sw_counter_new(int mpi, sw_counter **out, ol_error *err);
uint64_t sw_counter_fetch_add(sw_counter *c, uint64_t n);
/* Moves the counter beyond any run: every later fetch finds no work. */
void sw_counter_stop(sw_counter *c);
void sw_counter_free(sw_counter *c);

#endif
