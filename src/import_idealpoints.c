/*
 * Published UN General Assembly ideal points of Bailey, Strezhnev and Voeten
 * (Voeten's Dataverse hdl:1902.1/12379), in either of its two layouts, told
 * apart by the header:
 *
 *   session layout (IdealpointestimatesAll_Jun2024.csv): one row per country
 *     and session; estimate "bsv-all", period_kind "session", year = session
 *     + OL_UNGA_SESSION_YEAR_OFFSET; the agreement columns (USAgree...) go to
 *     indicator series unga.agree.<country>.
 *   year layout (IdealpointsJuly2025.csv): one row per country and calendar
 *     year, three estimates per row: "bsv-fp" (final-passage votes), "bsv-all"
 *     (all votes) and "bsv-legacy" (the session-based estimate), period_kind
 *     "year".
 *
 * The country is the COW code (ccode) resolved with the year; the iso3c
 * column, where present, must name the same country or its predecessor or
 * successor (producers keep the old label across a change of state, e.g.
 * YUG for Serbia after 2006).  Missing values are empty or "NA".  Counting:
 * one record per row; a row is kept when at least one of its estimates is
 * stored (an empty estimate is left out on its own), skipped when none is.
 * docs/importers-unga.md documents every rule.
 */
#include "import_helpers.h"

#include "util/text.h"

#include <stdio.h>
#include <string.h>

/* UNGA session n opens in September of year n + 1945 (session 1: 1946);
 * the producers date session estimates this way. */
enum { OL_UNGA_SESSION_YEAR_OFFSET = 1945 };

/* Agreement columns of the session layout and the series they feed. */
static const struct agree_col {
    const char *column, *series, *name;
} agree_cols[] = {
    {"USAgree", "unga.agree.usa", "Share of UNGA votes agreeing with the United States"},
    {"RUSSAgree", "unga.agree.rus", "Share of UNGA votes agreeing with Russia (USSR)"},
    {"BrazilAgree", "unga.agree.bra", "Share of UNGA votes agreeing with Brazil"},
    {"ChinaAgree", "unga.agree.chn", "Share of UNGA votes agreeing with China (PRC)"},
    {"IndiaAgree", "unga.agree.ind", "Share of UNGA votes agreeing with India"},
    {"IsraelAgree", "unga.agree.isr", "Share of UNGA votes agreeing with Israel"},
};
enum { NAGREE = sizeof agree_cols / sizeof agree_cols[0] };
static const char AGREE_UNIT[] = "share of votes agreeing";
static const char AGREE_DESCRIPTION[] =
    "Share of the UNGA roll calls of a session on which the country voted as the named country did "
    "(Bailey, Strezhnev and Voeten, IdealpointestimatesAll; year = session + 1945).";

/* One estimate of a row: the value and the optional columns that go with it
 * (-1 = the layout has no such column). */
typedef struct estimate_cols {
    const char *estimate;
    long value, nvotes, q05, q50, q95;
} estimate_cols;

typedef struct parsed_estimate {
    int present;
    double value, q05, q50, q95;
    int has_q05, has_q50, has_q95, has_nvotes;
    int nvotes;
} parsed_estimate;

typedef struct ip_ctx {
    ol_import_ctx *c;
    ol_csv *r;
    sqlite3_stmt *ins, *agree;
    long col_ccode, col_iso3, col_period;
    const char *period_field;
    const char *period_kind;
    int year_offset;                 /* year = period + offset */
    estimate_cols est[3];
    int nest;
    long agree_idx[NAGREE];          /* -1 when the column is absent */
    const char *const *names;        /* required columns of the layout, and */
    long idx[16];                    /* their field indices, for reject messages */
    size_t nnames;
} ip_ctx;

/* The header name of 0-based column col (a required column of the layout). */
static const char *name_of(const ip_ctx *p, long col)
{
    for (size_t k = 0; k < p->nnames; k++)
        if (p->idx[k] == col) return p->names[k];
    return "";
}

/* Parses an optional number; returns 0 (and *why) when present but not a number. */
static int opt_double(const char *s, double *v, int *has)
{
    *has = 0;
    if (ol_import_is_na(s)) return 1;
    if (!ol_parse_double(s, v)) return 0;
    *has = 1;
    return 1;
}

