/* FNV-1a, 64 bits (Fowler, Noll and Vo): the library's one non-cryptographic
 * hash, for in-memory hash tables and for content fingerprints (the built-in
 * tables' version, a scenario's hash).  Fingerprints may be stored, so the
 * constants are the published ones and must not change.
 *
 * Start from OL_FNV1A_OFFSET and fold data in:
 *   h = ol_fnv1a_str(OL_FNV1A_OFFSET, code);
 *   h = ol_fnv1a_word(h, (uint64_t)year);
 * ol_fnv1a_word folds a whole word in one step (xor, multiply), not byte by
 * byte: enough to spread small integers for a table, and cheaper. */
#ifndef ORDERLAB_UTIL_FNV_H
#define ORDERLAB_UTIL_FNV_H

#include <stddef.h>
#include <stdint.h>

#define OL_FNV1A_OFFSET 14695981039346656037ULL
#define OL_FNV1A_PRIME 1099511628211ULL

static inline uint64_t ol_fnv1a_bytes(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * OL_FNV1A_PRIME;
    return h;
}

static inline uint64_t ol_fnv1a_str(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) h = (h ^ *p) * OL_FNV1A_PRIME;
    return h;
}

static inline uint64_t ol_fnv1a_word(uint64_t h, uint64_t w)
{
    return (h ^ w) * OL_FNV1A_PRIME;
}

#endif
