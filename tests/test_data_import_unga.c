/* The UNGA, ideal-point and COW IGO importers on the staged public files
 * (shared/data/unvotes, unga_idealpoints, cow_igo): zero rejects or exactly
 * the documented ones, row counts equal to the files' rows minus the
 * documented skips, and known values (docs/importers-unga.md lists them).
 * Skipped (77) when the staged data are absent. */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fx {
    char *dir;
    ol_store *s;
    const char *data;
} fx;

static fx F;

static int64_t q_int(const char *sql) { return ol_test_query_int(F.s, sql); }
static const char *q_text(const char *sql, char *buf, size_t n) { return ol_test_query_text(F.s, sql, buf, n); }

/* Imports a staged file, allowing exactly `rejects` rejects. */
static void imp(const char *kind, const char *rel, int64_t rejects, ol_import_summary *sum)
{
    char *path = ol_test_data_file(rel);
    ol_import_options opt;
    ol_import_options_init(&opt);
    opt.max_rejects = rejects;
    ol_error err;
    ol_error_clear(&err);
    ol_status st = ol_import_file(F.s, kind, path, &opt, sum, NULL, &err);
    free(path);
    OL_ASSERT_OK(st, &err);
    assert_int_equal(sum->rows_rejected, rejects);
    assert_int_equal(sum->rows_read, sum->rows_kept + sum->rows_skipped + sum->rows_rejected);
}

static void test_unvotes(void **state)
{
    (void)state;
    ol_import_summary sum;
    imp("unvotes-rollcalls", "unvotes/un_roll_calls.csv", 0, &sum);
    assert_int_equal(sum.rows_read, 6203);
    assert_int_equal(sum.rows_kept, 6203);
    assert_int_equal(ol_test_count(F.s, "roll_calls"), 6203);
    assert_int_equal(q_int("SELECT min(session) FROM roll_calls"), 1);
    assert_int_equal(q_int("SELECT max(session) FROM roll_calls"), 74);
    assert_int_equal(q_int("SELECT count(*) FROM roll_calls WHERE important = 1"), 411);
    assert_int_equal(q_int("SELECT count(*) FROM roll_calls WHERE important IS NULL"), 605);
    assert_int_equal(q_int("SELECT count(*) FROM roll_calls WHERE amend IS NULL"), 3335);
    assert_int_equal(q_int("SELECT count(*) FROM roll_calls WHERE para IS NULL"), 2995);
    assert_int_equal(q_int("SELECT count(*) FROM roll_calls WHERE unres IS NULL"), 159);
    assert_int_equal(q_int("SELECT count(*) FROM roll_calls WHERE short IS NULL"), 573);
    assert_int_equal(q_int("SELECT count(*) FROM roll_calls WHERE descr IS NULL"), 1);
    assert_int_equal(q_int("SELECT min(year) FROM roll_calls"), 1946);
    assert_int_equal(q_int("SELECT max(year) FROM roll_calls"), 2020);

    imp("unvotes-issues", "unvotes/un_roll_call_issues.csv", 0, &sum);
    assert_int_equal(sum.rows_kept, 5745);
    assert_int_equal(q_int("SELECT count(*) FROM roll_call_issues WHERE short_name = 'me'"), 1061);
    assert_int_equal(q_int("SELECT count(*) FROM roll_call_issues WHERE short_name = 'di'"), 1092);

    imp("unvotes-votes", "unvotes/un_votes.csv", 0, &sum);
    assert_int_equal(sum.rows_read, 870109);
    assert_int_equal(sum.rows_kept, 870109);
    assert_int_equal(sum.rows_skipped, 0);
    assert_int_equal(q_int("SELECT count(*) FROM votes WHERE vote = 1"), 693664);
    assert_int_equal(q_int("SELECT count(*) FROM votes WHERE vote = 2"), 110897);
    assert_int_equal(q_int("SELECT count(*) FROM votes WHERE vote = 3"), 65548);
    /* 200 names; the FRG and Germany are one orderlab country, and
     * "Yugoslavia" is two: YUG to 2005, SRB from 2006. */
    assert_int_equal(q_int("SELECT count(DISTINCT country) FROM votes"), 200);
    assert_int_equal(q_int("SELECT count(*) FROM votes WHERE country = 'DEU'"), 2151 + 2552);
    assert_int_equal(q_int("SELECT count(*) FROM votes WHERE country = 'YAR'"), 3291);
    assert_int_equal(q_int("SELECT count(*) FROM votes WHERE country = 'ZAN'"), 2);
    assert_int_equal(q_int("SELECT count(*) FROM votes WHERE country = 'DDR'"), 2067);
    assert_int_equal(q_int("SELECT count(*) FROM votes WHERE country = 'CSK'"), 3752);
    assert_int_equal(q_int("SELECT count(*) FROM votes WHERE country = 'YMD'"), 2378);
    /* YU is Yugoslavia up to 2005 and Serbia, which kept the seat, from 2006. */
    assert_int_equal(q_int("SELECT count(*) FROM votes WHERE country = 'YUG'"), 5475 - 1277);
    assert_int_equal(q_int("SELECT count(*) FROM votes v JOIN roll_calls r USING (rcid) "
                           "WHERE v.country = 'SRB' AND r.year >= 2006"), 1277);
    assert_int_equal(q_int("SELECT count(*) FROM votes WHERE country = 'TWN'"), 1233);
    assert_int_equal(q_int("SELECT count(*) FROM votes WHERE country = 'RUS'"), 6145);
    assert_int_equal(q_int("SELECT count(*) FROM votes WHERE country = 'USA'"), 6156);
    /* The file's first rows: on roll call 3 the US voted yes, Canada no. */
    assert_int_equal(q_int("SELECT vote FROM votes WHERE rcid = 3 AND country = 'USA'"), 1);
    assert_int_equal(q_int("SELECT vote FROM votes WHERE rcid = 3 AND country = 'CAN'"), 3);
    /* Every vote's roll call is in the store. */
    assert_int_equal(q_int("SELECT count(*) FROM votes v WHERE NOT EXISTS "
                           "(SELECT 1 FROM roll_calls r WHERE r.rcid = v.rcid)"), 0);
}

