/*
 * bench_ideal — orderlab's ideal-point EM against its R peers on the full UN
 * General Assembly roll calls, in one run on one machine (issue 4): time, and
 * agreement with the published Bailey–Strezhnev–Voeten estimates.
 *
 *   bench_ideal [--no-peers] [--peers-from DIR] [--pscl-iter N] [--mcmc-iter N]
 *               [--workdir DIR] [--reps N]
 *
 * 1. A fresh store (in a temporary directory, or --workdir, kept) gets
 *    unvotes/un_roll_calls.csv, un_votes.csv and the session file of
 *    published points, unga_idealpoints/IdealpointestimatesAll_Jun2024.csv
 *    (23 documented rejects: South Yemen), through the importers API.
 * 2. orderlab, through ideal.h: for OL_IDEAL_DYNAMIC and OL_IDEAL_BINARY
 *    with their defaults, ol_ideal_votes_load (timed on its own), then
 *    ol_ideal_estimate with 1 and 2 threads (timed alone, best of --reps,
 *    default 3: the figure).
 * 3. The peers, unless --no-peers: bench/peers/install-r.sh (apt, once),
 *    then Rscript bench/peers/ideal_peers.R, which builds the peers' binary
 *    matrix and times pscl::ideal (--pscl-iter iterations, default 2,000,
 *    half of them burn-in, thin 10) and MCMCpack::MCMCirt1d (--mcmc-iter
 *    draws, default 2,000, after 1,000 burn-in), each call alone.
 *    --peers-from DIR reads the results of an earlier run instead (the
 *    DIR/results.txt and DIR/<peer>.csv the script writes).
 * 4. Agreement with the published bsv-all session points (Pearson r, GSL):
 *    panel r over country-sessions (dynamic fit), the median (and minimum)
 *    over sessions of the within-session r (per-session and dynamic fits),
 *    and the pooled r: per country, the estimator's value (for session-level
 *    fits the mean of its points) against the mean of the published points,
 *    both over the same sessions.  A peer's row is a country name of
 *    un_votes.csv; its sessions are mapped to orderlab codes through the
 *    crosswalk with each session's year, as the votes importer maps them.
 * 5. The memory traffic an EM iteration must cause (BYTES_PER_CELL,
 *    PASSES_PER_ITER below) against this machine's measured streaming read
 *    bandwidth, from memory (an array several times the last-level cache) and
 *    at the size of the estimator's working set.
 *
 * It asserts nothing about time: it exits 0 whatever the figures, 1 when an
 * import, a fit or a peer fails, 2 on bad usage.  The data directory is
 * ORDERLAB_SHARED_DATA when set, else the one CMake was configured with; the
 * peer scripts are found beside this source file (ORDERLAB_BENCH_PEERS
 * overrides).
 */
#include "orderlab/ideal.h"
#include "orderlab/orderlab.h"

#include <csv.h>
#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The target of issue 4: at least this many times faster than pscl::ideal,
 * at equal or better pooled r. */
static const double TARGET_SPEEDUP = 100.0;

/* Memory traffic of one EM iteration, the assumption behind the bound (the
 * layout of src/ideal_em.c): the votes are held as one 4-byte index each per
 * pass (the country-session in the item pass, the item in the position
 * pass; each item's and each country-session's votes grouped by response),
 * and an iteration streams them twice: once for the E-step and the item
 * M-step (by item), once for the E-step and the position M-step (by
 * country).  Per iteration the parameters cost ITEM_BYTES per item (alpha,
 * beta, delta and three group offsets in the item pass, one 64-byte row in
 * the position pass) and CP_BYTES per country-session (x and E[x^2] in the
 * item pass; x and three group offsets in the position pass). */
#define BYTES_PER_CELL 4
#define PASSES_PER_ITER 2
#define ITEM_BYTES (3 * 8 + 3 * 8 + 64)
#define CP_BYTES (2 * 8 + 8 + 3 * 8)

/* Bandwidth measurement: best of BW_REPS sweeps; the memory array is
 * BW_LLC_MULT times the last-level cache, at least BW_MIN_BYTES and at most
 * BW_MAX_BYTES; an in-cache figure sweeps its array until BW_CACHE_SWEEP_BYTES
 * have been read, so that one timing lasts long enough to measure. */
#define BW_REPS 5
#define BW_LLC_MULT 4
#define BW_MIN_BYTES ((size_t)256 << 20)
#define BW_MAX_BYTES ((size_t)2 << 30)
#define BW_CACHE_SWEEP_BYTES ((size_t)1 << 30)
#define BW_MAX_THREADS 2

/* The peers' run lengths (brief peers.md) and pscl's thinning. */
enum { PEER_ITER = 2000, PSCL_THIN = 10, MCMC_BURNIN = 1000 };

/* Session s opened in year s + 1945: the producers of the published points
 * date sessions so, and so does the idealpoints importer. */
enum { SESSION_YEAR0 = 1945 };
/* A correlation over fewer pairs is +-1 or undefined. */
enum { MIN_PAIRS = 3 };
/* The session file's documented rejects: the 23 rows of South Yemen, whose
 * iso3c names North Yemen (docs/importers-unga.md). */
enum { BSV_SESSION_REJECTS = 23 };
/* The published estimate the fits are compared with. */
static const char *const REFERENCE = "bsv-all";

/* orderlab's fits are timed best of DEFAULT_REPS (--reps). */
enum { NAME_MAX_ = 48, MAX_ROWS = 16, DEFAULT_REPS = 3 };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the process, all its threads: on a shared machine the steadier
 * figure when one thread is compared with one thread. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The 1-minute load average, to judge how busy the shared machine was. */
