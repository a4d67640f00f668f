/* The design module: design files (every key, defaults, every bad-input
 * path with its file, line, column and key), the points of each design on
 * small known cases, the seeds of runs, and the Sobol indices on test
 * functions whose indices are known (Ishigami; a linear function). */
#include "testutil.h"
#include "util/cbrng.h"

#include "orderlab/design.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ol_design *load(const char *text)
{
    ol_design *d = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_design_load_text(text, strlen(text), "test.yaml", &d, &err), &err);
    assert_non_null(d);
    return d;
}

/* ------------------------------------------------------------ names */
static void test_kind_names(void **state)
{
    (void)state;
    for (int k = 0; k < OL_DESIGN_KIND_COUNT; k++)
        assert_int_equal(ol_design_kind_parse(ol_design_kind_name((ol_design_kind)k)), k);
    assert_string_equal(ol_design_kind_name(OL_DESIGN_SALTELLI), "saltelli");
    assert_null(ol_design_kind_name(OL_DESIGN_KIND_COUNT));
    assert_int_equal(ol_design_kind_parse("Grid"), -1);
    assert_int_equal(ol_design_kind_parse(NULL), -1);
}

/* ------------------------------------------------------------ grid */
static void test_grid(void **state)
{
    (void)state;
    ol_design *d = load("name: g\n"
                        "design: grid\n"
                        "replicates: 3\n"
                        "parameters:\n"
                        "  - {key: a, levels: [1, 2, 3]}\n"
                        "  - key: \"leaders[x].temperament\"\n"
                        "    op: scale\n"
                        "    min: 0\n"
                        "    max: 1\n"
                        "    steps: 2\n");
    assert_string_equal(d->name, "g");
    assert_string_equal(d->path, "");
    assert_int_equal(d->kind, OL_DESIGN_GRID);
    assert_int_equal(d->nparams, 2);
    assert_int_equal(d->samples, 0);
    assert_int_equal(d->replicates, 3);
    assert_true(d->seed == 20181017u);
    assert_int_equal(d->stochastic, -1);
    assert_string_equal(d->params[0].key, "a");
    assert_int_equal(d->params[0].op, OL_DESIGN_SET);
    assert_int_equal(d->params[0].line, 5);
    assert_int_equal(d->params[0].column, 11);
    assert_string_equal(d->params[1].key, "leaders[x].temperament");
    assert_int_equal(d->params[1].op, OL_DESIGN_SCALE);
    assert_int_equal(d->params[1].line, 6);
    assert_int_equal(d->params[1].column, 10);
    assert_int_equal(d->params[1].nlevels, 2);
    assert_true(d->params[0].min == 1 && d->params[0].max == 3);
    /* the last parameter fastest */
    static const double want[6][2] = {{1, 0}, {1, 1}, {2, 0}, {2, 1}, {3, 0}, {3, 1}};
    assert_int_equal(d->npoints, 6);
    for (size_t i = 0; i < 6; i++) {
        const double *x = ol_design_point(d, i);
        assert_non_null(x);
        assert_true(x[0] == want[i][0] && x[1] == want[i][1]);
    }
    assert_null(ol_design_point(d, 6));
    assert_true(ol_design_runs(d) == 18);
    ol_design_free(d);

    /* steps: evenly spaced, ends exact; three parameters multiply */
    d = load("design: grid\nparameters:\n"
             "  - {key: t, min: 0.5, max: 0.85, steps: 8}\n"
             "  - {key: u, levels: [2/3, 1]}\n"
             "  - {key: n, integer: true, min: 1, max: 4, steps: 4}\n");
    assert_int_equal(d->npoints, 8 * 2 * 4);
    assert_true(d->params[0].levels[0] == 0.5 && d->params[0].levels[7] == 0.85);
    assert_float_equal(d->params[0].levels[1], 0.55, 1e-12);
    assert_float_equal(d->params[1].levels[0], 2.0 / 3.0, 1e-15);
    for (int k = 0; k < 4; k++) assert_true(d->params[2].levels[k] == k + 1);
    const double *last = ol_design_point(d, d->npoints - 1);
    assert_true(last[0] == 0.85 && last[1] == 1 && last[2] == 4);
    const double *second = ol_design_point(d, 1);
    assert_true(second[0] == 0.5 && second[1] == 2.0 / 3.0 && second[2] == 2);
    const double *ninth = ol_design_point(d, 8); /* t moves after u and n went round */
    assert_float_equal(ninth[0], 0.55, 1e-12);
    assert_true(ninth[1] == 2.0 / 3.0 && ninth[2] == 1);
    ol_design_free(d);
}

