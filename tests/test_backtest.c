/* The backtest: the mapping of model actions and catalog statuses, the
 * confusion matrix, timing and misses on a hand-built world, result and
 * catalog; the dominant account computed by hand; power.known_until in the
 * world builder; a run of the default; bad input. */
#include "testutil.h"

#include "orderlab/backtest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define assert_close(a, b, tol)                                                                     \
    do {                                                                                            \
        double a_ = (a), b_ = (b);                                                                  \
        if (!(fabs(a_ - b_) <= (tol))) fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);          \
    } while (0)

/* ------------------------------------------------------------ mapping */
static void test_mapping(void **state)
{
    (void)state;
    assert_int_equal(ol_backtest_class_of_action(OL_ACT_STAY), OL_BT_STAY);
    assert_int_equal(ol_backtest_class_of_action(OL_ACT_ESCALATE), OL_BT_THREATEN);
    assert_int_equal(ol_backtest_class_of_action(OL_ACT_RENEGOTIATE), OL_BT_RENEGOTIATE);
    assert_int_equal(ol_backtest_class_of_action(OL_ACT_EXIT), OL_BT_EXIT);
    assert_int_equal(ol_backtest_class_of_action(OL_ACT_STAY_OUT), OL_BT_OUT);
    assert_int_equal(ol_backtest_class_of_action(OL_ACT_REJOIN), OL_BT_OUT);
    assert_int_equal(ol_backtest_class_of_action(OL_ACT_NONE), OL_BT_NA);

    ol_backtest_class c;
    int y;
    ol_event ev = {.status = "threatened-exit", .announced = "2018-08-30"};
    assert_true(ol_backtest_classify_event(&ev, &c, &y));
    assert_int_equal(c, OL_BT_THREATEN);
    assert_int_equal(y, 2018);
    ev = (ol_event){.status = "threatened-termination-revised", .announced = "2017-04-27", .reversal = "revised"};
    assert_true(ol_backtest_classify_event(&ev, &c, &y));
    assert_int_equal(c, OL_BT_RENEGOTIATE);
    assert_int_equal(y, 2017);
    /* a notice withdrawn after new terms: renegotiation; without a reversal: a threat */
    ev = (ol_event){.status = "procedure-partly-started", .announced = "2018-10-17", .reversal = "reversed"};
    assert_true(ol_backtest_classify_event(&ev, &c, &y));
    assert_int_equal(c, OL_BT_RENEGOTIATE);
    ev.reversal = NULL;
    assert_true(ol_backtest_classify_event(&ev, &c, &y));
    assert_int_equal(c, OL_BT_THREATEN);
    /* exits: the notice, else the effective date, else the announcement */
    ev = (ol_event){.status = "exited", .announced = "2017-06-01", .notified = "2019-11-04", .effective = "2020-11-04"};
    assert_true(ol_backtest_classify_event(&ev, &c, &y));
    assert_int_equal(c, OL_BT_EXIT);
    assert_int_equal(y, 2019);
    ev = (ol_event){.status = "exited", .announced = "2018-06-19", .effective = "2018-06-19"};
    assert_true(ol_backtest_classify_event(&ev, &c, &y));
    assert_int_equal(y, 2018);
    ev = (ol_event){.status = "shelved", .announced = "2017"};
    assert_true(ol_backtest_classify_event(&ev, &c, &y));
    assert_int_equal(c, OL_BT_EXIT);
    assert_int_equal(y, 2017);
    ev = (ol_event){.status = "rejects-jurisdiction", .announced = "2018-10-03"};
    assert_true(ol_backtest_classify_event(&ev, &c, &y));
    assert_int_equal(c, OL_BT_EXIT);
    /* no date, or no status: not scored */
    ev = (ol_event){.status = "exited"};
    assert_false(ol_backtest_classify_event(&ev, &c, &y));
    ev = (ol_event){.status = "no-such-status", .announced = "2018"};
    assert_false(ol_backtest_classify_event(&ev, &c, &y));
    assert_string_equal(ol_backtest_class_name(OL_BT_RENEGOTIATE), "renegotiate");
    assert_string_equal(ol_backtest_account_name(OL_BT_ACC_CONSTRAINT), "constraint");
}

/* ------------------------------------------------------------ a hand-built case */
enum { NA_ = 2, NK_ = 2, T0_ = 2010, NY_ = 5 };

