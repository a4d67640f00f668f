/* A small world for tests of the simulation's outputs (the world of
 * tests/test_model.c, with two leader profiles): five actors, four
 * institutions, 2000-2030.  Powers in US$ bn; only ratios matter.
 *   USA hegemon P 100 flat; CHN challenger P 20 growing at g_china;
 *   JPN ally P 40; IND emerging P 20 growing 2 %; ROW other P 120, 10 states.
 * Institutions: UNB (governance, one state one vote), FUND (weighted votes,
 * quota 85 %), FTA (bilateral with JPN from 1994), BIC (bilateral with CHN
 * from 2000).  With g_china = 8 % the ratio crosses 2/3 in 2016 and the
 * hegemon exits, threatens and renegotiates (test_model.c explains why). */
#ifndef OL_TESTWORLD_H
#define OL_TESTWORLD_H

#include "orderlab/model.h"

#include <stdio.h>
#include <string.h>

enum { TW_NA = 5, TW_NK = 4, TW_T0 = 2000, TW_T1 = 2030 };

typedef struct test_world {
    double power[TW_NA][1];
    double surplus[TW_NA][1];
    ol_model_actor actors[TW_NA];
    ol_model_member m_unb[TW_NA], m_fund[TW_NA], m_fta[2], m_bic[2];
    ol_model_institution inst[TW_NK];
    ol_model_leader leaders[2];
    ol_model_world w;
} test_world;

static inline void test_world_init(test_world *tw, double g_china)
{
    memset(tw, 0, sizeof *tw);
    static const char *codes[TW_NA] = {"USA", "CHN", "JPN", "IND", "ROW"};
    static const ol_model_role roles[TW_NA] = {OL_ROLE_HEGEMON, OL_ROLE_CHALLENGER, OL_ROLE_ALLY,
                                               OL_ROLE_EMERGING, OL_ROLE_OTHER};
    static const double P[TW_NA] = {100, 20, 40, 20, 120}, S[TW_NA] = {0, 3, 5, 0.2, 0},
                        g[TW_NA] = {0, 0, 0, 0.02, 0};
    static const double d[TW_NA] = {0, 0.2, 0.9, 0.2, 0.5}, a[TW_NA] = {1, 0.1, 0.6, 0.3, 0.5},
                        o[TW_NA] = {0, 0.6, 0.1, 0.5, 0.3};
    static const uint32_t seats[TW_NA] = {1, 1, 1, 1, 10};
    static const double votes[TW_NA] = {17, 6, 7, 3, 67}, unb_cost[TW_NA] = {25, 10, 15, 2, 48};
    for (size_t i = 0; i < TW_NA; i++) {
        tw->power[i][0] = P[i];
        tw->surplus[i][0] = S[i];
        ol_model_actor *x = &tw->actors[i];
        snprintf(x->code, sizeof x->code, "%s", codes[i]);
        x->role = roles[i];
        x->seats = seats[i];
        x->power = tw->power[i];
        x->npower = 1;
        x->growth = i == 1 ? g_china : g[i];
        x->surplus = S[i] != 0 ? tw->surplus[i] : NULL;
        x->nsurplus = S[i] != 0;
        x->dependence = d[i];
        x->alignment = a[i];
        x->outside = o[i];
        tw->m_unb[i] = (ol_model_member){.actor = i, .from = 1945, .cost_share = unb_cost[i]};
        tw->m_fund[i] = (ol_model_member){.actor = i, .from = 1945, .votes = votes[i], .cost_share = votes[i]};
    }
    tw->m_fta[0] = (ol_model_member){.actor = 0, .from = 1994, .cost_share = 1};
    tw->m_fta[1] = (ol_model_member){.actor = 2, .from = 1994, .cost_share = 1};
    tw->m_bic[0] = (ol_model_member){.actor = 0, .from = 2000, .cost_share = 1};
    tw->m_bic[1] = (ol_model_member){.actor = 1, .from = 2000, .cost_share = 1};
    tw->inst[0] = (ol_model_institution){.code = "UNB", .domain = OL_DOMAIN_GOVERNANCE, .form = OL_FORM_MULTILATERAL,
                                         .level = OL_LEVEL_GLOBAL, .rule = OL_RULE_MAJORITY, .quota = 0.5,
                                         .founded = 1945, .budget = 0.6, .jurisdiction = 1, .censure = 1,
                                         .nmembers = TW_NA, .members = tw->m_unb};
    tw->inst[1] = (ol_model_institution){.code = "FUND", .domain = OL_DOMAIN_COMPREHENSIVE,
                                         .form = OL_FORM_MULTILATERAL, .level = OL_LEVEL_GLOBAL,
                                         .rule = OL_RULE_WEIGHTED, .quota = 0.85, .founded = 1945, .budget = 0.1,
                                         .nmembers = TW_NA, .members = tw->m_fund};
    tw->inst[2] = (ol_model_institution){.code = "FTA", .domain = OL_DOMAIN_TRADE, .market_access = 1, .form = OL_FORM_BILATERAL,
                                         .level = OL_LEVEL_ALLIES, .rule = OL_RULE_CONSENSUS, .founded = 1994,
                                         .budget = 0.001, .nmembers = 2, .members = tw->m_fta};
    tw->inst[3] = (ol_model_institution){.code = "BIC", .domain = OL_DOMAIN_TRADE, .market_access = 1, .form = OL_FORM_BILATERAL,
                                         .level = OL_LEVEL_COMPETITOR, .rule = OL_RULE_CONSENSUS,
                                         .founded = 2000, .budget = 0.001, .nmembers = 2, .members = tw->m_bic};
    tw->leaders[0] = (ol_model_leader){.name = "Steady", .from = 2000, .temperament = 1.0, .omega = 1.0};
    tw->leaders[1] = (ol_model_leader){.name = "Mercantile", .from = 2017, .temperament = 1.5, .omega = 0.2};
    tw->w = (ol_model_world){.t0 = TW_T0, .t1 = TW_T1, .nactors = TW_NA, .actors = tw->actors, .ninst = TW_NK,
                             .inst = tw->inst, .nleaders = 2, .leaders = tw->leaders};
}

static inline ol_model_params test_world_params(void)
{
    ol_model_params p;
    ol_model_params_default(&p);
    p.gamma[OL_DOMAIN_TRADE] = 0.01;
    p.gamma[OL_DOMAIN_GOVERNANCE] = 0.002;
    p.gamma[OL_DOMAIN_SECURITY] = 0.002;
    p.gamma[OL_DOMAIN_COMPREHENSIVE] = 0.005;
    p.pi = 0.01;
    p.theta = 0.3;
    p.rho_A = 0.5;
    p.zeta = 0.02;
    p.rho_rep = 0.002;
    p.age_full = 20;
    p.kappa = 12;
    p.lambda_Y = p.lambda_X = p.lambda_Z = 1;
    p.epsilon = 0.2;
    p.phi = 0.25;
    p.delta_Y = 0.3;
    p.delta_c = 0.1;
    p.delta_nu = 0.1;
    p.beta_d = 6;
    p.beta_a = 2;
    p.beta_o = 4;
    p.beta_0 = -3;
    return p;
}
#endif
