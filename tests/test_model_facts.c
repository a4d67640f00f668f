/* The model's built-in tables of real magnitudes (data/model_institutions.csv,
 * data/model_facts.csv, data/model_sources.csv; docs/model-data.md): each is
 * read from its embedded copy through ol_csv and checked against the rules
 * the documentation states - vocabularies, unique codes, shares in [0,1],
 * plausible years, a known source for every value, every country code known
 * to the crosswalk, and the consistency of the derived design features (a
 * weighted body's veto follows from the vote share and the quota). */
#include "testutil.h"

#include "util/text.h"

#include <stdlib.h>
#include <string.h>

enum { YEAR_MIN = 1800, YEAR_MAX = 2030 };

typedef struct tables {
    ol_test_fixture *f;
    ol_test_table *inst, *facts, *src;
} tables;

static int setup(void **state)
{
    tables *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->f = ol_test_fixture_new();
    t->inst = ol_test_table_embedded("model_institutions.csv");
    t->facts = ol_test_table_embedded("model_facts.csv");
    t->src = ol_test_table_embedded("model_sources.csv");
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    tables *t = *state;
    ol_test_table_free(t->inst);
    ol_test_table_free(t->facts);
    ol_test_table_free(t->src);
    ol_test_fixture_free(t->f);
    free(t);
    return 0;
}

/* ------------------------------------------------------------ helpers */
static int in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0) return 1;
    return 0;
}

/* Calls check(part) for each ';'-separated part of s; fails on an empty part. */
static void each_part(const char *s, const char *what, long line, void (*check)(const char *, void *), void *ctx)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", s);
    char *save = NULL;
    int n = 0;
    for (char *p = strtok_r(buf, ";", &save); p; p = strtok_r(NULL, ";", &save), n++) {
        if (!*p) fail_msg("line %ld: empty item in %s '%s'", line, what, s);
        check(p, ctx);
    }
    if (n == 0) fail_msg("line %ld: empty %s", line, what);
}

static int year_ok(const char *s, int *out)
{
    int y = 0;
    if (!ol_parse_int(s, &y) || y < YEAR_MIN || y > YEAR_MAX) return 0;
    if (out) *out = y;
    return 1;
}

static double num(const char *s, long line, const char *field)
{
    double v = 0;
    if (!ol_parse_double(s, &v)) fail_msg("line %ld: %s '%s' is not a number", line, field, s);
    return v;
}

static double share(const char *s, long line, const char *field)
{
    double v = num(s, line, field);
    if (v < 0 || v > 1) fail_msg("line %ld: %s %g outside [0,1]", line, field, v);
    return v;
}

static void flag(const char *s, long line, const char *field)
{
    if (strcmp(s, "0") != 0 && strcmp(s, "1") != 0) fail_msg("line %ld: %s '%s' is not 0 or 1", line, field, s);
}

typedef struct src_ctx {
    const ol_test_table *src;
    long line;
} src_ctx;

static void source_known(const char *key, void *vctx)
{
    src_ctx *c = vctx;
    for (size_t r = 0; r < c->src->nrows; r++)
        if (strcmp(ol_test_table_get(c->src, r, "key"), key) == 0) return;
    fail_msg("line %ld: source key '%s' is not in model_sources.csv", c->line, key);
}

static void sources_ok(const tables *t, const char *value, long line, const char *field)
{
    if (ol_is_blank(value)) fail_msg("line %ld: %s is empty", line, field);
    src_ctx c = {t->src, line};
    each_part(value, field, line, source_known, &c);
}

typedef struct country_ctx {
    ol_store *s;
    long line;
} country_ctx;

static void country_known(const char *code, void *vctx)
{
    country_ctx *c = vctx;
    ol_country out;
    ol_error err;
    ol_error_clear(&err);
    if (ol_country_resolve(c->s, code, &out, &err) != OL_OK)
        fail_msg("line %ld: country '%s' unknown to the crosswalk: %s", c->line, code, err.message);
    if (strcmp(out.code, code) != 0)
        fail_msg("line %ld: '%s' is not an orderlab code (it resolves to %s)", c->line, code, out.code);
}

