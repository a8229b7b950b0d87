/* test_learn_report.c - unit tests of bot/domain/learning/learn_report.c,
 * HR's learning report: hand-counted needs per unit and competency with
 * the pool of small units, the k suppression boundary (k - 1 pooled or
 * suppressed, k shown), catalogue gaps (retired items do not cover a
 * need; suppressed needs count nowhere), completion and JP per unit
 * (this year only, median, share at 20 JP), deactivated people left out,
 * one unit asked for, and the CSV and JSON of the same figures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/domain/learning/learn.h"
#include "bot/domain/learning/learn_report.h"
#include "store/store_coaching.h"
#include "store/store_learning.h"
#include "store/store_people_admin.h"
#include "tests/lib/fixture.h"

struct fx {
    TFX_STORE_FIELDS;
    int64_t a[5], b[3], c[2], n1;
};

/* 2026-11-30 00:53 UTC: the year is 2026 (WIB). */
#define NOW       1796000000
#define YEAR_T0   1767200400 /* 2026-01-01 00:00 WIB */
#define LAST_YEAR (YEAR_T0 - 86400)

static void need(struct store *st, int64_t id, const char *comp, int cur, int target)
{
    assert_int_equal(store_learning_need_set(st, id, comp, cur, target, "self", NOW), BB_OK);
}

static void jp(struct store *st, int64_t id, const char *day, int minutes)
{
    assert_int_equal(
        store_coaching_learning_add(st, id, NOW, day, "kursus", "elearning", minutes, NULL), BB_OK);
}

/* A plan row for the person, ended with state at `at` (NULL: left started). */
static void plan(struct store *st, int64_t id, const char *state, int64_t at)
{
    struct store_learn_plan cur;
    assert_int_equal(store_learning_plan_start(st, id, "el-data", at - 3600), BB_OK);
    if (!state)
        return;
    assert_int_equal(store_learning_plan_current(st, id, &cur), BB_OK);
    assert_int_equal(store_learning_plan_end(st, cur.id, state, 4, "x", at), BB_OK);
}

static void seed(struct fx *f)
{
    struct store *st = f->st;
    struct learn_import_report rep;
    const char *csv =
        "id,title,provider,modality,jp,competencies,level,language\n"
        "el-data,Analisis Data Dasar,Platform,e-learning,8,analisis data;statistik,dasar,id\n"
        "el-int,Integritas ASN,Platform,e-learning,4,integritas,dasar,id\n"
        "kl-lead,Kepemimpinan Pengawas,Pusat,klasikal,24,kepemimpinan,menengah,id\n";
    char nip[32];
    assert_int_equal(learn_catalog_import_mem(st, csv, strlen(csv), NOW, &rep), BB_OK);
    assert_int_equal(store_learning_item_retire(st, "kl-lead", NOW), BB_OK);
    for (int i = 0; i < 5; i++) {
        bb_snprintf(nip, sizeof(nip), "19900101201501100%d", i);
        f->a[i] = tfx_person_in(st, nip, "A", "Unit A", NULL);
    }
    for (int i = 0; i < 3; i++) {
        bb_snprintf(nip, sizeof(nip), "19900101201501200%d", i);
        f->b[i] = tfx_person_in(st, nip, "B", "Unit B", NULL);
    }
    for (int i = 0; i < 2; i++) {
        bb_snprintf(nip, sizeof(nip), "19900101201501300%d", i);
        f->c[i] = tfx_person_in(st, nip, "C", "Unit C", NULL);
    }
    f->n1 = tfx_person_in(st, "199001012015014000", "N", "", NULL);

    /* analisis data: Unit A 3 people (k: shown, gaps 2+1+3); Unit B 2 and
     * Unit C 1 (each under k: pooled, 3 together: shown, gaps 1+2+1) */
    need(st, f->a[0], "analisis data", 1, 3);
    need(st, f->a[1], "analisis data", 2, 3);
    need(st, f->a[2], "analisis data", 1, 4);
    need(st, f->b[0], "analisis data", 1, 2);
    need(st, f->b[1], "analisis data", 2, 4);
    need(st, f->c[0], "analisis data", 1, 2);
    /* integritas: Unit B 3 people, offered: no gap */
    for (int i = 0; i < 3; i++)
        need(st, f->b[i], "integritas", 2, 3);
    /* kepemimpinan: Unit A 3 people, only a retired item: a gap */
    for (int i = 0; i < 3; i++)
        need(st, f->a[i], "kepemimpinan", 1, 2);
    /* komunikasi: Unit A 1 and Unit B 1 (pool of 2, under k: suppressed);
     * a[3] at target (no need); a[4] is deactivated below */
    need(st, f->a[0], "komunikasi", 2, 3);
    need(st, f->b[0], "komunikasi", 1, 2);
    need(st, f->a[3], "komunikasi", 3, 3);
    need(st, f->a[4], "komunikasi", 1, 4);

    /* JP this year: Unit A 900, 450, 0, 1000 (+900 last year) */
    jp(st, f->a[0], "2026-03-02", 900);
    jp(st, f->a[1], "2026-05-04", 450);
    jp(st, f->a[3], "2026-06-01", 1000);
    jp(st, f->a[3], "2025-12-31", 900);
    jp(st, f->a[4], "2026-06-01", 1000);
    jp(st, f->b[0], "2026-02-02", 300);
    jp(st, f->c[0], "2026-02-02", 900);
    /* plans: a0 in progress, a1 done, a2 dropped this year, a3 done last year */
    plan(st, f->a[0], NULL, NOW);
    plan(st, f->a[1], "done", NOW - 86400);
    plan(st, f->a[2], "dropped", YEAR_T0);
    plan(st, f->a[3], "done", YEAR_T0 - 1);
    assert_int_equal(store_person_deactivate(st, f->a[4], NULL, 0, "test", NOW, NULL), BB_OK);
}

