/* The scenario schema: one table per part of a scenario, from which the
 * loader, the validator, the writer and the documentation are all driven. */
#include "scenario_internal.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U NAN /* unset: the model derives the value from data */

/* ------------------------------------------------------------ parameters */
#define P_REAL(f, k, d, lo, hi, fl, u, doc, ref) \
    {k, OL_FIELD_REAL, offsetof(ol_scenario_params, f), 0, fl, d, NULL, lo, hi, NULL, u, doc, ref},
#define P_INT(f, k, d, lo, hi, fl, u, doc, ref) \
    {k, OL_FIELD_INT, offsetof(ol_scenario_params, f), 0, fl, d, NULL, lo, hi, NULL, u, doc, ref},
#define P_TEXT(f, k, d, size, fl, doc, ref) \
    {k, OL_FIELD_TEXT, offsetof(ol_scenario_params, f), size, fl, 0, d, 0, 0, NULL, "", doc, ref},
#define P_ENUM(f, k, d, vocab, doc, ref) \
    {k, OL_FIELD_ENUM, offsetof(ol_scenario_params, f), 0, 0, 0, d, 0, 0, vocab, "", doc, ref},
static const ol_scenario_field param_fields[] = {OL_SCENARIO_PARAMS(P_REAL, P_INT, P_TEXT, P_ENUM)};
#undef P_REAL
#undef P_INT
#undef P_TEXT
#undef P_ENUM

static_assert(sizeof param_fields / sizeof param_fields[0] <= 128,
              "sc_positions.params holds 128 parameters: raise it");

/* ------------------------------------------------------------ list tables */
#define F(st, key, type, member, flags, def, deftext, lo, hi, vocab, unit, doc, ref) \
    {key, OL_FIELD_##type, offsetof(st, member), sizeof(((st *)0)->member), flags, def, deftext, lo, hi, \
     vocab, unit, doc, ref}
#define REQ OL_FIELD_REQUIRED
#define YMIN 1800
#define YMAX 2200

static const ol_scenario_field leader_fields[] = {
    F(ol_leader_profile, "from", INT, from, REQ, 0, NULL, YMIN, YMAX, NULL, "year",
      "first year of the profile; it lasts until the next one", "§4(一)"),
    F(ol_leader_profile, "name", TEXT, name, REQ, 0, "", 0, 0, NULL, "", "a label", ""),
    F(ol_leader_profile, "temperament", REAL, temperament, OL_FIELD_MIN_OPEN, 1.0, NULL, 0, 100, NULL, "1",
      "scales the sensitivity σ (leader personality amplifies the reaction)", "§4(一)"),
    F(ol_leader_profile, "systemic_weight", REAL, systemic_weight, 0, 1.0, NULL, 0, 100, NULL, "1",
      "ω_sys: weight on systemic damage (a weight that brings rejoining)", "§4(一)"),
};

static const ol_scenario_field actor_fields[] = {
    F(ol_actor_spec, "code", TEXT, code, REQ, 0, "", 0, 0, NULL, "",
      "orderlab country code (names resolve with a store), or ROW for the rest of the world", ""),
    F(ol_actor_spec, "role", ENUM, role, REQ, 0, "other", 0, 0, "hegemon|challenger|ally|emerging|other", "",
      "exactly one hegemon (守成国) and one challenger (崛起国)", "Table 3.1"),
    F(ol_actor_spec, "name", TEXT, name, 0, 0, "", 0, 0, NULL, "", "display name; empty: the crosswalk's", ""),
    F(ol_actor_spec, "dependence", REAL, dependence, 0, U, NULL, 0, 1, NULL, "1",
      "dependence on the hegemon; unset: derived from data", "Table 4.1"),
    F(ol_actor_spec, "outside_option", REAL, outside_option, 0, U, NULL, 0, 1, NULL, "1",
      "value of the outside option; unset: derived from data", "Table 4.1"),
    F(ol_actor_spec, "alignment", REAL, alignment, 0, U, NULL, 0, 1, NULL, "1",
      "alignment with the hegemon a_i(t0); unset: from UNGA ideal-point distances, else by role", "§4(一), Fig 4.2"),
    F(ol_actor_spec, "growth", REAL, growth, 0, U, NULL, -0.5, 1, NULL, "1/year",
      "projected growth after the data end; unset: power.default_growth", ""),
};

