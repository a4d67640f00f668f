/* Internals shared by the ideal-point files (ideal.c: options, the vote
 * matrix, storage; ideal_em.c: the estimator). */
#ifndef ORDERLAB_IDEAL_INTERNAL_H
#define ORDERLAB_IDEAL_INTERNAL_H

#include "orderlab/ideal.h"

typedef struct ideal_rollcall {
    int64_t rcid;
    int session;
    int year;
    char *key; /* bridge text as given (owned), NULL when none */
} ideal_rollcall;

typedef struct ideal_vote {
    int32_t rc;      /* index into rollcalls */
    int32_t country; /* index into countries */
    uint8_t code;    /* 1 yes, 2 abstain, 3 no */
} ideal_vote;

struct ol_ideal_votes {
    ideal_rollcall *rc;
    size_t nrc, caprc;
    int32_t *rc_slots; /* open addressing on rcid, -1 empty */
    size_t rc_nslots;

    char (*country)[OL_IDEAL_CODE_MAX];
    size_t ncountry, capcountry;
    int32_t *c_slots; /* open addressing on the code, -1 empty */
    size_t c_nslots;
    int32_t last_country; /* votes arrive grouped: a one-entry cache */

    ideal_vote *votes;
    size_t nvotes, capvotes;

    ol_ideal_counts counts; /* what the builder saw: *_read, bad codes, unknown roll calls */
};

#endif
