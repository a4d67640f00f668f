/* The exit-event catalog: vocabularies, the validating loader shared by the
 * built-in data and users' imports, queries and export.  docs/catalog.md
 * documents the fields and their sources. */
#include "catalog_internal.h"

#include "util/embedded.h"
#include "util/fnv.h"
#include "util/text.h"

#include <cJSON.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Bumped when the loader's reading of events.csv changes in a way that
 * needs stores to reload even though the data did not change. */
#define CATALOG_LOADER_REV 1
/* Name of the built-in table in builtin_data. */
#define CATALOG_BUILTIN_NAME "catalog"
/* Name used in messages about the embedded file. */
#define CATALOG_BUILTIN_FILE "data/events.csv (built-in)"
/* Limits on identifiers, so that ids stay usable on command lines and in
 * file names. */
enum { ID_MAX = 64, INSTITUTION_MAX = 32, TEXT_MAX = 8192 };
/* Records between two progress reports. */
enum { PROGRESS_EVERY = 256 };

/* ------------------------------------------------------------ vocabularies */
static const ol_vocab_term domains[] = {
    {"trade", "经贸", "trade and economy"},
    {"governance", "治理", "governance"},
    {"security", "安全", "security"},
    {"comprehensive", "综合", "comprehensive (several fields)"},
    {NULL, NULL, NULL},
};
static const ol_vocab_term forms[] = {
    {"multilateral", "多边", "multilateral"},
    {"plurilateral-regional", "诸边（区域内）", "plurilateral, within a region"},
    {"plurilateral-cross-regional", "诸边（跨区域）", "plurilateral, across regions"},
    {"bilateral", "双边", "bilateral"},
    {NULL, NULL, NULL},
};
static const ol_vocab_term statuses[] = {
    {"exited", "退出", "exited"},
    {"threatened-exit", "威胁退出", "threatened to exit"},
    {"threatened-renegotiated", "威胁退出、重开谈判", "threatened to exit; renegotiated"},
    {"threatened-termination-revised", "威胁废除、商定修订", "threatened termination; revision agreed"},
    {"procedure-partly-started", "部分启动程序", "withdrawal procedure partly started (notice given)"},
    {"shelved", "搁置", "negotiations shelved"},
    {"refused-to-sign", "拒绝签署", "refused to sign"},
    {"rejects-jurisdiction", "启动退出相关协议、声称不接受管辖",
     "withdrew from related instruments; rejects the court's jurisdiction"},
    {"refused-to-ratify", "拒绝批准", "signed but refused to ratify"},
    {"walked-out", "退出会议", "walked out of a conference"},
    {"unsigned", "撤销签署", "renounced its signature (\"unsigning\")"},
    {NULL, NULL, NULL},
};
static const ol_vocab_term reversals[] = {
    {"rejoined", "重新加入", "rejoined"},
    {"replaced", "以新协定取代", "replaced by a new agreement"},
    {"revised", "修订后保留", "kept after an agreed revision"},
    {"reversed", "撤回退出", "notice withdrawn before it took effect"},
    {NULL, NULL, NULL},
};
static const ol_vocab_term effects[] = {
    {"spillover", "溢出效应", "counters the spillover effect (others gain from the order)"},
    {"consumption", "消耗效应", "counters the consumption effect (the order costs the leader)"},
    {"both", "溢出效应和消耗效应", "counters both effects"},
    {"constraint", "松绑", "sheds binding rules (footnote ①)"},
    {"domestic", "国内因素", "domestic politics or society (footnote ①)"},
    {NULL, NULL, NULL},
};
static const ol_vocab_term levels[] = {
    {"global-multilateral", "全球大多边层面", "global multilateral level"},
    {"with-allies", "与盟国在双边及诸边层面", "with allies, bilateral and plurilateral"},
    {"with-competitor", "与竞争对手在双边层面", "with the competitor, bilateral"},
    {NULL, NULL, NULL},
};
static const ol_vocab_term means_terms[] = {
    {"squeeze-spillover", "挤压包容性带来的制度溢出收益", "Table 4.2 adjustment 1: squeeze the spillover gains"},
    {"reshape-hierarchy", "企图重塑等级、区别和制度非中性", "Table 4.2 adjustment 2: reshape hierarchy and non-neutrality"},
    {"cut-consumption", "降低秩序主导国权力消耗", "Table 4.2 goal: cut the leader's power consumption"},
    {"shake-off-constraint", "摆脱规则约束（松绑）", "shake off binding rules (footnote ①)"},
    {NULL, NULL, NULL},
};

static const ol_vocab_term *const vocab_tables[OL_VOCAB_COUNT] = {
    domains, forms, statuses, reversals, effects, levels, means_terms,
};
static const char *const vocab_names[OL_VOCAB_COUNT] = {
    "domain", "form", "status", "reversal", "effect", "level", "means",
};

const ol_vocab_term *ol_catalog_vocab(ol_vocab vocab)
{
    return (unsigned)vocab < OL_VOCAB_COUNT ? vocab_tables[vocab] : NULL;
}

const char *ol_catalog_vocab_name(ol_vocab vocab)
{
    return (unsigned)vocab < OL_VOCAB_COUNT ? vocab_names[vocab] : "";
}

const ol_vocab_term *ol_catalog_term(ol_vocab vocab, const char *value)
{
    const ol_vocab_term *t = ol_catalog_vocab(vocab);
    if (!t || !value) return NULL;
    for (; t->value; t++)
        if (strcmp(t->value, value) == 0) return t;
    return NULL;
}

/* "a, b, c" for messages. */
static void vocab_list(ol_vocab vocab, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (const ol_vocab_term *t = ol_catalog_vocab(vocab); t && t->value; t++) {
        int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", t->value);
        if (w < 0 || (size_t)w >= size - used) break;
        used += (size_t)w;
    }
}

/* ------------------------------------------------------------ columns
 * The CSV layout, in the order of data/events.csv and of exports. */
