/*
 * bench_affinity — the time of computing every country's agreement with the
 * USA (ol_affinity_compute) on the full Voeten votes (870,109 votes, 6,203
 * roll calls), against the same identical-vote counts written as one SQL
 * self-join in SQLite.
 *
 *   bench_affinity [REPETITIONS [WORKDIR]]
 *
 * Imports the staged roll calls and votes into a fresh store in WORKDIR
 * (default: a temporary directory, removed afterwards), then times, each
 * repetition: ol_affinity_compute by year, by session, and the SQL query.
 * Prints the medians and the project's target (all countries against one
 * reference well under a second).  It asserts nothing about time: it exits 0
 * whatever the figures, 1 only when a step fails.
 *
 * The data directory is ORDERLAB_SHARED_DATA when set, else the one CMake
 * was configured with.
 */
#include "orderlab/orderlab.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The target of issue 4: all countries against one reference, in seconds. */
static const double TARGET_SECONDS = 1.0;
enum { DEFAULT_REPS = 7, MAX_REPS = 100 };

/* The identical-vote counts per country and year, unanimous roll calls left
 * out, as SQL: the query a user would write without the module. */
static const char SQL_EQUIVALENT[] =
    "WITH rc AS (SELECT rcid FROM votes GROUP BY rcid HAVING min(vote) <> max(vote)), "
    "us AS (SELECT v.rcid, v.vote, r.year FROM votes v JOIN rc USING (rcid) JOIN roll_calls r USING (rcid) "
    "       WHERE v.country = 'USA') "
    "SELECT v.country, us.year, count(*), avg(v.vote = us.vote) FROM votes v JOIN us USING (rcid) "
    "WHERE v.country <> 'USA' GROUP BY v.country, us.year";

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

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int fail(const char *doing, const ol_error *err)
{
    char buf[2048];
    ol_error_format(err, buf, sizeof buf);
    fprintf(stderr, "bench_affinity: %s: %s\n", doing, buf);
    return 1;
}

static int import(ol_store *s, const char *data, const char *kind, const char *file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/unvotes/%s", data, file);
    ol_import_options opt;
    ol_import_options_init(&opt);
    ol_import_summary sum;
    ol_error err;
    ol_error_clear(&err);
    if (ol_import_file(s, kind, path, &opt, &sum, NULL, &err)) return fail(path, &err);
    return 0;
}

static double time_compute(ol_store *s, ol_affinity_period by, size_t *rows)
{
    ol_affinity_options opt;
    ol_affinity_options_init(&opt);
    opt.by = by;
    ol_affinity_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    double t0 = now();
    if (ol_affinity_compute(s, &opt, &r, &err)) { fail("ol_affinity_compute", &err); return -1; }
    double t = now() - t0;
    *rows = r->n;
    ol_affinity_result_free(r);
    return t;
}

static double time_sql(ol_store *s, size_t *rows)
{
    sqlite3_stmt *q = NULL;
    double t0 = now();
    if (sqlite3_prepare_v2(ol_store_db(s), SQL_EQUIVALENT, -1, &q, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_affinity: %s\n", sqlite3_errmsg(ol_store_db(s)));
        return -1;
    }
    size_t n = 0;
    while (sqlite3_step(q) == SQLITE_ROW) n++;
    sqlite3_finalize(q);
    *rows = n;
    return now() - t0;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : DEFAULT_REPS;
    if (reps < 1 || reps > MAX_REPS) {
        fprintf(stderr, "usage: bench_affinity [REPETITIONS (1-%d) [WORKDIR]]\n", MAX_REPS);
        return 1;
    }
    const char *data = getenv("ORDERLAB_SHARED_DATA");
    if (!data || !*data) data = OL_BENCH_SHARED_DATA;
    char dir[4096];
    int own_dir = argc <= 2;
    if (own_dir) {
        snprintf(dir, sizeof dir, "%s/orderlab-bench-affinity-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    } else {
        snprintf(dir, sizeof dir, "%s", argv[2]);
    }
    char db[4200];
    snprintf(db, sizeof db, "%s/bench.db", dir);
    unlink(db);
    ol_store *s = NULL;
    ol_error err;
    ol_error_clear(&err);
    int rc = 0;
    if (ol_open(db, OL_STORE_READWRITE, &s, &err)) { rc = fail(db, &err); goto out; }
    double t0 = now();
    if ((rc = import(s, data, "unvotes-rollcalls", "un_roll_calls.csv"))) goto out;
    if ((rc = import(s, data, "unvotes-votes", "un_votes.csv"))) goto out;
    printf("imported roll calls and votes in %.2f s\n", now() - t0);

    double year[MAX_REPS], session[MAX_REPS], sql[MAX_REPS];
    size_t ny = 0, ns = 0, nq = 0;
    /* The SQL query churns the connection's page cache, so it runs in a
     * loop of its own, after the module's. */
    for (int i = 0; i < reps; i++) {
        year[i] = time_compute(s, OL_AFFINITY_BY_YEAR, &ny);
        session[i] = time_compute(s, OL_AFFINITY_BY_SESSION, &ns);
        if (year[i] < 0 || session[i] < 0) { rc = 1; goto out; }
    }
    for (int i = 0; i < reps; i++)
        if ((sql[i] = time_sql(s, &nq)) < 0) { rc = 1; goto out; }
    double my = median(year, reps), ms = median(session, reps), mq = median(sql, reps);
    printf("ol_affinity_compute, all countries vs USA, by year:    median %7.1f ms (%zu rows, %d runs)\n",
           my * 1e3, ny, reps);
    printf("ol_affinity_compute, all countries vs USA, by session: median %7.1f ms (%zu rows)\n", ms * 1e3, ns);
    printf("SQL self-join (identical-vote share only, by year):    median %7.1f ms (%zu rows)\n", mq * 1e3, nq);
    printf("target: under %.1f s: %s\n", TARGET_SECONDS, my < TARGET_SECONDS && ms < TARGET_SECONDS ? "met" : "NOT met");
out:
    ol_store_close(s);
    unlink(db);
    char aux[4300];
    snprintf(aux, sizeof aux, "%s-wal", db); unlink(aux);
    snprintf(aux, sizeof aux, "%s-shm", db); unlink(aux);
    if (own_dir) rmdir(dir);
    return rc;
}
