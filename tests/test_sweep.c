/* The sweep engine: the design file's `sweep:` section, the keys a design
 * may name (and every way to name a wrong one), set and scale, the model's
 * simulation updated in place against a fresh one, the run's summary on a
 * hand-made result and on the small test world, exit waves at their
 * boundaries, runs.csv rows, the ordered writer (1 and 2 threads, any
 * chunk), resumption from part files with a truncated line, failed runs
 * with and without fail-fast, interruption, and the report's tables. */
#include "testutil.h"
#include "testworld.h"

#include "orderlab/sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int exists(const char *dir, const char *name)
{
    char *p = ol_test_path(dir, name);
    struct stat sb;
    int r = stat(p, &sb) == 0;
    free(p);
    return r;
}

static size_t count_lines(const char *text)
{
    size_t n = 0;
    for (; *text; text++) n += *text == '\n';
    return n;
}

/* A design with its options, from text; the test fails on an error. */
typedef struct loaded {
    ol_design *d;
    ol_sweep_options opt;
} loaded;

static loaded load(const char *text)
{
    loaded l = {0};
    ol_error err;
    OL_ASSERT_OK(ol_sweep_design_load_text(text, strlen(text), "d.yaml", &l.d, &l.opt, &err), &err);
    return l;
}

/* The error a design text gives (loading or planning on the test world). */
static ol_status plan_error(const char *text, ol_error *err)
{
    test_world tw;
    test_world_init(&tw, 0.08);
    ol_model_params p = test_world_params();
    ol_design *d = NULL;
    ol_sweep_options opt;
    ol_status st = ol_sweep_design_load_text(text, strlen(text), "d.yaml", &d, &opt, err);
    if (st) return st;
    ol_sweep_plan *pl = NULL;
    st = ol_sweep_plan_new(&tw.w, &p, 0, d, &opt, &pl, err);
    ol_sweep_plan_free(pl);
    ol_design_free(d);
    return st;
}

static void expect_error(const char *text, ol_status code, long line, long column, const char *field,
                         const char *needle)
{
    ol_error err;
    ol_error_clear(&err);
    ol_status st = plan_error(text, &err);
    char buf[2048];
    ol_error_format(&err, buf, sizeof buf);
    if (st != code || (line && err.line != line) || (column && err.column != column) ||
        (field && strcmp(err.field, field) != 0) || (needle && !strstr(err.message, needle)))
        fail_msg("expected %d at %ld:%ld '%s' ~ '%s', got %d: %s", (int)code, line, column, field ? field : "",
                 needle ? needle : "", (int)st, buf);
    assert_string_equal(err.file, "d.yaml");
}

/* ------------------------------------------------------------ options */

static void test_options(void **state)
{
    (void)state;
    loaded l = load("name: opts\n"
                    "sweep:\n"
                    "  wave: {min_exits: 2, window: 6}\n"
                    "  bins: 7\n"
                    "  heatmap: [b, a]\n"
                    "  bootstrap: 0\n"
                    "  confidence: 0.9\n"
                    "design: grid\n"
                    "parameters:\n"
                    "  - {key: a, levels: [1, 2]}\n"
                    "  - {key: b, levels: [3, 4]}\n");
    assert_string_equal(l.d->name, "opts");
    assert_int_equal(l.d->npoints, 4);
    assert_int_equal(l.opt.wave_min_exits, 2);
    assert_int_equal(l.opt.wave_window, 6);
    assert_int_equal(l.opt.bins, 7);
    assert_string_equal(l.opt.heatmap[0], "b");
    assert_string_equal(l.opt.heatmap[1], "a");
    assert_int_equal(l.opt.heatmap_line, 5);
    assert_int_equal(l.opt.bootstrap, 0);
    assert_float_equal(l.opt.confidence, 0.9, 0);
    /* the design's own keys keep their lines: the section is blanked, not cut */
    assert_int_equal(l.d->params[1].line, 11);
    ol_design_free(l.d);

    /* libyaml's marks count characters: a comment with τ and 三分之二 before
     * the section must not shift the blanking */
    l = load("# τ, the threshold, 三分之二\n"
             "design: grid\n"
             "sweep: {bins: 2, wave: {window: 3}}   # θ\n"
             "parameters:\n"
             "  - {key: a, levels: [1, 2]}   # ω\n");
    assert_int_equal(l.opt.bins, 2);
    assert_int_equal(l.opt.wave_window, 3);
    assert_int_equal(l.d->npoints, 2);
    ol_design_free(l.d);

    /* defaults (judgement: 3 exits within 4 years) */
    l = load("design: grid\nparameters:\n  - {key: a, levels: [1]}\n");
    assert_int_equal(l.opt.wave_min_exits, 3);
    assert_int_equal(l.opt.wave_window, 4);
    assert_int_equal(l.opt.bins, 5);
    assert_string_equal(l.opt.heatmap[0], "");
    assert_int_equal(l.opt.bootstrap, 1000);
    assert_float_equal(l.opt.confidence, 0.95, 0);
    ol_design_free(l.d);
}

