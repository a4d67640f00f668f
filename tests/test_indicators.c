/* Indicators: reading series by source and vintage, the ratio of two states'
 * series and its threshold crossings (up, down, across gaps, exactly at τ),
 * the every-state scan, threshold parsing, the Figure 4.1 data, and the
 * errors for unknown series, countries and vintages. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double EPS = 1e-12;

typedef struct fixture {
    char *dir;
    ol_store *store;
} fixture;

static void exec(ol_store *s, const char *sql)
{
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_store_exec(s, sql, &err), &err);
}

/* Countries the tests use.  The built-in crosswalk has them too (hence OR
 * IGNORE); the rows here make the tests independent of it. */
static void add_countries(ol_store *s)
{
    exec(s, "INSERT OR IGNORE INTO countries(code, iso3, iso2, iso3n, wb, name_en, name_zh, kind) VALUES "
            "('USA','USA','US',840,'USA','United States','美国','state'),"
            "('CHN','CHN','CN',156,'CHN','China','中国','state'),"
            "('JPN','JPN','JP',392,'JPN','Japan','日本','state'),"
            "('DEU','DEU','DE',276,'DEU','Germany','德国','state'),"
            "('WLD',NULL,NULL,NULL,'WLD','World','世界','aggregate')");
}

static void add_source(ol_store *s, int id, const char *vintage, const char *imported_at)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO sources(id, kind, name, vintage, imported_at) VALUES (%d, 'wb', 'TEST.GDP', '%s', %s%s%s)",
             id, vintage, imported_at ? "'" : "", imported_at ? imported_at : "strftime('%Y-%m-%dT%H:%M:%SZ','now')",
             imported_at ? "'" : "");
    exec(s, sql);
}

/* Values of series for country in source: years first..first+n-1, where a
 * NaN in vals means "no row" (a gap). */
static void add_values(ol_store *s, const char *series, const char *country, int source, int first,
                       const double *vals, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (isnan(vals[i])) continue;
        char sql[512];
        snprintf(sql, sizeof sql,
                 "INSERT INTO indicator_values(series, country, year, source_id, value, unit, vintage) "
                 "SELECT '%s', '%s', %d, %d, %.17g, 'current US$', vintage FROM sources WHERE id = %d",
                 series, country, first + (int)i, source, vals[i], source);
        exec(s, sql);
    }
}

static fixture *fixture_new(void)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = ol_test_tmpdir();
    f->store = ol_test_store(f->dir);
    add_countries(f->store);
    return f;
}

static void fixture_free(fixture *f)
{
    ol_store_close(f->store);
    ol_test_rmtree(f->dir);
    free(f->dir);
    free(f);
}

/* Denominator 100 every year, so that the numerator is the ratio × 100. */
static const double HUNDREDS[] = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100};
/* 2000..2009: below, below, up (2002), above, down (2004), below, up (2006), above... */
static const double UP_DOWN_UP[] = {50, 60, 70, 80, 60, 50, 70, 75, 80, 90};

static ol_ratio_result *compute(ol_store *s, const char *of, const char *to, const char *series,
                                double tau)
{
    ol_ratio_options opt;
    ol_ratio_options_init(&opt);
    opt.numerator = of;
    opt.denominator = to;
    opt.series = series;
    opt.threshold = tau;
    ol_ratio_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ratio_compute(s, &opt, &r, &err), &err);
    assert_non_null(r);
    return r;
}

