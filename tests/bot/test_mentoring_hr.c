/* test_mentoring_hr.c - unit tests of bot/domain/mentoring/mentoring_hr.c
 * (HR's decisions, shared by `bimbing pair` and the dashboard) on a real
 * SQLite file: a mentor's capacity and pause (refused for someone who is
 * not a mentor or a capacity over 20, changing nothing; a paused mentor is
 * not suggested), rejecting a proposal (never proposed again; a second
 * reject finds nothing), and the programme figures per unit with units
 * under k folded and the mean rating hidden under k. Ending a pairing
 * tells both sides through the core: tests/transcripts/mentoring-hr-end.*
 * and tests/e2e/admin_bcmentor.test.sh. */
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
    int64_t ayu, budi, rizky, andi, made;
};

static void fx_init(struct fx *f)
{
    f->d.st = f->st;
    f->d.now = 1795000000;
    f->ayu = tfx_person_match(f->st, "101", "Ayu Lestari", "employee", "Biro SDM", "III/a", "", "",
                              "coaching");
    f->budi = tfx_person_match(f->st, "102", "Budi Santoso", "employee", "Kominfo", "III/a", "", "",
                               "audit");
    f->rizky = tfx_person_match(f->st, "103", "Rizky Pratama", "employee", "Kominfo", "III/a", "",
                                "", "audit");
    f->andi = tfx_person_match(f->st, "201", "Andi Wijaya", "mentor", "Bappeda", "IV/b", "",
                               "coaching", "");
    f->made = tfx_person_match(f->st, "202", "Made Sutrisna", "mentor", "Inspektorat", "IV/a", "",
                               "audit", "");
}

TFX_STORE_SETUP_INIT(fx, setup, fx_init)
TFX_STORE_TEARDOWN(fx, teardown)

static const cJSON *get(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

/* The mentor NIP suggested for mentee_nip, or "". */
static const char *suggested(const cJSON *out, const char *mentee_nip)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, get(out, "suggestions"))
    {
        if (strcmp(get(get(s, "mentee"), "nip")->valuestring, mentee_nip) == 0)
            return get(get(s, "mentor"), "nip")->valuestring;
    }
    return "";
}

static void test_capacity_and_pause(void **state)
{
    struct fx *f = *state;
    struct store_mentor_profile prof;
    char err[MENTORING_ERR_MAX];
    cJSON *out = NULL;
    assert_int_equal(mentoring_hr_mentor(&f->d, f->ayu, 3, -1, "hr:1"), BB_EPERM);
    assert_int_equal(mentoring_hr_mentor(&f->d, f->andi, 21, -1, "hr:1"), BB_EINVAL);
    assert_int_equal(store_mentor_profile_get(f->st, f->andi, &prof), BB_ENOTFOUND);
    assert_int_equal(mentoring_hr_mentor(&f->d, f->andi, 3, -1, "hr:1"), BB_OK);
    assert_int_equal(store_mentor_profile_get(f->st, f->andi, &prof), BB_OK);
    assert_int_equal(prof.capacity, 3);
    assert_string_equal(prof.status, "active");
    /* pausing keeps the capacity */
    assert_int_equal(mentoring_hr_mentor(&f->d, f->andi, -1, 1, "hr:1"), BB_OK);
    assert_int_equal(store_mentor_profile_get(f->st, f->andi, &prof), BB_OK);
    assert_int_equal(prof.capacity, 3);
    assert_string_equal(prof.status, "paused");
    assert_int_equal(mentoring_admin_mentors(&f->d, &out, err), BB_OK);
    assert_int_equal(cJSON_GetArraySize(get(out, "mentors")), 2);
    const cJSON *m = cJSON_GetArrayItem(get(out, "mentors"), 0);
    assert_string_equal(get(m, "name")->valuestring, "Andi Wijaya");
    assert_int_equal(get(m, "capacity")->valueint, 3);
    assert_true(cJSON_IsTrue(get(m, "paused")));
    cJSON_Delete(out);
    /* a paused mentor is not suggested: Ayu (coaching) gets Made or nobody */
    assert_int_equal(mentoring_admin_suggest(&f->d, &out, err), BB_OK);
    assert_string_not_equal(suggested(out, "101"), "201");
    cJSON_Delete(out);
    assert_int_equal(mentoring_hr_mentor(&f->d, f->andi, -1, 0, "hr:1"), BB_OK);
    assert_int_equal(mentoring_admin_suggest(&f->d, &out, err), BB_OK);
    assert_string_equal(suggested(out, "101"), "201");
    cJSON_Delete(out);
}

