/* The UN General Assembly importers (roll calls, issue tags, votes) and the
 * published ideal-point importer, on small fixtures: the mappings (yes /
 * abstain / no, ISO2 and names to orderlab codes with the roll call's year,
 * COW codes with the year), the documented skips, idempotent re-imports, and
 * every bad-input path (file, line, column and field in the message; the
 * store unchanged). */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef ol_test_fixture fx;

/* The vintage of every fixture import. */
#define VINTAGE "2021-03-08"

static ol_status imp_text(fx *f, const char *kind, const char *name, const char *text, int64_t max_rejects,
                          ol_import_summary *sum, ol_error *err)
{
    return ol_test_import_text(f, kind, name, text, NULL, VINTAGE, max_rejects, sum, err);
}

static void imp_ok(fx *f, const char *kind, const char *name, const char *text, ol_import_summary *sum)
{
    ol_test_import_ok(f, kind, name, text, VINTAGE, sum);
}

static int64_t q_int(fx *f, const char *sql) { return ol_test_query_int(f->s, sql); }
static double q_dbl(fx *f, const char *sql) { return ol_test_query_double(f->s, sql); }
static const char *q_text(fx *f, const char *sql, char *buf, size_t n) { return ol_test_query_text(f->s, sql, buf, n); }

/* ------------------------------------------------------------ fixtures */

/* Roll calls in four years; descr of rcid 3 carries the stray backslashes
 * and quotes of the source, which are kept. */
static const char ROLLCALLS[] =
    "rcid,session,importantvote,date,unres,amend,para,short,descr\n"
    "3,1,0,1946-01-01,R/1/66,1,0,\"AMENDMENTS, RULES\",\"PROPOSAL \\MEMBERS PRESENT\\\\, VOTE.\\\"\"\"\"\"\n"
    "4,1,,1946-01-02,,,,,\n"
    "50,18,0,1963-12-16,R/18/1,0,0,ADMISSION,Admit Zanzibar\n"
    "100,45,1,1990-09-20,R/45/1,0,1,SHORT,desc\n"
    "200,65,0,2010-10-01,R/65/1,0,0,S,d\n";

static void load_rollcalls(fx *f) { imp_ok(f, "unvotes-rollcalls", "un_roll_calls.csv", ROLLCALLS, NULL); }

/* ------------------------------------------------------------ roll calls */

static void test_rollcalls_fields(void **state)
{
    fx *f = *state;
    ol_import_summary sum;
    imp_ok(f, "unvotes-rollcalls", "un_roll_calls.csv", ROLLCALLS, &sum);
    assert_int_equal(sum.rows_read, 5);
    assert_int_equal(sum.rows_kept, 5);
    assert_int_equal(sum.rows_rejected, 0);
    char b[256];
    assert_string_equal(q_text(f, "SELECT descr FROM roll_calls WHERE rcid = 3", b, sizeof b),
                        "PROPOSAL \\MEMBERS PRESENT\\\\, VOTE.\\\"\"");
    assert_string_equal(q_text(f, "SELECT short FROM roll_calls WHERE rcid = 3", b, sizeof b), "AMENDMENTS, RULES");
    assert_int_equal(q_int(f, "SELECT year FROM roll_calls WHERE rcid = 100"), 1990);
    assert_int_equal(q_int(f, "SELECT important FROM roll_calls WHERE rcid = 100"), 1);
    assert_int_equal(q_int(f, "SELECT para FROM roll_calls WHERE rcid = 100"), 1);
    /* Empty fields are NULL, not "" or 0. */
    assert_int_equal(q_int(f, "SELECT count(*) FROM roll_calls WHERE rcid = 4 AND important IS NULL AND "
                              "unres IS NULL AND amend IS NULL AND para IS NULL AND short IS NULL AND descr IS NULL"), 1);
}

