/*
 * orderlab/scenario.h — scenarios: what the model of exit diplomacy is run on.
 *
 * A scenario is a YAML file (comments allowed) holding the scalar parameters
 * of the model, the hegemon's leader profiles, the actors, the institutions
 * and the memberships.  The three large tables may instead live in CSV files
 * named from the YAML (actors_csv, institutions_csv, memberships_csv; paths
 * relative to the YAML file), so that a researcher can keep them in a
 * spreadsheet.  The format, every key and its default are documented in
 * docs/scenario.md; `orderlab scenario show` prints the built-in default.
 *
 * The schema is table-driven: OL_SCENARIO_PARAMS below lists every scalar
 * parameter once (key, default, range, unit, doc, paper reference).  The
 * struct ol_scenario_params, the loader, the validator, the writer and the
 * documentation all come from that list, so a new parameter is one line.
 * The list tables (leaders, actors, institutions, memberships) have their own
 * field specs, readable through ol_scenario_tables().
 *
 * Ownership: ol_scenario_load and ol_scenario_default allocate an ol_scenario
 * that the caller frees with ol_scenario_free.  Its arrays belong to it.  The
 * struct is public so that a run may read it directly and override a value
 * (e.g. the seed) before it starts; ol_scenario_validate checks it again.
 * Nothing here keeps global state; separate scenarios may be used from
 * separate threads.
 */
#ifndef ORDERLAB_SCENARIO_H
#define ORDERLAB_SCENARIO_H

#include "orderlab/common.h"
#include "orderlab/store.h"

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Field flags. */
enum {
    OL_FIELD_REQUIRED = 1u,  /* a list row must give it */
    OL_FIELD_MIN_OPEN = 2u,  /* the value must be > min (not >=) */
    OL_FIELD_MAX_OPEN = 4u,  /* the value must be < max */
    OL_FIELD_NULLABLE = 8u   /* `null` is a value (stored as "" / NaN / 0) */
};

/*
 * Every scalar parameter of a scenario.  Columns:
 *   REAL(field, key, default, min, max, flags, unit, doc, paper reference)
 *   INT (field, key, default, min, max, flags, unit, doc, paper reference)
 *   TEXT(field, key, default, size, flags, doc, paper reference)
 *   ENUM(field, key, default, "term|term|...", doc, paper reference)
 * key is the dotted YAML path.  A REAL may be written as a fraction ("2/3").
 * An ENUM is stored as the index of its term.  Beside the scenario-level
 * entries (name .. power.default_growth), every field of ol_model_params
 * (orderlab/model.h) has exactly one entry here, with the default of
 * ol_model_params_default (tested); ol_scenario_model_params maps them.
 * docs/model.md §9 gives each one's symbol, unit and source.
 */
