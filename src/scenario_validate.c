/* The meaning checks of a scenario (ranges, vocabularies, roles, references,
 * years, vote weights), the expansion of membership rules, and lookups. */
#include "scenario_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Vote weights must sum to 1 within this tolerance (shares printed with a
 * few decimals in a spreadsheet sum to 1 only approximately). */
#define WEIGHT_SUM_TOLERANCE 1e-6

typedef struct vctx {
    const ol_scenario *sc;
    const sc_positions *P;
    sc_diag *d;
} vctx;

/* ------------------------------------------------------------ locating */
static const ol_scenario_field *field_of(int t, const char *key)
{
    return sc_find_field(&ol_scenario_tables()[t], key);
}

/* Where field f of row i of table t was given: the cell, else the row, else
 * the table's key, else the file. */
static sc_pos where(const vctx *v, int t, size_t i, const ol_scenario_field *f)
{
    const sc_positions *P = v->P;
    if (!P) return (sc_pos){NULL, 0, 0};
    const ol_scenario_table *T = &ol_scenario_tables()[t];
    if (t == OL_TABLE_PARAMS) {
        if (f && P->params[f - T->fields].line > 0) return P->params[f - T->fields];
        return (sc_pos){P->main_file, 0, 0};
    }
    if (i < P->nrows[t]) {
        const sc_pos *r = &P->rows[t][i * (1 + T->nfields)];
        if (f && r[1 + (f - T->fields)].line > 0) return r[1 + (f - T->fields)];
        if (r[0].line > 0) return r[0];
    }
    if (P->table_key[t].line > 0) return P->table_key[t];
    return (sc_pos){P->main_file, 0, 0};
}

/* The key shown for field f of row i: "actors[3].role", or "role" in a CSV. */
static void key_of(const vctx *v, int t, size_t i, const ol_scenario_field *f, char *out, size_t size)
{
    const ol_scenario_table *T = &ol_scenario_tables()[t];
    const char *fk = f ? f->key : "";
    if (t == OL_TABLE_PARAMS) snprintf(out, size, "%s", fk);
    else if (i >= sc_nrows(v->sc, t)) snprintf(out, size, "%s", T->key); /* the table as a whole */
    else if (v->P && i < v->P->nrows[t] && v->P->row_csv[t][i]) snprintf(out, size, "%s", fk);
    else if (f) snprintf(out, size, "%s[%zu].%s", T->key, i + 1, fk);
    else snprintf(out, size, "%s[%zu]", T->key, i + 1);
}

static void problem(const vctx *v, int t, size_t i, const char *fkey, const char *fmt, ...) OL_PRINTF(5, 6);
static void problem(const vctx *v, int t, size_t i, const char *fkey, const char *fmt, ...)
{
    const ol_scenario_field *f = fkey ? field_of(t, fkey) : NULL;
    char key[192];
    key_of(v, t, i, f, key, sizeof key);
    va_list ap;
    va_start(ap, fmt);
    sc_vreport(v->d, OL_EVALIDATE, where(v, t, i, f), key, fmt, ap);
    va_end(ap);
}

static long line_of(const vctx *v, int t, size_t i)
{
    return where(v, t, i, NULL).line;
}

/* " (line N)" or " (row N)" pointing at row i, for messages. */
static void at_text(const vctx *v, int t, size_t i, char *out, size_t size)
{
    long line = line_of(v, t, i);
    if (line > 0) snprintf(out, size, " on line %ld", line);
    else snprintf(out, size, " (%s[%zu])", ol_scenario_tables()[t].key, i + 1);
}

/* ------------------------------------------------------------ generic */
/* The shortest decimal that reads back as x (the seed's limit 2^53-1 in full). */
static void shortest(double x, char *out, size_t size)
{
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(out, size, "%.*g", prec, x);
        if (strtod(out, NULL) == x) return;
    }
}

