/*
 * The ideal-point module's plumbing: options and their defaults, the vote
 * matrix builder and its loader from the store, and the writers (CSV and
 * store).  The estimator itself is ideal_em.c.
 */
#include "ideal_internal.h"
#include "util/fnv.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orderlab/orderlab.h"

/* ------------------------------------------------------------ options */

void ol_ideal_options_init(ol_ideal_options *o, ol_ideal_model model)
{
    /* Every default is documented with its reason in docs/ideal.md §3. */
    memset(o, 0, sizeof *o);
    o->model = model;
    o->lop = 0.025;
    o->min_votes = 10;
    o->tol = 1e-6;
    o->max_iter = 5000;
    o->threads = 0;
    snprintf(o->anchor, sizeof o->anchor, "%s", "USA");
    o->prior_sd = 1.0;
    o->walk_sd = 0.2;
    o->walk = OL_IDEAL_WALK_STATIONARY;
    o->item_sd = 5.0;
    o->bridge = model == OL_IDEAL_DYNAMIC ? OL_IDEAL_BRIDGE_TEXT : OL_IDEAL_BRIDGE_NONE;
    o->bridge_min_chars = 20;
    o->bootstrap = 0;
    o->seed = 20170101;
    o->method = OL_IDEAL_METHOD_EM;
    o->burn = 1000;
    o->draws = 1000;
    o->thin = 1;
}

static const char *const model_names[] = {"binary", "ordinal", "dynamic"};
static const char *const model_estimates[] = {"orderlab-binary", "orderlab-ordinal", "orderlab-dynamic"};

const char *ol_ideal_model_name(ol_ideal_model m)
{
    return (unsigned)m < 3 ? model_names[m] : "?";
}

const char *ol_ideal_model_estimate(ol_ideal_model m)
{
    return (unsigned)m < 3 ? model_estimates[m] : "?";
}

ol_status ol_ideal_model_parse(const char *s, ol_ideal_model *out, ol_error *err)
{
    for (int i = 0; i < 3; i++)
        if (s && strcmp(s, model_names[i]) == 0) {
            *out = (ol_ideal_model)i;
            return OL_OK;
        }
    return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "model", "unknown model '%s' (binary, ordinal or dynamic)",
                        s ? s : "");
}

static const char *const kernel_names[] = {"auto", "portable", "avx2", "avx512"};

ol_status ol_ideal_kernels_parse(const char *s, ol_ideal_kernels *out, ol_error *err)
{
    for (int i = 0; i < 4; i++)
        if (s && strcmp(s, kernel_names[i]) == 0) {
            *out = (ol_ideal_kernels)i;
            return OL_OK;
        }
    return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "kernels",
                        "unknown kernels '%s' (auto, portable, avx2 or avx512)", s ? s : "");
}

ol_status ol_ideal_method_parse(const char *s, ol_ideal_method *out, ol_error *err)
{
    static const char *const names[] = {"em", "gibbs"};
    for (int i = 0; i < 2; i++)
        if (s && strcmp(s, names[i]) == 0) {
            *out = (ol_ideal_method)i;
            return OL_OK;
        }
    return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "method", "unknown method '%s' (em or gibbs)", s ? s : "");
}

/* ------------------------------------------------------------ vote matrix */

ol_status ol_ideal_votes_new(ol_ideal_votes **out, ol_error *err)
{
    *out = NULL;
    ol_ideal_votes *v = calloc(1, sizeof *v);
    if (!v) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating the vote matrix");
    v->last_country = -1;
    *out = v;
    return OL_OK;
}

void ol_ideal_votes_free(ol_ideal_votes *v)
{
    if (!v) return;
    for (size_t i = 0; i < v->nrc; i++) free(v->rc[i].key);
    free(v->rc);
    free(v->rc_slots);
    free(v->country);
    free(v->c_slots);
    free(v->votes);
    free(v);
}

const ol_ideal_counts *ol_ideal_votes_counts(const ol_ideal_votes *v)
{
    return &v->counts;
}

static size_t hash64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k;
}

static size_t hash_str(const char *s)
{
    return (size_t)ol_fnv1a_str(OL_FNV1A_OFFSET, s);
}

