/* The outputs of a simulation: exact CSV lines for a hand-built result, the
 * summary's fields, byte-identical outputs for identical runs, the run and
 * its events in the store, a Monte Carlo's detail and shares, bad arguments,
 * an unwritable directory (OL_EIO, nothing in the store, no files), and the
 * two figures (magic bytes; bad input is an error, not a crash). */
#include "testutil.h"
#include "testworld.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int exists(const char *dir, const char *name)
{
    char *p = ol_test_path(dir, name);
    struct stat sb;
    int r = stat(p, &sb) == 0;
    free(p);
    return r;
}

/* ------------------------------------------------------------ a hand-built result */

/* Two actors, one institution, two years; the numbers show the formatting:
 * the fewest digits that read back (0.1 stays 0.1, 1/3 takes 16 digits). */
typedef struct tiny {
    ol_model_actor actors[2];
    ol_model_institution inst[1];
    ol_model_leader leaders[1];
    ol_model_world w;
    ol_model_actor_year ay[4];
    ol_model_inst_year iy[2];
    ol_model_year years[2];
    ol_model_event ev[2];
    ol_model_result r;
} tiny;

static void tiny_init(tiny *t)
{
    memset(t, 0, sizeof *t);
    snprintf(t->actors[0].code, sizeof t->actors[0].code, "USA");
    t->actors[0].role = OL_ROLE_HEGEMON;
    snprintf(t->actors[1].code, sizeof t->actors[1].code, "CHN");
    t->actors[1].role = OL_ROLE_CHALLENGER;
    snprintf(t->inst[0].code, sizeof t->inst[0].code, "A,B"); /* a comma: the field is quoted */
    snprintf(t->leaders[0].name, sizeof t->leaders[0].name, "Lead");
    t->leaders[0].from = 2001;
    t->w = (ol_model_world){.t0 = 2000, .t1 = 2001, .nactors = 2, .actors = t->actors, .ninst = 1,
                            .inst = t->inst, .nleaders = 1, .leaders = t->leaders};
    for (int y = 0; y < 2; y++) {
        for (int i = 0; i < 2; i++)
            t->ay[y * 2 + i] = (ol_model_actor_year){.year = 2000 + y, .actor = (uint32_t)i, .power = i ? 50 : 100,
                                                     .share = i ? 1.0 / 3.0 : 2.0 / 3.0, .alignment = i ? 0.1 : 1,
                                                     .outside = 0.5, .benefit = 0.25, .cost = 1e-9, .loss = 0};
        t->iy[y] = (ol_model_inst_year){.year = 2000 + y, .inst = 0, .active = 1, .member = y == 0, .nmembers = 2,
                                        .wH = y == 0 ? 0.5 : 0, .wC = 0.5, .nu = 0, .G = 3, .C = 0.1,
                                        .cH = y == 0 ? 0.75 : 0, .F = 1, .R = 2, .X = 0.075, .Y = 4, .Z = 0,
                                        .Rep = 0.5, .S = 6, .u_exit = 0.125, .u_threaten = -0.5, .u_rejoin = -1,
                                        .p_concede = 0.25, .action = y == 0 ? OL_ACT_EXIT : OL_ACT_STAY_OUT,
                                        .flags = y == 0 ? 0 : OL_FAIL_NONNEUTRAL | OL_FAIL_OUTPUT};
        t->years[y] = (ol_model_year){.year = 2000 + y, .ratio = 0.5, .sigma = 0.1, .Y = 4, .X = 0.075,
                                      .estar = -1, .pc_estar = 0, .PG = 3, .HM = 0.2, .L = 0.9, .LS = 0.6,
                                      .failures = (uint32_t)y, .leader = y == 0 ? -1 : 0};
    }
    t->ev[0] = (ol_model_event){.year = 2000, .inst = 0, .action = OL_ACT_THREATEN, .actor = 0, .counterpart = 1,
                                .rival = 1, .means = OL_MEANS_MANIPULATION, .effect = OL_EFFECT_SPILLOVER,
                                .probability = 1};
    t->ev[1] = (ol_model_event){.year = 2000, .inst = 0, .action = OL_ACT_EXIT, .actor = 0, .counterpart = 1,
                                .rival = -1, .means = OL_MEANS_SQUEEZE_SPILLOVER, .effect = OL_EFFECT_SPILLOVER,
                                .probability = 0.75};
    t->r = (ol_model_result){.t0 = 2000, .t1 = 2001, .nyears = 2, .nactors = 2, .ninst = 1, .actor_years = t->ay,
                             .inst_years = t->iy, .years = t->years, .events = t->ev, .nevents = 2,
                             .events_cap = 2};
}

