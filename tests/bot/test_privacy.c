/*
 * test_privacy.c - the privacy module with explicit times: privacy_export
 * queues the person's own export as a JSON document (their language,
 * audit-logged); privacy_erase records a request due erasure_after later
 * and says when; the module's tick carries it out exactly when due (not
 * while held), leaves a last message for the chat, and plans the next
 * retention pass; the "privacy" configuration keys and their limits.
 */
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
#include "bot/core/config.h"
#include "bot/core/core.h"
#include "bot/core/domain.h"
#include "bot/core/outmsg.h"
#include "bot/domain/modules.h"
#include "bot/domain/privacy/privacy.h"
#include "store/store.h"
#include "store/store_int.h"
#include "store/store_privacy.h"
#include "tests/lib/common.h"
#include "tests/lib/fixture.h"

#define T0 1800000000 /* 2027-01-15T08:00:00Z, 15:00 WIB */

struct fx {
    TFX_STORE_FIELDS;
    struct flow_lib *lib;
    struct core *core;
    struct config cfg;
    int64_t ayu, budi;
};

static void init(struct fx *f)
{
    assert_int_equal(flow_lib_new(&f->lib), BB_OK);
    flow_lib_set_actions(f->lib, tfx_actions());
    assert_int_equal(core_new(f->st, f->lib, domain_modules, &f->core), BB_OK);
    config_defaults(&f->cfg);
    f->cfg.erasure_after = 48 * 3600;
    core_set_config(f->core, &f->cfg);
    assert_int_equal(store_set_table_channel(f->st, "web_sessions", "web"), BB_OK);
    assert_int_equal(store_set_table_channel(f->st, "whatsapp_window", "whatsapp"), BB_OK);
    f->ayu =
        tfx_person_add(f->st, &(struct tfx_person){.nip = "1001", .name = "Ayu", .lang = "id"});
    f->budi =
        tfx_person_add(f->st, &(struct tfx_person){.nip = "1002", .name = "Budi", .lang = "en"});
    assert_int_equal(store_identity_link(f->st, "console", "1001", f->ayu, T0), BB_OK);
    assert_int_equal(store_identity_link(f->st, "console", "1002", f->budi, T0), BB_OK);
}

static void fini(struct fx *f)
{
    core_free(f->core);
    flow_lib_free(f->lib);
}

TFX_STORE_SETUP_INIT(fx, setup, init)
TFX_STORE_TEARDOWN_FINI(fx, teardown, fini)

static void act(struct fx *f, const char *name, int64_t person, int64_t now)
{
    struct store_person p;
    struct domain_ctx d = {.st = f->st, .lib = f->lib, .core = f->core, .cfg = &f->cfg, .now = now};
    const struct domain_action *a = domain_find_action(domain_modules, name);
    cJSON *args = cJSON_CreateObject();
    assert_non_null(a);
    assert_int_equal(store_person_by_id(f->st, person, &p), BB_OK);
    assert_int_equal(a->run(&d, &p, args), BB_OK);
    cJSON_Delete(args);
}

static int64_t count(struct fx *f, const char *sql)
{
    int64_t n = -1;
    assert_int_equal(store_q_int64(f->st, sql, STORE_NOARGS, &n), BB_OK);
    return n;
}

/* The body of the newest outbox row. */
static char *last_body(struct fx *f)
{
    char *b = malloc(OUTMSG_TEXT_MAX + OUTMSG_DOC_MAX * 2);
    assert_non_null(b);
    assert_int_equal(store_q_text(f->st, "SELECT body FROM outbox ORDER BY id DESC LIMIT 1",
                                  STORE_NOARGS, b, OUTMSG_TEXT_MAX + OUTMSG_DOC_MAX * 2),
                     BB_OK);
    return b;
}

static void test_export(void **state)
{
    struct fx *f = *state;
    struct outmsg m;
    act(f, "privacy_export", f->ayu, T0);
    char *body = last_body(f);
    assert_int_equal(outmsg_decode(body, &m), BB_OK);
    free(body);
    assert_int_equal(m.kind, OUTMSG_DOC);
    assert_string_equal(m.doc_name, "bimbing-data-2027-01-15.json");
    assert_string_equal(m.doc_type, "application/json");
    assert_non_null(strstr(m.text, "Ini semua data tentang Anda"));
    cJSON *j = cJSON_ParseWithLength((const char *)m.doc_data, m.doc_len);
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "person"), "nip")->valuestring,
                        "1001");
    assert_non_null(strstr(cJSON_GetObjectItem(j, "about")->valuestring, "Ekspor data pribadi"));
    assert_int_equal((int64_t)cJSON_GetObjectItem(j, "exported_at")->valuedouble, T0);
    cJSON_Delete(j);
    outmsg_clear(&m);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.export'"
                              " AND actor = '1001' AND subject_person > 0"),
                     1);
    /* in English for Budi; the earlier document's bytes are not in his
     * export, nor in Ayu's next one */
    act(f, "privacy_export", f->budi, T0 + 5);
    body = last_body(f);
    assert_non_null(strstr(body, "Here is everything bimbing stores about you"));
    free(body);
    act(f, "privacy_export", f->ayu, T0 + 10);
    body = last_body(f);
    assert_int_equal(outmsg_decode(body, &m), BB_OK);
    free(body);
    assert_null(strstr((const char *)m.doc_data, "\"data\""));
    assert_non_null(strstr((const char *)m.doc_data, "bimbing-data-2027-01-15.json"));
    outmsg_clear(&m);
}