/* Vote counts are whole numbers, though Stata may print them as "25.0". */
static int opt_count(const char *s, int *v, int *has)
{
    double d;
    *has = 0;
    if (ol_import_is_na(s)) return 1;
    if (ol_parse_int(s, v)) { *has = 1; return *v >= 0; }
    if (!ol_parse_double(s, &d) || d < 0 || d > 1e9 || d != (double)(int)d) return 0;
    *v = (int)d;
    *has = 1;
    return 1;
}

/* The orderlab code iso3c names: an ISO3 code, else an orderlab code (for
 * project codes such as YAR), with the year. */
static const char *iso3_code(const ol_country_index *ix, const char *iso3, int year)
{
    const char *code = ol_country_index_lookup(ix, OL_CODES_ISO3, iso3, year);
    return code ? code : ol_country_index_lookup(ix, OL_CODES_ORDERLAB, iso3, year);
}

/* 1 when a and b are the same country or one is the other's successor. */
static int same_or_succession(const ol_country_index *ix, const char *a, const char *b)
{
    if (strcmp(a, b) == 0) return 1;
    const ol_country *ca = ol_country_index_get(ix, a), *cb = ol_country_index_get(ix, b);
    return (ca && strcmp(ca->successor, b) == 0) || (cb && strcmp(cb->successor, a) == 0);
}

