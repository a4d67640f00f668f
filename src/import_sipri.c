/*
 * The `sipri` importer: the SIPRI Military Expenditure Database, either the
 * workbook itself (SIPRI-Milex-data-1949-2023.xlsx) or one of its sheets
 * saved as CSV.  Five sheets are read, one series each:
 *
 *   Current US$              sipri.milex_current   million current US$
 *   Constant (2022) US$      sipri.milex_constant  million constant 2022 US$
 *   Share of GDP             sipri.milex_gdp       fraction of GDP
 *   Per capita               sipri.milex_percap    current US$ per person
 *   Share of Govt. spending  sipri.milex_govt      fraction of government spending
 *
 * (the local-currency sheets, the regional totals and the footnotes are not
 * imported).  A sheet's table starts at its "Country" header row: a "Notes"
 * column and one column per year.  A row with a name and no values is a
 * region heading ("Africa"): skipped.  Countries resolve by name through
 * data/source_names.csv (source "sipri") and the crosswalk.
 *
 * SIPRI's markers, as PROVENANCE §9 and the sheets' own notes describe them:
 *   "..."  data unavailable: skipped (missing is never zero);
 *   "xxx"  the country did not exist or was not independent: skipped;
 *   blue figures are SIPRI estimates: flag "estimate";
 *   red figures are highly uncertain: flag "uncertain";
 *   the Notes column's symbols apply to the country's series and become
 *   flags too: † "excl-pensions" (excludes military pensions), ‡
 *   "current-only" (current spending only), § "budget" (adopted budget, not
 *   actual spending), ¶ "excl-paramilitary", ‖ "redenominated" (currency
 *   redenominated), and footnote numbers "fn:N" (the Footnotes sheet).
 * Colours exist only in the workbook: a CSV sheet carries no estimate flags.
 *
 * Zeros.  The current-US$ sheet prints 0 where SIPRI has no dollar figure
 * (the German Democratic Republic 1960-1989, the USSR's successors before
 * 1992...), while the constant-dollar sheet has a value; a few states truly
 * spend nothing (Costa Rica, Iceland, Panama), and there both sheets say 0.
 * So a 0 in the current-US$ or per-capita sheet is kept only when the
 * constant-dollar sheet of the same workbook also says 0 for that
 * country-year; otherwise it is skipped.  From a CSV sheet, which cannot be
 * checked, those zeros are skipped.
 *
 * Which sheet a CSV file is: --series (current, constant, share-gdp,
 * per-capita, share-govt), else its name (..._current_usd.csv,
 * ..._constant_2022_usd.csv, ..._share_of_gdp.csv, ..._per_capita.csv,
 * ..._share_of_govt_spending.csv).  Shares are not bounded by 1: Kuwait
 * spent 117 % of its GDP on its military in 1991.  A negative value is a
 * reject.
 */
#include "import_helpers.h"

#include "util/text.h"
#include "util/xlsx.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OL_SIPRI_YEAR_MIN = 1900, OL_SIPRI_YEAR_MAX = 2100, OL_SIPRI_PROGRESS_EVERY = 32 };
/* SIPRI's colours (font colours of the cells). */
static const long OL_SIPRI_ESTIMATE_RGB = 0x0000FF, OL_SIPRI_UNCERTAIN_RGB = 0xFF0000;

typedef enum { SH_CONSTANT, SH_CURRENT, SH_GDP, SH_PERCAP, SH_GOVT, NSHEETS } sheet_id;

typedef struct sheet_def {
    const char *key;        /* --series */
    const char *workbook;   /* the sheet's name in the workbook (prefix) */
    const char *file_hint;  /* part of a CSV file's name */
    const char *code, *name, *unit;
    int zero_needs_constant;
} sheet_def;

