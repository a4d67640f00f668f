/* The design file's `sweep:` section, and the plan: the design's keys
 * resolved against a world and its parameters, and applied to a point. */
#include "sweep_internal.h"

#include "scenario_internal.h" /* sc_suggest */
#include "util/text.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ------------------------------------------------------------ options */

/* Judgement, documented in docs/sweep.md: three exits within one
 * presidential term make a wave; five bins keep a fifth of the runs each;
 * 1,000 bootstrap resamples steady a 95 % percentile interval. */
static const uint32_t DEFAULT_WAVE_MIN_EXITS = 3;
static const uint32_t DEFAULT_WAVE_WINDOW = 4;
static const uint32_t DEFAULT_BINS = 5;
static const uint32_t DEFAULT_BOOTSTRAP = 1000;
static const double DEFAULT_CONFIDENCE = 0.95;
/* Upper bounds that keep the tables readable and the bootstrap finite. */
static const int64_t MAX_WAVE = 1000, MAX_BINS = 1000, MAX_BOOTSTRAP = 1000000;

void ol_sweep_options_default(ol_sweep_options *o)
{
    memset(o, 0, sizeof *o);
    o->wave_min_exits = DEFAULT_WAVE_MIN_EXITS;
    o->wave_window = DEFAULT_WAVE_WINDOW;
    o->bins = DEFAULT_BINS;
    o->bootstrap = DEFAULT_BOOTSTRAP;
    o->confidence = DEFAULT_CONFIDENCE;
}

static const char *const SWEEP_KEYS[] = {"wave", "bins", "heatmap", "bootstrap", "confidence"};
static const char *const WAVE_KEYS[] = {"min_exits", "window"};
enum { NSWEEP_KEYS = sizeof SWEEP_KEYS / sizeof SWEEP_KEYS[0], NWAVE_KEYS = 2 };

typedef struct opt_reader {
    yaml_document_t *doc;
    const char *file;
    ol_error *err;
    ol_status st; /* the first problem */
} opt_reader;

static ol_status opt_fail(opt_reader *R, const yaml_node_t *n, const char *field, const char *fmt, ...)
    OL_PRINTF(4, 5);
static ol_status opt_fail(opt_reader *R, const yaml_node_t *n, const char *field, const char *fmt, ...)
{
    if (R->st) return R->st;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    R->st = ol_error_set(R->err, OL_EVALIDATE, R->file, n ? (long)n->start_mark.line + 1 : 0,
                         n ? (long)n->start_mark.column + 1 : 0, field, "%s", msg);
    return R->st;
}

static const char *node_text(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static void opt_int(opt_reader *R, const yaml_node_t *n, const char *field, int64_t lo, int64_t hi, uint32_t *out)
{
    const char *s = node_text(n);
    int64_t v;
    if (!s || !ol_parse_int64(s, &v) || v < lo || v > hi) {
        opt_fail(R, n, field, "'%s' is not a whole number in [%lld, %lld]", s ? s : "(not a scalar)",
                 (long long)lo, (long long)hi);
        return;
    }
    *out = (uint32_t)v;
}

/* Walks a mapping whose keys must be among names; vals[i] gets the value of names[i]. */
static void opt_map(opt_reader *R, const yaml_node_t *m, const char *prefix, const char *const *names, size_t n,
                    yaml_node_t **vals)
{
    for (size_t i = 0; i < n; i++) vals[i] = NULL;
    if (m->type != YAML_MAPPING_NODE) {
        opt_fail(R, m, prefix, "expected a mapping");
        return;
    }
    for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(R->doc, p->key), *v = yaml_document_get_node(R->doc, p->value);
        const char *name = node_text(k);
        size_t i = 0;
        while (name && i < n && strcmp(name, names[i]) != 0) i++;
        char field[OL_ERROR_FIELD_MAX];
        snprintf(field, sizeof field, "%s.%s", prefix, name ? name : "?");
        if (!name || i == n) {
            const char *g = name ? sc_suggest(name, names, n) : NULL;
            opt_fail(R, k, field, "unknown key '%s'%s%s%s", name ? name : "?", g ? " (did you mean '" : "",
                     g ? g : "", g ? "'?)" : "");
            continue;
        }
        if (vals[i]) {
            opt_fail(R, k, field, "key '%s' given twice", name);
            continue;
        }
        vals[i] = v;
    }
}

