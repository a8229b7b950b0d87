/* test_store_coaching.c - the coaching tables (migration 6): wellbeing,
 * alert recipients, GROW follow-up, goals, learning and the jp_sources view,
 * reflections, colleague search, feedback (anonymous keeps no giver), mentor
 * requests, the summary; export and forget cover them all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bot/base/bb.h"
#include "store/store.h"
#include "store/store_coaching.h"
#include "tests/lib/fixture.h"

struct fx {
    TFX_STORE_FIELDS;
    int64_t ayu, putri, siti, budi, rina;
};

static void fx_init(struct fx *f)
{
    f->ayu = tfx_person_in(f->st, "1001", "Ayu Lestari", "Biro SDM", "employee");
    f->putri = tfx_person_in(f->st, "1002", "Putri Maharani", "Biro SDM", "employee");
    f->siti = tfx_person_in(f->st, "1003", "Siti Rahmawati", "Biro SDM", "hr");
    f->budi = tfx_person_in(f->st, "1004", "Budi Santoso", "Dinas Kominfo", "employee");
    f->rina = tfx_person_in(f->st, "1005", "Rina Putri_Sari", "Biro SDM", "employee");
}

TFX_STORE_SETUP_INIT(fx, setup, fx_init)
TFX_STORE_TEARDOWN_FINI(fx, teardown, TFX_NOTHING)

static void test_schema(void **state)
{
    struct fx *f = *state;
    int v = 0;
    assert_int_equal(store_schema_version(f->st, &v), BB_OK);
    assert_true(v >= 6);
}

static void test_wellbeing(void **state)
{
    struct fx *f = *state;
    int items[5] = {1, 2, 3, 4, 5}, bad[5] = {1, 2, 3, 4, 6};
    int64_t id = 0, ids[4];
    int n = -1;
    assert_int_equal(store_coaching_wellbeing_add(f->st, f->ayu, 100, "2026-11-27", items, &id),
                     BB_OK);
    assert_true(id > 0);
    assert_int_equal(store_coaching_wellbeing_add(f->st, f->ayu, 100, "2026-11-27", bad, NULL),
                     BB_EINVAL);
    assert_int_equal(store_coaching_wellbeing_add(f->st, f->ayu, 100, "27/11/2026", items, NULL),
                     BB_EINVAL);
    assert_int_equal(store_coaching_wellbeing_set_alerted(f->st, id), BB_OK);
    assert_int_equal(store_coaching_wellbeing_set_alerted(f->st, id + 100), BB_ENOTFOUND);

    cJSON *e = NULL;
    assert_int_equal(store_person_export(f->st, f->ayu, &e), BB_OK);
    const cJSON *wb = cJSON_GetObjectItemCaseSensitive(e, "wellbeing");
    assert_int_equal(cJSON_GetArraySize(wb), 1);
    const cJSON *row = cJSON_GetArrayItem(wb, 0);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(row, "raw")->valueint, 15);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(row, "score")->valueint, 60);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(row, "items")->valuestring, "1,2,3,4,5");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(row, "alerted")->valueint, 1);
    cJSON_Delete(e);

    /* HR of the same unit; for Budi's unit (none) HR anywhere; never oneself */
    assert_int_equal(store_coaching_alert_recipients(f->st, f->ayu, ids, 4, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_true(ids[0] == f->siti);
    assert_int_equal(store_coaching_alert_recipients(f->st, f->budi, ids, 4, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_true(ids[0] == f->siti);
    assert_int_equal(store_coaching_alert_recipients(f->st, f->siti, ids, 4, &n), BB_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_coaching_alert_recipients(f->st, f->ayu, ids, 0, &n), BB_EINVAL);
}

static void test_grow_goals_learning(void **state)
{
    struct fx *f = *state;
    struct store_grow g;
    struct store_coaching_summary s;
    int64_t m = -1;
    memset(&g, 0, sizeof(g));
    g.person_id = f->ayu;
    g.at = 100;
    bb_strlcpy(g.goal, "Finish the analysis", sizeof(g.goal));
    g.confidence = 7;
    bb_strlcpy(g.followup_day, "2026-12-04", sizeof(g.followup_day));
    assert_int_equal(store_coaching_grow_followup(f->st, f->ayu, 150, "2026-12-04", "done", ""),
                     BB_ENOTFOUND);
    assert_int_equal(store_coaching_grow_add(f->st, &g, NULL), BB_OK);
    g.confidence = 11;
    assert_int_equal(store_coaching_grow_add(f->st, &g, NULL), BB_EINVAL);
    g.confidence = 5;
    g.goal[0] = '\0';
    assert_int_equal(store_coaching_grow_add(f->st, &g, NULL), BB_EINVAL);
    assert_int_equal(
        store_coaching_grow_followup(f->st, f->ayu, 200, "2026-12-04", "progress", "ok"), BB_OK);

    assert_int_equal(store_coaching_goal_add(f->st, f->ayu, 100, "teknis", "SQL", "Learn SQL",
                                             "2027-01-31", NULL),
                     BB_OK);
    assert_int_equal(store_coaching_goal_add(f->st, f->ayu, 100, "other", "", "x", "", NULL),
                     BB_EINVAL);

    /* this year's minutes only; last year's and next year's are left out */
    assert_int_equal(
        store_coaching_learning_add(f->st, f->ayu, 1, "2026-01-01", "A", "elearning", 90, NULL),
        BB_OK);
    assert_int_equal(store_coaching_learning_add(f->st, f->ayu, 1, "2026-12-31", "B", "", 60, NULL),
                     BB_OK);
    assert_int_equal(store_coaching_learning_add(f->st, f->ayu, 1, "2025-12-31", "C", "", 45, NULL),
                     BB_OK);
    assert_int_equal(store_coaching_learning_add(f->st, f->ayu, 1, "2027-01-01", "D", "", 45, NULL),
                     BB_OK);
    assert_int_equal(
        store_coaching_learning_add(f->st, f->budi, 1, "2026-06-01", "E", "", 30, NULL), BB_OK);
    assert_int_equal(store_coaching_learning_add(f->st, f->ayu, 1, "2026-06-01", "F", "", 0, NULL),
                     BB_EINVAL);
    assert_int_equal(store_coaching_learning_add(f->st, f->ayu, 1, "2026-06-01", "", "", 10, NULL),
                     BB_EINVAL);
    assert_int_equal(store_coaching_jp_minutes(f->st, f->ayu, "2026-01-01", "2027-01-01", &m),
                     BB_OK);
    assert_int_equal(m, 150);

    assert_int_equal(
        store_coaching_summary(f->st, f->ayu, "2026-01-01", "2027-01-01", "2026-12-04", &s), BB_OK);
    assert_int_equal(s.jp_minutes, 150);
    assert_int_equal(s.goals_open, 1);
    assert_string_equal(s.grow_goal, ""); /* its follow-up is done: nothing is due */
    assert_int_equal(s.feedback_req, 0);
    assert_string_equal(s.feedback_from, "");

    assert_int_equal(store_coaching_reflection_add(f->st, f->ayu, 1, "2026-W48", "akuntabel", 4,
                                                   "Returned the surplus budget", NULL),
                     BB_OK);
    assert_int_equal(
        store_coaching_reflection_add(f->st, f->ayu, 1, "2026-W48", "akuntabel", 6, "", NULL),
        BB_EINVAL);

    cJSON *e = NULL;
    assert_int_equal(store_person_export(f->st, f->ayu, &e), BB_OK);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(e, "learning")), 4);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(e, "grow_sessions")), 1);
    const cJSON *gs = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(e, "grow_sessions"), 0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(gs, "progress")->valuestring, "progress");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(e, "development_goals")),
                     1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(e, "reflections")), 1);
    cJSON_Delete(e);

    /* forget: every coaching row of the person goes, others stay */
    assert_int_equal(store_person_forget(f->st, f->ayu, 500, NULL), BB_OK);
    assert_int_equal(store_coaching_jp_minutes(f->st, f->ayu, "2000-01-01", "2100-01-01", &m),
                     BB_OK);
    assert_int_equal(m, 0);
    assert_int_equal(store_coaching_jp_minutes(f->st, f->budi, "2026-01-01", "2027-01-01", &m),
                     BB_OK);
    assert_int_equal(m, 30);
    assert_int_equal(
        store_coaching_summary(f->st, f->ayu, "2026-01-01", "2027-01-01", "2026-12-04", &s), BB_OK);
    assert_int_equal(s.goals_open, 0);
    assert_string_equal(s.grow_goal, "");
}

