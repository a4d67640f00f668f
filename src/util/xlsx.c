/* A small .xlsx reader: libzip + expat (see xlsx.h). */
#include "util/xlsx.h"

#include <expat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

enum { CHUNK = 65536 };
/* Parts whose whole text is read into memory must stay below this. */
static const zip_uint64_t SMALL_PART_MAX = 64u << 20;

/* The legacy indexed palette of SpreadsheetML (ECMA-376 Part 1, 18.8.27). */
static const uint32_t PALETTE[64] = {
    0x000000, 0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0xFF00FF, 0x00FFFF,
    0x000000, 0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0xFF00FF, 0x00FFFF,
    0x800000, 0x008000, 0x000080, 0x808000, 0x800080, 0x008080, 0xC0C0C0, 0x808080,
    0x9999FF, 0x993366, 0xFFFFCC, 0xCCFFFF, 0x660066, 0xFF8080, 0x0066CC, 0xCCCCFF,
    0x000080, 0xFF00FF, 0xFFFF00, 0x00FFFF, 0x800080, 0x800000, 0x008080, 0x0000FF,
    0x00CCFF, 0xCCFFFF, 0xCCFFCC, 0xFFFF99, 0x99CCFF, 0xFF99CC, 0xCC99FF, 0xFFCC99,
    0x3366FF, 0x33CCCC, 0x99CC00, 0xFFCC00, 0xFF9900, 0xFF6600, 0x666699, 0x969696,
    0x003366, 0x339966, 0x003300, 0x333300, 0x993300, 0x993366, 0x333399, 0x333333,
};

typedef struct sheet_ref { char *name, *rid, *part; } sheet_ref;

struct ol_xlsx {
    zip_t *zip;
    char *path;
    sheet_ref *sheets;
    size_t nsheets;
    char **strings;   /* shared strings */
    size_t nstrings;
    long *xf_color;   /* cellXfs index -> colour */
    size_t nxf;
};

/* ------------------------------------------------------------ zip */

/* libzip's error as one of ours: encryption and unknown compression are
 * refused as unsupported, a failing CRC is damage, the rest is "not a zip". */
static ol_status zip_fail(const ol_xlsx *x, ol_error *err, zip_error_t *ze, const char *part)
{
    int code = zip_error_code_zip(ze);
    const char *why = zip_error_strerror(ze);
    switch (code) {
    case ZIP_ER_NOPASSWD: case ZIP_ER_WRONGPASSWD: case ZIP_ER_ENCRNOTSUPP:
        return ol_error_set(err, OL_EUNSUPPORTED, x->path, 0, 0, part, "encrypted workbooks are not supported");
    case ZIP_ER_COMPNOTSUPP:
        return ol_error_set(err, OL_EUNSUPPORTED, x->path, 0, 0, part, "the part's zip compression is not supported");
    case ZIP_ER_CRC:
        return ol_error_set(err, OL_EPARSE, x->path, 0, 0, part, "part fails its CRC or size check: the file is damaged");
    case ZIP_ER_MEMORY:
        return ol_error_set(err, OL_ENOMEM, x->path, 0, 0, part, "out of memory");
    case ZIP_ER_OPEN: case ZIP_ER_NOENT: case ZIP_ER_READ:
        return ol_error_set(err, OL_EIO, x->path, 0, 0, part, "cannot read the workbook: %s", why);
    default:
        return ol_error_set(err, OL_EPARSE, x->path, 0, 0, part, "not a readable .xlsx (zip) file: %s", why);
    }
}

/* The index of the part called name, or -1. */
static zip_int64_t find_entry(const ol_xlsx *x, const char *name)
{
    return zip_name_locate(x->zip, name, 0);
}

typedef ol_status (*sink_fn)(void *ctx, const char *data, size_t n, int last, ol_error *err);

/* Reads part i, inflated, and hands the bytes to sink in chunks; the last
 * call has last = 1.  libzip checks the CRC-32 when the part ends. */
