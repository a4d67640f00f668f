/*
 * orderlab/history.h — the 2/3 threshold across history: do the leading
 * state's exits from intergovernmental organisations (IGOs) concentrate after
 * another state's power reaches 2/3 of its own?
 *
 * The paper (§4(一)) dates the hegemon's turn to exit diplomacy (退出外交) at
 * the critical point (临界点) where an emerging power reaches 2/3 of its GDP.
 * This module puts that claim to the record: every upward crossing of the
 * threshold by any state against the leader of its year, on several measures
 * of power, and the leader's IGO exits around those years (an event study and
 * a Poisson model).  docs/threshold-history.md states every choice and gives
 * the results on the staged data.
 *
 * Definitions (per measure = series, e.g. NY.GDP.MKTP.CD):
 *   - Leader and crossings: ol_leader_compute (indicators.h): the leader of a
 *     year is the largest state on the measure; a crossing is an UPWARD
 *     crossing of τ by the ratio state/leader within the leader's reign.  By
 *     default only the first upward crossing of each (leader, state) pair in
 *     a reign is an event (later ones are re-crossings: listed, flagged, and
 *     used only with all_crossings = 1).
 *   - Exits (COW IGO memberships, one source): state s EXITS IGO i in year t
 *     when s was a member (full or associate) in t-1 and is coded 'none' in
 *     t, and i still exists in t (institutions.dissolved empty or > t).  A
 *     membership that ends because the IGO dissolved (dissolved <= t, or no
 *     row for t while the IGO's dissolution year is <= t) is a DISSOLUTION,
 *     never an exit; a membership whose next row is missing, 'missing' or
 *     'observer' is neither (the state left the system, the value is unknown,
 *     or it stayed as an observer) and is not at risk that year.
 *   - At risk in t: memberships of t-1 (full or associate) whose IGO has a
 *     row for s in t coded full, associate, observer or none and has not
 *     dissolved.  The exit rate is exits / at risk (per membership-year).
 *   - The catalog: after the last year of the COW data, the leader's exits
 *     are the catalog's events (catalog.h) of status 'exited' whose actor is
 *     the leader and is one of opt->catalog_actors (default: USA, the only
 *     state the catalog covers systematically), placed in ol_event_year; the
 *     memberships at risk are those of the last COW year, carried forward.
 *   - Outcome years of a leader: years with memberships at risk (> 0).
 *   - Event study: for each event (crossing year c, leader L) and each
 *     k in [-window, window], L's exits and exposure in c + k (when that is
 *     an outcome year of L), summed over events; the BASELINE is the
 *     leader-years (y, leader of y) with no event of that leader in
 *     [y - window, y + window].  "pre" pools k < 0, "post" k >= 0.  Other
 *     states' exits in the same calendar years are the contrast.
 *   - Model: Poisson regression of the leader's exits in each leader-year
 *     (y, leader of y, an outcome year), offset log(at risk), with an
 *     intercept, post = 1 when an event of that leader lies in
 *     [y - window, y], and (trend = 1) the year in decades from the mean.
 *     Fitted by iteratively reweighted least squares (gsl_multifit_wlinear);
 *     standard errors from the inverse information matrix; the rate ratio of
 *     post is exp(β) with a Wald interval; the Pearson dispersion φ is
 *     reported and, when φ > 1, the quasi-Poisson interval (se × √φ) too.
 *
 * Confidence intervals of rates are exact Poisson (Garwood) intervals:
 * [χ²(α/2; 2x) / 2, χ²(1 - α/2; 2x + 2) / 2] / exposure.  Rate ratios of
 * the event table use the log-normal interval exp(log RR ± z √(1/x1 + 1/x2))
 * when both counts are > 0 (none otherwise).
 *
 * Ownership: results returned through out-pointers belong to the caller
 * (ol_history_result_free).  Nothing keeps a reference to the store.
 * Errors: OL_EINVAL (options), OL_ENOTFOUND (no COW IGO memberships in the
 * store, field "memberships"; or none of the series, field "series"),
 * OL_ESTORE, OL_ENOMEM.  A measure missing from the store is not an error:
 * it is listed with status OL_ENOTFOUND and left out.
 * Complexity: one pass over the IGO source's memberships (an indexed
 * self-join, O(rows)), plus O(reigns × states × years) per measure.
 */
#ifndef ORDERLAB_HISTORY_H
#define ORDERLAB_HISTORY_H

#include "orderlab/countries.h"
#include "orderlab/indicators.h"
#include "orderlab/plot.h"
#include "orderlab/store.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The event window (years each side of a crossing) and the model's "after a
 * crossing" window: a decade, the horizon on which the paper reads the
 * Japanese precedent (the 1970s) and the Chinese case (since 2015). */
