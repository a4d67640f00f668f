/* The 2/3 threshold across history: crossings against the leader of each
 * year, the leader's IGO exits around them, and a Poisson model
 * (definitions in include/orderlab/history.h, docs/threshold-history.md). */
#include "orderlab/history.h"

#include "orderlab/catalog.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const DEFAULT_SERIES[] = {"NY.GDP.MKTP.CD", "pwt.cgdpo", "maddison.gdp", "nmc.cinc"};
static const char *const DEFAULT_CATALOG_ACTORS[] = {"USA"};

/* An estimate running off to infinity (a covariate whose rows have no
 * counts) looks converged to IRLS once the deviance stops moving: it is
 * recognised by |β| beyond this (a rate ratio of e^10 ≈ 22,000 or its
 * inverse) with a standard error larger than |β| itself. */
#define DIVERGED_COEF 10.0

#define NOMEM(err) ol_error_set((err), OL_ENOMEM, NULL, 0, 0, NULL, "out of memory")

void ol_history_options_init(ol_history_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->threshold = OL_RATIO_DEFAULT_THRESHOLD;
    opt->window = OL_HISTORY_DEFAULT_WINDOW;
    opt->trend = 1;
    opt->use_catalog = 1;
    opt->level = OL_HISTORY_DEFAULT_LEVEL;
    opt->claim_from = OL_HISTORY_CLAIM_FROM;
    opt->claim_until = OL_HISTORY_CLAIM_UNTIL;
    opt->japan_from = OL_HISTORY_JAPAN_FROM;
    opt->tol = OL_HISTORY_DEFAULT_TOL;
    opt->max_iter = OL_HISTORY_DEFAULT_MAX_ITER;
}

void ol_history_result_free(ol_history_result *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->nmeasures; i++) free(r->measures[i].reigns);
    for (size_t i = 0; i < r->njapan; i++) free(r->japan[i].points);
    free(r->measures);
    free(r->crossings);
    free(r->rows);
    free(r->models);
    free(r->japan);
    free(r);
}

/* ------------------------------------------------------------ intervals */

void ol_history_poisson_ci(long x, double level, double *lo, double *hi)
{
    double a = (1.0 - level) / 2.0;
    *lo = x > 0 ? gsl_cdf_chisq_Pinv(a, 2.0 * (double)x) / 2.0 : 0.0;
    *hi = gsl_cdf_chisq_Pinv(1.0 - a, 2.0 * (double)x + 2.0) / 2.0;
}

static void rate_finish(ol_history_rate *r, double level)
{
    r->rate = r->lo = r->hi = 0;
    if (r->exposure <= 0) return;
    double lo, hi;
    ol_history_poisson_ci(r->count, level, &lo, &hi);
    r->rate = (double)r->count / r->exposure;
    r->lo = lo / r->exposure;
    r->hi = hi / r->exposure;
}

static double z_of(double level) { return gsl_cdf_ugaussian_Pinv(1.0 - (1.0 - level) / 2.0); }

/* ------------------------------------------------------------ Poisson IRLS */

static double poisson_deviance(const double *y, const double *mu, size_t n)
{
    double d = 0;
    for (size_t i = 0; i < n; i++) d += 2.0 * ((y[i] > 0 ? y[i] * log(y[i] / mu[i]) : 0.0) - (y[i] - mu[i]));
    return d;
}