static void test_up_down_up(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    add_source(f->store, 1, "2024-10-21", NULL);
    add_values(f->store, "TEST.GDP", "USA", 1, 2000, HUNDREDS, 10);
    add_values(f->store, "TEST.GDP", "CHN", 1, 2000, UP_DOWN_UP, 10);
    ol_ratio_result *r = compute(f->store, "CHN", "USA", "TEST.GDP", 2.0 / 3.0);
    assert_string_equal(r->numerator.code, "CHN");
    assert_string_equal(r->denominator.code, "USA");
    assert_int_equal(r->n, 10);
    assert_float_equal(r->points[3].ratio, 0.8, EPS);
    assert_int_equal(r->first_year, 2002);
    assert_int_equal(r->starts_above, 0);
    assert_int_equal(r->ncrossings, 3);
    assert_int_equal(r->crossings[0].year, 2002);
    assert_int_equal(r->crossings[0].direction, OL_CROSS_UP);
    assert_int_equal(r->crossings[0].prev_year, 2001);
    assert_float_equal(r->crossings[0].ratio_before, 0.6, EPS);
    assert_float_equal(r->crossings[0].ratio_after, 0.7, EPS);
    assert_int_equal(r->crossings[0].across_gap, 0);
    assert_int_equal(r->crossings[1].year, 2004);
    assert_int_equal(r->crossings[1].direction, OL_CROSS_DOWN);
    assert_float_equal(r->crossings[1].ratio_before, 0.8, EPS);
    assert_float_equal(r->crossings[1].ratio_after, 0.6, EPS);
    assert_int_equal(r->crossings[2].year, 2006);
    assert_int_equal(r->crossings[2].direction, OL_CROSS_UP);
    /* sustained = the last upward crossing, since 2006..2009 all stay above */
    assert_int_equal(r->sustained_year, 2006);
    assert_float_equal(r->peak, 0.9, EPS);
    assert_int_equal(r->peak_year, 2009);
    assert_int_equal(r->first_data_year, 2000);
    assert_int_equal(r->last_year, 2009);
    assert_int_equal(r->gaps, 0);
    assert_int_equal(r->numerator_source.id, 1);
    assert_string_equal(r->numerator_source.vintage, "2024-10-21");
    assert_int_equal(r->mixed_sources, 0);
    assert_string_equal(r->unit, "current US$");
    ol_ratio_result_free(r);

    /* The year range cuts the data before the analysis: from 2005 the
     * series starts below, crosses up in 2006 and stays. */
    ol_ratio_options opt;
    ol_ratio_options_init(&opt);
    opt.numerator = "CHN";
    opt.denominator = "USA";
    opt.series = "TEST.GDP";
    opt.from_year = 2005;
    opt.until_year = 2008;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ratio_compute(f->store, &opt, &r, &err), &err);
    assert_int_equal(r->n, 4);
    assert_int_equal(r->first_year, 2006);
    assert_int_equal(r->ncrossings, 1);
    assert_int_equal(r->sustained_year, 2006);
    assert_int_equal(r->last_year, 2008);
    ol_ratio_result_free(r);

    /* Ending in a dip: no sustained crossing. */
    opt.from_year = 0;
    opt.until_year = 2005;
    OL_ASSERT_OK(ol_ratio_compute(f->store, &opt, &r, &err), &err);
    assert_int_equal(r->first_year, 2002);
    assert_int_equal(r->ncrossings, 2);
    assert_int_equal(r->sustained_year, 0);
    ol_ratio_result_free(r);
    fixture_free(f);
}

static void test_never_crosses(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    add_source(f->store, 1, "v1", NULL);
    static const double low[] = {10, 20, 30, 66, 40};
    add_values(f->store, "TEST.GDP", "USA", 1, 1990, HUNDREDS, 5);
    add_values(f->store, "TEST.GDP", "JPN", 1, 1990, low, 5);
    ol_ratio_result *r = compute(f->store, "JPN", "USA", "TEST.GDP", OL_RATIO_DEFAULT_THRESHOLD);
    assert_int_equal(r->n, 5);
    assert_int_equal(r->first_year, 0);
    assert_int_equal(r->sustained_year, 0);
    assert_int_equal(r->ncrossings, 0);
    assert_float_equal(r->peak, 0.66, EPS);
    assert_int_equal(r->peak_year, 1993);
    ol_ratio_result_free(r);
    fixture_free(f);
}

static void test_gap(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    add_source(f->store, 1, "v1", NULL);
    /* 2000 0.5, 2001 0.6, 2002-2004 missing, 2005 0.8, 2006 0.9 */
    const double gappy[] = {50, 60, NAN, NAN, NAN, 80, 90};
    add_values(f->store, "TEST.GDP", "USA", 1, 2000, HUNDREDS, 7);
    add_values(f->store, "TEST.GDP", "CHN", 1, 2000, gappy, 7);
    ol_ratio_result *r = compute(f->store, "CHN", "USA", "TEST.GDP", 2.0 / 3.0);
    assert_int_equal(r->n, 4);
    assert_int_equal(r->gaps, 3);
    assert_int_equal(r->ncrossings, 1);
    assert_int_equal(r->crossings[0].year, 2005);      /* dated at the first observed year above */
    assert_int_equal(r->crossings[0].prev_year, 2001); /* the last observed year below */
    assert_int_equal(r->crossings[0].across_gap, 1);
    assert_int_equal(r->first_year, 2005);
    assert_int_equal(r->sustained_year, 2005);
    for (size_t i = 0; i < r->n; i++) assert_true(isfinite(r->points[i].ratio));
    ol_ratio_result_free(r);

    /* A series read has no rows for the gap years and no NaN. */
    ol_series *s = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_series_read(f->store, "TEST.GDP", "CHN", NULL, &s, &err), &err);
    assert_int_equal(s->n, 4);
    assert_int_equal(s->years[2], 2005);
    int found = 1;
    (void)ol_series_value(s, 2003, &found);
    assert_int_equal(found, 0);
    assert_float_equal(ol_series_value(s, 2006, &found), 90.0, EPS);
    assert_int_equal(found, 1);
    ol_series_free(s);
    fixture_free(f);
}

