/* orderlab ratio: the yearly ratio of one state's series to a reference
 * state's, and the years it crosses a threshold (default 2/3). */
#include "cli_ratio.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <string.h>

static cJSON *source_json(const ol_series_source *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)s->id);
    cJSON_AddStringToObject(o, "kind", s->kind);
    cJSON_AddStringToObject(o, "name", s->name);
    cJSON_AddStringToObject(o, "vintage", s->vintage);
    cJSON_AddStringToObject(o, "imported_at", s->imported_at);
    return o;
}

static cJSON *country_json(const ol_country *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "code", c->code);
    cJSON_AddStringToObject(o, "name", c->name_en);
    if (c->name_zh[0]) cJSON_AddStringToObject(o, "name_zh", c->name_zh);
    return o;
}

static void add_year_or_null(cJSON *o, const char *key, int year)
{
    if (year) cJSON_AddNumberToObject(o, key, year);
    else cJSON_AddNullToObject(o, key);
}

static int print_json(cJSON *root)
{
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

static int print_one(const ol_ratio_result *r, cli_format fmt)
{
    char tau[32], a[256], b[256];
    ol_ratio_format_threshold(r->threshold, tau, sizeof tau);
    if (fmt == CLI_FMT_CSV) {
        printf("year,%s,%s,ratio,at_or_above\n", r->numerator.code, r->denominator.code);
        for (size_t k = 0; k < r->n; k++) {
            const ol_ratio_point *p = &r->points[k];
            printf("%d,%.17g,%.17g,%.17g,%d\n", p->year, p->numerator, p->denominator, p->ratio,
                   p->ratio >= r->threshold);
        }
        return 0;
    }
    if (fmt == CLI_FMT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "numerator", country_json(&r->numerator));
        cJSON_AddItemToObject(o, "denominator", country_json(&r->denominator));
        cJSON_AddStringToObject(o, "series", r->series);
        cJSON_AddStringToObject(o, "series_name", r->series_name);
        cJSON_AddStringToObject(o, "unit", r->unit);
        cJSON_AddItemToObject(o, "numerator_source", source_json(&r->numerator_source));
        cJSON_AddItemToObject(o, "denominator_source", source_json(&r->denominator_source));
        cJSON_AddBoolToObject(o, "mixed_sources", r->mixed_sources);
        cJSON_AddNumberToObject(o, "threshold", r->threshold);
        cJSON_AddStringToObject(o, "threshold_text", tau);
        add_year_or_null(o, "first_year", r->first_year);
        add_year_or_null(o, "sustained_year", r->sustained_year);
        cJSON_AddBoolToObject(o, "starts_above", r->starts_above);
        cJSON_AddNumberToObject(o, "peak", r->peak);
        cJSON_AddNumberToObject(o, "peak_year", r->peak_year);
        cJSON_AddNumberToObject(o, "first_data_year", r->first_data_year);
        cJSON_AddNumberToObject(o, "last_year", r->last_year);
        cJSON_AddNumberToObject(o, "last_ratio", r->last_ratio);
        cJSON_AddNumberToObject(o, "missing_years", r->gaps);
        cJSON *cr = cJSON_AddArrayToObject(o, "crossings");
        for (size_t i = 0; i < r->ncrossings; i++) {
            const ol_crossing *c = &r->crossings[i];
            cJSON *x = cJSON_CreateObject();
            cJSON_AddNumberToObject(x, "year", c->year);
            cJSON_AddStringToObject(x, "direction", c->direction == OL_CROSS_UP ? "up" : "down");
            cJSON_AddNumberToObject(x, "prev_year", c->prev_year);
            cJSON_AddNumberToObject(x, "ratio_before", c->ratio_before);
            cJSON_AddNumberToObject(x, "ratio_after", c->ratio_after);
            cJSON_AddBoolToObject(x, "across_gap", c->across_gap);
            cJSON_AddItemToArray(cr, x);
        }
        cJSON *pts = cJSON_AddArrayToObject(o, "years");
        for (size_t k = 0; k < r->n; k++) {
            const ol_ratio_point *p = &r->points[k];
            cJSON *x = cJSON_CreateObject();
            cJSON_AddNumberToObject(x, "year", p->year);
            cJSON_AddNumberToObject(x, "numerator", p->numerator);
            cJSON_AddNumberToObject(x, "denominator", p->denominator);
            cJSON_AddNumberToObject(x, "ratio", p->ratio);
            cJSON_AddItemToArray(pts, x);
        }
        return print_json(o);
    }
    printf("%s / %s\n", cli_country_label(&r->numerator, a, sizeof a),
           cli_country_label(&r->denominator, b, sizeof b));
    printf("series %s", r->series);
    if (strcmp(r->series_name, r->series) != 0) printf(" (%s)", r->series_name);
    printf(", unit %s; threshold %s = %.6f\n", r->unit[0] ? r->unit : "none", tau, r->threshold);
    printf("source %s:%s, vintage %s", r->numerator_source.kind, r->numerator_source.name,
           r->numerator_source.vintage);
    if (r->mixed_sources)
        printf(" for %s; %s:%s, vintage %s for %s (no single source has both)",
               r->numerator.code, r->denominator_source.kind, r->denominator_source.name,
               r->denominator_source.vintage, r->denominator.code);
    printf("\n\n%-6s %16s %16s %8s\n", "year", r->numerator.code, r->denominator.code, "ratio");
    for (size_t k = 0; k < r->n; k++) {
        const ol_ratio_point *p = &r->points[k];
        if (k && p->year - r->points[k - 1].year > 1)
            printf("%-6s (%d missing year%s)\n", "...", p->year - r->points[k - 1].year - 1,
                   p->year - r->points[k - 1].year - 1 == 1 ? "" : "s");
        printf("%-6d %16.6g %16.6g %8.4f%s\n", p->year, p->numerator, p->denominator, p->ratio,
               p->ratio >= r->threshold ? " *" : "");
    }
    printf("(* at or above %s)\n\n", tau);
    cli_print_ratio_summary(stdout, r, "");
    return 0;
}

