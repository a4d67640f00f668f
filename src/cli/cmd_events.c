/* orderlab events: list, show and import exit events (the catalog). */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Table output is laid out to fit a terminal this wide (columns). */
#define TABLE_WIDTH 100
/* The narrowest a shrunk table column may get. */
#define TABLE_MIN_COL 12
/* Indent of the values in 'events show'. */
#define SHOW_INDENT 19

/* ------------------------------------------------------------ table */
enum { T_ID, T_INST, T_STATUS, T_ANNOUNCED, T_EFFECTIVE, T_EFFECT, T_SCOPE, T_NCOLS };
static const char *const table_heads[T_NCOLS] = {
    "id", "inst.", "status", "announced", "effective", "effect", "scope",
};

static const char *table_cell(const ol_event *ev, int c)
{
    const char *v = NULL;
    switch (c) {
    case T_ID: v = ev->id; break;
    case T_INST: v = ev->institution; break;
    case T_STATUS: v = ev->status; break;
    case T_ANNOUNCED: v = ev->announced; break;
    case T_EFFECTIVE: v = ev->effective; break;
    case T_EFFECT: v = ev->effect; break;
    case T_SCOPE: v = ev->in_scope ? "paper" : NULL; break;
    default: break;
    }
    return v ? v : "-";
}

/* Prints s in a field of width w (left-aligned), cutting it with '~' when
 * longer.  Table cells are ASCII (ids, codes, vocabulary, dates). */
static void put_cell(const char *s, size_t w, int last)
{
    size_t n = strlen(s);
    if (n > w) {
        fwrite(s, 1, w - 1, stdout);
        putchar('~');
    } else if (last) {
        fputs(s, stdout);
    } else {
        printf("%-*s", (int)w, s);
    }
}

static void print_table(const ol_event_list *list, int quiet)
{
    size_t w[T_NCOLS];
    for (int c = 0; c < T_NCOLS; c++) w[c] = strlen(table_heads[c]);
    for (size_t i = 0; i < list->n; i++)
        for (int c = 0; c < T_NCOLS; c++) {
            size_t n = strlen(table_cell(&list->items[i], c));
            if (n > w[c]) w[c] = n;
        }
    /* Two spaces between columns when they fit, else one; then shrink the
     * widest text columns (status, then id) to fit. */
    size_t sum = 0;
    for (int c = 0; c < T_NCOLS; c++) sum += w[c];
    size_t gap = sum + 2 * (T_NCOLS - 1) <= TABLE_WIDTH ? 2 : 1;
    size_t total = sum + gap * (T_NCOLS - 1);
    static const int shrink[] = {T_STATUS, T_ID};
    for (size_t k = 0; k < sizeof shrink / sizeof shrink[0] && total > TABLE_WIDTH; k++) {
        int c = shrink[k];
        size_t cut = total - TABLE_WIDTH;
        size_t room = w[c] > TABLE_MIN_COL ? w[c] - TABLE_MIN_COL : 0;
        if (cut > room) cut = room;
        w[c] -= cut;
        total -= cut;
    }
    for (int c = 0; c < T_NCOLS; c++) {
        if (c) printf("%*s", (int)gap, "");
        put_cell(table_heads[c], w[c], c == T_NCOLS - 1);
    }
    putchar('\n');
    for (size_t i = 0; i < list->n; i++) {
        for (int c = 0; c < T_NCOLS; c++) {
            if (c) printf("%*s", (int)gap, "");
            put_cell(table_cell(&list->items[i], c), w[c], c == T_NCOLS - 1);
        }
        putchar('\n');
    }
    if (!quiet) printf("(%zu event%s)\n", list->n, list->n == 1 ? "" : "s");
}

/* ------------------------------------------------------------ show */
/* Display width of one UTF-8 code point starting at s (CJK and other wide
 * characters count 2), and its byte length in *len. */
static int cp_width(const unsigned char *s, size_t *len)
{
    unsigned cp;
    if (s[0] < 0x80) { *len = 1; return 1; }
    if ((s[0] & 0xE0) == 0xC0) { *len = 2; cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu); }
    else if ((s[0] & 0xF0) == 0xE0) { *len = 3; cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu); }
    else { *len = 4; return 2; }
    return (cp >= 0x1100 && cp != 0x2014 && cp != 0x2013 && cp != 0x2019) ? 2 : 1;
}

