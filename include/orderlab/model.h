/*
 * orderlab/model.h — the institutional-realism model of exit diplomacy
 * (退出外交): the equations of docs/model.md §3–§7 and the yearly simulation.
 *
 * The model is pure computation: it reads a world (actors, institutions,
 * leader profiles; plain structs, filled by the scenario module or by a test)
 * and parameters, and writes a result (actor-year, institution-year and
 * yearly rows and an event list).  No I/O, no store, no global state.
 *
 * Units (docs/model.md §2): every account is in US$ per year, current prices.
 * Utilities are accounts divided by the hegemon's power P_H(t), so they are
 * shares of its GDP.  Shares are in [0, 1].
 *
 * Each equation is a function below, named after docs/model.md, so that it can
 * be tested on hand-computed values; ol_model_run composes them.
 *
 * Ownership: the world and the parameters are read, never kept (a simulation
 * object copies what it needs).  Results belong to the caller
 * (ol_model_result_free).  Errors: OL_EINVAL for a world or parameters that
 * break the rules stated at each field (the message names the actor,
 * institution or parameter: err->field holds its name); OL_ENOMEM.
 * Thread safety: no global state; one ol_model_sim must not run in two
 * threads at once (it holds a cache), but separate sims may.
 */
#ifndef ORDERLAB_MODEL_H
#define ORDERLAB_MODEL_H

#include "orderlab/common.h"

#include <gsl/gsl_rng.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { OL_MODEL_CODE_MAX = 16, OL_MODEL_NAME_MAX = 48 };

/* ================================================================ world */

/* Roles (paper Table 3.1: established and emerging powers; Table 4.1: allies
 * and the competitor).  Exactly one hegemon and exactly one challenger. */
typedef enum ol_model_role {
    OL_ROLE_HEGEMON = 0, /* H, 霸权国 */
    OL_ROLE_CHALLENGER,  /* C, the main competitor */
    OL_ROLE_ALLY,
    OL_ROLE_EMERGING,
    OL_ROLE_OTHER,       /* e.g. ROW, the rest of the world */
    OL_ROLE_COUNT
} ol_model_role;

typedef struct ol_model_actor {
    char code[OL_MODEL_CODE_MAX]; /* orderlab country code, or "ROW" */
    ol_model_role role;
    uint32_t seats;        /* states this actor stands for (1; ROW: its states); >= 1 */
    const double *power;   /* P_i: power[j] is year t0+j, US$ (> 0, finite) */
    size_t npower;         /* data years (>= 1); later years are projected (§3) */
    double growth;         /* g_i, 1/yr, after the data end (> -1) */
    const double *surplus; /* the actor's goods surplus with H, US$/yr, surplus[j] is year
                              t0+j; NULL = none; after its end it scales with P_i */
    size_t nsurplus;
    double dependence;     /* d_i in [0,1] */
    double outside;        /* o_i(t0) in [0,1], outside options */
    double alignment;      /* a_i(t0) in [0,1]; the hegemon's own is ignored (1) */
} ol_model_actor;

/* Domains and forms (paper Table 1.1), levels (Table 4.1). */
typedef enum ol_model_domain {
    OL_DOMAIN_TRADE = 0,     /* 经贸 */
    OL_DOMAIN_GOVERNANCE,    /* 治理 */
    OL_DOMAIN_SECURITY,      /* 安全 */
    OL_DOMAIN_COMPREHENSIVE, /* 综合 */
    OL_DOMAIN_COUNT
} ol_model_domain;

typedef enum ol_model_form {
    OL_FORM_MULTILATERAL = 0,     /* 多边 */
    OL_FORM_PLURI_REGIONAL,       /* 诸边（区域内） */
    OL_FORM_PLURI_CROSSREGIONAL,  /* 诸边（跨区域） */
    OL_FORM_BILATERAL,            /* 双边 */
    OL_FORM_COUNT
} ol_model_form;

typedef enum ol_model_level {
    OL_LEVEL_GLOBAL = 0,   /* global multilateral (WTO) */
    OL_LEVEL_ALLIES,       /* with allies (NAFTA, KORUS) */
    OL_LEVEL_COMPETITOR,   /* with the competitor */
    OL_LEVEL_COUNT
} ol_model_level;

/* Decision rules (docs/model.md §4.1); privilege w_ik is the Shapley–Shubik
 * index of each member in the rule (orderlab/powerindex.h). */
