/* test_store_handoff.c - handoffs to a counsellor (store_handoff.c): one
 * open per person, messages only into an open handoff, the dashboard's
 * order (waiting first, newest first), closing once, whether anyone is
 * staffed, and export and forget covering both tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "store/store.h"
#include "store/store_handoff.h"
#include "tests/lib/fixture.h"

struct fx {
    TFX_STORE_FIELDS;
    int64_t ayu, budi, rina;
};

static void fx_init(struct fx *f)
{
    f->ayu = tfx_person_in(f->st, "1001", "Ayu Lestari", "Biro SDM", "employee");
    f->budi = tfx_person_in(f->st, "1002", "Budi Santoso", "Dinas Kominfo", "employee");
    f->rina = tfx_person_in(f->st, "1003", "Rina Kusuma", "Biro SDM", "employee");
}

TFX_STORE_SETUP_INIT(fx, setup, fx_init)
TFX_STORE_TEARDOWN_FINI(fx, teardown, TFX_NOTHING)

static void test_open_once(void **state)
{
    struct fx *f = *state;
    struct store_handoff h;
    int64_t id = 0, id2 = 0;
    assert_int_equal(store_handoff_current(f->st, f->ayu, &h), BB_ENOTFOUND);
    assert_int_equal(store_handoff_open(f->st, f->ayu, "command", "Check-in", 100, &id), BB_OK);
    assert_true(id > 0);
    assert_int_equal(store_handoff_open(f->st, f->ayu, "distress", "", 101, &id2), BB_EEXIST);
    assert_int_equal(store_handoff_current(f->st, f->ayu, &h), BB_OK);
    assert_int_equal(h.id, id);
    assert_string_equal(h.reason, "command");
    assert_string_equal(h.paused, "Check-in");
    assert_string_equal(h.nip, "1001");
    assert_string_equal(h.name, "Ayu Lestari");
    assert_int_equal(h.opened_at, 100);
    assert_int_equal(h.closed_at, 0);
    /* bad input changes nothing */
    assert_int_equal(store_handoff_open(f->st, f->budi, "", "", 100, NULL), BB_EINVAL);
    assert_int_equal(store_handoff_open(f->st, f->budi, "a-reason-that-is-too-long", "", 100, NULL),
                     BB_EINVAL);
    assert_int_equal(store_handoff_open(f->st, 0, "command", "", 100, NULL), BB_EINVAL);
    assert_int_equal(store_handoff_current(f->st, f->budi, &h), BB_ENOTFOUND);
    /* closed: once; then a new one may open */
    assert_int_equal(store_handoff_close(f->st, id, "person", 200), BB_OK);
    assert_int_equal(store_handoff_close(f->st, id, "person", 201), BB_ENOTFOUND);
    assert_int_equal(store_handoff_current(f->st, f->ayu, &h), BB_ENOTFOUND);
    assert_int_equal(store_handoff_get(f->st, id, &h), BB_OK);
    assert_int_equal(h.closed_at, 200);
    assert_string_equal(h.closed_by, "person");
    assert_int_equal(store_handoff_open(f->st, f->ayu, "wellbeing", "", 300, &id2), BB_OK);
    assert_true(id2 != id);
    assert_int_equal(store_handoff_get(f->st, 999999, &h), BB_ENOTFOUND);
}

static void test_messages(void **state)
{
    struct fx *f = *state;
    struct store_handoff h;
    struct store_handoff_msg *m = NULL;
    int64_t id = 0;
    int n = -1;
    char big[STORE_HANDOFF_TEXT_MAX + 2];
    assert_int_equal(store_handoff_open(f->st, f->ayu, "command", "", 100, &id), BB_OK);
    assert_int_equal(store_handoff_add(f->st, id, 0, NULL, NULL, "saya butuh teman bicara", 110),
                     BB_OK);
    assert_int_equal(
        store_handoff_add(f->st, id, 1, "counsellor:1003", "Rina", "Halo Ayu, saya Rina.", 120),
        BB_OK);
    assert_int_equal(store_handoff_add(f->st, id, 0, NULL, NULL, "terima kasih", 130), BB_OK);
    /* refused: empty, too long, a bad direction, an unknown handoff */
    assert_int_equal(store_handoff_add(f->st, id, 0, NULL, NULL, "", 140), BB_EINVAL);
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(store_handoff_add(f->st, id, 0, NULL, NULL, big, 140), BB_EINVAL);
    assert_int_equal(store_handoff_add(f->st, id, 2, NULL, NULL, "x", 140), BB_EINVAL);
    assert_int_equal(store_handoff_add(f->st, 999999, 0, NULL, NULL, "x", 140), BB_ENOTFOUND);
    assert_int_equal(store_handoff_get(f->st, id, &h), BB_OK);
    assert_int_equal(h.last_in_at, 130);
    assert_int_equal(h.last_out_at, 120);
    assert_int_equal(h.n_in, 2);
    assert_int_equal(h.waiting, 1);
    assert_int_equal(store_handoff_messages(f->st, id, &m, &n), BB_OK);
    assert_int_equal(n, 3);
    assert_int_equal(m[0].out, 0);
    assert_string_equal(m[0].body, "saya butuh teman bicara");
    assert_int_equal(m[1].out, 1);
    assert_string_equal(m[1].author, "counsellor:1003");
    assert_string_equal(m[1].shown, "Rina");
    assert_int_equal(m[2].at, 130);
    store_handoff_msgs_free(m, n);
    /* a closed handoff takes no more messages, and nothing is half-written */
    assert_int_equal(store_handoff_close(f->st, id, "counsellor:1003", 150), BB_OK);
    assert_int_equal(store_handoff_add(f->st, id, 1, "counsellor:1003", "Rina", "late", 160),
                     BB_ENOTFOUND);
    assert_int_equal(store_handoff_messages(f->st, id, &m, &n), BB_OK);
    assert_int_equal(n, 3);
    store_handoff_msgs_free(m, n);
}

