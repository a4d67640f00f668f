/* Internal: strict parsing of numbers and text checks used by the importers.
 * Every parser rejects trailing garbage, empty input and overflow. */
#ifndef OL_UTIL_TEXT_H
#define OL_UTIL_TEXT_H
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

/* 1 and *out set when s (after trimming ASCII spaces) is a whole decimal
 * integer in range; 0 otherwise. */
int ol_parse_int64(const char *s, int64_t *out);
int ol_parse_int(const char *s, int *out);
/* 1 and *out set when s is a finite decimal number ("1e3", "-0.5"); 0 for
 * empty, "NA", "nan", "inf" or trailing text. */
int ol_parse_double(const char *s, double *out);
/* As ol_parse_double, or a fraction "a/b" of two such numbers (b != 0; the
 * paper's 2/3), for files people write by hand. */
int ol_parse_real(const char *s, double *out);
/* 1 when s is empty or only ASCII spaces. */
int ol_is_blank(const char *s);
/* 1 when the n bytes at s are valid UTF-8; else 0 and *bad_offset set to the
 * first bad byte. */
int ol_utf8_valid(const char *s, size_t n, size_t *bad_offset);
/* Copies s into dst (size bytes), trimming ASCII spaces at both ends. */
void ol_trim_copy(char *dst, size_t size, const char *s);
/* 1 when s is an ISO date YYYY-MM-DD (a real calendar day) or YYYY-MM or YYYY. */
int ol_iso_date_valid(const char *s);
/* The year of an ISO date (YYYY, YYYY-MM, YYYY-MM-DD): its first four
 * characters as a number; 0 when s is NULL, shorter, or not a number there. */
int ol_iso_date_year(const char *s);
/* The fewest significant digits (15, 16 or 17) that read back as x, so that
 * a value round-trips through a text file; "" for a non-finite x. */
void ol_fmt_double(char *buf, size_t size, double x);
/* Writes s as one CSV field, quoted when it must be (RFC 4180); NULL as empty. */
void ol_csv_put(FILE *f, const char *s);
#endif
