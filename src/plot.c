/* Figures through PLplot's cairo drivers.  Every figure gets a PLplot stream
 * of its own (see include/orderlab/plot.h for why and how). */
#include "orderlab/plot.h"

#include <errno.h>
#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Layout of the page, in normalised device coordinates (0..1).  The top
 * panel holds the levels, the bottom one the ratios; the space between and
 * around them holds the title, axis labels and the note. */
enum { PAGE_W = 1200, PAGE_H = 900 };
static const double VP_X0 = 0.08, VP_X1 = 0.975;
static const double TOP_Y0 = 0.56, TOP_Y1 = 0.91;
static const double BOT_Y0 = 0.12, BOT_Y1 = 0.45;
/* Character scale relative to the driver's default height, and where text
 * sits (in character heights from the viewport edge, plmtex). */
static const double TEXT_SCALE = 0.7, TITLE_SCALE = 0.95, NOTE_SCALE = 0.6, LEGEND_SCALE = 0.65;
static const double YLABEL_DISP = 4.6, XLABEL_DISP = 3.0, TITLE_DISP = 1.4, NOTE_DISP = 5.2;
static const double MARK_LABEL_DISP = 0.6, MARK_LABEL_SCALE = 0.75;
/* Fraction of the panel width near either edge where mark labels run inwards. */
static const double MARK_LABEL_EDGE = 0.06;
/* The mark symbol (UTF-8, drawn by the cairo driver's font) and its size. */
static const char *const MARK_SYMBOL = "#(850)"; /* Hershey filled circle */
enum { MARK_CODE = 17 };                               /* the same for plpoin */
static const double MARK_SCALE = 1.8;
static const double LINE_WIDTH = 2.0, REF_WIDTH = 1.5, GRID_WIDTH = 0.5;
/* Head room above the highest value so that lines do not touch the frame. */
static const double HEADROOM = 1.12;
/* Legend geometry.  Offsets and the line sample are in normalised viewport
 * units (as pllegend takes them); the rest, for estimating the legend's
 * size before it is drawn, in page pixels at LEGEND_SCALE, measured on
 * this page (row height, average character width of DejaVu Sans, padding
 * and the gap between sample and text). */
static const double LEGEND_X_OFF = 0.012, LEGEND_Y_OFF = 0.03, LEGEND_SAMPLE = 0.06;
static const double LEGEND_ROW_PX = 26.0, LEGEND_PAD_PX = 14.0, LEGEND_CHAR_PX = 10.0;
static const double LEGEND_FIXED_PX = 40.0, LEGEND_MARGIN = 0.015;
/* The window grows by this factor, at most this many times, to free a corner. */
static const double LEGEND_GROW = 1.1;
enum { LEGEND_GROW_STEPS = 12 };
/* Characters that fit across the page at the title's and the note's scale. */
static const double TITLE_MAX_CHARS = 76.0, NOTE_MAX_CHARS = 112.0;
/* Years between labelled x ticks, and minor ticks per interval. */
static const double YEAR_TICK = 10.0;
static const int YEAR_SUBTICKS = 2;

/* cmap0: 0 background, 1..8 the public palette (plot.h), 9 grid. */
static const PLINT PAL_R[] = {255, 0, 31, 214, 44, 255, 148, 127, 140, 220};
static const PLINT PAL_G[] = {255, 0, 119, 39, 160, 127, 103, 127, 86, 220};
static const PLINT PAL_B[] = {255, 0, 180, 40, 44, 14, 189, 127, 75, 220};
enum { COL_BG = 0, COL_BLACK = 1, COL_GREY = 7, COL_GRID = 9, NCOLORS = 10 };
/* Colours given by position when a series asks for none. */
static const int AUTO_COLORS[] = {2, 3, 4, 5, 6, 8, 1, 7};

static const char *const DEVICES[OL_PLOT_FORMAT_COUNT] = {"svgcairo", "pngcairo", "pdfcairo"};
static const char *const EXTS[OL_PLOT_FORMAT_COUNT] = {"svg", "png", "pdf"};