/* Prints "  label" and the text, wrapped at TABLE_WIDTH with the value
 * column indented.  Words break at spaces; wide (CJK) characters may break
 * anywhere, as Chinese text has no spaces. */
static void show_field(const char *label, const char *text)
{
    printf("  %-*s", SHOW_INDENT - 2, label);
    if (!text || !*text) { puts("-"); return; }
    size_t col = SHOW_INDENT;
    int pending_space = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        if (*p == ' ') { pending_space = col > SHOW_INDENT; p++; continue; }
        size_t wlen = 0, wwidth = 0, len;
        while (p[wlen] && p[wlen] != ' ') {
            int cw = cp_width(p + wlen, &len);
            if (cw == 2 && wlen > 0) break;
            wlen += len;
            wwidth += (size_t)cw;
            if (cw == 2) break;
        }
        size_t need = wwidth + (pending_space ? 1 : 0);
        if (col > SHOW_INDENT && col + need > TABLE_WIDTH) {
            printf("\n%*s", SHOW_INDENT, "");
            col = SHOW_INDENT;
        } else if (pending_space) {
            putchar(' ');
            col++;
        }
        pending_space = 0;
        fwrite(p, 1, wlen, stdout);
        col += wwidth;
        p += wlen;
    }
    putchar('\n');
}

/* "a;b" of a vocabulary as "a; b (甲、乙)". */
static void vocab_text(ol_vocab vocab, const char *value, char *buf, size_t size)
{
    if (!value) { buf[0] = '\0'; return; }
    char en[512] = "", zh[512] = "";
    size_t ne = 0, nz = 0;
    for (const char *p = value; *p;) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char item[128];
        size_t n = len < sizeof item ? len : sizeof item - 1; /* cut, but step over all */
        memcpy(item, p, n);
        item[n] = '\0';
        const ol_vocab_term *t = ol_catalog_term(vocab, item);
        ne += (size_t)snprintf(en + ne, sizeof en - ne, "%s%s", ne ? "; " : "", item);
        if (ne >= sizeof en) ne = sizeof en - 1;
        nz += (size_t)snprintf(zh + nz, sizeof zh - nz, "%s%s", nz ? "、" : "", t ? t->zh : "?");
        if (nz >= sizeof zh) nz = sizeof zh - 1;
        p += len + (e ? 1 : 0);
    }
    snprintf(buf, size, "%s (%s)", en, zh);
}