enum col {
    C_ID, C_INSTITUTION, C_INSTITUTION_EN, C_INSTITUTION_ZH, C_DOMAIN, C_FORM, C_ACTOR,
    C_ACTOR_COWN, C_COUNTERPARTS, C_STATUS_PAPER, C_STATUS, C_ANNOUNCED, C_NOTIFIED,
    C_EFFECTIVE, C_REVERSAL, C_REVERSAL_DATE, C_EFFECT, C_LEVEL, C_MEANS, C_IN_SCOPE,
    C_PAPER_REF, C_SOURCE, C_NOTE, NCOLS
};
static const struct { const char *name; int required; } columns[NCOLS] = {
    {"id", 1}, {"institution", 1}, {"institution_en", 1}, {"institution_zh", 0},
    {"domain", 1}, {"form", 1}, {"actor", 1}, {"actor_cown", 0}, {"counterparts", 0},
    {"status_paper", 0}, {"status", 1}, {"announced", 0}, {"notified", 0},
    {"effective", 0}, {"reversal", 0}, {"reversal_date", 0}, {"effect", 0},
    {"level", 0}, {"means", 0}, {"in_scope", 0}, {"paper_ref", 0}, {"source", 1},
    {"note", 0},
};
/* The dates that must be in this order where present. */
static const enum col date_cols[] = {C_ANNOUNCED, C_NOTIFIED, C_EFFECTIVE, C_REVERSAL_DATE};
#define NDATES (sizeof date_cols / sizeof date_cols[0])

/* ------------------------------------------------------------ small helpers */
static uint64_t fnv1a64(const unsigned char *p, size_t n)
{
    return ol_fnv1a_bytes(OL_FNV1A_OFFSET, p, n);
}

/* A malloc'ed copy of s without surrounding ASCII spaces, or NULL when blank
 * (*oom set when allocation failed). */
static char *dup_trim(const char *s, int *oom)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    if (!n) return NULL;
    char *d = malloc(n + 1);
    if (!d) { *oom = 1; return NULL; }
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static int is_code_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.';
}

static int valid_code(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max) return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_code_char(s[i])) return 0;
    return 1;
}

/* Compares two ISO dates of possibly different precision at the coarser
 * one: "2017" and "2017-06-01" compare equal. */
static int date_cmp(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    return strncmp(a, b, na < nb ? na : nb);
}

/* ------------------------------------------------------------ id set
 * Ids seen in the file being loaded, with their lines, to report a
 * duplicate's first line.  Open addressing on FNV-1a. */
typedef struct id_set {
    char **ids;
    long *lines;
    size_t cap, n;
} id_set;

static void id_set_free(id_set *s)
{
    for (size_t i = 0; i < s->cap; i++) free(s->ids ? s->ids[i] : NULL);
    free(s->ids);
    free(s->lines);
    memset(s, 0, sizeof *s);
}

/* Returns the line of id if present, else inserts it and returns 0;
 * -1 when out of memory. */
static long id_set_add(id_set *s, const char *id, long line)
{
    if (s->n * 2 >= s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        char **ids = calloc(cap, sizeof *ids);
        long *lines = calloc(cap, sizeof *lines);
        if (!ids || !lines) { free(ids); free(lines); return -1; }
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->ids[i]) continue;
            size_t j = fnv1a64((const unsigned char *)s->ids[i], strlen(s->ids[i])) & (cap - 1);
            while (ids[j]) j = (j + 1) & (cap - 1);
            ids[j] = s->ids[i];
            lines[j] = s->lines[i];
        }
        free(s->ids);
        free(s->lines);
        s->ids = ids;
        s->lines = lines;
        s->cap = cap;
    }
    size_t j = fnv1a64((const unsigned char *)id, strlen(id)) & (s->cap - 1);
    for (; s->ids[j]; j = (j + 1) & (s->cap - 1))
        if (strcmp(s->ids[j], id) == 0) return s->lines[j];
    s->ids[j] = strdup(id);
    if (!s->ids[j]) return -1;
    s->lines[j] = line;
    s->n++;
    return 0;
}

/* ------------------------------------------------------------ the loader */
typedef struct row {
    char *v[NCOLS];   /* trimmed values, NULL when blank */
    int cown;
    int in_scope;
} row;

static void row_free(row *rw)
{
    for (int i = 0; i < NCOLS; i++) free(rw->v[i]);
    memset(rw, 0, sizeof *rw);
}

/* Replaces rw->v[c] with s (takes ownership). */
static void row_set(row *rw, enum col c, char *s)
{
    free(rw->v[c]);
    rw->v[c] = s;
}

typedef struct loader {
    ol_catalog_load *ld;
    ol_csv *r;
    long col_of[NCOLS];   /* CSV field index of each column, -1 when absent */
    size_t nheader;
    id_set seen;
    sqlite3_stmt *ins, *find;
} loader;

/* Fills rej with a record-level fault of column c. */
static ol_status bad(loader *L, ol_error *rej, ol_status code, enum col c, const char *fmt, ...)
    OL_PRINTF(5, 6);
