/* The backtest: the model from a start year, with only the data known then,
 * against the exit-event catalog.  The method and the mapping tables are in
 * docs/backtest.md; the comments here say why. */
#include "orderlab/backtest.h"

#include "orderlab/simulate.h"
#include "util/text.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ================================================================ names */
static const char *const class_names[OL_BT_CLASS_COUNT + 1] = {"stay", "threaten", "exit", "renegotiate", "out",
                                                               "n/a"};
static const char *const account_names[OL_BT_ACC_COUNT] = {"spillover", "consumption", "constraint", "privilege",
                                                           "functional", "reputation", "systemic"};
static const char *const reason_names[OL_BT_REASON_COUNT] = {"account", "terms_in_force"};

const char *ol_backtest_class_name(ol_backtest_class c)
{
    return (unsigned)c <= OL_BT_CLASS_COUNT ? class_names[c] : "n/a";
}

const char *ol_backtest_account_name(ol_backtest_account a)
{
    return (unsigned)a < OL_BT_ACC_COUNT ? account_names[a] : "";
}

const char *ol_backtest_reason_name(ol_backtest_reason r)
{
    return (unsigned)r < OL_BT_REASON_COUNT ? reason_names[r] : "";
}

/* ================================================================ mapping */
ol_backtest_class ol_backtest_class_of_action(ol_model_action a)
{
    switch (a) {
    case OL_ACT_STAY: return OL_BT_STAY;
    case OL_ACT_ESCALATE: return OL_BT_THREATEN;     /* refused, H stayed: a threat that came to nothing */
    case OL_ACT_RENEGOTIATE: return OL_BT_RENEGOTIATE; /* conceded */
    case OL_ACT_EXIT: return OL_BT_EXIT;
    case OL_ACT_STAY_OUT:
    case OL_ACT_REJOIN: return OL_BT_OUT;
    default: return OL_BT_NA;
    }
}

/* Statuses that mean the hegemon left (or never took up) the body: scored as
 * an exit in the year of the formal act. */
static const char *const exit_statuses[] = {"exited",   "shelved",    "rejects-jurisdiction", "unsigned",
                                            "walked-out", "refused-to-sign", "refused-to-ratify"};

int ol_backtest_classify_event(const ol_event *ev, ol_backtest_class *cls, int *year)
{
    if (!ev || !ev->status) return 0;
    const char *s = ev->status;
    int announced = ol_iso_date_year(ev->announced);
    if (!strcmp(s, "threatened-exit")) {
        if (!announced) return 0;
        *cls = OL_BT_THREATEN;
        *year = announced;
        return 1;
    }
    if (!strcmp(s, "threatened-renegotiated") || !strcmp(s, "threatened-termination-revised")) {
        if (!announced) return 0;
        *cls = OL_BT_RENEGOTIATE;
        *year = announced;
        return 1;
    }
    if (!strcmp(s, "procedure-partly-started")) {
        /* a notice used as a threat: renegotiation when it ended in revised terms */
        int y = announced ? announced : ol_iso_date_year(ev->notified);
        if (!y) return 0;
        const char *rv = ev->reversal;
        *cls = rv && (!strcmp(rv, "reversed") || !strcmp(rv, "revised") || !strcmp(rv, "replaced"))
                   ? OL_BT_RENEGOTIATE
                   : OL_BT_THREATEN;
        *year = y;
        return 1;
    }
    for (size_t i = 0; i < sizeof exit_statuses / sizeof *exit_statuses; i++) {
        if (strcmp(s, exit_statuses[i])) continue;
        /* the formal act: the notice, else the effective date, else the announcement */
        int y = ol_iso_date_year(ev->notified);
        if (!y) y = ol_iso_date_year(ev->effective);
        if (!y) y = announced;
        if (!y) return 0;
        *cls = OL_BT_EXIT;
        *year = y;
        return 1;
    }
    return 0;
}

