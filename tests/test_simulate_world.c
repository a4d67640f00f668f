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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
