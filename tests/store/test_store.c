/* test_store.c - unit tests of store/store.c on a real SQLite file in a
 * temporary directory: migrations, every table's queries, nested
 * transactions, export and forget. */
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
#include "store/store.h"
#include "tests/lib/fixture.h"

struct fx {
    TFX_STORE_FIELDS;
};

static int setup(void **state)
{
    struct fx *f = tfx_calloc(sizeof(*f));
    /* a missing parent directory must be created by store_open */
    tfx_store_open(f, "var/bimbing.db");
    *state = f;
    return 0;
}

TFX_STORE_TEARDOWN(fx, teardown)

static int64_t add_person(struct store *st, const char *nip, const char *name)
{
    struct store_person p;
    int64_t id = 0;
    int created = -1;
    memset(&p, 0, sizeof(p));
    bb_strlcpy(p.nip, nip, sizeof(p.nip));
    bb_strlcpy(p.name, name, sizeof(p.name));
    assert_int_equal(store_person_upsert(st, &p, &id, &created), BB_OK);
    assert_int_equal(created, 1);
    return id;
}

/* Count rows of a table with a raw connection (test-only SQL). */
static long long rows(struct fx *f, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    long long n = -1;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

static void test_open_migrate(void **state)
{
    struct fx *f = *state;
    int v = 0;
    int64_t n;
    assert_int_equal(store_schema_version(f->st, &v), BB_OK);
    assert_true(v >= 1);
    add_person(f->st, "1001", "Ayu");
    store_free(f->st);
    struct store_opts o = {STORE_SYNC_NORMAL, 1000};
    assert_int_equal(store_open(f->path, &o, &f->st), BB_OK);
    int v2 = 0;
    assert_int_equal(store_schema_version(f->st, &v2), BB_OK);
    assert_int_equal(v2, v);
    assert_int_equal(store_person_count(f->st, &n), BB_OK);
    assert_int_equal(n, 1);
    {
        sqlite3 *db;
        sqlite3_stmt *s;
        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
        sqlite3_finalize(s);
        /* a schema newer than the code knows is refused */
        store_free(f->st);
        f->st = NULL;
        assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL),
                         SQLITE_OK);
        sqlite3_close(db);
    }
    assert_int_equal(store_open(f->path, NULL, &f->st), BB_ESTATE);
    assert_null(f->st);
    assert_int_equal(store_open("", NULL, &f->st), BB_EINVAL);
}

