/* The importers of long-run GDP, trade, military spending and international
 * finance: maddison, census-trade, sipri (CSV and .xlsx), un-finance, who and
 * imf, on small fixtures the tests write.  Good rows, every reject path with
 * its line and column, the documented skips and flags, re-imports that
 * replace, and failed imports that leave the store as it was. */
#include "testutil.h"

#include "import_helpers.h"

#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

typedef ol_test_fixture fixture;
#define setup ol_test_setup
#define teardown ol_test_teardown


#define ASSERT_NEAR(a, b) do { double a_ = (a), b_ = (b); \
    if (fabs(a_ - b_) > 1e-9 * fmax(1.0, fabs(b_))) fail_msg("%s = %.17g, want %.17g", #a, a_, b_); } while (0)

static char buf_[512];
#define TEXT(s, sql) ol_test_query_text((s), (sql), buf_, sizeof buf_)

/* A bad file fails with code at line:column and field, and changes nothing. */
static void expect_fault(fixture *f, const char *kind, const char *name, const char *text, const char *series,
                         const char *vintage, ol_status code, long line, long column, const char *field,
                         const char *msg_part)
{
    ol_test_snapshot before = ol_test_snap(f->s);
    ol_import_summary sum;
    ol_error err;
    ol_status st = ol_test_import_text(f, kind, name, text, series, vintage, 0, &sum, &err);
    char buf[2048];
    ol_error_format(&err, buf, sizeof buf);
    if (st != code) fail_msg("status %d, want %d: %s", (int)st, (int)code, buf);
    if (err.line != line || err.column != column)
        fail_msg("at %ld:%ld, want %ld:%ld: %s", err.line, err.column, line, column, buf);
    if (field && strcmp(err.field, field) != 0) fail_msg("field '%s', want '%s': %s", err.field, field, buf);
    if (msg_part && !strstr(err.message, msg_part)) fail_msg("message lacks '%s': %s", msg_part, buf);
    ol_test_snapshot after = ol_test_snap(f->s);
    ol_test_snapshot_same(&before, &after);
}

/* Re-importing text under the same name and vintage changes no count. */
static void assert_idempotent(fixture *f, const char *kind, const char *name, const char *text, const char *series,
                              const char *vintage)
{
    ol_test_snapshot before = ol_test_snap(f->s);
    ol_import_summary sum;
    ol_error err;
    OL_ASSERT_OK(ol_test_import_text(f, kind, name, text, series, vintage, 0, &sum, &err), &err);
    ol_test_snapshot after = ol_test_snap(f->s);
    ol_test_snapshot_same_counts(&before, &after);
}

static double pair_value(ol_store *s, const char *series, const char *country, const char *partner, int year)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT value FROM pair_values WHERE series = '%s' AND country = '%s' AND partner = '%s' AND year = %d",
             series, country, partner, year);
    double v = ol_test_query_double(s, sql);
    if (v == -999) fail_msg("no %s of %s with %s in %d", series, country, partner, year);
    return v;
}

/* ------------------------------------------------------------ maddison */

static const char MPD_HEAD[] = "countrycode,country,region,year,gdppc,pop\n";

static const char MPD[] =
    "countrycode,country,region,year,gdppc,pop\n"
    "USA,United States,Western Offshoots,1990,36982,250131.894\n"
    "USA,United States,Western Offshoots,2022,58487.4658608951,333288\n"
    "SUN,Former USSR,Eastern Europe,2022,19354.7080711856,294378.63\n"
    "RUS,Russian Federation,Eastern Europe,2022,24000,145000\n"
    "CHN,China,East Asia,1,,\n"
    "\"HKG\",\"China, Hong Kong SAR\",East Asia,1990,30000,\n";

static void test_maddison(void **state)
{
    fixture *f = *state;
    ol_import_summary sum;
    ol_error err;
    OL_ASSERT_OK(ol_test_import_text(f, "maddison", "mpd2023_full_data.csv", MPD, NULL, NULL, 0, &sum, &err), &err);
    /* two values per line: 6 lines */
    assert_int_equal(sum.rows_read, 12);
    assert_int_equal(sum.rows_kept, 9);
    assert_int_equal(sum.rows_skipped, 3);
    assert_int_equal(sum.rows_rejected, 0);
    ASSERT_NEAR(ol_test_value(f->s, "maddison.gdppc", "USA", 1990), 36982);
    ASSERT_NEAR(ol_test_value(f->s, "maddison.pop", "USA", 2022), 333288);
    /* GDP = gdppc x pop / 1000, in million 2011 international $ */
    ASSERT_NEAR(ol_test_value(f->s, "maddison.gdp", "USA", 2022), 58487.4658608951 * 333288 / 1000);
    /* the former USSR stays SUN after 1991, beside Russia */
    ASSERT_NEAR(ol_test_value(f->s, "maddison.gdp", "SUN", 2022), 19354.7080711856 * 294378.63 / 1000);
    ASSERT_NEAR(ol_test_value(f->s, "maddison.gdp", "RUS", 2022), 24000.0 * 145000 / 1000);
    /* no GDP without both values */
    assert_int_equal(ol_test_query_int(f->s, "SELECT count(*) FROM indicator_values WHERE series = 'maddison.gdp' "
                                             "AND country = 'HKG'"), 0);
    /* the release year in the file's name is the vintage */
    assert_string_equal(TEXT(f->s, "SELECT vintage FROM sources"), "2023");
    assert_string_equal(TEXT(f->s, "SELECT unit FROM series WHERE code = 'maddison.gdp'"),
                        "million 2011 international $ (PPP)");
    assert_idempotent(f, "maddison", "mpd2023_full_data.csv", MPD, NULL, NULL);
}

