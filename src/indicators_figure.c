/* The data of Figure 4.1: levels, τ × the reference's level, ratios and their
 * first years at or above τ, with labels and a note — everything the plot
 * module draws, computed here so that it only draws. */
#include "orderlab/indicators.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Colours of the countries, in the order given (plot.h palette): the
 * reference blue, then red, green, orange, purple, brown, black, grey. */
static const int COUNTRY_COLORS[] = {2, 3, 4, 5, 6, 8, 1, 7};
#define NCOLORS (sizeof COUNTRY_COLORS / sizeof COUNTRY_COLORS[0])
/* Largest denominator tried when writing a threshold as a fraction, and the
 * tolerance for "is this fraction". */
enum { FRACTION_MAX_DEN = 12 };
static const double FRACTION_TOL = 1e-9;

/* Display scales for levels, largest first. */
static const struct { double factor; const char *word; } SCALES[] = {
    {1e12, "Trillions"}, {1e9, "Billions"}, {1e6, "Millions"}, {1e3, "Thousands"},
};
/* Multipliers a stored unit may start with ("million 2021 US$"). */
static const struct { const char *word; double factor; } UNIT_WORDS[] = {
    {"trillions", 1e12}, {"trillion", 1e12}, {"billions", 1e9}, {"billion", 1e9},
    {"millions", 1e6}, {"million", 1e6}, {"thousands", 1e3}, {"thousand", 1e3},
};

struct ol_gdp_figure {
    ol_plot_gdp_data data;
    size_t ncountries;
    ol_ratio_result **ratios;    /* ncountries - 1 */
    ol_series **levels_raw;      /* ncountries */
    ol_plot_series *levels;      /* ncountries + 1 (τ × reference) */
    ol_plot_series *ratio_lines; /* ncountries - 1 */
    ol_plot_mark *marks;
    void **owned;                /* every other allocation, freed with the figure */
    size_t nowned, capowned;
    char title[512], x_label[32], top_label[256], bottom_label[256], threshold_label[64], note[1024];
    char marks_label[96];
};

void ol_ratio_format_threshold(double t, char *buf, size_t size)
{
    for (int q = 1; q <= FRACTION_MAX_DEN; q++) {
        double p = round(t * q);
        if (p >= 1 && fabs(p / q - t) < FRACTION_TOL) {
            if (q == 1) snprintf(buf, size, "%.0f", p);
            else snprintf(buf, size, "%.0f/%d", p, q);
            return;
        }
    }
    snprintf(buf, size, "%.4g", t);
}

void ol_gdp_figure_options_init(ol_gdp_figure_options *opt)
{
    static const char *const dflt[] = {"USA", "CHN", "JPN"};
    memset(opt, 0, sizeof *opt);
    opt->countries = dflt;
    opt->ncountries = 3;
    opt->series = OL_SERIES_DEFAULT;
    opt->threshold = OL_RATIO_DEFAULT_THRESHOLD;
}

void ol_gdp_figure_free(ol_gdp_figure *fig)
{
    if (!fig) return;
    for (size_t i = 0; i + 1 < fig->ncountries; i++)
        if (fig->ratios) ol_ratio_result_free(fig->ratios[i]);
    for (size_t i = 0; i < fig->ncountries; i++)
        if (fig->levels_raw) ol_series_free(fig->levels_raw[i]);
    for (size_t i = 0; i < fig->nowned; i++) free(fig->owned[i]);
    free(fig->owned);
    free(fig->ratios);
    free(fig->levels_raw);
    free(fig->levels);
    free(fig->ratio_lines);
    free(fig->marks);
    free(fig);
}

const ol_plot_gdp_data *ol_gdp_figure_data(const ol_gdp_figure *fig) { return &fig->data; }
size_t ol_gdp_figure_nratios(const ol_gdp_figure *fig) { return fig->ncountries - 1; }
const ol_ratio_result *ol_gdp_figure_ratio(const ol_gdp_figure *fig, size_t i)
{
    return i + 1 < fig->ncountries ? fig->ratios[i] : NULL;
}

