/* Design files (YAML through libyaml's document API, so that every node
 * knows its line and column) and the points of the four designs.  Every
 * problem of a file is found in one pass; the first is returned, with the
 * count of the others (as the scenario loader does). */
#include "orderlab/design.h"

#include "orderlab/model.h"
#include "scenario_internal.h" /* sc_suggest */
#include "util/yamlnode.h"
#include "util/text.h"

#include <errno.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

/* Defaults of a design file (docs/design.md). */
static const int64_t DEFAULT_REPLICATES = 1;
static const uint64_t DEFAULT_SEED = 20181017u; /* the scenarios' default seed */
/* Seeds and run counts stay below 2^53 so that JSON and SQLite's REAL keep
 * them exact. */
static const uint64_t EXACT_MAX = (UINT64_C(1) << 53) - 1;
/* A baseline this close to a level (relative to the range) is that level. */
static const double BASELINE_SNAP = 1e-9;
/* The points are held in memory: at most this many values (1 GiB). */
static const uint64_t POINT_VALUES_MAX = UINT64_C(1) << 27;

static const char *const KIND_NAMES[OL_DESIGN_KIND_COUNT] = {"grid", "oat", "lhs", "saltelli"};
static const char *const TOP_KEYS[] = {"name", "design", "samples", "replicates", "seed", "stochastic", "parameters"};
static const char *const PARAM_KEYS[] = {"key", "op", "min", "max", "levels", "steps", "baseline", "integer"};
static const char *const OP_NAMES[] = {"set", "scale"};
enum { NTOP = sizeof TOP_KEYS / sizeof TOP_KEYS[0], NPKEYS = sizeof PARAM_KEYS / sizeof PARAM_KEYS[0] };
enum { FIELD_MAX = 96 };

const char *ol_design_kind_name(ol_design_kind k)
{
    return (unsigned)k < OL_DESIGN_KIND_COUNT ? KIND_NAMES[k] : NULL;
}

int ol_design_kind_parse(const char *s)
{
    for (int k = 0; s && k < OL_DESIGN_KIND_COUNT; k++)
        if (!strcmp(s, KIND_NAMES[k])) return k;
    return -1;
}

uint64_t ol_design_seed(uint64_t base, uint64_t run)
{
    /* The derivation of `orderlab simulate --runs`, so that run k of a sweep
     * and run k of a simulation with the same seed draw the same numbers. */
    return ol_model_seed(base, run);
}

uint64_t ol_design_runs(const ol_design *d)
{
    return d ? (uint64_t)d->npoints * d->replicates : 0;
}

const double *ol_design_point(const ol_design *d, size_t i)
{
    return d && i < d->npoints ? d->points + i * d->nparams : NULL;
}

void ol_design_free(ol_design *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->nparams; i++) free(d->params[i].levels);
    free(d->params);
    free(d->points);
    free(d);
}

/* ------------------------------------------------------------ problems */
typedef struct loader {
    const char *file;
    yaml_document_t doc;
    size_t count;       /* problems found */
    ol_error first;
    int oom;
} loader;

