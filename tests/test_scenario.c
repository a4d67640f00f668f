/* Scenarios: the built-in default, the round trip through the canonical
 * YAML, CSV tables, and every validation rule with its file, line, column
 * and key. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */
enum { MAXP = 64 };
typedef struct problems {
    size_t n;
    ol_error e[MAXP];
} problems;

static void collect(void *ctx, const ol_error *e)
{
    problems *p = ctx;
    if (p->n < MAXP) p->e[p->n] = *e;
    p->n++;
}

/* Writes text as dir/name and checks it; returns the problems. */
static problems check_text(const char *dir, const char *name, const char *text, ol_store *store)
{
    problems p;
    memset(&p, 0, sizeof p);
    char *path = ol_test_write(dir, name, text);
    ol_error err;
    size_t n = 0;
    ol_status st = ol_scenario_check(path, store, collect, &p, &n, &err);
    assert_int_equal(n, p.n);
    if (p.n == 0) assert_int_equal(st, OL_OK);
    else assert_int_not_equal(st, OL_OK);
    free(path);
    return p;
}

/* 1-based line and column of the first occurrence of needle in text. */
static void pos_of(const char *text, const char *needle, long *line, long *col)
{
    const char *at = strstr(text, needle);
    if (!at) fail_msg("fixture has no '%s'", needle);
    *line = 1;
    const char *bol = text;
    for (const char *p = text; p < at; p++)
        if (*p == '\n') { (*line)++; bol = p + 1; }
    *col = (long)(at - bol) + 1;
}

static void dump(const problems *p)
{
    for (size_t i = 0; i < p->n && i < MAXP; i++) {
        char b[2048];
        ol_error_format(&p->e[i], b, sizeof b);
        print_message("  problem: %s\n", b);
    }
}

/* Asserts a problem with key and a message containing msg at the position
 * of needle in text (needle NULL: any position); returns it. */
static const ol_error *expect_at(const problems *p, const char *text, const char *needle, const char *key,
                                 const char *msg)
{
    long line = 0, col = 0;
    if (needle) pos_of(text, needle, &line, &col);
    for (size_t i = 0; i < p->n && i < MAXP; i++) {
        const ol_error *e = &p->e[i];
        if (strcmp(e->field, key) != 0 || !strstr(e->message, msg)) continue;
        if (needle && (e->line != line || e->column != col)) continue;
        return e;
    }
    dump(p);
    fail_msg("no problem '%s: ...%s...' at %ld:%ld", key, msg, line, col);
    return NULL;
}

/* A small valid scenario; tests append or replace parts. */
#define ACTORS \
    "actors:\n" \
    "  - {code: USA, role: hegemon}\n" \
    "  - {code: CHN, role: challenger}\n" \
    "  - {code: JPN, role: ally, dependence: 0.7}\n" \
    "  - {code: ROW, role: other, name: \"rest of the world\"}\n"
#define INSTS \
    "institutions:\n" \
    "  - {code: WTO, name: \"World Trade Organization\", domain: trade, form: multilateral,\n" \
    "     level: global-multilateral, founded: 1995, members: all, voting: {rule: consensus}}\n" \
    "  - {code: IMF, name: \"IMF\", domain: trade, form: multilateral, level: global-multilateral,\n" \
    "     founded: 1945, members: all, voting: {rule: weighted}, hegemon_cost_share: 0.17}\n"
#define MEMBERS \
    "memberships:\n" \
    "  - {institution: WTO, actor: CHN, from: 2001}\n" \
    "  - {institution: IMF, actor: USA, vote_weight: 0.5, veto: true}\n" \
    "  - {institution: IMF, actor: CHN, vote_weight: 0.1}\n" \
    "  - {institution: IMF, actor: JPN, vote_weight: 0.1}\n" \
    "  - {institution: IMF, actor: ROW, vote_weight: 0.3}\n"
#define HEAD "name: small\nyears: {start: 1990, end: 2010}\n"

