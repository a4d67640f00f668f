/* Data test: every number of data/model_facts.csv and data/model_institutions.csv
 * that docs/model-data.md says was derived from a staged file is recomputed
 * here from ../shared/data and must equal the table within the rounding the
 * table uses (half a unit of its last printed digit).
 *
 *   us_goods_balance         us_trade_census/country.csv: (EYR - IYR) x 1e6
 *   us_goods_trade           the same file: (EYR + IYR) x 1e6
 *   gdp, gdp_growth_projection  wb_gdp/gdp.csv (growth: CAGR 2013-2023)
 *   imf_vote_share(+_listed_total), IMF hegemon_vote_share and n_members
 *                            imf_quotas_votes/DV1_votes.csv (percent / 100)
 *   imf_quota_share_actual / _calculated  imf_quotas_votes/quotas.csv
 *   assessed_share, budget_usd and hegemon_cost_share of CEB entities
 *                            un_system_finance/ceb_government_donor_revenue_2024.csv
 *   us_assessed_contribution un_system_finance/ceb_donor_contributions_2013_2024.csv
 *   ceb_revenue_total / ceb_assessed_total  un_system_finance/ceb_revenue_by_entity.csv
 *   who_scale                who_assessments/WHA*.tsv
 *   usd_per_eur and the NATO budget in US$  sipri_milex (Germany, 2023)
 *
 * Every fact of those kinds is checked (none is skipped), so a row added to
 * the table without its computation here fails the test. */
#include "testutil.h"

#include "util/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct state {
    ol_test_table *facts, *inst;
    int checked;
} state;

static int setup(void **st)
{
    if (!ol_test_shared_data()) return 0;
    state *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->facts = ol_test_table_embedded("model_facts.csv");
    s->inst = ol_test_table_embedded("model_institutions.csv");
    *st = s;
    return 0;
}

static int teardown(void **st)
{
    state *s = *st;
    if (!s) return 0;
    ol_test_table_free(s->facts);
    ol_test_table_free(s->inst);
    free(s);
    return 0;
}

/* Half a unit in the last digit printed in text (an integer: 0.5). */
static double rounding(const char *text)
{
    const char *dot = strchr(text, '.');
    int dec = dot ? (int)strspn(dot + 1, "0123456789") : 0;
    return 0.5 * pow(10.0, -dec);
}

static void expect_close(const char *what, const char *text, double computed)
{
    double v = 0;
    if (!ol_parse_double(text, &v)) fail_msg("%s: '%s' is not a number", what, text);
    double tol = rounding(text) + 1e-12 * fabs(computed);
    if (fabs(v - computed) > tol) fail_msg("%s: table %s, recomputed %.17g", what, text, computed);
}

/* Amounts in the CEB files: "4 417 458 884", " -   " (zero), "" (zero). */
static double amount(const char *s)
{
    char b[64];
    size_t n = 0;
    for (; *s && n + 1 < sizeof b; s++)
        if (*s != ' ' && *s != ',') b[n++] = *s;
    b[n] = '\0';
    if (n == 0 || !strcmp(b, "-")) return 0;
    double v = 0;
    if (!ol_parse_double(b, &v)) fail_msg("bad amount '%s'", s);
    return v;
}

static ol_test_table *staged(const char *rel, char delim)
{
    char *p = ol_test_data_file(rel);
    ol_test_table *t = ol_test_table_file(p, delim);
    free(p);
    return t;
}

#define FACT(s, r, c) ol_test_table_get((s)->facts, (r), (c))

/* Institution code in the table -> CEB entity name. */
static const char *ceb_entity(const char *inst)
{
    static const char *const map[][2] = {{"UN", "UN"},         {"UNPKO", "UN-DPO"}, {"WHO", "WHO"},
                                         {"UNESCO", "UNESCO"}, {"UPU", "UPU"},      {"WTO", "WTO"},
                                         {"PARIS", "UNFCCC"},  {"UNIDO", "UNIDO"},  {"ICC", "ICC"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i][0], inst)) return map[i][1];
    fail_msg("institution %s has no CEB entity", inst);
    return NULL;
}

