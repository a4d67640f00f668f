/* Execution of a sweep: the runs handed out dynamically to OpenMP threads
 * (and MPI ranks), an ordered writer per process streaming rows into its
 * part file, resumption from the part files, and the k-way merge into
 * runs.csv. */
#include "sweep_internal.h"

#include <dirent.h>
#include <errno.h>
#include <omp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* Rows a process may hold for its writer per thread: a thread waits only
 * when the oldest unwritten run is this far behind, which a run taking
 * hundreds of times the mean would need. */
enum { WINDOW_PER_THREAD = 256 };
/* Largest chunk of runs handed out at once (a rank fetches again after
 * that many), and chunks per worker aimed at, so that the last chunks are
 * small enough to balance the end. */
enum { CHUNK_MAX = 64, CHUNKS_PER_WORKER = 64 };
/* Rows between flushes of a part file: what a kill -9 may cost to rerun. */
enum { FLUSH_EVERY = 256 };
/* Rows between progress reports. */
enum { PROGRESS_EVERY = 16 };

static const char PART_PREFIX[] = "part-";

/* "part-SSSS-RRR.csv" -> session and rank; 0 when name is not a part file. */
static int part_name(const char *name, unsigned *session, unsigned *rank)
{
    unsigned s = 0, r = 0;
    int end = 0;
    if (strncmp(name, PART_PREFIX, sizeof PART_PREFIX - 1) != 0) return 0;
    if (sscanf(name, "part-%u-%u.csv%n", &s, &r, &end) != 2 || end == 0 || name[end] != '\0') return 0;
    if (session) *session = s;
    if (rank) *rank = r;
    return 1;
}

/* The inputs of a scan or merge: runs.csv when present, then the part
 * files in name order.  Returns malloc'ed paths (NULL-terminated). */
static ol_status list_inputs(const char *dir, char ***out, unsigned *max_session, ol_error *err)
{
    *out = NULL;
    if (max_session) *max_session = 0;
    size_t n = 0, cap = 8;
    char **v = calloc(cap, sizeof *v);
    char *parts = sw_path(dir, SW_DIR_PARTS), *runs = sw_path(dir, SW_FILE_RUNS);
    ol_status st = OL_OK;
    if (!v || !parts || !runs) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    struct stat sb;
    if (!st && stat(runs, &sb) == 0) {
        v[n++] = runs;
        runs = NULL;
    }
    struct dirent **names = NULL;
    int nn = st ? 0 : scandir(parts, &names, NULL, alphasort);
    if (!st && nn < 0 && errno != ENOENT)
        st = ol_error_set(err, OL_EIO, parts, 0, 0, NULL, "cannot list the part files: %s", strerror(errno));
    for (int i = 0; i < nn; i++) {
        unsigned s = 0;
        if (!st && part_name(names[i]->d_name, &s, NULL)) {
            if (max_session && s > *max_session) *max_session = s;
            if (n + 2 > cap) {
                char **nv = realloc(v, 2 * cap * sizeof *v);
                if (!nv) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
                else { v = nv; cap *= 2; }
            }
            if (!st && !(v[n] = sw_path(parts, names[i]->d_name)))
                st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
            if (!st) n++;
        }
        free(names[i]);
    }
    free(names);
    free(parts);
    free(runs);
    if (v) v[n] = NULL;
    if (st) {
        for (size_t i = 0; v && v[i]; i++) free(v[i]);
        free(v);
        return st;
    }
    *out = v;
    return OL_OK;
}

static void free_list(char **v)
{
    for (size_t i = 0; v && v[i]; i++) free(v[i]);
    free(v);
}

/* The run id at the start of a row: digits then a comma. */
static int row_run(const char *line, uint64_t *run)
{
    uint64_t r = 0;
    const char *s = line;
    if (*s < '0' || *s > '9') return 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (r > (UINT64_MAX - 9) / 10) return 0;
        r = r * 10 + (uint64_t)(*s - '0');
    }
    if (*s != ',') return 0;
    *run = r;
    return 1;
}

/* Reads one input of a scan: its complete rows set their bits; a last line
 * without its newline (a kill during a write) is cut off; a file without a
 * complete header is removed. */
