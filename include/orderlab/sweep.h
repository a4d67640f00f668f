/*
 * orderlab/sweep.h — the sweep engine: a design (orderlab/design.h) run over
 * a scenario (orderlab/scenario.h) on the model (orderlab/model.h), on
 * OpenMP threads and MPI ranks, with per-run summaries, aggregates, Sobol
 * indices, figures and a runs row in the store.  docs/sweep.md describes
 * the command, every output file and column, and the execution model.
 *
 * Layers, each usable alone:
 *  - the design file: ol_sweep_design_load reads the design (design.h) and
 *    the engine's own options, kept in the file's `sweep:` section;
 *  - a plan (ol_sweep_plan_new): the design's keys resolved against a built
 *    world and its parameters, with the values every point gives checked
 *    against their ranges before anything runs;
 *  - a worker (ol_sweep_worker_new): one thread's model simulation, reused
 *    from run to run (ol_model_sim_update keeps its power-index cache), that
 *    runs run k and summarises it into an ol_sweep_row;
 *  - execution (ol_sweep_execute): every run of the plan into part files in
 *    a directory, on threads and ranks, resumable, then merged into runs.csv;
 *  - the report (ol_sweep_report): aggregate.csv, sobol.csv, heatmap.csv,
 *    summary.json and the figures from runs.csv;
 *  - the whole command (ol_sweep_run) and the reopening of a sweep directory
 *    to rerun one run (ol_sweep_dir_open).
 *
 * Keys a design may name (each parameter's `key`):
 *   - a scalar parameter of the scenario (OL_SCENARIO_PARAMS) that is a
 *     parameter of the model, e.g. `threshold.tau`, `leader.temperament`;
 *     the keys the world builder reads (years.*, seed, power.series,
 *     power.vintage, power.default_growth) and the text and term keys are
 *     refused: a sweep builds its world once;
 *   - `leaders[NAME].temperament` or `.systemic_weight`: every leader
 *     profile named NAME, or every profile with `*`;
 *   - `actors[SEL].dependence`, `.outside_option`, `.alignment` or
 *     `.growth`, SEL an actor code (`JPN`), `role=ROLE` (`role=ally`: every
 *     actor of the role) or `*` (every actor).
 * Op `set` gives the value; op `scale` multiplies the value as the world
 * builder built it (or as the scenario gave it, for scalar keys).  The
 * values are checked against the key's range (the scenario schema's range
 * for scalar keys; [0, 1] for shares, > -1 for growth, >= 0 for leader
 * profiles) for every point, before any run.
 *
 * Determinism: run k is point k / replicates with the seed
 * ol_design_seed(design seed, k); its row depends on nothing else, so the
 * outputs are byte-identical whatever the number of threads or ranks.
 *
 * Ownership: objects come in _new/_free (or _open/_free) pairs; a plan
 * borrows the world, the design and the options it was made from (keep them
 * alive and unchanged while it lives) and is read-only after creation, so
 * that workers in several threads may share it; a worker belongs to one
 * thread.  The library never prints.
 *
 * Errors: OL_EVALIDATE for a key or value of the design (err has the design
 * file, line, column and the key), OL_EPARSE for YAML syntax or a corrupt
 * part file, OL_EIO for files, OL_EINVAL for bad arguments or a directory
 * holding another sweep, OL_EUNSUPPORTED for MPI in a build without it,
 * OL_EINTERRUPTED when the progress callback asks to stop, and the model's
 * codes for a failed run, OL_ESTORE, OL_ENOMEM.
 */
#ifndef ORDERLAB_SWEEP_H
#define ORDERLAB_SWEEP_H

#include "orderlab/common.h"
#include "orderlab/design.h"
#include "orderlab/model.h"
#include "orderlab/scenario.h"
#include "orderlab/simulate.h"
#include "orderlab/store.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ options */

/*
 * The engine's options, from the design file's `sweep:` section:
 *
 *     sweep:
 *       wave: {min_exits: 3, window: 4}   # an exit wave: >= 3 exits within 4 years
 *       bins: 5                           # bins of a range in aggregate.csv and the heat map
 *       heatmap: [threshold.tau, "leaders[transactional].temperament"]
 *       bootstrap: 1000                   # Sobol bootstrap resamples
 *       confidence: 0.95                  # Wilson and bootstrap intervals
 *
 * The defaults are judgement, documented in docs/sweep.md: three exits
 * within four years (one presidential term) is a wave rather than single
 * exits; five bins keep about 20 % of the runs per bin.
 */