/* Grow an open-addressing table of indices to keep the load under 1/2. */
static int rehash(int32_t **slots, size_t *nslots, size_t n, size_t (*key_hash)(const ol_ideal_votes *, int32_t),
                  const ol_ideal_votes *v)
{
    if (2 * (n + 1) <= *nslots) return 0;
    size_t ns = *nslots ? 2 * *nslots : 256;
    while (2 * (n + 1) > ns) ns *= 2;
    int32_t *s = malloc(ns * sizeof *s);
    if (!s) return -1;
    for (size_t i = 0; i < ns; i++) s[i] = -1;
    for (size_t i = 0; i < *nslots; i++) {
        int32_t e = (*slots)[i];
        if (e < 0) continue;
        size_t k = key_hash(v, e) & (ns - 1);
        while (s[k] >= 0) k = (k + 1) & (ns - 1);
        s[k] = e;
    }
    free(*slots);
    *slots = s;
    *nslots = ns;
    return 0;
}

static size_t rc_hash_of(const ol_ideal_votes *v, int32_t e)
{
    return hash64((uint64_t)v->rc[e].rcid);
}

static size_t c_hash_of(const ol_ideal_votes *v, int32_t e)
{
    return hash_str(v->country[e]);
}

static int32_t rc_find(const ol_ideal_votes *v, int64_t rcid)
{
    if (!v->rc_nslots) return -1;
    size_t k = hash64((uint64_t)rcid) & (v->rc_nslots - 1);
    for (int32_t e; (e = v->rc_slots[k]) >= 0; k = (k + 1) & (v->rc_nslots - 1))
        if (v->rc[e].rcid == rcid) return e;
    return -1;
}

ol_status ol_ideal_votes_add_rollcall(ol_ideal_votes *v, int64_t rcid, int session, int year, const char *bridge_key,
                                      ol_error *err)
{
    if (!v) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "no vote matrix");
    if (session <= 0 || year <= 0)
        return ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, "session",
                            "roll call %lld: session and year must be positive (got %d, %d)", (long long)rcid,
                            session, year);
    if (rc_find(v, rcid) >= 0)
        return ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, "rcid", "roll call %lld declared twice", (long long)rcid);
    if (v->nrc >= (size_t)INT32_MAX)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "too many roll calls");
    if (v->nrc == v->caprc) {
        size_t nc = v->caprc ? 2 * v->caprc : 1024;
        ideal_rollcall *r = realloc(v->rc, nc * sizeof *r);
        if (!r) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating roll calls");
        v->rc = r;
        v->caprc = nc;
    }
    if (rehash(&v->rc_slots, &v->rc_nslots, v->nrc, rc_hash_of, v))
        return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating roll calls");
    char *key = NULL;
    if (bridge_key && *bridge_key && !(key = strdup(bridge_key)))
        return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating roll calls");
    int32_t e = (int32_t)v->nrc++;
    v->rc[e] = (ideal_rollcall){rcid, session, year, key};
    size_t k = hash64((uint64_t)rcid) & (v->rc_nslots - 1);
    while (v->rc_slots[k] >= 0) k = (k + 1) & (v->rc_nslots - 1);
    v->rc_slots[k] = e;
    v->counts.rollcalls_read++;
    return OL_OK;
}

static int32_t country_index(ol_ideal_votes *v, const char *code, int *oom)
{
    if (v->last_country >= 0 && strcmp(v->country[v->last_country], code) == 0) return v->last_country;
    size_t h = hash_str(code);
    if (v->c_nslots) {
        for (size_t k = h & (v->c_nslots - 1); v->c_slots[k] >= 0; k = (k + 1) & (v->c_nslots - 1))
            if (strcmp(v->country[v->c_slots[k]], code) == 0) return v->last_country = v->c_slots[k];
    }
    if (v->ncountry == v->capcountry) {
        size_t nc = v->capcountry ? 2 * v->capcountry : 256;
        char(*c)[OL_IDEAL_CODE_MAX] = realloc(v->country, nc * sizeof *c);
        if (!c) {
            *oom = 1;
            return -1;
        }
        v->country = c;
        v->capcountry = nc;
    }
    if (rehash(&v->c_slots, &v->c_nslots, v->ncountry, c_hash_of, v)) {
        *oom = 1;
        return -1;
    }
    int32_t e = (int32_t)v->ncountry++;
    snprintf(v->country[e], OL_IDEAL_CODE_MAX, "%s", code);
    size_t k = h & (v->c_nslots - 1);
    while (v->c_slots[k] >= 0) k = (k + 1) & (v->c_nslots - 1);
    v->c_slots[k] = e;
    v->counts.countries_read++;
    return v->last_country = e;
}

