/*
 * Internal: the one loader behind the built-in catalog (ol_catalog_ensure)
 * and users' imports (importer kind "events"), so both validate alike.
 */
#ifndef OL_CATALOG_INTERNAL_H
#define OL_CATALOG_INTERNAL_H

#include "orderlab/catalog.h"
#include "orderlab/countries.h"
#include "util/csvread.h"

typedef struct ol_catalog_load {
    ol_store *store;
    const ol_country_index *countries;
    const char *origin;      /* "builtin" | "user" */
    int64_t source_id;       /* the import's source; 0 for built-in rows (stored NULL) */
    ol_import_summary *sum;  /* rows read, kept and skipped are counted here (not NULL) */
    /* Called with each invalid record (file, line, column, field, message).
     * Returns OL_OK to leave the record out and go on, or the status to fail
     * with (err already filled).  NULL: the first invalid record fails. */
    ol_status (*reject)(void *ctx, const ol_error *rej);
    /* Called now and then; a non-OK status stops the load.  May be NULL. */
    ol_status (*progress)(void *ctx, const ol_csv *r);
    void *ctx;
} ol_catalog_load;

/*
 * Reads every record of r (header first) and inserts the valid ones into
 * `events`.  The caller holds a transaction and rolls back on failure.
 * Structural faults (no header, unknown or missing column) always fail.
 * For built-in loads, a record whose id a user row already holds is skipped
 * (counted in sum->rows_skipped): users' rows win.
 */
ol_status ol_catalog_load_csv(ol_catalog_load *ld, ol_csv *r, ol_error *err);

#endif
