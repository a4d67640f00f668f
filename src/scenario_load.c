/* Loading a scenario: YAML through libyaml's document API (every node knows
 * its line and column), CSV tables through the project's reader, every
 * problem reported with its file, line, column and key. */
#include "scenario_internal.h"

#include "orderlab/countries.h"
#include "util/yamlnode.h"
#include "util/csvread.h"
#include "util/embedded.h"
#include "util/text.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

enum { KEY_MAX = 160, CANDS_MAX = 160 };

typedef struct loader {
    sc_diag *d;
    sc_positions pos;
    ol_scenario *sc;
    ol_store *store;
    const char *base_dir;      /* NULL: CSV tables refused */
    const char *file;          /* main file name (pooled) */
    char **pool;               /* owned strings: file names in positions */
    size_t npool;
    yaml_document_t doc;
    sc_countries *countries;
    ol_status oom;             /* OL_ENOMEM once an allocation failed */
} loader;

/* ------------------------------------------------------------ problems */
void sc_vreport(sc_diag *d, ol_status code, sc_pos pos, const char *key, const char *fmt, va_list ap)
{
    ol_error e;
    ol_error_clear(&e);
    char msg[OL_ERROR_MSG_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    ol_error_set(&e, code, pos.file, pos.line, pos.line > 0 ? pos.column : 0, key, "%s", msg);
    if (d->count == 0) d->first = e;
    d->count++;
    if (d->fn) d->fn(d->ctx, &e);
}

void sc_report(sc_diag *d, ol_status code, sc_pos pos, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sc_vreport(d, code, pos, key, fmt, ap);
    va_end(ap);
}

static const char *pool_add(loader *L, const char *s)
{
    char *c = strdup(s);
    char **p = c ? realloc(L->pool, (L->npool + 1) * sizeof *p) : NULL;
    if (!p) { free(c); L->oom = OL_ENOMEM; return L->file ? L->file : ""; }
    L->pool = p;
    L->pool[L->npool++] = c;
    return c;
}

static sc_pos node_pos(const loader *L, const yaml_node_t *n)
{
    return (sc_pos){L->file, (long)n->start_mark.line + 1, (long)n->start_mark.column + 1};
}




/* ------------------------------------------------------------ rows */
static int table_index_of_key(const char *key, int *csv)
{
    const ol_scenario_table *T = ol_scenario_tables();
    for (int t = OL_TABLE_LEADERS; t < OL_TABLE_COUNT; t++) {
        if (!strcmp(T[t].key, key)) { *csv = 0; return t; }
        if (T[t].csv_key && !strcmp(T[t].csv_key, key)) { *csv = 1; return t; }
    }
    return -1;
}

#define GROW(arr, n)                                                   \
    do {                                                               \
        void *np_ = realloc((arr), ((n) + 1) * sizeof *(arr));         \
        if (!np_) return NULL;                                         \
        (arr) = np_;                                                   \
        row = &(arr)[(n)];                                             \
        (n)++;                                                         \
    } while (0)

static void *grow_table(ol_scenario *sc, int t)
{
    void *row = NULL;
    switch (t) {
    case OL_TABLE_LEADERS: GROW(sc->leaders, sc->nleaders); break;
    case OL_TABLE_ACTORS: GROW(sc->actors, sc->nactors); break;
    case OL_TABLE_INSTITUTIONS: GROW(sc->institutions, sc->ninstitutions); break;
    case OL_TABLE_MEMBERSHIPS: GROW(sc->membership_rows, sc->nmembership_rows); break;
    default: break;
    }
    return row;
}
#undef GROW

/* Appends a row with its defaults; its positions start unknown. */
static void *append_row(loader *L, int t, sc_pos rowpos, int csv, size_t *idx)
{
    const ol_scenario_table *T = &ol_scenario_tables()[t];
    sc_positions *P = &L->pos;
    size_t stride = 1 + T->nfields;
    if (P->nrows[t] == P->cap[t]) {
        size_t ncap = P->cap[t] ? P->cap[t] * 2 : 16;
        sc_pos *r = realloc(P->rows[t], ncap * stride * sizeof *r);
        if (!r) { L->oom = OL_ENOMEM; return NULL; }
        P->rows[t] = r;
        unsigned char *c = realloc(P->row_csv[t], ncap);
        if (!c) { L->oom = OL_ENOMEM; return NULL; }
        P->row_csv[t] = c;
        P->cap[t] = ncap;
    }
    void *row = grow_table(L->sc, t);
    if (!row) { L->oom = OL_ENOMEM; return NULL; }
    memset(row, 0, T->row_size);
    sc_defaults(T, row);
    size_t i = P->nrows[t]++;
    sc_pos *r = &P->rows[t][i * stride];
    r[0] = rowpos;
    for (size_t k = 1; k < stride; k++) r[k] = (sc_pos){rowpos.file, 0, 0};
    P->row_csv[t][i] = (unsigned char)csv;
    *idx = i;
    return row;
}

static sc_pos *cell_pos(loader *L, int t, size_t row, const ol_scenario_field *f)
{
    const ol_scenario_table *T = &ol_scenario_tables()[t];
    size_t fi = (size_t)(f - T->fields);
    return &L->pos.rows[t][row * (1 + T->nfields) + 1 + fi];
}

/* ------------------------------------------------------------ values */
/* The terms of an ENUM field as separate strings (in buf). */
static size_t split_vocab(const ol_scenario_field *f, char buf[512], const char *cands[32])
{
    snprintf(buf, 512, "%s", f->vocab ? f->vocab : "");
    size_t n = 0;
    for (char *p = buf; *p && n < 32;) {
        cands[n++] = p;
        char *e = strchr(p, '|');
        if (!e) break;
        *e = '\0';
        p = e + 1;
    }
    return n;
}

static void vocab_list(const ol_scenario_field *f, char *out, size_t size)
{
    snprintf(out, size, "%s", f->vocab);
    for (char *p = out; *p; p++)
        if (*p == '|') *p = ',';
}

/* Splits "A;B C,D" into the code list (empty: none; "all": every actor). */
static ol_status parse_codes_text(ol_code_list *l, const char *s)
{
    sc_codes_free(l);
    char tmp[OL_SCENARIO_NOTE_MAX * 4];
    ol_trim_copy(tmp, sizeof tmp, s);
    if (!strcmp(tmp, "all")) { l->all = 1; return OL_OK; }
    char *save = NULL;
    for (char *p = strtok_r(tmp, ";, \t", &save); p; p = strtok_r(NULL, ";, \t", &save))
        if (sc_codes_add(l, p)) return OL_ENOMEM;
    return OL_OK;
}

/*
 * Sets field f of base from text (a YAML scalar or a CSV cell).  null: the
 * value is YAML null or an empty CSV cell.  Records pos on success and on a
 * type error alike, so the validator's range errors point at the value.
 */
static void set_value(loader *L, int t, const ol_scenario_field *f, void *base, const char *text, int null,
                      sc_pos pos, const char *key)
{
    void *p = SC_FIELD(base, f);
    if (null) {
        /* null: "not given" for optional row fields, a value for nullable parameters. */
        if (f->flags & OL_FIELD_NULLABLE) {
            if (f->type == OL_FIELD_TEXT) *(char *)p = '\0';
            else if (f->type == OL_FIELD_REAL) *(double *)p = NAN;
            return;
        }
        if (t != OL_TABLE_PARAMS && !(f->flags & OL_FIELD_REQUIRED)) {
            sc_field_default(f, base);
            return;
        }
        sc_report(L->d, OL_EVALIDATE, pos, key, "needs a value (null is not allowed here)");
        return;
    }
    switch (f->type) {
    case OL_FIELD_REAL: {
        double v;
        if (!ol_parse_real(text, &v)) {
            sc_report(L->d, OL_EVALIDATE, pos, key, "expected a number, got '%s'", text);
            return;
        }
        *(double *)p = v;
        break;
    }
    case OL_FIELD_INT: {
        int64_t v;
        if (!ol_parse_int64(text, &v)) {
            sc_report(L->d, OL_EVALIDATE, pos, key, "expected a whole number, got '%s'", text);
            return;
        }
        *(int64_t *)p = v;
        break;
    }
    case OL_FIELD_BOOL: {
        if (!strcmp(text, "true") || !strcmp(text, "1")) *(int *)p = 1;
        else if (!strcmp(text, "false") || !strcmp(text, "0")) *(int *)p = 0;
        else {
            sc_report(L->d, OL_EVALIDATE, pos, key, "expected true or false, got '%s'", text);
            return;
        }
        break;
    }
    case OL_FIELD_ENUM: {
        int k = ol_scenario_term_index(f, text);
        if (k < 0) {
            char buf[512], list[512];
            const char *cands[32];
            size_t n = split_vocab(f, buf, cands);
            const char *s = sc_suggest(text, cands, n);
            vocab_list(f, list, sizeof list);
            if (s) sc_report(L->d, OL_EVALIDATE, pos, key, "unknown value '%s' (did you mean '%s'? one of: %s)",
                             text, s, list);
            else sc_report(L->d, OL_EVALIDATE, pos, key, "unknown value '%s' (one of: %s)", text, list);
            return;
        }
        *(int *)p = k;
        break;
    }
    case OL_FIELD_TEXT: {
        size_t n = strlen(text);
        if (n >= f->size) {
            sc_report(L->d, OL_EVALIDATE, pos, key, "too long: %zu bytes, at most %zu", n, f->size - 1);
            return;
        }
        memcpy(p, text, n + 1);
        break;
    }
    case OL_FIELD_CODES:
        if (parse_codes_text(p, text)) L->oom = OL_ENOMEM;
        break;
    }
}

/* ------------------------------------------------------------ YAML */
/* Reports a key given twice in one mapping; returns 1 when it was. */
static int duplicate_key(loader *L, const yaml_node_t *map, const yaml_node_pair_t *pair, const char *key)
{
    const char *k = ol_yaml_scalar(yaml_document_get_node(&L->doc, pair->key));
    for (const yaml_node_pair_t *q = map->data.mapping.pairs.start; q < pair; q++) {
        yaml_node_t *qk = yaml_document_get_node(&L->doc, q->key);
        const char *qs = ol_yaml_scalar(qk);
        if (qs && k && !strcmp(qs, k)) {
            sc_report(L->d, OL_EVALIDATE, node_pos(L, yaml_document_get_node(&L->doc, pair->key)), key,
                      "given twice (first on line %lu)", (unsigned long)qk->start_mark.line + 1);
            return 1;
        }
    }
    return 0;
}

/* The distinct next components of the keys of fields under prefix ("" = top). */
static size_t children(const ol_scenario_table *T, const char *prefix, char names[CANDS_MAX][64],
                       const char *cands[CANDS_MAX])
{
    size_t n = 0, plen = strlen(prefix);
    for (size_t i = 0; i < T->nfields && n < CANDS_MAX; i++) {
        const char *k = T->fields[i].key;
        if (plen) {
            if (strncmp(k, prefix, plen) != 0 || k[plen] != '.') continue;
            k += plen + 1;
        }
        size_t len = strcspn(k, ".");
        if (len >= 64) continue;
        int seen = 0;
        for (size_t j = 0; j < n; j++)
            if (strlen(cands[j]) == len && !strncmp(cands[j], k, len)) { seen = 1; break; }
        if (seen) continue;
        memcpy(names[n], k, len);
        names[n][len] = '\0';
        cands[n] = names[n];
        n++;
    }
    return n;
}

/* 1 when some field's key begins with prefix + ".". */
static int is_section(const ol_scenario_table *T, const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < T->nfields; i++)
        if (!strncmp(T->fields[i].key, prefix, n) && T->fields[i].key[n] == '.') return 1;
    return 0;
}

