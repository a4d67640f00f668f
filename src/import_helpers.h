/*
 * Internal: helpers shared by the importers (src/import_*.c) on top of
 * import_internal.h: prepared statements, CSV headers and rejects, the page
 * cache of a large import, and the writer of country-year indicator values
 * (table indicator_values) used by the wb, wb-api, pwt and nmc importers.
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

/* Reports a rejected record at the CSV reader's current record (column
 * 1-based, as in ol_error); returns what ol_import_reject returns (OL_OK
 * while within max_rejects). */
ol_status ol_import_reject_csv(ol_import_ctx *c, const ol_csv *r, ol_status code, long column,
                               const char *field, const char *fmt, ...) OL_PRINTF(6, 7);

/* The same with code OL_EVALIDATE at 0-based column col. */
ol_status ol_import_reject_at(ol_import_ctx *c, const ol_csv *r, long col, const char *field,
                              const char *fmt, ...) OL_PRINTF(5, 6);

/* Rejects the current record of r as malformed (OL_EPARSE): its number of
 * fields is not the header's nheader.  Returns what ol_import_reject returns. */
ol_status ol_import_reject_width(ol_import_ctx *c, const ol_csv *r, size_t nheader);

/* Raises the page cache to OL_IMPORT_CACHE_KIB for a large import; *old
 * receives the previous setting for ol_import_cache_restore. */
void ol_import_cache_grow(ol_import_ctx *c, int64_t *old);
void ol_import_cache_restore(ol_import_ctx *c, int64_t old);

/* "source N (kind name, vintage V)", for messages about collisions. */
void ol_import_describe_source(ol_import_ctx *c, int64_t id, char *buf, size_t n);

/* Repairs text that was UTF-8, read as Latin-1 and written again as UTF-8
 * ("CÃ´te d'Ivoire" -> "Côte d'Ivoire"), in place; returns 1 when it did.
 * Text is left alone unless every character is below U+0100, some are above
 * U+007F, and the repaired bytes are valid UTF-8 with a multi-byte
 * character. */
int ol_import_fix_mojibake(char *s);

/* 1 when s is a missing value of a data file: empty or "NA". */
int ol_import_is_na(const char *s);

/* Country-year indicator values.  A value writer holds one prepared INSERT
 * for the life of an import.  The primary key (series, country, year, source)
 * turns a second value for the same country-year of a series in one file
 * into a "duplicate" outcome the importer reports as a reject; the
 * statement-level failure leaves the open transaction intact. */

/* A key seen by ol_values_seen: a country code and a year. */
typedef struct ol_value_key {
    char country[OL_CODE_MAX];
    int year;
    int tag;   /* importer-defined, e.g. the COW number of the line */
} ol_value_key;

typedef struct ol_value_writer {
    ol_import_ctx *c;
    sqlite3_stmt *ins;
    ol_value_key *seen;   /* open-addressing hash set, cap a power of two */
    size_t nseen, cap;
} ol_value_writer;

typedef enum ol_put_result {
    OL_PUT_OK = 0,
    OL_PUT_DUPLICATE = 1,   /* this series already has a value for the country-year */
    OL_PUT_FAILED = -1,     /* store error, c->err filled: fatal */
} ol_put_result;

ol_status ol_values_open(ol_import_ctx *c, ol_value_writer *w);
void ol_values_close(ol_value_writer *w);

/* Stores one value with the import's source id and vintage. */
ol_put_result ol_values_put(ol_value_writer *w, const char *series, const char *country,
                            int year, double value, const char *unit);
/* The same with flags (indicator_values.flag; NULL or "" for none). */
ol_put_result ol_values_put_flag(ol_value_writer *w, const char *series, const char *country,
                                 int year, double value, const char *unit, const char *flag);

/* Marks (country, year) as seen with tag; returns 1 when it was seen before
 * (*prev_tag, may be NULL, gets the tag it was seen with), 0 when new, -1
 * when out of memory (c->err filled).  Importers whose lines carry several
 * values call it before the first one, so that a repeated line is one
 * reject and none of its values is written.  Memory grows with the distinct
 * country-years of the file (tens of thousands), not its size. */
int ol_values_seen(ol_value_writer *w, const char *country, int year, int tag, int *prev_tag);

/* Deletes the values this import stored for (country, year) and gives the
 * key the new tag: a later line supersedes an earlier one.  Returns the
 * number of values deleted, or -1 on a store error (c->err filled). */
int64_t ol_values_supersede(ol_value_writer *w, const char *country, int year, int tag);

/* A column of a file with one line per country-year whose values become a
 * series (the pwt and nmc importers). */
typedef struct ol_value_column {
    const char *column;  /* CSV column */
    const char *code;    /* series code in the store */
    const char *name;
    const char *unit;
} ol_value_column;

/* Opens c->path (csv options may be NULL) for a file of such columns: reads
 * the header, maps the key columns to kidx and cols[i].column to vidx[i]
 * (0-based), registers each column's series with the given description and
 * opens w.  On failure *r is NULL and w is not open. */
