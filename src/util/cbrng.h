/*
 * util/cbrng.h — a counter-based random number generator (Philox4x64-10,
 * Salmon et al. 2011, from the Random123 headers) behind GSL's gsl_rng
 * interface, so that the gsl_ran_* functions draw from it.
 *
 * Why: runs of a sweep or a Monte Carlo need independent streams that any
 * one run can regenerate alone.  MT19937 takes a 32-bit seed, so among a
 * million runs some pairs would share a stream (birthday bound: even odds at
 * ~77,000 runs).  Philox is keyed by 128 bits and draws block i of a stream
 * as a bijection of the counter i: distinct keys give distinct streams, no
 * state is carried between runs, and there is nothing to warm up.
 *
 * A generator is allocated with gsl_rng_alloc(ol_cbrng_philox()) and keyed
 * with ol_cbrng_seed (gsl_rng_set keys it with (seed, 0)).  Each block gives
 * four 64-bit words; get() returns their upper 32 bits (max 2^32 − 1) and
 * get_double() 53 random bits in [0, 1).  Not thread-safe per object.
 */
#ifndef ORDERLAB_UTIL_CBRNG_H
#define ORDERLAB_UTIL_CBRNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* The generator type (static, never freed). */
const gsl_rng_type *ol_cbrng_philox(void);

/* Restarts r (allocated from ol_cbrng_philox()) at counter 0 with key
 * (k0, k1).  Streams of different keys are independent. */
void ol_cbrng_seed(gsl_rng *r, uint64_t k0, uint64_t k1);

#endif
