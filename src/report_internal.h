/*
 * Internal to the report (report_build.c, report_html.c, report_sections.c).
 *
 * A section is one function in the registry of report_sections.c.  It writes
 * its HTML body (without the heading, which the builder writes from the
 * registry's titles) into a memory stream and says where its numbers came
 * from (res->note), or, when its data are not there, leaves the stream empty,
 * sets res->available = 0 and puts into res->note what is missing and the
 * command that produces it.  A section that fails on its data returns the
 * module's status: the builder turns any status but OL_ENOMEM and
 * OL_EINTERRUPTED into a placeholder that quotes the error, so that one
 * broken section never loses the others.
 *
 * To add a section (the backtest, the history study): write its function in
 * report_sections.c and replace its placeholder in the registry; docs/report.md
 * lists the files it writes.
 */
#ifndef OL_REPORT_INTERNAL_H
#define OL_REPORT_INTERNAL_H

#include "orderlab/model.h"
#include "orderlab/report.h"
#include "orderlab/scenario.h"
#include "orderlab/simulate.h"

#include <stdio.h>

/* What the sections share: the store, the options, and the default
 * simulation, run once by the first section that needs it. */
typedef struct rp_ctx {
    ol_store *store;
    const ol_report_build_options *opt;
    ol_report_build_summary *sum;
    int sim_done;                /* 1 after the first attempt */
    ol_status sim_status;        /* its outcome */
    ol_error sim_err;
    ol_scenario *sc;
    ol_simulate_world *sw;       /* owns the world r0 ran on */
    ol_model_result *r0;
    ol_model_params params;
    char *sim_facts;             /* run 0's first threat, exits, ... (malloc'ed) */
} rp_ctx;

typedef ol_status (*rp_section_fn)(rp_ctx *c, FILE *html, ol_report_section_result *res, ol_error *err);

typedef struct rp_section {
    const char *id;
    const char *title_en;
    const char *title_zh;        /* the paper's term; "" when none */
    rp_section_fn fn;
} rp_section;

/* The registry, in the report's order; *n gets its length. */
const rp_section *rp_sections(size_t *n);

/* Runs the default simulation into out_dir/simulate once (tables, figures,
 * a runs row); later calls return the first outcome. */
ol_status rp_simulation(rp_ctx *c, ol_error *err);

/* Frees what the sections share. */
void rp_release(rp_ctx *c);

/* out_dir/rel into buf. */
void rp_path(const rp_ctx *c, char *buf, size_t size, const char *rel);
/* Creates dir and its parents. */
ol_status rp_mkdir(const char *dir, ol_error *err);

/* HTML text with <, >, &, " escaped. */
void rp_esc(FILE *f, const char *s);
/* A term with its Chinese original: "English 中文" (zh may be NULL or ""). */
void rp_term(FILE *f, const char *en, const char *zh);

/*
 * A figure: the SVG at out_dir/base.svg embedded as a data: URI, links to
 * base.svg, .png and .pdf and to the data file (csv, relative to out_dir;
 * may be NULL), the caption (HTML, trusted) and the command that
 * regenerates it.  OL_EIO when the SVG cannot be read.
 */
ol_status rp_figure(rp_ctx *c, FILE *html, const char *base, const char *alt, const char *caption_html,
                    const char *command, const char *csv, ol_error *err);

/* A CSV file (relative to out_dir) as an HTML table: the header and at most
 * max_rows rows (0: all), and a line saying how many were left out. */
ol_status rp_csv_table(rp_ctx *c, FILE *html, const char *csv, size_t max_rows, ol_error *err);

/* A paragraph naming a data file and the command that regenerates it. */
void rp_source_line(FILE *html, const char *files, const char *command);

#endif
