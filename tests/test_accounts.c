/* The accounts' magnitudes: the partner's goods surplus with the hegemon
 * (with its share of the hegemon's GDP and of its total deficit, partial
 * years flagged), contributions to organisations with their shares, and the
 * military burden against NATO's members of each year; on fixtures imported
 * through the importers, and the errors for missing data. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef ol_test_fixture fixture;
#define setup ol_test_setup
#define teardown ol_test_teardown

#define ASSERT_NEAR(a, b) do { double a_ = (a), b_ = (b); \
    if (fabs(a_ - b_) > 1e-9 * fmax(1.0, fabs(b_))) fail_msg("%s = %.17g, want %.17g", #a, a_, b_); } while (0)

static void import_trade(fixture *f)
{
    char text[4096], line[512];
    snprintf(text, sizeof text, "%s", OL_TEST_CENSUS_HEAD);
    /* China: imports 40, exports 10 a month (million US$); the world 200 and 140 */
    ol_test_census_line(line, sizeof line, 2017, "5700", "x", 40, 10, 12); strcat(text, line);
    ol_test_census_line(line, sizeof line, 2018, "5700", "x", 45, 10, 12); strcat(text, line);
    ol_test_census_line(line, sizeof line, 2018, "0015", "x", 200, 140, 12); strcat(text, line);
    ol_test_census_line(line, sizeof line, 2024, "5700", "x", 30, 10, 6); strcat(text, line);
    ol_test_census_line(line, sizeof line, 2024, "0015", "x", 250, 170, 6); strcat(text, line);
    ol_test_import_ok(f, "census-trade", "country.csv", text, NULL, NULL);
    /* US GDP: 20 trillion in 2017 and 2018 */
    ol_test_import_ok(f, "wb", "gdp.csv",
                      "Country Name,Country Code,Year,Value\nUnited States,USA,2017,2e13\nUnited States,USA,2018,2e13\n",
                      "t", NULL);
}

static void test_balance(void **state)
{
    fixture *f = *state;
    import_trade(f);
    ol_balance_options opt;
    ol_balance_options_init(&opt);
    opt.partner = "China";
    ol_balance_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_balance_compute(f->s, &opt, &r, &err), &err);
    assert_string_equal(r->partner.code, "CHN");
    assert_string_equal(r->reporter.code, "USA");
    assert_int_equal(r->n, 3);
    const ol_balance_year *b = &r->years[1];
    assert_int_equal(b->year, 2018);
    ASSERT_NEAR(b->imports, 540e6);
    ASSERT_NEAR(b->exports, 120e6);
    ASSERT_NEAR(b->surplus, 420e6);
    assert_true(b->has_gdp);
    ASSERT_NEAR(b->share_of_gdp, 420e6 / 2e13);
    assert_true(b->has_total);
    ASSERT_NEAR(b->share_of_total, 420.0 / (12 * 60));
    assert_false(r->years[0].has_total); /* 2017 has no world total */
    /* the partial year: flagged, no GDP share (no GDP that year) */
    assert_int_equal(r->years[2].year, 2024);
    assert_true(r->years[2].partial);
    assert_string_equal(r->years[2].flag, "partial:1-6");
    assert_false(r->years[2].has_gdp);
    assert_int_equal(r->npartial, 1);
    ol_balance_result_free(r);

    /* the year range, and the errors */
    opt.from_year = 2018;
    opt.until_year = 2018;
    OL_ASSERT_OK(ol_balance_compute(f->s, &opt, &r, &err), &err);
    assert_int_equal(r->n, 1);
    ol_balance_result_free(r);
    opt.from_year = opt.until_year = 0;
    opt.partner = "JPN";
    assert_int_equal(ol_balance_compute(f->s, &opt, &r, &err), OL_ENOTFOUND);
    assert_string_equal(err.field, "series");
    opt.partner = "USA";
    assert_int_equal(ol_balance_compute(f->s, &opt, &r, &err), OL_EINVAL);
    opt.partner = "Nowhere";
    assert_int_equal(ol_balance_compute(f->s, &opt, &r, &err), OL_ENOTFOUND);
    assert_null(r);
}

