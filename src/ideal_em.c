/*
 * The ideal-point estimator: selection of the usable votes, the problems
 * (one per session, or one for the dynamic model), the EM iterations and
 * the parametric bootstrap.  The model and its equations are in ideal.h
 * and docs/ideal.md.
 *
 * Layout.  A problem holds its observed cells as 32-bit words (cp << 2 |
 * code, item-major, in the order of the votes: the data, which the bootstrap
 * redraws), and, for the passes, twice as plain indices: item-major (the
 * voters' country-periods, icp) and country-period-major (the items, citem),
 * each item's and each country-period's votes grouped by response (no,
 * abstain, yes; partition_cells), so that each pass streams one array of 4
 * bytes per vote, runs one branch-free kernel per group (ideal_kernel.h) and
 * gathers only from the small parameter arrays: x and E[x^2] interleaved
 * (xq), one 64-byte row per item (items).  Codes: 0 no, 1 abstain, 2 yes.
 * Every buffer is allocated before the first iteration.
 *
 * One iteration = item pass (E-step with the current positions, ridge
 * regression of each item, Newton step of its abstention band) + position
 * pass (E-step with the new items, exact Gaussian smoother of each country's
 * chain).  Each item's and each country's sums are computed by one thread in
 * a fixed order (the kernels' lanes included), so the result is the same for
 * any number of threads, and the AVX2 and AVX-512 kernels give the same
 * bits as the portable ones.
 */
#include "ideal_em_internal.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ a problem */


static void problem_free(problem *p)
{
    if (!p) return;
    free(p->country);
    free(p->cp_start);
    free(p->cp_session);
    free(p->cp_walk);
    free(p->cp_rho);
    free(p->cp_nvotes);
    free(p->cells);
    free(p->istart);
    free(p->icp);
    free(p->iseg);
    free(p->citem);
    free(p->cstart);
    free(p->cseg);
    free(p->cfill);
    free(p->has_abstain);
    free(p->x);
    free(p->xprev);
    free(p->alpha);
    free(p->beta);
    free(p->delta);
    free(p->P);
    free(p->h);
    free(p->work);
    free(p->dwork);
    free(p->xvar);
    free(p->xq);
    free(p->vbb);
    free(p->vab);
    free(p->items);
    free(p->fit_x);
    free(p->fit_alpha);
    free(p->fit_beta);
    free(p->fit_delta);
    free(p->sum);
    free(p->sum2);
    free(p->gz);
}

/* The streamed arrays from the cells: each item's and each cp's cells
 * grouped by vote (no, abstain, yes), in the cells' order within a group
 * (cp-major: by item).  The passes then run one branch-free loop per group.
 * O(nobs); run at the start and after each bootstrap draw. */
static void partition_cells(problem *p)
{
    for (int g = 0; g < p->ng; g++) {
        size_t k0 = p->istart[g], k1 = p->istart[g + 1], n[3] = {0, 0, 0};
        for (size_t k = k0; k < k1; k++) n[p->cells[k] & 3]++;
        size_t f[3] = {k0, k0 + n[0], k0 + n[0] + n[1]};
        p->iseg[2 * (size_t)g] = f[1];
        p->iseg[2 * (size_t)g + 1] = f[2];
        for (size_t k = k0; k < k1; k++) p->icp[f[p->cells[k] & 3]++] = p->cells[k] >> 2;
    }
    size_t *cf = p->cfill;
    memset(cf, 0, 3 * (size_t)p->ncp * sizeof *cf);
    for (size_t k = 0; k < p->nobs; k++) cf[3 * (size_t)(p->cells[k] >> 2) + (p->cells[k] & 3)]++;
    for (int cp = 0; cp < p->ncp; cp++) {
        size_t *f = cf + 3 * (size_t)cp, n0 = f[0], n1 = f[1];
        f[0] = p->cstart[cp];
        f[1] = f[0] + n0;
        f[2] = f[1] + n1;
        p->cseg[2 * (size_t)cp] = f[1];
        p->cseg[2 * (size_t)cp + 1] = f[2];
    }
    for (int g = 0; g < p->ng; g++)
        for (size_t k = p->istart[g]; k < p->istart[g + 1]; k++) {
            uint32_t c = p->cells[k];
            p->citem[cf[3 * (size_t)(c >> 2) + (c & 3)]++] = (uint32_t)g;
        }
}



/* The kernel set of an option: the widest the processor runs up to it. */
static const ol_ik_kernels *kernels_of(ol_ideal_kernels k)
{
    switch (k) {
    case OL_IDEAL_KERNELS_PORTABLE: return ol_ik_kernels_get(OL_IK_PORTABLE);
    case OL_IDEAL_KERNELS_AVX2: return ol_ik_kernels_get(OL_IK_AVX2);
    default: return ol_ik_kernels_get(OL_IK_AVX512);
    }
}

static void item_pass(problem *p, const em_ctx *e)
{
    const ol_tn_table *hz = e->hz;
    const uint32_t *icp = p->icp;
    const double *xq = p->xq;
#pragma omp parallel for schedule(dynamic, 32) num_threads(e->threads) if (e->parallel)
    for (int g = 0; g < p->ng; g++) {
        double a = p->alpha[g], b = p->beta[g], d = p->delta[g];
        size_t k0 = p->istart[g], k1 = p->iseg[2 * (size_t)g], k2 = p->iseg[2 * (size_t)g + 1],
               k3 = p->istart[g + 1];
        ol_ik_isums s0 = e->k->item_yes_no(hz, icp, xq, k0, k1, a, b, d, 0);
        ol_ik_isums s1 = e->k->item_abstain(hz, icp, xq, k1, k2, a, b, d);
        ol_ik_isums s2 = e->k->item_yes_no(hz, icp, xq, k2, k3, a, b, d, 1);
        double sx = s0.sx + s1.sx + s2.sx, sxx = s0.sxx + s1.sxx + s2.sxx, sz = s0.sz + s1.sz + s2.sz,
               sxz = s0.sxz + s1.sxz + s2.sxz, gd = s1.gd + s2.gd, hd = s1.hd + s2.hd;
        /* q(alpha, beta): the Bayesian regression of z on (1, x) with the
         * N(0, item_sd^2) prior, E[x^2] = mean^2 + var (variational EM) */
        double n = (double)(k3 - k0);
        double a11 = n + e->item_prec, a12 = sx, a22 = sxx + e->item_prec;
        double det = a11 * a22 - a12 * a12;
        double na = (a22 * sz - a12 * sxz) / det, nb = (a11 * sxz - a12 * sz) / det;
        p->alpha[g] = na;
        p->beta[g] = nb;
        p->vbb[g] = a11 / det;
        p->vab[g] = -a12 / det;
        /* without a band (d = 0, no abstentions) gd and hd are not used */
        if (e->ordinal && p->has_abstain[g] && hd < 0) {
            double step = -gd / hd;
            if (step > DELTA_STEP_MAX) step = DELTA_STEP_MAX;
            if (step < -DELTA_STEP_MAX) step = -DELTA_STEP_MAX;
            double nd = d + step;
            if (nd <= 0) nd = d / 2; /* stay inside: the band is never empty */
            if (nd > DELTA_MAX) nd = DELTA_MAX;
            p->delta[g] = nd;
        }
        p->items[g] = (ol_ik_item){.a = na, .b = nb, .d = p->delta[g], .pb = nb * nb + p->vbb[g], .vab = p->vab[g]};
    }
}