static double load1(void)
{
    double l[1];
    return getloadavg(l, 1) == 1 ? l[0] : NAN;
}

static void fail_msg(const char *doing, const ol_error *err)
{
    char msg[2048];
    ol_error_format(err, msg, sizeof msg);
    fprintf(stderr, "bench_ideal: %s: %s\n", doing, msg);
}

/* ------------------------------------------------------------ the reference */

/* The published points: value[c * nsess + s] for the sorted codes[c], NAN
 * where there is none. */
typedef struct reference {
    size_t ncodes;
    int nsess;
    char (*codes)[OL_IDEAL_CODE_MAX];
    double *value;
} reference;

static int cmp_code(const void *a, const void *b) { return strcmp(a, b); }

static double ref_get(const reference *r, const char *code, int session)
{
    if (!code || session < 0 || session >= r->nsess) return NAN;
    char(*c)[OL_IDEAL_CODE_MAX] = bsearch(code, r->codes, r->ncodes, sizeof *r->codes, cmp_code);
    return c ? r->value[(size_t)(c - r->codes) * (size_t)r->nsess + (size_t)session] : NAN;
}

static int ref_load(ol_store *store, reference *r)
{
    sqlite3 *db = ol_store_db(store);
    sqlite3_stmt *st = NULL;
    memset(r, 0, sizeof *r);
    const char *sql_dim = "SELECT count(DISTINCT country), max(period) FROM ideal_points "
                          "WHERE estimate = ?1 AND period_kind = 'session'";
    if (sqlite3_prepare_v2(db, sql_dim, -1, &st, NULL) != SQLITE_OK) goto fail;
    sqlite3_bind_text(st, 1, REFERENCE, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) goto fail;
    r->ncodes = (size_t)sqlite3_column_int64(st, 0);
    r->nsess = sqlite3_column_int(st, 1) + 1;
    sqlite3_finalize(st);
    st = NULL;
    if (r->ncodes == 0) {
        fprintf(stderr, "bench_ideal: the store has no %s session points\n", REFERENCE);
        return -1;
    }
    r->codes = calloc(r->ncodes, sizeof *r->codes);
    r->value = malloc(r->ncodes * (size_t)r->nsess * sizeof *r->value);
    if (!r->codes || !r->value) return -1;
    for (size_t i = 0; i < r->ncodes * (size_t)r->nsess; i++) r->value[i] = NAN;
    const char *sql = "SELECT country, period, value FROM ideal_points "
                      "WHERE estimate = ?1 AND period_kind = 'session' ORDER BY country, period";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) goto fail;
    sqlite3_bind_text(st, 1, REFERENCE, -1, SQLITE_STATIC);
    size_t c = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 0);
        if (c == 0 && !r->codes[0][0]) snprintf(r->codes[0], sizeof r->codes[0], "%s", code);
        else if (strcmp(r->codes[c], code) != 0) snprintf(r->codes[++c], sizeof r->codes[c], "%s", code);
        int s = sqlite3_column_int(st, 1);
        if (s >= 0 && s < r->nsess) r->value[c * (size_t)r->nsess + (size_t)s] = sqlite3_column_double(st, 2);
    }
    if (rc != SQLITE_DONE) goto fail;
    sqlite3_finalize(st);
    return 0;
fail:
    fprintf(stderr, "bench_ideal: reading the published points: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return -1;
}

static void ref_free(reference *r)
{
    free(r->codes);
    free(r->value);
}

/* ------------------------------------------------------------ agreement */

typedef struct row {
    char name[NAME_MAX_];
    int threads;
    char iterations[32];
    double seconds;
    double cpu_seconds;  /* NAN: not known */
    double ms_per_iter;  /* NAN: not meaningful (per-session fits) */
    double panel_r;      /* NAN: not computed */
    double session_r, session_r_min;
    int session_min;
    double pooled_r;
    long pooled_n;
    int is_orderlab;
} row;

static double corr(const double *x, const double *y, size_t n)
{
    return n >= MIN_PAIRS ? gsl_stats_correlation(x, 1, y, 1, n) : NAN;
}

/* Growable pair list. */
typedef struct pairs {
    double *x, *y;
    size_t n, cap;
} pairs;

static int pairs_add(pairs *p, double x, double y)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 256;
        double *nx = realloc(p->x, cap * sizeof *nx);
        if (!nx) return -1;
        p->x = nx;
        double *ny = realloc(p->y, cap * sizeof *ny);
        if (!ny) return -1;
        p->y = ny;
        p->cap = cap;
    }
    p->x[p->n] = x;
    p->y[p->n++] = y;
    return 0;
}

static void pairs_free(pairs *p)
{
    free(p->x);
    free(p->y);
    memset(p, 0, sizeof *p);
}

