/* orderlab plot gdp | ideal: the paper's Figures 4.1 and 4.2 as SVG, PNG
 * and/or PDF. */
#include "cli_ratio.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Base names of the figures' files in the output directory. */
#define FIG41_BASENAME "fig4_1_gdp"
#define FIG42_BASENAME "fig4_2_ideal"
#define CROSSINGS_BASENAME "crossings"
enum { MAX_COUNTRIES = 8, MAX_IDEAL_COUNTRIES = OL_PLOT_LINES_MAX };


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

/* What the command line asked for. */
typedef struct plot_args {
    const char *out_dir, *out_file, *format, *data_file;
    char *countries_arg, *series_arg;
    const char *gdp_only, *ideal_only;   /* an option given that only one figure takes */
    ol_gdp_figure_options gdp;
    ol_ideal_figure_options ideal;
    int from_year, to_year;
    int want[OL_PLOT_FORMAT_COUNT];      /* the formats to write */
} plot_args;

/* 1 when path ends in a figure extension: --out then names a file. */
static int is_figure_path(const char *path)
{
    ol_plot_format f;
    return ol_plot_format_from_path(path, &f, NULL) == OL_OK;
}

/* 1 when --out names no existing directory but a file of another type
 * (fig.gif): a mistake, not a directory to create. */
static int is_other_file(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) == 0) return 0;
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base && dot[1];
}

/* The path of format i: the one file, or DIR/BASENAME.ext. */
static void figure_path(const plot_args *a, const char *base, int i, char *path, size_t size)
{
    if (a->out_file) snprintf(path, size, "%s", a->out_file);
    else snprintf(path, size, "%s/%s.%s", a->out_dir, base, ol_plot_format_ext((ol_plot_format)i));
}