static ol_status do_row(ip_ctx *p)
{
    ol_import_ctx *c = p->c;
    ol_csv *r = p->r;
    const char *ccs = ol_csv_field(r, (size_t)p->col_ccode);
    const char *ps = ol_csv_field(r, (size_t)p->col_period);
    int ccode, period;
    if (!ol_parse_int(ccs, &ccode) || ccode <= 0)
        return ol_import_reject_at(c, r, p->col_ccode, "ccode", "not a COW country code: '%s'", ccs);
    if (!ol_parse_int(ps, &period) || period <= 0)
        return ol_import_reject_at(c, r, p->col_period, p->period_field, "not a positive whole number: '%s'", ps);
    int year = period + p->year_offset;

    /* Every value is checked before anything is written. */
    parsed_estimate pe[3];
    int any = 0;
    memset(pe, 0, sizeof pe);
    for (int e = 0; e < p->nest; e++) {
        const estimate_cols *ec = &p->est[e];
        const char *vs = ol_csv_field(r, (size_t)ec->value);
        if (ol_import_is_na(vs)) continue;
        if (!ol_parse_double(vs, &pe[e].value))
            return ol_import_reject_at(c, r, ec->value, name_of(p, ec->value), "not a number: '%s'", vs);
        struct { long col; double *v; int *has; } q[3] = {
            {ec->q05, &pe[e].q05, &pe[e].has_q05}, {ec->q50, &pe[e].q50, &pe[e].has_q50},
            {ec->q95, &pe[e].q95, &pe[e].has_q95}};
        for (int k = 0; k < 3; k++) {
            if (q[k].col < 0) continue;
            const char *qs = ol_csv_field(r, (size_t)q[k].col);
            if (!opt_double(qs, q[k].v, q[k].has))
                return ol_import_reject_at(c, r, q[k].col, name_of(p, q[k].col), "not a number: '%s'", qs);
        }
        if (ec->nvotes >= 0) {
            const char *ns = ol_csv_field(r, (size_t)ec->nvotes);
            if (!opt_count(ns, &pe[e].nvotes, &pe[e].has_nvotes))
                return ol_import_reject_at(c, r, ec->nvotes, name_of(p, ec->nvotes), "not a vote count: '%s'", ns);
        }
        pe[e].present = 1;
        any = 1;
    }
    double agree[NAGREE];
    int has_agree[NAGREE];
    for (int k = 0; k < NAGREE; k++) {
        has_agree[k] = 0;
        if (p->agree_idx[k] < 0) continue;
        const char *as = ol_csv_field(r, (size_t)p->agree_idx[k]);
        if (!opt_double(as, &agree[k], &has_agree[k]) || (has_agree[k] && (agree[k] < 0 || agree[k] > 1)))
            return ol_import_reject_at(c, r, p->agree_idx[k], agree_cols[k].column,
                                       "not a share between 0 and 1: '%s'", as);
    }

    char num[16];
    snprintf(num, sizeof num, "%d", ccode);
    const char *code = ol_country_index_lookup(c->countries, OL_CODES_COWN, num, year);
    if (!code)
        return ol_import_reject_at(c, r, p->col_ccode, "ccode", "unknown COW country code %d in %d", ccode, year);
    const char *iso3 = p->col_iso3 >= 0 ? ol_csv_field(r, (size_t)p->col_iso3) : "";
    if (!ol_import_is_na(iso3)) {
        const char *icode = iso3_code(c->countries, iso3, year);
        if (!icode)
            return ol_import_reject_at(c, r, p->col_iso3, "iso3c",
                                       "ccode %d is %s in %d but iso3c '%s' is not a known code", ccode, code,
                                       year, iso3);
        if (!same_or_succession(c->countries, code, icode))
            return ol_import_reject_at(c, r, p->col_iso3, "iso3c",
                                       "ccode %d is %s in %d but iso3c '%s' is %s: the two columns disagree",
                                       ccode, code, year, iso3, icode);
    }
    if (!any) { ol_import_skip(c); return OL_OK; }

    for (int e = 0; e < p->nest; e++) {
        if (!pe[e].present) continue;
        sqlite3_stmt *st = p->ins;
        sqlite3_bind_text(st, 1, p->est[e].estimate, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, period);
        sqlite3_bind_int(st, 5, year);
        sqlite3_bind_double(st, 6, pe[e].value);
        if (pe[e].has_q05) sqlite3_bind_double(st, 7, pe[e].q05); else sqlite3_bind_null(st, 7);
        if (pe[e].has_q50) sqlite3_bind_double(st, 8, pe[e].q50); else sqlite3_bind_null(st, 8);
        if (pe[e].has_q95) sqlite3_bind_double(st, 9, pe[e].q95); else sqlite3_bind_null(st, 9);
        if (pe[e].has_nvotes) sqlite3_bind_int(st, 10, pe[e].nvotes); else sqlite3_bind_null(st, 10);
        int rc = ol_import_insert(c, st, "storing an ideal point");
        if (rc < 0) return c->err ? c->err->code : OL_ESTORE;
        if (rc == 0) {
            /* A duplicate of an earlier row: undo this row's earlier estimates
             * so that a rejected row leaves nothing behind. */
            for (int k = 0; k < e; k++) {
                if (!pe[k].present) continue;
                char sql[] = "DELETE FROM ideal_points WHERE estimate = ?1 AND country = ?2 AND period_kind = ?3 "
                             "AND period = ?4 AND source_id = ?5";
                sqlite3_stmt *del = NULL;
                if (sqlite3_prepare_v2(ol_store_db(c->store), sql, -1, &del, NULL) != SQLITE_OK)
                    return ol_store_fail(c->store, c->err, "undoing a rejected row");
                sqlite3_bind_text(del, 1, p->est[k].estimate, -1, SQLITE_STATIC);
                sqlite3_bind_text(del, 2, code, -1, SQLITE_STATIC);
                sqlite3_bind_text(del, 3, p->period_kind, -1, SQLITE_STATIC);
                sqlite3_bind_int(del, 4, period);
                sqlite3_bind_int64(del, 5, c->source_id);
                int drc = sqlite3_step(del);
                sqlite3_finalize(del);
                if (drc != SQLITE_DONE) return ol_store_fail(c->store, c->err, "undoing a rejected row");
            }
            return ol_import_reject_at(c, r, p->col_ccode, "ccode",
                                       "duplicate: %s already has a '%s' ideal point for %s %d in this file "
                                       "(ccode %d maps to %s in %d)", code, p->est[e].estimate,
                                       p->period_kind, period, ccode, code, year);
        }
    }
    for (int k = 0; k < NAGREE; k++) {
        if (!has_agree[k]) continue;
        sqlite3_bind_text(p->agree, 1, agree_cols[k].series, -1, SQLITE_STATIC);
        sqlite3_bind_text(p->agree, 2, code, -1, SQLITE_STATIC);
        sqlite3_bind_int(p->agree, 3, year);
        sqlite3_bind_double(p->agree, 4, agree[k]);
        /* The ideal point of this country and year was new, so its
         * agreement values are too. */
        if (ol_import_insert(c, p->agree, "storing an agreement share") != 1)
            return c->err && c->err->code ? c->err->code : OL_ESTORE;
    }
    ol_import_keep(c);
    return OL_OK;
}

