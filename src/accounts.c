/* The magnitudes behind the model's accounts: the partner's goods surplus
 * with the hegemon, the hegemon's contributions to UN-system organisations,
 * its military burden against its allies' (include/orderlab/accounts.h). */
#include "orderlab/accounts.h"

#include "util/csvread.h"
#include "util/embedded.h"
#include "util/text.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define OL_DEFAULT_HEGEMON "USA"
#define OL_WORLD "WLD"
#define OL_CENSUS_IMPORTS "census.imports"
#define OL_CENSUS_EXPORTS "census.exports"
#define OL_WHO_SCALE "who.scale"
#define OL_SIPRI_SHARE "sipri.milex_gdp"
#define OL_SIPRI_MILEX "sipri.milex_current"
#define OL_FACTS_FILE "model_facts.csv"

/* ------------------------------------------------------------ helpers */

static ol_status prepare(ol_store *store, const char *sql, sqlite3_stmt **st, ol_error *err)
{
    if (sqlite3_prepare_v2(ol_store_db(store), sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return ol_store_fail(store, err, "reading values");
    }
    return OL_OK;
}

static void copy_text(char *dst, size_t size, const unsigned char *s)
{
    snprintf(dst, size, "%s", s ? (const char *)s : "");
}

/* The factor that turns a stored unit into its base unit ("million current
 * US$" -> 1e6). */
static double unit_factor(const char *unit)
{
    static const struct { const char *word; double f; } w[] = {
        {"billion", 1e9}, {"million", 1e6}, {"thousand", 1e3},
    };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        if (strncasecmp(unit, w[i].word, strlen(w[i].word)) == 0) return w[i].f;
    return 1.0;
}

static ol_status source_info(ol_store *store, int64_t id, ol_series_source *src, ol_error *err)
{
    sqlite3_stmt *st;
    ol_status rc = prepare(store, "SELECT kind, name, vintage, imported_at FROM sources WHERE id = ?1", &st, err);
    if (rc) return rc;
    sqlite3_bind_int64(st, 1, id);
    memset(src, 0, sizeof *src);
    if (sqlite3_step(st) == SQLITE_ROW) {
        src->id = id;
        copy_text(src->kind, sizeof src->kind, sqlite3_column_text(st, 0));
        copy_text(src->name, sizeof src->name, sqlite3_column_text(st, 1));
        copy_text(src->vintage, sizeof src->vintage, sqlite3_column_text(st, 2));
        copy_text(src->imported_at, sizeof src->imported_at, sqlite3_column_text(st, 3));
    }
    sqlite3_finalize(st);
    return OL_OK;
}

/* The newest source of a pair series that has (country, partner); partner
 * NULL: any partner.  *id = 0 when none. */
static ol_status pair_source(ol_store *store, const char *series, const char *country, const char *partner,
                             int64_t *id, ol_error *err)
{
    sqlite3_stmt *st;
    ol_status rc = prepare(store,
        "SELECT s.id FROM sources s WHERE EXISTS (SELECT 1 FROM pair_values p WHERE p.series = ?1 "
        "AND p.country = ?2 AND (?3 IS NULL OR p.partner = ?3) AND p.source_id = s.id) "
        "ORDER BY s.imported_at DESC, s.id DESC LIMIT 1", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, country, -1, SQLITE_STATIC);
    if (partner) sqlite3_bind_text(st, 3, partner, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    *id = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (r != SQLITE_ROW && r != SQLITE_DONE) return ol_store_fail(store, err, "choosing a source");
    return OL_OK;
}

/* The newest source of an indicator series that has country; 0 when none. */
static ol_status value_source(ol_store *store, const char *series, const char *country, int64_t *id, ol_error *err)
{
    sqlite3_stmt *st;
    ol_status rc = prepare(store,
        "SELECT s.id FROM sources s WHERE EXISTS (SELECT 1 FROM indicator_values v WHERE v.series = ?1 "
        "AND v.country = ?2 AND v.source_id = s.id) ORDER BY s.imported_at DESC, s.id DESC LIMIT 1", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, country, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    *id = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (r != SQLITE_ROW && r != SQLITE_DONE) return ol_store_fail(store, err, "choosing a source");
    return OL_OK;
}

static int in_range(int y, int from, int until) { return (!from || y >= from) && (!until || y <= until); }

/* ------------------------------------------------------------ balance */

void ol_balance_options_init(ol_balance_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->reporter = OL_DEFAULT_HEGEMON;
    opt->gdp_series = OL_SERIES_DEFAULT;
}

void ol_balance_result_free(ol_balance_result *r)
{
    if (!r) return;
    free(r->years);
    free(r);
}

/* Finds or appends year y (years ascending as they are read). */
static ol_balance_year *balance_year(ol_balance_result *r, size_t *cap, int y)
{
    if (r->n && r->years[r->n - 1].year == y) return &r->years[r->n - 1];
    if (r->n == *cap) {
        size_t nc = *cap ? 2 * *cap : 64;
        ol_balance_year *ny = realloc(r->years, nc * sizeof *ny);
        if (!ny) return NULL;
        r->years = ny;
        *cap = nc;
    }
    ol_balance_year *b = &r->years[r->n++];
    memset(b, 0, sizeof *b);
    b->year = y;
    return b;
}

ol_status ol_balance_compute(ol_store *store, const ol_balance_options *opt, ol_balance_result **out, ol_error *err)
{
    if (!store || !opt || !out || !opt->partner)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "of", "ol_balance_compute: no partner given");
    *out = NULL;
    if (opt->from_year && opt->until_year && opt->from_year > opt->until_year)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "year", "the first year %d is after the last year %d",
                            opt->from_year, opt->until_year);
    ol_balance_result *r = calloc(1, sizeof *r);
    if (!r) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    const char *gdp_series = opt->gdp_series && *opt->gdp_series ? opt->gdp_series : OL_SERIES_DEFAULT;
    snprintf(r->gdp_series, sizeof r->gdp_series, "%s", gdp_series);
    ol_status rc = ol_country_resolve(store, opt->partner, &r->partner, err);
    if (!rc) rc = ol_country_resolve(store, opt->reporter && *opt->reporter ? opt->reporter : OL_DEFAULT_HEGEMON,
                                     &r->reporter, err);
    if (!rc && strcmp(r->partner.code, r->reporter.code) == 0)
        rc = ol_error_set(err, OL_EINVAL, NULL, 0, 0, "with", "the partner and the reporter are the same (%s)",
                          r->partner.code);
    int64_t id = 0;
    if (!rc) rc = pair_source(store, OL_CENSUS_IMPORTS, r->reporter.code, r->partner.code, &id, err);
    if (!rc && !id)
        rc = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "series",
                          "no goods trade of %s with %s in the store (series %s): the US Census file gives the "
                          "United States' trade by partner", r->reporter.code, r->partner.code, OL_CENSUS_IMPORTS);
    if (!rc) rc = source_info(store, id, &r->trade_source, err);
    sqlite3_stmt *st = NULL;
    if (!rc) rc = prepare(store,
        "SELECT year, partner, series, value, unit, flag FROM pair_values WHERE source_id = ?1 AND country = ?2 "
        "AND partner IN (?3, ?4) AND series IN ('" OL_CENSUS_IMPORTS "', '" OL_CENSUS_EXPORTS "') "
        "ORDER BY year, partner", &st, err);
    size_t cap = 0, hcap = 0;
    unsigned char *has_partner = NULL; /* per year: the partner itself has values */
    if (!rc) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, r->reporter.code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, r->partner.code, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, OL_WORLD, -1, SQLITE_STATIC);
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            int y = sqlite3_column_int(st, 0);
            if (!in_range(y, opt->from_year, opt->until_year)) continue;
            ol_balance_year *b = balance_year(r, &cap, y);
            if (b && r->n > hcap) {
                unsigned char *nh = realloc(has_partner, cap);
                if (nh) { memset(nh + hcap, 0, cap - hcap); has_partner = nh; hcap = cap; }
                else b = NULL;
            }
            if (!b) { rc = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
            const char *partner = (const char *)sqlite3_column_text(st, 1);
            const char *series = (const char *)sqlite3_column_text(st, 2);
            double v = sqlite3_column_double(st, 3) * unit_factor((const char *)sqlite3_column_text(st, 4));
            int exp = strcmp(series, OL_CENSUS_EXPORTS) == 0;
            if (strcmp(partner, OL_WORLD) == 0 && strcmp(r->partner.code, OL_WORLD) != 0) {
                b->total_surplus += exp ? -v : v;
                b->has_total = 1;
                continue;
            }
            has_partner[r->n - 1] = 1;
            if (exp) b->exports = v; else b->imports = v;
            const unsigned char *f = sqlite3_column_text(st, 5);
            if (f && *f) {
                snprintf(b->flag, sizeof b->flag, "%s", (const char *)f);
                if (strstr((const char *)f, "partial")) b->partial = 1;
            }
        }
        if (!rc && s != SQLITE_DONE) rc = ol_store_fail(store, err, "reading goods trade");
    }
    sqlite3_finalize(st);
    /* keep the years the partner has; compute the shares */
    size_t k = 0;
    for (size_t i = 0; i < r->n && !rc; i++) {
        if (!has_partner[i]) continue; /* a year only the world total has */
        ol_balance_year b = r->years[i];
        b.surplus = b.imports - b.exports;
        if (b.has_total && b.total_surplus != 0.0)
            b.share_of_total = b.surplus / b.total_surplus;
        else b.has_total = 0;
        r->years[k++] = b;
    }
    free(has_partner);
    r->n = k;
    ol_series *gdp = NULL;
    if (!rc) {
        ol_error e;
        ol_status g = ol_series_read(store, gdp_series, r->reporter.code, NULL, &gdp, &e);
        if (g && g != OL_ENOTFOUND) { if (err) *err = e; rc = g; }
    }
    if (!rc && gdp) {
        r->gdp_source = gdp->source;
        double f = unit_factor(gdp->unit);
        for (size_t i = 0; i < r->n; i++) {
            int found;
            double v = ol_series_value(gdp, r->years[i].year, &found);
            if (found && v > 0) {
                r->years[i].has_gdp = 1;
                r->years[i].gdp = v * f;
                r->years[i].share_of_gdp = r->years[i].surplus / r->years[i].gdp;
            }
        }
    }
    ol_series_free(gdp);
    for (size_t i = 0; i < r->n; i++) r->npartial += (size_t)r->years[i].partial;
    if (!rc && r->n == 0)
        rc = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "year", "no year of goods trade of %s with %s in the years asked",
                          r->reporter.code, r->partner.code);
    if (rc) { ol_balance_result_free(r); return rc; }
    *out = r;
    return OL_OK;
}