static int plot_gdp(ol_cli *cli, plot_args *a)
{
    ol_error err;
    ol_error_clear(&err);
    const char *countries[MAX_COUNTRIES];
    if (a->countries_arg) {
        size_t n = cli_split_list(a->countries_arg, countries, MAX_COUNTRIES);
        if (n < 2) return cli_usage(cli, "plot", "--countries needs a reference and at least one other, e.g. USA,CHN");
        if (n > MAX_COUNTRIES) return cli_usage(cli, "plot", "--countries takes at most %d countries", MAX_COUNTRIES);
        a->gdp.countries = countries;
        a->gdp.ncountries = n;
    }
    a->gdp.from_year = a->from_year;
    a->gdp.until_year = a->to_year;

    ol_store *s = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) return rc;
    ol_gdp_figure *fig = NULL;
    if (ol_gdp_figure_new(s, &a->gdp, &fig, &err)) {
        rc = cli_fail_series(cli, &err, a->gdp.series);
        ol_store_close(s);
        return rc;
    }
    ol_store_close(s);

    const ol_plot_gdp_data *data = ol_gdp_figure_data(fig);
    for (int i = 0; i < OL_PLOT_FORMAT_COUNT && !rc; i++) {
        if (!a->want[i]) continue;
        char path[4096];
        figure_path(a, FIG41_BASENAME, i, path, sizeof path);
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

static int plot_ideal(ol_cli *cli, plot_args *a)
{
    ol_error err;
    ol_error_clear(&err);
    const char *countries[MAX_IDEAL_COUNTRIES];
    if (a->countries_arg) {
        size_t n = cli_split_list(a->countries_arg, countries, MAX_IDEAL_COUNTRIES);
        if (n < 1) return cli_usage(cli, "plot", "--countries needs at least one country, e.g. USA,CHN");
        if (n > MAX_IDEAL_COUNTRIES)
            return cli_usage(cli, "plot", "--countries takes at most %d countries", MAX_IDEAL_COUNTRIES);
        a->ideal.countries = countries;
        a->ideal.ncountries = n;
    }
    a->ideal.from_year = a->from_year;
    a->ideal.to_year = a->to_year;

    ol_store *s = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) return rc;
    ol_ideal_figure *fig = NULL;
    ol_status st = ol_ideal_figure_new(s, &a->ideal, &fig, &err);
    ol_store_close(s);
    if (st) {
        rc = cli_fail(cli, &err);
        if (st == OL_ENOTFOUND && (strcmp(err.field, "estimate") == 0 || strcmp(err.field, "period_kind") == 0))
            fprintf(stderr, "hint: run 'orderlab ideal estimate' to store orderlab's estimates, or import the "
                            "published ones\n      ('orderlab import idealpoints --max-rejects 23 "
                            "IdealpointestimatesAll_Jun2024.csv') and draw them with --estimate bsv-all\n");
        return rc;
    }
    if (!cli->quiet && ol_ideal_figure_nmissing(fig)) {
        fprintf(stderr, "orderlab: warning: '%s' has no ideal point of", ol_ideal_figure_estimate(fig));
        for (size_t i = 0; i < ol_ideal_figure_nmissing(fig); i++)
            fprintf(stderr, "%s %s", i ? "," : "", ol_ideal_figure_missing(fig, i));
        fprintf(stderr, "%s: left out of the figure\n", a->from_year || a->to_year ? " in the years asked" : "");
    }
    for (size_t i = 0; !cli->quiet && i < ol_ideal_figure_nwarnings(fig); i++)
        fprintf(stderr, "orderlab: warning: %s\n", ol_ideal_figure_warning(fig, i));

    const ol_plot_lines_data *data = ol_ideal_figure_plot(fig);
    for (int i = 0; i < OL_PLOT_FORMAT_COUNT && !rc; i++) {
        if (!a->want[i]) continue;
        char path[4096];
        figure_path(a, FIG42_BASENAME, i, path, sizeof path);
        if (ol_plot_lines_figure(data, path, (ol_plot_format)i, &err)) rc = cli_fail(cli, &err);
        else if (!cli->quiet) printf("wrote %s\n", path);
    }
    /* the figure's data: where --data says, else beside the figures in DIR */
    char dpath[4096];
    const char *data_path = a->data_file;
    if (!data_path && !a->out_file) {
        snprintf(dpath, sizeof dpath, "%s/%s.csv", a->out_dir, FIG42_BASENAME);
        data_path = dpath;
    }
    if (!rc && data_path) {
        if (ol_ideal_figure_write_csv(fig, data_path, &err)) rc = cli_fail(cli, &err);
        else if (!cli->quiet) printf("wrote %s\n", data_path);
    }
    if (!rc && !cli->quiet) printf("%s\n", data->note);
    ol_ideal_figure_free(fig);
    return rc;
}

/* The crossing years of each case on each measure, as a table. */
static void print_crossings(const ol_crossings_table *t)
{
    char tau[32];
    ol_ratio_format_threshold(t->threshold, tau, sizeof tau);
    printf("Crossings of %s (challenger / reference): first year at or above, sustained crossing, every crossing\n",
           tau);
    for (size_t i = 0; i < t->ncases; i++) {
        printf("%s (%s / %s)\n", t->labels[i], t->challengers[i].code, t->references[i].code);
        for (size_t j = 0; j < t->nseries; j++) {
            const ol_crossings_cell *c = &t->cells[i * t->nseries + j];
            printf("  %-16s ", t->series[j]);
            if (c->status != OL_OK || !c->ratio) { printf("no data\n"); continue; }
            const ol_ratio_result *r = c->ratio;
            char first[16], sus[16];
            if (r->first_year) snprintf(first, sizeof first, "%d%s", r->first_year, r->starts_above ? "+" : "");
            else snprintf(first, sizeof first, "never");
            if (r->sustained_year) snprintf(sus, sizeof sus, "%d", r->sustained_year);
            else snprintf(sus, sizeof sus, "none");
            printf("first %-6s sustained %-5s peak %.3f (%d); data %d-%d", first, sus, r->peak, r->peak_year,
                   r->first_data_year, r->last_year);
            if (c->via_successor) printf(" [%s as %s]", t->challengers[i].code, c->challenger);
            if (r->ncrossings) {
                printf("; crossings");
                for (size_t k = 0; k < r->ncrossings; k++)
                    printf(" %s%d", r->crossings[k].direction == OL_CROSS_UP ? "+" : "-", r->crossings[k].year);
            }
            putchar('\n');
        }
    }
    printf("(+ after the first year: at or above from the first year of the data)\n");
}