/* ------------------------------------------------------------ the default */
static void test_default_loads_clean(void **state)
{
    (void)state;
    ol_scenario *sc = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_scenario_default(NULL, &sc, &err), &err);
    assert_string_equal(sc->params.name, "default");
    assert_int_equal(sc->params.year_start, 1990);
    assert_int_equal(sc->params.year_end, 2030);
    assert_true(sc->params.threshold_tau == 2.0 / 3.0);
    assert_int_equal(sc->params.choice_rule, OL_SC_CHOICE_ARGMAX);
    assert_string_equal(sc->params.power_vintage, "");
    assert_string_equal(sc->actors[ol_scenario_role_index(sc, OL_SC_ROLE_HEGEMON)].code, "USA");
    assert_string_equal(sc->actors[ol_scenario_role_index(sc, OL_SC_ROLE_CHALLENGER)].code, "CHN");
    assert_int_equal(sc->nactors, 15);
    assert_true(isnan(sc->actors[0].dependence));
    /* Issue 3 §3: the institution list. */
    const char *want[] = {"UN", "UNSC", "IMF", "WB", "WTO", "WHO", "NATO", "PARIS", "UNESCO", "UNHRC", "UPU",
                          "NAFTA", "KORUS", "TPP", "TTIP", "JCPOA", "ICJ"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_true(ol_scenario_institution_index(sc, want[i]) >= 0);
    /* Rules and rows combined. */
    assert_true(ol_scenario_is_member(sc, "UN", "ROW", 1990));
    assert_true(ol_scenario_is_member(sc, "UNSC", "USA", 2000));
    /* every UN member can be elected to the Council: the model rotates the
     * non-permanent members through the ten elected seats */
    assert_true(ol_scenario_is_member(sc, "UNSC", "JPN", 2000));
    assert_false(ol_scenario_is_member(sc, "UNSC", "RUS", 1990));
    assert_true(ol_scenario_is_member(sc, "UNSC", "RUS", 1991));
    assert_false(ol_scenario_is_member(sc, "WTO", "CHN", 2000));
    assert_true(ol_scenario_is_member(sc, "WTO", "CHN", 2001));
    assert_false(ol_scenario_is_member(sc, "UNESCO", "USA", 1995));
    assert_true(ol_scenario_is_member(sc, "UNESCO", "USA", 2003));
    assert_true(ol_scenario_is_member(sc, "UNESCO", "JPN", 1995));
    assert_false(ol_scenario_is_member(sc, "WTO", "USA", 1994)); /* founded 1995 */
    assert_true(ol_scenario_is_member(sc, "KORUS", "KOR", 2012));
    assert_false(ol_scenario_is_member(sc, "KORUS", "JPN", 2012));
    long unsc = ol_scenario_institution_index(sc, "UNSC");
    assert_string_equal(sc->institutions[unsc].package, "UN");
    int vetoes = 0;
    for (size_t i = 0; i < sc->nmemberships; i++)
        if (!strcmp(sc->memberships[i].institution, "UNSC") && sc->memberships[i].veto) vetoes++;
    assert_int_equal(vetoes, 5);
    assert_string_equal(ol_scenario_leader_at(sc, 1989)->name, "baseline");
    assert_string_equal(ol_scenario_leader_at(sc, 2018)->name, "transactional");
    assert_string_equal(ol_scenario_leader_at(sc, 2022)->name, "multilateralist");
    size_t n = 5;
    OL_ASSERT_OK(ol_scenario_validate(sc, NULL, NULL, NULL, &n, &err), &err);
    assert_int_equal(n, 0);
    ol_scenario_free(sc);
}

static void test_default_with_store(void **state)
{
    ol_test_fixture *f = *state;
    ol_scenario *sc = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_scenario_default(f->s, &sc, &err), &err);
    assert_string_equal(sc->source, "(built-in)");
    ol_scenario_free(sc);
}

/* Writes sc canonically into a malloc'ed string. */
static char *to_yaml(const ol_scenario *sc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    ol_error err;
    OL_ASSERT_OK(ol_scenario_write_yaml(sc, f, &err), &err);
    fclose(f);
    return buf;
}

