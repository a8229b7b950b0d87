/*
 * match_flow.c - min-cost max-flow for mentor matching (see match_flow.h):
 * successive shortest paths (Dijkstra over reduced costs), each round
 * augmenting along every admissible path a DFS finds, over an implicit
 * residual graph. Called by match.c only.
 *
 * Pure and reentrant: everything lives in the caller's struct match_flow.
 */
#include "bot/domain/mentoring/match_flow.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/bb.h"

#define INF_DIST INT64_MAX

static int heap_push(struct heap *h, int64_t key, int node)
{
    if (h->n == h->alloc) {
        size_t na = h->alloc ? h->alloc * 2 : 1024;
        int64_t *nk = realloc(h->key, na * sizeof(*nk));
        if (!nk)
            return BB_ENOMEM;
        h->key = nk;
        int *nn = realloc(h->node, na * sizeof(*nn));
        if (!nn)
            return BB_ENOMEM;
        h->node = nn;
        h->alloc = na;
    }
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (h->key[p] < key || (h->key[p] == key && h->node[p] <= node))
            break;
        h->key[i] = h->key[p];
        h->node[i] = h->node[p];
        i = p;
    }
    h->key[i] = key;
    h->node[i] = node;
    return BB_OK;
}

static void heap_pop(struct heap *h, int64_t *key, int *node)
{
    *key = h->key[0];
    *node = h->node[0];
    int64_t k = h->key[--h->n];
    int v = h->node[h->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, best = i;
        int64_t bk = k;
        int bv = v;
        if (l < h->n && (h->key[l] < bk || (h->key[l] == bk && h->node[l] < bv))) {
            best = l;
            bk = h->key[l];
            bv = h->node[l];
        }
        if (r < h->n && (h->key[r] < bk || (h->key[r] == bk && h->node[r] < bv)))
            best = r;
        if (best == i)
            break;
        h->key[i] = h->key[best];
        h->node[i] = h->node[best];
        i = best;
    }
    if (h->n > 0) {
        h->key[i] = k;
        h->node[i] = v;
    }
}

/* Arc numbering per node for DFS and predecessors:
 *   S: arc = mentee index; mentee: arc = edge index; mentor: arc = -1 for T,
 *   else a slot index. */

static int64_t rc_cost(const struct match_flow *f, int u, int v, int64_t cost)
{
    return cost + f->pot[u] - f->pot[v];
}

/* Dijkstra from S over reduced costs; stops when T is settled. Returns 1
 * when T was reached (and updates the potentials), 0 when not. */
static int flow_dijkstra(struct match_flow *f, int *err)
{
    int64_t d;
    int v;
    for (int i = 0; i < f->V; i++) {
        f->dist[i] = INF_DIST;
        f->done[i] = 0;
    }
    f->h.n = 0;
    f->dist[f->S] = 0;
    *err = heap_push(&f->h, 0, f->S);
    if (*err)
        return 0;
#define RELAX(to, w, arc)                                                                          \
    do {                                                                                           \
        int64_t nd_ = d + (w);                                                                     \
        if (nd_ < f->dist[to]) {                                                                   \
            f->dist[to] = nd_;                                                                     \
            f->pnode[to] = v;                                                                      \
            f->parc[to] = (arc);                                                                   \
            if ((*err = heap_push(&f->h, nd_, (to))))                                              \
                return 0;                                                                          \
        }                                                                                          \
    } while (0)
    while (f->h.n) {
        heap_pop(&f->h, &d, &v);
        if (f->done[v])
            continue;
        f->done[v] = 1;
        if (v == f->T)
            break;
        if (v == f->S) {
            for (int i = 0; i < f->n; i++)
                if (f->medge[i] < 0 && f->eoff[i + 1] > f->eoff[i])
                    RELAX(i, rc_cost(f, f->S, i, 0), i);
        } else if (v < f->n) {
            for (int e = f->eoff[v]; e < f->eoff[v + 1]; e++) {
                int to = f->n + f->eto[e];
                if (e != f->medge[v] && !f->done[to])
                    RELAX(to, rc_cost(f, v, to, -(int64_t)f->esc[e]), e);
            }
        } else {
            int j = v - f->n;
            if (f->load[j] < f->cap[j])
                RELAX(f->T, rc_cost(f, v, f->T, 0), -1);
            for (int k = f->soff[j]; k < f->soff[j + 1]; k++) {
                int i = f->slot[k];
                if (i >= 0 && !f->done[i])
                    RELAX(i, rc_cost(f, v, i, (int64_t)f->esc[f->medge[i]]), k);
            }
        }
    }
#undef RELAX
    if (!f->done[f->T])
        return 0;
    int64_t D = f->dist[f->T];
    for (int i = 0; i < f->V; i++)
        f->pot[i] += f->done[i] ? f->dist[i] : D;
    return 1;
}

