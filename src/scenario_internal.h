/* Internal: shared by the scenario loader, validator and writer. */
#ifndef OL_SCENARIO_INTERNAL_H
#define OL_SCENARIO_INTERNAL_H

#include "orderlab/scenario.h"

#include <stdarg.h>

/* Where a value came from; line 0 when unknown (built in memory). */
typedef struct sc_pos {
    const char *file;  /* owned by the loader's string pool, or NULL */
    long line, column;
} sc_pos;

/* Positions of everything a loader read, so that the validator can point at
 * the line of a bad value.  Rows: one sc_pos for the row, then one per field. */
typedef struct sc_positions {
    sc_pos params[128];          /* by parameter index */
    sc_pos table_key[OL_TABLE_COUNT]; /* the `actors:` key (or actors_csv:) */
    sc_pos *rows[OL_TABLE_COUNT];     /* nrows × (1 + nfields) */
    unsigned char *row_csv[OL_TABLE_COUNT]; /* 1 when the row came from a CSV file */
    size_t nrows[OL_TABLE_COUNT], cap[OL_TABLE_COUNT];
    const char *main_file;
} sc_positions;

/* The problem sink: counts problems, keeps the first, calls the callback. */
typedef struct sc_diag {
    ol_scenario_problem_fn fn;
    void *ctx;
    size_t count;
    ol_error first;
} sc_diag;

void sc_report(sc_diag *d, ol_status code, sc_pos pos, const char *key, const char *fmt, ...) OL_PRINTF(5, 6);
void sc_vreport(sc_diag *d, ol_status code, sc_pos pos, const char *key, const char *fmt, va_list ap);

/* The field's value in a row/params struct. */
#define SC_FIELD(base, f) ((void *)((char *)(base) + (f)->offset))
#define SC_CFIELD(base, f) ((const void *)((const char *)(base) + (f)->offset))

/* Row i of table t of sc (NULL when out of range), and the row count. */
void *sc_row(const ol_scenario *sc, int t, size_t i);
size_t sc_nrows(const ol_scenario *sc, int t);

/* Sets every field of a row (or the params) to its default (a fresh row:
 * code lists are zeroed, not freed). */
void sc_defaults(const ol_scenario_table *t, void *base);
/* Sets one field back to its default (a code list is freed). */
void sc_field_default(const ol_scenario_field *f, void *base);

/* The field of table t with key, or NULL. */
const ol_scenario_field *sc_find_field(const ol_scenario_table *t, const char *key);

/* The semantic checks, shared by the loader (with positions) and
 * ol_scenario_validate (pos NULL).  Country codes are checked only when
 * check_codes (the loader resolves them itself). */
void sc_validate(const ol_scenario *sc, const sc_positions *pos, ol_store *store, int check_codes, sc_diag *d);
/* Country codes: the store's crosswalk, or the built-in one read once per
 * load or validation into a sc_countries (freed by sc_countries_free). */
typedef struct sc_countries sc_countries;
void sc_countries_free(sc_countries *c);
/* 1 when code is a known country that is not an aggregate, or ROW.  With a
 * store and resolve, names resolve too and the code goes into out (size
 * OL_SCENARIO_CODE_MAX).  msg gets the reason on failure. */
int sc_country_known(sc_countries **cache, ol_store *store, const char *code, int resolve, char *out,
                     char *msg, size_t msgsize);
/* Fills sc->memberships from the rules and rows (after validation). */
ol_status sc_expand_memberships(ol_scenario *sc, ol_error *err);
/* The closest of n candidates to s (edit distance at most a third of its
 * length, at least 1), or NULL. */
const char *sc_suggest(const char *s, const char *const *cands, size_t n);

/* Code lists. */
void sc_codes_free(ol_code_list *l);
ol_status sc_codes_add(ol_code_list *l, const char *code);
ol_status sc_codes_copy(ol_code_list *dst, const ol_code_list *src);
#endif
