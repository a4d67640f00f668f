/* The equations of the model (docs/model.md §4–§7), the consequences of
 * actions on an institution's rule inputs, parameters and world checks.
 * The yearly simulation is in model_sim.c. */
#include "model_internal.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ================================================================ parameters */

void ol_model_params_default(ol_model_params *p)
{
    memset(p, 0, sizeof *p);
    p->tau = 2.0 / 3.0;       /* the paper's threshold, §4(一) */
    p->kappa = 12.0;          /* σ goes from 0.12 to 0.88 between r = τ − 1/6 and τ + 1/6 */
    p->temperament = 1.0;
    p->omega = 1.0;
    p->eta = 0.0;             /* institutions do not move GDP unless asked */
    p->gamma[OL_DOMAIN_TRADE] = 0.002;
    p->gamma[OL_DOMAIN_GOVERNANCE] = 0.0005;
    p->gamma[OL_DOMAIN_SECURITY] = 0.001;
    p->gamma[OL_DOMAIN_COMPREHENSIVE] = 0.001;
    p->pi = 0.01;
    p->theta = 0.2;
    p->rho_A = 0.5;
    p->zeta = 0.002;
    p->rho_rep = 0.0005;
    p->age_full = 20.0;
    p->lambda_Y = 1.0;
    p->lambda_X = 1.0;
    p->lambda_Z = 1.0;
    p->epsilon = 0.2;
    p->phi = 0.25;
    p->delta_Y = 0.3;
    p->delta_c = 0.1;
    p->delta_nu = 0.1;
    p->beta_d = 6.0;
    p->beta_a = 3.0;
    p->beta_o = 4.0;
    p->beta_0 = -3.0;
    p->kappa_rejoin = 0.0001;
    p->term_years = 6;
    p->mu = 5000.0;
    p->g_star = 0.1;
    p->delta_r = 0.01;
    p->review_years = 5;
    p->delta_o = 0.05;
    p->alpha_p = 0.03;
    p->alpha_x = 0.01;
    p->alpha_r = 0.1;
    p->nu_max = 0.5;
    p->f_star = 0.2;
    p->vote_units = 10000.0;
}

typedef struct param_range {
    const char *name;
    size_t offset;
    double lo, hi;
} param_range;

#define PR(field, lo, hi) {#field, offsetof(ol_model_params, field), lo, hi}

ol_status ol_model_params_check(const ol_model_params *p, ol_error *err)
{
    if (!p) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no model parameters");
    static const param_range ranges[] = {
        PR(tau, 1e-9, 1e9), PR(kappa, 0, 1e6), PR(temperament, 0, 1e6), PR(omega, 0, 1e6),
        PR(eta, 0, 1e6), PR(pi, 0, 1e6), PR(theta, 0, 1), PR(rho_A, 0, 1), PR(zeta, 0, 1e6),
        PR(rho_rep, 0, 1e6), PR(age_full, 0, 1e6), PR(lambda_Y, 0, 1e6), PR(lambda_X, 0, 1e6),
        PR(lambda_Z, 0, 1e6), PR(epsilon, 0, 1), PR(phi, 0, 1e6), PR(delta_Y, 0, 1),
        PR(delta_c, 0, 1), PR(delta_nu, 0, 1e6), PR(beta_d, -1e6, 1e6), PR(beta_a, -1e6, 1e6),
        PR(beta_o, -1e6, 1e6), PR(beta_0, -1e6, 1e6), PR(kappa_rejoin, 0, 1e6), PR(term_years, 0, 1000), PR(mu, 0, 1e12),
        PR(g_star, -1, 1), PR(delta_r, 0, 1), PR(review_years, 1, 1000), PR(delta_o, 0, 1), PR(alpha_p, 0, 1),
        PR(alpha_x, 0, 1), PR(alpha_r, 0, 1), PR(nu_max, 0, 1), PR(f_star, 0, 1),
        PR(vote_units, 100, 1e6),
    };
    for (size_t k = 0; k < sizeof ranges / sizeof ranges[0]; k++) {
        double v;
        memcpy(&v, (const char *)p + ranges[k].offset, sizeof v);
        if (!isfinite(v) || v < ranges[k].lo || v > ranges[k].hi)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, ranges[k].name,
                                "model parameter %s = %g outside [%g, %g]", ranges[k].name, v,
                                ranges[k].lo, ranges[k].hi);
    }
    for (int d = 0; d < OL_DOMAIN_COUNT; d++)
        if (!isfinite(p->gamma[d]) || p->gamma[d] < 0 || p->gamma[d] > 1)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "gamma", "model parameter gamma[%d] = %g outside [0, 1]",
                                d, p->gamma[d]);
    return OL_OK;
}