static void round_trip(const ol_scenario *sc)
{
    ol_error err;
    uint64_t h1, h2;
    OL_ASSERT_OK(ol_scenario_hash(sc, &h1, &err), &err);
    char *y1 = to_yaml(sc);
    ol_scenario *back = NULL;
    OL_ASSERT_OK(ol_scenario_load_text(y1, strlen(y1), "written", NULL, NULL, &back, &err), &err);
    OL_ASSERT_OK(ol_scenario_hash(back, &h2, &err), &err);
    char *y2 = to_yaml(back);
    assert_string_equal(y1, y2);
    assert_true(h1 == h2);
    /* The struct too, field by field where it is plain data. */
    assert_int_equal(back->nactors, sc->nactors);
    assert_int_equal(back->ninstitutions, sc->ninstitutions);
    assert_int_equal(back->nmembership_rows, sc->nmembership_rows);
    assert_int_equal(back->nmemberships, sc->nmemberships);
    assert_memory_equal(&back->params, &sc->params, sizeof sc->params);
    for (size_t i = 0; i < sc->nleaders; i++) assert_memory_equal(&back->leaders[i], &sc->leaders[i], sizeof *sc->leaders);
    for (size_t i = 0; i < sc->nmemberships; i++) {
        assert_string_equal(back->memberships[i].actor, sc->memberships[i].actor);
        assert_int_equal(back->memberships[i].from, sc->memberships[i].from);
        assert_int_equal(back->memberships[i].to, sc->memberships[i].to);
    }
    free(y1);
    free(y2);
    ol_scenario_free(back);
}

static void test_round_trip_default(void **state)
{
    (void)state;
    ol_scenario *sc = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_scenario_default(NULL, &sc, &err), &err);
    round_trip(sc);
    /* The commented form loads back to the same scenario too. */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    OL_ASSERT_OK(ol_scenario_write_yaml_ex(sc, OL_SCENARIO_WRITE_COMMENTS, f, &err), &err);
    fclose(f);
    assert_non_null(strstr(buf, "tau: 2/3"));
    assert_non_null(strstr(buf, "# [P_C/P_H]"));
    ol_scenario *back = NULL;
    OL_ASSERT_OK(ol_scenario_load_text(buf, len, "commented", NULL, NULL, &back, &err), &err);
    uint64_t h1, h2;
    OL_ASSERT_OK(ol_scenario_hash(sc, &h1, &err), &err);
    OL_ASSERT_OK(ol_scenario_hash(back, &h2, &err), &err);
    assert_true(h1 == h2);
    free(buf);
    ol_scenario_free(back);
    ol_scenario_free(sc);
}

static void test_round_trip_every_field(void **state)
{
    ol_test_fixture *f = *state;
    const char *text =
        "name: \"full: \\\"quoted\\\" \\\\ text\"\n"
        "description: \"línea\\twith tab, 中文\"\n"
        "years: {start: 1995, end: 2010}\n"
        "seed: 9007199254740991\n"
        "choice: {rule: logit, rationality: 0.125}\n"
        "power: {series: PWT.RGDPE, vintage: \"2023-07\", default_growth: -0.01, feedback: 1e-7}\n"
        "threshold: {tau: 0.1, steepness: 3/7}\n"
        "leaders:\n  - {from: 1990, name: \"a\", temperament: 0.3333333333333333}\n"
        "  - {from: 2001, name: no, systemic_weight: 0}\n" ACTORS
        "  - {code: IND, role: emerging, outside_option: 0.2, alignment: 0.45, growth: 0.06}\n" INSTS
        "  - {code: UNSC, name: \"Security Council\", name_zh: \"安理会\", domain: security, form: multilateral,\n"
        "     level: global-multilateral, founded: 1945, ended: 2009, package: WTO, members: [USA, CHN],\n"
        "     voting: {rule: majority}, budget_usd: 3.2e9, spillover: {proxy: trade-surplus, usd: 1234.5},\n"
        "     constraint: {jurisdiction: 1, censure: 0.5, verification: 0}, note: \"a\\nb\"}\n" MEMBERS
        "  - {institution: IMF, actor: IND, vote_weight: 0}\n";
    problems p = check_text(f->dir, "full.yaml", text, NULL);
    if (p.n) dump(&p);
    assert_int_equal(p.n, 0);
    char *path = ol_test_path(f->dir, "full.yaml");
    ol_scenario *sc = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_scenario_load(path, NULL, &sc, &err), &err);
    assert_string_equal(sc->params.name, "full: \"quoted\" \\ text");
    assert_true(sc->params.threshold_steepness == 3.0 / 7.0);
    assert_int_equal(sc->params.seed, 9007199254740991LL);
    assert_string_equal(sc->leaders[1].name, "no");
    long u = ol_scenario_institution_index(sc, "UNSC");
    assert_int_equal(sc->institutions[u].members.n, 2);
    assert_int_equal(sc->institutions[u].spillover_proxy, OL_SPILLOVER_TRADE_SURPLUS);
    assert_true(sc->institutions[u].budget_usd == 3.2e9);
    assert_false(ol_scenario_is_member(sc, "UNSC", "USA", 2010)); /* ended 2009 */
    round_trip(sc);
    ol_scenario_free(sc);
    free(path);
}