static void show_event(ol_store *s, const ol_event *ev)
{
    char buf[2048];
    printf("%s\n", ev->id);
    snprintf(buf, sizeof buf, "%s — %s%s%s", ev->institution, ev->institution_en,
             ev->institution_zh ? " / " : "", ev->institution_zh ? ev->institution_zh : "");
    show_field("institution", buf);
    vocab_text(OL_VOCAB_DOMAIN, ev->domain, buf, sizeof buf);
    show_field("domain", buf);
    vocab_text(OL_VOCAB_FORM, ev->form, buf, sizeof buf);
    show_field("form", buf);
    ol_country c;
    ol_error err;
    ol_error_clear(&err);
    int named = ol_country_get(s, ev->actor, &c, &err) == OL_OK;
    char cown[32] = "";
    if (ev->actor_cown) snprintf(cown, sizeof cown, "; COW %d", ev->actor_cown);
    snprintf(buf, sizeof buf, "%s (%s%s%s%s)", ev->actor, named ? c.name_en : "?",
             named && c.name_zh[0] ? " / " : "", named ? c.name_zh : "", cown);
    show_field("actor", buf);
    /* Counterparts with their names: "CAN (Canada), MEX (Mexico)". */
    buf[0] = '\0';
    size_t used = 0;
    for (const char *p = ev->counterparts; p && *p && used < sizeof buf;) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char code[OL_CODE_MAX * 2];
        snprintf(code, sizeof code, "%.*s", (int)n, p);
        ol_country cp;
        int ok = ol_country_get(s, code, &cp, &err) == OL_OK;
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s (%s)", used ? ", " : "", code,
                                 ok ? cp.name_en : "?");
        p += n + (e ? 1 : 0);
    }
    show_field("counterparts", buf);
    vocab_text(OL_VOCAB_STATUS, ev->status, buf, sizeof buf);
    show_field("status", buf);
    show_field("paper's wording", ev->status_paper);
    show_field("announced", ev->announced);
    show_field("notified", ev->notified);
    show_field("effective", ev->effective);
    if (ev->reversal) {
        vocab_text(OL_VOCAB_REVERSAL, ev->reversal, buf, sizeof buf);
        size_t n = strlen(buf);
        if (ev->reversal_date) snprintf(buf + n, sizeof buf - n, " %s", ev->reversal_date);
        show_field("reversal", buf);
    } else {
        show_field("reversal", NULL);
    }
    vocab_text(OL_VOCAB_EFFECT, ev->effect, buf, sizeof buf);
    show_field("effect", buf);
    vocab_text(OL_VOCAB_LEVEL, ev->level, buf, sizeof buf);
    show_field("level", buf);
    vocab_text(OL_VOCAB_MEANS, ev->means, buf, sizeof buf);
    show_field("means", buf);
    show_field("paper scope", ev->in_scope ? "yes: inside the paper's research scope (研究范围)"
                                           : "no: outside the paper's research scope (研究范围)");
    show_field("paper", ev->paper_ref);
    show_field("source", ev->source);
    show_field("note", ev->note);
    if (ev->source_id) snprintf(buf, sizeof buf, "%s (import source %lld)", ev->origin, (long long)ev->source_id);
    else snprintf(buf, sizeof buf, "%s", ev->origin);
    show_field("origin", buf);
}

static void print_vocab(void)
{
    for (int v = 0; v < OL_VOCAB_COUNT; v++) {
        printf("%s:\n", ol_catalog_vocab_name((ol_vocab)v));
        for (const ol_vocab_term *t = ol_catalog_vocab((ol_vocab)v); t->value; t++)
            printf("  %-31s %s — %s\n", t->value, t->zh, t->en);
    }
}

/* ------------------------------------------------------------ command */
static int parse_year(const ol_cli *cli, const char *opt, const char *s, int *out)
{
    char *end = NULL;
    long y = strtol(s, &end, 10);
    if (!*s || *end || y < 1 || y > 9999) return cli_usage(cli, "events", "%s needs a year, not '%s'", opt, s);
    *out = (int)y;
    return 0;
}

static int output_list(ol_cli *cli, const ol_event_list *list, cli_format fmt)
{
    ol_error err;
    ol_error_clear(&err);
    if (fmt == CLI_FMT_TABLE) {
        print_table(list, cli->quiet);
    } else if (fmt == CLI_FMT_CSV) {
        if (ol_catalog_write_csv(list, stdout, &err)) return cli_fail(cli, &err);
    } else {
        char *json = NULL;
        if (ol_catalog_to_json(list, 1, &json, &err)) return cli_fail(cli, &err);
        puts(json);
        free(json);
    }
    return 0;
}

static int events_show(ol_cli *cli, ol_store *s, const char *id, cli_format fmt)
{
    ol_event ev;
    ol_error err;
    ol_error_clear(&err);
    if (ol_catalog_get(s, id, &ev, &err)) return cli_fail(cli, &err);
    int rc = 0;
    if (fmt == CLI_FMT_TABLE) {
        show_event(s, &ev);
    } else if (fmt == CLI_FMT_JSON) {
        char *json = NULL;
        if (ol_catalog_event_json(&ev, 1, &json, &err)) rc = cli_fail(cli, &err);
        else { puts(json); free(json); }
    } else {
        ol_event_list one = {1, &ev};
        if (ol_catalog_write_csv(&one, stdout, &err)) rc = cli_fail(cli, &err);
    }
    ol_event_clear(&ev);
    return rc;
}