static ol_status bad(loader *L, ol_error *rej, ol_status code, enum col c, const char *fmt, ...)
{
    char msg[OL_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    long column = L->col_of[c] >= 0 ? L->col_of[c] + 1 : 0;
    return ol_csv_error(L->r, rej, code, column, columns[c].name, "%s", msg);
}

/* Checks a ';'-separated list of vocabulary values and normalises it
 * ("a; b" -> "a;b"). */
static ol_status check_vocab_list(loader *L, row *rw, enum col c, ol_vocab vocab, ol_error *rej)
{
    const char *s = rw->v[c];
    char *out = malloc(strlen(s) + 1);
    if (!out) return ol_error_set(rej, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    out[0] = '\0';
    const char *p = s;
    for (;;) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char item[128];
        while (n && (*p == ' ' || *p == '\t')) { p++; n--; }
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
        if (n == 0 || n >= sizeof item) {
            free(out);
            if (n) return bad(L, rej, OL_EVALIDATE, c, "value too long in '%s'", s);
            return bad(L, rej, OL_EVALIDATE, c, "empty item in the ';'-separated list '%s'", s);
        }
        memcpy(item, p, n);
        item[n] = '\0';
        if (!ol_catalog_term(vocab, item)) {
            char allowed[512];
            vocab_list(vocab, allowed, sizeof allowed);
            free(out);
            return bad(L, rej, OL_EVALIDATE, c, "unknown %s '%s' (allowed: %s)",
                       ol_catalog_vocab_name(vocab), item, allowed);
        }
        /* No item twice: compare against what is already in out. */
        for (const char *q = out; *q;) {
            const char *qe = strchr(q, ';');
            size_t qn = qe ? (size_t)(qe - q) : strlen(q);
            if (qn == n && strncmp(q, item, n) == 0) {
                free(out);
                return bad(L, rej, OL_EVALIDATE, c, "'%s' is listed twice", item);
            }
            q += qn + (qe ? 1 : 0);
        }
        if (out[0]) strcat(out, ";");
        strcat(out, item);
        if (!e) break;
        p = e + 1;
    }
    row_set(rw, c, out);
    return OL_OK;
}

static ol_status check_vocab(loader *L, row *rw, enum col c, ol_vocab vocab, ol_error *rej)
{
    if (ol_catalog_term(vocab, rw->v[c])) return OL_OK;
    char allowed[512];
    vocab_list(vocab, allowed, sizeof allowed);
    return bad(L, rej, OL_EVALIDATE, c, "unknown %s '%s' (allowed: %s)",
               ol_catalog_vocab_name(vocab), rw->v[c], allowed);
}

/* The orderlab code of a country code or name, or NULL.  year (0 = any)
 * settles codes reused over time (COW 345: Yugoslavia, then Serbia). */
static const char *country_code(loader *L, const char *key, int year)
{
    const char *code = ol_country_index_lookup(L->ld->countries, OL_CODES_ORDERLAB, key, year);
    if (!code) code = ol_country_index_lookup(L->ld->countries, OL_CODES_ANY, key, year);
    return code;
}

/* The year of the row's first valid date (announced, notified, effective),
 * 0 when none. */
static int row_year(const row *rw)
{
    static const enum col order[] = {C_ANNOUNCED, C_NOTIFIED, C_EFFECTIVE};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *d = rw->v[order[i]];
        if (d && ol_iso_date_valid(d))
            return (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    }
    return 0;
}

static ol_status check_counterparts(loader *L, row *rw, const char *actor, int year, ol_error *rej)
{
    const char *s = rw->v[C_COUNTERPARTS];
    size_t cap = strlen(s) + 16;  /* grown below when resolved codes are longer than the keys */
    char *out = malloc(cap);
    if (!out) return ol_error_set(rej, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    out[0] = '\0';
    size_t used = 0;
    const char *p = s;
    for (;;) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char key[64];
        while (n && (*p == ' ' || *p == '\t')) { p++; n--; }
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
        if (n == 0 || n >= sizeof key) {
            free(out);
            if (n) return bad(L, rej, OL_EVALIDATE, C_COUNTERPARTS, "country code too long in '%s'", s);
            return bad(L, rej, OL_EVALIDATE, C_COUNTERPARTS, "empty item in the ';'-separated list '%s'", s);
        }
        memcpy(key, p, n);
        key[n] = '\0';
        const char *code = country_code(L, key, year);
        if (!code) {
            free(out);
            return bad(L, rej, OL_EVALIDATE, C_COUNTERPARTS,
                       "unknown country code '%s' (not in the crosswalk; see 'orderlab country')", key);
        }
        if (strcmp(code, actor) == 0) {
            free(out);
            return bad(L, rej, OL_EVALIDATE, C_COUNTERPARTS, "the actor %s cannot be its own counterpart", code);
        }
        for (const char *q = out; *q;) {
            const char *qe = strchr(q, ';');
            size_t qn = qe ? (size_t)(qe - q) : strlen(q);
            if (qn == strlen(code) && strncmp(q, code, qn) == 0) {
                free(out);
                return bad(L, rej, OL_EVALIDATE, C_COUNTERPARTS, "%s is listed twice", code);
            }
            q += qn + (qe ? 1 : 0);
        }
        size_t cn = strlen(code);
        if (used + cn + 2 > cap) {
            cap = (used + cn + 2) * 2;
            char *o2 = realloc(out, cap);
            if (!o2) { free(out); return ol_error_set(rej, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); }
            out = o2;
        }
        used += (size_t)snprintf(out + used, cap - used, "%s%s", used ? ";" : "", code);
        if (!e) break;
        p = e + 1;
    }
    row_set(rw, C_COUNTERPARTS, out);
    return OL_OK;
}

/* Validates and normalises one record into rw.  Returns OL_OK or a
 * record-level fault in rej. */
static ol_status check_row(loader *L, row *rw, ol_error *rej)
{
    ol_status st;
    for (int c = 0; c < NCOLS; c++)
        if (columns[c].required && !rw->v[c])
            return bad(L, rej, OL_EVALIDATE, (enum col)c, "required field is empty");
    for (int c = 0; c < NCOLS; c++)
        if (rw->v[c] && strlen(rw->v[c]) > TEXT_MAX)
            return bad(L, rej, OL_EVALIDATE, (enum col)c, "longer than %d bytes", TEXT_MAX);
    if (!valid_code(rw->v[C_ID], ID_MAX))
        return bad(L, rej, OL_EVALIDATE, C_ID,
                   "'%s' is not a valid id (1 to %d letters, digits, '-', '_' or '.')", rw->v[C_ID], ID_MAX);
    if (!valid_code(rw->v[C_INSTITUTION], INSTITUTION_MAX))
        return bad(L, rej, OL_EVALIDATE, C_INSTITUTION,
                   "'%s' is not a valid institution code (1 to %d letters, digits, '-', '_' or '.')",
                   rw->v[C_INSTITUTION], INSTITUTION_MAX);
    if ((st = check_vocab_list(L, rw, C_DOMAIN, OL_VOCAB_DOMAIN, rej))) return st;
    if ((st = check_vocab(L, rw, C_FORM, OL_VOCAB_FORM, rej))) return st;
    if ((st = check_vocab(L, rw, C_STATUS, OL_VOCAB_STATUS, rej))) return st;
    if (rw->v[C_REVERSAL] && (st = check_vocab(L, rw, C_REVERSAL, OL_VOCAB_REVERSAL, rej))) return st;
    if (rw->v[C_EFFECT] && (st = check_vocab(L, rw, C_EFFECT, OL_VOCAB_EFFECT, rej))) return st;
    if (rw->v[C_LEVEL] && (st = check_vocab(L, rw, C_LEVEL, OL_VOCAB_LEVEL, rej))) return st;
    if (rw->v[C_MEANS] && (st = check_vocab_list(L, rw, C_MEANS, OL_VOCAB_MEANS, rej))) return st;

    /* The acting state, through the crosswalk. */
    int year = row_year(rw);
    const char *actor = country_code(L, rw->v[C_ACTOR], year);
    if (!actor)
        return bad(L, rej, OL_EVALIDATE, C_ACTOR,
                   "unknown country code '%s' (not in the crosswalk; see 'orderlab country')", rw->v[C_ACTOR]);
    char *a = strdup(actor);
    if (!a) return ol_error_set(rej, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    row_set(rw, C_ACTOR, a);
    const ol_country *ctry = ol_country_index_get(L->ld->countries, actor);
    int known_cown = ctry ? ctry->cown : 0;
    rw->cown = known_cown;
    if (rw->v[C_ACTOR_COWN]) {
        int n;
        if (!ol_parse_int(rw->v[C_ACTOR_COWN], &n) || n <= 0)
            return bad(L, rej, OL_EVALIDATE, C_ACTOR_COWN, "'%s' is not a COW state number", rw->v[C_ACTOR_COWN]);
        if (known_cown && n != known_cown)
            return bad(L, rej, OL_EVALIDATE, C_ACTOR_COWN,
                       "COW number %d does not match the crosswalk's %d for %s", n, known_cown, actor);
        rw->cown = n;
    }
    if (rw->v[C_COUNTERPARTS] && (st = check_counterparts(L, rw, actor, year, rej))) return st;

    /* Dates: ISO, and in order where present. */
    for (size_t i = 0; i < NDATES; i++) {
        const char *d = rw->v[date_cols[i]];
        if (d && !ol_iso_date_valid(d))
            return bad(L, rej, OL_EVALIDATE, date_cols[i],
                       "'%s' is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)", d);
    }
    for (size_t j = 1; j < NDATES; j++) {
        const char *dj = rw->v[date_cols[j]];
        if (!dj) continue;
        for (size_t i = 0; i < j; i++) {
            const char *di = rw->v[date_cols[i]];
            if (di && date_cmp(di, dj) > 0)
                return bad(L, rej, OL_EVALIDATE, date_cols[j], "%s %s is before %s %s",
                           columns[date_cols[j]].name, dj, columns[date_cols[i]].name, di);
        }
    }
    if (rw->v[C_REVERSAL_DATE] && !rw->v[C_REVERSAL])
        return bad(L, rej, OL_EVALIDATE, C_REVERSAL, "reversal_date is given but reversal is empty");

    rw->in_scope = 0;
    if (rw->v[C_IN_SCOPE]) {
        if (strcmp(rw->v[C_IN_SCOPE], "1") == 0) rw->in_scope = 1;
        else if (strcmp(rw->v[C_IN_SCOPE], "0") != 0)
            return bad(L, rej, OL_EVALIDATE, C_IN_SCOPE, "'%s' is not 0 or 1", rw->v[C_IN_SCOPE]);
    }
    return OL_OK;
}

/* Looks for id among stored events: *found 1 with its origin and source. */
static ol_status find_id(loader *L, const char *id, int *found, int *is_user, int64_t *source, ol_error *err)
{
    sqlite3_reset(L->find);
    sqlite3_bind_text(L->find, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(L->find);
    *found = 0;
    if (rc == SQLITE_ROW) {
        *found = 1;
        *is_user = strcmp((const char *)sqlite3_column_text(L->find, 0), "user") == 0;
        *source = sqlite3_column_int64(L->find, 1);
    } else if (rc != SQLITE_DONE) {
        return ol_store_fail(L->ld->store, err, "looking up an event id");
    }
    sqlite3_reset(L->find);
    return OL_OK;
}

static ol_status insert_row(loader *L, const row *rw, ol_error *err)
{
    sqlite3_stmt *s = L->ins;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    int k = 1;
    sqlite3_bind_text(s, k++, L->ld->origin, -1, SQLITE_STATIC);
    if (L->ld->source_id) sqlite3_bind_int64(s, k, L->ld->source_id);
    k++;
    for (int c = 0; c < NCOLS; c++, k++) {
        if (c == C_ACTOR_COWN) {
            if (rw->cown) sqlite3_bind_int(s, k, rw->cown);
        } else if (c == C_IN_SCOPE) {
            sqlite3_bind_int(s, k, rw->in_scope);
        } else if (rw->v[c]) {
            sqlite3_bind_text(s, k, rw->v[c], -1, SQLITE_TRANSIENT);
        }
    }
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? OL_OK : ol_store_fail(L->ld->store, err, "storing an event");
}

static ol_status read_header(loader *L, ol_error *err)
{
    ol_csv *r = L->r;
    int rc = ol_csv_next(r, err);
    if (rc < 0) return err ? err->code : OL_EPARSE;
    if (rc == 0)
        return ol_error_set(err, OL_EPARSE, ol_csv_name(r), 0, 0, NULL,
                            "empty file: expected a header line naming the columns (see docs/catalog.md)");
    L->nheader = ol_csv_nfields(r);
    for (int c = 0; c < NCOLS; c++) L->col_of[c] = -1;
    for (size_t i = 0; i < L->nheader; i++) {
        char name[128];
        ol_trim_copy(name, sizeof name, ol_csv_field(r, i));
        int hit = -1;
        for (int c = 0; c < NCOLS; c++)
            if (strcmp(columns[c].name, name) == 0) hit = c;
        if (hit < 0) {
            char known[1024];
            size_t used = 0;
            known[0] = '\0';
            for (int c = 0; c < NCOLS; c++)
                used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", c ? ", " : "", columns[c].name);
            return ol_csv_error(r, err, OL_EPARSE, (long)i + 1, name,
                                "unknown column '%s' in the header (known: %s)", name, known);
        }
        if (L->col_of[hit] >= 0)
            return ol_csv_error(r, err, OL_EPARSE, (long)i + 1, name, "column '%s' appears twice in the header", name);
        L->col_of[hit] = (long)i;
    }
    const char *req[NCOLS];
    size_t nreq = 0;
    for (int c = 0; c < NCOLS; c++)
        if (columns[c].required) req[nreq++] = columns[c].name;
    long idx[NCOLS];
    return ol_csv_require(r, req, nreq, idx, err);
}

static ol_status prepare(loader *L, ol_error *err)
{
    sqlite3 *db = ol_store_db(L->ld->store);
    char sql[1024];
    size_t used = (size_t)snprintf(sql, sizeof sql, "INSERT INTO events(origin, source_id");
    for (int c = 0; c < NCOLS; c++) used += (size_t)snprintf(sql + used, sizeof sql - used, ", %s", columns[c].name);
    used += (size_t)snprintf(sql + used, sizeof sql - used, ") VALUES (?, ?");
    for (int c = 0; c < NCOLS; c++) used += (size_t)snprintf(sql + used, sizeof sql - used, ", ?");
    snprintf(sql + used, sizeof sql - used, ")");
    if (sqlite3_prepare_v2(db, sql, -1, &L->ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT origin, ifnull(source_id, 0) FROM events WHERE id = ?1", -1,
                           &L->find, NULL) != SQLITE_OK)
        return ol_store_fail(L->ld->store, err, "preparing to store events");
    return OL_OK;
}

/* Handles a record-level fault: report it, or fail when nobody takes it. */
static ol_status reject(loader *L, const ol_error *rej, ol_error *err)
{
    if (rej->code == OL_ENOMEM || rej->code == OL_ESTORE) {
        if (err) *err = *rej;
        return rej->code;
    }
    if (!L->ld->reject) {
        if (err) *err = *rej;
        return rej->code;
    }
    return L->ld->reject(L->ld->ctx, rej);
}

static ol_status load_record(loader *L, ol_error *err)
{
    ol_csv *r = L->r;
    ol_catalog_load *ld = L->ld;
    ol_error rej;
    ol_error_clear(&rej);
    row rw;
    memset(&rw, 0, sizeof rw);
    ol_status st = OL_OK;
    ld->sum->rows_read++;

    size_t nf = ol_csv_nfields(r);
    if (nf != L->nheader) {
        ol_csv_error(r, &rej, OL_EPARSE, 0, NULL, "the record has %zu fields, the header %zu", nf, L->nheader);
        return reject(L, &rej, err);
    }
    int oom = 0;
    for (int c = 0; c < NCOLS; c++)
        if (L->col_of[c] >= 0) rw.v[c] = dup_trim(ol_csv_field(r, (size_t)L->col_of[c]), &oom);
    if (oom) {
        row_free(&rw);
        return ol_error_set(err, OL_ENOMEM, ol_csv_name(r), ol_csv_line(r), 0, NULL, "out of memory");
    }
    st = check_row(L, &rw, &rej);
    if (st) { row_free(&rw); return reject(L, &rej, err); }

    /* Ids: unique within the file, and not taken by other rows. */
    long first = id_set_add(&L->seen, rw.v[C_ID], ol_csv_line(r));
    if (first < 0) { row_free(&rw); return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); }
    if (first > 0) {
        bad(L, &rej, OL_EVALIDATE, C_ID, "duplicate id '%s' (first on line %ld)", rw.v[C_ID], first);
        row_free(&rw);
        return reject(L, &rej, err);
    }
    int found = 0, is_user = 0;
    int64_t src = 0;
    if ((st = find_id(L, rw.v[C_ID], &found, &is_user, &src, err))) { row_free(&rw); return st; }
    if (found) {
        int builtin_load = strcmp(ld->origin, "builtin") == 0;
        if (builtin_load && is_user) {
            /* Users' rows win over a built-in row of the same id. */
            ld->sum->rows_skipped++;
            row_free(&rw);
            return OL_OK;
        }
        if (is_user)
            bad(L, &rej, OL_EVALIDATE, C_ID, "id '%s' is already used by an event imported as source %lld",
                rw.v[C_ID], (long long)src);
        else
            bad(L, &rej, OL_EVALIDATE, C_ID, "id '%s' is a built-in event; choose another id", rw.v[C_ID]);
        row_free(&rw);
        return reject(L, &rej, err);
    }
    st = insert_row(L, &rw, err);
    row_free(&rw);
    if (!st) ld->sum->rows_kept++;
    return st;
}

ol_status ol_catalog_load_csv(ol_catalog_load *ld, ol_csv *r, ol_error *err)
{
    loader L;
    memset(&L, 0, sizeof L);
    L.ld = ld;
    L.r = r;
    ol_status st = read_header(&L, err);
    if (!st) st = prepare(&L, err);
    long n = 0;
    while (!st) {
        int rc = ol_csv_next(r, err);
        if (rc < 0) { st = err ? err->code : OL_EPARSE; break; }
        if (rc == 0) break;
        st = load_record(&L, err);
        if (!st && ld->progress && ++n % PROGRESS_EVERY == 0) st = ld->progress(ld->ctx, r);
    }
    if (!st && ld->progress) st = ld->progress(ld->ctx, r);
    sqlite3_finalize(L.ins);
    sqlite3_finalize(L.find);
    id_set_free(&L.seen);
    return st;
}

/* ------------------------------------------------------------ built-in data */
const char *ol_catalog_builtin_version(char *buf, size_t size)
{
    const ol_embedded_file *f = ol_embedded_find("events.csv");
    unsigned long long h = f ? (unsigned long long)fnv1a64(f->data, f->size) : 0ULL;
    snprintf(buf, size, "%d-fnv1a64:%016llx", CATALOG_LOADER_REV, h);
    return buf;
}

static ol_status load_builtin(ol_store *store, const ol_embedded_file *f, ol_error *err)
{
    ol_status st = ol_store_exec(store, "DELETE FROM events WHERE origin = 'builtin'", err);
    if (st) return st;
    ol_country_index *idx = NULL;
    if ((st = ol_country_index_new(store, &idx, err))) return st;
    FILE *fp = fmemopen((void *)f->data, f->size, "r");
    if (!fp) {
        ol_country_index_free(idx);
        return ol_error_set(err, OL_ENOMEM, CATALOG_BUILTIN_FILE, 0, 0, NULL, "cannot read the built-in catalog");
    }
    ol_csv *r = NULL;
    st = ol_csv_open_stream(fp, CATALOG_BUILTIN_FILE, NULL, &r, err);
    if (!st) {
        ol_import_summary sum;
        memset(&sum, 0, sizeof sum);
        ol_catalog_load ld = {store, idx, "builtin", 0, &sum, NULL, NULL, NULL};
        st = ol_catalog_load_csv(&ld, r, err);
        ol_csv_close(r);
    }
    fclose(fp);
    ol_country_index_free(idx);
    return st;
}

ol_status ol_catalog_ensure(ol_store *store, ol_error *err)
{
    const ol_embedded_file *f = ol_embedded_find("events.csv");
    if (!f)
        return ol_error_set(err, OL_EUNSUPPORTED, NULL, 0, 0, NULL,
                            "this program was built without its catalog (data/events.csv)");
    char version[64];
    ol_catalog_builtin_version(version, sizeof version);
    int current = 0;
    ol_status st = ol_store_builtin_current(store, CATALOG_BUILTIN_NAME, version, &current, err);
    if (st || current) return st;

    int own = !ol_store_in_transaction(store);
    if (own && (st = ol_store_begin(store, err))) return st;
    /* A savepoint makes the reload atomic inside a caller's transaction too. */
    st = ol_store_exec(store, "SAVEPOINT ol_catalog", err);
    if (st) { if (own) ol_store_rollback(store); return st; }
    st = load_builtin(store, f, err);
    if (!st) st = ol_store_builtin_mark(store, CATALOG_BUILTIN_NAME, version, err);
    if (st) {
        sqlite3_exec(ol_store_db(store), "ROLLBACK TO ol_catalog; RELEASE ol_catalog", NULL, NULL, NULL);
        if (own) ol_store_rollback(store);
        ol_error_prefix(err, "loading the built-in exit-event catalog");
        return st;
    }
    st = ol_store_exec(store, "RELEASE ol_catalog", err);
    if (!st && own) st = ol_store_commit(store, err);
    if (st && own) ol_store_rollback(store);
    return st;
}

ol_status ol_catalog_import_csv(ol_store *store, const char *path, const ol_import_options *opt,
                                ol_import_summary *sum, int64_t *source_id, ol_error *err)
{
    ol_import_options o;
    if (opt) o = *opt;
    else ol_import_options_init(&o);
    o.max_rejects = 0;  /* all or nothing */
    return ol_import_file(store, "events", path, &o, sum, source_id, err);
}

/* ------------------------------------------------------------ queries */
#define EVENT_COLUMNS \
    "id, origin, ifnull(source_id, 0), institution, institution_en, institution_zh, domain, form, " \
    "actor, ifnull(actor_cown, 0), counterparts, status_paper, status, announced, notified, " \
    "effective, reversal, reversal_date, effect, level, means, in_scope, paper_ref, source, note"
#define EVENT_DATE "coalesce(announced, notified, effective)"

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

static void event_from_row(sqlite3_stmt *s, ol_event *ev)
{
    int i = 0;
    ev->id = col_text(s, i++);
    ev->origin = col_text(s, i++);
    ev->source_id = sqlite3_column_int64(s, i++);
    ev->institution = col_text(s, i++);
    ev->institution_en = col_text(s, i++);
    ev->institution_zh = col_text(s, i++);
    ev->domain = col_text(s, i++);
    ev->form = col_text(s, i++);
    ev->actor = col_text(s, i++);
    ev->actor_cown = sqlite3_column_int(s, i++);
    ev->counterparts = col_text(s, i++);
    ev->status_paper = col_text(s, i++);
    ev->status = col_text(s, i++);
    ev->announced = col_text(s, i++);
    ev->notified = col_text(s, i++);
    ev->effective = col_text(s, i++);
    ev->reversal = col_text(s, i++);
    ev->reversal_date = col_text(s, i++);
    ev->effect = col_text(s, i++);
    ev->level = col_text(s, i++);
    ev->means = col_text(s, i++);
    ev->in_scope = sqlite3_column_int(s, i++);
    ev->paper_ref = col_text(s, i++);
    ev->source = col_text(s, i++);
    ev->note = col_text(s, i++);
}

int ol_event_year(const ol_event *ev)
{
    return ol_iso_date_year(ev->announced ? ev->announced : ev->notified ? ev->notified : ev->effective);
}

static ol_status check_filter_value(ol_vocab vocab, const char *value, ol_error *err)
{
    if (!value || ol_catalog_term(vocab, value)) return OL_OK;
    char allowed[512];
    vocab_list(vocab, allowed, sizeof allowed);
    return ol_error_set(err, OL_EINVAL, NULL, 0, 0, ol_catalog_vocab_name(vocab),
                        "unknown %s '%s' (allowed: %s)", ol_catalog_vocab_name(vocab), value, allowed);
}

static ol_status walk(ol_store *store, sqlite3_stmt *s, ol_event_fn fn, void *ctx, ol_error *err)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        ol_event ev;
        event_from_row(s, &ev);
        if (fn(ctx, &ev)) {
            sqlite3_finalize(s);
            return ol_error_set(err, OL_EINTERRUPTED, NULL, 0, 0, NULL, "stopped by the caller");
        }
    }
    ol_status st = rc == SQLITE_DONE ? OL_OK : ol_store_fail(store, err, "reading events");
    sqlite3_finalize(s);
    return st;
}

