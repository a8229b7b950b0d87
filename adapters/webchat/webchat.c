/*
 * webchat.c - the web chat channel ("web"): a sign-in API, a websocket at
 * /ws speaking a Direct Line-like JSON protocol, and egress of the "web"
 * outbox rows to the open websockets. The protocol is in docs/webchat.md.
 *
 * Sign-in: POST /api/v1/webchat/signin {"code":"..."} creates a new web
 * identity (ext_user "w" + 16 hex) and a session (cookie bb_web = 32 random
 * bytes in hex; the store keeps only its SHA-256), and appends the event
 * "/start CODE" from that identity to the inbox. It answers 202 at once:
 * the core links the identity to the invited person (or answers that the
 * code is unknown) like on any other channel, and that answer arrives as
 * chat messages on the websocket. Registration logic lives in the core only.
 *
 * Egress: every claimed row goes to all open websockets of its ext_user and
 * is marked SENT, also when none is open: a client that was away replays
 * what it missed by watermark (the outbox id) when it reconnects.
 *
 * Threads: core thread only (every callback runs in the lws loop).
 * Ownership: struct wc owns its connection and rate-limit tables (fixed
 * size). The websocket and route callbacks get a small struct wc_shim, not
 * the channel: the HTTP server outlives the channel (serve.c frees channels
 * before the server, whose teardown still reports closing websockets), so
 * the shim lives until the last connection it counted has closed.
 */
#include "adapters/webchat/webchat.h"
#include "adapters/net/apiutil.h"
#include "bot/core/outmsg.h"
#include "bot/base/bb.h"
#include "bot/core/core.h"
#include "store/store_web.h"

#include <assert.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#define WC_MAX_CONNS  16384 /* open websockets, all people (serve raises its open-files limit) */
#define WC_HASH       16384 /* buckets of the connection indexes (a power of two) */
#define WC_MAX_TABS   8     /* per web identity; the oldest goes */
#define WC_PRE_CONNS  256   /* open websockets of identities not linked yet, all addresses */
#define WC_PRE_PER_IP 4     /* ... and from one client address */
#define WC_FRAME_MAX                                                                               \
    40960 /* bytes per client frame (a WC_TEXT_MAX text, escaped); more: an error */
#define WC_WS_MAX       65536            /* beyond this the server closes (1009) */
#define WC_TEXT_MAX     CHAN_TEXT_IN_MAX /* bytes of typed text: 4,000 characters of any script */
#define WC_ID_MAX       64               /* client message id */
#define WC_VALUE_MAX    63               /* button value (a choice id) */
#define WC_RL_MAX       10               /* sign-in attempts per address ... */
#define WC_RL_WINDOW_MS (600 * 1000)     /* ... per 10 minutes */
#define WC_SESSION_TTL  (30 * 86400)     /* sliding: renewed on every connect, once linked */
#define WC_PRE_TTL      600              /* a session not linked to a person yet lasts 10 min */
#define WC_MSG_MAX      30               /* messages per linked web identity ... */
#define WC_MSG_WINDOW   (60 * 1000)      /* ... per minute */
#define WC_PRE_MSG_MAX  10               /* messages of an identity not linked yet ... */
#define WC_PRE_WINDOW   (600 * 1000)     /* ... per 10 minutes (its session's life) */
#define WC_CLAIM        512              /* outbox rows claimed per pass */
#define WC_PEND_MAX     2048             /* messages taken, waiting for the pass's commit ... */
#define WC_PEND_BYTES   (1024 * 1024)    /* ... and their text bytes; beyond: "busy, again" */
#define WC_REPLAY_PAGE  100              /* activities per replay frame */
#define WC_REPLAY_MAX   1000             /* activities per resume */
#define WC_COOKIE       "bb_web"
#define WC_FILE_PATH    "/api/v1/webchat/file" /* + "/<outbox id>": a document's bytes */
#define WC_FILE_TTL     3600                   /* a document can be downloaded this long */

/* Links below are slot index + 1, 0 ending a chain: a zeroed table is empty. */
struct wc_conn {
    uint64_t id; /* 0: free slot */
    char ext_user[32];
    char token_hash[65];
    int linked;   /* the identity is linked to a person (its session is a full one) */
    char ip[64];  /* the client address (http_req.client_ip) */
    int id_next;  /* next in the bucket of its connection id */
    int usr_next; /* next in the bucket of its ext_user */
    int pre_next; /* next not linked (only while !linked); next free slot while free */
};

struct wc;

struct wc_shim {
    struct wc *wc; /* NULL once the channel is freed */
    int open;      /* websockets opened and not yet closed */
    int keep;      /* never free: start() failed with callbacks registered */
};

/* A message taken from a websocket, stored in the inbox by the next pass
 * (wc_pass) and acknowledged once that pass has committed (wc_after). */
struct wc_pend {
    uint64_t conn;
    char ext_user[32];
    char id[WC_ID_MAX + 1]; /* the client's message id */
    int kind;               /* STORE_EV_TEXT or STORE_EV_BUTTON */
    char *text;             /* malloc'd (text), NULL for a button */
    char value[WC_VALUE_MAX + 1];
    int64_t ts;
    int state; /* 0 taken, 1 stored, 2 a duplicate, -1 not stored */
};

/* A claimed outbox row, marked sent in the pass; its frame goes out after
 * the commit. */
struct wc_out {
    char ext_user[32];
    char *frame; /* malloc'd; NULL: unreadable, marked failed */
};

