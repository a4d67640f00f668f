#include "import_internal.h"

/* TODO(foundation): stub until this importer lands. */
ol_status ol_import_wb(ol_import_ctx *c)
{
    return ol_error_set(c->err, OL_EUNSUPPORTED, c->path, 0, 0, NULL, "importer '%s' is not implemented yet", c->kind);
}

