/*
 * test_alert.c - wellbeing and distress alerts are never lost
 * (bot/core/alert.c, store/store_alerts.c): HR without a linked chat sends
 * the alert to the first reachable person on the fallback list; nobody
 * reachable (a blocked chat) leaves it open with "nobody" and the person is
 * told so; a mentor comes first; acknowledging closes it once; a distress
 * message from a person who agreed raises one alert a day without its
 * words, and none without consent; export and erasure; the config key.
 * Run from the repository root (reads config/safety.json).
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
#include "bot/core/alert.h"
#include "bot/core/config.h"
#include "bot/core/core.h"
#include "bot/core/safety.h"
#include "bot/domain/modules.h"
#include "store/store.h"
#include "store/store_alerts.h"
#include "store/store_int.h"
#include "store/store_mentoring.h"
#include "tests/lib/fixture.h"

#define T0 1795770000 /* 2026-11-27T09:00:00Z */

#define NIP_AYU  "198501012010012001"
#define NIP_HR   "197803032005032003"
#define NIP_FB1  "196001012000011001" /* on the list, never linked */
#define NIP_FB2  "196002022000021002" /* on the list, linked */
#define NIP_MENT "197001012000011001"

struct fx {
    TFX_STORE_FIELDS;
    struct flow_lib *lib;
    struct core *core;
    struct config cfg;
    struct safety *safety;
    int64_t ayu, hr, fb1, fb2, mentor;
};

static void fx_init(struct fx *f)
{
    char err[256] = "";
    assert_int_equal(flow_lib_new(&f->lib), BB_OK);
    flow_lib_set_actions(f->lib, tfx_actions());
    assert_int_equal(core_new(f->st, f->lib, domain_modules, &f->core), BB_OK);
    config_defaults(&f->cfg);
    bb_strlcpy(f->cfg.alert_fallback[0], "199999999999999999", sizeof(f->cfg.alert_fallback[0]));
    bb_strlcpy(f->cfg.alert_fallback[1], NIP_FB1, sizeof(f->cfg.alert_fallback[1]));
    bb_strlcpy(f->cfg.alert_fallback[2], NIP_FB2, sizeof(f->cfg.alert_fallback[2]));
    f->cfg.nalert_fallback = 3;
    core_set_config(f->core, &f->cfg);
    if (safety_load("config/safety.json", &f->safety, err, sizeof(err)) != BB_OK)
        fail_msg("%s", err);
    core_set_safety(f->core, f->safety);
    f->ayu = tfx_person_in(f->st, NIP_AYU, "Ayu Lestari", "Biro SDM", "employee");
    f->hr = tfx_person_in(f->st, NIP_HR, "Siti Rahmawati", "Biro SDM", "hr");
    f->fb1 = tfx_person_in(f->st, NIP_FB1, "Bambang Kusuma", "Sekretariat", "employee");
    f->fb2 = tfx_person_in(f->st, NIP_FB2, "Dewi Anggraini", "Sekretariat", "employee");
    f->mentor = tfx_person_in(f->st, NIP_MENT, "Rudi Hartono", "Bappeda", "mentor");
    assert_int_equal(store_identity_link(f->st, "telegram", "100", f->ayu, T0), BB_OK);
    assert_int_equal(store_identity_link(f->st, "telegram", "300", f->fb2, T0), BB_OK);
    bb_clock_set(T0);
}

static void fx_fini(struct fx *f)
{
    core_free(f->core);
    flow_lib_free(f->lib);
    safety_free(f->safety);
    bb_clock_unpin();
}

TFX_STORE_SETUP_INIT(fx, setup, fx_init)
TFX_STORE_TEARDOWN_FINI(fx, teardown, fx_fini)

static void ctx_of(struct fx *f, struct domain_ctx *d)
{
    memset(d, 0, sizeof(*d));
    d->st = f->st;
    d->lib = f->lib;
    d->core = f->core;
    d->cfg = &f->cfg;
    d->now = bb_now();
}

static int64_t count_sql(struct fx *f, const char *sql, int64_t arg)
{
    int64_t n = -1;
    assert_int_equal(store_q_int64(f->st, sql, STORE_ARGS(store_int(arg)), &n), BB_OK);
    return n;
}

static struct store_person person(struct fx *f, int64_t id)
{
    struct store_person p;
    assert_int_equal(store_person_by_id(f->st, id, &p), BB_OK);
    return p;
}

/* The text of the newest outbox row for person id. */
static char *last_text(struct fx *f, int64_t id)
{
    struct store_outbox_msg *m = NULL;
    int n = 0;
    assert_int_equal(store_q_list(f->st,
                                  "SELECT " STORE_OUTBOX_COLS " FROM outbox WHERE person_id = ?1"
                                  " ORDER BY id DESC LIMIT 1",
                                  STORE_ARGS(store_int(id)), store_map_outbox, sizeof(*m), 1,
                                  store_drop_outbox, (void **)&m, &n),
                     BB_OK);
    assert_int_equal(n, 1);
    cJSON *b = cJSON_Parse(m[0].body);
    char *t = strdup(cJSON_GetObjectItemCaseSensitive(b, "text")->valuestring);
    cJSON_Delete(b);
    store_outbox_free(m, n);
    return t;
}