/* ------------------------------------------------------------ CSV tables */
static void test_csv_tables(void **state)
{
    ol_test_fixture *f = *state;
    free(ol_test_write(f->dir, "actors.csv", "code,role,name,dependence\nUSA,hegemon,,\nCHN,challenger,,\n"
                                             "JPN,ally,,0.7\nROW,other,rest of the world,\n"));
    free(ol_test_write(f->dir, "inst.csv",
                       "code,name,domain,form,level,founded,members,voting.rule,hegemon_cost_share\n"
                       "WTO,World Trade Organization,trade,multilateral,global-multilateral,1995,all,consensus,\n"
                       "IMF,IMF,trade,multilateral,global-multilateral,1945,all,weighted,0.17\n"));
    free(ol_test_write(f->dir, "sub_m.csv", "institution,actor,from,to,vote_weight,veto\nWTO,CHN,2001,,,\n"
                                            "IMF,USA,,,0.5,true\nIMF,CHN,,,0.1,\nIMF,JPN,,,0.1,0\nIMF,ROW,,,0.3,\n"));
    const char *text = HEAD "actors_csv: actors.csv\ninstitutions_csv: inst.csv\nmemberships_csv: sub_m.csv\n";
    problems p = check_text(f->dir, "csv.yaml", text, NULL);
    if (p.n) dump(&p);
    assert_int_equal(p.n, 0);
    char *path = ol_test_path(f->dir, "csv.yaml");
    ol_scenario *csv = NULL, *inl = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_scenario_load(path, NULL, &csv, &err), &err);
    assert_int_equal(csv->nactors, 4);
    assert_true(csv->actors[2].dependence == 0.7);
    assert_true(ol_scenario_is_member(csv, "WTO", "CHN", 2001));
    /* The same scenario inline has the same content hash. */
    const char *inline_text = HEAD ACTORS INSTS MEMBERS;
    OL_ASSERT_OK(ol_scenario_load_text(inline_text, strlen(inline_text), "inline", NULL, NULL, &inl, &err), &err);
    uint64_t h1, h2;
    OL_ASSERT_OK(ol_scenario_hash(csv, &h1, &err), &err);
    OL_ASSERT_OK(ol_scenario_hash(inl, &h2, &err), &err);
    assert_true(h1 == h2);
    round_trip(csv);
    ol_scenario_free(csv);
    ol_scenario_free(inl);
    free(path);
}

static void test_csv_errors(void **state)
{
    ol_test_fixture *f = *state;
    /* Line 3: an unknown role; line 4: a bad number; header: an unknown column. */
    free(ol_test_write(f->dir, "a.csv", "code,role,dependance,alignment\nUSA,hegemon,,\nCHN,challengr,,\n"
                                        "JPN,ally,,high\nROW,other,,\n"));
    const char *text = HEAD "actors_csv: a.csv\nmemberships_csv: missing.csv\ninstitutions_csv: bad.csv\n";
    free(ol_test_write(f->dir, "bad.csv", "code,name\n\"WTO,x\n"));
    problems p = check_text(f->dir, "c.yaml", text, NULL);
    char *a = ol_test_path(f->dir, "a.csv"), *bad = ol_test_path(f->dir, "bad.csv");
    const ol_error *e = expect_at(&p, NULL, NULL, "dependance", "did you mean 'dependence'");
    assert_string_equal(e->file, a);
    assert_int_equal(e->line, 1);
    assert_int_equal(e->column, 3);
    e = expect_at(&p, NULL, NULL, "role", "did you mean 'challenger'");
    assert_string_equal(e->file, a);
    assert_int_equal(e->line, 3);
    assert_int_equal(e->column, 2);
    e = expect_at(&p, NULL, NULL, "alignment", "expected a number, got 'high'");
    assert_int_equal(e->line, 4);
    assert_int_equal(e->column, 4);
    /* The missing table: at its key in the YAML. */
    expect_at(&p, text, "missing.csv", "memberships_csv", "cannot read the memberships table");
    /* The malformed one: its own file; its required columns. */
    e = expect_at(&p, NULL, NULL, "domain", "missing required column 'domain'");
    assert_string_equal(e->file, bad);
    int quoting = 0;
    for (size_t i = 0; i < p.n; i++)
        if (!strcmp(p.e[i].file, bad) && p.e[i].line >= 1 && p.e[i].code == OL_EPARSE &&
            strstr(p.e[i].message, "malformed CSV"))
            quoting = 1;
    if (!quoting) dump(&p);
    assert_true(quoting);
    free(a);
    free(bad);
}

