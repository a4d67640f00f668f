/*
 * The `wb` importer: World Bank indicator CSV files in their two layouts,
 * told apart by the header (docs/importers.md):
 *
 *   long  Country Name,Country Code,Year,Value — one value per line, the
 *         layout of the datahub.io packages.  The file does not name its
 *         series: the caller's --series, default NY.GDP.MKTP.CD.
 *   wide  API_<indicator>_DS2_en_csv_v2_*.csv as the World Bank's download
 *         button gives it: a short preamble ("Data Source", "Last Updated
 *         Date"), then Country Name,Country Code,Indicator Name,Indicator
 *         Code,1960,...,2023, one line per country, an empty cell for a
 *         missing year (and an empty column after the last year).
 *
 * The `wb-api` importer reads the JSON pages of the World Bank API v2
 * (format=json) as `orderlab fetch wdi` saves them: one or more responses,
 * each followed by a NUL byte (a file saved from a browser, one response
 * without the NUL, works too).  Every response is [meta, [records]], with
 * meta.lastupdated the vintage.
 *
 * World Bank codes go through the crosswalk (OL_CODES_WB); aggregates such
 * as WLD, EUU or HIC are kept as they are crosswalk entries of kind
 * 'aggregate'.  An empty value is a documented skip.
 */
#include "import_helpers.h"

#include "util/text.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

/* WDI starts in 1960; a year before it in a World Bank file is an error, and
 * so is one past OL_WB_YEAR_MAX (a typo such as 20230). */
enum { OL_WB_YEAR_MIN = 1960, OL_WB_YEAR_MAX = 2100 };
/* Lines tolerated before the header of a wide file (the download has 4,
 * two of them blank, which the CSV reader does not report). */
enum { OL_WB_PREAMBLE_MAX = 16 };
/* How often (in records) the progress callback is called. */
enum { OL_WB_PROGRESS_EVERY = 256 };

#define OL_WB_DEFAULT_SERIES "NY.GDP.MKTP.CD"

typedef struct wb_series_info {
    const char *code, *name, *unit;
} wb_series_info;

/* Series whose unit is known; the long layout needs one of these, since its
 * file does not say what it holds.  Names and units as in WDI. */
static const wb_series_info known_series[] = {
    {"NY.GDP.MKTP.CD", "GDP (current US$)", "current US$"},
    {"NY.GDP.MKTP.KD", "GDP (constant 2015 US$)", "constant 2015 US$"},
    {"NY.GDP.MKTP.PP.CD", "GDP, PPP (current international $)", "current international $"},
    {"NY.GDP.MKTP.PP.KD", "GDP, PPP (constant 2021 international $)", "constant 2021 international $"},
    {"NY.GDP.PCAP.CD", "GDP per capita (current US$)", "current US$ per person"},
    {"SP.POP.TOTL", "Population, total", "persons"},
    {"MS.MIL.XPND.CD", "Military expenditure (current USD)", "current US$"},
    {"MS.MIL.XPND.GD.ZS", "Military expenditure (% of GDP)", "% of GDP"},
    {"NE.EXP.GNFS.CD", "Exports of goods and services (current US$)", "current US$"},
    {NULL, NULL, NULL},
};

static const wb_series_info *find_known(const char *code)
{
    for (const wb_series_info *s = known_series; s->code; s++)
        if (strcmp(s->code, code) == 0) return s;
    return NULL;
}

/* The unit of a series named in a wide file: the known unit, else the last
 * parenthesised part of its name ("Military expenditure (% of GDP)"), else
 * the name itself. */
static void unit_from_name(const char *code, const char *name, char *unit, size_t n)
{
    const wb_series_info *k = find_known(code);
    if (k) { snprintf(unit, n, "%s", k->unit); return; }
    const char *open = strrchr(name, '(');
    const char *close = open ? strchr(open, ')') : NULL;
    if (open && close && close > open + 1) {
        snprintf(unit, n, "%.*s", (int)(close - open - 1), open + 1);
        return;
    }
    snprintf(unit, n, "as named: %s", name);
}

/* A WB code to an orderlab code.  WB codes are not reused over time, so when
 * the crosswalk has no entity for the year itself the undated match is used. */
