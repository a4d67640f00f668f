/* The outputs of a simulation: tidy CSV tables, the JSON summary, the
 * scenario echoed, the runs row and its events in the store, and the data of
 * the two figures (see include/orderlab/simout.h). */
#include "orderlab/simout.h"

#include "orderlab/orderlab.h"

#include "util/text.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------ tables */

static const char *const TABLE_FILE[OL_SIMOUT_TABLE_COUNT] = {"actor_year.csv", "institution_year.csv",
                                                              "actions.csv", "metrics.csv"};
static const char *const TABLE_HEADER[OL_SIMOUT_TABLE_COUNT] = {
    "run,year,actor,role,power,share,alignment,outside_option,benefits,costs,escalation_loss\n",
    "run,year,institution,status,member,members,w_H,w_C,nu,G,C,c_H,F,R,X,Y,Z,Rep,S,"
    "U_stay,U_threaten,U_exit,U_rejoin,p_concede,action,failure\n",
    "run,year,institution,action,actor,counterpart,rival,means,effect,probability\n",
    "run,year,ratio,sigma,Y,X,E_star,PC_over_E_star,PG,HM,L,LS,failures,leader\n"};

/* Status names of an institution-year, from the hegemon's side. */
enum { ST_INACTIVE, ST_NOT_MEMBER, ST_MEMBER, ST_EXITED, ST_COUNT };
static const char *const STATUS_NAME[ST_COUNT] = {"inactive", "not_member", "member", "exited"};

const char *ol_simout_table_file(ol_simout_table t)
{
    return (unsigned)t < OL_SIMOUT_TABLE_COUNT ? TABLE_FILE[t] : NULL;
}



static void put_num(FILE *f, double x)
{
    char b[40];
    ol_fmt_double(b, sizeof b, x);
    fputc(',', f);
    fputs(b, f);
}

static void put_int(FILE *f, long long v) { fprintf(f, ",%lld", v); }

static const char *actor_code(const ol_model_world *w, int32_t i)
{
    return i >= 0 && (size_t)i < w->nactors ? w->actors[i].code : "";
}

static ol_status check_shape(const ol_model_world *w, const ol_model_result *r, ol_error *err)
{
    if (!w || !r) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no world or no result");
    if (r->nactors != w->nactors || r->ninst != w->ninst || r->t0 != w->t0 || r->t1 != w->t1 ||
        r->nyears != (size_t)(w->t1 - w->t0 + 1))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL,
                            "the result (%zu actors, %zu institutions, %d-%d) is not of the world's shape "
                            "(%zu, %zu, %d-%d)",
                            r->nactors, r->ninst, r->t0, r->t1, w->nactors, w->ninst, w->t0, w->t1);
    for (size_t e = 0; e < r->nevents; e++)
        if (r->events[e].inst >= w->ninst)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "event %zu names institution %u of %zu", e,
                                r->events[e].inst, w->ninst);
    return OL_OK;
}

static int inst_status(const ol_model_inst_year *x)
{
    if (!x->active) return ST_INACTIVE;
    if (x->member) return ST_MEMBER;
    return x->action == OL_ACT_STAY_OUT || x->action == OL_ACT_REJOIN ? ST_EXITED : ST_NOT_MEMBER;
}

static void failure_text(unsigned flags, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s", flags & OL_FAIL_NONNEUTRAL ? "non_neutrality" : "",
             (flags & OL_FAIL_NONNEUTRAL) && (flags & OL_FAIL_OUTPUT) ? ";" : "",
             flags & OL_FAIL_OUTPUT ? "output" : "");
}

ol_status ol_simout_write_header(ol_simout_table t, FILE *f, ol_error *err)
{
    if ((unsigned)t >= OL_SIMOUT_TABLE_COUNT || !f)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no such table %d or no file", (int)t);
    if (fputs(TABLE_HEADER[t], f) == EOF)
        return ol_error_set(err, OL_EIO, TABLE_FILE[t], 0, 0, NULL, "writing: %s", strerror(errno));
    return OL_OK;
}

