/* The exit-event catalog: the built-in rows load once per version and
 * validate, queries filter as documented, users' rows import all or nothing
 * and survive reloads, and each kind of bad input fails naming file, line
 * and field with the store left as it was. */
#include "testutil.h"

#include <cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns of a complete user file. */
#define HEADER "id,institution,institution_en,institution_zh,domain,form,actor,actor_cown," \
               "counterparts,status_paper,status,announced,notified,effective,reversal," \
               "reversal_date,effect,level,means,in_scope,paper_ref,source,note\n"
/* A valid user row; tests vary one field at a time. */
#define GOOD_ROW "GBR-UNESCO-1985-exit,UNESCO,UNESCO,联合国教科文组织,governance,multilateral,GBR,200," \
                 ",退出,exited,1984-12,1984-12,1985-12-31,rejoined,1997-07-01,,,,0,," \
                 "\"Foreign Office statement, 1984-12-05\",test row\n"

typedef ol_test_fixture fixture;
#define setup ol_test_setup
#define teardown ol_test_teardown

static int64_t count_where(ol_store *s, const char *where)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE %s", where);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(ol_store_db(s), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static size_t query_count(ol_store *s, const ol_event_filter *flt)
{
    ol_event_list *list = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_catalog_query(s, flt, &list, &err), &err);
    size_t n = list->n;
    ol_event_list_free(list);
    return n;
}

static void make_catalog_stale(ol_store *s)
{
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_store_exec(s, "UPDATE builtin_data SET version = 'old' WHERE name = 'catalog'", &err), &err);
}

/* ------------------------------------------------------------ built-in rows */
static void test_builtin_loaded(void **state)
{
    fixture *f = *state;
    assert_int_equal(ol_test_count(f->s, "events"), 23);
    assert_int_equal(count_where(f->s, "origin = 'builtin' AND source_id IS NULL"), 23);
    /* The store records the version of the data it holds. */
    char want[64];
    ol_catalog_builtin_version(want, sizeof want);
    assert_non_null(strstr(want, "fnv1a64:"));
    int cur = 0;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_store_builtin_current(f->s, "catalog", want, &cur, &err), &err);
    assert_true(cur);
}

static void test_builtin_counts(void **state)
{
    fixture *f = *state;
    static const struct { const char *status; int n; } by_status[] = {
        {"exited", 11}, {"threatened-exit", 1}, {"threatened-renegotiated", 1},
        {"threatened-termination-revised", 1}, {"procedure-partly-started", 2}, {"shelved", 1},
        {"refused-to-sign", 1}, {"rejects-jurisdiction", 2}, {"refused-to-ratify", 1},
        {"walked-out", 1}, {"unsigned", 1},
    };
    int total = 0;
    for (size_t i = 0; i < sizeof by_status / sizeof by_status[0]; i++) {
        ol_event_filter flt = {0};
        flt.status = by_status[i].status;
        assert_int_equal(query_count(f->s, &flt), by_status[i].n);
        total += by_status[i].n;
    }
    assert_int_equal(total, 23);
    /* The paper's research scope is exactly WTO, NAFTA, KORUS and UPU. */
    ol_event_filter scope = {0};
    scope.paper_scope = 1;
    ol_event_list *list = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_catalog_query(f->s, &scope, &list, &err), &err);
    assert_int_equal(list->n, 4);
    const char *want[] = {"NAFTA", "KORUS", "WTO", "UPU"};  /* date order */
    for (size_t i = 0; i < 4; i++) assert_string_equal(list->items[i].institution, want[i]);
    ol_event_list_free(list);
    /* Table 1.1 has twelve rows, footnote ② eight; three rows are other states'. */
    assert_int_equal(count_where(f->s, "paper_ref LIKE '%Table 1.1%'"), 12);
    assert_int_equal(count_where(f->s, "paper_ref LIKE '%footnote ②%'"), 8);
    assert_int_equal(count_where(f->s, "actor <> 'USA'"), 3);
    /* Every row names a public record. */
    assert_int_equal(count_where(f->s, "length(source) < 20"), 0);
}