static ol_status scan_file(const char *path, uint64_t nruns, unsigned char *done, uint64_t *ndone, ol_error *err)
{
    FILE *f = fopen(path, "r+b");
    if (!f) return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    const char *header = ol_sweep_row_header();
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    off_t good = 0; /* bytes of complete lines */
    ol_status st = OL_OK;
    int cut = 0;
    while ((len = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (line[len - 1] != '\n') {
            cut = 1;
            break;
        }
        if (lineno == 1) {
            if (strcmp(line, header) != 0) {
                st = ol_error_set(err, OL_EPARSE, path, 1, 0, NULL,
                                  "not a file of sweep rows (its header is not runs.csv's)");
                break;
            }
        } else {
            uint64_t run;
            if (!row_run(line, &run)) {
                st = ol_error_set(err, OL_EPARSE, path, lineno, 1, "run", "not a row of a sweep");
                break;
            }
            if (run >= nruns) {
                st = ol_error_set(err, OL_EPARSE, path, lineno, 1, "run",
                                  "run %llu is beyond the design's %llu runs: the directory holds another design",
                                  (unsigned long long)run, (unsigned long long)nruns);
                break;
            }
            if (!(done[run / 8] & (1u << (run % 8)))) {
                done[run / 8] |= (unsigned char)(1u << (run % 8));
                (*ndone)++;
            }
        }
        good += (off_t)len;
    }
    if (!st && ferror(f)) st = ol_error_set(err, OL_EIO, path, 0, 0, NULL, "reading: %s", strerror(errno));
    free(line);
    if (!st && cut && ftruncate(fileno(f), good) != 0)
        st = ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot cut the truncated last line: %s", strerror(errno));
    fclose(f);
    if (!st && good == 0 && remove(path) != 0)
        st = ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot remove an empty part file: %s", strerror(errno));
    return st;
}

ol_status sw_scan(const char *dir, uint64_t nruns, unsigned char *done, uint64_t *ndone, unsigned *session,
                  ol_error *err)
{
    *ndone = 0;
    *session = 1;
    char *tmp = sw_path(dir, SW_FILE_RUNS ".tmp");
    if (!tmp) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    remove(tmp); /* an interrupted merge */
    free(tmp);
    char **in = NULL;
    unsigned maxs = 0;
    ol_status st = list_inputs(dir, &in, &maxs, err);
    for (size_t i = 0; !st && in[i]; i++) st = scan_file(in[i], nruns, done, ndone, err);
    free_list(in);
    *session = maxs + 1;
    return st;
}

/* ------------------------------------------------------------ the merge */

typedef struct merge_in {
    FILE *f;
    const char *path;
    char *line;
    size_t cap;
    uint64_t run;
    long lineno;
} merge_in;

/* Reads the next row of an input: 1, 0 at its end, -1 on error. */
static int merge_next(merge_in *m, ol_error *err)
{
    ssize_t len = getline(&m->line, &m->cap, m->f);
    if (len <= 0) {
        if (ferror(m->f)) {
            ol_error_set(err, OL_EIO, m->path, 0, 0, NULL, "reading: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    m->lineno++;
    if (m->line[len - 1] != '\n' || !row_run(m->line, &m->run)) {
        ol_error_set(err, OL_EPARSE, m->path, m->lineno, 1, "run", "not a complete row of a sweep");
        return -1;
    }
    return 1;
}

static void heap_down(merge_in **h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && h[l]->run < h[m]->run) m = l;
        if (r < n && h[r]->run < h[m]->run) m = r;
        if (m == i) return;
        merge_in *t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

ol_status sw_merge(const char *dir, uint64_t nruns, uint64_t *failed, ol_error *err)
{
    *failed = 0;
    char **in = NULL;
    ol_status st = list_inputs(dir, &in, NULL, err);
    if (st) return st;
    size_t k = 0;
    while (in[k]) k++;
    merge_in *m = calloc(k ? k : 1, sizeof *m);
    merge_in **heap = calloc(k ? k : 1, sizeof *heap);
    char *out = sw_path(dir, SW_FILE_RUNS), *tmp = sw_path(dir, SW_FILE_RUNS ".tmp");
    FILE *o = NULL;
    if (!m || !heap || !out || !tmp) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    if (!st && !(o = fopen(tmp, "wb")))
        st = ol_error_set(err, OL_EIO, tmp, 0, 0, NULL, "cannot write: %s", strerror(errno));
    if (!st) fputs(ol_sweep_row_header(), o);
    size_t n = 0;
    for (size_t i = 0; !st && i < k; i++) {
        m[i].path = in[i];
        if (!(m[i].f = fopen(in[i], "rb"))) {
            st = ol_error_set(err, OL_EIO, in[i], 0, 0, NULL, "cannot open: %s", strerror(errno));
            break;
        }
        /* the header, checked by the scan */
        ssize_t len = getline(&m[i].line, &m[i].cap, m[i].f);
        m[i].lineno = 1;
        if (len <= 0 || strcmp(m[i].line, ol_sweep_row_header()) != 0) {
            st = ol_error_set(err, OL_EPARSE, in[i], 1, 0, NULL, "not a file of sweep rows");
            break;
        }
        int r = merge_next(&m[i], err);
        if (r < 0) st = err ? err->code : OL_EPARSE;
        else if (r) heap[n++] = &m[i];
    }
    for (size_t i = n / 2; !st && i-- > 0;) heap_down(heap, n, i);
    uint64_t next = 0;
    while (!st && n) {
        merge_in *top = heap[0];
        if (top->run > next) {
            st = ol_error_set(err, OL_EPARSE, dir, 0, 0, "run", "run %llu is in no part file",
                              (unsigned long long)next);
            break;
        }
        if (top->run == next) { /* a run found twice (a kill after a merge) is written once */
            fputs(top->line, o);
            const char *c = strchr(top->line, ',');
            if (c && !strncmp(c, ",failed,", 8)) (*failed)++;
            next++;
        }
        int r = merge_next(top, err);
        if (r < 0) st = err ? err->code : OL_EPARSE;
        else if (r == 0) heap[0] = heap[--n];
        if (n) heap_down(heap, n, 0);
    }
    if (!st && next != nruns)
        st = ol_error_set(err, OL_EPARSE, dir, 0, 0, "run", "the part files hold %llu of %llu runs",
                          (unsigned long long)next, (unsigned long long)nruns);
    for (size_t i = 0; m && i < k; i++) {
        if (m[i].f) fclose(m[i].f);
        free(m[i].line);
    }
    if (o) {
        int bad = ferror(o);
        if (fclose(o) != 0) bad = 1;
        if (!st && bad) st = ol_error_set(err, OL_EIO, tmp, 0, 0, NULL, "writing failed: %s", strerror(errno));
    }
    if (!st && rename(tmp, out) != 0)
        st = ol_error_set(err, OL_EIO, out, 0, 0, NULL, "cannot move into place: %s", strerror(errno));
    if (st) {
        if (tmp) remove(tmp);
    } else {
        for (size_t i = 0; i < k; i++)
            if (strcmp(in[i], out) != 0) remove(in[i]);
        char *parts = sw_path(dir, SW_DIR_PARTS);
        if (parts) rmdir(parts);
        free(parts);
    }
    free(m);
    free(heap);
    free(out);
    free(tmp);
    free_list(in);
    return st;
}

/* ------------------------------------------------------------ execution */

typedef struct exec_state {
    const ol_sweep_plan *pl;
    const ol_sweep_exec *x;
    uint64_t nruns;
    const unsigned char *done;
    sw_counter *counter;
    uint64_t chunk;
    int rank, size;
    /* the hand-out, under mu */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint64_t pos, end; /* the current chunk [pos, end) */
    int exhausted;
    /* the ordered writer: tickets in run order within this process */
    uint64_t next_ticket, written;
    size_t window;
    unsigned char *ready;
    uint16_t *len;
    char *text; /* [window × SW_ROW_MAX] */
    FILE *part;
    const char *part_path;
    uint64_t ran, todo;
    /* stopping */
    int stop;
    ol_status st; /* the first error (a failed run with fail_fast, I/O, interruption) */
    ol_error err;
} exec_state;

static void stop_locked(exec_state *s, ol_status st, const ol_error *e)
{
    if (!s->stop) sw_counter_stop(s->counter);
    s->stop = 1;
    if (st && !s->st) {
        s->st = st;
        if (e) s->err = *e;
    }
    pthread_cond_broadcast(&s->cv);
}

/* The next run this process should do, or UINT64_MAX: runs finished
 * earlier are passed over. */
static uint64_t next_run_locked(exec_state *s)
{
    for (;;) {
        while (s->pos < s->end) {
            uint64_t r = s->pos++;
            if (!(s->done[r / 8] & (1u << (r % 8)))) return r;
        }
        if (s->exhausted) return UINT64_MAX;
        uint64_t start = sw_counter_fetch_add(s->counter, s->chunk);
        if (start >= s->nruns) {
            s->exhausted = 1;
            return UINT64_MAX;
        }
        s->pos = start;
        s->end = start + s->chunk < s->nruns ? start + s->chunk : s->nruns;
    }
}

static void write_ready_locked(exec_state *s)
{
    while (s->written < s->next_ticket && s->ready[s->written % s->window]) {
        size_t slot = s->written % s->window;
        if (fwrite(s->text + slot * SW_ROW_MAX, 1, s->len[slot], s->part) != s->len[slot] && !s->st) {
            ol_error e;
            ol_error_set(&e, OL_EIO, s->part_path, 0, 0, NULL, "writing: %s", strerror(errno));
            stop_locked(s, OL_EIO, &e);
        }
        s->ready[slot] = 0;
        s->written++;
        s->ran++;
        if (s->ran % FLUSH_EVERY == 0) fflush(s->part);
        if (s->rank == 0 && s->x->progress && (s->ran % PROGRESS_EVERY == 0 || s->ran == s->todo)) {
            /* under MPI rank 0 sees its own rows: the others' are about as many */
            uint64_t done = s->ran * (uint64_t)s->size;
            if (done > s->todo) done = s->todo;
            if (s->x->progress(s->x->progress_ctx, done, s->todo)) {
                ol_error e;
                ol_error_set(&e, OL_EINTERRUPTED, NULL, 0, 0, NULL, "the sweep was stopped");
                stop_locked(s, OL_EINTERRUPTED, &e);
            }
        }
    }
    pthread_cond_broadcast(&s->cv);
}

static void thread_main(exec_state *s)
{
    ol_sweep_worker *wk = NULL;
    ol_error e;
    ol_error_clear(&e);
    ol_status st = ol_sweep_worker_new(s->pl, &wk, &e);
    if (st) {
        pthread_mutex_lock(&s->mu);
        stop_locked(s, st, &e);
        pthread_mutex_unlock(&s->mu);
        return;
    }
    char row_text[SW_ROW_MAX];
    ol_sweep_row row;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        while (!s->stop && s->next_ticket >= s->written + s->window) pthread_cond_wait(&s->cv, &s->mu);
        uint64_t run = s->stop ? UINT64_MAX : next_run_locked(s);
        uint64_t ticket = s->next_ticket;
        if (run != UINT64_MAX) s->next_ticket++;
        pthread_mutex_unlock(&s->mu);
        if (run == UINT64_MAX) break;

        st = ol_sweep_worker_run(wk, run, &row, &e);
        int n = ol_sweep_row_format(&row, row_text, sizeof row_text);
        if (n < 0 || (size_t)n >= sizeof row_text) n = 0; /* cannot happen: rows are bounded */

        pthread_mutex_lock(&s->mu);
        size_t slot = ticket % s->window;
        memcpy(s->text + slot * SW_ROW_MAX, row_text, (size_t)n);
        s->len[slot] = (uint16_t)n;
        s->ready[slot] = 1;
        if (st && s->x->fail_fast) stop_locked(s, st, &e);
        write_ready_locked(s);
        pthread_mutex_unlock(&s->mu);
    }
    ol_sweep_worker_free(wk);
}

static ol_status make_dir(const char *path, ol_error *err)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot create the directory: %s", strerror(errno));
    return OL_OK;
}

ol_status ol_sweep_execute(const ol_sweep_plan *pl, const char *dir, const ol_sweep_exec *x, ol_sweep_stats *stats,
                           ol_error *err)
{
    ol_error_clear(err);
    ol_sweep_exec defx = {0};
    if (!x) x = &defx;
    ol_sweep_stats dummy;
    if (!stats) stats = &dummy;
    memset(stats, 0, sizeof *stats);
    if (!pl || !dir) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_sweep_execute: missing argument");
    int mpi = x->mpi != 0;
    exec_state s;
    memset(&s, 0, sizeof s);
    s.pl = pl;
    s.x = x;
    sw_procs(mpi, &s.rank, &s.size);
    s.nruns = ol_sweep_plan_runs(pl);
    stats->runs = s.nruns;
    stats->ranks = s.size;
    size_t nbytes = (size_t)(s.nruns / 8 + 1);
    unsigned char *done = calloc(nbytes, 1);
    char *parts = sw_path(dir, SW_DIR_PARTS);
    ol_status st = done && parts ? OL_OK : ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");

    /* what earlier sessions finished (rank 0 reads, every rank learns) */
    uint64_t meta[2] = {0, 0}; /* done before, session */
    if (!st && s.rank == 0) {
        unsigned session = 1;
        st = make_dir(dir, err);
        if (!st) st = make_dir(parts, err);
        if (!st) st = sw_scan(dir, s.nruns, done, &meta[0], &session, err);
        meta[1] = session;
    }
    ol_status agreed = mpi ? ol_sweep_mpi_agree(st) : st;
    if (agreed && !st) st = ol_error_set(err, agreed, NULL, 0, 0, NULL, "rank 0 could not read the sweep directory");
    if (st) {
        free(done);
        free(parts);
        return st;
    }
    sw_bcast(mpi, meta, sizeof meta);
    sw_bcast(mpi, done, nbytes);
    s.done = done;
    stats->done_before = meta[0];
    s.todo = s.nruns - meta[0];

    int threads = x->threads > 0 ? x->threads : (s.size > 1 ? 1 : omp_get_max_threads());
    if (threads < 1) threads = 1;
    stats->threads = threads;
    uint64_t workers = (uint64_t)threads * (uint64_t)s.size;
    s.chunk = x->chunk ? x->chunk : s.todo / (workers * CHUNKS_PER_WORKER);
    if (s.chunk < 1) s.chunk = 1;
    if (s.chunk > CHUNK_MAX && !x->chunk) s.chunk = CHUNK_MAX;
    s.window = (size_t)threads * WINDOW_PER_THREAD;
    s.ready = calloc(s.window, 1);
    s.len = calloc(s.window, sizeof *s.len);
    s.text = malloc(s.window * SW_ROW_MAX);
    char name[64];
    snprintf(name, sizeof name, "part-%04u-%03d.csv", (unsigned)meta[1], s.rank);
    char *part_path = sw_path(parts, name);
    if (!s.ready || !s.len || !s.text || !part_path) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    if (!st && s.todo > 0) {
        s.part_path = part_path;
        if (!(s.part = fopen(part_path, "wb")))
            st = ol_error_set(err, OL_EIO, part_path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        else fputs(ol_sweep_row_header(), s.part);
    }
    agreed = mpi ? ol_sweep_mpi_agree(st) : st;
    if (agreed && !st) st = ol_error_set(err, agreed, NULL, 0, 0, NULL, "another rank could not start");
    if (!st && (st = sw_counter_new(mpi, &s.counter, err)) == OL_OK) {
        pthread_mutex_init(&s.mu, NULL);
        pthread_cond_init(&s.cv, NULL);
        if (s.todo > 0) {
#pragma omp parallel num_threads(threads)
            thread_main(&s);
        }
        pthread_mutex_destroy(&s.mu);
        pthread_cond_destroy(&s.cv);
        sw_counter_free(s.counter); /* collective: every rank has stopped fetching */
        if (s.st) {
            st = s.st;
            if (err) *err = s.err;
        }
    }
    if (s.part) {
        int bad = ferror(s.part);
        if (fclose(s.part) != 0) bad = 1;
        if (bad && !st) st = ol_error_set(err, OL_EIO, part_path, 0, 0, NULL, "writing failed: %s", strerror(errno));
        if (s.ran == 0) remove(part_path);
    }
    stats->ran = sw_sum_u64(mpi, s.ran);
    int stopped = (int)sw_sum_u64(mpi, (uint64_t)(s.stop != 0));
    agreed = mpi ? ol_sweep_mpi_agree(st) : st;
    if (agreed && !st) st = ol_error_set(err, agreed, NULL, 0, 0, NULL, "another rank failed (see its message)");

    /* every run finished: rank 0 merges */
    if (!st && !stopped) {
        if (s.rank == 0) st = sw_merge(dir, s.nruns, &stats->failed, err);
        agreed = mpi ? ol_sweep_mpi_agree(st) : st;
        if (agreed && !st) st = ol_error_set(err, agreed, NULL, 0, 0, NULL, "rank 0 could not merge the part files");
        sw_bcast(mpi, &stats->failed, sizeof stats->failed);
        stats->complete = !st;
    }
    free(s.ready);
    free(s.len);
    free(s.text);
    free(part_path);
    free(parts);
    free(done);
    return st;
}