struct wc {
    struct chan chan;
    struct chan_env env;
    int started;
    struct wc_shim *shim;
    /* Connections, indexed by id and by web identity so that a message or
     * a reply costs the same with ten connections as with ten thousand. */
    struct wc_conn conns[WC_MAX_CONNS];
    int by_id[WC_HASH], by_user[WC_HASH];
    int pre_head, npre; /* the connections not linked yet (at most WC_PRE_CONNS + 1) */
    int free_head;      /* freed slots */
    int hi, nconns;     /* slots ever used; slots in use */
    /* One pass (wc_pass): messages to store, replies to send, both held
     * until the pass's commit (wc_after); bounded by WC_PEND_* and WC_CLAIM. */
    struct wc_pend pend[WC_PEND_MAX];
    int npend;     /* taken so far */
    int ntx;       /* of them, the first ntx are in the open transaction */
    size_t pbytes; /* text bytes held */
    struct wc_out out[WC_CLAIM];
    int nout;
    int hooked;                /* wc_after is registered with the open transaction */
    int more;                  /* the last claim was full: come back at once */
    struct api_iplimit rl;     /* sign-in attempts per client address */
    struct api_iplimit msg_rl; /* messages per web identity (key: ext_user) */
};

/* ---- small helpers ------------------------------------------------------- */

/* The SHA-256 of the request's session token, if it carries one. */
static int req_token_hash(const struct http_req *req, char hash[65])
{
    char tok[API_TOKEN_HEX + 1];
    return api_cookie_token(req, WC_COOKIE, tok, hash);
}

static int id_char_ok(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
}

/* ---- connections ----------------------------------------------------------- */

static unsigned conn_id_hash(uint64_t id)
{
    return (unsigned)((id * 0x9E3779B97F4A7C15ULL) >> 32) & (WC_HASH - 1);
}

static unsigned conn_user_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h & (WC_HASH - 1);
}

static struct wc_conn *conn_get(struct wc *w, uint64_t id)
{
    for (int k = w->by_id[conn_id_hash(id)]; k; k = w->conns[k - 1].id_next)
        if (w->conns[k - 1].id == id)
            return &w->conns[k - 1];
    return NULL;
}

/* The first connection of ext_user, then the next one after c. */
static struct wc_conn *conn_user_next(struct wc *w, const char *ext_user, struct wc_conn *c)
{
    int k = c ? c->usr_next : w->by_user[conn_user_hash(ext_user)];
    for (; k; k = w->conns[k - 1].usr_next)
        if (strcmp(w->conns[k - 1].ext_user, ext_user) == 0)
            return &w->conns[k - 1];
    return NULL;
}

/* Take c off the chain starting at *head whose link is at offset off. */
static void chain_del(struct wc *w, int *head, size_t off, struct wc_conn *c)
{
    int me = (int)(c - w->conns) + 1;
    for (int *p = head; *p; p = (int *)((char *)&w->conns[*p - 1] + off))
        if (*p == me) {
            *p = *(int *)((char *)c + off);
            return;
        }
    assert(!"connection not on its chain");
}

static void pre_del(struct wc *w, struct wc_conn *c)
{
    chain_del(w, &w->pre_head, offsetof(struct wc_conn, pre_next), c);
    w->npre--;
    assert(w->npre >= 0);
}

/* A free slot holding a new connection, indexed; NULL when all are taken. */
static struct wc_conn *conn_add(struct wc *w, uint64_t id, const char *ext_user,
                                const char *token_hash, const char *ip)
{
    struct wc_conn *c;
    int k;

    if (w->free_head) {
        k = w->free_head;
        w->free_head = w->conns[k - 1].pre_next;
    } else if (w->hi < WC_MAX_CONNS) {
        k = ++w->hi;
    } else {
        return NULL;
    }
    c = &w->conns[k - 1];
    memset(c, 0, sizeof(*c));
    c->id = id;
    bb_strlcpy(c->ext_user, ext_user, sizeof(c->ext_user));
    bb_strlcpy(c->token_hash, token_hash, sizeof(c->token_hash));
    bb_strlcpy(c->ip, ip, sizeof(c->ip));
    unsigned hi = conn_id_hash(id), hu = conn_user_hash(c->ext_user);
    c->id_next = w->by_id[hi];
    w->by_id[hi] = k;
    c->usr_next = w->by_user[hu];
    w->by_user[hu] = k;
    c->pre_next = w->pre_head; /* not linked until conn_check_linked says so */
    w->pre_head = k;
    w->npre++;
    w->nconns++;
    return c;
}

static void conn_del(struct wc *w, struct wc_conn *c)
{
    assert(c->id);
    chain_del(w, &w->by_id[conn_id_hash(c->id)], offsetof(struct wc_conn, id_next), c);
    chain_del(w, &w->by_user[conn_user_hash(c->ext_user)], offsetof(struct wc_conn, usr_next), c);
    if (!c->linked)
        pre_del(w, c);
    memset(c, 0, sizeof(*c));
    c->pre_next = w->free_head;
    w->free_head = (int)(c - w->conns) + 1;
    w->nconns--;
    assert(w->nconns >= 0);
}

/* A session starts as a 10-minute pre-session (issue 14, finding 5): only
 * once the core has linked its identity to a person (the invite code was
 * right) does it become the 30-day sliding session. Checked on connect, on
 * each message and when a reply goes out, until it is linked. */
static void conn_check_linked(struct wc *w, struct wc_conn *c, int64_t now)
{
    int64_t pid = 0;
    if (c->linked || store_identity_person(w->env.st, "web", c->ext_user, &pid) != BB_OK)
        return;
    pre_del(w, c);
    c->linked = 1;
    (void)store_web_session_touch(w->env.st, c->token_hash, now, now + WC_SESSION_TTL);
}

static void send_str(struct wc *w, uint64_t conn, const char *s)
{
    if (s)
        (void)http_ws_send(w->env.http, conn, s, strlen(s));
}

static void send_json(struct wc *w, uint64_t conn, cJSON *o)
{
    char *s = o ? cJSON_PrintUnformatted(o) : NULL;
    send_str(w, conn, s);
    cJSON_free(s);
}

