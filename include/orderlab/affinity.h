/*
 * orderlab/affinity.h — agreement of UN General Assembly votes with a
 * reference state: share agreeing, S-score and Cohen's kappa per country and
 * year (or session).
 *
 * The paper reads the UN General Assembly record (图 4.2 联合国大会主要大国的
 * 表决趋势图) as showing the positions (立场) of the emerging powers drawing
 * closer while traditional allies drift away from the US (盟国的疏离).  This
 * module measures how often each state voted with a reference state, from
 * the roll calls and votes in the store (tables roll_calls and votes, filled
 * by the unvotes-rollcalls and unvotes-votes importers).  docs/affinity.md
 * gives the definitions, their sources and a check against the agreement
 * scores published with the Bailey–Strezhnev–Voeten ideal points.
 *
 * Definitions.  Votes are coded 1 yes, 2 abstain, 3 no (votes.vote); absent
 * members have no vote.  For a country c, the reference r and a period p (a
 * calendar year, roll_calls.year, or a session, roll_calls.session):
 *   - The joint roll calls are the roll calls of p on which both c and r
 *     cast a vote, less those the options leave out: by default a roll call
 *     on which every country that voted cast the same vote (a unanimous roll
 *     call, judged over all votes in the store, not only the countries
 *     asked for) says nothing about alignment and is left out
 *     (keep_unanimous = 1 keeps it); final_passage = 1 also leaves out
 *     roll calls marked as amendment or paragraph votes (roll_calls.amend or
 *     .para = 1).  n is their number, and n_ij (i, j = 0 yes, 1 abstain,
 *     2 no) the number with c voting i and r voting j.
 *   - agree, OL_AGREE_IDENTICAL (the default): the share of joint roll
 *     calls on which c cast the same vote as r, Σ_i n_ii / n.  An
 *     abstention against a yes or a no counts as disagreement.  This is the
 *     convention of the USAgree column published with the BSV ideal points
 *     (docs/affinity.md: it reproduces that column exactly where the roll
 *     calls are the same).  OL_AGREE_LIJPHART: Lijphart's (1963) index of
 *     agreement, 1 for the same vote, 1/2 when exactly one of the two
 *     abstains, 0 for yes against no, averaged: 1 - Σ n_ij |i-j| / (2n).
 *   - s_score (Signorino & Ritter 1999) with the three votes placed at 0
 *     (yes), 1/2 (abstain) and 1 (no), so that the largest distance d_max
 *     is 1: S = 1 - 2 d / d_max with d the mean distance, which is
 *     S = 1 - Σ n_ij |i-j| / n.  S lies in [-1, 1]; the Lijphart index is
 *     (1 + S) / 2.
 *   - kappa: Cohen's kappa of the 3 × 3 table n_ij, (p_o - p_e) / (1 - p_e)
 *     with p_o = Σ_i n_ii / n and p_e = Σ_i (row_i / n)(col_i / n).  When
 *     p_e = 1 (both cast one and the same vote on every joint roll call)
 *     kappa is undefined: kappa_defined = 0 and kappa = 0, never NaN.  The
 *     test p_e = 1 is exact, on the integer counts.
 *   - A country-period with 0 < n < min_votes is left out and counted
 *     (below_min_votes).  The reference itself is never a row.
 *
 * Ownership: the result belongs to the caller (ol_affinity_result_free,
 * NULL accepted); nothing refers to the store or the options after a call.
 * Errors: OL_EINVAL for bad options; OL_ENOTFOUND when the store has no votes
 * (field "votes"; the message says which imports fill them), when the
 * reference or a country asked for is unknown (field "with" or "country";
 * the message lists countries whose names contain the query) or when the
 * reference cast no vote at all; OL_EAMBIGUOUS from country resolution (the
 * message lists the candidates); OL_ESTORE, OL_ENOMEM.
 * Complexity: one pass over the votes in key order (rcid, country), no
 * sort: O(V + R + C·P) time for V votes, R roll calls, C countries and P
 * periods, O(R + C·P) memory.  The full Voeten data (870,109 votes) take
 * well under a second (docs/affinity.md gives the measured time).
 */
#ifndef ORDERLAB_AFFINITY_H
#define ORDERLAB_AFFINITY_H

#include "orderlab/countries.h"
#include "orderlab/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The reference state when none is named. */
#define OL_AFFINITY_DEFAULT_WITH "USA"
/* Fewest joint votes a country-period needs to be reported. */
#define OL_AFFINITY_DEFAULT_MIN_VOTES 1