/* Panel, within-session and pooled r of a session-level fit. */
static int agreement_fit(const ol_ideal_fit *f, const reference *ref, int panel, row *out)
{
    pairs all = {0}, pooled = {0};
    pairs *sess = calloc((size_t)ref->nsess, sizeof *sess);
    double *rs = calloc((size_t)ref->nsess, sizeof *rs);
    int ok = sess && rs;
    for (size_t i = 0; ok && i < f->n;) {
        /* one country: points i .. j-1 (sorted by country then session) */
        size_t j = i;
        double se = 0, sr = 0;
        long m = 0;
        for (; j < f->n && strcmp(f->points[j].country, f->points[i].country) == 0; j++) {
            const ol_ideal_point *p = &f->points[j];
            double b = ref_get(ref, p->country, p->session);
            if (isnan(b)) continue;
            se += p->value;
            sr += b;
            m++;
            if (pairs_add(&all, p->value, b) || pairs_add(&sess[p->session], p->value, b)) ok = 0;
        }
        if (m > 0 && pairs_add(&pooled, se / (double)m, sr / (double)m)) ok = 0;
        i = j;
    }
    size_t nr = 0;
    out->session_r_min = NAN;
    out->session_min = 0;
    for (int s = 0; ok && s < ref->nsess; s++) {
        double r = corr(sess[s].x, sess[s].y, sess[s].n);
        if (isnan(r)) continue;
        rs[nr++] = r;
        if (isnan(out->session_r_min) || r < out->session_r_min) {
            out->session_r_min = r;
            out->session_min = s;
        }
    }
    if (ok) {
        gsl_sort(rs, 1, nr);
        out->session_r = nr ? gsl_stats_median_from_sorted_data(rs, 1, nr) : NAN;
        out->panel_r = panel ? corr(all.x, all.y, all.n) : NAN;
        out->pooled_r = corr(pooled.x, pooled.y, pooled.n);
        out->pooled_n = (long)pooled.n;
    }
    for (int s = 0; sess && s < ref->nsess; s++) pairs_free(&sess[s]);
    free(sess);
    free(rs);
    pairs_free(&all);
    pairs_free(&pooled);
    return ok ? 0 : -1;
}

/* ------------------------------------------------------------ kernels */

/* The dynamic fit on one thread with each kernel set the processor runs:
 * the EM iterations alone (best of reps), and whether the points are the
 * same bits as those of the first set (they must be). */
static int kernel_table(const ol_ideal_votes *v, ol_ideal_options o, int reps)
{
    static const ol_ideal_kernels sets[] = {OL_IDEAL_KERNELS_PORTABLE, OL_IDEAL_KERNELS_AVX2,
                                            OL_IDEAL_KERNELS_AVX512};
    ol_ideal_fit *first = NULL;
    const char *last = "";
    int status = 0;
    double first_ms = NAN;
    o.threads = 1;
    printf("  kernels (1 thread, the EM iterations alone, best of %d; the same bits are required):\n", reps);
    for (size_t i = 0; i < sizeof sets / sizeof *sets && !status; i++) {
        o.kernels = sets[i];
        ol_ideal_fit *f = NULL;
        ol_error err = {0};
        double em_s = INFINITY;
        for (int rep = 0; rep < reps; rep++) {
            ol_ideal_fit_free(f);
            f = NULL;
            if (ol_ideal_estimate(v, &o, NULL, NULL, &f, &err)) {
                fail_msg("ol_ideal_estimate", &err);
                status = 1;
                break;
            }
            if (f->seconds < em_s) em_s = f->seconds;
        }
        if (status || !strcmp(f->kernels, last)) { /* the processor has no wider set */
            ol_ideal_fit_free(f);
            continue;
        }
        last = f->kernels;
        double ms = 1e3 * em_s / f->iterations;
        int same = 1;
        if (!first) {
            first = f;
            first_ms = ms;
        } else {
            same = f->n == first->n;
            for (size_t k = 0; same && k < f->n; k++)
                same = memcmp(&f->points[k].value, &first->points[k].value, sizeof(double)) == 0;
        }
        printf("    %-8s %6.2f ms per iteration (%.2fx the portable kernels); points %s\n", f->kernels, ms,
               first_ms / ms, f == first ? "(the reference)" : same ? "bit for bit the same" : "DIFFER");
        if (!same) status = 1;
        if (f != first) ol_ideal_fit_free(f);
    }
    ol_ideal_fit_free(first);
    return status;
}

/* ------------------------------------------------------------ the peers */

/* One record of a peer's CSV (country,iso2,sessions,votes,value). */
typedef struct peer_csv {
    char field[5][256];
    int nfield;
    long line;
    const reference *ref;
    const ol_country_index *idx;
    pairs pooled;
    long rows, unmatched;
    int bad;
} peer_csv;

static void peer_cb_field(void *s, size_t len, void *ctx)
{
    peer_csv *p = ctx;
    if (p->nfield < 5) snprintf(p->field[p->nfield], sizeof p->field[0], "%.*s", (int)len, (const char *)s);
    p->nfield++;
}

/* "1-28;49-74": calls back each session in order; -1 on a malformed list. */
static int for_sessions(const char *list, int (*fn)(void *, int), void *ctx)
{
    const char *q = list;
    while (*q) {
        char *end;
        long a = strtol(q, &end, 10), b = a;
        if (end == q) return -1;
        if (*end == '-') {
            q = end + 1;
            b = strtol(q, &end, 10);
            if (end == q) return -1;
        }
        if (a < 1 || b < a || b > 1000) return -1;
        for (long s = a; s <= b; s++)
            if (fn(ctx, (int)s)) return -1;
        if (*end == ';') end++;
        else if (*end) return -1;
        q = end;
    }
    return 0;
}

typedef struct peer_row_acc {
    peer_csv *p;
    double sum;
    long n;
} peer_row_acc;

static int peer_session(void *ctx, int s)
{
    peer_row_acc *a = ctx;
    const char *iso2 = a->p->field[1], *name = a->p->field[0];
    const char *code = *iso2 ? ol_country_index_lookup(a->p->idx, OL_CODES_ISO2, iso2, s + SESSION_YEAR0)
                             : ol_country_index_lookup(a->p->idx, OL_CODES_NAME, name, s + SESSION_YEAR0);
    double b = ref_get(a->p->ref, code, s);
    if (!isnan(b)) {
        a->sum += b;
        a->n++;
    }
    return 0;
}

