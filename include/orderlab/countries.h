/*
 * orderlab/countries.h — the country crosswalk.
 *
 * Every country-level row in the store uses an orderlab code (countries.code):
 * the ISO 3166-1 alpha-3 code where one exists, the ISO 3166-3 code of a
 * former state (SUN, DDR, YUG, CSK, YMD...), or a documented project code.
 * The crosswalk maps these to ISO2, ISO numeric, COW numeric and letter codes
 * and World Bank codes, with English and Chinese names, the kind of entity
 * (state, former state, territory, aggregate) and the years of COW state-system
 * membership.  It is built-in (data/countries.csv, data/country_spells.csv;
 * sources in docs/countries.md) and users can correct or extend it with an
 * override table (country_overrides), which survives reloads.
 *
 * Ownership: ol_country values are plain structs copied to the caller.  An
 * ol_country_index is an in-memory snapshot of the crosswalk for fast lookups
 * in importers; it owns its memory, is read-only after creation, and may be
 * shared by threads.
 */
#ifndef ORDERLAB_COUNTRIES_H
#define ORDERLAB_COUNTRIES_H

#include "orderlab/store.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { OL_CODE_MAX = 8, OL_NAME_MAX = 128 };

typedef struct ol_country {
    char code[OL_CODE_MAX];     /* orderlab code, e.g. "DEU", "SUN" */
    char iso3[OL_CODE_MAX];     /* "" when none */
    char iso2[OL_CODE_MAX];
    int iso3n;                  /* ISO 3166 numeric, 0 when none */
    int cown;                   /* COW state number, 0 when none */
    char cowc[OL_CODE_MAX];     /* COW letter code */
    char wb[OL_CODE_MAX];       /* World Bank code */
    char name_en[OL_NAME_MAX];
    char name_zh[OL_NAME_MAX];
    char kind[16];              /* state | former | territory | aggregate | other */
    int start_year;             /* first year as a state, 0 when unknown */
    int end_year;               /* last year, 0 when it still exists */
    char successor[OL_CODE_MAX];/* for former states, "" otherwise */
    int overridden;             /* 1 when a user override applies */
} ol_country;

/* Code systems a lookup can be restricted to. */
typedef enum ol_code_system {
    OL_CODES_ANY = 0,  /* try every system, then names */
    OL_CODES_ORDERLAB, /* countries.code */
    OL_CODES_ISO3,
    OL_CODES_ISO2,
    OL_CODES_ISO3N,
    OL_CODES_COWN,
    OL_CODES_COWC,
    OL_CODES_WB,
    OL_CODES_NAME,     /* English or Chinese name or alias, case- and accent-insensitive */
    OL_CODES_CENSUS    /* US Census Bureau partner-country code of its trade statistics ("5700"
                          China), leading zeros ignored; only when asked for by name: OL_CODES_ANY
                          and ol_country_resolve do not try it, so that a four-digit number is
                          never taken for a country by accident */
} ol_code_system;

/* Loads the built-in crosswalk into the store unless it is already there at
 * this program's version, then re-applies user overrides.  One transaction
 * (joins the caller's if one is open). */
OL_API ol_status ol_countries_ensure(ol_store *store, ol_error *err);

/*
 * Resolves query — any code in any system (ISO3, ISO2, ISO numeric, COW
 * numeric or letter, World Bank, orderlab) or any English/Chinese name or
 * alias — to one country.  A query that matches several entities (e.g. a
 * name shared by a state and its predecessor, or "Congo") fails with
 * OL_EAMBIGUOUS and a message listing every candidate as "CODE (name)";
 * no match fails with OL_ENOTFOUND.  Exact codes win over names.
 */
OL_API ol_status ol_country_resolve(ol_store *store, const char *query, ol_country *out, ol_error *err);

/* Reads one country by orderlab code. */
OL_API ol_status ol_country_get(ol_store *store, const char *code, ol_country *out, ol_error *err);

/* ------------------------------------------------------------ fast index */
typedef struct ol_country_index ol_country_index;

/* Snapshot of the crosswalk (with overrides) for lookups in O(1) average. */
OL_API ol_status ol_country_index_new(ol_store *store, ol_country_index **out, ol_error *err);
OL_API void ol_country_index_free(ol_country_index *idx);

/*
 * The orderlab code for key in the given system, or NULL when unknown or
 * ambiguous.  year (0 = any) picks among entities that share a code over time
 * (e.g. COW 255 is Germany/Prussia; COW 260 the FRG until 1990): the entity
 * whose [start_year, end_year] contains year wins.  The returned string is
 * owned by the index.
 */
OL_API const char *ol_country_index_lookup(const ol_country_index *idx, ol_code_system sys,
                                           const char *key, int year);
/* The full record of an orderlab code, or NULL.  Owned by the index. */
OL_API const ol_country *ol_country_index_get(const ol_country_index *idx, const char *code);

/* ------------------------------------------------------------ overrides */
/* Adds or replaces user override rows from a CSV file with the columns of
 * data/countries.csv (code and name_en required).  Validates every row (file,
 * line, field) and applies all or nothing. */
OL_API ol_status ol_countries_import_overrides(ol_store *store, const char *path, int64_t *rows, ol_error *err);
/* Removes the override for code (OL_ENOTFOUND if none) and restores the built-in row. */
OL_API ol_status ol_countries_remove_override(ol_store *store, const char *code, ol_error *err);

#ifdef __cplusplus
}
#endif
#endif
