/* Which rows of ideal_points make an estimate (ideal_read_internal.h). */
#include "ideal_read_internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

int ol_ideal_read_valid_kind(const char *k)
{
    return !k || strcmp(k, "session") == 0 || strcmp(k, "year") == 0;
}

/* "bsv-all (session, 11215 rows), ..." of the store, into buf. */
static void list_estimates(ol_store *s, char *buf, size_t size)
{
    sqlite3_stmt *st = NULL;
    size_t len = 0;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(ol_store_db(s),
                           "SELECT estimate, period_kind, count(*) FROM ideal_points GROUP BY 1, 2 ORDER BY 1, 2",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return;
    }
    while (sqlite3_step(st) == SQLITE_ROW && len + 1 < size) {
        int w = snprintf(buf + len, size - len, "%s%s (%s, %lld rows)", len ? ", " : "",
                         (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                         (long long)sqlite3_column_int64(st, 2));
        if (w < 0) break;
        len += (size_t)w;
        if (len >= size) len = size - 1;
    }
    sqlite3_finalize(st);
    if (!len) snprintf(buf, size, "none");
}

void ol_ideal_read_bind(sqlite3_stmt *st, const char *estimate, const ol_ideal_origin *o)
{
    sqlite3_bind_text(st, 1, estimate, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, o->period_kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, o->run_id);
    sqlite3_bind_int64(st, 4, o->source_id);
}

ol_status ol_ideal_read_origin(ol_store *s, const char *estimate, const char *want_kind, const char *where,
                               ol_ideal_origin *out, ol_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3 *db = ol_store_db(s);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT period_kind FROM ideal_points WHERE estimate = ?1 GROUP BY period_kind", -1,
                           &st, NULL) != SQLITE_OK)
        return ol_store_fail(s, err, "reading ideal points");
    sqlite3_bind_text(st, 1, estimate, -1, SQLITE_STATIC);
    int rc, has_session = 0, has_year = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        if (k && strcmp(k, "session") == 0) has_session = 1;
        if (k && strcmp(k, "year") == 0) has_year = 1;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return ol_store_fail(s, err, "reading ideal points");
    if (!has_session && !has_year) {
        char have[1024];
        list_estimates(s, have, sizeof have);
        return ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "estimate", "no ideal points named '%s' in %s (it has: %s)",
                            estimate, where, have);
    }
    const char *k = want_kind ? want_kind : has_session ? "session" : "year";
    if ((strcmp(k, "session") == 0 && !has_session) || (strcmp(k, "year") == 0 && !has_year))
        return ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "period_kind", "'%s' in %s has no %s rows (only %s rows)",
                            estimate, where, k, has_session ? "session" : "year");
    snprintf(out->period_kind, sizeof out->period_kind, "%s", k);

    if (sqlite3_prepare_v2(db,
                           "SELECT ifnull(run_id, 0), ifnull(source_id, 0), count(*) FROM ideal_points "
                           "WHERE estimate = ?1 AND period_kind = ?2 GROUP BY 1, 2 ORDER BY 1 DESC, 2 DESC",
                           -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(s, err, "reading ideal points");
    sqlite3_bind_text(st, 1, estimate, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, out->period_kind, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->origins++ == 0) {
            out->run_id = sqlite3_column_int64(st, 0);
            out->source_id = sqlite3_column_int64(st, 1);
            out->rows = (size_t)sqlite3_column_int64(st, 2);
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return ol_store_fail(s, err, "reading ideal points");
    return OL_OK;
}
