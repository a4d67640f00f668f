/* The report of a finished sweep, from runs.csv: aggregate.csv (by
 * parameter bins), heatmap.csv, sobol.csv, summary.json and the figures. */
#include "sweep_internal.h"

#include "orderlab/orderlab.h"
#include "orderlab/plot.h"

#include "util/text.h"

#include <cJSON.h>
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ bins */

/* The bins of one parameter: its distinct levels (grid, oat: the levels
 * and, for oat, the baseline), or `bins` equal bins of its range. */
typedef struct pbins {
    size_t n;
    int levelled;
    double *lo, *hi; /* [n]; levelled: lo = hi = the level */
} pbins;

typedef struct acc {
    uint64_t runs, failed, waves, exit_runs;
    double exits, first_exit;
} acc;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static ol_status bins_make(const ol_sweep_plan *pl, size_t j, pbins *b, ol_error *err)
{
    const ol_design_param *dp = &pl->d->params[j];
    memset(b, 0, sizeof *b);
    size_t cap = dp->nlevels ? dp->nlevels + 1 : pl->opt.bins;
    b->lo = calloc(cap, sizeof *b->lo);
    b->hi = calloc(cap, sizeof *b->hi);
    if (!b->lo || !b->hi) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    if (dp->nlevels) {
        b->levelled = 1;
        for (size_t i = 0; i < dp->nlevels; i++) b->lo[b->n++] = dp->levels[i];
        if (pl->d->kind == OL_DESIGN_OAT) b->lo[b->n++] = dp->baseline;
        qsort(b->lo, b->n, sizeof *b->lo, cmp_double);
        size_t u = 0;
        for (size_t i = 0; i < b->n; i++)
            if (u == 0 || b->lo[i] != b->lo[u - 1]) b->lo[u++] = b->lo[i];
        b->n = u;
        memcpy(b->hi, b->lo, u * sizeof *b->hi);
    } else {
        b->n = dp->max > dp->min ? pl->opt.bins : 1;
        for (size_t i = 0; i < b->n; i++) {
            b->lo[i] = dp->min + (dp->max - dp->min) * (double)i / (double)b->n;
            b->hi[i] = i + 1 == b->n ? dp->max : dp->min + (dp->max - dp->min) * (double)(i + 1) / (double)b->n;
        }
    }
    return OL_OK;
}

static void bins_free(pbins *b)
{
    free(b->lo);
    free(b->hi);
}

static size_t bin_of(const pbins *b, double v)
{
    if (b->levelled) {
        size_t best = 0;
        for (size_t i = 1; i < b->n; i++)
            if (fabs(b->lo[i] - v) < fabs(b->lo[best] - v)) best = i;
        return best;
    }
    if (b->n == 1) return 0;
    double lo = b->lo[0], hi = b->hi[b->n - 1];
    double f = (v - lo) / (hi - lo) * (double)b->n;
    if (!(f >= 0)) return 0;
    size_t i = (size_t)f;
    return i >= b->n ? b->n - 1 : i;
}

/* For a one-at-a-time design, a run counts for parameter j only when the
 * others are at their baselines (the runs of the baseline point count for
 * every parameter), so that a bin shows the effect of j alone. */
static int counts_for(const ol_sweep_plan *pl, uint64_t run, size_t j)
{
    if (pl->d->kind != OL_DESIGN_OAT) return 1;
    for (size_t k = 0; k < pl->d->nparams; k++)
        if (k != j && sw_value(pl, run, k) != pl->d->params[k].baseline) return 0;
    return 1;
}

static void acc_add(acc *a, const ol_sweep_row *r)
{
    if (!r->ok) {
        a->failed++;
        return;
    }
    a->runs++;
    a->waves += (uint64_t)r->exit_wave;
    a->exits += r->exits;
    if (r->first_exit_year) {
        a->exit_runs++;
        a->first_exit += r->first_exit_year;
    }
}