/* Colleagues of who in Biro SDM matching q, at most two into out; how many
 * there are. */
static int find(struct fx *f, int64_t who, const char *q, struct store_person out[2])
{
    int n = -1;
    assert_int_equal(store_coaching_find_colleagues(f->st, who, "Biro SDM", q, out, 2, &n), BB_OK);
    return n;
}

static void test_find_colleagues(void **state)
{
    struct fx *f = *state;
    struct store_person out[2];
    assert_int_equal(find(f, f->ayu, "putri", out), 2);
    assert_string_equal(out[0].name, "Putri Maharani");
    assert_string_equal(out[1].name, "Rina Putri_Sari");
    /* the exact name comes first */
    assert_int_equal(find(f, f->ayu, "rina putri_sari", out), 1);
    assert_string_equal(out[0].name, "Rina Putri_Sari");
    /* % and _ are literal: "_" matches only a real underscore */
    assert_int_equal(find(f, f->ayu, "i_s", out), 1);
    assert_int_equal(find(f, f->ayu, "%", out), 0);
    /* other units and oneself are not found */
    assert_int_equal(find(f, f->ayu, "budi", out), 0);
    assert_int_equal(find(f, f->ayu, "ayu", out), 0);
    /* more than max: n says so */
    assert_int_equal(find(f, f->budi, "a", out), 3);
}