typedef enum ol_model_rule {
    OL_RULE_MAJORITY = 0, /* one state one vote: w = seats_i / |M_k| */
    OL_RULE_CONSENSUS,    /* unanimity: every member a veto player, w = seats_i / |M_k| */
    OL_RULE_WEIGHTED,     /* weighted votes (member.votes) with quota, vetoes (member.veto) */
    OL_RULE_VETO_COUNCIL, /* veto players (member.veto) + one vote per seat with quota, in a
                             council of `council` seats: the non-veto members fill the elected
                             seats in rotation, so each holds the elected seat's index times
                             (council − vetoes)/(|M_k| − vetoes) (Security Council: 5 + 10, 9 of 15) */
    OL_RULE_COUNT
} ol_model_rule;

/* One membership spell.  For the hegemon, `from` is the year it joins and
 * `to` is ignored: whether it stays is what the model decides. */
typedef struct ol_model_member {
    size_t actor;      /* index into world.actors */
    int from, to;      /* member in years from..to inclusive; to == 0: open-ended */
    uint32_t seats;    /* states of the actor that are members; 0 = actor.seats */
    double votes;      /* vote weight at the start (OL_RULE_WEIGHTED; any scale, >= 0) */
    int veto;          /* a veto player (OL_RULE_WEIGHTED, OL_RULE_VETO_COUNCIL) */
    double cost_share; /* c_ik at the start (assessed scale; any scale, >= 0) */
} ol_model_member;

typedef struct ol_model_institution {
    char code[OL_MODEL_CODE_MAX]; /* e.g. "UN", "IMF", "NAFTA" */
    ol_model_domain domain;
    int market_access; /* 1: membership opens H's market, so a rival's gain is its goods surplus
                          with H (the paper's proxy, Table 3.2 (1)); 0: its share of G_k */
    ol_model_form form;
    ol_model_level level;
    ol_model_rule rule;
    double quota;      /* share of votes (WEIGHTED) or of seats (MAJORITY, VETO_COUNCIL) a
                          decision needs, in (0,1]; ignored for CONSENSUS */
    uint32_t council;  /* VETO_COUNCIL: seats on the council (> number of veto seats) */
    int founded;       /* year; active from then (age_k = t − founded) */
    int dissolved;     /* last active year; 0 = never */
    double budget;     /* C_k, annual cost, US$/yr (>= 0) */
    int jurisdiction, censure, verification; /* j_k, u_k, v_k: binding rules on H (0/1) */
    size_t nmembers;
    const ol_model_member *members;
} ol_model_institution;

/* A leader profile (§4(一): the leader's personality amplifies the reaction),
 * in force from year `from` until the next profile. */
typedef struct ol_model_leader {
    char name[OL_MODEL_NAME_MAX];
    int from;
    double temperament; /* θ_L >= 0, scales sensitivity */
    double omega;       /* ω_L >= 0, weight on systemic damage */
} ol_model_leader;

typedef struct ol_model_world {
    int t0, t1;                      /* years simulated, t0 <= t1 */
    size_t nactors;
    const ol_model_actor *actors;
    size_t ninst;
    const ol_model_institution *inst;
    size_t nleaders;                 /* sorted by from; before the first, params' defaults */
    const ol_model_leader *leaders;
    uint32_t nstates;                /* N, states in the world (breadth_k); 0 = Σ seats */
} ol_model_world;

/* ================================================================ parameters */

/* Every parameter, named after its symbol in docs/model.md; the scenario
 * module fills this struct.  ol_model_params_default gives the documented
 * defaults (provisional until the calibration of docs/model.md §9). */