ol_status ol_simout_write_rows(ol_simout_table t, FILE *f, size_t run, const ol_model_world *w,
                               const ol_model_result *r, ol_error *err)
{
    if ((unsigned)t >= OL_SIMOUT_TABLE_COUNT || !f)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no such table %d or no file", (int)t);
    ol_status st = check_shape(w, r, err);
    if (st) return st;
    char b[64];
    switch (t) {
    case OL_SIMOUT_ACTOR_YEAR:
        for (size_t i = 0; i < r->nyears * r->nactors; i++) {
            const ol_model_actor_year *a = &r->actor_years[i];
            fprintf(f, "%zu,%d,", run, a->year);
            ol_csv_put(f, actor_code(w, (int32_t)a->actor));
            fputc(',', f);
            fputs(a->actor < w->nactors ? ol_model_role_name(w->actors[a->actor].role) : "", f);
            put_num(f, a->power); put_num(f, a->share); put_num(f, a->alignment); put_num(f, a->outside);
            put_num(f, a->benefit); put_num(f, a->cost); put_num(f, a->loss);
            fputc('\n', f);
        }
        break;
    case OL_SIMOUT_INST_YEAR:
        for (size_t i = 0; i < r->nyears * r->ninst; i++) {
            const ol_model_inst_year *x = &r->inst_years[i];
            fprintf(f, "%zu,%d,", run, x->year);
            ol_csv_put(f, x->inst < w->ninst ? w->inst[x->inst].code : "");
            fprintf(f, ",%s", STATUS_NAME[inst_status(x)]);
            put_int(f, x->member); put_int(f, x->nmembers);
            put_num(f, x->wH); put_num(f, x->wC); put_num(f, x->nu); put_num(f, x->G); put_num(f, x->C);
            put_num(f, x->cH); put_num(f, x->F); put_num(f, x->R); put_num(f, x->X); put_num(f, x->Y);
            put_num(f, x->Z); put_num(f, x->Rep); put_num(f, x->S); put_num(f, x->u_stay);
            put_num(f, x->u_threaten); put_num(f, x->u_exit); put_num(f, x->u_rejoin); put_num(f, x->p_concede);
            fprintf(f, ",%s,", ol_model_action_name(x->action));
            failure_text(x->flags, b, sizeof b);
            fputs(b, f);
            fputc('\n', f);
        }
        break;
    case OL_SIMOUT_ACTIONS:
        for (size_t e = 0; e < r->nevents; e++) {
            const ol_model_event *ev = &r->events[e];
            fprintf(f, "%zu,%d,", run, ev->year);
            ol_csv_put(f, w->inst[ev->inst].code);
            fprintf(f, ",%s,", ol_model_action_name(ev->action));
            ol_csv_put(f, actor_code(w, ev->actor));
            fputc(',', f);
            ol_csv_put(f, actor_code(w, ev->counterpart));
            fputc(',', f);
            ol_csv_put(f, actor_code(w, ev->rival));
            fprintf(f, ",%s,%s", ol_model_means_name(ev->means), ol_model_effect_name(ev->effect));
            put_num(f, ev->probability);
            fputc('\n', f);
        }
        break;
    default: /* OL_SIMOUT_METRICS */
        for (size_t y = 0; y < r->nyears; y++) {
            const ol_model_year *m = &r->years[y];
            fprintf(f, "%zu,%d", run, m->year);
            put_num(f, m->ratio); put_num(f, m->sigma); put_num(f, m->Y); put_num(f, m->X); put_num(f, m->estar);
            put_num(f, m->pc_estar); put_num(f, m->PG); put_num(f, m->HM); put_num(f, m->L); put_num(f, m->LS);
            put_int(f, m->failures);
            fputc(',', f);
            ol_csv_put(f, m->leader >= 0 && (size_t)m->leader < w->nleaders ? w->leaders[m->leader].name : "");
            fputc('\n', f);
        }
        break;
    }
    if (ferror(f)) return ol_error_set(err, OL_EIO, TABLE_FILE[t], 0, 0, NULL, "writing: %s", strerror(errno));
    return OL_OK;
}

/* ------------------------------------------------------------ the writer */

/* Files written besides the tables. */
enum { F_SUMMARY = OL_SIMOUT_TABLE_COUNT, F_SCENARIO, F_COUNT };
static const char *const OTHER_FILE[] = {"summary.json", "scenario.yaml"};

static const char *file_name(int i) { return i < OL_SIMOUT_TABLE_COUNT ? TABLE_FILE[i] : OTHER_FILE[i - F_SUMMARY]; }

/* One event of a detailed run, kept for the store. */
typedef struct kept_event {
    size_t run;
    ol_model_event ev;
} kept_event;

struct ol_simout {
    char *dir;
    const ol_model_world *w;
    ol_simout_meta meta;
    char *name;
    long hegemon;
    FILE *f[OL_SIMOUT_TABLE_COUNT];
    char *tmp[F_COUNT];    /* temporary paths (NULL: not created) */
    unsigned char *added;  /* [runs] */
    size_t nadded;
    /* tallies over all runs: runs in which the action occurred in institution k */
    uint32_t *act_runs;    /* [ninst × OL_ACT_COUNT] */
    uint32_t *final_runs;  /* [ninst × ST_COUNT] */
    int *first_threat, *first_exit; /* [runs], 0 = none */
    /* run 0 */
    ol_model_event *ev0;
    size_t nev0;
    int *final0;           /* [ninst] status at the end */
    /* events of the detailed runs (store) */
    kept_event *kept;
    size_t nkept, kept_cap;
    int finished;
};

static char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* mkdir -p. */
static ol_status make_dir(const char *dir, ol_error *err)
{
    char *p = strdup(dir);
    if (!p) return ol_error_set(err, OL_ENOMEM, dir, 0, 0, NULL, "allocating");
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0') continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            ol_status st = ol_error_set(err, OL_EIO, p, 0, 0, NULL, "cannot create the output directory: %s",
                                        strerror(errno));
            free(p);
            return st;
        }
        *s = c;
        if (!c) break;
    }
    free(p);
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return ol_error_set(err, OL_EIO, dir, 0, 0, NULL, "the output path is not a directory");
    return OL_OK;
}

static void remove_temps(ol_simout *o)
{
    for (int i = 0; i < F_COUNT; i++) {
        if (i < OL_SIMOUT_TABLE_COUNT && o->f[i]) { fclose(o->f[i]); o->f[i] = NULL; }
        if (o->tmp[i]) { remove(o->tmp[i]); free(o->tmp[i]); o->tmp[i] = NULL; }
    }
}