ol_status ol_poisson_fit_compute(const double *x, const double *y, const double *offset, size_t n, size_t p,
                                 double tol, int max_iter, ol_poisson_fit *out, ol_error *err)
{
    if (!x || !y || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_poisson_fit_compute: NULL argument");
    memset(out, 0, sizeof *out);
    if (p == 0 || p > OL_HISTORY_MAX_COEF)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "p", "a Poisson model takes 1 to %d coefficients, not %zu",
                            OL_HISTORY_MAX_COEF, p);
    if (n <= p) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "n", "%zu observations for %zu coefficients", n, p);
    if (!(tol > 0) || max_iter < 1)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "tol", "the tolerance must be > 0 and the iteration limit >= 1");
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(y[i]) || y[i] < 0)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "y", "observation %zu: the count %g is not >= 0", i, y[i]);
        if (offset && !isfinite(offset[i]))
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "offset", "observation %zu: the offset is not finite", i);
        for (size_t j = 0; j < p; j++)
            if (!isfinite(x[i * p + j]))
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "x", "observation %zu, column %zu is not finite", i, j);
    }
    out->n = n;
    out->p = p;
    gsl_matrix *X = gsl_matrix_alloc(n, p), *cov = gsl_matrix_alloc(p, p);
    gsl_vector *w = gsl_vector_alloc(n), *z = gsl_vector_alloc(n), *b = gsl_vector_alloc(p);
    gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc(n, p);
    double *mu = malloc(n * sizeof *mu);
    ol_status rc = OL_OK;
    if (!X || !cov || !w || !z || !b || !ws || !mu) { rc = NOMEM(err); goto done; }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++) gsl_matrix_set(X, i, j, x[i * p + j]);
    /* start from the data (y + 1/2 keeps log finite at y = 0) */
    for (size_t i = 0; i < n; i++) mu[i] = y[i] + 0.5;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    double dev = poisson_deviance(y, mu, n), chisq;
    for (int it = 1; it <= max_iter; it++) {
        for (size_t i = 0; i < n; i++) {
            double off = offset ? offset[i] : 0.0;
            double eta = log(mu[i]);
            gsl_vector_set(z, i, eta - off + (y[i] - mu[i]) / mu[i]);
            gsl_vector_set(w, i, mu[i]);
        }
        if (gsl_multifit_wlinear(X, w, z, b, cov, &chisq, ws) != GSL_SUCCESS) break;
        int bad = 0;
        for (size_t i = 0; i < n && !bad; i++) {
            double eta = offset ? offset[i] : 0.0;
            for (size_t j = 0; j < p; j++) eta += x[i * p + j] * gsl_vector_get(b, j);
            mu[i] = exp(eta);
            bad = !isfinite(mu[i]) || mu[i] <= 0;
        }
        if (bad) break;
        double nd = poisson_deviance(y, mu, n);
        out->iterations = it;
        if (fabs(nd - dev) <= tol * (fabs(nd) + tol)) { dev = nd; out->converged = 1; break; }
        dev = nd;
    }
    gsl_set_error_handler(old);
    int finite = out->converged;
    for (size_t j = 0; j < p && finite; j++) {
        out->coef[j] = gsl_vector_get(b, j);
        double v = gsl_matrix_get(cov, j, j);
        out->se[j] = v > 0 ? sqrt(v) : NAN;
        /* a coefficient running off to -inf (a column of rows with no counts)
         * converges in deviance with a huge, meaningless estimate */
        finite = isfinite(out->coef[j]) && isfinite(out->se[j]) &&
                 !(fabs(out->coef[j]) > DIVERGED_COEF && out->se[j] > fabs(out->coef[j]));
    }
    if (!finite) {
        rc = ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, "fit",
                          "the Poisson fit did not converge to finite estimates after %d iterations "
                          "(a covariate whose rows have no counts has no finite estimate)", out->iterations);
        goto done;
    }
    out->deviance = dev;
    double ysum = 0, esum = 0;
    for (size_t i = 0; i < n; i++) {
        ysum += y[i];
        esum += offset ? exp(offset[i]) : 1.0;
        out->pearson += (y[i] - mu[i]) * (y[i] - mu[i]) / mu[i];
    }
    /* null model: intercept only, mu_i = exposure_i × Σy / Σexposure */
    for (size_t i = 0; i < n; i++) mu[i] = (offset ? exp(offset[i]) : 1.0) * ysum / esum;
    out->null_deviance = ysum > 0 ? poisson_deviance(y, mu, n) : 0.0;
    out->dispersion = out->pearson / (double)(n - p);
done:
    gsl_matrix_free(X);
    gsl_matrix_free(cov);
    gsl_vector_free(w);
    gsl_vector_free(z);
    gsl_vector_free(b);
    if (ws) gsl_multifit_linear_free(ws);
    free(mu);
    return rc;
}

/* ------------------------------------------------------------ IGO exits */

typedef struct cy_row {
    char country[OL_CODE_MAX];
    int year;
    long exits, at_risk, dissolved;
} cy_row;

typedef struct outcomes {
    cy_row *rows;          /* by country, year */
    size_t n;
    int first, last;       /* years of the memberships */
    long *tot_exits, *tot_risk;   /* every state, by year - first */
} outcomes;

static void outcomes_free(outcomes *o)
{
    free(o->rows);
    free(o->tot_exits);
    free(o->tot_risk);
}

static int cy_cmp(const void *a, const void *b)
{
    const cy_row *x = a, *y = b;
    int c = strcmp(x->country, y->country);
    return c ? c : (x->year > y->year) - (x->year < y->year);
}

static const cy_row *cy_find(const outcomes *o, const char *country, int year)
{
    cy_row key;
    memset(&key, 0, sizeof key);
    snprintf(key.country, sizeof key.country, "%s", country);
    key.year = year;
    return o->n ? bsearch(&key, o->rows, o->n, sizeof *o->rows, cy_cmp) : NULL;
}