typedef struct ol_model_params {
    double tau;           /* τ, threshold of the power ratio P_C/P_H (paper §4(一): 2/3) */
    double kappa;         /* κ, steepness of sensitivity around τ, per unit of ratio */
    double temperament;   /* θ_L when no leader profile is in force */
    double omega;         /* ω_L when no leader profile is in force */
    double eta;           /* η, feedback of institutional net gains into power, 1 (US$/US$) */
    double gamma[OL_DOMAIN_COUNT]; /* γ_dom, public goods per unit of member power, 1/yr */
    double pi;            /* π, power premium: value of privilege per unit of reach, share of P_H */
    double theta;         /* θ, share of a rival's surplus with H attributed to a trade institution */
    double rho_A;         /* ρ_A, rivalry weight of a fully unaligned ally */
    double zeta;          /* ζ, cost of binding rules, share of P_H at full binding */
    double rho_rep;       /* ρ_rep, reputation cost of leaving a universal mature body, share of P_H */
    double age_full;      /* A, years after which an institution's reputation weight is full */
    double lambda_Y;      /* λ_Y, weight of spillover in the exit motive */
    double lambda_X;      /* λ_X, weight of consumption */
    double lambda_Z;      /* λ_Z, weight of constraint */
    double epsilon;       /* ε, share of the spillover at stake both sides lose in escalation */
    double phi;           /* φ, cost of a threat as a share of the exit's reputation cost */
    double delta_Y;       /* δ_Y, share of rivals' spillover an exclusive clause removes */
    double delta_c;       /* δ_c, relative fall of H's cost share in a renegotiation */
    double delta_nu;      /* δ_ν, relative rise of H's vote share in a renegotiation */
    double beta_d;        /* β_d, concession logit: dependence */
    double beta_a;        /* β_a, concession logit: alignment */
    double beta_o;        /* β_o, concession logit: outside options */
    double beta_0;        /* β_0, concession logit: intercept */
    double kappa_rejoin;  /* κ_rejoin, cost of coming back, share of P_H */
    double term_years;    /* T_terms, years renegotiated terms hold before H can threaten the
                             institution again (USMCA art. 34.7: joint review after 6 years) */
    double mu;            /* μ, logit rationality, per unit of utility (share of P_H) */
    double g_star;        /* g*, gap of (emerging + challenger) power over privilege that
                             triggers a reform call */
    double delta_r;       /* δ_r, share of the total vote weight a reform step moves */
    double review_years;  /* years between reviews of a weighted rule, when a reform step can
                             happen (IMF: a General Review of Quotas at least every 5 years,
                             Articles of Agreement art. III sec. 2(a)); counted from founding */
    double delta_o;       /* Δo, rise of outside options when an inclusive alternative is founded */
    double alpha_p;       /* α_p, alignment loss of an ally under threat, per year */
    double alpha_x;       /* α_x, alignment loss of an ally when H exits one of its bodies */
    double alpha_r;       /* α_r, yearly reversion of alignment to its start */
    double nu_max;        /* ν_max, non-neutrality beyond which governance fails (§3(一)2) */
    double f_star;        /* f*, fall of G_k after an exit that counts as governance failure */
    double vote_units;    /* integer units per total vote in the power index (10,000 = bp) */
} ol_model_params;

OL_API void ol_model_params_default(ol_model_params *p);

/* Checks ranges (all finite; shares in [0,1]; rates >= 0; τ > 0;
 * vote_units in [100, 1e6]); OL_EINVAL naming the parameter in err->field. */
OL_API ol_status ol_model_params_check(const ol_model_params *p, ol_error *err);

/* Checks the world: one hegemon, one challenger, t0 <= t1, indices in range,
 * powers finite and > 0, shares in [0,1], rules and quotas valid, leader
 * profiles sorted.  OL_EINVAL naming the actor or institution. */
OL_API ol_status ol_model_world_check(const ol_model_world *w, ol_error *err);

/* ================================================================ equations */

/* Functional output, §4: G_k = γ_dom(k) Σ_{i∈M_k} P_i (US$/yr). */
OL_API double ol_model_output(double gamma, double member_power);

/* Non-neutrality (制度非中性), §4: ν_k = ½ Σ_i |w_ik − seats_i/|M_k||, the
 * total-variation distance from one state one vote, over the n members
 * (privilege w, seats). */
OL_API double ol_model_nonneutrality(size_t n, const double *w, const uint32_t *seats);

/* Half the L1 distance between two share vectors (hierarchy mismatch, §7). */
OL_API double ol_model_tv_distance(size_t n, const double *a, const double *b);

/* One institution in one year, as the account equations see it: the members
 * only (index 0..n-1), with H at index `h` (h may be n, "not a member", for
 * the accounts of others). */