static void test_options_bad(void **state)
{
    (void)state;
    const char *tail = "design: grid\nparameters:\n  - {key: threshold.tau, levels: [0.5]}\n";
    char text[512];
    snprintf(text, sizeof text, "sweep:\n  bns: 3\n%s", tail);
    expect_error(text, OL_EVALIDATE, 2, 3, "sweep.bns", "did you mean 'bins'");
    snprintf(text, sizeof text, "sweep:\n  wave: {min_exits: 2, window: 0}\n%s", tail);
    expect_error(text, OL_EVALIDATE, 2, 32, "sweep.wave.window", "not a whole number in [1, 1000]");
    snprintf(text, sizeof text, "sweep:\n  wave: {min: 2}\n%s", tail);
    expect_error(text, OL_EVALIDATE, 2, 10, "sweep.wave.min", "unknown key");
    snprintf(text, sizeof text, "sweep:\n  confidence: 1.5\n%s", tail);
    expect_error(text, OL_EVALIDATE, 2, 15, "sweep.confidence", "(0, 1)");
    snprintf(text, sizeof text, "sweep:\n  heatmap: [a, b, c]\n%s", tail);
    expect_error(text, OL_EVALIDATE, 2, 12, "sweep.heatmap", "two parameter keys");
    snprintf(text, sizeof text, "sweep: 3\n%s", tail);
    expect_error(text, OL_EVALIDATE, 1, 8, "sweep", "mapping");
    /* a heat-map key that is not one of the design's parameters */
    snprintf(text, sizeof text, "sweep:\n  heatmap: [threshold.tau, threshold.steepness]\n%s", tail);
    expect_error(text, OL_EVALIDATE, 2, 12, "sweep.heatmap", "'threshold.steepness' is not one of");
    /* the design's own errors come first, at their place in the file */
    snprintf(text, sizeof text, "sweep:\n  bins: 3\ndesign: grud\nparameters:\n  - {key: a, levels: [1]}\n");
    expect_error(text, OL_EVALIDATE, 3, 9, "design", "did you mean 'grid'");
}

/* ------------------------------------------------------------ keys */

static void test_keys_bad(void **state)
{
    (void)state;
#define D(key, extra) "design: grid\nparameters:\n  - {key: " key ", levels: [0.5]" extra "}\n"
    expect_error(D("threshold.taux", ""), OL_EVALIDATE, 3, 11, "threshold.taux", "did you mean 'threshold.tau'");
    expect_error(D("years.start", ""), OL_EVALIDATE, 3, 11, "years.start", "world builder");
    expect_error(D("power.default_growth", ""), OL_EVALIDATE, 3, 11, "power.default_growth", "world builder");
    expect_error(D("seed", ""), OL_EVALIDATE, 3, 11, "seed", "design's seed");
    expect_error(D("name", ""), OL_EVALIDATE, 3, 11, "name", "not a number");
    expect_error(D("\"leaders[Nobody].temperament\"", ""), OL_EVALIDATE, 3, 11, "leaders[Nobody].temperament",
                 "Steady, Mercantile");
    expect_error(D("\"leaders[*].mood\"", ""), OL_EVALIDATE, 3, 11, "leaders[*].mood", "unknown field 'mood'");
    expect_error(D("\"actors[XXX].dependence\"", ""), OL_EVALIDATE, 3, 11, "actors[XXX].dependence",
                 "no actor matches 'XXX'");
    expect_error(D("\"actors[role=king].dependence\"", ""), OL_EVALIDATE, 3, 11, "actors[role=king].dependence",
                 "unknown role 'king'");
    expect_error(D("\"actors[JPN].power\"", ""), OL_EVALIDATE, 3, 11, "actors[JPN].power", "unknown field 'power'");
    expect_error(D("\"actors[JPN]dependence\"", ""), OL_EVALIDATE, 3, 11, "actors[JPN]dependence", "not of the form");
    expect_error(D("\"actors[USA].alignment\"", ""), OL_EVALIDATE, 3, 11, "actors[USA].alignment", "by definition");
    /* values out of range, for set and for scale, before any run */
    expect_error("design: grid\nparameters:\n  - {key: threshold.tau, levels: [0.5, 1.5]}\n", OL_EVALIDATE, 3, 11,
                 "threshold.tau", "gives threshold.tau = 1.5, outside (0, 1)");
    expect_error("design: grid\nparameters:\n  - {key: \"actors[role=ally].dependence\", op: scale, levels: [1, 1.2]}\n",
                 OL_EVALIDATE, 3, 11, "actors[role=ally].dependence", "actor JPN dependence");
    expect_error("design: grid\nparameters:\n  - {key: \"leaders[*].temperament\", levels: [0, 1]}\n", OL_EVALIDATE,
                 3, 11, "leaders[*].temperament", "outside (0, 100]");
#undef D
    /* two parameters on one value */
    expect_error("design: grid\nparameters:\n"
                 "  - {key: \"actors[*].dependence\", levels: [0.5]}\n"
                 "  - {key: \"actors[JPN].dependence\", levels: [0.4]}\n",
                 OL_EVALIDATE, 4, 11, "actors[JPN].dependence", "changes a value that 'actors[*].dependence'");
}

/* ------------------------------------------------------------ set and scale */