typedef struct hand {
    ol_model_actor actors[NA_];
    double power[NA_][1];
    ol_model_member mem[NK_][NA_];
    ol_model_institution inst[NK_];
    ol_model_leader leader;
    ol_model_world w;
    ol_model_params p;
    ol_model_inst_year iy[NY_ * NK_];
    ol_model_actor_year ay[NY_ * NA_];
    ol_model_year yr[NY_];
    ol_model_result r;
    ol_event ev[6];
    ol_event_list events;
} hand;

/* A: majority body; B: consensus body.  P_H = 100, σ = 0.5, ω = 0.5 (the
 * leader profile), every λ = 1.
 *   A predicted: stay stay exit out out; record: exit notified 2013, back 2014.
 *   B predicted: stay threaten renegotiate stay stay; record: threat 2011,
 *     renegotiation 2013, exit 2014. */
static void hand_init(hand *h)
{
    memset(h, 0, sizeof *h);
    static const char *codes[NA_] = {"USA", "CHN"};
    for (size_t i = 0; i < NA_; i++) {
        snprintf(h->actors[i].code, sizeof h->actors[i].code, "%s", codes[i]);
        h->actors[i].role = i == 0 ? OL_ROLE_HEGEMON : OL_ROLE_CHALLENGER;
        h->actors[i].seats = 1;
        h->power[i][0] = i == 0 ? 100 : 50;
        h->actors[i].power = h->power[i];
        h->actors[i].npower = 1;
        for (size_t k = 0; k < NK_; k++) h->mem[k][i] = (ol_model_member){.actor = i, .from = 1990, .cost_share = 1};
    }
    h->inst[0] = (ol_model_institution){.code = "A", .rule = OL_RULE_MAJORITY, .quota = 0.5, .founded = 1990,
                                        .nmembers = NA_, .members = h->mem[0]};
    h->inst[1] = (ol_model_institution){.code = "B", .rule = OL_RULE_CONSENSUS, .quota = 1, .founded = 1990,
                                        .nmembers = NA_, .members = h->mem[1]};
    h->leader = (ol_model_leader){.name = "l", .from = T0_, .temperament = 1, .omega = 0.5};
    h->w = (ol_model_world){.t0 = T0_, .t1 = T0_ + NY_ - 1, .nactors = NA_, .actors = h->actors, .ninst = NK_,
                            .inst = h->inst, .nleaders = 1, .leaders = &h->leader};
    ol_model_params_default(&h->p);
    static const ol_model_action act[NK_][NY_] = {
        {OL_ACT_STAY, OL_ACT_STAY, OL_ACT_EXIT, OL_ACT_STAY_OUT, OL_ACT_REJOIN},
        {OL_ACT_STAY, OL_ACT_ESCALATE, OL_ACT_RENEGOTIATE, OL_ACT_STAY, OL_ACT_STAY}};
    for (size_t j = 0; j < NY_; j++) {
        h->yr[j] = (ol_model_year){.year = T0_ + (int)j, .sigma = 0.5, .leader = 0};
        for (size_t i = 0; i < NA_; i++)
            h->ay[j * NA_ + i] = (ol_model_actor_year){.year = T0_ + (int)j, .actor = (uint32_t)i,
                                                        .power = h->power[i][0]};
        for (size_t k = 0; k < NK_; k++) {
            ol_model_inst_year *x = &h->iy[j * NK_ + k];
            x->year = T0_ + (int)j;
            x->inst = (uint32_t)k;
            x->active = 1;
            x->member = 1;
            x->action = act[k][j];
            /* small accounts everywhere: U_exit < 0 */
            x->F = 1;
            x->Rep = 1;
            x->u_exit = -0.02;
            x->u_threaten = -0.01;
        }
    }
    /* A 2012: the exit, computed by hand below */
    ol_model_inst_year *a12 = &h->iy[2 * NK_ + 0];
    a12->F = 1, a12->R = 2, a12->X = 3, a12->Y = 10, a12->Z = 4, a12->Rep = 1, a12->S = 2;
    /* B 2013: a threat would pay (U_threaten > 0 and > U_exit), but the model stayed: terms in force */
    ol_model_inst_year *b13 = &h->iy[3 * NK_ + 1];
    b13->u_threaten = 0.01;
    b13->u_exit = -0.05;
    /* B 2014: privilege held the model in */
    ol_model_inst_year *b14 = &h->iy[4 * NK_ + 1];
    b14->F = 1, b14->R = 8, b14->X = 0, b14->Y = 1, b14->Z = 0, b14->Rep = 1, b14->S = 0;
    /* B 2012: a renegotiation, concession probability 0.6 */
    h->iy[2 * NK_ + 1].p_concede = 0.6;
    h->iy[2 * NK_ + 1].Y = 6;
    h->iy[2 * NK_ + 1].X = 2;

    h->r = (ol_model_result){.t0 = T0_, .t1 = T0_ + NY_ - 1, .nyears = NY_, .nactors = NA_, .ninst = NK_,
                             .actor_years = h->ay, .inst_years = h->iy, .years = h->yr};
    h->ev[0] = (ol_event){.id = "A-exit", .actor = "USA", .institution = "A", .status = "exited",
                          .announced = "2012-05", .notified = "2013-01-01", .reversal = "rejoined",
                          .reversal_date = "2014-02-01"};
    h->ev[1] = (ol_event){.id = "B-threat", .actor = "USA", .institution = "b", .status = "threatened-exit",
                          .announced = "2011-03-01"};
    h->ev[2] = (ol_event){.id = "B-reneg", .actor = "USA", .institution = "B", .status = "threatened-renegotiated",
                          .announced = "2013-04-01"};
    h->ev[3] = (ol_event){.id = "B-exit", .actor = "USA", .institution = "B", .status = "exited",
                          .effective = "2014-06-01"};
    /* skipped: another actor, an institution not in the world, a year before the window */
    h->ev[4] = (ol_event){.id = "C-other", .actor = "CHN", .institution = "A", .status = "exited", .effective = "2011"};
    h->ev[5] = (ol_event){.id = "old", .actor = "USA", .institution = "A", .status = "exited", .effective = "1985"};
    h->events = (ol_event_list){.n = 6, .items = h->ev};
}

