/* Agreement of UN General Assembly votes with a reference state (definitions
 * in include/orderlab/affinity.h and docs/affinity.md).
 *
 * One pass over the votes table in its key order (rcid, country): the votes
 * of one roll call arrive together, so each roll call is judged (reference's
 * vote, unanimity) from a small buffer and its votes are added to a 3 × 3
 * table per country and period.  Roll calls come from one read of roll_calls
 * into a sorted array that the pass walks in step. */
#include "orderlab/affinity.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NVOTE = 3 };  /* yes, abstain, no: votes.vote 1..3 */

/* How many countries whose names contain an unknown query are suggested. */
enum { SUGGEST_MAX = 8 };

void ol_affinity_options_init(ol_affinity_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->with = OL_AFFINITY_DEFAULT_WITH;
    opt->by = OL_AFFINITY_BY_YEAR;
    opt->agree = OL_AGREE_IDENTICAL;
    opt->min_votes = OL_AFFINITY_DEFAULT_MIN_VOTES;
}

const char *ol_affinity_period_name(ol_affinity_period by)
{
    switch (by) {
    case OL_AFFINITY_BY_YEAR: return "year";
    case OL_AFFINITY_BY_SESSION: return "session";
    }
    return NULL;
}

const char *ol_affinity_agree_name(ol_affinity_agree agree)
{
    switch (agree) {
    case OL_AGREE_IDENTICAL: return "identical";
    case OL_AGREE_LIJPHART: return "lijphart";
    }
    return NULL;
}

ol_status ol_affinity_parse_period(const char *text, ol_affinity_period *out, ol_error *err)
{
    if (text && strcmp(text, "year") == 0) *out = OL_AFFINITY_BY_YEAR;
    else if (text && strcmp(text, "session") == 0) *out = OL_AFFINITY_BY_SESSION;
    else return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "by", "'%s' is not a period: year or session",
                             text ? text : "");
    return OL_OK;
}

ol_status ol_affinity_parse_agree(const char *text, ol_affinity_agree *out, ol_error *err)
{
    if (text && strcmp(text, "identical") == 0) *out = OL_AGREE_IDENTICAL;
    else if (text && strcmp(text, "lijphart") == 0) *out = OL_AGREE_LIJPHART;
    else return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "agreement",
                             "'%s' is not an agreement score: identical or lijphart", text ? text : "");
    return OL_OK;
}

/* ------------------------------------------------------------ scores */

ol_status ol_affinity_score(ol_affinity_row *row, ol_affinity_agree agree, ol_error *err)
{
    if (!row) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_affinity_score: NULL argument");
    if (agree != OL_AGREE_IDENTICAL && agree != OL_AGREE_LIJPHART)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "agreement", "unknown agreement score %d", (int)agree);
    int64_t n = 0, same = 0, dist = 0, rows[NVOTE] = {0}, cols[NVOTE] = {0};
    for (int i = 0; i < NVOTE; i++) {
        for (int j = 0; j < NVOTE; j++) {
            int64_t c = row->table[i][j];
            if (c < 0)
                return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "table", "negative count %lld in cell (%d, %d)",
                                    (long long)c, i, j);
            n += c;
            rows[i] += c;
            cols[j] += c;
            if (i == j) same += c;
            dist += c * (i > j ? i - j : j - i);  /* |i-j| in half-steps: 0, 1 or 2 */
        }
    }
    if (n == 0) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "table", "no joint votes");
    double dn = (double)n;
    row->n = n;
    /* On the scale yes 0, abstain 1/2, no 1 a cell's distance is |i-j| / 2,
     * and S = 1 - 2 * mean distance = 1 - Σ n_ij |i-j| / n. */
    row->s_score = 1.0 - (double)dist / dn;
    row->agree = agree == OL_AGREE_IDENTICAL ? (double)same / dn : 1.0 - (double)dist / (2.0 * dn);
    /* kappa = (p_o - p_e) / (1 - p_e) = (n·Σn_ii - Σ row_i col_i) / (n² - Σ row_i col_i),
     * undefined when the denominator is 0 (p_e = 1), decided on integers.
     * Counts stay far below 2^31, so the products fit in int64. */
    int64_t chance = 0;
    for (int i = 0; i < NVOTE; i++) chance += rows[i] * cols[i];
    int64_t denom = n * n - chance;
    if (denom == 0) {
        row->kappa = 0.0;
        row->kappa_defined = 0;
    } else {
        row->kappa = (double)(n * same - chance) / (double)denom;
        row->kappa_defined = 1;
    }
    return OL_OK;
}

