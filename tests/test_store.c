/* The store: schema creation and migration, transactions, sources and their
 * replacement, built-in markers, and failure on files that are not stores. */
#include "testutil.h"

#include "util/embedded.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_resolve_path(void **state)
{
    (void)state;
    assert_string_equal(ol_store_resolve_path("a.db", "b.db"), "a.db");
    assert_string_equal(ol_store_resolve_path(NULL, "b.db"), "b.db");
    assert_string_equal(ol_store_resolve_path("", ""), OL_STORE_DEFAULT_PATH);
}

static void test_create_and_reopen(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    char *p = ol_test_path(dir, "s.db");
    ol_store *s = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_store_open(p, OL_STORE_READWRITE, &s, &err), &err);
    assert_int_equal(ol_store_schema_version(s), OL_STORE_SCHEMA_VERSION);
    /* WAL and foreign keys are on for every connection. */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(ol_store_db(s), "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(ol_store_db(s), "PRAGMA foreign_keys", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    OL_ASSERT_OK(ol_store_check_integrity(s, &err), &err);
    ol_store_close(s);
    /* Reopening read-only works and does not migrate. */
    OL_ASSERT_OK(ol_store_open(p, OL_STORE_READONLY, &s, &err), &err);
    assert_int_equal(ol_store_schema_version(s), OL_STORE_SCHEMA_VERSION);
    ol_store_close(s);
    free(p);
    ol_test_rmtree(dir);
    free(dir);
}

static void test_newer_schema_refused(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    char *p = ol_test_path(dir, "s.db");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", OL_STORE_SCHEMA_VERSION + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    ol_store *s = NULL;
    ol_error err;
    ol_error_clear(&err);
    assert_int_equal(ol_store_open(p, OL_STORE_READWRITE, &s, &err), OL_ESCHEMA);
    assert_null(s);
    assert_non_null(strstr(err.message, "newer"));
    free(p);
    ol_test_rmtree(dir);
    free(dir);
}

static void test_not_a_database(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    char *p = ol_test_write(dir, "junk.db", "this is not an SQLite file, it is plain text long enough\n");
    ol_store *s = NULL;
    ol_error err;
    ol_error_clear(&err);
    assert_int_equal(ol_store_open(p, OL_STORE_READWRITE, &s, &err), OL_EIO);
    assert_string_equal(err.file, p);
    free(p);
    ol_test_rmtree(dir);
    free(dir);
}

static void test_readonly_missing(void **state)
{
    (void)state;
    ol_store *s = NULL;
    ol_error err;
    ol_error_clear(&err);
    assert_int_not_equal(ol_store_open("/nonexistent-dir/x.db", OL_STORE_READONLY, &s, &err), OL_OK);
    assert_null(s);
}

static void test_source_replace_cascades(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    char *p = ol_test_path(dir, "s.db");
    ol_store *s = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_store_open(p, OL_STORE_READWRITE, &s, &err), &err);
    OL_ASSERT_OK(ol_store_exec(s, "INSERT INTO countries(code, name_en, kind) VALUES ('USA','United States','state')", &err), &err);
    ol_source_info info = {"test", "series", "v1", "file.csv", NULL};
    int64_t id1 = 0, id2 = 0;
    OL_ASSERT_OK(ol_store_begin(s, &err), &err);
    OL_ASSERT_OK(ol_store_source_replace(s, &info, &id1, &err), &err);
    char sql[256];
    snprintf(sql, sizeof sql, "INSERT INTO indicator_values(series, country, year, source_id, value, unit, vintage) "
                               "VALUES ('X','USA',2000,%lld,1.0,'u','v1')", (long long)id1);
    OL_ASSERT_OK(ol_store_exec(s, sql, &err), &err);
    OL_ASSERT_OK(ol_store_commit(s, &err), &err);
    assert_int_equal(ol_test_count(s, "indicator_values"), 1);
    /* The same kind, name and vintage replaces: the old rows go. */
    OL_ASSERT_OK(ol_store_begin(s, &err), &err);
    OL_ASSERT_OK(ol_store_source_replace(s, &info, &id2, &err), &err);
    assert_int_equal(ol_test_count(s, "indicator_values"), 0);
    ol_import_summary sum = {3, 2, 0, 1};
    OL_ASSERT_OK(ol_store_source_finish(s, id2, &sum, &err), &err);
    ol_error rej;
    ol_error_set(&rej, OL_EVALIDATE, "file.csv", 7, 2, "year", "not a year");
    OL_ASSERT_OK(ol_store_source_reject(s, id2, &rej, &err), &err);
    OL_ASSERT_OK(ol_store_commit(s, &err), &err);
    assert_int_equal(ol_test_count(s, "sources"), 1);
    assert_int_equal(ol_test_count(s, "import_rejects"), 1);
    /* A rolled-back transaction leaves nothing behind. */
    OL_ASSERT_OK(ol_store_begin(s, &err), &err);
    info.vintage = "v2";
    OL_ASSERT_OK(ol_store_source_replace(s, &info, &id1, &err), &err);
    ol_store_rollback(s);
    assert_int_equal(ol_test_count(s, "sources"), 1);
    assert_false(ol_store_in_transaction(s));
    /* Transactions do not nest. */
    OL_ASSERT_OK(ol_store_begin(s, &err), &err);
    assert_int_equal(ol_store_begin(s, &err), OL_EINVAL);
    ol_store_rollback(s);
    /* Bad table names are refused rather than spliced into SQL. */
    int64_t n;
    assert_int_equal(ol_store_count(s, "x; DROP TABLE sources", &n, &err), OL_EINVAL);
    ol_store_close(s);
    free(p);
    ol_test_rmtree(dir);
    free(dir);
}

