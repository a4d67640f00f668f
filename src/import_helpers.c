#include "import_helpers.h"

#include <stdarg.h>
#include <stdio.h>
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

ol_status ol_import_open_csv(ol_import_ctx *c, const ol_csv_options *opt, const char *const *names,
                             size_t n, long *idx, ol_csv **r)
{
    ol_status s = ol_csv_open(c->path, opt, r, c->err);
    if (s) return s;
    int got = ol_csv_next(*r, c->err);
    if (got < 0) s = c->err ? c->err->code : OL_EPARSE;
    else if (got == 0) s = ol_error_set(c->err, OL_EPARSE, c->path, 1, 0, NULL, "empty file: no header line");
    else if (n) s = ol_csv_require(*r, names, n, idx, c->err);
    if (s) { ol_csv_close(*r); *r = NULL; }
    return s;
}

ol_status ol_import_reject_at(ol_import_ctx *c, const ol_csv *r, long col, const char *field,
                              const char *fmt, ...)
{
    char msg[OL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ol_error rej;
    ol_error_clear(&rej);
    ol_csv_error(r, &rej, OL_EVALIDATE, col + 1, field, "%s", msg);
    return ol_import_reject(c, &rej);
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

int ol_import_is_na(const char *s)
{
    while (*s == ' ') s++;
    return *s == '\0' || strcmp(s, "NA") == 0;
}