static void unknown_key(loader *L, const ol_scenario_table *T, const char *prefix, const char *name,
                        sc_pos pos, const char *key, int top)
{
    char names[CANDS_MAX][64];
    const char *cands[CANDS_MAX];
    size_t n = children(T, prefix, names, cands);
    if (top) {
        const ol_scenario_table *A = ol_scenario_tables();
        for (int t = OL_TABLE_LEADERS; t < OL_TABLE_COUNT && n + 2 <= CANDS_MAX; t++) {
            cands[n++] = A[t].key;
            if (A[t].csv_key) cands[n++] = A[t].csv_key;
        }
    }
    const char *s = sc_suggest(name, cands, n);
    if (s) {
        sc_report(L->d, OL_EVALIDATE, pos, key, "unknown key '%s' (did you mean '%s'?)", name, s);
        return;
    }
    /* A key put in the wrong section: "tau" for "threshold.tau". */
    for (size_t i = 0; i < T->nfields; i++) {
        const char *k = T->fields[i].key, *last = strrchr(k, '.');
        if (last && !strcmp(last + 1, name)) {
            sc_report(L->d, OL_EVALIDATE, pos, key, "unknown key '%s' here (did you mean '%s'?)", name, k);
            return;
        }
    }
    sc_report(L->d, OL_EVALIDATE, pos, key, "unknown key '%s'", name);
}