static void test_apply(void **state)
{
    (void)state;
    test_world tw;
    test_world_init(&tw, 0.08);
    ol_model_params p = test_world_params();
    loaded l = load("design: grid\nparameters:\n"
                    "  - {key: threshold.tau, levels: [0.5]}\n"
                    "  - {key: accounts.gains.trade, op: scale, levels: [2]}\n"
                    "  - {key: \"leaders[Mercantile].temperament\", levels: [3]}\n"
                    "  - {key: \"leaders[*].systemic_weight\", op: scale, levels: [0.5]}\n"
                    "  - {key: \"actors[role=ally].dependence\", op: scale, levels: [0.5]}\n"
                    "  - {key: \"actors[*].alignment\", levels: [0.25]}\n"
                    "  - {key: \"actors[CHN].growth\", levels: [0.05]}\n");
    ol_sweep_plan *pl = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_sweep_plan_new(&tw.w, &p, 0, l.d, &l.opt, &pl, &err), &err);
    ol_model_actor actors[TW_NA];
    ol_model_leader leaders[2];
    memcpy(actors, tw.actors, sizeof actors);
    memcpy(leaders, tw.leaders, sizeof leaders);
    ol_model_params q = p;
    OL_ASSERT_OK(ol_sweep_plan_apply(pl, ol_design_point(l.d, 0), actors, leaders, &q, &err), &err);
    assert_float_equal(q.tau, 0.5, 0);
    assert_float_equal(q.gamma[OL_DOMAIN_TRADE], 2 * p.gamma[OL_DOMAIN_TRADE], 0);
    assert_float_equal(q.kappa, p.kappa, 0); /* untouched */
    assert_float_equal(leaders[0].temperament, 1.0, 0);
    assert_float_equal(leaders[1].temperament, 3.0, 0);
    assert_float_equal(leaders[0].omega, 0.5, 0);
    assert_float_equal(leaders[1].omega, 0.1, 0);
    assert_float_equal(actors[2].dependence, 0.45, 1e-15);  /* JPN, the ally */
    assert_float_equal(actors[1].dependence, 0.2, 0);        /* CHN untouched */
    assert_float_equal(actors[0].alignment, 1.0, 0);         /* the hegemon's: passed over */
    for (int i = 1; i < TW_NA; i++) assert_float_equal(actors[i].alignment, 0.25, 0);
    assert_float_equal(actors[1].growth, 0.05, 0);
    assert_float_equal(actors[3].growth, 0.02, 0);
    assert_int_equal(ol_sweep_plan_runs(pl), 1);
    /* a value out of range at apply time names the key */
    double bad[7] = {1.5, 2, 3, 0.5, 0.5, 0.25, 0.05};
    assert_int_equal(ol_sweep_plan_apply(pl, bad, actors, leaders, &q, &err), OL_EVALIDATE);
    assert_string_equal(err.field, "threshold.tau");
    ol_sweep_plan_free(pl);
    ol_design_free(l.d);
}

/* ------------------------------------------------------------ the model's update */

static void assert_same_result(const ol_model_result *a, const ol_model_result *b)
{
    assert_int_equal(a->nevents, b->nevents);
    assert_memory_equal(a->actor_years, b->actor_years, a->nyears * a->nactors * sizeof *a->actor_years);
    assert_memory_equal(a->inst_years, b->inst_years, a->nyears * a->ninst * sizeof *a->inst_years);
    assert_memory_equal(a->years, b->years, a->nyears * sizeof *a->years);
    if (a->nevents) assert_memory_equal(a->events, b->events, a->nevents * sizeof *a->events);
}

static void test_sim_update(void **state)
{
    (void)state;
    test_world tw;
    test_world_init(&tw, 0.08);
    ol_model_params p = test_world_params();
    p.mu = 2000;
    ol_error err;
    ol_model_sim *sim = NULL;
    OL_ASSERT_OK(ol_model_sim_new(&tw.w, &p, &sim, &err), &err);
    ol_model_result *r = NULL, *fresh = NULL;
    OL_ASSERT_OK(ol_model_sim_run(sim, 3, 1, &r, &err), &err); /* fills the cache with the base games */
    /* changes of every kind a sweep makes, including ones that create new
     * games (vote units, the vote shift of renegotiations) */
    for (int c = 0; c < 5; c++) {
        test_world tw2;
        test_world_init(&tw2, 0.08);
        ol_model_params q = p;
        switch (c) {
        case 0: q.tau = 0.5; q.vote_units = 1000; break;
        case 1: tw2.actors[2].dependence = 0.3; tw2.actors[1].growth = 0.12; q.delta_nu = 0.5; break;
        case 2: tw2.leaders[1].temperament = 3; tw2.leaders[0].omega = 0.1; break;
        case 3: tw2.actors[2].alignment = 0.1; tw2.actors[3].outside = 0.9; q.delta_r = 0.2; break;
        default: break; /* back to the base */
        }
        for (int stochastic = 0; stochastic < 2; stochastic++) {
            OL_ASSERT_OK(ol_model_sim_update(sim, &tw2.w, &q, &err), &err);
            OL_ASSERT_OK(ol_model_sim_run(sim, 77, stochastic, &r, &err), &err);
            OL_ASSERT_OK(ol_model_run(&tw2.w, &q, 77, stochastic, &fresh, &err), &err);
            assert_same_result(r, fresh);
        }
    }
    /* another shape is refused and the simulation is unchanged */
    test_world tw3;
    test_world_init(&tw3, 0.08);
    tw3.w.t1 = 2020;
    assert_int_equal(ol_model_sim_update(sim, &tw3.w, &p, &err), OL_EINVAL);
    assert_string_equal(err.field, "world");
    tw3.w.t1 = TW_T1;
    tw3.w.nleaders = 1;
    assert_int_equal(ol_model_sim_update(sim, &tw3.w, &p, &err), OL_EINVAL);
    ol_model_params bad = p;
    bad.tau = -1;
    assert_int_equal(ol_model_sim_update(sim, &tw.w, &bad, &err), OL_EINVAL);
    assert_string_equal(err.field, "tau");
    OL_ASSERT_OK(ol_model_sim_run(sim, 77, 1, &r, &err), &err);
    OL_ASSERT_OK(ol_model_run(&tw.w, &p, 77, 1, &fresh, &err), &err);
    assert_same_result(r, fresh);
    ol_model_result_free(r);
    ol_model_result_free(fresh);
    ol_model_sim_free(sim);
}

/* ------------------------------------------------------------ the summary */

/* A result by hand: 2000-2009, one institution per level. */
typedef struct hand {
    ol_model_actor actors[2];
    ol_model_institution inst[3];
    ol_model_world w;
    ol_model_year years[10];
    ol_model_event ev[16];
    ol_model_result r;
} hand;

