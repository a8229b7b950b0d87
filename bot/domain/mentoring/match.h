/*
 * match.h - mentor matching: score mentee/mentor pairs and pick the set of
 * pairs that covers the most mentees and, among those, has the highest total
 * score, subject to hard rules and mentor capacities.
 *
 * A pure module: no I/O, no globals, no clock. Any thread may call it; calls
 * share nothing. The caller owns every input (strings and arrays are only
 * read during the call); match_run() fills a struct match_result whose arrays
 * the caller releases with match_result_free().
 *
 * SCORE (integers; weights from struct match_weights, defaults in brackets):
 *   tag fit     number of distinct mentee tags found among the mentor's
 *               strengths x tag_fit [10]. Tags are comma-separated, trimmed,
 *               case-folded (ASCII and Latin-1), compared whole; each is cut
 *               to MATCH_TAG_MAX bytes and at most MATCH_MAX_TAGS per person
 *               count. No normalisation: a mentee with more goals can earn
 *               more, which only changes who gets the contested mentor, never
 *               whether a mentee is matched (coverage comes first, below).
 *   other unit  + other_unit [3] when both units are known and differ
 *               ("satu karir, banyak pengalaman": cross-unit is wanted).
 *   seniority   gap = mentor.grade_rank - mentee.grade_rank, both known (> 0):
 *               1..4 ranks: + seniority [4]; 5 or more: + seniority / 2
 *               (a wide gap); 0 (same grade): - seniority; negative: the
 *               pair is forbidden (see below). Either unknown (0): + 0.
 *   same lang   + same_lang [2] when both languages are known and equal
 *               (case-folded).
 *   With the defaults the bonuses together (at most 9) never outweigh one
 *   more shared tag (10). A pair without any tag fit is allowed: it scores
 *   low, and is only chosen when it lets one more mentee have a mentor.
 *   Admin approval of the proposed pairs happens elsewhere.
 *
 * HARD RULES (a forbidden pair never appears; match_score says BB_EPERM):
 *   - the mentor is the mentee (same id, or the same non-empty nip);
 *   - the mentor is in the mentee's reporting line or the mentee in the
 *     mentor's: supervisor_nip chains are followed upwards from each person
 *     through `everyone` (a nip found twice there: the first record wins),
 *     at most MATCH_MAX_CHAIN levels, stopping at a cycle;
 *   - the pair is in `bans` (an ended pair is never repeated);
 *   - the mentor has capacity 0;
 *   - the mentor is less senior than the mentee (both grades known);
 *   - and in match_run: no mentor gets more mentees than its capacity.
 *
 * ASSIGNMENT: min-cost max-flow, source -> mentee (1) -> mentor (capacity)
 * -> sink, cost = -score, solved by successive shortest paths with node
 * potentials (Dijkstra), augmenting along every shortest path of a phase at
 * once (primal-dual). The result is a maximum-cardinality assignment (most
 * mentees matched) and, among those, one of maximum total score - exactly,
 * over the edges kept: each mentee keeps its best MATCH_MAX_EDGES allowed
 * mentors (score descending, then mentor id ascending). With at most that
 * many allowed mentors per mentee the result is the exact optimum; beyond
 * it, it can differ from the optimum only when all kept mentors of some
 * mentee are taken by others.
 *
 * DETERMINISM: people are ordered by id internally and every choice the
 * solver makes follows that order, so the same people, in any order, give
 * the same pairs (ids must be unique within mentees and within mentors).
 * Among equally good assignments one is picked by that fixed order; it does
 * not promise that the lower id gets the better mentor.
 *
 * BOUNDS: at most MATCH_MAX_PEOPLE mentees, mentors and everyone each;
 * weights 0..MATCH_MAX_WEIGHT; grade_rank >= 0; capacity >= 0.
 */
#ifndef MATCH_H
#define MATCH_H

#include <stddef.h>
#include <stdint.h>

#define MATCH_TAG_MAX    64      /* bytes of one tag that count */
#define MATCH_MAX_TAGS   32      /* tags per person that count */
#define MATCH_MAX_CHAIN  64      /* supervisor levels followed */
#define MATCH_MAX_EDGES  64      /* best allowed mentors kept per mentee */
#define MATCH_MAX_PEOPLE 1000000 /* per array */
#define MATCH_MAX_WEIGHT 1000

struct match_person {
    int64_t id;
    const char *nip;            /* may be NULL or "" (unknown) */
    const char *name;           /* not used for scoring */
    const char *unit;           /* NULL or "" = unknown */
    const char *lang;           /* NULL or "" = unknown */
    int grade_rank;             /* seniority as a number, e.g. "III/a" -> 9; 0 = unknown */
    const char *supervisor_nip; /* reporting line; NULL or "" = none */
    const char *tags;           /* mentor: strengths; mentee: goals; comma-separated */
    int capacity;               /* mentors: how many more mentees they can take; mentees: ignored */
};

/* An ended pair: never proposed again. */
struct match_pair_ban {
    int64_t mentee_id, mentor_id;
};

struct match_weights {
    int tag_fit;
    int other_unit;
    int seniority;
    int same_lang;
};

struct match_input {
    const struct match_person *mentees;
    int nmentees;
    const struct match_person *mentors;
    int nmentors;
    const struct match_person *everyone; /* all people, for supervisor chains; may be NULL */
    int neveryone;
    const struct match_pair_ban *bans; /* may be NULL */
    int nbans;
    /* Optional (NULL = nobody): per mentee (same index as mentees), the
     * current mentor id or 0. A mentee already paired is skipped and
     * reported as unmatched with why "already paired ...". */
    const int64_t *active_mentor_of;
    struct match_weights w; /* see match_default_weights() */
};

struct match_result_pair {
    int64_t mentee_id, mentor_id;
    int score;
    char reasons[256]; /* e.g. "fit: leadership, data analysis; other unit; 2 grades senior" */
};

struct match_unmatched {
    int64_t mentee_id;
    char why[256];
};

/* pairs are ordered by mentee id, unmatched by mentee id. */
struct match_result {
    struct match_result_pair *pairs;
    int npairs;
    struct match_unmatched *unmatched;
    int nunmatched;
    long long total_score; /* sum of pairs[].score */
};

/* Fill w with the default weights (tag_fit 10, other_unit 3, seniority 4,
 * same_lang 2). */
void match_default_weights(struct match_weights *w);

/* Score one pair under in's weights, everyone and bans (in's mentees,
 * mentors and active_mentor_of are not used). On BB_OK *score and reasons
 * (a short text, cut to fit n) are set; BB_EPERM when a hard rule forbids
 * the pair, with the rule in reasons; BB_EINVAL on bad arguments; BB_ENOMEM.
 * It prepares the supervisor lookup each call (O(neveryone)): meant for one
 * pair ("why not this mentor?"), not for loops. reasons may be NULL. */
int match_score(const struct match_input *in, const struct match_person *mentee,
                const struct match_person *mentor, int *score, char *reasons, size_t n);

/* Compute the assignment. On BB_OK *out holds the pairs and every mentee not
 * paired with why; the caller frees it with match_result_free(). On error
 * (BB_EINVAL: NULL arrays with a count, negative counts, counts over
 * MATCH_MAX_PEOPLE, weights out of range, duplicate ids, negative grade or
 * capacity; BB_ENOMEM; BB_ELIMIT past internal size caps) *out is left
 * empty. */
int match_run(const struct match_input *in, struct match_result *out);

/* Release the arrays of r and leave it empty; NULL or an empty result is a
 * no-op, and calling it twice is safe. */
void match_result_free(struct match_result *r);

#endif