static void test_builtin_rows_valid(void **state)
{
    /* Export every built-in row in the import layout, rename the ids and
     * import them as a user file: the same validator accepts all of them,
     * and the round trip keeps every field. */
    fixture *f = *state;
    ol_event_list *list = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_catalog_query(f->s, NULL, &list, &err), &err);
    assert_int_equal(list->n, 23);
    char **saved = calloc(list->n, sizeof *saved);
    for (size_t i = 0; i < list->n; i++) {
        saved[i] = (char *)list->items[i].id;
        char *nid = malloc(strlen(saved[i]) + 3);
        sprintf(nid, "U-%s", saved[i]);
        list->items[i].id = nid;
    }
    char *path = ol_test_path(f->dir, "copy.csv");
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    OL_ASSERT_OK(ol_catalog_write_csv(list, out, &err), &err);
    fclose(out);
    for (size_t i = 0; i < list->n; i++) {
        free((void *)list->items[i].id);
        list->items[i].id = saved[i];
    }
    free(saved);
    ol_import_summary sum;
    OL_ASSERT_OK(ol_catalog_import_csv(f->s, path, NULL, &sum, NULL, &err), &err);
    assert_int_equal(sum.rows_read, 23);
    assert_int_equal(sum.rows_kept, 23);
    assert_int_equal(count_where(f->s, "origin = 'user'"), 23);
    /* Field by field, the copies equal the originals. */
    const char *same =
        "SELECT count(*) FROM events b JOIN events u ON u.id = 'U-' || b.id "
        "WHERE b.origin = 'builtin' AND b.institution IS u.institution AND b.institution_en IS u.institution_en "
        "AND b.institution_zh IS u.institution_zh AND b.domain IS u.domain AND b.form IS u.form "
        "AND b.actor IS u.actor AND b.actor_cown IS u.actor_cown AND b.counterparts IS u.counterparts "
        "AND b.status_paper IS u.status_paper AND b.status IS u.status AND b.announced IS u.announced "
        "AND b.notified IS u.notified AND b.effective IS u.effective AND b.reversal IS u.reversal "
        "AND b.reversal_date IS u.reversal_date AND b.effect IS u.effect AND b.level IS u.level "
        "AND b.means IS u.means AND b.in_scope IS u.in_scope AND b.paper_ref IS u.paper_ref "
        "AND b.source IS u.source AND b.note IS u.note";
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(ol_store_db(f->s), same, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 23);
    sqlite3_finalize(st);
    /* Every built-in country code is one the crosswalk knows, with its COW number. */
    ol_country_index *idx = NULL;
    OL_ASSERT_OK(ol_country_index_new(f->s, &idx, &err), &err);
    for (size_t i = 0; i < list->n; i++) {
        const ol_event *ev = &list->items[i];
        const char *code = ol_country_index_lookup(idx, OL_CODES_ORDERLAB, ev->actor, 0);
        assert_non_null(code);
        assert_string_equal(code, ev->actor);
        const ol_country *c = ol_country_index_get(idx, code);
        assert_non_null(c);
        assert_int_equal(c->cown, ev->actor_cown);
        if (ev->counterparts) {
            char buf[256];
            snprintf(buf, sizeof buf, "%s", ev->counterparts);
            for (char *tok = strtok(buf, ";"); tok; tok = strtok(NULL, ";"))
                assert_non_null(ol_country_index_lookup(idx, OL_CODES_ORDERLAB, tok, 0));
        }
    }
    ol_country_index_free(idx);
    ol_event_list_free(list);
    free(path);
}