static void hand_init(hand *h)
{
    memset(h, 0, sizeof *h);
    h->actors[0].role = OL_ROLE_HEGEMON;
    h->actors[1].role = OL_ROLE_CHALLENGER;
    static const ol_model_level lv[3] = {OL_LEVEL_GLOBAL, OL_LEVEL_ALLIES, OL_LEVEL_COMPETITOR};
    for (int k = 0; k < 3; k++) h->inst[k].level = lv[k];
    h->w = (ol_model_world){.t0 = 2000, .t1 = 2009, .nactors = 2, .actors = h->actors, .ninst = 3, .inst = h->inst};
    for (int y = 0; y < 10; y++)
        h->years[y] = (ol_model_year){.year = 2000 + y, .ratio = 0.5 + 0.05 * y, .PG = y, .L = 0.1 * y,
                                      .LS = 0.2, .HM = 0.3};
    h->r = (ol_model_result){.t0 = 2000, .t1 = 2009, .nyears = 10, .nactors = 2, .ninst = 3, .years = h->years,
                             .events = h->ev};
}

static void hand_event(hand *h, int year, uint32_t inst, ol_model_action a, int32_t actor, ol_model_effect e)
{
    h->ev[h->r.nevents++] = (ol_model_event){.year = year, .inst = inst, .action = a, .actor = actor,
                                             .counterpart = -1, .rival = -1, .effect = e, .probability = 1};
}

static void test_summary_hand(void **state)
{
    (void)state;
    hand h;
    hand_init(&h);
    hand_event(&h, 2001, 0, OL_ACT_REFORM_CALL, 1, OL_EFFECT_NONE); /* not the hegemon's */
    hand_event(&h, 2002, 1, OL_ACT_THREATEN, 0, OL_EFFECT_SPILLOVER);
    hand_event(&h, 2002, 1, OL_ACT_RENEGOTIATE, 0, OL_EFFECT_SPILLOVER);
    hand_event(&h, 2003, 0, OL_ACT_EXIT, 0, OL_EFFECT_CONSTRAINT);
    hand_event(&h, 2004, 2, OL_ACT_THREATEN, 0, OL_EFFECT_SPILLOVER);
    hand_event(&h, 2004, 2, OL_ACT_ESCALATE, 0, OL_EFFECT_SPILLOVER);
    hand_event(&h, 2005, 1, OL_ACT_EXIT, 0, OL_EFFECT_SPILLOVER);
    hand_event(&h, 2006, 0, OL_ACT_REJOIN, 0, OL_EFFECT_NONE);
    hand_event(&h, 2006, 2, OL_ACT_EXIT, 0, OL_EFFECT_CONSUMPTION);
    hand_event(&h, 2008, 0, OL_ACT_EXIT, 0, OL_EFFECT_NONE);
    ol_sweep_options o;
    ol_sweep_options_default(&o); /* 3 exits within 4 years */
    ol_sweep_row row = {.run = 42};
    ol_sweep_summarise(&h.w, &h.r, 2.0 / 3.0, &o, &row);
    assert_int_equal(row.run, 42);
    assert_int_equal(row.ok, 1);
    assert_int_equal(row.first_threat_year, 2002);
    assert_int_equal(row.first_exit_year, 2003);
    assert_int_equal(row.threats, 2);
    assert_int_equal(row.exits, 4);
    assert_int_equal(row.renegotiations, 1);
    assert_int_equal(row.escalations, 1);
    assert_int_equal(row.rejoins, 1);
    assert_int_equal(row.exits_effect[0], 1); /* spillover */
    assert_int_equal(row.exits_effect[1], 1); /* consumption */
    assert_int_equal(row.exits_effect[2], 1); /* constraint; the fourth exit has no effect */
    assert_int_equal(row.exits_level[0], 2);
    assert_int_equal(row.exits_level[1], 1);
    assert_int_equal(row.exits_level[2], 1);
    assert_int_equal(row.crossing_year, 2004); /* 0.5 + 0.05 × 4 = 0.7 >= 2/3; 0.65 is not */
    assert_float_equal(row.final_ratio, 0.5 + 0.05 * 9, 0);
    assert_float_equal(row.PG, 9, 0);
    assert_float_equal(row.L, 0.9, 1e-15);
    /* 2003, 2005, 2006: three exits in the four years 2003-2006 */
    assert_int_equal(row.exit_wave, 1);
    assert_int_equal(row.wave_year, 2006);
    /* three years: 2004-2006 holds two, 2006-2008 two: no wave */
    o.wave_window = 3;
    ol_sweep_summarise(&h.w, &h.r, 2.0 / 3.0, &o, &row);
    assert_int_equal(row.exit_wave, 0);
    assert_int_equal(row.wave_year, 0);
    /* two within two years: 2005, 2006 */
    o.wave_min_exits = 2;
    o.wave_window = 2;
    ol_sweep_summarise(&h.w, &h.r, 2.0 / 3.0, &o, &row);
    assert_int_equal(row.wave_year, 2006);
    /* one exit is a wave of one, in its year */
    o.wave_min_exits = 1;
    ol_sweep_summarise(&h.w, &h.r, 2.0 / 3.0, &o, &row);
    assert_int_equal(row.wave_year, 2003);
    /* a threshold never reached */
    ol_sweep_summarise(&h.w, &h.r, 0.99, NULL, &row);
    assert_int_equal(row.crossing_year, 0);
    assert_int_equal(row.exit_wave, 1); /* the defaults */
}