OL_PRINTF(5, 6)
static void report(loader *L, ol_status code, const yaml_node_t *n, const char *key, const char *fmt, ...)
{
    char msg[OL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (L->count++ == 0) {
        long line = n ? (long)n->start_mark.line + 1 : 0, col = n ? (long)n->start_mark.column + 1 : 0;
        ol_error_set(&L->first, code, L->file, line, col, key, "%s", msg);
    }
}




/* 1 when the text is a number that is not finite (YAML's .inf and .nan,
 * "inf", "nan", or a decimal too large for a double). */
static int non_finite_text(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-') p++;
    if (*p == '.') p++;
    if (!strncasecmp(p, "inf", 3) || !strncasecmp(p, "nan", 3)) return 1;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    return end != s && *end == '\0' && (!isfinite(v) || errno == ERANGE);
}

/* A number (decimal or a/b): 1 when *out was set, else the problem is reported. */
static int get_real(loader *L, const yaml_node_t *n, const char *key, double *out)
{
    const char *s = ol_yaml_scalar(n);
    if (!s || ol_yaml_is_null(n)) {
        report(L, OL_EVALIDATE, n, key, "expected a number, got %s", s ? "nothing (null)" : ol_yaml_node_kind(n));
        return 0;
    }
    if (ol_parse_real(s, out)) return 1;
    if (non_finite_text(s)) report(L, OL_EVALIDATE, n, key, "'%s' is not a finite number", s);
    else report(L, OL_EVALIDATE, n, key, "expected a number, got '%s'", s);
    return 0;
}

/* A whole number in [lo, hi]. */
static int get_int(loader *L, const yaml_node_t *n, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
    const char *s = ol_yaml_scalar(n);
    int64_t v;
    if (!s || ol_yaml_is_null(n)) {
        report(L, OL_EVALIDATE, n, key, "expected a whole number, got %s", s ? "nothing (null)" : ol_yaml_node_kind(n));
        return 0;
    }
    if (!ol_parse_int64(s, &v)) {
        double x;
        if (ol_parse_double(s, &x) && x >= (double)lo && x <= (double)hi && x == floor(x) && fabs(x) < 9.0e15) {
            v = (int64_t)x; /* "1e6" or "256.0": a whole number all the same */
        } else {
            report(L, OL_EVALIDATE, n, key, "expected a whole number from %lld to %lld, got '%s'", (long long)lo,
                   (long long)hi, s);
            return 0;
        }
    }
    if (v < lo || v > hi) {
        report(L, OL_EVALIDATE, n, key, "%lld is out of range: from %lld to %lld", (long long)v, (long long)lo,
               (long long)hi);
        return 0;
    }
    *out = v;
    return 1;
}

static int get_bool(loader *L, const yaml_node_t *n, const char *key, int *out)
{
    const char *s = ol_yaml_scalar(n);
    if (s && (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))) { *out = 1; return 1; }
    if (s && (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))) { *out = 0; return 1; }
    report(L, OL_EVALIDATE, n, key, "expected true or false, got %s%s%s", s ? "'" : "", s ? s : ol_yaml_node_kind(n),
           s ? "'" : "");
    return 0;
}

/* Text of at most size - 1 bytes, not empty. */
static int get_text(loader *L, const yaml_node_t *n, const char *key, char *out, size_t size)
{
    const char *s = ol_yaml_scalar(n);
    if (!s || ol_yaml_is_null(n) || !*s) {
        report(L, OL_EVALIDATE, n, key, "expected text, got %s", s ? "nothing" : ol_yaml_node_kind(n));
        return 0;
    }
    size_t len = strlen(s);
    if (len >= size) {
        report(L, OL_EVALIDATE, n, key, "too long: %zu bytes, at most %zu", len, size - 1);
        return 0;
    }
    memcpy(out, s, len + 1);
    return 1;
}

/*
 * Walks a mapping of the known keys (names[nnames]): each value node goes to
 * vals[i]; unknown and repeated keys are reported.  keypre prefixes the keys
 * in messages ("parameters[2]" or "").
 */
static void walk(loader *L, const yaml_node_t *map, const char *const *names, size_t nnames, yaml_node_t **vals,
                 const char *keypre)
{
    for (size_t i = 0; i < nnames; i++) vals[i] = NULL;
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(&L->doc, pr->key);
        yaml_node_t *vn = yaml_document_get_node(&L->doc, pr->value);
        const char *name = ol_yaml_scalar(kn);
        char field[FIELD_MAX];
        if (!name) {
            report(L, OL_EVALIDATE, kn, keypre, "a key must be a plain name, not %s", ol_yaml_node_kind(kn));
            continue;
        }
        snprintf(field, sizeof field, "%s%s%s", keypre, *keypre ? "." : "", name);
        size_t k = 0;
        while (k < nnames && strcmp(names[k], name)) k++;
        if (k == nnames) {
            const char *s = sc_suggest(name, names, nnames);
            if (s) report(L, OL_EVALIDATE, kn, field, "unknown key '%s' (did you mean '%s'?)", name, s);
            else report(L, OL_EVALIDATE, kn, field, "unknown key '%s'", name);
            continue;
        }
        if (vals[k]) {
            /* vals[k] is the first value; its key sits on the same line or above */
            report(L, OL_EVALIDATE, kn, field, "given twice (first on line %lu)",
                   (unsigned long)vals[k]->start_mark.line + 1);
            continue;
        }
        vals[k] = vn;
    }
}