static void read_options(opt_reader *R, const yaml_node_t *sw, ol_sweep_options *o)
{
    yaml_node_t *v[NSWEEP_KEYS];
    opt_map(R, sw, "sweep", SWEEP_KEYS, NSWEEP_KEYS, v);
    if (R->st) return;
    if (v[0]) {
        yaml_node_t *w[NWAVE_KEYS];
        opt_map(R, v[0], "sweep.wave", WAVE_KEYS, NWAVE_KEYS, w);
        if (w[0]) opt_int(R, w[0], "sweep.wave.min_exits", 1, MAX_WAVE, &o->wave_min_exits);
        if (w[1]) opt_int(R, w[1], "sweep.wave.window", 1, MAX_WAVE, &o->wave_window);
    }
    if (v[1]) opt_int(R, v[1], "sweep.bins", 1, MAX_BINS, &o->bins);
    if (v[2]) {
        const yaml_node_t *h = v[2];
        size_t n = h->type == YAML_SEQUENCE_NODE ? (size_t)(h->data.sequence.items.top - h->data.sequence.items.start) : 0;
        if (n != 2) {
            opt_fail(R, h, "sweep.heatmap", "expected a list of two parameter keys");
        } else {
            for (size_t i = 0; i < 2; i++) {
                const yaml_node_t *k = yaml_document_get_node(R->doc, h->data.sequence.items.start[i]);
                const char *s = node_text(k);
                if (!s || !*s || strlen(s) >= OL_DESIGN_KEY_MAX) {
                    opt_fail(R, k, "sweep.heatmap", "expected a parameter key");
                    break;
                }
                snprintf(o->heatmap[i], sizeof o->heatmap[i], "%s", s);
            }
            o->heatmap_line = (long)h->start_mark.line + 1;
            o->heatmap_column = (long)h->start_mark.column + 1;
        }
    }
    if (v[3]) opt_int(R, v[3], "sweep.bootstrap", 0, MAX_BOOTSTRAP, &o->bootstrap);
    if (v[4]) {
        const char *s = node_text(v[4]);
        double c;
        if (!s || !ol_parse_double(s, &c) || !(c > 0 && c < 1))
            opt_fail(R, v[4], "sweep.confidence", "'%s' is not a number in (0, 1)", s ? s : "(not a scalar)");
        else o->confidence = c;
    }
}

/* The byte offset of character `index` of UTF-8 text (libyaml's marks
 * count characters, so a comment with τ would shift a byte count). */
static size_t byte_offset(const char *text, size_t len, size_t index)
{
    size_t chars = 0, i = 0;
    for (; i < len; i++) {
        if (((unsigned char)text[i] & 0xC0) == 0x80) continue; /* a continuation byte */
        if (chars == index) return i;
        chars++;
    }
    return len;
}

ol_status ol_sweep_design_load_text(const char *text, size_t len, const char *name, ol_design **design,
                                    ol_sweep_options *opt, ol_error *err)
{
    ol_error_clear(err);
    if (design) *design = NULL;
    if (!text || !design || !opt) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no design text or output");
    ol_sweep_options_default(opt);
    char *copy = malloc(len + 1);
    if (!copy) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    memcpy(copy, text, len);
    copy[len] = '\0';
    /* Find the `sweep:` section.  A text libyaml cannot load goes to the
     * design loader as it is, which reports the syntax error. */
    yaml_parser_t parser;
    yaml_document_t doc;
    int have_doc = 0;
    opt_reader R = {&doc, name ? name : "(design)", err, OL_OK};
    const yaml_node_t *sweep = NULL;
    if (yaml_parser_initialize(&parser)) {
        yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
        if (yaml_parser_load(&parser, &doc)) {
            have_doc = 1;
            yaml_node_t *root = yaml_document_get_root_node(&doc);
            if (root && root->type == YAML_MAPPING_NODE)
                for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
                    yaml_node_t *k = yaml_document_get_node(&doc, p->key);
                    const char *kn = node_text(k);
                    if (!kn || strcmp(kn, "sweep") != 0) continue;
                    yaml_node_t *v = yaml_document_get_node(&doc, p->value);
                    sweep = v;
                    /* blank the pair, keeping newlines so that the design
                     * loader's lines and columns stay the file's */
                    size_t a = byte_offset(text, len, k->start_mark.index),
                           b = byte_offset(text, len, v->end_mark.index);
                    for (size_t i = a; i < b; i++)
                        if (copy[i] != '\n' && copy[i] != '\r') copy[i] = ' ';
                }
        }
        yaml_parser_delete(&parser);
    }
    ol_status st = ol_design_load_text(copy, len, name ? name : "(design)", design, err);
    free(copy);
    if (!st && sweep) {
        read_options(&R, sweep, opt);
        st = R.st;
    }
    /* messages about keys name the file the text came from */
    if (!st && name) snprintf((*design)->path, sizeof (*design)->path, "%s", name);
    if (have_doc) yaml_document_delete(&doc);
    if (st && *design) {
        ol_design_free(*design);
        *design = NULL;
    }
    return st;
}

