/*
 * The `un-finance` importer: revenue of UN-system organisations from the
 * CEB Financial Statistics (nominal US$), in three layouts told apart by the
 * header.  Every value is a pair value: a contributor (country) and an
 * organisation (partner, the CEB's entity code: UN, UN-DPO, WHO, UNESCO...)
 * by year, in one of four revenue types (assessed, voluntary_core,
 * voluntary_earmarked, other):
 *
 *   donors   year, donor, status, category, is_other, entity, type,
 *            amount_usd (the transparency portal's fused donor file,
 *            2013-2024) -> ceb.donor.<type>.  Only category "Government"
 *            rows are contributions of states; the others (the EU, funds,
 *            foundations, the calculated remainders) are skipped and
 *            counted.
 *   govdonor government_donor, entity, rev_type, calendar_year, amount (the
 *            CEB export "Revenue by government donor"; amounts written with
 *            spaces between thousands) -> ceb.govdonor.<type>.
 *   entity   agency, sub_agency, calendar_year, amount, sub_type_name,
 *            rev_type, sub_type (revenue by entity) -> ceb.revenue.<type>
 *            with country WLD: all contributors together.  The parts of an
 *            organisation-year-type (sub-agencies, finer breakdowns) are
 *            added.  " -   " is the CEB's zero; an empty amount is skipped.
 *
 * Donor names go through data/source_names.csv (source "ceb": the export's
 * U+FFFD characters, non-donor rows) and the crosswalk's names.  Amounts may
 * be negative (refunds and corrections in audited statements).
 */
#include "import_helpers.h"

#include "util/text.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* CEB data start in 2011 (revenue) and 2013 (donors); OL_CEB_YEAR_MIN leaves
 * room for older exports, OL_CEB_YEAR_MAX catches typos. */
enum { OL_CEB_YEAR_MIN = 1990, OL_CEB_YEAR_MAX = 2100, OL_CEB_PROGRESS_EVERY = 1024 };
#define OL_CEB_UNIT "current US$"
#define OL_CEB_ALL "WLD"   /* the contributor of an organisation's total revenue */

enum { T_ASSESSED, T_VCORE, T_VEARMARKED, T_OTHER, NTYPES };
static const char *const TYPE_KEY[NTYPES] = {"assessed", "voluntary_core", "voluntary_earmarked", "other"};
static const char *const TYPE_NAME[NTYPES] = {"assessed contributions", "voluntary core (un-earmarked) contributions",
                                              "voluntary non-core (earmarked) contributions",
                                              "revenue from other activities"};

/* The revenue type of a label of either vocabulary (case-insensitive), or -1. */
static int type_of(const char *label)
{
    static const struct { const char *label; int type; } m[] = {
        {"Assessed", T_ASSESSED},
        {"Voluntary un-earmarked", T_VCORE},
        {"Voluntary earmarked", T_VEARMARKED},
        {"Other", T_OTHER},
        {"Assessed contributions", T_ASSESSED},
        {"Voluntary core (un-earmarked) contributions", T_VCORE},
        {"Voluntary non-core (earmarked) contributions", T_VEARMARKED},
        {"Revenue from other activities", T_OTHER},
    };
    char t[128];
    ol_trim_copy(t, sizeof t, label);
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (strcasecmp(t, m[i].label) == 0) return m[i].type;
    return -1;
}

typedef enum { L_DONORS, L_GOVDONOR, L_ENTITY } ceb_layout;

typedef struct ceb_cols { long year, donor, category, is_other, entity, type, amount; } ceb_cols;

/* Parses an amount: spaces between digit groups are dropped; the CEB's
 * " -   " is zero.  Returns 1 and *v, 0 when not a number, -1 when empty. */
static int parse_amount(const char *s, double *v)
{
    char buf[64];
    size_t o = 0;
    for (const char *p = s; *p && o + 1 < sizeof buf; p++)
        if (*p != ' ') buf[o++] = *p;
    buf[o] = '\0';
    if (!buf[0]) return -1;
    if (strcmp(buf, "-") == 0) { *v = 0.0; return 1; }
    return ol_parse_double(buf, v) ? 1 : 0;
}

static ol_status register_series(ol_import_ctx *c, const char *prefix, const char *what)
{
    ol_status st = OL_OK;
    for (int t = 0; t < NTYPES && !st; t++) {
        char code[64], name[256];
        snprintf(code, sizeof code, "%s.%s", prefix, TYPE_KEY[t]);
        snprintf(name, sizeof name, "%s: %s", what, TYPE_NAME[t]);
        st = ol_import_pair_series(c, code, name, OL_CEB_UNIT,
                                   "UN System Chief Executives Board (CEB) Financial Statistics; partner = the "
                                   "CEB's code of the organisation", "organisation");
    }
    return st;
}

