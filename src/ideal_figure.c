/* The data of Figure 4.2: the ideal points of the major powers by year, with
 * labels and a note — everything the plot module draws
 * (include/orderlab/ideal_figure.h). */
#include "orderlab/ideal_figure.h"

#include "ideal_read_internal.h"

#include "util/text.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The paper's major powers (§4: the United States, the BRICS its discussion
 * of Figure 4.2 names, and the other large members). */
static const char *const DEFAULT_COUNTRIES[] = {"USA", "RUS", "CHN", "IND", "BRA",
                                                "ZAF", "GBR", "FRA", "DEU", "JPN"};
enum { NDEFAULT = sizeof DEFAULT_COUNTRIES / sizeof DEFAULT_COUNTRIES[0] };
/* The anchor of the estimates' sign: ideal.h puts it on the positive side,
 * as the published estimates do. */
static const char ANCHOR[] = "USA";
enum { MAX_WARNINGS = 4, LABEL_MAX = 2 * OL_NAME_MAX + 8 };
/* UNGA session n opens in the year n + 1945 (session 1: January 1946); the
 * published session file dates its sessions this way too (the idealpoints
 * importer), and a session is drawn there.  The store's year column of
 * orderlab's fits is the year most of a session's roll calls are dated,
 * which puts two sessions in one year where a session ran into the next
 * (sessions 6 and 7 in 1952, 19 and 20 in 1965 in the unvotes data). */
enum { SESSION_YEAR_OFFSET = 1945 };
/* Gaps named in the note, at most. */
enum { MAX_GAPS_NAMED = 8 };

struct ol_ideal_figure {
    char estimate[64];
    ol_ideal_origin origin;
    ol_plot_lines_data data;
    ol_plot_series series[OL_PLOT_LINES_MAX];
    ol_plot_ribbon ribbons[OL_PLOT_LINES_MAX];
    int slots[OL_PLOT_LINES_MAX];   /* a country's colour is that of its place in the list asked */
    char labels[OL_PLOT_LINES_MAX][LABEL_MAX];
    char codes[OL_PLOT_LINES_MAX][OL_CODE_MAX];   /* of the countries drawn, and their */
    char names[OL_PLOT_LINES_MAX][OL_NAME_MAX];   /* names for the data file */
    ol_ideal_figure_row *rows;
    size_t nrows;
    int *years, *band_years;   /* the rows' years, and the years of the rows with an se */
    double *values, *lo, *hi;
    char missing[OL_PLOT_LINES_MAX][OL_CODE_MAX];
    size_t nmissing;
    char warnings[MAX_WARNINGS][512];
    size_t nwarnings;
    char title[256], x_label[32], y_label[64], note[1024], ribbons_label[64];
};

void ol_ideal_figure_options_init(ol_ideal_figure_options *o)
{
    memset(o, 0, sizeof *o);
    o->estimate = OL_IDEAL_FIGURE_DEFAULT_ESTIMATE;
    o->se_z = OL_IDEAL_FIGURE_DEFAULT_SE_Z;
}

void ol_ideal_figure_free(ol_ideal_figure *fig)
{
    if (!fig) return;
    free(fig->rows);
    free(fig->years);
    free(fig->band_years);
    free(fig->values);
    free(fig->lo);
    free(fig->hi);
    free(fig);
}

const ol_plot_lines_data *ol_ideal_figure_plot(const ol_ideal_figure *fig) { return &fig->data; }
const ol_ideal_figure_row *ol_ideal_figure_rows(const ol_ideal_figure *fig, size_t *n)
{
    if (n) *n = fig->nrows;
    return fig->rows;
}
size_t ol_ideal_figure_nmissing(const ol_ideal_figure *fig) { return fig->nmissing; }
const char *ol_ideal_figure_missing(const ol_ideal_figure *fig, size_t i)
{
    return i < fig->nmissing ? fig->missing[i] : NULL;
}
size_t ol_ideal_figure_nwarnings(const ol_ideal_figure *fig) { return fig->nwarnings; }
const char *ol_ideal_figure_warning(const ol_ideal_figure *fig, size_t i)
{
    return i < fig->nwarnings ? fig->warnings[i] : NULL;
}
const char *ol_ideal_figure_estimate(const ol_ideal_figure *fig) { return fig->estimate; }

