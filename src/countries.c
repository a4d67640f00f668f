/*
 * The country crosswalk: loading the built-in tables, user overrides, the
 * in-memory index used by importers, and resolution of any code or name.
 */
#include "orderlab/countries.h"

#include "util/csvread.h"
#include "util/embedded.h"
#include "util/fnv.h"
#include "util/text.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ names */

/* Accented Latin letters (UTF-8, two bytes) folded to ASCII so that
 * "Côte d'Ivoire" and "Cote d'Ivoire" meet. */
static char fold_latin(unsigned char b1, unsigned char b2)
{
    if (b1 == 0xC3) {
        static const char map[64] =
            "AAAAAAACEEEEIIII" "DNOOOOOxOUUUUYTs"   /* U+00C0..U+00DF */
            "aaaaaaaceeeeiiii" "dnooooo/ouuuuyty";  /* U+00E0..U+00FF */
        if (b2 >= 0x80 && b2 <= 0xBF) return map[b2 - 0x80];
    }
    if (b1 == 0xC5 || b1 == 0xC4) {
        /* Latin Extended-A: a handful that occur in country names. */
        unsigned cp = ((unsigned)(b1 & 0x1F) << 6) | (b2 & 0x3F);
        switch (cp) {
        case 0x15F: case 0x15E: return 's'; /* ş */
        case 0x11F: case 0x11E: return 'g'; /* ğ */
        case 0x131: return 'i';             /* ı */
        case 0x107: case 0x10D: return 'c';
        case 0x161: return 's';
        case 0x17E: return 'z';
        default: break;
        }
    }
    return 0;
}

/* Normalises a name for lookup: ASCII lower case, accents folded, every run
 * of punctuation or space (ASCII or full-width) one space, trimmed. */
static void name_key(const char *in, char *out, size_t size)
{
    size_t o = 0;
    int pending_space = 0;
    const unsigned char *s = (const unsigned char *)in;
    while (*s && o + 4 < size) {
        unsigned char c = *s;
        char emit = 0;
        int sep = 0;
        size_t adv = 1;
        if (c < 0x80) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) emit = (char)c;
            else if (c >= 'A' && c <= 'Z') emit = (char)(c - 'A' + 'a');
            else if (c == '&') { /* "Bosnia & Herzegovina" = "... and ..." */
                if (o && out[o - 1] != ' ') out[o++] = ' ';
                memcpy(out + o, "and", 3); o += 3; pending_space = 1; s++; continue;
            } else sep = 1;
        } else if ((c & 0xE0) == 0xC0 && s[1]) {
            emit = fold_latin(c, s[1]);
            adv = 2;
            if (!emit) { /* keep unknown two-byte letters as they are */
                if (pending_space && o) out[o++] = ' ';
                pending_space = 0;
                out[o++] = (char)c; out[o++] = (char)s[1];
                s += 2;
                continue;
            }
        } else if (c == 0xEF && s[1] == 0xBC && (s[2] == 0x88 || s[2] == 0x89 || s[2] == 0x8C)) {
            sep = 1; adv = 3; /* full-width ( ) , */
        } else if (c == 0xE2 && s[1] == 0x80 && s[2]) {
            sep = 1; adv = 3; /* general punctuation: typographic quotes and dashes */
        } else {
            /* other multi-byte characters (CJK) are kept whole */
            size_t len = (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
            if (pending_space && o) out[o++] = ' ';
            pending_space = 0;
            for (size_t k = 0; k < len && s[k] && o + 1 < size; k++) out[o++] = (char)s[k];
            s += len;
            continue;
        }
        if (sep) { pending_space = 1; s += adv; continue; }
        if (pending_space && o) out[o++] = ' ';
        pending_space = 0;
        out[o++] = emit;
        s += adv;
    }
    out[o] = '\0';
}

/* ------------------------------------------------------------ loading */

static const char *const builtin_files[] = {"countries.csv", "country_codes.csv", "country_spells.csv"};

/* The built-in version is a hash of the embedded tables, so a changed table
 * is reloaded without anyone remembering to bump a number. */
static void builtin_version(char *out, size_t n)
{
    uint64_t h = OL_FNV1A_OFFSET;
    for (size_t i = 0; i < sizeof builtin_files / sizeof builtin_files[0]; i++) {
        const ol_embedded_file *f = ol_embedded_find(builtin_files[i]);
        if (f) h = ol_fnv1a_bytes(h, f->data, f->size);
    }
    snprintf(out, n, "%016llx", (unsigned long long)h);
}

static const char *const country_cols[] = {
    "code", "iso3", "iso2", "iso3n", "cown", "cowc", "wb", "name_en", "name_zh",
    "kind", "start_year", "end_year", "successor", "aliases", "note",
};
enum { C_CODE, C_ISO3, C_ISO2, C_ISO3N, C_COWN, C_COWC, C_WB, C_NAME_EN, C_NAME_ZH,
       C_KIND, C_START, C_END, C_SUCC, C_ALIASES, C_NOTE, C_NCOLS };

