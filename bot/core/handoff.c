/*
 * handoff.c - a person to talk to (handoff.h): opening, keeping the
 * person's messages, ending, and the dashboard's answers and close, with
 * the bilingual texts the person reads. The store keeps the handoff
 * (store/store_handoff.c); every reply goes through the outbox, by the core
 * (to the channel the person wrote from) or by core_send_body (the
 * channel they last wrote from, for what the dashboard sends).
 *
 * Audit lines name the handoff and why, never a message body.
 *
 * Who may call: core.c, core_actions.c, the dashboard adapter. Core thread.
 */
#include "bot/core/handoff.h"
#include "bot/base/bb.h"
#include "bot/base/sapaan.h"
#include "bot/core/core.h"
#include "bot/core/safety.h"
#include "store/store_handoff.h"

#include <assert.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const text_opened[3] = {
    "Baik, percakapan ini saya teruskan kepada konselor. Mulai sekarang pesan yang Anda tulis di "
    "sini "
    "dibaca oleh konselor, bukan oleh saya, dan konselor akan membalas di sini. Saya tidak dapat "
    "menjanjikan kapan balasannya datang: konselor membalas ketika sedang bertugas. Bila "
    "keadaan Anda mendesak, jangan menunggu: telepon 112, atau layanan SEJIWA di 119 ext 8.\n"
    "Ketik /selesai kapan saja untuk mengakhiri percakapan dengan konselor.",
    "Okay, I'm passing this conversation to a counsellor. From now on what you write here is read "
    "by a counsellor, not by me, and they will answer here. I can't promise when the answer will "
    "come: counsellors answer when they are on duty. If it is urgent, don't wait: call 112, or "
    "the SEJIWA line on 119 ext 8.\n"
    "Type /done any time to end the conversation with the counsellor.",
    "Oke, percakapan ini saya teruskan ke konselor. Mulai sekarang pesan yang kamu tulis di sini "
    "dibaca oleh konselor, bukan oleh saya, dan konselor akan membalas di sini. Saya tidak bisa "
    "menjanjikan kapan balasannya datang: konselor membalas ketika sedang bertugas. Kalau "
    "keadaanmu mendesak, jangan menunggu: telepon 112, atau layanan SEJIWA di 119 ext 8.\n"
    "Ketik /selesai kapan saja untuk mengakhiri percakapan dengan konselor.",
};

static const char *const text_paused_open[2] = {
    "\n\nPercakapan kita tadi (%s) saya jeda, tidak hilang. Setelah selesai dengan konselor, ketik "
    "/lanjut untuk meneruskannya.",
    "\n\nI've paused our conversation (%s); nothing is lost. When you're done with the counsellor, "
    "type /continue to carry on.",
};

static const char *const text_reminder[3] = {
    "Anda sedang terhubung dengan konselor: pesan Anda diteruskan kepada konselor, dan saya diam "
    "dulu. "
    "Ketik /selesai untuk mengakhiri percakapan dengan konselor.",
    "You're connected with a counsellor: your messages go to them, and I stay quiet. Type /done to "
    "end the conversation with the counsellor.",
    "Kamu sedang terhubung dengan konselor: pesanmu diteruskan ke konselor, dan saya diam dulu. "
    "Ketik /selesai untuk mengakhiri percakapan dengan konselor.",
};

static const char *const text_ended[2][2] = {
    {"Percakapan dengan konselor sudah Anda akhiri. Tidak ada lagi orang yang membaca chat ini; "
     "saya, coach bimbing, kembali. Ketik /menu untuk melihat pilihan, atau /bicara bila ingin "
     "berbicara dengan konselor lagi.",
     "You've ended the conversation with the counsellor. Nobody is reading this chat any more; I, "
     "the bimbing coach, am back. Type /menu to see what I can do, or /talk to talk to a "
     "counsellor again."},
    {"Konselor sudah menutup percakapan ini dan tidak membaca chat ini lagi. Saya, coach bimbing, "
     "kembali. Ketik /menu untuk melihat pilihan, atau /bicara bila ingin berbicara dengan "
     "konselor lagi.",
     "The counsellor has closed this conversation and no longer reads this chat. I, the bimbing "
     "coach, am back. Type /menu to see what I can do, or /talk to talk to a counsellor again."},
};

/* The casual form of text_ended[0][0] (register santai). */
static const char *const text_ended_santai =
    "Percakapan dengan konselor sudah kamu akhiri. Tidak ada lagi orang yang membaca chat ini; "
    "saya, coach bimbing, kembali. Ketik /menu untuk melihat pilihan, atau /bicara kalau ingin "
    "berbicara dengan konselor lagi.";