/* ================================================================ world */

static int share_ok(double v) { return isfinite(v) && v >= 0 && v <= 1; }

ol_status ol_model_world_check(const ol_model_world *w, ol_error *err)
{
    if (!w || !w->actors || w->nactors == 0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "actors", "the world has no actors");
    if (w->t0 > w->t1 || w->t1 - w->t0 > 1000)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "years", "years %d..%d are not a valid range", w->t0, w->t1);
    if (w->nactors > 4096)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "actors", "more than 4096 actors");
    int nh = 0, nc = 0;
    for (size_t i = 0; i < w->nactors; i++) {
        const ol_model_actor *a = &w->actors[i];
        const char *c = a->code[0] ? a->code : "?";
        if ((unsigned)a->role >= OL_ROLE_COUNT)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "role", "actor %s: unknown role %d", c, (int)a->role);
        nh += a->role == OL_ROLE_HEGEMON;
        nc += a->role == OL_ROLE_CHALLENGER;
        if (a->seats == 0) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "seats", "actor %s: no seats", c);
        if (!a->power || a->npower == 0)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "power", "actor %s: no power series", c);
        for (size_t j = 0; j < a->npower; j++)
            if (!isfinite(a->power[j]) || a->power[j] <= 0)
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "power", "actor %s: power in %d is not positive",
                                    c, w->t0 + (int)j);
        for (size_t j = 0; a->surplus && j < a->nsurplus; j++)
            if (!isfinite(a->surplus[j]))
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "surplus", "actor %s: surplus in %d is not finite",
                                    c, w->t0 + (int)j);
        if (!isfinite(a->growth) || a->growth <= -1)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "growth", "actor %s: growth %g", c, a->growth);
        if (!share_ok(a->dependence))
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "dependence", "actor %s: dependence outside [0,1]", c);
        if (!share_ok(a->outside))
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "outside", "actor %s: outside options outside [0,1]", c);
        if (!share_ok(a->alignment))
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "alignment", "actor %s: alignment outside [0,1]", c);
    }
    if (nh != 1)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "role", "the world has %d hegemons (one is needed)", nh);
    if (nc != 1)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "role", "the world has %d challengers (one is needed)", nc);
    if (w->ninst && !w->inst) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "institutions", "no institution array");
    for (size_t k = 0; k < w->ninst; k++) {
        const ol_model_institution *in = &w->inst[k];
        const char *c = in->code[0] ? in->code : "?";
        if ((unsigned)in->domain >= OL_DOMAIN_COUNT || (unsigned)in->form >= OL_FORM_COUNT ||
            (unsigned)in->level >= OL_LEVEL_COUNT || (unsigned)in->rule >= OL_RULE_COUNT)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "rule", "institution %s: unknown domain, form, level or rule", c);
        if (in->rule != OL_RULE_CONSENSUS && !(isfinite(in->quota) && in->quota > 0 && in->quota <= 1))
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "quota", "institution %s: quota %g outside (0,1]", c, in->quota);
        if (!isfinite(in->budget) || in->budget < 0)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "budget", "institution %s: budget %g", c, in->budget);
        if (in->dissolved && in->dissolved < in->founded)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "dissolved", "institution %s: dissolved before founded", c);
        if (in->nmembers && !in->members)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "members", "institution %s: no member array", c);
        uint32_t nveto = 0;
        for (size_t m = 0; m < in->nmembers; m++) {
            const ol_model_member *mb = &in->members[m];
            if (mb->actor >= w->nactors)
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "members", "institution %s: member %zu is not an actor", c, m);
            if (mb->to && mb->to < mb->from)
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "members", "institution %s: member %s leaves before joining",
                                    c, w->actors[mb->actor].code);
            if (!isfinite(mb->votes) || mb->votes < 0 || !isfinite(mb->cost_share) || mb->cost_share < 0)
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "members", "institution %s: member %s has negative votes or cost share",
                                    c, w->actors[mb->actor].code);
            if (mb->veto) nveto += mb->seats ? mb->seats : w->actors[mb->actor].seats;
        }
        if (in->rule == OL_RULE_VETO_COUNCIL && in->council <= nveto)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "council", "institution %s: council of %u seats for %u veto seats",
                                c, in->council, nveto);
    }
    for (size_t l = 0; l < w->nleaders; l++) {
        const ol_model_leader *L = &w->leaders[l];
        if (!isfinite(L->temperament) || L->temperament < 0 || !isfinite(L->omega) || L->omega < 0)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "leaders", "leader profile %s: negative temperament or weight", L->name);
        if (l && L->from <= w->leaders[l - 1].from)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "leaders", "leader profile %s: not after the one before", L->name);
    }
    return OL_OK;
}

