/*
 * Correlates of War Intergovernmental Organizations v3, in its two wide
 * layouts (docs/importers-unga.md documents both, with every skip and reject):
 *
 *   cow-igo        igo_year_format3.csv: one row per IGO and year, one column
 *                  per state (lower-case COW names such as usa, wgermany);
 *                  upserts institutions and writes memberships.
 *   cow-igo-state  state_year_format3.csv: one row per state (ccode) and
 *                  year, one column per IGO (lower-case Stata names, mapped
 *                  to the COW ioname by state_year_format3_labels.csv beside
 *                  the file, or case-insensitively to institutions already in
 *                  the store); writes memberships.
 *
 * A record is one cell (one state, one IGO, one year).  Cells: 1 full
 * member, 2 associate, 3 observer, 0 not a member, -9 missing; empty (the
 * state was not a system member, igo-year layout) and -1 (the IGO did not
 * exist, state-year layout; COW's own CSV release uses -1 for both) are
 * skipped.  State columns of the igo-year layout map to COW state numbers
 * through the built-in table data/cow_igo_states.csv and then to orderlab
 * codes through the crosswalk with the row's year; a column missing from
 * that table is a fatal error, so no data is dropped silently.
 *
 * The layouts hold 4.2 and 8.3 million cells (2.9 and 2.8 million of them
 * stored); both stream, with one prepared INSERT reset per cell.
 */
#include "import_helpers.h"

#include "util/embedded.h"
#include "util/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Rows between progress reports: often enough for a smooth bar, rarely
 * enough to cost nothing on rows of ~220 cells. */
enum { IGO_PROGRESS_EVERY = 256 };

/* ------------------------------------------------------------ statuses */

enum { ST_SKIP = -1, ST_BAD = -2 };
static const char *const status_names[] = {"none", "full", "associate", "observer", "missing"};

/* Cell text -> index into status_names, ST_SKIP or ST_BAD. */
static int parse_status(const char *s)
{
    if (s[0] == '\0') return ST_SKIP;
    if (s[1] == '\0') {
        switch (s[0]) {
        case '0': return 0;
        case '1': return 1;
        case '2': return 2;
        case '3': return 3;
        default: return ST_BAD;
        }
    }
    if (s[0] == '-' && s[2] == '\0') {
        if (s[1] == '9') return 4;
        if (s[1] == '1') return ST_SKIP;
    }
    return ST_BAD;
}

#define STATUS_HELP "not a COW membership code (1 full, 2 associate, 3 observer, 0 none, -9 missing; " \
                    "empty or -1 for no entry)"

/* ------------------------------------------------------------ writer */

/* Memberships are written one INSERT per row.  Multi-row INSERTs, which make
 * the votes import three times faster, make this one slower: each statement
 * touches some 64 scattered pages of the (country, year) index, which SQLite
 * copies to a statement journal on disk; sorting windows of cells by the
 * primary key gained nothing measurable either (docs/importers-unga.md). */
typedef struct member_row {
    const char *inst;      /* institution code */
    const char *country;   /* owned by the country index */
    const char *field;     /* header name of the cell's column */
    long col;              /* 0-based column, for rejects */
    int year;
    int status;
} member_row;

typedef struct member_writer {
    ol_import_ctx *c;
    sqlite3_stmt *ins;
} member_writer;

static ol_status member_add(member_writer *w, const ol_csv *r, const member_row *m)
{
    ol_import_ctx *c = w->c;
    sqlite3_stmt *st = w->ins;
    sqlite3_bind_text(st, 1, m->inst, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, m->country, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, m->year);
    sqlite3_bind_text(st, 4, status_names[m->status], -1, SQLITE_STATIC);
    int rc = ol_import_insert(c, st, "storing a membership");
    if (rc < 0) return c->err ? c->err->code : OL_ESTORE;
    if (rc == 1) { ol_import_keep(c); return OL_OK; }
    return ol_import_reject_at(c, r, m->col, m->field,
                               "duplicate: %s already has a membership status in %s for %d in this file",
                               m->country, m->inst, m->year);
}

