#include "cli.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static int parse_system(const char *s, ol_code_system *out)
{
    static const struct { const char *name; ol_code_system sys; } m[] = {
        {"any", OL_CODES_ANY}, {"orderlab", OL_CODES_ORDERLAB}, {"iso3", OL_CODES_ISO3},
        {"iso2", OL_CODES_ISO2}, {"iso3n", OL_CODES_ISO3N}, {"cown", OL_CODES_COWN},
        {"cowc", OL_CODES_COWC}, {"wb", OL_CODES_WB}, {"name", OL_CODES_NAME},
        {"census", OL_CODES_CENSUS},
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (strcmp(m[i].name, s) == 0) { *out = m[i].sys; return 1; }
    return 0;
}

static void print_country(const ol_country *c, cli_format fmt)
{
    if (fmt == CLI_FMT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", c->code);
        cJSON_AddStringToObject(o, "iso3", c->iso3);
        cJSON_AddStringToObject(o, "iso2", c->iso2);
        if (c->iso3n) cJSON_AddNumberToObject(o, "iso3n", c->iso3n); else cJSON_AddNullToObject(o, "iso3n");
        if (c->cown) cJSON_AddNumberToObject(o, "cown", c->cown); else cJSON_AddNullToObject(o, "cown");
        cJSON_AddStringToObject(o, "cowc", c->cowc);
        cJSON_AddStringToObject(o, "wb", c->wb);
        cJSON_AddStringToObject(o, "name_en", c->name_en);
        cJSON_AddStringToObject(o, "name_zh", c->name_zh);
        cJSON_AddStringToObject(o, "kind", c->kind);
        if (c->start_year) cJSON_AddNumberToObject(o, "start_year", c->start_year); else cJSON_AddNullToObject(o, "start_year");
        if (c->end_year) cJSON_AddNumberToObject(o, "end_year", c->end_year); else cJSON_AddNullToObject(o, "end_year");
        cJSON_AddStringToObject(o, "successor", c->successor);
        cJSON_AddBoolToObject(o, "overridden", c->overridden);
        char *txt = cJSON_Print(o);
        if (txt) puts(txt);
        free(txt);
        cJSON_Delete(o);
        return;
    }
    if (fmt == CLI_FMT_CSV) {
        printf("code,iso3,iso2,iso3n,cown,cowc,wb,name_en,name_zh,kind,start_year,end_year,successor\n");
        printf("%s,%s,%s,", c->code, c->iso3, c->iso2);
        if (c->iso3n) printf("%d", c->iso3n);
        putchar(',');
        if (c->cown) printf("%d", c->cown);
        printf(",%s,%s,\"%s\",%s,%s,", c->cowc, c->wb, c->name_en, c->name_zh, c->kind);
        if (c->start_year) printf("%d", c->start_year);
        putchar(',');
        if (c->end_year) printf("%d", c->end_year);
        printf(",%s\n", c->successor);
        return;
    }
    printf("code        %s%s\n", c->code, c->overridden ? "   (user override)" : "");
    printf("name        %s / %s\n", c->name_en, c->name_zh[0] ? c->name_zh : "-");
    printf("kind        %s\n", c->kind);
    printf("ISO3        %s\n", c->iso3[0] ? c->iso3 : "-");
    printf("ISO2        %s\n", c->iso2[0] ? c->iso2 : "-");
    if (c->iso3n) printf("ISO numeric %03d\n", c->iso3n); else printf("ISO numeric -\n");
    if (c->cown) printf("COW         %d %s\n", c->cown, c->cowc); else printf("COW         -\n");
    printf("World Bank  %s\n", c->wb[0] ? c->wb : "-");
    if (c->start_year || c->end_year) {
        printf("years       %d-", c->start_year);
        if (c->end_year) printf("%d", c->end_year);
        printf("\n");
    }
    if (c->successor[0]) printf("successor   %s\n", c->successor);
}

static int list_countries(ol_cli *cli, ol_store *s, const char *kind, int overrides_only)
{
    sqlite3_stmt *st = NULL;
    ol_error err;
    ol_error_clear(&err);
    const char *sql = overrides_only
        ? "SELECT code, ifnull(iso3,''), ifnull(iso2,''), ifnull(cown,''), ifnull(wb,''), kind, name_en, ifnull(name_zh,'') "
          "FROM countries WHERE origin = 'override' ORDER BY code"
        : "SELECT code, ifnull(iso3,''), ifnull(iso2,''), ifnull(cown,''), ifnull(wb,''), kind, name_en, ifnull(name_zh,'') "
          "FROM countries WHERE ?1 IS NULL OR kind = ?1 ORDER BY code";
    if (sqlite3_prepare_v2(ol_store_db(s), sql, -1, &st, NULL) != SQLITE_OK) {
        ol_store_fail(s, &err, "listing countries");
        return cli_fail(cli, &err);
    }
    if (!overrides_only && kind) sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    printf("%-6s %-4s %-3s %-5s %-4s %-10s %s\n", "code", "iso3", "iso2", "cown", "wb", "kind", "name");
    while (sqlite3_step(st) == SQLITE_ROW)
        printf("%-6s %-4s %-4s%-5s %-4s %-10s %s / %s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
               sqlite3_column_text(st, 2), sqlite3_column_text(st, 3), sqlite3_column_text(st, 4),
               sqlite3_column_text(st, 5), sqlite3_column_text(st, 6), sqlite3_column_text(st, 7));
    sqlite3_finalize(st);
    return 0;
}

int cmd_country(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"format", required_argument, NULL, 'f'},
        {"system", required_argument, NULL, 's'},
        {"year", required_argument, NULL, 'y'},
        {"list", no_argument, NULL, 'l'},
        {"kind", required_argument, NULL, 'k'},
        {"import-overrides", required_argument, NULL, 'I'},
        {"remove-override", required_argument, NULL, 'R'},
        {"list-overrides", no_argument, NULL, 'L'},
        {NULL, 0, NULL, 0},
    };
    cli_format fmt = CLI_FMT_TABLE;
    ol_code_system sys = OL_CODES_ANY;
    int year = 0, list = 0, list_over = 0, c, exit_now = 0;
    const char *kind = NULL, *import_path = NULL, *remove_code = NULL;
    while ((c = getopt_long(argc, argv, "D:qhf:s:y:lk:I:R:L", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "country", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        switch (c) {
        case 'f': if (!cli_parse_format(optarg, &fmt)) return cli_usage(cli, "country", "unknown format '%s'", optarg); break;
        case 's': if (!parse_system(optarg, &sys)) return cli_usage(cli, "country", "unknown code system '%s'", optarg); break;
        case 'y': {
            char *end = NULL;
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < 1 || v > 9999) return cli_usage(cli, "country", "--year needs a year, not '%s'", optarg);
            year = (int)v;
            break;
        }
        case 'l': list = 1; break;
        case 'k': kind = optarg; break;
        case 'I': import_path = optarg; break;
        case 'R': remove_code = optarg; break;
        case 'L': list_over = 1; break;
        default: return cli_usage(cli, "country", "unknown option");
        }
    }
    if (!list && !list_over && !import_path && !remove_code && optind >= argc)
        return cli_usage(cli, "country", "missing CODE or NAME");
    ol_store *s = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) return rc;
    ol_error err;
    ol_error_clear(&err);
    if (import_path) {
        int64_t n = 0;
        if (ol_countries_import_overrides(s, import_path, &n, &err)) rc = cli_fail(cli, &err);
        else if (!cli->quiet) printf("%s: %lld override rows applied\n", import_path, (long long)n);
    } else if (remove_code) {
        if (ol_countries_remove_override(s, remove_code, &err)) rc = cli_fail(cli, &err);
        else if (!cli->quiet) printf("override for %s removed\n", remove_code);
    } else if (list || list_over) {
        rc = list_countries(cli, s, kind, list_over);
    } else {
        /* Several words are one name: orderlab country United States */
        char query[512] = "";
        size_t used = 0;
        for (int i = optind; i < argc && used + 2 < sizeof query; i++) {
            int w = snprintf(query + used, sizeof query - used, "%s%s", i > optind ? " " : "", argv[i]);
            if (w < 0) break;
            used += (size_t)w;
        }
        ol_country co;
        if (sys != OL_CODES_ANY || year) {
            ol_country_index *ix = NULL;
            if (ol_country_index_new(s, &ix, &err)) rc = cli_fail(cli, &err);
            else {
                const char *code = ol_country_index_lookup(ix, sys, query, year);
                if (!code) {
                    ol_error_set(&err, OL_ENOTFOUND, NULL, 0, 0, NULL,
                                 "'%s' maps to no single country in that code system%s", query,
                                 year ? " in that year" : "");
                    rc = cli_fail(cli, &err);
                } else {
                    print_country(ol_country_index_get(ix, code), fmt);
                }
                ol_country_index_free(ix);
            }
        } else if (ol_country_resolve(s, query, &co, &err)) {
            rc = cli_fail(cli, &err);
        } else {
            print_country(&co, fmt);
        }
    }
    ol_store_close(s);
    return rc;
}