/* E[x^2] of a country-period as the item pass reads it. */
void ideal_set_xq(problem *p, int32_t c0, int32_t c1)
{
    for (int32_t cp = c0; cp < c1; cp++) {
        p->xq[2 * (size_t)cp] = p->x[cp];
        p->xq[2 * (size_t)cp + 1] = p->x[cp] * p->x[cp] + p->xvar[cp];
    }
}

static void position_pass(problem *p, const em_ctx *e)
{
    const ol_tn_table *hz = e->hz;
    const uint32_t *citem = p->citem;
    const ol_ik_item *items = p->items;
#pragma omp parallel for schedule(dynamic, 4) num_threads(e->threads) if (e->parallel)
    for (int i = 0; i < p->nc; i++) {
        int32_t c0 = p->cp_start[i], c1 = p->cp_start[i + 1];
        for (int32_t cp = c0; cp < c1; cp++) {
            double xv = p->x[cp], P0, h0, P1, h1, P2, h2;
            size_t k0 = p->cstart[cp], k1 = p->cseg[2 * (size_t)cp], k2 = p->cseg[2 * (size_t)cp + 1],
                   k3 = p->cstart[cp + 1];
            e->k->pos_yes_no(hz, citem, items, k0, k1, xv, 0, &P0, &h0);
            e->k->pos_abstain(hz, citem, items, k1, k2, xv, &P1, &h1);
            e->k->pos_yes_no(hz, citem, items, k2, k3, xv, 1, &P2, &h2);
            p->P[cp] = P0 + P1 + P2;
            p->h[cp] = h0 + h1 + h2;
        }
        /* The chain's posterior mode: a tridiagonal system (Thomas). */
        double *cw = p->work;
        double prev_off = 0, prev_c = 0, prev_d = 0;
        for (int32_t cp = c0; cp < c1; cp++) {
            /* prior terms (x_cp - rho x_cp-1)^2 w_cp */
            double wl = cp > c0 ? p->cp_walk[cp] : 0;
            double wr = cp + 1 < c1 ? p->cp_walk[cp + 1] : 0, rr = cp + 1 < c1 ? p->cp_rho[cp + 1] : 0;
            double diag = p->P[cp] + wl + rr * rr * wr + (cp == c0 ? e->prior_prec : 0);
            double off = -rr * wr;
            double m = diag - prev_off * prev_c;
            double cc = off / m, dd = (p->h[cp] - prev_off * prev_d) / m;
            cw[cp] = cc;
            p->dwork[cp] = m;
            p->x[cp] = dd;
            prev_off = off;
            prev_c = cc;
            prev_d = dd;
        }
        /* means, and the marginal variances of q(x) (the smoother's
         * backward recursion: var_k = 1/D_k + (b_k/D_k)^2 var_k+1) */
        p->xvar[c1 - 1] = 1.0 / p->dwork[c1 - 1];
        for (int32_t cp = c1 - 2; cp >= c0; cp--) {
            p->x[cp] -= cw[cp] * p->x[cp + 1];
            p->xvar[cp] = 1.0 / p->dwork[cp] + cw[cp] * cw[cp] * p->xvar[cp + 1];
        }
        ideal_set_xq(p, c0, c1);
    }
}

/* 1 - corr(x, xprev) over the country-periods with votes; -1 when not finite. */
static double change_of(const problem *p)
{
    double n = 0, ma = 0, mb = 0;
    for (int k = 0; k < p->ncp; k++) {
        if (!p->cp_nvotes[k]) continue;
        if (!isfinite(p->x[k])) return -1;
        n++;
        ma += p->x[k];
        mb += p->xprev[k];
    }
    if (n < 2) return 0;
    ma /= n;
    mb /= n;
    double saa = 0, sbb = 0, sab = 0;
    for (int k = 0; k < p->ncp; k++) {
        if (!p->cp_nvotes[k]) continue;
        double da = p->x[k] - ma, db = p->xprev[k] - mb;
        saa += da * da;
        sbb += db * db;
        sab += da * db;
    }
    if (saa <= 0 || sbb <= 0) return saa == sbb ? 0 : 1;
    return 1 - sab / sqrt(saa * sbb);
}


static void em_run(problem *p, const em_ctx *e, double tol, int max_iter, run_ctl *ctl)
{
    p->iterations = 0;
    p->converged = 0;
    p->change = 1;
    ideal_set_xq(p, 0, p->ncp);
    for (int it = 1; it <= max_iter; it++) {
        memcpy(p->xprev, p->x, (size_t)p->ncp * sizeof *p->x);
        item_pass(p, e);
        position_pass(p, e);
        p->iterations = it;
        double ch = change_of(p);
        if (ch < 0) {
            p->failed = 1;
            return;
        }
        p->change = ch;
        if (ctl && ctl->report && ctl->progress && ctl->progress(ctl->ctx, (uint64_t)it, (uint64_t)max_iter)) {
            ctl->stopped = 1;
            return;
        }
        if (ch < tol) {
            p->converged = 1;
            return;
        }
    }
}

/* ------------------------------------------------------------ selection */

typedef struct sel {
    /* per vote of v (in v's order): mapped code 0/1/2, or -1 unused */
    int8_t *code;
    uint8_t *rc_ok;  /* [nrc] */
    uint8_t *c_ok;   /* [ncountry] */
    int32_t *order;  /* usable votes sorted by (rc, country) */
    size_t norder;
} sel;

typedef struct vkey {
    int32_t rc, country, idx;
} vkey;

/* Sort keys (in idx order) by (rc, country, idx): two stable counting
 * sorts, by country and then by rc, through tmp [n] and count
 * [max(nrc, ncountry) + 1].  O(n + nrc + ncountry). */
static void sort_vkeys(vkey *keys, vkey *tmp, size_t n, size_t nrc, size_t nc, size_t *count)
{
    memset(count, 0, (nc + 1) * sizeof *count);
    for (size_t k = 0; k < n; k++) count[keys[k].country + 1]++;
    for (size_t c = 0; c < nc; c++) count[c + 1] += count[c];
    for (size_t k = 0; k < n; k++) tmp[count[keys[k].country]++] = keys[k];
    memset(count, 0, (nrc + 1) * sizeof *count);
    for (size_t k = 0; k < n; k++) count[tmp[k].rc + 1]++;
    for (size_t r = 0; r < nrc; r++) count[r + 1] += count[r];
    for (size_t k = 0; k < n; k++) keys[count[tmp[k].rc]++] = tmp[k];
}

/* Which votes, roll calls and countries the fit uses (docs/ideal.md §4):
 * in range, first vote of a country on a roll call, a code the model reads;
 * then, until nothing changes, roll calls with a minority share >= lop and
 * countries with >= min_votes usable votes. */
