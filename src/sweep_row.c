/* One run of a sweep: the worker that applies a point and runs the model,
 * the run's summary row (runs.csv), and helpers shared by the engine. */
#include "sweep_internal.h"
#include "util/fnv.h"

#include "util/text.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------ helpers */

char *sw_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p) return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

uint64_t sw_fnv(uint64_t h, const void *p, size_t n)
{
    return ol_fnv1a_bytes(h, p, n);
}

char *sw_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    while (b) {
        n += fread(b + n, 1, cap - n - 1, f);
        if (ferror(f)) {
            free(b);
            b = NULL;
            break;
        }
        if (n < cap - 1) break;
        char *nb = realloc(b, cap * 2);
        if (!nb) {
            free(b);
            b = NULL;
            errno = ENOMEM;
            break;
        }
        b = nb;
        cap *= 2;
    }
    fclose(f);
    if (!b) return NULL;
    b[n] = '\0';
    if (len) *len = n;
    return b;
}

ol_status sw_write_atomic(const char *path, const char *text, size_t len, ol_error *err)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 5);
    if (!tmp) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp", 5);
    FILE *f = fopen(tmp, "wb");
    ol_status st = OL_OK;
    if (!f) st = ol_error_set(err, OL_EIO, tmp, 0, 0, NULL, "cannot write: %s", strerror(errno));
    else {
        int bad = fwrite(text, 1, len, f) != len;
        if (fclose(f) != 0) bad = 1;
        if (bad) st = ol_error_set(err, OL_EIO, tmp, 0, 0, NULL, "writing failed: %s", strerror(errno));
        else if (rename(tmp, path) != 0)
            st = ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot move into place: %s", strerror(errno));
        if (st) remove(tmp);
    }
    free(tmp);
    return st;
}

uint64_t ol_sweep_world_hash(const ol_model_world *w)
{
    if (!w) return 0;
    uint64_t h = SW_FNV_INIT;
    int32_t head[3] = {w->t0, w->t1, (int32_t)w->nstates};
    h = sw_fnv(h, head, sizeof head);
    for (size_t i = 0; i < w->nactors; i++) {
        const ol_model_actor *a = &w->actors[i];
        h = sw_fnv(h, a->code, strlen(a->code) + 1);
        uint32_t rs[2] = {(uint32_t)a->role, a->seats};
        h = sw_fnv(h, rs, sizeof rs);
        h = sw_fnv(h, a->power, a->npower * sizeof *a->power);
        if (a->surplus) h = sw_fnv(h, a->surplus, a->nsurplus * sizeof *a->surplus);
        double v[4] = {a->growth, a->dependence, a->outside, a->alignment};
        h = sw_fnv(h, v, sizeof v);
    }
    for (size_t k = 0; k < w->ninst; k++) {
        const ol_model_institution *in = &w->inst[k];
        h = sw_fnv(h, in->code, strlen(in->code) + 1);
        int32_t iv[11] = {(int32_t)in->domain, in->market_access, (int32_t)in->form, (int32_t)in->level,
                          (int32_t)in->rule, (int32_t)in->council, in->founded, in->dissolved, in->jurisdiction,
                          in->censure, in->verification};
        h = sw_fnv(h, iv, sizeof iv);
        double dv[2] = {in->quota, in->budget};
        h = sw_fnv(h, dv, sizeof dv);
        for (size_t m = 0; m < in->nmembers; m++) {
            const ol_model_member *mb = &in->members[m];
            int64_t mi[5] = {(int64_t)mb->actor, mb->from, mb->to, mb->seats, mb->veto};
            double md[2] = {mb->votes, mb->cost_share};
            h = sw_fnv(h, mi, sizeof mi);
            h = sw_fnv(h, md, sizeof md);
        }
    }
    for (size_t l = 0; l < w->nleaders; l++) {
        const ol_model_leader *L = &w->leaders[l];
        h = sw_fnv(h, L->name, strlen(L->name) + 1);
        double lv[3] = {(double)L->from, L->temperament, L->omega};
        h = sw_fnv(h, lv, sizeof lv);
    }
    return h;
}

