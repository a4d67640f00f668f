/*
 * The `imf` importer: IMF voting power and quota shares, each a SNAPSHOT of
 * one date, not a yearly series.  Two layouts, told apart by the header:
 *
 *   votes   country, vote_percentage — voting power in percent of the total
 *           (the IMF page "IMF Members' Quotas and Voting Power");
 *           series imf.votes.
 *   quotas  country, actual_before, actual_review, cal_before, cal_review,
 *           cal_previous, cal_current — quota shares in percent ("Updated
 *           IMF quota data"); series imf.quota_<column>.  The column
 *           meanings are those of the file's author (docs/importers.md).
 *
 * Because a snapshot has no year of its own, the import needs its date: an
 * explicit --vintage (YYYY, YYYY-MM or YYYY-MM-DD); the values are stored
 * under the vintage's year and flagged "snapshot", so that every command
 * that shows them can say so.  "n.a." and empty cells are skipped; a line
 * with no name and no value (the spreadsheet's trailing rows) is skipped.
 *
 * Names: IMF footnote markers glued to names ("United States3") are cut;
 * text that was UTF-8 read as Latin-1 ("CÃ´te d'Ivoire") is repaired; then
 * data/source_names.csv (source "imf") and the crosswalk's names resolve it.
 */
#include "import_helpers.h"

#include "util/text.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const double OL_IMF_PERCENT_MAX = 100.0;
enum { OL_IMF_PROGRESS_EVERY = 64, OL_IMF_MAXCOLS = 6 };

static const ol_value_column vote_cols[] = {
    {"vote_percentage", "imf.votes", "IMF voting power (snapshot)", "percent of total votes"},
};
static const ol_value_column quota_cols[] = {
    {"actual_before", "imf.quota_actual_before", "IMF actual quota share before the 14th Review (snapshot)",
     "percent of total quotas"},
    {"actual_review", "imf.quota_actual_review", "IMF actual quota share after the 14th Review (snapshot)",
     "percent of total quotas"},
    {"cal_before", "imf.quota_calc_before", "IMF calculated quota share, before 2006 (snapshot)",
     "percent of total quotas"},
    {"cal_review", "imf.quota_calc_review", "IMF calculated quota share, after 2008 (snapshot)",
     "percent of total quotas"},
    {"cal_previous", "imf.quota_calc_previous", "IMF calculated quota share, after 2012 (snapshot)",
     "percent of total quotas"},
    {"cal_current", "imf.quota_calc_current", "IMF calculated quota share, after 2016 (snapshot)",
     "percent of total quotas"},
};

/* Cuts the footnote digits the IMF page glues to names. */
static void cut_footnote(char *s)
{
    size_t n = strlen(s);
    while (n && isdigit((unsigned char)s[n - 1])) s[--n] = '\0';
    while (n && s[n - 1] == ' ') s[--n] = '\0';
}

static int is_na(const char *s)
{
    char t[16];
    ol_trim_copy(t, sizeof t, s);
    return !t[0] || strcmp(t, "n.a.") == 0 || strcmp(t, "n.a") == 0;
}

