/* The report (ol_report_build): the sections on a fresh store, those that
 * data unlock, the placeholders' messages, and the failures: no output
 * directory, one that cannot be written, a malformed data file (the store
 * left as it was). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const ol_report_section_result *section(const ol_report_build_summary *s, const char *id)
{
    for (size_t i = 0; i < s->nsections; i++)
        if (!strcmp(s->sections[i].id, id)) return &s->sections[i];
    fail_msg("no section %s", id);
    return NULL;
}

static int file_has(const char *path, const char *needle)
{
    char *buf = ol_test_slurp(path, NULL);
    if (!buf) return 0;
    int found = strstr(buf, needle) != NULL;
    free(buf);
    return found;
}

static void test_fresh_store(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    ol_store *s = ol_test_store(dir);
    char *out = ol_test_path(dir, "out/report");
    ol_report_build_options o;
    ol_report_build_options_init(&o);
    o.out_dir = out;
    ol_report_build_summary *sum = malloc(sizeof *sum);
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_report_build(s, &o, sum, &err), &err);
    /* every registered section, in order; the last one a placeholder */
    assert_int_equal(sum->nsections, 10);
    assert_string_equal(sum->sections[0].id, "fig4_1");
    assert_string_equal(sum->sections[9].id, "history");
    assert_int_equal(section(sum, "fig4_1")->available, 0);
    assert_non_null(strstr(section(sum, "fig4_1")->note, "`orderlab import wb"));
    assert_int_equal(section(sum, "fig4_2")->available, 0);
    assert_non_null(strstr(section(sum, "fig4_2")->note, "`orderlab ideal estimate`"));
    assert_int_equal(section(sum, "table1_1")->available, 1);
    assert_int_equal(section(sum, "timeline")->available, 1);
    assert_non_null(strstr(section(sum, "timeline")->note, "built-in GDP facts"));
    assert_int_equal(section(sum, "table3_2")->available, 1);
    assert_int_equal(section(sum, "sweep")->available, 0);
    /* the backtest runs on the built-in facts and the built-in catalog */
    assert_int_equal(section(sum, "backtest")->available, 1);
    assert_non_null(strstr(section(sum, "backtest")->note, "from 2008: "));
    assert_int_equal(section(sum, "history")->available, 0);
    assert_int_equal(sum->available, 6);
    assert_int_equal(sum->figures, 2);
    assert_int_equal(sum->nimported, 0);
    assert_true(file_has(sum->index_path, "<section id=\"backtest\">"));
    assert_true(file_has(sum->index_path, "the naive forecast"));
    assert_true(file_has(sum->index_path, "Without hindsight of the leaders"));
    char *conf = ol_test_path(out, "backtest/confusion.csv");
    assert_true(file_has(conf, "observed,stay,threaten,exit,renegotiate,out"));
    free(conf);
    assert_true(file_has(sum->index_path, "src=\"data:image/svg+xml;base64,"));
    /* the placeholders' commands become <code> */
    assert_true(file_has(sum->index_path, "<code>orderlab import wb ../shared/data/wb_gdp/gdp.csv</code>"));
    char *t = ol_test_path(out, "table4_1_strategy.csv");
    assert_true(file_has(t, "level,level_zh,institutions,threats,renegotiations,escalations,exits,rejoins,"
                            "mean_p_concede,spillover,consumption\n"));
    assert_true(file_has(t, "\nglobal-multilateral,全球大多边层面,\""));
    free(t);
    /* a second build over the first gives the same page */
    OL_ASSERT_OK(ol_report_build(s, &o, sum, &err), &err);
    assert_int_equal(sum->available, 6);
    free(sum);
    free(out);
    ol_store_close(s);
    ol_test_rmtree(dir);
    free(dir);
}

static const char gdp_csv[] = "Country Name,Country Code,Year,Value\n"
                              "United States,USA,2000,300\nUnited States,USA,2001,300\n"
                              "China,CHN,2000,100\nChina,CHN,2001,210\n"
                              "Japan,JPN,2000,150\nJapan,JPN,2001,150\n";

static void test_data_dir(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    ol_store *s = ol_test_store(dir);
    char *data = ol_test_path(dir, "data");
    char *wb = ol_test_path(data, "wb_gdp");
    assert_int_equal(mkdir(data, 0777), 0);
    assert_int_equal(mkdir(wb, 0777), 0);
    free(ol_test_write(wb, "gdp.csv", gdp_csv));
    char *out = ol_test_path(dir, "out");
    ol_report_build_options o;
    ol_report_build_options_init(&o);
    o.out_dir = out;
    o.data_dir = data;
    o.gdp_vintage = "fixture";
    ol_report_build_summary *sum = malloc(sizeof *sum);
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_report_build(s, &o, sum, &err), &err);
    assert_int_equal(sum->nimported, 1);
    assert_non_null(strstr(sum->imported[0], "import wb "));
    assert_int_equal(section(sum, "fig4_1")->available, 1);
    assert_string_equal(section(sum, "fig4_1")->note, "NY.GDP.MKTP.CD, vintage fixture");
    assert_true(file_has(sum->index_path, "<td>China (CHN)</td><td>2001</td><td>2001</td>"));
    char *fig = ol_test_path(out, "fig4_1_gdp.pdf");
    struct stat sb;
    assert_int_equal(stat(fig, &sb), 0);
    free(fig);
    /* the store has it now: nothing imported the second time */
    OL_ASSERT_OK(ol_report_build(s, &o, sum, &err), &err);
    assert_int_equal(sum->nimported, 0);
    free(sum);
    free(out);
    free(wb);
    free(data);
    ol_store_close(s);
    ol_test_rmtree(dir);
    free(dir);
}

static void test_failures(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    ol_store *s = ol_test_store(dir);
    ol_report_build_options o;
    ol_report_build_options_init(&o);
    ol_report_build_summary *sum = malloc(sizeof *sum);
    ol_error err;
    ol_error_clear(&err);
    assert_int_equal(ol_report_build(s, &o, sum, &err), OL_EINVAL);

    /* an output directory under a file */
    free(ol_test_write(dir, "file", "x"));
    char *out = ol_test_path(dir, "file/sub");
    o.out_dir = out;
    assert_int_equal(ol_report_build(s, &o, sum, &err), OL_EIO);
    free(out);

    /* a malformed GDP file: the error names it, the store has no GDP */
    char *data = ol_test_path(dir, "bad");
    char *wb = ol_test_path(data, "wb_gdp");
    assert_int_equal(mkdir(data, 0777), 0);
    assert_int_equal(mkdir(wb, 0777), 0);
    char *bad = ol_test_write(wb, "gdp.csv", "Country Name,Country Code,Year,Value\nUnited States,USA,20x1,300\n");
    out = ol_test_path(dir, "out");
    o.out_dir = out;
    o.data_dir = data;
    ol_status st = ol_report_build(s, &o, sum, &err);
    assert_true(st == OL_EPARSE || st == OL_EVALIDATE);
    assert_string_equal(err.file, bad);
    assert_int_equal(err.line, 2);
    assert_int_equal(ol_test_count(s, "indicator_values"), 0);
    free(bad);
    free(out);
    free(wb);
    free(data);
    free(sum);
    ol_store_close(s);
    ol_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh_store),
        cmocka_unit_test(test_data_dir),
        cmocka_unit_test(test_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