static void test_score_hand(void **state)
{
    (void)state;
    hand *h = malloc(sizeof *h);
    hand_init(h);
    ol_backtest *bt = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_backtest_score(&h->w, &h->p, &h->r, &h->events, T0_, T0_ + NY_ - 1, &bt, &err), &err);
    assert_string_equal(bt->hegemon, "USA");
    assert_int_equal(bt->events_used, 4);
    /* observed: A stay stay stay exit out; B stay threaten stay renegotiate exit */
    static const ol_backtest_class obsA[NY_] = {OL_BT_STAY, OL_BT_STAY, OL_BT_STAY, OL_BT_EXIT, OL_BT_OUT};
    static const ol_backtest_class obsB[NY_] = {OL_BT_STAY, OL_BT_THREATEN, OL_BT_STAY, OL_BT_RENEGOTIATE,
                                                OL_BT_EXIT};
    for (size_t j = 0; j < NY_; j++) {
        assert_int_equal(bt->observed[j * NK_ + 0], obsA[j]);
        assert_int_equal(bt->observed[j * NK_ + 1], obsB[j]);
    }
    assert_int_equal(bt->scored, 10);
    assert_int_equal(bt->agree, 5);
    assert_int_equal(bt->confusion[OL_BT_STAY][OL_BT_STAY], 3);
    assert_int_equal(bt->confusion[OL_BT_STAY][OL_BT_EXIT], 1);
    assert_int_equal(bt->confusion[OL_BT_EXIT][OL_BT_OUT], 1);
    assert_int_equal(bt->confusion[OL_BT_OUT][OL_BT_OUT], 1);
    assert_int_equal(bt->confusion[OL_BT_THREATEN][OL_BT_THREATEN], 1);
    assert_int_equal(bt->confusion[OL_BT_STAY][OL_BT_RENEGOTIATE], 1);
    assert_int_equal(bt->confusion[OL_BT_RENEGOTIATE][OL_BT_STAY], 1);
    assert_int_equal(bt->confusion[OL_BT_EXIT][OL_BT_STAY], 1);
    /* timing: A exit predicted 2012, observed 2013: one year early; B on time */
    assert_int_equal(bt->timing[0].predicted_year, 2012);
    assert_int_equal(bt->timing[0].observed_year, 2013);
    assert_true(bt->timing[0].has_error);
    assert_int_equal(bt->timing[0].error, -1);
    assert_int_equal(bt->timing[1].error, 0);
    assert_int_equal(bt->timing[1].observed, OL_BT_THREATEN);
    /* the headline figures from these cells: 5 of 10 agree; the record stays
     * in 5 (so "always stays" also scores 0.5); exit predicted in 1 cell,
     * recorded in 2; both institutions timed, errors −1 and 0 */
    ol_backtest_summary sum;
    ol_backtest_summarise(bt, &sum);
    assert_close(sum.accuracy, 0.5, 0);
    assert_close(sum.always_stay, 0.5, 0);
    assert_int_equal(sum.exits_predicted, 1);
    assert_int_equal(sum.exits_observed, 2);
    assert_int_equal(sum.timing_both, 2);
    assert_int_equal(sum.timing_predicted_only + sum.timing_observed_only + sum.timing_neither, 0);
    assert_close(sum.mean_abs_error, 0.5, 0);
    assert_close(sum.mean_error, -0.5, 0);
    /* nothing scored, nothing timed: zeros, and no mean error to report */
    ol_backtest none = {0};
    ol_backtest_summarise(&none, &sum);
    assert_close(sum.accuracy, 0, 0);
    assert_int_equal(sum.timing_both, 0);
    assert_true(isnan(sum.mean_abs_error) && isnan(sum.mean_error));

    assert_int_equal(bt->nmisses, 5);
    /* A 2012, by hand (shares of P_H = 100, σ = 0.5, ω = 0.5): spillover +0.05,
     * consumption +0.015, constraint +0.02, privilege −0.02, functional −0.01,
     * reputation −0.01, systemic −0.01; U_exit = 0.035; spillover dominates */
    const ol_backtest_miss *m = &bt->misses[0];
    assert_int_equal(m->year, 2012);
    assert_string_equal(m->inst, "A");
    assert_int_equal(m->predicted, OL_BT_EXIT);
    assert_int_equal(m->observed, OL_BT_STAY);
    assert_null(m->event_id);
    assert_int_equal(m->reason, OL_BT_REASON_ACCOUNT);
    assert_int_equal(m->alternative, OL_BT_EXIT);
    assert_int_equal(m->account, OL_BT_ACC_SPILLOVER);
    assert_close(m->contribution, 0.05, 1e-15);
    assert_close(m->terms[OL_BT_ACC_CONSTRAINT], 0.02, 1e-15);
    assert_close(m->terms[OL_BT_ACC_SYSTEMIC], -0.01, 1e-15);
    assert_close(m->utility, 0.035, 1e-15);
    assert_close(m->sigma, 0.5, 0);
    /* A 2013: the model already out, the record's exit */
    assert_int_equal(bt->misses[1].predicted, OL_BT_OUT);
    assert_string_equal(bt->misses[1].event_id, "A-exit");
    /* B 2012: a renegotiation the record does not have, explained by U_threaten */
    m = &bt->misses[2];
    assert_int_equal(m->alternative, OL_BT_THREATEN);
    double total = 0;
    for (size_t a = 0; a < OL_BT_ACC_COUNT; a++) total += m->terms[a];
    assert_close(total, m->utility, 1e-15);
    /* B 2013: terms in force */
    assert_int_equal(bt->misses[3].reason, OL_BT_REASON_TERMS);
    assert_string_equal(bt->misses[3].event_id, "B-reneg");
    /* B 2014, by hand: spillover +0.005, privilege −0.08, functional −0.01,
     * reputation −0.01; U_exit = −0.095; privilege held the model in */
    m = &bt->misses[4];
    assert_int_equal(m->predicted, OL_BT_STAY);
    assert_int_equal(m->observed, OL_BT_EXIT);
    assert_int_equal(m->alternative, OL_BT_EXIT);
    assert_int_equal(m->account, OL_BT_ACC_PRIVILEGE);
    assert_close(m->contribution, -0.08, 1e-15);
    assert_close(m->utility, -0.095, 1e-15);

    /* the outputs */
    char *js = ol_backtest_summary_json(bt);
    assert_non_null(js);
    assert_non_null(strstr(js, "\"accuracy\":\t0.5"));
    assert_non_null(strstr(js, "\"terms_in_force\":\t1"));
    free(js);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    OL_ASSERT_OK(ol_backtest_write_csv(bt, OL_BT_TABLE_CONFUSION, f, &err), &err);
    OL_ASSERT_OK(ol_backtest_write_csv(bt, OL_BT_TABLE_TIMING, f, &err), &err);
    OL_ASSERT_OK(ol_backtest_write_csv(bt, OL_BT_TABLE_MISSES, f, &err), &err);
    fclose(f);
    assert_non_null(strstr(buf, "observed,stay,threaten,exit,renegotiate,out,total\nstay,3,0,1,1,0,5\n"));
    assert_non_null(strstr(buf, "A,2012,exit,2013,exit,-1\n"));
    assert_non_null(strstr(buf, "2012,A,exit,stay,,account,exit,0.035,spillover,0.05,0.5,"));
    assert_non_null(strstr(buf, "2013,B,stay,renegotiate,B-reneg,terms_in_force,threaten,"));
    free(buf);
    ol_backtest_free(bt);

    /* a narrower window */
    OL_ASSERT_OK(ol_backtest_score(&h->w, &h->p, &h->r, &h->events, 2011, 2012, &bt, &err), &err);
    assert_int_equal(bt->scored, 4);
    assert_int_equal(bt->events_used, 1);
    ol_backtest_free(bt);
    /* bad windows */
    assert_int_equal(ol_backtest_score(&h->w, &h->p, &h->r, &h->events, 2009, 2012, &bt, &err), OL_EINVAL);
    assert_string_equal(err.field, "from");
    assert_null(bt);
    assert_int_equal(ol_backtest_score(&h->w, &h->p, &h->r, &h->events, 2011, 2015, &bt, &err), OL_EINVAL);
    assert_string_equal(err.field, "to");
    assert_int_equal(ol_backtest_score(&h->w, &h->p, &h->r, &h->events, 2012, 2011, &bt, &err), OL_EINVAL);
    double terms[OL_BT_ACC_COUNT];
    assert_int_equal(ol_backtest_decompose(&h->w, &h->p, &h->r, 0, 0, OL_BT_STAY, terms, NULL, &err), OL_EINVAL);
    assert_int_equal(ol_backtest_decompose(&h->w, &h->p, &h->r, NY_, 0, OL_BT_EXIT, terms, NULL, &err), OL_EINVAL);
    free(h);
}