static ol_status select_votes(const ol_ideal_votes *v, const ol_ideal_options *o, ol_ideal_counts *cnt, sel *s,
                              ol_error *err)
{
    memset(s, 0, sizeof *s);
    *cnt = (ol_ideal_counts){0};
    cnt->rollcalls_read = v->counts.rollcalls_read;
    cnt->votes_read = v->counts.votes_read;
    cnt->votes_bad_code = v->counts.votes_bad_code;
    cnt->votes_unknown_rollcall = v->counts.votes_unknown_rollcall;
    cnt->countries_read = v->counts.countries_read;
    size_t nrc = v->nrc, nc = v->ncountry, nv = v->nvotes;
    s->rc_ok = calloc(nrc ? nrc : 1, 1);
    s->c_ok = malloc(nc ? nc : 1);
    s->code = malloc(nv ? nv : 1);
    uint8_t *in_range = calloc(nrc ? nrc : 1, 1);
    vkey *keys = malloc((nv ? nv : 1) * sizeof *keys);
    long *cat = malloc((nrc ? nrc : 1) * 3 * sizeof *cat);
    long *per_c = malloc((nc ? nc : 1) * sizeof *per_c);
    uint8_t *c_seen = calloc(nc ? nc : 1, 1);
    if (!s->rc_ok || !s->c_ok || !s->code || !in_range || !keys || !cat || !per_c || !c_seen) {
        free(in_range);
        free(keys);
        free(cat);
        free(per_c);
        free(c_seen);
        return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating the vote selection");
    }
    for (size_t r = 0; r < nrc; r++) {
        int y = v->rc[r].year;
        in_range[r] = (!o->from_year || y >= o->from_year) && (!o->to_year || y <= o->to_year);
        if (!in_range[r]) cnt->rollcalls_range++;
    }
    size_t nk = 0;
    for (size_t i = 0; i < nv; i++) {
        s->code[i] = -1;
        if (in_range[v->votes[i].rc]) keys[nk++] = (vkey){v->votes[i].rc, v->votes[i].country, (int32_t)i};
    }
    vkey *tmp = malloc((nk ? nk : 1) * sizeof *tmp);
    size_t *count = malloc(((nrc > nc ? nrc : nc) + 1) * sizeof *count);
    if (!tmp || !count) {
        free(tmp);
        free(count);
        free(in_range);
        free(keys);
        free(cat);
        free(per_c);
        free(c_seen);
        return ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating the vote selection");
    }
    sort_vkeys(keys, tmp, nk, nrc, nc, count);
    free(tmp);
    free(count);
    size_t nuse = 0;
    for (size_t k = 0; k < nk; k++) {
        if (k && keys[k].rc == keys[k - 1].rc && keys[k].country == keys[k - 1].country) {
            cnt->votes_duplicate++;
            continue;
        }
        const ideal_vote *iv = &v->votes[keys[k].idx];
        c_seen[iv->country] = 1;
        int8_t code;
        if (iv->code == 1) code = 2;
        else if (iv->code == 3) code = 0;
        else if (o->model == OL_IDEAL_BINARY) {
            cnt->votes_abstain_missing++;
            continue;
        } else
            code = 1;
        s->code[keys[k].idx] = code;
        keys[nuse++] = keys[k];
    }
    memset(s->c_ok, 1, nc);
    for (size_t c = 0; c < nc; c++) s->c_ok[c] = c_seen[c];
    for (;;) {
        memset(cat, 0, nrc * 3 * sizeof *cat);
        for (size_t k = 0; k < nuse; k++)
            if (s->c_ok[keys[k].country]) cat[(size_t)keys[k].rc * 3 + (size_t)s->code[keys[k].idx]]++;
        for (size_t r = 0; r < nrc; r++) {
            long *t = &cat[r * 3];
            long tot = t[0] + t[1] + t[2], mx = t[0] > t[1] ? t[0] : t[1];
            if (t[2] > mx) mx = t[2];
            s->rc_ok[r] = in_range[r] && tot > mx && (double)(tot - mx) >= o->lop * (double)tot;
        }
        memset(per_c, 0, nc * sizeof *per_c);
        for (size_t k = 0; k < nuse; k++)
            if (s->rc_ok[keys[k].rc]) per_c[keys[k].country]++;
        int changed = 0;
        for (size_t c = 0; c < nc; c++)
            if (s->c_ok[c] && per_c[c] < o->min_votes) {
                s->c_ok[c] = 0;
                changed = 1;
            }
        if (!changed) break;
    }
    for (size_t r = 0; r < nrc; r++) {
        if (!in_range[r] || s->rc_ok[r]) continue;
        long *t = &cat[r * 3];
        long tot = t[0] + t[1] + t[2], mx = t[0] > t[1] ? t[0] : t[1];
        if (t[2] > mx) mx = t[2];
        if (tot == mx) cnt->rollcalls_unanimous++;
        else cnt->rollcalls_lopsided++;
    }
    for (size_t r = 0; r < nrc; r++) cnt->rollcalls_used += s->rc_ok[r];
    for (size_t c = 0; c < nc; c++) {
        if (s->c_ok[c]) cnt->countries_used++;
        else if (c_seen[c]) cnt->countries_too_few++;
    }
    s->order = (int32_t *)keys; /* reuse: idx list of the votes kept */
    size_t nord = 0;
    for (size_t k = 0; k < nuse; k++) {
        vkey kk = keys[k];
        if (s->rc_ok[kk.rc] && s->c_ok[kk.country]) s->order[nord++] = kk.idx;
        else s->code[kk.idx] = -1;
    }
    s->norder = nord;
    cnt->votes_used = (long)nord;
    cnt->votes_dropped = cnt->votes_read - cnt->votes_bad_code - cnt->votes_unknown_rollcall - cnt->votes_duplicate -
                         cnt->votes_abstain_missing - cnt->votes_used;
    free(in_range);
    free(cat);
    free(per_c);
    free(c_seen);
    return OL_OK;
}

static void sel_free(sel *s)
{
    free(s->code);
    free(s->rc_ok);
    free(s->c_ok);
    free(s->order);
}

/* ------------------------------------------------------------ bridging */

/* The bridge text, normalised: letters and digits upper-cased, every other
 * run of characters one space, so that spacing and punctuation differences
 * in the record do not break a recurring resolution apart. */
static char *normalise_key(const char *s)
{
    size_t n = strlen(s);
    char *o = malloc(n + 1), *w = o;
    if (!o) return NULL;
    int space = 1;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch >= 0x80) {
            *w++ = (char)((ch >= 'a' && ch <= 'z') ? ch - 32 : ch);
            space = 0;
        } else if (!space) {
            *w++ = ' ';
            space = 1;
        }
    }
    if (w > o && w[-1] == ' ') w--;
    *w = 0;
    return o;
}

typedef struct keyed {
    char *key;
    int32_t rc;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->rc > y->rc) - (x->rc < y->rc);
}

/* item_of_rc[r] for the roll calls kept (-1 otherwise); returns the number
 * of items, or -1 on allocation failure. */
