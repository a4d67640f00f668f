#include "testutil.h"

#include "util/csvread.h"
#include "util/embedded.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *ol_test_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/orderlab-test-XXXXXX", base && *base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

void ol_test_rmtree(const char *dir)
{
    if (!dir || strlen(dir) < 8) return;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    int rc = system(cmd);
    (void)rc;
}

char *ol_test_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

const char OL_TEST_CENSUS_HEAD[] =
    "year,CTY_CODE,CTYNAME,IJAN,IFEB,IMAR,IAPR,IMAY,IJUN,IJUL,IAUG,ISEP,IOCT,INOV,IDEC,IYR,"
    "EJAN,EFEB,EMAR,EAPR,EMAY,EJUN,EJUL,EAUG,ESEP,EOCT,ENOV,EDEC,EYR\n";

void ol_test_census_line(char *buf, size_t n, int year, const char *code, const char *name, double m, double e,
                         int months)
{
    size_t len = (size_t)snprintf(buf, n, "%d,%s,%s", year, code, name);
    for (int k = 0; k < 2; k++) {
        double v = k ? e : m;
        for (int i = 0; i < 12; i++) len += (size_t)snprintf(buf + len, n - len, ",%g", i < months ? v : 0.0);
        len += (size_t)snprintf(buf + len, n - len, ",%g", v * months);
    }
    snprintf(buf + len, n - len, "\n");
}

const ol_simulate_magnitude *ol_test_magnitude(const ol_simulate_world *sw, const char *subject,
                                               const char *quantity)
{
    size_t n;
    const ol_simulate_magnitude *m = ol_simulate_world_magnitudes(sw, &n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(m[i].subject, subject) && !strncmp(m[i].quantity, quantity, strlen(quantity))) return &m[i];
    fail_msg("no magnitude %s %s", subject, quantity);
    return NULL;
}

char *ol_test_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_true(size >= 0);
    rewind(f);
    char *b = malloc((size_t)size + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)size, f), (size_t)size);
    b[size] = '\0';
    fclose(f);
    if (n) *n = (size_t)size;
    return b;
}

char *ol_test_write(const char *dir, const char *name, const char *text)
{
    char *p = ol_test_path(dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fwrite(text, 1, strlen(text), f);
    fclose(f);
    return p;
}

ol_store *ol_test_store(const char *dir)
{
    char *p = ol_test_path(dir, "orderlab.db");
    ol_store *s = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_open(p, OL_STORE_READWRITE, &s, &err), &err);
    free(p);
    return s;
}

ol_test_fixture *ol_test_fixture_new(void)
{
    ol_test_fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = ol_test_tmpdir();
    f->s = ol_test_store(f->dir);
    return f;
}

void ol_test_fixture_free(ol_test_fixture *f)
{
    if (!f) return;
    ol_store_close(f->s);
    ol_test_rmtree(f->dir);
    free(f->dir);
    free(f);
}

int ol_test_setup(void **state)
{
    *state = ol_test_fixture_new();
    return 0;
}

int ol_test_teardown(void **state)
{
    ol_test_fixture_free(*state);
    *state = NULL;
    return 0;
}

int64_t ol_test_count(ol_store *s, const char *table)
{
    int64_t n = -1;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_store_count(s, table, &n, &err), &err);
    return n;
}

int ol_test_run(const char *cmd, char **out)
{
    char full[8192];
    snprintf(full, sizeof full, "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    assert_non_null(p);
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 2) { cap *= 2; buf = realloc(buf, cap); assert_non_null(buf); }
    }
    buf[len] = '\0';
    int status = pclose(p);
    if (out) *out = buf; else free(buf);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

const char *ol_test_shared_data(void)
{
    const char *d = getenv("ORDERLAB_SHARED_DATA");
    struct stat sb;
    if (!d || !*d || stat(d, &sb) != 0 || !S_ISDIR(sb.st_mode)) return NULL;
    return d;
}

char *ol_test_data_file(const char *rel)
{
    const char *d = ol_test_shared_data();
    if (!d) fail_msg("staged data not found (ORDERLAB_SHARED_DATA) for %s", rel);
    return ol_test_path(d, rel);
}

