/*
 * orderlab/ideal_compare.h — how far an ideal-point estimate in the store
 * agrees with a published one (Bailey, Strezhnev and Voeten's files, or any
 * other estimate).
 *
 * Two estimates are two sets of ideal points, each read from the store by
 * estimate name and period kind (table ideal_points).  Side A is the
 * estimate under test (default "orderlab-dynamic"), side B the reference
 * (default "bsv-all").  ol_ideal_compare_file reads B from a published file
 * through the idealpoints importer (importers.h) into a private in-memory
 * store, so that the file's layouts, rejects and country mapping are exactly
 * those of `orderlab import idealpoints`; the caller's store is only read.
 *
 * Matching.  A point is a (country, key).  When both sides have the same
 * period kind the key is the period (session with session, year with year);
 * when they differ it is the calendar year (the year column, which for a
 * session is the year the session is dated).  A key that occurs twice for a
 * country on one side (two sessions dated in one year) keeps its first row
 * and counts the others as duplicates.  The matched points are the panel.
 *
 * Statistics (docs/ideal-compare.md), with a = side A, b = side B:
 *   - r, rho: Pearson and Spearman correlation over the whole panel;
 *   - per period of A: r and n; a period with fewer than min_n points, or
 *     in which a side does not vary, has no r (NAN) and is counted; then the
 *     median and the minimum of the periods' r;
 *   - per country: r over its periods (NAN below min_n), and the mean of
 *     a - b;
 *   - pooled r: the correlation of the countries' mean a with their mean b,
 *     which is how estimates that have one point per country (static
 *     estimators) are usually compared;
 *   - the common scale: the least-squares line b ≈ intercept + slope·a over
 *     the panel puts A on B's scale; the residual of a point is
 *     b - (intercept + slope·a), and the largest absolute residuals are the
 *     disagreements;
 *   - the calibration across periods, which splits a panel r below the
 *     periods' r into its causes: each period's own line b ≈ c0_t + c1_t·a
 *     and the two sides' standard deviations; r_standardised, the r of A
 *     standardised within each period (mean 0, sd 1) with B as it is; and
 *     r_period_lines, the r of B with each period's own fitted line (the
 *     panel r A would reach if only its periods' locations and scales were
 *     B's).  Both are over the periods that have an r (n_calibrated points).
 * Sign: the estimates are compared as they are.  A negative r means the two
 * put the United States (or whoever) on opposite sides — a polarity problem;
 * `reversed` says so and nothing is flipped.
 *
 * Which rows: an estimate name may be held by several imports or fits (e.g.
 * two vintages of one file).  The newest origin is used (the largest run_id,
 * else the largest source_id) and the number of origins is reported.  When
 * period_kind is NULL the session rows are used if the estimate has any,
 * else the year rows.
 *
 * Errors: OL_ENOTFOUND when side A's estimate (or period kind) is not in the
 * store, or side B's not in the file (the message lists the estimates there
 * are; a fault of side B names its file in err->file, one of side A none,
 * so that the CLI can add the hint to run `orderlab ideal estimate`);
 * ol_ideal_compare_file looks for side A before it reads the file;
 * OL_EVALIDATE when no point matches (the message gives both sides' rows
 * and ranges); the importer's statuses for FILE (OL_EIO unreadable,
 * OL_EPARSE / OL_EVALIDATE bad layout or more rejects than max_rejects);
 * OL_EINVAL for bad options; OL_ESTORE, OL_ENOMEM.
 * Ownership: the result belongs to the caller (ol_ideal_compare_result_free);
 * nothing keeps a reference to the stores or options after a call returns.
 * Complexity: O(n log n) in the rows of the two estimates.
 */
#ifndef ORDERLAB_IDEAL_COMPARE_H
#define ORDERLAB_IDEAL_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "orderlab/common.h"
#include "orderlab/countries.h"
#include "orderlab/importers.h"
#include "orderlab/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Side A when none is named: the dynamic model of ideal.h (its
 * ol_ideal_model_estimate(OL_IDEAL_DYNAMIC)). */
#define OL_IDEAL_COMPARE_DEFAULT_ESTIMATE "orderlab-dynamic"
/* Side B when none is named: Bailey–Strezhnev–Voeten, all votes. */
#define OL_IDEAL_COMPARE_DEFAULT_WITH "bsv-all"
/* Fewest points for a per-period or per-country correlation: with two
 * points r is ±1 whatever the data. */
#define OL_IDEAL_COMPARE_DEFAULT_MIN_N 3
/* Disagreements listed by default. */
#define OL_IDEAL_COMPARE_DEFAULT_TOP 10

enum { OL_IDEAL_ESTIMATE_MAX = 64 };

