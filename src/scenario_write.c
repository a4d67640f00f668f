/* Writing a scenario as YAML (canonical, or commented for people) and its
 * content hash. */
#include "scenario_internal.h"
#include "util/fnv.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Comments start at this column when the value is shorter. */
enum { COMMENT_COLUMN = 44, VALUE_MAX = 4096 };

/* ------------------------------------------------------------ values */
/* The shortest decimal that reads back as x; a small fraction ("2/3") when
 * x is one and its decimal is long. */
static void format_real(double x, char *out, size_t size)
{
    if (x == trunc(x) && fabs(x) < 1e15) { /* whole numbers without an exponent: 50, not 5e+01 */
        snprintf(out, size, "%.0f", x);
        if (!strcmp(out, "-0")) snprintf(out, size, "0");
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, size, "%.*g", prec, x);
        if (strtod(out, NULL) == x) break;
    }
    if (strlen(out) < 12) return;
    for (int den = 2; den <= 16; den++) {
        double num = nearbyint(x * den);
        if (fabs(num) < 1e6 && num / den == x) {
            snprintf(out, size, "%.0f/%d", num, den);
            return;
        }
    }
}

/* 1 when s can be written without quotes and reads back as the same text
 * in any YAML reader (no 1.1 booleans, numbers or nulls). */
static int plain_safe(const char *s)
{
    static const char *const special[] = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"};
    if (!isalpha((unsigned char)s[0])) return 0;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.') return 0;
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        if (!strcasecmp(s, special[i])) return 0;
    return 1;
}

static void quote(const char *s, char *out, size_t size)
{
    size_t n = 0;
    if (size < 3) { if (size) out[0] = '\0'; return; }
    out[n++] = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p && n + 6 < size; p++) {
        if (*p == '"' || *p == '\\') { out[n++] = '\\'; out[n++] = (char)*p; }
        else if (*p == '\n') { out[n++] = '\\'; out[n++] = 'n'; }
        else if (*p == '\t') { out[n++] = '\\'; out[n++] = 't'; }
        else if (*p < 0x20 || *p == 0x7f) n += (size_t)snprintf(out + n, size - n, "\\x%02x", *p);
        else out[n++] = (char)*p;
    }
    out[n++] = '"';
    out[n] = '\0';
}

static void text_value(const char *s, char *out, size_t size)
{
    if (plain_safe(s)) snprintf(out, size, "%s", s);
    else quote(s, out, size);
}

/*
 * The YAML text of field f of base into out.  Returns 0 when the value is
 * to be left out (an optional row field not given, or at its default).
 */
static int value_text(int t, const ol_scenario_field *f, const void *base, char *out, size_t size)
{
    const void *p = SC_CFIELD(base, f);
    int row = t != OL_TABLE_PARAMS, req = (f->flags & OL_FIELD_REQUIRED) != 0;
    switch (f->type) {
    case OL_FIELD_REAL: {
        double x = *(const double *)p;
        if (isnan(x)) {
            if (row) return 0;
            snprintf(out, size, "null");
            return 1;
        }
        format_real(x, out, size);
        return 1;
    }
    case OL_FIELD_INT: {
        int64_t x = *(const int64_t *)p;
        if (row && !req && x == 0 && f->def == 0) return 0;
        snprintf(out, size, "%lld", (long long)x);
        return 1;
    }
    case OL_FIELD_TEXT: {
        const char *s = p;
        if (!*s && (f->flags & OL_FIELD_NULLABLE)) { snprintf(out, size, "null"); return 1; }
        if (!*s && row && !req) return 0;
        text_value(s, out, size);
        return 1;
    }
    case OL_FIELD_ENUM: {
        int k = *(const int *)p;
        if (row && !req && k == ol_scenario_term_index(f, f->def_text)) return 0;
        if (!ol_scenario_term(f, k, out, size)) snprintf(out, size, "null");
        return 1;
    }
    case OL_FIELD_BOOL:
        if (row && !*(const int *)p) return 0;
        snprintf(out, size, "%s", *(const int *)p ? "true" : "false");
        return 1;
    case OL_FIELD_CODES: {
        const ol_code_list *l = p;
        if (l->all) { snprintf(out, size, "all"); return 1; }
        if (l->n == 0) return 0;
        size_t n = (size_t)snprintf(out, size, "[");
        for (size_t i = 0; i < l->n && n < size; i++) {
            char c[64];
            text_value(l->codes[i], c, sizeof c);
            n += (size_t)snprintf(out + n, size - n, "%s%s", i ? ", " : "", c);
        }
        if (n < size) snprintf(out + n, size - n, "]");
        return 1;
    }
    }
    return 0;
}

