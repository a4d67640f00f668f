/* Figures through PLplot's cairo drivers.  Every figure gets a PLplot stream
 * of its own (see include/orderlab/plot.h for why and how). */
#include "orderlab/plot.h"

#include <errno.h>
#include <math.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
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

/* Text s (escaped for PLplot) at the panel's side, as plmtex places it. */
static void side_text(const char *side, double disp, const char *s)
{
    char text[1024];
    escape_text(text, sizeof text, s);
    plmtex(side, disp, 0.5, 0.5, text);
}

/* The figure's title above the panel, scaled down when it is long. */
static void draw_title(const char *title)
{
    plschr(0.0, fit_scale(title, TITLE_SCALE, TITLE_MAX_CHARS));
    side_text("t", TITLE_DISP, title);
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
    draw_title(d->title);
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
    side_text("b", XLABEL_DISP, d->x_label);
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

/* Opens a fresh stream on path, calls draw(ctx), ends the stream and gives
 * the caller's stream back (see plot.h).  Extra colours beyond the palette
 * are set by the draw function itself (plscmap0n). */
static ol_status render(const char *path, ol_plot_format fmt, int page_w, int page_h,
                        void (*draw)(const void *ctx), const void *ctx, ol_error *err)
{
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
    plspage(0.0, 0.0, page_w, page_h, 0, 0);
    plscmap0(PAL_R, PAL_G, PAL_B, NCOLORS);
    plspause(0);
    plinit();
    draw(ctx);
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

static void draw_gdp(const void *ctx) { draw_figure(ctx); }

static ol_status check_target(const char *path, ol_plot_format fmt, ol_error *err)
{
    if ((unsigned)fmt >= OL_PLOT_FORMAT_COUNT)
        return ol_error_set(err, OL_EUNSUPPORTED, path, 0, 0, "format", "unknown figure format %d", (int)fmt);
    if (!path || !*path) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no output file given");
    return OL_OK;
}

ol_status ol_plot_gdp_figure(const ol_plot_gdp_data *data, const char *path,
                             ol_plot_format fmt, ol_error *err)
{
    ol_status st = check_target(path, fmt, err);
    if (!st) st = check_data(data, err);
    if (st) return st;
    return render(path, fmt, PAGE_W, PAGE_H, draw_gdp, data, err);
}

/* ================================================================ ratio with actions */

/* The filled mark shapes (ol_plot_shape order) as Unicode geometric shapes,
 * which the cairo driver draws centred on the point from DejaVu Sans (the
 * Hershey set has no filled circle or diamond of a useful size); plstring
 * draws them, and the legend shows the same glyph. */
static const char *const SHAPE_GLYPH[OL_PLOT_SHAPE_COUNT] = {"\u25CF", "\u25A0", "\u25B2", "\u25BC", "\u25C6"};
/* Size of a mark, and the vertical pitch of stacked marks, in page pixels. */
static const double SHAPE_SCALE = 0.85, STACK_PX = 18.0;
/* Label text of a mark: scale, and its box per character and height (px). */
static const double ML_SCALE = 0.55, ML_CHAR_PX = 8.0, ML_HEIGHT_PX = 14.0, ML_GAP_PX = 7.0;
/* The ratio page and its panel (normalised device coordinates). */
enum { RATIO_W = 1200, RATIO_H = 900 };
static const double R_X0 = 0.08, R_X1 = 0.975, R_Y0 = 0.30, R_Y1 = 0.92;
/* Legend under the panel (offset in panel heights): rows of at most this
 * many entries; the note under it (in character heights). */
enum { R_LEGEND_COLS = 2 };
static const double R_LEGEND_DY = 0.12, R_NOTE_DISP = 17.5;
/* Band tints (two, alternating) and their labels' scale. */
enum { COL_BAND0 = NCOLORS, COL_BAND1, NCOLORS_RATIO };
static const PLINT BAND_R[] = {234, 246}, BAND_G[] = {240, 240}, BAND_B[] = {250, 228};
static const double BAND_LABEL_SCALES[] = {0.55, 0.45, 0.38};
enum { MAX_PLACED = 4096 };

static ol_status check_ratio(const ol_plot_ratio_data *d, ol_error *err)
{
    if (!d) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no figure data");
    if (!d->title || !d->x_label || !d->y_label)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "the figure needs a title and the labels of its axes");
    ol_status st = check_series(d->series, d->nseries, "ratio", err);
    if (st) return st;
    if (!isfinite(d->threshold))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "threshold", "the threshold is not finite");
    if (d->nbands && !d->bands)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "bands", "%zu bands announced, none given", d->nbands);
    for (size_t i = 0; i < d->nbands; i++)
        if (d->bands[i].from > d->bands[i].to)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "bands", "band %zu runs backwards (%d-%d)", i,
                                d->bands[i].from, d->bands[i].to);
    if (d->nmarks && !d->marks)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "marks", "%zu mark sets announced, none given", d->nmarks);
    size_t total = 0;
    for (size_t i = 0; i < d->nmarks; i++) {
        const ol_plot_markset *m = &d->marks[i];
        if (!m->label || (unsigned)m->shape >= OL_PLOT_SHAPE_COUNT || m->color < 1 ||
            m->color > OL_PLOT_PALETTE_SIZE || (m->n && (!m->years || !m->values)))
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "marks",
                                "mark set %zu needs a label, a shape, a colour 1..%d and its points", i,
                                OL_PLOT_PALETTE_SIZE);
        for (size_t k = 0; k < m->n; k++)
            if (!isfinite(m->values[k]))
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "marks", "mark set '%s': value %zu is not finite",
                                    m->label, k);
        total += m->n;
    }
    if (total > MAX_PLACED / 2)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "marks", "%zu marks: at most %d can be drawn", total,
                            MAX_PLACED / 2);
    if (d->year_min && d->year_max && d->year_min >= d->year_max)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "year", "empty year range %d-%d", d->year_min, d->year_max);
    return OL_OK;
}

/* A box on the page, in pixels (for label placement). */
typedef struct pbox { double x0, y0, x1, y1; } pbox;

static int box_overlaps(const pbox *b, const pbox *placed, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b->x0 < placed[i].x1 && placed[i].x0 < b->x1 && b->y0 < placed[i].y1 && placed[i].y0 < b->y1)
            return 1;
    return 0;
}

typedef struct ratio_layout {
    const ol_plot_ratio_data *d;
    double xmin, xmax, ymin, ymax;
    pbox *placed; /* [MAX_PLACED]: boxes of the marks and labels drawn */
} ratio_layout;

/* Stack position (0, 1, ...) of each mark within its year, in set order. */
static size_t stack_height(const ol_plot_ratio_data *d, int year, size_t upto_set, size_t upto_k)
{
    size_t h = 0;
    for (size_t i = 0; i < d->nmarks; i++)
        for (size_t k = 0; k < d->marks[i].n; k++) {
            if (i == upto_set && k == upto_k) return h;
            if (d->marks[i].years[k] == year) h++;
        }
    return h;
}