static void join_key(char *out, size_t size, const char *prefix, const char *name)
{
    if (*prefix) snprintf(out, size, "%s.%s", prefix, name);
    else snprintf(out, size, "%s", name);
}

static void read_table(loader *L, int t, int csv, yaml_node_t *key_node, yaml_node_t *val, const char *key);

/*
 * Walks a mapping of table T: scalar fields are set in base, nested mappings
 * are sections ("voting: {rule: ...}" is the field "voting.rule").  For the
 * parameters (row == SIZE_MAX) positions go to pos.params; for list rows to
 * the row's cells.  keypre is the key shown in problems before the field
 * ("actors[3]" or "").
 */
static void walk_mapping(loader *L, int t, void *base, size_t row, yaml_node_t *map, const char *prefix,
                         const char *keypre)
{
    const ol_scenario_table *T = &ol_scenario_tables()[t];
    int top = t == OL_TABLE_PARAMS && !*prefix;
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(&L->doc, pr->key);
        yaml_node_t *vn = yaml_document_get_node(&L->doc, pr->value);
        const char *name = ol_yaml_scalar(kn);
        char full[KEY_MAX], shown[KEY_MAX + 32];
        if (!name) {
            sc_report(L->d, OL_EVALIDATE, node_pos(L, kn), *keypre ? keypre : prefix,
                      "a key must be a plain name, not %s", ol_yaml_node_kind(kn));
            continue;
        }
        join_key(full, sizeof full, prefix, name);
        join_key(shown, sizeof shown, keypre, full);
        if (duplicate_key(L, map, pr, shown)) continue;
        int csv;
        int lt = top ? table_index_of_key(name, &csv) : -1;
        if (lt >= 0) { read_table(L, lt, csv, kn, vn, name); continue; }
        const ol_scenario_field *f = sc_find_field(T, full);
        if (f) {
            sc_pos vp = node_pos(L, vn);
            sc_pos *slot = row == SIZE_MAX ? &L->pos.params[f - T->fields] : cell_pos(L, t, row, f);
            *slot = vp;
            if (f->type == OL_FIELD_CODES && vn->type == YAML_SEQUENCE_NODE) {
                ol_code_list *l = SC_FIELD(base, f);
                sc_codes_free(l);
                for (yaml_node_item_t *it = vn->data.sequence.items.start; it < vn->data.sequence.items.top; it++) {
                    yaml_node_t *cn = yaml_document_get_node(&L->doc, *it);
                    const char *c = ol_yaml_scalar(cn);
                    if (!c || ol_yaml_is_null(cn)) {
                        sc_report(L->d, OL_EVALIDATE, node_pos(L, cn), shown, "expected an actor code, got %s",
                                  c ? "null" : ol_yaml_node_kind(cn));
                        continue;
                    }
                    if (sc_codes_add(l, c)) L->oom = OL_ENOMEM;
                }
            } else if (vn->type != YAML_SCALAR_NODE) {
                sc_report(L->d, OL_EVALIDATE, vp, shown, "expected a single value, got %s", ol_yaml_node_kind(vn));
            } else {
                const char *v = ol_yaml_scalar(vn);
                if (strlen(v) != vn->data.scalar.length)
                    sc_report(L->d, OL_EVALIDATE, vp, shown, "contains a NUL byte");
                else
                    set_value(L, t, f, base, v, ol_yaml_is_null(vn), vp, shown);
            }
        } else if (is_section(T, full)) {
            if (vn->type == YAML_MAPPING_NODE) walk_mapping(L, t, base, row, vn, full, keypre);
            else sc_report(L->d, OL_EVALIDATE, node_pos(L, vn), shown, "expected a mapping of %s.* keys, got %s",
                           full, ol_yaml_node_kind(vn));
        } else {
            unknown_key(L, T, prefix, name, node_pos(L, kn), shown, top);
        }
    }
}

