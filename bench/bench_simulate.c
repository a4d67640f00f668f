/*
 * bench_simulate — the model's speed against the targets of issue 3 §8:
 * one run of the default scenario in at most 1 ms of model time, and at
 * least 5,000 stochastic runs per second per core.
 *
 *   bench_simulate [REPETITIONS [STOCHASTIC_RUNS]]
 *
 * Figures:
 *  1. one deterministic run: ol_model_sim_run repeated REPETITIONS times
 *     (default 2,000) on one prepared simulation (its cache of power indices
 *     warm after the first run, as in a Monte Carlo); the median, and the
 *     first (cold) run including ol_model_sim_new;
 *  2. STOCHASTIC_RUNS (default 10,000) stochastic runs in this process, one
 *     thread: runs per second per core;
 *  3. the whole-process time of
 *       orderlab simulate --runs STOCHASTIC_RUNS --stochastic --out DIR
 *     (fork/exec to waitpid: scenario, world, runs, outputs, figures, store),
 *     when the CLI built with this program has the simulate command.
 *
 * The world is the built-in default scenario's (ol_scenario_default and
 * ol_simulate_world_new without a store: the built-in facts), with its
 * parameters (ol_scenario_model_params); the stochastic runs use the logit
 * choice.  It asserts nothing about time: it exits 0 whatever the figures,
 * 1 when a run fails.
 */
#include "orderlab/orderlab.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The targets of issue 3 §8. */
static const double TARGET_RUN_MS = 1.0, TARGET_RUNS_PER_S = 5000.0;
enum { DEFAULT_REPS = 2000, DEFAULT_STOCH = 10000 };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* ------------------------------------------------------------ the CLI */

/* The whole-process time of argv (output to /dev/null), or < 0 on failure. */
static double run_timed(char *const argv[])
{
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) { dup2(fd, STDOUT_FILENO); dup2(fd, STDERR_FILENO); close(fd); }
        execv(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    double t = now() - t0;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? t : -1;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : DEFAULT_REPS;
    int nstoch = argc > 2 ? atoi(argv[2]) : DEFAULT_STOCH;
    if (reps < 1 || nstoch < 1) {
        fprintf(stderr, "usage: bench_simulate [REPETITIONS [STOCHASTIC_RUNS]]\n");
        return 2;
    }
    ol_error err;
    ol_error_clear(&err);
    char msg[2048];
    ol_scenario *sc = NULL;
    ol_simulate_world *sw = NULL;
    ol_status st = ol_scenario_default(NULL, &sc, &err);
    if (!st) st = ol_simulate_world_new(NULL, sc, &sw, &err);
    if (st) {
        ol_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "bench_simulate: the default scenario: %s\n", msg);
        return 1;
    }
    const ol_model_world *w = ol_simulate_world_model(sw);
    ol_model_params p;
    ol_scenario_model_params(sc, &p);

    /* 1. one deterministic run */
    double t = now();
    ol_model_sim *sim = NULL;
    ol_model_result *r = NULL;
    st = ol_model_sim_new(w, &p, &sim, &err);
    if (!st) st = ol_model_sim_run(sim, 1, 0, &r, &err);
    double cold = now() - t;
    double *times = malloc((size_t)reps * sizeof *times);
    if (!times) return 1;
    for (int i = 0; i < reps && !st; i++) {
        t = now();
        st = ol_model_sim_run(sim, 1, 0, &r, &err);
        times[i] = now() - t;
    }
    if (st) {
        ol_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "bench_simulate: %s\n", msg);
        return 1;
    }
    size_t threats = 0, exits = 0;
    for (size_t e = 0; e < r->nevents; e++) {
        threats += r->events[e].action == OL_ACT_THREATEN;
        exits += r->events[e].action == OL_ACT_EXIT;
    }
    qsort(times, (size_t)reps, sizeof *times, cmp_double);
    double med = reps % 2 ? times[reps / 2] : (times[reps / 2 - 1] + times[reps / 2]) / 2;
    printf("world: the default scenario, %zu actors, %zu institutions, %d years\n", w->nactors, w->ninst,
           w->t1 - w->t0 + 1);
    printf("deterministic run: %zu events (%zu threats, %zu exits)\n", r->nevents, threats, exits);
    printf("one run, model time:  median %.3f ms over %d runs (min %.3f, max %.3f); first run with "
           "ol_model_sim_new %.3f ms   target <= %.1f ms: %s\n",
           med * 1e3, reps, times[0] * 1e3, times[reps - 1] * 1e3, cold * 1e3, TARGET_RUN_MS,
           med * 1e3 <= TARGET_RUN_MS ? "met" : "NOT met");

    /* 2. stochastic runs in process, one core */
    t = now();
    for (int i = 0; i < nstoch && !st; i++) st = ol_model_sim_run(sim, ol_model_seed((uint64_t)sc->params.seed, (uint64_t)i), 1, &r, &err);
    double dt = now() - t;
    if (st) {
        ol_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "bench_simulate: %s\n", msg);
        return 1;
    }
    double rate = nstoch / dt;
    printf("%d stochastic runs in process: %.3f s, %.0f runs/s per core   target >= %.0f: %s\n", nstoch, dt, rate,
           TARGET_RUNS_PER_S, rate >= TARGET_RUNS_PER_S ? "met" : "NOT met");
    ol_model_result_free(r);
    ol_model_sim_free(sim);
    ol_simulate_world_free(sw);
    ol_scenario_free(sc);
    free(times);

    /* 3. the whole process */
    char tmpl[] = "/tmp/ol_bench_sim_XXXXXX";
    const char *dir = mkdtemp(tmpl);
    char cli[4096], runs[32], out[4200], db[4200];
    snprintf(cli, sizeof cli, "%s", OL_BENCH_CLI);
    snprintf(runs, sizeof runs, "%d", nstoch);
    snprintf(out, sizeof out, "%s/out", dir ? dir : "/tmp");
    snprintf(db, sizeof db, "%s/bench.db", dir ? dir : "/tmp");
    char *help[] = {cli, "simulate", "--help", NULL};
    if (!dir || run_timed(help) < 0) {
        printf("whole process: `orderlab simulate` does not run in this build; not measured\n");
    } else {
        char *args[] = {cli, "--db", db, "-q", "simulate", "--runs", runs, "--stochastic", "--out", out, NULL};
        double wt = run_timed(args);
        if (wt < 0) printf("whole process: orderlab simulate failed\n");
        else printf("whole process: orderlab simulate --runs %d --stochastic: %.3f s (%.0f runs/s including "
                    "start-up, outputs, figures and the store)\n", nstoch, wt, nstoch / wt);
    }
    if (dir) {
        char rm[4300];
        snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
        if (system(rm) != 0) fprintf(stderr, "bench_simulate: could not remove %s\n", dir);
    }
    return 0;
}