static const char *wb_country(const ol_import_ctx *c, const char *code, int year)
{
    const char *oc = ol_country_index_lookup(c->countries, OL_CODES_WB, code, year);
    if (!oc) oc = ol_country_index_lookup(c->countries, OL_CODES_WB, code, 0);
    return oc;
}

/* The header tells the layouts apart; a header that is recognisably one of
 * them but lacks a column then fails on that column by name. */
static int is_header_long(const ol_csv *r)
{
    return ol_csv_find(r, "Country Code") >= 0 && ol_csv_find(r, "Year") >= 0;
}

static int is_header_wide(const ol_csv *r)
{
    return ol_csv_find(r, "Country Code") >= 0 && ol_csv_find(r, "Indicator Code") >= 0;
}

/* Stores one value (the record is already counted as read) and counts its
 * outcome. */
static ol_status put_value(ol_import_ctx *c, ol_value_writer *w, const ol_csv *r, long col_code,
                           long col_value, const char *value_field, const char *series,
                           const char *unit, const char *wbcode, const char *name, int year,
                           const char *text)
{
    if (ol_is_blank(text)) { ol_import_skip(c); return OL_OK; }
    double v;
    if (!ol_parse_double(text, &v))
        return ol_import_reject_csv(c, r, OL_EVALIDATE, col_value + 1, value_field,
                                    "not a number: '%s'", text);
    const char *oc = wb_country(c, wbcode, year);
    if (!oc)
        return ol_import_reject_csv(c, r, OL_EVALIDATE, col_code + 1, "Country Code",
                                    "unknown World Bank country code '%s' (%s); a user override "
                                    "can add it to the crosswalk (docs/countries.md)", wbcode, name);
    switch (ol_values_put(w, series, oc, year, v, unit)) {
    case OL_PUT_OK: ol_import_keep(c); return OL_OK;
    case OL_PUT_DUPLICATE:
        return ol_import_reject_csv(c, r, OL_EVALIDATE, col_code + 1, "Country Code",
                                    "duplicate: %s (%s) %d already has a value earlier in the file",
                                    wbcode, oc, year);
    default: return c->err ? c->err->code : OL_ESTORE;
    }
}

static ol_status import_long(ol_import_ctx *c, ol_csv *r)
{
    const char *series = c->opt->series && c->opt->series[0] ? c->opt->series : OL_WB_DEFAULT_SERIES;
    const wb_series_info *info = find_known(series);
    if (!info) {
        char known[512] = "";
        for (const wb_series_info *s = known_series; s->code; s++) {
            size_t used = strlen(known);
            snprintf(known + used, sizeof known - used, "%s%s", used ? ", " : "", s->code);
        }
        return ol_error_set(c->err, OL_EINVAL, c->path, 0, 0, "series",
                            "unknown World Bank series '%s': a long-layout file does not state its "
                            "unit, so the series must be one of %s (or use the wide API_*.csv file "
                            "or 'orderlab fetch wdi')", series, known);
    }
    static const char *const cols[] = {"Country Name", "Country Code", "Year", "Value"};
    long idx[4];
    ol_status st = ol_csv_require(r, cols, 4, idx, c->err);
    if (st) return st;
    size_t nheader = ol_csv_nfields(r);
    st = ol_import_series(c, info->code, info->name, info->unit, NULL);
    if (!st) st = ol_import_rename_source(c, info->code);
    if (st) return st;

    ol_value_writer w;
    st = ol_values_open(c, &w);
    if (st) return st;
    int rc;
    while ((rc = ol_csv_next(r, c->err)) == 1) {
        ol_import_read(c);
        if (c->sum->rows_read % OL_WB_PROGRESS_EVERY == 0 && (st = ol_import_progress(c, r))) break;
        if (ol_csv_nfields(r) != nheader) {
            st = ol_import_reject_width(c, r, nheader);
            if (st) break;
            continue;
        }
        const char *ytext = ol_csv_field(r, (size_t)idx[2]);
        int year;
        if (!ol_parse_int(ytext, &year) || year < OL_WB_YEAR_MIN || year > OL_WB_YEAR_MAX) {
            st = ol_import_reject_csv(c, r, OL_EVALIDATE, idx[2] + 1, "Year",
                                      "not a year in %d-%d: '%s'", OL_WB_YEAR_MIN, OL_WB_YEAR_MAX, ytext);
            if (st) break;
            continue;
        }
        char code[OL_CODE_MAX * 2];
        ol_trim_copy(code, sizeof code, ol_csv_field(r, (size_t)idx[1]));
        st = put_value(c, &w, r, idx[1], idx[3], "Value", info->code, info->unit, code,
                       ol_csv_field(r, (size_t)idx[0]), year, ol_csv_field(r, (size_t)idx[3]));
        if (st) break;
    }
    if (rc < 0 && !st) st = c->err ? c->err->code : OL_EPARSE;
    ol_values_close(&w);
    return st;
}

