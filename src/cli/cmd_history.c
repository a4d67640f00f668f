/* orderlab history: the 2/3 threshold across history — crossings against
 * the leader of each year and the leader's IGO exits around them (an event
 * study and a Poisson model), with the US–Japan case. */
#include "cli_ratio.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *row_kind(const ol_history_event_row *r, char *buf, size_t n)
{
    switch (r->kind) {
    case OL_HISTORY_ROW_PRE: return "pre";
    case OL_HISTORY_ROW_POST: return "post";
    case OL_HISTORY_ROW_BASELINE: return "baseline";
    default: snprintf(buf, n, "%d", r->k); return buf;
    }
}

static void write_events_csv(const ol_history_result *r, FILE *f)
{
    fprintf(f, "series,k,events,leader_exits,leader_exposure,leader_rate,leader_lo,leader_hi,"
               "rate_ratio,rr_lo,rr_hi,others_exits,others_exposure,others_rate,others_lo,others_hi\n");
    for (size_t i = 0; i < r->nrows; i++) {
        const ol_history_event_row *w = &r->rows[i];
        char kb[16];
        fprintf(f, "%s,%s,%d,%ld,%.0f,%.6g,%.6g,%.6g,", w->series, row_kind(w, kb, sizeof kb), w->nevents,
                w->leader.count, w->leader.exposure, w->leader.rate, w->leader.lo, w->leader.hi);
        if (w->has_rr) fprintf(f, "%.6g", w->rr);
        fputc(',', f);
        if (w->has_rr_ci) fprintf(f, "%.6g,%.6g", w->rr_lo, w->rr_hi);
        else fputc(',', f);
        fprintf(f, ",%ld,%.0f,%.6g,%.6g,%.6g\n", w->others.count, w->others.exposure, w->others.rate, w->others.lo,
                w->others.hi);
    }
}

static void write_crossings_csv(const ol_history_result *r, FILE *f)
{
    fprintf(f, "series,leader,challenger,name,year,prev_year,ratio_before,ratio_after,across_gap,nth,event,in_outcome\n");
    for (size_t i = 0; i < r->ncrossings; i++) {
        const ol_history_crossing *x = &r->crossings[i];
        fprintf(f, "%s,%s,%s,", x->series, x->leader, x->challenger);
        cli_csv_field(f, x->challenger_name);
        fprintf(f, ",%d,%d,%.6f,%.6f,%d,%d,%d,%d\n", x->year, x->prev_year, x->ratio_before, x->ratio_after,
                x->across_gap, x->nth, x->used, x->in_outcome);
    }
}

static void write_models_csv(const ol_history_result *r, FILE *f)
{
    fprintf(f, "series,status,note,n,from,until,exits,post_years,post_exits,b0,se0,b_post,se_post,b_trend,se_trend,"
               "rate_ratio,rr_lo,rr_hi,rr_qlo,rr_qhi,deviance,null_deviance,pearson,dispersion,iterations\n");
    for (size_t i = 0; i < r->nmodels; i++) {
        const ol_history_model *m = &r->models[i];
        fprintf(f, "%s,%s,", m->series, m->status ? "not-estimated" : "ok");
        cli_csv_field(f, m->note);
        fprintf(f, ",%zu,%d,%d,%ld,%zu,%ld,", m->n, m->from, m->until, m->exits, m->post_years, m->post_exits);
        if (m->status) { fprintf(f, ",,,,,,,,,,,,,,,\n"); continue; }
        const ol_poisson_fit *p = &m->fit;
        fprintf(f, "%.6g,%.6g,%.6g,%.6g,", p->coef[0], p->se[0], p->coef[1], p->se[1]);
        if (m->trend) fprintf(f, "%.6g,%.6g,", p->coef[2], p->se[2]);
        else fprintf(f, ",,");
        fprintf(f, "%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%d\n", m->rr, m->rr_lo, m->rr_hi, m->rr_qlo, m->rr_qhi,
                p->deviance, p->null_deviance, p->pearson, p->dispersion, p->iterations);
    }
}

