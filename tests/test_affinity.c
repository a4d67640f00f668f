/* The affinity module: agreement of UN General Assembly votes with a
 * reference state, on a small fixture of nine roll calls imported with the
 * unvotes importers.  Checks the three scores against hand computations
 * (including an undefined kappa), the roll calls left out (unanimous, no
 * date, no vote of the reference, amendment votes), the options (period,
 * range, countries, min_votes, Lijphart) and every bad-input path. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef ol_test_fixture fx;

#define VINTAGE "2021-03-08"
#define EPS 1e-12

/*
 * rc  session date        US   GB   FR   CA
 * 1   1       1946-01-10  yes  yes  yes  no
 * 2   1       1946-02-10  no   no   abs  no
 * 3   1       1946-12-01  abs  abs  no   -
 * 4   2       1947-03-01  yes  yes  no   yes
 * 5   2       1947-10-01  no   no   yes  -     (an amendment vote)
 * 6   2       1947-11-01  yes  yes  yes  yes   (unanimous)
 * 7   3       (no date)   yes  yes  no   -
 * 8   3       1948-10-01  -    yes  no   -     (the US did not vote)
 * 9   3       1948-11-01  (no votes)
 */
static const char ROLLCALLS[] =
    "rcid,session,importantvote,date,unres,amend,para,short,descr\n"
    "1,1,0,1946-01-10,R/1/1,0,0,A,a\n"
    "2,1,0,1946-02-10,R/1/2,0,0,B,b\n"
    "3,1,0,1946-12-01,R/1/3,0,0,C,c\n"
    "4,2,0,1947-03-01,R/2/1,0,0,D,d\n"
    "5,2,0,1947-10-01,R/2/2,1,0,E,e\n"
    "6,2,0,1947-11-01,R/2/3,0,0,F,f\n"
    "7,3,0,,R/3/1,0,0,G,g\n"
    "8,3,0,1948-10-01,R/3/2,0,0,H,h\n"
    "9,3,0,1948-11-01,R/3/3,0,0,I,i\n";

static const char VOTES[] =
    "rcid,country,country_code,vote\n"
    "1,United States,US,yes\n1,United Kingdom,GB,yes\n1,France,FR,yes\n1,Canada,CA,no\n"
    "2,United States,US,no\n2,United Kingdom,GB,no\n2,France,FR,abstain\n2,Canada,CA,no\n"
    "3,United States,US,abstain\n3,United Kingdom,GB,abstain\n3,France,FR,no\n"
    "4,United States,US,yes\n4,United Kingdom,GB,yes\n4,France,FR,no\n4,Canada,CA,yes\n"
    "5,United States,US,no\n5,United Kingdom,GB,no\n5,France,FR,yes\n"
    "6,United States,US,yes\n6,United Kingdom,GB,yes\n6,France,FR,yes\n6,Canada,CA,yes\n"
    "7,United States,US,yes\n7,United Kingdom,GB,yes\n7,France,FR,no\n"
    "8,United Kingdom,GB,yes\n8,France,FR,no\n";

static void load(fx *f)
{
    ol_test_import_ok(f, "unvotes-rollcalls", "un_roll_calls.csv", ROLLCALLS, VINTAGE, NULL);
    ol_test_import_ok(f, "unvotes-votes", "un_votes.csv", VOTES, VINTAGE, NULL);
}

static ol_affinity_result *run(fx *f, const ol_affinity_options *opt)
{
    ol_affinity_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_affinity_compute(f->s, opt, &r, &err), &err);
    assert_non_null(r);
    return r;
}

static const ol_affinity_row *row(const ol_affinity_result *r, const char *country, int period)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->rows[i].country, country) == 0 && r->rows[i].period == period) return &r->rows[i];
    return NULL;
}

static void expect(const ol_affinity_result *r, const char *country, int period, int64_t n, double agree,
                   double s, int kappa_defined, double kappa)
{
    const ol_affinity_row *w = row(r, country, period);
    if (!w) fail_msg("no row for %s %d", country, period);
    assert_int_equal(w->n, n);
    assert_float_equal(w->agree, agree, EPS);
    assert_float_equal(w->s_score, s, EPS);
    assert_int_equal(w->kappa_defined, kappa_defined);
    if (kappa_defined) assert_float_equal(w->kappa, kappa, EPS);
    else assert_true(w->kappa == 0.0); /* never NaN */
}

/* ------------------------------------------------------------ defaults */