/* Feedback on request q from giver, on 2026-11-27; the store's answer. */
static int give(struct fx *f, int64_t q, int64_t giver, const char *good, const char *better,
                int anon, int64_t at)
{
    return store_coaching_feedback_give(f->st, q, giver, "2026-11-27", good, better, anon, at);
}

static void test_feedback(void **state)
{
    struct fx *f = *state;
    struct store_feedback_req r;
    struct store_coaching_summary s;
    int64_t q1 = 0, q2 = 0;
    assert_int_equal(store_coaching_feedback_ask(f->st, f->ayu, f->putri, "slides", 10, &q1),
                     BB_OK);
    assert_int_equal(store_coaching_feedback_ask(f->st, f->ayu, f->putri, "again", 11, NULL),
                     BB_EEXIST);
    assert_int_equal(store_coaching_feedback_ask(f->st, f->ayu, f->ayu, "me", 11, NULL), BB_EINVAL);
    assert_int_equal(store_coaching_feedback_ask(f->st, f->budi, f->putri, "code", 12, &q2), BB_OK);
    assert_int_equal(store_coaching_feedback_pending(f->st, f->putri, &r), BB_OK);
    assert_true(r.id == q1);
    assert_int_equal(
        store_coaching_summary(f->st, f->putri, "2026-01-01", "2027-01-01", "2026-12-04", &s),
        BB_OK);
    assert_true(s.feedback_req == q1);
    assert_string_equal(s.feedback_from, "Ayu Lestari");
    assert_string_equal(s.feedback_topic, "slides");

    /* only the asked giver can answer, once */
    assert_int_equal(give(f, q1, f->budi, "a", "b", 0, 20), BB_ENOTFOUND);
    assert_int_equal(give(f, q1, f->putri, "Clear", "Shorter", 0, 20), BB_OK);
    assert_int_equal(give(f, q1, f->putri, "Again", "x", 0, 21), BB_ENOTFOUND);
    assert_int_equal(give(f, q2, f->putri, "Tidy", "Tests", 1, 22), BB_OK);
    assert_int_equal(store_coaching_feedback_pending(f->st, f->putri, &r), BB_ENOTFOUND);
    assert_int_equal(store_coaching_feedback_req(f->st, q2, &r), BB_OK);
    assert_string_equal(r.status, "answered");

    cJSON *e = NULL;
    assert_int_equal(store_person_export(f->st, f->budi, &e), BB_OK);
    const cJSON *rec =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(e, "feedback_received"), 0);
    assert_non_null(rec);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(rec, "giver")));
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(rec, "went_well")->valuestring, "Tidy");
    cJSON_Delete(e);
    assert_int_equal(store_person_export(f->st, f->putri, &e), BB_OK);
    const cJSON *given = cJSON_GetObjectItemCaseSensitive(e, "feedback_given");
    assert_int_equal(cJSON_GetArraySize(given), 1); /* the anonymous one is not hers to see */
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(given, 0), "to_name")->valuestring,
        "Ayu Lestari");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(e, "feedback_requests")),
                     2);
    cJSON_Delete(e);

    /* forgetting the giver removes what she gave under her name and the
     * requests; the anonymous text stays with its receiver */
    assert_int_equal(store_person_forget(f->st, f->putri, 100, NULL), BB_OK);
    assert_int_equal(store_person_export(f->st, f->ayu, &e), BB_OK);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(e, "feedback_received")),
                     0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(e, "feedback_requests")),
                     0);
    cJSON_Delete(e);
    assert_int_equal(store_person_export(f->st, f->budi, &e), BB_OK);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(e, "feedback_received")),
                     1);
    cJSON_Delete(e);
}