/* The text of table t for run 3 of the tiny result. */
static char *table_text(const tiny *t, ol_simout_table tab)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_simout_write_header(tab, f, &err), &err);
    OL_ASSERT_OK(ol_simout_write_rows(tab, f, 3, &t->w, &t->r, &err), &err);
    fclose(f);
    return buf;
}

static void test_csv_lines(void **state)
{
    (void)state;
    tiny t;
    tiny_init(&t);
    char *s = table_text(&t, OL_SIMOUT_ACTOR_YEAR);
    assert_string_equal(s,
        "run,year,actor,role,power,share,alignment,outside_option,benefits,costs,escalation_loss\n"
        "3,2000,USA,hegemon,100,0.6666666666666666,1,0.5,0.25,1e-09,0\n"
        "3,2000,CHN,challenger,50,0.3333333333333333,0.1,0.5,0.25,1e-09,0\n"
        "3,2001,USA,hegemon,100,0.6666666666666666,1,0.5,0.25,1e-09,0\n"
        "3,2001,CHN,challenger,50,0.3333333333333333,0.1,0.5,0.25,1e-09,0\n");
    free(s);
    s = table_text(&t, OL_SIMOUT_INST_YEAR);
    assert_string_equal(s,
        "run,year,institution,status,member,members,w_H,w_C,nu,G,C,c_H,F,R,X,Y,Z,Rep,S,"
        "U_stay,U_threaten,U_exit,U_rejoin,p_concede,action,failure\n"
        "3,2000,\"A,B\",member,1,2,0.5,0.5,0,3,0.1,0.75,1,2,0.075,4,0,0.5,6,"
        "0,-0.5,0.125,-1,0.25,exit,\n"
        "3,2001,\"A,B\",exited,0,2,0,0.5,0,3,0.1,0,1,2,0.075,4,0,0.5,6,"
        "0,-0.5,0.125,-1,0.25,stay_out,non_neutrality;output\n");
    free(s);
    s = table_text(&t, OL_SIMOUT_ACTIONS);
    assert_string_equal(s,
        "run,year,institution,action,actor,counterpart,rival,means,effect,probability\n"
        "3,2000,\"A,B\",threaten,USA,CHN,CHN,manipulation,spillover,1\n"
        "3,2000,\"A,B\",exit,USA,CHN,,squeeze_spillover,spillover,0.75\n");
    free(s);
    s = table_text(&t, OL_SIMOUT_METRICS);
    assert_string_equal(s,
        "run,year,ratio,sigma,Y,X,E_star,PC_over_E_star,PG,HM,L,LS,failures,leader\n"
        "3,2000,0.5,0.1,4,0.075,-1,0,3,0.2,"
        "0.9,0.6,0,\n"
        "3,2001,0.5,0.1,4,0.075,-1,0,3,0.2,"
        "0.9,0.6,1,Lead\n");
    free(s);
}

