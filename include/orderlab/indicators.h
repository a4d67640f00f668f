/*
 * orderlab/indicators.h — series from the store, the power ratio of one state
 * to a reference state and the years it crosses a threshold (default 2/3).
 *
 * The paper (§4(一)) holds that the hegemon's tolerance of the order breaks
 * when an emerging power's GDP reaches 2/3 of the hegemon's.  This module
 * measures that claim on whatever series the store holds (World Bank
 * NY.GDP.MKTP.CD by default; pwt.cgdpo, nmc.cinc... work the same way) and
 * reports every crossing, so that the claim can be checked, not assumed.
 * docs/indicators.md gives the definitions with worked examples.
 *
 * Definitions (ratio r(t) = numerator(t) / denominator(t), threshold τ):
 *   - Observed years: the years in range where BOTH countries have a value
 *     in the chosen source.  Missing values are gaps; nothing is
 *     interpolated and no NaN is ever stored or returned.
 *   - "At or above" means r(t) >= τ (a ratio exactly equal to τ counts).
 *   - Let t_1 < t_2 < ... < t_m be the observed years.  There is an UPWARD
 *     crossing in year t_k (k >= 2) when r(t_{k-1}) < τ <= r(t_k), and a
 *     DOWNWARD crossing in year t_k when r(t_{k-1}) >= τ > r(t_k).  A
 *     crossing is dated at the first observed year on the new side.  When
 *     t_k - t_{k-1} > 1 the crossing happened somewhere in a gap: it is still
 *     dated t_k, and flagged (across_gap = 1, prev_year = t_{k-1}).
 *   - The first observed year t_1 is never a crossing (nothing before it to
 *     cross from); when r(t_1) >= τ the series "starts at or above".
 *   - first_year: the first observed year with r(t) >= τ (0 when none).
 *   - sustained_year: the first observed year from which r stays >= τ
 *     through the last observed year t_m — i.e. the year of the last upward
 *     crossing (or t_1 if the series never was below τ) — provided
 *     r(t_m) >= τ; 0 ("none") otherwise.  It is provisional by nature: one
 *     more year of data below τ removes it.
 *
 * Source and vintage.  indicator_values may hold the same series from several
 * imports (sources: kind, name, vintage).  A series is read from ONE source:
 * by default the most recently imported source of that series that has the
 * country (sources.imported_at, then sources.id, newest first); a caller may
 * name a vintage instead (sources.vintage; when several sources of the
 * series share it, the most recently imported one).  A ratio prefers one
 * source that has both countries, so that it never mixes vintages silently;
 * only when no source has both does it read each country from its own newest
 * source, and then says so (mixed_sources = 1).
 *
 * Ownership: every object returned through an out-pointer belongs to the
 * caller and is freed with its _free function (NULL is accepted).  Nothing
 * holds a reference to the store after a call returns.
 * Errors: OL_ENOTFOUND for an unknown series, country or vintage (the message
 * names which, and for a series which import provides it is up to the
 * caller: the CLI adds the hint); OL_EAMBIGUOUS from country resolution;
 * OL_EINVAL for bad options; OL_ESTORE, OL_ENOMEM otherwise.
 * Complexity: reading a series is one indexed query, O(years).  A ratio is
 * O(years); ol_ratio_all is O(countries × years).
 */
#ifndef ORDERLAB_INDICATORS_H
#define ORDERLAB_INDICATORS_H

#include "orderlab/countries.h"
#include "orderlab/plot.h"
#include "orderlab/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The series used when none is named: World Bank GDP, current US$. */
#define OL_SERIES_DEFAULT "NY.GDP.MKTP.CD"
/* The paper's tolerance threshold τ (§4(一)): the emerging power's GDP at
 * 2/3 of the hegemon's.  A default parameter, never hard-wired. */
#define OL_RATIO_DEFAULT_THRESHOLD (2.0 / 3.0)

enum { OL_SERIES_CODE_MAX = 64, OL_SOURCE_TEXT_MAX = 128 };

/* ------------------------------------------------------------ series */

/* Where a series' values came from (one row of the sources table). */
typedef struct ol_series_source {
    int64_t id;                          /* sources.id; 0 for a series made in memory */
    char kind[OL_SOURCE_TEXT_MAX];       /* importer kind, e.g. "wb" */
    char name[OL_SOURCE_TEXT_MAX];       /* dataset name, e.g. "NY.GDP.MKTP.CD" */
    char vintage[OL_SOURCE_TEXT_MAX];    /* e.g. "2024-10-21" */
    char imported_at[32];                /* ISO 8601 UTC */
} ol_series_source;

