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
/* Asserts with the formatted error message when st != OL_OK. */
#define OL_ASSERT_OK(st, err) do { ol_status st_ = (st); if (st_ != OL_OK) { \
    char b_[2048]; ol_error_format((err), b_, sizeof b_); fail_msg("status %d: %s", (int)st_, b_); } } while (0)
#endif