ol_status ol_catalog_foreach(ol_store *store, const ol_event_filter *filter, ol_event_fn fn,
                             void *ctx, ol_error *err)
{
    ol_event_filter none;
    memset(&none, 0, sizeof none);
    const ol_event_filter *f = filter ? filter : &none;
    ol_status st;
    if ((st = check_filter_value(OL_VOCAB_DOMAIN, f->domain, err)) ||
        (st = check_filter_value(OL_VOCAB_FORM, f->form, err)) ||
        (st = check_filter_value(OL_VOCAB_STATUS, f->status, err)))
        return st;
    if (f->origin && strcmp(f->origin, "builtin") != 0 && strcmp(f->origin, "user") != 0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "origin",
                            "unknown origin '%s' (allowed: builtin, user)", f->origin);
    if (f->from_year && f->to_year && f->from_year > f->to_year)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "from", "from-year %d is after to-year %d",
                            f->from_year, f->to_year);
    ol_country actor;
    if (f->actor && (st = ol_country_resolve(store, f->actor, &actor, err))) return st;

    static const char sql[] =
        "SELECT " EVENT_COLUMNS " FROM events WHERE "
        "(?1 IS NULL OR instr(';' || domain || ';', ';' || ?1 || ';') > 0) "
        "AND (?2 IS NULL OR form = ?2) AND (?3 IS NULL OR status = ?3) "
        "AND (?4 = 0 OR CAST(substr(" EVENT_DATE ", 1, 4) AS INTEGER) >= ?4) "
        "AND (?5 = 0 OR CAST(substr(" EVENT_DATE ", 1, 4) AS INTEGER) <= ?5) "
        "AND (?6 = 0 OR in_scope = 1) AND (?7 IS NULL OR actor = ?7) "
        "AND (?8 IS NULL OR institution = ?8 COLLATE NOCASE) AND (?9 IS NULL OR origin = ?9) "
        "ORDER BY " EVENT_DATE " IS NULL, " EVENT_DATE ", id";
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(ol_store_db(store), sql, -1, &s, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "querying events");
    if (f->domain) sqlite3_bind_text(s, 1, f->domain, -1, SQLITE_STATIC);
    if (f->form) sqlite3_bind_text(s, 2, f->form, -1, SQLITE_STATIC);
    if (f->status) sqlite3_bind_text(s, 3, f->status, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, f->from_year);
    sqlite3_bind_int(s, 5, f->to_year);
    sqlite3_bind_int(s, 6, f->paper_scope ? 1 : 0);
    if (f->actor) sqlite3_bind_text(s, 7, actor.code, -1, SQLITE_TRANSIENT);
    if (f->institution) sqlite3_bind_text(s, 8, f->institution, -1, SQLITE_STATIC);
    if (f->origin) sqlite3_bind_text(s, 9, f->origin, -1, SQLITE_STATIC);
    return walk(store, s, fn, ctx, err);
}

