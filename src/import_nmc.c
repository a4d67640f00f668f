/*
 * The `nmc` importer: the Correlates of War National Material Capabilities
 * data set (v6.0 abridged layout: stateabb, ccode, year, milex, milper,
 * irst, pec, tpop, upop, cinc, version).  Each of the six components and the
 * CINC score becomes series `nmc.<column>` with the unit of the COW codebook.
 * `-9` is COW's missing-value code: a documented skip.
 *
 * COW numbers are resolved with the year, because one number can belong to
 * different entities over time (255 Germany/Prussia, 260 FRG, 265 GDR; 365
 * Russia/USSR), and the file's letter code (`stateabb`) must name the same
 * entity in the crosswalk: a mismatch is a reject, since it means either the
 * file or the crosswalk is wrong.  When two numbers of one orderlab entity
 * both have a line for a year (GFR 260 and GMY 255 in 1990, both DEU), the
 * line of the entity's own COW number is kept and the other skipped.
 */
#include "import_helpers.h"

#include "util/text.h"

#include <stdio.h>
#include <string.h>

/* The COW state system starts in 1816; OL_NMC_YEAR_MAX catches typos. */
enum { OL_NMC_YEAR_MIN = 1816, OL_NMC_YEAR_MAX = 2100 };
enum { OL_NMC_PROGRESS_EVERY = 256 };
/* COW's code for a missing value. */
static const double OL_NMC_MISSING = -9.0;

#define OL_NMC_UNBOUNDED 1e300
/* Units per the NMC v6.0 codebook.  CINC is a share of the system total. */
static const ol_value_column vars[] = {
    {"milex", "nmc.milex", "Military expenditure", "thousand current US$"},
    {"milper", "nmc.milper", "Military personnel", "thousand persons"},
    {"irst", "nmc.irst", "Iron and steel production", "thousand tons"},
    {"pec", "nmc.pec", "Primary energy consumption", "thousand coal-ton equivalents"},
    {"tpop", "nmc.tpop", "Total population", "thousand persons"},
    {"upop", "nmc.upop", "Urban population (cities of 100,000 and more)", "thousand persons"},
    {"cinc", "nmc.cinc", "Composite Index of National Capability (CINC)", "share of the state system (0-1)"},
};
/* The largest valid value of each column of vars (all are >= 0). */
static const double vars_max[] = {
    OL_NMC_UNBOUNDED, OL_NMC_UNBOUNDED, OL_NMC_UNBOUNDED, OL_NMC_UNBOUNDED,
    OL_NMC_UNBOUNDED, OL_NMC_UNBOUNDED, 1.0,
};
_Static_assert(sizeof vars_max / sizeof vars_max[0] == sizeof vars / sizeof vars[0],
               "one bound per column of vars");
#define NVARS (sizeof vars / sizeof vars[0])

