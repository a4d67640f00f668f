/*
 * Internal: writing country-year indicator values (table indicator_values),
 * shared by the wb, wb-api, pwt and nmc importers.
 *
 * A value writer holds one prepared INSERT for the life of an import.  The
 * primary key (series, country, year, source) turns a second value for the
 * same country-year of a series in one file into a "duplicate" outcome the
 * importer reports as a reject; the statement-level failure leaves the open
 * transaction intact.
 */
#ifndef OL_IMPORT_VALUES_H
#define OL_IMPORT_VALUES_H

#include "import_internal.h"

struct sqlite3_stmt;

/* A key seen by ol_values_seen: a country code and a year. */
typedef struct ol_value_key {
    char country[OL_CODE_MAX];
    int year;
    int tag;   /* importer-defined, e.g. the COW number of the line */
} ol_value_key;

typedef struct ol_value_writer {
    ol_import_ctx *c;
    struct sqlite3_stmt *ins;
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

/* Reports a rejected record at the CSV reader's current record; returns what
 * ol_import_reject returns (OL_OK while within max_rejects). */
ol_status ol_import_reject_csv(ol_import_ctx *c, const ol_csv *r, ol_status code, long column,
                               const char *field, const char *fmt, ...) OL_PRINTF(6, 7);
/* World Bank API: when doc is the API's error object
 * ([{"message":[{"id","key","value"}]}]) writes "World Bank API error ID
 * (KEY): VALUE" into buf and returns OL_OK; else OL_ENOTFOUND. */
struct cJSON;
ol_status ol_wb_api_error_text(const struct cJSON *doc, char *buf, size_t n);
#endif