static ol_status import_wide(ol_import_ctx *c, ol_csv *r, const char *updated)
{
    static const char *const cols[] = {"Country Name", "Country Code", "Indicator Name", "Indicator Code"};
    long idx[4];
    ol_status st = ol_csv_require(r, cols, 4, idx, c->err);
    if (st) return st;
    size_t nheader = ol_csv_nfields(r);
    /* Year columns: every header field that is not one of the four names.
     * The download ends each line with a comma, i.e. an empty last column. */
    int *years = calloc(nheader, sizeof *years);
    if (!years) return ol_error_set(c->err, OL_ENOMEM, c->path, 0, 0, NULL, "out of memory");
    size_t nyears = 0;
    for (size_t i = 0; i < nheader && !st; i++) {
        if ((long)i == idx[0] || (long)i == idx[1] || (long)i == idx[2] || (long)i == idx[3]) continue;
        const char *h = ol_csv_field(r, i);
        if (ol_is_blank(h)) { if (i + 1 == nheader) continue; }
        int y;
        if (!ol_parse_int(h, &y) || y < OL_WB_YEAR_MIN || y > OL_WB_YEAR_MAX) {
            st = ol_csv_error(r, c->err, OL_EPARSE, (long)i + 1, h,
                              "unexpected column '%s' in the header of a wide World Bank file: "
                              "expected a year in %d-%d", h, OL_WB_YEAR_MIN, OL_WB_YEAR_MAX);
            break;
        }
        for (size_t k = 0; k < i; k++)
            if (years[k] == y)
                st = ol_csv_error(r, c->err, OL_EPARSE, (long)i + 1, h, "year column %d appears twice", y);
        years[i] = y;
        nyears++;
    }
    if (!st && nyears == 0)
        st = ol_csv_error(r, c->err, OL_EPARSE, 0, NULL, "no year columns in the header");
    if (!st && updated && !(c->opt->vintage && c->opt->vintage[0])) st = ol_import_set_vintage(c, updated);
    if (st) { free(years); return st; }

    ol_value_writer w;
    st = ol_values_open(c, &w);
    if (st) { free(years); return st; }
    char series[64] = "";
    char unit[160] = "";
    int rc;
    long lines = 0;
    while ((rc = ol_csv_next(r, c->err)) == 1) {
        if (++lines % OL_WB_PROGRESS_EVERY == 0 && (st = ol_import_progress(c, r))) break;
        if (ol_csv_nfields(r) != nheader) {
            ol_import_read(c);
            st = ol_import_reject_width(c, r, nheader);
            if (st) break;
            continue;
        }
        char icode[64];
        ol_trim_copy(icode, sizeof icode, ol_csv_field(r, (size_t)idx[3]));
        if (!series[0]) {
            /* The first data line names the file's one indicator. */
            const char *want = c->opt->series;
            if (want && want[0] && strcmp(want, icode) != 0) {
                st = ol_csv_error(r, c->err, OL_EINVAL, idx[3] + 1, "Indicator Code",
                                  "the file holds indicator '%s', not the --series '%s' asked for",
                                  icode, want);
                break;
            }
            if (!icode[0]) {
                st = ol_csv_error(r, c->err, OL_EPARSE, idx[3] + 1, "Indicator Code", "empty indicator code");
                break;
            }
            const char *iname = ol_csv_field(r, (size_t)idx[2]);
            snprintf(series, sizeof series, "%s", icode);
            unit_from_name(series, iname, unit, sizeof unit);
            st = ol_import_series(c, series, iname[0] ? iname : series, unit, NULL);
            if (!st) st = ol_import_rename_source(c, series);
            if (st) break;
        } else if (strcmp(icode, series) != 0) {
            ol_import_read(c);
            st = ol_import_reject_csv(c, r, OL_EVALIDATE, idx[3] + 1, "Indicator Code",
                                      "indicator '%s' in a file of '%s' (one indicator per file)",
                                      icode, series);
            if (st) break;
            continue;
        }
        char code[OL_CODE_MAX * 2];
        ol_trim_copy(code, sizeof code, ol_csv_field(r, (size_t)idx[1]));
        const char *name = ol_csv_field(r, (size_t)idx[0]);
        const char *oc = wb_country(c, code, 0);
        if (!oc) {
            /* The whole line is refused once, not once per year. */
            ol_import_read(c);
            st = ol_import_reject_csv(c, r, OL_EVALIDATE, idx[1] + 1, "Country Code",
                                      "unknown World Bank country code '%s' (%s); a user override "
                                      "can add it to the crosswalk (docs/countries.md)", code, name);
            if (st) break;
            continue;
        }
        int dup = ol_values_seen(&w, oc, 0, 0, NULL);
        if (dup < 0) { st = c->err ? c->err->code : OL_ENOMEM; break; }
        if (dup) {
            ol_import_read(c);
            st = ol_import_reject_csv(c, r, OL_EVALIDATE, idx[1] + 1, "Country Code",
                                      "duplicate: a line for %s (%s) appears earlier in the file", code, oc);
            if (st) break;
            continue;
        }
        for (size_t i = 0; i < nheader && !st; i++) {
            if (!years[i]) continue;
            ol_import_read(c);
            char yname[16];
            snprintf(yname, sizeof yname, "%d", years[i]);
            st = put_value(c, &w, r, idx[1], (long)i, yname, series, unit, code, name, years[i],
                           ol_csv_field(r, i));
        }
        if (st) break;
    }
    if (rc < 0 && !st) st = c->err ? c->err->code : OL_EPARSE;
    ol_values_close(&w);
    free(years);
    return st;
}

