/* The world builder: scenario + store + built-in facts -> ol_model_world.
 * Every rule here is stated in docs/model.md §8; the comments say why. */
#include "orderlab/simulate.h"

#include "orderlab/accounts.h"
#include "orderlab/countries.h"
#include "orderlab/indicators.h"
#include "util/csvread.h"
#include "util/embedded.h"
#include "util/text.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The series the built-in GDP facts stand in for. */
#define DEFAULT_POWER_SERIES "NY.GDP.MKTP.CD"
/* The estimates of the UNGA ideal points used for alignment, in order of
 * preference: orderlab's own dynamic fit (docs/ideal.md), whose positions
 * are comparable across years, then the published Bailey–Strezhnev–Voeten
 * estimate (docs/importers-unga.md). */
static const char *const idealpoint_estimates[] = {"orderlab-dynamic", "bsv-all"};
/* The base year of the dependence rule: the year of the trade facts (and a
 * GDP fact year), before the exits the model is meant to explain. */
#define DEPENDENCE_YEAR 2013
/* Years over which a data-based growth rate is measured (the last decade). */
#define GROWTH_YEARS 10
/* The institution whose membership counts the world's states (N). */
#define WORLD_BODY "UN"
/* The stored series that replace built-in magnitudes when imported (the map
 * of docs/model-data.md, last section). */
#define STORE_CEB_DONOR "ceb.donor"       /* assessed contributions by donor, 2013- */
#define STORE_CEB_GOVDONOR "ceb.govdonor" /* the CEB's one-year government-donor export */
#define STORE_CEB_TYPE "assessed"
#define PROVENANCE_FACTS "data/model_facts.csv"
#define PROVENANCE_INST "data/model_institutions.csv"

/* Institutions whose budget and hegemon's cost share are the governments'
 * assessed contributions to a CEB entity (the rows of the institutions table
 * computed from the CEB export): their store counterpart. */
static const struct { const char *code, *entity; } ceb_entities[] = {
    {"UN", "UN"},   {"UNPKO", "UN-DPO"}, {"WHO", "WHO"},       {"UNESCO", "UNESCO"}, {"UPU", "UPU"},
    {"WTO", "WTO"}, {"PARIS", "UNFCCC"}, {"UNIDO", "UNIDO"},   {"ICC", "ICC"},
};
/* Per-member vote-weight facts and the stored snapshot series that hold the
 * same figures (stored in percent). */
static const struct { const char *fact, *series; } vote_series[] = {
    {"imf_vote_share", "imf.votes"},
};

/* Alignment with the hegemon when neither the scenario nor the store gives
 * one: a documented judgement by role (docs/model.md §8), indexed by
 * ol_model_role. */
static const double role_alignment[OL_ROLE_COUNT] = {
    [OL_ROLE_HEGEMON] = 1.0, [OL_ROLE_CHALLENGER] = 0.2, [OL_ROLE_ALLY] = 0.8,
    [OL_ROLE_EMERGING] = 0.4, [OL_ROLE_OTHER] = 0.5};

/* ================================================================ facts */
typedef struct fact_row {
    char fact[40];
    char inst[OL_MODEL_CODE_MAX];
    char country[OL_MODEL_CODE_MAX];
    int year;
    double value;
    char source[64];
} fact_row;

typedef struct inst_row {
    char code[OL_MODEL_CODE_MAX];
    char members_rule[24];
    char vote_weights_fact[40];
    double n_members, quota, hegemon_vote_share, budget, hegemon_cost_share;
    double jurisdiction, censure, verification;
    int budget_year, cost_share_year, vote_share_year;
    char voting_source[64], budget_source[64], cost_source[64], constraint_source[64], membership_source[64];
} inst_row;

typedef struct facts {
    fact_row *rows;
    size_t n;
    inst_row *inst;
    size_t ninst;
} facts;

static void facts_free(facts *f)
{
    free(f->rows);
    free(f->inst);
    memset(f, 0, sizeof *f);
}

static double num_or_nan(const char *s)
{
    double v;
    if (ol_is_blank(s) || !ol_parse_double(s, &v)) return NAN;
    return v;
}

/* Opens an embedded CSV and finds the named columns. */
static ol_status open_embedded(const char *name, FILE **fp, ol_csv **r, const char *const *cols, size_t ncols,
                               long *idx, ol_error *err)
{
    const ol_embedded_file *f = ol_embedded_find(name);
    if (!f) return ol_error_set(err, OL_ENOTFOUND, name, 0, 0, NULL, "the built-in table is missing from this build");
    *fp = fmemopen((void *)f->data, f->size, "r");
    if (!*fp) return ol_error_set(err, OL_ENOMEM, name, 0, 0, NULL, "cannot read the built-in table");
    ol_status st = ol_csv_open_stream(*fp, name, NULL, r, err);
    if (st) {
        fclose(*fp);
        return st;
    }
    if (ol_csv_next(*r, err) != 1) {
        ol_csv_close(*r);
        fclose(*fp);
        return ol_error_set(err, OL_EPARSE, name, 1, 0, NULL, "no header");
    }
    st = ol_csv_require(*r, cols, ncols, idx, err);
    if (st) {
        ol_csv_close(*r);
        fclose(*fp);
    }
    return st;
}

static void copy_field(char *dst, size_t size, const char *s)
{
    snprintf(dst, size, "%s", s);
}