/* To every open websocket of a web identity. */
static void send_user(struct wc *w, const char *ext_user, const char *s)
{
    for (struct wc_conn *c = conn_user_next(w, ext_user, NULL); c;
         c = conn_user_next(w, ext_user, c))
        send_str(w, c->id, s);
}

/* A reply went out to a web identity: its connections' pre-sessions become
 * full ones if the core has linked it meanwhile. */
static void check_linked_user(struct wc *w, const char *ext_user, int64_t now)
{
    for (struct wc_conn *c = conn_user_next(w, ext_user, NULL); c;
         c = conn_user_next(w, ext_user, c))
        if (!c->linked)
            conn_check_linked(w, c, now);
}

/* {"type":"error","error":msg[,"id":client id]}: the frame changed nothing. */
static void send_error(struct wc *w, uint64_t conn, const char *msg, const char *client_id)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return;
    cJSON_AddStringToObject(o, "type", "error");
    cJSON_AddStringToObject(o, "error", msg);
    if (client_id)
        cJSON_AddStringToObject(o, "id", client_id);
    send_json(w, conn, o);
    cJSON_Delete(o);
}

/* ---- activities -------------------------------------------------------------- */

/* One outbox row as a Direct Line-like activity; NULL for an unreadable body. */
static cJSON *activity_of(const struct store_outbox_msg *m)
{
    struct outmsg r;
    char id[24], ts[32];
    cJSON *a;

    if (!m->body || outmsg_decode(m->body, &r) != BB_OK)
        return NULL;
    a = cJSON_CreateObject();
    if (!a)
        goto out;
    bb_snprintf(id, sizeof(id), "%" PRId64, m->id);
    bb_format_iso8601(m->created_at, ts, sizeof(ts));
    cJSON_AddStringToObject(a, "id", id);
    if (r.answered[0] || r.stale[0]) {
        cJSON_AddStringToObject(a, "type", "event");
        cJSON_AddStringToObject(a, "name", r.answered[0] ? "answered" : "stale");
        cJSON_AddStringToObject(a, "value", r.answered[0] ? r.answered : r.stale);
    } else {
        cJSON_AddStringToObject(a, "type", "message");
    }
    cJSON *from = cJSON_AddObjectToObject(a, "from");
    if (from)
        cJSON_AddStringToObject(from, "role", "bot");
    cJSON_AddStringToObject(a, "timestamp", ts);
    if (r.text)
        cJSON_AddStringToObject(a, "text", r.text);
    if (r.nchoices > 0) {
        cJSON *sa = cJSON_AddObjectToObject(a, "suggestedActions");
        cJSON *acts = sa ? cJSON_AddArrayToObject(sa, "actions") : NULL;
        for (int i = 0; acts && i < r.nchoices; i++) {
            cJSON *b = cJSON_CreateObject();
            if (!b)
                break;
            cJSON_AddStringToObject(b, "type", "imBack");
            cJSON_AddStringToObject(b, "title", r.choices[i].label);
            cJSON_AddStringToObject(b, "value", r.choices[i].id);
            cJSON_AddItemToArray(acts, b);
        }
    }
    if (r.kind == OUTMSG_DOC) {
        /* Direct Line's attachment: the bytes are fetched once from
         * contentUrl by the signed-in person (see on_file) */
        cJSON *atts = cJSON_AddArrayToObject(a, "attachments");
        cJSON *at = cJSON_CreateObject();
        char url[64];
        bb_snprintf(url, sizeof(url), WC_FILE_PATH "/%" PRId64, m->id);
        if (atts && at) {
            cJSON_AddStringToObject(at, "contentType", r.doc_type);
            cJSON_AddStringToObject(at, "name", r.doc_name);
            cJSON_AddNumberToObject(at, "size", (double)r.doc_len);
            cJSON_AddStringToObject(at, "contentUrl", url);
            cJSON_AddItemToArray(atts, at);
        } else {
            cJSON_Delete(at);
        }
    }
    if (r.q[0]) {
        cJSON *cd = cJSON_AddObjectToObject(a, "channelData");
        if (cd)
            cJSON_AddStringToObject(cd, "q", r.q);
    }
out:
    outmsg_clear(&r);
    return a;
}