/* In reading order: the constant sheet first, for the zero check. */
static const sheet_def SHEETS[NSHEETS] = {
    {"constant", "Constant (", "constant", "sipri.milex_constant", "Military expenditure, constant US$ (SIPRI)",
     "million constant US$", 0},
    {"current", "Current US$", "current_usd", "sipri.milex_current", "Military expenditure, current US$ (SIPRI)",
     "million current US$", 1},
    {"share-gdp", "Share of GDP", "share_of_gdp", "sipri.milex_gdp", "Military expenditure as a share of GDP (SIPRI)",
     "fraction of GDP", 0},
    {"per-capita", "Per capita", "per_capita", "sipri.milex_percap", "Military expenditure per capita (SIPRI)",
     "current US$ per person", 1},
    {"share-govt", "Share of Govt. spending", "share_of_govt", "sipri.milex_govt",
     "Military expenditure as a share of government spending (SIPRI)", "fraction of government spending", 0},
};

/* One cell as both inputs give it. */
typedef struct scell { const char *text; long color; } scell;

typedef struct sipri_state {
    ol_import_ctx *c;
    const sheet_def *def;
    int sheet;
    char unit[64];           /* the sheet's unit (the constant sheet's base year filled in) */
    char file[OL_ERROR_PATH_MAX]; /* file label for rejects */
    int from_workbook;
    int have_header;
    long notes_col;          /* 0-based, -1 when none */
    int *year_of;            /* per 0-based column: the year, 0 when not a year column */
    size_t ncols;
    ol_value_writer *w;
    ol_source_names *names;
    sqlite3_stmt *constant;  /* the constant-dollar value stored by this import */
    long rows;
    ol_status st;
} sipri_state;

static ol_status reject(sipri_state *s, long line, long col0, const char *field, const char *fmt, ...)
    OL_PRINTF(5, 6);
static ol_status reject(sipri_state *s, long line, long col0, const char *field, const char *fmt, ...)
{
    char msg[OL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ol_error rej;
    ol_error_clear(&rej);
    ol_error_set(&rej, OL_EVALIDATE, s->file, line, col0 + 1, field, "%s", msg);
    return ol_import_reject(s->c, &rej);
}

/* Flags of the Notes cell: SIPRI's symbols and footnote numbers (cut short,
 * never overrun, when they do not fit n). */
static void notes_flags(const char *notes, char *out, size_t n)
{
    static const struct { const char *sym, *flag; } m[] = {
        {"\u2020", "excl-pensions"}, {"\u2021", "current-only"}, {"\u00a7", "budget"},
        {"\u00b6", "excl-paramilitary"}, {"\u2016", "redenominated"},
    };
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof m / sizeof m[0] && len + 1 < n; i++) {
        if (!strstr(notes, m[i].sym)) continue;
        int w = snprintf(out + len, n - len, "%s%s", len ? "," : "", m[i].flag);
        if (w < 0 || (size_t)w >= n - len) { out[len] = '\0'; return; }
        len += (size_t)w;
    }
    for (const char *p = notes; *p && len + 1 < n;) {
        if (!isdigit((unsigned char)*p)) { p++; continue; }
        const char *q = p;
        while (isdigit((unsigned char)*q)) q++;
        int w = snprintf(out + len, n - len, "%sfn:%.*s", len ? "," : "", (int)(q - p), p);
        if (w < 0 || (size_t)w >= n - len) { out[len] = '\0'; return; }
        len += (size_t)w;
        p = q;
    }
}

static void add_flag(char *flags, size_t n, const char *f)
{
    size_t len = strlen(flags);
    snprintf(flags + len, n - len, "%s%s", len ? "," : "", f);
}

/* The constant-dollar value this import stored for (country, year): 1 and
 * *v, or 0 when none. */
static int constant_value(sipri_state *s, const char *country, int year, double *v)
{
    if (!s->constant) return 0;
    sqlite3_reset(s->constant);
    sqlite3_bind_text(s->constant, 1, country, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s->constant, 2, year);
    int found = sqlite3_step(s->constant) == SQLITE_ROW;
    if (found) *v = sqlite3_column_double(s->constant, 0);
    sqlite3_reset(s->constant);
    return found;
}

