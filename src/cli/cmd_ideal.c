/* orderlab ideal estimate|compare: UNGA ideal points estimated from the roll
 * calls in the store, and their comparison with a published estimate. */
#include "cli.h"
#include "cli_ratio.h"
#include "cmd_ideal_compare.h"
#include "util/text.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void print_summary(const ol_ideal_fit *f, const char *csv, int64_t run_id)
{
    const ol_ideal_counts *c = &f->counts;
    fprintf(stderr,
            "ideal points (%s): %zu country-sessions\n"
            "  roll calls: %ld read, %ld outside the years, %ld unanimous, %ld lopsided, %ld used "
            "(%ld items, %ld roll calls bridged)\n"
            "  votes: %ld read, %ld with a bad code, %ld on unknown roll calls, %ld duplicate, "
            "%ld abstentions left out, %ld dropped, %ld used\n"
            "  countries: %ld read, %ld with too few votes, %ld used; sessions left out: %ld\n"
            "  EM: %d iterations, %s (1 - r = %.3g), %.3f s (%s kernels); bootstrap: %d replicates, %.3f s\n",
            ol_ideal_model_name(f->options.model), f->n, c->rollcalls_read, c->rollcalls_range,
            c->rollcalls_unanimous, c->rollcalls_lopsided, c->rollcalls_used, c->items, c->bridged_rollcalls,
            c->votes_read, c->votes_bad_code, c->votes_unknown_rollcall, c->votes_duplicate, c->votes_abstain_missing,
            c->votes_dropped, c->votes_used, c->countries_read, c->countries_too_few, c->countries_used,
            c->periods_unidentified, f->iterations, f->converged ? "converged" : "NOT converged", f->last_change,
            f->seconds, f->kernels ? f->kernels : "?", f->options.bootstrap, f->bootstrap_seconds);
    if (f->sweeps)
        fprintf(stderr,
                "  Gibbs: %d sweeps (%d burn-in, %d kept, thin %d), %.3f s; moves accepted: bands %.2f, window shifts %.2f; "
                "Geweke z of the spread %.2f%s\n",
                f->sweeps, f->options.burn, f->options.draws, f->options.thin, f->gibbs_seconds, f->band_accept, f->shift_accept,
                f->geweke_z, fabs(f->geweke_z) > 2 ? " (|z| > 2: the chain was still moving; run more sweeps)" : "");
    if (f->sweeps && isfinite(f->geweke_moving)) {
        fprintf(stderr, "  positions still moving (|Geweke z| > %g): %.1f %% (%.1f %% in a converged chain)",
                OL_IDEAL_GEWEKE_Z, 100 * f->geweke_moving, 100 * f->geweke_expected);
        for (int i = 0; i < f->ngeweke_top; i++)
            fprintf(stderr, "%s%s %d of %d sessions", i ? ", " : "; most: ", f->geweke_top[i].country,
                    f->geweke_top[i].moving, f->geweke_top[i].sessions);
        fputc('\n', stderr);
    }
    if (csv) fprintf(stderr, "  written: %s", csv);
    if (run_id) fprintf(stderr, "%sstore run %lld (estimate %s)", csv ? "; " : "  ", (long long)run_id,
                        ol_ideal_model_estimate(f->options.model));
    if (csv || run_id) fputc('\n', stderr);
}