void ol_simout_free(ol_simout *o)
{
    if (!o) return;
    remove_temps(o);
    free(o->dir);
    free(o->name);
    free(o->added);
    free(o->act_runs);
    free(o->final_runs);
    free(o->first_threat);
    free(o->first_exit);
    free(o->ev0);
    free(o->final0);
    free(o->kept);
    free(o);
}

static char *temp_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 8;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/.%s.tmp", dir, name);
    return p;
}

ol_status ol_simout_open(const char *dir, const ol_model_world *w, const ol_simout_meta *meta, ol_simout **out,
                         ol_error *err)
{
    *out = NULL;
    if (!dir || !*dir || !w || !meta || !meta->scenario_name || meta->runs == 0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL,
                            "the outputs need a directory, a world, a scenario name and at least one run");
    long h = -1;
    for (size_t i = 0; i < w->nactors; i++)
        if (w->actors[i].role == OL_ROLE_HEGEMON) h = (long)i;
    ol_status st = make_dir(dir, err);
    if (st) return st;
    ol_simout *o = calloc(1, sizeof *o);
    if (!o) return ol_error_set(err, OL_ENOMEM, dir, 0, 0, NULL, "allocating the outputs");
    o->w = w;
    o->meta = *meta;
    o->hegemon = h;
    o->dir = strdup(dir);
    o->name = strdup(meta->scenario_name);
    o->meta.scenario_name = o->name;
    size_t nk = w->ninst ? w->ninst : 1;
    o->added = calloc(meta->runs, 1);
    o->act_runs = calloc(nk * OL_ACT_COUNT, sizeof *o->act_runs);
    o->final_runs = calloc(nk * ST_COUNT, sizeof *o->final_runs);
    o->first_threat = calloc(meta->runs, sizeof *o->first_threat);
    o->first_exit = calloc(meta->runs, sizeof *o->first_exit);
    o->final0 = calloc(nk, sizeof *o->final0);
    if (!o->dir || !o->name || !o->added || !o->act_runs || !o->final_runs || !o->first_threat ||
        !o->first_exit || !o->final0) {
        ol_simout_free(o);
        return ol_error_set(err, OL_ENOMEM, dir, 0, 0, NULL, "allocating the outputs");
    }
    for (int i = 0; i < F_COUNT; i++) {
        o->tmp[i] = temp_path(dir, file_name(i));
        if (!o->tmp[i]) {
            ol_simout_free(o);
            return ol_error_set(err, OL_ENOMEM, dir, 0, 0, NULL, "allocating the outputs");
        }
    }
    for (int t = 0; t < OL_SIMOUT_TABLE_COUNT; t++) {
        o->f[t] = fopen(o->tmp[t], "wb");
        if (!o->f[t]) {
            st = ol_error_set(err, OL_EIO, o->tmp[t], 0, 0, NULL, "cannot write the output: %s", strerror(errno));
            ol_simout_free(o);
            return st;
        }
        st = ol_simout_write_header((ol_simout_table)t, o->f[t], err);
        if (st) { ol_simout_free(o); return st; }
    }
    *out = o;
    return OL_OK;
}

ol_status ol_simout_add(ol_simout *o, size_t run, const ol_model_result *r, ol_error *err)
{
    if (!o || o->finished) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "the outputs are closed");
    if (run >= o->meta.runs || o->added[run])
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "run", "run %zu is out of range (0..%zu) or added twice",
                            run, o->meta.runs - 1);
    ol_status st = check_shape(o->w, r, err);
    if (st) return st;
    const size_t nk = r->ninst;
    int detail = o->meta.detail_runs == 0 || run < o->meta.detail_runs;
    if (detail) {
        for (int t = 0; t < OL_SIMOUT_TABLE_COUNT; t++) {
            st = ol_simout_write_rows((ol_simout_table)t, o->f[t], run, o->w, r, err);
            if (st) {
                if (err) snprintf(err->file, sizeof err->file, "%s", o->tmp[t]);
                return st;
            }
        }
        if (o->nkept + r->nevents > o->kept_cap) {
            size_t cap = o->kept_cap ? o->kept_cap : 64;
            while (cap < o->nkept + r->nevents) cap *= 2;
            kept_event *k = realloc(o->kept, cap * sizeof *k);
            if (!k) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "keeping the events");
            o->kept = k;
            o->kept_cap = cap;
        }
        for (size_t e = 0; e < r->nevents; e++) o->kept[o->nkept++] = (kept_event){run, r->events[e]};
    }
    if (run == 0) {
        ol_model_event *ev = malloc((r->nevents ? r->nevents : 1) * sizeof *ev);
        if (!ev) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "keeping the events");
        if (r->nevents) memcpy(ev, r->events, r->nevents * sizeof *ev);
        free(o->ev0);
        o->ev0 = ev;
        o->nev0 = r->nevents;
    }
    /* tallies: each action counted once per run and institution */
    unsigned char seen[OL_ACT_COUNT];
    int ft = 0, fe = 0;
    for (size_t e = 0; e < r->nevents; e++) {
        const ol_model_event *ev = &r->events[e];
        if (ev->actor != o->hegemon) continue;
        if (ev->action == OL_ACT_THREATEN && !ft) ft = ev->year;
        if (ev->action == OL_ACT_EXIT && !fe) fe = ev->year;
    }
    o->first_threat[run] = ft;
    o->first_exit[run] = fe;
    for (size_t k = 0; k < nk; k++) {
        memset(seen, 0, sizeof seen);
        for (size_t e = 0; e < r->nevents; e++)
            if (r->events[e].inst == k && (unsigned)r->events[e].action < OL_ACT_COUNT) seen[r->events[e].action] = 1;
        for (int a = 0; a < OL_ACT_COUNT; a++) o->act_runs[k * OL_ACT_COUNT + a] += seen[a];
        const ol_model_inst_year *last = &r->inst_years[(r->nyears - 1) * nk + k];
        int s = inst_status(last);
        /* the status after the last year's choice */
        if (s == ST_MEMBER && last->action == OL_ACT_EXIT) s = ST_EXITED;
        if (s == ST_EXITED && last->action == OL_ACT_REJOIN) s = ST_MEMBER;
        o->final_runs[k * ST_COUNT + s]++;
        if (run == 0) o->final0[k] = s;
    }
    o->added[run] = 1;
    o->nadded++;
    return OL_OK;
}

