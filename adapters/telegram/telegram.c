/*
 * telegram.c - the Telegram channel (see telegram.h).
 *
 * Requests of our own (getMe, webhook set-up, commands, getUpdates,
 * answerCallbackQuery) carry tags with TG_TAG_OWN set; every other response
 * belongs to the shared egress. The bot token appears only in URLs, which
 * are never logged.
 *
 * Core thread only.
 */
#include "adapters/telegram/telegram.h"
#include "adapters/net/egress.h"
#include "adapters/net/render.h"
#include "bot/base/bb.h"

#include <assert.h>
#include <ctype.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#define TG_TAG_OWN      (1ULL << 63)
#define TG_POLL_TIMEOUT 25 /* seconds of long poll */
#define TG_UPDATES_MAX  100
#define TG_HELD_MAX     256 /* webhook deliveries waiting for their pass; past it: 503 */

enum tg_req {
    TG_R_GETME = 1,
    TG_R_WEBHOOK,
    TG_R_COMMANDS,
    TG_R_POLL,
    TG_R_ANSWER,
};

enum tg_phase { TG_P_GETME = 0, TG_P_SETUP, TG_P_RUN, TG_P_OFF };

struct tg {
    struct chan chan;
    struct chan_env env;
    const struct tg_settings *set; /* in env.cfg */
    struct egress *eg;
    char base[800]; /* {api}/bot{token} */
    int phase;
    int setup_pending;
    int poll_inflight;
    int64_t next_try_ms;
    int64_t backoff_ms;
    int64_t offset;
    int64_t last_conflict_log;
    /* ingested, waiting for the commit (after_ingest): the offset past
     * them, whether they came from a poll, the buttons to answer */
    int64_t pend_offset;
    int pend_poll, pend_n;
    char pend_cb[TG_UPDATES_MAX][80];
    char username[64];
    /* webhook deliveries held open (http_hold), in arrival order, waiting
     * for the next pass (tg_ingest); then the tickets of those ingested in
     * the open transaction, answered by after_ingest */
    struct tg_held {
        uint64_t ticket;
        struct tg_update u;
    } held[TG_HELD_MAX];
    int held_head, nheld;
    uint64_t pend_ticket[TG_UPDATES_MAX];
    int pend_nt;
};

/* ---- parsing ------------------------------------------------------------------ */

static int id_string(const cJSON *v, char *out, size_t n)
{
    /* Telegram ids reach 52 bits: exact in a double, never in valueint. */
    int64_t id;
    if (!cJSON_IsNumber(v) || bb_num_i64(v->valuedouble, &id) != BB_OK)
        return BB_EINVAL;
    return bb_snprintf(out, n, "%" PRId64, id);
}

/* The sender's public username, kept only when it is a valid one. */
static void parse_username(const cJSON *from, struct tg_update *u)
{
    const cJSON *un = cJSON_GetObjectItemCaseSensitive(from, "username");
    size_t len = cJSON_IsString(un) ? strlen(un->valuestring) : 0;
    if (len < 5 || len >= sizeof(u->username))
        return;
    for (size_t i = 0; i < len; i++) {
        char c = un->valuestring[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return;
    }
    memcpy(u->username, un->valuestring, len + 1);
}

static int parse_obj(const cJSON *o, struct tg_update *u)
{
    const cJSON *uid = cJSON_GetObjectItemCaseSensitive(o, "update_id");
    const cJSON *msg, *cb, *mcm;

    memset(u, 0, sizeof(*u));
    if (!cJSON_IsObject(o) || !cJSON_IsNumber(uid) ||
        bb_num_i64(uid->valuedouble, &u->update_id) != BB_OK || u->update_id < 0)
        return BB_EINVAL;
    if ((msg = cJSON_GetObjectItemCaseSensitive(o, "message")) != NULL) {
        const cJSON *chat = cJSON_GetObjectItemCaseSensitive(msg, "chat");
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(chat, "type");
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(msg, "text");
        const cJSON *from = cJSON_GetObjectItemCaseSensitive(msg, "from");
        const cJSON *date = cJSON_GetObjectItemCaseSensitive(msg, "date");
        if (!cJSON_IsString(type) || strcmp(type->valuestring, "private") != 0 ||
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(from, "is_bot")))
            return BB_OK; /* groups, channels and bots are not ours */
        if (id_string(cJSON_GetObjectItemCaseSensitive(chat, "id"), u->chat, sizeof(u->chat)))
            return BB_EINVAL;
        const char *t = cJSON_IsString(text) ? text->valuestring : "";
        size_t len = strlen(t);
        if (len > TG_IN_MAX || !bb_utf8_valid(t, len))
            t = ""; /* never passed on: treated as a message we cannot read */
        u->text = malloc(strlen(t) + 1);
        if (!u->text)
            return BB_ENOMEM;
        memcpy(u->text, t, strlen(t) + 1);
        u->date = cJSON_IsNumber(date) ? bb_num_or(date->valuedouble, 0) : 0;
        parse_username(from, u);
        u->kind = TG_UPD_TEXT;
        return BB_OK;
    }
    if ((cb = cJSON_GetObjectItemCaseSensitive(o, "callback_query")) != NULL) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(cb, "id");
        const cJSON *from = cJSON_GetObjectItemCaseSensitive(cb, "from");
        const cJSON *data = cJSON_GetObjectItemCaseSensitive(cb, "data");
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(cb, "message");
        const cJSON *chat = cJSON_GetObjectItemCaseSensitive(m, "chat");
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(chat, "type");
        if (!cJSON_IsString(id) || bb_strlcpy(u->cb_id, id->valuestring, sizeof(u->cb_id)))
            return BB_EINVAL;
        if (type && (!cJSON_IsString(type) || strcmp(type->valuestring, "private") != 0)) {
            u->kind = TG_UPD_IGNORED; /* still answered, below, by the caller */
            return BB_OK;
        }
        if (id_string(cJSON_GetObjectItemCaseSensitive(from, "id"), u->chat, sizeof(u->chat)))
            return BB_EINVAL;
        if (cJSON_IsString(data) && strlen(data->valuestring) <= TG_CB_MAX)
            bb_strlcpy(u->data, data->valuestring, sizeof(u->data));
        parse_username(from, u);
        u->kind = TG_UPD_BUTTON;
        return BB_OK;
    }
    if ((mcm = cJSON_GetObjectItemCaseSensitive(o, "my_chat_member")) != NULL) {
        const cJSON *chat = cJSON_GetObjectItemCaseSensitive(mcm, "chat");
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(chat, "type");
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(mcm, "new_chat_member");
        const cJSON *status = cJSON_GetObjectItemCaseSensitive(nm, "status");
        if (!cJSON_IsString(type) || strcmp(type->valuestring, "private") != 0 ||
            !cJSON_IsString(status))
            return BB_OK;
        if (id_string(cJSON_GetObjectItemCaseSensitive(chat, "id"), u->chat, sizeof(u->chat)))
            return BB_EINVAL;
        if (strcmp(status->valuestring, "kicked") == 0)
            u->kind = TG_UPD_BLOCKED;
        else if (strcmp(status->valuestring, "member") == 0)
            u->kind = TG_UPD_UNBLOCKED;
        return BB_OK;
    }
    return BB_OK; /* edited messages, polls, reactions...: ignored safely */
}

