/* orderlab backtest [SCENARIO] [--from Y] [--to Y] [--hold-leader] [--out DIR] [--format table|csv|json] */
#include "cli.h"

#include "orderlab/backtest.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Defaults documented in help/backtest.txt. */
static const char *const DEFAULT_OUT = "out/backtest";
/* The years a start year may take (the scenario's own range). */
enum { YEAR_MIN = 1800, YEAR_MAX = 2200 };

static int parse_year(const char *s, int *out)
{
    char *end = NULL;
    errno = 0;
    long v = s && *s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || errno || *end || v < YEAR_MIN || v > YEAR_MAX) return 0;
    *out = (int)v;
    return 1;
}

/* mkdir -p. */
static ol_status make_dir(const char *dir, ol_error *err)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1;; p++) {
        int end = *p == '\0';
        if (!end && *p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return ol_error_set(err, OL_EIO, buf, 0, 0, NULL, "cannot create the directory: %s", strerror(errno));
        if (end) break;
        *p = '/';
    }
    struct stat sb;
    if (stat(buf, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return ol_error_set(err, OL_EIO, buf, 0, 0, NULL, "not a directory");
    return OL_OK;
}

/* Writes every table and summary.json under temporary names, then renames
 * them into place: a failure leaves no half-written file. */
static ol_status write_outputs(const ol_backtest *bt, const char *dir, ol_error *err)
{
    ol_status mk = make_dir(dir, err);
    if (mk) return mk;
    enum { NFILES = OL_BT_TABLE_COUNT + 1 };
    char tmp[NFILES][4096], dst[NFILES][4096];
    ol_status st = OL_OK;
    size_t done = 0;
    for (size_t i = 0; i < NFILES && !st; i++) {
        const char *name = i < OL_BT_TABLE_COUNT ? ol_backtest_table_file((ol_backtest_table)i) : "summary.json";
        snprintf(tmp[i], sizeof tmp[i], "%s/.%s.tmp", dir, name);
        snprintf(dst[i], sizeof dst[i], "%s/%s", dir, name);
        FILE *f = fopen(tmp[i], "w");
        if (!f) {
            st = ol_error_set(err, OL_EIO, tmp[i], 0, 0, NULL, "cannot write: %s", strerror(errno));
            break;
        }
        done = i + 1;
        if (i < OL_BT_TABLE_COUNT) {
            st = ol_backtest_write_csv(bt, (ol_backtest_table)i, f, err);
        } else {
            char *js = ol_backtest_summary_json(bt);
            if (!js) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
            else fprintf(f, "%s\n", js);
            free(js);
        }
        if (fclose(f) != 0 && !st) st = ol_error_set(err, OL_EIO, tmp[i], 0, 0, NULL, "write failed");
    }
    for (size_t i = 0; i < done; i++) {
        if (!st && rename(tmp[i], dst[i]) != 0)
            st = ol_error_set(err, OL_EIO, dst[i], 0, 0, NULL, "cannot rename into place: %s", strerror(errno));
        if (st) remove(tmp[i]);
    }
    return st;
}

static void print_table(const ol_backtest *bt, const char *out)
{
    printf("backtest of scenario %s: from %d (power data known until %d) to %d, hegemon %s\n", bt->scenario,
           bt->from, bt->known_until, bt->to, bt->hegemon);
    if (bt->hold_leader)
        printf("leader profile held: %s (in force in %d) for the whole run; %zu later profile(s) left out\n",
               bt->leader, bt->from, bt->leaders_dropped);
    else
        printf("leader profiles: as the scenario (%s in %d; later ones are hindsight: --hold-leader holds it)\n",
               bt->leader, bt->from);
    ol_backtest_summary sum;
    ol_backtest_summarise(bt, &sum);
    printf("%zu institution-years scored, %zu agree (%.1f %%; the naive forecast \"always stays\" %.1f %%); "
           "%zu catalog events used, %zu in years not scored\n\n",
           bt->scored, bt->agree, 100 * sum.accuracy, 100 * sum.always_stay, bt->events_used, bt->events_unscored);
    printf("%-13s", "observed \\ predicted");
    for (int pc = 0; pc < OL_BT_CLASS_COUNT; pc++) printf(" %11s", ol_backtest_class_name((ol_backtest_class)pc));
    printf("\n");
    for (int oc = 0; oc < OL_BT_CLASS_COUNT; oc++) {
        printf("%-20s", ol_backtest_class_name((ol_backtest_class)oc));
        for (int pc = 0; pc < OL_BT_CLASS_COUNT; pc++) printf(" %11zu", bt->confusion[oc][pc]);
        printf("\n");
    }
    printf("\n%-8s %-22s %-22s %s\n", "inst", "first predicted", "first observed", "error (years)");
    for (size_t k = 0; k < bt->ninst; k++) {
        const ol_backtest_timing *t = &bt->timing[k];
        if (!t->predicted_year && !t->observed_year) continue;
        char p[32] = "-", o[32] = "-", e[16] = "";
        if (t->predicted_year) snprintf(p, sizeof p, "%d %s", t->predicted_year, ol_backtest_class_name(t->predicted));
        if (t->observed_year) snprintf(o, sizeof o, "%d %s", t->observed_year, ol_backtest_class_name(t->observed));
        if (t->has_error) snprintf(e, sizeof e, "%+d", t->error);
        printf("%-8s %-22s %-22s %s\n", t->inst, p, o, e);
    }
    printf("\nmisses (%zu):\n", bt->nmisses);
    for (size_t i = 0; i < bt->nmisses; i++) {
        const ol_backtest_miss *m = &bt->misses[i];
        printf("  %d %-7s predicted %-11s observed %-11s ", m->year, m->inst, ol_backtest_class_name(m->predicted),
               ol_backtest_class_name(m->observed));
        if (m->reason == OL_BT_REASON_TERMS)
            printf("terms in force (U_threaten %+.3g of P_H)\n", m->utility);
        else
            printf("U_%s %+.3g of P_H, dominated by %s (%+.3g)\n", ol_backtest_class_name(m->alternative),
                   m->utility, ol_backtest_account_name(m->account), m->contribution);
    }
    printf("\nwritten to %s: confusion.csv, timing.csv, misses.csv, summary.json\n", out);
}

int cmd_backtest(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},
        {"out", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'f'},
        {"hold-leader", no_argument, NULL, 'H'},
        {NULL, 0, NULL, 0},
    };
    ol_backtest_options opt = {0};
    const char *out = DEFAULT_OUT;
    cli_format fmt = CLI_FMT_TABLE;
    int exit_now = 0, c;
    while ((c = getopt_long(argc, argv, "D:qh", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "backtest", c, optarg, &exit_now)) {
            if (exit_now) return 0;
            continue;
        }
        switch (c) {
        case 'F':
            if (!parse_year(optarg, &opt.from))
                return cli_usage(cli, "backtest", "--from wants a year %d..%d, not '%s'", YEAR_MIN, YEAR_MAX, optarg);
            continue;
        case 'T':
            if (!parse_year(optarg, &opt.to))
                return cli_usage(cli, "backtest", "--to wants a year %d..%d, not '%s'", YEAR_MIN, YEAR_MAX, optarg);
            continue;
        case 'o': out = optarg; continue;
        case 'H': opt.hold_leader = 1; continue;
        case 'f':
            if (!cli_parse_format(optarg, &fmt))
                return cli_usage(cli, "backtest", "--format wants table, csv or json, not '%s'", optarg);
            continue;
        default: return cli_usage(cli, "backtest", "unknown option");
        }
    }
    if (argc - optind > 1) return cli_usage(cli, "backtest", "at most one SCENARIO file");
    const char *path = optind < argc ? argv[optind] : NULL;

    ol_store *store = NULL;
    int rc = cli_open_store(cli, OL_STORE_READWRITE, &store);
    if (rc) return rc;
    ol_error err;
    ol_error_clear(&err);
    ol_scenario *sc = NULL;
    ol_backtest *bt = NULL;
    ol_status st = path ? ol_scenario_load(path, store, &sc, &err) : ol_scenario_default(store, &sc, &err);
    if (!st) st = ol_backtest_run(store, sc, &opt, &bt, &err);
    if (!st) st = write_outputs(bt, out, &err);
    if (!st) {
        if (fmt == CLI_FMT_JSON) {
            char *js = ol_backtest_summary_json(bt);
            if (js) printf("%s\n", js);
            free(js);
        } else if (fmt == CLI_FMT_CSV) {
            st = ol_backtest_write_csv(bt, OL_BT_TABLE_MISSES, stdout, &err);
        } else if (!cli->quiet) {
            print_table(bt, out);
        }
    }
    rc = st ? cli_fail(cli, &err) : 0;
    ol_backtest_free(bt);
    ol_scenario_free(sc);
    ol_store_close(store);
    return rc;
}