static void test_defaults_by_year(void **state)
{
    fx *f = *state;
    load(f);
    ol_affinity_options opt;
    ol_affinity_options_init(&opt);
    assert_string_equal(opt.with, "USA");
    assert_int_equal(opt.min_votes, 1);
    ol_affinity_result *r = run(f, &opt);
    assert_string_equal(r->with.code, "USA");
    /* GB always votes as the US: every score 1. */
    expect(r, "GBR", 1946, 3, 1.0, 1.0, 1, 1.0);
    expect(r, "GBR", 1947, 2, 1.0, 1.0, 1, 1.0);
    /* FR 1946: (yes,yes) (abs,no) (no,abs): identical 1/3; distances
     * 0 + 1/2 + 1/2, S = 1 - 2 * (1/3) = 1/3; the table's margins equal its
     * diagonal's chance, kappa = 0. */
    expect(r, "FRA", 1946, 3, 1.0 / 3, 1.0 / 3, 1, 0.0);
    /* FR 1947 (rc 6 unanimous, left out): (no,yes) (yes,no): 0, S -1, kappa -1. */
    expect(r, "FRA", 1947, 2, 0.0, -1.0, 1, -1.0);
    /* CA 1946: (no,yes) (no,no): 1/2, S 0, kappa 0. */
    expect(r, "CAN", 1946, 2, 0.5, 0.0, 1, 0.0);
    /* CA 1947: one joint roll call, both yes: p_e = 1, kappa undefined. */
    expect(r, "CAN", 1947, 1, 1.0, 1.0, 0, 0.0);
    /* No row of the reference itself, none for 1948 (the US never voted). */
    assert_null(row(r, "USA", 1946));
    assert_null(row(r, "GBR", 1948));
    assert_int_equal(r->n, 6);
    /* Sorted by country, then year. */
    assert_string_equal(r->rows[0].country, "CAN");
    assert_int_equal(r->rows[0].period, 1946);
    assert_string_equal(r->rows[5].country, "GBR");
    assert_int_equal(r->rows[5].period, 1947);
    /* The joint table is kept: FR 1947 voted no when the US voted yes. */
    assert_int_equal(row(r, "FRA", 1947)->table[2][0], 1);
    assert_int_equal(row(r, "FRA", 1947)->table[0][2], 1);
    /* Every roll call accounted for once. */
    assert_int_equal(r->rollcalls_no_period, 1);   /* rc 7 */
    assert_int_equal(r->rollcalls_no_votes, 1);    /* rc 9 */
    assert_int_equal(r->rollcalls_without_with, 1);/* rc 8 */
    assert_int_equal(r->rollcalls_unanimous, 1);   /* rc 6 */
    assert_int_equal(r->rollcalls_used, 5);
    assert_int_equal(r->rollcalls_out_of_range + r->rollcalls_not_final, 0);
    assert_int_equal(r->below_min_votes, 0);
    ol_affinity_result_free(r);
}

static void test_by_session(void **state)
{
    fx *f = *state;
    load(f);
    ol_affinity_options opt;
    ol_affinity_options_init(&opt);
    opt.by = OL_AFFINITY_BY_SESSION;
    ol_affinity_result *r = run(f, &opt);
    /* rc 7 has no date but a session: FR (no,yes) in session 3. */
    expect(r, "FRA", 3, 1, 0.0, -1.0, 1, 0.0);
    expect(r, "FRA", 1, 3, 1.0 / 3, 1.0 / 3, 1, 0.0);
    expect(r, "GBR", 3, 1, 1.0, 1.0, 0, 0.0);
    assert_int_equal(r->rollcalls_no_period, 0);
    assert_int_equal(r->rollcalls_used, 6);
    ol_affinity_result_free(r);
}

/* ------------------------------------------------------------ options */