/* ------------------------------------------------------------ validation */
static void test_unknown_keys(void **state)
{
    ol_test_fixture *f = *state;
    const char *text = HEAD "threshhold: {tau: 0.5}\n"
                            "threshold: {tua: 0.5}\n"
                            "tau: 0.5\n"
                            "acounts:\n  gains: {trade: 1}\n"
                            "zzzz: 1\n" ACTORS
                            "  - {code: KOR, role: ally, dependance: 0.5}\n"
                            "institutions:\n"
                            "  - {code: WTO, name: W, domain: trade, form: multilateral, level: global-multilateral,\n"
                            "     founded: 1995, voting: {rul: consensus}}\n";
    problems p = check_text(f->dir, "k.yaml", text, NULL);
    expect_at(&p, text, "threshhold", "threshhold", "did you mean 'threshold'");
    expect_at(&p, text, "tua", "threshold.tua", "did you mean 'tau'");
    expect_at(&p, text, "tau: 0.5\n", "tau", "did you mean 'threshold.tau'");
    expect_at(&p, text, "acounts", "acounts", "did you mean 'accounts'");
    expect_at(&p, text, "zzzz", "zzzz", "unknown key 'zzzz'");
    expect_at(&p, text, "dependance", "actors[5].dependance", "did you mean 'dependence'");
    expect_at(&p, text, "rul:", "institutions[1].voting.rul", "did you mean 'rule'");
    expect_at(&p, text, "{code: WTO", "institutions[1].voting.rule", "missing required key 'voting.rule'");
    assert_int_equal(p.n, 8);
}

static void test_types_and_ranges(void **state)
{
    ol_test_fixture *f = *state;
    const char *text = "name: t\nyears: 1990\nseed: abc\n"
                       "choice: {rule: logt, rationality: 0}\n"
                       "threshold: {tau: 1.5, steepness: [1, 2]}\n"
                       "power: {vintage: null, feedback: null}\n"
                       "seed: 5\n" ACTORS
                       "  - {code: KOR, role: hegemom, alignment: -2}\n"
                       "institutions:\n"
                       "  - {code: IMF, name: I, domain: money, form: multilateral, level: global,\n"
                       "     founded: 1945.5, voting: {rule: weighted}, hegemon_cost_share: 1.2}\n";
    problems p = check_text(f->dir, "t.yaml", text, NULL);
    expect_at(&p, text, "1990", "years", "expected a mapping of years.* keys");
    expect_at(&p, text, "abc", "seed", "expected a whole number, got 'abc'");
    expect_at(&p, text, "logt", "choice.rule", "did you mean 'logit'");
    expect_at(&p, text, "0}", "choice.rationality", "out of range: must be > 0");
    expect_at(&p, text, "1.5", "threshold.tau", "out of range: must be > 0 and < 1");
    expect_at(&p, text, "[1, 2]", "threshold.steepness", "expected a single value, got a list");
    expect_at(&p, text, "null}", "power.feedback", "null is not allowed");
    expect_at(&p, text, "seed: 5", "seed", "given twice (first on line 3)");
    expect_at(&p, text, "hegemom", "actors[5].role", "did you mean 'hegemon'");
    expect_at(&p, text, "-2}", "actors[5].alignment", "out of range: must be >= 0 and <= 1");
    expect_at(&p, text, "money", "institutions[1].domain", "unknown value 'money'");
    expect_at(&p, text, "global,", "institutions[1].level", "one of: global-multilateral,with-allies,with-competitor");
    expect_at(&p, text, "1945.5", "institutions[1].founded", "expected a whole number");
    expect_at(&p, text, "1.2}", "institutions[1].hegemon_cost_share", "out of range");
    assert_int_equal(p.n, 14);
}

