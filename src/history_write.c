/* history_write.c — the outputs of the threshold study (orderlab/history.h):
 * the CSV tables, summary.json and the event-time figures. */
#include "orderlab/history.h"

#include "util/text.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


const char *ol_history_row_label(const ol_history_event_row *r, char *buf, size_t n)
{
    switch (r->kind) {
    case OL_HISTORY_ROW_PRE: return "pre";
    case OL_HISTORY_ROW_POST: return "post";
    case OL_HISTORY_ROW_BASELINE: return "baseline";
    default: snprintf(buf, n, "%d", r->k); return buf;
    }
}

static void write_events_csv(const ol_history_result *r, FILE *f)
{
    fprintf(f, "series,k,events,leader_exits,leader_exposure,leader_rate,leader_lo,leader_hi,"
               "rate_ratio,rr_lo,rr_hi,others_exits,others_exposure,others_rate,others_lo,others_hi\n");
    for (size_t i = 0; i < r->nrows; i++) {
        const ol_history_event_row *w = &r->rows[i];
        char kb[16];
        fprintf(f, "%s,%s,%d,%ld,%.0f,%.6g,%.6g,%.6g,", w->series, ol_history_row_label(w, kb, sizeof kb), w->nevents,
                w->leader.count, w->leader.exposure, w->leader.rate, w->leader.lo, w->leader.hi);
        if (w->has_rr) fprintf(f, "%.6g", w->rr);
        fputc(',', f);
        if (w->has_rr_ci) fprintf(f, "%.6g,%.6g", w->rr_lo, w->rr_hi);
        else fputc(',', f);
        fprintf(f, ",%ld,%.0f,%.6g,%.6g,%.6g\n", w->others.count, w->others.exposure, w->others.rate, w->others.lo,
                w->others.hi);
    }
}

static void write_crossings_csv(const ol_history_result *r, FILE *f)
{
    fprintf(f, "series,leader,challenger,name,year,prev_year,ratio_before,ratio_after,across_gap,nth,event,in_outcome\n");
    for (size_t i = 0; i < r->ncrossings; i++) {
        const ol_history_crossing *x = &r->crossings[i];
        fprintf(f, "%s,%s,%s,", x->series, x->leader, x->challenger);
        ol_csv_put(f, x->challenger_name);
        fprintf(f, ",%d,%d,%.6f,%.6f,%d,%d,%d,%d\n", x->year, x->prev_year, x->ratio_before, x->ratio_after,
                x->across_gap, x->nth, x->used, x->in_outcome);
    }
}

static void write_models_csv(const ol_history_result *r, FILE *f)
{
    fprintf(f, "series,status,note,n,from,until,exits,post_years,post_exits,b0,se0,b_post,se_post,b_trend,se_trend,"
               "rate_ratio,rr_lo,rr_hi,rr_qlo,rr_qhi,deviance,null_deviance,pearson,dispersion,iterations\n");
    for (size_t i = 0; i < r->nmodels; i++) {
        const ol_history_model *m = &r->models[i];
        fprintf(f, "%s,%s,", m->series, m->status ? "not-estimated" : "ok");
        ol_csv_put(f, m->note);
        fprintf(f, ",%zu,%d,%d,%ld,%zu,%ld,", m->n, m->from, m->until, m->exits, m->post_years, m->post_exits);
        if (m->status) { fprintf(f, ",,,,,,,,,,,,,,,\n"); continue; }
        const ol_poisson_fit *p = &m->fit;
        fprintf(f, "%.6g,%.6g,%.6g,%.6g,", p->coef[0], p->se[0], p->coef[1], p->se[1]);
        if (m->trend) fprintf(f, "%.6g,%.6g,", p->coef[2], p->se[2]);
        else fprintf(f, ",,");
        fprintf(f, "%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%d\n", m->rr, m->rr_lo, m->rr_hi, m->rr_qlo, m->rr_qhi,
                p->deviance, p->null_deviance, p->pearson, p->dispersion, p->iterations);
    }
}

