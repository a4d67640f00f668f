/* The streaming CSV reader: quoting, embedded newlines and line numbers,
 * BOM and CRLF, UTF-8 validation, Latin-1 conversion, malformed input. */
#include "testutil.h"

#include "util/csvread.h"
#include "util/text.h"

#include <stdlib.h>
#include <string.h>

static ol_csv *open_text(const char *dir, const char *text, const char *enc, char **path)
{
    *path = ol_test_write(dir, "t.csv", text);
    ol_csv_options opt = {0, enc};
    ol_csv *r = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_csv_open(*path, &opt, &r, &err), &err);
    return r;
}

static void test_records_and_lines(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir(), *p;
    ol_csv *r = open_text(dir, "\xEF\xBB\xBF" "a,b,c\r\n1,\"x, y\",3\r\n\r\n4,\"multi\nline\",\"q\"\"uote\"\n7,,9", NULL, &p);
    ol_error err;
    assert_int_equal(ol_csv_next(r, &err), 1);
    assert_int_equal(ol_csv_nfields(r), 3);
    assert_string_equal(ol_csv_field(r, 0), "a"); /* the BOM is gone */
    assert_int_equal(ol_csv_line(r), 1);
    assert_int_equal(ol_csv_find(r, "c"), 2);
    assert_int_equal(ol_csv_find(r, "z"), -1);
    assert_int_equal(ol_csv_next(r, &err), 1);
    assert_string_equal(ol_csv_field(r, 1), "x, y");
    assert_int_equal(ol_csv_line(r), 2);
    assert_int_equal(ol_csv_next(r, &err), 1); /* the blank line is skipped */
    assert_int_equal(ol_csv_line(r), 4);
    assert_string_equal(ol_csv_field(r, 1), "multi\nline");
    assert_string_equal(ol_csv_field(r, 2), "q\"uote");
    assert_int_equal(ol_csv_field_len(r, 1), 10);
    assert_int_equal(ol_csv_next(r, &err), 1); /* last record has no newline */
    assert_int_equal(ol_csv_line(r), 6);
    assert_string_equal(ol_csv_field(r, 1), "");
    assert_string_equal(ol_csv_field(r, 9), ""); /* past the end */
    assert_int_equal(ol_csv_next(r, &err), 0);
    assert_int_equal(ol_csv_next(r, &err), 0);
    assert_true(ol_csv_bytes_read(r) == ol_csv_bytes_total(r));
    ol_csv_close(r);
    free(p);
    ol_test_rmtree(dir);
    free(dir);
}

static void test_require_names_missing_column(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir(), *p;
    ol_csv *r = open_text(dir, "Country Name,Year,Value\n", NULL, &p);
    ol_error err;
    assert_int_equal(ol_csv_next(r, &err), 1);
    static const char *const need[] = {"Country Name", "Country Code"};
    long idx[2];
    assert_int_equal(ol_csv_require(r, need, 2, idx, &err), OL_EPARSE);
    assert_string_equal(err.field, "Country Code");
    assert_int_equal(err.line, 1);
    assert_string_equal(err.file, p);
    assert_non_null(strstr(err.message, "found: Country Name, Year, Value"));
    ol_csv_close(r);
    free(p);
    ol_test_rmtree(dir);
    free(dir);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir(), *p;
    ol_csv *r = open_text(dir, "a,b\nok,fine\nx,Cura\xE7" "ao\n", NULL, &p);
    ol_error err;
    assert_int_equal(ol_csv_next(r, &err), 1);
    assert_int_equal(ol_csv_next(r, &err), 1);
    ol_error_clear(&err);
    assert_int_equal(ol_csv_next(r, &err), -1);
    assert_int_equal(err.code, OL_EPARSE);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 2);
    assert_non_null(strstr(err.message, "UTF-8"));
    ol_csv_close(r);
    free(p);
    ol_test_rmtree(dir);
    free(dir);
}