#define OL_HISTORY_DEFAULT_WINDOW 10
/* Confidence level of every interval. */
#define OL_HISTORY_DEFAULT_LEVEL 0.95
/* The paper's dating of Japan's crossing: "the seventies" (七十年代). */
#define OL_HISTORY_CLAIM_FROM 1970
#define OL_HISTORY_CLAIM_UNTIL 1979
/* The US–Japan ratio is read from the start of the American-led order (as
 * the US–Japan case of ol_crossings_compute): before it the ratio compares
 * two economies of another world (Maddison's 1820 Japan is 1.5 times the US). */
#define OL_HISTORY_JAPAN_FROM 1946
/* IRLS stops when the deviance changes by less than this relative amount, or
 * after the iteration limit (then converged = 0). */
#define OL_HISTORY_DEFAULT_TOL 1e-10
#define OL_HISTORY_DEFAULT_MAX_ITER 100

enum { OL_HISTORY_MAX_SERIES = 16, OL_HISTORY_MAX_COEF = 3 };

typedef struct ol_history_options {
    const char *const *series;   /* NULL: NY.GDP.MKTP.CD, pwt.cgdpo, maddison.gdp, nmc.cinc */
    size_t nseries;              /* <= OL_HISTORY_MAX_SERIES */
    double threshold;            /* τ, default 2/3 */
    int window;                  /* >= 1, default OL_HISTORY_DEFAULT_WINDOW */
    int all_crossings;           /* 1: re-crossings are events too */
    int trend;                   /* 1 (default): the model has a time trend */
    int use_catalog;             /* 1 (default): the catalog after the COW data end */
    const char *const *catalog_actors; /* NULL: {"USA"} */
    size_t ncatalog_actors;
    double level;                /* default 0.95 */
    int claim_from, claim_until; /* the decade the paper dates Japan's crossing in */
    int japan_from;              /* first year of the US–Japan ratio (0 = all) */
    double tol;                  /* IRLS tolerance */
    int max_iter;                /* IRLS iteration limit */
} ol_history_options;

OL_API void ol_history_options_init(ol_history_options *opt);

/* One upward crossing (an event when used = 1). */
typedef struct ol_history_crossing {
    char series[OL_SERIES_CODE_MAX];
    char leader[OL_CODE_MAX];
    char challenger[OL_CODE_MAX];
    char challenger_name[128];
    int year;                    /* first year at or above τ */
    int prev_year;
    double ratio_before, ratio_after;
    int across_gap;
    int nth;                     /* 1 = the first upward crossing of the pair in the reign */
    int used;                    /* 1: an event of the event study */
    int in_outcome;              /* 1: the leader has outcome data within the window */
} ol_history_crossing;

typedef enum ol_history_row_kind {
    OL_HISTORY_ROW_K = 0,        /* one event time k */
    OL_HISTORY_ROW_PRE,          /* k < 0 pooled */
    OL_HISTORY_ROW_POST,         /* k >= 0 pooled */
    OL_HISTORY_ROW_BASELINE      /* leader-years without an event in the window */
} ol_history_row_kind;

/* A rate with its exact interval; rate, lo and hi are 0 when exposure is 0. */
typedef struct ol_history_rate {
    long count;
    double exposure;             /* membership-years */
    double rate, lo, hi;
} ol_history_rate;

typedef struct ol_history_event_row {
    char series[OL_SERIES_CODE_MAX];
    ol_history_row_kind kind;
    int k;                       /* event time (kind K) */
    int nevents;                 /* events (or leader-years, baseline) with outcome data */
    ol_history_rate leader;      /* the leader's exits */
    ol_history_rate others;      /* every other state's exits in the same years */
    int has_rr;                  /* 1 when rr is defined (leader rate and baseline rate > 0) */
    double rr, rr_lo, rr_hi;     /* leader rate / baseline rate; interval when both counts > 0 */
    int has_rr_ci;
} ol_history_event_row;

/* A Poisson regression fitted by IRLS. */
typedef struct ol_poisson_fit {
    size_t n, p;
    double coef[OL_HISTORY_MAX_COEF];
    double se[OL_HISTORY_MAX_COEF];
    double deviance, null_deviance, pearson, dispersion;   /* dispersion = pearson / (n - p) */
    int iterations;
    int converged;
} ol_poisson_fit;

/*
 * Fits log E[y_i] = offset_i + Σ_j x_ij β_j (x row-major n × p, p <=
 * OL_HISTORY_MAX_COEF; offset may be NULL) by IRLS with
 * gsl_multifit_wlinear.  y must be >= 0 and finite.  OL_EINVAL for bad
 * arguments (n <= p, p = 0 or too large, a negative or non-finite y or x);
 * OL_EVALIDATE when the fit does not converge to finite estimates (e.g. a
 * column whose rows have no counts at all: the estimate runs to -∞).
 */
OL_API ol_status ol_poisson_fit_compute(const double *x, const double *y, const double *offset, size_t n, size_t p,
                                        double tol, int max_iter, ol_poisson_fit *out, ol_error *err);