static void range_text(const ol_scenario_field *f, char *out, size_t size)
{
    char lo[32], hi[32];
    shortest(f->min, lo, sizeof lo);
    shortest(f->max, hi, sizeof hi);
    snprintf(out, size, "must be %s %s and %s %s", (f->flags & OL_FIELD_MIN_OPEN) ? ">" : ">=", lo,
             (f->flags & OL_FIELD_MAX_OPEN) ? "<" : "<=", hi);
}

static int out_of_range(const ol_scenario_field *f, double x)
{
    if (x < f->min || x > f->max) return 1;
    if ((f->flags & OL_FIELD_MIN_OPEN) && x == f->min) return 1;
    if ((f->flags & OL_FIELD_MAX_OPEN) && x == f->max) return 1;
    return 0;
}

/* Ranges and vocabularies of every field of every row. */
static void check_fields(const vctx *v)
{
    const ol_scenario_table *A = ol_scenario_tables();
    for (int t = 0; t < OL_TABLE_COUNT; t++) {
        const ol_scenario_table *T = &A[t];
        size_t n = sc_nrows(v->sc, t);
        for (size_t i = 0; i < n; i++) {
            const void *base = sc_row(v->sc, t, i);
            for (size_t k = 0; k < T->nfields; k++) {
                const ol_scenario_field *f = &T->fields[k];
                const void *p = SC_CFIELD(base, f);
                int req = (f->flags & OL_FIELD_REQUIRED) != 0;
                char rt[96];
                switch (f->type) {
                case OL_FIELD_REAL: {
                    double x = *(const double *)p;
                    if (isnan(x)) {
                        if (!isnan(f->def) && !(f->flags & OL_FIELD_NULLABLE))
                            problem(v, t, i, f->key, "needs a number");
                    } else if (!isfinite(x) || out_of_range(f, x)) {
                        range_text(f, rt, sizeof rt);
                        problem(v, t, i, f->key, "%.10g is out of range: %s", x, rt);
                    }
                    break;
                }
                case OL_FIELD_INT: {
                    int64_t x = *(const int64_t *)p;
                    /* 0 in an optional year column means "not given"; a missing
                     * required one the loader has already reported. */
                    if (x == 0 && f->def == 0 && (!req || v->P)) break;
                    if (out_of_range(f, (double)x)) {
                        range_text(f, rt, sizeof rt);
                        problem(v, t, i, f->key, "%lld is out of range: %s", (long long)x, rt);
                    }
                    break;
                }
                case OL_FIELD_ENUM: {
                    char term[64];
                    if (!ol_scenario_term(f, *(const int *)p, term, sizeof term))
                        problem(v, t, i, f->key, "value %d is not in the vocabulary", *(const int *)p);
                    break;
                }
                case OL_FIELD_TEXT:
                    if (req && !v->P && !*(const char *)p) problem(v, t, i, f->key, "missing required key '%s'", f->key);
                    else if (!memchr(p, '\0', f->size)) problem(v, t, i, f->key, "not terminated");
                    break;
                case OL_FIELD_BOOL:
                    if (*(const int *)p != 0 && *(const int *)p != 1) problem(v, t, i, f->key, "must be 0 or 1");
                    break;
                case OL_FIELD_CODES: break;
                }
            }
        }
    }
}

/* ------------------------------------------------------------ parts */
static void check_years(const vctx *v)
{
    const ol_scenario_params *p = &v->sc->params;
    if (p->year_start > p->year_end)
        problem(v, OL_TABLE_PARAMS, 0, "years.end", "the scenario ends (%lld) before it starts (%lld)",
                (long long)p->year_end, (long long)p->year_start);
}

