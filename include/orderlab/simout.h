/*
 * orderlab/simout.h — the outputs of `orderlab simulate`: tidy CSV tables,
 * a JSON summary, the scenario echoed as YAML, the two figures, and the run
 * recorded in the store.  docs/simulate.md describes every column.
 *
 * Two layers:
 *  - Table writers (ol_simout_write_header / ol_simout_write_rows) write one
 *    table of one run to a FILE the caller passes.  They read a model result
 *    and the world it ran on (for the codes of actors, institutions and
 *    leaders) and print every number with the fewest digits that read back
 *    to the same double (at most 17), so that identical results give
 *    identical bytes and every number round-trips.
 *  - A writer object (ol_simout) for a directory: open it, add the runs one
 *    by one, finish.  The four CSV tables hold the first `detail_runs` runs
 *    row by row (a Monte Carlo of 10,000 runs would otherwise write
 *    gigabytes); every run enters the summary's shares.  Files are written
 *    under temporary names and renamed into place only when every one of
 *    them is complete, inside the store transaction that records the run: a
 *    failure leaves neither half-written files nor a half-recorded run.
 *
 * Nothing here prints, and nothing reads or writes anything but the
 * directory, the FILE and the store the caller passes.
 *
 * Ownership: the world, results, scenario and metadata are borrowed for the
 * duration of each call (ol_simout copies what it keeps: the metadata's
 * strings, the events of the detailed runs, the tallies).  Errors: OL_EINVAL
 * (inconsistent arguments: a result not of the world's shape, a run added
 * twice or out of range), OL_EIO (a file or directory, err->file names it),
 * OL_ESTORE, OL_ENOMEM.  Not thread-safe per object.
 */
#ifndef ORDERLAB_SIMOUT_H
#define ORDERLAB_SIMOUT_H

#include "orderlab/common.h"
#include "orderlab/model.h"
#include "orderlab/plot.h"
#include "orderlab/scenario.h"
#include "orderlab/store.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The tidy tables (one row per run and ...). */
typedef enum ol_simout_table {
    OL_SIMOUT_ACTOR_YEAR = 0, /* actor_year.csv: ... actor and year */
    OL_SIMOUT_INST_YEAR,      /* institution_year.csv: ... institution and year */
    OL_SIMOUT_ACTIONS,        /* actions.csv: ... recorded action (event) */
    OL_SIMOUT_METRICS,        /* metrics.csv: ... year (order metrics) */
    OL_SIMOUT_TABLE_COUNT
} ol_simout_table;

/* The file name of a table ("actor_year.csv"); NULL when out of range. */
OL_API const char *ol_simout_table_file(ol_simout_table t);

/* The header line of a table (column names, '\n'-terminated). */
OL_API ol_status ol_simout_write_header(ol_simout_table t, FILE *f, ol_error *err);

/* The rows of one run (run: the run's number, 0-based) of result r, computed
 * on world w.  OL_EINVAL when r is not of w's shape; OL_EIO on a write error. */
OL_API ol_status ol_simout_write_rows(ol_simout_table t, FILE *f, size_t run, const ol_model_world *w,
                                      const ol_model_result *r, ol_error *err);

/* What every output echoes, so that a result can be rerun. */
typedef struct ol_simout_meta {
    const char *scenario_name; /* required */
    uint64_t scenario_hash;    /* ol_scenario_hash of the scenario run */
    uint64_t seed;             /* the base seed; run i used ol_model_seed(seed, i) when stochastic */
    int stochastic;            /* logit choices and random draws */
    size_t runs;               /* runs that will be added (>= 1) */
    size_t detail_runs;        /* runs written row by row into the CSV tables and the store:
                                  runs 0..detail_runs-1; 0 = all */
    double tau;                /* τ, the threshold drawn in the ratio figure */
} ol_simout_meta;

typedef struct ol_simout ol_simout;

/*
 * Prepares the outputs in directory dir (created if missing, its parent must
 * exist) for runs on world w.  The CSV tables are opened under temporary
 * names at once, so that an unwritable directory fails here with OL_EIO.
 */
OL_API ol_status ol_simout_open(const char *dir, const ol_model_world *w, const ol_simout_meta *meta,
                                ol_simout **out, ol_error *err);

/* Adds run `run` (0..runs-1, each once, in any order; the figures and the
 * summary's per-institution actions are those of run 0). */
OL_API ol_status ol_simout_add(ol_simout *o, size_t run, const ol_model_result *r, ol_error *err);

/*
 * Writes summary.json and scenario.yaml (sc may be NULL: no scenario.yaml,
 * e.g. for a world built in code), then — with a store (may be NULL) — in
 * one transaction inserts the runs row (kind 'simulate', status 'ok',
 * scenario = the hash in hex, seed, params = the JSON of the scenario's
 * parameters and the run options) and the events of the detailed runs
 * (run_events), renames the files into place and commits.  *run_id (may be
 * NULL) gets the runs row id (0 without a store).  Every run must have been
 * added.  On failure the temporary files are removed and the store is as it
 * was.  Call once; then free.
 */
OL_API ol_status ol_simout_finish(ol_simout *o, const ol_scenario *sc, ol_store *store, int64_t *run_id,
                                  ol_error *err);

/* Removes the temporary files of an unfinished writer; NULL is fine. */
OL_API void ol_simout_free(ol_simout *o);

/* The summary of the runs added so far, as the text of summary.json
 * (malloc'ed, caller frees; NULL on allocation failure). */
OL_API char *ol_simout_summary_json(const ol_simout *o);

/* The facts of run 0 that the CLI prints: first threat and first exit of
 * the hegemon (0 when none), and the institutions exited (out at the end),
 * threatened (at least once), renegotiated (at least once) and kept (a
 * member throughout, never threatened nor exited), as codes separated by
 * ", " in the caller's buffers (the text is cut at size − 1). */
typedef struct ol_simout_facts {
    int first_threat, first_exit;
    size_t nexited, nthreatened, nrenegotiated, nkept;
} ol_simout_facts;
OL_API void ol_simout_facts_get(const ol_simout *o, ol_simout_facts *facts, char *exited, char *threatened,
                                char *renegotiated, char *kept, size_t size);

/* ------------------------------------------------------------ figures */

/* The file names of the figures, without extension. */
#define OL_SIMOUT_FIG_RATIO "power_ratio"
#define OL_SIMOUT_FIG_MAP "action_map"

/*
 * Draws the two figures of run r (normally run 0) on world w into dir, in
 * each format whose bit (1u << ol_plot_format) is set in formats:
 * power_ratio.<ext> — P_C/P_H against τ with the hegemon's actions and the
 * leader profiles' periods; action_map.<ext> — the institution × year map of
 * actions.  Errors as ol_plot_gdp_figure.
 */
OL_API ol_status ol_simout_figures(const char *dir, const ol_model_world *w, const ol_model_result *r,
                                   const ol_simout_meta *meta, unsigned formats, ol_error *err);

#ifdef __cplusplus
}
#endif
#endif