#define OL_SCENARIO_PARAMS(REAL, INT, TEXT, ENUM) \
    TEXT(name, "name", "unnamed", 128, 0, "a short name, echoed into every output", "") \
    TEXT(description, "description", "", 1024, 0, "what the scenario is for", "") \
    INT(year_start, "years.start", 1990, 1800, 2200, 0, "year", "first simulated year t0", "") \
    INT(year_end, "years.end", 2030, 1800, 2200, 0, "year", "last simulated year t1 (inclusive)", "") \
    INT(seed, "seed", 20181017, 0, 9007199254740991.0, 0, "", \
        "seed of the random draws (at most 2^53-1, so that JSON keeps it exact)", "") \
    ENUM(choice_rule, "choice.rule", "argmax", "argmax|logit", \
         "the hegemon's choice: argmax (deterministic) or logit (quantal response)", "§2(二) 商人思维") \
    REAL(choice_rationality, "choice.rationality", 50000.0, 0, 1e9, OL_FIELD_MIN_OPEN, "1/(share of P_H)", \
         "μ: rationality of the logit choice, per unit of utility (large: close to argmax)", "§2(二)") \
    TEXT(power_series, "power.series", "NY.GDP.MKTP.CD", 64, 0, \
         "store series measuring power P_i (GDP in current US$ by default)", "§3(一) 1 权力资源") \
    TEXT(power_vintage, "power.vintage", "", 32, OL_FIELD_NULLABLE, \
         "vintage of the power series; null: the latest imported", "") \
    INT(power_known_until, "power.known_until", 0, 0, 2200, 0, "year", \
        "last year of data the world may use (a backtest's vintage): later power is projected with the " \
        "growth of the decade up to it, later trade surpluses scale with power; 0: all data", "") \
    REAL(power_default_growth, "power.default_growth", 0.035, -0.5, 1.0, 0, "1/year", \
         "growth g_i after the data end for actors with neither their own growth nor a data-based one", "") \
    REAL(power_feedback, "power.feedback", 0.0, 0, 10, 0, "US$/US$", \
         "η: share of institutional net gains (B − K) fed back into power", "§3(一) 1") \
    REAL(threshold_tau, "threshold.tau", 2.0 / 3.0, 0, 1, OL_FIELD_MIN_OPEN | OL_FIELD_MAX_OPEN, \
         "P_C/P_H", "τ: the tolerance threshold of the power ratio", "§4(一) 2/3") \
    REAL(threshold_steepness, "threshold.steepness", 12.0, 0, 1000, OL_FIELD_MIN_OPEN, "1/(P_C/P_H)", \
         "κ: steepness of the sensitivity σ around τ", "§4(一)") \
    REAL(leader_temperament, "leader.temperament", 1.0, 0, 100, 0, "1", \
         "θ_L before the first leader profile (profiles set it from their year)", "§4(一) 领导人个性") \
    REAL(leader_systemic_weight, "leader.systemic_weight", 1.0, 0, 100, 0, "1", \
         "ω_L before the first leader profile: weight on systemic damage", "§2(二) footnote ①") \
    REAL(accounts_spillover_weight, "accounts.spillover_weight", 1.0, 0, 100, 0, "1", \
         "λ_Y: weight of the spillover account in the exit motive", "Table 3.2 (1) 溢出效应") \
    REAL(accounts_consumption_weight, "accounts.consumption_weight", 1.0, 0, 100, 0, "1", \
         "λ_X: weight of the consumption account", "Table 3.2 (2) 消耗效应") \
    REAL(accounts_constraint_weight, "accounts.constraint_weight", 1.0, 0, 100, 0, "1", \
         "λ_Z: weight of the constraint account (binding rules)", "§1 footnote ① 松绑") \
    REAL(accounts_power_premium, "accounts.power_premium", 0.01, 0, 1, 0, "share of P_H", \
         "π: value of privilege per unit of reach, one premium for all institutions", "§3(一) 2 制度非中性") \
    REAL(accounts_reputation, "accounts.reputation", 0.0005, 0, 1, 0, "share of P_H", \
         "ρ_rep: reputation cost of leaving a universal, mature body (scaled by breadth and age)", "§2(二), §4(一)") \
    REAL(accounts_reputation_age_years, "accounts.reputation_age_years", 20.0, 0, 1000, \
         OL_FIELD_MIN_OPEN, "year", "A: age at which an institution's reputation weight is full", "§4(一)") \
    REAL(accounts_constraint_scale, "accounts.constraint_scale", 0.002, 0, 1, 0, "share of P_H", \
         "ζ: cost of fully binding rules on the hegemon", "§1 footnote ①") \
    REAL(accounts_gains_trade, "accounts.gains.trade", 0.002, 0, 1, 0, "1/year", \
         "γ_trade: public goods of a trade institution per unit of its members' power", "§3(一) 2 功能属性") \
    REAL(accounts_gains_governance, "accounts.gains.governance", 0.0005, 0, 1, 0, "1/year", \
         "γ_governance: the same for a governance institution", "§3(一) 2") \
    REAL(accounts_gains_security, "accounts.gains.security", 0.001, 0, 1, 0, "1/year", \
         "γ_security: the same for a security institution", "§3(一) 2") \
    REAL(accounts_gains_comprehensive, "accounts.gains.comprehensive", 0.001, 0, 1, 0, "1/year", \
         "γ_comprehensive: the same for a comprehensive institution", "§3(一) 2") \
    REAL(accounts_trade_attribution, "accounts.trade_attribution", 0.2, 0, 1, 0, "1", \
         "θ: share of a rival's goods surplus with the hegemon attributed to each trade institution", \
         "Table 3.2 (1)") \
    REAL(accounts_ally_rivalry, "accounts.ally_rivalry", 0.5, 0, 1, 0, "1", \
         "ρ_A: rivalry weight of a fully unaligned ally (1 for challenger and emerging)", "§4(一)") \
    REAL(bargaining_dependence, "bargaining.dependence", 6.0, -100, 100, 0, "1", \
         "β_d: logit coefficient of dependence on the hegemon in the concession probability", "Table 4.1") \
    REAL(bargaining_alignment, "bargaining.alignment", 3.0, -100, 100, 0, "1", \
         "β_a: logit coefficient of alignment with the hegemon", "Table 4.1") \
    REAL(bargaining_outside_option, "bargaining.outside_option", 4.0, -100, 100, 0, "1", \
         "β_o: logit coefficient of the outside option (enters with a minus sign)", "Table 4.1") \
    REAL(bargaining_intercept, "bargaining.intercept", -3.0, -100, 100, 0, "1", \
         "β_0: logit intercept of the concession probability", "Table 4.1") \
    REAL(bargaining_vote_shift, "bargaining.vote_shift", 0.1, 0, 10, 0, "1", \
         "δ_ν: relative rise of the hegemon's vote share in a renegotiation (weighted rules)", "Table 4.2") \
    REAL(bargaining_cost_shift, "bargaining.cost_shift", 0.1, 0, 1, 0, "1", \
         "δ_c: relative fall of the hegemon's cost share in a renegotiation", "Table 4.2") \
    REAL(bargaining_exclusive_clause, "bargaining.exclusive_clause", 0.3, 0, 1, 0, "1", \
         "δ_Y: share of rivals' spillover an exclusive clause removes", "Table 4.1 (USMCA 32.10)") \
    REAL(bargaining_escalation_loss, "bargaining.escalation_loss", 0.2, 0, 1, 0, "1", \
         "ε: share of the spillover at stake that both sides lose when a refused threat escalates", "Table 4.1") \
    REAL(bargaining_threat_cost, "bargaining.threat_cost", 0.25, 0, 10, 0, "1", \
         "φ: cost of a threat as a share of the reputation cost of the exit threatened", "§4(一)") \
    REAL(bargaining_rejoin_cost, "bargaining.rejoin_cost", 0.0001, 0, 1, 0, "share of P_H", \
         "κ_rejoin: cost of coming back to an exited institution", "§2(二)") \
    REAL(bargaining_terms_years, "bargaining.terms_years", 6.0, 0, 1000, 0, "year", \
         "T_terms: years renegotiated terms hold before the hegemon can threaten again", "USMCA art. 34.7") \
    REAL(emerging_reform_gap, "emerging.reform_gap", 0.1, -1, 1, 0, "1", \
         "g*: gap of the emerging powers' and challenger's power share over their privilege that " \
         "triggers a reform call", "Table 3.1") \
    REAL(emerging_reform_step, "emerging.reform_step", 0.01, 0, 1, 0, "1", \
         "δ_r: share of the total vote weight one reform step moves towards power (weighted rules)", \
         "Table 3.1") \
    REAL(emerging_review_years, "emerging.review_years", 5.0, 1, 1000, 0, "year", \
         "years between reviews of a weighted rule, when a reform step can happen (counted from founding)", \
         "IMF AoA art. III sec. 2(a)") \
    REAL(emerging_new_institution_outside_option, "emerging.new_institution_outside_option", 0.05, 0, 1, \
         0, "1", "Δo: rise of outside options when the emerging powers found an inclusive alternative", \
         "Table 3.1") \
    REAL(allies_pressure_drift, "allies.pressure_drift", 0.03, 0, 1, 0, "1/threat", \
         "α_p: fall of an ally's alignment in a year the hegemon threatens it", "§4(一), Fig 4.2") \
    REAL(allies_exit_drift, "allies.exit_drift", 0.01, 0, 1, 0, "1/exit", \
         "α_x: fall of an ally's alignment when the hegemon exits a body it belongs to", "§4(一)") \
    REAL(allies_reversion, "allies.reversion", 0.1, 0, 1, 0, "1/year", \
         "α_r: pull of alignment back to its initial value", "§4(一)") \
    REAL(order_max_non_neutrality, "order.max_non_neutrality", 0.5, 0, 1, 0, "1", \
         "ν_max: non-neutrality above which an institution is flagged as failing", "§3(一) 2") \
    REAL(order_failure_output_fall, "order.failure_output_fall", 0.2, 0, 1, 0, "1", \
         "f*: fall of an institution's output after an exit that is flagged as governance failure", \
         "§3(一) 2") \
    REAL(powerindex_vote_units, "powerindex.vote_units", 10000.0, 100, 1e6, 0, "1", \
         "integer units per total vote in the exact power index (10,000: basis points)", "")