static void test_get(void **state)
{
    fixture *f = *state;
    ol_event ev;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_catalog_get(f->s, "USA-PARIS-2017-exit", &ev, &err), &err);
    assert_string_equal(ev.origin, "builtin");
    assert_string_equal(ev.domain, "trade;governance");
    assert_string_equal(ev.announced, "2017-06-01");
    assert_string_equal(ev.notified, "2019-11-04");
    assert_string_equal(ev.effective, "2020-11-04");
    assert_string_equal(ev.reversal, "rejoined");
    assert_string_equal(ev.reversal_date, "2021-02-19");
    assert_null(ev.effect);
    assert_int_equal(ev.actor_cown, 2);
    assert_int_equal(ev.in_scope, 0);
    assert_int_equal(ol_event_year(&ev), 2017);
    ol_event_clear(&ev);
    assert_null(ev.id);
    OL_ASSERT_OK(ol_catalog_get(f->s, "USA-ICJ-1985-optclause", &ev, &err), &err);
    assert_null(ev.announced);
    assert_string_equal(ev.notified, "1985-10-07");
    assert_string_equal(ev.effective, "1986-04-07");
    assert_int_equal(ol_event_year(&ev), 1985);
    ol_event_clear(&ev);
    assert_int_equal(ol_catalog_get(f->s, "NO-SUCH-EVENT", &ev, &err), OL_ENOTFOUND);
    assert_null(ev.id);
}

/* ------------------------------------------------------------ queries */
static void test_filters(void **state)
{
    fixture *f = *state;
    ol_event_filter flt = {0};
    assert_int_equal(query_count(f->s, &flt), 23);
    flt.domain = "trade";  /* Paris and Kyoto are trade;governance */
    assert_int_equal(query_count(f->s, &flt), 7);
    flt.domain = "security";
    assert_int_equal(query_count(f->s, &flt), 4);
    memset(&flt, 0, sizeof flt);
    flt.form = "bilateral";
    assert_int_equal(query_count(f->s, &flt), 2);
    memset(&flt, 0, sizeof flt);
    flt.from_year = 2017;
    flt.to_year = 2018;
    assert_int_equal(query_count(f->s, &flt), 12);
    flt.from_year = 2019;
    flt.to_year = 0;
    assert_int_equal(query_count(f->s, &flt), 0);
    memset(&flt, 0, sizeof flt);
    flt.to_year = 1999;
    assert_int_equal(query_count(f->s, &flt), 5);
    memset(&flt, 0, sizeof flt);
    flt.actor = "PRK";
    assert_int_equal(query_count(f->s, &flt), 2);
    flt.actor = "USA";
    assert_int_equal(query_count(f->s, &flt), 20);
    memset(&flt, 0, sizeof flt);
    flt.institution = "unesco";  /* case-insensitive */
    assert_int_equal(query_count(f->s, &flt), 2);
    memset(&flt, 0, sizeof flt);
    flt.paper_scope = 1;
    flt.status = "threatened-exit";
    assert_int_equal(query_count(f->s, &flt), 1);
    memset(&flt, 0, sizeof flt);
    flt.origin = "user";
    assert_int_equal(query_count(f->s, &flt), 0);

    /* Date order: oldest first, events by year. */
    ol_event_list *list = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_catalog_query(f->s, NULL, &list, &err), &err);
    assert_string_equal(list->items[0].id, "USA-UNCLOS-1982-nosign");
    assert_string_equal(list->items[list->n - 1].id, "USA-UPU-2018-notice");
    for (size_t i = 1; i < list->n; i++)
        assert_true(ol_event_year(&list->items[i - 1]) <= ol_event_year(&list->items[i]));
    ol_event_list_free(list);

    /* Values outside the vocabularies are refused, naming the field. */
    memset(&flt, 0, sizeof flt);
    flt.status = "left";
    assert_int_equal(ol_catalog_query(f->s, &flt, &list, &err), OL_EINVAL);
    assert_string_equal(err.field, "status");
    assert_non_null(strstr(err.message, "threatened-exit"));
    memset(&flt, 0, sizeof flt);
    flt.domain = "economy";
    assert_int_equal(ol_catalog_query(f->s, &flt, &list, &err), OL_EINVAL);
    memset(&flt, 0, sizeof flt);
    flt.from_year = 2019;
    flt.to_year = 2017;
    assert_int_equal(ol_catalog_query(f->s, &flt, &list, &err), OL_EINVAL);
    memset(&flt, 0, sizeof flt);
    flt.actor = "Atlantis";
    assert_int_not_equal(ol_catalog_query(f->s, &flt, &list, &err), OL_OK);
}