int tg_parse_update(const char *json, size_t len, struct tg_update *u)
{
    cJSON *o = cJSON_ParseWithLength(json, len);
    memset(u, 0, sizeof(*u));
    int rc = o ? parse_obj(o, u) : BB_EINVAL;
    if (rc != BB_OK) {
        free(u->text);
        memset(u, 0, sizeof(*u));
    }
    cJSON_Delete(o);
    return rc;
}

void tg_updates_free(struct tg_update *ups, int n)
{
    for (int i = 0; ups && i < n; i++)
        free(ups[i].text);
    free(ups);
}

int tg_parse_updates(const char *json, size_t len, struct tg_update **ups, int *n)
{
    cJSON *o = cJSON_ParseWithLength(json, len);
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(o, "result");
    struct tg_update *v = NULL;
    int k = 0, rc = BB_OK;

    *ups = NULL;
    *n = 0;
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "ok")) || !cJSON_IsArray(res)) {
        cJSON_Delete(o);
        return BB_EINVAL;
    }
    int cnt = cJSON_GetArraySize(res);
    if (cnt > TG_UPDATES_MAX) {
        cJSON_Delete(o);
        return BB_EINVAL;
    }
    v = calloc((size_t)cnt + 1, sizeof(*v));
    if (!v) {
        cJSON_Delete(o);
        return BB_ENOMEM;
    }
    for (const cJSON *u = res->child; u; u = u->next) {
        int prc = parse_obj(u, &v[k]);
        if (prc == BB_ENOMEM) {
            rc = prc;
            break;
        }
        if (prc == BB_OK) {
            k++;
        } else {
            /* An update we cannot read is skipped, but its id still moves
             * the offset on, or it would come back forever. */
            const cJSON *uid = cJSON_GetObjectItemCaseSensitive(u, "update_id");
            free(v[k].text);
            memset(&v[k], 0, sizeof(v[k]));
            if (cJSON_IsNumber(uid) && bb_num_i64(uid->valuedouble, &v[k].update_id) == BB_OK &&
                v[k].update_id >= 0)
                k++;
        }
    }
    cJSON_Delete(o);
    if (rc != BB_OK) {
        tg_updates_free(v, k);
        return rc;
    }
    *ups = v;
    *n = k;
    return BB_OK;
}

/* ---- requests of our own ------------------------------------------------------ */

static int own_request(struct tg *t, int what, const char *method, cJSON *body, long timeout_ms)
{
    struct net_req r;
    char url[900];
    char *json = NULL;
    int rc;
    if (bb_snprintf(url, sizeof(url), "%s/%s", t->base, method) != BB_OK)
        return BB_ELIMIT;
    if (body) {
        json = cJSON_PrintUnformatted(body);
        if (!json)
            return BB_ENOMEM;
    }
    memset(&r, 0, sizeof(r));
    r.method = body ? "POST" : "GET";
    r.url = url;
    r.content_type = body ? "application/json" : NULL;
    r.body = json;
    r.body_len = json ? strlen(json) : 0;
    r.timeout_ms = timeout_ms;
    r.tag = TG_TAG_OWN | (uint64_t)what;
    r.channel = t->env.net_channel;
    rc = net_submit(t->env.net, &r);
    cJSON_free(json);
    return rc;
}