/* ------------------------------------------------------------ one at a time */
static void test_oat(void **state)
{
    (void)state;
    ol_design *d = load("design: oat\n"
                        "parameters:\n"
                        "  - {key: a, levels: [1, 2, 3]}\n"           /* baseline 2 (middle) */
                        "  - {key: b, min: 0, max: 10, steps: 3}\n"   /* 0, 5, 10; baseline 5 */
                        "  - {key: c, levels: [0, 1], baseline: 1}\n"
                        "  - {key: e, levels: [1, 2, 4, 8]}\n");      /* even: the lower middle, 2 */
    static const double want[][4] = {
        {2, 5, 1, 2},                              /* every baseline */
        {1, 5, 1, 2}, {3, 5, 1, 2},                /* a */
        {2, 0, 1, 2}, {2, 10, 1, 2},               /* b */
        {2, 5, 0, 2},                              /* c */
        {2, 5, 1, 1}, {2, 5, 1, 4}, {2, 5, 1, 8},  /* e */
    };
    assert_int_equal(d->npoints, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < d->npoints; i++)
        for (size_t c = 0; c < 4; c++) assert_true(ol_design_point(d, i)[c] == want[i][c]);
    assert_true(d->params[0].baseline == 2 && d->params[1].baseline == 5 && d->params[3].baseline == 2);
    ol_design_free(d);

    /* a baseline that is not a level skips none; a range's midpoint */
    d = load("design: oat\nparameters:\n"
             "  - {key: a, levels: [1, 2, 3], baseline: 2.5}\n"
             "  - {key: b, min: 0, max: 1, steps: 2}\n");
    assert_int_equal(d->npoints, 1 + 3 + 2);
    assert_true(ol_design_point(d, 0)[0] == 2.5 && ol_design_point(d, 0)[1] == 0.5);
    assert_true(ol_design_point(d, 1)[0] == 1 && ol_design_point(d, 1)[1] == 0.5);
    assert_true(ol_design_point(d, 5)[0] == 2.5 && ol_design_point(d, 5)[1] == 1);
    ol_design_free(d);

    /* a baseline written as a number that steps compute with rounding: the
     * same level, skipped once (0.5 + 0.35 * 3 / 7 is 0.6499999999999999) */
    d = load("design: oat\nparameters:\n  - {key: t, min: 0.5, max: 0.85, steps: 8, baseline: 0.65}\n");
    assert_true(d->params[0].levels[3] != 0.65); /* else this case tests nothing */
    assert_int_equal(d->npoints, 8);
    assert_true(d->params[0].baseline == d->params[0].levels[3]);
    ol_design_free(d);
}

/* ------------------------------------------------------------ Latin hypercube */
static char *lhs_text(size_t n, uint64_t seed)
{
    char *t = malloc(512);
    assert_non_null(t);
    snprintf(t, 512,
             "design: lhs\nsamples: %zu\nseed: %llu\nparameters:\n"
             "  - {key: a, min: 0, max: 1}\n"
             "  - {key: b, min: -3, max: 5}\n"
             "  - {key: c, min: 0.5, max: 0.85}\n",
             n, (unsigned long long)seed);
    return t;
}

static void test_lhs(void **state)
{
    (void)state;
    static const size_t NS[] = {1, 2, 7, 50, 1000};
    for (size_t t = 0; t < sizeof NS / sizeof NS[0]; t++) {
        const size_t n = NS[t];
        char *text = lhs_text(n, 42);
        ol_design *d = load(text);
        free(text);
        assert_int_equal(d->npoints, n);
        assert_int_equal(d->samples, n);
        int *hit = calloc(n, sizeof *hit);
        assert_non_null(hit);
        for (size_t c = 0; c < 3; c++) {
            const ol_design_param *p = &d->params[c];
            assert_int_equal(p->nlevels, 0);
            memset(hit, 0, n * sizeof *hit);
            for (size_t i = 0; i < n; i++) {
                double x = ol_design_point(d, i)[c];
                assert_true(x >= p->min && x < p->max);
                size_t s = (size_t)((x - p->min) / (p->max - p->min) * (double)n);
                assert_true(s < n);
                hit[s]++;
            }
            for (size_t s = 0; s < n; s++) assert_int_equal(hit[s], 1); /* each stratum once */
        }
        free(hit);
        /* the same seed: the same points; another seed: others */
        text = lhs_text(n, 42);
        ol_design *same = load(text);
        free(text);
        assert_memory_equal(d->points, same->points, n * 3 * sizeof(double));
        text = lhs_text(n, 43);
        ol_design *other = load(text);
        free(text);
        assert_memory_not_equal(d->points, other->points, n * 3 * sizeof(double));
        ol_design_free(d);
        ol_design_free(same);
        ol_design_free(other);
    }

    /* whole numbers and levels: each equally often */
    ol_design *d = load("design: lhs\nsamples: 10\nseed: 7\nparameters:\n"
                        "  - {key: n, integer: true, min: 0, max: 4}\n"
                        "  - {key: t, levels: [1, 1.5, 2, 3, 5]}\n");
    int cn[5] = {0}, ct[5] = {0};
    for (size_t i = 0; i < 10; i++) {
        const double *x = ol_design_point(d, i);
        assert_true(x[0] == floor(x[0]) && x[0] >= 0 && x[0] <= 4);
        cn[(int)x[0]]++;
        int k = x[1] == 1 ? 0 : x[1] == 1.5 ? 1 : x[1] == 2 ? 2 : x[1] == 3 ? 3 : x[1] == 5 ? 4 : -1;
        assert_true(k >= 0);
        ct[k]++;
    }
    for (int k = 0; k < 5; k++) {
        assert_int_equal(cn[k], 2);
        assert_int_equal(ct[k], 2);
    }
    assert_int_equal(d->params[1].nlevels, 5);
    ol_design_free(d);
}