static ol_status igo_source(ol_store *store, ol_series_source *src, ol_error *err)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(ol_store_db(store),
            "SELECT s.id, s.kind, s.name, s.vintage, s.imported_at FROM sources s "
            "WHERE s.kind IN ('cow-igo', 'cow-igo-state') AND EXISTS (SELECT 1 FROM memberships m WHERE m.source_id = s.id) "
            "ORDER BY s.kind = 'cow-igo' DESC, s.imported_at DESC, s.id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "choosing the IGO source");
    int r = sqlite3_step(st);
    memset(src, 0, sizeof *src);
    if (r == SQLITE_ROW) {
        src->id = sqlite3_column_int64(st, 0);
        snprintf(src->kind, sizeof src->kind, "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(src->name, sizeof src->name, "%s", (const char *)sqlite3_column_text(st, 2));
        snprintf(src->vintage, sizeof src->vintage, "%s", (const char *)sqlite3_column_text(st, 3));
        snprintf(src->imported_at, sizeof src->imported_at, "%s", (const char *)sqlite3_column_text(st, 4));
    }
    sqlite3_finalize(st);
    if (r != SQLITE_ROW && r != SQLITE_DONE) return ol_store_fail(store, err, "choosing the IGO source");
    if (r == SQLITE_DONE)
        return ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "memberships",
                            "no COW IGO memberships in the store: import igo_year_format3.csv (cow-igo) first");
    return OL_OK;
}

/* Exits, memberships at risk and dissolutions of every state and year (the
 * year t of the change from t-1), as history.h defines them. */
static ol_status read_outcomes(ol_store *store, int64_t source, outcomes *o, ol_error *err)
{
    memset(o, 0, sizeof *o);
    sqlite3 *db = ol_store_db(store);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT MIN(year), MAX(year) FROM memberships WHERE source_id = ?1", -1, &st, NULL))
        return ol_store_fail(store, err, "reading memberships");
    sqlite3_bind_int64(st, 1, source);
    if (sqlite3_step(st) == SQLITE_ROW) {
        o->first = sqlite3_column_int(st, 0);
        o->last = sqlite3_column_int(st, 1);
    }
    sqlite3_finalize(st);
    if (!o->first) return ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "memberships", "the IGO source has no memberships");
    static const char *const SQL =
        "SELECT a.country, a.year + 1, "
        " SUM(b.status = 'none' AND (i.dissolved IS NULL OR i.dissolved > a.year + 1)), "
        " SUM(b.status IN ('full', 'associate', 'observer') OR "
        "     (b.status = 'none' AND (i.dissolved IS NULL OR i.dissolved > a.year + 1))), "
        " SUM((b.status IS NULL OR b.status = 'none') AND i.dissolved IS NOT NULL AND i.dissolved <= a.year + 1) "
        "FROM memberships a "
        "LEFT JOIN memberships b ON b.institution = a.institution AND b.country = a.country "
        "  AND b.year = a.year + 1 AND b.source_id = a.source_id "
        "LEFT JOIN institutions i ON i.code = a.institution "
        "WHERE a.source_id = ?1 AND a.status IN ('full', 'associate') AND a.year < ?2 "
        "GROUP BY a.country, a.year ORDER BY a.country, a.year";
    if (sqlite3_prepare_v2(db, SQL, -1, &st, NULL)) return ol_store_fail(store, err, "reading memberships");
    sqlite3_bind_int64(st, 1, source);
    sqlite3_bind_int(st, 2, o->last);
    size_t ny = (size_t)(o->last - o->first + 1), cap = 0;
    o->tot_exits = calloc(ny, sizeof *o->tot_exits);
    o->tot_risk = calloc(ny, sizeof *o->tot_risk);
    ol_status rc = OL_OK;
    if (!o->tot_exits || !o->tot_risk) rc = NOMEM(err);
    int r;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW) {
        if (o->n == cap) {
            size_t nc = cap ? 2 * cap : 4096;
            cy_row *nr = realloc(o->rows, nc * sizeof *nr);
            if (!nr) { rc = NOMEM(err); break; }
            o->rows = nr;
            cap = nc;
        }
        cy_row *c = &o->rows[o->n++];
        memset(c, 0, sizeof *c);
        snprintf(c->country, sizeof c->country, "%s", (const char *)sqlite3_column_text(st, 0));
        c->year = sqlite3_column_int(st, 1);
        c->exits = sqlite3_column_int64(st, 2);
        c->at_risk = sqlite3_column_int64(st, 3);
        c->dissolved = sqlite3_column_int64(st, 4);
        o->tot_exits[c->year - o->first] += c->exits;
        o->tot_risk[c->year - o->first] += c->at_risk;
    }
    if (!rc && r != SQLITE_DONE) rc = ol_store_fail(store, err, "reading memberships");
    sqlite3_finalize(st);
    if (rc) outcomes_free(o);
    return rc;
}

/* ------------------------------------------------------------ the catalog */

enum { CATALOG_YEARS_MAX = 64 };