ol_status ol_import_nmc(ol_import_ctx *c)
{
    static const char *const keys[] = {"stateabb", "ccode", "year"};
    long kidx[3], vidx[NVARS];
    ol_csv *r = NULL;
    ol_value_writer w;
    ol_status st = ol_values_open_file(c, NULL, keys, 3, kidx, vars, NVARS, vidx,
                                       "COW National Material Capabilities", &r, &w);
    if (st) return st;
    long vcol = ol_csv_find(r, "version");
    int vintage_from_file = vcol >= 0 && !(c->opt->vintage && c->opt->vintage[0]);
    size_t nheader = ol_csv_nfields(r);

    int rc = 0;
    long lines = 0;
    while (!st && (rc = ol_csv_next(r, c->err)) == 1) {
        if (++lines % OL_NMC_PROGRESS_EVERY == 0 && (st = ol_import_progress(c, r))) break;
        if (ol_csv_nfields(r) != nheader) {
            ol_import_read(c);
            st = ol_import_reject_width(c, r, nheader);
            continue;
        }
        if (vintage_from_file) {
            /* The release stated in the file (v6.0: "2021") is the vintage. */
            char v[32];
            ol_trim_copy(v, sizeof v, ol_csv_field(r, (size_t)vcol));
            vintage_from_file = 0;
            if (v[0] && (st = ol_import_set_vintage(c, v))) break;
        }
        const char *ytext = ol_csv_field(r, (size_t)kidx[2]);
        int year, ccode;
        if (!ol_parse_int(ytext, &year) || year < OL_NMC_YEAR_MIN || year > OL_NMC_YEAR_MAX) {
            ol_import_read(c);
            st = ol_import_reject_csv(c, r, OL_EVALIDATE, kidx[2] + 1, "year",
                                      "not a year in %d-%d: '%s'", OL_NMC_YEAR_MIN, OL_NMC_YEAR_MAX, ytext);
            continue;
        }
        const char *ctext = ol_csv_field(r, (size_t)kidx[1]);
        if (!ol_parse_int(ctext, &ccode) || ccode <= 0) {
            ol_import_read(c);
            st = ol_import_reject_csv(c, r, OL_EVALIDATE, kidx[1] + 1, "ccode",
                                      "not a COW country number: '%s'", ctext);
            continue;
        }
        char key[16], abb[OL_CODE_MAX * 2];
        snprintf(key, sizeof key, "%d", ccode);
        ol_trim_copy(abb, sizeof abb, ol_csv_field(r, (size_t)kidx[0]));
        const char *oc = ol_country_index_lookup(c->countries, OL_CODES_COWN, key, year);
        if (!oc) {
            ol_import_read(c);
            st = ol_import_reject_csv(c, r, OL_EVALIDATE, kidx[1] + 1, "ccode",
                                      "unknown COW country number %d (%s); a user override can add "
                                      "it to the crosswalk (docs/countries.md)", ccode, abb);
            continue;
        }
        const ol_country *ct = ol_country_index_get(c->countries, oc);
        const char *by_abb = ol_country_index_lookup(c->countries, OL_CODES_COWC, abb, year);
        if (!(ct && strcmp(ct->cowc, abb) == 0) && !(by_abb && strcmp(by_abb, oc) == 0)) {
            ol_import_read(c);
            st = ol_import_reject_csv(c, r, OL_EVALIDATE, kidx[0] + 1, "stateabb",
                                      "COW letter code '%s' does not match country %d in %d: the "
                                      "crosswalk has %s (%s)%s%s", abb, ccode, year, oc,
                                      ct && ct->cowc[0] ? ct->cowc : "no letter code",
                                      by_abb ? ", and it gives that letter code to " : "",
                                      by_abb ? by_abb : "");
            continue;
        }
        int prev = 0;
        int dup = ol_values_seen(&w, oc, year, ccode, &prev);
        if (dup < 0) { st = c->err ? c->err->code : OL_ENOMEM; break; }
        if (dup && prev == ccode) {
            ol_import_read(c);
            st = ol_import_reject_csv(c, r, OL_EVALIDATE, kidx[1] + 1, "ccode",
                                      "duplicate: a line for %s (%d, %s) %d appears earlier in the file",
                                      abb, ccode, oc, year);
            continue;
        }
        if (dup) {
            /* Two COW numbers of one entity in its transition year (GFR 260
             * and GMY 255 are both DEU in 1990): the line of the entity's own
             * number wins, the other is a documented skip. */
            if (!ct || ct->cown != ccode) {
                for (size_t i = 0; i < NVARS; i++) { ol_import_read(c); ol_import_skip(c); }
                continue;
            }
            int64_t gone = ol_values_supersede(&w, oc, year, ccode);
            if (gone < 0) { st = c->err ? c->err->code : OL_ESTORE; break; }
            c->sum->rows_kept -= gone;
            c->sum->rows_skipped += gone;
        }
        for (size_t i = 0; i < NVARS && !st; i++) {
            ol_import_read(c);
            const char *text = ol_csv_field(r, (size_t)vidx[i]);
            double v;
            if (!ol_parse_double(text, &v)) {
                st = ol_import_reject_csv(c, r, OL_EVALIDATE, vidx[i] + 1, vars[i].column,
                                          "not a number: '%s'", text);
                continue;
            }
            if (v == OL_NMC_MISSING) { ol_import_skip(c); continue; }
            if (v < 0 || v > vars_max[i]) {
                st = vars_max[i] < OL_NMC_UNBOUNDED
                         ? ol_import_reject_csv(c, r, OL_EVALIDATE, vidx[i] + 1, vars[i].column,
                                                "out of range 0-%g: '%s'", vars_max[i], text)
                         : ol_import_reject_csv(c, r, OL_EVALIDATE, vidx[i] + 1, vars[i].column,
                                                "negative (and not the missing code -9): '%s'", text);
                continue;
            }
            st = ol_values_put_csv(&w, r, vidx[i], &vars[i], oc, year, v);
        }
    }
    if (rc < 0 && !st) st = c->err ? c->err->code : OL_EPARSE;
    ol_values_close(&w);
    ol_csv_close(r);
    return st;
}
