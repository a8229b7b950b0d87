/* test_mentoring.c - unit tests of bot/domain/mentoring/mentoring.c and store/store_mentoring.c
 * on a real SQLite file: grade parsing, the matching input built from the
 * store (who is a mentee, who a mentor with how much room, supervisor
 * chains, ended pairs never repeated, capacity, paused mentors, open mentor
 * requests when the coaching module's table exists), pairings, session
 * minutes per year, and what forget keeps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "bot/base/bb.h"
#include "bot/domain/mentoring/match.h"
#include "bot/domain/mentoring/mentoring.h"
#include "store/store.h"
#include "store/store_mentoring.h"
#include "tests/lib/fixture.h"

struct fx {
    TFX_STORE_FIELDS;
};

TFX_STORE_FIXTURE(fx, setup, teardown)

static int64_t pair(struct store *st, int64_t mentee, int64_t mentor, int64_t at)
{
    struct store_pairing pr;
    int64_t id = 0;
    memset(&pr, 0, sizeof(pr));
    pr.mentee_id = mentee;
    pr.mentor_id = mentor;
    pr.started_at = at;
    assert_int_equal(store_pairing_add(st, &pr, &id), BB_OK);
    return id;
}

static const struct match_person *find(const struct match_person *v, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (v[i].id == id)
            return &v[i];
    return NULL;
}

/* ---- grades ---------------------------------------------------------------- */

static void test_grade_rank(void **state)
{
    (void)state;
    assert_int_equal(mentoring_grade_rank("I/a"), 1);
    assert_int_equal(mentoring_grade_rank("I/d"), 4);
    assert_int_equal(mentoring_grade_rank("II/a"), 5);
    assert_int_equal(mentoring_grade_rank("II/d"), 8);
    assert_int_equal(mentoring_grade_rank("III/a"), 9);
    assert_int_equal(mentoring_grade_rank("III/c"), 11);
    assert_int_equal(mentoring_grade_rank("III/d"), 12);
    assert_int_equal(mentoring_grade_rank("IV/a"), 13);
    assert_int_equal(mentoring_grade_rank("IV/e"), 17);
    assert_int_equal(mentoring_grade_rank("iv / b"), 14);
    assert_int_equal(mentoring_grade_rank(" III/B "), 10);
    /* unknown: 0 */
    assert_int_equal(mentoring_grade_rank(""), 0);
    assert_int_equal(mentoring_grade_rank(NULL), 0);
    assert_int_equal(mentoring_grade_rank("III/e"), 0); /* only IV has an e */
    assert_int_equal(mentoring_grade_rank("V/a"), 0);
    assert_int_equal(mentoring_grade_rank("IIII/a"), 0);
    assert_int_equal(mentoring_grade_rank("III"), 0);
    assert_int_equal(mentoring_grade_rank("III/"), 0);
    assert_int_equal(mentoring_grade_rank("III/ab"), 0);
    assert_int_equal(mentoring_grade_rank("IX"), 0);
    assert_int_equal(mentoring_grade_rank("3/a"), 0);
    assert_int_equal(mentoring_grade_rank("III/a and a very long tail that does not fit"), 0);
}

/* ---- the matching input ------------------------------------------------------- */

