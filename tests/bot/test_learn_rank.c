/* test_learn_rank.c - unit tests of bot/domain/learning/learn_rank.c, the
 * score of docs/learning.md: rankings solved by hand (the worked example
 * of the doc, part by part), ties broken by id, an empty catalogue, what
 * is excluded (started, done, no gap and no goal), the neighbours of a
 * dropped or low-rated item, the 70-20-10 kind, the language, truncation,
 * and the same answer whatever the order of the candidates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/base/sapaan.h"
#include "bot/domain/learning/learn_rank.h"

/* The person of the worked example (docs/learning.md). */
static const struct learn_need needs[] = {
    {"analisis data", 1, 3}, /* gap 2 */
    {"komunikasi", 2, 3},    /* gap 1 */
    {"integritas", 3, 3},    /* gap 0 */
};
static const char *const goals[] = {"menyusun laporan dengan analisis data"};
static const struct learn_hist dropped_viz[] = {
    {"el-viz", "Platform", {"analisis data", "komunikasi"}, 2, LEARN_DROPPED, 0},
};

static const struct learn_cand cands[] = {
    {"el-data", "Platform", "e-learning", "dasar", 20, {"analisis data"}, 1, "id"},
    {"oj-dash",
     "Unit",
     "on-the-job",
     "menengah",
     16,
     {"analisis data", "pengambilan keputusan"},
     2,
     "id"},
    {"co-feedback", "Biro SDM", "coaching", "menengah", 3, {"komunikasi", "kepemimpinan"}, 2, "id"},
    {"el-anti", "Platform", "e-learning", "dasar", 6, {"integritas"}, 1, "id"},
    {"el-viz", "Platform", "e-learning", "menengah", 8, {"analisis data", "komunikasi"}, 2, "id"},
    /* the worked example's sixth item, in English (the other tests use the
     * first five, all in Indonesian) */
    {"el-data-en", "Platform", "e-learning", "dasar", 8, {"analisis data"}, 1, "en"},
};
#define NC  5 /* the Indonesian items */
#define NCX ((int)(sizeof(cands) / sizeof(cands[0])))

static struct learn_input example(void)
{
    struct learn_input in;
    memset(&in, 0, sizeof(in));
    in.needs = needs;
    in.nneeds = 3;
    in.goals = goals;
    in.ngoals = 1;
    in.pref_modality = "e-learning";
    in.max_jp = 16;
    in.hist = dropped_viz;
    in.nhist = 1;
    in.jp_needed = 12;
    in.mix[LEARN_EXPERIENCE] = 1;
    in.mix[LEARN_FORMAL] = 1;
    in.lang = "id";
    return in;
}

static void expect_order(const struct learn_cand *c, int n, const struct learn_input *in, int max,
                         const char *const *ids, const int *scores, int want)
{
    struct learn_pick out[16];
    int got = learn_rank(c, n, in, out, max);
    assert_int_equal(got, want);
    for (int i = 0; i < got; i++) {
        if (strcmp(c[out[i].cand].id, ids[i]) != 0 || out[i].score != scores[i])
            fail_msg("place %d: got %s (%d), want %s (%d)", i + 1, c[out[i].cand].id, out[i].score,
                     ids[i], scores[i]);
    }
}