/* ------------------------------------------------------------ countries */

static void copy_code(char *dst, const unsigned char *s)
{
    snprintf(dst, OL_CODE_MAX, "%s", s ? (const char *)s : "");
}

/* Resolves a country query; an unknown one gets the countries whose names
 * contain it appended to the message, so the user can pick a code. */
static ol_status resolve(ol_store *store, const char *query, const char *field, ol_country *out, ol_error *err)
{
    ol_status st = ol_country_resolve(store, query, out, err);
    if (st == OL_OK || !err) return st;
    snprintf(err->field, sizeof err->field, "%s", field);
    if (st != OL_ENOTFOUND) return st;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(ol_store_db(store),
                           "SELECT c.code, c.name_en FROM countries c WHERE c.code IN "
                           "(SELECT code FROM country_names WHERE instr(lower(name), lower(?1)) > 0 "
                           " UNION SELECT code FROM countries WHERE instr(lower(name_en), lower(?1)) > 0 "
                           "    OR instr(name_zh, ?1) > 0) "
                           "ORDER BY c.code LIMIT ?2", -1, &q, NULL) != SQLITE_OK)
        return st; /* the suggestion is a courtesy: keep the resolver's error */
    sqlite3_bind_text(q, 1, query, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, SUGGEST_MAX + 1);
    char list[OL_ERROR_MSG_MAX / 2] = "";
    size_t used = 0;
    int k = 0;
    while (sqlite3_step(q) == SQLITE_ROW && used + 2 < sizeof list) {
        int w = k == SUGGEST_MAX
            ? snprintf(list + used, sizeof list - used, ", ...")
            : snprintf(list + used, sizeof list - used, "%s%s (%s)", k ? ", " : "",
                       (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1));
        if (w < 0) break;
        used += (size_t)w;
        k++;
    }
    sqlite3_finalize(q);
    if (k) {
        char msg[OL_ERROR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s; names containing '%s': %s", err->message, query, list);
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    return st;
}

/* ------------------------------------------------------------ country table
 * Orderlab codes are at most 7 bytes, so a code packed into a uint64 is its
 * own hash key.  Open addressing, linear probing, at most half full. */

typedef struct country_slot {
    uint64_t key;       /* 0 = empty */
    int64_t *counts;    /* nperiods × 9 cells, NULL when not reported */
} country_slot;

typedef struct country_table {
    country_slot *slots;
    size_t cap, used;
} country_table;

static uint64_t code_key(const char *code)
{
    uint64_t k = 0;
    size_t n = strlen(code);
    if (n > sizeof k - 1) n = sizeof k - 1;
    memcpy(&k, code, n);
    return k;
}

static void key_code(uint64_t key, char *code)
{
    memcpy(code, &key, sizeof key - 1);
    code[sizeof key - 1] = '\0';
}

static size_t slot_of(const country_table *t, uint64_t key)
{
    uint64_t h = key * UINT64_C(0x9E3779B97F4A7C15);
    size_t i = (size_t)(h >> 32) & (t->cap - 1);
    while (t->slots[i].key && t->slots[i].key != key) i = (i + 1) & (t->cap - 1);
    return i;
}

/* The slot of key, inserting it (counts NULL) when absent; NULL on ENOMEM. */
static country_slot *table_get(country_table *t, uint64_t key)
{
    if (2 * (t->used + 1) > t->cap) {
        size_t ncap = t->cap ? 2 * t->cap : 512;
        country_slot *ns = calloc(ncap, sizeof *ns);
        if (!ns) return NULL;
        country_table nt = {ns, ncap, 0};
        for (size_t i = 0; i < t->cap; i++)
            if (t->slots[i].key) { nt.slots[slot_of(&nt, t->slots[i].key)] = t->slots[i]; nt.used++; }
        free(t->slots);
        *t = nt;
    }
    size_t i = slot_of(t, key);
    if (!t->slots[i].key) { t->slots[i].key = key; t->used++; }
    return &t->slots[i];
}

static void table_free(country_table *t)
{
    for (size_t i = 0; i < t->cap; i++) free(t->slots[i].counts);
    free(t->slots);
}

/* ------------------------------------------------------------ roll calls */

typedef struct rollcall {
    int64_t rcid;
    int period;   /* index into the periods, -1 when left out */
} rollcall;

typedef struct compute {
    ol_store *store;
    const ol_affinity_options *opt;
    ol_affinity_result *res;
    rollcall *rc;
    size_t nrc;
    int *periods;           /* distinct periods in range, ascending */
    size_t nperiods;
    country_table countries;
    int all_countries;      /* no country filter: every country is reported */
    uint64_t with_key;
    int with_voted;         /* the reference has a vote somewhere in the store */
} compute;

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static ol_status load_rollcalls(compute *c, ol_error *err)
{
    const ol_affinity_options *opt = c->opt;
    ol_affinity_result *res = c->res;
    sqlite3_stmt *q = NULL;
    const char *sql = opt->by == OL_AFFINITY_BY_SESSION
        ? "SELECT rcid, session, ifnull(amend, 0) OR ifnull(para, 0) FROM roll_calls ORDER BY rcid"
        : "SELECT rcid, year, ifnull(amend, 0) OR ifnull(para, 0) FROM roll_calls ORDER BY rcid";
    if (sqlite3_prepare_v2(ol_store_db(c->store), sql, -1, &q, NULL) != SQLITE_OK)
        return ol_store_fail(c->store, err, "reading the roll calls");
    size_t cap = 0;
    int *raw = NULL; /* the period of each kept roll call, before indexing */
    int r;
    ol_status st = OL_OK;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        if (c->nrc == cap) {
            size_t ncap = cap ? 2 * cap : 1024;
            rollcall *nr = realloc(c->rc, ncap * sizeof *nr);
            int *np = nr ? realloc(raw, ncap * sizeof *np) : NULL;
            if (nr) c->rc = nr;
            if (np) raw = np;
            if (!nr || !np) { st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
            cap = ncap;
        }
        rollcall *x = &c->rc[c->nrc];
        x->rcid = sqlite3_column_int64(q, 0);
        x->period = -1;
        int period = sqlite3_column_int(q, 1);
        if (sqlite3_column_type(q, 1) == SQLITE_NULL) res->rollcalls_no_period++;
        else if ((opt->from && period < opt->from) || (opt->to && period > opt->to)) res->rollcalls_out_of_range++;
        else if (opt->final_passage && sqlite3_column_int(q, 2)) res->rollcalls_not_final++;
        else x->period = 0; /* kept; indexed below */
        raw[c->nrc] = period;
        c->nrc++;
    }
    if (!st && r != SQLITE_DONE) st = ol_store_fail(c->store, err, "reading the roll calls");
    sqlite3_finalize(q);
    if (st) { free(raw); return st; }

    /* Distinct periods of the kept roll calls, then each roll call's index. */
    c->periods = malloc((c->nrc ? c->nrc : 1) * sizeof *c->periods);
    if (!c->periods) { free(raw); return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); }
    for (size_t i = 0; i < c->nrc; i++)
        if (c->rc[i].period == 0) c->periods[c->nperiods++] = raw[i];
    qsort(c->periods, c->nperiods, sizeof *c->periods, cmp_int);
    size_t u = 0;
    for (size_t i = 0; i < c->nperiods; i++)
        if (u == 0 || c->periods[u - 1] != c->periods[i]) c->periods[u++] = c->periods[i];
    c->nperiods = u;
    for (size_t i = 0; i < c->nrc; i++) {
        if (c->rc[i].period != 0) continue;
        const int *p = bsearch(&raw[i], c->periods, c->nperiods, sizeof *c->periods, cmp_int);
        c->rc[i].period = (int)(p - c->periods);
    }
    free(raw);
    return OL_OK;
}

