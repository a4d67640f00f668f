/*
 * The Gibbs sampler of the ideal-point model (docs/ideal.md §1): the same
 * posterior as the EM's (ideal_em.c), sampled instead of approximated,
 * started from the EM fit.
 */
#include "ideal_em_internal.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_erf.h>
#include <math.h>
#include <omp.h>

/* Random-walk Metropolis: the proposal sd in units of the target's sd that
 * is optimal in one dimension (Gelman, Roberts and Gilks 1996). */
#define GIBBS_SCALE 2.4

/* The window shifts' proposal sds, in prior sd of a position, one drawn at
 * random per proposal (a mixture of symmetric proposals is symmetric): from
 * about the conditional sd of a position in a session with many votes (0.1)
 * to the prior's own scale (1), the reach of a bloc's flat ridge. */
static const double SHIFT_SCALES[] = {0.1, 0.3, 1.0};
#define NSHIFT_SCALES (sizeof SHIFT_SCALES / sizeof SHIFT_SCALES[0])

/* The same posterior as the EM's, sampled instead of approximated (Albert
 * and Chib's data augmentation, as MCMCpack and Bailey, Strezhnev and Voeten
 * do).  One sweep:
 *   item step, per item: the band delta by a random-walk Metropolis step on
 *     its likelihood with y* integrated out (Cowles 1996), then each vote's
 *     y* from its truncated normal, then (alpha, beta) from their bivariate
 *     normal;
 *   position step, per country: each vote's y* again (with the new items),
 *     then the whole chain x_i,. from its Gaussian (tridiagonal precision:
 *     Cholesky, mean and noise in one backward solve).
 * Drawing y* afresh in each step is itself a Gibbs update, so nothing per
 * vote is stored.  Each item's and country's random numbers come from a
 * generator seeded by (seed, sweep, unit): the draws are the same for any
 * number of threads. */

typedef struct gibbs_ctx {
    int ordinal;
    double prior_prec, item_prec;
    int threads, parallel;
    uint64_t seed;
    gsl_rng **rng;  /* one per thread */
    gsl_rng *own;   /* the calling thread's (problems sampled by one thread) */
    double *dscale; /* proposal sd of each item's band [ng] */
    long *dacc;     /* accepted band moves [ng] */
    long *dtry;     /* proposed band moves [ng] */
    long *sacc;     /* accepted window shifts [nc] */
} gibbs_ctx;

static gsl_rng *unit_rng(const gibbs_ctx *g, uint64_t sweep, uint64_t unit)
{
    /* Inside an inactive parallel region (a per-session problem, sampled by
     * one thread of the loop over sessions) omp_get_thread_num() is 0 on
     * every thread: such a problem uses the generator of the thread that
     * started it. */
    gsl_rng *r = g->parallel ? g->rng[omp_get_thread_num()] : g->own;
    gsl_rng_set(r, (unsigned long)ideal_mix64(g->seed ^ ideal_mix64((sweep << 32) ^ unit)));
    return r;
}

/* e ~ N(0, 1) truncated to [l, u), l < u finite: by the inverse cdf on the
 * side of 0 the interval lies on, so that an interval in a tail keeps its
 * relative precision. */
static double tn_interval(gsl_rng *r, double l, double u)
{
    double e;
    if (l >= 0) {
        double ql = gsl_cdf_ugaussian_Q(l), qu = gsl_cdf_ugaussian_Q(u);
        if (!(ql > qu)) return l; /* beyond the double range: the interval's edge */
        e = gsl_cdf_ugaussian_Qinv(qu + gsl_rng_uniform_pos(r) * (ql - qu));
    } else if (u <= 0) {
        double pl = gsl_cdf_ugaussian_P(l), pu = gsl_cdf_ugaussian_P(u);
        if (!(pu > pl)) return u;
        e = gsl_cdf_ugaussian_Pinv(pl + gsl_rng_uniform_pos(r) * (pu - pl));
    } else {
        double pl = gsl_cdf_ugaussian_P(l), pu = gsl_cdf_ugaussian_P(u);
        e = gsl_cdf_ugaussian_Pinv(pl + gsl_rng_uniform_pos(r) * (pu - pl));
    }
    return e < l ? l : e >= u ? nextafter(u, l) : e;
}

/* y* of a vote of category code (0 no, 1 abstain, 2 yes) at mean mu. */
double ideal_draw_ystar(gsl_rng *r, double mu, double d, int code)
{
    if (code == 0) return mu - gsl_ran_ugaussian_tail(r, mu);
    if (code == 2) return mu + gsl_ran_ugaussian_tail(r, d - mu);
    return mu + tn_interval(r, -mu, d - mu);
}