/* ------------------------------------------------------------ summary */

/* Outcome of institution k in run 0 (see ol_simout_facts). */
typedef struct outcome {
    int threatened, renegotiated, exited, kept;
} outcome;

static outcome outcome_of(const ol_simout *o, size_t k)
{
    outcome c = {0, 0, 0, 0};
    int any_exit = 0;
    for (size_t e = 0; e < o->nev0; e++) {
        const ol_model_event *ev = &o->ev0[e];
        if (ev->inst != k || ev->actor != o->hegemon) continue;
        if (ev->action == OL_ACT_THREATEN) c.threatened = 1;
        if (ev->action == OL_ACT_RENEGOTIATE) c.renegotiated = 1;
        if (ev->action == OL_ACT_EXIT) any_exit = 1;
    }
    c.exited = o->final0[k] == ST_EXITED;
    c.kept = o->final0[k] == ST_MEMBER && !c.threatened && !any_exit;
    return c;
}

static void append_code(char *buf, size_t size, const char *code)
{
    if (!buf || !size) return;
    size_t n = strlen(buf);
    snprintf(buf + n, size - n, "%s%s", n ? ", " : "", code);
}

void ol_simout_facts_get(const ol_simout *o, ol_simout_facts *facts, char *exited, char *threatened,
                         char *renegotiated, char *kept, size_t size)
{
    memset(facts, 0, sizeof *facts);
    char *bufs[4] = {exited, threatened, renegotiated, kept};
    for (int i = 0; i < 4; i++) if (bufs[i] && size) bufs[i][0] = '\0';
    if (!o || !o->nadded || !o->added[0]) return;
    facts->first_threat = o->first_threat[0];
    facts->first_exit = o->first_exit[0];
    for (size_t k = 0; k < o->w->ninst; k++) {
        outcome c = outcome_of(o, k);
        const char *code = o->w->inst[k].code;
        if (c.exited) { facts->nexited++; append_code(exited, size, code); }
        if (c.threatened) { facts->nthreatened++; append_code(threatened, size, code); }
        if (c.renegotiated) { facts->nrenegotiated++; append_code(renegotiated, size, code); }
        if (c.kept) { facts->nkept++; append_code(kept, size, code); }
    }
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Share of runs with the year set, and the median, min and max of it. */
static cJSON *year_stats(const int *years, size_t runs)
{
    cJSON *o = cJSON_CreateObject();
    int *v = malloc((runs ? runs : 1) * sizeof *v);
    if (!o || !v) { free(v); cJSON_Delete(o); return NULL; }
    size_t n = 0;
    for (size_t i = 0; i < runs; i++) if (years[i]) v[n++] = years[i];
    qsort(v, n, sizeof *v, cmp_int);
    cJSON_AddNumberToObject(o, "share_of_runs", runs ? (double)n / (double)runs : 0.0);
    if (n) {
        double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
        cJSON_AddNumberToObject(o, "median", med);
        cJSON_AddNumberToObject(o, "min", v[0]);
        cJSON_AddNumberToObject(o, "max", v[n - 1]);
    } else {
        cJSON_AddNullToObject(o, "median");
        cJSON_AddNullToObject(o, "min");
        cJSON_AddNullToObject(o, "max");
    }
    free(v);
    return o;
}

static void add_year(cJSON *o, const char *key, int year)
{
    if (year) cJSON_AddNumberToObject(o, key, year);
    else cJSON_AddNullToObject(o, key);
}

static cJSON *code_array(const ol_simout *o, int which)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t k = 0; a && k < o->w->ninst; k++) {
        outcome c = outcome_of(o, k);
        int in = which == 0 ? c.exited : which == 1 ? c.threatened : which == 2 ? c.renegotiated : c.kept;
        if (in) cJSON_AddItemToArray(a, cJSON_CreateString(o->w->inst[k].code));
    }
    return a;
}