static ol_status facts_load(facts *f, ol_error *err)
{
    memset(f, 0, sizeof *f);
    static const char *const fcols[] = {"fact", "institution", "country", "year", "value", "source"};
    long fi[6];
    FILE *fp;
    ol_csv *r;
    ol_status st = open_embedded("model_facts.csv", &fp, &r, fcols, 6, fi, err);
    if (st) return st;
    size_t cap = 0;
    int rc;
    while ((rc = ol_csv_next(r, err)) == 1) {
        if (f->n == cap) {
            cap = cap ? 2 * cap : 1024;
            fact_row *g = realloc(f->rows, cap * sizeof *g);
            if (!g) { st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
            f->rows = g;
        }
        fact_row *x = &f->rows[f->n];
        copy_field(x->fact, sizeof x->fact, ol_csv_field(r, (size_t)fi[0]));
        copy_field(x->inst, sizeof x->inst, ol_csv_field(r, (size_t)fi[1]));
        copy_field(x->country, sizeof x->country, ol_csv_field(r, (size_t)fi[2]));
        if (!ol_parse_int(ol_csv_field(r, (size_t)fi[3]), &x->year)) x->year = 0;
        x->value = num_or_nan(ol_csv_field(r, (size_t)fi[4]));
        copy_field(x->source, sizeof x->source, ol_csv_field(r, (size_t)fi[5]));
        f->n++;
    }
    if (rc < 0) st = OL_EPARSE;
    ol_csv_close(r);
    fclose(fp);
    if (st) { facts_free(f); return st; }

    static const char *const icols[] = {"code", "members_rule", "n_members", "decision_quota",
                                        "hegemon_vote_share", "vote_weights_fact", "budget_usd",
                                        "hegemon_cost_share", "binding_jurisdiction", "censure", "verification",
                                        "budget_year", "cost_share_year", "vote_share_year", "voting_source",
                                        "budget_source", "cost_source", "constraint_source", "membership_source"};
    long ii[19];
    st = open_embedded("model_institutions.csv", &fp, &r, icols, 19, ii, err);
    if (st) { facts_free(f); return st; }
    cap = 0;
    while ((rc = ol_csv_next(r, err)) == 1) {
        if (f->ninst == cap) {
            cap = cap ? 2 * cap : 32;
            inst_row *g = realloc(f->inst, cap * sizeof *g);
            if (!g) { st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
            f->inst = g;
        }
        inst_row *x = &f->inst[f->ninst++];
        copy_field(x->code, sizeof x->code, ol_csv_field(r, (size_t)ii[0]));
        copy_field(x->members_rule, sizeof x->members_rule, ol_csv_field(r, (size_t)ii[1]));
        x->n_members = num_or_nan(ol_csv_field(r, (size_t)ii[2]));
        x->quota = num_or_nan(ol_csv_field(r, (size_t)ii[3]));
        x->hegemon_vote_share = num_or_nan(ol_csv_field(r, (size_t)ii[4]));
        copy_field(x->vote_weights_fact, sizeof x->vote_weights_fact, ol_csv_field(r, (size_t)ii[5]));
        x->budget = num_or_nan(ol_csv_field(r, (size_t)ii[6]));
        x->hegemon_cost_share = num_or_nan(ol_csv_field(r, (size_t)ii[7]));
        x->jurisdiction = num_or_nan(ol_csv_field(r, (size_t)ii[8]));
        x->censure = num_or_nan(ol_csv_field(r, (size_t)ii[9]));
        x->verification = num_or_nan(ol_csv_field(r, (size_t)ii[10]));
        if (!ol_parse_int(ol_csv_field(r, (size_t)ii[11]), &x->budget_year)) x->budget_year = 0;
        if (!ol_parse_int(ol_csv_field(r, (size_t)ii[12]), &x->cost_share_year)) x->cost_share_year = 0;
        if (!ol_parse_int(ol_csv_field(r, (size_t)ii[13]), &x->vote_share_year)) x->vote_share_year = 0;
        copy_field(x->voting_source, sizeof x->voting_source, ol_csv_field(r, (size_t)ii[14]));
        copy_field(x->budget_source, sizeof x->budget_source, ol_csv_field(r, (size_t)ii[15]));
        copy_field(x->cost_source, sizeof x->cost_source, ol_csv_field(r, (size_t)ii[16]));
        copy_field(x->constraint_source, sizeof x->constraint_source, ol_csv_field(r, (size_t)ii[17]));
        copy_field(x->membership_source, sizeof x->membership_source, ol_csv_field(r, (size_t)ii[18]));
    }
    if (rc < 0) st = OL_EPARSE;
    ol_csv_close(r);
    fclose(fp);
    if (st) facts_free(f);
    return st;
}

/* The value of a fact, or NaN. */
static double fact_get(const facts *f, const char *fact, const char *inst, const char *country, int year)
{
    for (size_t i = 0; i < f->n; i++) {
        const fact_row *x = &f->rows[i];
        if (x->year == year && !strcmp(x->fact, fact) && !strcmp(x->inst, inst ? inst : "") &&
            !strcmp(x->country, country ? country : ""))
            return x->value;
    }
    return NAN;
}

static const inst_row *inst_get(const facts *f, const char *code)
{
    for (size_t i = 0; i < f->ninst; i++)
        if (!strcmp(f->inst[i].code, code)) return &f->inst[i];
    return NULL;
}

/* ================================================================ the world */
struct ol_simulate_world {
    ol_model_world w;
    ol_model_actor *actors;
    double *power;     /* [nactors × ny] */
    double *surplus;   /* [nactors × ny] */
    ol_model_institution *inst;
    ol_model_member *members;
    ol_model_leader *leaders;
    ol_simulate_world_info info;
    ol_simulate_magnitude *magn;
    size_t nmagn, cmagn;
};

void ol_simulate_world_free(ol_simulate_world *w)
{
    if (!w) return;
    free(w->actors);
    free(w->power);
    free(w->surplus);
    free(w->inst);
    free(w->members);
    free(w->leaders);
    free(w->magn);
    free(w);
}

const ol_model_world *ol_simulate_world_model(const ol_simulate_world *w) { return w ? &w->w : NULL; }
const ol_simulate_world_info *ol_simulate_world_info_get(const ol_simulate_world *w) { return w ? &w->info : NULL; }

const ol_simulate_magnitude *ol_simulate_world_magnitudes(const ol_simulate_world *w, size_t *n)
{
    if (n) *n = w ? w->nmagn : 0;
    return w ? w->magn : NULL;
}

void ol_simulate_world_magnitude_counts(const ol_simulate_world *w, size_t counts[4])
{
    for (int i = 0; i < 4; i++) counts[i] = 0;
    for (size_t i = 0; w && i < w->nmagn; i++)
        if ((unsigned)w->magn[i].origin < 4) counts[w->magn[i].origin]++;
}

typedef struct builder {
    const ol_scenario *sc;
    ol_store *store;
    facts f;
    ol_simulate_world *out;
    int t0, t1;
    size_t na, ny;
    long row;          /* index of the ROW actor, -1 */
    size_t h;          /* the hegemon */
    ol_error *err;
    ol_series_source power_src; /* the hegemon's power series, when from the store */
    int oom;           /* a provenance row could not be added */
} builder;

/* Appends a provenance row; source and note are filled by the caller.
 * NULL (and b->oom set) when out of memory. */
static ol_simulate_magnitude *magn_add(builder *b, const char *subject, int inst, const char *account,
                                       const char *quantity, double value, const char *unit,
                                       ol_simulate_origin origin, int y0, int y1)
{
    ol_simulate_world *o = b->out;
    if (o->nmagn == o->cmagn) {
        size_t nc = o->cmagn ? 2 * o->cmagn : 128;
        ol_simulate_magnitude *g = realloc(o->magn, nc * sizeof *g);
        if (!g) {
            b->oom = 1;
            return NULL;
        }
        o->magn = g;
        o->cmagn = nc;
    }
    ol_simulate_magnitude *m = &o->magn[o->nmagn++];
    memset(m, 0, sizeof *m);
    snprintf(m->subject, sizeof m->subject, "%s", subject);
    m->institution = inst;
    snprintf(m->account, sizeof m->account, "%s", account);
    snprintf(m->quantity, sizeof m->quantity, "%s", quantity);
    m->value = value;
    snprintf(m->unit, sizeof m->unit, "%s", unit);
    m->origin = origin;
    m->year_from = y0;
    m->year_to = y1;
    return m;
}

/* "kind, vintage V" of a stored source, for provenance. */
static void store_source_text(char *dst, size_t size, const char *series, const ol_series_source *src)
{
    snprintf(dst, size, "store %s (import %s, vintage %s)", series, src->kind[0] ? src->kind : "?",
             src->vintage[0] ? src->vintage : "none");
}

/* The source keys of a fact (its last year's row), or "". */
static const char *fact_source(const facts *f, const char *fact, const char *inst, const char *country)
{
    const char *s = "";
    int y = -1;
    for (size_t i = 0; i < f->n; i++) {
        const fact_row *x = &f->rows[i];
        if (x->year > y && !strcmp(x->fact, fact) && !strcmp(x->inst, inst ? inst : "") &&
            !strcmp(x->country, country ? country : "")) {
            s = x->source;
            y = x->year;
        }
    }
    return s;
}

static int is_row(const char *code) { return !strcmp(code, OL_SCENARIO_ROW); }

/* The last year whose data may be used: t1, or power.known_until when a
 * backtest limits the world to what was known then (docs/backtest.md). */
static int known_end(const builder *b)
{
    int64_t k = b->sc->params.power_known_until;
    return k > 0 && k < b->t1 ? (int)k : b->t1;
}

static ol_model_role role_of(int sc_role)
{
    switch (sc_role) {
    case OL_SC_ROLE_HEGEMON: return OL_ROLE_HEGEMON;
    case OL_SC_ROLE_CHALLENGER: return OL_ROLE_CHALLENGER;
    case OL_SC_ROLE_ALLY: return OL_ROLE_ALLY;
    case OL_SC_ROLE_EMERGING: return OL_ROLE_EMERGING;
    default: return OL_ROLE_OTHER;
    }
}

/* ------------------------------------------------------------ power */

/* Power from the store: P[i*ny + j] for years t0..t0+ny-1 where the data
 * reach; *end the last year every actor (and WLD, for ROW) has without a gap
 * from t0.  Returns OL_ENOTFOUND (no error text) when the store lacks a
 * start-year value for some actor: the caller falls back to the facts. */
static ol_status power_from_store(builder *b, double *P, int *end)
{
    const ol_scenario *sc = b->sc;
    const char *series = sc->params.power_series;
    const char *vintage = sc->params.power_vintage;
    int last = known_end(b);
    double *wld = calloc(b->ny, sizeof *wld);
    if (!wld) return ol_error_set(b->err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    ol_status st = OL_OK;
    for (size_t i = 0; i <= b->na && !st; i++) {
        const char *code = i < b->na ? sc->actors[i].code : "WLD";
        if (i < b->na && is_row(code)) continue;
        if (i == b->na && b->row < 0) break;
        ol_series *s = NULL;
        ol_error e;
        st = ol_series_read(b->store, series, code, vintage && vintage[0] ? vintage : NULL, &s, &e);
        if (st == OL_ENOTFOUND) break;
        if (st) {
            if (b->err) *b->err = e;
            break;
        }
        if (i == b->h) b->power_src = s->source;
        double *dst = i < b->na ? P + i * b->ny : wld;
        int y = b->t0;
        for (; y <= b->t1; y++) {
            int found;
            double v = ol_series_value(s, y, &found);
            if (!found || !(v > 0)) break;
            dst[y - b->t0] = v;
        }
        ol_series_free(s);
        if (y == b->t0) st = OL_ENOTFOUND;
        else if (y - 1 < last) last = y - 1;
    }
    if (!st && b->row >= 0) {
        double *rp = P + (size_t)b->row * b->ny;
        for (int y = b->t0; y <= last; y++) {
            size_t j = (size_t)(y - b->t0);
            double sum = 0;
            for (size_t i = 0; i < b->na; i++)
                if ((long)i != b->row) sum += P[i * b->ny + j];
            rp[j] = wld[j] - sum;
            if (!(rp[j] > 0)) {
                st = ol_error_set(b->err, OL_EVALIDATE, NULL, 0, 0, "actors",
                                  "the listed actors' %s exceeds the world's (WLD) in %d: the rest of the "
                                  "world (ROW) would have no power", series, y);
                break;
            }
        }
    }
    free(wld);
    *end = last;
    return st;
}

/* GDP from the built-in facts: the fact years of the code, interpolated
 * geometrically between them; years after the last fact are projected at
 * the actor's growth later (by the caller).  Fills the data years of
 * t0..min(t1, last fact year).  Returns the last fact year, or 0 when the
 * code has no facts (or none at or before t0). */
static int facts_gdp(const facts *f, const char *code, int t0, int t1, double *dst)
{
    enum { MAXY = 512 }; /* fact years per code: far more than the table holds */
    int years[MAXY];
    double vals[MAXY];
    int n = 0;
    for (size_t i = 0; i < f->n && n < MAXY; i++) {
        const fact_row *x = &f->rows[i];
        if (strcmp(x->fact, "gdp") || strcmp(x->country, code) || !(x->value > 0)) continue;
        int k = n++;
        while (k > 0 && years[k - 1] > x->year) {
            years[k] = years[k - 1];
            vals[k] = vals[k - 1];
            k--;
        }
        years[k] = x->year;
        vals[k] = x->value;
    }
    if (n == 0 || years[0] > t0) return 0;
    for (int y = t0; y <= t1 && y <= years[n - 1]; y++) {
        int k = 0;
        while (k + 1 < n && years[k + 1] < y) k++;
        double v;
        if (y == years[k]) v = vals[k];
        else if (k + 1 >= n) v = vals[k];
        else {
            double u = (double)(y - years[k]) / (double)(years[k + 1] - years[k]);
            v = vals[k] * pow(vals[k + 1] / vals[k], u);
        }
        dst[y - t0] = v;
    }
    return years[n - 1];
}

static ol_status power_from_facts(builder *b, double *P, int *end, double *growth_fact)
{
    const ol_scenario *sc = b->sc;
    /* The facts run to their last year; a start after it is reached by
     * projecting from the last fact year with the data-based growth. */
    int last = 0;
    for (size_t i = 0; i < b->na; i++) {
        const char *code = is_row(sc->actors[i].code) ? "WLD" : sc->actors[i].code;
        int ly = 0;
        for (size_t k = 0; k < b->f.n; k++)
            if (!strcmp(b->f.rows[k].fact, "gdp") && !strcmp(b->f.rows[k].country, code) && b->f.rows[k].year > ly)
                ly = b->f.rows[k].year;
        if (ly == 0) {
            char key[48];
            snprintf(key, sizeof key, "actors[%zu].code", i + 1);
            return ol_error_set(b->err, OL_EVALIDATE, NULL, 0, 0, key,
                                "actor '%s': no GDP in the built-in facts (data/model_facts.csv) and none in "
                                "the store; import the World Bank GDP (orderlab import wb-gdp) or remove the actor",
                                sc->actors[i].code);
        }
        if (last == 0 || ly < last) last = ly;
    }
    if (known_end(b) < last) last = known_end(b);
    /* each code's series runs from min(t0, last) to max(t1, last) */
    int t_hi = b->t1 > last ? b->t1 : last;
    for (size_t i = 0; i <= b->na; i++) {
        if (i < b->na && is_row(sc->actors[i].code)) continue;
        if (i == b->na && b->row < 0) break;
        const char *code = i < b->na ? sc->actors[i].code : "WLD";
        size_t dst_i = i < b->na ? i : (size_t)b->row;
        int t0 = b->t0 <= last ? b->t0 : last;
        size_t n = (size_t)(t_hi - t0 + 1);
        double *buf = malloc(n * sizeof *buf);
        if (!buf) return ol_error_set(b->err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        if (!facts_gdp(&b->f, code, t0, last, buf)) {
            free(buf);
            char key[48];
            snprintf(key, sizeof key, "actors[%zu].code", i < b->na ? i + 1 : (size_t)b->row + 1);
            return ol_error_set(b->err, OL_EVALIDATE, NULL, 0, 0, key,
                                "actor '%s': the built-in GDP facts start after %d", code, b->t0);
        }
        /* growth over the last decade of the facts (docs/model.md §8) */
        double g = NAN;
        int ga = last - GROWTH_YEARS;
        if (ga >= t0) g = pow(buf[last - t0] / buf[ga - t0], 1.0 / GROWTH_YEARS) - 1.0;
        else {
            double a = fact_get(&b->f, "gdp", NULL, code, last - GROWTH_YEARS);
            if (a > 0) g = pow(buf[last - t0] / a, 1.0 / GROWTH_YEARS) - 1.0;
        }
        for (int y = last + 1; y <= t_hi; y++) buf[y - t0] = buf[y - 1 - t0] * (1.0 + (isfinite(g) ? g : 0));
        double *dst = P + dst_i * b->ny;
        if (i == b->na) {
            /* ROW = WLD minus the listed actors */
            for (size_t j = 0; j < b->ny; j++) {
                int y = b->t0 + (int)j;
                double sum = 0;
                for (size_t k = 0; k < b->na; k++)
                    if ((long)k != b->row) sum += P[k * b->ny + j];
                dst[j] = buf[y - t0] - sum;
                if (y <= (last > b->t0 ? last : b->t0) && !(dst[j] > 0)) {
                    free(buf);
                    return ol_error_set(b->err, OL_EVALIDATE, NULL, 0, 0, "actors",
                                        "the listed actors' GDP exceeds the world's in %d: the rest of the world "
                                        "(ROW) would have no power", y);
                }
            }
            /* ROW's own growth: its last decade of facts */
            double a = fact_get(&b->f, "gdp", NULL, "WLD", last - GROWTH_YEARS);
            double z = fact_get(&b->f, "gdp", NULL, "WLD", last);
            for (size_t k = 0; k < b->na && isfinite(a) && isfinite(z); k++) {
                if ((long)k == b->row) continue;
                a -= fact_get(&b->f, "gdp", NULL, sc->actors[k].code, last - GROWTH_YEARS);
                z -= fact_get(&b->f, "gdp", NULL, sc->actors[k].code, last);
            }
            growth_fact[dst_i] = (a > 0 && z > 0) ? pow(z / a, 1.0 / GROWTH_YEARS) - 1.0 : NAN;
        } else {
            for (size_t j = 0; j < b->ny; j++) dst[j] = buf[b->t0 + (int)j - t0];
            growth_fact[dst_i] = g;
        }
        free(buf);
    }
    *end = last < b->t0 ? b->t0 : last;
    return OL_OK;
}

/* Compound growth over the last decade of data ending at `end`, or NaN. */
static double decade_growth(const double *p, int t0, int end)
{
    int a = end - GROWTH_YEARS;
    if (a < t0 || !(p[a - t0] > 0) || !(p[end - t0] > 0)) return NAN;
    return pow(p[end - t0] / p[a - t0], 1.0 / GROWTH_YEARS) - 1.0;
}

/* Growth over the decade of store data ending at `end`, read from the
 * series themselves, so that it is known when the decade starts before t0
 * (a backtest starting in its known_until year).  g[i] stays NaN for an
 * actor whose series lacks either year; ROW's is WLD's minus the listed
 * actors'. */
static void store_decade_growth(builder *b, int end, double *g)
{
    const ol_scenario *sc = b->sc;
    const char *vintage = sc->params.power_vintage;
    double a_row = 0, z_row = 0; /* WLD minus the listed actors */
    for (size_t i = 0; i <= b->na; i++) {
        const char *code = i < b->na ? sc->actors[i].code : "WLD";
        if (i < b->na && is_row(code)) continue;
        if (i == b->na && b->row < 0) break;
        ol_series *s = NULL;
        double a = NAN, z = NAN;
        if (!ol_series_read(b->store, sc->params.power_series, code, vintage && vintage[0] ? vintage : NULL, &s,
                            NULL)) {
            int fa, fz;
            a = ol_series_value(s, end - GROWTH_YEARS, &fa);
            z = ol_series_value(s, end, &fz);
            if (!fa || !fz) a = z = NAN;
            ol_series_free(s);
        }
        size_t k = i < b->na ? i : (size_t)b->row;
        double sign = i < b->na ? -1.0 : 1.0;
        a_row += sign * a; /* NaN once any series lacks a year */
        z_row += sign * z;
        if (i == b->na) a = a_row, z = z_row;
        g[k] = a > 0 && z > 0 ? pow(z / a, 1.0 / GROWTH_YEARS) - 1.0 : NAN;
    }
}

/* ------------------------------------------------------------ alignment */

/* Ideal points (of estimate est) of the first year from t0 on in which
 * every listed state has one; ROW gets the mean of the unlisted states.
 * Returns the year used, 0 when the store has none covering the actors. */
static int alignment_from_estimate(builder *b, const char *est, double *a)
{
    sqlite3 *db = ol_store_db(b->store);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT country, avg(value) FROM ideal_points WHERE estimate = ?1 AND year = ?2 "
                           "GROUP BY country",
                           -1, &q, NULL) != SQLITE_OK)
        return 0;
    double *x = malloc(b->na * sizeof *x);
    unsigned char *have = malloc(b->na);
    int used = 0;
    for (int y = b->t0; y <= known_end(b) && x && have && !used; y++) {
        memset(have, 0, b->na);
        double row_sum = 0;
        size_t row_n = 0;
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, est, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 2, y);
        while (sqlite3_step(q) == SQLITE_ROW) {
            const char *c = (const char *)sqlite3_column_text(q, 0);
            double v = sqlite3_column_double(q, 1);
            if (!c || !isfinite(v)) continue;
            long k = ol_scenario_actor_index(b->sc, c);
            if (k >= 0 && k != b->row) {
                x[k] = v;
                have[k] = 1;
            } else if (k < 0) {
                row_sum += v;
                row_n++;
            }
        }
        int all = 1;
        for (size_t i = 0; i < b->na; i++)
            if ((long)i != b->row && !have[i]) all = 0;
        if (b->row >= 0) {
            if (row_n == 0) all = 0;
            else x[b->row] = row_sum / (double)row_n;
        }
        if (!all) continue;
        double xh = x[b->h], m = 0;
        for (size_t i = 0; i < b->na; i++)
            if (fabs(x[i] - xh) > m) m = fabs(x[i] - xh);
        for (size_t i = 0; i < b->na; i++) a[i] = m > 0 ? 1.0 - fabs(x[i] - xh) / m : 1.0;
        used = y;
    }
    sqlite3_finalize(q);
    free(x);
    free(have);
    return used;
}

static int alignment_from_store(builder *b, double *a, const char **est)
{
    for (size_t i = 0; i < sizeof idealpoint_estimates / sizeof *idealpoint_estimates; i++) {
        int y = alignment_from_estimate(b, idealpoint_estimates[i], a);
        if (y) {
            *est = idealpoint_estimates[i];
            return y;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ build */

/* The year y of a balance result, or NULL. */
static const ol_balance_year *balance_year_get(const ol_balance_result *r, int y)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->years[i].year == y) return &r->years[i];
    return NULL;
}

typedef struct dep_text {
    char text[OL_MAGN_NOTE_MAX - 48];
    char source[OL_MAGN_SOURCE_MAX];
    int store;
} dep_text;

static ol_status build_actors(builder *b)
{
    const ol_scenario *sc = b->sc;
    ol_simulate_world *o = b->out;
    size_t na = b->na, ny = b->ny;
    o->actors = calloc(na, sizeof *o->actors);
    o->power = calloc(na * ny, sizeof *o->power);
    o->surplus = calloc(na * ny, sizeof *o->surplus);
    double *gfact = malloc(na * sizeof *gfact);
    double *align = malloc(na * sizeof *align);
    if (!o->actors || !o->power || !o->surplus || !gfact || !align) {
        free(gfact);
        free(align);
        return ol_error_set(b->err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < na; i++) gfact[i] = NAN;
    ol_balance_result **bal = NULL;
    dep_text *dep_note = NULL;
    int dep_from_store_any = 0;

    /* power: the store when it covers every actor in t0, else the facts */
    int end = 0;
    ol_status st = OL_ENOTFOUND;
    if (b->store) {
        st = power_from_store(b, o->power, &end);
        if (st == OL_OK) {
            o->info.power_source = OL_POWER_STORE;
            if (sc->params.power_known_until > 0) store_decade_growth(b, end, gfact);
            snprintf(o->info.power_vintage, sizeof o->info.power_vintage, "%s", sc->params.power_vintage);
        } else if (st != OL_ENOTFOUND) {
            goto done;
        }
    }
    if (st == OL_ENOTFOUND) {
        if (strcmp(sc->params.power_series, DEFAULT_POWER_SERIES) != 0) {
            st = ol_error_set(b->err, OL_ENOTFOUND, NULL, 0, 0, "power.series",
                              "the store has no %s for every actor in %d, and the built-in facts hold only %s",
                              sc->params.power_series, b->t0, DEFAULT_POWER_SERIES);
            goto done;
        }
        st = power_from_facts(b, o->power, &end, gfact);
        if (st) goto done;
        o->info.power_source = OL_POWER_FACTS;
        o->info.power_vintage[0] = '\0';
    }
    if (end > b->t1) end = b->t1;
    o->info.power_data_end = end;
    snprintf(o->info.power_series, sizeof o->info.power_series, "%s", sc->params.power_series);

    /* alignment: scenario, else ideal points, else by role */
    const char *aest = "";
    int ay = b->store ? alignment_from_store(b, align, &aest) : 0;
    snprintf(o->info.alignment_estimate, sizeof o->info.alignment_estimate, "%s", ay ? aest : "");
    o->info.alignment_source = ay ? OL_ALIGN_IDEALPOINTS : OL_ALIGN_ROLE;
    o->info.alignment_year = ay;

    /* goods trade with the hegemon from the store (census.*), per actor */
    bal = calloc(na, sizeof *bal);
    if (!bal) { st = ol_error_set(b->err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); goto done; }
    for (size_t i = 0; b->store && i < na; i++) {
        if (i == b->h || (long)i == b->row) continue;
        ol_balance_options bo;
        ol_balance_options_init(&bo);
        bo.partner = sc->actors[i].code;
        bo.reporter = sc->actors[b->h].code;
        ol_error e;
        ol_status bs = ol_balance_compute(b->store, &bo, &bal[i], &e);
        if (bs == OL_ENOTFOUND) bal[i] = NULL;
        else if (bs) {
            if (b->err) *b->err = e;
            st = bs;
            goto done;
        }
    }

    /* dependence: goods trade with the hegemon over GDP in DEPENDENCE_YEAR,
     * divided by the largest such ratio among the actors; trade and GDP from
     * the store where it has them (full years only), else the facts */
    double *dep = malloc(na * sizeof *dep);
    if (!dep) { st = ol_error_set(b->err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); goto done; }
    dep_note = calloc(na, sizeof *dep_note);
    if (!dep_note) { free(dep); st = ol_error_set(b->err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); goto done; }
    double dmax = 0;
    long dmax_i = -1;
    for (size_t i = 0; i < na; i++) {
        dep[i] = NAN;
        if (i == b->h || (long)i == b->row) continue;
        const char *code = sc->actors[i].code;
        double tr = fact_get(&b->f, "us_goods_trade", NULL, code, DEPENDENCE_YEAR);
        double g = fact_get(&b->f, "gdp", NULL, code, DEPENDENCE_YEAR);
        char trs[OL_MAGN_SOURCE_MAX], gs[64];
        snprintf(trs, sizeof trs, PROVENANCE_FACTS " us_goods_trade, gdp [%s]",
                 fact_source(&b->f, "us_goods_trade", NULL, code));
        snprintf(gs, sizeof gs, "fact gdp");
        const ol_balance_year *by = bal[i] ? balance_year_get(bal[i], DEPENDENCE_YEAR) : NULL;
        int from_store = 0;
        if (by && !by->partial) {
            tr = by->imports + by->exports;
            store_source_text(trs, sizeof trs, "census.imports+census.exports", &bal[i]->trade_source);
            from_store = 1;
            ol_series *gsr = NULL;
            ol_error e;
            ol_status gst = ol_series_read(b->store, DEFAULT_POWER_SERIES, code, NULL, &gsr, &e);
            if (gst == OL_OK) {
                int found;
                double v = ol_series_value(gsr, DEPENDENCE_YEAR, &found);
                if (found && v > 0) {
                    g = v;
                    snprintf(gs, sizeof gs, "store " DEFAULT_POWER_SERIES " vintage %s", gsr->source.vintage);
                }
                ol_series_free(gsr);
            } else if (gst != OL_ENOTFOUND) {
                if (b->err) *b->err = e;
                free(dep);
                st = gst;
                goto done;
            }
        }
        if (tr >= 0 && g > 0) {
            dep[i] = tr / g;
            if (dep[i] > dmax) {
                dmax = dep[i];
                dmax_i = (long)i;
            }
            dep_from_store_any |= from_store;
            snprintf(dep_note[i].text, sizeof dep_note[i].text, "goods trade %.6g US$ / GDP %.6g US$ (%s) = %.6g",
                     tr, g, gs, tr / g);
            snprintf(dep_note[i].source, sizeof dep_note[i].source, "%s", trs);
            dep_note[i].store = from_store;
        }
    }
    double dsorted[4096];
    size_t nd = 0;
    for (size_t i = 0; i < na; i++)
        if (isfinite(dep[i]) && dmax > 0) {
            dep[i] /= dmax;
            if (nd < 4096) dsorted[nd++] = dep[i];
        }
    /* actors without a trade fact (ROW): the median of the others */
    for (size_t i = 1; i < nd; i++)
        for (size_t k = i; k > 0 && dsorted[k - 1] > dsorted[k]; k--) {
            double t = dsorted[k];
            dsorted[k] = dsorted[k - 1];
            dsorted[k - 1] = t;
        }
    double dmed = nd ? (nd % 2 ? dsorted[nd / 2] : 0.5 * (dsorted[nd / 2 - 1] + dsorted[nd / 2])) : 0;

    uint32_t listed = 0;
    for (size_t i = 0; i < na; i++)
        if ((long)i != b->row) listed++;
    const inst_row *world = inst_get(&b->f, WORLD_BODY);
    uint32_t nworld = world && world->n_members > listed ? (uint32_t)world->n_members : listed + 1;

    for (size_t i = 0; i < na; i++) {
        const ol_actor_spec *s = &sc->actors[i];
        ol_model_actor *a = &o->actors[i];
        snprintf(a->code, sizeof a->code, "%s", s->code);
        a->role = role_of(s->role);
        a->seats = (long)i == b->row ? nworld - listed : 1;
        a->power = o->power + i * ny;
        /* the data years; the model projects the rest */
        a->npower = (size_t)(end - b->t0 + 1);
        ol_simulate_magnitude *m = magn_add(b, s->code, 0, "power", "P_i power (start year)", a->power[0], "US$",
                                            o->info.power_source == OL_POWER_STORE ? OL_ORIGIN_STORE
                                                                                   : OL_ORIGIN_BUILTIN,
                                            b->t0, end);
        if (m) {
            const char *what = (long)i == b->row ? "WLD" : s->code;
            if (o->info.power_source == OL_POWER_STORE)
                store_source_text(m->source, sizeof m->source, sc->params.power_series, &b->power_src);
            else
                snprintf(m->source, sizeof m->source, PROVENANCE_FACTS " gdp [%s]",
                         fact_source(&b->f, "gdp", NULL, what));
            if ((long)i == b->row)
                snprintf(m->note, sizeof m->note, "ROW = WLD minus the listed actors, year by year; data to %d, "
                         "projected after", end);
            else
                snprintf(m->note, sizeof m->note, "data %d-%d, projected at g_i after", b->t0, end);
        }
        double g = isfinite(s->growth) ? s->growth : NAN;
        ol_simulate_origin gorig = OL_ORIGIN_SCENARIO;
        const char *gsrc = "scenario actors[].growth";
        if (!isfinite(g) && o->info.power_source == OL_POWER_STORE) {
            g = decade_growth(a->power, b->t0, end);
            gorig = OL_ORIGIN_STORE;
            gsrc = "compound growth of the last ten years of the store's power series";
        }
        if (!isfinite(g)) {
            g = gfact[i];
            gorig = OL_ORIGIN_BUILTIN;
            gsrc = "compound growth of the last ten years of the gdp facts (" PROVENANCE_FACTS ")";
        }
        if (!isfinite(g)) {
            g = sc->params.power_default_growth;
            gorig = OL_ORIGIN_RULE;
            gsrc = "parameter power.default_growth";
        }
        a->growth = g;
        m = magn_add(b, s->code, 0, "growth", "g_i growth after the data", g, "fraction per year", gorig, 0, 0);
        if (m) snprintf(m->source, sizeof m->source, "%s", gsrc);
        /* the rival's goods surplus with the hegemon: minus the US balance;
         * from the store when it covers the start year, full years only,
         * and only the years a backtest may know */
        size_t ns = 0;
        int partial_year = 0;
        char partial_flag[OL_FLAG_TEXT_MAX] = "";
        if (i != b->h && bal[i]) {
            for (int y = b->t0; y <= known_end(b); y++) {
                const ol_balance_year *by = balance_year_get(bal[i], y);
                if (!by) break;
                if (by->partial) {
                    partial_year = y;
                    snprintf(partial_flag, sizeof partial_flag, "%s", by->flag);
                    break;
                }
                o->surplus[i * ny + ns++] = by->surplus;
            }
        }
        int surplus_store = ns > 0;
        if (i != b->h && !surplus_store) {
            partial_year = 0;
            for (int y = b->t0; y <= known_end(b); y++) {
                double bv = fact_get(&b->f, "us_goods_balance", NULL, s->code, y);
                if (!isfinite(bv)) break;
                o->surplus[i * ny + ns++] = -bv;
            }
        }
        a->surplus = ns ? o->surplus + i * ny : NULL;
        a->nsurplus = ns;
        if (ns) {
            int ylast = b->t0 + (int)ns - 1;
            m = magn_add(b, s->code, 0, "spillover", "surplus_iH goods surplus with H (last year)",
                         a->surplus[ns - 1], "US$", surplus_store ? OL_ORIGIN_STORE : OL_ORIGIN_BUILTIN, b->t0,
                         ylast);
            if (m) {
                if (surplus_store) {
                    store_source_text(m->source, sizeof m->source, "census.imports-census.exports",
                                      &bal[i]->trade_source);
                    if (partial_year)
                        snprintf(m->note, sizeof m->note,
                                 "million US$ x 1e6; %d is flagged %s and is not used as a full year: the series "
                                 "ends at the last full year %d and scales with P_i after", partial_year,
                                 partial_flag, ylast);
                    else
                        snprintf(m->note, sizeof m->note, "million US$ x 1e6; scales with P_i after %d", ylast);
                } else {
                    snprintf(m->source, sizeof m->source, PROVENANCE_FACTS " us_goods_balance (negated) [%s]",
                             fact_source(&b->f, "us_goods_balance", NULL, s->code));
                    snprintf(m->note, sizeof m->note, "scales with P_i after %d", ylast);
                }
            }
        }
        if (isfinite(s->dependence)) a->dependence = s->dependence;
        else if (i == b->h) a->dependence = 0;
        else if (isfinite(dep[i])) a->dependence = dep[i];
        else a->dependence = dmed;
        m = magn_add(b, s->code, 0, "dependence", "d_i dependence on H", a->dependence, "fraction",
                     isfinite(s->dependence) ? OL_ORIGIN_SCENARIO
                     : i != b->h && isfinite(dep[i]) ? (dep_note[i].store ? OL_ORIGIN_STORE : OL_ORIGIN_BUILTIN)
                                                     : OL_ORIGIN_RULE,
                     i != b->h && isfinite(dep[i]) && !isfinite(s->dependence) ? DEPENDENCE_YEAR : 0,
                     i != b->h && isfinite(dep[i]) && !isfinite(s->dependence) ? DEPENDENCE_YEAR : 0);
        if (m) {
            if (isfinite(s->dependence)) snprintf(m->source, sizeof m->source, "scenario actors[].dependence");
            else if (i == b->h) snprintf(m->source, sizeof m->source, "rule: the hegemon depends on no one");
            else if (isfinite(dep[i])) {
                snprintf(m->source, sizeof m->source, "%s", dep_note[i].source);
                snprintf(m->note, sizeof m->note, "%s; divided by the largest ratio (%s)", dep_note[i].text,
                         dmax_i >= 0 ? sc->actors[dmax_i].code : "-");
            } else
                snprintf(m->source, sizeof m->source, "rule: the median of the other actors' d_i");
        }
        a->outside = isfinite(s->outside_option) ? s->outside_option : 0.0;
        m = magn_add(b, s->code, 0, "outside", "o_i outside option (start)", a->outside, "fraction",
                     isfinite(s->outside_option) ? OL_ORIGIN_SCENARIO : OL_ORIGIN_RULE, 0, 0);
        if (m)
            snprintf(m->source, sizeof m->source, "%s",
                     isfinite(s->outside_option) ? "scenario actors[].outside_option"
                                                 : "rule: no inclusive alternative in the start year");
        a->alignment = isfinite(s->alignment) ? s->alignment : ay ? align[i] : role_alignment[a->role];
        m = magn_add(b, s->code, 0, "alignment", "a_i alignment with H (start)", a->alignment, "fraction",
                     isfinite(s->alignment) ? OL_ORIGIN_SCENARIO : ay ? OL_ORIGIN_STORE : OL_ORIGIN_RULE,
                     !isfinite(s->alignment) && ay ? ay : 0, !isfinite(s->alignment) && ay ? ay : 0);
        if (m) {
            if (isfinite(s->alignment)) snprintf(m->source, sizeof m->source, "scenario actors[].alignment");
            else if (ay) snprintf(m->source, sizeof m->source, "store ideal_points (estimate %s)", aest);
            else snprintf(m->source, sizeof m->source, "judgement by role (docs/model.md §8)");
        }
        if ((long)i == b->row) {
            m = magn_add(b, s->code, 0, "seats", "states ROW stands for", (double)a->seats, "states",
                         world && world->n_members > listed ? OL_ORIGIN_BUILTIN : OL_ORIGIN_RULE,
                         0, 0);
            if (m) snprintf(m->source, sizeof m->source, PROVENANCE_INST " n_members of " WORLD_BODY
                            " minus the listed actors [%s]", world ? world->membership_source : "");
        }
    }
    (void)dep_from_store_any;
    free(dep);
    st = b->oom ? ol_error_set(b->err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory") : OL_OK;
done:
    for (size_t i = 0; bal && i < na; i++) ol_balance_result_free(bal[i]);
    free(bal);
    free(dep_note);
    free(gfact);
    free(align);
    return st;
}

static ol_model_rule rule_of(const ol_institution_spec *in, int has_veto)
{
    switch (in->voting_rule) {
    case OL_SC_VOTING_CONSENSUS: return OL_RULE_CONSENSUS;
    case OL_SC_VOTING_WEIGHTED: return OL_RULE_WEIGHTED;
    case OL_SC_VOTING_MAJORITY: return has_veto ? OL_RULE_VETO_COUNCIL : OL_RULE_MAJORITY;
    default: return OL_RULE_MAJORITY; /* judicial: judges decide, members are equal */
    }
}

/* A simple majority, for bodies without a quota in the facts. */
#define DEFAULT_MAJORITY_QUOTA 0.5

static const char *ceb_entity_of(const char *code)
{
    for (size_t i = 0; i < sizeof ceb_entities / sizeof *ceb_entities; i++)
        if (!strcmp(ceb_entities[i].code, code)) return ceb_entities[i].entity;
    return NULL;
}

static const char *vote_series_of(const char *fact)
{
    for (size_t i = 0; i < sizeof vote_series / sizeof *vote_series; i++)
        if (!strcmp(vote_series[i].fact, fact)) return vote_series[i].series;
    return NULL;
}

/* The governments' assessed contributions to a CEB entity in year y from the
 * store: the pool *total and the hegemon's share of it, from the newest
 * source of the series that has the hegemon's payment to the entity in y.
 * The donor series first (2013-), then the one-year export.  OL_ENOTFOUND
 * (no error text) when neither has it. */
static ol_status store_assessed(builder *b, const char *entity, int y, double *total, double *share,
                                char *series, size_t series_size, ol_series_source *src)
{
    static const char *const prefixes[] = {STORE_CEB_DONOR, STORE_CEB_GOVDONOR};
    sqlite3 *db = ol_store_db(b->store);
    const char *h = b->sc->actors[b->h].code;
    for (size_t p = 0; p < sizeof prefixes / sizeof *prefixes; p++) {
        char code[OL_SERIES_CODE_MAX];
        snprintf(code, sizeof code, "%s.%s", prefixes[p], STORE_CEB_TYPE);
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(db,
                               "SELECT p.source_id, s.kind, s.name, s.vintage, "
                               "(SELECT sum(q.value) FROM pair_values q WHERE q.series = p.series AND "
                               "q.partner = p.partner AND q.year = p.year AND q.source_id = p.source_id), p.value "
                               "FROM pair_values p JOIN sources s ON s.id = p.source_id "
                               "WHERE p.series = ?1 AND p.country = ?2 AND p.partner = ?3 AND p.year = ?4 "
                               "ORDER BY s.imported_at DESC, s.id DESC LIMIT 1",
                               -1, &q, NULL) != SQLITE_OK)
            return ol_store_fail(b->store, b->err, "reading assessed contributions");
        sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, h, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, entity, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 4, y);
        int rc = sqlite3_step(q);
        int ok = 0;
        if (rc == SQLITE_ROW && sqlite3_column_double(q, 4) > 0) {
            ok = 1;
            memset(src, 0, sizeof *src);
            src->id = sqlite3_column_int64(q, 0);
            snprintf(src->kind, sizeof src->kind, "%s", (const char *)sqlite3_column_text(q, 1));
            snprintf(src->name, sizeof src->name, "%s", (const char *)sqlite3_column_text(q, 2));
            snprintf(src->vintage, sizeof src->vintage, "%s", (const char *)sqlite3_column_text(q, 3));
            *total = sqlite3_column_double(q, 4);
            *share = sqlite3_column_double(q, 5) / *total;
            snprintf(series, series_size, "%s", code);
        }
        sqlite3_finalize(q);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return ol_store_fail(b->store, b->err, "reading assessed contributions");
        if (ok) return OL_OK;
    }
    return OL_ENOTFOUND;
}

/* The latest value of a stored vote-share series for country, as a
 * fraction (the series are in percent); NaN when missing. */
static ol_status store_vote(builder *b, const char *series, const char *country, double *v, int *year,
                            ol_series_source *src)
{
    *v = NAN;
    ol_series *s = NULL;
    ol_error e;
    ol_status st = ol_series_read(b->store, series, country, NULL, &s, &e);
    if (st == OL_ENOTFOUND) return OL_OK;
    if (st) {
        if (b->err) *b->err = e;
        return st;
    }
    if (s->n) {
        double f = strncmp(s->unit, "percent", 7) == 0 ? 0.01 : 1.0;
        *v = s->values[s->n - 1] * f;
        *year = s->years[s->n - 1];
        *src = s->source;
    }
    ol_series_free(s);
    return OL_OK;
}

static const char *rule_name(ol_model_rule r)
{
    switch (r) {
    case OL_RULE_CONSENSUS: return "consensus (unanimity)";
    case OL_RULE_WEIGHTED: return "weighted votes";
    case OL_RULE_VETO_COUNCIL: return "veto council";
    default: return "one state one vote";
    }
}

static ol_status build_institutions(builder *b)
{
    const ol_scenario *sc = b->sc;
    ol_simulate_world *o = b->out;
    size_t nk = sc->ninstitutions;
    o->inst = calloc(nk ? nk : 1, sizeof *o->inst);
    o->members = calloc(sc->nmemberships ? sc->nmemberships : 1, sizeof *o->members);
    if (!o->inst || !o->members) return ol_error_set(b->err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    size_t mo = 0;
    for (size_t k = 0; k < nk; k++) {
        const ol_institution_spec *s = &sc->institutions[k];
        ol_model_institution *in = &o->inst[k];
        char key[64];
        snprintf(key, sizeof key, "institutions[%zu] (%s)", k + 1, s->code);
        const inst_row *f = inst_get(&b->f, s->code);
        int given = isfinite(s->budget_usd) && isfinite(s->hegemon_cost_share) &&
                    isfinite(s->constraint_jurisdiction) && isfinite(s->constraint_censure) &&
                    isfinite(s->constraint_verification);
        if (!f && !given)
            return ol_error_set(b->err, OL_EVALIDATE, NULL, 0, 0, key,
                                "institution %s has no row in the built-in facts (data/model_institutions.csv): "
                                "give budget_usd, hegemon_cost_share and constraint.* in the scenario",
                                s->code);
        snprintf(in->code, sizeof in->code, "%s", s->code);
        in->domain = (ol_model_domain)s->domain;
        /* Rivals' gains are their goods surplus with the hegemon only where
         * membership opens its market (the scenario's spillover.proxy);
         * elsewhere their share of the functional output (docs/model.md §4.2). */
        in->market_access = s->spillover_proxy == OL_SPILLOVER_TRADE_SURPLUS;
        in->form = (ol_model_form)s->form;
        in->level = (ol_model_level)s->level;
        in->founded = (int)s->founded;
        in->dissolved = (int)s->ended;
        in->budget = isfinite(s->budget_usd) ? s->budget_usd : f && isfinite(f->budget) ? f->budget : 0.0;
        double cH = isfinite(s->hegemon_cost_share) ? s->hegemon_cost_share
                    : f && isfinite(f->hegemon_cost_share) ? f->hegemon_cost_share
                                                            : 0.0;
        /* the store's assessed contributions in the row's reference year
         * (the model takes one budget and one share per institution) */
        const char *entity = ceb_entity_of(s->code);
        int ref = f ? f->budget_year : 0;
        int c_store = 0;
        char cseries[OL_SERIES_CODE_MAX] = "";
        ol_series_source csrc;
        memset(&csrc, 0, sizeof csrc);
        if (b->store && entity && ref && (!isfinite(s->budget_usd) || !isfinite(s->hegemon_cost_share))) {
            double tot = 0, sh = 0;
            ol_status cs = store_assessed(b, entity, ref, &tot, &sh, cseries, sizeof cseries, &csrc);
            if (cs == OL_OK) {
                c_store = 1;
                if (!isfinite(s->budget_usd)) in->budget = tot;
                if (!isfinite(s->hegemon_cost_share)) cH = sh;
            } else if (cs != OL_ENOTFOUND)
                return cs;
        }
        ol_simulate_magnitude *mg;
        mg = magn_add(b, s->code, 1, "consumption", "C_k budget", in->budget, "US$",
                     isfinite(s->budget_usd) ? OL_ORIGIN_SCENARIO : c_store ? OL_ORIGIN_STORE : OL_ORIGIN_BUILTIN,
                     isfinite(s->budget_usd) ? 0 : c_store ? ref : f ? f->budget_year : 0,
                     isfinite(s->budget_usd) ? 0 : c_store ? ref : f ? f->budget_year : 0);
        if (mg) {
            if (isfinite(s->budget_usd)) snprintf(mg->source, sizeof mg->source, "scenario budget_usd");
            else if (c_store) {
                store_source_text(mg->source, sizeof mg->source, cseries, &csrc);
                snprintf(mg->note, sizeof mg->note, "all governments' assessed contributions to CEB entity %s in %d "
                         "(the table's reference year)", entity, ref);
            } else {
                snprintf(mg->source, sizeof mg->source, PROVENANCE_INST " budget_usd [%s]", f ? f->budget_source : "");
                if (f && !isfinite(f->budget))
                    snprintf(mg->note, sizeof mg->note, "empty in the table (no common budget, or not found): 0");
            }
        }
        mg = magn_add(b, s->code, 1, "consumption", "c_Hk hegemon's cost share", cH, "fraction",
                     isfinite(s->hegemon_cost_share) ? OL_ORIGIN_SCENARIO
                     : c_store                       ? OL_ORIGIN_STORE
                                                     : OL_ORIGIN_BUILTIN,
                     isfinite(s->hegemon_cost_share) ? 0 : c_store ? ref : f ? f->cost_share_year : 0,
                     isfinite(s->hegemon_cost_share) ? 0 : c_store ? ref : f ? f->cost_share_year : 0);
        if (mg) {
            if (isfinite(s->hegemon_cost_share)) snprintf(mg->source, sizeof mg->source, "scenario hegemon_cost_share");
            else if (c_store) {
                store_source_text(mg->source, sizeof mg->source, cseries, &csrc);
                snprintf(mg->note, sizeof mg->note, "%s's assessed contribution to %s over all governments' in %d",
                         b->sc->actors[b->h].code, entity, ref);
            } else {
                snprintf(mg->source, sizeof mg->source, PROVENANCE_INST " hegemon_cost_share [%s]",
                         f ? f->cost_source : "");
                if (f && !isfinite(f->hegemon_cost_share))
                    snprintf(mg->note, sizeof mg->note, "empty in the table (no common budget): 0");
            }
        }
        mg = magn_add(b, s->code, 1, "consumption", "X_Hk = c_Hk C_k what H pays", cH * in->budget, "US$",
                     OL_ORIGIN_RULE, 0, 0);
        if (mg) snprintf(mg->source, sizeof mg->source, "derived: the two rows above");
        double cj = isfinite(s->constraint_jurisdiction) ? s->constraint_jurisdiction : f ? f->jurisdiction : 0;
        double cc = isfinite(s->constraint_censure) ? s->constraint_censure : f ? f->censure : 0;
        double cv = isfinite(s->constraint_verification) ? s->constraint_verification : f ? f->verification : 0;
        in->jurisdiction = cj >= 0.5;
        in->censure = cc >= 0.5;
        in->verification = cv >= 0.5;
        {
            static const char *const qn[3] = {"j_k binding jurisdiction", "u_k censure", "v_k verification"};
            const double sv[3] = {s->constraint_jurisdiction, s->constraint_censure, s->constraint_verification};
            const int flag[3] = {in->jurisdiction, in->censure, in->verification};
            for (int q = 0; q < 3; q++) {
                mg = magn_add(b, s->code, 1, "constraint", qn[q], flag[q], "flag",
                             isfinite(sv[q]) ? OL_ORIGIN_SCENARIO : OL_ORIGIN_BUILTIN, 0, 0);
                if (mg && isfinite(sv[q])) snprintf(mg->source, sizeof mg->source, "scenario constraint.*");
                else if (mg)
                    snprintf(mg->source, sizeof mg->source, PROVENANCE_INST " [%s]", f ? f->constraint_source : "");
            }
        }
        mg = magn_add(b, s->code, 1, "spillover", "market access (trade-surplus proxy)", in->market_access, "flag",
                     OL_ORIGIN_SCENARIO, 0, 0);
        if (mg) {
            snprintf(mg->source, sizeof mg->source, "scenario spillover.proxy");
            snprintf(mg->note, sizeof mg->note, "%s",
                     in->market_access ? "rivals' gains: theta x their goods surplus with H (the actors' spillover rows)"
                                       : "rivals' gains: their share of the functional output G_k (from power)");
        }
        mg = magn_add(b, s->code, 1, "reputation", "founded", in->founded, "year", OL_ORIGIN_SCENARIO, 0, 0);
        if (mg) snprintf(mg->source, sizeof mg->source, "scenario founded");

        /* the memberships of k (sorted by institution in the scenario) */
        size_t m0 = mo;
        int has_veto = 0, has_weight = 0;
        uint32_t listed = 0;
        for (size_t m = 0; m < sc->nmemberships; m++) {
            const ol_membership_spec *ms = &sc->memberships[m];
            if (strcmp(ms->institution, s->code)) continue;
            long a = ol_scenario_actor_index(sc, ms->actor);
            if (a < 0)
                return ol_error_set(b->err, OL_EVALIDATE, NULL, 0, 0, key, "membership of unknown actor '%s'",
                                    ms->actor);
            ol_model_member *mb = &o->members[mo++];
            mb->actor = (size_t)a;
            mb->from = (int)ms->from;
            mb->to = (int)ms->to;
            mb->veto = ms->veto;
            mb->votes = ms->vote_weight;
            if (ms->veto) has_veto = 1;
            if (isfinite(ms->vote_weight)) has_weight = 1;
            if (a != b->row) listed++;
        }
        in->members = o->members + m0;
        in->nmembers = mo - m0;
        in->rule = rule_of(s, has_veto);
        if (in->rule == OL_RULE_CONSENSUS) in->quota = 1.0;
        else if (s->voting_rule == OL_SC_VOTING_JUDICIAL) in->quota = DEFAULT_MAJORITY_QUOTA;
        else if (f && isfinite(f->quota)) in->quota = f->quota;
        else if (in->rule == OL_RULE_MAJORITY) in->quota = DEFAULT_MAJORITY_QUOTA;
        else
            return ol_error_set(b->err, OL_EVALIDATE, NULL, 0, 0, key,
                                "institution %s: its %s rule needs decision_quota in data/model_institutions.csv",
                                s->code, in->rule == OL_RULE_WEIGHTED ? "weighted" : "veto-council");
        if (in->rule == OL_RULE_VETO_COUNCIL) {
            if (!f || !(f->n_members > 0))
                return ol_error_set(b->err, OL_EVALIDATE, NULL, 0, 0, key,
                                    "institution %s: a majority body with vetoes needs its council size "
                                    "(n_members in data/model_institutions.csv)", s->code);
            in->council = (uint32_t)f->n_members;
        }
        mg = magn_add(b, s->code, 1, "privilege", "q decision quota", in->quota, "fraction",
                     in->rule == OL_RULE_CONSENSUS || s->voting_rule == OL_SC_VOTING_JUDICIAL || !f ||
                             !isfinite(f->quota)
                         ? OL_ORIGIN_RULE
                         : OL_ORIGIN_BUILTIN,
                     0, 0);
        if (mg) {
            if (in->rule == OL_RULE_CONSENSUS) snprintf(mg->source, sizeof mg->source, "rule: consensus is unanimity");
            else if (s->voting_rule == OL_SC_VOTING_JUDICIAL)
                snprintf(mg->source, sizeof mg->source, "rule: judges decide, members equal");
            else if (f && isfinite(f->quota))
                snprintf(mg->source, sizeof mg->source, PROVENANCE_INST " decision_quota [%s]", f->voting_source);
            else snprintf(mg->source, sizeof mg->source, "rule: simple majority (no quota in the table)");
            snprintf(mg->note, sizeof mg->note, "Shapley-Shubik index of the %s rule (scenario voting.rule)",
                     rule_name(in->rule));
        }
        if (in->rule == OL_RULE_VETO_COUNCIL) {
            mg = magn_add(b, s->code, 1, "privilege", "council seats", in->council, "seats", OL_ORIGIN_BUILTIN, 0, 0);
            if (mg) snprintf(mg->source, sizeof mg->source, PROVENANCE_INST " n_members [%s]", f->voting_source);
        }
        /* ROW's states in k: the body's membership count minus the listed
         * members (universal and listed bodies), at least one */
        uint32_t row_seats = 0;
        if (b->row >= 0) {
            row_seats = b->out->actors[b->row].seats;
            if (f && f->n_members > 0 && (!strcmp(f->members_rule, "universal") || !strcmp(f->members_rule, "list")))
                row_seats = f->n_members > listed + 1 ? (uint32_t)f->n_members - listed : 1;
            if (row_seats > b->out->actors[b->row].seats) row_seats = b->out->actors[b->row].seats;
        }
        /* start-year power shares of the members other than H */
        double pother = 0;
        for (size_t m = m0; m < mo; m++)
            if (o->members[m].actor != b->h) pother += b->out->actors[o->members[m].actor].power[0];
        /* vote weights (weighted rules): the scenario's, else the facts'
         * per-member weights, else H's share and the others by power */
        double vH = f ? f->hegemon_vote_share : NAN;
        double vsum_listed = 0;
        int per_member = f && f->vote_weights_fact[0] && !has_weight;
        /* per-member weights from the store's snapshot when it has every
         * listed member (one snapshot date, used as the facts' is) */
        const char *vseries = per_member && b->store && in->rule == OL_RULE_WEIGHTED
                                  ? vote_series_of(f->vote_weights_fact)
                                  : NULL;
        double *svotes = NULL;
        ol_series_source vsrc;
        memset(&vsrc, 0, sizeof vsrc);
        int vyear = 0;
        if (vseries) {
            svotes = calloc(mo - m0 + 1, sizeof *svotes);
            if (!svotes) return ol_error_set(b->err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
            for (size_t m2 = m0; m2 < mo; m2++) {
                if ((long)o->members[m2].actor == b->row) continue;
                int yy = 0;
                ol_status vs = store_vote(b, vseries, b->out->actors[o->members[m2].actor].code, &svotes[m2 - m0],
                                          &yy, &vsrc);
                if (vs) {
                    free(svotes);
                    return vs;
                }
                if (!isfinite(svotes[m2 - m0]) || (vyear && yy != vyear)) {
                    free(svotes);
                    svotes = NULL;
                    break;
                }
                vyear = yy;
            }
        }
        for (size_t m = m0; m < mo; m++) {
            ol_model_member *mb = &o->members[m];
            const ol_model_actor *a = &b->out->actors[mb->actor];
            mb->seats = (long)mb->actor == b->row ? row_seats : 0;
            double sh = pother > 0 ? a->power[0] / pother : 0;
            mb->cost_share = mb->actor == b->h ? cH : (1.0 - cH) * sh;
            if (in->rule != OL_RULE_WEIGHTED) {
                mb->votes = 0;
                continue;
            }
            if (has_weight) {
                if (!isfinite(mb->votes)) mb->votes = 0;
                continue;
            }
            if (per_member && (long)mb->actor != b->row && svotes) {
                mb->votes = svotes[m - m0];
                vsum_listed += mb->votes;
            } else if (per_member && (long)mb->actor != b->row) {
                /* the latest year of the fact */
                double v = NAN;
                int vy = 0;
                for (size_t r = 0; r < b->f.n; r++) {
                    const fact_row *x = &b->f.rows[r];
                    if (x->year > vy && !strcmp(x->fact, f->vote_weights_fact) && !strcmp(x->inst, s->code) &&
                        !strcmp(x->country, a->code)) {
                        v = x->value;
                        vy = x->year;
                    }
                }
                if (!isfinite(v)) {
                    free(svotes);
                    return ol_error_set(b->err, OL_EVALIDATE, NULL, 0, 0, key,
                                        "institution %s: no %s fact for member %s", s->code, f->vote_weights_fact,
                                        a->code);
                }
                mb->votes = v;
                vsum_listed += v;
            } else if (mb->actor == b->h && isfinite(vH)) {
                mb->votes = vH;
            } else {
                mb->votes = NAN; /* by power, below */
            }
        }
        if (in->rule == OL_RULE_WEIGHTED && !has_weight) {
            if (per_member) {
                /* ROW: what the listed members leave */
                for (size_t m = m0; m < mo; m++)
                    if (!isfinite(o->members[m].votes)) o->members[m].votes = vsum_listed < 1 ? 1 - vsum_listed : 0;
            } else {
                if (!isfinite(vH))
                    return ol_error_set(b->err, OL_EVALIDATE, NULL, 0, 0, key,
                                        "institution %s: a weighted rule needs the hegemon's vote share "
                                        "(hegemon_vote_share in data/model_institutions.csv) or vote_weight rows",
                                        s->code);
                for (size_t m = m0; m < mo; m++) {
                    ol_model_member *mb = &o->members[m];
                    if (isfinite(mb->votes)) continue;
                    double sh = pother > 0 ? b->out->actors[mb->actor].power[0] / pother : 0;
                    mb->votes = (1.0 - vH) * sh;
                }
            }
        }
        if (in->rule == OL_RULE_WEIGHTED) {
            double wh = NAN;
            for (size_t m2 = m0; m2 < mo; m2++)
                if (o->members[m2].actor == b->h) wh = o->members[m2].votes;
            mg = magn_add(b, s->code, 1, "privilege", "hegemon's vote share", wh, "fraction",
                         has_weight ? OL_ORIGIN_SCENARIO : svotes ? OL_ORIGIN_STORE : OL_ORIGIN_BUILTIN,
                         has_weight ? 0 : svotes ? vyear : f->vote_share_year,
                         has_weight ? 0 : svotes ? vyear : f->vote_share_year);
            if (mg) {
                if (has_weight) snprintf(mg->source, sizeof mg->source, "scenario memberships[].vote_weight");
                else if (svotes) {
                    store_source_text(mg->source, sizeof mg->source, vseries, &vsrc);
                    snprintf(mg->note, sizeof mg->note, "snapshot (%s), used for every year as the facts are; "
                             "every listed member's from the same snapshot, ROW the rest", vsrc.vintage);
                } else if (per_member) {
                    snprintf(mg->source, sizeof mg->source, PROVENANCE_FACTS " %s [%s]", f->vote_weights_fact,
                             fact_source(&b->f, f->vote_weights_fact, s->code, b->out->actors[b->h].code));
                    snprintf(mg->note, sizeof mg->note, "snapshot, used for every year; the other members' from the "
                             "same fact, ROW the rest");
                } else {
                    snprintf(mg->source, sizeof mg->source, PROVENANCE_INST " hegemon_vote_share [%s]",
                             f->voting_source);
                    snprintf(mg->note, sizeof mg->note, "the other members' votes by start-year power share");
                }
            }
        }
        free(svotes);
        if (b->row >= 0 && row_seats) {
            mg = magn_add(b, s->code, 1, "reputation", "ROW's seats (states)", row_seats, "states",
                         f && f->n_members > 0 ? OL_ORIGIN_BUILTIN : OL_ORIGIN_RULE, 0, 0);
            if (mg) {
                if (f && f->n_members > 0)
                    snprintf(mg->source, sizeof mg->source, PROVENANCE_INST " n_members minus the listed members [%s]",
                             f->membership_source);
                else snprintf(mg->source, sizeof mg->source, "rule: ROW's seats in the world body");
            }
        }
    }
    o->w.inst = o->inst;
    o->w.ninst = nk;
    if (b->oom) return ol_error_set(b->err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    return OL_OK;
}

ol_status ol_simulate_world_new(ol_store *store, const ol_scenario *sc, ol_simulate_world **out, ol_error *err)
{
    ol_error_clear(err);
    if (!sc || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no scenario or output");
    *out = NULL;
    if (sc->params.year_end < sc->params.year_start)
        return ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, "years.end", "years.end %lld is before years.start %lld",
                            (long long)sc->params.year_end, (long long)sc->params.year_start);
    builder b = {0};
    b.sc = sc;
    b.store = store;
    b.err = err;
    b.t0 = (int)sc->params.year_start;
    b.t1 = (int)sc->params.year_end;
    b.na = sc->nactors;
    b.ny = (size_t)(b.t1 - b.t0 + 1);
    b.row = ol_scenario_actor_index(sc, OL_SCENARIO_ROW);
    long h = ol_scenario_role_index(sc, OL_SC_ROLE_HEGEMON);
    if (h < 0 || ol_scenario_role_index(sc, OL_SC_ROLE_CHALLENGER) < 0)
        return ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, "actors",
                            "the scenario needs exactly one hegemon and one challenger");
    b.h = (size_t)h;
    if (sc->params.power_known_until > 0 && sc->params.power_known_until < b.t0)
        return ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, "power.known_until",
                            "power.known_until %lld is before years.start %d: the start year's data are needed",
                            (long long)sc->params.power_known_until, b.t0);
    if (b.na == 0) return ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, "actors", "no actors");
    ol_status st = facts_load(&b.f, err);
    if (st) return st;
    b.out = calloc(1, sizeof *b.out);
    if (!b.out) {
        facts_free(&b.f);
        return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    st = build_actors(&b);
    if (!st) st = build_institutions(&b);
    if (!st) {
        ol_simulate_world *o = b.out;
        o->leaders = calloc(sc->nleaders ? sc->nleaders : 1, sizeof *o->leaders);
        if (!o->leaders) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        for (size_t i = 0; !st && i < sc->nleaders; i++) {
            ol_model_leader *l = &o->leaders[i];
            snprintf(l->name, sizeof l->name, "%s", sc->leaders[i].name);
            l->from = (int)sc->leaders[i].from;
            l->temperament = sc->leaders[i].temperament;
            l->omega = sc->leaders[i].systemic_weight;
        }
        o->w.t0 = b.t0;
        o->w.t1 = b.t1;
        o->w.actors = o->actors;
        o->w.nactors = b.na;
        o->w.leaders = o->leaders;
        o->w.nleaders = sc->nleaders;
        o->w.nstates = 0; /* Σ seats: the listed states and ROW's */
    }
    if (!st) st = ol_model_world_check(&b.out->w, err);
    facts_free(&b.f);
    if (st) {
        ol_simulate_world_free(b.out);
        return st;
    }
    *out = b.out;
    return OL_OK;
}
