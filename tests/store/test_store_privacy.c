/* test_store_privacy.c - erasure requests (request once, hold needs a
 * reason, a held request is not due, release, carried out with the same
 * forget as the CLI) and the retention purge (old bodies blanked, recent
 * and unsent ones kept, categories by their own setting, 0 keeps, bounded
 * batches), all with explicit times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bot/base/bb.h"
#include "store/store.h"
#include "store/store_int.h"
#include "store/store_privacy.h"
#include "tests/lib/fixture.h"

struct fx {
    TFX_STORE_FIELDS;
};

TFX_STORE_SETUP_INIT(fx, setup, TFX_NOTHING)
TFX_STORE_TEARDOWN_FINI(fx, teardown, TFX_NOTHING)

#define DAY 86400
#define T0  1800000000 /* 2027-01-15 */

static int64_t count(struct store *st, const char *sql)
{
    int64_t n = -1;
    assert_int_equal(store_q_int64(st, sql, STORE_NOARGS, &n), BB_OK);
    return n;
}

static void exec(struct store *st, const char *sql)
{
    assert_int_equal(sqlite3_exec(st->db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static void test_erasure_lifecycle(void **state)
{
    struct fx *f = *state;
    struct store_erasure e, e2;
    int64_t ids[4];
    int created = -1, n = -1;
    int64_t ayu = tfx_person_add(f->st, &(struct tfx_person){.nip = "1001", .name = "Ayu"});
    int64_t budi = tfx_person_add(f->st, &(struct tfx_person){.nip = "1002", .name = "Budi"});
    struct store_checkin ck = {.person_id = ayu, .at = T0, .mood = 4, .wants_help = -1};
    assert_int_equal(store_checkin_add(f->st, &ck, NULL), BB_OK);

    /* bad input changes nothing */
    assert_int_equal(store_erasure_request(f->st, ayu, T0, T0 - 1, &e, &created), BB_EINVAL);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM erasure_requests"), 0);

    assert_int_equal(store_erasure_request(f->st, ayu, T0, T0 + 3 * DAY, &e, &created), BB_OK);
    assert_int_equal(created, 1);
    assert_int_equal(e.state, STORE_ERASURE_PENDING);
    assert_string_equal(e.nip, "1001");
    /* a second request finds the open one, with its due time */
    assert_int_equal(store_erasure_request(f->st, ayu, T0 + 60, T0 + 60 + 3 * DAY, &e2, &created),
                     BB_OK);
    assert_int_equal(created, 0);
    assert_int_equal(e2.id, e.id);
    assert_int_equal(e2.due_at, T0 + 3 * DAY);

    /* not due before its time */
    assert_int_equal(store_erasure_due(f->st, T0 + 3 * DAY - 1, ids, 4, &n), BB_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_erasure_due(f->st, T0 + 3 * DAY, ids, 4, &n), BB_OK);
    assert_int_equal(n, 1);

    /* a hold needs a written reason; a held request is not due */
    assert_int_equal(store_erasure_hold(f->st, e.id, "hr1", "", T0 + 10), BB_EINVAL);
    assert_int_equal(store_erasure_hold(f->st, 999, "hr1", "why", T0 + 10), BB_ENOTFOUND);
    assert_int_equal(store_erasure_release(f->st, e.id, "hr1", T0 + 10), BB_ESTATE);
    assert_int_equal(store_erasure_hold(f->st, e.id, "hr1", "audit in progress", T0 + 10), BB_OK);
    assert_int_equal(store_erasure_hold(f->st, e.id, "hr1", "again", T0 + 10), BB_ESTATE);
    assert_int_equal(store_erasure_due(f->st, T0 + 10 * DAY, ids, 4, &n), BB_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_erasure_run(f->st, e.id, T0 + 10 * DAY), BB_ESTATE);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM people WHERE nip = '1001'"), 1);
    assert_int_equal(store_erasure_get(f->st, e.id, &e2), BB_OK);
    assert_int_equal(e2.state, STORE_ERASURE_HELD);
    assert_string_equal(e2.reason, "audit in progress");

    /* the export shows the request */
    cJSON *x = NULL;
    assert_int_equal(store_person_export(f->st, ayu, &x), BB_OK);
    cJSON *er = cJSON_GetObjectItem(x, "erasure_requests");
    assert_int_equal(cJSON_GetArraySize(er), 1);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(er, 0), "state")->valuestring,
                        "held");
    cJSON_Delete(x);

    /* released: overdue, so due at once; carried out like bimbing forget */
    assert_int_equal(store_erasure_release(f->st, e.id, "hr1", T0 + 11 * DAY), BB_OK);
    assert_int_equal(store_erasure_due(f->st, T0 + 11 * DAY, ids, 4, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], e.id);
    assert_int_equal(store_erasure_run(f->st, e.id, T0 + 11 * DAY), BB_OK);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM people WHERE nip = '1001'"), 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM checkins"), 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM people WHERE nip = '1002'"), 1);
    assert_int_equal(store_erasure_get(f->st, e.id, &e2), BB_OK);
    assert_int_equal(e2.state, STORE_ERASURE_DONE);
    assert_int_equal(e2.person_id, 0);
    assert_string_equal(e2.reason, ""); /* nothing about the person stays */
    assert_int_equal(e2.done_at, T0 + 11 * DAY);
    assert_int_equal(
        count(f->st, "SELECT COUNT(*) FROM audit_log WHERE action IN ('forget', 'erasure.done')"),
        2);
    /* done once: running again is refused */
    assert_int_equal(store_erasure_run(f->st, e.id, T0 + 12 * DAY), BB_ESTATE);

    /* HR's forget of a person with an open request cancels it */
    assert_int_equal(store_erasure_request(f->st, budi, T0, T0 + DAY, &e, &created), BB_OK);
    assert_int_equal(store_person_forget(f->st, budi, T0 + 100, NULL), BB_OK);
    assert_int_equal(store_erasure_get(f->st, e.id, &e2), BB_OK);
    assert_int_equal(e2.state, STORE_ERASURE_CANCELLED);
    assert_int_equal(e2.person_id, 0);
    assert_int_equal(store_erasure_due(f->st, T0 + 10 * DAY, ids, 4, &n), BB_OK);
    assert_int_equal(n, 0);
}

