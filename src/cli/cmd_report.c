/* orderlab report: the self-contained HTML report (ol_report_build). */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int cmd_report(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"out", required_argument, NULL, 'o'},
        {"data", required_argument, NULL, 'd'},
        {"gdp-vintage", required_argument, NULL, 'v'},
        {"sweep", required_argument, NULL, 's'},
        {"fetch", no_argument, NULL, 'f'},
        {"base-url", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0},
    };
    ol_report_build_options opt;
    ol_report_build_options_init(&opt);
    opt.out_dir = "out";
    int c, exit_now = 0;
    while ((c = getopt_long(argc, argv, "D:qho:d:v:s:fb:", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "report", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        switch (c) {
        case 'o': opt.out_dir = optarg; break;
        case 'd': opt.data_dir = optarg; break;
        case 'v': opt.gdp_vintage = optarg; break;
        case 's': opt.sweep_design = optarg; break;
        case 'f': opt.allow_fetch = 1; break;
        case 'b': opt.fetch_base_url = optarg; break;
        default: return cli_usage(cli, "report", "unknown option");
        }
    }
    if (optind < argc) return cli_usage(cli, "report", "unexpected argument '%s'", argv[optind]);
    struct stat sb;
    if (opt.data_dir && (stat(opt.data_dir, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        /* a fresh machine has no staged data: say so, and build from what there is */
        if (!cli->quiet) fprintf(stderr, "orderlab: no data directory %s: nothing imported\n", opt.data_dir);
        opt.data_dir = NULL;
    }
    opt.progress = cli_progress;
    opt.progress_ctx = cli;

    ol_store *s = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) return rc;
    ol_error err;
    ol_error_clear(&err);
    ol_report_build_summary *sum = malloc(sizeof *sum);
    if (!sum) {
        ol_store_close(s);
        ol_error_set(&err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        return cli_fail(cli, &err);
    }
    ol_status st = ol_report_build(s, &opt, sum, &err);
    cli_progress_done(cli);
    if (st) {
        rc = cli_fail(cli, &err);
    } else if (!cli->quiet) {
        printf("store: %s\n", ol_store_path(s));
        for (size_t i = 0; i < sum->nimported; i++) printf("loaded: orderlab %s\n", sum->imported[i]);
        if (sum->ideal_estimated) printf("loaded: orderlab ideal estimate (UNGA ideal points)\n");
        for (size_t i = 0; i < sum->nsections; i++) {
            const ol_report_section_result *r = &sum->sections[i];
            printf("  %-8s %-7s %s\n", r->id, r->available == 1 ? "shown" : r->available == 0 ? "missing" : "FAILED",
                   r->note);
        }
        printf("report: %s (%zu of %zu sections shown, %zu figures)\n", sum->index_path, sum->available,
               sum->nsections, sum->figures);
    }
    free(sum);
    ol_store_close(s);
    return rc;
}