typedef struct catalog_exits {
    char actor[OL_CODE_MAX];
    int from;                        /* first year after the COW data */
    long count[CATALOG_YEARS_MAX];   /* by year - from */
    int last;                        /* last year with an exit, 0 = none */
} catalog_exits;

static int on_event(void *ctx, const ol_event *ev)
{
    catalog_exits *c = ctx;
    int y = ol_event_year(ev);
    if (y >= c->from && y < c->from + CATALOG_YEARS_MAX) {
        c->count[y - c->from]++;
        if (y > c->last) c->last = y;
    }
    return 0;
}

/* ------------------------------------------------------------ the study */

typedef struct study {
    const ol_history_options *opt;
    const outcomes *o;
    catalog_exits *cat;
    size_t ncat;
    ol_history_result *res;
} study;

/* The leader's outcome in year: exits and memberships at risk; 0 when the
 * year is not an outcome year of that state. */
static int outcome(const study *s, const char *country, int year, long *exits, double *risk, long *oexits,
                   double *orisk)
{
    const outcomes *o = s->o;
    if (year >= o->first && year <= o->last) {
        const cy_row *c = cy_find(o, country, year);
        if (!c || c->at_risk <= 0) return 0;
        *exits = c->exits;
        *risk = (double)c->at_risk;
        *oexits = o->tot_exits[year - o->first] - c->exits;
        *orisk = (double)(o->tot_risk[year - o->first] - c->at_risk);
        return 1;
    }
    for (size_t i = 0; i < s->ncat; i++) {
        const catalog_exits *c = &s->cat[i];
        if (strcmp(c->actor, country) != 0 || year < c->from || year >= c->from + CATALOG_YEARS_MAX) continue;
        const cy_row *last = cy_find(o, country, o->last);
        if (!last || last->at_risk <= 0) return 0;
        *exits = c->count[year - c->from];
        *risk = (double)last->at_risk;
        *oexits = 0; /* the catalog does not cover the other states */
        *orisk = 0;
        return 1;
    }
    return 0;
}

static const char *leader_of(const ol_history_measure *m, int year)
{
    for (size_t g = 0; g < m->nreigns; g++)
        if (year >= m->reigns[g].from && year <= m->reigns[g].to) return m->reigns[g].leader.code;
    return NULL;
}

static int crossing_cmp(const void *a, const void *b)
{
    const ol_history_crossing *x = a, *y = b;
    int c = strcmp(x->series, y->series);
    if (c) return c;
    if (x->year != y->year) return x->year < y->year ? -1 : 1;
    return strcmp(x->challenger, y->challenger);
}

/* The crossings of one measure, appended to res->crossings. */
static ol_status add_crossings(study *s, const ol_leader_result *lr, ol_history_measure *m, size_t *cap, ol_error *err)
{
    ol_history_result *res = s->res;
    for (size_t i = 0; i < lr->npairs; i++) {
        const ol_leader_pair *p = &lr->pairs[i];
        int nth = 0;
        for (size_t k = 0; k < p->ratio->ncrossings; k++) {
            const ol_crossing *c = &p->ratio->crossings[k];
            if (c->direction != OL_CROSS_UP) continue;
            nth++;
            if (res->ncrossings == *cap) {
                size_t nc = *cap ? 2 * *cap : 64;
                ol_history_crossing *nx = realloc(res->crossings, nc * sizeof *nx);
                if (!nx) return NOMEM(err);
                res->crossings = nx;
                *cap = nc;
            }
            ol_history_crossing *x = &res->crossings[res->ncrossings++];
            memset(x, 0, sizeof *x);
            snprintf(x->series, sizeof x->series, "%s", m->series);
            snprintf(x->leader, sizeof x->leader, "%s", lr->reigns[p->reign].leader.code);
            snprintf(x->challenger, sizeof x->challenger, "%s", p->challenger.code);
            snprintf(x->challenger_name, sizeof x->challenger_name, "%s", p->challenger.name_en);
            x->year = c->year;
            x->prev_year = c->prev_year;
            x->ratio_before = c->ratio_before;
            x->ratio_after = c->ratio_after;
            x->across_gap = c->across_gap;
            x->nth = nth;
            x->used = nth == 1 || s->opt->all_crossings;
            long e, oe;
            double r, orr;
            for (int k2 = -s->opt->window; k2 <= s->opt->window && !x->in_outcome; k2++)
                x->in_outcome = outcome(s, x->leader, x->year + k2, &e, &r, &oe, &orr);
            m->ncrossings++;
            if (x->used) m->nevents++;
        }
    }
    return OL_OK;
}

