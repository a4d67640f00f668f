/* The magnitudes of a simulated world and where they came from, written as
 * CSV (orderlab simulate's magnitudes.csv) or as a Markdown table (the
 * generated docs/model-magnitudes.md): include/orderlab/simulate.h. */
#include "orderlab/simulate.h"

#include "util/text.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ORIGIN_NAME[4] = {"built-in", "store", "scenario", "rule"};


/* A Markdown table cell: pipes escaped. */
static void put_md(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|') fputc('\\', f);
        fputc(*s, f);
    }
}

static void years_text(char *buf, size_t size, const ol_simulate_magnitude *m)
{
    if (!m->year_from && !m->year_to) buf[0] = '\0';
    else if (m->year_from == m->year_to) snprintf(buf, size, "%d", m->year_from);
    else snprintf(buf, size, "%d-%d", m->year_from, m->year_to);
}

static void write_csv(FILE *f, const ol_simulate_magnitude *v, size_t n)
{
    fputs("subject,kind,account,quantity,value,unit,origin,source,years,note\n", f);
    for (size_t i = 0; i < n; i++) {
        const ol_simulate_magnitude *m = &v[i];
        char num[40], yrs[24];
        ol_fmt_double(num, sizeof num, m->value);
        years_text(yrs, sizeof yrs, m);
        ol_csv_put(f, m->subject);
        fputs(m->institution ? ",institution," : ",actor,", f);
        ol_csv_put(f, m->account);
        fputc(',', f);
        ol_csv_put(f, m->quantity);
        fprintf(f, ",%s,", num);
        ol_csv_put(f, m->unit);
        fprintf(f, ",%s,", (unsigned)m->origin < 4 ? ORIGIN_NAME[m->origin] : "");
        ol_csv_put(f, m->source);
        fprintf(f, ",%s,", yrs);
        ol_csv_put(f, m->note);
        fputc('\n', f);
    }
}

static void write_md(FILE *f, const ol_simulate_magnitude *v, size_t n)
{
    for (int inst = 1; inst >= 0; inst--) {
        fprintf(f, "\n### %s\n\n", inst ? "Institutions" : "Actors");
        fputs("| subject | account | quantity | value | unit | origin | source | years | note |\n"
              "|---|---|---|---|---|---|---|---|---|\n", f);
        for (size_t i = 0; i < n; i++) {
            const ol_simulate_magnitude *m = &v[i];
            if (m->institution != inst) continue;
            char num[40], yrs[24];
            if (isfinite(m->value) && fabs(m->value) >= 1e4) snprintf(num, sizeof num, "%.0f", m->value);
            else if (isfinite(m->value)) snprintf(num, sizeof num, "%.6g", m->value);
            else snprintf(num, sizeof num, "-");
            years_text(yrs, sizeof yrs, m);
            fputs("| ", f);
            put_md(f, m->subject);
            fputs(" | ", f);
            put_md(f, m->account);
            fputs(" | ", f);
            put_md(f, m->quantity);
            fprintf(f, " | %s | ", num);
            put_md(f, m->unit);
            fprintf(f, " | %s | ", (unsigned)m->origin < 4 ? ORIGIN_NAME[m->origin] : "");
            put_md(f, m->source);
            fprintf(f, " | %s | ", yrs);
            put_md(f, m->note);
            fputs(" |\n", f);
        }
    }
}

ol_status ol_simulate_magnitudes_write(const ol_simulate_world *w, const char *path, ol_simulate_magn_format format,
                                       ol_error *err)
{
    if (!w || !path || !*path) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no world or path");
    size_t n;
    const ol_simulate_magnitude *v = ol_simulate_world_magnitudes(w, &n);
    size_t len = strlen(path) + 8;
    char *tmp = malloc(len);
    if (!tmp) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    snprintf(tmp, len, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        ol_status st = ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        free(tmp);
        return st;
    }
    if (format == OL_MAGN_MARKDOWN) write_md(f, v, n);
    else write_csv(f, v, n);
    int bad = ferror(f);
    if (fclose(f) != 0) bad = 1;
    if (bad || rename(tmp, path) != 0) {
        ol_status st = ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        remove(tmp);
        free(tmp);
        return st;
    }
    free(tmp);
    return OL_OK;
}