static ol_status member_writer_init(member_writer *w, ol_import_ctx *c)
{
    memset(w, 0, sizeof *w);
    w->c = c;
    ol_status s = ol_import_prepare(c, "INSERT INTO memberships(institution, country, year, status, source_id) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5)", &w->ins);
    if (!s) sqlite3_bind_int64(w->ins, 5, c->source_id);
    return s;
}

static void member_writer_free(member_writer *w) { sqlite3_finalize(w->ins); }

/* ------------------------------------------------------------ header copy */

/* The header's field names, kept for messages after the reader moves on. */
typedef struct header {
    char **name;
    size_t n;
} header;

static ol_status header_copy(ol_import_ctx *c, const ol_csv *r, header *h)
{
    h->n = ol_csv_nfields(r);
    h->name = calloc(h->n ? h->n : 1, sizeof *h->name);
    if (!h->name) return ol_error_set(c->err, OL_ENOMEM, c->path, 1, 0, NULL, "out of memory");
    for (size_t i = 0; i < h->n; i++)
        if (!(h->name[i] = strdup(ol_csv_field(r, i))))
            return ol_error_set(c->err, OL_ENOMEM, c->path, 1, 0, NULL, "out of memory");
    return OL_OK;
}

static void header_free(header *h)
{
    for (size_t i = 0; i < h->n && h->name; i++) free(h->name[i]);
    free(h->name);
}

/* ------------------------------------------------------------ opening and closing */

/* What both layouts open alike: a larger page cache (*old_cache gets the
 * previous one), the membership writer, the file with its required columns
 * and a copy of its header.  igo_close undoes it all, also after a failure. */
static ol_status igo_open(ol_import_ctx *c, const char *const *req, size_t nreq, long *idx,
                          int64_t *old_cache, member_writer *w, ol_csv **r, header *h)
{
    ol_import_cache_grow(c, old_cache);
    ol_status s = member_writer_init(w, c);
    if (!s) s = ol_import_open_csv(c, NULL, req, nreq, idx, r);
    if (!s) s = header_copy(c, *r, h);
    return s;
}

static void igo_close(ol_import_ctx *c, int64_t old_cache, member_writer *w, ol_csv *r, header *h)
{
    member_writer_free(w);
    ol_csv_close(r);
    header_free(h);
    ol_import_cache_restore(c, old_cache);
}

/* ------------------------------------------------------------ interned strings */

/* Institution codes outlive the CSV record they were read from. */
typedef struct intern {
    char **s;
    size_t n, cap;
} intern;

static const char *intern_get(intern *t, const char *s)
{
    for (size_t i = t->n; i-- > 0;)
        if (strcmp(t->s[i], s) == 0) return t->s[i];
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        char **ns = realloc(t->s, cap * sizeof *ns);
        if (!ns) return NULL;
        t->s = ns;
        t->cap = cap;
    }
    char *d = strdup(s);
    if (!d) return NULL;
    t->s[t->n++] = d;
    return d;
}

static void intern_free(intern *t)
{
    for (size_t i = 0; i < t->n; i++) free(t->s[i]);
    free(t->s);
}

/* ------------------------------------------------------------ igo-year layout */

/* The igo-year columns that are not states (COW IGO v3 codebook). */
static const char *const igo_attribute_columns[] = {
    "ioname", "orgname", "year", "sdate", "deaddate", "dead", "integrated", "replaced", "longorgname",
    "ionum", "igocode", "version", "accuracyofpre1965membershipdates", "sourcesandnotes", "imputed",
    "political", "social", "economic",
};

/* Country codes of the state columns are computed once per year for the
 * years COW covers and a margin (other years are computed for each row). */
enum { CACHE_FIRST_YEAR = 1800, CACHE_YEARS = 300 };

typedef struct state_col {
    long field;            /* 0-based field index in the file */
    int cown;
    char num[12];          /* cown as text, for the crosswalk */
} state_col;

