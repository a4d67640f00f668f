/* The orderlab command-line front end: shared state and helpers.  The CLI
 * parses arguments, calls the library and prints; it holds no logic of its own. */
#ifndef OL_CLI_H
#define OL_CLI_H

#include "orderlab/orderlab.h"

#include <stdio.h>

typedef struct ol_cli {
    const char *db_path;   /* --db, else $ORDERLAB_DB, else orderlab.db */
    int quiet;             /* --quiet: no progress, no summaries */
    int progress;          /* draw a progress bar (stderr is a terminal, not quiet) */
    const char *progname;
    /* progress bar state (one bar at a time) */
    double bar_start;
    int bar_started;
    int bar_last_pct;
} ol_cli;

/* Options every command accepts; commands append their own. */
#define OL_CLI_COMMON_LONGOPTS \
    {"db", required_argument, NULL, 'D'}, \
    {"quiet", no_argument, NULL, 'q'}, \
    {"help", no_argument, NULL, 'h'}

/* Handles a common option (returns 1) or not (returns 0).  For 'h' prints the
 * command's help and sets *exit_now to 0. */
int cli_common_option(ol_cli *cli, const char *command, int c, const char *arg, int *exit_now);

/* Opens the store (creating it and loading built-in data on first use). */
int cli_open_store(ol_cli *cli, int flags, ol_store **out);

/* Prints err to stderr as "orderlab: file:line:col: ..." and returns the
 * documented exit code for err->code. */
int cli_fail(const ol_cli *cli, const ol_error *err);
/* Prints a usage error for command and returns 2. */
int cli_usage(const ol_cli *cli, const char *command, const char *fmt, ...) OL_PRINTF(3, 4);
/* cli_fail, and then "hint: ..." when err is OL_ENOTFOUND on field (the
 * data a command needs is not imported yet). */
int cli_fail_hint(const ol_cli *cli, const ol_error *err, const char *field, const char *hint);
/* 0 when a --from/--<to_name> pair is in order (0 = unset), else a usage
 * error (2) naming both options ("until" or "to", as the command calls it). */
int cli_check_years(const ol_cli *cli, const char *command, int from, int until, const char *to_name);

/* Prints the help text of a command ("orderlab" for the top level). */
int cli_print_help(const char *command, FILE *out);

/* A progress callback that draws a bar with an ETA on stderr; ctx is the
 * ol_cli.  Does nothing unless cli->progress. */
int cli_progress(void *ctx, uint64_t done, uint64_t total);
/* Ends a progress bar line. */
void cli_progress_done(ol_cli *cli);

/* Output formats shared by listing commands. */
typedef enum { CLI_FMT_TABLE, CLI_FMT_CSV, CLI_FMT_JSON } cli_format;
int cli_parse_format(const char *s, cli_format *out);

/* Splits a comma-separated list in place ("USA, CHN ,JPN"): blanks around
 * an item trimmed, empty items skipped.  Returns the count, or max + 1 when there
 * are more than max (parts then holds the first max). */
size_t cli_split_list(char *s, const char **parts, size_t max);

/* "svg,png" -> a bit per ol_plot_format (1u << format); "none" -> 0.
 * Returns 0 on an unknown format or an empty list. */
int cli_parse_formats(const char *s, unsigned *out);

/* Writes s as a CSV field, quoted only when it must be. */
void cli_csv_field(FILE *out, const char *s);

/*
 * Reporting of imports and downloads shared by `import` and `fetch`: a
 * progress bar that SIGINT/SIGTERM turn into a clean rollback, rejects shown
 * on stderr (the first show_max) and, with --rejects FILE, all of them as CSV.
 */
typedef struct cli_import_report {
    ol_cli *cli;
    FILE *rejects;       /* --rejects FILE, or NULL */
    const char *rejects_path;
    long shown;          /* rejects seen for the current file */
    long show_max;
} cli_import_report;

/* Opens the reject report (when path is non-NULL) and installs the signal
 * handlers.  Returns 0 or the exit code of the failure (already printed). */
int cli_import_report_open(cli_import_report *r, ol_cli *cli, const char *rejects_path);
void cli_import_report_close(cli_import_report *r);
/* Call after each file: ends the bar and says how many rejects were not shown. */
void cli_import_report_file_done(cli_import_report *r);
/* ol_progress_fn and ol_reject_fn with a cli_import_report as ctx. */
int cli_import_progress(void *ctx, uint64_t done, uint64_t total);
void cli_import_on_reject(void *ctx, const ol_error *rej);
/* Parses --max-rejects; 1 on success. */
int cli_parse_max_rejects(const char *s, int64_t *out);

/* Commands. */
int cmd_import(ol_cli *cli, int argc, char **argv);
int cmd_fetch(ol_cli *cli, int argc, char **argv);
int cmd_country(ol_cli *cli, int argc, char **argv);
int cmd_events(ol_cli *cli, int argc, char **argv);
int cmd_ratio(ol_cli *cli, int argc, char **argv);
int cmd_affinity(ol_cli *cli, int argc, char **argv);
int cmd_plot(ol_cli *cli, int argc, char **argv);
int cmd_db(ol_cli *cli, int argc, char **argv);
int cmd_run(ol_cli *cli, int argc, char **argv);
int cmd_report(ol_cli *cli, int argc, char **argv);
int cmd_scenario(ol_cli *cli, int argc, char **argv);
int cmd_simulate(ol_cli *cli, int argc, char **argv);
int cmd_backtest(ol_cli *cli, int argc, char **argv);
int cmd_sweep(ol_cli *cli, int argc, char **argv);
int cmd_ideal(ol_cli *cli, int argc, char **argv);
int cmd_balance(ol_cli *cli, int argc, char **argv);
int cmd_contributions(ol_cli *cli, int argc, char **argv);
int cmd_burden(ol_cli *cli, int argc, char **argv);
int cmd_history(ol_cli *cli, int argc, char **argv);
#endif