static void test_latin1_conversion(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir(), *p;
    ol_csv *r = open_text(dir, "name\nCura\xE7" "ao\nC\xF4te d'Ivoire\nT\xFCrkiye\n", "ISO-8859-1", &p);
    ol_error err;
    assert_int_equal(ol_csv_next(r, &err), 1);
    assert_int_equal(ol_csv_next(r, &err), 1);
    assert_string_equal(ol_csv_field(r, 0), "Curaçao");
    assert_int_equal(ol_csv_next(r, &err), 1);
    assert_string_equal(ol_csv_field(r, 0), "Côte d'Ivoire");
    assert_int_equal(ol_csv_next(r, &err), 1);
    assert_string_equal(ol_csv_field(r, 0), "Türkiye");
    ol_csv_close(r);
    free(p);
    ol_csv_options bad = {0, "NO-SUCH-ENCODING"};
    p = ol_test_write(dir, "u.csv", "a\n");
    assert_int_equal(ol_csv_open(p, &bad, &r, &err), OL_EUNSUPPORTED);
    free(p);
    ol_test_rmtree(dir);
    free(dir);
}

static void test_malformed(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir(), *p;
    ol_error err;
    /* a quote inside an unquoted field */
    ol_csv *r = open_text(dir, "a,b\n1,x\"y\n", NULL, &p);
    assert_int_equal(ol_csv_next(r, &err), 1);
    ol_error_clear(&err);
    assert_int_equal(ol_csv_next(r, &err), -1);
    assert_int_equal(err.code, OL_EPARSE);
    assert_int_equal(err.line, 2);
    ol_csv_close(r);
    free(p);
    /* an unterminated quoted field at the end of the file */
    r = open_text(dir, "a,b\n1,\"open\n", NULL, &p);
    assert_int_equal(ol_csv_next(r, &err), 1);
    ol_error_clear(&err);
    assert_int_equal(ol_csv_next(r, &err), -1);
    assert_int_equal(err.code, OL_EPARSE);
    ol_csv_close(r);
    free(p);
    /* missing file, directory */
    assert_int_equal(ol_csv_open("/nonexistent/x.csv", NULL, &r, &err), OL_EIO);
    assert_int_equal(ol_csv_open(dir, NULL, &r, &err), OL_EIO);
    ol_test_rmtree(dir);
    free(dir);
}

static void test_text_parsers(void **state)
{
    (void)state;
    int64_t i;
    double d;
    assert_true(ol_parse_int64(" 42 ", &i) && i == 42);
    assert_false(ol_parse_int64("42x", &i));
    assert_false(ol_parse_int64("", &i));
    assert_false(ol_parse_int64("99999999999999999999", &i));
    assert_true(ol_parse_double("1.5e3", &d) && d == 1500.0);
    assert_true(ol_parse_double("-0.25", &d) && d == -0.25);
    assert_false(ol_parse_double("NA", &d));
    assert_false(ol_parse_double("nan", &d));
    assert_false(ol_parse_double("inf", &d));
    assert_false(ol_parse_double("0x10", &d));
    assert_false(ol_parse_double("1e999", &d));
    assert_false(ol_parse_double("1,5", &d));
    assert_true(ol_iso_date_valid("2018-10-17"));
    assert_true(ol_iso_date_valid("2020-02-29"));
    assert_false(ol_iso_date_valid("2019-02-29"));
    assert_true(ol_iso_date_valid("2017-12"));
    assert_true(ol_iso_date_valid("1984"));
    assert_false(ol_iso_date_valid("2017-13"));
    assert_false(ol_iso_date_valid("17-12-01"));
    assert_int_equal(ol_iso_date_year("2018-10-17"), 2018);
    assert_int_equal(ol_iso_date_year("1984"), 1984);
    assert_int_equal(ol_iso_date_year("198"), 0);
    assert_int_equal(ol_iso_date_year("19x4-01"), 0);
    assert_int_equal(ol_iso_date_year(NULL), 0);
    size_t off;
    assert_true(ol_utf8_valid("中国", strlen("中国"), &off));
    assert_false(ol_utf8_valid("\xC0\xAF", 2, &off)); /* overlong */
    assert_false(ol_utf8_valid("ab\xED\xA0\x80", 5, &off)); /* surrogate */
    assert_int_equal(off, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_and_lines),
        cmocka_unit_test(test_require_names_missing_column),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_latin1_conversion),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_text_parsers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