/* ------------------------------------------------------------ Saltelli */
static void test_saltelli(void **state)
{
    (void)state;
    ol_design *d = load("design: saltelli\nsamples: 5\nreplicates: 2\nparameters:\n"
                        "  - {key: a, min: 0, max: 1}\n"
                        "  - {key: b, min: -1, max: 1}\n"
                        "  - {key: c, min: 10, max: 20}\n");
    assert_int_equal(d->npoints, 5 * (3 + 2));
    assert_true(ol_design_runs(d) == 50);
    /* The first points of GSL's six-dimensional Sobol sequence (it starts
     * after the all-zero point), A = coordinates 1-3, B = 4-6. */
    static const double U[5][6] = {
        {0.5, 0.5, 0.5, 0.5, 0.5, 0.5},
        {0.75, 0.25, 0.75, 0.25, 0.75, 0.25},
        {0.25, 0.75, 0.25, 0.75, 0.25, 0.75},
        {0.375, 0.375, 0.625, 0.125, 0.875, 0.875},
        {0.875, 0.875, 0.125, 0.625, 0.375, 0.375},
    };
    const double lo[3] = {0, -1, 10}, hi[3] = {1, 1, 20};
    for (size_t j = 0; j < 5; j++) {
        const double *A = ol_design_point(d, j * 5), *B = ol_design_point(d, j * 5 + 1);
        for (size_t c = 0; c < 3; c++) {
            assert_float_equal(A[c], lo[c] + U[j][c] * (hi[c] - lo[c]), 1e-12);
            assert_float_equal(B[c], lo[c] + U[j][3 + c] * (hi[c] - lo[c]), 1e-12);
        }
    }
    ol_design_free(d);

    /* Larger: every block is A_j, B_j, then A_j with column i from B_j; A and
     * B are GSL's sequence scaled. */
    const size_t N = 64, p = 5;
    d = load("design: saltelli\nsamples: 64\nparameters:\n"
             "  - {key: p1, min: 0, max: 1}\n  - {key: p2, min: 0, max: 2}\n  - {key: p3, min: -5, max: 5}\n"
             "  - {key: p4, min: 0, max: 1}\n  - {key: p5, min: 1, max: 3}\n");
    assert_int_equal(d->npoints, N * (p + 2));
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * p));
    double u[10];
    for (size_t j = 0; j < N; j++) {
        gsl_qrng_get(q, u);
        const double *A = ol_design_point(d, j * (p + 2)), *B = ol_design_point(d, j * (p + 2) + 1);
        for (size_t c = 0; c < p; c++) {
            const ol_design_param *P = &d->params[c];
            assert_float_equal(A[c], P->min + u[c] * (P->max - P->min), 1e-12);
            assert_float_equal(B[c], P->min + u[p + c] * (P->max - P->min), 1e-12);
        }
        for (size_t i = 0; i < p; i++) {
            const double *AB = ol_design_point(d, j * (p + 2) + 2 + i);
            for (size_t c = 0; c < p; c++) assert_true(AB[c] == (c == i ? B[c] : A[c]));
        }
    }
    gsl_qrng_free(q);
    ol_design_free(d);

    /* twenty parameters: the most the 40-dimensional sequence serves */
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof text, "design: saltelli\nsamples: 4\nparameters:\n");
    for (int i = 0; i < 20; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "  - {key: x%d, min: 0, max: 1}\n", i);
    d = load(text);
    assert_int_equal(d->npoints, 4 * 22);
    ol_design_free(d);
}

/* ------------------------------------------------------------ seeds of runs */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void test_seeds(void **state)
{
    (void)state;
    /* the derivation of `orderlab simulate --runs` */
    for (uint64_t k = 0; k < 100; k++) assert_true(ol_design_seed(20181017u, k) == ol_model_seed(20181017u, k));
    /* a pure function of (base, run): no order, no state */
    assert_true(ol_design_seed(5, 999) == ol_design_seed(5, 999));
    assert_true(ol_design_seed(5, 0) != ol_design_seed(6, 0));

    enum { M = 1000000 };
    uint64_t *s = malloc(M * sizeof *s);
    assert_non_null(s);
    for (uint64_t k = 0; k < M; k++) s[k] = ol_design_seed(20181017u, k);
    qsort(s, M, sizeof *s, cmp_u64);
    size_t dup = 0;
    for (size_t k = 1; k < M; k++) dup += s[k] == s[k - 1];
    assert_int_equal(dup, 0);
    free(s);

    /* The first draws of the model's Philox streams keyed (as the model keys
     * them) by the seeds of neighbouring runs: their sample correlation over
     * K pairs is within 5 standard errors (1/sqrt(K)) of 0, for the first
     * and the second draws and for several base seeds. */
    enum { K = 20000 };
    const double bound = 5.0 / sqrt((double)K);
    double *x = malloc((K + 1) * sizeof *x), *x2 = malloc((K + 1) * sizeof *x2);
    assert_non_null(x);
    assert_non_null(x2);
    gsl_rng *r = gsl_rng_alloc(ol_cbrng_philox());
    static const uint64_t BASES[] = {0, 1, 20181017u, (UINT64_C(1) << 53) - 1};
    for (size_t b = 0; b < sizeof BASES / sizeof BASES[0]; b++) {
        for (size_t k = 0; k <= K; k++) {
            ol_cbrng_seed(r, ol_design_seed(BASES[b], k), 0);
            x[k] = gsl_rng_uniform(r);
            x2[k] = gsl_rng_uniform(r);
        }
        double r1 = gsl_stats_correlation(x, 1, x + 1, 1, K);
        double r2 = gsl_stats_correlation(x2, 1, x2 + 1, 1, K);
        double m = gsl_stats_mean(x, 1, K + 1);
        assert_true(fabs(r1) < bound);
        assert_true(fabs(r2) < bound);
        assert_true(fabs(m - 0.5) < 5.0 * sqrt(1.0 / 12.0 / (K + 1)));
    }
    gsl_rng_free(r);
    free(x);
    free(x2);
}