/* The values of one series for one country by year, ascending, gaps left
 * out: years[i] has values[i], years strictly increase, every value finite. */
typedef struct ol_series {
    char code[OL_SERIES_CODE_MAX];   /* series code, e.g. "NY.GDP.MKTP.CD" */
    char country[OL_CODE_MAX];       /* orderlab country code */
    char unit[OL_SOURCE_TEXT_MAX];   /* as stored with the values, e.g. "current US$" */
    char name[OL_SOURCE_TEXT_MAX];   /* the series table's name, else the code */
    ol_series_source source;
    size_t n;
    int *years;
    double *values;
} ol_series;

/*
 * Reads the values of series for country (an orderlab code; resolve names
 * with ol_country_resolve first) from one source: the named vintage, or when
 * vintage is NULL or "" the most recently imported source of the series that
 * has the country.  OL_ENOTFOUND when the series is not in the store at all,
 * when it has no values for the country, or when no source of it has that
 * vintage (the message lists the vintages there are).
 */
OL_API ol_status ol_series_read(ol_store *store, const char *series, const char *country,
                                const char *vintage, ol_series **out, ol_error *err);

/* Reads the values of series for country from the source with id source_id.
 * OL_ENOTFOUND when that source has none. */
OL_API ol_status ol_series_read_source(ol_store *store, const char *series, const char *country,
                                       int64_t source_id, ol_series **out, ol_error *err);

/*
 * Makes a series from arrays (copied), for callers with their own data and
 * for tests.  years must strictly increase and every value be finite
 * (OL_EINVAL naming the index otherwise).  code and country may be NULL.
 * unit may be NULL.  n may be 0.
 */
OL_API ol_status ol_series_new(const char *code, const char *country, const char *unit,
                               const int *years, const double *values, size_t n,
                               ol_series **out, ol_error *err);
OL_API void ol_series_free(ol_series *s);

/* The value in year, or 0 with *found = 0 when the year is a gap.
 * O(log n). */
OL_API double ol_series_value(const ol_series *s, int year, int *found);

/* ------------------------------------------------------------ ratio */

typedef struct ol_ratio_options {
    const char *numerator;    /* country query (any code or name): the emerging power */
    const char *denominator;  /* country query: the reference state (hegemon) */
    const char *series;       /* NULL or "": OL_SERIES_DEFAULT */
    const char *vintage;      /* NULL or "": newest source (see above) */
    double threshold;         /* τ > 0, finite; ol_ratio_options_init sets 2/3 */
    int from_year;            /* first year considered, 0 = no bound */
    int until_year;           /* last year considered, 0 = no bound */
} ol_ratio_options;

/* Defaults: series NY.GDP.MKTP.CD, threshold 2/3, all years, newest source. */
OL_API void ol_ratio_options_init(ol_ratio_options *opt);

/*
 * Parses a threshold as users write it: a fraction "2/3", a decimal
 * "0.6667", or a percentage "66.7%".  The result must be finite and > 0
 * (ratios above 1, e.g. "1" for parity, are allowed).  OL_EINVAL with the
 * text quoted otherwise.
 */
OL_API ol_status ol_ratio_parse_threshold(const char *text, double *out, ol_error *err);

/* Writes a threshold for people: a fraction with a denominator up to 12
 * when it is one ("2/3", "1"), else 4 significant digits ("0.6667"). */
OL_API void ol_ratio_format_threshold(double threshold, char *buf, size_t size);

typedef enum ol_crossing_dir { OL_CROSS_DOWN = -1, OL_CROSS_UP = 1 } ol_crossing_dir;

typedef struct ol_crossing {
    int year;               /* first observed year on the new side */
    int prev_year;          /* last observed year on the old side (year-1 unless a gap) */
    ol_crossing_dir direction;
    double ratio_before;    /* r(prev_year) */
    double ratio_after;     /* r(year) */
    int across_gap;         /* 1 when prev_year < year - 1 */
} ol_crossing;

typedef struct ol_ratio_point {
    int year;
    double numerator, denominator, ratio;
} ol_ratio_point;

