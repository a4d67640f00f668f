/*
 * bench_import_votes — the whole-process time of importing the UN General
 * Assembly votes (unvotes un_votes.csv, 870,109 rows) with orderlab, against
 * the sqlite3 shell's `.import --csv` of the same file into a bare table.
 *
 *   bench_import_votes [REPETITIONS [WORKDIR]]
 *
 * Each repetition, interleaved so that both sides see the same machine load:
 *   1. a fresh orderlab store gets the roll calls (un_roll_calls.csv; timed
 *      on its own, the votes need them), then the timed figure:
 *        orderlab --db store.db import -q unvotes-votes un_votes.csv
 *      i.e. fork/exec to waitpid, with store opening, the crosswalk, the
 *      validation of every row, the indexes and the commit;
 *   2. a fresh file gets   sqlite3 bare.db ".import --csv un_votes.csv votes"
 *      (the shell creates an untyped table from the header).
 * Prints the medians, rows per second, the ratio and the project's target
 * (votes import <= 1.5 x the sqlite3 shell).  It asserts nothing about time:
 * it exits 0 whatever the figures, 1 only when a child process fails.
 *
 * The data directory is ORDERLAB_SHARED_DATA when set, else the one CMake
 * was configured with; the CLI is the one built with this program.
 */
#include "orderlab/orderlab.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The project's performance target (issue spec section 9). */
static const double TARGET_RATIO = 1.5;
enum { DEFAULT_REPS = 5, MAX_REPS = 100 };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv (stdout to /dev/null) and returns the wall time in seconds, or
 * a negative number when the child fails. */
static double run_timed(char *const argv[])
{
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return -1; }
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) { dup2(fd, STDOUT_FILENO); close(fd); }
        execvp(argv[0], argv);
        fprintf(stderr, "bench_import_votes: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) { perror("waitpid"); return -1; }
    double t = now() - t0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_import_votes: %s %s failed (status %d)\n", argv[0], argv[1] ? argv[1] : "",
                WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return -1;
    }
    return t;
}

static void remove_store(const char *path)
{
    char p[4096];
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double vmin(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++) if (v[i] < m) m = v[i];
    return m;
}

/* Rows of a table in a database file (the sanity check), or -1. */
static int64_t count_rows(const char *db, const char *table)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : DEFAULT_REPS;
    if (reps < 1 || reps > MAX_REPS) {
        fprintf(stderr, "usage: bench_import_votes [REPETITIONS (1-%d) [WORKDIR]]\n", MAX_REPS);
        return 2;
    }
    const char *data = getenv("ORDERLAB_SHARED_DATA");
    if (!data || !*data) data = OL_BENCH_SHARED_DATA;
    char votes[4096], rollcalls[4096];
    snprintf(votes, sizeof votes, "%s/unvotes/un_votes.csv", data);
    snprintf(rollcalls, sizeof rollcalls, "%s/unvotes/un_roll_calls.csv", data);
    struct stat sb;
    if (stat(votes, &sb) != 0 || stat(rollcalls, &sb) != 0) {
        fprintf(stderr, "bench_import_votes: staged data not found under %s\n", data);
        return 1;
    }
    stat(votes, &sb);

    char tmpl[] = "/tmp/ol_bench_votes_XXXXXX";
    const char *dir = argc > 2 ? argv[2] : mkdtemp(tmpl);
    if (!dir) { perror("mkdtemp"); return 1; }
    char store[4096], bare[4096], import_cmd[8192];
    snprintf(store, sizeof store, "%s/store.db", dir);
    snprintf(bare, sizeof bare, "%s/bare.db", dir);
    snprintf(import_cmd, sizeof import_cmd, ".import --csv %s votes", votes);

    char *rc_argv[] = {(char *)OL_BENCH_CLI, "--db", store, "import", "-q", "unvotes-rollcalls", rollcalls, NULL};
    char *v_argv[] = {(char *)OL_BENCH_CLI, "--db", store, "import", "-q", "unvotes-votes", votes, NULL};
    char *sq_argv[] = {"sqlite3", bare, import_cmd, NULL};

    printf("UNGA votes import: %s (%.1f MB)\n", votes, (double)sb.st_size / 1e6);
    printf("orderlab: %s\nsqlite3 shell from PATH; library SQLite %s; %d repetitions in %s\n\n", OL_BENCH_CLI,
           sqlite3_libversion(), reps, dir);

    double t_rc[MAX_REPS], t_votes[MAX_REPS], t_chain[MAX_REPS], t_sqlite[MAX_REPS];
    for (int i = 0; i < reps; i++) {
        remove_store(store);
        if ((t_rc[i] = run_timed(rc_argv)) < 0) return 1;
        if ((t_votes[i] = run_timed(v_argv)) < 0) return 1;
        t_chain[i] = t_rc[i] + t_votes[i];
        remove_store(bare);
        if ((t_sqlite[i] = run_timed(sq_argv)) < 0) return 1;
        printf("  run %d: orderlab roll calls %.3f s + votes %.3f s; sqlite3 .import %.3f s\n", i + 1, t_rc[i],
               t_votes[i], t_sqlite[i]);
    }
    int64_t n_ol = count_rows(store, "votes"), n_sq = count_rows(bare, "votes");
    double best_v = vmin(t_votes, reps), best_s = vmin(t_sqlite, reps);
    double m_rc = median(t_rc, reps), m_v = median(t_votes, reps), m_c = median(t_chain, reps);
    double m_s = median(t_sqlite, reps);
    double rows = n_ol > 0 ? (double)n_ol : 0;
    printf("\nrows stored: orderlab %lld, sqlite3 %lld\n", (long long)n_ol, (long long)n_sq);
    printf("median wall time (whole process):\n");
    printf("  orderlab import unvotes-votes    %.3f s  %9.0f rows/s   (the timed figure; min %.3f s)\n", m_v,
           rows / m_v, best_v);
    printf("  sqlite3 .import --csv (bare)     %.3f s  %9.0f rows/s   (min %.3f s)\n", m_s, rows / m_s, best_s);
    printf("  orderlab roll calls (not timed)  %.3f s\n", m_rc);
    printf("  orderlab chain, roll calls+votes %.3f s\n", m_c);
    double ratio = m_v / m_s;
    printf("ratio votes/sqlite3: %.2f (target <= %.1f: %s)\n", ratio, TARGET_RATIO,
           ratio <= TARGET_RATIO ? "met" : "NOT met");
    printf("ratio chain/sqlite3: %.2f\n", m_c / m_s);
    if (argc <= 2) {
        remove_store(store);
        remove_store(bare);
        rmdir(dir);
    }
    return 0;
}