/* {"activities":[...],"watermark":"N"}; takes ownership of acts. */
static char *activities_frame(cJSON *acts, int64_t watermark)
{
    cJSON *o = cJSON_CreateObject();
    char wm[24], *s = NULL;
    if (!o) {
        cJSON_Delete(acts);
        return NULL;
    }
    bb_snprintf(wm, sizeof(wm), "%" PRId64, watermark);
    cJSON_AddItemToObject(o, "activities", acts);
    cJSON_AddStringToObject(o, "watermark", wm);
    s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

/* ---- sign-in ---------------------------------------------------------------- */

static void close_token(struct wc *w, const char *token_hash)
{
    /* sign-out and a sign-in replacing a session only: a scan is fine */
    for (int i = 0; i < w->hi; i++)
        if (w->conns[i].id && strcmp(w->conns[i].token_hash, token_hash) == 0)
            http_ws_close(w->env.http, w->conns[i].id);
}

static void on_signin(void *ctx, const struct http_req *req, struct http_resp *resp)
{
    struct wc_shim *sh = ctx;
    struct wc *w = sh->wc;
    char ctype[128], code[REG_CODE_LEN + 1], ext_user[32], tok[API_TOKEN_HEX + 1], hash[65],
        old[65], text[REG_CODE_LEN + 8];
    unsigned char rnd[40];
    struct store_inbox_event ev;
    int64_t retry = 0, now = bb_now();
    cJSON *body = NULL, *ok;
    int rc, dup = 0;

    if (!w) {
        api_error(resp, 503, "the web chat is not running");
        return;
    }
    if (api_iplimit_hit(&w->rl, req->client_ip ? req->client_ip : "", bb_mono_ms(), WC_RL_MAX,
                        WC_RL_WINDOW_MS, &retry) != BB_OK) {
        api_error(resp, 429, "too many sign-in attempts from this address; try again later");
        bb_snprintf(resp->headers, sizeof(resp->headers), "Retry-After: %" PRId64 "\r\n", retry);
        bb_log(BB_LOG_INFO, "web", "sign-in rate limit hit");
        return;
    }
    if (!http_req_header(req, "content-type", ctype, sizeof(ctype)) ||
        strncasecmp(ctype, "application/json", 16) != 0) {
        api_error(resp, 415, "send {\"code\": \"...\"} as application/json");
        return;
    }
    if (!bb_utf8_valid(req->body, req->body_len) ||
        !(body = cJSON_ParseWithLength(req->body, req->body_len)) || !cJSON_IsObject(body)) {
        api_error(resp, 400, "the body must be a JSON object: {\"code\": \"...\"}");
        goto out;
    }
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(body, "code");
    if (!cJSON_IsString(c) || strlen(c->valuestring) > 64 ||
        reg_code_normalise(c->valuestring, code, sizeof(code)) != BB_OK) {
        api_error(resp, 400, "an invite code has 10 letters and digits");
        goto out;
    }

    if (bb_random(rnd, sizeof(rnd)) != BB_OK) {
        api_error(resp, 500, "no randomness available");
        goto out;
    }
    ext_user[0] = 'w';
    api_hex(rnd, 8, ext_user + 1);
    api_hex(rnd + 8, 32, tok);
    bb_sha256_hex(tok, API_TOKEN_HEX, hash);

    memset(&ev, 0, sizeof(ev));
    bb_strlcpy(ev.channel, "web", sizeof(ev.channel));
    bb_strlcpy(ev.ext_user, ext_user, sizeof(ev.ext_user));
    bb_snprintf(ev.ext_msg_id, sizeof(ev.ext_msg_id), "web:%s:signin", ext_user);
    ev.kind = STORE_EV_TEXT;
    bb_snprintf(text, sizeof(text), "/start %s", code);
    ev.text = text;
    ev.ts = now;

    rc = store_begin(w->env.st);
    if (rc == BB_OK)
        rc = store_web_session_prune(w->env.st, now, NULL);
    if (rc == BB_OK && req_token_hash(req, old) == BB_OK) {
        /* signing in again replaces the session this browser had */
        rc = store_web_session_delete(w->env.st, old);
        if (rc == BB_ENOTFOUND)
            rc = BB_OK;
        if (rc == BB_OK)
            close_token(w, old);
    }
    if (rc == BB_OK)
        rc = store_web_session_add(w->env.st, hash, ext_user, now, now + WC_PRE_TTL);
    if (rc == BB_OK)
        rc = store_inbox_add(w->env.st, &ev, &dup, NULL);
    if (rc == BB_OK)
        rc = store_commit(w->env.st);
    else
        store_rollback(w->env.st);
    if (rc != BB_OK) {
        bb_log(BB_LOG_ERR, "web", "sign-in: %s (%s)", bb_strerror(rc), store_errmsg(w->env.st));
        api_error(resp, 500, "could not sign in; please try again");
        goto out;
    }
    w->env.kick(w->env.loop);

    ok = cJSON_CreateObject();
    if (ok) {
        cJSON_AddStringToObject(ok, "status", "pending");
        cJSON_AddStringToObject(ok, "next", "open /ws: the answer to the code arrives there");
    }
    api_json(resp, 202, ok);
    cJSON_Delete(ok);
    api_set_cookie(resp, req, WC_COOKIE, tok, WC_SESSION_TTL);
out:
    cJSON_Delete(body);
}

static void on_signout(void *ctx, const struct http_req *req, struct http_resp *resp)
{
    struct wc_shim *sh = ctx;
    struct wc *w = sh->wc;
    char hash[65];
    cJSON *o;

    if (!w) {
        api_error(resp, 503, "the web chat is not running");
        return;
    }
    if (req_token_hash(req, hash) == BB_OK) {
        int rc = store_web_session_delete(w->env.st, hash);
        if (rc != BB_OK && rc != BB_ENOTFOUND) {
            api_error(resp, 500, "could not sign out; please try again");
            return;
        }
        close_token(w, hash);
    }
    o = cJSON_CreateObject();
    if (o)
        cJSON_AddStringToObject(o, "status", "signed out");
    api_json(resp, 200, o);
    cJSON_Delete(o);
    api_set_cookie(resp, req, WC_COOKIE, "", 0);
}

/* ---- documents ------------------------------------------------------------------- */

/* GET /api/v1/webchat/file/<outbox id>: a document sent to this browser's
 * web identity, within WC_FILE_TTL of being sent, once: the answer carries
 * the bytes and the outbox row keeps only the caption afterwards. Anyone
 * else (another session, no session, another chat's row) gets 404. */
static void on_file(void *ctx, const struct http_req *req, struct http_resp *resp)
{
    struct wc_shim *sh = ctx;
    struct wc *w = sh->wc;
    struct store_outbox_msg *ms = NULL;
    struct outmsg r;
    char hash[65], ext_user[64], *end = NULL, *rest = NULL;
    const char *p = req->path + strlen(WC_FILE_PATH);
    long long id;
    int n = 0, rc;

    memset(&r, 0, sizeof(r));
    if (!w) {
        api_error(resp, 503, "the web chat is not running");
        return;
    }
    if (strcmp(req->method, "GET") != 0 || *p != '/' || !p[1]) {
        api_error(resp, 404, "no such file");
        return;
    }
    id = strtoll(p + 1, &end, 10);
    if (!end || *end || id <= 0) {
        api_error(resp, 404, "no such file");
        return;
    }
    if (req_token_hash(req, hash) != BB_OK ||
        store_web_session_get(w->env.st, hash, bb_now(), ext_user, sizeof(ext_user)) != BB_OK) {
        api_error(resp, 401, "not signed in");
        return;
    }
    rc = store_outbox_after(w->env.st, "web", ext_user, id - 1, 1, &ms, &n);
    if (rc != BB_OK || n != 1 || ms[0].id != id || outmsg_decode(ms[0].body, &r) != BB_OK ||
        r.kind != OUTMSG_DOC || ms[0].created_at + WC_FILE_TTL < bb_now()) {
        api_error(resp, 404, "no such file (or it was downloaded already, or it expired)");
        goto out;
    }
    /* once: the row keeps the caption, not the bytes */
    rc = outmsg_encode_text(r.text ? r.text : r.doc_name, &rest);
    if (rc == BB_OK)
        rc = store_outbox_set_body(w->env.st, id, rest);
    if (rc != BB_OK) {
        api_error(resp, 500, "could not hand out the file; please try again");
        goto out;
    }
    resp->status = 200;
    resp->content_type = strcmp(r.doc_type, "application/json") == 0 ? "application/json"
                                                                     : "application/octet-stream";
    bb_snprintf(resp->headers, sizeof(resp->headers),
                "Content-Disposition: attachment; filename=\"%s\"\r\nCache-Control: no-store\r\n",
                r.doc_name);
    resp->body = (char *)r.doc_data; /* the server frees it */
    resp->body_len = r.doc_len;
    r.doc_data = NULL;
out:
    free(rest);
    outmsg_clear(&r);
    store_outbox_free(ms, n);
}

/* ---- the websocket ------------------------------------------------------------ */

static void ws_open(void *ctx, uint64_t conn_id, const struct http_req *req)
{
    struct wc_shim *sh = ctx;
    struct wc *w = sh->wc;
    char hash[65], ext_user[64];
    struct wc_conn *slot = NULL, *oldest = NULL;
    int tabs = 0, rc;
    int64_t now = bb_now();

    sh->open++;
    if (!w)
        return;
    if (!api_origin_ok(req)) {
        send_error(w, conn_id, "connection from another site refused", NULL);
        http_ws_close(w->env.http, conn_id);
        return;
    }
    if (req_token_hash(req, hash) != BB_OK ||
        (rc = store_web_session_get(w->env.st, hash, now, ext_user, sizeof(ext_user))) != BB_OK ||
        strlen(ext_user) >= sizeof(slot->ext_user)) {
        send_error(w, conn_id, "not signed in", NULL);
        http_ws_close(w->env.http, conn_id);
        return;
    }
    int64_t pid = 0;
    int linked = store_identity_person(w->env.st, "web", ext_user, &pid) == BB_OK;
    const char *ip = req->client_ip ? req->client_ip : "";
    int pre_all = 0, pre_ip = 0;
    for (struct wc_conn *c = conn_user_next(w, ext_user, NULL); c;
         c = conn_user_next(w, ext_user, c)) {
        tabs++;
        if (!oldest || c->id < oldest->id)
            oldest = c;
    }
    pre_all = w->npre;
    for (int k = w->pre_head; k; k = w->conns[k - 1].pre_next)
        pre_ip += strcmp(w->conns[k - 1].ip, ip) == 0; /* at most WC_PRE_CONNS + 1 */
    /* Sessions not linked to a person (anyone can make them) hold at most
     * WC_PRE_PER_IP connections per client address and WC_PRE_CONNS in all,
     * so they cannot take the slots of the people signed in (issue 14,
     * finding 6). */
    if (!linked && (pre_ip >= WC_PRE_PER_IP || pre_all >= WC_PRE_CONNS)) {
        send_error(w, conn_id,
                   pre_ip >= WC_PRE_PER_IP
                       ? "too many connections not signed in from this address; sign in with "
                         "your invite code first"
                       : "the server is busy; try again later",
                   NULL);
        http_ws_close(w->env.http, conn_id);
        return;
    }
    if (tabs >= WC_MAX_TABS && oldest) {
        send_error(w, oldest->id, "opened in too many tabs; this one is closed", NULL);
        http_ws_close(w->env.http, oldest->id);
        conn_del(w, oldest);
    }
    if (!(slot = conn_add(w, conn_id, ext_user, hash, ip))) {
        send_error(w, conn_id, "the server is busy; try again later", NULL);
        http_ws_close(w->env.http, conn_id);
        return;
    }
    conn_check_linked(w, slot, now); /* renews a linked session; a pre-session is not extended */

    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "type", "hello");
        cJSON_AddBoolToObject(o, "linked", slot->linked);
        send_json(w, conn_id, o);
        cJSON_Delete(o);
    }
}

