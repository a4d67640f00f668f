/* orderlab affinity: agreement of UN General Assembly votes with a reference
 * state per country and year (or session): share agreeing, S-score and
 * Cohen's kappa (the library's affinity module does the work). */
#include "cli.h"

#include "util/text.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* The country list of --country options: comma lists split, words owned here. */
typedef struct country_list {
    char **items;
    size_t n, cap;
} country_list;

static int list_add(country_list *l, const char *arg)
{
    char *copy = strdup(arg);
    if (!copy) return 0;
    char *save = NULL;
    int ok = 1;
    for (char *tok = strtok_r(copy, ",", &save); tok && ok; tok = strtok_r(NULL, ",", &save)) {
        char word[256];
        ol_trim_copy(word, sizeof word, tok);
        if (!word[0]) continue;
        if (l->n == l->cap) {
            size_t ncap = l->cap ? 2 * l->cap : 8;
            char **ni = realloc(l->items, ncap * sizeof *ni);
            if (!ni) { ok = 0; break; }
            l->items = ni;
            l->cap = ncap;
        }
        if (!(l->items[l->n] = strdup(word))) ok = 0;
        else l->n++;
    }
    free(copy);
    return ok;
}

static void list_free(country_list *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->items[i]);
    free(l->items);
}

static int parse_positive(const char *s, int64_t max, int64_t *out)
{
    int64_t v = 0;
    if (!ol_parse_int64(s, &v) || v < 1 || v > max) return 0;
    *out = v;
    return 1;
}

static void print_kappa_csv(const ol_affinity_row *w)
{
    if (w->kappa_defined) printf("%.10g", w->kappa);
}

static int print_json(const ol_affinity_result *r, const char *period, int from, int to)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *with = cJSON_AddObjectToObject(o, "with");
    cJSON_AddStringToObject(with, "code", r->with.code);
    cJSON_AddStringToObject(with, "name", r->with.name_en);
    if (r->with.name_zh[0]) cJSON_AddStringToObject(with, "name_zh", r->with.name_zh);
    cJSON_AddStringToObject(o, "by", period);
    cJSON_AddStringToObject(o, "agreement", ol_affinity_agree_name(r->agree));
    cJSON_AddBoolToObject(o, "unanimous_kept", r->keep_unanimous);
    cJSON_AddBoolToObject(o, "final_passage_only", r->final_passage);
    if (from) cJSON_AddNumberToObject(o, "from", from); else cJSON_AddNullToObject(o, "from");
    if (to) cJSON_AddNumberToObject(o, "to", to); else cJSON_AddNullToObject(o, "to");
    cJSON_AddNumberToObject(o, "min_votes", (double)r->min_votes);
    cJSON *rc = cJSON_AddObjectToObject(o, "rollcalls");
    cJSON_AddNumberToObject(rc, "used", (double)r->rollcalls_used);
    cJSON_AddNumberToObject(rc, "unanimous", (double)r->rollcalls_unanimous);
    cJSON_AddNumberToObject(rc, "without_reference", (double)r->rollcalls_without_with);
    cJSON_AddNumberToObject(rc, "no_votes", (double)r->rollcalls_no_votes);
    cJSON_AddNumberToObject(rc, "not_final_passage", (double)r->rollcalls_not_final);
    cJSON_AddNumberToObject(rc, "out_of_range", (double)r->rollcalls_out_of_range);
    cJSON_AddNumberToObject(rc, "no_period", (double)r->rollcalls_no_period);
    cJSON_AddNumberToObject(o, "below_min_votes", (double)r->below_min_votes);
    cJSON *rows = cJSON_AddArrayToObject(o, "rows");
    for (size_t i = 0; i < r->n; i++) {
        const ol_affinity_row *w = &r->rows[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "country", w->country);
        cJSON_AddNumberToObject(x, period, w->period);
        cJSON_AddStringToObject(x, "with", r->with.code);
        cJSON_AddNumberToObject(x, "n", (double)w->n);
        cJSON_AddNumberToObject(x, "agree", w->agree);
        cJSON_AddNumberToObject(x, "s_score", w->s_score);
        if (w->kappa_defined) cJSON_AddNumberToObject(x, "kappa", w->kappa);
        else cJSON_AddNullToObject(x, "kappa");
        cJSON_AddItemToArray(rows, x);
    }
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    if (!text) {
        fprintf(stderr, "orderlab: out of memory writing JSON\n");
        return 1;
    }
    puts(text);
    cJSON_free(text);
    return 0;
}