/* The decomposition adds up to the utilities the model chose with, on a real run. */
static void test_decompose_run(void **state)
{
    (void)state;
    ol_scenario *sc = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_scenario_default(NULL, &sc, &err), &err);
    ol_simulate_world *sw = NULL;
    OL_ASSERT_OK(ol_simulate_world_new(NULL, sc, &sw, &err), &err);
    ol_model_params p;
    ol_scenario_model_params(sc, &p);
    const ol_model_world *w = ol_simulate_world_model(sw);
    ol_model_result *r = NULL;
    OL_ASSERT_OK(ol_model_run(w, &p, 1, 0, &r, &err), &err);
    size_t checked = 0;
    for (size_t j = 0; j < r->nyears; j++)
        for (size_t k = 0; k < r->ninst; k++) {
            const ol_model_inst_year *iy = &r->inst_years[j * r->ninst + k];
            if (!iy->member || iy->action == OL_ACT_NONE) continue;
            double t[OL_BT_ACC_COUNT], ue, ut, s = 0;
            OL_ASSERT_OK(ol_backtest_decompose(w, &p, r, j, k, OL_BT_EXIT, t, &ue, &err), &err);
            for (size_t a = 0; a < OL_BT_ACC_COUNT; a++) s += t[a];
            assert_close(ue, iy->u_exit, 1e-12);
            assert_close(s, ue, 1e-12);
            OL_ASSERT_OK(ol_backtest_decompose(w, &p, r, j, k, OL_BT_THREATEN, t, &ut, &err), &err);
            s = 0;
            for (size_t a = 0; a < OL_BT_ACC_COUNT; a++) s += t[a];
            assert_close(ut, iy->u_threaten, 1e-12);
            assert_close(s, ut, 1e-12);
            checked++;
        }
    assert_true(checked > 100);
    ol_model_result_free(r);
    ol_simulate_world_free(sw);
    ol_scenario_free(sc);
}

