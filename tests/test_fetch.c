/* fetch: the World Bank API client against a loopback HTTP server that this
 * test runs in a thread (127.0.0.1 only; no other address is contacted).
 * Pages, vintage, URL form, API error objects, HTTP errors, refused
 * connections, timeouts, interruption; every failure leaves the store as it
 * was. */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ------------------------------------------------------------ the server */

typedef struct route {
    const char *match;   /* substring of the request target; NULL ends the table */
    int status;
    const char *body;
    int hang;            /* accept the request and never answer */
} route;

typedef struct server {
    int fd;
    int port;
    pthread_t thread;
    const route *routes;
    volatile int stop;
    int requests;
    char last_target[2048];
    pthread_mutex_t lock;
} server;

static void respond(int c, int status, const char *body)
{
    char head[256];
    size_t n = strlen(body);
    int h = snprintf(head, sizeof head,
                     "HTTP/1.1 %d X\r\nContent-Type: application/json;charset=utf-8\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n", status, n);
    if (write(c, head, (size_t)h) < 0) return;
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(c, body + off, n - off);
        if (w <= 0) return;
        off += (size_t)w;
    }
}

static void *serve(void *arg)
{
    server *s = arg;
    while (!s->stop) {
        struct pollfd p = {s->fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0) continue;
        int c = accept(s->fd, NULL, NULL);
        if (c < 0) continue;
        char req[8192];
        size_t len = 0;
        while (len < sizeof req - 1) {
            ssize_t r = read(c, req + len, sizeof req - 1 - len);
            if (r <= 0) break;
            len += (size_t)r;
            req[len] = '\0';
            if (strstr(req, "\r\n\r\n")) break;
        }
        req[len] = '\0';
        char target[2048] = "";
        sscanf(req, "GET %2047s", target);
        pthread_mutex_lock(&s->lock);
        s->requests++;
        snprintf(s->last_target, sizeof s->last_target, "%s", target);
        pthread_mutex_unlock(&s->lock);
        const route *rt = NULL;
        for (const route *r = s->routes; r->match; r++)
            if (strstr(target, r->match)) { rt = r; break; }
        if (!rt) {
            respond(c, 404, "not found");
        } else if (rt->hang) {
            while (!s->stop) {
                struct pollfd q = {c, POLLIN, 0};
                if (poll(&q, 1, 50) > 0) {
                    char tmp[256];
                    if (read(c, tmp, sizeof tmp) <= 0) break; /* the client gave up */
                }
            }
        } else {
            respond(c, rt->status, rt->body);
        }
        close(c);
    }
    return NULL;
}

static server *server_start(const route *routes)
{
    server *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->routes = routes;
    pthread_mutex_init(&s->lock, NULL);
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s->fd >= 0);
    int one = 1;
    setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0; /* a free port */
    assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(s->fd, 8), 0);
    socklen_t al = sizeof a;
    assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &al), 0);
    s->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
    return s;
}

static void server_stop(server *s)
{
    s->stop = 1;
    pthread_join(s->thread, NULL);
    close(s->fd);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* A loopback port with nothing listening (bound, then closed). */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t al = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &al);
    close(fd);
    return ntohs(a.sin_port);
}

/* ------------------------------------------------------------ fixtures */

#define REC(iso3, id, name, year, value) \
    "{\"indicator\":{\"id\":\"NY.GDP.MKTP.CD\",\"value\":\"GDP (current US$)\"},\"country\":{\"id\":\"" id \
    "\",\"value\":\"" name "\"},\"countryiso3code\":\"" iso3 "\",\"date\":\"" year "\",\"value\":" value \
    ",\"unit\":\"\",\"obs_status\":\"\",\"decimal\":0}"
#define META(page, pages, total, lu) \
    "{\"page\":" #page ",\"pages\":" #pages ",\"per_page\":3,\"total\":" #total ",\"sourceid\":\"2\",\"lastupdated\":\"" lu "\"}"

static const char PAGE1[] = "[" META(1, 2, 5, "2025-07-01") ",[" REC("USA", "US", "United States", "2023", "27360935000000")
    "," REC("USA", "US", "United States", "2022", "25744108000000") "," REC("WLD", "1W", "World", "2023", "null") "]]";
