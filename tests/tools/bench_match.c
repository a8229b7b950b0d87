/*
 * bench_match.c - time match_run() on a random population: by default 5000
 * mentees x 1000 mentors (capacity 1..8), 40 competency tags, 12 units,
 * grades 1..17 and a supervisor tree. Prints figures; asserts nothing.
 *
 *   bench_match [mentees] [mentors] [seed]
 *
 * Single-threaded; owns everything it allocates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/bb.h"
#include "bot/domain/mentoring/match.h"
#include "tests/lib/common.h"

static uint64_t rng_state;

static const char *const TAGS[] = {"leadership",
                                   "data analysis",
                                   "public speaking",
                                   "policy writing",
                                   "budgeting",
                                   "procurement",
                                   "negotiation",
                                   "coaching",
                                   "project mgmt",
                                   "excel",
                                   "statistics",
                                   "law",
                                   "audit",
                                   "hr",
                                   "it security",
                                   "networking",
                                   "gis",
                                   "english",
                                   "writing",
                                   "design",
                                   "research",
                                   "teaching",
                                   "finance",
                                   "planning",
                                   "evaluation",
                                   "ethics",
                                   "service",
                                   "customer care",
                                   "digital",
                                   "python",
                                   "sql",
                                   "change mgmt",
                                   "facilitation",
                                   "mediation",
                                   "logistics",
                                   "archiving",
                                   "translation",
                                   "communication",
                                   "innovation",
                                   "risk"};

static char *make_tags(int k)
{
    struct bb_buf b;
    bb_buf_init(&b, 4096);
    for (int i = 0; i < k; i++)
        bb_buf_printf(&b, "%s%s", i ? ", " : "", TAGS[tfx_rnd(&rng_state, BB_ARRAY_LEN(TAGS))]);
    return bb_buf_take(&b);
}

static long long arg(int argc, char **argv, int i, long long def, long long max)
{
    long long v;
    if (argc > i && bb_parse_ll(argv[i], 1, max, &v) == BB_OK)
        return v;
    return def;
}

int main(int argc, char **argv)
{
    int n = (int)arg(argc, argv, 1, 5000, 200000);
    int m = (int)arg(argc, argv, 2, 1000, 200000);
    rng_state = (uint64_t)arg(argc, argv, 3, 42, 1LL << 62) * 2654435761u + 1;
    int total = n + m;
    struct match_person *all = calloc((size_t)total, sizeof(*all));
    char(*nips)[24] = calloc((size_t)total, sizeof(*nips));
    char(*units)[16] = calloc((size_t)total, sizeof(*units));
    if (!all || !nips || !units)
        return 1;
    for (int i = 0; i < total; i++)
        bb_snprintf(nips[i], sizeof(nips[i]), "19%016d", i);
    for (int i = 0; i < total; i++) {
        struct match_person *p = &all[i];
        p->id = i + 1;
        p->nip = nips[i];
        bb_snprintf(units[i], sizeof(units[i]), "unit-%u", tfx_rnd(&rng_state, 12));
        p->unit = units[i];
        p->lang = tfx_rnd(&rng_state, 5) ? "id" : "en";
        p->grade_rank = i < n ? 5 + (int)tfx_rnd(&rng_state, 8) : 8 + (int)tfx_rnd(&rng_state, 10);
        /* a tree: each person reports to someone with a smaller index */
        p->supervisor_nip = i > 0 ? nips[tfx_rnd(&rng_state, (uint32_t)i)] : NULL;
        p->tags =
            make_tags(i < n ? 2 + (int)tfx_rnd(&rng_state, 3) : 3 + (int)tfx_rnd(&rng_state, 4));
        p->capacity = i < n ? 0 : 1 + (int)tfx_rnd(&rng_state, 8);
    }
    /* mentors are the last m people */
    struct match_input in;
    memset(&in, 0, sizeof(in));
    in.mentees = all;
    in.nmentees = n;
    in.mentors = all + n;
    in.nmentors = m;
    in.everyone = all;
    in.neveryone = total;
    match_default_weights(&in.w);
    struct match_result r;
    int64_t t0 = bb_mono_ms();
    int rc = match_run(&in, &r);
    int64_t t1 = bb_mono_ms();
    if (rc != BB_OK) {
        fprintf(stderr, "match_run: %s\n", bb_strerror(rc));
        return 1;
    }
    long long capsum = 0;
    for (int j = 0; j < m; j++)
        capsum += all[n + j].capacity;
    printf("match_run %d mentees x %d mentors (capacity %lld): %lld ms, %d paired, %d unmatched, "
           "total score %lld\n",
           n, m, capsum, (long long)(t1 - t0), r.npairs, r.nunmatched, r.total_score);
    if (r.npairs)
        printf("e.g. %lld -> %lld (%d): %s\n", (long long)r.pairs[0].mentee_id,
               (long long)r.pairs[0].mentor_id, r.pairs[0].score, r.pairs[0].reasons);
    if (r.nunmatched)
        printf("e.g. unmatched %lld: %s\n", (long long)r.unmatched[0].mentee_id,
               r.unmatched[0].why);
    match_result_free(&r);
    for (int i = 0; i < total; i++)
        free((char *)all[i].tags);
    free(all);
    free(nips);
    free(units);
    return 0;
}