static void rr_fill(ol_history_event_row *row, const ol_history_rate *base, double level)
{
    row->has_rr = row->has_rr_ci = 0;
    if (row->leader.exposure <= 0 || base->exposure <= 0 || base->count <= 0) return;
    row->has_rr = 1;
    row->rr = row->leader.rate / base->rate;
    if (row->leader.count > 0) {
        double se = sqrt(1.0 / (double)row->leader.count + 1.0 / (double)base->count), z = z_of(level);
        row->has_rr_ci = 1;
        row->rr_lo = row->rr * exp(-z * se);
        row->rr_hi = row->rr * exp(z * se);
    }
}

/* 1 when an event against leader lies within [year - before, year + after]. */
static int event_near(const ol_history_result *res, size_t from, size_t to, const char *leader, int year, int before,
                      int after)
{
    for (size_t i = from; i < to; i++) {
        const ol_history_crossing *x = &res->crossings[i];
        if (!x->used || strcmp(x->leader, leader) != 0) continue;
        if (x->year >= year - after && x->year <= year + before) return 1;
    }
    return 0;
}

/* Event table and model of one measure; its crossings are res->crossings[from, to). */
static ol_status study_measure(study *s, const ol_history_measure *m, size_t from, size_t to, size_t *rowcap,
                               ol_error *err)
{
    const ol_history_options *opt = s->opt;
    ol_history_result *res = s->res;
    int W = opt->window;
    size_t need = res->nrows + (size_t)(2 * W + 1) + 3;
    if (need > *rowcap) {
        size_t nc = need * 2;
        ol_history_event_row *nr = realloc(res->rows, nc * sizeof *nr);
        if (!nr) return NOMEM(err);
        res->rows = nr;
        *rowcap = nc;
    }
    ol_history_event_row *rows = &res->rows[res->nrows];
    memset(rows, 0, (size_t)(2 * W + 4) * sizeof *rows);
    for (int k = -W; k <= W; k++) {
        ol_history_event_row *row = &rows[k + W];
        row->kind = OL_HISTORY_ROW_K;
        row->k = k;
    }
    ol_history_event_row *pre = &rows[2 * W + 1], *post = pre + 1, *base = pre + 2;
    pre->kind = OL_HISTORY_ROW_PRE;
    post->kind = OL_HISTORY_ROW_POST;
    base->kind = OL_HISTORY_ROW_BASELINE;
    for (size_t i = from; i < to; i++) {
        const ol_history_crossing *x = &res->crossings[i];
        if (!x->used) continue;
        for (int k = -W; k <= W; k++) {
            long e, oe;
            double r, orr;
            if (!outcome(s, x->leader, x->year + k, &e, &r, &oe, &orr)) continue;
            ol_history_event_row *row = &rows[k + W], *pool = k < 0 ? pre : post;
            row->nevents++;
            pool->nevents++;
            row->leader.count += e;
            row->leader.exposure += r;
            row->others.count += oe;
            row->others.exposure += orr;
            pool->leader.count += e;
            pool->leader.exposure += r;
            pool->others.count += oe;
            pool->others.exposure += orr;
        }
    }
    /* leader-years: the baseline and the model's rows */
    int y0 = m->nreigns ? m->reigns[0].from : 0, y1 = m->nreigns ? m->reigns[m->nreigns - 1].to : -1;
    size_t cap = (size_t)(y1 >= y0 ? y1 - y0 + 1 : 1);
    double *X = malloc(cap * OL_HISTORY_MAX_COEF * sizeof *X), *Y = malloc(cap * sizeof *Y),
           *off = malloc(cap * sizeof *off);
    int *yrs = malloc(cap * sizeof *yrs);
    if (!X || !Y || !off || !yrs) { free(X); free(Y); free(off); free(yrs); return NOMEM(err); }
    ol_history_model *md = &res->models[res->nmodels++];
    memset(md, 0, sizeof *md);
    snprintf(md->series, sizeof md->series, "%s", m->series);
    md->trend = opt->trend;
    size_t n = 0;
    for (int y = y0; y <= y1; y++) {
        const char *L = leader_of(m, y);
        long e, oe;
        double r, orr;
        if (!L || !outcome(s, L, y, &e, &r, &oe, &orr)) continue;
        if (!event_near(res, from, to, L, y, W, W)) {
            base->nevents++;
            base->leader.count += e;
            base->leader.exposure += r;
            base->others.count += oe;
            base->others.exposure += orr;
        }
        int after = event_near(res, from, to, L, y, 0, W);
        yrs[n] = y;
        Y[n] = (double)e;
        off[n] = log(r);
        X[n * OL_HISTORY_MAX_COEF + 0] = 1.0;
        X[n * OL_HISTORY_MAX_COEF + 1] = after;
        md->exits += e;
        if (after) { md->post_years++; md->post_exits += e; }
        if (!md->from) md->from = y;
        md->until = y;
        n++;
    }
    for (int k = 0; k < 2 * W + 4; k++) {
        snprintf(rows[k].series, sizeof rows[k].series, "%s", m->series);
        rate_finish(&rows[k].leader, opt->level);
        rate_finish(&rows[k].others, opt->level);
    }
    for (int k = 0; k < 2 * W + 3; k++) rr_fill(&rows[k], &base->leader, opt->level);
    res->nrows += (size_t)(2 * W + 4);

    /* the model */
    md->n = n;
    size_t p = opt->trend ? 3 : 2;
    double mean = 0;
    for (size_t i = 0; i < n; i++) mean += yrs[i];
    mean = n ? mean / (double)n : 0;
    /* the trend in decades, so that its coefficient reads per decade */
    double *Xp = malloc((n ? n : 1) * p * sizeof *Xp);
    if (!Xp) { free(X); free(Y); free(off); free(yrs); return NOMEM(err); }
    for (size_t i = 0; i < n; i++) {
        Xp[i * p + 0] = 1.0;
        Xp[i * p + 1] = X[i * OL_HISTORY_MAX_COEF + 1];
        if (p == 3) Xp[i * p + 2] = (yrs[i] - mean) / 10.0;
    }
    ol_status st = OL_OK;
    if (n <= p) {
        st = OL_ENOTFOUND;
        snprintf(md->note, sizeof md->note, "%zu leader-years with IGO data: too few for the model", n);
    } else if (md->post_years == 0) {
        st = OL_ENOTFOUND;
        snprintf(md->note, sizeof md->note, "no leader-year with IGO data lies within %d years after a crossing", W);
    } else if (md->post_exits == 0 || md->post_exits == md->exits) {
        st = OL_EVALIDATE;
        snprintf(md->note, sizeof md->note, "%s: the rate ratio has no finite estimate",
                 md->post_exits == 0 ? "no exit in the years after a crossing" : "every exit is after a crossing");
    } else {
        ol_error e2;
        st = ol_poisson_fit_compute(Xp, Y, off, n, p, opt->tol, opt->max_iter, &md->fit, &e2);
        if (st) snprintf(md->note, sizeof md->note, "%s", e2.message);
    }
    md->status = st;
    if (!st) {
        double z = z_of(opt->level), b = md->fit.coef[1], se = md->fit.se[1];
        double q = md->fit.dispersion > 1 ? sqrt(md->fit.dispersion) : 1.0;
        md->rr = exp(b);
        md->rr_lo = exp(b - z * se);
        md->rr_hi = exp(b + z * se);
        md->rr_qlo = exp(b - z * se * q);
        md->rr_qhi = exp(b + z * se * q);
    }
    free(Xp);
    free(X);
    free(Y);
    free(off);
    free(yrs);
    return OL_OK;
}