static void read_header(sipri_state *s, const scell *cells, size_t n)
{
    free(s->year_of);
    s->year_of = calloc(n ? n : 1, sizeof *s->year_of);
    s->ncols = n;
    s->notes_col = -1;
    if (!s->year_of) { s->st = ol_error_set(s->c->err, OL_ENOMEM, s->file, 0, 0, NULL, "out of memory"); return; }
    for (size_t i = 1; i < n; i++) {
        char t[32];
        ol_trim_copy(t, sizeof t, cells[i].text);
        double y; /* a workbook stores the years as numbers: "1949.0" */
        if (strcmp(t, "Notes") == 0) s->notes_col = (long)i;
        else if (ol_parse_double(t, &y) && y == (double)(int)y && y >= OL_SIPRI_YEAR_MIN && y <= OL_SIPRI_YEAR_MAX)
            s->year_of[i] = (int)y;
    }
    s->have_header = 1;
}

/* One row of a sheet (cells indexed by 0-based column; n of them). */
static void process_row(sipri_state *s, long line, const scell *cells, size_t n)
{
    ol_import_ctx *c = s->c;
    if (s->st) return;
    if (++s->rows % OL_SIPRI_PROGRESS_EVERY == 0 && c->opt->progress &&
        c->opt->progress(c->opt->progress_ctx, (uint64_t)s->rows, 0)) {
        s->st = ol_error_set(c->err, OL_EINTERRUPTED, s->file, line, 0, NULL, "import interrupted; nothing was written");
        return;
    }
    char name[256];
    ol_trim_copy(name, sizeof name, n ? cells[0].text : "");
    if (!s->have_header) {
        if (strcmp(name, "Country") == 0) read_header(s, cells, n);
        return; /* title and note rows above the table */
    }
    int any = 0;
    for (size_t i = 1; i < n && i < s->ncols; i++)
        if (s->year_of[i] && !ol_is_blank(cells[i].text)) any = 1;
    if (!name[0] || !any) { ol_import_read(c); ol_import_skip(c); return; } /* a region heading or an empty row */

    const char *code = NULL;
    ol_name_result nr = ol_source_names_resolve(c, s->names, name, 0, &code);
    size_t nvalues = 0;
    for (size_t i = 1; i < s->ncols; i++) if (s->year_of[i]) nvalues++;
    if (nr == OL_NAME_SKIP) { c->sum->rows_read += (int64_t)nvalues; c->sum->rows_skipped += (int64_t)nvalues; return; }
    if (nr == OL_NAME_UNKNOWN) {
        ol_import_read(c);
        s->st = reject(s, line, 0, "Country",
                       "unknown or ambiguous country name '%s'; data/source_names.csv or a crosswalk alias can "
                       "add it (docs/countries.md)", name);
        return;
    }
    int dup = ol_values_seen(s->w, code, s->sheet, 0, NULL);
    if (dup < 0) { s->st = c->err ? c->err->code : OL_ENOMEM; return; }
    if (dup) {
        ol_import_read(c);
        s->st = reject(s, line, 0, "Country", "duplicate: a row for %s (%s) appears earlier in the sheet", name, code);
        return;
    }
    char notes[128] = "";
    if (s->notes_col >= 0 && (size_t)s->notes_col < n) notes_flags(cells[s->notes_col].text, notes, sizeof notes);
    for (size_t i = 1; i < s->ncols && !s->st; i++) {
        int year = s->year_of[i];
        if (!year) continue;
        ol_import_read(c);
        char t[64];
        ol_trim_copy(t, sizeof t, i < n ? cells[i].text : "");
        if (!t[0] || strcmp(t, "...") == 0 || strcmp(t, "xxx") == 0) { ol_import_skip(c); continue; }
        double v;
        char field[16];
        snprintf(field, sizeof field, "%d", year);
        if (!ol_parse_double(t, &v)) {
            s->st = reject(s, line, (long)i, field, "%s %d: not a number: '%s'", name, year, t);
            continue;
        }
        if (v < 0) {
            s->st = reject(s, line, (long)i, field, "%s %d: negative: '%s'", name, year, t);
            continue;
        }
        if (v == 0.0 && s->def->zero_needs_constant) {
            double k = 1.0;
            if (!(s->from_workbook && constant_value(s, code, year, &k) && k == 0.0)) {
                ol_import_skip(c); /* a zero the constant-dollar sheet does not confirm */
                continue;
            }
        }
        char flags[192];
        snprintf(flags, sizeof flags, "%s", notes);
        if (i < n && cells[i].color == OL_SIPRI_ESTIMATE_RGB) add_flag(flags, sizeof flags, "estimate");
        if (i < n && cells[i].color == OL_SIPRI_UNCERTAIN_RGB) add_flag(flags, sizeof flags, "uncertain");
        switch (ol_values_put_flag(s->w, s->def->code, code, year, v, s->unit, flags)) {
        case OL_PUT_OK: ol_import_keep(c); break;
        case OL_PUT_DUPLICATE:
            s->st = reject(s, line, (long)i, field, "duplicate: %s %d already has a value", code, year);
            break;
        default: s->st = c->err ? c->err->code : OL_ESTORE;
        }
    }
}