static void test_input_build(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    /* mentors */
    int64_t m1 =
        tfx_person_match(st, "900", "Mentor Satu", "mentor", "A", "IV/a", "", "data, coaching", "");
    int64_t m2 = tfx_person_match(st, "901", "Mentor Dua", "mentor", "B", "IV/b", "", "audit", "");
    int64_t m3 =
        tfx_person_match(st, "902", "Mentor Tiga", "mentor", "C", "IV/c", "", "coaching", "");
    int64_t m4 = tfx_person_match(st, "903", "Mentor Empat", "mentor", "D", "IV/c", "", "data", "");
    /* employees */
    int64_t e1 =
        tfx_person_match(st, "100", "Satu", "employee", "A", "III/a", "900", "", "coaching");
    int64_t e2 = tfx_person_match(st, "101", "Dua", "employee", "B", "III/b", "", "", "");
    int64_t e3 = tfx_person_match(st, "102", "Tiga", "employee", "B", "III/c", "", "", "audit");
    int64_t e4 = tfx_person_match(st, "103", "Empat", "employee", "C", "II/a", "", "", "data");
    int64_t e5 = tfx_person_match(st, "104", "Lima", "employee", "C", "III/d", "104x", "", "data");
    int64_t hr = tfx_person_match(st, "105", "SDM", "hr", "A", "IV/a", "", "", "coaching");
    (void)e5;
    /* e4 is paired with m2 (m2 capacity 1: full); e3 and m2 ended before */
    pair(st, e4, m2, 10);
    int64_t old = pair(st, e3, m2, 5);
    (void)old;
    assert_int_equal(store_pairing_end(st, old, 20, "x", "cli"), BB_OK);
    assert_int_equal(store_mentor_profile_put(st, m2, 1, 2, NULL, 1), BB_OK);
    assert_int_equal(store_mentor_profile_put(st, m3, -1, 2, "paused", 1), BB_OK);
    assert_int_equal(store_mentor_profile_put(st, m4, 3, 2, NULL, 1), BB_OK);

    struct mentoring_input mi;
    assert_int_equal(mentoring_input_build(st, NULL, &mi), BB_OK);
    /* mentees: employees with goals and no active pairing */
    assert_non_null(find(mi.mentees, mi.in.nmentees, e1));
    assert_null(find(mi.mentees, mi.in.nmentees, e2)); /* no goals, no request */
    assert_non_null(find(mi.mentees, mi.in.nmentees, e3));
    assert_null(find(mi.mentees, mi.in.nmentees, e4)); /* already paired */
    assert_null(find(mi.mentees, mi.in.nmentees, hr)); /* not an employee */
    assert_int_equal(mi.in.nmentees, 3);
    assert_int_equal(find(mi.mentees, mi.in.nmentees, e1)->grade_rank, 9);
    assert_string_equal(find(mi.mentees, mi.in.nmentees, e1)->tags, "coaching");
    /* mentors: room left; the full one and the paused one are out */
    assert_int_equal(find(mi.mentors, mi.in.nmentors, m1)->capacity, 2);
    assert_null(find(mi.mentors, mi.in.nmentors, m2));
    assert_null(find(mi.mentors, mi.in.nmentors, m3));
    assert_int_equal(find(mi.mentors, mi.in.nmentors, m4)->capacity, 3);
    assert_string_equal(find(mi.mentors, mi.in.nmentors, m1)->tags, "data, coaching");
    /* everyone for chains; the ended pair is a ban */
    assert_int_equal(mi.in.neveryone, 10);
    assert_int_equal(mi.in.nbans, 1);
    assert_int_equal(mi.in.bans[0].mentee_id, e3);
    assert_int_equal(mi.in.bans[0].mentor_id, m2);

    /* run it: e1's supervisor m1 is never proposed, even with the tag fit */
    struct match_result r = {0};
    assert_int_equal(match_run(&mi.in, &r), BB_OK);
    assert_int_equal(tfx_mentor_of(&r, e1), m4);
    assert_int_equal(r.npairs, 3);
    match_result_free(&r);
    mentoring_input_free(&mi);

    /* the ended pair is never proposed again, even when m2 has room */
    assert_int_equal(store_mentor_profile_put(st, m2, 5, 2, NULL, 2), BB_OK);
    assert_int_equal(store_mentor_profile_put(st, m4, 0, 2, NULL, 2), BB_OK);
    assert_int_equal(store_mentor_profile_put(st, m1, 0, 2, NULL, 2), BB_OK);
    assert_int_equal(mentoring_input_build(st, NULL, &mi), BB_OK);
    assert_int_equal(mi.in.nmentors, 1);
    assert_int_equal(find(mi.mentors, mi.in.nmentors, m2)->capacity, 4);
    assert_int_equal(match_run(&mi.in, &r), BB_OK);
    assert_int_equal(tfx_mentor_of(&r, e3), 0); /* audit fit, but ended before */
    assert_int_equal(tfx_mentor_of(&r, e1), m2);
    match_result_free(&r);
    mentoring_input_free(&mi);

    /* the unit filter keeps only that unit's mentees */
    assert_int_equal(mentoring_input_build(st, "B", &mi), BB_OK);
    assert_int_equal(mi.in.nmentees, 1);
    assert_int_equal(mi.mentees[0].id, e3);
    mentoring_input_free(&mi);
    mentoring_input_free(&mi); /* twice is safe */
    mentoring_input_free(NULL);
}

