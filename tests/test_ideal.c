/* The ideal-point estimator (ideal.h) on vote matrices the test builds:
 * options and their checks, the vote matrix's counts (bad codes, unknown roll
 * calls, duplicates), the selection of votes (unanimous, lopsided, too few
 * votes, years, abstentions in the binary model), identification, recovery
 * of simulated positions (binary, ordinal, dynamic with bridging), polarity
 * by the anchor, determinism over thread counts, the bootstrap, the writers
 * (store and CSV) and the loader from the store. */
#include "testutil.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef ol_test_fixture fx;

/* ------------------------------------------------------------ helpers */

static ol_ideal_votes *votes_new(void)
{
    ol_ideal_votes *v = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ideal_votes_new(&v, &err), &err);
    return v;
}

static void add_rc(ol_ideal_votes *v, int64_t rcid, int session, int year, const char *key)
{
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ideal_votes_add_rollcall(v, rcid, session, year, key, &err), &err);
}

static void add_vote(ol_ideal_votes *v, int64_t rcid, const char *country, int code)
{
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ideal_votes_add(v, rcid, country, code, &err), &err);
}

static ol_ideal_fit *fit_ok(const ol_ideal_votes *v, const ol_ideal_options *o)
{
    ol_ideal_fit *f = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ideal_estimate(v, o, NULL, NULL, &f, &err), &err);
    assert_non_null(f);
    return f;
}

static ol_status fit_fails(const ol_ideal_votes *v, const ol_ideal_options *o, ol_error *err)
{
    ol_ideal_fit *f = (ol_ideal_fit *)1;
    ol_error_clear(err);
    ol_status st = ol_ideal_estimate(v, o, NULL, NULL, &f, err);
    assert_int_not_equal(st, OL_OK);
    assert_null(f);
    return st;
}

static const ol_ideal_point *point_of(const ol_ideal_fit *f, const char *country, int session)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->points[i].country, country) == 0 && f->points[i].session == session) return &f->points[i];
    return NULL;
}

/* votes_read = bad + unknown + duplicate + abstain_missing + dropped + used */
static void assert_counts_add_up(const ol_ideal_counts *c)
{
    assert_int_equal(c->votes_read, c->votes_bad_code + c->votes_unknown_rollcall + c->votes_duplicate +
                                        c->votes_abstain_missing + c->votes_dropped + c->votes_used);
    assert_true(c->votes_dropped >= 0);
    assert_int_equal(c->rollcalls_read,
                     c->rollcalls_range + c->rollcalls_unanimous + c->rollcalls_lopsided + c->rollcalls_used);
}

static double pearson(const double *a, const double *b, size_t n)
{
    return gsl_stats_correlation(a, 1, b, 1, n);
}

/* ------------------------------------------------------------ a small deterministic matrix */

/* Ten countries C00..C09 in session 1 (1946), roll calls 1..20: country i
 * votes yes on roll call j when i >= 2 + j % 7, so every roll call has
 * between 2 and 8 yes votes of 10 (minority share >= 0.2). */
enum { SMALL_NC = 10, SMALL_NRC = 20 };

static void small_code(char *buf, int i) { snprintf(buf, 8, "C%02d", i); }

static ol_ideal_votes *small_matrix(void)
{
    ol_ideal_votes *v = votes_new();
    for (int j = 1; j <= SMALL_NRC; j++) add_rc(v, j, 1, 1946, NULL);
    for (int i = 0; i < SMALL_NC; i++) {
        char c[8];
        small_code(c, i);
        for (int j = 1; j <= SMALL_NRC; j++) add_vote(v, j, c, i >= 2 + j % 7 ? 1 : 3);
    }
    return v;
}

static void small_options(ol_ideal_options *o, ol_ideal_model m)
{
    ol_ideal_options_init(o, m);
    snprintf(o->anchor, sizeof o->anchor, "C09");
    o->threads = 1;
    o->max_iter = 200; /* a Guttman pattern converges slowly; these tests count, they do not measure */
}

/* ------------------------------------------------------------ simulation */

/* Positions and votes drawn from the model of ideal.h. */
typedef struct simspec {
    int nc;           /* countries S000.. */
    int nsess;        /* sessions 1..nsess, dated 1945 + session */
    int nrc;          /* roll calls per session with their own item */
    int nrecur;       /* recurring items: item r in session s when (s + r) % 2 == 0 (some every session) */
    double alpha_sd, beta_sd;
    double alpha_max; /* |alpha| is redrawn above this (0: no limit) */
    int ordinal;      /* abstain when 0 <= y* < delta (delta ~ U(0.3, 1)) */
    double walk_sd;   /* position step per session */
    int nmovers;      /* the first nmovers countries move steadily ... */
    double move;      /* ... by +move (even index) or -move (odd) per session */
    double min_share; /* redraw a roll call's noise until its minority share >= this */
    int few;          /* this country (index, -1 none) votes on about few_share of the roll calls */
    double few_share;
    uint64_t seed;
} simspec;

typedef struct sim {
    int nc, nsess;
    double *x; /* truth [nc * nsess], country-major */
    char (*code)[8];
    ol_ideal_votes *v;
    long nrollcalls;
    long recur_rollcalls; /* roll calls of recurring items */
    long recur_groups;    /* recurring items that occur in >= 2 sessions */
} sim;

static void simspec_init(simspec *s)
{
    memset(s, 0, sizeof *s);
    s->nc = 50;
    s->nsess = 1;
    s->nrc = 200;
    s->alpha_sd = 1;
    s->beta_sd = 1.5;
    s->few = -1;
    s->seed = 1;
}

static int recurs_in(int r, int session) { return (session + r) % 2 == 0 || r % 5 == 0; }

static void sim_rollcall(sim *S, const simspec *sp, gsl_rng *rng, int64_t rcid, int session, double a, double b,
                         double d, const char *key)
{
    add_rc(S->v, rcid, session, 1945 + session, key);
    int *code = malloc((size_t)sp->nc * sizeof *code);
    int *votes = malloc((size_t)sp->nc * sizeof *votes);
    assert_non_null(code);
    assert_non_null(votes);
    for (int i = 0; i < sp->nc; i++) votes[i] = i != sp->few || gsl_rng_uniform(rng) < sp->few_share;
    for (int tries = 0;; tries++) {
        int n[4] = {0};
        for (int i = 0; i < sp->nc; i++) {
            double ys = a + b * S->x[i * S->nsess + session - 1] + gsl_ran_gaussian(rng, 1.0);
            code[i] = ys < 0 ? 3 : (sp->ordinal && ys < d) ? 2 : 1;
            if (votes[i]) n[code[i]]++;
        }
        int tot = n[1] + n[2] + n[3], mx = n[1] > n[2] ? n[1] : n[2];
        if (n[3] > mx) mx = n[3];
        if (sp->min_share <= 0 || (double)(tot - mx) >= sp->min_share * tot) break;
        assert_true(tries < 1000);
    }
    for (int i = 0; i < sp->nc; i++)
        if (votes[i]) add_vote(S->v, rcid, S->code[i], code[i]);
    free(code);
    free(votes);
    S->nrollcalls++;
}

static double draw_alpha(const simspec *sp, gsl_rng *rng)
{
    for (;;) {
        double a = gsl_ran_gaussian(rng, sp->alpha_sd);
        if (sp->alpha_max <= 0 || fabs(a) <= sp->alpha_max) return a;
    }
}

static sim *sim_new(const simspec *sp)
{
    sim *S = calloc(1, sizeof *S);
    assert_non_null(S);
    S->nc = sp->nc;
    S->nsess = sp->nsess;
    S->x = malloc((size_t)sp->nc * (size_t)sp->nsess * sizeof *S->x);
    S->code = malloc((size_t)sp->nc * sizeof *S->code);
    assert_non_null(S->x);
    assert_non_null(S->code);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    gsl_rng_set(rng, (unsigned long)sp->seed);
    for (int i = 0; i < sp->nc; i++) {
        snprintf(S->code[i], 8, "S%03d", i);
        double *x = &S->x[i * sp->nsess];
        x[0] = gsl_ran_gaussian(rng, 1.0);
        for (int t = 1; t < sp->nsess; t++)
            x[t] = x[t - 1] + (i < sp->nmovers ? (i % 2 ? -sp->move : sp->move) : gsl_ran_gaussian(rng, sp->walk_sd));
    }
    S->v = votes_new();
    /* recurring items: their parameters once */
    double *ra = malloc(((size_t)sp->nrecur + 1) * 3 * sizeof *ra);
    assert_non_null(ra);
    for (int r = 0; r < sp->nrecur; r++) {
        ra[3 * r] = draw_alpha(sp, rng);
        ra[3 * r + 1] = gsl_ran_gaussian(rng, sp->beta_sd);
        ra[3 * r + 2] = 0.3 + 0.7 * gsl_rng_uniform(rng);
        int nsess = 0;
        for (int t = 1; t <= sp->nsess; t++) nsess += recurs_in(r, t);
        if (nsess >= 2) {
            S->recur_groups++;
            S->recur_rollcalls += nsess;
        }
    }
    int64_t rcid = 1;
    for (int t = 1; t <= sp->nsess; t++) {
        for (int j = 0; j < sp->nrc; j++) {
            double a = draw_alpha(sp, rng), b = gsl_ran_gaussian(rng, sp->beta_sd);
            double d = 0.3 + 0.7 * gsl_rng_uniform(rng);
            char key[96];
            snprintf(key, sizeof key, "A resolution of session %d, number %d, never repeated", t, j);
            sim_rollcall(S, sp, rng, rcid++, t, a, b, d, key);
        }
        for (int r = 0; r < sp->nrecur; r++) {
            if (!recurs_in(r, t)) continue;
            char key[96];
            snprintf(key, sizeof key, "The recurring resolution on question %d", r);
            sim_rollcall(S, sp, rng, rcid++, t, ra[3 * r], ra[3 * r + 1], ra[3 * r + 2], key);
        }
    }
    free(ra);
    gsl_rng_free(rng);
    return S;
}

static void sim_free(sim *S)
{
    if (!S) return;
    ol_ideal_votes_free(S->v);
    free(S->x);
    free(S->code);
    free(S);
}

static int sim_index(const sim *S, const char *code)
{
    int i = atoi(code + 1);
    assert_true(i >= 0 && i < S->nc);
    assert_string_equal(S->code[i], code);
    return i;
}

/* The country with the largest (sign > 0) or smallest mean true position. */
static int sim_extreme(const sim *S, int sign)
{
    int best = 0;
    double bm = 0;
    for (int i = 0; i < S->nc; i++) {
        double m = 0;
        for (int t = 0; t < S->nsess; t++) m += S->x[i * S->nsess + t];
        if (i == 0 || sign * m > sign * bm) best = i, bm = m;
    }
    return best;
}

/* Model m's defaults on a simulated panel, anchored on the country whose
 * true positions are the most positive, so that the fit's sign is the
 * truth's. */
static void sim_options(ol_ideal_options *o, ol_ideal_model m, const sim *S)
{
    ol_ideal_options_init(o, m);
    snprintf(o->anchor, sizeof o->anchor, "%s", S->code[sim_extreme(S, +1)]);
}