static ol_status japan_measure(ol_store *store, const ol_history_options *opt, const char *series, ol_history_japan *j,
                               ol_error *err)
{
    memset(j, 0, sizeof *j);
    snprintf(j->series, sizeof j->series, "%s", series);
    ol_ratio_options ro;
    ol_ratio_options_init(&ro);
    ro.numerator = "JPN";
    ro.denominator = "USA";
    ro.series = series;
    ro.threshold = opt->threshold;
    ro.from_year = opt->japan_from;
    ol_ratio_result *r = NULL;
    ol_error e2;
    ol_status rc = ol_ratio_compute(store, &ro, &r, &e2);
    if (rc == OL_ENOTFOUND) { j->status = OL_ENOTFOUND; return OL_OK; }
    if (rc) { if (err) *err = e2; return rc; }
    snprintf(j->series_name, sizeof j->series_name, "%s", r->series_name);
    j->n = r->n;
    j->points = malloc((r->n ? r->n : 1) * sizeof *j->points);
    if (!j->points) { ol_ratio_result_free(r); return NOMEM(err); }
    memcpy(j->points, r->points, r->n * sizeof *j->points);
    j->first_data_year = r->first_data_year;
    j->last_year = r->last_year;
    j->peak = r->peak;
    j->peak_year = r->peak_year;
    j->first_year = r->first_year;
    j->ncrossings = r->ncrossings;
    for (size_t i = 0; i < r->n; i++) {
        const ol_ratio_point *pt = &r->points[i];
        if (pt->year < opt->claim_from || pt->year > opt->claim_until) continue;
        if (!j->claim_max_year || pt->ratio > j->claim_max) { j->claim_max = pt->ratio; j->claim_max_year = pt->year; }
    }
    ol_ratio_result_free(r);
    return OL_OK;
}

