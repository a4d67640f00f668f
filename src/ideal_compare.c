/* Agreement of two ideal-point estimates: the panel they share and its
 * correlations (include/orderlab/ideal_compare.h; docs/ideal-compare.md). */
#include "orderlab/ideal_compare.h"

#include "orderlab/orderlab.h"

#include "ideal_read_internal.h"

#include <gsl/gsl_fit.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The private store a published file is read into. */
static const char MEMORY_STORE[] = ":memory:";
static const char IMPORT_KIND[] = "idealpoints";

void ol_ideal_compare_options_init(ol_ideal_compare_options *o)
{
    memset(o, 0, sizeof *o);
    o->estimate = OL_IDEAL_COMPARE_DEFAULT_ESTIMATE;
    o->with_estimate = OL_IDEAL_COMPARE_DEFAULT_WITH;
    o->top = OL_IDEAL_COMPARE_DEFAULT_TOP;
    o->min_n = OL_IDEAL_COMPARE_DEFAULT_MIN_N;
    o->max_rejects = -1;
}

void ol_ideal_compare_result_free(ol_ideal_compare_result *r)
{
    if (!r) return;
    free(r->pairs);
    free(r->periods);
    free(r->countries);
    free(r->disagree);
    free(r);
}

/* ------------------------------------------------------------ reading */

typedef struct point {
    char country[OL_CODE_MAX];
    int period, year;
    int key;        /* what is matched: the period or the year */
    double value;
} point;

/* Reads the rows of one side: the newest origin of (estimate, kind). */
static ol_status load_side(ol_store *s, const char *estimate, const char *want_kind, const char *where,
                           ol_ideal_compare_side *side, point **out, ol_error *err)
{
    *out = NULL;
    memset(side, 0, sizeof *side);
    snprintf(side->estimate, sizeof side->estimate, "%s", estimate);
    ol_ideal_origin org;
    ol_status stt = ol_ideal_read_origin(s, estimate, want_kind, where, &org, err);
    if (stt) return stt;
    snprintf(side->period_kind, sizeof side->period_kind, "%s", org.period_kind);
    side->run_id = org.run_id;
    side->source_id = org.source_id;
    side->origins = org.origins;
    const size_t nrows = org.rows;

    point *p = calloc(nrows ? nrows : 1, sizeof *p);
    if (!p) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating %zu ideal points", nrows);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ol_store_db(s),
                           "SELECT country, period, year, value FROM ideal_points WHERE " OL_IDEAL_READ_WHERE
                           " ORDER BY country, period",
                           -1, &st, NULL) != SQLITE_OK) {
        free(p);
        return ol_store_fail(s, err, "reading ideal points");
    }
    ol_ideal_read_bind(st, estimate, &org);
    size_t n = 0;
    int rc;
    while (n < nrows && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        point *q = &p[n];
        const char *c = (const char *)sqlite3_column_text(st, 0);
        snprintf(q->country, sizeof q->country, "%s", c ? c : "");
        q->period = sqlite3_column_int(st, 1);
        q->year = sqlite3_column_int(st, 2);
        q->value = sqlite3_column_double(st, 3);
        if (!n || q->period < side->period_min) side->period_min = q->period;
        if (!n || q->period > side->period_max) side->period_max = q->period;
        if (!n || q->year < side->year_min) side->year_min = q->year;
        if (!n || q->year > side->year_max) side->year_max = q->year;
        n++;
    }
    if (n < nrows) rc = sqlite3_step(st); /* fewer rows than counted: only an error explains it */
    else rc = SQLITE_DONE;
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(p);
        return ol_store_fail(s, err, "reading ideal points");
    }
    side->rows = n;
    *out = p;
    return OL_OK;
}

/* ------------------------------------------------------------ matching */

static int cmp_key(const void *x, const void *y)
{
    const point *a = x, *b = y;
    int c = strcmp(a->country, b->country);
    if (c) return c;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    return a->period < b->period ? -1 : a->period > b->period;
}

/* Sorts by (country, key) and keeps the first row of each; returns the
 * number kept and counts the rest as duplicates. */
static size_t sort_unique(point *p, size_t n, size_t *duplicates)
{
    qsort(p, n, sizeof *p, cmp_key);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k && strcmp(p[k - 1].country, p[i].country) == 0 && p[k - 1].key == p[i].key) {
            (*duplicates)++;
            continue;
        }
        p[k++] = p[i];
    }
    return k;
}