static void test_idealpoints(void **state)
{
    (void)state;
    ol_import_summary sum;
    /* The 23 documented rejects of each file: South Yemen (COW 680) is
     * labelled iso3c "YAR", North Yemen's code. */
    imp("idealpoints", "unga_idealpoints/IdealpointestimatesAll_Jun2024.csv", 23, &sum);
    assert_int_equal(sum.rows_read, 11238);
    assert_int_equal(sum.rows_kept, 11215);
    int64_t src = q_int("SELECT max(id) FROM sources WHERE kind = 'idealpoints'");
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM import_rejects WHERE source_id = %lld AND field = 'iso3c' "
             "AND message LIKE 'ccode 680 is YMD%%YAR%%'", (long long)src);
    assert_int_equal(q_int(sql), 23);
    assert_int_equal(q_int("SELECT count(*) FROM ideal_points WHERE period_kind = 'session'"), 11215);
    /* China (710) starts in session 26 (1971). */
    assert_int_equal(q_int("SELECT min(period) FROM ideal_points WHERE country = 'CHN' AND period_kind = 'session'"), 26);
    assert_int_equal(q_int("SELECT min(year) FROM ideal_points WHERE country = 'CHN' AND period_kind = 'session'"), 1971);
    assert_int_equal(q_int("SELECT max(period) FROM ideal_points WHERE period_kind = 'session'"), 78);
    /* 199 COW codes: 255 and 260 are both DEU, 345 is YUG then SRB, and
     * 680 (YMD) is rejected throughout. */
    assert_int_equal(q_int("SELECT count(DISTINCT country) FROM ideal_points WHERE period_kind = 'session'"), 198);
    /* COW 345 is SRB from 2006 (session 61). */
    assert_int_equal(q_int("SELECT min(period) FROM ideal_points WHERE country = 'SRB' AND period_kind = 'session'"), 61);
    char b[64];
    assert_string_equal(q_text("SELECT printf('%.5f', value) FROM ideal_points WHERE country = 'USA' "
                               "AND period_kind = 'session' AND period = 1", b, sizeof b), "1.67635");
    assert_int_equal(q_int("SELECT count(*) FROM indicator_values WHERE series = 'unga.agree.usa'"), 11238 - 23 - 1);
    /* ChinaAgree is NA 2,089 times, four of them in the rejected rows
     * (South Yemen before 1971). */
    assert_int_equal(q_int("SELECT count(*) FROM indicator_values WHERE series = 'unga.agree.chn'"),
                     11238 - 2089 - (23 - 4));

    imp("idealpoints", "unga_idealpoints/IdealpointsJuly2025.csv", 23, &sum);
    assert_int_equal(sum.rows_read, 11440);
    assert_int_equal(sum.rows_kept, 11417);
    assert_int_equal(sum.rows_skipped, 0);
    /* Per estimate: the file's non-empty values minus the 23 rejected rows. */
    assert_int_equal(q_int("SELECT count(*) FROM ideal_points WHERE estimate = 'bsv-fp' AND period_kind = 'year'"),
                     11440 - 19 - 23);
    assert_int_equal(q_int("SELECT count(*) FROM ideal_points WHERE estimate = 'bsv-all' AND period_kind = 'year'"),
                     11440 - 208 - 23);
    assert_int_equal(q_int("SELECT count(*) FROM ideal_points WHERE estimate = 'bsv-legacy' AND period_kind = 'year'"),
                     11440 - 202 - 23);
    /* 2024 has only the final-passage estimate. */
    assert_int_equal(q_int("SELECT count(*) FROM ideal_points WHERE period_kind = 'year' AND period = 2024 "
                           "AND estimate <> 'bsv-fp'"), 0);
    assert_int_equal(q_int("SELECT count(*) FROM ideal_points WHERE period_kind = 'year' AND period = 2024"), 191);
    assert_int_equal(q_int("SELECT min(period) FROM ideal_points WHERE country = 'CHN' AND estimate = 'bsv-fp'"), 1971);
}

