/*
 * orderlab/catalog.h — the exit-event catalog.
 *
 * The catalog holds episodes of "exit diplomacy" (退出外交): the paper's
 * Table 1.1, the earlier US exits of its §1 footnote ②, and the exits by
 * other states it mentions, each with dates checked against a public record
 * and a source (data/events.csv, documented in docs/catalog.md).  Users add
 * their own rows from a CSV file in the same layout.
 *
 * Rows live in the store's `events` table.  Built-in rows (origin 'builtin')
 * are reloaded whenever this program's built-in data differ from what the
 * store holds; users' rows (origin 'user') are never touched by a reload.  A
 * user row whose id a later built-in version also uses wins: the built-in
 * row of that id is then not loaded.
 *
 * Every field is checked the same way for built-in and user rows: required
 * fields present, vocabulary values known, country codes known to the
 * crosswalk (countries.h), dates ISO (YYYY-MM-DD, YYYY-MM or YYYY) and in
 * order (announced <= notified <= effective <= reversal_date, comparing at
 * the coarser precision of the two), ids unique.  A fault is reported as
 * OL_EVALIDATE (or OL_EPARSE for the CSV's structure) naming the file, the
 * line, the column and the field.
 *
 * Ownership: an ol_event filled by ol_catalog_get() owns its strings (free
 * with ol_event_clear()); an ol_event passed to an ol_catalog_foreach()
 * callback borrows them until the callback returns; an ol_event_list owns
 * everything it holds (free with ol_event_list_free()).  Vocabulary tables
 * are static and read-only.
 */
#ifndef ORDERLAB_CATALOG_H
#define ORDERLAB_CATALOG_H

