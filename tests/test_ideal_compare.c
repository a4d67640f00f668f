/* The ideal-point comparison (ideal_compare.h) on a fixture panel whose
 * statistics were computed independently (Python's statistics module):
 * matching by session and by year, per-session and per-country r with the
 * min_n rule, pooled r, the common scale and its largest residuals, the
 * polarity warning, origins and duplicates, the calibration across
 * sessions, and every error path. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The panel.  A = orderlab-dynamic in the store, B = bsv-all in the file.
 *   session 1 (1946): a = 1 2 3 4, b = 1 3 2 4   (r = 0.8)
 *   session 2 (1947): a = 1 2 3 4, b = 2 4 6 8   (r = 1)
 *   session 3 (1948): USA a 5 b 1, GBR a 6 b 9   (2 countries: no r)
 * plus RUS session 3 in A only and CHN session 1 in B only (unmatched). */
typedef struct row { const char *code; int cown; int session; double a, b; } row;
static const row PANEL[] = {
    {"USA", 2, 1, 1, 1}, {"GBR", 200, 1, 2, 3}, {"FRA", 220, 1, 3, 2}, {"RUS", 365, 1, 4, 4},
    {"USA", 2, 2, 1, 2}, {"GBR", 200, 2, 2, 4}, {"FRA", 220, 2, 3, 6}, {"RUS", 365, 2, 4, 8},
    {"USA", 2, 3, 5, 1}, {"GBR", 200, 3, 6, 9},
};
enum { NPANEL = sizeof PANEL / sizeof PANEL[0] };
/* Expected (Python 3.11, statistics.correlation / linear_regression; the
 * Spearman rho as the Pearson r of mid-ranks). */
static const double R_ALL = 0.5668202012651357, RHO_ALL = 0.47368648068904984;
static const double SLOPE = 0.9638554216867469, INTERCEPT = 1.0120481927710845;
static const double R_USA = -0.5, R_GBR = 0.9878291611472619, R_POOLED = 0.9569321102069626;
static const double RES_USA3 = -4.831325301204819, RES_RUS2 = 3.1325301204819276;
/* Calibration over sessions 1 and 2 (session 3 has no r): sessions' own
 * lines b = 0.5 + 0.8 a and b = 2 a; A standardised within each session
 * against B, and the lines' fitted values against B. */
static const double R_STD = 0.7229568912920512, R_LINES = 0.9757048734120376;
static const double TOL = 1e-9;

static const char SESSION_HEAD[] = "\"\",\"ccode\",\"session\",\"NVotesAll\",\"IdealPointAll\",\"Q5%All\",\"Q50%All\","
                                   "\"Q95%All\",\"iso3c\",\"Countryname\"\n";
static const char YEAR_HEAD[] =
    "ccode,iso3c,countryname,year,idealpointfp,idealpointall,idealpointlegacy,nvotesfp,q5fp,q50fp,q95fp,"
    "nvotesall,q5all,q50all,q95all,nvotesLegacy\n";

static int64_t new_run(ol_store *s)
{
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_store_exec(s, "INSERT INTO runs(kind, status) VALUES ('ideal', 'ok')", &err), &err);
    return ol_test_query_int(s, "SELECT max(id) FROM runs");
}

/* Stores side A (negated when flip) as run `run` of estimate est. */
static void store_a(ol_store *s, const char *est, int flip)
{
    int64_t run = new_run(s);
    char sql[512];
    ol_error err;
    ol_error_clear(&err);
    for (size_t i = 0; i < NPANEL; i++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO ideal_points(estimate, country, period_kind, period, year, value, se, nvotes, run_id) "
                 "VALUES ('%s', '%s', 'session', %d, %d, %.17g, 0.1, 50, %lld)",
                 est, PANEL[i].code, PANEL[i].session, 1945 + PANEL[i].session, flip ? -PANEL[i].a : PANEL[i].a,
                 (long long)run);
        OL_ASSERT_OK(ol_store_exec(s, sql, &err), &err);
    }
    snprintf(sql, sizeof sql,
             "INSERT INTO ideal_points(estimate, country, period_kind, period, year, value, run_id) "
             "VALUES ('%s', 'RUS', 'session', 3, 1948, 7, %lld)", est, (long long)run);
    OL_ASSERT_OK(ol_store_exec(s, sql, &err), &err);
}

