/* The bridge from scenario, store and facts to the model: the parameter
 * mapping, the world builder with and without a store, bad input, and runs
 * of the default scenario (end to end, deterministic, Monte Carlo). */
#include "testutil.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ol_scenario *load_text(const char *text, ol_store *store)
{
    ol_scenario *sc = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_scenario_load_text(text, strlen(text), "test.yaml", NULL, store, &sc, &err), &err);
    return sc;
}

static ol_scenario *default_scenario(void)
{
    ol_scenario *sc = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_scenario_default(NULL, &sc, &err), &err);
    return sc;
}

/* |a − b| <= tol, with the values in the message. */
#define assert_close(a, b, tol)                                                                     \
    do {                                                                                            \
        double a_ = (a), b_ = (b);                                                                  \
        if (!(fabs(a_ - b_) <= (tol))) fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);          \
    } while (0)

#define NPARAMS (sizeof(ol_model_params) / sizeof(double))

/* ------------------------------------------------------------ parameters */

/* The default scenario gives exactly the model's documented defaults. */
static void test_params_defaults(void **state)
{
    (void)state;
    ol_scenario *sc = default_scenario();
    ol_model_params a, b;
    ol_scenario_model_params(sc, &a);
    ol_model_params_default(&b);
    const double *x = (const double *)&a, *y = (const double *)&b;
    for (size_t i = 0; i < NPARAMS; i++)
        if (x[i] != y[i]) fail_msg("model parameter #%zu: scenario default %.17g, model default %.17g", i, x[i], y[i]);
    ol_error err;
    OL_ASSERT_OK(ol_model_params_check(&a, &err), &err);
    ol_scenario_free(sc);
}

/* Every model field comes from exactly one scenario key: changing each REAL
 * key changes exactly one field, and every field is reached. */
static void test_params_every_field(void **state)
{
    (void)state;
    static_assert(sizeof(ol_model_params) % sizeof(double) == 0, "ol_model_params holds doubles only");
    ol_scenario *sc = default_scenario();
    const ol_scenario_table *t = &ol_scenario_tables()[OL_TABLE_PARAMS];
    int reached[NPARAMS] = {0};
    size_t unmapped = 0;
    for (size_t f = 0; f < t->nfields; f++) {
        const ol_scenario_field *fd = &t->fields[f];
        if (fd->type != OL_FIELD_REAL) continue;
        double *v = (double *)((char *)&sc->params + fd->offset);
        double keep = *v;
        double mark = 12345.0 + (double)f;
        *v = mark;
        ol_model_params p;
        ol_scenario_model_params(sc, &p);
        *v = keep;
        const double *x = (const double *)&p;
        int hits = 0;
        for (size_t i = 0; i < NPARAMS; i++)
            if (x[i] == mark) {
                hits++;
                reached[i]++;
            }
        if (hits == 0) {
            /* the one scenario-level REAL */
            assert_string_equal(fd->key, "power.default_growth");
            unmapped++;
        } else if (hits != 1) {
            fail_msg("key %s sets %d model fields", fd->key, hits);
        }
    }
    assert_int_equal(unmapped, 1);
    for (size_t i = 0; i < NPARAMS; i++)
        if (reached[i] != 1) fail_msg("model parameter #%zu is set by %d keys", i, reached[i]);
    ol_scenario_free(sc);
}

static const char SMALL[] =
    "name: small\n"
    "years: {start: 2000, end: 2004}\n"
    "bargaining: {threat_cost: 0.5, escalation_loss: 0.07, vote_shift: 0.2}\n"
    "leader: {temperament: 1.5}\n"
    "powerindex: {vote_units: 1000}\n"
    "leaders:\n"
    "  - {from: 2000, name: a, temperament: 1.0, systemic_weight: 0.5}\n"
    "  - {from: 2002, name: b, temperament: 3.0, systemic_weight: 0.1}\n"
    "actors:\n"
    "  - {code: USA, role: hegemon}\n"
    "  - {code: CHN, role: challenger}\n"
    "  - {code: JPN, role: ally, growth: 0.01, alignment: 0.9}\n"
    "  - {code: ROW, role: other}\n"
    "institutions:\n"
    "  - {code: WTO, name: WTO, domain: trade, form: multilateral, level: global-multilateral,\n"
    "     founded: 1995, members: all, voting: {rule: consensus}}\n"
    "  - {code: IMF, name: IMF, domain: trade, form: multilateral, level: global-multilateral,\n"
    "     founded: 1945, members: all, voting: {rule: weighted}}\n";