static const char *const text_paused_close[2] = {
    "\n\nPercakapan kita sebelumnya (%s) masih dijeda: ketik /lanjut untuk meneruskannya.",
    "\n\nOur earlier conversation (%s) is still paused: type /continue to carry on.",
};

static const char *const text_forwarded[3] = {
    "\n\nPesan Anda juga sudah diteruskan kepada konselor.",
    "\n\nYour message has also been passed to the counsellor.",
    "\n\nPesanmu juga sudah diteruskan ke konselor.",
};

static const char *const label_end[2] = {"Akhiri percakapan", "End the conversation"};
static const char *const said_by[2] = {"Konselor", "Counsellor"};
static const char *const said_by_name[2] = {"%s (konselor)", "%s (counsellor)"};

static int lang_of(const char *lang)
{
    return lang && strcmp(lang, "en") == 0 ? 1 : 0;
}

int handoff_command(const char *text)
{
    char word[16];
    size_t n = 0;
    const char *p = text;
    while (p && isspace((unsigned char)*p))
        p++;
    if (!p || *p != '/')
        return 0;
    for (p++; *p && !isspace((unsigned char)*p) && *p != '@'; p++) {
        if (n + 1 >= sizeof(word))
            return 0;
        word[n++] = (char)tolower((unsigned char)*p);
    }
    word[n] = '\0';
    if (!strcmp(word, "bicara") || !strcmp(word, "talk"))
        return 1;
    if (!strcmp(word, "selesai") || !strcmp(word, "done"))
        return 2;
    return 0;
}

/* text, plus fmt with arg when arg is not empty, plus an "end" button when
 * button is set; into *m. */
static int reply_of(const char *text, const char *fmt, const char *arg, int li, int button,
                    struct outmsg *m)
{
    struct bb_buf b;
    memset(m, 0, sizeof(*m));
    bb_buf_init(&b, 8192);
    bb_buf_puts(&b, text);
    if (fmt && arg && arg[0])
        bb_buf_printf(&b, fmt, arg);
    if (!(m->text = bb_buf_take(&b)))
        return BB_ENOMEM;
    if (button) {
        if (!(m->choices = calloc(1, sizeof(*m->choices)))) {
            outmsg_clear(m);
            return BB_ENOMEM;
        }
        m->nchoices = 1;
        bb_strlcpy(m->choices[0].id, HANDOFF_END_ID, sizeof(m->choices[0].id));
        bb_strlcpy(m->choices[0].label, label_end[li], sizeof(m->choices[0].label));
    }
    return BB_OK;
}

int handoff_reminder(int li, struct outmsg *m)
{
    li = li == 1;
    return reply_of(text_reminder[SAPAAN_LI(li)], NULL, NULL, li, 1, m);
}

int handoff_distress_reply(int li, struct outmsg *m)
{
    struct outmsg hit;
    li = li == 1;
    int rc = safety_reply(li, NULL, &hit);
    if (rc == BB_OK)
        rc = reply_of(hit.text, "%s", text_forwarded[SAPAAN_LI(li)], li, 0, m);
    outmsg_clear(&hit);
    return rc;
}

int handoff_open(struct store *st, const struct store_person *p, const char *reason,
                 const char *paused, int64_t now, struct outmsg *reply)
{
    int li = lang_of(p->lang);
    int64_t id = 0;
    char detail[64], pz[sizeof(((struct store_handoff *)0)->paused)] = "";
    memset(reply, 0, sizeof(*reply));
    if (paused) { /* a long title is cut, on a character boundary */
        size_t len = bb_utf8_cut(paused, strlen(paused), sizeof(pz) - 1);
        memcpy(pz, paused, len);
        pz[len] = '\0';
        paused = pz;
    }
    int rc = store_handoff_open(st, p->id, reason, paused, now, &id);
    if (rc == BB_OK) {
        bb_snprintf(detail, sizeof(detail), "handoff %" PRId64 " (%s)", id, reason);
        rc = store_audit(st, p->nip, "handoff.open", p->id, detail, now);
    }
    if (rc == BB_EEXIST) {
        int r2 = handoff_reminder(li, reply);
        return r2 == BB_OK ? BB_EEXIST : r2;
    }
    if (rc != BB_OK)
        return rc;
    bb_log(BB_LOG_INFO, "handoff", "opened %" PRId64 " for person %" PRId64 " (%s)", id, p->id,
           reason);
    return reply_of(text_opened[SAPAAN_LI(li)], text_paused_open[li], paused, li, 1, reply);
}