ol_status ol_ideal_votes_add(ol_ideal_votes *v, int64_t rcid, const char *country, int code, ol_error *err)
{
    if (!v || !country || !*country)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "country", "a vote needs a country code");
    if (strlen(country) >= OL_IDEAL_CODE_MAX)
        return ol_error_set(err, OL_EINVAL, NULL, 0, 0, "country", "country code too long: '%s'", country);
    v->counts.votes_read++;
    if (code < 1 || code > 3) {
        v->counts.votes_bad_code++;
        return OL_OK;
    }
    int32_t rc = rc_find(v, rcid);
    if (rc < 0) {
        v->counts.votes_unknown_rollcall++;
        return OL_OK;
    }
    int oom = 0;
    int32_t c = country_index(v, country, &oom);
    if (c < 0) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating countries");
    if (v->nvotes == v->capvotes) {
        size_t nc = v->capvotes ? 2 * v->capvotes : 65536;
        ideal_vote *nv = realloc(v->votes, nc * sizeof *nv);
        if (!nv) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating votes");
        v->votes = nv;
        v->capvotes = nc;
    }
    v->votes[v->nvotes++] = (ideal_vote){rc, c, (uint8_t)code};
    return OL_OK;
}

/* ------------------------------------------------------------ loading */

ol_status ol_ideal_votes_load(ol_store *store, const ol_ideal_options *o, ol_ideal_votes **out, ol_error *err)
{
    *out = NULL;
    if (!store || !o) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "loading votes needs a store and options");
    sqlite3 *db = ol_store_db(store);
    ol_ideal_votes *v = NULL;
    ol_status st = ol_ideal_votes_new(&v, err);
    if (st) return st;
    sqlite3_stmt *q = NULL;
    /* The bridge text is the title and the description: a recurring
     * resolution keeps both from year to year; a bare title ("KOREA") is
     * too loose to bridge on, so a roll call without a description has no
     * key. */
    if (sqlite3_prepare_v2(db,
                           "SELECT rcid, session, coalesce(year, session + 1945), "
                           "CASE WHEN trim(coalesce(descr,'')) = '' THEN NULL "
                           "ELSE coalesce(short,'') || ' | ' || descr END FROM roll_calls ORDER BY rcid",
                           -1, &q, NULL) != SQLITE_OK) {
        ol_ideal_votes_free(v);
        return ol_store_fail(store, err, "reading roll calls");
    }
    int rc;
    while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW)
        st = ol_ideal_votes_add_rollcall(v, sqlite3_column_int64(q, 0), sqlite3_column_int(q, 1),
                                         sqlite3_column_int(q, 2), (const char *)sqlite3_column_text(q, 3), err);
    if (!st && rc != SQLITE_DONE) st = ol_store_fail(store, err, "reading roll calls");
    sqlite3_finalize(q);
    if (!st && sqlite3_prepare_v2(db, "SELECT rcid, country, vote FROM votes ORDER BY rcid", -1, &q, NULL) != SQLITE_OK)
        st = ol_store_fail(store, err, "reading votes");
    else if (!st) {
        while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW)
            st = ol_ideal_votes_add(v, sqlite3_column_int64(q, 0), (const char *)sqlite3_column_text(q, 1),
                                    sqlite3_column_int(q, 2), err);
        if (!st && rc != SQLITE_DONE) st = ol_store_fail(store, err, "reading votes");
        sqlite3_finalize(q);
    }
    if (!st && v->nrc == 0)
        st = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "roll_calls",
                          "the store has no roll calls (import them with 'orderlab import unvotes-rollcalls')");
    else if (!st && v->nvotes == 0)
        st = ol_error_set(err, OL_ENOTFOUND, NULL, 0, 0, "votes",
                          "the store has no votes on its roll calls (import them with 'orderlab import unvotes-votes')");
    if (st) {
        ol_ideal_votes_free(v);
        return st;
    }
    *out = v;
    return OL_OK;
}

/* ------------------------------------------------------------ writers */

void ol_ideal_fit_free(ol_ideal_fit *f)
{
    if (!f) return;
    free(f->points);
    free(f);
}