/* ================================================================ accounts */
static long hegemon_of(const ol_model_world *w)
{
    for (size_t i = 0; i < w->nactors; i++)
        if (w->actors[i].role == OL_ROLE_HEGEMON) return (long)i;
    return -1;
}

ol_status ol_backtest_decompose(const ol_model_world *w, const ol_model_params *p, const ol_model_result *r,
                                size_t j, size_t k, ol_backtest_class alternative,
                                double terms[OL_BT_ACC_COUNT], double *total, ol_error *err)
{
    if (!w || !p || !r || !terms || j >= r->nyears || k >= r->ninst || k >= w->ninst ||
        (alternative != OL_BT_EXIT && alternative != OL_BT_THREATEN))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no such institution-year or alternative");
    long h = hegemon_of(w);
    if (h < 0 || (size_t)h >= r->nactors) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no hegemon");
    const ol_model_inst_year *iy = &r->inst_years[j * r->ninst + k];
    const ol_model_year *yr = &r->years[j];
    double omega = yr->leader >= 0 && (size_t)yr->leader < w->nleaders ? w->leaders[yr->leader].omega : p->omega;
    ol_model_accounts a = {.F = iy->F, .R = iy->R, .X = iy->X, .Y = iy->Y, .Z = iy->Z, .Rep = iy->Rep, .S = iy->S};
    double PH = r->actor_years[j * r->nactors + (size_t)h].power;
    ol_model_utilities u;
    /* the same function the model chose with, so that the terms add up to its utilities */
    ol_model_utilities_compute(p, &a, PH, yr->sigma, omega, iy->p_concede, w->inst[k].rule == OL_RULE_WEIGHTED, &u);
    double e[OL_BT_ACC_COUNT] = {0};
    if (PH > 0) {
        e[OL_BT_ACC_SPILLOVER] = u.term_Y;
        e[OL_BT_ACC_CONSUMPTION] = u.term_X;
        e[OL_BT_ACC_CONSTRAINT] = u.term_Z;
        e[OL_BT_ACC_PRIVILEGE] = -a.R / PH;
        e[OL_BT_ACC_FUNCTIONAL] = -a.F / PH;
        e[OL_BT_ACC_REPUTATION] = -a.Rep / PH;
        e[OL_BT_ACC_SYSTEMIC] = -omega * a.S / PH;
    }
    if (alternative == OL_BT_EXIT) {
        memcpy(terms, e, sizeof e);
        if (total) *total = u.exit_;
        return OL_OK;
    }
    /* U_threaten = p V + (1 − p) max(U_exit, escalation) − φ Rep */
    double q = 1.0 - u.p;
    int via_exit = u.exit_ > u.escalate;
    for (size_t i = 0; i < OL_BT_ACC_COUNT; i++) terms[i] = via_exit ? q * e[i] : 0.0;
    if (!via_exit) terms[OL_BT_ACC_SPILLOVER] = q * u.escalate;
    terms[OL_BT_ACC_SPILLOVER] += u.p * u.v_Y;
    terms[OL_BT_ACC_CONSUMPTION] += u.p * u.v_X;
    terms[OL_BT_ACC_PRIVILEGE] += u.p * u.v_nu;
    terms[OL_BT_ACC_REPUTATION] -= PH > 0 ? p->phi * a.Rep / PH : 0.0;
    if (total) *total = u.threaten;
    return OL_OK;
}

/* ================================================================ scoring */
void ol_backtest_free(ol_backtest *bt)
{
    if (!bt) return;
    free(bt->timing);
    free(bt->misses);
    free(bt->predicted);
    free(bt->observed);
    free(bt->ids);
    free(bt);
}

/* Which observed class wins when the record has two events in one year. */
static int class_rank(ol_backtest_class c)
{
    switch (c) {
    case OL_BT_EXIT: return 3;
    case OL_BT_RENEGOTIATE: return 2;
    case OL_BT_THREATEN: return 1;
    default: return 0;
    }
}