/* ------------------------------------------------------------ files */
static void test_load_file(void **state)
{
    (void)state;
    char *dir = ol_test_tmpdir();
    char *path = ol_test_write(dir, "paper-two-thirds.yaml",
                               "# the paper's question\n"
                               "design: lhs\n"
                               "samples: 4\n"
                               "seed: 9007199254740991\n"
                               "stochastic: true\n"
                               "parameters:\n"
                               "  - {key: threshold.tau, min: 0.5, max: 0.85}\n");
    ol_design *d = NULL;
    ol_error err;
    OL_ASSERT_OK(ol_design_load(path, &d, &err), &err);
    assert_string_equal(d->name, "paper-two-thirds"); /* the file's name by default */
    assert_string_equal(d->path, path);
    assert_true(d->seed == (UINT64_C(1) << 53) - 1);
    assert_int_equal(d->stochastic, 1);
    assert_int_equal(d->params[0].line, 7);
    ol_design_free(d);
    free(path);

    path = ol_test_path(dir, "missing.yaml");
    d = (ol_design *)&err; /* overwritten with NULL */
    assert_int_equal(ol_design_load(path, &d, &err), OL_EIO);
    assert_null(d);
    assert_string_equal(err.file, path);
    free(path);
    assert_int_equal(ol_design_load(NULL, &d, &err), OL_EINVAL);
    assert_int_equal(ol_design_load_text("design: grid", 12, "x", NULL, &err), OL_EINVAL);
    ol_test_rmtree(dir);
    free(dir);
}

/* ------------------------------------------------------------ bad input */
typedef struct bad_case {
    const char *text;
    ol_status code;
    const char *field;  /* expected err.field */
    long line, column;  /* 0: not checked */
    const char *msg;    /* a part of the message */
} bad_case;

#define P1 "parameters:\n  - {key: a, min: 0, max: 1}\n"