static void test_rollcalls_bad_session(void **state)
{
    fx *f = *state;
    ol_import_summary sum;
    ol_error err;
    ol_test_snapshot before = ol_test_snap(f->s);
    ol_status st = imp_text(f, "unvotes-rollcalls", "rc.csv",
                            "rcid,session,importantvote,date,unres,amend,para,short,descr\n"
                            "3,1,0,1946-01-01,R/1/66,1,0,A,B\n"
                            "4,one,0,1946-01-02,R/1/67,0,0,A,B\n", 0, &sum, &err);
    assert_int_equal(st, OL_EVALIDATE);
    assert_int_equal(ol_status_exit_code(st), 3);
    assert_non_null(strstr(err.file, "rc.csv"));
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 2);
    assert_string_equal(err.field, "session");
    assert_non_null(strstr(err.message, "'one'"));
    /* Nothing was written. */
    ol_test_snapshot after = ol_test_snap(f->s);
    ol_test_snapshot_same(&before, &after);
}

static void test_rollcalls_bad_date_and_flag(void **state)
{
    fx *f = *state;
    ol_import_summary sum;
    ol_error err;
    ol_status st = imp_text(f, "unvotes-rollcalls", "rc.csv",
                            "rcid,session,importantvote,date,unres,amend,para,short,descr\n"
                            "3,1,0,1946-02-30,R/1/66,1,0,A,B\n"
                            "4,1,7,1946-01-02,R/1/67,0,0,A,B\n"
                            "5,1,0,1946-01-02,R/1/67,0,0,A,B\n", -1, &sum, &err);
    OL_ASSERT_OK(st, &err);
    assert_int_equal(sum.rows_rejected, 2);
    assert_int_equal(sum.rows_kept, 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM import_rejects WHERE field = 'date' AND line = 2 AND col = 4"), 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM import_rejects WHERE field = 'importantvote' AND line = 3"), 1);
}

static void test_rollcalls_duplicate(void **state)
{
    fx *f = *state;
    ol_import_summary sum;
    ol_error err;
    ol_status st = imp_text(f, "unvotes-rollcalls", "rc.csv",
                            "rcid,session,importantvote,date,unres,amend,para,short,descr\n"
                            "3,1,0,1946-01-01,R/1/66,1,0,A,B\n"
                            "3,1,0,1946-01-01,R/1/66,1,0,A,B\n", 0, &sum, &err);
    assert_int_equal(st, OL_EVALIDATE);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.field, "rcid");
    assert_non_null(strstr(err.message, "duplicate"));
    assert_int_equal(ol_test_count(f->s, "roll_calls"), 0);
}

static void test_rollcalls_missing_column(void **state)
{
    fx *f = *state;
    ol_import_summary sum;
    ol_error err;
    ol_status st = imp_text(f, "unvotes-rollcalls", "rc.csv",
                            "rcid,importantvote,date,unres,amend,para,short,descr\n3,0,1946-01-01,R,1,0,A,B\n", 0,
                            &sum, &err);
    assert_int_equal(st, OL_EPARSE);
    assert_int_equal(ol_status_exit_code(st), 3);
    assert_string_equal(err.field, "session");
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.message, "missing column 'session'"));
}

/* ------------------------------------------------------------ issues */

static void test_issues(void **state)
{
    fx *f = *state;
    load_rollcalls(f);
    ol_import_summary sum;
    imp_ok(f, "unvotes-issues", "issues.csv",
           "rcid,short_name,issue\n3,me,Palestinian conflict\n3,hr,Human rights\n100,di,Arms control and disarmament\n",
           &sum);
    assert_int_equal(sum.rows_kept, 3);
    assert_int_equal(q_int(f, "SELECT count(*) FROM roll_call_issues WHERE rcid = 3"), 2);
    /* An rcid without a roll call is a reject naming the rcid field. */
    ol_error err;
    ol_status st = imp_text(f, "unvotes-issues", "issues2.csv", "rcid,short_name,issue\n4,me,P\n9999,me,P\n", 0, &sum,
                            &err);
    assert_int_equal(st, OL_EVALIDATE);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 1);
    assert_string_equal(err.field, "rcid");
    assert_non_null(strstr(err.message, "9999"));
    /* Duplicate tag. */
    st = imp_text(f, "unvotes-issues", "issues3.csv", "rcid,short_name,issue\n4,me,P\n4,me,P\n", 0, &sum, &err);
    assert_int_equal(st, OL_EVALIDATE);
    assert_string_equal(err.field, "short_name");
    assert_int_equal(err.line, 3);
    assert_int_equal(q_int(f, "SELECT count(*) FROM roll_call_issues"), 3);
    /* A tag another file already gave is refused, naming that file. */
    st = imp_text(f, "unvotes-issues", "issues4.csv", "rcid,short_name,issue\n3,me,P\n", 0, &sum, &err);
    assert_int_equal(st, OL_EVALIDATE);
    assert_non_null(strstr(err.message, "issues.csv"));
}