const char *ol_plot_format_ext(ol_plot_format fmt)
{
    return (unsigned)fmt < OL_PLOT_FORMAT_COUNT ? EXTS[fmt] : NULL;
}

ol_status ol_plot_format_parse(const char *name, ol_plot_format *out, ol_error *err)
{
    for (int i = 0; name && i < OL_PLOT_FORMAT_COUNT; i++)
        if (strcasecmp(name, EXTS[i]) == 0) { *out = (ol_plot_format)i; return OL_OK; }
    return ol_error_set(err, OL_EUNSUPPORTED, NULL, 0, 0, "format",
                        "unknown figure format '%s' (known: svg, png, pdf)", name ? name : "");
}

ol_status ol_plot_format_from_path(const char *path, ol_plot_format *out, ol_error *err)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (!dot || (slash && dot < slash))
        return ol_error_set(err, OL_EUNSUPPORTED, path, 0, 0, "format",
                            "cannot tell the figure format: the file name has no extension "
                            "(.svg, .png or .pdf)");
    ol_status st = ol_plot_format_parse(dot + 1, out, err);
    if (st && err) snprintf(err->file, sizeof err->file, "%s", path);
    return st;
}

/* ------------------------------------------------------------ validation */

static ol_status check_series(const ol_plot_series *s, size_t n, const char *panel, ol_error *err)
{
    if (!s || n == 0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, panel, "the %s panel has no series to draw", panel);
    for (size_t i = 0; i < n; i++) {
        if (!s[i].label)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, panel, "%s series %zu has no label", panel, i);
        if (s[i].n == 0 || !s[i].years || !s[i].values)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, panel, "%s series '%s' has no values",
                                panel, s[i].label);
        if (s[i].color < 0 || s[i].color > OL_PLOT_PALETTE_SIZE)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, panel, "%s series '%s': colour %d is not 0..%d",
                                panel, s[i].label, s[i].color, OL_PLOT_PALETTE_SIZE);
        if ((unsigned)s[i].style > OL_PLOT_DOTTED)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, panel, "%s series '%s': unknown line style %d",
                                panel, s[i].label, (int)s[i].style);
        for (size_t k = 0; k < s[i].n; k++) {
            if (!isfinite(s[i].values[k]))
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, panel,
                                    "%s series '%s': value %zu (year %d) is not finite", panel,
                                    s[i].label, k, s[i].years[k]);
            if (k && s[i].years[k] <= s[i].years[k - 1])
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, panel,
                                    "%s series '%s': years must strictly increase (index %zu)", panel,
                                    s[i].label, k);
        }
    }
    return OL_OK;
}

static ol_status check_data(const ol_plot_gdp_data *d, ol_error *err)
{
    if (!d) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no figure data");
    if (!d->title || !d->x_label || !d->top_label || !d->bottom_label)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL,
                            "the figure needs a title and the labels of its three axes");
    ol_status st = check_series(d->levels, d->nlevels, "top", err);
    if (!st) st = check_series(d->ratios, d->nratios, "bottom", err);
    if (st) return st;
    if (!isfinite(d->threshold))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "threshold", "the threshold is not finite");
    if (d->nmarks && !d->marks)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "marks", "%zu marks announced, none given", d->nmarks);
    for (size_t i = 0; i < d->nmarks; i++)
        if (!isfinite(d->marks[i].value) || d->marks[i].color < 0 || d->marks[i].color > OL_PLOT_PALETTE_SIZE)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "marks", "mark %zu is invalid", i);
    if (d->year_min && d->year_max && d->year_min >= d->year_max)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "year", "empty year range %d-%d",
                            d->year_min, d->year_max);
    return OL_OK;
}

/* ------------------------------------------------------------ drawing */

/* PLplot reads '#' as the start of an escape sequence; "##" is a literal. */
static void escape_text(char *dst, size_t size, const char *s)
{
    size_t j = 0;
    for (; s && *s && j + 2 < size; s++) {
        if (*s == '#') dst[j++] = '#';
        dst[j++] = *s;
    }
    dst[j] = '\0';
}