static void test_threshold_parameter(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    add_source(f->store, 1, "v1", NULL);
    add_values(f->store, "TEST.GDP", "USA", 1, 2000, HUNDREDS, 10);
    add_values(f->store, "TEST.GDP", "CHN", 1, 2000, UP_DOWN_UP, 10);
    /* τ = 1/2: at or above from the first year, never below: no crossing */
    ol_ratio_result *r = compute(f->store, "CHN", "USA", "TEST.GDP", 0.5);
    assert_int_equal(r->first_year, 2000);
    assert_int_equal(r->starts_above, 1);
    assert_int_equal(r->ncrossings, 0);
    assert_int_equal(r->sustained_year, 2000);
    ol_ratio_result_free(r);
    /* τ = 0.85: only 2009 */
    r = compute(f->store, "CHN", "USA", "TEST.GDP", 0.85);
    assert_int_equal(r->first_year, 2009);
    assert_int_equal(r->ncrossings, 1);
    assert_int_equal(r->sustained_year, 2009);
    ol_ratio_result_free(r);
    /* τ = 1: never */
    r = compute(f->store, "CHN", "USA", "TEST.GDP", 1.0);
    assert_int_equal(r->first_year, 0);
    ol_ratio_result_free(r);

    /* invalid thresholds are refused */
    ol_ratio_options opt;
    ol_ratio_options_init(&opt);
    assert_float_equal(opt.threshold, 2.0 / 3.0, 0.0);
    assert_string_equal(opt.series, OL_SERIES_DEFAULT);
    opt.numerator = "CHN";
    opt.denominator = "USA";
    opt.series = "TEST.GDP";
    ol_error err;
    ol_error_clear(&err);
    opt.threshold = 0.0;
    assert_int_equal(ol_ratio_compute(f->store, &opt, &r, &err), OL_EINVAL);
    assert_null(r);
    opt.threshold = NAN;
    assert_int_equal(ol_ratio_compute(f->store, &opt, &r, &err), OL_EINVAL);
    opt.threshold = 0.5;
    opt.from_year = 2005;
    opt.until_year = 2001;
    assert_int_equal(ol_ratio_compute(f->store, &opt, &r, &err), OL_EINVAL);
    fixture_free(f);
}

static void test_exactly_threshold(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    add_source(f->store, 1, "v1", NULL);
    const double den[] = {300, 300, 300, 300};
    const double num[] = {100, 200, 199.99, 200};
    add_values(f->store, "TEST.GDP", "USA", 1, 2010, den, 4);
    add_values(f->store, "TEST.GDP", "CHN", 1, 2010, num, 4);
    ol_ratio_result *r = compute(f->store, "CHN", "USA", "TEST.GDP", 2.0 / 3.0);
    assert_true(r->points[1].ratio == 2.0 / 3.0); /* 200/300 rounds to the same double as 2/3 */
    assert_int_equal(r->first_year, 2011);        /* r == τ counts as at or above */
    assert_int_equal(r->ncrossings, 3);
    assert_int_equal(r->crossings[0].direction, OL_CROSS_UP);
    assert_int_equal(r->crossings[1].direction, OL_CROSS_DOWN);
    assert_int_equal(r->crossings[1].year, 2012);
    assert_int_equal(r->crossings[2].year, 2013);
    assert_int_equal(r->sustained_year, 2013);
    ol_ratio_result_free(r);
    /* the threshold as the CLI parses "2/3" is the same number */
    double t = 0.0;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ratio_parse_threshold("2/3", &t, &err), &err);
    assert_true(t == 2.0 / 3.0);
    fixture_free(f);
}