/* ------------------------------------------------------------ known_until */
static void test_known_until(void **state)
{
    (void)state;
    ol_scenario *sc = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_scenario_default(NULL, &sc, &err), &err);
    /* all data, from 1998: the facts to 2023 */
    sc->params.year_start = 1998;
    ol_simulate_world *full = NULL, *cut = NULL;
    OL_ASSERT_OK(ol_simulate_world_new(NULL, sc, &full, &err), &err);
    const ol_model_world *wf = ol_simulate_world_model(full);
    assert_int_equal(ol_simulate_world_info_get(full)->power_data_end, 2023);
    /* known until 2008, from 2008: one data year, the growth of 1998-2008 */
    sc->params.year_start = 2008;
    sc->params.power_known_until = 2008;
    OL_ASSERT_OK(ol_simulate_world_new(NULL, sc, &cut, &err), &err);
    const ol_model_world *wc = ol_simulate_world_model(cut);
    assert_int_equal(ol_simulate_world_info_get(cut)->power_data_end, 2008);
    for (size_t i = 0; i < wc->nactors; i++) {
        assert_int_equal(wc->actors[i].npower, 1);
        assert_close(wc->actors[i].power[0], wf->actors[i].power[10], 1e-6 * wf->actors[i].power[10]);
        double g = pow(wf->actors[i].power[10] / wf->actors[i].power[0], 0.1) - 1;
        assert_close(wc->actors[i].growth, g, 1e-9);
        /* surpluses: the 2008 value only, later ones scale with power */
        if (wc->actors[i].surplus) assert_int_equal(wc->actors[i].nsurplus, 1);
    }
    ol_simulate_world_free(cut);
    /* known until 2012 from 2008: five data years */
    sc->params.power_known_until = 2012;
    OL_ASSERT_OK(ol_simulate_world_new(NULL, sc, &cut, &err), &err);
    assert_int_equal(ol_simulate_world_model(cut)->actors[0].npower, 5);
    ol_simulate_world_free(cut);
    /* before the start year: an error naming the key */
    sc->params.power_known_until = 2007;
    assert_int_equal(ol_simulate_world_new(NULL, sc, &cut, &err), OL_EVALIDATE);
    assert_string_equal(err.field, "power.known_until");
    assert_null(cut);
    ol_simulate_world_free(full);
    ol_scenario_free(sc);
}

