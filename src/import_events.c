/* Importer kind "events": users' own exit events, in the catalog's CSV
 * layout, checked by the same loader as the built-in catalog. */
#include "catalog_internal.h"
#include "import_internal.h"

#include <sqlite3.h>

static ol_status on_reject(void *ctx, const ol_error *rej)
{
    return ol_import_reject(ctx, rej);
}

static ol_status on_progress(void *ctx, const ol_csv *r)
{
    return ol_import_progress(ctx, r);
}

/* Event ids must be unique, so two vintages of one file cannot both be in
 * the store: a file imported again (same base name, any vintage) replaces
 * its earlier import, as an edited file would otherwise collide with
 * itself. */
static ol_status drop_earlier_vintages(ol_import_ctx *c)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ol_store_db(c->store),
                           "DELETE FROM sources WHERE kind = ?1 AND id <> ?2 AND "
                           "name = (SELECT name FROM sources WHERE id = ?2)",
                           -1, &st, NULL) != SQLITE_OK)
        return ol_store_fail(c->store, c->err, "replacing an earlier import of the file");
    sqlite3_bind_text(st, 1, c->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, c->source_id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? OL_OK : ol_store_fail(c->store, c->err, "replacing an earlier import of the file");
}

ol_status ol_import_events(ol_import_ctx *c)
{
    ol_status st = drop_earlier_vintages(c);
    if (st) return st;
    ol_csv *r = NULL;
    if ((st = ol_csv_open(c->path, NULL, &r, c->err))) return st;
    ol_catalog_load ld = {c->store, c->countries, "user", c->source_id, c->sum, on_reject, on_progress, c};
    st = ol_catalog_load_csv(&ld, r, c->err);
    ol_csv_close(r);
    return st;
}
