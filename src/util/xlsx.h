/*
 * Internal: a small reader of Office Open XML workbooks (.xlsx), for the
 * sources that publish their data as a workbook and put meaning in cell
 * formats (SIPRI marks estimates in blue and uncertain figures in red).
 *
 * An .xlsx file is a zip archive of XML parts.  libzip reads the archive
 * (and checks each part's CRC) and expat parses the XML: the workbook (sheet names), its relationships (which part holds a
 * sheet), the shared strings, the cell styles (each cell's font colour) and,
 * streamed, the cells of one sheet.  Memory is bounded by the shared strings,
 * the styles and one row of cells, never the sheet.  Supported: stored and
 * deflated parts, shared, inline and formula-result strings, numbers,
 * booleans, font colours given as RGB or as an index into the legacy
 * palette.  Not supported (OL_EUNSUPPORTED): encrypted archives.
 * Theme colours are reported as unknown (-1).
 *
 * Ownership: an ol_xlsx owns its archive handle and tables; cell texts passed
 * to a callback live until the callback returns.
 */
#ifndef OL_UTIL_XLSX_H
#define OL_UTIL_XLSX_H

#include "orderlab/common.h"

typedef struct ol_xlsx ol_xlsx;

/* Opens the workbook and reads its sheet list, shared strings and styles. */
ol_status ol_xlsx_open(const char *path, ol_xlsx **out, ol_error *err);
void ol_xlsx_close(ol_xlsx *x);

size_t ol_xlsx_nsheets(const ol_xlsx *x);
/* Name of sheet i (0-based, in workbook order). */
const char *ol_xlsx_sheet_name(const ol_xlsx *x, size_t i);

/* No colour: the cell's font has none, or a theme colour. */
#define OL_XLSX_NO_COLOR (-1L)

typedef struct ol_xlsx_cell {
    long col;           /* 1-based column (A = 1) */
    const char *text;   /* the value as text: strings resolved, numbers as stored ("1949", "0.034") */
    long color;         /* font colour 0xRRGGBB, or OL_XLSX_NO_COLOR */
} ol_xlsx_cell;

/* Called once per row that has cells, in sheet order; cells are in column
 * order.  A non-zero return stops the reading (ol_xlsx_read_sheet then
 * returns OL_EINTERRUPTED unless the callback filled err with its own
 * code: it returns err->code when that is set). */
typedef int (*ol_xlsx_row_fn)(void *ctx, long row, const ol_xlsx_cell *cells, size_t ncells);

/* Streams the rows of the sheet called name.  OL_ENOTFOUND when there is no
 * such sheet; OL_EPARSE for a damaged part (the message names it). */
ol_status ol_xlsx_read_sheet(ol_xlsx *x, const char *name, ol_xlsx_row_fn fn, void *ctx, ol_error *err);
#endif
