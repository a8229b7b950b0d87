/*
 * whatsapp.c - the WhatsApp Cloud API channel (see whatsapp.h and
 * docs/whatsapp.md).
 *
 * Ingress: GET /webhooks/whatsapp answers Meta's verification; POST
 * /webhooks/whatsapp checks X-Hub-Signature-256 (HMAC-SHA256 of the raw
 * body with the app secret, compared in constant time) before parsing,
 * holds the answer open (http_hold) and, in the service loop's next pass
 * (wa_ingest, the pass's one transaction; answered 200 after its commit,
 * 503 after a rollback), appends each message to the inbox (unique on
 * the wamid, so a retried webhook is processed once), opens the sender's
 * 24-hour window, and applies status callbacks to the outbox (forward
 * only). An unknown number that matches an imported person's phone is asked
 * for that person's invite code (never told the name: a recycled number
 * must not learn whose it was); the number is linked only by a code, by the
 * core's registration, like on every channel (issue 14, finding 9).
 * Everything else from unknown numbers goes to the core (how-to-join note,
 * invite codes).
 *
 * Egress: the shared sender (adapters/egress) with build() and classify()
 * below. Before each round, messages whose number's window is closed are
 * held (due one hour later, failed after 7 days) and, when a template is
 * configured, one re-engagement template is queued per silence.
 *
 * Thread rules: core thread only. Owns its egress and templates; borrows
 * the store, net and config of the chan_env.
 */
#include "adapters/whatsapp/whatsapp.h"
#include "adapters/net/egress.h"
#include "adapters/net/render.h"
#include "bot/base/bb.h"
#include "bot/base/sapaan.h"
#include "bot/core/core.h"
#include "bot/core/register.h"
#include "store/store_wa.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define WA_NAME          "whatsapp"
#define WA_MAX_BODY      (1024 * 1024)      /* webhook body cap */
#define WA_IA_BODY_MAX   1024               /* characters in an interactive body */
#define WA_HOLD_S        3600               /* a held message is looked at again after */
#define WA_HOLD_MAX_S    (7 * 86400)        /* then fails "window closed" */
#define WA_MAX_PROMPTS   3                  /* code requests before falling through */
#define WA_TEMPLATES_MAX (256 * 1024)       /* templates file cap */
#define WA_HELD_MAX      256                /* webhook deliveries waiting for their pass */
#define WA_HELD_BYTES    (16 * 1024 * 1024) /* and their bodies; past either: 503 */
#define WA_PASS_MAX      64                 /* deliveries ingested in one pass */

/* What WhatsApp shows: up to 3 reply buttons of 20 characters, a list of
 * up to 10 rows of 24, text bodies of 4096 characters. The flow validator
 * gets the two label limits from here (adapters/service/channels.c). */
static const struct chan_caps wa_caps = {
    .edits_sent = 0, /* a sent message cannot be changed */
    .buttons_max = 3,
    .button_label_max = 20,
    .button_id_max = 200, /* a list row id; a reply button id may be 256 */
    .list_rows_max = 10,
    .list_label_max = 24,
    .text_max = 4096,
    .documents = 1, /* uploaded to /media, then a "document" message */
};

struct wa {
    struct chan chan;
    struct chan_env env;
    const struct wa_settings *set; /* in env.cfg */
    struct egress *eg;
    cJSON *templates;     /* {"reminder":{"id":{"name","lang","params"},"en":{...}},...} or NULL */
    char url[1100];       /* {api}/{phone_id}/messages */
    char media_url[1100]; /* {api}/{phone_id}/media */
    /* webhook deliveries held open (http_hold), in arrival order, parsed,
     * waiting for the next pass (wa_ingest); then the tickets of those
     * ingested in the open transaction, answered by wa_after_ingest */
    struct wa_held {
        uint64_t ticket;
        cJSON *root;
        size_t bytes;
    } held[WA_HELD_MAX];
    int held_head, nheld;
    size_t held_bytes;
    uint64_t pend_ticket[WA_PASS_MAX];
    int pend_nt, pend_added;
};

/* ---- small helpers --------------------------------------------------------- */

static int digits_only(const char *s, size_t min, size_t max)
{
    size_t n = 0;
    for (; *s; s++, n++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return n >= min && n <= max;
}

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

/* Constant-time equality of two NUL-terminated strings (length leaks). */
static int secret_eq(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb || la == 0)
        return 0;
    return CRYPTO_memcmp(a, b, la) == 0;
}

static void json_resp(struct http_resp *resp, int status, const char *body)
{
    resp->status = status;
    resp->content_type = "application/json";
    resp->body = strdup(body);
    resp->body_len = resp->body ? strlen(resp->body) : 0;
}

static int person_lang(struct wa *w, int64_t person_id)
{
    struct store_person p;
    if (person_id > 0 && store_person_by_id(w->env.st, person_id, &p) == BB_OK &&
        strcmp(p.lang, "en") == 0)
        return 1;
    return 0;
}

/* End a store_begin(): commit on success, else roll back and keep rc. */
static int tx_end(struct store *st, int rc)
{
    if (rc == BB_OK)
        return store_commit(st);
    store_rollback(st);
    return rc;
}

/* ---- webhook: verification ------------------------------------------------- */

static void on_verify(void *ctx, const struct http_req *req, struct http_resp *resp)
{
    struct wa *w = ctx;
    char mode[32], token[256], challenge[256];
    if (http_query_param(req->query, "hub.mode", mode, sizeof(mode)) != BB_OK ||
        strcmp(mode, "subscribe") != 0 ||
        http_query_param(req->query, "hub.verify_token", token, sizeof(token)) != BB_OK ||
        http_query_param(req->query, "hub.challenge", challenge, sizeof(challenge)) != BB_OK ||
        !challenge[0] || !secret_eq(token, w->set->verify_token)) {
        bb_log(BB_LOG_WARN, WA_NAME, "webhook verification refused");
        json_resp(resp, 403, "{\"error\":\"verification failed\"}");
        return;
    }
    for (const char *p = challenge; *p; p++)
        if (!isgraph((unsigned char)*p)) {
            json_resp(resp, 400, "{\"error\":\"bad challenge\"}");
            return;
        }
    resp->status = 200;
    resp->content_type = "text/plain";
    resp->body = strdup(challenge);
    resp->body_len = resp->body ? strlen(resp->body) : 0;
    bb_log(BB_LOG_INFO, WA_NAME, "webhook verified");
}

/* ---- webhook: signature ---------------------------------------------------- */