/* The columns' countries in one year.  Two columns can name one orderlab
 * country (germany, COW 255, and wgermany, COW 260, are both DEU):
 * first_same[k] is the first earlier column with the same country, or -1. */
typedef struct year_codes {
    const char **code;     /* NULL: not in the crosswalk */
    int *first_same;
} year_codes;

typedef struct igo_year_ctx {
    ol_import_ctx *c;
    state_col *cols;
    size_t ncols;
    year_codes cache[CACHE_YEARS];
    year_codes scratch;    /* for years outside the cache */
} igo_year_ctx;

/* Reads data/cow_igo_states.csv (column name -> COW state number). */
static ol_status load_state_table(ol_import_ctx *c, const header *h, const int *is_attr, igo_year_ctx *g)
{
    const ol_embedded_file *f = ol_embedded_find("cow_igo_states.csv");
    if (!f) return ol_error_set(c->err, OL_EIO, "cow_igo_states.csv", 0, 0, NULL, "built-in table missing");
    g->cols = calloc(h->n ? h->n : 1, sizeof *g->cols);
    if (!g->cols) return ol_error_set(c->err, OL_ENOMEM, c->path, 0, 0, NULL, "out of memory");
    for (size_t i = 0; i < h->n; i++) {
        if (is_attr[i]) continue;
        /* Find "\n<name>," in the table: it is small (217 lines) and read
         * once per import. */
        const char *name = h->name[i];
        size_t len = strlen(name);
        const char *p = (const char *)f->data, *hit = NULL;
        while (len && (p = strstr(p, name)) != NULL) {
            if ((p == (const char *)f->data || p[-1] == '\n') && p[len] == ',') { hit = p; break; }
            p += len;
        }
        int cown = 0;
        if (!hit || sscanf(hit + len + 1, "%d", &cown) != 1 || cown <= 0)
            return ol_error_set(c->err, OL_EPARSE, c->path, 1, (long)i + 1, name,
                                "unknown column '%s': neither a COW IGO attribute nor a state column of "
                                "the built-in table cow_igo_states.csv (docs/importers-unga.md); nothing "
                                "was imported so that no data is dropped silently", name);
        state_col *sc = &g->cols[g->ncols++];
        sc->field = (long)i;
        sc->cown = cown;
        snprintf(sc->num, sizeof sc->num, "%d", cown);
    }
    return OL_OK;
}

static int year_codes_alloc(year_codes *y, size_t n)
{
    y->code = calloc(n ? n : 1, sizeof *y->code);
    y->first_same = calloc(n ? n : 1, sizeof *y->first_same);
    return y->code && y->first_same;
}

static void year_codes_fill(const igo_year_ctx *g, year_codes *y, int year)
{
    for (size_t k = 0; k < g->ncols; k++) {
        y->code[k] = ol_country_index_lookup(g->c->countries, OL_CODES_COWN, g->cols[k].num, year);
        y->first_same[k] = -1;
        /* The index returns one pointer per country, so pointers compare. */
        for (size_t j = 0; j < k && y->code[k]; j++)
            if (y->code[j] == y->code[k]) { y->first_same[k] = (int)j; break; }
    }
}

/* The columns' countries in year, or NULL when out of memory. */
static const year_codes *codes_for_year(igo_year_ctx *g, int year)
{
    int slot = year - CACHE_FIRST_YEAR;
    year_codes *y = slot >= 0 && slot < CACHE_YEARS ? &g->cache[slot] : &g->scratch;
    if (y == &g->scratch || !y->code) {
        if (!y->code && !year_codes_alloc(y, g->ncols)) return NULL;
        year_codes_fill(g, y, year);
    }
    return y;
}

static void igo_year_ctx_free(igo_year_ctx *g)
{
    for (int i = 0; i < CACHE_YEARS; i++) { free(g->cache[i].code); free(g->cache[i].first_same); }
    free(g->scratch.code);
    free(g->scratch.first_same);
    free(g->cols);
}

