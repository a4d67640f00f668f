/*
 * The `maddison` importer: the Maddison Project Database 2023, sheet "Full
 * data" as CSV (countrycode, country, region, year, gdppc, pop).  Each line
 * holds two values, real GDP per capita in 2011 international dollars and
 * mid-year population in thousands, which become series maddison.gdppc and
 * maddison.pop; where a line has both, their product is stored as
 * maddison.gdp, GDP in million 2011 international dollars (gdppc × pop /
 * 1000, since pop is in thousands).  An empty cell is a documented skip: the
 * sheet keeps a line for every country and benchmark year, most of them
 * empty before 1820.
 *
 * Country codes are ISO 3166 alpha-3, including the ISO 3166-3 codes of the
 * former states MPD carries beside their successors (SUN former USSR, CSK
 * Czechoslovakia, YUG former Yugoslavia); the crosswalk has them as entities
 * of their own, so SUN and RUS are never added together.  MPD's SUN runs on
 * after 1991 as the sum of the successor states: the crosswalk's years of the
 * USSR (1922–1991) do not restrict the values of a source that defines the
 * entity over a longer span, so an undated match of the code stands.
 */
#include "import_helpers.h"

#include "util/text.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* MPD starts in the year 1; OL_MPD_YEAR_MAX catches typos. */
enum { OL_MPD_YEAR_MIN = 1, OL_MPD_YEAR_MAX = 2100 };
enum { OL_MPD_PROGRESS_EVERY = 4096 };
/* pop is in thousands: gdppc × pop / this = GDP in millions. */
static const double OL_MPD_THOUSANDS_PER_MILLION = 1000.0;

static const ol_value_column vars[] = {
    {"gdppc", "maddison.gdppc", "Real GDP per capita (Maddison Project Database)",
     "2011 international $ per person (PPP)"},
    {"pop", "maddison.pop", "Population, mid-year (Maddison Project Database)", "thousand persons"},
};
#define NVARS (sizeof vars / sizeof vars[0])
static const ol_value_column gdp_col = {
    NULL, "maddison.gdp", "Real GDP (Maddison Project Database: gdppc x pop)",
    "million 2011 international $ (PPP)"};

/* The release year in a file named like MPD's own downloads (mpd2023_...),
 * into out; "" when the name does not state one. */
static void release_from_name(const char *path, char *out, size_t n)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    out[0] = '\0';
    if (strncmp(b, "mpd", 3) != 0) return;
    for (int i = 3; i < 7; i++) if (!isdigit((unsigned char)b[i])) return;
    if (isdigit((unsigned char)b[7])) return;
    snprintf(out, n, "%.4s", b + 3);
}

ol_status ol_import_maddison(ol_import_ctx *c)
{
    static const char *const keys[] = {"countrycode", "country", "year"};
    long kidx[3], vidx[NVARS];
    ol_csv *r = NULL;
    ol_value_writer w;
    ol_status st = ol_values_open_file(c, NULL, keys, 3, kidx, vars, NVARS, vidx,
                                       "Maddison Project Database (Bolt and van Zanden)", &r, &w);
    if (st) return st;
    st = ol_import_series(c, gdp_col.code, gdp_col.name, gdp_col.unit,
                          "Maddison Project Database: GDP = gdppc x pop / 1000 where a line has both");
    if (!st && !(c->opt->vintage && c->opt->vintage[0])) {
        char release[8];
        release_from_name(c->path, release, sizeof release);
        if (release[0]) st = ol_import_set_vintage(c, release);
    }
    size_t nheader = ol_csv_nfields(r);

    int rc = 0;
    long lines = 0;
    while (!st && (rc = ol_csv_next(r, c->err)) == 1) {
        if (++lines % OL_MPD_PROGRESS_EVERY == 0 && (st = ol_import_progress(c, r))) break;
        const char *oc;
        int year;
        st = ol_values_iso3_key(&w, c, r, nheader, kidx, OL_MPD_YEAR_MIN, OL_MPD_YEAR_MAX, &oc, &year);
        if (st || !oc) continue;
        double v[NVARS];
        int have[NVARS] = {0};
        for (size_t i = 0; i < NVARS && !st; i++) {
            ol_import_read(c);
            const char *text = ol_csv_field(r, (size_t)vidx[i]);
            if (ol_is_blank(text)) { ol_import_skip(c); continue; }
            if (!ol_parse_double(text, &v[i])) {
                st = ol_import_reject_csv(c, r, OL_EVALIDATE, vidx[i] + 1, vars[i].column,
                                          "not a number: '%s'", text);
                continue;
            }
            if (v[i] <= 0) {
                st = ol_import_reject_csv(c, r, OL_EVALIDATE, vidx[i] + 1, vars[i].column,
                                          "not a positive number: '%s'", text);
                continue;
            }
            have[i] = 1;
            st = ol_values_put_csv(&w, r, vidx[i], &vars[i], oc, year, v[i]);
        }
        if (!st && have[0] && have[1]) {
            /* Derived, not a record of the file: not counted. */
            if (ol_values_put(&w, gdp_col.code, oc, year, v[0] * v[1] / OL_MPD_THOUSANDS_PER_MILLION,
                              gdp_col.unit) == OL_PUT_FAILED)
                st = c->err ? c->err->code : OL_ESTORE;
        }
    }
    if (rc < 0 && !st) st = c->err ? c->err->code : OL_EPARSE;
    ol_values_close(&w);
    ol_csv_close(r);
    return st;
}