static void test_vintages(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    /* Three imports of one series: the newest import (by imported_at) is the
     * default, whatever its id or vintage text. */
    add_source(f->store, 10, "2023-01-01", "2024-01-01T00:00:00Z");
    add_source(f->store, 11, "2024-06-01", "2025-01-01T00:00:00Z");
    add_source(f->store, 12, "2022-old", "2019-01-01T00:00:00Z");
    const double old_cn[] = {10, 20}, new_cn[] = {30, 40}, oldest_cn[] = {1, 2};
    add_values(f->store, "TEST.GDP", "USA", 10, 2000, HUNDREDS, 2);
    add_values(f->store, "TEST.GDP", "CHN", 10, 2000, old_cn, 2);
    add_values(f->store, "TEST.GDP", "USA", 11, 2000, HUNDREDS, 2);
    add_values(f->store, "TEST.GDP", "CHN", 11, 2000, new_cn, 2);
    add_values(f->store, "TEST.GDP", "USA", 12, 2000, HUNDREDS, 2);
    add_values(f->store, "TEST.GDP", "CHN", 12, 2000, oldest_cn, 2);
    /* A later import that lacks China does not count for China... */
    add_source(f->store, 13, "2025-usa-only", "2026-01-01T00:00:00Z");
    add_values(f->store, "TEST.GDP", "USA", 13, 2000, HUNDREDS, 2);

    ol_series *s = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_series_read(f->store, "TEST.GDP", "CHN", NULL, &s, &err), &err);
    assert_int_equal(s->source.id, 11);
    assert_string_equal(s->source.vintage, "2024-06-01");
    assert_string_equal(s->source.kind, "wb");
    assert_float_equal(s->values[0], 30.0, EPS);
    ol_series_free(s);
    /* ...but is the newest for the United States. */
    OL_ASSERT_OK(ol_series_read(f->store, "TEST.GDP", "USA", NULL, &s, &err), &err);
    assert_int_equal(s->source.id, 13);
    ol_series_free(s);
    OL_ASSERT_OK(ol_series_read(f->store, "TEST.GDP", "CHN", "2023-01-01", &s, &err), &err);
    assert_int_equal(s->source.id, 10);
    assert_float_equal(s->values[1], 20.0, EPS);
    ol_series_free(s);

    /* The ratio takes one source with both countries: 11, not 13 + 11. */
    ol_ratio_result *r = compute(f->store, "CHN", "USA", "TEST.GDP", 0.25);
    assert_int_equal(r->numerator_source.id, 11);
    assert_int_equal(r->denominator_source.id, 11);
    assert_int_equal(r->mixed_sources, 0);
    assert_float_equal(r->points[0].ratio, 0.3, EPS);
    ol_ratio_result_free(r);
    /* A named vintage is honoured. */
    ol_ratio_options opt;
    ol_ratio_options_init(&opt);
    opt.numerator = "CHN";
    opt.denominator = "USA";
    opt.series = "TEST.GDP";
    opt.vintage = "2022-old";
    OL_ASSERT_OK(ol_ratio_compute(f->store, &opt, &r, &err), &err);
    assert_int_equal(r->numerator_source.id, 12);
    assert_float_equal(r->points[1].ratio, 0.02, EPS);
    ol_ratio_result_free(r);
    /* An unknown vintage fails and lists those there are. */
    opt.vintage = "1999";
    assert_int_equal(ol_ratio_compute(f->store, &opt, &r, &err), OL_ENOTFOUND);
    assert_null(r);
    assert_non_null(strstr(err.message, "1999"));
    assert_non_null(strstr(err.message, "2024-06-01"));
    assert_string_equal(err.field, "vintage");
    fixture_free(f);
}

static void test_mixed_sources(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    add_source(f->store, 1, "a", NULL);
    add_source(f->store, 2, "b", NULL);
    const double cn[] = {50, 70};
    add_values(f->store, "TEST.GDP", "USA", 1, 2000, HUNDREDS, 2);
    add_values(f->store, "TEST.GDP", "CHN", 2, 2000, cn, 2);
    ol_ratio_result *r = compute(f->store, "CHN", "USA", "TEST.GDP", 2.0 / 3.0);
    assert_int_equal(r->mixed_sources, 1);
    assert_int_equal(r->numerator_source.id, 2);
    assert_int_equal(r->denominator_source.id, 1);
    assert_int_equal(r->first_year, 2001);
    ol_ratio_result_free(r);
    fixture_free(f);
}

static void test_errors(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    add_source(f->store, 1, "v1", NULL);
    add_values(f->store, "TEST.GDP", "USA", 1, 2000, HUNDREDS, 3);
    add_values(f->store, "TEST.GDP", "CHN", 1, 2005, UP_DOWN_UP, 3);
    ol_ratio_options opt;
    ol_ratio_options_init(&opt);
    opt.numerator = "CHN";
    opt.denominator = "USA";
    ol_ratio_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);

    /* the default series is not in this store */
    assert_int_equal(ol_ratio_compute(f->store, &opt, &r, &err), OL_ENOTFOUND);
    assert_null(r);
    assert_non_null(strstr(err.message, "NY.GDP.MKTP.CD"));
    assert_string_equal(err.field, "series");
    ol_series *s = NULL;
    assert_int_equal(ol_series_read(f->store, "NO.SUCH", "USA", NULL, &s, &err), OL_ENOTFOUND);
    assert_null(s);
    assert_non_null(strstr(err.message, "NO.SUCH"));

    /* a country without values, and countries without a common year */
    opt.series = "TEST.GDP";
    opt.numerator = "JPN";
    assert_int_equal(ol_ratio_compute(f->store, &opt, &r, &err), OL_ENOTFOUND);
    assert_non_null(strstr(err.message, "JPN"));
    opt.numerator = "CHN";
    assert_int_equal(ol_ratio_compute(f->store, &opt, &r, &err), OL_ENOTFOUND);
    assert_non_null(strstr(err.message, "no common year"));

    /* an unknown country, the same country twice, a missing one */
    opt.numerator = "Atlantis";
    assert_int_equal(ol_ratio_compute(f->store, &opt, &r, &err), OL_ENOTFOUND);
    opt.numerator = "USA";
    assert_int_equal(ol_ratio_compute(f->store, &opt, &r, &err), OL_EINVAL);
    opt.numerator = NULL;
    assert_int_equal(ol_ratio_compute(f->store, &opt, &r, &err), OL_EINVAL);
    opt.numerator = "CHN";
    opt.denominator = NULL;
    assert_int_equal(ol_ratio_compute(f->store, &opt, &r, &err), OL_EINVAL);
    assert_null(r);
    fixture_free(f);
}