static void write_japan_csv(const ol_history_result *r, FILE *f)
{
    fprintf(f, "series,year,japan,usa,ratio\n");
    for (size_t i = 0; i < r->njapan; i++)
        for (size_t k = 0; k < r->japan[i].n; k++) {
            const ol_ratio_point *p = &r->japan[i].points[k];
            fprintf(f, "%s,%d,%.17g,%.17g,%.6f\n", r->japan[i].series, p->year, p->numerator, p->denominator, p->ratio);
        }
}

static cJSON *summary_json(const ol_history_result *r)
{
    cJSON *o = cJSON_CreateObject();
    char th[32];
    ol_ratio_format_threshold(r->threshold, th, sizeof th);
    cJSON_AddStringToObject(o, "threshold", th);
    cJSON_AddNumberToObject(o, "window", r->window);
    cJSON_AddNumberToObject(o, "level", r->level);
    cJSON *ig = cJSON_AddObjectToObject(o, "igo_source");
    cJSON_AddStringToObject(ig, "kind", r->igo_source.kind);
    cJSON_AddStringToObject(ig, "name", r->igo_source.name);
    cJSON_AddNumberToObject(ig, "first_year", r->igo_first);
    cJSON_AddNumberToObject(ig, "last_year", r->igo_last);
    if (r->catalog_last) cJSON_AddNumberToObject(o, "catalog_last_year", r->catalog_last);
    cJSON *ms = cJSON_AddArrayToObject(o, "measures");
    for (size_t i = 0; i < r->nmeasures; i++) {
        const ol_history_measure *m = &r->measures[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "series", m->series);
        cJSON_AddBoolToObject(x, "found", m->status == OL_OK);
        if (!m->status) {
            cJSON *rg = cJSON_AddArrayToObject(x, "reigns");
            for (size_t g = 0; g < m->nreigns; g++) {
                cJSON *y = cJSON_CreateObject();
                cJSON_AddStringToObject(y, "leader", m->reigns[g].leader.code);
                cJSON_AddNumberToObject(y, "from", m->reigns[g].from);
                cJSON_AddNumberToObject(y, "to", m->reigns[g].to);
                cJSON_AddItemToArray(rg, y);
            }
            cJSON_AddNumberToObject(x, "crossings", (double)m->ncrossings);
            cJSON_AddNumberToObject(x, "events", (double)m->nevents);
            cJSON_AddNumberToObject(x, "leader_cow_exits", (double)m->cow_exits);
            cJSON_AddNumberToObject(x, "leader_dissolutions", (double)m->dissolutions);
        }
        for (size_t k = 0; k < r->nmodels; k++) {
            const ol_history_model *md = &r->models[k];
            if (strcmp(md->series, m->series) != 0) continue;
            cJSON *y = cJSON_AddObjectToObject(x, "model");
            cJSON_AddBoolToObject(y, "estimated", md->status == OL_OK);
            if (md->note[0]) cJSON_AddStringToObject(y, "note", md->note);
            cJSON_AddNumberToObject(y, "n", (double)md->n);
            cJSON_AddNumberToObject(y, "exits", (double)md->exits);
            cJSON_AddNumberToObject(y, "post_years", (double)md->post_years);
            cJSON_AddNumberToObject(y, "post_exits", (double)md->post_exits);
            if (!md->status) {
                cJSON_AddNumberToObject(y, "rate_ratio", md->rr);
                cJSON_AddNumberToObject(y, "rr_lo", md->rr_lo);
                cJSON_AddNumberToObject(y, "rr_hi", md->rr_hi);
                cJSON_AddNumberToObject(y, "rr_quasi_lo", md->rr_qlo);
                cJSON_AddNumberToObject(y, "rr_quasi_hi", md->rr_qhi);
                cJSON_AddNumberToObject(y, "deviance", md->fit.deviance);
                cJSON_AddNumberToObject(y, "null_deviance", md->fit.null_deviance);
                cJSON_AddNumberToObject(y, "dispersion", md->fit.dispersion);
            }
        }
        for (size_t k = 0; k < r->njapan; k++) {
            const ol_history_japan *j = &r->japan[k];
            if (strcmp(j->series, m->series) != 0 || j->status) continue;
            cJSON *y = cJSON_AddObjectToObject(x, "us_japan");
            cJSON_AddNumberToObject(y, "first_data_year", j->first_data_year);
            cJSON_AddNumberToObject(y, "last_year", j->last_year);
            cJSON_AddNumberToObject(y, "peak", j->peak);
            cJSON_AddNumberToObject(y, "peak_year", j->peak_year);
            if (j->first_year) cJSON_AddNumberToObject(y, "first_year_at_threshold", j->first_year);
            else cJSON_AddNullToObject(y, "first_year_at_threshold");
            if (j->claim_max_year) {
                cJSON_AddNumberToObject(y, "claim_decade_max", j->claim_max);
                cJSON_AddNumberToObject(y, "claim_decade_max_year", j->claim_max_year);
            }
        }
        cJSON_AddItemToArray(ms, x);
    }
    return o;
}

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
            printf("%9s %6d %6ld %10.0f %7.3f [%5.3f, %5.3f] %18s\n", row_kind(w, kb, sizeof kb), w->nevents,
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

typedef void (*writer_fn)(const ol_history_result *, FILE *);

static int write_file(const ol_cli *cli, const char *dir, const char *name, writer_fn fn, const ol_history_result *r)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ol_error err;
    if (!f) {
        ol_error_set(&err, OL_EIO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        return cli_fail(cli, &err);
    }
    fn(r, f);
    if (fclose(f) != 0) {
        ol_error_set(&err, OL_EIO, path, 0, 0, NULL, "write failed");
        return cli_fail(cli, &err);
    }
    return 0;
}

static void write_summary(const ol_history_result *r, FILE *f)
{
    cJSON *o = summary_json(r);
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    if (text) fprintf(f, "%s\n", text);
    cJSON_free(text);
}

static int write_outputs(const ol_cli *cli, const char *dir, const ol_history_result *r)
{
    struct stat sb;
    ol_error err;
    if (stat(dir, &sb) != 0 && mkdir(dir, 0777) != 0) {
        ol_error_set(&err, OL_EIO, dir, 0, 0, NULL, "cannot create the output directory: %s", strerror(errno));
        return cli_fail(cli, &err);
    }
    if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
        ol_error_set(&err, OL_EIO, dir, 0, 0, NULL, "not a directory");
        return cli_fail(cli, &err);
    }
    int rc;
    if ((rc = write_file(cli, dir, "history_events.csv", write_events_csv, r)) ||
        (rc = write_file(cli, dir, "history_crossings.csv", write_crossings_csv, r)) ||
        (rc = write_file(cli, dir, "history_model.csv", write_models_csv, r)) ||
        (rc = write_file(cli, dir, "history_us_japan.csv", write_japan_csv, r)) ||
        (rc = write_file(cli, dir, "history_summary.json", write_summary, r)))
        return rc;
    for (size_t m = 0; m < r->nmeasures; m++) {
        if (r->measures[m].status) continue;
        for (int f = 0; f < OL_PLOT_FORMAT_COUNT; f++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/history_event_time_%s.%s", dir, r->measures[m].series,
                     ol_plot_format_ext((ol_plot_format)f));
            ol_error_clear(&err);
            ol_status st = ol_history_figure_write(r, r->measures[m].series, path, (ol_plot_format)f, &err);
            if (st == OL_ENOTFOUND) {
                if (!cli->quiet) fprintf(stderr, "orderlab: no figure: %s\n", err.message);
                break;
            }
            if (st) return cli_fail(cli, &err);
        }
    }
    return 0;
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
        size_t n = 0;
        for (char *tok = strtok(measures, ","); tok; tok = strtok(NULL, ",")) {
            if (n == OL_HISTORY_MAX_SERIES)
                return cli_usage(cli, "history", "--measure: at most %d series", OL_HISTORY_MAX_SERIES);
            series[n++] = tok;
        }
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
        if (fmt == CLI_FMT_JSON) write_summary(r, stdout);
        else if (fmt == CLI_FMT_CSV) write_events_csv(r, stdout);
        else print_table(r);
        if (out_dir) rc = write_outputs(cli, out_dir, r);
    }
    ol_history_result_free(r);
    ol_store_close(s);
    return rc;
}
