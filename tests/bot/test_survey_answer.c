/*
 * test_survey_answer.c - a survey answer leaves no trace with a sender or a
 * time once the core's batch that stores it commits: the shipped
 * survey.enps flow answered through the core (a button press, then a typed
 * reason) from Telegram, WhatsApp and the web chat, each with its own
 * capabilities (Telegram and the web chat echo the choice in "answered"
 * notices, WhatsApp does not). Right after core_process returns, no inbox
 * or outbox row holds the answer, while the anonymous answer is stored
 * (pending: three answers are fewer than k) and
 * a message that came after the answer in the same batch keeps its text;
 * in the database files the answer text is then only in the anonymous
 * table (the -wal file truncated, blanked bytes zeroed).
 * Run from the repository root (reads flows/).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/core/core.h"
#include "bot/domain/modules.h"
#include "bot/flow/flow.h"
#include "store/store.h"
#include "store/store_int.h"
#include "store/store_survey.h"
#include "tests/lib/fixture.h"

#define T0 1795770000 /* 2026-11-27T09:00:00Z */

struct fx {
    TFX_STORE_FIELDS;
    struct flow_lib *lib;
    struct core *core;
};

static void fx_init(struct fx *f)
{
    struct flow_diags d;
    const struct core_chan_caps edits = {.edits_sent = 1}, plain = {.edits_sent = 0};
    flow_diags_init(&d);
    assert_int_equal(flow_lib_new(&f->lib), BB_OK);
    flow_lib_set_actions(f->lib, tfx_actions());
    assert_int_equal(flow_lib_load_dir(f->lib, "flows", &d), BB_OK);
    flow_diags_free(&d);
    assert_int_equal(core_new(f->st, f->lib, domain_modules, &f->core), BB_OK);
    assert_int_equal(core_set_channel_caps(f->core, "telegram", &edits), BB_OK);
    assert_int_equal(core_set_channel_caps(f->core, "web", &edits), BB_OK);
    assert_int_equal(core_set_channel_caps(f->core, "whatsapp", &plain), BB_OK);
    bb_clock_set(T0);
}

static void fx_fini(struct fx *f)
{
    core_free(f->core);
    flow_lib_free(f->lib);
    bb_clock_unpin();
}

TFX_STORE_SETUP_INIT(fx, setup, fx_init)
TFX_STORE_TEARDOWN_FINI(fx, teardown, fx_fini)

static int64_t count_sql(struct fx *f, const char *sql, const char *arg)
{
    int64_t n = -1;
    assert_int_equal(store_q_int64(f->st, sql, STORE_ARGS(store_text(arg)), &n), BB_OK);
    return n;
}

static void msg(struct fx *f, const char *channel, const char *user, int kind, const char *s)
{
    static int seq;
    struct store_inbox_event ev;
    int dup = 0;
    memset(&ev, 0, sizeof(ev));
    bb_strlcpy(ev.channel, channel, sizeof(ev.channel));
    bb_strlcpy(ev.ext_user, user, sizeof(ev.ext_user));
    bb_snprintf(ev.ext_msg_id, sizeof(ev.ext_msg_id), "m%d", ++seq);
    ev.kind = kind;
    if (kind == STORE_EV_TEXT)
        ev.text = (char *)s;
    else
        bb_strlcpy(ev.payload, s, sizeof(ev.payload));
    ev.ts = bb_now();
    assert_int_equal(store_inbox_add(f->st, &ev, &dup, NULL), BB_OK);
    assert_int_equal(dup, 0);
}

/* The id of the choice labelled label in the newest question sent to user. */
static void choice_id(struct fx *f, const char *user, const char *label, char *out, size_t n)
{
    struct store_outbox_msg *m = NULL;
    int cnt = 0;
    out[0] = '\0';
    assert_int_equal(store_q_list(f->st,
                                  "SELECT " STORE_OUTBOX_COLS " FROM outbox"
                                  " WHERE ext_user = ?1 AND body LIKE '%\"choices\"%'"
                                  " ORDER BY id DESC LIMIT 1",
                                  STORE_ARGS(store_text(user)), store_map_outbox, sizeof(*m), 1,
                                  store_drop_outbox, (void **)&m, &cnt),
                     BB_OK);
    assert_int_equal(cnt, 1);
    cJSON *b = cJSON_Parse(m[0].body);
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(b, "choices"))
    {
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(c, "label");
        if (cJSON_IsString(l) && !strcmp(l->valuestring, label))
            bb_strlcpy(out, cJSON_GetObjectItemCaseSensitive(c, "id")->valuestring, n);
    }
    cJSON_Delete(b);
    store_outbox_free(m, cnt);
    assert_true(out[0] != '\0');
}

/* How often needle occurs in the file at path (0 when it does not exist). */
static int occurrences(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "rb");
    size_t nl = strlen(needle), len = 0, cap = 0;
    char *buf = NULL;
    int n = 0;
    if (!fp)
        return 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? 2 * cap : 1 << 20;
            assert_true(cap <= (64u << 20));
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        if (got == 0)
            break;
        len += got;
    }
    fclose(fp);
    for (size_t i = 0; i + nl <= len; i++)
        if (memcmp(buf + i, needle, nl) == 0)
            n++;
    free(buf);
    return n;
}

