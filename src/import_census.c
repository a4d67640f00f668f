/*
 * The `census-trade` importer: US trade in goods by partner country, the US
 * Census Bureau's country.xlsx as CSV (year, CTY_CODE, CTYNAME, IJAN … IDEC,
 * IYR, EJAN … EDEC, EYR; millions of current US$; I = general imports,
 * customs value; E = total exports, f.a.s.).  One line per partner and year
 * gives three pair values with country USA (the reporter) and the partner:
 * census.imports (IYR), census.exports (EYR) and census.balance (EYR − IYR,
 * negative when the US buys more than it sells: the partner's surplus).
 *
 * Partners.  CTY_CODE goes through the crosswalk's census code system with
 * the line's year.  Codes below 1000 are Census aggregates: the crosswalk
 * maps the world total (0015, not seasonally adjusted) to WLD and the
 * European Union (0003) to EUU, which are kept; the others (the seasonally
 * adjusted world 0004, NAFTA, USMCA, CAFTA-DR, Advanced Technology Products,
 * regions) are skipped and counted.  Codes from 8000 are Census's residual
 * categories (unidentified countries, international organisations): skipped
 * and counted.  Any other unknown code is a reject.
 *
 * Years.  A year is complete when some line of the file has a non-zero value
 * in each of its twelve months; otherwise every value of that year is
 * flagged "partial:F-L" (first and last month with data; e.g. partial:1-6
 * for the staged file's 2024, January to June), so that a partial year is
 * never taken for a full one.  IYR and EYR must equal the sum of their
 * months (a reject otherwise).  Census keeps retired codes in the file with
 * all-zero lines (USSR, Czechoslovakia, the former Yugoslavia after their
 * breakup): a line with every cell zero is skipped.  When two Census codes
 * map to one partner in one year (Gaza Strip and West Bank, both PSE; Sudan
 * before and after July 2011), their values are added and flagged
 * "combined".
 *
 * Vintage: --vintage, else the last month with data in the file (YYYY-MM).
 */
#include "import_helpers.h"

#include "util/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The Census country series start in 1985; OL_CENSUS_YEAR_MAX catches typos. */
enum { OL_CENSUS_YEAR_MIN = 1985, OL_CENSUS_YEAR_MAX = 2100 };
enum { OL_CENSUS_NYEARS = OL_CENSUS_YEAR_MAX - OL_CENSUS_YEAR_MIN + 1 };
/* Codes below this are aggregates; from OL_CENSUS_RESIDUAL_MIN residual
 * categories (Census Schedule C). */
enum { OL_CENSUS_AGGREGATE_END = 1000, OL_CENSUS_RESIDUAL_MIN = 8000, OL_CENSUS_CODE_MAX = 9999 };
enum { OL_CENSUS_PROGRESS_EVERY = 256, NMONTHS = 12 };
enum { ALL_MONTHS = (1 << NMONTHS) - 1 };
/* An annual total may differ from the sum of its months by rounding only. */
static const double OL_CENSUS_SUM_RTOL = 1e-6, OL_CENSUS_SUM_ATOL = 1e-3;
/* Values per line that count as records: the annual imports and exports. */
enum { RECORDS_PER_LINE = 2 };

#define OL_CENSUS_REPORTER "USA"
#define OL_CENSUS_UNIT "million current US$"

static const char *const MONTHS[NMONTHS] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                            "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

typedef struct census_series { const char *code, *name; } census_series;
static const census_series S_IMPORTS = {"census.imports", "US general imports of goods from the partner (customs value)"};
static const census_series S_EXPORTS = {"census.exports", "US total exports of goods to the partner (f.a.s. value)"};
static const census_series S_BALANCE = {"census.balance",
                                        "US goods trade balance with the partner (exports - imports; "
                                        "negative = the partner's surplus)"};

/* Column indices: [0] imports, [1] exports; months then the annual total. */
typedef struct census_cols {
    long year, code, name;
    long month[2][NMONTHS];
    long total[2];
} census_cols;

static ol_status map_columns(ol_import_ctx *c, ol_csv *r, census_cols *k)
{
    static const char *const keys[] = {"year", "CTY_CODE", "CTYNAME", "IYR", "EYR"};
    long idx[5];
    ol_status st = ol_csv_require(r, keys, 5, idx, c->err);
    if (st) return st;
    k->year = idx[0], k->code = idx[1], k->name = idx[2], k->total[0] = idx[3], k->total[1] = idx[4];
    for (int f = 0; f < 2 && !st; f++) {
        for (int m = 0; m < NMONTHS && !st; m++) {
            char name[8];
            snprintf(name, sizeof name, "%c%s", f ? 'E' : 'I', MONTHS[m]);
            const char *nm = name;
            st = ol_csv_require(r, &nm, 1, &k->month[f][m], c->err);
        }
    }
    return st;
}