static void contains(char *text, const char *want)
{
    if (!strstr(text, want))
        fail_msg("\"%s\" does not say \"%s\"", text, want);
    free(text);
}

/* HR has no linked chat: the fallback list is walked (a NIP of nobody,
 * someone without a chat) to its first reachable person. */
static void test_hr_without_chat_goes_to_fallback(void **state)
{
    struct fx *f = *state;
    struct domain_ctx d;
    struct alert_outcome o;
    struct store_person ayu = person(f, f->ayu);
    struct store_alert *v = NULL;
    int n = 0;
    ctx_of(f, &d);
    assert_int_equal(alert_raise(&d, &ayu, ALERT_WELLBEING, &o), BB_OK);
    assert_int_equal(o.via, ALERT_VIA_FALLBACK);
    assert_int_equal(o.reached, 1);
    assert_string_equal(o.name, "Dewi Anggraini");
    contains(last_text(f, f->fb2), "Ayu Lestari (Biro SDM) mungkin sedang membutuhkan dukungan");
    contains(last_text(f, f->fb2), "daftar cadangan");
    assert_int_equal(count_sql(f, "SELECT count(*) FROM outbox WHERE person_id = ?1", f->hr), 0);
    assert_int_equal(alert_tell_person(&d, &ayu, ALERT_WELLBEING, &o), BB_OK);
    contains(last_text(f, f->ayu), "saya mengabari Dewi Anggraini");
    /* open on the dashboard, with who was told */
    assert_int_equal(store_alert_list(f->st, T0 - 86400, 100, &v, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].kind, "wellbeing");
    assert_string_equal(v[0].sent_to, "fallback");
    assert_string_equal(v[0].recipient_name, "Dewi Anggraini");
    assert_string_equal(v[0].nip, NIP_AYU);
    assert_int_equal(v[0].acked_at, 0);
    free(v);
    assert_int_equal(count_sql(f,
                               "SELECT count(*) FROM audit_log WHERE subject_person = ?1 AND"
                               " action = 'wellbeing.alert' AND detail LIKE '%fallback%'",
                               f->ayu),
                     1);
}

/* Nobody reachable (the fallback's chat is blocked): the alert stays open,
 * marked "nobody", and the person is told it waits on the dashboard. Then
 * acknowledging closes it, once. */
static void test_nobody_reachable_stays_open(void **state)
{
    struct fx *f = *state;
    struct domain_ctx d;
    struct alert_outcome o;
    struct store_person ayu = person(f, f->ayu);
    struct store_alert *v = NULL;
    int n = 0;
    assert_int_equal(store_identity_set_blocked(f->st, "telegram", "300", 1, T0), BB_OK);
    ctx_of(f, &d);
    assert_int_equal(alert_raise(&d, &ayu, ALERT_WELLBEING, &o), BB_OK);
    assert_int_equal(o.via, ALERT_VIA_NONE);
    assert_int_equal(o.reached, 0);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM outbox WHERE person_id <> ?1", f->ayu), 0);
    assert_int_equal(alert_tell_person(&d, &ayu, ALERT_WELLBEING, &o), BB_OK);
    contains(last_text(f, f->ayu), "tetap terbuka di dasbor SDM");
    assert_int_equal(store_alert_list(f->st, T0 - 86400, 100, &v, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].sent_to, "");
    assert_int_equal(v[0].recipient_id, 0);
    free(v);
    assert_int_equal(store_alert_ack(f->st, o.id, "hr:" NIP_HR, T0 + 60), BB_OK);
    assert_int_equal(store_alert_ack(f->st, o.id, "hr:" NIP_HR, T0 + 70), BB_EEXIST);
    assert_int_equal(store_alert_ack(f->st, o.id + 100, "operator", T0 + 70), BB_ENOTFOUND);
    assert_int_equal(store_alert_list(f->st, T0 - 86400, 100, &v, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].acked_at, T0 + 60);
    assert_string_equal(v[0].acked_by, "hr:" NIP_HR);
    free(v);
    /* acknowledged long ago: no longer listed */
    assert_int_equal(store_alert_list(f->st, T0 + 61, 100, &v, &n), BB_OK);
    assert_int_equal(n, 0);
    free(v);
}