static ol_status stream_entry(ol_xlsx *x, zip_int64_t i, const char *part, sink_fn sink, void *ctx, ol_error *err)
{
    zip_file_t *zf = zip_fopen_index(x->zip, (zip_uint64_t)i, 0);
    if (!zf) return zip_fail(x, err, zip_get_error(x->zip), part);
    char *buf = malloc(CHUNK);
    ol_status st = buf ? OL_OK : ol_error_set(err, OL_ENOMEM, x->path, 0, 0, NULL, "out of memory");
    while (!st) {
        zip_int64_t n = zip_fread(zf, buf, CHUNK);
        if (n < 0) { st = zip_fail(x, err, zip_file_get_error(zf), part); break; }
        st = sink(ctx, buf, (size_t)n, n == 0, err);
        if (n == 0) break;
    }
    zip_fclose(zf);
    free(buf);
    return st;
}

/* ------------------------------------------------------------ XML */

/* Expat with namespaces: names arrive as "URI|local"; this gives local. */
static const char *local(const char *name)
{
    const char *bar = strrchr(name, '|');
    return bar ? bar + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(local(atts[i]), name) == 0) return atts[i + 1];
    return NULL;
}

typedef struct text_buf { char *s; size_t n, cap; int oom; } text_buf;

static void tb_add(text_buf *b, const char *s, size_t n)
{
    if (b->oom) return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->n + n + 1) cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) { b->oom = 1; return; }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void tb_clear(text_buf *b) { b->n = 0; if (b->s) b->s[0] = '\0'; }

typedef struct xml_sink { XML_Parser p; const ol_xlsx *x; const char *part; } xml_sink;

static ol_status xml_feed(void *ctx, const char *data, size_t n, int last, ol_error *err)
{
    xml_sink *s = ctx;
    if (XML_Parse(s->p, data, (int)n, last) == XML_STATUS_ERROR) {
        if (XML_GetErrorCode(s->p) == XML_ERROR_ABORTED) return err && err->code ? err->code : OL_EINTERRUPTED;
        return ol_error_set(err, OL_EPARSE, s->x->path, (long)XML_GetCurrentLineNumber(s->p),
                            (long)XML_GetCurrentColumnNumber(s->p) + 1, s->part, "XML error: %s",
                            XML_ErrorString(XML_GetErrorCode(s->p)));
    }
    return OL_OK;
}

/* Parses part with the given handlers and user data; a missing part is
 * OL_EPARSE unless optional (then OL_OK with nothing parsed). */
static ol_status parse_part(ol_xlsx *x, const char *part, int optional, XML_StartElementHandler start,
                            XML_EndElementHandler end, XML_CharacterDataHandler chars, void *ud, ol_error *err)
{
    zip_int64_t e = find_entry(x, part);
    if (e < 0) {
        if (optional) return OL_OK;
        return ol_error_set(err, OL_EPARSE, x->path, 0, 0, part, "not a workbook: the part %s is missing", part);
    }
    zip_stat_t zs;
    if (zip_stat_index(x->zip, (zip_uint64_t)e, 0, &zs) != 0) return zip_fail(x, err, zip_get_error(x->zip), part);
    if ((zs.valid & ZIP_STAT_SIZE) && zs.size > SMALL_PART_MAX && !chars)
        return ol_error_set(err, OL_EUNSUPPORTED, x->path, 0, 0, part, "the part is larger than %llu bytes",
                            (unsigned long long)SMALL_PART_MAX);
    XML_Parser p = XML_ParserCreateNS(NULL, '|');
    if (!p) return ol_error_set(err, OL_ENOMEM, x->path, 0, 0, NULL, "out of memory");
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, start, end);
    if (chars) XML_SetCharacterDataHandler(p, chars);
    xml_sink s = {p, x, part};
    ol_status st = stream_entry(x, e, part, xml_feed, &s, err);
    XML_ParserFree(p);
    return st;
}

/* ---- workbook and relationships */

typedef struct wb_state { ol_xlsx *x; int oom; } wb_state;

static char *dup_str(const char *s) { return s ? strdup(s) : NULL; }

