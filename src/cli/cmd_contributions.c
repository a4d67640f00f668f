/* orderlab contributions: what a state paid to UN-system organisations by
 * year, and its share of what all governments paid (the consumption proxy,
 * 消耗效应). */
#include "cli_ratio.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum { ENTITIES_MAX = 64 };

static int print_contrib(const ol_contrib_result *r, cli_format fmt)
{
    if (fmt == CLI_FMT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "donor", r->donor.code);
        cJSON_AddStringToObject(o, "series", r->series);
        cJSON_AddStringToObject(o, "unit", "current US$");
        cJSON_AddStringToObject(o, "source", r->source.name);
        cJSON_AddStringToObject(o, "vintage", r->source.vintage);
        cJSON *rows = cJSON_AddArrayToObject(o, "rows");
        for (size_t i = 0; i < r->n; i++) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddNumberToObject(x, "year", r->rows[i].year);
            cJSON_AddStringToObject(x, "organisation", r->rows[i].entity);
            cJSON_AddNumberToObject(x, "amount", r->rows[i].amount);
            cJSON_AddNumberToObject(x, "all_governments", r->rows[i].total);
            cJSON_AddNumberToObject(x, "share", r->rows[i].share);
            cJSON_AddItemToArray(rows, x);
        }
        if (r->nscale) {
            cJSON *sc = cJSON_AddArrayToObject(o, "who_scale_percent");
            for (size_t i = 0; i < r->nscale; i++) {
                cJSON *x = cJSON_CreateObject();
                cJSON_AddNumberToObject(x, "year", r->scale_years[i]);
                cJSON_AddNumberToObject(x, "percent", r->scale_values[i]);
                cJSON_AddItemToArray(sc, x);
            }
        }
        char *text = cJSON_Print(o);
        cJSON_Delete(o);
        if (!text) return 1;
        puts(text);
        cJSON_free(text);
        return 0;
    }
    if (fmt == CLI_FMT_CSV) {
        printf("year,organisation,amount,all_governments,share\n");
        for (size_t i = 0; i < r->n; i++) {
            printf("%d,", r->rows[i].year);
            cli_csv_field(stdout, r->rows[i].entity);
            printf(",%.17g,%.17g,%.17g\n", r->rows[i].amount, r->rows[i].total, r->rows[i].share);
        }
        return 0;
    }
    char a[256];
    printf("Contributions of %s (%s), by organisation and year\n", cli_country_label(&r->donor, a, sizeof a), r->series);
    printf("source %s:%s, vintage %s; share = of what all governments paid the organisation that year\n\n",
           r->source.kind, r->source.name, r->source.vintage);
    printf("%-6s %-12s %14s %16s %8s\n", "year", "organisation", "amount (m US$)", "all govts (m)", "share %");
    int year = 0;
    double sum = 0.0, sumall = 0.0;
    for (size_t i = 0; i <= r->n; i++) {
        if (i == r->n || (year && r->rows[i].year != year)) {
            printf("%-6d %-12s %14.1f %16.1f %8.2f\n", year, "(all)", sum / 1e6, sumall / 1e6,
                   sumall != 0.0 ? 100.0 * sum / sumall : 0.0);
            if (i == r->n) break;
            sum = sumall = 0.0;
        }
        const ol_contrib_row *w = &r->rows[i];
        year = w->year;
        sum += w->amount;
        sumall += w->total;
        printf("%-6d %-12s %14.1f %16.1f %8.2f\n", w->year, w->entity, w->amount / 1e6, w->total / 1e6,
               100.0 * w->share);
    }
    if (r->nscale) {
        printf("\nWHO scale of assessments (who.scale, percent):");
        for (size_t i = 0; i < r->nscale; i++) printf(" %d %.4g", r->scale_years[i], r->scale_values[i]);
        putchar('\n');
    }
    return 0;
}

int cmd_contributions(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"of", required_argument, NULL, 'o'},
        {"type", required_argument, NULL, 't'},
        {"to", required_argument, NULL, 'e'},
        {"source", required_argument, NULL, 's'},
        {"from", required_argument, NULL, 'F'},
        {"until", required_argument, NULL, 'U'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    ol_contrib_options opt;
    ol_contrib_options_init(&opt);
    cli_format fmt = CLI_FMT_TABLE;
    const char *entities[ENTITIES_MAX];
    int c, exit_now = 0;
    while ((c = getopt_long(argc, argv, "+D:qho:t:e:s:F:U:f:", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "contributions", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        switch (c) {
        case 'o': opt.donor = optarg; break;
        case 't': opt.type = optarg; break;
        case 'e': {
            size_t n = cli_split_list(optarg, entities, ENTITIES_MAX);
            if (!n || n > ENTITIES_MAX)
                return cli_usage(cli, "contributions", "--to takes 1 to %d organisations", ENTITIES_MAX);
            opt.entities = entities;
            opt.nentities = n;
            break;
        }
        case 's':
            if (strcmp(optarg, "donor") == 0) opt.prefix = "ceb.donor";
            else if (strcmp(optarg, "govdonor") == 0) opt.prefix = "ceb.govdonor";
            else return cli_usage(cli, "contributions", "--source is donor or govdonor, not '%s'", optarg);
            break;
        case 'F': if (!cli_parse_year(cli, "contributions", "from", optarg, &opt.from_year)) return 2; break;
        case 'U': if (!cli_parse_year(cli, "contributions", "until", optarg, &opt.until_year)) return 2; break;
        case 'f':
            if (!cli_parse_format(optarg, &fmt)) return cli_usage(cli, "contributions", "unknown format '%s'", optarg);
            break;
        default: return cli_usage(cli, "contributions", "unknown option");
        }
    }
    if (optind < argc) return cli_usage(cli, "contributions", "unexpected argument '%s'", argv[optind]);
    if (!opt.donor) return cli_usage(cli, "contributions", "--of COUNTRY (the donor) is required");
    if (cli_check_years(cli, "contributions", opt.from_year, opt.until_year, "until")) return 2;
    ol_store *s = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) return rc;
    ol_error err;
    ol_error_clear(&err);
    ol_contrib_result *r = NULL;
    if (ol_contrib_compute(s, &opt, &r, &err)) {
        rc = cli_fail_hint(cli, &err, "series", "import the CEB files first, e.g. 'orderlab import un-finance ceb_donor_contributions_2013_2024.csv'");
    } else {
        rc = print_contrib(r, fmt);
    }
    ol_contrib_result_free(r);
    ol_store_close(s);
    return rc;
}
