/* test_match.c - unit tests of bot/domain/mentoring/match.c: scores and reasons, every hard
 * rule, hand-solved optima, determinism, unmatched reasons, and random cases
 * checked against an exhaustive search (small) and an independent Hungarian
 * solver (300 x 60). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/domain/mentoring/match.h"
#include "tests/lib/fixture.h"

/* ---- helpers ------------------------------------------------------------ */

static struct match_person P(int64_t id, const char *nip, const char *sup, const char *tags,
                             int grade, int cap) {
    struct match_person p;
    memset(&p, 0, sizeof(p));
    p.id = id;
    p.nip = nip;
    p.supervisor_nip = sup;
    p.tags = tags;
    p.grade_rank = grade;
    p.capacity = cap;
    return p;
}

static struct match_input
input(const struct match_person *me, int n, const struct match_person *mr, int m)
{
    struct match_input in;
    memset(&in, 0, sizeof(in));
    in.mentees = me;
    in.nmentees = n;
    in.mentors = mr;
    in.nmentors = m;
    match_default_weights(&in.w);
    return in;
}

static const char *why_of(const struct match_result *r, int64_t mentee)
{
    for (int i = 0; i < r->nunmatched; i++)
        if (r->unmatched[i].mentee_id == mentee)
            return r->unmatched[i].why;
    return NULL;
}

/* ---- scores and reasons ------------------------------------------------- */

static void test_default_weights(void **state)
{
    (void)state;
    struct match_weights w;
    match_default_weights(&w);
    assert_int_equal(w.tag_fit, 10);
    assert_int_equal(w.other_unit, 3);
    assert_int_equal(w.seniority, 4);
    assert_int_equal(w.same_lang, 2);
    /* the bonuses together stay below one shared tag */
    assert_true(w.other_unit + w.seniority + w.same_lang < w.tag_fit);
}

static void test_score_parts(void **state)
{
    (void)state;
    struct match_person me =
        P(1, "100", NULL, " Leadership , data analysis,EXCEL,,leadership", 9, 0);
    struct match_person mr = P(2, "200", NULL, "data ANALYSIS,leadership, coaching", 11, 2);
    me.unit = "Biro Umum";
    mr.unit = "Biro SDM";
    me.lang = "id";
    mr.lang = "ID";
    struct match_input in = input(NULL, 0, NULL, 0);
    char why[256];
    int score = -1;
    assert_int_equal(match_score(&in, &me, &mr, &score, why, sizeof(why)), BB_OK);
    /* 2 tags x 10 + other unit 3 + 2 grades senior 4 + same language 2 */
    assert_int_equal(score, 29);
    assert_string_equal(
        why, "fit: leadership, data analysis; other unit; 2 grades senior; same language");

    /* same unit (case-folded), same grade (-4), no fit, languages differ */
    me.unit = "biro sdm";
    me.lang = "en";
    me.tags = "law";
    mr.grade_rank = 9;
    assert_int_equal(match_score(&in, &me, &mr, &score, why, sizeof(why)), BB_OK);
    assert_int_equal(score, -4);
    assert_string_equal(why, "no tag fit; same unit; same grade");

    /* wide gap: seniority / 2; unknown units and grades score nothing */
    mr.grade_rank = 15;
    assert_int_equal(match_score(&in, &me, &mr, &score, why, sizeof(why)), BB_OK);
    assert_int_equal(score, 2);
    assert_string_equal(why, "no tag fit; same unit; 6 grades senior (wide gap)");
    me.unit = NULL;
    me.grade_rank = 0;
    assert_int_equal(match_score(&in, &me, &mr, &score, why, sizeof(why)), BB_OK);
    assert_int_equal(score, 0);
    assert_string_equal(why, "no tag fit; grade unknown");

    /* weights apply; a short reasons buffer is cut, not overrun */
    in.w.tag_fit = 7;
    me.tags = "law,coaching";
    assert_int_equal(match_score(&in, &me, &mr, &score, why, 8), BB_OK);
    assert_int_equal(score, 7);
    assert_string_equal(why, "fit: co");
    assert_int_equal(match_score(&in, &me, &mr, &score, NULL, 0), BB_OK);

    /* bad arguments */
    assert_int_equal(match_score(NULL, &me, &mr, &score, why, sizeof(why)), BB_EINVAL);
    assert_int_equal(match_score(&in, &me, NULL, &score, why, sizeof(why)), BB_EINVAL);
    in.w.tag_fit = -1;
    assert_int_equal(match_score(&in, &me, &mr, &score, why, sizeof(why)), BB_EINVAL);
    in.w.tag_fit = MATCH_MAX_WEIGHT + 1;
    assert_int_equal(match_score(&in, &me, &mr, &score, why, sizeof(why)), BB_EINVAL);
    in.w.tag_fit = 10;
    mr.capacity = -1;
    assert_int_equal(match_score(&in, &me, &mr, &score, why, sizeof(why)), BB_EINVAL);
}