static void test_summary_world(void **state)
{
    (void)state;
    test_world tw;
    test_world_init(&tw, 0.08);
    ol_model_params p = test_world_params();
    ol_model_result *r = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_model_run(&tw.w, &p, 1, 0, &r, &err), &err);
    ol_sweep_row row = {0};
    ol_sweep_summarise(&tw.w, r, p.tau, NULL, &row);
    /* the test world's story (test_model.c): threats and renegotiations in FTA
     * from 2011, exits of UNB (global, constraint) and BIC (competitor,
     * spillover) in 2017 after the ratio crosses 2/3 in 2016, FUND in 2021 */
    assert_int_equal(row.first_threat_year, 2011);
    assert_int_equal(row.first_exit_year, 2017);
    assert_int_equal(row.crossing_year, 2016);
    assert_int_equal(row.exits, 3);
    assert_int_equal(row.exits_level[0], 2);
    assert_int_equal(row.exits_level[2], 1);
    assert_int_equal(row.exits_effect[0] + row.exits_effect[1] + row.exits_effect[2], 3);
    assert_int_equal(row.exits_effect[2], 1);
    assert_int_equal(row.threats, row.renegotiations + row.escalations + 1); /* FUND's threat ended in exit */
    /* 2017, 2017 and 2021 span five years: no wave of 3 within 4, one within 5 */
    assert_int_equal(row.exit_wave, 0);
    ol_sweep_options o;
    ol_sweep_options_default(&o);
    o.wave_window = 5;
    ol_sweep_summarise(&tw.w, r, p.tau, &o, &row);
    assert_int_equal(row.exit_wave, 1);
    assert_int_equal(row.wave_year, 2021);
    assert_float_equal(row.final_ratio, r->years[r->nyears - 1].ratio, 0);
    assert_float_equal(row.HM, r->years[r->nyears - 1].HM, 0);
    ol_model_result_free(r);
}

/* ------------------------------------------------------------ rows */

static void test_rows(void **state)
{
    (void)state;
    ol_sweep_row row = {.run = 7, .ok = 1, .first_threat_year = 2011, .first_exit_year = 0, .threats = 3,
                        .exits = 0, .renegotiations = 2, .escalations = 1, .rejoins = 0,
                        .exits_effect = {0, 0, 0}, .exits_level = {0, 0, 0}, .crossing_year = 2016,
                        .final_ratio = 0.1, .exit_wave = 0, .wave_year = 0, .PG = 1.0 / 3.0, .L = 2e-300,
                        .LS = 0.5, .HM = 1e21};
    char line[4096];
    int n = ol_sweep_row_format(&row, line, sizeof line);
    assert_string_equal(line, "7,ok,,2011,,3,0,2,1,0,0,0,0,0,0,0,2016,0.1,0,,0.3333333333333333,2e-300,0.5,1e+21\n");
    assert_int_equal(n, (int)strlen(line));
    assert_int_equal(count_lines(ol_sweep_row_header()), 1);
    ol_sweep_row back;
    ol_error err;
    OL_ASSERT_OK(ol_sweep_row_parse(line, &back, &err), &err);
    assert_memory_equal(&back, &row, sizeof row);
    /* a failed run: the error quoted, on one line */
    ol_sweep_row f = {.run = 8, .ok = 0};
    snprintf(f.error, sizeof f.error, "institution \"X\": no votes,\nat all");
    ol_sweep_row_format(&f, line, sizeof line);
    assert_string_equal(line, "8,failed,\"institution \"\"X\"\": no votes, at all\",,,,,,,,,,,,,,,,,,,,,\n");
    OL_ASSERT_OK(ol_sweep_row_parse(line, &back, &err), &err);
    assert_int_equal(back.ok, 0);
    assert_string_equal(back.error, "institution \"X\": no votes, at all");
    /* a buffer too small is cut, and the length wanted returned */
    char small[8];
    assert_int_equal(ol_sweep_row_format(&row, small, sizeof small), n);
    assert_string_equal(small, "7,ok,,2");
    /* bad rows */
    assert_int_equal(ol_sweep_row_parse("7,ok,,2011", &back, &err), OL_EPARSE);
    assert_int_equal(ol_sweep_row_parse("x,ok,,2011,,3,0,2,1,0,0,0,0,0,0,0,2016,0.1,0,,1,2,0.5,1\n", &back, &err),
                     OL_EPARSE);
    assert_string_equal(err.field, "run");
    assert_int_equal(ol_sweep_row_parse("7,ok,,2011,,3,0,2,1,0,0,0,0,0,0,0,2016,0.1,2,,1,2,0.5,1\n", &back, &err),
                     OL_EPARSE);
    assert_string_equal(err.field, "exit_wave");
    assert_int_equal(ol_sweep_row_parse("7,maybe,,2011,,3,0,2,1,0,0,0,0,0,0,0,2016,0.1,0,,1,2,0.5,1\n", &back, &err),
                     OL_EPARSE);
    assert_string_equal(err.field, "status");
}

/* ------------------------------------------------------------ execution */

/* A plan on the test world; the world and design live in the struct. */
typedef struct fixture {
    test_world tw;
    ol_model_params p;
    loaded l;
    ol_sweep_plan *pl;
    char *dir;
} fixture;

static const char *const LHS_DESIGN = "name: small\n"
                                      "design: lhs\n"
                                      "samples: 24\n"
                                      "replicates: 2\n"
                                      "seed: 5\n"
                                      "parameters:\n"
                                      "  - {key: threshold.tau, min: 0.4, max: 0.9}\n"
                                      "  - {key: \"leaders[Mercantile].temperament\", min: 0.5, max: 3}\n"
                                      "  - {key: \"actors[role=ally].dependence\", op: scale, min: 0.5, max: 1}\n"
                                      "sweep:\n"
                                      "  wave: {min_exits: 2, window: 4}\n"
                                      "  bins: 4\n";

static void fixture_init(fixture *f, const char *design, int stochastic)
{
    memset(f, 0, sizeof *f);
    test_world_init(&f->tw, 0.08);
    f->p = test_world_params();
    f->p.mu = 2000;
    f->l = load(design);
    ol_error err;
    OL_ASSERT_OK(ol_sweep_plan_new(&f->tw.w, &f->p, stochastic, f->l.d, &f->l.opt, &f->pl, &err), &err);
    f->dir = ol_test_tmpdir();
}