/* ------------------------------------------------------------ parameters */
enum { P_KEY, P_OP, P_MIN, P_MAX, P_LEVELS, P_STEPS, P_BASELINE, P_INTEGER };

static int whole(double x) { return x == floor(x); }

/* The value of a parameter at u in [0, 1) for the sampled designs: its
 * range, or one of its levels (or whole numbers) with equal probability. */
static double sample_value(const ol_design_param *p, double u)
{
    if (p->nlevels) {
        size_t k = (size_t)(u * (double)p->nlevels);
        return p->levels[k < p->nlevels ? k : p->nlevels - 1];
    }
    if (p->integer) {
        double n = p->max - p->min + 1.0, k = floor(u * n);
        return p->min + (k < n ? k : n - 1.0);
    }
    return p->min + u * (p->max - p->min);
}

/* Reads parameter number idx (1-based in messages) into p; kind < 0 when
 * the design kind is unknown (kind-specific checks are then skipped). */
static void read_param(loader *L, const yaml_node_t *item, size_t idx, int kind, ol_design_param *p)
{
    char pre[FIELD_MAX], f[FIELD_MAX + 16];
    snprintf(pre, sizeof pre, "parameters[%zu]", idx);
    p->line = (long)item->start_mark.line + 1;
    p->column = (long)item->start_mark.column + 1;
    if (item->type != YAML_MAPPING_NODE) {
        report(L, OL_EVALIDATE, item, pre, "expected a mapping {key: ..., min: ..., max: ...}, got %s",
               ol_yaml_node_kind(item));
        return;
    }
    yaml_node_t *v[NPKEYS];
    walk(L, item, PARAM_KEYS, NPKEYS, v, pre);
#define FIELD(k) (snprintf(f, sizeof f, "%s.%s", pre, PARAM_KEYS[k]), f)

    if (!v[P_KEY]) report(L, OL_EVALIDATE, item, FIELD(P_KEY), "missing required key 'key' (the parameter to vary)");
    else {
        get_text(L, v[P_KEY], FIELD(P_KEY), p->key, sizeof p->key);
        p->line = (long)v[P_KEY]->start_mark.line + 1;
        p->column = (long)v[P_KEY]->start_mark.column + 1;
    }
    p->op = OL_DESIGN_SET;
    if (v[P_OP]) {
        const char *s = ol_yaml_scalar(v[P_OP]);
        if (s && !strcmp(s, OP_NAMES[0])) p->op = OL_DESIGN_SET;
        else if (s && !strcmp(s, OP_NAMES[1])) p->op = OL_DESIGN_SCALE;
        else report(L, OL_EVALIDATE, v[P_OP], FIELD(P_OP), "unknown op %s%s%s (one of: set, scale)", s ? "'" : "",
                    s ? s : ol_yaml_node_kind(v[P_OP]), s ? "'" : "");
    }
    if (v[P_INTEGER]) get_bool(L, v[P_INTEGER], FIELD(P_INTEGER), &p->integer);

    const int sampled = kind == OL_DESIGN_LHS || kind == OL_DESIGN_SALTELLI;
    const int leveled = kind == OL_DESIGN_GRID || kind == OL_DESIGN_OAT;
    int ok = 1; /* the values so far make a usable parameter */

    if (v[P_LEVELS] && (v[P_MIN] || v[P_MAX])) {
        report(L, OL_EVALIDATE, v[P_LEVELS], FIELD(P_LEVELS), "give either levels or a range (min, max), not both");
        return;
    }
    if (v[P_LEVELS]) {
        const yaml_node_t *ln = v[P_LEVELS];
        if (ln->type != YAML_SEQUENCE_NODE || ln->data.sequence.items.top == ln->data.sequence.items.start) {
            report(L, OL_EVALIDATE, ln, FIELD(P_LEVELS), "expected a list of one or more numbers, got %s",
                   ln->type == YAML_SEQUENCE_NODE ? "an empty list" : ol_yaml_node_kind(ln));
            return;
        }
        if (v[P_STEPS]) {
            report(L, OL_EVALIDATE, v[P_STEPS], FIELD(P_STEPS), "steps cut a range (min, max); these are levels");
            ok = 0;
        }
        size_t n = (size_t)(ln->data.sequence.items.top - ln->data.sequence.items.start);
        p->levels = malloc(n * sizeof *p->levels);
        if (!p->levels) { L->oom = 1; return; }
        for (size_t k = 0; k < n; k++) {
            yaml_node_t *it = yaml_document_get_node(&L->doc, ln->data.sequence.items.start[k]);
            char lf[FIELD_MAX + 32];
            snprintf(lf, sizeof lf, "%s.levels[%zu]", pre, k + 1);
            double x;
            if (!get_real(L, it, lf, &x)) { ok = 0; continue; }
            if (p->integer && !whole(x)) {
                report(L, OL_EVALIDATE, it, lf, "%g is not a whole number (the parameter is integer)", x);
                ok = 0;
            }
            if (ok && k && x <= p->levels[k - 1]) {
                report(L, OL_EVALIDATE, it, lf, "level %zu (%g) %s level %zu (%g): levels must strictly increase",
                       k + 1, x, x == p->levels[k - 1] ? "repeats" : "is below", k, p->levels[k - 1]);
                ok = 0;
            }
            p->levels[k] = x;
        }
        if (!ok) return;
        p->nlevels = n;
        p->min = p->levels[0];
        p->max = p->levels[n - 1];
    } else if (v[P_MIN] || v[P_MAX]) {
        if (!v[P_MIN] || !v[P_MAX]) {
            int k = v[P_MIN] ? P_MAX : P_MIN;
            report(L, OL_EVALIDATE, v[P_MIN] ? v[P_MIN] : v[P_MAX], FIELD(k), "missing '%s': a range needs min and max",
                   PARAM_KEYS[k]);
            return;
        }
        if (!get_real(L, v[P_MIN], FIELD(P_MIN), &p->min)) ok = 0;
        if (!get_real(L, v[P_MAX], FIELD(P_MAX), &p->max)) ok = 0;
        if (!ok) return;
        if (p->min >= p->max) {
            report(L, OL_EVALIDATE, v[P_MIN], FIELD(P_MIN), "min (%g) must be below max (%g)", p->min, p->max);
            return;
        }
        if (p->integer && (!whole(p->min) || !whole(p->max))) {
            report(L, OL_EVALIDATE, whole(p->min) ? v[P_MAX] : v[P_MIN], whole(p->min) ? FIELD(P_MAX) : FIELD(P_MIN),
                   "%g is not a whole number (the parameter is integer)", whole(p->min) ? p->max : p->min);
            return;
        }
        if (v[P_STEPS]) {
            int64_t steps;
            if (sampled) {
                report(L, OL_EVALIDATE, v[P_STEPS], FIELD(P_STEPS),
                       "steps are for grid and oat designs; a %s design samples the range", KIND_NAMES[kind]);
                return;
            }
            if (!get_int(L, v[P_STEPS], FIELD(P_STEPS), 2, (int64_t)POINT_VALUES_MAX, &steps)) return;
            p->levels = malloc((size_t)steps * sizeof *p->levels);
            if (!p->levels) { L->oom = 1; return; }
            for (int64_t k = 0; k < steps; k++) {
                /* both ends exact, whatever the rounding in between */
                double x = k == steps - 1 ? p->max : p->min + (p->max - p->min) * (double)k / (double)(steps - 1);
                if (p->integer) x = round(x);
                if (k && x <= p->levels[k - 1]) {
                    report(L, OL_EVALIDATE, v[P_STEPS], FIELD(P_STEPS),
                           "%lld steps repeat whole numbers between %g and %g (at most %g steps)", (long long)steps,
                           p->min, p->max, p->max - p->min + 1);
                    return;
                }
                p->levels[k] = x;
            }
            p->nlevels = (size_t)steps;
        } else if (leveled) {
            report(L, OL_EVALIDATE, item, FIELD(P_STEPS), "a %s design needs levels: give steps for the range "
                   "(e.g. steps: 5) or a list of levels", KIND_NAMES[kind]);
            return;
        }
    } else {
        report(L, OL_EVALIDATE, item, pre, "needs a range (min, max) or levels");
        return;
    }

    /* The baseline: given, else the middle level (the lower of the two
     * middles of an even count), else the middle of the range. */
    if (v[P_BASELINE]) {
        double b;
        if (!get_real(L, v[P_BASELINE], FIELD(P_BASELINE), &b)) return;
        if (b < p->min || b > p->max) {
            report(L, OL_EVALIDATE, v[P_BASELINE], FIELD(P_BASELINE), "%g is outside the parameter's range [%g, %g]",
                   b, p->min, p->max);
            return;
        }
        if (p->integer && !whole(b)) {
            report(L, OL_EVALIDATE, v[P_BASELINE], FIELD(P_BASELINE),
                   "%g is not a whole number (the parameter is integer)", b);
            return;
        }
        p->baseline = b;
        /* a level computed from steps may differ from the same number
         * written as a baseline in its last bits: they are one value */
        for (size_t k = 0; k < p->nlevels; k++)
            if (fabs(p->levels[k] - b) <= BASELINE_SNAP * (p->max - p->min)) p->baseline = p->levels[k];
    } else if (v[P_LEVELS]) {
        p->baseline = p->levels[(p->nlevels - 1) / 2];
    } else {
        p->baseline = (p->min + p->max) / 2;
        if (p->integer) p->baseline = floor(p->baseline); /* the lower middle, as for levels */
    }
}

