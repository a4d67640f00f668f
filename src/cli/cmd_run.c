/* orderlab run: the main job (ol_report_run). */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int cmd_run(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"out", required_argument, NULL, 'o'},
        {"gdp", required_argument, NULL, 'g'},
        {"gdp-vintage", required_argument, NULL, 'v'},
        {"data", required_argument, NULL, 'd'},
        {"no-fetch", no_argument, NULL, 'n'},
        {"base-url", required_argument, NULL, 'b'},
        {"hegemon", required_argument, NULL, 'H'},
        {"rivals", required_argument, NULL, 'r'},
        {"series", required_argument, NULL, 's'},
        {"threshold", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    ol_report_options opt;
    ol_report_options_init(&opt);
    opt.out_dir = "out";
    opt.allow_fetch = 1;
    const char *data_dir = NULL;
    char rivals_buf[256] = "";
    int c, exit_now = 0;
    while ((c = getopt_long(argc, argv, "D:qho:g:v:d:nb:H:r:s:t:", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "run", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        ol_error e;
        switch (c) {
        case 'o': opt.out_dir = optarg; break;
        case 'g': opt.gdp_file = optarg; break;
        case 'v': opt.gdp_vintage = optarg; break;
        case 'd': data_dir = optarg; break;
        case 'n': opt.allow_fetch = 0; break;
        case 'b': opt.fetch_base_url = optarg; break;
        case 'H': opt.hegemon = optarg; break;
        case 'r': snprintf(rivals_buf, sizeof rivals_buf, "%s", optarg); break;
        case 's': opt.series = optarg; break;
        case 't':
            if (ol_ratio_parse_threshold(optarg, &opt.threshold, &e)) return cli_fail(cli, &e);
            break;
        default: return cli_usage(cli, "run", "unknown option");
        }
    }
    if (optind < argc) return cli_usage(cli, "run", "unexpected argument '%s'", argv[optind]);
    if (rivals_buf[0]) {
        opt.nrivals = cli_split_list(rivals_buf, opt.rivals, OL_REPORT_MAX_RIVALS);
        if (opt.nrivals > OL_REPORT_MAX_RIVALS) return cli_usage(cli, "run", "at most %d rivals", OL_REPORT_MAX_RIVALS);
    }
    char gdp_path[1024];
    if (!opt.gdp_file && data_dir) {
        /* The staged World Bank GDP file, when a data directory is given. */
        snprintf(gdp_path, sizeof gdp_path, "%s/wb_gdp/gdp.csv", data_dir);
        struct stat sb;
        if (stat(gdp_path, &sb) == 0) opt.gdp_file = gdp_path;
    }
    opt.progress = cli_progress;
    opt.progress_ctx = cli;

    ol_store *s = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) return rc;
    ol_error err;
    ol_error_clear(&err);
    ol_report_summary sum;
    ol_status st = ol_report_run(s, &opt, &sum, &err);
    cli_progress_done(cli);
    if (st) {
        rc = cli_fail(cli, &err);
        ol_store_close(s);
        return rc;
    }
    if (!cli->quiet) {
        char tau[32];
        ol_ratio_format_threshold(sum.threshold, tau, sizeof tau);
        printf("store: %s\n", ol_store_path(s));
        if (sum.gdp_loaded == 1) printf("imported %s from %s\n", sum.series, opt.gdp_file);
        else if (sum.gdp_loaded == 2) printf("downloaded %s from the World Bank API\n", sum.series);
        printf("exit-event catalog: %zu events (%zu inside the paper's research scope)\n",
               sum.events, sum.events_in_scope);
        printf("GDP ratio to %s (%s, vintage %s), threshold %s:\n", opt.hegemon, sum.series, sum.vintage, tau);
        for (size_t i = 0; i < sum.nrivals; i++) {
            const ol_report_rival *r = &sum.rivals[i];
            printf("  %-4s %-14s first at or above %s: ", r->code, r->name, tau);
            if (r->first_year) printf("%d", r->first_year); else printf("never");
            printf("; sustained: ");
            if (r->sustained_year) printf("from %d", r->sustained_year); else printf("none");
            printf("; peak %.3f in %d; %d: %.3f\n", r->peak, r->peak_year, r->last_year, r->last_ratio);
        }
        printf("states that ever reached %s of %s: %zu (see threshold_states.csv)\n", tau, opt.hegemon,
               sum.states_reaching);
        printf("wrote:\n");
        for (size_t i = 0; i < sum.nfiles; i++) printf("  %s\n", sum.files[i]);
    }
    ol_store_close(s);
    return 0;
}
