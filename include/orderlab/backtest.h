/*
 * orderlab/backtest.h — the model of exit diplomacy (退出外交) against the
 * record: a run from a start year with only the data known then, scored
 * against the exit-event catalog (docs/backtest.md).
 *
 * ol_backtest_run sets the scenario's years.start and power.known_until to
 * the start year Y (power data up to Y, projections after: docs/model.md §8),
 * runs the model once, deterministically (argmax, whatever the scenario's
 * choice.rule: a prediction, not a draw), and hands the result and the
 * catalog's events to ol_backtest_score.
 *
 * ol_backtest_score is pure: it maps the model's institution-years and the
 * hegemon's catalog events to the same classes (stay, threaten, exit,
 * renegotiate, and "out" for the years between an exit and the return) and
 * scores them: a confusion matrix of institution-years, the timing error of
 * each institution's first action, and every miss with the account of the
 * hegemon's choice that dominated it, computed from the result's rows.
 * Nothing is fitted: the score reads the run as it is.
 *
 * Ownership: an ol_backtest belongs to the caller (ol_backtest_free); the
 * world, parameters, result, scenario and events passed in are read, never
 * kept.  No global state; the library never prints (the writers write to the
 * FILE the caller passes).
 *
 * Errors: OL_EINVAL for a window outside the scenario's years (err->field
 * "from" or "to") or missing arguments; OL_EVALIDATE, OL_ENOTFOUND, OL_ESTORE
 * from the world builder and the catalog; OL_EIO from the writers; OL_ENOMEM.
 */
#ifndef ORDERLAB_BACKTEST_H
#define ORDERLAB_BACKTEST_H

#include "orderlab/catalog.h"
#include "orderlab/common.h"
#include "orderlab/model.h"
#include "orderlab/scenario.h"
#include "orderlab/store.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The default start year: the last year of data the run may use (see
 * docs/backtest.md for the reasons: nine years before the catalog's first
 * exit of the period, and a decade of built-in GDP data before it for the
 * projection's growth). */
#define OL_BACKTEST_DEFAULT_FROM 2008
/* The default last year scored: the end of the catalog's period (the paper's
 * Table 1.1 and footnotes run to 2019; later events are not catalogued, so a
 * later year would count every later action as a false alarm). */
#define OL_BACKTEST_DEFAULT_TO 2019

/* The classes compared, per institution and year. */
typedef enum ol_backtest_class {
    OL_BT_STAY = 0,    /* a member, no threat */
    OL_BT_THREATEN,    /* threatened to leave and stayed (model: a refused threat, escalation) */
    OL_BT_EXIT,        /* left (the year of the decision) */
    OL_BT_RENEGOTIATE, /* a threat that led to revised terms (model: a conceded threat) */
    OL_BT_OUT,         /* outside after an exit, up to and including the year of the return */
    OL_BT_CLASS_COUNT,
    OL_BT_NA = OL_BT_CLASS_COUNT /* not scored: the institution inactive or the hegemon not yet joined */
} ol_backtest_class;

/* The hegemon's accounts (docs/model.md §4.2) as terms of a utility. */
typedef enum ol_backtest_account {
    OL_BT_ACC_SPILLOVER = 0, /* Y, 溢出效应 (and the escalation loss, a share of Y) */
    OL_BT_ACC_CONSUMPTION,   /* X, 消耗效应 */
    OL_BT_ACC_CONSTRAINT,    /* Z, 松绑 */
    OL_BT_ACC_PRIVILEGE,     /* R, privilege rents (制度非中性) */
    OL_BT_ACC_FUNCTIONAL,    /* F, functional gains (功能属性) */
    OL_BT_ACC_REPUTATION,    /* Rep */
    OL_BT_ACC_SYSTEMIC,      /* ω S, systemic damage */
    OL_BT_ACC_COUNT
} ol_backtest_account;

/* Why a miss happened, in the model's terms. */
typedef enum ol_backtest_reason {
    OL_BT_REASON_ACCOUNT = 0, /* an account dominated the choice (miss.account) */
    OL_BT_REASON_TERMS,       /* the model would have threatened, but agreed terms were in force
                                 (bargaining.terms_years after joining or a renegotiation) */
    OL_BT_REASON_COUNT
} ol_backtest_reason;

/* Stable lower-case names: "stay", "threaten", "exit", "renegotiate", "out",
 * "n/a"; "spillover", "consumption", "constraint", "privilege", "functional",
 * "reputation", "systemic"; "account", "terms_in_force". */