static void check_leaders(const vctx *v)
{
    const ol_scenario *sc = v->sc;
    if (sc->nleaders == 0) {
        problem(v, OL_TABLE_LEADERS, 0, NULL, "at least one leader profile is needed");
        return;
    }
    if (sc->leaders[0].from > sc->params.year_start)
        problem(v, OL_TABLE_LEADERS, 0, "from",
                "the first leader profile starts in %lld, after the scenario's first year %lld",
                (long long)sc->leaders[0].from, (long long)sc->params.year_start);
    for (size_t i = 0; i < sc->nleaders; i++) {
        const ol_leader_profile *l = &sc->leaders[i];
        if (l->from == 0 && v->P) continue; /* missing: already reported */
        if (l->from > sc->params.year_end)
            problem(v, OL_TABLE_LEADERS, i, "from", "%lld is after the scenario's last year %lld",
                    (long long)l->from, (long long)sc->params.year_end);
        if (i > 0 && sc->leaders[i - 1].from && l->from <= sc->leaders[i - 1].from)
            problem(v, OL_TABLE_LEADERS, i, "from",
                    "leader profiles must be in year order: %lld does not come after %lld", (long long)l->from,
                    (long long)sc->leaders[i - 1].from);
    }
}

static void check_actors(const vctx *v, ol_store *store, int check_codes)
{
    const ol_scenario *sc = v->sc;
    sc_countries *cache = NULL;
    long first[2] = {-1, -1};
    static const char *const role_name[2] = {"hegemon", "challenger"};
    static const char *const role_zh[2] = {"守成国", "崛起国"};
    for (size_t i = 0; i < sc->nactors; i++) {
        const ol_actor_spec *a = &sc->actors[i];
        char msg[OL_ERROR_MSG_MAX];
        if (check_codes && a->code[0] && !sc_country_known(&cache, store, a->code, 0, NULL, msg, sizeof msg))
            problem(v, OL_TABLE_ACTORS, i, "code", "%s", msg);
        for (size_t j = 0; j < i && a->code[0]; j++) {
            if (strcmp(sc->actors[j].code, a->code) != 0) continue;
            char at[64];
            at_text(v, OL_TABLE_ACTORS, j, at, sizeof at);
            problem(v, OL_TABLE_ACTORS, i, "code", "actor %s is listed twice (first%s)", a->code, at);
            break;
        }
        for (int r = 0; r < 2; r++) {
            if (a->role != r) continue;
            if (first[r] < 0) { first[r] = (long)i; continue; }
            problem(v, OL_TABLE_ACTORS, i, "role", "a second %s (%s is the first): exactly one is needed",
                    role_name[r], sc->actors[first[r]].code);
        }
    }
    for (int r = 0; r < 2; r++)
        if (first[r] < 0)
            problem(v, OL_TABLE_ACTORS, sc->nactors, NULL, "no %s (%s): exactly one actor must have role %s",
                    role_name[r], role_zh[r], role_name[r]);
    sc_countries_free(cache);
}

static const char *const *actor_codes(const ol_scenario *sc, const char **buf)
{
    for (size_t i = 0; i < sc->nactors; i++) buf[i] = sc->actors[i].code;
    return buf;
}

static void unknown_actor(const vctx *v, int t, size_t i, const char *fkey, const char *code, const char *what)
{
    const char **cands = calloc(v->sc->nactors + 1, sizeof *cands);
    const char *s = cands ? sc_suggest(code, actor_codes(v->sc, cands), v->sc->nactors) : NULL;
    if (s) problem(v, t, i, fkey, "%s names '%s', which is not an actor of the scenario (did you mean '%s'?)", what,
                   code, s);
    else problem(v, t, i, fkey, "%s names '%s', which is not an actor of the scenario", what, code);
    free(cands);
}

