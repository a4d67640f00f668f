/* orderlab sweep [SCENARIO] DESIGN [--out DIR] [--threads N] [--fail-fast]
 *                [--format svg,png,pdf|none]
 * Under mpirun every rank runs this; MPI is initialised only then, so that a
 * plain `orderlab` never pays for it. */
#include "cli.h"

#include "orderlab/sweep.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Defaults documented in help/sweep.txt. */
static const char *const DEFAULT_OUT = "out/sweep";
static const char *const DEFAULT_FORMATS = "svg,png,pdf";
/* More threads than this is a typing error on any machine we know. */
enum { THREADS_MAX = 4096 };

static int parse_threads(const char *s, int *out)
{
    char *end = NULL;
    errno = 0;
    if (!s || !*s || *s == '-') return 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < 1 || v > THREADS_MAX) return 0;
    *out = (int)v;
    return 1;
}

/* Prints an error; under MPI a rank other than 0 names itself, and leaves
 * the message "another rank failed" to rank 0. */
static int fail(ol_cli *cli, const ol_error *err, int rank, int size)
{
    if (rank == 0 || strncmp(err->message, "another rank", 12) != 0) {
        if (size > 1 && rank > 0) {
            char buf[2048];
            ol_error_format(err, buf, sizeof buf);
            fprintf(stderr, "orderlab (rank %d): %s\n", rank, buf);
        } else {
            cli_fail(cli, err);
        }
    }
    return ol_status_exit_code(err->code);
}

int cmd_sweep(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"out", required_argument, NULL, 'o'},
        {"threads", required_argument, NULL, 't'},
        {"fail-fast", no_argument, NULL, 'F'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *out = DEFAULT_OUT;
    int threads = 0, fail_fast = 0, exit_now = 0, c;
    unsigned formats = 0;
    cli_parse_formats(DEFAULT_FORMATS, &formats);
    while ((c = getopt_long(argc, argv, "D:qh", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "sweep", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        switch (c) {
        case 'o': out = optarg; continue;
        case 't':
            if (!parse_threads(optarg, &threads))
                return cli_usage(cli, "sweep", "--threads wants an integer 1..%d, not '%s'", THREADS_MAX, optarg);
            continue;
        case 'F': fail_fast = 1; continue;
        case 'f':
            if (!cli_parse_formats(optarg, &formats))
                return cli_usage(cli, "sweep", "--format wants svg, png, pdf (comma-separated) or none, not '%s'",
                                 optarg);
            continue;
        default: return cli_usage(cli, "sweep", "unknown option");
        }
    }
    int npos = argc - optind;
    if (npos < 1 || npos > 2) return cli_usage(cli, "sweep", "wants [SCENARIO] DESIGN");
    const char *scenario_path = npos == 2 ? argv[optind] : NULL;
    const char *design_path = argv[argc - 1];

    ol_error err;
    ol_error_clear(&err);
    int rank = 0, size = 1, mpi = 0;
    if (ol_sweep_mpi_launched()) {
        ol_status st = ol_sweep_mpi_init(&rank, &size, &err);
        if (st) return cli_fail(cli, &err);
        mpi = 1;
    }
    if (rank > 0) {
        cli->quiet = 1;
        cli->progress = 0;
    }
    /* rank 0 creates the store if needed before the others open it to read */
    ol_store *store = NULL;
    int rc = 0;
    if (rank == 0) rc = cli_open_store(cli, OL_STORE_READWRITE, &store);
    if (mpi) {
        int bad = ol_sweep_mpi_agree(rc ? OL_ESTORE : OL_OK) != OL_OK;
        if (!bad && rank > 0) rc = cli_open_store(cli, OL_STORE_READONLY, &store);
        bad = ol_sweep_mpi_agree(rc ? OL_ESTORE : OL_OK) != OL_OK;
        if (bad && !rc) rc = ol_status_exit_code(OL_ESTORE);
    }
    if (rc) {
        ol_store_close(store);
        if (mpi) ol_sweep_mpi_finalize();
        return rc;
    }
    ol_scenario *sc = NULL;
    ol_status st = scenario_path ? ol_scenario_load(scenario_path, store, &sc, &err)
                                 : ol_scenario_default(store, &sc, &err);
    if (mpi) {
        ol_status all = ol_sweep_mpi_agree(st);
        if (all && !st) st = ol_error_set(&err, all, NULL, 0, 0, NULL, "another rank failed to load the scenario");
    }
    ol_sweep_result res;
    memset(&res, 0, sizeof res);
    if (!st) {
        ol_sweep_config cfg = {.design_path = design_path, .dir = out, .formats = formats};
        cfg.exec.threads = threads;
        cfg.exec.fail_fast = fail_fast;
        cfg.exec.mpi = mpi;
        cfg.exec.progress = cli_progress;
        cfg.exec.progress_ctx = cli;
        st = ol_sweep_run(store, sc, &cfg, &res, &err);
        cli_progress_done(cli);
    }
    if (st) {
        rc = fail(cli, &err, rank, size);
    } else if (!cli->quiet) {
        const ol_sweep_stats *s = &res.stats;
        printf("sweep %s on scenario %s: %llu runs (%llu points x %llu replicates)\n", res.design_name,
               sc->params.name, (unsigned long long)s->runs, (unsigned long long)res.points,
               (unsigned long long)res.replicates);
        printf("ran %llu (%llu finished before) on %d thread%s x %d rank%s; %llu failed\n",
               (unsigned long long)s->ran, (unsigned long long)s->done_before, s->threads, s->threads == 1 ? "" : "s",
               s->ranks, s->ranks == 1 ? "" : "s", (unsigned long long)s->failed);
        uint64_t ok = s->runs - s->failed;
        printf("exit wave in %llu of %llu runs (%.1f %%)\n", (unsigned long long)res.waves, (unsigned long long)ok,
               ok ? 100.0 * (double)res.waves / (double)ok : 0.0);
        printf("outputs in %s (run %lld in the store)\n", out, (long long)res.run_id);
    }
    ol_scenario_free(sc);
    ol_store_close(store);
    if (mpi) ol_sweep_mpi_finalize();
    return rc;
}