/* Parses a money cell: a number >= 0.  Returns 1, or 0 after reporting the
 * reject (*st receives ol_import_reject's status). */
static int parse_cell(ol_import_ctx *c, const ol_csv *r, long col, const char *field, double *out, ol_status *st)
{
    const char *text = ol_csv_field(r, (size_t)col);
    if (!ol_parse_double(text, out)) {
        *st = ol_import_reject_at(c, r, col, field, "not a number: '%s' (Census writes 0 for no trade)", text);
        return 0;
    }
    if (*out < 0) {
        *st = ol_import_reject_at(c, r, col, field, "negative: '%s'", text);
        return 0;
    }
    return 1;
}

/* The flag of a partial year from its mask of months with data. */
static void partial_flag(int mask, char *buf, size_t n)
{
    int first = 0, last = 0;
    for (int m = 0; m < NMONTHS; m++)
        if (mask & (1 << m)) { if (!first) first = m + 1; last = m + 1; }
    int contiguous = 1;
    for (int m = first; m < last; m++) if (!(mask & (1 << (m - 1)))) contiguous = 0;
    if (contiguous) { snprintf(buf, n, "partial:%d-%d", first, last); return; }
    size_t len = (size_t)snprintf(buf, n, "partial:");
    for (int m = 0; m < NMONTHS && len + 4 < n; m++)
        if (mask & (1 << m)) len += (size_t)snprintf(buf + len, n - len, "%s%d", buf[len - 1] == ':' ? "" : ";", m + 1);
}

static ol_status store_line(ol_import_ctx *c, ol_pair_writer *pw, const char *partner, int year,
                            const double tot[2])
{
    static const census_series *const ser[3] = {&S_IMPORTS, &S_EXPORTS, &S_BALANCE};
    const double v[3] = {tot[0], tot[1], tot[1] - tot[0]};
    for (int i = 0; i < 3; i++) {
        ol_put_result pr = ol_pairs_add(pw, ser[i]->code, OL_CENSUS_REPORTER, partner, year, v[i],
                                        OL_CENSUS_UNIT, "combined");
        if (pr == OL_PUT_FAILED) return c->err ? c->err->code : OL_ESTORE;
    }
    c->sum->rows_kept += RECORDS_PER_LINE;
    return OL_OK;
}

