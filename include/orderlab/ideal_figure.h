/*
 * orderlab/ideal_figure.h — the data of the paper's Figure 4.2 (图 4.2
 * 联合国大会主要大国的表决趋势图): the UN General Assembly ideal points of the
 * major powers by year, from any estimate in the store (estimated here by
 * ideal.h, or imported from Bailey, Strezhnev and Voeten's files).
 *
 * ol_ideal_figure_new reads the points and builds everything the plot module
 * draws (ol_plot_lines_figure): one line per country in the order asked,
 * an optional band of ± z·se where the estimate has standard errors, a thin
 * line at 0, the title, labels and a note naming the estimate's origin.  The
 * plot module only draws; the rows behind the lines are available for the
 * figure's data file (ol_ideal_figure_rows, ol_ideal_figure_write_csv).
 *
 * Which rows: the estimate's session rows if it has any (else its year rows,
 * or the kind asked), from its newest origin (the largest run_id, else the
 * largest source_id), as ideal_compare.h reads them.  A year-based point is
 * drawn at its year; a session at the year it opens, session + 1945, as the
 * published session file dates them (the store's year column of orderlab's
 * fits, the year most of a session's roll calls are dated, puts two
 * sessions in 1952 and two in 1965 and none in 1951 and 1964).  Years
 * without a point break the lines; the note names them (the published
 * session file has no session 19, 1964, which held no recorded votes).
 *
 * Countries: codes or names the crosswalk resolves (ol_country_resolve);
 * the default is the ten of the paper's discussion (§4): USA, RUS (the
 * crosswalk maps the Soviet Union's seat to RUS), CHN, IND, BRA, ZAF, GBR,
 * FRA, DEU, JPN.  A country whose seat a former state held first under the
 * same code (the USSR for Russia) is labelled with both names.  A country
 * without a point in range is listed in ol_ideal_figure_missing and left
 * out; the figure fails only when no country has a point.
 *
 * Errors: OL_ENOTFOUND for an unknown country (or OL_EAMBIGUOUS), an
 * estimate not in the store (the message lists those there are) or no
 * point of any country in range; OL_EINVAL for bad options (more than
 * OL_PLOT_LINES_MAX countries, a repeated country, from > to, a bad period
 * kind, z <= 0); OL_ESTORE, OL_ENOMEM.
 * Ownership: the figure owns its data and strings until ol_ideal_figure_free;
 * it keeps no reference to the store or the options.
 */
#ifndef ORDERLAB_IDEAL_FIGURE_H
#define ORDERLAB_IDEAL_FIGURE_H

#include <stddef.h>

#include "orderlab/common.h"
#include "orderlab/countries.h"
#include "orderlab/plot.h"
#include "orderlab/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The estimate drawn when none is named (ideal.h's dynamic model). */
#define OL_IDEAL_FIGURE_DEFAULT_ESTIMATE "orderlab-dynamic"
/* The band's half-width in standard errors: a 95% normal interval. */
#define OL_IDEAL_FIGURE_DEFAULT_SE_Z 1.96

typedef struct ol_ideal_figure_options {
    const char *estimate;           /* NULL: OL_IDEAL_FIGURE_DEFAULT_ESTIMATE */
    const char *period_kind;        /* "session", "year" or NULL (session if stored, else year) */
    const char *const *countries;   /* NULL: the default ten */
    size_t ncountries;
    int from_year, to_year;         /* 0 = open */
    int se_band;                    /* 1: draw ± se_z·se where se is stored */
    double se_z;
} ol_ideal_figure_options;

OL_API void ol_ideal_figure_options_init(ol_ideal_figure_options *o);

/* One point of the figure (a row of its data file). */
typedef struct ol_ideal_figure_row {
    char country[OL_CODE_MAX];
    int period;                     /* session (or year, for a year-based estimate) */
    int year;                       /* drawn at: the year, or session + 1945 */
    double value;
    double se;                      /* NAN when the estimate has none */
} ol_ideal_figure_row;

typedef struct ol_ideal_figure ol_ideal_figure;

OL_API ol_status ol_ideal_figure_new(ol_store *store, const ol_ideal_figure_options *o, ol_ideal_figure **out,
                                     ol_error *err);
OL_API void ol_ideal_figure_free(ol_ideal_figure *fig);

/* What ol_plot_lines_figure draws; valid while fig lives. */
OL_API const ol_plot_lines_data *ol_ideal_figure_plot(const ol_ideal_figure *fig);
/* The points drawn, by country (in the order asked) then year; *n gets their number. */
OL_API const ol_ideal_figure_row *ol_ideal_figure_rows(const ol_ideal_figure *fig, size_t *n);
/* Countries asked for that have no point in range (orderlab codes). */
OL_API size_t ol_ideal_figure_nmissing(const ol_ideal_figure *fig);
OL_API const char *ol_ideal_figure_missing(const ol_ideal_figure *fig, size_t i);
/* Notes for the reader: the band asked for but no se stored; the anchor
 * (USA) on the negative side.  NULL past the end. */
OL_API size_t ol_ideal_figure_nwarnings(const ol_ideal_figure *fig);
OL_API const char *ol_ideal_figure_warning(const ol_ideal_figure *fig, size_t i);
/* The estimate's name. */
OL_API const char *ol_ideal_figure_estimate(const ol_ideal_figure *fig);

/* Writes the points as CSV: estimate,country,name,period_kind,period,year,value,se
 * (se empty when none).  OL_EIO when path cannot be written. */
OL_API ol_status ol_ideal_figure_write_csv(const ol_ideal_figure *fig, const char *path, ol_error *err);

#ifdef __cplusplus
}
#endif
#endif