static void draw_ratio(const void *ctx)
{
    const ratio_layout *L = ctx;
    const ol_plot_ratio_data *d = L->d;
    char text[1024];
    const double vpw = (R_X1 - R_X0) * RATIO_W, vph = (R_Y1 - R_Y0) * RATIO_H;
    const double px_x = vpw / (L->xmax - L->xmin), px_y = vph / (L->ymax - L->ymin); /* px per unit */

    plscmap0n(NCOLORS_RATIO);
    for (int i = 0; i < NCOLORS; i++) plscol0(i, PAL_R[i], PAL_G[i], PAL_B[i]);
    plscol0(COL_BAND0, BAND_R[0], BAND_G[0], BAND_B[0]);
    plscol0(COL_BAND1, BAND_R[1], BAND_G[1], BAND_B[1]);
    pladv(0);
    plschr(0.0, TEXT_SCALE);
    plvpor(R_X0, R_X1, R_Y0, R_Y1);
    plwind(L->xmin, L->xmax, L->ymin, L->ymax);

    /* bands first, under everything */
    for (size_t i = 0; i < d->nbands; i++) {
        const ol_plot_band *b = &d->bands[i];
        double x0 = b->from - 0.5, x1 = b->to + 0.5;
        if (x0 < L->xmin) x0 = L->xmin;
        if (x1 > L->xmax) x1 = L->xmax;
        if (x1 <= x0) continue;
        PLFLT x[4] = {x0, x1, x1, x0}, y[4] = {L->ymin, L->ymin, L->ymax, L->ymax};
        plcol0(i % 2 ? COL_BAND1 : COL_BAND0);
        plfill(4, x, y);
        if (b->label) {
            /* the largest of the label scales at which the name fits the band */
            double width_px = (x1 - x0) * px_x;
            for (size_t sc = 0; sc < sizeof BAND_LABEL_SCALES / sizeof BAND_LABEL_SCALES[0]; sc++) {
                double char_px = ML_CHAR_PX * BAND_LABEL_SCALES[sc] / ML_SCALE;
                if ((double)text_chars(b->label) * char_px + ML_GAP_PX >= width_px) continue;
                escape_text(text, sizeof text, b->label);
                plschr(0.0, BAND_LABEL_SCALES[sc]);
                plcol0(COL_GREY);
                plptex((x0 + x1) / 2, L->ymax - (ML_HEIGHT_PX + ML_GAP_PX) / px_y, 1, 0, 0.5, text);
                plschr(0.0, TEXT_SCALE);
                break;
            }
        }
    }
    draw_axes();
    if (d->threshold > 0.0) {
        PLFLT x[2] = {L->xmin, L->xmax}, y[2] = {d->threshold, d->threshold};
        plcol0(COL_BLACK);
        pllsty(pl_style(OL_PLOT_DASHED));
        plwidth(REF_WIDTH);
        plline(2, x, y);
        pllsty(1);
    }
    for (size_t i = 0; i < d->nseries; i++) draw_series(&d->series[i], series_color(&d->series[i], i));

    /* marks, stacked upwards within a year; their boxes block labels */
    pbox *placed = L->placed;
    size_t np = 0;
    const double half = STACK_PX / 2;
    for (size_t i = 0; i < d->nmarks; i++) {
        const ol_plot_markset *m = &d->marks[i];
        plcol0(m->color);
        plschr(0.0, SHAPE_SCALE);
        for (size_t k = 0; k < m->n; k++) {
            double h = (double)stack_height(d, m->years[k], i, k);
            PLFLT x = m->years[k], y = m->values[k] + h * STACK_PX / px_y;
            plstring(1, &x, &y, SHAPE_GLYPH[m->shape]);
            double cx = (x - L->xmin) * px_x, cy = (y - L->ymin) * px_y;
            if (np < MAX_PLACED) placed[np++] = (pbox){cx - half, cy - half, cx + half, cy + half};
        }
    }
    plschr(0.0, ML_SCALE);
    for (size_t i = 0; i < d->nmarks; i++) {
        const ol_plot_markset *m = &d->marks[i];
        if (!m->labels) continue;
        for (size_t k = 0; k < m->n; k++) {
            if (!m->labels[k] || !*m->labels[k]) continue;
            double h = (double)stack_height(d, m->years[k], i, k);
            double x = m->years[k], y = m->values[k] + h * STACK_PX / px_y;
            double cx = (x - L->xmin) * px_x, cy = (y - L->ymin) * px_y;
            double w = (double)text_chars(m->labels[k]) * ML_CHAR_PX;
            pbox right = {cx + half + 1, cy - ML_HEIGHT_PX / 2, cx + half + 1 + w, cy + ML_HEIGHT_PX / 2};
            pbox left = {cx - half - 1 - w, cy - ML_HEIGHT_PX / 2, cx - half - 1, cy + ML_HEIGHT_PX / 2};
            const pbox *use = NULL;
            double just = 0.0, tx = 0.0;
            if (right.x1 < vpw && right.y1 < vph && !box_overlaps(&right, placed, np)) {
                use = &right; just = 0.0; tx = right.x0;
            } else if (left.x0 > 0 && left.y1 < vph && !box_overlaps(&left, placed, np)) {
                use = &left; just = 1.0; tx = left.x1;
            }
            if (!use || np >= MAX_PLACED) continue; /* not legible here: the map figure names it */
            placed[np++] = *use;
            escape_text(text, sizeof text, m->labels[k]);
            plcol0(m->color);
            PLFLT wx = L->xmin + tx / px_x, wy = L->ymin + (cy - ML_HEIGHT_PX * 0.3) / px_y;
            plptex(wx, wy, 1, 0, just, text);
        }
    }
    plschr(0.0, TEXT_SCALE);
    plcol0(COL_BLACK);
    plwidth(1.0);
    side_text("l", YLABEL_DISP, d->y_label);
    side_text("b", XLABEL_DISP, d->x_label);
    draw_title(d->title);

    /* legend under the panel, in columns */
    enum { NMAX = LEGEND_MAX };
    char buf[NMAX][256];
    const char *texts[NMAX], *symbols[NMAX];
    PLINT opts[NMAX], tcol[NMAX], lcol[NMAX], lsty[NMAX], scol[NMAX], snum[NMAX], bcol[NMAX], bpat[NMAX];
    PLFLT lwid[NMAX], sscale[NMAX], bscale[NMAX], bwid[NMAX];
    int n = 0;
    for (size_t i = 0; i < d->nseries && n < NMAX; i++, n++) {
        escape_text(buf[n], sizeof buf[n], d->series[i].label);
        opts[n] = PL_LEGEND_LINE;
        lcol[n] = series_color(&d->series[i], i);
        lsty[n] = pl_style(d->series[i].style);
        lwid[n] = LINE_WIDTH;
    }
    if (d->threshold > 0.0 && d->threshold_label && n < NMAX) {
        escape_text(buf[n], sizeof buf[n], d->threshold_label);
        opts[n] = PL_LEGEND_LINE; lcol[n] = COL_BLACK; lsty[n] = pl_style(OL_PLOT_DASHED); lwid[n] = REF_WIDTH;
        n++;
    }
    if (d->nbands && d->bands_label && n < NMAX) {
        escape_text(buf[n], sizeof buf[n], d->bands_label);
        opts[n] = PL_LEGEND_COLOR_BOX; bcol[n] = COL_BAND0; bpat[n] = 0; bscale[n] = 0.9; bwid[n] = 0;
        n++;
    }
    for (size_t i = 0; i < d->nmarks && n < NMAX; i++, n++) {
        escape_text(buf[n], sizeof buf[n], d->marks[i].label);
        opts[n] = PL_LEGEND_SYMBOL; scol[n] = d->marks[i].color; symbols[n] = SHAPE_GLYPH[d->marks[i].shape];
        sscale[n] = SHAPE_SCALE; snum[n] = 1;
    }
    for (int i = 0; i < n; i++) {
        texts[i] = buf[i];
        tcol[i] = COL_BLACK;
        if (opts[i] != PL_LEGEND_SYMBOL) { scol[i] = COL_BLACK; symbols[i] = ""; sscale[i] = 1; snum[i] = 0; }
        if (opts[i] != PL_LEGEND_LINE) { lcol[i] = COL_BLACK; lsty[i] = 1; lwid[i] = 1; }
        if (opts[i] != PL_LEGEND_COLOR_BOX) { bcol[i] = COL_BG; bpat[i] = 0; bscale[i] = 1; bwid[i] = 0; }
    }
    if (n) {
        PLFLT w, h;
        int cols = n < R_LEGEND_COLS ? n : R_LEGEND_COLS, rows = (n + cols - 1) / cols;
        plschr(0.0, LEGEND_SCALE);
        pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX | PL_LEGEND_ROW_MAJOR,
                 PL_POSITION_OUTSIDE | PL_POSITION_BOTTOM | PL_POSITION_VIEWPORT, 0.0, R_LEGEND_DY,
                 LEGEND_SAMPLE, COL_BG, COL_GREY, 1, rows, cols, n, opts, 0.8, LEGEND_SCALE, 1.9, 0.0, tcol, texts,
                 bcol, bpat, bscale, bwid, lcol, lsty, lwid, scol, sscale, snum, symbols);
    }
    if (d->note) {
        escape_text(text, sizeof text, d->note);
        plschr(0.0, fit_scale(d->note, NOTE_SCALE, NOTE_MAX_CHARS));
        plcol0(COL_GREY);
        plmtex("b", R_NOTE_DISP, 0.0, 0.0, text);
        plcol0(COL_BLACK);
    }
}

ol_status ol_plot_ratio_figure(const ol_plot_ratio_data *data, const char *path, ol_plot_format fmt,
                               ol_error *err)
{
    ol_status st = check_target(path, fmt, err);
    if (!st) st = check_ratio(data, err);
    if (st) return st;
    ratio_layout L = {.d = data};
    int y0 = 0, y1 = 0;
    for (size_t i = 0; i < data->nseries; i++) {
        const ol_plot_series *s = &data->series[i];
        if (!y0 || s->years[0] < y0) y0 = s->years[0];
        if (!y1 || s->years[s->n - 1] > y1) y1 = s->years[s->n - 1];
    }
    if (data->year_min) y0 = data->year_min;
    if (data->year_max) y1 = data->year_max;
    if (y1 <= y0) y1 = y0 + 1;
    L.xmin = y0 - 1;
    L.xmax = y1 + 1;
    double top = series_max(data->series, data->nseries), bot = series_min(data->series, data->nseries);
    if (data->threshold > top) top = data->threshold;
    size_t maxstack = 0;
    for (size_t i = 0; i < data->nmarks; i++)
        for (size_t k = 0; k < data->marks[i].n; k++) {
            size_t h = stack_height(data, data->marks[i].years[k], i, k) + 1;
            if (h > maxstack) maxstack = h;
            if (data->marks[i].values[k] > top) top = data->marks[i].values[k];
            if (data->marks[i].values[k] < bot) bot = data->marks[i].values[k];
        }
    /* room above for the tallest stack and the band labels: the pixels they
     * take are a fixed share of the panel, so solve for the window's top */
    const double vph = (R_Y1 - R_Y0) * RATIO_H;
    double extra_px = (double)maxstack * STACK_PX + (data->nbands ? 2 * ML_HEIGHT_PX + ML_GAP_PX : 0) + ML_GAP_PX;
    if (extra_px > vph / 2) extra_px = vph / 2;
    if (top <= bot) top = bot + 1.0;
    if (bot < 0) bot *= HEADROOM;
    L.ymin = bot;
    L.ymax = bot + (top - bot) * vph / (vph - extra_px);
    L.placed = malloc(MAX_PLACED * sizeof *L.placed);
    if (!L.placed) return ol_error_set(err, OL_ENOMEM, path, 0, 0, NULL, "allocating the figure's layout");
    st = render(path, fmt, RATIO_W, RATIO_H, draw_ratio, &L, err);
    free(L.placed);
    return st;
}

/* ================================================================ category grid */

enum { GRID_W = 1200, GRID_H = 900, GRID_MAX_CATEGORIES = 16 };
static const double G_X0 = 0.13, G_X1 = 0.975, G_Y0 = 0.30, G_Y1 = 0.92;
/* Gap between cells in page pixels, and the scale of row labels. */
static const double CELL_GAP_PX = 2.0, ROW_LABEL_SCALE = 0.6, ROW_LABEL_DISP = 0.8;
static const double G_LEGEND_DY = 0.12, G_NOTE_DISP = 17.5;
enum { G_LEGEND_COLS = 2 };
/* Years between labelled ticks on the grid's axis. */
static const double GRID_YEAR_TICK = 5.0;
/* The y label sits further out than on the other figures: the row labels
 * (codes of up to about eight characters) are in the way. */
