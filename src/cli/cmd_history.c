/* orderlab history: the 2/3 threshold across history — crossings against
 * the leader of each year and the leader's IGO exits around them (an event
 * study and a Poisson model), with the US–Japan case. */
#include "cli_ratio.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void print_table(const ol_history_result *r)
{
    char th[32];
    ol_ratio_format_threshold(r->threshold, th, sizeof th);
    printf("The %s threshold across history: the leader's IGO exits around the crossings (window ±%d years)\n", th,
           r->window);
    printf("IGO memberships: %s:%s, %d-%d", r->igo_source.kind, r->igo_source.name, r->igo_first, r->igo_last);
    if (r->catalog_last) printf("; the catalog's exits after %d (to %d)", r->igo_last, r->catalog_last);
    printf("\n");
    for (size_t i = 0; i < r->nmeasures; i++) {
        const ol_history_measure *m = &r->measures[i];
        printf("\n== %s%s\n", m->series, m->status ? ": not in the store" : "");
        if (m->status) continue;
        printf("leaders:");
        for (size_t g = 0; g < m->nreigns; g++)
            printf(" %s %d-%d", m->reigns[g].leader.code, m->reigns[g].from, m->reigns[g].to);
        printf("\nupward crossings: %zu (events: %zu); leaders' COW exits %ld, dissolutions (not exits) %ld\n",
               m->ncrossings, m->nevents, m->cow_exits, m->dissolutions);
        for (size_t k = 0; k < r->ncrossings; k++) {
            const ol_history_crossing *x = &r->crossings[k];
            if (strcmp(x->series, m->series) || !x->used || !x->in_outcome) continue;
            printf("  %d %s / %s (%.3f -> %.3f)%s\n", x->year, x->challenger, x->leader, x->ratio_before, x->ratio_after,
                   x->nth > 1 ? " re-crossing" : "");
        }
        printf("%9s %6s %6s %10s %22s %18s\n", "k", "events", "exits", "exposure", "rate/100 [CI]", "rate ratio [CI]");
        for (size_t k = 0; k < r->nrows; k++) {
            const ol_history_event_row *w = &r->rows[k];
            if (strcmp(w->series, m->series)) continue;
            if (w->kind == OL_HISTORY_ROW_K && !w->nevents) continue;
            char kb[16], rr[64] = "";
            if (w->has_rr_ci) snprintf(rr, sizeof rr, "%.2f [%.2f, %.2f]", w->rr, w->rr_lo, w->rr_hi);
            else if (w->has_rr) snprintf(rr, sizeof rr, "%.2f", w->rr);
            printf("%9s %6d %6ld %10.0f %7.3f [%5.3f, %5.3f] %18s\n", ol_history_row_label(w, kb, sizeof kb), w->nevents,
                   w->leader.count, w->leader.exposure, 100 * w->leader.rate, 100 * w->leader.lo, 100 * w->leader.hi, rr);
        }
        for (size_t k = 0; k < r->nmodels; k++) {
            const ol_history_model *md = &r->models[k];
            if (strcmp(md->series, m->series)) continue;
            printf("model: %zu leader-years %d-%d, %ld exits, %zu years within %d after a crossing (%ld exits)\n", md->n,
                   md->from, md->until, md->exits, md->post_years, r->window, md->post_exits);
            if (md->status) printf("  not estimated: %s\n", md->note);
            else
                printf("  rate ratio after a crossing %.3f [%.3f, %.3f] (quasi-Poisson [%.3f, %.3f]); trend %s; "
                       "deviance %.2f (null %.2f), dispersion %.2f\n", md->rr, md->rr_lo, md->rr_hi, md->rr_qlo,
                       md->rr_qhi, md->trend ? "per decade" : "none", md->fit.deviance, md->fit.null_deviance,
                       md->fit.dispersion);
        }
        for (size_t k = 0; k < r->njapan; k++) {
            const ol_history_japan *j = &r->japan[k];
            if (strcmp(j->series, m->series)) continue;
            if (j->status) { printf("Japan / US: no common year\n"); continue; }
            printf("Japan / US %d-%d: peak %.3f in %d; ", j->first_data_year, j->last_year, j->peak, j->peak_year);
            if (j->first_year) printf("first at or above %s in %d", th, j->first_year);
            else printf("never at %s", th);
            if (j->claim_max_year) printf("; %d-%d at most %.3f (%d)", r->claim_from, r->claim_until, j->claim_max,
                                          j->claim_max_year);
            printf("\n");
        }
    }
}