typedef struct ol_model_view {
    size_t n;
    size_t h;                 /* position of the hegemon among the members */
    const double *power;      /* P_i, US$ */
    const uint32_t *seats;
    const double *privilege;  /* w_ik, sums to 1 */
    const double *cost_share; /* c_ik, sums to 1 (or all 0 when no one pays) */
    const double *rivalry;    /* ρ_j (0 for H) */
    const double *alignment;  /* a_j */
    const double *surplus;    /* surplus_j,H, US$/yr (market-access bodies) */
    double clause;            /* share of rivals' spillover removed by exclusive clauses */
    ol_model_domain domain;
    int market_access; /* 1: membership opens H's market, so a rival's gain is its goods surplus
                          with H (the paper's proxy, Table 3.2 (1)); 0: its share of G_k */
    double budget;            /* C_k */
    int jurisdiction, censure, verification;
    int age;                  /* years since founding */
    double world_power;       /* P_world = Σ over all actors */
    uint32_t world_states;    /* N */
} ol_model_view;

/* The hegemon's accounts in one institution (§4.2), US$/yr, and the
 * quantities they are built from. */
typedef struct ol_model_accounts {
    double G;     /* functional output */
    double nu;    /* non-neutrality */
    double sH;    /* H's power share among the members */
    double wH;    /* H's privilege */
    double cH;    /* H's cost share */
    double reach; /* Σ_{M_k} P_i / P_world */
    double abar;  /* power-weighted mean alignment of the other members */
    double F, R, X, Y, Z, Rep, S;
} ol_model_accounts;

/* ρ_j (§4.2): 1 for the challenger and emerging powers, ρ_A(1 − a_j) for
 * allies, 0 for the hegemon and others. */
OL_API double ol_model_rivalry(ol_model_role role, double alignment, double rho_A);

/* A rival's gain gain_jk (§4.2): market access: θ max(0, surplus); otherwise
 * (1 − ν) s_jk G. */
OL_API double ol_model_rival_gain(int market_access, double theta, double surplus, double nu,
                                  double share, double G);

/* All of §4.2 for the member at v->h (< v->n). */
OL_API void ol_model_hegemon_accounts(const ol_model_view *v, const ol_model_params *p,
                                      ol_model_accounts *out);

/* §4.3: B_ik = (1 − ν) s_ik G + ν w_ik G and K_ik = c_ik C, for every member
 * (arrays of v->n). */
OL_API void ol_model_member_accounts(const ol_model_view *v, double nu, double G, double *benefit,
                                     double *cost);

/* §5: σ(t) = θ_L logistic(κ (r − τ)). */
OL_API double ol_model_sensitivity(const ol_model_params *p, double ratio, double temperament);

/* §5: E*(t) = τ [P_H(t0) − (Y(t) + X(t))], the paper's limit as an indicator. */
OL_API double ol_model_estar(double tau, double ph0, double Y, double X);

/* §6.1: the concession probability p_k = Σ_j s_j logistic(β_d d_j + β_a a_j −
 * β_o o_j + β_0) over the n counterparts, s_j their power shares among the
 * counterparts (renormalised to sum to 1).  0 when n == 0. */
OL_API double ol_model_concession(const ol_model_params *p, size_t n, const double *power,
                                  const double *dependence, const double *alignment,
                                  const double *outside);

/* The hegemon's utilities in one institution (§6.1), in shares of P_H. */
typedef struct ol_model_utilities {
    double stay;       /* 0 */
    double exit_;      /* U_exit (as a member) */
    double threaten;   /* U_threaten */
    double value;      /* V_k, value of renegotiated terms */
    double escalate;   /* −ε σ λ_Y Y_k, the escalation fallback */
    double rejoin;     /* U_rejoin = −U_exit − κ_rejoin (meaningful when H is out) */
    double p;          /* p_k */
    /* the weighted terms of U_exit that say which effect an action counters */
    double term_Y, term_X, term_Z;
    /* the terms of V_k that say which exit-balancing means a renegotiation is */
    double v_Y, v_X, v_nu;
} ol_model_utilities;

/*
 * U_exit = σ(λ_Y Y + λ_X X + λ_Z Z) − (F + R) − Rep − ω S;
 * V = σ(λ_Y δ_Y Y + λ_X δ_c X + δ_ν R [terms_shift]);
 * U_threaten = p V + (1 − p) max(U_exit, −ε σ λ_Y Y) − φ Rep;
 * U_rejoin = −U_exit − κ_rejoin; all accounts divided by PH.
 * terms_shift: the rule has vote weights that a renegotiation can shift
 * (OL_RULE_WEIGHTED); elsewhere V has no δ_ν term.
 * Note: the terms shift is scaled by σ like the other gains of renegotiation
 * (docs/model.md writes it unscaled): far below the threshold the hegemon
 * has no motive to reopen terms (stylised fact 1).
 */
