#include "cli.h"

#include <getopt.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static const char *const tables[] = {
    "countries", "country_spells", "country_names", "country_overrides", "series",
    "indicator_values", "institutions", "memberships", "events", "roll_calls",
    "roll_call_issues", "votes", "ideal_points", "runs", "sources", "import_rejects",
};

static int db_info(ol_cli *cli, ol_store *s)
{
    ol_error err;
    ol_error_clear(&err);
    printf("store             %s\n", ol_store_path(s));
    printf("schema version    %d\n", ol_store_schema_version(s));
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        int64_t n = 0;
        if (ol_store_count(s, tables[i], &n, &err)) return cli_fail(cli, &err);
        printf("%-18s%lld\n", tables[i], (long long)n);
    }
    return 0;
}

/* Prints the rows of a query in one of the shared formats. */
static int print_query(ol_cli *cli, ol_store *s, const char *sql, cli_format fmt, sqlite3_int64 bind1, int has_bind)
{
    sqlite3_stmt *st = NULL;
    ol_error err;
    ol_error_clear(&err);
    if (sqlite3_prepare_v2(ol_store_db(s), sql, -1, &st, NULL) != SQLITE_OK) {
        ol_store_fail(s, &err, "querying");
        return cli_fail(cli, &err);
    }
    if (has_bind) sqlite3_bind_int64(st, 1, bind1);
    int ncol = sqlite3_column_count(st);
    if (fmt == CLI_FMT_JSON) putchar('[');
    else {
        for (int c = 0; c < ncol; c++) {
            if (c) putchar(fmt == CLI_FMT_CSV ? ',' : '\t');
            fputs(sqlite3_column_name(st, c), stdout);
        }
        putchar('\n');
    }
    int first = 1, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (fmt == CLI_FMT_JSON) {
            printf("%s\n  {", first ? "" : ",");
            for (int c = 0; c < ncol; c++) {
                printf("%s\"%s\": ", c ? ", " : "", sqlite3_column_name(st, c));
                int t = sqlite3_column_type(st, c);
                if (t == SQLITE_NULL) fputs("null", stdout);
                else if (t == SQLITE_INTEGER) printf("%lld", (long long)sqlite3_column_int64(st, c));
                else if (t == SQLITE_FLOAT) printf("%.17g", sqlite3_column_double(st, c));
                else {
                    putchar('"');
                    for (const unsigned char *p = sqlite3_column_text(st, c); *p; p++) {
                        if (*p == '"' || *p == '\\') printf("\\%c", *p);
                        else if (*p < 0x20) printf("\\u%04x", *p);
                        else putchar(*p);
                    }
                    putchar('"');
                }
            }
            putchar('}');
        } else {
            for (int c = 0; c < ncol; c++) {
                if (c) putchar(fmt == CLI_FMT_CSV ? ',' : '\t');
                const char *v = (const char *)sqlite3_column_text(st, c);
                if (fmt == CLI_FMT_CSV) cli_csv_field(stdout, v);
                else fputs(v ? v : "", stdout);
            }
            putchar('\n');
        }
        first = 0;
    }
    if (fmt == CLI_FMT_JSON) puts(first ? "]" : "\n]");
    int bad = rc != SQLITE_DONE;
    if (bad) ol_store_fail(s, &err, "querying");
    sqlite3_finalize(st);
    return bad ? cli_fail(cli, &err) : 0;
}

int cmd_db(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    cli_format fmt = CLI_FMT_TABLE;
    int c, exit_now = 0;
    while ((c = getopt_long(argc, argv, "D:qhf:", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "db", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        if (c == 'f') {
            if (!cli_parse_format(optarg, &fmt)) return cli_usage(cli, "db", "unknown format '%s'", optarg);
            continue;
        }
        return cli_usage(cli, "db", "unknown option");
    }
    if (optind >= argc) return cli_usage(cli, "db", "missing subcommand (info, sources, rejects, check)");
    const char *sub = argv[optind];
    ol_store *s = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &s);
    if (rc) return rc;
    ol_error err;
    ol_error_clear(&err);
    if (strcmp(sub, "info") == 0) rc = db_info(cli, s);
    else if (strcmp(sub, "sources") == 0)
        rc = print_query(cli, s, "SELECT id, kind, name, vintage, path, imported_at, rows_read, rows_kept, "
                                 "rows_skipped, rows_rejected FROM sources ORDER BY id", fmt, 0, 0);
    else if (strcmp(sub, "rejects") == 0) {
        if (optind + 1 >= argc) rc = cli_usage(cli, "db", "rejects needs a SOURCE_ID (see 'orderlab db sources')");
        else {
            sqlite3_int64 id = strtoll(argv[optind + 1], NULL, 10);
            rc = print_query(cli, s, "SELECT line, col, field, message FROM import_rejects "
                                     "WHERE source_id = ?1 ORDER BY rowid", fmt, id, 1);
        }
    } else if (strcmp(sub, "check") == 0) {
        if (ol_store_check_integrity(s, &err)) rc = cli_fail(cli, &err);
        else if (!cli->quiet) printf("ok\n");
    } else {
        rc = cli_usage(cli, "db", "unknown subcommand '%s'", sub);
    }
    ol_store_close(s);
    return rc;
}