static void fixture_free(fixture *f)
{
    ol_sweep_plan_free(f->pl);
    ol_design_free(f->l.d);
    ol_test_rmtree(f->dir);
    free(f->dir);
}

/* Executes into dir/sub; returns the status. */
static ol_status execute(fixture *f, const char *sub, int threads, uint32_t chunk, int fail_fast,
                         ol_progress_fn progress, void *ctx, ol_sweep_stats *stats, ol_error *err)
{
    char *d = ol_test_path(f->dir, sub);
    mkdir(d, 0777);
    ol_sweep_exec x = {.threads = threads, .chunk = chunk, .fail_fast = fail_fast, .progress = progress,
                       .progress_ctx = ctx};
    ol_status st = ol_sweep_execute(f->pl, d, &x, stats, err);
    free(d);
    return st;
}

static char *runs_of(fixture *f, const char *sub)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/runs.csv", f->dir, sub);
    return ol_test_slurp(path, NULL);
}

typedef struct progress_log {
    uint64_t calls, last_done, total;
    int monotone;
    uint64_t stop_at;
} progress_log;

static int on_progress(void *ctx, uint64_t done, uint64_t total)
{
    progress_log *p = ctx;
    if (done < p->last_done) p->monotone = 0;
    p->calls++;
    p->last_done = done;
    p->total = total;
    return p->stop_at && done >= p->stop_at;
}

static void test_threads_identical(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, LHS_DESIGN, 1);
    ol_error err;
    ol_sweep_stats s1, s2, s3;
    progress_log pg = {.monotone = 1};
    OL_ASSERT_OK(execute(&f, "one", 1, 0, 0, on_progress, &pg, &s1, &err), &err);
    OL_ASSERT_OK(execute(&f, "two", 2, 1, 0, NULL, NULL, &s2, &err), &err);
    OL_ASSERT_OK(execute(&f, "two5", 2, 5, 0, NULL, NULL, &s3, &err), &err);
    assert_int_equal(s1.runs, 48);
    assert_int_equal(s1.ran, 48);
    assert_int_equal(s1.done_before, 0);
    assert_true(s1.complete);
    assert_int_equal(s1.threads, 1);
    assert_int_equal(s2.threads, 2);
    assert_int_equal(s1.ranks, 1);
    assert_true(pg.calls >= 3 && pg.monotone && pg.last_done == 48 && pg.total == 48);
    char *a = runs_of(&f, "one"), *b = runs_of(&f, "two"), *c = runs_of(&f, "two5");
    assert_non_null(a);
    assert_string_equal(a, b);
    assert_string_equal(a, c);
    assert_int_equal(count_lines(a), 49);
    /* in run order, every row a worker's row */
    ol_sweep_worker *wk = NULL;
    OL_ASSERT_OK(ol_sweep_worker_new(f.pl, &wk, &err), &err);
    const char *line = strchr(a, '\n') + 1;
    for (uint64_t k = 0; k < 48; k++) {
        ol_sweep_row row;
        OL_ASSERT_OK(ol_sweep_worker_run(wk, k, &row, &err), &err);
        char want[4096];
        int n = ol_sweep_row_format(&row, want, sizeof want);
        assert_memory_equal(line, want, (size_t)n);
        line += n;
    }
    /* the world's seed: ol_design_seed of the run */
    assert_true(ol_sweep_worker_seed(wk) == ol_design_seed(5, 47));
    ol_sweep_worker_free(wk);
    /* the part files are gone once merged */
    char parts[1024];
    snprintf(parts, sizeof parts, "%s/one", f.dir);
    assert_false(exists(parts, "parts"));
    /* a second execute finds everything done */
    OL_ASSERT_OK(execute(&f, "one", 2, 0, 0, NULL, NULL, &s1, &err), &err);
    assert_int_equal(s1.done_before, 48);
    assert_int_equal(s1.ran, 0);
    char *again = runs_of(&f, "one");
    assert_string_equal(a, again);
    free(again);
    free(a);
    free(b);
    free(c);
    fixture_free(&f);
}

static void write_file(const char *path, const char *text)
{
    FILE *o = fopen(path, "wb");
    assert_non_null(o);
    fputs(text, o);
    fclose(o);
}

static void test_resume(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, LHS_DESIGN, 1);
    ol_error err;
    ol_sweep_stats s;
    OL_ASSERT_OK(execute(&f, "full", 2, 0, 0, NULL, NULL, &s, &err), &err);
    char *full = runs_of(&f, "full");
    /* two part files of earlier sessions (any rank count): runs 0-9 and 20-24,
     * the last line of the second cut in the middle (a kill -9) */
    char dir[1024], path[1100];
    snprintf(dir, sizeof dir, "%s/resume/parts", f.dir);
    char *resume = ol_test_path(f.dir, "resume");
    mkdir(resume, 0777);
    mkdir(dir, 0777);
    const char *rows = strchr(full, '\n') + 1;
    const char *r10 = rows, *r20 = rows, *r25 = rows;
    for (int i = 0; i < 10; i++) r10 = strchr(r10, '\n') + 1;
    for (int i = 0; i < 20; i++) r20 = strchr(r20, '\n') + 1;
    for (int i = 0; i < 25; i++) r25 = strchr(r25, '\n') + 1;
    char *text = malloc(strlen(full) + 1);
    snprintf(text, strlen(full) + 1, "%s%.*s", ol_sweep_row_header(), (int)(r10 - rows), rows);
    snprintf(path, sizeof path, "%s/part-0001-000.csv", dir);
    write_file(path, text);
    snprintf(text, strlen(full) + 1, "%s%.*s%.*s", ol_sweep_row_header(), (int)(r25 - r20), r20, 9, r25);
    snprintf(path, sizeof path, "%s/part-0002-001.csv", dir);
    write_file(path, text);
    /* a part file killed before its header was complete */
    snprintf(path, sizeof path, "%s/part-0002-000.csv", dir);
    write_file(path, "run,sta");
    free(text);
    progress_log pg = {.monotone = 1};
    OL_ASSERT_OK(execute(&f, "resume", 2, 0, 0, on_progress, &pg, &s, &err), &err);
    assert_int_equal(s.done_before, 15);
    assert_int_equal(s.ran, 33);
    assert_true(s.complete);
    assert_int_equal(pg.total, 33);
    char *got = runs_of(&f, "resume");
    assert_string_equal(got, full);
    free(got);
    assert_false(exists(resume, "parts"));

    /* a part file of another design: a run beyond this one's */
    char *other = ol_test_path(f.dir, "other");
    mkdir(other, 0777);
    snprintf(dir, sizeof dir, "%s/parts", other);
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/part-0001-000.csv", dir);
    char bad[4096];
    snprintf(bad, sizeof bad, "%s99,ok,,,,0,0,0,0,0,0,0,0,0,0,0,,0.5,0,,1,1,1,1\n", ol_sweep_row_header());
    write_file(path, bad);
    assert_int_equal(execute(&f, "other", 1, 0, 0, NULL, NULL, &s, &err), OL_EPARSE);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "another design"));
    /* a file that is not a part file */
    write_file(path, "a,b\n1,2\n");
    assert_int_equal(execute(&f, "other", 1, 0, 0, NULL, NULL, &s, &err), OL_EPARSE);
    assert_int_equal(err.line, 1);
    free(other);
    free(resume);
    free(full);
    fixture_free(&f);
}

