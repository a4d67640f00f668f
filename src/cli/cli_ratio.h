/* Helpers shared by `orderlab ratio` and `orderlab plot`: option values,
 * the hint for missing data, and the summary of a ratio's crossings. */
#ifndef OL_CLI_RATIO_H
#define OL_CLI_RATIO_H

#include "cli.h"

/* Parses a calendar year for option `name` (1 on success; else prints a usage
 * error for command and returns 0). */
int cli_parse_year(const ol_cli *cli, const char *command, const char *name, const char *s, int *out);

/* Prints err like cli_fail and, when it says a series or a country's values
 * are missing, which import would provide series.  Returns the exit code. */
int cli_fail_series(const ol_cli *cli, const ol_error *err, const char *series);

/* Writes the summary lines of a ratio (first year at/above, sustained
 * crossing, every crossing, peak) with the given line prefix. */
void cli_print_ratio_summary(FILE *out, const ol_ratio_result *r, const char *prefix);

/* The label "Name (CODE)" of a resolved country into buf. */
const char *cli_country_label(const ol_country *c, char *buf, size_t size);
#endif