static int print_all(const ol_ratio_all_result *r, cli_format fmt)
{
    char tau[32], b[256];
    ol_ratio_format_threshold(r->threshold, tau, sizeof tau);
    if (fmt == CLI_FMT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "denominator", country_json(&r->denominator));
        cJSON_AddStringToObject(o, "series", r->series);
        cJSON_AddNumberToObject(o, "threshold", r->threshold);
        cJSON_AddStringToObject(o, "threshold_text", tau);
        cJSON_AddNumberToObject(o, "states_examined", (double)r->ncountries);
        cJSON *rows = cJSON_AddArrayToObject(o, "states");
        for (size_t i = 0; i < r->n; i++) {
            const ol_ratio_all_row *w = &r->rows[i];
            cJSON *x = country_json(&w->country);
            add_year_or_null(x, "first_year", w->first_year);
            add_year_or_null(x, "sustained_year", w->sustained_year);
            cJSON_AddBoolToObject(x, "starts_above", w->starts_above);
            cJSON_AddNumberToObject(x, "crossings", (double)w->ncrossings);
            cJSON_AddNumberToObject(x, "peak", w->peak);
            cJSON_AddNumberToObject(x, "peak_year", w->peak_year);
            cJSON_AddNumberToObject(x, "last_year", w->last_year);
            cJSON_AddNumberToObject(x, "last_ratio", w->last_ratio);
            cJSON_AddItemToObject(x, "source", source_json(&w->source));
            cJSON_AddItemToArray(rows, x);
        }
        return print_json(o);
    }
    if (fmt == CLI_FMT_CSV) {
        printf("code,name,first_year,sustained_year,starts_above,crossings,peak,peak_year,last_year,"
               "last_ratio,source,vintage\n");
        for (size_t i = 0; i < r->n; i++) {
            const ol_ratio_all_row *w = &r->rows[i];
            printf("%s,", w->country.code);
            cli_csv_field(stdout, w->country.name_en);
            printf(",%d,", w->first_year);
            if (w->sustained_year) printf("%d", w->sustained_year);
            printf(",%d,%zu,%.17g,%d,%d,%.17g,%s:%s,", w->starts_above, w->ncrossings, w->peak,
                   w->peak_year, w->last_year, w->last_ratio, w->source.kind, w->source.name);
            cli_csv_field(stdout, w->source.vintage);
            putchar('\n');
        }
        return 0;
    }
    printf("States whose %s ever reached %s of that of %s\n", r->series, tau,
           cli_country_label(&r->denominator, b, sizeof b));
    printf("%-5s %-32s %6s %9s %9s %7s %5s %9s %7s\n", "code", "name", "first", "sustained",
           "crossings", "peak", "in", "last year", "ratio");
    for (size_t i = 0; i < r->n; i++) {
        const ol_ratio_all_row *w = &r->rows[i];
        char sus[16];
        if (w->sustained_year) snprintf(sus, sizeof sus, "%d", w->sustained_year);
        else snprintf(sus, sizeof sus, "none");
        printf("%-5s %-32.32s %5d%s %9s %9zu %7.4f %5d %9d %7.4f\n", w->country.code, w->country.name_en,
               w->first_year, w->starts_above ? "+" : " ", sus, w->ncrossings, w->peak, w->peak_year,
               w->last_year, w->last_ratio);
    }
    printf("%zu of %zu states with data reached %s", r->n, r->ncountries, tau);
    int any_plus = 0;
    for (size_t i = 0; i < r->n; i++) any_plus |= r->rows[i].starts_above;
    if (any_plus) printf(" (+ : at or above from the first year of the data)");
    putchar('\n');
    return 0;
}