/* The constant sheet's unit, with its base year from "Constant (2022) US$"
 * or a file name "..._constant_2022_usd.csv". */
static void constant_unit(const char *text, char *unit, size_t n)
{
    const char *after = strstr(text, "onstant"); /* Constant or constant */
    for (const char *p = after ? after : text; *p; p++) {
        if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
            isdigit((unsigned char)p[3]) && !isdigit((unsigned char)p[4]) && (p == text || !isdigit((unsigned char)p[-1]))) {
            snprintf(unit, n, "million constant %.4s US$", p);
            return;
        }
    }
    snprintf(unit, n, "million constant US$");
}

static ol_status begin_sheet(sipri_state *s, int sheet, const char *label)
{
    s->def = &SHEETS[sheet];
    s->sheet = sheet;
    s->have_header = 0;
    s->rows = 0;
    if (sheet == SH_CONSTANT) constant_unit(label, s->unit, sizeof s->unit);
    else snprintf(s->unit, sizeof s->unit, "%s", s->def->unit);
    return ol_import_series(s->c, s->def->code, s->def->name, s->unit,
                            "SIPRI Military Expenditure Database; flags: estimate, uncertain (the workbook's "
                            "colours), Notes symbols (docs/importers.md)");
}

/* ------------------------------------------------------------ workbook */

static int workbook_row(void *ctx, long row, const ol_xlsx_cell *cells, size_t ncells)
{
    sipri_state *s = ctx;
    size_t n = 0;
    for (size_t i = 0; i < ncells; i++) if ((size_t)cells[i].col > n) n = (size_t)cells[i].col;
    scell *row_cells = calloc(n ? n : 1, sizeof *row_cells);
    if (!row_cells) { s->st = ol_error_set(s->c->err, OL_ENOMEM, s->file, row, 0, NULL, "out of memory"); return 1; }
    for (size_t i = 0; i < n; i++) row_cells[i] = (scell){"", OL_XLSX_NO_COLOR};
    for (size_t i = 0; i < ncells; i++)
        if (cells[i].col >= 1) row_cells[cells[i].col - 1] = (scell){cells[i].text, cells[i].color};
    process_row(s, row, row_cells, n);
    free(row_cells);
    return s->st != OL_OK;
}

static ol_status import_workbook(sipri_state *s)
{
    ol_xlsx *x = NULL;
    ol_status st = ol_xlsx_open(s->c->path, &x, s->c->err);
    if (st) return st;
    s->from_workbook = 1;
    int found = 0;
    for (int k = 0; k < NSHEETS && !st; k++) {
        const char *sheet = NULL;
        for (size_t i = 0; i < ol_xlsx_nsheets(x); i++) {
            const char *nm = ol_xlsx_sheet_name(x, i);
            if (strncmp(nm, SHEETS[k].workbook, strlen(SHEETS[k].workbook)) == 0) sheet = nm;
        }
        if (!sheet) continue;
        found++;
        snprintf(s->file, sizeof s->file, "%s (sheet %s)", s->c->path, sheet);
        st = begin_sheet(s, k, sheet);
        if (!st) {
            st = ol_xlsx_read_sheet(x, sheet, workbook_row, s, s->c->err);
            if (s->st) st = s->st;
        }
        if (!st && !s->have_header)
            st = ol_error_set(s->c->err, OL_EPARSE, s->file, 0, 0, NULL, "no 'Country' header row in the sheet");
    }
    if (!st && !found)
        st = ol_error_set(s->c->err, OL_EPARSE, s->c->path, 0, 0, NULL,
                          "not a SIPRI Military Expenditure workbook: none of its sheets is one orderlab reads "
                          "(Current US$, Constant (YYYY) US$, Share of GDP, Per capita, Share of Govt. spending)");
    ol_xlsx_close(x);
    return st;
}