/* A key written in the YAML reaches its model field. */
static void test_params_from_yaml(void **state)
{
    (void)state;
    ol_scenario *sc = load_text(SMALL, NULL);
    ol_model_params p;
    ol_scenario_model_params(sc, &p);
    assert_true(p.phi == 0.5);
    assert_true(p.epsilon == 0.07);
    assert_true(p.delta_nu == 0.2);
    assert_true(p.temperament == 1.5);
    assert_true(p.vote_units == 1000);
    ol_scenario_free(sc);
}

/* ------------------------------------------------------------ the world */

/* The fact value of (fact, country, year) from the embedded table. */
static double fact(const char *name, const char *country, int year)
{
    ol_test_table *t = ol_test_table_embedded("model_facts.csv");
    char y[8];
    snprintf(y, sizeof y, "%d", year);
    double v = NAN;
    for (size_t r = 0; r < t->nrows; r++)
        if (!strcmp(ol_test_table_get(t, r, "fact"), name) && !strcmp(ol_test_table_get(t, r, "country"), country) &&
            !strcmp(ol_test_table_get(t, r, "year"), y))
            v = atof(ol_test_table_get(t, r, "value"));
    ol_test_table_free(t);
    if (isnan(v)) fail_msg("no fact %s %s %d", name, country, year);
    return v;
}

static size_t actor(const ol_model_world *w, const char *code)
{
    for (size_t i = 0; i < w->nactors; i++)
        if (!strcmp(w->actors[i].code, code)) return i;
    fail_msg("no actor %s", code);
    return 0;
}

static const ol_model_institution *inst(const ol_model_world *w, const char *code)
{
    for (size_t k = 0; k < w->ninst; k++)
        if (!strcmp(w->inst[k].code, code)) return &w->inst[k];
    fail_msg("no institution %s", code);
    return NULL;
}

