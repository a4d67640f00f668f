/*
 * Internal: which rows of table ideal_points make an estimate, shared by
 * the comparison (ideal_compare.c) and Figure 4.2 (ideal_figure.c), so that
 * the two always read the same rows.
 *
 * An estimate is a name and a period kind ("session" or "year"); of the
 * imports or fits that stored it (origins), the newest counts: the largest
 * run_id, else the largest source_id.
 */
#ifndef OL_IDEAL_READ_INTERNAL_H
#define OL_IDEAL_READ_INTERNAL_H

#include "orderlab/store.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ol_ideal_origin {
    char period_kind[8];
    int64_t run_id, source_id;  /* 0 when none */
    size_t origins;             /* how many the store has for the name and kind */
    size_t rows;                /* rows of the newest */
} ol_ideal_origin;

/* 1 when k is NULL (not asked), "session" or "year". */
int ol_ideal_read_valid_kind(const char *k);

/* Finds the rows of estimate: want_kind or, when NULL, session if there are
 * session rows, else year.  where names the store in messages ("the
 * store").  OL_ENOTFOUND when the estimate (the message lists the store's
 * estimates) or the kind is missing. */
ol_status ol_ideal_read_origin(ol_store *s, const char *estimate, const char *want_kind, const char *where,
                               ol_ideal_origin *out, ol_error *err);

/* Binds ?1 estimate, ?2 period_kind, ?3 run_id (0 none), ?4 source_id of
 * the origin: statements select with
 *   WHERE estimate = ?1 AND period_kind = ?2 AND ifnull(run_id, 0) = ?3 AND ifnull(source_id, 0) = ?4 */
#define OL_IDEAL_READ_WHERE \
    "estimate = ?1 AND period_kind = ?2 AND ifnull(run_id, 0) = ?3 AND ifnull(source_id, 0) = ?4"
struct sqlite3_stmt;
void ol_ideal_read_bind(struct sqlite3_stmt *st, const char *estimate, const ol_ideal_origin *o);

#endif