/* ---- hard rules --------------------------------------------------------- */

static void expect_forbidden(const struct match_input *in, const struct match_person *me,
                             const struct match_person *mr, const char *rule)
{
    char why[256];
    int score = 12345;
    assert_int_equal(match_score(in, me, mr, &score, why, sizeof(why)), BB_EPERM);
    assert_int_equal(score, 12345);
    assert_string_equal(why, rule);
    /* and match_run never pairs them */
    struct match_input run = *in;
    struct match_result r;
    run.mentees = me;
    run.nmentees = 1;
    run.mentors = mr;
    run.nmentors = 1;
    assert_int_equal(match_run(&run, &r), BB_OK);
    assert_int_equal(r.npairs, 0);
    assert_int_equal(r.nunmatched, 1);
    match_result_free(&r);
}

static void test_rules(void **state)
{
    (void)state;
    /* org chart: 1 <- 2 <- 3 <- 4 (4 reports to 3, 3 to 2, 2 to 1) */
    struct match_person all[] = {
        P(1, "N1", NULL, "x", 0, 3), P(2, "N2", "N1", "x", 0, 3), P(3, "N3", "N2", "x", 0, 3),
        P(4, "N4", "N3", "x", 0, 3), P(5, "N5", NULL, "x", 0, 3),
    };
    struct match_input in = input(NULL, 0, NULL, 0);
    in.everyone = all;
    in.neveryone = 5;
    char why[256];
    int score;

    expect_forbidden(&in, &all[3], &all[3], "mentor is the mentee");
    struct match_person twin = all[3];
    twin.id = 99; /* same nip, other record */
    expect_forbidden(&in, &all[3], &twin, "mentor is the mentee");
    expect_forbidden(&in, &all[3], &all[2], "reporting line: mentor is the mentee's supervisor");
    expect_forbidden(&in, &all[3], &all[1],
                     "reporting line: mentor is the mentee's supervisor (2 levels up)");
    expect_forbidden(&in, &all[3], &all[0],
                     "reporting line: mentor is the mentee's supervisor (3 levels up)");
    expect_forbidden(&in, &all[2], &all[3], "reporting line: mentee is the mentor's supervisor");
    expect_forbidden(&in, &all[1], &all[3],
                     "reporting line: mentee is the mentor's supervisor (2 levels up)");
    /* the chain is followed through everyone even when the mentee's own
     * record is only passed as a mentee */
    struct match_person outsider = P(6, "N6", "N3", "x", 0, 0);
    expect_forbidden(&in, &outsider, &all[0],
                     "reporting line: mentor is the mentee's supervisor (3 levels up)");
    /* a colleague in another branch is fine */
    assert_int_equal(match_score(&in, &all[3], &all[4], &score, why, sizeof(why)), BB_OK);
    assert_int_equal(score, 10);

    struct match_pair_ban bans[] = {{7, 8}, {4, 5}, {1, 2}};
    in.bans = bans;
    in.nbans = 3;
    expect_forbidden(&in, &all[3], &all[4], "ended pair: never repeated");
    in.nbans = 0;

    struct match_person full = all[4];
    full.capacity = 0;
    expect_forbidden(&in, &all[3], &full, "mentor has no free capacity");

    struct match_person me = all[3], junior = all[4];
    me.grade_rank = 10;
    junior.grade_rank = 9;
    expect_forbidden(&in, &me, &junior, "mentor is less senior (grade 9 < 10)");
    junior.grade_rank = 10; /* same grade: allowed, penalised */
    assert_int_equal(match_score(&in, &me, &junior, &score, why, sizeof(why)), BB_OK);
    assert_int_equal(score, 10 - 4);
}