static int stop_after_two(void *ctx, const ol_event *ev)
{
    (void)ev;
    int *n = ctx;
    return ++*n >= 2;
}

static void test_foreach_stops(void **state)
{
    fixture *f = *state;
    int n = 0;
    ol_error err;
    ol_error_clear(&err);
    assert_int_equal(ol_catalog_foreach(f->s, NULL, stop_after_two, &n, &err), OL_EINTERRUPTED);
    assert_int_equal(n, 2);
}

static void test_json(void **state)
{
    fixture *f = *state;
    ol_event_filter flt = {0};
    flt.institution = "KORUS";
    ol_event_list *list = NULL;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_catalog_query(f->s, &flt, &list, &err), &err);
    char *text = NULL;
    OL_ASSERT_OK(ol_catalog_to_json(list, 0, &text, &err), &err);
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    assert_int_equal(cJSON_GetArraySize(doc), 1);
    cJSON *o = cJSON_GetArrayItem(doc, 0);
    assert_string_equal(cJSON_GetObjectItem(o, "id")->valuestring, "USA-KORUS-2017-threat");
    assert_string_equal(cJSON_GetObjectItem(o, "status_zh")->valuestring, "威胁废除、商定修订");
    assert_string_equal(cJSON_GetObjectItem(o, "form_zh")->valuestring, "双边");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "in_scope")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "notified")));
    cJSON *means = cJSON_GetObjectItem(o, "means");
    assert_int_equal(cJSON_GetArraySize(means), 2);
    assert_string_equal(cJSON_GetArrayItem(means, 1)->valuestring, "cut-consumption");
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "counterparts"), 0)->valuestring, "KOR");
    assert_int_equal(cJSON_GetObjectItem(o, "actor_cown")->valueint, 2);
    cJSON_Delete(doc);
    free(text);
    /* One event as an object. */
    OL_ASSERT_OK(ol_catalog_event_json(&list->items[0], 1, &text, &err), &err);
    doc = cJSON_Parse(text);
    assert_true(cJSON_IsObject(doc));
    cJSON_Delete(doc);
    free(text);
    ol_event_list_free(list);
}

static void test_vocab(void **state)
{
    (void)state;
    assert_string_equal(ol_catalog_term(OL_VOCAB_STATUS, "threatened-exit")->zh, "威胁退出");
    assert_string_equal(ol_catalog_term(OL_VOCAB_FORM, "plurilateral-regional")->zh, "诸边（区域内）");
    assert_string_equal(ol_catalog_term(OL_VOCAB_DOMAIN, "comprehensive")->zh, "综合");
    assert_string_equal(ol_catalog_term(OL_VOCAB_EFFECT, "spillover")->zh, "溢出效应");
    assert_null(ol_catalog_term(OL_VOCAB_STATUS, "left"));
    assert_null(ol_catalog_vocab(OL_VOCAB_COUNT));
    assert_string_equal(ol_catalog_vocab_name(OL_VOCAB_MEANS), "means");
}

/* ------------------------------------------------------------ reloads */
static void test_ensure_idempotent(void **state)
{
    fixture *f = *state;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_catalog_ensure(f->s, &err), &err);
    OL_ASSERT_OK(ol_catalog_ensure(f->s, &err), &err);
    assert_int_equal(ol_test_count(f->s, "events"), 23);
    /* A stale version reloads, still without duplicates. */
    make_catalog_stale(f->s);
    OL_ASSERT_OK(ol_catalog_ensure(f->s, &err), &err);
    assert_int_equal(ol_test_count(f->s, "events"), 23);
    /* Reopening the store does not load again. */
    ol_store_close(f->s);
    f->s = ol_test_store(f->dir);
    assert_int_equal(ol_test_count(f->s, "events"), 23);
    /* A crosswalk reload under the events (which reference countries) and
     * a catalog reload on the same open work together. */
    OL_ASSERT_OK(ol_store_exec(f->s, "UPDATE builtin_data SET version = 'old'", &err), &err);
    ol_store_close(f->s);
    f->s = ol_test_store(f->dir);
    assert_int_equal(ol_test_count(f->s, "events"), 23);
    OL_ASSERT_OK(ol_store_check_integrity(f->s, &err), &err);
}