/* The worked example of docs/learning.md, every part by hand. */
static void test_worked_example(void **state)
{
    struct learn_input in = example();
    struct learn_pick out[8];
    (void)state;
    assert_int_equal(learn_rank(cands, NCX, &in, out, 8), 5);
    /* oj-dash: gap 2 (60) + goal (25) + level menengah for current 1 (0) +
     * modality (0) + time 16 <= 16 (0) + JP min(16,12)/2 (6) + 70-20-10:
     * experience is short (15) + neighbour of the dropped el-viz (-10) = 96 */
    assert_string_equal(cands[out[0].cand].id, "oj-dash");
    assert_int_equal(out[0].p_gap, 60);
    assert_int_equal(out[0].p_goal, 25);
    assert_int_equal(out[0].p_level, 0);
    assert_int_equal(out[0].p_jp, 6);
    assert_int_equal(out[0].p_mix, 15);
    assert_int_equal(out[0].p_history, -10);
    assert_int_equal(out[0].score, 96);
    /* el-data: 60 + 25 + level dasar (5) + e-learning preferred (10) +
     * 20 JP > 16 (-15) + 6 + 0 + neighbour (-10) = 81 */
    assert_string_equal(cands[out[1].cand].id, "el-data");
    assert_int_equal(out[1].p_level, 5);
    assert_int_equal(out[1].p_modality, 10);
    assert_int_equal(out[1].p_time, -15);
    assert_int_equal(out[1].score, 81);
    assert_int_equal(out[1].p_lang, 0);
    /* el-data-en, in English for a person who uses Indonesian: 60 + 25 +
     * level dasar (5) + 10 + 8 <= 16 (0) + 8/2 (4) + 0 + neighbour (-10) +
     * language (-20) = 74 (without the language part 94, the first) */
    assert_string_equal(cands[out[2].cand].id, "el-data-en");
    assert_int_equal(out[2].p_level, 5);
    assert_int_equal(out[2].p_jp, 4);
    assert_int_equal(out[2].p_history, -10);
    assert_int_equal(out[2].p_lang, -20);
    assert_int_equal(out[2].score, 74);
    /* el-viz, dropped: 60 + 25 + 0 + 10 + 0 + 8/2 (4) + 0 - 40 = 59 */
    assert_string_equal(cands[out[3].cand].id, "el-viz");
    assert_int_equal(out[3].p_history, -40);
    assert_int_equal(out[3].score, 59);
    /* co-feedback: gap 1 (30) + level menengah for current 2 (5) + 3/2 (1)
     * + neighbour through komunikasi (-10) = 26; el-anti (no gap, no goal)
     * is not offered */
    assert_string_equal(cands[out[4].cand].id, "co-feedback");
    assert_int_equal(out[4].score, 26);
    assert_int_equal(out[4].goal_comp, -1);
    assert_int_equal(out[4].gap, 1);
    /* up to three: the best three, in the same order */
    const char *top[] = {"oj-dash", "el-data", "el-data-en"};
    const int sc[] = {96, 81, 74};
    expect_order(cands, NCX, &in, 3, top, sc, 3);
}

static void test_why(void **state)
{
    struct learn_input in = example();
    struct learn_pick out[4];
    char why[200];
    (void)state;
    assert_int_equal(learn_rank(cands, NC, &in, out, 4), 4);
    sapaan_set_casual(0);
    learn_why(&cands[out[0].cand], &out[0], &in, "id", why, sizeof(why));
    assert_string_equal(why, "cocok dengan tujuan Anda: analisis data; 16 JP; penugasan di tempat "
                             "kerja");
    learn_why(&cands[out[1].cand], &out[1], &in, "en", why, sizeof(why));
    assert_string_equal(why, "matches your goal: analisis data; 20 JP; e-learning");
    learn_why(&cands[out[3].cand], &out[3], &in, "en", why, sizeof(why));
    assert_string_equal(why, "builds communication (level 2, target 3); 3 JP; coaching");
    learn_why(&cands[out[3].cand], &out[3], &in, "id", why, sizeof(why));
    assert_string_equal(why, "mengembangkan komunikasi (level 2, target 3); 3 JP; coaching");
    /* the casual register (sapaan.h) */
    sapaan_set_casual(1);
    learn_why(&cands[out[0].cand], &out[0], &in, "id", why, sizeof(why));
    sapaan_set_casual(0);
    assert_string_equal(why, "cocok dengan tujuanmu: analisis data; 16 JP; penugasan di tempat "
                             "kerja");
    /* an item in another language than the person's says so */
    assert_int_equal(learn_rank(cands, NCX, &in, out, 4), 4);
    assert_string_equal(cands[out[2].cand].id, "el-data-en");
    learn_why(&cands[out[2].cand], &out[2], &in, "id", why, sizeof(why));
    assert_string_equal(why, "cocok dengan tujuan Anda: analisis data; 8 JP; e-learning; dalam "
                             "bahasa Inggris");
    in.lang = "en";
    learn_why(&cands[out[0].cand], &out[0], &in, "en", why, sizeof(why));
    assert_string_equal(why, "matches your goal: analisis data; 16 JP; on-the-job assignment; in "
                             "Indonesian");
}

/* The language part: -20 for an item in a language the person does not
 * use; nothing when either side's language is not known. */