static void test_supervisor_cycles(void **state)
{
    (void)state;
    /* A <-> B report to each other; C reports to A; D reports to itself;
     * mentor M is outside; E reports to D. */
    struct match_person all[] = {
        P(1, "A", "B", "x", 0, 0), P(2, "B", "A", "x", 0, 0), P(3, "C", "A", "x", 0, 0),
        P(4, "D", "D", "x", 0, 0), P(5, "E", "D", "x", 0, 0), P(9, "M", "Z", "x", 0, 5),
    };
    struct match_input in = input(all, 5, &all[5], 1);
    in.everyone = all;
    in.neveryone = 6;
    struct match_result r;
    assert_int_equal(match_run(&in, &r), BB_OK);
    assert_int_equal(r.npairs, 5);
    match_result_free(&r);
    /* inside the cycle the rule still holds */
    char why[256];
    int score;
    struct match_person bm = all[1];
    bm.capacity = 1;
    assert_int_equal(match_score(&in, &all[2], &bm, &score, why, sizeof(why)), BB_EPERM);
    assert_string_equal(why, "reporting line: mentor is the mentee's supervisor (2 levels up)");

    /* a long chain: 200 levels; the mentor 10 up is forbidden, 100 up is
     * beyond MATCH_MAX_CHAIN and allowed */
    enum { L = 200 };
    struct match_person chain[L];
    char nips[L][8];
    for (int i = 0; i < L; i++) {
        bb_snprintf(nips[i], sizeof(nips[i]), "L%d", i);
        chain[i] = P(100 + i, nips[i], i + 1 < L ? nips[i + 1] : NULL, "x", 0, 1);
    }
    in.everyone = chain;
    in.neveryone = L;
    assert_int_equal(match_score(&in, &chain[0], &chain[10], &score, why, sizeof(why)), BB_EPERM);
    assert_int_equal(match_score(&in, &chain[0], &chain[100], &score, why, sizeof(why)), BB_OK);
}

/* ---- hand-solved optima ------------------------------------------------- */

/*
 * Greedy loses. Weights: only tag fit (10 per tag).
 *   mentor A (101, cap 1) strengths a,b,c      mentor B (102, cap 2) strengths a,d
 *   mentee 1: a,b  -> A 20, B 10
 *   mentee 2: b,c  -> A 20, B 0   (allowed: no fit is still a pair)
 *   mentee 3: d    -> A 0,  B 10
 * Greedy in mentee order (or best pair first, ties by id): 1->A 20, then A is
 * full, 2->B 0, 3->B 10 = 30. Optimum: 1->B 10, 2->A 20, 3->B 10 = 40.
 */
static void test_optimum_beats_greedy(void **state)
{
    (void)state;
    struct match_person mr[] = {P(101, "A", NULL, "a,b,c", 0, 1), P(102, "B", NULL, "a,d", 0, 2)};
    struct match_person me[] = {P(1, "m1", NULL, "a,b", 0, 0), P(2, "m2", NULL, "b,c", 0, 0),
                                P(3, "m3", NULL, "d", 0, 0)};
    struct match_input in = input(me, 3, mr, 2);
    in.w = (struct match_weights){10, 0, 0, 0};
    struct match_result r;
    assert_int_equal(match_run(&in, &r), BB_OK);
    assert_int_equal(r.npairs, 3);
    assert_int_equal(r.nunmatched, 0);
    assert_int_equal(tfx_mentor_of(&r, 1), 102);
    assert_int_equal(tfx_mentor_of(&r, 2), 101);
    assert_int_equal(tfx_mentor_of(&r, 3), 102);
    assert_int_equal(r.total_score, 40);
    /* pairs come in mentee id order with their scores and reasons */
    assert_int_equal(r.pairs[0].mentee_id, 1);
    assert_int_equal(r.pairs[0].score, 10);
    assert_string_equal(r.pairs[0].reasons, "fit: a; grade unknown");
    assert_int_equal(r.pairs[1].score, 20);
    assert_string_equal(r.pairs[1].reasons, "fit: b, c; grade unknown");
    match_result_free(&r);
    match_result_free(&r); /* twice is safe */
    match_result_free(NULL);
}

/*
 * Coverage first. Mentors A (cap 1) and B (cap 1); mentee 2 reports to B.
 *   mentee 1: A 30, B 0        mentee 2: A 20, B forbidden
 * Best score alone would be 1->A (30) and leave 2 without a mentor. Most
 * mentees first: 1->B 0, 2->A 20 = 20.
 */