/* Every number printed reads back as the same double. */
static void test_round_trip(void **state)
{
    (void)state;
    tiny t;
    tiny_init(&t);
    t.years[0].sigma = 1.0 / 3.0;
    t.years[0].Y = 1e300 / 7;
    t.years[0].X = -5e-324;
    char *s = table_text(&t, OL_SIMOUT_METRICS);
    const char *line = strchr(s, '\n') + 1;
    double v[5];
    assert_int_equal(sscanf(line, "3,2000,%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3]), 4);
    assert_true(v[1] == 1.0 / 3.0);
    assert_true(v[2] == 1e300 / 7);
    assert_true(v[3] == -5e-324);
    free(s);
}

static void test_bad_shape(void **state)
{
    (void)state;
    tiny t;
    tiny_init(&t);
    ol_error err;
    ol_error_clear(&err);
    t.r.nactors = 3;
    FILE *f = fopen("/dev/null", "w");
    assert_int_equal(ol_simout_write_rows(OL_SIMOUT_ACTOR_YEAR, f, 0, &t.w, &t.r, &err), OL_EINVAL);
    t.r.nactors = 2;
    t.ev[1].inst = 7;
    assert_int_equal(ol_simout_write_rows(OL_SIMOUT_ACTIONS, f, 0, &t.w, &t.r, &err), OL_EINVAL);
    assert_int_equal(ol_simout_write_header(OL_SIMOUT_TABLE_COUNT, f, &err), OL_EINVAL);
    assert_null(ol_simout_table_file(OL_SIMOUT_TABLE_COUNT));
    assert_string_equal(ol_simout_table_file(OL_SIMOUT_INST_YEAR), "institution_year.csv");
    fclose(f);
}

/* ------------------------------------------------------------ whole runs */

static ol_simout_meta meta_for(size_t runs, int stochastic, size_t detail)
{
    ol_model_params p = test_world_params();
    return (ol_simout_meta){.scenario_name = "test-world", .scenario_hash = 0x0123456789abcdefULL, .seed = 42,
                            .stochastic = stochastic, .runs = runs, .detail_runs = detail, .tau = p.tau};
}

/* Runs the test world runs times into dir (a store may be NULL). */
static ol_status simulate(const char *dir, ol_store *store, size_t runs, int stochastic, size_t detail,
                          int64_t *id, ol_error *err)
{
    test_world tw;
    test_world_init(&tw, 0.08);
    ol_model_params p = test_world_params();
    ol_model_sim *sim = NULL;
    OL_ASSERT_OK(ol_model_sim_new(&tw.w, &p, &sim, err), err);
    ol_simout_meta m = meta_for(runs, stochastic, detail);
    ol_simout *o = NULL;
    ol_status st = ol_simout_open(dir, &tw.w, &m, &o, err);
    ol_model_result *r = NULL;
    for (size_t i = 0; i < runs && !st; i++) {
        st = ol_model_sim_run(sim, ol_model_seed(m.seed, i), stochastic, &r, err);
        if (!st) st = ol_simout_add(o, i, r, err);
    }
    if (!st) st = ol_simout_finish(o, NULL, store, id, err);
    ol_simout_free(o);
    ol_model_result_free(r);
    ol_model_sim_free(sim);
    return st;
}

/* What the outputs must say of run r, worked out here from the result
 * itself (so that the tests follow the model's outcomes): the first threat
 * and exit of the hegemon (actor 0) and, per institution, whether it was
 * threatened, renegotiated, exited (out at the end) or kept. */
typedef struct expect {
    int first_threat, first_exit;
    int threatened[TW_NK], renegotiated[TW_NK], exited[TW_NK], kept[TW_NK], member_end[TW_NK];
    size_t nevents[TW_NK];
} expect;

static void expect_of(const ol_model_result *r, expect *x)
{
    memset(x, 0, sizeof *x);
    int any_exit[TW_NK] = {0};
    for (size_t e = 0; e < r->nevents; e++) {
        const ol_model_event *ev = &r->events[e];
        x->nevents[ev->inst]++;
        if (ev->actor != 0) continue;
        if (ev->action == OL_ACT_THREATEN) {
            x->threatened[ev->inst] = 1;
            if (!x->first_threat) x->first_threat = ev->year;
        }
        if (ev->action == OL_ACT_RENEGOTIATE) x->renegotiated[ev->inst] = 1;
        if (ev->action == OL_ACT_EXIT) {
            any_exit[ev->inst] = 1;
            if (!x->first_exit) x->first_exit = ev->year;
        }
    }
    for (size_t k = 0; k < TW_NK; k++) {
        const ol_model_inst_year *last = &r->inst_years[(r->nyears - 1) * TW_NK + k];
        int in = last->member ? last->action != OL_ACT_EXIT : last->action == OL_ACT_REJOIN;
        x->member_end[k] = last->active && in;
        x->exited[k] = last->active && !in && (last->action == OL_ACT_EXIT || last->action == OL_ACT_STAY_OUT);
        x->kept[k] = x->member_end[k] && !x->threatened[k] && !any_exit[k];
    }
}

static void expect_list(const test_world *tw, const int *flag, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t k = 0; k < TW_NK; k++)
        if (flag[k]) snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", *buf ? ", " : "", tw->inst[k].code);
}

static const char *const FILES[] = {"actor_year.csv", "institution_year.csv", "actions.csv", "metrics.csv",
                                    "summary.json"};

static void test_summary_and_store(void **state)
{
    ol_test_fixture *fx = *state;
    char *out = ol_test_path(fx->dir, "out/sim");
    ol_error err;
    ol_error_clear(&err);
    int64_t id = 0;
    OL_ASSERT_OK(simulate(out, fx->s, 1, 0, 0, &id, &err), &err);
    assert_true(id > 0);
    for (size_t i = 0; i < sizeof FILES / sizeof FILES[0]; i++) assert_true(exists(out, FILES[i]));
    assert_false(exists(out, "scenario.yaml")); /* no scenario given */
    assert_false(exists(out, ".summary.json.tmp"));
    char *sp = ol_test_path(out, "summary.json");
    char *text = ol_test_slurp(sp, NULL);
    cJSON *j = cJSON_Parse(text);
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "scenario"), "name")->valuestring, "test-world");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "scenario"), "hash")->valuestring,
                        "0123456789abcdef");
    assert_int_equal((int)cJSON_GetObjectItem(j, "seed")->valuedouble, 42);
    assert_int_equal((int)cJSON_GetObjectItem(j, "runs")->valuedouble, 1);
    assert_string_equal(cJSON_GetObjectItem(j, "version")->valuestring, ol_version());
    /* the same as the result says (run 0 of seed 42, deterministic) */
    test_world tw;
    test_world_init(&tw, 0.08);
    ol_model_params p = test_world_params();
    ol_model_result *r = NULL;
    OL_ASSERT_OK(ol_model_run(&tw.w, &p, ol_model_seed(42, 0), 0, &r, &err), &err);
    expect x;
    expect_of(r, &x);
    assert_true(x.first_threat && x.first_exit); /* the test world has both */
    assert_int_equal((int)cJSON_GetObjectItem(j, "first_threat_year")->valuedouble, x.first_threat);
    assert_int_equal((int)cJSON_GetObjectItem(j, "first_exit_year")->valuedouble, x.first_exit);
    cJSON *insts = cJSON_GetObjectItem(j, "institutions");
    assert_int_equal(cJSON_GetArraySize(insts), TW_NK);
    for (int k = 0; k < TW_NK; k++) {
        cJSON *in = cJSON_GetArrayItem(insts, k);
        assert_string_equal(cJSON_GetObjectItem(in, "code")->valuestring, tw.inst[k].code);
        const char *fs = cJSON_GetObjectItem(in, "final_status")->valuestring;
        if (x.exited[k]) assert_string_equal(fs, "exited");
        if (x.member_end[k]) assert_string_equal(fs, "member");
        cJSON *acts = cJSON_GetObjectItem(in, "actions");
        assert_int_equal((size_t)cJSON_GetArraySize(acts), x.nevents[k]);
        if (x.threatened[k]) { /* a threat is recorded with the old means "manipulation" */
            int found = 0;
            for (cJSON *a = acts->child; a; a = a->next)
                if (!strcmp(cJSON_GetObjectItem(a, "action")->valuestring, "threaten"))
                    found = !strcmp(cJSON_GetObjectItem(a, "means")->valuestring, "manipulation");
            assert_true(found);
        }
        assert_null(cJSON_GetObjectItem(in, "share_of_runs")); /* one run */
    }
    assert_null(cJSON_GetObjectItem(j, "monte_carlo"));
    cJSON *ren = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "outcomes"), "renegotiated");
    size_t nren = 0;
    for (int k = 0; k < TW_NK; k++) nren += (size_t)x.renegotiated[k];
    assert_int_equal((size_t)cJSON_GetArraySize(ren), nren);
    ol_model_result_free(r);
    cJSON_Delete(j);
    free(text);
    free(sp);

    /* the runs row and its events */
    char buf[256], sql[256];
    assert_int_equal(ol_test_count(fx->s, "runs"), 1);
    snprintf(sql, sizeof sql, "SELECT kind || '|' || status || '|' || scenario || '|' || seed || '|' || "
                              "(finished_at IS NOT NULL) FROM runs WHERE id = %lld", (long long)id);
    assert_string_equal(ol_test_query_text(fx->s, sql, buf, sizeof buf), "simulate|ok|0123456789abcdef|42|1");
    assert_string_equal(ol_test_query_text(fx->s, "SELECT json_extract(params, '$.runs') || '|' || "
                                                  "json_extract(params, '$.scenario_name') FROM runs", buf, sizeof buf),
                        "1|test-world");
    char *ap = ol_test_path(out, "actions.csv");
    char *actions = ol_test_slurp(ap, NULL);
    int64_t lines = -1; /* the header */
    for (const char *c = actions; *c; c++) lines += *c == '\n';
    assert_int_equal(ol_test_count(fx->s, "run_events"), lines);
    /* the first event stored is the first line of actions.csv */
    char f[4][32];
    const char *first = strchr(actions, '\n') + 1;
    assert_int_equal(sscanf(first, "%31[^,],%31[^,],%31[^,],%31[^,]", f[0], f[1], f[2], f[3]), 4);
    char want[128];
    snprintf(want, sizeof want, "%s|%s|", f[2], f[3]);
    snprintf(sql, sizeof sql, "SELECT institution || '|' || action || '|' FROM run_events WHERE run = 0 AND seq = 0");
    assert_string_equal(ol_test_query_text(fx->s, sql, buf, sizeof buf), want);
    free(actions);
    free(ap);

    /* facts for the CLI */
    free(out);
}

