/* test_people_admin.c - unit tests of bot/domain/people/people_admin.c and
 * store/store_people_admin.c: the list's search, filters and paging; a
 * person's page (no message body in it); role changes and the admin rule;
 * deactivating a leaver (exactly what is erased and kept, by consent);
 * export and erase with their audit lines; the typed confirmation. */
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
#include "bot/domain/people/people_admin.h"
#include "store/store.h"
#include "store/store_int.h"
#include "store/store_mentoring.h"
#include "store/store_people_admin.h"
#include "tests/lib/fixture.h"

struct fx {
    TFX_STORE_FIELDS;
};

TFX_STORE_FIXTURE(fx, setup, teardown)

#define AYU  "198501012010012001"
#define BUDI "199002022015021002"
#define NOW  1796630400 /* 2026-12-07 */

static int64_t n_of(struct store *st, const char *sql, int64_t id)
{
    int64_t n = -1;
    assert_int_equal(store_q_int64(st, sql, STORE_ARGS(store_int(id)), &n), BB_OK);
    return n;
}

static void get(struct store *st, const char *nip, struct store_person *p)
{
    assert_int_equal(store_person_by_nip(st, nip, p), BB_OK);
}

/* Search by NIP or name, filters by unit (any case), role and state, and
 * pages through 4,000 people. */
static void test_find(void **state)
{
    struct fx *f = *state;
    struct store_people_row *v = NULL;
    int n = 0;
    int64_t total = 0;
    char nip[20], name[32];
    assert_int_equal(store_begin(f->st), BB_OK);
    for (int i = 0; i < 4000; i++) {
        bb_snprintf(nip, sizeof(nip), "1990010120150%d%04d", 1 + i % 2, i);
        bb_snprintf(name, sizeof(name), "Pegawai %04d", i);
        tfx_person_in(f->st, nip, name, i % 4 ? "Biro SDM" : "Bappeda",
                      i % 10 ? "employee" : "mentor");
    }
    assert_int_equal(store_commit(f->st), BB_OK);
    struct store_people_filter all = {"", "", "", ""};
    assert_int_equal(store_people_find(f->st, &all, NOW, 100, 3900, &v, &n, &total), BB_OK);
    assert_int_equal(total, 4000);
    assert_int_equal(n, 100);
    assert_string_equal(v[99].name, "Pegawai 3999");
    free(v);
    struct store_people_filter fl = {"", "bappeda", "mentor", "active"};
    assert_int_equal(store_people_find(f->st, &fl, NOW, 500, 0, &v, &n, &total), BB_OK);
    assert_int_equal(total, 200); /* i % 4 == 0 and i % 10 == 0: i % 20 == 0 */
    assert_string_equal(v[0].unit, "Bappeda");
    assert_string_equal(v[0].role, "mentor");
    assert_string_equal(v[0].state, "not_invited");
    free(v);
    struct store_people_filter byq = {"pegawai 3999", "", "", ""};
    assert_int_equal(store_people_find(f->st, &byq, NOW, 10, 0, &v, &n, &total), BB_OK);
    assert_int_equal(total, 1); /* by name, any case */
    free(v);
    struct store_people_filter bad = {"", "", "", "gone"};
    assert_int_equal(store_people_find(f->st, &bad, NOW, 10, 0, &v, &n, &total), BB_EINVAL);
    assert_int_equal(store_people_find(f->st, &all, NOW, 501, 0, &v, &n, &total), BB_EINVAL);
}

/* A person with a chat, consents, a mentor, messages and an HR action;
 * returns Ayu's id (Budi is her mentor). */
static int64_t populate(struct store *st)
{
    int64_t ayu = tfx_person_in(st, AYU, "Ayu Lestari", "Biro SDM", "employee");
    int64_t budi = tfx_person_in(st, BUDI, "Budi Santoso", "Bappeda", "mentor");
    struct store_pairing pr = {0};
    struct store_checkin *c = calloc(1, sizeof(*c));
    struct store_inbox_event ev = {0};
    int dup = 0;
    assert_non_null(c);
    assert_int_equal(store_identity_link(st, "telegram", "555", ayu, NOW - 500), BB_OK);
    assert_int_equal(store_consent_set(st, ayu, "data", 1, NOW - 400), BB_OK);
    assert_int_equal(store_consent_set(st, ayu, "health", 0, NOW - 400), BB_OK);
    c->person_id = ayu;
    c->at = NOW - 300;
    c->mood = 4;
    bb_strlcpy(c->win, "rahasia kemenangan", sizeof(c->win));
    c->wants_help = -1;
    assert_int_equal(store_checkin_add(st, c, NULL), BB_OK);
    free(c);
    assert_int_equal(store_q_exec(st,
                                  "INSERT INTO wellbeing(person_id, at, day, raw, items, alerted)"
                                  " VALUES(?1, ?2, '2026-12-01', 10, '[2,2,2,2,2]', 0)",
                                  STORE_ARGS(store_int(ayu), store_int(NOW - 250)), NULL),
                     BB_OK);
    bb_strlcpy(ev.channel, "telegram", sizeof(ev.channel));
    bb_strlcpy(ev.ext_user, "555", sizeof(ev.ext_user));
    bb_strlcpy(ev.ext_msg_id, "m1", sizeof(ev.ext_msg_id));
    ev.kind = STORE_EV_TEXT;
    ev.text = "pesan yang sangat pribadi";
    ev.ts = NOW - 200;
    assert_int_equal(store_inbox_add(st, &ev, &dup, NULL), BB_OK);
    assert_int_equal(store_invite_add(st, ayu, "hash-of-code", NOW - 600, NOW + 86400), BB_OK);
    pr.mentee_id = ayu;
    pr.mentor_id = budi;
    bb_strlcpy(pr.status, "active", sizeof(pr.status));
    pr.started_at = NOW - 100;
    assert_int_equal(store_pairing_add(st, &pr, NULL), BB_OK);
    return ayu;
}