/* ------------------------------------------------------------ writer */
typedef struct writer {
    FILE *out;
    unsigned flags;
} writer;

static void comment(writer *w, int used, const ol_scenario_field *f)
{
    if (!(w->flags & OL_SCENARIO_WRITE_COMMENTS)) { fputc('\n', w->out); return; }
    int pad = COMMENT_COLUMN - used;
    fprintf(w->out, "%*s# ", pad > 1 ? pad : 1, "");
    if (f->unit && *f->unit) fprintf(w->out, "[%s] ", f->unit);
    fputs(f->doc, w->out);
    if (f->vocab) {
        char list[256];
        snprintf(list, sizeof list, "%s", f->vocab);
        fprintf(w->out, " (%s)", list);
    }
    if (f->ref && *f->ref) fprintf(w->out, "; %s", f->ref);
    fputc('\n', w->out);
}

/* Writes the parameters as nested block mappings, one section per dotted
 * prefix (the table keeps each section's keys together). */
static void write_params(writer *w, const ol_scenario *sc)
{
    const ol_scenario_table *T = &ol_scenario_tables()[OL_TABLE_PARAMS];
    const char *prev = "";
    for (size_t i = 0; i < T->nfields; i++) {
        const ol_scenario_field *f = &T->fields[i];
        /* Depth of the sections shared with the previous key. */
        const char *k = f->key, *pk = prev;
        int depth = 0;
        for (;;) {
            size_t a = strcspn(k, "."), b = strcspn(pk, ".");
            if (!k[a] || !pk[b] || a != b || strncmp(k, pk, a) != 0) break;
            k += a + 1;
            pk += b + 1;
            depth++;
        }
        /* Open the sections that differ. */
        for (;;) {
            size_t a = strcspn(k, ".");
            if (!k[a]) break;
            fprintf(w->out, "%*s%.*s:\n", 2 * depth, "", (int)a, k);
            k += a + 1;
            depth++;
        }
        char v[VALUE_MAX];
        value_text(OL_TABLE_PARAMS, f, &sc->params, v, sizeof v);
        int used = fprintf(w->out, "%*s%s: %s", 2 * depth, "", k, v);
        comment(w, used, f);
        prev = f->key;
    }
}

/* The "key: value" items of a row; fields under one dotted prefix become one
 * nested flow mapping ("voting: {rule: weighted}"). */
static size_t row_items(int t, const void *row, char items[][VALUE_MAX], size_t max)
{
    const ol_scenario_table *T = &ol_scenario_tables()[t];
    size_t n = 0;
    for (size_t i = 0; i < T->nfields && n < max;) {
        const ol_scenario_field *f = &T->fields[i];
        const char *dot = strchr(f->key, '.');
        char v[VALUE_MAX];
        if (!dot) {
            if (value_text(t, f, row, v, sizeof v)) snprintf(items[n++], VALUE_MAX, "%s: %s", f->key, v);
            i++;
            continue;
        }
        size_t plen = (size_t)(dot - f->key);
        size_t len = (size_t)snprintf(items[n], VALUE_MAX, "%.*s: {", (int)plen, f->key);
        int any = 0;
        for (; i < T->nfields && !strncmp(T->fields[i].key, f->key, plen + 1); i++) {
            const ol_scenario_field *g = &T->fields[i];
            if (!value_text(t, g, row, v, sizeof v) || len >= VALUE_MAX) continue;
            len += (size_t)snprintf(items[n] + len, VALUE_MAX - len, "%s%s: %s", any ? ", " : "", g->key + plen + 1, v);
            any = 1;
        }
        if (any && len < VALUE_MAX) {
            snprintf(items[n] + len, VALUE_MAX - len, "}");
            n++;
        }
    }
    return n;
}