static const double GRID_YLABEL_EXTRA = 2.6;

static ol_status check_grid(const ol_plot_grid_data *d, ol_error *err)
{
    if (!d) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no figure data");
    if (!d->title || !d->x_label || !d->y_label)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "the figure needs a title and the labels of its axes");
    if (d->nrows == 0 || d->ncols == 0 || !d->cells || !d->row_labels)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "cells", "the grid has no cells");
    if (d->ncategories == 0 || d->ncategories > GRID_MAX_CATEGORIES || !d->categories)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "categories", "the grid needs 1..%d categories",
                            GRID_MAX_CATEGORIES);
    for (size_t i = 0; i < d->ncategories; i++)
        if (!d->categories[i].label || d->categories[i].rgb > 0xFFFFFFu)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "categories", "category %zu needs a label and a colour",
                                i);
    for (size_t r = 0; r < d->nrows; r++) {
        if (!d->row_labels[r])
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "rows", "row %zu has no label", r);
        for (size_t c = 0; c < d->ncols; c++) {
            int v = d->cells[r * d->ncols + c];
            if (v < -1 || v >= (int)d->ncategories)
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "cells", "row '%s', year %d: category %d is not -1..%zu",
                                    d->row_labels[r], d->year0 + (int)c, v, d->ncategories - 1);
        }
    }
    return OL_OK;
}

static void draw_grid(const void *ctx)
{
    const ol_plot_grid_data *d = ctx;
    char text[1024];
    plscmap0n(NCOLORS + GRID_MAX_CATEGORIES);
    for (int i = 0; i < NCOLORS; i++) plscol0(i, PAL_R[i], PAL_G[i], PAL_B[i]);
    for (size_t i = 0; i < d->ncategories; i++) {
        uint32_t c = d->categories[i].rgb;
        plscol0(NCOLORS + (PLINT)i, (PLINT)(c >> 16 & 0xFF), (PLINT)(c >> 8 & 0xFF), (PLINT)(c & 0xFF));
    }
    pladv(0);
    plschr(0.0, TEXT_SCALE);
    plvpor(G_X0, G_X1, G_Y0, G_Y1);
    const double xmin = d->year0 - 0.5, xmax = d->year0 + (double)d->ncols - 0.5;
    plwind(xmin, xmax, 0, (double)d->nrows);
    /* the gap in cell units, the same number of pixels across and down */
    const double gx = CELL_GAP_PX * (double)d->ncols / ((G_X1 - G_X0) * GRID_W);
    const double gy = CELL_GAP_PX * (double)d->nrows / ((G_Y1 - G_Y0) * GRID_H);
    for (size_t r = 0; r < d->nrows; r++) {
        double ytop = (double)(d->nrows - r), ybot = ytop - 1;
        for (size_t c = 0; c < d->ncols; c++) {
            int v = d->cells[r * d->ncols + c];
            if (v < 0) continue;
            double x0 = d->year0 + (double)c - 0.5 + gx / 2, x1 = x0 + 1 - gx;
            PLFLT x[4] = {x0, x1, x1, x0}, y[4] = {ybot + gy / 2, ybot + gy / 2, ytop - gy / 2, ytop - gy / 2};
            plcol0(NCOLORS + v);
            plfill(4, x, y);
        }
        escape_text(text, sizeof text, d->row_labels[r]);
        plcol0(COL_BLACK);
        plschr(0.0, ROW_LABEL_SCALE);
        plmtex("lv", ROW_LABEL_DISP, ((double)(d->nrows - r) - 0.5) / (double)d->nrows, 1.0, text);
        plschr(0.0, TEXT_SCALE);
    }
    plcol0(COL_BLACK);
    plwidth(1.0);
    plbox("bcnst", GRID_YEAR_TICK, 5, "bc", 0.0, 0);
    side_text("b", XLABEL_DISP, d->x_label);
    side_text("l", YLABEL_DISP + GRID_YLABEL_EXTRA, d->y_label);
    draw_title(d->title);

    char buf[GRID_MAX_CATEGORIES][256];
    const char *texts[GRID_MAX_CATEGORIES];
    PLINT opts[GRID_MAX_CATEGORIES], tcol[GRID_MAX_CATEGORIES], bcol[GRID_MAX_CATEGORIES],
        bpat[GRID_MAX_CATEGORIES];
    PLFLT bscale[GRID_MAX_CATEGORIES], bwid[GRID_MAX_CATEGORIES];
    int n = (int)d->ncategories;
    for (int i = 0; i < n; i++) {
        escape_text(buf[i], sizeof buf[i], d->categories[i].label);
        texts[i] = buf[i];
        opts[i] = PL_LEGEND_COLOR_BOX;
        tcol[i] = COL_BLACK;
        bcol[i] = NCOLORS + i;
        bpat[i] = 0;
        bscale[i] = 0.9;
        bwid[i] = 0;
    }
    PLFLT w, h;
    int cols = n < G_LEGEND_COLS ? n : G_LEGEND_COLS, rows = (n + cols - 1) / cols;
    plschr(0.0, LEGEND_SCALE);
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX | PL_LEGEND_ROW_MAJOR,
             PL_POSITION_OUTSIDE | PL_POSITION_BOTTOM | PL_POSITION_VIEWPORT, 0.0, G_LEGEND_DY, LEGEND_SAMPLE / 2,
             COL_BG, COL_GREY, 1, rows, cols, n, opts, 0.8, LEGEND_SCALE, 1.9, 0.0, tcol, texts, bcol, bpat, bscale,
             bwid, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    if (d->note) {
        escape_text(text, sizeof text, d->note);
        plschr(0.0, fit_scale(d->note, NOTE_SCALE, NOTE_MAX_CHARS));
        plcol0(COL_GREY);
        plmtex("b", G_NOTE_DISP, 0.0, 0.0, text);
        plcol0(COL_BLACK);
    }
}

ol_status ol_plot_grid_figure(const ol_plot_grid_data *data, const char *path, ol_plot_format fmt, ol_error *err)
{
    ol_status st = check_target(path, fmt, err);
    if (!st) st = check_grid(data, err);
    if (st) return st;
    return render(path, fmt, GRID_W, GRID_H, draw_grid, data, err);
}

/* ================================================================ lines with bands */

enum { LINES_W = 1200, LINES_H = 900 };
static const double L_X0 = 0.08, L_X1 = 0.975, L_Y0 = 0.27, L_Y1 = 0.92;
/* Legend under the panel (offset in panel heights), in as many columns as
 * fit the panel's width; the note at the foot of the page (page fractions). */
static const double L_LEGEND_DY = 0.115, L_NOTE_X = 0.01, L_NOTE_Y = 0.015, L_NOTE_LINE = 0.02;
static const double L_NOTE_SCALE = 0.5;
/* Space above and below the data, as a share of its range. */
static const double L_PAD = 0.06;
/* Opacity of the bands (0 transparent .. 1 opaque), and the reference
 * line's width. */
static const double RIBBON_ALPHA = 0.16, HLINE_WIDTH = 1.0;
/* Half the width (years) of the band of a lone year, which has no neighbours
 * to span. */
static const double RIBBON_LONE_HALF = 0.3;
/* The lines' own qualitative colours (see plot.h), then room for a
 * translucent copy of each series' colour. */
static const PLINT LINES_R[OL_PLOT_LINES_COLORS] = {31, 214, 44, 255, 148, 140, 227, 0, 23, 188, 127, 0};
static const PLINT LINES_G[OL_PLOT_LINES_COLORS] = {119, 39, 160, 127, 103, 86, 119, 0, 190, 189, 127, 0};
static const PLINT LINES_B[OL_PLOT_LINES_COLORS] = {180, 40, 44, 14, 189, 75, 194, 0, 207, 34, 127, 128};
enum { COL_LINES = NCOLORS, COL_RIBBON = COL_LINES + OL_PLOT_LINES_COLORS,
       COL_RIBBON_KEY = COL_RIBBON + OL_PLOT_LINES_MAX, NCOLORS_LINES };

static ol_status check_lines(const ol_plot_lines_data *d, ol_error *err)
{
    if (!d) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no figure data");
    if (!d->title || !d->x_label || !d->y_label)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "the figure needs a title and the labels of its axes");
    ol_status st = check_series(d->series, d->nseries, "lines", err);
    if (st) return st;
    if (d->nseries > OL_PLOT_LINES_MAX)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "lines", "%zu series: at most %d can be drawn", d->nseries,
                            OL_PLOT_LINES_MAX);
    for (size_t i = 0; d->slots && i < d->nseries; i++)
        if (d->slots[i] < 0)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "slots", "series '%s': colour slot %d is negative",
                                d->series[i].label, d->slots[i]);
    if (d->hline_on && !isfinite(d->hline))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "hline", "the reference line is not finite");
    for (size_t i = 0; d->ribbons && i < d->nseries; i++) {
        const ol_plot_ribbon *b = &d->ribbons[i];
        if (b->n && (!b->years || !b->lo || !b->hi))
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "ribbons", "the band of '%s' has no values",
                                d->series[i].label);
        for (size_t k = 0; k < b->n; k++) {
            if (!isfinite(b->lo[k]) || !isfinite(b->hi[k]) || b->lo[k] > b->hi[k])
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "ribbons",
                                    "the band of '%s' at %d is not finite or runs upside down", d->series[i].label,
                                    b->years[k]);
            if (k && b->years[k] <= b->years[k - 1])
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "ribbons",
                                    "the band of '%s': years must strictly increase (index %zu)", d->series[i].label, k);
        }
    }
    if (d->year_min && d->year_max && d->year_min >= d->year_max)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "year", "empty year range %d-%d", d->year_min, d->year_max);
    return OL_OK;
}