/* Deep copy of an event (strings malloc'ed); 0 on out of memory. */
static int event_copy(ol_event *dst, const ol_event *src)
{
    *dst = *src;
    const char **fields[] = {
        &dst->id, &dst->origin, &dst->institution, &dst->institution_en, &dst->institution_zh,
        &dst->domain, &dst->form, &dst->actor, &dst->counterparts, &dst->status_paper, &dst->status,
        &dst->announced, &dst->notified, &dst->effective, &dst->reversal, &dst->reversal_date,
        &dst->effect, &dst->level, &dst->means, &dst->paper_ref, &dst->source, &dst->note,
    };
    int ok = 1;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (!*fields[i]) continue;
        char *c = ok ? strdup(*fields[i]) : NULL;
        if (!c) ok = 0;
        *fields[i] = c;
    }
    if (!ok) ol_event_clear(dst);
    return ok;
}

void ol_event_clear(ol_event *ev)
{
    if (!ev) return;
    const char *fields[] = {
        ev->id, ev->origin, ev->institution, ev->institution_en, ev->institution_zh, ev->domain,
        ev->form, ev->actor, ev->counterparts, ev->status_paper, ev->status, ev->announced,
        ev->notified, ev->effective, ev->reversal, ev->reversal_date, ev->effect, ev->level,
        ev->means, ev->paper_ref, ev->source, ev->note,
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) free((void *)fields[i]);
    memset(ev, 0, sizeof *ev);
}

