/*
 * orderlab/simulate.h — the bridge from a scenario, the store and the
 * built-in facts to the model of exit diplomacy (orderlab/model.h).
 *
 * ol_simulate_world_new turns a scenario into an ol_model_world: the actors'
 * power, growth, trade surpluses with the hegemon, dependence, outside
 * options and alignment; the institutions' decision rules, vote weights,
 * cost shares, budgets and constraint flags; the leader profiles.  Design
 * comes from the scenario; magnitudes from the store when the data behind
 * them are imported and cover what the model needs (power, alignment, the
 * goods surplus with the hegemon, goods trade for dependence, the assessed
 * budgets and cost shares, the IMF voting power), else from
 * data/model_institutions.csv and data/model_facts.csv (compiled in).  Every
 * rule is documented in docs/model.md §8; every magnitude used is listed
 * with its origin (ol_simulate_world_magnitudes).
 *
 * ol_simulate_run runs a scenario once or N times (Monte Carlo) and
 * summarises what the hegemon did.  Nothing here writes files or prints; the
 * store is only read.
 *
 * Ownership: an ol_simulate_world owns every array its model world points
 * to; free it with ol_simulate_world_free after the last use of the world.
 * Results of ol_simulate_run belong to the caller (ol_model_result_free,
 * ol_simulate_summary_free).  No global state.
 *
 * Errors: OL_EVALIDATE for a scenario the builder cannot turn into a world
 * (err->field names the scenario key, e.g. "actors[3].code", or the
 * institution: "institutions[5] (WB)"), OL_ENOTFOUND when a requested
 * series is missing and no built-in fallback applies, OL_EINVAL from the
 * model's own checks, OL_ESQL from the store, OL_ENOMEM.
 */
#ifndef ORDERLAB_SIMULATE_H
#define ORDERLAB_SIMULATE_H

#include "orderlab/common.h"
#include "orderlab/model.h"
#include "orderlab/scenario.h"
#include "orderlab/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where the actors' power came from. */
typedef enum ol_simulate_power_source {
    OL_POWER_STORE = 0, /* the store's power.series (and vintage) */
    OL_POWER_FACTS      /* the built-in GDP facts, interpolated geometrically */
} ol_simulate_power_source;

/* Where the initial alignments came from (actors with a scenario value keep it). */
typedef enum ol_simulate_alignment_source {
    OL_ALIGN_IDEALPOINTS = 0, /* the store's UNGA ideal points: orderlab's own dynamic fit
                               * (orderlab ideal estimate) when present, else the
                               * published bsv-all; info.alignment_estimate says which */
    OL_ALIGN_ROLE             /* the documented defaults by role */
} ol_simulate_alignment_source;

/* What the builder used, for the outputs' provenance. */
typedef struct ol_simulate_world_info {
    ol_simulate_power_source power_source;
    char power_series[64];      /* series code */
    char power_vintage[32];     /* vintage used ("" for facts, or when several) */
    int power_data_end;         /* last year of data; later years are projected */
    ol_simulate_alignment_source alignment_source;
    int alignment_year;         /* year of the ideal points used (0: by role) */
    char alignment_estimate[32];/* ideal_points.estimate used ("" by role) */
} ol_simulate_world_info;

/* Where one magnitude of the world came from. */
typedef enum ol_simulate_origin {
    OL_ORIGIN_BUILTIN = 0, /* data/model_institutions.csv or data/model_facts.csv */
    OL_ORIGIN_STORE,       /* imported data (series, import kind, vintage) */
    OL_ORIGIN_SCENARIO,    /* a value or design fact written in the scenario */
    OL_ORIGIN_RULE         /* a documented rule or judgement of the builder, or a
                            * value derived from the others (docs/model.md §8) */
} ol_simulate_origin;

enum { OL_MAGN_ACCOUNT_MAX = 24, OL_MAGN_QUANTITY_MAX = 48, OL_MAGN_UNIT_MAX = 24, OL_MAGN_SOURCE_MAX = 160,
       OL_MAGN_NOTE_MAX = 224 };

/* One magnitude the builder put into the world, with its provenance: one row
 * of magnitudes.csv (orderlab simulate) and of docs/model-magnitudes.md. */
typedef struct ol_simulate_magnitude {
    char subject[OL_MODEL_CODE_MAX];    /* actor or institution code */
    int institution;                    /* 1: subject is an institution, 0: an actor */
    char account[OL_MAGN_ACCOUNT_MAX];  /* the model's account or input it feeds: power,
                                         * growth, spillover, dependence, alignment,
                                         * outside, seats, privilege, consumption,
                                         * constraint, reputation */
    char quantity[OL_MAGN_QUANTITY_MAX];/* e.g. "C_k budget", "c_Hk cost share" */
    double value;                       /* for a series: its value in year_to */
    char unit[OL_MAGN_UNIT_MAX];
    ol_simulate_origin origin;
    char source[OL_MAGN_SOURCE_MAX];    /* store: "series (import kind, vintage V)";
                                         * built-in: "file column|fact [source keys]" */
    int year_from, year_to;             /* the years behind the value (0: none) */
    char note[OL_MAGN_NOTE_MAX];        /* e.g. a partial year left out, a snapshot's date */
} ol_simulate_magnitude;

/* Formats of ol_simulate_magnitudes_write. */
typedef enum ol_simulate_magn_format { OL_MAGN_CSV = 0, OL_MAGN_MARKDOWN } ol_simulate_magn_format;

typedef struct ol_simulate_world ol_simulate_world;

