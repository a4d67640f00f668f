/* orderlab ideal compare FILE: how far an ideal-point estimate in the store
 * agrees with a published file.  The library computes; this prints. */
#include "cli_ratio.h"
#include "cmd_ideal_compare.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char COMMAND[] = "ideal compare";
static const char HELP[] = "ideal-compare";
/* Rejects of FILE shown on stderr before "(N more ...)". */
enum { SHOW_REJECTS = 3 };

/* ------------------------------------------------------------ table */

/* v with 4 decimals (signed: with its sign always), "-" for a missing value. */
static const char *num(char *buf, size_t size, double v, int sign)
{
    if (isnan(v)) snprintf(buf, size, "-");
    else if (sign) snprintf(buf, size, "%+.4f", v);
    else snprintf(buf, size, "%.4f", v);
    return buf;
}

static const char *period_word(const ol_ideal_compare_result *r) { return r->a.period_kind; }

static void side_origin(const ol_ideal_compare_side *s, char *buf, size_t size)
{
    if (s->run_id) snprintf(buf, size, "%s rows of run %lld", s->period_kind, (long long)s->run_id);
    else snprintf(buf, size, "%s rows", s->period_kind);
    if (s->origins > 1) {
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, " (the newest of %zu imports or fits)", s->origins);
    }
}

