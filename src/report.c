#include "report_internal.h"
#include "orderlab/report.h"

#include "orderlab/catalog.h"
#include "orderlab/fetch.h"
#include "orderlab/plot.h"
#include "orderlab/version.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The paper's Figure 4.1 compares China and Japan with the United States. */
static const char *const default_rivals[] = {"CHN", "JPN"};

void ol_report_options_init(ol_report_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->hegemon = "USA";
    for (size_t i = 0; i < sizeof default_rivals / sizeof default_rivals[0]; i++)
        opt->rivals[opt->nrivals++] = default_rivals[i];
    opt->series = OL_SERIES_DEFAULT;
    opt->threshold = 2.0 / 3.0;
}

/* Opens out_dir/name for writing and records the path in the summary. */
static FILE *open_out(const ol_report_options *opt, ol_report_summary *sum, const char *name,
                      char *path, size_t n, ol_error *err)
{
    snprintf(path, n, "%s/%s", opt->out_dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        return NULL;
    }
    if (sum->nfiles < OL_REPORT_MAX_FILES) snprintf(sum->files[sum->nfiles++], OL_REPORT_PATH_MAX, "%s", path);
    return f;
}

static ol_status close_out(FILE *f, const char *path, ol_error *err)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "write failed");
    return OL_OK;
}

static ol_status series_present(ol_store *store, const char *series, const char *country, int *present, ol_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ol_store_db(store),
                           "SELECT count(*) FROM indicator_values WHERE series = ?1 AND country = ?2",
                           -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "looking for the GDP series");
    sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, country, -1, SQLITE_STATIC);
    ol_status res = OL_OK;
    if (sqlite3_step(st) == SQLITE_ROW) *present = sqlite3_column_int(st, 0) > 0;
    else res = ol_store_fail(store, err, "looking for the GDP series");
    sqlite3_finalize(st);
    return res;
}

static ol_status ensure_gdp(ol_store *store, const ol_report_options *opt, ol_report_summary *sum, ol_error *err)
{
    ol_country heg;
    ol_status st = ol_country_resolve(store, opt->hegemon, &heg, err);
    if (st) return st;
    int present = 0;
    if ((st = series_present(store, opt->series, heg.code, &present, err))) return st;
    if (present) return OL_OK;
    if (opt->gdp_file) {
        ol_import_options io;
        ol_import_options_init(&io);
        io.series = opt->series;
        io.vintage = opt->gdp_vintage;
        io.progress = opt->progress;
        io.progress_ctx = opt->progress_ctx;
        st = ol_import_file(store, "wb", opt->gdp_file, &io, NULL, NULL, err);
        if (!st) sum->gdp_loaded = 1;
        return st;
    }
    if (opt->allow_fetch) {
        ol_fetch_options fo;
        ol_fetch_options_init(&fo);
        if (opt->fetch_base_url) fo.base_url = opt->fetch_base_url;
        st = ol_fetch_wdi(store, opt->series, &fo, NULL, NULL, err);
        if (!st) sum->gdp_loaded = 2;
        return st;
    }
    return ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, NULL,
                        "the store has no %s values for %s: import a World Bank file "
                        "('orderlab import wb FILE', or 'orderlab run --gdp FILE') or download it "
                        "('orderlab fetch wdi %s')", opt->series, heg.code, opt->series);
}

static ol_status write_catalog(ol_store *store, const ol_report_options *opt, ol_report_summary *sum, ol_error *err)
{
    ol_event_list *list = NULL;
    ol_status st = ol_catalog_query(store, NULL, &list, err);
    if (st) return st;
    sum->events = list->n;
    for (size_t i = 0; i < list->n; i++) sum->events_in_scope += list->items[i].in_scope != 0;
    char path[OL_REPORT_PATH_MAX];
    FILE *f = open_out(opt, sum, "events.csv", path, sizeof path, err);
    if (!f) { ol_event_list_free(list); return OL_EIO; }
    st = ol_catalog_write_csv(list, f, err);
    ol_status cst = close_out(f, path, err);
    if (!st) st = cst;
    char *json = NULL;
    if (!st) st = ol_catalog_to_json(list, 1, &json, err);
    if (!st) {
        f = open_out(opt, sum, "events.json", path, sizeof path, err);
        if (!f) st = OL_EIO;
        else {
            fputs(json, f);
            fputc('\n', f);
            st = close_out(f, path, err);
        }
    }
    free(json);
    ol_event_list_free(list);
    return st;
}

