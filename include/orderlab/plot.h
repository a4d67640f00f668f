/*
 * orderlab/plot.h — figures, drawn with PLplot's cairo drivers as SVG, PNG or
 * PDF.
 *
 * The plot module draws what it is given and computes nothing: callers pass
 * the numbers, labels and notes (indicators.h builds the data of Figure 4.1,
 * ol_gdp_figure_new), and the module lays them out.
 *
 * PLplot keeps process-global state (a table of streams and the "current"
 * stream).  Each figure is drawn on a stream of its own: the module notes the
 * caller's current stream (plgstrm), creates a fresh one (plmkstrm), draws,
 * ends it with plend1 and makes the caller's stream current again (plsstrm),
 * so that nothing a figure sets (device, file, colours, fonts) leaks into the
 * next figure or into a caller's own PLplot use.  Because that table is
 * global, figures must not be drawn from two threads at once.
 *
 * PLplot ends the process on some errors (plexit) and retries opening an
 * output file it cannot write before giving up the same way.  So every input
 * is checked before PLplot is called: the output path is opened for writing
 * first (OL_EIO when it cannot be), and the data are validated (OL_EINVAL:
 * no series, empty series, unsorted years, non-finite values, NULL labels).
 * Errors never crash and never exit.
 *
 * Text in the figures is plain ASCII/Latin (the cairo driver renders any
 * UTF-8 the installed fonts cover; orderlab's figures keep English text and
 * the Chinese names live in the docs, so that no CJK font is required).
 *
 * Ownership: the data structs are borrowed for the duration of the call.
 */
#ifndef ORDERLAB_PLOT_H
#define ORDERLAB_PLOT_H

#include "orderlab/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ol_plot_format {
    OL_PLOT_SVG = 0,  /* PLplot device "svgcairo" */
    OL_PLOT_PNG,      /* "pngcairo" */
    OL_PLOT_PDF,      /* "pdfcairo" */
    OL_PLOT_FORMAT_COUNT
} ol_plot_format;

/* Parses a format name ("svg", "png", "pdf", any case). OL_EUNSUPPORTED otherwise. */
OL_API ol_status ol_plot_format_parse(const char *name, ol_plot_format *out, ol_error *err);
/* The format of a file name by its extension (.svg .png .pdf, any case);
 * OL_EUNSUPPORTED when the extension is missing or unknown. */
OL_API ol_status ol_plot_format_from_path(const char *path, ol_plot_format *out, ol_error *err);
/* "svg", "png", "pdf" (the file extension, without the dot); NULL if out of range. */
OL_API const char *ol_plot_format_ext(ol_plot_format fmt);

typedef enum ol_plot_style {
    OL_PLOT_SOLID = 0,
    OL_PLOT_DASHED,
    OL_PLOT_DOTTED
} ol_plot_style;

/* One line: years[i] has values[i]; years strictly increase; values finite.
 * A gap in years (a missing year) breaks the line there. */
typedef struct ol_plot_series {
    const char *label;       /* legend text; required */
    const int *years;
    const double *values;
    size_t n;                /* >= 1 */
    ol_plot_style style;
    int color;               /* palette index 1..8; 0 = by position in its panel */
} ol_plot_series;

/* A point marked with a symbol and annotated (e.g. a first crossing). */
typedef struct ol_plot_mark {
    int year;
    double value;
    const char *label;       /* text beside the point; may be NULL */
    int color;               /* palette index 1..8; 0 = black */
} ol_plot_mark;

/* Palette of the figures (index: colour): 1 black, 2 blue, 3 red, 4 green,
 * 5 orange, 6 purple, 7 grey, 8 brown.  Background white. */
enum { OL_PLOT_PALETTE_SIZE = 8 };

/*
 * A two-panel figure: the levels (top) and the ratios to a reference with a
 * horizontal threshold line (bottom), sharing the year axis.  Figure 4.1 of
 * the paper is this figure for GDP of the US, China and Japan.
 */
typedef struct ol_plot_gdp_data {
    const char *title;             /* required */
    const char *x_label;           /* e.g. "Year"; required */
    const char *top_label;         /* y axis of the top panel, with units; required */
    const ol_plot_series *levels;  /* top panel */
    size_t nlevels;                /* >= 1 */
    const char *bottom_label;      /* y axis of the bottom panel; required */
    const ol_plot_series *ratios;  /* bottom panel */
    size_t nratios;                /* >= 1 */
    double threshold;              /* horizontal line in the bottom panel; <= 0: none */
    const char *threshold_label;   /* legend text for it; may be NULL */
    const ol_plot_mark *marks;     /* drawn in the bottom panel, each with a dotted line
                                      down to the year axis and its label above the
                                      panel's frame; may be NULL */
    size_t nmarks;
    const char *marks_label;       /* legend text for the marks; may be NULL */
    const char *note;              /* one line under the figure: source, vintage; may be NULL */
    int year_min, year_max;        /* x range; 0 = from the data */
} ol_plot_gdp_data;

/*
 * Draws the figure into path in the given format (the caller picks the
 * format; ol_plot_format_from_path reads it from an extension).  The file is
 * created or truncated.  Errors: OL_EINVAL for invalid data (the message
 * names the series and index), OL_EUNSUPPORTED for an unknown format,
 * OL_EIO when path cannot be written (the partial file is removed).
 * Page: 1200 x 900 px for PNG, the same proportions for SVG and PDF.
 */
OL_API ol_status ol_plot_gdp_figure(const ol_plot_gdp_data *data, const char *path,
                                    ol_plot_format fmt, ol_error *err);

#ifdef __cplusplus
}
#endif
#endif