/* Reports the required fields a row did not give. */
static void check_required(loader *L, int t, size_t row, const char *keypre, int csv, const unsigned char *has_col)
{
    const ol_scenario_table *T = &ol_scenario_tables()[t];
    sc_pos rp = L->pos.rows[t][row * (1 + T->nfields)];
    for (size_t i = 0; i < T->nfields; i++) {
        const ol_scenario_field *f = &T->fields[i];
        if (!(f->flags & OL_FIELD_REQUIRED) || cell_pos(L, t, row, f)->line > 0) continue;
        if (csv && !has_col[i]) continue; /* the header problem says it once */
        char key[KEY_MAX + 32];
        join_key(key, sizeof key, keypre, f->key);
        if (csv) sc_report(L->d, OL_EVALIDATE, rp, f->key, "missing value for the required column '%s'", f->key);
        else sc_report(L->d, OL_EVALIDATE, rp, key, "missing required key '%s'", f->key);
    }
}

static void read_yaml_rows(loader *L, int t, yaml_node_t *seq, const char *name)
{
    if (ol_yaml_is_null(seq)) return;
    if (seq->type != YAML_SEQUENCE_NODE) {
        sc_report(L->d, OL_EVALIDATE, node_pos(L, seq), name, "expected a list of rows, got %s", ol_yaml_node_kind(seq));
        return;
    }
    size_t k = 0;
    for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
        yaml_node_t *item = yaml_document_get_node(&L->doc, *it);
        char keypre[64];
        snprintf(keypre, sizeof keypre, "%s[%zu]", name, ++k);
        if (item->type != YAML_MAPPING_NODE) {
            sc_report(L->d, OL_EVALIDATE, node_pos(L, item), keypre, "expected a mapping {key: value, ...}, got %s",
                      ol_yaml_node_kind(item));
            continue;
        }
        size_t row;
        void *base = append_row(L, t, node_pos(L, item), 0, &row);
        if (!base) return;
        walk_mapping(L, t, base, row, item, "", keypre);
        check_required(L, t, row, keypre, 0, NULL);
    }
}