static const char PAGE2[] = "[" META(2, 2, 5, "2025-07-01") ",[" REC("CHN", "CN", "China", "2023", "17794783039552.0")
    "," REC("EUU", "EU", "European Union", "2023", "18349021000000.5") "]]";
static const char PAGE2_CHANGED[] = "[" META(2, 2, 5, "2025-07-30") ",[" REC("CHN", "CN", "China", "2023", "1") "]]";
static const char PAGE2_BADCODE[] = "[" META(2, 2, 5, "2025-07-01") ",[" REC("QQQ", "QQ", "Atlantis", "2023", "1") "]]";
static const char API_ERROR[] =
    "[{\"message\":[{\"id\":\"120\",\"key\":\"Invalid value\",\"value\":\"The provided parameter value is not valid\"}]}]";

typedef struct fixture {
    char *dir;
    ol_store *s;
    ol_test_snapshot before;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = ol_test_tmpdir();
    f->s = ol_test_store(f->dir);
    f->before = ol_test_snap(f->s);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ol_store_close(f->s);
    ol_test_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static void assert_unchanged(fixture *f)
{
    ol_test_snapshot now = ol_test_snap(f->s);
    ol_test_snapshot_same(&f->before, &now);
}

static void base_url(char *buf, size_t n, int port)
{
    snprintf(buf, n, "http://127.0.0.1:%d", port);
}

static ol_status fetch(fixture *f, int port, ol_fetch_options *opt, ol_import_summary *sum, ol_error *err)
{
    char base[64];
    base_url(base, sizeof base, port);
    opt->base_url = base;
    ol_error_clear(err);
    return ol_fetch_wdi(f->s, "NY.GDP.MKTP.CD", opt, sum, NULL, err);
}

static char *sql_text(ol_store *s, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(ol_store_db(s), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *r = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return r;
}

/* ------------------------------------------------------------ tests */

static void test_two_pages(void **state)
{
    fixture *f = *state;
    static const route routes[] = {
        {"page=1", 200, PAGE1, 0}, {"page=2", 200, PAGE2, 0}, {NULL, 0, NULL, 0},
    };
    server *srv = server_start(routes);
    ol_fetch_options opt;
    ol_fetch_options_init(&opt);
    ol_import_summary sum;
    ol_error err;
    OL_ASSERT_OK(fetch(f, srv->port, &opt, &sum, &err), &err);
    assert_int_equal(srv->requests, 2);
    assert_non_null(strstr(srv->last_target, "/v2/country/all/indicator/NY.GDP.MKTP.CD?format=json&per_page=20000&page=2"));
    assert_int_equal(sum.rows_read, 5);
    assert_int_equal(sum.rows_kept, 4);
    assert_int_equal(sum.rows_skipped, 1);
    char *t = sql_text(f->s, "SELECT kind || '|' || name || '|' || vintage FROM sources");
    assert_string_equal(t, "wb-api|NY.GDP.MKTP.CD|2025-07-01");
    free(t);
    t = sql_text(f->s, "SELECT path FROM sources");
    assert_non_null(strstr(t, "127.0.0.1"));
    assert_non_null(strstr(t, "/v2/country/all/indicator/NY.GDP.MKTP.CD"));
    free(t);
    t = sql_text(f->s, "SELECT value || '|' || vintage FROM indicator_values WHERE country = 'EUU'");
    assert_string_equal(t, "18349021000000.5|2025-07-01");
    free(t);
    /* Fetching again at the same vintage replaces, never duplicates. */
    OL_ASSERT_OK(fetch(f, srv->port, &opt, &sum, &err), &err);
    assert_int_equal(ol_test_count(f->s, "indicator_values"), 4);
    assert_int_equal(ol_test_count(f->s, "sources"), 1);
    /* Countries and years go into the URL. */
    opt.countries = "USA;CHN";
    opt.from_year = 2000;
    opt.until_year = 2023;
    OL_ASSERT_OK(fetch(f, srv->port, &opt, &sum, &err), &err);
    assert_non_null(strstr(srv->last_target, "/v2/country/USA;CHN/indicator/NY.GDP.MKTP.CD?"));
    assert_non_null(strstr(srv->last_target, "&date=2000:2023"));
    server_stop(srv);
}

static void test_save_and_reimport(void **state)
{
    fixture *f = *state;
    static const route routes[] = {
        {"page=1", 200, PAGE1, 0}, {"page=2", 200, PAGE2, 0}, {NULL, 0, NULL, 0},
    };
    server *srv = server_start(routes);
    char *saved = ol_test_path(f->dir, "gdp.json");
    ol_fetch_options opt;
    ol_fetch_options_init(&opt);
    opt.save_path = saved;
    ol_import_summary sum, sum2;
    ol_error err;
    OL_ASSERT_OK(fetch(f, srv->port, &opt, &sum, &err), &err);
    server_stop(srv);
    /* The saved responses import the same way, offline. */
    OL_ASSERT_OK(ol_import_file(f->s, "wb-api", saved, NULL, &sum2, NULL, &err), &err);
    assert_int_equal(sum2.rows_read, sum.rows_read);
    assert_int_equal(sum2.rows_kept, sum.rows_kept);
    free(saved);
}

static void test_api_error_object(void **state)
{
    fixture *f = *state;
    static const route routes[] = {{"indicator", 200, API_ERROR, 0}, {NULL, 0, NULL, 0}};
    server *srv = server_start(routes);
    ol_fetch_options opt;
    ol_fetch_options_init(&opt);
    ol_import_summary sum;
    ol_error err;
    assert_int_equal(fetch(f, srv->port, &opt, &sum, &err), OL_ENETWORK);
    assert_int_equal(ol_status_exit_code(err.code), 6);
    assert_non_null(strstr(err.message, "120"));
    assert_non_null(strstr(err.message, "Invalid value"));
    assert_non_null(strstr(err.message, "The provided parameter value is not valid"));
    assert_non_null(strstr(err.file, "127.0.0.1"));
    assert_unchanged(f);
    server_stop(srv);
}

static void test_http_errors(void **state)
{
    fixture *f = *state;
    ol_fetch_options opt;
    ol_fetch_options_init(&opt);
    ol_import_summary sum;
    ol_error err;
    /* 404: nothing routed. */
    static const route none[] = {{NULL, 0, NULL, 0}};
    server *srv = server_start(none);
    assert_int_equal(fetch(f, srv->port, &opt, &sum, &err), OL_ENETWORK);
    assert_non_null(strstr(err.message, "404"));
    server_stop(srv);
    /* 500 on the second page: the first is not imported either. */
    static const route half[] = {{"page=1", 200, PAGE1, 0}, {"page=2", 500, "oops", 0}, {NULL, 0, NULL, 0}};
    srv = server_start(half);
    assert_int_equal(fetch(f, srv->port, &opt, &sum, &err), OL_ENETWORK);
    assert_non_null(strstr(err.message, "500"));
    server_stop(srv);
    /* Not JSON. */
    static const route html[] = {{"indicator", 200, "<html>maintenance</html>", 0}, {NULL, 0, NULL, 0}};
    srv = server_start(html);
    assert_int_equal(fetch(f, srv->port, &opt, &sum, &err), OL_ENETWORK);
    assert_non_null(strstr(err.message, "not JSON"));
    server_stop(srv);
    /* No data at all: the API's empty answer. */
    static const route empty[] = {{"indicator", 200, "[{\"page\":0,\"pages\":0,\"per_page\":null,\"total\":0},null]", 0},
                                  {NULL, 0, NULL, 0}};
    srv = server_start(empty);
    assert_int_equal(fetch(f, srv->port, &opt, &sum, &err), OL_ENOTFOUND);
    assert_non_null(strstr(err.message, "no data"));
    server_stop(srv);
    /* The data changed between pages. */
    static const route changed[] = {{"page=1", 200, PAGE1, 0}, {"page=2", 200, PAGE2_CHANGED, 0}, {NULL, 0, NULL, 0}};
    srv = server_start(changed);
    assert_int_equal(fetch(f, srv->port, &opt, &sum, &err), OL_ENETWORK);
    assert_non_null(strstr(err.message, "changed"));
    server_stop(srv);
    assert_unchanged(f);
}

static void test_connection_refused(void **state)
{
    fixture *f = *state;
    ol_fetch_options opt;
    ol_fetch_options_init(&opt);
    ol_import_summary sum;
    ol_error err;
    assert_int_equal(fetch(f, closed_port(), &opt, &sum, &err), OL_ENETWORK);
    assert_non_null(strstr(err.message, "download failed"));
    assert_unchanged(f);
}

static void test_timeout(void **state)
{
    fixture *f = *state;
    static const route routes[] = {{"indicator", 200, NULL, 1}, {NULL, 0, NULL, 0}};
    server *srv = server_start(routes);
    ol_fetch_options opt;
    ol_fetch_options_init(&opt);
    opt.timeout = 1;
    ol_import_summary sum;
    ol_error err;
    assert_int_equal(fetch(f, srv->port, &opt, &sum, &err), OL_ENETWORK);
    assert_non_null(strstr(err.message, "imeout"));
    assert_unchanged(f);
    server_stop(srv);
}

static int stop_now(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx; (void)done; (void)total;
    return 1;
}

static void test_interrupted_and_rejects(void **state)
{
    fixture *f = *state;
    static const route routes[] = {
        {"page=1", 200, PAGE1, 0}, {"page=2", 200, PAGE2_BADCODE, 0}, {NULL, 0, NULL, 0},
    };
    server *srv = server_start(routes);
    ol_fetch_options opt;
    ol_fetch_options_init(&opt);
    ol_import_summary sum;
    ol_error err;
    opt.progress = stop_now;
    assert_int_equal(fetch(f, srv->port, &opt, &sum, &err), OL_EINTERRUPTED);
    assert_unchanged(f);
    /* An unknown country code is a reject that names the URL, not a temporary file. */
    opt.progress = NULL;
    assert_int_equal(fetch(f, srv->port, &opt, &sum, &err), OL_EVALIDATE);
    assert_non_null(strstr(err.message, "QQQ"));
    assert_non_null(strstr(err.file, "127.0.0.1"));
    assert_string_equal(err.field, "countryiso3code");
    assert_unchanged(f);
    /* Tolerated, it is stored in the reject report. */
    opt.max_rejects = 1;
    OL_ASSERT_OK(fetch(f, srv->port, &opt, &sum, &err), &err);
    assert_int_equal(sum.rows_rejected, 1);
    assert_int_equal(ol_test_count(f->s, "import_rejects"), 1);
    server_stop(srv);
}

static void test_bad_arguments(void **state)
{
    fixture *f = *state;
    ol_fetch_options opt;
    ol_fetch_options_init(&opt);
    ol_import_summary sum;
    ol_error err;
    opt.base_url = "http://127.0.0.1:9";
    assert_int_equal(ol_fetch_wdi(f->s, "NY GDP", &opt, &sum, NULL, &err), OL_EINVAL);
    assert_int_equal(ol_fetch_wdi(f->s, "", &opt, &sum, NULL, &err), OL_EINVAL);
    opt.countries = "USA/../x";
    assert_int_equal(ol_fetch_wdi(f->s, "NY.GDP.MKTP.CD", &opt, &sum, NULL, &err), OL_EINVAL);
    opt.countries = NULL;
    opt.from_year = 2020;
    opt.until_year = 2000;
    assert_int_equal(ol_fetch_wdi(f->s, "NY.GDP.MKTP.CD", &opt, &sum, NULL, &err), OL_EINVAL);
    opt.from_year = opt.until_year = 0;
    opt.base_url = "ftp://127.0.0.1";
    assert_int_equal(ol_fetch_wdi(f->s, "NY.GDP.MKTP.CD", &opt, &sum, NULL, &err), OL_EINVAL);
    assert_unchanged(f);
}

int main(void)
{
    /* Loopback only: no proxy may sit between the test and its server. */
    static const char *const proxies[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                          "all_proxy", "ALL_PROXY"};
    for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++) unsetenv(proxies[i]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_and_reimport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_error_object, setup, teardown),
        cmocka_unit_test_setup_teardown(test_http_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_connection_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupted_and_rejects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