/* ------------------------------------------------------------ points */

/* MT19937 takes 32 bits of seed: the 64-bit seed is mixed (splitmix64) and
 * folded, so that seeds differing only in their high bits differ here too. */
static unsigned long rng_seed32(uint64_t seed)
{
    uint64_t z = ol_model_seed(seed, 0);
    return (unsigned long)((z ^ (z >> 32)) & 0xffffffffu);
}

/* Number of points of the design, or 0 with the problem reported. */
static uint64_t count_points(loader *L, const ol_design *d, const yaml_node_t *at)
{
    uint64_t n = 0;
    switch (d->kind) {
    case OL_DESIGN_GRID:
        n = 1;
        for (size_t c = 0; c < d->nparams; c++) {
            if (n > POINT_VALUES_MAX / d->params[c].nlevels) { n = POINT_VALUES_MAX + 1; break; }
            n *= d->params[c].nlevels;
        }
        break;
    case OL_DESIGN_OAT:
        n = 1;
        for (size_t c = 0; c < d->nparams; c++) {
            const ol_design_param *p = &d->params[c];
            for (size_t k = 0; k < p->nlevels; k++) n += p->levels[k] != p->baseline;
        }
        break;
    case OL_DESIGN_LHS: n = d->samples; break;
    case OL_DESIGN_SALTELLI: n = (uint64_t)d->samples * (d->nparams + 2); break;
    default: break;
    }
    if (n > POINT_VALUES_MAX / d->nparams) {
        report(L, OL_EVALIDATE, at, d->kind == OL_DESIGN_GRID || d->kind == OL_DESIGN_OAT ? "parameters" : "samples",
               "the %s design has more than %llu values (points x parameters); it must fit in memory",
               KIND_NAMES[d->kind], (unsigned long long)POINT_VALUES_MAX);
        return 0;
    }
    if (n > EXACT_MAX / d->replicates) {
        report(L, OL_EVALIDATE, at, "replicates", "%llu points x %zu replicates: more than 2^53 - 1 runs",
               (unsigned long long)n, d->replicates);
        return 0;
    }
    return n;
}