static void test_person_upsert(void **state)
{
    struct fx *f = *state;
    struct store_person p, q;
    int64_t id1, id2, n;
    int created;
    memset(&p, 0, sizeof(p));
    bb_strlcpy(p.nip, "198501012010012001", sizeof(p.nip));
    bb_strlcpy(p.name, "Ayu Lestari", sizeof(p.name));
    bb_strlcpy(p.unit, "Biro SDM", sizeof(p.unit));
    bb_strlcpy(p.phone, "628111", sizeof(p.phone));
    assert_int_equal(store_person_upsert(f->st, &p, &id1, &created), BB_OK);
    assert_int_equal(created, 1);
    assert_int_equal(store_person_by_id(f->st, id1, &q), BB_OK);
    assert_string_equal(q.lang, "id");
    assert_string_equal(q.tz, "Asia/Jakarta");
    assert_string_equal(q.role, "employee");
    /* update: "" keeps, given values replace */
    memset(&p, 0, sizeof(p));
    bb_strlcpy(p.nip, "198501012010012001", sizeof(p.nip));
    bb_strlcpy(p.unit, "Bappeda", sizeof(p.unit));
    bb_strlcpy(p.lang, "en", sizeof(p.lang));
    assert_int_equal(store_person_upsert(f->st, &p, &id2, &created), BB_OK);
    assert_int_equal(created, 0);
    assert_int_equal(id1, id2);
    assert_int_equal(store_person_by_nip(f->st, "198501012010012001", &q), BB_OK);
    assert_string_equal(q.name, "Ayu Lestari");
    assert_string_equal(q.unit, "Bappeda");
    assert_string_equal(q.lang, "en");
    assert_int_equal(store_person_count(f->st, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_person_by_phone(f->st, "628111", &q), BB_OK);
    assert_int_equal(q.id, id1);
    assert_int_equal(store_person_by_phone(f->st, "", &q), BB_ENOTFOUND);
    assert_int_equal(store_person_by_nip(f->st, "nope", &q), BB_ENOTFOUND);
    /* an audit actor as people read it */
    char who[16];
    store_actor_name(f->st, "hr:198501012010012001", who, sizeof(who));
    assert_string_equal(who, "Ayu Lestari");
    store_actor_name(f->st, "counsellor:198501012010012001", who, sizeof(who));
    assert_string_equal(who, "Ayu Lestari");
    store_actor_name(f->st, "operator", who, sizeof(who));
    assert_string_equal(who, "Operator");
    store_actor_name(f->st, "hr:199001012015011002", who, sizeof(who));
    assert_string_equal(who, "199001012015011"); /* unknown: the NIP, cut to fit */
    store_actor_name(f->st, "cli", who, sizeof(who));
    assert_string_equal(who, "cli");
    assert_int_equal(store_person_set_lang(f->st, id1, "id"), BB_OK);
    assert_int_equal(store_person_set_lang(f->st, id1, "fr"), BB_EINVAL);
    assert_int_equal(store_person_set_lang(f->st, 9999, "id"), BB_ENOTFOUND);
    bb_strlcpy(p.role, "boss", sizeof(p.role));
    assert_int_equal(store_person_upsert(f->st, &p, NULL, NULL), BB_EINVAL);
    memset(&p, 0, sizeof(p));
    assert_int_equal(store_person_upsert(f->st, &p, NULL, NULL), BB_EINVAL);
}

static void test_identities(void **state)
{
    struct fx *f = *state;
    int64_t a = add_person(f->st, "1", "A"), b = add_person(f->st, "2", "B"), pid;
    char ch[16], ext[64];
    assert_int_equal(store_identity_link(f->st, "telegram", "555", a, 100), BB_OK);
    assert_int_equal(store_identity_person(f->st, "telegram", "555", &pid), BB_OK);
    assert_int_equal(pid, a);
    /* relinking replaces */
    assert_int_equal(store_identity_link(f->st, "telegram", "555", b, 110), BB_OK);
    assert_int_equal(store_identity_person(f->st, "telegram", "555", &pid), BB_OK);
    assert_int_equal(pid, b);
    assert_int_equal(store_identity_of(f->st, a, "telegram", ext, sizeof(ext)), BB_ENOTFOUND);
    assert_int_equal(store_identity_link(f->st, "whatsapp", "62811", b, 120), BB_OK);
    assert_int_equal(store_identity_last(f->st, b, ch, sizeof(ch), ext, sizeof(ext)), BB_OK);
    assert_string_equal(ch, "whatsapp");
    assert_int_equal(store_identity_touch(f->st, "telegram", "555", 200), BB_OK);
    assert_int_equal(store_identity_last(f->st, b, ch, sizeof(ch), ext, sizeof(ext)), BB_OK);
    assert_string_equal(ch, "telegram");
    assert_string_equal(ext, "555");
    assert_int_equal(store_identity_of(f->st, b, "whatsapp", ext, sizeof(ext)), BB_OK);
    assert_string_equal(ext, "62811");
    assert_int_equal(store_identity_last(f->st, a, ch, sizeof(ch), ext, sizeof(ext)), BB_ENOTFOUND);
    /* touching an unknown identity is harmless; a touch within a minute of
     * the last one writes nothing, a later one moves last_seen */
    assert_int_equal(store_identity_touch(f->st, "telegram", "nobody", 1), BB_OK);
    assert_int_equal(store_identity_touch(f->st, "telegram", "555", 230), BB_OK);
    assert_int_equal(rows(f, "SELECT last_seen FROM identities WHERE ext_id = '555'"), 200);
    assert_int_equal(store_identity_touch(f->st, "telegram", "555", 261), BB_OK);
    assert_int_equal(rows(f, "SELECT last_seen FROM identities WHERE ext_id = '555'"), 261);
    assert_int_equal(store_identity_set_blocked(f->st, "telegram", "555", 1, 300), BB_OK);
    assert_int_equal(rows(f, "SELECT blocked FROM identities WHERE ext_id = '555'"), 1);
    assert_int_equal(store_identity_set_blocked(f->st, "telegram", "x", 1, 300), BB_ENOTFOUND);
    assert_int_equal(store_identity_person(f->st, "web", "555", &pid), BB_ENOTFOUND);
    /* a link to a person who does not exist */
    assert_int_equal(store_identity_link(f->st, "web", "w1", 424242, 1), BB_ENOTFOUND);
}

static void test_invites(void **state)
{
    struct fx *f = *state;
    int64_t a = add_person(f->st, "1", "A"), pid = 0;
    assert_int_equal(store_invite_add(f->st, a, "hash1", 100, 200), BB_OK);
    assert_int_equal(store_invite_add(f->st, a, "hash1", 100, 200), BB_EEXIST);
    assert_int_equal(store_invite_add(f->st, a, "hash2", 100, 200), BB_OK);
    assert_int_equal(store_invite_redeem(f->st, "nope", 150, &pid), BB_ENOTFOUND);
    assert_int_equal(store_invite_redeem(f->st, "hash1", 150, &pid), BB_OK);
    assert_int_equal(pid, a);
    assert_int_equal(store_invite_redeem(f->st, "hash1", 151, &pid), BB_ENOTFOUND);
    assert_int_equal(store_invite_redeem(f->st, "hash2", 200, &pid), BB_EEXPIRED);
    /* an expired redeem changes nothing inside an outer transaction */
    assert_int_equal(store_begin(f->st), BB_OK);
    assert_int_equal(store_invite_redeem(f->st, "hash2", 300, &pid), BB_EEXPIRED);
    assert_int_equal(store_commit(f->st), BB_OK);
}

static void test_consents(void **state)
{
    struct fx *f = *state;
    int64_t a = add_person(f->st, "1", "A");
    int g = 7;
    assert_int_equal(store_consent_get(f->st, a, "share_mentor", &g), BB_OK);
    assert_int_equal(g, -1);
    assert_int_equal(store_consent_set(f->st, a, "share_mentor", 1, 100), BB_OK);
    assert_int_equal(store_consent_get(f->st, a, "share_mentor", &g), BB_OK);
    assert_int_equal(g, 1);
    assert_int_equal(store_consent_set(f->st, a, "share_mentor", 0, 100), BB_OK);
    assert_int_equal(store_consent_get(f->st, a, "share_mentor", &g), BB_OK);
    assert_int_equal(g, 0);
    assert_int_equal(store_consent_get(f->st, a, "other", &g), BB_OK);
    assert_int_equal(g, -1);
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM consents"), 2); /* history kept */
    /* several at once: the newest row of each, -1 for never asked */
    const char *const purposes[] = {"other", "share_mentor", "data"};
    int all[3] = {7, 7, 7};
    assert_int_equal(store_consent_set(f->st, a, "data", 1, 101), BB_OK);
    assert_int_equal(store_consent_all(f->st, a, purposes, 3, all), BB_OK);
    assert_int_equal(all[0], -1);
    assert_int_equal(all[1], 0);
    assert_int_equal(all[2], 1);
}

/* A person's rows by data category: counted and erased for that person
 * only; an unknown category is refused and erases nothing. */
static void test_categories(void **state)
{
    struct fx *f = *state;
    int64_t a = add_person(f->st, "1", "A"), b = add_person(f->st, "2", "B");
    static struct store_checkin c; /* large: not on the stack */
    int64_t n = -1, erased = -1;
    memset(&c, 0, sizeof(c));
    c.mood = 4;
    c.wants_help = -1;
    for (int i = 0; i < 3; i++) {
        c.person_id = i < 2 ? a : b;
        c.at = 100 + i;
        assert_int_equal(store_checkin_add(f->st, &c, NULL), BB_OK);
    }
    assert_int_equal(store_category_count(f->st, a, "checkin", &n), BB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_category_count(f->st, a, "health", &n), BB_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_category_count(f->st, a, "salary", &n), BB_EINVAL);
    assert_int_equal(store_category_erase(f->st, a, "salary", &erased), BB_EINVAL);
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM checkins"), 3);
    assert_int_equal(store_category_erase(f->st, a, "checkin", &erased), BB_OK);
    assert_int_equal(erased, 2);
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM checkins"), 1); /* B's stays */
    assert_int_equal(store_category_count(f->st, b, "checkin", &n), BB_OK);
    assert_int_equal(n, 1);
    /* survey participation is counted, never erased with a consent */
    assert_int_equal(store_category_erase(f->st, a, "survey", &erased), BB_OK);
    assert_int_equal(erased, 0);
}

static void test_flows(void **state)
{
    struct fx *f = *state;
    char *src = NULL;
    assert_int_equal(store_flow_put(f->st, "checkin", 1, "{\"a\":1}", 10), BB_OK);
    assert_int_equal(store_flow_put(f->st, "checkin", 1, "{\"a\":1}", 20), BB_OK);
    assert_int_equal(store_flow_put(f->st, "checkin", 1, "{\"a\":2}", 30), BB_EEXIST);
    assert_int_equal(store_flow_put(f->st, "checkin", 2, "{\"a\":2}", 30), BB_OK);
    assert_int_equal(store_flow_get(f->st, "checkin", 1, &src), BB_OK);
    assert_string_equal(src, "{\"a\":1}");
    free(src);
    assert_int_equal(store_flow_get(f->st, "checkin", 3, &src), BB_ENOTFOUND);
    assert_null(src);
}

static void test_sessions(void **state)
{
    struct fx *f = *state;
    int64_t a = add_person(f->st, "1", "A"), n;
    char *js = NULL;
    assert_int_equal(store_session_get(f->st, a, &js), BB_ENOTFOUND);
    assert_int_equal(store_session_put(f->st, a, "checkin", 1, "mood", "{\"n\":1}", 10), BB_OK);
    assert_int_equal(store_session_put(f->st, a, "checkin", 1, "win", "{\"n\":2}", 11), BB_OK);
    assert_int_equal(store_session_get(f->st, a, &js), BB_OK);
    assert_string_equal(js, "{\"n\":2}");
    free(js);
    assert_int_equal(store_session_count_active(f->st, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_session_delete(f->st, a), BB_OK);
    assert_int_equal(store_session_count_active(f->st, &n), BB_OK);
    assert_int_equal(n, 0);
}

static void ev_init(struct store_inbox_event *e, const char *ch, const char *user, const char *mid,
                    const char *text)
{
    memset(e, 0, sizeof(*e));
    bb_strlcpy(e->channel, ch, sizeof(e->channel));
    bb_strlcpy(e->ext_user, user, sizeof(e->ext_user));
    bb_strlcpy(e->ext_msg_id, mid, sizeof(e->ext_msg_id));
    e->kind = STORE_EV_TEXT;
    e->text = (char *)text;
    e->ts = 100;
}

static void test_inbox(void **state)
{
    struct fx *f = *state;
    struct store_inbox_event e, *evs = NULL;
    int dup = -1, n = 0;
    int64_t id1, id2, idd, pend;
    ev_init(&e, "telegram", "555", "m1", "halo");
    assert_int_equal(store_inbox_add(f->st, &e, &dup, &id1), BB_OK);
    assert_int_equal(dup, 0);
    ev_init(&e, "telegram", "555", "m2", NULL);
    e.kind = STORE_EV_BUTTON;
    bb_strlcpy(e.payload, "yes", sizeof(e.payload));
    assert_int_equal(store_inbox_add(f->st, &e, &dup, &id2), BB_OK);
    ev_init(&e, "telegram", "555", "m1", "again");
    assert_int_equal(store_inbox_add(f->st, &e, &dup, &idd), BB_OK);
    assert_int_equal(dup, 1);
    assert_int_equal(idd, id1);
    /* the same message id on another channel is another message */
    ev_init(&e, "whatsapp", "555", "m1", "wa");
    assert_int_equal(store_inbox_add(f->st, &e, &dup, NULL), BB_OK);
    assert_int_equal(dup, 0);
    /* internal events without id are never duplicates */
    ev_init(&e, "", "", "", NULL);
    e.kind = STORE_EV_TIMER;
    e.person_id = 3;
    assert_int_equal(store_inbox_add(f->st, &e, &dup, NULL), BB_OK);
    assert_int_equal(store_inbox_add(f->st, &e, &dup, NULL), BB_OK);
    assert_int_equal(dup, 0);
    e.kind = 99;
    assert_int_equal(store_inbox_add(f->st, &e, &dup, NULL), BB_EINVAL);
    assert_int_equal(store_inbox_pending(f->st, &pend), BB_OK);
    assert_int_equal(pend, 5);
    assert_int_equal(store_inbox_next(f->st, 2, &evs, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(evs[0].id, id1);
    assert_string_equal(evs[0].text, "halo");
    assert_string_equal(evs[0].ext_msg_id, "m1");
    assert_int_equal(evs[1].id, id2);
    assert_null(evs[1].text);
    assert_int_equal(evs[1].kind, STORE_EV_BUTTON);
    assert_string_equal(evs[1].payload, "yes");
    store_inbox_free(evs, n);
    assert_int_equal(store_inbox_done(f->st, id1, 200), BB_OK);
    assert_int_equal(store_inbox_done(f->st, 98765, 200), BB_ENOTFOUND);
    assert_int_equal(store_inbox_next(f->st, 10, &evs, &n), BB_OK);
    assert_int_equal(n, 4);
    assert_int_equal(evs[0].id, id2);
    assert_int_equal(evs[3].person_id, 3);
    store_inbox_free(evs, n);
    store_inbox_free(NULL, 0);
}

static int64_t add_out(struct store *st, const char *ch, int prio, int64_t due, int64_t person)
{
    struct store_outbox_msg m;
    int64_t id = 0;
    memset(&m, 0, sizeof(m));
    bb_strlcpy(m.channel, ch, sizeof(m.channel));
    bb_strlcpy(m.ext_user, "555", sizeof(m.ext_user));
    m.priority = prio;
    m.body = "{\"text\":\"hai\"}";
    m.due = due;
    m.person_id = person;
    assert_int_equal(store_outbox_add(st, &m, &id), BB_OK);
    return id;
}

static void test_outbox(void **state)
{
    struct fx *f = *state;
    struct store_outbox_msg *ms = NULL;
    int n = 0, rec = 0;
    int64_t pend;
    int64_t b1 = add_out(f->st, "telegram", STORE_PRIO_BULK, 10, 0);
    int64_t b2 = add_out(f->st, "telegram", STORE_PRIO_BULK, 5, 0);
    int64_t l1 = add_out(f->st, "telegram", STORE_PRIO_LIVE, 20, 0);
    int64_t lf = add_out(f->st, "telegram", STORE_PRIO_LIVE, 1000, 0); /* not yet due */
    add_out(f->st, "whatsapp", STORE_PRIO_LIVE, 0, 0);
    assert_int_equal(store_outbox_pending(f->st, "telegram", &pend), BB_OK);
    assert_int_equal(pend, 4);
    assert_int_equal(store_outbox_claim(f->st, "telegram", 100, 2, &ms, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ms[0].id, l1); /* LIVE before BULK */
    assert_int_equal(ms[1].id, b2); /* then the oldest due */
    assert_int_equal(ms[0].state, STORE_OUT_SENDING);
    assert_string_equal(ms[0].body, "{\"text\":\"hai\"}");
    store_outbox_free(ms, n);
    assert_int_equal(store_outbox_claim(f->st, "telegram", 100, 10, &ms, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ms[0].id, b1);
    store_outbox_free(ms, n);
    assert_int_equal(store_outbox_claim(f->st, "telegram", 100, 10, &ms, &n), BB_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_outbox_pending(f->st, "telegram", &pend), BB_OK);
    assert_int_equal(pend, 4); /* 3 sending + 1 queued */
    /* retry: back to QUEUED with a new due, attempts counted */
    assert_int_equal(store_outbox_mark(f->st, b1, STORE_OUT_QUEUED, NULL, "429", 500), BB_OK);
    assert_int_equal(rows(f, "SELECT attempts FROM outbox WHERE due = 500"), 1);
    assert_int_equal(store_outbox_claim(f->st, "telegram", 499, 10, &ms, &n), BB_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_outbox_claim(f->st, "telegram", 1000, 10, &ms, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ms[0].id, lf);
    assert_int_equal(ms[1].id, b1);
    assert_int_equal(ms[1].attempts, 1);
    store_outbox_free(ms, n);
    /* receipts move forward only; FAILED always applies */
    assert_int_equal(store_outbox_mark(f->st, l1, STORE_OUT_SENT, "wamid.1", NULL, 0), BB_OK);
    assert_int_equal(
        store_outbox_status_by_ext(f->st, "telegram", "wamid.1", STORE_OUT_READ, NULL, 1), BB_OK);
    assert_int_equal(
        store_outbox_status_by_ext(f->st, "telegram", "wamid.1", STORE_OUT_DELIVERED, NULL, 2),
        BB_OK);
    assert_int_equal(rows(f, "SELECT state FROM outbox WHERE ext_msg_id = 'wamid.1'"),
                     STORE_OUT_READ);
    assert_int_equal(
        store_outbox_status_by_ext(f->st, "telegram", "wamid.1", STORE_OUT_FAILED, "x", 3), BB_OK);
    assert_int_equal(rows(f, "SELECT state FROM outbox WHERE ext_msg_id = 'wamid.1'"),
                     STORE_OUT_FAILED);
    assert_int_equal(
        store_outbox_status_by_ext(f->st, "telegram", "wamid.1", STORE_OUT_DELIVERED, NULL, 4),
        BB_OK);
    assert_int_equal(rows(f, "SELECT state FROM outbox WHERE ext_msg_id = 'wamid.1'"),
                     STORE_OUT_FAILED);
    assert_int_equal(store_outbox_status_by_ext(f->st, "telegram", "nope", STORE_OUT_READ, NULL, 4),
                     BB_ENOTFOUND);
    assert_int_equal(store_outbox_mark(f->st, 99999, STORE_OUT_SENT, NULL, NULL, 0), BB_ENOTFOUND);
    assert_int_equal(store_outbox_mark(f->st, l1, 42, NULL, NULL, 0), BB_EINVAL);
    /* crash recovery: SENDING rows (b2, lf, b1) go back to QUEUED */
    assert_int_equal(store_outbox_recover(f->st, &rec), BB_OK);
    assert_int_equal(rec, 3);
    assert_int_equal(store_outbox_pending(f->st, NULL, &pend), BB_OK);
    assert_int_equal(pend, 4);
    assert_int_equal(store_outbox_claim(f->st, "whatsapp", 0, 10, &ms, &n), BB_OK);
    assert_int_equal(n, 1);
    store_outbox_free(ms, n);
}

static void test_outbox_claim_plan(void **state)
{
    /* The claim must be an index range scan, not a scan of the outbox. */
    struct fx *f = *state;
    sqlite3 *db;
    sqlite3_stmt *s;
    int indexed = 0;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE state = 0 AND"
                           " channel = ?1 AND priority = ?2 AND due <= ?3 ORDER BY due, id"
                           " LIMIT ?4",
                           -1, &s, NULL),
        SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(s, 3);
        if (strstr(d, "USING INDEX outbox_claim"))
            indexed = 1;
        assert_null(strstr(d, "TEMP B-TREE")); /* no sort */
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    assert_true(indexed);
}

/* The person fields' queries (store_pcheck_pending, the coaching summary's
 * GROW session due and its distinct givers) run for a flow step that reads
 * them: no temporary b-tree (a sort or a DISTINCT) in any of them. The
 * texts are those of store_mentoring.c and store_coaching.c. */
static void test_person_field_plans(void **state)
{
    static const struct {
        const char *sql, *index;
    } q[] = {
        {"SELECT c.pairing_id FROM pairing_checks c JOIN pairings p ON p.id = c.pairing_id"
         " WHERE c.person_id = ?1 AND c.kind = ?2 AND c.answered_at = 0 AND p.status = 'active'"
         " ORDER BY c.asked_at, c.pairing_id LIMIT 1",
         "pairing_checks_pending"},
        {"SELECT COALESCE((SELECT id FROM grow_sessions WHERE person_id = ?1 AND followup_at = 0"
         " AND followup_day <> '' AND followup_day <= ?5"
         " ORDER BY followup_day DESC, at DESC, id DESC LIMIT 1),"
         " (SELECT id FROM grow_sessions WHERE person_id = ?1 AND followup_at = 0"
         " ORDER BY at DESC, id DESC LIMIT 1))",
         "grow_open"},
        {"SELECT COUNT(DISTINCT giver_id) FROM feedback_requests x WHERE x.asker_id = ?1"
         " AND x.created_at > ?2",
         "feedback_req_asker_giver"},
    };
    struct fx *f = *state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
        char sql[1024];
        sqlite3_stmt *s;
        int indexed = 0;
        assert_int_equal(bb_snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s", q[i].sql), BB_OK);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
        while (sqlite3_step(s) == SQLITE_ROW) {
            const char *d = (const char *)sqlite3_column_text(s, 3);
            if (strstr(d, q[i].index))
                indexed = 1;
            assert_null(strstr(d, "TEMP B-TREE"));
        }
        sqlite3_finalize(s);
        assert_true(indexed);
    }
    sqlite3_close(db);
}

static void test_timers(void **state)
{
    struct fx *f = *state;
    struct store_timer t, *ts = NULL;
    int64_t id1, id2;
    int n;
    memset(&t, 0, sizeof(t));
    t.person_id = 7;
    bb_strlcpy(t.kind, "remind", sizeof(t.kind));
    t.due = 50;
    assert_int_equal(store_timer_add(f->st, &t, &id1), BB_OK);
    t.due = 40;
    bb_strlcpy(t.kind, "expire", sizeof(t.kind));
    assert_int_equal(store_timer_add(f->st, &t, &id2), BB_OK);
    t.due = 500;
    assert_int_equal(store_timer_add(f->st, &t, NULL), BB_OK);
    assert_int_equal(store_timer_due(f->st, 100, 10, &ts, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ts[0].id, id2);
    assert_string_equal(ts[0].kind, "expire");
    assert_int_equal(ts[1].id, id1);
    free(ts);
    assert_int_equal(store_timer_cancel(f->st, 7, "expire"), BB_OK);
    assert_int_equal(store_timer_due(f->st, 1000, 10, &ts, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ts[0].id, id1);
    free(ts);
    assert_int_equal(store_timer_delete(f->st, id1), BB_OK);
    assert_int_equal(store_timer_delete(f->st, id1), BB_ENOTFOUND);
    t.due = 1;
    assert_int_equal(store_timer_add(f->st, &t, NULL), BB_OK);
    assert_int_equal(store_timer_cancel(f->st, 7, NULL), BB_OK);
    assert_int_equal(store_timer_due(f->st, 1000, 10, &ts, &n), BB_OK);
    assert_int_equal(n, 0);
    free(ts);
}

static void test_transactions(void **state)
{
    struct fx *f = *state;
    int64_t n;
    assert_int_equal(store_commit(f->st), BB_ESTATE);
    assert_int_equal(store_rollback(f->st), BB_ESTATE);
    /* nested commit */
    assert_int_equal(store_begin(f->st), BB_OK);
    add_person(f->st, "1", "A");
    assert_int_equal(store_begin(f->st), BB_OK);
    add_person(f->st, "2", "B");
    assert_int_equal(store_commit(f->st), BB_OK);
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM people"), 0); /* not yet visible */
    assert_int_equal(store_commit(f->st), BB_OK);
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM people"), 2);
    /* an inner rollback dooms the whole transaction */
    assert_int_equal(store_begin(f->st), BB_OK);
    add_person(f->st, "3", "C");
    assert_int_equal(store_begin(f->st), BB_OK);
    add_person(f->st, "4", "D");
    assert_int_equal(store_rollback(f->st), BB_OK);
    assert_int_equal(store_commit(f->st), BB_ESTATE);
    assert_int_equal(store_person_count(f->st, &n), BB_OK);
    assert_int_equal(n, 2);
    /* outer rollback */
    assert_int_equal(store_begin(f->st), BB_OK);
    add_person(f->st, "5", "E");
    assert_int_equal(store_rollback(f->st), BB_OK);
    assert_int_equal(store_person_count(f->st, &n), BB_OK);
    assert_int_equal(n, 2);
}

/* store_after_commit(): what a hook saw, in order (1 committed, 0 not) */
struct after_log {
    int calls[8];
    int n;
    int people; /* the people it could read when called */
    struct store *st;
};

static void after_hook(void *v, int committed)
{
    struct after_log *l = v;
    int64_t n = -1;
    assert_true(l->n < 8);
    assert_false(store_in_tx(l->st)); /* outside the transaction */
    assert_int_equal(store_person_count(l->st, &n), BB_OK);
    l->people = (int)n;
    l->calls[l->n++] = committed;
}

static void other_hook(void *v, int committed)
{
    (void)v;
    (void)committed;
}

static void test_after_commit(void **state)
{
    struct fx *f = *state;
    struct after_log l = {.st = f->st};
    /* outside a transaction: at once */
    assert_int_equal(store_after_commit(f->st, after_hook, &l), BB_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.calls[0], 1);
    /* nested: only at the outermost commit, once however often added, and
     * after the rows are durable (it sees them) */
    assert_int_equal(store_begin(f->st), BB_OK);
    assert_int_equal(store_begin(f->st), BB_OK);
    add_person(f->st, "1", "A");
    assert_int_equal(store_after_commit(f->st, after_hook, &l), BB_OK);
    assert_int_equal(store_after_commit(f->st, after_hook, &l), BB_OK);
    assert_int_equal(store_commit(f->st), BB_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(store_commit(f->st), BB_OK);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.calls[1], 1);
    assert_int_equal(l.people, 1);
    /* an inner rollback: the outermost commit fails and the hook hears 0 */
    assert_int_equal(store_begin(f->st), BB_OK);
    assert_int_equal(store_after_commit(f->st, after_hook, &l), BB_OK);
    assert_int_equal(store_begin(f->st), BB_OK);
    add_person(f->st, "2", "B");
    assert_int_equal(store_rollback(f->st), BB_OK);
    assert_int_equal(store_commit(f->st), BB_ESTATE);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.calls[2], 0);
    assert_int_equal(l.people, 1);
    /* an outer rollback: 0, and the list is empty afterwards */
    assert_int_equal(store_begin(f->st), BB_OK);
    assert_int_equal(store_after_commit(f->st, after_hook, &l), BB_OK);
    assert_int_equal(store_rollback(f->st), BB_OK);
    assert_int_equal(l.n, 4);
    assert_int_equal(l.calls[3], 0);
    assert_int_equal(store_begin(f->st), BB_OK);
    assert_int_equal(store_commit(f->st), BB_OK);
    assert_int_equal(l.n, 4);
    /* bounded: STORE_AFTER_MAX pairs, then BB_ELIMIT */
    static char args[STORE_AFTER_MAX + 1];
    assert_int_equal(store_begin(f->st), BB_OK);
    for (int i = 0; i < STORE_AFTER_MAX; i++)
        assert_int_equal(store_after_commit(f->st, other_hook, &args[i]), BB_OK);
    assert_int_equal(store_after_commit(f->st, other_hook, &args[STORE_AFTER_MAX]), BB_ELIMIT);
    assert_int_equal(store_commit(f->st), BB_OK);
}

static void test_checkins(void **state)
{
    struct fx *f = *state;
    int64_t a = add_person(f->st, "1", "A");
    struct store_checkin c, *cs = NULL;
    int n;
    memset(&c, 0, sizeof(c));
    c.person_id = a;
    c.at = 10;
    c.mood = 4;
    c.wants_help = 0;
    bb_strlcpy(c.win, "selesai laporan", sizeof(c.win));
    assert_int_equal(store_checkin_add(f->st, &c, NULL), BB_OK);
    c.at = 20;
    c.mood = 2;
    c.wants_help = 1;
    assert_int_equal(store_checkin_add(f->st, &c, NULL), BB_OK);
    c.mood = 9;
    assert_int_equal(store_checkin_add(f->st, &c, NULL), BB_EINVAL);
    assert_int_equal(store_checkin_list(f->st, a, 10, &cs, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(cs[0].at, 20);
    assert_int_equal(cs[0].wants_help, 1);
    assert_string_equal(cs[1].win, "selesai laporan");
    free(cs);
}

/* A person with a row in every table, plus a bystander. */
static int64_t populate(struct fx *f, int64_t *other)
{
    int64_t a = add_person(f->st, "198501012010012001", "Ayu Lestari");
    struct store_person sub;
    memset(&sub, 0, sizeof(sub));
    bb_strlcpy(sub.nip, "2", sizeof(sub.nip));
    bb_strlcpy(sub.name, "Budi", sizeof(sub.name));
    bb_strlcpy(sub.supervisor_nip, "198501012010012001", sizeof(sub.supervisor_nip));
    assert_int_equal(store_person_upsert(f->st, &sub, other, NULL), BB_OK);
    assert_int_equal(store_identity_link(f->st, "telegram", "555", a, 1), BB_OK);
    assert_int_equal(store_identity_link(f->st, "telegram", "777", *other, 1), BB_OK);
    assert_int_equal(store_invite_add(f->st, a, "secrethash", 1, 100), BB_OK);
    assert_int_equal(store_consent_set(f->st, a, "share_mentor", 1, 2), BB_OK);
    assert_int_equal(store_session_put(f->st, a, "checkin", 1, "mood", "{\"v\":{\"m\":3}}", 3),
                     BB_OK);
    struct store_checkin c;
    memset(&c, 0, sizeof(c));
    c.person_id = a;
    c.at = 4;
    c.mood = 3;
    bb_strlcpy(c.blocker, "rapat terlalu banyak", sizeof(c.blocker));
    bb_strlcpy(c.extra, "{\"energy\":2}", sizeof(c.extra));
    assert_int_equal(store_checkin_add(f->st, &c, NULL), BB_OK);
    struct store_inbox_event e;
    int dup;
    ev_init(&e, "telegram", "555", "m1", "halo bot");
    assert_int_equal(store_inbox_add(f->st, &e, &dup, NULL), BB_OK);
    ev_init(&e, "telegram", "777", "m2", "bystander");
    assert_int_equal(store_inbox_add(f->st, &e, &dup, NULL), BB_OK);
    ev_init(&e, "", "", "", NULL);
    e.kind = STORE_EV_TIMER;
    e.person_id = a;
    assert_int_equal(store_inbox_add(f->st, &e, &dup, NULL), BB_OK);
    add_out(f->st, "telegram", STORE_PRIO_LIVE, 5, a);
    add_out(f->st, "telegram", STORE_PRIO_LIVE, 5, 0); /* to ext_user 555, before linking */
    struct store_timer t;
    memset(&t, 0, sizeof(t));
    t.person_id = a;
    bb_strlcpy(t.kind, "remind", sizeof(t.kind));
    t.due = 99;
    assert_int_equal(store_timer_add(f->st, &t, NULL), BB_OK);
    assert_int_equal(store_audit(f->st, "hr:197803032005032003", "invite", a, "code issued", 6),
                     BB_OK);
    assert_int_equal(store_audit(f->st, "hr:197803032005032003", "invite", *other, "x", 6), BB_OK);
    return a;
}

static void test_export(void **state)
{
    struct fx *f = *state;
    int64_t other, a = populate(f, &other);
    cJSON *x = NULL;
    assert_int_equal(store_person_export(f->st, a, &x), BB_OK);
    assert_non_null(x);
    char *txt = cJSON_PrintUnformatted(x);
    assert_non_null(strstr(txt, "\"name\":\"Ayu Lestari\""));
    assert_non_null(strstr(txt, "rapat terlalu banyak"));
    assert_non_null(strstr(txt, "halo bot"));
    assert_null(strstr(txt, "bystander"));
    assert_null(strstr(txt, "secrethash"));
    cJSON_free(txt);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(x, "identities")), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(x, "invites")), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(x, "consents")), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(x, "inbox")), 2);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(x, "outbox")), 2);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(x, "timers")), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(x, "audit")), 1);
    cJSON *sess = cJSON_GetArrayItem(cJSON_GetObjectItem(x, "sessions"), 0);
    assert_non_null(sess);
    /* state is embedded as JSON, not as a string */
    cJSON *m =
        cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(sess, "state"), "v"), "m");
    assert_non_null(m);
    assert_int_equal(m->valueint, 3);
    cJSON *ck = cJSON_GetArrayItem(cJSON_GetObjectItem(x, "checkins"), 0);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(ck, "extra"), "energy")->valueint, 2);
    cJSON_Delete(x);
    assert_int_equal(store_person_export(f->st, 424242, &x), BB_ENOTFOUND);
    assert_null(x);
}