static int opt_int(const char *s, int *v, int *isnull)
{
    *isnull = ol_is_blank(s);
    return *isnull || ol_parse_int(s, v);
}

ol_status ol_import_cow_igo(ol_import_ctx *c)
{
    enum { IONAME, ORGNAME, YEAR, SDATE, DEADDATE, LONGNAME, IONUM, NREQ };
    static const char *const req[NREQ] = {"ioname", "orgname", "year", "sdate", "deaddate", "longorgname", "ionum"};
    long idx[NREQ];
    ol_csv *r = NULL;
    header h = {0};
    int *is_attr = NULL;
    igo_year_ctx g;
    memset(&g, 0, sizeof g);
    g.c = c;
    member_writer w;
    intern names = {0};
    sqlite3_stmt *inst = NULL;
    int *stat = NULL;
    int64_t old_cache = 0;
    ol_status s = igo_open(c, req, NREQ, idx, &old_cache, &w, &r, &h);
    if (s) goto done;
    if (!(is_attr = calloc(h.n ? h.n : 1, sizeof *is_attr))) {
        s = ol_error_set(c->err, OL_ENOMEM, c->path, 0, 0, NULL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < h.n; i++)
        for (size_t k = 0; k < sizeof igo_attribute_columns / sizeof *igo_attribute_columns; k++)
            if (strcmp(h.name[i], igo_attribute_columns[k]) == 0) is_attr[i] = 1;
    if ((s = load_state_table(c, &h, is_attr, &g))) goto done;
    if (!(stat = calloc(g.ncols ? g.ncols : 1, sizeof *stat))) {
        s = ol_error_set(c->err, OL_ENOMEM, c->path, 0, 0, NULL, "out of memory");
        goto done;
    }
    /* Every row upserts its IGO; the file lists an IGO's years in order, so
     * where names change over time the latest year's names stay. */
    s = ol_import_prepare(c, "INSERT INTO institutions(code, name_en, founded, dissolved, cow_ionum) "
                             "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(code) DO UPDATE SET "
                             "name_en = excluded.name_en, founded = excluded.founded, "
                             "dissolved = excluded.dissolved, cow_ionum = excluded.cow_ionum", &inst);
    if (s) goto done;

    int got;
    long nrows = 0;
    while ((got = ol_csv_next(r, c->err)) == 1) {
        const long line = ol_csv_line(r);
        if (++nrows % IGO_PROGRESS_EVERY == 0 && (s = ol_import_progress(c, r))) goto done;
        const char *io = ol_csv_field(r, (size_t)idx[IONAME]);
        const char *ys = ol_csv_field(r, (size_t)idx[YEAR]);
        /* A fault of the row itself makes the row one rejected record. */
        int year = 0, sdate = 0, ddate = 0, ionum = 0, n_sd = 1, n_dd = 1, n_io = 1;
        long bad = -1;
        const char *why = NULL;
        if (ol_is_blank(io)) { bad = IONAME; why = "empty IGO name"; }
        else if (!ol_parse_int(ys, &year) || year <= 0) { bad = YEAR; why = "not a year"; }
        else if (!opt_int(ol_csv_field(r, (size_t)idx[SDATE]), &sdate, &n_sd)) { bad = SDATE; why = "not a year"; }
        else if (!opt_int(ol_csv_field(r, (size_t)idx[DEADDATE]), &ddate, &n_dd)) { bad = DEADDATE; why = "not a year"; }
        else if (!opt_int(ol_csv_field(r, (size_t)idx[IONUM]), &ionum, &n_io)) { bad = IONUM; why = "not a number"; }
        if (bad >= 0) {
            ol_import_read(c);
            if ((s = ol_import_reject_at(c, r, idx[bad], req[bad], "%s: '%s' (the whole row is left out)", why,
                                         ol_csv_field(r, (size_t)idx[bad]))))
                goto done;
            continue;
        }
        c->sum->rows_read += (int64_t)g.ncols;
        const char *code_in = intern_get(&names, io);
        const year_codes *yc = codes_for_year(&g, year);
        if (!code_in || !yc) { s = ol_error_set(c->err, OL_ENOMEM, c->path, line, 0, NULL, "out of memory"); goto done; }
        const char *ln = ol_csv_field(r, (size_t)idx[LONGNAME]);
        const char *on = ol_csv_field(r, (size_t)idx[ORGNAME]);
        sqlite3_bind_text(inst, 1, code_in, -1, SQLITE_STATIC);
        sqlite3_bind_text(inst, 2, !ol_is_blank(ln) ? ln : !ol_is_blank(on) ? on : io, -1, SQLITE_STATIC);
        if (n_sd) sqlite3_bind_null(inst, 3); else sqlite3_bind_int(inst, 3, sdate);
        if (n_dd) sqlite3_bind_null(inst, 4); else sqlite3_bind_int(inst, 4, ddate);
        if (n_io) sqlite3_bind_null(inst, 5); else sqlite3_bind_int(inst, 5, ionum);
        if (ol_import_insert(c, inst, "storing an institution") != 1) {
            s = c->err && c->err->code ? c->err->code : OL_ESTORE;
            goto done;
        }
        for (size_t k = 0; k < g.ncols; k++) {
            const long col = g.cols[k].field;
            const char *cell = ol_csv_field(r, (size_t)col);
            stat[k] = parse_status(cell);
            if (stat[k] == ST_SKIP) { ol_import_skip(c); continue; }
            if (stat[k] == ST_BAD) {
                if ((s = ol_import_reject_at(c, r, col, h.name[col], STATUS_HELP ": '%s'", cell))) goto done;
                continue;
            }
            const char *code = yc->code[k];
            if (!code) {
                stat[k] = ST_BAD;
                if ((s = ol_import_reject_at(c, r, col, h.name[col],
                                             "COW state %d ('%s') is not in the country crosswalk for %d",
                                             g.cols[k].cown, h.name[col], year)))
                    goto done;
                continue;
            }
            /* Columns of one country in this year: equal statuses are stored
             * once (the later cell is a skip), different ones rejected. */
            if (yc->first_same[k] >= 0) {
                size_t j;
                for (j = (size_t)yc->first_same[k]; j < k; j++)
                    if (yc->code[j] == code && stat[j] >= 0) break;
                if (j < k) {
                    if (stat[j] == stat[k]) { ol_import_skip(c); continue; }
                    int sj = stat[j];
                    stat[k] = ST_BAD;
                    if ((s = ol_import_reject_at(c, r, col, h.name[col],
                                                 "columns '%s' and '%s' both map to %s in %d but disagree "
                                                 "(%s and %s)", h.name[g.cols[j].field], h.name[col], code, year,
                                                 status_names[sj], cell)))
                        goto done;
                    continue;
                }
            }
            member_row m = {code_in, code, h.name[col], col, year, stat[k]};
            if ((s = member_add(&w, r, &m))) goto done;
        }
    }
    if (got < 0) s = c->err ? c->err->code : OL_EPARSE;
done:
    sqlite3_finalize(inst);
    igo_year_ctx_free(&g);
    free(stat);
    free(is_attr);
    intern_free(&names);
    igo_close(c, old_cache, &w, r, &h);
    return s;
}

/* ------------------------------------------------------------ state-year layout */

/* Column names of the state-year layout that are not IGOs. */
static const char *const state_year_keys[] = {"ccode", "year", "state"};

/* Path of the labels file beside path: "<stem>_labels.csv". */
static void labels_path(const char *path, char *out, size_t n)
{
    size_t len = strlen(path);
    if (len > 4 && strcmp(path + len - 4, ".csv") == 0) len -= 4;
    snprintf(out, n, "%.*s_labels.csv", (int)len, path);
}

/* Maps each IGO column (0-based field i) to an institution code in inst[i]:
 * from the labels file when it exists, else case-insensitively from the
 * institutions already in the store.  Creates institutions named only by
 * their code when the labels name one the store lacks (cow-igo fills in the
 * names). */
static ol_status map_igo_columns(ol_import_ctx *c, const header *h, const int *is_igo, intern *codes,
                                 const char **inst)
{
    char lp[OL_ERROR_PATH_MAX];
    labels_path(c->path, lp, sizeof lp);
    FILE *probe = fopen(lp, "rb");
    const int has_labels = probe != NULL;
    if (probe) fclose(probe);
    ol_status s = OL_OK;
    sqlite3 *db = ol_store_db(c->store);
    if (has_labels) {
        ol_csv *lr = NULL;
        static const char *const names[] = {"variable", "label"};
        long li[2];
        if ((s = ol_csv_open(lp, NULL, &lr, c->err))) return s;
        int got = ol_csv_next(lr, c->err);
        if (got == 0) s = ol_error_set(c->err, OL_EPARSE, lp, 1, 0, NULL, "empty labels file");
        else if (got < 0) s = c->err ? c->err->code : OL_EPARSE;
        else s = ol_csv_require(lr, names, 2, li, c->err);
        sqlite3_stmt *ins = NULL;
        if (!s) s = ol_import_prepare(c, "INSERT INTO institutions(code, name_en, note) VALUES (?1, ?1, "
                                         "'named by the COW state-year labels only; import igo_year_format3.csv "
                                         "(cow-igo) for names and dates') ON CONFLICT(code) DO NOTHING", &ins);
        while (!s && (got = ol_csv_next(lr, c->err)) == 1) {
            const char *var = ol_csv_field(lr, (size_t)li[0]);
            const char *lab = ol_csv_field(lr, (size_t)li[1]);
            for (size_t i = 0; i < h->n; i++) {
                if (!is_igo[i] || strcmp(h->name[i], var) != 0) continue;
                if (ol_is_blank(lab)) {
                    s = ol_csv_error(lr, c->err, OL_EPARSE, li[1] + 1, "label",
                                     "IGO column '%s' of %s has an empty label", var, c->path);
                    break;
                }
                if (inst[i] && strcmp(inst[i], lab) != 0) {
                    s = ol_csv_error(lr, c->err, OL_EPARSE, li[0] + 1, "variable",
                                     "column '%s' is labelled twice ('%s' and '%s')", var, inst[i], lab);
                    break;
                }
                if (!(inst[i] = intern_get(codes, lab))) {
                    s = ol_error_set(c->err, OL_ENOMEM, lp, 0, 0, NULL, "out of memory");
                    break;
                }
                sqlite3_bind_text(ins, 1, inst[i], -1, SQLITE_STATIC);
                if (ol_import_insert(c, ins, "storing an institution") < 0) s = c->err ? c->err->code : OL_ESTORE;
            }
        }
        if (!s && got < 0) s = c->err ? c->err->code : OL_EPARSE;
        sqlite3_finalize(ins);
        ol_csv_close(lr);
        if (s) return s;
    } else {
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(db, "SELECT code FROM institutions", -1, &q, NULL) != SQLITE_OK)
            return ol_store_fail(c->store, c->err, "reading institutions");
        while (sqlite3_step(q) == SQLITE_ROW) {
            const char *code = (const char *)sqlite3_column_text(q, 0);
            for (size_t i = 0; i < h->n; i++) {
                if (!is_igo[i] || strcasecmp(h->name[i], code) != 0) continue;
                if (inst[i]) {
                    sqlite3_finalize(q);
                    return ol_error_set(c->err, OL_EAMBIGUOUS, c->path, 1, (long)i + 1, h->name[i],
                                        "IGO column '%s' matches institutions '%s' and '%s'; put "
                                        "%s beside the file", h->name[i], inst[i], code, lp);
                }
                if (!(inst[i] = intern_get(codes, code))) {
                    sqlite3_finalize(q);
                    return ol_error_set(c->err, OL_ENOMEM, c->path, 0, 0, NULL, "out of memory");
                }
            }
        }
        sqlite3_finalize(q);
    }
    for (size_t i = 0; i < h->n; i++)
        if (is_igo[i] && !inst[i])
            return ol_error_set(c->err, OL_EPARSE, c->path, 1, (long)i + 1, h->name[i],
                                "IGO column '%s' names no institution: %s; put the labels file %s beside "
                                "the data file, or import igo_year_format3.csv (cow-igo) first",
                                h->name[i], has_labels ? "the labels file does not list it" :
                                "no labels file and no institution of that code in the store", lp);
    return OL_OK;
}