/* ------------------------------------------------------------ the summary */

void ol_sweep_summarise(const ol_model_world *w, const ol_model_result *r, double tau, const ol_sweep_options *o,
                        ol_sweep_row *row)
{
    uint64_t run = row->run;
    memset(row, 0, sizeof *row);
    row->run = run;
    row->ok = 1;
    ol_sweep_options def;
    if (!o) {
        ol_sweep_options_default(&def);
        o = &def;
    }
    int32_t h = -1;
    for (size_t i = 0; i < w->nactors; i++)
        if (w->actors[i].role == OL_ROLE_HEGEMON) h = (int32_t)i;
    for (size_t e = 0; e < r->nevents; e++) {
        const ol_model_event *ev = &r->events[e];
        if (ev->actor != h) continue; /* the emerging powers' reform calls and new bodies */
        switch (ev->action) {
        case OL_ACT_THREATEN:
            row->threats++;
            if (!row->first_threat_year) row->first_threat_year = ev->year;
            break;
        case OL_ACT_EXIT: {
            row->exits++;
            if (!row->first_exit_year) row->first_exit_year = ev->year;
            if (ev->effect >= OL_EFFECT_SPILLOVER && ev->effect <= OL_EFFECT_CONSTRAINT)
                row->exits_effect[ev->effect - OL_EFFECT_SPILLOVER]++;
            if (ev->inst < w->ninst && (unsigned)w->inst[ev->inst].level < OL_LEVEL_COUNT)
                row->exits_level[w->inst[ev->inst].level]++;
            /* a wave: min_exits exits in the window of years ending with this one
             * (events come in order of occurrence, so years never decrease) */
            if (!row->exit_wave) {
                uint32_t n = 0;
                for (size_t f = 0; f <= e; f++) {
                    const ol_model_event *x = &r->events[f];
                    if (x->action == OL_ACT_EXIT && x->actor == h && x->year > ev->year - (int)o->wave_window) n++;
                }
                if (n >= o->wave_min_exits) {
                    row->exit_wave = 1;
                    row->wave_year = ev->year;
                }
            }
            break;
        }
        case OL_ACT_RENEGOTIATE: row->renegotiations++; break;
        case OL_ACT_ESCALATE: row->escalations++; break;
        case OL_ACT_REJOIN: row->rejoins++; break;
        default: break;
        }
    }
    for (size_t y = 0; y < r->nyears; y++)
        if (r->years[y].ratio >= tau) {
            row->crossing_year = r->years[y].year;
            break;
        }
    if (r->nyears) {
        const ol_model_year *last = &r->years[r->nyears - 1];
        row->final_ratio = last->ratio;
        row->PG = last->PG;
        row->L = last->L;
        row->LS = last->LS;
        row->HM = last->HM;
    }
}

/* ------------------------------------------------------------ runs.csv rows */

static const char *const COLS[] = {
    "run", "status", "error", "first_threat_year", "first_exit_year", "threats", "exits", "renegotiations",
    "escalations", "rejoins", "exits_spillover", "exits_consumption", "exits_constraint", "exits_global",
    "exits_allies", "exits_competitor", "crossing_year", "final_ratio", "exit_wave", "wave_year", "PG", "L", "LS",
    "HM"};
enum { NCOLS = sizeof COLS / sizeof COLS[0] };

const char *ol_sweep_row_header(void)
{
    return "run,status,error,first_threat_year,first_exit_year,threats,exits,renegotiations,escalations,rejoins,"
           "exits_spillover,exits_consumption,exits_constraint,exits_global,exits_allies,exits_competitor,"
           "crossing_year,final_ratio,exit_wave,wave_year,PG,L,LS,HM\n";
}

