/*
 * http_int.h - what the three files of the server share: the server, its
 * routes and websocket endpoints, the per-session data, and the calls of
 * http_server.c (lifecycle and the lws callback) into http.c (HTTP
 * transactions) and http_ws.c (websockets). For those files only; everyone
 * else uses http.h. Core thread only.
 */
#ifndef HTTP_INT_H
#define HTTP_INT_H

#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "adapters/net/http.h"
#include "bot/base/bb.h"

#define WS_BUCKETS      256
#define HTTP_VH_HEADERS 8 /* canned header lines at most (nosniff + 7) */

struct route {
    char method[8];
    char *prefix;
    size_t plen;
    size_t max_body;
    http_handler_fn fn;
    void *ctx;
};

struct ws_ep {
    char *path;
    struct http_ws_ops ops;
    void *ctx;
    size_t max_msg;
};

struct ws_msg {
    struct ws_msg *next;
    size_t len;
    unsigned char data[]; /* LWS_PRE headroom, then len bytes */
};

struct ws_conn {
    struct ws_conn *next, *prev; /* bucket list */
    uint64_t id;
    struct lws *wsi;
    struct ws_ep *ep;
    struct ws_msg *q_head, *q_tail;
    size_t q_bytes;
    int q_count;
    int closing;
    struct bb_buf rx;
};

struct txn; /* one HTTP transaction, http.c's */

/* One held answer (http_hold): the slot of its ticket. t == NULL: free. */
struct http_held {
    uint64_t ticket;
    struct txn *t;
    struct lws *wsi;
    int64_t deadline_ms;
};

struct pss {
    struct txn *txn;
    struct ws_conn *ws;
};

struct http_server {
    struct lws_context *ctx;
    struct lws_vhost *vh;
    struct lws_protocols protocols[2];
    char bind_addr[64];
    int port;
    size_t max_body;
    char *static_root; /* realpath of static_dir, or NULL */
    struct route routes[HTTP_MAX_ROUTES];
    int nroutes;
    struct ws_ep eps[HTTP_MAX_WS];
    int neps;
    struct ws_conn *buckets[WS_BUCKETS];
    uint64_t next_id;
    void (*wake_fn)(void *ctx);
    void *wake_ctx;
    lws_sorted_usec_list_t sul;
    int freeing;
    char common_headers[512]; /* http_set_headers(): sent with every response */
    /* the vhost's canned headers (see http_vhost_headers_build) */
    struct lws_protocol_vhost_options vh_headers[HTTP_VH_HEADERS];
    char vh_names[HTTP_VH_HEADERS][64];
    char vh_values[512];
    char trusted_proxy[64]; /* http_opts.trusted_proxy, "" = none */
    struct http_held *held; /* held_max slots */
    int held_max, held_ms, nheld;
    uint64_t held_seq;
};

/* http.c: the HTTP transactions. The server of a connection; a
 * transaction freed (NULL is a no-op); the callbacks of one transaction
 * (LWS_CALLBACK_HTTP, _HTTP_BODY, _HTTP_BODY_COMPLETION, _HTTP_WRITEABLE),
 * which return what the lws callback returns. http_query_of gives the
 * request's query arguments joined with '&', each key and value
 * URL-encoded again; malloc'd (the caller frees it), NULL when out of
 * memory. */
struct http_server *http_server_of(struct lws *wsi);
void http_txn_free(struct txn *t);
/* Answer held requests whose time is up (503); the ms until the next one
 * is due, or -1 when none is held. */
int64_t http_held_sweep(struct http_server *s, int64_t now_ms);
int http_on_request(struct http_server *s, struct lws *wsi, struct pss *pss, const char *in);
int http_on_body(struct http_server *s, struct lws *wsi, struct txn *t, const void *in, size_t len);
int http_on_body_done(struct http_server *s, struct lws *wsi, struct txn *t);
int http_on_writeable(struct lws *wsi, struct pss *pss);
char *http_query_of(struct lws *wsi);
/* (Re)build s->vh_headers, the vhost's canned headers that lws adds to
 * every response it starts, ours and its own error pages alike:
 * X-Content-Type-Options: nosniff and the http_set_headers() lines. */
void http_vhost_headers_build(struct http_server *s);
/* The peer (ip) and client address (client) of a connection, see
 * http_client_ip(); each 64 bytes. */
void http_peer_of(struct http_server *s, struct lws *wsi, char *ip, char *client);

/* http_ws.c: the endpoint of a websocket upgrade's path (copied into
 * path[n]), or NULL; the callbacks of one connection; every connection
 * freed (http_free). */
struct ws_ep *http_ws_endpoint(struct http_server *s, struct lws *wsi, char *path, size_t n);
int http_ws_on_open(struct http_server *s, struct lws *wsi, struct pss *pss);
int http_ws_on_receive(struct lws *wsi, struct ws_conn *c, const void *in, size_t len);
int http_ws_on_writeable(struct lws *wsi, struct ws_conn *c);
void http_ws_on_closed(struct http_server *s, struct pss *pss);
void http_ws_free_conns(struct http_server *s);

#endif
