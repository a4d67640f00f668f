/*
 * bench_sweep — the sweep engine against the targets of issue 5 §6: runs
 * per second on 1 thread, 2 threads and 2 MPI ranks, parallel efficiency
 * >= 90 % on a two-core machine, and memory flat in the number of runs.
 *
 *   bench_sweep [RUNS]            (default 100,000)
 *
 * The sweep is a Monte Carlo of the built-in default scenario, stochastic
 * (logit choices): one point (threshold.tau set to its default, 2/3) with
 * RUNS replicates, each its own seed.  Each figure is the whole process of
 *     orderlab sweep DESIGN --out DIR --threads T --format none
 * (fork/exec to wait4: world, manifest, runs, merge, report, store), and
 *     mpirun -n 2 orderlab sweep ... --out DIR
 * when mpirun is installed (its start-up, about 0.3 s, included).  Parallel
 * efficiency is T(1 thread) / (2 × T(2 workers)).  Memory: the peak
 * resident set (wait4's ru_maxrss, over the process and the ranks) of the
 * 1-thread sweep of RUNS / 10 runs against that of RUNS runs.  The three
 * runs.csv are compared: they must be byte-identical.  The CPU time (user
 * + system, of the process and the ranks) beside each wall time tells
 * contention from overhead: equal CPU and a longer wall time mean that
 * another program had the cores.
 *
 * Other engineers share the machine's two cores: run it when it is quiet,
 * and read the figures with the load average it prints.  It asserts nothing
 * about time: it exits 0 whatever the figures, 1 when a sweep fails or the
 * outputs differ.
 */
#include "orderlab/orderlab.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The targets of issue 5 §6. */
static const double TARGET_EFFICIENCY = 0.90;
enum { DEFAULT_RUNS = 100000 };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) of the last process run_timed waited for. */
static double last_cpu;

/* Runs argv (output to /dev/null); the wall time, or < 0 on failure; the
 * peak resident set in KiB into *rss_kb. */
static double run_timed(char *const argv[], long *rss_kb)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
            close(fd);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (wait4(pid, &status, 0, &ru) < 0)
        if (errno != EINTR) return -1;
    double t = now() - t0;
    if (rss_kb) *rss_kb = ru.ru_maxrss;
    last_cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
               ru.ru_stime.tv_usec / 1e6;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? t : -1;
}

static int same_file(const char *a, const char *b)
{
    FILE *x = fopen(a, "rb"), *y = fopen(b, "rb");
    int same = x && y;
    while (same) {
        int c = fgetc(x), d = fgetc(y);
        if (c != d) same = 0;
        if (c == EOF || d == EOF) break;
    }
    if (x) fclose(x);
    if (y) fclose(y);
    return same;
}

static int write_design(const char *path, long runs)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fprintf(f,
            "name: bench-monte-carlo\n"
            "design: grid\n"
            "replicates: %ld\n"
            "seed: 20181017\n"
            "stochastic: true\n"
            "parameters:\n"
            "  - {key: threshold.tau, levels: [2/3]}\n",
            runs);
    return fclose(f);
}

