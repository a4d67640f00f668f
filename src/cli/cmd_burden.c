/* orderlab burden: the hegemon's military expenditure as a share of GDP
 * against its allies' (NATO burden sharing; the military cost of upholding
 * the order, 消耗效应). */
#include "cli_ratio.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <string.h>

enum { ALLIES_MAX = 64 };

static int print_burden(const ol_burden_result *r, cli_format fmt)
{
    if (fmt == CLI_FMT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "hegemon", r->hegemon.code);
        cJSON_AddStringToObject(o, "allies", r->nato ? "NATO members of each year" : "as given");
        cJSON_AddStringToObject(o, "share_source", r->share_source.name);
        cJSON_AddStringToObject(o, "share_vintage", r->share_source.vintage);
        cJSON *ys = cJSON_AddArrayToObject(o, "years");
        for (size_t i = 0; i < r->n; i++) {
            const ol_burden_year *b = &r->years[i];
            cJSON *x = cJSON_CreateObject();
            cJSON_AddNumberToObject(x, "year", b->year);
            cJSON_AddNumberToObject(x, "hegemon_share_of_gdp", b->hegemon_share);
            cJSON_AddNumberToObject(x, "hegemon_milex", b->hegemon_milex);
            cJSON_AddNumberToObject(x, "allies_with_data", b->allies_n);
            cJSON_AddNumberToObject(x, "allies", b->allies_members);
            cJSON_AddNumberToObject(x, "allies_milex", b->allies_milex);
            cJSON_AddNumberToObject(x, "allies_share_of_gdp", b->allies_share);
            cJSON_AddNumberToObject(x, "allies_mean_share_of_gdp", b->allies_mean_share);
            cJSON_AddNumberToObject(x, "ratio", b->ratio);
            cJSON_AddNumberToObject(x, "hegemon_part_of_total", b->hegemon_part);
            cJSON_AddNumberToObject(x, "estimates", b->estimates);
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
        printf("year,hegemon_share_of_gdp,hegemon_milex,allies_with_data,allies,allies_milex,allies_share_of_gdp,"
               "allies_mean_share_of_gdp,ratio,hegemon_part_of_total,estimates\n");
        for (size_t i = 0; i < r->n; i++) {
            const ol_burden_year *b = &r->years[i];
            printf("%d,%.17g,%.17g,%d,%d,%.17g,%.17g,%.17g,%.17g,%.17g,%d\n", b->year, b->hegemon_share,
                   b->hegemon_milex, b->allies_n, b->allies_members, b->allies_milex, b->allies_share,
                   b->allies_mean_share, b->ratio, b->hegemon_part, b->estimates);
        }
        return 0;
    }
    char a[256];
    printf("Military burden of %s against its allies (%s)\n", cli_country_label(&r->hegemon, a, sizeof a),
           r->nato ? "NATO's members of each year" : "the states given");
    printf("source %s:%s, vintage %s (military expenditure, share of GDP and current US$)\n\n", r->share_source.kind,
           r->share_source.name, r->share_source.vintage);
    printf("%-6s %9s %11s %9s %9s %7s %9s %7s\n", "year", "own %GDP", "allies %GDP", "(mean)", "allies", "ratio",
           "own part", "est.");
    for (size_t i = 0; i < r->n; i++) {
        const ol_burden_year *b = &r->years[i];
        char members[16];
        snprintf(members, sizeof members, "%d/%d", b->allies_n, b->allies_members);
        printf("%-6d %9.2f %11.2f %9.2f %9s %7.2f %8.1f%% %7d\n", b->year, 100.0 * b->hegemon_share,
               100.0 * b->allies_share, 100.0 * b->allies_mean_share, members, b->ratio, 100.0 * b->hegemon_part,
               b->estimates);
    }
    printf("(allies %%GDP: their spending over their GDP, weighted by spending; allies: with data / members; "
           "ratio = own / allies; own part = of the alliance's spending; est. = values SIPRI marks as estimates "
           "or uncertain)\n");
    return 0;
}

int cmd_burden(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"of", required_argument, NULL, 'o'},
        {"allies", required_argument, NULL, 'a'},
        {"from", required_argument, NULL, 'F'},
        {"until", required_argument, NULL, 'U'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    ol_burden_options opt;
    ol_burden_options_init(&opt);
    cli_format fmt = CLI_FMT_TABLE;
    const char *allies[ALLIES_MAX];
    int c, exit_now = 0;
    while ((c = getopt_long(argc, argv, "+D:qho:a:F:U:f:", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "burden", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        switch (c) {
        case 'o': opt.hegemon = optarg; break;
        case 'a':
            if (strcmp(optarg, "nato") == 0 || strcmp(optarg, "NATO") == 0) { opt.allies = NULL; opt.nallies = 0; break; }
            {
                size_t n = cli_split_list(optarg, allies, ALLIES_MAX);
                if (n > ALLIES_MAX) return cli_usage(cli, "burden", "--allies takes at most %d states", ALLIES_MAX);
                if (!n) return cli_usage(cli, "burden", "--allies needs 'nato' or a list of states");
                opt.allies = allies;
                opt.nallies = n;
            }
            break;
        case 'F': if (!cli_parse_year(cli, "burden", "from", optarg, &opt.from_year)) return 2; break;
        case 'U': if (!cli_parse_year(cli, "burden", "until", optarg, &opt.until_year)) return 2; break;
        case 'f':
            if (!cli_parse_format(optarg, &fmt)) return cli_usage(cli, "burden", "unknown format '%s'", optarg);
            break;
        default: return cli_usage(cli, "burden", "unknown option");
        }
    }
    if (optind < argc) return cli_usage(cli, "burden", "unexpected argument '%s'", argv[optind]);
    if (cli_check_years(cli, "burden", opt.from_year, opt.until_year, "until")) return 2;
    ol_store *s = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) return rc;
    ol_error err;
    ol_error_clear(&err);
    ol_burden_result *r = NULL;
    if (ol_burden_compute(s, &opt, &r, &err)) {
        rc = cli_fail_hint(cli, &err, "series", "import SIPRI's data first, e.g. 'orderlab import sipri SIPRI-Milex-data-1949-2023.xlsx'");
    } else {
        rc = print_burden(r, fmt);
    }
    ol_burden_result_free(r);
    ol_store_close(s);
    return rc;
}
