/* The inner loops of the ideal-point EM (src/ideal_kernel.h): the AVX2 and
 * AVX-512 kernels return the same bits as the portable ones, on groups of
 * every length mod 8, with arguments inside and outside the tables (the exact
 * path), for yes, no and abstain votes; and the portable kernels' sums are
 * the model's (checked against a plain loop over the exact functions). */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ideal_kernel.h"

enum { NCP = 300, NITEM = 80, NCELL = 4000 };

typedef struct data {
    ol_tn_table *t;
    double xq[2 * NCP];
    ol_ik_item *items;
    uint32_t cp[NCELL], item[NCELL];
} data;

/* a reproducible stream (no global state) */
static double unif(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

static data *make(int wide)
{
    data *D = calloc(1, sizeof *D);
    assert_non_null(D);
    D->t = malloc(sizeof *D->t);
    D->items = aligned_alloc(64, NITEM * sizeof *D->items);
    assert_true(D->t && D->items);
    ol_tn_table_init(D->t);
    uint64_t s = 42;
    /* wide: parameters that put some arguments outside the tables */
    double scale = wide ? 4 : 1;
    for (int i = 0; i < NCP; i++) {
        double x = scale * (unif(&s) * 6 - 3);
        D->xq[2 * i] = x;
        D->xq[2 * i + 1] = x * x + 0.01 * unif(&s);
    }
    for (int g = 0; g < NITEM; g++) {
        double b = unif(&s) * 4 - 2;
        D->items[g] = (ol_ik_item){.a = unif(&s) * 2 - 1, .b = b, .d = g % 7 == 0 ? 10 : 0.05 + unif(&s),
                                   .pb = b * b + 0.01, .vab = 0.001 * unif(&s)};
    }
    for (int k = 0; k < NCELL; k++) {
        D->cp[k] = (uint32_t)(unif(&s) * NCP);
        D->item[k] = (uint32_t)(unif(&s) * NITEM);
    }
    return D;
}

static void drop(data *D)
{
    free(D->t);
    free(D->items);
    free(D);
}

static int same(double x, double y)
{
    return memcmp(&x, &y, sizeof x) == 0;
}

static void assert_same_isums(ol_ik_isums u, ol_ik_isums v)
{
    assert_true(same(u.sx, v.sx) && same(u.sxx, v.sxx) && same(u.sz, v.sz) && same(u.sxz, v.sxz) &&
                same(u.gd, v.gd) && same(u.hd, v.hd));
}

/* The kernels of a vector level against the portable ones, bit for bit. */
static void same_bits_as_portable(ol_ik_level level)
{
    const ol_ik_kernels *V = ol_ik_kernels_get(level), *S = ol_ik_kernels_get(OL_IK_PORTABLE);
    if (V->level != level) {
        printf("no %s kernels on this processor (widest: %s)\n", level == OL_IK_AVX2 ? "avx2" : "avx512", V->name);
        skip();
    }
    for (int wide = 0; wide <= 1; wide++) {
        data *D = make(wide);
        size_t k0 = 0;
        /* groups of lengths 0..40 (every length mod 8, several times), one after the other */
        for (size_t len = 0; len <= 40 && k0 + len <= NCELL; k0 += len, len++) {
            const ol_ik_item *it = D->items + (len % NITEM);
            for (int yes = 0; yes <= 1; yes++) {
                assert_same_isums(S->item_yes_no(D->t, D->cp, D->xq, k0, k0 + len, it->a, it->b, it->d, yes),
                                  V->item_yes_no(D->t, D->cp, D->xq, k0, k0 + len, it->a, it->b, it->d, yes));
                double P1, h1, P2, h2;
                double x = D->xq[2 * (len % NCP)];
                S->pos_yes_no(D->t, D->item, D->items, k0, k0 + len, x, yes, &P1, &h1);
                V->pos_yes_no(D->t, D->item, D->items, k0, k0 + len, x, yes, &P2, &h2);
                assert_true(same(P1, P2) && same(h1, h2));
            }
            assert_same_isums(S->item_abstain(D->t, D->cp, D->xq, k0, k0 + len, it->a, it->b, it->d),
                              V->item_abstain(D->t, D->cp, D->xq, k0, k0 + len, it->a, it->b, it->d));
            double P1, h1, P2, h2, x = D->xq[2 * (len % NCP)];
            S->pos_abstain(D->t, D->item, D->items, k0, k0 + len, x, &P1, &h1);
            V->pos_abstain(D->t, D->item, D->items, k0, k0 + len, x, &P2, &h2);
            assert_true(same(P1, P2) && same(h1, h2));
        }
        drop(D);
    }
}

static void test_avx2_same_bits(void **state)
{
    (void)state;
    same_bits_as_portable(OL_IK_AVX2);
}

static void test_avx512_same_bits(void **state)
{
    (void)state;
    same_bits_as_portable(OL_IK_AVX512);
}

/* The kernel sets: each level falls back to the widest the processor has. */
static void test_kernel_sets(void **state)
{
    (void)state;
    const ol_ik_kernels *p = ol_ik_kernels_get(OL_IK_PORTABLE);
    assert_int_equal(p->level, OL_IK_PORTABLE);
    assert_string_equal(p->name, "portable");
    const ol_ik_kernels *a = ol_ik_kernels_get(OL_IK_AVX2);
    assert_int_equal(a->level, ol_ik_avx2() ? OL_IK_AVX2 : OL_IK_PORTABLE);
    const ol_ik_kernels *w = ol_ik_kernels_get(OL_IK_AVX512);
    assert_int_equal(w->level, ol_ik_avx512() ? OL_IK_AVX512 : a->level);
}

/* The portable kernels against a plain loop over the exact functions: the
 * same sums to the tables' accuracy. */
static void test_sums_are_the_model(void **state)
{
    (void)state;
    for (int wide = 0; wide <= 1; wide++) {
        data *D = make(wide);
        for (int g = 0; g < 20; g++) {
            const ol_ik_item *it = D->items + g;
            size_t k0 = (size_t)g * 150, k1 = k0 + 37 + (size_t)g;
            for (int cat = 0; cat < 3; cat++) {
                double sx = 0, sz = 0, sxz = 0, gd = 0, hd = 0, P = 0, h = 0, x = D->xq[2 * (size_t)g];
                for (size_t k = k0; k < k1; k++) {
                    double xv = D->xq[2 * (size_t)D->cp[k]], mu = it->a + it->b * xv, z, m, r;
                    if (cat == 0) z = mu - ol_tn_hazard_exact(mu);
                    else if (cat == 2) {
                        double lo = it->d - mu, hl = ol_tn_hazard_exact(lo);
                        z = mu + hl;
                        gd -= hl;
                        hd -= hl * (hl - lo);
                    } else {
                        ol_tn_band_exact(-mu, it->d - mu, &m, &r);
                        z = mu + m;
                        gd += r;
                        hd -= r * (it->d - mu + r);
                    }
                    sx += xv;
                    sz += z;
                    sxz += xv * z;
                    const ol_ik_item *jt = D->items + D->item[k];
                    double mu2 = jt->a + jt->b * x, z2;
                    if (cat == 0) z2 = mu2 - ol_tn_hazard_exact(mu2);
                    else if (cat == 2) z2 = mu2 + ol_tn_hazard_exact(jt->d - mu2);
                    else {
                        ol_tn_band_exact(-mu2, jt->d - mu2, &m, &r);
                        z2 = mu2 + m;
                    }
                    P += jt->pb;
                    h += jt->b * (z2 - jt->a) - jt->vab;
                }
                ol_ik_isums s = cat == 1 ? ol_ik_item_abstain(D->t, D->cp, D->xq, k0, k1, it->a, it->b, it->d)
                                         : ol_ik_item_yes_no(D->t, D->cp, D->xq, k0, k1, it->a, it->b, it->d, cat == 2);
                double n = (double)(k1 - k0), tol = 1e-7 * n;
                assert_true(fabs(s.sx - sx) < 1e-12 * n * 12);
                assert_true(fabs(s.sz - sz) < tol);
                assert_true(fabs(s.sxz - sxz) < tol * 12);
                assert_true(fabs(s.gd - gd) < tol * (1 + fabs(gd)));
                assert_true(fabs(s.hd - hd) < tol * (1 + fabs(hd)));
                double Pk, hk;
                if (cat == 1) ol_ik_pos_abstain(D->t, D->item, D->items, k0, k1, x, &Pk, &hk);
                else ol_ik_pos_yes_no(D->t, D->item, D->items, k0, k1, x, cat == 2, &Pk, &hk);
                assert_true(fabs(Pk - P) < 1e-12 * n * 4);
                assert_true(fabs(hk - h) < tol * 4);
            }
        }
        drop(D);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_avx2_same_bits),
        cmocka_unit_test(test_avx512_same_bits),
        cmocka_unit_test(test_kernel_sets),
        cmocka_unit_test(test_sums_are_the_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