/* Apply an augmenting path given as nodes pv[0..len] (pv[0] = S, pv[len] =
 * T) and arcs pa[0..len). */
static void flow_augment(struct match_flow *f, const int *pv, const int *pa, int len)
{
    /* first release: mentor -> mentee arcs move the mentee out */
    for (int k = 1; k < len; k++) {
        int v = pv[k];
        if (v >= f->n && pa[k] >= 0) {
            int i = f->slot[pa[k]];
            f->slot[pa[k]] = -1;
            f->load[v - f->n]--;
            f->medge[i] = -1;
        }
    }
    /* then take: mentee -> mentor arcs move the mentee in */
    for (int k = 1; k < len; k++) {
        int v = pv[k];
        if (v < f->n) {
            int e = pa[k];
            int j = f->eto[e];
            f->medge[v] = e;
            for (int s = f->soff[j]; s < f->soff[j + 1]; s++)
                if (f->slot[s] < 0) {
                    f->slot[s] = v;
                    break;
                }
            f->load[j]++;
        }
    }
}

/* Next admissible arc of v from cur[v]; sets *to and *arc, or returns 0. */
static int flow_next_arc(struct match_flow *f, int v, int *to, int *arc)
{
    if (v == f->S) {
        for (; f->cur[v] < f->n; f->cur[v]++) {
            int i = f->cur[v];
            if (f->medge[i] < 0 && f->eoff[i + 1] > f->eoff[i] && !f->dead[i] && !f->onpath[i] &&
                rc_cost(f, v, i, 0) == 0) {
                *to = i;
                *arc = i;
                return 1;
            }
        }
        return 0;
    }
    if (v < f->n) {
        int base = f->eoff[v], cnt = f->eoff[v + 1] - base;
        for (; f->cur[v] < cnt; f->cur[v]++) {
            int e = base + f->cur[v];
            int u = f->n + f->eto[e];
            if (e != f->medge[v] && !f->dead[u] && !f->onpath[u] &&
                rc_cost(f, v, u, -(int64_t)f->esc[e]) == 0) {
                *to = u;
                *arc = e;
                return 1;
            }
        }
        return 0;
    }
    int j = v - f->n, nslot = f->soff[j + 1] - f->soff[j];
    for (; f->cur[v] <= nslot; f->cur[v]++) {
        if (f->cur[v] == 0) {
            if (f->load[j] < f->cap[j] && rc_cost(f, v, f->T, 0) == 0) {
                *to = f->T;
                *arc = -1;
                return 1;
            }
            continue;
        }
        int k = f->soff[j] + f->cur[v] - 1;
        int i = f->slot[k];
        if (i >= 0 && !f->dead[i] && !f->onpath[i] &&
            rc_cost(f, v, i, (int64_t)f->esc[f->medge[i]]) == 0) {
            *to = i;
            *arc = k;
            return 1;
        }
    }
    return 0;
}

/* Augment along as many admissible (zero reduced cost) paths as a DFS with
 * dead-end marking finds; returns how many. */
