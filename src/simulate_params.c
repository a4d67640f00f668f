/* The scenario's scalar parameters -> the model's parameters (docs/model.md
 * §9).  One line per field of ol_model_params; tests/test_simulate_world.c
 * checks that none is left out and that the defaults agree with
 * ol_model_params_default. */
#include "orderlab/model.h"
#include "orderlab/scenario.h"

#include <string.h>

void ol_scenario_model_params(const ol_scenario *sc, ol_model_params *p)
{
    const ol_scenario_params *s = &sc->params;
    memset(p, 0, sizeof *p);
    p->tau = s->threshold_tau;
    p->kappa = s->threshold_steepness;
    p->temperament = s->leader_temperament;
    p->omega = s->leader_systemic_weight;
    p->eta = s->power_feedback;
    p->gamma[OL_DOMAIN_TRADE] = s->accounts_gains_trade;
    p->gamma[OL_DOMAIN_GOVERNANCE] = s->accounts_gains_governance;
    p->gamma[OL_DOMAIN_SECURITY] = s->accounts_gains_security;
    p->gamma[OL_DOMAIN_COMPREHENSIVE] = s->accounts_gains_comprehensive;
    p->pi = s->accounts_power_premium;
    p->theta = s->accounts_trade_attribution;
    p->rho_A = s->accounts_ally_rivalry;
    p->zeta = s->accounts_constraint_scale;
    p->rho_rep = s->accounts_reputation;
    p->age_full = s->accounts_reputation_age_years;
    p->lambda_Y = s->accounts_spillover_weight;
    p->lambda_X = s->accounts_consumption_weight;
    p->lambda_Z = s->accounts_constraint_weight;
    p->epsilon = s->bargaining_escalation_loss;
    p->phi = s->bargaining_threat_cost;
    p->delta_Y = s->bargaining_exclusive_clause;
    p->delta_c = s->bargaining_cost_shift;
    p->delta_nu = s->bargaining_vote_shift;
    p->beta_d = s->bargaining_dependence;
    p->beta_a = s->bargaining_alignment;
    p->beta_o = s->bargaining_outside_option;
    p->beta_0 = s->bargaining_intercept;
    p->kappa_rejoin = s->bargaining_rejoin_cost;
    p->term_years = s->bargaining_terms_years;
    p->mu = s->choice_rationality;
    p->g_star = s->emerging_reform_gap;
    p->delta_r = s->emerging_reform_step;
    p->review_years = s->emerging_review_years;
    p->delta_o = s->emerging_new_institution_outside_option;
    p->alpha_p = s->allies_pressure_drift;
    p->alpha_x = s->allies_exit_drift;
    p->alpha_r = s->allies_reversion;
    p->nu_max = s->order_max_non_neutrality;
    p->f_star = s->order_failure_output_fall;
    p->vote_units = s->powerindex_vote_units;
}