static void crossing_years(const ol_ratio_result *r, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->ncrossings && len + 1 < n; i++) {
        int w = snprintf(buf + len, n - len, "%s%s%d%s", len ? " " : "",
                         r->crossings[i].direction == OL_CROSS_UP ? "+" : "-", r->crossings[i].year,
                         r->crossings[i].across_gap ? "*" : "");
        if (w < 0) break;
        len += (size_t)w;
    }
    if (!len) snprintf(buf, n, "none");
}

static int print_leader(const ol_leader_result *r, cli_format fmt)
{
    char tau[32];
    ol_ratio_format_threshold(r->threshold, tau, sizeof tau);
    if (fmt == CLI_FMT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "series", r->series);
        cJSON_AddStringToObject(o, "series_name", r->series_name);
        cJSON_AddStringToObject(o, "unit", r->unit);
        cJSON_AddItemToObject(o, "source", source_json(&r->source));
        cJSON_AddNumberToObject(o, "threshold", r->threshold);
        cJSON_AddStringToObject(o, "threshold_text", tau);
        cJSON_AddNumberToObject(o, "states", (double)r->nstates);
        cJSON *rg = cJSON_AddArrayToObject(o, "reigns");
        for (size_t i = 0; i < r->nreigns; i++) {
            cJSON *x = country_json(&r->reigns[i].leader);
            cJSON_AddNumberToObject(x, "from", r->reigns[i].from);
            cJSON_AddNumberToObject(x, "to", r->reigns[i].to);
            cJSON_AddItemToArray(rg, x);
        }
        cJSON *ps = cJSON_AddArrayToObject(o, "pairs");
        for (size_t i = 0; i < r->npairs; i++) {
            const ol_leader_pair *p = &r->pairs[i];
            const ol_ratio_result *q = p->ratio;
            cJSON *x = cJSON_CreateObject();
            cJSON_AddItemToObject(x, "leader", country_json(&r->reigns[p->reign].leader));
            cJSON_AddItemToObject(x, "challenger", country_json(&p->challenger));
            cJSON_AddNumberToObject(x, "reign_from", r->reigns[p->reign].from);
            cJSON_AddNumberToObject(x, "reign_to", r->reigns[p->reign].to);
            add_year_or_null(x, "first_year", q->first_year);
            add_year_or_null(x, "sustained_year", q->sustained_year);
            cJSON_AddBoolToObject(x, "starts_above", q->starts_above);
            add_year_or_null(x, "overtook", p->overtook);
            cJSON_AddNumberToObject(x, "peak", q->peak);
            cJSON_AddNumberToObject(x, "peak_year", q->peak_year);
            cJSON *cr = cJSON_AddArrayToObject(x, "crossings");
            for (size_t k = 0; k < q->ncrossings; k++) {
                cJSON *c = cJSON_CreateObject();
                cJSON_AddNumberToObject(c, "year", q->crossings[k].year);
                cJSON_AddStringToObject(c, "direction", q->crossings[k].direction == OL_CROSS_UP ? "up" : "down");
                cJSON_AddBoolToObject(c, "across_gap", q->crossings[k].across_gap);
                cJSON_AddItemToArray(cr, c);
            }
            cJSON_AddItemToArray(ps, x);
        }
        return print_json(o);
    }
    if (fmt == CLI_FMT_CSV) {
        printf("leader,challenger,reign_from,reign_to,first_year,sustained_year,starts_above,crossings,peak,"
               "peak_year,overtook\n");
        for (size_t i = 0; i < r->npairs; i++) {
            const ol_leader_pair *p = &r->pairs[i];
            char cy[512];
            crossing_years(p->ratio, cy, sizeof cy);
            printf("%s,%s,%d,%d,%d,", r->reigns[p->reign].leader.code, p->challenger.code, r->reigns[p->reign].from,
                   r->reigns[p->reign].to, p->ratio->first_year);
            if (p->ratio->sustained_year) printf("%d", p->ratio->sustained_year);
            printf(",%d,%s,%.17g,%d,", p->ratio->starts_above, cy, p->ratio->peak, p->ratio->peak_year);
            if (p->overtook) printf("%d", p->overtook);
            putchar('\n');
        }
        return 0;
    }
    printf("Leader auto: the largest state of each year on %s", r->series);
    if (strcmp(r->series_name, r->series) != 0) printf(" (%s)", r->series_name);
    printf("\nsource %s:%s, vintage %s; %zu states; threshold %s\n\n", r->source.kind, r->source.name,
           r->source.vintage, r->nstates, tau);
    printf("Leaders:\n");
    for (size_t i = 0; i < r->nreigns; i++)
        printf("  %d-%d  %s (%s)\n", r->reigns[i].from, r->reigns[i].to, r->reigns[i].leader.code,
               r->reigns[i].leader.name_en);
    printf("\nStates at or above %s of the leader during its lead:\n", tau);
    printf("%-6s %-6s %-9s %6s %9s %-28s %7s %5s %8s\n", "leader", "chall.", "lead", "first", "sustained",
           "crossings (+up -down)", "peak", "in", "overtook");
    for (size_t i = 0; i < r->npairs; i++) {
        const ol_leader_pair *p = &r->pairs[i];
        const ol_ratio_result *q = p->ratio;
        char cy[512], lead[16], sus[16], ov[16];
        crossing_years(q, cy, sizeof cy);
        snprintf(lead, sizeof lead, "%d-%d", r->reigns[p->reign].from, r->reigns[p->reign].to);
        if (q->sustained_year) snprintf(sus, sizeof sus, "%d", q->sustained_year); else snprintf(sus, sizeof sus, "none");
        if (p->overtook) snprintf(ov, sizeof ov, "%d", p->overtook); else snprintf(ov, sizeof ov, "-");
        printf("%-6s %-6s %-9s %5d%s %9s %-28s %7.4f %5d %8s\n", r->reigns[p->reign].leader.code, p->challenger.code,
               lead, q->first_year, q->starts_above ? "+" : " ", sus, cy, q->peak, q->peak_year, ov);
    }
    if (!r->npairs) printf("  (none)\n");
    printf("(first + : at or above from the start of the lead; crossings * : across missing years)\n");
    return 0;
}