static ol_status check_options(const ol_history_options *opt, ol_error *err)
{
    if (!isfinite(opt->threshold) || opt->threshold <= 0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "threshold", "the threshold must be a finite number > 0");
    if (opt->window < 1 || opt->window > 50)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "window", "the window must be 1 to 50 years, not %d", opt->window);
    if (!(opt->level > 0 && opt->level < 1))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "level", "the confidence level must be in (0, 1)");
    if (opt->series && opt->nseries > OL_HISTORY_MAX_SERIES)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "series", "at most %d series", OL_HISTORY_MAX_SERIES);
    if (opt->series && opt->nseries == 0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "series", "an empty list of series");
    if (opt->claim_from > opt->claim_until)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "claim", "the claim's years run backwards");
    if (!(opt->tol > 0) || opt->max_iter < 1)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "tol", "the IRLS tolerance must be > 0 and the limit >= 1");
    return OL_OK;
}

ol_status ol_history_compute(ol_store *store, const ol_history_options *opt, ol_history_result **out, ol_error *err)
{
    if (!store || !opt || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_history_compute: NULL argument");
    *out = NULL;
    ol_status rc = check_options(opt, err);
    if (rc) return rc;
    const char *const *series = opt->series ? opt->series : DEFAULT_SERIES;
    size_t nseries = opt->series ? opt->nseries : sizeof DEFAULT_SERIES / sizeof *DEFAULT_SERIES;
    ol_history_result *res = calloc(1, sizeof *res);
    if (!res) return NOMEM(err);
    res->threshold = opt->threshold;
    res->window = opt->window;
    res->level = opt->level;
    res->claim_from = opt->claim_from;
    res->claim_until = opt->claim_until;
    res->measures = calloc(nseries, sizeof *res->measures);
    res->models = calloc(nseries, sizeof *res->models);
    res->japan = calloc(nseries, sizeof *res->japan);
    if (!res->measures || !res->models || !res->japan) { ol_history_result_free(res); return NOMEM(err); }

    outcomes o;
    memset(&o, 0, sizeof o);
    rc = igo_source(store, &res->igo_source, err);
    if (!rc) rc = read_outcomes(store, res->igo_source.id, &o, err);
    if (rc) { ol_history_result_free(res); return rc; }
    res->igo_first = o.first;
    res->igo_last = o.last;

    study s = {opt, &o, NULL, 0, res};
    const char *const *actors = opt->catalog_actors ? opt->catalog_actors : DEFAULT_CATALOG_ACTORS;
    size_t nactors = opt->catalog_actors ? opt->ncatalog_actors : 1;
    if (opt->use_catalog && nactors) {
        s.cat = calloc(nactors, sizeof *s.cat);
        if (!s.cat) rc = NOMEM(err);
        for (size_t i = 0; i < nactors && !rc; i++) {
            ol_country c;
            rc = ol_country_resolve(store, actors[i], &c, err);
            if (rc) break;
            catalog_exits *ce = &s.cat[s.ncat++];
            snprintf(ce->actor, sizeof ce->actor, "%s", c.code);
            ce->from = o.last + 1;
            ol_event_filter f;
            memset(&f, 0, sizeof f);
            f.actor = c.code;
            f.status = "exited";
            f.from_year = ce->from;
            rc = ol_catalog_foreach(store, &f, on_event, ce, err);
            if (ce->last > res->catalog_last) res->catalog_last = ce->last;
        }
    }

    size_t ccap = 0, rowcap = 0;
    int found = 0;
    for (size_t i = 0; i < nseries && !rc; i++) {
        ol_history_measure *m = &res->measures[res->nmeasures++];
        snprintf(m->series, sizeof m->series, "%s", series[i]);
        ol_leader_options lo;
        ol_leader_options_init(&lo);
        lo.series = series[i];
        lo.threshold = opt->threshold;
        ol_leader_result *lr = NULL;
        ol_error e2;
        ol_status st = ol_leader_compute(store, &lo, &lr, &e2);
        if (st == OL_ENOTFOUND) { m->status = OL_ENOTFOUND; continue; }
        if (st) { if (err) *err = e2; rc = st; break; }
        found++;
        snprintf(m->series_name, sizeof m->series_name, "%s", lr->series_name);
        m->nreigns = lr->nreigns;
        m->reigns = malloc((lr->nreigns ? lr->nreigns : 1) * sizeof *m->reigns);
        if (!m->reigns) rc = NOMEM(err);
        else memcpy(m->reigns, lr->reigns, lr->nreigns * sizeof *m->reigns);
        size_t from = res->ncrossings;
        if (!rc) rc = add_crossings(&s, lr, m, &ccap, err);
        ol_leader_result_free(lr);
        if (rc) break;
        if (res->ncrossings > from + 1)
            qsort(res->crossings + from, res->ncrossings - from, sizeof *res->crossings, crossing_cmp);
        rc = study_measure(&s, m, from, res->ncrossings, &rowcap, err);
        for (size_t g = 0; g < m->nreigns && !rc; g++)
            for (int y = m->reigns[g].from; y <= m->reigns[g].to; y++) {
                const cy_row *c = cy_find(&o, m->reigns[g].leader.code, y);
                if (c) { m->dissolutions += c->dissolved; m->cow_exits += c->exits; }
            }
        if (!rc) rc = japan_measure(store, opt, series[i], &res->japan[res->njapan++], err);
    }
    free(s.cat);
    outcomes_free(&o);
    if (!rc && !found)
        rc = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "series",
                          "none of the measures is in the store: import World Bank GDP, PWT, Maddison or NMC first");
    if (rc) { ol_history_result_free(res); return rc; }
    *out = res;
    return OL_OK;
}