ol_status ol_sweep_design_load(const char *path, ol_design **design, ol_sweep_options *opt, ol_error *err)
{
    ol_error_clear(err);
    if (design) *design = NULL;
    if (!path) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no design file");
    size_t len = 0;
    char *text = sw_slurp(path, &len);
    if (!text) return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot read the design: %s", strerror(errno));
    ol_status st = ol_sweep_design_load_text(text, len, path, design, opt, err);
    free(text);
    if (!st) snprintf((*design)->path, sizeof (*design)->path, "%s", path);
    return st;
}

/* ------------------------------------------------------------ keys */

/* ol_model_params is a struct of doubles only (model.h): a scalar key is
 * mapped to the index of the double it fills. */
enum { NMODEL_DOUBLES = sizeof(ol_model_params) / sizeof(double) };
_Static_assert(sizeof(ol_model_params) % sizeof(double) == 0, "ol_model_params holds doubles only");

static double param_at(const ol_model_params *p, size_t i)
{
    double v;
    memcpy(&v, (const char *)p + i * sizeof v, sizeof v);
    return v;
}

static void param_set(ol_model_params *p, size_t i, double v)
{
    memcpy((char *)p + i * sizeof v, &v, sizeof v);
}

/* The double of ol_model_params a scalar parameter of the scenario fills,
 * found by setting the field alone and seeing which double moves: -1 when
 * none (the world builder reads it, or it is the seed), so that a new
 * parameter needs no list here. */
static long model_index_of(const ol_scenario_field *f)
{
    if (f->type != OL_FIELD_REAL && f->type != OL_FIELD_INT) return -1;
    ol_scenario *sc = calloc(1, sizeof *sc);
    if (!sc) return -1;
    ol_model_params a, b;
    ol_scenario_model_params(sc, &a);
    char *base = (char *)&sc->params + f->offset;
    if (f->type == OL_FIELD_REAL) {
        double one = 1.0;
        memcpy(base, &one, sizeof one);
    } else {
        int64_t one = 1;
        memcpy(base, &one, sizeof one);
    }
    ol_scenario_model_params(sc, &b);
    free(sc);
    long found = -1;
    for (size_t i = 0; i < NMODEL_DOUBLES; i++)
        if (memcmp((char *)&a + i * sizeof(double), (char *)&b + i * sizeof(double), sizeof(double)) != 0)
            found = found < 0 ? (long)i : -2;
    return found >= 0 ? found : -1;
}

static const ol_scenario_field *table_field(int table, const char *key)
{
    const ol_scenario_table *t = &ol_scenario_tables()[table];
    for (size_t i = 0; i < t->nfields; i++)
        if (!strcmp(t->fields[i].key, key)) return &t->fields[i];
    return NULL;
}

static const char *const LEADER_FIELDS[] = {"temperament", "systemic_weight"};
static const char *const ACTOR_FIELDS[] = {"dependence", "outside_option", "alignment", "growth"};

/* Splits "name[SEL].field" into SEL and field (in the caller's buffers);
 * 0 when key is not of that form. */
