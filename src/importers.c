#include "import_internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Importer functions, in the order of kind_infos below. */
static const ol_import_fn kind_fns[] = {
    ol_import_wb, ol_import_pwt, ol_import_nmc, ol_import_unvotes_rollcalls,
    ol_import_unvotes_votes, ol_import_unvotes_issues, ol_import_idealpoints,
    ol_import_cow_igo, ol_import_cow_igo_state, ol_import_events,
    ol_import_wb_api, ol_import_maddison, ol_import_census_trade, ol_import_un_finance,
    ol_import_who, ol_import_imf, ol_import_sipri,
};
#define NKINDS (sizeof kind_fns / sizeof kind_fns[0])

/* Public view of the kind table: names and descriptions only. */
static const ol_import_kind_info kind_infos[] = {
#define K(n, d) {n, d},
    K("wb", "World Bank indicator CSV: long (Country Name,Country Code,Year,Value) or wide API_*.csv")
    K("pwt", "Penn World Table CSV (Latin-1): GDP, population and prices by country-year")
    K("nmc", "COW National Material Capabilities CSV: CINC and its six components")
    K("unvotes-rollcalls", "UN General Assembly roll calls (unvotes un_roll_calls.csv)")
    K("unvotes-votes", "UN General Assembly votes (unvotes un_votes.csv: ISO2 codes, yes/no/abstain)")
    K("unvotes-issues", "UN General Assembly issue tags (unvotes un_roll_call_issues.csv)")
    K("idealpoints", "published Bailey-Strezhnev-Voeten UNGA ideal points (2024 session or 2025 year layout)")
    K("cow-igo", "COW IGO v3 igo-year layout (igo_year_format3.csv) into institutions and memberships")
    K("cow-igo-state", "COW IGO v3 state-year layout (state_year_format3.csv) into memberships")
    K("events", "users' own exit events (the catalog's CSV layout, see docs/catalog.md)")
    K("wb-api", "World Bank API v2 JSON pages (format=json), as `orderlab fetch wdi` downloads them")
    K("maddison", "Maddison Project Database CSV (sheet Full data): GDP per capita, population, GDP in 2011 PPP $")
    K("census-trade", "US Census Bureau trade in goods by partner (country.csv): imports, exports, balance")
    K("un-finance", "UN-system revenue (CEB): contributions by donor, organisation, type and year")
    K("who", "WHO scale of assessments of one World Health Assembly resolution (WHAnn.tsv)")
    K("imf", "IMF voting power or quota shares: a snapshot (give its date with --vintage)")
    K("sipri", "SIPRI military expenditure: the .xlsx workbook (estimates flagged) or one sheet as CSV")
#undef K
    {NULL, NULL},
};

_Static_assert(sizeof kind_infos / sizeof kind_infos[0] == NKINDS + 1,
               "every import kind needs a function and a description");

const ol_import_kind_info *ol_import_kinds(void) { return kind_infos; }

void ol_import_options_init(ol_import_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->max_rejects = 0;
}

ol_status ol_import_reject(ol_import_ctx *c, const ol_error *rej)
{
    c->sum->rows_rejected++;
    if (c->sum->rows_rejected == 1) c->first_reject = *rej;
    if (c->opt->on_reject) c->opt->on_reject(c->opt->reject_ctx, rej);
    ol_status st = ol_store_source_reject(c->store, c->source_id, rej, c->err);
    if (st) return st;
    if (c->opt->max_rejects >= 0 && c->sum->rows_rejected > c->opt->max_rejects) {
        if (c->err) {
            *c->err = c->first_reject;
            if (c->sum->rows_rejected > 1 || c->opt->max_rejects > 0)
                ol_error_prefix(c->err, "more than %lld rejected records; first",
                                (long long)c->opt->max_rejects);
        }
        return rej->code ? rej->code : OL_EVALIDATE;
    }
    return OL_OK;
}

ol_status ol_import_progress(ol_import_ctx *c, const ol_csv *r)
{
    if (!c->opt->progress) return OL_OK;
    if (c->opt->progress(c->opt->progress_ctx, ol_csv_bytes_read(r), ol_csv_bytes_total(r)))
        return ol_error_set(c->err, OL_EINTERRUPTED, c->path, ol_csv_line(r), 0, NULL,
                            "import interrupted; nothing was written");
    return OL_OK;
}

ol_status ol_import_series(ol_import_ctx *c, const char *code, const char *name,
                           const char *unit, const char *description)
{
    sqlite3 *db = ol_store_db(c->store);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO series(code, name, unit, description) VALUES (?1, ?2, ?3, ?4) "
                           "ON CONFLICT(code) DO UPDATE SET name = excluded.name, unit = excluded.unit, "
                           "description = coalesce(excluded.description, series.description)",
                           -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(c->store, c->err, "registering a series");
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, unit, -1, SQLITE_STATIC);
    if (description) sqlite3_bind_text(st, 4, description, -1, SQLITE_STATIC);
    ol_status res = sqlite3_step(st) == SQLITE_DONE ? OL_OK : ol_store_fail(c->store, c->err, "registering a series");
    sqlite3_finalize(st);
    return res;
}