ol_status ol_values_open_file(ol_import_ctx *c, const ol_csv_options *opt, const char *const *keys,
                              size_t nkeys, long *kidx, const ol_value_column *cols, size_t ncols,
                              long *vidx, const char *description, ol_csv **r, ol_value_writer *w);

/* The key of one record of an ISO3 country-year file (columns kidx: code,
 * name, year): checks the record's width against nheader, the year against
 * [ymin, ymax], resolves the ISO 3166 alpha-3 code (dated, else undated: ISO
 * codes are not reused) and rejects a country-year seen before (source names
 * the file in messages).  Returns OL_OK with *country and *year set, OL_OK
 * with *country NULL when the record was rejected (counted), or the status
 * that stops the import. */
ol_status ol_values_iso3_key(ol_value_writer *w, ol_import_ctx *c, const ol_csv *r, size_t nheader,
                             const long kidx[3], int ymin, int ymax, const char **country, int *year);

/* Stores the value of column col (at 0-based index vcol of r's record) for
 * country and year and counts it kept; a second value of that series for
 * the country-year is a reject.  Returns OL_OK, the reject's status (see
 * ol_import_reject) or a store error (c->err filled). */
ol_status ol_values_put_csv(ol_value_writer *w, const ol_csv *r, long vcol, const ol_value_column *col,
                            const char *country, int year, double value);

/* ------------------------------------------------------------ pairs
 * Values of a country and a partner by year (table pair_values): bilateral
 * trade (country USA, partner CHN) or contributions (country USA, partner
 * the organisation 'WHO').  One prepared INSERT and one UPDATE for the life of
 * an import. */
typedef struct ol_pair_writer {
    ol_import_ctx *c;
    sqlite3_stmt *ins, *add, *flag;
} ol_pair_writer;

ol_status ol_pairs_open(ol_import_ctx *c, ol_pair_writer *w);
void ol_pairs_close(ol_pair_writer *w);

/* Stores one value (flag NULL or "" for none).  A second value for the same
 * (series, country, partner, year) in this import is OL_PUT_DUPLICATE, which
 * the importer reports as a reject. */
ol_put_result ol_pairs_put(ol_pair_writer *w, const char *series, const char *country, const char *partner,
                           int year, double value, const char *unit, const char *flag);

/* Adds value to the one stored for the key, or stores it when there is none
 * (files that break a total into parts).  When it adds, flag_if_added (may
 * be NULL) is appended to the value's flags.  Returns OL_PUT_OK when it
 * stored a new value, OL_PUT_DUPLICATE when it added to one (not an error),
 * OL_PUT_FAILED on a store error (c->err filled). */
ol_put_result ol_pairs_add(ol_pair_writer *w, const char *series, const char *country, const char *partner,
                           int year, double value, const char *unit, const char *flag_if_added);

/* Appends flag to the flags of every value this import stored for year
 * (e.g. "partial:1-6" once a file shows that a year is incomplete).  Returns
 * the number of values flagged, or -1 on a store error (c->err filled). */
int64_t ol_pairs_flag_year(ol_pair_writer *w, int year, const char *flag);

/* ------------------------------------------------------------ names
 * Country names as one source prints them that the crosswalk's names do not
 * resolve, or resolve wrongly for some years: misprints of a transcription,
 * a name that meant another state in earlier years ("China" in the WHO scale
 * of 1963 is the Republic of China).  They are the built-in table
 * data/source_names.csv (source, name, code, start_year, end_year, note); an
 * empty code says the name has no entity in the crosswalk and its records
 * are skipped, with the note as the documented reason. */
typedef struct ol_source_names ol_source_names;

/* Loads the rows of source (e.g. "who") from the built-in table. */
ol_status ol_source_names_load(ol_import_ctx *c, const char *source, ol_source_names **out);
void ol_source_names_free(ol_source_names *t);

typedef enum ol_name_result {
    OL_NAME_FOUND = 0,   /* *code set */
    OL_NAME_SKIP,        /* the source table says: no entity (skip the record) */
    OL_NAME_UNKNOWN      /* neither the source table nor the crosswalk knows it (or it is ambiguous) */
} ol_name_result;

/* Resolves a name printed by the source for year (0 = any): the source's own
 * table first (an exact match of the trimmed name whose years include
 * year), then the crosswalk's names and aliases.  *code is owned by t or
 * by the import's country index. */
ol_name_result ol_source_names_resolve(const ol_import_ctx *c, const ol_source_names *t, const char *name,
                                       int year, const char **code);

/* World Bank API: when doc is the API's error object
 * ([{"message":[{"id","key","value"}]}]) writes "World Bank API error ID
 * (KEY): VALUE" into buf and returns OL_OK; else OL_ENOTFOUND. */
struct cJSON;
ol_status ol_wb_api_error_text(const struct cJSON *doc, char *buf, size_t n);
#endif
