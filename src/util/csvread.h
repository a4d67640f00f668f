/*
 * Internal: a streaming CSV record reader on top of libcsv (RFC 4180 with
 * strict quoting).  Memory is bounded by the longest record, never the file.
 * Every record knows the physical line it starts on, so importers can report
 * file:line:column.  Input is checked to be UTF-8 (a BOM is dropped) or
 * converted to UTF-8 from another encoding with iconv (e.g. "ISO-8859-1" for
 * the Penn World Table).
 */
#ifndef OL_UTIL_CSVREAD_H
#define OL_UTIL_CSVREAD_H

#include "orderlab/common.h"

#include <stdint.h>

typedef struct ol_csv ol_csv;

typedef struct ol_csv_options {
    char delimiter;        /* ',' when 0 */
    const char *encoding;  /* NULL or "UTF-8": validate; else iconv from this */
} ol_csv_options;

/* Opens path for reading.  opt may be NULL. */
ol_status ol_csv_open(const char *path, const ol_csv_options *opt, ol_csv **out, ol_error *err);
/* Reads from an already open stream (not closed by ol_csv_close); name is
 * used in messages. */
ol_status ol_csv_open_stream(void *file, const char *name, const ol_csv_options *opt,
                             ol_csv **out, ol_error *err);
void ol_csv_close(ol_csv *r);

/* Reads the next record.  Returns 1 when a record is ready, 0 at the end of
 * the input, -1 on error (err filled with file, line and column). */
int ol_csv_next(ol_csv *r, ol_error *err);

size_t ol_csv_nfields(const ol_csv *r);
/* Field i (0-based) of the current record, NUL-terminated UTF-8; "" when i is
 * past the end.  Valid until the next call to ol_csv_next. */
const char *ol_csv_field(const ol_csv *r, size_t i);
size_t ol_csv_field_len(const ol_csv *r, size_t i);
/* Physical line (1-based) on which the current record starts. */
long ol_csv_line(const ol_csv *r);
const char *ol_csv_name(const ol_csv *r);
/* Bytes consumed so far and the file size (0 if unknown), for progress. */
uint64_t ol_csv_bytes_read(const ol_csv *r);
uint64_t ol_csv_bytes_total(const ol_csv *r);

/* Index of the field equal to name in the current record (a header), or -1. */
long ol_csv_find(const ol_csv *r, const char *name);

/*
 * Maps required header names to field indices.  On a missing column returns
 * OL_EPARSE naming the file, the header line and the column name, and lists
 * the columns found.
 */
ol_status ol_csv_require(const ol_csv *r, const char *const *names, size_t n, long *idx, ol_error *err);

/* Fills err with the current record's file and line, the given 1-based
 * column and field name; returns code. */
ol_status ol_csv_error(const ol_csv *r, ol_error *err, ol_status code, long column,
                       const char *field, const char *fmt, ...) OL_PRINTF(6, 7);
#endif