static void test_keep_unanimous_and_final_passage(void **state)
{
    fx *f = *state;
    load(f);
    ol_affinity_options opt;
    ol_affinity_options_init(&opt);
    opt.keep_unanimous = 1;
    ol_affinity_result *r = run(f, &opt);
    /* FR 1947 with rc 6 (yes,yes): 1/3; S = 1 - (2+2+0)/3 = -1/3; rows yes 2
     * no 1, columns yes 2 no 1: chance 5, kappa = (3·1 - 5)/(9 - 5) = -1/2. */
    expect(r, "FRA", 1947, 3, 1.0 / 3, -1.0 / 3, 1, -0.5);
    /* Still undefined: both yes twice. */
    expect(r, "CAN", 1947, 2, 1.0, 1.0, 0, 0.0);
    assert_int_equal(r->rollcalls_unanimous, 0);
    assert_int_equal(r->rollcalls_used, 6);
    ol_affinity_result_free(r);

    ol_affinity_options_init(&opt);
    opt.final_passage = 1;
    r = run(f, &opt);
    /* rc 5 (an amendment) left out: FR 1947 is rc 4 alone, (no,yes). */
    expect(r, "FRA", 1947, 1, 0.0, -1.0, 1, 0.0);
    assert_int_equal(r->rollcalls_not_final, 1);
    assert_int_equal(r->rollcalls_used, 4);
    ol_affinity_result_free(r);
}

static void test_lijphart(void **state)
{
    fx *f = *state;
    load(f);
    ol_affinity_options opt;
    ol_affinity_options_init(&opt);
    opt.agree = OL_AGREE_LIJPHART;
    ol_affinity_result *r = run(f, &opt);
    /* FR 1946: (1 + 1/2 + 1/2) / 3 = 2/3 = (1 + S) / 2; S and kappa unchanged. */
    expect(r, "FRA", 1946, 3, 2.0 / 3, 1.0 / 3, 1, 0.0);
    expect(r, "FRA", 1947, 2, 0.0, -1.0, 1, -1.0);
    for (size_t i = 0; i < r->n; i++)
        assert_float_equal(r->rows[i].agree, (1.0 + r->rows[i].s_score) / 2, EPS);
    ol_affinity_result_free(r);
}

static void test_range_countries_min_votes(void **state)
{
    fx *f = *state;
    load(f);
    ol_affinity_options opt;
    ol_affinity_options_init(&opt);
    opt.from = 1947;
    opt.to = 1947;
    ol_affinity_result *r = run(f, &opt);
    assert_int_equal(r->n, 3);
    for (size_t i = 0; i < r->n; i++) assert_int_equal(r->rows[i].period, 1947);
    assert_int_equal(r->rollcalls_out_of_range, 5); /* rc 1-3, 8, 9 */
    assert_int_equal(r->rollcalls_no_period, 1);
    ol_affinity_result_free(r);

    /* Countries by any code or name; the reference among them has no row.
     * Unanimity is judged over every vote, not only the countries asked for. */
    static const char *const wanted[] = {"France", "US"};
    ol_affinity_options_init(&opt);
    opt.countries = wanted;
    opt.ncountries = 2;
    r = run(f, &opt);
    assert_int_equal(r->n, 2);
    expect(r, "FRA", 1946, 3, 1.0 / 3, 1.0 / 3, 1, 0.0);
    expect(r, "FRA", 1947, 2, 0.0, -1.0, 1, -1.0);
    assert_int_equal(r->rollcalls_unanimous, 1);
    ol_affinity_result_free(r);

    ol_affinity_options_init(&opt);
    opt.min_votes = 3;
    r = run(f, &opt);
    /* Only GB 1946 and FR 1946 have 3 joint roll calls; 4 rows left out. */
    assert_int_equal(r->n, 2);
    assert_int_equal(r->below_min_votes, 4);
    assert_non_null(row(r, "GBR", 1946));
    assert_non_null(row(r, "FRA", 1946));
    ol_affinity_result_free(r);
}

static void test_other_reference(void **state)
{
    fx *f = *state;
    load(f);
    ol_affinity_options opt;
    ol_affinity_options_init(&opt);
    opt.with = "United Kingdom";
    ol_affinity_result *r = run(f, &opt);
    assert_string_equal(r->with.code, "GBR");
    /* rc 8 now counts (GB voted): FR (no, yes) in 1948. */
    expect(r, "FRA", 1948, 1, 0.0, -1.0, 1, 0.0);
    expect(r, "USA", 1946, 3, 1.0, 1.0, 1, 1.0);
    assert_null(row(r, "GBR", 1946));
    assert_int_equal(r->rollcalls_without_with, 0);
    ol_affinity_result_free(r);
}

/* ------------------------------------------------------------ scores */