static void print_table(const ol_ideal_compare_result *r, const char *path, size_t top)
{
    char b1[64], b2[64], b3[64], b4[64], b5[64], o[160];
    const char *P = period_word(r);
    side_origin(&r->a, o, sizeof o);
    printf("A  %-16s the store, %s\n", r->a.estimate, o);
    side_origin(&r->b, o, sizeof o);
    printf("B  %-16s %s, %s; read %lld, kept %lld, skipped %lld, rejected %lld\n", r->b.estimate, path, o,
           (long long)r->file.rows_read, (long long)r->file.rows_kept, (long long)r->file.rows_skipped,
           (long long)r->file.rows_rejected);
    printf("matched on the %s: %zu country-%ss; unmatched: %zu of the %zu rows of A, %zu of the %zu of B\n",
           r->by_year ? "year" : P, r->n, P, r->a.unmatched, r->a.rows, r->b.unmatched, r->b.rows);
    if (r->a.outside || r->b.outside)
        printf("left out: %zu rows of A and %zu of B dated outside the years asked\n", r->a.outside, r->b.outside);
    if (r->a.duplicates || r->b.duplicates)
        printf("left out: %zu rows of A and %zu of B that repeat a country's year (the first %s of the year is used)\n",
               r->a.duplicates, r->b.duplicates, r->by_year && strcmp(r->a.period_kind, "session") == 0 ? "session" : "row");
    printf("\n");
    printf("overall        r = %s   Spearman rho = %s   n = %zu\n", num(b1, sizeof b1, r->r, 0),
           num(b2, sizeof b2, r->rho, 0), r->n);
    printf("per %-10s median r = %s, minimum r = %s", P, num(b1, sizeof b1, r->period_r_median, 0),
           num(b2, sizeof b2, r->period_r_min, 0));
    if (!isnan(r->period_r_min)) {
        if (strcmp(P, "session") == 0) printf(" (session %d, %d)", r->period_r_min_period, r->period_r_min_year);
        else printf(" (%d)", r->period_r_min_period);
    }
    printf("; %zu %ss, %zu without r (fewer than %zu countries)\n", r->nperiods, P, r->periods_missing, r->min_n);
    printf("per country    %zu countries, %zu without r (fewer than %zu %ss)\n", r->ncountries, r->countries_missing,
           r->min_n, P);
    printf("pooled         r = %s over the means of the %zu countries (how static estimators are usually compared)\n",
           num(b1, sizeof b1, r->pooled_r, 0), r->ncountries);
    if (!isnan(r->slope))
        printf("common scale   B = %.4f %c %.4f x A (the least-squares line over the panel puts A on B's scale)\n",
               r->intercept, r->slope < 0 ? '-' : '+', fabs(r->slope));
    if (!isnan(r->r_standardised) || !isnan(r->r_period_lines))
        printf("calibration    r = %s with A standardised within each %s, r = %s with each %s on its own line\n"
               "               B = c0 + c1 x A (over the %zu country-%ss of the %ss that have an r)\n",
               num(b1, sizeof b1, r->r_standardised, 0), P, num(b2, sizeof b2, r->r_period_lines, 0), P,
               r->n_calibrated, P, P);
    if (r->reversed)
        printf("\n*** WARNING: the correlation is NEGATIVE: A and B have opposite polarity (one puts the United\n"
               "*** States on the negative side).  Nothing has been flipped: check the anchor of %s.\n",
               r->a.estimate);

    if (r->ndisagree) {
        printf("\nThe %zu largest disagreements (residual = B - A on B's scale):\n", r->ndisagree);
        printf("%-8s %8s %6s %10s %10s %14s %10s\n", "country", P, "year", "A", "B", "A on B's scale", "residual");
        for (size_t i = 0; i < r->ndisagree; i++) {
            const ol_ideal_compare_pair *p = &r->disagree[i];
            printf("%-8s %8d %6d %10.4f %10.4f %14.4f %+10.4f\n", p->country, p->period, p->year, p->a, p->b,
                   p->fitted, p->residual);
        }
    } else if (top) {
        printf("\n(no disagreements listed: the panel has no least-squares line)\n");
    }

    printf("\nPer %s (c0, c1: the %s's own line B = c0 + c1 x A):\n%8s %6s %6s %8s %10s %10s %8s %8s %8s %8s %8s "
           "%8s\n",
           P, P, P, "year", "n", "r", "mean A-B", "mean resid", "mean A", "sd A", "mean B", "sd B", "c0", "c1");
    for (size_t i = 0; i < r->nperiods; i++) {
        const ol_ideal_compare_group *g = &r->periods[i];
        char b6[64], b7[64], b8[64], b9[64];
        printf("%8d %6d %6zu %8s %10s %10s %8s %8s %8s %8s %8s %8s\n", g->period, g->year, g->n,
               num(b1, sizeof b1, g->r, 0), num(b2, sizeof b2, g->mean_diff, 1),
               num(b3, sizeof b3, g->mean_residual, 1), num(b4, sizeof b4, g->mean_a, 0),
               num(b5, sizeof b5, g->sd_a, 0), num(b6, sizeof b6, g->mean_b, 0), num(b7, sizeof b7, g->sd_b, 0),
               num(b8, sizeof b8, g->intercept, 0), num(b9, sizeof b9, g->slope, 0));
    }
    printf("\nPer country:\n%-8s %6s %8s %10s %10s %10s %10s\n", "country", "n", "r", "mean A", "mean B",
           "mean A-B", "mean resid");
    for (size_t i = 0; i < r->ncountries; i++) {
        const ol_ideal_compare_group *g = &r->countries[i];
        printf("%-8s %6zu %8s %10s %10s %10s %10s\n", g->country, g->n, num(b1, sizeof b1, g->r, 0),
               num(b2, sizeof b2, g->mean_a, 0), num(b3, sizeof b3, g->mean_b, 0),
               num(b4, sizeof b4, g->mean_diff, 1), num(b5, sizeof b5, g->mean_residual, 1));
    }
}

/* ------------------------------------------------------------ csv: one long table */

static void csv_num(double v)
{
    if (!isnan(v)) printf("%.10g", v);
}

/* section,country,period,year,n,statistic,value */
static void csv_row(const char *section, const char *country, int period, int year, size_t n, const char *stat,
                    double v)
{
    printf("%s,", section);
    cli_csv_field(stdout, country);
    putchar(',');
    if (period) printf("%d", period);
    putchar(',');
    if (year) printf("%d", year);
    putchar(',');
    if (n) printf("%zu", n);
    printf(",%s,", stat);
    csv_num(v);
    putchar('\n');
}