static const bad_case BAD[] = {
    /* keys */
    {"desing: grid\n" P1, OL_EVALIDATE, "desing", 1, 1, "did you mean 'design'"},
    {"design: grid\nparameters:\n  - {key: a, mni: 0, max: 1, steps: 2}\n", OL_EVALIDATE, "parameters[1].mni", 3, 14,
     "unknown key 'mni'"},
    {"design: lhs\nseed: 1\nsamples: 2\nseed: 2\n" P1, OL_EVALIDATE, "seed", 4, 1, "given twice (first on line 2)"},
    {"design: lhs\nsamples: 2\nparameters:\n  - {key: a, min: 0, min: 1, max: 2}\n", OL_EVALIDATE,
     "parameters[1].min", 4, 22, "given twice"},
    {"design: grid\n", OL_EVALIDATE, "parameters", 1, 1, "missing required key 'parameters'"},
    {P1, OL_EVALIDATE, "design", 1, 1, "missing required key 'design'"},
    /* the design */
    {"design: grd\n" P1, OL_EVALIDATE, "design", 1, 9, "did you mean 'grid'"},
    {"design: [grid]\n" P1, OL_EVALIDATE, "design", 1, 9, "unknown design a list"},
    {"design: lhs\n" P1, OL_EVALIDATE, "samples", 1, 1, "needs 'samples'"},
    {"design: saltelli\n" P1, OL_EVALIDATE, "samples", 1, 1, "needs 'samples'"},
    {"design: saltelli\nsamples: 1\n" P1, OL_EVALIDATE, "samples", 2, 10, "out of range"},
    {"design: lhs\nsamples: 0\n" P1, OL_EVALIDATE, "samples", 2, 10, "out of range"},
    {"design: lhs\nsamples: many\n" P1, OL_EVALIDATE, "samples", 2, 10, "expected a whole number"},
    {"design: grid\nsamples: 4\nparameters:\n  - {key: a, levels: [1]}\n", OL_EVALIDATE, "samples", 2, 10,
     "samples are for lhs and saltelli"},
    {"design: lhs\nsamples: 2\nreplicates: 0\n" P1, OL_EVALIDATE, "replicates", 3, 13, "out of range"},
    {"design: lhs\nsamples: 2\nseed: -1\n" P1, OL_EVALIDATE, "seed", 3, 7, "out of range"},
    {"design: lhs\nsamples: 2\nseed: 9007199254740992\n" P1, OL_EVALIDATE, "seed", 3, 7, "out of range"},
    {"design: lhs\nsamples: 2\nseed: 1.5\n" P1, OL_EVALIDATE, "seed", 3, 7, "expected a whole number"},
    {"design: lhs\nsamples: 2\nstochastic: maybe\n" P1, OL_EVALIDATE, "stochastic", 3, 13, "true or false"},
    {"design: lhs\nsamples: 2\nname: [a]\n" P1, OL_EVALIDATE, "name", 3, 7, "expected text"},
    /* the parameter list */
    {"design: grid\nparameters: []\n", OL_EVALIDATE, "parameters", 2, 13, "an empty list"},
    {"design: grid\nparameters: {key: a}\n", OL_EVALIDATE, "parameters", 2, 13, "got a mapping"},
    {"design: grid\nparameters:\n  - threshold.tau\n", OL_EVALIDATE, "parameters[1]", 3, 5, "expected a mapping"},
    {"design: lhs\nsamples: 2\nparameters:\n  - {min: 0, max: 1}\n", OL_EVALIDATE, "parameters[1].key", 4, 5,
     "missing required key 'key'"},
    {"design: lhs\nsamples: 2\nparameters:\n  - {key: a, min: 0, max: 1}\n  - {key: a, min: 1, max: 2}\n",
     OL_EVALIDATE, "parameters[2].key", 5, 5, "already varied by parameters[1]"},
    {"design: lhs\nsamples: 2\nparameters:\n  - {key: a, op: add, min: 0, max: 1}\n", OL_EVALIDATE,
     "parameters[1].op", 4, 18, "unknown op 'add'"},
    /* ranges and levels */
    {"design: lhs\nsamples: 2\nparameters:\n  - {key: a}\n", OL_EVALIDATE, "parameters[1]", 4, 5,
     "needs a range (min, max) or levels"},
    {"design: lhs\nsamples: 2\nparameters:\n  - {key: a, min: 1, max: 1}\n", OL_EVALIDATE, "parameters[1].min", 4, 19,
     "must be below max"},
    {"design: lhs\nsamples: 2\nparameters:\n  - {key: a, min: 2, max: 1}\n", OL_EVALIDATE, "parameters[1].min", 4, 19,
     "min (2) must be below max (1)"},
    {"design: lhs\nsamples: 2\nparameters:\n  - {key: a, min: 0}\n", OL_EVALIDATE, "parameters[1].max", 4, 19,
     "missing 'max'"},
    {"design: lhs\nsamples: 2\nparameters:\n  - {key: a, min: .inf, max: 1}\n", OL_EVALIDATE, "parameters[1].min",
     4, 19, "not a finite number"},
    {"design: lhs\nsamples: 2\nparameters:\n  - {key: a, min: 0, max: nan}\n", OL_EVALIDATE, "parameters[1].max",
     4, 27, "not a finite number"},
    {"design: lhs\nsamples: 2\nparameters:\n  - {key: a, min: 0, max: 1e999}\n", OL_EVALIDATE, "parameters[1].max",
     4, 27, "not a finite number"},
    {"design: lhs\nsamples: 2\nparameters:\n  - {key: a, min: zero, max: 1}\n", OL_EVALIDATE, "parameters[1].min",
     4, 19, "expected a number, got 'zero'"},
    {"design: grid\nparameters:\n  - {key: a, levels: [1, 3, 2]}\n", OL_EVALIDATE, "parameters[1].levels[3]", 3, 29,
     "(2) is below level 2 (3)"},
    {"design: grid\nparameters:\n  - {key: a, levels: [1, 2, 2]}\n", OL_EVALIDATE, "parameters[1].levels[3]", 3, 29,
     "level 3 (2) repeats level 2"},
    {"design: grid\nparameters:\n  - {key: a, levels: []}\n", OL_EVALIDATE, "parameters[1].levels", 3, 22,
     "an empty list"},
    {"design: grid\nparameters:\n  - {key: a, levels: 3}\n", OL_EVALIDATE, "parameters[1].levels", 3, 22,
     "expected a list"},
    {"design: grid\nparameters:\n  - {key: a, levels: [1, x]}\n", OL_EVALIDATE, "parameters[1].levels[2]", 3, 26,
     "expected a number"},
    {"design: grid\nparameters:\n  - {key: a, levels: [1, 2], min: 0}\n", OL_EVALIDATE, "parameters[1].levels", 3, 22,
     "not both"},
    {"design: grid\nparameters:\n  - {key: a, min: 0, max: 1}\n", OL_EVALIDATE, "parameters[1].steps", 3, 5,
     "needs levels"},
    {"design: oat\nparameters:\n  - {key: a, min: 0, max: 1}\n", OL_EVALIDATE, "parameters[1].steps", 3, 5,
     "needs levels"},
    {"design: grid\nparameters:\n  - {key: a, min: 0, max: 1, steps: 1}\n", OL_EVALIDATE, "parameters[1].steps", 3,
     37, "out of range"},
    {"design: grid\nparameters:\n  - {key: a, levels: [1, 2], steps: 3}\n", OL_EVALIDATE, "parameters[1].steps", 3, 37,
     "these are levels"},
    {"design: lhs\nsamples: 3\nparameters:\n  - {key: a, min: 0, max: 1, steps: 3}\n", OL_EVALIDATE,
     "parameters[1].steps", 4, 37, "steps are for grid and oat"},
    {"design: grid\nparameters:\n  - {key: a, integer: true, levels: [1, 1.5]}\n", OL_EVALIDATE,
     "parameters[1].levels[2]", 3, 41, "not a whole number"},
    {"design: grid\nparameters:\n  - {key: a, integer: true, min: 0, max: 2, steps: 4}\n", OL_EVALIDATE,
     "parameters[1].steps", 3, 52, "repeat whole numbers"},
    {"design: lhs\nsamples: 2\nparameters:\n  - {key: a, integer: true, min: 0.5, max: 2}\n", OL_EVALIDATE,
     "parameters[1].min", 4, 34, "not a whole number"},
    {"design: lhs\nsamples: 2\nparameters:\n  - {key: a, integer: yes, min: 0, max: 2}\n", OL_EVALIDATE,
     "parameters[1].integer", 4, 23, "true or false"},
    {"design: oat\nparameters:\n  - {key: a, levels: [1, 2], baseline: 3}\n", OL_EVALIDATE,
     "parameters[1].baseline", 3, 40, "outside the parameter's range [1, 2]"},
    /* sizes */
    {"design: saltelli\nsamples: 8\nparameters:\n"
     "  - {key: x1, min: 0, max: 1}\n  - {key: x2, min: 0, max: 1}\n  - {key: x3, min: 0, max: 1}\n"
     "  - {key: x4, min: 0, max: 1}\n  - {key: x5, min: 0, max: 1}\n  - {key: x6, min: 0, max: 1}\n"
     "  - {key: x7, min: 0, max: 1}\n  - {key: x8, min: 0, max: 1}\n  - {key: x9, min: 0, max: 1}\n"
     "  - {key: x10, min: 0, max: 1}\n  - {key: x11, min: 0, max: 1}\n  - {key: x12, min: 0, max: 1}\n"
     "  - {key: x13, min: 0, max: 1}\n  - {key: x14, min: 0, max: 1}\n  - {key: x15, min: 0, max: 1}\n"
     "  - {key: x16, min: 0, max: 1}\n  - {key: x17, min: 0, max: 1}\n  - {key: x18, min: 0, max: 1}\n"
     "  - {key: x19, min: 0, max: 1}\n  - {key: x20, min: 0, max: 1}\n  - {key: x21, min: 0, max: 1}\n",
     OL_EVALIDATE, "parameters", 4, 3, "21 parameters: a saltelli design takes at most 20"},
    {"design: grid\nparameters:\n"
     "  - {key: a, min: 0, max: 1, steps: 100}\n  - {key: b, min: 0, max: 1, steps: 100}\n"
     "  - {key: c, min: 0, max: 1, steps: 100}\n  - {key: d, min: 0, max: 1, steps: 100}\n",
     OL_EVALIDATE, "parameters", 3, 3, "must fit in memory"},
    {"design: lhs\nsamples: 134217728\nreplicates: 134217728\n" P1, OL_EVALIDATE, "replicates", 0, 0,
     "more than 2^53 - 1 runs"},
    /* the document */
    {"design: grid\nparameters: [\n", OL_EPARSE, "", 3, 1, "YAML syntax"},
    {"- design: grid\n", OL_EVALIDATE, "", 1, 1, "a design is a mapping"},
    {"", OL_EVALIDATE, "", 0, 0, "empty"},
    {"design: grid\nparameters:\n  - {key: a, levels: [1]}\n---\ndesign: oat\n", OL_EVALIDATE, "", 5, 1,
     "a second YAML document"},
};