ol_status ol_import_wb(ol_import_ctx *c)
{
    ol_csv *r = NULL;
    ol_status st = ol_csv_open(c->path, NULL, &r, c->err);
    if (st) return st;
    char updated[32] = "";
    int found = 0, rc = 0;
    for (int n = 0; n < OL_WB_PREAMBLE_MAX && (rc = ol_csv_next(r, c->err)) == 1; n++) {
        if (is_header_long(r)) { found = 1; break; }
        if (is_header_wide(r)) { found = 2; break; }
        if (strcmp(ol_csv_field(r, 0), "Last Updated Date") == 0) {
            const char *d = ol_csv_field(r, 1);
            if (!ol_iso_date_valid(d)) {
                st = ol_csv_error(r, c->err, OL_EPARSE, 2, "Last Updated Date", "not a date: '%s'", d);
                break;
            }
            snprintf(updated, sizeof updated, "%s", d);
        }
    }
    if (!st && rc < 0) st = c->err ? c->err->code : OL_EPARSE;
    if (!st && !found)
        st = ol_error_set(c->err, OL_EPARSE, c->path, ol_csv_line(r), 0, NULL,
                          "not a World Bank CSV file: no header 'Country Name,Country Code,Year,Value' "
                          "(long layout) or 'Country Name,Country Code,Indicator Name,Indicator Code,"
                          "<years>' (wide layout) in the first %d lines", OL_WB_PREAMBLE_MAX);
    if (!st) st = found == 1 ? import_long(c, r) : import_wide(c, r, updated[0] ? updated : NULL);
    ol_csv_close(r);
    return st;
}

/* ------------------------------------------------------------ wb-api */

/* A string member of a JSON object, or NULL. */
static const char *json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

