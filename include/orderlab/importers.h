/*
 * orderlab/importers.h — getting real data into the store, checked.
 *
 * `ol_import_file(store, "wb", "gdp.csv", ...)` streams the file (memory is
 * bounded by one record, never the file), validates every record, resolves
 * country codes through the crosswalk, and writes everything in ONE
 * transaction: a failed or interrupted import leaves the store as it was.
 * Each import is a source (kind, name, vintage); importing the same source and
 * vintage again replaces it (never duplicates).
 *
 * Records are counted as read, kept, skipped (left out by a documented rule,
 * e.g. an empty value cell or the "-9" missing code of COW) or rejected
 * (invalid: malformed number, unknown country code, duplicate key...).  Each
 * reject is reported through on_reject with file, line, column and field and
 * stored in import_rejects.  When the rejects exceed max_rejects the import
 * fails with the first reject's error and nothing is written.  Structural
 * faults (unreadable file, bad encoding, malformed CSV, missing column) always
 * fail the import.
 *
 * Kinds (ol_import_kinds() lists them with descriptions; docs/importers.md
 * documents layouts, series codes and documented skips):
 *   wb            World Bank CSV, long (Country Name,Country Code,Year,Value)
 *                 or wide API_*.csv with its preamble
 *   pwt           Penn World Table CSV (Latin-1 converted to UTF-8)
 *   nmc           COW National Material Capabilities CSV
 *   unvotes-rollcalls, unvotes-votes, unvotes-issues
 *                 UN General Assembly roll calls, votes, issue tags (unvotes layout)
 *   idealpoints   published Bailey-Strezhnev-Voeten UNGA ideal points
 *                 (session-based 2024 or calendar-year 2025 layout)
 *   cow-igo       COW IGO igo-year layout (igo_year_format3.csv)
 *   cow-igo-state COW IGO state-year layout (state_year_format3.csv)
 *   events        users' own exit events (the catalog's CSV layout)
 *   wb-api        World Bank API v2 JSON responses (as `orderlab fetch wdi`
 *                 saves them; fetch.h)
 *   maddison      Maddison Project Database, sheet "Full data" as CSV
 *   census-trade  US Census Bureau trade in goods by partner (pair values;
 *                 partial years flagged)
 *   un-finance    CEB revenue: donor contributions, the government-donor
 *                 export, revenue by entity (pair values)
 *   who           one WHO scale of assessments (WHAnn.tsv)
 *   imf           IMF voting power or quota shares: a snapshot whose date
 *                 opt->vintage must give
 *   sipri         SIPRI military expenditure: the .xlsx workbook (estimates
 *                 flagged from its colours) or one sheet as CSV
 *
 * Files with several values per line (wb wide, pwt, nmc, maddison, sipri,
 * imf quotas; census-trade: the annual imports and exports) count each value
 * as a record; a line refused as a whole (unknown country, bad year,
 * repeated line) counts once.  Every record read is kept, skipped or
 * rejected.
 *
 * Ownership: options and summaries are caller-owned plain structs.
 */
#ifndef ORDERLAB_IMPORTERS_H
#define ORDERLAB_IMPORTERS_H

#include "orderlab/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*ol_reject_fn)(void *ctx, const ol_error *reject);

typedef struct ol_import_options {
    const char *vintage;       /* NULL: a date the file states, else its modification date,
                                  YYYY-MM-DD (UTC); required by imf (the snapshot's date) */
    const char *series;        /* kind-specific: the WB indicator code when the long layout
                                  does not name it (default NY.GDP.MKTP.CD); the sheet of a
                                  SIPRI CSV (current, constant, share-gdp, per-capita,
                                  share-govt); the resolution of a WHO scale (WHA15...) */
    int64_t max_rejects;       /* rejects tolerated before failing; 0 = none, -1 = any */
    ol_progress_fn progress;   /* may be NULL */
    void *progress_ctx;
    ol_reject_fn on_reject;    /* may be NULL */
    void *reject_ctx;
} ol_import_options;

/* Fills *opt with the defaults (strict: max_rejects 0). */
OL_API void ol_import_options_init(ol_import_options *opt);

typedef struct ol_import_kind_info {
    const char *name;
    const char *description;
} ol_import_kind_info;

/* The known kinds, terminated by {NULL, NULL}. */
OL_API const ol_import_kind_info *ol_import_kinds(void);

/*
 * Imports one file of the given kind.  sum (may be NULL) receives the counts
 * even on failure (what was read before the fault).  On failure the store is
 * unchanged.  The source id of a successful import goes to *source_id (may be
 * NULL).
 */
OL_API ol_status ol_import_file(ol_store *store, const char *kind, const char *path,
                                const ol_import_options *opt, ol_import_summary *sum,
                                int64_t *source_id, ol_error *err);

#ifdef __cplusplus
}
#endif
#endif