static void test_roles_and_codes(void **state)
{
    ol_test_fixture *f = *state;
    const char *two = HEAD "actors:\n  - {code: USA, role: hegemon}\n  - {code: GBR, role: hegemon}\n"
                           "  - {code: XYZ, role: ally}\n  - {code: WLD, role: other}\n  - {code: USA, role: ally}\n"
                           "  - {code: China, role: emerging}\n  - {role: ally}\n";
    problems p = check_text(f->dir, "r.yaml", two, NULL);
    expect_at(&p, two, "hegemon}\n  - {code: XYZ", "actors[2].role", "a second hegemon (USA is the first)");
    expect_at(&p, two, "actors:", "actors", "no challenger");
    expect_at(&p, two, "XYZ", "actors[3].code", "unknown country code 'XYZ'");
    expect_at(&p, two, "WLD", "actors[4].code", "aggregate");
    expect_at(&p, two, "USA, role: ally", "actors[5].code", "listed twice (first on line 4)");
    expect_at(&p, two, "China", "actors[6].code", "unknown country code 'China'");
    expect_at(&p, two, "{role: ally}", "actors[7].code", "missing required key 'code'");
    assert_int_equal(p.n, 7);

    /* With a store, names resolve to codes. */
    const char *named = HEAD "actors:\n  - {code: United States, role: hegemon}\n"
                             "  - {code: China, role: challenger}\n  - {code: Atlantis, role: ally}\n";
    p = check_text(f->dir, "n.yaml", named, f->s);
    expect_at(&p, named, "Atlantis", "actors[3].code", "unknown country 'Atlantis'");
    assert_int_equal(p.n, 1);
    const char *ok = HEAD "actors:\n  - {code: United States, role: hegemon}\n  - {code: 中国, role: challenger}\n";
    char *path = ol_test_write(f->dir, "ok.yaml", ok);
    ol_scenario *sc = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_scenario_load(path, f->s, &sc, &err), &err);
    assert_string_equal(sc->actors[0].code, "USA");
    assert_string_equal(sc->actors[1].code, "CHN");
    ol_scenario_free(sc);
    free(path);

    const char *none = HEAD "actors:\n  - {code: CHN, role: challenger}\n";
    p = check_text(f->dir, "none.yaml", none, NULL);
    expect_at(&p, none, "actors:", "actors", "no hegemon (守成国)");
    assert_int_equal(p.n, 1);
}

static void test_memberships(void **state)
{
    ol_test_fixture *f = *state;
    const char *text = "name: m\nyears: {start: 1990, end: 2000}\n" ACTORS INSTS
        "  - {code: NATO, name: N, domain: security, form: plurilateral-cross-regional, level: with-allies,\n"
        "     founded: 1949, members: [USA, JPM], voting: {rule: consensus}, package: UNX}\n"
        "memberships:\n"
        "  - {institution: WTO, actor: KOR}\n"
        "  - {institution: WT0, actor: CHN}\n"
        "  - {institution: WTO, actor: CHN, from: 1997}\n"
        "  - {institution: WTO, actor: CHN, from: 1996, to: 1998}\n"
        "  - {institution: WTO, actor: JPN, from: 1990}\n"
        "  - {institution: WTO, actor: ROW, from: 1999, to: 1997}\n"
        "  - {institution: NATO, actor: JPN, from: 2010}\n"
        "  - {institution: NATO, actor: ROW, to: 1980}\n"
        "  - {institution: NATO, actor: CHN, vote_weight: 0.5}\n"
        "  - {institution: IMF, actor: USA, vote_weight: 0.5, veto: yes}\n"
        "  - {institution: IMF, actor: CHN, vote_weight: 0.1}\n"
        "  - {institution: IMF, actor: JPN, vote_weight: 0.1}\n"
        "  - {institution: IMF, actor: ROW, vote_weight: 0.2}\n";
    problems p = check_text(f->dir, "m.yaml", text, NULL);
    expect_at(&p, text, "[USA, JPM]", "institutions[3].members",
              "'JPM', which is not an actor of the scenario (did you mean 'JPN'?)");
    expect_at(&p, text, "UNX", "institutions[3].package", "package 'UNX' is not an institution");
    expect_at(&p, text, "KOR", "memberships[1].actor", "'KOR', which is not an actor");
    expect_at(&p, text, "WT0", "memberships[2].institution", "did you mean 'WTO'");
    expect_at(&p, text, "1996", "memberships[4].from", "overlaps the row on line 18");
    expect_at(&p, text, "1990}", "memberships[5].from", "before WTO was founded (1995)");
    expect_at(&p, text, "1997}\n  - {institution: NATO", "memberships[6].to", "ends (1997) before it begins (1999)");
    expect_at(&p, text, "2010", "memberships[7].from", "after the scenario's last year 2000");
    expect_at(&p, text, "1980", "memberships[8].to", "before the scenario's first year 1990");
    expect_at(&p, text, "0.5}\n  - {institution: IMF", "memberships[9].vote_weight", "not weighted");
    expect_at(&p, text, "yes", "memberships[10].veto", "expected true or false");
    expect_at(&p, text, "0.5, veto", "memberships[10].vote_weight", "sum to 0.9 in 1990, not 1");
    if (p.n != 12) dump(&p);
    assert_int_equal(p.n, 12);

    /* Weights given for some members only. */
    const char *mixed = "name: m\nyears: {start: 1990, end: 2000}\n" ACTORS INSTS "memberships:\n  - {institution: IMF, actor: USA, vote_weight: 1}\n";
    p = check_text(f->dir, "mixed.yaml", mixed, NULL);
    expect_at(&p, mixed, "1}", "memberships[1].vote_weight", "3 of the 4 members of IMF in 1990 have no vote_weight");
    assert_int_equal(p.n, 1);
}