/* Wilson score interval of k successes in n at confidence conf. */
static void wilson(uint64_t k, uint64_t n, double conf, double *lo, double *hi)
{
    if (n == 0) {
        *lo = *hi = NAN;
        return;
    }
    double z = gsl_cdf_ugaussian_Pinv(1.0 - (1.0 - conf) / 2.0);
    double p = (double)k / (double)n, nn = (double)n, z2 = z * z;
    double den = 1.0 + z2 / nn;
    double centre = (p + z2 / (2.0 * nn)) / den;
    double half = z / den * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn));
    *lo = centre - half < 0 ? 0 : centre - half;
    *hi = centre + half > 1 ? 1 : centre + half;
}

static void put_num(FILE *f, double x)
{
    char b[40];
    ol_fmt_double(b, sizeof b, x);
    fputc(',', f);
    fputs(b, f);
}


/* The probability, its interval and the means of one accumulator. */
static void put_acc(FILE *f, const acc *a, double conf)
{
    double lo, hi;
    wilson(a->waves, a->runs, conf, &lo, &hi);
    fprintf(f, ",%llu,%llu,%llu", (unsigned long long)a->runs, (unsigned long long)a->failed,
            (unsigned long long)a->waves);
    put_num(f, a->runs ? (double)a->waves / (double)a->runs : NAN);
    put_num(f, lo);
    put_num(f, hi);
    put_num(f, a->runs ? a->exits / (double)a->runs : NAN);
    fprintf(f, ",%llu", (unsigned long long)a->exit_runs);
    put_num(f, a->exit_runs ? a->first_exit / (double)a->exit_runs : NAN);
}

/* ------------------------------------------------------------ the report */

enum { OUT_WAVE, OUT_EXITS, OUT_FIRST_EXIT, NOUT };
static const char *const OUT_NAME[NOUT] = {"exit_wave", "exits", "first_exit_year"};

typedef struct report {
    const ol_sweep_plan *pl;
    const char *dir;
    size_t np;
    pbins *b;        /* [np] */
    acc **a;         /* [np][b[j].n] */
    acc *heat;       /* [hx.n × hy.n], row-major with y rows */
    acc all;
    /* saltelli: per point sums of the outputs and the ok runs */
    double *ysum;    /* [npoints × NOUT] */
    uint64_t *yn;    /* [npoints] */
    uint64_t threat_runs, cross_runs;
    double threat_sum, cross_sum;
    int fe_min, fe_max;
    ol_sobol_index *sobol; /* [NOUT × np] */
    int sobol_ok[NOUT];
    char sobol_note[NOUT][256];
} report;

static void report_free(report *r)
{
    for (size_t j = 0; r->b && j < r->np; j++) bins_free(&r->b[j]);
    for (size_t j = 0; r->a && j < r->np; j++) free(r->a[j]);
    free(r->b);
    free(r->a);
    free(r->heat);
    free(r->ysum);
    free(r->yn);
    free(r->sobol);
}

static ol_status read_runs(report *r, ol_error *err)
{
    const ol_sweep_plan *pl = r->pl;
    char *path = sw_path(r->dir, SW_FILE_RUNS);
    if (!path) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    FILE *f = fopen(path, "rb");
    if (!f) {
        ol_status st = ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
        free(path);
        return st;
    }
    const size_t hx = r->pl->heat[0], hy = r->pl->heat[1];
    const uint32_t t1 = (uint32_t)pl->w->t1;
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    ol_status st = OL_OK;
    uint64_t expect = 0;
    while (!st && getline(&line, &cap, f) > 0) {
        if (++lineno == 1) continue; /* the header */
        ol_sweep_row row;
        st = ol_sweep_row_parse(line, &row, err);
        if (st) {
            if (err) {
                snprintf(err->file, sizeof err->file, "%s", path);
                err->line = lineno;
            }
            break;
        }
        if (row.run != expect) {
            st = ol_error_set(err, OL_EPARSE, path, lineno, 1, "run", "run %llu where %llu belongs",
                              (unsigned long long)row.run, (unsigned long long)expect);
            break;
        }
        expect++;
        acc_add(&r->all, &row);
        for (size_t j = 0; j < r->np; j++)
            if (counts_for(pl, row.run, j)) acc_add(&r->a[j][bin_of(&r->b[j], sw_value(pl, row.run, j))], &row);
        size_t cx = bin_of(&r->b[hx], sw_value(pl, row.run, hx)), cy = bin_of(&r->b[hy], sw_value(pl, row.run, hy));
        acc_add(&r->heat[cy * r->b[hx].n + cx], &row);
        if (!row.ok) continue;
        if (row.first_threat_year) {
            r->threat_runs++;
            r->threat_sum += row.first_threat_year;
        }
        if (row.crossing_year) {
            r->cross_runs++;
            r->cross_sum += row.crossing_year;
        }
        if (row.first_exit_year) {
            if (!r->fe_min || row.first_exit_year < r->fe_min) r->fe_min = row.first_exit_year;
            if (row.first_exit_year > r->fe_max) r->fe_max = row.first_exit_year;
        }
        if (r->ysum) {
            size_t pt = (size_t)(row.run / pl->d->replicates);
            double *y = r->ysum + pt * NOUT;
            y[OUT_WAVE] += row.exit_wave;
            y[OUT_EXITS] += row.exits;
            /* no exit: censored at the year after the last simulated */
            y[OUT_FIRST_EXIT] += row.first_exit_year ? row.first_exit_year : (double)(t1 + 1);
            r->yn[pt]++;
        }
    }
    if (!st && ferror(f)) st = ol_error_set(err, OL_EIO, path, 0, 0, NULL, "reading: %s", strerror(errno));
    if (!st && expect != ol_sweep_plan_runs(pl))
        st = ol_error_set(err, OL_EPARSE, path, lineno, 0, NULL, "%llu of %llu runs", (unsigned long long)expect,
                          (unsigned long long)ol_sweep_plan_runs(pl));
    free(line);
    fclose(f);
    free(path);
    return st;
}