static void test_facts(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    test_world tw;
    test_world_init(&tw, 0.08);
    ol_model_params p = test_world_params();
    ol_model_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_model_run(&tw.w, &p, 1, 0, &r, &err), &err);
    ol_simout_meta m = meta_for(1, 0, 0);
    ol_simout *o = NULL;
    OL_ASSERT_OK(ol_simout_open(dir, &tw.w, &m, &o, &err), &err);
    OL_ASSERT_OK(ol_simout_add(o, 0, r, &err), &err);
    ol_simout_facts f;
    char ex[128], th[128], re[128], ke[128];
    ol_simout_facts_get(o, &f, ex, th, re, ke, sizeof ex);
    expect x;
    expect_of(r, &x);
    char want[128];
    assert_int_equal(f.first_threat, x.first_threat);
    assert_int_equal(f.first_exit, x.first_exit);
    expect_list(&tw, x.exited, want, sizeof want);
    assert_string_equal(ex, want);
    expect_list(&tw, x.threatened, want, sizeof want);
    assert_string_equal(th, want);
    expect_list(&tw, x.renegotiated, want, sizeof want);
    assert_string_equal(re, want);
    expect_list(&tw, x.kept, want, sizeof want);
    assert_string_equal(ke, want);
    size_t n = 0;
    for (int k = 0; k < TW_NK; k++) n += (size_t)x.exited[k];
    assert_int_equal(f.nexited, n);
    assert_true(f.nexited + f.nthreatened > 0); /* the test world acts */
    ol_simout_free(o); /* unfinished: its temporary files go */
    assert_false(exists(dir, ".actor_year.csv.tmp"));
    ol_model_result_free(r);
    ol_test_rmtree(dir);
    free(dir);
}