static void test_maddison_rejects(void **state)
{
    fixture *f = *state;
    char text[1024];
    snprintf(text, sizeof text, "%sUSA,United States,x,1990,1,2\nQQQ,Nowhere,x,1990,1,2\n", MPD_HEAD);
    expect_fault(f, "maddison", "bad.csv", text, NULL, "t", OL_EVALIDATE, 3, 1, "countrycode", "unknown ISO 3166");
    snprintf(text, sizeof text, "%sUSA,United States,x,19x0,1,2\n", MPD_HEAD);
    expect_fault(f, "maddison", "bad.csv", text, NULL, "t", OL_EVALIDATE, 2, 4, "year", "not a year");
    snprintf(text, sizeof text, "%sUSA,United States,x,1990,abc,2\n", MPD_HEAD);
    expect_fault(f, "maddison", "bad.csv", text, NULL, "t", OL_EVALIDATE, 2, 5, "gdppc", "not a number");
    snprintf(text, sizeof text, "%sUSA,United States,x,1990,1,-2\n", MPD_HEAD);
    expect_fault(f, "maddison", "bad.csv", text, NULL, "t", OL_EVALIDATE, 2, 6, "pop", "not a positive number");
    snprintf(text, sizeof text, "%sUSA,United States,x,1990,1,2\nUSA,United States,x,1990,1,2\n", MPD_HEAD);
    expect_fault(f, "maddison", "bad.csv", text, NULL, "t", OL_EVALIDATE, 3, 1, "countrycode", "duplicate");
    snprintf(text, sizeof text, "%sUSA,United States,x,1990,1\n", MPD_HEAD);
    expect_fault(f, "maddison", "bad.csv", text, NULL, "t", OL_EPARSE, 2, 5, NULL, "malformed line");
    expect_fault(f, "maddison", "bad.csv", "countrycode,country,year,gdppc\nUSA,x,1990,1\n", NULL, "t", OL_EPARSE, 1, 0,
                 NULL, "pop");
    /* tolerated: the good line goes in, the reject is stored with its place */
    ol_import_summary sum;
    ol_error err;
    snprintf(text, sizeof text, "%sUSA,United States,x,1990,1,2\nQQQ,Nowhere,x,1990,1,2\n", MPD_HEAD);
    OL_ASSERT_OK(ol_test_import_text(f, "maddison", "some.csv", text, NULL, "t", 1, &sum, &err), &err);
    assert_int_equal(sum.rows_rejected, 1);
    assert_int_equal(sum.rows_kept, 2);
    assert_string_equal(TEXT(f->s, "SELECT line || ':' || col || ':' || field FROM import_rejects"), "3:1:countrycode");
}

/* ------------------------------------------------------------ census-trade */

static char *census_text(void)
{
    static char text[8192];
    char line[512];
    snprintf(text, sizeof text, "%s", OL_TEST_CENSUS_HEAD);
    struct { int y; const char *code, *name; double m, e; int months; } rows[] = {
        {2018, "5700", "China", 40, 10, 12},
        {2018, "0015", "\"World, Not Seasonally Adjusted\"", 200, 140, 12},
        {2018, "0004", "\"World, Seasonally Adjusted\"", 200, 140, 12},   /* an aggregate: skipped */
        {2018, "8220", "Unidentified Countries", 1, 1, 12},               /* a residual: skipped */
        {2018, "4610", "USSR", 0, 0, 12},                                  /* all zero: skipped */
        {2018, "5082", "Gaza Strip admin. by Israel", 1, 2, 12},           /* Gaza + West Bank = PSE */
        {2018, "5083", "West Bank admin. by Israel", 3, 4, 12},
        {2024, "5700", "China", 30, 12, 6},                                /* January to June */
        {2024, "0015", "\"World, Not Seasonally Adjusted\"", 250, 170, 6},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ol_test_census_line(line, sizeof line, rows[i].y, rows[i].code, rows[i].name, rows[i].m, rows[i].e, rows[i].months);
        strncat(text, line, sizeof text - strlen(text) - 1);
    }
    return text;
}