static int estimate(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"model", required_argument, NULL, 'm'},
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},
        {"threads", required_argument, NULL, 'j'},
        {"lop", required_argument, NULL, 'l'},
        {"min-votes", required_argument, NULL, 'n'},
        {"tol", required_argument, NULL, 't'},
        {"max-iter", required_argument, NULL, 'i'},
        {"anchor", required_argument, NULL, 'a'},
        {"prior-sd", required_argument, NULL, 'p'},
        {"walk-sd", required_argument, NULL, 'w'},
        {"item-sd", required_argument, NULL, 's'},
        {"bridge", required_argument, NULL, 'b'},
        {"walk", required_argument, NULL, 'W'},
        {"bridge-min-chars", required_argument, NULL, 'K'},
        {"kernels", required_argument, NULL, 'k'},
        {"bootstrap", required_argument, NULL, 'B'},
        {"seed", required_argument, NULL, 'S'},
        {"method", required_argument, NULL, 'M'},
        {"burn", required_argument, NULL, 'U'},
        {"draws", required_argument, NULL, 'R'},
        {"thin", required_argument, NULL, 'H'},
        {"out", required_argument, NULL, 'o'},
        {"no-store", no_argument, NULL, 'N'},
        {NULL, 0, NULL, 0},
    };
    /* the model decides the defaults of the rest: find it first */
    ol_ideal_model model = OL_IDEAL_DYNAMIC;
    for (int i = 1; i < argc; i++) {
        const char *m = NULL;
        if (!strcmp(argv[i], "--model") && i + 1 < argc) m = argv[i + 1];
        else if (!strncmp(argv[i], "--model=", 8)) m = argv[i] + 8;
        if (m && ol_ideal_model_parse(m, &model, NULL))
            return cli_usage(cli, "ideal", "unknown model '%s' (binary, ordinal or dynamic)", m);
    }
    ol_ideal_options o;
    ol_ideal_options_init(&o, model);
    const char *out = NULL;
    int no_store = 0, c, exit_now = 0, li = -1;
    char defout[64];
    optind = 0;
    while ((c = getopt_long(argc, argv, "D:qhm:j:o:", longopts, &li)) != -1) {
        if (cli_common_option(cli, "ideal", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        int ok = 1;
        switch (c) {
        case 'm': break;
        case 'F': if (!cli_parse_year(cli, "ideal", "from", optarg, &o.from_year)) return 2; break;
        case 'T': if (!cli_parse_year(cli, "ideal", "to", optarg, &o.to_year)) return 2; break;
        case 'j': ok = ol_parse_int(optarg, &o.threads) && o.threads >= 1; break;
        case 'l': ok = ol_parse_double(optarg, &o.lop); break;
        case 'n': ok = ol_parse_int(optarg, &o.min_votes); break;
        case 't': ok = ol_parse_double(optarg, &o.tol); break;
        case 'i': ok = ol_parse_int(optarg, &o.max_iter); break;
        case 'a':
            ok = strlen(optarg) < sizeof o.anchor;
            if (ok) snprintf(o.anchor, sizeof o.anchor, "%s", optarg);
            break;
        case 'p': ok = ol_parse_double(optarg, &o.prior_sd); break;
        case 'w': ok = ol_parse_double(optarg, &o.walk_sd); break;
        case 's': ok = ol_parse_double(optarg, &o.item_sd); break;
        case 'b':
            if (!strcmp(optarg, "text")) o.bridge = OL_IDEAL_BRIDGE_TEXT;
            else if (!strcmp(optarg, "none")) o.bridge = OL_IDEAL_BRIDGE_NONE;
            else ok = 0;
            break;
        case 'W':
            if (!strcmp(optarg, "stationary")) o.walk = OL_IDEAL_WALK_STATIONARY;
            else if (!strcmp(optarg, "random")) o.walk = OL_IDEAL_WALK_RANDOM;
            else if (!strcmp(optarg, "none")) o.walk = OL_IDEAL_WALK_NONE;
            else ok = 0;
            break;
        case 'K': ok = ol_parse_int(optarg, &o.bridge_min_chars); break;
        case 'k': ok = ol_ideal_kernels_parse(optarg, &o.kernels, NULL) == OL_OK; break;
        case 'B': ok = ol_parse_int(optarg, &o.bootstrap); break;
        case 'M': ok = ol_ideal_method_parse(optarg, &o.method, NULL) == OL_OK; break;
        case 'U': ok = ol_parse_int(optarg, &o.burn) && o.burn >= 0; break;
        case 'R': ok = ol_parse_int(optarg, &o.draws) && o.draws >= 2; break;
        case 'H': ok = ol_parse_int(optarg, &o.thin) && o.thin >= 1; break;
        case 'S': {
            char *end;
            unsigned long long v = strtoull(optarg, &end, 10);
            ok = *optarg && !*end;
            o.seed = v;
            break;
        }
        case 'o': out = optarg; break;
        case 'N': no_store = 1; break;
        default: return cli_usage(cli, "ideal", "unknown option");
        }
        if (!ok)
            return cli_usage(cli, "ideal", "bad value for %s%s: '%s'", li >= 0 ? "--" : "-",
                             li >= 0 ? longopts[li].name : (char[]){(char)c, 0}, optarg);
        li = -1;
    }
    if (optind < argc) return cli_usage(cli, "ideal", "unexpected argument '%s'", argv[optind]);
    if (cli_check_years(cli, "ideal", o.from_year, o.to_year, "to")) return 2;
    if (!out) {
        snprintf(defout, sizeof defout, "ideal_%s.csv", ol_ideal_model_name(model));
        out = defout;
    }
    ol_error err;
    ol_status st;
    ol_store *s = NULL;
    int rc = cli_open_store(cli, no_store ? OL_STORE_READONLY : OL_STORE_READWRITE, &s);
    if (rc) return rc;
    ol_ideal_votes *v = NULL;
    ol_ideal_fit *f = NULL;
    int64_t run_id = 0;
    if ((st = ol_ideal_votes_load(s, &o, &v, &err)) ||
        (st = ol_ideal_estimate(v, &o, cli->progress ? cli_progress : NULL, cli, &f, &err))) {
        cli_progress_done(cli);
        ol_ideal_votes_free(v);
        ol_store_close(s);
        return cli_fail(cli, &err);
    }
    cli_progress_done(cli);
    ol_ideal_votes_free(v);
    if ((st = ol_ideal_fit_write_csv(f, out, &err)) || (!no_store && (st = ol_ideal_fit_save(s, f, &run_id, &err)))) {
        ol_ideal_fit_free(f);
        ol_store_close(s);
        return cli_fail(cli, &err);
    }
    if (!cli->quiet) print_summary(f, out, run_id);
    /* not converging is reported, not fatal: the points are the last iterate */
    if (!f->converged && !cli->quiet)
        fprintf(stderr, "orderlab: warning: the EM stopped at --max-iter %d before the tolerance %g\n",
                o.max_iter, o.tol);
    ol_ideal_fit_free(f);
    ol_store_close(s);
    return 0;
}

int cmd_ideal(ol_cli *cli, int argc, char **argv)
{
    /* the subcommand comes first; each parses its own options */
    int first = 1;
    while (first < argc && argv[first][0] == '-') {
        if (!strcmp(argv[first], "--help") || !strcmp(argv[first], "-h")) {
            cli_print_help("ideal", stdout);
            return 0;
        }
        if (!strcmp(argv[first], "--quiet") || !strcmp(argv[first], "-q")) {
            cli->quiet = 1;
            cli->progress = 0;
            first++;
            continue;
        }
        if ((!strcmp(argv[first], "--db") || !strcmp(argv[first], "-D")) && first + 1 < argc) {
            cli->db_path = argv[first + 1];
            first += 2;
            continue;
        }
        break;
    }
    if (first >= argc) return cli_usage(cli, "ideal", "missing subcommand (estimate, compare)");
    const char *sub = argv[first];
    if (!strcmp(sub, "estimate")) return estimate(cli, argc - first, argv + first);
    if (!strcmp(sub, "compare")) {
        optind = 0;
        return cmd_ideal_compare(cli, argc - first, argv + first);
    }
    return cli_usage(cli, "ideal", "unknown subcommand '%s' (estimate, compare)", sub);
}
