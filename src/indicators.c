/* Series from the store, the ratio of two states' series and its threshold
 * crossings (definitions in include/orderlab/indicators.h and
 * docs/indicators.md). */
#include "orderlab/indicators.h"

#include "util/text.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

static void copy_text(char *dst, size_t size, const unsigned char *s)
{
    snprintf(dst, size, "%s", s ? (const char *)s : "");
}

static const char *or_default(const char *s, const char *dflt)
{
    return s && *s ? s : dflt;
}

static ol_status prepare(ol_store *store, const char *sql, sqlite3_stmt **st, ol_error *err)
{
    if (sqlite3_prepare_v2(ol_store_db(store), sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return ol_store_fail(store, err, "reading indicator values");
    }
    return OL_OK;
}

/* Does any value of series exist in the store? */
static ol_status series_exists(ol_store *store, const char *series, int *exists, ol_error *err)
{
    sqlite3_stmt *st;
    ol_status rc = prepare(store, "SELECT 1 FROM indicator_values WHERE series = ?1 LIMIT 1", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    if (r != SQLITE_ROW && r != SQLITE_DONE) return ol_store_fail(store, err, "looking up a series");
    *exists = r == SQLITE_ROW;
    return OL_OK;
}

static ol_status require_series(ol_store *store, const char *series, ol_error *err)
{
    int exists = 0;
    ol_status rc = series_exists(store, series, &exists, err);
    if (rc) return rc;
    if (!exists)
        return ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "series",
                            "series '%s' is not in the store: no values of it have been imported",
                            series);
    return OL_OK;
}

/* The vintages a series has in the store, comma-separated, into buf. */
static void list_vintages(ol_store *store, const char *series, char *buf, size_t size)
{
    buf[0] = '\0';
    sqlite3_stmt *st;
    if (prepare(store,
                "SELECT DISTINCT s.vintage FROM sources s WHERE EXISTS (SELECT 1 FROM "
                "indicator_values v WHERE v.source_id = s.id AND v.series = ?1) ORDER BY s.vintage",
                &st, NULL))
        return;
    sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
    size_t len = 0;
    while (sqlite3_step(st) == SQLITE_ROW && len + 1 < size) {
        int w = snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
                         (const char *)sqlite3_column_text(st, 0));
        if (w < 0) break;
        len += (size_t)w;
    }
    sqlite3_finalize(st);
}

/*
 * The newest source (imported_at, then id) of series that has values for
 * country and, when country2 is non-NULL, for country2 too; restricted to
 * vintage when non-NULL.  *id = 0 when there is none.
 */
static ol_status choose_source(ol_store *store, const char *series, const char *country,
                               const char *country2, const char *vintage, int64_t *id, ol_error *err)
{
    sqlite3_stmt *st;
    ol_status rc = prepare(store,
        "SELECT s.id FROM sources s "
        "WHERE EXISTS (SELECT 1 FROM indicator_values v WHERE v.series = ?1 AND v.country = ?2 "
        "              AND v.source_id = s.id) "
        "  AND (?3 IS NULL OR EXISTS (SELECT 1 FROM indicator_values v WHERE v.series = ?1 "
        "              AND v.country = ?3 AND v.source_id = s.id)) "
        "  AND (?4 IS NULL OR s.vintage = ?4) "
        "ORDER BY s.imported_at DESC, s.id DESC LIMIT 1", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, country, -1, SQLITE_STATIC);
    if (country2) sqlite3_bind_text(st, 3, country2, -1, SQLITE_STATIC);
    if (vintage) sqlite3_bind_text(st, 4, vintage, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    *id = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (r != SQLITE_ROW && r != SQLITE_DONE) return ol_store_fail(store, err, "choosing a source");
    return OL_OK;
}

/* ------------------------------------------------------------ series */

static ol_series *series_alloc(size_t n)
{
    ol_series *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    if (n) {
        s->years = malloc(n * sizeof *s->years);
        s->values = malloc(n * sizeof *s->values);
        if (!s->years || !s->values) { ol_series_free(s); return NULL; }
    }
    return s;
}

void ol_series_free(ol_series *s)
{
    if (!s) return;
    free(s->years);
    free(s->values);
    free(s);
}

ol_status ol_series_new(const char *code, const char *country, const char *unit,
                        const int *years, const double *values, size_t n,
                        ol_series **out, ol_error *err)
{
    if (!out || (n && (!years || !values)))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_series_new: NULL argument");
    *out = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i]))
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "value",
                                "series value %zu (year %d) is not a finite number", i, years[i]);
        if (i && years[i] <= years[i - 1])
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "year",
                                "series years must strictly increase: year %d at index %zu follows %d",
                                years[i], i, years[i - 1]);
    }
    ol_series *s = series_alloc(n);
    if (!s) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    snprintf(s->code, sizeof s->code, "%s", code ? code : "");
    snprintf(s->name, sizeof s->name, "%s", code ? code : "");
    snprintf(s->country, sizeof s->country, "%s", country ? country : "");
    snprintf(s->unit, sizeof s->unit, "%s", unit ? unit : "");
    if (n) {
        memcpy(s->years, years, n * sizeof *years);
        memcpy(s->values, values, n * sizeof *values);
    }
    s->n = n;
    *out = s;
    return OL_OK;
}