/* The file of side B in the session layout (extra: more rows). */
static char *session_file(const char *dir, const char *name, const char *extra)
{
    char text[4096];
    size_t len = (size_t)snprintf(text, sizeof text, "%s", SESSION_HEAD);
    for (size_t i = 0; i < NPANEL; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "\"%zu\",%d,%d,40,%.17g,,,,\"%s\",\"x\"\n", i + 1,
                                PANEL[i].cown, PANEL[i].session, PANEL[i].b, PANEL[i].code);
    snprintf(text + len, sizeof text - len, "\"99\",710,1,40,0.5,,,,\"CHN\",\"China\"\n%s", extra ? extra : "");
    return ol_test_write(dir, name, text);
}

/* The same values in the calendar-year layout (idealpointall). */
static char *year_file(const char *dir, const char *name)
{
    char text[4096];
    size_t len = (size_t)snprintf(text, sizeof text, "%s", YEAR_HEAD);
    for (size_t i = 0; i < NPANEL; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "%d,%s,x,%d,,%.17g,,,,,,40,,,,\n", PANEL[i].cown,
                                PANEL[i].code, 1945 + PANEL[i].session, PANEL[i].b);
    return ol_test_write(dir, name, text);
}

static const ol_ideal_compare_group *country(const ol_ideal_compare_result *r, const char *code)
{
    for (size_t i = 0; i < r->ncountries; i++)
        if (strcmp(r->countries[i].country, code) == 0) return &r->countries[i];
    fail_msg("no country %s", code);
    return NULL;
}

/* Everything the panel's statistics should be, whatever the matching. */
static void check_panel(const ol_ideal_compare_result *r)
{
    assert_int_equal(r->n, NPANEL);
    assert_float_equal(r->r, R_ALL, TOL);
    assert_float_equal(r->rho, RHO_ALL, TOL);
    assert_false(r->reversed);
    assert_float_equal(r->slope, SLOPE, TOL);
    assert_float_equal(r->intercept, INTERCEPT, TOL);
    assert_int_equal(r->a.rows, NPANEL + 1);
    assert_int_equal(r->a.unmatched, 1);
    assert_int_equal(r->b.rows, NPANEL + 1);
    assert_int_equal(r->b.unmatched, 1);

    assert_int_equal(r->nperiods, 3);
    assert_int_equal(r->periods[0].period, 1);
    assert_int_equal(r->periods[0].year, 1946);
    assert_int_equal(r->periods[0].n, 4);
    assert_float_equal(r->periods[0].r, 0.8, TOL);
    assert_float_equal(r->periods[1].r, 1.0, TOL);
    assert_int_equal(r->periods[2].n, 2);
    assert_true(isnan(r->periods[2].r));
    assert_int_equal(r->periods_missing, 1);
    assert_float_equal(r->period_r_median, 0.9, TOL);
    assert_float_equal(r->period_r_min, 0.8, TOL);
    assert_int_equal(r->period_r_min_period, 1);
    assert_int_equal(r->period_r_min_year, 1946);
    /* session 2: a - b = -1 -2 -3 -4 */
    assert_float_equal(r->periods[1].mean_diff, -2.5, TOL);
    const double sd14 = sqrt(5.0 / 3.0); /* sample sd of 1 2 3 4 */
    assert_float_equal(r->periods[0].sd_a, sd14, TOL);
    assert_float_equal(r->periods[0].sd_b, sd14, TOL);
    assert_float_equal(r->periods[0].slope, 0.8, TOL);
    assert_float_equal(r->periods[0].intercept, 0.5, TOL);
    assert_float_equal(r->periods[1].sd_b, 2 * sd14, TOL);
    assert_float_equal(r->periods[1].slope, 2.0, TOL);
    assert_float_equal(r->periods[1].intercept, 0.0, TOL);
    assert_float_equal(r->periods[2].sd_a, sqrt(0.5), TOL);
    assert_true(isnan(r->periods[2].slope) && isnan(r->periods[2].intercept));
    assert_int_equal(r->n_calibrated, 8);
    assert_float_equal(r->r_standardised, R_STD, TOL);
    assert_float_equal(r->r_period_lines, R_LINES, TOL);

    assert_int_equal(r->ncountries, 4);
    assert_string_equal(r->countries[0].country, "FRA"); /* by code */
    assert_float_equal(country(r, "USA")->r, R_USA, TOL);
    assert_float_equal(country(r, "GBR")->r, R_GBR, TOL);
    assert_true(isnan(country(r, "FRA")->r));
    assert_int_equal(country(r, "FRA")->n, 2);
    assert_int_equal(r->countries_missing, 2);
    assert_float_equal(country(r, "USA")->mean_diff, (7.0 - 4.0) / 3.0, TOL);
    assert_float_equal(country(r, "RUS")->mean_a, 4.0, TOL);
    assert_float_equal(country(r, "RUS")->mean_b, 6.0, TOL);
    assert_float_equal(r->pooled_r, R_POOLED, TOL);

    assert_int_equal(r->ndisagree, 3);
    assert_string_equal(r->disagree[0].country, "USA");
    assert_int_equal(r->disagree[0].period, 3);
    assert_float_equal(r->disagree[0].residual, RES_USA3, TOL);
    assert_float_equal(r->disagree[0].fitted, INTERCEPT + SLOPE * 5, TOL);
    assert_string_equal(r->disagree[1].country, "RUS");
    assert_float_equal(r->disagree[1].residual, RES_RUS2, TOL);
    /* the residuals of the panel sum to zero on a least-squares line */
    double sum = 0;
    for (size_t i = 0; i < r->n; i++) sum += r->pairs[i].residual;
    assert_float_equal(sum, 0.0, 1e-9);
}