/* ================================================================ equations */

static double logistic(double x) { return 1.0 / (1.0 + exp(-x)); }

double ol_model_output(double gamma, double member_power) { return gamma * member_power; }

double ol_model_nonneutrality(size_t n, const double *w, const uint32_t *seats)
{
    double total = 0, d = 0;
    for (size_t i = 0; i < n; i++) total += seats[i];
    if (total <= 0) return 0;
    for (size_t i = 0; i < n; i++) d += fabs(w[i] - seats[i] / total);
    return 0.5 * d;
}

double ol_model_tv_distance(size_t n, const double *a, const double *b)
{
    double d = 0;
    for (size_t i = 0; i < n; i++) d += fabs(a[i] - b[i]);
    return 0.5 * d;
}

double ol_model_rivalry(ol_model_role role, double alignment, double rho_A)
{
    switch (role) {
    case OL_ROLE_CHALLENGER:
    case OL_ROLE_EMERGING: return 1.0;
    case OL_ROLE_ALLY: return rho_A * (1.0 - alignment);
    default: return 0.0;
    }
}

double ol_model_rival_gain(int market_access, double theta, double surplus, double nu, double share, double G)
{
    if (market_access) return theta * (surplus > 0 ? surplus : 0);
    return (1.0 - nu) * share * G;
}

void ol_model_hegemon_accounts(const ol_model_view *v, const ol_model_params *p, ol_model_accounts *a)
{
    memset(a, 0, sizeof *a);
    double pm = 0, pothers = 0, aothers = 0;
    uint32_t seats = 0;
    for (size_t i = 0; i < v->n; i++) {
        pm += v->power[i];
        seats += v->seats[i];
        if (i != v->h) {
            pothers += v->power[i];
            aothers += v->power[i] * v->alignment[i];
        }
    }
    if (pm <= 0 || v->h >= v->n) return;
    double PH = v->power[v->h];
    a->G = ol_model_output(p->gamma[v->domain], pm);
    a->nu = ol_model_nonneutrality(v->n, v->privilege, v->seats);
    a->sH = PH / pm;
    a->wH = v->privilege[v->h];
    a->cH = v->cost_share[v->h];
    a->reach = v->world_power > 0 ? pm / v->world_power : 0;
    a->abar = pothers > 0 ? aothers / pothers : 1.0;
    a->F = (1.0 - a->nu) * a->sH * a->G;
    a->R = p->pi * a->wH * a->reach * PH;
    a->X = a->cH * v->budget;
    double y = 0;
    for (size_t j = 0; j < v->n; j++) {
        if (j == v->h || v->rivalry[j] == 0) continue;
        y += v->rivalry[j] * ol_model_rival_gain(v->market_access, p->theta, v->surplus[j], a->nu,
                                                  v->power[j] / pm, a->G);
    }
    a->Y = (1.0 - v->clause) * y;
    a->Z = p->zeta * PH * (v->jurisdiction + v->censure + v->verification) / 3.0 * (1.0 - a->abar);
    double breadth = v->world_states ? (double)seats / v->world_states : 0;
    double maturity = p->age_full > 0 ? v->age / p->age_full : 1.0;
    if (maturity > 1) maturity = 1;
    if (maturity < 0) maturity = 0;
    a->Rep = p->rho_rep * PH * breadth * maturity;
    a->S = p->gamma[v->domain] * PH * (1.0 - a->nu);
}