static PLINT pl_style(ol_plot_style s)
{
    switch (s) {
    case OL_PLOT_DASHED: return 3;  /* long dashes, long gaps */
    case OL_PLOT_DOTTED: return 2;  /* short dashes, short gaps */
    default: return 1;              /* continuous */
    }
}

static int series_color(const ol_plot_series *s, size_t pos)
{
    if (s->color) return s->color;
    return AUTO_COLORS[pos % (sizeof AUTO_COLORS / sizeof AUTO_COLORS[0])];
}

/* Draws a series as runs of consecutive years: a gap breaks the line. */
static void draw_series(const ol_plot_series *s, int color)
{
    plcol0(color);
    pllsty(pl_style(s->style));
    plwidth(LINE_WIDTH);
    PLFLT x[2], y[2];
    for (size_t k = 0; k < s->n; k++) {
        int isolated = (k == 0 || s->years[k] - s->years[k - 1] > 1) &&
                       (k + 1 == s->n || s->years[k + 1] - s->years[k] > 1);
        if (isolated) { /* a lone year: a dot, or it would not show */
            x[0] = s->years[k];
            y[0] = s->values[k];
            plpoin(1, x, y, 1);
            continue;
        }
        if (k == 0 || s->years[k] - s->years[k - 1] > 1) continue;
        x[0] = s->years[k - 1]; y[0] = s->values[k - 1];
        x[1] = s->years[k];     y[1] = s->values[k];
        plline(2, x, y);
    }
    pllsty(1);
}

static double series_max(const ol_plot_series *s, size_t n)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < s[i].n; k++)
            if (s[i].values[k] > m) m = s[i].values[k];
    return m;
}

static double series_min(const ol_plot_series *s, size_t n)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < s[i].n; k++)
            if (s[i].values[k] < m) m = s[i].values[k];
    return m;
}

static void year_range(const ol_plot_gdp_data *d, int *lo, int *hi)
{
    int a = 0, b = 0;
    const ol_plot_series *sets[2] = {d->levels, d->ratios};
    size_t counts[2] = {d->nlevels, d->nratios};
    for (int p = 0; p < 2; p++)
        for (size_t i = 0; i < counts[p]; i++) {
            const ol_plot_series *s = &sets[p][i];
            if (!a || s->years[0] < a) a = s->years[0];
            if (!b || s->years[s->n - 1] > b) b = s->years[s->n - 1];
        }
    if (d->year_min) a = d->year_min;
    if (d->year_max) b = d->year_max;
    if (b <= a) b = a + 1;
    *lo = a;
    *hi = b;
}

/* Frame, grid and numbered axes of the current viewport/window. */
static void draw_axes(void)
{
    plwidth(GRID_WIDTH);
    plcol0(COL_GRID);
    plbox("g", YEAR_TICK, 0, "g", 0.0, 0);
    plwidth(1.0);
    plcol0(COL_BLACK);
    plbox("bcnst", YEAR_TICK, YEAR_SUBTICKS, "bcnstv", 0.0, 0);
}

/* One legend entry: a line sample or a symbol. */
typedef struct legend_entry {
    const char *text;
    int color;
    int symbol;         /* 1: the mark symbol, 0: a line */
    ol_plot_style style;
    PLFLT width;
} legend_entry;

enum { LEGEND_MAX = 16 };

/* The legend of the current viewport, inside its top-left or top-right
 * corner. */
