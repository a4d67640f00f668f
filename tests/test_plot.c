/* The plot module: Figure 4.1 from fixture data as SVG, PNG and PDF (files
 * exist, are non-empty and start with the right magic bytes), formats by
 * name and extension, repeated figures (fresh PLplot stream each time), and
 * bad input failing with an error instead of a crash or exit. */
#include "testutil.h"

#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


static const int YEARS[] = {1960, 1970, 1980, 1990, 2000, 2010, 2020};
static const double US[] = {0.54, 1.07, 2.86, 5.96, 10.25, 15.05, 21.32};
static const double CN[] = {0.06, 0.09, 0.19, 0.36, 1.21, 6.09, 14.69};
static const double JP[] = {0.04, 0.22, 1.13, 3.18, 4.97, 5.76, 5.06};
/* with a gap: 1990 missing */
static const int GAP_YEARS[] = {1960, 1970, 1980, 2000, 2010, 2020};
static const double US_23[] = {0.36, 0.71, 1.91, 6.83, 10.03, 14.21};
static const double R_CN[] = {0.11, 0.086, 0.067, 0.118, 0.405, 0.689};
static const double R_JP[] = {0.087, 0.202, 0.395, 0.485, 0.383, 0.237};

typedef struct figure {
    ol_plot_series levels[4];
    ol_plot_series ratios[2];
    ol_plot_mark marks[1];
    ol_plot_gdp_data data;
} figure;

static void figure_init(figure *f)
{
    memset(f, 0, sizeof *f);
    f->levels[0] = (ol_plot_series){"United States", YEARS, US, 7, OL_PLOT_SOLID, 2};
    f->levels[1] = (ol_plot_series){"China", YEARS, CN, 7, OL_PLOT_SOLID, 3};
    f->levels[2] = (ol_plot_series){"Japan", YEARS, JP, 7, OL_PLOT_SOLID, 4};
    f->levels[3] = (ol_plot_series){"2/3 of United States", GAP_YEARS, US_23, 6, OL_PLOT_DASHED, 2};
    f->ratios[0] = (ol_plot_series){"China / United States", GAP_YEARS, R_CN, 6, OL_PLOT_SOLID, 3};
    f->ratios[1] = (ol_plot_series){"Japan / United States #1", GAP_YEARS, R_JP, 6, OL_PLOT_SOLID, 0};
    f->marks[0] = (ol_plot_mark){2020, 0.689, "China 2020", 3};
    ol_plot_gdp_data *d = &f->data;
    d->title = "Figure 4.1. GDP (current US$): test fixture, 1960-2020";
    d->x_label = "Year";
    d->top_label = "Trillions of current US$";
    d->levels = f->levels;
    d->nlevels = 4;
    d->bottom_label = "Ratio to United States";
    d->ratios = f->ratios;
    d->nratios = 2;
    d->threshold = 2.0 / 3.0;
    d->threshold_label = "Threshold 2/3";
    d->marks = f->marks;
    d->nmarks = 1;
    d->marks_label = "First year at or above 2/3";
    d->note = "Source: fixture data written by tests/test_plot.c";
}

/* The first bytes of a file, NUL-terminated, into buf. */
static size_t head(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
    return n;
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static void test_formats(void **state)
{
    (void)state;
    ol_plot_format fmt;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_plot_format_parse("SVG", &fmt, &err), &err);
    assert_int_equal(fmt, OL_PLOT_SVG);
    OL_ASSERT_OK(ol_plot_format_from_path("out/fig.PDF", &fmt, &err), &err);
    assert_int_equal(fmt, OL_PLOT_PDF);
    OL_ASSERT_OK(ol_plot_format_from_path("fig.png", &fmt, &err), &err);
    assert_int_equal(fmt, OL_PLOT_PNG);
    assert_int_equal(ol_plot_format_parse("gif", &fmt, &err), OL_EUNSUPPORTED);
    assert_int_equal(ol_plot_format_from_path("fig.jpeg", &fmt, &err), OL_EUNSUPPORTED);
    assert_int_equal(ol_plot_format_from_path("dir.v2/figure", &fmt, &err), OL_EUNSUPPORTED);
    assert_string_equal(ol_plot_format_ext(OL_PLOT_SVG), "svg");
    assert_string_equal(ol_plot_format_ext(OL_PLOT_PDF), "pdf");
    assert_null(ol_plot_format_ext(OL_PLOT_FORMAT_COUNT));
}