void ol_model_member_accounts(const ol_model_view *v, double nu, double G, double *benefit, double *cost)
{
    double pm = 0;
    for (size_t i = 0; i < v->n; i++) pm += v->power[i];
    for (size_t i = 0; i < v->n; i++) {
        double s = pm > 0 ? v->power[i] / pm : 0;
        benefit[i] = (1.0 - nu) * s * G + nu * v->privilege[i] * G;
        cost[i] = v->cost_share[i] * v->budget;
    }
}

double ol_model_sensitivity(const ol_model_params *p, double ratio, double temperament)
{
    return temperament * logistic(p->kappa * (ratio - p->tau));
}

double ol_model_estar(double tau, double ph0, double Y, double X) { return tau * (ph0 - (Y + X)); }

double ol_model_concession(const ol_model_params *p, size_t n, const double *power, const double *dependence,
                           const double *alignment, const double *outside)
{
    double total = 0, acc = 0;
    for (size_t j = 0; j < n; j++) total += power[j];
    if (total <= 0) return 0;
    for (size_t j = 0; j < n; j++)
        acc += power[j] / total *
               logistic(p->beta_d * dependence[j] + p->beta_a * alignment[j] - p->beta_o * outside[j] + p->beta_0);
    return acc;
}

void ol_model_utilities_compute(const ol_model_params *p, const ol_model_accounts *a, double PH, double sigma,
                                double omega, double pconcede, int terms_shift, ol_model_utilities *u)
{
    memset(u, 0, sizeof *u);
    if (PH <= 0) return;
    double Y = a->Y / PH, X = a->X / PH, Z = a->Z / PH, F = a->F / PH, R = a->R / PH;
    double Rep = a->Rep / PH, S = a->S / PH;
    u->term_Y = sigma * p->lambda_Y * Y;
    u->term_X = sigma * p->lambda_X * X;
    u->term_Z = sigma * p->lambda_Z * Z;
    u->exit_ = u->term_Y + u->term_X + u->term_Z - (F + R) - Rep - omega * S;
    u->v_Y = sigma * p->lambda_Y * p->delta_Y * Y;
    u->v_X = sigma * p->lambda_X * p->delta_c * X;
    u->v_nu = terms_shift ? sigma * p->delta_nu * R : 0.0;
    u->value = u->v_Y + u->v_X + u->v_nu;
    u->escalate = -p->epsilon * sigma * p->lambda_Y * Y;
    u->p = pconcede;
    double fallback = u->exit_ > u->escalate ? u->exit_ : u->escalate;
    u->threaten = pconcede * u->value + (1.0 - pconcede) * fallback - p->phi * Rep;
    u->rejoin = -u->exit_ - p->kappa_rejoin;
}

size_t ol_model_choose_argmax(size_t n, const double *u)
{
    size_t best = 0;
    for (size_t k = 1; k < n; k++)
        if (u[k] > u[best]) best = k;
    return best;
}

size_t ol_model_choose_logit(size_t n, const double *u, double mu, gsl_rng *rng, double *prob)
{
    double umax = u[0], wsum = 0, wts[8];
    if (n > 8) n = 8; /* choice sets have 2 or 3 actions */
    for (size_t k = 1; k < n; k++)
        if (u[k] > umax) umax = u[k];
    for (size_t k = 0; k < n; k++) wsum += wts[k] = exp(mu * (u[k] - umax));
    double x = gsl_rng_uniform(rng) * wsum;
    size_t pick = n - 1;
    for (size_t k = 0; k < n; k++) {
        if (x < wts[k]) { pick = k; break; }
        x -= wts[k];
    }
    if (prob) *prob = wts[pick] / wsum;
    return pick;
}

/* ================================================================ rules and consequences */