static void test_score_direct(void **state)
{
    (void)state;
    ol_affinity_row w;
    memset(&w, 0, sizeof w);
    ol_error err;
    /* A 3 × 3 table: rows (country) yes 5 abs 3 no 2, columns yes 4 abs 3 no 3. */
    int64_t t[3][3] = {{3, 1, 1}, {1, 1, 1}, {0, 1, 1}};
    memcpy(w.table, t, sizeof t);
    OL_ASSERT_OK(ol_affinity_score(&w, OL_AGREE_IDENTICAL, &err), &err);
    assert_int_equal(w.n, 10);
    assert_float_equal(w.agree, 0.5, EPS);
    /* Σ n_ij |i-j| = (1·1 + 1·2) + (1·1 + 1·1) + (0·2 + 1·1) = 6: S = 1 - 6/10. */
    assert_float_equal(w.s_score, 0.4, EPS);
    /* p_o = 0.5, p_e = (5·4 + 3·3 + 2·3)/100 = 0.35, kappa = 0.15/0.65. */
    assert_float_equal(w.kappa, 0.15 / 0.65, EPS);
    assert_int_equal(w.kappa_defined, 1);
    OL_ASSERT_OK(ol_affinity_score(&w, OL_AGREE_LIJPHART, &err), &err);
    assert_float_equal(w.agree, 1.0 - 6.0 / 20.0, EPS);

    /* All abstentions on both sides: kappa undefined, agreement 1. */
    memset(&w, 0, sizeof w);
    w.table[1][1] = 7;
    OL_ASSERT_OK(ol_affinity_score(&w, OL_AGREE_IDENTICAL, &err), &err);
    assert_int_equal(w.kappa_defined, 0);
    assert_false(isnan(w.kappa));
    /* Always opposite single votes: p_e = 0, kappa 0 (defined). */
    memset(&w, 0, sizeof w);
    w.table[0][2] = 4;
    OL_ASSERT_OK(ol_affinity_score(&w, OL_AGREE_IDENTICAL, &err), &err);
    assert_int_equal(w.kappa_defined, 1);
    assert_float_equal(w.kappa, 0.0, EPS);
    assert_float_equal(w.s_score, -1.0, EPS);

    /* Bad tables. */
    memset(&w, 0, sizeof w);
    assert_int_equal(ol_affinity_score(&w, OL_AGREE_IDENTICAL, &err), OL_EINVAL);
    assert_non_null(strstr(err.message, "no joint votes"));
    w.table[2][1] = -1;
    w.table[0][0] = 3;
    assert_int_equal(ol_affinity_score(&w, OL_AGREE_IDENTICAL, &err), OL_EINVAL);
    assert_non_null(strstr(err.message, "negative"));
    assert_int_equal(ol_affinity_score(&w, (ol_affinity_agree)9, &err), OL_EINVAL);
    assert_int_equal(ol_affinity_score(NULL, OL_AGREE_IDENTICAL, &err), OL_EINVAL);
}

static void test_names(void **state)
{
    (void)state;
    ol_error err;
    ol_affinity_period p;
    ol_affinity_agree a;
    OL_ASSERT_OK(ol_affinity_parse_period("session", &p, &err), &err);
    assert_int_equal(p, OL_AFFINITY_BY_SESSION);
    assert_string_equal(ol_affinity_period_name(p), "session");
    assert_int_equal(ol_affinity_parse_period("decade", &p, &err), OL_EINVAL);
    assert_non_null(strstr(err.message, "'decade'"));
    OL_ASSERT_OK(ol_affinity_parse_agree("lijphart", &a, &err), &err);
    assert_int_equal(a, OL_AGREE_LIJPHART);
    assert_string_equal(ol_affinity_agree_name(OL_AGREE_IDENTICAL), "identical");
    assert_int_equal(ol_affinity_parse_agree("kappa", &a, &err), OL_EINVAL);
    assert_null(ol_affinity_agree_name((ol_affinity_agree)7));
}

/* ------------------------------------------------------------ errors */

static ol_status try(fx *f, const ol_affinity_options *opt, ol_error *err)
{
    static ol_affinity_result stale;
    ol_affinity_result *r = &stale; /* must be reset to NULL */
    ol_error_clear(err);
    ol_status st = ol_affinity_compute(f->s, opt, &r, err);
    assert_null(r);
    return st;
}

