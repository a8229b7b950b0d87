/*
 * match_int.h - between mentor matching's rules (match.c) and its solver
 * (match_flow.c): the flow network match_run builds and the solver fills.
 * For those two files only; everyone else uses match.h.
 */
#ifndef MATCH_INT_H
#define MATCH_INT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Nodes: mentees 0..n-1, mentors n..n+m-1, source S = n+m, sink T = n+m+1.
 * The residual graph is implicit: S -> unmatched mentee; mentee i -> each
 * kept mentor except its own (cost -score); mentor -> each mentee it holds
 * (cost +score); mentor -> T while load < capacity. Mentee i's kept edges
 * are eto/esc[eoff[i]..eoff[i+1]).
 */
struct match_flow {
    int n, m, V, S, T;
    const int *eoff, *eto, *esc;
    const int *cap; /* per mentor, effective (<= in-degree) */
    int *soff;      /* per mentor: first slot; slots soff[j]..soff[j+1] */
    int *slot;      /* mentee index or -1 */
    int *load;      /* per mentor */
    int *medge;     /* per mentee: matched edge or -1 */
    int64_t *pot, *dist;
    int *pnode, *parc; /* Dijkstra predecessors */
    unsigned char *done, *dead, *onpath;
    int *cur;
    int *pv, *pa; /* DFS path: nodes and arcs */
    struct match_heap {
        int64_t *key;
        int *node;
        size_t n, alloc;
    } h;
};

/* Solve for a min-cost maximum matching; on BB_OK f->medge holds the
 * assignment (a kept edge per mentee, or -1). BB_ENOMEM otherwise. */
int match_flow_solve(struct match_flow *f);
/* Free what match_flow_solve allocated (not the caller's edge arrays). */
void match_flow_free(struct match_flow *f);

#endif