static void print_csv(const ol_ideal_compare_result *r)
{
    printf("section,country,period,year,n,statistic,value\n");
    csv_row("overall", "", 0, 0, r->n, "r", r->r);
    csv_row("overall", "", 0, 0, r->n, "rho", r->rho);
    csv_row("overall", "", 0, 0, r->n, "intercept", r->intercept);
    csv_row("overall", "", 0, 0, r->n, "slope", r->slope);
    csv_row("overall", "", 0, 0, r->ncountries, "pooled_r", r->pooled_r);
    csv_row("overall", "", r->period_r_min_period, r->period_r_min_year, r->nperiods, "period_r_min", r->period_r_min);
    csv_row("overall", "", 0, 0, r->nperiods, "period_r_median", r->period_r_median);
    csv_row("overall", "", 0, 0, r->n_calibrated, "r_standardised", r->r_standardised);
    csv_row("overall", "", 0, 0, r->n_calibrated, "r_period_lines", r->r_period_lines);
    csv_row("overall", "", 0, 0, 0, "file_rejected", (double)r->file.rows_rejected);
    for (size_t i = 0; i < r->nperiods; i++) {
        const ol_ideal_compare_group *g = &r->periods[i];
        csv_row("period", "", g->period, g->year, g->n, "r", g->r);
        csv_row("period", "", g->period, g->year, g->n, "mean_diff", g->mean_diff);
        csv_row("period", "", g->period, g->year, g->n, "mean_residual", g->mean_residual);
        csv_row("period", "", g->period, g->year, g->n, "mean_a", g->mean_a);
        csv_row("period", "", g->period, g->year, g->n, "sd_a", g->sd_a);
        csv_row("period", "", g->period, g->year, g->n, "mean_b", g->mean_b);
        csv_row("period", "", g->period, g->year, g->n, "sd_b", g->sd_b);
        csv_row("period", "", g->period, g->year, g->n, "intercept", g->intercept);
        csv_row("period", "", g->period, g->year, g->n, "slope", g->slope);
    }
    for (size_t i = 0; i < r->ncountries; i++) {
        const ol_ideal_compare_group *g = &r->countries[i];
        csv_row("country", g->country, 0, 0, g->n, "r", g->r);
        csv_row("country", g->country, 0, 0, g->n, "mean_a", g->mean_a);
        csv_row("country", g->country, 0, 0, g->n, "mean_b", g->mean_b);
        csv_row("country", g->country, 0, 0, g->n, "mean_diff", g->mean_diff);
        csv_row("country", g->country, 0, 0, g->n, "mean_residual", g->mean_residual);
    }
    for (size_t i = 0; i < r->ndisagree; i++) {
        const ol_ideal_compare_pair *p = &r->disagree[i];
        csv_row("disagreement", p->country, p->period, p->year, 0, "a", p->a);
        csv_row("disagreement", p->country, p->period, p->year, 0, "b", p->b);
        csv_row("disagreement", p->country, p->period, p->year, 0, "fitted", p->fitted);
        csv_row("disagreement", p->country, p->period, p->year, 0, "residual", p->residual);
    }
}

/* ------------------------------------------------------------ json */

static void add_num(cJSON *o, const char *key, double v)
{
    if (isnan(v) || isinf(v)) cJSON_AddNullToObject(o, key);
    else cJSON_AddNumberToObject(o, key, v);
}

static cJSON *side_json(const ol_ideal_compare_side *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "estimate", s->estimate);
    cJSON_AddStringToObject(o, "period_kind", s->period_kind);
    if (s->run_id) cJSON_AddNumberToObject(o, "run_id", (double)s->run_id);
    cJSON_AddNumberToObject(o, "origins", (double)s->origins);
    cJSON_AddNumberToObject(o, "rows", (double)s->rows);
    cJSON_AddNumberToObject(o, "outside", (double)s->outside);
    cJSON_AddNumberToObject(o, "duplicates", (double)s->duplicates);
    cJSON_AddNumberToObject(o, "unmatched", (double)s->unmatched);
    cJSON_AddNumberToObject(o, "year_min", s->year_min);
    cJSON_AddNumberToObject(o, "year_max", s->year_max);
    return o;
}

static cJSON *group_json(const ol_ideal_compare_group *g, int is_country)
{
    cJSON *o = cJSON_CreateObject();
    if (is_country) cJSON_AddStringToObject(o, "country", g->country);
    else {
        cJSON_AddNumberToObject(o, "period", g->period);
        cJSON_AddNumberToObject(o, "year", g->year);
    }
    cJSON_AddNumberToObject(o, "n", (double)g->n);
    add_num(o, "r", g->r);
    add_num(o, "mean_a", g->mean_a);
    add_num(o, "mean_b", g->mean_b);
    add_num(o, "mean_diff", g->mean_diff);
    add_num(o, "mean_residual", g->mean_residual);
    add_num(o, "sd_a", g->sd_a);
    add_num(o, "sd_b", g->sd_b);
    add_num(o, "intercept", g->intercept);
    add_num(o, "slope", g->slope);
    return o;
}

