/* The leader chosen by the data (--leader auto) and the historical cases of
 * the threshold on several measures, with the data of their figure
 * (definitions in include/orderlab/indicators.h and docs/indicators.md). */
#include "orderlab/indicators.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

static ol_status prepare(ol_store *store, const char *sql, sqlite3_stmt **st, ol_error *err)
{
    if (sqlite3_prepare_v2(ol_store_db(store), sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return ol_store_fail(store, err, "reading indicator values");
    }
    return OL_OK;
}

static void copy_text(char *dst, size_t size, const unsigned char *s)
{
    snprintf(dst, size, "%s", s ? (const char *)s : "");
}

/* The newest source of series (restricted to vintage when non-NULL); 0 when none. */
static ol_status newest_source(ol_store *store, const char *series, const char *vintage, int64_t *id,
                               ol_series_source *src, ol_error *err)
{
    sqlite3_stmt *st;
    ol_status rc = prepare(store,
        "SELECT s.id, s.kind, s.name, s.vintage, s.imported_at FROM sources s WHERE EXISTS "
        "(SELECT 1 FROM indicator_values v WHERE v.series = ?1 AND v.source_id = s.id) "
        "AND (?2 IS NULL OR s.vintage = ?2) ORDER BY s.imported_at DESC, s.id DESC LIMIT 1", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
    if (vintage) sqlite3_bind_text(st, 2, vintage, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    *id = 0;
    if (r == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        memset(src, 0, sizeof *src);
        src->id = *id;
        copy_text(src->kind, sizeof src->kind, sqlite3_column_text(st, 1));
        copy_text(src->name, sizeof src->name, sqlite3_column_text(st, 2));
        copy_text(src->vintage, sizeof src->vintage, sqlite3_column_text(st, 3));
        copy_text(src->imported_at, sizeof src->imported_at, sqlite3_column_text(st, 4));
    }
    sqlite3_finalize(st);
    if (r != SQLITE_ROW && r != SQLITE_DONE) return ol_store_fail(store, err, "choosing a source");
    return OL_OK;
}

static void series_meta(ol_store *store, const char *series, char *name, size_t nn, char *unit, size_t nu)
{
    snprintf(name, nn, "%s", series);
    unit[0] = '\0';
    sqlite3_stmt *st;
    if (prepare(store, "SELECT name, unit FROM series WHERE code = ?1", &st, NULL)) return;
    sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        if (sqlite3_column_text(st, 0) && *sqlite3_column_text(st, 0)) copy_text(name, nn, sqlite3_column_text(st, 0));
        copy_text(unit, nu, sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
}

/* ------------------------------------------------------------ the leader */

void ol_leader_options_init(ol_leader_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->series = OL_SERIES_DEFAULT;
    opt->threshold = OL_RATIO_DEFAULT_THRESHOLD;
}

void ol_leader_result_free(ol_leader_result *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->npairs; i++) ol_ratio_result_free(r->pairs[i].ratio);
    free(r->pairs);
    free(r->reigns);
    free(r);
}

/* The states' series of one source, in memory. */
typedef struct state_data {
    char code[OL_CODE_MAX];
    ol_series *s;
} state_data;

static void states_free(state_data *d, size_t n)
{
    for (size_t i = 0; i < n; i++) ol_series_free(d[i].s);
    free(d);
}

static int in_pool(const char (*pool)[OL_CODE_MAX], size_t npool, const char *code)
{
    if (!pool) return 1;
    for (size_t i = 0; i < npool; i++) if (strcmp(pool[i], code) == 0) return 1;
    return 0;
}

/* Reads every state's values of series from source id within [from, until]. */
static ol_status read_states(ol_store *store, const char *series, int64_t id, int from, int until,
                             const char (*pool)[OL_CODE_MAX], size_t npool, state_data **out, size_t *nout,
                             ol_error *err)
{
    *out = NULL;
    *nout = 0;
    sqlite3_stmt *st;
    ol_status rc = prepare(store,
        "SELECT v.country, v.year, v.value FROM indicator_values v JOIN countries c ON c.code = v.country "
        "WHERE v.series = ?1 AND v.source_id = ?2 AND c.kind IN ('state', 'former') "
        "AND (?3 = 0 OR v.year >= ?3) AND (?4 = 0 OR v.year <= ?4) ORDER BY v.country, v.year", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    sqlite3_bind_int(st, 3, from);
    sqlite3_bind_int(st, 4, until);
    state_data *d = NULL;
    size_t n = 0, cap = 0;
    int *years = NULL;
    double *vals = NULL;
    size_t ny = 0, capy = 0;
    char cur[OL_CODE_MAX] = "";
    int r;
    for (;;) {
        r = sqlite3_step(st);
        const char *code = r == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
        if (r == SQLITE_ROW && (!code || !in_pool(pool, npool, code))) continue;
        if ((r != SQLITE_ROW || strcmp(code, cur) != 0) && cur[0]) {
            if (n == cap) {
                size_t nc = cap ? 2 * cap : 64;
                state_data *nd = realloc(d, nc * sizeof *nd);
                if (!nd) { rc = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
                d = nd;
                cap = nc;
            }
            memset(&d[n], 0, sizeof d[n]);
            snprintf(d[n].code, sizeof d[n].code, "%s", cur);
            rc = ol_series_new(series, cur, NULL, years, vals, ny, &d[n].s, err);
            if (rc) break;
            n++;
            ny = 0;
        }
        if (r != SQLITE_ROW) break;
        snprintf(cur, sizeof cur, "%s", code);
        double v = sqlite3_column_double(st, 2);
        if (!isfinite(v)) continue;
        if (ny == capy) {
            size_t nc = capy ? 2 * capy : 256;
            int *ny_ = realloc(years, nc * sizeof *ny_);
            double *nv = ny_ ? realloc(vals, nc * sizeof *nv) : NULL;
            if (ny_) years = ny_;
            if (!ny_ || !nv) { rc = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
            vals = nv;
            capy = nc;
        }
        years[ny] = sqlite3_column_int(st, 1);
        vals[ny] = v;
        ny++;
    }
    if (!rc && r != SQLITE_DONE) rc = ol_store_fail(store, err, "reading indicator values");
    sqlite3_finalize(st);
    free(years);
    free(vals);
    if (rc) { states_free(d, n); return rc; }
    *out = d;
    *nout = n;
    return OL_OK;
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int pair_cmp(const void *a, const void *b)
{
    const ol_leader_pair *x = a, *y = b;
    if (x->reign != y->reign) return x->reign < y->reign ? -1 : 1;
    if (x->ratio->first_year != y->ratio->first_year) return x->ratio->first_year < y->ratio->first_year ? -1 : 1;
    return strcmp(x->challenger.code, y->challenger.code);
}

static ol_status compute_reigns(ol_store *store, const state_data *d, size_t n, ol_leader_result *res, ol_error *err)
{
    size_t ntot = 0;
    for (size_t i = 0; i < n; i++) ntot += d[i].s->n;
    int *years = malloc((ntot ? ntot : 1) * sizeof *years);
    if (!years) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d[i].s->n; j++) years[k++] = d[i].s->years[j];
    qsort(years, ntot, sizeof *years, int_cmp);
    size_t ny = 0;
    for (size_t i = 0; i < ntot; i++) if (!ny || years[i] != years[ny - 1]) years[ny++] = years[i];

    long leader = -1;
    size_t cap = 0;
    ol_status rc = OL_OK;
    for (size_t t = 0; t < ny && !rc; t++) {
        int y = years[t], found;
        long best = -1;
        double bestv = 0;
        for (size_t i = 0; i < n; i++) {
            double v = ol_series_value(d[i].s, y, &found);
            if (found && (best < 0 || v > bestv)) { best = (long)i; bestv = v; }
        }
        if (best < 0) continue;
        int change = leader < 0;
        if (!change) {
            double lv = ol_series_value(d[leader].s, y, &found);
            if (found) change = bestv > lv;
            else change = d[leader].s->years[d[leader].s->n - 1] < y; /* its data have ended */
        }
        if (!change || best == leader) continue;
        if (res->nreigns == cap) {
            size_t nc = cap ? 2 * cap : 8;
            ol_leader_reign *nr = realloc(res->reigns, nc * sizeof *nr);
            if (!nr) { rc = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
            res->reigns = nr;
            cap = nc;
        }
        if (res->nreigns) res->reigns[res->nreigns - 1].to = y - 1;
        ol_leader_reign *g = &res->reigns[res->nreigns++];
        memset(g, 0, sizeof *g);
        rc = ol_country_get(store, d[best].code, &g->leader, err);
        g->from = y;
        g->to = years[ny - 1];
        leader = best;
    }
    free(years);
    return rc;
}

static long find_state(const state_data *d, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++) if (strcmp(d[i].code, code) == 0) return (long)i;
    return -1;
}

ol_status ol_leader_compute(ol_store *store, const ol_leader_options *opt, ol_leader_result **out, ol_error *err)
{
    if (!store || !opt || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_leader_compute: NULL argument");
    *out = NULL;
    if (!isfinite(opt->threshold) || opt->threshold <= 0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "threshold", "the threshold must be a finite number > 0");
    if (opt->from_year && opt->until_year && opt->from_year > opt->until_year)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "year", "the first year %d is after the last year %d",
                            opt->from_year, opt->until_year);
    const char *series = opt->series && *opt->series ? opt->series : OL_SERIES_DEFAULT;
    const char *vintage = opt->vintage && *opt->vintage ? opt->vintage : NULL;
    char (*pool)[OL_CODE_MAX] = NULL;
    if (opt->among && opt->namong) {
        pool = calloc(opt->namong, sizeof *pool);
        if (!pool) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        for (size_t i = 0; i < opt->namong; i++) {
            ol_country c;
            ol_status rc = ol_country_resolve(store, opt->among[i], &c, err);
            if (rc) { free(pool); return rc; }
            snprintf(pool[i], sizeof pool[i], "%s", c.code);
        }
    }
    ol_leader_result *res = calloc(1, sizeof *res);
    if (!res) { free(pool); return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); }
    snprintf(res->series, sizeof res->series, "%s", series);
    series_meta(store, series, res->series_name, sizeof res->series_name, res->unit, sizeof res->unit);
    res->threshold = opt->threshold;
    int64_t id = 0;
    ol_status rc = newest_source(store, series, vintage, &id, &res->source, err);
    if (!rc && !id)
        rc = vintage ? ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "vintage", "series '%s' has no source of vintage '%s'",
                                    series, vintage)
                     : ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "series",
                                    "series '%s' is not in the store: no values of it have been imported", series);
    state_data *d = NULL;
    size_t n = 0;
    if (!rc) rc = read_states(store, series, id, opt->from_year, opt->until_year, (const char (*)[OL_CODE_MAX])pool,
                              pool ? opt->namong : 0, &d, &n, err);
    free(pool);
    if (!rc && n == 0)
        rc = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "country",
                          "no state %shas a value of series '%s' in the years asked",
                          opt->among ? "of the pool " : "", series);
    res->nstates = n;
    if (!rc) rc = compute_reigns(store, d, n, res, err);

    size_t cap = 0;
    for (size_t g = 0; g < res->nreigns && !rc; g++) {
        const ol_leader_reign *reign = &res->reigns[g];
        long li = find_state(d, n, reign->leader.code);
        for (size_t i = 0; i < n && !rc && li >= 0; i++) {
            if ((long)i == li) continue;
            ol_ratio_result *r = NULL;
            rc = ol_ratio_from_series(d[i].s, d[li].s, opt->threshold, reign->from, reign->to, &r, err);
            if (rc) break;
            if (!r->first_year) { ol_ratio_result_free(r); continue; }
            if (res->npairs == cap) {
                size_t nc = cap ? 2 * cap : 16;
                ol_leader_pair *np = realloc(res->pairs, nc * sizeof *np);
                if (!np) { ol_ratio_result_free(r); rc = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
                res->pairs = np;
                cap = nc;
            }
            ol_leader_pair *p = &res->pairs[res->npairs++];
            memset(p, 0, sizeof *p);
            p->reign = g;
            p->ratio = r;
            rc = ol_country_get(store, d[i].code, &p->challenger, err);
            r->numerator = p->challenger;
            r->denominator = reign->leader;
            snprintf(r->series_name, sizeof r->series_name, "%s", res->series_name);
            snprintf(r->unit, sizeof r->unit, "%s", res->unit);
            r->numerator_source = r->denominator_source = res->source;
            r->mixed_sources = 0;
            if (g + 1 < res->nreigns && strcmp(res->reigns[g + 1].leader.code, d[i].code) == 0)
                p->overtook = res->reigns[g + 1].from;
        }
    }
    states_free(d, n);
    if (rc) { ol_leader_result_free(res); return rc; }
    if (res->npairs > 1) qsort(res->pairs, res->npairs, sizeof *res->pairs, pair_cmp);
    *out = res;
    return OL_OK;
}

/* ------------------------------------------------------------ crossings by measure */

/* The eras: the British-led order to the eve of the First World War, the
 * American-led one from the end of the Second. */
enum { UK_ERA_FROM = 1816, UK_ERA_UNTIL = 1913, US_ERA_FROM = 1946 };
static const ol_crossing_case DEFAULT_CASES[] = {
    {"GBR", "USA", "UK-US", UK_ERA_FROM, UK_ERA_UNTIL},
    {"GBR", "DEU", "UK-Germany", UK_ERA_FROM, UK_ERA_UNTIL},
    {"USA", "SUN", "US-USSR", US_ERA_FROM, 0},
    {"USA", "JPN", "US-Japan", US_ERA_FROM, 0},
    {"USA", "CHN", "US-China", US_ERA_FROM, 0},
};
static const char *const DEFAULT_SERIES[] = {"NY.GDP.MKTP.CD", "maddison.gdp", "pwt.cgdpo", "nmc.cinc"};

void ol_crossings_options_init(ol_crossings_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->threshold = OL_RATIO_DEFAULT_THRESHOLD;
}

void ol_crossings_table_free(ol_crossings_table *t)
{
    if (!t) return;
    for (size_t i = 0; t->cells && i < t->ncases * t->nseries; i++) ol_ratio_result_free(t->cells[i].ratio);
    free(t->cells);
    free(t->labels);
    free(t->references);
    free(t->challengers);
    free(t->series);
    free(t->series_names);
    free(t);
}

static ol_status series_present(ol_store *store, const char *series, int *present, ol_error *err)
{
    sqlite3_stmt *st;
    ol_status rc = prepare(store, "SELECT 1 FROM indicator_values WHERE series = ?1 LIMIT 1", &st, err);
    if (rc) return rc;
    sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    if (r != SQLITE_ROW && r != SQLITE_DONE) return ol_store_fail(store, err, "looking up a series");
    *present = r == SQLITE_ROW;
    return OL_OK;
}

static int max_int(int a, int b) { return !a ? b : !b ? a : a > b ? a : b; }
static int min_int(int a, int b) { return !a ? b : !b ? a : a < b ? a : b; }

/* 1 when succ has a value in every year of [from, to] in which ref has one
 * (and there is at least one such year). */
static int successor_covers(ol_store *store, const char *series, const char *ref, const char *succ, int from, int to)
{
    ol_series *r = NULL, *s = NULL;
    ol_error e;
    int ok = 0;
    if (ol_series_read(store, series, ref, NULL, &r, &e) == OL_OK &&
        ol_series_read(store, series, succ, NULL, &s, &e) == OL_OK) {
        int n = 0, missing = 0, found;
        for (size_t i = 0; i < r->n; i++) {
            if (r->years[i] < from || r->years[i] > to) continue;
            n++;
            ol_series_value(s, r->years[i], &found);
            if (!found) missing++;
        }
        ok = n > 0 && missing == 0;
    }
    ol_series_free(r);
    ol_series_free(s);
    return ok;
}

/* The years of a case: the options' range, the case's era and a former
 * state's own years, intersected (0 = open). */
static void case_years(const ol_crossings_options *opt, const ol_crossing_case *cs, const ol_country *ref,
                       const ol_country *chal, int *from, int *until)
{
    *from = max_int(opt->from_year, cs->from_year);
    *until = min_int(opt->until_year, cs->until_year);
    if (strcmp(chal->kind, "former") == 0) {
        *from = max_int(*from, chal->start_year);
        *until = min_int(*until, chal->end_year);
    }
    if (strcmp(ref->kind, "former") == 0) {
        *from = max_int(*from, ref->start_year);
        *until = min_int(*until, ref->end_year);
    }
}

static ol_status one_cell(ol_store *store, const ol_crossings_options *opt, const ol_crossing_case *cs,
                          const ol_country *ref, const ol_country *chal, const char *series,
                          ol_crossings_cell *cell, ol_error *err)
{
    int from, until;
    case_years(opt, cs, ref, chal, &from, &until);
    cell->from_year = from;
    cell->until_year = until;
    snprintf(cell->challenger, sizeof cell->challenger, "%s", chal->code);
    cell->status = OL_ENOTFOUND;
    if (from && until && from > until) return OL_OK;
    ol_ratio_options ro;
    ol_ratio_options_init(&ro);
    ro.numerator = chal->code;
    ro.denominator = ref->code;
    ro.series = series;
    ro.threshold = opt->threshold;
    ro.from_year = from;
    ro.until_year = until;
    ol_error e;
    ol_error_clear(&e);
    ol_status rc = ol_ratio_compute(store, &ro, &cell->ratio, &e);
    if (rc == OL_OK) { cell->status = OL_OK; return OL_OK; }
    if (rc != OL_ENOTFOUND) { if (err) *err = e; return rc; }
    /* a former state the series codes under its successor */
    if (strcmp(chal->kind, "former") != 0 || !chal->successor[0] || !chal->start_year || !chal->end_year) return OL_OK;
    ol_series *own = NULL;
    if (ol_series_read(store, series, chal->code, NULL, &own, &e) == OL_OK) { ol_series_free(own); return OL_OK; }
    if (!successor_covers(store, series, ref->code, chal->successor, max_int(from, chal->start_year),
                          min_int(until, chal->end_year)))
        return OL_OK;
    ro.numerator = chal->successor;
    ol_error_clear(&e);
    rc = ol_ratio_compute(store, &ro, &cell->ratio, &e);
    if (rc == OL_OK) {
        cell->status = OL_OK;
        cell->via_successor = 1;
        snprintf(cell->challenger, sizeof cell->challenger, "%s", chal->successor);
        return OL_OK;
    }
    if (rc != OL_ENOTFOUND) { if (err) *err = e; return rc; }
    return OL_OK;
}

ol_status ol_crossings_compute(ol_store *store, const ol_crossings_options *opt, ol_crossings_table **out,
                               ol_error *err)
{
    if (!store || !opt || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_crossings_compute: NULL argument");
    *out = NULL;
    if (!isfinite(opt->threshold) || opt->threshold <= 0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "threshold", "the threshold must be a finite number > 0");
    const ol_crossing_case *cases = opt->cases ? opt->cases : DEFAULT_CASES;
    size_t ncases = opt->cases ? opt->ncases : sizeof DEFAULT_CASES / sizeof DEFAULT_CASES[0];
    const char *const *series = opt->series ? opt->series : DEFAULT_SERIES;
    size_t nseries = opt->series ? opt->nseries : sizeof DEFAULT_SERIES / sizeof DEFAULT_SERIES[0];
    if (!ncases || !nseries) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no cases or no series");
    ol_crossings_table *t = calloc(1, sizeof *t);
    if (!t) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    t->ncases = ncases;
    t->nseries = nseries;
    t->threshold = opt->threshold;
    t->labels = calloc(ncases, sizeof *t->labels);
    t->references = calloc(ncases, sizeof *t->references);
    t->challengers = calloc(ncases, sizeof *t->challengers);
    t->series = calloc(nseries, sizeof *t->series);
    t->series_names = calloc(nseries, sizeof *t->series_names);
    t->cells = calloc(ncases * nseries, sizeof *t->cells);
    ol_status rc = OL_OK;
    if (!t->labels || !t->references || !t->challengers || !t->series || !t->series_names || !t->cells)
        rc = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    for (size_t j = 0; j < nseries && !rc; j++) {
        snprintf(t->series[j], sizeof t->series[j], "%s", series[j]);
        char unit[OL_SOURCE_TEXT_MAX];
        series_meta(store, series[j], t->series_names[j], sizeof t->series_names[j], unit, sizeof unit);
    }
    for (size_t i = 0; i < ncases && !rc; i++) {
        rc = ol_country_resolve(store, cases[i].reference, &t->references[i], err);
        if (!rc) rc = ol_country_resolve(store, cases[i].challenger, &t->challengers[i], err);
        if (rc) break;
        if (cases[i].label) snprintf(t->labels[i], sizeof t->labels[i], "%s", cases[i].label);
        else snprintf(t->labels[i], sizeof t->labels[i], "%s-%s", t->references[i].code, t->challengers[i].code);
    }
    for (size_t j = 0; j < nseries && !rc; j++) {
        int present = 0;
        rc = series_present(store, series[j], &present, err);
        for (size_t i = 0; i < ncases && !rc; i++) {
            ol_crossings_cell *cell = &t->cells[i * nseries + j];
            cell->status = OL_ENOTFOUND;
            snprintf(cell->challenger, sizeof cell->challenger, "%s", t->challengers[i].code);
            case_years(opt, &cases[i], &t->references[i], &t->challengers[i], &cell->from_year, &cell->until_year);
            if (present)
                rc = one_cell(store, opt, &cases[i], &t->references[i], &t->challengers[i], series[j], cell, err);
        }
    }
    if (rc) { ol_crossings_table_free(t); return rc; }
    *out = t;
    return OL_OK;
}

/* ------------------------------------------------------------ its figure */

struct ol_crossings_figure {
    ol_plot_spans_data data;
    ol_plot_span_lane *lanes;
    const char **row_labels, **lane_labels;
    char (*row_text)[128];
    char (*lane_text)[96];
    int **years, **marks;
    unsigned char **on;
    size_t nlanes;
    char title[256], on_label[64], off_label[64], note[1024];
};

/* Short names of the measures for the legend. */
static const char *measure_name(const char *series)
{
    static const struct { const char *code, *name; } m[] = {
        {"NY.GDP.MKTP.CD", "GDP, current US$ (World Bank)"},
        {"maddison.gdp", "GDP, 2011 PPP $ (Maddison Project 2023)"},
        {"pwt.cgdpo", "GDP, current PPPs (Penn World Table 11.0)"},
        {"pwt.rgdpe", "GDP, chained PPPs (Penn World Table 11.0)"},
        {"nmc.cinc", "CINC (COW National Material Capabilities)"},
        {"sipri.milex_current", "military expenditure, current US$ (SIPRI)"},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) if (strcmp(m[i].code, series) == 0) return m[i].name;
    return NULL;
}

void ol_crossings_figure_free(ol_crossings_figure *f)
{
    if (!f) return;
    for (size_t i = 0; i < f->nlanes; i++) {
        if (f->years) free(f->years[i]);
        if (f->marks) free(f->marks[i]);
        if (f->on) free(f->on[i]);
    }
    free(f->years);
    free(f->marks);
    free(f->on);
    free(f->lanes);
    free(f->row_labels);
    free(f->lane_labels);
    free(f->row_text);
    free(f->lane_text);
    free(f);
}

const ol_plot_spans_data *ol_crossings_figure_data(const ol_crossings_figure *f) { return f ? &f->data : NULL; }

ol_status ol_crossings_figure_new(const ol_crossings_table *t, ol_crossings_figure **out, ol_error *err)
{
    if (!t || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_crossings_figure_new: NULL argument");
    *out = NULL;
    if (t->nseries > OL_PLOT_SPANS_LANES)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "series", "at most %d measures fit the figure",
                            OL_PLOT_SPANS_LANES);
    ol_crossings_figure *f = calloc(1, sizeof *f);
    if (!f) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    size_t n = t->ncases * t->nseries;
    f->nlanes = n;
    f->lanes = calloc(n, sizeof *f->lanes);
    f->years = calloc(n, sizeof *f->years);
    f->marks = calloc(n, sizeof *f->marks);
    f->on = calloc(n, sizeof *f->on);
    f->row_labels = calloc(t->ncases, sizeof *f->row_labels);
    f->row_text = calloc(t->ncases, sizeof *f->row_text);
    f->lane_labels = calloc(t->nseries, sizeof *f->lane_labels);
    f->lane_text = calloc(t->nseries, sizeof *f->lane_text);
    if (!f->lanes || !f->years || !f->marks || !f->on || !f->row_labels || !f->row_text || !f->lane_labels ||
        !f->lane_text) {
        ol_crossings_figure_free(f);
        return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    char via[256] = "", eras[512] = "";
    for (size_t i = 0; i < t->ncases; i++) {
        snprintf(f->row_text[i], sizeof f->row_text[i], "%s (%s/%s)", t->labels[i], t->challengers[i].code,
                 t->references[i].code);
        f->row_labels[i] = f->row_text[i];
        /* the years the case was limited to: the same in every cell of the row */
        const ol_crossings_cell *c0 = &t->cells[i * t->nseries];
        size_t len = strlen(eras);
        if (c0->from_year || c0->until_year) {
            char a[16] = "", b[16] = "";
            if (c0->from_year) snprintf(a, sizeof a, "%d", c0->from_year);
            if (c0->until_year) snprintf(b, sizeof b, "%d", c0->until_year);
            snprintf(eras + len, sizeof eras - len, "%s%s %s-%s", len ? ", " : "", t->labels[i], a, b);
        }
    }
    for (size_t j = 0; j < t->nseries; j++) {
        const char *m = measure_name(t->series[j]);
        snprintf(f->lane_text[j], sizeof f->lane_text[j], "%s", m ? m : t->series_names[j]);
        f->lane_labels[j] = f->lane_text[j];
    }
    for (size_t i = 0; i < t->ncases; i++) {
        for (size_t j = 0; j < t->nseries; j++) {
            size_t k = i * t->nseries + j;
            const ol_crossings_cell *c = &t->cells[k];
            ol_plot_span_lane *l = &f->lanes[k];
            l->row = i;
            l->lane = j;
            if (c->status != OL_OK || !c->ratio || !c->ratio->n) continue;
            const ol_ratio_result *r = c->ratio;
            f->years[k] = malloc(r->n * sizeof *f->years[k]);
            f->on[k] = malloc(r->n);
            f->marks[k] = malloc((r->ncrossings ? r->ncrossings : 1) * sizeof *f->marks[k]);
            if (!f->years[k] || !f->on[k] || !f->marks[k]) {
                ol_crossings_figure_free(f);
                return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
            }
            for (size_t p = 0; p < r->n; p++) {
                f->years[k][p] = r->points[p].year;
                f->on[k][p] = r->points[p].ratio >= t->threshold;
            }
            size_t nm = 0;
            for (size_t q = 0; q < r->ncrossings; q++)
                if (r->crossings[q].direction == OL_CROSS_UP) f->marks[k][nm++] = r->crossings[q].year;
            l->years = f->years[k];
            l->on = f->on[k];
            l->n = r->n;
            l->marks = f->marks[k];
            l->nmarks = nm;
            if (c->via_successor) {
                size_t len = strlen(via);
                snprintf(via + len, sizeof via - len, "%s%s read as %s in %s", len ? "; " : "",
                         t->challengers[i].code, c->challenger, t->series[j]);
            }
        }
    }
    char tau[32];
    ol_ratio_format_threshold(t->threshold, tau, sizeof tau);
    snprintf(f->title, sizeof f->title, "When the challenger reached %s of the reference, by measure", tau);
    snprintf(f->on_label, sizeof f->on_label, "ratio at or above %s", tau);
    snprintf(f->off_label, sizeof f->off_label, "ratio below %s", tau);
    snprintf(f->note, sizeof f->note,
             "Ratio = challenger / reference in each year both have a value; marks: upward crossings of %s, "
             "labelled with their year.\nEach case within its era%s%s; former states only within their own "
             "years%s%s.\nSources: World Bank WDI, Maddison Project Database 2023, PWT 11.0, COW NMC 6.0 "
             "(as imported).", tau, eras[0] ? ": " : "", eras, via[0] ? "; " : "", via);
    f->data.title = f->title;
    f->data.x_label = "Year";
    f->data.nrows = t->ncases;
    f->data.row_labels = f->row_labels;
    f->data.nlanes = t->nseries;
    f->data.lane_labels = f->lane_labels;
    f->data.spans = f->lanes;
    f->data.nspans = n;
    f->data.on_label = f->on_label;
    f->data.off_label = f->off_label;
    f->data.marks_label = "upward crossing (year)";
    f->data.note = f->note;
    *out = f;
    return OL_OK;
}
