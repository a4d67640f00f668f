/* The Shapley–Shubik index: hand-computed games (50/49/1, the Security
 * Council as exact rationals, a veto by weight, the IMF's 85 % rule), blocks
 * of identical players against the same players listed one by one, every
 * small game against brute force over all orderings, and the bad inputs. */
#include "testutil.h"

#include "orderlab/powerindex.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double EPS = 1e-12;

static void shapley_ok(size_t n, const ol_powerindex_type *t, int64_t q, double *out)
{
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_powerindex_shapley(n, t, q, out, &err), &err);
}

static double total_power(size_t n, const ol_powerindex_type *t, const double *out)
{
    double s = 0;
    for (size_t k = 0; k < n; k++) s += out[k] * t[k].count;
    return s;
}

/* Weights 50, 49, 1, quota 51.  Player 1 is pivotal unless it comes first
 * (then the second player is pivotal) — of the 6 orders, 1 is pivotal in 4:
 * 2/3; players 2 and 3 are each pivotal when they follow player 1 in second
 * place: 1 order each, 1/6. */
static void test_three_players(void **state)
{
    (void)state;
    ol_powerindex_type t[3] = {{50, 1, 0}, {49, 1, 0}, {1, 1, 0}};
    double out[3];
    shapley_ok(3, t, 51, out);
    assert_float_equal(out[0], 2.0 / 3.0, EPS);
    assert_float_equal(out[1], 1.0 / 6.0, EPS);
    assert_float_equal(out[2], 1.0 / 6.0, EPS);
}

/* The Security Council: 5 permanent members with a veto, 10 elected, 9 votes
 * of 15.  An elected member is pivotal when it comes ninth after the 5
 * permanent members and 3 of the 9 other elected ones: C(9,3) = 84 sets, each
 * preceding it with probability 8!·6!/15!, so 84·8!·6!/15! = 4/2145
 * (≈ 0.0018648); a permanent member gets (1 − 10·4/2145)/5 = 421/2145
 * (≈ 0.196270). */
static void test_security_council(void **state)
{
    (void)state;
    ol_powerindex_type t[2] = {{1, 5, 1}, {1, 10, 0}};
    double out[2];
    shapley_ok(2, t, 9, out);
    assert_float_equal(out[0], 421.0 / 2145.0, 1e-12);
    assert_float_equal(out[1], 4.0 / 2145.0, 1e-12);
    assert_float_equal(total_power(2, t, out), 1.0, EPS);

    /* The same with the 15 members listed one by one. */
    ol_powerindex_type one[15];
    for (int k = 0; k < 15; k++) one[k] = (ol_powerindex_type){1, 1, k < 5};
    double o15[15];
    shapley_ok(15, one, 9, o15);
    for (int k = 0; k < 15; k++) assert_float_equal(o15[k], k < 5 ? 421.0 / 2145.0 : 4.0 / 2145.0, 1e-12);
}

/* A veto by weight: weights 40, 30, 30 with quota 61.  Player 1 (40 > 100 − 61)
 * is in every winning coalition; the winning coalitions are {1,2}, {1,3},
 * {1,2,3}.  Orders: 1 is pivotal when it comes second or third (4 of 6), 2
 * when it follows 1 directly in second place (1), 3 likewise (1):
 * (2/3, 1/6, 1/6).  The explicit veto flag changes nothing. */
static void test_veto_by_weight(void **state)
{
    (void)state;
    ol_powerindex_type t[3] = {{40, 1, 0}, {30, 1, 0}, {30, 1, 0}};
    double out[3];
    shapley_ok(3, t, 61, out);
    assert_float_equal(out[0], 2.0 / 3.0, EPS);
    assert_float_equal(out[1], 1.0 / 6.0, EPS);
    assert_float_equal(out[2], 1.0 / 6.0, EPS);
    t[0].veto = 1;
    shapley_ok(3, t, 61, out);
    assert_float_equal(out[0], 2.0 / 3.0, EPS);
    assert_float_equal(out[1], 1.0 / 6.0, EPS);
}

/* Special cases: identical players (one state one vote, any quota),
 * unanimity (quota = total, or everyone a veto), a bilateral agreement. */