OL_API void ol_model_utilities_compute(const ol_model_params *p, const ol_model_accounts *a,
                                       double PH, double sigma, double omega, double pconcede,
                                       int terms_shift, ol_model_utilities *out);

/* The actions recorded (institution-year action, events). */
typedef enum ol_model_action {
    OL_ACT_NONE = 0,     /* institution inactive, or H not yet joined */
    OL_ACT_STAY,
    OL_ACT_THREATEN,     /* event only: the threat; its outcome is a second event */
    OL_ACT_RENEGOTIATE,  /* threat conceded */
    OL_ACT_ESCALATE,     /* threat refused, H stays and escalates */
    OL_ACT_EXIT,
    OL_ACT_STAY_OUT,
    OL_ACT_REJOIN,
    OL_ACT_REFORM_CALL,  /* emerging powers call for reform (Table 3.1) */
    OL_ACT_REFORM,       /* the rule moves a step towards power */
    OL_ACT_NEW_INSTITUTION, /* emerging powers found an inclusive alternative */
    OL_ACT_COUNT
} ol_model_action;

/* Choice sets: a member chooses among STAY, THREATEN, EXIT (u[0..2]; only
 * STAY and EXIT while renegotiated terms hold); an exited hegemon between
 * STAY_OUT and REJOIN (u[0..1]). */
enum { OL_CHOICE_STAY = 0, OL_CHOICE_THREATEN = 1, OL_CHOICE_EXIT = 2, OL_CHOICE_REJOIN = 1 };

/* Deterministic choice: the index of the largest utility; ties go to the
 * lowest index (stay). */
OL_API size_t ol_model_choose_argmax(size_t n, const double *u);

/* Logit (quantal response): P(a) ∝ exp(μ u_a), one uniform draw from rng;
 * *prob (may be NULL) gets the probability of the chosen action. */
OL_API size_t ol_model_choose_logit(size_t n, const double *u, double mu, gsl_rng *rng,
                                    double *prob);

/* ---------------------------------------------------------- institution state */

/* The mutable rule inputs of one institution during a run: raw vote weights
 * and cost shares by actor (any scale, renormalised over the members in
 * force), veto flags, membership, clauses.  Consequences (§6.2, §6.3) change
 * it; the privilege is then recomputed. */
typedef struct ol_model_inst_state {
    size_t nactors;
    unsigned char *member;  /* [nactors] */
    uint32_t *seats;        /* [nactors] */
    double *votes;          /* [nactors] raw vote weight (kept for H while out) */
    unsigned char *veto;    /* [nactors] */
    double *cost;           /* [nactors] raw cost share (kept for H while out) */
    double clause;          /* share of rivals' spillover removed, in [0,1] */
    uint64_t version;       /* bumped by every change of the rule inputs or membership */
} ol_model_inst_state;

/* Privilege of every actor under the institution's rule on state st (w[i] = 0
 * for non-members), computed exactly (orderlab/powerindex.h; no cache: the
 * simulation keeps its own).  Weighted votes are split evenly over an actor's
 * seats and rounded to p->vote_units per total; the quota is applied to the
 * rounded total.  OL_EINVAL when the rule has no valid game (e.g. no member)
 * or for more than 63 actors. */
OL_API ol_status ol_model_privilege(const ol_model_institution *k, const ol_model_inst_state *st,
                                    const ol_model_params *p, double *w, ol_error *err);

/* Cost shares c_ik of the members (renormalised raw shares; 0 for others). */
OL_API void ol_model_cost_shares(const ol_model_inst_state *st, double *c);

/* §6.2 exit: H leaves (its votes and cost share are kept for a rejoin). */
OL_API void ol_model_apply_exit(ol_model_inst_state *st, size_t h);
/* §6.2 rejoin: H re-enters on the terms in force when it left. */
OL_API void ol_model_apply_rejoin(ol_model_inst_state *st, size_t h);
/* §6.2 renegotiation: H's vote share v_H becomes min(1, v_H (1 + δ_ν)) (taken
 * from the other members in proportion to their votes; OL_RULE_WEIGHTED only:
 * elsewhere the counterparts accept H's terms through the clause and the
 * cost shift only), H's cost share c_H becomes (1 − δ_c) c_H (the others pay
 * the rest in proportion), and an exclusive clause removes δ_Y of the
 * rivals' remaining spillover: clause ← 1 − (1 − clause)(1 − δ_Y). */