static void compute_sobol(report *r, ol_error *err)
{
    const ol_sweep_plan *pl = r->pl;
    const ol_design *d = pl->d;
    size_t np = r->np;
    double *y = malloc(d->npoints * sizeof *y);
    for (int o = 0; o < NOUT; o++) {
        r->sobol_ok[o] = 0;
        if (!y) {
            snprintf(r->sobol_note[o], sizeof r->sobol_note[o], "out of memory");
            continue;
        }
        size_t empty = d->npoints;
        for (size_t i = 0; i < d->npoints; i++) {
            if (!r->yn[i]) {
                empty = i;
                break;
            }
            y[i] = r->ysum[i * NOUT + o] / (double)r->yn[i];
        }
        if (empty < d->npoints) {
            snprintf(r->sobol_note[o], sizeof r->sobol_note[o], "every run of point %zu failed", empty);
            continue;
        }
        /* ol_sobol_from_design centres the outputs itself */
        ol_error e;
        ol_status st = ol_sobol_from_design(d, y, pl->opt.bootstrap, pl->opt.confidence, d->seed,
                                            r->sobol + (size_t)o * np, &e);
        if (st) {
            snprintf(r->sobol_note[o], sizeof r->sobol_note[o], "%s", e.message);
            continue;
        }
        r->sobol_ok[o] = 1;
    }
    (void)err;
    free(y);
}

static ol_status open_out(const char *dir, const char *name, FILE **f, char **path, ol_error *err)
{
    *path = sw_path(dir, name);
    *f = NULL;
    if (!*path) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    size_t n = strlen(*path);
    char *tmp = malloc(n + 5);
    if (!tmp) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    memcpy(tmp, *path, n);
    memcpy(tmp + n, ".tmp", 5);
    free(*path);
    *path = tmp;
    if (!(*f = fopen(tmp, "wb"))) return ol_error_set(err, OL_EIO, tmp, 0, 0, NULL, "cannot write: %s", strerror(errno));
    return OL_OK;
}

/* Closes a file opened by open_out and moves it into place. */
static ol_status close_out(FILE *f, char *tmp, ol_status st, ol_error *err)
{
    if (f) {
        int bad = ferror(f);
        if (fclose(f) != 0) bad = 1;
        if (!st && bad) st = ol_error_set(err, OL_EIO, tmp, 0, 0, NULL, "writing failed: %s", strerror(errno));
    }
    if (tmp) {
        if (!st) {
            char *final = strdup(tmp);
            if (final) {
                final[strlen(final) - 4] = '\0';
                if (rename(tmp, final) != 0)
                    st = ol_error_set(err, OL_EIO, final, 0, 0, NULL, "cannot move into place: %s", strerror(errno));
                free(final);
            } else st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        }
        if (st) remove(tmp);
        free(tmp);
    }
    return st;
}