/* ------------------------------------------------------------ the default */
static void test_run_default(void **state)
{
    (void)state;
    ol_test_fixture *f = ol_test_fixture_new();
    ol_scenario *sc = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_scenario_default(f->s, &sc, &err), &err);
    ol_backtest *bt = NULL;
    OL_ASSERT_OK(ol_backtest_run(f->s, sc, NULL, &bt, &err), &err);
    assert_int_equal(bt->from, OL_BACKTEST_DEFAULT_FROM);
    assert_int_equal(bt->to, OL_BACKTEST_DEFAULT_TO);
    assert_int_equal(bt->known_until, OL_BACKTEST_DEFAULT_FROM);
    assert_string_equal(bt->scenario, "default");
    assert_int_equal(bt->ninst, sc->ninstitutions);
    assert_true(bt->scored > 0 && bt->agree <= bt->scored);
    assert_true(bt->events_used > 0);
    /* the scenario itself is left as it was */
    assert_int_equal(sc->params.year_start, 1990);
    assert_int_equal(sc->params.power_known_until, 0);
    /* the miss ids are the result's own */
    for (size_t i = 0; i < bt->nmisses; i++)
        if (bt->misses[i].event_id) assert_true(strlen(bt->misses[i].event_id) > 0);
    ol_backtest_free(bt);

    /* a start year outside the scenario's years */
    ol_backtest_options opt = {.from = 1980};
    assert_int_equal(ol_backtest_run(f->s, sc, &opt, &bt, &err), OL_EINVAL);
    assert_string_equal(err.field, "from");
    assert_null(bt);
    opt = (ol_backtest_options){.from = 2031};
    assert_int_equal(ol_backtest_run(f->s, sc, &opt, &bt, &err), OL_EINVAL);
    opt = (ol_backtest_options){.from = 2010, .to = 2009};
    assert_int_equal(ol_backtest_run(f->s, sc, &opt, &bt, &err), OL_EINVAL);
    assert_string_equal(err.field, "to");
    assert_int_equal(ol_backtest_run(NULL, sc, NULL, &bt, &err), OL_EINVAL);
    ol_scenario_free(sc);
    ol_test_fixture_free(f);
}