/* ------------------------------------------------------------ trade */
static void test_trade(void **st)
{
    if (!ol_test_shared_data()) skip();
    state *s = *st;
    ol_test_table *t = staged("us_trade_census/country.csv", 0);
    static const char *const map[][2] = {{"CHN", "5700"}, {"MEX", "2010"}, {"CAN", "1220"}, {"KOR", "5800"},
                                         {"JPN", "5880"}, {"DEU", "4280"}, {"EUU", "0003"}};
    int n = 0;
    for (size_t r = 0; r < s->facts->nrows; r++) {
        if (strcmp(FACT(s, r, "fact"), "us_goods_balance") != 0) continue;
        const char *code = NULL;
        for (size_t i = 0; i < 7; i++)
            if (!strcmp(map[i][0], FACT(s, r, "country"))) code = map[i][1];
        if (!code) fail_msg("no Census code for %s", FACT(s, r, "country"));
        int found = 0;
        for (size_t q = 0; q < t->nrows && !found; q++) {
            if (strcmp(ol_test_table_get(t, q, "CTY_CODE"), code) || strcmp(ol_test_table_get(t, q, "year"), FACT(s, r, "year")))
                continue;
            double bal = (amount(ol_test_table_get(t, q, "EYR")) - amount(ol_test_table_get(t, q, "IYR"))) * 1e6;
            char what[64];
            snprintf(what, sizeof what, "balance %s %s", FACT(s, r, "country"), FACT(s, r, "year"));
            expect_close(what, FACT(s, r, "value"), bal);
            found = 1;
        }
        if (!found) fail_msg("no Census row for %s %s", FACT(s, r, "country"), FACT(s, r, "year"));
        n++;
    }
    /* 6 partners x 34 years (1990-2023) and the EU from 1997. */
    assert_int_equal(n, 6 * 34 + 27);
    s->checked += n;

    /* Total goods trade with the US (the basis of the dependence d_i): the 13
     * country actors other than the US, 2013. */
    static const char *const more[][2] = {{"CHN", "5700"}, {"MEX", "2010"}, {"CAN", "1220"}, {"KOR", "5800"},
                                          {"JPN", "5880"}, {"DEU", "4280"}, {"GBR", "4120"}, {"FRA", "4279"},
                                          {"AUS", "6021"}, {"IND", "5330"}, {"BRA", "3510"}, {"RUS", "4621"},
                                          {"ZAF", "7910"}};
    int m = 0;
    for (size_t r = 0; r < s->facts->nrows; r++) {
        if (strcmp(FACT(s, r, "fact"), "us_goods_trade") != 0) continue;
        const char *code = NULL;
        for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
            if (!strcmp(more[i][0], FACT(s, r, "country"))) code = more[i][1];
        if (!code) fail_msg("no Census code for %s", FACT(s, r, "country"));
        int found = 0;
        for (size_t q = 0; q < t->nrows && !found; q++) {
            if (strcmp(ol_test_table_get(t, q, "CTY_CODE"), code) || strcmp(ol_test_table_get(t, q, "year"), FACT(s, r, "year")))
                continue;
            double tr = (amount(ol_test_table_get(t, q, "EYR")) + amount(ol_test_table_get(t, q, "IYR"))) * 1e6;
            char what[64];
            snprintf(what, sizeof what, "trade %s %s", FACT(s, r, "country"), FACT(s, r, "year"));
            expect_close(what, FACT(s, r, "value"), tr);
            found = 1;
        }
        if (!found) fail_msg("no Census row for %s %s", FACT(s, r, "country"), FACT(s, r, "year"));
        m++;
    }
    assert_int_equal(m, 13);
    s->checked += m;
    ol_test_table_free(t);
}

