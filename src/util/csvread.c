#include "util/csvread.h"

#include "util/text.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct ol_csv {
    FILE *fp;
    int own_fp;
    char *name;
    struct csv_parser parser;
    int parser_ready;

    char *line;          /* current physical line (getline buffer) */
    size_t line_cap;
    char *conv;          /* converted line when encoding != UTF-8 */
    size_t conv_cap;
    iconv_t cd;
    int convert;

    long line_no;        /* physical lines read so far */
    long rec_line;       /* line on which the pending/current record started */
    uint64_t bytes_read, bytes_total;

    /* fields of the record being assembled / returned */
    char *buf; size_t buf_len, buf_cap;
    size_t *off; size_t nfields, off_cap;
    int rec_done;
    int at_eof;
    int first_line;

    /* an error raised inside a libcsv callback */
    int cb_failed;
    ol_error cb_err;
};

static ol_status oom(ol_error *err, const char *name)
{
    return ol_error_set(err, OL_ENOMEM, name, 0, 0, NULL, "out of memory reading CSV");
}

static void on_field(void *s, size_t len, void *data)
{
    ol_csv *r = data;
    if (r->cb_failed) return;
    if (r->nfields == 0 && r->buf_len == 0) r->rec_line = r->line_no;
    if (!r->convert) {
        size_t bad = 0;
        if (!ol_utf8_valid(s, len, &bad)) {
            r->cb_failed = 1;
            ol_error_set(&r->cb_err, OL_EPARSE, r->name, r->line_no, (long)r->nfields + 1, NULL,
                         "invalid UTF-8 (byte 0x%02x at offset %zu of the field); "
                         "convert the file to UTF-8 or name its encoding",
                         ((const unsigned char *)s)[bad], bad);
            return;
        }
    }
    if (r->buf_len + len + 1 > r->buf_cap) {
        size_t cap = r->buf_cap ? r->buf_cap : 4096;
        while (cap < r->buf_len + len + 1) cap *= 2;
        char *nb = realloc(r->buf, cap);
        if (!nb) { r->cb_failed = 1; oom(&r->cb_err, r->name); return; }
        r->buf = nb; r->buf_cap = cap;
    }
    if (r->nfields == r->off_cap) {
        size_t cap = r->off_cap ? r->off_cap * 2 : 64;
        size_t *no = realloc(r->off, cap * sizeof *no);
        if (!no) { r->cb_failed = 1; oom(&r->cb_err, r->name); return; }
        r->off = no; r->off_cap = cap;
    }
    r->off[r->nfields++] = r->buf_len;
    if (len) memcpy(r->buf + r->buf_len, s, len);
    r->buf_len += len;
    r->buf[r->buf_len++] = '\0';
}

static void on_record(int c, void *data)
{
    (void)c;
    ol_csv *r = data;
    if (r->nfields == 0) r->rec_line = r->line_no;
    r->rec_done = 1;
}

static ol_status setup(ol_csv *r, const ol_csv_options *opt, ol_error *err)
{
    unsigned char options = CSV_STRICT | CSV_STRICT_FINI;
    if (csv_init(&r->parser, options) != 0) return oom(err, r->name);
    r->parser_ready = 1;
    if (opt && opt->delimiter) csv_set_delim(&r->parser, (unsigned char)opt->delimiter);
    r->cd = (iconv_t)-1;
    if (opt && opt->encoding && strcmp(opt->encoding, "UTF-8") != 0 && strcmp(opt->encoding, "utf-8") != 0) {
        r->cd = iconv_open("UTF-8", opt->encoding);
        if (r->cd == (iconv_t)-1)
            return ol_error_set(err, OL_EUNSUPPORTED, r->name, 0, 0, NULL,
                                "unknown text encoding '%s'", opt->encoding);
        r->convert = 1;
    }
    r->first_line = 1;
    return OL_OK;
}

ol_status ol_csv_open_stream(void *file, const char *name, const ol_csv_options *opt,
                             ol_csv **out, ol_error *err)
{
    *out = NULL;
    ol_csv *r = calloc(1, sizeof *r);
    if (!r) return oom(err, name);
    r->fp = file;
    r->name = strdup(name ? name : "(stream)");
    if (!r->name) { free(r); return oom(err, name); }
    ol_status st = setup(r, opt, err);
    if (st) { ol_csv_close(r); return st; }
    *out = r;
    return OL_OK;
}

ol_status ol_csv_open(const char *path, const ol_csv_options *opt, ol_csv **out, ol_error *err)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    struct stat sb;
    if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(fp);
        return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "is a directory, not a CSV file");
    }
    ol_status st = ol_csv_open_stream(fp, path, opt, out, err);
    if (st) { fclose(fp); return st; }
    (*out)->own_fp = 1;
    if (S_ISREG(sb.st_mode)) (*out)->bytes_total = (uint64_t)sb.st_size;
    return OL_OK;
}

void ol_csv_close(ol_csv *r)
{
    if (!r) return;
    if (r->parser_ready) csv_free(&r->parser);
    if (r->cd != (iconv_t)-1 && r->convert) iconv_close(r->cd);
    if (r->own_fp && r->fp) fclose(r->fp);
    free(r->line); free(r->conv); free(r->buf); free(r->off); free(r->name);
    free(r);
}

