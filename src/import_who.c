/*
 * The `who` importer: one WHO scale of assessments as transcribed from a
 * World Health Assembly resolution (WHA15.tsv … WHA75.tsv: no header, lines
 * "member name<TAB>percent").  The resolution comes from the file's name
 * (WHA15.tsv -> WHA15) or from --series, and the built-in table
 * data/who_scales.csv gives the years its scale applies to (WHA15: 1963;
 * WHA34: 1982-1983 ...).  Each line becomes series who.scale (percent of the
 * assessments) for the member in each of those years.
 *
 * Names are as printed, with the transcription's stray marks: trailing dots,
 * bullets and question marks are dropped; "(Associate Member)" flags the
 * value "associate", "(not a member of the United Nations)" flags it
 * "not-un-member".  They resolve through data/source_names.csv (source
 * "who": misprints, and names that meant another state in an early scale:
 * "China" in 1963 is the Republic of China, "Yemen" to 1989 North Yemen)
 * and then the crosswalk's names.  A name the table marks as having no
 * entity (two associate members of 1963) is skipped.
 */
#include "import_helpers.h"

#include "util/embedded.h"
#include "util/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OL_WHO_SCALES_FILE "who_scales.csv"
#define OL_WHO_SERIES "who.scale"
#define OL_WHO_UNIT "percent of assessments"
enum { OL_WHO_RES_MAX = 32, OL_WHO_PROGRESS_EVERY = 64 };
static const double OL_WHO_PERCENT_MAX = 100.0;

typedef struct who_scale {
    char resolution[OL_WHO_RES_MAX];
    int first, last;
    char note[256];
} who_scale;

/* Finds resolution res in the built-in table; OL_ENOTFOUND listing the known
 * ones otherwise. */
static ol_status find_scale(ol_import_ctx *c, const char *res, who_scale *out)
{
    const ol_embedded_file *f = ol_embedded_find(OL_WHO_SCALES_FILE);
    if (!f) return ol_error_set(c->err, OL_ENOTFOUND, OL_WHO_SCALES_FILE, 0, 0, NULL, "built-in table missing");
    FILE *fp = fmemopen((void *)f->data, f->size, "r");
    if (!fp) return ol_error_set(c->err, OL_ENOMEM, NULL, 0, 0, NULL, "cannot read a built-in table");
    ol_csv *r = NULL;
    ol_status st = ol_csv_open_stream(fp, "(built-in) data/" OL_WHO_SCALES_FILE, NULL, &r, c->err);
    char known[256] = "";
    size_t klen = 0;
    int found = 0, got = 0;
    if (!st) got = ol_csv_next(r, c->err); /* header */
    while (!st && !found && (got = ol_csv_next(r, c->err)) == 1) {
        const char *name = ol_csv_field(r, 0);
        int w = snprintf(known + klen, sizeof known - klen, "%s%s", klen ? ", " : "", name);
        if (w > 0 && (size_t)w < sizeof known - klen) klen += (size_t)w;
        if (strcmp(name, res) != 0) continue;
        snprintf(out->resolution, sizeof out->resolution, "%s", name);
        snprintf(out->note, sizeof out->note, "%s", ol_csv_field(r, 3));
        if (!ol_parse_int(ol_csv_field(r, 1), &out->first) || !ol_parse_int(ol_csv_field(r, 2), &out->last))
            st = ol_csv_error(r, c->err, OL_EVALIDATE, 0, NULL, "invalid row of the built-in table");
        found = 1;
    }
    if (!st && got < 0) st = c->err ? c->err->code : OL_EPARSE;
    ol_csv_close(r);
    fclose(fp);
    if (!st && !found)
        st = ol_error_set(c->err, OL_EINVAL, c->path, 0, 0, "resolution",
                          "cannot tell which WHO scale of assessments this is: '%s' is not a resolution orderlab "
                          "knows (%s); name the file after its resolution or give --series WHAnn", res, known);
    return st;
}

/* Drops trailing transcription marks (spaces, dots, bullets "•", "?"). */
static void strip_marks(char *s)
{
    size_t n = strlen(s);
    for (;;) {
        if (n && (s[n - 1] == ' ' || s[n - 1] == '.' || s[n - 1] == '?')) { s[--n] = '\0'; continue; }
        if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 && (unsigned char)s[n - 2] == 0x80 &&
            (unsigned char)s[n - 1] == 0xA2) { n -= 3; s[n] = '\0'; continue; }
        break;
    }
}

