/* The report's sections and their registry (see report_internal.h). */
#define _XOPEN_SOURCE 700 /* nftw */
#include "report_internal.h"

#include "orderlab/backtest.h"
#include "orderlab/catalog.h"
#include "orderlab/history.h"
#include "orderlab/ideal.h"
#include "orderlab/ideal_figure.h"
#include "orderlab/plot.h"
#include "orderlab/simout.h"
#include "orderlab/sweep.h"

#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Accounts are US$ per year; the tables show billions. */
static const double usd_per_bn = 1e9;

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static ol_status close_file(FILE *f, const char *path, ol_error *err)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "write failed");
    return OL_OK;
}

static FILE *open_file(const rp_ctx *c, const char *rel, char *path, size_t n, ol_error *err)
{
    rp_path(c, path, n, rel);
    FILE *f = fopen(path, "w");
    if (!f) ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
    return f;
}

/* ================================================================ Figure 4.1 */

static ol_status sec_fig4_1(rp_ctx *c, FILE *h, ol_report_section_result *res, ol_error *err)
{
    ol_report_options o;
    ol_report_options_init(&o);
    o.out_dir = c->opt->out_dir;
    o.allow_fetch = c->opt->allow_fetch;
    o.fetch_base_url = c->opt->fetch_base_url;
    o.progress = c->opt->progress;
    o.progress_ctx = c->opt->progress_ctx;
    ol_report_summary *s = calloc(1, sizeof *s);
    if (!s) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    ol_status st = ol_report_run(c->store, &o, s, err);
    if (st == OL_ENOTFOUND) {
        res->available = 0;
        snprintf(res->note, sizeof res->note,
                 "The store has no World Bank GDP (current US$). Import it with "
                 "`orderlab import wb ../shared/data/wb_gdp/gdp.csv` (or "
                 "`orderlab report --data ../shared/data`), or download it with "
                 "`orderlab fetch wdi NY.GDP.MKTP.CD`.");
        free(s);
        return OL_OK;
    }
    if (st) { free(s); return st; }
    ol_report_build_summary *b = c->sum;
    if (s->gdp_loaded == 2 && b->nimported < OL_REPORT_MAX_IMPORTS)
        snprintf(b->imported[b->nimported++], OL_REPORT_PATH_MAX, "fetch wdi %s", s->series);
    char tau[32];
    ol_ratio_format_threshold(s->threshold, tau, sizeof tau);
    fprintf(h, "<p>GDP in current US$ (%s, vintage ", s->series);
    rp_esc(h, s->vintage);
    fprintf(h, ") of the rising powers as a share of the hegemon's, against the paper's threshold of %s "
               "(三分之二, §4(一)). %zu states ever reached it (threshold_states.csv).</p>\n",
            tau, s->states_reaching);
    fputs("<table><tr><th>State</th><th>First year at or above</th><th>Sustained from</th><th>Crossings</th>"
          "<th>Peak (year)</th><th>Latest (year)</th></tr>\n", h);
    for (size_t i = 0; i < s->nrivals; i++) {
        const ol_report_rival *r = &s->rivals[i];
        fputs("<tr><td>", h);
        rp_esc(h, r->name);
        fprintf(h, " (%s)</td><td>", r->code);
        if (r->first_year) fprintf(h, "%d", r->first_year); else fputs("never", h);
        fputs("</td><td>", h);
        if (r->sustained_year) fprintf(h, "%d", r->sustained_year); else fputs("none", h);
        fprintf(h, "</td><td>%zu</td><td>%.3f (%d)</td><td>%.3f (%d)</td></tr>\n", r->ncrossings, r->peak,
                r->peak_year, r->last_ratio, r->last_year);
    }
    fputs("</table>\n", h);
    st = rp_figure(c, h, "fig4_1_gdp", "Figure 4.1: GDP of the US, China and Japan and their ratios",
                   "Figure 4.1 <span lang=\"zh\">图 4.1 中美日 GDP 走势对比图</span>: GDP levels (top) and the "
                   "ratios to the United States with the 2/3 line (bottom).",
                   "orderlab plot gdp --out DIR", "gdp_ratio.csv", err);
    if (!st)
        rp_source_line(h, "<a href=\"gdp_ratio.csv\">gdp_ratio.csv</a>, <a href=\"crossings.csv\">crossings.csv</a>, "
                          "<a href=\"threshold_states.csv\">threshold_states.csv</a>, "
                          "<a href=\"summary.json\">summary.json</a>",
                       "orderlab run --out DIR");
    snprintf(res->note, sizeof res->note, "%s, vintage %s", s->series, s->vintage);
    free(s);
    return st;
}

/* ================================================================ Figure 4.2 */

static ol_status sec_fig4_2(rp_ctx *c, FILE *h, ol_report_section_result *res, ol_error *err)
{
    ol_ideal_figure_options fo;
    ol_ideal_figure_options_init(&fo);
    ol_ideal_figure *fig = NULL;
    ol_status st = ol_ideal_figure_new(c->store, &fo, &fig, err);
    if (st == OL_ENOTFOUND) {
        res->available = 0;
        snprintf(res->note, sizeof res->note,
                 "The store has no UN General Assembly ideal points of orderlab's dynamic model. Import the "
                 "votes and fit them: `orderlab import unvotes-rollcalls ../shared/data/unvotes/un_roll_calls.csv"
                 "`, `orderlab import unvotes-votes ../shared/data/unvotes/un_votes.csv`, "
                 "`orderlab ideal estimate` (or `orderlab report --data ../shared/data`).");
        return OL_OK;
    }
    if (st) return st;
    char path[OL_REPORT_PATH_MAX];
    for (int fmt = 0; fmt < OL_PLOT_FORMAT_COUNT && !st; fmt++) {
        char rel[64];
        snprintf(rel, sizeof rel, "fig4_2_ideal.%s", ol_plot_format_ext((ol_plot_format)fmt));
        rp_path(c, path, sizeof path, rel);
        st = ol_plot_lines_figure(ol_ideal_figure_plot(fig), path, (ol_plot_format)fmt, err);
    }
    rp_path(c, path, sizeof path, "fig4_2_ideal.csv");
    if (!st) st = ol_ideal_figure_write_csv(fig, path, err);
    if (!st) {
        fputs("<p>Ideal points of the major powers in the UN General Assembly, one line per state, estimated by "
              "orderlab from the roll calls (estimate <code>", h);
        rp_esc(h, ol_ideal_figure_estimate(fig));
        fputs("</code>; docs/ideal.md). Higher is closer to the United States.</p>\n", h);
        for (size_t i = 0; i < ol_ideal_figure_nwarnings(fig); i++) {
            fputs("<p class=\"note\">", h);
            rp_esc(h, ol_ideal_figure_warning(fig, i));
            fputs("</p>\n", h);
        }
        if (ol_ideal_figure_nmissing(fig)) {
            fputs("<p class=\"note\">No points for:", h);
            for (size_t i = 0; i < ol_ideal_figure_nmissing(fig); i++) {
                fputc(' ', h);
                rp_esc(h, ol_ideal_figure_missing(fig, i));
            }
            fputs(".</p>\n", h);
        }
        st = rp_figure(c, h, "fig4_2_ideal", "Figure 4.2: UNGA ideal points of the major powers",
                       "Figure 4.2 <span lang=\"zh\">图 4.2 联合国大会主要大国的表决趋势图</span>: UN General "
                       "Assembly ideal points by year.",
                       "orderlab plot ideal --out DIR", "fig4_2_ideal.csv", err);
        snprintf(res->note, sizeof res->note, "estimate %s", ol_ideal_figure_estimate(fig));
    }
    ol_ideal_figure_free(fig);
    return st;
}