/* Without a store: the built-in facts. */
static void test_world_facts(void **state)
{
    (void)state;
    ol_scenario *sc = default_scenario();
    ol_simulate_world *sw = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_simulate_world_new(NULL, sc, &sw, &err), &err);
    const ol_model_world *w = ol_simulate_world_model(sw);
    const ol_simulate_world_info *info = ol_simulate_world_info_get(sw);
    assert_int_equal(info->power_source, OL_POWER_FACTS);
    assert_int_equal(info->alignment_source, OL_ALIGN_ROLE);
    assert_int_equal(info->power_data_end, 2023);
    assert_int_equal(w->t0, 1990);
    assert_int_equal(w->t1, 2030);
    size_t us = actor(w, "USA"), cn = actor(w, "CHN"), row = actor(w, "ROW");
    /* the facts themselves */
    assert_true(w->actors[us].power[0] == fact("gdp", "USA", 1990));
    assert_true(w->actors[cn].power[2018 - 1990] == fact("gdp", "CHN", 2018));
    assert_int_equal(w->actors[us].npower, 2023 - 1990 + 1);
    /* ROW = WLD − the listed actors, every data year */
    for (int y = 1990; y <= 2023; y += 11) {
        double sum = 0;
        for (size_t i = 0; i < w->nactors; i++)
            if (i != row) sum += w->actors[i].power[y - 1990];
        assert_close(w->actors[row].power[y - 1990], fact("gdp", "WLD", y) - sum, 1.0);
    }
    /* power ratio 2018 (docs/indicators.md: 0.673) */
    assert_close(w->actors[cn].power[28] / w->actors[us].power[28], 0.673, 0.001);
    /* growth: the last decade of data, as the projection facts say */
    assert_close(w->actors[cn].growth, fact("gdp_growth_projection", "CHN", 2024), 1e-6);
    /* dependence: trade/GDP 2013 over the largest such ratio (MEX) */
    size_t mx = actor(w, "MEX"), ca = actor(w, "CAN");
    assert_true(w->actors[mx].dependence == 1.0);
    double xc = fact("us_goods_trade", "CAN", 2013) / fact("gdp", "CAN", 2013);
    double xm = fact("us_goods_trade", "MEX", 2013) / fact("gdp", "MEX", 2013);
    assert_close(w->actors[ca].dependence, xc / xm, 1e-12);
    /* surplus with the hegemon: minus the US balance */
    assert_int_equal(w->actors[cn].nsurplus, 34);
    assert_true(w->actors[cn].surplus[28] == -fact("us_goods_balance", "CHN", 2018));
    assert_null(w->actors[us].surplus);
    /* alignment by role */
    assert_true(w->actors[cn].alignment == 0.2);
    assert_true(w->actors[actor(w, "JPN")].alignment == 0.8);
    /* ROW's states: the UN's 193 minus the 14 listed */
    assert_int_equal(w->actors[row].seats, 193 - 14);

    /* institutions: design from the scenario, magnitudes from the facts */
    const ol_model_institution *unsc = inst(w, "UNSC");
    assert_int_equal(unsc->rule, OL_RULE_VETO_COUNCIL);
    assert_int_equal(unsc->council, 15);
    assert_close(unsc->quota, 0.6, 1e-12);
    const ol_model_institution *imf = inst(w, "IMF");
    assert_int_equal(imf->rule, OL_RULE_WEIGHTED);
    assert_close(imf->quota, 0.85, 1e-12);
    double vsum = 0;
    for (size_t m = 0; m < imf->nmembers; m++) {
        vsum += imf->members[m].votes;
        if (imf->members[m].actor == us) assert_true(imf->members[m].votes == 0.1651);
    }
    assert_close(vsum, 1.0, 1e-9);
    const ol_model_institution *wb = inst(w, "WB");
    for (size_t m = 0; m < wb->nmembers; m++)
        if (wb->members[m].actor == us) assert_true(wb->members[m].votes == 0.1579);
    const ol_model_institution *un = inst(w, "UN");
    assert_true(un->budget == 3465799553.0);
    assert_int_equal(un->censure, 1);
    double csum = 0;
    for (size_t m = 0; m < un->nmembers; m++) {
        csum += un->members[m].cost_share;
        if (un->members[m].actor == us) assert_true(un->members[m].cost_share == 0.219988);
    }
    assert_close(csum, 1.0, 1e-9);
    const ol_model_institution *nafta = inst(w, "NAFTA");
    assert_int_equal(nafta->nmembers, 3);
    assert_true(nafta->budget == 0);
    assert_int_equal(nafta->jurisdiction, 1);
    assert_int_equal(w->nleaders, sc->nleaders);
    ol_simulate_world_free(sw);
    ol_scenario_free(sc);
}

static const char GDP_FIXTURE[] =
    "Country Name,Country Code,Year,Value\n"
    "United States,USA,2000,100\nUnited States,USA,2001,110\nUnited States,USA,2002,120\n"
    "China,CHN,2000,10\nChina,CHN,2001,20\nChina,CHN,2002,30\n"
    "Japan,JPN,2000,50\nJapan,JPN,2001,50\nJapan,JPN,2002,50\n"
    "World,WLD,2000,400\nWorld,WLD,2001,420\n";