static void test_coverage_first(void **state)
{
    (void)state;
    struct match_person mr[] = {P(101, "A", NULL, "a,b,c", 0, 1), P(102, "B", NULL, "z", 0, 1)};
    struct match_person me[] = {P(1, "m1", NULL, "a,b,c", 0, 0), P(2, "m2", "B", "a,b", 0, 0)};
    struct match_input in = input(me, 2, mr, 2);
    in.everyone = mr;
    in.neveryone = 2;
    in.w = (struct match_weights){10, 0, 0, 0};
    struct match_result r;
    assert_int_equal(match_run(&in, &r), BB_OK);
    assert_int_equal(r.npairs, 2);
    assert_int_equal(tfx_mentor_of(&r, 1), 102);
    assert_int_equal(tfx_mentor_of(&r, 2), 101);
    assert_int_equal(r.total_score, 20);
    match_result_free(&r);
}

/* Capacity: a mentor with capacity 1 gets exactly one even when everyone
 * prefers them; capacity 3 takes the rest; capacity 0 none. */
static void test_capacity(void **state)
{
    (void)state;
    struct match_person mr[] = {P(101, "A", NULL, "a,b,c", 0, 1), P(102, "B", NULL, "a", 0, 3),
                                P(103, "C", NULL, "a,b,c", 0, 0)};
    struct match_person me[] = {P(1, "1", NULL, "a,b,c", 0, 0), P(2, "2", NULL, "a,b,c", 0, 0),
                                P(3, "3", NULL, "a,b,c", 0, 0), P(4, "4", NULL, "a,b,c", 0, 0),
                                P(5, "5", NULL, "a,b,c", 0, 0)};
    struct match_input in = input(me, 5, mr, 3);
    struct match_result r;
    assert_int_equal(match_run(&in, &r), BB_OK);
    int na = 0, nb = 0, nc = 0;
    for (int i = 0; i < r.npairs; i++) {
        na += r.pairs[i].mentor_id == 101;
        nb += r.pairs[i].mentor_id == 102;
        nc += r.pairs[i].mentor_id == 103;
    }
    assert_int_equal(na, 1);
    assert_int_equal(nb, 3);
    assert_int_equal(nc, 0);
    assert_int_equal(r.npairs, 4);
    assert_int_equal(r.nunmatched, 1);
    /* all mentees tie: which one is left over is fixed, but any is right */
    assert_string_equal(r.unmatched[0].why, "all 2 suitable mentors are at capacity");
    assert_int_equal(r.total_score, 30 + 3 * 10);
    match_result_free(&r);
}

/* ---- unmatched reasons and input errors -------------------------------- */

static void test_unmatched_reasons(void **state)
{
    (void)state;
    struct match_person boss = P(100, "BOSS", NULL, "a", 0, 1);
    struct match_person mr[] = {boss, P(101, "A", NULL, "a", 0, 1), P(102, "B", NULL, "a", 0, 0)};
    struct match_person me[] = {
        P(1, "1", "BOSS", "a", 0, 0), /* only boss allowed?? no: boss is in line */
        P(2, "2", NULL, "a", 0, 0),
        P(3, "3", NULL, "a", 0, 0),
        P(4, "4", NULL, "a", 0, 0),
    };
    struct match_pair_ban bans[] = {{4, 100}, {4, 101}};
    int64_t active[] = {0, 0, 0, 555};
    struct match_input in = input(me, 4, mr, 3);
    in.everyone = &boss;
    in.neveryone = 1;
    struct match_result r;

    /* mentee 1 reports to BOSS; A is free for 1. 2 and 3 compete for BOSS
     * and A; one of them is left without. */
    assert_int_equal(match_run(&in, &r), BB_OK);
    assert_int_equal(r.npairs, 2);
    assert_int_equal(tfx_mentor_of(&r, 1), 101);
    assert_int_equal(tfx_mentor_of(&r, 2), 100);
    assert_string_equal(why_of(&r, 3), "all 2 suitable mentors are at capacity");
    assert_string_equal(why_of(&r, 4), "all 2 suitable mentors are at capacity");
    match_result_free(&r);

    in.bans = bans;
    in.nbans = 2;
    in.active_mentor_of = active;
    assert_int_equal(match_run(&in, &r), BB_OK);
    assert_string_equal(why_of(&r, 4), "already paired (mentor 555)");
    active[3] = 0;
    match_result_free(&r);
    assert_int_equal(match_run(&in, &r), BB_OK);
    assert_string_equal(why_of(&r, 4), "no allowed mentor: 1 full, 2 ended pair");
    match_result_free(&r);

    /* only the reporting line */
    struct match_person one[] = {boss};
    in = input(me, 1, one, 1);
    in.everyone = &boss;
    in.neveryone = 1;
    assert_int_equal(match_run(&in, &r), BB_OK);
    assert_string_equal(why_of(&r, 1), "no mentor without a reporting-line conflict");
    match_result_free(&r);
    /* one mentor with room for one */
    in = input(&me[1], 2, &mr[1], 1);
    assert_int_equal(match_run(&in, &r), BB_OK);
    assert_int_equal(tfx_mentor_of(&r, 2), 101);
    assert_string_equal(why_of(&r, 3), "the only suitable mentor is at capacity");
    match_result_free(&r);
    /* nobody to mentor; everyone full; only themselves; all less senior */
    in = input(me, 1, NULL, 0);
    assert_int_equal(match_run(&in, &r), BB_OK);
    assert_string_equal(why_of(&r, 1), "no mentors available");
    match_result_free(&r);
    in = input(&me[1], 1, &mr[2], 1);
    assert_int_equal(match_run(&in, &r), BB_OK);
    assert_string_equal(why_of(&r, 2), "every mentor is full (capacity 0)");
    match_result_free(&r);
    struct match_person self = me[1];
    self.capacity = 2;
    in = input(&me[1], 1, &self, 1);
    assert_int_equal(match_run(&in, &r), BB_OK);
    assert_string_equal(why_of(&r, 2), "the only mentor is the mentee");
    match_result_free(&r);
    struct match_person senior = P(7, "7", NULL, "a", 12, 0), jun = P(8, "8", NULL, "a", 9, 4);
    in = input(&senior, 1, &jun, 1);
    assert_int_equal(match_run(&in, &r), BB_OK);
    assert_string_equal(why_of(&r, 7), "no mentor more senior than the mentee");
    match_result_free(&r);
}