static void test_user_rows_survive_reload(void **state)
{
    fixture *f = *state;
    char *path = ol_test_write(f->dir, "mine.csv", HEADER GOOD_ROW);
    ol_error err;
    ol_error_clear(&err);
    int64_t sid = 0;
    OL_ASSERT_OK(ol_catalog_import_csv(f->s, path, NULL, NULL, &sid, &err), &err);
    assert_true(sid > 0);
    assert_int_equal(ol_test_count(f->s, "events"), 24);
    make_catalog_stale(f->s);
    ol_store_close(f->s);
    f->s = ol_test_store(f->dir);  /* ol_open reloads the built-in rows */
    assert_int_equal(count_where(f->s, "origin = 'builtin'"), 23);
    ol_event ev;
    OL_ASSERT_OK(ol_catalog_get(f->s, "GBR-UNESCO-1985-exit", &ev, &err), &err);
    assert_string_equal(ev.origin, "user");
    assert_int_equal(ev.source_id, sid);
    assert_string_equal(ev.institution_zh, "联合国教科文组织");
    assert_string_equal(ev.source, "Foreign Office statement, 1984-12-05");
    ol_event_clear(&ev);
    free(path);
}

static void test_user_row_shadows_builtin(void **state)
{
    /* A user row holding an id that a later built-in version also uses
     * wins: the reload keeps it and leaves the built-in row out. */
    fixture *f = *state;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_store_exec(f->s,
        "UPDATE events SET origin = 'user', note = 'mine' WHERE id = 'USA-WTO-2018-threat'", &err), &err);
    make_catalog_stale(f->s);
    OL_ASSERT_OK(ol_catalog_ensure(f->s, &err), &err);
    assert_int_equal(ol_test_count(f->s, "events"), 23);
    assert_int_equal(count_where(f->s, "origin = 'builtin'"), 22);
    assert_int_equal(count_where(f->s, "id = 'USA-WTO-2018-threat' AND note = 'mine'"), 1);
}

static void test_ensure_joins_transaction(void **state)
{
    fixture *f = *state;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_store_begin(f->s, &err), &err);
    make_catalog_stale(f->s);
    OL_ASSERT_OK(ol_store_exec(f->s, "DELETE FROM events WHERE id = 'USA-TPP-2017-exit'", &err), &err);
    OL_ASSERT_OK(ol_catalog_ensure(f->s, &err), &err);
    assert_true(ol_store_in_transaction(f->s));
    assert_int_equal(ol_test_count(f->s, "events"), 23);
    ol_store_rollback(f->s);  /* the caller decides: everything goes back */
    assert_int_equal(ol_test_count(f->s, "events"), 23);
    int cur = 0;
    char v[64];
    OL_ASSERT_OK(ol_store_builtin_current(f->s, "catalog", ol_catalog_builtin_version(v, sizeof v), &cur, &err), &err);
    assert_true(cur);
}

static void test_failed_reload_keeps_caller_transaction(void **state)
{
    /* A built-in row that does not validate (its country gone from the
     * crosswalk) fails the reload, naming the built-in file, line and field;
     * inside a caller's transaction only the reload is undone. */
    fixture *f = *state;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_store_begin(f->s, &err), &err);
    OL_ASSERT_OK(ol_store_exec(f->s, "DELETE FROM events; DELETE FROM countries WHERE code = 'PRK'", &err), &err);
    make_catalog_stale(f->s);
    assert_int_equal(ol_catalog_ensure(f->s, &err), OL_EVALIDATE);
    assert_non_null(strstr(err.file, "events.csv"));
    assert_int_equal(err.line, 23);  /* PRK-NPT-1993-notice */
    assert_string_equal(err.field, "actor");
    assert_non_null(strstr(err.message, "built-in exit-event catalog"));
    assert_true(ol_store_in_transaction(f->s));
    assert_int_equal(ol_test_count(f->s, "events"), 0);
    int cur = 1;
    OL_ASSERT_OK(ol_store_builtin_current(f->s, "catalog", "old", &cur, &err), &err);
    assert_true(cur);
    ol_store_rollback(f->s);
    assert_int_equal(ol_test_count(f->s, "events"), 23);
}

