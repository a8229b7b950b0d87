/* test_survey_report.c - the anonymity rules of survey reports (issue 14,
 * finding 3; issue 13's comments), through the one aggregation the CLI
 * report, its CSV and the dashboard's JSON share: an open wave's report
 * moves only in steps of k answers of a unit (participation too); a unit
 * with fewer than k answers is left out of every figure, so (a wave to
 * units A+B) minus (a wave to B) says nothing about A, and the report says
 * how many answers were left out; the dashboard's report lists the
 * comments of a free-text question once k people answered. Answers go in
 * as the survey_answer action stores them (store_survey_answer, k = 5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/domain/survey/survey_int.h"
#include "store/store.h"
#include "store/store_survey.h"
#include "tests/lib/fixture.h"

#define T0 1795770000 /* 2026-11-27T09:00:00Z */
#define K  5
#define NA 10 /* people in Unit A */
#define NB 10 /* people in Unit B */

struct fx {
    TFX_STORE_FIELDS;
    struct domain_ctx d;
    int64_t a[NA], b[NB];
};

static void fx_init(struct fx *f)
{
    f->d.st = f->st;
    f->d.now = T0; /* cfg NULL: k = 5 */
    for (int i = 0; i < NA + NB; i++) {
        char nip[24], name[32], ext[16];
        bb_snprintf(nip, sizeof(nip), "19900101201501%04d", i);
        bb_snprintf(name, sizeof(name), "Orang %d", i);
        int64_t id = tfx_person_in(f->st, nip, name, i < NA ? "Unit A" : "Unit B", "employee");
        bb_snprintf(ext, sizeof(ext), "%d", 8000 + i);
        assert_int_equal(store_identity_link(f->st, "telegram", ext, id, T0 - 100), BB_OK);
        if (i < NA)
            f->a[i] = id;
        else
            f->b[i - NA] = id;
    }
}

TFX_STORE_SETUP_INIT(fx, setup, fx_init)
TFX_STORE_TEARDOWN(fx, teardown)

static int64_t send_wave(struct fx *f, int kind, const char *value, const char *segment)
{
    struct store_wave w;
    memset(&w, 0, sizeof(w));
    bb_strlcpy(w.flow_id, "survey.enps", sizeof(w.flow_id));
    bb_strlcpy(w.segment, segment, sizeof(w.segment));
    w.start_at = f->d.now;
    w.close_at = f->d.now + 86400;
    w.created_at = f->d.now;
    assert_int_equal(store_wave_add(f->st, &w, kind, value, 10), BB_OK);
    return w.id;
}

/* person answers the eNPS question with score and the "why" with text. */
static void answer(struct fx *f, int64_t person, int score, const char *why)
{
    struct store_answer a[2];
    int64_t wave = 0;
    char unit[128];
    memset(a, 0, sizeof(a));
    assert_int_equal(
        store_survey_open_invitation(f->st, person, "survey.enps", K, &wave, unit, sizeof(unit)),
        BB_OK);
    bb_strlcpy(a[0].question, "enps", sizeof(a[0].question));
    a[0].has_num = 1;
    a[0].num = score;
    bb_strlcpy(a[1].question, "why", sizeof(a[1].question));
    a[1].txt = why;
    assert_int_equal(store_survey_answer(f->st, wave, person, unit, a, 2, K, f->d.now, 0), BB_OK);
}

/* The `survey report survey.enps` text (by unit when by_unit, CSV when
 * csv); malloc'd. */
static char *report(struct fx *f, int by_unit, int csv)
{
    struct bb_buf b;
    struct survey_report_opts o = {.by_unit = by_unit, .csv = csv, .k = K, .out = &b};
    bb_buf_init(&b, SURVEY_REPORT_MAX);
    assert_int_equal(survey_report_flow(&f->d, "survey.enps", &o), BB_OK);
    char *s = bb_buf_take(&b);
    assert_non_null(s);
    bb_buf_free(&b);
    return s;
}

static cJSON *admin_report(struct fx *f)
{
    char err[256] = "";
    cJSON *o = NULL;
    assert_int_equal(survey_admin_report(&f->d, "survey.enps", K, &o, err), BB_OK);
    return o;
}