typedef struct collect {
    ol_event_list *list;
    size_t cap;
    int oom;
} collect;

static int collect_one(void *ctx, const ol_event *ev)
{
    collect *c = ctx;
    if (c->list->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        ol_event *items = realloc(c->list->items, cap * sizeof *items);
        if (!items) { c->oom = 1; return 1; }
        c->list->items = items;
        c->cap = cap;
    }
    if (!event_copy(&c->list->items[c->list->n], ev)) { c->oom = 1; return 1; }
    c->list->n++;
    return 0;
}

void ol_event_list_free(ol_event_list *list)
{
    if (!list) return;
    for (size_t i = 0; i < list->n; i++) ol_event_clear(&list->items[i]);
    free(list->items);
    free(list);
}

ol_status ol_catalog_query(ol_store *store, const ol_event_filter *filter, ol_event_list **out, ol_error *err)
{
    *out = NULL;
    collect c = {calloc(1, sizeof(ol_event_list)), 0, 0};
    if (!c.list) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    ol_status st = ol_catalog_foreach(store, filter, collect_one, &c, err);
    if (c.oom) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory collecting events");
    if (st) { ol_event_list_free(c.list); return st; }
    *out = c.list;
    return OL_OK;
}

ol_status ol_catalog_get(ol_store *store, const char *id, ol_event *out, ol_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(ol_store_db(store), "SELECT " EVENT_COLUMNS " FROM events WHERE id = ?1",
                           -1, &s, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "reading an event");
    sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
    ol_event_list list = {0, NULL};
    collect c = {&list, 0, 0};
    ol_status st = walk(store, s, collect_one, &c, err);
    if (c.oom) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory reading an event");
    if (!st && list.n == 0)
        st = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "id",
                          "no event with id '%s' (see 'orderlab events' for the ids)", id);
    if (!st) *out = list.items[0];
    else for (size_t i = 0; i < list.n; i++) ol_event_clear(&list.items[i]);
    free(list.items);
    return st;
}