/* ------------------------------------------------------------ imports */
static void test_reimport_replaces(void **state)
{
    fixture *f = *state;
    char *path = ol_test_write(f->dir, "mine.csv", HEADER GOOD_ROW);
    ol_error err;
    ol_error_clear(&err);
    ol_import_options opt;
    ol_import_options_init(&opt);
    opt.vintage = "v1";
    OL_ASSERT_OK(ol_catalog_import_csv(f->s, path, &opt, NULL, NULL, &err), &err);
    OL_ASSERT_OK(ol_catalog_import_csv(f->s, path, &opt, NULL, NULL, &err), &err);
    assert_int_equal(count_where(f->s, "origin = 'user'"), 1);
    /* An edited file (another vintage) replaces its earlier import. */
    free(path);
    path = ol_test_write(f->dir, "mine.csv", HEADER GOOD_ROW
        "FRA-NATO-1966-exit,NATO,NATO integrated military command,,security,plurilateral-cross-regional,"
        "FRA,,USA,,exited,1966-03-07,,1966-07-01,rejoined,2009-04-04,,,,,,de Gaulle letter of 1966-03-07,\n");
    opt.vintage = "v2";
    OL_ASSERT_OK(ol_catalog_import_csv(f->s, path, &opt, NULL, NULL, &err), &err);
    assert_int_equal(count_where(f->s, "origin = 'user'"), 2);
    assert_int_equal(ol_test_count(f->s, "sources"), 1);
    /* The same generic importer kind works too. */
    OL_ASSERT_OK(ol_import_file(f->s, "events", path, &opt, NULL, NULL, &err), &err);
    assert_int_equal(count_where(f->s, "origin = 'user'"), 2);
    /* Another file may not reuse those ids. */
    char *other = ol_test_write(f->dir, "other.csv", HEADER GOOD_ROW);
    assert_int_equal(ol_catalog_import_csv(f->s, other, &opt, NULL, NULL, &err), OL_EVALIDATE);
    assert_string_equal(err.field, "id");
    assert_non_null(strstr(err.message, "already used"));
    free(other);
    free(path);
}

static void test_import_normalises(void **state)
{
    /* Codes and names resolve through the crosswalk; lists are tidied;
     * the COW number comes from the crosswalk when left empty. */
    fixture *f = *state;
    char *path = ol_test_write(f->dir, "n.csv",
        "id,institution,institution_en,domain,form,actor,counterparts,status,means,source\n"
        "N1,X,X, trade ; governance ,bilateral, usa ,CAN ; MEX,threatened-exit,cut-consumption; squeeze-spillover,s\n");
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_catalog_import_csv(f->s, path, NULL, NULL, NULL, &err), &err);
    ol_event ev;
    OL_ASSERT_OK(ol_catalog_get(f->s, "N1", &ev, &err), &err);
    assert_string_equal(ev.actor, "USA");
    assert_int_equal(ev.actor_cown, 2);
    assert_string_equal(ev.domain, "trade;governance");
    assert_string_equal(ev.counterparts, "CAN;MEX");
    assert_string_equal(ev.means, "cut-consumption;squeeze-spillover");
    assert_null(ev.announced);
    ol_event_clear(&ev);
    free(path);
    /* A COW number reused over time (345: Yugoslavia, then Serbia) resolves
     * by the event's year. */
    path = ol_test_write(f->dir, "y.csv",
        "id,institution,institution_en,domain,form,actor,status,announced,source\n"
        "Y1,X,X,governance,multilateral,345,exited,1999-03,s\n"
        "Y2,X,X,governance,multilateral,345,exited,2010,s\n");
    OL_ASSERT_OK(ol_catalog_import_csv(f->s, path, NULL, NULL, NULL, &err), &err);
    assert_int_equal(count_where(f->s, "id = 'Y1' AND actor = 'YUG'"), 1);
    assert_int_equal(count_where(f->s, "id = 'Y2' AND actor = 'SRB'"), 1);
    free(path);
}