static void grid_points(ol_design *d)
{
    for (size_t i = 0; i < d->npoints; i++) {
        size_t rest = i;
        for (size_t c = d->nparams; c-- > 0;) { /* the last parameter varies fastest */
            const ol_design_param *p = &d->params[c];
            d->points[i * d->nparams + c] = p->levels[rest % p->nlevels];
            rest /= p->nlevels;
        }
    }
}

static void oat_points(ol_design *d)
{
    const size_t np = d->nparams;
    for (size_t c = 0; c < np; c++) d->points[c] = d->params[c].baseline;
    size_t i = 1;
    for (size_t c = 0; c < np; c++) {
        const ol_design_param *p = &d->params[c];
        for (size_t k = 0; k < p->nlevels; k++) {
            if (p->levels[k] == p->baseline) continue;
            memcpy(d->points + i * np, d->points, np * sizeof *d->points);
            d->points[i * np + c] = p->levels[k];
            i++;
        }
    }
}

/* Per parameter, in order: the strata shuffled (gsl_ran_shuffle), then one
 * uniform draw within its stratum for each point in order. */
static ol_status lhs_points(ol_design *d)
{
    const size_t n = d->samples, np = d->nparams;
    size_t *perm = malloc(n * sizeof *perm);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!perm || !r) { free(perm); if (r) gsl_rng_free(r); return OL_ENOMEM; }
    gsl_rng_set(r, rng_seed32(d->seed));
    for (size_t c = 0; c < np; c++) {
        for (size_t i = 0; i < n; i++) perm[i] = i;
        gsl_ran_shuffle(r, perm, n, sizeof *perm);
        for (size_t i = 0; i < n; i++) {
            double u = ((double)perm[i] + gsl_rng_uniform(r)) / (double)n;
            d->points[i * np + c] = sample_value(&d->params[c], u);
        }
    }
    gsl_rng_free(r);
    free(perm);
    return OL_OK;
}

