/*
 * orderlab/accounts.h — the real magnitudes behind the model's accounts,
 * computed from imported data: the spillover proxy (溢出效应: the
 * challenger's goods surplus with the hegemon) and the consumption proxies
 * (消耗效应: the hegemon's assessed contributions to international
 * organisations, and its military burden against its allies').
 *
 *   balance        census.* pair values (orderlab import census-trade): the
 *                  partner's surplus with the reporter by year, as a share of
 *                  the reporter's GDP (NY.GDP.MKTP.CD or another series) and
 *                  of the reporter's total deficit (partner WLD).
 *   contributions  ceb.* pair values (orderlab import un-finance): a donor's
 *                  contributions of one revenue type to each organisation by
 *                  year and its share of what all governments paid.
 *   burden         sipri.* values (orderlab import sipri): the hegemon's
 *                  military expenditure as a share of GDP against its allies'
 *                  (NATO members in each year, from the built-in model facts,
 *                  or a list), weighted by their spending.
 *
 * Values come from one source per series: the named vintage, else the most
 * recently imported source of the series that has the country (as in
 * indicators.h).  Flags stored with the values travel with them (a partial
 * year of the Census file, SIPRI's estimates).
 *
 * Ownership: results belong to the caller (free with their _free).  Errors:
 * OL_ENOTFOUND when a series or a country's values are missing (field
 * "series" or "country"), OL_EAMBIGUOUS from country resolution, OL_EINVAL
 * for bad options, OL_ESTORE, OL_ENOMEM.
 */
#ifndef ORDERLAB_ACCOUNTS_H
#define ORDERLAB_ACCOUNTS_H

#include "orderlab/countries.h"
#include "orderlab/indicators.h"
#include "orderlab/store.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { OL_FLAG_TEXT_MAX = 96, OL_ENTITY_MAX = 32 };

/* ------------------------------------------------------------ balance */

typedef struct ol_balance_options {
    const char *partner;      /* country query: whose surplus, e.g. "CHN" */
    const char *reporter;     /* country query: the hegemon, default "USA" (the Census data are its own) */
    const char *gdp_series;   /* the reporter's GDP, default OL_SERIES_DEFAULT (current US$) */
    int from_year, until_year;/* 0 = no bound */
} ol_balance_options;

OL_API void ol_balance_options_init(ol_balance_options *opt);

typedef struct ol_balance_year {
    int year;
    double imports, exports;  /* the reporter's, with the partner, current US$ */
    double surplus;           /* the partner's surplus = imports - exports (negative: a deficit) */
    int has_gdp;
    double gdp;               /* the reporter's GDP in current US$ */
    double share_of_gdp;      /* surplus / gdp, when has_gdp */
    int has_total;
    double total_surplus;     /* all partners' surplus with the reporter (partner WLD) */
    double share_of_total;    /* surplus / total_surplus, when has_total */
    int partial;              /* 1 when the source covers only part of the year */
    char flag[OL_FLAG_TEXT_MAX];
} ol_balance_year;

typedef struct ol_balance_result {
    ol_country partner, reporter;
    ol_series_source trade_source, gdp_source;  /* gdp_source.id 0 when no GDP was found */
    char gdp_series[OL_SERIES_CODE_MAX];
    size_t n;
    ol_balance_year *years;   /* ascending */
    size_t npartial;
} ol_balance_result;

/* Reads census.imports/exports of (reporter, partner) and the reporter's
 * GDP.  Money is converted to US$ from the stored units ("million current
 * US$").  A year without GDP has has_gdp 0 (not an error). */
OL_API ol_status ol_balance_compute(ol_store *store, const ol_balance_options *opt, ol_balance_result **out,
                                    ol_error *err);
OL_API void ol_balance_result_free(ol_balance_result *r);

/* ------------------------------------------------------------ contributions */

typedef struct ol_contrib_options {
    const char *donor;            /* country query, e.g. "USA" */
    const char *type;             /* assessed (default), voluntary_core, voluntary_earmarked, other */
    const char *prefix;           /* series prefix: "ceb.donor" (default, 2013-) or "ceb.govdonor" */
    const char *const *entities;  /* organisations (CEB codes), or NULL: every one the donor paid */
    size_t nentities;
    int from_year, until_year;
} ol_contrib_options;

OL_API void ol_contrib_options_init(ol_contrib_options *opt);

typedef struct ol_contrib_row {
    int year;
    char entity[OL_ENTITY_MAX];
    double amount;            /* the donor's, current US$ */
    double total;             /* all governments' in the same source */
    double share;             /* amount / total (0 when total is 0) */
} ol_contrib_row;

typedef struct ol_contrib_result {
    ol_country donor;
    char series[OL_SERIES_CODE_MAX];
    char unit[OL_SOURCE_TEXT_MAX];
    ol_series_source source;
    size_t n;
    ol_contrib_row *rows;     /* by year, then entity */
    /* the WHO scale of assessments for the donor (who.scale, percent), when imported */
    size_t nscale;
    int *scale_years;
    double *scale_values;
} ol_contrib_result;

OL_API ol_status ol_contrib_compute(ol_store *store, const ol_contrib_options *opt, ol_contrib_result **out,
                                    ol_error *err);
OL_API void ol_contrib_result_free(ol_contrib_result *r);

/* ------------------------------------------------------------ burden */

typedef struct ol_burden_options {
    const char *hegemon;          /* country query, default "USA" */
    const char *const *allies;    /* country queries, or NULL: NATO's members of each year */
    size_t nallies;
    int from_year, until_year;
} ol_burden_options;

OL_API void ol_burden_options_init(ol_burden_options *opt);

typedef struct ol_burden_year {
    int year;
    double hegemon_share;         /* sipri.milex_gdp of the hegemon (fraction of GDP) */
    double hegemon_milex;         /* sipri.milex_current, current US$ (0 when missing) */
    int allies_n;                 /* allies with both spending and share that year */
    int allies_members;           /* allies that year (members, for NATO) */
    double allies_milex;          /* their spending, current US$ */
    double allies_share;          /* weighted: sum milex / sum (milex / share) */
    double allies_mean_share;     /* unweighted mean of their shares */
    double ratio;                 /* hegemon_share / allies_share */
    double hegemon_part;          /* hegemon_milex / (hegemon_milex + allies_milex) */
    int estimates;                /* values of the year flagged estimate or uncertain */
} ol_burden_year;

typedef struct ol_burden_result {
    ol_country hegemon;
    int nato;                     /* 1 when the allies are NATO's members by year */
    ol_series_source share_source, milex_source;
    size_t n;
    ol_burden_year *years;        /* years in which the hegemon has a share and some ally both values */
} ol_burden_result;

OL_API ol_status ol_burden_compute(ol_store *store, const ol_burden_options *opt, ol_burden_result **out,
                                   ol_error *err);
OL_API void ol_burden_result_free(ol_burden_result *r);

#ifdef __cplusplus
}
#endif
#endif
