#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void list_kinds(FILE *out)
{
    fprintf(out, "Import kinds:\n");
    for (const ol_import_kind_info *k = ol_import_kinds(); k->name; k++)
        fprintf(out, "  %-18s %s\n", k->name, k->description);
}

int cmd_import(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"vintage", required_argument, NULL, 'v'},
        {"series", required_argument, NULL, 's'},
        {"max-rejects", required_argument, NULL, 'm'},
        {"allow-rejects", no_argument, NULL, 'a'},
        {"rejects", required_argument, NULL, 'r'},
        {"list", no_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    ol_import_options opt;
    ol_import_options_init(&opt);
    const char *rejects_path = NULL;
    int c, exit_now = 0;
    while ((c = getopt_long(argc, argv, "D:qhv:s:m:ar:l", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "import", c, optarg, &exit_now)) {
            if (exit_now) { list_kinds(stdout); return 0; }
            continue;
        }
        switch (c) {
        case 'v': opt.vintage = optarg; break;
        case 's': opt.series = optarg; break;
        case 'm':
            if (!cli_parse_max_rejects(optarg, &opt.max_rejects))
                return cli_usage(cli, "import", "--max-rejects needs a number >= -1, not '%s'", optarg);
            break;
        case 'a': opt.max_rejects = -1; break;
        case 'r': rejects_path = optarg; break;
        case 'l': list_kinds(stdout); return 0;
        default: return cli_usage(cli, "import", "unknown option");
        }
    }
    if (optind >= argc) return cli_usage(cli, "import", "missing KIND (see 'orderlab import --list')");
    const char *kind = argv[optind++];
    int known = 0;
    for (const ol_import_kind_info *k = ol_import_kinds(); k->name; k++)
        if (strcmp(k->name, kind) == 0) known = 1;
    if (!known) {
        cli_usage(cli, "import", "unknown kind '%s'", kind);
        list_kinds(stderr);
        return 2;
    }
    if (optind >= argc) return cli_usage(cli, "import", "missing FILE");

    cli_import_report ic;
    int rc = cli_import_report_open(&ic, cli, rejects_path);
    if (rc) return rc;
    opt.progress = cli_import_progress;
    opt.progress_ctx = &ic;
    opt.on_reject = cli_import_on_reject;
    opt.reject_ctx = &ic;

    ol_store *s = NULL;
    rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) { cli_import_report_close(&ic); return rc; }
    for (int i = optind; i < argc && !rc; i++) {
        ol_error err;
        ol_error_clear(&err);
        ol_import_summary sum;
        int64_t sid = 0;
        ol_status st = ol_import_file(s, kind, argv[i], &opt, &sum, &sid, &err);
        cli_import_report_file_done(&ic);
        if (st) {
            rc = cli_fail(cli, &err);
            fprintf(stderr, "orderlab: %s: nothing imported (read %lld, rejected %lld before stopping); "
                    "the store is unchanged\n", argv[i], (long long)sum.rows_read, (long long)sum.rows_rejected);
        } else if (!cli->quiet) {
            printf("%s: %lld read, %lld kept, %lld skipped, %lld rejected (source %lld)\n", argv[i],
                   (long long)sum.rows_read, (long long)sum.rows_kept, (long long)sum.rows_skipped,
                   (long long)sum.rows_rejected, (long long)sid);
        }
    }
    ol_store_close(s);
    cli_import_report_close(&ic);
    return rc;
}