static void test_page(void **state)
{
    struct fx *f = *state;
    struct store_person p;
    cJSON *o = NULL;
    populate(f->st);
    get(f->st, AYU, &p);
    assert_int_equal(people_page_json(f->st, &p, NOW, &o), BB_OK);
    char *txt = cJSON_PrintUnformatted(o);
    assert_non_null(txt);
    assert_non_null(strstr(txt, "\"state\":\"linked\""));
    assert_non_null(strstr(txt, "\"channel\":\"telegram\""));
    assert_non_null(strstr(txt, "\"data\":\"given\",\"health\":\"refused\""));
    assert_non_null(strstr(txt, "\"mentors\":[{\"nip\":\"" BUDI "\""));
    assert_non_null(strstr(txt, "\"kind\":\"message.text\""));
    assert_non_null(strstr(txt, "\"kind\":\"checkin\""));
    assert_non_null(strstr(txt, "\"invite\":{\"state\":\"open\""));
    /* kinds and times only */
    assert_null(strstr(txt, "pribadi"));
    assert_null(strstr(txt, "rahasia"));
    cJSON_free(txt);
    cJSON_Delete(o);
    get(f->st, BUDI, &p);
    assert_int_equal(people_page_json(f->st, &p, NOW, &o), BB_OK);
    txt = cJSON_PrintUnformatted(o);
    assert_non_null(strstr(txt, "\"mentees\":[{\"nip\":\"" AYU "\""));
    cJSON_free(txt);
    cJSON_Delete(o);
}

static void test_role(void **state)
{
    struct fx *f = *state;
    struct store_person p;
    char err[160];
    tfx_person_in(f->st, AYU, "Ayu Lestari", "Biro SDM", "employee");
    get(f->st, AYU, &p);
    assert_int_equal(people_set_role(f->st, &p, "boss", 1, "cli", NOW, err, sizeof(err)),
                     BB_EINVAL);
    assert_int_equal(people_set_role(f->st, &p, "employee", 1, "cli", NOW, err, sizeof(err)),
                     BB_EEXIST);
    assert_int_equal(people_set_role(f->st, &p, "admin", 0, "hr:1", NOW, err, sizeof(err)),
                     BB_EPERM);
    assert_string_equal(err, "only an admin may give the admin role");
    get(f->st, AYU, &p);
    assert_string_equal(p.role, "employee");
    assert_int_equal(people_set_role(f->st, &p, "mentor", 0, "hr:1", NOW, err, sizeof(err)), BB_OK);
    get(f->st, AYU, &p);
    assert_string_equal(p.role, "mentor");
    assert_int_equal(n_of(f->st,
                          "SELECT count(*) FROM audit_log WHERE subject_person = ?1 AND"
                          " action = 'person.role' AND detail = 'employee -> mentor' AND"
                          " actor = 'hr:1'",
                          p.id),
                     1);
}

/* Deactivation erases what the person did not consent to keep (health
 * refused: wellbeing goes), keeps the consented check-ins, erases chats,
 * invites, messages, ends the pairing; then nobody can invite or link
 * them, and the role cannot change. */