static int split_key(const char *key, const char *name, char *sel, size_t selsize, char *field, size_t fsize)
{
    size_t n = strlen(name);
    if (strncmp(key, name, n) != 0 || key[n] != '[') return 0;
    const char *close = strchr(key + n + 1, ']');
    if (!close || close[1] != '.') return 0;
    size_t sl = (size_t)(close - (key + n + 1));
    if (sl >= selsize) sl = selsize - 1;
    memcpy(sel, key + n + 1, sl);
    sel[sl] = '\0';
    snprintf(field, fsize, "%s", close + 2);
    return 1;
}

static ol_status key_fail(const ol_design *d, const ol_design_param *dp, ol_error *err, const char *fmt, ...)
    OL_PRINTF(4, 5);
static ol_status key_fail(const ol_design *d, const ol_design_param *dp, ol_error *err, const char *fmt, ...)
{
    char msg[OL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ol_error_set(err, OL_EVALIDATE, d->path[0] ? d->path : d->name, dp->line, dp->column, dp->key, "%s",
                        msg);
}

static ol_status resolve_scalar(const ol_design *d, const ol_design_param *dp, sw_target *t, ol_error *err)
{
    const ol_scenario_table *pt = &ol_scenario_tables()[OL_TABLE_PARAMS];
    const ol_scenario_field *f = table_field(OL_TABLE_PARAMS, dp->key);
    if (!f) {
        const char **names = malloc((pt->nfields + 2) * sizeof *names);
        const char *g = NULL;
        if (names) {
            for (size_t i = 0; i < pt->nfields; i++) names[i] = pt->fields[i].key;
            g = sc_suggest(dp->key, names, pt->nfields);
        }
        ol_status st = key_fail(d, dp, err,
                                "unknown key '%s'%s%s%s: a design sweeps a scalar parameter of the scenario "
                                "(orderlab scenario params), leaders[NAME].FIELD or actors[SELECTOR].FIELD",
                                dp->key, g ? " (did you mean '" : "", g ? g : "", g ? "'?)" : "");
        free(names);
        return st;
    }
    long idx = model_index_of(f);
    if (idx < 0) {
        if (f->type == OL_FIELD_TEXT || f->type == OL_FIELD_ENUM)
            return key_fail(d, dp, err, "'%s' is not a number: a design sweeps numbers", dp->key);
        if (!strcmp(dp->key, "seed"))
            return key_fail(d, dp, err, "the runs' seeds come from the design's seed; 'seed' cannot be swept");
        return key_fail(d, dp, err,
                        "'%s' changes what the world builder reads; a sweep builds its world once, so it "
                        "cannot vary (run one sweep per value instead)", dp->key);
    }
    t->kind = SW_PARAM;
    t->pindex = (size_t)idx;
    t->range = f;
    return OL_OK;
}

static ol_status resolve_leader(const ol_design *d, const ol_design_param *dp, const ol_model_world *w,
                                const char *sel, const char *field, sw_target *t, ol_error *err)
{
    int fi = -1;
    for (int i = 0; i < 2; i++)
        if (!strcmp(field, LEADER_FIELDS[i])) fi = i;
    if (fi < 0)
        return key_fail(d, dp, err, "unknown field '%s' of a leader profile (temperament or systemic_weight)", field);
    t->kind = SW_LEADER;
    t->field = fi;
    t->range = table_field(OL_TABLE_LEADERS, LEADER_FIELDS[fi]);
    t->idx = calloc(w->nleaders ? w->nleaders : 1, sizeof *t->idx);
    if (!t->idx) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    for (size_t l = 0; l < w->nleaders; l++)
        if (!strcmp(sel, "*") || !strcmp(sel, w->leaders[l].name)) t->idx[t->n++] = l;
    if (t->n == 0) {
        char names[512] = "";
        for (size_t l = 0; l < w->nleaders; l++) {
            size_t u = strlen(names);
            snprintf(names + u, sizeof names - u, "%s%s", l ? ", " : "", w->leaders[l].name);
        }
        return key_fail(d, dp, err, "no leader profile is named '%s' (the scenario's: %s; or * for all)", sel,
                        w->nleaders ? names : "none");
    }
    return OL_OK;
}

static ol_status resolve_actor(const ol_design *d, const ol_design_param *dp, const ol_model_world *w,
                               const char *sel, const char *field, sw_target *t, ol_error *err)
{
    int fi = -1;
    for (int i = 0; i < 4; i++)
        if (!strcmp(field, ACTOR_FIELDS[i])) fi = i;
    if (fi < 0)
        return key_fail(d, dp, err,
                        "unknown field '%s' of an actor (dependence, outside_option, alignment or growth)", field);
    int role = -1, all = !strcmp(sel, "*");
    if (!strncmp(sel, "role=", 5)) {
        for (int r = 0; r < OL_ROLE_COUNT; r++)
            if (!strcmp(sel + 5, ol_model_role_name((ol_model_role)r))) role = r;
        if (role < 0)
            return key_fail(d, dp, err, "unknown role '%s' (hegemon, challenger, ally, emerging or other)", sel + 5);
    }
    t->kind = SW_ACTOR;
    t->field = fi;
    t->range = table_field(OL_TABLE_ACTORS, ACTOR_FIELDS[fi]);
    t->idx = calloc(w->nactors, sizeof *t->idx);
    if (!t->idx) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    for (size_t i = 0; i < w->nactors; i++) {
        const ol_model_actor *a = &w->actors[i];
        int match = all || (role >= 0 && (int)a->role == role) || (role < 0 && !strcmp(sel, a->code));
        if (!match) continue;
        /* the hegemon's alignment is 1 by definition (model.h): a selector
         * of several actors passes over it, naming it is an error */
        if (fi == SW_ACTOR_ALIGNMENT && a->role == OL_ROLE_HEGEMON) {
            if (!all && role < 0)
                return key_fail(d, dp, err, "the hegemon's alignment is 1 by definition and cannot be swept");
            continue;
        }
        t->idx[t->n++] = i;
    }
    if (t->n == 0)
        return key_fail(d, dp, err, "no actor matches '%s' (an actor code of the scenario, role=ROLE or *)", sel);
    return OL_OK;
}

static double *actor_field(ol_model_actor *a, int field)
{
    switch (field) {
    case SW_ACTOR_DEPENDENCE: return &a->dependence;
    case SW_ACTOR_OUTSIDE: return &a->outside;
    case SW_ACTOR_ALIGNMENT: return &a->alignment;
    default: return &a->growth;
    }
}

static double *leader_field(ol_model_leader *l, int field)
{
    return field == SW_LEADER_TEMPERAMENT ? &l->temperament : &l->omega;
}

static int in_range(const ol_scenario_field *f, double v)
{
    if (!isfinite(v)) return 0;
    if (f->flags & OL_FIELD_MIN_OPEN ? !(v > f->min) : !(v >= f->min)) return 0;
    if (f->flags & OL_FIELD_MAX_OPEN ? !(v < f->max) : !(v <= f->max)) return 0;
    return 1;
}

static void range_text(const ol_scenario_field *f, char *buf, size_t size)
{
    snprintf(buf, size, "%c%g, %g%c", f->flags & OL_FIELD_MIN_OPEN ? '(' : '[', f->min, f->max,
             f->flags & OL_FIELD_MAX_OPEN ? ')' : ']');
}

/* The value target t takes from point value v over base b. */
static double value_of(const sw_target *t, double b, double v)
{
    return t->op == OL_DESIGN_SCALE ? b * v : v;
}

/* Applies parameter j of value v; on a value out of range fills err (file,
 * line and key of the design) and returns OL_EVALIDATE. */
static ol_status apply_one(const ol_sweep_plan *pl, size_t j, double v, ol_model_actor *actors,
                           ol_model_leader *leaders, ol_model_params *p, ol_error *err)
{
    const sw_target *t = &pl->t[j];
    const ol_design_param *dp = &pl->d->params[j];
    char rt[64];
    switch (t->kind) {
    case SW_PARAM: {
        double x = value_of(t, param_at(&pl->p, t->pindex), v);
        if (!in_range(t->range, x)) {
            range_text(t->range, rt, sizeof rt);
            return key_fail(pl->d, dp, err, "%s %.17g gives %s = %.17g, outside %s", t->op == OL_DESIGN_SCALE ? "scale" : "value",
                            v, dp->key, x, rt);
        }
        param_set(p, t->pindex, x);
        break;
    }
    case SW_LEADER:
        for (size_t i = 0; i < t->n; i++) {
            ol_model_leader base = pl->w->leaders[t->idx[i]];
            double x = value_of(t, *leader_field(&base, t->field), v);
            if (!in_range(t->range, x)) {
                range_text(t->range, rt, sizeof rt);
                return key_fail(pl->d, dp, err, "%s %.17g gives leader profile %s %s %.17g, outside %s",
                                t->op == OL_DESIGN_SCALE ? "scale" : "value", v, base.name, LEADER_FIELDS[t->field],
                                x, rt);
            }
            *leader_field(&leaders[t->idx[i]], t->field) = x;
        }
        break;
    case SW_ACTOR:
        for (size_t i = 0; i < t->n; i++) {
            ol_model_actor base = pl->w->actors[t->idx[i]];
            double x = value_of(t, *actor_field(&base, t->field), v);
            if (!in_range(t->range, x)) {
                range_text(t->range, rt, sizeof rt);
                return key_fail(pl->d, dp, err, "%s %.17g gives actor %s %s %.17g, outside %s",
                                t->op == OL_DESIGN_SCALE ? "scale" : "value", v, base.code, ACTOR_FIELDS[t->field], x,
                                rt);
            }
            *actor_field(&actors[t->idx[i]], t->field) = x;
        }
        break;
    }
    return OL_OK;
}

ol_status ol_sweep_plan_apply(const ol_sweep_plan *pl, const double *values, ol_model_actor *actors,
                              ol_model_leader *leaders, ol_model_params *p, ol_error *err)
{
    if (!pl || !values || !actors || (pl->w->nleaders && !leaders) || !p)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_sweep_plan_apply: missing argument");
    for (size_t j = 0; j < pl->d->nparams; j++) {
        ol_status st = apply_one(pl, j, values[j], actors, leaders, p, err);
        if (st) return st;
    }
    return OL_OK;
}

void ol_sweep_plan_free(ol_sweep_plan *pl)
{
    if (!pl) return;
    if (pl->t)
        for (size_t j = 0; j < pl->d->nparams; j++) free(pl->t[j].idx);
    free(pl->t);
    free(pl);
}

ol_status ol_sweep_plan_new(const ol_model_world *w, const ol_model_params *p, int stochastic, const ol_design *d,
                            const ol_sweep_options *opt, ol_sweep_plan **out, ol_error *err)
{
    ol_error_clear(err);
    if (out) *out = NULL;
    if (!w || !p || !d || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_sweep_plan_new: missing argument");
    if (d->nparams == 0 || d->npoints == 0 || !d->params || !d->points || d->replicates == 0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "the design has no parameters or no points");
    ol_status st = ol_model_world_check(w, err);
    if (!st) st = ol_model_params_check(p, err);
    if (st) return st;
    ol_sweep_plan *pl = calloc(1, sizeof *pl);
    if (!pl) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    pl->w = w;
    pl->p = *p;
    pl->stochastic = stochastic != 0;
    pl->d = d;
    if (opt) pl->opt = *opt;
    else ol_sweep_options_default(&pl->opt);
    pl->t = calloc(d->nparams, sizeof *pl->t);
    if (!pl->t) {
        free(pl);
        return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    for (size_t j = 0; j < d->nparams && !st; j++) {
        const ol_design_param *dp = &d->params[j];
        sw_target *t = &pl->t[j];
        t->op = dp->op;
        char sel[OL_DESIGN_KEY_MAX], field[OL_DESIGN_KEY_MAX];
        if (split_key(dp->key, "leaders", sel, sizeof sel, field, sizeof field))
            st = resolve_leader(d, dp, w, sel, field, t, err);
        else if (split_key(dp->key, "actors", sel, sizeof sel, field, sizeof field))
            st = resolve_actor(d, dp, w, sel, field, t, err);
        else if (!strncmp(dp->key, "leaders[", 8) || !strncmp(dp->key, "actors[", 7))
            st = key_fail(d, dp, err, "'%s' is not of the form %s[SELECTOR].FIELD", dp->key,
                          dp->key[0] == 'l' ? "leaders" : "actors");
        else
            st = resolve_scalar(d, dp, t, err);
        /* two parameters on one value would make the later one win silently */
        for (size_t k = 0; k < j && !st; k++) {
            const sw_target *o = &pl->t[k];
            int same = o->kind == t->kind && o->field == t->field && (t->kind != SW_PARAM || o->pindex == t->pindex);
            if (!same) continue;
            int overlap = t->kind == SW_PARAM;
            for (size_t a = 0; a < t->n && !overlap; a++)
                for (size_t b = 0; b < o->n && !overlap; b++) overlap = t->idx[a] == o->idx[b];
            if (overlap)
                st = key_fail(d, dp, err, "'%s' changes a value that '%s' (parameters[%zu]) changes too", dp->key,
                              d->params[k].key, k + 1);
        }
    }
    /* every point's values in range, before any run */
    if (!st) {
        ol_model_actor *actors = malloc(w->nactors * sizeof *actors);
        ol_model_leader *leaders = malloc((w->nleaders ? w->nleaders : 1) * sizeof *leaders);
        ol_model_params q = *p;
        if (!actors || !leaders) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        for (size_t i = 0; !st && i < d->npoints; i++) {
            const double *v = d->points + i * d->nparams;
            for (size_t j = 0; j < d->nparams && !st; j++) {
                st = apply_one(pl, j, v[j], actors, leaders, &q, err);
                if (st) ol_error_prefix(err, "point %zu: ", i);
            }
        }
        free(actors);
        free(leaders);
    }
    /* the heat map's parameters */
    pl->heat[0] = 0;
    pl->heat[1] = d->nparams > 1 ? 1 : 0;
    for (int h = 0; h < 2 && !st && pl->opt.heatmap[h][0]; h++) {
        size_t j = 0;
        while (j < d->nparams && strcmp(d->params[j].key, pl->opt.heatmap[h]) != 0) j++;
        if (j == d->nparams)
            st = ol_error_set(err, OL_EVALIDATE, d->path[0] ? d->path : d->name, pl->opt.heatmap_line,
                              pl->opt.heatmap_column, "sweep.heatmap",
                              "'%s' is not one of the design's parameters", pl->opt.heatmap[h]);
        else pl->heat[h] = j;
    }
    if (st) {
        ol_sweep_plan_free(pl);
        return st;
    }
    *out = pl;
    return OL_OK;
}

const ol_design *ol_sweep_plan_design(const ol_sweep_plan *pl) { return pl ? pl->d : NULL; }
const ol_model_world *ol_sweep_plan_world(const ol_sweep_plan *pl) { return pl ? pl->w : NULL; }
const ol_sweep_options *ol_sweep_plan_options(const ol_sweep_plan *pl) { return pl ? &pl->opt : NULL; }
int ol_sweep_plan_stochastic(const ol_sweep_plan *pl) { return pl ? pl->stochastic : 0; }
uint64_t ol_sweep_plan_runs(const ol_sweep_plan *pl) { return pl ? ol_design_runs(pl->d) : 0; }

double sw_value(const ol_sweep_plan *pl, uint64_t run, size_t j)
{
    return pl->d->points[(size_t)(run / pl->d->replicates) * pl->d->nparams + j];
}

uint64_t sw_design_hash(const ol_sweep_plan *pl)
{
    const ol_design *d = pl->d;
    uint64_t h = SW_FNV_INIT;
    uint64_t n[4] = {d->nparams, d->npoints, d->replicates, d->seed};
    h = sw_fnv(h, n, sizeof n);
    for (size_t j = 0; j < d->nparams; j++) {
        h = sw_fnv(h, d->params[j].key, strlen(d->params[j].key) + 1);
        int32_t op[2] = {(int32_t)d->params[j].op, d->params[j].integer};
        h = sw_fnv(h, op, sizeof op);
    }
    h = sw_fnv(h, d->points, d->npoints * d->nparams * sizeof *d->points);
    uint32_t rest[3] = {(uint32_t)pl->stochastic, pl->opt.wave_min_exits, pl->opt.wave_window};
    return sw_fnv(h, rest, sizeof rest);
}