/* Pearson r between the fit's points and the truth (all points). */
static double sim_r(const sim *S, const ol_ideal_fit *f)
{
    double *a = malloc(f->n * sizeof *a), *b = malloc(f->n * sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    for (size_t k = 0; k < f->n; k++) {
        int i = sim_index(S, f->points[k].country);
        assert_true(f->points[k].session >= 1 && f->points[k].session <= S->nsess);
        a[k] = f->points[k].value;
        b[k] = S->x[i * S->nsess + f->points[k].session - 1];
    }
    double r = pearson(a, b, f->n);
    free(a);
    free(b);
    return r;
}

/* ------------------------------------------------------------ 1. options */

static void test_options_defaults(void **state)
{
    (void)state;
    ol_ideal_model models[] = {OL_IDEAL_BINARY, OL_IDEAL_ORDINAL, OL_IDEAL_DYNAMIC};
    for (size_t k = 0; k < 3; k++) {
        ol_ideal_options o;
        memset(&o, 0x5a, sizeof o);
        ol_ideal_options_init(&o, models[k]);
        assert_int_equal(o.model, models[k]);
        assert_int_equal(o.from_year, 0);
        assert_int_equal(o.to_year, 0);
        assert_true(o.lop > 0 && o.lop < 0.5);
        assert_true(o.min_votes >= 1);
        assert_true(o.tol > 0 && o.tol < 1);
        assert_true(o.max_iter >= 1);
        assert_int_equal(o.threads, 0);
        assert_string_equal(o.anchor, "USA");
        assert_true(o.prior_sd > 0);
        assert_true(o.walk_sd > 0 && o.walk_sd < o.prior_sd);
        assert_int_equal(o.walk, OL_IDEAL_WALK_STATIONARY);
        assert_true(o.item_sd > 0);
        assert_int_equal(o.bridge, models[k] == OL_IDEAL_DYNAMIC ? OL_IDEAL_BRIDGE_TEXT : OL_IDEAL_BRIDGE_NONE);
        assert_true(o.bridge_min_chars >= 1);
        assert_int_equal(o.bootstrap, 0);
        assert_int_equal(o.method, OL_IDEAL_METHOD_EM);
        assert_int_equal(o.burn, 1000);
        assert_int_equal(o.draws, 1000);
        assert_int_equal(o.thin, 1);
    }
    /* the documented values */
    ol_ideal_options o;
    ol_ideal_options_init(&o, OL_IDEAL_DYNAMIC);
    assert_true(o.lop == 0.025);
    assert_int_equal(o.min_votes, 10);
    assert_true(o.tol == 1e-6);
    assert_true(o.walk_sd == 0.2);
    assert_true(o.item_sd == 5.0);
    assert_int_equal(o.bridge_min_chars, 20);
}

static void test_options_model_names(void **state)
{
    (void)state;
    static const struct { ol_ideal_model m; const char *name, *estimate; } cases[] = {
        {OL_IDEAL_BINARY, "binary", "orderlab-binary"},
        {OL_IDEAL_ORDINAL, "ordinal", "orderlab-ordinal"},
        {OL_IDEAL_DYNAMIC, "dynamic", "orderlab-dynamic"},
    };
    for (size_t k = 0; k < 3; k++) {
        assert_string_equal(ol_ideal_model_name(cases[k].m), cases[k].name);
        assert_string_equal(ol_ideal_model_estimate(cases[k].m), cases[k].estimate);
        ol_ideal_model m = (ol_ideal_model)99;
        ol_error err;
        ol_error_clear(&err);
        OL_ASSERT_OK(ol_ideal_model_parse(ol_ideal_model_name(cases[k].m), &m, &err), &err);
        assert_int_equal(m, cases[k].m);
    }
    const char *bad[] = {"foo", "", "Binary", "dynamic ", "orderlab-dynamic"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        ol_ideal_model m = OL_IDEAL_ORDINAL;
        ol_error err;
        ol_error_clear(&err);
        assert_int_equal(ol_ideal_model_parse(bad[k], &m, &err), OL_EINVAL);
        assert_int_equal(m, OL_IDEAL_ORDINAL); /* untouched */
        assert_string_equal(err.field, "model");
        assert_non_null(strstr(err.message, bad[k]));
    }
    ol_ideal_model m;
    assert_int_equal(ol_ideal_model_parse(NULL, &m, NULL), OL_EINVAL);
}

static void test_options_invalid(void **state)
{
    (void)state;
    ol_ideal_votes *v = small_matrix();
    ol_ideal_options good;
    small_options(&good, OL_IDEAL_DYNAMIC);
    ol_ideal_fit *f = fit_ok(v, &good);
    ol_ideal_fit_free(f);
    static const struct { const char *what, *in_message; } cases[] = {
        {"lop 0.5", "lop"},          {"lop -0.1", "lop"},         {"lop nan", "lop"},
        {"tol 0", "tol"},            {"tol 1", "tol"},            {"min_votes 0", "min_votes"},
        {"max_iter 0", "max_iter"},  {"threads -1", "threads"},   {"prior_sd 0", "prior_sd"},
        {"walk_sd 0", "walk_sd"},    {"walk_sd = prior_sd", "walk_sd"}, {"item_sd 0", "item_sd"},
        {"bootstrap -1", "bootstrap"}, {"bridge_min_chars 0", "bridge_min_chars"},
        {"from > to", "from_year"},  {"model 7", "model"},        {"walk 9", "walk"},
        {"method 5", "method"},      {"gibbs with bootstrap", "bootstrap"}, {"draws 1", "draws"},
        {"thin 0", "thin"},          {"burn -1", "burn"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        ol_ideal_options o = good;
        switch (k) {
        case 0: o.lop = 0.5; break;
        case 1: o.lop = -0.1; break;
        case 2: o.lop = NAN; break;
        case 3: o.tol = 0; break;
        case 4: o.tol = 1; break;
        case 5: o.min_votes = 0; break;
        case 6: o.max_iter = 0; break;
        case 7: o.threads = -1; break;
        case 8: o.prior_sd = 0; break;
        case 9: o.walk_sd = 0; break;
        case 10: o.walk_sd = o.prior_sd; break;
        case 11: o.item_sd = 0; break;
        case 12: o.bootstrap = -1; break;
        case 13: o.bridge_min_chars = 0; break;
        case 14: o.from_year = 2000, o.to_year = 1999; break;
        case 15: o.model = (ol_ideal_model)7; break;
        case 16: o.walk = (ol_ideal_walk)9; break;
        case 17: o.method = (ol_ideal_method)5; break;
        case 18: o.method = OL_IDEAL_METHOD_GIBBS, o.bootstrap = 5; break;
        case 19: o.method = OL_IDEAL_METHOD_GIBBS, o.draws = 1; break;
        case 20: o.method = OL_IDEAL_METHOD_GIBBS, o.thin = 0; break;
        case 21: o.method = OL_IDEAL_METHOD_GIBBS, o.burn = -1; break;
        }
        ol_error err;
        assert_int_equal(fit_fails(v, &o, &err), OL_EINVAL);
        if (!strstr(err.message, cases[k].in_message))
            fail_msg("%s: message '%s' does not name %s", cases[k].what, err.message, cases[k].in_message);
    }
    /* walk_sd >= prior_sd is fine for the random walk, which has no stationary spread */
    ol_ideal_options o = good;
    o.walk = OL_IDEAL_WALK_RANDOM;
    o.walk_sd = 2 * o.prior_sd;
    f = fit_ok(v, &o);
    ol_ideal_fit_free(f);
    /* an open end of the years is fine */
    o = good;
    o.from_year = 1946;
    f = fit_ok(v, &o);
    ol_ideal_fit_free(f);
    /* no votes, no options */
    ol_error err;
    ol_error_clear(&err);
    f = NULL;
    assert_int_equal(ol_ideal_estimate(NULL, &good, NULL, NULL, &f, &err), OL_EINVAL);
    assert_int_equal(ol_ideal_estimate(v, NULL, NULL, NULL, &f, &err), OL_EINVAL);
    assert_null(f);
    ol_ideal_votes_free(v);
}

/* ------------------------------------------------------------ 2. the vote matrix */

static void test_matrix_counts(void **state)
{
    (void)state;
    ol_ideal_votes *v = small_matrix();
    const ol_ideal_counts *c = ol_ideal_votes_counts(v);
    assert_int_equal(c->rollcalls_read, SMALL_NRC);
    assert_int_equal(c->votes_read, SMALL_NC * SMALL_NRC);
    assert_int_equal(c->countries_read, SMALL_NC);
    /* code 4 and 0: counted, ignored */
    add_vote(v, 1, "C00", 4);
    add_vote(v, 1, "C01", 0);
    assert_int_equal(c->votes_bad_code, 2);

    /* an undeclared roll call */
    add_vote(v, 999, "C00", 1);
    assert_int_equal(c->votes_unknown_rollcall, 1);
    /* neither adds a country */
    add_vote(v, 999, "NEW", 1);
    add_vote(v, 1, "NEW2", 7);
    assert_int_equal(c->votes_bad_code, 3);
    assert_int_equal(c->votes_unknown_rollcall, 2);
    assert_int_equal(c->countries_read, SMALL_NC);
    assert_int_equal(c->votes_read, SMALL_NC * SMALL_NRC + 5);
    /* a duplicate: C00 voted no on roll call 1 (0 < 2); the second vote says yes */
    add_vote(v, 1, "C00", 1);
    ol_ideal_options o;
    small_options(&o, OL_IDEAL_ORDINAL);
    o.lop = 0;
    ol_ideal_fit *f = fit_ok(v, &o);
    assert_int_equal(f->counts.votes_bad_code, 3);
    assert_int_equal(f->counts.votes_unknown_rollcall, 2);
    assert_int_equal(f->counts.votes_duplicate, 1);
    assert_int_equal(f->counts.votes_used, SMALL_NC * SMALL_NRC);
    assert_int_equal(f->counts.votes_dropped, 0);
    assert_int_equal(f->counts.rollcalls_used, SMALL_NRC);
    assert_counts_add_up(&f->counts);
    ol_ideal_fit_free(f);

    /* The first vote is kept: on roll call 21 C00 votes yes then no; with
     * the second vote kept, roll call 21 would be unanimous (all no). */
    add_rc(v, 21, 1, 1946, NULL);
    add_vote(v, 21, "C00", 1);
    for (int i = 0; i < SMALL_NC; i++) {
        char code[8];
        small_code(code, i);
        add_vote(v, 21, code, 3);
    }
    f = fit_ok(v, &o);
    assert_int_equal(f->counts.votes_duplicate, 2);
    assert_int_equal(f->counts.rollcalls_unanimous, 0);
    assert_int_equal(f->counts.rollcalls_used, SMALL_NRC + 1);
    assert_int_equal(f->counts.votes_used, SMALL_NC * (SMALL_NRC + 1));
    assert_counts_add_up(&f->counts);
    ol_ideal_fit_free(f);
    ol_ideal_votes_free(v);
}

static void test_matrix_errors(void **state)
{
    (void)state;
    ol_ideal_votes *v = votes_new();
    ol_error err;
    add_rc(v, 5, 1, 1946, "key");
    ol_error_clear(&err);
    assert_int_equal(ol_ideal_votes_add_rollcall(v, 5, 2, 1947, NULL, &err), OL_EVALIDATE);
    assert_string_equal(err.field, "rcid");
    assert_non_null(strstr(err.message, "5"));
    ol_error_clear(&err);
    assert_int_equal(ol_ideal_votes_add_rollcall(v, 6, 0, 1946, NULL, &err), OL_EVALIDATE);
    assert_string_equal(err.field, "session");
    assert_int_equal(ol_ideal_votes_add_rollcall(v, 7, -3, 1946, NULL, NULL), OL_EVALIDATE);
    assert_int_equal(ol_ideal_votes_add_rollcall(v, 8, 1, 0, NULL, NULL), OL_EVALIDATE);
    assert_int_equal(ol_ideal_votes_add_rollcall(NULL, 9, 1, 1946, NULL, NULL), OL_EINVAL);
    /* the refused declarations left nothing behind */
    assert_int_equal(ol_ideal_votes_counts(v)->rollcalls_read, 1);
    ol_error_clear(&err);
    assert_int_equal(ol_ideal_votes_add(v, 5, NULL, 1, &err), OL_EINVAL);
    assert_string_equal(err.field, "country");
    assert_int_equal(ol_ideal_votes_add(v, 5, "", 1, NULL), OL_EINVAL);
    assert_int_equal(ol_ideal_votes_add(v, 5, "TOOLONGCODE", 1, NULL), OL_EINVAL);
    assert_int_equal(ol_ideal_votes_add(NULL, 5, "USA", 1, NULL), OL_EINVAL);
    assert_int_equal(ol_ideal_votes_counts(v)->votes_read, 0);
    /* rcids are any int64, negative and large ones included */
    add_rc(v, -1, 1, 1946, NULL);
    add_rc(v, INT64_MAX, 1, 1946, NULL);
    add_vote(v, INT64_MAX, "USA", 1);
    add_vote(v, -1, "USA", 3);
    assert_int_equal(ol_ideal_votes_counts(v)->votes_unknown_rollcall, 0);
    ol_ideal_votes_free(v);
    ol_ideal_votes_free(NULL);
}

/* Many roll calls and countries: the hash tables grow and still find them. */
static void test_matrix_grows(void **state)
{
    (void)state;
    ol_ideal_votes *v = votes_new();
    for (int j = 0; j < 3000; j++) add_rc(v, 1000003LL * j, 1 + j / 1000, 1946 + j / 1000, NULL);
    for (int i = 0; i < 600; i++) {
        char c[8];
        snprintf(c, sizeof c, "K%d", i);
        add_vote(v, 1000003LL * (i * 5), c, 1);
        add_vote(v, 1000003LL * (i * 5) + 1, c, 1); /* unknown */
    }
    const ol_ideal_counts *c = ol_ideal_votes_counts(v);
    assert_int_equal(c->rollcalls_read, 3000);
    assert_int_equal(c->countries_read, 600);
    assert_int_equal(c->votes_unknown_rollcall, 600);
    assert_int_equal(ol_ideal_votes_add_rollcall(v, 1000003LL * 2999, 3, 1948, NULL, NULL), OL_EVALIDATE);
    ol_ideal_votes_free(v);
}

/* ------------------------------------------------------------ 3. selection */

static void test_selection_unanimous_lopsided(void **state)
{
    (void)state;
    ol_ideal_votes *v = small_matrix();
    /* 101: all yes; 102: 9 yes, 1 no (minority 0.1) */
    add_rc(v, 101, 1, 1946, NULL);
    add_rc(v, 102, 1, 1946, NULL);
    for (int i = 0; i < SMALL_NC; i++) {
        char c[8];
        small_code(c, i);
        add_vote(v, 101, c, 1);
        add_vote(v, 102, c, i == 0 ? 3 : 1);
    }
    ol_ideal_options o;
    small_options(&o, OL_IDEAL_ORDINAL);
    o.lop = 0.15;
    ol_ideal_fit *f = fit_ok(v, &o);
    const ol_ideal_counts *c = &f->counts;
    assert_int_equal(c->rollcalls_read, SMALL_NRC + 2);
    assert_int_equal(c->rollcalls_unanimous, 1);
    assert_int_equal(c->rollcalls_lopsided, 1);
    assert_int_equal(c->rollcalls_used, SMALL_NRC);
    assert_int_equal(c->items, SMALL_NRC);
    assert_int_equal(c->votes_dropped, 2 * SMALL_NC);
    assert_int_equal(c->votes_used, SMALL_NC * SMALL_NRC);
    assert_int_equal(c->countries_used, SMALL_NC);
    assert_counts_add_up(c);
    for (size_t k = 0; k < f->n; k++) assert_int_equal(f->points[k].nvotes, SMALL_NRC);
    ol_ideal_fit_free(f);
    /* minority share exactly lop is kept (>= lop) */
    o.lop = 0.1;
    f = fit_ok(v, &o);
    assert_int_equal(f->counts.rollcalls_lopsided, 0);
    assert_int_equal(f->counts.rollcalls_used, SMALL_NRC + 1);
    ol_ideal_fit_free(f);
    /* lop 0 keeps the lopsided one; the unanimous one is always dropped */
    o.lop = 0;
    f = fit_ok(v, &o);
    c = &f->counts;
    assert_int_equal(c->rollcalls_unanimous, 1);
    assert_int_equal(c->rollcalls_lopsided, 0);
    assert_int_equal(c->rollcalls_used, SMALL_NRC + 1);
    assert_int_equal(c->votes_used, SMALL_NC * (SMALL_NRC + 1));
    assert_counts_add_up(c);
    for (size_t k = 0; k < f->n; k++) assert_int_equal(f->points[k].nvotes, SMALL_NRC + 1);
    ol_ideal_fit_free(f);
    ol_ideal_votes_free(v);
}

/* A roll call is unanimous in the ordinal model only when every vote is the
 * same of three; yes/abstain splits are a minority. */
static void test_selection_ordinal_abstentions(void **state)
{
    (void)state;
    ol_ideal_votes *v = small_matrix();
    add_rc(v, 101, 1, 1946, NULL);
    for (int i = 0; i < SMALL_NC; i++) {
        char c[8];
        small_code(c, i);
        add_vote(v, 101, c, i < 3 ? 2 : 1); /* 3 abstain, 7 yes */
    }
    ol_ideal_options o;
    small_options(&o, OL_IDEAL_ORDINAL);
    ol_ideal_fit *f = fit_ok(v, &o);
    assert_int_equal(f->counts.rollcalls_used, SMALL_NRC + 1);
    assert_int_equal(f->counts.votes_abstain_missing, 0);
    ol_ideal_fit_free(f);
    /* binary: the abstentions are missing and 101 is unanimous */
    small_options(&o, OL_IDEAL_BINARY);
    f = fit_ok(v, &o);
    assert_int_equal(f->counts.votes_abstain_missing, 3);
    assert_int_equal(f->counts.rollcalls_unanimous, 1);
    assert_int_equal(f->counts.rollcalls_used, SMALL_NRC);
    assert_int_equal(f->counts.votes_dropped, 7);
    assert_int_equal(f->counts.votes_used, SMALL_NC * SMALL_NRC);
    assert_counts_add_up(&f->counts);
    ol_ideal_fit_free(f);
    ol_ideal_votes_free(v);
}

static void test_selection_binary_abstain(void **state)
{
    (void)state;
    ol_ideal_votes *v = small_matrix();
    /* 101: C00, C01 abstain, C02..C05 no, C06..C09 yes */
    add_rc(v, 101, 1, 1946, NULL);
    for (int i = 0; i < SMALL_NC; i++) {
        char c[8];
        small_code(c, i);
        add_vote(v, 101, c, i < 2 ? 2 : i < 6 ? 3 : 1);
    }
    ol_ideal_options o;
    small_options(&o, OL_IDEAL_BINARY);
    ol_ideal_fit *f = fit_ok(v, &o);
    const ol_ideal_counts *c = &f->counts;
    assert_int_equal(c->votes_abstain_missing, 2);
    assert_int_equal(c->rollcalls_used, SMALL_NRC + 1);
    assert_int_equal(c->votes_used, SMALL_NC * (SMALL_NRC + 1) - 2);
    assert_int_equal(c->votes_dropped, 0);
    assert_counts_add_up(c);
    assert_int_equal(point_of(f, "C00", 1)->nvotes, SMALL_NRC);
    assert_int_equal(point_of(f, "C09", 1)->nvotes, SMALL_NRC + 1);
    ol_ideal_fit_free(f);
    for (int m = OL_IDEAL_ORDINAL; m <= OL_IDEAL_DYNAMIC; m++) {
        small_options(&o, (ol_ideal_model)m);
        f = fit_ok(v, &o);
        assert_int_equal(f->counts.votes_abstain_missing, 0);
        assert_int_equal(f->counts.votes_used, SMALL_NC * (SMALL_NRC + 1));
        assert_counts_add_up(&f->counts);
        ol_ideal_fit_free(f);
    }
    ol_ideal_votes_free(v);
}

static void test_selection_min_votes_iterates(void **state)
{
    (void)state;
    ol_ideal_votes *v = small_matrix();
    /* LOW votes 3 times: on 1 and 2 with the majority, and on 101 as the
     * only no against the yes of everyone else.  MID votes 5 times: yes on
     * 101 and on 1 to 4.  With min_votes 5, LOW goes; then 101 is unanimous
     * and goes; then MID has 4 votes and goes: the selection iterates. */
    add_rc(v, 101, 1, 1946, NULL);
    for (int i = 0; i < SMALL_NC; i++) {
        char c[8];
        small_code(c, i);
        add_vote(v, 101, c, 1);
    }
    add_vote(v, 101, "LOW", 3);
    add_vote(v, 1, "LOW", 1);
    add_vote(v, 2, "LOW", 1);
    add_vote(v, 101, "MID", 1);
    for (int j = 1; j <= 4; j++) add_vote(v, j, "MID", 3);
    ol_ideal_options o;
    small_options(&o, OL_IDEAL_ORDINAL);
    o.lop = 0;
    o.min_votes = 5;
    ol_ideal_fit *f = fit_ok(v, &o);
    const ol_ideal_counts *c = &f->counts;
    assert_int_equal(c->countries_read, SMALL_NC + 2);
    assert_int_equal(c->countries_too_few, 2);
    assert_int_equal(c->countries_used, SMALL_NC);
    assert_int_equal(c->rollcalls_unanimous, 1);
    assert_int_equal(c->rollcalls_used, SMALL_NRC);
    assert_int_equal(c->votes_dropped, 3 + 5 + SMALL_NC);
    assert_int_equal(c->votes_used, SMALL_NC * SMALL_NRC);
    assert_counts_add_up(c);
    assert_null(point_of(f, "LOW", 1));
    assert_null(point_of(f, "MID", 1));
    assert_int_equal(f->n, SMALL_NC);
    ol_ideal_fit_free(f);
    /* min_votes 3 keeps LOW and MID, and 101 with them */
    o.min_votes = 3;
    f = fit_ok(v, &o);
    assert_int_equal(f->counts.countries_too_few, 0);
    assert_int_equal(f->counts.rollcalls_used, SMALL_NRC + 1);
    assert_int_equal(point_of(f, "LOW", 1)->nvotes, 3);
    assert_int_equal(point_of(f, "MID", 1)->nvotes, 5);
    assert_int_equal(f->n, SMALL_NC + 2);
    ol_ideal_fit_free(f);
    /* min_votes above every country's count: nothing is left */
    o.min_votes = SMALL_NRC + 2;
    ol_error err;
    assert_int_equal(fit_fails(v, &o, &err), OL_EVALIDATE);
    assert_non_null(strstr(err.message, "12 countries with fewer than 22 votes"));
    ol_ideal_votes_free(v);
}

static void test_selection_years(void **state)
{
    (void)state;
    ol_ideal_votes *v = small_matrix(); /* session 1, 1946 */
    /* the same pattern again in session 5 (1950) and session 15 (1960) */
    for (int s = 0; s < 2; s++) {
        int session = s ? 15 : 5, year = s ? 1960 : 1950;
        for (int j = 1; j <= SMALL_NRC; j++) add_rc(v, 100 * session + j, session, year, NULL);
        for (int i = 0; i < SMALL_NC; i++) {
            char c[8];
            small_code(c, i);
            for (int j = 1; j <= SMALL_NRC; j++) add_vote(v, 100 * session + j, c, i >= 2 + (j + s) % 7 ? 1 : 3);
        }
    }
    ol_ideal_options o;
    small_options(&o, OL_IDEAL_BINARY);
    o.from_year = 1947;
    o.to_year = 1955;
    ol_ideal_fit *f = fit_ok(v, &o);
    const ol_ideal_counts *c = &f->counts;
    assert_int_equal(c->rollcalls_read, 3 * SMALL_NRC);
    assert_int_equal(c->rollcalls_range, 2 * SMALL_NRC);
    assert_int_equal(c->rollcalls_used, SMALL_NRC);
    assert_int_equal(c->votes_dropped, 2 * SMALL_NC * SMALL_NRC);
    assert_int_equal(c->votes_used, SMALL_NC * SMALL_NRC);
    assert_counts_add_up(c);
    assert_int_equal(f->n, SMALL_NC);
    for (size_t k = 0; k < f->n; k++) {
        assert_int_equal(f->points[k].session, 5);
        assert_int_equal(f->points[k].year, 1950);
    }
    ol_ideal_fit_free(f);
    /* the bounds are inclusive; open ends */
    o.from_year = 1950;
    o.to_year = 0;
    f = fit_ok(v, &o);
    assert_int_equal(f->counts.rollcalls_range, SMALL_NRC);
    assert_int_equal(f->n, 2 * SMALL_NC);
    ol_ideal_fit_free(f);
    o.from_year = 0;
    o.to_year = 1950;
    f = fit_ok(v, &o);
    assert_int_equal(f->counts.rollcalls_range, SMALL_NRC);
    assert_int_equal(f->n, 2 * SMALL_NC);
    /* sorted by country, then session */
    for (size_t k = 1; k < f->n; k++) {
        int cmp = strcmp(f->points[k - 1].country, f->points[k].country);
        assert_true(cmp < 0 || (cmp == 0 && f->points[k - 1].session < f->points[k].session));
    }
    ol_ideal_fit_free(f);
    /* nothing in the years: not identified */
    o.from_year = 1970;
    ol_error err;
    o.to_year = 0;
    assert_int_equal(fit_fails(v, &o, &err), OL_EVALIDATE);
    ol_ideal_votes_free(v);
}

/* A session's year is the year most of its roll calls are dated. */
static void test_selection_session_year(void **state)
{
    (void)state;
    ol_ideal_votes *v = votes_new();
    for (int j = 1; j <= SMALL_NRC; j++) add_rc(v, j, 30, j <= 6 ? 1975 : 1976, NULL);
    for (int i = 0; i < SMALL_NC; i++) {
        char c[8];
        small_code(c, i);
        for (int j = 1; j <= SMALL_NRC; j++) add_vote(v, j, c, i >= 2 + j % 7 ? 1 : 3);
    }
    ol_ideal_options o;
    small_options(&o, OL_IDEAL_ORDINAL);
    ol_ideal_fit *f = fit_ok(v, &o);
    for (size_t k = 0; k < f->n; k++) {
        assert_int_equal(f->points[k].session, 30);
        assert_int_equal(f->points[k].year, 1976);
    }
    ol_ideal_fit_free(f);
    ol_ideal_votes_free(v);
}

/* ------------------------------------------------------------ 4. identification */

static void test_identification(void **state)
{
    (void)state;
    ol_ideal_options o;
    ol_error err;
    /* one country */
    ol_ideal_votes *v = votes_new();
    for (int j = 1; j <= 30; j++) {
        add_rc(v, j, 1, 1946, NULL);
        add_vote(v, j, "C09", j % 2 ? 1 : 3);
    }
    small_options(&o, OL_IDEAL_ORDINAL);
    o.min_votes = 1;
    assert_int_equal(fit_fails(v, &o, &err), OL_EVALIDATE);
    assert_non_null(strstr(err.message, "do not identify"));
    assert_non_null(strstr(err.message, "1 countries"));
    ol_ideal_votes_free(v);
    /* every roll call unanimous */
    v = votes_new();
    for (int j = 1; j <= 30; j++) {
        add_rc(v, j, 1, 1946, NULL);
        for (int i = 0; i < SMALL_NC; i++) {
            char c[8];
            small_code(c, i);
            add_vote(v, j, c, 1);
        }
    }
    for (int m = OL_IDEAL_BINARY; m <= OL_IDEAL_DYNAMIC; m++) {
        small_options(&o, (ol_ideal_model)m);
        assert_int_equal(fit_fails(v, &o, &err), OL_EVALIDATE);
        assert_non_null(strstr(err.message, "0 roll calls"));
        assert_non_null(strstr(err.message, "30 unanimous"));
        assert_int_equal(ol_status_exit_code(OL_EVALIDATE), 3);
    }
    ol_ideal_votes_free(v);
    /* no votes at all */
    v = votes_new();
    add_rc(v, 1, 1, 1946, NULL);
    small_options(&o, OL_IDEAL_DYNAMIC);
    assert_int_equal(fit_fails(v, &o, &err), OL_EVALIDATE);
    ol_ideal_votes_free(v);
}

static void test_identification_anchor(void **state)
{
    (void)state;
    ol_ideal_votes *v = small_matrix();
    add_vote(v, 1, "FEW", 1); /* one vote: dropped with min_votes 10 */
    ol_ideal_options o;
    ol_error err;
    for (int m = OL_IDEAL_BINARY; m <= OL_IDEAL_DYNAMIC; m++) {
        small_options(&o, (ol_ideal_model)m);
        snprintf(o.anchor, sizeof o.anchor, "ZZZ");
        assert_int_equal(fit_fails(v, &o, &err), OL_EVALIDATE);
        assert_string_equal(err.field, "anchor");
        assert_non_null(strstr(err.message, "ZZZ"));
        snprintf(o.anchor, sizeof o.anchor, "FEW");
        assert_int_equal(fit_fails(v, &o, &err), OL_EVALIDATE);
        assert_non_null(strstr(err.message, "FEW"));
        /* the default anchor, USA, is not in this matrix */
        ol_ideal_options_init(&o, (ol_ideal_model)m);
        assert_int_equal(fit_fails(v, &o, &err), OL_EVALIDATE);
        assert_non_null(strstr(err.message, "USA"));
        /* no anchor: accepted */
        small_options(&o, (ol_ideal_model)m);
        o.anchor[0] = 0;
        ol_ideal_fit *f = fit_ok(v, &o);
        assert_int_equal(f->n, SMALL_NC);
        ol_ideal_fit_free(f);
    }
    ol_ideal_votes_free(v);
}

/* Without an anchor the positions are still estimated (the sign is
 * arbitrary): they order the countries of the Guttman pattern. */
static void test_identification_no_anchor_fits(void **state)
{
    (void)state;
    simspec sp;
    simspec_init(&sp);
    sp.nc = 40;
    sp.nrc = 150;
    sp.nsess = 2;
    sp.walk_sd = 0.1;
    sp.seed = 11;
    sim *S = sim_new(&sp);
    for (int m = OL_IDEAL_BINARY; m <= OL_IDEAL_DYNAMIC; m++) {
        ol_ideal_options o;
        ol_ideal_options_init(&o, (ol_ideal_model)m);
        o.anchor[0] = 0;
        o.threads = 1;
        ol_ideal_fit *f = fit_ok(S->v, &o);
        if (m == OL_IDEAL_DYNAMIC) {
            double r = sim_r(S, f);
            if (!(fabs(r) > 0.9)) fail_msg("model %s without an anchor: |r| = %.4f", ol_ideal_model_name(o.model), r);
        } else {
            for (int t = 1; t <= 2; t++) {
                double a[64], b[64];
                size_t n = 0;
                for (size_t k = 0; k < f->n; k++)
                    if (f->points[k].session == t) {
                        a[n] = f->points[k].value;
                        b[n++] = S->x[sim_index(S, f->points[k].country) * S->nsess + t - 1];
                    }
                double r = pearson(a, b, n);
                if (!(fabs(r) > 0.9))
                    fail_msg("model %s without an anchor, session %d: |r| = %.4f", ol_ideal_model_name(o.model), t, r);
            }
        }
        ol_ideal_fit_free(f);
    }
    sim_free(S);
}

/* ------------------------------------------------------------ 5, 6. recovery */

static void test_recovery_binary(void **state)
{
    (void)state;
    simspec sp;
    simspec_init(&sp);
    sp.nc = 200;
    sp.nrc = 5000; /* about 3 s under the sanitizers: the full size everywhere */
    sp.seed = 20240601;
    sim *S = sim_new(&sp);
    ol_ideal_options o;
    sim_options(&o, OL_IDEAL_BINARY, S);
    o.threads = 2;
    ol_ideal_fit *f = fit_ok(S->v, &o);
    assert_int_equal(f->n, (size_t)sp.nc);
    assert_int_equal(f->counts.countries_used, sp.nc);
    assert_int_equal(f->counts.rollcalls_read, sp.nrc);
    assert_counts_add_up(&f->counts);
    assert_true(f->converged);
    double r = sim_r(S, f);
    print_message("binary recovery, %d x %d: r = %.5f (%ld roll calls used, %d iterations, %.2f s)\n", sp.nc, sp.nrc,
                  r, f->counts.rollcalls_used, f->iterations, f->seconds);
    if (!(r >= 0.99)) fail_msg("binary recovery: r = %.5f < 0.99", r);
    ol_ideal_fit_free(f);
    sim_free(S);
}

static void test_recovery_ordinal(void **state)
{
    (void)state;
    simspec sp;
    simspec_init(&sp);
    sp.nc = 100;
    sp.nrc = 1000;
    sp.ordinal = 1;
    sp.seed = 20240602;
    sim *S = sim_new(&sp);
    ol_ideal_options o;
    sim_options(&o, OL_IDEAL_ORDINAL, S);
    o.threads = 2;
    ol_ideal_fit *f = fit_ok(S->v, &o);
    assert_int_equal(f->n, (size_t)sp.nc);
    assert_counts_add_up(&f->counts);
    assert_int_equal(f->counts.votes_abstain_missing, 0);
    double r = sim_r(S, f);
    print_message("ordinal recovery, %d x %d: r = %.5f (%ld roll calls used, %d iterations, %.2f s)\n", sp.nc, sp.nrc,
                  r, f->counts.rollcalls_used, f->iterations, f->seconds);
    if (!(r >= 0.98)) fail_msg("ordinal recovery: r = %.5f < 0.98", r);
    /* the binary model on the same votes leaves the abstentions out */
    sim_options(&o, OL_IDEAL_BINARY, S);
    ol_ideal_fit *fb = fit_ok(S->v, &o);
    assert_true(fb->counts.votes_abstain_missing > 0);
    assert_int_equal(fb->counts.votes_abstain_missing + fb->counts.votes_used + fb->counts.votes_dropped,
                     f->counts.votes_used + f->counts.votes_dropped);
    ol_ideal_fit_free(fb);
    ol_ideal_fit_free(f);
    sim_free(S);
}

/* ------------------------------------------------------------ 7. dynamic */

static void dynamic_spec(simspec *sp)
{
    simspec_init(sp);
    sp->nc = 60;
    sp->nsess = 8;
    sp->nrc = 80;
    sp->nrecur = 40;
    sp->ordinal = 1;
    sp->alpha_sd = 0.6;
    sp->alpha_max = 1.2;
    sp->walk_sd = 0.1;
    sp->nmovers = 10;
    sp->move = 0.15;
    sp->min_share = 0.1;
    sp->seed = 20240607;
}

static void test_dynamic_recovery(void **state)
{
    (void)state;
    simspec sp;
    dynamic_spec(&sp);
    sim *S = sim_new(&sp);
    ol_ideal_options o;
    sim_options(&o, OL_IDEAL_DYNAMIC, S);
    o.threads = 2;
    ol_ideal_fit *f = fit_ok(S->v, &o);
    const ol_ideal_counts *c = &f->counts;
    assert_int_equal(f->n, (size_t)(sp.nc * sp.nsess));
    assert_int_equal(c->rollcalls_read, S->nrollcalls);
    assert_int_equal(c->rollcalls_used, S->nrollcalls); /* min_share 0.1 > lop */
    assert_int_equal(c->bridged_rollcalls, S->recur_rollcalls);
    assert_int_equal(c->items, c->rollcalls_used - S->recur_rollcalls + S->recur_groups);
    assert_counts_add_up(c);
    double r = sim_r(S, f);
    /* within sessions too */
    double rmin = 1;
    for (int t = 1; t <= sp.nsess; t++) {
        double a[64], b[64];
        size_t n = 0;
        for (size_t k = 0; k < f->n; k++)
            if (f->points[k].session == t) {
                a[n] = f->points[k].value;
                b[n++] = S->x[sim_index(S, f->points[k].country) * S->nsess + t - 1];
            }
        assert_int_equal(n, sp.nc);
        double rt = pearson(a, b, n);
        if (rt < rmin) rmin = rt;
    }
    /* the steady movers: the estimated change over the sessions has the true sign */
    int right = 0;
    for (int i = 0; i < sp.nmovers; i++) {
        double d = point_of(f, S->code[i], sp.nsess)->value - point_of(f, S->code[i], 1)->value;
        right += (i % 2 ? -1 : 1) * d > 0;
    }
    print_message("dynamic recovery, %d countries x %d sessions: panel r = %.5f, smallest within-session r = %.5f, "
                  "movers with the right direction %d/%d (%ld roll calls, %ld items, %ld bridged; %d iterations, "
                  "%.2f s)\n",
                  sp.nc, sp.nsess, r, rmin, right, sp.nmovers, c->rollcalls_used, c->items, c->bridged_rollcalls,
                  f->iterations, f->seconds);
    if (!(r >= 0.95)) fail_msg("dynamic recovery: panel r = %.5f < 0.95", r);
    assert_int_equal(right, sp.nmovers);
    ol_ideal_fit_free(f);

    /* no bridging: every roll call its own item */
    o.bridge = OL_IDEAL_BRIDGE_NONE;
    f = fit_ok(S->v, &o);
    assert_int_equal(f->counts.bridged_rollcalls, 0);
    assert_int_equal(f->counts.items, f->counts.rollcalls_used);
    ol_ideal_fit_free(f);
    /* the per-session models never bridge */
    sim_options(&o, OL_IDEAL_ORDINAL, S);
    o.bridge = OL_IDEAL_BRIDGE_TEXT;
    f = fit_ok(S->v, &o);
    assert_int_equal(f->counts.bridged_rollcalls, 0);
    assert_int_equal(f->counts.items, f->counts.rollcalls_used);
    assert_int_equal(f->n, (size_t)(sp.nc * sp.nsess));
    ol_ideal_fit_free(f);
    sim_free(S);
}

/* Bridging on a small matrix: the rules of the key. */
static void test_dynamic_bridge_keys(void **state)
{
    (void)state;
    ol_ideal_votes *v = votes_new();
    /* three sessions of the Guttman pattern; roll call j of each session
     * carries key[j] (NULL beyond the list) */
    static const char *const keys[3][6] = {
        {"Question of the recurring kind, part one", "Short key", "Only once in the record, session one",
         "Twice in one session only, same text", "Twice in one session only, same text",
         "  Spacing, and CASE!  differ here"},
        {"QUESTION OF THE RECURRING KIND -- PART ONE", "Short key", "Only once in the record, session two", NULL, NULL,
         "spacing and case differ here"},
        {"question of the recurring kind: part one.", "Short key", NULL, NULL, NULL, NULL},
    };
    for (int s = 0; s < 3; s++) {
        for (int j = 1; j <= SMALL_NRC; j++)
            add_rc(v, 100 * (s + 1) + j, s + 1, 1946 + s, j <= 6 ? keys[s][j - 1] : NULL);
        for (int i = 0; i < SMALL_NC; i++) {
            char c[8];
            small_code(c, i);
            for (int j = 1; j <= SMALL_NRC; j++) add_vote(v, 100 * (s + 1) + j, c, i >= 2 + j % 7 ? 1 : 3);
        }
    }
    ol_ideal_options o;
    small_options(&o, OL_IDEAL_DYNAMIC);
    ol_ideal_fit *f = fit_ok(v, &o);
    /* "part one" in 3 sessions, "spacing" in 2: 5 roll calls in 2 items;
     * "Short key" (9 < 20 chars) and the pair within one session do not bridge */
    assert_int_equal(f->counts.rollcalls_used, 3 * SMALL_NRC);
    assert_int_equal(f->counts.bridged_rollcalls, 5);
    assert_int_equal(f->counts.items, 3 * SMALL_NRC - 5 + 2);
    assert_int_equal(f->n, 3 * SMALL_NC);
    ol_ideal_fit_free(f);
    /* a shorter minimum lets "Short key" (normalised: "SHORT KEY", 9 chars) bridge */
    o.bridge_min_chars = 9;
    f = fit_ok(v, &o);
    assert_int_equal(f->counts.bridged_rollcalls, 8);
    assert_int_equal(f->counts.items, 3 * SMALL_NRC - 8 + 3);
    ol_ideal_fit_free(f);
    o.bridge_min_chars = 10;
    f = fit_ok(v, &o);
    assert_int_equal(f->counts.bridged_rollcalls, 5);
    ol_ideal_fit_free(f);
    /* none */
    o.bridge = OL_IDEAL_BRIDGE_NONE;
    o.bridge_min_chars = 1;
    f = fit_ok(v, &o);
    assert_int_equal(f->counts.bridged_rollcalls, 0);
    assert_int_equal(f->counts.items, 3 * SMALL_NRC);
    ol_ideal_fit_free(f);
    /* a dropped roll call does not bridge: session 3's "part one" out of the years */
    small_options(&o, OL_IDEAL_DYNAMIC);
    o.to_year = 1947;
    f = fit_ok(v, &o);
    assert_int_equal(f->counts.rollcalls_range, SMALL_NRC);
    assert_int_equal(f->counts.bridged_rollcalls, 4);
    assert_int_equal(f->counts.items, 2 * SMALL_NRC - 4 + 2);
    ol_ideal_fit_free(f);
    ol_ideal_votes_free(v);
}

/* The walks: every variant fits the drifting panel. */
static void test_dynamic_walks(void **state)
{
    (void)state;
    simspec sp;
    dynamic_spec(&sp);
    sp.nc = 40;
    sp.nrc = 40;
    sp.nrecur = 20;
    sim *S = sim_new(&sp);
    ol_ideal_walk walks[] = {OL_IDEAL_WALK_STATIONARY, OL_IDEAL_WALK_RANDOM, OL_IDEAL_WALK_NONE};
    for (size_t k = 0; k < 3; k++) {
        ol_ideal_options o;
        sim_options(&o, OL_IDEAL_DYNAMIC, S);
        o.walk = walks[k];
        o.threads = 1;
        ol_ideal_fit *f = fit_ok(S->v, &o);
        double r = sim_r(S, f);
        print_message("dynamic, walk %d: panel r = %.4f\n", (int)walks[k], r);
        if (!(r >= 0.9)) fail_msg("walk %d: panel r = %.4f < 0.9", (int)walks[k], r);
        ol_ideal_fit_free(f);
    }
    sim_free(S);
}

/* A country absent from a middle session has no point there; its chain
 * still spans the gap. */
static void test_dynamic_gap(void **state)
{
    (void)state;
    ol_ideal_votes *v = votes_new();
    for (int s = 1; s <= 3; s++) {
        for (int j = 1; j <= SMALL_NRC; j++) add_rc(v, 100 * s + j, s, 1945 + s, NULL);
        for (int i = 0; i < SMALL_NC; i++) {
            if (i == 4 && s == 2) continue;
            char c[8];
            small_code(c, i);
            for (int j = 1; j <= SMALL_NRC; j++) add_vote(v, 100 * s + j, c, i >= 2 + (j + s) % 7 ? 1 : 3);
        }
    }
    ol_ideal_options o;
    small_options(&o, OL_IDEAL_DYNAMIC);
    ol_ideal_fit *f = fit_ok(v, &o);
    assert_int_equal(f->n, 3 * SMALL_NC - 1);
    assert_null(point_of(f, "C04", 2));
    assert_non_null(point_of(f, "C04", 1));
    assert_non_null(point_of(f, "C04", 3));
    for (size_t k = 0; k < f->n; k++) {
        assert_true(isfinite(f->points[k].value));
        assert_int_equal(f->points[k].nvotes, SMALL_NRC);
    }
    ol_ideal_fit_free(f);
    ol_ideal_votes_free(v);
}

/* ------------------------------------------------------------ 8. polarity */

static void test_polarity(void **state)
{
    (void)state;
    simspec sp;
    simspec_init(&sp);
    sp.nc = 50;
    sp.nrc = 300;
    sp.nsess = 2;
    sp.walk_sd = 0.05;
    sp.seed = 8;
    sim *S = sim_new(&sp);
    int lo = sim_extreme(S, -1), hi = sim_extreme(S, +1);
    for (int m = OL_IDEAL_BINARY; m <= OL_IDEAL_DYNAMIC; m++) {
        ol_ideal_options o;
        ol_ideal_options_init(&o, (ol_ideal_model)m);
        o.threads = 1;
        /* the anchor at the negative end: its estimate is positive, the
         * correlation with the truth negative */
        snprintf(o.anchor, sizeof o.anchor, "%s", S->code[lo]);
        ol_ideal_fit *f = fit_ok(S->v, &o);
        for (int t = 1; t <= 2; t++) {
            assert_true(S->x[lo * S->nsess + t - 1] < 0);
            assert_true(point_of(f, S->code[lo], t)->value > 0);
            assert_true(point_of(f, S->code[hi], t)->value < 0);
        }
        double r = sim_r(S, f);
        if (!(r < -0.95)) fail_msg("model %d, anchor %s: r = %.4f, expected about -1", m, o.anchor, r);
        ol_ideal_fit_free(f);
        /* the anchor at the positive end: the same positions, the other sign */
        snprintf(o.anchor, sizeof o.anchor, "%s", S->code[hi]);
        f = fit_ok(S->v, &o);
        r = sim_r(S, f);
        if (!(r > 0.95)) fail_msg("model %d, anchor %s: r = %.4f, expected about 1", m, o.anchor, r);
        assert_true(point_of(f, S->code[hi], 1)->value > 0);
        ol_ideal_fit_free(f);
    }
    sim_free(S);
}

/* ------------------------------------------------------------ 9. determinism */

static void test_determinism_threads(void **state)
{
    (void)state;
    simspec sp;
    dynamic_spec(&sp);
    sp.nc = 40;
    sp.nrc = 60;
    sp.nrecur = 20;
    sim *S = sim_new(&sp);
    for (int m = OL_IDEAL_BINARY; m <= OL_IDEAL_DYNAMIC; m++) {
        ol_ideal_options o;
        sim_options(&o, (ol_ideal_model)m, S);
        o.threads = 1;
        ol_ideal_fit *f1 = fit_ok(S->v, &o);
        o.threads = 2;
        ol_ideal_fit *f2 = fit_ok(S->v, &o);
        o.threads = 3;
        ol_ideal_fit *f3 = fit_ok(S->v, &o);
        assert_int_equal(f1->n, f2->n);
        assert_int_equal(f1->n, f3->n);
        assert_int_equal(f1->iterations, f2->iterations);
        for (size_t k = 0; k < f1->n; k++) {
            assert_string_equal(f1->points[k].country, f2->points[k].country);
            assert_int_equal(f1->points[k].session, f2->points[k].session);
            if (memcmp(&f1->points[k].value, &f2->points[k].value, sizeof(double)) ||
                memcmp(&f1->points[k].value, &f3->points[k].value, sizeof(double)))
                fail_msg("model %d, %s session %d: %.17g (1 thread) vs %.17g (2) vs %.17g (3)", m,
                         f1->points[k].country, f1->points[k].session, f1->points[k].value, f2->points[k].value,
                         f3->points[k].value);
        }
        assert_memory_equal(&f1->counts, &f2->counts, sizeof f1->counts);
        ol_ideal_fit_free(f1);
        ol_ideal_fit_free(f2);
        ol_ideal_fit_free(f3);
    }
    sim_free(S);
}

/* ------------------------------------------------------------ 10. bootstrap */

/* 30 countries x 300 roll calls in which S000 votes on about a tenth of the
 * roll calls; *many: the country with all its votes nearest to S000 in the
 * truth (the standard errors of the two compare information, not place). */
static sim *few_votes_sim(int ordinal, int *many)
{
    simspec sp;
    simspec_init(&sp);
    sp.nc = 30;
    sp.nrc = 300;
    sp.ordinal = ordinal;
    sp.few = 0;
    sp.few_share = 0.1;
    sp.seed = 10;
    sim *S = sim_new(&sp);
    *many = 1;
    for (int i = 2; i < sp.nc; i++)
        if (fabs(S->x[i] - S->x[0]) < fabs(S->x[*many] - S->x[0])) *many = i;
    return S;
}

static void test_bootstrap(void **state)
{
    fx *F = *state;
    int many;
    sim *S = few_votes_sim(0, &many);
    for (int m = OL_IDEAL_BINARY; m <= OL_IDEAL_DYNAMIC; m += 2) {
        ol_ideal_options o;
        sim_options(&o, (ol_ideal_model)m, S);
        o.threads = 2;
        o.bootstrap = 20;
        o.seed = 77;
        ol_ideal_fit *f = fit_ok(S->v, &o);
        for (size_t k = 0; k < f->n; k++)
            if (!(isfinite(f->points[k].se) && f->points[k].se > 0))
                fail_msg("model %d, %s: se %g", m, f->points[k].country, f->points[k].se);
        const ol_ideal_point *pf = point_of(f, "S000", 1), *pm = point_of(f, S->code[many], 1);
        assert_true(pf->nvotes < pm->nvotes / 5);
        print_message("bootstrap (%s): se %.4f with %d votes, %.4f with %d votes (%.2f s)\n",
                      ol_ideal_model_name(o.model), pf->se, pf->nvotes, pm->se, pm->nvotes, f->bootstrap_seconds);
        assert_true(pf->se > 1.5 * pm->se);
        /* the same seed: the same se, whatever the threads */
        o.threads = 1;
        ol_ideal_fit *g = fit_ok(S->v, &o);
        assert_int_equal(g->n, f->n);
        for (size_t k = 0; k < f->n; k++) {
            assert_memory_equal(&f->points[k].se, &g->points[k].se, sizeof(double));
            assert_memory_equal(&f->points[k].value, &g->points[k].value, sizeof(double));
        }
        ol_ideal_fit_free(g);
        /* another seed: other se, the same points */
        o.seed = 78;
        g = fit_ok(S->v, &o);
        int differ = 0;
        for (size_t k = 0; k < f->n; k++) {
            differ += f->points[k].se != g->points[k].se;
            assert_memory_equal(&f->points[k].value, &g->points[k].value, sizeof(double));
        }
        assert_true(differ > 0);
        ol_ideal_fit_free(g);
        /* no bootstrap: the same points, se NAN */
        o.bootstrap = 0;
        g = fit_ok(S->v, &o);
        for (size_t k = 0; k < f->n; k++) {
            assert_true(isnan(g->points[k].se));
            assert_memory_equal(&f->points[k].value, &g->points[k].value, sizeof(double));
        }
        assert_true(g->bootstrap_seconds == 0);
        /* ... and an empty se field in the CSV, NULL in the store */
        char *p = ol_test_path(F->dir, "nose.csv");
        ol_error err;
        ol_error_clear(&err);
        OL_ASSERT_OK(ol_ideal_fit_write_csv(g, p, &err), &err);
        ol_test_table *t = ol_test_table_file(p, 0);
        assert_int_equal(t->nrows, g->n);
        for (size_t k = 0; k < t->nrows; k++) assert_string_equal(ol_test_table_get(t, k, "se"), "");
        ol_test_table_free(t);
        OL_ASSERT_OK(ol_ideal_fit_write_csv(f, p, &err), &err);
        t = ol_test_table_file(p, 0);
        for (size_t k = 0; k < t->nrows; k++) assert_true(strtod(ol_test_table_get(t, k, "se"), NULL) > 0);
        ol_test_table_free(t);
        free(p);
        ol_ideal_fit_free(g);
        ol_ideal_fit_free(f);
    }
    sim_free(S);
}


/* ------------------------------------------------------------ 11. Gibbs sampler */

/* The sampler of the same posterior recovers the simulated positions as the
 * EM does, agrees with the EM fit, runs the sweeps it was asked for, and its
 * band moves are accepted at a rate near the 0.44 its proposal aims at. */
static void test_gibbs_recovery(void **state)
{
    (void)state;
    simspec sp;
    dynamic_spec(&sp);
    sim *S = sim_new(&sp);
    ol_ideal_options o;
    sim_options(&o, OL_IDEAL_DYNAMIC, S);
    o.threads = 2;
    ol_ideal_fit *em = fit_ok(S->v, &o);
    o.method = OL_IDEAL_METHOD_GIBBS;
    o.burn = 200;
    o.draws = 400;
    o.thin = 2;
    ol_ideal_fit *f = fit_ok(S->v, &o);
    assert_int_equal(f->n, em->n);
    assert_int_equal(f->sweeps, 200 + 400 * 2);
    assert_true(f->gibbs_seconds > 0);
    assert_true(f->bootstrap_seconds == 0);
    double *a = malloc(f->n * sizeof *a), *b = malloc(f->n * sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    for (size_t k = 0; k < f->n; k++) {
        assert_string_equal(f->points[k].country, em->points[k].country);
        assert_int_equal(f->points[k].session, em->points[k].session);
        a[k] = f->points[k].value;
        b[k] = em->points[k].value;
        if (!(isfinite(f->points[k].se) && f->points[k].se > 0))
            fail_msg("%s session %d: posterior sd %g", f->points[k].country, f->points[k].session, f->points[k].se);
    }
    double r = sim_r(S, f), r_em = sim_r(S, em), r_fits = pearson(a, b, f->n);
    print_message("Gibbs, %d countries x %d sessions, %d sweeps: r with the truth %.4f (EM %.4f), with the EM fit "
                  "%.4f; moves accepted: bands %.2f, window shifts %.2f; Geweke z %.2f, positions moving %.1f %%; %.2f s\n",
                  sp.nc, sp.nsess, f->sweeps, r, r_em, r_fits, f->band_accept, f->shift_accept, f->geweke_z,
                  100 * f->geweke_moving, f->gibbs_seconds);
    if (!(r >= 0.95)) fail_msg("Gibbs recovery: panel r = %.4f < 0.95", r);
    assert_true(r_fits >= 0.97);
    assert_true(f->band_accept > 0.2 && f->band_accept < 0.8);
    assert_true(f->shift_accept > 0.05 && f->shift_accept < 0.95);
    assert_true(isfinite(f->geweke_z));
    /* the per-position diagnostic: a z for every Gibbs point, none for EM;
     * the share and the countries named are those of the points */
    assert_true(f->geweke_expected > 0.0149 && f->geweke_expected < 0.0150); /* 2 P(t9 > 3) = 0.01496 */
    size_t moving = 0;
    for (size_t k = 0; k < f->n; k++) {
        assert_true(isfinite(f->points[k].geweke_z));
        assert_true(isnan(em->points[k].geweke_z));
        moving += fabs(f->points[k].geweke_z) > OL_IDEAL_GEWEKE_Z;
    }
    assert_true(fabs(f->geweke_moving - (double)moving / (double)f->n) < 1e-15);
    int named = 0;
    for (int i = 0; i < f->ngeweke_top; i++) {
        const ol_ideal_moving *m = &f->geweke_top[i];
        int mv = 0, ns = 0;
        for (size_t k = 0; k < f->n; k++)
            if (strcmp(f->points[k].country, m->country) == 0) {
                ns++;
                mv += fabs(f->points[k].geweke_z) > OL_IDEAL_GEWEKE_Z;
            }
        assert_int_equal(m->moving, mv);
        assert_int_equal(m->sessions, ns);
        assert_true(m->moving > 0);
        if (i) assert_true(m->moving <= f->geweke_top[i - 1].moving);
        named += m->moving;
    }
    assert_true(f->ngeweke_top <= OL_IDEAL_GEWEKE_TOP);
    assert_true(moving == 0 ? f->ngeweke_top == 0 : f->ngeweke_top > 0 && named <= (int)moving);
    print_message("Gibbs positions still moving: %.1f %% (%.1f %% expected of a converged chain)\n",
                  100 * f->geweke_moving, 100 * f->geweke_expected);
    ol_ideal_fit_free(f);
    /* fewer kept draws than batches: no per-position z */
    o.burn = 10;
    o.draws = 19;
    o.thin = 1;
    f = fit_ok(S->v, &o);
    assert_true(isnan(f->points[0].geweke_z));
    assert_true(isnan(f->geweke_moving));
    assert_int_equal(f->ngeweke_top, 0);
    free(a);
    free(b);
    ol_ideal_fit_free(f);
    ol_ideal_fit_free(em);
    sim_free(S);
}

/* The same seed gives the same draws whatever the threads; another seed
 * other draws; a country with a tenth of the votes has a wider posterior
 * (only somewhat: every position's posterior also carries the uncertainty of
 * the location and scale, which only the prior fixes). */
static void test_gibbs_determinism_and_sd(void **state)
{
    (void)state;
    int many;
    sim *S = few_votes_sim(1, &many);
    for (int m = OL_IDEAL_ORDINAL; m <= OL_IDEAL_DYNAMIC; m++) {
        ol_ideal_options o;
        sim_options(&o, (ol_ideal_model)m, S);
        o.method = OL_IDEAL_METHOD_GIBBS;
        o.burn = 100;
        o.draws = 300;
        o.threads = 1;
        ol_ideal_fit *f1 = fit_ok(S->v, &o);
        o.threads = 2;
        ol_ideal_fit *f2 = fit_ok(S->v, &o);
        o.seed++;
        ol_ideal_fit *g = fit_ok(S->v, &o);
        assert_int_equal(f1->n, f2->n);
        int differ = 0;
        for (size_t k = 0; k < f1->n; k++) {
            assert_memory_equal(&f1->points[k].value, &f2->points[k].value, sizeof(double));
            assert_memory_equal(&f1->points[k].se, &f2->points[k].se, sizeof(double));
            differ += f1->points[k].value != g->points[k].value;
        }
        assert_true(differ > 0);
        const ol_ideal_point *pf = point_of(f1, "S000", 1), *pm = point_of(f1, S->code[many], 1);
        print_message("Gibbs (%s): posterior sd %.4f with %d votes, %.4f with %d votes\n", ol_ideal_model_name(o.model),
                      pf->se, pf->nvotes, pm->se, pm->nvotes);
        assert_true(pf->nvotes < pm->nvotes / 5);
        assert_true(pf->se > pm->se);
        ol_ideal_fit_free(f1);
        ol_ideal_fit_free(f2);
        ol_ideal_fit_free(g);
    }
    sim_free(S);
}

/* ------------------------------------------------------------ progress */

static int stop_at(void *ctx, uint64_t done, uint64_t total)
{
    (void)total;
    int *calls = ctx;
    (*calls)++;
    return done >= 3;
}

static void test_progress_stops(void **state)
{
    (void)state;
    ol_ideal_votes *v = small_matrix();
    ol_ideal_options o;
    small_options(&o, OL_IDEAL_DYNAMIC);
    o.max_iter = 1000;
    o.tol = 1e-15;
    int calls = 0;
    ol_ideal_fit *f = (ol_ideal_fit *)1;
    ol_error err;
    ol_error_clear(&err);
    assert_int_equal(ol_ideal_estimate(v, &o, stop_at, &calls, &f, &err), OL_EINTERRUPTED);
    assert_null(f);
    assert_int_equal(calls, 3);
    /* the per-session models report once per fit; the bootstrap per replicate */
    small_options(&o, OL_IDEAL_BINARY);
    o.bootstrap = 10;
    calls = 0;
    assert_int_equal(ol_ideal_estimate(v, &o, stop_at, &calls, &f, &err), OL_EINTERRUPTED);
    assert_int_equal(calls, 1 + 3);
    assert_null(f);
    ol_ideal_votes_free(v);
}

/* ------------------------------------------------------------ 11. storage */

/* Real codes: ideal_points.country references the countries table. */
static const char *const REAL[] = {"USA", "CAN", "MEX", "GBR", "FRA", "DEU", "ITA", "ESP", "CHN", "RUS",
                                   "IND", "BRA", "JPN", "AUS", "ZAF", "EGY", "NGA", "ARG", "IRN", "TUR"};
enum { NREAL = sizeof REAL / sizeof REAL[0] };

/* Two sessions (1990, 1991) of 20 roll calls; in session 2, country i votes
 * as country i + 1 did in session 1. */
static ol_ideal_votes *real_matrix(void)
{
    ol_ideal_votes *v = votes_new();
    for (int s = 1; s <= 2; s++)
        for (int j = 1; j <= 20; j++) add_rc(v, 100 * s + j, 44 + s, 1989 + s, NULL);
    for (int i = 0; i < NREAL; i++)
        for (int s = 1; s <= 2; s++)
            for (int j = 1; j <= 20; j++) {
                int rank = NREAL - i + (s == 2); /* USA first: the largest rank */
                add_vote(v, 100 * s + j, REAL[i], rank >= 4 + (j * 7) % 13 ? 1 : (j + i) % 5 == 0 ? 2 : 3);
            }
    return v;
}

static void test_store_save(void **state)
{
    fx *F = *state;
    ol_ideal_votes *v = real_matrix();
    ol_ideal_options o;
    ol_ideal_options_init(&o, OL_IDEAL_ORDINAL);
    o.max_iter = 300;
    o.bootstrap = 3;
    ol_ideal_fit *f = fit_ok(v, &o);
    assert_int_equal(f->n, 2 * NREAL);
    int64_t run1 = 0;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ideal_fit_save(F->s, f, &run1, &err), &err);
    assert_true(run1 > 0);
    char sql[512], b[256];
    assert_int_equal(ol_test_count(F->s, "ideal_points"), (int64_t)f->n);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM ideal_points WHERE run_id = %lld AND estimate = 'orderlab-ordinal' AND "
             "period_kind = 'session' AND source_id IS NULL AND se > 0 AND nvotes = 20",
             (long long)run1);
    assert_int_equal(ol_test_query_int(F->s, sql), (int64_t)f->n);
    /* each point as in the fit */
    for (size_t k = 0; k < f->n; k++) {
        const ol_ideal_point *p = &f->points[k];
        snprintf(sql, sizeof sql,
                 "SELECT value FROM ideal_points WHERE country = '%s' AND period = %d AND year = %d", p->country,
                 p->session, p->year);
        assert_true(ol_test_query_double(F->s, sql) == p->value);
    }
    assert_int_equal(ol_test_query_int(F->s, "SELECT year FROM ideal_points WHERE period = 45 LIMIT 1"), 1990);
    /* the runs row and its parameters */
    snprintf(sql, sizeof sql, "SELECT kind || ',' || status || ',' || note || ',' || seed FROM runs WHERE id = %lld",
             (long long)run1);
    snprintf(b, sizeof b, "ideal,ok,orderlab-ordinal,%llu", (unsigned long long)o.seed);
    char got[256];
    assert_string_equal(ol_test_query_text(F->s, sql, got, sizeof got), b);
    snprintf(sql, sizeof sql,
             "SELECT json_extract(params, '$.model') || ',' || json_extract(params, '$.counts.votes_used') || ',' || "
             "json_extract(params, '$.counts.rollcalls_used') || ',' || json_extract(params, '$.bootstrap') || ',' || "
             "json_extract(params, '$.counts.countries_used') FROM runs WHERE id = %lld",
             (long long)run1);
    snprintf(b, sizeof b, "ordinal,%ld,%ld,3,%ld", f->counts.votes_used, f->counts.rollcalls_used,
             f->counts.countries_used);
    assert_string_equal(ol_test_query_text(F->s, sql, got, sizeof got), b);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM runs, json_each(runs.params, '$.counts') WHERE runs.id = %lld", (long long)run1);
    assert_int_equal(ol_test_query_int(F->s, sql), 18);

    /* a second fit of the model replaces the first one's points; both runs stay */
    o.bootstrap = 0;
    ol_ideal_fit *g = fit_ok(v, &o);
    int64_t run2 = 0;
    OL_ASSERT_OK(ol_ideal_fit_save(F->s, g, &run2, &err), &err);
    assert_true(run2 > run1);
    assert_int_equal(ol_test_count(F->s, "ideal_points"), (int64_t)g->n);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM ideal_points WHERE run_id = %lld AND se IS NULL", (long long)run2);
    assert_int_equal(ol_test_query_int(F->s, sql), (int64_t)g->n);
    assert_int_equal(ol_test_query_int(F->s, "SELECT count(*) FROM runs WHERE kind = 'ideal'"), 2);
    /* another model's fit sits beside it; its params name its walk */
    ol_ideal_options_init(&o, OL_IDEAL_DYNAMIC);
    o.max_iter = 300;
    o.walk = OL_IDEAL_WALK_NONE;
    ol_ideal_fit *h = fit_ok(v, &o);
    int64_t run3 = 0;
    OL_ASSERT_OK(ol_ideal_fit_save(F->s, h, &run3, &err), &err);
    snprintf(sql, sizeof sql,
             "SELECT json_extract(params, '$.model') || ',' || json_extract(params, '$.walk') || ',' || "
             "json_extract(params, '$.bridge') FROM runs WHERE id = %lld",
             (long long)run3);
    assert_string_equal(ol_test_query_text(F->s, sql, got, sizeof got), "dynamic,none,text");
    assert_int_equal(ol_test_query_int(F->s, "SELECT count(*) FROM ideal_points WHERE estimate = 'orderlab-ordinal'"),
                     (int64_t)g->n);
    assert_int_equal(ol_test_query_int(F->s, "SELECT count(*) FROM ideal_points WHERE estimate = 'orderlab-dynamic'"),
                     (int64_t)h->n);
    assert_int_equal(ol_test_query_int(F->s, "SELECT count(*) FROM runs WHERE kind = 'ideal'"), 3);
    ol_ideal_fit_free(h);

    /* a point whose country is not in the countries table: the save fails
     * and nothing changes */
    int64_t pts = ol_test_count(F->s, "ideal_points"), runs = ol_test_count(F->s, "runs");
    snprintf(g->points[g->n - 1].country, sizeof g->points[0].country, "QQQ");
    ol_error_clear(&err);
    ol_status st = ol_ideal_fit_save(F->s, g, NULL, &err);
    assert_int_equal(st, OL_ESTORE);
    assert_non_null(strstr(err.message, "QQQ"));
    assert_int_equal(ol_test_count(F->s, "ideal_points"), pts);
    assert_int_equal(ol_test_count(F->s, "runs"), runs);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM ideal_points WHERE run_id = %lld", (long long)run2);
    assert_int_equal(ol_test_query_int(F->s, sql), (int64_t)g->n);
    assert_int_equal(ol_ideal_fit_save(NULL, g, NULL, NULL), OL_EINVAL);
    assert_int_equal(ol_ideal_fit_save(F->s, NULL, NULL, NULL), OL_EINVAL);
    ol_ideal_fit_free(g);
    ol_ideal_fit_free(f);
    ol_ideal_votes_free(v);
}

/* Rows without a run (an import under the same estimate name) are not the
 * earlier fit: a save leaves them. */
static void test_store_keeps_rows_without_run(void **state)
{
    fx *F = *state;
    assert_int_equal(sqlite3_exec(ol_store_db(F->s),
                                  "INSERT INTO ideal_points(estimate, country, period_kind, period, year, value) "
                                  "VALUES ('orderlab-binary', 'USA', 'year', 1990, 1990, 1.5)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    ol_ideal_votes *v = real_matrix();
    ol_ideal_options o;
    ol_ideal_options_init(&o, OL_IDEAL_BINARY);
    o.max_iter = 300;
    ol_ideal_fit *f = fit_ok(v, &o);
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ideal_fit_save(F->s, f, NULL, &err), &err);
    OL_ASSERT_OK(ol_ideal_fit_save(F->s, f, NULL, &err), &err);
    assert_int_equal(ol_test_query_int(F->s, "SELECT count(*) FROM ideal_points WHERE run_id IS NULL"), 1);
    assert_int_equal(ol_test_count(F->s, "ideal_points"), (int64_t)f->n + 1);
    ol_ideal_fit_free(f);
    ol_ideal_votes_free(v);
}

static void test_csv(void **state)
{
    fx *F = *state;
    ol_ideal_votes *v = real_matrix();
    ol_ideal_options o;
    ol_ideal_options_init(&o, OL_IDEAL_DYNAMIC);
    o.max_iter = 300;
    ol_ideal_fit *f = fit_ok(v, &o);
    char *p = ol_test_path(F->dir, "ideal.csv");
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ideal_fit_write_csv(f, p, &err), &err);
    FILE *fp = fopen(p, "r");
    assert_non_null(fp);
    char line[512];
    assert_non_null(fgets(line, sizeof line, fp));
    assert_string_equal(line, "estimate,country,session,year,value,se,nvotes\n");
    size_t n = 0;
    while (fgets(line, sizeof line, fp)) {
        assert_true(n < f->n);
        const ol_ideal_point *pt = &f->points[n];
        char want[256];
        snprintf(want, sizeof want, "orderlab-dynamic,%s,%d,%d,", pt->country, pt->session, pt->year);
        assert_memory_equal(line, want, strlen(want));
        /* the value round-trips exactly (%.17g), se empty, nvotes last */
        char *end;
        double val = strtod(line + strlen(want), &end);
        assert_true(val == pt->value);
        snprintf(want, sizeof want, ",,%d\n", pt->nvotes);
        assert_string_equal(end, want);
        n++;
    }
    fclose(fp);
    assert_int_equal(n, f->n);
    /* unwritable: OL_EIO naming the path */
    char *bad = ol_test_path(F->dir, "no/such/dir/ideal.csv");
    ol_error_clear(&err);
    assert_int_equal(ol_ideal_fit_write_csv(f, bad, &err), OL_EIO);
    assert_non_null(strstr(err.file, "no/such/dir"));
    assert_int_equal(ol_ideal_fit_write_csv(f, F->dir, &err), OL_EIO); /* a directory */
    assert_int_equal(ol_ideal_fit_write_csv(NULL, p, NULL), OL_EINVAL);
    assert_int_equal(ol_ideal_fit_write_csv(f, NULL, NULL), OL_EINVAL);
    free(bad);
    free(p);
    ol_ideal_fit_free(f);
    ol_ideal_votes_free(v);
}

/* ------------------------------------------------------------ 12. loader */

static const char LOAD_ROLLCALLS[] =
    "rcid,session,importantvote,date,unres,amend,para,short,descr\n"
    "1,44,0,1989-10-01,R/44/1,0,0,NUCLEAR TESTS,Comprehensive ban of nuclear weapon tests\n"
    "2,44,0,1989-10-02,R/44/2,0,0,KOREA,\n"
    "3,44,0,1989-10-03,R/44/3,0,0,ISRAEL,Israeli practices in the occupied territories\n"
    "4,44,0,1989-10-04,R/44/4,0,0,CUBA,Embargo against Cuba\n"
    "5,45,0,1990-10-01,R/45/1,0,0,NUCLEAR TESTS,Comprehensive ban of nuclear weapon tests\n"
    "6,45,0,1990-10-02,R/45/2,0,0,KOREA,\n"
    "7,45,0,1990-10-03,R/45/3,0,0,APARTHEID,Policies of apartheid of South Africa\n"
    "8,45,0,1990-10-04,R/45/4,0,0,CUBA,Embargo against Cuba\n"
    "9,46,0,1991-10-04,R/46/4,0,0,CUBA,Not voted on by anyone\n";

/* Five countries on eight roll calls; votes as yes/abstain/no. */
static const char LOAD_VOTES[] =
    "rcid,country,country_code,vote\n"
    "1,United States,US,no\n1,Canada,CA,yes\n1,Mexico,MX,yes\n1,France,FR,abstain\n1,China,CN,yes\n"
    "2,United States,US,yes\n2,Canada,CA,yes\n2,Mexico,MX,no\n2,France,FR,yes\n2,China,CN,no\n"
    "3,United States,US,no\n3,Canada,CA,abstain\n3,Mexico,MX,yes\n3,France,FR,abstain\n3,China,CN,yes\n"
    "4,United States,US,no\n4,Canada,CA,yes\n4,Mexico,MX,yes\n4,France,FR,yes\n4,China,CN,yes\n"
    "5,United States,US,no\n5,Canada,CA,yes\n5,Mexico,MX,yes\n5,France,FR,no\n5,China,CN,yes\n"
    "6,United States,US,yes\n6,Canada,CA,yes\n6,Mexico,MX,no\n6,France,FR,yes\n6,China,CN,no\n"
    "7,United States,US,abstain\n7,Canada,CA,yes\n7,Mexico,MX,yes\n7,France,FR,abstain\n7,China,CN,yes\n"
    "8,United States,US,no\n8,Canada,CA,yes\n8,Mexico,MX,yes\n8,France,FR,abstain\n8,China,CN,yes\n";

static void test_loader(void **state)
{
    fx *F = *state;
    ol_ideal_options o;
    ol_ideal_options_init(&o, OL_IDEAL_DYNAMIC);
    ol_ideal_votes *v = (ol_ideal_votes *)1;
    ol_error err;
    /* an empty store: the import to run */
    ol_error_clear(&err);
    assert_int_equal(ol_ideal_votes_load(F->s, &o, &v, &err), OL_ENOTFOUND);
    assert_null(v);
    assert_int_equal(ol_status_exit_code(OL_ENOTFOUND), 4);
    assert_non_null(strstr(err.message, "orderlab import unvotes-rollcalls"));
    /* roll calls without votes */
    ol_test_import_ok(F, "unvotes-rollcalls", "un_roll_calls.csv", LOAD_ROLLCALLS, "2021-03-08", NULL);
    ol_error_clear(&err);
    assert_int_equal(ol_ideal_votes_load(F->s, &o, &v, &err), OL_ENOTFOUND);
    assert_non_null(strstr(err.message, "orderlab import unvotes-votes"));
    assert_int_equal(ol_ideal_votes_load(NULL, &o, &v, NULL), OL_EINVAL);
    assert_int_equal(ol_ideal_votes_load(F->s, NULL, &v, NULL), OL_EINVAL);

    ol_test_import_ok(F, "unvotes-votes", "un_votes.csv", LOAD_VOTES, "2021-03-08", NULL);
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ideal_votes_load(F->s, &o, &v, &err), &err);
    const ol_ideal_counts *c = ol_ideal_votes_counts(v);
    assert_int_equal(c->rollcalls_read, 9);
    assert_int_equal(c->votes_read, 40);
    assert_int_equal(c->countries_read, 5);
    assert_int_equal(c->votes_bad_code, 0);
    assert_int_equal(c->votes_unknown_rollcall, 0);
    /* Dynamic: roll call 9 has no votes (counted unanimous: no minority);
     * 1 and 5, 4 and 8 recur with the same title and description (bridged);
     * 2 and 6 share a title without a description (not bridged). */
    o.min_votes = 1;
    o.lop = 0;
    ol_ideal_fit *f = fit_ok(v, &o);
    assert_int_equal(f->counts.rollcalls_unanimous, 1);
    assert_int_equal(f->counts.rollcalls_used, 8);
    assert_int_equal(f->counts.bridged_rollcalls, 4);
    assert_int_equal(f->counts.items, 8 - 4 + 2);
    assert_int_equal(f->counts.votes_used, 40);
    assert_int_equal(f->counts.countries_used, 5);
    assert_int_equal(f->n, 10);
    assert_true(point_of(f, "USA", 44)->value > 0);
    assert_int_equal(point_of(f, "USA", 44)->year, 1989);
    assert_int_equal(point_of(f, "CHN", 45)->year, 1990);
    assert_int_equal(point_of(f, "FRA", 45)->nvotes, 4);
    /* USA and China disagree on every roll call */
    assert_true(point_of(f, "CHN", 44)->value < 0);
    ol_ideal_fit_free(f);
    /* binary: the 6 abstentions left out, and with them roll call 7 is
     * unanimous (3 yes) */
    ol_ideal_options_init(&o, OL_IDEAL_BINARY);
    o.min_votes = 1;
    o.lop = 0;
    f = fit_ok(v, &o);
    assert_int_equal(f->counts.votes_abstain_missing, 6);
    assert_int_equal(f->counts.rollcalls_unanimous, 2);
    assert_int_equal(f->counts.votes_dropped, 3);
    assert_int_equal(f->counts.votes_used, 31);
    assert_counts_add_up(&f->counts);
    ol_ideal_fit_free(f);
    /* the loader reads every year; the estimator drops those outside */
    ol_ideal_votes_free(v);
    o.from_year = 1990;
    OL_ASSERT_OK(ol_ideal_votes_load(F->s, &o, &v, &err), &err);
    f = fit_ok(v, &o);
    assert_int_equal(f->counts.rollcalls_range, 4);
    assert_int_equal(f->n, 5);
    ol_ideal_fit_free(f);
    ol_ideal_votes_free(v);
}

