/* test_survey_waves.c - surveys over time (docs/surveys.md): the trend
 * across waves from hand-computed answers (a unit under k left out of a
 * wave, a wave under k hidden and left out of the trend), and the
 * schedule: a wave asked for a Saturday starts Monday 07:30 WIB, its
 * reminder keeps its distance, start, reminder and close fire at those
 * times through the module's tick; a recurring series starts a new wave
 * every N weeks until it is stopped; closing a wave now releases its
 * pending answers. k = 5 (cfg NULL). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/core/core.h"
#include "bot/domain/modules.h"
#include "bot/domain/survey/survey_int.h"
#include "bot/flow/flow.h"
#include "store/store.h"
#include "store/store_int.h"
#include "store/store_survey.h"
#include "tests/lib/common.h"
#include "tests/lib/fixture.h"

#define K         5
#define NP        12
#define THU10     1796266800 /* 2026-12-03T03:00:00Z, Thursday 10:00 WIB */
#define SAT10     1796439600 /* 2026-12-05T03:00:00Z, Saturday */
#define MON730    1796603400 /* 2026-12-07T00:30:00Z, Monday 07:30 WIB */
#define TUE730    1796689800 /* 2026-12-08T00:30:00Z */
#define WED10     1796785200 /* 2026-12-09T03:00:00Z */
#define MON9      1796608800 /* 2026-12-07T02:00:00Z, Monday 09:00 WIB */
#define MON28_730 1798417800 /* 2026-12-28T00:30:00Z, Monday 07:30 WIB */
#define DAY       86400
#define WEEK      (7 * DAY)

struct fx {
    TFX_STORE_FIELDS;
    struct flow_lib *lib;
    struct core *core;
    struct work_holidays *hol;
    struct domain_ctx d;
    int64_t p[NP]; /* 0-6 Unit A, 7-11 Unit B */
};

static void fx_init(struct fx *f)
{
    struct work_hours h;
    char err[300];
    struct flow_diags dg;
    flow_diags_init(&dg);
    assert_int_equal(flow_lib_new(&f->lib), BB_OK);
    flow_lib_set_actions(f->lib, tfx_actions());
    assert_int_equal(flow_lib_load_dir(f->lib, "flows", &dg), BB_OK);
    flow_diags_free(&dg);
    assert_int_equal(core_new(f->st, f->lib, domain_modules, &f->core), BB_OK);
    work_hours_default(&h);
    assert_int_equal(work_holidays_load("config/holidays.json", &f->hol, err, sizeof(err)), BB_OK);
    core_set_work(f->core, &h, f->hol);
    f->d.st = f->st;
    f->d.lib = f->lib;
    f->d.core = f->core;
    f->d.now = THU10;
    for (int i = 0; i < NP; i++) {
        char nip[24], name[32], ext[16];
        bb_snprintf(nip, sizeof(nip), "19900101201501%04d", i);
        bb_snprintf(name, sizeof(name), "Orang %d", i);
        f->p[i] = tfx_person_in(f->st, nip, name, i < 7 ? "Unit A" : "Unit B", "employee");
        bb_snprintf(ext, sizeof(ext), "%d", 8000 + i);
        assert_int_equal(store_identity_link(f->st, "telegram", ext, f->p[i], THU10 - 100), BB_OK);
    }
}

static void fx_fini(struct fx *f)
{
    core_free(f->core);
    flow_lib_free(f->lib);
    work_holidays_free(f->hol);
}

TFX_STORE_SETUP_INIT(fx, setup, fx_init)
TFX_STORE_TEARDOWN_FINI(fx, teardown, fx_fini)

/* A wave of survey.enps to everyone, now, open a day (the trend's waves). */
static int64_t wave_now(struct fx *f)
{
    struct store_wave w;
    int64_t unlinked = 0;
    char err[SURVEY_ERR_MAX];
    assert_int_equal(survey_wave_send(&f->d, "survey.enps", "all", f->d.now, f->d.now + DAY, 0, 10,
                                      "test", &w, &unlinked, err),
                     BB_OK);
    return w.id;
}

