/* `orderlab fetch wdi INDICATOR...`: download World Bank indicators and import them. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The first year of WDI, used when only --until is given. */
enum { CLI_WDI_FIRST_YEAR = 1960 };

static int parse_year(ol_cli *cli, const char *opt, const char *s, int *out)
{
    char *end = NULL;
    long y = strtol(s, &end, 10);
    if (!*s || *end || y < 1 || y > 9999) return cli_usage(cli, "fetch", "%s needs a year, not '%s'", opt, s);
    *out = (int)y;
    return 0;
}

int cmd_fetch(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"countries", required_argument, NULL, 'c'},
        {"from", required_argument, NULL, 'f'},
        {"until", required_argument, NULL, 'u'},
        {"base-url", required_argument, NULL, 'b'},
        {"save-dir", required_argument, NULL, 'S'},
        {"vintage", required_argument, NULL, 'v'},
        {"timeout", required_argument, NULL, 't'},
        {"max-rejects", required_argument, NULL, 'm'},
        {"allow-rejects", no_argument, NULL, 'a'},
        {"rejects", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    ol_fetch_options opt;
    ol_fetch_options_init(&opt);
    const char *rejects_path = NULL, *save_dir = NULL;
    int c, exit_now = 0, rc;
    /* Options may come before or after "wdi" and the indicators (no '+'). */
    while ((c = getopt_long(argc, argv, "D:qhc:f:u:b:S:v:t:m:ar:", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "fetch", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        switch (c) {
        case 'c': opt.countries = optarg; break;
        case 'f': if ((rc = parse_year(cli, "--from", optarg, &opt.from_year))) return rc; break;
        case 'u': if ((rc = parse_year(cli, "--until", optarg, &opt.until_year))) return rc; break;
        case 'b': opt.base_url = optarg; break;
        case 'S': save_dir = optarg; break;
        case 'v': opt.vintage = optarg; break;
        case 't': {
            char *end = NULL;
            long t = strtol(optarg, &end, 10);
            if (!*optarg || *end || t <= 0) return cli_usage(cli, "fetch", "--timeout needs seconds > 0, not '%s'", optarg);
            opt.timeout = t;
            break;
        }
        case 'm':
            if (!cli_parse_max_rejects(optarg, &opt.max_rejects))
                return cli_usage(cli, "fetch", "--max-rejects needs a number >= -1, not '%s'", optarg);
            break;
        case 'a': opt.max_rejects = -1; break;
        case 'r': rejects_path = optarg; break;
        default: return cli_usage(cli, "fetch", "unknown option");
        }
    }
    if (optind >= argc) return cli_usage(cli, "fetch", "missing SOURCE (only 'wdi' is known)");
    const char *what = argv[optind++];
    if (strcmp(what, "wdi") != 0) return cli_usage(cli, "fetch", "unknown source '%s' (only 'wdi' is known)", what);
    if (optind >= argc) return cli_usage(cli, "fetch", "missing INDICATOR (e.g. NY.GDP.MKTP.CD)");
    if (opt.from_year && !opt.until_year) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        opt.until_year = tm.tm_year + 1900;
    }
    if (opt.until_year && !opt.from_year) opt.from_year = CLI_WDI_FIRST_YEAR;
    if (opt.from_year > opt.until_year)
        return cli_usage(cli, "fetch", "--from %d is after --until %d", opt.from_year, opt.until_year);

    cli_import_report fc;
    rc = cli_import_report_open(&fc, cli, rejects_path);
    if (rc) return rc;
    opt.progress = cli_import_progress;
    opt.progress_ctx = &fc;
    opt.on_reject = cli_import_on_reject;
    opt.reject_ctx = &fc;

    ol_store *s = NULL;
    rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) { cli_import_report_close(&fc); return rc; }
    for (int i = optind; i < argc && !rc; i++) {
        char save[4096];
        if (save_dir) {
            snprintf(save, sizeof save, "%s/%s.json", save_dir, argv[i]);
            opt.save_path = save;
        }
        ol_error err;
        ol_error_clear(&err);
        ol_import_summary sum;
        int64_t sid = 0;
        ol_status st = ol_fetch_wdi(s, argv[i], &opt, &sum, &sid, &err);
        cli_import_report_file_done(&fc);
        if (st) {
            rc = cli_fail(cli, &err);
            fprintf(stderr, "orderlab: %s: nothing imported; the store is unchanged\n", argv[i]);
        } else if (!cli->quiet) {
            printf("%s: %lld read, %lld kept, %lld skipped, %lld rejected (source %lld)\n", argv[i],
                   (long long)sum.rows_read, (long long)sum.rows_kept, (long long)sum.rows_skipped,
                   (long long)sum.rows_rejected, (long long)sid);
        }
    }
    ol_store_close(s);
    cli_import_report_close(&fc);
    return rc;
}