int handoff_end_by_person(struct store *st, const struct store_person *p, int64_t id,
                          const char *paused, int64_t now, struct outmsg *reply)
{
    int li = lang_of(p->lang);
    char detail[64];
    memset(reply, 0, sizeof(*reply));
    int rc = store_handoff_close(st, id, "person", now);
    if (rc == BB_OK) {
        bb_snprintf(detail, sizeof(detail), "handoff %" PRId64 " ended by the person", id);
        rc = store_audit(st, p->nip, "handoff.close", p->id, detail, now);
    }
    if (rc != BB_OK)
        return rc;
    return reply_of(SAPAAN_LI(li) == 2 ? text_ended_santai : text_ended[0][li],
                    text_paused_close[li], paused, li, 0, reply);
}

int handoff_keep(struct store *st, int64_t id, const char *text, int64_t now)
{
    int rc = store_handoff_add(st, id, 0, NULL, NULL, text, now);
    /* nothing to keep (an empty text) is not an error of the batch */
    return rc == BB_EINVAL ? BB_OK : rc;
}

static const char *const text_notify[2] = {
    "Ada percakapan baru yang menunggu konselor. Buka dasbor bimbing, menu Percakapan "
    "(/admin/#conversations), untuk membaca dan membalasnya.",
    "A new conversation is waiting for a counsellor. Open the bimbing dashboard, Conversations "
    "(/admin/#conversations), to read and answer it.",
};

int handoff_notify(struct core *c, struct store *st, int64_t now)
{
    int64_t ids[50];
    int n = 0, rc = store_handoff_counsellors(st, ids, (int)BB_ARRAY_LEN(ids), &n);
    (void)now;
    for (int i = 0; rc == BB_OK && i < n; i++) {
        rc = core_send_text(c, ids[i], text_notify, STORE_PRIO_LIVE, 0);
        if (rc == BB_ENOTFOUND)
            rc = BB_OK; /* never wrote to the bot: the dashboard only */
    }
    return rc;
}

/* ---- the dashboard ---------------------------------------------------- */

/* Queue m to the person (their last channel), as every other message. */
static int send_to(struct core *c, int64_t person_id, const struct outmsg *m)
{
    char *json = NULL;
    int rc = outmsg_encode(m, &json);
    if (rc == BB_OK)
        rc = core_send_body(c, person_id, json, STORE_PRIO_LIVE, 0);
    free(json);
    /* a person without any identity cannot be reached; the answer is kept */
    return rc == BB_ENOTFOUND ? BB_OK : rc;
}

int handoff_answer(struct core *c, struct store *st, int64_t id, const char *actor,
                   const char *shown, const char *text, int64_t now)
{
    struct store_handoff h;
    struct outmsg m;
    char who[96], detail[64];
    size_t n = text ? strlen(text) : 0;
    int rc;
    assert(c && st && actor);
    if (n == 0 || !bb_utf8_valid(text, n) || bb_utf8_len(text) > HANDOFF_TEXT_MAX)
        return BB_EINVAL;
    if ((rc = store_handoff_get(st, id, &h)) != BB_OK)
        return rc;
    if (h.closed_at)
        return BB_ENOTFOUND;
    int li = lang_of(h.lang);
    if (shown && shown[0])
        bb_snprintf(who, sizeof(who), said_by_name[li], shown);
    else
        bb_strlcpy(who, said_by[li], sizeof(who));
    if ((rc = reply_of(who, ":\n%s", text, li, 0, &m)) != BB_OK)
        return rc;
    rc = store_handoff_add(st, id, 1, actor, shown ? shown : "", text, now);
    if (rc == BB_OK)
        rc = send_to(c, h.person_id, &m);
    if (rc == BB_OK) {
        bb_snprintf(detail, sizeof(detail), "handoff %" PRId64, id);
        rc = store_audit(st, actor, "handoff.answer", h.person_id, detail, now);
    }
    outmsg_clear(&m);
    return rc;
}

int handoff_close(struct core *c, struct store *st, int64_t id, const char *actor, int64_t now)
{
    struct store_handoff h;
    struct outmsg m;
    char detail[64];
    int rc;
    assert(c && st && actor);
    if ((rc = store_handoff_get(st, id, &h)) != BB_OK)
        return rc;
    if (h.closed_at)
        return BB_ENOTFOUND;
    int li = lang_of(h.lang);
    if ((rc = reply_of(text_ended[1][li], text_paused_close[li], h.paused, li, 0, &m)) != BB_OK)
        return rc;
    rc = store_handoff_close(st, id, actor, now);
    if (rc == BB_OK)
        rc = send_to(c, h.person_id, &m);
    if (rc == BB_OK) {
        bb_snprintf(detail, sizeof(detail), "handoff %" PRId64 " closed", id);
        rc = store_audit(st, actor, "handoff.close", h.person_id, detail, now);
    }
    outmsg_clear(&m);
    return rc;
}