static void opts(ol_ideal_compare_options *o)
{
    ol_ideal_compare_options_init(o);
    o->top = 3;
}

/* The defaults name ideal.h's dynamic model. */
static void test_defaults(void **state)
{
    (void)state;
    assert_string_equal(OL_IDEAL_COMPARE_DEFAULT_ESTIMATE, ol_ideal_model_estimate(OL_IDEAL_DYNAMIC));
    assert_string_equal(OL_IDEAL_FIGURE_DEFAULT_ESTIMATE, ol_ideal_model_estimate(OL_IDEAL_DYNAMIC));
    ol_ideal_compare_options o;
    ol_ideal_compare_options_init(&o);
    assert_string_equal(o.estimate, "orderlab-dynamic");
    assert_string_equal(o.with_estimate, "bsv-all");
    assert_int_equal(o.top, 10);
    assert_int_equal(o.min_n, 3);
    assert_int_equal(o.max_rejects, -1);
}

static void test_session_file(void **state)
{
    ol_test_fixture *f = *state;
    store_a(f->s, "orderlab-dynamic", 0);
    char *path = session_file(f->dir, "IdealpointestimatesAll_Jun2024.csv", NULL);
    ol_ideal_compare_options o;
    opts(&o);
    ol_ideal_compare_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ideal_compare_file(f->s, path, &o, &r, &err), &err);
    assert_false(r->by_year);
    assert_string_equal(r->a.estimate, "orderlab-dynamic");
    assert_string_equal(r->a.period_kind, "session");
    assert_true(r->a.run_id > 0);
    assert_int_equal(r->a.origins, 1);
    assert_string_equal(r->b.estimate, "bsv-all");
    assert_string_equal(r->b.period_kind, "session");
    assert_int_equal(r->file.rows_read, NPANEL + 1);
    assert_int_equal(r->file.rows_rejected, 0);
    check_panel(r);
    ol_ideal_compare_result_free(r);
    /* the caller's store was only read */
    assert_int_equal(ol_test_query_int(f->s, "SELECT count(*) FROM ideal_points WHERE estimate = 'bsv-all'"), 0);
    assert_int_equal(ol_test_count(f->s, "sources"), 0);
    free(path);
}

static void test_year_file(void **state)
{
    ol_test_fixture *f = *state;
    store_a(f->s, "orderlab-dynamic", 0);
    char *path = year_file(f->dir, "IdealpointsJuly2025.csv");
    /* the CHN row of B is in the session file only: here B has one row less */
    ol_ideal_compare_options o;
    opts(&o);
    ol_ideal_compare_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ideal_compare_file(f->s, path, &o, &r, &err), &err);
    assert_true(r->by_year);
    assert_string_equal(r->b.period_kind, "year");
    assert_int_equal(r->b.rows, NPANEL);
    assert_int_equal(r->b.unmatched, 0);
    assert_int_equal(r->n, NPANEL);
    assert_float_equal(r->r, R_ALL, TOL);
    assert_int_equal(r->periods[0].period, 1); /* A's session */
    assert_int_equal(r->periods[0].year, 1946);
    ol_ideal_compare_result_free(r);
    /* another estimate of the file: bsv-fp is empty in it */
    o.with_estimate = "bsv-fp";
    assert_int_equal(ol_ideal_compare_file(f->s, path, &o, &r, &err), OL_ENOTFOUND);
    assert_null(r);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, "bsv-fp"));
    assert_non_null(strstr(err.message, "bsv-all (year"));
    free(path);
}