enum { OL_PARAM_TEXT_MAX = 1024 };

/* The scalar parameters (generated from OL_SCENARIO_PARAMS). */
typedef struct ol_scenario_params {
#define OL_PARAM_DECL_REAL_(f, k, d, lo, hi, fl, u, doc, ref) double f;
#define OL_PARAM_DECL_INT_(f, k, d, lo, hi, fl, u, doc, ref) int64_t f;
#define OL_PARAM_DECL_TEXT_(f, k, d, size, fl, doc, ref) char f[size];
#define OL_PARAM_DECL_ENUM_(f, k, d, vocab, doc, ref) int f;
    OL_SCENARIO_PARAMS(OL_PARAM_DECL_REAL_, OL_PARAM_DECL_INT_, OL_PARAM_DECL_TEXT_, OL_PARAM_DECL_ENUM_)
#undef OL_PARAM_DECL_REAL_
#undef OL_PARAM_DECL_INT_
#undef OL_PARAM_DECL_TEXT_
#undef OL_PARAM_DECL_ENUM_
} ol_scenario_params;

/* Values of the ENUM fields (indices into their vocabularies). */
typedef enum { OL_SC_CHOICE_ARGMAX, OL_SC_CHOICE_LOGIT } ol_sc_choice_rule;
typedef enum { OL_SC_ROLE_HEGEMON, OL_SC_ROLE_CHALLENGER, OL_SC_ROLE_ALLY, OL_SC_ROLE_EMERGING, OL_SC_ROLE_OTHER } ol_sc_role;
/* The catalog's vocabularies (orderlab events vocab), in the same words. */
typedef enum { OL_SC_DOMAIN_TRADE, OL_SC_DOMAIN_GOVERNANCE, OL_SC_DOMAIN_SECURITY, OL_SC_DOMAIN_COMPREHENSIVE } ol_sc_domain;
typedef enum { OL_SC_FORM_MULTILATERAL, OL_SC_FORM_PLURILATERAL_REGIONAL, OL_SC_FORM_PLURILATERAL_CROSS_REGIONAL,
               OL_SC_FORM_BILATERAL } ol_sc_form;