typedef struct linebuf {
    char *b;
    size_t size, n; /* n may pass size: the length wanted */
} linebuf;

static void put(linebuf *l, const char *s)
{
    size_t k = strlen(s);
    if (l->n < l->size) {
        size_t room = l->size - l->n - 1;
        memcpy(l->b + l->n, s, k < room ? k : room);
        l->b[l->n + (k < room ? k : room)] = '\0';
    }
    l->n += k;
}

static void put_year(linebuf *l, int y)
{
    char b[24] = "";
    if (y) snprintf(b, sizeof b, "%d", y);
    put(l, ",");
    put(l, b);
}

static void put_u(linebuf *l, uint64_t v)
{
    char b[24];
    snprintf(b, sizeof b, ",%llu", (unsigned long long)v);
    put(l, b);
}

static void put_d(linebuf *l, double x)
{
    char b[40];
    ol_fmt_double(b, sizeof b, x);
    put(l, ",");
    put(l, b);
}

int ol_sweep_row_format(const ol_sweep_row *row, char *buf, size_t size)
{
    char tmp[1];
    linebuf l = {size ? buf : tmp, size ? size : 1, 0};
    l.b[0] = '\0';
    char b[24];
    snprintf(b, sizeof b, "%llu", (unsigned long long)row->run);
    put(&l, b);
    put(&l, row->ok ? ",ok," : ",failed,");
    if (!row->ok) {
        /* the error on one line, quoted (RFC 4180) */
        char q[2 * OL_SWEEP_ERROR_MAX + 4];
        size_t n = 0;
        q[n++] = '"';
        for (const char *s = row->error; *s && n < sizeof q - 3; s++) {
            char c = *s == '\n' || *s == '\r' ? ' ' : *s;
            if (c == '"') q[n++] = '"';
            q[n++] = c;
        }
        q[n++] = '"';
        q[n] = '\0';
        put(&l, q);
        for (size_t i = 3; i < NCOLS; i++) put(&l, ",");
        put(&l, "\n");
        return (int)l.n;
    }
    put_year(&l, row->first_threat_year);
    put_year(&l, row->first_exit_year);
    put_u(&l, row->threats);
    put_u(&l, row->exits);
    put_u(&l, row->renegotiations);
    put_u(&l, row->escalations);
    put_u(&l, row->rejoins);
    for (int i = 0; i < 3; i++) put_u(&l, row->exits_effect[i]);
    for (int i = 0; i < 3; i++) put_u(&l, row->exits_level[i]);
    put_year(&l, row->crossing_year);
    put_d(&l, row->final_ratio);
    put_u(&l, (uint64_t)row->exit_wave);
    put_year(&l, row->wave_year);
    put_d(&l, row->PG);
    put_d(&l, row->L);
    put_d(&l, row->LS);
    put_d(&l, row->HM);
    put(&l, "\n");
    return (int)l.n;
}

/* Splits one CSV line into at most max fields (in place; quotes removed). */
static size_t split_fields(char *s, char **f, size_t max)
{
    size_t n = 0;
    for (;;) {
        if (n == max) return max + 1;
        if (*s == '"') {
            char *w = ++s;
            f[n++] = w;
            for (;;) {
                if (!*s) return max + 1; /* an unclosed quote */
                if (*s == '"') {
                    if (s[1] == '"') { *w++ = '"'; s += 2; continue; }
                    s++;
                    break;
                }
                *w++ = *s++;
            }
            *w = '\0';
            if (*s == ',') { s++; continue; }
            if (*s == '\0') return n;
            return max + 1;
        }
        f[n++] = s;
        char *c = strchr(s, ',');
        if (!c) return n;
        *c = '\0';
        s = c + 1;
    }
}

static int get_u64(const char *s, uint64_t *v)
{
    if (!*s || *s == '-' || *s == '+' || *s == ' ') return 0;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno || *end) return 0;
    *v = x;
    return 1;
}