ol_status ol_ideal_fit_write_csv(const ol_ideal_fit *f, const char *path, ol_error *err)
{
    if (!f || !path) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "nothing to write");
    FILE *fp = fopen(path, "w");
    if (!fp) return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
    const char *est = ol_ideal_model_estimate(f->options.model);
    fprintf(fp, "estimate,country,session,year,value,se,nvotes\n");
    for (size_t i = 0; i < f->n; i++) {
        const ol_ideal_point *p = &f->points[i];
        fprintf(fp, "%s,%s,%d,%d,%.17g,", est, p->country, p->session, p->year, p->value);
        if (isfinite(p->se)) fprintf(fp, "%.17g", p->se);
        fprintf(fp, ",%d\n", p->nvotes);
    }
    int bad = ferror(fp);
    if (fclose(fp) != 0 || bad) return ol_error_set(err, OL_EIO, path, 0, 0, NULL, "write failed: %s", strerror(errno));
    return OL_OK;
}

static char *params_json(const ol_ideal_fit *f)
{
    const ol_ideal_options *o = &f->options;
    const ol_ideal_counts *c = &f->counts;
    cJSON *j = cJSON_CreateObject();
    if (!j) return NULL;
    cJSON_AddStringToObject(j, "model", ol_ideal_model_name(o->model));
    cJSON_AddNumberToObject(j, "from_year", o->from_year);
    cJSON_AddNumberToObject(j, "to_year", o->to_year);
    cJSON_AddNumberToObject(j, "lop", o->lop);
    cJSON_AddNumberToObject(j, "min_votes", o->min_votes);
    cJSON_AddNumberToObject(j, "tol", o->tol);
    cJSON_AddNumberToObject(j, "max_iter", o->max_iter);
    cJSON_AddStringToObject(j, "anchor", o->anchor);
    cJSON_AddNumberToObject(j, "prior_sd", o->prior_sd);
    cJSON_AddNumberToObject(j, "walk_sd", o->walk_sd);
    cJSON_AddStringToObject(j, "walk", o->walk == OL_IDEAL_WALK_RANDOM ? "random"
                                       : o->walk == OL_IDEAL_WALK_NONE ? "none"
                                                                       : "stationary");
    cJSON_AddNumberToObject(j, "item_sd", o->item_sd);
    cJSON_AddStringToObject(j, "bridge", o->bridge == OL_IDEAL_BRIDGE_TEXT ? "text" : "none");
    cJSON_AddNumberToObject(j, "bridge_min_chars", o->bridge_min_chars);
    cJSON_AddNumberToObject(j, "bootstrap", o->bootstrap);
    cJSON_AddNumberToObject(j, "iterations", f->iterations);
    cJSON_AddBoolToObject(j, "converged", f->converged);
    cJSON_AddNumberToObject(j, "last_change", f->last_change);
    cJSON_AddNumberToObject(j, "seconds", f->seconds);
    if (f->kernels) cJSON_AddStringToObject(j, "kernels", f->kernels);
    cJSON_AddStringToObject(j, "method", o->method == OL_IDEAL_METHOD_GIBBS ? "gibbs" : "em");
    if (o->method == OL_IDEAL_METHOD_GIBBS) {
        cJSON_AddNumberToObject(j, "burn", o->burn);
        cJSON_AddNumberToObject(j, "draws", o->draws);
        cJSON_AddNumberToObject(j, "thin", o->thin);
        cJSON_AddNumberToObject(j, "seed", (double)o->seed);
        cJSON_AddNumberToObject(j, "sweeps", f->sweeps);
        cJSON_AddNumberToObject(j, "gibbs_seconds", f->gibbs_seconds);
        cJSON_AddNumberToObject(j, "band_accept", f->band_accept);
        cJSON_AddNumberToObject(j, "shift_accept", f->shift_accept);
        if (isfinite(f->geweke_z)) cJSON_AddNumberToObject(j, "geweke_z", f->geweke_z);
        if (isfinite(f->geweke_moving)) {
            cJSON_AddNumberToObject(j, "geweke_moving", f->geweke_moving);
            cJSON_AddNumberToObject(j, "geweke_expected", f->geweke_expected);
            cJSON *top = cJSON_AddArrayToObject(j, "geweke_top");
            for (int i = 0; top && i < f->ngeweke_top; i++) {
                cJSON *e = cJSON_CreateObject();
                if (!e) break;
                cJSON_AddStringToObject(e, "country", f->geweke_top[i].country);
                cJSON_AddNumberToObject(e, "moving", f->geweke_top[i].moving);
                cJSON_AddNumberToObject(e, "sessions", f->geweke_top[i].sessions);
                cJSON_AddNumberToObject(e, "max_z", f->geweke_top[i].max_z);
                cJSON_AddItemToArray(top, e);
            }
        }
    }
    cJSON *k = cJSON_AddObjectToObject(j, "counts");
    if (k) {
#define C(x) cJSON_AddNumberToObject(k, #x, (double)c->x)
        C(rollcalls_read);
        C(rollcalls_range);
        C(rollcalls_unanimous);
        C(rollcalls_lopsided);
        C(rollcalls_used);
        C(items);
        C(bridged_rollcalls);
        C(votes_read);
        C(votes_bad_code);
        C(votes_unknown_rollcall);
        C(votes_duplicate);
        C(votes_abstain_missing);
        C(votes_dropped);
        C(votes_used);
        C(countries_read);
        C(countries_too_few);
        C(countries_used);
        C(periods_unidentified);
#undef C
    }
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return s;
}