/* One bad-input case: file content, expected status, line, field and a
 * fragment of the message. */
typedef struct bad_case {
    const char *name;
    const char *text;
    ol_status code;
    long line;
    const char *field;
    const char *fragment;
} bad_case;

static const bad_case bad_cases[] = {
    {"unknown country", HEADER GOOD_ROW
        "X-2,WTO,WTO,,trade,multilateral,XYZ,,,,threatened-exit,2018,,,,,,,,0,,s,\n",
     OL_EVALIDATE, 3, "actor", "unknown country code 'XYZ'"},
    {"unknown counterpart", HEADER
        "X-1,WTO,WTO,,trade,bilateral,USA,2,CAN;QQQ,,threatened-exit,2018,,,,,,,,0,,s,\n",
     OL_EVALIDATE, 2, "counterparts", "unknown country code 'QQQ'"},
    {"bad date", HEADER GOOD_ROW
        "X-2,WTO,WTO,,trade,multilateral,USA,2,,,threatened-exit,2017-02-30,,,,,,,,0,,s,\n",
     OL_EVALIDATE, 3, "announced", "not an ISO date"},
    {"dates out of order", HEADER
        "X-1,WTO,WTO,,trade,multilateral,USA,2,,,exited,2018-05-01,2018-06-01,2018-04-30,,,,,,0,,s,\n",
     OL_EVALIDATE, 2, "effective", "before announced"},
    {"reversal before effect", HEADER
        "X-1,WTO,WTO,,trade,multilateral,USA,2,,,exited,2018,,2019-01-01,rejoined,2018-12,,,,0,,s,\n",
     OL_EVALIDATE, 2, "reversal_date", "before effective"},
    {"duplicate id", HEADER GOOD_ROW GOOD_ROW,
     OL_EVALIDATE, 3, "id", "first on line 2"},
    {"bad status", HEADER
        "X-1,WTO,WTO,,trade,multilateral,USA,2,,,left,2018,,,,,,,,0,,s,\n",
     OL_EVALIDATE, 2, "status", "unknown status 'left'"},
    {"built-in id", HEADER
        "USA-WTO-2018-threat,WTO,WTO,,trade,multilateral,USA,2,,,threatened-exit,2018,,,,,,,,0,,s,\n",
     OL_EVALIDATE, 2, "id", "built-in event"},
    {"missing column",
     "id,institution,institution_en,domain,form,actor,status\n"
     "X-1,WTO,WTO,trade,multilateral,USA,exited\n",
     OL_EPARSE, 1, "source", "missing column 'source'"},
    {"unknown column",
     "id,institution,institution_en,domain,form,actor,status,source,anounced\n"
     "X-1,WTO,WTO,trade,multilateral,USA,exited,s,2018\n",
     OL_EPARSE, 1, "anounced", "unknown column"},
    {"missing required value", HEADER
        "X-1,WTO,WTO,,trade,multilateral,USA,2,,,exited,2018,,,,,,,,0,,,\n",
     OL_EVALIDATE, 2, "source", "required"},
    {"bad domain item", HEADER
        "X-1,WTO,WTO,,trade;economy,multilateral,USA,2,,,exited,2018,,,,,,,,0,,s,\n",
     OL_EVALIDATE, 2, "domain", "unknown domain 'economy'"},
    {"bad effect", HEADER
        "X-1,WTO,WTO,,trade,multilateral,USA,2,,,exited,2018,,,,,overflow,,,0,,s,\n",
     OL_EVALIDATE, 2, "effect", "unknown effect"},
    {"bad means", HEADER
        "X-1,WTO,WTO,,trade,multilateral,USA,2,,,exited,2018,,,,,,,cut-consumption;cut-consumption,0,,s,\n",
     OL_EVALIDATE, 2, "means", "twice"},
    {"wrong COW number", HEADER
        "X-1,WTO,WTO,,trade,multilateral,USA,3,,,exited,2018,,,,,,,,0,,s,\n",
     OL_EVALIDATE, 2, "actor_cown", "does not match"},
    {"reversal date alone", HEADER
        "X-1,WTO,WTO,,trade,multilateral,USA,2,,,exited,2018,,,,2019,,,,0,,s,\n",
     OL_EVALIDATE, 2, "reversal", "reversal is empty"},
    {"bad in_scope", HEADER
        "X-1,WTO,WTO,,trade,multilateral,USA,2,,,exited,2018,,,,,,,,yes,,s,\n",
     OL_EVALIDATE, 2, "in_scope", "not 0 or 1"},
    {"bad id", HEADER
        "X 1,WTO,WTO,,trade,multilateral,USA,2,,,exited,2018,,,,,,,,0,,s,\n",
     OL_EVALIDATE, 2, "id", "not a valid id"},
    {"short record", HEADER GOOD_ROW "X-2,WTO,WTO\n",
     OL_EPARSE, 3, "", "fields"},
};