static void test_byte_identical(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    char *a = ol_test_path(dir, "a"), *b = ol_test_path(dir, "b");
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(simulate(a, NULL, 3, 1, 0, NULL, &err), &err);
    OL_ASSERT_OK(simulate(b, NULL, 3, 1, 0, NULL, &err), &err);
    for (size_t i = 0; i < sizeof FILES / sizeof FILES[0]; i++) {
        char *pa = ol_test_path(a, FILES[i]), *pb = ol_test_path(b, FILES[i]);
        char *ta = ol_test_slurp(pa, NULL), *tb = ol_test_slurp(pb, NULL);
        assert_non_null(ta);
        assert_non_null(tb);
        assert_string_equal(ta, tb);
        free(ta); free(tb); free(pa); free(pb);
    }
    free(a);
    free(b);
    ol_test_rmtree(dir);
    free(dir);
}

static void test_monte_carlo(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(simulate(dir, NULL, 20, 1, 2, NULL, &err), &err);
    /* two runs in detail */
    char *mp = ol_test_path(dir, "metrics.csv");
    char *metrics = ol_test_slurp(mp, NULL);
    assert_non_null(strstr(metrics, "\n1,2030,"));
    assert_null(strstr(metrics, "\n2,2000,"));
    char *sp = ol_test_path(dir, "summary.json");
    char *text = ol_test_slurp(sp, NULL);
    cJSON *j = cJSON_Parse(text);
    assert_int_equal((int)cJSON_GetObjectItem(j, "detail_runs")->valuedouble, 2);
    cJSON *mc = cJSON_GetObjectItem(j, "monte_carlo");
    assert_non_null(mc);
    double share = cJSON_GetObjectItem(cJSON_GetObjectItem(mc, "first_exit_year"), "share_of_runs")->valuedouble;
    assert_true(share >= 0 && share <= 1);
    cJSON *fta = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "institutions"), 2);
    cJSON *sh = cJSON_GetObjectItem(fta, "share_of_runs");
    assert_non_null(sh);
    double t = cJSON_GetObjectItem(sh, "threaten")->valuedouble;
    assert_true(t >= 0 && t <= 1 && t * 20 == floor(t * 20));
    cJSON *fs = cJSON_GetObjectItem(fta, "final_status_share");
    double sum = 0;
    for (cJSON *c = fs->child; c; c = c->next) sum += c->valuedouble;
    assert_float_equal(sum, 1.0, 1e-12);
    cJSON_Delete(j);
    free(text); free(sp); free(metrics); free(mp);
    ol_test_rmtree(dir);
    free(dir);
}