static void test_census(void **state)
{
    fixture *f = *state;
    ol_import_summary sum;
    ol_error err;
    const char *text = census_text();
    OL_ASSERT_OK(ol_test_import_text(f, "census-trade", "country.csv", text, NULL, NULL, 0, &sum, &err), &err);
    /* 9 lines x 2 records (annual imports and exports) */
    assert_int_equal(sum.rows_read, 18);
    assert_int_equal(sum.rows_skipped, 6);
    assert_int_equal(sum.rows_kept, 12);
    assert_int_equal(sum.rows_rejected, 0);
    /* million US$; balance = exports - imports */
    ASSERT_NEAR(pair_value(f->s, "census.imports", "USA", "CHN", 2018), 480);
    ASSERT_NEAR(pair_value(f->s, "census.exports", "USA", "CHN", 2018), 120);
    ASSERT_NEAR(pair_value(f->s, "census.balance", "USA", "CHN", 2018), -360);
    ASSERT_NEAR(pair_value(f->s, "census.balance", "USA", "WLD", 2018), 12 * (140 - 200));
    ASSERT_NEAR(pair_value(f->s, "census.imports", "USA", "PSE", 2018), 12 * (1 + 3));
    assert_string_equal(TEXT(f->s, "SELECT flag FROM pair_values WHERE partner = 'PSE' AND series = 'census.imports'"),
                        "combined");
    /* the partial year is flagged on every value of the year, never silently a full one */
    assert_int_equal(ol_test_query_int(f->s, "SELECT count(*) FROM pair_values WHERE year = 2024 AND flag = 'partial:1-6'"),
                     6);
    assert_int_equal(ol_test_query_int(f->s, "SELECT count(*) FROM pair_values WHERE year = 2018 AND flag LIKE '%partial%'"),
                     0);
    /* vintage: the last month with data */
    assert_string_equal(TEXT(f->s, "SELECT vintage FROM sources"), "2024-06");
    assert_string_equal(TEXT(f->s, "SELECT DISTINCT vintage FROM pair_values"), "2024-06");
    assert_string_equal(TEXT(f->s, "SELECT partner_kind FROM series WHERE code = 'census.balance'"), "country");
    assert_idempotent(f, "census-trade", "country.csv", text, NULL, NULL);
    /* the crosswalk knows the Census codes */
    ol_country_index *ix = NULL;
    OL_ASSERT_OK(ol_country_index_new(f->s, &ix, &err), &err);
    assert_string_equal(ol_country_index_lookup(ix, OL_CODES_CENSUS, "5700", 2018), "CHN");
    assert_string_equal(ol_country_index_lookup(ix, OL_CODES_CENSUS, "0015", 2018), "WLD");
    assert_string_equal(ol_country_index_lookup(ix, OL_CODES_CENSUS, "4799", 2000), "YUG");
    assert_string_equal(ol_country_index_lookup(ix, OL_CODES_CENSUS, "4799", 2005), "SCG");
    /* a four-digit number is not taken for a country unless the census system is asked for */
    assert_null(ol_country_index_lookup(ix, OL_CODES_ANY, "5700", 0));
    ol_country_index_free(ix);
}

static void test_census_rejects(void **state)
{
    fixture *f = *state;
    char text[4096], line[512];
    /* IYR is not the sum of the months */
    ol_test_census_line(line, sizeof line, 2018, "5700", "China", 40, 10, 12);
    char *iyr = strstr(line, ",480,");
    assert_non_null(iyr);
    memcpy(iyr, ",481,", 5);
    snprintf(text, sizeof text, "%s%s", OL_TEST_CENSUS_HEAD, line);
    expect_fault(f, "census-trade", "bad.csv", text, NULL, "t", OL_EVALIDATE, 2, 16, "IYR", "not the sum");
    /* an unknown partner code */
    ol_test_census_line(line, sizeof line, 2018, "5701", "Nowhere", 1, 1, 12);
    snprintf(text, sizeof text, "%s%s", OL_TEST_CENSUS_HEAD, line);
    expect_fault(f, "census-trade", "bad.csv", text, NULL, "t", OL_EVALIDATE, 2, 2, "CTY_CODE", "unknown Census");
    /* a cell that is not a number */
    ol_test_census_line(line, sizeof line, 2018, "5700", "China", 40, 10, 12);
    char *cell = strstr(line, ",40,");
    memcpy(cell, ",4x,", 4);
    snprintf(text, sizeof text, "%s%s", OL_TEST_CENSUS_HEAD, line);
    expect_fault(f, "census-trade", "bad.csv", text, NULL, "t", OL_EVALIDATE, 2, 4, "IJAN", "not a number");
    /* the same code twice in a year */
    ol_test_census_line(line, sizeof line, 2018, "5700", "China", 40, 10, 12);
    snprintf(text, sizeof text, "%s%s%s", OL_TEST_CENSUS_HEAD, line, line);
    expect_fault(f, "census-trade", "bad.csv", text, NULL, "t", OL_EVALIDATE, 3, 2, "CTY_CODE", "duplicate");
    /* a year before the series */
    ol_test_census_line(line, sizeof line, 1900, "5700", "China", 40, 10, 12);
    snprintf(text, sizeof text, "%s%s", OL_TEST_CENSUS_HEAD, line);
    expect_fault(f, "census-trade", "bad.csv", text, NULL, "t", OL_EVALIDATE, 2, 1, "year", "not a year");
    /* a missing column */
    expect_fault(f, "census-trade", "bad.csv", "year,CTY_CODE,CTYNAME,IYR,EYR\n2018,5700,China,1,1\n", NULL, "t",
                 OL_EPARSE, 1, 0, NULL, "IJAN");
}

/* ------------------------------------------------------------ sipri (CSV) */

static const char SIPRI_CURRENT[] =
    "Country,Notes,2017,2018,2019\n"
    "Africa,,,,\n"
    "Costa Rica,\xc2\xa7" "37,0,0,0\n"
    "United States of America,44,646752.9,682491.4,734344.1\n"
    "\"Congo, DR\",\xe2\x80\xa0\xc2\xb6" "5,...,xxx,12.5\n";