ol_status ol_import_cow_igo_state(ol_import_ctx *c)
{
    enum { CCODE, YEAR, NREQ };
    static const char *const req[NREQ] = {"ccode", "year"};
    long idx[NREQ];
    ol_csv *r = NULL;
    header h = {0};
    int *is_igo = NULL;
    const char **inst = NULL;
    intern codes = {0};
    member_writer w;
    int64_t old_cache = 0;
    ol_status s = igo_open(c, req, NREQ, idx, &old_cache, &w, &r, &h);
    if (s) goto done;
    is_igo = calloc(h.n ? h.n : 1, sizeof *is_igo);
    inst = calloc(h.n ? h.n : 1, sizeof *inst);
    if (!is_igo || !inst) { s = ol_error_set(c->err, OL_ENOMEM, c->path, 0, 0, NULL, "out of memory"); goto done; }
    size_t nigo = 0;
    for (size_t i = 0; i < h.n; i++) {
        is_igo[i] = 1;
        for (size_t k = 0; k < sizeof state_year_keys / sizeof *state_year_keys; k++)
            if (strcmp(h.name[i], state_year_keys[k]) == 0) is_igo[i] = 0;
        nigo += (size_t)is_igo[i];
    }
    if ((s = map_igo_columns(c, &h, is_igo, &codes, inst))) goto done;

    int got;
    long nrows = 0;
    while ((got = ol_csv_next(r, c->err)) == 1) {
        if (++nrows % IGO_PROGRESS_EVERY == 0 && (s = ol_import_progress(c, r))) goto done;
        const char *ccs = ol_csv_field(r, (size_t)idx[CCODE]);
        const char *ys = ol_csv_field(r, (size_t)idx[YEAR]);
        int ccode, year;
        const char *code = NULL;
        long bad = -1;
        char why[160] = "";
        if (!ol_parse_int(ccs, &ccode) || ccode <= 0) { bad = CCODE; snprintf(why, sizeof why, "not a COW state number: '%s'", ccs); }
        else if (!ol_parse_int(ys, &year) || year <= 0) { bad = YEAR; snprintf(why, sizeof why, "not a year: '%s'", ys); }
        else if (!(code = ol_country_index_lookup(c->countries, OL_CODES_COWN, ccs, year))) {
            bad = CCODE;
            snprintf(why, sizeof why, "unknown COW state number %d in %d", ccode, year);
        }
        if (bad >= 0) {
            ol_import_read(c);
            if ((s = ol_import_reject_at(c, r, idx[bad], req[bad], "%s (the whole row is left out)", why)))
                goto done;
            continue;
        }
        c->sum->rows_read += (int64_t)nigo;
        for (size_t i = 0; i < h.n; i++) {
            if (!is_igo[i]) continue;
            const char *cell = ol_csv_field(r, i);
            int st = parse_status(cell);
            if (st == ST_SKIP) { ol_import_skip(c); continue; }
            if (st == ST_BAD) {
                if ((s = ol_import_reject_at(c, r, (long)i, h.name[i], STATUS_HELP ": '%s'", cell))) goto done;
                continue;
            }
            member_row m = {inst[i], code, h.name[i], (long)i, year, st};
            if ((s = member_add(&w, r, &m))) goto done;
        }
    }
    if (got < 0) s = c->err ? c->err->code : OL_EPARSE;
done:
    free(is_igo);
    free(inst);
    intern_free(&codes);
    igo_close(c, old_cache, &w, r, &h);
    return s;
}