static void test_requests_table(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t e = tfx_person_match(st, "100", "Satu", "employee", "A", "III/a", "", "", "");
    tfx_person_match(st, "900", "Mentor", "mentor", "B", "IV/a", "", "kepemimpinan", "");
    struct mentoring_input mi;
    /* no goals and no request: not a mentee */
    assert_int_equal(mentoring_input_build(st, NULL, &mi), BB_OK);
    assert_int_equal(mi.in.nmentees, 0);
    mentoring_input_free(&mi);
    /* a closed request does not count, an open one (the coaching module's
     * mentor_requests table, written here by another connection) does */
    sqlite3 *db;
    char sql[400];
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    bb_snprintf(sql, sizeof(sql),
                "INSERT INTO mentor_requests(person_id, tags, traits, created_at, updated_at,"
                " status) VALUES(%lld, 'closed one', '', 2, 2, 'closed');",
                (long long)e);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(mentoring_input_build(st, NULL, &mi), BB_OK);
    assert_int_equal(mi.in.nmentees, 0);
    mentoring_input_free(&mi);
    bb_snprintf(sql, sizeof(sql),
                "INSERT INTO mentor_requests(person_id, tags, traits, created_at, updated_at,"
                " status) VALUES(%lld, 'kepemimpinan', '', 1, 1, 'open');",
                (long long)e);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(mentoring_input_build(st, NULL, &mi), BB_OK);
    assert_int_equal(mi.in.nmentees, 1);
    assert_string_equal(mi.mentees[0].tags, "kepemimpinan");
    mentoring_input_free(&mi);
}

/* ---- pairings and sessions -------------------------------------------------------- */