/* ------------------------------------------------------------ votes */

static void test_votes_mapping(void **state)
{
    fx *f = *state;
    load_rollcalls(f);
    ol_import_summary sum;
    imp_ok(f, "unvotes-votes", "un_votes.csv",
           "rcid,country,country_code,vote\n"
           "3,United States,US,yes\n"
           "3,Canada,CA,no\n"
           "3,Cuba,CU,abstain\n"
           "3,Taiwan,TW,yes\n"
           "3,Russia,RU,no\n"
           "3,Czechoslovakia,CS,no\n"
           "3,Yugoslavia,YU,no\n"
           "50,Zanzibar,,yes\n"
           "100,Federal Republic of Germany,,yes\n"
           "100,Yemen Arab Republic,,no\n"
           "100,German Democratic Republic,DD,abstain\n"
           "100,Yemen People's Republic,YD,no\n"
           "100,Namibia,NA,yes\n"
           "200,China,CN,yes\n",
           &sum);
    assert_int_equal(sum.rows_read, 14);
    assert_int_equal(sum.rows_kept, 14);
    /* yes / abstain / no -> 1 / 2 / 3 */
    assert_int_equal(q_int(f, "SELECT vote FROM votes WHERE rcid = 3 AND country = 'USA'"), 1);
    assert_int_equal(q_int(f, "SELECT vote FROM votes WHERE rcid = 3 AND country = 'CUB'"), 2);
    assert_int_equal(q_int(f, "SELECT vote FROM votes WHERE rcid = 3 AND country = 'CAN'"), 3);
    /* Historical ISO2-like codes go to the former states; the China seat
     * before 1971 is Taiwan's; Russia covers the USSR. */
    assert_int_equal(q_int(f, "SELECT count(*) FROM votes WHERE rcid = 3 AND country IN ('TWN','RUS','CSK','YUG')"), 4);
    assert_int_equal(q_int(f, "SELECT count(*) FROM votes WHERE rcid = 100 AND country IN ('DDR','YMD','NAM')"), 3);
    /* Empty ISO2: the name with the year. */
    assert_int_equal(q_int(f, "SELECT count(*) FROM votes WHERE rcid = 100 AND country IN ('DEU','YAR')"), 2);
    assert_int_equal(q_int(f, "SELECT count(*) FROM votes WHERE rcid = 50 AND country = 'ZAN'"), 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM votes WHERE rcid = 200 AND country = 'CHN'"), 1);
}

/* The roll call's year picks among entities that shared an ISO2 code. */
static void test_votes_year_dependent(void **state)
{
    fx *f = *state;
    char *ov = ol_test_write(f->dir, "over.csv",
                             "code,name_en,iso2,kind,start_year,end_year\n"
                             "ZZA,Old Zedland,ZZ,former,1900,1950\n"
                             "ZZB,New Zedland,ZZ,state,1951,\n");
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_countries_import_overrides(f->s, ov, NULL, &err), &err);
    free(ov);
    load_rollcalls(f);
    imp_ok(f, "unvotes-votes", "un_votes.csv",
           "rcid,country,country_code,vote\n3,Zedland,ZZ,yes\n100,Zedland,ZZ,no\n", NULL);
    assert_int_equal(q_int(f, "SELECT count(*) FROM votes WHERE rcid = 3 AND country = 'ZZA'"), 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM votes WHERE rcid = 100 AND country = 'ZZB'"), 1);
}

static void test_votes_rejects(void **state)
{
    fx *f = *state;
    load_rollcalls(f);
    ol_import_summary sum;
    ol_error err;
    ol_test_snapshot before = ol_test_snap(f->s);
    struct { const char *row; long line, col; const char *field; const char *msg; } cases[] = {
        {"3,Canada,CA,maybe\n", 3, 4, "vote", "maybe"},
        {"3,Nowhere,QQ,yes\n", 3, 3, "country_code", "QQ"},
        {"3,Atlantis,,yes\n", 3, 2, "country", "Atlantis"},
        {"9999,Canada,CA,yes\n", 3, 1, "rcid", "9999"},
        {"x3,Canada,CA,yes\n", 3, 1, "rcid", "x3"},
        {"3,United States,US,no\n", 3, 3, "country_code", "duplicate"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "rcid,country,country_code,vote\n3,United States,US,yes\n%s", cases[i].row);
        ol_status st = imp_text(f, "unvotes-votes", "bad.csv", text, 0, &sum, &err);
        assert_int_equal(st, OL_EVALIDATE);
        assert_int_equal(ol_status_exit_code(st), 3);
        assert_int_equal(err.line, cases[i].line);
        assert_int_equal(err.column, cases[i].col);
        assert_string_equal(err.field, cases[i].field);
        if (!strstr(err.message, cases[i].msg)) fail_msg("case %zu: '%s' lacks '%s'", i, err.message, cases[i].msg);
        ol_test_snapshot after = ol_test_snap(f->s);
        ol_test_snapshot_same(&before, &after);
    }
}

static void test_votes_allow_rejects_records_them(void **state)
{
    fx *f = *state;
    load_rollcalls(f);
    ol_import_summary sum;
    ol_error err;
    OL_ASSERT_OK(imp_text(f, "unvotes-votes", "v.csv",
                          "rcid,country,country_code,vote\n3,United States,US,yes\n3,Canada,CA,maybe\n"
                          "3,Cuba,CU,no\n3,Cuba,CU,no\n",
                          -1, &sum, &err), &err);
    assert_int_equal(sum.rows_read, 4);
    assert_int_equal(sum.rows_kept, 2);
    assert_int_equal(sum.rows_rejected, 2);
    assert_int_equal(q_int(f, "SELECT count(*) FROM import_rejects"), 2);
    assert_int_equal(q_int(f, "SELECT line FROM import_rejects WHERE field = 'vote'"), 3);
    assert_int_equal(q_int(f, "SELECT line FROM import_rejects WHERE message LIKE '%duplicate%'"), 5);
    assert_int_equal(q_int(f, "SELECT rows_rejected FROM sources WHERE kind = 'unvotes-votes'"), 2);
}

static void test_votes_need_rollcalls(void **state)
{
    fx *f = *state;
    ol_import_summary sum;
    ol_error err;
    ol_status st = imp_text(f, "unvotes-votes", "v.csv", "rcid,country,country_code,vote\n3,Canada,CA,yes\n", 0,
                            &sum, &err);
    assert_int_equal(st, OL_EVALIDATE);
    assert_non_null(strstr(err.message, "unvotes-rollcalls"));
}

/* Roll calls interleaved country by country (as some sessions of the staged
 * file are), re-imported under the same and another vintage. */
static void test_votes_many_rows_and_idempotent(void **state)
{
    fx *f = *state;
    load_rollcalls(f);
    static const char *const cc[] = {"US", "CA", "CU", "MX", "FR", "GB", "CN", "IN", "BR", "JP"};
    size_t cap = 1 << 20, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text + len, cap - len, "rcid,country,country_code,vote\n");
    int n = 0;
    static const int rcids[] = {3, 4, 50, 100, 200};
    for (size_t k = 0; k < sizeof cc / sizeof cc[0]; k++)
        for (size_t j = 0; j < sizeof rcids / sizeof rcids[0]; j++) {
            const char *v = (k + j) % 3 == 0 ? "yes" : (k + j) % 3 == 1 ? "no" : "abstain";
            len += (size_t)snprintf(text + len, cap - len, "%d,X,%s,%s\n", rcids[j], cc[k], v);
            n++;
        }
    ol_import_summary sum;
    imp_ok(f, "unvotes-votes", "un_votes.csv", text, &sum);
    assert_int_equal(sum.rows_kept, n);
    assert_int_equal(ol_test_count(f->s, "votes"), n);
    int64_t yes = q_int(f, "SELECT count(*) FROM votes WHERE vote = 1");
    /* Importing the same file again replaces, never duplicates. */
    imp_ok(f, "unvotes-votes", "un_votes.csv", text, &sum);
    assert_int_equal(ol_test_count(f->s, "votes"), n);
    assert_int_equal(q_int(f, "SELECT count(*) FROM votes WHERE vote = 1"), yes);
    assert_int_equal(q_int(f, "SELECT count(*) FROM sources WHERE kind = 'unvotes-votes'"), 1);
    /* Another vintage of the same file replaces it too (the table is keyed
     * without the source). */
    char *p = ol_test_write(f->dir, "un_votes.csv", text);
    ol_import_options opt;
    ol_import_options_init(&opt);
    opt.vintage = "2022-01-01";
    ol_error err;
    OL_ASSERT_OK(ol_import_file(f->s, "unvotes-votes", p, &opt, &sum, NULL, &err), &err);
    free(p);
    assert_int_equal(ol_test_count(f->s, "votes"), n);
    assert_int_equal(q_int(f, "SELECT count(*) FROM sources WHERE kind = 'unvotes-votes'"), 1);
    /* A different file overlapping it is refused, naming the other source. */
    ol_status st = imp_text(f, "unvotes-votes", "extra.csv", "rcid,country,country_code,vote\n3,X,US,yes\n", 0,
                            &sum, &err);
    assert_int_equal(st, OL_EVALIDATE);
    assert_non_null(strstr(err.message, "un_votes.csv"));
    /* Roll calls re-imported: same rows. */
    load_rollcalls(f);
    assert_int_equal(ol_test_count(f->s, "roll_calls"), 5);
    free(text);
}