static void read_csv_rows(loader *L, int t, yaml_node_t *val, const char *name)
{
    const ol_scenario_table *T = &ol_scenario_tables()[t];
    sc_pos vp = node_pos(L, val);
    const char *rel = ol_yaml_scalar(val);
    if (!rel || ol_yaml_is_null(val) || !*rel) {
        sc_report(L->d, OL_EVALIDATE, vp, name, "expected the path of a CSV file");
        return;
    }
    if (!L->base_dir) {
        sc_report(L->d, OL_EVALIDATE, vp, name, "a scenario given as text cannot name CSV tables");
        return;
    }
    char path[OL_ERROR_PATH_MAX];
    if (rel[0] == '/' || !*L->base_dir) snprintf(path, sizeof path, "%s", rel);
    else snprintf(path, sizeof path, "%s/%s", L->base_dir, rel);
    const char *file = pool_add(L, path);
    ol_csv *r = NULL;
    ol_error e;
    ol_error_clear(&e);
    if (ol_csv_open(file, NULL, &r, &e)) {
        sc_report(L->d, OL_EIO, vp, name, "cannot read the %s table %s: %s", T->key, file,
                  e.message[0] ? e.message : strerror(errno));
        return;
    }
    int rc = ol_csv_next(r, &e);
    if (rc <= 0) {
        if (rc < 0) sc_report(L->d, e.code, (sc_pos){file, e.line, e.column}, e.field, "%s", e.message);
        else sc_report(L->d, OL_EPARSE, (sc_pos){file, 1, 1}, "", "empty file: expected a header row");
        ol_csv_close(r);
        return;
    }
    /* Header: which field each column fills. */
    size_t ncols = ol_csv_nfields(r);
    const ol_scenario_field **col = calloc(ncols ? ncols : 1, sizeof *col);
    unsigned char *has = calloc(T->nfields, 1);
    if (!col || !has) { free(col); free(has); ol_csv_close(r); L->oom = OL_ENOMEM; return; }
    long hline = ol_csv_line(r);
    for (size_t c = 0; c < ncols; c++) {
        char h[KEY_MAX];
        ol_trim_copy(h, sizeof h, ol_csv_field(r, c));
        sc_pos hp = {file, hline, (long)c + 1};
        const ol_scenario_field *f = sc_find_field(T, h);
        if (!f) {
            const char *cands[CANDS_MAX];
            size_t n = 0;
            for (size_t i = 0; i < T->nfields && n < CANDS_MAX; i++) cands[n++] = T->fields[i].key;
            const char *s = sc_suggest(h, cands, n);
            if (s) sc_report(L->d, OL_EPARSE, hp, h, "unknown column '%s' (did you mean '%s'?)", h, s);
            else sc_report(L->d, OL_EPARSE, hp, h, "unknown column '%s'", h);
            continue;
        }
        size_t fi = (size_t)(f - T->fields);
        if (has[fi]) { sc_report(L->d, OL_EPARSE, hp, h, "column '%s' given twice", h); continue; }
        has[fi] = 1;
        col[c] = f;
    }
    for (size_t i = 0; i < T->nfields; i++)
        if ((T->fields[i].flags & OL_FIELD_REQUIRED) && !has[i])
            sc_report(L->d, OL_EPARSE, (sc_pos){file, hline, 1}, T->fields[i].key, "missing required column '%s'",
                      T->fields[i].key);
    while ((rc = ol_csv_next(r, &e)) > 0) {
        long line = ol_csv_line(r);
        size_t nf = ol_csv_nfields(r);
        if (nf == 1 && ol_is_blank(ol_csv_field(r, 0))) continue; /* a blank line */
        if (nf != ncols)
            sc_report(L->d, OL_EPARSE, (sc_pos){file, line, 1}, "", "%zu fields, the header has %zu", nf, ncols);
        size_t row;
        void *base = append_row(L, t, (sc_pos){file, line, 1}, 1, &row);
        if (!base) break;
        for (size_t c = 0; c < ncols && c < nf; c++) {
            if (!col[c]) continue;
            char v[OL_SCENARIO_NOTE_MAX * 4];
            const char *raw = ol_csv_field(r, c);
            if (strlen(raw) >= sizeof v) {
                sc_report(L->d, OL_EVALIDATE, (sc_pos){file, line, (long)c + 1}, col[c]->key, "too long");
                continue;
            }
            ol_trim_copy(v, sizeof v, raw);
            if (!*v) continue; /* an empty cell: the default */
            sc_pos cp = {file, line, (long)c + 1};
            *cell_pos(L, t, row, col[c]) = cp;
            set_value(L, t, col[c], base, v, 0, cp, col[c]->key);
        }
        check_required(L, t, row, "", 1, has);
    }
    if (rc < 0) sc_report(L->d, e.code, (sc_pos){file, e.line, e.column}, e.field, "%s", e.message);
    free(col);
    free(has);
    ol_csv_close(r);
}

