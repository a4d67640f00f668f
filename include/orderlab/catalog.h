/* orderlab/catalog.h — TODO(foundation): being written; see issue 2. */
#ifndef ORDERLAB_CATALOG_H
#define ORDERLAB_CATALOG_H
#include "orderlab/store.h"
#ifdef __cplusplus
extern "C" {
#endif
/* Loads the built-in exit-event catalog unless current; user rows are kept. */
OL_API ol_status ol_catalog_ensure(ol_store *store, ol_error *err);
#ifdef __cplusplus
}
#endif
#endif