static ol_status write_ratios(ol_store *store, const ol_report_options *opt, ol_report_summary *sum,
                              cJSON *jrivals, ol_error *err)
{
    char path[OL_REPORT_PATH_MAX], cpath[OL_REPORT_PATH_MAX];
    FILE *f = open_out(opt, sum, "gdp_ratio.csv", path, sizeof path, err);
    if (!f) return OL_EIO;
    FILE *fc = open_out(opt, sum, "crossings.csv", cpath, sizeof cpath, err);
    if (!fc) { fclose(f); return OL_EIO; }
    fprintf(f, "country,reference,series,year,value,reference_value,ratio,at_or_above\n");
    fprintf(fc, "country,reference,series,threshold,direction,year,prev_year,ratio_before,ratio_after,across_gap\n");
    ol_status st = OL_OK;
    for (size_t k = 0; k < opt->nrivals && !st; k++) {
        ol_ratio_options ro;
        ol_ratio_options_init(&ro);
        ro.numerator = opt->rivals[k];
        ro.denominator = opt->hegemon;
        ro.series = opt->series;
        ro.threshold = opt->threshold;
        ol_ratio_result *r = NULL;
        if ((st = ol_ratio_compute(store, &ro, &r, err))) break;
        for (size_t i = 0; i < r->n; i++)
            fprintf(f, "%s,%s,%s,%d,%.17g,%.17g,%.17g,%d\n", r->numerator.code, r->denominator.code, r->series,
                    r->points[i].year, r->points[i].numerator, r->points[i].denominator, r->points[i].ratio,
                    r->points[i].ratio >= r->threshold);
        for (size_t i = 0; i < r->ncrossings; i++) {
            const ol_crossing *c = &r->crossings[i];
            fprintf(fc, "%s,%s,%s,%.17g,%s,%d,%d,%.17g,%.17g,%d\n", r->numerator.code, r->denominator.code,
                    r->series, r->threshold, c->direction == OL_CROSS_UP ? "up" : "down", c->year,
                    c->prev_year, c->ratio_before, c->ratio_after, c->across_gap);
        }
        ol_report_rival *rv = &sum->rivals[sum->nrivals++];
        snprintf(rv->code, sizeof rv->code, "%s", r->numerator.code);
        snprintf(rv->name, sizeof rv->name, "%s", r->numerator.name_en);
        rv->first_year = r->first_year;
        rv->sustained_year = r->sustained_year;
        rv->ncrossings = r->ncrossings;
        rv->peak = r->peak;
        rv->peak_year = r->peak_year;
        rv->last_year = r->last_year;
        rv->last_ratio = r->last_ratio;
        if (k == 0) {
            snprintf(sum->series, sizeof sum->series, "%s", r->series);
            snprintf(sum->vintage, sizeof sum->vintage, "%s", r->denominator_source.vintage);
        }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "country", rv->code);
        cJSON_AddStringToObject(o, "name", rv->name);
        if (rv->first_year) cJSON_AddNumberToObject(o, "first_year_at_or_above", rv->first_year);
        else cJSON_AddNullToObject(o, "first_year_at_or_above");
        if (rv->sustained_year) cJSON_AddNumberToObject(o, "sustained_crossing", rv->sustained_year);
        else cJSON_AddNullToObject(o, "sustained_crossing");
        cJSON_AddNumberToObject(o, "crossings", (double)rv->ncrossings);
        cJSON_AddNumberToObject(o, "peak_ratio", rv->peak);
        cJSON_AddNumberToObject(o, "peak_year", rv->peak_year);
        cJSON_AddNumberToObject(o, "last_year", rv->last_year);
        cJSON_AddNumberToObject(o, "last_ratio", rv->last_ratio);
        cJSON_AddStringToObject(o, "source", r->numerator_source.kind);
        cJSON_AddStringToObject(o, "vintage", r->numerator_source.vintage);
        cJSON_AddItemToArray(jrivals, o);
        ol_ratio_result_free(r);
    }
    ol_status c1 = close_out(f, path, err);
    ol_status c2 = close_out(fc, cpath, err);
    return st ? st : c1 ? c1 : c2;
}

static ol_status write_all_states(ol_store *store, const ol_report_options *opt, ol_report_summary *sum, ol_error *err)
{
    ol_ratio_options ro;
    ol_ratio_options_init(&ro);
    ro.denominator = opt->hegemon;
    ro.series = opt->series;
    ro.threshold = opt->threshold;
    ol_ratio_all_result *all = NULL;
    ol_status st = ol_ratio_all(store, &ro, &all, err);
    if (st) return st;
    sum->states_reaching = all->n;
    char path[OL_REPORT_PATH_MAX];
    FILE *f = open_out(opt, sum, "threshold_states.csv", path, sizeof path, err);
    if (!f) { ol_ratio_all_result_free(all); return OL_EIO; }
    fprintf(f, "country,name,reference,series,threshold,first_year,sustained_year,crossings,peak_ratio,peak_year,last_year,last_ratio\n");
    for (size_t i = 0; i < all->n; i++) {
        const ol_ratio_all_row *r = &all->rows[i];
        fprintf(f, "%s,\"%s\",%s,%s,%.17g,%d,", r->country.code, r->country.name_en, all->denominator.code,
                all->series, all->threshold, r->first_year);
        if (r->sustained_year) fprintf(f, "%d", r->sustained_year);
        fprintf(f, ",%zu,%.17g,%d,%d,%.17g\n", r->ncrossings, r->peak, r->peak_year, r->last_year, r->last_ratio);
    }
    ol_ratio_all_result_free(all);
    return close_out(f, path, err);
}