static void test_empty_store(void **state)
{
    fx *f = *state;
    ol_affinity_options opt;
    ol_affinity_options_init(&opt);
    ol_error err;
    assert_int_equal(try(f, &opt, &err), OL_ENOTFOUND);
    assert_int_equal(ol_status_exit_code(err.code), 4);
    assert_string_equal(err.field, "votes");
    assert_non_null(strstr(err.message, "unvotes-rollcalls"));
    assert_non_null(strstr(err.message, "unvotes-votes"));
    /* With roll calls but no votes, only the votes are asked for. */
    ol_test_import_ok(f, "unvotes-rollcalls", "un_roll_calls.csv", ROLLCALLS, VINTAGE, NULL);
    assert_int_equal(try(f, &opt, &err), OL_ENOTFOUND);
    assert_null(strstr(err.message, "unvotes-rollcalls"));
    assert_non_null(strstr(err.message, "unvotes-votes"));
}

static void test_bad_countries(void **state)
{
    fx *f = *state;
    load(f);
    ol_affinity_options opt;
    ol_affinity_options_init(&opt);
    ol_error err;
    opt.with = "Atlantis";
    assert_int_equal(try(f, &opt, &err), OL_ENOTFOUND);
    assert_string_equal(err.field, "with");
    assert_non_null(strstr(err.message, "'Atlantis'"));
    /* Unknown, but names contain it: the candidates are listed. */
    opt.with = "Korea";
    assert_int_equal(try(f, &opt, &err), OL_ENOTFOUND);
    assert_non_null(strstr(err.message, "KOR ("));
    assert_non_null(strstr(err.message, "PRK ("));
    opt.with = "Congo";
    assert_int_equal(try(f, &opt, &err), OL_EAMBIGUOUS);
    assert_int_equal(ol_status_exit_code(err.code), 4);
    assert_non_null(strstr(err.message, "COD"));
    assert_non_null(strstr(err.message, "COG"));
    /* Known, but never voted. */
    opt.with = "Japan";
    assert_int_equal(try(f, &opt, &err), OL_ENOTFOUND);
    assert_non_null(strstr(err.message, "JPN"));
    assert_non_null(strstr(err.message, "no vote"));
    /* A bad --country. */
    static const char *const bad[] = {"FRA", "Narnia"};
    ol_affinity_options_init(&opt);
    opt.countries = bad;
    opt.ncountries = 2;
    assert_int_equal(try(f, &opt, &err), OL_ENOTFOUND);
    assert_string_equal(err.field, "country");
    assert_non_null(strstr(err.message, "'Narnia'"));
}

static void test_bad_options(void **state)
{
    fx *f = *state;
    load(f);
    ol_affinity_options opt;
    ol_error err;
    ol_affinity_options_init(&opt);
    opt.min_votes = 0;
    assert_int_equal(try(f, &opt, &err), OL_EINVAL);
    assert_string_equal(err.field, "min_votes");
    ol_affinity_options_init(&opt);
    opt.from = 1950;
    opt.to = 1940;
    assert_int_equal(try(f, &opt, &err), OL_EINVAL);
    assert_int_equal(ol_status_exit_code(err.code), 2);
    ol_affinity_options_init(&opt);
    opt.by = (ol_affinity_period)5;
    assert_int_equal(try(f, &opt, &err), OL_EINVAL);
    ol_affinity_options_init(&opt);
    opt.agree = (ol_affinity_agree)5;
    assert_int_equal(try(f, &opt, &err), OL_EINVAL);
    ol_affinity_options_init(&opt);
    opt.ncountries = 1;
    assert_int_equal(try(f, &opt, &err), OL_EINVAL);
    ol_affinity_result *r = NULL;
    assert_int_equal(ol_affinity_compute(f->s, NULL, &r, &err), OL_EINVAL);
    assert_int_equal(ol_affinity_compute(NULL, &opt, &r, &err), OL_EINVAL);
    ol_affinity_result_free(NULL);
}

/* A range with no roll calls is no error: no rows. */
static void test_empty_range(void **state)
{
    fx *f = *state;
    load(f);
    ol_affinity_options opt;
    ol_affinity_options_init(&opt);
    opt.from = 1990;
    ol_affinity_result *r = run(f, &opt);
    assert_int_equal(r->n, 0);
    assert_int_equal(r->rollcalls_used, 0);
    assert_int_equal(r->rollcalls_out_of_range, 8);
    ol_affinity_result_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_defaults_by_year, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_by_session, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_keep_unanimous_and_final_passage, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_lijphart, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_range_countries_min_votes, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_other_reference, ol_test_setup, ol_test_teardown),
        cmocka_unit_test(test_score_direct),
        cmocka_unit_test(test_names),
        cmocka_unit_test_setup_teardown(test_empty_store, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_bad_countries, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_bad_options, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_empty_range, ol_test_setup, ol_test_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
