/*
 * http_ws.c - the websocket half of the HTTP server (http.c): endpoints,
 * connections by id, the capped receive buffer and the send queue. See
 * http.h for the interface and http.c for the threads and ownership rules:
 * core thread only; a connection is freed on LWS_CALLBACK_CLOSED or by
 * http_free(). Writes happen only in the WRITEABLE callback, one lws_write()
 * each, with LWS_PRE headroom.
 */
#include "adapters/net/http.h"
#include "adapters/net/http_int.h"

#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "bot/base/bb.h"

static struct ws_conn *conn_find(struct http_server *s, uint64_t id)
{
    for (struct ws_conn *c = s->buckets[id % WS_BUCKETS]; c; c = c->next)
        if (c->id == id)
            return c;
    return NULL;
}

static void conn_unlink(struct http_server *s, struct ws_conn *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        s->buckets[c->id % WS_BUCKETS] = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->next = c->prev = NULL;
}

static void conn_free(struct ws_conn *c)
{
    while (c->q_head) {
        struct ws_msg *m = c->q_head;
        c->q_head = m->next;
        free(m);
    }
    bb_buf_free(&c->rx);
    free(c);
}

struct ws_ep *http_ws_endpoint(struct http_server *s, struct lws *wsi, char *path, size_t n)
{
    if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0 ||
        lws_hdr_copy(wsi, path, (int)n, WSI_TOKEN_GET_URI) < 0)
        return NULL;
    for (int i = 0; i < s->neps; i++)
        if (strcmp(s->eps[i].path, path) == 0)
            return &s->eps[i];
    return NULL;
}

int http_ws_on_open(struct http_server *s, struct lws *wsi, struct pss *pss)
{
    char path[256];
    struct ws_ep *ep = http_ws_endpoint(s, wsi, path, sizeof(path));
    struct ws_conn *c;

    if (!ep)
        return -1;
    c = calloc(1, sizeof(*c));
    if (!c)
        return -1;
    c->id = ++s->next_id;
    c->wsi = wsi;
    c->ep = ep;
    bb_buf_init(&c->rx, ep->max_msg);
    c->next = s->buckets[c->id % WS_BUCKETS];
    if (c->next)
        c->next->prev = c;
    s->buckets[c->id % WS_BUCKETS] = c;
    pss->ws = c;
    if (ep->ops.on_open) {
        char *q = http_query_of(wsi);
        char ip[64], client[64];
        http_peer_of(s, wsi, ip, client);
        struct http_req req = {
            .method = "GET",
            .path = path,
            .query = q ? q : "",
            .body = "",
            .body_len = 0,
            .remote_ip = ip,
            .client_ip = client,
            .wsi = wsi,
        };
        ep->ops.on_open(ep->ctx, c->id, &req);
        free(q);
    }
    return 0;
}

int http_ws_on_receive(struct lws *wsi, struct ws_conn *c, const void *in, size_t len)
{
    if (!c)
        return -1;
    if (bb_buf_append(&c->rx, in, len) != BB_OK) {
        static const char why[] = "message too large";
        lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, (unsigned char *)why,
                         sizeof(why) - 1);
        return -1;
    }
    if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
        return 0;
    if (c->ep->ops.on_message && !c->closing)
        c->ep->ops.on_message(c->ep->ctx, c->id, c->rx.data ? c->rx.data : "", c->rx.len);
    bb_buf_reset(&c->rx);
    return 0;
}

int http_ws_on_writeable(struct lws *wsi, struct ws_conn *c)
{
    struct ws_msg *m;

    if (!c)
        return -1;
    m = c->q_head;
    if (!m) {
        if (c->closing) {
            lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
            return -1;
        }
        return 0;
    }
    c->q_head = m->next;
    if (!c->q_head)
        c->q_tail = NULL;
    c->q_count--;
    c->q_bytes -= m->len;
    int w = lws_write(wsi, m->data + LWS_PRE, m->len, LWS_WRITE_TEXT);
    size_t len = m->len;
    free(m);
    if (w < (int)len)
        return -1;
    if (c->q_head || c->closing)
        lws_callback_on_writable(wsi);
    return 0;
}

void http_ws_on_closed(struct http_server *s, struct pss *pss)
{
    struct ws_conn *c = pss->ws;

    if (!c)
        return;
    pss->ws = NULL;
    conn_unlink(s, c);
    if (c->ep->ops.on_close)
        c->ep->ops.on_close(c->ep->ctx, c->id);
    conn_free(c);
}

int http_ws_send(struct http_server *s, uint64_t conn_id, const char *data, size_t len)
{
    struct ws_conn *c;
    struct ws_msg *m;

    if (!s || (!data && len))
        return BB_EINVAL;
    c = conn_find(s, conn_id);
    if (!c || c->closing)
        return BB_ENOTFOUND;
    if (c->q_count >= HTTP_WS_QUEUE_MSGS || len > HTTP_WS_QUEUE_BYTES - c->q_bytes) {
        bb_log(BB_LOG_WARN, "http", "websocket %llu not reading; dropping it",
               (unsigned long long)conn_id);
        c->closing = 1;
        lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
        return BB_ELIMIT;
    }
    m = malloc(sizeof(*m) + LWS_PRE + len);
    if (!m)
        return BB_ENOMEM;
    m->next = NULL;
    m->len = len;
    if (len)
        memcpy(m->data + LWS_PRE, data, len);
    if (c->q_tail)
        c->q_tail->next = m;
    else
        c->q_head = m;
    c->q_tail = m;
    c->q_count++;
    c->q_bytes += len;
    lws_callback_on_writable(c->wsi);
    return BB_OK;
}

void http_ws_close(struct http_server *s, uint64_t conn_id)
{
    struct ws_conn *c;

    if (!s || !(c = conn_find(s, conn_id)) || c->closing)
        return;
    c->closing = 1;
    /* a peer that never lets us write is cut off after a while */
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_SEND, 5);
    lws_callback_on_writable(c->wsi);
}

int http_ws(struct http_server *s, const char *path, const struct http_ws_ops *ops, void *ctx,
            size_t max_msg)
{
    struct ws_ep *ep;

    if (!s || !path || path[0] != '/' || !ops || strlen(path) >= 256)
        return BB_EINVAL;
    for (int i = 0; i < s->neps; i++)
        if (strcmp(s->eps[i].path, path) == 0)
            return BB_EEXIST;
    if (s->neps >= HTTP_MAX_WS)
        return BB_ELIMIT;
    ep = &s->eps[s->neps];
    ep->path = strdup(path);
    if (!ep->path)
        return BB_ENOMEM;
    ep->ops = *ops;
    ep->ctx = ctx;
    ep->max_msg = max_msg ? max_msg : 64 * 1024;
    s->neps++;
    return BB_OK;
}

void http_ws_free_conns(struct http_server *s)
{
    for (int i = 0; i < WS_BUCKETS; i++) {
        while (s->buckets[i]) {
            struct ws_conn *c = s->buckets[i];
            conn_unlink(s, c);
            conn_free(c);
        }
    }
}