/* Removes suffix from s when s ends with it; returns 1 when it did. */
static int cut_suffix(char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (n < k || strcmp(s + n - k, suffix) != 0) return 0;
    s[n - k] = '\0';
    strip_marks(s);
    return 1;
}

ol_status ol_import_who(ol_import_ctx *c)
{
    char res[OL_WHO_RES_MAX];
    if (c->opt->series && c->opt->series[0]) {
        snprintf(res, sizeof res, "%s", c->opt->series);
    } else {
        const char *b = strrchr(c->path, '/');
        snprintf(res, sizeof res, "%s", b ? b + 1 : c->path);
        char *dot = strchr(res, '.');
        if (dot) *dot = '\0';
    }
    who_scale scale;
    ol_status st = find_scale(c, res, &scale);
    if (st) return st;
    st = ol_import_series(c, OL_WHO_SERIES, "WHO scale of assessments", OL_WHO_UNIT,
                          "WHO scale of assessments adopted by World Health Assembly resolutions");
    if (st) return st;
    ol_source_names *names = NULL;
    st = ol_source_names_load(c, "who", &names);
    if (st) return st;

    ol_csv_options copt = {'\t', NULL};
    ol_csv *r = NULL;
    st = ol_csv_open(c->path, &copt, &r, c->err);
    ol_value_writer w;
    int wopen = 0;
    if (!st) st = ol_values_open(c, &w);
    if (!st) wopen = 1;
    int rc = 0;
    long lines = 0;
    while (!st && (rc = ol_csv_next(r, c->err)) == 1) {
        if (++lines % OL_WHO_PROGRESS_EVERY == 0 && (st = ol_import_progress(c, r))) break;
        ol_import_read(c);
        if (ol_csv_nfields(r) != 2) {
            st = ol_import_reject_csv(c, r, OL_EPARSE, (long)ol_csv_nfields(r), NULL,
                                      "malformed line: %zu fields, want 2 (member name, percent)",
                                      ol_csv_nfields(r));
            continue;
        }
        char name[512];
        ol_trim_copy(name, sizeof name, ol_csv_field(r, 0));
        strip_marks(name);
        const char *flag = NULL;
        if (cut_suffix(name, "(Associate Member)")) flag = "associate";
        else if (cut_suffix(name, "(not a member of the United Nations)")) flag = "not-un-member";
        const char *vtext = ol_csv_field(r, 1);
        double v;
        if (!ol_parse_double(vtext, &v) || v <= 0 || v > OL_WHO_PERCENT_MAX) {
            st = ol_import_reject_csv(c, r, OL_EVALIDATE, 2, "percent", "not a percentage in (0, %g]: '%s'",
                                      OL_WHO_PERCENT_MAX, vtext);
            continue;
        }
        const char *code = NULL;
        ol_name_result nr = ol_source_names_resolve(c, names, name, scale.first, &code);
        if (nr == OL_NAME_SKIP) { ol_import_skip(c); continue; }
        if (nr == OL_NAME_UNKNOWN) {
            st = ol_import_reject_csv(c, r, OL_EVALIDATE, 1, "member",
                                      "unknown or ambiguous member name '%s'; data/source_names.csv or a "
                                      "crosswalk alias can add it (docs/countries.md)", name);
            continue;
        }
        int dup = ol_values_seen(&w, code, scale.first, 0, NULL);
        if (dup < 0) { st = c->err ? c->err->code : OL_ENOMEM; break; }
        if (dup) {
            st = ol_import_reject_csv(c, r, OL_EVALIDATE, 1, "member",
                                      "duplicate: '%s' (%s) appears earlier in the file", name, code);
            continue;
        }
        for (int y = scale.first; y <= scale.last && !st; y++)
            if (ol_values_put_flag(&w, OL_WHO_SERIES, code, y, v, OL_WHO_UNIT, flag) == OL_PUT_FAILED)
                st = c->err ? c->err->code : OL_ESTORE;
        if (!st) ol_import_keep(c);
    }
    if (rc < 0 && !st) st = c->err ? c->err->code : OL_EPARSE;
    if (wopen) ol_values_close(&w);
    ol_csv_close(r);
    ol_source_names_free(names);
    return st;
}