/* A reachable mentor comes first; HR with a chat come before the list. */
static void test_mentor_then_hr(void **state)
{
    struct fx *f = *state;
    struct domain_ctx d;
    struct alert_outcome o;
    struct store_person ayu = person(f, f->ayu);
    struct store_pairing pr;
    memset(&pr, 0, sizeof(pr));
    pr.mentee_id = f->ayu;
    pr.mentor_id = f->mentor;
    pr.started_at = T0;
    assert_int_equal(store_pairing_add(f->st, &pr, NULL), BB_OK);
    assert_int_equal(store_identity_link(f->st, "web", "w-9", f->hr, T0), BB_OK);
    ctx_of(f, &d);
    /* the mentor has no chat: HR of the unit */
    assert_int_equal(alert_raise(&d, &ayu, ALERT_WELLBEING, &o), BB_OK);
    assert_int_equal(o.via, ALERT_VIA_HR);
    assert_string_equal(o.name, "Siti Rahmawati");
    assert_int_equal(alert_tell_person(&d, &ayu, ALERT_WELLBEING, &o), BB_OK);
    contains(last_text(f, f->ayu), "bagian SDM (Siti Rahmawati)");
    assert_int_equal(store_identity_link(f->st, "whatsapp", "6281", f->mentor, T0), BB_OK);
    assert_int_equal(alert_raise(&d, &ayu, ALERT_WELLBEING, &o), BB_OK);
    assert_int_equal(o.via, ALERT_VIA_MENTOR);
    assert_string_equal(o.name, "Rudi Hartono");
    contains(last_text(f, f->mentor), "Ayu Lestari (Biro SDM)");
}

static void set_sends_state(struct fx *f, int64_t alert_id, int state)
{
    assert_int_equal(store_q_exec(f->st,
                                  "UPDATE outbox SET state = ?2 WHERE id IN (SELECT outbox_id"
                                  " FROM alert_sends WHERE alert_id = ?1)",
                                  STORE_ARGS(store_int(alert_id), store_int(state)), NULL),
                     BB_OK);
}

/* HR's chat turns out blocked when the alert is delivered: the core's tick
 * passes it on to the fallback list and tells the person; when that fails
 * too, it is marked as reaching nobody, stays open, and is not passed on
 * again. A message still on its way is no reason to move. */
static void test_failed_delivery_moves_on(void **state)
{
    struct fx *f = *state;
    struct domain_ctx d;
    struct alert_outcome o;
    struct store_person ayu = person(f, f->ayu);
    struct store_alert a;
    int did = -1;
    assert_int_equal(store_identity_link(f->st, "whatsapp", "6280", f->hr, T0), BB_OK);
    ctx_of(f, &d);
    assert_int_equal(alert_raise(&d, &ayu, ALERT_WELLBEING, &o), BB_OK);
    assert_int_equal(o.via, ALERT_VIA_HR);
    assert_int_equal(core_modules_tick(f->core, T0 + 10, &did), BB_OK);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM outbox WHERE person_id = ?1", f->fb2), 0);
    set_sends_state(f, o.id, STORE_OUT_BLOCKED);
    assert_int_equal(alert_tick(&d, &did), BB_OK);
    assert_int_equal(did, 1);
    assert_int_equal(store_alert_get(f->st, o.id, &a), BB_OK);
    assert_string_equal(a.sent_to, "fallback");
    assert_int_equal(a.recipient_id, f->fb2);
    contains(last_text(f, f->fb2), "Ayu Lestari (Biro SDM)");
    contains(last_text(f, f->ayu), "saya mengabari Dewi Anggraini");
    /* the fallback's message fails as well: nobody left, still open */
    set_sends_state(f, o.id, STORE_OUT_FAILED);
    assert_int_equal(alert_tick(&d, &did), BB_OK);
    assert_int_equal(did, 1);
    assert_int_equal(store_alert_get(f->st, o.id, &a), BB_OK);
    assert_string_equal(a.sent_to, "");
    assert_int_equal(a.reached, 0);
    assert_int_equal(a.acked_at, 0);
    contains(last_text(f, f->ayu), "tetap terbuka di dasbor SDM");
    assert_int_equal(alert_tick(&d, &did), BB_OK);
    assert_int_equal(did, 0);
    assert_int_equal(count_sql(f,
                               "SELECT count(*) FROM audit_log WHERE subject_person = ?1 AND"
                               " action = 'wellbeing.alert.moved'",
                               f->ayu),
                     2);
}

static void inbound(struct fx *f, const char *text)
{
    static int seq;
    struct store_inbox_event ev;
    int dup = 0, n = 0;
    memset(&ev, 0, sizeof(ev));
    bb_strlcpy(ev.channel, "telegram", sizeof(ev.channel));
    bb_strlcpy(ev.ext_user, "100", sizeof(ev.ext_user));
    bb_snprintf(ev.ext_msg_id, sizeof(ev.ext_msg_id), "d%d", ++seq);
    ev.kind = STORE_EV_TEXT;
    ev.text = (char *)text;
    ev.ts = bb_now();
    assert_int_equal(store_inbox_add(f->st, &ev, &dup, NULL), BB_OK);
    assert_int_equal(core_process(f->core, 10, &n), BB_OK);
    assert_int_equal(n, 1);
}