/* ------------------------------------------------------------ the pass */

typedef struct cast {
    uint64_t key;
    int vote;  /* 0 yes, 1 abstain, 2 no */
} cast;

/* Adds one roll call's votes (group[0..n-1]) to the tables. */
static ol_status add_rollcall(compute *c, const rollcall *rc, const cast *group, size_t n, ol_error *err)
{
    ol_affinity_result *res = c->res;
    int with_vote = -1, unanimous = 1;
    for (size_t i = 0; i < n; i++) {
        if (group[i].key == c->with_key) with_vote = group[i].vote;
        if (group[i].vote != group[0].vote) unanimous = 0;
    }
    if (with_vote < 0) { res->rollcalls_without_with++; return OL_OK; }
    if (unanimous && !c->opt->keep_unanimous) { res->rollcalls_unanimous++; return OL_OK; }
    res->rollcalls_used++;
    size_t cells = c->nperiods * NVOTE * NVOTE;
    for (size_t i = 0; i < n; i++) {
        if (group[i].key == c->with_key) continue;
        country_slot *s;
        if (c->all_countries) {
            s = table_get(&c->countries, group[i].key);
            if (!s) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
            if (!s->counts && !(s->counts = calloc(cells, sizeof *s->counts)))
                return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        } else {
            s = &c->countries.slots[slot_of(&c->countries, group[i].key)];
            if (!s->key) continue; /* not asked for */
        }
        s->counts[((size_t)rc->period * NVOTE + (size_t)group[i].vote) * NVOTE + (size_t)with_vote]++;
    }
    return OL_OK;
}