static void peer_cb_record(int c, void *ctx)
{
    (void)c;
    peer_csv *p = ctx;
    p->line++;
    int header = p->line == 1;
    int nf = p->nfield;
    p->nfield = 0;
    if (header) return;
    char *end;
    double v = strtod(p->field[4], &end);
    if (nf != 5 || end == p->field[4] || *end) {
        fprintf(stderr, "bench_ideal: peer CSV line %ld: expected country,iso2,sessions,votes,value\n", p->line);
        p->bad = 1;
        return;
    }
    peer_row_acc a = {p, 0, 0};
    if (for_sessions(p->field[2], peer_session, &a)) {
        fprintf(stderr, "bench_ideal: peer CSV line %ld: bad sessions '%s'\n", p->line, p->field[2]);
        p->bad = 1;
        return;
    }
    p->rows++;
    if (a.n == 0) {
        printf("  no published point for the sessions of %s (%s), sessions %s: left out\n", p->field[0],
               *p->field[1] ? p->field[1] : "no ISO2", p->field[2]);
        p->unmatched++;
    }
    else if (pairs_add(&p->pooled, v, a.sum / (double)a.n)) p->bad = 1;
}

static int agreement_peer(const char *path, const reference *ref, const ol_country_index *idx, row *out)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench_ideal: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct csv_parser cp;
    peer_csv p;
    memset(&p, 0, sizeof p);
    p.ref = ref;
    p.idx = idx;
    csv_init(&cp, CSV_APPEND_NULL);
    char buf[8192];
    size_t n;
    int ok = 1;
    while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0)
        if (csv_parse(&cp, buf, n, peer_cb_field, peer_cb_record, &p) != n) ok = 0;
    if (ok) csv_fini(&cp, peer_cb_field, peer_cb_record, &p);
    if (!ok) fprintf(stderr, "bench_ideal: %s: %s\n", path, csv_strerror(csv_error(&cp)));
    csv_free(&cp);
    fclose(f);
    if (ok && !p.bad) {
        out->pooled_r = corr(p.pooled.x, p.pooled.y, p.pooled.n);
        out->pooled_n = (long)p.pooled.n;
        out->panel_r = out->session_r = out->session_r_min = NAN;
        printf("  %s: %ld rows, %ld compared\n", path, p.rows, p.rows - p.unmatched);
    }
    pairs_free(&p.pooled);
    return ok && !p.bad ? 0 : -1;
}

/* Runs argv with the standard streams inherited; its exit status, or -1. */
static int run(char *const argv[])
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "bench_ideal: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The value of key=VALUE in a results line, or NULL. */
static const char *field_of(const char *line, const char *key, char *buf, size_t size)
{
    size_t kl = strlen(key);
    for (const char *q = line; (q = strstr(q, key)) != NULL; q += kl) {
        if ((q != line && q[-1] != ' ') || q[kl] != '=') continue;
        q += kl + 1;
        size_t n = strcspn(q, " \n");
        snprintf(buf, size, "%.*s", (int)n, q);
        return buf;
    }
    return NULL;
}

/* Reads DIR/results.txt and DIR/<peer>.csv into rows; returns the rows added. */
static int read_peers(const char *dir, const reference *ref, const ol_country_index *idx, row *rows, int *nrows)
{
    char path[4096], line[1024], v[64], it[64], bi[64];
    snprintf(path, sizeof path, "%s/results.txt", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench_ideal: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    int added = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "matrix ", 7) == 0) {
            char c[32] = "?", r[32] = "?", o[32] = "?";
            field_of(line, "countries", c, sizeof c);
            field_of(line, "rollcalls", r, sizeof r);
            field_of(line, "votes", o, sizeof o);
            printf("peers' matrix: %s countries x %s roll calls with a yes/no split, %s observed votes "
                   "(yes 1, no 0; abstain and absent missing)\n", c, r, o);
            continue;
        }
        if (!field_of(line, "peer", v, sizeof v) || *nrows >= MAX_ROWS) continue;
        row *w = &rows[*nrows];
        memset(w, 0, sizeof *w);
        int pscl = strcmp(v, "pscl") == 0;
        const char *label = pscl ? "pscl::ideal" : strcmp(v, "mcmcpack") == 0 ? "MCMCpack::MCMCirt1d" : v;
        snprintf(w->name, sizeof w->name, "%s", label);
        w->threads = 1;
        char sec[64];
        if (!field_of(line, "iterations", it, sizeof it) || !field_of(line, "burnin", bi, sizeof bi) ||
            !field_of(line, "seconds", sec, sizeof sec)) {
            fprintf(stderr, "bench_ideal: %s: malformed line: %s", path, line);
            bad = 1;
            continue;
        }
        w->seconds = atof(sec);
        w->cpu_seconds = field_of(line, "cpu_seconds", sec, sizeof sec) ? atof(sec) : NAN;
        /* pscl's maxiter counts the burn-in; MCMCirt1d's mcmc does not. */
        long total = pscl ? atol(it) : atol(it) + atol(bi);
        if (pscl) snprintf(w->iterations, sizeof w->iterations, "%s (%s burn-in)", it, bi);
        else snprintf(w->iterations, sizeof w->iterations, "%s+%s burn-in", it, bi);
        w->ms_per_iter = total > 0 ? 1e3 * w->seconds / (double)total : NAN;
        char csv[4096];
        snprintf(csv, sizeof csv, "%s/%s.csv", dir, v);
        if (agreement_peer(csv, ref, idx, w)) {
            bad = 1;
            continue;
        }
        (*nrows)++;
        added++;
    }
    fclose(f);
    return bad ? -1 : added;
}

/* ------------------------------------------------------------ bandwidth */

typedef struct bw_task {
    const double *a;
    double *c;
    const double *b;
    size_t lo, hi;
    size_t sweeps;
    int triad;
    double sink;
} bw_task;