static void draw_legend(const legend_entry *e, int n, int right)
{
    char buf[LEGEND_MAX][256];
    const char *text[LEGEND_MAX], *symbols[LEGEND_MAX];
    PLINT opts[LEGEND_MAX], text_colors[LEGEND_MAX], colors[LEGEND_MAX], styles[LEGEND_MAX];
    PLINT symbol_numbers[LEGEND_MAX];
    PLFLT widths[LEGEND_MAX], symbol_scales[LEGEND_MAX];
    if (n > LEGEND_MAX) n = LEGEND_MAX;
    for (int i = 0; i < n; i++) {
        escape_text(buf[i], sizeof buf[i], e[i].text);
        text[i] = buf[i];
        opts[i] = e[i].symbol ? PL_LEGEND_SYMBOL : PL_LEGEND_LINE;
        text_colors[i] = COL_BLACK;
        colors[i] = e[i].color;
        styles[i] = pl_style(e[i].style);
        widths[i] = e[i].width;
        symbols[i] = MARK_SYMBOL;
        symbol_scales[i] = MARK_SCALE;
        symbol_numbers[i] = 1;
    }
    PLFLT w, h;
    plschr(0.0, LEGEND_SCALE);
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
             PL_POSITION_INSIDE | PL_POSITION_TOP | (right ? PL_POSITION_RIGHT : PL_POSITION_LEFT) |
             PL_POSITION_VIEWPORT,
             LEGEND_X_OFF, LEGEND_Y_OFF, LEGEND_SAMPLE, COL_BG, COL_GREY, 1, n, 1, n, opts,
             0.8, LEGEND_SCALE, 1.9, 0.0, text_colors, text,
             NULL, NULL, NULL, NULL, colors, styles, widths, colors, symbol_scales, symbol_numbers,
             symbols);
    plschr(0.0, TEXT_SCALE);
}

static int series_entries(const ol_plot_series *s, size_t n, legend_entry *e, int k)
{
    for (size_t i = 0; i < n && k < LEGEND_MAX; i++, k++)
        e[k] = (legend_entry){s[i].label, series_color(&s[i], i), 0, s[i].style, LINE_WIDTH};
    return k;
}

/* Characters (UTF-8 code points) of s. */
static size_t text_chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The legend's size in normalised viewport units, estimated from its rows
 * and longest text (PLplot reports the size only once it has drawn it). */
static void legend_size(const legend_entry *e, int n, double vp_w, double vp_h, double *w, double *h)
{
    size_t longest = 0;
    for (int i = 0; i < n; i++) {
        size_t c = text_chars(e[i].text);
        if (c > longest) longest = c;
    }
    *w = LEGEND_SAMPLE + (LEGEND_FIXED_PX + LEGEND_CHAR_PX * (double)longest) / (vp_w * PAGE_W);
    *h = (LEGEND_ROW_PX * n + LEGEND_PAD_PX) / (vp_h * PAGE_H);
}

/* 1 when no data point of the series lies in the box [bx0, bx1] x [by0, 1]
 * (normalised viewport units) for the window x in [xmin, xmax], y in
 * [ymin, ymax]. */
static int box_clear(const ol_plot_series *s, size_t n, double xmin, double xmax, double ymin,
                     double ymax, double bx0, double bx1, double by0)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < s[i].n; k++) {
            double nx = (s[i].years[k] - xmin) / (xmax - xmin);
            double ny = (s[i].values[k] - ymin) / (ymax - ymin);
            if (nx >= bx0 && nx <= bx1 && ny >= by0) return 0;
        }
    return 1;
}

/*
 * Where the legend goes and how high the window must reach so that it hides
 * no data: the top-left corner if it is clear, else the top-right, else the
 * window grows upwards in steps until the top-left is clear.  Returns the
 * window's top; *right = 1 for the right corner.
 */
static double place_legend(const ol_plot_series *s, size_t n, const legend_entry *e, int ne,
                           double xmin, double xmax, double ymin, double ytop, double vp_w,
                           double vp_h, int *right)
{
    double w, h;
    legend_size(e, ne, vp_w, vp_h, &w, &h);
    const double by0 = 1.0 - LEGEND_Y_OFF - h - LEGEND_MARGIN;
    const double lx1 = LEGEND_X_OFF + w + LEGEND_MARGIN, rx0 = 1.0 - LEGEND_X_OFF - w - LEGEND_MARGIN;
    double top = ytop;
    for (int step = 0; step <= LEGEND_GROW_STEPS; step++) {
        if (box_clear(s, n, xmin, xmax, ymin, top, 0.0, lx1, by0)) { *right = 0; return top; }
        if (box_clear(s, n, xmin, xmax, ymin, top, rx0, 1.0, by0)) { *right = 1; return top; }
        top = ymin + (top - ymin) * LEGEND_GROW;
    }
    *right = 0;
    return ytop; /* no room anywhere: draw over the data rather than flatten it */
}