double ol_series_value(const ol_series *s, int year, int *found)
{
    size_t lo = 0, hi = s ? s->n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->years[mid] < year) lo = mid + 1;
        else hi = mid;
    }
    if (s && lo < s->n && s->years[lo] == year) {
        if (found) *found = 1;
        return s->values[lo];
    }
    if (found) *found = 0;
    return 0.0;
}

static ol_status read_source_info(ol_store *store, int64_t source_id, ol_series_source *src, ol_error *err)
{
    sqlite3_stmt *st;
    ol_status rc = prepare(store, "SELECT kind, name, vintage, imported_at FROM sources WHERE id = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, source_id);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        src->id = source_id;
        copy_text(src->kind, sizeof src->kind, sqlite3_column_text(st, 0));
        copy_text(src->name, sizeof src->name, sqlite3_column_text(st, 1));
        copy_text(src->vintage, sizeof src->vintage, sqlite3_column_text(st, 2));
        copy_text(src->imported_at, sizeof src->imported_at, sqlite3_column_text(st, 3));
    }
    sqlite3_finalize(st);
    if (r == SQLITE_ROW) return OL_OK;
    if (r == SQLITE_DONE)
        return ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "source", "no source with id %lld",
                            (long long)source_id);
    return ol_store_fail(store, err, "reading a source");
}

ol_status ol_series_read_source(ol_store *store, const char *series, const char *country,
                                int64_t source_id, ol_series **out, ol_error *err)
{
    if (!store || !series || !country || !out)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_series_read_source: NULL argument");
    *out = NULL;
    sqlite3_stmt *st;
    ol_status rc = prepare(store,
        "SELECT count(*) FROM indicator_values WHERE series = ?1 AND country = ?2 AND source_id = ?3",
        &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, country, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, source_id);
    int r = sqlite3_step(st);
    int64_t count = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    if (count < 0) return ol_store_fail(store, err, "counting indicator values");
    if (count == 0)
        return ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "series",
                            "source %lld has no values of series '%s' for %s",
                            (long long)source_id, series, country);

    ol_series *s = series_alloc((size_t)count);
    if (!s) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    snprintf(s->code, sizeof s->code, "%s", series);
    snprintf(s->country, sizeof s->country, "%s", country);
    rc = read_source_info(store, source_id, &s->source, err);
    if (!rc) rc = prepare(store,
        "SELECT year, value, unit FROM indicator_values "
        "WHERE series = ?1 AND country = ?2 AND source_id = ?3 ORDER BY year", &st, err);
    if (rc) { ol_series_free(s); return rc; }
    sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, country, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, source_id);
    size_t n = 0;
    while ((r = sqlite3_step(st)) == SQLITE_ROW && n < (size_t)count) {
        /* value is REAL NOT NULL; SQLite stores no NaN, but a NULL-typed or
         * text cell from a hand-edited store must not become a number. */
        if (sqlite3_column_type(st, 1) != SQLITE_FLOAT && sqlite3_column_type(st, 1) != SQLITE_INTEGER)
            continue;
        double v = sqlite3_column_double(st, 1);
        if (!isfinite(v)) continue;
        if (n == 0) copy_text(s->unit, sizeof s->unit, sqlite3_column_text(st, 2));
        s->years[n] = sqlite3_column_int(st, 0);
        s->values[n] = v;
        n++;
    }
    sqlite3_finalize(st);
    if (r != SQLITE_DONE && r != SQLITE_ROW) {
        ol_series_free(s);
        return ol_store_fail(store, err, "reading indicator values");
    }
    s->n = n;

    /* The series' display name, when an importer registered one. */
    snprintf(s->name, sizeof s->name, "%s", series);
    if (!prepare(store, "SELECT name FROM series WHERE code = ?1", &st, NULL)) {
        sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) && *sqlite3_column_text(st, 0))
            copy_text(s->name, sizeof s->name, sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    *out = s;
    return OL_OK;
}