static void *bw_worker(void *arg)
{
    bw_task *t = arg;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (size_t k = 0; k < t->sweeps; k++) {
        if (t->triad) {
            const double q = 3.0;
            for (size_t i = t->lo; i < t->hi; i++) t->c[i] = t->a[i] + q * t->b[i];
            s0 += t->c[t->lo];
            continue;
        }
        /* eight accumulators: the adds overlap instead of waiting on each other */
        size_t i = t->lo;
        for (; i + 8 <= t->hi; i += 8) {
            s0 += t->a[i];
            s1 += t->a[i + 1];
            s2 += t->a[i + 2];
            s3 += t->a[i + 3];
            s4 += t->a[i + 4];
            s5 += t->a[i + 5];
            s6 += t->a[i + 6];
            s7 += t->a[i + 7];
        }
        for (; i < t->hi; i++) s0 += t->a[i];
    }
    t->sink = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
    return NULL;
}

/* Best-of-BW_REPS bandwidth in bytes/s: a sum over n doubles of buf (read
 * only), or a triad c = a + q b over three arrays of n/3 (STREAM counts 3
 * words per element), swept `sweeps` times, by `threads` threads. */
static double bandwidth(double *buf, size_t n, size_t sweeps, int threads, int triad, double *sink)
{
    size_t m = triad ? n / 3 : n;
    double best = 0;
    for (int rep = 0; rep < BW_REPS; rep++) {
        bw_task t[BW_MAX_THREADS];
        pthread_t th[BW_MAX_THREADS];
        double t0 = now();
        for (int k = 0; k < threads; k++) {
            t[k] = (bw_task){.a = buf, .b = buf + m, .c = buf + 2 * m, .lo = m * (size_t)k / (size_t)threads,
                             .hi = m * (size_t)(k + 1) / (size_t)threads, .sweeps = sweeps, .triad = triad};
            if (k > 0 && pthread_create(&th[k], NULL, bw_worker, &t[k]) != 0) return NAN;
        }
        bw_worker(&t[0]);
        for (int k = 1; k < threads; k++) pthread_join(th[k], NULL);
        double dt = now() - t0;
        for (int k = 0; k < threads; k++) *sink += t[k].sink;
        double bytes = (double)m * (double)sweeps * sizeof(double) * (triad ? 3 : 1);
        if (dt > 0 && bytes / dt > best) best = bytes / dt;
    }
    return best;
}

static size_t llc_bytes(void)
{
    long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE), l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    return l3 > 0 ? (size_t)l3 : l2 > 0 ? (size_t)l2 : 0;
}

/* ------------------------------------------------------------ main */

static void usage(void)
{
    fprintf(stderr, "usage: bench_ideal [--no-peers] [--peers-from DIR] [--pscl-iter N] [--mcmc-iter N] "
                    "[--workdir DIR] [--reps N]\n");
}

static const char *fmt_r(double r, char *buf, size_t size)
{
    if (isnan(r)) snprintf(buf, size, "-");
    else snprintf(buf, size, "%.3f", r);
    return buf;
}

