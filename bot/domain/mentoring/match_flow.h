/*
 * match_flow.h - the min-cost max-flow solver under mentor matching
 * (match_flow.c). Only match.c calls it: it fills the graph's fields (n, m,
 * V, S, T, eoff, eto, esc, cap), calls match_flow_solve() and reads medge.
 *
 * Pure and reentrant; the caller owns struct match_flow and frees what the
 * solver allocated with match_flow_free().
 */
#ifndef MATCH_FLOW_H
#define MATCH_FLOW_H

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
    struct heap {
        int64_t *key;
        int *node;
        size_t n, alloc;
    } h;
};

/* Solve; on BB_OK f->medge holds the assignment. */
int match_flow_solve(struct match_flow *f);
/* Free what match_flow_solve allocated (the inputs stay the caller's). */
void match_flow_free(struct match_flow *f);

#endif