ol_status ol_ideal_fit_save(ol_store *store, const ol_ideal_fit *f, int64_t *run_id, ol_error *err)
{
    if (!store || !f) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "saving needs a store and a fit");
    sqlite3 *db = ol_store_db(store);
    const char *est = ol_ideal_model_estimate(f->options.model);
    char *params = params_json(f);
    if (!params) return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "writing the fit's parameters");
    ol_status st = ol_store_begin(store, err);
    if (st) {
        free(params);
        return st;
    }
    sqlite3_stmt *q = NULL;
    /* One current fit per model: the earlier fit's points go, its runs row
     * stays as history. */
    if (sqlite3_prepare_v2(db, "DELETE FROM ideal_points WHERE estimate = ?1 AND run_id IS NOT NULL", -1, &q, NULL) !=
        SQLITE_OK)
        st = ol_store_fail(store, err, "replacing the earlier fit");
    else {
        sqlite3_bind_text(q, 1, est, -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE) st = ol_store_fail(store, err, "replacing the earlier fit");
        sqlite3_finalize(q);
    }
    int64_t id = 0;
    if (!st) {
        if (sqlite3_prepare_v2(db,
                               "INSERT INTO runs(kind, finished_at, status, seed, params, program_version, note) "
                               "VALUES ('ideal', strftime('%Y-%m-%dT%H:%M:%SZ','now'), 'ok', ?1, ?2, ?3, ?4)",
                               -1, &q, NULL) != SQLITE_OK)
            st = ol_store_fail(store, err, "recording the fit");
        else {
            sqlite3_bind_int64(q, 1, (sqlite3_int64)f->options.seed);
            sqlite3_bind_text(q, 2, params, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 3, ol_version(), -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 4, est, -1, SQLITE_STATIC);
            if (sqlite3_step(q) != SQLITE_DONE) st = ol_store_fail(store, err, "recording the fit");
            sqlite3_finalize(q);
            id = sqlite3_last_insert_rowid(db);
        }
    }
    if (!st) {
        if (sqlite3_prepare_v2(db,
                               "INSERT INTO ideal_points(estimate, country, period_kind, period, year, value, se, "
                               "nvotes, run_id) VALUES (?1, ?2, 'session', ?3, ?4, ?5, ?6, ?7, ?8)",
                               -1, &q, NULL) != SQLITE_OK)
            st = ol_store_fail(store, err, "storing ideal points");
        for (size_t i = 0; !st && i < f->n; i++) {
            const ol_ideal_point *p = &f->points[i];
            sqlite3_reset(q);
            sqlite3_bind_text(q, 1, est, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 2, p->country, -1, SQLITE_STATIC);
            sqlite3_bind_int(q, 3, p->session);
            sqlite3_bind_int(q, 4, p->year);
            sqlite3_bind_double(q, 5, p->value);
            if (isfinite(p->se)) sqlite3_bind_double(q, 6, p->se);
            else sqlite3_bind_null(q, 6);
            sqlite3_bind_int(q, 7, p->nvotes);
            sqlite3_bind_int64(q, 8, id);
            if (sqlite3_step(q) != SQLITE_DONE)
                st = ol_error_set(err, OL_ESTORE, NULL, 0, 0, "country", "storing the point of %s in session %d: %s",
                                  p->country, p->session, sqlite3_errmsg(db));
        }
        sqlite3_finalize(q);
    }
    free(params);
    if (!st) st = ol_store_commit(store, err);
    if (st) {
        ol_store_rollback(store);
        return st;
    }
    if (run_id) *run_id = id;
    return OL_OK;
}