static void warn(ol_ideal_figure *fig, const char *text)
{
    if (fig->nwarnings < MAX_WARNINGS) snprintf(fig->warnings[fig->nwarnings++], sizeof fig->warnings[0], "%s", text);
}

/* The legend label: the country's name, and the name of a former state that
 * held its seat under the same code within the years drawn (the Soviet
 * Union for Russia) when the estimate has no points of its own for it. */
static ol_status country_label(ol_store *s, const ol_ideal_figure *fig, const ol_country *c, int first_year,
                               char *buf, size_t size, ol_error *err)
{
    snprintf(buf, size, "%s", c->name_en);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ol_store_db(s),
                           "SELECT c.name_en FROM countries c WHERE c.successor = ?5 AND c.kind = 'former' "
                           "AND ifnull(c.end_year, 9999) >= ?6 AND NOT EXISTS (SELECT 1 FROM ideal_points p WHERE "
                           "p.country = c.code AND p.estimate = ?1 AND p.period_kind = ?2 "
                           "AND ifnull(p.run_id, 0) = ?3 AND ifnull(p.source_id, 0) = ?4) ORDER BY c.start_year",
                           -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(s, err, "reading the crosswalk");
    ol_ideal_read_bind(st, fig->estimate, &fig->origin);
    sqlite3_bind_text(st, 5, c->code, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, first_year);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, " / %s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? OL_OK : ol_store_fail(s, err, "reading the crosswalk");
}

/* Where the estimate comes from, for the note. */
static void origin_text(ol_store *s, const ol_ideal_figure *fig, char *buf, size_t size)
{
    sqlite3_stmt *st = NULL;
    snprintf(buf, size, "%s", fig->estimate);
    const char *sql = fig->origin.run_id
                          ? "SELECT 'estimated here, run ' || id || ' of ' || substr(started_at, 1, 10) FROM runs "
                            "WHERE id = ?1"
                          : "SELECT 'published: ' || name || ', vintage ' || vintage FROM sources WHERE id = ?1";
    if (sqlite3_prepare_v2(ol_store_db(s), sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return;
    }
    sqlite3_bind_int64(st, 1, fig->origin.run_id ? fig->origin.run_id : fig->origin.source_id);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(buf, size, "%s (%s)", fig->estimate, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static ol_status check_options(const ol_ideal_figure_options *o, ol_error *err)
{
    if (!ol_ideal_read_valid_kind(o->period_kind))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "period_kind", "a period kind is 'session' or 'year', not '%s'",
                            o->period_kind);
    if (o->countries && (o->ncountries == 0 || o->ncountries > OL_PLOT_LINES_MAX))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "countries", "%zu countries: give 1 to %d", o->ncountries,
                            OL_PLOT_LINES_MAX);
    if (o->from_year && o->to_year && o->from_year > o->to_year)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "year", "the years run backwards: %d-%d", o->from_year,
                            o->to_year);
    if (o->se_band && !(o->se_z > 0.0 && isfinite(o->se_z)))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "se_z", "the band's width must be a positive number of se");
    return OL_OK;
}

/* The years drawn, "1946-2014" (one year alone when they are equal). */
static void year_span(int lo, int hi, char *buf, size_t size)
{
    if (lo == hi) snprintf(buf, size, "%d", lo);
    else snprintf(buf, size, "%d-%d", lo, hi);
}

/* Reads the points of country c into the arrays from fig->nrows on (at most
 * cap in all); returns OL_OK and leaves fig->nrows past them. */