ol_status ol_import_pair_series(ol_import_ctx *c, const char *code, const char *name, const char *unit,
                                const char *description, const char *partner_kind)
{
    ol_status st = ol_import_series(c, code, name, unit, description);
    if (st) return st;
    sqlite3_stmt *u = NULL;
    if (sqlite3_prepare_v2(ol_store_db(c->store), "UPDATE series SET partner_kind = ?2 WHERE code = ?1", -1, &u,
                           NULL) != SQLITE_OK)
        return ol_store_fail(c->store, c->err, "registering a series");
    sqlite3_bind_text(u, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(u, 2, partner_kind, -1, SQLITE_STATIC);
    st = sqlite3_step(u) == SQLITE_DONE ? OL_OK : ol_store_fail(c->store, c->err, "registering a series");
    sqlite3_finalize(u);
    return st;
}

ol_status ol_import_rename_source(ol_import_ctx *c, const char *name)
{
    sqlite3 *db = ol_store_db(c->store);
    sqlite3_stmt *st = NULL;
    /* An earlier import under the new name and the same vintage is replaced. */
    if (sqlite3_prepare_v2(db, "DELETE FROM sources WHERE kind = ?1 AND name = ?2 AND vintage = ?3 AND id <> ?4",
                           -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(c->store, c->err, "renaming the source");
    sqlite3_bind_text(st, 1, c->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c->vintage, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, c->source_id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return ol_store_fail(c->store, c->err, "renaming the source");
    if (sqlite3_prepare_v2(db, "UPDATE sources SET name = ?1 WHERE id = ?2", -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(c->store, c->err, "renaming the source");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, c->source_id);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? OL_OK : ol_store_fail(c->store, c->err, "renaming the source");
}

ol_status ol_import_set_vintage(ol_import_ctx *c, const char *vintage)
{
    if (strcmp(vintage, c->vintage) == 0) return OL_OK;
    sqlite3 *db = ol_store_db(c->store);
    sqlite3_stmt *st = NULL;
    /* An earlier import of this dataset at the new vintage is replaced. */
    if (sqlite3_prepare_v2(db, "DELETE FROM sources WHERE kind = ?1 AND name = "
                           "(SELECT name FROM sources WHERE id = ?3) AND vintage = ?2 AND id <> ?3",
                           -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(c->store, c->err, "setting the vintage");
    sqlite3_bind_text(st, 1, c->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, vintage, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, c->source_id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return ol_store_fail(c->store, c->err, "setting the vintage");
    if (sqlite3_prepare_v2(db, "UPDATE sources SET vintage = ?1 WHERE id = ?2", -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(c->store, c->err, "setting the vintage");
    sqlite3_bind_text(st, 1, vintage, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, c->source_id);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return ol_store_fail(c->store, c->err, "setting the vintage");
    snprintf(c->vintage, sizeof c->vintage, "%s", vintage);
    return OL_OK;
}

static void default_vintage(const char *path, char *out, size_t n)
{
    struct stat sb;
    if (stat(path, &sb) == 0) {
        struct tm tm;
        gmtime_r(&sb.st_mtime, &tm);
        strftime(out, n, "%Y-%m-%d", &tm);
    } else {
        snprintf(out, n, "unknown");
    }
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

ol_status ol_import_file(ol_store *store, const char *kind, const char *path,
                         const ol_import_options *opt, ol_import_summary *sum,
                         int64_t *source_id, ol_error *err)
{
    return ol_import_file_as(store, kind, path, path, opt, sum, source_id, err);
}

ol_status ol_import_file_as(ol_store *store, const char *kind, const char *path,
                            const char *recorded_path, const ol_import_options *opt,
                            ol_import_summary *sum, int64_t *source_id, ol_error *err)
{
    ol_import_summary local_sum;
    if (!sum) sum = &local_sum;
    memset(sum, 0, sizeof *sum);
    ol_import_options defaults;
    if (!opt) { ol_import_options_init(&defaults); opt = &defaults; }

    ol_import_fn fn = NULL;
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(kind_infos[i].name, kind) == 0) fn = kind_fns[i];
    if (!fn) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "unknown import kind '%s'", kind);

    struct stat sb;
    if (stat(path, &sb) != 0)
        return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot open: no such file");

    ol_import_ctx c;
    memset(&c, 0, sizeof c);
    c.store = store;
    c.opt = opt;
    c.sum = sum;
    c.path = path;
    c.kind = kind;
    c.err = err;
    if (opt->vintage && opt->vintage[0]) snprintf(c.vintage, sizeof c.vintage, "%s", opt->vintage);
    else default_vintage(path, c.vintage, sizeof c.vintage);

    ol_status st = ol_country_index_new(store, &c.countries, err);
    if (st) return st;
    st = ol_store_begin(store, err);
    if (st) { ol_country_index_free(c.countries); return st; }
    ol_source_info info = {kind, base_name(recorded_path), c.vintage, recorded_path, NULL};
    st = ol_store_source_replace(store, &info, &c.source_id, err);
    if (!st) st = fn(&c);
    if (!st) st = ol_store_source_finish(store, c.source_id, sum, err);
    if (!st) st = ol_store_commit(store, err);
    if (st) ol_store_rollback(store);
    else if (source_id) *source_id = c.source_id;
    ol_country_index_free(c.countries);
    return st;
}