static void test_years_and_leaders(void **state)
{
    ol_test_fixture *f = *state;
    const char *text = "name: y\nyears: {start: 2000, end: 1999}\n" ACTORS;
    problems p = check_text(f->dir, "y.yaml", text, NULL);
    expect_at(&p, text, "1999", "years.end", "ends (1999) before it starts (2000)");

    const char *lead = "name: l\nyears: {start: 1990, end: 2000}\n" "leaders:\n  - {from: 1991, name: a}\n  - {from: 1995, name: b, temperament: 0}\n"
                            "  - {from: 1993, name: c}\n  - {from: 2005, name: d}\n  - {name: e}\n" ACTORS;
    p = check_text(f->dir, "l.yaml", lead, NULL);
    expect_at(&p, lead, "1991", "leaders[1].from", "starts in 1991, after the scenario's first year 1990");
    expect_at(&p, lead, "0}\n  - {from: 1993", "leaders[2].temperament", "must be > 0");
    expect_at(&p, lead, "1993", "leaders[3].from", "must be in year order: 1993 does not come after 1995");
    expect_at(&p, lead, "2005", "leaders[4].from", "after the scenario's last year 2000");
    expect_at(&p, lead, "{name: e}", "leaders[5].from", "missing required key 'from'");
    assert_int_equal(p.n, 5);
}

static void test_syntax_and_shape(void **state)
{
    ol_test_fixture *f = *state;
    const char *bad = "name: x\nyears: {start: 1990\nseed: 1\n";
    problems p = check_text(f->dir, "s.yaml", bad, NULL);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.e[0].code, OL_EPARSE);
    assert_true(p.e[0].line >= 2);
    assert_non_null(strstr(p.e[0].message, "YAML syntax"));

    const char *two = HEAD ACTORS "---\nname: second\n";
    p = check_text(f->dir, "two.yaml", two, NULL);
    expect_at(&p, two, "name: second", "", "a second YAML document");
    assert_int_equal(p.n, 1);

    const char *list = "- a\n- b\n";
    p = check_text(f->dir, "list.yaml", list, NULL);
    expect_at(&p, list, "- a", "", "a scenario is a mapping");

    const char *rows = HEAD "actors: {code: USA}\ninstitutions:\n  - WTO\n";
    p = check_text(f->dir, "rows.yaml", rows, NULL);
    expect_at(&p, rows, "{code: USA}", "actors", "expected a list of rows, got a mapping");
    expect_at(&p, rows, "WTO", "institutions[1]", "expected a mapping");

    const char *both = HEAD ACTORS "actors_csv: a.csv\n";
    p = check_text(f->dir, "both.yaml", both, NULL);
    expect_at(&p, both, "actors_csv", "actors_csv", "actors given twice (actors on line 3)");

    /* The loader returns the first problem and a count of the others. */
    char *path = ol_test_path(f->dir, "rows.yaml");
    ol_scenario *sc = (ol_scenario *)1;
    ol_error err;
    assert_int_equal(ol_scenario_load(path, NULL, &sc, &err), OL_EVALIDATE);
    assert_null(sc);
    assert_non_null(strstr(err.message, "more problem"));
    free(path);
    path = ol_test_path(f->dir, "nonexistent.yaml");
    size_t n = 9;
    assert_int_equal(ol_scenario_check(path, NULL, collect, &p, &n, &err), OL_EIO);
    assert_int_equal(n, 0);
    free(path);
}