static void test_bad_input(void **state)
{
    (void)state;
    struct match_person mr[] = {P(101, "A", NULL, "a", 0, 1), P(101, "B", NULL, "a", 0, 1)};
    struct match_person me[] = {P(1, "1", NULL, "a", 0, 0)};
    struct match_result r;
    struct match_input in = input(me, 1, mr, 2);
    r.npairs = 77;
    assert_int_equal(match_run(&in, &r), BB_EINVAL); /* duplicate mentor id */
    assert_int_equal(r.npairs, 0);
    assert_null(r.pairs);
    in = input(me, 1, mr, 1);
    assert_int_equal(match_run(NULL, &r), BB_EINVAL);
    assert_int_equal(match_run(&in, NULL), BB_EINVAL);
    in.nmentees = -1;
    assert_int_equal(match_run(&in, &r), BB_EINVAL);
    in = input(NULL, 2, mr, 1);
    assert_int_equal(match_run(&in, &r), BB_EINVAL);
    in = input(me, 1, mr, 1);
    in.nbans = 1;
    assert_int_equal(match_run(&in, &r), BB_EINVAL);
    in = input(me, 1, mr, 1);
    in.w.same_lang = -3;
    assert_int_equal(match_run(&in, &r), BB_EINVAL);
    me[0].grade_rank = -1;
    in = input(me, 1, mr, 1);
    assert_int_equal(match_run(&in, &r), BB_EINVAL);
    /* empty input is fine */
    in = input(NULL, 0, NULL, 0);
    assert_int_equal(match_run(&in, &r), BB_OK);
    assert_int_equal(r.npairs + r.nunmatched, 0);
    match_result_free(&r);
}

/* ---- random populations ------------------------------------------------- */

static uint64_t rs;