static int get_year(const char *s, int *y)
{
    if (!*s) {
        *y = 0;
        return 1;
    }
    uint64_t v;
    if (!get_u64(s, &v) || v > 100000) return 0;
    *y = (int)v;
    return 1;
}

static int get_d(const char *s, double *x)
{
    if (!*s) return 0;
    char *end;
    *x = strtod(s, &end);
    return *end == '\0';
}

ol_status ol_sweep_row_parse(const char *line, ol_sweep_row *row, ol_error *err)
{
    char buf[SW_ROW_MAX];
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
    if (n >= sizeof buf) return ol_error_set(err, OL_EPARSE, NULL, 0, 0, NULL, "a row of %zu characters", n);
    memcpy(buf, line, n);
    buf[n] = '\0';
    char *f[NCOLS];
    size_t nf = split_fields(buf, f, NCOLS);
    if (nf != NCOLS)
        return ol_error_set(err, OL_EPARSE, NULL, 0, 0, NULL, "a row has %zu fields, not %d", nf > NCOLS ? nf - 1 : nf,
                            (int)NCOLS);
    memset(row, 0, sizeof *row);
    size_t bad = NCOLS;
    if (!get_u64(f[0], &row->run)) bad = 0;
    else if (!strcmp(f[1], "ok")) row->ok = 1;
    else if (strcmp(f[1], "failed") != 0) bad = 1;
    if (bad == NCOLS && !row->ok) {
        snprintf(row->error, sizeof row->error, "%s", f[2]);
        return OL_OK;
    }
    uint64_t u[11];
    if (bad == NCOLS && !get_year(f[3], &row->first_threat_year)) bad = 3;
    if (bad == NCOLS && !get_year(f[4], &row->first_exit_year)) bad = 4;
    for (size_t i = 0; i < 11 && bad == NCOLS; i++)
        if (!get_u64(f[5 + i], &u[i]) || u[i] > UINT32_MAX) bad = 5 + i;
    if (bad == NCOLS) {
        row->threats = (uint32_t)u[0];
        row->exits = (uint32_t)u[1];
        row->renegotiations = (uint32_t)u[2];
        row->escalations = (uint32_t)u[3];
        row->rejoins = (uint32_t)u[4];
        for (int i = 0; i < 3; i++) {
            row->exits_effect[i] = (uint32_t)u[5 + i];
            row->exits_level[i] = (uint32_t)u[8 + i];
        }
    }
    uint64_t wave = 0;
    if (bad == NCOLS && !get_year(f[16], &row->crossing_year)) bad = 16;
    if (bad == NCOLS && !get_d(f[17], &row->final_ratio)) bad = 17;
    if (bad == NCOLS && (!get_u64(f[18], &wave) || wave > 1)) bad = 18;
    if (bad == NCOLS && !get_year(f[19], &row->wave_year)) bad = 19;
    double *m[4] = {&row->PG, &row->L, &row->LS, &row->HM};
    for (size_t i = 0; i < 4 && bad == NCOLS; i++)
        if (!get_d(f[20 + i], m[i])) bad = 20 + i;
    if (bad != NCOLS)
        return ol_error_set(err, OL_EPARSE, NULL, 0, (long)bad + 1, COLS[bad], "not a value: '%s'", f[bad]);
    row->exit_wave = (int)wave;
    return OL_OK;
}

/* ------------------------------------------------------------ workers */

struct ol_sweep_worker {
    const ol_sweep_plan *pl;
    ol_model_actor *actors;
    ol_model_leader *leaders;
    ol_model_world w;
    ol_model_params p;
    ol_model_sim *sim;
    ol_model_result *res;
    uint64_t seed;
    int have_result;
};