static double num(const cJSON *o, const char *name)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, name);
    assert_true(cJSON_IsNumber(x));
    return x->valuedouble;
}

/* The question with id q in a dashboard report. */
static const cJSON *question(const cJSON *r, const char *q)
{
    const cJSON *x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(r, "questions"))
    {
        if (!strcmp(cJSON_GetObjectItemCaseSensitive(x, "id")->valuestring, q))
            return x;
    }
    fail_msg("no question %s", q);
    return NULL;
}

/* An open wave's report changes only in whole steps, and one step behind:
 * a unit's k-th pending answer releases a step, which shows once the next
 * step is released. Answers 1-9 show nothing (not even the count); the
 * 10th shows 5; the 11th to 14th leave the report byte for byte as it was;
 * at closing every answer counts, so the final report differs from any
 * open one by at least k answers (here 7: the 2nd step and 2 pending). */
static void test_open_wave_moves_in_steps(void **state)
{
    struct fx *f = *state;
    int d = 0;
    int64_t w = send_wave(f, STORE_SEG_ALL, "", "all");
    for (int i = 0; i < 9; i++) {
        answer(f, f->a[i], 9, "baik");
        char *r = report(f, 1, 0);
        assert_non_null(strstr(r, "invited 20, answered 0,"));
        assert_non_null(strstr(r, "all: hidden"));
        free(r);
    }
    answer(f, f->a[9], 9, "baik");
    char *step = report(f, 1, 0);
    assert_non_null(strstr(step, "invited 20, answered 5,"));
    assert_non_null(strstr(step, "all: 5 response(s)"));
    assert_non_null(strstr(step, "participation Unit A: 5 of 10"));
    assert_non_null(strstr(step, "participation Unit B: 0 of 10"));
    char *csv = report(f, 1, 1);
    for (int i = 0; i < 4; i++) {
        answer(f, f->b[i], i == 0 ? 0 : 10, "lain");
        char *r = report(f, 1, 0), *c = report(f, 1, 1);
        assert_string_equal(r, step);
        assert_string_equal(c, csv);
        free(r);
        free(c);
    }
    cJSON *j = admin_report(f);
    assert_int_equal((int)num(j, "responses"), 5);
    cJSON_Delete(j);
    f->d.now += 86400;
    assert_int_equal(survey_close_wave(&f->d, w, &d), BB_OK);
    char *fin = report(f, 1, 0);
    assert_non_null(strstr(fin, "invited 20, answered 14,"));
    assert_non_null(strstr(fin, "all: 10 response(s)")); /* Unit B's 4 are left out */
    assert_non_null(strstr(fin, "left out: 4 answer(s)"));
    free(fin);
    free(csv);
    free(step);
}

/* The finding: a wave to units A+B minus a wave to B alone gave A's four
 * scores and comments. Now A (4 answers < k) is in no figure of the first
 * wave, so both waves' figures are the same and nothing of A shows; the
 * report says 4 answers were left out and why. */