/* More rows than one multi-row INSERT takes: a duplicate inside a batch is
 * found by the row-by-row retry and the rest of the batch is kept. */
static void test_votes_duplicate_in_batch(void **state)
{
    fx *f = *state;
    load_rollcalls(f);
    static const char *const cc[] = {"US", "CA", "CU", "MX", "FR", "GB", "CN", "IN", "BR", "JP", "DE", "IT", "ES",
                                     "PT", "NL", "BE", "LU", "DK", "NO", "SE"};
    char text[8192];
    size_t len = (size_t)snprintf(text, sizeof text, "rcid,country,country_code,vote\n");
    for (size_t k = 0; k < 20; k++)
        for (int j = 0; j < 4; j++)
            len += (size_t)snprintf(text + len, sizeof text - len, "%d,X,%s,yes\n", j == 0 ? 3 : j == 1 ? 4 : j == 2 ? 100 : 200,
                                    cc[k]);
    len += (size_t)snprintf(text + len, sizeof text - len, "100,X,FR,no\n");
    ol_import_summary sum;
    ol_error err;
    OL_ASSERT_OK(imp_text(f, "unvotes-votes", "v.csv", text, -1, &sum, &err), &err);
    assert_int_equal(sum.rows_kept, 80);
    assert_int_equal(sum.rows_rejected, 1);
    assert_int_equal(q_int(f, "SELECT line FROM import_rejects"), 82);
    assert_int_equal(q_int(f, "SELECT vote FROM votes WHERE rcid = 100 AND country = 'FRA'"), 1);
}