/* Reads series for country under the source rule; country2 (may be NULL)
 * asks for a source that has both. */
static ol_status read_chosen(ol_store *store, const char *series, const char *country,
                             const char *vintage, ol_series **out, ol_error *err)
{
    int64_t id = 0;
    ol_status rc = require_series(store, series, err);
    if (!rc) rc = choose_source(store, series, country, NULL, vintage, &id, err);
    if (rc) return rc;
    if (id == 0) {
        if (vintage) {
            char vs[512];
            list_vintages(store, series, vs, sizeof vs);
            return ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "vintage",
                                "series '%s' has no values for %s in vintage '%s' (vintages in the store: %s)",
                                series, country, vintage, vs);
        }
        return ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "country",
                            "series '%s' has no values for %s", series, country);
    }
    return ol_series_read_source(store, series, country, id, out, err);
}

ol_status ol_series_read(ol_store *store, const char *series, const char *country,
                         const char *vintage, ol_series **out, ol_error *err)
{
    if (!store || !series || !*series || !country || !*country || !out)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_series_read: missing series or country");
    *out = NULL;
    return read_chosen(store, series, country, vintage && *vintage ? vintage : NULL, out, err);
}

/* ------------------------------------------------------------ threshold */

void ol_ratio_options_init(ol_ratio_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->series = OL_SERIES_DEFAULT;
    opt->threshold = OL_RATIO_DEFAULT_THRESHOLD;
}

ol_status ol_ratio_parse_threshold(const char *text, double *out, ol_error *err)
{
    if (!text || !out)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "threshold", "no threshold given");
    char buf[64];
    ol_trim_copy(buf, sizeof buf, text);
    size_t len = strlen(buf);
    double v = 0.0;
    int ok = 0;
    char *slash = strchr(buf, '/');
    if (slash) {
        *slash = '\0';
        double a, b;
        ok = ol_parse_double(buf, &a) && ol_parse_double(slash + 1, &b) && b != 0.0;
        if (ok) v = a / b;
    } else if (len > 1 && buf[len - 1] == '%') {
        buf[len - 1] = '\0';
        ok = ol_parse_double(buf, &v);
        v /= 100.0;
    } else {
        ok = ol_parse_double(buf, &v);
    }
    if (!ok || !isfinite(v) || v <= 0.0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "threshold",
                            "invalid threshold '%s': give a positive fraction (2/3), decimal (0.6667) "
                            "or percentage (66.7%%)", text);
    *out = v;
    return OL_OK;
}

/* ------------------------------------------------------------ ratio */

void ol_ratio_result_free(ol_ratio_result *r)
{
    if (!r) return;
    free(r->points);
    free(r->crossings);
    free(r);
}

static ol_status check_threshold(double t, ol_error *err)
{
    if (!isfinite(t) || t <= 0.0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "threshold",
                            "the threshold must be a finite number > 0 (got %g)", t);
    return OL_OK;
}

static ol_status check_range(int from, int until, ol_error *err)
{
    if (from && until && from > until)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "year",
                            "the first year %d is after the last year %d", from, until);
    return OL_OK;
}

/* Crossings, first, sustained and peak over the points already in r. */
static ol_status analyse(ol_ratio_result *r, ol_error *err)
{
    const double tau = r->threshold;
    r->ncrossings = 0;
    if (r->n == 0) return OL_OK;
    r->crossings = calloc(r->n, sizeof *r->crossings); /* at most n-1 */
    if (!r->crossings) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");

    const ol_ratio_point *p = r->points;
    r->first_data_year = p[0].year;
    r->last_year = p[r->n - 1].year;
    r->last_ratio = p[r->n - 1].ratio;
    r->gaps = (r->last_year - r->first_data_year + 1) - (int)r->n;
    r->starts_above = p[0].ratio >= tau;
    r->peak = p[0].ratio;
    r->peak_year = p[0].year;
    int sustained = r->starts_above ? p[0].year : 0;
    if (r->starts_above) r->first_year = p[0].year;
    for (size_t k = 1; k < r->n; k++) {
        int was = p[k - 1].ratio >= tau, is = p[k].ratio >= tau;
        if (p[k].ratio > r->peak) { r->peak = p[k].ratio; r->peak_year = p[k].year; }
        if (is && !r->first_year) r->first_year = p[k].year;
        if (was == is) continue;
        ol_crossing *c = &r->crossings[r->ncrossings++];
        c->year = p[k].year;
        c->prev_year = p[k - 1].year;
        c->direction = is ? OL_CROSS_UP : OL_CROSS_DOWN;
        c->ratio_before = p[k - 1].ratio;
        c->ratio_after = p[k].ratio;
        c->across_gap = p[k].year - p[k - 1].year > 1;
        sustained = is ? p[k].year : 0;
    }
    r->sustained_year = r->last_ratio >= tau ? sustained : 0;
    return OL_OK;
}