static void test_order_and_staffed(void **state)
{
    struct fx *f = *state;
    struct store_handoff *v = NULL;
    int64_t a = 0, b = 0, r = 0;
    int n = 0, yes = -1;
    assert_int_equal(store_handoff_staffed(f->st, &yes), BB_OK);
    assert_int_equal(yes, 0);
    tfx_person_in(f->st, "1009", "Konselor Satu", "Biro SDM", "counsellor");
    assert_int_equal(store_handoff_staffed(f->st, &yes), BB_OK);
    assert_int_equal(yes, 1);
    int64_t ids[4];
    assert_int_equal(store_handoff_counsellors(f->st, ids, 4, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_handoff_counsellors(f->st, ids, 0, &n), BB_EINVAL);

    assert_int_equal(store_handoff_open(f->st, f->ayu, "command", "", 100, &a), BB_OK);
    assert_int_equal(store_handoff_open(f->st, f->budi, "distress", "", 200, &b), BB_OK);
    assert_int_equal(store_handoff_open(f->st, f->rina, "wellbeing", "", 300, &r), BB_OK);
    /* Ayu wrote last (waiting), Budi wrote and was answered, Rina wrote nothing */
    assert_int_equal(store_handoff_add(f->st, b, 0, NULL, NULL, "halo", 310), BB_OK);
    assert_int_equal(store_handoff_add(f->st, b, 1, "operator", "", "halo juga", 320), BB_OK);
    assert_int_equal(store_handoff_add(f->st, a, 0, NULL, NULL, "tolong", 400), BB_OK);
    assert_int_equal(store_handoff_list_open(f->st, &v, &n), BB_OK);
    assert_int_equal(n, 3);
    assert_int_equal(v[0].id, a); /* waiting for an answer */
    assert_int_equal(v[1].id, b); /* then the newest */
    assert_int_equal(v[2].id, r);
    free(v);
    assert_int_equal(store_handoff_close(f->st, a, "person", 500), BB_OK);
    assert_int_equal(store_handoff_list_open(f->st, &v, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[0].id, b);
    free(v);
}

static void test_export_forget(void **state)
{
    struct fx *f = *state;
    int64_t id = 0, other = 0;
    cJSON *ex = NULL;
    char *kept = NULL;
    struct store_handoff_msg *m = NULL;
    int n = 0;
    assert_int_equal(store_handoff_open(f->st, f->ayu, "command", "", 100, &id), BB_OK);
    assert_int_equal(store_handoff_add(f->st, id, 0, NULL, NULL, "rahasia saya", 110), BB_OK);
    assert_int_equal(store_handoff_add(f->st, id, 1, "counsellor:1003", "Rina", "baik", 120),
                     BB_OK);
    assert_int_equal(store_handoff_open(f->st, f->budi, "command", "", 100, &other), BB_OK);
    assert_int_equal(store_handoff_add(f->st, other, 0, NULL, NULL, "punya Budi", 110), BB_OK);

    assert_int_equal(store_person_export(f->st, f->ayu, &ex), BB_OK);
    char *s = cJSON_PrintUnformatted(ex);
    assert_non_null(strstr(s, "\"handoffs\":[{"));
    assert_non_null(strstr(s, "rahasia saya"));
    assert_non_null(strstr(s, "\"answered_by\":\"Rina\""));
    assert_null(strstr(s, "counsellor:1003")); /* the counsellor's NIP is not theirs */
    assert_null(strstr(s, "punya Budi"));
    cJSON_free(s);
    cJSON_Delete(ex);

    assert_int_equal(store_person_forget(f->st, f->ayu, 1000, &kept), BB_OK);
    free(kept);
    struct store_handoff h;
    assert_int_equal(store_handoff_get(f->st, id, &h), BB_ENOTFOUND);
    assert_int_equal(store_handoff_messages(f->st, id, &m, &n), BB_OK);
    assert_int_equal(n, 0);
    free(m);
    /* Budi's stays */
    assert_int_equal(store_handoff_messages(f->st, other, &m, &n), BB_OK);
    assert_int_equal(n, 1);
    store_handoff_msgs_free(m, n);

    /* a counsellor who is forgotten: their NIP leaves what they answered */
    assert_int_equal(store_handoff_add(f->st, other, 1, "counsellor:1003", "Rina", "halo", 130),
                     BB_OK);
    assert_int_equal(store_handoff_close(f->st, other, "counsellor:1003", 140), BB_OK);
    assert_int_equal(store_person_forget(f->st, f->rina, 1000, &kept), BB_OK);
    free(kept);
    assert_int_equal(store_handoff_messages(f->st, other, &m, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_string_equal(m[1].author, "counsellor");
    assert_string_equal(m[1].shown, "Rina");
    store_handoff_msgs_free(m, n);
    assert_int_equal(store_handoff_get(f->st, other, &h), BB_OK);
    assert_string_equal(h.closed_by, "counsellor");
}

TFX_MAIN(TFX_TEST(test_open_once), TFX_TEST(test_messages), TFX_TEST(test_order_and_staffed),
         TFX_TEST(test_export_forget))
