#include "import_helpers.h"
#include "util/fnv.h"

#include "util/embedded.h"
#include "util/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ol_status ol_import_prepare(ol_import_ctx *c, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v3(ol_store_db(c->store), sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return ol_store_fail(c->store, c->err, "preparing the import");
    }
    return OL_OK;
}

int ol_import_insert(ol_import_ctx *c, sqlite3_stmt *st, const char *doing)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) { sqlite3_reset(st); return 1; }
    int ext = sqlite3_extended_errcode(ol_store_db(c->store));
    if (ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE) { sqlite3_reset(st); return 0; }
    ol_store_fail(c->store, c->err, doing);
    sqlite3_reset(st);
    return -1;
}

/* Opens c->path and reads its header line; an empty file is an error at
 * empty_line with message empty_msg. */
static ol_status open_header(ol_import_ctx *c, const ol_csv_options *opt, long empty_line,
                             const char *empty_msg, ol_csv **r)
{
    ol_status s = ol_csv_open(c->path, opt, r, c->err);
    if (s) return s;
    int got = ol_csv_next(*r, c->err);
    if (got < 0) s = c->err ? c->err->code : OL_EPARSE;
    else if (got == 0) s = ol_error_set(c->err, OL_EPARSE, c->path, empty_line, 0, NULL, "%s", empty_msg);
    if (s) { ol_csv_close(*r); *r = NULL; }
    return s;
}

ol_status ol_import_open_csv(ol_import_ctx *c, const ol_csv_options *opt, const char *const *names,
                             size_t n, long *idx, ol_csv **r)
{
    ol_status s = open_header(c, opt, 1, "empty file: no header line", r);
    if (s) return s;
    if (n) s = ol_csv_require(*r, names, n, idx, c->err);
    if (s) { ol_csv_close(*r); *r = NULL; }
    return s;
}

static ol_status vreject(ol_import_ctx *c, const ol_csv *r, ol_status code, long column,
                         const char *field, const char *fmt, va_list ap)
{
    char msg[OL_ERROR_MSG_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    ol_error rej;
    ol_error_clear(&rej);
    ol_csv_error(r, &rej, code, column, field, "%s", msg);
    return ol_import_reject(c, &rej);
}

ol_status ol_import_reject_csv(ol_import_ctx *c, const ol_csv *r, ol_status code, long column,
                               const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ol_status s = vreject(c, r, code, column, field, fmt, ap);
    va_end(ap);
    return s;
}

ol_status ol_import_reject_at(ol_import_ctx *c, const ol_csv *r, long col, const char *field,
                              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ol_status s = vreject(c, r, OL_EVALIDATE, col + 1, field, fmt, ap);
    va_end(ap);
    return s;
}

ol_status ol_import_reject_width(ol_import_ctx *c, const ol_csv *r, size_t nheader)
{
    return ol_import_reject_csv(c, r, OL_EPARSE, (long)ol_csv_nfields(r), NULL,
                                "malformed line: %zu fields, the header has %zu", ol_csv_nfields(r), nheader);
}

void ol_import_cache_grow(ol_import_ctx *c, int64_t *old)
{
    sqlite3 *db = ol_store_db(c->store);
    sqlite3_stmt *st = NULL;
    *old = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA cache_size", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        *old = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", OL_IMPORT_CACHE_KIB);
    sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_exec(db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
}

void ol_import_cache_restore(ol_import_ctx *c, int64_t old)
{
    if (!old) return;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)old);
    sqlite3_exec(ol_store_db(c->store), sql, NULL, NULL, NULL);
}

void ol_import_describe_source(ol_import_ctx *c, int64_t id, char *buf, size_t n)
{
    sqlite3_stmt *st = NULL;
    snprintf(buf, n, "source %lld", (long long)id);
    if (sqlite3_prepare_v2(ol_store_db(c->store), "SELECT kind, name, vintage FROM sources WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(buf, n, "source %lld (%s %s, vintage %s)", (long long)id,
                 (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                 (const char *)sqlite3_column_text(st, 2));
    sqlite3_finalize(st);
}

int ol_import_fix_mojibake(char *s)
{
    size_t n = strlen(s), bad;
    if (!ol_utf8_valid(s, n, &bad)) return 0;
    char *out = malloc(n + 1);
    if (!out) return 0;
    size_t o = 0;
    int high = 0;
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) { out[o++] = (char)b; i++; continue; }
        /* a two-byte sequence for U+0080..U+00FF starts with C2 or C3 */
        if ((b != 0xC2 && b != 0xC3) || i + 1 >= n) { free(out); return 0; }
        out[o++] = (char)(((b & 0x03) << 6) | ((unsigned char)s[i + 1] & 0x3F));
        high = 1;
        i += 2;
    }
    out[o] = '\0';
    int multi = 0;
    for (size_t i = 0; i < o; i++) if ((unsigned char)out[i] >= 0xC0) multi = 1;
    if (high && multi && ol_utf8_valid(out, o, &bad)) {
        memcpy(s, out, o + 1);
        free(out);
        return 1;
    }
    free(out);
    return 0;
}

