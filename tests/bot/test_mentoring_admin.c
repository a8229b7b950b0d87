/* test_mentoring_admin.c - unit tests of bot/domain/mentoring/mentoring_admin.c (the HR
 * dashboard's mentoring hooks) on a real SQLite file: the suggestion JSON
 * (people, score, reasons split into a list), one stored suggestion reused
 * while it is unchanged, the refusals of pair_apply (unknown people, a pair
 * not in the latest suggestion, no suggestion yet) changing nothing, and the
 * pair list. Approving with introductions needs the core: see
 * tests/e2e/admin_api.test.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/domain/mentoring/mentoring.h"
#include "store/store.h"
#include "store/store_mentoring.h"
#include "tests/lib/fixture.h"

struct fx {
    TFX_STORE_FIELDS;
    struct domain_ctx d;
    int64_t ayu, budi, andi, made;
};

static void fx_init(struct fx *f)
{
    f->d.st = f->st;
    f->d.now = 1795000000;
    f->ayu = tfx_person_match(f->st, "101", "Ayu Lestari", "employee", "Biro SDM", "III/a", "", "",
                              "coaching");
    f->budi = tfx_person_match(f->st, "102", "Budi Santoso", "employee", "Kominfo", "III/a", "", "",
                               "audit");
    f->andi = tfx_person_match(f->st, "201", "Andi Wijaya", "mentor", "Kominfo", "IV/b", "",
                               "coaching", "");
    f->made = tfx_person_match(f->st, "202", "Made Sutrisna", "mentor", "Bappeda", "IV/a", "",
                               "audit", "");
}

TFX_STORE_SETUP_INIT(fx, setup, fx_init)
TFX_STORE_TEARDOWN(fx, teardown)

static const cJSON *get(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const cJSON *suggestion_of(const cJSON *out, const char *mentee_nip)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, get(out, "suggestions"))
    {
        if (strcmp(get(get(s, "mentee"), "nip")->valuestring, mentee_nip) == 0)
            return s;
    }
    return NULL;
}

static int count_suggestions(struct store *st)
{
    int64_t id = 0;
    return store_suggestion_latest(st, &id) == BB_OK ? (int)id : 0;
}

static void test_suggest(void **state)
{
    struct fx *f = *state;
    char err[MENTORING_ERR_MAX];
    cJSON *out = NULL, *again = NULL;
    assert_int_equal(mentoring_admin_suggest(&f->d, &out, err), BB_OK);
    assert_int_equal(cJSON_GetArraySize(get(out, "suggestions")), 2);
    const cJSON *s = suggestion_of(out, "101");
    assert_non_null(s);
    assert_string_equal(get(get(s, "mentor"), "nip")->valuestring, "201");
    assert_string_equal(get(get(s, "mentor"), "name")->valuestring, "Andi Wijaya");
    assert_string_equal(get(get(s, "mentee"), "unit")->valuestring, "Biro SDM");
    assert_true(cJSON_IsNumber(get(s, "score")) && get(s, "score")->valuedouble > 0);
    const cJSON *reasons = get(s, "reasons");
    assert_true(cJSON_IsArray(reasons));
    assert_true(cJSON_GetArraySize(reasons) >= 2);
    assert_string_equal(cJSON_GetArrayItem(reasons, 0)->valuestring, "fit: coaching");
    const cJSON *r;
    cJSON_ArrayForEach(r, reasons)
    {
        assert_true(cJSON_IsString(r));
        assert_null(strchr(r->valuestring, ';'));
        assert_int_not_equal(r->valuestring[0], ' ');
    }
    assert_int_equal(count_suggestions(f->st), 1);
    /* unchanged: the same suggestion is shown again, not stored twice */
    assert_int_equal(mentoring_admin_suggest(&f->d, &again, err), BB_OK);
    assert_true(cJSON_Compare(out, again, 1));
    assert_int_equal(count_suggestions(f->st), 1);
    cJSON_Delete(again);
    /* a change (Budi gets a mentor outside the suggestion) stores a new one */
    struct store_pairing pr;
    memset(&pr, 0, sizeof(pr));
    pr.mentee_id = f->budi;
    pr.mentor_id = f->made;
    pr.started_at = f->d.now;
    assert_int_equal(store_pairing_add(f->st, &pr, &pr.id), BB_OK);
    assert_int_equal(mentoring_admin_suggest(&f->d, &again, err), BB_OK);
    assert_int_equal(cJSON_GetArraySize(get(again, "suggestions")), 1);
    assert_null(suggestion_of(again, "102"));
    assert_int_equal(count_suggestions(f->st), 2);
    cJSON_Delete(again);
    cJSON_Delete(out);
}