static int lines_color(const ol_plot_lines_data *d, size_t i)
{
    if (d->series[i].color) return d->series[i].color;
    size_t slot = d->slots ? (size_t)d->slots[i] : i;
    return COL_LINES + (int)(slot % OL_PLOT_LINES_COLORS);
}

/* The band as one polygon per run of consecutive years. */
static void draw_ribbon(const ol_plot_ribbon *b, int color)
{
    PLFLT *x = malloc(2 * (b->n + 1) * sizeof *x), *y = malloc(2 * (b->n + 1) * sizeof *y);
    if (!x || !y) { free(x); free(y); return; } /* a figure without its band rather than none */
    plcol0(color);
    for (size_t s = 0; s < b->n;) {
        size_t e = s + 1;
        while (e < b->n && b->years[e] - b->years[e - 1] == 1) e++;
        PLINT m = 0;
        if (e - s == 1) {
            double x0 = b->years[s] - RIBBON_LONE_HALF, x1 = b->years[s] + RIBBON_LONE_HALF;
            PLFLT rx[4] = {x0, x1, x1, x0}, ry[4] = {b->lo[s], b->lo[s], b->hi[s], b->hi[s]};
            plfill(4, rx, ry);
        } else {
            for (size_t k = s; k < e; k++, m++) { x[m] = b->years[k]; y[m] = b->hi[k]; }
            for (size_t k = e; k-- > s; m++) { x[m] = b->years[k]; y[m] = b->lo[k]; }
            plfill(m, x, y);
        }
        s = e;
    }
    free(x);
    free(y);
}

typedef struct lines_layout {
    const ol_plot_lines_data *d;
    double xmin, xmax, ymin, ymax;
} lines_layout;

/* The note at the foot of the page, a line per '\n', the last line lowest. */
static void draw_foot_note(const char *note)
{
    char text[1024], line[1024];
    plvpor(0.0, 1.0, 0.0, 1.0);
    plwind(0.0, 1.0, 0.0, 1.0);
    const char *p = note;
    int nl = 1;
    for (const char *q = p; *q; q++) nl += *q == '\n';
    plcol0(COL_GREY);
    for (int k = 0; k < nl; k++) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        size_t n = len < sizeof line ? len : sizeof line - 1;
        memcpy(line, p, n);
        line[n] = '\0';
        escape_text(text, sizeof text, line);
        plschr(0.0, fit_scale(line, L_NOTE_SCALE, NOTE_MAX_CHARS * NOTE_SCALE / L_NOTE_SCALE));
        plptex(L_NOTE_X, L_NOTE_Y + (nl - 1 - k) * L_NOTE_LINE, 1.0, 0.0, 0.0, text);
        p = e ? e + 1 : p + len;
    }
    plcol0(COL_BLACK);
}

static void draw_lines(const void *ctx)
{
    const lines_layout *L = ctx;
    const ol_plot_lines_data *d = L->d;

    plscmap0n(NCOLORS_LINES);
    for (int i = 0; i < NCOLORS; i++) plscol0(i, PAL_R[i], PAL_G[i], PAL_B[i]);
    for (int i = 0; i < OL_PLOT_LINES_COLORS; i++) plscol0(COL_LINES + i, LINES_R[i], LINES_G[i], LINES_B[i]);
    for (size_t i = 0; i < d->nseries; i++) {
        PLINT r, g, b;
        plgcol0(lines_color(d, i), &r, &g, &b);
        plscol0a(COL_RIBBON + (PLINT)i, r, g, b, RIBBON_ALPHA);
    }
    plscol0a(COL_RIBBON_KEY, PAL_R[COL_GREY], PAL_G[COL_GREY], PAL_B[COL_GREY], 2 * RIBBON_ALPHA);
    pladv(0);
    plschr(0.0, TEXT_SCALE);
    plvpor(L_X0, L_X1, L_Y0, L_Y1);
    plwind(L->xmin, L->xmax, L->ymin, L->ymax);

    /* bands under the grid and the lines */
    for (size_t i = 0; d->ribbons && i < d->nseries; i++)
        if (d->ribbons[i].n) draw_ribbon(&d->ribbons[i], COL_RIBBON + (int)i);
    draw_axes();
    if (d->hline_on) {
        PLFLT x[2] = {L->xmin, L->xmax}, y[2] = {d->hline, d->hline};
        plcol0(COL_GREY);
        plwidth(HLINE_WIDTH);
        plline(2, x, y);
    }
    for (size_t i = 0; i < d->nseries; i++) draw_series(&d->series[i], lines_color(d, i));

    plcol0(COL_BLACK);
    plwidth(1.0);
    side_text("l", YLABEL_DISP, d->y_label);
    side_text("b", XLABEL_DISP, d->x_label);
    draw_title(d->title);

    /* legend under the panel, row by row */
    enum { NMAX = OL_PLOT_LINES_MAX + 1 };
    char buf[NMAX][256];
    const char *texts[NMAX];
    PLINT opts[NMAX], tcol[NMAX], lcol[NMAX], lsty[NMAX], bcol[NMAX], bpat[NMAX];
    PLFLT lwid[NMAX], bscale[NMAX], bwid[NMAX];
    int n = 0;
    for (size_t i = 0; i < d->nseries; i++, n++) {
        escape_text(buf[n], sizeof buf[n], d->series[i].label);
        opts[n] = PL_LEGEND_LINE;
        lcol[n] = lines_color(d, i);
        lsty[n] = pl_style(d->series[i].style);
        lwid[n] = LINE_WIDTH;
        bcol[n] = COL_BG; bpat[n] = 0; bscale[n] = 1; bwid[n] = 0;
    }
    int any_ribbon = 0;
    for (size_t i = 0; d->ribbons && i < d->nseries; i++) any_ribbon |= d->ribbons[i].n > 0;
    if (any_ribbon && d->ribbons_label) {
        escape_text(buf[n], sizeof buf[n], d->ribbons_label);
        opts[n] = PL_LEGEND_COLOR_BOX;
        lcol[n] = COL_BLACK; lsty[n] = 1; lwid[n] = 1;
        bcol[n] = COL_RIBBON_KEY; bpat[n] = 0; bscale[n] = 0.9; bwid[n] = 0;
        n++;
    }
    for (int i = 0; i < n; i++) {
        texts[i] = buf[i];
        tcol[i] = COL_BLACK;
    }
    /* the columns: as many as fit across the panel, the rows then evened out */
    size_t longest = 0;
    for (int i = 0; i < n; i++)
        if (text_chars(texts[i]) > longest) longest = text_chars(texts[i]);
    const double vpw = (L_X1 - L_X0) * LINES_W;
    const double col_px = LEGEND_SAMPLE * vpw + LEGEND_FIXED_PX + LEGEND_CHAR_PX * (double)longest;
    int cols = (int)(vpw / col_px);
    if (cols < 1) cols = 1;
    if (cols > n) cols = n;
    int rows = (n + cols - 1) / cols;
    cols = (n + rows - 1) / rows;
    PLFLT w, h;
    plschr(0.0, LEGEND_SCALE);
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX | PL_LEGEND_ROW_MAJOR,
             PL_POSITION_OUTSIDE | PL_POSITION_BOTTOM | PL_POSITION_VIEWPORT, 0.0, L_LEGEND_DY, LEGEND_SAMPLE, COL_BG,
             COL_GREY, 1, rows, cols, n, opts, 0.8, LEGEND_SCALE, 1.9, 0.0, tcol, texts, bcol, bpat, bscale, bwid,
             lcol, lsty, lwid, NULL, NULL, NULL, NULL);
    if (d->note) draw_foot_note(d->note); /* whatever the legend's height */
}

ol_status ol_plot_lines_figure(const ol_plot_lines_data *data, const char *path, ol_plot_format fmt, ol_error *err)
{
    ol_status st = check_target(path, fmt, err);
    if (!st) st = check_lines(data, err);
    if (st) return st;
    lines_layout L = {.d = data};
    int y0 = 0, y1 = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < data->nseries; i++) {
        const ol_plot_series *s = &data->series[i];
        if (!y0 || s->years[0] < y0) y0 = s->years[0];
        if (!y1 || s->years[s->n - 1] > y1) y1 = s->years[s->n - 1];
        for (size_t k = 0; k < s->n; k++) {
            if (s->values[k] < lo) lo = s->values[k];
            if (s->values[k] > hi) hi = s->values[k];
        }
        const ol_plot_ribbon *b = data->ribbons ? &data->ribbons[i] : NULL;
        for (size_t k = 0; b && k < b->n; k++) {
            if (b->lo[k] < lo) lo = b->lo[k];
            if (b->hi[k] > hi) hi = b->hi[k];
        }
    }
    if (data->hline_on) {
        if (data->hline < lo) lo = data->hline;
        if (data->hline > hi) hi = data->hline;
    }
    if (data->year_min) y0 = data->year_min;
    if (data->year_max) y1 = data->year_max;
    if (y1 <= y0) y1 = y0 + 1;
    if (hi <= lo) { lo -= 0.5; hi += 0.5; }
    L.xmin = y0 - 1;
    L.xmax = y1 + 1;
    L.ymin = lo - (hi - lo) * L_PAD;
    L.ymax = hi + (hi - lo) * L_PAD;
    return render(path, fmt, LINES_W, LINES_H, draw_lines, &L, err);
}

/* ================================================================ sensitivity bars */

enum { SENS_W = 1200, SENS_H = 900 };
static const double S_X0 = 0.09, S_X1 = 0.975, S_Y1 = 0.90;
/* The panel's bottom: where horizontal names leave room, and the most that
 * slanted names may push it up (page fractions). */