OL_API const char *ol_backtest_class_name(ol_backtest_class c);
OL_API const char *ol_backtest_account_name(ol_backtest_account a);
OL_API const char *ol_backtest_reason_name(ol_backtest_reason r);

/* The model's institution-year action as a class: STAY → stay, ESCALATE →
 * threaten, RENEGOTIATE → renegotiate, EXIT → exit, STAY_OUT and REJOIN →
 * out, anything else → n/a. */
OL_API ol_backtest_class ol_backtest_class_of_action(ol_model_action a);

/*
 * The class and year of a catalog event (the mapping table of
 * docs/backtest.md): threatened-exit → threaten in the announced year;
 * threatened-renegotiated, threatened-termination-revised → renegotiate in
 * the announced year; procedure-partly-started → renegotiate when the notice
 * was withdrawn or the body revised (reversal reversed, revised, replaced),
 * else threaten, in the announced year; exited, shelved,
 * rejects-jurisdiction, unsigned, walked-out, refused-to-sign,
 * refused-to-ratify → exit in the notified year, else the effective, else
 * the announced one.  Returns 0 (and leaves *cls, *year alone) when the
 * event has no such year or an unknown status.
 */
OL_API int ol_backtest_classify_event(const ol_event *ev, ol_backtest_class *cls, int *year);

/*
 * The terms of the hegemon's utility of `alternative` (OL_BT_EXIT or
 * OL_BT_THREATEN) in institution k and year index j of result r, by account,
 * in shares of P_H (docs/model.md §6.1), rebuilt from the result's rows (the
 * accounts, p_concede, σ, the hegemon's power) and the leader profile in
 * force: U_exit = σ(λ_Y Y + λ_X X + λ_Z Z) − F − R − Rep − ω S, and
 * U_threaten = p V + (1 − p) max(U_exit, −ε σ λ_Y Y) − φ Rep split the same
 * way.  Their sum is the utility (*total).  OL_EINVAL for indices out of
 * range or another alternative.
 */
OL_API ol_status ol_backtest_decompose(const ol_model_world *w, const ol_model_params *p, const ol_model_result *r,
                                       size_t j, size_t k, ol_backtest_class alternative,
                                       double terms[OL_BT_ACC_COUNT], double *total, ol_error *err);

typedef struct ol_backtest_timing {
    char inst[OL_MODEL_CODE_MAX];
    int predicted_year;            /* first threaten/exit/renegotiate in the window, 0 = none */
    ol_backtest_class predicted;   /* its class (OL_BT_NA when none) */
    int observed_year;             /* the same in the record */
    ol_backtest_class observed;
    int has_error;                 /* both years present */
    int error;                     /* predicted_year − observed_year (negative: early) */
} ol_backtest_timing;

typedef struct ol_backtest_miss {
    int year;
    char inst[OL_MODEL_CODE_MAX];
    ol_backtest_class predicted, observed;
    const char *event_id;          /* the catalog event behind the observed class, or NULL (from
                                      ol_backtest_score: borrowed from the events passed in) */
    ol_backtest_reason reason;
    ol_backtest_class alternative; /* the utility explained: OL_BT_EXIT or OL_BT_THREATEN */
    double utility;                /* that utility, share of P_H (stay is 0) */
    ol_backtest_account account;   /* the dominant account (reason OL_BT_REASON_ACCOUNT) */
    double contribution;           /* its term in the utility, share of P_H */
    double terms[OL_BT_ACC_COUNT]; /* every account's term */
    double sigma;                  /* σ that year */
} ol_backtest_miss;

typedef struct ol_backtest {
    int from, to;                  /* the years scored */
    int known_until;               /* the last data year the run used (the world's power_data_end) */
    char scenario[128];            /* the scenario's name */
    char hegemon[OL_MODEL_CODE_MAX];
    size_t ninst;
    /* confusion[observed][predicted], institution-years of the window with both classes scored */
    size_t confusion[OL_BT_CLASS_COUNT][OL_BT_CLASS_COUNT];
    size_t scored, agree;          /* cells, and cells on the diagonal */
    size_t events_used;            /* the hegemon's catalog events on the scenario's institutions in the window */
    size_t events_unscored;        /* ... of which in a year the model does not score (n/a) */
    ol_backtest_timing *timing;    /* [ninst], in the scenario's order */
    ol_backtest_miss *misses;      /* [nmisses], by institution then year */
    size_t nmisses;
    ol_backtest_class *predicted;  /* [nyears × ninst], year-major (j = year − from) */
    ol_backtest_class *observed;
    char *ids;                     /* ol_backtest_run: its own copy of the misses' event ids */
    /* ol_backtest_run only (ol_backtest_score leaves them 0 / empty): */
    int hold_leader;               /* 1: the start year's leader profile was held for the whole run */
    char leader[64];               /* the hegemon's leader profile in force in the start year */
    size_t leaders_dropped;        /* later profiles left out because of hold_leader */
} ol_backtest;