static const ol_scenario_field institution_fields[] = {
    F(ol_institution_spec, "code", TEXT, code, REQ, 0, "", 0, 0, NULL, "", "short code, unique", ""),
    F(ol_institution_spec, "name", TEXT, name, REQ, 0, "", 0, 0, NULL, "", "English name", ""),
    F(ol_institution_spec, "name_zh", TEXT, name_zh, 0, 0, "", 0, 0, NULL, "", "Chinese name", ""),
    F(ol_institution_spec, "domain", ENUM, domain, REQ, 0, "trade", 0, 0,
      "trade|governance|security|comprehensive", "", "issue area (涉及领域)", "Table 1.1"),
    F(ol_institution_spec, "form", ENUM, form, REQ, 0, "multilateral", 0, 0,
      "multilateral|plurilateral-regional|plurilateral-cross-regional|bilateral", "",
      "institutional form (机制形式)", "Table 1.1"),
    F(ol_institution_spec, "level", ENUM, level, REQ, 0, "global-multilateral", 0, 0,
      "global-multilateral|with-allies|with-competitor", "", "level of the balancing (制度制衡发生层面)",
      "Table 4.1"),
    F(ol_institution_spec, "founded", INT, founded, REQ, 0, NULL, YMIN, YMAX, NULL, "year",
      "year it began (entry into force, or signature for a treaty never in force)", ""),
    F(ol_institution_spec, "ended", INT, ended, 0, 0, NULL, YMIN, YMAX, NULL, "year",
      "year it ended; absent: it still exists", ""),
    F(ol_institution_spec, "package", TEXT, package, 0, 0, "", 0, 0, NULL, "",
      "the institution a state leaves together with this one (UNSC: UN); absent: itself", "brief §2b"),
    F(ol_institution_spec, "members", CODES, members, 0, 0, NULL, 0, 0, NULL, "",
      "membership rule: all (every actor from the founding), a list of actors, or absent (the "
      "memberships rows only); rows for an actor replace the rule for it", ""),
    F(ol_institution_spec, "voting.rule", ENUM, voting_rule, REQ, 0, "majority", 0, 0,
      "consensus|majority|weighted|judicial", "",
      "consensus: each member can block; majority: one state one vote; weighted: vote_weight; "
      "judicial: judges decide", "§3(一) 2 制度非中性"),
    F(ol_institution_spec, "budget_usd", REAL, budget_usd, 0, U, NULL, 0, 1e13, NULL, "US$/year",
      "the cost C_k shared by the members", "Table 3.2 (2)"),
    F(ol_institution_spec, "hegemon_cost_share", REAL, hegemon_cost_share, 0, U, NULL, 0, 1, NULL, "1",
      "c_Hk: the hegemon's share of the cost (UN: 22 %)", "Table 3.2 (2)"),
    F(ol_institution_spec, "spillover.proxy", ENUM, spillover_proxy, 0, 0, "none", 0, 0,
      "none|trade-surplus|subsidy|leadership-share", "", "what measures rivals' gains", "Table 3.2 (1)"),
    F(ol_institution_spec, "spillover.usd", REAL, spillover_usd, 0, U, NULL, 0, 1e13, NULL, "US$/year",
      "magnitude of the proxy", "Table 3.2 (1)"),
    F(ol_institution_spec, "constraint.jurisdiction", REAL, constraint_jurisdiction, 0, U, NULL, 0, 1, NULL,
      "1", "binding jurisdiction over the hegemon (a court)", "§1 footnote ①"),
    F(ol_institution_spec, "constraint.censure", REAL, constraint_censure, 0, U, NULL, 0, 1, NULL, "1",
      "public censure of the hegemon's policy", "§1 footnote ①"),
    F(ol_institution_spec, "constraint.verification", REAL, constraint_verification, 0, U, NULL, 0, 1, NULL,
      "1", "verification or review binding the hegemon's policy", "§1 footnote ①"),
    F(ol_institution_spec, "note", TEXT, note, 0, 0, "", 0, 0, NULL, "", "free text", ""),
};

static const ol_scenario_field membership_fields[] = {
    F(ol_membership_spec, "institution", TEXT, institution, REQ, 0, "", 0, 0, NULL, "",
      "an institution's code", ""),
    F(ol_membership_spec, "actor", TEXT, actor, REQ, 0, "", 0, 0, NULL, "", "an actor's code", ""),
    F(ol_membership_spec, "from", INT, from, 0, 0, NULL, YMIN, YMAX, NULL, "year",
      "first year; absent: the institution's founding", ""),
    F(ol_membership_spec, "to", INT, to, 0, 0, NULL, YMIN, YMAX, NULL, "year",
      "last year; absent: still a member", ""),
    F(ol_membership_spec, "vote_weight", REAL, vote_weight, 0, U, NULL, 0, 1, NULL, "1",
      "share of the votes (weighted rule; all members give one or none does, summing to 1)",
      "§3(一) 2"),
    F(ol_membership_spec, "veto", BOOL, veto, 0, 0, NULL, 0, 1, NULL, "", "holds a veto", "§3(一) 2"),
};
#undef F

#define N(a) (sizeof a / sizeof a[0])
static const ol_scenario_table tables[OL_TABLE_COUNT] = {
    {"", NULL, sizeof(ol_scenario_params), param_fields, N(param_fields), "the scalar parameters"},
    {"leaders", NULL, sizeof(ol_leader_profile), leader_fields, N(leader_fields),
     "the hegemon's leader profiles, in year order"},
    {"actors", "actors_csv", sizeof(ol_actor_spec), actor_fields, N(actor_fields), "the actors"},
    {"institutions", "institutions_csv", sizeof(ol_institution_spec), institution_fields,
     N(institution_fields), "the institutions"},
    {"memberships", "memberships_csv", sizeof(ol_membership_spec), membership_fields, N(membership_fields),
     "membership rows (beside the institutions' rules)"},
};