ol_status ol_import_un_finance(ol_import_ctx *c)
{
    ol_csv *r = NULL;
    ol_status st = ol_import_open_csv(c, NULL, NULL, 0, NULL, &r);
    if (st) return st;
    ceb_layout lay;
    ceb_cols k = {-1, -1, -1, -1, -1, -1, -1};
    const char *prefix;
    if (ol_csv_find(r, "amount_usd") >= 0) {
        static const char *const n[] = {"year", "donor", "category", "is_other", "entity", "type", "amount_usd"};
        long i[7];
        st = ol_csv_require(r, n, 7, i, c->err);
        k = (ceb_cols){i[0], i[1], i[2], i[3], i[4], i[5], i[6]};
        lay = L_DONORS, prefix = "ceb.donor";
        if (!st) st = register_series(c, prefix, "Contributions of a government to a UN-system organisation");
    } else if (ol_csv_find(r, "government_donor") >= 0) {
        static const char *const n[] = {"calendar_year", "government_donor", "entity", "rev_type", "amount"};
        long i[5];
        st = ol_csv_require(r, n, 5, i, c->err);
        k.year = i[0], k.donor = i[1], k.entity = i[2], k.type = i[3], k.amount = i[4];
        lay = L_GOVDONOR, prefix = "ceb.govdonor";
        if (!st) st = register_series(c, prefix, "Revenue of a UN-system organisation from a government donor (CEB export)");
    } else {
        static const char *const n[] = {"calendar_year", "agency", "rev_type", "amount"};
        long i[4];
        st = ol_csv_require(r, n, 4, i, c->err);
        if (st) ol_error_prefix(c->err, "not a CEB layout orderlab knows (donors: amount_usd; government donor "
                                        "export: government_donor; revenue by entity: agency)");
        k.year = i[0], k.entity = i[1], k.type = i[2], k.amount = i[3];
        lay = L_ENTITY, prefix = "ceb.revenue";
        if (!st) st = register_series(c, prefix, "Revenue of a UN-system organisation (all contributors: WLD)");
    }
    ol_source_names *names = NULL;
    if (!st && lay != L_ENTITY) st = ol_source_names_load(c, "ceb", &names);
    ol_pair_writer pw;
    int pwopen = 0;
    if (!st) st = ol_pairs_open(c, &pw);
    if (!st) pwopen = 1;
    size_t nheader = r ? ol_csv_nfields(r) : 0;

    int rc = 0;
    long lines = 0;
    while (!st && (rc = ol_csv_next(r, c->err)) == 1) {
        if (++lines % OL_CEB_PROGRESS_EVERY == 0 && (st = ol_import_progress(c, r))) break;
        ol_import_read(c);
        if (ol_csv_nfields(r) != nheader) { st = ol_import_reject_width(c, r, nheader); continue; }
        if (lay == L_DONORS) {
            char cat[64];
            ol_trim_copy(cat, sizeof cat, ol_csv_field(r, (size_t)k.category));
            if (strcmp(cat, "Government") != 0 || strcmp(ol_csv_field(r, (size_t)k.is_other), "1") == 0) {
                ol_import_skip(c);
                continue;
            }
        }
        const char *ytext = ol_csv_field(r, (size_t)k.year);
        int year;
        if (!ol_parse_int(ytext, &year) || year < OL_CEB_YEAR_MIN || year > OL_CEB_YEAR_MAX) {
            st = ol_import_reject_at(c, r, k.year, lay == L_DONORS ? "year" : "calendar_year",
                                     "not a year in %d-%d: '%s'", OL_CEB_YEAR_MIN, OL_CEB_YEAR_MAX, ytext);
            continue;
        }
        const char *ttext = ol_csv_field(r, (size_t)k.type);
        int t = type_of(ttext);
        if (t < 0) {
            st = ol_import_reject_at(c, r, k.type, lay == L_DONORS ? "type" : "rev_type",
                                     "unknown revenue type '%s' (assessed, voluntary core/un-earmarked, "
                                     "voluntary earmarked/non-core, other)", ttext);
            continue;
        }
        char entity[64];
        ol_trim_copy(entity, sizeof entity, ol_csv_field(r, (size_t)k.entity));
        if (!entity[0]) {
            st = ol_import_reject_at(c, r, k.entity, lay == L_ENTITY ? "agency" : "entity", "no organisation");
            continue;
        }
        const char *atext = ol_csv_field(r, (size_t)k.amount);
        double v;
        int pa = parse_amount(atext, &v);
        if (pa < 0) { ol_import_skip(c); continue; }
        if (pa == 0) {
            st = ol_import_reject_at(c, r, k.amount, lay == L_DONORS ? "amount_usd" : "amount",
                                     "not an amount: '%s'", atext);
            continue;
        }
        const char *country = OL_CEB_ALL;
        if (lay != L_ENTITY) {
            char donor[256];
            ol_trim_copy(donor, sizeof donor, ol_csv_field(r, (size_t)k.donor));
            ol_name_result nr = ol_source_names_resolve(c, names, donor, year, &country);
            if (nr == OL_NAME_SKIP) { ol_import_skip(c); continue; }
            if (nr == OL_NAME_UNKNOWN) {
                st = ol_import_reject_at(c, r, k.donor, lay == L_DONORS ? "donor" : "government_donor",
                                         "unknown or ambiguous donor '%s'; data/source_names.csv or a crosswalk "
                                         "alias can add it (docs/countries.md)", donor);
                continue;
            }
        }
        char series[64];
        snprintf(series, sizeof series, "%s.%s", prefix, TYPE_KEY[t]);
        ol_put_result pr = lay == L_ENTITY
                               ? ol_pairs_add(&pw, series, country, entity, year, v, OL_CEB_UNIT, NULL)
                               : ol_pairs_put(&pw, series, country, entity, year, v, OL_CEB_UNIT, NULL);
        if (pr == OL_PUT_FAILED) { st = c->err ? c->err->code : OL_ESTORE; break; }
        if (pr == OL_PUT_DUPLICATE && lay != L_ENTITY) {
            st = ol_import_reject_at(c, r, k.donor, lay == L_DONORS ? "donor" : "government_donor",
                                     "duplicate: %s to %s, %s, %d appears earlier in the file", country, entity,
                                     TYPE_KEY[t], year);
            continue;
        }
        ol_import_keep(c);
    }
    if (rc < 0 && !st) st = c->err ? c->err->code : OL_EPARSE;
    if (pwopen) ol_pairs_close(&pw);
    ol_source_names_free(names);
    ol_csv_close(r);
    return st;
}
