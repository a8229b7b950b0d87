/* test_store_learning.c - unit tests of store/store_learning.c: the
 * competency profile (levels checked, corrected in place, raised by a
 * finished item and capped at 4), the learning plan (one item in progress,
 * a retired or unknown item refused, done needs a rating), seeding (never
 * over the person's own level, another source's or learning's; the same
 * source updates; only open goals and requests, each value's latest
 * reflection), preferences, and the tables in a person's export, the
 * development category and forget; a colleague who agreed to be asked
 * (only a competency rated 3 or more, never the asker, only opted in,
 * active, linked and consenting, same unit first, one request per pair a
 * week, at most 3 a week per colleague, an answer only by that colleague
 * while open). */
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
#include "store/store_coaching.h"
#include "store/store_int.h"
#include "store/store_learning.h"
#include "store/store_people_admin.h"
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

static void test_seed(void **state)
{
    struct fx *f = *state;
    struct store_learn_need nd[4];
    int n = 0;
    assert_int_equal(store_learning_need_seed(f->st, f->ayu, "x", 0, 3, "goal", 1, NOW), BB_EINVAL);
    assert_int_equal(store_learning_need_seed(f->st, f->ayu, "x", 1, 3, "", 1, NOW), BB_EINVAL);
    /* not there and not to be added: nothing */
    assert_int_equal(
        store_learning_need_seed(f->st, f->ayu, "pelayanan", 2, 3, "reflection", 0, NOW), BB_OK);
    assert_int_equal(store_learning_needs(f->st, f->ayu, nd, 4, &n), BB_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_learning_need_set(f->st, f->ayu, "komunikasi", 2, 4, "self", NOW),
                     BB_OK);
    /* the person's own level stays */
    assert_int_equal(
        store_learning_need_seed(f->st, f->ayu, "komunikasi", 1, 3, "goal", 1, NOW + 1), BB_OK);
    /* a new row; then another source leaves it, the same source updates it */
    assert_int_equal(
        store_learning_need_seed(f->st, f->ayu, "pelayanan", 1, 3, "reflection", 1, NOW + 1),
        BB_OK);
    assert_int_equal(
        store_learning_need_seed(f->st, f->ayu, "pelayanan", 3, 3, "csv_strength", 1, NOW + 2),
        BB_OK);
    assert_int_equal(store_learning_needs(f->st, f->ayu, nd, 4, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_string_equal(nd[0].comp, "komunikasi");
    assert_int_equal(nd[0].current, 2);
    assert_int_equal(nd[0].target, 4);
    assert_string_equal(nd[0].source, "self");
    assert_string_equal(nd[1].comp, "pelayanan");
    assert_int_equal(nd[1].current, 1);
    assert_string_equal(nd[1].source, "reflection");
    assert_int_equal(
        store_learning_need_seed(f->st, f->ayu, "pelayanan", 3, 3, "reflection", 0, NOW + 3),
        BB_OK);
    assert_int_equal(store_learning_needs(f->st, f->ayu, nd, 4, &n), BB_OK);
    assert_int_equal(nd[1].current, 3);
    assert_int_equal(nd[1].updated_at, NOW + 3);
    /* a finished item moved it: no seed changes it any more */
    assert_int_equal(store_learning_need_raise(f->st, f->ayu, "pelayanan", NOW + 4), BB_OK);
    assert_int_equal(
        store_learning_need_seed(f->st, f->ayu, "pelayanan", 1, 3, "reflection", 1, NOW + 5),
        BB_OK);
    assert_int_equal(store_learning_needs(f->st, f->ayu, nd, 4, &n), BB_OK);
    assert_int_equal(nd[1].current, 4);
    assert_string_equal(nd[1].source, "learning");
    /* seeds never count as the person's rating (the six-monthly revisit) */
    int64_t at = 0;
    assert_int_equal(store_learning_rated_at(f->st, f->ayu, &at), BB_OK);
    assert_int_equal(at, NOW);
    /* a full profile: a seed is skipped, not an error */
    for (int i = 0; i < STORE_LEARN_NEEDS_MAX; i++) {
        char c[16];
        bb_snprintf(c, sizeof(c), "k%d", i);
        store_learning_need_set(f->st, f->ayu, c, 1, 2, "self", NOW);
    }
    assert_int_equal(store_learning_need_seed(f->st, f->ayu, "baru", 1, 3, "goal", 1, NOW), BB_OK);
    struct store_learn_need all[STORE_LEARN_NEEDS_MAX + 1];
    assert_int_equal(store_learning_needs(f->st, f->ayu, all, STORE_LEARN_NEEDS_MAX + 1, &n),
                     BB_OK);
    assert_int_equal(n, STORE_LEARN_NEEDS_MAX);
}

static void test_seed_sources(void **state)
{
    struct fx *f = *state;
    struct store_learn_seed sd[8];
    int64_t g1 = 0, g2 = 0, req = 0;
    int n = 0;
    assert_int_equal(store_learning_seeds(f->st, f->ayu, sd, 8, &n), BB_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_coaching_goal_add(f->st, f->ayu, NOW, "teknis", "Analisis Data",
                                             "dasbor kinerja", "2027-03-31", &g1),
                     BB_OK);
    assert_int_equal(store_coaching_goal_add(f->st, f->ayu, NOW, "manajerial", "kepemimpinan",
                                             "memimpin rapat", "2027-03-31", &g2),
                     BB_OK);
    assert_int_equal(store_coaching_mentor_request(f->st, f->ayu, "kepemimpinan, public speaking",
                                                   "sabar", NOW, &req),
                     BB_OK);
    /* two reflections on one value: the latest counts */
    assert_int_equal(store_coaching_reflection_add(f->st, f->ayu, NOW, "2026-W47", "adaptif", 2,
                                                   "contoh satu", NULL),
                     BB_OK);
    assert_int_equal(store_coaching_reflection_add(f->st, f->ayu, NOW + 7, "2026-W48", "adaptif", 4,
                                                   "contoh dua", NULL),
                     BB_OK);
    assert_int_equal(store_coaching_reflection_add(f->st, f->ayu, NOW, "2026-W47", "loyal", 1,
                                                   "contoh tiga", NULL),
                     BB_OK);
    /* a goal done and a request matched are no longer read */
    assert_int_equal(store_q_exec(f->st, "UPDATE dev_goals SET status = 'done' WHERE id = ?1",
                                  STORE_ARGS(store_int(g2)), NULL),
                     BB_OK);
    assert_int_equal(store_learning_seeds(f->st, f->ayu, sd, 8, &n), BB_OK);
    assert_int_equal(n, 4);
    assert_string_equal(sd[0].source, "goal");
    assert_string_equal(sd[0].text, "Analisis Data");
    assert_string_equal(sd[1].source, "mentor");
    assert_string_equal(sd[1].text, "kepemimpinan, public speaking");
    assert_string_equal(sd[2].source, "reflection");
    assert_string_equal(sd[2].text, "adaptif");
    assert_int_equal(sd[2].rating, 4);
    assert_string_equal(sd[3].text, "loyal");
    assert_int_equal(sd[3].rating, 1);
    assert_int_equal(store_coaching_mentor_request_set_status(f->st, req, "matched", NOW), BB_OK);
    assert_int_equal(store_learning_seeds(f->st, f->ayu, sd, 8, &n), BB_OK);
    assert_int_equal(n, 3);
    assert_string_equal(sd[1].source, "reflection");
}

static void test_prefs(void **state)
{
    struct fx *f = *state;
    struct store_learn_prefs pf;
    assert_int_equal(store_learning_prefs_get(f->st, f->ayu, &pf), BB_ENOTFOUND);
    assert_int_equal(store_learning_prefs_set(f->st, f->ayu, "e-learning", 201, NOW), BB_EINVAL);
    assert_int_equal(store_learning_prefs_set(f->st, f->ayu, "e-learning", -1, NOW), BB_EINVAL);
    assert_int_equal(store_learning_prefs_get(f->st, f->ayu, &pf), BB_ENOTFOUND);
    assert_int_equal(store_learning_prefs_set(f->st, f->ayu, "e-learning", 8, NOW), BB_OK);
    assert_int_equal(store_learning_prefs_get(f->st, f->ayu, &pf), BB_OK);
    assert_string_equal(pf.modality, "e-learning");
    assert_int_equal(pf.max_jp, 8);
    /* changeable: no preference, no limit */
    assert_int_equal(store_learning_prefs_set(f->st, f->ayu, "", 0, NOW + 1), BB_OK);
    assert_int_equal(store_learning_prefs_get(f->st, f->ayu, &pf), BB_OK);
    assert_string_equal(pf.modality, "");
    assert_int_equal(pf.max_jp, 0);
    assert_int_equal(pf.updated_at, NOW + 1);
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
    assert_int_equal(store_learning_prefs_set(f->st, f->ayu, "klasikal", 20, NOW), BB_OK);
    assert_int_equal(store_person_export(f->st, f->ayu, &ex), BB_OK);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ex, "learning_profile")), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ex, "learning_plan")), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ex, "learning_prefs")), 1);
    cJSON_Delete(ex);
    assert_int_equal(store_category_count(f->st, f->ayu, "development", &c), BB_OK);
    assert_int_equal(c, 3);
    assert_int_equal(store_begin(f->st), BB_OK);
    assert_int_equal(store_category_erase(f->st, f->ayu, "development", &c), BB_OK);
    assert_int_equal(store_commit(f->st), BB_OK);
    assert_int_equal(c, 3);
    assert_int_equal(store_category_count(f->st, f->ayu, "development", &c), BB_OK);
    assert_int_equal(c, 0);
    /* forget: the rows go with the person; the catalogue stays */
    assert_int_equal(store_learning_need_set(f->st, f->ayu, "komunikasi", 2, 3, "self", NOW),
                     BB_OK);
    assert_int_equal(store_learning_prefs_set(f->st, f->ayu, "klasikal", 20, NOW), BB_OK);
    assert_int_equal(store_person_forget(f->st, f->ayu, NOW, NULL), BB_OK);
    struct store_learn_prefs pf;
    assert_int_equal(store_learning_prefs_get(f->st, f->ayu, &pf), BB_ENOTFOUND);
    struct store_learn_need nd[2];
    int n = 5;
    assert_int_equal(store_learning_needs(f->st, f->ayu, nd, 2, &n), BB_OK);
    assert_int_equal(n, 0);
    struct store_learn_item it;
    assert_int_equal(store_learning_item_get(f->st, "a-1", &it), BB_OK);
}