static void print_table(const ol_affinity_result *r, const char *period)
{
    printf("Agreement with %s (%s) by %s: agree = %s; %s; %s\n", r->with.name_en, r->with.code, period,
           r->agree == OL_AGREE_IDENTICAL ? "share of identical votes" : "Lijphart index (abstention 1/2)",
           r->keep_unanimous ? "unanimous roll calls kept" : "unanimous roll calls left out",
           r->final_passage ? "final-passage votes only" : "all roll calls");
    printf("%-7s %7s %-5s %6s %7s %8s %7s\n", "country", period, "with", "n", "agree", "s_score", "kappa");
    for (size_t i = 0; i < r->n; i++) {
        const ol_affinity_row *w = &r->rows[i];
        printf("%-7s %7d %-5s %6lld %7.4f %8.4f ", w->country, w->period, r->with.code, (long long)w->n,
               w->agree, w->s_score);
        if (w->kappa_defined) printf("%7.4f\n", w->kappa);
        else printf("%7s\n", "-");
    }
    printf("%zu row%s (kappa '-': undefined, both cast one and the same vote throughout)\n", r->n,
           r->n == 1 ? "" : "s");
    printf("roll calls: %lld used, %lld unanimous left out, %lld without a vote of %s",
           (long long)r->rollcalls_used, (long long)r->rollcalls_unanimous, (long long)r->rollcalls_without_with,
           r->with.code);
    if (r->rollcalls_not_final) printf(", %lld amendment or paragraph votes left out", (long long)r->rollcalls_not_final);
    if (r->rollcalls_out_of_range) printf(", %lld out of range", (long long)r->rollcalls_out_of_range);
    if (r->rollcalls_no_period) printf(", %lld without a %s", (long long)r->rollcalls_no_period, period);
    if (r->rollcalls_no_votes) printf(", %lld with no votes", (long long)r->rollcalls_no_votes);
    putchar('\n');
    if (r->below_min_votes)
        printf("%lld country-%s%s with fewer than %lld joint votes left out\n", (long long)r->below_min_votes,
               period, r->below_min_votes == 1 ? "" : "s", (long long)r->min_votes);
}