/* log Q(z), Q the upper tail of N(0, 1), without underflow. */
static double log_q(double z)
{
    double q = gsl_cdf_ugaussian_Q(z);
    return q > 0 ? log(q) : gsl_sf_log_erfc(z / M_SQRT2) - M_LN2;
}

/* log P(l <= e < u), e ~ N(0, 1). */
static double log_interval(double l, double u)
{
    if (l >= 0) {
        double a = log_q(l), b = log_q(u);
        return a + log1p(-exp(b - a));
    }
    if (u <= 0) return log_interval(-u, -l);
    return log1p(-(gsl_cdf_ugaussian_Q(u) + gsl_cdf_ugaussian_Q(-l)));
}

/* The item's log-likelihood in its band d, y* integrated out (the no votes
 * do not depend on d). */
static double band_loglik(const problem *p, int g, double a, double b, double d)
{
    size_t k1 = p->iseg[2 * (size_t)g], k2 = p->iseg[2 * (size_t)g + 1], k3 = p->istart[g + 1];
    double ll = 0;
    for (size_t k = k1; k < k2; k++) {
        double mu = a + b * p->x[p->icp[k]];
        ll += log_interval(-mu, d - mu);
    }
    for (size_t k = k2; k < k3; k++) ll += log_q(d - (a + b * p->x[p->icp[k]]));
    return ll;
}

static void gibbs_items(problem *p, const gibbs_ctx *c, uint64_t sweep)
{
#pragma omp parallel for schedule(dynamic, 32) num_threads(c->threads) if (c->parallel)
    for (int g = 0; g < p->ng; g++) {
        gsl_rng *r = unit_rng(c, sweep, (uint64_t)g);
        double a = p->alpha[g], b = p->beta[g], d = p->delta[g];
        if (c->ordinal && p->has_abstain[g]) {
            /* flat prior on (0, DELTA_MAX] */
            double nd = d + c->dscale[g] * gsl_ran_ugaussian(r);
            c->dtry[g]++;
            if (nd > 0 && nd <= DELTA_MAX &&
                log(gsl_rng_uniform_pos(r)) < band_loglik(p, g, a, b, nd) - band_loglik(p, g, a, b, d)) {
                d = nd;
                c->dacc[g]++;
            }
            p->delta[g] = d;
        }
        double n = 0, sx = 0, sxx = 0, sy = 0, sxy = 0;
        size_t seg[4] = {p->istart[g], p->iseg[2 * (size_t)g], p->iseg[2 * (size_t)g + 1], p->istart[g + 1]};
        for (int code = 0; code < 3; code++)
            for (size_t k = seg[code]; k < seg[code + 1]; k++) {
                double xv = p->x[p->icp[k]], y = ideal_draw_ystar(r, a + b * xv, d, code);
                n++;
                sx += xv;
                sxx += xv * xv;
                sy += y;
                sxy += xv * y;
            }
        /* (alpha, beta) ~ N(A^-1 s, A^-1), A = L L': mean by two solves,
         * noise L'^-1 z */
        double a11 = n + c->item_prec, a12 = sx, a22 = sxx + c->item_prec;
        double l11 = sqrt(a11), l21 = a12 / l11, l22 = sqrt(a22 - l21 * l21);
        double w1 = sy / l11 + gsl_ran_ugaussian(r), w2 = (sxy - l21 * sy / l11) / l22 + gsl_ran_ugaussian(r);
        double nb = w2 / l22, na = (w1 - l21 * nb) / l11;
        p->alpha[g] = na;
        p->beta[g] = nb;
    }
}