/* Row j of A and B: point j + 1 of the Sobol sequence (GSL's generator
 * starts after the all-zero point), A its first p coordinates, B the next p. */
static ol_status saltelli_points(ol_design *d)
{
    const size_t N = d->samples, np = d->nparams, block = np + 2;
    double *u = malloc(2 * np * sizeof *u);
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * np));
    if (!u || !q) { free(u); if (q) gsl_qrng_free(q); return OL_ENOMEM; }
    for (size_t j = 0; j < N; j++) {
        gsl_qrng_get(q, u);
        double *A = d->points + j * block * np, *B = A + np;
        for (size_t c = 0; c < np; c++) {
            A[c] = sample_value(&d->params[c], u[c]);
            B[c] = sample_value(&d->params[c], u[np + c]);
        }
        for (size_t i = 0; i < np; i++) {
            double *AB = A + (2 + i) * np;
            memcpy(AB, A, np * sizeof *AB);
            AB[i] = B[i];
        }
    }
    gsl_qrng_free(q);
    free(u);
    return OL_OK;
}

/* ------------------------------------------------------------ loading */
enum { T_NAME, T_DESIGN, T_SAMPLES, T_REPLICATES, T_SEED, T_STOCHASTIC, T_PARAMETERS };

/* The base name of path without its extension. */
static void default_name(char *out, size_t size, const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    if (n >= size) n = size - 1;
    memcpy(out, b, n);
    out[n] = '\0';
}