OL_API void ol_backtest_free(ol_backtest *bt);

/*
 * Scores result r of world w (run with parameters p) against events (any
 * catalog rows: those of other actors than w's hegemon, of institutions not
 * in w, or outside from..to are skipped) over the years from..to (inside
 * r's years, else OL_EINVAL naming "from" or "to").  Events before `from`
 * are not carried in: the run starts from the world's memberships.
 * Complexity: O(years × institutions + events × institutions).
 */
OL_API ol_status ol_backtest_score(const ol_model_world *w, const ol_model_params *p, const ol_model_result *r,
                                   const ol_event_list *events, int from, int to, ol_backtest **out,
                                   ol_error *err);

typedef struct ol_backtest_options {
    int from;          /* start year and last data year; 0: OL_BACKTEST_DEFAULT_FROM */
    int to;            /* last year scored; 0: OL_BACKTEST_DEFAULT_TO, or the scenario's end if earlier */
    int hold_leader;   /* 1: the leader profile in force in the start year stays in force to the end;
                          the scenario's later profiles (and their years: hindsight a forecaster in
                          the start year did not have) are dropped.  0 (default): as the scenario */
} ol_backtest_options;

/*
 * Runs scenario sc from opt->from with power.known_until = opt->from (opt may
 * be NULL: the defaults) and scores it against the store's catalog (all of
 * the hegemon's rows).  from must lie in the scenario's years (else
 * OL_EINVAL, field "from"); sc is not changed.  bt->known_until is the
 * world's last data year (the builder's power_data_end); the misses' event
 * ids are copied into the result.  With opt->hold_leader the run sees only
 * the scenario's leader profiles that start in or before the start year (the
 * last of them rules throughout); bt->leader names the profile in force in
 * the start year either way.
 */
OL_API ol_status ol_backtest_run(ol_store *store, const ol_scenario *sc, const ol_backtest_options *opt,
                                 ol_backtest **out, ol_error *err);

/* The output tables (docs/backtest.md): confusion.csv (observed × predicted
 * counts), timing.csv, misses.csv.  OL_EIO when writing fails. */
typedef enum ol_backtest_table {
    OL_BT_TABLE_CONFUSION = 0,
    OL_BT_TABLE_TIMING,
    OL_BT_TABLE_MISSES,
    OL_BT_TABLE_COUNT
} ol_backtest_table;

OL_API const char *ol_backtest_table_file(ol_backtest_table t); /* "confusion.csv", ... */
OL_API ol_status ol_backtest_write_csv(const ol_backtest *bt, ol_backtest_table t, FILE *f, ol_error *err);

/* The headline figures of a backtest, derived from its confusion matrix and
 * timings; summary.json, the CLI and the report all quote these. */
typedef struct ol_backtest_summary {
    double accuracy;       /* agree / scored (0 when nothing is scored) */
    double always_stay;    /* what the naive forecast "the hegemon always stays" scores: observed
                              stays / scored, the bar a model must clear */
    size_t exits_predicted, exits_observed; /* institution-years of the class exit */
    size_t timing_both;    /* institutions where both the model and the record act */
    size_t timing_predicted_only, timing_observed_only, timing_neither;
    double mean_abs_error; /* years off, mean over timing_both (NAN when none) */
    double mean_error;     /* signed, predicted − observed: negative is early (NAN when none) */
} ol_backtest_summary;

OL_API void ol_backtest_summarise(const ol_backtest *bt, ol_backtest_summary *s);

/* summary.json: the window, the scenario, accuracy, per-class precision and
 * recall, the timing summary (mean absolute and mean signed error over the
 * institutions with both years; counts of predicted-only, observed-only),
 * the confusion matrix and the misses.  Returns a malloc'ed string (free), or
 * NULL when out of memory. */
OL_API char *ol_backtest_summary_json(const ol_backtest *bt);

#ifdef __cplusplus
}
#endif
#endif