static void add_msg(struct store *st, int64_t person, int64_t ts, int processed)
{
    struct store_inbox_event ev;
    int dup = 0;
    memset(&ev, 0, sizeof(ev));
    bb_strlcpy(ev.channel, "console", sizeof(ev.channel));
    bb_strlcpy(ev.ext_user, "1001", sizeof(ev.ext_user));
    bb_snprintf(ev.ext_msg_id, sizeof(ev.ext_msg_id), "m%lld-%d", (long long)ts, processed);
    ev.person_id = person;
    ev.kind = 1;
    ev.text = "saya sedang lelah";
    ev.ts = ts;
    assert_int_equal(store_inbox_add(st, &ev, &dup, NULL), BB_OK);
    if (processed)
        exec(st, "UPDATE inbox SET processed_at = ts WHERE id = (SELECT MAX(id) FROM inbox)");
}

static void test_purge(void **state)
{
    struct fx *f = *state;
    int64_t keep[STORE_KEEP_N] = {0}, oid = 0;
    int n[STORE_KEEP_N], more = -1;
    int64_t ayu = tfx_person_add(f->st, &(struct tfx_person){.nip = "1001", .name = "Ayu"});

    add_msg(f->st, ayu, T0 - 40 * DAY, 1); /* old, processed: blanked */
    add_msg(f->st, ayu, T0 - 40 * DAY, 0); /* old, never processed: kept */
    add_msg(f->st, ayu, T0 - 5 * DAY, 1);  /* recent: kept */
    assert_int_equal(store_outbox_put(f->st, ayu, "console", "1001", STORE_PRIO_LIVE,
                                      "{\"text\":\"old reply\"}", 0, &oid),
                     BB_OK);
    exec(f->st, "UPDATE outbox SET state = 2, updated_at = 1800000000 - 40 * 86400");
    assert_int_equal(store_outbox_put(f->st, ayu, "console", "1001", STORE_PRIO_LIVE,
                                      "{\"text\":\"queued\"}", 0, NULL),
                     BB_OK);
    exec(f->st, "UPDATE outbox SET updated_at = 1800000000 - 40 * 86400 WHERE state = 0");
    for (int i = 0; i < 3; i++) {
        struct store_checkin ck = {.person_id = ayu,
                                   .at = T0 - (800 - i * 400) * (int64_t)DAY,
                                   .mood = 3,
                                   .wants_help = -1};
        assert_int_equal(store_checkin_add(f->st, &ck, NULL), BB_OK);
    }
    /* 0 everywhere: nothing changes */
    assert_int_equal(store_purge(f->st, keep, T0, 10, n, &more), BB_OK);
    assert_int_equal(more, 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM inbox WHERE text IS NOT NULL"), 3);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM checkins"), 3);
    /* bad batch: refused */
    assert_int_equal(store_purge(f->st, keep, T0, 0, n, &more), BB_EINVAL);

    keep[STORE_KEEP_MESSAGES] = 30 * DAY;
    keep[STORE_KEEP_CHECKINS] = 730 * DAY;
    assert_int_equal(store_purge(f->st, keep, T0, 10, n, &more), BB_OK);
    assert_int_equal(n[STORE_KEEP_MESSAGES], 2); /* one inbox row, one outbox row */
    assert_int_equal(n[STORE_KEEP_CHECKINS], 1); /* the 800-day-old one */
    assert_int_equal(more, 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM inbox WHERE text IS NOT NULL"), 2);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM inbox WHERE text IS NULL AND"
                                  " processed_at = 1800000000 - 40 * 86400"),
                     1);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM outbox WHERE body = '{\"text\":\"\"}'"), 1);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM outbox WHERE body LIKE '%queued%'"), 1);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM checkins"), 2);
    /* the rows stay (counts, delivery status); a second pass finds nothing */
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM inbox"), 3);
    assert_int_equal(store_purge(f->st, keep, T0, 10, n, &more), BB_OK);
    assert_int_equal(n[STORE_KEEP_MESSAGES] + n[STORE_KEEP_CHECKINS], 0);

    /* bounded batches: a full batch says "more" */
    for (int i = 0; i < 5; i++)
        add_msg(f->st, ayu, T0 - (50 + i) * DAY, 1);
    assert_int_equal(store_purge(f->st, keep, T0, 3, n, &more), BB_OK);
    assert_int_equal(n[STORE_KEEP_MESSAGES], 3);
    assert_int_equal(more, 1);
    assert_int_equal(store_purge(f->st, keep, T0, 3, n, &more), BB_OK);
    assert_int_equal(n[STORE_KEEP_MESSAGES], 2);
    assert_int_equal(more, 0);
}

static void test_meta(void **state)
{
    struct fx *f = *state;
    int64_t v = -1;
    assert_int_equal(store_privacy_meta_get(f->st, "purge_next", &v), BB_OK);
    assert_int_equal(v, 0);
    assert_int_equal(store_privacy_meta_set(f->st, "purge_next", 42), BB_OK);
    assert_int_equal(store_privacy_meta_set(f->st, "purge_next", 43), BB_OK);
    assert_int_equal(store_privacy_meta_get(f->st, "purge_next", &v), BB_OK);
    assert_int_equal(v, 43);
}

TFX_MAIN(TFX_TEST(test_erasure_lifecycle), TFX_TEST(test_purge), TFX_TEST(test_meta))