static int is_action(ol_backtest_class c)
{
    return c == OL_BT_THREATEN || c == OL_BT_EXIT || c == OL_BT_RENEGOTIATE;
}

/* The reason of a miss: the account whose term pushed the model's choice
 * hardest — towards the action it took, or, when it stayed, against the
 * action of the record. */
static ol_status explain(const ol_model_world *w, const ol_model_params *p, const ol_model_result *r, size_t jr,
                         size_t k, ol_backtest_miss *m, ol_error *err)
{
    double dir = 1.0;
    if (m->predicted == OL_BT_EXIT || m->predicted == OL_BT_OUT) m->alternative = OL_BT_EXIT;
    else if (m->predicted == OL_BT_THREATEN || m->predicted == OL_BT_RENEGOTIATE) m->alternative = OL_BT_THREATEN;
    else {
        dir = -1.0;
        m->alternative = m->observed == OL_BT_THREATEN || m->observed == OL_BT_RENEGOTIATE ? OL_BT_THREATEN
                                                                                            : OL_BT_EXIT;
    }
    ol_status st = ol_backtest_decompose(w, p, r, jr, k, m->alternative, m->terms, &m->utility, err);
    if (st) return st;
    m->sigma = r->years[jr].sigma;
    const ol_model_inst_year *iy = &r->inst_years[jr * r->ninst + k];
    m->reason = OL_BT_REASON_ACCOUNT;
    if (m->predicted == OL_BT_STAY && m->alternative == OL_BT_THREATEN && iy->u_threaten > iy->u_stay &&
        iy->u_threaten >= iy->u_exit)
        m->reason = OL_BT_REASON_TERMS; /* the threat paid, but the choice set had none */
    size_t best = 0;
    for (size_t a = 1; a < OL_BT_ACC_COUNT; a++)
        if (dir * m->terms[a] > dir * m->terms[best]) best = a;
    m->account = (ol_backtest_account)best;
    m->contribution = m->terms[best];
    return OL_OK;
}