ol_status ol_ratio_from_series(const ol_series *num, const ol_series *den, double threshold,
                               int from_year, int until_year, ol_ratio_result **out, ol_error *err)
{
    if (!num || !den || !out)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_ratio_from_series: NULL argument");
    *out = NULL;
    ol_status rc = check_threshold(threshold, err);
    if (!rc) rc = check_range(from_year, until_year, err);
    if (rc) return rc;

    ol_ratio_result *r = calloc(1, sizeof *r);
    size_t cap = num->n < den->n ? num->n : den->n;
    if (!r || (cap && !(r->points = malloc(cap * sizeof *r->points)))) {
        ol_ratio_result_free(r);
        return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    r->threshold = threshold;
    snprintf(r->numerator.code, sizeof r->numerator.code, "%s", num->country);
    snprintf(r->denominator.code, sizeof r->denominator.code, "%s", den->country);
    snprintf(r->series, sizeof r->series, "%s", num->code);
    snprintf(r->series_name, sizeof r->series_name, "%s", num->name[0] ? num->name : num->code);
    snprintf(r->unit, sizeof r->unit, "%s", num->unit);
    r->numerator_source = num->source;
    r->denominator_source = den->source;
    r->mixed_sources = num->source.id != den->source.id;

    /* Merge the two ascending year lists. */
    size_t i = 0, j = 0;
    while (i < num->n && j < den->n) {
        int y = num->years[i];
        if (y < den->years[j]) { i++; continue; }
        if (y > den->years[j]) { j++; continue; }
        double a = num->values[i], b = den->values[j];
        i++, j++;
        if ((from_year && y < from_year) || (until_year && y > until_year)) continue;
        if (b == 0.0) continue; /* no ratio; counts as a gap */
        double q = a / b;
        if (!isfinite(q)) continue;
        r->points[r->n++] = (ol_ratio_point){y, a, b, q};
    }
    rc = analyse(r, err);
    if (rc) { ol_ratio_result_free(r); return rc; }
    *out = r;
    return OL_OK;
}

/* The ratio of two resolved countries (orderlab codes); n may be 0. */
static ol_status ratio_codes(ol_store *store, const char *num_code, const char *den_code,
                             const char *series, const char *vintage, double threshold,
                             int from, int until, ol_ratio_result **out, ol_error *err)
{
    int64_t common = 0;
    ol_status rc = choose_source(store, series, num_code, den_code, vintage, &common, err);
    if (rc) return rc;
    ol_series *num = NULL, *den = NULL;
    if (common) {
        rc = ol_series_read_source(store, series, num_code, common, &num, err);
        if (!rc) rc = ol_series_read_source(store, series, den_code, common, &den, err);
    } else {
        rc = read_chosen(store, series, num_code, vintage, &num, err);
        if (!rc) rc = read_chosen(store, series, den_code, vintage, &den, err);
    }
    if (!rc) rc = ol_ratio_from_series(num, den, threshold, from, until, out, err);
    ol_series_free(num);
    ol_series_free(den);
    return rc;
}

static ol_status check_options(const ol_ratio_options *opt, ol_error *err)
{
    if (!opt) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no ratio options");
    ol_status rc = check_threshold(opt->threshold, err);
    if (!rc) rc = check_range(opt->from_year, opt->until_year, err);
    if (!rc && (!opt->denominator || !*opt->denominator))
        rc = ol_error_set(err, OL_EINVAL, NULL, 0, 0, "to", "no reference country (denominator) given");
    return rc;
}

ol_status ol_ratio_compute(ol_store *store, const ol_ratio_options *opt,
                           ol_ratio_result **out, ol_error *err)
{
    if (!store || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_ratio_compute: NULL argument");
    *out = NULL;
    ol_status rc = check_options(opt, err);
    if (rc) return rc;
    if (!opt->numerator || !*opt->numerator)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "of", "no country (numerator) given");
    /* The series first: in a store without it, that is the news. */
    const char *series = or_default(opt->series, OL_SERIES_DEFAULT);
    const char *vintage = opt->vintage && *opt->vintage ? opt->vintage : NULL;
    rc = require_series(store, series, err);
    if (rc) return rc;
    ol_country num, den;
    rc = ol_country_resolve(store, opt->numerator, &num, err);
    if (!rc) rc = ol_country_resolve(store, opt->denominator, &den, err);
    if (rc) return rc;
    if (strcmp(num.code, den.code) == 0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "to",
                            "the two countries are the same (%s); compare two different states", num.code);
    ol_ratio_result *r = NULL;
    rc = ratio_codes(store, num.code, den.code, series, vintage, opt->threshold,
                     opt->from_year, opt->until_year, &r, err);
    if (rc) return rc;
    if (r->n == 0) {
        ol_ratio_result_free(r);
        char range[64] = "";
        if (opt->from_year || opt->until_year)
            snprintf(range, sizeof range, " in %d-%d", opt->from_year, opt->until_year);
        return ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "year",
                            "%s and %s have no common year of series '%s'%s", num.code, den.code,
                            series, range);
    }
    r->numerator = num;
    r->denominator = den;
    *out = r;
    return OL_OK;
}