void ol_sweep_worker_free(ol_sweep_worker *wk)
{
    if (!wk) return;
    ol_model_sim_free(wk->sim);
    ol_model_result_free(wk->res);
    free(wk->actors);
    free(wk->leaders);
    free(wk);
}

ol_status ol_sweep_worker_new(const ol_sweep_plan *pl, ol_sweep_worker **out, ol_error *err)
{
    if (out) *out = NULL;
    if (!pl || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_sweep_worker_new: missing argument");
    ol_sweep_worker *wk = calloc(1, sizeof *wk);
    if (!wk) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    wk->pl = pl;
    const ol_model_world *w = pl->w;
    wk->actors = malloc(w->nactors * sizeof *wk->actors);
    wk->leaders = malloc((w->nleaders ? w->nleaders : 1) * sizeof *wk->leaders);
    if (!wk->actors || !wk->leaders) {
        ol_sweep_worker_free(wk);
        return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    memcpy(wk->actors, w->actors, w->nactors * sizeof *wk->actors);
    if (w->nleaders) memcpy(wk->leaders, w->leaders, w->nleaders * sizeof *wk->leaders);
    wk->w = *w;
    wk->w.actors = wk->actors;
    wk->w.leaders = wk->leaders;
    wk->p = pl->p;
    ol_status st = ol_model_sim_new(&wk->w, &wk->p, &wk->sim, err);
    if (st) {
        ol_sweep_worker_free(wk);
        return st;
    }
    *out = wk;
    return OL_OK;
}

ol_status ol_sweep_worker_run(ol_sweep_worker *wk, uint64_t run, ol_sweep_row *row, ol_error *err)
{
    ol_error e;
    ol_error_clear(&e);
    memset(row, 0, sizeof *row);
    row->run = run;
    ol_status st = OL_OK;
    if (!wk) st = ol_error_set(&e, OL_EINVAL, NULL, 0, 0, NULL, "no worker");
    else if (run >= ol_design_runs(wk->pl->d))
        st = ol_error_set(&e, OL_EINVAL, NULL, 0, 0, "run", "run %llu of a design of %llu runs",
                          (unsigned long long)run, (unsigned long long)ol_design_runs(wk->pl->d));
    if (!st) {
        const ol_sweep_plan *pl = wk->pl;
        const ol_model_world *w = pl->w;
        /* the values as built, then the point */
        memcpy(wk->actors, w->actors, w->nactors * sizeof *wk->actors);
        if (w->nleaders) memcpy(wk->leaders, w->leaders, w->nleaders * sizeof *wk->leaders);
        wk->p = pl->p;
        const double *v = pl->d->points + (size_t)(run / pl->d->replicates) * pl->d->nparams;
        wk->seed = ol_design_seed(pl->d->seed, run);
        wk->have_result = 0;
        st = ol_sweep_plan_apply(pl, v, wk->actors, wk->leaders, &wk->p, &e);
        if (!st) st = ol_model_sim_update(wk->sim, &wk->w, &wk->p, &e);
        if (!st) st = ol_model_sim_run(wk->sim, wk->seed, pl->stochastic, &wk->res, &e);
        if (!st) {
            wk->have_result = 1;
            ol_sweep_summarise(&wk->w, wk->res, wk->p.tau, &pl->opt, row);
        }
    }
    if (st) {
        row->ok = 0;
        ol_error_format(&e, row->error, sizeof row->error);
        if (err) *err = e;
    }
    return st;
}

const ol_model_world *ol_sweep_worker_world(const ol_sweep_worker *wk) { return wk ? &wk->w : NULL; }
const ol_model_params *ol_sweep_worker_params(const ol_sweep_worker *wk) { return wk ? &wk->p : NULL; }
uint64_t ol_sweep_worker_seed(const ol_sweep_worker *wk) { return wk ? wk->seed : 0; }
const ol_model_result *ol_sweep_worker_result(const ol_sweep_worker *wk)
{
    return wk && wk->have_result ? wk->res : NULL;
}
