/* orderlab simulate [SCENARIO] [--seed N] [--runs N] [--stochastic] [--out DIR]
 *                   [--format svg,png,pdf] [--detail N]
 * orderlab simulate --sweep DIR --run-id K [--out DIR] [--format ...] */
#include "cli.h"

#include "orderlab/sweep.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Defaults documented in help/simulate.txt. */
static const char *const DEFAULT_OUT = "out/simulate";
static const char *const DEFAULT_FORMATS = "svg,png,pdf";
enum { DEFAULT_DETAIL = 10 };
/* The largest seed JSON keeps exact (the scenario's own limit). */
static const uint64_t SEED_MAX = 9007199254740991ULL;
/* Runs between progress reports. */
enum { PROGRESS_EVERY = 100 };
/* The provenance of the world's magnitudes, beside the other outputs. */
static const char *const MAGNITUDES_CSV = "magnitudes.csv";
static const char *const MAGNITUDES_MD = "magnitudes.md";

/* Writes DIR/magnitudes.csv and DIR/magnitudes.md. */
static ol_status write_magnitudes(const ol_simulate_world *sw, const char *dir, ol_error *err)
{
    size_t n = strlen(dir) + 32;
    char *path = malloc(n);
    if (!path) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    snprintf(path, n, "%s/%s", dir, MAGNITUDES_CSV);
    ol_status st = ol_simulate_magnitudes_write(sw, path, OL_MAGN_CSV, err);
    snprintf(path, n, "%s/%s", dir, MAGNITUDES_MD);
    if (!st) st = ol_simulate_magnitudes_write(sw, path, OL_MAGN_MARKDOWN, err);
    free(path);
    return st;
}

/* One line: which accounts took magnitudes from the store. */
static void print_provenance(const ol_simulate_world *sw)
{
    size_t n, counts[4];
    const ol_simulate_magnitude *m = ol_simulate_world_magnitudes(sw, &n);
    ol_simulate_world_magnitude_counts(sw, counts);
    if (!counts[OL_ORIGIN_STORE]) {
        printf("magnitudes: %zu built-in, %zu scenario, %zu by rule; none from the store (magnitudes.csv)\n",
               counts[OL_ORIGIN_BUILTIN], counts[OL_ORIGIN_SCENARIO], counts[OL_ORIGIN_RULE]);
        return;
    }
    printf("magnitudes from the store:");
    const char *sep = " ";
    for (size_t i = 0; i < n; i++) {
        if (m[i].origin != OL_ORIGIN_STORE) continue;
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = m[k].origin == OL_ORIGIN_STORE && !strcmp(m[k].account, m[i].account);
        if (seen) continue;
        size_t c = 0;
        for (size_t k = i; k < n; k++) c += m[k].origin == OL_ORIGIN_STORE && !strcmp(m[k].account, m[i].account);
        printf("%s%s %zu", sep, m[i].account, c);
        sep = ", ";
    }
    printf("; %zu built-in, %zu scenario, %zu by rule (magnitudes.csv)\n", counts[OL_ORIGIN_BUILTIN],
           counts[OL_ORIGIN_SCENARIO], counts[OL_ORIGIN_RULE]);
}

static int parse_count(const char *s, uint64_t max, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    if (!s || !*s || *s == '-') return 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max) return 0;
    *out = v;
    return 1;
}

/* Run K of the sweep in sweep_dir alone: the same world, point and seed,
 * simulate's usual outputs, and the run's row of runs.csv in sweep_run.csv. */