static void test_sipri_csv(void **state)
{
    fixture *f = *state;
    ol_import_summary sum;
    ol_error err;
    OL_ASSERT_OK(ol_test_import_text(f, "sipri", "sipri_milex_2023_current_usd.csv", SIPRI_CURRENT, NULL, "2024-04", 0,
                                     &sum, &err), &err);
    /* a heading row (1) + 3 countries x 3 years */
    assert_int_equal(sum.rows_read, 10);
    assert_int_equal(sum.rows_kept, 4);
    /* Costa Rica's three zeros (unverifiable from a CSV sheet), "..." and "xxx", the heading */
    assert_int_equal(sum.rows_skipped, 6);
    ASSERT_NEAR(ol_test_value(f->s, "sipri.milex_current", "USA", 2018), 682491.4);
    ASSERT_NEAR(ol_test_value(f->s, "sipri.milex_current", "COD", 2019), 12.5);
    assert_string_equal(TEXT(f->s, "SELECT flag FROM indicator_values WHERE country = 'USA' AND year = 2018"), "fn:44");
    assert_string_equal(TEXT(f->s, "SELECT flag FROM indicator_values WHERE country = 'COD'"),
                        "excl-pensions,excl-paramilitary,fn:5");
    assert_string_equal(TEXT(f->s, "SELECT unit FROM series WHERE code = 'sipri.milex_current'"), "million current US$");
    assert_idempotent(f, "sipri", "sipri_milex_2023_current_usd.csv", SIPRI_CURRENT, NULL, "2024-04");
    /* the constant sheet: its base year from the name, its zeros kept */
    static const char CONSTANT[] = "Country,,Notes,2018\nCosta Rica,,\xc2\xa7" "37,0\nUnited States of America,,44,795416.3\n";
    OL_ASSERT_OK(ol_test_import_text(f, "sipri", "sipri_milex_2023_constant_2022_usd.csv", CONSTANT, NULL, "2024-04",
                                     0, &sum, &err), &err);
    assert_int_equal(sum.rows_kept, 2);
    ASSERT_NEAR(ol_test_value(f->s, "sipri.milex_constant", "CRI", 2018), 0.0);
    assert_string_equal(TEXT(f->s, "SELECT unit FROM series WHERE code = 'sipri.milex_constant'"),
                        "million constant 2022 US$");
    /* shares are not bounded by 1 (Kuwait 1991) */
    OL_ASSERT_OK(ol_test_import_text(f, "sipri", "gdp.csv", "Country,Notes,1991\nKuwait,,1.17\n", "share-gdp", "2024-04",
                                     0, &sum, &err), &err);
    ASSERT_NEAR(ol_test_value(f->s, "sipri.milex_gdp", "KWT", 1991), 1.17);
}

static void test_sipri_rejects(void **state)
{
    fixture *f = *state;
    expect_fault(f, "sipri", "sipri_current_usd.csv", "Country,Notes,2018\nNowhere,,1\n", NULL, "t", OL_EVALIDATE, 2, 1,
                 "Country", "unknown or ambiguous country");
    expect_fault(f, "sipri", "sipri_current_usd.csv", "Country,Notes,2018\nJapan,,-1\n", NULL, "t", OL_EVALIDATE, 2, 3,
                 "2018", "negative");
    expect_fault(f, "sipri", "sipri_current_usd.csv", "Country,Notes,2018\nJapan,,1e\n", NULL, "t", OL_EVALIDATE, 2, 3,
                 "2018", "not a number");
    expect_fault(f, "sipri", "sipri_current_usd.csv", "Country,Notes,2018\nJapan,,1\nJapan,,2\n", NULL, "t",
                 OL_EVALIDATE, 3, 1, "Country", "duplicate");
    expect_fault(f, "sipri", "sipri_current_usd.csv", "Land,Notes,2018\nJapan,,1\n", NULL, "t", OL_EPARSE, 1, 1,
                 "Country", "no 'Country' header");
    /* a name that does not say which sheet, and no --series */
    expect_fault(f, "sipri", "milex.csv", "Country,Notes,2018\nJapan,,1\n", NULL, "t", OL_EINVAL, 0, 0, "series",
                 "cannot tell which SIPRI sheet");
    expect_fault(f, "sipri", "milex.csv", "Country,Notes,2018\nJapan,,1\n", "gross", "t", OL_EINVAL, 0, 0, "series",
                 "unknown SIPRI sheet");
}

/* ------------------------------------------------------------ sipri (.xlsx) */

/* Adds text as the part name, deflated or stored; returns its index. */
static zip_uint64_t zadd(zip_t *z, const char *name, const char *text, int compress)
{
    zip_source_t *src = zip_source_buffer(z, text, strlen(text), 0);
    assert_non_null(src);
    zip_int64_t i = zip_file_add(z, name, src, ZIP_FL_OVERWRITE);
    assert_true(i >= 0);
    assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)i, compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0), 0);
    return (zip_uint64_t)i;
}

/* How write_workbook spoils the workbook. */
typedef enum { WB_SOUND, WB_DAMAGED, WB_ENCRYPTED } wb_fault;

/* Writes a workbook with the sheets "Constant (2022) US$" and "Current US$":
 * fonts 1 red, 2 blue (SIPRI's legacy indexed colours 10 and 12), a title
 * row above the table, years stored as numbers ("2017.0"), a shared string
 * table, the German Democratic Republic's artefact zero in current US$ and
 * Costa Rica's true zero in both. */