static void ws_close(void *ctx, uint64_t conn_id)
{
    struct wc_shim *sh = ctx;
    struct wc_conn *c;

    sh->open--;
    if (!sh->wc) {
        if (sh->open <= 0 && !sh->keep)
            free(sh);
        return;
    }
    c = conn_get(sh->wc, conn_id);
    if (c)
        conn_del(sh->wc, c);
}

/* {"type":"message","id":"...","text":"..."} or {..., "value":"<choice id>"} */
static void ws_message_msg(struct wc *w, struct wc_conn *c, const cJSON *f)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(f, "id");
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(f, "text");
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(f, "value");
    struct store_inbox_event ev;
    size_t n;

    if (!cJSON_IsString(id) || !(n = strlen(id->valuestring)) || n > WC_ID_MAX) {
        send_error(w, c->id, "a message needs an \"id\" of 1-64 letters, digits, - _ .", NULL);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (!id_char_ok((unsigned char)id->valuestring[i])) {
            send_error(w, c->id, "a message needs an \"id\" of 1-64 letters, digits, - _ .", NULL);
            return;
        }
    memset(&ev, 0, sizeof(ev));
    if (cJSON_IsString(text) && !value) {
        n = strlen(text->valuestring);
        if (n == 0 || n > WC_TEXT_MAX) {
            send_error(w, c->id, "\"text\" must have 1 to 16384 bytes", id->valuestring);
            return;
        }
        if (!bb_utf8_valid(text->valuestring, n)) {
            send_error(w, c->id, "\"text\" is not valid UTF-8", id->valuestring);
            return;
        }
        ev.kind = STORE_EV_TEXT;
        ev.text = text->valuestring;
    } else if (cJSON_IsString(value) && !text) {
        n = strlen(value->valuestring);
        if (n == 0 || n > WC_VALUE_MAX) {
            send_error(w, c->id, "\"value\" must have 1 to 63 bytes", id->valuestring);
            return;
        }
        for (size_t i = 0; i < n; i++)
            if (value->valuestring[i] <= ' ' || value->valuestring[i] > '~') {
                send_error(w, c->id, "\"value\" must be printable ASCII", id->valuestring);
                return;
            }
        ev.kind = STORE_EV_BUTTON;
        bb_strlcpy(ev.payload, value->valuestring, sizeof(ev.payload));
    } else {
        send_error(w, c->id, "a message has either \"text\" or \"value\" (a string)",
                   id->valuestring);
        return;
    }
    bb_strlcpy(ev.channel, "web", sizeof(ev.channel));
    bb_strlcpy(ev.ext_user, c->ext_user, sizeof(ev.ext_user));
    bb_snprintf(ev.ext_msg_id, sizeof(ev.ext_msg_id), "web:%s:%s", c->ext_user, id->valuestring);
    ev.ts = bb_now();
    /* Per identity, so that nobody fills the disk (issue 14, finding 5): a
     * linked person WC_MSG_MAX a minute; an identity not linked yet
     * WC_PRE_MSG_MAX in its pre-session's life. Over it: nothing stored. */
    int64_t retry = 0;
    conn_check_linked(w, c, ev.ts);
    if (api_iplimit_hit(&w->msg_rl, c->ext_user, bb_mono_ms(),
                        c->linked ? WC_MSG_MAX : WC_PRE_MSG_MAX,
                        c->linked ? WC_MSG_WINDOW : WC_PRE_WINDOW, &retry) != BB_OK) {
        char why[128];
        bb_snprintf(why, sizeof(why),
                    c->linked ? "too many messages; wait %" PRId64 " s and send it again"
                              : "not signed in with an invite code yet; no more messages are "
                                "taken (wait %" PRId64 " s)",
                    retry);
        send_error(w, c->id, why, id->valuestring);
        return;
    }
    /* Stored by the loop's next pass, in its transaction, and acknowledged
     * after its commit (wc_after): one commit for every message of a pass. */
    size_t tl = ev.kind == STORE_EV_TEXT ? strlen(ev.text) : 0;
    if (w->npend >= WC_PEND_MAX || tl > WC_PEND_BYTES - w->pbytes) {
        send_error(w, c->id, "the server is busy; please send it again", id->valuestring);
        return;
    }
    struct wc_pend *pm = &w->pend[w->npend];
    memset(pm, 0, sizeof(*pm));
    if (ev.kind == STORE_EV_TEXT && !(pm->text = strdup(ev.text))) {
        send_error(w, c->id, "not saved; please send it again", id->valuestring);
        return;
    }
    pm->conn = c->id;
    bb_strlcpy(pm->ext_user, c->ext_user, sizeof(pm->ext_user));
    bb_strlcpy(pm->id, id->valuestring, sizeof(pm->id));
    bb_strlcpy(pm->value, ev.payload, sizeof(pm->value));
    pm->kind = ev.kind;
    pm->ts = ev.ts;
    w->npend++;
    w->pbytes += tl;
    w->env.kick(w->env.loop);
}