/* Who publishes the data of an importer kind, for the figure's note. */
static const char *kind_name(const char *kind)
{
    static const struct { const char *kind, *name; } names[] = {
        {"wb", "World Bank WDI"}, {"wdi", "World Bank WDI"}, {"pwt", "Penn World Table"},
        {"nmc", "COW National Material Capabilities"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(kind, names[i].kind) == 0) return names[i].name;
    return "";
}

/* malloc whose block the figure frees. */
static void *owned_alloc(ol_gdp_figure *fig, size_t size)
{
    if (fig->nowned == fig->capowned) {
        size_t cap = fig->capowned ? 2 * fig->capowned : 32;
        void **p = realloc(fig->owned, cap * sizeof *p);
        if (!p) return NULL;
        fig->owned = p;
        fig->capowned = cap;
    }
    void *b = malloc(size ? size : 1);
    if (b) fig->owned[fig->nowned++] = b;
    return b;
}

static char *owned_strdup(ol_gdp_figure *fig, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = owned_alloc(fig, n);
    if (p) memcpy(p, s, n);
    return p;
}

/* The multiplier a unit starts with and the rest of it: "million 2021 US$"
 * -> 1e6, "2021 US$". */
static double unit_base(const char *unit, const char **rest)
{
    for (size_t i = 0; i < sizeof UNIT_WORDS / sizeof UNIT_WORDS[0]; i++) {
        size_t n = strlen(UNIT_WORDS[i].word);
        if (strncasecmp(unit, UNIT_WORDS[i].word, n) == 0 && (unit[n] == ' ' || unit[n] == '\0')) {
            *rest = unit + n + (unit[n] == ' ');
            return UNIT_WORDS[i].factor;
        }
    }
    *rest = unit;
    return 1.0;
}

/* A level line of values × mul in [from, until]. */
static ol_status level_line(ol_gdp_figure *fig, const ol_series *s, double mul, int from, int until,
                            const char *label, int color, ol_plot_style style, ol_plot_series *out,
                            ol_error *err)
{
    int *years = owned_alloc(fig, s->n * sizeof *years);
    double *values = owned_alloc(fig, s->n * sizeof *values);
    char *lab = owned_strdup(fig, label);
    if (!years || !values || !lab) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    size_t n = 0;
    for (size_t k = 0; k < s->n; k++) {
        if ((from && s->years[k] < from) || (until && s->years[k] > until)) continue;
        years[n] = s->years[k];
        values[n] = s->values[k] * mul;
        n++;
    }
    *out = (ol_plot_series){lab, years, values, n, style, color};
    return OL_OK;
}

/* Appends the strings a and b to buf (truncating at size). */
static void append(char *buf, size_t size, const char *a, const char *b)
{
    size_t len = strlen(buf);
    if (len < size) snprintf(buf + len, size - len, "%s%s", a, b);
}

ol_status ol_gdp_figure_new(ol_store *store, const ol_gdp_figure_options *opt,
                            ol_gdp_figure **out, ol_error *err)
{
    if (!store || !opt || !out)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_gdp_figure_new: NULL argument");
    *out = NULL;
    if (opt->ncountries < 2 || !opt->countries)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "countries",
                            "the figure needs a reference country and at least one other");
    const size_t nc = opt->ncountries;
    ol_gdp_figure *fig = calloc(1, sizeof *fig);
    if (!fig) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    fig->ncountries = nc;
    fig->ratios = calloc(nc - 1, sizeof *fig->ratios);
    fig->levels_raw = calloc(nc, sizeof *fig->levels_raw);
    fig->levels = calloc(nc + 1, sizeof *fig->levels);
    fig->ratio_lines = calloc(nc - 1, sizeof *fig->ratio_lines);
    fig->marks = calloc(nc - 1, sizeof *fig->marks);
    ol_status rc = OL_OK;
    if (!fig->ratios || !fig->levels_raw || !fig->levels || !fig->ratio_lines || !fig->marks) {
        rc = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        goto fail;
    }
    const char *series = opt->series && *opt->series ? opt->series : OL_SERIES_DEFAULT;

    /* The ratios first: they resolve the countries and choose the sources. */
    for (size_t i = 1; i < nc; i++) {
        ol_ratio_options ro;
        ol_ratio_options_init(&ro);
        ro.numerator = opt->countries[i];
        ro.denominator = opt->countries[0];
        ro.series = series;
        ro.vintage = opt->vintage;
        ro.threshold = opt->threshold;
        ro.from_year = opt->from_year;
        ro.until_year = opt->until_year;
        rc = ol_ratio_compute(store, &ro, &fig->ratios[i - 1], err);
        if (rc) goto fail;
    }
    const ol_ratio_result *r0 = fig->ratios[0];
    rc = ol_series_read_source(store, series, r0->denominator.code, r0->denominator_source.id,
                               &fig->levels_raw[0], err);
    for (size_t i = 1; !rc && i < nc; i++)
        rc = ol_series_read_source(store, series, fig->ratios[i - 1]->numerator.code,
                                   fig->ratios[i - 1]->numerator_source.id, &fig->levels_raw[i], err);
    if (rc) goto fail;

    /* Display scale from the largest value and the stored unit. */
    const char *unit_rest = "";
    double base = unit_base(fig->levels_raw[0]->unit, &unit_rest);
    double maxv = 0.0;
    for (size_t i = 0; i < nc; i++)
        for (size_t k = 0; k < fig->levels_raw[i]->n; k++)
            if (fabs(fig->levels_raw[i]->values[k]) > maxv) maxv = fabs(fig->levels_raw[i]->values[k]);
    maxv *= base;
    double factor = 1.0;
    const char *word = NULL;
    for (size_t i = 0; i < sizeof SCALES / sizeof SCALES[0]; i++)
        if (maxv >= SCALES[i].factor) { factor = SCALES[i].factor; word = SCALES[i].word; break; }
    if (!word && base != 1.0) unit_rest = fig->levels_raw[0]->unit; /* small values: keep the unit as stored */
    const double mul = word ? base / factor : 1.0;
    if (word && *unit_rest) snprintf(fig->top_label, sizeof fig->top_label, "%s of %s", word, unit_rest);
    else if (word) snprintf(fig->top_label, sizeof fig->top_label, "%s", word);
    else snprintf(fig->top_label, sizeof fig->top_label, "%s",
                  *fig->levels_raw[0]->unit ? fig->levels_raw[0]->unit : series);

    char tau[32];
    ol_ratio_format_threshold(opt->threshold, tau, sizeof tau);
    const ol_country *ref = &r0->denominator;
    int y0 = 0, y1 = 0;
    for (size_t i = 0; i < nc; i++) {
        const ol_country *c = i == 0 ? ref : &fig->ratios[i - 1]->numerator;
        rc = level_line(fig, fig->levels_raw[i], mul, opt->from_year, opt->until_year, c->name_en,
                        COUNTRY_COLORS[i % NCOLORS], OL_PLOT_SOLID, &fig->levels[i], err);
        if (rc) goto fail;
        const ol_plot_series *l = &fig->levels[i];
        if (l->n && (!y0 || l->years[0] < y0)) y0 = l->years[0];
        if (l->n && (!y1 || l->years[l->n - 1] > y1)) y1 = l->years[l->n - 1];
    }
    char label[256];
    snprintf(label, sizeof label, "%s of %s", tau, ref->name_en);
    rc = level_line(fig, fig->levels_raw[0], mul * opt->threshold, opt->from_year, opt->until_year,
                    label, COUNTRY_COLORS[0], OL_PLOT_DASHED, &fig->levels[nc], err);
    if (rc) goto fail;

    /* Ratios and their first years at or above τ. */
    size_t nmarks = 0;
    for (size_t i = 1; i < nc; i++) {
        const ol_ratio_result *r = fig->ratios[i - 1];
        int *years = owned_alloc(fig, r->n * sizeof *years);
        double *values = owned_alloc(fig, r->n * sizeof *values);
        snprintf(label, sizeof label, "%s / %s", r->numerator.name_en, ref->name_en);
        char *lab = owned_strdup(fig, label);
        if (!years || !values || !lab) { rc = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); goto fail; }
        for (size_t k = 0; k < r->n; k++) { years[k] = r->points[k].year; values[k] = r->points[k].ratio; }
        fig->ratio_lines[i - 1] = (ol_plot_series){lab, years, values, r->n, OL_PLOT_SOLID,
                                                   COUNTRY_COLORS[i % NCOLORS]};
        if (r->first_year) {
            double v = 0.0;
            for (size_t k = 0; k < r->n; k++) if (r->points[k].year == r->first_year) v = r->points[k].ratio;
            snprintf(label, sizeof label, "%s %d", r->numerator.name_en, r->first_year);
            char *ml = owned_strdup(fig, label);
            if (!ml) { rc = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); goto fail; }
            fig->marks[nmarks++] = (ol_plot_mark){r->first_year, v, ml, COUNTRY_COLORS[i % NCOLORS]};
        }
    }

    /* Title, labels and the note naming every source used. */
    char names[256] = "";
    for (size_t i = 0; i < nc; i++) {
        const ol_country *c = i == 0 ? ref : &fig->ratios[i - 1]->numerator;
        append(names, sizeof names, i == 0 ? "" : (i + 1 == nc ? " and " : ", "), c->name_en);
    }
    const int is_default = strcmp(series, OL_SERIES_DEFAULT) == 0;
    snprintf(fig->title, sizeof fig->title, "%s%s: %s, %d-%d", is_default ? "Figure 4.1. " : "",
             fig->levels_raw[0]->name, names, y0, y1);
    snprintf(fig->x_label, sizeof fig->x_label, "Year");
    snprintf(fig->bottom_label, sizeof fig->bottom_label, "Ratio to %s", ref->name_en);
    snprintf(fig->threshold_label, sizeof fig->threshold_label, "Threshold %s", tau);
    snprintf(fig->marks_label, sizeof fig->marks_label, "First year at or above %s", tau);
    char sources[768] = "";
    int64_t seen[64];
    size_t nseen = 0;
    for (size_t i = 0; i < nc && nseen < 64; i++) {
        const ol_series_source *s = &fig->levels_raw[i]->source;
        int dup = 0;
        for (size_t k = 0; k < nseen; k++) dup |= seen[k] == s->id;
        if (dup) continue;
        seen[nseen++] = s->id;
        char one[512];
        snprintf(one, sizeof one, "%s%s%s:%s, vintage %s", kind_name(s->kind), *kind_name(s->kind) ? " " : "",
                 s->kind, s->name, s->vintage);
        append(sources, sizeof sources, nseen > 1 ? "; " : "", one);
    }
    snprintf(fig->note, sizeof fig->note, "Source%s: %s", nseen > 1 ? "s" : "", sources);
    append(fig->note, sizeof fig->note, ". Ratio: each country's value / ", ref->name_en);
    append(fig->note, sizeof fig->note, "'s, same series", ".");

    ol_plot_gdp_data *d = &fig->data;
    d->title = fig->title;
    d->x_label = fig->x_label;
    d->top_label = fig->top_label;
    d->levels = fig->levels;
    d->nlevels = nc + 1;
    d->bottom_label = fig->bottom_label;
    d->ratios = fig->ratio_lines;
    d->nratios = nc - 1;
    d->threshold = opt->threshold;
    d->threshold_label = fig->threshold_label;
    d->marks = fig->marks;
    d->nmarks = nmarks;
    d->marks_label = fig->marks_label;
    d->note = fig->note;
    d->year_min = y0;
    d->year_max = y1;
    *out = fig;
    return OL_OK;

fail:
    ol_gdp_figure_free(fig);
    return rc;
}
