/* The plot module: Figure 4.1 from fixture data as SVG, PNG and PDF (files
 * exist, are non-empty and start with the right magic bytes), formats by
 * name and extension, repeated figures (fresh PLplot stream each time), and
 * bad input failing with an error instead of a crash or exit.  Then the
 * lines figure, the sensitivity bars and the heat map (each a whole file of
 * each format), and the data of Figure 4.2 (ideal_figure.h) from fixture
 * ideal points in a store. */
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

/* ------------------------------------------------------------ lines with bands */

static const int L_YEARS[] = {1946, 1947, 1948, 1950, 1951};
static const double L_US[] = {1.7, 2.0, 1.9, 1.6, 1.8};
static const double L_LO[] = {1.5, 1.8, 1.7, 1.4, 1.6};
static const double L_HI[] = {1.9, 2.2, 2.1, 1.8, 2.0};
static const double L_RU[] = {-2.1, -2.6, -2.9, -3.0, -2.8};

typedef struct lines_fig {
    ol_plot_series series[2];
    ol_plot_ribbon ribbons[2];
    ol_plot_lines_data data;
} lines_fig;

static void lines_init(lines_fig *f)
{
    memset(f, 0, sizeof *f);
    f->series[0] = (ol_plot_series){"United States", L_YEARS, L_US, 5, OL_PLOT_SOLID, 0};
    f->series[1] = (ol_plot_series){"Russia / Soviet Union", L_YEARS, L_RU, 5, OL_PLOT_SOLID, 0};
    f->ribbons[0] = (ol_plot_ribbon){L_YEARS, L_LO, L_HI, 5};
    f->data = (ol_plot_lines_data){.title = "Figure 4.2. fixture", .x_label = "Year", .y_label = "ideal point",
                                   .series = f->series, .nseries = 2, .ribbons = f->ribbons,
                                   .ribbons_label = "\u00B1 1.96 se", .hline_on = 1, .hline = 0.0,
                                   .note = "line one\nline two #1"};
}

