/*
 * Internal: small helpers shared by the UNGA, ideal-point and COW IGO
 * importers (src/import_unvotes.c, src/import_idealpoints.c,
 * src/import_cow_igo.c) on top of import_internal.h.
 */
#ifndef OL_IMPORT_HELPERS_H
#define OL_IMPORT_HELPERS_H

#include "import_internal.h"

#include <sqlite3.h>

/* Records between progress reports: often enough for a smooth bar, rarely
 * enough to cost nothing. */
enum { OL_IMPORT_PROGRESS_EVERY = 8192 };

/* Page cache for the duration of a large import, in KiB: the tables and
 * indexes being filled stay in memory until the commit instead of spilling
 * to the WAL mid-transaction.  SQLite allocates pages only as it needs them,
 * so a small import uses no more memory than before. */
enum { OL_IMPORT_CACHE_KIB = 262144 };

/* Prepares a statement that lives for the whole import. */
ol_status ol_import_prepare(ol_import_ctx *c, const char *sql, sqlite3_stmt **st);

/* Steps an INSERT and resets it.  Returns 1 when stored, 0 on a duplicate key
 * (PRIMARY KEY or UNIQUE), -1 on any other failure (c->err filled). */
int ol_import_insert(ol_import_ctx *c, sqlite3_stmt *st, const char *doing);

/* Opens c->path (csv options may be NULL), reads the header and maps the
 * required names to 0-based field indices.  On failure *r is NULL. */
ol_status ol_import_open_csv(ol_import_ctx *c, const ol_csv_options *opt, const char *const *names,
                             size_t n, long *idx, ol_csv **r);

/* Records a reject for the current record of r at 0-based column col;
 * returns non-zero when the import must stop (see ol_import_reject). */
ol_status ol_import_reject_at(ol_import_ctx *c, const ol_csv *r, long col, const char *field,
                              const char *fmt, ...) OL_PRINTF(5, 6);

/* Raises the page cache to OL_IMPORT_CACHE_KIB for a large import; *old
 * receives the previous setting for ol_import_cache_restore. */
void ol_import_cache_grow(ol_import_ctx *c, int64_t *old);
void ol_import_cache_restore(ol_import_ctx *c, int64_t old);

/* "source N (kind name, vintage V)", for messages about collisions. */
void ol_import_describe_source(ol_import_ctx *c, int64_t id, char *buf, size_t n);

/* 1 when s is a missing value of a data file: empty or "NA". */
int ol_import_is_na(const char *s);
#endif