static void check_institutions(const vctx *v)
{
    const ol_scenario *sc = v->sc;
    for (size_t i = 0; i < sc->ninstitutions; i++) {
        const ol_institution_spec *k = &sc->institutions[i];
        for (size_t j = 0; j < i && k->code[0]; j++) {
            if (strcmp(sc->institutions[j].code, k->code) != 0) continue;
            char at[64];
            at_text(v, OL_TABLE_INSTITUTIONS, j, at, sizeof at);
            problem(v, OL_TABLE_INSTITUTIONS, i, "code", "institution %s is listed twice (first%s)", k->code, at);
            break;
        }
        if (k->ended && k->founded && k->ended < k->founded)
            problem(v, OL_TABLE_INSTITUTIONS, i, "ended", "ends (%lld) before it was founded (%lld)",
                    (long long)k->ended, (long long)k->founded);
        if (k->package[0] && strcmp(k->package, k->code) != 0) {
            long p = ol_scenario_institution_index(sc, k->package);
            if (p < 0)
                problem(v, OL_TABLE_INSTITUTIONS, i, "package", "package '%s' is not an institution of the scenario",
                        k->package);
            else if (sc->institutions[p].package[0] && strcmp(sc->institutions[p].package, k->package) != 0)
                problem(v, OL_TABLE_INSTITUTIONS, i, "package",
                        "package '%s' belongs to package '%s' itself: name the outermost one", k->package,
                        sc->institutions[p].package);
        }
        for (size_t m = 0; m < k->members.n; m++)
            if (ol_scenario_actor_index(sc, k->members.codes[m]) < 0)
                unknown_actor(v, OL_TABLE_INSTITUTIONS, i, "members", k->members.codes[m], "the member list");
    }
}

static const ol_institution_spec *inst_of(const ol_scenario *sc, const char *code)
{
    long k = ol_scenario_institution_index(sc, code);
    return k < 0 ? NULL : &sc->institutions[k];
}

static void check_membership_rows(const vctx *v)
{
    const ol_scenario *sc = v->sc;
    const ol_scenario_params *p = &sc->params;
    for (size_t i = 0; i < sc->nmembership_rows; i++) {
        const ol_membership_spec *m = &sc->membership_rows[i];
        const ol_institution_spec *k = m->institution[0] ? inst_of(sc, m->institution) : NULL;
        if (m->institution[0] && !k) {
            const char **cands = calloc(sc->ninstitutions + 1, sizeof *cands);
            for (size_t j = 0; cands && j < sc->ninstitutions; j++) cands[j] = sc->institutions[j].code;
            const char *s = cands ? sc_suggest(m->institution, cands, sc->ninstitutions) : NULL;
            if (s) problem(v, OL_TABLE_MEMBERSHIPS, i, "institution",
                           "'%s' is not an institution of the scenario (did you mean '%s'?)", m->institution, s);
            else problem(v, OL_TABLE_MEMBERSHIPS, i, "institution", "'%s' is not an institution of the scenario",
                         m->institution);
            free(cands);
        }
        if (m->actor[0] && ol_scenario_actor_index(sc, m->actor) < 0)
            unknown_actor(v, OL_TABLE_MEMBERSHIPS, i, "actor", m->actor, "the row");
        int64_t from = m->from ? m->from : (k ? k->founded : 0);
        if (k && m->from && m->from < k->founded)
            problem(v, OL_TABLE_MEMBERSHIPS, i, "from", "%lld is before %s was founded (%lld)", (long long)m->from,
                    k->code, (long long)k->founded);
        if (from > p->year_end)
            problem(v, OL_TABLE_MEMBERSHIPS, i, "from", "%lld is after the scenario's last year %lld",
                    (long long)from, (long long)p->year_end);
        if (m->to && from && m->to < from)
            problem(v, OL_TABLE_MEMBERSHIPS, i, "to", "the membership ends (%lld) before it begins (%lld)",
                    (long long)m->to, (long long)from);
        else if (m->to && m->to < p->year_start)
            problem(v, OL_TABLE_MEMBERSHIPS, i, "to", "%lld is before the scenario's first year %lld",
                    (long long)m->to, (long long)p->year_start);
        if (k && !isnan(m->vote_weight) && k->voting_rule != OL_SC_VOTING_WEIGHTED)
            problem(v, OL_TABLE_MEMBERSHIPS, i, "vote_weight",
                    "a vote weight for %s, whose voting rule is not weighted", k->code);
        /* Two rows for the same actor and institution must not overlap. */
        for (size_t j = 0; j < i; j++) {
            const ol_membership_spec *o = &sc->membership_rows[j];
            if (strcmp(o->institution, m->institution) != 0 || strcmp(o->actor, m->actor) != 0) continue;
            int64_t ofrom = o->from ? o->from : (k ? k->founded : 0);
            int64_t oto = o->to ? o->to : INT64_MAX, mto = m->to ? m->to : INT64_MAX;
            if (from <= oto && ofrom <= mto) {
                char at[64];
                at_text(v, OL_TABLE_MEMBERSHIPS, j, at, sizeof at);
                problem(v, OL_TABLE_MEMBERSHIPS, i, "from", "%s in %s overlaps the row%s", m->actor, m->institution,
                        at);
                break;
            }
        }
    }
}

