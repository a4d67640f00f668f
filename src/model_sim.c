/* The yearly simulation of docs/model.md §3–§7: a prepared world in flat
 * arrays, a cache of power indices by game, and the run. */
#include "model_internal.h"
#include "util/fnv.h"
#include "util/cbrng.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Games remembered per institution; a run meets few (the start, an exit, a
 * few renegotiations), and the values do not depend on what is cached, so a
 * full cache only costs time, never changes a result. */
enum { CACHE_PER_INST = 256, EVENTS_PER_INST_YEAR = 5 };

typedef struct cache_entry {
    uint64_t hash;
    size_t ntypes;
    int64_t quota;
    ol_powerindex_type *types;
    double *idx;
} cache_entry;

typedef struct inst_cache {
    cache_entry e[CACHE_PER_INST];
    size_t n, next;
} inst_cache;

struct ol_model_sim {
    ol_model_params p;
    int t0, t1;
    size_t ny, na, nk, nl, nm;
    size_t h, c;
    uint32_t nstates;
    ol_model_role *role;
    double *growth, *dependence, *outside0, *align0;
    double *pdata; /* [na × ny], NaN where projected */
    double *sdata; /* [na × ny], NaN where past the data */
    size_t *slast; /* last year index of surplus data + 1 (0: none) */
    ol_model_institution *inst;
    ol_model_member *members;
    ol_model_leader *leaders;
    int *hjoin;
    ol_model_inst_state *init, *st;
    /* per institution, during a run */
    double *w, *whyp; /* [nk × na] */
    uint64_t *wver, *hypver;
    unsigned char *wvalid, *hypvalid, *joined, *above, *alt;
    int *locked_until; /* last year renegotiated terms hold */
    double *gexit;
    /* per actor, during a run */
    double *P, *align, *outside, *B, *K, *loss;
    unsigned char *threatened, *exited_in, *want;
    /* scratch for one institution-year */
    double *yield_;  /* logistic(β_d d + β_a a − β_o o + β_0) by actor, this year */
    double *cshare, *sshare, *vpow, *vpriv, *vcost, *vriv, *valign, *vsurp, *vdep, *vout, *vB, *vK;
    uint32_t *vseats;
    size_t *vidx;
    double *instG, *instM, *instA, *instW;
    model_game game;
    double *idx;
    inst_cache *cache;
    gsl_rng *rng;
    void *block[96];
    size_t nblock;
};

static void *sim_alloc(ol_model_sim *s, size_t n, size_t size)
{
    if (s->nblock == sizeof s->block / sizeof s->block[0]) return NULL;
    void *p = calloc(n ? n : 1, size);
    if (p) s->block[s->nblock++] = p;
    return p;
}

void ol_model_sim_free(ol_model_sim *s)
{
    if (!s) return;
    if (s->cache)
        for (size_t k = 0; k < s->nk; k++)
            for (size_t e = 0; e < s->cache[k].n; e++) {
                free(s->cache[k].e[e].types);
                free(s->cache[k].e[e].idx);
            }
    for (size_t b = 0; b < s->nblock; b++) free(s->block[b]);
    if (s->rng) gsl_rng_free(s->rng);
    free(s);
}