const ol_scenario_table *ol_scenario_tables(void) { return tables; }

const char *ol_scenario_term(const ol_scenario_field *f, int i, char *buf, size_t size)
{
    if (!f || !f->vocab || i < 0 || size == 0) return NULL;
    const char *p = f->vocab;
    for (int k = 0; k < i; k++) {
        p = strchr(p, '|');
        if (!p) return NULL;
        p++;
    }
    const char *e = strchr(p, '|');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len >= size) len = size - 1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    return buf;
}

int ol_scenario_term_index(const ol_scenario_field *f, const char *term)
{
    if (!f || !f->vocab || !term) return -1;
    size_t n = strlen(term);
    int i = 0;
    for (const char *p = f->vocab;; i++) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, term, n) == 0) return i;
        if (!e) return -1;
        p = e + 1;
    }
}

void *sc_row(const ol_scenario *sc, int t, size_t i)
{
    switch (t) {
    case OL_TABLE_PARAMS: return i == 0 ? (void *)&sc->params : NULL;
    case OL_TABLE_LEADERS: return i < sc->nleaders ? (void *)&sc->leaders[i] : NULL;
    case OL_TABLE_ACTORS: return i < sc->nactors ? (void *)&sc->actors[i] : NULL;
    case OL_TABLE_INSTITUTIONS: return i < sc->ninstitutions ? (void *)&sc->institutions[i] : NULL;
    case OL_TABLE_MEMBERSHIPS: return i < sc->nmembership_rows ? (void *)&sc->membership_rows[i] : NULL;
    default: return NULL;
    }
}

size_t sc_nrows(const ol_scenario *sc, int t)
{
    switch (t) {
    case OL_TABLE_PARAMS: return 1;
    case OL_TABLE_LEADERS: return sc->nleaders;
    case OL_TABLE_ACTORS: return sc->nactors;
    case OL_TABLE_INSTITUTIONS: return sc->ninstitutions;
    case OL_TABLE_MEMBERSHIPS: return sc->nmembership_rows;
    default: return 0;
    }
}

void sc_field_default(const ol_scenario_field *f, void *base)
{
    void *p = SC_FIELD(base, f);
    switch (f->type) {
    case OL_FIELD_REAL: *(double *)p = f->def; break;
    case OL_FIELD_INT: *(int64_t *)p = (int64_t)f->def; break;
    case OL_FIELD_BOOL: *(int *)p = f->def != 0; break;
    case OL_FIELD_ENUM: {
        int k = ol_scenario_term_index(f, f->def_text);
        *(int *)p = k < 0 ? 0 : k;
        break;
    }
    case OL_FIELD_TEXT: snprintf(p, f->size, "%s", f->def_text ? f->def_text : ""); break;
    case OL_FIELD_CODES: sc_codes_free(p); break;
    }
}

void sc_defaults(const ol_scenario_table *t, void *base)
{
    for (size_t i = 0; i < t->nfields; i++) {
        const ol_scenario_field *f = &t->fields[i];
        if (f->type == OL_FIELD_CODES) memset(SC_FIELD(base, f), 0, sizeof(ol_code_list));
        else sc_field_default(f, base);
    }
}

const ol_scenario_field *sc_find_field(const ol_scenario_table *t, const char *key)
{
    for (size_t i = 0; i < t->nfields; i++)
        if (strcmp(t->fields[i].key, key) == 0) return &t->fields[i];
    return NULL;
}

/* Edit distance with adjacent transpositions ("tua" is one edit from
 * "tau"); strings here are short keys and codes. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 64 || m > 64) return (size_t)-1;
    size_t d[65][65];
    for (size_t i = 0; i <= n; i++) d[i][0] = i;
    for (size_t j = 0; j <= m; j++) d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            size_t v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[n][m];
}

const char *sc_suggest(const char *s, const char *const *cands, size_t n)
{
    size_t len = strlen(s);
    size_t limit = len / 3 > 1 ? len / 3 : 1;
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(s, cands[i]);
        if (d <= limit && d < bestd) { bestd = d; best = cands[i]; }
    }
    return best;
}

void sc_codes_free(ol_code_list *l)
{
    free(l->codes);
    memset(l, 0, sizeof *l);
}

ol_status sc_codes_add(ol_code_list *l, const char *code)
{
    /* Lists are short (the actors of a scenario): grow one at a time. */
    void *p = realloc(l->codes, (l->n + 1) * sizeof *l->codes);
    if (!p) return OL_ENOMEM;
    l->codes = p;
    snprintf(l->codes[l->n], sizeof l->codes[0], "%s", code);
    l->n++;
    return OL_OK;
}

ol_status sc_codes_copy(ol_code_list *dst, const ol_code_list *src)
{
    memset(dst, 0, sizeof *dst);
    dst->all = src->all;
    for (size_t i = 0; i < src->n; i++)
        if (sc_codes_add(dst, src->codes[i])) { sc_codes_free(dst); return OL_ENOMEM; }
    return OL_OK;
}
