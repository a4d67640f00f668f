/*
 * orderlab/report.h — whole jobs that compose the modules below them.
 *
 * ol_report_run is the main job (`orderlab run`): it makes sure the store has
 * the GDP series (importing a World Bank file, or downloading it, when it
 * does not), then writes into one directory the exit-event catalog, the
 * yearly GDP ratios of the rising powers to the hegemon with every 2/3
 * crossing, every state that ever reached the threshold, and the paper's
 * Figure 4.1 (SVG, PNG, PDF), with a summary.json that records what was used
 * (series, source, vintage, threshold) so that the result can be rerun.
 * Later issues extend it into the full report.
 *
 * Ownership: options are caller-owned; the summary is filled into the
 * caller's struct and owns nothing.
 */
#ifndef ORDERLAB_REPORT_H
#define ORDERLAB_REPORT_H

#include "orderlab/importers.h"
#include "orderlab/indicators.h"
#include "orderlab/store.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { OL_REPORT_MAX_RIVALS = 8, OL_REPORT_MAX_FILES = 16, OL_REPORT_PATH_MAX = 1024 };

typedef struct ol_report_options {
    const char *out_dir;        /* created when missing; required */
    const char *hegemon;        /* the reference state; default "USA" */
    const char *rivals[OL_REPORT_MAX_RIVALS]; /* default CHN, JPN (the paper's Figure 4.1) */
    size_t nrivals;
    const char *series;         /* default OL_SERIES_DEFAULT (GDP, current US$) */
    double threshold;           /* default 2/3 (the paper, §4(一)) */
    const char *gdp_file;       /* a World Bank CSV imported when the store lacks the series; may be NULL */
    const char *gdp_vintage;    /* its vintage; NULL: the importer's rule */
    int allow_fetch;            /* download from the World Bank API when neither has it */
    const char *fetch_base_url; /* NULL: the World Bank's */
    ol_progress_fn progress;    /* for the import or download; may be NULL */
    void *progress_ctx;
} ol_report_options;

/* Defaults as documented above; out_dir NULL (must be set). */
OL_API void ol_report_options_init(ol_report_options *opt);

typedef struct ol_report_rival {
    char code[OL_CODE_MAX];
    char name[OL_NAME_MAX];
    int first_year;       /* first year at or above the threshold, 0 = never */
    int sustained_year;   /* 0 = none */
    size_t ncrossings;
    double peak;
    int peak_year;
    int last_year;
    double last_ratio;
} ol_report_rival;

typedef struct ol_report_summary {
    int gdp_loaded;                 /* 0 already in the store, 1 imported from gdp_file, 2 downloaded */
    size_t events;                  /* events in the catalog */
    size_t events_in_scope;         /* of which inside the paper's research scope */
    char series[OL_SERIES_CODE_MAX];
    char vintage[OL_SOURCE_TEXT_MAX];
    double threshold;
    ol_report_rival rivals[OL_REPORT_MAX_RIVALS];
    size_t nrivals;
    size_t states_reaching;         /* states that ever reached the threshold */
    char files[OL_REPORT_MAX_FILES][OL_REPORT_PATH_MAX];
    size_t nfiles;
} ol_report_summary;

/*
 * Runs the main job.  Errors: OL_ENOTFOUND when the series is not in the
 * store and neither a file nor a download provides it (the message says which
 * command loads it); the import's, the download's or a module's error
 * otherwise; OL_EIO when the output directory or a file cannot be written.
 * Files written before a failure stay; the store is only written by the
 * import or download, in its own transaction.
 */
OL_API ol_status ol_report_run(ol_store *store, const ol_report_options *opt,
                               ol_report_summary *sum, ol_error *err);

#ifdef __cplusplus
}
#endif
#endif