ol_status model_game_build(const ol_model_institution *k, const ol_model_inst_state *st, const ol_model_params *p,
                           model_game *g, ol_error *err)
{
    g->closed = 0;
    g->ntypes = 0;
    g->quota = 0;
    g->elected_scale = 0;
    g->seats = 0;
    uint32_t vseats = 0;
    double vtotal = 0;
    for (size_t i = 0; i < st->nactors; i++) {
        if (!st->member[i]) continue;
        g->seats += st->seats[i];
        vtotal += st->votes[i];
        if (st->veto[i]) vseats += st->seats[i];
    }
    if (g->seats == 0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "members", "institution %s has no member", k->code);
    switch (k->rule) {
    case OL_RULE_MAJORITY:
    case OL_RULE_CONSENSUS: g->closed = 1; return OL_OK;
    case OL_RULE_WEIGHTED: {
        if (vtotal <= 0)
            return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "votes", "institution %s: its members have no votes", k->code);
        int64_t total = 0;
        for (size_t i = 0; i < st->nactors; i++) {
            if (!st->member[i]) continue;
            int64_t wt = llround(st->votes[i] / vtotal * p->vote_units / st->seats[i]);
            g->types[g->ntypes] = (ol_powerindex_type){wt, st->seats[i], st->veto[i]};
            g->actor_of[g->ntypes++] = i;
            total += wt * st->seats[i];
        }
        g->quota = (int64_t)ceil(k->quota * (double)total - 1e-9);
        if (g->quota < 1 && vseats == 0) g->quota = 1;
        if (g->quota > total) g->quota = total;
        if (total == 0) { g->closed = 1; return OL_OK; } /* every weight rounds to 0: no privilege to tell apart */
        return OL_OK;
    }
    case OL_RULE_VETO_COUNCIL: {
        uint32_t elected = k->council > vseats ? k->council - vseats : 0;
        uint32_t others = g->seats - vseats;
        if (elected > others) elected = others;
        for (size_t i = 0; i < st->nactors; i++) {
            if (!st->member[i] || !st->veto[i]) continue;
            g->types[g->ntypes] = (ol_powerindex_type){1, st->seats[i], 1};
            g->actor_of[g->ntypes++] = i;
        }
        if (elected) {
            g->types[g->ntypes] = (ol_powerindex_type){1, elected, 0};
            g->actor_of[g->ntypes++] = SIZE_MAX;
            g->elected_scale = (double)elected / (double)others;
        }
        int64_t seats = (int64_t)vseats + elected;
        g->quota = (int64_t)ceil(k->quota * (double)seats - 1e-9);
        if (g->quota < 1 && vseats == 0) g->quota = 1;
        if (g->quota > seats) g->quota = seats;
        return OL_OK;
    }
    default: return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "rule", "institution %s: unknown rule", k->code);
    }
}

void model_game_map(const model_game *g, const ol_model_inst_state *st, const double *idx, double *w)
{
    for (size_t i = 0; i < st->nactors; i++) w[i] = 0;
    if (g->closed) {
        for (size_t i = 0; i < st->nactors; i++)
            if (st->member[i]) w[i] = (double)st->seats[i] / g->seats;
        return;
    }
    double elected = 0;
    for (size_t t = 0; t < g->ntypes; t++) {
        if (g->actor_of[t] == SIZE_MAX) elected = idx[t];
        else w[g->actor_of[t]] = idx[t] * g->types[t].count;
    }
    if (g->elected_scale > 0)
        for (size_t i = 0; i < st->nactors; i++)
            if (st->member[i] && !st->veto[i]) w[i] = elected * g->elected_scale * st->seats[i];
}

ol_status ol_model_privilege(const ol_model_institution *k, const ol_model_inst_state *st, const ol_model_params *p,
                             double *w, ol_error *err)
{
    ol_powerindex_type types[64];
    size_t actor_of[64];
    double idx[64];
    if (st->nactors + 1 > 64)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "actors", "ol_model_privilege: more than 63 actors (use a simulation)");
    model_game g = {.types = types, .actor_of = actor_of};
    ol_status s = model_game_build(k, st, p, &g, err);
    if (s != OL_OK) return s;
    if (!g.closed && (s = ol_powerindex_shapley(g.ntypes, g.types, g.quota, idx, err)) != OL_OK) return s;
    model_game_map(&g, st, idx, w);
    return OL_OK;
}

void ol_model_cost_shares(const ol_model_inst_state *st, double *c)
{
    double total = 0;
    for (size_t i = 0; i < st->nactors; i++)
        if (st->member[i]) total += st->cost[i];
    for (size_t i = 0; i < st->nactors; i++) c[i] = st->member[i] && total > 0 ? st->cost[i] / total : 0;
}

void ol_model_apply_exit(ol_model_inst_state *st, size_t h)
{
    st->member[h] = 0;
    st->version++;
}

void ol_model_apply_rejoin(ol_model_inst_state *st, size_t h)
{
    st->member[h] = 1;
    st->version++;
}

/* Sets actor h's share of the members' total of x to `share`, scaling the
 * others' so that the total is unchanged (or spreading it by seats when the
 * others hold nothing). */