/* ------------------------------------------------------------ statistics */

/* Pearson r, or NAN when there are too few points or a side is constant. */
static double corr(const double *a, const double *b, size_t n, size_t min_n)
{
    if (n < min_n || n < 2) return NAN;
    if (!(gsl_stats_variance(a, 1, n) > 0.0) || !(gsl_stats_variance(b, 1, n) > 0.0)) return NAN;
    return gsl_stats_correlation(a, 1, b, 1, n);
}

/* The statistics of a run of pairs; xa and xb are scratch arrays of n. */
static void group_stats(const ol_ideal_compare_pair *p, size_t n, size_t min_n, int has_line, double *xa,
                        double *xb, ol_ideal_compare_group *g)
{
    double diff = 0.0, resid = 0.0;
    for (size_t i = 0; i < n; i++) {
        xa[i] = p[i].a;
        xb[i] = p[i].b;
        diff += p[i].a - p[i].b;
        resid += p[i].residual;
    }
    g->n = n;
    g->r = corr(xa, xb, n, min_n);
    g->mean_a = gsl_stats_mean(xa, 1, n);
    g->mean_b = gsl_stats_mean(xb, 1, n);
    g->mean_diff = diff / (double)n;
    g->mean_residual = has_line ? resid / (double)n : NAN;
    g->sd_a = n >= 2 ? gsl_stats_sd_m(xa, 1, n, g->mean_a) : NAN;
    g->sd_b = n >= 2 ? gsl_stats_sd_m(xb, 1, n, g->mean_b) : NAN;
    g->intercept = g->slope = NAN;
    if (!isnan(g->r)) {
        double c00, c01, c11, ss;
        gsl_fit_linear(xa, 1, xb, 1, n, &g->intercept, &g->slope, &c00, &c01, &c11, &ss);
    }
}

/* The calibration across periods (ideal_compare.h): byp holds the pairs by
 * period, in the order of r->periods; xa, xb, xc are scratch arrays of n. */
static void calibration(ol_ideal_compare_result *r, const ol_ideal_compare_pair *byp, double *xa, double *xb,
                        double *xc)
{
    size_t m = 0;
    for (size_t k = 0, i = 0; k < r->nperiods; i += r->periods[k].n, k++) {
        const ol_ideal_compare_group *g = &r->periods[k];
        if (isnan(g->r)) continue; /* also sd_a > 0: r needs variation */
        for (size_t j = i; j < i + g->n; j++, m++) {
            xa[m] = (byp[j].a - g->mean_a) / g->sd_a;
            xc[m] = g->intercept + g->slope * byp[j].a;
            xb[m] = byp[j].b;
        }
    }
    r->n_calibrated = m;
    r->r_standardised = corr(xa, xb, m, r->min_n);
    r->r_period_lines = corr(xc, xb, m, r->min_n);
}

static int cmp_pair_period(const void *x, const void *y)
{
    const ol_ideal_compare_pair *a = x, *b = y;
    if (a->period != b->period) return a->period < b->period ? -1 : 1;
    return strcmp(a->country, b->country);
}

