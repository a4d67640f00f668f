/* orderlab/indicators.h — TODO(foundation): being written; see issue 2. */
#ifndef ORDERLAB_INDICATORS_H
#define ORDERLAB_INDICATORS_H
#include "orderlab/store.h"
#ifdef __cplusplus
extern "C" {
#endif
#ifdef __cplusplus
}
#endif
#endif