typedef enum { OL_SC_LEVEL_GLOBAL, OL_SC_LEVEL_ALLIES, OL_SC_LEVEL_COMPETITOR } ol_sc_level;
/* consensus: every member can block; majority: one state one vote; weighted:
 * votes by the members' vote_weight (summing to 1); judicial: independent
 * judges decide, members do not vote. */
typedef enum { OL_SC_VOTING_CONSENSUS, OL_SC_VOTING_MAJORITY, OL_SC_VOTING_WEIGHTED, OL_SC_VOTING_JUDICIAL } ol_sc_voting_rule;
typedef enum { OL_SPILLOVER_NONE, OL_SPILLOVER_TRADE_SURPLUS, OL_SPILLOVER_SUBSIDY,
               OL_SPILLOVER_LEADERSHIP_SHARE } ol_spillover_proxy;

/* The aggregate actor "rest of the world": WLD minus the listed actors. */
#define OL_SCENARIO_ROW "ROW"

enum { OL_SCENARIO_CODE_MAX = 16, OL_SCENARIO_NAME_MAX = 128, OL_SCENARIO_NOTE_MAX = 512 };

/* A leader profile of the hegemon, in force from `from` until the next one. */
typedef struct ol_leader_profile {
    int64_t from;                         /* first year */
    char name[64];
    double temperament;                   /* scales the sensitivity σ */
    double systemic_weight;               /* ω_sys: weight on systemic damage */
} ol_leader_profile;