int main(int argc, char **argv)
{
    long runs = argc > 1 ? atol(argv[1]) : DEFAULT_RUNS;
    if (runs < 10) {
        fprintf(stderr, "usage: bench_sweep [RUNS >= 10]\n");
        return 2;
    }
    char tmpl[] = "/tmp/ol_bench_sweep_XXXXXX";
    const char *dir = mkdtemp(tmpl);
    if (!dir) {
        perror("bench_sweep: mkdtemp");
        return 1;
    }
    char cli[4096], db[4200], big[4200], small[4200], out[4][4200], nthreads[8];
    snprintf(cli, sizeof cli, "%s", OL_BENCH_CLI);
    snprintf(db, sizeof db, "%s/bench.db", dir);
    snprintf(big, sizeof big, "%s/big.yaml", dir);
    snprintf(small, sizeof small, "%s/small.yaml", dir);
    const char *names[4] = {"t1", "t2", "mpi", "small"};
    for (int i = 0; i < 4; i++) snprintf(out[i], sizeof out[i], "%s/%s", dir, names[i]);
    if (write_design(big, runs) || write_design(small, runs / 10)) {
        fprintf(stderr, "bench_sweep: cannot write the designs in %s\n", dir);
        return 1;
    }
    /* OpenMPI refuses root without these; oversubscription lets 2 ranks start on a busy machine */
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 0);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 0);
    setenv("OMPI_MCA_rmaps_base_oversubscribe", "1", 0);
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) < 0) load[0] = -1;
    printf("sweep: %ld stochastic runs of the default scenario (one point, %ld replicates), whole process\n", runs,
           runs);
    printf("machine: %ld cores online, load average %.2f before\n", sysconf(_SC_NPROCESSORS_ONLN), load[0]);

    int rc = 0;
    long rss[4] = {0, 0, 0, 0};
    double t[4] = {-1, -1, -1, -1};
    /* a first, small sweep creates the store, so that no figure pays for it */
    snprintf(nthreads, sizeof nthreads, "1");
    char *make[] = {cli, "--db", db, "-q", "sweep", small, "--out", out[3], "--threads", nthreads, "--format", "none", NULL};
    if (run_timed(make, NULL) < 0) {
        fprintf(stderr, "bench_sweep: orderlab sweep failed (does this build have it?)\n");
        return 1;
    }
    char rmsmall[4300];
    snprintf(rmsmall, sizeof rmsmall, "rm -rf '%s'", out[3]);
    if (system(rmsmall) != 0) return 1;

    for (int i = 0; i < 2; i++) {
        snprintf(nthreads, sizeof nthreads, "%d", i + 1);
        char *args[] = {cli, "--db", db, "-q", "sweep", big, "--out", out[i], "--threads", nthreads, "--format", "none", NULL};
        t[i] = run_timed(args, &rss[i]);
        if (t[i] < 0) {
            fprintf(stderr, "bench_sweep: the sweep on %d thread(s) failed\n", i + 1);
            return 1;
        }
        printf("%d thread%s:   %7.2f s  %8.0f runs/s  CPU %7.2f s  peak RSS %6.1f MiB\n", i + 1, i ? "s" : " ", t[i],
               runs / t[i], last_cpu, rss[i] / 1024.0);
    }
    char *probe[] = {"mpirun", "--version", NULL};
    if (run_timed(probe, NULL) < 0) {
        printf("2 MPI ranks: mpirun not installed; not measured\n");
    } else {
        char *args[] = {"mpirun", "-n", "2", cli, "--db", db, "-q", "sweep", big, "--out", out[2], "--format", "none", NULL};
        t[2] = run_timed(args, &rss[2]);
        if (t[2] < 0) {
            fprintf(stderr, "bench_sweep: the sweep on 2 MPI ranks failed\n");
            return 1;
        }
        printf("2 MPI ranks: %7.2f s  %8.0f runs/s  CPU %7.2f s  peak RSS %6.1f MiB (largest of mpirun and the "
               "ranks)\n", t[2], runs / t[2], last_cpu, rss[2] / 1024.0);
    }
    double e2 = t[0] / (2 * t[1]);
    printf("parallel efficiency, 2 threads: %.1f %%   target >= %.0f %%: %s\n", 100 * e2, 100 * TARGET_EFFICIENCY,
           e2 >= TARGET_EFFICIENCY ? "met" : "NOT met");
    if (t[2] > 0) {
        double em = t[0] / (2 * t[2]);
        printf("parallel efficiency, 2 ranks:   %.1f %%   target >= %.0f %%: %s\n", 100 * em, 100 * TARGET_EFFICIENCY,
               em >= TARGET_EFFICIENCY ? "met" : "NOT met");
    }

    /* memory against the number of runs, one thread */
    char *args[] = {cli, "--db", db, "-q", "sweep", small, "--out", out[3], "--threads", "1", "--format", "none", NULL};
    t[3] = run_timed(args, &rss[3]);
    if (t[3] < 0) {
        fprintf(stderr, "bench_sweep: the small sweep failed\n");
        return 1;
    }
    printf("memory: peak RSS %.1f MiB at %ld runs, %.1f MiB at %ld runs (x %.2f for x 10 runs)\n", rss[3] / 1024.0,
           runs / 10, rss[0] / 1024.0, runs, (double)rss[0] / (double)rss[3]);

    /* the outputs agree */
    for (int i = 1; i < 3; i++) {
        if (t[i] < 0) continue;
        char a[4300], b[4300];
        snprintf(a, sizeof a, "%s/runs.csv", out[0]);
        snprintf(b, sizeof b, "%s/runs.csv", out[i]);
        if (!same_file(a, b)) {
            printf("runs.csv of %s differs from 1 thread's\n", names[i]);
            rc = 1;
        }
    }
    if (!rc) printf("runs.csv: byte-identical on 1 thread, 2 threads%s\n", t[2] > 0 ? " and 2 ranks" : "");
    if (getloadavg(load, 3) >= 0) printf("load average %.2f after\n", load[0]);
    char rm[4300];
    snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
    if (system(rm) != 0) fprintf(stderr, "bench_sweep: could not remove %s\n", dir);
    return rc;
}