ol_status ol_test_import_text(ol_test_fixture *f, const char *kind, const char *name, const char *text,
                              const char *series, const char *vintage, int64_t max_rejects,
                              ol_import_summary *sum, ol_error *err)
{
    char *p = ol_test_write(f->dir, name, text);
    ol_import_options opt;
    ol_import_options_init(&opt);
    opt.series = series;
    opt.vintage = vintage;
    opt.max_rejects = max_rejects;
    ol_error_clear(err);
    ol_status st = ol_import_file(f->s, kind, p, &opt, sum, NULL, err);
    free(p);
    return st;
}

void ol_test_import_ok(ol_test_fixture *f, const char *kind, const char *name, const char *text,
                       const char *vintage, ol_import_summary *sum)
{
    ol_error err;
    ol_import_summary local;
    OL_ASSERT_OK(ol_test_import_text(f, kind, name, text, NULL, vintage, 0, sum ? sum : &local, &err), &err);
}

static sqlite3_stmt *query(ol_store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ol_store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(ol_store_db(s)));
    return st;
}

int64_t ol_test_query_int(ol_store *s, const char *sql)
{
    sqlite3_stmt *st = query(s, sql);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -999;
    sqlite3_finalize(st);
    return v;
}

double ol_test_query_double(ol_store *s, const char *sql)
{
    sqlite3_stmt *st = query(s, sql);
    double v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_double(st, 0) : -999;
    sqlite3_finalize(st);
    return v;
}

/* FNV-1a over the bytes, with a separator so that ("ab","c") and ("a","bc")
 * differ. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001b3ULL;
    return (h ^ 0xff) * 0x100000001b3ULL;
}

ol_test_snapshot ol_test_snap(ol_store *s)
{
    ol_test_snapshot snap, *out = &snap;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *names = query(s, "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                   "AND name NOT LIKE 'sqlite_%' ORDER BY name");
    while (sqlite3_step(names) == SQLITE_ROW) {
        assert_true(out->ntables < OL_TEST_SNAPSHOT_MAX);
        size_t t = out->ntables++;
        snprintf(out->table[t], sizeof out->table[t], "%s", (const char *)sqlite3_column_text(names, 0));
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY rowid", out->table[t]);
        sqlite3_stmt *rows = NULL;
        /* WITHOUT ROWID tables have no rowid: their primary key orders them */
        if (sqlite3_prepare_v2(ol_store_db(s), sql, -1, &rows, NULL) != SQLITE_OK) {
            snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", out->table[t]);
            rows = query(s, sql);
        }
        uint64_t h = 0xcbf29ce484222325ULL;
        while (sqlite3_step(rows) == SQLITE_ROW) {
            out->rows[t]++;
            for (int c = 0; c < sqlite3_column_count(rows); c++) {
                const unsigned char *v = sqlite3_column_text(rows, c);
                h = v ? fnv(h, v, (size_t)sqlite3_column_bytes(rows, c)) : fnv(h, "\x01NULL", 5);
            }
        }
        sqlite3_finalize(rows);
        out->hash[t] = h;
    }
    sqlite3_finalize(names);
    return snap;
}

static void snapshot_compare(const ol_test_snapshot *a, const ol_test_snapshot *b, int contents)
{
    if (a->ntables != b->ntables) fail_msg("the store has %zu tables, before %zu", b->ntables, a->ntables);
    for (size_t t = 0; t < a->ntables; t++) {
        if (strcmp(a->table[t], b->table[t]) != 0) fail_msg("table %s became %s", a->table[t], b->table[t]);
        if (a->rows[t] != b->rows[t])
            fail_msg("table %s changed: %lld rows before, %lld after", a->table[t], (long long)a->rows[t],
                     (long long)b->rows[t]);
        if (contents && a->hash[t] != b->hash[t]) fail_msg("table %s changed: same %lld rows, other contents", a->table[t],
                                               (long long)a->rows[t]);
    }
}