static void add_command(cJSON *arr, const char *cmd, const char *desc)
{
    cJSON *c = cJSON_CreateObject();
    if (!c)
        return;
    cJSON_AddStringToObject(c, "command", cmd);
    cJSON_AddStringToObject(c, "description", desc);
    cJSON_AddItemToArray(arr, c);
}

/* setMyCommands for one language ("" = the default list, in Indonesian). */
static int send_commands(struct tg *t, const char *lang)
{
    int li = lang[0] ? flow_lang_index(lang) : 0;
    cJSON *b = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(b, "commands");
    int rc;
    if (!b || !arr) {
        cJSON_Delete(b);
        return BB_ENOMEM;
    }
    for (int i = 0; i < flow_lib_count(t->env.lib); i++) {
        const struct flow *f = flow_lib_at(t->env.lib, i);
        for (int k = 0; f->menu && k < f->ntriggers; k++)
            if (f->triggers[k].type == FLOW_TRIG_COMMAND && cJSON_GetArraySize(arr) < 90)
                add_command(arr, f->triggers[k].word, f->title.t[li] ? f->title.t[li] : f->id);
    }
    add_command(arr, "menu", li == 1 ? "What we can talk about" : "Pilihan percakapan");
    add_command(arr, li == 1 ? "help" : "bantuan", li == 1 ? "Help" : "Bantuan");
    add_command(arr, li == 1 ? "cancel" : "batal",
                li == 1 ? "Stop this conversation" : "Hentikan percakapan ini");
    if (lang[0])
        cJSON_AddStringToObject(b, "language_code", lang);
    rc = own_request(t, TG_R_COMMANDS, "setMyCommands", b, 15000);
    cJSON_Delete(b);
    return rc;
}

static void start_setup(struct tg *t)
{
    cJSON *b = cJSON_CreateObject();
    int rc;
    if (!b)
        return;
    if (t->set->webhook) {
        cJSON *au = cJSON_AddArrayToObject(b, "allowed_updates");
        cJSON_AddStringToObject(b, "url", t->set->webhook_url);
        cJSON_AddStringToObject(b, "secret_token", t->set->secret);
        cJSON_AddNumberToObject(b, "max_connections", t->set->max_connections);
        cJSON_AddItemToArray(au, cJSON_CreateString("message"));
        cJSON_AddItemToArray(au, cJSON_CreateString("callback_query"));
        cJSON_AddItemToArray(au, cJSON_CreateString("my_chat_member"));
        rc = own_request(t, TG_R_WEBHOOK, "setWebhook", b, 15000);
    } else {
        cJSON_AddFalseToObject(b, "drop_pending_updates");
        rc = own_request(t, TG_R_WEBHOOK, "deleteWebhook", b, 15000);
    }
    cJSON_Delete(b);
    t->setup_pending = 1;
    if (rc == BB_OK && send_commands(t, "") == BB_OK && send_commands(t, "id") == BB_OK &&
        send_commands(t, "en") == BB_OK)
        t->setup_pending += 3;
    t->phase = TG_P_SETUP;
}

static void poll(struct tg *t)
{
    cJSON *b = cJSON_CreateObject();
    cJSON *au = cJSON_AddArrayToObject(b, "allowed_updates");
    if (!b || !au) {
        cJSON_Delete(b);
        return;
    }
    cJSON_AddNumberToObject(b, "offset", (double)t->offset);
    cJSON_AddNumberToObject(b, "timeout", TG_POLL_TIMEOUT);
    cJSON_AddNumberToObject(b, "limit", TG_UPDATES_MAX);
    cJSON_AddItemToArray(au, cJSON_CreateString("message"));
    cJSON_AddItemToArray(au, cJSON_CreateString("callback_query"));
    cJSON_AddItemToArray(au, cJSON_CreateString("my_chat_member"));
    if (own_request(t, TG_R_POLL, "getUpdates", b, (TG_POLL_TIMEOUT + 15) * 1000L) == BB_OK)
        t->poll_inflight = 1;
    cJSON_Delete(b);
}

static void answer_callback(struct tg *t, const char *cb_id)
{
    cJSON *b = cJSON_CreateObject();
    if (!b)
        return;
    cJSON_AddStringToObject(b, "callback_query_id", cb_id);
    own_request(t, TG_R_ANSWER, "answerCallbackQuery", b, 15000);
    cJSON_Delete(b);
}

static void backoff(struct tg *t, int64_t now_ms)
{
    t->backoff_ms = t->backoff_ms ? t->backoff_ms * 2 : 1000;
    if (t->backoff_ms > 60000)
        t->backoff_ms = 60000;
    t->next_try_ms = now_ms + t->backoff_ms;
}

/* ---- ingress -------------------------------------------------------------------- */

/* The transaction holding ingested updates ended. Committed: the offset
 * moves past them, their buttons are answered, and (polling) the next
 * getUpdates goes out at once, while the core works on this batch.
 * Rolled back: nothing moves; they are read again after a pause. */