int ol_import_is_na(const char *s)
{
    while (*s == ' ') s++;
    return *s == '\0' || strcmp(s, "NA") == 0;
}

ol_status ol_values_open(ol_import_ctx *c, ol_value_writer *w)
{
    memset(w, 0, sizeof *w);
    w->c = c;
    sqlite3 *db = ol_store_db(c->store);
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO indicator_values(series, country, year, source_id, value, unit, vintage, flag) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &w->ins, NULL) != SQLITE_OK) {
        ol_status st = ol_store_fail(c->store, c->err, "preparing to write indicator values");
        ol_values_close(w);
        return st;
    }
    return OL_OK;
}

void ol_values_close(ol_value_writer *w)
{
    sqlite3_finalize(w->ins);
    w->ins = NULL;
    free(w->seen);
    w->seen = NULL;
    w->nseen = w->cap = 0;
}

ol_put_result ol_values_put(ol_value_writer *w, const char *series, const char *country,
                            int year, double value, const char *unit)
{
    return ol_values_put_flag(w, series, country, year, value, unit, NULL);
}

/* ol_import_insert's 1 / 0 / -1 as a put result. */
static ol_put_result put_result(int inserted)
{
    return inserted > 0 ? OL_PUT_OK : inserted == 0 ? OL_PUT_DUPLICATE : OL_PUT_FAILED;
}

ol_put_result ol_values_put_flag(ol_value_writer *w, const char *series, const char *country,
                                 int year, double value, const char *unit, const char *flag)
{
    sqlite3_stmt *st = w->ins;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, series, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, country, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, year);
    sqlite3_bind_int64(st, 4, w->c->source_id);
    sqlite3_bind_double(st, 5, value);
    sqlite3_bind_text(st, 6, unit, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, w->c->vintage, -1, SQLITE_TRANSIENT);
    if (flag && *flag) sqlite3_bind_text(st, 8, flag, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, 8);
    return put_result(ol_import_insert(w->c, st, "writing an indicator value"));
}

static uint64_t key_hash(const char *country, int year)
{
    return ol_fnv1a_word(ol_fnv1a_str(OL_FNV1A_OFFSET, country), (uint64_t)(uint32_t)year);
}

/* The slot of (country, year): its entry, or the empty slot to fill. */
static ol_value_key *seen_slot(ol_value_key *tab, size_t cap, const char *country, int year)
{
    size_t i = (size_t)key_hash(country, year) & (cap - 1);
    while (tab[i].country[0]) {
        if (tab[i].year == year && strncmp(tab[i].country, country, sizeof tab[i].country - 1) == 0)
            return &tab[i];
        i = (i + 1) & (cap - 1);
    }
    return &tab[i];
}

/* Inserts without growing; returns 1 (and *prev_tag) when present already. */
static int seen_insert(ol_value_key *tab, size_t cap, const char *country, int year, int tag, int *prev_tag)
{
    ol_value_key *k = seen_slot(tab, cap, country, year);
    if (k->country[0]) { if (prev_tag) *prev_tag = k->tag; return 1; }
    snprintf(k->country, sizeof k->country, "%s", country);
    k->year = year;
    k->tag = tag;
    return 0;
}

int ol_values_seen(ol_value_writer *w, const char *country, int year, int tag, int *prev_tag)
{
    if ((w->nseen + 1) * 2 > w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 1024;
        ol_value_key *tab = calloc(cap, sizeof *tab);
        if (!tab) {
            ol_error_set(w->c->err, OL_ENOMEM, w->c->path, 0, 0, NULL, "out of memory");
            return -1;
        }
        for (size_t i = 0; i < w->cap; i++)
            if (w->seen[i].country[0])
                seen_insert(tab, cap, w->seen[i].country, w->seen[i].year, w->seen[i].tag, NULL);
        free(w->seen);
        w->seen = tab;
        w->cap = cap;
    }
    int dup = seen_insert(w->seen, w->cap, country, year, tag, prev_tag);
    if (!dup) w->nseen++;
    return dup;
}