static void test_bad_inputs(void **state)
{
    fixture *f = *state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *bc = &bad_cases[i];
        char name[64];
        snprintf(name, sizeof name, "bad%02zu.csv", i);
        char *path = ol_test_write(f->dir, name, bc->text);
        int64_t events = ol_test_count(f->s, "events"), sources = ol_test_count(f->s, "sources"),
                rejects = ol_test_count(f->s, "import_rejects");
        ol_error err;
        ol_error_clear(&err);
        ol_status st = ol_catalog_import_csv(f->s, path, NULL, NULL, NULL, &err);
        char msg[2048];
        ol_error_format(&err, msg, sizeof msg);
        if (st != bc->code || err.line != bc->line || strcmp(err.field, bc->field) != 0 ||
            !strstr(err.message, bc->fragment) || strcmp(err.file, path) != 0)
            fail_msg("case '%s': status %d, got '%s'", bc->name, (int)st, msg);
        if (bc->code == OL_EVALIDATE) assert_true(err.column > 0);
        /* Nothing was written. */
        assert_int_equal(ol_test_count(f->s, "events"), events);
        assert_int_equal(ol_test_count(f->s, "sources"), sources);
        assert_int_equal(ol_test_count(f->s, "import_rejects"), rejects);
        free(path);
    }
    /* Empty file and a file that is not there. */
    char *path = ol_test_write(f->dir, "empty.csv", "");
    ol_error err;
    ol_error_clear(&err);
    assert_int_equal(ol_catalog_import_csv(f->s, path, NULL, NULL, NULL, &err), OL_EPARSE);
    free(path);
    path = ol_test_path(f->dir, "absent.csv");
    assert_int_equal(ol_catalog_import_csv(f->s, path, NULL, NULL, NULL, &err), OL_EIO);
    free(path);
    assert_int_equal(count_where(f->s, "origin = 'user'"), 0);
}

static void test_import_with_rejects(void **state)
{
    /* Through the generic importer, --allow-rejects semantics apply: the bad
     * row is reported and left out, the good one kept. */
    fixture *f = *state;
    char *path = ol_test_write(f->dir, "mixed.csv", HEADER GOOD_ROW
        "X-2,WTO,WTO,,trade,multilateral,XYZ,,,,threatened-exit,2018,,,,,,,,0,,s,\n");
    ol_import_options opt;
    ol_import_options_init(&opt);
    opt.max_rejects = -1;
    ol_import_summary sum;
    ol_error err;
    ol_error_clear(&err);
    OL_ASSERT_OK(ol_import_file(f->s, "events", path, &opt, &sum, NULL, &err), &err);
    assert_int_equal(sum.rows_read, 2);
    assert_int_equal(sum.rows_kept, 1);
    assert_int_equal(sum.rows_rejected, 1);
    assert_int_equal(ol_test_count(f->s, "import_rejects"), 1);
    assert_int_equal(count_where(f->s, "origin = 'user'"), 1);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_builtin_loaded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_builtin_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_builtin_rows_valid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreach_stops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
        cmocka_unit_test(test_vocab),
        cmocka_unit_test_setup_teardown(test_ensure_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_rows_survive_reload, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_row_shadows_builtin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ensure_joins_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_reload_keeps_caller_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reimport_replaces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_normalises, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_inputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_with_rejects, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