static const char *const TAGS[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
static const char *const UNITS[] = {"u1", "u2", "u3", NULL};
static const char *const LANGS[] = {"id", "en", NULL};

struct pop {
    struct match_person *all; /* mentees first, then mentors */
    int n, m;
    char (*nip)[12];
    char (*tags)[64];
    struct match_pair_ban *bans;
    int nbans;
};

static void pop_make(struct pop *p, int n, int m, uint64_t seed, int maxcap, int ntags)
{
    int t = n + m;
    rs = seed * 0x9E3779B97F4A7C15ull + 1;
    p->n = n;
    p->m = m;
    p->all = calloc((size_t)t, sizeof(*p->all));
    p->nip = calloc((size_t)t, sizeof(*p->nip));
    p->tags = calloc((size_t)t, sizeof(*p->tags));
    p->nbans = n / 3 + 1;
    p->bans = calloc((size_t)p->nbans, sizeof(*p->bans));
    assert_non_null(p->all);
    assert_non_null(p->nip);
    assert_non_null(p->tags);
    assert_non_null(p->bans);
    for (int i = 0; i < t; i++)
        bb_snprintf(p->nip[i], sizeof(p->nip[i]), "N%d", i);
    for (int i = 0; i < t; i++) {
        struct match_person *x = &p->all[i];
        x->id = i < n ? 1000 + i : 5000 + i; /* ids unrelated to order below */
        x->nip = p->nip[i];
        /* sometimes no supervisor; sometimes anyone, cycles included */
        x->supervisor_nip = tfx_rnd(&rs, 4) ? p->nip[tfx_rnd(&rs, (uint32_t)t)] : NULL;
        int k = 1 + (int)tfx_rnd(&rs, (uint32_t)ntags);
        size_t len = 0;
        for (int j = 0; j < k; j++) {
            int w = bb_snprintf(p->tags[i] + len, sizeof(p->tags[i]) - len, "%s%s", j ? "," : "",
                                TAGS[tfx_rnd(&rs, BB_ARRAY_LEN(TAGS))]);
            assert_int_equal(w, BB_OK);
            len = strlen(p->tags[i]);
        }
        x->tags = p->tags[i];
        x->unit = UNITS[tfx_rnd(&rs, BB_ARRAY_LEN(UNITS))];
        x->lang = LANGS[tfx_rnd(&rs, BB_ARRAY_LEN(LANGS))];
        x->grade_rank = (int)tfx_rnd(&rs, 12);
        x->capacity = i < n ? 0 : (int)tfx_rnd(&rs, (uint32_t)maxcap + 1);
    }
    for (int b = 0; b < p->nbans; b++) {
        p->bans[b].mentee_id = p->all[tfx_rnd(&rs, (uint32_t)n)].id;
        p->bans[b].mentor_id = p->all[n + (int)tfx_rnd(&rs, (uint32_t)m)].id;
    }
}

static void pop_free(struct pop *p)
{
    free(p->all);
    free(p->nip);
    free(p->tags);
    free(p->bans);
}

static struct match_input pop_input(const struct pop *p)
{
    struct match_input in = input(p->all, p->n, p->all + p->n, p->m);
    in.everyone = p->all;
    in.neveryone = p->n + p->m;
    in.bans = p->bans;
    in.nbans = p->nbans;
    return in;
}

/* The pair score matrix through match_score (INT_MIN = forbidden). */
static int *score_matrix(const struct match_input *in)
{
    int *s = malloc((size_t)in->nmentees * (size_t)in->nmentors * sizeof(int));
    assert_non_null(s);
    for (int i = 0; i < in->nmentees; i++)
        for (int j = 0; j < in->nmentors; j++) {
            int v = 0;
            int rc = match_score(in, &in->mentees[i], &in->mentors[j], &v, NULL, 0);
            assert_true(rc == BB_OK || rc == BB_EPERM);
            s[i * in->nmentors + j] = rc == BB_OK ? v : INT32_MIN;
        }
    return s;
}

/* Every pair is allowed and scored as match_score says, each mentee appears
 * once, capacities hold, totals add up. Returns the pair count. */
static int check_valid(const struct match_input *in, const struct match_result *r, const int *s)
{
    int *load = calloc((size_t)in->nmentors + 1, sizeof(int));
    int *seen = calloc((size_t)in->nmentees + 1, sizeof(int));
    long long total = 0;
    assert_non_null(load);
    assert_non_null(seen);
    assert_int_equal(r->npairs + r->nunmatched, in->nmentees);
    for (int k = 0; k < r->npairs; k++) {
        int i = -1, j = -1;
        for (int x = 0; x < in->nmentees; x++)
            if (in->mentees[x].id == r->pairs[k].mentee_id)
                i = x;
        for (int x = 0; x < in->nmentors; x++)
            if (in->mentors[x].id == r->pairs[k].mentor_id)
                j = x;
        assert_true(i >= 0 && j >= 0);
        assert_int_equal(seen[i]++, 0);
        assert_true(s[i * in->nmentors + j] != INT32_MIN);
        assert_int_equal(r->pairs[k].score, s[i * in->nmentors + j]);
        load[j]++;
        total += r->pairs[k].score;
        if (k > 0)
            assert_true(r->pairs[k - 1].mentee_id < r->pairs[k].mentee_id);
    }
    for (int j = 0; j < in->nmentors; j++)
        assert_true(load[j] <= in->mentors[j].capacity);
    assert_int_equal(total, r->total_score);
    free(load);
    free(seen);
    return r->npairs;
}

/* Exhaustive search: best (pairs, total) over every assignment. */
static void brute(const struct match_input *in, const int *s, int i, int *load, int cnt,
                  long long tot, int *bcnt, long long *btot)
{
    if (i == in->nmentees) {
        if (cnt > *bcnt || (cnt == *bcnt && tot > *btot)) {
            *bcnt = cnt;
            *btot = tot;
        }
        return;
    }
    brute(in, s, i + 1, load, cnt, tot, bcnt, btot);
    for (int j = 0; j < in->nmentors; j++) {
        int v = s[i * in->nmentors + j];
        if (v == INT32_MIN || load[j] >= in->mentors[j].capacity)
            continue;
        load[j]++;
        brute(in, s, i + 1, load, cnt + 1, tot + v, bcnt, btot);
        load[j]--;
    }
}

static void test_exhaustive_small(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 300; seed++) {
        struct pop p;
        int n = 3 + (int)(seed % 5), m = 1 + (int)(seed % 3); /* up to 7 x 3 */
        pop_make(&p, n, m, seed, 3, 3);
        struct match_input in = pop_input(&p);
        if (seed % 2)
            in.w = (struct match_weights){(int)(seed % 13), (int)(seed % 7), (int)(seed % 5),
                                          (int)(seed % 3)};
        int *s = score_matrix(&in);
        struct match_result r;
        assert_int_equal(match_run(&in, &r), BB_OK);
        int load[8] = {0}, bcnt = 0;
        long long btot = 0;
        brute(&in, s, 0, load, 0, 0, &bcnt, &btot);
        assert_int_equal(check_valid(&in, &r, s), bcnt);
        assert_int_equal(r.total_score, btot);
        match_result_free(&r);
        free(s);
        pop_free(&p);
    }
}