static ol_status write_aggregate(const report *r, ol_error *err)
{
    FILE *f;
    char *tmp;
    ol_status st = open_out(r->dir, SW_FILE_AGGREGATE, &f, &tmp, err);
    if (!st) {
        fputs("parameter,bin,lo,hi,runs,failed,waves,p_wave,p_wave_lo,p_wave_hi,mean_exits,exit_runs,"
              "mean_first_exit_year\n", f);
        for (size_t j = 0; j < r->np; j++)
            for (size_t i = 0; i < r->b[j].n; i++) {
                ol_csv_put(f, r->pl->d->params[j].key);
                fprintf(f, ",%zu", i + 1);
                put_num(f, r->b[j].lo[i]);
                put_num(f, r->b[j].hi[i]);
                put_acc(f, &r->a[j][i], r->pl->opt.confidence);
                fputc('\n', f);
            }
    }
    return close_out(f, tmp, st, err);
}

static ol_status write_heatmap(const report *r, ol_error *err)
{
    const size_t hx = r->pl->heat[0], hy = r->pl->heat[1];
    const pbins *bx = &r->b[hx], *by = &r->b[hy];
    FILE *f;
    char *tmp;
    ol_status st = open_out(r->dir, SW_FILE_HEATMAP, &f, &tmp, err);
    if (!st) {
        fputs("x_parameter,x_bin,x_lo,x_hi,y_parameter,y_bin,y_lo,y_hi,runs,failed,waves,p_wave,p_wave_lo,"
              "p_wave_hi,mean_exits,exit_runs,mean_first_exit_year\n", f);
        for (size_t y = 0; y < by->n; y++)
            for (size_t x = 0; x < bx->n; x++) {
                ol_csv_put(f, r->pl->d->params[hx].key);
                fprintf(f, ",%zu", x + 1);
                put_num(f, bx->lo[x]);
                put_num(f, bx->hi[x]);
                fputc(',', f);
                ol_csv_put(f, r->pl->d->params[hy].key);
                fprintf(f, ",%zu", y + 1);
                put_num(f, by->lo[y]);
                put_num(f, by->hi[y]);
                put_acc(f, &r->heat[y * bx->n + x], r->pl->opt.confidence);
                fputc('\n', f);
            }
    }
    return close_out(f, tmp, st, err);
}

static ol_status write_sobol(const report *r, ol_error *err)
{
    FILE *f;
    char *tmp;
    ol_status st = open_out(r->dir, SW_FILE_SOBOL, &f, &tmp, err);
    if (!st) {
        fputs("output,parameter,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi\n", f);
        for (int o = 0; o < NOUT; o++) {
            if (!r->sobol_ok[o]) continue;
            for (size_t j = 0; j < r->np; j++) {
                const ol_sobol_index *s = &r->sobol[(size_t)o * r->np + j];
                fprintf(f, "%s,", OUT_NAME[o]);
                ol_csv_put(f, r->pl->d->params[j].key);
                put_num(f, s->S1);
                put_num(f, s->S1_lo);
                put_num(f, s->S1_hi);
                put_num(f, s->ST);
                put_num(f, s->ST_lo);
                put_num(f, s->ST_hi);
                fputc('\n', f);
            }
        }
    }
    return close_out(f, tmp, st, err);
}

static void json_num_or_null(cJSON *o, const char *name, double v)
{
    if (isfinite(v)) cJSON_AddNumberToObject(o, name, v);
    else cJSON_AddNullToObject(o, name);
}

