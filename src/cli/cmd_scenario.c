/* orderlab scenario check|show|params */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct check_out {
    cli_format fmt;
    size_t n;
} check_out;

static void json_str(FILE *out, const char *s)
{
    putc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') fprintf(out, "\\%c", *p);
        else if (*p < 0x20) fprintf(out, "\\u%04x", *p);
        else putc(*p, out);
    }
    putc('"', out);
}

/* One problem as "file:line:col: key: message", a CSV row or a JSON object. */
static void print_problem(void *ctx, const ol_error *e)
{
    check_out *o = ctx;
    if (o->fmt == CLI_FMT_CSV) {
        cli_csv_field(stdout, e->file);
        printf(",%ld,%ld,", e->line, e->column);
        cli_csv_field(stdout, e->field);
        putchar(',');
        cli_csv_field(stdout, e->message);
        putchar('\n');
    } else if (o->fmt == CLI_FMT_JSON) {
        printf("%s\n  {\"file\": ", o->n ? "," : "");
        json_str(stdout, e->file);
        printf(", \"line\": %ld, \"column\": %ld, \"key\": ", e->line, e->column);
        json_str(stdout, e->field);
        printf(", \"message\": ");
        json_str(stdout, e->message);
        putchar('}');
    } else {
        if (e->line > 0) printf("%s:%ld:%ld: ", e->file, e->line, e->column);
        else if (e->file[0]) printf("%s: ", e->file);
        if (e->field[0]) printf("%s: ", e->field);
        printf("%s\n", e->message);
    }
    o->n++;
}

/* The store is used for country names and overrides only when it exists:
 * checking a file must not create one. */
static ol_store *maybe_store(ol_cli *cli)
{
    ol_store *s = NULL;
    if (access(cli->db_path, F_OK) != 0) return NULL;
    if (ol_open(cli->db_path, OL_STORE_READONLY, &s, NULL)) return NULL;
    return s;
}

static int check(ol_cli *cli, int argc, char **argv, cli_format fmt)
{
    if (argc < 1) return cli_usage(cli, "scenario", "check needs a FILE");
    ol_store *s = maybe_store(cli);
    int rc = 0;
    check_out o = {fmt, 0};
    if (fmt == CLI_FMT_CSV) printf("file,line,column,key,message\n");
    if (fmt == CLI_FMT_JSON) putchar('[');
    for (int i = 0; i < argc; i++) {
        ol_error err;
        size_t n = 0;
        ol_status st = ol_scenario_check(argv[i], s, print_problem, &o, &n, &err);
        if (st && n == 0) { /* the file itself could not be read */
            if (fmt == CLI_FMT_JSON) print_problem(&o, &err);
            else cli_fail(cli, &err);
            int ec = ol_status_exit_code(err.code);
            if (ec > rc) rc = ec;
            continue;
        }
        if (n) {
            if (!cli->quiet && fmt == CLI_FMT_TABLE)
                fprintf(stderr, "%s: %zu problem%s\n", argv[i], n, n == 1 ? "" : "s");
            if (rc < 3) rc = 3;
        } else if (!cli->quiet && fmt == CLI_FMT_TABLE) {
            ol_scenario *sc = NULL;
            uint64_t h = 0;
            char hex[17] = "";
            if (!ol_scenario_load(argv[i], s, &sc, &err) && !ol_scenario_hash(sc, &h, &err))
                ol_scenario_hash_hex(h, hex);
            ol_scenario_free(sc);
            printf("%s: ok (fnv1a64:%s)\n", argv[i], hex);
        }
    }
    if (fmt == CLI_FMT_JSON) puts(o.n ? "\n]" : "]");
    ol_store_close(s);
    return rc;
}

static int show(ol_cli *cli, int argc, char **argv, int params_only, int canonical)
{
    ol_store *s = maybe_store(cli);
    ol_scenario *sc = NULL;
    ol_error err;
    ol_status st = argc > 0 ? ol_scenario_load(argv[0], s, &sc, &err) : ol_scenario_default(s, &sc, &err);
    ol_store_close(s);
    if (st) return cli_fail(cli, &err);
    unsigned flags = (canonical ? 0u : OL_SCENARIO_WRITE_COMMENTS) | (params_only ? OL_SCENARIO_WRITE_PARAMS_ONLY : 0u);
    st = ol_scenario_write_yaml_ex(sc, flags, stdout, &err);
    ol_scenario_free(sc);
    return st ? cli_fail(cli, &err) : 0;
}

/* The markdown cell of a number range. */
static void range_md(const ol_scenario_field *f, char *out, size_t size)
{
    if (f->type != OL_FIELD_REAL && f->type != OL_FIELD_INT) { snprintf(out, size, "%s", ""); return; }
    int prec = f->type == OL_FIELD_INT ? 17 : 10;
    snprintf(out, size, "%s%.*g, %.*g%s", (f->flags & OL_FIELD_MIN_OPEN) ? "(" : "[", prec, f->min, prec, f->max,
             (f->flags & OL_FIELD_MAX_OPEN) ? ")" : "]");
}