static void read_table(loader *L, int t, int csv, yaml_node_t *key_node, yaml_node_t *val, const char *key)
{
    sc_pos *kp = &L->pos.table_key[t];
    const ol_scenario_table *T = &ol_scenario_tables()[t];
    if (kp->line > 0) {
        sc_report(L->d, OL_EVALIDATE, node_pos(L, key_node), key, "%s given twice (%s on line %ld)", T->key,
                  T->key, kp->line);
        return;
    }
    *kp = node_pos(L, key_node);
    if (csv) read_csv_rows(L, t, val, key);
    else read_yaml_rows(L, t, val, key);
}

/* ------------------------------------------------------------ countries */
struct sc_countries {
    size_t n;
    struct { char code[OL_SCENARIO_CODE_MAX]; int aggregate; } *c;
};

void sc_countries_free(sc_countries *c)
{
    if (!c) return;
    free(c->c);
    free(c);
}

/* The built-in crosswalk's codes and kinds (data/countries.csv). */
static sc_countries *builtin_countries(void)
{
    const ol_embedded_file *f = ol_embedded_find("countries.csv");
    sc_countries *c = calloc(1, sizeof *c);
    if (!f || !c) return c;
    FILE *fp = fmemopen((void *)f->data, f->size, "r");
    ol_csv *r = NULL;
    if (!fp || ol_csv_open_stream(fp, "countries.csv", NULL, &r, NULL)) {
        if (fp) fclose(fp);
        return c;
    }
    long ic = -1, ik = -1;
    if (ol_csv_next(r, NULL) > 0) { ic = ol_csv_find(r, "code"); ik = ol_csv_find(r, "kind"); }
    while (ic >= 0 && ik >= 0 && ol_csv_next(r, NULL) > 0) {
        void *p = realloc(c->c, (c->n + 1) * sizeof *c->c);
        if (!p) break;
        c->c = p;
        snprintf(c->c[c->n].code, sizeof c->c[0].code, "%s", ol_csv_field(r, (size_t)ic));
        c->c[c->n].aggregate = !strcmp(ol_csv_field(r, (size_t)ik), "aggregate");
        c->n++;
    }
    ol_csv_close(r);
    fclose(fp);
    return c;
}

int sc_country_known(sc_countries **cache, ol_store *store, const char *code, int resolve, char *out,
                     char *msg, size_t msgsize)
{
    if (!strcmp(code, OL_SCENARIO_ROW)) {
        if (out) snprintf(out, OL_SCENARIO_CODE_MAX, "%s", code);
        return 1;
    }
    if (store) {
        ol_country c;
        ol_error e;
        ol_error_clear(&e);
        ol_status st = resolve ? ol_country_resolve(store, code, &c, &e) : ol_country_get(store, code, &c, &e);
        if (st) {
            snprintf(msg, msgsize, "unknown country '%s': %s", code, e.message);
            return 0;
        }
        if (!strcmp(c.kind, "aggregate")) {
            snprintf(msg, msgsize, "'%s' is an aggregate (%s); only %s may stand for several countries", code,
                     c.name_en, OL_SCENARIO_ROW);
            return 0;
        }
        if (out) snprintf(out, OL_SCENARIO_CODE_MAX, "%s", c.code);
        return 1;
    }
    if (!*cache) *cache = builtin_countries();
    sc_countries *cs = *cache;
    for (size_t i = 0; cs && i < cs->n; i++) {
        if (strcmp(cs->c[i].code, code) != 0) continue;
        if (cs->c[i].aggregate) {
            snprintf(msg, msgsize, "'%s' is an aggregate; only %s may stand for several countries", code,
                     OL_SCENARIO_ROW);
            return 0;
        }
        if (out) snprintf(out, OL_SCENARIO_CODE_MAX, "%s", code);
        return 1;
    }
    snprintf(msg, msgsize, "unknown country code '%s' (an orderlab code such as CHN; with a store, names "
             "resolve too)", code);
    return 0;
}