static int print_json(const ol_ideal_compare_result *r, const char *path)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "a", side_json(&r->a));
    cJSON *b = side_json(&r->b);
    cJSON_AddStringToObject(b, "file", path);
    cJSON_AddItemToObject(root, "b", b);
    cJSON *f = cJSON_AddObjectToObject(root, "file_import");
    cJSON_AddNumberToObject(f, "read", (double)r->file.rows_read);
    cJSON_AddNumberToObject(f, "kept", (double)r->file.rows_kept);
    cJSON_AddNumberToObject(f, "skipped", (double)r->file.rows_skipped);
    cJSON_AddNumberToObject(f, "rejected", (double)r->file.rows_rejected);
    cJSON_AddStringToObject(root, "matched_on", r->by_year ? "year" : r->a.period_kind);
    cJSON_AddNumberToObject(root, "n", (double)r->n);
    add_num(root, "r", r->r);
    add_num(root, "rho", r->rho);
    cJSON_AddBoolToObject(root, "reversed", r->reversed);
    add_num(root, "intercept", r->intercept);
    add_num(root, "slope", r->slope);
    add_num(root, "pooled_r", r->pooled_r);
    add_num(root, "period_r_median", r->period_r_median);
    add_num(root, "period_r_min", r->period_r_min);
    cJSON_AddNumberToObject(root, "n_calibrated", (double)r->n_calibrated);
    add_num(root, "r_standardised", r->r_standardised);
    add_num(root, "r_period_lines", r->r_period_lines);
    if (!isnan(r->period_r_min)) {
        cJSON_AddNumberToObject(root, "period_r_min_period", r->period_r_min_period);
        cJSON_AddNumberToObject(root, "period_r_min_year", r->period_r_min_year);
    }
    cJSON_AddNumberToObject(root, "min_n", (double)r->min_n);
    cJSON_AddNumberToObject(root, "periods_missing", (double)r->periods_missing);
    cJSON_AddNumberToObject(root, "countries_missing", (double)r->countries_missing);
    cJSON *arr = cJSON_AddArrayToObject(root, "disagreements");
    for (size_t i = 0; i < r->ndisagree; i++) {
        const ol_ideal_compare_pair *p = &r->disagree[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "country", p->country);
        cJSON_AddNumberToObject(o, "period", p->period);
        cJSON_AddNumberToObject(o, "year", p->year);
        add_num(o, "a", p->a);
        add_num(o, "b", p->b);
        add_num(o, "fitted", p->fitted);
        add_num(o, "residual", p->residual);
        cJSON_AddItemToArray(arr, o);
    }
    arr = cJSON_AddArrayToObject(root, "periods");
    for (size_t i = 0; i < r->nperiods; i++) cJSON_AddItemToArray(arr, group_json(&r->periods[i], 0));
    arr = cJSON_AddArrayToObject(root, "countries");
    for (size_t i = 0; i < r->ncountries; i++) cJSON_AddItemToArray(arr, group_json(&r->countries[i], 1));
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) {
        fprintf(stderr, "orderlab: out of memory writing JSON\n");
        return 1;
    }
    puts(text);
    cJSON_free(text);
    return 0;
}

/* ------------------------------------------------------------ the command */

static int parse_size(const char *s, size_t *out)
{
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < 0) return 0;
    *out = (size_t)v;
    return 1;
}