static void write_japan_csv(const ol_history_result *r, FILE *f)
{
    fprintf(f, "series,year,japan,usa,ratio\n");
    for (size_t i = 0; i < r->njapan; i++)
        for (size_t k = 0; k < r->japan[i].n; k++) {
            const ol_ratio_point *p = &r->japan[i].points[k];
            fprintf(f, "%s,%d,%.17g,%.17g,%.6f\n", r->japan[i].series, p->year, p->numerator, p->denominator, p->ratio);
        }
}

static cJSON *summary_json(const ol_history_result *r)
{
    cJSON *o = cJSON_CreateObject();
    char th[32];
    ol_ratio_format_threshold(r->threshold, th, sizeof th);
    cJSON_AddStringToObject(o, "threshold", th);
    cJSON_AddNumberToObject(o, "window", r->window);
    cJSON_AddNumberToObject(o, "level", r->level);
    cJSON *ig = cJSON_AddObjectToObject(o, "igo_source");
    cJSON_AddStringToObject(ig, "kind", r->igo_source.kind);
    cJSON_AddStringToObject(ig, "name", r->igo_source.name);
    cJSON_AddNumberToObject(ig, "first_year", r->igo_first);
    cJSON_AddNumberToObject(ig, "last_year", r->igo_last);
    if (r->catalog_last) cJSON_AddNumberToObject(o, "catalog_last_year", r->catalog_last);
    cJSON *ms = cJSON_AddArrayToObject(o, "measures");
    for (size_t i = 0; i < r->nmeasures; i++) {
        const ol_history_measure *m = &r->measures[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "series", m->series);
        cJSON_AddBoolToObject(x, "found", m->status == OL_OK);
        if (!m->status) {
            cJSON *rg = cJSON_AddArrayToObject(x, "reigns");
            for (size_t g = 0; g < m->nreigns; g++) {
                cJSON *y = cJSON_CreateObject();
                cJSON_AddStringToObject(y, "leader", m->reigns[g].leader.code);
                cJSON_AddNumberToObject(y, "from", m->reigns[g].from);
                cJSON_AddNumberToObject(y, "to", m->reigns[g].to);
                cJSON_AddItemToArray(rg, y);
            }
            cJSON_AddNumberToObject(x, "crossings", (double)m->ncrossings);
            cJSON_AddNumberToObject(x, "events", (double)m->nevents);
            cJSON_AddNumberToObject(x, "leader_cow_exits", (double)m->cow_exits);
            cJSON_AddNumberToObject(x, "leader_dissolutions", (double)m->dissolutions);
        }
        for (size_t k = 0; k < r->nmodels; k++) {
            const ol_history_model *md = &r->models[k];
            if (strcmp(md->series, m->series) != 0) continue;
            cJSON *y = cJSON_AddObjectToObject(x, "model");
            cJSON_AddBoolToObject(y, "estimated", md->status == OL_OK);
            if (md->note[0]) cJSON_AddStringToObject(y, "note", md->note);
            cJSON_AddNumberToObject(y, "n", (double)md->n);
            cJSON_AddNumberToObject(y, "exits", (double)md->exits);
            cJSON_AddNumberToObject(y, "post_years", (double)md->post_years);
            cJSON_AddNumberToObject(y, "post_exits", (double)md->post_exits);
            if (!md->status) {
                cJSON_AddNumberToObject(y, "rate_ratio", md->rr);
                cJSON_AddNumberToObject(y, "rr_lo", md->rr_lo);
                cJSON_AddNumberToObject(y, "rr_hi", md->rr_hi);
                cJSON_AddNumberToObject(y, "rr_quasi_lo", md->rr_qlo);
                cJSON_AddNumberToObject(y, "rr_quasi_hi", md->rr_qhi);
                cJSON_AddNumberToObject(y, "deviance", md->fit.deviance);
                cJSON_AddNumberToObject(y, "null_deviance", md->fit.null_deviance);
                cJSON_AddNumberToObject(y, "dispersion", md->fit.dispersion);
            }
        }
        for (size_t k = 0; k < r->njapan; k++) {
            const ol_history_japan *j = &r->japan[k];
            if (strcmp(j->series, m->series) != 0 || j->status) continue;
            cJSON *y = cJSON_AddObjectToObject(x, "us_japan");
            cJSON_AddNumberToObject(y, "first_data_year", j->first_data_year);
            cJSON_AddNumberToObject(y, "last_year", j->last_year);
            cJSON_AddNumberToObject(y, "peak", j->peak);
            cJSON_AddNumberToObject(y, "peak_year", j->peak_year);
            if (j->first_year) cJSON_AddNumberToObject(y, "first_year_at_threshold", j->first_year);
            else cJSON_AddNullToObject(y, "first_year_at_threshold");
            if (j->claim_max_year) {
                cJSON_AddNumberToObject(y, "claim_decade_max", j->claim_max);
                cJSON_AddNumberToObject(y, "claim_decade_max_year", j->claim_max_year);
            }
        }
        cJSON_AddItemToArray(ms, x);
    }
    return o;
}

