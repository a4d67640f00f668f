/* Benchmark of the model library on a world of the default scenario's size
 * (15 actors, the rest of the world as 179 states; 16 institutions, two of
 * them weighted votes over 190 members, one a veto council), 1990–2030:
 * the first run (power indices computed), later deterministic runs (indices
 * from the cache) and stochastic runs per second on one core.  The world is
 * synthetic (plausible magnitudes, not the calibrated default): it measures
 * time, not outcomes.  Usage: bench_model [stochastic runs, default 10000]. */
#include "orderlab/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { NA = 15, NK = 16, T0 = 1990, T1 = 2030, NDATA = 34 };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    long runs = argc > 1 ? atol(argv[1]) : 10000;
    static const char *codes[NA] = {"USA", "CHN", "JPN", "KOR", "CAN", "MEX", "GBR", "DEU",
                                    "FRA", "AUS", "IND", "BRA", "RUS", "ZAF", "ROW"};
    static const ol_model_role roles[NA] = {
        OL_ROLE_HEGEMON, OL_ROLE_CHALLENGER, OL_ROLE_ALLY, OL_ROLE_ALLY, OL_ROLE_ALLY,
        OL_ROLE_ALLY, OL_ROLE_ALLY, OL_ROLE_ALLY, OL_ROLE_ALLY, OL_ROLE_ALLY,
        OL_ROLE_EMERGING, OL_ROLE_EMERGING, OL_ROLE_EMERGING, OL_ROLE_EMERGING, OL_ROLE_OTHER};
    /* GDP 1990, US$ bn, and growth per year of the synthetic series */
    static const double p0[NA] = {5963, 361, 3133, 283, 594, 261, 1093, 1772, 1269, 311, 321, 462, 517, 115, 5600};
    static const double g[NA] = {0.045, 0.12, 0.005, 0.06, 0.04, 0.045, 0.035, 0.03, 0.03, 0.05, 0.08, 0.05, 0.04, 0.04, 0.05};
    static const double vote[NA] = {16.5, 6.1, 6.1, 1.7, 2.2, 1.8, 4.0, 5.3, 4.0, 1.3, 2.6, 2.2, 2.6, 0.6, 43.0};
    static double power[NA][NDATA], surplus[NA][NDATA];
    ol_model_actor actors[NA];
    memset(actors, 0, sizeof actors);
    for (int i = 0; i < NA; i++) {
        double x = p0[i] * 1e9;
        for (int y = 0; y < NDATA; y++, x *= 1 + g[i]) {
            power[i][y] = x;
            surplus[i][y] = i == 0 ? 0 : 0.01 * x * (i == 1 ? 3 : 1);
        }
        snprintf(actors[i].code, sizeof actors[i].code, "%s", codes[i]);
        actors[i].role = roles[i];
        actors[i].seats = i == NA - 1 ? 179 : 1;
        actors[i].power = power[i];
        actors[i].npower = NDATA;
        actors[i].growth = g[i] * 0.6;
        actors[i].surplus = surplus[i];
        actors[i].nsurplus = NDATA;
        actors[i].dependence = roles[i] == OL_ROLE_ALLY ? 0.7 : 0.3;
        actors[i].alignment = roles[i] == OL_ROLE_ALLY ? 0.7 : 0.3;
        actors[i].outside = roles[i] == OL_ROLE_ALLY ? 0.2 : 0.5;
    }
    /* members: all actors (universal bodies) or a list, each with votes and cost shares */
    static ol_model_member mem[NK][NA];
    ol_model_institution inst[NK];
    memset(inst, 0, sizeof inst);
    struct spec {
        const char *code;
        ol_model_domain d;
        ol_model_rule rule;
        double quota, budget;
        int founded, j, u, v;
        const char *members; /* "" = universal; else actor indices as letters a.. */
        uint32_t row_seats;
    } specs[NK] = {
        {"UN", OL_DOMAIN_COMPREHENSIVE, OL_RULE_VETO_COUNCIL, 0.6, 9.5e9, 1945, 1, 1, 0, "", 179},
        {"IMF", OL_DOMAIN_GOVERNANCE, OL_RULE_WEIGHTED, 0.85, 1.2e9, 1945, 0, 0, 1, "", 176},
        {"WB", OL_DOMAIN_GOVERNANCE, OL_RULE_WEIGHTED, 0.85, 2.5e9, 1945, 0, 0, 0, "", 175},
        {"WTO", OL_DOMAIN_TRADE, OL_RULE_CONSENSUS, 0, 0.2e9, 1995, 1, 0, 0, "", 150},
        {"WHO", OL_DOMAIN_GOVERNANCE, OL_RULE_MAJORITY, 0.5, 2.5e9, 1948, 0, 1, 1, "", 180},
        {"NATO", OL_DOMAIN_SECURITY, OL_RULE_CONSENSUS, 0, 3e9, 1949, 0, 0, 0, "aeghi", 24},
        {"UNFCCC", OL_DOMAIN_GOVERNANCE, OL_RULE_CONSENSUS, 0, 1e10, 1994, 0, 1, 1, "", 183},
        {"UNESCO", OL_DOMAIN_GOVERNANCE, OL_RULE_MAJORITY, 0.5, 0.35e9, 1945, 0, 1, 0, "", 180},
        {"UNHRC", OL_DOMAIN_GOVERNANCE, OL_RULE_MAJORITY, 0.5, 0.1e9, 2006, 1, 1, 0, "", 40},
        {"UPU", OL_DOMAIN_TRADE, OL_RULE_MAJORITY, 0.5, 0.04e9, 1874, 0, 0, 0, "", 179},
        {"NAFTA", OL_DOMAIN_TRADE, OL_RULE_CONSENSUS, 0, 0.01e9, 1994, 1, 0, 0, "aef", 0},
        {"KORUS", OL_DOMAIN_TRADE, OL_RULE_CONSENSUS, 0, 0.005e9, 2012, 0, 0, 0, "ad", 0},
        {"TPP", OL_DOMAIN_TRADE, OL_RULE_CONSENSUS, 0, 0.01e9, 2016, 1, 0, 0, "acefj", 7},
        {"TTIP", OL_DOMAIN_TRADE, OL_RULE_CONSENSUS, 0, 0.01e9, 2014, 1, 0, 0, "aghi", 25},
        {"JCPOA", OL_DOMAIN_SECURITY, OL_RULE_CONSENSUS, 0, 0.05e9, 2015, 0, 0, 1, "abghim", 1},
        {"ICJ", OL_DOMAIN_GOVERNANCE, OL_RULE_MAJORITY, 0.5, 0.03e9, 1946, 1, 0, 0, "", 179},
    };
    for (int k = 0; k < NK; k++) {
        size_t n = 0;
        for (int i = 0; i < NA; i++) {
            int in = specs[k].members[0] == 0 || strchr(specs[k].members, 'a' + i) != NULL;
            if (i == NA - 1) in = specs[k].row_seats > 0;
            if (!in) continue;
            int perm = i == 0 || i == 1 || i == 6 || i == 8 || i == 12;
            mem[k][n++] = (ol_model_member){.actor = (size_t)i, .from = specs[k].founded,
                                            .seats = i == NA - 1 ? specs[k].row_seats : 0,
                                            .votes = vote[i], .veto = specs[k].rule == OL_RULE_VETO_COUNCIL && perm,
                                            .cost_share = vote[i]};
        }
        inst[k] = (ol_model_institution){.domain = specs[k].d, .market_access = specs[k].d == OL_DOMAIN_TRADE, .rule = specs[k].rule, .quota = specs[k].quota,
                                         .council = 15, .founded = specs[k].founded, .budget = specs[k].budget,
                                         .jurisdiction = specs[k].j, .censure = specs[k].u,
                                         .verification = specs[k].v, .nmembers = n, .members = mem[k]};
        snprintf(inst[k].code, sizeof inst[k].code, "%s", specs[k].code);
        inst[k].form = n == 2 ? OL_FORM_BILATERAL : OL_FORM_MULTILATERAL;
    }
    ol_model_leader leaders[3] = {{"A", 1990, 1.0, 1.0}, {"B", 2017, 1.5, 0.3}, {"C", 2021, 0.8, 2.0}};
    ol_model_world w = {.t0 = T0, .t1 = T1, .nactors = NA, .actors = actors, .ninst = NK, .inst = inst,
                        .nleaders = 3, .leaders = leaders, .nstates = 193};
    ol_model_params p;
    ol_model_params_default(&p);

    ol_error err;
    ol_model_sim *sim = NULL;
    ol_model_result *r = NULL;
    double t = now();
    if (ol_model_sim_new(&w, &p, &sim, &err) != OL_OK) {
        fprintf(stderr, "bench_model: %s\n", err.message);
        return 1;
    }
    double t_new = now() - t;
    t = now();
    if (ol_model_sim_run(sim, 1, 0, &r, &err) != OL_OK) {
        fprintf(stderr, "bench_model: %s\n", err.message);
        return 1;
    }
    double t_first = now() - t;
    int reps = 1000;
    t = now();
    for (int k = 0; k < reps; k++) ol_model_sim_run(sim, 1, 0, &r, &err);
    double t_det = (now() - t) / reps;
    size_t events_det = r->nevents;
    t = now();
    size_t events = 0;
    for (long k = 0; k < runs; k++) {
        if (ol_model_sim_run(sim, ol_model_seed(1, (uint64_t)k), 1, &r, &err) != OL_OK) {
            fprintf(stderr, "bench_model: %s\n", err.message);
            return 1;
        }
        events += r->nevents;
    }
    double t_sto = now() - t;
    /* the same from scratch each time (world checked, no cache) */
    ol_model_result *r2 = NULL;
    t = now();
    for (int k = 0; k < 20; k++) ol_model_run(&w, &p, 1, 0, &r2, &err);
    double t_cold = (now() - t) / 20;
    printf("model benchmark: %d actors, %d institutions, %d years\n", NA, NK, T1 - T0 + 1);
    printf("  prepare (ol_model_sim_new):          %9.3f ms\n", t_new * 1e3);
    printf("  first deterministic run (indices):   %9.3f ms\n", t_first * 1e3);
    printf("  deterministic run (cached indices):  %9.3f ms  (%zu events)\n", t_det * 1e3, events_det);
    printf("  cold ol_model_run (new sim each):    %9.3f ms\n", t_cold * 1e3);
    printf("  stochastic runs: %ld in %.3f s = %.0f runs/s on one core (%.1f events/run)\n", runs, t_sto,
           runs / t_sto, (double)events / (double)runs);
    ol_model_result_free(r);
    ol_model_result_free(r2);
    ol_model_sim_free(sim);
    return 0;
}
