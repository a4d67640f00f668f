#include "cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* Set by SIGINT/SIGTERM; the progress callback turns it into a clean
 * rollback (a signal handler can only set a flag). */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig) { (void)sig; interrupted = 1; }

typedef struct import_cli {
    ol_cli *cli;
    FILE *rejects;       /* --rejects FILE, CSV */
    long shown;          /* rejects printed to stderr */
    long show_max;
} import_cli;

static int progress(void *ctx, uint64_t done, uint64_t total)
{
    import_cli *ic = ctx;
    if (interrupted) return 1;
    return cli_progress(ic->cli, done, total);
}

static void csv_field(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) { if (*s == '"') fputc('"', f); fputc(*s, f); }
    fputc('"', f);
}

static void on_reject(void *ctx, const ol_error *rej)
{
    import_cli *ic = ctx;
    if (ic->rejects) {
        csv_field(ic->rejects, rej->file);
        fprintf(ic->rejects, ",%ld,%ld,", rej->line, rej->column);
        csv_field(ic->rejects, rej->field);
        fputc(',', ic->rejects);
        csv_field(ic->rejects, rej->message);
        fputc('\n', ic->rejects);
    }
    if (!ic->cli->quiet && ic->shown < ic->show_max) {
        char buf[2048];
        ol_error_format(rej, buf, sizeof buf);
        cli_progress_done(ic->cli);
        fprintf(stderr, "reject: %s\n", buf);
    }
    ic->shown++;
}

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
        case 'm': {
            char *end = NULL;
            long long n = strtoll(optarg, &end, 10);
            if (!*optarg || *end || n < -1) return cli_usage(cli, "import", "--max-rejects needs a number >= -1, not '%s'", optarg);
            opt.max_rejects = n;
            break;
        }
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

    import_cli ic = {cli, NULL, 0, 20};
    if (rejects_path) {
        ic.rejects = fopen(rejects_path, "w");
        if (!ic.rejects) {
            ol_error e;
            ol_error_set(&e, OL_EIO, rejects_path, 0, 0, NULL, "cannot write the reject report");
            return cli_fail(cli, &e);
        }
        fprintf(ic.rejects, "file,line,column,field,message\n");
    }
    opt.progress = progress;
    opt.progress_ctx = &ic;
    opt.on_reject = on_reject;
    opt.reject_ctx = &ic;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    ol_store *s = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) { if (ic.rejects) fclose(ic.rejects); return rc; }
    for (int i = optind; i < argc && !rc; i++) {
        ol_error err;
        ol_error_clear(&err);
        ol_import_summary sum;
        int64_t sid = 0;
        ol_status st = ol_import_file(s, kind, argv[i], &opt, &sum, &sid, &err);
        cli_progress_done(cli);
        if (ic.shown > ic.show_max && !cli->quiet)
            fprintf(stderr, "(%ld more rejects not shown%s)\n", ic.shown - ic.show_max,
                    rejects_path ? "; see the reject report" : "; use --rejects FILE for all");
        if (st) {
            rc = cli_fail(cli, &err);
            fprintf(stderr, "orderlab: %s: nothing imported (read %lld, rejected %lld before stopping); "
                    "the store is unchanged\n", argv[i], (long long)sum.rows_read, (long long)sum.rows_rejected);
        } else if (!cli->quiet) {
            printf("%s: %lld read, %lld kept, %lld skipped, %lld rejected (source %lld)\n", argv[i],
                   (long long)sum.rows_read, (long long)sum.rows_kept, (long long)sum.rows_skipped,
                   (long long)sum.rows_rejected, (long long)sid);
        }
        ic.shown = 0;
    }
    ol_store_close(s);
    if (ic.rejects) fclose(ic.rejects);
    return rc;
}