#include "orderlab/importers.h"
#include "orderlab/store.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ vocabularies
 * Each controlled field takes one of a fixed set of values (docs/catalog.md
 * gives their meaning and the paper's Chinese terms). */
typedef enum ol_vocab {
    OL_VOCAB_DOMAIN,   /* trade | governance | security | comprehensive (经贸/治理/安全/综合) */
    OL_VOCAB_FORM,     /* multilateral | plurilateral-regional | plurilateral-cross-regional | bilateral */
    OL_VOCAB_STATUS,   /* exited | threatened-exit | ... (退出, 威胁退出, ...) */
    OL_VOCAB_REVERSAL, /* rejoined | replaced | revised | reversed */
    OL_VOCAB_EFFECT,   /* spillover | consumption | both | constraint | domestic */
    OL_VOCAB_LEVEL,    /* Table 4.1: global-multilateral | with-allies | with-competitor */
    OL_VOCAB_MEANS,    /* Table 4.2 (and footnote ①): squeeze-spillover | reshape-hierarchy | ... */
    OL_VOCAB_COUNT
} ol_vocab;

typedef struct ol_vocab_term {
    const char *value; /* the stored value, e.g. "threatened-exit" */
    const char *zh;    /* the paper's Chinese term, e.g. "威胁退出" */
    const char *en;    /* a short English gloss */
} ol_vocab_term;

/* The terms of a vocabulary, terminated by an entry whose value is NULL.
 * Returns NULL for an unknown vocabulary. */
OL_API const ol_vocab_term *ol_catalog_vocab(ol_vocab vocab);
/* The field name of a vocabulary ("domain", "status", ...). */
OL_API const char *ol_catalog_vocab_name(ol_vocab vocab);
/* The term for value, or NULL when value is not in the vocabulary. */
OL_API const ol_vocab_term *ol_catalog_term(ol_vocab vocab, const char *value);

/* ------------------------------------------------------------ events */
typedef struct ol_event {
    const char *id;             /* stable, e.g. "USA-WTO-2018-threat" */
    const char *origin;         /* "builtin" | "user" */
    int64_t source_id;          /* the import's source (user rows), 0 for built-in */
    const char *institution;    /* short code: WTO, NAFTA, KORUS, UPU, EU, ... */
    const char *institution_en;
    const char *institution_zh; /* NULL when none */
    const char *domain;         /* one or more OL_VOCAB_DOMAIN values joined by ';' */
    const char *form;           /* OL_VOCAB_FORM */
    const char *actor;          /* orderlab country code (ISO3), e.g. "USA" */
    int actor_cown;             /* COW state number, 0 when none */
    const char *counterparts;   /* orderlab codes joined by ';', NULL when none */
    const char *status_paper;   /* the paper's wording, NULL when none */
    const char *status;         /* OL_VOCAB_STATUS */
    const char *announced;      /* ISO date (YYYY-MM-DD, YYYY-MM or YYYY) or NULL */
    const char *notified;
    const char *effective;
    const char *reversal;       /* OL_VOCAB_REVERSAL or NULL */
    const char *reversal_date;
    const char *effect;         /* OL_VOCAB_EFFECT or NULL */
    const char *level;          /* OL_VOCAB_LEVEL or NULL */
    const char *means;          /* OL_VOCAB_MEANS values joined by ';', or NULL */
    int in_scope;               /* 1 inside the paper's research scope (WTO, NAFTA, KORUS, UPU) */
    const char *paper_ref;      /* where the paper has it, e.g. "Table 1.1" */
    const char *source;         /* the public record of the dates */
    const char *note;           /* where the paper and the record differ, etc.; NULL when none */
} ol_event;

/* Frees the strings of an event filled by ol_catalog_get() and zeroes it. */
OL_API void ol_event_clear(ol_event *ev);

/* The year an event is placed in: that of the first date present among
 * announced, notified, effective; 0 when it has none. */
OL_API int ol_event_year(const ol_event *ev);

/* ------------------------------------------------------------ loading */
/* Loads the built-in catalog (the embedded data/events.csv) unless the store
 * holds it at this build's version (a hash of the data), replacing older
 * built-in rows and keeping users' rows.  Joins the caller's transaction when
 * one is open (inside a savepoint, so a failure leaves that transaction as it
 * was), else runs in its own.  ol_open() calls it; the crosswalk must be
 * loaded first.  Complexity: O(rows) when loading, one query otherwise. */
OL_API ol_status ol_catalog_ensure(ol_store *store, ol_error *err);

/* The version string of this build's built-in catalog, e.g.
 * "1-fnv1a64:0123456789abcdef" (loader revision and a hash of the data). */
OL_API const char *ol_catalog_builtin_version(char *buf, size_t size);

/* Imports users' events from a CSV file in the catalog's layout
 * (docs/catalog.md) as origin 'user': all or nothing (the first invalid row
 * fails the import and nothing is written).  It is the importer kind
 * "events" run strictly.  A file imported again (the same base name, any
 * vintage) replaces the rows of its earlier import, since ids must stay
 * unique; an id already used by a built-in row or by another file's import
 * is an error.  opt may be NULL (defaults); its max_rejects is ignored.
 * sum and source_id may be NULL. */
OL_API ol_status ol_catalog_import_csv(ol_store *store, const char *path,
                                       const ol_import_options *opt, ol_import_summary *sum,
                                       int64_t *source_id, ol_error *err);

/* ------------------------------------------------------------ queries */
typedef struct ol_event_filter {
    const char *domain;      /* NULL = any; else events whose domains include it */
    const char *form;        /* NULL = any */
    const char *status;      /* NULL = any */
    int from_year;           /* 0 = open; else ol_event_year() >= from_year */
    int to_year;             /* 0 = open; else ol_event_year() <= to_year */
    int paper_scope;         /* 1: only events inside the paper's research scope */
    const char *actor;       /* NULL = any; a code or name resolved by ol_country_resolve() */
    const char *institution; /* NULL = any; the short code, case-insensitive */
    const char *origin;      /* NULL = any; "builtin" or "user" */
} ol_event_filter;

/* The callback of ol_catalog_foreach(); a non-zero return stops the walk
 * (ol_catalog_foreach then returns OL_EINTERRUPTED). */
typedef int (*ol_event_fn)(void *ctx, const ol_event *ev);

/*
 * Calls fn for every event matching filter (NULL = all), in date order (the
 * date of ol_event_year(), then id).  A filter value outside its vocabulary
 * fails with OL_EINVAL naming the field and the allowed values; an actor the
 * crosswalk does not know fails with OL_ENOTFOUND (or OL_EAMBIGUOUS).  With a
 * year bound, events without any date are left out.
 */
OL_API ol_status ol_catalog_foreach(ol_store *store, const ol_event_filter *filter,
                                    ol_event_fn fn, void *ctx, ol_error *err);

typedef struct ol_event_list {
    size_t n;
    ol_event *items;
} ol_event_list;

/* Like ol_catalog_foreach, collecting copies into *out (free with
 * ol_event_list_free()). */
OL_API ol_status ol_catalog_query(ol_store *store, const ol_event_filter *filter,
                                  ol_event_list **out, ol_error *err);
OL_API void ol_event_list_free(ol_event_list *list);

/* Reads one event by id into *out (free with ol_event_clear()); OL_ENOTFOUND
 * when there is none. */
OL_API ol_status ol_catalog_get(ol_store *store, const char *id, ol_event *out, ol_error *err);

/* ------------------------------------------------------------ export */
/* Writes the events as CSV in the import layout (the columns of
 * data/events.csv, header first), so an export can be edited and imported
 * back.  Fails with OL_EIO when writing fails. */
OL_API ol_status ol_catalog_write_csv(const ol_event_list *list, FILE *out, ol_error *err);

/* The events as a JSON array (cJSON), one object per event with every field;
 * list fields (domain, counterparts, means) become arrays, empty fields
 * null, and the Chinese terms of the controlled fields are added
 * (domain_zh, form_zh, status_zh, reversal_zh, effect_zh, level_zh,
 * means_zh).  *out is malloc'ed; free it with free(). */
OL_API ol_status ol_catalog_to_json(const ol_event_list *list, int pretty, char **out, ol_error *err);
/* One event as a JSON object, with the same members. */
OL_API ol_status ol_catalog_event_json(const ol_event *ev, int pretty, char **out, ol_error *err);

#ifdef __cplusplus
}
#endif
#endif
