/* The COW IGO importers (igo-year and state-year layouts) on small fixtures:
 * status codes, documented skips (empty, -1, a second column of the same
 * country), institutions, the labels file, the case-insensitive fallback,
 * agreement of the two layouts, idempotent re-imports and the bad-input
 * paths (file, line, column, field; store unchanged). */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef ol_test_fixture fx;

/* The vintage of every fixture import. */
#define VINTAGE "2020-01-01"

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
static const char *q_text(fx *f, const char *sql, char *buf, size_t n) { return ol_test_query_text(f->s, sql, buf, n); }

/* ------------------------------------------------------------ fixtures */

#define IGO_HEAD "ioname,orgname,year,usa,germany,wgermany,egermany,china,sdate,deaddate,dead,integrated,replaced," \
                 "longorgname,ionum,igocode,version\n"

/* UNESCO: the US leaves after 1984 (COW misses the 2003 return); the FRG
 * (wgermany) and unified Germany (germany) are both DEU.  ACPEU: -9 for
 * everyone, so germany and wgermany agree on DEU's "missing". */
static const char IGO_YEAR[] =
    IGO_HEAD
    "UNESCO,UN Educ Sci & Cult Org,1984,1,,1,1,1,1945,,0,0,0,\"United Nations Educational, Scientific, and "
    "Cultural Organization (UNESCO)\",4410,,3,\n"
    "UNESCO,UN Educ Sci & Cult Org,1985,0,,1,1,1,1945,,0,0,0,\"United Nations Educational, Scientific, and "
    "Cultural Organization (UNESCO)\",4410,,3,\n"
    "UNESCO,UN Educ Sci & Cult Org,1991,0,1,,,1,1945,,0,0,0,\"United Nations Educational, Scientific, and "
    "Cultural Organization (UNESCO)\",4410,,3,\n"
    "ACPEU,ACP/EU Joint Assembly,1985,-9,-9,-9,-9,3,1984,,0,0,0,ACP-EU Joint Assembly,10,,3,\n"
    "XOLD,Old Org,1985,2,,0,,-1,1950,1990,1,0,0,,99,,3,\n";

static const char STATE_YEAR[] =
    "ccode,year,state,unesco,acpeu,xold,ascrubber\n"
    "2,1984,usa,1,-1,-1,-1\n"
    "2,1985,usa,0,-9,2,-1\n"
    "260,1984,wgermany,1,-1,-1,-1\n"
    "260,1985,wgermany,1,-9,0,3\n"
    "710,1985,china,1,3,-1,-1\n";

static const char LABELS[] =
    "variable,label\nccode,\nyear,\nstate,\nunesco,UNESCO\nacpeu,ACPEU\nxold,XOLD\nascrubber,ASCRubber\n";

/* ------------------------------------------------------------ igo-year */