/* {"type":"resume","watermark":"N"}: every message after N that has gone
 * out, in order, stopping before the first one still queued (egress sends
 * that one and what follows live). */
static void ws_message_resume(struct wc *w, const struct wc_conn *c, const cJSON *f)
{
    const cJSON *wm = cJSON_GetObjectItemCaseSensitive(f, "watermark");
    long long after = 0;
    int total = 0, stop = 0;

    if (cJSON_IsString(wm)) {
        if (wm->valuestring[0] && bb_parse_ll(wm->valuestring, 0, INT64_MAX, &after) != BB_OK) {
            send_error(w, c->id, "\"watermark\" must be a number in a string", NULL);
            return;
        }
    } else if (wm && !cJSON_IsNull(wm)) {
        send_error(w, c->id, "\"watermark\" must be a number in a string", NULL);
        return;
    }
    while (!stop && total < WC_REPLAY_MAX) {
        struct store_outbox_msg *ms = NULL;
        int n = 0;
        int rc = store_outbox_after(w->env.st, "web", c->ext_user, after, WC_REPLAY_PAGE, &ms, &n);
        if (rc != BB_OK) {
            send_error(w, c->id, "could not read the history; try again", NULL);
            return;
        }
        cJSON *acts = cJSON_CreateArray();
        int64_t last = after;
        for (int i = 0; acts && i < n; i++) {
            if (ms[i].state == STORE_OUT_QUEUED || ms[i].state == STORE_OUT_SENDING) {
                stop = 1;
                break;
            }
            last = ms[i].id;
            cJSON *a = activity_of(&ms[i]);
            if (a)
                cJSON_AddItemToArray(acts, a);
        }
        if (n < WC_REPLAY_PAGE)
            stop = 1;
        total += n;
        store_outbox_free(ms, n);
        if (!acts)
            return;
        if (last == after) {
            cJSON_Delete(acts);
            break;
        }
        char *s = activities_frame(acts, last);
        send_str(w, c->id, s);
        free(s);
        after = last;
    }
    char done[64];
    bb_snprintf(done, sizeof(done), "{\"type\":\"resumed\",\"watermark\":\"%lld\"}", after);
    send_str(w, c->id, done);
}