ol_status ol_wb_api_error_text(const cJSON *doc, char *buf, size_t n)
{
    /* [{"message":[{"id":"120","key":"Invalid value","value":"..."}]}] */
    const cJSON *first = cJSON_IsArray(doc) ? cJSON_GetArrayItem(doc, 0) : NULL;
    const cJSON *msgs = first ? cJSON_GetObjectItemCaseSensitive(first, "message") : NULL;
    if (!cJSON_IsArray(msgs)) return OL_ENOTFOUND;
    const cJSON *m = cJSON_GetArrayItem(msgs, 0);
    const char *id = json_str(m, "id"), *key = json_str(m, "key"), *value = json_str(m, "value");
    snprintf(buf, n, "World Bank API error %s (%s): %s", id ? id : "?", key ? key : "no key",
             value ? value : "no message");
    return OL_OK;
}

/* Imports one response page (text, len bytes). */
static ol_status import_api_page(ol_import_ctx *c, ol_value_writer *w, long pageno, const char *text,
                                 size_t len, char *series, size_t series_size, char *unit,
                                 size_t unit_size)
{
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!doc)
        return ol_error_set(c->err, OL_EPARSE, c->path, 0, 0, NULL,
                            "response %ld is not valid JSON (near byte %ld)", pageno,
                            end ? (long)(end - text) : -1L);
    ol_status st = OL_OK;
    char apierr[OL_ERROR_MSG_MAX];
    const cJSON *meta = cJSON_GetArrayItem(doc, 0);
    const cJSON *data = cJSON_GetArrayItem(doc, 1);
    if (ol_wb_api_error_text(doc, apierr, sizeof apierr) == OL_OK) {
        st = ol_error_set(c->err, OL_EPARSE, c->path, 0, 0, NULL, "response %ld: %s", pageno, apierr);
    } else if (!cJSON_IsArray(doc) || cJSON_GetArraySize(doc) != 2 || !cJSON_IsObject(meta) ||
               !(cJSON_IsArray(data) || cJSON_IsNull(data))) {
        st = ol_error_set(c->err, OL_EPARSE, c->path, 0, 0, NULL,
                          "response %ld is not a World Bank API v2 response ([meta, [records]])", pageno);
    } else if (pageno == 1 && !(c->opt->vintage && c->opt->vintage[0]) && cJSON_GetArraySize(data) > 0) {
        /* An empty answer ([{"pages":0,...},null]) may lack the date. */
        const char *lu = json_str(meta, "lastupdated");
        if (!lu || !ol_iso_date_valid(lu))
            st = ol_error_set(c->err, OL_EPARSE, c->path, 0, 0, "lastupdated",
                              "response 1: no valid 'lastupdated' date in the metadata");
        else
            st = ol_import_set_vintage(c, lu);
    }
    long recno = 0;
    const cJSON *rec;
    const cJSON *records = st ? NULL : data;
    cJSON_ArrayForEach(rec, records) {
        recno++;
        ol_import_read(c);
        ol_error rej;
        ol_error_clear(&rej);
        const cJSON *ind = cJSON_GetObjectItemCaseSensitive(rec, "indicator");
        const cJSON *cty = cJSON_GetObjectItemCaseSensitive(rec, "country");
        const char *icode = json_str(ind, "id");
        const char *iname = json_str(ind, "value");
        const char *code = json_str(rec, "countryiso3code");
        const char *cname = json_str(cty, "value");
        const char *date = json_str(rec, "date");
        const cJSON *val = cJSON_GetObjectItemCaseSensitive(rec, "value");
        int year = 0;
#define REJECT(code_, field_, ...) do { \
        char m_[OL_ERROR_MSG_MAX]; snprintf(m_, sizeof m_, __VA_ARGS__); \
        ol_error_set(&rej, code_, c->path, 0, 0, field_, "response %ld, record %ld: %s", pageno, recno, m_); \
        st = ol_import_reject(c, &rej); } while (0)
        if (!icode || !icode[0]) { REJECT(OL_EPARSE, "indicator", "no indicator id"); continue; }
        if (!series[0]) {
            const char *want = c->opt->series;
            if (want && want[0] && strcmp(want, icode) != 0) {
                st = ol_error_set(c->err, OL_EINVAL, c->path, 0, 0, "indicator",
                                  "the data are of indicator '%s', not '%s'", icode, want);
                break;
            }
            snprintf(series, series_size, "%s", icode);
            unit_from_name(series, iname ? iname : series, unit, unit_size);
            st = ol_import_series(c, series, iname && iname[0] ? iname : series, unit, NULL);
            if (!st) st = ol_import_rename_source(c, series);
            if (st) break;
        } else if (strcmp(series, icode) != 0) {
            REJECT(OL_EVALIDATE, "indicator", "indicator '%s' among data of '%s'", icode, series);
            if (st) break;
            continue;
        }
        if (!date || !ol_parse_int(date, &year) || year < OL_WB_YEAR_MIN || year > OL_WB_YEAR_MAX) {
            REJECT(OL_EVALIDATE, "date", "not a year in %d-%d: '%s'", OL_WB_YEAR_MIN, OL_WB_YEAR_MAX,
                   date ? date : "(missing)");
            if (st) break;
            continue;
        }
        if (cJSON_IsNull(val) || !val) { ol_import_skip(c); continue; }
        if (!cJSON_IsNumber(val) || !isfinite(val->valuedouble)) {
            REJECT(OL_EVALIDATE, "value", "not a number");
            if (st) break;
            continue;
        }
        const char *oc = code && code[0] ? wb_country(c, code, year) : NULL;
        if (!oc) {
            REJECT(OL_EVALIDATE, "countryiso3code",
                   "unknown World Bank country code '%s' (%s, country id %s); a user override can add "
                   "it to the crosswalk (docs/countries.md)", code ? code : "",
                   cname ? cname : "no name", json_str(cty, "id") ? json_str(cty, "id") : "?");
            if (st) break;
            continue;
        }
        ol_put_result pr = ol_values_put(w, series, oc, year, val->valuedouble, unit);
        if (pr == OL_PUT_FAILED) { st = c->err ? c->err->code : OL_ESTORE; break; }
        if (pr == OL_PUT_DUPLICATE) {
            REJECT(OL_EVALIDATE, "countryiso3code", "duplicate: %s (%s) %d appears earlier", code, oc, year);
            if (st) break;
            continue;
        }
        ol_import_keep(c);