OL_API void ol_model_apply_renegotiation(ol_model_inst_state *st, ol_model_rule rule, size_t h,
                                         const ol_model_params *p);
/* §6.3 reform step (weighted rules): δ_r of the total vote weight moves from
 * the members whose privilege exceeds their power share, in proportion to
 * the excess, to those below it, in proportion to the shortfall.  w and s
 * are by actor (0 for non-members).  Returns 1 when anything moved. */
OL_API int ol_model_apply_reform(ol_model_inst_state *st, const double *w, const double *s,
                                 double delta_r);
/* §6.3: gap_k = Σ_{e∈E∪C} (s_ek − w_ek), by actor arrays. */
OL_API double ol_model_reform_gap(size_t nactors, const ol_model_role *role, const unsigned char *member,
                                  const double *s, const double *w);

/* §6.4: a' = clamp(a − α_p [threatened] − α_x [exited] + α_r (a0 − a), 0, 1). */
OL_API double ol_model_drift(const ol_model_params *p, double a, double a0, int threatened,
                             int exited);

/* ================================================================ simulation */

/* Table 4.2 balancing means. */
typedef enum ol_model_means {
    OL_MEANS_NONE = 0,          /* not the hegemon's action (emerging powers) */
    OL_MEANS_INCLUSION,         /* old means: embed (stay, rejoin) */
    OL_MEANS_DIFFERENTIATION,   /* old means */
    OL_MEANS_MANIPULATION,      /* old means: the threat as leverage */
    OL_MEANS_SQUEEZE_SPILLOVER, /* exit balancing: squeeze spillover gains */
    OL_MEANS_RESHAPE_HIERARCHY, /* exit balancing: reshape hierarchy and non-neutrality */
    OL_MEANS_CUT_CONSUMPTION,   /* exit balancing: cut the leader's consumption */
    OL_MEANS_COUNT
} ol_model_means;

/* Table 3.2 effects (and the constraint account of footnote ① of §1). */
typedef enum ol_model_effect {
    OL_EFFECT_NONE = 0,
    OL_EFFECT_SPILLOVER,   /* 溢出效应 */
    OL_EFFECT_CONSUMPTION, /* 消耗效应 */
    OL_EFFECT_CONSTRAINT,  /* 松绑 */
    OL_EFFECT_COUNT
} ol_model_effect;

/* Stable lower-case names ("renegotiate", "squeeze_spillover", ...). */
OL_API const char *ol_model_action_name(ol_model_action a);
OL_API const char *ol_model_means_name(ol_model_means m);
OL_API const char *ol_model_effect_name(ol_model_effect e);
OL_API const char *ol_model_role_name(ol_model_role r);

typedef struct ol_model_actor_year {
    int year;
    uint32_t actor;
    double power;      /* P_i(t), US$ */
    double share;      /* P_i / Σ_j P_j */
    double alignment;  /* a_i(t) */
    double outside;    /* o_i(t) */
    double benefit;    /* Σ_k B_ik, US$/yr */
    double cost;       /* Σ_k K_ik, US$/yr */
    double loss;       /* escalation losses this year, US$ */
} ol_model_actor_year;

/* Failure flags of an institution-year (§7). */
enum { OL_FAIL_NONNEUTRAL = 1u, OL_FAIL_OUTPUT = 2u };

typedef struct ol_model_inst_year {
    int year;
    uint32_t inst;
    int active;        /* institution exists this year */
    int member;        /* H a member at the start of the year */
    uint32_t nmembers; /* member states (seats) at the start of the year */
    double wH, nu, G, C, cH; /* in force (wH, cH: 0 when H is out) */
    double wC;               /* the challenger's privilege in force (0 when not a member) */
    /* H's accounts, US$/yr: as a member, or for an exited H as if it were a
     * member on the terms in force (the basis of U_rejoin) */
    double F, R, X, Y, Z, Rep, S;
    double u_stay, u_threaten, u_exit, u_rejoin, p_concede; /* shares of P_H */
    ol_model_action action; /* STAY, RENEGOTIATE, ESCALATE, EXIT, STAY_OUT, REJOIN, NONE */
    unsigned flags;         /* OL_FAIL_* */
} ol_model_inst_year;