static int write_outputs(const ol_cli *cli, const char *dir, const ol_history_result *r)
{
    ol_error err;
    ol_error_clear(&err);
    size_t nfig = 0;
    if (ol_history_write_dir(r, dir, &nfig, &err)) return cli_fail(cli, &err);
    if (!nfig && !cli->quiet) fprintf(stderr, "orderlab: no figure: no measure has an event with IGO data\n");
    return 0;
}

static void write_stdout(const ol_history_result *r, int json)
{
    if (json) {
        char *js = ol_history_summary_json(r);
        if (js) fputs(js, stdout);
        free(js);
    } else {
        ol_history_write_csv(r, OL_HISTORY_TABLE_EVENTS, stdout, NULL);
    }
}

int cmd_history(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"measure", required_argument, NULL, 'm'},
        {"window", required_argument, NULL, 'w'},
        {"threshold", required_argument, NULL, 't'},
        {"level", required_argument, NULL, 'l'},
        {"all-crossings", no_argument, NULL, 'a'},
        {"no-trend", no_argument, NULL, 'T'},
        {"no-catalog", no_argument, NULL, 'C'},
        {"out", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    ol_history_options opt;
    ol_history_options_init(&opt);
    cli_format fmt = CLI_FMT_TABLE;
    const char *out_dir = NULL;
    char *measures = NULL;
    const char *series[OL_HISTORY_MAX_SERIES];
    int c, exit_now = 0;
    ol_error err;
    ol_error_clear(&err);
    while ((c = getopt_long(argc, argv, "+D:qhm:w:t:l:aTCo:f:", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "history", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        switch (c) {
        case 'm': measures = optarg; break;
        case 'w': {
            char *end;
            errno = 0;
            long w = strtol(optarg, &end, 10);
            if (errno || *end || end == optarg || w < 1 || w > 50)
                return cli_usage(cli, "history", "--window must be a whole number of years from 1 to 50, not '%s'", optarg);
            opt.window = (int)w;
            break;
        }
        case 't':
            if (ol_ratio_parse_threshold(optarg, &opt.threshold, &err)) return cli_usage(cli, "history", "%s", err.message);
            break;
        case 'l': {
            char *end;
            double v = strtod(optarg, &end);
            if (*end || end == optarg || !(v > 0 && v < 1))
                return cli_usage(cli, "history", "--level must be a number between 0 and 1, not '%s'", optarg);
            opt.level = v;
            break;
        }
        case 'a': opt.all_crossings = 1; break;
        case 'T': opt.trend = 0; break;
        case 'C': opt.use_catalog = 0; break;
        case 'o': out_dir = optarg; break;
        case 'f':
            if (!cli_parse_format(optarg, &fmt)) return cli_usage(cli, "history", "unknown format '%s'", optarg);
            break;
        default: return cli_usage(cli, "history", "unknown option");
        }
    }
    if (optind < argc) return cli_usage(cli, "history", "unexpected argument '%s'", argv[optind]);
    if (measures) {
        size_t n = cli_split_list(measures, series, OL_HISTORY_MAX_SERIES);
        if (n > OL_HISTORY_MAX_SERIES)
            return cli_usage(cli, "history", "--measure: at most %d series", OL_HISTORY_MAX_SERIES);
        if (!n) return cli_usage(cli, "history", "--measure: an empty list");
        opt.series = series;
        opt.nseries = n;
    }
    ol_store *s = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) return rc;
    ol_history_result *r = NULL;
    if (ol_history_compute(s, &opt, &r, &err)) {
        rc = cli_fail(cli, &err);
        if (err.code == OL_ENOTFOUND && strcmp(err.field, "memberships") == 0)
            fprintf(stderr, "hint: orderlab import cow-igo igo_year_format3.csv\n");
        else if (err.code == OL_ENOTFOUND && strcmp(err.field, "series") == 0)
            fprintf(stderr, "hint: orderlab import wb gdp.csv (or pwt, maddison, nmc)\n");
    } else {
        if (fmt == CLI_FMT_JSON || fmt == CLI_FMT_CSV) write_stdout(r, fmt == CLI_FMT_JSON);
        else print_table(r);
        if (out_dir) rc = write_outputs(cli, out_dir, r);
    }
    ol_history_result_free(r);
    ol_store_close(s);
    return rc;
}