static void ws_message(void *ctx, uint64_t conn_id, const char *data, size_t len)
{
    struct wc_shim *sh = ctx;
    struct wc *w = sh->wc;
    struct wc_conn *c;
    cJSON *f = NULL;

    if (!w || !(c = conn_get(w, conn_id)))
        return;
    if (len > WC_FRAME_MAX) {
        send_error(w, conn_id, "frame too large (at most 40960 bytes)", NULL);
        return;
    }
    if (!bb_utf8_valid(data, len)) {
        send_error(w, conn_id, "frame is not valid UTF-8", NULL);
        return;
    }
    f = cJSON_ParseWithLength(data, len);
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(f, "type");
    if (!cJSON_IsObject(f) || !cJSON_IsString(type))
        send_error(w, conn_id, "a frame is a JSON object with a \"type\"", NULL);
    else if (strcmp(type->valuestring, "message") == 0)
        ws_message_msg(w, c, f);
    else if (strcmp(type->valuestring, "resume") == 0)
        ws_message_resume(w, c, f);
    else if (strcmp(type->valuestring, "typing") == 0)
        ; /* the person is typing: nothing to do */
    else
        send_error(w, conn_id, "unknown \"type\" (message, resume)", NULL);
    cJSON_Delete(f);
}

/* ---- the channel --------------------------------------------------------------- */

static int wc_start(void *self, const struct chan_env *env)
{
    struct wc *w = self;
    static const struct http_ws_ops ops = {ws_open, ws_message, ws_close};
    int rc;

    w->env = *env;
    if (!env->http || !env->st)
        return BB_EINVAL;
    w->started = 1; /* from here on the server may hold our shim */
    rc = http_ws(env->http, "/ws", &ops, w->shim, WC_WS_MAX);
    if (rc == BB_OK)
        rc = http_route(env->http, "POST", "/api/v1/webchat/signin", 4096, on_signin, w->shim);
    if (rc == BB_OK)
        rc = http_route(env->http, "POST", "/api/v1/webchat/signout", 4096, on_signout, w->shim);
    if (rc == BB_OK)
        rc = http_route(env->http, "GET", WC_FILE_PATH, 0, on_file, w->shim);
    if (rc != BB_OK) {
        w->shim->keep = 1;
        return rc;
    }
    bb_log(BB_LOG_INFO, "web", "web chat on /ws");
    return BB_OK;
}

static void wc_on_net(void *self, const struct net_resp *r)
{
    (void)self;
    (void)r; /* the web chat makes no outbound requests */
}

/* After the transaction of a pass (committed = 1) or its rollback (0):
 * acknowledge the messages it stored, or ask for them again; send the
 * replies it marked sent, or drop them (the rollback queued them again). */
static void wc_after(void *arg, int committed)
{
    struct wc *w = arg;
    int64_t now = bb_now();
    int kick = 0;

    assert(w->ntx >= 0 && w->ntx <= w->npend && w->nout >= 0 && w->nout <= WC_CLAIM);
    w->hooked = 0;
    for (int i = 0; i < w->ntx; i++) {
        struct wc_pend *pm = &w->pend[i];
        char ack[160];
        if (!committed || pm->state < 0) {
            send_error(w, pm->conn, "not saved; please send it again", pm->id);
        } else {
            bb_snprintf(ack, sizeof(ack), "{\"type\":\"ack\",\"id\":\"%s\"%s}", pm->id,
                        pm->state == 2 ? ",\"duplicate\":true" : "");
            send_str(w, pm->conn, ack);
            if (pm->state == 1) {
                send_user(w, pm->ext_user, "{\"type\":\"typing\"}");
                kick = 1;
            }
        }
        w->pbytes -= pm->text ? strlen(pm->text) : 0;
        free(pm->text);
    }
    /* messages taken after the pass began wait for the next one */
    memmove(w->pend, w->pend + w->ntx, sizeof(w->pend[0]) * (size_t)(w->npend - w->ntx));
    w->npend -= w->ntx;
    w->ntx = 0;
    for (int i = 0; i < w->nout; i++) {
        if (committed && w->out[i].frame) {
            send_user(w, w->out[i].ext_user, w->out[i].frame);
            check_linked_user(w, w->out[i].ext_user, now);
        }
        free(w->out[i].frame);
    }
    w->nout = 0;
    if (!committed)
        w->more = 1; /* try again at once */
    if (kick || w->npend)
        w->env.kick(w->env.loop);
}

/* One pass of the channel, in the caller's transaction (the service loop's
 * pass) or one of its own: store the messages taken from the websockets,
 * claim the replies due and mark them sent. Nothing goes to a websocket
 * before the commit (wc_after). */