typedef struct ol_model_event {
    int year;
    uint32_t inst;
    ol_model_action action;
    int32_t actor;        /* who acts: H, or the challenger/emerging power */
    int32_t counterpart;  /* principal counterpart (largest power among the others), -1 none */
    int32_t rival;        /* the member with the largest rivalry-weighted gain, -1 none */
    ol_model_means means;
    ol_model_effect effect;
    double probability;   /* of this choice (stochastic) or of concession (threats); 1 otherwise */
} ol_model_event;

typedef struct ol_model_year {
    int year;
    double ratio;   /* r = P_C / P_H */
    double sigma;   /* σ */
    double Y, X;    /* Σ_k Y_k, Σ_k X_Hk, US$/yr */
    double estar;   /* E* */
    double pc_estar;/* P_C / E* (0 when E* <= 0) */
    double PG, HM, L, LS;
    uint32_t failures; /* institutions flagged this year */
    int leader;     /* index of the leader profile in force, -1 = defaults */
} ol_model_year;

typedef struct ol_model_result {
    int t0, t1;
    size_t nyears, nactors, ninst;
    uint64_t seed;
    int stochastic;
    ol_model_actor_year *actor_years; /* [nyears × nactors], year-major */
    ol_model_inst_year *inst_years;   /* [nyears × ninst], year-major */
    ol_model_year *years;             /* [nyears] */
    ol_model_event *events;           /* [nevents], in order of occurrence */
    size_t nevents, events_cap;
} ol_model_result;

OL_API void ol_model_result_free(ol_model_result *r);

/* A prepared simulation: the world checked and copied into flat arrays, and
 * a cache of power indices keyed by game (reused across runs).  Create once,
 * run many times. */
typedef struct ol_model_sim ol_model_sim;

OL_API ol_status ol_model_sim_new(const ol_model_world *w, const ol_model_params *p,
                                  ol_model_sim **out, ol_error *err);
OL_API void ol_model_sim_free(ol_model_sim *s);

/*
 * Prepares s for runs on world w with parameters p, as ol_model_sim_new
 * would, but keeps its cache of power indices: a sweep changes parameters
 * and actor or leader values between runs, and recomputing the indices of
 * the starting games (~6 ms for the default scenario) would cost far more
 * than a run (~0.2 ms).  The cache stays right whatever changes: an entry is
 * keyed by the whole game (each type's vote weight, count and veto, and the
 * quota), and a game's Shapley–Shubik index depends on nothing else; the
 * parameters only decide which games arise (vote_units, δ_ν and δ_r through
 * the weights).  A run after an update gives the same result, byte for byte,
 * as a run on a fresh ol_model_sim_new(w, p).  w must have the shape s was
 * made for (years, actors, institutions, leader profiles, memberships), else
 * OL_EINVAL; OL_EINVAL also from the checks of ol_model_sim_new (s is then
 * unchanged).  w and p are read, never kept.  O(actors × years + memberships).
 */
OL_API ol_status ol_model_sim_update(ol_model_sim *s, const ol_model_world *w, const ol_model_params *p,
                                     ol_error *err);

/*
 * One run, years t0..t1 (docs/model.md §3–§7).  stochastic = 0: argmax
 * choices, threats conceded when p_k >= ½, reform steps when w_Hk < ½ — no
 * randomness, seed only echoed.  stochastic != 0: logit choices and draws from
 * a counter-based Philox4x64-10 stream keyed by the whole 64-bit seed
 * (src/util/cbrng.h: distinct seeds, independent streams).  Same
 * world, parameters and seed: the same result, byte for byte.
 * *out is NULL or a result of an earlier run: a result of the same shape
 * (years, actors, institutions) is reused without allocation, one of another
 * shape is freed and replaced (free the last with ol_model_result_free).
 * On error *out is left as it was.
 * Complexity: O(years × (institutions × actors)) plus the power indices,
 * computed only when a rule or membership changes and cached by game.
 */
OL_API ol_status ol_model_sim_run(ol_model_sim *s, uint64_t seed, int stochastic,
                                  ol_model_result **out, ol_error *err);

/* ol_model_sim_new + ol_model_sim_run + ol_model_sim_free. */
OL_API ol_status ol_model_run(const ol_model_world *w, const ol_model_params *p, uint64_t seed,
                              int stochastic, ol_model_result **out, ol_error *err);

/* The seed of run `run` of a scenario seeded `seed` (splitmix64 of both), so
 * that runs are independent and reproducible one by one. */
OL_API uint64_t ol_model_seed(uint64_t seed, uint64_t run);

#ifdef __cplusplus
}
#endif
#endif