static void gibbs_positions(problem *p, const gibbs_ctx *c, uint64_t sweep)
{
#pragma omp parallel for schedule(dynamic, 4) num_threads(c->threads) if (c->parallel)
    for (int i = 0; i < p->nc; i++) {
        gsl_rng *r = unit_rng(c, sweep, (uint64_t)p->ng + (uint64_t)i);
        int32_t c0 = p->cp_start[i], c1 = p->cp_start[i + 1];
        for (int32_t cp = c0; cp < c1; cp++) {
            double xv = p->x[cp], P = 0, h = 0;
            size_t seg[4] = {p->cstart[cp], p->cseg[2 * (size_t)cp], p->cseg[2 * (size_t)cp + 1], p->cstart[cp + 1]};
            for (int code = 0; code < 3; code++)
                for (size_t k = seg[code]; k < seg[code + 1]; k++) {
                    uint32_t g = p->citem[k];
                    double a = p->alpha[g], b = p->beta[g];
                    double y = ideal_draw_ystar(r, a + b * xv, p->delta[g], code);
                    P += b * b;
                    h += b * (y - a);
                }
            p->P[cp] = P;
            p->h[cp] = h;
        }
        /* x ~ N(Q^-1 h, Q^-1), Q = L L' tridiagonal (L lower bidiagonal:
         * diagonal dwork, subdiagonal work): x = L'^-1 (L^-1 h + z) */
        double prev_lo = 0, prev_w = 0;
        for (int32_t cp = c0; cp < c1; cp++) {
            double wl = cp > c0 ? p->cp_walk[cp] : 0;
            double wr = cp + 1 < c1 ? p->cp_walk[cp + 1] : 0, rr = cp + 1 < c1 ? p->cp_rho[cp + 1] : 0;
            double diag = p->P[cp] + wl + rr * rr * wr + (cp == c0 ? c->prior_prec : 0);
            double ld = sqrt(diag - prev_lo * prev_lo);
            double w = (p->h[cp] - prev_lo * prev_w) / ld;
            p->dwork[cp] = ld;
            p->work[cp] = -rr * wr / ld; /* L[cp + 1][cp] */
            p->h[cp] = w + gsl_ran_ugaussian(r);
            prev_lo = p->work[cp];
            prev_w = w;
        }
        p->x[c1 - 1] = p->h[c1 - 1] / p->dwork[c1 - 1];
        for (int32_t cp = c1 - 2; cp >= c0; cp--) p->x[cp] = (p->h[cp] - p->work[cp] * p->x[cp + 1]) / p->dwork[cp];
    }
}

/* The log-likelihood of country-period cp's votes at position xv, y*
 * integrated out: no P(y* < 0) = Q(mu), abstain P(0 <= y* < d), yes
 * P(y* >= d) = Q(d - mu), mu = alpha + beta xv. */
static double cp_loglik(const problem *p, int32_t cp, double xv)
{
    size_t k0 = p->cstart[cp], k1 = p->cseg[2 * (size_t)cp], k2 = p->cseg[2 * (size_t)cp + 1], k3 = p->cstart[cp + 1];
    double ll = 0;
    for (size_t k = k0; k < k1; k++) ll += log_q(p->alpha[p->citem[k]] + p->beta[p->citem[k]] * xv);
    for (size_t k = k1; k < k2; k++) {
        uint32_t g = p->citem[k];
        double mu = p->alpha[g] + p->beta[g] * xv;
        ll += log_interval(-mu, p->delta[g] - mu);
    }
    for (size_t k = k2; k < k3; k++) ll += log_q(p->delta[p->citem[k]] - (p->alpha[p->citem[k]] + p->beta[p->citem[k]] * xv));
    return ll;
}

/* The log prior terms of chain [c0, c1) that involve positions in the window
 * [a, b], with those positions shifted by s. */
static double window_logprior(const problem *p, double prior_prec, int32_t c0, int32_t c1, int32_t a, int32_t b,
                              double s)
{
#define XS(k) (p->x[k] + ((k) >= a && (k) <= b ? s : 0))
    double lp = a == c0 ? -0.5 * prior_prec * XS(c0) * XS(c0) : 0;
    int32_t t0 = a > c0 ? a : c0 + 1, t1 = b + 1 < c1 ? b + 1 : c1 - 1;
    for (int32_t t = t0; t <= t1; t++) {
        double e = XS(t) - p->cp_rho[t] * XS(t - 1);
        lp -= 0.5 * p->cp_walk[t] * e * e;
    }
#undef XS
    return lp;
}

double ideal_window_shift_logratio(const problem *p, double prior_prec, int32_t c0, int32_t c1, int32_t a, int32_t b,
                                   double s)
{
    double dl = window_logprior(p, prior_prec, c0, c1, a, b, s) - window_logprior(p, prior_prec, c0, c1, a, b, 0);
    for (int32_t k = a; k <= b; k++) dl += cp_loglik(p, k, p->x[k] + s) - cp_loglik(p, k, p->x[k]);
    return dl;
}

