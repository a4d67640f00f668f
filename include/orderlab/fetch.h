/*
 * orderlab/fetch.h — downloading World Bank indicators (WDI) and importing
 * them into the store.
 *
 * ol_fetch_wdi() asks the World Bank API v2 for one indicator,
 *     GET {base}/v2/country/{countries}/indicator/{code}?format=json&per_page=N&page=P
 * page by page until meta.pages, saves the responses to a file (a temporary
 * one unless save_path is given), and imports that file as kind "wb-api"
 * (importers.h) in ONE transaction: source kind "wb-api", name = the
 * indicator, vintage = the API's meta.lastupdated.  Country codes are the
 * records' countryiso3code, resolved as World Bank codes by the crosswalk;
 * null values are documented skips.  Nothing is written to the store unless
 * every page arrived and the import succeeded.
 *
 * Memory is bounded by one response page (max_page_bytes), never the whole
 * download.  The only network access is to base_url; the only files are the
 * temporary file (in $TMPDIR, else /tmp; removed afterwards) or save_path.
 *
 * Errors: a refused or timed-out connection, an HTTP status other than 200,
 * a response that is not the API's JSON, or the API's error object
 * ([{"message":[{"id":"120","key":"Invalid value",...}]}]) fail with
 * OL_ENETWORK and a message naming the URL and the cause; bad arguments
 * (indicator or country codes with characters the API does not use, years
 * out of order) with OL_EINVAL; an empty answer (the API's
 * [{"pages":0,...},null]: no data for these countries and years) with
 * OL_ENOTFOUND; a progress callback asking to stop with OL_EINTERRUPTED.
 * Import errors are those of ol_import_file().
 *
 * Ownership: the options struct and strings are the caller's.
 */
#ifndef ORDERLAB_FETCH_H
#define ORDERLAB_FETCH_H

#include "orderlab/importers.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The World Bank API's address. */
#define OL_FETCH_WB_BASE_URL "https://api.worldbank.org"

/* Defaults of ol_fetch_options (ol_fetch_options_init). */
enum {
    OL_FETCH_PER_PAGE = 20000,            /* records per request (the API allows more; 20000
                                             keeps a page near 8 MB) */
    OL_FETCH_CONNECT_TIMEOUT = 20,        /* seconds to establish a connection */
    OL_FETCH_TIMEOUT = 300,               /* seconds for one whole request */
    OL_FETCH_MAX_PAGE_BYTES = 64 << 20,   /* a larger response is refused */
};

typedef struct ol_fetch_options {
    const char *base_url;       /* NULL: OL_FETCH_WB_BASE_URL */
    const char *countries;      /* NULL or "all": every economy and aggregate; else API codes
                                   separated by ';' (e.g. "USA;CHN") */
    int from_year, until_year;  /* 0: unrestricted; else the API's date=FROM:UNTIL */
    int per_page;               /* records per request */
    long connect_timeout;       /* seconds */
    long timeout;               /* seconds per request */
    long max_page_bytes;
    const char *save_path;      /* NULL: a temporary file, removed; else keep the raw
                                   responses here (re-import with kind "wb-api") */
    const char *vintage;        /* NULL: the API's lastupdated */
    int64_t max_rejects;        /* as in ol_import_options */
    ol_progress_fn progress;    /* bytes downloaded (total unknown: 0), then import progress */
    void *progress_ctx;
    ol_reject_fn on_reject;
    void *reject_ctx;
} ol_fetch_options;

/* Fills *opt with the defaults above (strict: max_rejects 0). */
OL_API void ol_fetch_options_init(ol_fetch_options *opt);

/*
 * Downloads one indicator (e.g. "NY.GDP.MKTP.CD") and imports it.  sum (may
 * be NULL) gets the import counts; *source_id (may be NULL) the new source.
 * The store is unchanged on any failure.
 */
OL_API ol_status ol_fetch_wdi(ol_store *store, const char *indicator, const ol_fetch_options *opt,
                              ol_import_summary *sum, int64_t *source_id, ol_error *err);

#ifdef __cplusplus
}
#endif
#endif
