/* The report's HTML helpers: escaping, embedded figures, CSV tables. */
#include "report_internal.h"

#include "util/csvread.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void rp_path(const rp_ctx *c, char *buf, size_t size, const char *rel)
{
    snprintf(buf, size, "%s/%s", c->opt->out_dir, rel);
}

ol_status rp_mkdir(const char *dir, ol_error *err)
{
    char buf[OL_REPORT_PATH_MAX];
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return ol_error_set(err, OL_EIO, buf, 0, 0, NULL, "cannot create directory: %s", strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return ol_error_set(err, OL_EIO, buf, 0, 0, NULL, "cannot create directory: %s", strerror(errno));
    struct stat sb;
    if (stat(buf, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return ol_error_set(err, OL_EIO, buf, 0, 0, NULL, "not a directory");
    return OL_OK;
}

void rp_esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

void rp_term(FILE *f, const char *en, const char *zh)
{
    rp_esc(f, en);
    if (zh && *zh) {
        fputs(" <span lang=\"zh\">", f);
        rp_esc(f, zh);
        fputs("</span>", f);
    }
}

/* RFC 4648 base64 of a file's bytes, streamed (figures are a few hundred kB). */
static ol_status base64_file(FILE *out, const char *path, ol_error *err)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    FILE *in = fopen(path, "rb");
    if (!in) return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
    unsigned char b[3 * 1024];
    size_t n;
    while ((n = fread(b, 1, sizeof b, in)) > 0) {
        size_t i = 0;
        for (; i + 3 <= n; i += 3) {
            unsigned v = (unsigned)b[i] << 16 | (unsigned)b[i + 1] << 8 | b[i + 2];
            fputc(tab[v >> 18 & 63], out); fputc(tab[v >> 12 & 63], out);
            fputc(tab[v >> 6 & 63], out);  fputc(tab[v & 63], out);
        }
        if (i < n) {
            /* only the last block of the file can be short: the buffer is a multiple of 3 */
            unsigned v = (unsigned)b[i] << 16 | (i + 1 < n ? (unsigned)b[i + 1] << 8 : 0u);
            fputc(tab[v >> 18 & 63], out); fputc(tab[v >> 12 & 63], out);
            fputc(i + 1 < n ? tab[v >> 6 & 63] : '=', out); fputc('=', out);
        }
    }
    int bad = ferror(in);
    fclose(in);
    if (bad) return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "read failed");
    return OL_OK;
}

ol_status rp_figure(rp_ctx *c, FILE *html, const char *base, const char *alt, const char *caption_html,
                    const char *command, const char *csv, ol_error *err)
{
    char rel[OL_REPORT_PATH_MAX], path[OL_REPORT_PATH_MAX];
    snprintf(rel, sizeof rel, "%s.svg", base);
    rp_path(c, path, sizeof path, rel);
    fputs("<figure>\n<img alt=\"", html);
    rp_esc(html, alt);
    fputs("\" src=\"data:image/svg+xml;base64,", html);
    ol_status st = base64_file(html, path, err);
    if (st) return st;
    fputs("\">\n<figcaption>", html);
    fputs(caption_html, html);
    fputs("<br>Files:", html);
    static const char *const ext[] = {"svg", "png", "pdf"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(rel, sizeof rel, "%s.%s", base, ext[i]);
        rp_path(c, path, sizeof path, rel);
        struct stat sb;
        if (stat(path, &sb) != 0) continue;
        fputs(" <a href=\"", html);
        rp_esc(html, rel);
        fputs("\">", html);
        rp_esc(html, ext[i]);
        fputs("</a>", html);
    }
    if (csv) {
        fputs(" · data <a href=\"", html);
        rp_esc(html, csv);
        fputs("\">", html);
        rp_esc(html, csv);
        fputs("</a>", html);
    }
    fputs("<br>Regenerate: <code>", html);
    rp_esc(html, command);
    fputs("</code></figcaption>\n</figure>\n", html);
    c->sum->figures++;
    return OL_OK;
}

ol_status rp_csv_table(rp_ctx *c, FILE *html, const char *csv, size_t max_rows, ol_error *err)
{
    char path[OL_REPORT_PATH_MAX];
    rp_path(c, path, sizeof path, csv);
    ol_csv *r = NULL;
    ol_status st = ol_csv_open(path, NULL, &r, err);
    if (st) return st;
    fputs("<div class=\"scroll\"><table>\n", html);
    size_t rows = 0, left = 0;
    int k;
    while ((k = ol_csv_next(r, err)) == 1) {
        int head = ol_csv_line(r) == 1;
        if (!head && max_rows && rows >= max_rows) { left++; continue; }
        fputs("<tr>", html);
        for (size_t i = 0; i < ol_csv_nfields(r); i++) {
            fputs(head ? "<th>" : "<td>", html);
            rp_esc(html, ol_csv_field(r, i));
            fputs(head ? "</th>" : "</td>", html);
        }
        fputs("</tr>\n", html);
        if (!head) rows++;
    }
    ol_csv_close(r);
    if (k < 0) return err ? err->code : OL_EPARSE;
    fputs("</table></div>\n", html);
    if (left) fprintf(html, "<p class=\"note\">%zu more rows in <a href=\"%s\">%s</a>.</p>\n", left, csv, csv);
    return OL_OK;
}

void rp_source_line(FILE *html, const char *files, const char *command)
{
    fputs("<p class=\"src\">Data: ", html);
    fputs(files, html);
    fputs(" · Regenerate: <code>", html);
    rp_esc(html, command);
    fputs("</code></p>\n", html);
}