/* ================================================================ Table 1.1 */

static void vocab_cell(FILE *h, ol_vocab v, const char *values)
{
    fputs("<td>", h);
    if (values) {
        /* a ';'-joined list of vocabulary values */
        char buf[256];
        snprintf(buf, sizeof buf, "%s", values);
        char *save = NULL;
        int first = 1;
        for (char *t = strtok_r(buf, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
            if (!first) fputs("; ", h);
            first = 0;
            const ol_vocab_term *term = ol_catalog_term(v, t);
            rp_term(h, t, term ? term->zh : NULL);
        }
    }
    fputs("</td>", h);
}

static ol_status sec_table1_1(rp_ctx *c, FILE *h, ol_report_section_result *res, ol_error *err)
{
    ol_event_list *list = NULL;
    ol_status st = ol_catalog_query(c->store, NULL, &list, err);
    if (st) return st;
    char path[OL_REPORT_PATH_MAX];
    FILE *f = open_file(c, "table1_1_catalog.csv", path, sizeof path, err);
    if (!f) { ol_event_list_free(list); return OL_EIO; }
    st = ol_catalog_write_csv(list, f, err);
    ol_status cst = close_file(f, path, err);
    if (!st) st = cst;
    if (st) { ol_event_list_free(list); return st; }
    size_t inscope = 0;
    for (size_t i = 0; i < list->n; i++) inscope += list->items[i].in_scope != 0;
    fprintf(h, "<p>The exit-event catalog: %zu events, %zu of them inside the paper's research scope (WTO, "
               "NAFTA, KORUS, UPU; rows in bold), with the public record of their dates (docs/catalog.md). "
               "Each controlled term is shown with the paper's Chinese original.</p>\n", list->n, inscope);
    fputs("<div class=\"scroll\"><table>\n<tr><th>Institution</th><th>Domain 领域</th><th>Form 形式</th>"
          "<th>Status 状态</th><th>Year</th><th>Effect countered 效应</th><th>Level 层面</th>"
          "<th>Means 手段</th><th>Paper</th></tr>\n", h);
    for (size_t i = 0; i < list->n; i++) {
        const ol_event *e = &list->items[i];
        fputs(e->in_scope ? "<tr class=\"scope\"><td>" : "<tr><td>", h);
        rp_term(h, e->institution_en, e->institution_zh);
        fputs("</td>", h);
        vocab_cell(h, OL_VOCAB_DOMAIN, e->domain);
        vocab_cell(h, OL_VOCAB_FORM, e->form);
        vocab_cell(h, OL_VOCAB_STATUS, e->status);
        int y = ol_event_year(e);
        if (y) fprintf(h, "<td>%d</td>", y); else fputs("<td></td>", h);
        vocab_cell(h, OL_VOCAB_EFFECT, e->effect);
        vocab_cell(h, OL_VOCAB_LEVEL, e->level);
        vocab_cell(h, OL_VOCAB_MEANS, e->means);
        fputs("<td>", h);
        rp_esc(h, e->paper_ref);
        fputs("</td></tr>\n", h);
    }
    fputs("</table></div>\n", h);
    rp_source_line(h, "<a href=\"table1_1_catalog.csv\">table1_1_catalog.csv</a>",
                   "orderlab events --format csv");
    snprintf(res->note, sizeof res->note, "%zu events (%zu in the paper's scope)", list->n, inscope);
    ol_event_list_free(list);
    return OL_OK;
}

/* ================================================================ the default simulation */

/* Facts of run 0 kept for the timeline's text. */
enum { FACTS_MAX = 512 };
static char *facts_text(const ol_simout_facts *f, const char *ex, const char *th, const char *re, const char *ke)
{
    char *s = malloc(4 * FACTS_MAX + 256);
    if (!s) return NULL;
    char ft[16] = "none", fe[16] = "none";
    if (f->first_threat) snprintf(ft, sizeof ft, "%d", f->first_threat);
    if (f->first_exit) snprintf(fe, sizeof fe, "%d", f->first_exit);
    snprintf(s, 4 * FACTS_MAX + 256,
             "first threat %s; first exit %s; exited: %s; threatened: %s; renegotiated: %s; kept: %s", ft, fe,
             f->nexited ? ex : "none", f->nthreatened ? th : "none", f->nrenegotiated ? re : "none",
             f->nkept ? ke : "none");
    return s;
}

ol_status rp_simulation(rp_ctx *c, ol_error *err)
{
    if (c->sim_done) {
        if (c->sim_status && err) *err = c->sim_err;
        return c->sim_status;
    }
    c->sim_done = 1;
    ol_error_clear(&c->sim_err);
    ol_error *e = &c->sim_err;
    char dir[OL_REPORT_PATH_MAX];
    rp_path(c, dir, sizeof dir, "simulate");
    ol_model_sim *sim = NULL;
    ol_simout *o = NULL;
    uint64_t hash = 0;
    ol_status st = ol_scenario_default(c->store, &c->sc, e);
    if (!st) st = ol_scenario_hash(c->sc, &hash, e);
    if (!st) st = ol_simulate_world_new(c->store, c->sc, &c->sw, e);
    if (!st) {
        ol_scenario_model_params(c->sc, &c->params);
        st = ol_model_sim_new(ol_simulate_world_model(c->sw), &c->params, &sim, e);
    }
    int stochastic = c->sc && c->sc->params.choice_rule == OL_SC_CHOICE_LOGIT;
    uint64_t seed = c->sc ? (uint64_t)c->sc->params.seed : 0;
    ol_simout_meta meta = {.scenario_name = c->sc ? c->sc->params.name : "", .scenario_hash = hash, .seed = seed,
                           .stochastic = stochastic, .runs = 1, .detail_runs = 1, .tau = c->params.tau};
    const ol_model_world *w = c->sw ? ol_simulate_world_model(c->sw) : NULL;
    if (!st) st = ol_simout_open(dir, w, &meta, &o, e);
    if (!st) st = ol_model_sim_run(sim, ol_model_seed(seed, 0), stochastic, &c->r0, e);
    if (!st) st = ol_simout_add(o, 0, c->r0, e);
    if (!st) st = ol_simout_finish(o, c->sc, c->store, NULL, e);
    if (!st) st = ol_simout_figures(dir, w, c->r0, &meta, (1u << OL_PLOT_FORMAT_COUNT) - 1, e);
    if (!st) {
        ol_simout_facts f;
        char ex[FACTS_MAX], th[FACTS_MAX], re[FACTS_MAX], ke[FACTS_MAX];
        ol_simout_facts_get(o, &f, ex, th, re, ke, FACTS_MAX);
        free(c->sim_facts);
        c->sim_facts = facts_text(&f, ex, th, re, ke);
    }
    ol_simout_free(o);
    ol_model_sim_free(sim);
    c->sim_status = st;
    if (st && err) *err = *e;
    return st;
}

static void sim_provenance(rp_ctx *c, char *buf, size_t n)
{
    const ol_simulate_world_info *in = ol_simulate_world_info_get(c->sw);
    char power[160], align[160];
    if (in->power_source == OL_POWER_STORE)
        snprintf(power, sizeof power, "power from the store's %s%s%s (data to %d, projected after)",
                 in->power_series, in->power_vintage[0] ? ", vintage " : "", in->power_vintage, in->power_data_end);
    else
        snprintf(power, sizeof power, "power from the built-in GDP facts (import World Bank GDP for the data)");
    if (in->alignment_source == OL_ALIGN_IDEALPOINTS)
        snprintf(align, sizeof align, "alignment from the ideal points %s of %d", in->alignment_estimate,
                 in->alignment_year);
    else
        snprintf(align, sizeof align, "alignment by role (import UNGA votes and fit ideal points for the data)");
    snprintf(buf, n, "default scenario %s: %s; %s", c->sc->params.name, power, align);
}

static ol_status sim_or_placeholder(rp_ctx *c, ol_report_section_result *res, ol_error *err)
{
    ol_status st = rp_simulation(c, err);
    if (st == OL_ENOTFOUND) {
        res->available = 0;
        snprintf(res->note, sizeof res->note, "The default simulation needs a series the store lacks: %s",
                 c->sim_err.message);
        return OL_OK;
    }
    return st;
}

static ol_status sec_timeline(rp_ctx *c, FILE *h, ol_report_section_result *res, ol_error *err)
{
    ol_status st = sim_or_placeholder(c, res, err);
    if (st || !res->available) return st;
    char prov[OL_REPORT_NOTE_MAX];
    sim_provenance(c, prov, sizeof prov);
    fprintf(h, "<p>One deterministic run of the model of exit diplomacy <span lang=\"zh\">退出外交</span> "
               "(docs/model.md), %d–%d, on the ", c->r0->t0, c->r0->t1);
    rp_esc(h, prov);
    fputs(".</p>\n<p>Run 0: ", h);
    rp_esc(h, c->sim_facts ? c->sim_facts : "");
    fputs(".</p>\n", h);
    st = rp_figure(c, h, "simulate/power_ratio", "The power ratio with the hegemon's actions",
                   "The challenger's power as a share of the hegemon's (P<sub>C</sub>/P<sub>H</sub>) against the "
                   "threshold τ, with the hegemon's threats, renegotiations, escalations, exits and rejoins.",
                   "orderlab simulate --out DIR/simulate", "simulate/metrics.csv", err);
    if (!st)
        st = rp_figure(c, h, "simulate/action_map", "The hegemon's actions by institution and year",
                       "The hegemon's status or action in each institution, year by year.",
                       "orderlab simulate --out DIR/simulate", "simulate/institution_year.csv", err);
    if (!st)
        rp_source_line(h, "<a href=\"simulate/actions.csv\">actions.csv</a>, "
                          "<a href=\"simulate/institution_year.csv\">institution_year.csv</a>, "
                          "<a href=\"simulate/actor_year.csv\">actor_year.csv</a>, "
                          "<a href=\"simulate/summary.json\">summary.json</a>, "
                          "<a href=\"simulate/scenario.yaml\">scenario.yaml</a>",
                       "orderlab simulate --out DIR/simulate");
    snprintf(res->note, sizeof res->note, "%s", prov);
    return st;
}

static int is_hegemon_action(ol_model_action a)
{
    return a == OL_ACT_THREATEN || a == OL_ACT_RENEGOTIATE || a == OL_ACT_ESCALATE || a == OL_ACT_EXIT ||
           a == OL_ACT_REJOIN;
}

/* Appends code to a ", "-joined list once. */
static void add_code(char *list, size_t n, const char *code)
{
    size_t len = strlen(code);
    for (const char *p = list; (p = strstr(p, code)) != NULL; p += len)
        if ((p == list || p[-1] == ' ') && (p[len] == '\0' || p[len] == ',')) return;
    size_t used = strlen(list);
    snprintf(list + used, n - used, "%s%s", used ? ", " : "", code);
}

static const char *const action_cols[] = {"threats", "renegotiations", "escalations", "exits", "rejoins"};
static int action_col(ol_model_action a)
{
    switch (a) {
    case OL_ACT_THREATEN: return 0;
    case OL_ACT_RENEGOTIATE: return 1;
    case OL_ACT_ESCALATE: return 2;
    case OL_ACT_EXIT: return 3;
    case OL_ACT_REJOIN: return 4;
    default: return -1;
    }
}
enum { NACT = 5, CODES_MAX = 512 };

static void action_header(FILE *h, FILE *csv)
{
    static const char *const th[] = {"Threats 威胁退出", "Renegotiated 重开谈判", "Escalated", "Exits 退出",
                                     "Rejoined 重新加入"};
    for (int i = 0; i < NACT; i++) fprintf(h, "<th>%s</th>", th[i]);
    for (int i = 0; i < NACT; i++) fprintf(csv, ",%s", action_cols[i]);
}

/* Table 3.2: the effects, as the hegemon's accounts of run 0. */
static ol_status sec_table3_2(rp_ctx *c, FILE *h, ol_report_section_result *res, ol_error *err)
{
    ol_status st = sim_or_placeholder(c, res, err);
    if (st || !res->available) return st;
    const ol_model_result *r = c->r0;
    const ol_model_world *w = ol_simulate_world_model(c->sw);
    enum { NEFF = 3 };
    static const ol_model_effect eff[NEFF] = {OL_EFFECT_SPILLOVER, OL_EFFECT_CONSUMPTION, OL_EFFECT_CONSTRAINT};
    static const char *const eff_en[NEFF] = {"Spillover effect", "Consumption effect", "Constraint"};
    static const char *const eff_zh[NEFF] = {"溢出效应", "消耗效应", "松绑"};
    static const char *const mech[NEFF] = {
        "Institutional shift 制度转变 in functional governance 功能性治理: the order's benefits open to others "
        "制度受益开放, power de-hierarchised 权力去等级化",
        "Power shift 权力转变 in functional governance 功能性治理: governance costs 治理成本消耗, power resources "
        "consumed 权力资源消耗",
        "Binding rules shed (§1, footnote ①: 摆脱国际规则的约束)"};
    static const char *const account[NEFF] = {"Y<sub>k</sub> (rivals' gains)", "X<sub>Hk</sub> (the hegemon's "
                                              "dues)", "Z<sub>Hk</sub> (cost of binding rules)"};
    double total[NEFF] = {0}, peak[NEFF] = {0};
    int peak_year[NEFF] = {0};
    for (size_t t = 0; t < r->nyears; t++) {
        double y[NEFF] = {0};
        for (size_t k = 0; k < r->ninst; k++) {
            const ol_model_inst_year *iy = &r->inst_years[t * r->ninst + k];
            if (!iy->active || !iy->member) continue;
            y[0] += iy->Y;
            y[1] += iy->X;
            y[2] += iy->Z;
        }
        for (int i = 0; i < NEFF; i++) {
            total[i] += y[i];
            if (y[i] > peak[i]) { peak[i] = y[i]; peak_year[i] = r->t0 + (int)t; }
        }
    }
    size_t count[NEFF][NACT] = {{0}};
    char codes[NEFF][CODES_MAX] = {""};
    for (size_t i = 0; i < r->nevents; i++) {
        const ol_model_event *ev = &r->events[i];
        int a = action_col(ev->action);
        if (a < 0 || !is_hegemon_action(ev->action)) continue;
        for (int j = 0; j < NEFF; j++)
            if (ev->effect == eff[j]) {
                count[j][a]++;
                add_code(codes[j], CODES_MAX, w->inst[ev->inst].code);
            }
    }
    char path[OL_REPORT_PATH_MAX];
    FILE *csv = open_file(c, "table3_2_effects.csv", path, sizeof path, err);
    if (!csv) return OL_EIO;
    fputs("effect,effect_zh,account,total_usd,mean_usd_per_year,peak_usd,peak_year", csv);
    fputs("<p>The paper's Table 3.2 <span lang=\"zh\">表 3.2 权力离散与“退出外交”的发生机制</span> names two effects "
          "of the diffusion of power that exit diplomacy answers. The model measures each as an account of the "
          "hegemon in every institution it belongs to (docs/model.md §4.2) and records, for each of the "
          "hegemon's actions, the effect it counters (the account with the largest weighted term in its exit "
          "utility). The numbers below are that accounting for the default run: the accounts summed over the "
          "institutions the hegemon is a member of (US$ billion a year), and the actions by the effect they "
          "counter.</p>\n<div class=\"scroll\"><table>\n<tr><th>Effect</th><th>Mechanism (the paper)</th>"
          "<th>Model account</th><th>Mean, US$ bn/yr</th><th>Peak, US$ bn/yr (year)</th>", h);
    action_header(h, csv);
    fputs("<th>Institutions</th></tr>\n", h);
    fputs(",institutions\n", csv);
    for (int i = 0; i < NEFF; i++) {
        double mean = r->nyears ? total[i] / (double)r->nyears : 0;
        fputs("<tr><td>", h);
        rp_term(h, eff_en[i], eff_zh[i]);
        fprintf(h, "</td><td>%s</td><td>%s</td><td>%.1f</td><td>%.1f (%d)</td>", mech[i], account[i],
                mean / usd_per_bn, peak[i] / usd_per_bn, peak_year[i]);
        fprintf(csv, "%s,%s,%s,%.17g,%.17g,%.17g,%d", ol_model_effect_name(eff[i]), eff_zh[i],
                i == 0 ? "Y" : i == 1 ? "X" : "Z", total[i], mean, peak[i], peak_year[i]);
        for (int a = 0; a < NACT; a++) {
            fprintf(h, "<td>%zu</td>", count[i][a]);
            fprintf(csv, ",%zu", count[i][a]);
        }
        fputs("<td>", h);
        rp_esc(h, codes[i]);
        fputs("</td></tr>\n", h);
        fprintf(csv, ",\"%s\"\n", codes[i]);
    }
    fputs("</table></div>\n", h);
    st = close_file(csv, path, err);
    rp_source_line(h, "<a href=\"table3_2_effects.csv\">table3_2_effects.csv</a> (from "
                      "<a href=\"simulate/institution_year.csv\">institution_year.csv</a>: X, Y, Z; "
                      "<a href=\"simulate/actions.csv\">actions.csv</a>: effect)",
                   "orderlab report --out DIR");
    snprintf(res->note, sizeof res->note, "the default run's accounts");
    return st;
}

/* Table 4.1: the hegemon's strategy by level and partner. */
static ol_status sec_table4_1(rp_ctx *c, FILE *h, ol_report_section_result *res, ol_error *err)
{
    ol_status st = sim_or_placeholder(c, res, err);
    if (st || !res->available) return st;
    const ol_model_result *r = c->r0;
    const ol_model_world *w = ol_simulate_world_model(c->sw);
    static const char *const level_value[OL_LEVEL_COUNT] = {"global-multilateral", "with-allies",
                                                            "with-competitor"};
    char members[OL_LEVEL_COUNT][CODES_MAX] = {""};
    for (size_t k = 0; k < w->ninst; k++)
        if ((unsigned)w->inst[k].level < OL_LEVEL_COUNT) add_code(members[w->inst[k].level], CODES_MAX, w->inst[k].code);
    size_t count[OL_LEVEL_COUNT][NACT] = {{0}}, byeff[OL_LEVEL_COUNT][OL_EFFECT_COUNT] = {{0}};
    double psum[OL_LEVEL_COUNT] = {0};
    for (size_t i = 0; i < r->nevents; i++) {
        const ol_model_event *ev = &r->events[i];
        int a = action_col(ev->action);
        unsigned lv = (unsigned)w->inst[ev->inst].level;
        if (a < 0 || lv >= OL_LEVEL_COUNT) continue;
        count[lv][a]++;
        if (ev->action == OL_ACT_THREATEN) psum[lv] += ev->probability;
        if ((unsigned)ev->effect < OL_EFFECT_COUNT) byeff[lv][ev->effect]++;
    }
    char path[OL_REPORT_PATH_MAX];
    FILE *csv = open_file(c, "table4_1_strategy.csv", path, sizeof path, err);
    if (!csv) return OL_EIO;
    fputs("level,level_zh,institutions", csv);
    fputs("<p>The paper's Table 4.1 <span lang=\"zh\">表 4.1 经贸领域内制度制衡基本情况</span> sets out the hegemon's "
          "institutional balancing at three levels: global multilateral bodies, allies, and the competitor. "
          "Allies concede to threats, the competitor does not (the concession probability, docs/model.md "
          "§6.1). The model's accounting groups the default run's actions by the level of the institution; "
          "the paper's table covers the trade domain <span lang=\"zh\">经贸领域</span>, the model every "
          "institution of the default scenario.</p>\n<div class=\"scroll\"><table>\n<tr><th>Level</th>"
          "<th>Institutions</th>", h);
    action_header(h, csv);
    fputs("<th>Mean concession probability at a threat</th><th>Against spillover 溢出效应</th>"
          "<th>Against consumption 消耗效应</th></tr>\n", h);
    fputs(",mean_p_concede,spillover,consumption\n", csv);
    for (int lv = 0; lv < OL_LEVEL_COUNT; lv++) {
        const ol_vocab_term *t = ol_catalog_term(OL_VOCAB_LEVEL, level_value[lv]);
        fputs("<tr><td>", h);
        rp_term(h, t ? t->en : level_value[lv], t ? t->zh : NULL);
        fputs("</td><td>", h);
        rp_esc(h, members[lv]);
        fputs("</td>", h);
        fprintf(csv, "%s,%s,\"%s\"", level_value[lv], t ? t->zh : "", members[lv]);
        for (int a = 0; a < NACT; a++) {
            fprintf(h, "<td>%zu</td>", count[lv][a]);
            fprintf(csv, ",%zu", count[lv][a]);
        }
        if (count[lv][0]) {
            double p = psum[lv] / (double)count[lv][0];
            fprintf(h, "<td>%.2f</td>", p);
            fprintf(csv, ",%.17g", p);
        } else {
            fputs("<td>–</td>", h);
            fputs(",", csv);
        }
        fprintf(h, "<td>%zu</td><td>%zu</td></tr>\n", byeff[lv][OL_EFFECT_SPILLOVER], byeff[lv][OL_EFFECT_CONSUMPTION]);
        fprintf(csv, ",%zu,%zu\n", byeff[lv][OL_EFFECT_SPILLOVER], byeff[lv][OL_EFFECT_CONSUMPTION]);
    }
    fputs("</table></div>\n", h);
    st = close_file(csv, path, err);
    rp_source_line(h, "<a href=\"table4_1_strategy.csv\">table4_1_strategy.csv</a> (from "
                      "<a href=\"simulate/actions.csv\">actions.csv</a>)",
                   "orderlab report --out DIR");
    snprintf(res->note, sizeof res->note, "the default run's actions");
    return st;
}

/* Table 4.2: old and new balancing means. */
static ol_status sec_table4_2(rp_ctx *c, FILE *h, ol_report_section_result *res, ol_error *err)
{
    ol_status st = sim_or_placeholder(c, res, err);
    if (st || !res->available) return st;
    const ol_model_result *r = c->r0;
    const ol_model_world *w = ol_simulate_world_model(c->sw);
    static const char *const zh[OL_MEANS_COUNT] = {
        "", "包容：编织秩序网络（嵌入/包容性制衡）", "区别：肯定强调差异（排他性制衡）", "操纵：整合与等级化（实现领导权）",
        "挤压包容性带来的制度溢出收益（退出性制衡）", "企图重塑等级、区别和制度非中性（退出性制衡）",
        "降低秩序主导国权力消耗"};
    static const char *const en[OL_MEANS_COUNT] = {
        "", "Inclusion: weaving the order's network", "Differentiation: stressing difference",
        "Manipulation: integration and hierarchy", "Squeeze the spillover gains of inclusion",
        "Reshape hierarchy, difference and non-neutrality", "Cut the leader's power consumption"};
    size_t count[OL_MEANS_COUNT][NACT] = {{0}};
    int first[OL_MEANS_COUNT] = {0}, last[OL_MEANS_COUNT] = {0};
    char codes[OL_MEANS_COUNT][CODES_MAX] = {""};
    for (size_t i = 0; i < r->nevents; i++) {
        const ol_model_event *ev = &r->events[i];
        int a = action_col(ev->action);
        unsigned m = (unsigned)ev->means;
        if (a < 0 || m == OL_MEANS_NONE || m >= OL_MEANS_COUNT) continue;
        count[m][a]++;
        if (!first[m] || ev->year < first[m]) first[m] = ev->year;
        if (ev->year > last[m]) last[m] = ev->year;
        add_code(codes[m], CODES_MAX, w->inst[ev->inst].code);
    }
    size_t stay_years = 0;
    for (size_t i = 0; i < r->nyears * r->ninst; i++) stay_years += r->inst_years[i].action == OL_ACT_STAY;
    char path[OL_REPORT_PATH_MAX];
    FILE *csv = open_file(c, "table4_2_means.csv", path, sizeof path, err);
    if (!csv) return OL_EIO;
    fputs("means,kind,means_zh", csv);
    fprintf(h, "<p>The paper's Table 4.2 <span lang=\"zh\">表 4.2 主导国的新旧制度制衡手段比较</span> compares the "
               "hegemon's old means of institutional balancing (原有制度制衡手段: inclusion, differentiation, "
               "manipulation) with the new exit balancing (新制度制衡手段, 退出性制衡). The model records each of "
               "the hegemon's actions with its means (docs/model.md §6.2); the default run's record is below. "
               "Staying in is inclusion too: the hegemon stayed in %zu institution-years.</p>\n"
               "<div class=\"scroll\"><table>\n<tr><th>Means</th><th>Old or new</th>", stay_years);
    action_header(h, csv);
    fputs("<th>Years</th><th>Institutions</th></tr>\n", h);
    fputs(",first_year,last_year,institutions\n", csv);
    for (int m = OL_MEANS_INCLUSION; m < OL_MEANS_COUNT; m++) {
        int old = m <= OL_MEANS_MANIPULATION;
        fputs("<tr><td>", h);
        rp_term(h, en[m], zh[m]);
        fprintf(h, "</td><td>%s</td>", old ? "old 原有" : "new 新 (exit balancing 退出性制衡)");
        fprintf(csv, "%s,%s,%s", ol_model_means_name((ol_model_means)m), old ? "old" : "new", zh[m]);
        for (int a = 0; a < NACT; a++) {
            fprintf(h, "<td>%zu</td>", count[m][a]);
            fprintf(csv, ",%zu", count[m][a]);
        }
        if (first[m]) fprintf(h, "<td>%d–%d</td><td>", first[m], last[m]);
        else fputs("<td></td><td>", h);
        rp_esc(h, codes[m]);
        fputs("</td></tr>\n", h);
        if (first[m]) fprintf(csv, ",%d,%d", first[m], last[m]); else fputs(",,", csv);
        fprintf(csv, ",\"%s\"\n", codes[m]);
    }
    fputs("</table></div>\n", h);
    st = close_file(csv, path, err);
    rp_source_line(h, "<a href=\"table4_2_means.csv\">table4_2_means.csv</a> (from "
                      "<a href=\"simulate/actions.csv\">actions.csv</a>: means)",
                   "orderlab report --out DIR");
    snprintf(res->note, sizeof res->note, "the default run's actions");
    return st;
}

/* ================================================================ the sweep */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(path);
}