static void test_bad_use(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    test_world tw;
    test_world_init(&tw, 0.08);
    ol_model_params p = test_world_params();
    ol_model_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_model_run(&tw.w, &p, 1, 0, &r, &err), &err);
    ol_simout_meta m = meta_for(2, 0, 0);
    ol_simout *o = NULL;
    m.runs = 0;
    assert_int_equal(ol_simout_open(dir, &tw.w, &m, &o, &err), OL_EINVAL);
    m.runs = 2;
    OL_ASSERT_OK(ol_simout_open(dir, &tw.w, &m, &o, &err), &err);
    OL_ASSERT_OK(ol_simout_add(o, 0, r, &err), &err);
    assert_int_equal(ol_simout_add(o, 0, r, &err), OL_EINVAL); /* twice */
    assert_int_equal(ol_simout_add(o, 2, r, &err), OL_EINVAL); /* out of range */
    r->nactors--;
    assert_int_equal(ol_simout_add(o, 1, r, &err), OL_EINVAL); /* not the world's shape */
    r->nactors++;
    assert_int_equal(ol_simout_finish(o, NULL, NULL, NULL, &err), OL_EINVAL); /* run 1 missing */
    ol_simout_free(o);
    ol_model_result_free(r);
    ol_test_rmtree(dir);
    free(dir);
}