static void test_votes_malformed_and_encoding(void **state)
{
    fx *f = *state;
    load_rollcalls(f);
    ol_import_summary sum;
    ol_error err;
    ol_status st = imp_text(f, "unvotes-votes", "m.csv",
                            "rcid,country,country_code,vote\n3,Canada,CA,yes\n3,\"Cu\"ba,CU,no\n", 0, &sum, &err);
    assert_int_equal(st, OL_EPARSE);
    assert_int_equal(ol_status_exit_code(st), 3);
    assert_int_equal(err.line, 3);
    assert_true(err.column > 0);
    st = imp_text(f, "unvotes-votes", "e.csv", "rcid,country,country_code,vote\n3,C\xf4te d'Ivoire,CI,yes\n", 0, &sum,
                  &err);
    assert_int_equal(st, OL_EPARSE);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 2);
    assert_non_null(strstr(err.message, "UTF-8"));
    st = imp_text(f, "unvotes-votes", "c.csv", "rcid,country,vote\n3,Canada,yes\n", 0, &sum, &err);
    assert_int_equal(st, OL_EPARSE);
    assert_string_equal(err.field, "country_code");
    assert_int_equal(ol_test_count(f->s, "votes"), 0);
}

static void test_votes_cli_exit_code(void **state)
{
    fx *f = *state;
    char *rc = ol_test_write(f->dir, "rc.csv", ROLLCALLS);
    char *v = ol_test_write(f->dir, "v.csv", "rcid,country,country_code,vote\n3,Canada,CA,yes\n3,Cuba,CU,perhaps\n");
    char *db = ol_test_path(f->dir, "cli.db");
    char cmd[4096], *out = NULL;
    snprintf(cmd, sizeof cmd, "%s --db %s import -q unvotes-rollcalls %s", OL_TEST_CLI, db, rc);
    assert_int_equal(ol_test_run(cmd, NULL), 0);
    snprintf(cmd, sizeof cmd, "%s --db %s import unvotes-votes %s", OL_TEST_CLI, db, v);
    assert_int_equal(ol_test_run(cmd, &out), 3);
    assert_non_null(strstr(out, "v.csv:3:4: field 'vote'"));
    assert_non_null(strstr(out, "store is unchanged"));
    free(out);
    snprintf(cmd, sizeof cmd, "sqlite3 %s 'SELECT count(*) FROM votes'", db);
    assert_int_equal(ol_test_run(cmd, &out), 0);
    assert_int_equal(atoi(out), 0);
    free(out);
    free(rc);
    free(v);
    free(db);
}