static void XMLCALL wb_start(void *ud, const char *name, const char **atts)
{
    wb_state *w = ud;
    if (strcmp(local(name), "sheet") != 0) return;
    const char *nm = attr(atts, "name"), *rid = NULL;
    for (size_t i = 0; atts[i]; i += 2)
        if (strchr(atts[i], '|') && strcmp(local(atts[i]), "id") == 0) rid = atts[i + 1];
    if (!nm || !rid) return;
    sheet_ref *ns = realloc(w->x->sheets, (w->x->nsheets + 1) * sizeof *ns);
    if (!ns) { w->oom = 1; return; }
    w->x->sheets = ns;
    sheet_ref *r = &ns[w->x->nsheets];
    r->name = dup_str(nm);
    r->rid = dup_str(rid);
    r->part = NULL;
    if (!r->name || !r->rid) { free(r->name); free(r->rid); w->oom = 1; return; }
    w->x->nsheets++;
}

static void XMLCALL no_end(void *ud, const char *name) { (void)ud; (void)name; }

static void XMLCALL rel_start(void *ud, const char *name, const char **atts)
{
    wb_state *w = ud;
    if (strcmp(local(name), "Relationship") != 0) return;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
    if (!id || !target) return;
    for (size_t i = 0; i < w->x->nsheets; i++) {
        sheet_ref *r = &w->x->sheets[i];
        if (strcmp(r->rid, id) != 0 || r->part) continue;
        size_t n = strlen(target) + 4;
        r->part = malloc(n);
        if (!r->part) { w->oom = 1; return; }
        /* targets are relative to xl/, or absolute from the archive's root */
        if (target[0] == '/') snprintf(r->part, n, "%s", target + 1);
        else snprintf(r->part, n, "xl/%s", target);
    }
}

/* ---- shared strings: the text of every <t> in an <si>, except phonetic runs */

typedef struct sst_state { ol_xlsx *x; text_buf cur; int in_t, in_rph; size_t cap; int oom; } sst_state;

static void XMLCALL sst_start(void *ud, const char *name, const char **atts)
{
    (void)atts;
    sst_state *s = ud;
    const char *l = local(name);
    if (strcmp(l, "si") == 0) tb_clear(&s->cur);
    else if (strcmp(l, "rPh") == 0) s->in_rph = 1;
    else if (strcmp(l, "t") == 0 && !s->in_rph) s->in_t = 1;
}

static void XMLCALL sst_end(void *ud, const char *name)
{
    sst_state *s = ud;
    const char *l = local(name);
    if (strcmp(l, "t") == 0) s->in_t = 0;
    else if (strcmp(l, "rPh") == 0) s->in_rph = 0;
    else if (strcmp(l, "si") == 0) {
        if (s->x->nstrings == s->cap) {
            size_t nc = s->cap ? s->cap * 2 : 256;
            char **ns = realloc(s->x->strings, nc * sizeof *ns);
            if (!ns) { s->oom = 1; return; }
            s->x->strings = ns;
            s->cap = nc;
        }
        char *t = strdup(s->cur.s ? s->cur.s : "");
        if (!t) { s->oom = 1; return; }
        s->x->strings[s->x->nstrings++] = t;
    }
}

static void XMLCALL sst_chars(void *ud, const char *s, int len)
{
    sst_state *st = ud;
    if (st->in_t) tb_add(&st->cur, s, (size_t)len);
}

/* ---- styles: font colours, then cellXfs -> font */

typedef struct sty_state {
    long *font_color;
    size_t nfonts, fcap;
    int in_fonts, in_font, in_xfs;
    ol_xlsx *x;
    size_t xcap;
    int oom;
} sty_state;

static long color_of(const char **atts)
{
    const char *rgb = attr(atts, "rgb"), *ix = attr(atts, "indexed");
    if (rgb) {
        unsigned long v = strtoul(rgb, NULL, 16);
        return (long)(v & 0xFFFFFFul);
    }
    if (ix) {
        long i = strtol(ix, NULL, 10);
        if (i >= 0 && i < 64) return (long)PALETTE[i];
    }
    return OL_XLSX_NO_COLOR;
}