/* ------------------------------------------------------------ GDP */
static double gdp_of(const ol_test_table *t, const char *code, int year)
{
    char y[8];
    snprintf(y, sizeof y, "%d", year);
    for (size_t q = 0; q < t->nrows; q++)
        if (!strcmp(ol_test_table_get(t, q, "Country Code"), code) && !strcmp(ol_test_table_get(t, q, "Year"), y))
            return amount(ol_test_table_get(t, q, "Value"));
    fail_msg("no GDP for %s %d", code, year);
    return 0;
}

static void test_gdp(void **st)
{
    if (!ol_test_shared_data()) skip();
    state *s = *st;
    ol_test_table *t = staged("wb_gdp/gdp.csv", 0);
    int n = 0;
    for (size_t r = 0; r < s->facts->nrows; r++) {
        const char *fact = FACT(s, r, "fact");
        const char *c = FACT(s, r, "country");
        char what[64];
        snprintf(what, sizeof what, "%s %s %s", fact, c, FACT(s, r, "year"));
        if (!strcmp(fact, "gdp")) {
            expect_close(what, FACT(s, r, "value"), gdp_of(t, c, atoi(FACT(s, r, "year"))));
            n++;
        } else if (!strcmp(fact, "gdp_growth_projection")) {
            double g = pow(gdp_of(t, c, 2023) / gdp_of(t, c, 2013), 0.1) - 1.0;
            expect_close(what, FACT(s, r, "value"), g);
            n++;
        }
    }
    assert_int_equal(n, 15 * 34 + 15); /* GDP 1990-2023 and the growth projection */
    s->checked += n;
    ol_test_table_free(t);
}

/* ------------------------------------------------------------ IMF */
static const char *imf_name(const char *code)
{
    static const char *const map[][2] = {
        {"USA", "United States"}, {"CHN", "China"},   {"JPN", "Japan"},        {"KOR", "Korea, Rep."},
        {"CAN", "Canada"},        {"MEX", "Mexico"},  {"GBR", "United Kingdom"}, {"DEU", "Germany"},
        {"FRA", "France"},        {"AUS", "Australia"}, {"IND", "India"},      {"BRA", "Brazil"},
        {"RUS", "Russian Federation"}, {"ZAF", "South Africa"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i][0], code)) return map[i][1];
    fail_msg("no IMF name for %s", code);
    return NULL;
}

static double lookup(const ol_test_table *t, const char *keycol, const char *key, const char *col)
{
    for (size_t q = 0; q < t->nrows; q++)
        if (!strcmp(ol_test_table_get(t, q, keycol), key)) return amount(ol_test_table_get(t, q, col));
    fail_msg("no row '%s'", key);
    return 0;
}

static size_t inst_row(const state *s, const char *code)
{
    for (size_t r = 0; r < s->inst->nrows; r++)
        if (!strcmp(ol_test_table_get(s->inst, r, "code"), code)) return r;
    fail_msg("no institution %s", code);
    return 0;
}

static void test_imf(void **st)
{
    if (!ol_test_shared_data()) skip();
    state *s = *st;
    ol_test_table *v = staged("imf_quotas_votes/DV1_votes.csv", 0);
    ol_test_table *q = staged("imf_quotas_votes/quotas.csv", 0);
    int n = 0;
    for (size_t r = 0; r < s->facts->nrows; r++) {
        const char *fact = FACT(s, r, "fact");
        char what[64];
        snprintf(what, sizeof what, "%s %s", fact, FACT(s, r, "country"));
        if (!strcmp(fact, "imf_vote_share")) {
            expect_close(what, FACT(s, r, "value"), lookup(v, "country", imf_name(FACT(s, r, "country")), "vote_percentage") / 100);
        } else if (!strcmp(fact, "imf_quota_share_actual")) {
            expect_close(what, FACT(s, r, "value"), lookup(q, "country", imf_name(FACT(s, r, "country")), "actual_review") / 100);
        } else if (!strcmp(fact, "imf_quota_share_calculated")) {
            expect_close(what, FACT(s, r, "value"), lookup(q, "country", imf_name(FACT(s, r, "country")), "cal_current") / 100);
        } else if (!strcmp(fact, "imf_vote_share_listed_total")) {
            double sum = 0;
            for (size_t k = 0; k < v->nrows; k++) sum += amount(ol_test_table_get(v, k, "vote_percentage"));
            expect_close(what, FACT(s, r, "value"), sum / 100);
        } else {
            continue;
        }
        n++;
    }
    assert_int_equal(n, 14 * 3 + 1);
    size_t imf = inst_row(s, "IMF");
    expect_close("IMF hegemon_vote_share", ol_test_table_get(s->inst, imf, "hegemon_vote_share"),
                 lookup(v, "country", "United States", "vote_percentage") / 100);
    assert_int_equal(atoi(ol_test_table_get(s->inst, imf, "n_members")), (int)v->nrows);
    /* The challenger's gap the paper's reform calls are about. */
    assert_true(lookup(q, "country", "China", "cal_current") > 2 * lookup(v, "country", "China", "vote_percentage"));
    s->checked += n + 2;
    ol_test_table_free(v);
    ol_test_table_free(q);
}

