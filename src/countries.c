#include "orderlab/countries.h"
/* TODO(foundation): stubs until the crosswalk lands. */
#include <stdlib.h>
struct ol_country_index { int unused; };
ol_status ol_countries_ensure(ol_store *store, ol_error *err) { (void)store; (void)err; return OL_OK; }
ol_status ol_country_index_new(ol_store *store, ol_country_index **out, ol_error *err)
{ (void)store; (void)err; *out = calloc(1, sizeof **out); return *out ? OL_OK : OL_ENOMEM; }
void ol_country_index_free(ol_country_index *idx) { free(idx); }