typedef struct ol_sweep_options {
    uint32_t wave_min_exits;             /* >= 1 */
    uint32_t wave_window;                /* years, >= 1 */
    uint32_t bins;                       /* >= 1 */
    char heatmap[2][OL_DESIGN_KEY_MAX];  /* "" and "": the design's first two parameters */
    uint32_t bootstrap;                  /* >= 0 (0: Sobol intervals = the estimate) */
    double confidence;                   /* in (0, 1) */
    long heatmap_line, heatmap_column;   /* where `heatmap` is in the file (0: not given) */
} ol_sweep_options;

OL_API void ol_sweep_options_default(ol_sweep_options *o);

/*
 * Loads a design file: the design (ol_design_load_text on the file's text
 * with its `sweep:` section blanked out, so that lines and columns stay
 * those of the file; d->path is set to path, or to name for a text, so
 * that messages about keys name it) and the options of its
 * `sweep:` section (defaults for what it leaves out).  Errors as
 * ol_design_load, and OL_EVALIDATE for an option (file, line, column,
 * "sweep.wave.window").  *design is NULL on error.
 */
OL_API ol_status ol_sweep_design_load(const char *path, ol_design **design, ol_sweep_options *opt, ol_error *err);
OL_API ol_status ol_sweep_design_load_text(const char *text, size_t len, const char *name, ol_design **design,
                                           ol_sweep_options *opt, ol_error *err);

/* ------------------------------------------------------------ the plan */

typedef struct ol_sweep_plan ol_sweep_plan;

/*
 * Resolves the keys of design d against world w (the world as built, e.g.
 * ol_simulate_world_model) and its parameters p, and checks every point's
 * values against the keys' ranges.  stochastic: 0 argmax, 1 logit (the
 * caller resolves the design's -1).  opt NULL: the defaults.  A heat-map key
 * must be one of the design's parameters.  w, p, d and opt are borrowed.
 * Complexity: O(points × parameters × actors).
 */
OL_API ol_status ol_sweep_plan_new(const ol_model_world *w, const ol_model_params *p, int stochastic,
                                   const ol_design *d, const ol_sweep_options *opt, ol_sweep_plan **out,
                                   ol_error *err);
OL_API void ol_sweep_plan_free(ol_sweep_plan *pl);

OL_API const ol_design *ol_sweep_plan_design(const ol_sweep_plan *pl);
OL_API const ol_model_world *ol_sweep_plan_world(const ol_sweep_plan *pl);
OL_API const ol_sweep_options *ol_sweep_plan_options(const ol_sweep_plan *pl);
OL_API int ol_sweep_plan_stochastic(const ol_sweep_plan *pl);
/* Runs: ol_design_runs of the design. */
OL_API uint64_t ol_sweep_plan_runs(const ol_sweep_plan *pl);

/*
 * Applies the values of one point (values[nparams]) to copies the caller
 * made of the world's actors (actors[w->nactors]), leader profiles
 * (leaders[w->nleaders]) and the parameters (*p), which must hold the values
 * as built: `scale` multiplies them.  OL_EVALIDATE when a value leaves its
 * range (cannot happen for a point of the plan's design: the plan checked
 * them), naming the key.  O(parameters × actors).
 */
OL_API ol_status ol_sweep_plan_apply(const ol_sweep_plan *pl, const double *values, ol_model_actor *actors,
                                     ol_model_leader *leaders, ol_model_params *p, ol_error *err);

/* ------------------------------------------------------------ one run's summary */

enum { OL_SWEEP_ERROR_MAX = 512 };

/* One row of runs.csv.  Years are 0 when there is none (empty in the CSV). */
typedef struct ol_sweep_row {
    uint64_t run;
    int ok;                                  /* 1 ok, 0 failed */
    char error[OL_SWEEP_ERROR_MAX];          /* the failure ("" when ok) */
    int first_threat_year, first_exit_year;
    uint32_t threats, exits, renegotiations, escalations, rejoins;
    uint32_t exits_effect[3];                /* spillover, consumption, constraint */
    uint32_t exits_level[3];                 /* global, allies, competitor */
    int crossing_year;                       /* first year with P_C/P_H >= τ */
    double final_ratio;                      /* P_C/P_H in the last year */
    int exit_wave, wave_year;                /* wave: 0/1; the year the wave is complete */
    double PG, L, LS, HM;                    /* order metrics in the last year */
} ol_sweep_row;

/*
 * Summarises result r (of world w, threshold tau): counts of the hegemon's
 * threats, exits (by effect and level), renegotiations, escalations and
 * rejoins, first years, the crossing of τ, the exit wave (o->wave_min_exits
 * exits in o->wave_window consecutive years; wave_year is the last year of
 * the first such window) and the last year's metrics.  row->run is kept.
 */