/* Opens an embedded table as a CSV stream. */
static ol_status open_embedded(const char *name, FILE **fp, ol_csv **r, ol_error *err)
{
    const ol_embedded_file *f = ol_embedded_find(name);
    if (!f) return ol_error_set(err, OL_ENOTFOUND, name, 0, 0, NULL, "built-in table missing from this build");
    *fp = fmemopen((void *)f->data, f->size, "r");
    if (!*fp) return ol_error_set(err, OL_ENOMEM, name, 0, 0, NULL, "cannot read built-in table");
    char label[128];
    snprintf(label, sizeof label, "(built-in) data/%s", name);
    ol_status st = ol_csv_open_stream(*fp, label, NULL, r, err);
    if (st) { fclose(*fp); *fp = NULL; }
    return st;
}

static int valid_kind(const char *k)
{
    return !strcmp(k, "state") || !strcmp(k, "former") || !strcmp(k, "territory") ||
           !strcmp(k, "aggregate") || !strcmp(k, "other");
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s) sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

static ol_status bind_int_field(const ol_csv *r, sqlite3_stmt *st, int i, long col, const char *name, ol_error *err)
{
    const char *s = ol_csv_field(r, (size_t)col);
    if (ol_is_blank(s)) { sqlite3_bind_null(st, i); return OL_OK; }
    int64_t v;
    if (!ol_parse_int64(s, &v))
        return ol_csv_error(r, err, OL_EVALIDATE, col + 1, name, "not a whole number: '%s'", s);
    sqlite3_bind_int64(st, i, v);
    return OL_OK;
}