static const double S_Y0 = 0.16, S_Y0_MAX = 0.42;
/* Width of a bar and the gap between the pair, in parameter slots; the
 * whisker's cap in slots. */
static const double BAR_W = 0.34, BAR_GAP = 0.04, CAP_W = 0.12, WHISKER_WIDTH = 1.5;
/* The legend's share of the panel's height at the top, kept clear of bars. */
static const double S_LEGEND_SHARE = 0.16;
/* Space below zero and above the data, as a share of the range. */
static const double S_PAD = 0.05;
/* Names: their scale, pixels per character at that scale, their distance
 * under the panel (page fraction) and the slant when they do not fit side by
 * side (degrees). */
static const double NAME_SCALE = 0.6, NAME_CHAR_PX = 10.5, NAME_GAP = 0.012, NAME_SLANT = 30.0;
static const double DEGREE = 3.14159265358979323846 / 180.0; /* M_PI is not C17 */
/* The bars' colours (palette: blue, orange). */
enum { COL_S1 = 2, COL_ST = 5 };
static const double FOOT_LINE = 0.02; /* a note line's height (page fraction), as L_NOTE_LINE */

/* The left margin may grow so that a slanted first name stays on the page,
 * up to this much (page fraction), in these steps. */
static const double S_X0_MAX = 0.3, S_X0_STEP = 0.01, NAME_MARGIN_PX = 8.0;

typedef struct sens_layout {
    const ol_plot_sensitivity_data *d;
    double ymin, ymax;  /* window */
    double x0, y0;      /* panel's left and bottom (page fractions) */
    int slant;
} sens_layout;

static ol_status check_sensitivity(const ol_plot_sensitivity_data *d, ol_error *err)
{
    if (!d) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no figure data");
    if (!d->title || !d->y_label)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "the figure needs a title and the label of its axis");
    if (d->nparams == 0 || d->nparams > OL_PLOT_BARS_MAX || !d->names || !d->indices)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "parameters", "the figure needs 1..%d parameters with "
                            "their names and indices (got %zu)", OL_PLOT_BARS_MAX, d->nparams);
    for (size_t i = 0; i < d->nparams; i++) {
        const ol_sobol_index *x = &d->indices[i];
        if (!d->names[i])
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "names", "parameter %zu has no name", i);
        const double v[6] = {x->S1, x->S1_lo, x->S1_hi, x->ST, x->ST_lo, x->ST_hi};
        for (int k = 0; k < 6; k++)
            if (!isfinite(v[k]))
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "indices", "parameter '%s': an index or interval "
                                    "bound is not finite", d->names[i]);
        if (x->S1_lo > x->S1_hi || x->ST_lo > x->ST_hi)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "indices", "parameter '%s': an interval runs upside "
                                "down (lo > hi)", d->names[i]);
    }
    return OL_OK;
}

static void draw_bar(double x0, double x1, double y, int color)
{
    PLFLT x[4] = {x0, x1, x1, x0}, yy[4] = {0, 0, y, y};
    plcol0(color);
    plfill(4, x, yy);
    plcol0(COL_BLACK);
    plwidth(1.0);
    PLFLT ox[5] = {x0, x1, x1, x0, x0}, oy[5] = {0, 0, y, y, 0};
    plline(5, ox, oy);
}

static void draw_whisker(double xc, double lo, double hi)
{
    if (lo == hi) return;
    plcol0(COL_BLACK);
    plwidth(WHISKER_WIDTH);
    PLFLT x[2] = {xc, xc}, y[2] = {lo, hi};
    plline(2, x, y);
    for (int k = 0; k < 2; k++) {
        PLFLT cx[2] = {xc - CAP_W / 2, xc + CAP_W / 2}, cy[2] = {k ? hi : lo, k ? hi : lo};
        plline(2, cx, cy);
    }
    plwidth(1.0);
}

static void draw_sensitivity(const void *ctx)
{
    const sens_layout *L = ctx;
    const ol_plot_sensitivity_data *d = L->d;
    char text[1024];
    const double n = (double)d->nparams;

    pladv(0);
    plschr(0.0, TEXT_SCALE);
    plvpor(L->x0, S_X1, L->y0, S_Y1);
    plwind(-0.5, n - 0.5, L->ymin, L->ymax);
    plwidth(GRID_WIDTH);
    plcol0(COL_GRID);
    plbox("", 0, 0, "g", 0.0, 0);
    PLFLT zx[2] = {-0.5, n - 0.5}, zy[2] = {0, 0};
    plcol0(COL_GREY);
    plwidth(REF_WIDTH);
    plline(2, zx, zy);
    for (size_t i = 0; i < d->nparams; i++) {
        const ol_sobol_index *x = &d->indices[i];
        const double c = (double)i, l = c - BAR_GAP / 2 - BAR_W, r = c + BAR_GAP / 2;
        draw_bar(l, l + BAR_W, x->S1, COL_S1);
        draw_bar(r, r + BAR_W, x->ST, COL_ST);
        draw_whisker(l + BAR_W / 2, x->S1_lo, x->S1_hi);
        draw_whisker(r + BAR_W / 2, x->ST_lo, x->ST_hi);
    }
    plcol0(COL_BLACK);
    plwidth(1.0);
    plbox("bc", 0, 0, "bcnstv", 0.0, 0);
    side_text("l", YLABEL_DISP, d->y_label);
    draw_title(d->title);

    /* legend in the top-right corner, in the room kept clear of the bars */
    const char *texts[3] = {"First-order index S1", "Total index ST", NULL};
    char ibuf[256];
    PLINT opts[3] = {PL_LEGEND_COLOR_BOX, PL_LEGEND_COLOR_BOX, PL_LEGEND_LINE};
    PLINT tcol[3] = {COL_BLACK, COL_BLACK, COL_BLACK}, bcol[3] = {COL_S1, COL_ST, COL_BG}, bpat[3] = {0, 0, 0};
    PLINT lcol[3] = {COL_BLACK, COL_BLACK, COL_BLACK}, lsty[3] = {1, 1, 1};
    PLFLT bscale[3] = {0.9, 0.9, 1}, bwid[3] = {0, 0, 0}, lwid[3] = {1, 1, WHISKER_WIDTH};
    int ne = 2;
    if (d->interval_label) {
        escape_text(ibuf, sizeof ibuf, d->interval_label);
        texts[ne++] = ibuf;
    }
    PLFLT w, h;
    plschr(0.0, LEGEND_SCALE);
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX | PL_LEGEND_ROW_MAJOR,
             PL_POSITION_INSIDE | PL_POSITION_TOP | PL_POSITION_RIGHT | PL_POSITION_VIEWPORT, LEGEND_X_OFF,
             LEGEND_Y_OFF / 2, LEGEND_SAMPLE / 2, COL_BG, COL_GREY, 1, ne, 1, ne, opts, 0.8, LEGEND_SCALE, 1.9, 0.0,
             tcol, texts, bcol, bpat, bscale, bwid, lcol, lsty, lwid, NULL, NULL, NULL, NULL);

    /* the names under their pairs, on the page's own coordinates */
    plvpor(0.0, 1.0, 0.0, 1.0);
    plwind(0.0, 1.0, 0.0, 1.0);
    plschr(0.0, NAME_SCALE);
    plcol0(COL_BLACK);
    const double a = NAME_SLANT * DEGREE;
    for (size_t i = 0; i < d->nparams; i++) {
        double x = L->x0 + (S_X1 - L->x0) * ((double)i + 0.5) / n;
        escape_text(text, sizeof text, d->names[i]);
        if (L->slant) /* reading up to the right, ending under the pair */
            plptex(x, L->y0 - NAME_GAP, cos(a) / SENS_W, sin(a) / SENS_H, 1.0, text);
        else
            plptex(x, L->y0 - 2.5 * NAME_GAP, 1.0, 0.0, 0.5, text);
    }
    if (d->note) draw_foot_note(d->note);
}

ol_status ol_plot_sensitivity_figure(const ol_plot_sensitivity_data *data, const char *path, ol_plot_format fmt,
                                     ol_error *err)
{
    ol_status st = check_target(path, fmt, err);
    if (!st) st = check_sensitivity(data, err);
    if (st) return st;
    sens_layout L = {.d = data};
    double lo = 0.0, hi = 0.0;
    size_t longest = 0;
    for (size_t i = 0; i < data->nparams; i++) {
        const ol_sobol_index *x = &data->indices[i];
        lo = fmin(lo, fmin(fmin(x->S1, x->S1_lo), fmin(x->ST, x->ST_lo)));
        hi = fmax(hi, fmax(fmax(x->S1, x->S1_hi), fmax(x->ST, x->ST_hi)));
        if (text_chars(data->names[i]) > longest) longest = text_chars(data->names[i]);
    }
    if (hi - lo <= 0.0) hi = lo + 1.0;
    L.ymin = lo < 0.0 ? lo - (hi - lo) * S_PAD : 0.0;
    /* the data fill the panel below the legend's share */
    double top = hi + (hi - lo) * S_PAD;
    L.ymax = L.ymin + (top - L.ymin) / (1.0 - S_LEGEND_SHARE);
    /* names side by side when the longest fits its slot, else slanted, the
     * panel rising to make room for them (and for the note's lines) */
    const double slot_px = (S_X1 - S_X0) * SENS_W / (double)data->nparams;
    const double name_px = NAME_CHAR_PX * (double)longest;
    int note_lines = 0;
    for (const char *q = data->note; q && *q; q++) note_lines += *q == '\n';
    if (data->note) note_lines++;
    const double foot = L_NOTE_Y + note_lines * FOOT_LINE;
    L.slant = name_px > 0.9 * slot_px;
    L.x0 = S_X0;
    for (; L.slant && L.x0 < S_X0_MAX; L.x0 += S_X0_STEP) {
        int fits = 1;
        for (size_t i = 0; i < data->nparams && fits; i++) {
            double x = (L.x0 + (S_X1 - L.x0) * ((double)i + 0.5) / (double)data->nparams) * SENS_W;
            fits = x - NAME_CHAR_PX * (double)text_chars(data->names[i]) * cos(NAME_SLANT * DEGREE) >= NAME_MARGIN_PX;
        }
        if (fits) break;
    }
    L.y0 = S_Y0 + (note_lines > 1 ? foot - L_NOTE_Y - FOOT_LINE : 0.0);
    if (L.slant) {
        double need = foot + NAME_GAP * 2 + name_px * sin(NAME_SLANT * DEGREE) / SENS_H;
        if (need > L.y0) L.y0 = need < S_Y0_MAX ? need : S_Y0_MAX;
    }
    return render(path, fmt, SENS_W, SENS_H, draw_sensitivity, &L, err);
}