static ol_status compute(ol_ideal_compare_result *r, size_t top, ol_error *err)
{
    const size_t n = r->n, min_n = r->min_n;
    double *xa = malloc((n ? n : 1) * sizeof *xa), *xb = malloc((n ? n : 1) * sizeof *xb);
    double *work = malloc((n ? 2 * n : 1) * sizeof *work); /* Spearman's; later the calibration's scratch */
    ol_ideal_compare_pair *byp = malloc((n ? n : 1) * sizeof *byp);
    ol_status st = OL_OK;
    if (!xa || !xb || !work || !byp) {
        st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating the comparison of %zu points", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        xa[i] = r->pairs[i].a;
        xb[i] = r->pairs[i].b;
    }
    r->r = corr(xa, xb, n, min_n);
    r->rho = isnan(r->r) ? NAN : gsl_stats_spearman(xa, 1, xb, 1, n, work);
    r->reversed = r->r < 0.0;
    r->intercept = r->slope = NAN;
    int has_line = 0;
    if (!isnan(r->r)) {
        double cov00, cov01, cov11, sumsq;
        gsl_fit_linear(xa, 1, xb, 1, n, &r->intercept, &r->slope, &cov00, &cov01, &cov11, &sumsq);
        has_line = isfinite(r->intercept) && isfinite(r->slope);
    }
    for (size_t i = 0; i < n; i++) {
        ol_ideal_compare_pair *p = &r->pairs[i];
        p->fitted = has_line ? r->intercept + r->slope * p->a : NAN;
        p->residual = has_line ? p->b - p->fitted : NAN;
    }

    /* per country: the pairs are sorted by country */
    size_t ng = 0;
    for (size_t i = 0; i < n; i++)
        if (!i || strcmp(r->pairs[i].country, r->pairs[i - 1].country) != 0) ng++;
    r->countries = calloc(ng ? ng : 1, sizeof *r->countries);
    if (!r->countries) { st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating the countries"); goto done; }
    for (size_t i = 0, k = 0; i < n; k++) {
        size_t j = i;
        while (j < n && strcmp(r->pairs[j].country, r->pairs[i].country) == 0) j++;
        ol_ideal_compare_group *g = &r->countries[k];
        snprintf(g->country, sizeof g->country, "%s", r->pairs[i].country);
        group_stats(&r->pairs[i], j - i, min_n, has_line, xa, xb, g);
        if (isnan(g->r)) r->countries_missing++;
        i = j;
    }
    r->ncountries = ng;
    for (size_t k = 0; k < ng; k++) {
        xa[k] = r->countries[k].mean_a;
        xb[k] = r->countries[k].mean_b;
    }
    r->pooled_r = corr(xa, xb, ng, min_n);

    /* per period */
    memcpy(byp, r->pairs, n * sizeof *byp);
    qsort(byp, n, sizeof *byp, cmp_pair_period);
    ng = 0;
    for (size_t i = 0; i < n; i++)
        if (!i || byp[i].period != byp[i - 1].period) ng++;
    r->periods = calloc(ng ? ng : 1, sizeof *r->periods);
    if (!r->periods) { st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating the periods"); goto done; }
    for (size_t i = 0, k = 0; i < n; k++) {
        size_t j = i;
        while (j < n && byp[j].period == byp[i].period) j++;
        ol_ideal_compare_group *g = &r->periods[k];
        g->period = byp[i].period;
        g->year = byp[i].year;
        group_stats(&byp[i], j - i, min_n, has_line, xa, xb, g);
        if (isnan(g->r)) r->periods_missing++;
        i = j;
    }
    r->nperiods = ng;
    size_t nr = 0;
    r->period_r_median = r->period_r_min = NAN;
    for (size_t k = 0; k < ng; k++) {
        const ol_ideal_compare_group *g = &r->periods[k];
        if (isnan(g->r)) continue;
        if (!nr || g->r < r->period_r_min) {
            r->period_r_min = g->r;
            r->period_r_min_period = g->period;
            r->period_r_min_year = g->year;
        }
        xa[nr++] = g->r;
    }
    if (nr) {
        gsl_sort(xa, 1, nr);
        r->period_r_median = gsl_stats_median_from_sorted_data(xa, 1, nr);
    }
    calibration(r, byp, xa, xb, work);

    /* the largest absolute residuals */
    if (has_line && top && n) {
        size_t k = top < n ? top : n;
        size_t *idx = malloc(k * sizeof *idx);
        r->disagree = malloc(k * sizeof *r->disagree);
        if (!idx || !r->disagree) {
            free(idx);
            st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating the disagreements");
            goto done;
        }
        for (size_t i = 0; i < n; i++) xa[i] = fabs(r->pairs[i].residual);
        gsl_sort_largest_index(idx, k, xa, 1, n);
        for (size_t i = 0; i < k; i++) r->disagree[i] = r->pairs[idx[i]];
        r->ndisagree = k;
        free(idx);
    }
done:
    free(xa);
    free(xb);
    free(work);
    free(byp);
    return st;
}

/* ------------------------------------------------------------ the comparison */

/* Keeps the points dated from..to (0: no bound) at the front; returns how
 * many were left out. */
static size_t keep_years(point *p, size_t *n, int from, int to)
{
    size_t k = 0, n0 = *n;
    for (size_t i = 0; i < n0; i++)
        if ((!from || p[i].year >= from) && (!to || p[i].year <= to)) p[k++] = p[i];
    *n = k;
    return n0 - k;
}

static void side_range(const ol_ideal_compare_side *s, char *buf, size_t size)
{
    if (!s->rows) { snprintf(buf, size, "no rows"); return; }
    if (strcmp(s->period_kind, "session") == 0)
        snprintf(buf, size, "%zu rows, sessions %d-%d (%d-%d)", s->rows, s->period_min, s->period_max, s->year_min,
                 s->year_max);
    else
        snprintf(buf, size, "%zu rows, years %d-%d", s->rows, s->year_min, s->year_max);
}

static ol_status compare(ol_store *store, const char *where_a, ol_store *with_store, const char *where_b,
                         const char *file_b, const ol_ideal_compare_options *o, ol_ideal_compare_result **out, ol_error *err)
{
    *out = NULL;
    ol_ideal_compare_options dflt;
    if (!o) { ol_ideal_compare_options_init(&dflt); o = &dflt; }
    const char *ea = o->estimate && *o->estimate ? o->estimate : OL_IDEAL_COMPARE_DEFAULT_ESTIMATE;
    const char *eb = o->with_estimate && *o->with_estimate ? o->with_estimate : OL_IDEAL_COMPARE_DEFAULT_WITH;
    if (!store || !with_store) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no store to compare");
    if (!ol_ideal_read_valid_kind(o->period_kind) || !ol_ideal_read_valid_kind(o->with_period_kind))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "period_kind", "a period kind is 'session' or 'year', not '%s'",
                            ol_ideal_read_valid_kind(o->period_kind) ? o->with_period_kind : o->period_kind);
    if (o->from_year && o->to_year && o->from_year > o->to_year)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "from_year", "from_year %d is after to_year %d", o->from_year,
                            o->to_year);
    if (o->min_n < OL_IDEAL_COMPARE_DEFAULT_MIN_N)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "min_n",
                            "min_n %zu: a correlation needs at least %d points to mean anything", o->min_n,
                            OL_IDEAL_COMPARE_DEFAULT_MIN_N);

    ol_ideal_compare_result *r = calloc(1, sizeof *r);
    if (!r) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating the comparison");
    r->min_n = o->min_n;
    point *pa = NULL, *pb = NULL;
    ol_status st = load_side(store, ea, o->period_kind, where_a, &r->a, &pa, err);
    if (!st) {
        st = load_side(with_store, eb, o->with_period_kind, where_b, &r->b, &pb, err);
        /* side B's faults name its file, so that a caller can tell the sides apart */
        if (st && file_b && err && !err->file[0]) snprintf(err->file, sizeof err->file, "%s", file_b);
    }
    if (st) goto fail;

    size_t ka = r->a.rows, kb = r->b.rows;
    r->a.outside = keep_years(pa, &ka, o->from_year, o->to_year);
    r->b.outside = keep_years(pb, &kb, o->from_year, o->to_year);
    r->by_year = strcmp(r->a.period_kind, r->b.period_kind) != 0;
    for (size_t i = 0; i < ka; i++) pa[i].key = r->by_year ? pa[i].year : pa[i].period;
    for (size_t i = 0; i < kb; i++) pb[i].key = r->by_year ? pb[i].year : pb[i].period;
    size_t na = sort_unique(pa, ka, &r->a.duplicates);
    size_t nb = sort_unique(pb, kb, &r->b.duplicates);

    size_t cap = na < nb ? na : nb;
    r->pairs = calloc(cap ? cap : 1, sizeof *r->pairs);
    if (!r->pairs) { st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating the panel"); goto fail; }
    size_t i = 0, j = 0, n = 0;
    while (i < na && j < nb) {
        int c = strcmp(pa[i].country, pb[j].country);
        if (!c) c = pa[i].key < pb[j].key ? -1 : pa[i].key > pb[j].key;
        if (c < 0) { i++; continue; }
        if (c > 0) { j++; continue; }
        ol_ideal_compare_pair *p = &r->pairs[n++];
        snprintf(p->country, sizeof p->country, "%s", pa[i].country);
        p->period = pa[i].period;
        p->year = pa[i].year;
        p->a = pa[i].value;
        p->b = pb[j].value;
        i++;
        j++;
    }
    r->n = n;
    r->a.unmatched = na - n;
    r->b.unmatched = nb - n;
    if (!n) {
        char ra[160], rb[160];
        side_range(&r->a, ra, sizeof ra);
        side_range(&r->b, rb, sizeof rb);
        char yrs[64] = "";
        if (o->from_year && o->to_year) snprintf(yrs, sizeof yrs, " dated in %d-%d", o->from_year, o->to_year);
        else if (o->from_year) snprintf(yrs, sizeof yrs, " dated from %d", o->from_year);
        else if (o->to_year) snprintf(yrs, sizeof yrs, " dated until %d", o->to_year);
        st = ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, NULL,
                          "nothing to compare: no country and %s%s is in both '%s' (%s; %s) and '%s' (%s; %s)",
                          r->by_year ? "year" : r->a.period_kind, yrs, ea, r->a.period_kind, ra, eb, r->b.period_kind,
                          rb);
        goto fail;
    }
    st = compute(r, o->top, err);
    if (st) goto fail;
    free(pa);
    free(pb);
    *out = r;
    return OL_OK;