static ol_status read_country(ol_store *store, ol_ideal_figure *fig, sqlite3_stmt *q, const ol_country *c,
                              const ol_ideal_figure_options *o, size_t cap, ol_error *err)
{
    sqlite3_reset(q);
    ol_ideal_read_bind(q, fig->estimate, &fig->origin);
    sqlite3_bind_text(q, 5, c->code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(q, 6, o->from_year ? o->from_year : 0);
    sqlite3_bind_int(q, 7, o->to_year ? o->to_year : INT32_MAX);
    sqlite3_bind_int(q, 8, SESSION_YEAR_OFFSET);
    const size_t first = fig->nrows;
    int rc = SQLITE_DONE;
    while (fig->nrows < cap && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int year = sqlite3_column_int(q, 1);
        if (fig->nrows > first && fig->rows[fig->nrows - 1].year == year) continue; /* the first of a year */
        ol_ideal_figure_row *r = &fig->rows[fig->nrows++];
        snprintf(r->country, sizeof r->country, "%s", c->code);
        r->period = sqlite3_column_int(q, 0);
        r->year = year;
        r->value = sqlite3_column_double(q, 2);
        r->se = sqlite3_column_type(q, 3) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 3);
        if (!isfinite(r->se) || r->se < 0) r->se = NAN;
    }
    if (fig->nrows == cap && rc == SQLITE_ROW) rc = SQLITE_DONE; /* all of the origin's rows are in */
    return rc == SQLITE_DONE ? OL_OK : ol_store_fail(store, err, "reading ideal points");
}