static void after_ingest(void *vt, int committed)
{
    struct tg *t = vt;
    if (committed) {
        if (t->pend_offset > t->offset)
            t->offset = t->pend_offset;
        for (int i = 0; i < t->pend_n; i++)
            answer_callback(t, t->pend_cb[i]);
        for (int i = 0; i < t->pend_nt; i++)
            http_answer(t->env.http, t->pend_ticket[i], 200, "{}");
        if (t->pend_poll) {
            t->backoff_ms = 0;
            t->next_try_ms = 0;
            if (t->phase == TG_P_RUN && !t->poll_inflight)
                poll(t);
        }
        t->env.kick(t->env.loop);
    } else {
        if (t->pend_poll) {
            bb_log(BB_LOG_ERR, "telegram", "could not store updates (%s); they will be read again",
                   store_errmsg(t->env.st));
            backoff(t, bb_mono_ms());
        }
        /* Telegram delivers a webhook again after a non-2xx answer */
        for (int i = 0; i < t->pend_nt; i++)
            http_answer(t->env.http, t->pend_ticket[i], 503, "{\"error\":\"busy, try again\"}");
    }
    t->pend_offset = 0;
    t->pend_poll = 0;
    t->pend_n = 0;
    t->pend_nt = 0;
}

/* Append updates to the inbox in one transaction, nested in the service
 * loop's when one is open. What may happen only after the commit (the
 * offset, answering buttons, the next poll) is done by after_ingest(). */
static int ingest(struct tg *t, struct tg_update *ups, int n, int from_poll)
{
    struct store *st = t->env.st;
    int rc = store_begin(st);
    int64_t now = bb_now();
    t->pend_poll |= from_poll;
    if (rc != BB_OK) {
        after_ingest(t, 0); /* not registered: nothing else will call it */
        return rc;
    }
    rc = store_after_commit(st, after_ingest, t);
    if (rc != BB_OK) {
        store_commit(st); /* nothing written at this level */
        after_ingest(t, 0);
        return rc;
    }
    for (int i = 0; i < n && rc == BB_OK; i++) {
        struct tg_update *u = &ups[i];
        struct store_inbox_event ev;
        int dup = 0;
        if (u->update_id >= t->pend_offset)
            t->pend_offset = u->update_id + 1;
        if (u->cb_id[0] && t->pend_n < TG_UPDATES_MAX)
            bb_strlcpy(t->pend_cb[t->pend_n++], u->cb_id, sizeof(t->pend_cb[0]));
        if (u->kind == TG_UPD_BLOCKED || u->kind == TG_UPD_UNBLOCKED) {
            rc =
                store_identity_set_blocked(st, "telegram", u->chat, u->kind == TG_UPD_BLOCKED, now);
            if (rc == BB_ENOTFOUND)
                rc = BB_OK; /* a stranger: nothing to mark */
            continue;
        }
        if (u->kind != TG_UPD_TEXT && u->kind != TG_UPD_BUTTON)
            continue;
        memset(&ev, 0, sizeof(ev));
        bb_strlcpy(ev.channel, "telegram", sizeof(ev.channel));
        bb_strlcpy(ev.ext_user, u->chat, sizeof(ev.ext_user));
        bb_snprintf(ev.ext_msg_id, sizeof(ev.ext_msg_id), "u%" PRId64, u->update_id);
        ev.kind = u->kind == TG_UPD_TEXT ? STORE_EV_TEXT : STORE_EV_BUTTON;
        ev.text = u->text;
        bb_strlcpy(ev.payload, u->data, sizeof(ev.payload));
        ev.ts = u->date ? u->date : now;
        rc = store_inbox_add(st, &ev, &dup, NULL);
        /* Their public username, for the introductions of the mentor
         * programme (the store keeps it; an identity not linked yet: none). */
        if (rc == BB_OK && !dup && u->username[0]) {
            rc = store_identity_set_handle(st, "telegram", u->chat, u->username);
            if (rc == BB_ENOTFOUND)
                rc = BB_OK;
        }
        /* A person who writes to us again has unblocked us. */
        if (rc == BB_OK && !dup) {
            int blocked = 0;
            if (store_identity_blocked(st, "telegram", u->chat, &blocked) == BB_OK && blocked)
                rc = store_identity_set_blocked(st, "telegram", u->chat, 0, now);
        }
    }
    if (rc != BB_OK) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st);
}

static void on_updates(struct tg *t, const struct net_resp *r, int64_t now_ms)
{
    struct tg_update *ups = NULL;
    int n = 0;
    if (r->curl_code != 0 || r->status >= 500 || r->status == 0) {
        bb_log(BB_LOG_WARN, "telegram", "getUpdates failed (%s); retrying",
               r->curl_code ? r->errbuf : "server error");
        backoff(t, now_ms);
        return;
    }
    if (r->status == 409) {
        if (now_ms - t->last_conflict_log > 60000) {
            t->last_conflict_log = now_ms;
            bb_log(BB_LOG_ERR, "telegram",
                   "getUpdates answered 409 Conflict: another instance is polling with this "
                   "token, or a webhook is set. Stop the other one (or use webhook mode).");
        }
        backoff(t, now_ms);
        return;
    }
    if (r->status == 401) {
        bb_log(BB_LOG_ERR, "telegram", "the token was refused (401); the channel is off");
        t->phase = TG_P_OFF;
        return;
    }
    if (r->status != 200 || tg_parse_updates(r->body, r->body_len, &ups, &n) != BB_OK) {
        bb_log(BB_LOG_WARN, "telegram", "getUpdates: unexpected answer (HTTP %ld)", r->status);
        backoff(t, now_ms);
        return;
    }
    if (n > 0) {
        /* The offset, the buttons and the next poll wait for the commit
         * (after_ingest); a failure there backs off. */
        ingest(t, ups, n, 1);
        tg_updates_free(ups, n);
        return;
    }
    tg_updates_free(ups, n);
    t->backoff_ms = 0;
    t->next_try_ms = 0;
}