static ol_status add_name(sqlite3_stmt *ins, const char *code, const char *name)
{
    char key[512];
    name_key(name, key, sizeof key);
    if (!key[0]) return OL_OK;
    sqlite3_reset(ins);
    sqlite3_bind_text(ins, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 2, code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 3, name, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(ins);
    return rc == SQLITE_DONE ? OL_OK : OL_ESTORE;
}

/* Adds the name, the Chinese name and every ';'-separated alias of a row. */
static ol_status add_names(sqlite3_stmt *ins, const char *code, const char *en, const char *zh, const char *aliases)
{
    if (add_name(ins, code, en)) return OL_ESTORE;
    if (zh && *zh && add_name(ins, code, zh)) return OL_ESTORE;
    if (!aliases) return OL_OK;
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", aliases);
    char *save = NULL;
    for (char *t = strtok_r(buf, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
        char one[512];
        ol_trim_copy(one, sizeof one, t);
        if (one[0] && add_name(ins, code, one)) return OL_ESTORE;
    }
    return OL_OK;
}

/*
 * Reads rows in the countries.csv layout from r and upserts them with the
 * given origin.  Validation names the file, line and field.  `seen` counts rows.
 */
static ol_status load_country_rows(ol_store *store, ol_csv *r, const char *origin, int64_t *rows, ol_error *err)
{
    sqlite3 *db = ol_store_db(store);
    int rc = ol_csv_next(r, err);
    if (rc < 0) return err ? err->code : OL_EPARSE;
    if (rc == 0) return ol_error_set(err, OL_EPARSE, ol_csv_name(r), 1, 0, NULL, "empty file: no header");
    long idx[C_NCOLS];
    /* code and name_en are required; other columns may be absent in user files. */
    static const char *const required[] = {"code", "name_en"};
    long req[2];
    ol_status st = ol_csv_require(r, required, 2, req, err);
    if (st) return st;
    for (int k = 0; k < C_NCOLS; k++) idx[k] = ol_csv_find(r, country_cols[k]);

    sqlite3_stmt *up = NULL, *names = NULL, *delnames = NULL;
    const char *sql =
        "INSERT INTO countries(code, iso3, iso2, iso3n, cown, cowc, wb, name_en, name_zh, kind, "
        "start_year, end_year, successor, origin, note) "
        "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15) "
        "ON CONFLICT(code) DO UPDATE SET iso3=excluded.iso3, iso2=excluded.iso2, iso3n=excluded.iso3n, "
        "cown=excluded.cown, cowc=excluded.cowc, wb=excluded.wb, name_en=excluded.name_en, "
        "name_zh=excluded.name_zh, kind=excluded.kind, start_year=excluded.start_year, "
        "end_year=excluded.end_year, successor=excluded.successor, origin=excluded.origin, note=excluded.note";
    if (sqlite3_prepare_v2(db, sql, -1, &up, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO country_names(key, code, name) VALUES (?1, ?2, ?3)",
                           -1, &names, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "DELETE FROM country_names WHERE code = ?1", -1, &delnames, NULL) != SQLITE_OK) {
        st = ol_store_fail(store, err, "preparing the crosswalk load");
        goto done;
    }
    while ((rc = ol_csv_next(r, err)) == 1) {
        const char *f[C_NCOLS];
        for (int k = 0; k < C_NCOLS; k++) f[k] = idx[k] >= 0 ? ol_csv_field(r, (size_t)idx[k]) : "";
        char code[OL_CODE_MAX * 2];
        ol_trim_copy(code, sizeof code, f[C_CODE]);
        size_t cl = strlen(code);
        if (cl < 2 || cl >= OL_CODE_MAX) {
            st = ol_csv_error(r, err, OL_EVALIDATE, idx[C_CODE] + 1, "code",
                              "a code of 2 to %d characters is required, not '%s'", OL_CODE_MAX - 1, code);
            goto done;
        }
        for (size_t i = 0; i < cl; i++)
            if (!((code[i] >= 'A' && code[i] <= 'Z') || (code[i] >= '0' && code[i] <= '9'))) {
                st = ol_csv_error(r, err, OL_EVALIDATE, idx[C_CODE] + 1, "code",
                                  "codes are upper-case letters and digits: '%s'", code);
                goto done;
            }
        if (ol_is_blank(f[C_NAME_EN])) {
            st = ol_csv_error(r, err, OL_EVALIDATE, idx[C_NAME_EN] + 1, "name_en", "an English name is required");
            goto done;
        }
        const char *kind = ol_is_blank(f[C_KIND]) ? "state" : f[C_KIND];
        if (!valid_kind(kind)) {
            st = ol_csv_error(r, err, OL_EVALIDATE, idx[C_KIND] + 1, "kind",
                              "'%s' is not one of state, former, territory, aggregate, other", kind);
            goto done;
        }
        if (!ol_is_blank(f[C_ISO2]) && strlen(f[C_ISO2]) != 2) {
            st = ol_csv_error(r, err, OL_EVALIDATE, idx[C_ISO2] + 1, "iso2", "ISO2 codes have 2 letters: '%s'", f[C_ISO2]);
            goto done;
        }
        if (!ol_is_blank(f[C_ISO3]) && strlen(f[C_ISO3]) != 3) {
            st = ol_csv_error(r, err, OL_EVALIDATE, idx[C_ISO3] + 1, "iso3", "ISO3 codes have 3 letters: '%s'", f[C_ISO3]);
            goto done;
        }
        sqlite3_reset(up);
        sqlite3_clear_bindings(up);
        sqlite3_bind_text(up, 1, code, -1, SQLITE_TRANSIENT);
        bind_text_or_null(up, 2, f[C_ISO3]);
        bind_text_or_null(up, 3, f[C_ISO2]);
        if ((st = bind_int_field(r, up, 4, idx[C_ISO3N], "iso3n", err))) goto done;
        if ((st = bind_int_field(r, up, 5, idx[C_COWN], "cown", err))) goto done;
        bind_text_or_null(up, 6, f[C_COWC]);
        bind_text_or_null(up, 7, f[C_WB]);
        sqlite3_bind_text(up, 8, f[C_NAME_EN], -1, SQLITE_TRANSIENT);
        bind_text_or_null(up, 9, f[C_NAME_ZH]);
        sqlite3_bind_text(up, 10, kind, -1, SQLITE_TRANSIENT);
        if ((st = bind_int_field(r, up, 11, idx[C_START], "start_year", err))) goto done;
        if ((st = bind_int_field(r, up, 12, idx[C_END], "end_year", err))) goto done;
        bind_text_or_null(up, 13, f[C_SUCC]);
        sqlite3_bind_text(up, 14, origin, -1, SQLITE_STATIC);
        bind_text_or_null(up, 15, f[C_NOTE]);
        int64_t sy = 0, ey = 0;
        if (!ol_is_blank(f[C_START]) && !ol_is_blank(f[C_END]) && ol_parse_int64(f[C_START], &sy) &&
            ol_parse_int64(f[C_END], &ey) && ey < sy) {
            st = ol_csv_error(r, err, OL_EVALIDATE, idx[C_END] + 1, "end_year",
                              "end year %lld is before start year %lld", (long long)ey, (long long)sy);
            goto done;
        }
        if (sqlite3_step(up) != SQLITE_DONE) {
            st = ol_store_fail(store, err, "writing a country");
            ol_error_prefix(err, "%s:%ld", ol_csv_name(r), ol_csv_line(r));
            goto done;
        }
        sqlite3_reset(delnames);
        sqlite3_bind_text(delnames, 1, code, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(delnames) != SQLITE_DONE ||
            add_names(names, code, f[C_NAME_EN], f[C_NAME_ZH], f[C_ALIASES])) {
            st = ol_store_fail(store, err, "writing country names");
            goto done;
        }
        if (rows) (*rows)++;
    }
    if (rc < 0) st = err ? err->code : OL_EPARSE;
done:
    sqlite3_finalize(up);
    sqlite3_finalize(names);
    sqlite3_finalize(delnames);
    return st;
}

/* How a column of an embedded table is bound: as text, as text or NULL when
 * empty, or as a whole number (NULL when blank). */
typedef enum { COL_TEXT, COL_TEXT_OR_NULL, COL_INT } col_bind;

typedef struct table_col {
    const char *name;
    col_bind bind;
} table_col;

enum { TABLE_COLS_MAX = 8 };

/* Loads the embedded CSV file into a table: sql is an INSERT with one
 * parameter per column, in the order of cols (at most TABLE_COLS_MAX);
 * `doing` names the load in store errors. */
static ol_status load_table(ol_store *store, const char *file, const char *sql, const table_col *cols,
                            size_t ncols, const char *doing, ol_error *err)
{
    FILE *fp = NULL;
    ol_csv *r = NULL;
    ol_status st = open_embedded(file, &fp, &r, err);
    if (st) return st;
    sqlite3_stmt *ins = NULL;
    const char *names[TABLE_COLS_MAX];
    long idx[TABLE_COLS_MAX];
    for (size_t k = 0; k < ncols; k++) names[k] = cols[k].name;
    int rc = ol_csv_next(r, err);
    if (rc != 1) { st = rc < 0 ? OL_EPARSE : ol_error_set(err, OL_EPARSE, ol_csv_name(r), 1, 0, NULL, "no header"); goto done; }
    if ((st = ol_csv_require(r, names, ncols, idx, err))) goto done;
    if (sqlite3_prepare_v2(ol_store_db(store), sql, -1, &ins, NULL) != SQLITE_OK) {
        st = ol_store_fail(store, err, doing);
        goto done;
    }
    while ((rc = ol_csv_next(r, err)) == 1) {
        sqlite3_reset(ins);
        sqlite3_clear_bindings(ins);
        for (size_t k = 0; k < ncols; k++) {
            int i = (int)k + 1;
            const char *f = ol_csv_field(r, (size_t)idx[k]);
            switch (cols[k].bind) {
            case COL_TEXT: sqlite3_bind_text(ins, i, f, -1, SQLITE_TRANSIENT); break;
            case COL_TEXT_OR_NULL: bind_text_or_null(ins, i, f); break;
            case COL_INT:
                if ((st = bind_int_field(r, ins, i, idx[k], cols[k].name, err))) goto done;
                break;
            }
        }
        if (sqlite3_step(ins) != SQLITE_DONE) {
            st = ol_store_fail(store, err, doing);
            ol_error_prefix(err, "%s:%ld", ol_csv_name(r), ol_csv_line(r));
            goto done;
        }
    }
    if (rc < 0) st = err ? err->code : OL_EPARSE;
done:
    sqlite3_finalize(ins);
    ol_csv_close(r);
    fclose(fp);
    return st;
}

static ol_status load_codes(ol_store *store, ol_error *err)
{
    static const table_col cols[] = {
        {"system", COL_TEXT}, {"key", COL_TEXT}, {"code", COL_TEXT},
        {"start_year", COL_INT}, {"end_year", COL_INT}, {"note", COL_TEXT_OR_NULL},
    };
    return load_table(store, "country_codes.csv",
                      "INSERT INTO country_codes(system, key, code, start_year, end_year, note) "
                      "VALUES (?1,?2,?3,?4,?5,?6)",
                      cols, sizeof cols / sizeof cols[0], "loading country codes", err);
}

static ol_status load_spells(ol_store *store, ol_error *err)
{
    static const table_col cols[] = {
        {"code", COL_TEXT}, {"cown", COL_INT}, {"start_year", COL_INT}, {"end_year", COL_INT},
    };
    return load_table(store, "country_spells.csv",
                      "INSERT INTO country_spells(code, cown, start_year, end_year) VALUES (?1,?2,?3,?4)",
                      cols, sizeof cols / sizeof cols[0], "loading state-system spells", err);
}

/* Re-applies every user override over the built-in rows. */
static ol_status apply_overrides(ol_store *store, ol_error *err)
{
    sqlite3 *db = ol_store_db(store);
    const char *sql =
        "INSERT INTO countries(code, iso3, iso2, iso3n, cown, cowc, wb, name_en, name_zh, kind, "
        "start_year, end_year, successor, origin, note) "
        "SELECT code, iso3, iso2, iso3n, cown, cowc, wb, name_en, name_zh, kind, start_year, end_year, "
        "successor, 'override', note FROM country_overrides WHERE true "
        "ON CONFLICT(code) DO UPDATE SET iso3=excluded.iso3, iso2=excluded.iso2, iso3n=excluded.iso3n, "
        "cown=excluded.cown, cowc=excluded.cowc, wb=excluded.wb, name_en=excluded.name_en, "
        "name_zh=excluded.name_zh, kind=excluded.kind, start_year=excluded.start_year, "
        "end_year=excluded.end_year, successor=excluded.successor, origin='override', note=excluded.note";
    ol_status st = ol_store_exec(store, sql, err);
    if (st) return st;
    sqlite3_stmt *sel = NULL, *ins = NULL, *del = NULL;
    if (sqlite3_prepare_v2(db, "SELECT code, name_en, name_zh, aliases FROM country_overrides", -1, &sel, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO country_names(key, code, name) VALUES (?1, ?2, ?3)", -1, &ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "DELETE FROM country_names WHERE code = ?1", -1, &del, NULL) != SQLITE_OK) {
        st = ol_store_fail(store, err, "applying country overrides");
        goto done;
    }
    while (sqlite3_step(sel) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(sel, 0);
        sqlite3_reset(del);
        sqlite3_bind_text(del, 1, code, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(del) != SQLITE_DONE ||
            add_names(ins, code, (const char *)sqlite3_column_text(sel, 1),
                      (const char *)sqlite3_column_text(sel, 2), (const char *)sqlite3_column_text(sel, 3))) {
            st = ol_store_fail(store, err, "applying country overrides");
            goto done;
        }
    }
done:
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    sqlite3_finalize(del);
    return st;
}

static ol_status load_builtin(ol_store *store, ol_error *err)
{
    ol_status st = ol_store_exec(store, "DELETE FROM country_codes; DELETE FROM country_spells;", err);
    if (st) return st;
    FILE *fp = NULL;
    ol_csv *r = NULL;
    st = open_embedded("countries.csv", &fp, &r, err);
    if (st) return st;
    st = load_country_rows(store, r, "builtin", NULL, err);
    ol_csv_close(r);
    fclose(fp);
    if (!st) st = load_codes(store, err);
    if (!st) st = load_spells(store, err);
    if (!st) st = apply_overrides(store, err);
    return st;
}

ol_status ol_countries_ensure(ol_store *store, ol_error *err)
{
    char version[32];
    builtin_version(version, sizeof version);
    int current = 0;
    ol_status st = ol_store_builtin_current(store, "countries", version, &current, err);
    if (st || current) return st;
    int own_tx = !ol_store_in_transaction(store);
    if (own_tx && (st = ol_store_begin(store, err))) return st;
    st = load_builtin(store, err);
    if (!st) st = ol_store_builtin_mark(store, "countries", version, err);
    if (own_tx) {
        if (!st) st = ol_store_commit(store, err);
        else ol_store_rollback(store);
    }
    return st;
}

/* ------------------------------------------------------------ index */

typedef struct entry {
    const char *key;     /* "s:KEY" with s the system letter; owned by the index */
    int country;         /* index into countries */
    int start, end;      /* years the mapping applies, 0 = open */
    struct entry *next;  /* chain in a bucket */
} entry;

struct ol_country_index {
    ol_country *countries;
    size_t n;
    entry **buckets;
    size_t nbuckets;
    entry *entries;
    size_t nentries, cap;
    char *strings;       /* arena for keys */
    size_t slen, scap;
};

static char system_letter(ol_code_system sys)
{
    switch (sys) {
    case OL_CODES_ORDERLAB: return 'o';
    case OL_CODES_ISO3: return '3';
    case OL_CODES_ISO2: return '2';
    case OL_CODES_ISO3N: return 'n';
    case OL_CODES_COWN: return 'c';
    case OL_CODES_COWC: return 'l';
    case OL_CODES_WB: return 'w';
    case OL_CODES_NAME: return 'm';
    case OL_CODES_CENSUS: return 'u';
    case OL_CODES_ANY: break;
    }
    return '?';
}

static uint64_t hash_key(char sys, const char *key)
{
    uint64_t h = ol_fnv1a_bytes(OL_FNV1A_OFFSET, &sys, 1);
    return ol_fnv1a_bytes(h, key, strlen(key));
}

/* Entries keep offsets into the arena until the index is complete, because
 * the arena moves while it grows. */
static int index_add(ol_country_index *ix, char sys, const char *key, int country, int start, int end)
{
    if (!key || !*key) return 0;
    size_t kl = strlen(key);
    if (ix->slen + kl + 2 > ix->scap) {
        size_t cap = ix->scap ? ix->scap * 2 : 16384;
        while (cap < ix->slen + kl + 2) cap *= 2;
        char *ns = realloc(ix->strings, cap);
        if (!ns) return -1;
        ix->strings = ns;
        ix->scap = cap;
    }
    if (ix->nentries == ix->cap) {
        size_t cap = ix->cap ? ix->cap * 2 : 1024;
        entry *ne = realloc(ix->entries, cap * sizeof *ne);
        if (!ne) return -1;
        ix->entries = ne;
        ix->cap = cap;
    }
    size_t off = ix->slen;
    ix->strings[off] = sys;
    memcpy(ix->strings + off + 1, key, kl + 1);
    ix->slen += kl + 2;
    entry *e = &ix->entries[ix->nentries++];
    e->key = (const char *)(uintptr_t)off;
    e->country = country;
    e->start = start;
    e->end = end;
    e->next = NULL;
    return 0;
}

static int index_finish(ol_country_index *ix)
{
    ix->nbuckets = 1;
    while (ix->nbuckets < ix->nentries * 2) ix->nbuckets <<= 1;
    ix->buckets = calloc(ix->nbuckets, sizeof *ix->buckets);
    if (!ix->buckets) return -1;
    for (size_t i = 0; i < ix->nentries; i++) {
        entry *e = &ix->entries[i];
        e->key = ix->strings + (uintptr_t)e->key;
        uint64_t h = hash_key(e->key[0], e->key + 1) & (ix->nbuckets - 1);
        e->next = ix->buckets[h];
        ix->buckets[h] = e;
    }
    return 0;
}

static void copy_col(char *dst, size_t n, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, n, "%s", t ? (const char *)t : "");
}

ol_status ol_country_index_new(ol_store *store, ol_country_index **out, ol_error *err)
{
    *out = NULL;
    sqlite3 *db = ol_store_db(store);
    ol_country_index *ix = calloc(1, sizeof *ix);
    if (!ix) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating the country index");
    sqlite3_stmt *st = NULL;
    ol_status res = OL_OK;
    int64_t n = 0;
    if ((res = ol_store_count(store, "countries", &n, err))) goto fail;
    ix->countries = calloc((size_t)n + 1, sizeof *ix->countries);
    if (!ix->countries) { res = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating the country index"); goto fail; }
    if (sqlite3_prepare_v2(db,
                           "SELECT code, iso3, iso2, iso3n, cown, cowc, wb, name_en, name_zh, kind, "
                           "start_year, end_year, successor, origin FROM countries ORDER BY code",
                           -1, &st, NULL) != SQLITE_OK) {
        res = ol_store_fail(store, err, "reading the crosswalk");
        goto fail;
    }
    while (sqlite3_step(st) == SQLITE_ROW && ix->n < (size_t)n) {
        ol_country *c = &ix->countries[ix->n];
        copy_col(c->code, sizeof c->code, st, 0);
        copy_col(c->iso3, sizeof c->iso3, st, 1);
        copy_col(c->iso2, sizeof c->iso2, st, 2);
        c->iso3n = sqlite3_column_int(st, 3);
        c->cown = sqlite3_column_int(st, 4);
        copy_col(c->cowc, sizeof c->cowc, st, 5);
        copy_col(c->wb, sizeof c->wb, st, 6);
        copy_col(c->name_en, sizeof c->name_en, st, 7);
        copy_col(c->name_zh, sizeof c->name_zh, st, 8);
        copy_col(c->kind, sizeof c->kind, st, 9);
        c->start_year = sqlite3_column_int(st, 10);
        c->end_year = sqlite3_column_int(st, 11);
        copy_col(c->successor, sizeof c->successor, st, 12);
        const unsigned char *o = sqlite3_column_text(st, 13);
        c->overridden = o && strcmp((const char *)o, "override") == 0;
        int i = (int)ix->n, s = c->start_year, e = c->end_year;
        char num[32];
        int fail = index_add(ix, 'o', c->code, i, 0, 0) || index_add(ix, '3', c->iso3, i, s, e) ||
                   index_add(ix, '2', c->iso2, i, s, e) || index_add(ix, 'l', c->cowc, i, s, e) ||
                   index_add(ix, 'w', c->wb, i, s, e);
        if (!fail && c->iso3n) { snprintf(num, sizeof num, "%d", c->iso3n); fail = index_add(ix, 'n', num, i, s, e); }
        if (!fail && c->cown) { snprintf(num, sizeof num, "%d", c->cown); fail = index_add(ix, 'c', num, i, s, e); }
        if (fail) { res = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "building the country index"); goto fail; }
        ix->n++;
    }
    sqlite3_finalize(st);
    st = NULL;
    /* Extra codes and names refer to countries by code: find by binary search. */
    if (sqlite3_prepare_v2(db,
                           "SELECT 'c', key, code, start_year, end_year FROM country_codes WHERE system='cown' "
                           "UNION ALL SELECT CASE system WHEN 'iso3' THEN '3' WHEN 'iso2' THEN '2' "
                           "WHEN 'iso3n' THEN 'n' WHEN 'cowc' THEN 'l' WHEN 'wb' THEN 'w' WHEN 'census' THEN 'u' END, key, code, "
                           "start_year, end_year FROM country_codes WHERE system<>'cown' "
                           "UNION ALL SELECT 'm', key, code, NULL, NULL FROM country_names",
                           -1, &st, NULL) != SQLITE_OK) {
        res = ol_store_fail(store, err, "reading the crosswalk");
        goto fail;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *sys = (const char *)sqlite3_column_text(st, 0);
        const char *key = (const char *)sqlite3_column_text(st, 1);
        const char *code = (const char *)sqlite3_column_text(st, 2);
        size_t lo = 0, hi = ix->n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(ix->countries[mid].code, code) < 0) lo = mid + 1; else hi = mid;
        }
        if (lo >= ix->n || strcmp(ix->countries[lo].code, code) != 0) continue;
        if (index_add(ix, sys[0], key, (int)lo, sqlite3_column_int(st, 3), sqlite3_column_int(st, 4))) {
            res = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "building the country index");
            goto fail;
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    if (index_finish(ix)) { res = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "building the country index"); goto fail; }
    *out = ix;
    return OL_OK;
fail:
    sqlite3_finalize(st);
    ol_country_index_free(ix);
    return res;
}