/* ------------------------------------------------------------ expansion */
/* Appends the memberships of institution k: for each actor in list order,
 * its rows if it has any, else the rule's membership.  row_of (may be NULL)
 * gets the index of the membership row each entry came from (-1: the rule). */
static ol_status expand(const ol_scenario *sc, ol_membership_spec **out, long **row_of, size_t *n)
{
    *out = NULL;
    if (row_of) *row_of = NULL;
    *n = 0;
    size_t cap = 0;
    for (size_t ki = 0; ki < sc->ninstitutions; ki++) {
        const ol_institution_spec *k = &sc->institutions[ki];
        for (size_t ai = 0; ai < sc->nactors; ai++) {
            const char *a = sc->actors[ai].code;
            int has_rows = 0;
            for (size_t r = 0; r <= sc->nmembership_rows; r++) {
                const ol_membership_spec *m = r < sc->nmembership_rows ? &sc->membership_rows[r] : NULL;
                int from_rule = 0;
                if (m) {
                    if (strcmp(m->institution, k->code) != 0 || strcmp(m->actor, a) != 0) continue;
                    has_rows = 1;
                } else {
                    if (has_rows) break;
                    int listed = k->members.all;
                    for (size_t c = 0; !listed && c < k->members.n; c++) listed = !strcmp(k->members.codes[c], a);
                    if (!listed) break;
                    from_rule = 1;
                }
                if (*n == cap) {
                    cap = cap ? cap * 2 : 64;
                    void *p = realloc(*out, cap * sizeof **out);
                    if (!p) goto oom;
                    *out = p;
                    if (row_of) {
                        void *q = realloc(*row_of, cap * sizeof **row_of);
                        if (!q) goto oom;
                        *row_of = q;
                    }
                }
                ol_membership_spec *e = &(*out)[*n];
                memset(e, 0, sizeof *e);
                snprintf(e->institution, sizeof e->institution, "%s", k->code);
                snprintf(e->actor, sizeof e->actor, "%s", a);
                e->from = (m && m->from) ? m->from : k->founded;
                e->to = (m && m->to) ? m->to : k->ended;
                e->vote_weight = m ? m->vote_weight : NAN;
                e->veto = m ? m->veto : 0;
                if (row_of) (*row_of)[*n] = from_rule ? -1 : (long)r;
                (*n)++;
            }
        }
    }
    return OL_OK;
oom:
    free(*out);
    *out = NULL;
    if (row_of) { free(*row_of); *row_of = NULL; }
    *n = 0;
    return OL_ENOMEM;
}

static int active(const ol_membership_spec *m, int64_t y)
{
    return m->from <= y && (m->to == 0 || y <= m->to);
}

/* Vote weights of a weighted institution: given for every member or for
 * none in each year, and summing to 1 when given. */