static void refuse(struct http_resp *resp, int status, const char *body)
{
    resp->status = status;
    resp->body = strdup(body);
    resp->body_len = resp->body ? strlen(resp->body) : 0;
}

/* POST /webhooks/telegram: the secret is checked and the update parsed at
 * once; then the answer is held (http_hold) and the update waits for the
 * service loop's next pass (tg_ingest), which appends it to the inbox in
 * the pass's one transaction: 200 after its commit, 503 after a rollback
 * (Telegram delivers a non-2xx update again: nothing is lost). Past
 * TG_HELD_MAX waiting, or the server's held_max, the answer is 503 now. */
static void webhook(void *vt, const struct http_req *req, struct http_resp *resp)
{
    struct tg *t = vt;
    char secret[300];
    struct tg_update u;
    const char *got =
        http_req_header(req, "x-telegram-bot-api-secret-token", secret, sizeof(secret));
    size_t want = strlen(t->set->secret);
    if (!got || strlen(got) != want || CRYPTO_memcmp(got, t->set->secret, want) != 0) {
        refuse(resp, 401, "{\"error\":\"missing or wrong secret token\"}");
        bb_log(BB_LOG_WARN, "telegram", "webhook refused from %s: wrong secret", req->remote_ip);
        return;
    }
    if (tg_parse_update(req->body, req->body_len, &u) != BB_OK) {
        refuse(resp, 400, "{\"error\":\"not a Telegram update\"}");
        return;
    }
    uint64_t ticket = t->nheld < TG_HELD_MAX ? http_hold(req) : 0;
    if (!ticket) {
        free(u.text);
        refuse(resp, 503, "{\"error\":\"busy, try again\"}");
        return;
    }
    struct tg_held *h = &t->held[(t->held_head + t->nheld) % TG_HELD_MAX];
    h->ticket = ticket;
    h->u = u; /* takes u.text */
    t->nheld++;
    t->env.kick(t->env.loop);
}

static int by_update_id(const void *a, const void *b)
{
    int64_t x = ((const struct tg_update *)a)->update_id;
    int64_t y = ((const struct tg_update *)b)->update_id;
    return x < y ? -1 : x > y;
}

/* chan.ingest: the held deliveries, oldest first, at most TG_UPDATES_MAX a
 * pass, into the inbox in the pass's transaction (ingest); their answers
 * wait for its end (after_ingest). Those of one pass go in update_id order
 * (Telegram numbers updates in the order they happened), so two updates of
 * one chat delivered at once over two connections are still stored in
 * their order. */
static void tg_ingest(void *vt)
{
    struct tg *t = vt;
    struct tg_update ups[TG_UPDATES_MAX];
    int n = 0;
    while (t->nheld > 0 && n < TG_UPDATES_MAX && t->pend_nt < TG_UPDATES_MAX) {
        struct tg_held *h = &t->held[t->held_head];
        ups[n++] = h->u;
        t->pend_ticket[t->pend_nt++] = h->ticket;
        memset(h, 0, sizeof(*h));
        t->held_head = (t->held_head + 1) % TG_HELD_MAX;
        t->nheld--;
    }
    if (n == 0)
        return;
    qsort(ups, (size_t)n, sizeof(ups[0]), by_update_id);
    ingest(t, ups, n, 0); /* a failure answers 503 through after_ingest */
    for (int i = 0; i < n; i++)
        free(ups[i].text);
    if (t->nheld > 0)
        t->env.kick(t->env.loop);
}

/* ---- egress: rendering and outcomes ----------------------------------------------- */