static void test_countries_resolved(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    add_source(f->store, 1, "v1", NULL);
    add_values(f->store, "TEST.GDP", "USA", 1, 2000, HUNDREDS, 10);
    add_values(f->store, "TEST.GDP", "CHN", 1, 2000, UP_DOWN_UP, 10);
    static const char *const names[] = {"China", "CN", "156", "中国", "chn"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        ol_ratio_result *r = compute(f->store, names[i], "United States", "TEST.GDP", 2.0 / 3.0);
        assert_string_equal(r->numerator.code, "CHN");
        assert_string_equal(r->denominator.code, "USA");
        assert_int_equal(r->first_year, 2002);
        ol_ratio_result_free(r);
    }
    fixture_free(f);
}

static void test_ratio_all(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    add_source(f->store, 1, "v1", NULL);
    const double de[] = {90, 60, 60, 60, 60, 60, 60, 60, 60, 60};
    const double jp[] = {10, 20, 30, 40, 50, 60, 70, 60, 50, 40};
    const double world[] = {500, 500, 500, 500, 500, 500, 500, 500, 500, 500};
    add_values(f->store, "TEST.GDP", "USA", 1, 2000, HUNDREDS, 10);
    add_values(f->store, "TEST.GDP", "CHN", 1, 2000, UP_DOWN_UP, 10);
    add_values(f->store, "TEST.GDP", "DEU", 1, 2000, de, 10);
    add_values(f->store, "TEST.GDP", "JPN", 1, 2000, jp, 10);
    add_values(f->store, "TEST.GDP", "WLD", 1, 2000, world, 10); /* an aggregate: left out */
    ol_ratio_options opt;
    ol_ratio_options_init(&opt);
    opt.denominator = "USA";
    opt.series = "TEST.GDP";
    ol_ratio_all_result *all = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ratio_all(f->store, &opt, &all, &err), &err);
    assert_int_equal(all->ncountries, 3);
    assert_int_equal(all->n, 3);
    /* by first year: DEU 2000 (starts above), CHN 2002, JPN 2006 */
    assert_string_equal(all->rows[0].country.code, "DEU");
    assert_int_equal(all->rows[0].first_year, 2000);
    assert_int_equal(all->rows[0].starts_above, 1);
    assert_int_equal(all->rows[0].ncrossings, 1);
    assert_int_equal(all->rows[0].sustained_year, 0);
    assert_string_equal(all->rows[1].country.code, "CHN");
    assert_int_equal(all->rows[1].sustained_year, 2006);
    assert_int_equal(all->rows[1].ncrossings, 3);
    assert_string_equal(all->rows[2].country.code, "JPN");
    assert_int_equal(all->rows[2].first_year, 2006);
    assert_int_equal(all->rows[2].ncrossings, 2);
    assert_float_equal(all->rows[2].peak, 0.7, EPS);
    assert_int_equal(all->rows[2].peak_year, 2006);
    assert_int_equal(all->rows[2].source.id, 1);
    ol_ratio_all_result_free(all);

    /* a threshold nobody reaches */
    opt.threshold = 0.95;
    OL_ASSERT_OK(ol_ratio_all(f->store, &opt, &all, &err), &err);
    assert_int_equal(all->n, 0);
    assert_int_equal(all->ncountries, 3);
    ol_ratio_all_result_free(all);
    /* errors: unknown reference, unknown series */
    opt.denominator = "Atlantis";
    assert_int_equal(ol_ratio_all(f->store, &opt, &all, &err), OL_ENOTFOUND);
    opt.denominator = "USA";
    opt.series = "NO.SUCH";
    assert_int_equal(ol_ratio_all(f->store, &opt, &all, &err), OL_ENOTFOUND);
    assert_null(all);
    fixture_free(f);
}

/* ------------------------------------------------------------ the leader */