int64_t ol_values_supersede(ol_value_writer *w, const char *country, int year, int tag)
{
    sqlite3 *db = ol_store_db(w->c->store);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "DELETE FROM indicator_values WHERE source_id = ?1 AND country = ?2 AND year = ?3",
                           -1, &st, NULL) != SQLITE_OK) {
        ol_store_fail(w->c->store, w->c->err, "replacing superseded values");
        return -1;
    }
    sqlite3_bind_int64(st, 1, w->c->source_id);
    sqlite3_bind_text(st, 2, country, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, year);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        ol_store_fail(w->c->store, w->c->err, "replacing superseded values");
        return -1;
    }
    if (w->seen) {
        ol_value_key *k = seen_slot(w->seen, w->cap, country, year);
        if (k->country[0]) k->tag = tag;
    }
    return sqlite3_changes64(db);
}

ol_status ol_values_open_file(ol_import_ctx *c, const ol_csv_options *opt, const char *const *keys,
                              size_t nkeys, long *kidx, const ol_value_column *cols, size_t ncols,
                              long *vidx, const char *description, ol_csv **r, ol_value_writer *w)
{
    /* These importers have always said "no header" at line 0 for an empty
     * file (ol_import_open_csv says "no header line" at line 1). */
    ol_status s = open_header(c, opt, 0, "empty file: no header", r);
    if (s) return s;
    s = ol_csv_require(*r, keys, nkeys, kidx, c->err);
    for (size_t i = 0; i < ncols && !s; i++) s = ol_csv_require(*r, &cols[i].column, 1, &vidx[i], c->err);
    for (size_t i = 0; i < ncols && !s; i++)
        s = ol_import_series(c, cols[i].code, cols[i].name, cols[i].unit, description);
    if (!s) s = ol_values_open(c, w);
    if (s) { ol_csv_close(*r); *r = NULL; }
    return s;
}

ol_status ol_values_put_csv(ol_value_writer *w, const ol_csv *r, long vcol, const ol_value_column *col,
                            const char *country, int year, double value)
{
    ol_import_ctx *c = w->c;
    switch (ol_values_put(w, col->code, country, year, value, col->unit)) {
    case OL_PUT_OK: ol_import_keep(c); return OL_OK;
    case OL_PUT_DUPLICATE:
        return ol_import_reject_csv(c, r, OL_EVALIDATE, vcol + 1, col->column,
                                    "duplicate: %s %d already has a value", country, year);
    default: return c->err ? c->err->code : OL_ESTORE;
    }
}

/* ------------------------------------------------------------ pairs */

/* Appending a token to a comma-separated flag text, in SQL. */
#define OL_FLAG_APPEND(col, tok) "CASE WHEN " col " IS NULL OR " col " = '' THEN " tok \
    " WHEN instr(',' || " col " || ',', ',' || " tok " || ',') > 0 THEN " col " ELSE " col " || ',' || " tok " END"

ol_status ol_pairs_open(ol_import_ctx *c, ol_pair_writer *w)
{
    memset(w, 0, sizeof *w);
    w->c = c;
    ol_status st = ol_import_prepare(c,
        "INSERT INTO pair_values(series, country, partner, year, source_id, value, unit, vintage, flag) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &w->ins);
    if (!st) st = ol_import_prepare(c,
        "UPDATE pair_values SET value = value + ?6, "
        "flag = CASE WHEN ?7 IS NULL THEN flag ELSE " OL_FLAG_APPEND("flag", "?7") " END "
        "WHERE series = ?1 AND country = ?2 AND partner = ?3 AND year = ?4 AND source_id = ?5", &w->add);
    if (!st) st = ol_import_prepare(c,
        "UPDATE pair_values SET flag = " OL_FLAG_APPEND("flag", "?2") " WHERE source_id = ?1 AND year = ?3",
        &w->flag);
    if (st) ol_pairs_close(w);
    return st;
}

void ol_pairs_close(ol_pair_writer *w)
{
    sqlite3_finalize(w->ins);
    sqlite3_finalize(w->add);
    sqlite3_finalize(w->flag);
    w->ins = w->add = w->flag = NULL;
}

ol_put_result ol_pairs_put(ol_pair_writer *w, const char *series, const char *country, const char *partner,
                           int year, double value, const char *unit, const char *flag)
{
    sqlite3_stmt *st = w->ins;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, series, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, country, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, partner, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, year);
    sqlite3_bind_int64(st, 5, w->c->source_id);
    sqlite3_bind_double(st, 6, value);
    sqlite3_bind_text(st, 7, unit, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, w->c->vintage, -1, SQLITE_TRANSIENT);
    if (flag && *flag) sqlite3_bind_text(st, 9, flag, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, 9);
    return put_result(ol_import_insert(w->c, st, "writing a pair value"));
}