static void test_mentor_requests(void **state)
{
    struct fx *f = *state;
    struct store_coaching_summary s;
    int64_t a = 0, b = 0, c = 0;
    assert_int_equal(store_coaching_mentor_request(f->st, f->ayu, "kepemimpinan", "sabar", 10, &a),
                     BB_OK);
    assert_int_equal(store_coaching_mentor_request(f->st, f->ayu, "kepemimpinan,data", "", 20, &b),
                     BB_OK);
    assert_true(a == b); /* the open request was updated */
    assert_int_equal(store_coaching_mentor_request(f->st, f->ayu, "", "", 20, NULL), BB_EINVAL);
    assert_int_equal(
        store_coaching_summary(f->st, f->ayu, "2026-01-01", "2027-01-01", "2026-12-04", &s), BB_OK);
    assert_int_equal(s.mentor_request_open, 1);
    assert_int_equal(store_coaching_mentor_request_set_status(f->st, a, "matched", 30), BB_OK);
    assert_int_equal(store_coaching_mentor_request_set_status(f->st, a, "weird", 30), BB_EINVAL);
    assert_int_equal(store_coaching_mentor_request_set_status(f->st, a + 99, "closed", 30),
                     BB_ENOTFOUND);
    assert_int_equal(store_coaching_mentor_request(f->st, f->ayu, "excel", "", 40, &c), BB_OK);
    assert_true(c != a); /* a matched request is not reopened */
    cJSON *e = NULL;
    assert_int_equal(store_person_export(f->st, f->ayu, &e), BB_OK);
    const cJSON *mr = cJSON_GetObjectItemCaseSensitive(e, "mentor_requests");
    assert_int_equal(cJSON_GetArraySize(mr), 2);
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(mr, 0), "tags")->valuestring,
        "kepemimpinan,data");
    cJSON_Delete(e);
    assert_int_equal(store_person_forget(f->st, f->ayu, 50, NULL), BB_OK);
    assert_int_equal(store_coaching_mentor_request_set_status(f->st, c, "closed", 60),
                     BB_ENOTFOUND);
}

/* The follow-up asks about the session that is due, not the newest; the
 * follow-up is stored on that one. */
static void test_grow_due(void **state)
{
    struct fx *f = *state;
    struct store_grow g;
    struct store_coaching_summary s;
    memset(&g, 0, sizeof(g));
    g.person_id = f->ayu;
    g.confidence = 5;
    g.at = 100;
    bb_strlcpy(g.goal, "Due today", sizeof(g.goal));
    bb_strlcpy(g.followup_day, "2026-12-04", sizeof(g.followup_day));
    bb_strlcpy(g.boost, "Ask Andi to review the plan", sizeof(g.boost));
    assert_int_equal(store_coaching_grow_add(f->st, &g, NULL), BB_OK);
    g.at = 300; /* newer, due next month */
    bb_strlcpy(g.goal, "Due later", sizeof(g.goal));
    bb_strlcpy(g.followup_day, "2027-01-15", sizeof(g.followup_day));
    g.boost[0] = '\0';
    assert_int_equal(store_coaching_grow_add(f->st, &g, NULL), BB_OK);
    assert_int_equal(
        store_coaching_summary(f->st, f->ayu, "2026-01-01", "2027-01-01", "2026-12-03", &s), BB_OK);
    assert_string_equal(s.grow_goal, "Due later"); /* nothing due yet: the newest */
    assert_int_equal(
        store_coaching_summary(f->st, f->ayu, "2026-01-01", "2027-01-01", "2026-12-04", &s), BB_OK);
    assert_string_equal(s.grow_goal, "Due today");
    g.at = 350; /* the newest, due earlier: the latest day that has come wins */
    bb_strlcpy(g.goal, "Due earlier", sizeof(g.goal));
    bb_strlcpy(g.followup_day, "2026-11-20", sizeof(g.followup_day));
    assert_int_equal(store_coaching_grow_add(f->st, &g, NULL), BB_OK);
    assert_int_equal(
        store_coaching_summary(f->st, f->ayu, "2026-01-01", "2027-01-01", "2026-12-04", &s), BB_OK);
    assert_string_equal(s.grow_goal, "Due today");
    assert_int_equal(store_coaching_grow_followup(f->st, f->ayu, 400, "2026-12-04", "done", "ok"),
                     BB_OK);
    assert_int_equal(
        store_coaching_summary(f->st, f->ayu, "2026-01-01", "2027-01-01", "2026-12-04", &s), BB_OK);
    assert_string_equal(s.grow_goal, "Due earlier"); /* due beats newer not due */
    assert_int_equal(store_coaching_grow_followup(f->st, f->ayu, 450, "2026-12-04", "done", "ok"),
                     BB_OK);
    assert_int_equal(
        store_coaching_summary(f->st, f->ayu, "2026-01-01", "2027-01-01", "2026-12-04", &s), BB_OK);
    assert_string_equal(s.grow_goal, "Due later");
    assert_int_equal(store_coaching_summary(f->st, f->ayu, "2026-01-01", "2027-01-01", "bad", &s),
                     BB_EINVAL);
}

TFX_MAIN(TFX_TEST(test_schema), TFX_TEST(test_wellbeing), TFX_TEST(test_grow_goals_learning),
         TFX_TEST(test_grow_due), TFX_TEST(test_find_colleagues), TFX_TEST(test_feedback),
         TFX_TEST(test_mentor_requests))