int cmd_ratio(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"of", required_argument, NULL, 'o'},
        {"to", required_argument, NULL, 't'},
        {"series", required_argument, NULL, 's'},
        {"threshold", required_argument, NULL, 'T'},
        {"vintage", required_argument, NULL, 'v'},
        {"from", required_argument, NULL, 'F'},
        {"until", required_argument, NULL, 'U'},
        {"to-year", required_argument, NULL, 'U'},
        {"all", no_argument, NULL, 'a'},
        {"leader", required_argument, NULL, 'L'},
        {"among", required_argument, NULL, 'A'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    ol_ratio_options opt;
    ol_ratio_options_init(&opt);
    cli_format fmt = CLI_FMT_TABLE;
    int all = 0, leader = 0, c, exit_now = 0;
    char *among_arg = NULL;
    ol_error err;
    ol_error_clear(&err);
    while ((c = getopt_long(argc, argv, "+D:qho:t:s:T:v:F:U:aL:A:f:", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "ratio", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        switch (c) {
        case 'o': opt.numerator = optarg; break;
        case 't': opt.denominator = optarg; break;
        case 's': opt.series = optarg; break;
        case 'v': opt.vintage = optarg; break;
        case 'a': all = 1; break;
        case 'L':
            if (strcmp(optarg, "auto") != 0)
                return cli_usage(cli, "ratio", "--leader takes 'auto' (for a fixed reference use --to COUNTRY)");
            leader = 1;
            break;
        case 'A': among_arg = optarg; break;
        case 'T':
            if (ol_ratio_parse_threshold(optarg, &opt.threshold, &err))
                return cli_usage(cli, "ratio", "%s", err.message);
            break;
        case 'F': if (!cli_parse_year(cli, "ratio", "from", optarg, &opt.from_year)) return 2; break;
        case 'U': if (!cli_parse_year(cli, "ratio", "until", optarg, &opt.until_year)) return 2; break;
        case 'f':
            if (!cli_parse_format(optarg, &fmt)) return cli_usage(cli, "ratio", "unknown format '%s'", optarg);
            break;
        default: return cli_usage(cli, "ratio", "unknown option");
        }
    }
    if (optind < argc) return cli_usage(cli, "ratio", "unexpected argument '%s'", argv[optind]);
    if (cli_check_years(cli, "ratio", opt.from_year, opt.until_year, "until")) return 2;
    if (among_arg && !leader) return cli_usage(cli, "ratio", "--among goes with --leader auto");
    if (leader) {
        if (opt.denominator || opt.numerator || all)
            return cli_usage(cli, "ratio", "--leader auto excludes --to, --of and --all");
        enum { AMONG_MAX = 64 };
        const char *among[AMONG_MAX];
        ol_leader_options lo;
        ol_leader_options_init(&lo);
        lo.series = opt.series;
        lo.vintage = opt.vintage;
        lo.threshold = opt.threshold;
        lo.from_year = opt.from_year;
        lo.until_year = opt.until_year;
        if (among_arg) {
            size_t n = cli_split_list(among_arg, among, AMONG_MAX);
            if (n == 0 || n > AMONG_MAX) return cli_usage(cli, "ratio", "--among needs 1 to %d countries", AMONG_MAX);
            lo.among = among;
            lo.namong = n;
        }
        ol_store *s = NULL;
        int rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
        if (rc) return rc;
        ol_leader_result *r = NULL;
        if (ol_leader_compute(s, &lo, &r, &err)) rc = cli_fail_series(cli, &err, opt.series);
        else rc = print_leader(r, fmt);
        ol_leader_result_free(r);
        ol_store_close(s);
        return rc;
    }
    if (!opt.denominator)
        return cli_usage(cli, "ratio", "--to COUNTRY (the reference state) or --leader auto is required");
    if (all && opt.numerator) return cli_usage(cli, "ratio", "--all and --of exclude each other");
    if (!all && !opt.numerator) return cli_usage(cli, "ratio", "give --of COUNTRY, or --all");

    ol_store *s = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) return rc;
    if (all) {
        ol_ratio_all_result *r = NULL;
        if (ol_ratio_all(s, &opt, &r, &err)) rc = cli_fail_series(cli, &err, opt.series);
        else rc = print_all(r, fmt);
        ol_ratio_all_result_free(r);
    } else {
        ol_ratio_result *r = NULL;
        if (ol_ratio_compute(s, &opt, &r, &err)) rc = cli_fail_series(cli, &err, opt.series);
        else rc = print_one(r, fmt);
        ol_ratio_result_free(r);
    }
    ol_store_close(s);
    return rc;
}