/* Resolves the actors' codes (names become codes with a store). */
static void resolve_actors(loader *L)
{
    ol_scenario *sc = L->sc;
    const ol_scenario_table *T = &ol_scenario_tables()[OL_TABLE_ACTORS];
    const ol_scenario_field *f = sc_find_field(T, "code");
    for (size_t i = 0; i < sc->nactors; i++) {
        if (!sc->actors[i].code[0]) continue; /* reported as missing */
        char out[OL_SCENARIO_CODE_MAX], msg[OL_ERROR_MSG_MAX];
        if (sc_country_known(&L->countries, L->store, sc->actors[i].code, 1, out, msg, sizeof msg)) {
            memcpy(sc->actors[i].code, out, sizeof out);
            continue;
        }
        sc_pos p = *cell_pos(L, OL_TABLE_ACTORS, i, f);
        char key[64];
        if (L->pos.row_csv[OL_TABLE_ACTORS][i]) snprintf(key, sizeof key, "code");
        else snprintf(key, sizeof key, "actors[%zu].code", i + 1);
        sc_report(L->d, OL_EVALIDATE, p, key, "%s", msg);
    }
}

/* ------------------------------------------------------------ entry points */
void ol_scenario_free(ol_scenario *sc)
{
    if (!sc) return;
    for (size_t i = 0; i < sc->ninstitutions; i++) sc_codes_free(&sc->institutions[i].members);
    free(sc->leaders);
    free(sc->actors);
    free(sc->institutions);
    free(sc->membership_rows);
    free(sc->memberships);
    free(sc);
}

static void loader_free(loader *L)
{
    for (int t = 0; t < OL_TABLE_COUNT; t++) {
        free(L->pos.rows[t]);
        free(L->pos.row_csv[t]);
    }
    for (size_t i = 0; i < L->npool; i++) free(L->pool[i]);
    free(L->pool);
    sc_countries_free(L->countries);
}

/* Parses text into a new scenario, reporting every problem to d.  *out is
 * set only when there is none. */
static ol_status load_text(const char *text, size_t len, const char *name, const char *base_dir,
                           ol_store *store, sc_diag *d, ol_scenario **out)
{
    loader L;
    memset(&L, 0, sizeof L);
    L.d = d;
    L.store = store;
    L.base_dir = base_dir;
    L.file = pool_add(&L, name);
    L.pos.main_file = L.file;
    ol_scenario *sc = calloc(1, sizeof *sc);
    if (!sc || L.oom) { free(sc); loader_free(&L); return OL_ENOMEM; }
    L.sc = sc;
    snprintf(sc->source, sizeof sc->source, "%s", name);
    sc_defaults(&ol_scenario_tables()[OL_TABLE_PARAMS], &sc->params);

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) { free(sc); loader_free(&L); return OL_ENOMEM; }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &L.doc)) {
        sc_pos p = {L.file, (long)parser.problem_mark.line + 1, (long)parser.problem_mark.column + 1};
        if (parser.context)
            sc_report(d, OL_EPARSE, p, "", "YAML syntax: %s %s (line %lu)", parser.problem ? parser.problem : "error",
                      parser.context, (unsigned long)parser.context_mark.line + 1);
        else
            sc_report(d, OL_EPARSE, p, "", "YAML syntax: %s", parser.problem ? parser.problem : "error");
        yaml_parser_delete(&parser);
        ol_scenario_free(sc);
        loader_free(&L);
        return OL_EPARSE;
    }
    /* A second document would be silently ignored: say so. */
    yaml_document_t next;
    if (yaml_parser_load(&parser, &next)) {
        yaml_node_t *r2 = yaml_document_get_root_node(&next);
        if (r2)
            sc_report(d, OL_EVALIDATE, (sc_pos){L.file, (long)r2->start_mark.line + 1, (long)r2->start_mark.column + 1},
                      "", "a second YAML document: a scenario is one document");
        yaml_document_delete(&next);
    }
    yaml_parser_delete(&parser);
    yaml_node_t *root = yaml_document_get_root_node(&L.doc);
    if (root && root->type == YAML_MAPPING_NODE) {
        walk_mapping(&L, OL_TABLE_PARAMS, &sc->params, SIZE_MAX, root, "", "");
    } else if (root && !ol_yaml_is_null(root)) {
        sc_report(d, OL_EVALIDATE, node_pos(&L, root), "", "a scenario is a mapping of keys, not %s",
                  ol_yaml_node_kind(root));
    }
    yaml_document_delete(&L.doc);

    /* No leader profile: one neutral profile from the first year. */
    if (sc->nleaders == 0 && !L.oom) {
        size_t row;
        ol_leader_profile *lp = append_row(&L, OL_TABLE_LEADERS, (sc_pos){L.file, 0, 0}, 0, &row);
        if (lp) {
            lp->from = sc->params.year_start;
            snprintf(lp->name, sizeof lp->name, "baseline");
        }
    }
    if (!L.oom) resolve_actors(&L);
    if (!L.oom) sc_validate(sc, &L.pos, store, 0, d);
    ol_status st = L.oom;
    if (!st && d->count == 0) {
        ol_error e;
        st = sc_expand_memberships(sc, &e);
    }
    loader_free(&L);
    if (st || d->count) {
        ol_scenario_free(sc);
        return st ? st : d->first.code;
    }
    *out = sc;
    return OL_OK;
}

