/* orderlab balance: a partner's goods surplus with the hegemon by year, as a
 * share of the hegemon's GDP (the spillover proxy, 溢出效应). */
#include "cli_ratio.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <string.h>

static int print_balance(const ol_balance_result *r, cli_format fmt)
{
    if (fmt == CLI_FMT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "partner", r->partner.code);
        cJSON_AddStringToObject(o, "reporter", r->reporter.code);
        cJSON_AddStringToObject(o, "unit", "current US$");
        cJSON_AddStringToObject(o, "trade_source", r->trade_source.name);
        cJSON_AddStringToObject(o, "trade_vintage", r->trade_source.vintage);
        cJSON_AddStringToObject(o, "gdp_series", r->gdp_series);
        if (r->gdp_source.id) cJSON_AddStringToObject(o, "gdp_vintage", r->gdp_source.vintage);
        cJSON *ys = cJSON_AddArrayToObject(o, "years");
        for (size_t i = 0; i < r->n; i++) {
            const ol_balance_year *b = &r->years[i];
            cJSON *x = cJSON_CreateObject();
            cJSON_AddNumberToObject(x, "year", b->year);
            cJSON_AddNumberToObject(x, "imports", b->imports);
            cJSON_AddNumberToObject(x, "exports", b->exports);
            cJSON_AddNumberToObject(x, "surplus", b->surplus);
            if (b->has_gdp) cJSON_AddNumberToObject(x, "share_of_gdp", b->share_of_gdp);
            else cJSON_AddNullToObject(x, "share_of_gdp");
            if (b->has_total) cJSON_AddNumberToObject(x, "share_of_total", b->share_of_total);
            else cJSON_AddNullToObject(x, "share_of_total");
            cJSON_AddBoolToObject(x, "partial", b->partial);
            if (b->flag[0]) cJSON_AddStringToObject(x, "flag", b->flag);
            cJSON_AddItemToArray(ys, x);
        }
        char *text = cJSON_Print(o);
        cJSON_Delete(o);
        if (!text) return 1;
        puts(text);
        cJSON_free(text);
        return 0;
    }
    if (fmt == CLI_FMT_CSV) {
        printf("year,imports,exports,surplus,share_of_gdp,share_of_total,partial,flag\n");
        for (size_t i = 0; i < r->n; i++) {
            const ol_balance_year *b = &r->years[i];
            printf("%d,%.17g,%.17g,%.17g,", b->year, b->imports, b->exports, b->surplus);
            if (b->has_gdp) printf("%.17g", b->share_of_gdp);
            putchar(',');
            if (b->has_total) printf("%.17g", b->share_of_total);
            printf(",%d,", b->partial);
            cli_csv_field(stdout, b->flag);
            putchar('\n');
        }
        return 0;
    }
    char a[256], b2[256];
    printf("Goods surplus of %s with %s (%s's imports from it minus its exports to it)\n",
           cli_country_label(&r->partner, a, sizeof a), cli_country_label(&r->reporter, b2, sizeof b2),
           r->reporter.code);
    printf("trade: %s:%s, vintage %s; GDP: %s", r->trade_source.kind, r->trade_source.name, r->trade_source.vintage,
           r->gdp_series);
    if (r->gdp_source.id) printf(" (%s:%s, vintage %s)", r->gdp_source.kind, r->gdp_source.name, r->gdp_source.vintage);
    else printf(" (not in the store: no share of GDP)");
    printf("\n\n%-6s %12s %12s %12s %10s %10s\n", "year", "imports", "exports", "surplus", "% of GDP", "% of all");
    for (size_t i = 0; i < r->n; i++) {
        const ol_balance_year *y = &r->years[i];
        char g[16] = "", t[16] = "";
        if (y->has_gdp) snprintf(g, sizeof g, "%.3f", 100.0 * y->share_of_gdp);
        if (y->has_total) snprintf(t, sizeof t, "%.1f", 100.0 * y->share_of_total);
        printf("%-6d %12.1f %12.1f %12.1f %10s %10s%s\n", y->year, y->imports / 1e9, y->exports / 1e9,
               y->surplus / 1e9, g, t, y->partial ? "  partial year" : "");
    }
    printf("(billion current US$; %% of all = share of %s's goods deficit with all partners)\n", r->reporter.code);
    if (r->npartial)
        printf("%zu partial year%s (the source covers only some months; flag %s): not comparable with full years\n",
               r->npartial, r->npartial == 1 ? "" : "s", r->years[r->n - 1].partial ? r->years[r->n - 1].flag : "partial");
    return 0;
}

int cmd_balance(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"of", required_argument, NULL, 'o'},
        {"with", required_argument, NULL, 'w'},
        {"gdp-series", required_argument, NULL, 'g'},
        {"from", required_argument, NULL, 'F'},
        {"until", required_argument, NULL, 'U'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    ol_balance_options opt;
    ol_balance_options_init(&opt);
    cli_format fmt = CLI_FMT_TABLE;
    int c, exit_now = 0;
    while ((c = getopt_long(argc, argv, "+D:qho:w:g:F:U:f:", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "balance", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        switch (c) {
        case 'o': opt.partner = optarg; break;
        case 'w': opt.reporter = optarg; break;
        case 'g': opt.gdp_series = optarg; break;
        case 'F': if (!cli_parse_year(cli, "balance", "from", optarg, &opt.from_year)) return 2; break;
        case 'U': if (!cli_parse_year(cli, "balance", "until", optarg, &opt.until_year)) return 2; break;
        case 'f':
            if (!cli_parse_format(optarg, &fmt)) return cli_usage(cli, "balance", "unknown format '%s'", optarg);
            break;
        default: return cli_usage(cli, "balance", "unknown option");
        }
    }
    if (optind < argc) return cli_usage(cli, "balance", "unexpected argument '%s'", argv[optind]);
    if (!opt.partner) return cli_usage(cli, "balance", "--of COUNTRY (whose surplus) is required");
    if (cli_check_years(cli, "balance", opt.from_year, opt.until_year, "until")) return 2;
    ol_store *s = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) return rc;
    ol_error err;
    ol_error_clear(&err);
    ol_balance_result *r = NULL;
    if (ol_balance_compute(s, &opt, &r, &err)) {
        rc = cli_fail_hint(cli, &err, "series", "import the US Census file first, e.g. 'orderlab import census-trade country.csv'");
    } else {
        rc = print_balance(r, fmt);
    }
    ol_balance_result_free(r);
    ol_store_close(s);
    return rc;
}
