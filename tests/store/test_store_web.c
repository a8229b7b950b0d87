/* test_store_web.c - web chat sessions in the store: add, look up with
 * expiry, touch, delete, prune; migration 4; export without the hash and
 * erasure by forget. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bot/base/bb.h"
#include "store/store.h"
#include "store/store_web.h"
#include "tests/lib/fixture.h"

struct fx {
    TFX_STORE_FIELDS;
};

TFX_STORE_SETUP_INIT(fx, setup, TFX_NOTHING)
TFX_STORE_TEARDOWN_FINI(fx, teardown, TFX_NOTHING)

static void test_schema(void **state)
{
    struct fx *f = *state;
    int v = 0;
    assert_int_equal(store_schema_version(f->st, &v), BB_OK);
    assert_true(v >= 4);
}

static void test_sessions(void **state)
{
    struct fx *f = *state;
    char user[64];
    int n = -1;

    assert_int_equal(store_web_session_add(f->st, "h1", "wabc", 100, 200), BB_OK);
    assert_int_equal(store_web_session_add(f->st, "h1", "wother", 100, 200), BB_EEXIST);
    assert_int_equal(store_web_session_add(f->st, "", "w", 100, 200), BB_EINVAL);
    assert_int_equal(store_web_session_get(f->st, "h1", 150, user, sizeof(user)), BB_OK);
    assert_string_equal(user, "wabc");
    /* expired at 200 */
    assert_int_equal(store_web_session_get(f->st, "h1", 200, user, sizeof(user)), BB_ENOTFOUND);
    assert_string_equal(user, "");
    assert_int_equal(store_web_session_get(f->st, "nope", 150, user, sizeof(user)), BB_ENOTFOUND);
    /* touch slides the expiry */
    assert_int_equal(store_web_session_touch(f->st, "h1", 190, 500), BB_OK);
    assert_int_equal(store_web_session_get(f->st, "h1", 400, user, sizeof(user)), BB_OK);
    assert_int_equal(store_web_session_touch(f->st, "nope", 190, 500), BB_ENOTFOUND);
    /* prune removes only expired rows */
    assert_int_equal(store_web_session_add(f->st, "h2", "wdef", 100, 300), BB_OK);
    assert_int_equal(store_web_session_prune(f->st, 350, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_web_session_get(f->st, "h1", 400, user, sizeof(user)), BB_OK);
    assert_int_equal(store_web_session_delete(f->st, "h1"), BB_OK);
    assert_int_equal(store_web_session_delete(f->st, "h1"), BB_ENOTFOUND);
    assert_int_equal(store_web_session_get(f->st, "h1", 400, user, sizeof(user)), BB_ENOTFOUND);
}

static void test_export_forget(void **state)
{
    struct fx *f = *state;
    struct store_person p;
    int64_t id = 0, other = 0;
    cJSON *x = NULL;
    char user[64], *kept = NULL;

    memset(&p, 0, sizeof(p));
    bb_strlcpy(p.nip, "1001", sizeof(p.nip));
    bb_strlcpy(p.name, "Ayu", sizeof(p.name));
    assert_int_equal(store_person_upsert(f->st, &p, &id, NULL), BB_OK);
    bb_strlcpy(p.nip, "1002", sizeof(p.nip));
    assert_int_equal(store_person_upsert(f->st, &p, &other, NULL), BB_OK);
    assert_int_equal(store_identity_link(f->st, "web", "wayu", id, 10), BB_OK);
    assert_int_equal(store_identity_link(f->st, "web", "wbudi", other, 10), BB_OK);
    assert_int_equal(store_web_session_add(f->st, "hash-ayu", "wayu", 10, 1000), BB_OK);
    assert_int_equal(store_web_session_add(f->st, "hash-budi", "wbudi", 10, 1000), BB_OK);

    assert_int_equal(store_person_export(f->st, id, &x), BB_OK);
    const cJSON *ws = cJSON_GetObjectItem(x, "web_sessions");
    assert_int_equal(cJSON_GetArraySize(ws), 1);
    char *s = cJSON_PrintUnformatted(x);
    assert_non_null(s);
    assert_non_null(strstr(s, "wayu"));
    assert_null(strstr(s, "hash-ayu"));
    assert_null(strstr(s, "wbudi"));
    cJSON_free(s);
    cJSON_Delete(x);

    assert_int_equal(store_person_forget(f->st, id, 20, &kept), BB_OK);
    free(kept);
    assert_int_equal(store_web_session_get(f->st, "hash-ayu", 20, user, sizeof(user)),
                     BB_ENOTFOUND);
    assert_int_equal(store_web_session_get(f->st, "hash-budi", 20, user, sizeof(user)), BB_OK);
}

/* A channel's own table without its channel named: export and forget refuse
 * (and change nothing) rather than miss that table. */
static void test_owner_unset(void **state)
{
    struct store *st = NULL;
    cJSON *x = NULL;
    char *kept = NULL;
    (void)state;
    assert_int_equal(store_open(":memory:", NULL, &st), BB_OK);
    int64_t id = tfx_person_add(st, &(struct tfx_person){.nip = "9", .name = "Rina"});
    assert_int_equal(store_person_export(st, id, &x), BB_ESTATE);
    assert_null(x);
    assert_non_null(strstr(store_errmsg(st), "web_sessions"));
    assert_int_equal(store_person_forget(st, id, 20, &kept), BB_ESTATE);
    assert_null(kept);
    assert_int_equal(store_set_table_channel(st, "web_sessions", "web"), BB_OK);
    assert_int_equal(store_set_table_channel(st, "whatsapp_window", "whatsapp"), BB_OK);
    assert_int_equal(store_person_export(st, id, &x), BB_OK); /* still there */
    cJSON_Delete(x);
    store_free(st);
}

TFX_MAIN(TFX_TEST(test_schema), TFX_TEST(test_sessions), TFX_TEST(test_export_forget),
         cmocka_unit_test(test_owner_unset))