/*
 * Builds the model world of scenario sc (validated by the scenario loader).
 * store may be NULL: power and alignment then come from the built-in facts
 * and the role defaults.  With a store, the power series is used when it
 * has a value for every listed actor and for WLD in the start year
 * (otherwise the built-in facts, unless power.series is not the default GDP
 * series: OL_ENOTFOUND); alignment comes from the ideal points when they
 * cover every listed state in the start year (or the nearest earlier year);
 * an actor's goods surplus with the hegemon from census.* pair values when
 * they have its start year (full years only: a year flagged partial ends the
 * series), its dependence from the 2013 trade; an institution's budget and
 * the hegemon's cost share from the CEB assessed contributions of the
 * institutions table's reference year when the hegemon's payment is stored;
 * per-member vote weights from a stored snapshot that has every listed
 * member (docs/model.md §8).
 * Complexity: O(actors × years + institutions × actors) plus one store query
 * per actor.
 */
OL_API ol_status ol_simulate_world_new(ol_store *store, const ol_scenario *sc, ol_simulate_world **out,
                                       ol_error *err);
OL_API void ol_simulate_world_free(ol_simulate_world *w);
/* The model world (valid until ol_simulate_world_free). */
OL_API const ol_model_world *ol_simulate_world_model(const ol_simulate_world *w);
OL_API const ol_simulate_world_info *ol_simulate_world_info_get(const ol_simulate_world *w);

/* The magnitudes the builder used, in a fixed order (actors in the
 * scenario's order, then institutions); *n their number.  Valid until
 * ol_simulate_world_free.  Values a scenario sets are listed with origin
 * OL_ORIGIN_SCENARIO. */
OL_API const ol_simulate_magnitude *ol_simulate_world_magnitudes(const ol_simulate_world *w, size_t *n);

/* Counts of the magnitudes by origin: counts[OL_ORIGIN_BUILTIN] ... (4 entries). */
OL_API void ol_simulate_world_magnitude_counts(const ol_simulate_world *w, size_t counts[4]);

/* Writes the magnitudes to path (replaced; written to path.tmp and renamed):
 * CSV with the header subject,kind,account,quantity,value,unit,origin,source,
 * years,note (values with the fewest digits that read back exactly), or a
 * Markdown table for the docs (values of 10^4 and more to the unit, others
 * with 6 significant digits).
 * Errors: OL_EIO naming path. */
OL_API ol_status ol_simulate_magnitudes_write(const ol_simulate_world *w, const char *path,
                                              ol_simulate_magn_format format, ol_error *err);

/* ------------------------------------------------------------ runs */
typedef struct ol_simulate_options {
    int seed_set;       /* 1: use seed instead of the scenario's */
    uint64_t seed;
    size_t runs;        /* >= 1; run r uses ol_model_seed(seed, r) */
    int stochastic;     /* -1: from the scenario's choice.rule; 0: argmax; 1: logit */
} ol_simulate_options;

OL_API void ol_simulate_options_init(ol_simulate_options *o); /* scenario seed, 1 run, rule from scenario */

/* Per institution over the runs.  A "first year" histogram has nyears + 1
 * buckets: bucket j counts runs whose first such action fell in year t0 + j,
 * the last counts runs without one. */
typedef struct ol_simulate_inst_summary {
    char code[OL_MODEL_CODE_MAX];
    size_t threat_runs;       /* runs with at least one threat */
    size_t exit_runs;
    size_t renegotiate_runs;
    size_t escalate_runs;
    size_t rejoin_runs;
    double share_threat, share_exit, share_renegotiate, share_escalate, share_rejoin; /* of runs */
    size_t *first_threat;     /* [nyears + 1] */
    size_t *first_exit;       /* [nyears + 1] */
} ol_simulate_inst_summary;

typedef struct ol_simulate_summary {
    size_t runs;
    int stochastic;
    uint64_t seed;            /* the scenario seed (or the override) */
    int t0, t1;
    size_t nyears, ninst;
    ol_simulate_inst_summary *inst; /* [ninst], in the scenario's order */
    size_t *first_threat;     /* [nyears + 1]: the first threat against any institution */
    size_t *first_exit;       /* [nyears + 1]: the first exit from any institution */
} ol_simulate_summary;

OL_API void ol_simulate_summary_free(ol_simulate_summary *s); /* frees the arrays, not s */

/*
 * Builds the world (ol_simulate_world_new) and the parameters
 * (ol_scenario_model_params), then runs opt->runs runs (opt NULL: the
 * defaults).  *first (may be NULL) gets the result of run 0 (free with
 * ol_model_result_free; an earlier result it holds is freed and replaced);
 * *summary (may be NULL) the counts over
 * all runs (free with ol_simulate_summary_free).  Same scenario, store
 * content, options: the same results, byte for byte.  On error nothing is
 * returned (*first as it was, *summary zeroed).
 */
OL_API ol_status ol_simulate_run(ol_store *store, const ol_scenario *sc, const ol_simulate_options *opt,
                                 ol_model_result **first, ol_simulate_summary *summary, ol_error *err);

/* The same on a world built beforehand (e.g. to time runs without the
 * builder); params from ol_scenario_model_params. */
OL_API ol_status ol_simulate_run_world(const ol_simulate_world *w, const ol_model_params *params,
                                       uint64_t seed, size_t runs, int stochastic, ol_model_result **first,
                                       ol_simulate_summary *summary, ol_error *err);

#ifdef __cplusplus
}
#endif
#endif