/* With a store: its GDP for the years it covers for every actor and WLD. */
static void test_world_store(void **state)
{
    (void)state;
    ol_test_fixture *f = ol_test_fixture_new();
    ol_test_import_ok(f, "wb", "gdp.csv", GDP_FIXTURE, "2024-10", NULL);
    ol_scenario *sc = load_text(SMALL, f->s);
    ol_simulate_world *sw = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_simulate_world_new(f->s, sc, &sw, &err), &err);
    const ol_model_world *w = ol_simulate_world_model(sw);
    const ol_simulate_world_info *info = ol_simulate_world_info_get(sw);
    assert_int_equal(info->power_source, OL_POWER_STORE);
    /* WLD ends in 2001: so does the data for everyone */
    assert_int_equal(info->power_data_end, 2001);
    assert_int_equal(w->actors[0].npower, 2);
    assert_true(w->actors[0].power[1] == 110);
    assert_true(w->actors[3].power[0] == 400 - 100 - 10 - 50);
    assert_true(w->actors[3].power[1] == 420 - 110 - 20 - 50);
    /* growth: the scenario's (JPN), else the default (less than a decade of data) */
    assert_true(w->actors[2].growth == 0.01);
    assert_true(w->actors[1].growth == sc->params.power_default_growth);
    assert_true(w->actors[2].alignment == 0.9);
    /* IMF: the listed members' facts, ROW the rest */
    const ol_model_institution *imf = inst(w, "IMF");
    assert_true(imf->members[0].votes == 0.1651);
    assert_close(imf->members[3].votes, 1 - 0.1651 - 0.0608 - 0.0615, 1e-12);
    assert_int_equal(w->nleaders, 2);
    assert_true(w->leaders[1].temperament == 3.0 && w->leaders[1].from == 2002);
    ol_simulate_world_free(sw);

    /* a store that lacks an actor in the start year: the built-in facts */
    sc->params.year_start = 1999;
    OL_ASSERT_OK(ol_simulate_world_new(f->s, sc, &sw, &err), &err);
    assert_int_equal(ol_simulate_world_info_get(sw)->power_source, OL_POWER_FACTS);
    ol_simulate_world_free(sw);
    /* ... unless the series is not GDP */
    snprintf(sc->params.power_series, sizeof sc->params.power_series, "%s", "SP.POP.TOTL");
    assert_int_equal(ol_simulate_world_new(f->s, sc, &sw, &err), OL_ENOTFOUND);
    assert_string_equal(err.field, "power.series");
    assert_null(sw);
    ol_scenario_free(sc);
    ol_test_fixture_free(f);
}

/* ------------------------------------------------------------ magnitudes from the store */

/* The default world on a store with small imported fixtures: China's surplus
 * and trade from the Census file (its partial year left out), the UN's
 * budget and the US share from the CEB file, the IMF votes from a snapshot
 * that covers every listed member; Japan (no Census rows), WHO (no CEB
 * rows) and, with one member missing, the IMF votes fall back to the
 * built-in tables; the provenance says which. */