/* ------------------------------------------------------------ ideal points */

static const char IP_SESSION[] =
    "\"\",\"ccode\",\"session\",\"NVotesAll\",\"IdealPointAll\",\"QO%All\",\"Q5%All\",\"Q10%All\",\"Q50%All\","
    "\"Q90%All\",\"Q95%All\",\"Q100%All\",\"iso3c\",\"Countryname\",\"USAgree\",\"RUSSAgree\",\"BrazilAgree\","
    "\"ChinaAgree\",\"IndiaAgree\",\"IsraelAgree\"\n"
    "\"1\",2,1,42,1.67635,1.09977,1.339545,1.404822,1.668589,1.95806,2.039101,2.490737,\"USA\",\"United States\","
    "1,0.2142857,0.6428571,NA,0.4761905,NA\n"
    "\"2\",710,26,50,-1.5,-2,-1.9,-1.8,-1.5,-1.2,-1.1,-1,\"CHN\",\"China\",0.3,0.8,0.5,1,0.6,NA\n"
    "\"3\",345,61,80,-0.2,-1,-0.5,-0.4,-0.2,0,0.1,0.5,\"YUG\",\"Yugoslavia\",0.5,0.7,NA,NA,NA,NA\n"
    "\"4\",345,40,80,-0.6,-1,-0.9,-0.8,-0.6,-0.4,-0.3,0,\"YUG\",\"Yugoslavia\",0.2,0.7,NA,NA,NA,NA\n"
    "\"5\",260,30,60,1.1,0.5,0.8,0.9,1.1,1.3,1.4,1.8,\"DEU\",\"German Federal Republic\",0.8,0.3,NA,NA,NA,NA\n";