typedef struct ol_ideal_compare_options {
    const char *estimate;          /* side A; NULL: OL_IDEAL_COMPARE_DEFAULT_ESTIMATE */
    const char *period_kind;       /* "session", "year" or NULL (session if stored, else year) */
    const char *with_estimate;     /* side B; NULL: OL_IDEAL_COMPARE_DEFAULT_WITH */
    const char *with_period_kind;  /* likewise for side B */
    size_t top;                    /* disagreements listed (0: none) */
    size_t min_n;                  /* >= 3 */
    int from_year, to_year;        /* only rows dated in these years (0: no bound) */
    /* ol_ideal_compare_file only: the import of FILE */
    int64_t max_rejects;           /* rejects tolerated; -1 any (the default: nothing is stored) */
    ol_reject_fn on_reject;        /* each reject of FILE; may be NULL */
    void *reject_ctx;
} ol_ideal_compare_options;

/* The defaults above; max_rejects -1. */
OL_API void ol_ideal_compare_options_init(ol_ideal_compare_options *o);

/* One side of the comparison: which rows were read and what became of them. */
typedef struct ol_ideal_compare_side {
    char estimate[OL_IDEAL_ESTIMATE_MAX];
    char period_kind[8];         /* "session" or "year" */
    int64_t source_id, run_id;   /* the origin read (0 when none); source ids of
                                    ol_ideal_compare_file's side B are those of its
                                    private store */
    size_t origins;              /* origins the store has for this estimate and kind */
    size_t rows;                 /* rows read */
    size_t outside;              /* rows dated outside from_year..to_year (left out) */
    size_t duplicates;           /* second rows of a country and key (left out) */
    size_t unmatched;            /* rows without a partner on the other side */
    int period_min, period_max;  /* of the rows read */
    int year_min, year_max;
} ol_ideal_compare_side;

/* One matched point. */
typedef struct ol_ideal_compare_pair {
    char country[OL_CODE_MAX];
    int period;                  /* side A's period (session or year) */
    int year;                    /* side A's year */
    double a, b;                 /* the two values */
    double fitted;               /* intercept + slope·a: A on B's scale (NAN without a line) */
    double residual;             /* b - fitted */
} ol_ideal_compare_pair;

/* The points of one period or one country. */
typedef struct ol_ideal_compare_group {
    char country[OL_CODE_MAX];   /* per country; "" for a period */
    int period, year;            /* per period; 0 for a country */
    size_t n;
    double r;                    /* NAN below min_n or without variation */
    double mean_a, mean_b;
    double mean_diff;            /* mean of a - b (raw scales) */
    double mean_residual;        /* mean residual on the common scale (NAN without a line) */
    double sd_a, sd_b;           /* sample standard deviations (NAN below 2 points) */
    double intercept, slope;     /* the group's own line b ≈ intercept + slope·a (NAN when r is NAN) */
} ol_ideal_compare_group;

typedef struct ol_ideal_compare_result {
    ol_ideal_compare_side a, b;
    int by_year;                 /* 1: matched on the year (period kinds differ) */
    ol_import_summary file;      /* ol_ideal_compare_file: the import of FILE (zero otherwise) */

    size_t n;                    /* points in the panel */
    double r, rho;               /* NAN when n < min_n or a side does not vary */
    int reversed;                /* r < 0: the polarity of the two estimates differs */
    double intercept, slope;     /* b ≈ intercept + slope·a (NAN when r is NAN) */
    ol_ideal_compare_pair *pairs;         /* n points, by country then period */

    ol_ideal_compare_group *periods;      /* by period */
    size_t nperiods;
    size_t periods_missing;               /* periods without r */
    double period_r_median, period_r_min; /* over the periods with r; NAN when none */
    int period_r_min_period, period_r_min_year;

    ol_ideal_compare_group *countries;    /* by country code */
    size_t ncountries;
    size_t countries_missing;             /* countries without r */
    double pooled_r;                      /* over the countries' means (NAN below min_n) */

    /* calibration across periods (NAN when fewer than min_n points qualify) */
    size_t n_calibrated;                  /* points of the periods that have an r */
    double r_standardised;                /* A standardised within each period vs B */
    double r_period_lines;                /* each period's own line vs B */

    ol_ideal_compare_pair *disagree;      /* the largest |residual| first */
    size_t ndisagree;                     /* min(top, n); 0 without a line */
    size_t min_n;                         /* as used */
} ol_ideal_compare_result;

/* Compares estimate A of store with estimate B of with_store (which may be
 * the same store). */
OL_API ol_status ol_ideal_compare_stores(ol_store *store, ol_store *with_store, const ol_ideal_compare_options *o,
                                         ol_ideal_compare_result **out, ol_error *err);

/* Compares estimate A of store with estimate B read from the published file
 * at path (either Bailey–Strezhnev–Voeten layout); out->file has the import's
 * counts, including its rejects. */
OL_API ol_status ol_ideal_compare_file(ol_store *store, const char *path, const ol_ideal_compare_options *o,
                                       ol_ideal_compare_result **out, ol_error *err);

OL_API void ol_ideal_compare_result_free(ol_ideal_compare_result *r);

#ifdef __cplusplus
}
#endif
#endif