/* ================================================================ heat map */

enum { HEAT_W = 1200, HEAT_H = 900 };
static const double H_X0 = 0.10, H_X1 = 0.80, H_Y0 = 0.15, H_Y1 = 0.90;
/* The colour bar beside the panel (page fractions), its steps, and the
 * "no data" key under it. */
static const double CBAR_X0 = 0.85, CBAR_X1 = 0.88, CBAR_Y0 = 0.30;
enum { CBAR_STEPS = 200 };
static const double NODATA_KEY_H = 0.04;
/* The bar's title: its distance from the bar (character heights, beyond the
 * tick labels) and the characters it takes at full size along the bar. */
static const double CBAR_TITLE_DISP = 4.2, CBAR_TITLE_MAX_CHARS = 48.0;
/* The scale: viridis (van der Walt & Smith) at five stops, interpolated. */
static const PLFLT HEAT_POS[] = {0.0, 0.25, 0.5, 0.75, 1.0};
static const PLFLT HEAT_R[] = {68 / 255.0, 59 / 255.0, 33 / 255.0, 94 / 255.0, 253 / 255.0};
static const PLFLT HEAT_G[] = {1 / 255.0, 82 / 255.0, 145 / 255.0, 201 / 255.0, 231 / 255.0};
static const PLFLT HEAT_B[] = {84 / 255.0, 139 / 255.0, 140 / 255.0, 98 / 255.0, 37 / 255.0};
enum { HEAT_COLORS = 256 };
/* Cells below this value carry white text, above it black (where viridis
 * turns light). */
static const double HEAT_DARK = 0.55;
/* Gap between cells (page pixels); the "no data" grey and its hatching. */
static const double HEAT_GAP_PX = 2.0;
enum { COL_NODATA = NCOLORS, COL_WHITE, COL_HATCH, NCOLORS_HEAT };
static const PLINT NODATA_RGB[3] = {236, 236, 236}, HATCH_RGB[3] = {196, 196, 196};
/* Cell text: the largest scale up to CELL_SCALE at which it fits, none under
 * CELL_SCALE_MIN; pixels per character and line height per unit of scale. */
static const double CELL_SCALE = 0.7, CELL_SCALE_MIN = 0.32, CELL_CHAR_PX = 17.0, CELL_LINE_PX = 34.0;
/* Axis labels at TEXT_SCALE: pixels per character and per line, and the
 * least gap between two labels. */
static const double AXIS_CHAR_PX = 10.0, AXIS_LINE_PX = 18.0, AXIS_LABEL_GAP_PX = 10.0;
/* A character's height at TEXT_SCALE (the unit of plmtex's displacement),
 * and the room the y axis's title takes beyond its labels (in it). */
static const double AXIS_CHAR_H_PX = 14.0, YTITLE_ROOM = 2.2;

typedef struct heat_layout {
    const ol_plot_heatmap_data *d;
    double x0;          /* the panel's left edge (page fraction), room for the y labels */
    double ytitle_disp; /* the y title's distance from the panel (character heights) */
    double xb[OL_PLOT_HEAT_MAX + 1], yb[OL_PLOT_HEAT_MAX + 1]; /* cell boundaries (window units) */
    int any_nodata;
} heat_layout;

static ol_status check_axis(const double *edges, const double *levels, size_t n, const char *axis, ol_error *err)
{
    if (n == 0 || n > OL_PLOT_HEAT_MAX)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, axis, "%s: %zu cells, the map takes 1..%d", axis, n,
                            OL_PLOT_HEAT_MAX);
    if (!edges == !levels)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, axis, "%s: give either bin edges or levels (exactly one)",
                            axis);
    const double *v = edges ? edges : levels;
    size_t m = edges ? n + 1 : n;
    for (size_t k = 0; k < m; k++) {
        if (!isfinite(v[k]))
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, axis, "%s: %s %zu is not finite", axis,
                                edges ? "edge" : "level", k);
        if (k && v[k] <= v[k - 1])
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, axis, "%s: %s must strictly increase (index %zu)", axis,
                                edges ? "edges" : "levels", k);
    }
    return OL_OK;
}

static int heat_nodata(const ol_plot_heatmap_data *d, size_t k)
{
    return (d->counts && d->counts[k] == 0) || isnan(d->values[k]);
}

static ol_status check_heatmap(const ol_plot_heatmap_data *d, ol_error *err)
{
    if (!d) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no figure data");
    if (!d->title || !d->x_label || !d->y_label || !d->scale_label)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL,
                            "the figure needs a title, the labels of its axes and of its colour scale");
    ol_status st = check_axis(d->x_edges, d->x_levels, d->nx, "x", err);
    if (!st) st = check_axis(d->y_edges, d->y_levels, d->ny, "y", err);
    if (st) return st;
    if (!d->values) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "values", "the map has no values");
    for (size_t r = 0; r < d->ny; r++)
        for (size_t c = 0; c < d->nx; c++) {
            size_t k = r * d->nx + c;
            double v = d->values[k];
            if (!heat_nodata(d, k) && !(v >= 0.0 && v <= 1.0))
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "values", "cell (x %zu, y %zu): %g is not in [0, 1]",
                                    c, r, v);
        }
    return OL_OK;
}

/* A number as an axis label: short, without trailing zeros. */
static void number_label(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.4g", v);
}

/* The labels of one axis: edges at the cell boundaries, levels at the cells'
 * centres; every k-th, k from the typical cell's size, and of those each
 * where it keeps clear of the last one drawn (uneven bins lose some labels
 * rather than overprint them). */
static void heat_axis_labels(const heat_layout *L, int is_x)
{
    const ol_plot_heatmap_data *d = L->d;
    const size_t n = is_x ? d->nx : d->ny;
    const double *edges = is_x ? d->x_edges : d->y_edges, *levels = is_x ? d->x_levels : d->y_levels;
    const double *b = is_x ? L->xb : L->yb;
    const double span_px = is_x ? (H_X1 - L->x0) * HEAT_W : (H_Y1 - H_Y0) * HEAT_H;
    const size_t m = edges ? n + 1 : n;
    char text[64];
    /* the label's extent along the axis, at most */
    size_t longest = 0;
    for (size_t k = 0; k < m; k++) {
        number_label(text, sizeof text, edges ? edges[k] : levels[k]);
        if (text_chars(text) > longest) longest = text_chars(text);
    }
    const double need = (is_x ? AXIS_CHAR_PX * (double)longest : AXIS_LINE_PX) + AXIS_LABEL_GAP_PX;
    double cells[OL_PLOT_HEAT_MAX];
    for (size_t k = 0; k < n; k++) cells[k] = (b[k + 1] - b[k]) / (b[n] - b[0]) * span_px;
    gsl_sort(cells, 1, n);
    const double typical = gsl_stats_median_from_sorted_data(cells, 1, n);
    const size_t step = typical >= need ? 1 : (size_t)ceil(need / typical);
    double last_px = -1e9, last_half = 0.0;
    plschr(0.0, TEXT_SCALE);
    plcol0(COL_BLACK);
    for (size_t k = 0; k < m; k += step) {
        double at = edges ? b[k] : (b[k] + b[k + 1]) / 2;
        double pos = (at - b[0]) / (b[n] - b[0]);
        number_label(text, sizeof text, edges ? edges[k] : levels[k]);
        double half = is_x ? AXIS_CHAR_PX * (double)text_chars(text) / 2 : AXIS_LINE_PX / 2;
        if (pos * span_px - last_px < last_half + half + AXIS_LABEL_GAP_PX) continue;
        if (is_x) plmtex("b", 1.4, pos, 0.5, text);
        else plmtex("lv", 0.7, pos, 1.0, text);
        last_px = pos * span_px;
        last_half = half;
    }
}

/* The widest label of the y axis, in characters. */
static size_t heat_y_label_chars(const ol_plot_heatmap_data *d)
{
    char text[64];
    size_t longest = 0, m = d->y_edges ? d->ny + 1 : d->ny;
    for (size_t k = 0; k < m; k++) {
        number_label(text, sizeof text, d->y_edges ? d->y_edges[k] : d->y_levels[k]);
        if (text_chars(text) > longest) longest = text_chars(text);
    }
    return longest;
}

static void hatch(double x0, double x1, double y0, double y1)
{
    PLFLT x[4] = {x0, x1, x1, x0}, y[4] = {y0, y0, y1, y1};
    plcol0(COL_NODATA);
    plpsty(0);
    plfill(4, x, y);
    plcol0(COL_HATCH);
    plpsty(3); /* lines at 45 degrees */
    plfill(4, x, y);
    plpsty(0);
}

/* Text centred at (x, y) with the line offset dy (character heights) when
 * it fits w_px; returns 0 when it does not fit at the smallest scale. */