static int plot_crossings(ol_cli *cli, plot_args *a)
{
    ol_error err;
    ol_error_clear(&err);
    ol_crossings_options opt;
    ol_crossings_options_init(&opt);
    opt.threshold = a->gdp.threshold;
    opt.from_year = a->from_year;
    opt.until_year = a->to_year;
    const char *series[OL_PLOT_SPANS_LANES];
    if (a->series_arg) {
        size_t n = cli_split_list(a->series_arg, series, OL_PLOT_SPANS_LANES);
        if (n < 1 || n > OL_PLOT_SPANS_LANES)
            return cli_usage(cli, "plot", "--series takes 1 to %d measures, comma-separated", OL_PLOT_SPANS_LANES);
        opt.series = series;
        opt.nseries = n;
    }
    ol_store *s = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) return rc;
    ol_crossings_table *t = NULL;
    ol_status st = ol_crossings_compute(s, &opt, &t, &err);
    ol_store_close(s);
    if (st) return cli_fail(cli, &err);
    int any = 0;
    for (size_t i = 0; i < t->ncases * t->nseries; i++) any |= t->cells[i].status == OL_OK;
    if (!any) {
        ol_crossings_table_free(t);
        ol_error_set(&err, OL_ENOTFOUND, NULL, 0, 0, "series",
                     "none of the measures has data for the cases: import them first (wb, maddison, pwt, nmc)");
        return cli_fail(cli, &err);
    }
    ol_crossings_figure *fig = NULL;
    if (ol_crossings_figure_new(t, &fig, &err)) { ol_crossings_table_free(t); return cli_fail(cli, &err); }
    ol_plot_spans_data data = *ol_crossings_figure_data(fig);
    data.year_min = a->from_year;
    data.year_max = a->to_year;
    for (int i = 0; i < OL_PLOT_FORMAT_COUNT && !rc; i++) {
        if (!a->want[i]) continue;
        char path[4096];
        figure_path(a, CROSSINGS_BASENAME, i, path, sizeof path);
        if (ol_plot_spans_figure(&data, path, (ol_plot_format)i, &err)) rc = cli_fail(cli, &err);
        else if (!cli->quiet) printf("wrote %s\n", path);
    }
    if (!rc && !cli->quiet) print_crossings(t);
    ol_crossings_figure_free(fig);
    ol_crossings_table_free(t);
    return rc;
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
        {"to", required_argument, NULL, 'U'},
        {"estimate", required_argument, NULL, 'e'},
        {"period-kind", required_argument, NULL, 'k'},
        {"se", no_argument, NULL, 'S'},
        {"data", required_argument, NULL, 'd'},
        {NULL, 0, NULL, 0},
    };
    plot_args a;
    memset(&a, 0, sizeof a);
    ol_gdp_figure_options_init(&a.gdp);
    ol_ideal_figure_options_init(&a.ideal);
    int c, exit_now = 0;
    ol_error err;
    ol_error_clear(&err);
    /* Options may follow the figure name ("plot gdp --out DIR"): optind = 0
     * makes glibc re-initialise getopt, which the dispatcher left in
     * stop-at-first-operand mode, so that it permutes the operand to the end. */
    optind = 0;
    while ((c = getopt_long(argc, argv, "D:qho:O:f:s:c:T:v:F:U:e:k:Sd:", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "plot", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        switch (c) {
        case 'o': a.out_dir = optarg; break;
        case 'O': a.out_file = optarg; break;
        case 'f': a.format = optarg; break;
        case 's': a.gdp.series = optarg; a.series_arg = optarg; a.gdp_only = "--series"; break;
        case 'v': a.gdp.vintage = optarg; a.gdp_only = "--vintage"; break;
        case 'c': a.countries_arg = optarg; break;
        case 'T':
            if (ol_ratio_parse_threshold(optarg, &a.gdp.threshold, &err))
                return cli_usage(cli, "plot", "%s", err.message);
            a.gdp_only = "--threshold";
            break;
        case 'F': if (!cli_parse_year(cli, "plot", "from", optarg, &a.from_year)) return 2; break;
        case 'U': if (!cli_parse_year(cli, "plot", "until", optarg, &a.to_year)) return 2; break;
        case 'e': a.ideal.estimate = optarg; a.ideal_only = "--estimate"; break;
        case 'k':
            if (strcmp(optarg, "session") != 0 && strcmp(optarg, "year") != 0)
                return cli_usage(cli, "plot", "--period-kind is session or year, not '%s'", optarg);
            a.ideal.period_kind = optarg;
            a.ideal_only = "--period-kind";
            break;
        case 'S': a.ideal.se_band = 1; a.ideal_only = "--se"; break;
        case 'd': a.data_file = optarg; a.ideal_only = "--data"; break;
        default: return cli_usage(cli, "plot", "unknown option");
        }
    }
    if (optind >= argc) return cli_usage(cli, "plot", "missing figure name (gdp, ideal or crossings)");
    const char *figure = argv[optind];
    int ideal = strcmp(figure, "ideal") == 0, crossings = strcmp(figure, "crossings") == 0;
    if (!ideal && !crossings && strcmp(figure, "gdp") != 0)
        return cli_usage(cli, "plot", "unknown figure '%s' (known: gdp, ideal, crossings)", figure);
    if (optind + 1 < argc) return cli_usage(cli, "plot", "unexpected argument '%s'", argv[optind + 1]);
    if (ideal && a.gdp_only) return cli_usage(cli, "plot", "%s is an option of 'plot gdp'", a.gdp_only);
    if (!ideal && a.ideal_only) return cli_usage(cli, "plot", "%s is an option of 'plot ideal'", a.ideal_only);
    if (crossings && (a.countries_arg || a.gdp.vintage))
        return cli_usage(cli, "plot", "'plot crossings' takes neither --countries nor --vintage");
    /* --out names a file when it ends in a figure extension */
    if (a.out_dir && !a.out_file && is_figure_path(a.out_dir)) {
        a.out_file = a.out_dir;
        a.out_dir = NULL;
    } else if (a.out_dir && is_other_file(a.out_dir)) {
        return cli_usage(cli, "plot", "--out %s: not a figure format (.svg, .png or .pdf) nor a directory", a.out_dir);
    }
    if (a.out_dir && a.out_file) return cli_usage(cli, "plot", "--out DIR and --output FILE exclude each other");
    if (cli_check_years(cli, "plot", a.from_year, a.to_year, "until")) return 2;

    /* Which files to write. */
    ol_plot_format pf;
    if (a.format && strcmp(a.format, "all") != 0) {
        if (ol_plot_format_parse(a.format, &pf, &err))
            return cli_usage(cli, "plot", "unknown format '%s' (svg, png, pdf or all)", a.format);
        a.want[pf] = 1;
    } else if (a.out_file && !a.format) {
        if (ol_plot_format_from_path(a.out_file, &pf, &err))
            return cli_usage(cli, "plot", "%s: %s; or give --format", a.out_file, err.message);
        a.want[pf] = 1;
    } else {
        if (a.out_file) return cli_usage(cli, "plot", "--format all writes three files: use --out DIR");
        for (int i = 0; i < OL_PLOT_FORMAT_COUNT; i++) a.want[i] = 1;
    }
    if (!a.out_file) {
        if (!a.out_dir) a.out_dir = ".";
        int rc = ensure_dir(cli, a.out_dir);
        if (rc) return rc;
    }
    if (crossings) return plot_crossings(cli, &a);
    return ideal ? plot_ideal(cli, &a) : plot_gdp(cli, &a);
}