static void test_cow_igo(void **state)
{
    (void)state;
    ol_import_summary sum;
    imp("cow-igo", "cow_igo/igo_year_format3.csv", 0, &sum);
    /* 19,335 rows x 217 state columns. */
    assert_int_equal(sum.rows_read, 19335LL * 217);
    /* 1,294,458 empty cells and 879 IGO-years where germany and wgermany are
     * both -9 for DEU. */
    assert_int_equal(sum.rows_skipped, 1294458 + 879);
    assert_int_equal(sum.rows_kept, 19335LL * 217 - 1294458 - 879);
    assert_int_equal(ol_test_count(F.s, "institutions"), 534);
    int64_t igo = q_int("SELECT id FROM sources WHERE kind = 'cow-igo'");

    imp("cow-igo-state", "cow_igo/state_year_format3.csv", 0, &sum);
    /* 15,557 rows x 534 IGO columns; -1 (the IGO did not exist) skipped. */
    assert_int_equal(sum.rows_read, 15557LL * 534);
    assert_int_equal(sum.rows_skipped, 5459286);
    assert_int_equal(sum.rows_kept, 15557LL * 534 - 5459286);
    assert_int_equal(ol_test_count(F.s, "institutions"), 534);
    int64_t sy = q_int("SELECT id FROM sources WHERE kind = 'cow-igo-state'");

    /* The two layouts agree for the US and UNESCO: member in 1984, not a
     * member from 1985 (COW misses the 2003 return). */
    char sql[512];
    static const struct { int year; const char *status; } us_unesco[] = {
        {1984, "full"}, {1985, "none"}, {1986, "none"}, {2003, "none"}, {2014, "none"}};
    for (size_t i = 0; i < sizeof us_unesco / sizeof us_unesco[0]; i++) {
        for (int k = 0; k < 2; k++) {
            char b[32];
            snprintf(sql, sizeof sql, "SELECT status FROM memberships WHERE institution = 'UNESCO' AND country = 'USA' "
                     "AND year = %d AND source_id = %lld", us_unesco[i].year, (long long)(k ? sy : igo));
            assert_string_equal(q_text(sql, b, sizeof b), us_unesco[i].status);
        }
    }
    /* ILO: coded 0 in 1978-1979 (a withdrawal and return). */
    snprintf(sql, sizeof sql, "SELECT group_concat(status, ',') FROM (SELECT status FROM memberships WHERE "
             "institution = 'ILO' AND country = 'USA' AND year BETWEEN 1977 AND 1980 AND source_id = %lld "
             "ORDER BY year)", (long long)sy);
    char b[128];
    assert_string_equal(q_text(sql, b, sizeof b), "full,none,none,full");
    /* Where both layouts have a cell they mostly agree; the differences are
     * counted in docs/importers-unga.md. */
    snprintf(sql, sizeof sql, "SELECT count(*) FROM memberships a JOIN memberships b USING (institution, country, year) "
             "WHERE a.source_id = %lld AND b.source_id = %lld AND a.status <> b.status", (long long)igo, (long long)sy);
    assert_int_equal(q_int(sql), 2991);
}

int main(void)
{
    F.data = ol_test_shared_data();
    if (!F.data) {
        fprintf(stderr, "staged data not found (ORDERLAB_SHARED_DATA); skipping\n");
        return 77;
    }
    F.dir = ol_test_tmpdir();
    F.s = ol_test_store(F.dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unvotes),
        cmocka_unit_test(test_idealpoints),
        cmocka_unit_test(test_cow_igo),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    ol_store_close(F.s);
    ol_test_rmtree(F.dir);
    free(F.dir);
    return rc;
}
