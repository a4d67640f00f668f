#include "orderlab/catalog.h"
/* TODO(foundation): stub until the catalog lands. */
ol_status ol_catalog_ensure(ol_store *store, ol_error *err) { (void)store; (void)err; return OL_OK; }