/* ------------------------------------------------------------ contributions */

void ol_contrib_options_init(ol_contrib_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->type = "assessed";
    opt->prefix = "ceb.donor";
}

void ol_contrib_result_free(ol_contrib_result *r)
{
    if (!r) return;
    free(r->rows);
    free(r->scale_years);
    free(r->scale_values);
    free(r);
}

static int wanted_entity(const ol_contrib_options *opt, const char *e)
{
    if (!opt->entities || !opt->nentities) return 1;
    for (size_t i = 0; i < opt->nentities; i++) if (strcasecmp(opt->entities[i], e) == 0) return 1;
    return 0;
}

ol_status ol_contrib_compute(ol_store *store, const ol_contrib_options *opt, ol_contrib_result **out, ol_error *err)
{
    if (!store || !opt || !out || !opt->donor)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "of", "ol_contrib_compute: no donor given");
    *out = NULL;
    static const char *const types[] = {"assessed", "voluntary_core", "voluntary_earmarked", "other"};
    const char *type = opt->type && *opt->type ? opt->type : "assessed";
    int known = 0;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) known |= strcmp(types[i], type) == 0;
    if (!known)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "type",
                            "unknown revenue type '%s' (assessed, voluntary_core, voluntary_earmarked, other)", type);
    if (opt->from_year && opt->until_year && opt->from_year > opt->until_year)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "year", "the first year %d is after the last year %d",
                            opt->from_year, opt->until_year);
    ol_contrib_result *r = calloc(1, sizeof *r);
    if (!r) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    snprintf(r->series, sizeof r->series, "%s.%s", opt->prefix && *opt->prefix ? opt->prefix : "ceb.donor", type);
    ol_status rc = ol_country_resolve(store, opt->donor, &r->donor, err);
    int64_t id = 0;
    if (!rc) rc = pair_source(store, r->series, r->donor.code, NULL, &id, err);
    if (!rc && !id)
        rc = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "series",
                          "no contributions of %s in series '%s': import the CEB files first", r->donor.code,
                          r->series);
    if (!rc) rc = source_info(store, id, &r->source, err);
    sqlite3_stmt *st = NULL;
    if (!rc) rc = prepare(store,
        /* the pool of every donor per organisation-year, grouped once: a
         * correlated sum per row made SQLite scan the source's rows each time */
        "SELECT p.year, p.partner, p.value, p.unit, t.total FROM pair_values p JOIN "
        "(SELECT partner, year, sum(value) AS total FROM pair_values WHERE series = ?1 AND source_id = ?2 "
        "GROUP BY partner, year) t ON t.partner = p.partner AND t.year = p.year "
        "WHERE p.series = ?1 AND p.source_id = ?2 AND p.country = ?3 ORDER BY p.year, p.partner", &st, err);
    size_t cap = 0;
    if (!rc) {
        sqlite3_bind_text(st, 1, r->series, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, id);
        sqlite3_bind_text(st, 3, r->donor.code, -1, SQLITE_STATIC);
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            int y = sqlite3_column_int(st, 0);
            const char *e = (const char *)sqlite3_column_text(st, 1);
            if (!in_range(y, opt->from_year, opt->until_year) || !e || !wanted_entity(opt, e)) continue;
            if (r->n == cap) {
                size_t nc = cap ? 2 * cap : 64;
                ol_contrib_row *nr = realloc(r->rows, nc * sizeof *nr);
                if (!nr) { rc = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
                r->rows = nr;
                cap = nc;
            }
            ol_contrib_row *w = &r->rows[r->n++];
            memset(w, 0, sizeof *w);
            w->year = y;
            snprintf(w->entity, sizeof w->entity, "%s", e);
            double f = unit_factor((const char *)sqlite3_column_text(st, 3));
            if (!r->unit[0]) copy_text(r->unit, sizeof r->unit, sqlite3_column_text(st, 3));
            w->amount = sqlite3_column_double(st, 2) * f;
            w->total = sqlite3_column_double(st, 4) * f;
            w->share = w->total != 0.0 ? w->amount / w->total : 0.0;
        }
        if (!rc && s != SQLITE_DONE) rc = ol_store_fail(store, err, "reading contributions");
    }
    sqlite3_finalize(st);
    if (!rc && r->n == 0)
        rc = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "year",
                          "no contributions of %s in '%s' for the organisations and years asked", r->donor.code,
                          r->series);
    if (!rc) {
        /* Each WHO resolution is an import of its own: read the scale across
         * them, the newest import of a year winning. */
        rc = prepare(store,
            "SELECT v.year, v.value FROM indicator_values v JOIN sources s ON s.id = v.source_id "
            "WHERE v.series = '" OL_WHO_SCALE "' AND v.country = ?1 ORDER BY v.year, s.imported_at DESC, s.id DESC",
            &st, err);
        size_t scap = 0;
        if (!rc) {
            sqlite3_bind_text(st, 1, r->donor.code, -1, SQLITE_STATIC);
            int s2;
            while ((s2 = sqlite3_step(st)) == SQLITE_ROW) {
                int y = sqlite3_column_int(st, 0);
                if (!in_range(y, opt->from_year, opt->until_year)) continue;
                if (r->nscale && r->scale_years[r->nscale - 1] == y) continue;
                if (r->nscale == scap) {
                    size_t nc = scap ? 2 * scap : 16;
                    int *ny = realloc(r->scale_years, nc * sizeof *ny);
                    if (ny) r->scale_years = ny;
                    double *nv = ny ? realloc(r->scale_values, nc * sizeof *nv) : NULL;
                    if (!nv) { rc = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
                    r->scale_values = nv;
                    scap = nc;
                }
                r->scale_years[r->nscale] = y;
                r->scale_values[r->nscale++] = sqlite3_column_double(st, 1);
            }
            if (!rc && s2 != SQLITE_DONE) rc = ol_store_fail(store, err, "reading the WHO scale");
        }
        sqlite3_finalize(st);
    }
    if (rc) { ol_contrib_result_free(r); return rc; }
    *out = r;
    return OL_OK;
}