static double cell_scale(const char *const *lines, int nl, double w_px, double h_px)
{
    size_t longest = 0;
    for (int i = 0; i < nl; i++)
        if (text_chars(lines[i]) > longest) longest = text_chars(lines[i]);
    double s = CELL_SCALE;
    double sw = 0.9 * w_px / (CELL_CHAR_PX * (double)longest), sh = 0.9 * h_px / (CELL_LINE_PX * nl);
    if (sw < s) s = sw;
    if (sh < s) s = sh;
    return s < CELL_SCALE_MIN ? 0.0 : s;
}

static void draw_heatmap(const void *ctx)
{
    const heat_layout *L = ctx;
    const ol_plot_heatmap_data *d = L->d;
    char text[1024];

    plscmap0n(NCOLORS_HEAT);
    for (int i = 0; i < NCOLORS; i++) plscol0(i, PAL_R[i], PAL_G[i], PAL_B[i]);
    plscol0(COL_NODATA, NODATA_RGB[0], NODATA_RGB[1], NODATA_RGB[2]);
    plscol0(COL_WHITE, 255, 255, 255);
    plscol0(COL_HATCH, HATCH_RGB[0], HATCH_RGB[1], HATCH_RGB[2]);
    plscmap1n(HEAT_COLORS);
    plscmap1l(1, (PLINT)(sizeof HEAT_POS / sizeof HEAT_POS[0]), HEAT_POS, HEAT_R, HEAT_G, HEAT_B, NULL);
    pladv(0);
    plschr(0.0, TEXT_SCALE);
    plvpor(L->x0, H_X1, H_Y0, H_Y1);
    const double x0 = L->xb[0], x1 = L->xb[d->nx], y0 = L->yb[0], y1 = L->yb[d->ny];
    plwind(x0, x1, y0, y1);
    const double px_x = (H_X1 - L->x0) * HEAT_W / (x1 - x0), px_y = (H_Y1 - H_Y0) * HEAT_H / (y1 - y0);
    const double gx = HEAT_GAP_PX / 2 / px_x, gy = HEAT_GAP_PX / 2 / px_y;
    for (size_t r = 0; r < d->ny; r++)
        for (size_t c = 0; c < d->nx; c++) {
            size_t k = r * d->nx + c;
            double cx0 = L->xb[c] + gx, cx1 = L->xb[c + 1] - gx, cy0 = L->yb[r] + gy, cy1 = L->yb[r + 1] - gy;
            double w_px = (cx1 - cx0) * px_x, h_px = (cy1 - cy0) * px_y;
            double mx = (cx0 + cx1) / 2, my = (cy0 + cy1) / 2;
            if (heat_nodata(d, k)) {
                hatch(cx0, cx1, cy0, cy1);
                const char *line = "no data";
                double s = cell_scale(&line, 1, w_px, h_px);
                if (s > 0) {
                    plschr(0.0, s);
                    plcol0(COL_GREY);
                    plptex(mx, my - 0.35 * CELL_LINE_PX * s / px_y, 1.0, 0.0, 0.5, line);
                }
                continue;
            }
            double v = d->values[k];
            PLFLT x[4] = {cx0, cx1, cx1, cx0}, y[4] = {cy0, cy0, cy1, cy1};
            plcol1(v);
            plfill(4, x, y);
            char vbuf[32], nbuf[48];
            snprintf(vbuf, sizeof vbuf, "%.2f", v);
            const char *lines[2] = {vbuf, nbuf};
            int nl = 1;
            if (d->counts) {
                snprintf(nbuf, sizeof nbuf, "n = %llu", (unsigned long long)d->counts[k]);
                nl = 2;
            }
            double s = cell_scale(lines, nl, w_px, h_px);
            if (s == 0.0 && nl == 2) { nl = 1; s = cell_scale(lines, 1, w_px, h_px); } /* the value alone */
            if (s == 0.0) continue;
            plcol0(v < HEAT_DARK ? COL_WHITE : COL_BLACK);
            const double line_h = CELL_LINE_PX * s / px_y; /* window units */
            plschr(0.0, s);
            if (nl == 1) {
                plptex(mx, my - 0.35 * line_h, 1.0, 0.0, 0.5, vbuf);
            } else {
                plptex(mx, my + 0.15 * line_h, 1.0, 0.0, 0.5, vbuf);
                plschr(0.0, s * 0.8);
                plptex(mx, my - 0.75 * line_h, 1.0, 0.0, 0.5, nbuf);
            }
        }
    plschr(0.0, TEXT_SCALE);
    plcol0(COL_BLACK);
    plwidth(1.0);
    plbox("bc", 0, 0, "bc", 0, 0);
    heat_axis_labels(L, 1);
    heat_axis_labels(L, 0);
    side_text("b", XLABEL_DISP + 0.2, d->x_label);
    side_text("l", L->ytitle_disp, d->y_label);
    draw_title(d->title);

    /* the colour bar: the scale in steps, its ticks on the right */
    plvpor(CBAR_X0, CBAR_X1, CBAR_Y0, H_Y1);
    plwind(0.0, 1.0, 0.0, 1.0);
    for (int i = 0; i < CBAR_STEPS; i++) {
        double a = (double)i / CBAR_STEPS, b = (double)(i + 1) / CBAR_STEPS;
        PLFLT x[4] = {0, 1, 1, 0}, y[4] = {a, a, b, b};
        plcol1((a + b) / 2);
        plfill(4, x, y);
    }
    plcol0(COL_BLACK);
    plschr(0.0, TEXT_SCALE);
    plbox("bc", 0, 0, "bcimtv", 0.2, 0); /* ticks outside, over the colours they would hide */
    /* its title upright beside the ticks, where a long one still fits */
    escape_text(text, sizeof text, d->scale_label);
    plschr(0.0, fit_scale(d->scale_label, TEXT_SCALE, CBAR_TITLE_MAX_CHARS));
    plmtex("r", CBAR_TITLE_DISP, 0.5, 0.5, text);
    if (L->any_nodata) {
        const double ky1 = CBAR_Y0 - NODATA_KEY_H, ky0 = ky1 - NODATA_KEY_H;
        plvpor(CBAR_X0, CBAR_X1, ky0, ky1);
        plwind(0.0, 1.0, 0.0, 1.0);
        hatch(0, 1, 0, 1);
        plcol0(COL_BLACK);
        plbox("bc", 0, 0, "bc", 0, 0);
        plschr(0.0, TEXT_SCALE);
        plmtex("rv", 0.8, 0.5, 0.0, "no data");
    }
    if (d->note) draw_foot_note(d->note);
}

ol_status ol_plot_heatmap_figure(const ol_plot_heatmap_data *data, const char *path, ol_plot_format fmt,
                                 ol_error *err)
{
    ol_status st = check_target(path, fmt, err);
    if (!st) st = check_heatmap(data, err);
    if (st) return st;
    heat_layout L = {.d = data};
    for (size_t k = 0; k <= data->nx; k++) L.xb[k] = data->x_edges ? data->x_edges[k] : (double)k;
    for (size_t k = 0; k <= data->ny; k++) L.yb[k] = data->y_edges ? data->y_edges[k] : (double)k;
    for (size_t k = 0; k < data->nx * data->ny; k++) L.any_nodata |= heat_nodata(data, k);
    L.ytitle_disp = 0.7 + AXIS_CHAR_PX * (double)heat_y_label_chars(data) / AXIS_CHAR_H_PX + YTITLE_ROOM / 2;
    L.x0 = (L.ytitle_disp + YTITLE_ROOM / 2) * AXIS_CHAR_H_PX / HEAT_W;
    if (L.x0 < H_X0) L.x0 = H_X0;
    return render(path, fmt, HEAT_W, HEAT_H, draw_heatmap, &L, err);
}

/* ================================================================ spans on a timeline */

enum { SPANS_W = 1200, SPANS_H = 900 };
static const double TL_X0 = 0.20, TL_X1 = 0.975, TL_Y0 = 0.27, TL_Y1 = 0.92;
/* Line widths of the thin (data, below) and thick (condition holds) parts. */
static const double TL_THIN = 1.2, TL_THICK = 6.0, TL_SEP_WIDTH = 0.6;
/* Mark glyph scale; year labels: scale, and the room a label needs (page
 * pixels): a mark closer than that to the last labelled one of its lane
 * keeps its symbol, not its label. */
static const double TL_MARK_SCALE = 0.7, TL_LABEL_SCALE = 0.5, TL_ROW_LABEL_SCALE = 0.62, TL_NODATA_SCALE = 0.45;
static const double TL_LABEL_PX = 44.0;
/* Where a lane's label sits above its line, in row heights. */
static const double TL_LABEL_RISE = 0.05;
/* Ticks: years between labels for a span of up to 120 years, and beyond. */
static const double TL_TICK_SHORT = 10.0, TL_TICK_LONG = 20.0;
enum { TL_TICK_SPAN = 120 };
/* Lane colours (palette indices): blue, red, green, orange, purple, brown, black, grey. */
static const int TL_LANE_COLORS[OL_PLOT_SPANS_LANES] = {2, 3, 4, 5, 6, 8, 1, 7};