OL_API void ol_sweep_summarise(const ol_model_world *w, const ol_model_result *r, double tau,
                               const ol_sweep_options *o, ol_sweep_row *row);

/* The header of runs.csv, '\n'-terminated. */
OL_API const char *ol_sweep_row_header(void);
/* The row as one CSV line, '\n'-terminated (numbers round-trip exact, the
 * error quoted and on one line).  Returns the length (like snprintf). */
OL_API int ol_sweep_row_format(const ol_sweep_row *row, char *buf, size_t size);
/* Parses one line of runs.csv (without or with its '\n').  OL_EPARSE with
 * the field's name when it is not a row. */
OL_API ol_status ol_sweep_row_parse(const char *line, ol_sweep_row *row, ol_error *err);

/* ------------------------------------------------------------ workers */

typedef struct ol_sweep_worker ol_sweep_worker;

/* A worker of plan pl (borrowed): its own copies of the actors, leader
 * profiles and parameters, its simulation and result buffer. */
OL_API ol_status ol_sweep_worker_new(const ol_sweep_plan *pl, ol_sweep_worker **out, ol_error *err);
OL_API void ol_sweep_worker_free(ol_sweep_worker *wk);

/*
 * Runs run `run` (< ol_sweep_plan_runs): point run / replicates applied to
 * the world as built, seed ol_design_seed(design seed, run).  Always fills
 * *row: on failure ok = 0 and the error, and the status is returned.
 * About 0.2 ms for the default scenario.
 */
OL_API ol_status ol_sweep_worker_run(ol_sweep_worker *wk, uint64_t run, ol_sweep_row *row, ol_error *err);
/* The world, parameters, seed and result of the last run (valid until the
 * next run or the free). */
OL_API const ol_model_world *ol_sweep_worker_world(const ol_sweep_worker *wk);
OL_API const ol_model_params *ol_sweep_worker_params(const ol_sweep_worker *wk);
OL_API uint64_t ol_sweep_worker_seed(const ol_sweep_worker *wk);
OL_API const ol_model_result *ol_sweep_worker_result(const ol_sweep_worker *wk);

/* FNV-1a (64 bit) over every value of a world that a run reads: a sweep
 * directory keeps it, so that a resumed sweep or a rerun refuses a world
 * that the store has changed since. */
OL_API uint64_t ol_sweep_world_hash(const ol_model_world *w);

/* ------------------------------------------------------------ execution */

typedef struct ol_sweep_exec {
    int threads;          /* OpenMP threads per process; 0: OpenMP's default (1 under MPI) */
    int fail_fast;        /* stop at the first failed run */
    int mpi;              /* 1: share the runs with the other ranks (ol_sweep_mpi_init first) */
    uint32_t chunk;       /* runs handed out at a time; 0: a default from runs and ranks */
    ol_progress_fn progress; /* may be NULL; called from one thread at a time, on rank 0 */
    void *progress_ctx;
} ol_sweep_exec;

typedef struct ol_sweep_stats {
    uint64_t runs;        /* of the design */
    uint64_t done_before; /* found finished in the directory */
    uint64_t ran;         /* by this call, over every rank */
    uint64_t failed;      /* rows with status failed, in runs.csv */
    int complete;         /* every run finished and runs.csv written */
    int threads, ranks;
} ol_sweep_stats;

/*
 * Runs every run of the plan that dir does not hold yet.  Each process
 * streams its rows, in run order, into its own part file
 * dir/parts/part-SESSION-RANK.csv (threads hand rows to an ordered writer
 * through a bounded window); rank 0 first reads the part files (and
 * runs.csv) of earlier sessions, dropping a truncated last line, so that
 * finished runs are not run again.  When every run is finished rank 0
 * merges the part files by run (a streaming k-way merge) into runs.csv and
 * removes them.  A failed run is a row with its error; with fail_fast the
 * call stops at the first and returns its status (runs.csv is then not
 * written; a later call goes on).  With x->mpi every rank calls this;
 * runs are handed out in chunks through an MPI one-sided counter
 * (MPI_Fetch_and_op) on rank 0, which also runs its share.  Memory:
 * O(threads × window + runs / 8) (a bit per run for resumption).
 */
OL_API ol_status ol_sweep_execute(const ol_sweep_plan *pl, const char *dir, const ol_sweep_exec *x,
                                  ol_sweep_stats *stats, ol_error *err);

/* ------------------------------------------------------------ the report */

