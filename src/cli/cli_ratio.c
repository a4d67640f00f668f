#include "cli_ratio.h"

#include <stdlib.h>
#include <string.h>

/* Years the commands accept: wide enough for any historical series. */
enum { YEAR_MIN = 1000, YEAR_MAX = 9999 };

int cli_parse_year(const ol_cli *cli, const char *command, const char *name, const char *s, int *out)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < YEAR_MIN || v > YEAR_MAX) {
        cli_usage(cli, command, "--%s needs a year (e.g. 1960), not '%s'", name, s);
        return 0;
    }
    *out = (int)v;
    return 1;
}

int cli_fail_series(const ol_cli *cli, const ol_error *err, const char *series)
{
    int rc = cli_fail(cli, err);
    if (err->code != OL_ENOTFOUND) return rc;
    if (strcmp(err->field, "series") != 0 && strcmp(err->field, "country") != 0) return rc;
    if (!series || !*series) series = OL_SERIES_DEFAULT;
    if (strncmp(series, "pwt.", 4) == 0)
        fprintf(stderr, "hint: import the Penn World Table first, e.g. 'orderlab import pwt pwt110.csv'\n");
    else if (strncmp(series, "nmc.", 4) == 0)
        fprintf(stderr, "hint: import the COW National Material Capabilities first, e.g. "
                        "'orderlab import nmc NMC-60-abridged.csv'\n");
    else if (strncmp(series, "maddison.", 9) == 0)
        fprintf(stderr, "hint: import the Maddison Project Database first, e.g. "
                        "'orderlab import maddison mpd2023_full_data.csv'\n");
    else if (strncmp(series, "sipri.", 6) == 0)
        fprintf(stderr, "hint: import SIPRI's military expenditure first, e.g. "
                        "'orderlab import sipri SIPRI-Milex-data-1949-2023.xlsx'\n");
    else if (strncmp(series, "who.", 4) == 0)
        fprintf(stderr, "hint: import the WHO scales of assessments first, e.g. 'orderlab import who WHA75.tsv'\n");
    else if (strncmp(series, "imf.", 4) == 0)
        fprintf(stderr, "hint: import the IMF snapshot first, e.g. 'orderlab import imf --vintage 2020-12 votes.csv'\n");
    else
        fprintf(stderr, "hint: import the World Bank series first, e.g. 'orderlab import wb gdp.csv' "
                        "(a CSV of %s) or 'orderlab fetch wdi %s'\n", series, series);
    return rc;
}

const char *cli_country_label(const ol_country *c, char *buf, size_t size)
{
    if (c->name_en[0]) snprintf(buf, size, "%s (%s)", c->name_en, c->code);
    else snprintf(buf, size, "%s", c->code);
    return buf;
}

void cli_print_ratio_summary(FILE *out, const ol_ratio_result *r, const char *prefix)
{
    char tau[32];
    ol_ratio_format_threshold(r->threshold, tau, sizeof tau);
    if (r->first_year) {
        double v = 0.0;
        for (size_t k = 0; k < r->n; k++) if (r->points[k].year == r->first_year) v = r->points[k].ratio;
        fprintf(out, "%sfirst year at or above %s: %d (ratio %.4f)%s\n", prefix, tau, r->first_year, v,
                r->starts_above ? ", the first year of the data" : "");
    } else {
        fprintf(out, "%sfirst year at or above %s: none (peak %.4f in %d)\n", prefix, tau, r->peak,
                r->peak_year);
    }
    if (r->sustained_year)
        fprintf(out, "%ssustained crossing: %d (at or above %s from %d through %d, the last year of the data)\n",
                prefix, r->sustained_year, tau, r->sustained_year, r->last_year);
    else
        fprintf(out, "%ssustained crossing: none (last year %d: ratio %.4f %s %s)\n", prefix, r->last_year,
                r->last_ratio, r->last_ratio >= r->threshold ? ">=" : "<", tau);
    fprintf(out, "%scrossings: %zu\n", prefix, r->ncrossings);
    for (size_t i = 0; i < r->ncrossings; i++) {
        const ol_crossing *c = &r->crossings[i];
        fprintf(out, "%s  %d %-4s %.4f (%d) -> %.4f (%d)%s\n", prefix, c->year,
                c->direction == OL_CROSS_UP ? "up" : "down", c->ratio_before, c->prev_year,
                c->ratio_after, c->year, c->across_gap ? "  [across a gap in the data]" : "");
    }
    fprintf(out, "%speak: %.4f in %d; data %d-%d", prefix, r->peak, r->peak_year, r->first_data_year,
            r->last_year);
    if (r->gaps) fprintf(out, " with %d missing year%s", r->gaps, r->gaps == 1 ? "" : "s");
    fputc('\n', out);
}