static int digits_only(const char *s)
{
    if (*s == '-')
        s++;
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

static cJSON *keyboard(const struct outmsg_choice *c, int n)
{
    cJSON *mk = cJSON_CreateObject();
    cJSON *rows = cJSON_AddArrayToObject(mk, "inline_keyboard");
    size_t longest = 0;
    if (!mk || !rows) {
        cJSON_Delete(mk);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (bb_utf8_len(c[i].label) > longest)
            longest = bb_utf8_len(c[i].label);
    /* short labels side by side (a 1-5 scale on one row), long ones stacked */
    int per_row = longest <= 3 ? 5 : longest <= 12 ? 2 : 1;
    cJSON *row = NULL;
    for (int i = 0; i < n; i++) {
        if (i % per_row == 0) {
            row = cJSON_CreateArray();
            cJSON_AddItemToArray(rows, row);
        }
        cJSON *b = cJSON_CreateObject();
        cJSON_AddStringToObject(b, "text", c[i].label);
        cJSON_AddStringToObject(b, "callback_data", c[i].id);
        cJSON_AddItemToArray(row, b);
    }
    return mk;
}

/* A document goes as multipart/form-data (sendDocument: chat_id, caption,
 * the file as `document`; egress_multipart). A caption over Telegram's
 * 1024 characters is left out. */
#define TG_CAPTION_MAX 1024
static int build_document(struct tg *t, const struct store_outbox_msg *m, const struct outmsg *rm,
                          struct egress_req *req)
{
    const char *cap =
        rm->text && rm->text[0] && bb_utf8_len(rm->text) <= TG_CAPTION_MAX ? rm->text : NULL;
    const struct egress_field f[] = {{"chat_id", m->ext_user}, {"caption", cap}};
    int rc = egress_multipart(req, f, cap ? 2 : 1, "document", rm->doc_name, rm->doc_type,
                              rm->doc_data, rm->doc_len);
    if (rc == BB_OK)
        bb_snprintf(req->url, sizeof(req->url), "%s/sendDocument", t->base);
    return rc;
}

static int build(void *vt, const struct store_outbox_msg *m, int part, struct egress_req *req,
                 int *nparts)
{
    struct tg *t = vt;
    struct outmsg rm;
    char **parts = NULL;
    int np = 0, rc;
    cJSON *b = NULL;

    if (!digits_only(m->ext_user))
        return BB_EINVAL;
    rc = outmsg_decode(m->body, &rm);
    if (rc != BB_OK)
        return rc;
    b = cJSON_CreateObject();
    if (!b) {
        rc = BB_ENOMEM;
        goto out;
    }
    cJSON_AddRawToObject(b, "chat_id", m->ext_user);
    if (rm.kind == OUTMSG_DOC) {
        /* one request; a caption too long for Telegram's 1024 is dropped
         * (the file name still says what it is) */
        *nparts = 1;
        rc = build_document(t, m, &rm, req);
        goto out;
    }
    if (rm.answered[0]) {
        /* Replace the answered question's keyboard by one inert button
         * that shows the choice. */
        char ext[96] = "";
        char *qbody = NULL;
        *nparts = 1;
        rc = store_outbox_find_question(t->env.st, "telegram", m->ext_user, rm.answered, ext,
                                        sizeof(ext), &qbody);
        free(qbody);
        if (rc != BB_OK || !ext[0] || !digits_only(ext)) {
            rc = BB_ENOTFOUND;
            goto out;
        }
        cJSON_AddRawToObject(b, "message_id", ext);
        struct outmsg_choice done;
        memset(&done, 0, sizeof(done));
        bb_snprintf(done.label, sizeof(done.label), "\xE2\x9C\x93 %s", rm.text ? rm.text : "");
        bb_snprintf(done.id, sizeof(done.id), "done.%s", rm.answered);
        cJSON_AddItemToObject(b, "reply_markup", keyboard(&done, 1));
        bb_snprintf(req->url, sizeof(req->url), "%s/editMessageReplyMarkup", t->base);
    } else if (!rm.text) {
        *nparts = 1;
        rc = BB_ENOTFOUND; /* a stale notice: the engine already said so in words */
        goto out;
    } else {
        int fits = 1;
        for (int i = 0; i < rm.nchoices; i++)
            if (strlen(rm.choices[i].id) > TG_CB_MAX || !rm.choices[i].id[0])
                fits = 0;
        char *text = rm.text;
        char *numbered = NULL;
        if (!fits) {
            numbered = render_numbered(rm.text, rm.choices, rm.nchoices);
            text = numbered;
        }
        rc = render_split(text && text[0] ? text : " ", TG_TEXT_MAX, &parts, &np);
        free(numbered);
        if (rc != BB_OK)
            goto out;
        *nparts = np;
        if (part >= np) {
            rc = BB_EINVAL;
            goto out;
        }
        cJSON_AddStringToObject(b, "text", parts[part]);
        if (part == np - 1 && fits && rm.nchoices > 0)
            cJSON_AddItemToObject(b, "reply_markup", keyboard(rm.choices, rm.nchoices));
        bb_snprintf(req->url, sizeof(req->url), "%s/sendMessage", t->base);
    }
    req->body = cJSON_PrintUnformatted(b);
    if (!req->body) {
        rc = BB_ENOMEM;
        goto out;
    }
    req->body_len = strlen(req->body);
    req->content_type = "application/json";
    rc = BB_OK;
out:
    render_parts_free(parts, np);
    cJSON_Delete(b);
    outmsg_clear(&rm);
    return rc;
}

static int classify(void *vt, const struct store_outbox_msg *m, const struct net_resp *r,
                    char *ext_id, size_t ext_n, long *retry_after, char *err, size_t err_n)
{
    (void)vt;
    (void)m;
    cJSON *o = NULL;
    const cJSON *desc, *res;
    int out;
    if (r->curl_code != 0) {
        bb_snprintf(err, err_n, "network: %s", r->errbuf);
        return EGRESS_RETRY;
    }
    o = r->body ? cJSON_ParseWithLength(r->body, r->body_len) : NULL;
    desc = cJSON_GetObjectItemCaseSensitive(o, "description");
    bb_snprintf(err, err_n, "HTTP %ld%s%s", r->status, cJSON_IsString(desc) ? ": " : "",
                cJSON_IsString(desc) ? desc->valuestring : "");
    if (r->status == 200 && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "ok"))) {
        res = cJSON_GetObjectItemCaseSensitive(o, "result");
        const cJSON *mid = cJSON_GetObjectItemCaseSensitive(res, "message_id");
        int64_t m_id;
        if (cJSON_IsNumber(mid) && bb_num_i64(mid->valuedouble, &m_id) == BB_OK)
            bb_snprintf(ext_id, ext_n, "%" PRId64, m_id);
        out = EGRESS_OK;
    } else if (r->status == 429) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "parameters");
        const cJSON *ra = cJSON_GetObjectItemCaseSensitive(p, "retry_after");
        *retry_after = cJSON_IsNumber(ra) ? (long)bb_num_or(ra->valuedouble, 1) : r->retry_after;
        if (*retry_after < 1 || *retry_after > 3600)
            *retry_after = *retry_after < 1 ? 1 : 3600; /* bounded whatever the server says */
        out = EGRESS_RATE;
    } else if (r->status >= 500 || r->status == 0) {
        out = EGRESS_RETRY;
    } else if (r->status == 403) {
        out = EGRESS_BLOCKED;
    } else if (r->status == 400 && cJSON_IsString(desc) &&
               strstr(desc->valuestring, "message is not modified")) {
        out = EGRESS_OK; /* an edit that changes nothing: already as wanted */
    } else {
        out = EGRESS_FAIL;
    }
    cJSON_Delete(o);
    return out;
}

