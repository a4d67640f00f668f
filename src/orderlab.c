#include "orderlab/orderlab.h"

#include "orderlab/version.h"

const char *ol_version(void) { return OL_VERSION_STRING; }

ol_status ol_open(const char *path, int flags, ol_store **out, ol_error *err)
{
    ol_store *s = NULL;
    ol_status st = ol_store_open(path, flags, &s, err);
    if (st) return st;
    if (!(flags & OL_STORE_READONLY)) {
        /* The catalog references countries, so the crosswalk comes first. */
        st = ol_countries_ensure(s, err);
        if (!st) st = ol_catalog_ensure(s, err);
        if (st) { ol_store_close(s); return st; }
    }
    *out = s;
    return OL_OK;
}