static ol_status run_sweep(rp_ctx *c, const char *dir, ol_sweep_result *out, ol_error *err)
{
    ol_scenario *sc = NULL;
    ol_status st = ol_scenario_default(c->store, &sc, err);
    if (st) return st;
    ol_sweep_config cfg = {.design_path = c->opt->sweep_design, .dir = dir,
                           .formats = (1u << OL_PLOT_FORMAT_COUNT) - 1};
    cfg.exec.progress = c->opt->progress;
    cfg.exec.progress_ctx = c->opt->progress_ctx;
    st = ol_sweep_run(c->store, sc, &cfg, out, err);
    ol_scenario_free(sc);
    return st;
}

static ol_status sec_sweep(rp_ctx *c, FILE *h, ol_report_section_result *res, ol_error *err)
{
    if (!c->opt->sweep_design) {
        res->available = 0;
        snprintf(res->note, sizeof res->note,
                 "No sweep design was given. Add the paper's question with "
                 "`orderlab report --sweep examples/paper-two-thirds.yaml` (as "
                 "`scripts/run.sh` does), or run it alone: "
                 "`orderlab sweep examples/paper-two-thirds.yaml --out DIR/sweep`.");
        return OL_OK;
    }
    char dir[OL_REPORT_PATH_MAX], mark[OL_REPORT_PATH_MAX];
    rp_path(c, dir, sizeof dir, "sweep");
    ol_sweep_result sr;
    memset(&sr, 0, sizeof sr);
    ol_status st = run_sweep(c, dir, &sr, err);
    snprintf(mark, sizeof mark, "%s/.sweep", dir);
    if (st == OL_EINVAL && file_exists(mark)) {
        /* a sweep of another design or world (new data in the store): this
         * directory is the report's own, so it is made again */
        if (nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
            return ol_error_set(err, OL_EIO, dir, 0, 0, NULL, "cannot remove the previous sweep: %s",
                                strerror(errno));
        ol_error_clear(err);
        st = run_sweep(c, dir, &sr, err);
    }
    if (st) return st;
    uint64_t ok = sr.stats.runs - sr.stats.failed;
    fprintf(h, "<p>The sweep <code>");
    rp_esc(h, sr.design_name);
    fprintf(h, "</code> (<code>");
    rp_esc(h, c->opt->sweep_design);
    fprintf(h, "</code>, docs/sweep.md) asks how robust the 2/3 story is: %llu runs (%llu points × %llu "
               "replicates) of the default scenario with its parameters varied; an exit wave "
               "<span lang=\"zh\">退出潮</span> happened in %llu of %llu runs (%.1f %%).</p>\n",
            (unsigned long long)sr.stats.runs, (unsigned long long)sr.points, (unsigned long long)sr.replicates,
            (unsigned long long)sr.waves, (unsigned long long)ok,
            ok ? 100.0 * (double)sr.waves / (double)ok : 0.0);
    char p[OL_REPORT_PATH_MAX];
    rp_path(c, p, sizeof p, "sweep/sweep_heatmap.svg");
    if (file_exists(p))
        st = rp_figure(c, h, "sweep/sweep_heatmap", "Sweep heat map: probability of an exit wave",
                       "The probability of an exit wave over the two heat-map parameters.",
                       "orderlab sweep DESIGN --out DIR/sweep", "sweep/heatmap.csv", err);
    rp_path(c, p, sizeof p, "sweep/sweep_sensitivity.svg");
    if (!st && file_exists(p))
        st = rp_figure(c, h, "sweep/sweep_sensitivity", "Sobol sensitivity indices",
                       "Sobol indices (first order S1 and total ST, with bootstrap intervals) of the exit wave, "
                       "the number of exits and the first exit year.",
                       "orderlab sweep DESIGN --out DIR/sweep", "sweep/sobol.csv", err);
    rp_path(c, p, sizeof p, "sweep/sobol.csv");
    if (!st && file_exists(p)) {
        fputs("<h3>Sobol indices</h3>\n", h);
        st = rp_csv_table(c, h, "sweep/sobol.csv", 0, err);
    }
    if (!st)
        rp_source_line(h, "<a href=\"sweep/aggregate.csv\">aggregate.csv</a>, <a href=\"sweep/heatmap.csv\">"
                          "heatmap.csv</a>, <a href=\"sweep/sobol.csv\">sobol.csv</a>, "
                          "<a href=\"sweep/summary.json\">summary.json</a>, <a href=\"sweep/runs.csv\">runs.csv</a>",
                       "orderlab sweep DESIGN --out DIR/sweep");
    snprintf(res->note, sizeof res->note, "%s: %llu runs", sr.design_name, (unsigned long long)sr.stats.runs);
    return st;
}

/* ================================================================ the backtest */

static ol_status sec_backtest(rp_ctx *c, FILE *h, ol_report_section_result *res, ol_error *err)
{
    ol_scenario *sc = NULL;
    ol_status st = ol_scenario_default(c->store, &sc, err);
    if (st) return st;
    /* the run as the scenario has it, and the same with the start year's leader profile held: the later
     * profiles are hindsight (docs/backtest.md §6), and the second run shows how much of the score they
     * carry */
    ol_backtest *bt = NULL, *held = NULL;
    ol_backtest_options hold = {.hold_leader = 1};
    st = ol_backtest_run(c->store, sc, NULL, &bt, err);
    if (!st) st = ol_backtest_run(c->store, sc, &hold, &held, err);
    ol_scenario_free(sc);
    if (st) {
        ol_backtest_free(bt);
        return st;
    }
    char dir[OL_REPORT_PATH_MAX];
    rp_path(c, dir, sizeof dir, "backtest");
    st = rp_mkdir(dir, err);
    for (int t = 0; !st && t < OL_BT_TABLE_COUNT; t++) {
        char path[OL_REPORT_PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, ol_backtest_table_file((ol_backtest_table)t));
        FILE *f = fopen(path, "w");
        if (!f) {
            st = ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
            break;
        }
        st = ol_backtest_write_csv(bt, (ol_backtest_table)t, f, err);
        ol_status cst = close_file(f, path, err);
        if (!st) st = cst;
    }
    if (!st) {
        char path[OL_REPORT_PATH_MAX];
        snprintf(path, sizeof path, "%s/summary.json", dir);
        char *js = ol_backtest_summary_json(bt);
        FILE *f = js ? fopen(path, "w") : NULL;
        if (!js) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        else if (!f) st = ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        else {
            fputs(js, f);
            st = close_file(f, path, err);
        }
        free(js);
    }
    if (st) {
        ol_backtest_free(held);
        ol_backtest_free(bt);
        return st;
    }
    ol_backtest_summary all;
    ol_backtest_summarise(bt, &all);
    double acc = 100 * all.accuracy, base = 100 * all.always_stay; /* per cent */
    fprintf(h, "<p>The default scenario run from %d with the power data known then (last data year %d; later "
               "years projected), scored against the exit-event catalog over %d–%d (docs/backtest.md). "
               "The model's yearly action per institution agrees with the record in %zu of %zu "
               "institution-years (<strong>%.1f %%</strong>); the naive forecast &ldquo;the hegemon always "
               "stays&rdquo; scores %.1f %%.",
            bt->from, bt->known_until, bt->from, bt->to, bt->agree, bt->scored, acc, base);
    if (all.timing_both)
        fprintf(h, " On the %zu institutions where both the model and the record act, the first action is "
                   "%.1f years off on average (mean signed error %+.1f: negative is early).",
                all.timing_both, all.mean_abs_error, all.mean_error);
    fprintf(h, " %s</p>\n",
            acc < base ? "The model does <strong>worse than the naive forecast</strong>: it catches when the wave "
                         "comes but exits far more widely than the record — a finding, not tuned away."
                       : "The model beats the naive forecast.");
    ol_backtest_summary hs;
    ol_backtest_summarise(held, &hs);
    fprintf(h, "<p>Without hindsight of the leaders: the same run with the profile in force in %d "
               "(&ldquo;%s&rdquo;) held to the end and the %zu later profile(s) left out "
               "(<code>orderlab backtest --hold-leader</code>) agrees in %zu of %zu institution-years "
               "(<strong>%.1f %%</strong>), predicts %zu exit(s) of which %zu in the year of a recorded one "
               "(%zu recorded)",
            held->from, held->leader, held->leaders_dropped, held->agree, held->scored, 100 * hs.accuracy,
            hs.exits_predicted, held->confusion[OL_BT_EXIT][OL_BT_EXIT], hs.exits_observed);
    if (hs.timing_both)
        fprintf(h, ", and times the first action of %zu institutions %.1f years off on average", hs.timing_both,
                hs.mean_abs_error);
    fprintf(h, ", against %.1f %% and %zu exit(s) with the scenario's profiles", acc, all.exits_predicted);
    if (hs.exits_predicted < all.exits_predicted)
        fprintf(h, ": the later profiles add %zu predicted exit(s), so that part of the run's exits comes from "
                   "the hindsight leader, not from the power ratio alone",
                all.exits_predicted - hs.exits_predicted);
    fprintf(h, ". Held, the model %s the naive forecast.</p>\n", hs.accuracy > all.always_stay ? "beats" : "still does not beat");
    ol_backtest_free(held);
    fputs("<h3>Confusion matrix (observed × predicted, institution-years)</h3>\n", h);
    st = rp_csv_table(c, h, "backtest/confusion.csv", 0, err);
    if (!st) {
        fputs("<h3>Timing of the first action</h3>\n", h);
        st = rp_csv_table(c, h, "backtest/timing.csv", 0, err);
    }
    if (!st) {
        fputs("<h3>Misses, each with the account that dominated the model's choice</h3>\n", h);
        st = rp_csv_table(c, h, "backtest/misses.csv", 12, err);
    }
    if (!st)
        rp_source_line(h, "<a href=\"backtest/confusion.csv\">confusion.csv</a>, <a href=\"backtest/timing.csv\">"
                          "timing.csv</a>, <a href=\"backtest/misses.csv\">misses.csv</a>, "
                          "<a href=\"backtest/summary.json\">summary.json</a>",
                       "orderlab backtest --out DIR/backtest");
    snprintf(res->note, sizeof res->note, "from %d: %.1f %% agree (always-stay %.1f %%)", bt->from, acc, base);
    ol_backtest_free(bt);
    return st;
}

/* ================================================================ the threshold across history */

static ol_status sec_history(rp_ctx *c, FILE *h, ol_report_section_result *res, ol_error *err)
{
    ol_history_options opt;
    ol_history_options_init(&opt);
    ol_history_result *r = NULL;
    ol_error e;
    ol_error_clear(&e);
    ol_status st = ol_history_compute(c->store, &opt, &r, &e);
    if (st == OL_ENOTFOUND) {
        res->available = 0;
        snprintf(res->note, sizeof res->note,
                 "The history study needs the COW IGO memberships and a power series in the store (%s): "
                 "`orderlab import cow-igo ../shared/data/cow_igo/igo_year_format3.csv` and "
                 "`orderlab import wb ../shared/data/wb_gdp/gdp.csv` (or pwt, maddison, nmc).", e.message);
        return OL_OK;
    }
    if (st) {
        if (err) *err = e;
        return st;
    }
    char dir[OL_REPORT_PATH_MAX];
    rp_path(c, dir, sizeof dir, "history");
    st = ol_history_write_dir(r, dir, NULL, err);
    if (st) {
        ol_history_result_free(r);
        return st;
    }
    char th[32];
    ol_ratio_format_threshold(r->threshold, th, sizeof th);
    fprintf(h, "<p>For every state that crossed %s of the leading state&rsquo;s power (the largest of each year on "
               "each measure) the leader&rsquo;s exits from IGOs (COW IGO memberships %d&ndash;%d", th,
            r->igo_first, r->igo_last);
    if (r->catalog_last) fprintf(h, ", then the catalog&rsquo;s exits to %d", r->catalog_last);
    fprintf(h, ") are counted in event time, &plusmn;%d years around the crossing, and a Poisson model of the "
               "leader&rsquo;s yearly exits (memberships at risk as exposure, a time trend) estimates the rate ratio "
               "of the %d years after a crossing (docs/threshold-history.md). Does exit diplomacy "
               "<span lang=\"zh\">退出外交</span> follow the 2/3 threshold "
               "<span lang=\"zh\">三分之二门槛</span>?</p>\n<div class=\"scroll\"><table>\n"
               "<tr><th>measure</th><th>crossings used</th><th>leader-years</th><th>exits</th>"
               "<th>rate ratio after a crossing [%.0f %%]</th><th>quasi-Poisson interval</th></tr>\n",
            r->window, r->window, 100 * r->level);
    int any = 0, above = 0;
    for (size_t k = 0; k < r->nmodels; k++) {
        const ol_history_model *m = &r->models[k];
        size_t used = 0;
        for (size_t i = 0; i < r->nmeasures; i++)
            if (!strcmp(r->measures[i].series, m->series)) used = r->measures[i].nevents;
        fputs("<tr><td>", h);
        rp_esc(h, m->series);
        fprintf(h, "</td><td>%zu</td><td>%zu</td><td>%ld</td>", used, m->n, m->exits);
        if (m->status) {
            fputs("<td colspan=\"2\">not estimated: ", h);
            rp_esc(h, m->note);
            fputs("</td></tr>\n", h);
            continue;
        }
        any = 1;
        if (m->rr_qlo > 1) above = 1;
        fprintf(h, "<td>%.2f [%.2f, %.2f]</td><td>[%.2f, %.2f]</td></tr>\n", m->rr, m->rr_lo, m->rr_hi, m->rr_qlo,
                m->rr_qhi);
    }
    fputs("</table></div>\n", h);
    if (any)
        fprintf(h, "<p>%s</p>\n",
                above ? "On at least one measure the leader leaves IGOs more often after a crossing, beyond the "
                        "quasi-Poisson interval."
                      : "On no measure do the leader&rsquo;s exits concentrate after a crossing: every interval "
                        "includes 1. A finding against the general form of the claim, with few events.");
    /* the US–Japan case the paper dates to the 1970s */
    fputs("<h3>United States and Japan</h3>\n<ul>\n", h);
    for (size_t k = 0; k < r->njapan; k++) {
        const ol_history_japan *j = &r->japan[k];
        if (j->status) continue;
        fputs("<li><code>", h);
        rp_esc(h, j->series);
        fprintf(h, "</code>: peak %.3f in %d", j->peak, j->peak_year);
        if (j->first_year) fprintf(h, "; first at or above %s in %d", th, j->first_year);
        else fprintf(h, "; never at %s", th);
        if (j->claim_max_year)
            fprintf(h, "; in %d&ndash;%d at most %.3f (%d)", r->claim_from, r->claim_until, j->claim_max,
                    j->claim_max_year);
        fputs("</li>\n", h);
    }
    fputs("</ul>\n", h);
    char p[OL_REPORT_PATH_MAX];
    rp_path(c, p, sizeof p, "history/history_event_time_NY.GDP.MKTP.CD.svg");
    if (file_exists(p))
        st = rp_figure(c, h, "history/history_event_time_NY.GDP.MKTP.CD",
                       "The leader's IGO exit rate in event time (current US$ GDP)",
                       "The leader&rsquo;s IGO exits per 100 memberships in event time around the 2/3 crossings on "
                       "GDP in current US$, with the exact Poisson interval as a band and the rate of the years "
                       "without a crossing as a dashed line.",
                       "orderlab history --out DIR/history", "history/history_events.csv", err);
    if (!st)
        rp_source_line(h, "<a href=\"history/history_events.csv\">history_events.csv</a>, "
                          "<a href=\"history/history_model.csv\">history_model.csv</a>, "
                          "<a href=\"history/history_crossings.csv\">history_crossings.csv</a>, "
                          "<a href=\"history/history_us_japan.csv\">history_us_japan.csv</a>",
                       "orderlab history --out DIR/history");
    snprintf(res->note, sizeof res->note, "%zu measures, %zu crossings", r->nmodels, r->ncrossings);
    ol_history_result_free(r);
    return st;
}

static const rp_section registry[] = {
    {"fig4_1", "Figure 4.1: GDP of the United States, China and Japan, and the 2/3 threshold",
     "图 4.1 中美日 GDP 走势对比图", sec_fig4_1},
    {"fig4_2", "Figure 4.2: voting in the UN General Assembly", "图 4.2 联合国大会主要大国的表决趋势图", sec_fig4_2},
    {"table1_1", "Table 1.1: the issue areas of exit diplomacy (the exit-event catalog)",
     "表 1.1 “退出外交”涉及的问题领域", sec_table1_1},
    {"timeline", "The default simulation's timeline", "退出外交的模拟", sec_timeline},
    {"table3_2", "Table 3.2: the diffusion of power and how exit diplomacy arises (the model's accounting)",
     "表 3.2 权力离散与“退出外交”的发生机制", sec_table3_2},
    {"table4_1", "Table 4.1: institutional balancing by level and partner (the model's accounting)",
     "表 4.1 经贸领域内制度制衡基本情况", sec_table4_1},
    {"table4_2", "Table 4.2: old and new means of institutional balancing (the model's accounting)",
     "表 4.2 主导国的新旧制度制衡手段比较", sec_table4_2},
    {"sweep", "Sensitivity: the paper's question as a sweep", "三分之二门槛的敏感性", sec_sweep},
    {"backtest", "Backtest against the record", "回测", sec_backtest},
    {"history", "The 2/3 threshold across history", "历史上的三分之二门槛", sec_history},
};

const rp_section *rp_sections(size_t *n)
{
    *n = sizeof registry / sizeof registry[0];
    return registry;
}

void rp_release(rp_ctx *c)
{
    ol_model_result_free(c->r0);
    ol_simulate_world_free(c->sw);
    ol_scenario_free(c->sc);
    c->r0 = NULL;
    c->sw = NULL;
    c->sc = NULL;
    free(c->sim_facts);
    c->sim_facts = NULL;
}