/* An actor.  Unset numbers are NaN: the model derives them from data. */
typedef struct ol_actor_spec {
    char code[OL_SCENARIO_CODE_MAX];      /* orderlab country code, or "ROW" */
    int role;                             /* ol_sc_role */
    char name[OL_SCENARIO_NAME_MAX];      /* "" = the crosswalk's name */
    double dependence;                    /* on the hegemon, [0,1] */
    double outside_option;                /* [0,1] */
    double alignment;                     /* with the hegemon, [0,1] */
    double growth;                        /* projected growth per year */
} ol_actor_spec;

/* A list of actor codes, or every actor of the scenario. */
typedef struct ol_code_list {
    int all;                              /* 1: every actor ("all") */
    size_t n;
    char (*codes)[OL_SCENARIO_CODE_MAX];  /* owned by the scenario */
} ol_code_list;

/* An institution: design features, never outcomes.  Unset numbers are NaN. */
typedef struct ol_institution_spec {
    char code[OL_SCENARIO_CODE_MAX];
    char name[OL_SCENARIO_NAME_MAX];
    char name_zh[OL_SCENARIO_NAME_MAX];
    int domain, form, level;              /* ol_sc_domain, ol_sc_form, ol_sc_level */
    int64_t founded;                      /* year */
    int64_t ended;                        /* year, 0 when it still exists */
    char package[OL_SCENARIO_CODE_MAX];   /* the institution a state leaves with it (itself by default) */
    ol_code_list members;                 /* membership rule: all, listed, or none (rows only) */
    int voting_rule;                      /* ol_sc_voting_rule */
    double budget_usd;                    /* US$ per year */
    double hegemon_cost_share;            /* [0,1] */
    int spillover_proxy;                  /* ol_spillover_proxy */
    double spillover_usd;                 /* US$ per year */
    double constraint_jurisdiction, constraint_censure, constraint_verification; /* [0,1] */
    char note[OL_SCENARIO_NOTE_MAX];
} ol_institution_spec;

/* A membership: actor in institution from `from` to `to` (inclusive). */
typedef struct ol_membership_spec {
    char institution[OL_SCENARIO_CODE_MAX];
    char actor[OL_SCENARIO_CODE_MAX];
    int64_t from;                         /* 0 in a row: since the institution's founding */
    int64_t to;                           /* 0: still a member */
    double vote_weight;                   /* NaN: none given */
    int veto;
} ol_membership_spec;

