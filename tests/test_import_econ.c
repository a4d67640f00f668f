/* The economic importers: wb (long and wide layouts), wb-api (saved API
 * pages), pwt and nmc, on small fixtures; the bad-input paths each leave the
 * store exactly as it was. */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */


typedef ol_test_fixture fixture;
#define setup ol_test_setup
#define teardown ol_test_teardown

static int64_t count_where(ol_store *s, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(ol_store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("bad SQL: %s: %s", sql, sqlite3_errmsg(ol_store_db(s)));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static char *text_of(ol_store *s, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(ol_store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("bad SQL: %s: %s", sql, sqlite3_errmsg(ol_store_db(s)));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(st, 0);
    char *r = strdup(t ? (const char *)t : "(null)");
    sqlite3_finalize(st);
    return r;
}

static void assert_sql_text(ol_store *s, const char *sql, const char *want)
{
    char *got = text_of(s, sql);
    if (strcmp(got, want) != 0) fail_msg("%s: got '%s', want '%s'", sql, got, want);
    free(got);
}

/* A bad file fails with code at line:column, field, and changes nothing. */
static void expect_fault(fixture *f, const char *kind, const char *text, const char *series,
                         ol_status code, long line, long column, const char *field, const char *msg_part)
{
    ol_test_snapshot before = ol_test_snap(f->s);
    ol_import_summary sum;
    ol_error err;
    ol_status st = ol_test_import_text(f, kind, "bad.csv", text, series, "2024-01-01", 0, &sum, &err);
    char buf[2048];
    ol_error_format(&err, buf, sizeof buf);
    if (st != code) fail_msg("status %d, want %d: %s", (int)st, (int)code, buf);
    assert_int_equal(ol_status_exit_code(st), 3);
    if (err.line != line || err.column != column) fail_msg("at %ld:%ld, want %ld:%ld: %s", err.line, err.column, line, column, buf);
    assert_non_null(strstr(err.file, "bad.csv"));
    if (field) assert_string_equal(err.field, field);
    if (msg_part && !strstr(err.message, msg_part)) fail_msg("message lacks '%s': %s", msg_part, buf);
    ol_test_snapshot after = ol_test_snap(f->s);
    ol_test_snapshot_same(&before, &after);
}

/* ------------------------------------------------------------ wb long */

static const char WB_LONG[] =
    "Country Name,Country Code,Year,Value\r\n"
    "United States,USA,2022,25744108000000.0\r\n"
    "United States,USA,2023,27360935000000.0\r\n"
    "China,CHN,2023,17794783039552.0\r\n"
    "\"Bahamas, The\",BHS,2023,14338500000\r\n"
    "World,WLD,2023,1.05435e+14\r\n"
    "European Union,EUU,2023,\r\n";

static void test_wb_long(void **state)
{
    fixture *f = *state;
    ol_import_summary sum;
    ol_error err;
    OL_ASSERT_OK(ol_test_import_text(f, "wb", "gdp.csv", WB_LONG, NULL, "2024-10", 0, &sum, &err), &err);
    assert_int_equal(sum.rows_read, 6);
    assert_int_equal(sum.rows_kept, 5);
    assert_int_equal(sum.rows_skipped, 1);
    assert_int_equal(sum.rows_rejected, 0);
    assert_true(ol_test_value(f->s, "NY.GDP.MKTP.CD", "USA", 2023) == 27360935000000.0);
    assert_true(ol_test_value(f->s, "NY.GDP.MKTP.CD", "BHS", 2023) == 14338500000.0);
    /* Aggregates are kept under their crosswalk codes. */
    assert_true(ol_test_value(f->s, "NY.GDP.MKTP.CD", "WLD", 2023) == 1.05435e14);
    assert_sql_text(f->s, "SELECT unit FROM series WHERE code = 'NY.GDP.MKTP.CD'", "current US$");
    assert_sql_text(f->s, "SELECT name || '|' || vintage || '|' || rows_kept FROM sources", "NY.GDP.MKTP.CD|2024-10|5");
    assert_sql_text(f->s, "SELECT DISTINCT vintage || '|' || unit FROM indicator_values", "2024-10|current US$");
}

static void test_wb_long_series_and_reimport(void **state)
{
    fixture *f = *state;
    ol_import_summary sum;
    ol_error err;
    const char *pop = "Country Name,Country Code,Year,Value\nAruba,ABW,1960,54922\nJapan,JPN,2023,124516650\n";
    OL_ASSERT_OK(ol_test_import_text(f, "wb", "population.csv", pop, "SP.POP.TOTL", "v1", 0, &sum, &err), &err);
    assert_sql_text(f->s, "SELECT name || '|' || unit FROM series WHERE code = 'SP.POP.TOTL'", "Population, total|persons");
    assert_true(ol_test_value(f->s, "SP.POP.TOTL", "JPN", 2023) == 124516650.0);
    /* The same source and vintage again replaces, never duplicates. */
    OL_ASSERT_OK(ol_test_import_text(f, "wb", "population.csv", pop, "SP.POP.TOTL", "v1", 0, &sum, &err), &err);
    assert_int_equal(ol_test_count(f->s, "indicator_values"), 2);
    assert_int_equal(ol_test_count(f->s, "sources"), 1);
    /* A new vintage is a second source beside the first. */
    OL_ASSERT_OK(ol_test_import_text(f, "wb", "population.csv", pop, "SP.POP.TOTL", "v2", 0, &sum, &err), &err);
    assert_int_equal(ol_test_count(f->s, "indicator_values"), 4);
    assert_int_equal(ol_test_count(f->s, "sources"), 2);

    /* A long file cannot say its unit, so an unknown series is refused. */
    ol_test_snapshot before = ol_test_snap(f->s);
    assert_int_equal(ol_test_import_text(f, "wb", "x.csv", pop, "XX.UNKNOWN", "v1", 0, &sum, &err), OL_EINVAL);
    assert_non_null(strstr(err.message, "XX.UNKNOWN"));
    ol_test_snapshot after = ol_test_snap(f->s);
    ol_test_snapshot_same(&before, &after);
}

/* ------------------------------------------------------------ wb wide */

static const char WB_WIDE[] =
    "\xEF\xBB\xBF\"Data Source\",\"World Development Indicators\",\n"
    "\n"
    "\"Last Updated Date\",\"2024-10-29\",\n"
    "\n"
    "\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"2021\",\"2022\",\"2023\",\n"
    "\"Aruba\",\"ABW\",\"GDP (current US$)\",\"NY.GDP.MKTP.CD\",\"3126019385.47486\",\"3648573184.35754\",\"\",\n"
    "\"United States\",\"USA\",\"GDP (current US$)\",\"NY.GDP.MKTP.CD\",\"23594031000000\",\"25744108000000\",\"27360935000000\",\n"
    "\"High income\",\"HIC\",\"GDP (current US$)\",\"NY.GDP.MKTP.CD\",\"\",\"\",\"\",\n";

static void test_wb_wide(void **state)
{
    fixture *f = *state;
    ol_import_summary sum;
    ol_error err;
    OL_ASSERT_OK(ol_test_import_text(f, "wb", "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_1.csv", WB_WIDE, NULL, NULL, 0, &sum, &err), &err);
    /* Each (country, year) cell is one record. */
    assert_int_equal(sum.rows_read, 9);
    assert_int_equal(sum.rows_kept, 5);
    assert_int_equal(sum.rows_skipped, 4);
    assert_true(ol_test_value(f->s, "NY.GDP.MKTP.CD", "ABW", 2022) == 3648573184.35754);
    assert_true(ol_test_value(f->s, "NY.GDP.MKTP.CD", "USA", 2021) == 23594031000000.0);
    /* The file's Last Updated Date is the vintage; the indicator names the source. */
    assert_sql_text(f->s, "SELECT kind || '|' || name || '|' || vintage FROM sources", "wb|NY.GDP.MKTP.CD|2024-10-29");
    assert_sql_text(f->s, "SELECT DISTINCT vintage FROM indicator_values", "2024-10-29");
    /* Importing it again replaces it. */
    OL_ASSERT_OK(ol_test_import_text(f, "wb", "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_1.csv", WB_WIDE, NULL, NULL, 0, &sum, &err), &err);
    assert_int_equal(ol_test_count(f->s, "indicator_values"), 5);
    assert_int_equal(ol_test_count(f->s, "sources"), 1);
    /* An explicit vintage wins over the file's date. */
    OL_ASSERT_OK(ol_test_import_text(f, "wb", "API_x.csv", WB_WIDE, NULL, "mine", 0, &sum, &err), &err);
    assert_int_equal(count_where(f->s, "SELECT count(*) FROM sources WHERE vintage = 'mine'"), 1);
}

static void test_wb_wide_other_indicator(void **state)
{
    fixture *f = *state;
    ol_import_summary sum;
    ol_error err;
    const char *mil =
        "\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"2020\",\n"
        "\"Japan\",\"JPN\",\"Military expenditure (% of general government expenditure)\",\"MS.MIL.XPND.ZS\",\"2.1\",\n";
    OL_ASSERT_OK(ol_test_import_text(f, "wb", "API_MS.csv", mil, NULL, "2024-01-01", 0, &sum, &err), &err);
    /* Name from the file, unit from its parentheses. */
    assert_sql_text(f->s, "SELECT name || '|' || unit FROM series WHERE code = 'MS.MIL.XPND.ZS'",
                    "Military expenditure (% of general government expenditure)|% of general government expenditure");
    /* --series must agree with the file's indicator. */
    ol_test_snapshot before = ol_test_snap(f->s);
    assert_int_equal(ol_test_import_text(f, "wb", "API_MS2.csv", mil, "NY.GDP.MKTP.CD", "2024-01-01", 0, &sum, &err), OL_EINVAL);
    ol_test_snapshot after = ol_test_snap(f->s);
    ol_test_snapshot_same(&before, &after);
}

/* ------------------------------------------------------------ wb faults */

static void test_wb_faults(void **state)
{
    fixture *f = *state;
    const char *H = "Country Name,Country Code,Year,Value\n";
    char buf[1024];
    /* Unknown country code: line 3, column 2. */
    snprintf(buf, sizeof buf, "%sUnited States,USA,2023,1\nNowhere,QQQ,2023,2\n", H);
    expect_fault(f, "wb", buf, NULL, OL_EVALIDATE, 3, 2, "Country Code", "QQQ");
    /* Non-numeric value: column 4. */
    snprintf(buf, sizeof buf, "%sUnited States,USA,2023,12x\n", H);
    expect_fault(f, "wb", buf, NULL, OL_EVALIDATE, 2, 4, "Value", "not a number");
    /* Year out of range and not a year. */
    snprintf(buf, sizeof buf, "%sUnited States,USA,1850,1\n", H);
    expect_fault(f, "wb", buf, NULL, OL_EVALIDATE, 2, 3, "Year", "1850");
    snprintf(buf, sizeof buf, "%sUnited States,USA,20x3,1\n", H);
    expect_fault(f, "wb", buf, NULL, OL_EVALIDATE, 2, 3, "Year", NULL);
    /* Duplicated (country, year). */
    snprintf(buf, sizeof buf, "%sUnited States,USA,2023,1\nChina,CHN,2023,2\nUnited States,USA,2023,3\n", H);
    expect_fault(f, "wb", buf, NULL, OL_EVALIDATE, 4, 2, "Country Code", "duplicate");
    /* Malformed line: a field too many. */
    snprintf(buf, sizeof buf, "%sUnited States,USA,2023,1,extra\n", H);
    expect_fault(f, "wb", buf, NULL, OL_EPARSE, 2, 5, NULL, "malformed");
    /* Malformed CSV quoting. */
    snprintf(buf, sizeof buf, "%sUnited States,USA,2023,1\n\"Chi\"na,CHN,2023,2\n", H);
    expect_fault(f, "wb", buf, NULL, OL_EPARSE, 3, 1, NULL, "malformed");
    /* A Latin-1 byte in a file read as UTF-8: line 3, column 1. */
    snprintf(buf, sizeof buf, "%sUnited States,USA,2023,1\nC\xF4te d'Ivoire,CIV,2023,2\n", H);
    expect_fault(f, "wb", buf, NULL, OL_EPARSE, 3, 1, NULL, "UTF-8");
    /* A missing column. */
    expect_fault(f, "wb", "Country Name,Country Code,Year\nUnited States,USA,2023\n", NULL, OL_EPARSE, 1, 0, "Value", "missing column");
    /* Not a World Bank file at all. */
    expect_fault(f, "wb", "a,b\n1,2\n", NULL, OL_EPARSE, 2, 0, NULL, "not a World Bank");
    /* Wide layout: a bad year column, a bad value cell, a repeated country. */
    const char *WH = "\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"2022\",\"2023\",\n";
    snprintf(buf, sizeof buf, "\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"2022\",\"x\",\n");
    expect_fault(f, "wb", buf, NULL, OL_EPARSE, 1, 6, "x", "expected a year");
    snprintf(buf, sizeof buf, "%s\"Japan\",\"JPN\",\"GDP (current US$)\",\"NY.GDP.MKTP.CD\",\"1\",\"n/a\",\n", WH);
    expect_fault(f, "wb", buf, NULL, OL_EVALIDATE, 2, 6, "2023", "not a number");
    snprintf(buf, sizeof buf, "%s\"Japan\",\"JPN\",\"GDP (current US$)\",\"NY.GDP.MKTP.CD\",\"1\",\"2\",\n"
                              "\"Japan\",\"JPN\",\"GDP (current US$)\",\"NY.GDP.MKTP.CD\",\"1\",\"2\",\n", WH);
    expect_fault(f, "wb", buf, NULL, OL_EVALIDATE, 3, 2, "Country Code", "duplicate");
    snprintf(buf, sizeof buf, "%s\"Atlantis\",\"ATL\",\"GDP (current US$)\",\"NY.GDP.MKTP.CD\",\"1\",\"2\",\n", WH);
    expect_fault(f, "wb", buf, NULL, OL_EVALIDATE, 2, 2, "Country Code", "ATL");
    snprintf(buf, sizeof buf, "\"Last Updated Date\",\"yesterday\",\n%s", WH);
    expect_fault(f, "wb", buf, NULL, OL_EPARSE, 1, 2, "Last Updated Date", "not a date");
}

static void collect_reject(void *ctx, const ol_error *rej)
{
    int *n = ctx;
    (void)rej;
    (*n)++;
}

static void test_wb_rejects_tolerated(void **state)
{
    fixture *f = *state;
    char *p = ol_test_write(f->dir, "some-bad.csv",
                            "Country Name,Country Code,Year,Value\n"
                            "United States,USA,2023,1\nNowhere,QQQ,2023,2\nChina,CHN,2023,oops\nJapan,JPN,2023,3\n");
    ol_import_options opt;
    ol_import_options_init(&opt);
    opt.vintage = "t";
    int seen = 0;
    opt.on_reject = collect_reject;
    opt.reject_ctx = &seen;
    ol_import_summary sum;
    ol_error err;
    ol_error_clear(&err);
    /* One tolerated is not enough for two rejects: nothing is written. */
    opt.max_rejects = 1;
    ol_test_snapshot before = ol_test_snap(f->s);
    assert_int_equal(ol_import_file(f->s, "wb", p, &opt, &sum, NULL, &err), OL_EVALIDATE);
    assert_non_null(strstr(err.message, "QQQ"));
    ol_test_snapshot after = ol_test_snap(f->s);
    ol_test_snapshot_same(&before, &after);
    /* Two are: the good rows are kept and the rejects stored. */
    opt.max_rejects = 2;
    seen = 0;
    int64_t sid = 0;
    OL_ASSERT_OK(ol_import_file(f->s, "wb", p, &opt, &sum, &sid, &err), &err);
    assert_int_equal(seen, 2);
    assert_int_equal(sum.rows_kept, 2);
    assert_int_equal(sum.rows_rejected, 2);
    assert_int_equal(ol_test_count(f->s, "import_rejects"), 2);
    assert_sql_text(f->s, "SELECT line || ':' || col || ':' || field FROM import_rejects ORDER BY line LIMIT 1",
                    "3:2:Country Code");
    free(p);
}

/* ------------------------------------------------------------ wb-api */

static void test_wb_api_file(void **state)
{
    fixture *f = *state;
    static const char page1[] =
        "[{\"page\":1,\"pages\":2,\"per_page\":2,\"total\":3,\"sourceid\":\"2\",\"lastupdated\":\"2025-07-01\"},"
        "[{\"indicator\":{\"id\":\"NY.GDP.MKTP.CD\",\"value\":\"GDP (current US$)\"},\"country\":{\"id\":\"US\",\"value\":\"United States\"},"
        "\"countryiso3code\":\"USA\",\"date\":\"2023\",\"value\":27360935000000,\"unit\":\"\",\"obs_status\":\"\",\"decimal\":0},"
        "{\"indicator\":{\"id\":\"NY.GDP.MKTP.CD\",\"value\":\"GDP (current US$)\"},\"country\":{\"id\":\"1W\",\"value\":\"World\"},"
        "\"countryiso3code\":\"WLD\",\"date\":\"2023\",\"value\":null,\"unit\":\"\",\"obs_status\":\"\",\"decimal\":0}]]";
    static const char page2[] =
        "[{\"page\":2,\"pages\":2,\"per_page\":2,\"total\":3,\"sourceid\":\"2\",\"lastupdated\":\"2025-07-01\"},"
        "[{\"indicator\":{\"id\":\"NY.GDP.MKTP.CD\",\"value\":\"GDP (current US$)\"},\"country\":{\"id\":\"CN\",\"value\":\"China\"},"
        "\"countryiso3code\":\"CHN\",\"date\":\"2023\",\"value\":17794783039552.0,\"unit\":\"\",\"obs_status\":\"\",\"decimal\":0}]]";
    char *p = ol_test_path(f->dir, "pages.json");
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    fwrite(page1, 1, sizeof page1, fp); /* with its NUL */
    fwrite(page2, 1, sizeof page2, fp);
    fclose(fp);
    ol_import_summary sum;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_import_file(f->s, "wb-api", p, NULL, &sum, NULL, &err), &err);
    assert_int_equal(sum.rows_read, 3);
    assert_int_equal(sum.rows_kept, 2);
    assert_int_equal(sum.rows_skipped, 1);
    assert_true(ol_test_value(f->s, "NY.GDP.MKTP.CD", "CHN", 2023) == 17794783039552.0);
    assert_sql_text(f->s, "SELECT kind || '|' || name || '|' || vintage FROM sources", "wb-api|NY.GDP.MKTP.CD|2025-07-01");
    free(p);

    /* A saved error object is refused, naming the API's message. */
    ol_test_snapshot before = ol_test_snap(f->s);
    ol_import_summary s2;
    assert_int_equal(ol_test_import_text(f, "wb-api", "err.json",
                                 "[{\"message\":[{\"id\":\"120\",\"key\":\"Invalid value\",\"value\":\"The provided parameter value is not valid\"}]}]",
                                 NULL, NULL, 0, &s2, &err), OL_EPARSE);
    assert_non_null(strstr(err.message, "120"));
    assert_int_equal(ol_test_import_text(f, "wb-api", "junk.json", "[1, 2", NULL, NULL, 0, &s2, &err), OL_EPARSE);
    ol_test_snapshot after = ol_test_snap(f->s);
    ol_test_snapshot_same(&before, &after);
}

/* ------------------------------------------------------------ pwt */

/* Latin-1, as the PWT file is: Cura\xE7ao, C\xF4te d'Ivoire, T\xFCrkiye. */
static const char PWT_HEADER[] =
    "countrycode,country,currency_unit,year,rgdpe,rgdpo,pop,emp,avh,hc,ccon,cda,cgdpe,cgdpo,cn,ck,ctfp,cwtfp,"
    "rgdpna,rconna,rdana,rnna,rkna,rtfpna,rwtfpna,labsh,irr,delta,xr,pl_con,pl_da,pl_gdpo,i_cig,i_xm,i_xr,"
    "i_outlier,i_irr,cor_exp,csh_c,csh_i,csh_g,csh_x,csh_m,csh_r,pl_c,pl_i,pl_g,pl_x,pl_m,pl_n,pl_k\n";
#define PWT_ROW(code, name, year, rgdpe, pop) \
    code "," name ",Unit," year "," rgdpe ",2," pop ",4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28," \
    "Benchmark,Extrapolated,Market-based,Regular,Regular,,0.5,0.2,0.1,0.3,-0.2,0.01,1,1,1,1,1,1,1\n"
#define PWT_EMPTY(code, name, year) \
    code "," name ",Unit," year ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n"

static void test_pwt(void **state)
{
    fixture *f = *state;
    char text[4096];
    snprintf(text, sizeof text, "%s%s%s%s%s%s", PWT_HEADER,
             PWT_EMPTY("CUW", "Cura\xE7" "ao", "1950"),
             PWT_ROW("CUW", "Cura\xE7" "ao", "2019", "4500", "0.16"),
             PWT_ROW("CIV", "C\xF4te d'Ivoire", "2019", "150000", "25"),
             PWT_ROW("TUR", "T\xFCrkiye", "2019", "2500000", "83"),
             PWT_ROW("HKG", "\"China, Hong Kong SAR\"", "2019", "480000", "7.5"));
    ol_import_summary sum;
    ol_error err;
    OL_ASSERT_OK(ol_test_import_text(f, "pwt", "pwt110.csv", text, NULL, "11.0", 0, &sum, &err), &err);
    /* 19 variables per line; the empty 1950 line is 19 skips; csh_* etc. are kept. */
    assert_int_equal(sum.rows_read, 5 * 19);
    assert_int_equal(sum.rows_skipped, 19);
    assert_int_equal(sum.rows_kept, 4 * 19);
    assert_true(ol_test_value(f->s, "pwt.rgdpe", "TUR", 2019) == 2500000.0);
    assert_true(ol_test_value(f->s, "pwt.pop", "CUW", 2019) == 0.16);
    assert_true(ol_test_value(f->s, "pwt.csh_m", "CIV", 2019) == -0.2);
    assert_true(ol_test_value(f->s, "pwt.xr", "HKG", 2019) == 25.0);
    assert_sql_text(f->s, "SELECT unit FROM series WHERE code = 'pwt.rgdpe'", "million 2021 US$ (chained PPPs)");
    assert_sql_text(f->s, "SELECT unit FROM series WHERE code = 'pwt.pop'", "million persons");

    /* The Latin-1 names arrive as UTF-8: an unknown code's reject quotes it. */
    snprintf(text, sizeof text, "%s%s", PWT_HEADER, PWT_ROW("XCU", "Cura\xE7" "ao", "2019", "1", "1"));
    ol_test_snapshot before = ol_test_snap(f->s);
    assert_int_equal(ol_test_import_text(f, "pwt", "bad.csv", text, NULL, "11.0", 0, &sum, &err), OL_EVALIDATE);
    assert_non_null(strstr(err.message, "Cura\xC3\xA7" "ao"));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 1);
    snprintf(text, sizeof text, "%s%s", PWT_HEADER, PWT_ROW("QQQ", "C\xF4te d'Ivoire", "2019", "1", "1"));
    assert_int_equal(ol_test_import_text(f, "pwt", "bad.csv", text, NULL, "11.0", 0, &sum, &err), OL_EVALIDATE);
    assert_non_null(strstr(err.message, "C\xC3\xB4te d'Ivoire"));
    snprintf(text, sizeof text, "%s%s", PWT_HEADER, PWT_ROW("QQQ", "T\xFCrkiye", "2019", "1", "1"));
    assert_int_equal(ol_test_import_text(f, "pwt", "bad.csv", text, NULL, "11.0", 0, &sum, &err), OL_EVALIDATE);
    assert_non_null(strstr(err.message, "T\xC3\xBCrkiye"));
    ol_test_snapshot after = ol_test_snap(f->s);
    ol_test_snapshot_same(&before, &after);
}

static void test_pwt_faults(void **state)
{
    fixture *f = *state;
    char text[4096];
    /* A repeated country-year (the staged PWT 11.0 repeats ZWE 2021-2023). */
    snprintf(text, sizeof text, "%s%s%s", PWT_HEADER, PWT_ROW("ZWE", "Zimbabwe", "2021", "45625", "16"),
             PWT_ROW("ZWE", "Zimbabwe", "2021", "45598", "16"));
    expect_fault(f, "pwt", text, NULL, OL_EVALIDATE, 3, 1, "countrycode", "duplicate");
    /* A non-numeric cell names its column. */
    snprintf(text, sizeof text, "%s%s", PWT_HEADER, PWT_ROW("USA", "United States", "2019", "lots", "330"));
    expect_fault(f, "pwt", text, NULL, OL_EVALIDATE, 2, 5, "rgdpe", "not a number");
    /* A year before PWT begins. */
    snprintf(text, sizeof text, "%s%s", PWT_HEADER, PWT_ROW("USA", "United States", "1900", "1", "1"));
    expect_fault(f, "pwt", text, NULL, OL_EVALIDATE, 2, 4, "year", NULL);
    /* A missing variable column. */
    expect_fault(f, "pwt", "countrycode,country,year,rgdpe\nUSA,United States,2019,1\n", NULL, OL_EPARSE, 1, 0,
                 "rgdpo", "missing column");
}

/* ------------------------------------------------------------ nmc */

static const char NMC_HEADER[] = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\r\n";

static void test_nmc(void **state)
{
    fixture *f = *state;
    char text[4096];
    snprintf(text, sizeof text, "%s%s", NMC_HEADER,
             "USA,2,2016,604452000,1381,78475,3293117,322180,197817,0.13305758,2021\r\n"
             "CHN,710,2016,145039000,2333,807609,5679028,1403500,526464,0.23061772,2021\r\n"
             "GMY,255,1900,-9,524,6461,-9,56046,9267,0.084,2021\r\n"
             "GFR,260,1970,6000000,455,45000,300000,61000,20000,0.03,2021\r\n"
             "GDR,265,1970,2000000,200,5000,100000,17000,4000,0.01,2021\r\n"
             "RUS,365,1950,15000000,4000,27000,400000,180000,50000,0.17,2021\r\n"
             "WSM,990,2016,0,0,0,40,195,0,4.6681293E-06,2021");
    ol_import_summary sum;
    ol_error err;
    OL_ASSERT_OK(ol_test_import_text(f, "nmc", "NMC-60-abridged.csv", text, NULL, NULL, 0, &sum, &err), &err);
    assert_int_equal(sum.rows_read, 7 * 7);
    assert_int_equal(sum.rows_skipped, 2);
    assert_int_equal(sum.rows_kept, 47);
    assert_true(ol_test_value(f->s, "nmc.cinc", "USA", 2016) == 0.13305758);
    assert_true(ol_test_value(f->s, "nmc.cinc", "CHN", 2016) == 0.23061772);
    assert_true(ol_test_value(f->s, "nmc.cinc", "WSM", 2016) == 4.6681293e-06);
    /* COW numbers resolve by year. */
    assert_true(ol_test_value(f->s, "nmc.tpop", "DEU", 1900) == 56046.0);
    assert_true(ol_test_value(f->s, "nmc.tpop", "DEU", 1970) == 61000.0);
    assert_true(ol_test_value(f->s, "nmc.tpop", "DDR", 1970) == 17000.0);
    assert_true(ol_test_value(f->s, "nmc.tpop", "RUS", 1950) == 180000.0);
    assert_int_equal(count_where(f->s, "SELECT count(*) FROM indicator_values WHERE series = 'nmc.milex' AND country = 'DEU' AND year = 1900"), 0);
    assert_sql_text(f->s, "SELECT unit FROM series WHERE code = 'nmc.milex'", "thousand current US$");
    /* The file's version column is the vintage. */
    assert_sql_text(f->s, "SELECT vintage FROM sources", "2021");
}

static void test_nmc_transition_year(void **state)
{
    fixture *f = *state;
    /* GFR (260) and GMY (255) are both DEU in 1990: united Germany's line
     * wins in either order, the FRG's is skipped. */
    const char *orders[2] = {
        "GMY,255,1990,37200000,545,38434,-9,79402,25673,0.029267116,2021\n"
        "GFR,260,1990,35610000,545,38433,366237,63253,21254,0.027701119,2021\n",
        "GFR,260,1990,35610000,545,38433,366237,63253,21254,0.027701119,2021\n"
        "GMY,255,1990,37200000,545,38434,-9,79402,25673,0.029267116,2021\n",
    };
    for (int i = 0; i < 2; i++) {
        char text[1024];
        snprintf(text, sizeof text, "%s%s", NMC_HEADER, orders[i]);
        ol_import_summary sum;
        ol_error err;
        OL_ASSERT_OK(ol_test_import_text(f, "nmc", "nmc.csv", text, NULL, "v6", 0, &sum, &err), &err);
        assert_int_equal(sum.rows_read, 14);
        assert_int_equal(sum.rows_kept, 6);
        assert_int_equal(sum.rows_skipped, 8);
        assert_true(ol_test_value(f->s, "nmc.tpop", "DEU", 1990) == 79402.0);
        assert_int_equal(count_where(f->s, "SELECT count(*) FROM indicator_values WHERE series = 'nmc.pec'"), 0);
        assert_int_equal(ol_test_count(f->s, "indicator_values"), 6);
    }
}

static void test_nmc_faults(void **state)
{
    fixture *f = *state;
    char text[1024];
    /* The letter code must name the same entity as the number. */
    snprintf(text, sizeof text, "%sUSA,2,2016,1,1,1,1,1,1,0.1,2021\nJPN,710,2016,1,1,1,1,1,1,0.1,2021\n", NMC_HEADER);
    expect_fault(f, "nmc", text, NULL, OL_EVALIDATE, 3, 1, "stateabb", "JPN");
    /* An unknown COW number. */
    snprintf(text, sizeof text, "%sXXX,999,2016,1,1,1,1,1,1,0.1,2021\n", NMC_HEADER);
    expect_fault(f, "nmc", text, NULL, OL_EVALIDATE, 2, 2, "ccode", "999");
    /* CINC is a share. */
    snprintf(text, sizeof text, "%sUSA,2,2016,1,1,1,1,1,1,1.5,2021\n", NMC_HEADER);
    expect_fault(f, "nmc", text, NULL, OL_EVALIDATE, 2, 10, "cinc", "out of range");
    /* Negative values other than -9. */
    snprintf(text, sizeof text, "%sUSA,2,2016,-5,1,1,1,1,1,0.1,2021\n", NMC_HEADER);
    expect_fault(f, "nmc", text, NULL, OL_EVALIDATE, 2, 4, "milex", "negative");
    /* A duplicated line. */
    snprintf(text, sizeof text, "%sUSA,2,2016,1,1,1,1,1,1,0.1,2021\nUSA,2,2016,1,1,1,1,1,1,0.1,2021\n", NMC_HEADER);
    expect_fault(f, "nmc", text, NULL, OL_EVALIDATE, 3, 2, "ccode", "duplicate");
    /* Not a number. */
    snprintf(text, sizeof text, "%sUSA,2,2016,1,1,1,1,1,1,high,2021\n", NMC_HEADER);
    expect_fault(f, "nmc", text, NULL, OL_EVALIDATE, 2, 10, "cinc", "not a number");
    /* A short line. */
    snprintf(text, sizeof text, "%sUSA,2,2016,1,1\n", NMC_HEADER);
    expect_fault(f, "nmc", text, NULL, OL_EPARSE, 2, 5, NULL, "malformed");
    /* A missing column. */
    expect_fault(f, "nmc", "stateabb,ccode,year,milex\nUSA,2,2016,1\n", NULL, OL_EPARSE, 1, 0, "milper", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wb_long, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wb_long_series_and_reimport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wb_wide, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wb_wide_other_indicator, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wb_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wb_rejects_tolerated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wb_api_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pwt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pwt_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nmc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nmc_transition_year, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nmc_faults, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