static void test_reject(void **state)
{
    struct fx *f = *state;
    char err[MENTORING_ERR_MAX];
    cJSON *out = NULL;
    assert_int_equal(mentoring_hr_reject(&f->d, f->ayu, "x", "hr:1"), BB_ENOTFOUND); /* none yet */
    assert_int_equal(mentoring_admin_suggest(&f->d, &out, err), BB_OK);
    assert_string_equal(suggested(out, "101"), "201");
    cJSON_Delete(out);
    assert_int_equal(mentoring_hr_reject(&f->d, f->ayu, "", "hr:1"), BB_EINVAL);
    assert_int_equal(mentoring_hr_reject(&f->d, f->ayu, "Satu tim kerja", "hr:1"), BB_OK);
    assert_int_equal(mentoring_hr_reject(&f->d, f->ayu, "again", "hr:1"), BB_ENOTFOUND);
    /* the next suggestion never proposes Andi for Ayu again */
    assert_int_equal(mentoring_admin_suggest(&f->d, &out, err), BB_OK);
    assert_string_not_equal(suggested(out, "101"), "201");
    cJSON_Delete(out);
}

/* A pairing of mentee with mentor, n sessions of minutes, and a rating. */
static void pair(struct fx *f, int64_t mentee, int64_t mentor, int n, int minutes, int rating)
{
    struct store_pairing p = {0};
    int64_t id = 0;
    p.mentee_id = mentee;
    p.mentor_id = mentor;
    p.started_at = f->d.now;
    assert_int_equal(store_pairing_add(f->st, &p, &id), BB_OK);
    for (int i = 0; i < n; i++) {
        struct store_msession m = {0};
        m.pairing_id = id;
        m.mentee_id = mentee;
        m.mentor_id = mentor;
        m.logged_by = mentee;
        snprintf(m.day, sizeof(m.day), "2026-11-%02d", 10 + i);
        m.held_at = f->d.now;
        m.minutes = minutes;
        m.created_at = f->d.now;
        assert_int_equal(store_msession_add(f->st, &m, NULL), BB_OK);
    }
    if (rating) {
        assert_int_equal(store_pcheck_ask(f->st, id, mentee, "rate", f->d.now), BB_OK);
        assert_int_equal(
            store_pcheck_answer(f->st, id, mentee, "rate", "", rating, "", 0, f->d.now + 1), BB_OK);
    }
}

static const cJSON *unit_line(const cJSON *out, const char *unit)
{
    const cJSON *u;
    cJSON_ArrayForEach(u, get(out, "units"))
    {
        if (strcmp(get(u, "unit")->valuestring, unit) == 0)
            return u;
    }
    return NULL;
}

static void test_figures(void **state)
{
    struct fx *f = *state;
    char err[MENTORING_ERR_MAX];
    cJSON *out = NULL;
    assert_int_equal(mentoring_admin_figures(&f->d, 2, &out, err), BB_OK);
    assert_int_equal(cJSON_GetArraySize(get(out, "units")), 0);
    assert_int_equal(get(get(out, "total"), "pairs")->valueint, 0);
    cJSON_Delete(out);
    pair(f, f->budi, f->made, 2, 45, 4);  /* Kominfo */
    pair(f, f->rizky, f->made, 1, 90, 5); /* Kominfo */
    pair(f, f->ayu, f->andi, 1, 30, 3);   /* Biro SDM: one mentee, under k = 2 */
    assert_int_equal(mentoring_admin_figures(&f->d, 2, &out, err), BB_OK);
    assert_int_equal(cJSON_GetArraySize(get(out, "units")), 2);
    const cJSON *k = unit_line(out, "Kominfo");
    assert_non_null(k);
    assert_int_equal(get(k, "mentees")->valueint, 2);
    assert_int_equal(get(k, "active")->valueint, 2);
    assert_int_equal(get(k, "sessions")->valueint, 3);
    assert_true(get(k, "jp")->valuedouble == 4.0); /* 180 minutes */
    assert_int_equal(get(k, "ratings")->valueint, 2);
    assert_true(get(k, "rating_mean")->valuedouble == 4.5);
    assert_null(unit_line(out, "Biro SDM")); /* never named under k */
    const cJSON *o = unit_line(out, "(other units)");
    assert_non_null(o);
    assert_int_equal(get(o, "mentees")->valueint, 1);
    assert_true(cJSON_IsNull(get(o, "rating_mean"))); /* one rating: hidden */
    assert_int_equal(get(get(out, "total"), "sessions")->valueint, 4);
    assert_true(get(get(out, "total"), "rating_mean")->valuedouble == 4.0);
    cJSON_Delete(out);
    assert_int_equal(mentoring_admin_figures(&f->d, 0, &out, err), BB_EINVAL);
}

TFX_MAIN(TFX_TEST(test_capacity_and_pause), TFX_TEST(test_reject), TFX_TEST(test_figures))