static void test_igo_year(void **state)
{
    fx *f = *state;
    ol_import_summary sum;
    imp_ok(f, "cow-igo", "igo_year_format3.csv", IGO_YEAR, &sum);
    /* One record per cell: 5 rows x 5 state columns. */
    assert_int_equal(sum.rows_read, 25);
    /* Skips: empty cells (6), -1 (1), and the second DEU column of ACPEU. */
    assert_int_equal(sum.rows_skipped, 8);
    assert_int_equal(sum.rows_kept, 17);
    assert_int_equal(sum.rows_rejected, 0);
    assert_int_equal(ol_test_count(f->s, "memberships"), 17);
    char b[256];
    assert_string_equal(q_text(f, "SELECT status FROM memberships WHERE institution = 'UNESCO' AND country = 'USA' "
                                  "AND year = 1984", b, sizeof b), "full");
    assert_string_equal(q_text(f, "SELECT status FROM memberships WHERE institution = 'UNESCO' AND country = 'USA' "
                                  "AND year = 1985", b, sizeof b), "none");
    assert_string_equal(q_text(f, "SELECT status FROM memberships WHERE institution = 'ACPEU' AND country = 'CHN'",
                               b, sizeof b), "observer");
    assert_string_equal(q_text(f, "SELECT status FROM memberships WHERE institution = 'XOLD' AND country = 'USA'",
                               b, sizeof b), "associate");
    assert_string_equal(q_text(f, "SELECT status FROM memberships WHERE institution = 'ACPEU' AND country = 'DEU'",
                               b, sizeof b), "missing");
    /* wgermany (COW 260) and germany (COW 255) both become DEU. */
    assert_int_equal(q_int(f, "SELECT count(*) FROM memberships WHERE institution = 'UNESCO' AND country = 'DEU'"), 3);
    assert_int_equal(q_int(f, "SELECT count(*) FROM memberships WHERE institution = 'UNESCO' AND country = 'DDR'"), 2);
    /* Institutions. */
    assert_int_equal(ol_test_count(f->s, "institutions"), 3);
    assert_string_equal(q_text(f, "SELECT name_en FROM institutions WHERE code = 'UNESCO'", b, sizeof b),
                        "United Nations Educational, Scientific, and Cultural Organization (UNESCO)");
    assert_int_equal(q_int(f, "SELECT founded FROM institutions WHERE code = 'UNESCO'"), 1945);
    assert_int_equal(q_int(f, "SELECT dissolved IS NULL FROM institutions WHERE code = 'UNESCO'"), 1);
    assert_int_equal(q_int(f, "SELECT cow_ionum FROM institutions WHERE code = 'UNESCO'"), 4410);
    assert_int_equal(q_int(f, "SELECT dissolved FROM institutions WHERE code = 'XOLD'"), 1990);
    /* No longorgname: orgname. */
    assert_string_equal(q_text(f, "SELECT name_en FROM institutions WHERE code = 'XOLD'", b, sizeof b), "Old Org");
    /* Importing again replaces the source; institutions are upserted. */
    imp_ok(f, "cow-igo", "igo_year_format3.csv", IGO_YEAR, &sum);
    assert_int_equal(ol_test_count(f->s, "memberships"), 17);
    assert_int_equal(ol_test_count(f->s, "institutions"), 3);
    assert_int_equal(q_int(f, "SELECT count(*) FROM sources WHERE kind = 'cow-igo'"), 1);
}

static void test_igo_year_rejects(void **state)
{
    fx *f = *state;
    ol_import_summary sum;
    ol_error err;
    int64_t sources = ol_test_count(f->s, "sources");
    struct { const char *row; long col; const char *field; const char *msg; } cases[] = {
        {"UNESCO,U,1984,7,,1,1,1,1945,,0,0,0,L,4410,,3,\n", 4, "usa", "'7'"},
        {"UNESCO,U,1984,one,,1,1,1,1945,,0,0,0,L,4410,,3,\n", 4, "usa", "'one'"},
        {"UNESCO,U,19x4,1,,1,1,1,1945,,0,0,0,L,4410,,3,\n", 3, "year", "19x4"},
        {"UNESCO,U,1984,1,,1,1,1,1945,never,0,0,0,L,4410,,3,\n", 10, "deaddate", "never"},
        {",U,1984,1,,1,1,1,1945,,0,0,0,L,4410,,3,\n", 1, "ioname", "empty"},
        /* germany and wgermany are both DEU but disagree */
        {"UNESCO,U,1984,1,1,0,1,1,1945,,0,0,0,L,4410,,3,\n", 6, "wgermany", "germany"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, IGO_HEAD "%s", cases[i].row);
        ol_status st = imp_text(f, "cow-igo", "igo.csv", text, 0, &sum, &err);
        if (st != OL_EVALIDATE) fail_msg("case %zu: status %d", i, (int)st);
        assert_int_equal(ol_status_exit_code(st), 3);
        assert_non_null(strstr(err.file, "igo.csv"));
        assert_int_equal(err.line, 2);
        assert_int_equal(err.column, cases[i].col);
        assert_string_equal(err.field, cases[i].field);
        if (!strstr(err.message, cases[i].msg)) fail_msg("case %zu: '%s' lacks '%s'", i, err.message, cases[i].msg);
        assert_int_equal(ol_test_count(f->s, "memberships"), 0);
        assert_int_equal(ol_test_count(f->s, "institutions"), 0);
        assert_int_equal(ol_test_count(f->s, "sources"), sources);
    }
    /* With rejects allowed, a bad row is one rejected record. */
    OL_ASSERT_OK(imp_text(f, "cow-igo", "igo.csv",
                          IGO_HEAD "UNESCO,U,19x4,1,,1,1,1,1945,,0,0,0,L,4410,,3,\n"
                                   "UNESCO,U,1985,1,,1,1,1,1945,,0,0,0,L,4410,,3,\n",
                          -1, &sum, &err), &err);
    assert_int_equal(sum.rows_read, 1 + 5);
    assert_int_equal(sum.rows_rejected, 1);
    assert_int_equal(sum.rows_kept, 4);
}