static ol_status scan_votes(compute *c, ol_error *err)
{
    sqlite3_stmt *q = NULL;
    /* The key order of the WITHOUT ROWID table: a scan, no sort. */
    if (sqlite3_prepare_v2(ol_store_db(c->store), "SELECT rcid, country, vote FROM votes ORDER BY rcid",
                           -1, &q, NULL) != SQLITE_OK)
        return ol_store_fail(c->store, err, "reading the votes");
    cast *group = NULL;
    size_t ngroup = 0, capgroup = 0, k = 0, seen = 0;
    int64_t cur = 0;
    int have = 0;              /* cur holds the roll call being read */
    const rollcall *rc = NULL; /* cur's roll call, NULL when left out or not in roll_calls */
    ol_status st = OL_OK;
    int r;
    for (;;) {
        r = sqlite3_step(q);
        int64_t rcid = r == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
        if (have && (r != SQLITE_ROW || rcid != cur)) {
            if (ngroup && (st = add_rollcall(c, rc, group, ngroup, err))) break;
            ngroup = 0;
        }
        if (r != SQLITE_ROW) break;
        if (!have || rcid != cur) {
            /* The roll calls are sorted like the votes: walk forward. */
            while (k < c->nrc && c->rc[k].rcid < rcid) k++;
            rc = k < c->nrc && c->rc[k].rcid == rcid && c->rc[k].period >= 0 ? &c->rc[k] : NULL;
            if (rc) seen++;
            cur = rcid;
            have = 1;
        }
        char code[OL_CODE_MAX];
        copy_code(code, sqlite3_column_text(q, 1));
        uint64_t key = code_key(code);
        if (key == c->with_key) c->with_voted = 1;
        if (!rc) continue; /* left out, or a vote without its roll call (the importer writes none) */
        int vote = sqlite3_column_int(q, 2);
        if (vote < 1 || vote > NVOTE) {
            st = ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, "vote", "vote %d of %s on roll call %lld: not 1, 2 or 3",
                              vote, code, (long long)rcid);
            break;
        }
        if (ngroup == capgroup) {
            size_t ncap = capgroup ? 2 * capgroup : 256;
            cast *ng = realloc(group, ncap * sizeof *ng);
            if (!ng) { st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); break; }
            group = ng;
            capgroup = ncap;
        }
        group[ngroup].key = key;
        group[ngroup].vote = vote - 1;
        ngroup++;
    }
    if (!st && r != SQLITE_DONE) st = ol_store_fail(c->store, err, "reading the votes");
    sqlite3_finalize(q);
    free(group);
    if (!st) {
        size_t kept = 0;
        for (size_t i = 0; i < c->nrc; i++) kept += c->rc[i].period >= 0;
        c->res->rollcalls_no_votes = (int64_t)(kept - seen);
    }
    return st;
}

