/* ol_report_build: the self-contained HTML report (`orderlab report`). */
#include "report_internal.h"

#include "orderlab/ideal.h"
#include "orderlab/importers.h"
#include "orderlab/version.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void ol_report_build_options_init(ol_report_build_options *opt)
{
    memset(opt, 0, sizeof *opt);
}

static ol_status count_rows(ol_store *store, const char *sql, long long *n, ol_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ol_store_db(store), sql, -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "counting rows");
    ol_status res = OL_OK;
    if (sqlite3_step(st) == SQLITE_ROW) *n = sqlite3_column_int64(st, 0);
    else res = ol_store_fail(store, err, "counting rows");
    sqlite3_finalize(st);
    return res;
}

static ol_status import_if(ol_store *store, const ol_report_build_options *opt, ol_report_build_summary *sum,
                           const char *kind, const char *rel, ol_error *err)
{
    ol_import_summary isum;
    memset(&isum, 0, sizeof isum);
    char path[OL_REPORT_PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", opt->data_dir, rel);
    struct stat sb;
    if (stat(path, &sb) != 0) return OL_OK; /* not staged: the section says what is missing */
    ol_import_options io;
    ol_import_options_init(&io);
    io.progress = opt->progress;
    io.progress_ctx = opt->progress_ctx;
    if (!strcmp(kind, "wb")) io.vintage = opt->gdp_vintage;
    /* the staged PWT repeats Zimbabwe 2021-2023 (docs/importers.md): those
     * lines are rejected and counted, the rest imported */
    if (!strcmp(kind, "pwt")) io.max_rejects = -1;
    ol_status st = ol_import_file(store, kind, path, &io, &isum, NULL, err);
    if (!st && sum->nimported < OL_REPORT_MAX_IMPORTS) {
        if (isum.rows_rejected)
            snprintf(sum->imported[sum->nimported++], OL_REPORT_PATH_MAX, "import %s %s (%lld lines rejected)",
                     kind, path, (long long)isum.rows_rejected);
        else snprintf(sum->imported[sum->nimported++], OL_REPORT_PATH_MAX, "import %s %s", kind, path);
    }
    return st;
}

/* World Bank GDP, the UNGA votes and the COW IGO memberships from data_dir when the store has none, and orderlab's
 * dynamic ideal points when the store has votes but not the fit (Figure 4.2
 * and the simulation's alignments read them). */
static ol_status prepare_data(ol_store *store, const ol_report_build_options *opt, ol_report_build_summary *sum,
                              ol_error *err)
{
    long long n = 0;
    ol_status st;
    if (opt->data_dir) {
        /* Figure 4.1's series (the main job's default) and the simulation's power */
        if ((st = count_rows(store, "SELECT count(*) FROM indicator_values WHERE series = '" OL_SERIES_DEFAULT
                                    "' AND country = 'USA'", &n, err)))
            return st;
        if (n == 0 && (st = import_if(store, opt, sum, "wb", "wb_gdp/gdp.csv", err))) return st;
        if ((st = count_rows(store, "SELECT count(*) FROM roll_calls", &n, err))) return st;
        if (n == 0 && (st = import_if(store, opt, sum, "unvotes-rollcalls", "unvotes/un_roll_calls.csv", err)))
            return st;
        if ((st = count_rows(store, "SELECT count(*) FROM votes", &n, err))) return st;
        if (n == 0 && (st = import_if(store, opt, sum, "unvotes-votes", "unvotes/un_votes.csv", err))) return st;
        /* the history study's IGO memberships */
        if ((st = count_rows(store, "SELECT count(*) FROM sources s WHERE s.kind IN ('cow-igo', 'cow-igo-state') "
                                    "AND EXISTS (SELECT 1 FROM memberships m WHERE m.source_id = s.id)", &n, err)))
            return st;
        if (n == 0 && (st = import_if(store, opt, sum, "cow-igo", "cow_igo/igo_year_format3.csv", err))) return st;
        /* the history study's other measures of power: PPP GDP (PWT, Maddison) and CINC */
        static const struct { const char *series, *kind, *file; } measures[] = {
            {"pwt.cgdpo", "pwt", "pwt/pwt110.csv"},
            {"maddison.gdp", "maddison", "maddison/mpd2023_full_data.csv"},
            {"nmc.cinc", "nmc", "cow_nmc/NMC-60-abridged.csv"},
        };
        for (size_t i = 0; i < sizeof measures / sizeof measures[0]; i++) {
            char q[160];
            snprintf(q, sizeof q, "SELECT count(*) FROM indicator_values WHERE series = '%s'", measures[i].series);
            if ((st = count_rows(store, q, &n, err))) return st;
            if (n == 0 && (st = import_if(store, opt, sum, measures[i].kind, measures[i].file, err))) return st;
        }
    }
    if ((st = count_rows(store, "SELECT count(*) FROM votes", &n, err))) return st;
    if (n == 0) return OL_OK;
    if ((st = count_rows(store, "SELECT count(*) FROM ideal_points WHERE estimate = 'orderlab-dynamic'", &n, err)))
        return st;
    if (n > 0) return OL_OK;
    ol_ideal_options io;
    ol_ideal_options_init(&io, OL_IDEAL_DYNAMIC);
    ol_ideal_votes *v = NULL;
    ol_ideal_fit *f = NULL;
    st = ol_ideal_votes_load(store, &io, &v, err);
    if (!st) st = ol_ideal_estimate(v, &io, opt->progress, opt->progress_ctx, &f, err);
    /* votes that do not identify the model (too few countries, no usable
     * roll call) leave Figure 4.2 to say what is missing */
    if (st == OL_EVALIDATE) {
        ol_error_clear(err);
        st = OL_OK;
    } else if (!st) {
        st = ol_ideal_fit_save(store, f, NULL, err);
        if (!st) sum->ideal_estimated = 1;
    }
    ol_ideal_fit_free(f);
    ol_ideal_votes_free(v);
    return st;
}

static const char css[] =
    "body{font-family:'Noto Sans','DejaVu Sans',sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;"
    "color:#222;line-height:1.45}\n"
    "h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2.5rem}"
    "h3{font-size:1.05rem}\n"
    "figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #ddd}\n"
    "figcaption,.src,.note{font-size:.9rem;color:#444}\n"
    "table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}"
    "th,td{border:1px solid #ccc;padding:.2rem .4rem;vertical-align:top;text-align:left}th{background:#f3f3f3}\n"
    "tr.scope td{font-weight:bold}.scroll{overflow-x:auto}\n"
    ".missing{background:#fff7e0;border-left:4px solid #e0a800;padding:.5rem .8rem}\n"
    ".failed{background:#fdecea;border-left:4px solid #c62828;padding:.5rem .8rem}\n"
    ".ok{color:#2e7d32}.no{color:#b26a00}code{background:#f5f5f5;padding:0 .2rem}\n";

/* Runs in the browser after every figure has loaded or failed: marks the
 * document with loaded/total and reports a figure that failed as an error,
 * so that a headless browser's console and DOM show both (tests/cli_report.sh). */
static const char check_script[] =
    "<script>\n"
    "window.addEventListener('load', function () {\n"
    "  var im = document.images, ok = 0;\n"
    "  for (var i = 0; i < im.length; i++) {\n"
    "    if (im[i].complete && im[i].naturalWidth > 0) ok++;\n"
    "    else console.error('figure did not load: ' + im[i].alt);\n"
    "  }\n"
    "  document.body.setAttribute('data-figures', ok + '/' + im.length);\n"
    "});\n"
    "</script>\n";

/* A note's text, escaped, with `command` spans as <code>. */
static void note_html(FILE *f, const char *s)
{
    int open = 0;
    for (; *s; s++) {
        if (*s == '`') {
            fputs(open ? "</code>" : "<code>", f);
            open = !open;
        } else {
            char c[2] = {*s, 0};
            rp_esc(f, c);
        }
    }
    if (open) fputs("</code>", f);
}

ol_status ol_report_build(ol_store *store, const ol_report_build_options *opt, ol_report_build_summary *sum,
                          ol_error *err)
{
    memset(sum, 0, sizeof *sum);
    if (!opt || !opt->out_dir || !opt->out_dir[0])
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "the report needs an output directory");
    ol_status st = rp_mkdir(opt->out_dir, err);
    if (!st) st = prepare_data(store, opt, sum, err);
    if (st) return st;

    rp_ctx c;
    memset(&c, 0, sizeof c);
    c.store = store;
    c.opt = opt;
    c.sum = sum;
    size_t nsec;
    const rp_section *secs = rp_sections(&nsec);
    char *body[OL_REPORT_MAX_SECTIONS] = {NULL};
    for (size_t i = 0; i < nsec && i < OL_REPORT_MAX_SECTIONS && !st; i++) {
        ol_report_section_result *res = &sum->sections[sum->nsections++];
        snprintf(res->id, sizeof res->id, "%s", secs[i].id);
        snprintf(res->title, sizeof res->title, "%s", secs[i].title_en);
        res->available = 1;
        size_t len = 0;
        FILE *mem = open_memstream(&body[i], &len);
        if (!mem) { st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
        ol_error se;
        ol_error_clear(&se);
        ol_status s = secs[i].fn(&c, mem, res, &se);
        if (fclose(mem) != 0 && !s) s = ol_error_set(&se, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        if (s == OL_ENOMEM || s == OL_EINTERRUPTED) {
            if (err) *err = se;
            st = s;
            break;
        }
        if (s) {
            /* the section's module failed on its data: say so, keep the rest */
            char msg[OL_REPORT_NOTE_MAX];
            ol_error_format(&se, msg, sizeof msg);
            res->available = -1;
            snprintf(res->note, sizeof res->note, "%s", msg);
        }
        if (res->available != 1) body[i][0] = '\0';
        else sum->available++;
    }
    rp_release(&c);

    char path[OL_REPORT_PATH_MAX], tmp[OL_REPORT_PATH_MAX];
    snprintf(path, sizeof path, "%s/index.html", opt->out_dir);
    snprintf(tmp, sizeof tmp, "%s/.index.html.tmp", opt->out_dir);
    FILE *f = NULL;
    if (!st && !(f = fopen(tmp, "w")))
        st = ol_error_set(err, OL_EIO, tmp, 0, 0, NULL, "cannot write: %s", strerror(errno));
    if (!st) {
        fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
              "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              "<title>orderlab report: exit diplomacy 退出外交</title>\n<style>\n", f);
        fputs(css, f);
        fputs("</style>\n</head>\n<body>\n<h1>Exit diplomacy <span lang=\"zh\">退出外交</span>: the evidence "
              "and the model</h1>\n", f);
        fputs("<p>Made by <code>orderlab " OL_VERSION_STRING "</code> from the store <code>", f);
        rp_esc(f, ol_store_path(store));
        fputs("</code>. Every figure is embedded here and written beside this file as SVG, PNG and PDF with its "
              "data file (CSV); each caption gives the command that regenerates it. docs/report.md describes "
              "each section.</p>\n", f);
        if (sum->nimported || sum->ideal_estimated) {
            fputs("<p>Loaded into the store for this report:</p>\n<ul>\n", f);
            for (size_t i = 0; i < sum->nimported; i++) {
                fputs("<li><code>orderlab ", f);
                rp_esc(f, sum->imported[i]);
                fputs("</code></li>\n", f);
            }
            if (sum->ideal_estimated) fputs("<li><code>orderlab ideal estimate</code></li>\n", f);
            fputs("</ul>\n", f);
        }
        fputs("<h2>Contents</h2>\n<ol>\n", f);
        for (size_t i = 0; i < sum->nsections; i++) {
            const ol_report_section_result *r = &sum->sections[i];
            fprintf(f, "<li><a href=\"#%s\">", r->id);
            rp_term(f, secs[i].title_en, secs[i].title_zh);
            fprintf(f, "</a> — %s</li>\n", r->available == 1 ? "<span class=\"ok\">shown</span>"
                                           : r->available == 0 ? "<span class=\"no\">missing</span>"
                                                               : "<span class=\"no\">failed</span>");
        }
        fputs("</ol>\n", f);
        for (size_t i = 0; i < sum->nsections; i++) {
            const ol_report_section_result *r = &sum->sections[i];
            fprintf(f, "<section id=\"%s\">\n<h2>", r->id);
            rp_term(f, secs[i].title_en, secs[i].title_zh);
            fputs("</h2>\n", f);
            if (r->available == 1) {
                fputs(body[i], f);
            } else if (r->available == 0) {
                fputs("<p class=\"missing\">", f);
                note_html(f, r->note);
                fputs("</p>\n", f);
            } else {
                fputs("<p class=\"failed\">This section could not be made: ", f);
                rp_esc(f, r->note);
                fputs("</p>\n", f);
            }
            fputs("</section>\n", f);
        }
        fputs(check_script, f);
        fputs("</body>\n</html>\n", f);
        int bad = ferror(f);
        if (fclose(f) != 0 || bad) st = ol_error_set(err, OL_EIO, tmp, 0, 0, NULL, "write failed");
        else if (rename(tmp, path) != 0)
            st = ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot rename into place: %s", strerror(errno));
        if (st) remove(tmp);
        else snprintf(sum->index_path, sizeof sum->index_path, "%s", path);
    }
    for (size_t i = 0; i < OL_REPORT_MAX_SECTIONS; i++) free(body[i]);
    return st;
}