static void test_pairings_sessions(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t mo = tfx_person_match(st, "900", "Mentor", "mentor", "B", "IV/a", "", "x", "");
    int64_t me = tfx_person_match(st, "100", "Satu", "employee", "A", "III/a", "", "", "x");
    int64_t mentor = 0;
    assert_int_equal(mentoring_mentor_of(st, me, &mentor), BB_ENOTFOUND);
    int64_t pid = pair(st, me, mo, 100);
    assert_int_equal(mentoring_mentor_of(st, me, &mentor), BB_OK);
    assert_int_equal(mentor, mo);
    /* one active pairing per mentee */
    struct store_pairing pr;
    memset(&pr, 0, sizeof(pr));
    pr.mentee_id = me;
    pr.mentor_id = mo;
    assert_int_equal(store_pairing_add(st, &pr, NULL), BB_EEXIST);
    pr.mentor_id = me;
    assert_int_equal(store_pairing_add(st, &pr, NULL), BB_EINVAL);

    /* sessions: minutes per calendar year, both sides */
    struct store_msession s;
    int64_t t;
    memset(&s, 0, sizeof(s));
    s.pairing_id = pid;
    s.mentee_id = me;
    s.mentor_id = mo;
    s.logged_by = me;
    bb_strlcpy(s.day, "2026-12-31", sizeof(s.day));
    assert_int_equal(bb_parse_iso8601("2026-12-31T12:00:00Z", &t), BB_OK);
    s.held_at = t;
    s.minutes = 90;
    assert_int_equal(store_msession_add(st, &s, NULL), BB_OK);
    bb_strlcpy(s.day, "2027-01-01", sizeof(s.day));
    assert_int_equal(bb_parse_iso8601("2027-01-01T12:00:00Z", &t), BB_OK);
    s.held_at = t;
    s.minutes = 45;
    assert_int_equal(store_msession_add(st, &s, NULL), BB_OK);
    s.minutes = 0;
    assert_int_equal(store_msession_add(st, &s, NULL), BB_EINVAL);
    int64_t min = -1;
    assert_int_equal(mentoring_minutes_in_year(st, me, 2026, &min), BB_OK);
    assert_int_equal(min, 90);
    assert_int_equal(mentoring_minutes_in_year(st, mo, 2027, &min), BB_OK);
    assert_int_equal(min, 45);
    assert_int_equal(mentoring_minutes_in_year(st, me, 2025, &min), BB_OK);
    assert_int_equal(min, 0);
    assert_int_equal(mentoring_minutes_in_year(st, me, 0, &min), BB_EINVAL);
    int count = 0;
    char day[11];
    assert_int_equal(store_msession_stats(st, pid, &count, &min, day), BB_OK);
    assert_int_equal(count, 2);
    assert_int_equal(min, 135);
    assert_string_equal(day, "2027-01-01");

    /* quiet pairs: last contact is the newest session (or the start) */
    struct store_pairing *v = NULL;
    int n = 0;
    assert_int_equal(store_pairing_quiet(st, t - 1, 10, &v, &n), BB_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_pairing_quiet(st, t, 10, &v, &n), BB_OK);
    assert_int_equal(n, 1);
    free(v);
    assert_int_equal(store_pairing_set_nudged(st, pid, t + 5), BB_OK);
    assert_int_equal(store_pairing_quiet(st, t + 4, 10, &v, &n), BB_OK);
    assert_int_equal(n, 0); /* nudged since */

    /* ending: once */
    assert_int_equal(store_pairing_end(st, pid, 200, "done", "cli"), BB_OK);
    assert_int_equal(store_pairing_end(st, pid, 201, "again", "cli"), BB_ENOTFOUND);
    assert_int_equal(mentoring_mentor_of(st, me, &mentor), BB_ENOTFOUND);
    assert_int_equal(store_pairing_by_id(st, pid, &pr), BB_OK);
    assert_string_equal(pr.status, "ended");
    assert_string_equal(pr.end_reason, "done");
    assert_int_equal(pr.ended_at, 200);

    /* forget the mentor: the mentee keeps the minutes */
    assert_int_equal(store_person_forget(st, mo, 300, NULL), BB_OK);
    assert_int_equal(mentoring_minutes_in_year(st, me, 2026, &min), BB_OK);
    assert_int_equal(min, 90);
    cJSON *ex = NULL;
    assert_int_equal(store_person_export(st, me, &ex), BB_OK);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ex, "mentoring_sessions")), 2);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ex, "pairings")), 0);
    cJSON_Delete(ex);
    /* forget the mentee: their sessions go */
    assert_int_equal(store_person_forget(st, me, 301, NULL), BB_OK);
    int64_t other = tfx_person_match(st, "101", "Dua", "employee", "A", "", "", "", "");
    assert_int_equal(mentoring_minutes_in_year(st, me, 2026, &min), BB_OK);
    assert_int_equal(min, 0);
    (void)other;
}