int cmd_affinity(ol_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        OL_CLI_COMMON_LONGOPTS,
        {"with", required_argument, NULL, 'w'},
        {"country", required_argument, NULL, 'c'},
        {"by", required_argument, NULL, 'b'},
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},
        {"min-votes", required_argument, NULL, 'm'},
        {"agreement", required_argument, NULL, 'a'},
        {"keep-unanimous", no_argument, NULL, 'k'},
        {"final-passage", no_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    ol_affinity_options opt;
    ol_affinity_options_init(&opt);
    cli_format fmt = CLI_FMT_TABLE;
    country_list countries = {0};
    int c, exit_now = 0, rc = 0;
    const char *from_s = NULL, *to_s = NULL;
    ol_error err;
    ol_error_clear(&err);
    while ((c = getopt_long(argc, argv, "+D:qhw:c:b:F:T:m:a:kpf:", longopts, NULL)) != -1) {
        if (cli_common_option(cli, "affinity", c, optarg, &exit_now)) {
            if (exit_now) goto done;
            continue;
        }
        switch (c) {
        case 'w': opt.with = optarg; break;
        case 'c':
            if (!list_add(&countries, optarg)) { fprintf(stderr, "orderlab: out of memory\n"); rc = 1; goto done; }
            break;
        case 'b':
            if (ol_affinity_parse_period(optarg, &opt.by, &err)) { rc = cli_usage(cli, "affinity", "--by: %s", err.message); goto done; }
            break;
        case 'a':
            if (ol_affinity_parse_agree(optarg, &opt.agree, &err)) { rc = cli_usage(cli, "affinity", "--agreement: %s", err.message); goto done; }
            break;
        case 'F': from_s = optarg; break;
        case 'T': to_s = optarg; break;
        case 'm':
            if (!parse_positive(optarg, INT64_MAX, &opt.min_votes)) {
                rc = cli_usage(cli, "affinity", "--min-votes needs a whole number >= 1, not '%s'", optarg);
                goto done;
            }
            break;
        case 'k': opt.keep_unanimous = 1; break;
        case 'p': opt.final_passage = 1; break;
        case 'f':
            if (!cli_parse_format(optarg, &fmt)) { rc = cli_usage(cli, "affinity", "unknown format '%s'", optarg); goto done; }
            break;
        default: rc = cli_usage(cli, "affinity", "unknown option"); goto done;
        }
    }
    if (optind < argc) { rc = cli_usage(cli, "affinity", "unexpected argument '%s'", argv[optind]); goto done; }
    const char *period = ol_affinity_period_name(opt.by);
    /* --from and --to are read after --by, whatever their order, so that
     * the message can say which unit they are in. */
    int64_t v = 0;
    if (from_s) {
        if (!parse_positive(from_s, 9999, &v)) {
            rc = cli_usage(cli, "affinity", "--from needs a %s (a whole number >= 1), not '%s'", period, from_s);
            goto done;
        }
        opt.from = (int)v;
    }
    if (to_s) {
        if (!parse_positive(to_s, 9999, &v)) {
            rc = cli_usage(cli, "affinity", "--to needs a %s (a whole number >= 1), not '%s'", period, to_s);
            goto done;
        }
        opt.to = (int)v;
    }
    if (opt.from && opt.to && opt.from > opt.to) {
        rc = cli_usage(cli, "affinity", "--from %d is after --to %d", opt.from, opt.to);
        goto done;
    }
    opt.countries = (const char *const *)countries.items;
    opt.ncountries = countries.n;

    ol_store *s = NULL;
    if ((rc = cli_open_store(cli, OL_STORE_READWRITE, &s))) goto done;
    ol_affinity_result *r = NULL;
    if (ol_affinity_compute(s, &opt, &r, &err)) {
        rc = cli_fail(cli, &err);
        if (err.code == OL_ENOTFOUND && strcmp(err.field, "votes") == 0)
            fprintf(stderr, "hint: orderlab import unvotes-rollcalls un_roll_calls.csv && "
                            "orderlab import unvotes-votes un_votes.csv\n");
    } else if (fmt == CLI_FMT_JSON) {
        rc = print_json(r, period, opt.from, opt.to);
    } else if (fmt == CLI_FMT_CSV) {
        printf("country,%s,with,n,agree,s_score,kappa\n", period);
        for (size_t i = 0; i < r->n; i++) {
            const ol_affinity_row *w = &r->rows[i];
            printf("%s,%d,%s,%lld,%.10g,%.10g,", w->country, w->period, r->with.code, (long long)w->n, w->agree,
                   w->s_score);
            print_kappa_csv(w);
            putchar('\n');
        }
        if (r->below_min_votes && !cli->quiet)
            fprintf(stderr, "%lld country-%s%s with fewer than %lld joint votes left out\n",
                    (long long)r->below_min_votes, period, r->below_min_votes == 1 ? "" : "s",
                    (long long)r->min_votes);
    } else {
        print_table(r, period);
    }
    ol_affinity_result_free(r);
    ol_store_close(s);
done:
    list_free(&countries);
    return rc;
}