static void test_bad_input(void **state)
{
    (void)state;
    size_t failed = 0;
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        const bad_case *b = &BAD[i];
        ol_design *d = NULL;
        ol_error err;
        ol_status st = ol_design_load_text(b->text, strlen(b->text), "bad.yaml", &d, &err);
        char buf[2048];
        ol_error_format(&err, buf, sizeof buf);
        int where = !b->line || (err.line == b->line && err.column == b->column);
        if (st != b->code || strcmp(err.field, b->field) || !where || !strstr(err.message, b->msg)) {
            failed++;
            print_message("case %zu: status %d, want %d; got '%s'; want field '%s' at %ld:%ld and '%s'\n", i, (int)st,
                     (int)b->code, buf, b->field, b->line, b->column, b->msg);
        }
        assert_null(d);
        assert_string_equal(err.file, "bad.yaml");
    }
    assert_int_equal(failed, 0);
}

/* Every problem is found; the first is returned with the count of the rest. */
static void test_many_problems(void **state)
{
    (void)state;
    const char *text = "design: lhs\nsamples: 0\nreplicates: 0\nparameters:\n  - {key: a, min: 1, max: 0}\n";
    ol_design *d = NULL;
    ol_error err;
    assert_int_equal(ol_design_load_text(text, strlen(text), "bad.yaml", &d, &err), OL_EVALIDATE);
    assert_string_equal(err.field, "samples");
    assert_non_null(strstr(err.message, "(and 2 more problems)"));
}

/* ------------------------------------------------------------ Sobol indices */

/* The Ishigami & Homma (1990) function on [-pi, pi]^3, a = 7, b = 0.1, and
 * its indices from its variance decomposition (Sobol' & Levitan 1999):
 * V1 = b pi^4 / 5 + b^2 pi^8 / 50 + 1/2, V2 = a^2 / 8, V3 = 0,
 * V13 = 8 b^2 pi^8 / 225, V = a^2 / 8 + b pi^4 / 5 + b^2 pi^8 / 18 + 1/2. */
static const double ISH_A = 7.0, ISH_B = 0.1;

static double ishigami(const double *x)
{
    double s = sin(x[0]);
    return s + ISH_A * sin(x[1]) * sin(x[1]) + ISH_B * pow(x[2], 4) * s;
}

static void ishigami_truth(double S1[3], double ST[3])
{
    const double pi4 = pow(M_PI, 4), pi8 = pow(M_PI, 8), a = ISH_A, b = ISH_B;
    const double V1 = b * pi4 / 5 + b * b * pi8 / 50 + 0.5, V2 = a * a / 8, V13 = 8 * b * b * pi8 / 225;
    const double V = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
    S1[0] = V1 / V; S1[1] = V2 / V; S1[2] = 0;
    ST[0] = (V1 + V13) / V; ST[1] = V2 / V; ST[2] = V13 / V;
}

/* The outputs of f at every point of a design. */
static double *outputs(const ol_design *d, double (*f)(const double *))
{
    double *y = malloc(d->npoints * sizeof *y);
    assert_non_null(y);
    for (size_t i = 0; i < d->npoints; i++) y[i] = f(ol_design_point(d, i));
    return y;
}

enum { ISH_N = 8192, ISH_BOOT = 300 };
/* |estimate - truth| at N = 8192 base rows of the Sobol sequence (the
 * points, hence the estimates, are the same on every run: the errors measured
 * were below 0.0005) */