/* Person i answers eNPS with score (and a comment). */
static void answer(struct fx *f, int i, int score)
{
    struct store_answer a[2];
    int64_t wave = 0;
    char unit[128];
    memset(a, 0, sizeof(a));
    assert_int_equal(
        store_survey_open_invitation(f->st, f->p[i], "survey.enps", K, &wave, unit, sizeof(unit)),
        BB_OK);
    bb_strlcpy(a[0].question, "enps", sizeof(a[0].question));
    a[0].has_num = 1;
    a[0].num = score;
    bb_strlcpy(a[1].question, "why", sizeof(a[1].question));
    a[1].txt = "alasan";
    assert_int_equal(store_survey_answer(f->st, wave, f->p[i], unit, a, 2, K, f->d.now, 0), BB_OK);
}

static void close_wave(struct fx *f, int64_t w)
{
    char err[SURVEY_ERR_MAX];
    assert_int_equal(survey_wave_close_now(&f->d, w, "test", err), BB_OK);
}

static const struct survey_trend_q *tq(const struct survey_trend_wave *t, const char *name)
{
    for (int i = 0; i < t->nq; i++)
        if (!strcmp(t->q[i].name, name))
            return &t->q[i];
    fail_msg("no question %s in wave %lld", name, (long long)t->w.id);
    return NULL;
}

/* By hand. Wave 1: Unit A 10 10 9 8 3, Unit B 9 7 6 5 0: n 10, mean
 * 67/10 = 6.7, promoters 4 (10 10 9 9), detractors 4 (3 6 5 0): eNPS 0.
 * Wave 2: Unit A 10 10 10 9 6, Unit B 0 0 (2 < k: left out of every
 * figure): n 5, mean 45/5 = 9.0 (with B it would be 45/7 = 6.43), eNPS
 * (4 - 1) / 5 = +60. Wave 3: Unit A 10 10 10 only (3 < k): hidden, no
 * figure, not even the answered count. */