/* ------------------------------------------------------------ CEB 2024 */
static void ceb2024(const ol_test_table *g, const char *entity, const char *donor, double *donor_sum, double *total)
{
    *donor_sum = *total = 0;
    for (size_t q = 0; q < g->nrows; q++) {
        if (strcmp(ol_test_table_get(g, q, "rev_type"), "Assessed Contributions") != 0) continue;
        if (strcmp(ol_test_table_get(g, q, "entity"), entity) != 0) continue;
        double a = amount(ol_test_table_get(g, q, "amount"));
        *total += a;
        if (!strcmp(ol_test_table_get(g, q, "government_donor"), donor)) *donor_sum += a;
    }
}

static void test_ceb_2024(void **st)
{
    if (!ol_test_shared_data()) skip();
    state *s = *st;
    ol_test_table *g = staged("un_system_finance/ceb_government_donor_revenue_2024.csv", 0);
    int n = 0;
    for (size_t r = 0; r < s->facts->nrows; r++) {
        if (strcmp(FACT(s, r, "fact"), "assessed_share") != 0) continue;
        const char *donor = !strcmp(FACT(s, r, "country"), "USA") ? "United States of America" : "China";
        double d, tot;
        ceb2024(g, ceb_entity(FACT(s, r, "institution")), donor, &d, &tot);
        char what[64];
        snprintf(what, sizeof what, "assessed_share %s %s", FACT(s, r, "institution"), FACT(s, r, "country"));
        expect_close(what, FACT(s, r, "value"), d / tot);
        n++;
    }
    assert_int_equal(n, 9 * 2);
    /* The institutions whose budget and cost share the docs derive from this file. */
    int m = 0;
    for (size_t r = 0; r < s->inst->nrows; r++) {
        if (strcmp(ol_test_table_get(s->inst, r, "budget_source"), "ceb_gdr_2024") != 0) continue;
        const char *code = ol_test_table_get(s->inst, r, "code");
        double d, tot;
        ceb2024(g, ceb_entity(code), "United States of America", &d, &tot);
        char what[64];
        snprintf(what, sizeof what, "%s budget_usd", code);
        expect_close(what, ol_test_table_get(s->inst, r, "budget_usd"), tot);
        snprintf(what, sizeof what, "%s hegemon_cost_share", code);
        expect_close(what, ol_test_table_get(s->inst, r, "hegemon_cost_share"), d / tot);
        m++;
    }
    assert_int_equal(m, 9);
    /* Rows that borrow the UN scale (ICJ, UNHRC) quote it rounded to 0.22. */
    double d, tot;
    ceb2024(g, "UN", "United States of America", &d, &tot);
    expect_close("UN scale for ICJ", ol_test_table_get(s->inst, inst_row(s, "ICJ"), "hegemon_cost_share"), d / tot);
    expect_close("UN scale for UNHRC", ol_test_table_get(s->inst, inst_row(s, "UNHRC"), "hegemon_cost_share"), d / tot);
    s->checked += n + 2 * m + 2;
    ol_test_table_free(g);
}