static char *write_workbook(const char *dir, wb_fault fault)
{
    static const char wb[] =
        "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
        "<sheet name=\"Front page\" sheetId=\"1\" r:id=\"rId1\"/>"
        "<sheet name=\"Constant (2022) US$\" sheetId=\"2\" r:id=\"rId2\"/>"
        "<sheet name=\"Current US$\" sheetId=\"3\" r:id=\"rId3\"/></sheets></workbook>";
    static const char rels[] =
        "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\" Type=\"ws\"/>"
        "<Relationship Id=\"rId2\" Target=\"worksheets/sheet2.xml\" Type=\"ws\"/>"
        "<Relationship Id=\"rId3\" Target=\"/xl/worksheets/sheet3.xml\" Type=\"ws\"/></Relationships>";
    static const char sst[] =
        "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<si><t>Country</t></si><si><t>Notes</t></si><si><t>United States of America</t></si>"
        "<si><r><t>German Democratic </t></r><r><t>Republic</t></r></si><si><t>Costa Rica</t></si>"
        "<si><t>...</t></si><si><t>Military expenditure by country</t></si><si><t>Europe</t></si></sst>";
    static const char styles[] =
        "<?xml version=\"1.0\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<fonts count=\"3\"><font><sz val=\"11\"/><color indexed=\"8\"/></font><font><color indexed=\"10\"/></font>"
        "<font><color rgb=\"FF0000FF\"/></font></fonts><cellStyleXfs count=\"1\"><xf fontId=\"1\"/></cellStyleXfs>"
        "<cellXfs count=\"3\"><xf fontId=\"0\"/><xf fontId=\"1\"/><xf fontId=\"2\"/></cellXfs></styleSheet>";
#define ROWHEAD "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>0</v></c><c r=\"B3\" t=\"s\"><v>1</v></c>" \
                "<c r=\"C3\"><v>2017.0</v></c><c r=\"D3\"><v>2018.0</v></c></row>"
    static const char sheet_const[] =
        "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>6</v></c></row>" ROWHEAD
        "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>7</v></c></row>"
        "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>2</v></c><c r=\"C5\"><v>700</v></c><c r=\"D5\" s=\"2\"><v>795.5</v></c></row>"
        "<row r=\"6\"><c r=\"A6\" t=\"s\"><v>3</v></c><c r=\"C6\" s=\"1\"><v>18.5</v></c><c r=\"D6\" t=\"s\"><v>5</v></c></row>"
        "<row r=\"7\"><c r=\"A7\" t=\"s\"><v>4</v></c><c r=\"C7\"><v>0</v></c><c r=\"D7\"><v>0</v></c></row>"
        "</sheetData></worksheet>";
    static const char sheet_cur[] =
        "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
        ROWHEAD
        "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>2</v></c><c r=\"B5\" t=\"inlineStr\"><is><t>44</t></is></c>"
        "<c r=\"C5\"><v>646.75</v></c><c r=\"D5\"><v>682.4914</v></c></row>"
        "<row r=\"6\"><c r=\"A6\" t=\"s\"><v>3</v></c><c r=\"C6\" s=\"2\"><v>0</v></c></row>"
        "<row r=\"7\"><c r=\"A7\" t=\"s\"><v>4</v></c><c r=\"C7\"><v>0</v></c><c r=\"D7\"><v>0</v></c></row>"
        "</sheetData></worksheet>";
    static const char front[] = "<?xml version=\"1.0\"?><worksheet><sheetData/></worksheet>";
    char *path = ol_test_path(dir, "SIPRI-Milex-test.xlsx");
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    assert_non_null(z);
    zadd(z, "xl/workbook.xml", wb, 1);
    zadd(z, "xl/_rels/workbook.xml.rels", rels, 0);
    zadd(z, "xl/sharedStrings.xml", sst, 1);
    zadd(z, "xl/styles.xml", styles, 0);
    zadd(z, "xl/worksheets/sheet1.xml", front, 0);
    zadd(z, "xl/worksheets/sheet2.xml", sheet_const, 1);
    zip_uint64_t cur = zadd(z, "xl/worksheets/sheet3.xml", sheet_cur, 0);
    if (fault == WB_ENCRYPTED) assert_int_equal(zip_file_set_encryption(z, cur, ZIP_EM_AES_256, "secret"), 0);
    assert_int_equal(zip_close(z), 0);
    if (fault == WB_DAMAGED) {
        /* a digit of a value in the stored sheet: well-formed XML, a failing CRC */
        size_t n = 0;
        char *bytes = ol_test_slurp(path, &n);
        char *hit = NULL;
        for (size_t i = 0; i + 8 < n && !hit; i++)
            if (memcmp(bytes + i, "682.4914", 8) == 0) hit = bytes + i;
        assert_non_null(hit);
        *hit = '7';
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        assert_int_equal(fwrite(bytes, 1, n, fp), n);
        fclose(fp);
        free(bytes);
    }
    return path;
}