typedef struct ol_scenario {
    ol_scenario_params params;
    ol_leader_profile *leaders;           /* in year order, at least one */
    size_t nleaders;
    ol_actor_spec *actors;
    size_t nactors;
    ol_institution_spec *institutions;
    size_t ninstitutions;
    /* The membership rows as written (rules are in institutions[].members). */
    ol_membership_spec *membership_rows;
    size_t nmembership_rows;
    /* Every membership after the rules are applied, from filled in: what the
     * model uses.  Sorted by institution (in list order), then actor. */
    ol_membership_spec *memberships;
    size_t nmemberships;
    char source[512];                     /* file it was loaded from; "(built-in)" for the default */
} ol_scenario;

/* ------------------------------------------------------------ the schema */
typedef enum ol_field_type {
    OL_FIELD_REAL,    /* double; NaN = unset */
    OL_FIELD_INT,     /* int64_t */
    OL_FIELD_TEXT,    /* char[size] */
    OL_FIELD_ENUM,    /* int, index into vocab */
    OL_FIELD_BOOL,    /* int 0/1 */
    OL_FIELD_CODES    /* ol_code_list: "all", a YAML list or "A;B" in CSV */
} ol_field_type;

typedef struct ol_scenario_field {
    const char *key;      /* dotted YAML path, or the CSV column */
    ol_field_type type;
    size_t offset;        /* in ol_scenario_params or the row struct */
    size_t size;          /* bytes of a TEXT field */
    unsigned flags;       /* OL_FIELD_* */
    double def;           /* numeric default; NaN: unset (derived by the model) */
    const char *def_text; /* TEXT/ENUM default */
    double min, max;      /* range of REAL and INT */
    const char *vocab;    /* ENUM terms, "a|b|c" */
    const char *unit;
    const char *doc;
    const char *ref;      /* where in the paper */
} ol_scenario_field;

typedef struct ol_scenario_table {
    const char *key;      /* "" for the scalar parameters; else "actors", ... */
    const char *csv_key;  /* "actors_csv", or NULL when no CSV form */
    size_t row_size;
    const ol_scenario_field *fields;
    size_t nfields;
    const char *doc;
} ol_scenario_table;

enum { OL_TABLE_PARAMS, OL_TABLE_LEADERS, OL_TABLE_ACTORS, OL_TABLE_INSTITUTIONS, OL_TABLE_MEMBERSHIPS,
       OL_TABLE_COUNT };

/* The schema: tables[OL_TABLE_PARAMS] lists the scalar parameters, the
 * others the columns of the list tables.  Static, never freed. */
OL_API const ol_scenario_table *ol_scenario_tables(void);
/* Copies term i of an ENUM field into buf and returns buf (NULL when out of
 * range); the index of term (-1 when not in the vocabulary). */
OL_API const char *ol_scenario_term(const ol_scenario_field *f, int i, char *buf, size_t size);
OL_API int ol_scenario_term_index(const ol_scenario_field *f, const char *term);

/* ------------------------------------------------------------ loading */
/* One problem found in a scenario (file, line, column and key filled). */
typedef void (*ol_scenario_problem_fn)(void *ctx, const ol_error *problem);

/*
 * Loads and validates the scenario at path (and the CSV tables it names).
 * With a store, actor codes are resolved with ol_country_resolve (names are
 * accepted and replaced by the code; user overrides apply); without one they
 * must be orderlab codes of the built-in crosswalk.  "ROW" is always allowed.
 * On any problem returns OL_EPARSE (YAML/CSV syntax), OL_EVALIDATE (a value)
 * or OL_EIO (a file), err holding the first problem, and *out stays NULL.
 * Use ol_scenario_check to see every problem.
 */
OL_API ol_status ol_scenario_load(const char *path, ol_store *store, ol_scenario **out, ol_error *err);
/* The same from YAML text in memory; name is used in messages and CSV paths
 * are relative to base_dir (NULL: CSV tables are refused). */