ol_put_result ol_pairs_add(ol_pair_writer *w, const char *series, const char *country, const char *partner,
                           int year, double value, const char *unit, const char *flag_if_added)
{
    ol_put_result r = ol_pairs_put(w, series, country, partner, year, value, unit, NULL);
    if (r != OL_PUT_DUPLICATE) return r;
    sqlite3_stmt *st = w->add;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, series, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, country, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, partner, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, year);
    sqlite3_bind_int64(st, 5, w->c->source_id);
    sqlite3_bind_double(st, 6, value);
    if (flag_if_added && *flag_if_added) sqlite3_bind_text(st, 7, flag_if_added, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, 7);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) return OL_PUT_DUPLICATE;
    ol_store_fail(w->c->store, w->c->err, "adding to a pair value");
    return OL_PUT_FAILED;
}

int64_t ol_pairs_flag_year(ol_pair_writer *w, int year, const char *flag)
{
    sqlite3_stmt *st = w->flag;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, w->c->source_id);
    sqlite3_bind_text(st, 2, flag, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, year);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        ol_store_fail(w->c->store, w->c->err, "flagging the values of a year");
        return -1;
    }
    return sqlite3_changes64(ol_store_db(w->c->store));
}

/* ------------------------------------------------------------ names */

#define OL_SOURCE_NAMES_FILE "source_names.csv"

typedef struct source_name {
    char *name;
    char code[OL_CODE_MAX];
    int start, end;   /* 0 = open */
} source_name;

struct ol_source_names {
    source_name *rows;
    size_t n;
};

void ol_source_names_free(ol_source_names *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->n; i++) free(t->rows[i].name);
    free(t->rows);
    free(t);
}

static int year_or_open(const char *s, int *out)
{
    if (ol_is_blank(s)) { *out = 0; return 1; }
    return ol_parse_int(s, out);
}