static void test_symmetric(void **state)
{
    (void)state;
    assert_float_equal(ol_powerindex_symmetric(193), 1.0 / 193.0, EPS);
    assert_float_equal(ol_powerindex_symmetric(0), 0.0, EPS);
    ol_powerindex_type maj = {1, 193, 0};
    double out[3];
    shapley_ok(1, &maj, 97, out);
    assert_float_equal(out[0], 1.0 / 193.0, EPS);
    /* unanimity over unequal weights: everyone is a veto player by weight */
    ol_powerindex_type u[3] = {{50, 1, 0}, {30, 1, 0}, {20, 1, 0}};
    shapley_ok(3, u, 100, out);
    for (int k = 0; k < 3; k++) assert_float_equal(out[k], 1.0 / 3.0, EPS);
    ol_powerindex_type bil[2] = {{90, 1, 1}, {10, 1, 1}};
    shapley_ok(2, bil, 0, out);
    assert_float_equal(out[0], 0.5, EPS);
    assert_float_equal(out[1], 0.5, EPS);
    /* the veto players alone win: nobody else is pivotal */
    ol_powerindex_type v[2] = {{60, 2, 1}, {10, 3, 0}};
    shapley_ok(2, v, 100, out);
    assert_float_equal(out[0], 0.5, EPS);
    assert_float_equal(out[1], 0.0, EPS);
}

/* Brute force: the index by walking all n! orders. */
static void brute(size_t n, const int64_t *w, const int *veto, int64_t q, double *out)
{
    int perm[8];
    for (size_t k = 0; k < n; k++) { perm[k] = (int)k; out[k] = 0; }
    double orders = 0;
    for (;;) {
        int64_t sum = 0;
        int vetoes_in = 0, nveto = 0;
        for (size_t k = 0; k < n; k++) nveto += veto[k] != 0;
        for (size_t k = 0; k < n; k++) {
            int p = perm[k];
            sum += w[p];
            vetoes_in += veto[p] != 0;
            if (sum >= q && vetoes_in == nveto) { out[p] += 1; break; }
        }
        orders += 1;
        /* next permutation */
        size_t i = n - 1;
        while (i > 0 && perm[i - 1] >= perm[i]) i--;
        if (i == 0) break;
        size_t j = n - 1;
        while (perm[j] <= perm[i - 1]) j--;
        int tmp = perm[i - 1]; perm[i - 1] = perm[j]; perm[j] = tmp;
        for (size_t a = i, b = n - 1; a < b; a++, b--) { tmp = perm[a]; perm[a] = perm[b]; perm[b] = tmp; }
    }
    for (size_t k = 0; k < n; k++) out[k] /= orders;
}

static void test_against_brute_force(void **state)
{
    (void)state;
    unsigned seed = 12345u;
    for (int trial = 0; trial < 300; trial++) {
        size_t n = 2 + (size_t)(trial % 6);
        int64_t w[8], total = 0;
        int veto[8];
        ol_powerindex_type t[8];
        for (size_t k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            w[k] = (int64_t)((seed >> 16) % 20);
            seed = seed * 1103515245u + 12345u;
            veto[k] = ((seed >> 16) % 7) == 0;
            total += w[k];
            t[k] = (ol_powerindex_type){w[k], 1, veto[k]};
        }
        int nveto = 0;
        for (size_t k = 0; k < n; k++) nveto += veto[k];
        if (total == 0 && nveto == 0) continue;
        seed = seed * 1103515245u + 12345u;
        int64_t q = nveto ? (int64_t)((seed >> 16) % (uint64_t)(total + 1))
                          : 1 + (int64_t)((seed >> 16) % (uint64_t)total);
        double got[8], want[8];
        brute(n, w, veto, q, want);
        for (int method = OL_POWERINDEX_AUTO; method <= OL_POWERINDEX_ENUMERATE; method++) {
            ol_error err;
            OL_ASSERT_OK(ol_powerindex_shapley_method(n, t, q, (ol_powerindex_method)method, got, &err), &err);
            for (size_t k = 0; k < n; k++) assert_float_equal(got[k], want[k], 1e-12);
            assert_float_equal(total_power(n, t, got), 1.0, 1e-12);
        }
    }
}