static void test_suggest_empty(void **state)
{
    struct fx *f = *state;
    char err[MENTORING_ERR_MAX];
    cJSON *out = NULL;
    assert_int_equal(store_mentor_profile_put(f->st, f->andi, -1, 2, "paused", 1), BB_OK);
    assert_int_equal(store_mentor_profile_put(f->st, f->made, -1, 2, "paused", 1), BB_OK);
    assert_int_equal(mentoring_admin_suggest(&f->d, &out, err), BB_OK);
    assert_int_equal(cJSON_GetArraySize(get(out, "suggestions")), 0);
    assert_int_equal(count_suggestions(f->st), 0);
    cJSON_Delete(out);
}

static void test_apply_refusals(void **state)
{
    struct fx *f = *state;
    char err[MENTORING_ERR_MAX];
    cJSON *out = NULL;
    int n = -1;
    assert_int_equal(mentoring_admin_apply(&f->d, "201", "101", "operator", &out, err), BB_EINVAL);
    assert_non_null(strstr(err, "no suggestion yet"));
    assert_int_equal(mentoring_admin_suggest(&f->d, &out, err), BB_OK);
    cJSON_Delete(out);
    out = NULL;
    assert_int_equal(mentoring_admin_apply(&f->d, "202", "101", "operator", &out, err), BB_EINVAL);
    assert_non_null(strstr(err, "not in the latest suggestion"));
    assert_null(out);
    assert_int_equal(mentoring_admin_apply(&f->d, "999", "101", "operator", &out, err), BB_EINVAL);
    assert_non_null(strstr(err, "no person with NIP 999"));
    assert_int_equal(mentoring_admin_apply(&f->d, "201", "998", "operator", &out, err), BB_EINVAL);
    assert_int_equal(store_pairing_count_active(f->st, 0, &n), BB_OK);
    assert_int_equal(n, 0);
    /* a suggested pair whose mentor was paused since */
    assert_int_equal(store_mentor_profile_put(f->st, f->andi, -1, 2, "paused", 1), BB_OK);
    assert_int_equal(mentoring_admin_apply(&f->d, "201", "101", "hr:1", &out, err), BB_EEXIST);
    assert_non_null(strstr(err, "the mentor is paused"));
    assert_null(out);
    /* and it stays refused (marked skipped) */
    assert_int_equal(store_mentor_profile_put(f->st, f->andi, -1, 2, "active", 1), BB_OK);
    assert_int_equal(mentoring_admin_apply(&f->d, "201", "101", "hr:1", &out, err), BB_EEXIST);
    assert_non_null(strstr(err, "skipped before"));
    struct store_pairing pr;
    assert_int_equal(store_pairing_active_of(f->st, f->ayu, &pr), BB_ENOTFOUND);
}

static void test_list(void **state)
{
    struct fx *f = *state;
    char err[MENTORING_ERR_MAX];
    cJSON *out = NULL;
    assert_int_equal(mentoring_admin_list(&f->d, &out, err), BB_OK);
    assert_int_equal(cJSON_GetArraySize(get(out, "pairs")), 0);
    cJSON_Delete(out);
    struct store_pairing pr;
    memset(&pr, 0, sizeof(pr));
    pr.mentee_id = f->ayu;
    pr.mentor_id = f->andi;
    pr.started_at = 1795000000;
    assert_int_equal(store_pairing_add(f->st, &pr, &pr.id), BB_OK);
    struct store_msession m;
    memset(&m, 0, sizeof(m));
    m.pairing_id = pr.id;
    m.mentee_id = f->ayu;
    m.mentor_id = f->andi;
    m.logged_by = f->ayu;
    bb_strlcpy(m.day, "2026-11-20", sizeof(m.day));
    m.held_at = 1795000000;
    m.minutes = 45;
    m.created_at = 1795000000;
    assert_int_equal(store_msession_add(f->st, &m, NULL), BB_OK);
    assert_int_equal(mentoring_admin_list(&f->d, &out, err), BB_OK);
    const cJSON *p = cJSON_GetArrayItem(get(out, "pairs"), 0);
    assert_non_null(p);
    assert_int_equal((int64_t)get(p, "id")->valuedouble, pr.id);
    assert_string_equal(get(get(p, "mentor"), "nip")->valuestring, "201");
    assert_string_equal(get(get(p, "mentee"), "name")->valuestring, "Ayu Lestari");
    char iso[32];
    bb_format_iso8601(1795000000, iso, sizeof(iso));
    assert_string_equal(get(p, "since")->valuestring, iso);
    assert_int_equal((int)get(p, "sessions")->valuedouble, 1);
    cJSON_Delete(out);
}

TFX_MAIN(TFX_TEST(test_suggest), TFX_TEST(test_suggest_empty), TFX_TEST(test_apply_refusals),
         TFX_TEST(test_list))