static const char *const table_files[OL_HISTORY_TABLE_COUNT] = {
    "history_events.csv", "history_crossings.csv", "history_model.csv", "history_us_japan.csv"};

const char *ol_history_table_file(ol_history_table t)
{
    return (unsigned)t < OL_HISTORY_TABLE_COUNT ? table_files[t] : NULL;
}

ol_status ol_history_write_csv(const ol_history_result *r, ol_history_table t, FILE *f, ol_error *err)
{
    switch (t) {
    case OL_HISTORY_TABLE_EVENTS: write_events_csv(r, f); break;
    case OL_HISTORY_TABLE_CROSSINGS: write_crossings_csv(r, f); break;
    case OL_HISTORY_TABLE_MODEL: write_models_csv(r, f); break;
    case OL_HISTORY_TABLE_US_JAPAN: write_japan_csv(r, f); break;
    default: return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_history_write_csv: no table %d", (int)t);
    }
    return ferror(f) ? ol_error_set(err, OL_EIO, NULL, 0, 0, NULL, "write failed") : OL_OK;
}

char *ol_history_summary_json(const ol_history_result *r)
{
    cJSON *o = summary_json(r);
    if (!o) return NULL;
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    if (!text) return NULL;
    /* cJSON's allocator is malloc here; hand back a plain malloc'ed copy */
    size_t n = strlen(text);
    char *out = malloc(n + 2);
    if (out) { memcpy(out, text, n); out[n] = '\n'; out[n + 1] = '\0'; }
    cJSON_free(text);
    return out;
}

static ol_status write_text(const char *dir, const char *name, const ol_history_result *r, int table, ol_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
    ol_status st = OL_OK;
    if (table >= 0) st = ol_history_write_csv(r, (ol_history_table)table, f, err);
    else {
        char *js = ol_history_summary_json(r);
        if (!js) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        else fputs(js, f);
        free(js);
    }
    if (fclose(f) != 0 && !st) st = ol_error_set(err, OL_EIO, path, 0, 0, NULL, "write failed");
    if (st && err && !err->file[0]) snprintf(err->file, sizeof err->file, "%s", path);
    return st;
}

ol_status ol_history_write_dir(const ol_history_result *r, const char *dir, size_t *nfigures, ol_error *err)
{
    struct stat sb;
    if (nfigures) *nfigures = 0;
    if (stat(dir, &sb) != 0 && mkdir(dir, 0777) != 0)
        return ol_error_set(err, OL_EIO, dir, 0, 0, NULL, "cannot create the output directory: %s", strerror(errno));
    if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode)) return ol_error_set(err, OL_EIO, dir, 0, 0, NULL, "not a directory");
    ol_status st = OL_OK;
    for (int t = 0; !st && t < OL_HISTORY_TABLE_COUNT; t++) st = write_text(dir, table_files[t], r, t, err);
    if (!st) st = write_text(dir, "history_summary.json", r, -1, err);
    for (size_t m = 0; !st && m < r->nmeasures; m++) {
        if (r->measures[m].status) continue;
        for (int f = 0; f < OL_PLOT_FORMAT_COUNT; f++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/history_event_time_%s.%s", dir, r->measures[m].series,
                     ol_plot_format_ext((ol_plot_format)f));
            ol_error e;
            st = ol_history_figure_write(r, r->measures[m].series, path, (ol_plot_format)f, &e);
            if (st == OL_ENOTFOUND) { st = OL_OK; break; } /* no event with IGO data on this measure */
            if (st) { if (err) *err = e; break; }
            if (f == 0 && nfigures) (*nfigures)++;
        }
    }
    return st;
}
