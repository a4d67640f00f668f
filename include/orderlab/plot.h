/*
 * orderlab/plot.h — figures, drawn with PLplot's cairo drivers as SVG, PNG or
 * PDF.
 *
 * The plot module draws what it is given and computes nothing: callers pass
 * the numbers, labels and notes (indicators.h builds the data of Figure 4.1,
 * ol_gdp_figure_new; ideal_figure.h that of Figure 4.2, ol_ideal_figure_new;
 * a sweep its Sobol indices, design.h, and its binned probabilities), and the
 * module lays them out.
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
#include "orderlab/design.h"

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

/* ------------------------------------------------------------ the ratio with actions */

/* Shapes of action marks (filled, so that they stay distinct when small). */
typedef enum ol_plot_shape {
    OL_PLOT_CIRCLE = 0,
    OL_PLOT_SQUARE,
    OL_PLOT_TRIANGLE,       /* pointing up */
    OL_PLOT_TRIANGLE_DOWN,
    OL_PLOT_DIAMOND,
    OL_PLOT_SHAPE_COUNT
} ol_plot_shape;

/* One kind of mark (one legend entry): n points, each with an optional
 * label (e.g. the institution).  Several marks in the same year are stacked
 * upwards from the value; a label is drawn beside its mark where it
 * overlaps no other label or mark, and left out where it would. */
typedef struct ol_plot_markset {
    const char *label;              /* legend text; required */
    ol_plot_shape shape;
    int color;                      /* palette index 1..8 */
    size_t n;
    const int *years;
    const double *values;           /* y of the mark (the stack starts there) */
    const char *const *labels;      /* n labels or NULL; each may be NULL */
} ol_plot_markset;

/* A shaded period (e.g. a leader profile), years from..to inclusive. */
typedef struct ol_plot_band {
    int from, to;                   /* from <= to */
    const char *label;              /* written at the top of the band where it fits; may be NULL */
} ol_plot_band;

/*
 * One panel: lines (e.g. P_C/P_H), a horizontal threshold, shaded periods
 * (alternating two tints) and marks.
 */
typedef struct ol_plot_ratio_data {
    const char *title;              /* required */
    const char *x_label;            /* required */
    const char *y_label;            /* required, with units */
    const ol_plot_series *series;   /* >= 1 */
    size_t nseries;
    double threshold;               /* <= 0: none */
    const char *threshold_label;    /* may be NULL */
    const ol_plot_band *bands;      /* may be NULL */
    size_t nbands;
    const char *bands_label;        /* legend text for the shading; may be NULL */
    const ol_plot_markset *marks;   /* may be NULL */
    size_t nmarks;
    const char *note;               /* may be NULL */
    int year_min, year_max;         /* x range; 0 = from the data */
} ol_plot_ratio_data;

/* Draws the panel into path (errors as ol_plot_gdp_figure; OL_EINVAL also
 * for a mark or band outside the data rules above). */
OL_API ol_status ol_plot_ratio_figure(const ol_plot_ratio_data *data, const char *path, ol_plot_format fmt,
                                      ol_error *err);

/* ------------------------------------------------------------ a category grid */

/* A category of the grid: its legend text and colour (0xRRGGBB). */
typedef struct ol_plot_category {
    const char *label;              /* required */
    uint32_t rgb;
} ol_plot_category;

/*
 * A grid of rows (e.g. institutions) by years, each cell coloured by its
 * category, with a legend of the categories under it.
 */
typedef struct ol_plot_grid_data {
    const char *title;              /* required */
    const char *x_label;            /* required */
    const char *y_label;            /* required */
    size_t nrows;                   /* >= 1, drawn top to bottom */
    const char *const *row_labels;  /* nrows labels, required */
    int year0;                      /* year of column 0 */
    size_t ncols;                   /* >= 1, one per year */
    const int *cells;               /* nrows × ncols, row-major: a category index, or −1 for none */
    const ol_plot_category *categories;
    size_t ncategories;             /* 1..16 */
    const char *note;               /* may be NULL */
} ol_plot_grid_data;

OL_API ol_status ol_plot_grid_figure(const ol_plot_grid_data *data, const char *path, ol_plot_format fmt,
                                     ol_error *err);

/* ------------------------------------------------------------ lines with bands */

/* Series a lines figure draws, and the colours it gives them by position. */
enum { OL_PLOT_LINES_MAX = 16, OL_PLOT_LINES_COLORS = 12 };

/* A shaded band around a line (e.g. ± 1.96 standard errors): lo[i]..hi[i]
 * at years[i]; years strictly increase and a gap breaks the band. */
typedef struct ol_plot_ribbon {
    const int *years;
    const double *lo, *hi;   /* finite, lo[i] <= hi[i] */
    size_t n;                /* 0: no band */
} ol_plot_ribbon;

/*
 * One panel of many lines (e.g. Figure 4.2, the ideal points of the major
 * powers by year), each optionally with a translucent band in its colour, a
 * thin reference line across the panel, and the legend under the panel in
 * columns.  A series with color 0 takes the figure's own qualitative colours
 * (OL_PLOT_LINES_COLORS distinct ones: blue, red, green, orange, purple,
 * brown, pink, black, cyan, olive, grey, navy) by its slot, else by its
 * position; 1..8 is the palette above.
 */