/* ------------------------------------------------------------ every state */

void ol_ratio_all_result_free(ol_ratio_all_result *r)
{
    if (!r) return;
    free(r->rows);
    free(r);
}

static int row_cmp(const void *a, const void *b)
{
    const ol_ratio_all_row *x = a, *y = b;
    if (x->first_year != y->first_year) return x->first_year < y->first_year ? -1 : 1;
    return strcmp(x->country.code, y->country.code);
}

ol_status ol_ratio_all(ol_store *store, const ol_ratio_options *opt,
                       ol_ratio_all_result **out, ol_error *err)
{
    if (!store || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_ratio_all: NULL argument");
    *out = NULL;
    ol_status rc = check_options(opt, err);
    if (rc) return rc;
    const char *series = or_default(opt->series, OL_SERIES_DEFAULT);
    const char *vintage = opt->vintage && *opt->vintage ? opt->vintage : NULL;
    rc = require_series(store, series, err);
    if (rc) return rc;
    ol_country den;
    rc = ol_country_resolve(store, opt->denominator, &den, err);
    if (rc) return rc;
    ol_series *dens = NULL; /* only to fail early and clearly when the reference has no values */
    rc = read_chosen(store, series, den.code, vintage, &dens, err);
    ol_series_free(dens);
    if (rc) return rc;

    ol_ratio_all_result *res = calloc(1, sizeof *res);
    if (!res) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    res->denominator = den;
    snprintf(res->series, sizeof res->series, "%s", series);
    res->threshold = opt->threshold;

    sqlite3_stmt *st;
    rc = prepare(store,
        "SELECT DISTINCT v.country FROM indicator_values v JOIN countries c ON c.code = v.country "
        "WHERE v.series = ?1 AND c.kind IN ('state', 'former') AND v.country <> ?2 ORDER BY v.country",
        &st, err);
    if (rc) { free(res); return rc; }
    sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, den.code, -1, SQLITE_STATIC);
    size_t cap = 0;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        char code[OL_CODE_MAX];
        copy_text(code, sizeof code, sqlite3_column_text(st, 0));
        ol_ratio_result *one = NULL;
        rc = ratio_codes(store, code, den.code, series, vintage, opt->threshold,
                         opt->from_year, opt->until_year, &one, err);
        if (rc == OL_ENOTFOUND) { ol_error_clear(err); rc = OL_OK; continue; } /* not in this vintage */
        if (rc) break;
        if (one->n) res->ncountries++;
        if (one->first_year) {
            if (res->n == cap) {
                size_t ncap = cap ? 2 * cap : 16;
                ol_ratio_all_row *nr = realloc(res->rows, ncap * sizeof *nr);
                if (!nr) { ol_ratio_result_free(one); rc = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
                res->rows = nr;
                cap = ncap;
            }
            ol_ratio_all_row *row = &res->rows[res->n];
            memset(row, 0, sizeof *row);
            rc = ol_country_get(store, code, &row->country, err);
            if (rc) { ol_ratio_result_free(one); break; }
            row->first_year = one->first_year;
            row->sustained_year = one->sustained_year;
            row->ncrossings = one->ncrossings;
            row->starts_above = one->starts_above;
            row->peak = one->peak;
            row->peak_year = one->peak_year;
            row->last_year = one->last_year;
            row->last_ratio = one->last_ratio;
            row->source = one->numerator_source;
            res->n++;
        }
        ol_ratio_result_free(one);
    }
    if (!rc && r != SQLITE_DONE) rc = ol_store_fail(store, err, "listing the countries of a series");
    sqlite3_finalize(st);
    if (rc) { ol_ratio_all_result_free(res); return rc; }
    if (res->n > 1) qsort(res->rows, res->n, sizeof *res->rows, row_cmp);
    *out = res;
    return OL_OK;
}