/* A colleague who can be offered: in a unit, coaching-data consent, a
 * chat, and comp rated `lvl`. */
static int64_t colleague(struct store *st, const char *nip, const char *name, const char *unit,
                         const char *comp, int lvl)
{
    int64_t id = tfx_person_in(st, nip, name, unit, "employee");
    assert_int_equal(store_consent_set(st, id, "data", 1, NOW - 100), BB_OK);
    assert_int_equal(store_identity_link(st, "console", nip, id, NOW - 100), BB_OK);
    assert_int_equal(store_learning_need_set(st, id, comp, lvl, 4, "self", NOW - 100), BB_OK);
    return id;
}

static int offered(struct store *st, int64_t asker, int64_t now, struct store_learn_colleague *c,
                   int max)
{
    int n = -1;
    assert_int_equal(store_learning_colleagues(st, asker, "Biro SDM", now, c, max, &n), BB_OK);
    return n;
}

static void test_colleague_optin(void **state)
{
    struct fx *f = *state;
    struct store_learn_colleague c[8];
    char on[4][64];
    int n = -1;
    int64_t putri =
        colleague(f->st, "199512122020122011", "Putri Maharani", "Biro SDM", "negosiasi", 4);
    int64_t dewi = colleague(f->st, "199107072017012009", "Dewi", "Bappeda", "negosiasi", 2);
    assert_int_equal(store_consent_set(f->st, f->ayu, "data", 1, NOW - 100), BB_OK);
    assert_int_equal(store_identity_link(f->st, "console", "ayu", f->ayu, NOW - 100), BB_OK);
    /* a competency rated below 3, or not in the profile: refused, nothing stored */
    assert_int_equal(store_learning_askable_set(f->st, dewi, "negosiasi", 1, NOW), BB_EINVAL);
    assert_int_equal(store_learning_askable_set(f->st, putri, "statistik", 1, NOW), BB_EINVAL);
    assert_int_equal(store_learning_askable(f->st, dewi, on, 4, &n), BB_OK);
    assert_int_equal(n, 0);
    /* nobody opted in: nobody offered */
    assert_int_equal(offered(f->st, f->ayu, NOW, c, 8), 0);
    assert_int_equal(store_learning_askable_set(f->st, putri, "negosiasi", 1, NOW), BB_OK);
    assert_int_equal(store_learning_askable_set(f->st, putri, "negosiasi", 1, NOW), BB_OK);
    assert_int_equal(store_learning_askable(f->st, putri, on, 4, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(offered(f->st, f->ayu, NOW, c, 8), 1);
    assert_int_equal(c[0].person_id, putri);
    assert_string_equal(c[0].comp, "negosiasi");
    assert_string_equal(c[0].unit, "Biro SDM");
    assert_int_equal(c[0].same_unit, 1);
    /* never the person themselves */
    assert_int_equal(offered(f->st, putri, NOW, c, 8), 0);
    /* her rating falls below 3: no longer offered */
    assert_int_equal(store_learning_need_set(f->st, putri, "negosiasi", 2, 4, "self", NOW), BB_OK);
    assert_int_equal(offered(f->st, f->ayu, NOW, c, 8), 0);
    assert_int_equal(store_learning_need_set(f->st, putri, "negosiasi", 3, 4, "self", NOW), BB_OK);
    assert_int_equal(offered(f->st, f->ayu, NOW, c, 8), 1);
    /* coaching-data consent withdrawn: not offered */
    assert_int_equal(store_consent_set(f->st, putri, "data", 0, NOW), BB_OK);
    assert_int_equal(offered(f->st, f->ayu, NOW, c, 8), 0);
    assert_int_equal(store_consent_set(f->st, putri, "data", 1, NOW), BB_OK);
    assert_int_equal(offered(f->st, f->ayu, NOW, c, 8), 1);
    /* another unit's colleague comes after the asker's own unit */
    assert_int_equal(store_learning_need_set(f->st, dewi, "negosiasi", 4, 4, "self", NOW), BB_OK);
    assert_int_equal(store_learning_askable_set(f->st, dewi, "negosiasi", 1, NOW), BB_OK);
    assert_int_equal(offered(f->st, f->ayu, NOW, c, 8), 2);
    assert_int_equal(c[0].person_id, putri);
    assert_int_equal(c[1].person_id, dewi);
    assert_int_equal(c[1].same_unit, 0);
    /* withdrawn: gone at once */
    assert_int_equal(store_learning_askable_set(f->st, putri, "negosiasi", 0, NOW), BB_OK);
    assert_int_equal(offered(f->st, f->ayu, NOW, c, 8), 1);
    assert_int_equal(c[0].person_id, dewi);
    /* deactivated: not offered */
    assert_int_equal(store_person_deactivate(f->st, dewi, NULL, 0, "test", NOW, NULL), BB_OK);
    assert_int_equal(offered(f->st, f->ayu, NOW, c, 8), 0);
}

static void test_colleague_limits(void **state)
{
    struct fx *f = *state;
    struct store_learn_colleague c[4];
    struct store_learn_ask a;
    int64_t id = 0, id2 = 0, asker[5];
    int64_t putri =
        colleague(f->st, "199512122020122011", "Putri Maharani", "Biro SDM", "negosiasi", 4);
    const char *nips[5] = {"100000000000000001", "100000000000000002", "100000000000000003",
                           "100000000000000004", "100000000000000005"};
    for (int i = 0; i < 5; i++)
        asker[i] = colleague(f->st, nips[i], "Penanya", "Biro SDM", "negosiasi", 1);
    assert_int_equal(store_learning_askable_set(f->st, putri, "negosiasi", 1, NOW), BB_OK);
    assert_int_equal(store_learning_ask_add(f->st, putri, putri, "negosiasi", NOW, &id), BB_EINVAL);
    assert_int_equal(store_learning_ask_add(f->st, asker[0], putri, "negosiasi", NOW, &id), BB_OK);
    /* one request per pair: a second one is refused and she is not offered again */
    assert_int_equal(store_learning_ask_add(f->st, asker[0], putri, "negosiasi", NOW + 60, &id2),
                     BB_EEXIST);
    assert_int_equal(offered(f->st, asker[0], NOW + 60, c, 4), 0);
    assert_int_equal(offered(f->st, asker[1], NOW + 60, c, 4), 1);
    /* only she answers, once */
    assert_int_equal(store_learning_ask_open(f->st, putri, NOW + 60, &a), BB_OK);
    assert_int_equal(a.id, id);
    assert_int_equal(a.asker_id, asker[0]);
    assert_int_equal(store_learning_ask_answer(f->st, id, asker[1], 1, NOW + 60, &a), BB_ENOTFOUND);
    assert_int_equal(store_learning_ask_answer(f->st, id, putri, 0, NOW + 60, &a), BB_OK);
    assert_string_equal(a.state, "no");
    assert_int_equal(store_learning_ask_answer(f->st, id, putri, 1, NOW + 61, &a), BB_ENOTFOUND);
    assert_int_equal(store_learning_ask_open(f->st, putri, NOW + 61, &a), BB_ENOTFOUND);
    /* a "no" does not open the pair again within the week */
    assert_int_equal(offered(f->st, asker[0], NOW + 3600, c, 4), 0);
    /* at most 3 a week per colleague */
    assert_int_equal(store_learning_ask_add(f->st, asker[1], putri, "negosiasi", NOW + 120, &id),
                     BB_OK);
    assert_int_equal(store_learning_ask_add(f->st, asker[2], putri, "negosiasi", NOW + 180, &id),
                     BB_OK);
    assert_int_equal(offered(f->st, asker[3], NOW + 200, c, 4), 0);
    assert_int_equal(store_learning_ask_add(f->st, asker[3], putri, "negosiasi", NOW + 240, &id),
                     BB_ELIMIT);
    /* a week after the first, one slot is free again (for someone not asked) */
    assert_int_equal(offered(f->st, asker[3], NOW + 7 * 86400 + 1, c, 4), 1);
    assert_int_equal(offered(f->st, asker[0], NOW + 7 * 86400 - 1, c, 4), 0);
    assert_int_equal(offered(f->st, asker[0], NOW + 7 * 86400 + 1, c, 4), 1);
    assert_int_equal(
        store_learning_ask_add(f->st, asker[4], putri, "negosiasi", NOW + 7 * 86400 + 1, &id),
        BB_OK);
}

static void test_colleague_personal_data(void **state)
{
    struct fx *f = *state;
    cJSON *ex = NULL;
    int64_t id = 0, c = 0;
    int64_t putri =
        colleague(f->st, "199512122020122011", "Putri Maharani", "Biro SDM", "negosiasi", 4);
    assert_int_equal(store_learning_askable_set(f->st, putri, "negosiasi", 1, NOW), BB_OK);
    assert_int_equal(store_learning_ask_add(f->st, f->ayu, putri, "negosiasi", NOW, &id), BB_OK);
    assert_int_equal(store_person_export(f->st, putri, &ex), BB_OK);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ex, "learning_askable")), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ex, "learning_asks")), 1);
    cJSON_Delete(ex);
    assert_int_equal(store_person_export(f->st, f->ayu, &ex), BB_OK);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ex, "learning_asks")), 1);
    cJSON_Delete(ex);
    /* the opt-in is development data: erased with the category */
    assert_int_equal(store_begin(f->st), BB_OK);
    assert_int_equal(store_category_erase(f->st, putri, "development", &c), BB_OK);
    assert_int_equal(store_commit(f->st), BB_OK);
    char on[2][64];
    int n = -1;
    assert_int_equal(store_learning_askable(f->st, putri, on, 2, &n), BB_OK);
    assert_int_equal(n, 0);
    /* forgetting the asker takes the request with them */
    assert_int_equal(store_person_forget(f->st, f->ayu, NOW, NULL), BB_OK);
    struct store_learn_ask a;
    assert_int_equal(store_learning_ask_open(f->st, putri, NOW, &a), BB_ENOTFOUND);
}

TFX_MAIN(TFX_TEST(test_profile), TFX_TEST(test_plan), TFX_TEST(test_seed),
         TFX_TEST(test_seed_sources), TFX_TEST(test_prefs), TFX_TEST(test_personal_data),
         TFX_TEST(test_colleague_optin), TFX_TEST(test_colleague_limits),
         TFX_TEST(test_colleague_personal_data))