static void test_idealpoints_session(void **state)
{
    fx *f = *state;
    ol_import_summary sum;
    imp_ok(f, "idealpoints", "IdealpointestimatesAll_Jun2024.csv", IP_SESSION, &sum);
    assert_int_equal(sum.rows_read, 5);
    assert_int_equal(sum.rows_kept, 5);
    assert_int_equal(q_int(f, "SELECT count(*) FROM ideal_points WHERE estimate = 'bsv-all' AND period_kind = 'session'"), 5);
    assert_int_equal(q_int(f, "SELECT year FROM ideal_points WHERE country = 'USA' AND period = 1"), 1946);
    assert_float_equal(q_dbl(f, "SELECT value FROM ideal_points WHERE country = 'USA'"), 1.67635, 1e-9);
    assert_float_equal(q_dbl(f, "SELECT q05 FROM ideal_points WHERE country = 'USA'"), 1.339545, 1e-9);
    assert_float_equal(q_dbl(f, "SELECT q50 FROM ideal_points WHERE country = 'USA'"), 1.668589, 1e-9);
    assert_float_equal(q_dbl(f, "SELECT q95 FROM ideal_points WHERE country = 'USA'"), 2.039101, 1e-9);
    assert_int_equal(q_int(f, "SELECT nvotes FROM ideal_points WHERE country = 'USA'"), 42);
    assert_int_equal(q_int(f, "SELECT year FROM ideal_points WHERE country = 'CHN'"), 1971);
    /* COW 345 is Yugoslavia in 1985 and Serbia in 2006; the producers'
     * iso3c YUG names its predecessor and is accepted. */
    assert_int_equal(q_int(f, "SELECT count(*) FROM ideal_points WHERE country = 'YUG' AND period = 40"), 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM ideal_points WHERE country = 'SRB' AND period = 61"), 1);
    /* COW 260 (FRG) is DEU. */
    assert_int_equal(q_int(f, "SELECT count(*) FROM ideal_points WHERE country = 'DEU' AND period = 30"), 1);
    /* Agreement shares become indicator series; NA is left out. */
    assert_int_equal(q_int(f, "SELECT count(*) FROM indicator_values WHERE series = 'unga.agree.usa'"), 5);
    assert_int_equal(q_int(f, "SELECT count(*) FROM indicator_values WHERE series = 'unga.agree.chn'"), 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM indicator_values WHERE series = 'unga.agree.isr'"), 0);
    assert_float_equal(q_dbl(f, "SELECT value FROM indicator_values WHERE series = 'unga.agree.rus' AND country = 'USA' "
                                "AND year = 1946"), 0.2142857, 1e-9);
    char b[128];
    assert_string_equal(q_text(f, "SELECT unit FROM series WHERE code = 'unga.agree.usa'", b, sizeof b),
                        "share of votes agreeing");
    /* Idempotent. */
    imp_ok(f, "idealpoints", "IdealpointestimatesAll_Jun2024.csv", IP_SESSION, &sum);
    assert_int_equal(ol_test_count(f->s, "ideal_points"), 5);
    assert_int_equal(ol_test_count(f->s, "indicator_values"), 5 + 5 + 2 + 1 + 2);
}

static const char IP_YEAR_HEAD[] =
    "ccode,iso3c,countryname,year,idealpointfp,idealpointall,idealpointlegacy,nvotesfp,qofp,q5fp,q10fp,q50fp,"
    "q90fp,q95fp,q100fp,nvotesall,qoall,q5all,q10all,q50all,q90all,q95all,q100all,nvotesLegacy\n";

static void test_idealpoints_year(void **state)
{
    fx *f = *state;
    char text[2048];
    snprintf(text, sizeof text, "%s%s%s%s%s", IP_YEAR_HEAD,
             "2,USA,United States,1946,1.663375,1.887774,1.67635,25,0.33,0.97,1.12,1.64,2.24,2.39,3.25,39,0.92,1.30,"
             "1.40,1.88,2.41,2.55,3.15,42\n",
             "2,USA,United States,2024,2.5,,,90,1,2,2.1,2.5,2.9,3,3.5,,,,,,,,,\n",
             "740,,,1956,,,0.6111358,,,,,,,,,,,,,,,,,16\n",
             "740,JPN,Japan,1957,,,,,,,,,,,,,,,,,,,,\n");
    ol_import_summary sum;
    imp_ok(f, "idealpoints", "IdealpointsJuly2025.csv", text, &sum);
    assert_int_equal(sum.rows_read, 4);
    assert_int_equal(sum.rows_kept, 3);
    assert_int_equal(sum.rows_skipped, 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM ideal_points WHERE period_kind = 'year'"), 3 + 1 + 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM ideal_points WHERE country = 'USA' AND period = 2024"), 1);
    char b[64];
    assert_string_equal(q_text(f, "SELECT estimate FROM ideal_points WHERE country = 'USA' AND period = 2024", b, sizeof b),
                        "bsv-fp");
    assert_float_equal(q_dbl(f, "SELECT q95 FROM ideal_points WHERE estimate = 'bsv-all' AND country = 'USA'"), 2.55, 1e-9);
    assert_int_equal(q_int(f, "SELECT nvotes FROM ideal_points WHERE estimate = 'bsv-legacy' AND country = 'USA'"), 42);
    assert_int_equal(q_int(f, "SELECT count(*) FROM ideal_points WHERE estimate = 'bsv-legacy' AND country = 'JPN' "
                              "AND period = 1956 AND q05 IS NULL AND nvotes = 16"), 1);
}

static void test_idealpoints_rejects(void **state)
{
    fx *f = *state;
    ol_import_summary sum;
    ol_error err;
    char text[2048];
    struct { const char *row; long col; const char *field; const char *msg; } cases[] = {
        /* iso3c names another country (the South Yemen rows of the staged files) */
        {"680,YAR,Yemen People's Republic,1970,0.1,,,,,,,,,,,,,,,,,,,\n", 2, "iso3c", "YMD"},
        {"2,USA,United States,1950,abc,,,,,,,,,,,,,,,,,,,\n", 5, "idealpointfp", "abc"},
        {"2,USA,United States,1950,1.0,,,,,,,,,,,,,,,,,,,\n2,USA,United States,1950,1.0,,,,,,,,,,,,,,,,,,,\n", 1,
         "ccode", "duplicate"},
        {"99999,USA,United States,1950,1.0,,,,,,,,,,,,,,,,,,,\n", 1, "ccode", "99999"},
        {"2,USA,United States,19x0,1.0,,,,,,,,,,,,,,,,,,,\n", 4, "year", "19x0"},
        {"2,USA,United States,1950,1.0,,,1.5,,,,,,,,,,,,,,,,\n", 8, "nvotesfp", "1.5"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(text, sizeof text, "%s%s", IP_YEAR_HEAD, cases[i].row);
        ol_status st = imp_text(f, "idealpoints", "ip.csv", text, 0, &sum, &err);
        if (st != OL_EVALIDATE) fail_msg("case %zu: status %d", i, (int)st);
        assert_int_equal(err.column, cases[i].col);
        assert_string_equal(err.field, cases[i].field);
        if (!strstr(err.message, cases[i].msg)) fail_msg("case %zu: '%s' lacks '%s'", i, err.message, cases[i].msg);
        assert_int_equal(ol_test_count(f->s, "ideal_points"), 0);
    }
    /* Both columns are named in a disagreement. */
    snprintf(text, sizeof text, "%s%s", IP_YEAR_HEAD, "2,CAN,Canada,1950,1.0,,,,,,,,,,,,,,,,,,,\n");
    assert_int_equal(imp_text(f, "idealpoints", "ip.csv", text, 0, &sum, &err), OL_EVALIDATE);
    assert_non_null(strstr(err.message, "USA"));
    assert_non_null(strstr(err.message, "CAN"));
    /* A rejected row leaves none of its estimates behind. */
    snprintf(text, sizeof text, "%s%s%s", IP_YEAR_HEAD, "2,USA,United States,1950,,1.0,,,,,,,,,,,,,,,,,,\n",
             "2,USA,United States,1950,2.0,1.0,,,,,,,,,,,,,,,,,,\n");
    OL_ASSERT_OK(imp_text(f, "idealpoints", "ip.csv", text, -1, &sum, &err), &err);
    assert_int_equal(sum.rows_rejected, 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM ideal_points"), 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM ideal_points WHERE estimate = 'bsv-fp'"), 0);
}

static void test_idealpoints_unknown_layout(void **state)
{
    fx *f = *state;
    ol_import_summary sum;
    ol_error err;
    ol_status st = imp_text(f, "idealpoints", "x.csv", "ccode,year,value\n2,1950,1\n", 0, &sum, &err);
    assert_int_equal(st, OL_EPARSE);
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.message, "layout"));
    /* The session layout without a required column. */
    st = imp_text(f, "idealpoints", "y.csv", "ccode,session,IdealPointAll\n2,1,1\n", 0, &sum, &err);
    assert_int_equal(st, OL_EPARSE);
    assert_string_equal(err.field, "iso3c");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rollcalls_fields, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_rollcalls_bad_session, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_rollcalls_bad_date_and_flag, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_rollcalls_duplicate, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_rollcalls_missing_column, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_issues, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_votes_mapping, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_votes_year_dependent, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_votes_rejects, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_votes_allow_rejects_records_them, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_votes_need_rollcalls, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_votes_many_rows_and_idempotent, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_votes_duplicate_in_batch, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_votes_malformed_and_encoding, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_votes_cli_exit_code, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_idealpoints_session, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_idealpoints_year, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_idealpoints_rejects, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_idealpoints_unknown_layout, ol_test_setup, ol_test_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