static const double ISH_TOL = 0.005;

static void test_sobol_ishigami(void **state)
{
    (void)state;
    double S1[3], ST[3];
    ishigami_truth(S1, ST);
    /* the values the literature gives for a = 7, b = 0.1, rounded */
    static const double PUB_S1[3] = {0.3139, 0.4424, 0}, PUB_ST[3] = {0.5576, 0.4424, 0.2437};
    for (int i = 0; i < 3; i++) {
        assert_float_equal(S1[i], PUB_S1[i], 1e-4);
        assert_float_equal(ST[i], PUB_ST[i], 1e-4);
    }
    char text[512];
    snprintf(text, sizeof text,
             "design: saltelli\nsamples: %d\nseed: 11\nparameters:\n"
             "  - {key: x1, min: -3.141592653589793, max: 3.141592653589793}\n"
             "  - {key: x2, min: -3.141592653589793, max: 3.141592653589793}\n"
             "  - {key: x3, min: -3.141592653589793, max: 3.141592653589793}\n", ISH_N);
    ol_design *d = load(text);
    double *y = outputs(d, ishigami);
    ol_sobol_index ix[3];
    ol_error err;
    OL_ASSERT_OK(ol_sobol_from_design(d, y, ISH_BOOT, 0.95, d->seed, ix, &err), &err);
    for (int i = 0; i < 3; i++) {
        print_message("x%d: S1 %.4f [%.4f, %.4f] (true %.4f)  ST %.4f [%.4f, %.4f] (true %.4f)\n", i + 1, ix[i].S1,
                      ix[i].S1_lo, ix[i].S1_hi, S1[i], ix[i].ST, ix[i].ST_lo, ix[i].ST_hi, ST[i]);
        assert_float_equal(ix[i].S1, S1[i], ISH_TOL);
        assert_float_equal(ix[i].ST, ST[i], ISH_TOL);
        assert_true(ix[i].S1_lo <= S1[i] && S1[i] <= ix[i].S1_hi);
        assert_true(ix[i].ST_lo <= ST[i] && ST[i] <= ix[i].ST_hi);
        assert_true(ix[i].S1_lo <= ix[i].S1 && ix[i].S1 <= ix[i].S1_hi);
        assert_true(ix[i].ST_lo <= ix[i].ST && ix[i].ST <= ix[i].ST_hi);
    }
    /* deterministic for a seed; another seed moves the intervals only */
    ol_sobol_index again[3], other[3];
    OL_ASSERT_OK(ol_sobol_from_design(d, y, ISH_BOOT, 0.95, d->seed, again, &err), &err);
    assert_memory_equal(ix, again, sizeof ix);
    OL_ASSERT_OK(ol_sobol_from_design(d, y, ISH_BOOT, 0.95, d->seed + 1, other, &err), &err);
    assert_true(other[0].S1 == ix[0].S1 && other[2].ST == ix[2].ST);
    assert_true(other[0].S1_lo != ix[0].S1_lo);
    free(y);
    ol_design_free(d);
}

/* y = sum c_i x_i on uniform inputs: S_i = ST_i = c_i^2 / sum c_j^2 (the
 * ranges are equal, so the variances of the inputs cancel). */
static const double LIN_C[4] = {1, 2, 3, 0.5};
static double linear(const double *x) { return LIN_C[0] * x[0] + LIN_C[1] * x[1] + LIN_C[2] * x[2] + LIN_C[3] * x[3]; }

static void test_sobol_linear(void **state)
{
    (void)state;
    ol_design *d = load("design: saltelli\nsamples: 1024\nparameters:\n"
                        "  - {key: a, min: 0, max: 1}\n  - {key: b, min: 0, max: 1}\n"
                        "  - {key: c, min: 0, max: 1}\n  - {key: d, min: 0, max: 1}\n");
    double *y = outputs(d, linear);
    ol_sobol_index ix[4];
    ol_error err;
    OL_ASSERT_OK(ol_sobol_from_design(d, y, 200, 0.9, 5, ix, &err), &err);
    double sum = 0;
    for (int i = 0; i < 4; i++) sum += LIN_C[i] * LIN_C[i];
    for (int i = 0; i < 4; i++) {
        double want = LIN_C[i] * LIN_C[i] / sum;
        print_message("c%d: S1 %.4f [%.4f, %.4f]  ST %.4f [%.4f, %.4f]  true %.4f\n", i + 1, ix[i].S1, ix[i].S1_lo,
                      ix[i].S1_hi, ix[i].ST, ix[i].ST_lo, ix[i].ST_hi, want);
        assert_float_equal(ix[i].S1, want, 0.01);
        assert_float_equal(ix[i].ST, want, 0.01);
        assert_true(ix[i].S1_lo <= want && want <= ix[i].S1_hi);
        assert_true(ix[i].ST_lo <= want && want <= ix[i].ST_hi);
    }
    free(y);
    ol_design_free(d);
}

/* The estimators on numbers small enough to check by hand: N = 2, p = 1,
 * yA = (0, 1), yB = (1, 0), yAB = (1, 0): V = var(0, 1, 1, 0) = 1/4 (the
 * denominator 2N), S1 = mean(1 * 1, 0 * -1) / V = 2, ST = mean(1, 1) / 2V = 2. */