/* ------------------------------------------------------------ hold_leader */
/* Holding the start year's leader profile is the run of the same scenario
 * with its later profiles cut off: identical before the first dropped
 * profile's year, and the same as a scenario written without them. */
static void test_hold_leader(void **state)
{
    (void)state;
    ol_test_fixture *f = ol_test_fixture_new();
    ol_scenario *sc = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_scenario_default(f->s, &sc, &err), &err);
    const int from = OL_BACKTEST_DEFAULT_FROM;
    size_t known = 0;
    while (known < sc->nleaders && sc->leaders[known].from <= from) known++;
    assert_true(known >= 1 && known < sc->nleaders); /* the default has profiles after 2008 */
    const int first_dropped = (int)sc->leaders[known].from;

    ol_backtest *as_is = NULL, *held = NULL, *cut = NULL;
    OL_ASSERT_OK(ol_backtest_run(f->s, sc, NULL, &as_is, &err), &err);
    ol_backtest_options opt = {.hold_leader = 1};
    OL_ASSERT_OK(ol_backtest_run(f->s, sc, &opt, &held, &err), &err);
    assert_int_equal(as_is->hold_leader, 0);
    assert_int_equal(as_is->leaders_dropped, 0);
    assert_int_equal(held->hold_leader, 1);
    assert_int_equal(held->leaders_dropped, sc->nleaders - known);
    assert_string_equal(held->leader, sc->leaders[known - 1].name);
    assert_string_equal(as_is->leader, held->leader);
    assert_int_equal(sc->nleaders, known + held->leaders_dropped); /* the scenario is left as it was */

    /* the same years and institutions; identical classes before the first dropped profile */
    assert_int_equal(held->ninst, as_is->ninst);
    size_t nyears = (size_t)(held->to - held->from + 1), diff_after = 0;
    for (size_t j = 0; j < nyears; j++)
        for (size_t k = 0; k < held->ninst; k++) {
            size_t c = j * held->ninst + k;
            assert_int_equal(held->observed[c], as_is->observed[c]);
            if (held->from + (int)j < first_dropped) assert_int_equal(held->predicted[c], as_is->predicted[c]);
            else diff_after += held->predicted[c] != as_is->predicted[c];
        }
    /* the dropped profile is not inert: it changes some later prediction */
    assert_true(diff_after > 0);

    /* a scenario without the later profiles gives the held run exactly */
    size_t all = sc->nleaders;
    sc->nleaders = known;
    OL_ASSERT_OK(ol_backtest_run(f->s, sc, NULL, &cut, &err), &err);
    sc->nleaders = all;
    assert_memory_equal(cut->confusion, held->confusion, sizeof held->confusion);
    assert_memory_equal(cut->predicted, held->predicted, nyears * held->ninst * sizeof *held->predicted);
    assert_int_equal(cut->leaders_dropped, 0);
    ol_backtest_free(cut);

    /* from inside a later profile: that one is held */
    ol_backtest_free(held);
    held = NULL;
    opt.from = first_dropped + 1;
    OL_ASSERT_OK(ol_backtest_run(f->s, sc, &opt, &held, &err), &err);
    size_t known2 = 0;
    while (known2 < sc->nleaders && sc->leaders[known2].from <= opt.from) known2++;
    assert_string_equal(held->leader, sc->leaders[known2 - 1].name);
    assert_int_equal(held->leaders_dropped, sc->nleaders - known2);

    /* the summary says which */
    char *js = ol_backtest_summary_json(held);
    assert_non_null(js);
    assert_non_null(strstr(js, "\"profiles\":\t\"held\""));
    free(js);
    js = ol_backtest_summary_json(as_is);
    assert_non_null(strstr(js, "\"profiles\":\t\"scenario\""));
    free(js);
    ol_backtest_free(held);
    ol_backtest_free(as_is);
    ol_scenario_free(sc);
    ol_test_fixture_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mapping),
        cmocka_unit_test(test_score_hand),
        cmocka_unit_test(test_decompose_run),
        cmocka_unit_test(test_known_until),
        cmocka_unit_test(test_run_default),
        cmocka_unit_test(test_hold_leader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