static int make_items(const ol_ideal_votes *v, const sel *s, const ol_ideal_options *o, int bridge, int32_t *item_of_rc,
                      ol_ideal_counts *cnt)
{
    size_t nrc = v->nrc;
    int ng = 0;
    for (size_t r = 0; r < nrc; r++) item_of_rc[r] = -1;
    keyed *kk = NULL;
    size_t nk = 0;
    if (bridge) {
        kk = malloc((nrc ? nrc : 1) * sizeof *kk);
        if (!kk) return -1;
        for (size_t r = 0; r < nrc; r++) {
            if (!s->rc_ok[r] || !v->rc[r].key) continue;
            char *key = normalise_key(v->rc[r].key);
            if (!key) {
                for (size_t i = 0; i < nk; i++) free(kk[i].key);
                free(kk);
                return -1;
            }
            if ((int)strlen(key) < o->bridge_min_chars) {
                free(key);
                continue;
            }
            kk[nk++] = (keyed){key, (int32_t)r};
        }
        qsort(kk, nk, sizeof *kk, cmp_keyed);
        for (size_t i = 0; i < nk;) {
            size_t j = i + 1;
            int multi = 0;
            while (j < nk && strcmp(kk[j].key, kk[i].key) == 0) {
                if (v->rc[kk[j].rc].session != v->rc[kk[i].rc].session) multi = 1;
                j++;
            }
            if (multi) {
                for (size_t t = i; t < j; t++) item_of_rc[kk[t].rc] = ng;
                cnt->bridged_rollcalls += (long)(j - i);
                ng++;
            }
            i = j;
        }
        for (size_t i = 0; i < nk; i++) free(kk[i].key);
        free(kk);
    }
    for (size_t r = 0; r < nrc; r++)
        if (s->rc_ok[r] && item_of_rc[r] < 0) item_of_rc[r] = ng++;
    return ng;
}

/* ------------------------------------------------------------ building a problem */

typedef struct build_ws {
    int32_t *first, *last, *local_c; /* [ncountry] */
    int32_t *local_item;             /* [nrc] */
    int32_t *anchor_code;            /* [nrc] the reference country's vote (start values), -1: none */
    int32_t *vote_cp, *vote_item;    /* [norder] */
    int32_t *sess_idx;               /* session number -> index into sessions, -1 */
    int32_t *sessions;               /* the sessions with roll calls kept, ascending */
    int nsess;
    double *smean, *ssd;  /* [nsess] */
    long *sn;             /* [nsess] */
} build_ws;


typedef struct code_sort {
    int32_t c;
    const char *code;
} code_sort;

static int cmp_code_sort(const void *a, const void *b)
{
    return strcmp(((const code_sort *)a)->code, ((const code_sort *)b)->code);
}


static int build_problem(problem *p, const ol_ideal_votes *v, const sel *s, build_ws *w, const int32_t *subset,
                         size_t nsub, const int32_t *item_of_rc, int ng_global, const ol_ideal_options *o,
                         int dynamic)
{
    memset(p, 0, sizeof *p);
    size_t nc_all = v->ncountry;
    for (size_t c = 0; c < nc_all; c++) w->local_c[c] = -1;
    int nc = 0;
    code_sort *cs = malloc((nc_all ? nc_all : 1) * sizeof *cs);
    if (!cs) return -1;
    for (size_t k = 0; k < nsub; k++) {
        const ideal_vote *iv = &v->votes[subset[k]];
        int32_t si = w->sess_idx[v->rc[iv->rc].session];
        if (w->local_c[iv->country] < 0) {
            w->local_c[iv->country] = nc;
            cs[nc++] = (code_sort){iv->country, v->country[iv->country]};
            w->first[iv->country] = w->last[iv->country] = si;
        }
        if (si < w->first[iv->country]) w->first[iv->country] = si;
        if (si > w->last[iv->country]) w->last[iv->country] = si;
    }
    qsort(cs, (size_t)nc, sizeof *cs, cmp_code_sort);
    p->nc = nc;
    if (ALLOC(p->country, nc) || ALLOC(p->cp_start, nc + 1)) {
        free(cs);
        return -1;
    }
    int ncp = 0;
    for (int i = 0; i < nc; i++) {
        int32_t c = cs[i].c;
        w->local_c[c] = i;
        p->country[i] = c;
        p->cp_start[i] = ncp;
        ncp += dynamic ? w->last[c] - w->first[c] + 1 : 1;
    }
    p->cp_start[nc] = ncp;
    free(cs);
    p->ncp = ncp;
    /* items */
    int ng = 0;
    if (dynamic) ng = ng_global;
    else {
        for (size_t k = 0; k < nsub; k++) w->local_item[v->votes[subset[k]].rc] = -1;
        for (size_t k = 0; k < nsub; k++) {
            int32_t r = v->votes[subset[k]].rc;
            if (w->local_item[r] < 0) w->local_item[r] = ng++;
        }
    }
    p->ng = ng;
    p->nobs = nsub;
    if (ALLOC(p->cp_session, ncp) || ALLOC(p->cp_walk, ncp) || ALLOC(p->cp_rho, ncp) || ALLOC(p->cp_nvotes, ncp) ||
        ALLOC(p->cells, nsub) || ALLOC(p->istart, ng + 1) || ALLOC(p->icp, nsub) || ALLOC(p->iseg, 2 * (size_t)ng) ||
        ALLOC(p->citem, nsub) || ALLOC(p->cstart, ncp + 1) || ALLOC(p->cseg, 2 * (size_t)ncp) ||
        ALLOC(p->cfill, 3 * (size_t)ncp) || ALLOC(p->has_abstain, ng) || ALLOC(p->x, ncp) || ALLOC(p->xprev, ncp) ||
        ALLOC(p->alpha, ng) || ALLOC(p->beta, ng) || ALLOC(p->delta, ng) || ALLOC(p->P, ncp) || ALLOC(p->h, ncp) ||
        ALLOC(p->work, ncp) || ALLOC(p->dwork, ncp) || ALLOC(p->xvar, ncp) || ALLOC(p->xq, 2 * (size_t)ncp) ||
        ALLOC(p->vbb, ng) || ALLOC(p->vab, ng))
        return -1;
    /* 64-byte rows on 64-byte boundaries (aligned_alloc wants a multiple) */
    p->items = aligned_alloc(64, (ng ? (size_t)ng : 1) * sizeof *p->items);
    if (!p->items) return -1;
    memset(p->items, 0, (ng ? (size_t)ng : 1) * sizeof *p->items);
    double walk_var = o->walk_sd * o->walk_sd, prior_var = o->prior_sd * o->prior_sd;
    int stationary = o->walk != OL_IDEAL_WALK_RANDOM;
    double rho1 = o->walk == OL_IDEAL_WALK_STATIONARY ? sqrt(1 - walk_var / prior_var)
                  : o->walk == OL_IDEAL_WALK_NONE     ? 0
                                                      : 1;
    for (int i = 0; i < nc; i++) {
        int32_t c = p->country[i];
        for (int32_t cp = p->cp_start[i]; cp < p->cp_start[i + 1]; cp++) {
            int32_t si = dynamic ? w->first[c] + (cp - p->cp_start[i]) : w->first[c];
            p->cp_session[cp] = w->sessions[si];
            if (cp == p->cp_start[i]) continue;
            double d = (double)(w->sessions[si] - w->sessions[si - 1]);
            /* d sessions of the walk at once: rho^d, and the variance of the
             * summed steps */
            double rho = stationary ? pow(rho1, d) : 1;
            p->cp_rho[cp] = rho;
            p->cp_walk[cp] = 1.0 / (stationary ? prior_var * (1 - rho * rho) : walk_var * d);
        }
    }
    /* cells: counting sort by item (the cp-major order follows in partition_cells) */
    for (size_t k = 0; k < nsub; k++) {
        const ideal_vote *iv = &v->votes[subset[k]];
        int32_t c = iv->country, li = w->local_c[c];
        int32_t si = w->sess_idx[v->rc[iv->rc].session];
        int32_t cp = p->cp_start[li] + (dynamic ? si - w->first[c] : 0);
        int32_t g = dynamic ? item_of_rc[iv->rc] : w->local_item[iv->rc];
        w->vote_cp[k] = cp;
        w->vote_item[k] = g;
        p->istart[g + 1]++;
        p->cstart[cp + 1]++;
        p->cp_nvotes[cp]++;
    }
    for (int g = 0; g < ng; g++) p->istart[g + 1] += p->istart[g];
    for (int cp = 0; cp < ncp; cp++) p->cstart[cp + 1] += p->cstart[cp];
    size_t *ifill = malloc(((size_t)ng + 1) * sizeof *ifill);
    if (!ifill) return -1;
    memcpy(ifill, p->istart, ((size_t)ng + 1) * sizeof *ifill);
    for (size_t k = 0; k < nsub; k++) {
        uint32_t code = (uint32_t)s->code[subset[k]];
        int32_t g = w->vote_item[k], cp = w->vote_cp[k];
        p->cells[ifill[g]++] = ((uint32_t)cp << 2) | code;
        if (code == 1) p->has_abstain[g] = 1;
    }
    free(ifill);
    partition_cells(p);

    /* start values: agreement with the reference country (the anchor) in the session, standardised
     * within the session (docs/ideal.md §3); items flat */
    for (int cp = 0; cp < ncp; cp++) p->P[cp] = p->h[cp] = 0;
    for (size_t k = 0; k < nsub; k++) {
        const ideal_vote *iv = &v->votes[subset[k]];
        int32_t ac = w->anchor_code[iv->rc];
        if (ac < 0) continue;
        int32_t cp = w->vote_cp[k];
        p->h[cp] += 1.0 - fabs((double)s->code[subset[k]] - ac) / 2.0;
        p->P[cp] += 1;
    }
    for (int si = 0; si < w->nsess; si++) w->smean[si] = w->ssd[si] = 0, w->sn[si] = 0;
    for (int cp = 0; cp < ncp; cp++)
        if (p->P[cp] > 0) {
            int si = w->sess_idx[p->cp_session[cp]];
            double a = p->h[cp] / p->P[cp];
            p->h[cp] = a;
            w->sn[si]++;
            w->smean[si] += a;
            w->ssd[si] += a * a;
        }
    for (int si = 0; si < w->nsess; si++)
        if (w->sn[si]) {
            double m = w->smean[si] / (double)w->sn[si];
            double var = w->ssd[si] / (double)w->sn[si] - m * m;
            w->smean[si] = m;
            w->ssd[si] = var > 0 ? sqrt(var) : 0;
        }
    for (int i = 0; i < nc; i++) {
        double carry = 0;
        for (int32_t cp = p->cp_start[i]; cp < p->cp_start[i + 1]; cp++) {
            int si = w->sess_idx[p->cp_session[cp]];
            if (p->P[cp] > 0 && w->ssd[si] > 0) carry = o->prior_sd * (p->h[cp] - w->smean[si]) / w->ssd[si];
            p->x[cp] = carry;
        }
    }
    /* The band starts at half an sd: inside the range estimated bands take
     * on this data; items without abstentions keep no band (binary). */
    for (int g = 0; g < ng; g++) p->delta[g] = p->has_abstain[g] ? 0.5 : 0;
    return 0;
}