/* ------------------------------------------------------------ export */
static void csv_put(FILE *f, const char *s)
{
    if (!s) return;
    size_t n = strlen(s);
    int quote = n && (s[0] == ' ' || s[n - 1] == ' ');
    if (!quote && strpbrk(s, ",\"\r\n")) quote = 1;
    if (!quote) { fputs(s, f); return; }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* The value of column c of an event, as text for export; NULL when empty. */
static const char *event_field(const ol_event *ev, enum col c, char *num, size_t nsize)
{
    switch (c) {
    case C_ID: return ev->id;
    case C_INSTITUTION: return ev->institution;
    case C_INSTITUTION_EN: return ev->institution_en;
    case C_INSTITUTION_ZH: return ev->institution_zh;
    case C_DOMAIN: return ev->domain;
    case C_FORM: return ev->form;
    case C_ACTOR: return ev->actor;
    case C_ACTOR_COWN:
        if (!ev->actor_cown) return NULL;
        snprintf(num, nsize, "%d", ev->actor_cown);
        return num;
    case C_COUNTERPARTS: return ev->counterparts;
    case C_STATUS_PAPER: return ev->status_paper;
    case C_STATUS: return ev->status;
    case C_ANNOUNCED: return ev->announced;
    case C_NOTIFIED: return ev->notified;
    case C_EFFECTIVE: return ev->effective;
    case C_REVERSAL: return ev->reversal;
    case C_REVERSAL_DATE: return ev->reversal_date;
    case C_EFFECT: return ev->effect;
    case C_LEVEL: return ev->level;
    case C_MEANS: return ev->means;
    case C_IN_SCOPE: return ev->in_scope ? "1" : "0";
    case C_PAPER_REF: return ev->paper_ref;
    case C_SOURCE: return ev->source;
    case C_NOTE: return ev->note;
    case NCOLS: break;
    }
    return NULL;
}

ol_status ol_catalog_write_csv(const ol_event_list *list, FILE *out, ol_error *err)
{
    for (int c = 0; c < NCOLS; c++) {
        if (c) fputc(',', out);
        fputs(columns[c].name, out);
    }
    fputc('\n', out);
    for (size_t i = 0; list && i < list->n; i++) {
        char num[32];
        for (int c = 0; c < NCOLS; c++) {
            if (c) fputc(',', out);
            csv_put(out, event_field(&list->items[i], (enum col)c, num, sizeof num));
        }
        fputc('\n', out);
    }
    if (fflush(out) != 0 || ferror(out))
        return ol_error_set(err, OL_EIO, NULL, 0, 0, NULL, "cannot write the CSV output");
    return OL_OK;
}

/* Adds s as a string or null. */
static int json_str(cJSON *o, const char *key, const char *s)
{
    return (s ? cJSON_AddStringToObject(o, key, s) : cJSON_AddNullToObject(o, key)) != NULL;
}

/* Adds a ';'-separated list as an array of strings, and when zh_key is not
 * NULL the array of the terms' Chinese names. */
static int json_list(cJSON *o, const char *key, const char *s, const char *zh_key, ol_vocab vocab)
{
    cJSON *a = cJSON_AddArrayToObject(o, key);
    cJSON *z = zh_key ? cJSON_AddArrayToObject(o, zh_key) : NULL;
    if (!a || (zh_key && !z)) return 0;
    for (const char *p = s; p && *p;) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        /* An item longer than the buffer is cut, but the walk still steps
         * over all of it. */
        char item[128];
        size_t n = len < sizeof item ? len : sizeof item - 1;
        memcpy(item, p, n);
        item[n] = '\0';
        if (!cJSON_AddItemToArray(a, cJSON_CreateString(item))) return 0;
        if (z) {
            const ol_vocab_term *t = ol_catalog_term(vocab, item);
            if (!cJSON_AddItemToArray(z, t ? cJSON_CreateString(t->zh) : cJSON_CreateNull())) return 0;
        }
        p += len + (e ? 1 : 0);
    }
    return 1;
}