static void test_sipri_workbook(void **state)
{
    fixture *f = *state;
    char *path = write_workbook(f->dir, WB_SOUND);
    ol_import_options opt;
    ol_import_options_init(&opt);
    opt.vintage = "2024-04";
    ol_import_summary sum;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_import_file(f->s, "sipri", path, &opt, &sum, NULL, &err), &err);
    /* constant: heading + 3 x 2 cells; current: 3 x 2 cells */
    assert_int_equal(sum.rows_read, 13);
    assert_int_equal(sum.rows_rejected, 0);
    ASSERT_NEAR(ol_test_value(f->s, "sipri.milex_current", "USA", 2018), 682.4914);
    ASSERT_NEAR(ol_test_value(f->s, "sipri.milex_constant", "USA", 2018), 795.5);
    /* blue = estimate, red = uncertain */
    assert_string_equal(TEXT(f->s, "SELECT flag FROM indicator_values WHERE series = 'sipri.milex_constant' "
                                   "AND country = 'USA' AND year = 2018"), "estimate");
    assert_string_equal(TEXT(f->s, "SELECT flag FROM indicator_values WHERE series = 'sipri.milex_constant' "
                                   "AND country = 'DDR' AND year = 2017"), "uncertain");
    assert_string_equal(TEXT(f->s, "SELECT flag FROM indicator_values WHERE series = 'sipri.milex_current' "
                                   "AND country = 'USA' AND year = 2018"), "fn:44");
    /* the GDR's current-dollar 0 is not confirmed by constant dollars: skipped;
     * Costa Rica's zeros are in both sheets: kept */
    assert_int_equal(ol_test_query_int(f->s, "SELECT count(*) FROM indicator_values WHERE series = "
                                             "'sipri.milex_current' AND country = 'DDR'"), 0);
    ASSERT_NEAR(ol_test_value(f->s, "sipri.milex_current", "CRI", 2018), 0.0);
    assert_string_equal(TEXT(f->s, "SELECT unit FROM series WHERE code = 'sipri.milex_constant'"),
                        "million constant 2022 US$");
    /* a damaged part fails cleanly and changes nothing */
    ol_test_snapshot before = ol_test_snap(f->s);
    char *bad = write_workbook(f->dir, WB_DAMAGED);
    opt.vintage = "other";
    ol_error_clear(&err);
    assert_int_equal(ol_import_file(f->s, "sipri", bad, &opt, &sum, NULL, &err), OL_EPARSE);
    assert_non_null(strstr(err.message, "CRC"));
    assert_string_equal(err.field, "xl/worksheets/sheet3.xml");
    ol_test_snapshot after = ol_test_snap(f->s);
    ol_test_snapshot_same(&before, &after);
    /* an encrypted sheet, read after the first sheet's values: refused, nothing kept */
    char *locked = write_workbook(f->dir, WB_ENCRYPTED);
    ol_error_clear(&err);
    assert_int_equal(ol_import_file(f->s, "sipri", locked, &opt, &sum, NULL, &err), OL_EUNSUPPORTED);
    assert_non_null(strstr(err.message, "encrypted"));
    after = ol_test_snap(f->s);
    ol_test_snapshot_same(&before, &after);
    free(locked);
    /* not a zip at all, though it says PK */
    char *fake = ol_test_write(f->dir, "fake.xlsx", "PK\x03\x04 nothing else");
    assert_int_equal(ol_import_file(f->s, "sipri", fake, &opt, &sum, NULL, &err), OL_EPARSE);
    free(fake);
    free(bad);
    free(path);
}

/* ------------------------------------------------------------ un-finance */

static const char CEB_DONORS[] =
    "year,donor,status,category,is_other,entity,type,amount_usd\n"
    "2018,United States of America,member,Government,0,UN,Assessed,591388114\n"
    "2018,China,member,Government,0,UN,Assessed,300000000.5\n"
    "2018,United States of America,member,Government,0,WHO,Voluntary un-earmarked,-5\n"
    "2018,European Union,organization,European Union,0,WHO,Voluntary earmarked,100\n"
    "2018,Other Other Contributors,organization,Other Contributors,1,UN,Assessed,-160\n";

static void test_un_finance(void **state)
{
    fixture *f = *state;
    ol_import_summary sum;
    ol_error err;
    OL_ASSERT_OK(ol_test_import_text(f, "un-finance", "donors.csv", CEB_DONORS, NULL, "t", 0, &sum, &err), &err);
    assert_int_equal(sum.rows_read, 5);
    assert_int_equal(sum.rows_kept, 3);
    assert_int_equal(sum.rows_skipped, 2);
    ASSERT_NEAR(pair_value(f->s, "ceb.donor.assessed", "USA", "UN", 2018), 591388114.0);
    ASSERT_NEAR(pair_value(f->s, "ceb.donor.voluntary_core", "USA", "WHO", 2018), -5.0);
    assert_string_equal(TEXT(f->s, "SELECT partner_kind FROM series WHERE code = 'ceb.donor.assessed'"), "organisation");
    assert_idempotent(f, "un-finance", "donors.csv", CEB_DONORS, NULL, "t");

    /* the CEB export: spaces between thousands, either spelling of a type,
     * the export's broken names */
    static const char GOV[] =
        "\xef\xbb\xbfgovernment_donor,entity,rev_type,calendar_year,amount\r\n"
        "United States of America,UN,Assessed Contributions,2024,762 401 234\r\n"
        "T\xef\xbf\xbdrkiye,UN,Assessed contributions,2024,24 000 000.5\r\n"
        "Refunds to donors/Miscellaneous,UN,Revenue from other activities,2024,-1 000\r\n";
    OL_ASSERT_OK(ol_test_import_text(f, "un-finance", "gov.csv", GOV, NULL, "t", 0, &sum, &err), &err);
    assert_int_equal(sum.rows_kept, 2);
    assert_int_equal(sum.rows_skipped, 1);
    ASSERT_NEAR(pair_value(f->s, "ceb.govdonor.assessed", "USA", "UN", 2024), 762401234.0);
    ASSERT_NEAR(pair_value(f->s, "ceb.govdonor.assessed", "TUR", "UN", 2024), 24000000.5);

    /* revenue by entity: parts added, " -   " zero, empty skipped */
    static const char ENT[] =
        "agency,sub_agency,calendar_year,amount,sub_type_name,rev_type,sub_type\n"
        "WHO,WHO,2023,100,Assessed contributions,Assessed contributions,R01\n"
        "WHO,IARC,2023,20.5,Assessed contributions,Assessed Contributions,R01\n"
        "WHO,WHO,2023, -   ,x,Revenue from other activities,R04\n"
        "WHO,WHO,2023,,x,Revenue from other activities,R04\n";
    OL_ASSERT_OK(ol_test_import_text(f, "un-finance", "entity.csv", ENT, NULL, "t", 0, &sum, &err), &err);
    assert_int_equal(sum.rows_kept, 3);
    assert_int_equal(sum.rows_skipped, 1);
    ASSERT_NEAR(pair_value(f->s, "ceb.revenue.assessed", "WLD", "WHO", 2023), 120.5);
    ASSERT_NEAR(pair_value(f->s, "ceb.revenue.other", "WLD", "WHO", 2023), 0.0);
}