static void test_erasure_when_due(void **state)
{
    struct fx *f = *state;
    struct store_erasure e;
    int did = 0;
    int64_t next = 0;
    act(f, "privacy_erase", f->ayu, T0);
    assert_int_equal(store_erasure_open_of(f->st, f->ayu, &e), BB_OK);
    assert_int_equal(e.due_at, T0 + 48 * 3600);
    char *body = last_body(f);
    assert_non_null(
        strstr(body, "akan dihapus pada Minggu, 17 Januari 2027 pukul 15.00 WIB (dalam 48 jam)"));
    free(body);
    /* a second request keeps the first's time */
    act(f, "privacy_erase", f->ayu, T0 + 3600);
    body = last_body(f);
    assert_non_null(strstr(body, "sudah tercatat sebelumnya"));
    assert_non_null(strstr(body, "Minggu, 17 Januari 2027 pukul 15.00 WIB"));
    free(body);

    /* a second before: nothing; held: nothing, even long after */
    assert_int_equal(core_modules_tick(f->core, T0 + 48 * 3600 - 1, &did), BB_OK);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM people WHERE nip = '1001'"), 1);
    char err[160];
    struct domain_ctx d = {.st = f->st, .core = f->core, .cfg = &f->cfg, .now = T0 + 7200};
    assert_int_equal(privacy_erasure_hold(&d, e.id, "cli", "", err, sizeof(err)), BB_EINVAL);
    assert_int_equal(privacy_erasure_hold(&d, e.id, "cli", "legal review", err, sizeof(err)),
                     BB_OK);
    body = last_body(f);
    assert_non_null(strstr(body, "Alasannya: legal review"));
    free(body);
    assert_int_equal(core_modules_tick(f->core, T0 + 30 * 86400, &did), BB_OK);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM people WHERE nip = '1001'"), 1);
    /* released after its time: carried out at the next tick */
    d.now = T0 + 30 * 86400;
    assert_int_equal(privacy_erasure_release(&d, e.id, "cli", err, sizeof(err)), BB_OK);
    assert_int_equal(privacy_erasure_release(&d, e.id, "cli", err, sizeof(err)), BB_ESTATE);
    assert_int_equal(core_modules_tick(f->core, T0 + 30 * 86400 + 1, &did), BB_OK);
    assert_true(did >= 1);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM people WHERE nip = '1001'"), 0);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM people WHERE nip = '1002'"), 1);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM outbox WHERE person_id = 0 AND"
                              " ext_user = '1001' AND body LIKE '%sudah dihapus%'"),
                     1);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM outbox WHERE ext_user = '1001'"), 1);
    /* the retention pass runs once an hour, not at every tick: the pass of
     * the tick at T0 + 30 days planned the next, which the tick a second
     * later left alone */
    assert_int_equal(store_privacy_meta_get(f->st, "purge_next", &next), BB_OK);
    assert_int_equal(next, T0 + 30 * 86400 + PRIVACY_PURGE_EVERY);
}

static int load(struct config *c, const char *json, char *err, size_t n)
{
    char path[] = "/tmp/bimbing-privacy-cfg-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs(json, fp);
    fclose(fp);
    int rc = config_load(c, path, 1, NULL, 0, err, n);
    unlink(path);
    return rc;
}

static void test_config(void **state)
{
    (void)state;
    struct config c;
    char err[256];
    config_defaults(&c);
    assert_int_equal(c.erasure_after, 72 * 3600);
    assert_int_equal(c.keep[STORE_KEEP_MESSAGES], 30 * 86400);
    assert_int_equal(c.keep[STORE_KEEP_REFLECTIONS], 0);
    assert_int_equal(load(&c,
                          "{\"privacy\": {\"erasure_after\": \"24h\", \"retention\":"
                          " {\"messages\": \"7d\", \"checkins\": \"0\", \"wellbeing\": 86400}}}",
                          err, sizeof(err)),
                     BB_OK);
    assert_int_equal(c.erasure_after, 24 * 3600);
    assert_int_equal(c.keep[STORE_KEEP_MESSAGES], 7 * 86400);
    assert_int_equal(c.keep[STORE_KEEP_CHECKINS], 0);
    assert_int_equal(c.keep[STORE_KEEP_WELLBEING], 86400);
    assert_int_equal(c.keep[STORE_KEEP_FEEDBACK], 730 * 86400); /* default kept */
    assert_int_not_equal(load(&c, "{\"privacy\": {\"erasure_after\": \"73h\"}}", err, sizeof(err)),
                         BB_OK);
    assert_non_null(strstr(err, "erasure_after"));
    assert_int_not_equal(
        load(&c, "{\"privacy\": {\"retention\": {\"chats\": \"1d\"}}}", err, sizeof(err)), BB_OK);
    assert_non_null(strstr(err, "chats"));
    assert_int_not_equal(
        load(&c, "{\"privacy\": {\"retention\": {\"messages\": \"-1d\"}}}", err, sizeof(err)),
        BB_OK);
    assert_non_null(strstr(err, "messages"));
    assert_int_not_equal(load(&c, "{\"privacy\": 3}", err, sizeof(err)), BB_OK);
}

TFX_MAIN(TFX_TEST(test_export), TFX_TEST(test_erasure_when_due), cmocka_unit_test(test_config))