static long inst_row(const tables *t, const char *code)
{
    for (size_t r = 0; r < t->inst->nrows; r++)
        if (strcmp(ol_test_table_get(t->inst, r, "code"), code) == 0) return (long)r;
    return -1;
}

/* ------------------------------------------------------------ sources */
static void test_sources(void **state)
{
    tables *t = *state;
    static const char *const kinds[] = {"staged", "project", "treaty", "document", "law", "judgement", NULL};
    assert_true(t->src->nrows >= 30);
    for (size_t r = 0; r < t->src->nrows; r++) {
        long line = t->src->lines[r];
        const char *key = ol_test_table_get(t->src, r, "key");
        if (ol_is_blank(key)) fail_msg("model_sources.csv line %ld: empty key", line);
        for (size_t q = r + 1; q < t->src->nrows; q++)
            if (strcmp(key, ol_test_table_get(t->src, q, "key")) == 0)
                fail_msg("model_sources.csv: key '%s' twice (lines %ld, %ld)", key, line, t->src->lines[q]);
        if (!in_list(ol_test_table_get(t->src, r, "kind"), kinds))
            fail_msg("model_sources.csv line %ld: unknown kind", line);
        if (ol_is_blank(ol_test_table_get(t->src, r, "citation")) || ol_is_blank(ol_test_table_get(t->src, r, "url")))
            fail_msg("model_sources.csv line %ld: citation and url are required", line);
    }
}

/* ------------------------------------------------------------ institutions */
static const char *const DOMAINS[] = {"trade", "governance", "security", "comprehensive", NULL};

static void domain_known(const char *d, void *vctx)
{
    long line = *(long *)vctx;
    if (!in_list(d, DOMAINS)) fail_msg("line %ld: unknown domain '%s'", line, d);
}

typedef struct spell_ctx {
    long line;
    int founded, last_end, open;
} spell_ctx;

/* "1946-1984" or "2023-" (still a member); spells ascend and do not overlap. */
static void spell_ok(const char *sp, void *vctx)
{
    spell_ctx *c = vctx;
    char a[16] = "", b[16] = "";
    const char *dash = strchr(sp, '-');
    if (!dash || (size_t)(dash - sp) >= sizeof a) fail_msg("line %ld: bad spell '%s'", c->line, sp);
    memcpy(a, sp, (size_t)(dash - sp));
    snprintf(b, sizeof b, "%s", dash + 1);
    int from = 0, to = 0;
    if (!year_ok(a, &from)) fail_msg("line %ld: bad spell start '%s'", c->line, sp);
    if (c->open) fail_msg("line %ld: a spell follows an open one", c->line);
    if (from < c->founded - 1) fail_msg("line %ld: spell '%s' starts before the founding year", c->line, sp);
    if (from <= c->last_end) fail_msg("line %ld: spells overlap or are out of order at '%s'", c->line, sp);
    if (*b == '\0') {
        c->open = 1;
        return;
    }
    if (!year_ok(b, &to) || to < from) fail_msg("line %ld: bad spell end '%s'", c->line, sp);
    c->last_end = to;
}