static void test_un_finance_rejects(void **state)
{
    fixture *f = *state;
    static const char H[] = "year,donor,status,category,is_other,entity,type,amount_usd\n";
    char text[1024];
    snprintf(text, sizeof text, "%s2018,Nowhere Land,member,Government,0,UN,Assessed,1\n", H);
    expect_fault(f, "un-finance", "bad.csv", text, NULL, "t", OL_EVALIDATE, 2, 2, "donor", "unknown or ambiguous donor");
    snprintf(text, sizeof text, "%s2018,Japan,member,Government,0,UN,Gift,1\n", H);
    expect_fault(f, "un-finance", "bad.csv", text, NULL, "t", OL_EVALIDATE, 2, 7, "type", "unknown revenue type");
    snprintf(text, sizeof text, "%s2018,Japan,member,Government,0,UN,Assessed,12abc\n", H);
    expect_fault(f, "un-finance", "bad.csv", text, NULL, "t", OL_EVALIDATE, 2, 8, "amount_usd", "not an amount");
    snprintf(text, sizeof text, "%s18,Japan,member,Government,0,UN,Assessed,1\n", H);
    expect_fault(f, "un-finance", "bad.csv", text, NULL, "t", OL_EVALIDATE, 2, 1, "year", "not a year");
    snprintf(text, sizeof text, "%s2018,Japan,member,Government,0,UN,Assessed,1\n2018,Japan,member,Government,0,UN,"
                                "Assessed,2\n", H);
    expect_fault(f, "un-finance", "bad.csv", text, NULL, "t", OL_EVALIDATE, 3, 2, "donor", "duplicate");
    expect_fault(f, "un-finance", "bad.csv", "a,b\n1,2\n", NULL, "t", OL_EPARSE, 1, 0, NULL, "not a CEB layout");
}

/* ------------------------------------------------------------ who */

static void test_who(void **state)
{
    fixture *f = *state;
    ol_import_summary sum;
    ol_error err;
    static const char WHA15[] =
        "United States of America . .\t31.12\r\n"
        "China\t4.17\r\n"
        "Union of Soviet Socialist Republics.\t13.67\r\n"
        "Ruanda-Urundi\t0.02\r\n"
        "Diibouti \xe2\x80\xa2\t0.04";
    OL_ASSERT_OK(ol_test_import_text(f, "who", "WHA15.tsv", WHA15, NULL, "t", 0, &sum, &err), &err);
    assert_int_equal(sum.rows_read, 5);
    assert_int_equal(sum.rows_kept, 4);
    assert_int_equal(sum.rows_skipped, 1);
    ASSERT_NEAR(ol_test_value(f->s, "who.scale", "USA", 1963), 31.12);
    /* China's seat in 1963: the Republic of China */
    ASSERT_NEAR(ol_test_value(f->s, "who.scale", "TWN", 1963), 4.17);
    ASSERT_NEAR(ol_test_value(f->s, "who.scale", "SUN", 1963), 13.67);
    ASSERT_NEAR(ol_test_value(f->s, "who.scale", "DJI", 1963), 0.04);
    /* a two-year scale is stored in both years; an associate member flagged */
    static const char WHA34[] = "China.\t1.59\r\nPuerto Rico (Associate Member)\t0.01\r\nYemen\t0.01";
    OL_ASSERT_OK(ol_test_import_text(f, "who", "WHA34.tsv", WHA34, NULL, "t", 0, &sum, &err), &err);
    ASSERT_NEAR(ol_test_value(f->s, "who.scale", "CHN", 1982), 1.59);
    ASSERT_NEAR(ol_test_value(f->s, "who.scale", "CHN", 1983), 1.59);
    ASSERT_NEAR(ol_test_value(f->s, "who.scale", "YAR", 1983), 0.01);
    assert_string_equal(TEXT(f->s, "SELECT flag FROM indicator_values WHERE country = 'PRI' AND year = 1982"),
                        "associate");
    assert_idempotent(f, "who", "WHA34.tsv", WHA34, NULL, "t");
    /* --series names the resolution of a file named otherwise */
    OL_ASSERT_OK(ol_test_import_text(f, "who", "scale.tsv", "Japan\t8.03", "WHA75", "t", 0, &sum, &err), &err);
    ASSERT_NEAR(ol_test_value(f->s, "who.scale", "JPN", 2023), 8.03);
}