/* Window shifts: a Metropolis step per country that moves a run of its
 * positions (its first sessions up to a random one, or from a random one to
 * its last) by a common amount, with y* integrated out.  The data
 * augmentation's conditional draws hold each position within the truncation
 * bounds its y* set; where a bloc voted as one beyond a split majority
 * (quasi-separation) the likelihood is flat along the bloc's distance and
 * those draws explore it in tiny steps (docs/ideal.md §5).  Without y* the
 * step sees only the votes' probabilities, flat there, and the prior. */
static void gibbs_window_shifts(problem *p, const gibbs_ctx *c, uint64_t sweep)
{
#pragma omp parallel for schedule(dynamic, 4) num_threads(c->threads) if (c->parallel)
    for (int i = 0; i < p->nc; i++) {
        gsl_rng *r = unit_rng(c, sweep, (uint64_t)p->ng + (uint64_t)p->nc + 1 + (uint64_t)i);
        int32_t c0 = p->cp_start[i], c1 = p->cp_start[i + 1];
        int32_t t = c0 + (int32_t)gsl_rng_uniform_int(r, (unsigned long)(c1 - c0));
        int prefix = gsl_rng_uniform(r) < 0.5;
        int32_t a = prefix ? c0 : t, b = prefix ? t : c1 - 1;
        double s = SHIFT_SCALES[gsl_rng_uniform_int(r, NSHIFT_SCALES)] * gsl_ran_ugaussian(r) / sqrt(c->prior_prec);
        if (log(gsl_rng_uniform_pos(r)) < ideal_window_shift_logratio(p, c->prior_prec, c0, c1, a, b, s)) {
            for (int32_t k = a; k <= b; k++) p->x[k] += s;
            c->sacc[i]++;
        }
    }
}

/* The prior's quadratic forms over the positions: x'Qx, 1'Qx and 1'Q1, Q
 * the precision of the chains' prior (prior_prec on each chain's first
 * position, w_t (x_t - rho_t x_t-1)^2 for each step). */
static void prior_forms(const problem *p, double prior_prec, double *xqx, double *oqx, double *oqo)
{
    double a = 0, b = 0, c = 0;
    for (int i = 0; i < p->nc; i++) {
        int32_t c0 = p->cp_start[i], c1 = p->cp_start[i + 1];
        a += prior_prec * p->x[c0] * p->x[c0];
        b += prior_prec * p->x[c0];
        c += prior_prec;
        for (int32_t cp = c0 + 1; cp < c1; cp++) {
            double w = p->cp_walk[cp], rho = p->cp_rho[cp], e = p->x[cp] - rho * p->x[cp - 1];
            a += w * e * e;
            b += w * (1 - rho) * e;
            c += w * (1 - rho) * (1 - rho);
        }
    }
    *xqx = a;
    *oqx = b;
    *oqo = c;
}

/* Moves along the directions the likelihood cannot see (parameter
 * expansion; Liu and Wu 1999, Liu and Sabatti 2000): shifting every position
 * by c (alpha - beta c), and scaling every position by s (beta / s), leave
 * alpha + beta x, and so the votes, unchanged; only the priors pin them, and
 * the sweep's conditional draws move along them in tiny steps (the spread
 * of the positions drifts for thousands of sweeps).  Each move draws its
 * group element from its conditional: the shift exactly (a Gaussian); the
 * log scale u by an independence Metropolis step from the Laplace
 * approximation of its log-concave conditional
 *     -A e^{2u} / 2 - B e^{-2u} / 2 + (ncp - ng) u,
 * A = x'Qx, B = sum beta^2 / item_sd^2 (ncp - ng: the Jacobian on the
 * scale group's Haar measure du). */
/* TODO: the chains still move on the full data (docs/ideal.md §1, §5).  The
 * window shifts carry the blocs at the ends of a session outwards (the
 * spread's Geweke z -1.7 after 3,500 sweeps, -8.7 without them), but then
 * 16 % of the positions still move, led by the Assembly's middle (Latin
 * American states) re-placing itself, and on the 60 x 8 test panel the
 * burn-in from the EM's scale dominates 1,000 sweeps.  A joint step over a
 * session's positions and its items (Hamiltonian) is the next candidate. */