static void test_validate_in_memory(void **state)
{
    (void)state;
    ol_scenario *sc = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_scenario_default(NULL, &sc, &err), &err);
    sc->actors[1].role = OL_SC_ROLE_HEGEMON;
    sc->params.threshold_tau = 2;
    snprintf(sc->actors[2].code, sizeof sc->actors[2].code, "QQQ");
    problems p;
    memset(&p, 0, sizeof p);
    size_t n = 0;
    assert_int_equal(ol_scenario_validate(sc, NULL, collect, &p, &n, &err), OL_EVALIDATE);
    expect_at(&p, NULL, NULL, "actors[2].role", "a second hegemon");
    expect_at(&p, NULL, NULL, "actors", "no challenger");
    expect_at(&p, NULL, NULL, "threshold.tau", "out of range");
    expect_at(&p, NULL, NULL, "actors[3].code", "unknown country code 'QQQ'");
    expect_at(&p, NULL, NULL, "institutions[14].members", "names 'JPN', which is not an actor");
    assert_int_equal(n, 5);
    ol_scenario_free(sc);
}

/* ------------------------------------------------------------ schema */
static void test_schema(void **state)
{
    (void)state;
    const ol_scenario_table *T = ol_scenario_tables();
    /* Every default within its range. */
    for (int t = 0; t < OL_TABLE_COUNT; t++)
        for (size_t i = 0; i < T[t].nfields; i++) {
            const ol_scenario_field *f = &T[t].fields[i];
            assert_non_null(f->doc);
            if ((f->type == OL_FIELD_REAL || f->type == OL_FIELD_INT) && !isnan(f->def) &&
                !(f->type == OL_FIELD_INT && f->def == 0 && t != OL_TABLE_PARAMS)) {
                if (f->def < f->min || f->def > f->max) fail_msg("default of %s out of its range", f->key);
            }
            if (f->type == OL_FIELD_ENUM) assert_true(ol_scenario_term_index(f, f->def_text) >= 0);
        }
    /* A parameter section's keys are together (the writer nests them). */
    for (size_t i = 1; i < T[0].nfields; i++)
        for (size_t j = 0; j + 1 < i; j++) {
            const char *a = T[0].fields[j].key, *b = T[0].fields[i].key, *c = T[0].fields[i - 1].key;
            size_t la = strcspn(a, "."), lc = strcspn(c, ".");
            if (a[la] && !strncmp(a, b, la + 1) && (lc != la || strncmp(a, c, la) != 0))
                fail_msg("section of %s is split by %s", b, c);
        }
    /* The institution vocabularies are the catalog's. */
    const char *keys[] = {"domain", "form", "level"};
    ol_vocab vocabs[] = {OL_VOCAB_DOMAIN, OL_VOCAB_FORM, OL_VOCAB_LEVEL};
    for (int v = 0; v < 3; v++) {
        const ol_scenario_field *fd = NULL;
        for (size_t i = 0; i < T[OL_TABLE_INSTITUTIONS].nfields; i++)
            if (!strcmp(T[OL_TABLE_INSTITUTIONS].fields[i].key, keys[v])) fd = &T[OL_TABLE_INSTITUTIONS].fields[i];
        assert_non_null(fd);
        char term[64];
        int n = 0;
        for (int k = 0; ol_scenario_term(fd, k, term, sizeof term); k++, n++)
            assert_non_null(ol_catalog_term(vocabs[v], term));
        int m = 0;
        for (const ol_vocab_term *t = ol_catalog_vocab(vocabs[v]); t->value; t++) m++;
        assert_int_equal(n, m);
    }
    char term[8];
    assert_null(ol_scenario_term(&T[OL_TABLE_ACTORS].fields[1], 9, term, sizeof term));
    assert_string_equal(ol_scenario_term(&T[OL_TABLE_ACTORS].fields[1], 0, term, sizeof term), "hegemon");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_loads_clean),
        cmocka_unit_test_setup_teardown(test_default_with_store, ol_test_setup, ol_test_teardown),
        cmocka_unit_test(test_round_trip_default),
        cmocka_unit_test_setup_teardown(test_round_trip_every_field, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_csv_tables, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_csv_errors, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_keys, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_types_and_ranges, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_roles_and_codes, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_memberships, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_years_and_leaders, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_syntax_and_shape, ol_test_setup, ol_test_teardown),
        cmocka_unit_test(test_validate_in_memory),
        cmocka_unit_test(test_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
