/*
 * Internal: the machinery every importer shares — one transaction, the source
 * row, reject counting and reporting, progress, series registration, and the
 * crosswalk index for country codes.
 *
 * An importer function has the signature ol_import_fn and is listed in the
 * kind table in src/importers.c.  It is called inside an open transaction
 * with the source row already created; it reads the file, calls
 * ol_import_keep / ol_import_skip / ol_import_reject for every data record,
 * and returns OL_OK or a fatal error (the caller then rolls back).
 */
#ifndef OL_IMPORT_INTERNAL_H
#define OL_IMPORT_INTERNAL_H

#include "orderlab/countries.h"
#include "orderlab/importers.h"
#include "util/csvread.h"

typedef struct ol_import_ctx {
    ol_store *store;
    const ol_import_options *opt;
    ol_import_summary *sum;
    int64_t source_id;
    const char *path;
    const char *kind;
    char vintage[64];
    ol_country_index *countries;  /* loaded before the importer runs */
    ol_error first_reject;        /* kept to fail with when max_rejects is exceeded */
    ol_error *err;
} ol_import_ctx;

typedef ol_status (*ol_import_fn)(ol_import_ctx *ctx);

/* Counts a record read / kept / skipped. */
static inline void ol_import_read(ol_import_ctx *c) { c->sum->rows_read++; }
static inline void ol_import_keep(ol_import_ctx *c) { c->sum->rows_kept++; }
static inline void ol_import_skip(ol_import_ctx *c) { c->sum->rows_skipped++; }

/* Counts and records a rejected record (rej carries file, line, column, field,
 * message).  Returns OL_OK while within max_rejects, else the reject's code
 * (and err is filled with it) — the importer must then return that code. */
ol_status ol_import_reject(ol_import_ctx *c, const ol_error *rej);

/* Reports progress from a CSV reader's position; returns OL_EINTERRUPTED
 * (err filled) when the callback asks to stop. */
ol_status ol_import_progress(ol_import_ctx *c, const ol_csv *r);

/* Registers (or updates) a series: code, name, unit, description. */
ol_status ol_import_series(ol_import_ctx *c, const char *code, const char *name,
                           const char *unit, const char *description);

/* Registers a series of pair values (table pair_values) and what its partner
 * is: "country" (an orderlab code) or "organisation" (a code as the source
 * writes it, e.g. "WHO"). */
ol_status ol_import_pair_series(ol_import_ctx *c, const char *code, const char *name, const char *unit,
                                const char *description, const char *partner_kind);

/* Renames this import's source (when the file names its dataset, e.g. the
 * indicator of a WB wide file). */
ol_status ol_import_rename_source(ol_import_ctx *c, const char *name);

/* Changes this import's vintage (when the file states its own, e.g. the "Last
 * Updated Date" of a WB wide file or the API's lastupdated); an earlier
 * import of the same dataset at that vintage is replaced.  Call before
 * writing rows, which carry c->vintage. */
ol_status ol_import_set_vintage(ol_import_ctx *c, const char *vintage);

/* ol_import_file, recording recorded_path (e.g. a download URL) as the
 * source's path and name instead of path (e.g. a temporary file). */
ol_status ol_import_file_as(ol_store *store, const char *kind, const char *path,
                            const char *recorded_path, const ol_import_options *opt,
                            ol_import_summary *sum, int64_t *source_id, ol_error *err);

/* Importer functions, one per kind (src/import_*.c). */
ol_status ol_import_wb(ol_import_ctx *c);
ol_status ol_import_pwt(ol_import_ctx *c);
ol_status ol_import_nmc(ol_import_ctx *c);
ol_status ol_import_unvotes_rollcalls(ol_import_ctx *c);
ol_status ol_import_unvotes_votes(ol_import_ctx *c);
ol_status ol_import_unvotes_issues(ol_import_ctx *c);
ol_status ol_import_idealpoints(ol_import_ctx *c);
ol_status ol_import_cow_igo(ol_import_ctx *c);
ol_status ol_import_cow_igo_state(ol_import_ctx *c);
ol_status ol_import_events(ol_import_ctx *c);
ol_status ol_import_wb_api(ol_import_ctx *c);
ol_status ol_import_maddison(ol_import_ctx *c);
ol_status ol_import_census_trade(ol_import_ctx *c);
ol_status ol_import_un_finance(ol_import_ctx *c);
ol_status ol_import_who(ol_import_ctx *c);
ol_status ol_import_imf(ol_import_ctx *c);
ol_status ol_import_sipri(ol_import_ctx *c);
#endif