/* 1 when header is "sha256=<hex HMAC-SHA256(secret, body)>". */
int wa_signature_ok(const char *secret, const char *body, size_t len, const char *header)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    char want[2 * EVP_MAX_MD_SIZE + 1], got[2 * EVP_MAX_MD_SIZE + 1];
    static const char hex[] = "0123456789abcdef";
    if (!secret || !*secret || !header || strncmp(header, "sha256=", 7) != 0)
        return 0;
    if (!HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)body, len, md,
              &mdlen) ||
        mdlen != 32)
        return 0;
    for (unsigned int i = 0; i < mdlen; i++) {
        want[2 * i] = hex[md[i] >> 4];
        want[2 * i + 1] = hex[md[i] & 15];
    }
    want[2 * mdlen] = '\0';
    header += 7;
    if (strlen(header) != 2 * mdlen)
        return 0;
    for (unsigned int i = 0; i < 2 * mdlen; i++)
        got[i] = (char)tolower((unsigned char)header[i]);
    got[2 * mdlen] = '\0';
    return CRYPTO_memcmp(want, got, 2 * mdlen) == 0;
}

/* ---- webhook: messages ------------------------------------------------------ */

/* A number that matches a person's phone: the invite code is the second
 * factor (a phone number alone can be a recycled SIM). No name is said. */
static const char *const text_code_request[2] = {
    "Halo! Nomor ini ada di data kepegawaian kami. Untuk menghubungkannya dengan bimbing, "
    "kirim kode undangan dari bagian SDM (10 huruf dan angka), misalnya: PHMY N327 JQ.\n\nHello! "
    "This "
    "number is in our staff records. To link it to bimbing, send the invite code from HR (10 "
    "letters and digits), for example: PHMY N327 JQ.",
    "Hello! This number is in our staff records. To link it to bimbing, send the invite code "
    "from HR (10 letters and digits), for example: PHMY N327 JQ.\n\nHalo! Nomor ini ada di data "
    "kepegawaian kami. Untuk menghubungkannya dengan bimbing, kirim kode undangan dari bagian SDM "
    "(10 "
    "huruf dan angka), misalnya: PHMY N327 JQ.",
};

static int queue_json(struct wa *w, int64_t person_id, const char *wa_id, const char *json)
{
    return store_outbox_put(w->env.st, person_id, WA_NAME, wa_id, STORE_PRIO_LIVE, json, 0, NULL);
}

static int queue_body(struct wa *w, int64_t person_id, const char *wa_id, cJSON *body)
{
    char *json = cJSON_PrintUnformatted(body);
    int rc;
    if (!json)
        return BB_ENOMEM;
    rc = queue_json(w, person_id, wa_id, json);
    free(json);
    return rc;
}

/* A text over CHAN_TEXT_IN_MAX: this reply, and nothing of it stored. */
static const char text_too_long[] =
    "Maaf, pesan Anda terlalu panjang untuk kami terima (lebih dari sekitar 4.000 karakter). "
    "Mohon kirim dalam beberapa pesan yang lebih pendek.\n\nSorry, your message is too long "
    "for us to accept (over about 4,000 characters). Please send it in a few shorter messages.";
static const char text_too_long_santai[] =
    "Maaf, pesanmu terlalu panjang untuk kami terima (lebih dari sekitar 4.000 karakter). "
    "Tolong kirim dalam beberapa pesan yang lebih pendek, ya.\n\nSorry, your message is too long "
    "for us to accept (over about 4,000 characters). Please send it in a few shorter messages.";

static int queue_text(struct wa *w, const char *wa_id, const char *text)
{
    struct outmsg m = {.text = (char *)text};
    char *json = NULL;
    int rc = outmsg_encode(&m, &json);
    if (rc == BB_OK)
        rc = queue_json(w, 0, wa_id, json);
    free(json);
    return rc;
}

static int queue_code_request(struct wa *w, const char *wa_id, const struct store_person *p)
{
    return queue_text(w, wa_id, text_code_request[strcmp(p->lang, "en") == 0]);
}

/* 1 yes, 0 no, -1 neither. */
static int yes_no(const struct store_inbox_event *ev)
{
    static const char *const yes[] = {"ya", "yes", "y", "iya", "ok", "betul", "benar", "ya benar"};
    static const char *const no[] = {"tidak", "no", "n", "t", "bukan", "tdk", "gak", "nggak"};
    char f[64];
    if (ev->kind == STORE_EV_BUTTON)
        return -1;
    if (!ev->text || bb_fold(ev->text, f, sizeof(f)) != BB_OK)
        return -1;
    /* trim spaces and trailing punctuation */
    size_t n = strlen(f);
    while (n > 0 && (isspace((unsigned char)f[n - 1]) || f[n - 1] == '.' || f[n - 1] == '!'))
        f[--n] = '\0';
    char *s = f;
    while (isspace((unsigned char)*s))
        s++;
    for (size_t i = 0; i < BB_ARRAY_LEN(yes); i++)
        if (strcmp(s, yes[i]) == 0)
            return 1;
    for (size_t i = 0; i < BB_ARRAY_LEN(no); i++)
        if (strcmp(s, no[i]) == 0)
            return 0;
    return -1;
}

static int looks_like_code(const struct store_inbox_event *ev)
{
    char code[REG_CODE_LEN + 1];
    return ev->kind == STORE_EV_TEXT && reg_code_in_text(ev->text, code, sizeof(code));
}

/* Phone digits as the people table keeps them (62...). */
static void norm_wa_phone(const char *wa_id, char *out, size_t n)
{
    if (wa_id[0] == '0')
        bb_snprintf(out, n, "62%s", wa_id + 1);
    else
        bb_strlcpy(out, wa_id, n);
}

/* Add ev to the inbox; *dup when it was there already. done: mark it
 * processed at once (the adapter handled it; the core never sees it). */
static int inbox_put(struct wa *w, const struct store_inbox_event *ev, int done, int *dup)
{
    int64_t id = 0;
    int rc = store_inbox_add(w->env.st, ev, dup, &id);
    if (rc == BB_OK && !*dup && done)
        rc = store_inbox_done(w->env.st, id, bb_now());
    return rc;
}

/* An event from a number with no identity: phone matching and the link
 * question, or on to the core. */