static void test_writes_three_formats(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    figure f;
    figure_init(&f);
    ol_error err;
    ol_error_clear(&err);
    /* Twice each: every figure has its own PLplot stream, so a second run
     * starts from a clean state and gives a file of the same kind. */
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < OL_PLOT_FORMAT_COUNT; i++) {
            char name[64];
            snprintf(name, sizeof name, "fig%d.%s", round, ol_plot_format_ext((ol_plot_format)i));
            char *path = ol_test_path(dir, name);
            OL_ASSERT_OK(ol_plot_gdp_figure(&f.data, path, (ol_plot_format)i, &err), &err);
            assert_true(file_size(path) > 1000);
            char buf[256];
            head(path, buf, sizeof buf);
            if (i == OL_PLOT_SVG) assert_true(strncmp(buf, "<?xml", 5) == 0 || strncmp(buf, "<svg", 4) == 0);
            if (i == OL_PLOT_SVG) assert_non_null(strstr(buf, "<svg"));
            if (i == OL_PLOT_PNG) assert_memory_equal(buf, "\x89PNG\r\n\x1a\n", 8);
            if (i == OL_PLOT_PDF) assert_memory_equal(buf, "%PDF", 4);
            free(path);
        }
    }
    /* The caller's current PLplot stream is current again afterwards. */
    PLINT before = -1, after = -2;
    plgstrm(&before);
    char *path = ol_test_path(dir, "again.svg");
    OL_ASSERT_OK(ol_plot_gdp_figure(&f.data, path, OL_PLOT_SVG, &err), &err);
    plgstrm(&after);
    assert_int_equal(before, after);
    free(path);
    ol_test_rmtree(dir);
    free(dir);
}

static void test_bad_input(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    char *path = ol_test_path(dir, "bad.png");
    figure f;
    ol_error err;
    ol_error_clear(&err);

    figure_init(&f);
    f.data.nlevels = 0;
    assert_int_equal(ol_plot_gdp_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_non_null(strstr(err.message, "no series"));
    figure_init(&f);
    f.data.ratios = NULL;
    assert_int_equal(ol_plot_gdp_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    figure_init(&f);
    f.levels[1].n = 0;
    assert_int_equal(ol_plot_gdp_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_non_null(strstr(err.message, "China"));
    figure_init(&f);
    const double with_nan[] = {1, 2, NAN, 4, 5, 6, 7};
    f.levels[0].values = with_nan;
    assert_int_equal(ol_plot_gdp_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    figure_init(&f);
    const int backwards[] = {1960, 1950, 1980, 1990, 2000, 2010, 2020};
    f.levels[0].years = backwards;
    assert_int_equal(ol_plot_gdp_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    figure_init(&f);
    f.levels[2].label = NULL;
    assert_int_equal(ol_plot_gdp_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    figure_init(&f);
    f.data.title = NULL;
    assert_int_equal(ol_plot_gdp_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    figure_init(&f);
    f.levels[0].color = 99;
    assert_int_equal(ol_plot_gdp_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_int_equal(ol_plot_gdp_figure(NULL, path, OL_PLOT_PNG, &err), OL_EINVAL);
    /* nothing was written by the refused calls */
    assert_int_equal(file_size(path), -1);

    figure_init(&f);
    assert_int_equal(ol_plot_gdp_figure(&f.data, path, OL_PLOT_FORMAT_COUNT, &err), OL_EUNSUPPORTED);
    assert_int_equal(ol_plot_gdp_figure(&f.data, path, (ol_plot_format)-1, &err), OL_EUNSUPPORTED);

    /* unwritable: a directory that does not exist, and a directory as file */
    char *nodir = ol_test_path(dir, "no/such/dir/fig.svg");
    assert_int_equal(ol_plot_gdp_figure(&f.data, nodir, OL_PLOT_SVG, &err), OL_EIO);
    assert_string_equal(err.file, nodir);
    assert_int_equal(ol_plot_gdp_figure(&f.data, dir, OL_PLOT_SVG, &err), OL_EIO);
    assert_int_equal(ol_plot_gdp_figure(&f.data, "", OL_PLOT_SVG, &err), OL_EINVAL);
    free(nodir);

    /* and a good figure still works after all that */
    OL_ASSERT_OK(ol_plot_gdp_figure(&f.data, path, OL_PLOT_PNG, &err), &err);
    assert_true(file_size(path) > 1000);
    free(path);
    ol_test_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_writes_three_formats),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