static cJSON *summary(const ol_simout *o)
{
    const ol_model_world *w = o->w;
    char hex[17];
    ol_scenario_hash_hex(o->meta.scenario_hash, hex);
    cJSON *j = cJSON_CreateObject();
    if (!j) return NULL;
    cJSON_AddStringToObject(j, "program", "orderlab simulate");
    cJSON_AddStringToObject(j, "version", ol_version());
    cJSON *sc = cJSON_AddObjectToObject(j, "scenario");
    cJSON_AddStringToObject(sc, "name", o->meta.scenario_name);
    cJSON_AddStringToObject(sc, "hash", hex);
    cJSON_AddNumberToObject(j, "seed", (double)o->meta.seed);
    cJSON_AddNumberToObject(j, "runs", (double)o->meta.runs);
    cJSON_AddBoolToObject(j, "stochastic", o->meta.stochastic != 0);
    cJSON_AddNumberToObject(j, "detail_runs",
                            (double)(o->meta.detail_runs && o->meta.detail_runs < o->meta.runs ? o->meta.detail_runs
                                                                                               : o->meta.runs));
    cJSON *yr = cJSON_AddObjectToObject(j, "years");
    cJSON_AddNumberToObject(yr, "start", w->t0);
    cJSON_AddNumberToObject(yr, "end", w->t1);
    cJSON_AddStringToObject(j, "hegemon", o->hegemon >= 0 ? w->actors[o->hegemon].code : "");
    /* run 0 */
    add_year(j, "first_threat_year", o->first_threat[0]);
    add_year(j, "first_exit_year", o->first_exit[0]);
    cJSON *oc = cJSON_AddObjectToObject(j, "outcomes");
    static const char *const OUT_KEY[4] = {"exited", "threatened", "renegotiated", "kept"};
    for (int i = 0; i < 4; i++) cJSON_AddItemToObject(oc, OUT_KEY[i], code_array(o, i));
    int mc = o->meta.runs > 1;
    if (mc) {
        cJSON *m = cJSON_AddObjectToObject(j, "monte_carlo");
        cJSON_AddItemToObject(m, "first_threat_year", year_stats(o->first_threat, o->meta.runs));
        cJSON_AddItemToObject(m, "first_exit_year", year_stats(o->first_exit, o->meta.runs));
    }
    cJSON *insts = cJSON_AddArrayToObject(j, "institutions");
    for (size_t k = 0; k < w->ninst; k++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddItemToArray(insts, x);
        cJSON_AddStringToObject(x, "code", w->inst[k].code);
        cJSON_AddStringToObject(x, "final_status", STATUS_NAME[o->final0[k]]);
        cJSON *acts = cJSON_AddArrayToObject(x, "actions");
        for (size_t e = 0; e < o->nev0; e++) {
            const ol_model_event *ev = &o->ev0[e];
            if (ev->inst != k) continue;
            cJSON *a = cJSON_CreateObject();
            cJSON_AddItemToArray(acts, a);
            cJSON_AddNumberToObject(a, "year", ev->year);
            cJSON_AddStringToObject(a, "action", ol_model_action_name(ev->action));
            cJSON_AddStringToObject(a, "actor", actor_code(w, ev->actor));
            if (ev->counterpart >= 0) cJSON_AddStringToObject(a, "counterpart", actor_code(w, ev->counterpart));
            cJSON_AddStringToObject(a, "means", ol_model_means_name(ev->means));
            cJSON_AddStringToObject(a, "effect", ol_model_effect_name(ev->effect));
            cJSON_AddNumberToObject(a, "probability", ev->probability);
        }
        if (mc) {
            cJSON *sh = cJSON_AddObjectToObject(x, "share_of_runs");
            for (int a = OL_ACT_THREATEN; a < OL_ACT_COUNT; a++) {
                if (a == OL_ACT_STAY_OUT) continue; /* a state, not an event */
                cJSON_AddNumberToObject(sh, ol_model_action_name((ol_model_action)a),
                                        (double)o->act_runs[k * OL_ACT_COUNT + a] / (double)o->meta.runs);
            }
            cJSON *fs = cJSON_AddObjectToObject(x, "final_status_share");
            for (int s = 0; s < ST_COUNT; s++)
                cJSON_AddNumberToObject(fs, STATUS_NAME[s], (double)o->final_runs[k * ST_COUNT + s] / (double)o->meta.runs);
        }
    }
    return j;
}

char *ol_simout_summary_json(const ol_simout *o)
{
    if (!o || !o->nadded || !o->added[0]) return NULL;
    cJSON *j = summary(o);
    char *text = j ? cJSON_Print(j) : NULL;
    cJSON_Delete(j);
    return text;
}

/* The parameters of the run for the runs row: the run options and the
 * scenario's scalar parameters by their keys. */