static void test_language(void **state)
{
    struct learn_input in = example();
    struct learn_cand c[NCX];
    (void)state;
    /* an English speaker: every Indonesian item -20, el-data-en 94 first */
    in.lang = "en";
    const char *en_ids[] = {"el-data-en", "oj-dash", "el-data", "el-viz", "co-feedback"};
    const int en_sc[] = {94, 76, 61, 39, 6};
    expect_order(cands, NCX, &in, 8, en_ids, en_sc, 5);
    /* the person's language unknown: no part (el-data-en 94 again first) */
    in.lang = NULL;
    const char *any_ids[] = {"oj-dash", "el-data-en", "el-data", "el-viz", "co-feedback"};
    const int any_sc[] = {96, 94, 81, 59, 26};
    expect_order(cands, NCX, &in, 8, any_ids, any_sc, 5);
    /* an item's language unknown: no part either */
    in.lang = "id";
    memcpy(c, cands, sizeof(c));
    c[NCX - 1].lang = "";
    expect_order(c, NCX, &in, 8, any_ids, any_sc, 5);
    /* with time for 4 JP: oj-dash falls to 81 (time -15) like el-data, a
     * tie broken by id (el-data first); el-data-en 74 - 15 = 59 */
    c[NCX - 1].lang = "en";
    in.max_jp = 4;
    const char *tie_ids[] = {"el-data", "oj-dash", "el-data-en"};
    const int tie_sc[] = {81, 81, 59};
    expect_order(c, NCX, &in, 3, tie_ids, tie_sc, 3);
}

/* The same answer whatever order the candidates come in. */
static void test_order_independent(void **state)
{
    struct learn_input in = example();
    struct learn_cand rev[NCX];
    const char *top[] = {"oj-dash", "el-data", "el-data-en", "el-viz", "co-feedback"};
    const int sc[] = {96, 81, 74, 59, 26};
    (void)state;
    for (int i = 0; i < NCX; i++)
        rev[i] = cands[NCX - 1 - i];
    expect_order(cands, NCX, &in, 8, top, sc, 5);
    expect_order(rev, NCX, &in, 8, top, sc, 5);
}

/* Equal scores: the smaller id first, whether the parts are the same or
 * not. */
static void test_ties(void **state)
{
    static const struct learn_need n1[] = {{"jejaring", 1, 2}, {"inovasi", 2, 2}};
    static const char *const g1[] = {"ikut tim inovasi"};
    static const struct learn_cand c[] = {
        {"b-same", "P", "e-learning", "dasar", 4, {"jejaring"}, 1, "id"},
        {"a-same", "P", "e-learning", "dasar", 4, {"jejaring"}, 1, "id"},
        {"z-goal", "Q", "e-learning", "lanjut", 4, {"inovasi"}, 1, "id"},
        {"m-gap", "R", "e-learning", "lanjut", 4, {"jejaring"}, 1, "id"},
        {"y-goal", "Q", "klasikal", "", 4, {"inovasi"}, 1, "id"},
    };
    struct learn_input in;
    (void)state;
    memset(&in, 0, sizeof(in));
    in.needs = n1;
    in.nneeds = 2;
    in.goals = g1;
    in.ngoals = 1;
    /* a-same, b-same: 30 + 5 = 35; z-goal, y-goal: 25 (no gap on inovasi,
     * so no level part); m-gap: 30 (lanjut is not the level for current
     * 1). Mix: all formal, experience is short, so no one gets it. */
    const char *ids[] = {"a-same", "b-same", "m-gap", "y-goal", "z-goal"};
    const int sc[] = {35, 35, 30, 25, 25};
    expect_order(c, 5, &in, 8, ids, sc, 5);
}

static void test_empty(void **state)
{
    struct learn_input in = example();
    struct learn_pick out[3];
    (void)state;
    /* an empty catalogue: nothing, and no error */
    assert_int_equal(learn_rank(NULL, 0, &in, out, 3), 0);
    assert_int_equal(learn_rank(cands, 0, &in, out, 3), 0);
    /* nothing known of the person: nothing is relevant */
    memset(&in, 0, sizeof(in));
    assert_int_equal(learn_rank(cands, NC, &in, out, 3), 0);
    /* max 0 */
    in = example();
    assert_int_equal(learn_rank(cands, NC, &in, out, 0), 0);
    assert_int_equal(learn_rank(cands, -1, &in, out, 3), BB_EINVAL);
    assert_int_equal(learn_rank(cands, NC, NULL, out, 3), BB_EINVAL);
}

/* Started and done items are not offered again; a low rating moves the
 * neighbours down; the neighbour penalty stops at -30. */