/* ------------------------------------------------------------ the figure */

/* Rates per this many memberships, so that the axis reads in whole numbers. */
#define RATE_SCALE 100.0
/* Colours of the palette (plot.h): the leader's rate blue, the baseline grey. */
enum { COLOR_RATE = 2, COLOR_BASE = 7 };

ol_status ol_history_figure_write(const ol_history_result *r, const char *series, const char *path, ol_plot_format fmt,
                                  ol_error *err)
{
    if (!r || !series || !path) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_history_figure_write: NULL argument");
    size_t nk = (size_t)(2 * r->window + 1), per = nk + 3;
    const ol_history_event_row *rows = NULL;
    for (size_t m = 0; m + per <= r->nrows; m += per)
        if (strcmp(r->rows[m].series, series) == 0) rows = &r->rows[m];
    if (!rows) return ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "series", "no event table for '%s'", series);
    size_t nev = 0, n = 0;
    for (size_t i = 0; i < r->ncrossings; i++)
        nev += strcmp(r->crossings[i].series, series) == 0 && r->crossings[i].used && r->crossings[i].in_outcome;
    int *ky = malloc(nk * sizeof *ky), *ally = malloc(nk * sizeof *ally);
    double *v = malloc(4 * nk * sizeof *v);
    if (!ky || !ally || !v) { free(ky); free(ally); free(v); return NOMEM(err); }
    double *lo = v + nk, *hi = lo + nk, *bl = hi + nk;
    const ol_history_event_row *base = &rows[nk + 2];
    for (size_t k = 0; k < nk; k++) {
        ally[k] = (int)k - r->window;
        bl[k] = RATE_SCALE * base->leader.rate;
        if (!rows[k].nevents) continue; /* the line breaks over event times without data */
        ky[n] = ally[k];
        v[n] = RATE_SCALE * rows[k].leader.rate;
        lo[n] = RATE_SCALE * rows[k].leader.lo;
        hi[n] = RATE_SCALE * rows[k].leader.hi;
        n++;
    }
    ol_status rc;
    if (!n) {
        rc = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "events", "%s: no crossing has IGO data within its window",
                          series);
    } else {
        char title[200], note[600], lvl[32], th[32], l1[160], l2[160], l3[64];
        ol_ratio_format_threshold(r->threshold, th, sizeof th);
        snprintf(lvl, sizeof lvl, "%g%%", 100.0 * r->level);
        snprintf(title, sizeof title, "The leader's IGO exits around the years a state reached %s of it (%s)", th, series);
        snprintf(l1, sizeof l1, "leader's exits, k years from a crossing (%zu crossing%s)", nev, nev == 1 ? "" : "s");
        snprintf(l2, sizeof l2, "baseline: leader-years with no crossing within %d years", r->window);
        snprintf(l3, sizeof l3, "exact %s interval", lvl);
        snprintf(note, sizeof note,
                 "Exits per 100 memberships at risk, summed over the crossings. IGO memberships: %s:%s (%d-%d)%s.\n"
                 "Data: history_events.csv (orderlab history --measure %s --window %d --out DIR).",
                 r->igo_source.kind, r->igo_source.name, r->igo_first, r->igo_last,
                 r->catalog_last ? "; after them the catalog's US exits" : "", series, r->window);
        ol_plot_series ser[2] = {{l1, ky, v, n, OL_PLOT_SOLID, COLOR_RATE},
                                 {l2, ally, bl, nk, OL_PLOT_DASHED, COLOR_BASE}};
        ol_plot_ribbon rib[2] = {{ky, lo, hi, n}, {NULL, NULL, NULL, 0}};
        ol_plot_lines_data d;
        memset(&d, 0, sizeof d);
        d.title = title;
        d.x_label = "years from the crossing (k)";
        d.y_label = "exits per 100 memberships";
        d.series = ser;
        d.nseries = 2;
        d.ribbons = rib;
        d.ribbons_label = l3;
        d.hline_on = 1;
        d.hline = 0;
        d.note = note;
        d.year_min = -r->window;
        d.year_max = r->window;
        rc = ol_plot_lines_figure(&d, path, fmt, err);
    }
    free(ky);
    free(ally);
    free(v);
    return rc;
}