/* ------------------------------------------------------------ CEB 2013-2024 */
static void test_ceb_series(void **st)
{
    if (!ol_test_shared_data()) skip();
    state *s = *st;
    ol_test_table *d = staged("un_system_finance/ceb_donor_contributions_2013_2024.csv", 0);
    ol_test_table *e = staged("un_system_finance/ceb_revenue_by_entity.csv", 0);
    int n = 0;
    for (size_t r = 0; r < s->facts->nrows; r++) {
        const char *fact = FACT(s, r, "fact");
        const char *year = FACT(s, r, "year");
        char what[96];
        snprintf(what, sizeof what, "%s %s %s", fact, FACT(s, r, "institution"), year);
        if (!strcmp(fact, "us_assessed_contribution")) {
            const char *ent = ceb_entity(FACT(s, r, "institution"));
            double sum = 0;
            for (size_t q = 0; q < d->nrows; q++)
                if (!strcmp(ol_test_table_get(d, q, "year"), year) && !strcmp(ol_test_table_get(d, q, "entity"), ent) &&
                    !strcmp(ol_test_table_get(d, q, "category"), "Government") &&
                    !strcmp(ol_test_table_get(d, q, "type"), "Assessed") &&
                    !strcmp(ol_test_table_get(d, q, "donor"), "United States of America"))
                    sum += amount(ol_test_table_get(d, q, "amount_usd"));
            expect_close(what, FACT(s, r, "value"), sum);
        } else if (!strcmp(fact, "ceb_revenue_total") || !strcmp(fact, "ceb_assessed_total")) {
            const char *ent = ceb_entity(FACT(s, r, "institution"));
            int assessed_only = !strcmp(fact, "ceb_assessed_total");
            double sum = 0;
            for (size_t q = 0; q < e->nrows; q++) {
                if (strcmp(ol_test_table_get(e, q, "agency"), ent) || strcmp(ol_test_table_get(e, q, "calendar_year"), year)) continue;
                if (assessed_only && strcasecmp(ol_test_table_get(e, q, "rev_type"), "Assessed contributions") != 0) continue;
                sum += amount(ol_test_table_get(e, q, "amount"));
            }
            expect_close(what, FACT(s, r, "value"), sum);
        } else {
            continue;
        }
        n++;
    }
    assert_true(n >= 7 * 12 + 2 * 9 * 10);
    s->checked += n;
    ol_test_table_free(d);
    ol_test_table_free(e);
}

/* The paper's own figure (Table 3.2): US dues to the UN, 591,388,114 US$ in 2018. */
static void test_paper_figure(void **st)
{
    if (!ol_test_shared_data()) skip();
    state *s = *st;
    for (size_t r = 0; r < s->facts->nrows; r++)
        if (!strcmp(FACT(s, r, "fact"), "us_assessed_contribution") && !strcmp(FACT(s, r, "institution"), "UN") &&
            !strcmp(FACT(s, r, "year"), "2018")) {
            assert_string_equal(FACT(s, r, "value"), "591388114");
            return;
        }
    fail_msg("no US assessed contribution to the UN in 2018");
}

/* ------------------------------------------------------------ WHO scale */
static double who_rate(const char *file, const char *member)
{
    char *p = ol_test_data_file(file);
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    char line[512];
    double v = -1;
    /* Test-only reader: the TSVs have stray quotes that a strict CSV parser
     * rejects; each line is "name<TAB>percent". */
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = '\0';
        size_t n = strlen(member);
        if (strncmp(line, member, n) == 0 && (line[n] == '\0' || line[n] == ' ')) {
            if (!ol_parse_double(tab + 1, &v)) fail_msg("%s: bad rate for %s", file, member);
            break;
        }
    }
    fclose(f);
    free(p);
    if (v < 0) fail_msg("%s: no row for %s", file, member);
    return v / 100;
}

