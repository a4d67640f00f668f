#include "orderlab/store.h"

#include "util/embedded.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Milliseconds a connection waits for another process's write lock before
 * giving up with SQLITE_BUSY; an import of the full UNGA votes holds the
 * lock for a few seconds. */
#define OL_STORE_BUSY_TIMEOUT_MS 30000

struct ol_store {
    sqlite3 *db;
    char *path;
    int in_tx;
    int readonly;
};

const char *ol_store_resolve_path(const char *explicit_path, const char *env_value)
{
    if (explicit_path && explicit_path[0]) return explicit_path;
    if (env_value && env_value[0]) return env_value;
    return OL_STORE_DEFAULT_PATH;
}

ol_status ol_store_fail(ol_store *store, ol_error *err, const char *doing)
{
    int rc = store && store->db ? sqlite3_extended_errcode(store->db) : SQLITE_ERROR;
    const char *msg = store && store->db ? sqlite3_errmsg(store->db) : "no connection";
    ol_status code = OL_ESTORE;
    if ((rc & 0xff) == SQLITE_NOMEM) code = OL_ENOMEM;
    else if ((rc & 0xff) == SQLITE_INTERRUPT) code = OL_EINTERRUPTED;
    return ol_error_set(err, code, store ? store->path : NULL, 0, 0, NULL,
                        "%s: %s (SQLite code %d)", doing, msg, rc);
}

ol_status ol_store_exec(ol_store *store, const char *sql, ol_error *err)
{
    char *emsg = NULL;
    int rc = sqlite3_exec(store->db, sql, NULL, NULL, &emsg);
    if (rc != SQLITE_OK) {
        ol_status st = ol_error_set(err, OL_ESTORE, store->path, 0, 0, NULL,
                                    "%s (SQLite code %d)", emsg ? emsg : sqlite3_errstr(rc), rc);
        sqlite3_free(emsg);
        return st;
    }
    return OL_OK;
}

static int pragma_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) { *out = sqlite3_column_int(st, 0); rc = SQLITE_OK; }
        else if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

int ol_store_schema_version(ol_store *store)
{
    int v = -1;
    if (pragma_int(store->db, "PRAGMA user_version", &v) != SQLITE_OK) return -1;
    return v;
}

static ol_status migrate(ol_store *store, ol_error *err)
{
    int v = ol_store_schema_version(store);
    if (v < 0) return ol_store_fail(store, err, "reading the schema version");
    if (v > OL_STORE_SCHEMA_VERSION)
        return ol_error_set(err, OL_ESCHEMA, store->path, 0, 0, NULL,
                            "store schema version %d is newer than this program's (%d); "
                            "upgrade orderlab or use another store", v, OL_STORE_SCHEMA_VERSION);
    if (v == OL_STORE_SCHEMA_VERSION) return OL_OK;
    if (store->readonly)
        return ol_error_set(err, OL_ESCHEMA, store->path, 0, 0, NULL,
                            "store schema version %d is older than %d and the store is read-only",
                            v, OL_STORE_SCHEMA_VERSION);
    /* All steps in one transaction: a failed migration leaves the old schema. */
    ol_status st = ol_store_begin(store, err);
    if (st) return st;
    for (int i = v; i < OL_STORE_SCHEMA_VERSION; i++) {
        /* Migration i takes the schema from version i to i + 1. */
        char name[32];
        snprintf(name, sizeof name, "schema_%04d.sql", i + 1);
        const ol_embedded_file *f = ol_embedded_find(name);
        if (!f) {
            ol_store_rollback(store);
            return ol_error_set(err, OL_ESCHEMA, store->path, 0, 0, NULL,
                                "no migration %s built into this program", name);
        }
        st = ol_store_exec(store, (const char *)f->data, err);
        if (st) {
            ol_error_prefix(err, "migrating the store schema from version %d to %d", i, i + 1);
            ol_store_rollback(store);
            return st;
        }
    }
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", OL_STORE_SCHEMA_VERSION);
    st = ol_store_exec(store, sql, err);
    if (st) { ol_store_rollback(store); return st; }
    return ol_store_commit(store, err);
}