/* The test world with BIC a weighted body in which only the hegemon votes:
 * once it exits, the body has no votes and the run fails (the model's
 * OL_EINVAL).  A calm leader (temperament 0.1) never exits; one of 1 does:
 * runs 1 and 3 fail. */
static const char *const FAIL_DESIGN = "design: grid\n"
                                       "parameters:\n"
                                       "  - {key: threshold.tau, levels: [0.6, 0.7]}\n"
                                       "  - {key: \"leaders[*].temperament\", levels: [0.1, 1]}\n";

static void fixture_failing(fixture *f)
{
    memset(f, 0, sizeof *f);
    test_world_init(&f->tw, 0.08);
    f->tw.inst[3].rule = OL_RULE_WEIGHTED;
    f->tw.inst[3].quota = 0.5;
    f->tw.m_bic[0].votes = 1;
    f->tw.m_bic[1].votes = 0;
    f->p = test_world_params();
    f->l = load(FAIL_DESIGN);
    ol_error err;
    OL_ASSERT_OK(ol_sweep_plan_new(&f->tw.w, &f->p, 0, f->l.d, &f->l.opt, &f->pl, &err), &err);
    f->dir = ol_test_tmpdir();
}

static void test_failed_runs(void **state)
{
    (void)state;
    fixture f;
    fixture_failing(&f);
    ol_error err;
    ol_sweep_stats s;
    /* recorded, and the sweep goes on */
    OL_ASSERT_OK(execute(&f, "on", 2, 1, 0, NULL, NULL, &s, &err), &err);
    assert_true(s.complete);
    assert_int_equal(s.failed, 2);
    char *runs = runs_of(&f, "on");
    const char *l1 = strstr(runs, "\n1,");
    assert_non_null(l1);
    assert_memory_equal(l1, "\n1,failed,\"", 11);
    assert_non_null(strstr(l1, "institution BIC: its members have no votes"));
    assert_non_null(strstr(runs, "\n2,ok,"));
    assert_non_null(strstr(runs, "\n3,failed,"));
    free(runs);
    /* fail-fast: stops with the run's status; no runs.csv; a rerun finishes
     * (the failed run is recorded, not run again) */
    ol_status st = execute(&f, "ff", 1, 1, 1, NULL, NULL, &s, &err);
    assert_int_equal(st, OL_EINVAL);
    assert_non_null(strstr(err.message, "no votes"));
    assert_false(s.complete);
    char *ff = ol_test_path(f.dir, "ff");
    assert_false(exists(ff, "runs.csv"));
    assert_true(exists(ff, "parts"));
    st = execute(&f, "ff", 1, 1, 1, NULL, NULL, &s, &err); /* run 2, then run 3 fails */
    assert_int_equal(st, OL_EINVAL);
    assert_int_equal(s.done_before, 2);
    assert_int_equal(s.ran, 2);
    OL_ASSERT_OK(execute(&f, "ff", 1, 1, 1, NULL, NULL, &s, &err), &err);
    assert_int_equal(s.done_before, 4);
    assert_int_equal(s.ran, 0);
    assert_int_equal(s.failed, 2);
    char *a = runs_of(&f, "on"), *b = runs_of(&f, "ff");
    assert_string_equal(a, b);
    free(a);
    free(b);
    free(ff);
    /* the worker reports the failure in the row too */
    ol_sweep_worker *wk = NULL;
    OL_ASSERT_OK(ol_sweep_worker_new(f.pl, &wk, &err), &err);
    ol_sweep_row row;
    assert_int_equal(ol_sweep_worker_run(wk, 3, &row, &err), OL_EINVAL);
    assert_int_equal(row.ok, 0);
    assert_null(ol_sweep_worker_result(wk));
    assert_int_equal(ol_sweep_worker_run(wk, 4, &row, &err), OL_EINVAL); /* beyond the runs */
    assert_string_equal(err.field, "run");
    OL_ASSERT_OK(ol_sweep_worker_run(wk, 0, &row, &err), &err);
    assert_non_null(ol_sweep_worker_result(wk));
    ol_sweep_worker_free(wk);
    fixture_free(&f);
}