/* What the report echoes. */
typedef struct ol_sweep_meta {
    const char *scenario_name;
    uint64_t scenario_hash;
    uint64_t world_hash;
} ol_sweep_meta;

/*
 * From dir/runs.csv (complete): aggregate.csv (by parameter bins: the
 * probability of an exit wave with Wilson intervals, the mean first exit
 * year and exits), heatmap.csv (the probability over the two heat-map
 * parameters), sobol.csv (saltelli designs: S1 and ST with bootstrap
 * intervals of exit_wave, exits and first_exit_year censored at years.end +
 * 1, from the points' means), summary.json, and the figures in each format
 * whose bit (1u << ol_plot_format) is set (sweep_heatmap, and
 * sweep_sensitivity for saltelli designs).  Streams runs.csv once; memory
 * O(points) for Sobol, O(parameters × bins) otherwise.
 */
OL_API ol_status ol_sweep_report(const ol_sweep_plan *pl, const char *dir, const ol_sweep_meta *meta,
                                 unsigned formats, ol_error *err);

/* ------------------------------------------------------------ the command */

typedef struct ol_sweep_config {
    const char *design_path;  /* the design file */
    const char *dir;          /* the sweep directory (created; its parent must exist) */
    ol_sweep_exec exec;
    unsigned formats;         /* figures, as ol_sweep_report */
} ol_sweep_config;

typedef struct ol_sweep_result {
    ol_sweep_stats stats;
    int64_t run_id;           /* the runs row (0 without a store, or on ranks > 0) */
    char design_name[OL_DESIGN_NAME_MAX];
    uint64_t points, replicates;
    uint64_t waves;           /* runs with an exit wave */
} ol_sweep_result;

/*
 * The whole sweep of scenario sc (borrowed) in cfg->dir: loads the design,
 * prepares the directory (design.yaml: the file copied; scenario.yaml: the
 * canonical scenario; manifest.csv; .sweep: the identity of design,
 * scenario and world), refusing one that holds another sweep (OL_EINVAL),
 * builds the world once from the store (may be NULL), executes, reports,
 * and records a runs row (kind 'sweep') in the store.  Rerun on the same
 * directory, it resumes.  With cfg->exec.mpi every rank calls it with the
 * same arguments; rank 0 alone writes the shared files and the store (the
 * other ranks may pass a read-only store).  res may be NULL.
 */
OL_API ol_status ol_sweep_run(ol_store *store, const ol_scenario *sc, const ol_sweep_config *cfg,
                              ol_sweep_result *res, ol_error *err);

/* A sweep directory reopened: its scenario, design and options, the world
 * rebuilt from the store and the plan. */
typedef struct ol_sweep_dir ol_sweep_dir;

/*
 * Opens sweep directory dir to rerun its runs: loads dir/scenario.yaml and
 * dir/design.yaml, rebuilds the world with the store (may be NULL) and
 * checks it against dir/.sweep (OL_EVALIDATE when the store changed it).
 */
OL_API ol_status ol_sweep_dir_open(ol_store *store, const char *dir, ol_sweep_dir **out, ol_error *err);
OL_API void ol_sweep_dir_free(ol_sweep_dir *sd);
OL_API const ol_scenario *ol_sweep_dir_scenario(const ol_sweep_dir *sd);
OL_API const ol_sweep_plan *ol_sweep_dir_plan(const ol_sweep_dir *sd);
/* The world rebuilt for the directory (borrowed: it lives as long as sd),
 * e.g. for ol_simulate_magnitudes_write. */
OL_API const ol_simulate_world *ol_sweep_dir_world(const ol_sweep_dir *sd);

/* ------------------------------------------------------------ MPI */

/* 1 when the library was built with MPI (ORDERLAB_MPI). */
OL_API int ol_sweep_mpi_built(void);
/* 1 when the environment says an MPI launcher started this process
 * (OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK set). */
OL_API int ol_sweep_mpi_launched(void);
/* Initialises MPI (thread level serialized) and gives this process's rank
 * and the number of ranks.  OL_EUNSUPPORTED without MPI in the build. */
OL_API ol_status ol_sweep_mpi_init(int *rank, int *size, ol_error *err);
/* Waits for every rank (nothing without MPI initialised). */
OL_API void ol_sweep_mpi_barrier(void);
/* Agrees on a status: the largest over the ranks (st itself without MPI). */
OL_API ol_status ol_sweep_mpi_agree(ol_status st);
OL_API void ol_sweep_mpi_finalize(void);

#ifdef __cplusplus
}
#endif
#endif