fail:
    free(pa);
    free(pb);
    ol_ideal_compare_result_free(r);
    return st;
}

ol_status ol_ideal_compare_stores(ol_store *store, ol_store *with_store, const ol_ideal_compare_options *o,
                                  ol_ideal_compare_result **out, ol_error *err)
{
    return compare(store, "the store", with_store, with_store == store ? "the store" : "the other store", NULL, o, out,
                   err);
}

/* Copies the user's crosswalk corrections into the private store, so that
 * the file's countries resolve as they would in an import. */
static ol_status copy_overrides(ol_store *from, ol_store *to, ol_error *err)
{
    sqlite3_stmt *sel = NULL, *ins = NULL;
    ol_status st = OL_OK;
    if (sqlite3_prepare_v2(ol_store_db(from), "SELECT * FROM country_overrides", -1, &sel, NULL) != SQLITE_OK)
        return ol_store_fail(from, err, "reading the country overrides");
    int ncol = sqlite3_column_count(sel);
    char sql[512];
    int len = snprintf(sql, sizeof sql, "INSERT INTO country_overrides VALUES (");
    for (int c = 0; c < ncol && len < (int)sizeof sql - 8; c++) len += snprintf(sql + len, sizeof sql - (size_t)len, "%s?", c ? "," : "");
    snprintf(sql + len, sizeof sql - (size_t)len, ")");
    if (sqlite3_prepare_v2(ol_store_db(to), sql, -1, &ins, NULL) != SQLITE_OK) {
        st = ol_store_fail(to, err, "copying the country overrides");
        goto done;
    }
    int rc;
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
        for (int c = 0; c < ncol; c++) sqlite3_bind_value(ins, c + 1, sqlite3_column_value(sel, c));
        if (sqlite3_step(ins) != SQLITE_DONE) { st = ol_store_fail(to, err, "copying the country overrides"); goto done; }
        sqlite3_reset(ins);
    }
    if (rc != SQLITE_DONE) st = ol_store_fail(from, err, "reading the country overrides");