/* ---- the channel ------------------------------------------------------------------ */

static void on_getme(struct tg *t, const struct net_resp *r, int64_t now_ms)
{
    if (r->status == 401 || r->status == 404) {
        bb_log(BB_LOG_ERR, "telegram",
               "Telegram refused the bot token (HTTP %ld); check BIMBING_TELEGRAM_TOKEN. The "
               "Telegram channel is off.",
               r->status);
        t->phase = TG_P_OFF;
        return;
    }
    cJSON *o = r->status == 200 ? cJSON_ParseWithLength(r->body, r->body_len) : NULL;
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(o, "result");
    const cJSON *un = cJSON_GetObjectItemCaseSensitive(res, "username");
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "ok"))) {
        bb_log(BB_LOG_WARN, "telegram", "getMe failed (%s); trying again",
               r->curl_code ? r->errbuf : "unexpected answer");
        cJSON_Delete(o);
        backoff(t, now_ms);
        return;
    }
    if (cJSON_IsString(un))
        bb_strlcpy(t->username, un->valuestring, sizeof(t->username));
    cJSON_Delete(o);
    bb_log(BB_LOG_INFO, "telegram", "connected as @%s (%s mode)", t->username,
           t->set->webhook ? "webhook" : "polling");
    t->backoff_ms = 0;
    t->next_try_ms = 0;
    start_setup(t);
}

static void on_net(void *vt, const struct net_resp *r)
{
    struct tg *t = vt;
    int64_t now_ms = bb_mono_ms();
    if (!(r->tag & TG_TAG_OWN)) {
        egress_on_net(t->eg, t->env.st, r, now_ms);
        return;
    }
    switch ((int)(r->tag & 0xff)) {
    case TG_R_GETME:
        on_getme(t, r, now_ms);
        break;
    case TG_R_WEBHOOK:
    case TG_R_COMMANDS:
        if (r->status != 200)
            bb_log(BB_LOG_WARN, "telegram", "set-up call failed (HTTP %ld%s%s)", r->status,
                   r->curl_code ? ", " : "", r->curl_code ? r->errbuf : "");
        if (--t->setup_pending <= 0 && t->phase == TG_P_SETUP)
            t->phase = TG_P_RUN;
        break;
    case TG_R_POLL:
        t->poll_inflight = 0;
        on_updates(t, r, now_ms);
        break;
    default:
        break; /* answerCallbackQuery: nothing to do either way */
    }
}

static void tg_prepare(void *vt)
{
    struct tg *t = vt;
    if (t->phase == TG_P_RUN && t->eg)
        egress_prepare(t->eg, t->env.st);
}

static int64_t tg_egress(void *vt, int64_t now_ms)
{
    struct tg *t = vt;
    if (t->phase == TG_P_OFF)
        return 1000;
    if (t->phase == TG_P_GETME && now_ms >= t->next_try_ms && t->next_try_ms >= 0) {
        if (own_request(t, TG_R_GETME, "getMe", NULL, 15000) == BB_OK)
            t->next_try_ms = -1; /* in flight */
    }
    if (t->phase != TG_P_RUN)
        return 100;
    if (!t->set->webhook && !t->poll_inflight && now_ms >= t->next_try_ms)
        poll(t);
    return egress_run(t->eg, t->env.st, t->env.net, t->env.net_channel, now_ms);
}

static int tg_start(void *vt, const struct chan_env *env)
{
    struct tg *t = vt;
    struct egress_ops ops = {.build = build, .classify = classify};
    t->env = *env;
    t->set = tg_settings_of(env->cfg);
    if (bb_snprintf(t->base, sizeof(t->base), "%s/bot%s", t->set->api, t->set->token) != BB_OK)
        return BB_ELIMIT;
    if (t->set->webhook) {
        size_t sl = strlen(t->set->secret);
        int ok = sl >= 1 && sl <= 256;
        for (size_t i = 0; i < sl; i++)
            if (!(isalnum((unsigned char)t->set->secret[i]) || t->set->secret[i] == '_' ||
                  t->set->secret[i] == '-'))
                ok = 0;
        if (!ok || !t->set->webhook_url[0]) {
            bb_log(BB_LOG_ERR, "telegram",
                   "webhook mode needs telegram.webhook_url in the config and "
                   "BIMBING_TELEGRAM_WEBHOOK_SECRET (1-256 of A-Z a-z 0-9 _ -)");
            return BB_EINVAL;
        }
        int rc = http_route(env->http, "POST", "/webhooks/telegram", 1024 * 1024, webhook, t);
        if (rc != BB_OK)
            return rc;
    }
    struct egress_opts eo = {.channel = "telegram",
                             .rate_total = t->set->rate_total,
                             .rate_chat = t->set->rate_chat,
                             .burst_chat = 3,
                             .window = 64};
    return egress_new(&eo, &ops, t, &t->eg);
}