void ol_country_index_free(ol_country_index *ix)
{
    if (!ix) return;
    free(ix->countries);
    free(ix->buckets);
    free(ix->entries);
    free(ix->strings);
    free(ix);
}

static int covers(const entry *e, int year)
{
    return (!e->start || year >= e->start) && (!e->end || year <= e->end);
}

/*
 * Collects the distinct countries a key maps to (up to max).  With year != 0,
 * mappings whose years exclude it are dropped when some mapping includes it.
 */
static size_t candidates(const ol_country_index *ix, char sys, const char *key, int year, int *out, size_t max)
{
    if (!ix->nbuckets) return 0;
    uint64_t h = hash_key(sys, key) & (ix->nbuckets - 1);
    size_t n = 0;
    int any_cover = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (const entry *e = ix->buckets[h]; e; e = e->next) {
            if (e->key[0] != sys || strcmp(e->key + 1, key) != 0) continue;
            if (pass == 0) { if (year && covers(e, year)) any_cover = 1; continue; }
            if (year && any_cover && !covers(e, year)) continue;
            int dup = 0;
            for (size_t k = 0; k < n; k++) if (out[k] == e->country) dup = 1;
            if (!dup && n < max) out[n++] = e->country;
        }
    }
    return n;
}

static void system_key(ol_code_system sys, const char *in, char *key, size_t n)
{
    if (sys == OL_CODES_NAME) { name_key(in, key, n); return; }
    ol_trim_copy(key, n, in);
    if (sys == OL_CODES_COWN || sys == OL_CODES_ISO3N || sys == OL_CODES_CENSUS) {
        /* "002" and "2" are the same number; so are Census "0015" and "15" */
        int64_t v;
        if (ol_parse_int64(key, &v)) snprintf(key, n, "%lld", (long long)v);
        return;
    }
    for (char *p = key; *p; p++) if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
}