static void check_weights(const vctx *v)
{
    const ol_scenario *sc = v->sc;
    ol_membership_spec *ms;
    long *row_of;
    size_t n;
    if (expand(sc, &ms, &row_of, &n)) { sc_report(v->d, OL_ENOMEM, (sc_pos){0}, "", "out of memory"); return; }
    for (size_t ki = 0; ki < sc->ninstitutions; ki++) {
        const ol_institution_spec *k = &sc->institutions[ki];
        if (k->voting_rule != OL_SC_VOTING_WEIGHTED) continue;
        for (int64_t y = sc->params.year_start; y <= sc->params.year_end; y++) {
            size_t members = 0, given = 0;
            double sum = 0;
            long first_row = -1;
            for (size_t i = 0; i < n; i++) {
                if (strcmp(ms[i].institution, k->code) != 0 || !active(&ms[i], y)) continue;
                members++;
                if (isnan(ms[i].vote_weight)) continue;
                given++;
                sum += ms[i].vote_weight;
                if (first_row < 0) first_row = row_of[i];
            }
            if (given == 0) continue; /* weights from data (the facts table) */
            int t = first_row >= 0 ? OL_TABLE_MEMBERSHIPS : OL_TABLE_INSTITUTIONS;
            size_t at = first_row >= 0 ? (size_t)first_row : ki;
            const char *fk = first_row >= 0 ? "vote_weight" : "voting.rule";
            if (given < members) {
                problem(v, t, at, fk, "%zu of the %zu members of %s in %lld have no vote_weight: give every "
                        "member one, or none (weights from data)", members - given, members, k->code, (long long)y);
                break;
            }
            if (fabs(sum - 1.0) > WEIGHT_SUM_TOLERANCE) {
                problem(v, t, at, fk, "the vote weights of the members of %s sum to %.6g in %lld, not 1", k->code,
                        sum, (long long)y);
                break;
            }
        }
    }
    free(ms);
    free(row_of);
}

void sc_validate(const ol_scenario *sc, const sc_positions *P, ol_store *store, int check_codes, sc_diag *d)
{
    vctx v = {sc, P, d};
    check_fields(&v);
    check_years(&v);
    check_leaders(&v);
    check_actors(&v, store, check_codes);
    check_institutions(&v);
    check_membership_rows(&v);
    check_weights(&v);
}

ol_status sc_expand_memberships(ol_scenario *sc, ol_error *err)
{
    ol_membership_spec *ms;
    size_t n;
    if (expand(sc, &ms, NULL, &n)) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    free(sc->memberships);
    sc->memberships = ms;
    sc->nmemberships = n;
    return OL_OK;
}

ol_status ol_scenario_validate(const ol_scenario *sc, ol_store *store, ol_scenario_problem_fn fn, void *ctx,
                               size_t *nproblems, ol_error *err)
{
    ol_error_clear(err);
    if (nproblems) *nproblems = 0;
    if (!sc) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no scenario");
    sc_diag d = {fn, ctx, 0, {0}};
    sc_validate(sc, NULL, store, 1, &d);
    if (nproblems) *nproblems = d.count;
    if (d.count == 0) return OL_OK;
    if (err) *err = d.first;
    return d.first.code;
}

/* ------------------------------------------------------------ lookups */
long ol_scenario_actor_index(const ol_scenario *sc, const char *code)
{
    for (size_t i = 0; sc && code && i < sc->nactors; i++)
        if (!strcmp(sc->actors[i].code, code)) return (long)i;
    return -1;
}

long ol_scenario_institution_index(const ol_scenario *sc, const char *code)
{
    for (size_t i = 0; sc && code && i < sc->ninstitutions; i++)
        if (!strcmp(sc->institutions[i].code, code)) return (long)i;
    return -1;
}

long ol_scenario_role_index(const ol_scenario *sc, ol_sc_role role)
{
    for (size_t i = 0; sc && i < sc->nactors; i++)
        if (sc->actors[i].role == (int)role) return (long)i;
    return -1;
}

const ol_leader_profile *ol_scenario_leader_at(const ol_scenario *sc, int64_t year)
{
    if (!sc || sc->nleaders == 0) return NULL;
    const ol_leader_profile *l = &sc->leaders[0];
    for (size_t i = 1; i < sc->nleaders && sc->leaders[i].from <= year; i++) l = &sc->leaders[i];
    return l;
}

int ol_scenario_is_member(const ol_scenario *sc, const char *institution, const char *actor, int64_t year)
{
    for (size_t i = 0; sc && i < sc->nmemberships; i++) {
        const ol_membership_spec *m = &sc->memberships[i];
        if (!strcmp(m->institution, institution) && !strcmp(m->actor, actor) && active(m, year)) return 1;
    }
    return 0;
}