/* ------------------------------------------------------------ CSV sheet */

static ol_status import_csv(sipri_state *s)
{
    ol_import_ctx *c = s->c;
    const char *base = strrchr(c->path, '/');
    base = base ? base + 1 : c->path;
    int sheet = -1;
    if (c->opt->series && c->opt->series[0]) {
        for (int k = 0; k < NSHEETS; k++) if (strcmp(SHEETS[k].key, c->opt->series) == 0) sheet = k;
        if (sheet < 0)
            return ol_error_set(c->err, OL_EINVAL, c->path, 0, 0, "series",
                                "unknown SIPRI sheet '%s' (current, constant, share-gdp, per-capita, share-govt)",
                                c->opt->series);
    } else {
        for (int k = 0; k < NSHEETS; k++) if (strstr(base, SHEETS[k].file_hint)) sheet = k;
        if (sheet < 0)
            return ol_error_set(c->err, OL_EINVAL, c->path, 0, 0, "series",
                                "cannot tell which SIPRI sheet this CSV is: name it with --series (current, "
                                "constant, share-gdp, per-capita, share-govt), or import the .xlsx workbook");
    }
    snprintf(s->file, sizeof s->file, "%s", c->path);
    ol_status st = begin_sheet(s, sheet, base);
    ol_csv *r = NULL;
    if (!st) st = ol_csv_open(c->path, NULL, &r, c->err);
    scell *cells = NULL;
    size_t cap = 0;
    int rc = 0;
    while (!st && (rc = ol_csv_next(r, c->err)) == 1) {
        size_t n = ol_csv_nfields(r);
        if (n > cap) {
            scell *nc = realloc(cells, n * sizeof *nc);
            if (!nc) { st = ol_error_set(c->err, OL_ENOMEM, c->path, 0, 0, NULL, "out of memory"); break; }
            cells = nc;
            cap = n;
        }
        for (size_t i = 0; i < n; i++) cells[i] = (scell){ol_csv_field(r, i), OL_XLSX_NO_COLOR};
        if (s->have_header && n != s->ncols) {
            ol_import_read(c);
            st = ol_import_reject_width(c, r, s->ncols);
            continue;
        }
        process_row(s, ol_csv_line(r), cells, n);
        st = s->st;
    }
    if (rc < 0 && !st) st = c->err ? c->err->code : OL_EPARSE;
    if (!st && !s->have_header)
        st = ol_error_set(c->err, OL_EPARSE, c->path, 1, 1, "Country", "no 'Country' header row: not a SIPRI sheet");
    free(cells);
    ol_csv_close(r);
    return st;
}

static int is_workbook(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    unsigned char sig[4] = {0};
    size_t n = fread(sig, 1, 4, f);
    fclose(f);
    return n == 4 && sig[0] == 'P' && sig[1] == 'K' && sig[2] == 3 && sig[3] == 4; /* a zip archive */
}

ol_status ol_import_sipri(ol_import_ctx *c)
{
    sipri_state s;
    memset(&s, 0, sizeof s);
    s.c = c;
    ol_value_writer w;
    ol_status st = ol_values_open(c, &w);
    if (st) return st;
    s.w = &w;
    st = ol_source_names_load(c, "sipri", &s.names);
    if (!st) st = ol_import_prepare(c, "SELECT value FROM indicator_values WHERE series = 'sipri.milex_constant' "
                                       "AND country = ?1 AND year = ?2 AND source_id = ?3", &s.constant);
    if (!st) sqlite3_bind_int64(s.constant, 3, c->source_id);
    if (!st) {
        /* ?3 stays bound across resets */
        st = is_workbook(c->path) ? import_workbook(&s) : import_csv(&s);
    }
    sqlite3_finalize(s.constant);
    ol_source_names_free(s.names);
    free(s.year_of);
    ol_values_close(&w);
    return st;
}