static void test_sobol_by_hand(void **state)
{
    (void)state;
    const double yA[2] = {0, 1}, yB[2] = {1, 0}, yAB[2] = {1, 0};
    ol_sobol_index ix;
    ol_error err;
    OL_ASSERT_OK(ol_sobol_indices(2, 1, yA, yB, yAB, 0, 0.95, 1, &ix, &err), &err);
    assert_float_equal(ix.S1, 2.0, 1e-15);
    assert_float_equal(ix.ST, 2.0, 1e-15);
    /* no bootstrap: the intervals are the estimate */
    assert_true(ix.S1_lo == ix.S1 && ix.S1_hi == ix.S1 && ix.ST_lo == ix.ST && ix.ST_hi == ix.ST);

    /* the layout of ol_sobol_from_design: blocks A_j, B_j, AB_j^(1..p) */
    ol_design *d = load("design: saltelli\nsamples: 8\nparameters:\n"
                        "  - {key: a, min: 0, max: 1}\n  - {key: b, min: 0, max: 1}\n");
    double yd[8 * 4], ya[8], yb[8], yab[16];
    for (size_t j = 0; j < 8; j++) {
        ya[j] = sin((double)j);
        yb[j] = cos(3.0 * (double)j);
        yab[j] = (double)j * 0.1;
        yab[8 + j] = (double)(j * j) * 0.01;
        yd[j * 4] = ya[j];
        yd[j * 4 + 1] = yb[j];
        yd[j * 4 + 2] = yab[j];
        yd[j * 4 + 3] = yab[8 + j];
    }
    ol_sobol_index a[2], b[2];
    OL_ASSERT_OK(ol_sobol_indices(8, 2, ya, yb, yab, 50, 0.8, 3, a, &err), &err);
    OL_ASSERT_OK(ol_sobol_from_design(d, yd, 50, 0.8, 3, b, &err), &err);
    assert_memory_equal(a, b, sizeof a);
    ol_design_free(d);
}

static void test_sobol_errors(void **state)
{
    (void)state;
    double yA[4] = {1, 2, 3, 4}, yB[4] = {2, 3, 4, 5}, yAB[4] = {1, 1, 2, 2};
    const double c[4] = {3, 3, 3, 3};
    ol_sobol_index ix[1];
    ol_error err;
    /* an output that does not vary: undefined, never NaN */
    assert_int_equal(ol_sobol_indices(4, 1, c, c, yAB, 10, 0.95, 1, ix, &err), OL_EVALIDATE);
    assert_non_null(strstr(err.message, "does not vary"));
    yAB[2] = NAN;
    assert_int_equal(ol_sobol_indices(4, 1, yA, yB, yAB, 10, 0.95, 1, ix, &err), OL_EVALIDATE);
    assert_string_equal(err.field, "yAB");
    assert_non_null(strstr(err.message, "yAB[2] is not finite"));
    yAB[2] = 2;
    yB[0] = INFINITY;
    assert_int_equal(ol_sobol_indices(4, 1, yA, yB, yAB, 10, 0.95, 1, ix, &err), OL_EVALIDATE);
    assert_string_equal(err.field, "yB");
    yB[0] = 2;
    assert_int_equal(ol_sobol_indices(1, 1, yA, yB, yAB, 10, 0.95, 1, ix, &err), OL_EINVAL);
    assert_int_equal(ol_sobol_indices(4, 0, yA, yB, yAB, 10, 0.95, 1, ix, &err), OL_EINVAL);
    assert_int_equal(ol_sobol_indices(4, 1, NULL, yB, yAB, 10, 0.95, 1, ix, &err), OL_EINVAL);
    assert_int_equal(ol_sobol_indices(4, 1, yA, yB, yAB, 10, 0.95, 1, NULL, &err), OL_EINVAL);
    assert_int_equal(ol_sobol_indices(4, 1, yA, yB, yAB, 10, 1.0, 1, ix, &err), OL_EINVAL);
    assert_int_equal(ol_sobol_indices(4, 1, yA, yB, yAB, 10, 0.0, 1, ix, &err), OL_EINVAL);
    assert_int_equal(ol_sobol_indices(4, 1, yA, yB, yAB, 10, NAN, 1, ix, &err), OL_EINVAL);
    OL_ASSERT_OK(ol_sobol_indices(4, 1, yA, yB, yAB, 10, 0.95, 1, ix, &err), &err);

    /* from a design: saltelli only; the outputs named by point */
    ol_design *g = load("design: grid\nparameters:\n  - {key: a, levels: [1, 2]}\n");
    assert_int_equal(ol_sobol_from_design(g, yA, 10, 0.95, 1, ix, &err), OL_EINVAL);
    assert_int_equal(ol_sobol_from_design(NULL, yA, 10, 0.95, 1, ix, &err), OL_EINVAL);
    ol_design_free(g);
    ol_design *d = load("design: saltelli\nsamples: 2\nparameters:\n  - {key: a, min: 0, max: 1}\n");
    double y[6] = {1, 2, 3, 4, 5, 6};
    assert_int_equal(ol_sobol_from_design(d, NULL, 10, 0.95, 1, ix, &err), OL_EINVAL);
    y[4] = NAN;
    assert_int_equal(ol_sobol_from_design(d, y, 10, 0.95, 1, ix, &err), OL_EVALIDATE);
    assert_non_null(strstr(err.message, "y[4] is not finite"));
    ol_design_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_grid),
        cmocka_unit_test(test_oat),
        cmocka_unit_test(test_lhs),
        cmocka_unit_test(test_saltelli),
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_many_problems),
        cmocka_unit_test(test_sobol_ishigami),
        cmocka_unit_test(test_sobol_linear),
        cmocka_unit_test(test_sobol_by_hand),
        cmocka_unit_test(test_sobol_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