static void test_who(void **st)
{
    if (!ol_test_shared_data()) skip();
    state *s = *st;
    static const struct { int year; const char *file; } files[] = {
        {1963, "who_assessments/WHA15.tsv"}, {1973, "who_assessments/WHA25.tsv"}, {1982, "who_assessments/WHA34.tsv"},
        {1992, "who_assessments/WHA44.tsv"}, {2004, "who_assessments/WHA56.tsv"}, {2012, "who_assessments/WHA64.tsv"},
        {2022, "who_assessments/WHA75.tsv"}};
    int n = 0;
    for (size_t r = 0; r < s->facts->nrows; r++) {
        if (strcmp(FACT(s, r, "fact"), "who_scale") != 0) continue;
        const char *file = NULL;
        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
            if (files[i].year == atoi(FACT(s, r, "year"))) file = files[i].file;
        assert_non_null(file);
        const char *member = !strcmp(FACT(s, r, "country"), "USA") ? "United States of America" : "China";
        char what[64];
        snprintf(what, sizeof what, "who_scale %s %s", FACT(s, r, "country"), FACT(s, r, "year"));
        expect_close(what, FACT(s, r, "value"), who_rate(file, member));
        n++;
    }
    assert_int_equal(n, 8);
    s->checked += n;
}

/* ------------------------------------------------------------ SIPRI rate, NATO */
static double sipri(const char *file, const char *country, const char *year)
{
    ol_test_table *t = staged(file, 0);
    double v = lookup(t, "Country", country, year);
    ol_test_table_free(t);
    return v;
}

static double fact_value(const state *s, const char *fact, const char *inst, const char *year)
{
    for (size_t r = 0; r < s->facts->nrows; r++)
        if (!strcmp(FACT(s, r, "fact"), fact) && !strcmp(FACT(s, r, "institution"), inst) && !strcmp(FACT(s, r, "year"), year))
            return atof(FACT(s, r, "value"));
    fail_msg("no fact %s %s %s", fact, inst, year);
    return 0;
}

static void test_rate_and_nato(void **st)
{
    if (!ol_test_shared_data()) skip();
    state *s = *st;
    double usd_m = sipri("sipri_milex/sipri_milex_2023_current_usd.csv", "Germany", "2023");
    double eur = sipri("sipri_milex/sipri_milex_2023_local_currency_calendar_years.csv", "Germany", "2023");
    double rate = usd_m * 1e6 / eur;
    const char *text = NULL;
    for (size_t r = 0; r < s->facts->nrows; r++)
        if (!strcmp(FACT(s, r, "fact"), "usd_per_eur")) text = FACT(s, r, "value");
    assert_non_null(text);
    expect_close("usd_per_eur 2023", text, rate);
    double eur_total = fact_value(s, "nato_civil_budget", "NATO", "2023") + fact_value(s, "nato_military_budget", "NATO", "2023") +
                       fact_value(s, "nato_nsip_ceiling", "NATO", "2023");
    expect_close("NATO budget_usd", ol_test_table_get(s->inst, inst_row(s, "NATO"), "budget_usd"), eur_total * rate);
    s->checked += 2;
}

/* Every computed fact was seen by one of the checks above. */
static void test_all_computed_checked(void **st)
{
    if (!ol_test_shared_data()) skip();
    state *s = *st;
    int computed = 0;
    for (size_t r = 0; r < s->facts->nrows; r++)
        if (!strcmp(FACT(s, r, "basis"), "computed") || strstr(FACT(s, r, "source"), "wb_gdp")) computed++;
    /* who_scale and the IMF shares are "published" but re-read too. */
    assert_true(s->checked >= computed);
}

int main(void)
{
    if (!ol_test_shared_data()) {
        fprintf(stderr, "staged data not found: skipping\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trade),        cmocka_unit_test(test_gdp),         cmocka_unit_test(test_imf),
        cmocka_unit_test(test_ceb_2024),     cmocka_unit_test(test_ceb_series),  cmocka_unit_test(test_paper_figure),
        cmocka_unit_test(test_who),          cmocka_unit_test(test_rate_and_nato), cmocka_unit_test(test_all_computed_checked),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