static void test_igo_year_unknown_column(void **state)
{
    fx *f = *state;
    ol_import_summary sum;
    ol_error err;
    ol_status st = imp_text(f, "cow-igo", "igo.csv",
                            "ioname,orgname,year,usa,atlantis,sdate,deaddate,longorgname,ionum\n"
                            "UNESCO,U,1984,1,1,1945,,L,4410\n", 0, &sum, &err);
    assert_int_equal(st, OL_EPARSE);
    assert_int_equal(ol_status_exit_code(st), 3);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 5);
    assert_string_equal(err.field, "atlantis");
    assert_non_null(strstr(err.message, "cow_igo_states.csv"));
    assert_int_equal(ol_test_count(f->s, "institutions"), 0);
    /* A missing required column. */
    st = imp_text(f, "cow-igo", "igo2.csv", "ioname,orgname,usa,sdate,deaddate,longorgname,ionum\nU,U,1,1,,L,1\n", 0,
                  &sum, &err);
    assert_int_equal(st, OL_EPARSE);
    assert_string_equal(err.field, "year");
}

/* ------------------------------------------------------------ state-year */

static void test_state_year_labels(void **state)
{
    fx *f = *state;
    char *lab = ol_test_write(f->dir, "state_year_format3_labels.csv", LABELS);
    free(lab);
    ol_import_summary sum;
    imp_ok(f, "cow-igo-state", "state_year_format3.csv", STATE_YEAR, &sum);
    assert_int_equal(sum.rows_read, 5 * 4);
    assert_int_equal(sum.rows_skipped, 9);
    assert_int_equal(sum.rows_kept, 11);
    /* Institutions named only by the labels are created with their code. */
    char b[256];
    assert_string_equal(q_text(f, "SELECT name_en FROM institutions WHERE code = 'ASCRubber'", b, sizeof b), "ASCRubber");
    assert_string_equal(q_text(f, "SELECT status FROM memberships WHERE institution = 'ASCRubber' AND country = 'DEU'",
                               b, sizeof b), "observer");
    assert_string_equal(q_text(f, "SELECT status FROM memberships WHERE institution = 'XOLD' AND country = 'USA'",
                               b, sizeof b), "associate");
    /* A later cow-igo import fills in names and keeps the memberships. */
    imp_ok(f, "cow-igo", "igo_year_format3.csv", IGO_YEAR, &sum);
    assert_string_equal(q_text(f, "SELECT name_en FROM institutions WHERE code = 'XOLD'", b, sizeof b), "Old Org");
    assert_int_equal(q_int(f, "SELECT count(*) FROM memberships m JOIN sources s ON s.id = m.source_id "
                              "WHERE s.kind = 'cow-igo-state'"), 11);
    /* Idempotent. */
    imp_ok(f, "cow-igo-state", "state_year_format3.csv", STATE_YEAR, &sum);
    assert_int_equal(q_int(f, "SELECT count(*) FROM memberships m JOIN sources s ON s.id = m.source_id "
                              "WHERE s.kind = 'cow-igo-state'"), 11);
}

/* The two layouts agree where they overlap (the US left UNESCO after 1984). */
static void test_layouts_agree(void **state)
{
    fx *f = *state;
    ol_import_summary sum;
    imp_ok(f, "cow-igo", "igo_year_format3.csv", IGO_YEAR, &sum);
    /* No labels file: the columns match the institutions case-insensitively,
     * except ascrubber, which is left out of this fixture. */
    imp_ok(f, "cow-igo-state", "state_year_nolabels.csv",
           "ccode,year,state,unesco,acpeu,xold\n2,1984,usa,1,-1,-1\n2,1985,usa,0,-9,2\n260,1984,wgermany,1,-1,-1\n"
           "260,1985,wgermany,1,-9,0\n710,1985,china,1,3,-1\n", &sum);
    assert_int_equal(q_int(f, "SELECT count(*) FROM memberships a JOIN memberships b USING (institution, country, year) "
                              "WHERE a.source_id < b.source_id AND a.status <> b.status"), 0);
    assert_int_equal(q_int(f, "SELECT count(*) FROM memberships a JOIN memberships b USING (institution, country, year) "
                              "WHERE a.source_id < b.source_id AND institution = 'UNESCO' AND country = 'USA'"), 2);
}