static void group_moves(problem *p, const gibbs_ctx *c, gsl_rng *r)
{
    double xqx, oqx, oqo, sab = 0, sbb = 0;
    prior_forms(p, c->prior_prec, &xqx, &oqx, &oqo);
    for (int g = 0; g < p->ng; g++) {
        sab += p->alpha[g] * p->beta[g];
        sbb += p->beta[g] * p->beta[g];
    }
    /* shift */
    double prec = oqo + c->item_prec * sbb;
    double sh = (c->item_prec * sab - oqx) / prec + gsl_ran_ugaussian(r) / sqrt(prec);
    for (int k = 0; k < p->ncp; k++) p->x[k] += sh;
    for (int g = 0; g < p->ng; g++) p->alpha[g] -= p->beta[g] * sh;
    /* scale: Laplace approximation by Newton from u = 0 */
    prior_forms(p, c->prior_prec, &xqx, &oqx, &oqo);
    double A = xqx, B = c->item_prec * sbb, J = (double)p->ncp - (double)p->ng;
    if (!(A > 0 && B > 0)) return;
    double u = 0;
    for (int it = 0; it < 50; it++) {
        double g1 = -A * exp(2 * u) + B * exp(-2 * u) + J, h = -2 * A * exp(2 * u) - 2 * B * exp(-2 * u);
        double step = -g1 / h;
        u += step;
        if (fabs(step) < 1e-12) break;
    }
    double sd = 1 / sqrt(2 * A * exp(2 * u) + 2 * B * exp(-2 * u));
    double un = u + sd * gsl_ran_ugaussian(r);
    /* log target minus log proposal, at the proposal and at the current u = 0 */
#define LT(v) (-0.5 * A * exp(2 * (v)) - 0.5 * B * exp(-2 * (v)) + J * (v) + 0.5 * ((v)-u) * ((v)-u) / (sd * sd))
    if (log(gsl_rng_uniform_pos(r)) < LT(un) - LT(0.0)) {
        double sc = exp(un);
        for (int k = 0; k < p->ncp; k++) p->x[k] *= sc;
        for (int g = 0; g < p->ng; g++) p->beta[g] /= sc;
    }
#undef LT
}

/* sd of the positions over the country-periods with votes */
static double spread_of(const problem *p)
{
    double n = 0, m = 0, s = 0;
    for (int k = 0; k < p->ncp; k++)
        if (p->cp_nvotes[k]) {
            n++;
            double dlt = p->x[k] - m;
            m += dlt / n;
            s += dlt * (p->x[k] - m);
        }
    return n > 1 ? sqrt(s / (n - 1)) : 0;
}

/* Batch means: the variance of the mean of v [n] with batches of sqrt(n). */
static double mean_and_var(const double *v, int n, double *var)
{
    int len = (int)sqrt((double)n), nbatch = n / len;
    double m = 0, ss = 0;
    for (int k = 0; k < n; k++) m += v[k];
    m /= n;
    for (int b = 0; b < nbatch; b++) {
        double bm = 0;
        for (int k = 0; k < len; k++) bm += v[b * len + k];
        bm /= len;
        ss += (bm - m) * (bm - m);
    }
    *var = nbatch > 1 ? ss / (nbatch - 1) / nbatch : 0;
    return m;
}

double ideal_geweke_batches(const double *bm)
{
    double ma = 0, mb = 0, ss = 0;
    for (int b = 0; b < GEWEKE_FIRST; b++) ma += bm[b];
    ma /= GEWEKE_FIRST;
    for (int b = GEWEKE_BATCHES - GEWEKE_LAST; b < GEWEKE_BATCHES; b++) mb += bm[b];
    mb /= GEWEKE_LAST;
    for (int b = GEWEKE_BATCHES - GEWEKE_LAST; b < GEWEKE_BATCHES; b++) ss += (bm[b] - mb) * (bm[b] - mb);
    double var = ss / (GEWEKE_LAST - 1) * (1.0 / GEWEKE_FIRST + 1.0 / GEWEKE_LAST);
    if (var > 0) return (ma - mb) / sqrt(var);
    return ma == mb ? 0 : ma > mb ? INFINITY : -INFINITY;
}

double ideal_geweke(const double *v, int n)
{
    int na = n / 10, nb = n / 2;
    if (na < 4) return NAN;
    double va, vb, ma = mean_and_var(v, na, &va), mb = mean_and_var(v + n - nb, nb, &vb);
    return va + vb > 0 ? (ma - mb) / sqrt(va + vb) : 0;
}