static void test_forget(void **state)
{
    struct fx *f = *state;
    int64_t other, a = populate(f, &other);
    char *kept = NULL, hash[65], like[128];
    struct store_person p;
    (void)a;
    assert_int_equal(store_person_forget(f->st, a, 50, &kept), BB_OK);
    assert_non_null(kept);
    assert_non_null(strstr(kept, "UU 27/2022"));
    free(kept);
    assert_int_equal(store_person_by_id(f->st, a, &p), BB_ENOTFOUND);
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM people"), 1);
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM people WHERE supervisor_nip <> ''"), 0);
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM identities"), 1); /* the bystander's */
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM invites"), 0);
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM consents"), 0);
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM sessions"), 0);
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM checkins"), 0);
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM inbox"), 1); /* the bystander's */
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM inbox WHERE ext_user = '555'"), 0);
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM outbox"), 0);
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM timers"), 0);
    /* the bystander's audit line and the one forget line */
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM audit_log"), 2);
    assert_int_equal(rows(f, "SELECT COUNT(*) FROM audit_log WHERE action = 'forget'"), 1);
    assert_int_equal(
        rows(f, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%198501012010012001%'"), 0);
    bb_sha256_hex("198501012010012001", 18, hash);
    {
        sqlite3 *db;
        sqlite3_stmt *s;
        bb_snprintf(like, sizeof(like), "%%%s%%", hash);
        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT COUNT(*) FROM audit_log WHERE detail LIKE ?1",
                                            -1, &s, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(s, 1, like, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(s, 0), 1);
        sqlite3_finalize(s);
        sqlite3_close(db);
    }
    assert_int_equal(store_person_forget(f->st, a, 51, &kept), BB_ENOTFOUND);
    assert_null(kept);
    /* the id of a forgotten person is never handed out again */
    assert_true(add_person(f->st, "3", "C") > a);
}

TFX_MAIN(TFX_TEST(test_open_migrate), TFX_TEST(test_person_upsert), TFX_TEST(test_identities),
         TFX_TEST(test_invites), TFX_TEST(test_consents), TFX_TEST(test_categories),
         TFX_TEST(test_flows), TFX_TEST(test_sessions), TFX_TEST(test_inbox), TFX_TEST(test_outbox),
         TFX_TEST(test_outbox_claim_plan), TFX_TEST(test_person_field_plans), TFX_TEST(test_timers),
         TFX_TEST(test_transactions), TFX_TEST(test_after_commit), TFX_TEST(test_checkins),
         TFX_TEST(test_export), TFX_TEST(test_forget))