static ol_status read_file(const char *path, char **text, size_t *len, ol_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 16384;
            char *p = realloc(buf, cap);
            if (!p) { free(buf); fclose(f); return ol_error_set(err, OL_ENOMEM, path, 0, 0, NULL, "out of memory"); }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) { free(buf); return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "read error"); }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return OL_OK;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup("");
    if (slash == path) return strdup("/");
    char *d = malloc((size_t)(slash - path) + 1);
    if (d) { memcpy(d, path, (size_t)(slash - path)); d[slash - path] = '\0'; }
    return d;
}

static ol_status load_path(const char *path, ol_store *store, sc_diag *d, ol_scenario **out, ol_error *err)
{
    char *text = NULL;
    size_t len = 0;
    ol_status st = read_file(path, &text, &len, err);
    if (st) return st;
    char *dir = dir_of(path);
    if (!dir) { free(text); return ol_error_set(err, OL_ENOMEM, path, 0, 0, NULL, "out of memory"); }
    st = load_text(text, len, path, dir, store, d, out);
    free(dir);
    free(text);
    return st;
}

static ol_status finish(ol_status st, const sc_diag *d, ol_error *err)
{
    if (st == OL_OK) { ol_error_clear(err); return OL_OK; }
    if (d->count) {
        if (err) *err = d->first;
        if (d->count > 1 && err) {
            char more[64];
            snprintf(more, sizeof more, " (and %zu more problems)", d->count - 1);
            size_t n = strlen(err->message);
            snprintf(err->message + n, sizeof err->message - n, "%s", more);
        }
        return d->first.code;
    }
    return st == OL_ENOMEM ? ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory") : st;
}

ol_status ol_scenario_load(const char *path, ol_store *store, ol_scenario **out, ol_error *err)
{
    ol_error_clear(err);
    if (!path || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no scenario path");
    *out = NULL;
    sc_diag d = {0};
    ol_status st = load_path(path, store, &d, out, err);
    if (st == OL_EIO && d.count == 0) return st; /* err already says which file */
    return finish(st, &d, err);
}

ol_status ol_scenario_load_text(const char *text, size_t len, const char *name, const char *base_dir,
                                ol_store *store, ol_scenario **out, ol_error *err)
{
    ol_error_clear(err);
    if (!text || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no scenario text");
    *out = NULL;
    sc_diag d = {0};
    ol_status st = load_text(text, len, name ? name : "(text)", base_dir, store, &d, out);
    return finish(st, &d, err);
}

ol_status ol_scenario_default(ol_store *store, ol_scenario **out, ol_error *err)
{
    const ol_embedded_file *f = ol_embedded_find("scenario_default.yaml");
    if (!f) return ol_error_set(err, OL_ENOTFOUND, "scenario_default.yaml", 0, 0, NULL,
                                "the built-in scenario is missing from this build");
    ol_status st = ol_scenario_load_text((const char *)f->data, f->size, "(built-in) data/scenario_default.yaml",
                                         NULL, store, out, err);
    if (!st) snprintf((*out)->source, sizeof (*out)->source, "(built-in)");
    return st;
}

ol_status ol_scenario_check(const char *path, ol_store *store, ol_scenario_problem_fn fn, void *ctx,
                            size_t *nproblems, ol_error *err)
{
    ol_error_clear(err);
    if (nproblems) *nproblems = 0;
    if (!path) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no scenario path");
    sc_diag d = {fn, ctx, 0, {0}};
    ol_scenario *sc = NULL;
    ol_status st = load_path(path, store, &d, &sc, err);
    ol_scenario_free(sc);
    if (nproblems) *nproblems = d.count;
    if (st == OL_EIO && d.count == 0) return st;
    if (d.count) {
        if (err) *err = d.first;
        return d.first.code;
    }
    return st == OL_ENOMEM ? ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory") : st;
}