done:
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    return st;
}

ol_status ol_ideal_compare_file(ol_store *store, const char *path, const ol_ideal_compare_options *o,
                                ol_ideal_compare_result **out, ol_error *err)
{
    *out = NULL;
    if (!store || !path || !*path) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no store or no file to compare");
    ol_ideal_compare_options dflt;
    if (!o) { ol_ideal_compare_options_init(&dflt); o = &dflt; }

    /* Side A first: a missing estimate is found before the file is read. */
    ol_ideal_origin org;
    const char *ea = o->estimate && *o->estimate ? o->estimate : OL_IDEAL_COMPARE_DEFAULT_ESTIMATE;
    if (!ol_ideal_read_valid_kind(o->period_kind))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "period_kind", "a period kind is 'session' or 'year', not '%s'",
                            o->period_kind);
    ol_status st = ol_ideal_read_origin(store, ea, o->period_kind, "the store", &org, err);
    if (st) return st;

    ol_store *mem = NULL;
    st = ol_store_open(MEMORY_STORE, OL_STORE_READWRITE, &mem, err);
    if (!st) st = copy_overrides(store, mem, err);
    if (!st) st = ol_countries_ensure(mem, err);
    if (st) { ol_store_close(mem); return st; }

    ol_import_options io;
    ol_import_options_init(&io);
    io.max_rejects = o->max_rejects;
    io.on_reject = o->on_reject;
    io.reject_ctx = o->reject_ctx;
    ol_import_summary sum;
    memset(&sum, 0, sizeof sum);
    st = ol_import_file(mem, IMPORT_KIND, path, &io, &sum, NULL, err);
    if (!st) {
        char where[OL_ERROR_PATH_MAX + 16];
        snprintf(where, sizeof where, "the file %s", path);
        st = compare(store, "the store", mem, where, path, o, out, err);
        if (!st) (*out)->file = sum;
    }
    ol_store_close(mem);
    return st;
}