static char *summary_json(const report *r, const ol_sweep_meta *meta)
{
    const ol_sweep_plan *pl = r->pl;
    const ol_design *d = pl->d;
    char hex[17];
    cJSON *j = cJSON_CreateObject();
    if (!j) return NULL;
    cJSON_AddStringToObject(j, "program", "orderlab sweep");
    cJSON_AddStringToObject(j, "version", ol_version());
    cJSON *dj = cJSON_AddObjectToObject(j, "design");
    cJSON_AddStringToObject(dj, "name", d->name);
    cJSON_AddStringToObject(dj, "kind", ol_design_kind_name(d->kind));
    cJSON_AddNumberToObject(dj, "points", (double)d->npoints);
    cJSON_AddNumberToObject(dj, "replicates", (double)d->replicates);
    cJSON_AddNumberToObject(dj, "runs", (double)ol_sweep_plan_runs(pl));
    if (d->samples) cJSON_AddNumberToObject(dj, "samples", (double)d->samples);
    cJSON_AddNumberToObject(dj, "seed", (double)d->seed);
    cJSON_AddBoolToObject(dj, "stochastic", pl->stochastic);
    cJSON *ps = cJSON_AddArrayToObject(dj, "parameters");
    for (size_t i = 0; i < d->nparams; i++) {
        const ol_design_param *p = &d->params[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "key", p->key);
        cJSON_AddStringToObject(x, "op", p->op == OL_DESIGN_SCALE ? "scale" : "set");
        cJSON_AddNumberToObject(x, "min", p->min);
        cJSON_AddNumberToObject(x, "max", p->max);
        if (p->nlevels) cJSON_AddItemToObject(x, "levels", cJSON_CreateDoubleArray(p->levels, (int)p->nlevels));
        if (d->kind == OL_DESIGN_OAT) cJSON_AddNumberToObject(x, "baseline", p->baseline);
        cJSON_AddItemToArray(ps, x);
    }
    cJSON *sj = cJSON_AddObjectToObject(j, "scenario");
    cJSON_AddStringToObject(sj, "name", meta && meta->scenario_name ? meta->scenario_name : "");
    ol_scenario_hash_hex(meta ? meta->scenario_hash : 0, hex);
    cJSON_AddStringToObject(sj, "hash", hex);
    ol_scenario_hash_hex(meta ? meta->world_hash : 0, hex);
    cJSON_AddStringToObject(j, "world_hash", hex);
    cJSON *yj = cJSON_AddObjectToObject(j, "years");
    cJSON_AddNumberToObject(yj, "start", pl->w->t0);
    cJSON_AddNumberToObject(yj, "end", pl->w->t1);
    cJSON *oj = cJSON_AddObjectToObject(j, "options");
    cJSON *wj = cJSON_AddObjectToObject(oj, "wave");
    cJSON_AddNumberToObject(wj, "min_exits", pl->opt.wave_min_exits);
    cJSON_AddNumberToObject(wj, "window", pl->opt.wave_window);
    cJSON_AddNumberToObject(oj, "bins", pl->opt.bins);
    cJSON *hj = cJSON_AddArrayToObject(oj, "heatmap");
    cJSON_AddItemToArray(hj, cJSON_CreateString(d->params[pl->heat[0]].key));
    cJSON_AddItemToArray(hj, cJSON_CreateString(d->params[pl->heat[1]].key));
    cJSON_AddNumberToObject(oj, "bootstrap", pl->opt.bootstrap);
    cJSON_AddNumberToObject(oj, "confidence", pl->opt.confidence);
    cJSON *rj = cJSON_AddObjectToObject(j, "runs");
    cJSON_AddNumberToObject(rj, "total", (double)(r->all.runs + r->all.failed));
    cJSON_AddNumberToObject(rj, "ok", (double)r->all.runs);
    cJSON_AddNumberToObject(rj, "failed", (double)r->all.failed);
    double lo, hi;
    wilson(r->all.waves, r->all.runs, pl->opt.confidence, &lo, &hi);
    cJSON *ew = cJSON_AddObjectToObject(j, "exit_wave");
    cJSON_AddNumberToObject(ew, "runs", (double)r->all.waves);
    json_num_or_null(ew, "share", r->all.runs ? (double)r->all.waves / (double)r->all.runs : NAN);
    json_num_or_null(ew, "lo", lo);
    json_num_or_null(ew, "hi", hi);
    cJSON *fe = cJSON_AddObjectToObject(j, "first_exit_year");
    cJSON_AddNumberToObject(fe, "runs", (double)r->all.exit_runs);
    json_num_or_null(fe, "mean", r->all.exit_runs ? r->all.first_exit / (double)r->all.exit_runs : NAN);
    json_num_or_null(fe, "min", r->fe_min ? r->fe_min : NAN);
    json_num_or_null(fe, "max", r->fe_max ? r->fe_max : NAN);
    cJSON *ft = cJSON_AddObjectToObject(j, "first_threat_year");
    cJSON_AddNumberToObject(ft, "runs", (double)r->threat_runs);
    json_num_or_null(ft, "mean", r->threat_runs ? r->threat_sum / (double)r->threat_runs : NAN);
    cJSON *cy = cJSON_AddObjectToObject(j, "crossing_year");
    cJSON_AddNumberToObject(cy, "runs", (double)r->cross_runs);
    json_num_or_null(cy, "mean", r->cross_runs ? r->cross_sum / (double)r->cross_runs : NAN);
    json_num_or_null(j, "mean_exits", r->all.runs ? r->all.exits / (double)r->all.runs : NAN);
    if (d->kind == OL_DESIGN_SALTELLI) {
        cJSON *so = cJSON_AddObjectToObject(j, "sobol");
        for (int o = 0; o < NOUT; o++) {
            cJSON *x = cJSON_AddObjectToObject(so, OUT_NAME[o]);
            cJSON_AddBoolToObject(x, "computed", r->sobol_ok[o]);
            if (!r->sobol_ok[o]) cJSON_AddStringToObject(x, "note", r->sobol_note[o]);
        }
    }
    char *text = cJSON_Print(j);
    cJSON_Delete(j);
    return text;
}