static void XMLCALL sty_start(void *ud, const char *name, const char **atts)
{
    sty_state *s = ud;
    const char *l = local(name);
    if (strcmp(l, "fonts") == 0) s->in_fonts = 1;
    else if (strcmp(l, "cellXfs") == 0) s->in_xfs = 1;
    else if (s->in_fonts && strcmp(l, "font") == 0) {
        if (s->nfonts == s->fcap) {
            size_t nc = s->fcap ? s->fcap * 2 : 16;
            long *nf = realloc(s->font_color, nc * sizeof *nf);
            if (!nf) { s->oom = 1; return; }
            s->font_color = nf;
            s->fcap = nc;
        }
        s->font_color[s->nfonts++] = OL_XLSX_NO_COLOR;
        s->in_font = 1;
    } else if (s->in_font && strcmp(l, "color") == 0) {
        s->font_color[s->nfonts - 1] = color_of(atts);
    } else if (s->in_xfs && strcmp(l, "xf") == 0) {
        if (s->x->nxf == s->xcap) {
            size_t nc = s->xcap ? s->xcap * 2 : 32;
            long *nx = realloc(s->x->xf_color, nc * sizeof *nx);
            if (!nx) { s->oom = 1; return; }
            s->x->xf_color = nx;
            s->xcap = nc;
        }
        const char *f = attr(atts, "fontId");
        long fid = f ? strtol(f, NULL, 10) : 0;
        /* fonts come before cellXfs in styles.xml, as the schema orders them */
        s->x->xf_color[s->x->nxf++] = fid >= 0 && (size_t)fid < s->nfonts ? s->font_color[fid] : OL_XLSX_NO_COLOR;
    }
}

static void XMLCALL sty_end(void *ud, const char *name)
{
    sty_state *s = ud;
    const char *l = local(name);
    if (strcmp(l, "fonts") == 0) s->in_fonts = 0;
    else if (strcmp(l, "font") == 0) s->in_font = 0;
    else if (strcmp(l, "cellXfs") == 0) s->in_xfs = 0;
}

/* ------------------------------------------------------------ open */

ol_status ol_xlsx_open(const char *path, ol_xlsx **out, ol_error *err)
{
    *out = NULL;
    ol_xlsx *x = calloc(1, sizeof *x);
    if (!x) return ol_error_set(err, OL_ENOMEM, path, 0, 0, NULL, "out of memory");
    x->path = strdup(path);
    ol_status st = OL_OK;
    if (!x->path) {
        st = ol_error_set(err, OL_ENOMEM, path, 0, 0, NULL, "out of memory");
    } else {
        int zerr = 0;
        x->zip = zip_open(path, ZIP_RDONLY, &zerr);
        if (!x->zip) {
            zip_error_t ze;
            zip_error_init_with_code(&ze, zerr);
            st = zip_fail(x, err, &ze, NULL);
            zip_error_fini(&ze);
        }
    }
    if (!st) {
        wb_state w = {x, 0};
        st = parse_part(x, "xl/workbook.xml", 0, wb_start, no_end, NULL, &w, err);
        if (!st) st = parse_part(x, "xl/_rels/workbook.xml.rels", 0, rel_start, no_end, NULL, &w, err);
        if (!st && w.oom) st = ol_error_set(err, OL_ENOMEM, path, 0, 0, NULL, "out of memory");
    }
    if (!st) {
        sst_state s;
        memset(&s, 0, sizeof s);
        s.x = x;
        st = parse_part(x, "xl/sharedStrings.xml", 1, sst_start, sst_end, sst_chars, &s, err);
        if (!st && (s.oom || s.cur.oom)) st = ol_error_set(err, OL_ENOMEM, path, 0, 0, NULL, "out of memory");
        free(s.cur.s);
    }
    if (!st) {
        sty_state s;
        memset(&s, 0, sizeof s);
        s.x = x;
        st = parse_part(x, "xl/styles.xml", 1, sty_start, sty_end, NULL, &s, err);
        if (!st && s.oom) st = ol_error_set(err, OL_ENOMEM, path, 0, 0, NULL, "out of memory");
        free(s.font_color);
    }
    if (st) { ol_xlsx_close(x); return st; }
    *out = x;
    return OL_OK;
}