const char *ol_country_index_lookup(const ol_country_index *ix, ol_code_system sys, const char *key, int year)
{
    if (!ix || !key) return NULL;
    static const ol_code_system order[] = {OL_CODES_ORDERLAB, OL_CODES_ISO3, OL_CODES_ISO2, OL_CODES_WB,
                                           OL_CODES_COWC, OL_CODES_COWN, OL_CODES_ISO3N, OL_CODES_NAME};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        ol_code_system s = sys == OL_CODES_ANY ? order[k] : sys;
        char norm[512];
        system_key(s, key, norm, sizeof norm);
        int found[4];
        size_t n = norm[0] ? candidates(ix, system_letter(s), norm, year, found, 4) : 0;
        if (n == 1) return ix->countries[found[0]].code;
        if (n > 1 || sys != OL_CODES_ANY) return NULL;
    }
    return NULL;
}

const ol_country *ol_country_index_get(const ol_country_index *ix, const char *code)
{
    if (!ix || !code) return NULL;
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(ix->countries[mid].code, code);
        if (c == 0) return &ix->countries[mid];
        if (c < 0) lo = mid + 1; else hi = mid;
    }
    return NULL;
}

/* ------------------------------------------------------------ resolution */

ol_status ol_country_resolve(ol_store *store, const char *query, ol_country *out, ol_error *err)
{
    if (!query || ol_is_blank(query))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "an empty country code or name");
    ol_country_index *ix = NULL;
    ol_status st = ol_country_index_new(store, &ix, err);
    if (st) return st;
    static const ol_code_system order[] = {OL_CODES_ORDERLAB, OL_CODES_ISO3, OL_CODES_ISO2, OL_CODES_WB,
                                           OL_CODES_COWC, OL_CODES_COWN, OL_CODES_ISO3N, OL_CODES_NAME};
    enum { MAXC = 16 };
    int found[MAXC];
    size_t n = 0;
    for (size_t k = 0; k < sizeof order / sizeof order[0] && n == 0; k++) {
        char norm[512];
        system_key(order[k], query, norm, sizeof norm);
        if (norm[0]) n = candidates(ix, system_letter(order[k]), norm, 0, found, MAXC);
    }
    if (n == 1) {
        *out = ix->countries[found[0]];
        st = OL_OK;
    } else if (n == 0) {
        st = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, NULL,
                          "no country has the code or name '%s' (ISO3, ISO2, ISO numeric, COW, "
                          "World Bank, orderlab code, English or Chinese name)", query);
    } else {
        char list[OL_ERROR_MSG_MAX / 2] = "";
        size_t used = 0;
        for (size_t i = 0; i < n && used + 2 < sizeof list; i++) {
            int w = snprintf(list + used, sizeof list - used, "%s%s (%s)", i ? ", " : "",
                             ix->countries[found[i]].code, ix->countries[found[i]].name_en);
            if (w < 0) break;
            used += (size_t)w;
        }
        st = ol_error_set(err, OL_EAMBIGUOUS, NULL, 0, 0, NULL,
                          "'%s' is ambiguous: it names %zu countries: %s; use a code", query, n, list);
    }
    ol_country_index_free(ix);
    return st;
}