/* 'events import FILE...' is 'import events FILE...'. */
static int events_import(ol_cli *cli, const char *vintage, int nfiles, char **files)
{
    if (nfiles < 1) return cli_usage(cli, "events", "import needs a FILE");
    char **argv = calloc((size_t)nfiles + 5, sizeof *argv);
    if (!argv) return 1;
    int n = 0;
    argv[n++] = "import";
    if (vintage) { argv[n++] = "--vintage"; argv[n++] = (char *)vintage; }
    argv[n++] = "events";
    for (int i = 0; i < nfiles; i++) argv[n++] = files[i];
    argv[n] = NULL;
    optind = 0;  /* 0 makes glibc getopt start afresh (ordering mode included) */
    int rc = cmd_import(cli, n, argv);
    free(argv);
    return rc;
}

int cmd_events(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"format", required_argument, NULL, 'f'},
        {"domain", required_argument, NULL, 'd'},
        {"form", required_argument, NULL, 'F'},
        {"status", required_argument, NULL, 's'},
        {"from", required_argument, NULL, 'a'},
        {"to", required_argument, NULL, 'b'},
        {"scope", required_argument, NULL, 'S'},
        {"actor", required_argument, NULL, 'A'},
        {"institution", required_argument, NULL, 'I'},
        {"origin", required_argument, NULL, 'o'},
        {"vintage", required_argument, NULL, 'v'},
        {NULL, 0, NULL, 0},
    };
    ol_event_filter filter;
    memset(&filter, 0, sizeof filter);
    cli_format fmt = CLI_FMT_TABLE;
    const char *vintage = NULL;
    int c, exit_now = 0, rc;
    /* Options may come before or after the subcommand: getopt permutes.
     * optind 0 makes glibc reinitialise, dropping the dispatcher's '+'. */
    optind = 0;
    while ((c = getopt_long(argc, argv, "D:qhf:", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "events", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        switch (c) {
        case 'f':
            if (!cli_parse_format(optarg, &fmt)) return cli_usage(cli, "events", "unknown format '%s'", optarg);
            break;
        case 'd': filter.domain = optarg; break;
        case 'F': filter.form = optarg; break;
        case 's': filter.status = optarg; break;
        case 'a': if ((rc = parse_year(cli, "--from", optarg, &filter.from_year))) return rc; break;
        case 'b': if ((rc = parse_year(cli, "--to", optarg, &filter.to_year))) return rc; break;
        case 'S':
            if (strcmp(optarg, "paper") == 0) filter.paper_scope = 1;
            else if (strcmp(optarg, "all") != 0)
                return cli_usage(cli, "events", "--scope takes 'paper' or 'all', not '%s'", optarg);
            break;
        case 'A': filter.actor = optarg; break;
        case 'I': filter.institution = optarg; break;
        case 'o': filter.origin = optarg; break;
        case 'v': vintage = optarg; break;
        default: return cli_usage(cli, "events", "unknown option");
        }
    }
    const char *sub = optind < argc ? argv[optind++] : "list";
    if (strcmp(sub, "vocab") == 0) {
        print_vocab();
        return 0;
    }
    if (strcmp(sub, "import") == 0) return events_import(cli, vintage, argc - optind, argv + optind);
    if (strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0)
        return cli_usage(cli, "events", "unknown subcommand '%s' (list, show, import, vocab)", sub);
    if (strcmp(sub, "show") == 0 && optind >= argc) return cli_usage(cli, "events", "show needs an event ID");
    if (strcmp(sub, "show") == 0 ? argc - optind > 1 : optind < argc)
        return cli_usage(cli, "events", "unexpected argument '%s'", argv[argc - 1]);

    ol_store *s = NULL;
    if ((rc = cli_open_store(cli, OL_STORE_READWRITE, &s))) return rc;
    if (strcmp(sub, "show") == 0) {
        rc = events_show(cli, s, argv[optind], fmt);
    } else {
        ol_event_list *list = NULL;
        ol_error err;
        ol_error_clear(&err);
        if (ol_catalog_query(s, &filter, &list, &err)) rc = cli_fail(cli, &err);
        else rc = output_list(cli, list, fmt);
        ol_event_list_free(list);
    }
    ol_store_close(s);
    return rc;
}