ol_status ol_ideal_figure_new(ol_store *store, const ol_ideal_figure_options *o, ol_ideal_figure **out,
                              ol_error *err)
{
    *out = NULL;
    ol_ideal_figure_options dflt;
    if (!o) { ol_ideal_figure_options_init(&dflt); o = &dflt; }
    if (!store) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no store");
    ol_status st = check_options(o, err);
    if (st) return st;
    const char *const *codes = o->countries ? o->countries : DEFAULT_COUNTRIES;
    const size_t nc = o->countries ? o->ncountries : NDEFAULT;

    ol_ideal_figure *fig = calloc(1, sizeof *fig);
    if (!fig) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating the figure");
    snprintf(fig->estimate, sizeof fig->estimate, "%s",
             o->estimate && *o->estimate ? o->estimate : OL_IDEAL_FIGURE_DEFAULT_ESTIMATE);
    sqlite3_stmt *q = NULL;

    /* the countries, resolved and distinct */
    ol_country countries[OL_PLOT_LINES_MAX];
    for (size_t i = 0; i < nc; i++) {
        if ((st = ol_country_resolve(store, codes[i], &countries[i], err))) {
            ol_error_prefix(err, "country '%s'", codes[i]);
            goto fail;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(countries[k].code, countries[i].code) == 0) {
                st = ol_error_set(err, OL_EINVAL, NULL, 0, 0, "countries", "%s is asked for twice ('%s' and '%s')",
                                  countries[i].code, codes[k], codes[i]);
                goto fail;
            }
    }
    if ((st = ol_ideal_read_origin(store, fig->estimate, o->period_kind, "the store", &fig->origin, err))) goto fail;

    const size_t cap = fig->origin.rows ? fig->origin.rows : 1;
    fig->rows = malloc(cap * sizeof *fig->rows);
    fig->years = malloc(cap * sizeof *fig->years);
    fig->band_years = malloc(cap * sizeof *fig->band_years);
    fig->values = malloc(cap * sizeof *fig->values);
    fig->lo = malloc(cap * sizeof *fig->lo);
    fig->hi = malloc(cap * sizeof *fig->hi);
    if (!fig->rows || !fig->years || !fig->band_years || !fig->values || !fig->lo || !fig->hi) {
        st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating the figure's points");
        goto fail;
    }
    if (sqlite3_prepare_v2(ol_store_db(store),
                           "SELECT period, CASE period_kind WHEN 'session' THEN period + ?8 ELSE year END AS x, value, se "
                           "FROM ideal_points WHERE " OL_IDEAL_READ_WHERE
                           " AND country = ?5 AND x BETWEEN ?6 AND ?7 ORDER BY x, period",
                           -1, &q, NULL) != SQLITE_OK) {
        st = ol_store_fail(store, err, "reading ideal points");
        goto fail;
    }

    size_t ns = 0, band_points = 0;
    int y_lo = 0, y_hi = 0;
    for (size_t i = 0; i < nc; i++) {
        const size_t first = fig->nrows;
        if ((st = read_country(store, fig, q, &countries[i], o, cap, err))) goto fail;
        const size_t n = fig->nrows - first;
        if (!n) {
            snprintf(fig->missing[fig->nmissing++], OL_CODE_MAX, "%s", countries[i].code);
            continue;
        }
        /* the line, and the band over the years that have an se */
        size_t nb = 0;
        for (size_t k = first; k < fig->nrows; k++) {
            const ol_ideal_figure_row *r = &fig->rows[k];
            fig->years[k] = r->year;
            fig->values[k] = r->value;
            if (!y_lo || r->year < y_lo) y_lo = r->year;
            if (r->year > y_hi) y_hi = r->year;
            if (isnan(r->se) || !o->se_band) continue;
            fig->band_years[first + nb] = r->year;
            fig->lo[first + nb] = r->value - o->se_z * r->se;
            fig->hi[first + nb] = r->value + o->se_z * r->se;
            nb++;
        }
        band_points += nb;
        if ((st = country_label(store, fig, &countries[i], fig->rows[first].year, fig->labels[ns],
                                sizeof fig->labels[ns], err)))
            goto fail;
        snprintf(fig->codes[ns], sizeof fig->codes[ns], "%s", countries[i].code);
        snprintf(fig->names[ns], sizeof fig->names[ns], "%s", countries[i].name_en);
        /* past the figure's own colours, dashes tell the lines apart */
        fig->slots[ns] = (int)i;
        fig->series[ns] = (ol_plot_series){fig->labels[ns], &fig->years[first], &fig->values[first], n,
                                           i < OL_PLOT_LINES_COLORS ? OL_PLOT_SOLID : OL_PLOT_DASHED, 0};
        fig->ribbons[ns] = (ol_plot_ribbon){&fig->band_years[first], &fig->lo[first], &fig->hi[first], nb};
        ns++;
    }
    sqlite3_finalize(q);
    q = NULL;
    if (!ns) {
        char years[64] = "";
        if (o->from_year && o->to_year) snprintf(years, sizeof years, " in %d-%d", o->from_year, o->to_year);
        else if (o->from_year) snprintf(years, sizeof years, " from %d on", o->from_year);
        else if (o->to_year) snprintf(years, sizeof years, " up to %d", o->to_year);
        st = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "estimate",
                          "'%s' (%s rows) has no ideal point of any of the %zu countries asked%s", fig->estimate,
                          fig->origin.period_kind, nc, years);
        goto fail;
    }

    /* notes for the reader */
    char text[512];
    if (o->se_band && !band_points) {
        snprintf(text, sizeof text, "'%s' has no standard errors for these countries: no band is drawn%s",
                 fig->estimate, strncmp(fig->estimate, "bsv-", 4) == 0
                                    ? " (the published files give posterior quantiles, not standard errors)"
                                    : "");
        warn(fig, text);
    }
    sqlite3_stmt *a = NULL;
    if (sqlite3_prepare_v2(ol_store_db(store),
                           "SELECT avg(value) FROM ideal_points WHERE " OL_IDEAL_READ_WHERE " AND country = ?5", -1,
                           &a, NULL) == SQLITE_OK) {
        ol_ideal_read_bind(a, fig->estimate, &fig->origin);
        sqlite3_bind_text(a, 5, ANCHOR, -1, SQLITE_STATIC);
        if (sqlite3_step(a) == SQLITE_ROW && sqlite3_column_type(a, 0) != SQLITE_NULL &&
            sqlite3_column_double(a, 0) < 0.0) {
            snprintf(text, sizeof text,
                     "'%s' puts %s on the negative side (mean %.3f): its polarity is the reverse of the label's",
                     fig->estimate, ANCHOR, sqlite3_column_double(a, 0));
            warn(fig, text);
        }
    }
    sqlite3_finalize(a);

    /* title, labels and the note */
    char span[32], origin[512];
    year_span(y_lo, y_hi, span, sizeof span);
    snprintf(fig->title, sizeof fig->title, "%s, %s",
             o->countries ? "UNGA ideal points" : "Figure 4.2. UNGA ideal points of the major powers", span);
    snprintf(fig->x_label, sizeof fig->x_label, "Year");
    snprintf(fig->y_label, sizeof fig->y_label, "UNGA ideal point (%s positive)", ANCHOR);
    origin_text(store, fig, origin, sizeof origin);
    int session = strcmp(fig->origin.period_kind, "session") == 0;
    /* the years inside the span where no line has a point */
    char gaps[128] = "";
    size_t ngaps = 0, glen = 0;
    for (int y = y_lo + 1; y < y_hi; y++) {
        int seen = 0;
        for (size_t k = 0; k < fig->nrows && !seen; k++) seen = fig->rows[k].year == y;
        if (seen) continue;
        if (ngaps++ < MAX_GAPS_NAMED && glen < sizeof gaps)
            glen += (size_t)snprintf(gaps + glen, sizeof gaps - glen, "%s%d", glen ? ", " : "", y);
    }
    if (ngaps > MAX_GAPS_NAMED && glen < sizeof gaps) snprintf(gaps + glen, sizeof gaps - glen, "...");
    char gap_text[192] = "";
    if (ngaps) snprintf(gap_text, sizeof gap_text, " No point in %s: the lines break there.", gaps);
    snprintf(fig->note, sizeof fig->note, "Estimate: %s.\n%s.%s", origin,
             session ? "One point per UNGA session, at the year it opens (session + 1945)"
                     : "One point per calendar year",
             gap_text);
    if (band_points) {
        snprintf(fig->ribbons_label, sizeof fig->ribbons_label, "\u00B1 %.3g standard errors", o->se_z);
        fig->data.ribbons = fig->ribbons;
        fig->data.ribbons_label = fig->ribbons_label;
    }
    fig->data.title = fig->title;
    fig->data.x_label = fig->x_label;
    fig->data.y_label = fig->y_label;
    fig->data.series = fig->series;
    fig->data.slots = fig->slots;
    fig->data.nseries = ns;
    fig->data.hline_on = 1;
    fig->data.hline = 0.0;
    fig->data.note = fig->note;
    fig->data.year_min = o->from_year;
    fig->data.year_max = o->to_year;
    *out = fig;
    return OL_OK;