ol_status ol_country_get(ol_store *store, const char *code, ol_country *out, ol_error *err)
{
    ol_country_index *ix = NULL;
    ol_status st = ol_country_index_new(store, &ix, err);
    if (st) return st;
    const ol_country *c = ol_country_index_get(ix, code);
    if (c) *out = *c;
    else st = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, NULL, "no country with orderlab code '%s'", code);
    ol_country_index_free(ix);
    return st;
}

/* ------------------------------------------------------------ overrides */

ol_status ol_countries_import_overrides(ol_store *store, const char *path, int64_t *rows, ol_error *err)
{
    int64_t local = 0;
    if (!rows) rows = &local;
    *rows = 0;
    ol_csv *r = NULL;
    ol_status st = ol_csv_open(path, NULL, &r, err);
    if (st) return st;
    int own_tx = !ol_store_in_transaction(store);
    if (own_tx && (st = ol_store_begin(store, err))) { ol_csv_close(r); return st; }
    /* Validate and write into countries first (load_country_rows checks every
     * field), then copy the same rows into country_overrides. */
    st = load_country_rows(store, r, "override", rows, err);
    ol_csv_close(r);
    if (!st) {
        r = NULL;
        st = ol_csv_open(path, NULL, &r, err);
        sqlite3_stmt *ins = NULL;
        if (!st && sqlite3_prepare_v2(ol_store_db(store),
                                      "INSERT OR REPLACE INTO country_overrides(code, iso3, iso2, iso3n, cown, cowc, wb, "
                                      "name_en, name_zh, kind, start_year, end_year, successor, aliases, note) "
                                      "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,coalesce(?10,'state'),?11,?12,?13,?14,?15)",
                                      -1, &ins, NULL) != SQLITE_OK)
            st = ol_store_fail(store, err, "recording overrides");
        long idx[C_NCOLS];
        int rc = st ? -1 : ol_csv_next(r, err);
        if (rc == 1)
            for (int k = 0; k < C_NCOLS; k++) idx[k] = ol_csv_find(r, country_cols[k]);
        while (!st && (rc = ol_csv_next(r, err)) == 1) {
            sqlite3_reset(ins);
            sqlite3_clear_bindings(ins);
            for (int k = 0; k < C_NCOLS; k++) {
                const char *f = idx[k] >= 0 ? ol_csv_field(r, (size_t)idx[k]) : "";
                char buf[2048];
                ol_trim_copy(buf, sizeof buf, f);
                bind_text_or_null(ins, k + 1, buf);
            }
            if (sqlite3_step(ins) != SQLITE_DONE) st = ol_store_fail(store, err, "recording overrides");
        }
        if (!st && rc < 0) st = err ? err->code : OL_EPARSE;
        sqlite3_finalize(ins);
        ol_csv_close(r);
    }
    if (own_tx) {
        if (!st) st = ol_store_commit(store, err);
        else ol_store_rollback(store);
    }
    return st;
}