static void test_suggestions(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t mo = tfx_person_match(st, "900", "Mentor", "mentor", "B", "IV/a", "", "x", "");
    int64_t me = tfx_person_match(st, "100", "Satu", "employee", "A", "III/a", "", "", "x");
    int64_t sid = 0, latest = 0;
    assert_int_equal(store_suggestion_latest(st, &latest), BB_ENOTFOUND);
    assert_int_equal(store_suggestion_add(st, "", 1, &sid), BB_OK);
    assert_int_equal(store_suggestion_latest(st, &latest), BB_OK);
    assert_int_equal(latest, sid);
    assert_int_equal(store_suggestion_exists(st, sid + 1), BB_ENOTFOUND);
    struct store_proposal p;
    memset(&p, 0, sizeof(p));
    p.suggestion_id = sid;
    p.mentee_id = me;
    p.mentor_id = mo;
    p.score = 12;
    bb_strlcpy(p.reasons, "fit: x", sizeof(p.reasons));
    assert_int_equal(store_proposal_add(st, &p), BB_OK);
    assert_int_equal(store_proposal_add(st, &p), BB_EEXIST);
    assert_int_equal(store_proposal_set_state(st, sid, me, STORE_PROP_APPLIED), BB_OK);
    assert_int_equal(store_proposal_set_state(st, sid, mo, STORE_PROP_APPLIED), BB_ENOTFOUND);
    struct store_proposal *v = NULL;
    int n = 0;
    assert_int_equal(store_proposal_list(st, sid, &v, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].state, STORE_PROP_APPLIED);
    assert_int_equal(v[0].score, 12);
    assert_string_equal(v[0].reasons, "fit: x");
    free(v);
    /* profiles: bad status refused, nothing written */
    struct store_mentor_profile prof;
    assert_int_equal(store_mentor_profile_put(st, mo, 2, 2, "sleeping", 1), BB_EINVAL);
    assert_int_equal(store_mentor_profile_get(st, mo, &prof), BB_ENOTFOUND);
    assert_int_equal(store_mentor_profile_put(st, mo, -1, 2, NULL, 1), BB_OK);
    assert_int_equal(store_mentor_profile_get(st, mo, &prof), BB_OK);
    assert_int_equal(prof.capacity, 2);
    assert_string_equal(prof.status, "active");
}

/* The questions about a pairing (did you meet, rate the match), leaving
 * the programme, the kept Telegram handle and the relayed first message. */