static int setup(void **state)
{
    struct fx *f = tfx_calloc(sizeof(*f));
    tfx_store_open(f, "report.db");
    seed(f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    tfx_store_close(f);
    free(f);
    return 0;
}

static void expect_need(const struct learn_need_row *x, const char *comp, const char *unit,
                        int other, int suppressed, int64_t people, int64_t gap_sum)
{
    assert_string_equal(x->comp, comp);
    assert_string_equal(x->unit, unit);
    assert_int_equal(x->other, other);
    assert_int_equal(x->suppressed, suppressed);
    assert_int_equal(x->people, people);
    assert_int_equal(x->gap_sum, gap_sum);
}

static void test_needs_and_gaps(void **state)
{
    struct fx *f = *state;
    struct learn_report r;
    assert_int_equal(learn_report_build(f->st, 3, NOW, NULL, &r), BB_OK);
    assert_int_equal(r.year, 2026);
    assert_int_equal(r.nneeds, 5);
    expect_need(&r.needs[0], "analisis data", "Unit A", 0, 0, 3, 6);
    expect_need(&r.needs[1], "analisis data", "", 1, 0, 3, 4);
    expect_need(&r.needs[2], "integritas", "Unit B", 0, 0, 3, 3);
    expect_need(&r.needs[3], "kepemimpinan", "Unit A", 0, 0, 3, 3);
    expect_need(&r.needs[4], "komunikasi", "", 1, 1, 0, 0);
    /* the gap: kepemimpinan (its only item is retired); komunikasi has
     * no item either, but its need is suppressed, so it counts nowhere */
    assert_int_equal(r.ngaps, 1);
    assert_string_equal(r.gaps[0].comp, "kepemimpinan");
    assert_int_equal(r.gaps[0].people, 3);
    assert_int_equal(r.gaps[0].gap_sum, 3);
    learn_report_free(&r);
}

/* k = 4: Unit A's 3 now pool with the others (k - 1 is not shown). */
static void test_boundary(void **state)
{
    struct fx *f = *state;
    struct learn_report r;
    assert_int_equal(learn_report_build(f->st, 4, NOW, NULL, &r), BB_OK);
    assert_int_equal(r.nneeds, 4);
    expect_need(&r.needs[0], "analisis data", "", 1, 0, 6, 10);
    expect_need(&r.needs[1], "integritas", "", 1, 1, 0, 0);
    expect_need(&r.needs[2], "kepemimpinan", "", 1, 1, 0, 0);
    expect_need(&r.needs[3], "komunikasi", "", 1, 1, 0, 0);
    assert_int_equal(r.ngaps, 0);
    /* progress: Unit A (4 people) is shown at k = 4; B, C and no unit pool */
    assert_int_equal(r.nunits, 2);
    assert_string_equal(r.units[0].unit, "Unit A");
    assert_false(r.units[0].suppressed);
    assert_true(r.units[1].other);
    assert_int_equal(r.units[1].people, 6);
    learn_report_free(&r);
    /* k = 5: Unit A's 4 are pooled too; the pool of 10 is shown */
    assert_int_equal(learn_report_build(f->st, 5, NOW, NULL, &r), BB_OK);
    assert_int_equal(r.nunits, 1);
    assert_true(r.units[0].other);
    assert_int_equal(r.units[0].people, 10);
    learn_report_free(&r);
}

static void test_progress(void **state)
{
    struct fx *f = *state;
    struct learn_report r;
    assert_int_equal(learn_report_build(f->st, 3, NOW, NULL, &r), BB_OK);
    assert_int_equal(r.nunits, 3);
    /* Unit A: 4 active people (the deactivated fifth is left out) */
    const struct learn_unit_row *a = &r.units[0];
    assert_string_equal(a->unit, "Unit A");
    assert_int_equal(a->people, 4);
    assert_int_equal(a->in_progress, 1);
    assert_int_equal(a->done, 1); /* a3's done last year does not count */
    assert_int_equal(a->dropped, 1);
    assert_int_equal(a->at20, 2);          /* 900 and 1000 minutes */
    assert_int_equal(a->median_jp10, 150); /* (450 + 900) / 2 = 675 min = 15.0 JP */
    /* Unit B: 3 people (k): 300, 0, 0 minutes */
    const struct learn_unit_row *b = &r.units[1];
    assert_string_equal(b->unit, "Unit B");
    assert_false(b->suppressed);
    assert_int_equal(b->people, 3);
    assert_int_equal(b->at20, 0);
    assert_int_equal(b->median_jp10, 0);
    /* Unit C (2, k - 1) and the person without a unit: pooled, 3 */
    const struct learn_unit_row *o = &r.units[2];
    assert_true(o->other);
    assert_false(o->suppressed);
    assert_int_equal(o->people, 3);
    assert_int_equal(o->at20, 1);
    assert_int_equal(o->median_jp10, 0);
    learn_report_free(&r);
}

static void test_one_unit(void **state)
{
    struct fx *f = *state;
    struct learn_report r;
    assert_int_equal(learn_report_build(f->st, 3, NOW, "Unit B", &r), BB_OK);
    assert_int_equal(r.nneeds, 3);
    expect_need(&r.needs[0], "analisis data", "Unit B", 0, 1, 0, 0);
    expect_need(&r.needs[1], "integritas", "Unit B", 0, 0, 3, 3);
    expect_need(&r.needs[2], "komunikasi", "Unit B", 0, 1, 0, 0);
    assert_int_equal(r.ngaps, 0);
    assert_int_equal(r.nunits, 1);
    assert_int_equal(r.units[0].people, 3);
    learn_report_free(&r);
    /* Unit C has 2 people: its progress row is suppressed, by name */
    assert_int_equal(learn_report_build(f->st, 3, NOW, "Unit C", &r), BB_OK);
    assert_int_equal(r.nunits, 1);
    assert_string_equal(r.units[0].unit, "Unit C");
    assert_true(r.units[0].suppressed);
    assert_int_equal(r.units[0].people, 0);
    assert_int_equal(r.units[0].at20, 0);
    assert_int_equal(r.units[0].median_jp10, 0);
    learn_report_free(&r);
}

static void test_csv_and_json(void **state)
{
    struct fx *f = *state;
    struct learn_report r;
    char *csv = NULL, *js;
    size_t len = 0;
    cJSON *o = NULL;
    assert_int_equal(learn_report_build(f->st, 3, NOW, NULL, &r), BB_OK);
    assert_int_equal(learn_report_csv(&r, LEARN_T_GAPS, &csv, &len), BB_OK);
    assert_string_equal(csv, "competency,people,mean_gap\r\n\"kepemimpinan\",\"3\",\"1.0\"\r\n");
    assert_int_equal(len, strlen(csv));
    free(csv);
    assert_int_equal(learn_report_csv(&r, LEARN_T_NEEDS, &csv, &len), BB_OK);
    assert_non_null(strstr(csv, "unit,competency,people,mean_gap,suppressed\r\n"
                                "\"Unit A\",\"analisis data\",\"3\",\"2.0\",\"0\"\r\n"
                                "\"(other units)\",\"analisis data\",\"3\",\"1.3\",\"0\"\r\n"));
    assert_non_null(strstr(csv, "\"(other units)\",\"komunikasi\",,,\"1\"\r\n"));
    free(csv);
    assert_int_equal(learn_report_csv(&r, LEARN_T_PROGRESS, &csv, &len), BB_OK);
    assert_non_null(strstr(csv, "unit,people,in_progress,done,dropped,at_20jp_pct,median_jp,"
                                "suppressed\r\n\"Unit A\",\"4\",\"1\",\"1\",\"1\",\"50\",\"15.0\","
                                "\"0\"\r\n"));
    assert_non_null(strstr(csv, "\"(other units)\",\"3\",\"0\",\"0\",\"0\",\"33\",\"0.0\",\"0\""));
    free(csv);
    assert_int_equal(learn_report_csv(&r, LEARN_T_ALL, &csv, &len), BB_OK);
    assert_non_null(strstr(csv, "table,unit,competency,people,mean_gap,in_progress,done,dropped,"
                                "at_20jp_pct,median_jp,suppressed\r\n"));
    assert_non_null(strstr(csv, "\"gaps\",,\"kepemimpinan\",\"3\",\"1.0\",,,,,,\r\n"));
    free(csv);
    assert_int_equal(learn_report_csv(&r, 0, &csv, &len), BB_EINVAL);

    assert_int_equal(learn_report_json(&r, &o), BB_OK);
    js = cJSON_PrintUnformatted(o);
    assert_non_null(strstr(js, "{\"unit\":null,\"other_units\":true,\"competency\":\"komunikasi\","
                               "\"suppressed\":true}"));
    assert_non_null(strstr(js, "\"gaps\":[{\"competency\":\"kepemimpinan\",\"people\":3,"
                               "\"mean_gap\":1}]"));
    assert_non_null(strstr(js, "{\"unit\":\"Unit A\",\"other_units\":false,\"suppressed\":false,"
                               "\"people\":4,\"in_progress\":1,\"done\":1,\"dropped\":1,"
                               "\"at_20jp_pct\":50,\"median_jp\":15}"));
    free(js);
    cJSON_Delete(o);
    learn_report_free(&r);
}

static void test_empty(void **state)
{
    struct fx *f = *state;
    struct learn_report r;
    (void)f;
    struct store *st = NULL;
    char dir[TFX_DIR_MAX], path[TFX_PATH_MAX];
    tfx_store_open_at(dir, path, &st, "empty.db");
    assert_int_equal(learn_report_build(st, 3, NOW, NULL, &r), BB_OK);
    assert_int_equal(r.nneeds + r.ngaps + r.nunits, 0);
    learn_report_free(&r);
    assert_int_equal(learn_report_build(st, 0, NOW, NULL, &r), BB_EINVAL);
    learn_report_free(&r);
    tfx_store_close_at(dir, st);
}

TFX_MAIN(TFX_TEST(test_needs_and_gaps), TFX_TEST(test_boundary), TFX_TEST(test_progress),
         TFX_TEST(test_one_unit), TFX_TEST(test_csv_and_json), TFX_TEST(test_empty))