static int save_fit(problem *p)
{
    if ((!p->fit_x && ALLOC(p->fit_x, p->ncp)) || (!p->fit_alpha && ALLOC(p->fit_alpha, p->ng)) ||
        (!p->fit_beta && ALLOC(p->fit_beta, p->ng)) || (!p->fit_delta && ALLOC(p->fit_delta, p->ng)) ||
        (!p->sum && ALLOC(p->sum, p->ncp)) || (!p->sum2 && ALLOC(p->sum2, p->ncp)))
        return -1;
    memcpy(p->fit_x, p->x, (size_t)p->ncp * sizeof *p->x);
    memcpy(p->fit_alpha, p->alpha, (size_t)p->ng * sizeof *p->alpha);
    memcpy(p->fit_beta, p->beta, (size_t)p->ng * sizeof *p->beta);
    memcpy(p->fit_delta, p->delta, (size_t)p->ng * sizeof *p->delta);
    return 0;
}

/* The anchor's mean position is made positive. */
void ideal_orient(problem *p, int32_t anchor)
{
    double s = 0;
    int n = 0;
    for (int i = 0; i < p->nc; i++) {
        if (p->country[i] != anchor) continue;
        for (int32_t cp = p->cp_start[i]; cp < p->cp_start[i + 1]; cp++)
            if (p->cp_nvotes[cp]) {
                s += p->x[cp];
                n++;
            }
    }
    if (n == 0 || s >= 0) return;
    for (int k = 0; k < p->ncp; k++) p->x[k] = -p->x[k];
    for (int g = 0; g < p->ng; g++) p->beta[g] = -p->beta[g];
}

/* One bootstrap replicate of a problem: votes drawn from the fitted model
 * on the observed cells, the EM started from the fit, the positions added
 * to the moments (aligned in sign with the fit). */