static int ingest_unknown(struct wa *w, const struct store_inbox_event *ev, int64_t now)
{
    struct store_wa_pending pend;
    struct store_person p;
    char phone[64];
    int dup = 0, rc;

    rc = store_wa_pending_get(w->env.st, ev->ext_user, &pend);
    if (rc != BB_OK && rc != BB_ENOTFOUND)
        return rc;
    if (rc == BB_OK && pend.state == STORE_WA_ASKED) {
        /* Only a code links (the core redeems it); "yes" is not enough. */
        if (yes_no(ev) == 0 || looks_like_code(ev) || pend.prompts >= WA_MAX_PROMPTS) {
            /* A code (or "no", or no code after the prompts): the core takes
             * it from here. */
            rc = inbox_put(w, ev, 0, &dup);
            if (rc != BB_OK || dup)
                return rc;
            pend.state = STORE_WA_DECLINED;
            return store_wa_pending_put(w->env.st, ev->ext_user, &pend);
        }
        rc = inbox_put(w, ev, 1, &dup);
        if (rc != BB_OK || dup)
            return rc;
        if ((rc = store_person_by_id(w->env.st, pend.person_id, &p)) != BB_OK)
            return rc == BB_ENOTFOUND ? store_wa_pending_delete(w->env.st, ev->ext_user) : rc;
        pend.prompts++;
        rc = store_wa_pending_put(w->env.st, ev->ext_user, &pend);
        return rc == BB_OK ? queue_code_request(w, ev->ext_user, &p) : rc;
    }
    if (rc == BB_OK) /* declined: the core's how-to-join note and invite codes */
        return inbox_put(w, ev, 0, &dup);

    norm_wa_phone(ev->ext_user, phone, sizeof(phone));
    rc = reg_phone_match(w->env.st, phone, &p);
    if (rc == BB_ENOTFOUND || looks_like_code(ev))
        return inbox_put(w, ev, 0, &dup);
    if (rc != BB_OK)
        return rc;
    rc = inbox_put(w, ev, 1, &dup);
    if (rc != BB_OK || dup)
        return rc;
    memset(&pend, 0, sizeof(pend));
    pend.person_id = p.id;
    pend.state = STORE_WA_ASKED;
    pend.prompts = 1;
    pend.created_at = now;
    rc = store_wa_pending_put(w->env.st, ev->ext_user, &pend);
    bb_log(BB_LOG_INFO, WA_NAME, "an unknown number matches person %" PRId64 "; asking to confirm",
           p.id);
    return rc == BB_OK ? queue_code_request(w, ev->ext_user, &p) : rc;
}

/* One messages[] entry. Malformed entries are skipped (logged), not fatal. */
static int ingest_message(struct wa *w, const cJSON *msg, int64_t now, int *added)
{
    struct store_inbox_event ev;
    const char *from = jstr(msg, "from"), *id = jstr(msg, "id"), *type = jstr(msg, "type");
    const char *tss = jstr(msg, "timestamp");
    long long ts = 0;
    int64_t pid = 0;
    int rc, dup = 0;

    if (!from || !digits_only(from, 5, 20) || !id || !*id || strlen(id) >= sizeof(ev.ext_msg_id) ||
        !type) {
        bb_log(BB_LOG_WARN, WA_NAME, "a message without a valid from, id or type was skipped");
        return BB_OK;
    }
    if (!tss || bb_parse_ll(tss, 1, 4102444800LL, &ts) != BB_OK)
        ts = now;
    memset(&ev, 0, sizeof(ev));
    bb_strlcpy(ev.channel, WA_NAME, sizeof(ev.channel));
    bb_strlcpy(ev.ext_user, from, sizeof(ev.ext_user));
    bb_strlcpy(ev.ext_msg_id, id, sizeof(ev.ext_msg_id));
    ev.ts = ts > now ? now : ts;
    ev.kind = STORE_EV_TEXT;
    ev.text = "";
    if (strcmp(type, "text") == 0) {
        const char *body = jstr(cJSON_GetObjectItemCaseSensitive(msg, "text"), "body");
        if (body && strlen(body) > CHAN_TEXT_IN_MAX) {
            /* Too long (issue 14, finding 12): the window opens (so the
             * reply can go), a reply says why, and the text is not kept. */
            rc = store_wa_inbound(w->env.st, WA_NAME, from, ev.ts, now);
            if (rc == BB_OK)
                rc = queue_text(w, from, SAPAAN_REG(text_too_long, text_too_long_santai));
            bb_log(BB_LOG_INFO, WA_NAME, "a text of %zu bytes was refused (cap %d)", strlen(body),
                   CHAN_TEXT_IN_MAX);
            return rc;
        }
        if (body && bb_utf8_valid(body, strlen(body)))
            ev.text = (char *)body;
    } else if (strcmp(type, "interactive") == 0) {
        const cJSON *ia = cJSON_GetObjectItemCaseSensitive(msg, "interactive");
        const char *it = jstr(ia, "type");
        const char *rid = NULL;
        if (it && (strcmp(it, "button_reply") == 0 || strcmp(it, "list_reply") == 0))
            rid = jstr(cJSON_GetObjectItemCaseSensitive(ia, it), "id");
        if (rid && *rid && bb_strlcpy(ev.payload, rid, sizeof(ev.payload)) == BB_OK)
            ev.kind = STORE_EV_BUTTON;
        else
            ev.payload[0] = '\0';
    } else if (strcmp(type, "button") == 0) {
        const char *pl = jstr(cJSON_GetObjectItemCaseSensitive(msg, "button"), "payload");
        if (pl && *pl && bb_strlcpy(ev.payload, pl, sizeof(ev.payload)) == BB_OK)
            ev.kind = STORE_EV_BUTTON;
        else
            ev.payload[0] = '\0';
    }
    /* Any other type (image, audio, location...): an empty text, so the flow
     * re-asks politely. */

    rc = store_wa_inbound(w->env.st, WA_NAME, from, ev.ts, now);
    if (rc != BB_OK)
        return rc;
    rc = store_identity_person(w->env.st, WA_NAME, from, &pid);
    if (rc == BB_OK)
        rc = inbox_put(w, &ev, 0, &dup);
    else if (rc == BB_ENOTFOUND)
        rc = ingest_unknown(w, &ev, now);
    if (rc == BB_OK)
        (*added)++;
    return rc;
}

static int ingest_status(struct wa *w, const cJSON *s, int64_t now)
{
    const char *id = jstr(s, "id"), *status = jstr(s, "status"), *to = jstr(s, "recipient_id");
    const cJSON *errs = cJSON_GetObjectItemCaseSensitive(s, "errors");
    const cJSON *e0 = cJSON_IsArray(errs) ? cJSON_GetArrayItem(errs, 0) : NULL;
    char err[160] = "";
    int state, code = 0, rc;

    if (!id || !*id || !status)
        return BB_OK;
    if (strcmp(status, "sent") == 0)
        state = STORE_OUT_SENT;
    else if (strcmp(status, "delivered") == 0)
        state = STORE_OUT_DELIVERED;
    else if (strcmp(status, "read") == 0 || strcmp(status, "played") == 0)
        state = STORE_OUT_READ;
    else if (strcmp(status, "failed") == 0)
        state = STORE_OUT_FAILED;
    else
        return BB_OK;
    if (e0) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(e0, "code");
        const char *title = jstr(e0, "title");
        code = cJSON_IsNumber(c) ? (int)bb_num_or(c->valuedouble, 0) : 0;
        bb_snprintf(err, sizeof(err), "%d %s", code, title ? title : "");
    }
    rc = store_outbox_status_by_ext(w->env.st, WA_NAME, id, state, err[0] ? err : NULL, now);
    if (rc == BB_ENOTFOUND)
        return BB_OK; /* not ours, or forgotten since: it changes nothing (issue 14, finding 12) */
    if (rc == BB_OK && state == STORE_OUT_FAILED) {
        bb_log(BB_LOG_WARN, WA_NAME, "a message failed after sending: %s", err);
        if (code == 131047 && to && digits_only(to, 5, 20))
            rc = store_wa_window_close(w->env.st, to, now);
    }
    return rc;
}