static int import(ol_store *store, const char *kind, const char *path, int64_t max_rejects)
{
    ol_import_options opt;
    ol_import_options_init(&opt);
    opt.max_rejects = max_rejects;
    ol_import_summary sum;
    ol_error err;
    ol_error_clear(&err);
    double t = now();
    if (ol_import_file(store, kind, path, &opt, &sum, NULL, &err)) {
        fail_msg(kind, &err);
        return -1;
    }
    printf("  %-18s %8lld rows kept, %lld rejected  %.2f s\n", kind, (long long)sum.rows_kept,
           (long long)sum.rows_rejected, now() - t);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"no-peers", no_argument, NULL, 'n'},   {"peers-from", required_argument, NULL, 'f'},
        {"pscl-iter", required_argument, NULL, 'p'}, {"mcmc-iter", required_argument, NULL, 'm'},
        {"workdir", required_argument, NULL, 'w'},  {"reps", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int no_peers = 0, pscl_iter = PEER_ITER, mcmc_iter = PEER_ITER, reps = DEFAULT_REPS, c;
    const char *peers_from = NULL, *workdir = NULL;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'n': no_peers = 1; break;
        case 'f': peers_from = optarg; break;
        case 'p': pscl_iter = atoi(optarg); break;
        case 'm': mcmc_iter = atoi(optarg); break;
        case 'w': workdir = optarg; break;
        case 'r': reps = atoi(optarg); break;
        case 'h': usage(); return 0;
        default: usage(); return 2;
        }
    }
    /* pscl runs half its iterations as burn-in, the rest thinned by PSCL_THIN */
    if (optind < argc || pscl_iter < 2 * PSCL_THIN || pscl_iter % (2 * PSCL_THIN) || mcmc_iter < 1 || reps < 1) {
        usage();
        fprintf(stderr, "  --pscl-iter: a multiple of %d; --mcmc-iter and --reps: at least 1\n", 2 * PSCL_THIN);
        return 2;
    }

    const char *data = getenv("ORDERLAB_SHARED_DATA");
    if (!data || !*data) data = OL_BENCH_SHARED_DATA;
    char votes[4096], rollcalls[4096], bsv[4096];
    snprintf(votes, sizeof votes, "%s/unvotes/un_votes.csv", data);
    snprintf(rollcalls, sizeof rollcalls, "%s/unvotes/un_roll_calls.csv", data);
    snprintf(bsv, sizeof bsv, "%s/unga_idealpoints/IdealpointestimatesAll_Jun2024.csv", data);
    struct stat sb;
    if (stat(votes, &sb) != 0 || stat(rollcalls, &sb) != 0 || stat(bsv, &sb) != 0) {
        fprintf(stderr, "bench_ideal: staged data not found under %s\n", data);
        return 1;
    }
    char tmpl[] = "/tmp/ol_bench_ideal_XXXXXX";
    const char *dir = workdir ? workdir : mkdtemp(tmpl);
    if (!dir) {
        perror("mkdtemp");
        return 1;
    }
    if (workdir) mkdir(workdir, 0777);
    char store_path[4200];
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
        snprintf(store_path, sizeof store_path, "%s/store.db%s", dir, suffix[i]);
        unlink(store_path);
    }
    snprintf(store_path, sizeof store_path, "%s/store.db", dir);

    int status = 0;
    ol_error err;
    ol_error_clear(&err);
    ol_store *store = NULL;
    reference ref = {0};
    ol_country_index *idx = NULL;
    row rows[MAX_ROWS];
    int nrows = 0;
    double dyn_bytes_iter = NAN, dyn_cell_bytes = NAN;
    double dyn_ms[BW_MAX_THREADS + 1] = {NAN, NAN, NAN}, dyn_em_ms[BW_MAX_THREADS + 1] = {NAN, NAN, NAN};

    printf("UNGA ideal points: orderlab's EM against pscl::ideal and MCMCpack::MCMCirt1d\n");
    printf("data: %s; work directory %s\n\nimport (not timed against the peers):\n", data, dir);
    if (ol_open(store_path, OL_STORE_READWRITE, &store, &err)) {
        fail_msg(store_path, &err);
        return 1;
    }
    if (import(store, "unvotes-rollcalls", rollcalls, 0) || import(store, "unvotes-votes", votes, 0) ||
        import(store, "idealpoints", bsv, BSV_SESSION_REJECTS) || ref_load(store, &ref) ||
        ol_country_index_new(store, &idx, &err)) {
        if (err.code) fail_msg("the crosswalk", &err);
        status = 1;
        goto done;
    }

    /* ---------------------------------------------------------- orderlab */
    static const ol_ideal_model models[] = {OL_IDEAL_DYNAMIC, OL_IDEAL_BINARY};
    for (size_t mi = 0; mi < sizeof models / sizeof *models; mi++) {
        ol_ideal_options o;
        ol_ideal_options_init(&o, models[mi]);
        ol_ideal_votes *v = NULL;
        double t = now();
        if (ol_ideal_votes_load(store, &o, &v, &err)) {
            fail_msg("ol_ideal_votes_load", &err);
            status = 1;
            continue;
        }
        double load_s = now() - t;
        printf("\norderlab %s: load %.3f s (ol_ideal_votes_load, not in the estimation time); load average %.2f\n",
               ol_ideal_model_name(models[mi]), load_s, load1());
        for (int threads = 1; threads <= BW_MAX_THREADS; threads++) {
            o.threads = threads;
            /* best of `reps`: the machine is shared; the fit is deterministic */
            ol_ideal_fit *f = NULL;
            ol_status st = OL_OK;
            double est_s = INFINITY, est_cpu = INFINITY, em_s = INFINITY;
            for (int rep = 0; rep < reps && !st; rep++) {
                ol_ideal_fit_free(f);
                f = NULL;
                double c0 = cpu_now();
                t = now();
                st = ol_ideal_estimate(v, &o, NULL, NULL, &f, &err);
                double dt = now() - t, dc = cpu_now() - c0;
                if (dt < est_s) est_s = dt;
                if (dc < est_cpu) est_cpu = dc;
                if (!st && f->seconds < em_s) em_s = f->seconds;
            }
            if (st) {
                fail_msg("ol_ideal_estimate", &err);
                status = 1;
                continue;
            }
            const ol_ideal_counts *fc = &f->counts;
            if (threads == 1)
                printf("  counts: roll calls %ld read, %ld used (%ld unanimous, %ld lopsided dropped), %ld items "
                       "(%ld roll calls bridged); votes %ld read, %ld used (%ld abstentions missing, %ld dropped); "
                       "countries %ld used of %ld; %zu country-sessions\n",
                       fc->rollcalls_read, fc->rollcalls_used, fc->rollcalls_unanimous, fc->rollcalls_lopsided,
                       fc->items, fc->bridged_rollcalls, fc->votes_read, fc->votes_used,
                       fc->votes_abstain_missing, fc->votes_dropped, fc->countries_used, fc->countries_read, f->n);
            row *w = &rows[nrows];
            memset(w, 0, sizeof *w);
            snprintf(w->name, sizeof w->name, "orderlab %s", ol_ideal_model_name(models[mi]));
            w->threads = threads;
            w->is_orderlab = 1;
            w->seconds = est_s;
            w->cpu_seconds = est_cpu;
            int per_session = models[mi] != OL_IDEAL_DYNAMIC;
            snprintf(w->iterations, sizeof w->iterations, "%d%s%s", f->iterations, per_session ? " (max)" : "",
                     f->converged ? "" : " (not conv.)");
            w->ms_per_iter = per_session || f->iterations <= 0 ? NAN : 1e3 * est_s / f->iterations;
            printf("  %d thread%s: %d iterations%s, %s, last change %.2g; best of %d: %.3f s (the EM iterations "
                   "alone, best of %d: %.3f s), CPU %.3f s", threads, threads > 1 ? "s" : "", f->iterations,
                   per_session ? " (largest over sessions)" : "", f->converged ? "converged" : "NOT converged",
                   f->last_change, reps, est_s, reps, em_s, est_cpu);
            if (!per_session)
                printf(", %.2f ms per iteration (EM alone %.2f)", w->ms_per_iter,
                       f->iterations > 0 ? 1e3 * em_s / f->iterations : NAN);
            printf("\n");
            if (agreement_fit(f, &ref, !per_session, w) == 0) {
                nrows++;
                if (!per_session) {
                    dyn_ms[threads] = w->ms_per_iter;
                    dyn_em_ms[threads] = 1e3 * em_s / f->iterations;
                    dyn_cell_bytes = (double)fc->votes_used * BYTES_PER_CELL * PASSES_PER_ITER;
                    dyn_bytes_iter = dyn_cell_bytes + (double)fc->items * ITEM_BYTES + (double)f->n * CP_BYTES;
                }
            } else {
                status = 1;
            }
            ol_ideal_fit_free(f);
        }
        if (models[mi] == OL_IDEAL_DYNAMIC && kernel_table(v, o, reps)) status = 1;
        ol_ideal_votes_free(v);
    }

    /* ---------------------------------------------------------- the peers */
    if (!no_peers || peers_from) {
        char peers_dir[4200], script_dir[4096], install[4200], script[4200];
        const char *env = getenv("ORDERLAB_BENCH_PEERS");
        if (env && *env) snprintf(script_dir, sizeof script_dir, "%s", env);
        else {
            /* CMake compiles this file by its absolute path: the scripts are beside it. */
            const char *slash = strrchr(__FILE__, '/');
            snprintf(script_dir, sizeof script_dir, "%.*s/peers", slash ? (int)(slash - __FILE__) : 1,
                     slash ? __FILE__ : ".");
        }
        printf("\npeers (R; the matrix construction is not timed); load average %.2f:\n", load1());
        if (peers_from) {
            snprintf(peers_dir, sizeof peers_dir, "%s", peers_from);
            printf("  results of an earlier run, read from %s\n", peers_dir);
        } else {
            snprintf(peers_dir, sizeof peers_dir, "%s/peers", dir);
            snprintf(install, sizeof install, "%s/install-r.sh", script_dir);
            snprintf(script, sizeof script, "%s/ideal_peers.R", script_dir);
            char pi[32], pb[32], pt[32], mi_[32], mb[32];
            snprintf(pi, sizeof pi, "%d", pscl_iter);
            snprintf(pb, sizeof pb, "%d", pscl_iter / 2);
            snprintf(pt, sizeof pt, "%d", PSCL_THIN);
            snprintf(mi_, sizeof mi_, "%d", mcmc_iter);
            snprintf(mb, sizeof mb, "%d", MCMC_BURNIN);
            char *inst_argv[] = {install, NULL};
            char *r_argv[] = {"Rscript", script, "--votes", votes, "--rollcalls", rollcalls, "--bsv", bsv, "--out",
                              peers_dir, "--maxiter", pi, "--burnin", pb, "--thin", pt, "--mcmc", mi_,
                              "--mcmc-burnin", mb, NULL};
            printf("  pscl::ideal %d iterations (%d burn-in, thin %d); MCMCpack::MCMCirt1d %d draws after %d "
                   "burn-in (about 2 minutes at the defaults)\n",
                   pscl_iter, pscl_iter / 2, PSCL_THIN, mcmc_iter, MCMC_BURNIN);
            if (run(inst_argv) != 0) {
                fprintf(stderr, "bench_ideal: %s failed\n", install);
                status = 1;
                goto report;
            }
            if (run(r_argv) != 0) {
                fprintf(stderr, "bench_ideal: %s failed\n", script);
                status = 1;
                goto report;
            }
        }
        if (read_peers(peers_dir, &ref, idx, rows, &nrows) < 0) status = 1;
        if (!peers_from) printf("  load average after the peers %.2f\n", load1());
    }

