/* Helpers shared by the test programs: temporary directories, fixture files
 * and stores.  Each test makes its own fixtures; none reads ../shared/data
 * except the data-labelled tests. */
#ifndef OL_TESTUTIL_H
#define OL_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "orderlab/orderlab.h"

/* A fresh temporary directory (mkdtemp) for this test; removed by
 * ol_test_rmtree.  Returned string is malloc'ed. */
char *ol_test_tmpdir(void);
void ol_test_rmtree(const char *dir);
/* Writes text to dir/name and returns the malloc'ed full path. */
char *ol_test_write(const char *dir, const char *name, const char *text);
/* dir/name, malloc'ed. */
char *ol_test_path(const char *dir, const char *name);
/* What a store holds: each table's rows, counted and hashed over every
 * column, so that a change to any row shows, not only a change of count.
 * For checking that a failed import or fetch left the store as it was. */
enum { OL_TEST_SNAPSHOT_MAX = 64 };
typedef struct ol_test_snapshot {
    size_t ntables;
    char table[OL_TEST_SNAPSHOT_MAX][64];
    int64_t rows[OL_TEST_SNAPSHOT_MAX];
    uint64_t hash[OL_TEST_SNAPSHOT_MAX];
} ol_test_snapshot;
ol_test_snapshot ol_test_snap(ol_store *s);
/* Fails the test, naming the first table that differs: in its rows or
 * contents (same), or only in its rows (same_counts: a re-import replaces
 * its source, whose new id its values then carry). */
void ol_test_snapshot_same(const ol_test_snapshot *before, const ol_test_snapshot *after);
void ol_test_snapshot_same_counts(const ol_test_snapshot *before, const ol_test_snapshot *after);

/* The US Census Bureau's country.csv header, and a line of it with every
 * month equal (imports m, exports e, million US$) for the first `months`
 * months and zero after, the annual total the sum of those months. */
extern const char OL_TEST_CENSUS_HEAD[];
void ol_test_census_line(char *buf, size_t n, int year, const char *code, const char *name, double m, double e,
                         int months);

/* The world's magnitude of subject whose quantity starts with quantity;
 * fails the test when there is none. */
const ol_simulate_magnitude *ol_test_magnitude(const ol_simulate_world *sw, const char *subject,
                                               const char *quantity);

/* The whole file, NUL-terminated and malloc'ed, its length in *n (n may be
 * NULL); NULL when the file cannot be opened. */
char *ol_test_slurp(const char *path, size_t *n);
/* Opens (and seeds) a store at dir/orderlab.db; fails the test on error. */
ol_store *ol_test_store(const char *dir);
/* The common fixture: a fresh temporary directory with a store in it. */
typedef struct ol_test_fixture {
    char *dir;
    ol_store *s;
} ol_test_fixture;
ol_test_fixture *ol_test_fixture_new(void);
void ol_test_fixture_free(ol_test_fixture *f);
/* cmocka setup/teardown that put an ol_test_fixture in *state. */
int ol_test_setup(void **state);
int ol_test_teardown(void **state);
/* Number of rows in table, failing the test on error. */
int64_t ol_test_count(ol_store *s, const char *table);
/* Runs a shell command, returns its exit status (0..255) and, when out is
 * non-NULL, its stdout+stderr (malloc'ed). */
int ol_test_run(const char *cmd, char **out);
/* The staged data directory, or NULL when absent (data tests then skip). */
const char *ol_test_shared_data(void);
/* The staged data file rel (e.g. "wb_gdp/gdp.csv"), malloc'ed; fails the
 * test when the staged data are absent (data tests skip before that). */
char *ol_test_data_file(const char *rel);
/* Writes text to f->dir/name and imports it as kind; series and vintage may
 * be NULL.  err is cleared first; returns the import's status. */
ol_status ol_test_import_text(ol_test_fixture *f, const char *kind, const char *name, const char *text,
                              const char *series, const char *vintage, int64_t max_rejects,
                              ol_import_summary *sum, ol_error *err);
/* The same with no rejects allowed; fails the test on error (sum may be NULL). */
void ol_test_import_ok(ol_test_fixture *f, const char *kind, const char *name, const char *text,
                       const char *vintage, ol_import_summary *sum);
/* The first column of the first row of sql; the test fails when sql does not
 * prepare.  With no row: -999 (int, double) or "(no row)" (text); a NULL
 * text is "(null)".  The text goes into buf, which is returned. */
int64_t ol_test_query_int(ol_store *s, const char *sql);
double ol_test_query_double(ol_store *s, const char *sql);
const char *ol_test_query_text(ol_store *s, const char *sql, char *buf, size_t n);
/* The value of series for country in year; the test fails when there is none. */
double ol_test_value(ol_store *s, const char *series, const char *country, int year);
/* A whole CSV table in memory (header + rows of strings), for tests that
 * check the built-in data tables.  Read through ol_csv, so the same quoting
 * and UTF-8 rules apply as in the library. */
typedef struct ol_test_table {
    size_t ncols, nrows;
    char **head;     /* ncols column names */
    char ***rows;    /* nrows rows of ncols fields (missing trailing fields are "") */
    long *lines;     /* physical line of each row, for messages */
} ol_test_table;
/* The embedded file name (e.g. "model_facts.csv"), or the file at path read
 * with delimiter delim (0 = ','); the test fails on any read error. */
ol_test_table *ol_test_table_embedded(const char *name);
ol_test_table *ol_test_table_file(const char *path, char delim);
void ol_test_table_free(ol_test_table *t);
/* Index of column name; fails the test when the table has no such column. */
size_t ol_test_table_col(const ol_test_table *t, const char *name);
/* Field of row r in column name. */
const char *ol_test_table_get(const ol_test_table *t, size_t r, const char *name);
/* Asserts with the formatted error message when st != OL_OK. */
#define OL_ASSERT_OK(st, err) do { ol_status st_ = (st); if (st_ != OL_OK) { \
    char b_[2048]; ol_error_format((err), b_, sizeof b_); fail_msg("status %d: %s", (int)st_, b_); } } while (0)
#endif
