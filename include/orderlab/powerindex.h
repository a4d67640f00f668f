/*
 * orderlab/powerindex.h — the Shapley–Shubik power index of voting games.
 *
 * The model (docs/model.md §4.1) measures an actor's privilege in an
 * institution (制度资源: votes, veto) by its Shapley–Shubik index in the
 * institution's decision rule: the probability that the actor is pivotal
 * when all players join a coalition in a uniformly random order.
 *
 * The game.  Players have non-negative integer weights (the model uses vote
 * shares in basis points) and may be veto players.  A coalition wins when its
 * weight reaches the quota AND it contains every veto player.  A weight larger
 * than total − quota is a veto by weight: no flag is needed for it, the index
 * sees it.  Players come in TYPES: `count` identical players (same weight,
 * same veto flag) — a block such as "the rest of the world, 176 members of 24
 * basis points each" is one type, not 176 entries, which is what makes large
 * games cheap.
 *
 * Methods (both exact; the cheaper is chosen).
 * (1) Enumeration, for a few distinct players beside one large block of
 * identical ones (a dozen states and the rest of the world): every
 * composition of a coalition by the other non-veto types is walked, and the
 * block's part is counted in closed form (the block counts that make a
 * player pivotal form an interval; Σ_c C(M,c)·s!(n−1−s)!/n! over it is a
 * difference of prefix sums).  Time O(T · Π_{t≠block}(m_t + 1)), memory
 * O(S · M) with S the players outside the block and M the block's size: the
 * IMF with 14 listed members and 176 others takes about a millisecond.
 * (2) Dynamic programming over integer weights: the number of
 * coalitions of each size and weight among the non-veto players (veto players
 * are forced into every winning coalition, so they only shift sizes and
 * weights).  The table is cut at min(quota − 1, total − quota) by counting
 * losing or blocking coalitions, whichever is narrower.  The leave-one-out
 * tables (every type without one of its players) come from a divide and
 * conquer over types, with additions only — no subtraction, so no
 * cancellation: results are exact up to the rounding of the coalition counts
 * (relative 1e-15), whatever the number of players.  Veto players share the
 * rest of the unit (they are symmetric: each needs the same set of others).
 *
 * Complexity of (2): O(n · n_R · Wc · log T) time and O(n_R · Wc · log T) memory,
 * with n players in all, n_R non-veto players, T non-veto types and
 * Wc = min(quota, total − quota) + 1.  The IMF's 85 % rule over 190 members
 * in basis points (Wc = 1,501) takes a few tens of milliseconds; a game of
 * identical players or of veto players only is O(1).
 * Limits: at most OL_POWERINDEX_MAX_PLAYERS players (counts of coalitions
 * stay below the range of a double), total weight at most
 * OL_POWERINDEX_MAX_WEIGHT.
 *
 * Errors: OL_EINVAL for a NULL array, zero types, a zero count, a negative
 * weight, a quota that no coalition can reach (quota > total weight) or one
 * that the empty coalition reaches (quota <= 0 with no veto player), or
 * limits exceeded; OL_ENOMEM.  No global state: calls are thread-safe.
 */
#ifndef ORDERLAB_POWERINDEX_H
#define ORDERLAB_POWERINDEX_H

#include "orderlab/common.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    OL_POWERINDEX_MAX_PLAYERS = 1000,
    OL_POWERINDEX_MAX_WEIGHT = 10000000
};

/* One type of player: `count` identical players of integer `weight`. */
typedef struct ol_powerindex_type {
    int64_t weight;
    uint32_t count;
    int veto; /* non-zero: every winning coalition must contain these players */
} ol_powerindex_type;

/*
 * The Shapley–Shubik index of ONE player of each type, written to
 * out[0..ntypes-1] (a type's total power is count × out[t]).  The indices of
 * all players sum to 1 and are never negative (values within 1e-15 of zero
 * are returned as 0).
 */
OL_API ol_status ol_powerindex_shapley(size_t ntypes, const ol_powerindex_type *types,
                                       int64_t quota, double *out, ol_error *err);

/* The method: AUTO picks the cheaper of the two by the cost estimates of
 * the header comment; the others force one (tests compare them).
 * ENUMERATE fails with OL_EINVAL when the walk would exceed 1e10 steps. */
typedef enum ol_powerindex_method {
    OL_POWERINDEX_AUTO = 0,
    OL_POWERINDEX_DP,
    OL_POWERINDEX_ENUMERATE
} ol_powerindex_method;

OL_API ol_status ol_powerindex_shapley_method(size_t ntypes, const ol_powerindex_type *types,
                                              int64_t quota, ol_powerindex_method method,
                                              double *out, ol_error *err);

/*
 * Special cases that need no game: a symmetric rule (one state one vote with
 * any quota, consensus = unanimity, a bilateral agreement) gives every one of
 * n players 1/n.  Returns 0 for n == 0.
 */
OL_API double ol_powerindex_symmetric(size_t n);

#ifdef __cplusplus
}
#endif
#endif