static void test_lines_figure(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    lines_fig f;
    lines_init(&f);
    ol_error err;
    ol_error_clear(&err);
    for (int i = 0; i < OL_PLOT_FORMAT_COUNT; i++) {
        char name[64];
        snprintf(name, sizeof name, "lines.%s", ol_plot_format_ext((ol_plot_format)i));
        char *path = ol_test_path(dir, name);
        OL_ASSERT_OK(ol_plot_lines_figure(&f.data, path, (ol_plot_format)i, &err), &err);
        assert_true(file_size(path) > 1000);
        char buf[256];
        head(path, buf, sizeof buf);
        if (i == OL_PLOT_SVG) assert_non_null(strstr(buf, "<svg"));
        if (i == OL_PLOT_PNG) assert_memory_equal(buf, "\x89PNG\r\n\x1a\n", 8);
        if (i == OL_PLOT_PDF) assert_memory_equal(buf, "%PDF", 4);
        free(path);
    }
    /* without bands, a reference line or a note; with slots and a year range */
    char *path = ol_test_path(dir, "plain.png");
    const int slots[] = {7, 0};
    f.data.ribbons = NULL;
    f.data.hline_on = 0;
    f.data.note = NULL;
    f.data.slots = slots;
    f.data.year_min = 1947;
    f.data.year_max = 1950;
    OL_ASSERT_OK(ol_plot_lines_figure(&f.data, path, OL_PLOT_PNG, &err), &err);
    assert_true(file_size(path) > 1000);
    remove(path);

    /* bad input: nothing written, no crash */
    lines_init(&f);
    f.data.nseries = 0;
    assert_int_equal(ol_plot_lines_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    lines_init(&f);
    f.data.nseries = OL_PLOT_LINES_MAX + 1;
    ol_plot_series many[OL_PLOT_LINES_MAX + 1];
    for (size_t i = 0; i < OL_PLOT_LINES_MAX + 1; i++) many[i] = f.series[0];
    f.data.series = many;
    f.data.ribbons = NULL;
    assert_int_equal(ol_plot_lines_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_non_null(strstr(err.message, "at most"));
    lines_init(&f);
    const double upside[] = {2.0, 2.2, 2.1, 1.8, 2.0};
    f.ribbons[0].lo = upside;
    f.ribbons[0].hi = L_LO;
    assert_int_equal(ol_plot_lines_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_non_null(strstr(err.message, "United States"));
    lines_init(&f);
    const double nan_lo[] = {1.5, NAN, 1.7, 1.4, 1.6};
    f.ribbons[0].lo = nan_lo;
    assert_int_equal(ol_plot_lines_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    lines_init(&f);
    const int bad_slots[] = {0, -1};
    f.data.slots = bad_slots;
    assert_int_equal(ol_plot_lines_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    lines_init(&f);
    f.data.hline = NAN;
    assert_int_equal(ol_plot_lines_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    lines_init(&f);
    f.data.y_label = NULL;
    assert_int_equal(ol_plot_lines_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_int_equal(ol_plot_lines_figure(NULL, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_int_equal(file_size(path), -1);
    lines_init(&f);
    assert_int_equal(ol_plot_lines_figure(&f.data, path, OL_PLOT_FORMAT_COUNT, &err), OL_EUNSUPPORTED);
    char *nodir = ol_test_path(dir, "no/such/dir/lines.svg");
    assert_int_equal(ol_plot_lines_figure(&f.data, nodir, OL_PLOT_SVG, &err), OL_EIO);
    free(nodir);
    free(path);
    ol_test_rmtree(dir);
    free(dir);
}

/* ------------------------------------------------------------ sensitivity bars and heat map */

/* The last bytes of a file, NUL-terminated, into buf. */
static void tail_bytes(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, -(long)(size - 1), SEEK_END), 0);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* A whole file of the format: its magic bytes, its end (the SVG closed, the
 * PNG's IEND chunk, the PDF's %%EOF) and, for PNG, the page's size. */
static void assert_well_formed(const char *path, ol_plot_format fmt)
{
    assert_true(file_size(path) > 1000);
    char buf[256], end[64];
    head(path, buf, sizeof buf);
    tail_bytes(path, end, sizeof end);
    if (fmt == OL_PLOT_SVG) {
        assert_non_null(strstr(buf, "<svg"));
        assert_non_null(strstr(end, "</svg>"));
    }
    if (fmt == OL_PLOT_PNG) {
        assert_memory_equal(buf, "\x89PNG\r\n\x1a\n", 8);
        const unsigned char *u = (const unsigned char *)buf;
        unsigned w = (unsigned)u[16] << 24 | (unsigned)u[17] << 16 | (unsigned)u[18] << 8 | u[19];
        unsigned h = (unsigned)u[20] << 24 | (unsigned)u[21] << 16 | (unsigned)u[22] << 8 | u[23];
        assert_int_equal(w, 1200);
        assert_int_equal(h, 900);
        assert_memory_equal(end + sizeof end - 1 - 8, "IEND\xae\x42\x60\x82", 8);
    }
    if (fmt == OL_PLOT_PDF) {
        assert_memory_equal(buf, "%PDF", 4);
        assert_non_null(strstr(end, "%%EOF"));
    }
}

static const char *const SENS_NAMES[] = {"threshold.tau", "leaders[transactional].temperament",
                                         "actors[role=ally].dependence", "weights #systemic"};
static const ol_sobol_index SENS_IX[] = {
    {0.3139, 0.29, 0.34, 0.5576, 0.53, 0.59},
    {0.4424, 0.41, 0.47, 0.4424, 0.43, 0.46},
    {0.0004, -0.027, 0.023, 0.2437, 0.233, 0.255},
    {0.05, 0.05, 0.05, 0.08, 0.06, 0.10}, /* S1 without an interval */
};

static ol_plot_sensitivity_data sens_data(void)
{
    return (ol_plot_sensitivity_data){"Sensitivity of the first exit year", "Sobol index", 4, SENS_NAMES, SENS_IX,
                                      "95 % bootstrap interval", "Design: saltelli, N = 8192.\nSource: fixture"};
}

static void test_sensitivity_figure(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    ol_plot_sensitivity_data d = sens_data();
    ol_error err;
    ol_error_clear(&err);
    for (int i = 0; i < OL_PLOT_FORMAT_COUNT; i++) {
        char name[64];
        snprintf(name, sizeof name, "sens.%s", ol_plot_format_ext((ol_plot_format)i));
        char *path = ol_test_path(dir, name);
        OL_ASSERT_OK(ol_plot_sensitivity_figure(&d, path, (ol_plot_format)i, &err), &err);
        assert_well_formed(path, (ol_plot_format)i);
        free(path);
    }
    /* one parameter, short names, no interval legend, no note */
    char *path = ol_test_path(dir, "one.png");
    d.nparams = 1;
    d.interval_label = NULL;
    d.note = NULL;
    OL_ASSERT_OK(ol_plot_sensitivity_figure(&d, path, OL_PLOT_PNG, &err), &err);
    assert_well_formed(path, OL_PLOT_PNG);
    remove(path);

    /* bad input: an error naming the parameter, nothing written */
    d = sens_data();
    d.nparams = 0;
    assert_int_equal(ol_plot_sensitivity_figure(&d, path, OL_PLOT_PNG, &err), OL_EINVAL);
    d.nparams = OL_PLOT_BARS_MAX + 1;
    assert_int_equal(ol_plot_sensitivity_figure(&d, path, OL_PLOT_PNG, &err), OL_EINVAL);
    d = sens_data();
    ol_sobol_index bad[4];
    memcpy(bad, SENS_IX, sizeof bad);
    bad[1].ST_hi = NAN;
    d.indices = bad;
    assert_int_equal(ol_plot_sensitivity_figure(&d, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_non_null(strstr(err.message, "leaders[transactional].temperament"));
    memcpy(bad, SENS_IX, sizeof bad);
    bad[2].S1_lo = 0.5; /* above S1_hi */
    assert_int_equal(ol_plot_sensitivity_figure(&d, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_non_null(strstr(err.message, "upside down"));
    d = sens_data();
    const char *names[4] = {"a", NULL, "c", "d"};
    d.names = names;
    assert_int_equal(ol_plot_sensitivity_figure(&d, path, OL_PLOT_PNG, &err), OL_EINVAL);
    d = sens_data();
    d.title = NULL;
    assert_int_equal(ol_plot_sensitivity_figure(&d, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_int_equal(ol_plot_sensitivity_figure(NULL, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_int_equal(file_size(path), -1);
    d = sens_data();
    assert_int_equal(ol_plot_sensitivity_figure(&d, path, OL_PLOT_FORMAT_COUNT, &err), OL_EUNSUPPORTED);
    char *nodir = ol_test_path(dir, "no/such/dir/sens.svg");
    assert_int_equal(ol_plot_sensitivity_figure(&d, nodir, OL_PLOT_SVG, &err), OL_EIO);
    free(nodir);
    free(path);
    ol_test_rmtree(dir);
    free(dir);
}

enum { HX = 7, HY = 4 };
static const double HEAT_X_EDGES[HX + 1] = {0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85};
static const double HEAT_Y_LEVELS[HY] = {1, 1.5, 2, 3};

typedef struct heat_fig {
    double values[HX * HY];
    uint64_t counts[HX * HY];
    ol_plot_heatmap_data data;
} heat_fig;

static void heat_init(heat_fig *f)
{
    memset(f, 0, sizeof *f);
    for (int r = 0; r < HY; r++)
        for (int c = 0; c < HX; c++) {
            f->values[r * HX + c] = 1.0 / (1.0 + exp(-((HEAT_X_EDGES[c] - 0.66) * 30 + (HEAT_Y_LEVELS[r] - 2))));
            f->counts[r * HX + c] = (uint64_t)(40 + 13 * r + 7 * c);
        }
    f->counts[0] = 0;              /* no runs: "no data" whatever its value */
    f->values[HX * HY - 1] = NAN;  /* no data */
    f->values[1] = 0.0;            /* the ends of the scale */
    f->values[2] = 1.0;
    f->data = (ol_plot_heatmap_data){"Probability of an exit wave", "Threshold tau", "Temperament", HX, HY,
                                     HEAT_X_EDGES, NULL, NULL, HEAT_Y_LEVELS, f->values, f->counts,
                                     "P(exit wave)", "n = runs in the cell.\nSource: fixture"};
}

static void test_heatmap_figure(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    heat_fig f;
    heat_init(&f);
    ol_error err;
    ol_error_clear(&err);
    for (int i = 0; i < OL_PLOT_FORMAT_COUNT; i++) {
        char name[64];
        snprintf(name, sizeof name, "heat.%s", ol_plot_format_ext((ol_plot_format)i));
        char *path = ol_test_path(dir, name);
        OL_ASSERT_OK(ol_plot_heatmap_figure(&f.data, path, (ol_plot_format)i, &err), &err);
        assert_well_formed(path, (ol_plot_format)i);
        free(path);
    }
    /* levels across, edges up, no counts, no note; a large map (labels thinned) */
    char *path = ol_test_path(dir, "other.png");
    const double xl[HX] = {1, 2, 3, 4, 5, 6, 7}, ye[HY + 1] = {0, 0.1, 0.5, 0.6, 2};
    f.data.x_edges = NULL;
    f.data.x_levels = xl;
    f.data.y_levels = NULL;
    f.data.y_edges = ye;
    f.data.counts = NULL;
    f.data.note = NULL;
    OL_ASSERT_OK(ol_plot_heatmap_figure(&f.data, path, OL_PLOT_PNG, &err), &err);
    assert_well_formed(path, OL_PLOT_PNG);
    remove(path);
    enum { BIG = OL_PLOT_HEAT_MAX };
    double *big = malloc(BIG * BIG * sizeof *big), lv[BIG];
    assert_non_null(big);
    for (int k = 0; k < BIG; k++) lv[k] = 0.001 * k;
    for (int k = 0; k < BIG * BIG; k++) big[k] = (double)k / (BIG * BIG);
    ol_plot_heatmap_data b = {"Big", "x", "y", BIG, BIG, NULL, lv, NULL, lv, big, NULL, "share", NULL};
    OL_ASSERT_OK(ol_plot_heatmap_figure(&b, path, OL_PLOT_PNG, &err), &err);
    assert_well_formed(path, OL_PLOT_PNG);
    remove(path);
    free(big);

    /* bad input */
    heat_init(&f);
    f.values[9] = 1.5;
    assert_int_equal(ol_plot_heatmap_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_non_null(strstr(err.message, "cell (x 2, y 1): 1.5 is not in [0, 1]"));
    heat_init(&f);
    f.values[9] = -0.1;
    assert_int_equal(ol_plot_heatmap_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    heat_init(&f);
    f.counts[9] = 0;
    f.values[9] = 7.0; /* no runs: the value is not drawn, not checked */
    OL_ASSERT_OK(ol_plot_heatmap_figure(&f.data, path, OL_PLOT_PNG, &err), &err);
    remove(path);
    heat_init(&f);
    f.data.x_levels = HEAT_Y_LEVELS; /* both edges and levels */
    assert_int_equal(ol_plot_heatmap_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_string_equal(err.field, "x");
    heat_init(&f);
    f.data.y_levels = NULL; /* neither */
    assert_int_equal(ol_plot_heatmap_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_string_equal(err.field, "y");
    heat_init(&f);
    const double unsorted[HX + 1] = {0.5, 0.55, 0.6, 0.6, 0.7, 0.75, 0.8, 0.85};
    f.data.x_edges = unsorted;
    assert_int_equal(ol_plot_heatmap_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_non_null(strstr(err.message, "strictly increase"));
    heat_init(&f);
    const double inf_levels[HY] = {1, 2, INFINITY, 4};
    f.data.y_levels = inf_levels;
    assert_int_equal(ol_plot_heatmap_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    heat_init(&f);
    f.data.nx = 0;
    assert_int_equal(ol_plot_heatmap_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    heat_init(&f);
    f.data.ny = OL_PLOT_HEAT_MAX + 1;
    assert_int_equal(ol_plot_heatmap_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    heat_init(&f);
    f.data.values = NULL;
    assert_int_equal(ol_plot_heatmap_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    heat_init(&f);
    f.data.scale_label = NULL;
    assert_int_equal(ol_plot_heatmap_figure(&f.data, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_int_equal(ol_plot_heatmap_figure(NULL, path, OL_PLOT_PNG, &err), OL_EINVAL);
    assert_int_equal(file_size(path), -1);
    heat_init(&f);
    assert_int_equal(ol_plot_heatmap_figure(&f.data, path, OL_PLOT_FORMAT_COUNT, &err), OL_EUNSUPPORTED);
    char *nodir = ol_test_path(dir, "no/such/dir/heat.pdf");
    assert_int_equal(ol_plot_heatmap_figure(&f.data, nodir, OL_PLOT_PDF, &err), OL_EIO);
    free(nodir);
    free(path);
    ol_test_rmtree(dir);
    free(dir);
}

/* ------------------------------------------------------------ Figure 4.2's data */

/* Fixture ideal points of run `run`: USA and RUS in sessions 1-3 and 5,
 * CHN in 26-27; session 6 of USA dated 1952 in the store (as orderlab's fits
 * date a session that ran into the next year), drawn in 1951, the year it
 * opens; se only for USA. */
static void store_points(ol_store *s, const char *estimate, double sign)
{
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_store_exec(s, "INSERT INTO runs(kind, status) VALUES ('ideal', 'ok')", &err), &err);
    static const struct { const char *c; int session, year; double v, se; } P[] = {
        {"USA", 1, 1946, 1.7, 0.1}, {"USA", 2, 1947, 2.0, 0.2}, {"USA", 6, 1952, 1.5, 0.1},
        {"USA", 3, 1948, 1.9, 0.1}, {"USA", 5, 1950, 1.6, 0.1},
        {"RUS", 1, 1946, -2.1, -1}, {"RUS", 2, 1947, -2.6, -1}, {"RUS", 3, 1948, -2.9, -1},
        {"RUS", 5, 1950, -3.0, -1},
        {"CHN", 26, 1971, -1.0, -1}, {"CHN", 27, 1972, -0.7, -1},
    };
    char sql[512], se[32];
    for (size_t i = 0; i < sizeof P / sizeof P[0]; i++) {
        if (P[i].se < 0) snprintf(se, sizeof se, "NULL");
        else snprintf(se, sizeof se, "%g", P[i].se);
        snprintf(sql, sizeof sql,
                 "INSERT INTO ideal_points(estimate, country, period_kind, period, year, value, se, nvotes, run_id) "
                 "VALUES ('%s', '%s', 'session', %d, %d, %g, %s, 40, (SELECT max(id) FROM runs))",
                 estimate, P[i].c, P[i].session, P[i].year, sign * P[i].v, se);
        OL_ASSERT_OK(ol_store_exec(s, sql, &err), &err);
    }
}

static void test_ideal_figure_data(void **state)
{
    ol_test_fixture *f = *state;
    store_points(f->s, "orderlab-dynamic", 1.0);
    ol_ideal_figure_options o;
    ol_ideal_figure_options_init(&o);
    ol_ideal_figure *fig = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_ideal_figure_new(f->s, &o, &fig, &err), &err);
    size_t n = 0;
    const ol_ideal_figure_row *rows = ol_ideal_figure_rows(fig, &n);
    /* USA 5, RUS 4, CHN 2, in the default order */
    assert_int_equal(n, 11);
    assert_string_equal(rows[0].country, "USA");
    assert_int_equal(rows[0].year, 1946);
    assert_float_equal(rows[0].value, 1.7, 1e-12);
    assert_float_equal(rows[0].se, 0.1, 1e-12);
    assert_int_equal(rows[1].period, 2);
    assert_float_equal(rows[1].value, 2.0, 1e-12);
    assert_int_equal(rows[3].year, 1950);
    assert_int_equal(rows[4].period, 6);
    assert_int_equal(rows[4].year, 1951); /* session + 1945, not the stored 1952 */
    assert_string_equal(rows[5].country, "RUS");
    assert_true(isnan(rows[5].se));
    assert_string_equal(rows[9].country, "CHN");
    assert_int_equal(rows[9].year, 1971);
    assert_int_equal(rows[10].period, 27);
    /* the seven others of the default ten are missing, in order */
    assert_int_equal(ol_ideal_figure_nmissing(fig), 7);
    assert_string_equal(ol_ideal_figure_missing(fig, 0), "IND");
    assert_string_equal(ol_ideal_figure_missing(fig, 6), "JPN");
    assert_null(ol_ideal_figure_missing(fig, 7));
    assert_int_equal(ol_ideal_figure_nwarnings(fig), 0);

    const ol_plot_lines_data *d = ol_ideal_figure_plot(fig);
    assert_int_equal(d->nseries, 3);
    assert_string_equal(d->series[0].label, "United States");
    /* the Soviet Union's seat is RUS's: both names */
    assert_string_equal(d->series[1].label, "Russia / Soviet Union");
    assert_string_equal(d->series[2].label, "China");
    assert_int_equal(d->series[1].n, 4);
    assert_int_equal(d->series[1].years[3], 1950);
    assert_float_equal(d->series[2].values[1], -0.7, 1e-12);
    assert_int_equal(d->slots[2], 2); /* China's colour is that of its place in the ten */
    assert_null(d->ribbons);           /* no band unless asked */
    assert_true(d->hline_on);
    assert_non_null(strstr(d->title, "Figure 4.2"));
    assert_non_null(strstr(d->title, "1946-1972"));
    assert_string_equal(d->y_label, "UNGA ideal point (USA positive)");
    assert_non_null(strstr(d->note, "orderlab-dynamic (estimated here, run 1"));
    assert_non_null(strstr(d->note, "No point in 1949, 1952, "));
    assert_int_equal(d->series[0].n, 5);

    /* drawn, and its data file */
    char *svg = ol_test_path(f->dir, "fig.svg");
    OL_ASSERT_OK(ol_plot_lines_figure(d, svg, OL_PLOT_SVG, &err), &err);
    char buf[256];
    head(svg, buf, sizeof buf);
    assert_non_null(strstr(buf, "<svg"));
    char *csv = ol_test_path(f->dir, "fig.csv");
    OL_ASSERT_OK(ol_ideal_figure_write_csv(fig, csv, &err), &err);
    ol_test_table *t = ol_test_table_file(csv, ',');
    assert_int_equal(t->nrows, 11);
    assert_string_equal(ol_test_table_get(t, 0, "estimate"), "orderlab-dynamic");
    assert_string_equal(ol_test_table_get(t, 0, "name"), "United States");
    assert_string_equal(ol_test_table_get(t, 0, "period_kind"), "session");
    assert_string_equal(ol_test_table_get(t, 0, "se"), "0.1");
    assert_string_equal(ol_test_table_get(t, 4, "year"), "1951");
    assert_string_equal(ol_test_table_get(t, 5, "se"), "");
    assert_string_equal(ol_test_table_get(t, 10, "value"), "-0.7");
    ol_test_table_free(t);
    char *nodir = ol_test_path(f->dir, "no/such/fig.csv");
    assert_int_equal(ol_ideal_figure_write_csv(fig, nodir, &err), OL_EIO);
    free(nodir);
    free(csv);
    free(svg);
    ol_ideal_figure_free(fig);

    /* chosen countries (codes or names), years and the band */
    const char *some[] = {"China", "USA", "JPN"};
    o.countries = some;
    o.ncountries = 3;
    o.from_year = 1947;
    o.to_year = 1971;
    o.se_band = 1;
    OL_ASSERT_OK(ol_ideal_figure_new(f->s, &o, &fig, &err), &err);
    d = ol_ideal_figure_plot(fig);
    assert_int_equal(d->nseries, 2);
    assert_string_equal(d->series[0].label, "China");
    assert_int_equal(d->series[0].n, 1);
    assert_int_equal(d->series[1].n, 4);
    assert_int_equal(d->slots[1], 1);
    assert_null(strstr(d->title, "Figure 4.2"));
    assert_non_null(d->ribbons);
    assert_int_equal(d->ribbons[0].n, 0);   /* China has no se */
    assert_int_equal(d->ribbons[1].n, 4);
    assert_float_equal(d->ribbons[1].lo[0], 2.0 - 1.96 * 0.2, 1e-12);
    assert_float_equal(d->ribbons[1].hi[2], 1.6 + 1.96 * 0.1, 1e-12);
    assert_int_equal(d->ribbons[1].years[2], 1950);
    assert_int_equal(d->ribbons[1].years[3], 1951);
    assert_int_equal(d->year_min, 1947);
    assert_int_equal(ol_ideal_figure_nmissing(fig), 1);
    assert_string_equal(ol_ideal_figure_missing(fig, 0), "JPN");
    char *png = ol_test_path(f->dir, "band.png");
    OL_ASSERT_OK(ol_plot_lines_figure(d, png, OL_PLOT_PNG, &err), &err);
    free(png);
    ol_ideal_figure_free(fig);

    /* a band asked for where there is no se: a warning */
    const char *ru[] = {"RUS"};
    o.countries = ru;
    o.ncountries = 1;
    OL_ASSERT_OK(ol_ideal_figure_new(f->s, &o, &fig, &err), &err);
    assert_int_equal(ol_ideal_figure_nwarnings(fig), 1);
    assert_non_null(strstr(ol_ideal_figure_warning(fig, 0), "no standard errors"));
    assert_null(ol_ideal_figure_plot(fig)->ribbons);
    ol_ideal_figure_free(fig);
}

static void test_ideal_figure_errors(void **state)
{
    ol_test_fixture *f = *state;
    ol_ideal_figure_options o;
    ol_ideal_figure_options_init(&o);
    ol_ideal_figure *fig = NULL;
    ol_error err;
    ol_error_clear(&err);
    /* nothing stored: the estimate is not there */
    assert_int_equal(ol_ideal_figure_new(f->s, &o, &fig, &err), OL_ENOTFOUND);
    assert_null(fig);
    assert_string_equal(err.field, "estimate");
    assert_non_null(strstr(err.message, "orderlab-dynamic"));

    store_points(f->s, "bsv-all", -1.0);
    o.estimate = "bsv-all";
    /* no point of any country asked in range */
    const char *late[] = {"USA", "CHN"};
    o.countries = late;
    o.ncountries = 2;
    o.from_year = 1990;
    assert_int_equal(ol_ideal_figure_new(f->s, &o, &fig, &err), OL_ENOTFOUND);
    assert_string_equal(err.field, "estimate");
    assert_non_null(strstr(err.message, "no ideal point"));
    o.from_year = 0;
    /* unknown, repeated countries; bad options */
    const char *unknown[] = {"USA", "Atlantis"};
    o.countries = unknown;
    assert_int_equal(ol_ideal_figure_new(f->s, &o, &fig, &err), OL_ENOTFOUND);
    assert_non_null(strstr(err.message, "Atlantis"));
    const char *twice[] = {"USA", "United States"};
    o.countries = twice;
    assert_int_equal(ol_ideal_figure_new(f->s, &o, &fig, &err), OL_EINVAL);
    assert_non_null(strstr(err.message, "twice"));
    o.countries = late;
    o.ncountries = OL_PLOT_LINES_MAX + 1;
    assert_int_equal(ol_ideal_figure_new(f->s, &o, &fig, &err), OL_EINVAL);
    o.ncountries = 2;
    o.from_year = 2000;
    o.to_year = 1990;
    assert_int_equal(ol_ideal_figure_new(f->s, &o, &fig, &err), OL_EINVAL);
    o.from_year = o.to_year = 0;
    o.period_kind = "year";
    assert_int_equal(ol_ideal_figure_new(f->s, &o, &fig, &err), OL_ENOTFOUND);
    assert_string_equal(err.field, "period_kind");
    o.period_kind = "month";
    assert_int_equal(ol_ideal_figure_new(f->s, &o, &fig, &err), OL_EINVAL);
    o.period_kind = NULL;
    o.se_band = 1;
    o.se_z = 0;
    assert_int_equal(ol_ideal_figure_new(f->s, &o, &fig, &err), OL_EINVAL);
    o.se_band = 0;
    /* the reversed polarity is drawn as it is, with a warning */
    OL_ASSERT_OK(ol_ideal_figure_new(f->s, &o, &fig, &err), &err);
    assert_int_equal(ol_ideal_figure_nwarnings(fig), 1);
    assert_non_null(strstr(ol_ideal_figure_warning(fig, 0), "negative side"));
    assert_float_equal(ol_ideal_figure_plot(fig)->series[0].values[0], -1.7, 1e-12);
    assert_non_null(strstr(ol_ideal_figure_plot(fig)->note, "bsv-all"));
    ol_ideal_figure_free(fig);
    /* a bad figure extension is the caller's to refuse */
    ol_plot_format fmt;
    assert_int_equal(ol_plot_format_from_path("fig4_2.gif", &fmt, &err), OL_EUNSUPPORTED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_writes_three_formats),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_lines_figure),
        cmocka_unit_test(test_sensitivity_figure),
        cmocka_unit_test(test_heatmap_figure),
        cmocka_unit_test_setup_teardown(test_ideal_figure_data, ol_test_setup, ol_test_teardown),
        cmocka_unit_test_setup_teardown(test_ideal_figure_errors, ol_test_setup, ol_test_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