static void test_checks_optout(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t mo = tfx_person_match(st, "900", "Mentor", "mentor", "B", "IV/a", "", "x", "");
    int64_t me = tfx_person_match(st, "100", "Satu", "employee", "A", "III/a", "", "", "x");
    int64_t pid = pair(st, me, mo, 1000);
    struct store_pcheck *v = NULL, c;
    int n = 0;
    /* not due before a week; then both sides, once */
    assert_int_equal(store_pcheck_new_due(st, "met", 999, 10, &v, &n), BB_OK);
    assert_int_equal(n, 0);
    free(v);
    assert_int_equal(store_pcheck_new_due(st, "met", 1000, 10, &v, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].pairing_id, pid);
    free(v);
    assert_int_equal(store_pcheck_new_due(st, "bogus", 1000, 10, &v, &n), BB_EINVAL);
    assert_int_equal(store_pcheck_ask(st, pid, me, "met", 2000), BB_OK);
    assert_int_equal(store_pcheck_ask(st, pid, mo, "met", 2000), BB_OK);
    assert_int_equal(store_pcheck_new_due(st, "met", 1000, 10, &v, &n), BB_OK);
    assert_int_equal(n, 0);
    free(v);
    /* "not yet": asked again when due, with the count */
    assert_int_equal(store_pcheck_pending(st, me, "met", &c), BB_OK);
    assert_int_equal(c.asks, 1);
    assert_int_equal(store_pcheck_answer(st, pid, me, "met", "not_yet", 0, "", 5000, 3000), BB_OK);
    assert_int_equal(store_pcheck_pending(st, me, "met", &c), BB_ENOTFOUND);
    assert_int_equal(store_pcheck_again_due(st, "met", 4999, 10, &v, &n), BB_OK);
    assert_int_equal(n, 0);
    free(v);
    assert_int_equal(store_pcheck_again_due(st, "met", 5000, 10, &v, &n), BB_OK);
    assert_int_equal(n, 1);
    free(v);
    assert_int_equal(store_pcheck_ask(st, pid, me, "met", 5000), BB_OK);
    assert_int_equal(store_pcheck_pending(st, me, "met", &c), BB_OK);
    assert_int_equal(c.asks, 2);
    /* ratings: counted per value, bad ones refused */
    int64_t count = -1, by[5];
    assert_int_equal(store_pcheck_ask(st, pid, me, "rate", 6000), BB_OK);
    assert_int_equal(store_pcheck_answer(st, pid, me, "rate", "rated", 6, "", 0, 6001), BB_EINVAL);
    assert_int_equal(store_pcheck_ratings(st, &count, by), BB_OK);
    assert_int_equal(count, 0);
    assert_int_equal(store_pcheck_answer(st, pid, me, "rate", "rated", 4, "ok", 0, 6001), BB_OK);
    assert_int_equal(store_pcheck_ratings(st, &count, by), BB_OK);
    assert_int_equal(count, 1);
    assert_int_equal(by[3], 1);
    /* who left is never a mentee or a mentor of a matching input */
    int64_t me2 = tfx_person_match(st, "101", "Dua", "employee", "A", "III/a", "", "", "x");
    struct mentoring_input mi;
    assert_int_equal(mentoring_input_build(st, NULL, &mi), BB_OK);
    assert_non_null(find(mi.mentees, mi.in.nmentees, me2));
    assert_non_null(find(mi.mentors, mi.in.nmentors, mo));
    mentoring_input_free(&mi);
    assert_int_equal(store_mentoring_optout_set(st, me2, "sibuk", 7000), BB_OK);
    assert_int_equal(store_mentoring_optout_set(st, mo, "", 7000), BB_OK);
    assert_int_equal(mentoring_input_build(st, NULL, &mi), BB_OK);
    assert_null(find(mi.mentees, mi.in.nmentees, me2));
    assert_null(find(mi.mentors, mi.in.nmentors, mo));
    assert_non_null(find(mi.everyone, mi.in.neveryone, mo)); /* supervisor chains keep everyone */
    mentoring_input_free(&mi);
    assert_int_equal(store_mentoring_optout_clear(st, me2), BB_OK);
    assert_int_equal(mentoring_input_build(st, NULL, &mi), BB_OK);
    assert_non_null(find(mi.mentees, mi.in.nmentees, me2));
    mentoring_input_free(&mi);
    /* a handle is kept only for a linked identity */
    char h[64];
    assert_int_equal(store_identity_set_handle(st, "telegram", "77", "satu_a"), BB_ENOTFOUND);
    assert_int_equal(store_identity_link(st, "telegram", "77", me, 100), BB_OK);
    assert_int_equal(store_identity_handle(st, me, "telegram", h, sizeof(h)), BB_ENOTFOUND);
    assert_int_equal(store_identity_set_handle(st, "telegram", "77", "satu_a"), BB_OK);
    assert_int_equal(store_identity_handle(st, me, "telegram", h, sizeof(h)), BB_OK);
    assert_string_equal(h, "satu_a");
    /* one first message per sender and pairing; answered once */
    int64_t k = -1, rid = 0, from = 0;
    assert_int_equal(store_relay_open_to(st, mo, &rid, &from), BB_ENOTFOUND);
    assert_int_equal(store_relay_add(st, pid, me, mo, 8000), BB_OK);
    assert_int_equal(store_relay_count(st, pid, me, &k), BB_OK);
    assert_int_equal(k, 1);
    assert_int_equal(store_relay_open_to(st, mo, &rid, &from), BB_OK);
    assert_int_equal(from, me);
    assert_int_equal(store_relay_answered(st, rid, 8100), BB_OK);
    assert_int_equal(store_relay_answered(st, rid, 8200), BB_ENOTFOUND);
    assert_int_equal(store_relay_open_to(st, mo, &rid, &from), BB_ENOTFOUND);
}

TFX_MAIN(cmocka_unit_test(test_grade_rank), TFX_TEST(test_checks_optout),
         TFX_TEST(test_input_build), TFX_TEST(test_requests_table),
         TFX_TEST(test_pairings_sessions), TFX_TEST(test_suggestions))