typedef struct ol_history_model {
    char series[OL_SERIES_CODE_MAX];
    ol_status status;            /* OL_OK, or why it was not estimable (note says) */
    char note[256];
    size_t n;                    /* leader-years */
    long exits;                  /* the leader's exits over them */
    size_t post_years;           /* leader-years with post = 1 */
    long post_exits;
    int from, until;             /* first and last leader-year */
    int trend;
    ol_poisson_fit fit;          /* coef: intercept, post, trend (per decade) */
    double rr, rr_lo, rr_hi;     /* exp(β_post) and its Wald interval */
    double rr_qlo, rr_qhi;       /* quasi-Poisson interval (= Wald when dispersion <= 1) */
} ol_history_model;

/* The ratio Japan / United States on one measure, against the paper's dating. */
typedef struct ol_history_japan {
    char series[OL_SERIES_CODE_MAX];
    char series_name[OL_SOURCE_TEXT_MAX];
    ol_status status;            /* OL_ENOTFOUND: the measure has no common year */
    size_t n;
    ol_ratio_point *points;      /* by year */
    int first_data_year, last_year;
    double peak;
    int peak_year;
    int first_year;              /* first year at or above τ, 0 = never */
    size_t ncrossings;           /* up and down */
    double claim_max;            /* the highest ratio in the claim's decade, 0 = no data */
    int claim_max_year;
} ol_history_japan;

typedef struct ol_history_measure {
    char series[OL_SERIES_CODE_MAX];
    char series_name[OL_SOURCE_TEXT_MAX];
    ol_status status;            /* OL_ENOTFOUND: the series is not in the store */
    size_t nreigns;
    ol_leader_reign *reigns;
    size_t ncrossings, nevents;  /* crossings listed / used as events */
    long cow_exits;              /* the leaders' exits in their COW years */
    long dissolutions;           /* the leaders' memberships ended by dissolution (not exits) */
} ol_history_measure;

typedef struct ol_history_result {
    double threshold;
    int window;
    double level;
    int igo_first, igo_last;     /* years of the COW IGO memberships */
    ol_series_source igo_source;
    int catalog_last;            /* last year of catalog exits used, 0 = none */
    size_t nmeasures;
    ol_history_measure *measures;
    size_t ncrossings;
    ol_history_crossing *crossings;      /* by series, year, challenger */
    size_t nrows;
    ol_history_event_row *rows;          /* by series: k = -W..W, pre, post, baseline */
    size_t nmodels;
    ol_history_model *models;            /* one per measure found */
    size_t njapan;
    ol_history_japan *japan;             /* one per measure */
    int claim_from, claim_until;
} ol_history_result;

/* Runs the study.  Errors as above. */
OL_API ol_status ol_history_compute(ol_store *store, const ol_history_options *opt, ol_history_result **out,
                                    ol_error *err);
OL_API void ol_history_result_free(ol_history_result *r);

/* The figure of one measure (series): the leader's exit rate (per 100
 * memberships) in event time with its interval as a band, and the baseline
 * rate as a dashed line.  Errors as ol_plot_lines_figure; OL_ENOTFOUND when
 * the measure has no event table or no event with IGO data. */
OL_API ol_status ol_history_figure_write(const ol_history_result *r, const char *series, const char *path,
                                         ol_plot_format fmt, ol_error *err);

/* The output tables (docs/threshold-history.md). */
typedef enum ol_history_table {
    OL_HISTORY_TABLE_EVENTS = 0, /* history_events.csv: the event-time table */
    OL_HISTORY_TABLE_CROSSINGS,  /* history_crossings.csv */
    OL_HISTORY_TABLE_MODEL,      /* history_model.csv: the Poisson model per measure */
    OL_HISTORY_TABLE_US_JAPAN,   /* history_us_japan.csv */
    OL_HISTORY_TABLE_COUNT
} ol_history_table;

OL_API const char *ol_history_table_file(ol_history_table t);
/* Writes table t as CSV to f.  OL_EIO when writing fails. */
OL_API ol_status ol_history_write_csv(const ol_history_result *r, ol_history_table t, FILE *f, ol_error *err);
/* summary.json (malloc'ed, free it; NULL when out of memory). */
OL_API char *ol_history_summary_json(const ol_history_result *r);
/* An event-time row's label: "pre", "post", "baseline" or k (in buf). */
OL_API const char *ol_history_row_label(const ol_history_event_row *r, char *buf, size_t n);
/* Writes the four tables, history_summary.json and the event-time figure of
 * each measure that has one (SVG, PNG, PDF) into dir (created when missing);
 * *nfigures (may be NULL) gets the number of measures drawn. */
OL_API ol_status ol_history_write_dir(const ol_history_result *r, const char *dir, size_t *nfigures, ol_error *err);

/* Exact Poisson interval of count x at the given level (x >= 0): lo, hi in
 * counts (divide by the exposure for a rate). */
OL_API void ol_history_poisson_ci(long x, double level, double *lo, double *hi);

#ifdef __cplusplus
}
#endif
#endif