OL_API ol_status ol_scenario_load_text(const char *text, size_t len, const char *name, const char *base_dir,
                                       ol_store *store, ol_scenario **out, ol_error *err);
/* The built-in default scenario (data/scenario_default.yaml). */
OL_API ol_status ol_scenario_default(ol_store *store, ol_scenario **out, ol_error *err);
OL_API void ol_scenario_free(ol_scenario *sc);

/*
 * Checks the scenario at path and reports EVERY problem to fn (may be NULL),
 * in file order within each pass; *nproblems (may be NULL) gets their count.
 * Returns OL_OK when there is none, else the status of the first (err = it).
 * A YAML syntax error stops the check (libyaml cannot resume).  An unreadable
 * path returns OL_EIO without calling fn.
 */
OL_API ol_status ol_scenario_check(const char *path, ol_store *store, ol_scenario_problem_fn fn, void *ctx,
                                   size_t *nproblems, ol_error *err);

/* Validates a scenario in memory (after a caller changed it): ranges,
 * vocabularies, roles, references, years, vote weights, and country codes
 * (exact orderlab codes, in the store's crosswalk when store is non-NULL,
 * else in the built-in one).  Problems have no line; the key names the field
 * ("actors[2].role", 1-based).  Returns like ol_scenario_check. */
OL_API ol_status ol_scenario_validate(const ol_scenario *sc, ol_store *store, ol_scenario_problem_fn fn,
                                      void *ctx, size_t *nproblems, ol_error *err);

/* ------------------------------------------------------------ writing */
enum {
    OL_SCENARIO_WRITE_COMMENTS = 1u,     /* each parameter's unit, doc and paper reference */
    OL_SCENARIO_WRITE_PARAMS_ONLY = 2u   /* only the scalar parameters */
};
/*
 * Writes sc as a complete, self-contained YAML scenario (CSV tables inlined,
 * every parameter present).  Without flags the text is canonical: loading it
 * gives back sc exactly, and writing that gives the same bytes.
 */
OL_API ol_status ol_scenario_write_yaml(const ol_scenario *sc, FILE *out, ol_error *err);
OL_API ol_status ol_scenario_write_yaml_ex(const ol_scenario *sc, unsigned flags, FILE *out, ol_error *err);

/* FNV-1a (64 bit) of the canonical YAML: the scenario's identity, echoed
 * into outputs.  Equal scenarios have equal hashes whatever file layout they
 * came from.  hex gets 16 lowercase hex digits and a NUL. */
OL_API ol_status ol_scenario_hash(const ol_scenario *sc, uint64_t *out, ol_error *err);
OL_API void ol_scenario_hash_hex(uint64_t hash, char hex[17]);

/* ------------------------------------------------------------ model parameters */
struct ol_model_params; /* orderlab/model.h */
/* Fills every field of the model's parameters (docs/model.md §9) from the
 * scenario's scalar parameters; nothing is left at a value of its own.  The
 * result is not range-checked here (ol_model_params_check does that). */
OL_API void ol_scenario_model_params(const ol_scenario *sc, struct ol_model_params *out);

/* ------------------------------------------------------------ lookups (O(n)) */
/* Index of the actor or institution with code, or -1. */
OL_API long ol_scenario_actor_index(const ol_scenario *sc, const char *code);
OL_API long ol_scenario_institution_index(const ol_scenario *sc, const char *code);
/* Index of the (only) actor with role, or -1. */
OL_API long ol_scenario_role_index(const ol_scenario *sc, ol_sc_role role);
/* The leader profile in force in year (the first one before it starts). */
OL_API const ol_leader_profile *ol_scenario_leader_at(const ol_scenario *sc, int64_t year);
/* 1 when actor is a member of institution in year. */
OL_API int ol_scenario_is_member(const ol_scenario *sc, const char *institution, const char *actor,
                                 int64_t year);

#ifdef __cplusplus
}
#endif
#endif
