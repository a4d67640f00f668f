/* Runs of a scenario: one, or many (Monte Carlo), with a summary of what the
 * hegemon did in each institution. */
#include "orderlab/simulate.h"

#include <stdlib.h>
#include <string.h>

void ol_simulate_options_init(ol_simulate_options *o)
{
    memset(o, 0, sizeof *o);
    o->runs = 1;
    o->stochastic = -1;
}

void ol_simulate_summary_free(ol_simulate_summary *s)
{
    if (!s) return;
    for (size_t k = 0; s->inst && k < s->ninst; k++) {
        free(s->inst[k].first_threat);
        free(s->inst[k].first_exit);
    }
    free(s->inst);
    free(s->first_threat);
    free(s->first_exit);
    memset(s, 0, sizeof *s);
}

static ol_status summary_init(ol_simulate_summary *s, const ol_model_world *w, size_t runs, int stochastic,
                              uint64_t seed, ol_error *err)
{
    memset(s, 0, sizeof *s);
    s->runs = runs;
    s->stochastic = stochastic;
    s->seed = seed;
    s->t0 = w->t0;
    s->t1 = w->t1;
    s->nyears = (size_t)(w->t1 - w->t0 + 1);
    s->ninst = w->ninst;
    size_t nb = s->nyears + 1;
    s->inst = calloc(w->ninst ? w->ninst : 1, sizeof *s->inst);
    s->first_threat = calloc(nb, sizeof *s->first_threat);
    s->first_exit = calloc(nb, sizeof *s->first_exit);
    int ok = s->inst && s->first_threat && s->first_exit;
    for (size_t k = 0; ok && k < w->ninst; k++) {
        memcpy(s->inst[k].code, w->inst[k].code, sizeof s->inst[k].code);
        s->inst[k].first_threat = calloc(nb, sizeof(size_t));
        s->inst[k].first_exit = calloc(nb, sizeof(size_t));
        ok = s->inst[k].first_threat && s->inst[k].first_exit;
    }
    if (!ok) {
        ol_simulate_summary_free(s);
        return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    return OL_OK;
}

/* Adds one run's events: the first year of each kind per institution and
 * over all institutions. */
static void summary_add(ol_simulate_summary *s, const ol_model_result *r, size_t *ft, size_t *fx,
                        unsigned char *seen)
{
    size_t nk = s->ninst, never = s->nyears;
    for (size_t k = 0; k < nk; k++) ft[k] = fx[k] = never;
    memset(seen, 0, nk * 3);
    size_t gt = never, gx = never;
    for (size_t e = 0; e < r->nevents; e++) {
        const ol_model_event *ev = &r->events[e];
        size_t k = ev->inst, j = (size_t)(ev->year - s->t0);
        if (k >= nk || j >= s->nyears) continue;
        switch (ev->action) {
        case OL_ACT_THREATEN:
            if (ft[k] == never) ft[k] = j;
            if (gt == never) gt = j;
            break;
        case OL_ACT_EXIT:
            if (fx[k] == never) fx[k] = j;
            if (gx == never) gx = j;
            break;
        case OL_ACT_RENEGOTIATE: seen[3 * k] = 1; break;
        case OL_ACT_ESCALATE: seen[3 * k + 1] = 1; break;
        case OL_ACT_REJOIN: seen[3 * k + 2] = 1; break;
        default: break;
        }
    }
    for (size_t k = 0; k < nk; k++) {
        ol_simulate_inst_summary *x = &s->inst[k];
        x->threat_runs += ft[k] != never;
        x->exit_runs += fx[k] != never;
        x->renegotiate_runs += seen[3 * k];
        x->escalate_runs += seen[3 * k + 1];
        x->rejoin_runs += seen[3 * k + 2];
        x->first_threat[ft[k]]++;
        x->first_exit[fx[k]]++;
    }
    s->first_threat[gt]++;
    s->first_exit[gx]++;
}

static void summary_finish(ol_simulate_summary *s)
{
    double n = s->runs ? (double)s->runs : 1.0;
    for (size_t k = 0; k < s->ninst; k++) {
        ol_simulate_inst_summary *x = &s->inst[k];
        x->share_threat = (double)x->threat_runs / n;
        x->share_exit = (double)x->exit_runs / n;
        x->share_renegotiate = (double)x->renegotiate_runs / n;
        x->share_escalate = (double)x->escalate_runs / n;
        x->share_rejoin = (double)x->rejoin_runs / n;
    }
}

ol_status ol_simulate_run_world(const ol_simulate_world *sw, const ol_model_params *params, uint64_t seed,
                                size_t runs, int stochastic, ol_model_result **first, ol_simulate_summary *summary,
                                ol_error *err)
{
    ol_error_clear(err);
    if (summary) memset(summary, 0, sizeof *summary);
    if (!sw || !params) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no world or parameters");
    if (runs == 0) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "runs", "at least one run is needed");
    const ol_model_world *w = ol_simulate_world_model(sw);
    ol_model_sim *sim = NULL;
    ol_status st = ol_model_sim_new(w, params, &sim, err);
    if (st) return st;
    ol_simulate_summary sum;
    size_t *ft = NULL, *fx = NULL;
    unsigned char *seen = NULL;
    if (summary) {
        st = summary_init(&sum, w, runs, stochastic != 0, seed, err);
        if (st) {
            ol_model_sim_free(sim);
            return st;
        }
        ft = malloc((w->ninst + 1) * sizeof *ft);
        fx = malloc((w->ninst + 1) * sizeof *fx);
        seen = malloc(3 * w->ninst + 1);
        if (!ft || !fx || !seen) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    ol_model_result *r0 = NULL, *r = NULL;
    for (size_t run = 0; run < runs && !st; run++) {
        /* run 0's result is kept apart; later runs reuse one buffer */
        ol_model_result **dst = run == 0 ? &r0 : &r;
        st = ol_model_sim_run(sim, ol_model_seed(seed, run), stochastic != 0, dst, err);
        if (!st && summary) summary_add(&sum, *dst, ft, fx, seen);
    }
    ol_model_result_free(r);
    ol_model_sim_free(sim);
    free(ft);
    free(fx);
    free(seen);
    if (st) {
        ol_model_result_free(r0);
        if (summary) ol_simulate_summary_free(&sum);
        return st;
    }
    if (summary) {
        summary_finish(&sum);
        *summary = sum;
    }
    if (first) {
        ol_model_result_free(*first);
        *first = r0;
    } else {
        ol_model_result_free(r0);
    }
    return OL_OK;
}

ol_status ol_simulate_run(ol_store *store, const ol_scenario *sc, const ol_simulate_options *opt,
                          ol_model_result **first, ol_simulate_summary *summary, ol_error *err)
{
    ol_error_clear(err);
    if (summary) memset(summary, 0, sizeof *summary);
    if (!sc) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no scenario");
    ol_simulate_options o;
    if (opt) o = *opt;
    else ol_simulate_options_init(&o);
    uint64_t seed = o.seed_set ? o.seed : (uint64_t)sc->params.seed;
    int stochastic = o.stochastic >= 0 ? o.stochastic != 0 : sc->params.choice_rule == OL_SC_CHOICE_LOGIT;
    ol_model_params p;
    ol_scenario_model_params(sc, &p);
    ol_status st = ol_model_params_check(&p, err);
    if (st) return st;
    ol_simulate_world *w = NULL;
    st = ol_simulate_world_new(store, sc, &w, err);
    if (st) return st;
    st = ol_simulate_run_world(w, &p, seed, o.runs, stochastic, first, summary, err);
    ol_simulate_world_free(w);
    return st;
}