ol_status ol_import_imf(ol_import_ctx *c)
{
    if (!(c->opt->vintage && c->opt->vintage[0]))
        return ol_error_set(c->err, OL_EINVAL, c->path, 0, 0, "vintage",
                            "an IMF table is a snapshot of one date, which the file does not state: give it "
                            "with --vintage (e.g. 2020-12 for the voting power scraped in December 2020, "
                            "2018-08 for the quota data of August 2018)");
    int year;
    char ys[8];
    snprintf(ys, sizeof ys, "%.4s", c->opt->vintage);
    if (!ol_iso_date_valid(c->opt->vintage) || !ol_parse_int(ys, &year))
        return ol_error_set(c->err, OL_EINVAL, c->path, 0, 0, "vintage",
                            "the date of an IMF snapshot must be YYYY, YYYY-MM or YYYY-MM-DD, not '%s'",
                            c->opt->vintage);
    ol_csv *r = NULL;
    ol_status st = ol_import_open_csv(c, NULL, NULL, 0, NULL, &r);
    if (st) return st;
    const ol_value_column *cols = ol_csv_find(r, "vote_percentage") >= 0 ? vote_cols : quota_cols;
    size_t ncols = cols == vote_cols ? 1 : sizeof quota_cols / sizeof quota_cols[0];
    static const char *const key = "country";
    long kidx, vidx[OL_IMF_MAXCOLS];
    st = ol_csv_require(r, &key, 1, &kidx, c->err);
    for (size_t i = 0; i < ncols && !st; i++) st = ol_csv_require(r, &cols[i].column, 1, &vidx[i], c->err);
    for (size_t i = 0; i < ncols && !st; i++)
        st = ol_import_series(c, cols[i].code, cols[i].name, cols[i].unit,
                              "IMF quotas and voting power: a snapshot of one date (the vintage), stored "
                              "under its year and flagged 'snapshot'");
    ol_source_names *names = NULL;
    if (!st) st = ol_source_names_load(c, "imf", &names);
    ol_value_writer w;
    int wopen = 0;
    if (!st) st = ol_values_open(c, &w);
    if (!st) wopen = 1;
    size_t nheader = r ? ol_csv_nfields(r) : 0;
    int rc = 0;
    long lines = 0;
    while (!st && (rc = ol_csv_next(r, c->err)) == 1) {
        if (++lines % OL_IMF_PROGRESS_EVERY == 0 && (st = ol_import_progress(c, r))) break;
        if (ol_csv_nfields(r) != nheader) {
            ol_import_read(c);
            st = ol_import_reject_width(c, r, nheader);
            continue;
        }
        char name[256];
        ol_trim_copy(name, sizeof name, ol_csv_field(r, (size_t)kidx));
        int blank = !name[0];
        for (size_t i = 0; i < ncols; i++) blank &= ol_is_blank(ol_csv_field(r, (size_t)vidx[i]));
        if (blank) { /* a trailing empty row of the spreadsheet */
            for (size_t i = 0; i < ncols; i++) { ol_import_read(c); ol_import_skip(c); }
            continue;
        }
        ol_import_fix_mojibake(name);
        cut_footnote(name);
        const char *code = NULL;
        ol_name_result nr = ol_source_names_resolve(c, names, name, year, &code);
        if (nr == OL_NAME_SKIP) {
            for (size_t i = 0; i < ncols; i++) { ol_import_read(c); ol_import_skip(c); }
            continue;
        }
        if (nr == OL_NAME_UNKNOWN) {
            ol_import_read(c);
            st = ol_import_reject_csv(c, r, OL_EVALIDATE, kidx + 1, "country",
                                      "unknown or ambiguous member name '%s'; data/source_names.csv or a "
                                      "crosswalk alias can add it (docs/countries.md)", name);
            continue;
        }
        int dup = ol_values_seen(&w, code, year, 0, NULL);
        if (dup < 0) { st = c->err ? c->err->code : OL_ENOMEM; break; }
        if (dup) {
            ol_import_read(c);
            st = ol_import_reject_csv(c, r, OL_EVALIDATE, kidx + 1, "country",
                                      "duplicate: '%s' (%s) appears earlier in the file", name, code);
            continue;
        }
        for (size_t i = 0; i < ncols && !st; i++) {
            ol_import_read(c);
            const char *text = ol_csv_field(r, (size_t)vidx[i]);
            if (is_na(text)) { ol_import_skip(c); continue; }
            double v;
            if (!ol_parse_double(text, &v) || v < 0 || v > OL_IMF_PERCENT_MAX) {
                st = ol_import_reject_csv(c, r, OL_EVALIDATE, vidx[i] + 1, cols[i].column,
                                          "not a percentage in 0-%g: '%s'", OL_IMF_PERCENT_MAX, text);
                continue;
            }
            switch (ol_values_put_flag(&w, cols[i].code, code, year, v, cols[i].unit, "snapshot")) {
            case OL_PUT_OK: ol_import_keep(c); break;
            case OL_PUT_DUPLICATE:
                st = ol_import_reject_csv(c, r, OL_EVALIDATE, vidx[i] + 1, cols[i].column,
                                          "duplicate: %s already has a value", code);
                break;
            default: st = c->err ? c->err->code : OL_ESTORE;
            }
        }
    }
    if (rc < 0 && !st) st = c->err ? c->err->code : OL_EPARSE;
    if (wopen) ol_values_close(&w);
    ol_source_names_free(names);
    ol_csv_close(r);
    return st;
}