static void read_design(loader *L, const yaml_node_t *root, ol_design *d)
{
    yaml_node_t *v[NTOP];
    walk(L, root, TOP_KEYS, NTOP, v, "");

    int kind = -1;
    if (!v[T_DESIGN]) {
        report(L, OL_EVALIDATE, root, "design", "missing required key 'design' (one of: grid, oat, lhs, saltelli)");
    } else {
        const char *s = ol_yaml_scalar(v[T_DESIGN]);
        kind = s ? ol_design_kind_parse(s) : -1;
        if (kind < 0) {
            const char *g = s ? sc_suggest(s, KIND_NAMES, OL_DESIGN_KIND_COUNT) : NULL;
            report(L, OL_EVALIDATE, v[T_DESIGN], "design",
                   "unknown design %s%s%s%s%s%s (one of: grid, oat, lhs, saltelli)", s ? "'" : "",
                   s ? s : ol_yaml_node_kind(v[T_DESIGN]), s ? "'" : "", g ? " (did you mean '" : "", g ? g : "",
                   g ? "'?)" : "");
        }
    }
    d->kind = kind < 0 ? OL_DESIGN_GRID : (ol_design_kind)kind;

    if (v[T_NAME]) get_text(L, v[T_NAME], "name", d->name, sizeof d->name);
    else default_name(d->name, sizeof d->name, L->file);

    int64_t x;
    const int sampled = kind == OL_DESIGN_LHS || kind == OL_DESIGN_SALTELLI;
    if (v[T_SAMPLES]) {
        if (kind >= 0 && !sampled)
            report(L, OL_EVALIDATE, v[T_SAMPLES], "samples",
                   "samples are for lhs and saltelli designs; a %s design takes its points from the levels",
                   KIND_NAMES[kind]);
        else if (get_int(L, v[T_SAMPLES], "samples", kind == OL_DESIGN_SALTELLI ? 2 : 1, (int64_t)POINT_VALUES_MAX, &x))
            d->samples = (size_t)x;
    } else if (sampled) {
        report(L, OL_EVALIDATE, root, "samples", "a %s design needs 'samples' (%s)", KIND_NAMES[kind],
               kind == OL_DESIGN_LHS ? "the number of points" : "the number of base rows N");
    }
    d->replicates = (size_t)DEFAULT_REPLICATES;
    if (v[T_REPLICATES] && get_int(L, v[T_REPLICATES], "replicates", 1, (int64_t)POINT_VALUES_MAX, &x))
        d->replicates = (size_t)x;
    d->seed = DEFAULT_SEED;
    if (v[T_SEED] && get_int(L, v[T_SEED], "seed", 0, (int64_t)EXACT_MAX, &x)) d->seed = (uint64_t)x;
    d->stochastic = -1;
    if (v[T_STOCHASTIC] && !ol_yaml_is_null(v[T_STOCHASTIC])) get_bool(L, v[T_STOCHASTIC], "stochastic", &d->stochastic);

    const yaml_node_t *pn = v[T_PARAMETERS];
    if (!pn) {
        report(L, OL_EVALIDATE, root, "parameters", "missing required key 'parameters' (the list of what varies)");
        return;
    }
    if (pn->type != YAML_SEQUENCE_NODE || pn->data.sequence.items.top == pn->data.sequence.items.start) {
        report(L, OL_EVALIDATE, pn, "parameters", "expected a list of one or more parameters, got %s",
               pn->type == YAML_SEQUENCE_NODE ? "an empty list" : ol_yaml_node_kind(pn));
        return;
    }
    size_t n = (size_t)(pn->data.sequence.items.top - pn->data.sequence.items.start);
    const size_t max_sobol = gsl_qrng_sobol->max_dimension / 2;
    if (kind == OL_DESIGN_SALTELLI && n > max_sobol)
        report(L, OL_EVALIDATE, pn, "parameters",
               "%zu parameters: a saltelli design takes at most %zu (the Sobol sequence has %u dimensions, 2 per "
               "parameter)", n, max_sobol, gsl_qrng_sobol->max_dimension);
    d->params = calloc(n, sizeof *d->params);
    if (!d->params) { L->oom = 1; return; }
    d->nparams = n;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *it = yaml_document_get_node(&L->doc, pn->data.sequence.items.start[i]);
        read_param(L, it, i + 1, kind, &d->params[i]);
        if (!d->params[i].key[0]) continue;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(d->params[k].key, d->params[i].key)) {
                char f[FIELD_MAX];
                snprintf(f, sizeof f, "parameters[%zu].key", i + 1);
                report(L, OL_EVALIDATE, it, f, "'%s' is already varied by parameters[%zu] (line %ld)",
                       d->params[i].key, k + 1, d->params[k].line);
                break;
            }
    }
    if (L->count || L->oom || kind < 0) return;

    uint64_t np = count_points(L, d, d->kind == OL_DESIGN_GRID || d->kind == OL_DESIGN_OAT ? pn : v[T_SAMPLES]);
    if (!np) return;
    d->npoints = (size_t)np;
    d->points = malloc(d->npoints * d->nparams * sizeof *d->points);
    if (!d->points) { L->oom = 1; return; }
    ol_status st = OL_OK;
    switch (d->kind) {
    case OL_DESIGN_GRID: grid_points(d); break;
    case OL_DESIGN_OAT: oat_points(d); break;
    case OL_DESIGN_LHS: st = lhs_points(d); break;
    case OL_DESIGN_SALTELLI: st = saltelli_points(d); break;
    default: break;
    }
    if (st) L->oom = 1;
}

