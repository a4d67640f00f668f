/* The counter-based generator behind the model's draws: Philox4x64-10's
 * known-answer vector, the mapping to gsl_rng's get/get_double, keys and
 * counters, and that neighbouring run seeds give unrelated streams. */
#include "testutil.h"

#include "orderlab/model.h"
#include "util/cbrng.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

/* Random123's known-answer test (kat_vectors): philox4x64-10, counter 0,
 * key 0 → these four words. */
static const uint64_t kat[4] = {0x16554d9eca36314cull, 0xdb20fe9d672d0fdcull, 0xd7e772cee186176bull,
                                0x7e68b68aec7ba23bull};

static void test_known_answer(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(ol_cbrng_philox());
    assert_non_null(r);
    ol_cbrng_seed(r, 0, 0);
    for (int i = 0; i < 4; i++) assert_int_equal(gsl_rng_get(r), kat[i] >> 32);
    ol_cbrng_seed(r, 0, 0); /* restart: the same block again, as doubles */
    for (int i = 0; i < 4; i++) assert_true(gsl_rng_uniform(r) == (double)(kat[i] >> 11) * 0x1.0p-53);
    /* gsl_rng_set keys with (seed, 0) */
    gsl_rng_set(r, 0);
    assert_int_equal(gsl_rng_get(r), kat[0] >> 32);
    assert_int_equal(gsl_rng_max(r), 0xffffffffUL);
    assert_string_equal(gsl_rng_name(r), "philox4x64-10");
    gsl_rng_free(r);
}

static void test_counter_advances_and_keys_differ(void **state)
{
    (void)state;
    gsl_rng *a = gsl_rng_alloc(ol_cbrng_philox()), *b = gsl_rng_alloc(ol_cbrng_philox());
    ol_cbrng_seed(a, 42, 0);
    ol_cbrng_seed(b, 42, 1); /* the second key word alone changes the stream */
    int same = 0;
    unsigned long first[16];
    for (int i = 0; i < 16; i++) {
        first[i] = gsl_rng_get(a);
        same += first[i] == gsl_rng_get(b);
    }
    assert_true(same <= 1);
    /* blocks 0..3 are distinct: the counter moved on after each four words */
    int repeats = 0;
    for (int i = 4; i < 16; i++) repeats += first[i] == first[i - 4];
    assert_int_equal(repeats, 0);
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* Runs seeded ol_model_seed(base, k) for neighbouring k: the first draws are
 * uncorrelated (|r| below 5/sqrt(n), far beyond chance) and uniform in mean. */
static void test_neighbouring_runs_independent(void **state)
{
    (void)state;
    enum { n = 20000 };
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    gsl_rng *r = gsl_rng_alloc(ol_cbrng_philox());
    for (size_t k = 0; k < n; k++) {
        ol_cbrng_seed(r, ol_model_seed(20181017, k), 0);
        x[k] = gsl_rng_uniform(r);
        ol_cbrng_seed(r, ol_model_seed(20181017, k + 1), 0);
        y[k] = gsl_rng_uniform(r);
    }
    double corr = gsl_stats_correlation(x, 1, y, 1, n);
    assert_true(fabs(corr) < 5.0 / sqrt((double)n));
    assert_true(fabs(gsl_stats_mean(x, 1, n) - 0.5) < 5.0 * sqrt(1.0 / 12.0 / n));
    /* draws are in [0, 1) */
    for (size_t k = 0; k < n; k++) assert_true(x[k] >= 0.0 && x[k] < 1.0);
    gsl_rng_free(r);
    free(x);
    free(y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answer),
        cmocka_unit_test(test_counter_advances_and_keys_differ),
        cmocka_unit_test(test_neighbouring_runs_independent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