static void test_stores_and_kinds(void **state)
{
    ol_test_fixture *f = *state;
    store_a(f->s, "orderlab-dynamic", 0);
    char *path = session_file(f->dir, "IdealpointestimatesAll_Jun2024.csv", NULL);
    ol_error err;
    ol_import_summary sum;
    ol_import_options io;
    ol_import_options_init(&io);
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_import_file(f->s, "idealpoints", path, &io, &sum, NULL, &err), &err);
    /* within one store */
    ol_ideal_compare_options o;
    opts(&o);
    ol_ideal_compare_result *r = NULL;
    OL_ASSERT_OK(ol_ideal_compare_stores(f->s, f->s, &o, &r, &err), &err);
    check_panel(r);
    assert_true(r->b.source_id > 0);
    assert_int_equal(r->file.rows_read, 0);
    ol_ideal_compare_result_free(r);
    /* the same estimate from a second import: the newest origin is used */
    char *p2 = year_file(f->dir, "IdealpointsJuly2025.csv");
    OL_ASSERT_OK(ol_import_file(f->s, "idealpoints", p2, &io, &sum, NULL, &err), &err);
    o.with_period_kind = "year";
    OL_ASSERT_OK(ol_ideal_compare_stores(f->s, f->s, &o, &r, &err), &err);
    assert_true(r->by_year);
    assert_int_equal(r->n, NPANEL);
    ol_ideal_compare_result_free(r);
    /* a kind the estimate lacks */
    o.period_kind = "year";
    assert_int_equal(ol_ideal_compare_stores(f->s, f->s, &o, &r, &err), OL_ENOTFOUND);
    assert_non_null(strstr(err.message, "no year rows"));
    o.period_kind = "decade";
    assert_int_equal(ol_ideal_compare_stores(f->s, f->s, &o, &r, &err), OL_EINVAL);
    o.period_kind = NULL;
    o.min_n = 2;
    assert_int_equal(ol_ideal_compare_stores(f->s, f->s, &o, &r, &err), OL_EINVAL);
    /* two fits of one estimate: the newest run counts */
    opts(&o);
    ol_store_exec(f->s, "UPDATE ideal_points SET value = value + 100 WHERE run_id IS NOT NULL", &err);
    store_a(f->s, "orderlab-dynamic", 0);
    OL_ASSERT_OK(ol_ideal_compare_stores(f->s, f->s, &o, &r, &err), &err);
    assert_int_equal(r->a.origins, 2);
    assert_int_equal(r->a.run_id, ol_test_query_int(f->s, "SELECT max(id) FROM runs"));
    check_panel(r);
    ol_ideal_compare_result_free(r);
    free(p2);
    free(path);
}

static void test_polarity(void **state)
{
    ol_test_fixture *f = *state;
    store_a(f->s, "orderlab-ordinal", 1);
    char *path = session_file(f->dir, "ip.csv", NULL);
    ol_ideal_compare_options o;
    opts(&o);
    o.estimate = "orderlab-ordinal";
    ol_ideal_compare_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ideal_compare_file(f->s, path, &o, &r, &err), &err);
    assert_true(r->reversed);
    assert_float_equal(r->r, -R_ALL, TOL);
    assert_float_equal(r->slope, -SLOPE, TOL);
    /* not flipped: the values are as stored */
    assert_float_equal(r->pairs[0].a, -PANEL[2].a, TOL); /* FRA session 1 sorts first */
    assert_float_equal(country(r, "USA")->r, -R_USA, TOL);
    ol_ideal_compare_result_free(r);
    free(path);
}

/* The mechanism of the calibration: A is B with each session moved and
 * stretched by its own (m, s).  The sessions agree perfectly within, the
 * panel does not; each session's line undoes its (m, s), and since B has
 * the same mean and sd in every session, A standardised within sessions is
 * B itself. */
