/*
 * test_store_wa.c - the WhatsApp channel's store queries: the 24-hour
 * window, holding and releasing queued messages, 131047 closing, link
 * confirmations, and export/forget of the new tables.
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
#include "store/store.h"
#include "store/store_wa.h"
#include "tests/lib/fixture.h"

#define T0 1767225600

struct fx {
    TFX_STORE_FIELDS;
    int64_t pid;
};

static void fx_init(struct fx *f)
{
    struct store_person p;
    memset(&p, 0, sizeof(p));
    bb_strlcpy(p.nip, "198501012010012001", sizeof(p.nip));
    bb_strlcpy(p.name, "Ayu Lestari", sizeof(p.name));
    bb_strlcpy(p.phone, "6281234567801", sizeof(p.phone));
    assert_int_equal(store_person_upsert(f->st, &p, &f->pid, NULL), BB_OK);
    bb_clock_set(T0);
}

static void fx_fini(struct fx *f)
{
    (void)f;
    bb_clock_unpin();
}

TFX_STORE_SETUP_INIT(fx, setup, fx_init)
TFX_STORE_TEARDOWN_FINI(fx, teardown, fx_fini)

static int64_t queue(struct fx *f, const char *wa, const char *body, int64_t due)
{
    struct store_outbox_msg m;
    int64_t id = 0;
    memset(&m, 0, sizeof(m));
    m.person_id = f->pid;
    bb_strlcpy(m.channel, "whatsapp", sizeof(m.channel));
    bb_strlcpy(m.ext_user, wa, sizeof(m.ext_user));
    m.priority = STORE_PRIO_LIVE;
    m.body = (char *)body;
    m.due = due;
    m.created_at = due;
    assert_int_equal(store_outbox_add(f->st, &m, &id), BB_OK);
    return id;
}

static void test_window(void **state)
{
    struct fx *f = *state;
    struct store_wa_window w;
    assert_int_equal(store_wa_window_get(f->st, "6281", &w), BB_ENOTFOUND);
    assert_false(store_wa_window_open(&w, T0));
    assert_int_equal(store_wa_inbound(f->st, "whatsapp", "6281", T0 - 100, T0), BB_OK);
    assert_int_equal(store_wa_window_get(f->st, "6281", &w), BB_OK);
    assert_int_equal(w.last_in, T0 - 100);
    assert_true(store_wa_window_open(&w, T0));
    assert_false(store_wa_window_open(&w, T0 - 100 + STORE_WA_WINDOW));
    /* an older message (a late retry) does not move it back */
    assert_int_equal(store_wa_inbound(f->st, "whatsapp", "6281", T0 - 5000, T0), BB_OK);
    assert_int_equal(store_wa_window_get(f->st, "6281", &w), BB_OK);
    assert_int_equal(w.last_in, T0 - 100);
    /* a timestamp from the future counts as now */
    assert_int_equal(store_wa_inbound(f->st, "whatsapp", "6281", T0 + 999999, T0), BB_OK);
    assert_int_equal(store_wa_window_get(f->st, "6281", &w), BB_OK);
    assert_int_equal(w.last_in, T0);
    /* 131047 closes it until the next message */
    assert_int_equal(store_wa_window_close(f->st, "6281", T0 + 10), BB_OK);
    assert_int_equal(store_wa_window_get(f->st, "6281", &w), BB_OK);
    assert_false(store_wa_window_open(&w, T0 + 11));
    assert_int_equal(store_wa_inbound(f->st, "whatsapp", "6281", T0 + 20, T0 + 20), BB_OK);
    assert_int_equal(store_wa_window_get(f->st, "6281", &w), BB_OK);
    assert_true(store_wa_window_open(&w, T0 + 21));
    assert_int_equal(store_wa_inbound(f->st, "whatsapp", "", T0, T0), BB_EINVAL);
}

static void test_hold_release(void **state)
{
    struct fx *f = *state;
    struct store_wa_held *h = NULL;
    int n = 0;
    int64_t a = queue(f, "6281", "{\"text\":\"a\"}", T0);
    int64_t b = queue(f, "6282", "{\"text\":\"b\"}", T0);
    queue(f, "6281", "{\"wa_template\":\"reminder\"}", T0); /* never held */
    assert_int_equal(store_wa_inbound(f->st, "whatsapp", "6282", T0 - 10, T0 - 10), BB_OK);
    /* 6281 never wrote: closed; 6282 wrote 10 s ago: open */
    assert_int_equal(store_wa_due_closed(f->st, "whatsapp", STORE_PRIO_LIVE, T0, 64, &h, &n),
                     BB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(h[0].id, a);
    assert_string_equal(h[0].ext_user, "6281");
    free(h);
    assert_int_equal(store_wa_hold(f->st, a, T0 + 3600), BB_OK);
    assert_int_equal(store_wa_due_closed(f->st, "whatsapp", STORE_PRIO_LIVE, T0, 64, &h, &n),
                     BB_OK);
    assert_int_equal(n, 0);
    assert_null(h);
    /* only the template and b are due now */
    struct store_outbox_msg *msgs = NULL;
    assert_int_equal(store_outbox_claim(f->st, "whatsapp", T0, 10, &msgs, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_true(msgs[0].id == b || msgs[1].id == b);
    store_outbox_free(msgs, n);
    /* writing releases the held one */
    assert_int_equal(store_wa_inbound(f->st, "whatsapp", "6281", T0 + 5, T0 + 5), BB_OK);
    assert_int_equal(store_outbox_claim(f->st, "whatsapp", T0 + 5, 10, &msgs, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(msgs[0].id, a);
    store_outbox_free(msgs, n);
}

static void test_pending_export_forget(void **state)
{
    struct fx *f = *state;
    struct store_wa_pending p, g;
    cJSON *ex = NULL;
    memset(&p, 0, sizeof(p));
    assert_int_equal(store_wa_pending_get(f->st, "6281234567801", &g), BB_ENOTFOUND);
    assert_int_equal(store_wa_pending_put(f->st, "6281234567801", &p), BB_EINVAL);
    p.person_id = f->pid;
    p.prompts = 1;
    p.created_at = T0;
    assert_int_equal(store_wa_pending_put(f->st, "6281234567801", &p), BB_OK);
    assert_int_equal(store_wa_pending_get(f->st, "6281234567801", &g), BB_OK);
    assert_int_equal(g.person_id, f->pid);
    assert_int_equal(g.state, STORE_WA_ASKED);
    assert_int_equal(g.prompts, 1);
    assert_int_equal(store_identity_link(f->st, "whatsapp", "6281234567801", f->pid, T0), BB_OK);
    assert_int_equal(store_wa_inbound(f->st, "whatsapp", "6281234567801", T0, T0), BB_OK);
    assert_int_equal(store_person_export(f->st, f->pid, &ex), BB_OK);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ex, "whatsapp_pending")), 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ex, "whatsapp_window")), 1);
    cJSON_Delete(ex);
    char *kept = NULL;
    assert_int_equal(store_person_forget(f->st, f->pid, T0, &kept), BB_OK);
    free(kept);
    struct store_wa_window w;
    assert_int_equal(store_wa_window_get(f->st, "6281234567801", &w), BB_ENOTFOUND);
    assert_int_equal(store_wa_pending_get(f->st, "6281234567801", &g), BB_ENOTFOUND);
}

TFX_MAIN(TFX_TEST(test_window), TFX_TEST(test_hold_release), TFX_TEST(test_pending_export_forget))