static char *params_json(const ol_simout *o, const ol_scenario *sc)
{
    cJSON *j = cJSON_CreateObject();
    if (!j) return NULL;
    cJSON_AddStringToObject(j, "scenario_name", o->meta.scenario_name);
    cJSON_AddNumberToObject(j, "runs", (double)o->meta.runs);
    cJSON_AddBoolToObject(j, "stochastic", o->meta.stochastic != 0);
    cJSON_AddNumberToObject(j, "detail_runs", (double)o->meta.detail_runs);
    cJSON_AddStringToObject(j, "out", o->dir);
    if (sc) {
        cJSON *p = cJSON_AddObjectToObject(j, "parameters");
        const ol_scenario_table *t = &ol_scenario_tables()[OL_TABLE_PARAMS];
        for (size_t i = 0; i < t->nfields; i++) {
            const ol_scenario_field *f = &t->fields[i];
            const char *base = (const char *)&sc->params + f->offset;
            char term[128];
            switch (f->type) {
            case OL_FIELD_REAL: {
                double v;
                memcpy(&v, base, sizeof v);
                if (isfinite(v)) cJSON_AddNumberToObject(p, f->key, v);
                else cJSON_AddNullToObject(p, f->key);
                break;
            }
            case OL_FIELD_INT: {
                int64_t v;
                memcpy(&v, base, sizeof v);
                cJSON_AddNumberToObject(p, f->key, (double)v);
                break;
            }
            case OL_FIELD_TEXT: cJSON_AddStringToObject(p, f->key, base); break;
            case OL_FIELD_ENUM:
            case OL_FIELD_BOOL: {
                int v;
                memcpy(&v, base, sizeof v);
                if (f->type == OL_FIELD_BOOL) cJSON_AddBoolToObject(p, f->key, v);
                else cJSON_AddStringToObject(p, f->key, ol_scenario_term(f, v, term, sizeof term) ? term : "");
                break;
            }
            default: break;
            }
        }
    }
    char *text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return text;
}

static ol_status close_file(FILE **f, const char *path, ol_error *err)
{
    int bad = ferror(*f);
    if (fclose(*f) != 0) bad = 1;
    *f = NULL;
    if (bad) return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "writing the output failed: %s", strerror(errno));
    return OL_OK;
}

static ol_status write_text_file(const char *path, const char *text, ol_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f) return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot write the output: %s", strerror(errno));
    fputs(text, f);
    fputc('\n', f);
    return close_file(&f, path, err);
}

static ol_status store_run(ol_simout *o, const ol_scenario *sc, ol_store *store, int64_t *run_id, ol_error *err)
{
    sqlite3 *db = ol_store_db(store);
    char hex[17];
    ol_scenario_hash_hex(o->meta.scenario_hash, hex);
    char *params = params_json(o, sc);
    if (!params) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "writing the run's parameters");
    sqlite3_stmt *q = NULL;
    ol_status st = OL_OK;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO runs(kind, finished_at, status, scenario, seed, params, program_version, note) "
                           "VALUES ('simulate', strftime('%Y-%m-%dT%H:%M:%SZ','now'), 'ok', ?1, ?2, ?3, ?4, ?5)",
                           -1, &q, NULL) != SQLITE_OK) {
        free(params);
        return ol_store_fail(store, err, "recording the run");
    }
    sqlite3_bind_text(q, 1, hex, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)o->meta.seed);
    sqlite3_bind_text(q, 3, params, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, ol_version(), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, o->meta.scenario_name, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE) st = ol_store_fail(store, err, "recording the run");
    sqlite3_finalize(q);
    free(params);
    if (st) return st;
    int64_t id = sqlite3_last_insert_rowid(db);
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO run_events(run_id, run, seq, year, institution, action, actor, counterpart, "
                           "rival, means, effect, probability) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
                           -1, &q, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "recording the run's events");
    size_t seq = 0, prev = (size_t)-1;
    for (size_t i = 0; i < o->nkept && !st; i++) {
        const kept_event *k = &o->kept[i];
        const ol_model_event *ev = &k->ev;
        seq = k->run == prev ? seq + 1 : 0;
        prev = k->run;
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)k->run);
        sqlite3_bind_int64(q, 3, (sqlite3_int64)seq);
        sqlite3_bind_int(q, 4, ev->year);
        sqlite3_bind_text(q, 5, o->w->inst[ev->inst].code, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 6, ol_model_action_name(ev->action), -1, SQLITE_STATIC);
        const char *codes[3] = {actor_code(o->w, ev->actor), actor_code(o->w, ev->counterpart),
                                actor_code(o->w, ev->rival)};
        for (int c = 0; c < 3; c++)
            if (*codes[c]) sqlite3_bind_text(q, 7 + c, codes[c], -1, SQLITE_STATIC);
            else sqlite3_bind_null(q, 7 + c);
        sqlite3_bind_text(q, 10, ol_model_means_name(ev->means), -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 11, ol_model_effect_name(ev->effect), -1, SQLITE_STATIC);
        sqlite3_bind_double(q, 12, ev->probability);
        if (sqlite3_step(q) != SQLITE_DONE) st = ol_store_fail(store, err, "recording the run's events");
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    if (!st && run_id) *run_id = id;
    return st;
}