static void bootstrap_one(problem *p, const em_ctx *e, const ol_ideal_options *o, uint64_t seed, gsl_rng *rng)
{
    gsl_rng_set(rng, (unsigned long)seed);
    for (int g = 0; g < p->ng; g++) {
        double a = p->fit_alpha[g], b = p->fit_beta[g], d = p->fit_delta[g];
        for (size_t k = p->istart[g]; k < p->istart[g + 1]; k++) {
            uint32_t c = p->cells[k];
            double ys = a + b * p->fit_x[c >> 2] + gsl_ran_gaussian_ziggurat(rng, 1.0);
            uint32_t code = ys < 0 ? 0 : (e->ordinal && p->has_abstain[g] && ys < d) ? 1 : 2;
            p->cells[k] = (c & ~3u) | code;
        }
    }
    partition_cells(p);
    memcpy(p->x, p->fit_x, (size_t)p->ncp * sizeof *p->x);
    memcpy(p->alpha, p->fit_alpha, (size_t)p->ng * sizeof *p->alpha);
    memcpy(p->beta, p->fit_beta, (size_t)p->ng * sizeof *p->beta);
    memcpy(p->delta, p->fit_delta, (size_t)p->ng * sizeof *p->delta);
    em_run(p, e, o->tol, o->max_iter, NULL);
    double sab = 0;
    for (int k = 0; k < p->ncp; k++) sab += p->x[k] * p->fit_x[k];
    double sign = sab < 0 ? -1 : 1;
    for (int k = 0; k < p->ncp; k++) {
        double xv = sign * p->x[k];
        p->sum[k] += xv;
        p->sum2[k] += xv * xv;
    }
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

uint64_t ideal_mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static ol_status check_options(const ol_ideal_options *o, ol_error *err)
{
    const char *bad = NULL;
    if ((unsigned)o->model > OL_IDEAL_DYNAMIC) bad = "model";
    else if (!(o->lop >= 0 && o->lop < 0.5)) bad = "lop (0 <= lop < 0.5)";
    else if (o->min_votes < 1) bad = "min_votes (>= 1)";
    else if (!(o->tol > 0 && o->tol < 1)) bad = "tol (0 < tol < 1)";
    else if (o->max_iter < 1) bad = "max_iter (>= 1)";
    else if (o->threads < 0) bad = "threads (>= 0)";
    else if (!(o->prior_sd > 0 && isfinite(o->prior_sd))) bad = "prior_sd (> 0)";
    else if (!(o->walk_sd > 0 && isfinite(o->walk_sd))) bad = "walk_sd (> 0)";
    else if ((unsigned)o->walk > OL_IDEAL_WALK_NONE) bad = "walk";
    else if (o->walk == OL_IDEAL_WALK_STATIONARY && o->walk_sd >= o->prior_sd)
        bad = "walk_sd < prior_sd (a stationary walk's step is smaller than its spread)";
    else if (!(o->item_sd > 0 && isfinite(o->item_sd))) bad = "item_sd (> 0)";
    else if (o->bootstrap < 0) bad = "bootstrap (>= 0)";
    else if (o->bridge_min_chars < 1) bad = "bridge_min_chars (>= 1)";
    else if ((unsigned)o->kernels > OL_IDEAL_KERNELS_AVX512) bad = "kernels";
    else if ((unsigned)o->method > OL_IDEAL_METHOD_GIBBS) bad = "method";
    else if (o->method == OL_IDEAL_METHOD_GIBBS && o->bootstrap > 0)
        bad = "bootstrap with the Gibbs sampler (its posterior sd is the standard error)";
    else if (o->method == OL_IDEAL_METHOD_GIBBS && (o->burn < 0 || o->draws < 2 || o->thin < 1))
        bad = "burn (>= 0), draws (>= 2), thin (>= 1)";
    else if (o->from_year && o->to_year && o->from_year > o->to_year) bad = "from_year <= to_year";
    if (bad) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "invalid ideal-point option: %s", bad);
    return OL_OK;
}

/* The share of positions still moving and the countries with most of them
 * (points sorted by country). */
static void geweke_summary(ol_ideal_fit *f)
{
    size_t n = 0, moving = 0;
    f->geweke_moving = NAN;
    f->geweke_expected = 2 * gsl_cdf_tdist_Q(OL_IDEAL_GEWEKE_Z, GEWEKE_LAST - 1);
    f->ngeweke_top = 0;
    for (size_t i = 0; i < f->n;) {
        ol_ideal_moving m = {.moving = 0};
        snprintf(m.country, sizeof m.country, "%s", f->points[i].country);
        for (; i < f->n && strcmp(f->points[i].country, m.country) == 0; i++) {
            double z = fabs(f->points[i].geweke_z);
            if (isnan(z)) continue;
            m.sessions++;
            n++;
            if (z > OL_IDEAL_GEWEKE_Z) {
                m.moving++;
                moving++;
            }
            if (z > m.max_z) m.max_z = z;
        }
        if (!m.moving) continue;
        /* insert into the top list, kept in order */
        int at = f->ngeweke_top;
        while (at > 0 && (m.moving > f->geweke_top[at - 1].moving ||
                          (m.moving == f->geweke_top[at - 1].moving && m.max_z > f->geweke_top[at - 1].max_z)))
            at--;
        if (at >= OL_IDEAL_GEWEKE_TOP) continue;
        int last = f->ngeweke_top < OL_IDEAL_GEWEKE_TOP ? f->ngeweke_top : OL_IDEAL_GEWEKE_TOP - 1;
        for (int j = last; j > at; j--) f->geweke_top[j] = f->geweke_top[j - 1];
        f->geweke_top[at] = m;
        if (f->ngeweke_top < OL_IDEAL_GEWEKE_TOP) f->ngeweke_top++;
    }
    if (n) f->geweke_moving = (double)moving / (double)n;
}

static int cmp_point(const void *a, const void *b)
{
    const ol_ideal_point *x = a, *y = b;
    int c = strcmp(x->country, y->country);
    return c ? c : (x->session > y->session) - (x->session < y->session);
}

typedef struct year_of {
    int32_t session, year;
} year_of;

static int cmp_year_of(const void *a, const void *b)
{
    const year_of *x = a, *y = b;
    if (x->session != y->session) return x->session < y->session ? -1 : 1;
    return (x->year > y->year) - (x->year < y->year);
}