/* An output path under a regular file, and a directory removed before the
 * end: OL_EIO, and the store has no run. */
static void test_unwritable(void **state)
{
    ol_test_fixture *fx = *state;
    char *file = ol_test_write(fx->dir, "plain", "x\n");
    char *out = ol_test_path(file, "sim");
    ol_error err;
    ol_error_clear(&err);
    assert_int_equal(simulate(out, fx->s, 1, 0, 0, NULL, &err), OL_EIO);
    assert_int_equal(ol_test_count(fx->s, "runs"), 0);

    test_world tw;
    test_world_init(&tw, 0.08);
    ol_model_params p = test_world_params();
    ol_model_result *r = NULL;
    OL_ASSERT_OK(ol_model_run(&tw.w, &p, 1, 0, &r, &err), &err);
    char *gone = ol_test_path(fx->dir, "gone");
    ol_simout_meta m = meta_for(1, 0, 0);
    ol_simout *o = NULL;
    OL_ASSERT_OK(ol_simout_open(gone, &tw.w, &m, &o, &err), &err);
    OL_ASSERT_OK(ol_simout_add(o, 0, r, &err), &err);
    ol_test_rmtree(gone);
    assert_int_equal(ol_simout_finish(o, NULL, fx->s, NULL, &err), OL_EIO);
    assert_int_equal(ol_test_count(fx->s, "runs"), 0);
    assert_int_equal(ol_test_count(fx->s, "run_events"), 0);
    ol_simout_free(o);
    ol_model_result_free(r);
    free(gone);
    free(out);
    free(file);
}

/* ------------------------------------------------------------ figures */

static void magic(const char *dir, const char *name, const char *prefix)
{
    char *p = ol_test_path(dir, name);
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    char buf[512] = {0};
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    assert_true(n > 4);
    if (!strcmp(prefix, "<svg")) assert_non_null(strstr(buf, "<svg"));
    else assert_memory_equal(buf, prefix, strlen(prefix));
    free(p);
}

static void test_figures(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    test_world tw;
    test_world_init(&tw, 0.08);
    ol_model_params p = test_world_params();
    ol_model_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_model_run(&tw.w, &p, 1, 0, &r, &err), &err);
    ol_simout_meta m = meta_for(1, 0, 0);
    OL_ASSERT_OK(ol_simout_figures(dir, &tw.w, r, &m, 7u, &err), &err);
    magic(dir, "power_ratio.png", "\x89PNG");
    magic(dir, "action_map.png", "\x89PNG");
    magic(dir, "power_ratio.pdf", "%PDF");
    magic(dir, "action_map.pdf", "%PDF");
    magic(dir, "power_ratio.svg", "<svg");
    magic(dir, "action_map.svg", "<svg");
    /* an unwritable directory: an error, no exit */
    char *file = ol_test_write(dir, "plain", "x\n");
    assert_int_equal(ol_simout_figures(file, &tw.w, r, &m, 1u << OL_PLOT_PNG, &err), OL_EIO);
    r->ninst = 9;
    assert_int_equal(ol_simout_figures(dir, &tw.w, r, &m, 1u << OL_PLOT_PNG, &err), OL_EINVAL);
    r->ninst = TW_NK;
    free(file);
    ol_model_result_free(r);
    ol_test_rmtree(dir);
    free(dir);
}