static void test_world_magnitudes(void **state)
{
    (void)state;
    ol_test_fixture *f = ol_test_fixture_new();
    /* China: 1990 and 1991 full years, 1992 January to June only; 2013 full */
    static char census[4096];
    char line[512];
    snprintf(census, sizeof census, "%s", OL_TEST_CENSUS_HEAD);
    const struct { int y; double m, e; int months; } rows[] = {
        {1990, 40, 10, 12}, {1991, 50, 10, 12}, {1992, 60, 10, 6}, {2013, 400, 100, 12}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ol_test_census_line(line, sizeof line, rows[i].y, "5700", "China", rows[i].m, rows[i].e, rows[i].months);
        strncat(census, line, sizeof census - strlen(census) - 1);
    }
    ol_test_import_ok(f, "census-trade", "country.csv", census, "2024-06", NULL);
    static const char CEB[] =
        "year,donor,status,category,is_other,entity,type,amount_usd\n"
        "2024,United States of America,member,Government,0,UN,Assessed,300\n"
        "2024,China,member,Government,0,UN,Assessed,200\n"
        "2024,Japan,member,Government,0,UN,Assessed,500\n";
    ol_test_import_ok(f, "un-finance", "donors.csv", CEB, "2026-02", NULL);

    ol_scenario *sc = default_scenario();
    ol_simulate_world *sw = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_simulate_world_new(f->s, sc, &sw, &err), &err);
    const ol_model_world *w = ol_simulate_world_model(sw);
    size_t cn = actor(w, "CHN"), jp = actor(w, "JPN"), mx = actor(w, "MEX");
    /* the store's surplus, million US$ x 1e6; 1992 is partial: not used */
    assert_int_equal(w->actors[cn].nsurplus, 2);
    assert_close(w->actors[cn].surplus[0], (40 - 10) * 12 * 1e6, 1e-3);
    assert_close(w->actors[cn].surplus[1], (50 - 10) * 12 * 1e6, 1e-3);
    const ol_simulate_magnitude *m = ol_test_magnitude(sw, "CHN", "surplus_iH");
    assert_int_equal(m->origin, OL_ORIGIN_STORE);
    assert_int_equal(m->year_from, 1990);
    assert_int_equal(m->year_to, 1991);
    assert_non_null(strstr(m->source, "census"));
    assert_non_null(strstr(m->source, "2024-06"));
    assert_non_null(strstr(m->note, "1992 is flagged partial:1-6"));
    /* Japan: no Census rows, the built-in balance */
    assert_int_equal(w->actors[jp].nsurplus, 2023 - 1990 + 1);
    assert_true(w->actors[jp].surplus[0] == -fact("us_goods_balance", "JPN", 1990));
    m = ol_test_magnitude(sw, "JPN", "surplus_iH");
    assert_int_equal(m->origin, OL_ORIGIN_BUILTIN);
    assert_non_null(strstr(m->source, "us_goods_balance"));
    /* dependence: China's 2013 trade from the store over its GDP fact */
    double xc = (400 + 100) * 12 * 1e6 / fact("gdp", "CHN", 2013);
    double xm = fact("us_goods_trade", "MEX", 2013) / fact("gdp", "MEX", 2013);
    assert_close(w->actors[cn].dependence, xc / xm, 1e-12);
    assert_true(w->actors[mx].dependence == 1.0);
    assert_int_equal(ol_test_magnitude(sw, "CHN", "d_i")->origin, OL_ORIGIN_STORE);
    assert_int_equal(ol_test_magnitude(sw, "MEX", "d_i")->origin, OL_ORIGIN_BUILTIN);
    /* the UN: budget and the US share from the CEB rows of 2024 */
    const ol_model_institution *un = inst(w, "UN");
    assert_close(un->budget, 1000, 1e-9);
    m = ol_test_magnitude(sw, "UN", "c_Hk");
    assert_int_equal(m->origin, OL_ORIGIN_STORE);
    assert_close(m->value, 0.3, 1e-12);
    assert_int_equal(m->year_from, 2024);
    assert_non_null(strstr(m->source, "ceb.donor.assessed"));
    for (size_t k = 0; k < un->nmembers; k++)
        if (un->members[k].actor == actor(w, "USA")) assert_close(un->members[k].cost_share, 0.3, 1e-12);
    /* WHO: none in the store, the table */
    const ol_model_institution *who = inst(w, "WHO");
    m = ol_test_magnitude(sw, "WHO", "C_k");
    assert_int_equal(m->origin, OL_ORIGIN_BUILTIN);
    assert_true(who->budget == 598749038.0);
    assert_non_null(strstr(m->source, "model_institutions.csv budget_usd [ceb_gdr_2024]"));
    /* IMF: the store lacks most members: every weight from the facts */
    m = ol_test_magnitude(sw, "IMF", "hegemon's vote share");
    assert_int_equal(m->origin, OL_ORIGIN_BUILTIN);
    assert_true(m->value == 0.1651);
    ol_simulate_world_free(sw);

    /* a snapshot covering every listed member: used, and said to be one */
    static const char VOTES[] =
        "country,vote_percentage\n"
        "United States,20\nChina,5\nJapan,6\n\"Korea, Rep.\",1\nCanada,2\nMexico,1.5\n"
        "United Kingdom,4\nGermany,5\nFrance,4\nAustralia,1\nIndia,2.5\nBrazil,2\n"
        "Russian Federation,2.5\nSouth Africa,0.5\n";
    ol_test_import_ok(f, "imf", "votes.csv", VOTES, "2021-03", NULL);
    OL_ASSERT_OK(ol_simulate_world_new(f->s, sc, &sw, &err), &err);
    w = ol_simulate_world_model(sw);
    const ol_model_institution *imf = inst(w, "IMF");
    double listed = 0;
    for (size_t k = 0; k < imf->nmembers; k++) {
        if (!strcmp(w->actors[imf->members[k].actor].code, "USA")) assert_close(imf->members[k].votes, 0.20, 1e-12);
        if (strcmp(w->actors[imf->members[k].actor].code, "ROW")) listed += imf->members[k].votes;
    }
    assert_close(listed, 0.57, 1e-12);
    m = ol_test_magnitude(sw, "IMF", "hegemon's vote share");
    assert_int_equal(m->origin, OL_ORIGIN_STORE);
    assert_int_equal(m->year_from, 2021);
    assert_non_null(strstr(m->note, "snapshot (2021-03)"));
    size_t counts[4];
    ol_simulate_world_magnitude_counts(sw, counts);
    assert_true(counts[OL_ORIGIN_STORE] >= 5);

    /* the scenario's value wins over the store's */
    ol_simulate_world_free(sw);
    for (size_t k = 0; k < sc->ninstitutions; k++)
        if (!strcmp(sc->institutions[k].code, "UN")) sc->institutions[k].budget_usd = 5e9;
    OL_ASSERT_OK(ol_simulate_world_new(f->s, sc, &sw, &err), &err);
    assert_true(inst(ol_simulate_world_model(sw), "UN")->budget == 5e9);
    assert_int_equal(ol_test_magnitude(sw, "UN", "C_k")->origin, OL_ORIGIN_SCENARIO);
    assert_int_equal(ol_test_magnitude(sw, "UN", "c_Hk")->origin, OL_ORIGIN_STORE);

    /* the writers: CSV with a header and one line per magnitude; a bad path */
    char *path = ol_test_path(f->dir, "magnitudes.csv");
    OL_ASSERT_OK(ol_simulate_magnitudes_write(sw, path, OL_MAGN_CSV, &err), &err);
    ol_test_table *t = ol_test_table_file(path, ',');
    size_t n;
    ol_simulate_world_magnitudes(sw, &n);
    assert_int_equal(t->nrows, n);
    assert_string_equal(ol_test_table_get(t, 0, "subject"), "USA");
    assert_string_equal(ol_test_table_get(t, 0, "account"), "power");
    assert_string_equal(ol_test_table_get(t, 0, "origin"), "built-in");
    ol_test_table_free(t);
    free(path);
    assert_int_equal(ol_simulate_magnitudes_write(sw, "/nonexistent-dir/m.csv", OL_MAGN_CSV, &err), OL_EIO);
    ol_simulate_world_free(sw);
    ol_scenario_free(sc);
    ol_test_fixture_free(f);
}