ol_status ol_backtest_score(const ol_model_world *w, const ol_model_params *p, const ol_model_result *r,
                            const ol_event_list *events, int from, int to, ol_backtest **out, ol_error *err)
{
    ol_error_clear(err);
    if (!w || !p || !r || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "missing argument");
    *out = NULL;
    if (from < r->t0 || from > r->t1)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "from", "the first year scored, %d, is outside the run's "
                            "years %d-%d", from, r->t0, r->t1);
    if (to < from || to > r->t1)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "to", "the last year scored, %d, is outside %d-%d", to, from,
                            r->t1);
    long h = hegemon_of(w);
    if (h < 0 || r->ninst != w->ninst || r->nactors != w->nactors)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "the result does not belong to the world");
    size_t nk = w->ninst, ny = (size_t)(to - from + 1), off = (size_t)(from - r->t0);
    ol_backtest *bt = calloc(1, sizeof *bt);
    int *obs_event = calloc(ny * (nk ? nk : 1), sizeof *obs_event);       /* index+1 of the event */
    unsigned char *out_year = calloc(ny * (nk ? nk : 1), 1);              /* out after an exit */
    if (!bt || !obs_event || !out_year) goto nomem;
    bt->from = from;
    bt->to = to;
    bt->ninst = nk;
    snprintf(bt->hegemon, sizeof bt->hegemon, "%s", w->actors[h].code);
    bt->predicted = malloc(ny * (nk ? nk : 1) * sizeof *bt->predicted);
    bt->observed = malloc(ny * (nk ? nk : 1) * sizeof *bt->observed);
    bt->timing = calloc(nk ? nk : 1, sizeof *bt->timing);
    if (!bt->predicted || !bt->observed || !bt->timing) goto nomem;

    for (size_t j = 0; j < ny; j++)
        for (size_t k = 0; k < nk; k++)
            bt->predicted[j * nk + k] = ol_backtest_class_of_action(r->inst_years[(j + off) * nk + k].action);

    /* the record: the hegemon's events on the world's institutions */
    ol_backtest_class *ev_class = calloc(events && events->n ? events->n : 1, sizeof *ev_class);
    if (!ev_class) goto nomem;
    for (size_t e = 0; events && e < events->n; e++) {
        const ol_event *ev = &events->items[e];
        ol_backtest_class c;
        int y;
        if (!ev->actor || strcmp(ev->actor, bt->hegemon) || !ev->institution) continue;
        size_t k = 0;
        while (k < nk && strcasecmp(w->inst[k].code, ev->institution)) k++;
        if (k == nk || !ol_backtest_classify_event(ev, &c, &y) || y < from || y > to) continue;
        ev_class[e] = c;
        bt->events_used++;
        size_t j = (size_t)(y - from);
        if (bt->predicted[j * nk + k] == OL_BT_NA) bt->events_unscored++;
        int *slot = &obs_event[j * nk + k];
        if (!*slot || class_rank(c) > class_rank(ev_class[*slot - 1])) *slot = (int)e + 1;
        if (c == OL_BT_EXIT) {
            /* out from the next year until the return (a reversal's year), else to the end */
            int back = ev->reversal ? ol_iso_date_year(ev->reversal_date) : 0;
            for (int t = y + 1; t <= to && (back == 0 || t <= back); t++) out_year[(size_t)(t - from) * nk + k] = 1;
        }
    }
    for (size_t j = 0; j < ny; j++)
        for (size_t k = 0; k < nk; k++) {
            size_t c = j * nk + k;
            ol_backtest_class o = OL_BT_STAY;
            if (bt->predicted[c] == OL_BT_NA) o = OL_BT_NA;
            else if (obs_event[c]) o = ev_class[obs_event[c] - 1];
            else if (out_year[c]) o = OL_BT_OUT;
            bt->observed[c] = o;
        }

    /* confusion and timing */
    size_t nmiss = 0;
    for (size_t k = 0; k < nk; k++) {
        ol_backtest_timing *t = &bt->timing[k];
        snprintf(t->inst, sizeof t->inst, "%s", w->inst[k].code);
        t->predicted = t->observed = OL_BT_NA;
        for (size_t j = 0; j < ny; j++) {
            ol_backtest_class pc = bt->predicted[j * nk + k], oc = bt->observed[j * nk + k];
            if (!t->predicted_year && is_action(pc)) t->predicted_year = from + (int)j, t->predicted = pc;
            if (!t->observed_year && is_action(oc)) t->observed_year = from + (int)j, t->observed = oc;
            if (pc == OL_BT_NA || oc == OL_BT_NA) continue;
            bt->confusion[oc][pc]++;
            bt->scored++;
            if (pc == oc) bt->agree++;
            else nmiss++;
        }
        t->has_error = t->predicted_year && t->observed_year;
        t->error = t->has_error ? t->predicted_year - t->observed_year : 0;
    }

    /* misses, each with its reason */
    bt->misses = calloc(nmiss ? nmiss : 1, sizeof *bt->misses);
    if (!bt->misses) {
        free(ev_class);
        goto nomem;
    }
    for (size_t k = 0; k < nk; k++)
        for (size_t j = 0; j < ny; j++) {
            size_t c = j * nk + k;
            ol_backtest_class pc = bt->predicted[c], oc = bt->observed[c];
            if (pc == OL_BT_NA || oc == OL_BT_NA || pc == oc) continue;
            ol_backtest_miss *m = &bt->misses[bt->nmisses++];
            m->year = from + (int)j;
            snprintf(m->inst, sizeof m->inst, "%s", w->inst[k].code);
            m->predicted = pc;
            m->observed = oc;
            m->event_id = obs_event[c] ? events->items[obs_event[c] - 1].id : NULL;
            ol_status st = explain(w, p, r, j + off, k, m, err);
            if (st) {
                free(ev_class);
                free(obs_event);
                free(out_year);
                ol_backtest_free(bt);
                return st;
            }
        }
    free(ev_class);
    free(obs_event);
    free(out_year);
    *out = bt;
    return OL_OK;