static ol_status write_figure(ol_store *store, const ol_report_options *opt, ol_report_summary *sum, ol_error *err)
{
    const char *countries[OL_REPORT_MAX_RIVALS + 1];
    countries[0] = opt->hegemon;
    for (size_t i = 0; i < opt->nrivals; i++) countries[i + 1] = opt->rivals[i];
    ol_gdp_figure_options fo;
    ol_gdp_figure_options_init(&fo);
    fo.countries = countries;
    fo.ncountries = opt->nrivals + 1;
    fo.series = opt->series;
    fo.threshold = opt->threshold;
    ol_gdp_figure *fig = NULL;
    ol_status st = ol_gdp_figure_new(store, &fo, &fig, err);
    if (st) return st;
    for (int fmt = 0; fmt < OL_PLOT_FORMAT_COUNT && !st; fmt++) {
        char path[OL_REPORT_PATH_MAX];
        snprintf(path, sizeof path, "%s/fig4_1_gdp.%s", opt->out_dir, ol_plot_format_ext((ol_plot_format)fmt));
        st = ol_plot_gdp_figure(ol_gdp_figure_data(fig), path, (ol_plot_format)fmt, err);
        if (!st && sum->nfiles < OL_REPORT_MAX_FILES) snprintf(sum->files[sum->nfiles++], OL_REPORT_PATH_MAX, "%s", path);
    }
    ol_gdp_figure_free(fig);
    return st;
}

ol_status ol_report_run(ol_store *store, const ol_report_options *opt, ol_report_summary *sum, ol_error *err)
{
    memset(sum, 0, sizeof *sum);
    if (!opt || !opt->out_dir || !opt->out_dir[0])
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "the main job needs an output directory");
    if (opt->nrivals == 0 || opt->nrivals > OL_REPORT_MAX_RIVALS)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "between 1 and %d rising powers", OL_REPORT_MAX_RIVALS);
    sum->threshold = opt->threshold;
    ol_status st = rp_mkdir(opt->out_dir, err);
    if (!st) st = ensure_gdp(store, opt, sum, err);
    if (!st) st = write_catalog(store, opt, sum, err);
    cJSON *root = cJSON_CreateObject();
    cJSON *jrivals = cJSON_AddArrayToObject(root, "rivals");
    if (!st) st = write_ratios(store, opt, sum, jrivals, err);
    if (!st) st = write_all_states(store, opt, sum, err);
    if (!st) st = write_figure(store, opt, sum, err);
    if (!st) {
        /* Everything needed to rerun the job and to know what it used. */
        cJSON_AddStringToObject(root, "program", "orderlab " OL_VERSION_STRING);
        cJSON_AddStringToObject(root, "store", ol_store_path(store));
        cJSON_AddStringToObject(root, "hegemon", opt->hegemon);
        cJSON_AddStringToObject(root, "series", sum->series);
        cJSON_AddStringToObject(root, "vintage", sum->vintage);
        cJSON_AddNumberToObject(root, "threshold", opt->threshold);
        cJSON_AddNumberToObject(root, "events", (double)sum->events);
        cJSON_AddNumberToObject(root, "events_in_paper_scope", (double)sum->events_in_scope);
        cJSON_AddNumberToObject(root, "states_reaching_threshold", (double)sum->states_reaching);
        char path[OL_REPORT_PATH_MAX];
        FILE *f = open_out(opt, sum, "summary.json", path, sizeof path, err);
        if (!f) st = OL_EIO;
        else {
            cJSON *files = cJSON_AddArrayToObject(root, "files");
            for (size_t i = 0; i + 1 < sum->nfiles; i++) cJSON_AddItemToArray(files, cJSON_CreateString(sum->files[i]));
            char *txt = cJSON_Print(root);
            if (txt) { fputs(txt, f); fputc('\n', f); }
            free(txt);
            st = close_out(f, path, err);
        }
    }
    cJSON_Delete(root);
    return st;
}