static void test_trend_by_hand(void **state)
{
    struct fx *f = *state;
    static const int w1[] = {10, 10, 9, 8, 3, -1, -1, 9, 7, 6, 5, 0};
    static const int w2[] = {10, 10, 10, 9, 6, -1, -1, 0, 0, -1, -1, -1};
    static const int w3[] = {10, 10, 10, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    const int *scores[3] = {w1, w2, w3};
    struct survey_trend_wave *t = NULL;
    int n = 0;
    for (int w = 0; w < 3; w++) {
        int64_t id = wave_now(f);
        for (int i = 0; i < NP; i++)
            if (scores[w][i] >= 0)
                answer(f, i, scores[w][i]);
        close_wave(f, id);
        f->d.now += WEEK;
    }
    assert_int_equal(survey_trend(&f->d, "survey.enps", K, &t, &n), BB_OK);
    assert_int_equal(n, 3);

    assert_true(t[0].shown);
    assert_int_equal(t[0].responses, 10);
    assert_int_equal(t[0].left_out, 0);
    assert_true(t[0].has_enps);
    assert_true(t[0].enps > -0.001 && t[0].enps < 0.001);
    const struct survey_trend_q *q = tq(&t[0], "enps");
    assert_int_equal(q->n, 10);
    assert_true(q->mean > 6.699 && q->mean < 6.701);
    assert_int_equal(q->hist[10], 2);
    assert_int_equal(q->hist[9], 2);
    assert_int_equal(q->hist[0], 1);
    assert_int_equal(q->hist[4], 0);
    assert_int_equal(tq(&t[0], "why")->n, 10);

    assert_true(t[1].shown);
    assert_int_equal(t[1].responses, 5);
    assert_int_equal(t[1].left_out, 2);
    assert_true(t[1].enps > 59.999 && t[1].enps < 60.001);
    q = tq(&t[1], "enps");
    assert_int_equal(q->n, 5);
    assert_true(q->mean > 8.999 && q->mean < 9.001);
    assert_int_equal(q->hist[0], 0); /* Unit B's zeros are nowhere */
    assert_int_equal(tq(&t[1], "why")->n, 5);

    assert_false(t[2].shown);
    assert_int_equal(t[2].responses, 0);
    assert_int_equal(t[2].answered, 0);
    assert_int_equal(t[2].nq, 0);
    assert_false(t[2].has_enps);
    free(t);

    /* The dashboard's trend: the points per wave, null for the hidden one */
    char err[SURVEY_ERR_MAX] = "";
    cJSON *o = NULL;
    assert_int_equal(survey_admin_trend(&f->d, "survey.enps", K, &o, err), BB_OK);
    const cJSON *waves = cJSON_GetObjectItemCaseSensitive(o, "waves");
    assert_int_equal(cJSON_GetArraySize(waves), 3);
    assert_true(
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(waves, 2), "hidden")));
    assert_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(waves, 2), "responses"));
    assert_int_equal(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(waves, 1), "enps")->valuedouble, 60);
    const cJSON *qs = cJSON_GetObjectItemCaseSensitive(o, "questions"), *x, *enps = NULL;
    cJSON_ArrayForEach(x, qs)
    {
        if (!strcmp(cJSON_GetObjectItemCaseSensitive(x, "id")->valuestring, "enps"))
            enps = x;
    }
    assert_non_null(enps);
    const cJSON *pts = cJSON_GetObjectItemCaseSensitive(enps, "waves");
    assert_int_equal(cJSON_GetArraySize(pts), 3);
    assert_true(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(pts, 0), "mean")->valuedouble ==
                6.7);
    assert_true(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(pts, 1), "mean")->valuedouble ==
                9.0);
    assert_true(cJSON_IsNull(cJSON_GetArrayItem(pts, 2)));
    cJSON_Delete(o);

    /* ...and its CSV */
    char *csv = NULL;
    size_t len = 0;
    assert_int_equal(survey_admin_trend_csv(&f->d, "survey.enps", K, &csv, &len, err), BB_OK);
    assert_non_null(strstr(csv, "wave,start,metric,value\n"));
    assert_non_null(strstr(csv, "\n1,2026-12-03T03:00:00Z,\"enps.mean\",\"6.70\"\n"));
    assert_non_null(strstr(csv, "\n2,2026-12-10T03:00:00Z,\"enps\",\"60.0\"\n"));
    assert_non_null(strstr(csv, "\n3,2026-12-17T03:00:00Z,\"suppressed\","));
    assert_null(strstr(csv, "\n3,2026-12-17T03:00:00Z,\"responses\""));
    free(csv);
}

static int64_t flow_timer_due(struct fx *f, int64_t person)
{
    int64_t due = 0;
    assert_int_equal(store_q_int64(f->st,
                                   "SELECT coalesce(min(due), 0) FROM timers WHERE person_id = ?1"
                                   " AND kind = 'flow' AND payload = 'survey.enps'",
                                   STORE_ARGS(store_int(person)), &due),
                     BB_OK);
    return due;
}

/* Asked on Thursday for Saturday 10:00 WIB with a reminder a day later and
 * the close on Wednesday: the start moves to Monday 07:30 WIB, the
 * reminder to Tuesday 07:30 (a day after the start), the close stays. The
 * module's tick reminds and closes at those instants, not a second before. */