static ol_status load_text(const char *text, size_t len, const char *name, const char *path, ol_design **out,
                           ol_error *err)
{
    loader L;
    memset(&L, 0, sizeof L);
    L.file = name;
    ol_design *d = calloc(1, sizeof *d);
    if (!d) return ol_error_set(err, OL_ENOMEM, name, 0, 0, NULL, "out of memory");
    snprintf(d->path, sizeof d->path, "%s", path);

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        free(d);
        return ol_error_set(err, OL_ENOMEM, name, 0, 0, NULL, "out of memory");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &L.doc)) {
        ol_status st = ol_error_set(err, OL_EPARSE, name, (long)parser.problem_mark.line + 1,
                                    (long)parser.problem_mark.column + 1, NULL, "YAML syntax: %s%s%s",
                                    parser.problem ? parser.problem : "error", parser.context ? " " : "",
                                    parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        free(d);
        return st;
    }
    yaml_document_t next;
    if (yaml_parser_load(&parser, &next)) {
        yaml_node_t *r2 = yaml_document_get_root_node(&next);
        if (r2) report(&L, OL_EVALIDATE, r2, "", "a second YAML document: a design file is one document");
        yaml_document_delete(&next);
    }
    yaml_parser_delete(&parser);
    yaml_node_t *root = yaml_document_get_root_node(&L.doc);
    if (root && root->type == YAML_MAPPING_NODE) read_design(&L, root, d);
    else if (root && !ol_yaml_is_null(root))
        report(&L, OL_EVALIDATE, root, "", "a design is a mapping of keys, not %s", ol_yaml_node_kind(root));
    else report(&L, OL_EVALIDATE, NULL, "", "the design file is empty");
    yaml_document_delete(&L.doc);

    if (L.oom) {
        ol_design_free(d);
        return ol_error_set(err, OL_ENOMEM, name, 0, 0, NULL, "out of memory");
    }
    if (L.count) {
        ol_design_free(d);
        if (err) {
            *err = L.first;
            if (L.count > 1) {
                size_t n = strlen(err->message);
                snprintf(err->message + n, sizeof err->message - n, " (and %zu more problem%s)", L.count - 1,
                         L.count > 2 ? "s" : "");
            }
        }
        return L.first.code;
    }
    *out = d;
    return OL_OK;
}

ol_status ol_design_load_text(const char *text, size_t len, const char *name, ol_design **out, ol_error *err)
{
    ol_error_clear(err);
    if (!out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_design_load_text: no output");
    *out = NULL;
    if (!text) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_design_load_text: no text");
    return load_text(text, len, name ? name : "(text)", "", out, err);
}

ol_status ol_design_load(const char *path, ol_design **out, ol_error *err)
{
    ol_error_clear(err);
    if (!out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_design_load: no output");
    *out = NULL;
    if (!path || !*path) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no design file given");
    FILE *f = fopen(path, "rb");
    if (!f) return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int bad = 0;
    for (;;) {
        if (n + 4096 > cap) {
            cap = cap ? cap * 2 : 16384;
            char *p = realloc(buf, cap);
            if (!p) { bad = 2; break; }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (!bad && ferror(f)) bad = 1;
    fclose(f);
    if (bad) {
        free(buf);
        return bad == 2 ? ol_error_set(err, OL_ENOMEM, path, 0, 0, NULL, "out of memory")
                        : ol_error_set(err, OL_EIO, path, 0, 0, NULL, "read error");
    }
    ol_status st = load_text(buf ? buf : "", n, path, path, out, err);
    free(buf);
    return st;
}