static void test_deactivate(void **state)
{
    struct fx *f = *state;
    struct store_person p;
    char *summary = NULL, err[160];
    int64_t ayu = populate(f->st), at = 0;
    get(f->st, AYU, &p);
    assert_int_equal(people_deactivate(f->st, &p, "hr:" BUDI, NOW, &summary), BB_OK);
    assert_non_null(summary);
    assert_non_null(strstr(summary, "erased: chats, invites, conversations, messages, schedule, "
                                    "health; kept: profile, consents, audit, checkin, "
                                    "development, mentoring, feedback; pairings ended: 1"));
    free(summary);
    assert_int_equal(store_person_deactivated_at(f->st, ayu, &at), BB_OK);
    assert_int_equal(at, NOW);
    assert_int_equal(n_of(f->st, "SELECT count(*) FROM identities WHERE person_id = ?1", ayu), 0);
    assert_int_equal(n_of(f->st, "SELECT count(*) FROM invites WHERE person_id = ?1", ayu), 0);
    assert_int_equal(
        n_of(f->st, "SELECT count(*) FROM inbox WHERE ext_user = '555' AND ?1 > 0", ayu), 0);
    assert_int_equal(n_of(f->st, "SELECT count(*) FROM wellbeing WHERE person_id = ?1", ayu), 0);
    assert_int_equal(n_of(f->st, "SELECT count(*) FROM checkins WHERE person_id = ?1", ayu), 1);
    assert_int_equal(n_of(f->st, "SELECT count(*) FROM consents WHERE person_id = ?1", ayu), 2);
    assert_int_equal(n_of(f->st,
                          "SELECT count(*) FROM pairings WHERE mentee_id = ?1 AND status ="
                          " 'ended' AND end_reason = 'deactivated'",
                          ayu),
                     1);
    assert_int_equal(n_of(f->st,
                          "SELECT count(*) FROM people WHERE id = ?1 AND phone = '' AND email = ''"
                          " AND name = 'Ayu Lestari'",
                          ayu),
                     1);
    assert_int_equal(n_of(f->st,
                          "SELECT count(*) FROM audit_log WHERE subject_person = ?1 AND"
                          " action = 'person.deactivate' AND actor = 'hr:" BUDI "'",
                          ayu),
                     1);
    /* again: refused, nothing changes */
    assert_int_equal(people_deactivate(f->st, &p, "cli", NOW + 5, NULL), BB_ESTATE);
    assert_int_equal(store_person_deactivated_at(f->st, ayu, &at), BB_OK);
    assert_int_equal(at, NOW);
    /* no invite, no chat, no role change; the list knows */
    assert_int_equal(store_invite_add(f->st, ayu, "another", NOW, NOW + 60), BB_EPERM);
    assert_int_equal(store_identity_link(f->st, "web", "w1", ayu, NOW), BB_EPERM);
    assert_int_equal(people_set_role(f->st, &p, "mentor", 1, "cli", NOW, err, sizeof(err)),
                     BB_ESTATE);
    struct store_people_row *v = NULL;
    int n = 0;
    int64_t total = 0;
    struct store_people_filter fl = {"", "", "", "deactivated"};
    assert_int_equal(store_people_find(f->st, &fl, NOW, 10, 0, &v, &n, &total), BB_OK);
    assert_int_equal(total, 1);
    assert_string_equal(v[0].nip, AYU);
    free(v);
    fl.state = "active";
    assert_int_equal(store_people_find(f->st, &fl, NOW, 10, 0, &v, &n, &total), BB_OK);
    assert_int_equal(total, 1);
    assert_string_equal(v[0].nip, BUDI);
    free(v);
}

/* With no consent at all, deactivation keeps no category. */
static void test_deactivate_no_consent(void **state)
{
    struct fx *f = *state;
    struct store_person p;
    int64_t ayu = populate(f->st);
    assert_int_equal(store_consent_set(f->st, ayu, "data", 0, NOW - 10), BB_OK);
    get(f->st, AYU, &p);
    assert_int_equal(people_deactivate(f->st, &p, "cli", NOW, NULL), BB_OK);
    assert_int_equal(n_of(f->st, "SELECT count(*) FROM checkins WHERE person_id = ?1", ayu), 0);
    assert_int_equal(n_of(f->st, "SELECT count(*) FROM wellbeing WHERE person_id = ?1", ayu), 0);
}

static void test_export_erase(void **state)
{
    struct fx *f = *state;
    struct store_person p;
    cJSON *o = NULL;
    char *kept = NULL, hash[65], detail[96];
    int64_t ayu = populate(f->st);
    get(f->st, AYU, &p);
    assert_int_equal(people_export(f->st, &p, "operator", NOW, &o), BB_OK);
    assert_non_null(cJSON_GetObjectItemCaseSensitive(o, "checkins"));
    cJSON_Delete(o);
    assert_int_equal(n_of(f->st,
                          "SELECT count(*) FROM audit_log WHERE subject_person = ?1 AND"
                          " action = 'person.export' AND actor = 'operator'",
                          ayu),
                     1);
    assert_false(people_erase_confirmed(&p, ""));
    assert_false(people_erase_confirmed(&p, "198501012010011002"));
    assert_false(people_erase_confirmed(&p, "Ayu"));
    assert_true(people_erase_confirmed(&p, " " AYU " "));
    assert_true(people_erase_confirmed(&p, "ayu lestari"));
    assert_int_equal(people_erase(f->st, &p, "operator", NOW, &kept), BB_OK);
    free(kept);
    assert_int_equal(store_person_by_nip(f->st, AYU, &p), BB_ENOTFOUND);
    bb_sha256_hex(AYU, strlen(AYU), hash);
    bb_snprintf(detail, sizeof(detail), "nip_sha256=%s", hash);
    int64_t n = -1;
    assert_int_equal(store_q_int64(f->st,
                                   "SELECT count(*) FROM audit_log WHERE action = 'person.erase'"
                                   " AND actor = 'operator' AND detail = ?1",
                                   STORE_ARGS(store_text(detail)), &n),
                     BB_OK);
    assert_int_equal(n, 1);
}

TFX_MAIN(TFX_TEST(test_find), TFX_TEST(test_page), TFX_TEST(test_role), TFX_TEST(test_deactivate),
         TFX_TEST(test_deactivate_no_consent), TFX_TEST(test_export_erase))