static void test_complement_across_waves(void **state)
{
    struct fx *f = *state;
    int d = 0;
    int64_t w1 = send_wave(f, STORE_SEG_ALL, "", "all");
    for (int i = 0; i < 4; i++)
        answer(f, f->a[i], 0, "rahasia unit A");
    for (int i = 0; i < 6; i++)
        answer(f, f->b[i], 10, "unit B senang");
    f->d.now += 86400;
    assert_int_equal(survey_close_wave(&f->d, w1, &d), BB_OK);
    char *r1 = report(f, 1, 0), *c1 = report(f, 1, 1);
    cJSON *j1 = admin_report(f);

    int64_t w2 = send_wave(f, STORE_SEG_UNIT, "Unit B", "unit=Unit B");
    for (int i = 0; i < 6; i++)
        answer(f, f->b[i], 10, "unit B senang");
    f->d.now += 86400;
    assert_int_equal(survey_close_wave(&f->d, w2, &d), BB_OK);
    cJSON *j2 = admin_report(f);

    /* wave 1: answered 10 (participation is a count), but every figure is B's */
    assert_non_null(strstr(r1, "invited 20, answered 10,"));
    assert_non_null(strstr(r1, "  all: 6 response(s)"));
    assert_non_null(strstr(r1, "eNPS +100 (promoters 100.0%"));
    assert_non_null(strstr(r1, "n 6, mean 10.00; 10:6"));
    assert_non_null(strstr(r1, "left out: 4 answer(s) from 1 unit(s) with fewer than 5 answers"));
    assert_non_null(strstr(r1, "Unit A: hidden (left out: fewer answers"));
    assert_non_null(strstr(r1, "Unit B: 6 response(s)"));
    assert_null(strstr(r1, "rahasia"));
    assert_null(strstr(r1, " 0:"));
    assert_non_null(strstr(c1, "1,\"all\",\"left_out\",\"4\""));
    assert_null(strstr(c1, "rahasia"));
    assert_non_null(strstr(c1, "1,\"all\",\"enps\",\"100.0\""));
    /* the dashboard: wave 1 and wave 2 (to B alone) give the same figures */
    assert_int_equal((int)num(j1, "responses"), 6);
    assert_int_equal((int)num(j1, "left_out"), 4);
    assert_true(num(j1, "response_rate") == 0.5); /* answered (10) / invited (20), as the CLI */
    assert_int_equal((int)num(j2, "responses"), 6);
    assert_int_equal((int)num(j2, "left_out"), 0);
    const cJSON *e1 = cJSON_GetObjectItemCaseSensitive(j1, "enps");
    const cJSON *e2 = cJSON_GetObjectItemCaseSensitive(j2, "enps");
    assert_true(num(e1, "score") == num(e2, "score"));
    assert_true(num(e1, "detractors") == 0 && num(e2, "detractors") == 0);
    const cJSON *q1 = question(j1, "enps"), *q2 = question(j2, "enps");
    char *s1 = cJSON_PrintUnformatted(q1), *s2 = cJSON_PrintUnformatted(q2);
    assert_string_equal(s1, s2);
    cJSON_free(s1);
    cJSON_free(s2);
    s1 = cJSON_PrintUnformatted(question(j1, "why"));
    s2 = cJSON_PrintUnformatted(question(j2, "why"));
    assert_string_equal(s1, s2);
    assert_null(strstr(s1, "rahasia"));
    cJSON_free(s1);
    cJSON_free(s2);
    cJSON_Delete(j1);
    cJSON_Delete(j2);
    free(r1);
    free(c1);
}

/* Issue 13: the dashboard said "Hidden or no answers" for the comments of a
 * wave with 12 answers. The report now lists them, sorted, for a free-text
 * question once the wave shows. */
static void test_comments_on_dashboard(void **state)
{
    struct fx *f = *state;
    int d = 0;
    int64_t w = send_wave(f, STORE_SEG_ALL, "", "all");
    for (int i = 0; i < 6; i++)
        answer(f, f->a[i], 8, i % 2 ? "beban kerja tinggi" : "atasan mendukung");
    for (int i = 0; i < 6; i++)
        answer(f, f->b[i], 7, "ruang kerja sempit");
    f->d.now += 86400;
    assert_int_equal(survey_close_wave(&f->d, w, &d), BB_OK);
    cJSON *j = admin_report(f);
    assert_int_equal((int)num(j, "responses"), 12);
    const cJSON *q = question(j, "why");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(q, "type")->valuestring, "text");
    assert_int_equal((int)num(q, "answers"), 12);
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(q, "comments");
    assert_true(cJSON_IsArray(c));
    assert_int_equal(cJSON_GetArraySize(c), 12);
    assert_string_equal(cJSON_GetArrayItem(c, 0)->valuestring, "atasan mendukung");
    assert_string_equal(cJSON_GetArrayItem(c, 3)->valuestring, "beban kerja tinggi");
    assert_string_equal(cJSON_GetArrayItem(c, 11)->valuestring, "ruang kerja sempit");
    /* the eNPS question carries counts, not comments */
    assert_null(cJSON_GetObjectItemCaseSensitive(question(j, "enps"), "comments"));
    cJSON_Delete(j);
}

TFX_MAIN(TFX_TEST(test_open_wave_moves_in_steps), TFX_TEST(test_complement_across_waves),
         TFX_TEST(test_comments_on_dashboard))