void ol_test_snapshot_same(const ol_test_snapshot *a, const ol_test_snapshot *b) { snapshot_compare(a, b, 1); }
void ol_test_snapshot_same_counts(const ol_test_snapshot *a, const ol_test_snapshot *b) { snapshot_compare(a, b, 0); }

const char *ol_test_query_text(ol_store *s, const char *sql, char *buf, size_t n)
{
    sqlite3_stmt *st = query(s, sql);
    snprintf(buf, n, "(no row)");
    if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(buf, n, "%s", t ? (const char *)t : "(null)");
    }
    sqlite3_finalize(st);
    return buf;
}

double ol_test_value(ol_store *s, const char *series, const char *country, int year)
{
    sqlite3_stmt *st = query(s, "SELECT value FROM indicator_values WHERE series = ?1 AND country = ?2 AND year = ?3");
    sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, country, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, year);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        fail_msg("no value of %s for %s %d", series, country, year);
    }
    double v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* One file per program defines the LeakSanitizer settings. */
#include "util/sanitizer.h"

/* ------------------------------------------------------------ tables */
static ol_test_table *table_read(ol_csv *r)
{
    ol_error err;
    ol_error_clear(&err);
    ol_test_table *t = calloc(1, sizeof *t);
    assert_non_null(t);
    int rc = ol_csv_next(r, &err);
    if (rc != 1) fail_msg("%s: no header: %s", ol_csv_name(r), err.message);
    t->ncols = ol_csv_nfields(r);
    t->head = calloc(t->ncols, sizeof *t->head);
    assert_non_null(t->head);
    for (size_t i = 0; i < t->ncols; i++) t->head[i] = strdup(ol_csv_field(r, i));
    size_t cap = 0;
    while ((rc = ol_csv_next(r, &err)) == 1) {
        if (t->nrows == cap) {
            cap = cap ? 2 * cap : 64;
            t->rows = realloc(t->rows, cap * sizeof *t->rows);
            t->lines = realloc(t->lines, cap * sizeof *t->lines);
            assert_non_null(t->rows);
            assert_non_null(t->lines);
        }
        char **row = calloc(t->ncols, sizeof *row);
        assert_non_null(row);
        for (size_t i = 0; i < t->ncols; i++) row[i] = strdup(ol_csv_field(r, i));
        t->rows[t->nrows] = row;
        t->lines[t->nrows] = ol_csv_line(r);
        t->nrows++;
    }
    if (rc < 0) {
        char b[2048];
        ol_error_format(&err, b, sizeof b);
        fail_msg("%s", b);
    }
    return t;
}

ol_test_table *ol_test_table_embedded(const char *name)
{
    const ol_embedded_file *f = ol_embedded_find(name);
    if (!f) fail_msg("%s is not embedded", name);
    FILE *fp = fmemopen((void *)f->data, f->size, "r");
    assert_non_null(fp);
    ol_csv *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_csv_open_stream(fp, name, NULL, &r, &err), &err);
    ol_test_table *t = table_read(r);
    ol_csv_close(r);
    fclose(fp);
    return t;
}

ol_test_table *ol_test_table_file(const char *path, char delim)
{
    ol_csv_options opt = {.delimiter = delim, .encoding = NULL};
    ol_csv *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_csv_open(path, &opt, &r, &err), &err);
    ol_test_table *t = table_read(r);
    ol_csv_close(r);
    return t;
}

void ol_test_table_free(ol_test_table *t)
{
    if (!t) return;
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t i = 0; i < t->ncols; i++) free(t->rows[r][i]);
        free(t->rows[r]);
    }
    for (size_t i = 0; i < t->ncols; i++) free(t->head[i]);
    free(t->rows);
    free(t->lines);
    free(t->head);
    free(t);
}

size_t ol_test_table_col(const ol_test_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->head[i], name) == 0) return i;
    fail_msg("no column '%s'", name);
    return 0;
}

const char *ol_test_table_get(const ol_test_table *t, size_t r, const char *name)
{
    return t->rows[r][ol_test_table_col(t, name)];
}