/* ------------------------------------------------------------ 13. sessions without the anchor */

static void test_session_without_anchor(void **state)
{
    (void)state;
    ol_ideal_votes *v = votes_new();
    /* sessions 1..3; C09 (the anchor) does not vote in session 2; session 3
     * has one country only */
    for (int s = 1; s <= 3; s++) {
        for (int j = 1; j <= SMALL_NRC; j++) add_rc(v, 100 * s + j, s, 1945 + s, NULL);
        for (int i = 0; i < SMALL_NC; i++) {
            if ((s == 2 && i == 9) || (s == 3 && i != 9)) continue;
            char c[8];
            small_code(c, i);
            for (int j = 1; j <= SMALL_NRC; j++) add_vote(v, 100 * s + j, c, i >= 2 + j % 7 ? 1 : 3);
        }
    }
    /* session 3's roll calls are unanimous (one voter): dropped before the
     * sessions are formed */
    for (int m = OL_IDEAL_BINARY; m <= OL_IDEAL_ORDINAL; m++) {
        ol_ideal_options o;
        small_options(&o, (ol_ideal_model)m);
        ol_ideal_fit *f = fit_ok(v, &o);
        assert_int_equal(f->counts.periods_unidentified, 1);
        assert_int_equal(f->counts.rollcalls_unanimous, SMALL_NRC);
        assert_int_equal(f->n, SMALL_NC);
        for (size_t k = 0; k < f->n; k++) assert_int_equal(f->points[k].session, 1);
        assert_true(point_of(f, "C09", 1)->value > 0);
        /* counted as used all the same: the votes passed the selection */
        assert_int_equal(f->counts.rollcalls_used, 2 * SMALL_NRC);
        assert_int_equal(f->counts.items, SMALL_NRC);
        ol_ideal_fit_free(f);
        /* without an anchor session 2 is fitted */
        o.anchor[0] = 0;
        f = fit_ok(v, &o);
        assert_int_equal(f->counts.periods_unidentified, 0);
        assert_int_equal(f->n, 2 * SMALL_NC - 1);
        ol_ideal_fit_free(f);
    }
    /* the dynamic model fits session 2 too: the chains carry the sign */
    ol_ideal_options o;
    small_options(&o, OL_IDEAL_DYNAMIC);
    ol_ideal_fit *f = fit_ok(v, &o);
    assert_int_equal(f->counts.periods_unidentified, 0);
    assert_int_equal(f->n, 2 * SMALL_NC - 1);
    ol_ideal_fit_free(f);
    ol_ideal_votes_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_defaults),
        cmocka_unit_test(test_options_model_names),
        cmocka_unit_test(test_options_invalid),
        cmocka_unit_test(test_matrix_counts),
        cmocka_unit_test(test_matrix_errors),
        cmocka_unit_test(test_matrix_grows),
        cmocka_unit_test(test_selection_unanimous_lopsided),
        cmocka_unit_test(test_selection_ordinal_abstentions),
        cmocka_unit_test(test_selection_binary_abstain),
        cmocka_unit_test(test_selection_min_votes_iterates),
        cmocka_unit_test(test_selection_years),
        cmocka_unit_test(test_selection_session_year),
        cmocka_unit_test(test_identification),
        cmocka_unit_test(test_identification_anchor),
        cmocka_unit_test(test_identification_no_anchor_fits),
        cmocka_unit_test(test_recovery_binary),
        cmocka_unit_test(test_recovery_ordinal),
        cmocka_unit_test(test_dynamic_recovery),
        cmocka_unit_test(test_dynamic_bridge_keys),
        cmocka_unit_test(test_dynamic_walks),
        cmocka_unit_test(test_dynamic_gap),
        cmocka_unit_test(test_polarity),
        cmocka_unit_test(test_determinism_threads),
        cmocka_unit_test_setup_teardown(test_bootstrap, ol_test_setup, ol_test_teardown),
        cmocka_unit_test(test_gibbs_recovery),
        cmocka_unit_test(test_gibbs_determinism_and_sd),
        cmocka_unit_test(test_progress_stops),
        cmocka_unit_test_setup_teardown(test_store_save, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_store_keeps_rows_without_run, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_csv, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_loader, ol_test_setup, ol_test_teardown),
        cmocka_unit_test(test_session_without_anchor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