/* Maps the header of the session or year layout; fills p. */
static ol_status map_layout(ip_ctx *p)
{
    ol_import_ctx *c = p->c;
    ol_csv *r = p->r;
    for (int k = 0; k < NAGREE; k++) p->agree_idx[k] = -1;
    if (ol_csv_find(r, "session") >= 0 && ol_csv_find(r, "IdealPointAll") >= 0) {
        static const char *const names[] = {"ccode", "session", "iso3c", "IdealPointAll", "NVotesAll",
                                            "Q5%All", "Q50%All", "Q95%All"};
        long *idx = p->idx;
        ol_status s = ol_csv_require(r, names, 8, idx, c->err);
        if (s) return s;
        p->names = names;
        p->nnames = 8;
        p->col_ccode = idx[0]; p->col_period = idx[1]; p->col_iso3 = idx[2];
        p->period_field = "session";
        p->period_kind = "session";
        p->year_offset = OL_UNGA_SESSION_YEAR_OFFSET;
        p->est[0] = (estimate_cols){"bsv-all", idx[3], idx[4], idx[5], idx[6], idx[7]};
        p->nest = 1;
        for (int k = 0; k < NAGREE; k++) p->agree_idx[k] = ol_csv_find(r, agree_cols[k].column);
        return OL_OK;
    }
    if (ol_csv_find(r, "year") >= 0 && ol_csv_find(r, "idealpointfp") >= 0) {
        static const char *const names[] = {"ccode", "year", "iso3c", "idealpointfp", "nvotesfp", "q5fp",
                                            "q50fp", "q95fp", "idealpointall", "nvotesall", "q5all", "q50all",
                                            "q95all", "idealpointlegacy", "nvotesLegacy"};
        long *idx = p->idx;
        ol_status s = ol_csv_require(r, names, 15, idx, c->err);
        if (s) return s;
        p->names = names;
        p->nnames = 15;
        p->col_ccode = idx[0]; p->col_period = idx[1]; p->col_iso3 = idx[2];
        p->period_field = "year";
        p->period_kind = "year";
        p->year_offset = 0;
        p->est[0] = (estimate_cols){"bsv-fp", idx[3], idx[4], idx[5], idx[6], idx[7]};
        p->est[1] = (estimate_cols){"bsv-all", idx[8], idx[9], idx[10], idx[11], idx[12]};
        p->est[2] = (estimate_cols){"bsv-legacy", idx[13], idx[14], -1, -1, -1};
        p->nest = 3;
        return OL_OK;
    }
    return ol_csv_error(r, c->err, OL_EPARSE, 0, NULL,
                        "not a known ideal-point layout: expected the session layout (columns ccode, "
                        "session, IdealPointAll, ...) or the calendar-year layout (ccode, year, "
                        "idealpointfp, idealpointall, idealpointlegacy, ...)");
}

ol_status ol_import_idealpoints(ol_import_ctx *c)
{
    ip_ctx p;
    memset(&p, 0, sizeof p);
    p.c = c;
    ol_status s = ol_import_open_csv(c, NULL, NULL, 0, NULL, &p.r);
    if (!s) s = map_layout(&p);
    if (!s) s = ol_import_prepare(c, "INSERT INTO ideal_points(estimate, country, period_kind, period, year, "
                                     "value, q05, q50, q95, nvotes, source_id) "
                                     "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)", &p.ins);
    if (!s) s = ol_import_prepare(c, "INSERT INTO indicator_values(series, country, year, source_id, value, "
                                     "unit, vintage) VALUES (?1,?2,?3,?5,?4,?6,?7)", &p.agree);
    if (s) goto done;
    sqlite3_bind_text(p.ins, 3, p.period_kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(p.ins, 11, c->source_id);
    sqlite3_bind_int64(p.agree, 5, c->source_id);
    sqlite3_bind_text(p.agree, 6, AGREE_UNIT, -1, SQLITE_STATIC);
    sqlite3_bind_text(p.agree, 7, c->vintage, -1, SQLITE_STATIC);
    for (int k = 0; k < NAGREE; k++) {
        if (p.agree_idx[k] < 0) continue;
        if ((s = ol_import_series(c, agree_cols[k].series, agree_cols[k].name, AGREE_UNIT, AGREE_DESCRIPTION)))
            goto done;
    }
    int got;
    while ((got = ol_csv_next(p.r, c->err)) == 1) {
        ol_import_read(c);
        if (c->sum->rows_read % OL_IMPORT_PROGRESS_EVERY == 0 && (s = ol_import_progress(c, p.r))) goto done;
        if ((s = do_row(&p))) goto done;
    }
    if (got < 0) s = c->err ? c->err->code : OL_EPARSE;
done:
    sqlite3_finalize(p.ins);
    sqlite3_finalize(p.agree);
    ol_csv_close(p.r);
    return s;
}
