#include "cli.h"

#include "util/embedded.h"

#include "util/text.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

int cli_print_help(const char *command, FILE *out)
{
    char name[128];
    snprintf(name, sizeof name, "%s.txt", command);
    const ol_embedded_file *f = ol_embedded_find(name);
    if (!f) {
        fprintf(stderr, "orderlab: no help for '%s'\n", command);
        return 0;
    }
    fwrite(f->data, 1, f->size, out);
    return 1;
}

int cli_common_option(ol_cli *cli, const char *command, int c, const char *arg, int *exit_now)
{
    switch (c) {
    case 'D': cli->db_path = arg; return 1;
    case 'q': cli->quiet = 1; cli->progress = 0; return 1;
    case 'h': cli_print_help(command, stdout); *exit_now = 1; return 1;
    default: return 0;
    }
}

int cli_fail(const ol_cli *cli, const ol_error *err)
{
    char buf[2048];
    ol_error_format(err, buf, sizeof buf);
    fprintf(stderr, "%s: %s\n", cli->progname ? cli->progname : "orderlab", buf);
    return ol_status_exit_code(err->code);
}

int cli_usage(const ol_cli *cli, const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s %s: ", cli->progname ? cli->progname : "orderlab", command);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'orderlab %s --help'.\n", command);
    return 2;
}

int cli_open_store(ol_cli *cli, int flags, ol_store **out)
{
    ol_error err;
    ol_error_clear(&err);
    ol_status st = ol_open(cli->db_path, flags, out, &err);
    if (st) return cli_fail(cli, &err);
    return 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cli_progress(void *ctx, uint64_t done, uint64_t total)
{
    ol_cli *cli = ctx;
    if (!cli || !cli->progress) return 0;
    double now = now_seconds();
    if (!cli->bar_started) { cli->bar_start = now; cli->bar_started = 1; cli->bar_last_pct = -1; }
    double el = now - cli->bar_start;
    if (total == 0) {
        fprintf(stderr, "\r%llu done, %.0f s", (unsigned long long)done, el);
        return 0;
    }
    int pct = (int)(100.0 * (double)done / (double)total);
    if (pct == cli->bar_last_pct) return 0;
    cli->bar_last_pct = pct;
    const int width = 40;
    int fill = pct * width / 100;
    double eta = done ? el * ((double)total - (double)done) / (double)done : 0.0;
    fprintf(stderr, "\r[%.*s%*s] %3d%%  ETA %4.0f s", fill,
            "########################################", width - fill, "", pct, eta);
    return 0;
}

void cli_progress_done(ol_cli *cli)
{
    if (cli && cli->progress && cli->bar_started) fprintf(stderr, "\r%*s\r", 70, "");
    if (cli) cli->bar_started = 0;
}

int cli_parse_format(const char *s, cli_format *out)
{
    if (strcmp(s, "table") == 0) *out = CLI_FMT_TABLE;
    else if (strcmp(s, "csv") == 0) *out = CLI_FMT_CSV;
    else if (strcmp(s, "json") == 0) *out = CLI_FMT_JSON;
    else return 0;
    return 1;
}

size_t cli_split_list(char *s, const char **parts, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ') tok++;
        char *end = tok + strlen(tok);
        while (end > tok && end[-1] == ' ') *--end = '\0';
        if (!*tok) continue;
        if (n == max) return max + 1;
        parts[n++] = tok;
    }
    return n;
}

int cli_parse_formats(const char *s, unsigned *out)
{
    *out = 0;
    if (!strcmp(s, "none")) return 1;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    const char *parts[16];
    size_t n = cli_split_list(buf, parts, sizeof parts / sizeof *parts);
    if (n > sizeof parts / sizeof *parts) return 0;
    for (size_t i = 0; i < n; i++) {
        ol_plot_format f;
        if (ol_plot_format_parse(parts[i], &f, NULL)) return 0;
        *out |= 1u << f;
    }
    return *out != 0;
}

void cli_csv_field(FILE *out, const char *s)
{
    ol_csv_put(out, s);
}

/* Set by SIGINT/SIGTERM; a signal handler can only set a flag, and the
 * progress callback turns it into a rollback. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig) { (void)sig; interrupted = 1; }

int cli_import_report_open(cli_import_report *r, ol_cli *cli, const char *rejects_path)
{
    memset(r, 0, sizeof *r);
    r->cli = cli;
    r->show_max = 20;
    r->rejects_path = rejects_path;
    if (rejects_path) {
        r->rejects = fopen(rejects_path, "w");
        if (!r->rejects) {
            ol_error e;
            ol_error_set(&e, OL_EIO, rejects_path, 0, 0, NULL, "cannot write the reject report");
            return cli_fail(cli, &e);
        }
        fprintf(r->rejects, "file,line,column,field,message\n");
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    return 0;
}

void cli_import_report_close(cli_import_report *r)
{
    if (r->rejects) fclose(r->rejects);
    r->rejects = NULL;
}

void cli_import_report_file_done(cli_import_report *r)
{
    cli_progress_done(r->cli);
    if (r->shown > r->show_max && !r->cli->quiet)
        fprintf(stderr, "(%ld more rejects not shown%s)\n", r->shown - r->show_max,
                r->rejects_path ? "; see the reject report" : "; use --rejects FILE for all");
    r->shown = 0;
}

int cli_import_progress(void *ctx, uint64_t done, uint64_t total)
{
    cli_import_report *r = ctx;
    if (interrupted) return 1;
    return cli_progress(r->cli, done, total);
}

void cli_import_on_reject(void *ctx, const ol_error *rej)
{
    cli_import_report *r = ctx;
    if (r->rejects) {
        cli_csv_field(r->rejects, rej->file);
        fprintf(r->rejects, ",%ld,%ld,", rej->line, rej->column);
        cli_csv_field(r->rejects, rej->field);
        fputc(',', r->rejects);
        cli_csv_field(r->rejects, rej->message);
        fputc('\n', r->rejects);
    }
    if (!r->cli->quiet && r->shown < r->show_max) {
        char buf[2048];
        ol_error_format(rej, buf, sizeof buf);
        cli_progress_done(r->cli);
        fprintf(stderr, "reject: %s\n", buf);
    }
    r->shown++;
}

int cli_parse_max_rejects(const char *s, int64_t *out)
{
    char *end = NULL;
    long long n = strtoll(s, &end, 10);
    if (!*s || *end || n < -1) return 0;
    *out = n;
    return 1;
}

/* One file per program defines the LeakSanitizer settings. */
#include "util/sanitizer.h"

int cli_fail_hint(const ol_cli *cli, const ol_error *err, const char *field, const char *hint)
{
    int rc = cli_fail(cli, err);
    if (err->code == OL_ENOTFOUND && strcmp(err->field, field) == 0) fprintf(stderr, "hint: %s\n", hint);
    return rc;
}

int cli_check_years(const ol_cli *cli, const char *command, int from, int until, const char *to_name)
{
    if (from && until && from > until)
        return cli_usage(cli, command, "--from %d is after --%s %d", from, to_name, until);
    return 0;
}