static void answer_on(struct fx *f, const char *channel, const char *user, const char *why)
{
    char id[64];
    int n = 0;
    choice_id(f, user, "7", id, sizeof(id));
    msg(f, channel, user, STORE_EV_BUTTON, id);
    assert_int_equal(core_process(f->core, 100, &n), BB_OK);
    bb_clock_advance(5);
    /* The reason and, in the same batch, one more message after it. */
    msg(f, channel, user, STORE_EV_TEXT, why);
    msg(f, channel, user, STORE_EV_TEXT, "terima kasih juga");
    assert_int_equal(core_process(f->core, 100, &n), BB_OK);
    assert_int_equal(n, 2);
}

static void test_unlinkable_at_commit(void **state)
{
    struct fx *f = *state;
    static const char *const chans[][3] = {
        {"telegram", "7001", "lembur terlalu banyak di telegram"},
        {"whatsapp", "628120001", "lembur terlalu banyak di whatsapp"},
        {"web", "w-3", "lembur terlalu banyak di web"},
    };
    struct store_wave w;
    int n = 0;
    for (size_t i = 0; i < BB_ARRAY_LEN(chans); i++) {
        char nip[24], name[32];
        bb_snprintf(nip, sizeof(nip), "19900101201501%04zu", i);
        bb_snprintf(name, sizeof(name), "Orang %zu", i);
        int64_t id = tfx_person_in(f->st, nip, name, "Unit A", "employee");
        assert_int_equal(store_identity_link(f->st, chans[i][0], chans[i][1], id, T0 - 100), BB_OK);
        /* onboarded: a survey starts only for people who answered consent */
        assert_int_equal(store_consent_set(f->st, id, "data", 1, T0 - 100), BB_OK);
    }
    memset(&w, 0, sizeof(w));
    bb_strlcpy(w.flow_id, "survey.enps", sizeof(w.flow_id));
    bb_strlcpy(w.segment, "all", sizeof(w.segment));
    w.start_at = T0;
    w.close_at = T0 + 86400;
    w.created_at = T0;
    assert_int_equal(store_wave_add(f->st, &w, STORE_SEG_ALL, "", 10), BB_OK);
    assert_int_equal(w.invited, 3);
    assert_int_equal(core_tick(f->core, T0 + 1, &n), BB_OK);
    assert_int_equal(n, 3);
    assert_int_equal(core_process(f->core, 100, &n), BB_OK);

    for (size_t i = 0; i < BB_ARRAY_LEN(chans); i++) {
        bb_clock_advance(60);
        answer_on(f, chans[i][0], chans[i][1], chans[i][2]);
        /* right after the commit: nothing of the answer with a sender */
        assert_int_equal(count_sql(f,
                                   "SELECT count(*) FROM inbox WHERE channel = ?1 AND"
                                   " (text LIKE '%lembur%' OR payload <> '')",
                                   chans[i][0]),
                         0);
        assert_int_equal(count_sql(f,
                                   "SELECT count(*) FROM outbox WHERE channel = ?1 AND"
                                   " (body LIKE '%lembur%' OR body LIKE '%\"answered\"%'"
                                   " AND json_extract(body, '$.text') <> '')",
                                   chans[i][0]),
                         0);
        assert_int_equal(count_sql(f,
                                   "SELECT count(*) FROM sessions s JOIN identities d ON"
                                   " d.person_id = s.person_id WHERE d.channel = ?1 AND"
                                   " (s.state LIKE '%lembur%' OR s.state LIKE '%\"enps\":7%')",
                                   chans[i][0]),
                         0);
        /* the message after the answer was read and kept (it is no answer) */
        assert_int_equal(count_sql(f,
                                   "SELECT count(*) FROM inbox WHERE channel = ?1 AND"
                                   " text = 'terima kasih juga' AND processed_at IS NOT NULL",
                                   chans[i][0]),
                         1);
        /* the anonymous answer is there, waiting for k responses (or the
         * wave's closing) before it reaches the report table */
        assert_int_equal(
            count_sql(f, "SELECT count(*) FROM survey_pending WHERE txt = ?1", chans[i][2]), 1);
        assert_int_equal(count_sql(f, "SELECT count(*) FROM survey_answers WHERE ?1 = ?1", ""), 0);
        /* and in the files only there: the -wal file is truncated after the
         * commit, and the blanked rows' bytes are zeroed (secure_delete) */
        char wal[TFX_PATH_MAX + 8];
        bb_snprintf(wal, sizeof(wal), "%s-wal", f->path);
        assert_int_equal(occurrences(wal, chans[i][2]), 0);
        assert_int_equal(occurrences(f->path, chans[i][2]), 1);
    }
    /* Telegram and the web chat had an echo to blank, WhatsApp none. */
    assert_int_equal(count_sql(f,
                               "SELECT count(DISTINCT channel) FROM outbox WHERE"
                               " json_type(body, '$.answered') IS NOT NULL AND ?1 = ?1",
                               ""),
                     2);
    assert_int_equal(
        count_sql(f, "SELECT count(*) FROM survey_pending WHERE num = 7 AND ?1 = ?1", ""), 3);
    assert_int_equal(
        count_sql(f, "SELECT count(*) FROM survey_invitations WHERE answered_at <> 0 AND ?1 = ?1",
                  ""),
        0);
}

TFX_MAIN(TFX_TEST(test_unlinkable_at_commit))
