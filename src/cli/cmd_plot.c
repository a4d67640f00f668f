/* orderlab plot gdp: the paper's Figure 4.1 as SVG, PNG and/or PDF. */
#include "cli_ratio.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Base name of Figure 4.1's files in the output directory. */
#define FIG41_BASENAME "fig4_1_gdp"
enum { MAX_COUNTRIES = 8 };


/* Splits "USA,CHN,JPN" in place into at most max parts. */
static size_t split_list(char *s, const char **parts, size_t max)
{
    size_t n = 0;
    for (char *tok = strtok(s, ","); tok && n < max + 1; tok = strtok(NULL, ",")) {
        while (*tok == ' ') tok++;
        if (!*tok) continue;
        if (n == max) return max + 1;
        parts[n++] = tok;
    }
    return n;
}

static int ensure_dir(const ol_cli *cli, const char *dir)
{
    struct stat sb;
    if (stat(dir, &sb) == 0) {
        if (S_ISDIR(sb.st_mode)) return 0;
        ol_error err;
        ol_error_set(&err, OL_EIO, dir, 0, 0, NULL, "not a directory");
        return cli_fail(cli, &err);
    }
    if (mkdir(dir, 0777) != 0) {
        ol_error err;
        ol_error_set(&err, OL_EIO, dir, 0, 0, NULL, "cannot create the output directory: %s", strerror(errno));
        return cli_fail(cli, &err);
    }
    return 0;
}

int cmd_plot(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"out", required_argument, NULL, 'o'},
        {"output", required_argument, NULL, 'O'},
        {"format", required_argument, NULL, 'f'},
        {"series", required_argument, NULL, 's'},
        {"countries", required_argument, NULL, 'c'},
        {"threshold", required_argument, NULL, 'T'},
        {"vintage", required_argument, NULL, 'v'},
        {"from", required_argument, NULL, 'F'},
        {"until", required_argument, NULL, 'U'},
        {NULL, 0, NULL, 0},
    };
    ol_gdp_figure_options opt;
    ol_gdp_figure_options_init(&opt);
    const char *out_dir = NULL, *out_file = NULL, *format = NULL;
    char *countries_arg = NULL;
    const char *countries[MAX_COUNTRIES];
    int c, exit_now = 0;
    ol_error err;
    ol_error_clear(&err);
    /* Options may follow the figure name ("plot gdp --out DIR"): optind = 0
     * makes glibc re-initialise getopt, which the dispatcher left in
     * stop-at-first-operand mode, so that it permutes the operand to the end. */
    optind = 0;
    while ((c = getopt_long(argc, argv, "D:qho:O:f:s:c:T:v:F:U:", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "plot", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        switch (c) {
        case 'o': out_dir = optarg; break;
        case 'O': out_file = optarg; break;
        case 'f': format = optarg; break;
        case 's': opt.series = optarg; break;
        case 'v': opt.vintage = optarg; break;
        case 'c': countries_arg = optarg; break;
        case 'T':
            if (ol_ratio_parse_threshold(optarg, &opt.threshold, &err))
                return cli_usage(cli, "plot", "%s", err.message);
            break;
        case 'F': if (!cli_parse_year(cli, "plot", "from", optarg, &opt.from_year)) return 2; break;
        case 'U': if (!cli_parse_year(cli, "plot", "until", optarg, &opt.until_year)) return 2; break;
        default: return cli_usage(cli, "plot", "unknown option");
        }
    }
    if (optind >= argc) return cli_usage(cli, "plot", "missing figure name (gdp)");
    if (strcmp(argv[optind], "gdp") != 0)
        return cli_usage(cli, "plot", "unknown figure '%s' (known: gdp)", argv[optind]);
    if (optind + 1 < argc) return cli_usage(cli, "plot", "unexpected argument '%s'", argv[optind + 1]);
    if (out_dir && out_file) return cli_usage(cli, "plot", "--out DIR and --output FILE exclude each other");
    if (opt.from_year && opt.until_year && opt.from_year > opt.until_year)
        return cli_usage(cli, "plot", "--from %d is after --until %d", opt.from_year, opt.until_year);
    if (countries_arg) {
        size_t n = split_list(countries_arg, countries, MAX_COUNTRIES);
        if (n < 2) return cli_usage(cli, "plot", "--countries needs a reference and at least one other, e.g. USA,CHN");
        if (n > MAX_COUNTRIES) return cli_usage(cli, "plot", "--countries takes at most %d countries", MAX_COUNTRIES);
        opt.countries = countries;
        opt.ncountries = n;
    }

    /* Which files to write. */
    int want[OL_PLOT_FORMAT_COUNT] = {0};
    ol_plot_format pf;
    if (format && strcmp(format, "all") != 0) {
        if (ol_plot_format_parse(format, &pf, &err))
            return cli_usage(cli, "plot", "unknown format '%s' (svg, png, pdf or all)", format);
        want[pf] = 1;
    } else if (out_file && !format) {
        if (ol_plot_format_from_path(out_file, &pf, &err))
            return cli_usage(cli, "plot", "%s: %s; or give --format", out_file, err.message);
        want[pf] = 1;
    } else {
        if (out_file) return cli_usage(cli, "plot", "--format all writes three files: use --out DIR");
        for (int i = 0; i < OL_PLOT_FORMAT_COUNT; i++) want[i] = 1;
    }
    if (!out_file) {
        if (!out_dir) out_dir = ".";
        int rc = ensure_dir(cli, out_dir);
        if (rc) return rc;
    }

    ol_store *s = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) return rc;
    ol_gdp_figure *fig = NULL;
    if (ol_gdp_figure_new(s, &opt, &fig, &err)) {
        rc = cli_fail_series(cli, &err, opt.series);
        ol_store_close(s);
        return rc;
    }
    ol_store_close(s);

    const ol_plot_gdp_data *data = ol_gdp_figure_data(fig);
    for (int i = 0; i < OL_PLOT_FORMAT_COUNT && !rc; i++) {
        if (!want[i]) continue;
        char path[4096];
        if (out_file) snprintf(path, sizeof path, "%s", out_file);
        else snprintf(path, sizeof path, "%s/%s.%s", out_dir, FIG41_BASENAME, ol_plot_format_ext((ol_plot_format)i));
        if (ol_plot_gdp_figure(data, path, (ol_plot_format)i, &err)) rc = cli_fail(cli, &err);
        else if (!cli->quiet) printf("wrote %s\n", path);
    }
    if (!rc && !cli->quiet) {
        printf("%s\n", data->note);
        for (size_t i = 0; i < ol_gdp_figure_nratios(fig); i++) {
            const ol_ratio_result *r = ol_gdp_figure_ratio(fig, i);
            printf("%s / %s:\n", r->numerator.code, r->denominator.code);
            cli_print_ratio_summary(stdout, r, "  ");
        }
    }
    ol_gdp_figure_free(fig);
    return rc;
}