static void test_state_year_unmapped_column(void **state)
{
    fx *f = *state;
    ol_import_summary sum;
    ol_error err;
    /* Neither a labels file nor institutions in the store. */
    ol_status st = imp_text(f, "cow-igo-state", "sy.csv", "ccode,year,state,unesco\n2,1984,usa,1\n", 0, &sum, &err);
    assert_int_equal(st, OL_EPARSE);
    assert_int_equal(err.column, 4);
    assert_string_equal(err.field, "unesco");
    assert_non_null(strstr(err.message, "sy_labels.csv"));
    /* A labels file that does not list a column. */
    char *lab = ol_test_write(f->dir, "sy2_labels.csv", "variable,label\nunesco,UNESCO\n");
    free(lab);
    st = imp_text(f, "cow-igo-state", "sy2.csv", "ccode,year,state,unesco,wto\n2,1984,usa,1,1\n", 0, &sum, &err);
    assert_int_equal(st, OL_EPARSE);
    assert_string_equal(err.field, "wto");
    assert_int_equal(ol_test_count(f->s, "institutions"), 0);
    assert_int_equal(ol_test_count(f->s, "memberships"), 0);
}

static void test_state_year_rejects(void **state)
{
    fx *f = *state;
    char *lab = ol_test_write(f->dir, "sy_labels.csv", LABELS);
    free(lab);
    ol_import_summary sum;
    ol_error err;
    struct { const char *row; long col; const char *field; const char *msg; } cases[] = {
        {"99999,1984,nowhere,1,-1,-1,-1\n", 1, "ccode", "99999"},
        {"2,year,usa,1,-1,-1,-1\n", 2, "year", "year"},
        {"2,1985,usa,1,-2,-1,-1\n", 5, "acpeu", "'-2'"},
        {"2,1984,usa,1,-1,-1,-1\n", 4, "unesco", "duplicate"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "ccode,year,state,unesco,acpeu,xold,ascrubber\n2,1984,usa,1,-1,-1,-1\n%s",
                 cases[i].row);
        ol_status st = imp_text(f, "cow-igo-state", "sy.csv", text, 0, &sum, &err);
        if (st != OL_EVALIDATE) fail_msg("case %zu: status %d", i, (int)st);
        assert_int_equal(err.line, 3);
        assert_int_equal(err.column, cases[i].col);
        assert_string_equal(err.field, cases[i].field);
        if (!strstr(err.message, cases[i].msg)) fail_msg("case %zu: '%s' lacks '%s'", i, err.message, cases[i].msg);
        assert_int_equal(ol_test_count(f->s, "memberships"), 0);
        /* The institutions the labels created went with the rollback. */
        assert_int_equal(ol_test_count(f->s, "institutions"), 0);
    }
}

static void test_cli_unknown_column(void **state)
{
    fx *f = *state;
    char *p = ol_test_write(f->dir, "igo.csv", "ioname,orgname,year,usa,narnia,sdate,deaddate,longorgname,ionum\n"
                                               "UNESCO,U,1984,1,1,1945,,L,4410\n");
    char *db = ol_test_path(f->dir, "cli.db");
    char cmd[4096], *out = NULL;
    snprintf(cmd, sizeof cmd, "%s --db %s import cow-igo %s", OL_TEST_CLI, db, p);
    assert_int_equal(ol_test_run(cmd, &out), 3);
    assert_non_null(strstr(out, "igo.csv:1:5: field 'narnia'"));
    free(out);
    free(p);
    free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_igo_year, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_igo_year_rejects, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_igo_year_unknown_column, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_state_year_labels, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_layouts_agree, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_state_year_unmapped_column, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_state_year_rejects, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_cli_unknown_column, ol_test_setup, ol_test_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