nomem:
    free(obs_event);
    free(out_year);
    ol_backtest_free(bt);
    return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
}

/* ================================================================ the run */
ol_status ol_backtest_run(ol_store *store, const ol_scenario *sc, const ol_backtest_options *opt,
                          ol_backtest **out, ol_error *err)
{
    ol_error_clear(err);
    if (!store || !sc || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "missing argument");
    *out = NULL;
    int from = opt && opt->from ? opt->from : OL_BACKTEST_DEFAULT_FROM;
    int to = opt && opt->to ? opt->to : OL_BACKTEST_DEFAULT_TO;
    int t0 = (int)sc->params.year_start, t1 = (int)sc->params.year_end;
    if (from < t0 || from > t1)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "from",
                            "the start year %d is outside the scenario's years %d-%d", from, t0, t1);
    if (!(opt && opt->to) && to > t1) to = t1;
    if (to < from || to > t1)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "to", "the last year scored, %d, is outside %d-%d", to,
                            from, t1);
    /* a shallow copy: only scalar parameters change, the tables are shared read-only */
    ol_scenario run = *sc;
    run.params.year_start = from;
    run.params.power_known_until = from;
    run.params.choice_rule = OL_SC_CHOICE_ARGMAX;
    /* the profiles are in year order and the first starts by the scenario's
     * first year (validated), so a prefix always keeps at least one */
    size_t nknown = 1;
    while (nknown < sc->nleaders && sc->leaders[nknown].from <= from) nknown++;
    const ol_leader_profile *at_start = sc->nleaders ? &sc->leaders[nknown - 1] : NULL;
    size_t dropped = 0;
    if (opt && opt->hold_leader && sc->nleaders) {
        dropped = sc->nleaders - nknown;
        run.nleaders = nknown;
    }

    ol_simulate_world *sw = NULL;
    ol_model_result *r = NULL;
    ol_event_list *events = NULL;
    ol_model_params p;
    ol_scenario_model_params(&run, &p);
    ol_status st = ol_simulate_world_new(store, &run, &sw, err);
    if (!st) st = ol_model_run(ol_simulate_world_model(sw), &p, (uint64_t)run.params.seed, 0, &r, err);
    if (!st) st = ol_catalog_query(store, NULL, &events, err);
    if (!st) st = ol_backtest_score(ol_simulate_world_model(sw), &p, r, events, from, to, out, err);
    if (!st) {
        (*out)->known_until = ol_simulate_world_info_get(sw)->power_data_end;
        snprintf((*out)->scenario, sizeof (*out)->scenario, "%s", sc->params.name);
        (*out)->hold_leader = opt && opt->hold_leader;
        (*out)->leaders_dropped = dropped;
        if (at_start) snprintf((*out)->leader, sizeof (*out)->leader, "%s", at_start->name);
    }
    if (!st) {
        /* the misses borrow event ids from the list freed below: copy them */
        ol_backtest *bt = *out;
        size_t need = 0;
        for (size_t i = 0; i < bt->nmisses; i++)
            if (bt->misses[i].event_id) need += strlen(bt->misses[i].event_id) + 1;
        if (need) {
            char *pool = malloc(need);
            if (!pool) {
                st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
            } else {
                char *q = pool;
                for (size_t i = 0; i < bt->nmisses; i++) {
                    if (!bt->misses[i].event_id) continue;
                    size_t n = strlen(bt->misses[i].event_id) + 1;
                    memcpy(q, bt->misses[i].event_id, n);
                    bt->misses[i].event_id = q;
                    q += n;
                }
                bt->ids = pool;
            }
        }
        if (st) {
            ol_backtest_free(*out);
            *out = NULL;
        }
    }
    ol_event_list_free(events);
    ol_model_result_free(r);
    ol_simulate_world_free(sw);
    return st;
}