static void test_interrupted(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, LHS_DESIGN, 0);
    ol_error err;
    ol_sweep_stats s;
    progress_log pg = {.monotone = 1, .stop_at = 16};
    assert_int_equal(execute(&f, "x", 2, 1, 0, on_progress, &pg, &s, &err), OL_EINTERRUPTED);
    assert_false(s.complete);
    OL_ASSERT_OK(execute(&f, "x", 1, 0, 0, NULL, NULL, &s, &err), &err);
    assert_true(s.done_before >= 16 && s.done_before < 48);
    assert_int_equal(s.done_before + s.ran, 48);
    OL_ASSERT_OK(execute(&f, "y", 1, 0, 0, NULL, NULL, &s, &err), &err);
    char *a = runs_of(&f, "x"), *b = runs_of(&f, "y");
    assert_string_equal(a, b);
    free(a);
    free(b);
    fixture_free(&f);
}

/* ------------------------------------------------------------ the report */

static void test_report(void **state)
{
    (void)state;
    fixture f;
    fixture_failing(&f);
    ol_error err;
    ol_sweep_stats s;
    OL_ASSERT_OK(execute(&f, "r", 1, 0, 0, NULL, NULL, &s, &err), &err);
    char *dir = ol_test_path(f.dir, "r");
    ol_sweep_meta meta = {"test", 1, 2};
    OL_ASSERT_OK(ol_sweep_report(f.pl, dir, &meta, 0, &err), &err);
    char *path = ol_test_path(dir, "aggregate.csv");
    char *agg = ol_test_slurp(path, NULL);
    free(path);
    /* temperament 0.1: 2 runs, ok (the calm leader); 1: both failed */
    assert_non_null(strstr(agg, "\nleaders[*].temperament,1,0.1,0.1,2,0,"));
    assert_non_null(strstr(agg, "\nleaders[*].temperament,2,1,1,0,2,0,,,,,0,\n"));
    assert_non_null(strstr(agg, "\nthreshold.tau,1,0.6,0.6,1,1,"));
    assert_int_equal(count_lines(agg), 5);
    free(agg);
    path = ol_test_path(dir, "summary.json");
    char *js = ol_test_slurp(path, NULL);
    free(path);
    assert_non_null(strstr(js, "\"failed\":\t2"));
    assert_non_null(strstr(js, "\"world_hash\":\t\"0000000000000002\""));
    free(js);
    assert_false(exists(dir, "sobol.csv")); /* a grid design */
    assert_true(exists(dir, "heatmap.csv"));
    free(dir);
    fixture_free(&f);

    /* a small saltelli design: sobol.csv with three outputs x two parameters,
     * and Wilson intervals that hold the share */
    fixture g;
    fixture_init(&g, "design: saltelli\nsamples: 16\nseed: 3\nparameters:\n"
                     "  - {key: threshold.tau, min: 0.4, max: 0.9}\n"
                     "  - {key: \"leaders[Mercantile].temperament\", min: 0.5, max: 3}\n"
                     "sweep: {bins: 2, bootstrap: 50, wave: {min_exits: 2}}\n",
                 0);
    OL_ASSERT_OK(execute(&g, "s", 2, 0, 0, NULL, NULL, &s, &err), &err);
    dir = ol_test_path(g.dir, "s");
    OL_ASSERT_OK(ol_sweep_report(g.pl, dir, &meta, 0, &err), &err);
    ol_test_table *t = ol_test_table_file((path = ol_test_path(dir, "aggregate.csv")), 0);
    free(path);
    assert_int_equal(t->nrows, 4);
    uint64_t total = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        double p = atof(ol_test_table_get(t, i, "p_wave")), lo = atof(ol_test_table_get(t, i, "p_wave_lo")),
               hi = atof(ol_test_table_get(t, i, "p_wave_hi"));
        assert_true(lo <= p && p <= hi && lo >= 0 && hi <= 1);
        if (!strcmp(ol_test_table_get(t, i, "parameter"), "threshold.tau"))
            total += strtoull(ol_test_table_get(t, i, "runs"), NULL, 10);
    }
    assert_int_equal(total, 64); /* 16 × (2 + 2) */
    ol_test_table_free(t);
    t = ol_test_table_file((path = ol_test_path(dir, "sobol.csv")), 0);
    free(path);
    /* every run has a wave of two exits: no variance, no indices of the
     * exit wave (a note in summary.json, never a NaN); those of the exits
     * and the first exit year */
    assert_int_equal(t->nrows, 4);
    assert_string_equal(ol_test_table_get(t, 0, "output"), "exits");
    assert_string_equal(ol_test_table_get(t, 3, "output"), "first_exit_year");
    assert_string_equal(ol_test_table_get(t, 3, "parameter"), "leaders[Mercantile].temperament");
    for (size_t i = 0; i < t->nrows; i++) {
        double S1 = atof(ol_test_table_get(t, i, "S1")), lo = atof(ol_test_table_get(t, i, "S1_lo")),
               hi = atof(ol_test_table_get(t, i, "S1_hi"));
        assert_true(isfinite(S1) && lo <= hi);
    }
    ol_test_table_free(t);
    path = ol_test_path(dir, "summary.json");
    js = ol_test_slurp(path, NULL);
    free(path);
    assert_non_null(strstr(js, "\"exit_wave\":\t{\n\t\t\t\"computed\":\tfalse,\n\t\t\t\"note\""));
    free(js);
    free(dir);
    fixture_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options),      cmocka_unit_test(test_options_bad),
        cmocka_unit_test(test_keys_bad),     cmocka_unit_test(test_apply),
        cmocka_unit_test(test_sim_update),   cmocka_unit_test(test_summary_hand),
        cmocka_unit_test(test_summary_world), cmocka_unit_test(test_rows),
        cmocka_unit_test(test_threads_identical), cmocka_unit_test(test_resume),
        cmocka_unit_test(test_failed_runs),  cmocka_unit_test(test_interrupted),
        cmocka_unit_test(test_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
