/* test_store_learning.c - unit tests of store/store_learning.c: the
 * competency profile (levels checked, corrected in place, raised by a
 * finished item and capped at 4), the learning plan (one item in progress,
 * a retired or unknown item refused, done needs a rating), and both tables
 * in a person's export, the development category and forget. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "store/store.h"
#include "store/store_learning.h"
#include "tests/lib/fixture.h"

struct fx {
    TFX_STORE_FIELDS;
    int64_t ayu;
};

#define INIT(f)                                                                                    \
    ((f)->ayu = tfx_person_in((f)->st, "198501012010012001", "Ayu", "Biro SDM", "employee"))
TFX_STORE_SETUP_INIT(fx, setup, INIT)
TFX_STORE_TEARDOWN(fx, teardown)

#define NOW 1796000000

static void add_item(struct store *st, const char *id, const char *comps)
{
    struct store_learn_item it;
    memset(&it, 0, sizeof(it));
    bb_strlcpy(it.id, id, sizeof(it.id));
    bb_strlcpy(it.title, "Judul", sizeof(it.title));
    bb_strlcpy(it.provider, "Penyedia", sizeof(it.provider));
    bb_strlcpy(it.modality, "e-learning", sizeof(it.modality));
    it.jp = 4;
    bb_strlcpy(it.competencies, comps, sizeof(it.competencies));
    bb_strlcpy(it.level, "dasar", sizeof(it.level));
    bb_strlcpy(it.lang, "id", sizeof(it.lang));
    assert_int_equal(store_learning_item_put(st, &it, NOW, NULL), BB_OK);
}

static void test_profile(void **state)
{
    struct fx *f = *state;
    struct store_learn_need nd[4];
    int n = 0;
    assert_int_equal(store_learning_need_set(f->st, f->ayu, "komunikasi", 0, 3, "self", NOW),
                     BB_EINVAL);
    assert_int_equal(store_learning_need_set(f->st, f->ayu, "komunikasi", 2, 5, "self", NOW),
                     BB_EINVAL);
    assert_int_equal(store_learning_need_set(f->st, f->ayu, "", 2, 3, "self", NOW), BB_EINVAL);
    assert_int_equal(store_learning_need_set(f->st, f->ayu, "komunikasi", 2, 3, "self", NOW),
                     BB_OK);
    assert_int_equal(store_learning_need_set(f->st, f->ayu, "analisis data", 3, 4, "self", NOW),
                     BB_OK);
    /* corrected in place */
    assert_int_equal(store_learning_need_set(f->st, f->ayu, "komunikasi", 1, 3, "self", NOW),
                     BB_OK);
    assert_int_equal(store_learning_needs(f->st, f->ayu, nd, 4, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_string_equal(nd[0].comp, "analisis data");
    assert_int_equal(nd[1].current, 1);
    /* raised: 3 -> 4 with the target; 4 stays 4; unknown: nothing */
    assert_int_equal(store_learning_need_raise(f->st, f->ayu, "analisis data", NOW + 50), BB_OK);
    assert_int_equal(store_learning_need_raise(f->st, f->ayu, "analisis data", NOW + 60), BB_OK);
    assert_int_equal(store_learning_need_raise(f->st, f->ayu, "lain", NOW), BB_OK);
    assert_int_equal(store_learning_needs(f->st, f->ayu, nd, 4, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(nd[0].current, 4);
    /* the six-monthly revisit counts from the person's own rating */
    int64_t at = -1;
    assert_int_equal(store_learning_rated_at(f->st, f->ayu, &at), BB_OK);
    assert_int_equal(at, NOW);
    assert_int_equal(store_learning_rated_at(f->st, f->ayu + 1, &at), BB_OK);
    assert_int_equal(at, 0);
    assert_int_equal(nd[0].target, 4);
    assert_string_equal(nd[0].source, "learning");
}

static void test_plan(void **state)
{
    struct fx *f = *state;
    struct store_learn_plan cur, h[4];
    int n = 0;
    add_item(f->st, "a-1", "komunikasi");
    add_item(f->st, "b-2", "integritas;jejaring");
    assert_int_equal(store_learning_plan_current(f->st, f->ayu, &cur), BB_ENOTFOUND);
    assert_int_equal(store_learning_plan_start(f->st, f->ayu, "zzz", NOW), BB_ENOTFOUND);
    assert_int_equal(store_learning_item_retire(f->st, "b-2", NOW), BB_OK);
    assert_int_equal(store_learning_plan_start(f->st, f->ayu, "b-2", NOW), BB_ENOTFOUND);
    assert_int_equal(store_learning_plan_start(f->st, f->ayu, "a-1", NOW), BB_OK);
    assert_int_equal(store_learning_plan_start(f->st, f->ayu, "a-1", NOW), BB_EEXIST);
    assert_int_equal(store_learning_plan_current(f->st, f->ayu, &cur), BB_OK);
    assert_string_equal(cur.item_id, "a-1");
    assert_string_equal(cur.competencies, "komunikasi");
    assert_int_equal(cur.jp, 4);
    assert_int_equal(store_learning_plan_end(f->st, cur.id, "done", 0, "x", NOW), BB_EINVAL);
    assert_int_equal(store_learning_plan_end(f->st, cur.id, "gone", 3, "x", NOW), BB_EINVAL);
    assert_int_equal(store_learning_plan_end(f->st, cur.id, "done", 4, "rapat", NOW + 60), BB_OK);
    /* ended once only */
    assert_int_equal(store_learning_plan_end(f->st, cur.id, "dropped", 0, "", NOW), BB_ENOTFOUND);
    assert_int_equal(store_learning_plan_current(f->st, f->ayu, &cur), BB_ENOTFOUND);
    assert_int_equal(store_learning_history(f->st, f->ayu, NOW - 10, h, 4, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(h[0].state, "done");
    assert_int_equal(h[0].rating, 4);
    assert_int_equal(store_learning_history(f->st, f->ayu, NOW + 10, h, 4, &n), BB_OK);
    assert_int_equal(n, 0);
}

static void test_personal_data(void **state)
{
    struct fx *f = *state;
    cJSON *ex = NULL;
    int64_t c = 0;
    add_item(f->st, "a-1", "komunikasi");
    assert_int_equal(store_learning_need_set(f->st, f->ayu, "komunikasi", 2, 3, "self", NOW),
                     BB_OK);
    assert_int_equal(store_learning_plan_start(f->st, f->ayu, "a-1", NOW), BB_OK);
    assert_int_equal(store_person_export(f->st, f->ayu, &ex), BB_OK);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ex, "learning_profile")), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ex, "learning_plan")), 1);
    cJSON_Delete(ex);
    assert_int_equal(store_category_count(f->st, f->ayu, "development", &c), BB_OK);
    assert_int_equal(c, 2);
    assert_int_equal(store_begin(f->st), BB_OK);
    assert_int_equal(store_category_erase(f->st, f->ayu, "development", &c), BB_OK);
    assert_int_equal(store_commit(f->st), BB_OK);
    assert_int_equal(c, 2);
    assert_int_equal(store_category_count(f->st, f->ayu, "development", &c), BB_OK);
    assert_int_equal(c, 0);
    /* forget: the rows go with the person; the catalogue stays */
    assert_int_equal(store_learning_need_set(f->st, f->ayu, "komunikasi", 2, 3, "self", NOW),
                     BB_OK);
    assert_int_equal(store_person_forget(f->st, f->ayu, NOW, NULL), BB_OK);
    struct store_learn_need nd[2];
    int n = 5;
    assert_int_equal(store_learning_needs(f->st, f->ayu, nd, 2, &n), BB_OK);
    assert_int_equal(n, 0);
    struct store_learn_item it;
    assert_int_equal(store_learning_item_get(f->st, "a-1", &it), BB_OK);
}

TFX_MAIN(TFX_TEST(test_profile), TFX_TEST(test_plan), TFX_TEST(test_personal_data))