void ol_xlsx_close(ol_xlsx *x)
{
    if (!x) return;
    if (x->zip) zip_discard(x->zip);
    for (size_t i = 0; i < x->nsheets; i++) {
        free(x->sheets[i].name);
        free(x->sheets[i].rid);
        free(x->sheets[i].part);
    }
    free(x->sheets);
    for (size_t i = 0; i < x->nstrings; i++) free(x->strings[i]);
    free(x->strings);
    free(x->xf_color);
    free(x->path);
    free(x);
}

size_t ol_xlsx_nsheets(const ol_xlsx *x) { return x ? x->nsheets : 0; }
const char *ol_xlsx_sheet_name(const ol_xlsx *x, size_t i) { return x && i < x->nsheets ? x->sheets[i].name : NULL; }

/* ------------------------------------------------------------ cells */

typedef struct cell_tmp { long col; size_t off; long color; } cell_tmp;

typedef struct sheet_state {
    ol_xlsx *x;
    XML_Parser p;
    ol_xlsx_row_fn fn;
    void *ctx;
    ol_error *err;
    long row;              /* current row number */
    /* the current cell */
    long col, color;
    char type[16];
    int in_v, in_t, in_is;
    text_buf val;
    /* the row's cells: texts in one buffer, offsets in cells */
    text_buf texts;
    cell_tmp *cells;
    size_t ncells, cap;
    int stop, oom, bad;
    char bad_msg[128];
} sheet_state;

/* "BC12" -> column 55, row 12 (either may be 0 when absent). */
static void cell_ref(const char *r, long *col, long *row)
{
    long c = 0, w = 0;
    const char *p = r;
    for (; *p >= 'A' && *p <= 'Z'; p++) c = c * 26 + (*p - 'A' + 1);
    for (; *p >= '0' && *p <= '9'; p++) w = w * 10 + (*p - '0');
    *col = c;
    *row = w;
}

static void flush_row(sheet_state *s)
{
    if (s->stop || !s->ncells) { s->ncells = 0; tb_clear(&s->texts); return; }
    ol_xlsx_cell *cells = malloc(s->ncells * sizeof *cells);
    if (!cells) { s->oom = 1; s->stop = 1; XML_StopParser(s->p, XML_FALSE); return; }
    for (size_t i = 0; i < s->ncells; i++) {
        cells[i].col = s->cells[i].col;
        cells[i].text = s->texts.s + s->cells[i].off;
        cells[i].color = s->cells[i].color;
    }
    if (s->fn(s->ctx, s->row, cells, s->ncells)) { s->stop = 1; XML_StopParser(s->p, XML_FALSE); }
    free(cells);
    s->ncells = 0;
    tb_clear(&s->texts);
}

static void XMLCALL sheet_start(void *ud, const char *name, const char **atts)
{
    sheet_state *s = ud;
    if (s->stop) return;
    const char *l = local(name);
    if (strcmp(l, "row") == 0) {
        const char *r = attr(atts, "r");
        s->row = r ? strtol(r, NULL, 10) : s->row + 1;
        s->ncells = 0;
        tb_clear(&s->texts);
        s->col = 0;
    } else if (strcmp(l, "c") == 0) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *st = attr(atts, "s");
        long col = s->col + 1, row = 0;
        if (r) cell_ref(r, &col, &row);
        s->col = col;
        snprintf(s->type, sizeof s->type, "%s", t ? t : "n");
        long xf = st ? strtol(st, NULL, 10) : 0;
        s->color = xf >= 0 && (size_t)xf < s->x->nxf ? s->x->xf_color[xf] : OL_XLSX_NO_COLOR;
        tb_clear(&s->val);
    } else if (strcmp(l, "v") == 0) {
        s->in_v = 1;
    } else if (strcmp(l, "is") == 0) {
        s->in_is = 1;
    } else if (strcmp(l, "t") == 0 && s->in_is) {
        s->in_t = 1;
    }
}