ol_status ol_countries_remove_override(ol_store *store, const char *code, ol_error *err)
{
    sqlite3 *db = ol_store_db(store);
    int own_tx = !ol_store_in_transaction(store);
    ol_status st = own_tx ? ol_store_begin(store, err) : OL_OK;
    if (st) return st;
    sqlite3_stmt *del = NULL;
    if (sqlite3_prepare_v2(db, "DELETE FROM country_overrides WHERE code = ?1", -1, &del, NULL) != SQLITE_OK) {
        st = ol_store_fail(store, err, "removing an override");
    } else {
        sqlite3_bind_text(del, 1, code, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(del) != SQLITE_DONE) st = ol_store_fail(store, err, "removing an override");
        else if (sqlite3_changes(db) == 0)
            st = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, NULL, "no override for '%s'", code);
    }
    sqlite3_finalize(del);
    if (!st) st = load_builtin(store, err);
    if (!st) {
        /* After the reload a row still marked override exists only as an
         * override: it goes, unless data in the store use it. */
        sqlite3_stmt *d2 = NULL;
        if (sqlite3_prepare_v2(db, "DELETE FROM countries WHERE code = ?1 AND origin = 'override'",
                               -1, &d2, NULL) != SQLITE_OK) {
            st = ol_store_fail(store, err, "removing an override");
        } else {
            sqlite3_bind_text(d2, 1, code, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(d2) != SQLITE_DONE)
                st = ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, "code",
                                  "'%s' exists only as an override and data in the store use it; "
                                  "remove those data first", code);
        }
        sqlite3_finalize(d2);
    }
    if (own_tx) {
        if (!st) st = ol_store_commit(store, err);
        else ol_store_rollback(store);
    }
    return st;
}