typedef enum ol_affinity_period {
    OL_AFFINITY_BY_YEAR = 0,   /* roll_calls.year (roll calls without a date are left out) */
    OL_AFFINITY_BY_SESSION     /* roll_calls.session */
} ol_affinity_period;

typedef enum ol_affinity_agree {
    OL_AGREE_IDENTICAL = 0,    /* same vote 1, else 0 (the BSV USAgree convention) */
    OL_AGREE_LIJPHART          /* same 1, one abstains 1/2, yes against no 0 */
} ol_affinity_agree;

typedef struct ol_affinity_options {
    const char *with;                /* reference: any code or name; NULL or "": OL_AFFINITY_DEFAULT_WITH */
    ol_affinity_period by;
    ol_affinity_agree agree;
    int keep_unanimous;              /* 1: count unanimous roll calls too */
    int final_passage;               /* 1: leave out amendment and paragraph votes */
    const char *const *countries;    /* country queries to report; NULL or ncountries 0: all */
    size_t ncountries;
    int from, to;                    /* first and last period (years, or sessions with
                                      * OL_AFFINITY_BY_SESSION), inclusive; 0 = no bound */
    int64_t min_votes;               /* >= 1 */
} ol_affinity_options;

/* Defaults: reference USA, by year, identical votes, unanimous roll calls
 * left out, all roll calls (not only final passage), every country, every
 * period, min_votes OL_AFFINITY_DEFAULT_MIN_VOTES. */
OL_API void ol_affinity_options_init(ol_affinity_options *opt);

typedef struct ol_affinity_row {
    char country[OL_CODE_MAX];  /* orderlab code */
    int period;                 /* year or session */
    int64_t n;                  /* joint roll calls */
    double agree;               /* per opt->agree, in [0, 1] */
    double s_score;             /* in [-1, 1] */
    double kappa;               /* in [-1, 1] when kappa_defined; 0 otherwise */
    int kappa_defined;          /* 0 when p_e = 1: report kappa as missing */
    int64_t table[3][3];        /* n_ij: [country's vote][reference's vote], 0 yes 1 abstain 2 no */
} ol_affinity_row;

typedef struct ol_affinity_result {
    ol_country with;                  /* the reference as resolved */
    ol_affinity_period by;
    ol_affinity_agree agree;
    int keep_unanimous, final_passage;
    int64_t min_votes;
    size_t n;
    ol_affinity_row *rows;            /* by country code, then period */
    int64_t below_min_votes;          /* country-periods left out with 0 < n < min_votes */
    /* What happened to the roll calls (each counted once, in this order): */
    int64_t rollcalls_no_period;      /* no year (no date) when by year */
    int64_t rollcalls_out_of_range;   /* period outside [from, to] */
    int64_t rollcalls_not_final;      /* amendment or paragraph votes, with final_passage */
    int64_t rollcalls_no_votes;       /* no vote stored at all */
    int64_t rollcalls_without_with;   /* the reference cast no vote */
    int64_t rollcalls_unanimous;      /* left out as unanimous (0 with keep_unanimous) */
    int64_t rollcalls_used;           /* the rest: the roll calls the rows count from */
} ol_affinity_result;

/*
 * Computes the rows described above from the store's roll calls and votes.
 * On success *out owns the result; a country asked for that has no joint
 * roll call in range simply has no rows.
 */
OL_API ol_status ol_affinity_compute(ol_store *store, const ol_affinity_options *opt,
                                     ol_affinity_result **out, ol_error *err);
OL_API void ol_affinity_result_free(ol_affinity_result *r);

/*
 * The scores of one table of joint votes, for callers with their own counts
 * and for tests: from row->table, fills row->n, agree, s_score, kappa and
 * kappa_defined (country and period are left as they are).  OL_EINVAL when
 * a count is negative or the table is empty.
 */
OL_API ol_status ol_affinity_score(ol_affinity_row *row, ol_affinity_agree agree, ol_error *err);

/* "year" or "session"; "identical" or "lijphart".  NULL for other values. */
OL_API const char *ol_affinity_period_name(ol_affinity_period by);
OL_API const char *ol_affinity_agree_name(ol_affinity_agree agree);
/* Parses those names; OL_EINVAL quoting the text otherwise. */
OL_API ol_status ol_affinity_parse_period(const char *text, ol_affinity_period *out, ol_error *err);
OL_API ol_status ol_affinity_parse_agree(const char *text, ol_affinity_agree *out, ol_error *err);

#ifdef __cplusplus
}
#endif
#endif