typedef struct ol_ratio_result {
    ol_country numerator, denominator;   /* as resolved */
    char series[OL_SERIES_CODE_MAX];
    char series_name[OL_SOURCE_TEXT_MAX];
    char unit[OL_SOURCE_TEXT_MAX];
    ol_series_source numerator_source, denominator_source;
    int mixed_sources;       /* 1 when the two come from different sources */
    double threshold;
    size_t n;                /* observed years (both values present, in range) */
    ol_ratio_point *points;  /* ascending by year */
    int gaps;                /* years missing between the first and last observed year */
    int first_year;          /* first observed year with r >= τ, 0 = never */
    int sustained_year;      /* see the definitions above, 0 = none */
    int starts_above;        /* 1 when r(t_1) >= τ (not counted as a crossing) */
    size_t ncrossings;
    ol_crossing *crossings;  /* in time order */
    double peak;             /* max r; 0 when n == 0 */
    int peak_year;           /* first year of the max, 0 when n == 0 */
    int first_data_year;     /* t_1, 0 when n == 0 */
    int last_year;           /* t_m, 0 when n == 0 */
    double last_ratio;       /* r(t_m) */
} ol_ratio_result;

/*
 * Resolves the two countries (ol_country_resolve), reads the series (see the
 * source rule above), and computes the ratio and its crossings.  On success
 * *out owns the result (ol_ratio_result_free).  OL_ENOTFOUND when a country
 * is unknown, the series is missing, or the two share no observed year in
 * range (the message says which); OL_EINVAL when the options are invalid
 * (threshold <= 0 or not finite, from_year > until_year, same country twice).
 */
OL_API ol_status ol_ratio_compute(ol_store *store, const ol_ratio_options *opt,
                                  ol_ratio_result **out, ol_error *err);

/*
 * The same computation on two series already in memory, with no store:
 * points are the years both have, within [from_year, until_year] (0 = no
 * bound).  The result's numerator/denominator records hold only the codes of
 * the series (num->country, den->country).  n may be 0 (no common year): the
 * result then has no points and no crossings.  A zero denominator value
 * leaves that year out (it counts as a gap).
 */
OL_API ol_status ol_ratio_from_series(const ol_series *num, const ol_series *den, double threshold,
                                      int from_year, int until_year, ol_ratio_result **out,
                                      ol_error *err);

OL_API void ol_ratio_result_free(ol_ratio_result *r);

/* ------------------------------------------------------------ every state */

typedef struct ol_ratio_all_row {
    ol_country country;
    int first_year;          /* first observed year at or above τ */
    int sustained_year;      /* 0 = none */
    size_t ncrossings;       /* up and down */
    int starts_above;
    double peak;
    int peak_year;
    int last_year;
    double last_ratio;
    ol_series_source source; /* source of the country's values */
} ol_ratio_all_row;

typedef struct ol_ratio_all_result {
    ol_country denominator;
    char series[OL_SERIES_CODE_MAX];
    double threshold;
    size_t ncountries;       /* states examined (with at least one common year) */
    size_t n;                /* states that ever reached τ */
    ol_ratio_all_row *rows;  /* by first_year, then code */
} ol_ratio_all_result;

/*
 * Every state (countries.kind 'state' or 'former'; aggregates such as WLD and
 * EUU and territories are skipped) whose ratio to opt->denominator ever
 * reached opt->threshold in opt->series within the year range.
 * opt->numerator is ignored.  Each state is compared with the denominator
 * under the same source rule as ol_ratio_compute.  OL_ENOTFOUND when the
 * denominator is unknown or the series is missing or has no values for it.
 */
OL_API ol_status ol_ratio_all(ol_store *store, const ol_ratio_options *opt,
                              ol_ratio_all_result **out, ol_error *err);
OL_API void ol_ratio_all_result_free(ol_ratio_all_result *r);

/* ------------------------------------------------------------ the leader */

/*
 * The reference chosen by the data: --leader auto.  The leader of a year is
 * the largest state on the series, and each other state is compared with
 * the leader of the same year, so that the transitions of history (the
 * United Kingdom and the United States, the United States and the USSR,
 * Japan, China) come out of one computation instead of one command per pair.
 *
 * Definitions.  Values are read from ONE source: the named vintage, else the
 * most recently imported source of the series (sources.imported_at, then
 * id); states are countries.kind 'state' or 'former' (aggregates and
 * territories are left out), restricted to opt->among when given.
 *   - Reigns.  The leader of the first observed year is the largest state
 *     that year.  In each later year in which the leader has a value, a
 *     state with a larger value becomes the leader from that year on; in a
 *     year in which the leader has no value nothing changes (a gap in the
 *     leader's data is not a change of leader), unless its data have ended
 *     for good, when the largest state of the year takes over.  A reign runs
 *     from the year a state became leader to the year before the next
 *     leader's first year (or the last observed year).
 *   - Pairs.  For each reign and each other state, the ratio state/leader
 *     over the reign's years (both observed; as ol_ratio_from_series, with
 *     its crossings, first_year and sustained_year, all within the reign).
 *     A pair is reported when the ratio reached τ during the reign
 *     (first_year != 0).  overtook = the reign's last year + 1 when the
 *     state is the next leader, else 0.
 * Complexity: O(states × years) memory; O(reigns × states × years) time.
 */