static void test_plot_bad_input(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    char *path = ol_test_path(dir, "f.png");
    ol_error err;
    ol_error_clear(&err);
    static const int years[3] = {2000, 2001, 2002};
    static const double vals[3] = {0.1, 0.2, 0.3};
    double bad[1] = {NAN};
    ol_plot_series line = {"r", years, vals, 3, OL_PLOT_SOLID, 2};
    ol_plot_markset ms = {"Exit", OL_PLOT_TRIANGLE_DOWN, 3, 1, years, bad, NULL};
    ol_plot_band band = {2002, 2001, "backwards"};
    ol_plot_ratio_data rd = {.title = "t", .x_label = "x", .y_label = "y", .series = &line, .nseries = 1,
                             .threshold = 0.5, .marks = &ms, .nmarks = 1};
    assert_int_equal(ol_plot_ratio_figure(&rd, path, OL_PLOT_PNG, &err), OL_EINVAL); /* NaN mark */
    ms.values = vals;
    ms.shape = OL_PLOT_SHAPE_COUNT;
    assert_int_equal(ol_plot_ratio_figure(&rd, path, OL_PLOT_PNG, &err), OL_EINVAL);
    ms.shape = OL_PLOT_CIRCLE;
    rd.bands = &band;
    rd.nbands = 1;
    assert_int_equal(ol_plot_ratio_figure(&rd, path, OL_PLOT_PNG, &err), OL_EINVAL);
    band.from = 2000;
    rd.title = NULL;
    assert_int_equal(ol_plot_ratio_figure(&rd, path, OL_PLOT_PNG, &err), OL_EINVAL);
    rd.title = "t";
    assert_int_equal(ol_plot_ratio_figure(NULL, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_int_equal(ol_plot_ratio_figure(&rd, path, OL_PLOT_FORMAT_COUNT, &err), OL_EUNSUPPORTED);
    assert_int_equal(ol_plot_ratio_figure(&rd, "/nonexistent-dir/f.png", OL_PLOT_PNG, &err), OL_EIO);
    OL_ASSERT_OK(ol_plot_ratio_figure(&rd, path, OL_PLOT_PNG, &err), &err);

    const char *rows[2] = {"A", "B"};
    int cells[4] = {0, 1, -1, 2};
    ol_plot_category cats[2] = {{"one", 0xFF0000}, {"two", 0x00FF00}};
    ol_plot_grid_data gd = {.title = "t", .x_label = "x", .y_label = "y", .nrows = 2, .row_labels = rows,
                            .year0 = 2000, .ncols = 2, .cells = cells, .categories = cats, .ncategories = 2};
    assert_int_equal(ol_plot_grid_figure(&gd, path, OL_PLOT_PNG, &err), OL_EINVAL); /* category 2 of 2 */
    cells[3] = 1;
    cats[1].label = NULL;
    assert_int_equal(ol_plot_grid_figure(&gd, path, OL_PLOT_PNG, &err), OL_EINVAL);
    cats[1].label = "two";
    gd.nrows = 0;
    assert_int_equal(ol_plot_grid_figure(&gd, path, OL_PLOT_PNG, &err), OL_EINVAL);
    gd.nrows = 2;
    assert_int_equal(ol_plot_grid_figure(&gd, "/nonexistent-dir/f.png", OL_PLOT_PNG, &err), OL_EIO);
    OL_ASSERT_OK(ol_plot_grid_figure(&gd, path, OL_PLOT_SVG, &err), &err);
    free(path);
    ol_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_lines),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_bad_shape),
        cmocka_unit_test_setup_teardown(test_summary_and_store, ol_test_setup, ol_test_teardown),
        cmocka_unit_test(test_facts),
        cmocka_unit_test(test_byte_identical),
        cmocka_unit_test(test_monte_carlo),
        cmocka_unit_test(test_bad_use),
        cmocka_unit_test_setup_teardown(test_unwritable, ol_test_setup, ol_test_teardown),
        cmocka_unit_test(test_figures),
        cmocka_unit_test(test_plot_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
