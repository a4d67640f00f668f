/* The long-run, trade, military and finance importers on the real staged
 * files (label `data`): every file of maddison/, us_trade_census/,
 * sipri_milex/, un_system_finance/, who_assessments/ and imf_quotas_votes/
 * is imported; the counts, the documented rejects only, and known values
 * read from the files themselves (not from memory):
 *   - us_trade_census/country.csv, line "2018,5700,China": IYR 538514.158526,
 *     EYR 120281.213791 (US$ million): the US-China goods balance in 2018 is
 *     -418,232.944735 million;
 *   - the 2024 UN regular budget: ceb_government_donor_revenue_2024.csv,
 *     entity UN, "Assessed Contributions": the United States 762 434 310 of
 *     3,465,799,553 paid by all governments = 22.00 % (the 2022-2024 scale;
 *     the staged files hold no scale table, this is the nearest fact);
 *   - ceb_donor_contributions_2013_2024.csv: the US assessed contribution to
 *     UN in 2018, 591,388,114 (the paper's figure, Table 3.2);
 *   - sipri_milex_2023_current_usd.csv, United States of America, 2018:
 *     682491.4 (US$ million); share of GDP 0.0330400061907828;
 *   - mpd2023_full_data.csv, USA 1990: gdppc 36982, pop 250131.894; USA 2022:
 *     gdppc 58487.4658608951, pop 333288;
 *   - WHA15.tsv: United States of America 31.12; WHA75.tsv: China 15.2550;
 *   - imf votes.csv: "United States3,16.51".
 * Then the crossing years of the historical cases on every measure, the
 * leaders on CINC, the balance, the contributions and the burden.  Skipped
 * (77) when the staged data are absent. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef ol_test_fixture fixture;

#define ASSERT_NEAR(a, b) do { double a_ = (a), b_ = (b); \
    if (fabs(a_ - b_) > 1e-9 * fmax(1.0, fabs(b_))) fail_msg("%s = %.17g, want %.17g", #a, a_, b_); } while (0)

static void import(fixture *f, const char *kind, const char *rel, const char *vintage, int64_t max_rejects,
                   ol_import_summary *sum)
{
    char *path = ol_test_data_file(rel);
    ol_import_options opt;
    ol_import_options_init(&opt);
    opt.vintage = vintage;
    opt.max_rejects = max_rejects;
    ol_error err;
    ol_error_clear(&err);
    ol_status st = ol_import_file(f->s, kind, path, &opt, sum, NULL, &err);
    free(path);
    OL_ASSERT_OK(st, &err);
}

static void assert_counts(const ol_import_summary *s, int64_t read, int64_t kept, int64_t skipped, int64_t rejected)
{
    if (s->rows_read != read || s->rows_kept != kept || s->rows_skipped != skipped || s->rows_rejected != rejected)
        fail_msg("counts %lld/%lld/%lld/%lld, want %lld/%lld/%lld/%lld", (long long)s->rows_read,
                 (long long)s->rows_kept, (long long)s->rows_skipped, (long long)s->rows_rejected, (long long)read,
                 (long long)kept, (long long)skipped, (long long)rejected);
}

static double pair(ol_store *s, const char *series, const char *country, const char *partner, int year)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT value FROM pair_values WHERE series = '%s' AND country = '%s' AND partner = '%s' "
             "AND year = %d ORDER BY source_id DESC LIMIT 1", series, country, partner, year);
    return ol_test_query_double(s, sql);
}

static void test_imports(void **state)
{
    fixture *f = *state;
    ol_import_summary sum;

    import(f, "maddison", "maddison/mpd2023_full_data.csv", "2023", 0, &sum);
    assert_counts(&sum, 262288, 39241, 223047, 0);
    ASSERT_NEAR(ol_test_value(f->s, "maddison.gdppc", "USA", 1990), 36982);
    ASSERT_NEAR(ol_test_value(f->s, "maddison.pop", "USA", 1990), 250131.894);
    ASSERT_NEAR(ol_test_value(f->s, "maddison.gdp", "USA", 2022), 58487.4658608951 * 333288 / 1000);
    /* PROVENANCE's check: GDP in 2022, bn 2011 int.$: CHN 26,966 */
    assert_true(fabs(ol_test_value(f->s, "maddison.gdp", "CHN", 2022) / 1000 - 26966) < 0.5);
    assert_true(ol_test_query_int(f->s, "SELECT count(*) FROM indicator_values WHERE country = 'SUN' "
                                        "AND series = 'maddison.gdp' AND year > 1991") > 0);

    import(f, "census-trade", "us_trade_census/country.csv", NULL, 0, &sum);
    assert_counts(&sum, 17450, 16354, 1096, 0);
    ASSERT_NEAR(pair(f->s, "census.imports", "USA", "CHN", 2018), 538514.158526);
    ASSERT_NEAR(pair(f->s, "census.exports", "USA", "CHN", 2018), 120281.213791);
    ASSERT_NEAR(pair(f->s, "census.balance", "USA", "CHN", 2018), 120281.213791 - 538514.158526);
    char buf[128];
    assert_string_equal(ol_test_query_text(f->s, "SELECT vintage FROM sources WHERE kind = 'census-trade'", buf,
                                           sizeof buf), "2024-06");
    /* 2024 is January to June: every value of it flagged */
    assert_int_equal(ol_test_query_int(f->s, "SELECT count(*) FROM pair_values WHERE year = 2024 AND "
                                             "(flag IS NULL OR flag NOT LIKE '%partial:1-6%')"), 0);

    import(f, "sipri", "sipri_milex/SIPRI-Milex-data-1949-2023.xlsx", "2024-04", 0, &sum);
    assert_counts(&sum, 51768, 34438, 17330, 0);
    ASSERT_NEAR(ol_test_value(f->s, "sipri.milex_current", "USA", 2018), 682491.4);
    ASSERT_NEAR(ol_test_value(f->s, "sipri.milex_gdp", "USA", 2018), 0.0330400061907828);
    /* SIPRI's blue figures: China's recent spending is a SIPRI estimate */
    assert_string_equal(ol_test_query_text(f->s, "SELECT flag FROM indicator_values WHERE series = "
                                                 "'sipri.milex_current' AND country = 'CHN' AND year = 2023",
                                           buf, sizeof buf), "fn:55,estimate");
    assert_true(ol_test_query_int(f->s, "SELECT count(*) FROM indicator_values WHERE flag LIKE '%uncertain%'") > 0);
    static const char *const sheets[] = {
        "sipri_milex/sipri_milex_2023_current_usd.csv", "sipri_milex/sipri_milex_2023_constant_2022_usd.csv",
        "sipri_milex/sipri_milex_2023_share_of_gdp.csv", "sipri_milex/sipri_milex_2023_per_capita.csv",
        "sipri_milex/sipri_milex_2023_share_of_govt_spending.csv",
    };
    static const int64_t kept[] = {8287, 8187, 8083, 5172, 4556};
    for (size_t i = 0; i < sizeof sheets / sizeof sheets[0]; i++) {
        import(f, "sipri", sheets[i], "csv", 0, &sum);
        assert_int_equal(sum.rows_kept, kept[i]);
        assert_int_equal(sum.rows_rejected, 0);
    }
    assert_int_equal(ol_test_query_int(f->s, "SELECT count(*) FROM indicator_values v JOIN sources s ON s.id = "
                                             "v.source_id WHERE s.vintage = 'csv' AND v.series = 'sipri.milex_current' "
                                             "AND v.country = 'USA' AND v.year = 2018 AND v.value = 682491.4"), 1);

    import(f, "un-finance", "un_system_finance/ceb_donor_contributions_2013_2024.csv", "2026-02", 0, &sum);
    assert_counts(&sum, 90479, 86807, 3672, 0);
    ASSERT_NEAR(pair(f->s, "ceb.donor.assessed", "USA", "UN", 2018), 591388114.0);
    import(f, "un-finance", "un_system_finance/ceb_government_donor_revenue_2024.csv", "2026-02", 0, &sum);
    assert_counts(&sum, 8976, 8972, 4, 0);
    ASSERT_NEAR(pair(f->s, "ceb.govdonor.assessed", "USA", "UN", 2024), 762434310.0);
    double total = ol_test_query_double(f->s, "SELECT sum(value) FROM pair_values WHERE series = "
                                              "'ceb.govdonor.assessed' AND partner = 'UN' AND year = 2024");
    ASSERT_NEAR(total, 3465799553.0);
    assert_true(fabs(762434310.0 / total - 0.2200) < 0.00005);
    import(f, "un-finance", "un_system_finance/ceb_revenue_by_entity.csv", "2026-02", 0, &sum);
    assert_counts(&sum, 35854, 35853, 1, 0);
    /* PROVENANCE's check: WHO revenue 2023, 3.34 bn */
    double who = ol_test_query_double(f->s, "SELECT sum(value) FROM pair_values WHERE series LIKE 'ceb.revenue.%' "
                                            "AND partner = 'WHO' AND year = 2023");
    assert_true(fabs(who / 1e9 - 3.34) < 0.005);

    static const char *const who_files[] = {"WHA15", "WHA25", "WHA34", "WHA44", "WHA56", "WHA64", "WHA75"};
    static const int64_t who_rows[] = {112, 135, 156, 169, 194, 195, 197};
    for (size_t i = 0; i < 7; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "who_assessments/%s.tsv", who_files[i]);
        import(f, "who", rel, "2023-06", 0, &sum);
        assert_int_equal(sum.rows_read, who_rows[i]);
        assert_int_equal(sum.rows_rejected, 0);
        /* only the two associate members of 1963 with no entity are skipped */
        assert_int_equal(sum.rows_skipped, i == 0 ? 2 : 0);
    }
    ASSERT_NEAR(ol_test_value(f->s, "who.scale", "USA", 1963), 31.12);
    ASSERT_NEAR(ol_test_value(f->s, "who.scale", "TWN", 1963), 4.17);
    ASSERT_NEAR(ol_test_value(f->s, "who.scale", "CHN", 2022), 15.255);

    import(f, "imf", "imf_quotas_votes/votes.csv", "2020-12", 0, &sum);
    assert_counts(&sum, 190, 190, 0, 0);
    ASSERT_NEAR(ol_test_value(f->s, "imf.votes", "USA", 2020), 16.51);
    /* the cleaned copy lost one name (its last row ",0.17"): one reject */
    import(f, "imf", "imf_quotas_votes/DV1_votes.csv", "2020-12", 1, &sum);
    assert_counts(&sum, 190, 189, 0, 1);
    import(f, "imf", "imf_quotas_votes/quotas.csv", "2018-08", 0, &sum);
    assert_counts(&sum, 1146, 1128, 18, 0);
    ASSERT_NEAR(ol_test_value(f->s, "imf.quota_calc_current", "CHN", 2018), 12.855);
}