static void log_errors(const cJSON *errs)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, errs)
    {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "code");
        const char *t = jstr(e, "title");
        bb_log(BB_LOG_WARN, WA_NAME, "platform error %d: %.100s",
               cJSON_IsNumber(c) ? (int)bb_num_or(c->valuedouble, 0) : 0, t ? t : "");
    }
}

static int ingest(struct wa *w, const cJSON *root, int *added)
{
    const cJSON *entry, *change;
    int64_t now = bb_now();
    int rc = BB_OK;
    cJSON_ArrayForEach(entry, cJSON_GetObjectItemCaseSensitive(root, "entry"))
    {
        cJSON_ArrayForEach(change, cJSON_GetObjectItemCaseSensitive(entry, "changes"))
        {
            const cJSON *value = cJSON_GetObjectItemCaseSensitive(change, "value"), *x;
            if (!cJSON_IsObject(value))
                continue;
            cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(value, "messages"))
            {
                if ((rc = ingest_message(w, x, now, added)) != BB_OK)
                    return rc;
            }
            cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(value, "statuses"))
            {
                if ((rc = ingest_status(w, x, now)) != BB_OK)
                    return rc;
            }
            log_errors(cJSON_GetObjectItemCaseSensitive(value, "errors"));
        }
    }
    return rc;
}

/* POST /webhooks/whatsapp: the signature is checked and the body parsed
 * at once; then the answer is held (http_hold) and the delivery waits for
 * the service loop's next pass (wa_ingest), which stores it in the pass's
 * one transaction: 200 after its commit, 503 after a rollback (Meta
 * delivers a non-2xx webhook again: nothing is lost). Past WA_HELD_MAX
 * deliveries or WA_HELD_BYTES waiting, or the server's held_max, the
 * answer is 503 now. */
static void on_webhook(void *ctx, const struct http_req *req, struct http_resp *resp)
{
    struct wa *w = ctx;
    char sig[160];
    cJSON *root = NULL;

    if (!wa_signature_ok(w->set->app_secret, req->body, req->body_len,
                         http_req_header(req, "x-hub-signature-256", sig, sizeof(sig)))) {
        bb_log(BB_LOG_WARN, WA_NAME, "webhook refused: missing or wrong signature");
        json_resp(resp, 401, "{\"error\":\"bad signature\"}");
        return;
    }
    root = cJSON_ParseWithLength(req->body, req->body_len);
    if (!cJSON_IsObject(root) || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "entry"))) {
        bb_log(BB_LOG_WARN, WA_NAME, "webhook refused: not a WhatsApp update");
        json_resp(resp, 400, "{\"error\":\"malformed update\"}");
        cJSON_Delete(root);
        return;
    }
    uint64_t ticket = 0;
    if (w->nheld < WA_HELD_MAX && w->held_bytes + req->body_len <= WA_HELD_BYTES)
        ticket = http_hold(req);
    if (!ticket) {
        json_resp(resp, 503, "{\"error\":\"busy, try again\"}");
        cJSON_Delete(root);
        return;
    }
    struct wa_held *h = &w->held[(w->held_head + w->nheld) % WA_HELD_MAX];
    h->ticket = ticket;
    h->root = root;
    h->bytes = req->body_len;
    w->held_bytes += h->bytes;
    w->nheld++;
    if (w->env.kick)
        w->env.kick(w->env.loop);
}

/* The transaction holding the pass's deliveries ended: answer them. */
static void wa_after_ingest(void *ctx, int committed)
{
    struct wa *w = ctx;
    if (!committed)
        bb_log(BB_LOG_ERR, WA_NAME, "%d webhook(s) not stored (%s); answered 503, Meta retries",
               w->pend_nt, store_errmsg(w->env.st));
    for (int i = 0; i < w->pend_nt; i++)
        http_answer(w->env.http, w->pend_ticket[i], committed ? 200 : 503,
                    committed ? "{\"ok\":true}" : "{\"error\":\"try again\"}");
    if (committed && w->pend_added && w->env.kick)
        w->env.kick(w->env.loop);
    w->pend_nt = 0;
    w->pend_added = 0;
}

/* chan.ingest: the held deliveries, oldest first, at most WA_PASS_MAX a
 * pass, in one (nested) transaction; answered by wa_after_ingest. */
static void wa_ingest(void *self)
{
    struct wa *w = self;
    struct store *st = w->env.st;
    int rc;
    if (w->nheld == 0)
        return;
    if ((rc = store_begin(st)) != BB_OK) {
        bb_log(BB_LOG_ERR, WA_NAME, "webhooks wait: %s", store_errmsg(st));
        return; /* still held: the next pass, or the held timeout (503) */
    }
    if ((rc = store_after_commit(st, wa_after_ingest, w)) != BB_OK) {
        store_commit(st); /* nothing written at this level */
        return;
    }
    while (w->nheld > 0 && w->pend_nt < WA_PASS_MAX && rc == BB_OK) {
        struct wa_held *h = &w->held[w->held_head];
        w->pend_ticket[w->pend_nt++] = h->ticket;
        rc = ingest(w, h->root, &w->pend_added);
        cJSON_Delete(h->root);
        w->held_bytes -= h->bytes;
        memset(h, 0, sizeof(*h));
        w->held_head = (w->held_head + 1) % WA_HELD_MAX;
        w->nheld--;
    }
    if (rc != BB_OK)
        bb_log(BB_LOG_ERR, WA_NAME, "webhook not stored: %s (%s)", bb_strerror(rc),
               store_errmsg(st));
    tx_end(st, rc); /* the answers follow the outermost end (wa_after_ingest) */
    if (w->nheld > 0 && w->env.kick)
        w->env.kick(w->env.loop);
}

/* ---- egress: rendering ------------------------------------------------------- */

