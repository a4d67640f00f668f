/*
 * The `pwt` importer: the Penn World Table CSV (one line per country-year,
 * one column per variable), as exported from the official PWT 11.0 xlsx.
 * The file is Latin-1; the CSV reader converts it to UTF-8.  A documented
 * set of variables goes to indicator_values as series `pwt.<column>`
 * (definitions and units per the PWT 11.0 documentation, base year 2021;
 * docs/importers.md).  `countrycode` is ISO 3166-1 alpha-3.  An empty cell
 * is a documented skip.
 */
#include "import_helpers.h"

#include "util/text.h"

#include <stdio.h>
#include <string.h>

/* PWT starts in 1950; OL_PWT_YEAR_MAX catches typos. */
enum { OL_PWT_YEAR_MIN = 1950, OL_PWT_YEAR_MAX = 2100 };
enum { OL_PWT_PROGRESS_EVERY = 256 };

/* The variables imported.  PWT 11.0 states GDP, consumption and capital in
 * millions of 2021 US$: at chained PPPs (rgdp*), at current PPPs (cgdp*,
 * cn) or at constant 2021 national prices (rgdpna). */
static const ol_value_column vars[] = {
    {"rgdpe", "pwt.rgdpe", "Expenditure-side real GDP at chained PPPs", "million 2021 US$ (chained PPPs)"},
    {"rgdpo", "pwt.rgdpo", "Output-side real GDP at chained PPPs", "million 2021 US$ (chained PPPs)"},
    {"cgdpe", "pwt.cgdpe", "Expenditure-side real GDP at current PPPs", "million 2021 US$ (current PPPs)"},
    {"cgdpo", "pwt.cgdpo", "Output-side real GDP at current PPPs", "million 2021 US$ (current PPPs)"},
    {"rgdpna", "pwt.rgdpna", "Real GDP at constant 2021 national prices", "million 2021 US$ (constant national prices)"},
    {"pop", "pwt.pop", "Population", "million persons"},
    {"emp", "pwt.emp", "Number of persons engaged", "million persons"},
    {"avh", "pwt.avh", "Average annual hours worked by persons engaged", "hours per person per year"},
    {"hc", "pwt.hc", "Human capital index, based on years of schooling and returns to education", "index"},
    {"cn", "pwt.cn", "Capital stock at current PPPs", "million 2021 US$ (current PPPs)"},
    {"ck", "pwt.ck", "Capital services levels at current PPPs", "index, USA = 1"},
    {"ctfp", "pwt.ctfp", "TFP level at current PPPs", "index, USA = 1"},
    {"xr", "pwt.xr", "Exchange rate, national currency/USD (market+estimated)", "national currency per US$"},
    {"pl_gdpo", "pwt.pl_gdpo", "Price level of CGDPo (PPP/XR)", "index, USA GDPo in 2021 = 1"},
    {"csh_c", "pwt.csh_c", "Share of household consumption at current PPPs", "share of CGDPo"},
    {"csh_i", "pwt.csh_i", "Share of gross capital formation at current PPPs", "share of CGDPo"},
    {"csh_g", "pwt.csh_g", "Share of government consumption at current PPPs", "share of CGDPo"},
    {"csh_x", "pwt.csh_x", "Share of merchandise exports at current PPPs", "share of CGDPo"},
    {"csh_m", "pwt.csh_m", "Share of merchandise imports at current PPPs", "share of CGDPo"},
};
#define NVARS (sizeof vars / sizeof vars[0])

ol_status ol_import_pwt(ol_import_ctx *c)
{
    ol_csv_options copt = {0, "ISO-8859-1"};
    static const char *const keys[] = {"countrycode", "country", "year"};
    long kidx[3], vidx[NVARS];
    ol_csv *r = NULL;
    ol_value_writer w;
    ol_status st = ol_values_open_file(c, &copt, keys, 3, kidx, vars, NVARS, vidx, "Penn World Table", &r, &w);
    if (st) return st;
    size_t nheader = ol_csv_nfields(r);

    int rc = 0;
    long lines = 0;
    while (!st && (rc = ol_csv_next(r, c->err)) == 1) {
        if (++lines % OL_PWT_PROGRESS_EVERY == 0 && (st = ol_import_progress(c, r))) break;
        const char *oc;
        int year;
        st = ol_values_iso3_key(&w, c, r, nheader, kidx, OL_PWT_YEAR_MIN, OL_PWT_YEAR_MAX, &oc, &year);
        if (st || !oc) continue;
        for (size_t i = 0; i < NVARS && !st; i++) {
            ol_import_read(c);
            const char *text = ol_csv_field(r, (size_t)vidx[i]);
            if (ol_is_blank(text)) { ol_import_skip(c); continue; }
            double v;
            if (!ol_parse_double(text, &v)) {
                st = ol_import_reject_csv(c, r, OL_EVALIDATE, vidx[i] + 1, vars[i].column,
                                          "not a number: '%s'", text);
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