/* Converts line (n bytes) to UTF-8 into r->conv; returns converted length or -1. */
static long convert_line(ol_csv *r, const char *line, size_t n, ol_error *err)
{
    size_t need = n * 4 + 16;
    if (need > r->conv_cap) {
        char *nc = realloc(r->conv, need);
        if (!nc) { oom(err, r->name); return -1; }
        r->conv = nc; r->conv_cap = need;
    }
    char *in = (char *)line, *outp = r->conv;
    size_t inleft = n, outleft = r->conv_cap;
    iconv(r->cd, NULL, NULL, NULL, NULL);
    if (iconv(r->cd, &in, &inleft, &outp, &outleft) == (size_t)-1) {
        ol_error_set(err, OL_EPARSE, r->name, r->line_no, 0, NULL,
                     "cannot convert byte offset %ld of the line to UTF-8: %s",
                     (long)(in - line), strerror(errno));
        return -1;
    }
    return (long)(outp - r->conv);
}

int ol_csv_next(ol_csv *r, ol_error *err)
{
    r->nfields = 0;
    r->buf_len = 0;
    r->rec_done = 0;
    if (r->at_eof) return 0;
    for (;;) {
        ssize_t n = getline(&r->line, &r->line_cap, r->fp);
        if (n < 0) {
            if (ferror(r->fp)) {
                ol_error_set(err, OL_EIO, r->name, r->line_no, 0, NULL, "read error: %s", strerror(errno));
                return -1;
            }
            r->at_eof = 1;
            if (csv_fini(&r->parser, on_field, on_record, r) != 0) {
                ol_error_set(err, OL_EPARSE, r->name, r->rec_line ? r->rec_line : r->line_no, 0, NULL,
                             "malformed CSV at end of file: %s (an unterminated quoted field?)",
                             csv_strerror(csv_error(&r->parser)));
                return -1;
            }
            if (r->cb_failed) { if (err) *err = r->cb_err; return -1; }
            return r->rec_done ? 1 : 0;
        }
        r->line_no++;
        r->bytes_read += (uint64_t)n;
        const char *data = r->line;
        size_t len = (size_t)n;
        if (r->first_line) {
            r->first_line = 0;
            if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
                (unsigned char)data[2] == 0xBF) {
                data += 3; len -= 3;
            }
        }
        if (r->convert) {
            long m = convert_line(r, data, len, err);
            if (m < 0) return -1;
            data = r->conv; len = (size_t)m;
        }
        if (csv_parse(&r->parser, data, len, on_field, on_record, r) != len) {
            ol_error_set(err, OL_EPARSE, r->name, r->line_no, (long)r->nfields + 1, NULL,
                         "malformed CSV: %s (a stray quote inside an unquoted field, or "
                         "text after a closing quote?)", csv_strerror(csv_error(&r->parser)));
            return -1;
        }
        if (r->cb_failed) { if (err) *err = r->cb_err; return -1; }
        if (r->rec_done) return 1;
    }
}

size_t ol_csv_nfields(const ol_csv *r) { return r->nfields; }

const char *ol_csv_field(const ol_csv *r, size_t i)
{
    return i < r->nfields ? r->buf + r->off[i] : "";
}

size_t ol_csv_field_len(const ol_csv *r, size_t i)
{
    if (i >= r->nfields) return 0;
    size_t end = (i + 1 < r->nfields) ? r->off[i + 1] - 1 : r->buf_len - 1;
    return end - r->off[i];
}

long ol_csv_line(const ol_csv *r) { return r->rec_line; }
const char *ol_csv_name(const ol_csv *r) { return r->name; }
uint64_t ol_csv_bytes_read(const ol_csv *r) { return r->bytes_read; }
uint64_t ol_csv_bytes_total(const ol_csv *r) { return r->bytes_total; }

long ol_csv_find(const ol_csv *r, const char *name)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (strcmp(ol_csv_field(r, i), name) == 0) return (long)i;
    return -1;
}

ol_status ol_csv_require(const ol_csv *r, const char *const *names, size_t n, long *idx, ol_error *err)
{
    for (size_t k = 0; k < n; k++) {
        idx[k] = ol_csv_find(r, names[k]);
        if (idx[k] < 0) {
            char found[512] = "";
            size_t used = 0;
            for (size_t i = 0; i < r->nfields && used + 4 < sizeof found; i++) {
                int w = snprintf(found + used, sizeof found - used, "%s%s", i ? ", " : "", ol_csv_field(r, i));
                if (w < 0) break;
                used += (size_t)w;
                if (used >= sizeof found) { used = sizeof found - 1; break; }
            }
            return ol_error_set(err, OL_EPARSE, r->name, r->rec_line, 0, names[k],
                                "missing column '%s' in the header (found: %s)", names[k], found);
        }
    }
    return OL_OK;
}

ol_status ol_csv_error(const ol_csv *r, ol_error *err, ol_status code, long column,
                       const char *field, const char *fmt, ...)
{
    if (!err) return code;
    char msg[OL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ol_error_set(err, code, r->name, r->rec_line, column, field, "%s", msg);
}