ol_status ol_store_open(const char *path, int flags, ol_store **out, ol_error *err)
{
    *out = NULL;
    if (!path || !path[0])
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "empty store path");
    ol_store *s = calloc(1, sizeof *s);
    if (!s) return ol_error_set(err, OL_ENOMEM, path, 0, 0, NULL, "allocating the store");
    s->path = strdup(path);
    s->readonly = (flags & OL_STORE_READONLY) != 0;
    if (!s->path) { free(s); return ol_error_set(err, OL_ENOMEM, path, 0, 0, NULL, "allocating the store"); }

    int oflags = s->readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    int rc = sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        ol_status st = ol_error_set(err, s->readonly && rc == SQLITE_CANTOPEN ? OL_ENOTFOUND : OL_EIO,
                                    path, 0, 0, NULL, "cannot open the store: %s",
                                    s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        ol_store_close(s);
        return st;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, OL_STORE_BUSY_TIMEOUT_MS);

    /* Refuse files that are not SQLite databases before touching them. */
    int dummy = 0;
    if (pragma_int(s->db, "PRAGMA schema_version", &dummy) != SQLITE_OK) {
        ol_status st = ol_error_set(err, OL_EIO, path, 0, 0, NULL,
                                    "not an orderlab store (SQLite says: %s)", sqlite3_errmsg(s->db));
        ol_store_close(s);
        return st;
    }
    ol_status st = OL_OK;
    if (!s->readonly) {
        /* WAL lets readers run beside one writer; NORMAL sync is durable
         * against process crashes, which is what imports need. */
        st = ol_store_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", err);
    }
    if (!st) st = ol_store_exec(s, "PRAGMA foreign_keys=ON;", err);
    if (!st) st = migrate(s, err);
    if (st) { ol_store_close(s); return st; }
    *out = s;
    return OL_OK;
}

void ol_store_close(ol_store *store)
{
    if (!store) return;
    if (store->db) {
        if (store->in_tx) sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close_v2(store->db);
    }
    free(store->path);
    free(store);
}

const char *ol_store_path(const ol_store *store) { return store->path; }
struct sqlite3 *ol_store_db(ol_store *store) { return store->db; }
int ol_store_in_transaction(const ol_store *store) { return store->in_tx; }