static void test_leader_auto(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    add_source(f->store, 1, "v1", NULL);
    /* 1900..1909.  JPN leads in 1900 and its data end there; GBR leads from
     * 1901 (it has no value in 1904, which changes nothing); USA crosses 2/3
     * of GBR in 1902 and overtakes it in 1906; DEU is at 0.7 of GBR from the
     * start, below 2/3 of the USA. */
    const double jp[] = {160};
    const double gb[] = {100, 100, 100, 100, NAN, 100, 100, 100, 100, 100};
    const double us[] = {50, 60, 70, 80, 95, 95, 110, 120, 130, 140};
    const double de[] = {70, 70, 70, 70, 70, 70, 70, 70, 70, 70};
    const double world[] = {900, 900, 900, 900, 900, 900, 900, 900, 900, 900};
    add_values(f->store, "TEST.L", "JPN", 1, 1900, jp, 1);
    add_values(f->store, "TEST.L", "GBR", 1, 1900, gb, 10);
    add_values(f->store, "TEST.L", "USA", 1, 1900, us, 10);
    add_values(f->store, "TEST.L", "DEU", 1, 1900, de, 10);
    add_values(f->store, "TEST.L", "WLD", 1, 1900, world, 10); /* an aggregate: never the leader */
    ol_leader_options opt;
    ol_leader_options_init(&opt);
    opt.series = "TEST.L";
    ol_leader_result *r = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_leader_compute(f->store, &opt, &r, &err), &err);
    assert_int_equal(r->nstates, 4);
    assert_int_equal(r->nreigns, 3);
    assert_string_equal(r->reigns[0].leader.code, "JPN");
    assert_int_equal(r->reigns[0].from, 1900);
    assert_int_equal(r->reigns[0].to, 1900);
    assert_string_equal(r->reigns[1].leader.code, "GBR");
    assert_int_equal(r->reigns[1].from, 1901);
    assert_int_equal(r->reigns[1].to, 1905);
    assert_string_equal(r->reigns[2].leader.code, "USA");
    assert_int_equal(r->reigns[2].from, 1906);
    assert_int_equal(r->reigns[2].to, 1909);
    /* pairs: GBR's reign: DEU (at 0.7 from the start), USA (1902, overtook 1906);
     * the USA's reign: GBR (above from the start) */
    assert_int_equal(r->npairs, 3);
    assert_string_equal(r->pairs[0].challenger.code, "DEU");
    assert_int_equal(r->pairs[0].ratio->first_year, 1901);
    assert_true(r->pairs[0].ratio->starts_above);
    assert_int_equal(r->pairs[0].overtook, 0);
    assert_string_equal(r->pairs[1].challenger.code, "USA");
    assert_int_equal(r->pairs[1].ratio->first_year, 1902);
    assert_int_equal(r->pairs[1].ratio->sustained_year, 1902);
    assert_int_equal(r->pairs[1].overtook, 1906);
    assert_string_equal(r->pairs[1].ratio->denominator.code, "GBR");
    assert_string_equal(r->pairs[2].challenger.code, "GBR");
    assert_int_equal(r->pairs[2].reign, 2);
    ol_leader_result_free(r);

    /* a pool without Japan and the USA: GBR leads throughout */
    const char *pool[] = {"United Kingdom", "DEU"};
    opt.among = pool;
    opt.namong = 2;
    OL_ASSERT_OK(ol_leader_compute(f->store, &opt, &r, &err), &err);
    assert_int_equal(r->nreigns, 1);
    assert_string_equal(r->reigns[0].leader.code, "GBR");
    assert_int_equal(r->npairs, 1);
    ol_leader_result_free(r);

    /* errors */
    opt.among = NULL;
    opt.namong = 0;
    opt.series = "NO.SUCH";
    assert_int_equal(ol_leader_compute(f->store, &opt, &r, &err), OL_ENOTFOUND);
    assert_string_equal(err.field, "series");
    opt.series = "TEST.L";
    opt.vintage = "v9";
    assert_int_equal(ol_leader_compute(f->store, &opt, &r, &err), OL_ENOTFOUND);
    opt.vintage = NULL;
    opt.from_year = 2000;
    assert_int_equal(ol_leader_compute(f->store, &opt, &r, &err), OL_ENOTFOUND);
    opt.from_year = 1905;
    opt.until_year = 1900;
    assert_int_equal(ol_leader_compute(f->store, &opt, &r, &err), OL_EINVAL);
    opt.until_year = 0;
    opt.from_year = 0;
    opt.threshold = 0;
    assert_int_equal(ol_leader_compute(f->store, &opt, &r, &err), OL_EINVAL);
    assert_null(r);
    fixture_free(f);
}

/* ------------------------------------------------------------ crossings by measure */