/*
 * An independent solver: the Hungarian algorithm (potentials, O(n^2 k)) on
 * an n x k cost matrix, n <= k, mentors expanded into capacity slots plus n
 * "no mentor" columns. A real pair is worth BIG + score, so the most pairs
 * win first; forbidden pairs cost more than staying unmatched.
 */
static void hungarian_best(const struct match_input *in, const int *s, int *bcnt, long long *btot)
{
    const long long BIG = 1000000, FORBID = 1000000000LL;
    int n = in->nmentees, slots = 0;
    for (int j = 0; j < in->nmentors; j++)
        slots += in->mentors[j].capacity < n ? in->mentors[j].capacity : n;
    int k = slots + n;
    int *col_mentor = malloc((size_t)k * sizeof(int));
    long long *a = malloc((size_t)(n + 1) * (size_t)(k + 1) * sizeof(long long));
    long long *u = calloc((size_t)n + 1, sizeof(long long)), *v = calloc((size_t)k + 1, 8);
    long long *minv = malloc(((size_t)k + 1) * 8);
    int *p = calloc((size_t)k + 1, sizeof(int)), *way = calloc((size_t)k + 1, sizeof(int));
    char *used = malloc((size_t)k + 1);
    assert_true(col_mentor && a && u && v && minv && p && way && used);
    int c = 0;
    for (int j = 0; j < in->nmentors; j++)
        for (int q = 0; q < in->mentors[j].capacity && q < n; q++)
            col_mentor[c++] = j;
    for (; c < k; c++)
        col_mentor[c] = -1;
    for (int i = 1; i <= n; i++)
        for (int j = 1; j <= k; j++) {
            int mj = col_mentor[j - 1];
            long long cost = 0;
            if (mj >= 0) {
                int sc = s[(i - 1) * in->nmentors + mj];
                cost = sc == INT32_MIN ? FORBID : -(BIG + sc);
            }
            a[(size_t)i * (size_t)(k + 1) + (size_t)j] = cost;
        }
    for (int i = 1; i <= n; i++) {
        p[0] = i;
        int j0 = 0;
        for (int j = 0; j <= k; j++) {
            minv[j] = INT64_MAX;
            used[j] = 0;
        }
        do {
            used[j0] = 1;
            int i0 = p[j0], j1 = 0;
            long long delta = INT64_MAX;
            for (int j = 1; j <= k; j++)
                if (!used[j]) {
                    long long cur = a[(size_t)i0 * (size_t)(k + 1) + (size_t)j] - u[i0] - v[j];
                    if (cur < minv[j]) {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if (minv[j] < delta) {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            for (int j = 0; j <= k; j++)
                if (used[j]) {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            int j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0);
    }
    *bcnt = 0;
    *btot = 0;
    for (int j = 1; j <= k; j++) {
        int mj = col_mentor[j - 1];
        if (p[j] && mj >= 0) {
            int sc = s[(p[j] - 1) * in->nmentors + mj];
            assert_true(sc != INT32_MIN);
            (*bcnt)++;
            *btot += sc;
        }
    }
    free(col_mentor);
    free(a);
    free(u);
    free(v);
    free(minv);
    free(p);
    free(way);
    free(used);
}

/* The last two sizes have more mentors than MATCH_MAX_EDGES, so the edge
 * pruning is active there; these seeds still reach the exact optimum. */
static void test_random_vs_hungarian(void **state)
{
    (void)state;
    static const int sizes[][3] = {{300, 60, 8}, {300, 60, 3},  {120, 40, 2},
                                   {80, 30, 6},  {200, 100, 2}, {300, 150, 1}};
    for (size_t z = 0; z < BB_ARRAY_LEN(sizes); z++) {
        struct pop p;
        pop_make(&p, sizes[z][0], sizes[z][1], 1000 + z, sizes[z][2], 4);
        struct match_input in = pop_input(&p);
        int *s = score_matrix(&in);
        struct match_result r;
        int bcnt;
        long long btot;
        assert_int_equal(match_run(&in, &r), BB_OK);
        hungarian_best(&in, s, &bcnt, &btot);
        assert_int_equal(check_valid(&in, &r, s), bcnt);
        assert_int_equal(r.total_score, btot);
        assert_true(r.npairs > 0);
        match_result_free(&r);
        free(s);
        pop_free(&p);
    }
}

/* ---- determinism -------------------------------------------------------- */

static void same_result(const struct match_result *a, const struct match_result *b)
{
    assert_int_equal(a->npairs, b->npairs);
    assert_int_equal(a->nunmatched, b->nunmatched);
    assert_int_equal(a->total_score, b->total_score);
    for (int i = 0; i < a->npairs; i++) {
        assert_int_equal(a->pairs[i].mentee_id, b->pairs[i].mentee_id);
        assert_int_equal(a->pairs[i].mentor_id, b->pairs[i].mentor_id);
        assert_int_equal(a->pairs[i].score, b->pairs[i].score);
        assert_string_equal(a->pairs[i].reasons, b->pairs[i].reasons);
    }
    for (int i = 0; i < a->nunmatched; i++) {
        assert_int_equal(a->unmatched[i].mentee_id, b->unmatched[i].mentee_id);
        assert_string_equal(a->unmatched[i].why, b->unmatched[i].why);
    }
}

static void shuffle(struct match_person *x, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)tfx_rnd(&rs, (uint32_t)i + 1);
        struct match_person t = x[i];
        x[i] = x[j];
        x[j] = t;
    }
}

static void test_determinism(void **state)
{
    (void)state;
    struct pop p;
    /* few tags and few units: many ties */
    pop_make(&p, 300, 60, 77, 4, 1);
    struct match_input in = pop_input(&p);
    struct match_result r1, r2, r3;
    assert_int_equal(match_run(&in, &r1), BB_OK);
    assert_int_equal(match_run(&in, &r2), BB_OK);
    same_result(&r1, &r2);

    /* the same people in another order: copies, shuffled */
    int t = p.n + p.m;
    struct match_person *cp = malloc((size_t)t * sizeof(*cp));
    struct match_person *ev = malloc((size_t)t * sizeof(*ev));
    assert_non_null(cp);
    assert_non_null(ev);
    memcpy(cp, p.all, (size_t)t * sizeof(*cp));
    memcpy(ev, p.all, (size_t)t * sizeof(*ev));
    rs = 12345;
    shuffle(cp, p.n);
    shuffle(cp + p.n, p.m);
    shuffle(ev, t);
    in.mentees = cp;
    in.mentors = cp + p.n;
    in.everyone = ev;
    assert_int_equal(match_run(&in, &r3), BB_OK);
    same_result(&r1, &r3);
    match_result_free(&r1);
    match_result_free(&r2);
    match_result_free(&r3);
    free(cp);
    free(ev);
    pop_free(&p);
}

TFX_MAIN(cmocka_unit_test(test_default_weights), cmocka_unit_test(test_score_parts),
         cmocka_unit_test(test_rules), cmocka_unit_test(test_supervisor_cycles),
         cmocka_unit_test(test_optimum_beats_greedy), cmocka_unit_test(test_coverage_first),
         cmocka_unit_test(test_capacity), cmocka_unit_test(test_unmatched_reasons),
         cmocka_unit_test(test_bad_input), cmocka_unit_test(test_exhaustive_small),
         cmocka_unit_test(test_random_vs_hungarian), cmocka_unit_test(test_determinism))