ol_status ol_simout_finish(ol_simout *o, const ol_scenario *sc, ol_store *store, int64_t *run_id, ol_error *err)
{
    if (run_id) *run_id = 0;
    if (!o || o->finished) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "the outputs are closed");
    if (o->nadded != o->meta.runs)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "runs", "%zu of %zu runs were added", o->nadded,
                            o->meta.runs);
    o->finished = 1;
    ol_status st = OL_OK;
    for (int t = 0; t < OL_SIMOUT_TABLE_COUNT && !st; t++) st = close_file(&o->f[t], o->tmp[t], err);
    char *text = st ? NULL : ol_simout_summary_json(o);
    if (!st && !text) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "writing the summary");
    if (!st) st = write_text_file(o->tmp[F_SUMMARY], text, err);
    free(text);
    if (!st && sc) {
        FILE *f = fopen(o->tmp[F_SCENARIO], "wb");
        if (!f) st = ol_error_set(err, OL_EIO, o->tmp[F_SCENARIO], 0, 0, NULL, "cannot write: %s", strerror(errno));
        else {
            st = ol_scenario_write_yaml(sc, f, err);
            ol_status cst = close_file(&f, o->tmp[F_SCENARIO], err);
            if (!st) st = cst;
        }
    }
    if (!sc && o->tmp[F_SCENARIO]) { free(o->tmp[F_SCENARIO]); o->tmp[F_SCENARIO] = NULL; }
    if (!st && store) {
        st = ol_store_begin(store, err);
        if (!st) {
            st = store_run(o, sc, store, run_id, err);
            if (st) ol_store_rollback(store);
        }
    }
    /* the files appear together, inside the transaction: a failed commit
     * leaves them (the run happened) but never a recorded run without them */
    for (int i = 0; i < F_COUNT && !st; i++) {
        if (!o->tmp[i]) continue;
        char *final = path_join(o->dir, file_name(i));
        if (!final) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating");
        else if (rename(o->tmp[i], final) != 0)
            st = ol_error_set(err, OL_EIO, final, 0, 0, NULL, "cannot move the output into place: %s", strerror(errno));
        else { free(o->tmp[i]); o->tmp[i] = NULL; }
        free(final);
    }
    if (store && ol_store_in_transaction(store)) {
        if (st) ol_store_rollback(store);
        else st = ol_store_commit(store, err);
    }
    if (st) {
        if (run_id) *run_id = 0;
        remove_temps(o);
    }
    return st;
}

/* ------------------------------------------------------------ figures */

/* The actions marked on the ratio figure, their legend, shape and colour. */
static const struct {
    ol_model_action action;
    const char *label;
    ol_plot_shape shape;
    int color;
    int labelled; /* a threat's outcome carries the institution's name */
} MARK_KIND[] = {
    {OL_ACT_THREATEN, "Threat", OL_PLOT_DIAMOND, 5, 0},
    {OL_ACT_RENEGOTIATE, "Threat conceded: renegotiation", OL_PLOT_CIRCLE, 4, 1},
    {OL_ACT_ESCALATE, "Threat refused: escalation", OL_PLOT_SQUARE, 8, 1},
    {OL_ACT_EXIT, "Exit", OL_PLOT_TRIANGLE_DOWN, 3, 1},
    {OL_ACT_REJOIN, "Rejoin", OL_PLOT_TRIANGLE, 6, 1},
};
enum { NMARK_KINDS = sizeof MARK_KIND / sizeof MARK_KIND[0] };

/* Categories of the action map: the status or action of the hegemon in
 * each institution-year. */
enum { CAT_INACTIVE, CAT_NOT_MEMBER, CAT_STAY, CAT_THREAT_RENEG, CAT_THREAT_ESC, CAT_EXIT, CAT_OUT, CAT_REJOIN,
       CAT_COUNT };
static const ol_plot_category CATEGORY[CAT_COUNT] = {
    {"Institution not in force", 0xF2F2F2}, {"Hegemon not a member", 0xC7C7C7},
    {"Member, stays", 0xBFD7EA},          {"Threat conceded: renegotiated", 0x2CA02C},
    {"Threat refused: escalation", 0xFF7F0E}, {"Exit", 0xD62728},
    {"Out (after an exit)", 0xF4B6B6},     {"Rejoin", 0x9467BD},
};

static int cell_category(const ol_model_inst_year *x)
{
    if (!x->active) return CAT_INACTIVE;
    switch (x->action) {
    case OL_ACT_RENEGOTIATE: return CAT_THREAT_RENEG;
    case OL_ACT_ESCALATE: return CAT_THREAT_ESC;
    case OL_ACT_EXIT: return CAT_EXIT;
    case OL_ACT_STAY_OUT: return CAT_OUT;
    case OL_ACT_REJOIN: return CAT_REJOIN;
    case OL_ACT_STAY: return CAT_STAY;
    default: return x->member ? CAT_STAY : CAT_NOT_MEMBER;
    }
}