static void test_contributions(void **state)
{
    fixture *f = *state;
    ol_test_import_ok(f, "un-finance", "donors.csv",
                      "year,donor,status,category,is_other,entity,type,amount_usd\n"
                      "2018,United States of America,member,Government,0,UN,Assessed,591388114\n"
                      "2018,China,member,Government,0,UN,Assessed,200000000\n"
                      "2018,Japan,member,Government,0,UN,Assessed,208611886\n"
                      "2018,United States of America,member,Government,0,WHO,Assessed,110000000\n"
                      "2018,China,member,Government,0,WHO,Assessed,90000000\n"
                      "2019,United States of America,member,Government,0,WHO,Assessed,120000000\n",
                      "t", NULL);
    ol_test_import_ok(f, "who", "WHA64.tsv", "United States of America\t22.0\r\nChina\t3.1892", "t", NULL);
    ol_contrib_options opt;
    ol_contrib_options_init(&opt);
    opt.donor = "USA";
    ol_contrib_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_contrib_compute(f->s, &opt, &r, &err), &err);
    assert_string_equal(r->series, "ceb.donor.assessed");
    assert_int_equal(r->n, 3);
    assert_int_equal(r->rows[0].year, 2018);
    assert_string_equal(r->rows[0].entity, "UN");
    ASSERT_NEAR(r->rows[0].amount, 591388114.0);
    ASSERT_NEAR(r->rows[0].total, 1e9);
    ASSERT_NEAR(r->rows[0].share, 0.591388114);
    ASSERT_NEAR(r->rows[1].share, 110.0 / 200.0);
    ASSERT_NEAR(r->rows[2].share, 1.0);
    /* the WHO scale of the donor comes along */
    assert_int_equal(r->nscale, 2);
    assert_int_equal(r->scale_years[0], 2012);
    ASSERT_NEAR(r->scale_values[1], 22.0);
    ol_contrib_result_free(r);

    const char *only[] = {"who"};
    opt.entities = only;
    opt.nentities = 1;
    opt.until_year = 2018;
    OL_ASSERT_OK(ol_contrib_compute(f->s, &opt, &r, &err), &err);
    assert_int_equal(r->n, 1);
    assert_string_equal(r->rows[0].entity, "WHO");
    ol_contrib_result_free(r);

    opt.type = "gift";
    assert_int_equal(ol_contrib_compute(f->s, &opt, &r, &err), OL_EINVAL);
    opt.type = "voluntary_core";
    assert_int_equal(ol_contrib_compute(f->s, &opt, &r, &err), OL_ENOTFOUND);
    assert_string_equal(err.field, "series");
    opt.type = "assessed";
    opt.donor = "FRA";
    assert_int_equal(ol_contrib_compute(f->s, &opt, &r, &err), OL_ENOTFOUND);
    assert_null(r);
}

static void test_burden(void **state)
{
    fixture *f = *state;
    /* 1950: only the 12 founders (DEU joined in 1955); 1960: Germany too.
     * Spending in million current US$ and shares of GDP. */
    ol_test_import_ok(f, "sipri", "sipri_milex_current_usd.csv",
                      "Country,Notes,1950,1960\n"
                      "United States of America,,14000,45000\n"
                      "United Kingdom,,2000,4000\n"
                      "Germany,,,2000\n"
                      "Japan,,100,400\n",
                      "t", NULL);
    ol_test_import_ok(f, "sipri", "sipri_milex_share_of_gdp.csv",
                      "Country,Notes,1950,1960\n"
                      "United States of America,,0.05,0.09\n"
                      "United Kingdom,,0.05,0.04\n"
                      "Germany,,,0.04\n"
                      "Japan,,0.01,0.01\n",
                      "t", NULL);
    ol_burden_options opt;
    ol_burden_options_init(&opt);
    ol_burden_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_burden_compute(f->s, &opt, &r, &err), &err);
    assert_true(r->nato);
    assert_int_equal(r->n, 2);
    const ol_burden_year *a = &r->years[0], *b = &r->years[1];
    assert_int_equal(a->year, 1950);
    assert_int_equal(a->allies_members, 11);  /* the founders other than the US */
    assert_int_equal(a->allies_n, 1);         /* only the UK has data; Japan is no member */
    ASSERT_NEAR(a->allies_share, 0.05);
    ASSERT_NEAR(a->ratio, 1.0);
    ASSERT_NEAR(a->hegemon_part, 14000.0 / 16000.0);
    assert_int_equal(b->year, 1960);
    assert_int_equal(b->allies_members, 14);  /* + Greece, Turkey 1952, Germany 1955 */
    assert_int_equal(b->allies_n, 2);
    /* weighted by spending: (4000 + 2000) / (4000/0.04 + 2000/0.04) */
    ASSERT_NEAR(b->allies_share, 0.04);
    ASSERT_NEAR(b->ratio, 0.09 / 0.04);
    ol_burden_result_free(r);

    /* a list of allies instead of NATO */
    const char *allies[] = {"JPN"};
    opt.allies = allies;
    opt.nallies = 1;
    OL_ASSERT_OK(ol_burden_compute(f->s, &opt, &r, &err), &err);
    assert_false(r->nato);
    ASSERT_NEAR(r->years[0].allies_share, 0.01);
    ASSERT_NEAR(r->years[0].ratio, 5.0);
    ol_burden_result_free(r);

    opt.hegemon = "CHN";
    assert_int_equal(ol_burden_compute(f->s, &opt, &r, &err), OL_ENOTFOUND);
    assert_string_equal(err.field, "series");
    opt.hegemon = "USA";
    opt.from_year = 1990;
    assert_int_equal(ol_burden_compute(f->s, &opt, &r, &err), OL_ENOTFOUND);
    opt.from_year = 2000;
    opt.until_year = 1990;
    assert_int_equal(ol_burden_compute(f->s, &opt, &r, &err), OL_EINVAL);
    assert_null(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_balance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contributions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_burden, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