static void default_md(const ol_scenario_field *f, char *out, size_t size)
{
    switch (f->type) {
    case OL_FIELD_REAL:
        if (isnan(f->def)) snprintf(out, size, "%s", (f->flags & OL_FIELD_NULLABLE) ? "null" : "unset");
        else snprintf(out, size, "%.10g", f->def);
        break;
    case OL_FIELD_INT:
        if (f->def == 0 && !(f->flags & OL_FIELD_REQUIRED) && f->min > 0) snprintf(out, size, "unset");
        else snprintf(out, size, "%.0f", f->def);
        break;
    case OL_FIELD_BOOL: snprintf(out, size, "%s", f->def != 0 ? "true" : "false"); break;
    case OL_FIELD_CODES: snprintf(out, size, "none"); break;
    default:
        if (f->def_text && *f->def_text) snprintf(out, size, "`%s`", f->def_text);
        else snprintf(out, size, "%s", (f->flags & OL_FIELD_NULLABLE) ? "null" : "\"\"");
    }
    if (f->flags & OL_FIELD_REQUIRED) snprintf(out, size, "required");
}

static const char *type_md(ol_field_type t)
{
    switch (t) {
    case OL_FIELD_REAL: return "number";
    case OL_FIELD_INT: return "integer";
    case OL_FIELD_TEXT: return "text";
    case OL_FIELD_ENUM: return "term";
    case OL_FIELD_BOOL: return "true/false";
    case OL_FIELD_CODES: return "actor codes";
    }
    return "";
}

/* The schema as markdown tables (docs/scenario.md embeds this output), CSV or JSON. */
static int params(cli_format fmt, int markdown)
{
    const ol_scenario_table *T = ol_scenario_tables();
    if (fmt == CLI_FMT_JSON) putchar('[');
    if (fmt == CLI_FMT_CSV) printf("table,key,type,default,range,vocabulary,unit,doc,ref\n");
    int first = 1;
    for (int t = 0; t < OL_TABLE_COUNT; t++) {
        if (markdown) {
            printf("%s### %s\n\n", t ? "\n" : "", *T[t].key ? T[t].key : "parameters");
            printf("| key | type | default | range or terms | unit | meaning | paper |\n|---|---|---|---|---|---|---|\n");
        }
        for (size_t i = 0; i < T[t].nfields; i++) {
            const ol_scenario_field *f = &T[t].fields[i];
            char def[96], range[96], voc[512] = "";
            default_md(f, def, sizeof def);
            range_md(f, range, sizeof range);
            if (f->vocab) snprintf(voc, sizeof voc, "%s", f->vocab);
            if (markdown) {
                for (char *p = voc; *p; p++)
                    if (*p == '|') *p = ',';
                printf("| `%s` | %s | %s | %s | %s | %s | %s |\n", f->key, type_md(f->type), def,
                       *voc ? voc : range, f->unit ? f->unit : "", f->doc, f->ref ? f->ref : "");
            } else if (fmt == CLI_FMT_CSV) {
                const char *cells[] = {T[t].key, f->key, type_md(f->type), def, range, voc, f->unit ? f->unit : "",
                                       f->doc, f->ref ? f->ref : ""};
                for (size_t c = 0; c < sizeof cells / sizeof cells[0]; c++) {
                    if (c) putchar(',');
                    cli_csv_field(stdout, cells[c]);
                }
                putchar('\n');
            } else if (fmt == CLI_FMT_JSON) {
                printf("%s\n  {\"table\": ", first ? "" : ",");
                json_str(stdout, *T[t].key ? T[t].key : "parameters");
                const char *names[] = {"key", "type", "default", "range", "vocabulary", "unit", "doc", "ref"};
                const char *vals[] = {f->key, type_md(f->type), def, range, voc, f->unit ? f->unit : "", f->doc,
                                      f->ref ? f->ref : ""};
                for (size_t c = 0; c < sizeof names / sizeof names[0]; c++) {
                    printf(", \"%s\": ", names[c]);
                    json_str(stdout, vals[c]);
                }
                putchar('}');
            } else {
                printf("%-12s %-40s %-10s %s\n", *T[t].key ? T[t].key : "params", f->key, def, f->doc);
            }
            first = 0;
        }
    }
    if (fmt == CLI_FMT_JSON) puts("\n]");
    return 0;
}

int cmd_scenario(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"format", required_argument, NULL, 'f'},
        {"defaults-only", no_argument, NULL, 'd'},
        {"canonical", no_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    cli_format fmt = CLI_FMT_TABLE;
    int c, exit_now = 0, params_only = 0, canonical = 0, markdown = 0;
    while ((c = getopt_long(argc, argv, "D:qhf:", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "scenario", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        switch (c) {
        case 'f':
            if (!strcmp(optarg, "markdown")) { markdown = 1; continue; }
            if (!cli_parse_format(optarg, &fmt)) return cli_usage(cli, "scenario", "unknown format '%s'", optarg);
            continue;
        case 'd': params_only = 1; continue;
        case 'c': canonical = 1; continue;
        default: return cli_usage(cli, "scenario", "unknown option");
        }
    }
    if (optind >= argc) return cli_usage(cli, "scenario", "missing subcommand (check, show, params)");
    const char *sub = argv[optind];
    int nargs = argc - optind - 1;
    char **args = argv + optind + 1;
    if (!strcmp(sub, "check")) {
        if (markdown) return cli_usage(cli, "scenario", "check writes table, csv or json");
        return check(cli, nargs, args, fmt);
    }
    if (!strcmp(sub, "show")) {
        if (nargs > 1) return cli_usage(cli, "scenario", "show takes at most one FILE");
        return show(cli, nargs, args, params_only, canonical);
    }
    if (!strcmp(sub, "params")) return params(fmt, markdown);
    return cli_usage(cli, "scenario", "unknown subcommand '%s'", sub);
}