static void XMLCALL sheet_end(void *ud, const char *name)
{
    sheet_state *s = ud;
    if (s->stop) return;
    const char *l = local(name);
    if (strcmp(l, "v") == 0) s->in_v = 0;
    else if (strcmp(l, "t") == 0) s->in_t = 0;
    else if (strcmp(l, "is") == 0) s->in_is = 0;
    else if (strcmp(l, "row") == 0) flush_row(s);
    else if (strcmp(l, "c") == 0) {
        const char *v = s->val.s ? s->val.s : "";
        if (strcmp(s->type, "s") == 0) {
            char *end = NULL;
            long i = strtol(v, &end, 10);
            if (!*v || *end || i < 0 || (size_t)i >= s->x->nstrings) {
                s->bad = 1;
                snprintf(s->bad_msg, sizeof s->bad_msg, "row %ld: a shared-string index out of range: '%.32s'", s->row, v);
                s->stop = 1;
                XML_StopParser(s->p, XML_FALSE);
                return;
            }
            v = s->x->strings[i];
        } else if (strcmp(s->type, "b") == 0) {
            v = strcmp(v, "1") == 0 ? "TRUE" : "FALSE";
        }
        if (s->ncells == s->cap) {
            size_t nc = s->cap ? s->cap * 2 : 64;
            cell_tmp *ncl = realloc(s->cells, nc * sizeof *ncl);
            if (!ncl) { s->oom = 1; s->stop = 1; XML_StopParser(s->p, XML_FALSE); return; }
            s->cells = ncl;
            s->cap = nc;
        }
        size_t off = s->texts.n;
        tb_add(&s->texts, v, strlen(v));
        tb_add(&s->texts, "", 1); /* keep the terminator inside the buffer */
        s->cells[s->ncells++] = (cell_tmp){s->col, off, s->color};
    }
}

static void XMLCALL sheet_chars(void *ud, const char *t, int len)
{
    sheet_state *s = ud;
    if (s->in_v || s->in_t) tb_add(&s->val, t, (size_t)len);
}

ol_status ol_xlsx_read_sheet(ol_xlsx *x, const char *name, ol_xlsx_row_fn fn, void *ctx, ol_error *err)
{
    const sheet_ref *ref = NULL;
    for (size_t i = 0; i < x->nsheets; i++)
        if (strcmp(x->sheets[i].name, name) == 0) ref = &x->sheets[i];
    if (!ref) return ol_error_set(err, OL_ENOTFOUND, x->path, 0, 0, NULL, "the workbook has no sheet '%s'", name);
    if (!ref->part) return ol_error_set(err, OL_EPARSE, x->path, 0, 0, NULL, "sheet '%s' has no part", name);
    zip_int64_t e = find_entry(x, ref->part);
    if (e < 0) return ol_error_set(err, OL_EPARSE, x->path, 0, 0, ref->part, "sheet '%s': part %s missing", name, ref->part);
    sheet_state s;
    memset(&s, 0, sizeof s);
    s.x = x;
    s.fn = fn;
    s.ctx = ctx;
    s.err = err;
    s.p = XML_ParserCreateNS(NULL, '|');
    if (!s.p) return ol_error_set(err, OL_ENOMEM, x->path, 0, 0, NULL, "out of memory");
    XML_SetUserData(s.p, &s);
    XML_SetElementHandler(s.p, sheet_start, sheet_end);
    XML_SetCharacterDataHandler(s.p, sheet_chars);
    xml_sink sink = {s.p, x, ref->part};
    if (err) err->code = OL_OK;
    ol_status st = stream_entry(x, e, ref->part, xml_feed, &sink, err);
    if (s.oom || s.val.oom || s.texts.oom) st = ol_error_set(err, OL_ENOMEM, x->path, 0, 0, NULL, "out of memory");
    else if (s.bad) st = ol_error_set(err, OL_EPARSE, x->path, s.row, 0, ref->part, "%s", s.bad_msg);
    else if (s.stop && !st) st = err && err->code ? err->code : OL_EINTERRUPTED;
    XML_ParserFree(s.p);
    free(s.val.s);
    free(s.texts.s);
    free(s.cells);
    return st;
}