/* ------------------------------------------------------------ bad input */
static void test_bad_input(void **state)
{
    (void)state;
    ol_simulate_world *sw = NULL;
    ol_error err;
    /* an actor code without data */
    ol_scenario *sc = default_scenario();
    snprintf(sc->actors[2].code, sizeof sc->actors[2].code, "%s", "XXX");
    assert_int_equal(ol_simulate_world_new(NULL, sc, &sw, &err), OL_EVALIDATE);
    assert_string_equal(err.field, "actors[3].code");
    assert_non_null(strstr(err.message, "XXX"));
    assert_null(sw);
    ol_scenario_free(sc);

    /* an institution without facts and without magnitudes in the scenario */
    static const char NOFACTS[] =
        "actors:\n"
        "  - {code: USA, role: hegemon}\n"
        "  - {code: CHN, role: challenger}\n"
        "institutions:\n"
        "  - {code: FOO, name: Foo, domain: trade, form: bilateral, level: with-competitor,\n"
        "     founded: 2000, members: all, voting: {rule: consensus}}\n";
    sc = load_text(NOFACTS, NULL);
    assert_int_equal(ol_simulate_world_new(NULL, sc, &sw, &err), OL_EVALIDATE);
    assert_string_equal(err.field, "institutions[1] (FOO)");
    assert_non_null(strstr(err.message, "model_institutions.csv"));
    /* ... which the scenario may give itself */
    sc->institutions[0].budget_usd = 1e6;
    sc->institutions[0].hegemon_cost_share = 0.5;
    sc->institutions[0].constraint_jurisdiction = 1;
    sc->institutions[0].constraint_censure = 0;
    sc->institutions[0].constraint_verification = 0;
    OL_ASSERT_OK(ol_simulate_world_new(NULL, sc, &sw, &err), &err);
    assert_true(ol_simulate_world_model(sw)->inst[0].budget == 1e6);
    ol_simulate_world_free(sw);
    ol_scenario_free(sc);

    /* bad run options */
    sc = default_scenario();
    ol_simulate_options o;
    ol_simulate_options_init(&o);
    o.runs = 0;
    assert_int_equal(ol_simulate_run(NULL, sc, &o, NULL, NULL, &err), OL_EINVAL);
    assert_string_equal(err.field, "runs");
    /* a parameter out of the model's range */
    sc->params.accounts_trade_attribution = 2;
    assert_int_equal(ol_simulate_run(NULL, sc, NULL, NULL, NULL, &err), OL_EINVAL);
    assert_string_equal(err.field, "theta");
    ol_scenario_free(sc);
}