/* ------------------------------------------------------------ rows */

typedef struct code_entry {
    char code[OL_CODE_MAX];
    const int64_t *counts;
} code_entry;

static int cmp_code(const void *a, const void *b)
{
    return strcmp(((const code_entry *)a)->code, ((const code_entry *)b)->code);
}

static ol_status build_rows(compute *c, ol_error *err)
{
    ol_affinity_result *res = c->res;
    code_entry *codes = calloc(c->countries.used ? c->countries.used : 1, sizeof *codes);
    if (!codes) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    size_t nc = 0, nrows = 0;
    for (size_t i = 0; i < c->countries.cap; i++) {
        const country_slot *s = &c->countries.slots[i];
        if (!s->key || !s->counts) continue;
        key_code(s->key, codes[nc].code);
        codes[nc].counts = s->counts;
        nc++;
        for (size_t p = 0; p < c->nperiods; p++) {
            int64_t n = 0;
            for (size_t j = 0; j < NVOTE * NVOTE; j++) n += s->counts[p * NVOTE * NVOTE + j];
            if (n == 0) continue;
            if (n < c->opt->min_votes) res->below_min_votes++;
            else nrows++;
        }
    }
    qsort(codes, nc, sizeof *codes, cmp_code);
    res->rows = calloc(nrows ? nrows : 1, sizeof *res->rows);
    if (!res->rows) { free(codes); return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory"); }
    ol_status st = OL_OK;
    for (size_t i = 0; i < nc && !st; i++) {
        for (size_t p = 0; p < c->nperiods && !st; p++) {
            const int64_t *cell = codes[i].counts + p * NVOTE * NVOTE;
            int64_t n = 0;
            for (size_t j = 0; j < NVOTE * NVOTE; j++) n += cell[j];
            if (n == 0 || n < c->opt->min_votes) continue;
            ol_affinity_row *row = &res->rows[res->n];
            memcpy(row->country, codes[i].code, OL_CODE_MAX);
            row->period = c->periods[p];
            for (int a = 0; a < NVOTE; a++)
                for (int b = 0; b < NVOTE; b++) row->table[a][b] = cell[a * NVOTE + b];
            st = ol_affinity_score(row, c->opt->agree, err);
            res->n++;
        }
    }
    free(codes);
    return st;
}

/* ------------------------------------------------------------ entry */

static ol_status check_options(const ol_affinity_options *opt, ol_error *err)
{
    if (!ol_affinity_period_name(opt->by))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "by", "unknown period kind %d", (int)opt->by);
    if (!ol_affinity_agree_name(opt->agree))
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "agreement", "unknown agreement score %d", (int)opt->agree);
    if (opt->min_votes < 1)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "min_votes", "min_votes must be at least 1, not %lld",
                            (long long)opt->min_votes);
    if (opt->from < 0 || opt->to < 0)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, opt->from < 0 ? "from" : "to", "a negative %s",
                            ol_affinity_period_name(opt->by));
    if (opt->from && opt->to && opt->from > opt->to)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "from", "from %d is after to %d", opt->from, opt->to);
    if (opt->ncountries && !opt->countries)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "country", "ncountries %zu with no countries",
                            opt->ncountries);
    return OL_OK;
}