/* Character scale that fits text of the given length into max_chars at
 * scale (long titles and notes shrink instead of running off the page). */
static double fit_scale(const char *text, double scale, double max_chars)
{
    double n = (double)text_chars(text);
    return n > max_chars ? scale * max_chars / n : scale;
}

static void draw_figure(const ol_plot_gdp_data *d)
{
    char text[1024];
    int y0, y1;
    year_range(d, &y0, &y1);
    const PLFLT xmin = y0 - 1, xmax = y1 + 1;
    legend_entry entries[LEGEND_MAX];
    int k;

    pladv(0);
    plschr(0.0, TEXT_SCALE);

    /* ---- top panel: levels */
    int right = 0;
    k = series_entries(d->levels, d->nlevels, entries, 0);
    double top = series_max(d->levels, d->nlevels) * HEADROOM;
    double bottom = series_min(d->levels, d->nlevels) * HEADROOM;
    if (top <= bottom) top = bottom + 1.0;
    top = place_legend(d->levels, d->nlevels, entries, k, xmin, xmax, bottom, top, VP_X1 - VP_X0,
                       TOP_Y1 - TOP_Y0, &right);
    plvpor(VP_X0, VP_X1, TOP_Y0, TOP_Y1);
    plwind(xmin, xmax, bottom, top);
    draw_axes();
    for (size_t i = 0; i < d->nlevels; i++) draw_series(&d->levels[i], series_color(&d->levels[i], i));
    escape_text(text, sizeof text, d->top_label);
    plcol0(COL_BLACK);
    plmtex("l", YLABEL_DISP, 0.5, 0.5, text);
    draw_legend(entries, k, right);

    /* title above the top panel */
    escape_text(text, sizeof text, d->title);
    plschr(0.0, fit_scale(d->title, TITLE_SCALE, TITLE_MAX_CHARS));
    plmtex("t", TITLE_DISP, 0.5, 0.5, text);
    plschr(0.0, TEXT_SCALE);

    /* ---- bottom panel: ratios, threshold, marks */
    double rtop = series_max(d->ratios, d->nratios);
    if (d->threshold > rtop) rtop = d->threshold;
    for (size_t i = 0; i < d->nmarks; i++)
        if (d->marks[i].value > rtop) rtop = d->marks[i].value;
    rtop *= HEADROOM;
    double rbot = series_min(d->ratios, d->nratios) * HEADROOM;
    if (rtop <= rbot) rtop = rbot + 1.0;
    k = series_entries(d->ratios, d->nratios, entries, 0);
    if (d->threshold > 0.0 && d->threshold_label && k < LEGEND_MAX)
        entries[k++] = (legend_entry){d->threshold_label, COL_BLACK, 0, OL_PLOT_DASHED, REF_WIDTH};
    if (d->nmarks && d->marks_label && k < LEGEND_MAX)
        entries[k++] = (legend_entry){d->marks_label, COL_BLACK, 1, OL_PLOT_SOLID, 1.0};
    rtop = place_legend(d->ratios, d->nratios, entries, k, xmin, xmax, rbot, rtop, VP_X1 - VP_X0,
                        BOT_Y1 - BOT_Y0, &right);
    plvpor(VP_X0, VP_X1, BOT_Y0, BOT_Y1);
    plwind(xmin, xmax, rbot, rtop);
    draw_axes();
    if (d->threshold > 0.0) {
        PLFLT x[2] = {xmin, xmax}, y[2] = {d->threshold, d->threshold};
        plcol0(COL_BLACK);
        pllsty(pl_style(OL_PLOT_DASHED));
        plwidth(REF_WIDTH);
        plline(2, x, y);
        pllsty(1);
    }
    for (size_t i = 0; i < d->nratios; i++) draw_series(&d->ratios[i], series_color(&d->ratios[i], i));
    for (size_t i = 0; i < d->nmarks; i++) {
        const ol_plot_mark *m = &d->marks[i];
        if (m->year < xmin || m->year > xmax) continue;
        PLFLT x[2] = {m->year, m->year}, y[2] = {rbot, rtop};
        int c = m->color ? m->color : COL_BLACK;
        plcol0(c);
        /* a thin dotted line across the panel dates the mark on the year axis */
        pllsty(pl_style(OL_PLOT_DOTTED));
        plwidth(1.0);
        plline(2, x, y);
        pllsty(1);
        PLFLT px = m->year, py = m->value;
        plssym(0.0, MARK_SCALE);
        plpoin(1, &px, &py, MARK_CODE);
        if (m->label) {
            /* above the frame, centred on the line: the labels of marks a few
             * years apart would collide inside the panel, where the data are */
            escape_text(text, sizeof text, m->label);
            plschr(0.0, MARK_LABEL_SCALE);
            double pos = (m->year - xmin) / (xmax - xmin);
            /* near an edge the label runs inwards instead of past the frame */
            double just = pos > 1.0 - MARK_LABEL_EDGE ? 1.0 : pos < MARK_LABEL_EDGE ? 0.0 : 0.5;
            plmtex("t", MARK_LABEL_DISP, pos, just, text);
            plschr(0.0, TEXT_SCALE);
        }
    }
    plcol0(COL_BLACK);
    plwidth(1.0);
    escape_text(text, sizeof text, d->bottom_label);
    plmtex("l", YLABEL_DISP, 0.5, 0.5, text);
    escape_text(text, sizeof text, d->x_label);
    plmtex("b", XLABEL_DISP, 0.5, 0.5, text);
    draw_legend(entries, k, right);

    /* note (sources and vintages) under everything, left-aligned */
    if (d->note) {
        escape_text(text, sizeof text, d->note);
        plschr(0.0, fit_scale(d->note, NOTE_SCALE, NOTE_MAX_CHARS));
        plcol0(COL_GREY);
        plmtex("b", NOTE_DISP, 0.0, 0.0, text);
        plcol0(COL_BLACK);
    }
}

