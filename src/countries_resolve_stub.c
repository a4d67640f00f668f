/* TEMPORARY (branch ratio): a minimal ol_country_resolve / ol_country_get over
 * the countries table so that the ratio code links and its tests run before
 * the crosswalk lands.  Delete this file when merging the real crosswalk. */
#include "orderlab/countries.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static void copy_col(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    snprintf(dst, size, "%s", s ? s : "");
}


static ol_status lookup(ol_store *store, const char *where, const char *key, ol_country *out, ol_error *err)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT code, iso3, iso2, iso3n, cown, cowc, wb, name_en, name_zh, kind, start_year, "
             "end_year, successor FROM countries WHERE %s", where);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ol_store_db(store), sql, -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "looking up a country");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, NULL, "unknown country '%s'", key);
    }
    memset(out, 0, sizeof *out);
    copy_col(out->code, sizeof out->code, st, 0);
    copy_col(out->iso3, sizeof out->iso3, st, 1);
    copy_col(out->iso2, sizeof out->iso2, st, 2);
    out->iso3n = sqlite3_column_int(st, 3);
    out->cown = sqlite3_column_int(st, 4);
    copy_col(out->cowc, sizeof out->cowc, st, 5);
    copy_col(out->wb, sizeof out->wb, st, 6);
    copy_col(out->name_en, sizeof out->name_en, st, 7);
    copy_col(out->name_zh, sizeof out->name_zh, st, 8);
    copy_col(out->kind, sizeof out->kind, st, 9);
    out->start_year = sqlite3_column_int(st, 10);
    out->end_year = sqlite3_column_int(st, 11);
    copy_col(out->successor, sizeof out->successor, st, 12);
    sqlite3_finalize(st);
    return OL_OK;
}

ol_status ol_country_get(ol_store *store, const char *code, ol_country *out, ol_error *err)
{
    return lookup(store, "code = ?1", code, out, err);
}

ol_status ol_country_resolve(ol_store *store, const char *query, ol_country *out, ol_error *err)
{
    return lookup(store,
                  "code = upper(?1) OR iso3 = upper(?1) OR iso2 = upper(?1) OR wb = upper(?1) "
                  "OR CAST(iso3n AS TEXT) = ?1 OR CAST(cown AS TEXT) = ?1 OR cowc = upper(?1) "
                  "OR lower(name_en) = lower(?1) OR name_zh = ?1 ORDER BY code LIMIT 1",
                  query, out, err);
}