static void set_share(ol_model_inst_state *st, double *x, size_t h, double share)
{
    double total = 0, others = 0;
    uint32_t oseats = 0;
    for (size_t i = 0; i < st->nactors; i++) {
        if (!st->member[i]) continue;
        total += x[i];
        if (i != h) { others += x[i]; oseats += st->seats[i]; }
    }
    if (total <= 0 || oseats == 0) return;
    double rest = total * (1.0 - share);
    for (size_t i = 0; i < st->nactors; i++) {
        if (!st->member[i] || i == h) continue;
        x[i] = others > 0 ? x[i] * rest / others : rest * st->seats[i] / oseats;
    }
    x[h] = total * share;
}

static double share_of(const ol_model_inst_state *st, const double *x, size_t h)
{
    double total = 0;
    for (size_t i = 0; i < st->nactors; i++)
        if (st->member[i]) total += x[i];
    return total > 0 ? x[h] / total : 0;
}

void ol_model_apply_renegotiation(ol_model_inst_state *st, ol_model_rule rule, size_t h, const ol_model_params *p)
{
    if (rule == OL_RULE_WEIGHTED) {
        double v = share_of(st, st->votes, h) * (1.0 + p->delta_nu);
        set_share(st, st->votes, h, v > 1 ? 1 : v);
    }
    set_share(st, st->cost, h, share_of(st, st->cost, h) * (1.0 - p->delta_c));
    st->clause = 1.0 - (1.0 - st->clause) * (1.0 - p->delta_Y);
    st->version++;
}

int ol_model_apply_reform(ol_model_inst_state *st, const double *w, const double *s, double delta_r)
{
    double excess = 0, shortfall = 0, total = 0;
    for (size_t i = 0; i < st->nactors; i++) {
        if (!st->member[i]) continue;
        total += st->votes[i];
        if (w[i] > s[i]) excess += w[i] - s[i];
        else shortfall += s[i] - w[i];
    }
    if (excess <= 0 || shortfall <= 0 || total <= 0 || delta_r <= 0) return 0;
    double move = delta_r * total, taken = 0;
    for (size_t i = 0; i < st->nactors; i++) {
        if (!st->member[i] || w[i] <= s[i]) continue;
        double t = move * (w[i] - s[i]) / excess;
        if (t > st->votes[i]) t = st->votes[i];
        st->votes[i] -= t;
        taken += t;
    }
    for (size_t i = 0; i < st->nactors; i++)
        if (st->member[i] && w[i] < s[i]) st->votes[i] += taken * (s[i] - w[i]) / shortfall;
    if (taken <= 0) return 0;
    st->version++;
    return 1;
}

double ol_model_reform_gap(size_t n, const ol_model_role *role, const unsigned char *member, const double *s,
                           const double *w)
{
    double gap = 0;
    for (size_t i = 0; i < n; i++)
        if (member[i] && (role[i] == OL_ROLE_EMERGING || role[i] == OL_ROLE_CHALLENGER)) gap += s[i] - w[i];
    return gap;
}

double ol_model_drift(const ol_model_params *p, double a, double a0, int threatened, int exited)
{
    double x = a - (threatened ? p->alpha_p : 0) - (exited ? p->alpha_x : 0) + p->alpha_r * (a0 - a);
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* ================================================================ names */

const char *ol_model_action_name(ol_model_action a)
{
    static const char *names[] = {"none", "stay", "threaten", "renegotiate", "escalate", "exit",
                                  "stay_out", "rejoin", "reform_call", "reform", "new_institution"};
    return (unsigned)a < OL_ACT_COUNT ? names[a] : "?";
}

const char *ol_model_means_name(ol_model_means m)
{
    static const char *names[] = {"none", "inclusion", "differentiation", "manipulation",
                                  "squeeze_spillover", "reshape_hierarchy", "cut_consumption"};
    return (unsigned)m < OL_MEANS_COUNT ? names[m] : "?";
}

const char *ol_model_effect_name(ol_model_effect e)
{
    static const char *names[] = {"none", "spillover", "consumption", "constraint"};
    return (unsigned)e < OL_EFFECT_COUNT ? names[e] : "?";
}

const char *ol_model_role_name(ol_model_role r)
{
    static const char *names[] = {"hegemon", "challenger", "ally", "emerging", "other"};
    return (unsigned)r < OL_ROLE_COUNT ? names[r] : "?";
}