static cJSON *msg_base(const char *to)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    if (!cJSON_AddStringToObject(o, "messaging_product", "whatsapp") ||
        !cJSON_AddStringToObject(o, "recipient_type", "individual") ||
        !cJSON_AddStringToObject(o, "to", to)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *msg_text(const char *to, const char *text)
{
    cJSON *o = msg_base(to), *t;
    if (!o)
        return NULL;
    if (!cJSON_AddStringToObject(o, "type", "text") || !(t = cJSON_AddObjectToObject(o, "text")) ||
        !cJSON_AddBoolToObject(t, "preview_url", 0) || !cJSON_AddStringToObject(t, "body", text)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Reply buttons (list = 0) or a list (list = 1) for the choices. */
static cJSON *msg_interactive(const char *to, const struct outmsg *rm, int list, int en)
{
    cJSON *o = msg_base(to), *ia, *body, *action, *arr;
    if (!o)
        return NULL;
    if (!cJSON_AddStringToObject(o, "type", "interactive") ||
        !(ia = cJSON_AddObjectToObject(o, "interactive")) ||
        !cJSON_AddStringToObject(ia, "type", list ? "list" : "button") ||
        !(body = cJSON_AddObjectToObject(ia, "body")) ||
        !cJSON_AddStringToObject(body, "text", rm->text && rm->text[0] ? rm->text : "…") ||
        !(action = cJSON_AddObjectToObject(ia, "action")))
        goto fail;
    if (list) {
        cJSON *sections, *sec;
        const char *label = en ? "Choose" : "Pilih";
        if (!cJSON_AddStringToObject(action, "button", label) ||
            !(sections = cJSON_AddArrayToObject(action, "sections")) ||
            !(sec = cJSON_CreateObject()))
            goto fail;
        cJSON_AddItemToArray(sections, sec);
        if (!cJSON_AddStringToObject(sec, "title", label) ||
            !(arr = cJSON_AddArrayToObject(sec, "rows")))
            goto fail;
        for (int i = 0; i < rm->nchoices; i++) {
            cJSON *row = cJSON_CreateObject();
            if (!row)
                goto fail;
            cJSON_AddItemToArray(arr, row);
            if (!cJSON_AddStringToObject(row, "id", rm->choices[i].id) ||
                !cJSON_AddStringToObject(row, "title", rm->choices[i].label))
                goto fail;
        }
    } else {
        if (!(arr = cJSON_AddArrayToObject(action, "buttons")))
            goto fail;
        for (int i = 0; i < rm->nchoices; i++) {
            cJSON *b = cJSON_CreateObject(), *r;
            if (!b)
                goto fail;
            cJSON_AddItemToArray(arr, b);
            if (!cJSON_AddStringToObject(b, "type", "reply") ||
                !(r = cJSON_AddObjectToObject(b, "reply")) ||
                !cJSON_AddStringToObject(r, "id", rm->choices[i].id) ||
                !cJSON_AddStringToObject(r, "title", rm->choices[i].label))
                goto fail;
        }
    }
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

/* How the choices can be shown: 0 buttons, 1 list, 2 numbered text. */
static int choice_style(const struct outmsg *rm)
{
    size_t maxlen = 0;
    int uniq = 1;
    if (rm->text && bb_utf8_len(rm->text) > WA_IA_BODY_MAX)
        return 2;
    for (int i = 0; i < rm->nchoices; i++) {
        size_t l = bb_utf8_len(rm->choices[i].label);
        if (l > maxlen)
            maxlen = l;
        if (l == 0 || !rm->choices[i].id[0])
            return 2;
        for (int k = 0; k < i; k++)
            if (strcmp(rm->choices[i].label, rm->choices[k].label) == 0 ||
                strcmp(rm->choices[i].id, rm->choices[k].id) == 0)
                uniq = 0;
    }
    if (!uniq)
        return 2;
    if (rm->nchoices <= wa_caps.buttons_max && maxlen <= (size_t)wa_caps.button_label_max)
        return 0;
    if (rm->nchoices <= wa_caps.list_rows_max && maxlen <= (size_t)wa_caps.list_label_max)
        return 1;
    return 2;
}

/* A re-engagement template for a held message (body {"wa_template":KEY}). */
static cJSON *msg_template(struct wa *w, const struct store_outbox_msg *m, const char *key)
{
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(w->templates, key), *t, *params, *p;
    struct store_person person;
    int en = 0;
    memset(&person, 0, sizeof(person));
    if (m->person_id > 0 && store_person_by_id(w->env.st, m->person_id, &person) == BB_OK)
        en = strcmp(person.lang, "en") == 0;
    t = cJSON_GetObjectItemCaseSensitive(set, en ? "en" : "id");
    if (!t)
        t = cJSON_GetObjectItemCaseSensitive(set, en ? "id" : "en");
    if (!jstr(t, "name") || !jstr(t, "lang"))
        return NULL;
    cJSON *o = msg_base(m->ext_user), *tp, *lang, *comps, *comp, *arr;
    if (!o)
        return NULL;
    if (!cJSON_AddStringToObject(o, "type", "template") ||
        !(tp = cJSON_AddObjectToObject(o, "template")) ||
        !cJSON_AddStringToObject(tp, "name", jstr(t, "name")) ||
        !(lang = cJSON_AddObjectToObject(tp, "language")) ||
        !cJSON_AddStringToObject(lang, "code", jstr(t, "lang")))
        goto fail;
    params = cJSON_GetObjectItemCaseSensitive(t, "params");
    if (cJSON_GetArraySize(params) > 0) {
        char first[128];
        bb_strlcpy(first, person.name, sizeof(first));
        char *sp = strchr(first, ' ');
        if (sp)
            *sp = '\0';
        if (!(comps = cJSON_AddArrayToObject(tp, "components")) || !(comp = cJSON_CreateObject()))
            goto fail;
        cJSON_AddItemToArray(comps, comp);
        if (!cJSON_AddStringToObject(comp, "type", "body") ||
            !(arr = cJSON_AddArrayToObject(comp, "parameters")))
            goto fail;
        cJSON_ArrayForEach(p, params)
        {
            const char *v = cJSON_IsString(p) ? p->valuestring : "";
            if (strcmp(v, "{{first_name}}") == 0)
                v = first[0] ? first : "-";
            else if (strcmp(v, "{{name}}") == 0)
                v = person.name[0] ? person.name : "-";
            cJSON *x = cJSON_CreateObject();
            if (!x)
                goto fail;
            cJSON_AddItemToArray(arr, x);
            if (!cJSON_AddStringToObject(x, "type", "text") ||
                !cJSON_AddStringToObject(x, "text", v))
                goto fail;
        }
    }
    return o;
fail:
    cJSON_Delete(o);
    return NULL;
}

static int finish_req(struct wa *w, cJSON *o, struct egress_req *req)
{
    char *json;
    if (!o)
        return BB_ENOMEM;
    json = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!json)
        return BB_ENOMEM;
    bb_strlcpy(req->url, w->url, sizeof(req->url));
    req->body = json;
    req->body_len = strlen(json);
    req->content_type = "application/json";
    if (bb_snprintf(req->headers[0], sizeof(req->headers[0]), "Authorization: Bearer %s",
                    w->set->token) != BB_OK)
        return BB_ELIMIT;
    return BB_OK;
}

/* A document is two requests: part 0 uploads the file (POST
 * {phone_id}/media, multipart: messaging_product, type, file) and its
 * answer's "id" comes back as part 1's prev_ext, which sends a "document"
 * message with that media id, the file name and the caption (at most
 * 1024 characters; a longer one is left out). */
#define WA_CAPTION_MAX 1024
static int doc_upload(struct wa *w, const struct outmsg *rm, struct egress_req *req)
{
    const struct egress_field f[] = {{"messaging_product", "whatsapp"}, {"type", rm->doc_type}};
    int rc =
        egress_multipart(req, f, 2, "file", rm->doc_name, rm->doc_type, rm->doc_data, rm->doc_len);
    if (rc != BB_OK)
        return rc;
    bb_strlcpy(req->url, w->media_url, sizeof(req->url));
    if (bb_snprintf(req->headers[0], sizeof(req->headers[0]), "Authorization: Bearer %s",
                    w->set->token) != BB_OK)
        return BB_ELIMIT;
    return BB_OK;
}

static cJSON *msg_document(const char *to, const char *media_id, const struct outmsg *rm)
{
    cJSON *o = msg_base(to), *d;
    if (!o)
        return NULL;
    if (!cJSON_AddStringToObject(o, "type", "document") ||
        !(d = cJSON_AddObjectToObject(o, "document")) ||
        !cJSON_AddStringToObject(d, "id", media_id) ||
        !cJSON_AddStringToObject(d, "filename", rm->doc_name) ||
        (rm->text && rm->text[0] && bb_utf8_len(rm->text) <= WA_CAPTION_MAX &&
         !cJSON_AddStringToObject(d, "caption", rm->text))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static int wa_build(void *ctx, const struct store_outbox_msg *m, int part, struct egress_req *req,
                    int *nparts)
{
    struct wa *w = ctx;
    struct outmsg rm;
    char **parts = NULL, *numbered = NULL;
    int np = 0, rc, style;
    cJSON *o = NULL;

    *nparts = 1;
    /* A re-engagement template queued by the window check. */
    cJSON *raw = cJSON_Parse(m->body);
    const char *tkey = jstr(raw, "wa_template");
    if (tkey) {
        o = w->templates ? msg_template(w, m, tkey) : NULL;
        cJSON_Delete(raw);
        return o ? finish_req(w, o, req) : BB_ENOTFOUND; /* none configured any more */
    }
    cJSON_Delete(raw);

    memset(&rm, 0, sizeof(rm));
    rc = outmsg_decode(m->body, &rm);
    if (rc != BB_OK)
        return rc;
    if (rm.kind == OUTMSG_DOC) {
        *nparts = 2;
        if (part == 0)
            rc = doc_upload(w, &rm, req);
        else if (part == 1 && req->prev_ext && req->prev_ext[0])
            rc = finish_req(w, msg_document(m->ext_user, req->prev_ext, &rm), req);
        else
            rc = BB_EINVAL;
        goto out;
    }
    if (rm.kind != OUTMSG_SAY) { /* a notice: nothing to edit on WhatsApp */
        outmsg_clear(&rm);
        return BB_ENOTFOUND;
    }
    style = rm.nchoices > 0 ? choice_style(&rm) : 2;
    if (rm.nchoices > 0 && style < 2) {
        o = msg_interactive(m->ext_user, &rm, style, person_lang(w, m->person_id));
        rc = finish_req(w, o, req);
        goto out;
    }
    numbered = rm.nchoices > 0 ? render_numbered(rm.text ? rm.text : "", rm.choices, rm.nchoices)
                               : strdup(rm.text ? rm.text : "");
    if (!numbered) {
        rc = BB_ENOMEM;
        goto out;
    }
    rc = render_split(numbered, (size_t)wa_caps.text_max, &parts, &np);
    if (rc != BB_OK)
        goto out;
    *nparts = np;
    if (part >= np || !parts[part][0]) {
        rc = np == 1 ? BB_ENOTFOUND : BB_EINVAL; /* an empty text: nothing to send */
        goto out;
    }
    rc = finish_req(w, msg_text(m->ext_user, parts[part]), req);
out:
    render_parts_free(parts, np);
    free(numbered);
    outmsg_clear(&rm);
    return rc;
}

/* ---- egress: answers ------------------------------------------------------------ */

static int wa_classify(void *ctx, const struct store_outbox_msg *m, const struct net_resp *r,
                       char *ext_id, size_t ext_n, long *retry_after, char *err, size_t err_n)
{
    struct wa *w = ctx;
    cJSON *root = NULL;
    int out;

    if (r->curl_code != 0 || r->status == 0) {
        bb_snprintf(err, err_n, "network: %s", r->errbuf[0] ? r->errbuf : "no response");
        return EGRESS_RETRY;
    }
    root = r->body ? cJSON_ParseWithLength(r->body, r->body_len) : NULL;
    if (r->status >= 200 && r->status < 300) {
        const cJSON *msgs = cJSON_GetObjectItemCaseSensitive(root, "messages");
        const char *id = jstr(cJSON_GetArrayItem(msgs, 0), "id");
        if (!msgs)
            id = jstr(root, "id"); /* a media upload: {"id": MEDIA_ID} */
        if (id && *id && bb_strlcpy(ext_id, id, ext_n) == BB_OK) {
            out = EGRESS_OK;
        } else {
            bb_snprintf(err, err_n, "a success answer without a message id");
            out = EGRESS_FAIL;
        }
        goto done;
    }
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, "code");
    const char *msg = jstr(e, "message");
    long code = cJSON_IsNumber(c) ? (long)bb_num_or(c->valuedouble, 0) : 0;
    bb_snprintf(err, err_n, "%ld %.120s", code, msg ? msg : "(no message)");
    switch (code) {
    case 130429: /* throughput */
    case 131056: /* pair rate: too many to one number */
    case 131057: /* account in maintenance (throughput upgrade) */
    case 80007:  /* WABA rate limit */
    case 4:      /* app call rate limit */
        *retry_after = r->retry_after > 0 ? r->retry_after : code == 131056 ? 6 : 2;
        out = EGRESS_RATE;
        break;
    case 131047:
        /* the recipient's 24-hour window has closed: hold what follows */
        if (store_wa_window_close(w->env.st, m->ext_user, bb_now()) != BB_OK)
            bb_log(BB_LOG_ERR, WA_NAME, "could not record a closed window: %s",
                   store_errmsg(w->env.st));
        out = EGRESS_WINDOW;
        break;
    case 1:
    case 2:
    case 131000:
        out = EGRESS_RETRY;
        break;
    default:
        if (r->status >= 500)
            out = EGRESS_RETRY;
        else if (r->status == 429) {
            *retry_after = r->retry_after > 0 ? r->retry_after : 2;
            out = EGRESS_RATE;
        } else {
            if (r->status == 401 || code == 190)
                bb_log(BB_LOG_ERR, WA_NAME, "the access token was refused (code %ld)", code);
            out = EGRESS_FAIL;
        }
    }
done:
    cJSON_Delete(root);
    return out;
}

/* ---- the 24-hour window -------------------------------------------------------- */

static const char *template_key(struct wa *w, const struct store_wa_held *h)
{
    if (!w->templates)
        return NULL;
    if (h->batch_id != 0 && cJSON_GetObjectItemCaseSensitive(w->templates, "survey"))
        return "survey";
    if (cJSON_GetObjectItemCaseSensitive(w->templates, "reminder"))
        return "reminder";
    return NULL;
}

/* Hold (or fail) the due messages the window keeps back; queue one
 * re-engagement template per silence when one is configured. */
static int window_check(struct wa *w, int64_t now)
{
    struct store *st = w->env.st;
    struct store_wa_held *held[2] = {NULL, NULL};
    int nheld[2] = {0, 0}, rc;
    /* Read first: most rounds find nothing and take no write lock. */
    rc = store_wa_due_closed(st, WA_NAME, STORE_PRIO_LIVE, now, 64, &held[0], &nheld[0]);
    if (rc == BB_OK)
        rc = store_wa_due_closed(st, WA_NAME, STORE_PRIO_BULK, now, 64, &held[1], &nheld[1]);
    if (rc != BB_OK || nheld[0] + nheld[1] == 0)
        goto out;
    if ((rc = store_begin(st)) != BB_OK)
        goto out;
    for (int k = 0; k < 2; k++) {
        struct store_wa_held *h = held[k];
        for (int i = 0; i < nheld[k] && rc == BB_OK; i++) {
            struct store_wa_window win;
            const char *key;
            if (now - h[i].created_at > WA_HOLD_MAX_S) {
                rc = store_outbox_mark(st, h[i].id, STORE_OUT_FAILED, NULL, "window closed", 0);
                continue;
            }
            rc = store_wa_hold(st, h[i].id, now + WA_HOLD_S);
            if (rc != BB_OK || !(key = template_key(w, &h[i])))
                continue;
            /* Only to a linked number: a template names the person, and a
             * number that merely matched a phone may be a recycled SIM. */
            int64_t pid = h[i].person_id;
            if (pid <= 0)
                continue;
            int wr = store_wa_window_get(st, h[i].ext_user, &win);
            if (wr != BB_OK && wr != BB_ENOTFOUND) {
                rc = wr;
                continue;
            }
            if (win.nudged_at > 0 && win.nudged_at >= win.last_in)
                continue; /* already nudged since they last wrote */
            cJSON *b = cJSON_CreateObject();
            if (!b || !cJSON_AddStringToObject(b, "wa_template", key)) {
                cJSON_Delete(b);
                rc = BB_ENOMEM;
                continue;
            }
            rc = queue_body(w, pid, h[i].ext_user, b);
            cJSON_Delete(b);
            if (rc == BB_OK)
                rc = store_wa_set_nudged(st, h[i].ext_user, now);
            bb_log(BB_LOG_INFO, WA_NAME, "window closed for person %" PRId64 ": template \"%s\"",
                   pid, key);
        }
    }
    rc = tx_end(st, rc);
out:
    free(held[0]);
    free(held[1]);
    return rc;
}

/* ---- the channel ------------------------------------------------------------------ */

static int load_templates(struct wa *w)
{
    const char *path = getenv("BIMBING_WHATSAPP_TEMPLATES");
    int required = path && *path;
    FILE *f;
    char *buf = NULL;
    size_t n;
    int rc = BB_OK;
    if (!required)
        path = "config/whatsapp-templates.json";
    f = fopen(path, "rb");
    if (!f) {
        if (required)
            bb_log(BB_LOG_ERR, WA_NAME, "cannot read the templates file %s", path);
        return required ? BB_EIO : BB_OK;
    }
    buf = malloc(WA_TEMPLATES_MAX + 1);
    if (!buf) {
        fclose(f);
        return BB_ENOMEM;
    }
    n = fread(buf, 1, WA_TEMPLATES_MAX + 1, f);
    fclose(f);
    if (n > WA_TEMPLATES_MAX) {
        bb_log(BB_LOG_ERR, WA_NAME, "%s is larger than %d bytes", path, WA_TEMPLATES_MAX);
        free(buf);
        return BB_ELIMIT;
    }
    w->templates = cJSON_ParseWithLength(buf, n);
    free(buf);
    const cJSON *set, *t;
    if (!cJSON_IsObject(w->templates)) {
        bb_log(BB_LOG_ERR, WA_NAME, "%s: not a JSON object", path);
        rc = BB_EINVAL;
    }
    cJSON_ArrayForEach(set, (rc == BB_OK ? w->templates : NULL))
    {
        if (!cJSON_IsObject(set)) {
            bb_log(BB_LOG_ERR, WA_NAME, "%s: \"%s\" must be an object of languages", path,
                   set->string);
            rc = BB_EINVAL;
            break;
        }
        cJSON_ArrayForEach(t, set)
        {
            const cJSON *params = cJSON_GetObjectItemCaseSensitive(t, "params");
            if (!jstr(t, "name") || !jstr(t, "lang") || (params && !cJSON_IsArray(params))) {
                bb_log(BB_LOG_ERR, WA_NAME,
                       "%s: \"%s\".\"%s\" needs \"name\" and \"lang\" strings (and \"params\" an"
                       " array)",
                       path, set->string, t->string);
                rc = BB_EINVAL;
            }
        }
    }
    if (rc != BB_OK) {
        cJSON_Delete(w->templates);
        w->templates = NULL;
    } else {
        bb_log(BB_LOG_INFO, WA_NAME, "templates: %d kind(s) from %s",
               cJSON_GetArraySize(w->templates), path);
    }
    return rc;
}

static int wa_start(void *self, const struct chan_env *env)
{
    struct wa *w = self;
    const struct wa_settings *c = wa_settings_of(env->cfg);
    int rc;
    w->env = *env;
    w->set = c;
    if (!c->phone_id[0] || !digits_only(c->phone_id, 1, 40)) {
        bb_log(BB_LOG_ERR, WA_NAME,
               "BIMBING_WHATSAPP_PHONE_ID must be the phone number id (digits)");
        return BB_EINVAL;
    }
    if (!c->app_secret[0]) {
        bb_log(BB_LOG_ERR, WA_NAME,
               "BIMBING_WHATSAPP_APP_SECRET is not set: webhooks could not be verified");
        return BB_EINVAL;
    }
    if (strncmp(c->api, "http://", 7) != 0 && strncmp(c->api, "https://", 8) != 0) {
        bb_log(BB_LOG_ERR, WA_NAME, "BIMBING_WHATSAPP_API must be an http(s) URL");
        return BB_EINVAL;
    }
    size_t al = strlen(c->api);
    rc = bb_snprintf(w->url, sizeof(w->url), "%.*s/%s/messages",
                     (int)(al > 0 && c->api[al - 1] == '/' ? al - 1 : al), c->api, c->phone_id);
    if (rc != BB_OK)
        return rc;
    rc = bb_snprintf(w->media_url, sizeof(w->media_url), "%.*s/%s/media",
                     (int)(al > 0 && c->api[al - 1] == '/' ? al - 1 : al), c->api, c->phone_id);
    if (rc != BB_OK)
        return rc;
    if (!c->verify_token[0])
        bb_log(BB_LOG_WARN, WA_NAME,
               "BIMBING_WHATSAPP_VERIFY_TOKEN is not set: webhook verification will be refused");
    if ((rc = load_templates(w)) != BB_OK)
        return rc;
    struct egress_opts eo = {.channel = WA_NAME,
                             .rate_total = c->rate > 0 ? c->rate : 80,
                             .rate_chat = 0,
                             .burst_chat = 1,
                             .window = 64};
    struct egress_ops ops = {.build = wa_build, .classify = wa_classify, .sent = NULL};
    if ((rc = egress_new(&eo, &ops, w, &w->eg)) != BB_OK)
        return rc;
    if ((rc = http_route(env->http, "GET", "/webhooks/whatsapp", 0, on_verify, w)) != BB_OK ||
        (rc = http_route(env->http, "POST", "/webhooks/whatsapp", WA_MAX_BODY, on_webhook, w)) !=
            BB_OK)
        return rc;
    bb_log(BB_LOG_INFO, WA_NAME, "on: webhook at /webhooks/whatsapp, %.0f msg/s", eo.rate_total);
    return BB_OK;
}

static void wa_on_net(void *self, const struct net_resp *r)
{
    struct wa *w = self;
    if (!w->eg)
        return;
    egress_on_net(w->eg, w->env.st, r, bb_mono_ms());
}

static void wa_prepare(void *self)
{
    struct wa *w = self;
    if (!w->eg)
        return;
    /* hold what is outside its 24-hour window before the claim, as wa_egress */
    if (window_check(w, bb_now()) != BB_OK)
        bb_log(BB_LOG_ERR, WA_NAME, "window check failed: %s", store_errmsg(w->env.st));
    egress_prepare(w->eg, w->env.st);
}

static int64_t wa_egress(void *self, int64_t now_ms)
{
    struct wa *w = self;
    if (!w->eg)
        return 1000;
    if (window_check(w, bb_now()) != BB_OK)
        bb_log(BB_LOG_ERR, WA_NAME, "window check failed: %s", store_errmsg(w->env.st));
    return egress_run(w->eg, w->env.st, w->env.net, w->env.net_channel, now_ms);
}

static void wa_free(void *self)
{
    struct wa *w = self;
    if (!w)
        return;
    egress_free(w->eg, w->env.st);
    for (int i = 0; i < w->nheld; i++)
        cJSON_Delete(w->held[(w->held_head + i) % WA_HELD_MAX].root);
    cJSON_Delete(w->templates);
    free(w);
}

static void wa_stats(void *self, struct egress_stats *out)
{
    struct wa *w = self;
    if (w->eg)
        egress_get_stats(w->eg, out);
}

/* ---- configuration and description ------------------------------------------------ */

static const struct wa_settings wa_default_settings = {.rate = 80,
                                                       .api = "https://graph.facebook.com/v23.0"};

static int wa_parse(const cJSON *v, void *vs, char *err, size_t el)
{
    struct wa_settings *s = vs;
    static const char *const keys[] = {"rate", NULL};
    if (!cJSON_IsObject(v) || config_known_keys(v, keys, " in \"whatsapp\"", err, el))
        return err[0] ? -1 : (bb_snprintf(err, el, "\"whatsapp\" must be an object"), -1);
    if (config_num_field(v, "rate", 0.1, 100000, &s->rate, err, el))
        return -1;
    return 0;
}

static const struct config_env_var wa_env[] = {
    CONFIG_ENV_VAR("BIMBING_WHATSAPP_TOKEN", struct wa_settings, token),
    CONFIG_ENV_VAR("BIMBING_WHATSAPP_API", struct wa_settings, api),
    CONFIG_ENV_VAR("BIMBING_WHATSAPP_PHONE_ID", struct wa_settings, phone_id),
    CONFIG_ENV_VAR("BIMBING_WHATSAPP_APP_SECRET", struct wa_settings, app_secret),
    CONFIG_ENV_VAR("BIMBING_WHATSAPP_VERIFY_TOKEN", struct wa_settings, verify_token),
    {NULL, 0, 0},
};

static const struct config_section wa_section = {.key = WA_NAME,
                                                 .size = sizeof(struct wa_settings),
                                                 .defaults = &wa_default_settings,
                                                 .parse = wa_parse,
                                                 .env = wa_env};

const struct wa_settings *wa_settings_of(const struct config *cfg)
{
    return config_section_of(cfg, &wa_section);
}

static int wa_enabled(const struct config *cfg)
{
    return wa_settings_of(cfg)->token[0] != '\0';
}

static const char *const wa_store_tables[] = {"whatsapp_window", NULL};

const struct chan_def wa_chan_def = {
    .name = WA_NAME,
    .store_tables = wa_store_tables,
    .title = "WhatsApp",
    .caps = &wa_caps,
    .config = &wa_section,
    .new_chan = wa_chan_new,
    .enabled = wa_enabled,
    .off_note = "WhatsApp is off (BIMBING_WHATSAPP_TOKEN is not set)",
};

int wa_chan_new(struct chan **out)
{
    struct wa *w = calloc(1, sizeof(*w));
    *out = NULL;
    if (!w)
        return BB_ENOMEM;
    w->chan.name = WA_NAME;
    w->chan.self = w;
    w->chan.start = wa_start;
    w->chan.on_net = wa_on_net;
    w->chan.egress = wa_egress;
    w->chan.prepare = wa_prepare;
    w->chan.ingest = wa_ingest;
    w->chan.free = wa_free;
    w->chan.stats = wa_stats;
    *out = &w->chan;
    return BB_OK;
}
