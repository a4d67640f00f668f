/*
 * UN General Assembly roll-call data in the layout of the `unvotes` package
 * (Voeten's data as released by dgrtwo/unvotes): roll calls, issue tags and
 * votes.  docs/importers-unga.md documents the layouts, mappings, skips and
 * rejects.
 *
 * The three tables are keyed without the source (one roll call is one row,
 * one country's vote on a roll call is one row), so two vintages of the same
 * file cannot sit side by side: importing a file replaces every earlier
 * source of the same kind and file name, whatever its vintage.  A row that
 * collides with a row of another file is a reject naming that source.
 *
 * Votes need their roll calls in the store first: the roll call's year picks
 * the country among entities that shared an ISO2 code or name over time.
 * The votes file is the project's largest single file (870,109 rows), and
 * its import is held to a speed target (docs/importers-unga.md): rcid ->
 * year from a sorted in-memory array with a last-hit shortcut, ISO2 lookups
 * cached per code until the year changes, rows buffered in a fixed window,
 * sorted and written with multi-row INSERTs, no allocation per row.
 */
#include "import_helpers.h"

#include "util/text.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

/* Deletes earlier sources of this kind and file name (other vintages); their
 * rows go with them through ON DELETE CASCADE.  See the file comment. */
static ol_status replace_other_vintages(ol_import_ctx *c)
{
    sqlite3_stmt *st;
    ol_status s = ol_import_prepare(c, "DELETE FROM sources WHERE kind = ?1 AND id <> ?2 AND name = "
                                       "(SELECT name FROM sources WHERE id = ?2)", &st);
    if (s) return s;
    sqlite3_bind_text(st, 1, c->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, c->source_id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? OL_OK : ol_store_fail(c->store, c->err, "replacing earlier vintages");
}

/* The source_id of the row a duplicate key collided with (0 if none). */
static int64_t owner_of(ol_import_ctx *c, const char *sql, int64_t k1, const char *k2)
{
    sqlite3_stmt *st = NULL;
    int64_t id = 0;
    if (sqlite3_prepare_v2(ol_store_db(c->store), sql, -1, &st, NULL) != SQLITE_OK) return 0;
    sqlite3_bind_int64(st, 1, k1);
    if (k2) sqlite3_bind_text(st, 2, k2, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

/* Message for a duplicate key: within this file, or against another source. */
static void duplicate_message(ol_import_ctx *c, int64_t owner, const char *what, char *buf, size_t n)
{
    if (owner == c->source_id || owner == 0) {
        snprintf(buf, n, "duplicate %s (already earlier in this file)", what);
    } else {
        char src[256];
        ol_import_describe_source(c, owner, src, sizeof src);
        snprintf(buf, n, "duplicate %s: already in the store from %s; delete that source or "
                 "re-import under the same file name", what, src);
    }
}

/* ------------------------------------------------------------ rcid -> year */

typedef struct rc_year { int64_t rcid; int year; } rc_year;

typedef struct rc_years {
    rc_year *v;
    size_t n;
    size_t last;  /* index of the last hit: votes come grouped by rcid */
} rc_years;

/* Loads every roll call's (rcid, year), sorted by rcid; year 0 when unknown. */
static ol_status rc_years_load(ol_import_ctx *c, rc_years *y)
{
    memset(y, 0, sizeof *y);
    sqlite3_stmt *st;
    ol_status s = ol_import_prepare(c, "SELECT count(*) FROM roll_calls", &st);
    if (s) return s;
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (n == 0) return OL_OK;
    y->v = malloc((size_t)n * sizeof *y->v);
    if (!y->v) return ol_error_set(c->err, OL_ENOMEM, c->path, 0, 0, NULL, "out of memory loading roll calls");
    s = ol_import_prepare(c, "SELECT rcid, ifnull(year, 0) FROM roll_calls ORDER BY rcid", &st);
    if (s) return s;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && y->n < (size_t)n) {
        y->v[y->n].rcid = sqlite3_column_int64(st, 0);
        y->v[y->n].year = sqlite3_column_int(st, 1);
        y->n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return ol_store_fail(c->store, c->err, "loading roll calls");
    return OL_OK;
}

/* The year of roll call rcid (0 = unknown date), or -1 when not in the store. */
static int rc_year_of(rc_years *y, int64_t rcid)
{
    if (y->n == 0) return -1;
    if (y->v[y->last].rcid == rcid) return y->v[y->last].year;
    size_t lo = 0, hi = y->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (y->v[mid].rcid < rcid) lo = mid + 1;
        else hi = mid;
    }
    if (lo < y->n && y->v[lo].rcid == rcid) { y->last = lo; return y->v[lo].year; }
    return -1;
}

/* The roll call of the current record of r: parses its rcid (0-based column
 * col) and finds the roll call's year.  Returns 1 with *rcid and *year, or 0
 * when the record is rejected (*s gets what ol_import_reject_at returned)
 * because the rcid is not a positive whole number or the roll call is not in
 * the store ("import <whose> roll calls first"). */
static int rc_of_record(ol_import_ctx *c, const ol_csv *r, long col, rc_years *years, const char *whose,
                        int64_t *rcid, int *year, ol_status *s)
{
    const char *rcs = ol_csv_field(r, (size_t)col);
    char msg[512];
    if (!ol_parse_int64(rcs, rcid) || *rcid <= 0) {
        snprintf(msg, sizeof msg, "not a positive whole number: '%s'", rcs);
        *s = ol_import_reject_at(c, r, col, "rcid", "%s", msg);
        return 0;
    }
    *year = rc_year_of(years, *rcid);
    if (*year < 0) {
        snprintf(msg, sizeof msg, "roll call %lld is not in the store; import %s roll calls "
                 "(unvotes-rollcalls) first", (long long)*rcid, whose);
        *s = ol_import_reject_at(c, r, col, "rcid", "%s", msg);
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------ roll calls */

/* Parses an optional 0/1 flag: empty -> NULL (*isnull = 1). */
static int parse_flag(const char *s, int *v, int *isnull)
{
    if (!*s) { *isnull = 1; return 1; }
    *isnull = 0;
    return ol_parse_int(s, v) && (*v == 0 || *v == 1);
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (*s) sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

ol_status ol_import_unvotes_rollcalls(ol_import_ctx *c)
{
    enum { RCID, SESSION, IMPORTANT, DATE, UNRES, AMEND, PARA, SHORT, DESCR, NCOL };
    static const char *const names[NCOL] = {"rcid", "session", "importantvote", "date", "unres",
                                            "amend", "para", "short", "descr"};
    long idx[NCOL];
    ol_csv *r = NULL;
    sqlite3_stmt *ins = NULL;
    ol_status s = replace_other_vintages(c);
    if (!s) s = ol_import_open_csv(c, NULL, names, NCOL, idx, &r);
    if (!s) s = ol_import_prepare(c, "INSERT INTO roll_calls(rcid, source_id, session, date, year, important, unres, "
                           "amend, para, short, descr) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)", &ins);
    if (s) goto done;
    sqlite3_bind_int64(ins, 2, c->source_id);
    char msg[512];
    int got;
    while ((got = ol_csv_next(r, c->err)) == 1) {
        ol_import_read(c);
        if (c->sum->rows_read % OL_IMPORT_PROGRESS_EVERY == 0 && (s = ol_import_progress(c, r))) goto done;
        const char *f[NCOL];
        for (int k = 0; k < NCOL; k++) f[k] = ol_csv_field(r, (size_t)idx[k]);
        int64_t rcid;
        int session, important, amend, para, n_imp, n_am, n_pa, year = 0;
        long bad = -1;
        const char *why = NULL;
        if (!ol_parse_int64(f[RCID], &rcid) || rcid <= 0) { bad = RCID; why = "not a positive whole number"; }
        else if (!ol_parse_int(f[SESSION], &session) || session <= 0) { bad = SESSION; why = "not a positive whole number"; }
        else if (!parse_flag(f[IMPORTANT], &important, &n_imp)) { bad = IMPORTANT; why = "not 0, 1 or empty"; }
        else if (*f[DATE] && !ol_iso_date_valid(f[DATE])) { bad = DATE; why = "not a date YYYY-MM-DD"; }
        else if (!parse_flag(f[AMEND], &amend, &n_am)) { bad = AMEND; why = "not 0, 1 or empty"; }
        else if (!parse_flag(f[PARA], &para, &n_pa)) { bad = PARA; why = "not 0, 1 or empty"; }
        if (bad >= 0) {
            snprintf(msg, sizeof msg, "%s: '%s'", why, f[bad]);
            if ((s = ol_import_reject_at(c, r, idx[bad], names[bad], "%s", msg))) goto done;
            continue;
        }
        if (*f[DATE]) year = (f[DATE][0] - '0') * 1000 + (f[DATE][1] - '0') * 100 + (f[DATE][2] - '0') * 10 + (f[DATE][3] - '0');
        sqlite3_bind_int64(ins, 1, rcid);
        sqlite3_bind_int(ins, 3, session);
        bind_text_or_null(ins, 4, f[DATE]);
        if (year) sqlite3_bind_int(ins, 5, year); else sqlite3_bind_null(ins, 5);
        if (n_imp) sqlite3_bind_null(ins, 6); else sqlite3_bind_int(ins, 6, important);
        bind_text_or_null(ins, 7, f[UNRES]);
        if (n_am) sqlite3_bind_null(ins, 8); else sqlite3_bind_int(ins, 8, amend);
        if (n_pa) sqlite3_bind_null(ins, 9); else sqlite3_bind_int(ins, 9, para);
        bind_text_or_null(ins, 10, f[SHORT]);
        bind_text_or_null(ins, 11, f[DESCR]);
        int rc = ol_import_insert(c, ins, "storing a roll call");
        if (rc < 0) { s = c->err ? c->err->code : OL_ESTORE; goto done; }
        if (rc == 0) {
            char what[64];
            snprintf(what, sizeof what, "roll call rcid %lld", (long long)rcid);
            duplicate_message(c, owner_of(c, "SELECT source_id FROM roll_calls WHERE rcid = ?1", rcid, NULL),
                              what, msg, sizeof msg);
            if ((s = ol_import_reject_at(c, r, idx[RCID], "rcid", "%s", msg))) goto done;
            continue;
        }
        ol_import_keep(c);
    }
    if (got < 0) s = c->err ? c->err->code : OL_EPARSE;
done:
    sqlite3_finalize(ins);
    ol_csv_close(r);
    return s;
}

/* ------------------------------------------------------------ issues */

ol_status ol_import_unvotes_issues(ol_import_ctx *c)
{
    enum { RCID, SHORT_NAME, ISSUE, NCOL };
    static const char *const names[NCOL] = {"rcid", "short_name", "issue"};
    long idx[NCOL];
    ol_csv *r = NULL;
    sqlite3_stmt *ins = NULL;
    rc_years years = {0};
    ol_status s = replace_other_vintages(c);
    if (!s) s = rc_years_load(c, &years);
    if (!s) s = ol_import_open_csv(c, NULL, names, NCOL, idx, &r);
    if (!s) s = ol_import_prepare(c, "INSERT INTO roll_call_issues(rcid, short_name, issue, source_id) VALUES (?1,?2,?3,?4)", &ins);
    if (s) goto done;
    sqlite3_bind_int64(ins, 4, c->source_id);
    char msg[512];
    int got;
    while ((got = ol_csv_next(r, c->err)) == 1) {
        ol_import_read(c);
        if (c->sum->rows_read % OL_IMPORT_PROGRESS_EVERY == 0 && (s = ol_import_progress(c, r))) goto done;
        const char *sn = ol_csv_field(r, (size_t)idx[SHORT_NAME]);
        const char *is = ol_csv_field(r, (size_t)idx[ISSUE]);
        int64_t rcid;
        int year;
        if (!rc_of_record(c, r, idx[RCID], &years, "the", &rcid, &year, &s)) {
            if (s) goto done;
            continue;
        }
        if (ol_is_blank(sn) || ol_is_blank(is)) {
            long col = ol_is_blank(sn) ? idx[SHORT_NAME] : idx[ISSUE];
            if ((s = ol_import_reject_at(c, r, col, names[col == idx[ISSUE] ? ISSUE : SHORT_NAME], "empty"))) goto done;
            continue;
        }
        sqlite3_bind_int64(ins, 1, rcid);
        sqlite3_bind_text(ins, 2, sn, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, is, -1, SQLITE_STATIC);
        int rc = ol_import_insert(c, ins, "storing an issue tag");
        if (rc < 0) { s = c->err ? c->err->code : OL_ESTORE; goto done; }
        if (rc == 0) {
            char what[128];
            snprintf(what, sizeof what, "issue tag '%s' of roll call %lld", sn, (long long)rcid);
            duplicate_message(c, owner_of(c, "SELECT source_id FROM roll_call_issues WHERE rcid = ?1 AND short_name = ?2",
                                          rcid, sn), what, msg, sizeof msg);
            if ((s = ol_import_reject_at(c, r, idx[SHORT_NAME], "short_name", "%s", msg))) goto done;
            continue;
        }
        ol_import_keep(c);
    }
    if (got < 0) s = c->err ? c->err->code : OL_EPARSE;
done:
    sqlite3_finalize(ins);
    ol_csv_close(r);
    free(years.v);
    return s;
}

/* ------------------------------------------------------------ votes */

/* Voeten's coding, as in the votes table: 1 yes, 2 abstain, 3 no. */
static int vote_code(const char *s)
{
    switch (s[0]) {
    case 'y': return strcmp(s, "yes") == 0 ? 1 : 0;
    case 'a': return strcmp(s, "abstain") == 0 ? 2 : 0;
    case 'n': return strcmp(s, "no") == 0 ? 3 : 0;
    default: return 0;
    }
}

/* ISO2 lookups cached per two-letter code until the year changes (votes come
 * grouped by roll call, so the year changes about 75 times in the file). */
typedef struct iso2_slot { int year; const char *code; } iso2_slot;
enum { ISO2_SLOTS = 26 * 26 };

static const char *iso2_lookup(const ol_country_index *idx, iso2_slot *cache, const char *cc, int year)
{
    unsigned a = (unsigned char)cc[0] - 'A', b = (unsigned char)cc[1] - 'A';
    if (a >= 26 || b >= 26 || cc[2] != '\0')
        return ol_country_index_lookup(idx, OL_CODES_ISO2, cc, year);
    iso2_slot *slot = &cache[a * 26 + b];
    if (slot->year != year || !slot->code) {
        slot->code = ol_country_index_lookup(idx, OL_CODES_ISO2, cc, year);
        slot->year = year;
    }
    return slot->code;
}

/*
 * Votes are buffered VOTE_WINDOW rows at a time, sorted by (rcid, country) and
 * written with multi-row INSERT statements of up to VOTE_BATCH rows: the
 * primary-key B-tree then grows mostly at its end, and SQLite runs one
 * statement per VOTE_BATCH rows instead of one per row (about three times
 * faster on the staged file; docs/importers-unga.md has the figures).  The
 * file is mostly grouped by roll call, but not everywhere (some sessions are
 * listed country by country), hence a window rather than one roll call.  A
 * statement that hits a duplicate key is rolled back by SQLite on its own and
 * its rows are inserted again one by one to find and reject the duplicate.
 */
enum { VOTE_BATCH = 64, VOTE_WINDOW = 32768 };

typedef struct pending_vote {
    uint64_t key;      /* rcid and the first three bytes of code, for sorting */
    int64_t rcid;
    const char *code;  /* owned by the country index */
    long line;
    int vote;
    int by_name;       /* resolved from the name (empty country_code) */
} pending_vote;

typedef struct vote_writer {
    ol_import_ctx *c;
    sqlite3_stmt *stmt[VOTE_BATCH + 1];  /* stmt[k]: INSERT of k rows, prepared on first use */
    pending_vote *rows;                  /* VOTE_WINDOW rows */
    size_t n;
    long col_code, col_country;          /* 0-based columns, for rejects */
} vote_writer;

static int cmp_pending(const void *a, const void *b)
{
    const pending_vote *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    if (x->rcid != y->rcid) return x->rcid < y->rcid ? -1 : 1;
    int d = strcmp(x->code, y->code);
    return d ? d : (x->line < y->line ? -1 : x->line > y->line);
}

static ol_status vote_stmt(vote_writer *w, size_t k, sqlite3_stmt **out)
{
    if (!w->stmt[k]) {
        char sql[64 + VOTE_BATCH * 16];
        size_t used = (size_t)snprintf(sql, sizeof sql, "INSERT INTO votes(rcid, country, vote, source_id) VALUES ");
        for (size_t i = 0; i < k; i++)
            used += (size_t)snprintf(sql + used, sizeof sql - used, "%s(?,?,?,?)", i ? "," : "");
        ol_status s = ol_import_prepare(w->c, sql, &w->stmt[k]);
        if (s) return s;
    }
    *out = w->stmt[k];
    return OL_OK;
}

static void bind_vote(sqlite3_stmt *st, int base, const pending_vote *p, int64_t source_id)
{
    sqlite3_bind_int64(st, base + 1, p->rcid);
    sqlite3_bind_text(st, base + 2, p->code, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, base + 3, p->vote);
    sqlite3_bind_int64(st, base + 4, source_id);
}

/* Inserts rows [from, from + k) one by one, rejecting duplicates. */
static ol_status vote_insert_singly(vote_writer *w, size_t from, size_t k)
{
    ol_import_ctx *c = w->c;
    sqlite3_stmt *st;
    ol_status s = vote_stmt(w, 1, &st);
    if (s) return s;
    for (size_t i = from; i < from + k; i++) {
        const pending_vote *p = &w->rows[i];
        bind_vote(st, 0, p, c->source_id);
        int rc = ol_import_insert(c, st, "storing a vote");
        if (rc < 0) return c->err ? c->err->code : OL_ESTORE;
        if (rc == 1) { ol_import_keep(c); continue; }
        char what[128], msg[512];
        snprintf(what, sizeof what, "vote of %s on roll call %lld", p->code, (long long)p->rcid);
        duplicate_message(c, owner_of(c, "SELECT source_id FROM votes WHERE rcid = ?1 AND country = ?2",
                                      p->rcid, p->code), what, msg, sizeof msg);
        ol_error rej;
        ol_error_set(&rej, OL_EVALIDATE, c->path, p->line, (p->by_name ? w->col_country : w->col_code) + 1,
                     p->by_name ? "country" : "country_code", "%s", msg);
        if ((s = ol_import_reject(c, &rej))) return s;
    }
    return OL_OK;
}

/* Writes the buffered rows. */
static ol_status vote_flush(vote_writer *w)
{
    ol_import_ctx *c = w->c;
    if (w->n > 1) qsort(w->rows, w->n, sizeof *w->rows, cmp_pending);
    for (size_t from = 0; from < w->n; from += VOTE_BATCH) {
        size_t k = w->n - from < VOTE_BATCH ? w->n - from : VOTE_BATCH;
        sqlite3_stmt *st;
        ol_status s = vote_stmt(w, k, &st);
        if (s) return s;
        for (size_t i = 0; i < k; i++) bind_vote(st, (int)(4 * i), &w->rows[from + i], c->source_id);
        int rc = ol_import_insert(c, st, "storing votes");
        if (rc < 0) return c->err ? c->err->code : OL_ESTORE;
        if (rc == 1) c->sum->rows_kept += (int64_t)k;
        else if ((s = vote_insert_singly(w, from, k))) return s;
    }
    w->n = 0;
    return OL_OK;
}

static ol_status vote_add(vote_writer *w, const pending_vote *p)
{
    pending_vote *q = &w->rows[w->n++];
    *q = *p;
    /* Sorted by rcid, then code bytewise as SQLite's BINARY collation does
     * (an rcid of 2^40 or more only makes the order less useful, never wrong:
     * the comparison falls back on the full fields). */
    const unsigned char *k = (const unsigned char *)p->code;
    uint64_t c0 = k[0], c1 = c0 ? k[1] : 0, c2 = c1 ? k[2] : 0;
    q->key = ((uint64_t)p->rcid << 24) | (c0 << 16) | (c1 << 8) | c2;
    return w->n == VOTE_WINDOW ? vote_flush(w) : OL_OK;
}

static void vote_writer_free(vote_writer *w)
{
    for (size_t k = 0; k <= VOTE_BATCH; k++) sqlite3_finalize(w->stmt[k]);
    free(w->rows);
}

ol_status ol_import_unvotes_votes(ol_import_ctx *c)
{
    enum { RCID, COUNTRY, CODE, VOTE, NCOL };
    static const char *const names[NCOL] = {"rcid", "country", "country_code", "vote"};
    long idx[NCOL];
    ol_csv *r = NULL;
    rc_years years = {0};
    iso2_slot *cache = NULL;
    vote_writer w;
    memset(&w, 0, sizeof w);
    w.c = c;
    int64_t old_cache = 0;
    ol_import_cache_grow(c, &old_cache);
    ol_status s = replace_other_vintages(c);
    if (!s) s = rc_years_load(c, &years);
    if (!s && (!(cache = calloc(ISO2_SLOTS, sizeof *cache)) || !(w.rows = malloc(VOTE_WINDOW * sizeof *w.rows))))
        s = ol_error_set(c->err, OL_ENOMEM, c->path, 0, 0, NULL, "out of memory");
    if (!s) s = ol_import_open_csv(c, NULL, names, NCOL, idx, &r);
    if (s) goto done;
    if (years.n == 0) {
        s = ol_error_set(c->err, OL_EVALIDATE, c->path, 0, 0, NULL,
                         "no roll calls in the store: import un_roll_calls.csv (unvotes-rollcalls) "
                         "before the votes");
        goto done;
    }
    w.col_code = idx[CODE];
    w.col_country = idx[COUNTRY];
    char msg[512];
    int got;
    while ((got = ol_csv_next(r, c->err)) == 1) {
        ol_import_read(c);
        if (c->sum->rows_read % OL_IMPORT_PROGRESS_EVERY == 0 && (s = ol_import_progress(c, r))) goto done;
        const char *cc = ol_csv_field(r, (size_t)idx[CODE]);
        const char *vs = ol_csv_field(r, (size_t)idx[VOTE]);
        int64_t rcid;
        int year;
        if (!rc_of_record(c, r, idx[RCID], &years, "its", &rcid, &year, &s)) {
            if (s) goto done;
            continue;
        }
        pending_vote p = {0, rcid, NULL, ol_csv_line(r), 0, 0};
        if (*cc) {
            p.code = iso2_lookup(c->countries, cache, cc, year);
            if (!p.code) {
                snprintf(msg, sizeof msg, "unknown ISO2 country code '%s' (%s) in %d", cc,
                         ol_csv_field(r, (size_t)idx[COUNTRY]), year);
                if ((s = ol_import_reject_at(c, r, idx[CODE], "country_code", "%s", msg))) goto done;
                continue;
            }
        } else {
            /* Former states without an ISO2 code (FRG, Yemen Arab Republic,
             * Zanzibar) are resolved by name and year. */
            const char *name = ol_csv_field(r, (size_t)idx[COUNTRY]);
            p.code = *name ? ol_country_index_lookup(c->countries, OL_CODES_NAME, name, year) : NULL;
            p.by_name = 1;
            if (!p.code) {
                snprintf(msg, sizeof msg, "empty ISO2 code and unknown country name '%s' in %d", name, year);
                if ((s = ol_import_reject_at(c, r, idx[COUNTRY], "country", "%s", msg))) goto done;
                continue;
            }
        }
        p.vote = vote_code(vs);
        if (!p.vote) {
            snprintf(msg, sizeof msg, "not yes, abstain or no: '%s'", vs);
            if ((s = ol_import_reject_at(c, r, idx[VOTE], "vote", "%s", msg))) goto done;
            continue;
        }
        if ((s = vote_add(&w, &p))) goto done;
    }
    if (got < 0) s = c->err ? c->err->code : OL_EPARSE;
    else s = vote_flush(&w);
done:
    vote_writer_free(&w);
    ol_csv_close(r);
    free(years.v);
    free(cache);
    ol_import_cache_restore(c, old_cache);
    return s;
}
