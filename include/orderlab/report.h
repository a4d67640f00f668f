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
 * ol_report_build (`orderlab report`) wraps it into the full report: one
 * self-contained DIR/index.html (styles inline, every figure an inline
 * data: URI, one inline script that only checks that the figures loaded; no
 * network, no external file) that reproduces the paper's evidence, each
 * figure written beside it as SVG, PNG and PDF with its data file (CSV) and
 * captioned with the command that regenerates it.  docs/report.md describes
 * every section.
 *
 * Ownership: options are caller-owned; the summaries are filled into the
 * caller's structs and own nothing.
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

/* ------------------------------------------------------------ the report */

enum { OL_REPORT_MAX_SECTIONS = 16, OL_REPORT_NOTE_MAX = 640, OL_REPORT_MAX_IMPORTS = 8 };

typedef struct ol_report_build_options {
    const char *out_dir;        /* created when missing; required */
    /* A directory laid out like the project's staged data (wb_gdp/gdp.csv,
     * unvotes/un_roll_calls.csv, unvotes/un_votes.csv): what the store lacks
     * is imported from it (each import its own transaction).  NULL: nothing
     * is imported, sections without data say what is missing. */
    const char *data_dir;
    const char *gdp_vintage;    /* the vintage of data_dir's GDP file; NULL: the importer's rule */
    /* The sweep design of the sensitivity section (e.g.
     * examples/paper-two-thirds.yaml); NULL: the section says how to add it.
     * It runs in out_dir/sweep, resuming what a previous report left there. */
    const char *sweep_design;
    int allow_fetch;            /* Figure 4.1: download GDP when the store and data_dir lack it */
    const char *fetch_base_url; /* NULL: the World Bank's */
    ol_progress_fn progress;    /* imports, the ideal-point fit and the sweep; may be NULL */
    void *progress_ctx;
} ol_report_build_options;

OL_API void ol_report_build_options_init(ol_report_build_options *opt);

/* One section of the report as it came out. */
typedef struct ol_report_section_result {
    char id[32];                /* stable anchor: "fig4_1", "table1_1", "backtest", ... */
    char title[160];            /* English with the paper's Chinese term */
    int available;              /* 1: shown from data; 0: its data are missing; -1: its module failed */
    /* Plain text, commands between backquotes: where the numbers came from
     * (1), what is missing and the command that produces it (0), the error (-1). */
    char note[OL_REPORT_NOTE_MAX];
} ol_report_section_result;

typedef struct ol_report_build_summary {
    char index_path[OL_REPORT_PATH_MAX];
    char imported[OL_REPORT_MAX_IMPORTS][OL_REPORT_PATH_MAX]; /* the commands it amounted to, without
                                       "orderlab": "import wb PATH", "fetch wdi SERIES" */
    size_t nimported;
    int ideal_estimated;        /* 1: the dynamic ideal points were fitted for Figure 4.2 */
    size_t figures;             /* figures embedded */
    ol_report_section_result sections[OL_REPORT_MAX_SECTIONS];
    size_t nsections;
    size_t available;           /* sections shown from data */
} ol_report_build_summary;

/*
 * Builds the report into opt->out_dir.  Sections run in a fixed order from
 * a registry (src/report_sections.c): Figure 4.1 (the main job above),
 * Figure 4.2, Table 1.1, the default simulation's timeline and its
 * accounting as Tables 3.2, 4.1 and 4.2, the sweep's sensitivity, the
 * backtest and the history study.  A section whose data the store lacks,
 * or whose module fails on them, becomes a placeholder that says what is
 * missing and which command produces it: the report is always written.
 * Writes: index.html (under a temporary name, renamed when complete) and the
 * files listed in docs/report.md; the store gets what is imported, the
 * ideal-point fit, the simulation's and the sweep's runs rows.
 * Errors (the report is then not written): OL_EINVAL (no out_dir), OL_EIO
 * (the directory or index.html cannot be written), OL_ESTORE, OL_ENOMEM, an
 * import's error for a file of data_dir that is present but bad,
 * OL_EINTERRUPTED when progress asks to stop.
 */
OL_API ol_status ol_report_build(ol_store *store, const ol_report_build_options *opt,
                                 ol_report_build_summary *sum, ol_error *err);

#ifdef __cplusplus
}
#endif
#endif