int ideal_gibbs_run(problem *p, const em_ctx *e, const ol_ideal_options *o, uint64_t seed, gsl_rng **rng,
                     int32_t anchor, run_ctl *ctl, double *trace, long *acc)
{
    gibbs_ctx c = {.ordinal = e->ordinal,
                   .prior_prec = e->prior_prec,
                   .item_prec = e->item_prec,
                   .threads = e->threads,
                   .parallel = e->parallel,
                   .seed = seed,
                   .rng = rng,
                   .own = rng[omp_get_thread_num()]};
    /* batch sums of each position's kept draws [GEWEKE_BATCHES x ncp], batch-major */
    double *bsum = NULL;
    int nbatch[GEWEKE_BATCHES] = {0};
    if (ALLOC(c.dscale, p->ng) || ALLOC(c.dacc, p->ng) || ALLOC(c.dtry, p->ng) || ALLOC(c.sacc, p->nc) ||
        (!p->gz && ALLOC(p->gz, p->ncp)) || ALLOC(bsum, (size_t)GEWEKE_BATCHES * (size_t)p->ncp)) {
        free(c.dscale);
        free(c.dacc);
        free(c.dtry);
        free(c.sacc);
        free(bsum);
        return -1;
    }
    for (size_t k = 0; k < (size_t)GEWEKE_BATCHES * (size_t)p->ncp; k++) bsum[k] = 0;
    /* The band's proposal: 2.4 times its Laplace sd at the EM fit, the
     * scale that is optimal for a one-dimensional Gaussian target (Gelman,
     * Roberts and Gilks 1996). */
    ideal_set_xq(p, 0, p->ncp);
    for (int g = 0; g < p->ng; g++) {
        if (!p->has_abstain[g]) continue;
        size_t k1 = p->iseg[2 * (size_t)g], k2 = p->iseg[2 * (size_t)g + 1], k3 = p->istart[g + 1];
        ol_ik_isums s1 = e->k->item_abstain(e->hz, p->icp, p->xq, k1, k2, p->alpha[g], p->beta[g], p->delta[g]);
        ol_ik_isums s2 = e->k->item_yes_no(e->hz, p->icp, p->xq, k2, k3, p->alpha[g], p->beta[g], p->delta[g], 1);
        double hd = s1.hd + s2.hd;
        c.dscale[g] = hd < 0 ? GIBBS_SCALE / sqrt(-hd) : DELTA_STEP_MAX;
    }
    for (int k = 0; k < p->ncp; k++) p->sum[k] = p->sum2[k] = 0;
    long total = (long)o->burn + (long)o->draws * o->thin;
    int kept = 0, stopped = 0;
    long ran = 0;
    for (long sw = 1; sw <= total; sw++, ran++) {
        gibbs_items(p, &c, (uint64_t)sw);
        gibbs_positions(p, &c, (uint64_t)sw);
        gibbs_window_shifts(p, &c, (uint64_t)sw);
        group_moves(p, &c, unit_rng(&c, (uint64_t)sw, (uint64_t)p->ng + (uint64_t)p->nc));
        ideal_orient(p, anchor);
        if (sw > o->burn && (sw - o->burn) % o->thin == 0) {
            int b = (int)((long)kept * GEWEKE_BATCHES / o->draws);
            double *bs = bsum + (size_t)b * (size_t)p->ncp;
            nbatch[b]++;
            for (int k = 0; k < p->ncp; k++) {
                p->sum[k] += p->x[k];
                p->sum2[k] += p->x[k] * p->x[k];
                bs[k] += p->x[k];
            }
            trace[kept++] = spread_of(p);
        }
        if (ctl && ctl->report && ctl->progress &&
            ctl->progress(ctl->ctx, (uint64_t)sw, (uint64_t)total)) {
            ctl->stopped = stopped = 1;
            break;
        }
    }
    if (!stopped)
        for (int k = 0; k < p->ncp; k++) {
            double m = p->sum[k] / kept, var = kept > 1 ? (p->sum2[k] - kept * m * m) / (kept - 1) : 0;
            p->fit_x[k] = m;
            p->sum[k] = m;
            p->sum2[k] = var > 0 ? sqrt(var) : 0;
            if (kept < GEWEKE_BATCHES) {
                p->gz[k] = NAN;
                continue;
            }
            double bm[GEWEKE_BATCHES];
            for (int b = 0; b < GEWEKE_BATCHES; b++) bm[b] = bsum[(size_t)b * (size_t)p->ncp + (size_t)k] / nbatch[b];
            p->gz[k] = ideal_geweke_batches(bm);
        }
    for (int g = 0; g < p->ng; g++) {
        acc[0] += c.dacc[g];
        acc[1] += c.dtry[g];
    }
    for (int i = 0; i < p->nc; i++) acc[2] += c.sacc[i];
    acc[3] += (long)p->nc * ran;
    free(c.dscale);
    free(c.dacc);
    free(c.dtry);
    free(c.sacc);
    free(bsum);
    return stopped;
}