/* ================================================================ output */
const char *ol_backtest_table_file(ol_backtest_table t)
{
    static const char *const files[OL_BT_TABLE_COUNT] = {"confusion.csv", "timing.csv", "misses.csv"};
    return (unsigned)t < OL_BT_TABLE_COUNT ? files[t] : "";
}

/* The fewest significant digits (15, 16 or 17) that read back as x. */
static void fmt_real(double x, char *buf, size_t size)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x) return;
    }
}

static ol_status write_rows(const ol_backtest *bt, ol_backtest_table t, FILE *f)
{
    char a[40], b[40], c[40], s[40];
    switch (t) {
    case OL_BT_TABLE_CONFUSION:
        fprintf(f, "observed");
        for (int pc = 0; pc < OL_BT_CLASS_COUNT; pc++) fprintf(f, ",%s", class_names[pc]);
        fprintf(f, ",total\n");
        for (int oc = 0; oc < OL_BT_CLASS_COUNT; oc++) {
            size_t sum = 0;
            fprintf(f, "%s", class_names[oc]);
            for (int pc = 0; pc < OL_BT_CLASS_COUNT; pc++) {
                fprintf(f, ",%zu", bt->confusion[oc][pc]);
                sum += bt->confusion[oc][pc];
            }
            fprintf(f, ",%zu\n", sum);
        }
        break;
    case OL_BT_TABLE_TIMING:
        fprintf(f, "institution,predicted_year,predicted,observed_year,observed,error_years\n");
        for (size_t k = 0; k < bt->ninst; k++) {
            const ol_backtest_timing *x = &bt->timing[k];
            fprintf(f, "%s,", x->inst);
            if (x->predicted_year) fprintf(f, "%d,%s,", x->predicted_year, class_names[x->predicted]);
            else fprintf(f, ",,");
            if (x->observed_year) fprintf(f, "%d,%s,", x->observed_year, class_names[x->observed]);
            else fprintf(f, ",,");
            if (x->has_error) fprintf(f, "%d", x->error);
            fprintf(f, "\n");
        }
        break;
    case OL_BT_TABLE_MISSES:
        fprintf(f, "year,institution,predicted,observed,event,reason,alternative,utility,account,contribution,sigma");
        for (int i = 0; i < OL_BT_ACC_COUNT; i++) fprintf(f, ",%s", account_names[i]);
        fprintf(f, "\n");
        for (size_t i = 0; i < bt->nmisses; i++) {
            const ol_backtest_miss *m = &bt->misses[i];
            fmt_real(m->utility, a, sizeof a);
            fmt_real(m->contribution, b, sizeof b);
            fmt_real(m->sigma, c, sizeof c);
            fprintf(f, "%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s", m->year, m->inst, class_names[m->predicted],
                    class_names[m->observed], m->event_id ? m->event_id : "", reason_names[m->reason],
                    class_names[m->alternative], a, m->reason == OL_BT_REASON_ACCOUNT ? account_names[m->account] : "",
                    m->reason == OL_BT_REASON_ACCOUNT ? b : "", c);
            for (int k = 0; k < OL_BT_ACC_COUNT; k++) {
                fmt_real(m->terms[k], s, sizeof s);
                fprintf(f, ",%s", s);
            }
            fprintf(f, "\n");
        }
        break;
    default: return OL_EINVAL;
    }
    return OL_OK;
}

ol_status ol_backtest_write_csv(const ol_backtest *bt, ol_backtest_table t, FILE *f, ol_error *err)
{
    if (!bt || !f || (unsigned)t >= OL_BT_TABLE_COUNT)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no backtest, file or table");
    write_rows(bt, t, f);
    if (ferror(f)) return ol_error_set(err, OL_EIO, ol_backtest_table_file(t), 0, 0, NULL, "write failed");
    return OL_OK;
}

