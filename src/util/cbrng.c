/* util/cbrng.c — Philox4x64-10 as a gsl_rng type (see cbrng.h). */
#include "util/cbrng.h"

#include <Random123/philox.h>

typedef struct cbrng_state {
    philox4x64_key_t key;
    philox4x64_ctr_t ctr;   /* the next block's counter */
    philox4x64_ctr_t out;   /* the current block */
    int left;               /* words of out not yet used */
} cbrng_state;

static uint64_t next_word(cbrng_state *st)
{
    if (st->left == 0) {
        st->out = philox4x64(st->ctr, st->key);
        /* 2^64 blocks per key before the low word wraps; carry for form's sake */
        if (++st->ctr.v[0] == 0) ++st->ctr.v[1];
        st->left = 4;
    }
    return st->out.v[4 - st->left--];
}

static unsigned long cbrng_get(void *vstate)
{
    return (unsigned long)(next_word(vstate) >> 32);
}

static double cbrng_get_double(void *vstate)
{
    /* the upper 53 bits, exactly representable: uniform on [0, 1) */
    return (double)(next_word(vstate) >> 11) * 0x1.0p-53;
}

static void key_state(cbrng_state *st, uint64_t k0, uint64_t k1)
{
    st->key.v[0] = k0;
    st->key.v[1] = k1;
    for (int i = 0; i < 4; i++) st->ctr.v[i] = 0;
    st->left = 0;
}

static void cbrng_set(void *vstate, unsigned long seed)
{
    key_state(vstate, (uint64_t)seed, 0);
}

static const gsl_rng_type cbrng_type = {
    "philox4x64-10", 0xffffffffUL, 0, sizeof(cbrng_state), &cbrng_set, &cbrng_get, &cbrng_get_double};

const gsl_rng_type *ol_cbrng_philox(void)
{
    return &cbrng_type;
}

void ol_cbrng_seed(gsl_rng *r, uint64_t k0, uint64_t k1)
{
    key_state(r->state, k0, k1);
}
