/* Internal to the model: the voting game built from an institution's rule
 * inputs, shared by ol_model_privilege (model.c) and the simulation's cache
 * of power indices (model_sim.c). */
#ifndef OL_MODEL_INTERNAL_H
#define OL_MODEL_INTERNAL_H

#include "orderlab/model.h"
#include "orderlab/powerindex.h"

/* The game of one institution in force.  closed != 0: no game to solve, the
 * privilege is seats_i / seats in force.  Otherwise types[t] belongs to actor
 * actor_of[t], or to the pool of elected council seats when actor_of[t] ==
 * SIZE_MAX (each non-veto member then holds elected_scale × seats_i of one
 * elected seat's index). */
typedef struct model_game {
    int closed;
    size_t ntypes;
    ol_powerindex_type *types; /* capacity nactors + 1 */
    size_t *actor_of;          /* capacity nactors + 1 */
    int64_t quota;
    double elected_scale;
    uint32_t seats;            /* member states in force */
} model_game;

/* Builds the game; OL_EINVAL when it has no member or no valid quota.
 * types and actor_of must have room for st->nactors + 1 entries. */
ol_status model_game_build(const ol_model_institution *k, const ol_model_inst_state *st,
                           const ol_model_params *p, model_game *g, ol_error *err);

/* Privilege by actor from the game and the index of each type (idx may be
 * NULL for a closed game). */
void model_game_map(const model_game *g, const ol_model_inst_state *st, const double *idx, double *w);

#endif