/* A block of identical players gives what the same players listed one by one
 * give; the IMF-like game (one 16.5 % member, a few big ones, 176 small ones,
 * quota 85 %) gives the big member more than its weight (a veto by weight:
 * 1650 > 10000 − 8500) and sums to 1. */
static void test_blocks_and_large_games(void **state)
{
    (void)state;
    ol_powerindex_type blk[3] = {{30, 1, 0}, {20, 2, 0}, {5, 6, 0}};
    ol_powerindex_type flat[9];
    size_t m = 0;
    for (size_t k = 0; k < 3; k++)
        for (uint32_t c = 0; c < blk[k].count; c++) flat[m++] = (ol_powerindex_type){blk[k].weight, 1, 0};
    double ob[3], of[9], oe[3];
    shapley_ok(3, blk, 51, ob);
    shapley_ok(9, flat, 51, of);
    ol_error err;
    OL_ASSERT_OK(ol_powerindex_shapley_method(3, blk, 51, OL_POWERINDEX_ENUMERATE, oe, &err), &err);
    for (size_t k = 0; k < 3; k++) assert_float_equal(oe[k], ob[k], 1e-13);
    assert_float_equal(ob[0], of[0], 1e-13);
    assert_float_equal(ob[1], of[1], 1e-13);
    assert_float_equal(ob[1], of[2], 1e-13);
    for (size_t k = 3; k < 9; k++) assert_float_equal(ob[2], of[k], 1e-13);

    ol_powerindex_type imf[6] = {{1650, 1, 0}, {610, 2, 0}, {530, 1, 0}, {400, 2, 0}, {260, 2, 0}, {19, 176, 0}};
    int64_t total = 0;
    for (size_t k = 0; k < 6; k++) total += imf[k].weight * imf[k].count;
    double oi[6], od[6], oen[6];
    shapley_ok(6, imf, (total * 85 + 99) / 100, oi);
    /* the two methods agree on the large game, at 85 % and at a simple majority */
    for (int q = 50; q <= 85; q += 35) {
        OL_ASSERT_OK(ol_powerindex_shapley_method(6, imf, (total * q + 99) / 100, OL_POWERINDEX_DP, od, &err), &err);
        OL_ASSERT_OK(ol_powerindex_shapley_method(6, imf, (total * q + 99) / 100, OL_POWERINDEX_ENUMERATE, oen, &err),
                     &err);
        for (size_t k = 0; k < 6; k++) assert_float_equal(od[k], oen[k], 1e-12);
    }
    assert_float_equal(total_power(6, imf, oi), 1.0, 1e-12);
    assert_true(oi[0] > 0.165);
    for (size_t k = 0; k < 6; k++) assert_true(oi[k] >= 0.0);
    for (size_t k = 1; k < 6; k++) assert_true(oi[k] <= oi[k - 1] + 1e-15); /* monotone in weight */
}

static void test_bad_input(void **state)
{
    (void)state;
    ol_error err;
    double out[2];
    ol_powerindex_type t[2] = {{10, 1, 0}, {10, 1, 0}};
    assert_int_equal(ol_powerindex_shapley(0, t, 1, out, &err), OL_EINVAL);
    assert_int_equal(ol_powerindex_shapley(2, NULL, 1, out, &err), OL_EINVAL);
    assert_int_equal(ol_powerindex_shapley(2, t, 21, out, &err), OL_EINVAL);
    assert_string_equal(err.field, "quota");
    assert_int_equal(ol_powerindex_shapley(2, t, 0, out, &err), OL_EINVAL);
    t[1].weight = -1;
    assert_int_equal(ol_powerindex_shapley(2, t, 5, out, &err), OL_EINVAL);
    assert_string_equal(err.field, "weight");
    t[1] = (ol_powerindex_type){10, 0, 0};
    assert_int_equal(ol_powerindex_shapley(2, t, 5, out, &err), OL_EINVAL);
    t[1] = (ol_powerindex_type){1, 2000, 0};
    assert_int_equal(ol_powerindex_shapley(2, t, 5, out, &err), OL_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_players),
        cmocka_unit_test(test_security_council),
        cmocka_unit_test(test_veto_by_weight),
        cmocka_unit_test(test_symmetric),
        cmocka_unit_test(test_against_brute_force),
        cmocka_unit_test(test_blocks_and_large_games),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