static void test_institutions(void **state)
{
    tables *t = *state;
    const ol_test_table *in = t->inst;
    static const char *const forms[] = {"multilateral", "plurilateral-regional", "plurilateral-cross-regional", "bilateral", NULL};
    static const char *const levels[] = {"global-multilateral", "with-allies", "with-competitor", NULL};
    static const char *const statuses[] = {"in-force", "replaced", "never-in-force", "negotiation-only", NULL};
    static const char *const rules[] = {"universal", "elected", "list", "facts", "treaty-parties", NULL};
    static const char *const votes[] = {"one-state-one-vote", "weighted", "veto", "consensus", "unanimity", "judicial-majority", NULL};
    static const char *const sources[] = {"membership_source", "voting_source", "budget_source", "constraint_source", NULL};

    for (size_t r = 0; r < in->nrows; r++) {
        long line = in->lines[r];
        const char *code = ol_test_table_get(in, r, "code");
#define F(c) ol_test_table_get(in, r, c)
        if (ol_is_blank(code) || strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(code))
            fail_msg("line %ld: code '%s' must be upper-case letters", line, code);
        for (size_t q = r + 1; q < in->nrows; q++)
            if (strcmp(code, ol_test_table_get(in, q, "code")) == 0) fail_msg("code %s twice", code);
        if (ol_is_blank(F("name_en")) || ol_is_blank(F("name_zh"))) fail_msg("line %ld: names required", line);
        flag(F("name_zh_paper"), line, "name_zh_paper");
        each_part(F("domain"), "domain", line, domain_known, &line);
        if (!in_list(F("form"), forms)) fail_msg("line %ld: unknown form '%s'", line, F("form"));
        if (!in_list(F("level"), levels)) fail_msg("line %ld: unknown level '%s'", line, F("level"));
        if (!in_list(F("status"), statuses)) fail_msg("line %ld: unknown status '%s'", line, F("status"));
        int founded = 0;
        if (!year_ok(F("founded"), &founded)) fail_msg("line %ld: founded '%s'", line, F("founded"));
        if (!ol_is_blank(F("hegemon_spells"))) {
            spell_ctx c = {line, founded, 0, 0};
            each_part(F("hegemon_spells"), "hegemon_spells", line, spell_ok, &c);
        }
        /* The exit unit is a row of its own that is its own package. */
        long p = inst_row(t, F("package"));
        if (p < 0) fail_msg("line %ld: package '%s' is not an institution code", line, F("package"));
        if (strcmp(ol_test_table_get(in, (size_t)p, "package"), F("package")) != 0)
            fail_msg("line %ld: package %s is itself inside another package", line, F("package"));

        if (!in_list(F("members_rule"), rules)) fail_msg("line %ld: unknown members_rule", line);
        if (!ol_is_blank(F("members"))) {
            country_ctx c = {t->f->s, line};
            each_part(F("members"), "members", line, country_known, &c);
        }
        if (!strcmp(F("members_rule"), "list") && ol_is_blank(F("members")))
            fail_msg("line %ld: members_rule list without members", line);
        if (!ol_is_blank(F("n_members"))) {
            int n = 0;
            if (!ol_parse_int(F("n_members"), &n) || n < 1) fail_msg("line %ld: n_members", line);
            if (!year_ok(F("n_members_year"), NULL)) fail_msg("line %ld: n_members without a year", line);
        }

        if (!in_list(F("vote_rule"), votes)) fail_msg("line %ld: unknown vote_rule '%s'", line, F("vote_rule"));
        double quota = share(F("decision_quota"), line, "decision_quota");
        if (quota <= 0) fail_msg("line %ld: decision_quota must be positive", line);
        flag(F("hegemon_veto"), line, "hegemon_veto");
        if (!ol_is_blank(F("veto_players"))) {
            int v = -1;
            if (!ol_parse_int(F("veto_players"), &v) || v < 0) fail_msg("line %ld: veto_players", line);
        }
        if (!strcmp(F("vote_rule"), "weighted")) {
            /* A weighted body's veto is derived, never asserted: the hegemon
             * blocks alone exactly when its share exceeds 1 - quota. */
            double s = share(F("hegemon_vote_share"), line, "hegemon_vote_share");
            int veto = s > 1.0 - quota;
            if (veto != atoi(F("hegemon_veto")))
                fail_msg("line %ld: hegemon_veto %s does not follow from share %g and quota %g", line, F("hegemon_veto"), s, quota);
            if (!year_ok(F("vote_share_year"), NULL)) fail_msg("line %ld: vote_share_year", line);
        } else if (!ol_is_blank(F("hegemon_vote_share"))) {
            share(F("hegemon_vote_share"), line, "hegemon_vote_share");
        }
        if (!strcmp(F("vote_rule"), "consensus") || !strcmp(F("vote_rule"), "unanimity")) {
            if (strcmp(F("hegemon_veto"), "1") != 0) fail_msg("line %ld: consensus gives every member a veto", line);
        }
        if (!ol_is_blank(F("vote_weights_fact"))) {
            int found = 0;
            for (size_t q = 0; q < t->facts->nrows && !found; q++)
                found = !strcmp(ol_test_table_get(t->facts, q, "fact"), F("vote_weights_fact"));
            if (!found) fail_msg("line %ld: vote_weights_fact '%s' not in model_facts.csv", line, F("vote_weights_fact"));
        }

        if (ol_is_blank(F("budget_scope"))) fail_msg("line %ld: budget_scope must say what the budget is (or why none)", line);
        if (!ol_is_blank(F("budget_usd"))) {
            if (num(F("budget_usd"), line, "budget_usd") < 0) fail_msg("line %ld: negative budget", line);
            if (!year_ok(F("budget_year"), NULL)) fail_msg("line %ld: budget_year", line);
        }
        if (!ol_is_blank(F("hegemon_cost_share"))) {
            share(F("hegemon_cost_share"), line, "hegemon_cost_share");
            if (!year_ok(F("cost_share_year"), NULL) || ol_is_blank(F("cost_share_basis")))
                fail_msg("line %ld: a cost share needs its year and basis", line);
            sources_ok(t, F("cost_source"), line, "cost_source");
        }
        flag(F("binding_jurisdiction"), line, "binding_jurisdiction");
        flag(F("censure"), line, "censure");
        flag(F("verification"), line, "verification");
        if (ol_is_blank(F("constraint_note"))) fail_msg("line %ld: constraint flags need a justification", line);
        for (const char *const *s = sources; *s; s++) sources_ok(t, F(*s), line, *s);
#undef F
    }
}