/* ------------------------------------------------------------ runs */

static void same_result(const ol_model_result *a, const ol_model_result *b)
{
    assert_int_equal(a->nyears, b->nyears);
    assert_int_equal(a->nevents, b->nevents);
    assert_memory_equal(a->years, b->years, a->nyears * sizeof *a->years);
    assert_memory_equal(a->actor_years, b->actor_years, a->nyears * a->nactors * sizeof *a->actor_years);
    assert_memory_equal(a->inst_years, b->inst_years, a->nyears * a->ninst * sizeof *a->inst_years);
    if (a->nevents) assert_memory_equal(a->events, b->events, a->nevents * sizeof *a->events);
}

static void test_default_runs(void **state)
{
    (void)state;
    ol_scenario *sc = default_scenario();
    ol_model_result *a = NULL, *b = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_simulate_run(NULL, sc, NULL, &a, NULL, &err), &err);
    OL_ASSERT_OK(ol_simulate_run(NULL, sc, NULL, &b, NULL, &err), &err);
    assert_int_equal(a->t0, 1990);
    assert_int_equal(a->t1, 2030);
    assert_int_equal(a->ninst, sc->ninstitutions);
    same_result(a, b);
    /* stylised fact 1 at the level of the default: no exit while the ratio is far below τ */
    for (size_t e = 0; e < a->nevents; e++)
        if (a->events[e].action == OL_ACT_EXIT) {
            size_t y = (size_t)(a->events[e].year - a->t0);
            assert_true(a->years[y].ratio > 0.5);
        }
    ol_model_result_free(a);
    ol_model_result_free(b);
    ol_scenario_free(sc);
}

static void test_monte_carlo(void **state)
{
    (void)state;
    ol_scenario *sc = default_scenario();
    /* coarser vote units keep the exact power indices of this test fast */
    sc->params.powerindex_vote_units = 1000;
    ol_simulate_options o;
    ol_simulate_options_init(&o);
    o.runs = 4;
    o.stochastic = 1;
    o.seed_set = 1;
    o.seed = 42;
    ol_simulate_summary s1, s2;
    ol_model_result *r = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_simulate_run(NULL, sc, &o, &r, &s1, &err), &err);
    OL_ASSERT_OK(ol_simulate_run(NULL, sc, &o, NULL, &s2, &err), &err);
    assert_int_equal(s1.runs, 4);
    assert_int_equal(s1.stochastic, 1);
    assert_true(s1.seed == 42);
    assert_true(r->seed == ol_model_seed(42, 0));
    assert_int_equal(s1.ninst, sc->ninstitutions);
    size_t tot_t = 0, tot_x = 0;
    for (size_t j = 0; j <= s1.nyears; j++) {
        tot_t += s1.first_threat[j];
        tot_x += s1.first_exit[j];
        assert_int_equal(s1.first_exit[j], s2.first_exit[j]);
    }
    assert_int_equal(tot_t, 4);
    assert_int_equal(tot_x, 4);
    for (size_t k = 0; k < s1.ninst; k++) {
        const ol_simulate_inst_summary *x = &s1.inst[k];
        size_t n = 0;
        for (size_t j = 0; j <= s1.nyears; j++) n += x->first_exit[j];
        assert_int_equal(n, 4);
        assert_int_equal(x->exit_runs, 4 - x->first_exit[s1.nyears]);
        assert_true(x->share_exit >= 0 && x->share_exit <= 1);
        assert_true(x->share_threat == (double)x->threat_runs / 4);
        assert_int_equal(x->exit_runs, s2.inst[k].exit_runs);
        assert_int_equal(x->threat_runs, s2.inst[k].threat_runs);
    }
    ol_simulate_summary_free(&s1);
    ol_simulate_summary_free(&s2);
    ol_model_result_free(r);
    ol_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_params_defaults), cmocka_unit_test(test_params_every_field),
        cmocka_unit_test(test_params_from_yaml), cmocka_unit_test(test_world_facts),
        cmocka_unit_test(test_world_store),     cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_default_runs),    cmocka_unit_test(test_monte_carlo),
        cmocka_unit_test(test_world_magnitudes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
