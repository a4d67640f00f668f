/* orderlab: git-style dispatcher.  `orderlab [--db PATH] [--quiet] COMMAND ...` */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct command {
    const char *name;
    int (*fn)(ol_cli *cli, int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"report", cmd_report, "the report: the paper's figures and tables, the model's accounting, HTML"},
    {"run", cmd_run, "the main job: catalog, GDP ratios and Figure 4.1 into a directory"},
    {"import", cmd_import, "import data files (World Bank, PWT, NMC, Maddison, Census trade, SIPRI, CEB, WHO, IMF, "
                           "UNGA, ideal points, COW IGO, events)"},
    {"fetch", cmd_fetch, "download World Bank indicators and import them"},
    {"country", cmd_country, "resolve a country code or name across code systems"},
    {"events", cmd_events, "list, show and import exit events (the catalog)"},
    {"ratio", cmd_ratio, "yearly power ratio to a reference state and its threshold crossings"},
    {"history", cmd_history, "the 2/3 threshold across history: IGO exits of the leader around the crossings"},
    {"balance", cmd_balance, "a partner's goods surplus with the hegemon by year, and as a share of its GDP"},
    {"contributions", cmd_contributions, "a state's contributions to UN-system organisations and its share by year"},
    {"burden", cmd_burden, "the hegemon's military spending as a share of GDP against its allies' (NATO)"},
    {"affinity", cmd_affinity, "UN General Assembly agreement with a reference state (agree, S, kappa)"},
    {"plot", cmd_plot, "draw figures (gdp: Figure 4.1; ideal: Figure 4.2; crossings: the 2/3 threshold by measure)"},
    {"scenario", cmd_scenario, "check a scenario file; show the built-in default and every parameter"},
    {"ideal", cmd_ideal, "UNGA ideal points: estimate them from the roll calls, compare with published ones"},
    {"simulate", cmd_simulate, "run the model of exit diplomacy: tables, summary, figures, the run stored"},
    {"backtest", cmd_backtest, "the model from a start year with the data known then, scored against the catalog"},
    {"sweep", cmd_sweep, "run a design (grid, oat, lhs, saltelli) over a scenario on threads and MPI ranks"},
    {"db", cmd_db, "inspect the store: info, sources, rejects, check"},
};

static void list_commands(FILE *out)
{
    fprintf(out, "\nCommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-13s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'orderlab COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    ol_cli cli = {0};
    cli.progname = "orderlab";
    const char *envdb = getenv(OL_STORE_ENV);

    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'D'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    int c;
    /* '+' stops at the first non-option: the command name. */
    while ((c = getopt_long(argc, argv, "+D:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'q': cli.quiet = 1; break;
        case 'h':
            cli_print_help("orderlab", stdout);
            list_commands(stdout);
            return 0;
        case 'V':
            printf("orderlab %s (store schema %d)\n", ol_version(), OL_STORE_SCHEMA_VERSION);
            return 0;
        default:
            fprintf(stderr, "Try 'orderlab --help'.\n");
            return 2;
        }
    }
    if (optind >= argc) {
        cli_print_help("orderlab", stderr);
        list_commands(stderr);
        return 2;
    }
    cli.db_path = ol_store_resolve_path(db, envdb);
    cli.progress = !cli.quiet && isatty(STDERR_FILENO);

    const char *name = argv[optind];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i].name, name) == 0) {
            int sub_argc = argc - optind;
            char **sub_argv = argv + optind;
            optind = 0; /* 0, not 1: makes GNU getopt re-read its ordering mode */
            return commands[i].fn(&cli, sub_argc, sub_argv);
        }
    }
    if (strcmp(name, "help") == 0) {
        if (optind + 1 < argc) return cli_print_help(argv[optind + 1], stdout) ? 0 : 2;
        cli_print_help("orderlab", stdout);
        list_commands(stdout);
        return 0;
    }
    fprintf(stderr, "orderlab: '%s' is not a command.\n", name);
    list_commands(stderr);
    return 2;
}