int cmd_ideal_compare(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"estimate", required_argument, NULL, 'e'},
        {"with-estimate", required_argument, NULL, 'w'},
        {"period-kind", required_argument, NULL, 'k'},
        {"top", required_argument, NULL, 't'},
        {"min-n", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},
        {"max-rejects", required_argument, NULL, 'M'},
        {"rejects", required_argument, NULL, 'R'},
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},
        {NULL, 0, NULL, 0},
    };
    ol_ideal_compare_options o;
    ol_ideal_compare_options_init(&o);
    cli_format fmt = CLI_FMT_TABLE;
    const char *rejects_path = NULL;
    int c, exit_now = 0;
    optind = 0;
    while ((c = getopt_long(argc, argv, "D:qhe:w:k:t:n:f:M:R:F:T:", longopts, NULL)) != -1) {
        if (cli_common_option(cli, HELP, c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        switch (c) {
        case 'e': o.estimate = optarg; break;
        case 'w': o.with_estimate = optarg; break;
        case 'k':
            if (strcmp(optarg, "session") != 0 && strcmp(optarg, "year") != 0)
                return cli_usage(cli, COMMAND, "--period-kind is session or year, not '%s'", optarg);
            o.period_kind = optarg;
            break;
        case 't':
            if (!parse_size(optarg, &o.top)) return cli_usage(cli, COMMAND, "--top wants a count, not '%s'", optarg);
            break;
        case 'n':
            if (!parse_size(optarg, &o.min_n) || o.min_n < OL_IDEAL_COMPARE_DEFAULT_MIN_N)
                return cli_usage(cli, COMMAND, "--min-n wants a count of at least %d, not '%s'",
                                 OL_IDEAL_COMPARE_DEFAULT_MIN_N, optarg);
            break;
        case 'f':
            if (!cli_parse_format(optarg, &fmt))
                return cli_usage(cli, COMMAND, "unknown format '%s' (table, csv or json)", optarg);
            break;
        case 'M':
            if (!cli_parse_max_rejects(optarg, &o.max_rejects))
                return cli_usage(cli, COMMAND, "--max-rejects wants a count or -1, not '%s'", optarg);
            break;
        case 'R': rejects_path = optarg; break;
        case 'F': if (!cli_parse_year(cli, COMMAND, "from", optarg, &o.from_year)) return 2; break;
        case 'T': if (!cli_parse_year(cli, COMMAND, "to", optarg, &o.to_year)) return 2; break;
        default: return cli_usage(cli, COMMAND, "unknown option");
        }
    }
    if (cli_check_years(cli, COMMAND, o.from_year, o.to_year, "to")) return 2;
    /* our own name, when the dispatcher passed it as an operand */
    if (argc - optind >= 2 && strcmp(argv[optind], "compare") == 0) optind++;
    if (optind >= argc) return cli_usage(cli, COMMAND, "missing FILE (a published ideal-point file)");
    const char *path = argv[optind];
    if (optind + 1 < argc) return cli_usage(cli, COMMAND, "unexpected argument '%s'", argv[optind + 1]);

    ol_store *s = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) return rc;
    cli_import_report rep;
    rc = cli_import_report_open(&rep, cli, rejects_path);
    if (rc) { ol_store_close(s); return rc; }
    rep.show_max = SHOW_REJECTS;
    o.on_reject = cli_import_on_reject;
    o.reject_ctx = &rep;

    ol_error err;
    ol_error_clear(&err);
    ol_ideal_compare_result *r = NULL;
    ol_status st = ol_ideal_compare_file(s, path, &o, &r, &err);
    cli_import_report_file_done(&rep);
    cli_import_report_close(&rep);
    ol_store_close(s);
    if (st) {
        rc = cli_fail(cli, &err);
        if (st == OL_ENOTFOUND && !err.file[0]) {
            const char *e = o.estimate ? o.estimate : OL_IDEAL_COMPARE_DEFAULT_ESTIMATE;
            if (strncmp(e, "orderlab-", 9) == 0)
                fprintf(stderr, "hint: run 'orderlab ideal estimate' (after importing the UN votes) to store '%s'\n", e);
            else
                fprintf(stderr, "hint: import the published estimates with 'orderlab import idealpoints FILE'\n");
        }
        return rc;
    }
    if (fmt == CLI_FMT_JSON) rc = print_json(r, path);
    else if (fmt == CLI_FMT_CSV) print_csv(r);
    else print_table(r, path, o.top);
    if (r->reversed)
        fprintf(stderr, "orderlab: WARNING: r = %.4f is negative: the two estimates have opposite polarity\n", r->r);
    ol_ideal_compare_result_free(r);
    return rc;
}