static int simulate_sweep_run(ol_cli *cli, const char *sweep_dir, uint64_t run_id, const char *out, unsigned formats)
{
    ol_store *store = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &store);
    if (rc) return rc;
    ol_error err;
    ol_error_clear(&err);
    ol_sweep_dir *sd = NULL;
    ol_sweep_worker *wk = NULL;
    ol_simout *o = NULL;
    FILE *f = NULL;
    char *path = NULL;
    ol_sweep_row row;
    ol_status st = ol_sweep_dir_open(store, sweep_dir, &sd, &err);
    const ol_sweep_plan *pl = sd ? ol_sweep_dir_plan(sd) : NULL;
    if (!st && run_id >= ol_sweep_plan_runs(pl))
        st = ol_error_set(&err, OL_EINVAL, NULL, 0, 0, "run-id", "the sweep has runs 0..%llu, not %llu",
                          (unsigned long long)ol_sweep_plan_runs(pl) - 1, (unsigned long long)run_id);
    if (!st) st = ol_sweep_worker_new(pl, &wk, &err);
    if (!st) st = ol_sweep_worker_run(wk, run_id, &row, &err);
    if (st) goto fail;
    const ol_scenario *sc = ol_sweep_dir_scenario(sd);
    const ol_model_world *w = ol_sweep_worker_world(wk);
    const ol_model_result *r = ol_sweep_worker_result(wk);
    uint64_t hash = 0;
    st = ol_scenario_hash(sc, &hash, &err);
    if (st) goto fail;
    ol_simout_meta meta = {.scenario_name = sc->params.name, .scenario_hash = hash,
                           .seed = ol_sweep_worker_seed(wk), .stochastic = ol_sweep_plan_stochastic(pl),
                           .runs = 1, .detail_runs = 1, .tau = ol_sweep_worker_params(wk)->tau};
    st = ol_simout_open(out, w, &meta, &o, &err);
    if (!st) st = ol_simout_add(o, 0, r, &err);
    int64_t stored = 0;
    if (!st) st = ol_simout_finish(o, sc, store, &stored, &err);
    if (!st && formats) st = ol_simout_figures(out, w, r, &meta, formats, &err);
    if (!st) st = write_magnitudes(ol_sweep_dir_world(sd), out, &err);
    if (st) goto fail;
    /* the run's summary, exactly as runs.csv has it */
    char line[4096];
    ol_sweep_row_format(&row, line, sizeof line);
    size_t n = strlen(out);
    path = malloc(n + 32);
    if (!path) {
        st = ol_error_set(&err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        goto fail;
    }
    snprintf(path, n + 32, "%s/sweep_run.csv", out);
    f = fopen(path, "wb");
    if (!f || fputs(ol_sweep_row_header(), f) == EOF || fputs(line, f) == EOF) {
        st = ol_error_set(&err, OL_EIO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        goto fail;
    }
    if (fclose(f) != 0) {
        f = NULL;
        st = ol_error_set(&err, OL_EIO, path, 0, 0, NULL, "writing failed: %s", strerror(errno));
        goto fail;
    }
    f = NULL;
    if (!cli->quiet) {
        const ol_design *d = ol_sweep_plan_design(pl);
        printf("sweep %s, run %llu: point %llu, replicate %llu, seed %llu\n", sweep_dir, (unsigned long long)run_id,
               (unsigned long long)(run_id / d->replicates), (unsigned long long)(run_id % d->replicates),
               (unsigned long long)ol_sweep_worker_seed(wk));
        const double *v = ol_design_point(d, (size_t)(run_id / d->replicates));
        for (size_t j = 0; j < d->nparams; j++) printf("  %s = %.17g\n", d->params[j].key, v[j]);
        printf("first threat %d, first exit %d, exits %u, exit wave %s\n", row.first_threat_year,
               row.first_exit_year, row.exits, row.exit_wave ? "yes" : "no");
        printf("outputs in %s (run %lld in the store)\n", out, (long long)stored);
    }
    free(path);
    ol_simout_free(o);
    ol_sweep_worker_free(wk);
    ol_sweep_dir_free(sd);
    ol_store_close(store);
    return 0;
fail:
    rc = cli_fail(cli, &err);
    if (f) fclose(f);
    free(path);
    ol_simout_free(o);
    ol_sweep_worker_free(wk);
    ol_sweep_dir_free(sd);
    ol_store_close(store);
    return rc;
}

int cmd_simulate(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"seed", required_argument, NULL, 's'},
        {"runs", required_argument, NULL, 'n'},
        {"stochastic", no_argument, NULL, 'S'},
        {"out", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"detail", required_argument, NULL, 'd'},
        {"sweep", required_argument, NULL, 'W'},
        {"run-id", required_argument, NULL, 'K'},
        {NULL, 0, NULL, 0},
    };
    const char *out = DEFAULT_OUT;
    uint64_t seed = 0, runs = 1, detail = DEFAULT_DETAIL;
    int seed_set = 0, stochastic = 0, exit_now = 0, c, runs_set = 0, detail_set = 0, run_id_set = 0;
    const char *sweep_dir = NULL;
    uint64_t sweep_run = 0;
    unsigned formats = 0;
    cli_parse_formats(DEFAULT_FORMATS, &formats);
    while ((c = getopt_long(argc, argv, "D:qh", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "simulate", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        switch (c) {
        case 's':
            if (!parse_count(optarg, SEED_MAX, &seed))
                return cli_usage(cli, "simulate", "--seed wants an integer 0..%llu, not '%s'",
                                 (unsigned long long)SEED_MAX, optarg);
            seed_set = 1;
            continue;
        case 'n':
            if (!parse_count(optarg, 100000000, &runs) || runs == 0)
                return cli_usage(cli, "simulate", "--runs wants an integer 1..100000000, not '%s'", optarg);
            runs_set = 1;
            continue;
        case 'S': stochastic = 1; continue;
        case 'o': out = optarg; continue;
        case 'f':
            if (!cli_parse_formats(optarg, &formats))
                return cli_usage(cli, "simulate", "--format wants svg, png, pdf (comma-separated) or none, not '%s'",
                                 optarg);
            continue;
        case 'd':
            if (!parse_count(optarg, 100000000, &detail))
                return cli_usage(cli, "simulate", "--detail wants an integer >= 0, not '%s'", optarg);
            detail_set = 1;
            continue;
        case 'W': sweep_dir = optarg; continue;
        case 'K':
            if (!parse_count(optarg, SEED_MAX, &sweep_run))
                return cli_usage(cli, "simulate", "--run-id wants a run number >= 0, not '%s'", optarg);
            run_id_set = 1;
            continue;
        default: return cli_usage(cli, "simulate", "unknown option");
        }
    }
    if (sweep_dir || run_id_set) {
        if (!sweep_dir || !run_id_set) return cli_usage(cli, "simulate", "--sweep DIR and --run-id K go together");
        if (argc - optind > 0 || seed_set || runs_set || stochastic || detail_set)
            return cli_usage(cli, "simulate",
                             "--sweep reruns a run of a sweep as it was: no SCENARIO, --seed, --runs, "
                             "--stochastic or --detail");
        return simulate_sweep_run(cli, sweep_dir, sweep_run, out, formats);
    }
    if (argc - optind > 1) return cli_usage(cli, "simulate", "at most one SCENARIO file");
    const char *path = optind < argc ? argv[optind] : NULL;

    ol_store *store = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &store);
    if (rc) return rc;
    ol_error err;
    ol_error_clear(&err);
    ol_scenario *sc = NULL;
    ol_simulate_world *sw = NULL;
    ol_model_sim *sim = NULL;
    ol_model_result *r0 = NULL, *r = NULL;
    ol_simout *o = NULL;
    ol_status st = path ? ol_scenario_load(path, store, &sc, &err) : ol_scenario_default(store, &sc, &err);
    if (st) goto fail;
    /* the overrides go into the scenario, so that scenario.yaml reruns this */
    if (seed_set) sc->params.seed = (int64_t)seed;
    if (stochastic) sc->params.choice_rule = OL_SC_CHOICE_LOGIT;
    seed = (uint64_t)sc->params.seed;
    stochastic = sc->params.choice_rule == OL_SC_CHOICE_LOGIT;
    uint64_t hash = 0;
    st = ol_scenario_hash(sc, &hash, &err);
    if (!st) st = ol_simulate_world_new(store, sc, &sw, &err);
    if (st) goto fail;
    const ol_model_world *w = ol_simulate_world_model(sw);
    ol_model_params p;
    ol_scenario_model_params(sc, &p);
    st = ol_model_sim_new(w, &p, &sim, &err);
    if (st) goto fail;
    ol_simout_meta meta = {.scenario_name = sc->params.name, .scenario_hash = hash, .seed = seed,
                           .stochastic = stochastic, .runs = (size_t)runs, .detail_runs = (size_t)detail,
                           .tau = p.tau};
    st = ol_simout_open(out, w, &meta, &o, &err);
    for (uint64_t i = 0; i < runs && !st; i++) {
        ol_model_result **dst = i == 0 ? &r0 : &r;
        st = ol_model_sim_run(sim, ol_model_seed(seed, i), stochastic, dst, &err);
        if (!st) st = ol_simout_add(o, (size_t)i, *dst, &err);
        if (!st && runs > PROGRESS_EVERY && (i + 1) % PROGRESS_EVERY == 0 &&
            cli_progress(cli, i + 1, runs)) st = ol_error_set(&err, OL_EINTERRUPTED, NULL, 0, 0, NULL, "stopped");
    }
    if (runs > PROGRESS_EVERY) cli_progress_done(cli);
    int64_t run_id = 0;
    if (!st) st = ol_simout_finish(o, sc, store, &run_id, &err);
    if (!st) st = write_magnitudes(sw, out, &err);
    if (!st && formats) st = ol_simout_figures(out, w, r0, &meta, formats, &err);
    if (st) goto fail;

    if (!cli->quiet) {
        ol_simout_facts f;
        enum { LIST = 1024 };
        char ex[LIST], th[LIST], re[LIST], ke[LIST], hex[17];
        ol_simout_facts_get(o, &f, ex, th, re, ke, LIST);
        ol_scenario_hash_hex(hash, hex);
        printf("scenario %s (hash %s), seed %llu, %llu run%s, %s\n", sc->params.name, hex,
               (unsigned long long)seed, (unsigned long long)runs, runs == 1 ? "" : "s",
               stochastic ? "stochastic (logit)" : "deterministic (argmax)");
        const ol_simulate_world_info *wi = ol_simulate_world_info_get(sw);
        if (wi && wi->alignment_source == OL_ALIGN_IDEALPOINTS)
            printf("alignment from UNGA ideal points (%s, %d)\n", wi->alignment_estimate, wi->alignment_year);
        else if (wi)
            printf("alignment by role (no ideal points in the store: orderlab ideal estimate)\n");
        print_provenance(sw);
        printf("run 0: first threat %s", f.first_threat ? "" : "none");
        if (f.first_threat) printf("%d", f.first_threat);
        printf(", first exit %s", f.first_exit ? "" : "none");
        if (f.first_exit) printf("%d", f.first_exit);
        putchar('\n');
        const char *names[4] = {"exited", "threatened", "renegotiated", "kept"};
        const size_t counts[4] = {f.nexited, f.nthreatened, f.nrenegotiated, f.nkept};
        const char *lists[4] = {ex, th, re, ke};
        for (int i = 0; i < 4; i++) {
            char label[32];
            snprintf(label, sizeof label, "%s (%zu):", names[i], counts[i]);
            printf("  %-18s %s\n", label, counts[i] ? lists[i] : "-");
        }
        printf("outputs in %s (run %lld in the store)\n", out, (long long)run_id);
    }
    ol_simout_free(o);
    ol_model_result_free(r0);
    ol_model_result_free(r);
    ol_model_sim_free(sim);
    ol_simulate_world_free(sw);
    ol_scenario_free(sc);
    ol_store_close(store);
    return 0;
fail:
    rc = cli_fail(cli, &err);
    ol_simout_free(o);
    ol_model_result_free(r0);
    ol_model_result_free(r);
    ol_model_sim_free(sim);
    ol_simulate_world_free(sw);
    ol_scenario_free(sc);
    ol_store_close(store);
    return rc;
}
