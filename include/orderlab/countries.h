/* orderlab/countries.h — TODO(foundation): being written; see issue 2. */
#ifndef ORDERLAB_COUNTRIES_H
#define ORDERLAB_COUNTRIES_H
#include "orderlab/store.h"
#ifdef __cplusplus
extern "C" {
#endif
/* Loads the built-in crosswalk into the store unless it is already there at
 * this program's version; user overrides are kept and re-applied. */
OL_API ol_status ol_countries_ensure(ol_store *store, ol_error *err);
#ifdef __cplusplus
}
#endif
#endif