/* Per-class precision and recall, the timing summary: what summary.json says. */
void ol_backtest_summarise(const ol_backtest *bt, ol_backtest_summary *s)
{
    *s = (ol_backtest_summary){0};
    size_t stay_obs = 0;
    for (int k = 0; k < OL_BT_CLASS_COUNT; k++) {
        stay_obs += bt->confusion[OL_BT_STAY][k];
        s->exits_predicted += bt->confusion[k][OL_BT_EXIT];
        s->exits_observed += bt->confusion[OL_BT_EXIT][k];
    }
    s->accuracy = bt->scored ? (double)bt->agree / (double)bt->scored : 0.0;
    s->always_stay = bt->scored ? (double)stay_obs / (double)bt->scored : 0.0;
    double abs_sum = 0, sum = 0;
    for (size_t k = 0; k < bt->ninst; k++) {
        const ol_backtest_timing *t = &bt->timing[k];
        if (t->has_error) {
            s->timing_both++;
            abs_sum += abs(t->error);
            sum += t->error;
        } else if (t->predicted_year) s->timing_predicted_only++;
        else if (t->observed_year) s->timing_observed_only++;
        else s->timing_neither++;
    }
    s->mean_abs_error = s->timing_both ? abs_sum / (double)s->timing_both : NAN;
    s->mean_error = s->timing_both ? sum / (double)s->timing_both : NAN;
}

