/* orderlab/importers.h — TODO(foundation): being written; see issue 2. */
#ifndef ORDERLAB_IMPORTERS_H
#define ORDERLAB_IMPORTERS_H
#include "orderlab/store.h"
#ifdef __cplusplus
extern "C" {
#endif
#ifdef __cplusplus
}
#endif
#endif