static ol_status check_spans(const ol_plot_spans_data *d, ol_error *err)
{
    if (!d) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no figure data");
    if (!d->title || !d->x_label || !d->on_label || !d->off_label)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "the figure needs a title, an x label and legend texts");
    if (!d->nrows || !d->row_labels || !d->nlanes || d->nlanes > OL_PLOT_SPANS_LANES || !d->lane_labels ||
        !d->nspans || !d->spans)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "the figure needs rows, 1..%d lanes and spans",
                            OL_PLOT_SPANS_LANES);
    for (size_t r = 0; r < d->nrows; r++)
        if (!d->row_labels[r]) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "rows", "row %zu has no label", r);
    for (size_t l = 0; l < d->nlanes; l++)
        if (!d->lane_labels[l]) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "lanes", "lane %zu has no label", l);
    for (size_t i = 0; i < d->nspans; i++) {
        const ol_plot_span_lane *s = &d->spans[i];
        if (s->row >= d->nrows || s->lane >= d->nlanes)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "spans", "span %zu: row %zu or lane %zu out of range", i,
                                s->row, s->lane);
        for (size_t k = 0; k < i; k++)
            if (d->spans[k].row == s->row && d->spans[k].lane == s->lane)
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "spans", "span %zu repeats row %zu, lane %zu", i,
                                    s->row, s->lane);
        if (s->n && (!s->years || !s->on))
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "spans", "span %zu has no years", i);
        for (size_t k = 1; k < s->n; k++)
            if (s->years[k] <= s->years[k - 1])
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "spans", "span %zu: years do not increase at %zu", i, k);
        for (size_t m = 0; m < s->nmarks; m++) {
            int ok = 0;
            for (size_t k = 0; k < s->n && !ok; k++) ok = s->years[k] == s->marks[m];
            if (!ok)
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "spans", "span %zu: mark %d is not an observed year", i,
                                    s->marks[m]);
        }
    }
    return OL_OK;
}

typedef struct spans_layout { const ol_plot_spans_data *d; double xmin, xmax; } spans_layout;

/* y of lane l in row r (world units: row r spans [nrows-r-1, nrows-r]). */
static double lane_y(const ol_plot_spans_data *d, size_t r, size_t l)
{
    double top = (double)(d->nrows - r);
    return top - (double)(l + 1) / (double)(d->nlanes + 1);
}

static void draw_spans(const void *ctx)
{
    const spans_layout *L = ctx;
    const ol_plot_spans_data *d = L->d;
    char text[1024];
    pladv(0);
    plschr(0.0, TEXT_SCALE);
    plvpor(TL_X0, TL_X1, TL_Y0, TL_Y1);
    plwind(L->xmin, L->xmax, 0.0, (double)d->nrows);
    /* decade grid and row separators */
    double tick = L->xmax - L->xmin > TL_TICK_SPAN ? TL_TICK_LONG : TL_TICK_SHORT;
    plcol0(COL_GRID);
    plwidth(GRID_WIDTH);
    plbox("g", tick, 0, "", 0.0, 0);
    plwidth(TL_SEP_WIDTH);
    for (size_t r = 1; r < d->nrows; r++) {
        PLFLT x[2] = {L->xmin, L->xmax}, y[2] = {(double)r, (double)r};
        plcol0(COL_GREY);
        plline(2, x, y);
    }
    for (size_t i = 0; i < d->nspans; i++) {
        const ol_plot_span_lane *s = &d->spans[i];
        double y = lane_y(d, s->row, s->lane);
        int col = TL_LANE_COLORS[s->lane];
        if (!s->n) {
            plcol0(col);
            plschr(0.0, TL_NODATA_SCALE);
            plptex(L->xmin + (L->xmax - L->xmin) * 0.005, y, 1.0, 0.0, 0.0, "no data");
            continue;
        }
        /* runs of consecutive years in one state, each drawn as one line
         * (year k covers k-0.5 .. k+0.5): thick where the condition holds */
        plcol0(col);
        for (size_t k = 0; k < s->n;) {
            size_t e = k;
            while (e + 1 < s->n && s->years[e + 1] == s->years[e] + 1 && s->on[e + 1] == s->on[k]) e++;
            PLFLT x[2] = {s->years[k] - 0.5, s->years[e] + 0.5}, yy[2] = {y, y};
            plwidth(s->on[k] ? TL_THICK : TL_THIN);
            plline(2, x, yy);
            k = e + 1;
        }
        plwidth(1.0);
        const double years_per_label = TL_LABEL_PX * (L->xmax - L->xmin) / ((TL_X1 - TL_X0) * SPANS_W);
        int last_label = 0;
        for (size_t m = 0; m < s->nmarks; m++) {
            PLFLT mx = s->marks[m], my = y;
            plcol0(col);
            plschr(0.0, TL_MARK_SCALE);
            plstring(1, &mx, &my, SHAPE_GLYPH[OL_PLOT_CIRCLE]);
            if (last_label && s->marks[m] - last_label < years_per_label) continue;
            snprintf(text, sizeof text, "%d", s->marks[m]);
            plcol0(COL_BLACK);
            plschr(0.0, TL_LABEL_SCALE);
            plptex(mx, my + TL_LABEL_RISE * 2.0, 1.0, 0.0, 0.5, text);
            last_label = s->marks[m];
        }
    }
    plcol0(COL_BLACK);
    plwidth(1.0);
    plschr(0.0, TEXT_SCALE);
    plbox("bcnst", tick, 2, "bc", 0.0, 0);
    for (size_t r = 0; r < d->nrows; r++) {
        escape_text(text, sizeof text, d->row_labels[r]);
        plschr(0.0, TL_ROW_LABEL_SCALE);
        plmtex("lv", 0.8, ((double)(d->nrows - r) - 0.5) / (double)d->nrows, 1.0, text);
    }
    plschr(0.0, TEXT_SCALE);
    side_text("b", XLABEL_DISP, d->x_label);
    draw_title(d->title);

    /* legend: the lanes' colours, then thin / thick and the mark */
    enum { NMAX = OL_PLOT_SPANS_LANES + 3 };
    char buf[NMAX][256];
    const char *texts[NMAX];
    PLINT opts[NMAX], tcol[NMAX], lcol[NMAX], lsty[NMAX], bcol[NMAX], bpat[NMAX], scol[NMAX], snum[NMAX];
    PLFLT lwid[NMAX], bscale[NMAX], bwid[NMAX], sscale[NMAX];
    const char *syms[NMAX];
    int n = 0;
    for (size_t l = 0; l < d->nlanes; l++, n++) {
        escape_text(buf[n], sizeof buf[n], d->lane_labels[l]);
        opts[n] = PL_LEGEND_LINE;
        lcol[n] = TL_LANE_COLORS[l];
        lwid[n] = TL_THICK;
    }
    escape_text(buf[n], sizeof buf[n], d->on_label);
    opts[n] = PL_LEGEND_LINE; lcol[n] = COL_BLACK; lwid[n] = TL_THICK; n++;
    escape_text(buf[n], sizeof buf[n], d->off_label);
    opts[n] = PL_LEGEND_LINE; lcol[n] = COL_BLACK; lwid[n] = TL_THIN; n++;
    if (d->marks_label) {
        escape_text(buf[n], sizeof buf[n], d->marks_label);
        opts[n] = PL_LEGEND_SYMBOL; lcol[n] = COL_BLACK; lwid[n] = 1; n++;
    }
    for (int i = 0; i < n; i++) {
        texts[i] = buf[i];
        tcol[i] = COL_BLACK;
        lsty[i] = 1;
        bcol[i] = COL_BG; bpat[i] = 0; bscale[i] = 1; bwid[i] = 0;
        scol[i] = COL_BLACK; sscale[i] = TL_MARK_SCALE; snum[i] = 1; syms[i] = SHAPE_GLYPH[OL_PLOT_CIRCLE];
    }
    int cols = 2, rows = (n + cols - 1) / cols;
    PLFLT w, h;
    plschr(0.0, LEGEND_SCALE);
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX | PL_LEGEND_ROW_MAJOR,
             PL_POSITION_OUTSIDE | PL_POSITION_BOTTOM | PL_POSITION_VIEWPORT, 0.0, L_LEGEND_DY, LEGEND_SAMPLE, COL_BG,
             COL_GREY, 1, rows, cols, n, opts, 0.8, LEGEND_SCALE, 1.9, 0.0, tcol, texts, bcol, bpat, bscale, bwid,
             lcol, lsty, lwid, scol, sscale, snum, syms);
    if (d->note) {
        plvpor(0.0, 1.0, 0.0, 1.0);
        plwind(0.0, 1.0, 0.0, 1.0);
        char line[1024];
        const char *p = d->note;
        int nl = 1;
        for (const char *q = p; *q; q++) nl += *q == '\n';
        plcol0(COL_GREY);
        for (int k = 0; k < nl; k++) {
            const char *e = strchr(p, '\n');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            if (len >= sizeof line) len = sizeof line - 1;
            memcpy(line, p, len);
            line[len] = '\0';
            escape_text(text, sizeof text, line);
            plschr(0.0, fit_scale(line, L_NOTE_SCALE, NOTE_MAX_CHARS * NOTE_SCALE / L_NOTE_SCALE));
            plptex(L_NOTE_X, L_NOTE_Y + (nl - 1 - k) * L_NOTE_LINE, 1.0, 0.0, 0.0, text);
            p = e ? e + 1 : p + len;
        }
        plcol0(COL_BLACK);
    }
}

ol_status ol_plot_spans_figure(const ol_plot_spans_data *data, const char *path, ol_plot_format fmt, ol_error *err)
{
    ol_status st = check_target(path, fmt, err);
    if (!st) st = check_spans(data, err);
    if (st) return st;
    int y0 = 0, y1 = 0;
    for (size_t i = 0; i < data->nspans; i++) {
        const ol_plot_span_lane *s = &data->spans[i];
        if (!s->n) continue;
        if (!y0 || s->years[0] < y0) y0 = s->years[0];
        if (!y1 || s->years[s->n - 1] > y1) y1 = s->years[s->n - 1];
    }
    if (data->year_min) y0 = data->year_min;
    if (data->year_max) y1 = data->year_max;
    if (!y0 && !y1) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "spans", "no lane has data and no year range is given");
    if (y1 <= y0) y1 = y0 + 1;
    spans_layout L = {data, y0 - 1.0, y1 + 1.0};
    return render(path, fmt, SPANS_W, SPANS_H, draw_spans, &L, err);
}