ol_status ol_store_begin(ol_store *store, ol_error *err)
{
    if (store->in_tx)
        return ol_error_set(err, OL_EINVAL, store->path, 0, 0, NULL, "a transaction is already open");
    if (sqlite3_exec(store->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "starting a transaction");
    store->in_tx = 1;
    return OL_OK;
}

ol_status ol_store_commit(ol_store *store, ol_error *err)
{
    if (!store->in_tx)
        return ol_error_set(err, OL_EINVAL, store->path, 0, 0, NULL, "no transaction is open");
    if (sqlite3_exec(store->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        ol_status st = ol_store_fail(store, err, "committing");
        ol_store_rollback(store);
        return st;
    }
    store->in_tx = 0;
    return OL_OK;
}

void ol_store_rollback(ol_store *store)
{
    if (!store || !store->in_tx) return;
    sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    store->in_tx = 0;
}

ol_status ol_store_check_integrity(ol_store *store, ol_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "checking integrity");
    ol_status res = OL_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *txt = (const char *)sqlite3_column_text(st, 0);
        if (!txt || strcmp(txt, "ok") != 0)
            res = ol_error_set(err, OL_ESTORE, store->path, 0, 0, NULL,
                               "integrity check failed: %s", txt ? txt : "(null)");
    } else {
        res = ol_store_fail(store, err, "checking integrity");
    }
    sqlite3_finalize(st);
    if (!res) {
        /* Foreign keys are not covered by integrity_check. */
        if (sqlite3_prepare_v2(store->db, "PRAGMA foreign_key_check", -1, &st, NULL) != SQLITE_OK)
            return ol_store_fail(store, err, "checking foreign keys");
        if (sqlite3_step(st) == SQLITE_ROW)
            res = ol_error_set(err, OL_ESTORE, store->path, 0, 0, NULL,
                               "foreign key violation in table %s", sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    return res;
}

static int valid_identifier(const char *s)
{
    if (!s || !*s) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

ol_status ol_store_count(ol_store *store, const char *table, int64_t *count, ol_error *err)
{
    *count = 0;
    if (!valid_identifier(table))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "bad table name '%s'", table ? table : "");
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "counting rows");
    ol_status res = OL_OK;
    if (sqlite3_step(st) == SQLITE_ROW) *count = sqlite3_column_int64(st, 0);
    else res = ol_store_fail(store, err, "counting rows");
    sqlite3_finalize(st);
    return res;
}

ol_status ol_store_source_replace(ol_store *store, const ol_source_info *info,
                                  int64_t *source_id, ol_error *err)
{
    if (!info || !info->kind || !info->name || !info->vintage)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "source needs kind, name and vintage");
    sqlite3_stmt *st = NULL;
    ol_status res = OL_OK;
    if (sqlite3_prepare_v2(store->db,
                           "DELETE FROM sources WHERE kind = ?1 AND name = ?2 AND vintage = ?3",
                           -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "replacing a source");
    sqlite3_bind_text(st, 1, info->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, info->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, info->vintage, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) res = ol_store_fail(store, err, "deleting the previous import");
    sqlite3_finalize(st);
    if (res) return res;

    if (sqlite3_prepare_v2(store->db,
                           "INSERT INTO sources(kind, name, vintage, path, note) VALUES (?1, ?2, ?3, ?4, ?5)",
                           -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "recording a source");
    sqlite3_bind_text(st, 1, info->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, info->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, info->vintage, -1, SQLITE_STATIC);
    if (info->path) sqlite3_bind_text(st, 4, info->path, -1, SQLITE_STATIC);
    if (info->note) sqlite3_bind_text(st, 5, info->note, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) res = ol_store_fail(store, err, "recording a source");
    else if (source_id) *source_id = sqlite3_last_insert_rowid(store->db);
    sqlite3_finalize(st);
    return res;
}

ol_status ol_store_source_finish(ol_store *store, int64_t source_id,
                                 const ol_import_summary *sum, ol_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "UPDATE sources SET rows_read = ?2, rows_kept = ?3, rows_skipped = ?4, "
                           "rows_rejected = ?5 WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "updating a source");
    sqlite3_bind_int64(st, 1, source_id);
    sqlite3_bind_int64(st, 2, sum->rows_read);
    sqlite3_bind_int64(st, 3, sum->rows_kept);
    sqlite3_bind_int64(st, 4, sum->rows_skipped);
    sqlite3_bind_int64(st, 5, sum->rows_rejected);
    ol_status res = sqlite3_step(st) == SQLITE_DONE ? OL_OK : ol_store_fail(store, err, "updating a source");
    sqlite3_finalize(st);
    return res;
}

ol_status ol_store_source_reject(ol_store *store, int64_t source_id, const ol_error *reject, ol_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "INSERT INTO import_rejects(source_id, line, col, field, message) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "recording a reject");
    sqlite3_bind_int64(st, 1, source_id);
    sqlite3_bind_int64(st, 2, reject->line);
    sqlite3_bind_int64(st, 3, reject->column);
    if (reject->field[0]) sqlite3_bind_text(st, 4, reject->field, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, reject->message, -1, SQLITE_STATIC);
    ol_status res = sqlite3_step(st) == SQLITE_DONE ? OL_OK : ol_store_fail(store, err, "recording a reject");
    sqlite3_finalize(st);
    return res;
}

ol_status ol_store_builtin_current(ol_store *store, const char *name, const char *version,
                                   int *current, ol_error *err)
{
    *current = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db, "SELECT version FROM builtin_data WHERE name = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "reading built-in data versions");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    ol_status res = OL_OK;
    if (rc == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        *current = v && strcmp(v, version) == 0;
    } else if (rc != SQLITE_DONE) {
        res = ol_store_fail(store, err, "reading built-in data versions");
    }
    sqlite3_finalize(st);
    return res;
}

ol_status ol_store_builtin_mark(ol_store *store, const char *name, const char *version, ol_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "INSERT INTO builtin_data(name, version) VALUES (?1, ?2) "
                           "ON CONFLICT(name) DO UPDATE SET version = excluded.version, "
                           "loaded_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')",
                           -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "recording built-in data");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, version, -1, SQLITE_STATIC);
    ol_status res = sqlite3_step(st) == SQLITE_DONE ? OL_OK : ol_store_fail(store, err, "recording built-in data");
    sqlite3_finalize(st);
    return res;
}