static void write_table(writer *w, const ol_scenario *sc, int t, int block)
{
    const ol_scenario_table *T = &ol_scenario_tables()[t];
    size_t nrows = sc_nrows(sc, t);
    if (w->flags & OL_SCENARIO_WRITE_COMMENTS) {
        fprintf(w->out, "\n# %s: ", T->key);
        for (size_t i = 0; i < T->nfields; i++)
            fprintf(w->out, "%s%s%s", i ? ", " : "", T->fields[i].key,
                    (T->fields[i].flags & OL_FIELD_REQUIRED) ? "*" : "");
        fprintf(w->out, " (* required; see docs/scenario.md)\n");
    }
    if (nrows == 0) { fprintf(w->out, "%s: []\n", T->key); return; }
    fprintf(w->out, "%s:\n", T->key);
    char (*items)[VALUE_MAX] = malloc(T->nfields * sizeof *items);
    if (!items) return;
    for (size_t r = 0; r < nrows; r++) {
        size_t n = row_items(t, sc_row(sc, t, r), items, T->nfields);
        if (block) {
            for (size_t i = 0; i < n; i++) fprintf(w->out, "%s%s\n", i ? "    " : "  - ", items[i]);
            if (n == 0) fprintf(w->out, "  - {}\n");
        } else {
            fprintf(w->out, "  - {");
            for (size_t i = 0; i < n; i++) fprintf(w->out, "%s%s", i ? ", " : "", items[i]);
            fprintf(w->out, "}\n");
        }
    }
    free(items);
}

ol_status ol_scenario_write_yaml_ex(const ol_scenario *sc, unsigned flags, FILE *out, ol_error *err)
{
    if (!sc || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no scenario or stream");
    writer w = {out, flags};
    fprintf(out, "# orderlab scenario\n");
    if (flags & OL_SCENARIO_WRITE_COMMENTS) {
        uint64_t h;
        char hex[17];
        if (ol_scenario_hash(sc, &h, err)) return err ? err->code : OL_ENOMEM;
        ol_scenario_hash_hex(h, hex);
        fprintf(out, "# from %s; content hash fnv1a64:%s\n"
                     "# Every key is documented in docs/scenario.md; a key left out takes the default shown\n"
                     "# by `orderlab scenario show`.  [unit] doc; paper reference.\n",
                sc->source[0] ? sc->source : "(memory)", hex);
    }
    write_params(&w, sc);
    if (!(flags & OL_SCENARIO_WRITE_PARAMS_ONLY)) {
        write_table(&w, sc, OL_TABLE_LEADERS, 0);
        write_table(&w, sc, OL_TABLE_ACTORS, 0);
        write_table(&w, sc, OL_TABLE_INSTITUTIONS, 1);
        write_table(&w, sc, OL_TABLE_MEMBERSHIPS, 0);
    }
    if (fflush(out) != 0 || ferror(out)) return ol_error_set(err, OL_EIO, NULL, 0, 0, NULL, "write error");
    return OL_OK;
}

ol_status ol_scenario_write_yaml(const ol_scenario *sc, FILE *out, ol_error *err)
{
    return ol_scenario_write_yaml_ex(sc, 0, out, err);
}

/* ------------------------------------------------------------ hash */
ol_status ol_scenario_hash(const ol_scenario *sc, uint64_t *out, ol_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    ol_status st = ol_scenario_write_yaml_ex(sc, 0, f, err);
    fclose(f);
    if (st) { free(buf); return st; }
    uint64_t h = ol_fnv1a_bytes(OL_FNV1A_OFFSET, buf, len);
    free(buf);
    *out = h;
    return OL_OK;
}

void ol_scenario_hash_hex(uint64_t hash, char hex[17])
{
    snprintf(hex, 17, "%016llx", (unsigned long long)hash);
}