ol_status ol_source_names_load(ol_import_ctx *c, const char *source, ol_source_names **out)
{
    *out = NULL;
    const ol_embedded_file *f = ol_embedded_find(OL_SOURCE_NAMES_FILE);
    if (!f)
        return ol_error_set(c->err, OL_ENOTFOUND, OL_SOURCE_NAMES_FILE, 0, 0, NULL,
                            "built-in table missing from this build");
    ol_source_names *t = calloc(1, sizeof *t);
    if (!t) return ol_error_set(c->err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    FILE *fp = fmemopen((void *)f->data, f->size, "r");
    ol_csv *r = NULL;
    ol_status st = fp ? ol_csv_open_stream(fp, "(built-in) data/" OL_SOURCE_NAMES_FILE, NULL, &r, c->err)
                      : ol_error_set(c->err, OL_ENOMEM, NULL, 0, 0, NULL, "cannot read a built-in table");
    static const char *const cols[] = {"source", "name", "code", "start_year", "end_year"};
    long idx[5];
    int got = 0;
    if (!st && (got = ol_csv_next(r, c->err)) != 1)
        st = got < 0 ? (c->err ? c->err->code : OL_EPARSE)
                     : ol_error_set(c->err, OL_EPARSE, OL_SOURCE_NAMES_FILE, 1, 0, NULL, "empty built-in table");
    if (!st) st = ol_csv_require(r, cols, 5, idx, c->err);
    size_t cap = 0;
    while (!st && (got = ol_csv_next(r, c->err)) == 1) {
        if (strcmp(ol_csv_field(r, (size_t)idx[0]), source) != 0) continue;
        if (t->n == cap) {
            size_t nc = cap ? 2 * cap : 32;
            source_name *nr = realloc(t->rows, nc * sizeof *nr);
            if (!nr) { st = ol_error_set(c->err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
            t->rows = nr;
            cap = nc;
        }
        source_name *e = &t->rows[t->n];
        memset(e, 0, sizeof *e);
        const char *code = ol_csv_field(r, (size_t)idx[2]);
        if (strlen(code) >= sizeof e->code || !year_or_open(ol_csv_field(r, (size_t)idx[3]), &e->start) ||
            !year_or_open(ol_csv_field(r, (size_t)idx[4]), &e->end)) {
            st = ol_csv_error(r, c->err, OL_EVALIDATE, 0, NULL, "invalid row of the built-in names table");
            break;
        }
        char name[512];
        ol_trim_copy(name, sizeof name, ol_csv_field(r, (size_t)idx[1]));
        e->name = strdup(name);
        if (!e->name) { st = ol_error_set(c->err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
        snprintf(e->code, sizeof e->code, "%s", code);
        t->n++;
    }
    if (!st && got < 0) st = c->err ? c->err->code : OL_EPARSE;
    ol_csv_close(r);
    if (fp) fclose(fp);
    if (st) { ol_source_names_free(t); return st; }
    *out = t;
    return OL_OK;
}

ol_name_result ol_source_names_resolve(const ol_import_ctx *c, const ol_source_names *t, const char *name,
                                       int year, const char **code)
{
    char trimmed[512];
    ol_trim_copy(trimmed, sizeof trimmed, name);
    *code = NULL;
    for (size_t i = 0; t && i < t->n; i++) {
        const source_name *e = &t->rows[i];
        if (strcmp(e->name, trimmed) != 0) continue;
        if (year && ((e->start && year < e->start) || (e->end && year > e->end))) continue;
        if (!e->code[0]) return OL_NAME_SKIP;
        *code = e->code;
        return OL_NAME_FOUND;
    }
    if (!trimmed[0]) return OL_NAME_UNKNOWN;
    *code = ol_country_index_lookup(c->countries, OL_CODES_NAME, trimmed, year);
    return *code ? OL_NAME_FOUND : OL_NAME_UNKNOWN;
}

ol_status ol_values_iso3_key(ol_value_writer *w, ol_import_ctx *c, const ol_csv *r, size_t nheader,
                             const long kidx[3], int ymin, int ymax, const char **country, int *year)
{
    *country = NULL;
    if (ol_csv_nfields(r) != nheader) {
        ol_import_read(c);
        return ol_import_reject_width(c, r, nheader);
    }
    const char *ytext = ol_csv_field(r, (size_t)kidx[2]);
    const char *name = ol_csv_field(r, (size_t)kidx[1]);
    if (!ol_parse_int(ytext, year) || *year < ymin || *year > ymax) {
        ol_import_read(c);
        return ol_import_reject_csv(c, r, OL_EVALIDATE, kidx[2] + 1, "year", "not a year in %d-%d: '%s'", ymin,
                                    ymax, ytext);
    }
    char code[OL_CODE_MAX * 2];
    ol_trim_copy(code, sizeof code, ol_csv_field(r, (size_t)kidx[0]));
    /* ISO codes are not reused, so an undated match stands in for a year
     * outside the crosswalk's dates of the entity. */
    const char *oc = ol_country_index_lookup(c->countries, OL_CODES_ISO3, code, *year);
    if (!oc) oc = ol_country_index_lookup(c->countries, OL_CODES_ISO3, code, 0);
    if (!oc) {
        ol_import_read(c);
        return ol_import_reject_csv(c, r, OL_EVALIDATE, kidx[0] + 1, "countrycode",
                                    "unknown ISO 3166 alpha-3 code '%s' (%s); a user override can "
                                    "add it to the crosswalk (docs/countries.md)", code, name);
    }
    int dup = ol_values_seen(w, oc, *year, 0, NULL);
    if (dup < 0) return c->err ? c->err->code : OL_ENOMEM;
    if (dup) {
        ol_import_read(c);
        return ol_import_reject_csv(c, r, OL_EVALIDATE, kidx[0] + 1, "countrycode",
                                    "duplicate: a line for %s (%s) %d appears earlier in the file", code, name,
                                    *year);
    }
    *country = oc;
    return OL_OK;
}