typedef struct ol_leader_options {
    const char *series;            /* NULL or "": OL_SERIES_DEFAULT */
    const char *vintage;           /* NULL or "": the newest source */
    double threshold;              /* τ, default 2/3 */
    int from_year, until_year;     /* 0 = no bound */
    const char *const *among;      /* country queries of the pool, or NULL: every state */
    size_t namong;
} ol_leader_options;

OL_API void ol_leader_options_init(ol_leader_options *opt);

typedef struct ol_leader_reign {
    ol_country leader;
    int from, to;                  /* inclusive */
} ol_leader_reign;

typedef struct ol_leader_pair {
    size_t reign;                  /* index into reigns */
    ol_country challenger;
    int overtook;                  /* year the challenger became leader, 0 = it did not */
    ol_ratio_result *ratio;        /* challenger / leader within the reign; numerator and
                                      denominator records filled */
} ol_leader_pair;

typedef struct ol_leader_result {
    char series[OL_SERIES_CODE_MAX];
    char series_name[OL_SOURCE_TEXT_MAX];
    char unit[OL_SOURCE_TEXT_MAX];
    ol_series_source source;
    double threshold;
    size_t nstates;                /* states with at least one value in range */
    size_t nreigns;
    ol_leader_reign *reigns;       /* in time order */
    size_t npairs;
    ol_leader_pair *pairs;         /* by reign, then first year, then code */
} ol_leader_result;

/*
 * Computes the reigns and the pairs.  OL_ENOTFOUND when the series is not in
 * the store, the vintage has none of it, or no state of the pool has a value
 * in range; OL_EINVAL for bad options; OL_EAMBIGUOUS / OL_ENOTFOUND from a
 * country of opt->among.
 */
OL_API ol_status ol_leader_compute(ol_store *store, const ol_leader_options *opt, ol_leader_result **out,
                                   ol_error *err);
OL_API void ol_leader_result_free(ol_leader_result *r);

/* ------------------------------------------------------------ crossings by measure */

/*
 * The same historical cases on several measures (current US$, Maddison PPP,
 * PWT, CINC...): for each case (reference, challenger) and each series, the
 * ratio challenger/reference and its crossings, so that the years the 2/3
 * threshold was crossed can be compared across measures (the data of
 * `orderlab plot crossings`).  Each cell is computed as ol_ratio_compute
 * does (one source that has both, else each its newest), with two rules for
 * former states:
 *   - the years of a case with a former state (countries.kind 'former', e.g.
 *     SUN) are limited to that state's years (countries.start_year ..
 *     end_year), so that a series that extends the entity (Maddison's
 *     "Former USSR" to 2022) is not read as the state;
 *   - a former state with no values of its own in a series is read from its
 *     successor (SUN -> RUS) when the successor has a value in every year of
 *     the former state's existence in which the reference has one: the
 *     series then codes the state under its successor (COW codes the USSR
 *     as 365, which orderlab maps to RUS).  cell.via_successor says so.
 * A cell with no common year has status OL_ENOTFOUND and no ratio.
 * The default cases and their eras (docs/indicators.md says why): UK-US and
 * UK-Germany 1816-1913, the British-led order before the First World War;
 * US-USSR, US-Japan and US-China from 1946, the American-led order after the
 * Second (US-USSR ends with the USSR in 1991).
 */
typedef struct ol_crossing_case {
    const char *reference;         /* country query, e.g. "GBR" */
    const char *challenger;        /* country query, e.g. "USA" */
    const char *label;             /* e.g. "UK-US"; NULL: "REF-CHAL" codes */
    int from_year, until_year;     /* the era of the case (0 = open): a challenge is to the
                                      reference of its time, so the crossing looked for is the
                                      one inside the era */
} ol_crossing_case;