static void test_who_rejects(void **state)
{
    fixture *f = *state;
    expect_fault(f, "who", "WHA15.tsv", "Japan\t1\nNowhere\t2\n", NULL, "t", OL_EVALIDATE, 2, 1, "member",
                 "unknown or ambiguous member");
    expect_fault(f, "who", "WHA15.tsv", "Japan\t101\n", NULL, "t", OL_EVALIDATE, 1, 2, "percent", "not a percentage");
    expect_fault(f, "who", "WHA15.tsv", "Japan\t1\nJapan\t1\n", NULL, "t", OL_EVALIDATE, 2, 1, "member", "duplicate");
    expect_fault(f, "who", "WHA15.tsv", "Japan\t1\tx\n", NULL, "t", OL_EPARSE, 1, 3, NULL, "malformed line");
    expect_fault(f, "who", "WHA99.tsv", "Japan\t1\n", NULL, "t", OL_EINVAL, 0, 0, "resolution", "WHA15");
}

/* ------------------------------------------------------------ imf */

static void test_imf(void **state)
{
    fixture *f = *state;
    ol_import_summary sum;
    ol_error err;
    static const char VOTES[] =
        "country,vote_percentage\n"
        "United States3,16.51\n"
        "C\xc3\x83\xc2\xb4te d'Ivoire3,0.15\n"
        "\"Korea\",1.73\n";
    OL_ASSERT_OK(ol_test_import_text(f, "imf", "votes.csv", VOTES, NULL, "2020-12", 0, &sum, &err), &err);
    assert_int_equal(sum.rows_kept, 3);
    /* a snapshot: stored under its date's year and flagged */
    ASSERT_NEAR(ol_test_value(f->s, "imf.votes", "USA", 2020), 16.51);
    ASSERT_NEAR(ol_test_value(f->s, "imf.votes", "CIV", 2020), 0.15);
    ASSERT_NEAR(ol_test_value(f->s, "imf.votes", "KOR", 2020), 1.73);
    assert_string_equal(TEXT(f->s, "SELECT DISTINCT flag FROM indicator_values"), "snapshot");
    assert_idempotent(f, "imf", "votes.csv", VOTES, NULL, "2020-12");
    static const char QUOTAS[] =
        "country,actual_before,actual_review,cal_before,cal_review,cal_previous,cal_current\n"
        "China,3.994,6.39,6.39,7.917,12.581,12.855\n"
        "Nauru,0.00084,0.00059,n.a.,n.a.,0.00038,0.00051\n"
        ",,,,,,\n";
    OL_ASSERT_OK(ol_test_import_text(f, "imf", "quotas.csv", QUOTAS, NULL, "2018-08", 0, &sum, &err), &err);
    assert_int_equal(sum.rows_read, 18);
    assert_int_equal(sum.rows_kept, 10);
    assert_int_equal(sum.rows_skipped, 8);
    ASSERT_NEAR(ol_test_value(f->s, "imf.quota_calc_current", "CHN", 2018), 12.855);
}

static void test_imf_rejects(void **state)
{
    fixture *f = *state;
    /* no date: an error before anything is read */
    expect_fault(f, "imf", "votes.csv", "country,vote_percentage\nJapan,6\n", NULL, NULL, OL_EINVAL, 0, 0, "vintage",
                 "snapshot");
    expect_fault(f, "imf", "votes.csv", "country,vote_percentage\nJapan,6\n", NULL, "December", OL_EINVAL, 0, 0,
                 "vintage", "YYYY");
    expect_fault(f, "imf", "votes.csv", "country,vote_percentage\nJapan,6\n,0.17\n", NULL, "2020", OL_EVALIDATE, 3, 1,
                 "country", "unknown or ambiguous member name ''");
    expect_fault(f, "imf", "votes.csv", "country,vote_percentage\nJapan,106\n", NULL, "2020", OL_EVALIDATE, 2, 2,
                 "vote_percentage", "not a percentage");
}

/* ------------------------------------------------------------ helpers */

static void test_mojibake(void **state)
{
    (void)state;
    char a[] = "C\xc3\x83\xc2\xb4te d'Ivoire", b[] = "C\xc3\xb4te d'Ivoire", c[] = "plain", d[] = "\xc3\x83";
    assert_int_equal(ol_import_fix_mojibake(a), 1);
    assert_string_equal(a, "C\xc3\xb4te d'Ivoire");
    assert_int_equal(ol_import_fix_mojibake(b), 0); /* already right: "ô" is not a two-byte text of Latin-1 bytes */
    assert_string_equal(b, "C\xc3\xb4te d'Ivoire");
    assert_int_equal(ol_import_fix_mojibake(c), 0);
    assert_int_equal(ol_import_fix_mojibake(d), 0); /* "Ã" alone would become an invalid byte */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_maddison, setup, teardown),
        cmocka_unit_test_setup_teardown(test_maddison_rejects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_census, setup, teardown),
        cmocka_unit_test_setup_teardown(test_census_rejects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sipri_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sipri_rejects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sipri_workbook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_un_finance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_un_finance_rejects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_who, setup, teardown),
        cmocka_unit_test_setup_teardown(test_who_rejects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_imf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_imf_rejects, setup, teardown),
        cmocka_unit_test(test_mojibake),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