/* First year at or above 2/3 and sustained crossing; 0 = never / none;
 * -1 = no data for the case on that measure. */
typedef struct expect { int first, sustained; } expect;

static void test_crossings(void **state)
{
    fixture *f = *state;
    ol_import_summary sum;
    import(f, "wb", "wb_gdp/gdp.csv", "2024-10-21", 0, &sum);
    import(f, "pwt", "pwt/pwt110.csv", "11.0", 3, &sum);
    import(f, "nmc", "cow_nmc/NMC-60-abridged.csv", NULL, 0, &sum);
    import(f, "maddison", "maddison/mpd2023_full_data.csv", NULL, 0, &sum);
    ol_crossings_options opt;
    ol_crossings_options_init(&opt);
    ol_crossings_table *t = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_crossings_compute(f->s, &opt, &t, &err), &err);
    /* rows: UK-US, UK-Germany, US-USSR, US-Japan, US-China; columns:
     * NY.GDP.MKTP.CD, maddison.gdp, pwt.cgdpo, nmc.cinc */
    static const expect want[5][4] = {
        {{-1, -1}, {1848, 1848}, {-1, -1}, {1862, 1886}},
        {{-1, -1}, {1820, 1883}, {-1, -1}, {1888, 1890}},
        {{-1, -1}, {0, 0}, {-1, -1}, {1955, 1958}},
        {{1994, 0}, {0, 0}, {0, 0}, {0, 0}},
        {{2018, 0}, {2007, 2007}, {2008, 2008}, {1972, 1972}},
    };
    assert_int_equal(t->ncases, 5);
    assert_int_equal(t->nseries, 4);
    for (size_t i = 0; i < 5; i++) {
        for (size_t j = 0; j < 4; j++) {
            const ol_crossings_cell *c = &t->cells[i * 4 + j];
            if (want[i][j].first < 0) {
                if (c->status != OL_ENOTFOUND) fail_msg("%s on %s: data, want none", t->labels[i], t->series[j]);
                continue;
            }
            if (c->status != OL_OK) fail_msg("%s on %s: no data", t->labels[i], t->series[j]);
            if (c->ratio->first_year != want[i][j].first || c->ratio->sustained_year != want[i][j].sustained)
                fail_msg("%s on %s: first %d, sustained %d; want %d, %d", t->labels[i], t->series[j],
                         c->ratio->first_year, c->ratio->sustained_year, want[i][j].first, want[i][j].sustained);
        }
    }
    /* the USSR is RUS in COW's data */
    assert_true(t->cells[2 * 4 + 3].via_successor);
    /* Japan peaked at 0.73 of the US in current dollars (1995), at 0.42 in Maddison's PPP (1991) */
    assert_int_equal(t->cells[3 * 4 + 0].ratio->peak_year, 1995);
    assert_int_equal(t->cells[3 * 4 + 1].ratio->peak_year, 1991);
    ol_crossings_table_free(t);

    /* the leaders on CINC: the UK to 1891, the USSR 1971-1988, China from 1995 */
    ol_leader_options lo;
    ol_leader_options_init(&lo);
    lo.series = "nmc.cinc";
    ol_leader_result *r = NULL;
    OL_ASSERT_OK(ol_leader_compute(f->s, &lo, &r, &err), &err);
    assert_string_equal(r->reigns[0].leader.code, "GBR");
    assert_int_equal(r->reigns[0].to, 1891);
    int ussr = 0, china = 0;
    for (size_t i = 0; i < r->nreigns; i++) {
        if (strcmp(r->reigns[i].leader.code, "RUS") == 0 && r->reigns[i].from == 1971 && r->reigns[i].to == 1988) ussr = 1;
        if (strcmp(r->reigns[i].leader.code, "CHN") == 0 && r->reigns[i].from == 1995) china = 1;
    }
    assert_true(ussr && china);
    ol_leader_result_free(r);
}