typedef struct ol_crossings_options {
    const ol_crossing_case *cases; /* NULL: the five default cases (UK-US, UK-Germany, US-USSR,
                                      US-Japan, US-China) */
    size_t ncases;
    const char *const *series;     /* NULL: NY.GDP.MKTP.CD, maddison.gdp, pwt.cgdpo, nmc.cinc */
    size_t nseries;
    double threshold;
    int from_year, until_year;
} ol_crossings_options;

OL_API void ol_crossings_options_init(ol_crossings_options *opt);

typedef struct ol_crossings_cell {
    ol_status status;              /* OL_OK, or OL_ENOTFOUND: no data for the case */
    char challenger[OL_CODE_MAX];  /* the code read (SUN, or RUS via the successor rule) */
    int via_successor;
    int from_year, until_year;     /* the years the case was limited to (0 = none) */
    ol_ratio_result *ratio;        /* NULL unless status is OL_OK */
} ol_crossings_cell;

typedef struct ol_crossings_table {
    size_t ncases, nseries;
    char (*labels)[64];            /* ncases case labels */
    ol_country *references, *challengers;   /* ncases, as resolved */
    char (*series)[OL_SERIES_CODE_MAX];     /* nseries */
    char (*series_names)[OL_SOURCE_TEXT_MAX];
    double threshold;
    ol_crossings_cell *cells;      /* ncases × nseries, row-major (case, series) */
} ol_crossings_table;

/* Series missing from the store are not an error: their cells are
 * OL_ENOTFOUND.  Errors: OL_EINVAL (options), country resolution, store. */
OL_API ol_status ol_crossings_compute(ol_store *store, const ol_crossings_options *opt,
                                      ol_crossings_table **out, ol_error *err);
OL_API void ol_crossings_table_free(ol_crossings_table *t);

/* The figure of a crossings table: one row per case, one lane per series,
 * a thin line over the observed years, a thick one where the ratio is at or
 * above τ, and every upward crossing marked with its year.  Owned by the
 * caller (free with ol_crossings_figure_free); points into t, which must
 * outlive it. */
typedef struct ol_crossings_figure ol_crossings_figure;
OL_API ol_status ol_crossings_figure_new(const ol_crossings_table *t, ol_crossings_figure **out, ol_error *err);
OL_API const ol_plot_spans_data *ol_crossings_figure_data(const ol_crossings_figure *f);
OL_API void ol_crossings_figure_free(ol_crossings_figure *f);

/* ------------------------------------------------------------ Figure 4.1 */

/*
 * The data of the paper's Figure 4.1 (图 4.1 中美日 GDP 走势对比图): the level
 * of the series for a reference state and others, τ × the reference's level,
 * and each other state's ratio to the reference with its first year at or
 * above τ marked.  This is where the figure's numbers are computed; the plot
 * module only draws them (ol_plot_gdp_figure).
 */
typedef struct ol_gdp_figure_options {
    const char *const *countries; /* country queries; the FIRST is the reference */
    size_t ncountries;            /* >= 2 */
    const char *series;           /* NULL: OL_SERIES_DEFAULT */
    const char *vintage;          /* NULL: newest source */
    double threshold;             /* τ */
    int from_year, until_year;    /* 0 = from the data */
} ol_gdp_figure_options;

/* countries USA, CHN, JPN; default series, τ = 2/3, all years. */
OL_API void ol_gdp_figure_options_init(ol_gdp_figure_options *opt);

typedef struct ol_gdp_figure ol_gdp_figure;

/*
 * Reads the series and computes the ratios (one ol_ratio_compute per
 * non-reference country) and fills the figure data: levels scaled to a
 * readable unit (trillions, billions... chosen from the values and the
 * stored unit), labels, title, and a note naming sources and vintages.
 * Errors as ol_ratio_compute.  *out owns everything the plot data points to.
 */
OL_API ol_status ol_gdp_figure_new(ol_store *store, const ol_gdp_figure_options *opt,
                                   ol_gdp_figure **out, ol_error *err);
OL_API void ol_gdp_figure_free(ol_gdp_figure *fig);
/* The data to pass to ol_plot_gdp_figure; owned by fig. */
OL_API const ol_plot_gdp_data *ol_gdp_figure_data(const ol_gdp_figure *fig);
/* The ratio results behind the bottom panel (i < ol_gdp_figure_nratios). */
OL_API size_t ol_gdp_figure_nratios(const ol_gdp_figure *fig);
OL_API const ol_ratio_result *ol_gdp_figure_ratio(const ol_gdp_figure *fig, size_t i);

#ifdef __cplusplus
}
#endif
#endif