#undef REJECT
    }
    cJSON_Delete(doc);
    return st;
}

ol_status ol_import_wb_api(ol_import_ctx *c)
{
    FILE *fp = fopen(c->path, "rb");
    if (!fp) return ol_error_set(c->err, OL_EIO, c->path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    struct stat sb;
    uint64_t total = fstat(fileno(fp), &sb) == 0 ? (uint64_t)sb.st_size : 0, done = 0;
    ol_value_writer w;
    ol_status st = ol_values_open(c, &w);
    if (st) { fclose(fp); return st; }
    char series[64] = "", unit[160] = "";
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    long pageno = 0;
    /* Memory is bounded by one response page, never the whole download. */
    while (!st && (n = getdelim(&buf, &cap, '\0', fp)) > 0) {
        done += (uint64_t)n;
        size_t len = (size_t)n;
        if (buf[len - 1] == '\0') len--;
        size_t i = 0;
        while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t')) i++;
        if (i == len) continue;  /* trailing whitespace after the last NUL */
        pageno++;
        st = import_api_page(c, &w, pageno, buf + i, len - i, series, sizeof series, unit, sizeof unit);
        if (!st && c->opt->progress && c->opt->progress(c->opt->progress_ctx, done, total))
            st = ol_error_set(c->err, OL_EINTERRUPTED, c->path, 0, 0, NULL, "import interrupted; nothing was written");
    }
    if (!st && ferror(fp)) st = ol_error_set(c->err, OL_EIO, c->path, 0, 0, NULL, "read error: %s", strerror(errno));
    if (!st && pageno == 0) st = ol_error_set(c->err, OL_EPARSE, c->path, 0, 0, NULL, "empty file: no API response");
    free(buf);
    ol_values_close(&w);
    fclose(fp);
    return st;
}