typedef struct ol_plot_lines_data {
    const char *title;              /* required */
    const char *x_label;            /* required */
    const char *y_label;            /* required */
    const ol_plot_series *series;   /* 1..OL_PLOT_LINES_MAX */
    size_t nseries;
    const int *slots;               /* NULL, or per series its place (0..) among the figure's own
                                       colours, so that a line keeps its colour when others are
                                       left out; used for series with color 0 */
    const ol_plot_ribbon *ribbons;  /* NULL, or one per series (n 0: none) */
    const char *ribbons_label;      /* legend text for the bands, e.g. "± 1.96 se"; may be NULL */
    int hline_on;                   /* 1: a thin grey line at y = hline (e.g. 0) */
    double hline;
    const char *note;               /* at the foot of the page; '\n' breaks lines; may be NULL */
    int year_min, year_max;         /* x range; 0 = from the data */
} ol_plot_lines_data;

/* Draws the panel into path (errors as ol_plot_gdp_figure; OL_EINVAL also
 * for more than OL_PLOT_LINES_MAX series or a band that is not finite or
 * runs upside down).  Page: 1200 x 900 px for PNG. */
OL_API ol_status ol_plot_lines_figure(const ol_plot_lines_data *data, const char *path, ol_plot_format fmt,
                                      ol_error *err);

/* ------------------------------------------------------------ sensitivity bars */

/* Parameters a sensitivity figure draws. */
enum { OL_PLOT_BARS_MAX = 40 };

/*
 * Variance-based sensitivity (design.h, ol_sobol_indices): per parameter a
 * pair of bars, the first-order index S1 (blue) and the total index ST
 * (orange), each with its interval (lo..hi) as a whisker, the parameters'
 * names under them (slanted when they do not fit side by side), a line at
 * zero, and a legend in the panel's top-right corner, above the data.
 */
typedef struct ol_plot_sensitivity_data {
    const char *title;              /* required */
    const char *y_label;            /* required, e.g. "Sobol index" */
    size_t nparams;                 /* 1..OL_PLOT_BARS_MAX */
    const char *const *names;       /* nparams names (e.g. the design's keys), required */
    const ol_sobol_index *indices;  /* nparams: finite, lo <= hi (lo = hi: no whisker) */
    const char *interval_label;     /* legend text of the whiskers, e.g. "95 % bootstrap interval";
                                       NULL: none */
    const char *note;               /* at the foot of the page; '\n' breaks lines; may be NULL */
} ol_plot_sensitivity_data;

/* Draws the figure into path (errors as ol_plot_gdp_figure; OL_EINVAL for
 * a NULL name, a non-finite value or an upside-down interval, naming the
 * parameter).  Page: 1200 x 900 px for PNG. */
OL_API ol_status ol_plot_sensitivity_figure(const ol_plot_sensitivity_data *data, const char *path,
                                            ol_plot_format fmt, ol_error *err);

/* ------------------------------------------------------------ heat map */

/* Cells across or up a heat map, at most. */
enum { OL_PLOT_HEAT_MAX = 64 };

/*
 * A matrix of values in [0, 1] (e.g. the probability of an exit wave) over
 * two parameters' bins: each cell coloured on a sequential scale (dark
 * violet 0 .. yellow 1, legible in grey and to the colour-blind) shown as a
 * bar with its ticks beside the panel, and labelled with its value (two
 * decimals) and, when counts are given, its number of runs ("n = 120")
 * where the text fits the cell.  A cell with no runs (count 0, or a NaN
 * value) is drawn hatched grey and labelled "no data".
 *
 * Each axis is either binned (edges: nx + 1 bin edges, the cells as wide as
 * their bins and the edges labelled) or levelled (levels: nx values, equal
 * cells labelled with their level), exactly one of the two.
 */
typedef struct ol_plot_heatmap_data {
    const char *title;              /* required */
    const char *x_label;            /* required */
    const char *y_label;            /* required */
    size_t nx, ny;                  /* cells across and up: 1..OL_PLOT_HEAT_MAX */
    const double *x_edges;          /* nx + 1 finite, strictly increasing; or NULL and ... */
    const double *x_levels;         /* ... nx finite, strictly increasing */
    const double *y_edges;          /* ny + 1, the same rules */
    const double *y_levels;         /* ny */
    const double *values;           /* ny × nx, row-major, row 0 at the bottom (lowest y):
                                       in [0, 1], or NaN for no data */
    const uint64_t *counts;         /* NULL, or ny × nx runs per cell (0: no data) */
    const char *scale_label;        /* the colour bar's title, e.g. "P(exit wave)"; required */
    const char *note;               /* at the foot of the page; '\n' breaks lines; may be NULL */
} ol_plot_heatmap_data;

/* Draws the figure into path (errors as ol_plot_gdp_figure; OL_EINVAL for
 * both or neither of edges and levels, unsorted or non-finite edges or
 * levels, or a value outside [0, 1] in a cell with data, naming the cell).
 * Page: 1200 x 900 px for PNG. */
OL_API ol_status ol_plot_heatmap_figure(const ol_plot_heatmap_data *data, const char *path, ol_plot_format fmt,
                                        ol_error *err);

#ifdef __cplusplus
}
#endif
#endif