static int flow_blocking(struct match_flow *f)
{
    int top = 0, found = 0;
    for (int i = 0; i < f->V; i++) {
        f->cur[i] = 0;
        f->dead[i] = 0;
        f->onpath[i] = 0;
    }
    f->pv[0] = f->S;
    f->onpath[f->S] = 1;
    for (;;) {
        int v = f->pv[top], to, arc;
        if (v == f->T) {
            flow_augment(f, f->pv, f->pa, top);
            found++;
            for (int k = 1; k <= top; k++)
                f->onpath[f->pv[k]] = 0;
            top = 0;
            continue;
        }
        if (flow_next_arc(f, v, &to, &arc)) {
            f->pa[top] = arc;
            f->pv[++top] = to;
            f->onpath[to] = 1;
            continue;
        }
        f->dead[v] = 1;
        f->onpath[v] = 0;
        if (top == 0)
            break;
        top--;
        f->cur[f->pv[top]]++;
    }
    return found;
}

/* Augment along the Dijkstra predecessor path (progress guarantee). */
static void flow_pred_path(struct match_flow *f)
{
    int len = 0;
    for (int v = f->T; v != f->S; v = f->pnode[v])
        len++;
    int k = len;
    for (int v = f->T; v != f->S; v = f->pnode[v]) {
        f->pv[k] = v;
        f->pa[k - 1] = f->parc[v];
        k--;
    }
    f->pv[0] = f->S;
    flow_augment(f, f->pv, f->pa, len);
}

void match_flow_free(struct match_flow *f)
{
    free(f->soff);
    free(f->slot);
    free(f->load);
    free(f->medge);
    free(f->pot);
    free(f->dist);
    free(f->pnode);
    free(f->parc);
    free(f->done);
    free(f->dead);
    free(f->onpath);
    free(f->cur);
    free(f->pv);
    free(f->pa);
    free(f->h.key);
    free(f->h.node);
}

/* Solve; on BB_OK f->medge holds the assignment. */
int match_flow_solve(struct match_flow *f)
{
    int rc = BB_OK, err = 0;
    size_t V = (size_t)f->V, nslots = 0;
    f->soff = malloc(((size_t)f->m + 1) * sizeof(int));
    f->load = calloc((size_t)f->m + 1, sizeof(int));
    f->medge = malloc(((size_t)f->n + 1) * sizeof(int));
    f->pot = calloc(V, sizeof(int64_t));
    f->dist = malloc(V * sizeof(int64_t));
    f->pnode = malloc(V * sizeof(int));
    f->parc = malloc(V * sizeof(int));
    f->done = malloc(V);
    f->dead = malloc(V);
    f->onpath = malloc(V);
    f->cur = malloc(V * sizeof(int));
    f->pv = malloc((V + 1) * sizeof(int));
    f->pa = malloc((V + 1) * sizeof(int));
    if (!f->soff || !f->load || !f->medge || !f->pot || !f->dist || !f->pnode || !f->parc ||
        !f->done || !f->dead || !f->onpath || !f->cur || !f->pv || !f->pa) {
        rc = BB_ENOMEM;
        goto out;
    }
    for (int j = 0; j < f->m; j++) {
        f->soff[j] = (int)nslots;
        nslots += (size_t)f->cap[j];
    }
    f->soff[f->m] = (int)nslots;
    f->slot = malloc((nslots + 1) * sizeof(int));
    if (!f->slot) {
        rc = BB_ENOMEM;
        goto out;
    }
    for (size_t k = 0; k < nslots; k++)
        f->slot[k] = -1;
    for (int i = 0; i < f->n; i++)
        f->medge[i] = -1;
    /* initial potentials: reduced costs of all arcs >= 0 */
    for (int j = 0; j < f->m; j++)
        f->pot[f->n + j] = 0;
    for (int i = 0; i < f->n; i++)
        for (int e = f->eoff[i]; e < f->eoff[i + 1]; e++)
            if (-(int64_t)f->esc[e] < f->pot[f->n + f->eto[e]])
                f->pot[f->n + f->eto[e]] = -(int64_t)f->esc[e];
    f->pot[f->T] = 0;
    for (int j = 0; j < f->m; j++)
        if (f->pot[f->n + j] < f->pot[f->T])
            f->pot[f->T] = f->pot[f->n + j];
    while (flow_dijkstra(f, &err)) {
        if (!flow_blocking(f))
            flow_pred_path(f);
    }
    rc = err;
out:
    return rc;
}