/* ------------------------------------------------------------ burden */

void ol_burden_options_init(ol_burden_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->hegemon = OL_DEFAULT_HEGEMON;
}

void ol_burden_result_free(ol_burden_result *r)
{
    if (!r) return;
    free(r->years);
    free(r);
}

/* An ally and the first year it counts (0: every year). */
typedef struct ally { char code[OL_CODE_MAX]; int since; } ally;

/* NATO's members and their accession years: the facts member_since of the
 * built-in model facts (data/model_facts.csv, institution NATO). */
static ol_status nato_members(ally **out, size_t *n, ol_error *err)
{
    *out = NULL;
    *n = 0;
    const ol_embedded_file *f = ol_embedded_find(OL_FACTS_FILE);
    if (!f) return ol_error_set(err, OL_ENOTFOUND, OL_FACTS_FILE, 0, 0, NULL, "built-in table missing from this build");
    FILE *fp = fmemopen((void *)f->data, f->size, "r");
    if (!fp) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "cannot read a built-in table");
    ol_csv *r = NULL;
    ol_status st = ol_csv_open_stream(fp, "(built-in) data/" OL_FACTS_FILE, NULL, &r, err);
    static const char *const cols[] = {"fact", "institution", "country", "year"};
    long idx[4];
    int got = 0;
    if (!st && (got = ol_csv_next(r, err)) != 1)
        st = got < 0 ? (err ? err->code : OL_EPARSE)
                     : ol_error_set(err, OL_EPARSE, OL_FACTS_FILE, 1, 0, NULL, "empty built-in table");
    if (!st) st = ol_csv_require(r, cols, 4, idx, err);
    size_t cap = 0;
    while (!st && (got = ol_csv_next(r, err)) == 1) {
        if (strcmp(ol_csv_field(r, (size_t)idx[0]), "member_since") != 0 ||
            strcmp(ol_csv_field(r, (size_t)idx[1]), "NATO") != 0)
            continue;
        if (*n == cap) {
            size_t nc = cap ? 2 * cap : 32;
            ally *na = realloc(*out, nc * sizeof *na);
            if (!na) { st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
            *out = na;
            cap = nc;
        }
        ally *a = &(*out)[*n];
        snprintf(a->code, sizeof a->code, "%s", ol_csv_field(r, (size_t)idx[2]));
        if (!ol_parse_int(ol_csv_field(r, (size_t)idx[3]), &a->since)) {
            st = ol_csv_error(r, err, OL_EVALIDATE, idx[3] + 1, "year", "not a year");
            break;
        }
        (*n)++;
    }
    if (!st && got < 0) st = err ? err->code : OL_EPARSE;
    ol_csv_close(r);
    fclose(fp);
    if (!st && *n == 0)
        st = ol_error_set(err, OL_ENOTFOUND, OL_FACTS_FILE, 0, 0, NULL, "the built-in facts list no NATO members");
    if (st) { free(*out); *out = NULL; *n = 0; }
    return st;
}