static void test_schedule_weekend_shift(void **state)
{
    struct fx *f = *state;
    struct survey_plan p = {"survey.enps", "unit=unit a", SAT10, WED10, SAT10 + DAY, 0};
    struct store_wave w, now;
    int64_t series = -1, unlinked = 0;
    int did = 0;
    char err[SURVEY_ERR_MAX];
    assert_int_equal(survey_schedule(&f->d, &p, "test", &w, &series, &unlinked, err), BB_OK);
    assert_int_equal(series, 0);
    assert_string_equal(w.segment, "unit=Unit A");
    assert_int_equal(w.invited, 7);
    assert_int_equal(w.start_at, MON730);
    assert_int_equal(w.remind_at, TUE730);
    assert_int_equal(w.close_at, WED10);
    assert_int_equal(flow_timer_due(f, f->p[0]), MON730);
    assert_int_equal(flow_timer_due(f, f->p[7]), 0); /* Unit B was not asked */

    /* nobody is reminded a second early, and the wave stays open */
    assert_int_equal(core_modules_tick(f->core, TUE730 - 1, &did), BB_OK);
    assert_int_equal(store_wave_get(f->st, w.id, &now), BB_OK);
    assert_false(now.reminded);
    assert_int_equal(core_modules_tick(f->core, TUE730, &did), BB_OK);
    assert_int_equal(store_wave_get(f->st, w.id, &now), BB_OK);
    assert_true(now.reminded);
    assert_false(now.closed);
    assert_int_equal(core_modules_tick(f->core, WED10 - 1, &did), BB_OK);
    assert_int_equal(store_wave_get(f->st, w.id, &now), BB_OK);
    assert_false(now.closed);
    assert_int_equal(core_modules_tick(f->core, WED10, &did), BB_OK);
    assert_int_equal(store_wave_get(f->st, w.id, &now), BB_OK);
    assert_true(now.closed);

    /* a close on a Sunday moves to Monday 07:30 too; a reminder the shift
     * would put at or after the close is refused */
    struct survey_plan q = {"survey.enps", "all", THU10 + 3600, SAT10 + DAY, SAT10, 0};
    assert_int_equal(survey_schedule(&f->d, &q, "test", &w, &series, &unlinked, err), BB_EINVAL);
    assert_non_null(strstr(err, "reminder"));
    q.remind_at = 0;
    assert_int_equal(survey_schedule(&f->d, &q, "test", &w, &series, &unlinked, err), BB_OK);
    assert_int_equal(w.start_at, THU10 + 3600);
    assert_int_equal(w.close_at, MON730);
    /* bad input changes nothing */
    int nw = 0;
    struct store_wave *all = NULL;
    struct survey_plan bad = {"survey.enps", "unit=Unit Z", SAT10, WED10, 0, 0};
    assert_int_equal(survey_schedule(&f->d, &bad, "test", &w, &series, &unlinked, err), BB_EINVAL);
    bad.to = "all";
    bad.close_at = SAT10;
    assert_int_equal(survey_schedule(&f->d, &bad, "test", &w, &series, &unlinked, err), BB_EINVAL);
    assert_int_equal(store_wave_list(f->st, NULL, &all, &nw), BB_OK);
    assert_int_equal(nw, 2);
    free(all);
}

/* Every 2 weeks from Monday 09:00 WIB, open 3 days: the first wave at
 * once, the second when the tick reaches two weeks later (not a second
 * before), each naming the series, its times moved into working time
 * like any wave's; stopped, no third. */