ol_status ol_ideal_estimate(const ol_ideal_votes *v, const ol_ideal_options *o, ol_progress_fn progress,
                            void *progress_ctx, ol_ideal_fit **out, ol_error *err)
{
    *out = NULL;
    if (!v || !o) return ol_error_set(err, OL_EINVAL, NULL, 0, 0, NULL, "estimating needs votes and options");
    ol_status st = check_options(o, err);
    if (st) return st;
    ol_ideal_counts cnt;
    sel s;
    st = select_votes(v, o, &cnt, &s, err);
    if (st) {
        sel_free(&s);
        return st;
    }
    if (cnt.countries_used < 2 || cnt.rollcalls_used < 1) {
        sel_free(&s);
        return ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, NULL,
                            "the votes do not identify the model: %ld countries and %ld roll calls are left "
                            "(%ld unanimous and %ld lopsided roll calls dropped, %ld countries with fewer than %d "
                            "votes)",
                            cnt.countries_used, cnt.rollcalls_used, cnt.rollcalls_unanimous, cnt.rollcalls_lopsided,
                            cnt.countries_too_few, o->min_votes);
    }
    int32_t anchor = -1;
    if (o->anchor[0]) {
        for (size_t c = 0; c < v->ncountry; c++)
            if (strcmp(v->country[c], o->anchor) == 0) anchor = (int32_t)c;
        if (anchor < 0 || !s.c_ok[anchor]) {
            sel_free(&s);
            return ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, "anchor",
                                "the anchor country %s has no usable votes: choose another anchor", o->anchor);
        }
    }
    int dynamic = o->model == OL_IDEAL_DYNAMIC;
    int ordinal = o->model != OL_IDEAL_BINARY;
    int nthreads = o->threads ? o->threads : omp_get_max_threads();
    size_t nrc = v->nrc, nc_all = v->ncountry, nord = s.norder;
    build_ws w = {0};
    int32_t *item_of_rc = NULL, *sess_off = NULL, *by_sess = NULL;
    year_of *yo = NULL;
    int32_t *sess_year = NULL, *ref = NULL;
    long *ref_n = NULL, *c_n = NULL;
    problem *probs = NULL;
    int nprob = 0;
    gsl_rng **rngs = NULL;
    double *trace = NULL;
    long *acc = NULL;
    ol_ideal_fit *f = NULL;
    ol_tn_table *hz = malloc(sizeof *hz);
    int maxs = 0;
    for (size_t r = 0; r < nrc; r++)
        if (v->rc[r].session > maxs) maxs = v->rc[r].session;
    if (!hz || ALLOC(w.first, nc_all) || ALLOC(w.last, nc_all) || ALLOC(w.local_c, nc_all) ||
        ALLOC(w.local_item, nrc) || ALLOC(w.anchor_code, nrc) || ALLOC(w.vote_cp, nord) ||
        ALLOC(w.vote_item, nord) || ALLOC(w.sess_idx, maxs + 1) || ALLOC(w.sessions, maxs + 1) ||
        ALLOC(item_of_rc, nrc) || ALLOC(yo, nrc) || ALLOC(sess_year, maxs + 1))
        goto oom;
    ol_tn_table_init(hz);
    /* sessions and their years (the modal year of their roll calls) */
    size_t nyo = 0;
    for (size_t r = 0; r < nrc; r++)
        if (s.rc_ok[r]) yo[nyo++] = (year_of){v->rc[r].session, v->rc[r].year};
    qsort(yo, nyo, sizeof *yo, cmp_year_of);
    for (int i = 0; i <= maxs; i++) w.sess_idx[i] = -1;
    for (size_t i = 0; i < nyo;) {
        size_t j = i, best = 0;
        int by = yo[i].year;
        while (j < nyo && yo[j].session == yo[i].session) {
            size_t k = j;
            while (k < nyo && yo[k].session == yo[j].session && yo[k].year == yo[j].year) k++;
            if (k - j > best) best = k - j, by = yo[j].year;
            j = k;
        }
        w.sess_idx[yo[i].session] = w.nsess;
        w.sessions[w.nsess++] = yo[i].session;
        sess_year[yo[i].session] = by;
        i = j;
    }
    if (ALLOC(w.smean, w.nsess) || ALLOC(w.ssd, w.nsess) || ALLOC(w.sn, w.nsess) || ALLOC(sess_off, w.nsess + 1) ||
        ALLOC(by_sess, nord))
        goto oom;
    /* The start values are the agreement with a reference country per
     * session: the anchor, or without one the country with the most usable
     * votes (in a session it did not vote in, that session's): with no
     * reference every start value is 0, a fixed point of the EM. */
    if (ALLOC(ref, w.nsess)) goto oom;
    for (int si = 0; si < w.nsess; si++) ref[si] = anchor;
    if (anchor < 0) {
        size_t nref = (size_t)w.nsess * nc_all;
        if (ALLOC(ref_n, nref) || ALLOC(c_n, nc_all)) goto oom;
        for (size_t k = 0; k < nord; k++) {
            const ideal_vote *iv = &v->votes[s.order[k]];
            ref_n[(size_t)w.sess_idx[v->rc[iv->rc].session] * nc_all + (size_t)iv->country]++;
            c_n[iv->country]++;
        }
        int32_t top = 0;
        for (size_t c = 1; c < nc_all; c++)
            if (c_n[c] > c_n[top]) top = (int32_t)c;
        for (int si = 0; si < w.nsess; si++) {
            const long *n = ref_n + (size_t)si * nc_all;
            ref[si] = top;
            for (size_t c = 0; c < nc_all && !n[top]; c++)
                if (n[c] > n[ref[si]]) ref[si] = (int32_t)c;
        }
    }
    for (size_t r = 0; r < nrc; r++) w.anchor_code[r] = -1;
    for (size_t k = 0; k < nord; k++) {
        const ideal_vote *iv = &v->votes[s.order[k]];
        int32_t si = w.sess_idx[v->rc[iv->rc].session];
        if (iv->country == ref[si]) w.anchor_code[iv->rc] = s.code[s.order[k]];
        sess_off[si + 1]++;
    }
    int ng = make_items(v, &s, o, dynamic && o->bridge == OL_IDEAL_BRIDGE_TEXT, item_of_rc, &cnt);
    if (ng < 0) goto oom;
    cnt.items = ng;
    if (dynamic) {
        nprob = 1;
        if (ALLOC(probs, 1) || build_problem(&probs[0], v, &s, &w, s.order, nord, item_of_rc, ng, o, 1)) goto oom;
    } else {
        /* one problem per session: the votes bucketed by session, in order */
        for (int i = 0; i < w.nsess; i++) sess_off[i + 1] += sess_off[i];
        for (size_t k = 0; k < nord; k++) {
            const ideal_vote *iv = &v->votes[s.order[k]];
            by_sess[sess_off[w.sess_idx[v->rc[iv->rc].session]]++] = s.order[k];
        }
        for (int i = w.nsess; i > 0; i--) sess_off[i] = sess_off[i - 1];
        sess_off[0] = 0;
        if (ALLOC(probs, w.nsess)) goto oom;
        cnt.items = 0;
        for (int i = 0; i < w.nsess; i++) {
            const int32_t *sub = by_sess + sess_off[i];
            size_t nsub = (size_t)(sess_off[i + 1] - sess_off[i]);
            int has_anchor = anchor < 0;
            for (size_t k = 0; k < nsub && !has_anchor; k++)
                if (v->votes[sub[k]].country == anchor) has_anchor = 1;
            problem *p = &probs[nprob];
            if (build_problem(p, v, &s, &w, sub, nsub, NULL, 0, o, 0)) {
                nprob++;
                goto oom;
            }
            if (p->nc < 2 || !has_anchor) {
                cnt.periods_unidentified++;
                problem_free(p);
                memset(p, 0, sizeof *p);
                continue;
            }
            p->session = w.sessions[i];
            cnt.items += p->ng;
            nprob++;
        }
        if (nprob == 0) {
            st = ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, NULL,
                              "no session identifies the model (each needs two countries%s)",
                              anchor >= 0 ? " and a vote of the anchor" : "");
            goto done;
        }
    }
    em_ctx e = {hz,      kernels_of(o->kernels), 1.0 / (o->prior_sd * o->prior_sd), 1.0 / (o->item_sd * o->item_sd),
                ordinal, dynamic,      nthreads};
    run_ctl ctl = {progress, progress_ctx, dynamic, 0};
    double t0 = now_seconds();
    if (dynamic) em_run(&probs[0], &e, o->tol, o->max_iter, &ctl);
    else {
#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads)
        for (int i = 0; i < nprob; i++) em_run(&probs[i], &e, o->tol, o->max_iter, NULL);
        if (progress && progress(progress_ctx, (uint64_t)nprob, (uint64_t)nprob)) ctl.stopped = 1;
    }
    double t1 = now_seconds();
    if (ctl.stopped) {
        st = ol_error_set(err, OL_EINTERRUPTED, NULL, 0, 0, NULL, "the estimation was stopped");
        goto done;
    }
    for (int i = 0; i < nprob; i++)
        if (probs[i].failed) {
            st = ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, NULL,
                              "the fit diverged (a non-finite position) %s%d: the votes do not identify the model",
                              probs[i].session ? "in session " : "after iteration ",
                              probs[i].session ? probs[i].session : probs[i].iterations);
            goto done;
        }
    for (int i = 0; i < nprob; i++) {
        ideal_orient(&probs[i], anchor);
        if (save_fit(&probs[i])) goto oom;
    }
    double t2 = t1, tg = t1, band_acc = 0, shift_acc = 0, gz = 0;
    if (o->method == OL_IDEAL_METHOD_GIBBS) {
        /* taus2: seeding it costs a few operations, and the sampler seeds
         * once per item and country and sweep */
        if (ALLOC(rngs, nthreads) || ALLOC(trace, (size_t)nprob * (size_t)o->draws) || ALLOC(acc, 4 * (size_t)nprob))
            goto oom;
        for (int t = 0; t < nthreads; t++)
            if (!(rngs[t] = gsl_rng_alloc(gsl_rng_taus2))) goto oom;
        int bad = 0;
        if (dynamic) bad = ideal_gibbs_run(&probs[0], &e, o, o->seed, rngs, anchor, &ctl, trace, acc);
        else {
#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads) reduction(| : bad)
            for (int i = 0; i < nprob; i++)
                bad |= ideal_gibbs_run(&probs[i], &e, o, ideal_mix64(o->seed ^ (uint64_t)(i + 1)), rngs, anchor, NULL,
                                 trace + (size_t)i * (size_t)o->draws, acc + 4 * (size_t)i);
            if (progress && progress(progress_ctx, (uint64_t)nprob, (uint64_t)nprob)) ctl.stopped = 1;
        }
        if (bad < 0) goto oom;
        tg = t2 = now_seconds();
        if (ctl.stopped) {
            st = ol_error_set(err, OL_EINTERRUPTED, NULL, 0, 0, NULL, "the sampling was stopped");
            goto done;
        }
        long na = 0, nt = 0, sa = 0, sn = 0;
        for (int i = 0; i < nprob; i++) {
            na += acc[4 * i];
            nt += acc[4 * i + 1];
            sa += acc[4 * i + 2];
            sn += acc[4 * i + 3];
            double z = ideal_geweke(trace + (size_t)i * (size_t)o->draws, o->draws);
            if (isnan(z) || (!isnan(gz) && fabs(z) > fabs(gz))) gz = z;
        }
        band_acc = nt ? (double)na / (double)nt : 0;
        shift_acc = sn ? (double)sa / (double)sn : 0;
        for (int i = 0; i < nprob; i++)
            for (int k = 0; k < probs[i].ncp; k++)
                if (!isfinite(probs[i].fit_x[k])) {
                    st = ol_error_set(err, OL_EVALIDATE, NULL, 0, 0, NULL,
                                      "the sampler gave a non-finite position: the votes do not identify the model");
                    goto done;
                }
    }
    if (o->bootstrap > 0) {
        if (ALLOC(rngs, nthreads)) goto oom;
        for (int t = 0; t < nthreads; t++)
            if (!(rngs[t] = gsl_rng_alloc(gsl_rng_mt19937))) goto oom;
        for (int r = 0; r < o->bootstrap && !ctl.stopped; r++) {
            uint64_t base = ideal_mix64(o->seed ^ ideal_mix64((uint64_t)r + 1));
            if (dynamic) bootstrap_one(&probs[0], &e, o, base, rngs[0]);
            else {
#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads)
                for (int i = 0; i < nprob; i++)
                    bootstrap_one(&probs[i], &e, o, ideal_mix64(base ^ (uint64_t)(i + 1)), rngs[omp_get_thread_num()]);
            }
            if (progress && progress(progress_ctx, (uint64_t)r + 1, (uint64_t)o->bootstrap)) ctl.stopped = 1;
        }
        t2 = now_seconds();
        if (ctl.stopped) {
            st = ol_error_set(err, OL_EINTERRUPTED, NULL, 0, 0, NULL, "the bootstrap was stopped");
            goto done;
        }
    }
    /* the points */
    if (ALLOC(f, 1)) goto oom;
    size_t npts = 0;
    for (int i = 0; i < nprob; i++)
        for (int k = 0; k < probs[i].ncp; k++) npts += probs[i].cp_nvotes[k] > 0;
    if (ALLOC(f->points, npts)) goto oom;
    f->options = *o;
    f->iterations = 0;
    f->converged = 1;
    f->last_change = 0;
    for (int i = 0; i < nprob; i++) {
        problem *p = &probs[i];
        if (p->iterations > f->iterations) f->iterations = p->iterations;
        if (!p->converged) f->converged = 0;
        if (p->change > f->last_change) f->last_change = p->change;
        for (int c = 0; c < p->nc; c++)
            for (int32_t cp = p->cp_start[c]; cp < p->cp_start[c + 1]; cp++) {
                if (!p->cp_nvotes[cp]) continue;
                ol_ideal_point *pt = &f->points[f->n++];
                snprintf(pt->country, sizeof pt->country, "%s", v->country[p->country[c]]);
                pt->session = p->cp_session[cp];
                pt->year = sess_year[pt->session];
                pt->value = p->fit_x[cp];
                pt->nvotes = p->cp_nvotes[cp];
                pt->se = o->method == OL_IDEAL_METHOD_GIBBS ? p->sum2[cp] : NAN;
                pt->geweke_z = o->method == OL_IDEAL_METHOD_GIBBS ? p->gz[cp] : NAN;
                if (o->bootstrap > 1) {
                    double m = p->sum[cp] / o->bootstrap;
                    double var = (p->sum2[cp] - o->bootstrap * m * m) / (o->bootstrap - 1);
                    pt->se = var > 0 ? sqrt(var) : 0;
                }
            }
    }
    /* per-session problems come in session order: by country, then session */
    if (!dynamic) qsort(f->points, f->n, sizeof *f->points, cmp_point);
    f->counts = cnt;
    f->seconds = t1 - t0;
    f->kernels = e.k->name;
    f->bootstrap_seconds = o->method == OL_IDEAL_METHOD_GIBBS ? 0 : t2 - t1;
    if (o->method == OL_IDEAL_METHOD_GIBBS) {
        f->sweeps = o->burn + o->draws * o->thin;
        f->gibbs_seconds = tg - t1;
        f->band_accept = band_acc;
        f->shift_accept = shift_acc;
        f->geweke_z = gz;
        geweke_summary(f);
    }
    *out = f;
    f = NULL;
    goto done;
oom:
    st = ol_error_set(err, OL_ENOMEM, NULL, 0, 0, NULL, "allocating the estimator's work space");
done:
    if (rngs)
        for (int t = 0; t < nthreads; t++) gsl_rng_free(rngs[t]);
    free(rngs);
    free(trace);
    free(acc);
    if (probs)
        for (int i = 0; i < (dynamic ? 1 : w.nsess); i++) problem_free(&probs[i]);
    free(probs);
    ol_ideal_fit_free(f);
    free(hz);
    free(w.first);
    free(w.last);
    free(w.local_c);
    free(w.local_item);
    free(w.anchor_code);
    free(w.vote_cp);
    free(w.vote_item);
    free(w.sess_idx);
    free(w.sessions);
    free(w.smean);
    free(w.ssd);
    free(w.sn);
    free(item_of_rc);
    free(sess_off);
    free(by_sess);
    free(yo);
    free(sess_year);
    free(ref);
    free(ref_n);
    free(c_n);
    sel_free(&s);
    return st;
}