char *ol_backtest_summary_json(const ol_backtest *bt)
{
    if (!bt) return NULL;
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "program", "orderlab backtest");
    cJSON_AddStringToObject(o, "scenario", bt->scenario);
    cJSON_AddStringToObject(o, "hegemon", bt->hegemon);
    cJSON *win = cJSON_AddObjectToObject(o, "years");
    cJSON_AddNumberToObject(win, "from", bt->from);
    cJSON_AddNumberToObject(win, "to", bt->to);
    cJSON_AddNumberToObject(o, "known_until", bt->known_until);
    cJSON *ld = cJSON_AddObjectToObject(o, "leaders");
    cJSON_AddStringToObject(ld, "profiles", bt->hold_leader ? "held" : "scenario");
    cJSON_AddStringToObject(ld, "at_start", bt->leader);
    cJSON_AddNumberToObject(ld, "dropped", (double)bt->leaders_dropped);
    cJSON_AddNumberToObject(o, "institutions", (double)bt->ninst);
    cJSON_AddNumberToObject(o, "events_used", (double)bt->events_used);
    cJSON_AddNumberToObject(o, "events_unscored", (double)bt->events_unscored);
    cJSON_AddNumberToObject(o, "institution_years", (double)bt->scored);
    cJSON_AddNumberToObject(o, "agree", (double)bt->agree);
    ol_backtest_summary sum;
    ol_backtest_summarise(bt, &sum);
    cJSON_AddNumberToObject(o, "accuracy", sum.accuracy);
    cJSON_AddNumberToObject(o, "accuracy_always_stay", sum.always_stay);
    cJSON *cls = cJSON_AddObjectToObject(o, "classes");
    for (int c = 0; c < OL_BT_CLASS_COUNT; c++) {
        size_t tp = bt->confusion[c][c], npred = 0, nobs = 0;
        for (int x = 0; x < OL_BT_CLASS_COUNT; x++) {
            npred += bt->confusion[x][c];
            nobs += bt->confusion[c][x];
        }
        cJSON *e = cJSON_AddObjectToObject(cls, class_names[c]);
        cJSON_AddNumberToObject(e, "observed", (double)nobs);
        cJSON_AddNumberToObject(e, "predicted", (double)npred);
        cJSON_AddNumberToObject(e, "agree", (double)tp);
        if (npred) cJSON_AddNumberToObject(e, "precision", (double)tp / (double)npred);
        else cJSON_AddNullToObject(e, "precision");
        if (nobs) cJSON_AddNumberToObject(e, "recall", (double)tp / (double)nobs);
        else cJSON_AddNullToObject(e, "recall");
    }
    cJSON *conf = cJSON_AddArrayToObject(o, "confusion");
    for (int oc = 0; oc < OL_BT_CLASS_COUNT; oc++) {
        cJSON *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "observed", class_names[oc]);
        for (int pc = 0; pc < OL_BT_CLASS_COUNT; pc++) cJSON_AddNumberToObject(row, class_names[pc], (double)bt->confusion[oc][pc]);
        cJSON_AddItemToArray(conf, row);
    }
    cJSON *tim = cJSON_AddArrayToObject(o, "timing");
    for (size_t k = 0; k < bt->ninst; k++) {
        const ol_backtest_timing *t = &bt->timing[k];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "institution", t->inst);
        if (t->predicted_year) {
            cJSON_AddNumberToObject(x, "predicted_year", t->predicted_year);
            cJSON_AddStringToObject(x, "predicted", class_names[t->predicted]);
        } else cJSON_AddNullToObject(x, "predicted_year");
        if (t->observed_year) {
            cJSON_AddNumberToObject(x, "observed_year", t->observed_year);
            cJSON_AddStringToObject(x, "observed", class_names[t->observed]);
        } else cJSON_AddNullToObject(x, "observed_year");
        if (t->has_error) cJSON_AddNumberToObject(x, "error_years", t->error);
        else cJSON_AddNullToObject(x, "error_years");
        cJSON_AddItemToArray(tim, x);
    }
    cJSON *ts = cJSON_AddObjectToObject(o, "timing_summary");
    cJSON_AddNumberToObject(ts, "both", (double)sum.timing_both);
    if (sum.timing_both) {
        cJSON_AddNumberToObject(ts, "mean_abs_error_years", sum.mean_abs_error);
        cJSON_AddNumberToObject(ts, "mean_error_years", sum.mean_error);
    } else {
        cJSON_AddNullToObject(ts, "mean_abs_error_years");
        cJSON_AddNullToObject(ts, "mean_error_years");
    }
    cJSON_AddNumberToObject(ts, "predicted_only", (double)sum.timing_predicted_only);
    cJSON_AddNumberToObject(ts, "observed_only", (double)sum.timing_observed_only);
    cJSON_AddNumberToObject(ts, "neither", (double)sum.timing_neither);
    cJSON *ms = cJSON_AddArrayToObject(o, "misses");
    size_t by_account[OL_BT_ACC_COUNT] = {0}, terms_misses = 0;
    for (size_t i = 0; i < bt->nmisses; i++) {
        const ol_backtest_miss *m = &bt->misses[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "year", m->year);
        cJSON_AddStringToObject(x, "institution", m->inst);
        cJSON_AddStringToObject(x, "predicted", class_names[m->predicted]);
        cJSON_AddStringToObject(x, "observed", class_names[m->observed]);
        if (m->event_id) cJSON_AddStringToObject(x, "event", m->event_id);
        else cJSON_AddNullToObject(x, "event");
        cJSON_AddStringToObject(x, "reason", reason_names[m->reason]);
        cJSON_AddStringToObject(x, "alternative", class_names[m->alternative]);
        cJSON_AddNumberToObject(x, "utility", m->utility);
        if (m->reason == OL_BT_REASON_ACCOUNT) {
            cJSON_AddStringToObject(x, "account", account_names[m->account]);
            cJSON_AddNumberToObject(x, "contribution", m->contribution);
            by_account[m->account]++;
        } else {
            terms_misses++;
        }
        cJSON_AddItemToArray(ms, x);
    }
    cJSON *ma = cJSON_AddObjectToObject(o, "misses_by_reason");
    for (int a = 0; a < OL_BT_ACC_COUNT; a++) cJSON_AddNumberToObject(ma, account_names[a], (double)by_account[a]);
    cJSON_AddNumberToObject(ma, "terms_in_force", (double)terms_misses);
    char *s = cJSON_Print(o);
    cJSON_Delete(o);
    return s;
}
