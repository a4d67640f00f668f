/*
 * orderlab/orderlab.h — the umbrella header of liborderlab.
 *
 * orderlab implements the institutional-realist account of exit diplomacy:
 * a store of real data (store.h), a country crosswalk (countries.h),
 * importers (importers.h), the exit-event catalog (catalog.h), indicators
 * such as the GDP ratio and its 2/3 threshold (indicators.h) and figures
 * (plot.h), the comparison of ideal-point estimates (ideal_compare.h) and Figure 4.2
 * (ideal_figure.h).
 * Link with `pkg-config --libs orderlab`.
 */
#ifndef ORDERLAB_ORDERLAB_H
#define ORDERLAB_ORDERLAB_H

#include "orderlab/common.h"
#include "orderlab/store.h"
#include "orderlab/countries.h"
#include "orderlab/catalog.h"
#include "orderlab/importers.h"
#include "orderlab/fetch.h"
#include "orderlab/indicators.h"
#include "orderlab/accounts.h"
#include "orderlab/ideal.h"
#include "orderlab/plot.h"
#include "orderlab/report.h"
#include "orderlab/scenario.h"
#include "orderlab/powerindex.h"
#include "orderlab/model.h"
#include "orderlab/simulate.h"
#include "orderlab/simout.h"
#include "orderlab/affinity.h"
#include "orderlab/ideal_compare.h"
#include "orderlab/ideal_figure.h"
#include "orderlab/design.h"
#include "orderlab/history.h"
#include "orderlab/sweep.h"
#include "orderlab/backtest.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library version, e.g. "0.1.0". */
OL_API const char *ol_version(void);

/*
 * Opens the store at path (see ol_store_open) and makes sure the built-in
 * tables — the country crosswalk and the exit-event catalog — are loaded at
 * this program's version (loading them into a new store on first use).
 * A read-only store is opened as it is.
 */
OL_API ol_status ol_open(const char *path, int flags, ol_store **out, ol_error *err);

#ifdef __cplusplus
}
#endif
#endif