report:;
    /* ---------------------------------------------------------- the table */
    const row *pscl = NULL;
    for (int i = 0; i < nrows; i++)
        if (strcmp(rows[i].name, "pscl::ideal") == 0) pscl = &rows[i];
    printf("\nagreement with the published %s session points (Pearson r; USA positive)\n", REFERENCE);
    printf("%-20s %3s %-21s %8s %8s %8s %7s %19s %8s %8s\n", "estimator", "thr", "iterations", "seconds",
           "cpu s", "ms/iter", "panel r", "session r med/min", "pooled r", "vs pscl");
    for (int i = 0; i < nrows; i++) {
        const row *w = &rows[i];
        char a[16], b[16], d[16], e[32], sp[32], ms[32], cs[32];
        fmt_r(w->session_r_min, d, sizeof d);
        if (isnan(w->session_r)) snprintf(e, sizeof e, "-");
        else snprintf(e, sizeof e, "%s/%s (s%d)", fmt_r(w->session_r, b, sizeof b), d, w->session_min);
        if (pscl && w->seconds > 0) snprintf(sp, sizeof sp, "%.1fx", pscl->seconds / w->seconds);
        else snprintf(sp, sizeof sp, "-");
        if (isnan(w->ms_per_iter)) snprintf(ms, sizeof ms, "-");
        else snprintf(ms, sizeof ms, "%.2f", w->ms_per_iter);
        if (isnan(w->cpu_seconds)) snprintf(cs, sizeof cs, "-");
        else snprintf(cs, sizeof cs, "%.3f", w->cpu_seconds);
        printf("%-20s %3d %-21s %8.3f %8s %8s %7s %19s %8s %8s\n", w->name, w->threads, w->iterations, w->seconds,
               cs, ms, fmt_r(w->panel_r, a, sizeof a), e, fmt_r(w->pooled_r, b, sizeof b), sp);
    }
    printf("(seconds: wall time, orderlab best of %d; cpu s: CPU time of all threads; pscl and MCMCpack: the "
           "estimator call alone, the sampler's start-up included; vs pscl: ratio of wall times; session r needs "
           ">= %d countries in a session)\n", reps, MIN_PAIRS);

    /* the verdict: one thread against pscl, which runs on one */
    if (!pscl) {
        printf("target (>= %.0fx faster than pscl::ideal at equal or better pooled r): not evaluated (no pscl run)\n",
               TARGET_SPEEDUP);
    } else {
        int met = 0, any = 0;
        printf("target (>= %.0fx faster than pscl::ideal at equal or better pooled r, one thread against its one):\n",
               TARGET_SPEEDUP);
        for (int i = 0; i < nrows; i++) {
            const row *w = &rows[i];
            if (!w->is_orderlab || w->threads != 1) continue;
            double sp = pscl->seconds / w->seconds;
            int ok = sp >= TARGET_SPEEDUP && w->pooled_r >= pscl->pooled_r;
            printf("  %-18s %s: %.0fx faster", w->name, ok ? "met" : "NOT met", sp);
            if (!isnan(pscl->cpu_seconds) && w->cpu_seconds > 0)
                printf(" (%.0fx in CPU time)", pscl->cpu_seconds / w->cpu_seconds);
            printf(", pooled r %.3f vs %.3f\n", w->pooled_r, pscl->pooled_r);
            met |= ok;
            any = 1;
        }
        printf("verdict: %s\n", !any ? "not evaluated (no orderlab fit)" : met ? "target MET" : "target NOT met");
    }

    /* ---------------------------------------------------------- memory traffic */
    {
        size_t llc = llc_bytes();
        size_t mem_bytes = llc * BW_LLC_MULT;
        if (mem_bytes < BW_MIN_BYTES) mem_bytes = BW_MIN_BYTES;
        if (mem_bytes > BW_MAX_BYTES) mem_bytes = BW_MAX_BYTES;
        size_t n = mem_bytes / sizeof(double);
        double *buf = malloc(n * sizeof *buf);
        if (!buf) {
            fprintf(stderr, "bench_ideal: no memory for the bandwidth array\n");
            status = 1;
            goto done;
        }
        for (size_t i = 0; i < n; i++) buf[i] = 1.0 / (double)(i % 7 + 1);
        double sink = 0, rd[BW_MAX_THREADS + 1], tr[BW_MAX_THREADS + 1], rc[BW_MAX_THREADS + 1];
        /* the working set of one pass: the cells of the dynamic fit */
        size_t ws = isnan(dyn_bytes_iter) ? 0 : (size_t)(dyn_bytes_iter / PASSES_PER_ITER);
        size_t wn = ws / sizeof(double);
        if (wn > n) wn = n;
        for (int th = 1; th <= BW_MAX_THREADS; th++) {
            rd[th] = bandwidth(buf, n, 1, th, 0, &sink);
            tr[th] = bandwidth(buf, n, 1, th, 1, &sink);
            rc[th] = wn ? bandwidth(buf, wn, BW_CACHE_SWEEP_BYTES / (wn * sizeof(double)) + 1, th, 0, &sink) : NAN;
        }
        printf("\nmemory traffic (assumption: %d bytes per vote and pass, %d passes per EM iteration, %d bytes of "
               "parameters per item and %d per country-session per iteration)\n",
               BYTES_PER_CELL, PASSES_PER_ITER, ITEM_BYTES, CP_BYTES);
        printf("  streaming bandwidth of this machine, best of %d (array %.0f MiB = %dx the %.0f MiB last-level "
               "cache, capped at %.0f MiB):\n", BW_REPS, (double)mem_bytes / 1048576.0, BW_LLC_MULT,
               (double)llc / 1048576.0, (double)BW_MAX_BYTES / 1048576.0);
        for (int th = 1; th <= BW_MAX_THREADS; th++)
            printf("    %d thread%s: read (sum) %.1f GB/s, triad %.1f GB/s; read at the working-set size (%.1f MB): "
                   "%.1f GB/s\n", th, th > 1 ? "s" : " ", rd[th] / 1e9, tr[th] / 1e9, (double)ws / 1e6,
                   rc[th] / 1e9);
        if (!isnan(dyn_bytes_iter)) {
            printf("  orderlab dynamic: %.2f MB per EM iteration (votes %.2f MB, parameters %.2f MB)\n",
                   dyn_bytes_iter / 1e6, dyn_cell_bytes / 1e6, (dyn_bytes_iter - dyn_cell_bytes) / 1e6);
            for (int th = 1; th <= BW_MAX_THREADS; th++) {
                double bm = 1e3 * dyn_bytes_iter / rd[th], bc = 1e3 * dyn_bytes_iter / rc[th];
                if (isnan(dyn_ms[th])) continue;
                printf("    %d thread%s: measured %.2f ms per iteration; bound %.3f ms from memory (ratio %.1f), "
                       "%.3f ms from cache (ratio %.1f); the EM alone %.2f ms (ratios %.1f and %.1f)\n", th,
                       th > 1 ? "s" : " ", dyn_ms[th], bm, dyn_ms[th] / bm, bc, dyn_ms[th] / bc, dyn_em_ms[th],
                       dyn_em_ms[th] / bm, dyn_em_ms[th] / bc);
            }
        }
        if (sink == 42.0) printf(" ");  /* keeps the sums alive */
        free(buf);
    }

done:
    ol_country_index_free(idx);
    ref_free(&ref);
    ol_store_close(store);
    if (!workdir) {
        char rm[4300];
        snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
        if (system(rm) != 0) fprintf(stderr, "bench_ideal: could not remove %s\n", dir);
    }
    return status;
}