static void test_accounts(void **state)
{
    fixture *f = *state;
    ol_import_summary sum;
    import(f, "wb", "wb_gdp/gdp.csv", "2024-10-21", 0, &sum);
    import(f, "census-trade", "us_trade_census/country.csv", NULL, 0, &sum);
    import(f, "un-finance", "un_system_finance/ceb_donor_contributions_2013_2024.csv", "2026-02", 0, &sum);
    import(f, "sipri", "sipri_milex/SIPRI-Milex-data-1949-2023.xlsx", "2024-04", 0, &sum);
    ol_error err;
    ol_error_clear(&err);

    ol_balance_options bo;
    ol_balance_options_init(&bo);
    bo.partner = "CHN";
    ol_balance_result *b = NULL;
    OL_ASSERT_OK(ol_balance_compute(f->s, &bo, &b, &err), &err);
    const ol_balance_year *y18 = NULL;
    for (size_t i = 0; i < b->n; i++) if (b->years[i].year == 2018) y18 = &b->years[i];
    assert_non_null(y18);
    ASSERT_NEAR(y18->surplus, (538514.158526 - 120281.213791) * 1e6);
    ASSERT_NEAR(y18->share_of_gdp, (538514.158526 - 120281.213791) * 1e6 / 20656516000000.0);
    assert_true(b->years[b->n - 1].partial);
    ol_balance_result_free(b);

    ol_contrib_options co;
    ol_contrib_options_init(&co);
    co.donor = "USA";
    const char *un[] = {"UN"};
    co.entities = un;
    co.nentities = 1;
    ol_contrib_result *c = NULL;
    OL_ASSERT_OK(ol_contrib_compute(f->s, &co, &c, &err), &err);
    assert_int_equal(c->n, 12); /* 2013-2024 */
    assert_int_equal(c->rows[5].year, 2018);
    ASSERT_NEAR(c->rows[5].amount, 591388114.0);
    ol_contrib_result_free(c);

    ol_burden_options uo;
    ol_burden_options_init(&uo);
    uo.from_year = 2018;
    uo.until_year = 2018;
    ol_burden_result *u = NULL;
    OL_ASSERT_OK(ol_burden_compute(f->s, &uo, &u, &err), &err);
    assert_int_equal(u->n, 1);
    ASSERT_NEAR(u->years[0].hegemon_share, 0.0330400061907828);
    assert_int_equal(u->years[0].allies_members, 28);
    assert_true(u->years[0].allies_share > 0.01 && u->years[0].allies_share < 0.02);
    ol_burden_result_free(u);
}

int main(void)
{
    if (!ol_test_shared_data()) return 77;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_imports, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_crossings, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_accounts, ol_test_setup, ol_test_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