static void test_calibration(void **state)
{
    ol_test_fixture *f = *state;
    static const char *const codes[] = {"USA", "GBR", "FRA", "RUS"};
    static const double base[3][4] = {{-1.5, -0.5, 0.5, 1.5}, {0.5, -1.5, 1.5, -0.5}, {1.5, 0.5, -1.5, -0.5}};
    static const double m[3] = {0, 2, -4}, sc[3] = {1, 3, 0.5};
    ol_error err;
    ol_error_clear(&err);
    int64_t ra = new_run(f->s), rb = new_run(f->s);
    char sql[512];
    for (int t = 0; t < 3; t++)
        for (int c = 0; c < 4; c++) {
            snprintf(sql, sizeof sql,
                     "INSERT INTO ideal_points(estimate, country, period_kind, period, year, value, run_id) VALUES "
                     "('orderlab-dynamic', '%s', 'session', %d, %d, %.17g, %lld), "
                     "('bsv-all', '%s', 'session', %d, %d, %.17g, %lld)",
                     codes[c], t + 1, 1946 + t, m[t] + sc[t] * base[t][c], (long long)ra, codes[c], t + 1, 1946 + t,
                     base[t][c], (long long)rb);
            OL_ASSERT_OK(ol_store_exec(f->s, sql, &err), &err);
        }
    ol_ideal_compare_options o;
    opts(&o);
    ol_ideal_compare_result *r = NULL;
    OL_ASSERT_OK(ol_ideal_compare_stores(f->s, f->s, &o, &r, &err), &err);
    assert_int_equal(r->n, 12);
    assert_true(r->r < 0.9);
    assert_float_equal(r->period_r_min, 1.0, TOL);
    assert_int_equal(r->n_calibrated, 12);
    assert_float_equal(r->r_standardised, 1.0, TOL);
    assert_float_equal(r->r_period_lines, 1.0, TOL);
    for (int t = 0; t < 3; t++) {
        assert_float_equal(r->periods[t].slope, 1 / sc[t], TOL);
        assert_float_equal(r->periods[t].intercept, -m[t] / sc[t], TOL);
        assert_float_equal(r->periods[t].sd_a / r->periods[t].sd_b, sc[t], TOL);
    }
    ol_ideal_compare_result_free(r);
    /* one era: session 2 alone (1947), the others counted as outside */
    o.from_year = o.to_year = 1947;
    OL_ASSERT_OK(ol_ideal_compare_stores(f->s, f->s, &o, &r, &err), &err);
    assert_int_equal(r->n, 4);
    assert_int_equal(r->a.outside, 8);
    assert_int_equal(r->b.outside, 8);
    assert_int_equal(r->a.rows, 12); /* rows read, whatever the years */
    assert_int_equal(r->a.unmatched + r->b.unmatched, 0);
    assert_float_equal(r->r, 1.0, TOL);
    assert_int_equal(r->nperiods, 1);
    assert_int_equal(r->periods[0].period, 2);
    ol_ideal_compare_result_free(r);
    o.from_year = 1948;
    o.to_year = 0; /* no upper bound */
    OL_ASSERT_OK(ol_ideal_compare_stores(f->s, f->s, &o, &r, &err), &err);
    assert_int_equal(r->n, 4);
    assert_int_equal(r->periods[0].period, 3);
    ol_ideal_compare_result_free(r);
    o.to_year = 1947;
    assert_int_equal(ol_ideal_compare_stores(f->s, f->s, &o, &r, &err), OL_EINVAL);
    assert_null(r);
    o.from_year = 1990;
    o.to_year = 0;
    assert_int_equal(ol_ideal_compare_stores(f->s, f->s, &o, &r, &err), OL_EVALIDATE);
    assert_non_null(strstr(err.message, "dated from 1990"));
}

static void test_duplicates_by_year(void **state)
{
    ol_test_fixture *f = *state;
    store_a(f->s, "orderlab-dynamic", 0);
    ol_error err;
    ol_error_clear(&err);
    /* a second session of USA dated 1948: matched by year, the first is used */
    OL_ASSERT_OK(ol_store_exec(f->s, "INSERT INTO ideal_points(estimate, country, period_kind, period, year, value, "
                                     "run_id) VALUES ('orderlab-dynamic', 'USA', 'session', 4, 1948, 99, "
                                     "(SELECT max(id) FROM runs))", &err), &err);
    char *path = year_file(f->dir, "ip.csv");
    ol_ideal_compare_options o;
    opts(&o);
    ol_ideal_compare_result *r = NULL;
    OL_ASSERT_OK(ol_ideal_compare_file(f->s, path, &o, &r, &err), &err);
    assert_int_equal(r->a.duplicates, 1);
    assert_int_equal(r->n, NPANEL);
    assert_float_equal(r->r, R_ALL, TOL);
    ol_ideal_compare_result_free(r);
    free(path);
}