/* The institutions the default scenario must cover (issue: Table 1.1 and the
 * major bodies where the hegemon stayed), and the packages the brief fixes. */
static void test_institution_coverage(void **state)
{
    tables *t = *state;
    static const char *const required[] = {"UN", "UNSC", "UNPKO", "IMF", "WB", "WTO", "WHO", "NATO", "PARIS", "UNESCO",
                                           "UNHRC", "UPU", "NAFTA", "KORUS", "TPP", "TTIP", "JCPOA", "ICJ", NULL};
    for (const char *const *c = required; *c; c++)
        if (inst_row(t, *c) < 0) fail_msg("institution %s missing", *c);
    assert_string_equal(ol_test_table_get(t->inst, (size_t)inst_row(t, "UNSC"), "package"), "UN");
    assert_string_equal(ol_test_table_get(t->inst, (size_t)inst_row(t, "UNPKO"), "package"), "UN");
    size_t unsc = (size_t)inst_row(t, "UNSC");
    assert_string_equal(ol_test_table_get(t->inst, unsc, "veto_players"), "5");
    assert_string_equal(ol_test_table_get(t->inst, unsc, "hegemon_veto"), "1");
    /* The paper's figure: 22 % of the UN regular budget. */
    double un = atof(ol_test_table_get(t->inst, (size_t)inst_row(t, "UN"), "hegemon_cost_share"));
    assert_true(un > 0.2195 && un < 0.2205);
}