ol_status ol_import_census_trade(ol_import_ctx *c)
{
    ol_csv *r = NULL;
    ol_status st = ol_import_open_csv(c, NULL, NULL, 0, NULL, &r);
    if (st) return st;
    census_cols k;
    st = map_columns(c, r, &k);
    ol_pair_writer pw;
    ol_value_writer seen; /* only its set of (code, year) keys: a line repeated */
    int pw_open = 0, seen_open = 0;
    if (!st) st = ol_pairs_open(c, &pw);
    if (!st) pw_open = 1;
    if (!st) st = ol_values_open(c, &seen);
    if (!st) seen_open = 1;
    const char *desc = "US Census Bureau, U.S. Trade in Goods by Country (Census basis), reporter USA";
    if (!st) st = ol_import_pair_series(c, S_IMPORTS.code, S_IMPORTS.name, OL_CENSUS_UNIT, desc, "country");
    if (!st) st = ol_import_pair_series(c, S_EXPORTS.code, S_EXPORTS.name, OL_CENSUS_UNIT, desc, "country");
    if (!st) st = ol_import_pair_series(c, S_BALANCE.code, S_BALANCE.name, OL_CENSUS_UNIT, desc, "country");
    int *mask = calloc(OL_CENSUS_NYEARS, sizeof *mask);
    if (!st && !mask) st = ol_error_set(c->err, OL_ENOMEM, c->path, 0, 0, NULL, "out of memory");
    size_t nheader = r ? ol_csv_nfields(r) : 0;

    int rc = 0;
    long lines = 0;
    while (!st && (rc = ol_csv_next(r, c->err)) == 1) {
        if (++lines % OL_CENSUS_PROGRESS_EVERY == 0 && (st = ol_import_progress(c, r))) break;
        c->sum->rows_read += RECORDS_PER_LINE;
        /* A line refused as a whole is one record read and rejected (docs/importers.md). */
        if (ol_csv_nfields(r) != nheader) {
            c->sum->rows_read -= RECORDS_PER_LINE - 1;
            st = ol_import_reject_width(c, r, nheader);
            continue;
        }
        const char *ytext = ol_csv_field(r, (size_t)k.year);
        int year, code;
        if (!ol_parse_int(ytext, &year) || year < OL_CENSUS_YEAR_MIN || year > OL_CENSUS_YEAR_MAX) {
            c->sum->rows_read -= RECORDS_PER_LINE - 1;
            st = ol_import_reject_at(c, r, k.year, "year", "not a year in %d-%d: '%s'", OL_CENSUS_YEAR_MIN,
                                     OL_CENSUS_YEAR_MAX, ytext);
            continue;
        }
        const char *ctext = ol_csv_field(r, (size_t)k.code);
        const char *name = ol_csv_field(r, (size_t)k.name);
        if (!ol_parse_int(ctext, &code) || code <= 0 || code > OL_CENSUS_CODE_MAX) {
            c->sum->rows_read -= RECORDS_PER_LINE - 1;
            st = ol_import_reject_at(c, r, k.code, "CTY_CODE", "not a Census partner code (1-4 digits): '%s'",
                                     ctext);
            continue;
        }
        /* Every cell, so that a bad number anywhere is reported. */
        double cell[2][NMONTHS], tot[2];
        int ok = 1, any = 0, months = 0;
        for (int f = 0; f < 2 && ok; f++) {
            double sum = 0.0;
            for (int m = 0; m < NMONTHS && ok; m++) {
                char field[8];
                snprintf(field, sizeof field, "%c%s", f ? 'E' : 'I', MONTHS[m]);
                ok = parse_cell(c, r, k.month[f][m], field, &cell[f][m], &st);
                if (ok && cell[f][m] != 0.0) { any = 1; months |= 1 << m; }
                if (ok) sum += cell[f][m];
            }
            if (!ok) break;
            ok = parse_cell(c, r, k.total[f], f ? "EYR" : "IYR", &tot[f], &st);
            if (ok && tot[f] != 0.0) any = 1;
            if (ok && fabs(tot[f] - sum) > OL_CENSUS_SUM_RTOL * fabs(tot[f]) + OL_CENSUS_SUM_ATOL) {
                st = ol_import_reject_at(c, r, k.total[f], f ? "EYR" : "IYR",
                                         "the annual total %.17g is not the sum of the months, %.17g", tot[f], sum);
                ok = 0;
            }
        }
        if (!ok) { c->sum->rows_read -= RECORDS_PER_LINE - 1; continue; }
        mask[year - OL_CENSUS_YEAR_MIN] |= months;

        char key[16];
        snprintf(key, sizeof key, "%d", code);
        const char *partner = ol_country_index_lookup(c->countries, OL_CODES_CENSUS, key, year);
        if (!partner && (code < OL_CENSUS_AGGREGATE_END || code >= OL_CENSUS_RESIDUAL_MIN)) {
            c->sum->rows_skipped += RECORDS_PER_LINE; /* an aggregate or residual the crosswalk leaves out */
            continue;
        }
        if (!partner) {
            c->sum->rows_read -= RECORDS_PER_LINE - 1;
            st = ol_import_reject_at(c, r, k.code, "CTY_CODE",
                                     "unknown Census partner code %s (%s) in %d; a user override or the "
                                     "crosswalk's census codes can add it (docs/countries.md)", ctext, name, year);
            continue;
        }
        int dup = ol_values_seen(&seen, key, year, code, NULL);
        if (dup < 0) { st = c->err ? c->err->code : OL_ENOMEM; break; }
        if (dup) {
            c->sum->rows_read -= RECORDS_PER_LINE - 1;
            st = ol_import_reject_at(c, r, k.code, "CTY_CODE",
                                     "duplicate: a line for Census code %s (%s) %d appears earlier in the file",
                                     ctext, name, year);
            continue;
        }
        if (!any) { c->sum->rows_skipped += RECORDS_PER_LINE; continue; }
        st = store_line(c, &pw, partner, year, tot);
    }
    if (rc < 0 && !st) st = c->err ? c->err->code : OL_EPARSE;

    /* Partial years, and the vintage: the last month with data. */
    int last_year = 0, last_month = 0;
    for (int y = 0; y < OL_CENSUS_NYEARS && !st; y++) {
        if (!mask[y]) continue;
        last_year = OL_CENSUS_YEAR_MIN + y;
        for (int m = 0; m < NMONTHS; m++) if (mask[y] & (1 << m)) last_month = m + 1;
        if (mask[y] == ALL_MONTHS) continue;
        char flag[64];
        partial_flag(mask[y], flag, sizeof flag);
        if (ol_pairs_flag_year(&pw, OL_CENSUS_YEAR_MIN + y, flag) < 0) st = c->err ? c->err->code : OL_ESTORE;
    }
    if (!st && last_year && !(c->opt->vintage && c->opt->vintage[0])) {
        char v[16];
        snprintf(v, sizeof v, "%04d-%02d", last_year, last_month);
        st = ol_import_set_vintage(c, v);
        if (!st) {
            char sql[128];
            snprintf(sql, sizeof sql, "UPDATE pair_values SET vintage = '%s' WHERE source_id = %lld", v,
                     (long long)c->source_id);
            st = ol_store_exec(c->store, sql, c->err);
        }
    }
    free(mask);
    if (seen_open) ol_values_close(&seen);
    if (pw_open) ol_pairs_close(&pw);
    ol_csv_close(r);
    return st;
}