ol_status ol_simout_figures(const char *dir, const ol_model_world *w, const ol_model_result *r,
                            const ol_simout_meta *meta, unsigned formats, ol_error *err)
{
    if (!dir || !meta || !meta->scenario_name)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "the figures need a directory and the run's metadata");
    ol_status st = check_shape(w, r, err);
    if (st) return st;
    long h = -1, c = -1;
    for (size_t i = 0; i < w->nactors; i++) {
        if (w->actors[i].role == OL_ROLE_HEGEMON) h = (long)i;
        if (w->actors[i].role == OL_ROLE_CHALLENGER) c = (long)i;
    }
    if (h < 0 || c < 0) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "the world has no hegemon or challenger");
    const size_t ny = r->nyears, nk = r->ninst;
    int *years = malloc(ny * sizeof *years);
    double *ratio = malloc(ny * sizeof *ratio);
    size_t nev = r->nevents ? r->nevents : 1;
    int *myears = malloc(nev * sizeof *myears);
    double *mvals = malloc(nev * sizeof *mvals);
    const char **mlabels = malloc(nev * sizeof *mlabels);
    ol_plot_band *bands = malloc((w->nleaders ? w->nleaders : 1) * sizeof *bands);
    int *cells = malloc((ny * nk > 0 ? ny * nk : 1) * sizeof *cells);
    const char **rows = malloc((nk ? nk : 1) * sizeof *rows);
    char *path = malloc(strlen(dir) + 64);
    if (!years || !ratio || !myears || !mvals || !mlabels || !bands || !cells || !rows || !path) {
        st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating the figures' data");
        goto done;
    }
    for (size_t y = 0; y < ny; y++) {
        years[y] = r->years[y].year;
        ratio[y] = r->years[y].ratio;
    }
    /* marks grouped by kind, each at the ratio of its year */
    ol_plot_markset sets[NMARK_KINDS];
    size_t nsets = 0, m = 0;
    for (size_t kind = 0; kind < NMARK_KINDS; kind++) {
        size_t start = m;
        for (size_t e = 0; e < r->nevents; e++) {
            const ol_model_event *ev = &r->events[e];
            if (ev->action != MARK_KIND[kind].action || ev->actor != h) continue;
            myears[m] = ev->year;
            mvals[m] = r->years[ev->year - r->t0].ratio;
            mlabels[m] = MARK_KIND[kind].labelled ? w->inst[ev->inst].code : NULL;
            m++;
        }
        if (m > start)
            sets[nsets++] = (ol_plot_markset){MARK_KIND[kind].label, MARK_KIND[kind].shape, MARK_KIND[kind].color,
                                              m - start, myears + start, mvals + start, mlabels + start};
    }
    size_t nb = 0;
    for (size_t i = 0; i < w->nleaders; i++) {
        int from = w->leaders[i].from < w->t0 ? w->t0 : w->leaders[i].from;
        int to = i + 1 < w->nleaders ? w->leaders[i + 1].from - 1 : w->t1;
        if (to > w->t1) to = w->t1;
        if (from > to) continue;
        bands[nb++] = (ol_plot_band){from, to, w->leaders[i].name};
    }
    char hex[17], title[256], ylabel[128], series[128], note[512];
    ol_scenario_hash_hex(meta->scenario_hash, hex);
    snprintf(note, sizeof note, "Scenario '%s' (hash %s), seed %llu, %s, run 0 of %zu; orderlab %s",
             meta->scenario_name, hex, (unsigned long long)meta->seed,
             meta->stochastic ? "stochastic (logit)" : "deterministic (argmax)", meta->runs, ol_version());
    snprintf(title, sizeof title, "Power ratio of %s to %s and the hegemon's actions, %d-%d", w->actors[c].code,
             w->actors[h].code, w->t0, w->t1);
    snprintf(ylabel, sizeof ylabel, "P_C / P_H (power ratio, %s / %s)", w->actors[c].code, w->actors[h].code);
    snprintf(series, sizeof series, "%s / %s", w->actors[c].code, w->actors[h].code);
    char taulabel[96];
    snprintf(taulabel, sizeof taulabel, "Threshold tau = %.3f", meta->tau);
    ol_plot_series line = {series, years, ratio, ny, OL_PLOT_SOLID, 2};
    ol_plot_ratio_data rd = {.title = title, .x_label = "Year", .y_label = ylabel, .series = &line, .nseries = 1,
                             .threshold = meta->tau > 0 ? meta->tau : 0, .threshold_label = taulabel,
                             .bands = bands, .nbands = nb, .bands_label = "Leader profiles (shaded, named at the top)",
                             .marks = sets, .nmarks = nsets, .note = note};
    for (size_t k = 0; k < nk; k++) {
        rows[k] = w->inst[k].code;
        for (size_t y = 0; y < ny; y++) cells[k * ny + y] = cell_category(&r->inst_years[y * nk + k]);
    }
    char gtitle[256];
    snprintf(gtitle, sizeof gtitle, "The hegemon (%s) in each institution, %d-%d", w->actors[h].code, w->t0, w->t1);
    ol_plot_grid_data gd = {.title = gtitle, .x_label = "Year", .y_label = "Institution", .nrows = nk,
                            .row_labels = rows, .year0 = r->t0, .ncols = ny, .cells = cells,
                            .categories = CATEGORY, .ncategories = CAT_COUNT, .note = note};
    for (int f = 0; f < OL_PLOT_FORMAT_COUNT && !st; f++) {
        if (!(formats & (1u << f))) continue;
        sprintf(path, "%s/%s.%s", dir, OL_SIMOUT_FIG_RATIO, ol_plot_format_ext((ol_plot_format)f));
        st = ol_plot_ratio_figure(&rd, path, (ol_plot_format)f, err);
        if (st) break;
        if (nk == 0) continue;
        sprintf(path, "%s/%s.%s", dir, OL_SIMOUT_FIG_MAP, ol_plot_format_ext((ol_plot_format)f));
        st = ol_plot_grid_figure(&gd, path, (ol_plot_format)f, err);
    }
done:
    free(years); free(ratio); free(myears); free(mvals); free(mlabels); free(bands); free(cells); free(rows);
    free(path);
    return st;
}