/* ------------------------------------------------------------ facts */
static void test_facts(void **state)
{
    tables *t = *state;
    const ol_test_table *fa = t->facts;
    static const char *const bases[] = {"published", "computed", "judgement", NULL};
    assert_true(fa->nrows > 500);
    for (size_t r = 0; r < fa->nrows; r++) {
        long line = fa->lines[r];
#define F(c) ol_test_table_get(fa, r, c)
        const char *fact = F("fact");
        if (ol_is_blank(fact) || strspn(fact, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(fact))
            fail_msg("line %ld: fact '%s' must be lower-case snake_case", line, fact);
        if (!ol_is_blank(F("institution")) && inst_row(t, F("institution")) < 0)
            fail_msg("line %ld: unknown institution '%s'", line, F("institution"));
        if (!ol_is_blank(F("country"))) {
            country_ctx c = {t->f->s, line};
            country_known(F("country"), &c);
        }
        if (!year_ok(F("year"), NULL)) fail_msg("line %ld: year '%s'", line, F("year"));
        double v = num(F("value"), line, "value");
        if (ol_is_blank(F("unit"))) fail_msg("line %ld: unit required", line);
        if (!strcmp(F("unit"), "fraction") && (v < 0 || v > 1)) fail_msg("line %ld: fraction %g outside [0,1]", line, v);
        if (!strcmp(F("unit"), "flag") && v != 0 && v != 1) fail_msg("line %ld: flag %g", line, v);
        if (!in_list(F("basis"), bases)) fail_msg("line %ld: unknown basis '%s'", line, F("basis"));
        sources_ok(t, F("source"), line, "source");
        if (!strcmp(F("basis"), "judgement") && !strstr(F("source"), "judgement"))
            fail_msg("line %ld: a judgement value must cite the judgement source", line);
        for (size_t q = r + 1; q < fa->nrows; q++)
            if (!strcmp(fact, ol_test_table_get(fa, q, "fact")) && !strcmp(F("institution"), ol_test_table_get(fa, q, "institution")) &&
                !strcmp(F("country"), ol_test_table_get(fa, q, "country")) && !strcmp(F("year"), ol_test_table_get(fa, q, "year")))
                fail_msg("line %ld and %ld: the same fact twice", line, fa->lines[q]);
#undef F
    }
}

/* The series the default scenario reads must be complete. */
static void test_fact_series_complete(void **state)
{
    tables *t = *state;
    static const char *const partners[] = {"CHN", "MEX", "CAN", "KOR", "JPN", "DEU", NULL};
    static const char *const actors[] = {"USA", "CHN", "JPN", "KOR", "CAN", "MEX", "GBR", "DEU",
                                         "FRA", "AUS", "IND", "BRA", "RUS", "ZAF", "WLD", NULL};
    int bal[6][34] = {{0}};
    int gdp[15][2] = {{0}}, growth[15] = {0};
    for (size_t r = 0; r < t->facts->nrows; r++) {
        const char *fact = ol_test_table_get(t->facts, r, "fact");
        const char *c = ol_test_table_get(t->facts, r, "country");
        int y = atoi(ol_test_table_get(t->facts, r, "year"));
        for (int i = 0; partners[i]; i++)
            if (!strcmp(fact, "us_goods_balance") && !strcmp(c, partners[i]) && y >= 1990 && y <= 2023) bal[i][y - 1990]++;
        for (int i = 0; actors[i]; i++) {
            if (strcmp(c, actors[i]) != 0) continue;
            if (!strcmp(fact, "gdp") && y == 1990) gdp[i][0]++;
            if (!strcmp(fact, "gdp") && y == 2023) gdp[i][1]++;
            if (!strcmp(fact, "gdp_growth_projection")) growth[i]++;
        }
    }
    for (int i = 0; partners[i]; i++)
        for (int y = 0; y < 34; y++)
            if (bal[i][y] != 1) fail_msg("us_goods_balance %s %d: %d rows", partners[i], 1990 + y, bal[i][y]);
    for (int i = 0; actors[i]; i++)
        if (gdp[i][0] != 1 || gdp[i][1] != 1 || growth[i] != 1) fail_msg("GDP facts for %s incomplete", actors[i]);
}

/* The helper reads what the library embeds: a table with a quoted comma and
 * a missing trailing field, written by the test, reads the same way. */
static void test_table_reader(void **state)
{
    tables *t = *state;
    char *p = ol_test_write(t->f->dir, "t.csv", "a,b,c\n1,\"x, y\",3\n4,5\n");
    ol_test_table *tb = ol_test_table_file(p, 0);
    assert_int_equal(tb->nrows, 2);
    assert_string_equal(ol_test_table_get(tb, 0, "b"), "x, y");
    assert_string_equal(ol_test_table_get(tb, 1, "c"), "");
    assert_int_equal(tb->lines[1], 3);
    ol_test_table_free(tb);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sources),
        cmocka_unit_test(test_institutions),
        cmocka_unit_test(test_institution_coverage),
        cmocka_unit_test(test_facts),
        cmocka_unit_test(test_fact_series_complete),
        cmocka_unit_test(test_table_reader),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
