/* bench_ideal_kernel: the cost of one vote in each E-step kernel of the
 * ideal-point EM (src/ideal_kernel.h), in steady state, for each kernel set
 * the processor runs (portable, AVX2, AVX-512).
 *
 * Why: docs/ideal.md §6 compares an EM iteration with the memory-traffic
 * bound.  The iteration streams 4 bytes per vote and pass, but each vote
 * also costs a truncated-normal moment; this program measures that cost
 * apart from the EM (no M-step, no scheduling), so the distance to the bound
 * can be split into what the arithmetic costs and what the rest costs.
 *
 * Set-up: the full UNGA fit's sizes (10,580 country-sessions, 4,252 items),
 * positions in (-2, 2), items as the fit ends with them (|beta| < 1, bands
 * 0.5 sd), voters and items drawn at random (the parameters stay in cache,
 * as in the fit).  Groups of G votes (--group, default the sizes below) are
 * run one after the other over 800,000 votes; best of --reps (default 5).
 * Prints ns per vote; asserts nothing about time.
 *
 *   bench_ideal_kernel [--group G ...] [--reps N]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ideal_kernel.h"

enum { NCP = 10580, NITEM = 4252, NVOTE = 800000, MAX_GROUPS = 16 };

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* a reproducible stream in [0, 1) */
static double unif(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

typedef struct bench {
    ol_tn_table t;
    double xq[2 * NCP];
    ol_ik_item *items;
    uint32_t *cp, *item;
} bench;

/* ns per vote of the four kernels of set K over groups of g votes */
static void run(const bench *B, const ol_ik_kernels *K, size_t g, int reps, double ns[4], double *sink)
{
    size_t n = NVOTE / g * g;
    for (int i = 0; i < 4; i++) ns[i] = 1e300;
    for (int rep = 0; rep < reps; rep++) {
        double t[5];
        t[0] = now();
        for (size_t k = 0; k < n; k += g) *sink += K->item_yes_no(&B->t, B->cp, B->xq, k, k + g, 0.1, 0.8, 0.5, 1).sz;
        t[1] = now();
        for (size_t k = 0; k < n; k += g) *sink += K->item_abstain(&B->t, B->cp, B->xq, k, k + g, 0.1, 0.8, 0.5).sz;
        t[2] = now();
        for (size_t k = 0; k < n; k += g) {
            double P, h;
            K->pos_yes_no(&B->t, B->item, B->items, k, k + g, 0.3, 1, &P, &h);
            *sink += h;
        }
        t[3] = now();
        for (size_t k = 0; k < n; k += g) {
            double P, h;
            K->pos_abstain(&B->t, B->item, B->items, k, k + g, 0.3, &P, &h);
            *sink += h;
        }
        t[4] = now();
        for (int i = 0; i < 4; i++) {
            double v = 1e9 * (t[i + 1] - t[i]) / (double)n;
            if (v < ns[i]) ns[i] = v;
        }
    }
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_ideal_kernel [--group G]... [--reps N]  (G >= 1, N >= 1)\n");
    return 2;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"group", required_argument, NULL, 'g'}, {"reps", required_argument, NULL, 'r'}, {NULL, 0, NULL, 0}};
    /* the full fit's mean group lengths: about 25 (no, abstain) and 120 (yes)
     * votes per item, 10 to 50 per country-session; and a long group */
    size_t groups[MAX_GROUPS] = {8, 25, 70, 170, 100000};
    int ngroups = 5, user_groups = 0, reps = 5, c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        char *end;
        long v = c == '?' ? 0 : strtol(optarg, &end, 10);
        if (c == '?' || *end || v < 1) return usage();
        if (c == 'g') {
            if (!user_groups) ngroups = 0;
            user_groups = 1;
            if (ngroups == MAX_GROUPS || v > NVOTE) return usage();
            groups[ngroups++] = (size_t)v;
        } else reps = (int)v;
    }
    if (optind < argc) return usage();

    bench *B = calloc(1, sizeof *B);
    if (!B) return 1;
    B->items = aligned_alloc(64, NITEM * sizeof *B->items);
    B->cp = malloc(NVOTE * sizeof *B->cp);
    B->item = malloc(NVOTE * sizeof *B->item);
    if (!B->items || !B->cp || !B->item) return 1;
    ol_tn_table_init(&B->t);
    uint64_t s = 1;
    for (int i = 0; i < NCP; i++) {
        double x = unif(&s) * 4 - 2;
        B->xq[2 * i] = x;
        B->xq[2 * i + 1] = x * x + 0.01;
    }
    for (int g = 0; g < NITEM; g++) {
        double b = unif(&s) * 2 - 1;
        B->items[g] = (ol_ik_item){.a = unif(&s) - 0.5, .b = b, .d = 0.5, .pb = b * b + 0.01, .vab = 0.001};
    }
    for (size_t k = 0; k < NVOTE; k++) {
        B->cp[k] = (uint32_t)(unif(&s) * NCP);
        B->item[k] = (uint32_t)(unif(&s) * NITEM);
    }

    printf("E-step kernels of the ideal-point EM: ns per vote, steady state, best of %d, one thread\n", reps);
    printf("(%d country-sessions, %d items, %d votes in groups of the given length)\n\n", NCP, NITEM, NVOTE);
    printf("%-9s %7s %10s %10s %10s %10s\n", "kernels", "group", "item y/n", "item abst", "pos y/n", "pos abst");
    double sink = 0;
    const char *last = "";
    for (int lv = OL_IK_PORTABLE; lv <= OL_IK_AVX512; lv++) {
        const ol_ik_kernels *K = ol_ik_kernels_get((ol_ik_level)lv);
        if (!strcmp(K->name, last)) continue; /* not on this processor */
        last = K->name;
        for (int i = 0; i < ngroups; i++) {
            double ns[4];
            run(B, K, groups[i], reps, ns, &sink);
            printf("%-9s %7zu %10.2f %10.2f %10.2f %10.2f\n", K->name, groups[i], ns[0], ns[1], ns[2], ns[3]);
        }
    }
    printf("\n(checksum %g)\n", sink);
    free(B->items);
    free(B->cp);
    free(B->item);
    free(B);
    return 0;
}