static ol_status report_figures(const report *r, const ol_sweep_meta *meta, unsigned formats, ol_error *err);

ol_status ol_sweep_report(const ol_sweep_plan *pl, const char *dir, const ol_sweep_meta *meta, unsigned formats,
                          ol_error *err)
{
    ol_error_clear(err);
    if (!pl || !dir) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_sweep_report: missing argument");
    report r;
    memset(&r, 0, sizeof r);
    r.pl = pl;
    r.dir = dir;
    r.np = pl->d->nparams;
    ol_status st = OL_OK;
    r.b = calloc(r.np, sizeof *r.b);
    r.a = calloc(r.np, sizeof *r.a);
    if (!r.b || !r.a) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    for (size_t j = 0; !st && j < r.np; j++) {
        st = bins_make(pl, j, &r.b[j], err);
        if (!st && !(r.a[j] = calloc(r.b[j].n, sizeof **r.a)))
            st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    if (!st && !(r.heat = calloc(r.b[pl->heat[0]].n * r.b[pl->heat[1]].n, sizeof *r.heat)))
        st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    if (!st && pl->d->kind == OL_DESIGN_SALTELLI) {
        r.ysum = calloc(pl->d->npoints * NOUT, sizeof *r.ysum);
        r.yn = calloc(pl->d->npoints, sizeof *r.yn);
        r.sobol = calloc(NOUT * r.np, sizeof *r.sobol);
        if (!r.ysum || !r.yn || !r.sobol) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    if (!st) st = read_runs(&r, err);
    if (!st && r.ysum) compute_sobol(&r, err);
    if (!st) st = write_aggregate(&r, err);
    if (!st) st = write_heatmap(&r, err);
    if (!st && r.ysum) st = write_sobol(&r, err);
    if (!st) {
        char *text = summary_json(&r, meta);
        if (!text) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "writing the summary");
        else {
            size_t n = strlen(text);
            text[n] = '\n';
            char *path = sw_path(dir, SW_FILE_SUMMARY);
            st = path ? sw_write_atomic(path, text, n + 1, err) : ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
            free(path);
            free(text);
        }
    }
    if (!st && formats) st = report_figures(&r, meta, formats, err);
    report_free(&r);
    return st;
}

static ol_status report_figures(const report *r, const ol_sweep_meta *meta, unsigned formats, ol_error *err)
{
    const ol_sweep_plan *pl = r->pl;
    const ol_design *d = pl->d;
    char hex[17], note[768];
    ol_scenario_hash_hex(meta ? meta->scenario_hash : 0, hex);
    snprintf(note, sizeof note,
             "Design '%s' (%s, %zu points x %zu replicates, seed %llu, %s) on scenario '%s' (hash %s).\n"
             "Exit wave: at least %u exits within %u years.  orderlab %s",
             d->name, ol_design_kind_name(d->kind), d->npoints, d->replicates, (unsigned long long)d->seed,
             pl->stochastic ? "logit choices" : "argmax choices", meta && meta->scenario_name ? meta->scenario_name : "",
             hex, pl->opt.wave_min_exits, pl->opt.wave_window, ol_version());
    size_t plen = strlen(r->dir) + 64;
    char *path = malloc(plen);
    if (!path) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    ol_status st = OL_OK;

    /* the heat map of P(exit wave) over the two parameters */
    const size_t hx = pl->heat[0], hy = pl->heat[1];
    const pbins *bx = &r->b[hx], *by = &r->b[hy];
    if (hx != hy && bx->n <= OL_PLOT_HEAT_MAX && by->n <= OL_PLOT_HEAT_MAX) {
        size_t nx = bx->n, ny = by->n;
        double *vals = malloc(nx * ny * sizeof *vals), *xe = malloc((nx + 1) * sizeof *xe),
               *ye = malloc((ny + 1) * sizeof *ye);
        uint64_t *counts = malloc(nx * ny * sizeof *counts);
        if (!vals || !xe || !ye || !counts) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        for (size_t c = 0; !st && c < nx * ny; c++) {
            counts[c] = r->heat[c].runs;
            vals[c] = r->heat[c].runs ? (double)r->heat[c].waves / (double)r->heat[c].runs : NAN;
        }
        for (size_t i = 0; !st && i < nx; i++) xe[i] = bx->lo[i];
        for (size_t i = 0; !st && i < ny; i++) ye[i] = by->lo[i];
        if (!st) {
            xe[nx] = bx->hi[nx - 1];
            ye[ny] = by->hi[ny - 1];
        }
        char title[384];
        snprintf(title, sizeof title, "Probability of an exit wave (%u+ exits in %u years) by %s and %s",
                 pl->opt.wave_min_exits, pl->opt.wave_window, d->params[hx].key, d->params[hy].key);
        ol_plot_heatmap_data hd = {.title = title, .x_label = d->params[hx].key, .y_label = d->params[hy].key,
                                   .nx = nx, .ny = ny, .x_edges = bx->levelled ? NULL : xe,
                                   .x_levels = bx->levelled ? xe : NULL, .y_edges = by->levelled ? NULL : ye,
                                   .y_levels = by->levelled ? ye : NULL, .values = vals, .counts = counts,
                                   .scale_label = "P(exit wave)", .note = note};
        for (int f = 0; f < OL_PLOT_FORMAT_COUNT && !st; f++) {
            if (!(formats & (1u << f))) continue;
            snprintf(path, plen, "%s/%s.%s", r->dir, SW_FIG_HEATMAP, ol_plot_format_ext((ol_plot_format)f));
            st = ol_plot_heatmap_figure(&hd, path, (ol_plot_format)f, err);
        }
        free(vals);
        free(xe);
        free(ye);
        free(counts);
    }

    /* the Sobol indices of the exit wave */
    if (!st && d->kind == OL_DESIGN_SALTELLI && r->sobol_ok[OUT_WAVE] && r->np <= OL_PLOT_BARS_MAX) {
        const char **names = malloc(r->np * sizeof *names);
        if (!names) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        for (size_t j = 0; !st && j < r->np; j++) names[j] = d->params[j].key;
        char il[96], title[256];
        snprintf(il, sizeof il, "%g %% bootstrap interval (%u resamples)", 100.0 * pl->opt.confidence,
                 pl->opt.bootstrap);
        snprintf(title, sizeof title, "Sensitivity of the exit wave (%u+ exits in %u years): Sobol indices",
                 pl->opt.wave_min_exits, pl->opt.wave_window);
        ol_plot_sensitivity_data sd = {.title = title, .y_label = "Sobol index", .nparams = r->np, .names = names,
                                       .indices = r->sobol + (size_t)OUT_WAVE * r->np, .interval_label = il,
                                       .note = note};
        for (int f = 0; f < OL_PLOT_FORMAT_COUNT && !st; f++) {
            if (!(formats & (1u << f))) continue;
            snprintf(path, plen, "%s/%s.%s", r->dir, SW_FIG_SENSITIVITY, ol_plot_format_ext((ol_plot_format)f));
            st = ol_plot_sensitivity_figure(&sd, path, (ol_plot_format)f, err);
        }
        free(names);
    }
    free(path);
    return st;
}