static void test_crossings_table(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    add_source(f->store, 1, "v1", NULL);
    /* TEST.A codes the USSR under RUS (as COW does), in every year 1985-1995;
     * TEST.B has RUS only from 1990, so it does not stand for the USSR. */
    const double us[] = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100};
    const double ru[] = {60, 60, 70, 70, 70, 70, 70, 50, 50, 50, 50};
    add_values(f->store, "TEST.A", "USA", 1, 1985, us, 11);
    add_values(f->store, "TEST.A", "RUS", 1, 1985, ru, 11);
    add_values(f->store, "TEST.A", "CHN", 1, 1985, UP_DOWN_UP, 10);
    add_values(f->store, "TEST.B", "USA", 1, 1985, us, 11);
    add_values(f->store, "TEST.B", "RUS", 1, 1990, ru + 5, 6);
    const ol_crossing_case cases[] = {{"USA", "SUN", "US-USSR", 0, 0}, {"USA", "CHN", NULL, 1986, 1990}};
    const char *series[] = {"TEST.A", "TEST.B", "NOT.IMPORTED"};
    ol_crossings_options opt;
    ol_crossings_options_init(&opt);
    opt.cases = cases;
    opt.ncases = 2;
    opt.series = series;
    opt.nseries = 3;
    ol_crossings_table *t = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_crossings_compute(f->store, &opt, &t, &err), &err);
    assert_string_equal(t->labels[1], "USA-CHN");
    const ol_crossings_cell *c = &t->cells[0];
    assert_int_equal(c->status, OL_OK);
    assert_true(c->via_successor);
    assert_string_equal(c->challenger, "RUS");
    /* the USSR's years only: 1985-1991 */
    assert_int_equal(c->from_year, 1922);
    assert_int_equal(c->until_year, 1991);
    assert_int_equal(c->ratio->last_year, 1991);
    assert_int_equal(c->ratio->first_year, 1987);
    assert_int_equal(t->cells[1].status, OL_ENOTFOUND);  /* TEST.B: RUS does not cover the USSR's years */
    assert_int_equal(t->cells[2].status, OL_ENOTFOUND);  /* a series not in the store */
    /* the case's era */
    const ol_crossings_cell *d = &t->cells[3];
    assert_int_equal(d->status, OL_OK);
    assert_int_equal(d->ratio->first_data_year, 1986);
    assert_int_equal(d->ratio->last_year, 1990);
    assert_int_equal(d->ratio->first_year, 1987);

    /* the figure's data: one lane per (case, series), marks at the upward crossings */
    ol_crossings_figure *fig = NULL;
    OL_ASSERT_OK(ol_crossings_figure_new(t, &fig, &err), &err);
    const ol_plot_spans_data *pd = ol_crossings_figure_data(fig);
    assert_int_equal(pd->nrows, 2);
    assert_int_equal(pd->nlanes, 3);
    assert_int_equal(pd->nspans, 6);
    assert_int_equal(pd->spans[0].n, 7);
    assert_int_equal(pd->spans[0].nmarks, 1);
    assert_int_equal(pd->spans[0].marks[0], 1987);
    assert_int_equal(pd->spans[1].n, 0);
    assert_non_null(strstr(pd->note, "SUN read as RUS in TEST.A"));
    char *dir = ol_test_tmpdir();
    char *png = ol_test_path(dir, "crossings.png");
    OL_ASSERT_OK(ol_plot_spans_figure(pd, png, OL_PLOT_PNG, &err), &err);
    free(png);
    ol_test_rmtree(dir);
    free(dir);
    ol_crossings_figure_free(fig);
    ol_crossings_table_free(t);

    /* errors: an unknown country of a case, a bad threshold */
    const ol_crossing_case bad[] = {{"USA", "Atlantis", NULL, 0, 0}};
    opt.cases = bad;
    opt.ncases = 1;
    assert_int_equal(ol_crossings_compute(f->store, &opt, &t, &err), OL_ENOTFOUND);
    opt.threshold = -1;
    assert_int_equal(ol_crossings_compute(f->store, &opt, &t, &err), OL_EINVAL);
    assert_null(t);
    fixture_free(f);
}

static void test_parse_threshold(void **state)
{
    (void)state;
    double t = 0.0;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ratio_parse_threshold("2/3", &t, &err), &err);
    assert_true(t == 2.0 / 3.0);
    OL_ASSERT_OK(ol_ratio_parse_threshold(" 0.6667 ", &t, &err), &err);
    assert_float_equal(t, 0.6667, EPS);
    OL_ASSERT_OK(ol_ratio_parse_threshold("66.7%", &t, &err), &err);
    assert_float_equal(t, 0.667, EPS);
    OL_ASSERT_OK(ol_ratio_parse_threshold("1", &t, &err), &err);
    assert_float_equal(t, 1.0, 0.0);
    static const char *const bad[] = {"", "abc", "0", "-1", "1/0", "2/3x", "%", "/3", "2/", "nan", "inf", "0%"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(ol_ratio_parse_threshold(bad[i], &t, &err), OL_EINVAL);
        assert_string_equal(err.field, "threshold");
    }
    char buf[32];
    ol_ratio_format_threshold(2.0 / 3.0, buf, sizeof buf);
    assert_string_equal(buf, "2/3");
    ol_ratio_format_threshold(0.5, buf, sizeof buf);
    assert_string_equal(buf, "1/2");
    ol_ratio_format_threshold(1.0, buf, sizeof buf);
    assert_string_equal(buf, "1");
    ol_ratio_format_threshold(0.6667, buf, sizeof buf);
    assert_string_equal(buf, "0.6667");
}