/* The values of one series for one country from one source, with a flag bit
 * per value (estimate or uncertain). */
typedef struct flagged { size_t n; int *years; double *values; unsigned char *marked; } flagged;

static void flagged_free(flagged *f)
{
    free(f->years);
    free(f->values);
    free(f->marked);
    memset(f, 0, sizeof *f);
}

static ol_status read_flagged(ol_store *store, const char *series, int64_t source, const char *country, flagged *out,
                              ol_error *err)
{
    memset(out, 0, sizeof *out);
    if (!source) return OL_OK;
    sqlite3_stmt *st;
    ol_status rc = prepare(store,
        "SELECT year, value, unit, coalesce(instr(flag, 'estimate') > 0 OR instr(flag, 'uncertain') > 0, 0) "
        "FROM indicator_values WHERE series = ?1 AND source_id = ?2 AND country = ?3 ORDER BY year", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, source);
    sqlite3_bind_text(st, 3, country, -1, SQLITE_STATIC);
    size_t cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            size_t nc = cap ? 2 * cap : 64;
            int *ny = realloc(out->years, nc * sizeof *ny);
            if (ny) out->years = ny;
            double *nv = ny ? realloc(out->values, nc * sizeof *nv) : NULL;
            if (nv) out->values = nv;
            unsigned char *nm = nv ? realloc(out->marked, nc) : NULL;
            if (!nm) { rc = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
            out->marked = nm;
            cap = nc;
        }
        out->years[out->n] = sqlite3_column_int(st, 0);
        out->values[out->n] = sqlite3_column_double(st, 1) * unit_factor((const char *)sqlite3_column_text(st, 2));
        out->marked[out->n] = (unsigned char)sqlite3_column_int(st, 3);
        out->n++;
    }
    if (!rc && s != SQLITE_DONE) rc = ol_store_fail(store, err, "reading military expenditure");
    sqlite3_finalize(st);
    if (rc) flagged_free(out);
    return rc;
}