static void test_rejects_and_errors(void **state)
{
    ol_test_fixture *f = *state;
    ol_ideal_compare_options o;
    opts(&o);
    ol_ideal_compare_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    char *path = session_file(f->dir, "ip.csv", "\"100\",680,25,40,0.1,,,,\"YAR\",\"South Yemen\"\n");

    /* nothing in the store yet: found before the file is read */
    assert_int_equal(ol_ideal_compare_file(f->s, path, &o, &r, &err), OL_ENOTFOUND);
    assert_null(r);
    assert_string_equal(err.file, "");
    assert_non_null(strstr(err.message, "orderlab-dynamic"));
    assert_non_null(strstr(err.message, "it has: none"));

    store_a(f->s, "orderlab-dynamic", 0);
    /* the rejected row is counted; any number is tolerated by default */
    OL_ASSERT_OK(ol_ideal_compare_file(f->s, path, &o, &r, &err), &err);
    assert_int_equal(r->file.rows_rejected, 1);
    check_panel(r);
    ol_ideal_compare_result_free(r);
    /* ... but not with max_rejects 0 */
    o.max_rejects = 0;
    assert_int_equal(ol_ideal_compare_file(f->s, path, &o, &r, &err), OL_EVALIDATE);
    assert_non_null(strstr(err.message, "YAR"));
    o.max_rejects = -1;

    /* unreadable, not an ideal-point file */
    char *missing = ol_test_path(f->dir, "no-such.csv");
    assert_int_equal(ol_ideal_compare_file(f->s, missing, &o, &r, &err), OL_EIO);
    char *bad = ol_test_write(f->dir, "bad.csv", "a,b\n1,2\n");
    assert_int_equal(ol_ideal_compare_file(f->s, bad, &o, &r, &err), OL_EPARSE);
    assert_int_equal(ol_ideal_compare_file(f->s, "", &o, &r, &err), OL_EINVAL);

    /* nothing matched: other sessions */
    char *other = ol_test_write(f->dir, "other.csv",
                                "\"\",\"ccode\",\"session\",\"NVotesAll\",\"IdealPointAll\",\"Q5%All\",\"Q50%All\","
                                "\"Q95%All\",\"iso3c\",\"Countryname\"\n\"1\",2,70,40,1.5,,,,\"USA\",\"x\"\n");
    assert_int_equal(ol_ideal_compare_file(f->s, other, &o, &r, &err), OL_EVALIDATE);
    assert_null(r);
    assert_non_null(strstr(err.message, "nothing to compare"));
    assert_non_null(strstr(err.message, "sessions 1-3"));
    assert_non_null(strstr(err.message, "sessions 70-70"));

    /* too few points for r: no correlation, no line, no disagreements */
    char *two = ol_test_write(f->dir, "two.csv",
                              "\"\",\"ccode\",\"session\",\"NVotesAll\",\"IdealPointAll\",\"Q5%All\",\"Q50%All\","
                              "\"Q95%All\",\"iso3c\",\"Countryname\"\n\"1\",2,1,40,1.5,,,,\"USA\",\"x\"\n"
                              "\"2\",200,1,40,1.0,,,,\"GBR\",\"x\"\n");
    OL_ASSERT_OK(ol_ideal_compare_file(f->s, two, &o, &r, &err), &err);
    assert_int_equal(r->n, 2);
    assert_true(isnan(r->r) && isnan(r->rho) && isnan(r->slope));
    assert_false(r->reversed);
    assert_int_equal(r->ndisagree, 0);
    assert_true(isnan(r->pairs[0].residual));
    assert_true(isnan(r->period_r_median));
    ol_ideal_compare_result_free(r);
    free(two);
    free(other);
    free(bad);
    free(missing);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test_setup_teardown(test_session_file, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_year_file, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_stores_and_kinds, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_polarity, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_calibration, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_duplicates_by_year, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_rejects_and_errors, ol_test_setup, ol_test_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