static void test_builtin_markers(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    char *p = ol_test_path(dir, "s.db");
    ol_store *s = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_store_open(p, OL_STORE_READWRITE, &s, &err), &err);
    int cur = 1;
    OL_ASSERT_OK(ol_store_builtin_current(s, "x", "1", &cur, &err), &err);
    assert_false(cur);
    OL_ASSERT_OK(ol_store_builtin_mark(s, "x", "1", &err), &err);
    OL_ASSERT_OK(ol_store_builtin_current(s, "x", "1", &cur, &err), &err);
    assert_true(cur);
    OL_ASSERT_OK(ol_store_builtin_current(s, "x", "2", &cur, &err), &err);
    assert_false(cur);
    ol_store_close(s);
    free(p);
    ol_test_rmtree(dir);
    free(dir);
}

/* Two connections to one file, as two processes have: a reader is never
 * blocked by a writer (WAL), and a second writer waits for the first. */
static void test_two_connections(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    char *p = ol_test_path(dir, "s.db");
    ol_store *a = NULL, *b = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_store_open(p, OL_STORE_READWRITE, &a, &err), &err);
    OL_ASSERT_OK(ol_store_open(p, OL_STORE_READWRITE, &b, &err), &err);
    OL_ASSERT_OK(ol_store_begin(a, &err), &err);
    OL_ASSERT_OK(ol_store_exec(a, "INSERT INTO countries(code, name_en, kind) VALUES ('XAA','A','other')", &err), &err);
    /* b reads the last committed state while a writes. */
    assert_int_equal(ol_test_count(b, "countries"), 0);
    /* b cannot write until a is done; with a short timeout it gives up cleanly. */
    sqlite3_busy_timeout(ol_store_db(b), 50);
    assert_int_equal(ol_store_begin(b, &err), OL_ESTORE);
    assert_false(ol_store_in_transaction(b));
    OL_ASSERT_OK(ol_store_commit(a, &err), &err);
    OL_ASSERT_OK(ol_store_begin(b, &err), &err);
    assert_int_equal(ol_test_count(b, "countries"), 1);
    OL_ASSERT_OK(ol_store_commit(b, &err), &err);
    ol_store_close(a);
    ol_store_close(b);
    free(p);
    ol_test_rmtree(dir);
    free(dir);
}

static void test_error_format(void **state)
{
    (void)state;
    ol_error e;
    char buf[256];
    ol_error_set(&e, OL_EPARSE, "a.csv", 3, 2, "Year", "not a number: '%s'", "x");
    ol_error_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "a.csv:3:2: field 'Year': not a number: 'x'");
    ol_error_prefix(&e, "importing %s", "wb");
    assert_string_equal(e.message, "importing wb: not a number: 'x'");
    assert_int_equal(ol_status_exit_code(OL_EPARSE), 3);
    assert_int_equal(ol_status_exit_code(OL_EINVAL), 2);
    assert_int_equal(ol_status_exit_code(OL_ENOTFOUND), 4);
    assert_int_equal(ol_status_exit_code(OL_ESTORE), 5);
    assert_int_equal(ol_error_set(NULL, OL_EIO, NULL, 0, 0, NULL, "x"), OL_EIO);
}

/* A store of schema version 1 (runs without run_events) migrates to the
 * current version: its rows stay, run_events appears (version 2), and a
 * run's events go with the run; pair_values and the census code system
 * appear (version 3). */
static void test_migrate_1_to_2(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    char *p = ol_test_path(dir, "s.db");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    const ol_embedded_file *v1 = ol_embedded_find("schema_0001.sql");
    assert_non_null(v1);
    assert_int_equal(sqlite3_exec(db, (const char *)v1->data, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO runs(kind, status) VALUES ('simulate', 'ok');"
                                      "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    ol_store *s = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_store_open(p, OL_STORE_READWRITE, &s, &err), &err);
    assert_int_equal(ol_store_schema_version(s), OL_STORE_SCHEMA_VERSION);
    assert_int_equal(ol_test_count(s, "runs"), 1);
    assert_int_equal(ol_test_count(s, "pair_values"), 0);
    OL_ASSERT_OK(ol_store_exec(s, "INSERT INTO countries(code, name_en, kind) VALUES ('CHN','China','state');"
                                  "INSERT INTO country_codes(system, key, code) VALUES ('census', '5700', 'CHN')",
                               &err), &err);
    assert_int_equal(ol_test_count(s, "run_events"), 0);
    OL_ASSERT_OK(ol_store_exec(s, "INSERT INTO run_events(run_id, run, seq, year, institution, action) "
                                  "VALUES (1, 0, 0, 2017, 'UN', 'exit')", &err), &err);
    OL_ASSERT_OK(ol_store_exec(s, "DELETE FROM runs", &err), &err);
    assert_int_equal(ol_test_count(s, "run_events"), 0);
    OL_ASSERT_OK(ol_store_check_integrity(s, &err), &err);
    ol_store_close(s);
    free(p);
    ol_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve_path),
        cmocka_unit_test(test_create_and_reopen),
        cmocka_unit_test(test_newer_schema_refused),
        cmocka_unit_test(test_migrate_1_to_2),
        cmocka_unit_test(test_not_a_database),
        cmocka_unit_test(test_readonly_missing),
        cmocka_unit_test(test_source_replace_cascades),
        cmocka_unit_test(test_builtin_markers),
        cmocka_unit_test(test_two_connections),
        cmocka_unit_test(test_error_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