/* The value of year y: 1 with *v and *m, or 0. */
static int flagged_get(const flagged *f, int y, double *v, int *m)
{
    size_t lo = 0, hi = f->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (f->years[mid] < y) lo = mid + 1; else hi = mid;
    }
    if (lo < f->n && f->years[lo] == y) { *v = f->values[lo]; *m = f->marked[lo]; return 1; }
    return 0;
}

ol_status ol_burden_compute(ol_store *store, const ol_burden_options *opt, ol_burden_result **out, ol_error *err)
{
    if (!store || !opt || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_burden_compute: NULL argument");
    *out = NULL;
    if (opt->from_year && opt->until_year && opt->from_year > opt->until_year)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "year", "the first year %d is after the last year %d",
                            opt->from_year, opt->until_year);
    ol_burden_result *r = calloc(1, sizeof *r);
    if (!r) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    ol_status rc = ol_country_resolve(store, opt->hegemon && *opt->hegemon ? opt->hegemon : OL_DEFAULT_HEGEMON,
                                      &r->hegemon, err);
    ally *allies = NULL;
    size_t nallies = 0;
    if (!rc && opt->allies && opt->nallies) {
        allies = calloc(opt->nallies, sizeof *allies);
        if (!allies) rc = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        for (size_t i = 0; !rc && i < opt->nallies; i++) {
            ol_country c;
            rc = ol_country_resolve(store, opt->allies[i], &c, err);
            if (!rc && strcmp(c.code, r->hegemon.code) != 0) {
                snprintf(allies[nallies].code, sizeof allies[nallies].code, "%s", c.code);
                allies[nallies++].since = 0;
            }
        }
    } else if (!rc) {
        rc = nato_members(&allies, &nallies, err);
        r->nato = 1;
    }
    int64_t sid = 0, mid = 0;
    if (!rc) rc = value_source(store, OL_SIPRI_SHARE, r->hegemon.code, &sid, err);
    if (!rc && !sid)
        rc = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "series",
                          "no military expenditure as a share of GDP of %s (series %s): import SIPRI's data first",
                          r->hegemon.code, OL_SIPRI_SHARE);
    if (!rc) rc = value_source(store, OL_SIPRI_MILEX, r->hegemon.code, &mid, err);
    if (!rc) rc = source_info(store, sid, &r->share_source, err);
    if (!rc && mid) rc = source_info(store, mid, &r->milex_source, err);
    flagged hs = {0}, hm = {0};
    flagged *as = NULL, *am = NULL;
    if (!rc) rc = read_flagged(store, OL_SIPRI_SHARE, sid, r->hegemon.code, &hs, err);
    if (!rc) rc = read_flagged(store, OL_SIPRI_MILEX, mid, r->hegemon.code, &hm, err);
    if (!rc) {
        as = calloc(nallies ? nallies : 1, sizeof *as);
        am = calloc(nallies ? nallies : 1, sizeof *am);
        if (!as || !am) rc = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    for (size_t i = 0; !rc && i < nallies; i++) {
        if (strcmp(allies[i].code, r->hegemon.code) == 0) continue;
        rc = read_flagged(store, OL_SIPRI_SHARE, sid, allies[i].code, &as[i], err);
        if (!rc) rc = read_flagged(store, OL_SIPRI_MILEX, mid, allies[i].code, &am[i], err);
    }
    size_t cap = 0;
    for (size_t k = 0; !rc && k < hs.n; k++) {
        int y = hs.years[k];
        if (!in_range(y, opt->from_year, opt->until_year)) continue;
        ol_burden_year b;
        memset(&b, 0, sizeof b);
        b.year = y;
        b.hegemon_share = hs.values[k];
        b.estimates = hs.marked[k];
        int m;
        double v;
        if (flagged_get(&hm, y, &v, &m)) { b.hegemon_milex = v; b.estimates += m; }
        double gdp_sum = 0.0, share_sum = 0.0;
        for (size_t i = 0; i < nallies; i++) {
            if (strcmp(allies[i].code, r->hegemon.code) == 0) continue;
            if (allies[i].since && y < allies[i].since) continue;
            b.allies_members++;
            double sh, mx;
            int m1, m2;
            if (!flagged_get(&as[i], y, &sh, &m1) || !flagged_get(&am[i], y, &mx, &m2) || sh <= 0 || mx <= 0) continue;
            b.allies_n++;
            b.allies_milex += mx;
            gdp_sum += mx / sh;
            share_sum += sh;
            b.estimates += m1 + m2;
        }
        if (!b.allies_n) continue;
        b.allies_share = b.allies_milex / gdp_sum;
        b.allies_mean_share = share_sum / b.allies_n;
        b.ratio = b.allies_share > 0 ? b.hegemon_share / b.allies_share : 0.0;
        b.hegemon_part = b.hegemon_milex > 0 ? b.hegemon_milex / (b.hegemon_milex + b.allies_milex) : 0.0;
        if (r->n == cap) {
            size_t nc = cap ? 2 * cap : 64;
            ol_burden_year *ny = realloc(r->years, nc * sizeof *ny);
            if (!ny) { rc = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
            r->years = ny;
            cap = nc;
        }
        r->years[r->n++] = b;
    }
    flagged_free(&hs);
    flagged_free(&hm);
    for (size_t i = 0; as && am && i < nallies; i++) { flagged_free(&as[i]); flagged_free(&am[i]); }
    free(as);
    free(am);
    free(allies);
    if (!rc && r->n == 0)
        rc = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "year",
                          "no year in which %s and its allies both have military expenditure and its share of GDP",
                          r->hegemon.code);
    if (rc) { ol_burden_result_free(r); return rc; }
    *out = r;
    return OL_OK;
}