static void test_history(void **state)
{
    struct learn_hist h[] = {
        {"oj-dash", "Unit", {"analisis data"}, 1, LEARN_STARTED, 0},
        {"el-data", "Platform", {"analisis data"}, 1, LEARN_DONE, 5},
    };
    struct learn_input in = example();
    (void)state;
    in.hist = h;
    in.nhist = 2;
    /* el-viz: 60 + 25 + 10 + 4 = 99 (not dropped now, a 5 is no penalty);
     * co-feedback: 30 + 5 + 1 = 36 */
    const char *ids[] = {"el-viz", "co-feedback"};
    const int sc[] = {99, 36};
    expect_order(cands, NC, &in, 8, ids, sc, 2);
    /* el-data done but rated 2: its neighbours (same provider or a
     * competency) move down 10: el-viz shares both, once */
    h[1].rating = 2;
    const int sc2[] = {89, 36};
    expect_order(cands, NC, &in, 8, ids, sc2, 2);
    /* four dropped neighbours of co-feedback: -30, not -40 */
    struct learn_hist many[] = {
        {"x1", "Biro SDM", {"a"}, 1, LEARN_DROPPED, 0},
        {"x2", "Biro SDM", {"b"}, 1, LEARN_DROPPED, 0},
        {"x3", "Lain", {"kepemimpinan"}, 1, LEARN_DROPPED, 0},
        {"x4", "Lain", {"komunikasi"}, 1, LEARN_DROPPED, 0},
    };
    struct learn_pick out[8];
    in = example();
    in.hist = many;
    in.nhist = 4;
    assert_int_equal(learn_rank(cands, NC, &in, out, 8), 4);
    assert_string_equal(cands[out[3].cand].id, "co-feedback");
    assert_int_equal(out[3].p_history, -30);
    assert_int_equal(out[3].score, 36 - 30);
}

/* 70-20-10: with nothing taken, experience is short; after 7 experience
 * items and none social, social is; after 7, 2, 0 formal is. */
static void test_mix(void **state)
{
    struct learn_input in = example();
    struct learn_pick out[8];
    int got;
    (void)state;
    in.nhist = 0;
    memset(in.mix, 0, sizeof(in.mix));
    got = learn_rank(cands, NC, &in, out, 8);
    for (int i = 0; i < got; i++)
        assert_int_equal(out[i].p_mix, !strcmp(cands[out[i].cand].modality, "on-the-job") ? 15 : 0);
    in.mix[LEARN_EXPERIENCE] = 7;
    got = learn_rank(cands, NC, &in, out, 8);
    for (int i = 0; i < got; i++)
        assert_int_equal(out[i].p_mix, !strcmp(cands[out[i].cand].modality, "coaching") ? 15 : 0);
    in.mix[LEARN_SOCIAL] = 2;
    got = learn_rank(cands, NC, &in, out, 8);
    for (int i = 0; i < got; i++)
        assert_int_equal(out[i].p_mix, !strcmp(cands[out[i].cand].modality, "e-learning") ? 15 : 0);
    assert_int_equal(learn_kind_of("colleague"), LEARN_SOCIAL);
    assert_int_equal(learn_kind_of("blended"), LEARN_FORMAL);
}

/* A colleague who has the skill (no JP, no level) ranks like any item. */
static void test_colleague(void **state)
{
    static const struct learn_cand c[] = {
        {"colleague:199001012015011001",
         "199001012015011001",
         "colleague",
         "",
         0,
         {"analisis data"},
         1,
         NULL}, /* a colleague: no language part */
    };
    struct learn_input in = example();
    struct learn_pick out[2];
    char why[200];
    (void)state;
    in.nhist = 0;
    /* 60 + 25 + 0 + 0 + 0 + 0 JP + social not short (0) = 85 */
    assert_int_equal(learn_rank(c, 1, &in, out, 2), 1);
    assert_int_equal(out[0].score, 85);
    learn_why(&c[0], &out[0], &in, "id", why, sizeof(why));
    assert_string_equal(why, "cocok dengan tujuan Anda: analisis data; belajar dari rekan kerja");
}

/* The Smart ASN traits read in English for an English speaker; any other
 * competency, and every competency in Indonesian, reads as stored. */
static void test_comp_label(void **state)
{
    (void)state;
    assert_string_equal(learn_comp_label("wawasan global", 1), "global outlook");
    assert_string_equal(learn_comp_label("kewirausahaan", 1), "entrepreneurship");
    assert_string_equal(learn_comp_label("wawasan global", 0), "wawasan global");
    assert_string_equal(learn_comp_label("analisis data", 1), "analisis data");
    assert_string_equal(learn_comp_label("", 1), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_why),
        cmocka_unit_test(test_order_independent),
        cmocka_unit_test(test_ties),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_history),
        cmocka_unit_test(test_mix),
        cmocka_unit_test(test_colleague),
        cmocka_unit_test(test_comp_label),
        cmocka_unit_test(test_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