static void tg_free(void *vt)
{
    struct tg *t = vt;
    if (!t)
        return;
    egress_free(t->eg, t->env.st);
    for (int i = 0; i < t->nheld; i++)
        free(t->held[(t->held_head + i) % TG_HELD_MAX].u.text);
    OPENSSL_cleanse(t->base, sizeof(t->base));
    free(t);
}

static void tg_stats(void *vt, struct egress_stats *out)
{
    struct tg *t = vt;
    if (t->eg)
        egress_get_stats(t->eg, out);
}

/* ---- configuration and description ------------------------------------------------ */

static const struct tg_settings tg_default_settings = {
    .api = "https://api.telegram.org", .rate_chat = 1, .rate_total = 30, .max_connections = 40};

static int tg_parse(const cJSON *v, void *vs, char *err, size_t el)
{
    struct tg_settings *s = vs;
    static const char *const keys[] = {"mode",       "webhook_url",     "username", "rate_per_chat",
                                       "rate_total", "max_connections", NULL};
    char mode[16] = "polling";
    if (!cJSON_IsObject(v) || config_known_keys(v, keys, " in \"telegram\"", err, el) ||
        config_str_field(v, "mode", mode, sizeof(mode), err, el) ||
        config_str_field(v, "webhook_url", s->webhook_url, sizeof(s->webhook_url), err, el) ||
        config_str_field(v, "username", s->username, sizeof(s->username), err, el))
        return err[0] ? -1 : (bb_snprintf(err, el, "\"telegram\" must be an object"), -1);
    if (config_choice(mode, "telegram.mode", "polling", "webhook", &s->webhook, err, el) ||
        config_num_field(v, "rate_per_chat", 0.01, 100, &s->rate_chat, err, el) ||
        config_num_field(v, "rate_total", 0.1, 100000, &s->rate_total, err, el))
        return -1;
    const cJSON *mc = cJSON_GetObjectItemCaseSensitive(v, "max_connections");
    if (mc && (!cJSON_IsNumber(mc) || mc->valuedouble < 1 || mc->valuedouble > 100 ||
               mc->valuedouble != (double)(int)mc->valuedouble)) {
        bb_snprintf(err, el,
                    "\"telegram.max_connections\" must be a whole number from 1 to 100 (the "
                    "webhook connections Telegram may open at once; default 40)");
        return -1;
    }
    if (mc)
        s->max_connections = (int)mc->valuedouble;
    return 0;
}

static const struct config_env_var tg_env[] = {
    CONFIG_ENV_VAR("BIMBING_TELEGRAM_TOKEN", struct tg_settings, token),
    CONFIG_ENV_VAR("BIMBING_TELEGRAM_API", struct tg_settings, api),
    CONFIG_ENV_VAR("BIMBING_TELEGRAM_WEBHOOK_SECRET", struct tg_settings, secret),
    {NULL, 0, 0},
};

static const struct config_section tg_section = {.key = "telegram",
                                                 .size = sizeof(struct tg_settings),
                                                 .defaults = &tg_default_settings,
                                                 .parse = tg_parse,
                                                 .env = tg_env};

const struct tg_settings *tg_settings_of(const struct config *cfg)
{
    return config_section_of(cfg, &tg_section);
}

static int tg_enabled(const struct config *cfg)
{
    return tg_settings_of(cfg)->token[0] != '\0';
}

static int tg_invite_link(const struct config *cfg, const char *code, char *out, size_t n)
{
    const struct tg_settings *s = tg_settings_of(cfg);
    if (!s->username[0])
        return BB_ENOTFOUND;
    return bb_snprintf(out, n, "https://t.me/%s?start=%s", s->username, code);
}

static const struct chan_caps tg_caps = {
    .edits_sent = 1, /* an answered question's keyboard is replaced */
    .buttons_max = 100,
    .button_id_max = TG_CB_MAX,
    .text_max = TG_TEXT_MAX,
    .documents = 1, /* sendDocument, multipart */
};

const struct chan_def tg_chan_def = {
    .name = "telegram",
    .title = "Telegram",
    .caps = &tg_caps,
    .config = &tg_section,
    .new_chan = tg_chan_new,
    .enabled = tg_enabled,
    .off_note = "Telegram is off (BIMBING_TELEGRAM_TOKEN is not set)",
    .invite_link = tg_invite_link,
};

int tg_chan_new(struct chan **out)
{
    struct tg *t = calloc(1, sizeof(*t));
    if (!t)
        return BB_ENOMEM;
    t->chan.name = "telegram";
    t->chan.self = t;
    t->chan.start = tg_start;
    t->chan.on_net = on_net;
    t->chan.egress = tg_egress;
    t->chan.prepare = tg_prepare;
    t->chan.ingest = tg_ingest;
    t->chan.free = tg_free;
    t->chan.stats = tg_stats;
    *out = &t->chan;
    return BB_OK;
}