ol_status ol_plot_gdp_figure(const ol_plot_gdp_data *data, const char *path,
                             ol_plot_format fmt, ol_error *err)
{
    if ((unsigned)fmt >= OL_PLOT_FORMAT_COUNT)
        return ol_error_set(err, OL_EUNSUPPORTED, path, 0, 0, "format", "unknown figure format %d", (int)fmt);
    if (!path || !*path) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no output file given");
    ol_status st = check_data(data, err);
    if (st) return st;
    /* PLplot would retry, then exit the process, on a file it cannot open:
     * find out first. */
    FILE *probe = fopen(path, "wb");
    if (!probe)
        return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot write the figure: %s", strerror(errno));
    fclose(probe);

    PLINT caller_stream = 0, stream = 0;
    plgstrm(&caller_stream);
    plmkstrm(&stream);
    if (stream < 0) {
        remove(path);
        return ol_error_set(err, OL_EUNSUPPORTED, path, 0, 0, NULL, "PLplot has no free stream");
    }
    plsdev(DEVICES[fmt]);
    plsfnam(path);
    plspage(0.0, 0.0, PAGE_W, PAGE_H, 0, 0);
    plscmap0(PAL_R, PAL_G, PAL_B, NCOLORS);
    plspause(0);
    plinit();
    draw_figure(data);
    plend1();
    plsstrm(caller_stream);

    /* cairo writes lazily; a full disk shows up only as a short file. */
    FILE *f = fopen(path, "rb");
    long size = -1;
    if (f && fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (f) fclose(f);
    if (size <= 0) {
        remove(path);
        return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "PLplot (%s) wrote no figure", DEVICES[fmt]);
    }
    return OL_OK;
}