static void wc_pass(struct wc *w)
{
    struct store *st = w->env.st;
    struct store_outbox_msg *ms = NULL;
    int n = 0, rc;

    if (w->hooked || !st)
        return; /* this transaction is already ours (prepare, then egress) */
    rc = store_begin(st);
    if (rc != BB_OK)
        return;
    if (store_after_commit(st, wc_after, w) != BB_OK) {
        (void)store_commit(st); /* nothing written: the next pass tries again */
        w->more = 1;
        return;
    }
    w->hooked = 1;
    w->ntx = w->npend;
    for (int i = 0; i < w->ntx; i++) {
        struct wc_pend *pm = &w->pend[i];
        struct store_inbox_event ev;
        int dup = 0;
        memset(&ev, 0, sizeof(ev));
        bb_strlcpy(ev.channel, "web", sizeof(ev.channel));
        bb_strlcpy(ev.ext_user, pm->ext_user, sizeof(ev.ext_user));
        bb_snprintf(ev.ext_msg_id, sizeof(ev.ext_msg_id), "web:%s:%s", pm->ext_user, pm->id);
        ev.kind = pm->kind;
        ev.text = pm->text;
        bb_strlcpy(ev.payload, pm->value, sizeof(ev.payload));
        ev.ts = pm->ts;
        rc = store_inbox_add(st, &ev, &dup, NULL);
        if (rc != BB_OK)
            bb_log(BB_LOG_ERR, "web", "inbox: %s (%s)", bb_strerror(rc), store_errmsg(st));
        pm->state = rc != BB_OK ? -1 : dup ? 2 : 1;
    }
    w->more = 0;
    rc = store_outbox_claim(st, "web", bb_now(), WC_CLAIM, &ms, &n);
    if (rc != BB_OK && rc != BB_EAGAIN)
        bb_log(BB_LOG_ERR, "web", "claim: %s (%s)", bb_strerror(rc), store_errmsg(st));
    for (int i = 0; rc == BB_OK && i < n; i++) {
        struct wc_out *o = &w->out[w->nout++];
        cJSON *a = activity_of(&ms[i]), *acts = a ? cJSON_CreateArray() : NULL;
        bb_strlcpy(o->ext_user, ms[i].ext_user, sizeof(o->ext_user));
        if (acts)
            cJSON_AddItemToArray(acts, a);
        else
            cJSON_Delete(a);
        o->frame = acts ? activities_frame(acts, ms[i].id) : NULL;
        rc = o->frame
                 ? store_outbox_mark(st, ms[i].id, STORE_OUT_SENT, NULL, NULL, 0)
                 : store_outbox_mark(st, ms[i].id, STORE_OUT_FAILED, NULL, "unreadable body", 0);
    }
    if (rc != BB_OK && rc != BB_EAGAIN)
        bb_log(BB_LOG_ERR, "web", "egress: %s (%s); the rows are sent again after a restart",
               bb_strerror(rc), store_errmsg(st));
    w->more = n == WC_CLAIM;
    store_outbox_free(ms, n);
    if (store_commit(st) != BB_OK) /* ours (the pass's is the caller's): wc_after(0) ran */
        bb_log(BB_LOG_ERR, "web", "commit: %s", store_errmsg(st));
}

/* Inside the service loop's transaction of a pass. */
static void wc_prepare(void *self)
{
    wc_pass(self);
}

/* After the pass's commit: a pass of its own when none ran (a split pass,
 * or a caller without prepare); cheap when there is nothing to do. */
static int64_t wc_egress(void *self, int64_t now_ms)
{
    struct wc *w = self;
    (void)now_ms;
    wc_pass(w);
    return w->more || w->npend ? 0 : 1000;
}

static void wc_free(void *self)
{
    struct wc *w = self;
    if (!w)
        return;
    for (int i = 0; i < w->npend; i++)
        free(w->pend[i].text);
    for (int i = 0; i < w->nout; i++)
        free(w->out[i].frame);
    if (w->shim) {
        w->shim->wc = NULL;
        /* Never started: nothing refers to the shim. Stopping: the server
         * reports its websockets closing after this; the last close frees
         * the shim. Start failed: routes of a running server may still
         * call it, so it is kept (a few bytes, once). */
        if (!w->started || (!w->shim->keep && w->shim->open <= 0))
            free(w->shim);
    }
    free(w);
}

static int wc_enabled(const struct config *cfg)
{
    (void)cfg;
    return 1; /* the page is served whenever the service runs */
}

static const struct chan_caps wc_caps = {
    .edits_sent = 1, /* answered questions' buttons are disabled */
    .buttons_max = OUTMSG_CHOICES_MAX,
    .text_max = 0,  /* one message holds any text */
    .documents = 1, /* an attachment with a one-time download URL */
};

static const char *const wc_store_tables[] = {"web_sessions", NULL};

/* The web chat's page with the code filled in: http.public_url, else the
 * address the service listens on. */
static int wc_invite_link(const struct config *cfg, const char *code, char *out, size_t n)
{
    const char *base = cfg->public_url;
    size_t len = strlen(base);
    if (!len)
        return bb_snprintf(out, n, "http://%s:%d/?code=%s", cfg->http_bind, cfg->http_port, code);
    return bb_snprintf(out, n, "%s%s?code=%s", base, base[len - 1] == '/' ? "" : "/", code);
}

const struct chan_def webchat_chan_def = {
    .name = "web",
    .store_tables = wc_store_tables,
    .title = "Web chat",
    .caps = &wc_caps,
    .new_chan = webchat_chan_new,
    .enabled = wc_enabled,
    .invite_link = wc_invite_link,
};

int webchat_chan_new(struct chan **out)
{
    struct wc *w;
    if (!out)
        return BB_EINVAL;
    *out = NULL;
    w = calloc(1, sizeof(*w));
    if (!w)
        return BB_ENOMEM;
    w->shim = calloc(1, sizeof(*w->shim));
    if (!w->shim) {
        free(w);
        return BB_ENOMEM;
    }
    w->shim->wc = w;
    w->chan.name = webchat_chan_def.name;
    w->chan.self = w;
    w->chan.start = wc_start;
    w->chan.on_net = wc_on_net;
    w->chan.egress = wc_egress;
    w->chan.prepare = wc_prepare;
    w->chan.free = wc_free;
    *out = &w->chan;
    return BB_OK;
}