/* A distress message: an alert only with the consent, never with the
 * words, one a day while open; the person is told who was told. */
static void test_distress_alert(void **state)
{
    struct fx *f = *state;
    static const char *const cry = "saya sudah tidak kuat lagi, ingin mengakhiri hidup";
    inbound(f, cry);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM alerts WHERE person_id = ?1", f->ayu), 0);
    assert_int_equal(store_consent_set(f->st, f->ayu, "wellbeing_alert", 1, T0), BB_OK);
    inbound(f, cry);
    assert_int_equal(count_sql(f,
                               "SELECT count(*) FROM alerts WHERE person_id = ?1 AND"
                               " kind = 'distress' AND sent_to = 'fallback' AND acked_at = 0",
                               f->ayu),
                     1);
    contains(last_text(f, f->fb2), "kesulitan berat");
    assert_int_equal(count_sql(f,
                               "SELECT count(*) FROM outbox WHERE body LIKE '%mengakhiri%'"
                               " AND ?1 = ?1",
                               0),
                     0);
    contains(last_text(f, f->ayu), "Isi pesan Anda tidak saya bagikan");
    /* again within the day: the open alert stands, no second one */
    bb_clock_advance(3600);
    inbound(f, cry);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM alerts WHERE person_id = ?1", f->ayu), 1);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM outbox WHERE person_id = ?1", f->fb2), 1);
}

/* Export shows the person's alerts; erasing a recipient keeps the alert
 * for the one it is about, without the recipient; erasing the person
 * removes theirs. */
static void test_export_forget(void **state)
{
    struct fx *f = *state;
    struct domain_ctx d;
    struct alert_outcome o;
    struct store_person ayu = person(f, f->ayu);
    cJSON *ex = NULL;
    char *kept = NULL;
    ctx_of(f, &d);
    assert_int_equal(alert_raise(&d, &ayu, ALERT_WELLBEING, &o), BB_OK);
    assert_int_equal(store_person_export(f->st, f->ayu, &ex), BB_OK);
    const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(ex, "alerts"), 0);
    assert_non_null(a);
    assert_string_equal(cJSON_GetObjectItem(a, "sent_to")->valuestring, "fallback");
    cJSON_Delete(ex);
    assert_int_equal(store_person_forget(f->st, f->fb2, T0, &kept), BB_OK);
    free(kept);
    kept = NULL;
    assert_int_equal(count_sql(f, "SELECT recipient_id FROM alerts WHERE id = ?1", o.id), 0);
    assert_int_equal(store_person_forget(f->st, f->ayu, T0, &kept), BB_OK);
    free(kept);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM alerts WHERE ?1 = ?1", 0), 0);
}

static void config_refused(const char *json, const char *want)
{
    char path[] = "/tmp/bimbing-alert-cfg-XXXXXX", err[256] = "";
    struct config c;
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, json, strlen(json)), (ssize_t)strlen(json));
    close(fd);
    assert_int_not_equal(config_load(&c, path, 1, NULL, 0, err, sizeof(err)), BB_OK);
    unlink(path);
    if (!strstr(err, want))
        fail_msg("error \"%s\" does not say \"%s\"", err, want);
}

static void test_config_key(void **state)
{
    (void)state;
    char path[] = "/tmp/bimbing-alert-cfg-XXXXXX", err[256] = "";
    static const char ok[] = "{\"alert_fallback\": [\"196001012000011001\", \"1960\"]}";
    struct config c;
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, ok, strlen(ok)), (ssize_t)strlen(ok));
    close(fd);
    assert_int_equal(config_load(&c, path, 1, NULL, 0, err, sizeof(err)), BB_OK);
    unlink(path);
    assert_int_equal(c.nalert_fallback, 2);
    assert_string_equal(c.alert_fallback[1], "1960");
    config_refused("{\"alert_fallback\": \"1960\"}", "\"alert_fallback\" must be a list");
    config_refused("{\"alert_fallback\": [\"19x0\"]}", "item 1 must be a NIP");
    config_refused("{\"alert_fallback\": [\"1\", \"1\"]}", "item 2 must be a NIP");
    config_refused("{\"alert_fallback\": [\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]}",
                   "at most 8");
}

TFX_MAIN(TFX_TEST(test_hr_without_chat_goes_to_fallback),
         TFX_TEST(test_nobody_reachable_stays_open), TFX_TEST(test_mentor_then_hr),
         TFX_TEST(test_failed_delivery_moves_on), TFX_TEST(test_distress_alert),
         TFX_TEST(test_export_forget), cmocka_unit_test(test_config_key))
