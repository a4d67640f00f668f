#include "orderlab/countries.h"
/* TODO(foundation): stub until the crosswalk lands. */
ol_status ol_countries_ensure(ol_store *store, ol_error *err) { (void)store; (void)err; return OL_OK; }