/* OL_ENOTFOUND naming the imports when the store has no votes. */
static ol_status require_votes(ol_store *store, ol_error *err)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(ol_store_db(store), "SELECT EXISTS (SELECT 1 FROM votes), EXISTS (SELECT 1 FROM roll_calls)",
                           -1, &q, NULL) != SQLITE_OK)
        return ol_store_fail(store, err, "looking for votes");
    int r = sqlite3_step(q);
    int votes = r == SQLITE_ROW && sqlite3_column_int(q, 0);
    int rollcalls = r == SQLITE_ROW && sqlite3_column_int(q, 1);
    sqlite3_finalize(q);
    if (r != SQLITE_ROW) return ol_store_fail(store, err, "looking for votes");
    if (!votes)
        return ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "votes",
                            "the store has no UN General Assembly votes: import %sthe votes "
                            "(unvotes-votes, un_votes.csv) first",
                            rollcalls ? "" : "the roll calls (unvotes-rollcalls, un_roll_calls.csv) and then ");
    return OL_OK;
}

ol_status ol_affinity_compute(ol_store *store, const ol_affinity_options *opt, ol_affinity_result **out,
                              ol_error *err)
{
    if (!store || !opt || !out)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "ol_affinity_compute: NULL argument");
    *out = NULL;
    ol_status st = check_options(opt, err);
    if (st) return st;
    st = require_votes(store, err);
    if (st) return st;

    compute c;
    memset(&c, 0, sizeof c);
    c.store = store;
    c.opt = opt;
    c.res = calloc(1, sizeof *c.res);
    if (!c.res) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    ol_affinity_result *res = c.res;
    res->by = opt->by;
    res->agree = opt->agree;
    res->keep_unanimous = opt->keep_unanimous ? 1 : 0;
    res->final_passage = opt->final_passage ? 1 : 0;
    res->min_votes = opt->min_votes;

    st = resolve(store, opt->with && *opt->with ? opt->with : OL_AFFINITY_DEFAULT_WITH, "with", &res->with, err);
    c.with_key = code_key(res->with.code);
    c.all_countries = opt->ncountries == 0;
    uint64_t *wanted = NULL; /* the countries asked for, resolved */
    if (!st && !c.all_countries && !(wanted = calloc(opt->ncountries, sizeof *wanted)))
        st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    for (size_t i = 0; i < opt->ncountries && !st; i++) {
        ol_country co;
        st = resolve(store, opt->countries[i], "country", &co, err);
        if (!st) wanted[i] = code_key(co.code);
    }
    if (!st) st = load_rollcalls(&c, err);
    /* A filter's tables exist before the pass, which then ignores every
     * other country; without one they are made as countries turn up. */
    size_t cells = c.nperiods * NVOTE * NVOTE;
    for (size_t i = 0; i < opt->ncountries && !st; i++) {
        country_slot *s = table_get(&c.countries, wanted[i]);
        if (!s) st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
        else if (!s->counts && !(s->counts = calloc(cells ? cells : 1, sizeof *s->counts)))
            st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    free(wanted);
    if (!st) st = scan_votes(&c, err);
    if (!st && !c.with_voted)
        st = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "with", "%s (%s) cast no vote in the store",
                          res->with.code, res->with.name_en);
    if (!st) st = build_rows(&c, err);

    free(c.rc);
    free(c.periods);
    table_free(&c.countries);
    if (st) { ol_affinity_result_free(res); return st; }
    *out = res;
    return OL_OK;
}

void ol_affinity_result_free(ol_affinity_result *r)
{
    if (!r) return;
    free(r->rows);
    free(r);
}
