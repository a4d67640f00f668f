/*
 * orderlab/store.h — the SQLite store, the one place data lives.
 *
 * One database file (default "orderlab.db" in the working directory) holds
 * every imported series, the built-in catalog and crosswalk, and model runs,
 * in tidy long tables documented in docs/store.md.  The schema version is
 * PRAGMA user_version; opening an older store migrates it forward in one
 * transaction, opening a newer one fails with OL_ESCHEMA.  The connection
 * runs in WAL mode with foreign keys on and a busy timeout, so that two
 * processes can share one file (one writer at a time).
 *
 * Ownership: an ol_store owns its SQLite connection.  It is not thread-safe;
 * use one ol_store per thread.  Strings returned by accessors are owned by
 * the store and live until ol_store_close().
 */
#ifndef ORDERLAB_STORE_H
#define ORDERLAB_STORE_H

#include "orderlab/common.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sqlite3;
typedef struct ol_store ol_store;

/* The schema version this build writes and understands. */
#define OL_STORE_SCHEMA_VERSION 3
/* Default file name when neither --db nor ORDERLAB_DB names one. */
#define OL_STORE_DEFAULT_PATH "orderlab.db"
/* Environment variable naming the store file. */
#define OL_STORE_ENV "ORDERLAB_DB"

enum ol_store_flags {
    OL_STORE_READWRITE = 0,  /* create the file if missing, migrate if old */
    OL_STORE_READONLY = 1,   /* fail if missing; never write */
};

/* The store path the CLI should use: explicit (non-NULL, non-empty) wins,
 * then $ORDERLAB_DB, then OL_STORE_DEFAULT_PATH.  Returns a pointer to one of
 * its inputs or to a static string; never NULL. */
OL_API const char *ol_store_resolve_path(const char *explicit_path, const char *env_value);

/* Opens (creating and migrating as needed) the store at path.  On success
 * *out owns the connection; free it with ol_store_close(). */
OL_API ol_status ol_store_open(const char *path, int flags, ol_store **out, ol_error *err);
OL_API void ol_store_close(ol_store *store);

OL_API const char *ol_store_path(const ol_store *store);
/* The SQLite connection, borrowed (for modules and for users who query). */
OL_API struct sqlite3 *ol_store_db(ol_store *store);
/* PRAGMA user_version of the open store. */
OL_API int ol_store_schema_version(ol_store *store);

/* Transactions.  begin takes the write lock at once (BEGIN IMMEDIATE) so that
 * a concurrent writer waits for the busy timeout instead of failing late.
 * Transactions do not nest: a second begin fails with OL_EINVAL. */
OL_API ol_status ol_store_begin(ol_store *store, ol_error *err);
OL_API ol_status ol_store_commit(ol_store *store, ol_error *err);
/* Rolls back if a transaction is open; safe to call when none is. */
OL_API void ol_store_rollback(ol_store *store);
OL_API int ol_store_in_transaction(const ol_store *store);

/* Runs SQL with no result rows (several statements allowed). */
OL_API ol_status ol_store_exec(ol_store *store, const char *sql, ol_error *err);

/* Records an SQLite failure of the store's connection in err, with what was
 * being done; returns OL_ESTORE (or OL_ENOMEM / OL_EINTERRUPTED as fits). */
OL_API ol_status ol_store_fail(ol_store *store, ol_error *err, const char *doing);

/* PRAGMA integrity_check; OL_OK when "ok". */
OL_API ol_status ol_store_check_integrity(ol_store *store, ol_error *err);

/* Number of rows in a table of the store (for summaries and tests). */
OL_API ol_status ol_store_count(ol_store *store, const char *table, int64_t *count, ol_error *err);

/* ------------------------------------------------------------ sources
 * Every imported row belongs to a source (kind, name, vintage).  Importing
 * the same (kind, name, vintage) again replaces it: ol_store_source_replace
 * deletes the old source and, through ON DELETE CASCADE, all its rows, then
 * inserts a fresh source row.  Call it inside a transaction. */
typedef struct ol_source_info {
    const char *kind;     /* importer kind, e.g. "wb", "pwt", "unvotes-votes" */
    const char *name;     /* dataset name within the kind, e.g. "NY.GDP.MKTP.CD" */
    const char *vintage;  /* release or download date, e.g. "2024-10-21" */
    const char *path;     /* file imported, may be NULL */
    const char *note;     /* free text, may be NULL */
} ol_source_info;

typedef struct ol_import_summary {
    int64_t rows_read;     /* data records read (header and preamble excluded) */
    int64_t rows_kept;     /* records stored */
    int64_t rows_skipped;  /* records left out by a documented rule (e.g. missing value) */
    int64_t rows_rejected; /* records refused as invalid (see the reject report) */
} ol_import_summary;

OL_API ol_status ol_store_source_replace(ol_store *store, const ol_source_info *info,
                                         int64_t *source_id, ol_error *err);
/* Writes the summary counts onto the source row. */
OL_API ol_status ol_store_source_finish(ol_store *store, int64_t source_id,
                                        const ol_import_summary *sum, ol_error *err);
/* Records one rejected input record for the reject report (table import_rejects). */
OL_API ol_status ol_store_source_reject(ol_store *store, int64_t source_id,
                                        const ol_error *reject, ol_error *err);

/* ------------------------------------------------------------ built-in data
 * Built-in tables (crosswalk, catalog) record the version they were loaded
 * at, so a newer program reloads them once.  Returns 1 in *current when the
 * store holds `name` at `version`. */
OL_API ol_status ol_store_builtin_current(ol_store *store, const char *name,
                                          const char *version, int *current, ol_error *err);
OL_API ol_status ol_store_builtin_mark(ol_store *store, const char *name,
                                       const char *version, ol_error *err);

#ifdef __cplusplus
}
#endif
#endif