uint64_t ol_model_seed(uint64_t seed, uint64_t run)
{
    uint64_t z = seed + 0x9E3779B97F4A7C15ull * (run + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Copies what a run reads from the world and the parameters into the
 * prepared arrays (allocated for this shape by ol_model_sim_new).  Everything
 * but the cache of power indices and the generator is overwritten. */
static void sim_fill(ol_model_sim *s, const ol_model_world *w, const ol_model_params *p)
{
    size_t na = s->na, nk = s->nk, ny = s->ny;
    s->p = *p;
    s->nstates = 0;
    for (size_t i = 0; i < na; i++) {
        const ol_model_actor *a = &w->actors[i];
        s->role[i] = a->role;
        if (a->role == OL_ROLE_HEGEMON) s->h = i;
        if (a->role == OL_ROLE_CHALLENGER) s->c = i;
        s->growth[i] = a->growth;
        s->dependence[i] = a->dependence;
        s->outside0[i] = a->outside;
        s->align0[i] = a->role == OL_ROLE_HEGEMON ? 1.0 : a->alignment;
        for (size_t y = 0; y < ny; y++) {
            s->pdata[i * ny + y] = y < a->npower ? a->power[y] : NAN;
            s->sdata[i * ny + y] = a->surplus && y < a->nsurplus ? a->surplus[y] : NAN;
        }
        s->slast[i] = a->surplus ? (a->nsurplus < ny ? a->nsurplus : ny) : 0;
        s->nstates += a->seats;
    }
    if (w->nstates) s->nstates = w->nstates;
    if (s->nl) memcpy(s->leaders, w->leaders, s->nl * sizeof *s->leaders);
    size_t moff = 0;
    for (size_t k = 0; k < nk; k++) {
        s->inst[k] = w->inst[k];
        memcpy(s->members + moff, w->inst[k].members, w->inst[k].nmembers * sizeof *s->members);
        s->inst[k].members = s->members + moff;
        moff += w->inst[k].nmembers;
        ol_model_inst_state *x = &s->init[k];
        memset(x->member, 0, na);
        memset(x->veto, 0, na);
        memset(x->seats, 0, na * sizeof *x->seats);
        memset(x->votes, 0, na * sizeof *x->votes);
        memset(x->cost, 0, na * sizeof *x->cost);
        x->clause = 0;
        x->version = 0;
        unsigned char *seen = s->want;
        memset(seen, 0, na);
        s->hjoin[k] = INT_MAX;
        for (size_t m = 0; m < w->inst[k].nmembers; m++) {
            const ol_model_member *mb = &w->inst[k].members[m];
            size_t i = mb->actor;
            if (i == s->h && mb->from < s->hjoin[k]) s->hjoin[k] = mb->from;
            if (seen[i]) continue; /* the first spell's terms hold */
            seen[i] = 1;
            x->seats[i] = mb->seats ? mb->seats : w->actors[i].seats;
            x->votes[i] = mb->votes;
            x->veto[i] = mb->veto != 0;
            x->cost[i] = mb->cost_share;
        }
    }
}

static size_t world_members(const ol_model_world *w)
{
    size_t nm = 0;
    for (size_t k = 0; k < w->ninst; k++) nm += w->inst[k].nmembers;
    return nm;
}

ol_status ol_model_sim_new(const ol_model_world *w, const ol_model_params *p, ol_model_sim **out, ol_error *err)
{
    ol_status st;
    if (!out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_model_sim_new: no output");
    *out = NULL;
    if ((st = ol_model_params_check(p, err)) != OL_OK) return st;
    if ((st = ol_model_world_check(w, err)) != OL_OK) return st;
    ol_model_sim *s = calloc(1, sizeof *s);
    if (!s) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    s->t0 = w->t0;
    s->t1 = w->t1;
    s->ny = (size_t)(w->t1 - w->t0 + 1);
    s->na = w->nactors;
    s->nk = w->ninst;
    s->nl = w->nleaders;
    s->nm = world_members(w);
    size_t na = s->na, nk = s->nk, ny = s->ny, nm = s->nm;
    int ok = 1;
#define A(ptr, n) ok = ok && ((ptr) = sim_alloc(s, (n), sizeof *(ptr))) != NULL
    A(s->role, na); A(s->growth, na); A(s->dependence, na); A(s->outside0, na); A(s->align0, na);
    A(s->pdata, na * ny); A(s->sdata, na * ny); A(s->slast, na);
    A(s->inst, nk); A(s->members, nm); A(s->leaders, s->nl); A(s->hjoin, nk);
    A(s->init, nk); A(s->st, nk);
    A(s->w, nk * na); A(s->whyp, nk * na); A(s->wver, nk); A(s->hypver, nk);
    A(s->wvalid, nk); A(s->hypvalid, nk); A(s->joined, nk); A(s->above, nk); A(s->alt, nk); A(s->locked_until, nk); A(s->gexit, nk);
    A(s->P, na); A(s->align, na); A(s->outside, na); A(s->B, na); A(s->K, na); A(s->loss, na);
    A(s->threatened, na); A(s->exited_in, na); A(s->want, na);
    A(s->cshare, na); A(s->sshare, na); A(s->vpow, na); A(s->vpriv, na); A(s->vcost, na); A(s->vriv, na);
    A(s->valign, na); A(s->vsurp, na); A(s->vdep, na); A(s->vout, na); A(s->vB, na); A(s->vK, na);
    A(s->vseats, na); A(s->vidx, na);
    A(s->yield_, na);
    A(s->instG, nk); A(s->instM, nk); A(s->instA, nk); A(s->instW, nk);
    A(s->game.types, na + 1); A(s->game.actor_of, na + 1); A(s->idx, na + 1);
    A(s->cache, nk);
    /* the institution states: 5 arrays of na per institution, twice */
    unsigned char *flags = NULL;
    uint32_t *seats = NULL;
    double *nums = NULL;
    A(flags, 4 * nk * na); A(seats, 2 * nk * na); A(nums, 4 * nk * na);
#undef A
    if (!ok || !(s->rng = gsl_rng_alloc(ol_cbrng_philox()))) {
        ol_model_sim_free(s);
        return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory preparing the model");
    }
    for (size_t k = 0; k < nk; k++)
        for (int twice = 0; twice < 2; twice++) {
            ol_model_inst_state *x = twice ? &s->st[k] : &s->init[k];
            size_t base = (size_t)twice * nk * na + k * na;
            x->nactors = na;
            x->member = flags + 2 * base;
            x->veto = flags + 2 * base + na;
            x->seats = seats + base;
            x->votes = nums + 2 * base;
            x->cost = nums + 2 * base + na;
        }
    sim_fill(s, w, p);
    *out = s;
    return OL_OK;
}

ol_status ol_model_sim_update(ol_model_sim *s, const ol_model_world *w, const ol_model_params *p, ol_error *err)
{
    ol_status st;
    if (!s || !w || !p) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_model_sim_update: no simulation, world or parameters");
    if ((st = ol_model_params_check(p, err)) != OL_OK) return st;
    if ((st = ol_model_world_check(w, err)) != OL_OK) return st;
    if (w->t0 != s->t0 || w->t1 != s->t1 || w->nactors != s->na || w->ninst != s->nk || w->nleaders != s->nl ||
        world_members(w) != s->nm)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "world",
                            "ol_model_sim_update: the world (%d-%d, %zu actors, %zu institutions, %zu leader "
                            "profiles, %zu memberships) is not of the simulation's shape (%d-%d, %zu, %zu, %zu, %zu)",
                            w->t0, w->t1, w->nactors, w->ninst, w->nleaders, world_members(w), s->t0, s->t1, s->na,
                            s->nk, s->nl, s->nm);
    sim_fill(s, w, p);
    return OL_OK;
}

/* ---------------------------------------------------------------- privilege */

static ol_status privilege(ol_model_sim *s, size_t k, const ol_model_inst_state *st, double *w, ol_error *err)
{
    model_game *g = &s->game;
    ol_status rc = model_game_build(&s->inst[k], st, &s->p, g, err);
    if (rc != OL_OK) return rc;
    if (g->closed) {
        model_game_map(g, st, NULL, w);
        return OL_OK;
    }
    /* FNV-1a over the game, to skip most entries without comparing them */
    uint64_t hash = OL_FNV1A_OFFSET ^ (uint64_t)g->quota;
    for (size_t t = 0; t < g->ntypes; t++) {
        hash = ol_fnv1a_word(hash, (uint64_t)g->types[t].weight);
        hash = ol_fnv1a_word(hash, (uint64_t)g->types[t].count << 1 | (g->types[t].veto != 0));
    }
    inst_cache *c = &s->cache[k];
    for (size_t e = 0; e < c->n; e++) {
        cache_entry *ce = &c->e[e];
        if (ce->hash != hash || ce->ntypes != g->ntypes || ce->quota != g->quota) continue;
        size_t t = 0;
        for (; t < g->ntypes; t++)
            if (ce->types[t].weight != g->types[t].weight || ce->types[t].count != g->types[t].count ||
                ce->types[t].veto != g->types[t].veto)
                break;
        if (t == g->ntypes) {
            model_game_map(g, st, ce->idx, w);
            return OL_OK;
        }
    }
    if ((rc = ol_powerindex_shapley(g->ntypes, g->types, g->quota, s->idx, err)) != OL_OK) {
        ol_error_prefix(err, "institution %s: ", s->inst[k].code);
        return rc;
    }
    /* remember it (entries are allocated on first use, then overwritten in turn) */
    cache_entry *ce = &c->e[c->next];
    if (c->n < CACHE_PER_INST) {
        ce->types = malloc((s->na + 1) * sizeof *ce->types);
        ce->idx = malloc((s->na + 1) * sizeof *ce->idx);
        if (!ce->types || !ce->idx) {
            free(ce->types);
            free(ce->idx);
            ce->types = NULL;
            ce->idx = NULL;
            model_game_map(g, st, s->idx, w); /* no room to remember: still a right answer */
            return OL_OK;
        }
        c->n++;
    }
    c->next = (c->next + 1) % CACHE_PER_INST;
    ce->hash = hash;
    ce->ntypes = g->ntypes;
    ce->quota = g->quota;
    memcpy(ce->types, g->types, g->ntypes * sizeof *g->types);
    memcpy(ce->idx, s->idx, g->ntypes * sizeof *s->idx);
    model_game_map(g, st, s->idx, w);
    return OL_OK;
}

/* ---------------------------------------------------------------- one institution-year */

static double surplus_at(const ol_model_sim *s, const ol_model_result *r, size_t i, size_t y)
{
    if (s->slast[i] == 0) return 0;
    if (y < s->slast[i]) return s->sdata[i * s->ny + y];
    size_t last = s->slast[i] - 1;
    double p_last = r->actor_years[last * s->na + i].power;
    return s->sdata[i * s->ny + last] * (p_last > 0 ? s->P[i] / p_last : 1.0);
}

/* Fills the view of institution k over its members in force; `w` is the
 * privilege by actor. */
static void build_view(ol_model_sim *s, const ol_model_result *r, size_t k, const ol_model_inst_state *st,
                       const double *w, size_t y, int year, ol_model_view *v, double world_power)
{
    const ol_model_institution *in = &s->inst[k];
    ol_model_cost_shares(st, s->cshare);
    size_t n = 0;
    v->h = SIZE_MAX;
    for (size_t i = 0; i < s->na; i++) {
        if (!st->member[i]) continue;
        if (i == s->h) v->h = n;
        s->vidx[n] = i;
        s->vpow[n] = s->P[i];
        s->vseats[n] = st->seats[i];
        s->vpriv[n] = w[i];
        s->vcost[n] = s->cshare[i];
        s->vriv[n] = i == s->h ? 0 : ol_model_rivalry(s->role[i], s->align[i], s->p.rho_A);
        s->valign[n] = s->align[i];
        s->vsurp[n] = in->market_access ? surplus_at(s, r, i, y) : 0;
        s->vdep[n] = s->dependence[i];
        s->vout[n] = s->outside[i];
        n++;
    }
    if (v->h == SIZE_MAX) v->h = n;
    v->n = n;
    v->power = s->vpow;
    v->seats = s->vseats;
    v->privilege = s->vpriv;
    v->cost_share = s->vcost;
    v->rivalry = s->vriv;
    v->alignment = s->valign;
    v->surplus = s->vsurp;
    v->clause = st->clause;
    v->domain = in->domain;
    v->market_access = in->market_access;
    v->budget = in->budget;
    v->jurisdiction = in->jurisdiction;
    v->censure = in->censure;
    v->verification = in->verification;
    v->age = year - in->founded;
    v->world_power = world_power;
    v->world_states = s->nstates;
}

static ol_model_effect effect_of(const ol_model_utilities *u)
{
    if (u->term_Y <= 0 && u->term_X <= 0 && u->term_Z <= 0) return OL_EFFECT_NONE;
    if (u->term_Y >= u->term_X && u->term_Y >= u->term_Z) return OL_EFFECT_SPILLOVER;
    return u->term_X >= u->term_Z ? OL_EFFECT_CONSUMPTION : OL_EFFECT_CONSTRAINT;
}

static ol_model_means exit_means(ol_model_effect e)
{
    switch (e) {
    case OL_EFFECT_CONSUMPTION: return OL_MEANS_CUT_CONSUMPTION;
    case OL_EFFECT_CONSTRAINT: return OL_MEANS_RESHAPE_HIERARCHY;
    default: return OL_MEANS_SQUEEZE_SPILLOVER;
    }
}

static ol_model_means renegotiation_means(const ol_model_utilities *u)
{
    if (u->v_Y >= u->v_X && u->v_Y >= u->v_nu) return OL_MEANS_SQUEEZE_SPILLOVER;
    return u->v_X >= u->v_nu ? OL_MEANS_CUT_CONSUMPTION : OL_MEANS_RESHAPE_HIERARCHY;
}

static ol_model_event *add_event(ol_model_result *r, int year, size_t k, ol_model_action a, size_t actor)
{
    if (r->nevents >= r->events_cap) return NULL; /* cannot happen: the bound is per institution-year */
    ol_model_event *e = &r->events[r->nevents++];
    memset(e, 0, sizeof *e);
    e->year = year;
    e->inst = (uint32_t)k;
    e->action = a;
    e->actor = (int32_t)actor;
    e->counterpart = -1;
    e->rival = -1;
    e->probability = 1.0;
    return e;
}

/* An inclusive alternative founded by the challenger, once per institution
 * that provoked it (outside options of the challenger and emerging powers
 * rise at the end of the year). */
static void new_institution(ol_model_sim *s, ol_model_result *r, int year, size_t k, unsigned *newinst)
{
    if (s->alt[k]) return;
    s->alt[k] = 1;
    add_event(r, year, k, OL_ACT_NEW_INSTITUTION, s->c);
    (*newinst)++;
}

static int rival_member(const ol_model_sim *s, const ol_model_inst_state *st)
{
    for (size_t i = 0; i < s->na; i++)
        if (st->member[i] && (s->role[i] == OL_ROLE_CHALLENGER || s->role[i] == OL_ROLE_EMERGING)) return 1;
    return 0;
}

/* What one institution-year hands to the hegemon's choice. */
typedef struct inst_ctx {
    size_t k;
    int year;
    const ol_model_institution *in;
    ol_model_inst_state *st;
    ol_model_inst_year *row;
    const ol_model_view *v;
    double G;
    int32_t counterpart, rival;
    double rival_gain;
} inst_ctx;

/* The hegemon's choice in one institution (§6.1) and its consequences
 * (§6.2), recorded in the row and the events. */
static void hegemon_act(ol_model_sim *s, ol_model_result *r, const inst_ctx *cx, const ol_model_accounts *acc,
                        const ol_model_utilities *uu_, int stochastic, unsigned *newinst)
{
    const ol_model_params *p = &s->p;
    const ol_model_institution *in = cx->in;
    ol_model_inst_state *st = cx->st;
    const ol_model_view v = *cx->v;
    const ol_model_utilities u = *uu_;
    size_t h = s->h, k = cx->k;
    int year = cx->year;
    int hmember = st->member[h];
    int32_t counterpart = cx->counterpart, rival = cx->rival;
    double rival_gain = cx->rival_gain;
    ol_model_inst_year *row = cx->row;
    row->F = acc->F; row->R = acc->R; row->X = acc->X; row->Y = acc->Y;
    row->Z = acc->Z; row->Rep = acc->Rep; row->S = acc->S;
    row->u_stay = 0;
    row->u_exit = u.exit_;
    ol_model_effect effect = effect_of(&u);
    if (hmember) {
        row->u_threaten = u.threaten;
        row->p_concede = u.p;
        /* while renegotiated terms hold, the choice is between staying and leaving */
        int locked = year <= s->locked_until[k];
        double uu[3] = {0, u.threaten, u.exit_}, ul[2] = {0, u.exit_}, prob = 1.0;
        size_t choice;
        if (locked) {
            choice = stochastic ? ol_model_choose_logit(2, ul, p->mu, s->rng, &prob) : ol_model_choose_argmax(2, ul);
            choice = choice ? OL_CHOICE_EXIT : OL_CHOICE_STAY;
        } else {
            choice = stochastic ? ol_model_choose_logit(3, uu, p->mu, s->rng, &prob) : ol_model_choose_argmax(3, uu);
        }
        int do_exit = choice == OL_CHOICE_EXIT;
        row->action = OL_ACT_STAY;
        if (choice == OL_CHOICE_THREATEN) {
            ol_model_event *e = add_event(r, year, k, OL_ACT_THREATEN, h);
            if (e) { e->counterpart = counterpart; e->rival = rival; e->means = OL_MEANS_MANIPULATION;
                     e->effect = effect; e->probability = prob; }
            for (size_t j = 0; j < v.n; j++) if (j != v.h) s->threatened[s->vidx[j]] = 1;
            int conceded = stochastic ? gsl_rng_uniform(s->rng) < u.p : u.p >= 0.5;
            if (conceded) {
                ol_model_apply_renegotiation(st, in->rule, h, p);
                s->locked_until[k] = year + (int)ceil(p->term_years) - 1;
                row->action = OL_ACT_RENEGOTIATE;
                e = add_event(r, year, k, OL_ACT_RENEGOTIATE, h);
                if (e) { e->counterpart = counterpart; e->rival = rival; e->means = renegotiation_means(&u);
                         e->effect = effect; e->probability = u.p; }
                if (p->delta_Y > 0) new_institution(s, r, year, k, newinst);
            } else if (u.exit_ >= u.escalate) {
                do_exit = 1;
                prob = 1.0 - u.p;
            } else {
                row->action = OL_ACT_ESCALATE;
                e = add_event(r, year, k, OL_ACT_ESCALATE, h);
                if (e) { e->counterpart = counterpart; e->rival = rival; e->means = OL_MEANS_SQUEEZE_SPILLOVER;
                         e->effect = effect; e->probability = 1.0 - u.p; }
                /* both sides lose ε of the spillover at stake: the rival's gain */
                if (rival >= 0) {
                    double stake = (1.0 - st->clause) * rival_gain;
                    s->loss[h] += p->epsilon * stake;
                    s->loss[rival] += p->epsilon * stake;
                }
            }
        }
        if (do_exit) {
            s->gexit[cx->k] = cx->G;
            int rivals_in = rival_member(s, st);
            ol_model_apply_exit(st, h);
            row->action = OL_ACT_EXIT;
            ol_model_event *e = add_event(r, year, k, OL_ACT_EXIT, h);
            if (e) { e->counterpart = counterpart; e->rival = rival; e->means = exit_means(effect);
                     e->effect = effect; e->probability = prob; }
            for (size_t j = 0; j < v.n; j++) if (j != v.h) s->exited_in[s->vidx[j]] = 1;
            if (rivals_in) new_institution(s, r, year, k, newinst);
        }
    } else {
        row->u_rejoin = u.rejoin;
        double uu[2] = {0, u.rejoin}, prob = 1.0;
        size_t choice = stochastic ? ol_model_choose_logit(2, uu, p->mu, s->rng, &prob) : ol_model_choose_argmax(2, uu);
        row->action = OL_ACT_STAY_OUT;
        if (choice == OL_CHOICE_REJOIN) {
            ol_model_apply_rejoin(st, h);
            row->action = OL_ACT_REJOIN;
            ol_model_event *e = add_event(r, year, k, OL_ACT_REJOIN, h);
            if (e) { e->means = OL_MEANS_INCLUSION; e->probability = prob; }
        }
    }
}

static ol_status run_year(ol_model_sim *s, ol_model_result *r, size_t y, int stochastic, ol_error *err)
{
    const ol_model_params *p = &s->p;
    size_t na = s->na, nk = s->nk, h = s->h;
    int year = s->t0 + (int)y;
    ol_status rc;

    /* power (§3) */
    double Pw = 0;
    for (size_t i = 0; i < na; i++) {
        double d = s->pdata[i * s->ny + y];
        if (!isnan(d)) s->P[i] = d;
        else {
            double x = s->P[i] * (1.0 + s->growth[i]) + p->eta * (s->B[i] - s->K[i] - s->loss[i]);
            s->P[i] = x > 1.0 ? x : 1.0;
        }
        Pw += s->P[i];
    }
    ol_model_actor_year *ay = &r->actor_years[y * na];
    for (size_t i = 0; i < na; i++) {
        ay[i].year = year;
        ay[i].actor = (uint32_t)i;
        ay[i].power = s->P[i];
        ay[i].share = s->P[i] / Pw;
        ay[i].alignment = s->align[i];
        ay[i].outside = s->outside[i];
        s->B[i] = s->K[i] = s->loss[i] = 0;
        s->threatened[i] = s->exited_in[i] = 0;
    }
    /* each actor's readiness to concede (§6.1) changes only at the year's end:
     * one logistic per actor and year, not per institution */
    for (size_t i = 0; i < na; i++) {
        double one = 1.0;
        s->yield_[i] = ol_model_concession(p, 1, &one, &s->dependence[i], &s->align[i], &s->outside[i]);
    }
    double ratio = s->P[s->c] / s->P[h];
    double theta_L = p->temperament, omega = p->omega;
    int leader = -1;
    for (size_t l = 0; l < s->nl; l++)
        if (s->leaders[l].from <= year) leader = (int)l;
    if (leader >= 0) {
        theta_L = s->leaders[leader].temperament;
        omega = s->leaders[leader].omega;
    }
    double sigma = ol_model_sensitivity(p, ratio, theta_L);
    double Ytot = 0, Xtot = 0;
    unsigned newinst = 0;

    for (size_t k = 0; k < nk; k++) {
        const ol_model_institution *in = &s->inst[k];
        ol_model_inst_state *st = &s->st[k];
        ol_model_inst_year *row = &r->inst_years[y * nk + k];
        double *w = s->w + k * na;
        row->year = year;
        row->inst = (uint32_t)k;
        row->action = OL_ACT_NONE;
        s->instG[k] = 0;
        if (year < in->founded || (in->dissolved && year > in->dissolved)) continue;
        row->active = 1;

        /* membership of the others from their spells; the hegemon joins once */
        for (size_t m = 0; m < in->nmembers; m++) s->want[in->members[m].actor] = 0;
        for (size_t m = 0; m < in->nmembers; m++) {
            const ol_model_member *mb = &in->members[m];
            if (year >= mb->from && (mb->to == 0 || year <= mb->to)) s->want[mb->actor] = 1;
        }
        for (size_t m = 0; m < in->nmembers; m++) {
            size_t i = in->members[m].actor;
            if (i == h) continue;
            if (st->member[i] != s->want[i]) {
                st->member[i] = s->want[i];
                st->version++;
            }
        }
        if (!s->joined[k] && year >= s->hjoin[k]) {
            s->joined[k] = 1;
            ol_model_apply_rejoin(st, h);
        }
        uint32_t seats = 0;
        for (size_t i = 0; i < na; i++)
            if (st->member[i]) seats += st->seats[i];
        row->nmembers = seats;
        if (seats == 0) continue;

        if (!s->wvalid[k] || s->wver[k] != st->version) {
            if ((rc = privilege(s, k, st, w, err)) != OL_OK) return rc;
            s->wvalid[k] = 1;
            s->wver[k] = st->version;
        }
        ol_model_view v;
        build_view(s, r, k, st, w, y, year, &v, Pw);
        double pm = 0;
        for (size_t j = 0; j < v.n; j++) pm += v.power[j];
        double G = ol_model_output(p->gamma[in->domain], pm);
        double nu = ol_model_nonneutrality(v.n, v.privilege, v.seats);
        ol_model_member_accounts(&v, nu, G, s->vB, s->vK);
        double mis = 0, abar_all = 0;
        for (size_t j = 0; j < v.n; j++) {
            size_t i = s->vidx[j];
            s->B[i] += s->vB[j];
            s->K[i] += s->vK[j];
            s->sshare[i] = v.power[j] / pm;
            mis += fabs(v.privilege[j] - s->sshare[i]);
            abar_all += v.power[j] / pm * (i == h ? 1.0 : v.alignment[j]);
        }
        int hmember = st->member[h];
        row->member = hmember;
        row->G = G;
        row->nu = nu;
        row->C = in->budget;
        row->wH = hmember ? w[h] : 0;
        row->cH = hmember ? s->cshare[h] : 0;
        row->wC = w[s->c];
        s->instG[k] = G;
        s->instM[k] = 0.5 * mis;
        s->instA[k] = abar_all;
        s->instW[k] = row->wH;
        if (nu > p->nu_max) row->flags |= OL_FAIL_NONNEUTRAL;
        if (!hmember && s->joined[k] && s->gexit[k] > 0 && G < (1.0 - p->f_star) * s->gexit[k])
            row->flags |= OL_FAIL_OUTPUT;

        /* the hegemon's choice (§6.1) and its consequences (§6.2) */
        ol_model_accounts acc = {0};
        ol_model_utilities u = {0};
        int32_t counterpart = -1, rival = -1;
        double best_gain = 0, best_power = 0, rival_gain = 0;
        if (hmember) {
            ol_model_hegemon_accounts(&v, p, &acc);
            double pk = 0, pc = 0;
            for (size_t j = 0; j < v.n; j++) {
                if (j == v.h) continue;
                size_t i = s->vidx[j];
                pk += v.power[j] * s->yield_[i];
                pc += v.power[j];
                if (v.power[j] > best_power) { best_power = v.power[j]; counterpart = (int32_t)i; }
                double raw = ol_model_rival_gain(in->market_access, p->theta, s->vsurp[j], nu, s->sshare[i], G);
                if (s->vriv[j] * raw > best_gain) { best_gain = s->vriv[j] * raw; rival = (int32_t)i; rival_gain = raw; }
            }
            pk = pc > 0 ? pk / pc : 0; /* = ol_model_concession over the counterparts */
            ol_model_utilities_compute(p, &acc, s->P[h], sigma, omega, pk, in->rule == OL_RULE_WEIGHTED, &u);
            Ytot += acc.Y;
            Xtot += acc.X;
        } else if (s->joined[k]) {
            /* out: the accounts as if H were back on the terms in force */
            double *wh = s->whyp + k * na;
            st->member[h] = 1;
            if (!s->hypvalid[k] || s->hypver[k] != st->version) {
                if ((rc = privilege(s, k, st, wh, err)) != OL_OK) { st->member[h] = 0; return rc; }
                s->hypvalid[k] = 1;
                s->hypver[k] = st->version;
            }
            ol_model_view vh;
            build_view(s, r, k, st, wh, y, year, &vh, Pw);
            st->member[h] = 0;
            ol_model_hegemon_accounts(&vh, p, &acc);
            ol_model_utilities_compute(p, &acc, s->P[h], sigma, omega, 0, in->rule == OL_RULE_WEIGHTED, &u);
        }
        if (hmember || s->joined[k]) {
            inst_ctx cx = {k, year, in, st, row, &v, G, counterpart, rival, rival_gain};
            hegemon_act(s, r, &cx, &acc, &u, stochastic, &newinst);
        }

        /* emerging powers (§6.3): reform calls and steps, on the game of the
         * start of the year, unless the membership changed this year */
        if (row->action == OL_ACT_EXIT || row->action == OL_ACT_REJOIN) continue;
        double gap = ol_model_reform_gap(na, s->role, st->member, s->sshare, w);
        if (gap > p->g_star) {
            size_t caller = s->c;
            double worst = -1;
            for (size_t i = 0; i < na; i++)
                if (st->member[i] && (s->role[i] == OL_ROLE_CHALLENGER || s->role[i] == OL_ROLE_EMERGING) &&
                    s->sshare[i] - w[i] > worst) { worst = s->sshare[i] - w[i]; caller = i; }
            if (!s->above[k]) add_event(r, year, k, OL_ACT_REFORM_CALL, caller);
            s->above[k] = 1;
            int review = (year - in->founded) % (int)p->review_years == 0;
            if (in->rule == OL_RULE_WEIGHTED && review) {
                double wH = st->member[h] ? w[h] : 0, prob = 1.0 - wH;
                int step = stochastic ? gsl_rng_uniform(s->rng) < prob : wH < 0.5;
                if (step && ol_model_apply_reform(st, w, s->sshare, p->delta_r)) {
                    ol_model_event *e = add_event(r, year, k, OL_ACT_REFORM, caller);
                    if (e) e->probability = stochastic ? prob : 1.0;
                }
            }
        } else {
            s->above[k] = 0;
        }
    }

    /* order metrics (§7) and the threshold indicators (§5) */
    ol_model_year *yr = &r->years[y];
    yr->year = year;
    yr->ratio = ratio;
    yr->sigma = sigma;
    yr->Y = Ytot;
    yr->X = Xtot;
    yr->leader = leader;
    double PH0 = r->actor_years[h].power;
    yr->estar = ol_model_estar(p->tau, PH0, Ytot, Xtot);
    yr->pc_estar = yr->estar > 0 ? s->P[s->c] / yr->estar : 0;
    double PG = 0;
    for (size_t k = 0; k < nk; k++) PG += s->instG[k];
    yr->PG = PG;
    for (size_t k = 0; k < nk; k++) {
        if (s->instG[k] <= 0 || PG <= 0) continue;
        double g = s->instG[k] / PG;
        yr->HM += g * s->instM[k];
        yr->L += g * (1.0 - s->instM[k]) * s->instA[k];
        yr->LS += g * s->instW[k];
    }
    for (size_t k = 0; k < nk; k++) yr->failures += r->inst_years[y * nk + k].flags != 0;

    /* the year's accounts by actor, then the state of next year: inclusive
     * alternatives (§6.3) and the allies' drift (§6.4) */
    for (size_t i = 0; i < na; i++) {
        ay[i].benefit = s->B[i];
        ay[i].cost = s->K[i];
        ay[i].loss = s->loss[i];
        if (newinst && (s->role[i] == OL_ROLE_CHALLENGER || s->role[i] == OL_ROLE_EMERGING)) {
            double o = s->outside[i] + p->delta_o * newinst;
            s->outside[i] = o > 1 ? 1 : o;
        }
        if (s->role[i] == OL_ROLE_ALLY)
            s->align[i] = ol_model_drift(p, s->align[i], s->align0[i], s->threatened[i], s->exited_in[i]);
    }
    return OL_OK;
}

void ol_model_result_free(ol_model_result *r)
{
    if (!r) return;
    free(r->actor_years);
    free(r->inst_years);
    free(r->years);
    free(r->events);
    free(r);
}

static ol_model_result *result_new(const ol_model_sim *s)
{
    ol_model_result *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->nyears = s->ny;
    r->nactors = s->na;
    r->ninst = s->nk;
    r->events_cap = s->ny * s->nk * EVENTS_PER_INST_YEAR + 1;
    r->actor_years = calloc(s->ny * s->na, sizeof *r->actor_years);
    r->inst_years = calloc(s->ny * s->nk + 1, sizeof *r->inst_years);
    r->years = calloc(s->ny, sizeof *r->years);
    r->events = calloc(r->events_cap, sizeof *r->events);
    if (!r->actor_years || !r->inst_years || !r->years || !r->events) {
        ol_model_result_free(r);
        return NULL;
    }
    return r;
}

ol_status ol_model_sim_run(ol_model_sim *s, uint64_t seed, int stochastic, ol_model_result **out, ol_error *err)
{
    if (!s || !out) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_model_sim_run: no simulation or output");
    ol_model_result *r = *out;
    int fresh = !(r && r->nyears == s->ny && r->nactors == s->na && r->ninst == s->nk);
    if (fresh) {
        if (!(r = result_new(s))) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    } else {
        memset(r->actor_years, 0, s->ny * s->na * sizeof *r->actor_years);
        memset(r->inst_years, 0, s->ny * s->nk * sizeof *r->inst_years);
        memset(r->years, 0, s->ny * sizeof *r->years);
        /* events are cleared one by one as they are added */
        r->nevents = 0;
    }
    r->t0 = s->t0;
    r->t1 = s->t1;
    r->seed = seed;
    r->stochastic = stochastic != 0;

    /* the state at t0 */
    size_t na = s->na, nk = s->nk;
    for (size_t k = 0; k < nk; k++) {
        ol_model_inst_state *x = &s->st[k], *i0 = &s->init[k];
        memcpy(x->member, i0->member, na);
        memcpy(x->veto, i0->veto, na);
        memcpy(x->seats, i0->seats, na * sizeof *x->seats);
        memcpy(x->votes, i0->votes, na * sizeof *x->votes);
        memcpy(x->cost, i0->cost, na * sizeof *x->cost);
        x->clause = i0->clause;
        x->version = i0->version;
    }
    memset(s->wvalid, 0, nk);
    memset(s->hypvalid, 0, nk);
    memset(s->joined, 0, nk);
    memset(s->above, 0, nk);
    memset(s->alt, 0, nk);
    /* The terms the hegemon agreed when it joined hold like renegotiated
     * ones: it does not threaten a body it has just entered (docs/model.md §6.1). */
    for (size_t k = 0; k < nk; k++) {
        int start = s->inst[k].founded > s->hjoin[k] ? s->inst[k].founded : s->hjoin[k];
        s->locked_until[k] = start == INT_MAX ? INT_MIN : start + (int)ceil(s->p.term_years) - 1;
    }
    memset(s->gexit, 0, nk * sizeof *s->gexit);
    for (size_t i = 0; i < na; i++) {
        s->align[i] = s->align0[i];
        s->outside[i] = s->outside0[i];
        s->B[i] = s->K[i] = s->loss[i] = 0;
    }
    /* the whole 64-bit seed keys the counter-based stream: distinct run seeds,
     * distinct streams (a 32-bit MT19937 seed would let runs share one) */
    ol_cbrng_seed(s->rng, seed, 0);

    for (size_t y = 0; y < s->ny; y++) {
        ol_status rc = run_year(s, r, y, stochastic, err);
        if (rc != OL_OK) {
            if (fresh) ol_model_result_free(r);
            return rc;
        }
    }
    if (fresh && *out) ol_model_result_free(*out);
    *out = r;
    return OL_OK;
}

ol_status ol_model_run(const ol_model_world *w, const ol_model_params *p, uint64_t seed, int stochastic,
                       ol_model_result **out, ol_error *err)
{
    ol_model_sim *s = NULL;
    ol_status rc = ol_model_sim_new(w, p, &s, err);
    if (rc == OL_OK) rc = ol_model_sim_run(s, seed, stochastic, out, err);
    ol_model_sim_free(s);
    return rc;
}