static void test_series_in_memory(void **state)
{
    (void)state;
    ol_error err;
    ol_error_clear(&err);
    const int years[] = {1990, 1991, 1993};
    const double a[] = {1, 2, 3}, b[] = {2, 0, 3};
    ol_series *num = NULL, *den = NULL;
    OL_ASSERT_OK(ol_series_new("X", "AAA", "u", years, a, 3, &num, &err), &err);
    OL_ASSERT_OK(ol_series_new("X", "BBB", NULL, years, b, 3, &den, &err), &err);
    ol_ratio_result *r = NULL;
    OL_ASSERT_OK(ol_ratio_from_series(num, den, 1.0, 0, 0, &r, &err), &err);
    /* a zero denominator has no ratio: 1991 is a gap */
    assert_int_equal(r->n, 2);
    assert_int_equal(r->points[1].year, 1993);
    assert_int_equal(r->ncrossings, 1);
    assert_int_equal(r->crossings[0].across_gap, 1);
    assert_int_equal(r->crossings[0].prev_year, 1990);
    ol_ratio_result_free(r);
    /* no common year is not an error here: an empty result */
    const int other[] = {2000};
    ol_series *far = NULL;
    OL_ASSERT_OK(ol_series_new("X", "CCC", NULL, other, a, 1, &far, &err), &err);
    OL_ASSERT_OK(ol_ratio_from_series(num, far, 1.0, 0, 0, &r, &err), &err);
    assert_int_equal(r->n, 0);
    assert_int_equal(r->first_year, 0);
    ol_ratio_result_free(r);
    ol_series_free(far);
    ol_series_free(num);
    ol_series_free(den);

    /* bad input: unsorted years, a NaN */
    const int unsorted[] = {1990, 1990};
    const double nan_values[] = {1, NAN};
    ol_series *s = NULL;
    assert_int_equal(ol_series_new("X", "AAA", NULL, unsorted, a, 2, &s, &err), OL_EINVAL);
    assert_null(s);
    assert_int_equal(ol_series_new("X", "AAA", NULL, years, nan_values, 2, &s, &err), OL_EINVAL);
    assert_null(s);
    ol_series_free(NULL);
    ol_ratio_result_free(NULL);
    ol_ratio_all_result_free(NULL);
}

static void test_gdp_figure_data(void **state)
{
    (void)state;
    fixture *f = fixture_new();
    add_source(f->store, 1, "2024-10-21", NULL);
    const double us[] = {3e12, 3e12, 3e12, 3e12}, cn[] = {1e12, 2e12, 2.5e12, 1e12}, jp[] = {1e12, 1e12, 1e12, 2.1e12};
    add_values(f->store, "TEST.GDP", "USA", 1, 2000, us, 4);
    add_values(f->store, "TEST.GDP", "CHN", 1, 2000, cn, 4);
    add_values(f->store, "TEST.GDP", "JPN", 1, 2000, jp, 4);
    ol_gdp_figure_options opt;
    ol_gdp_figure_options_init(&opt);
    assert_int_equal(opt.ncountries, 3);
    assert_string_equal(opt.countries[0], "USA");
    opt.series = "TEST.GDP";
    ol_gdp_figure *fig = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_gdp_figure_new(f->store, &opt, &fig, &err), &err);
    const ol_plot_gdp_data *d = ol_gdp_figure_data(fig);
    assert_int_equal(d->nlevels, 4);            /* USA, CHN, JPN, 2/3 of USA */
    assert_int_equal(d->nratios, 2);
    assert_float_equal(d->levels[0].values[0], 3.0, 1e-9); /* trillions */
    assert_non_null(strstr(d->top_label, "Trillions"));
    assert_non_null(strstr(d->levels[3].label, "2/3"));
    assert_int_equal(d->levels[3].style, OL_PLOT_DASHED);
    assert_float_equal(d->levels[3].values[0], 2.0, 1e-9);
    assert_float_equal(d->threshold, 2.0 / 3.0, 0.0);
    assert_int_equal(d->nmarks, 2);
    assert_int_equal(d->marks[0].year, 2001);   /* CHN: 2/3 exactly in 2001 */
    assert_int_equal(d->marks[1].year, 2003);   /* JPN: 0.7 in 2003 */
    assert_int_equal(d->year_min, 2000);
    assert_int_equal(d->year_max, 2003);
    assert_non_null(strstr(d->note, "2024-10-21"));
    assert_int_equal(ol_gdp_figure_nratios(fig), 2);
    assert_int_equal(ol_gdp_figure_ratio(fig, 1)->first_year, 2003);
    assert_null(ol_gdp_figure_ratio(fig, 2));
    ol_gdp_figure_free(fig);

    /* unknown country: nothing leaks, the error says which */
    static const char *const bad[] = {"USA", "Atlantis"};
    opt.countries = bad;
    opt.ncountries = 2;
    assert_int_equal(ol_gdp_figure_new(f->store, &opt, &fig, &err), OL_ENOTFOUND);
    assert_null(fig);
    opt.ncountries = 1;
    assert_int_equal(ol_gdp_figure_new(f->store, &opt, &fig, &err), OL_EINVAL);
    fixture_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_up_down_up),
        cmocka_unit_test(test_never_crosses),
        cmocka_unit_test(test_gap),
        cmocka_unit_test(test_threshold_parameter),
        cmocka_unit_test(test_exactly_threshold),
        cmocka_unit_test(test_vintages),
        cmocka_unit_test(test_mixed_sources),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_countries_resolved),
        cmocka_unit_test(test_ratio_all),
        cmocka_unit_test(test_leader_auto),
        cmocka_unit_test(test_crossings_table),
        cmocka_unit_test(test_parse_threshold),
        cmocka_unit_test(test_series_in_memory),
        cmocka_unit_test(test_gdp_figure_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