static void test_series(void **state)
{
    struct fx *f = *state;
    struct survey_plan p = {"survey.enps", "all", MON9, MON9 + 3 * DAY, MON9 + DAY, 2};
    struct store_wave w, *all = NULL;
    struct store_series s;
    int64_t series = 0, unlinked = 0;
    int did = 0, n = 0;
    char err[SURVEY_ERR_MAX];
    assert_int_equal(survey_schedule(&f->d, &p, "hr:1", &w, &series, &unlinked, err), BB_OK);
    assert_true(series > 0);
    assert_int_equal(w.series_id, series);
    assert_int_equal(w.start_at, MON9);
    assert_int_equal(store_series_get(f->st, series, &s), BB_OK);
    assert_int_equal(s.next_at, MON9 + 2 * WEEK);
    assert_int_equal(s.open_for, 3 * DAY);
    assert_int_equal(s.remind_after, DAY);

    assert_int_equal(core_modules_tick(f->core, MON9 + 2 * WEEK - 1, &did), BB_OK);
    assert_int_equal(store_wave_list(f->st, "survey.enps", &all, &n), BB_OK);
    assert_int_equal(n, 1);
    free(all);
    assert_int_equal(core_modules_tick(f->core, MON9 + 2 * WEEK, &did), BB_OK);
    assert_int_equal(store_wave_list(f->st, "survey.enps", &all, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(all[1].series_id, series);
    assert_int_equal(all[1].start_at, MON9 + 2 * WEEK);
    assert_int_equal(all[1].remind_at, MON9 + 2 * WEEK + DAY);
    /* its close, Thursday 24 December, is cuti bersama, then Christmas and
     * a weekend: Monday 28 December 07:30 WIB */
    assert_int_equal(all[1].close_at, MON28_730);
    assert_int_equal(all[1].invited, NP);
    free(all);
    assert_int_equal(store_series_get(f->st, series, &s), BB_OK);
    assert_int_equal(s.next_at, MON9 + 4 * WEEK);

    f->d.now = MON9 + 2 * WEEK + 60;
    assert_int_equal(survey_series_stop(&f->d, series, "hr:1", err), BB_OK);
    assert_int_equal(survey_series_stop(&f->d, series, "hr:1", err), BB_EEXIST);
    assert_int_equal(survey_series_stop(&f->d, series + 9, "hr:1", err), BB_ENOTFOUND);
    assert_int_equal(core_modules_tick(f->core, MON9 + 6 * WEEK, &did), BB_OK);
    assert_int_equal(store_wave_list(f->st, "survey.enps", &all, &n), BB_OK);
    assert_int_equal(n, 2);
    free(all);
    /* a series whose wave would outlast its period is refused */
    struct survey_plan longer = {"survey.enps", "all", MON9, MON9 + 15 * DAY, 0, 2};
    assert_int_equal(survey_schedule(&f->d, &longer, "hr:1", &w, &series, &unlinked, err),
                     BB_EINVAL);
}

/* Closing now releases the pending answers (2 < k of a unit, never
 * released while open) and keeps the rules: the wave's report still
 * hides them (2 < k answers in all). A second close is refused. */
static void test_close_now(void **state)
{
    struct fx *f = *state;
    char err[SURVEY_ERR_MAX];
    int64_t w = wave_now(f), pending = -1, released = -1;
    answer(f, 0, 9);
    answer(f, 1, 7);
    assert_int_equal(store_q_int64(f->st, "SELECT count(DISTINCT pending) FROM survey_pending",
                                   STORE_NOARGS, &pending),
                     BB_OK);
    assert_int_equal(pending, 2);
    assert_int_equal(survey_wave_close_now(&f->d, w, "hr:1", err), BB_OK);
    assert_int_equal(
        store_q_int64(f->st, "SELECT count(*) FROM survey_pending", STORE_NOARGS, &pending), BB_OK);
    assert_int_equal(pending, 0);
    assert_int_equal(store_q_int64(f->st, "SELECT count(DISTINCT response) FROM survey_answers",
                                   STORE_NOARGS, &released),
                     BB_OK);
    assert_int_equal(released, 2);
    assert_int_equal(survey_wave_close_now(&f->d, w, "hr:1", err), BB_EEXIST);
    assert_int_equal(survey_wave_close_now(&f->d, w + 5, "hr:1", err), BB_ENOTFOUND);
    cJSON *o = NULL;
    assert_int_equal(survey_admin_wave(&f->d, w, K, &o, err), BB_OK);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "hidden")));
    assert_null(cJSON_GetObjectItemCaseSensitive(o, "responses"));
    cJSON_Delete(o);
    int64_t audit = 0;
    assert_int_equal(store_q_int64(f->st,
                                   "SELECT count(*) FROM audit_log WHERE actor = 'hr:1' AND"
                                   " action = 'survey.close'",
                                   STORE_NOARGS, &audit),
                     BB_OK);
    assert_int_equal(audit, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_trend_by_hand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schedule_weekend_shift, setup, teardown),
        cmocka_unit_test_setup_teardown(test_series, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_now, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