static int json_term(cJSON *o, const char *key, const char *zh_key, ol_vocab vocab, const char *value)
{
    const ol_vocab_term *t = value ? ol_catalog_term(vocab, value) : NULL;
    return json_str(o, key, value) && json_str(o, zh_key, t ? t->zh : NULL);
}

static int event_members(cJSON *o, const ol_event *ev)
{
    int ok = json_str(o, "id", ev->id) && json_str(o, "origin", ev->origin) &&
             (ev->source_id ? cJSON_AddNumberToObject(o, "source_id", (double)ev->source_id)
                            : cJSON_AddNullToObject(o, "source_id")) != NULL &&
             json_str(o, "institution", ev->institution) &&
             json_str(o, "institution_en", ev->institution_en) &&
             json_str(o, "institution_zh", ev->institution_zh) &&
             json_list(o, "domain", ev->domain, "domain_zh", OL_VOCAB_DOMAIN) &&
             json_term(o, "form", "form_zh", OL_VOCAB_FORM, ev->form) &&
             json_str(o, "actor", ev->actor) &&
             (ev->actor_cown ? cJSON_AddNumberToObject(o, "actor_cown", ev->actor_cown)
                             : cJSON_AddNullToObject(o, "actor_cown")) != NULL &&
             json_list(o, "counterparts", ev->counterparts, NULL, OL_VOCAB_COUNT) &&
             json_str(o, "status_paper", ev->status_paper) &&
             json_term(o, "status", "status_zh", OL_VOCAB_STATUS, ev->status) &&
             json_str(o, "announced", ev->announced) && json_str(o, "notified", ev->notified) &&
             json_str(o, "effective", ev->effective) &&
             json_term(o, "reversal", "reversal_zh", OL_VOCAB_REVERSAL, ev->reversal) &&
             json_str(o, "reversal_date", ev->reversal_date) &&
             json_term(o, "effect", "effect_zh", OL_VOCAB_EFFECT, ev->effect) &&
             json_term(o, "level", "level_zh", OL_VOCAB_LEVEL, ev->level) &&
             json_list(o, "means", ev->means, "means_zh", OL_VOCAB_MEANS) &&
             cJSON_AddBoolToObject(o, "in_scope", ev->in_scope) != NULL &&
             json_str(o, "paper_ref", ev->paper_ref) && json_str(o, "source", ev->source) &&
             json_str(o, "note", ev->note);
    return ok;
}

static int event_json(cJSON *arr, const ol_event *ev)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o)) { cJSON_Delete(o); return 0; }
    return event_members(o, ev);
}

ol_status ol_catalog_to_json(const ol_event_list *list, int pretty, char **out, ol_error *err)
{
    *out = NULL;
    cJSON *arr = cJSON_CreateArray();
    int ok = arr != NULL;
    for (size_t i = 0; ok && list && i < list->n; i++) ok = event_json(arr, &list->items[i]);
    char *s = ok ? (pretty ? cJSON_Print(arr) : cJSON_PrintUnformatted(arr)) : NULL;
    cJSON_Delete(arr);
    if (!s) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory building JSON");
    *out = s;
    return OL_OK;
}

ol_status ol_catalog_event_json(const ol_event *ev, int pretty, char **out, ol_error *err)
{
    *out = NULL;
    cJSON *o = cJSON_CreateObject();
    char *s = o && event_members(o, ev) ? (pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o)) : NULL;
    cJSON_Delete(o);
    if (!s) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory building JSON");
    *out = s;
    return OL_OK;
}