fail:
    sqlite3_finalize(q);
    ol_ideal_figure_free(fig);
    return st;
}

/* The name of a country drawn, for the data file. */
static const char *name_of(const ol_ideal_figure *fig, const char *code)
{
    for (size_t i = 0; i < fig->data.nseries; i++)
        if (strcmp(fig->codes[i], code) == 0) return fig->names[i];
    return "";
}


ol_status ol_ideal_figure_write_csv(const ol_ideal_figure *fig, const char *path, ol_error *err)
{
    if (!fig || !path || !*path) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no figure or no file");
    FILE *f = fopen(path, "w");
    if (!f) return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot write the figure's data: %s", strerror(errno));
    fprintf(f, "estimate,country,name,period_kind,period,year,value,se\n");
    for (size_t i = 0; i < fig->nrows; i++) {
        const ol_ideal_figure_row *r = &fig->rows[i];
        ol_csv_put(f, fig->estimate);
        fprintf(f, ",%s,", r->country);
        ol_csv_put(f, name_of(fig, r->country));
        fprintf(f, ",%s,%d,%d,%.15g,", fig->origin.period_kind, r->period, r->year, r->value);
        if (!isnan(r->se)) fprintf(f, "%.15g", r->se);
        fputc('\n', f);
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        remove(path);
        return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "writing the figure's data failed");
    }
    return OL_OK;
}
