/* Importer kind "events": users' own exit events, in the catalog's CSV
 * layout, checked by the same loader as the built-in catalog. */
#include "catalog_internal.h"
#include "import_internal.h"

static ol_status on_reject(void *ctx, const ol_error *rej)
{
    return ol_import_reject(ctx, rej);
}

static ol_status on_progress(void *ctx, const ol_csv *r)
{
    return ol_import_progress(ctx, r);
}

ol_status ol_import_events(ol_import_ctx *c)
{
    ol_csv *r = NULL;
    ol_status st = ol_csv_open(c->path, NULL, &r, c->err);
    if (st) return st;
    ol_catalog_load ld = {c->store, c->countries, "user", c->source_id, c->sum, on_reject, on_progress, c};
    st = ol_catalog_load_csv(&ld, r, c->err);
    ol_csv_close(r);
    return st;
}
