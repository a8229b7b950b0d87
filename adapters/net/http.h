/*
 * http.h - the one HTTP/websocket server of the service, on libwebsockets
 * 4.1.6: routes (method + longest path prefix) with whole-body handlers,
 * static files (a directory asked without its final '/' is redirected to
 * it), and websocket endpoints with bounded send queues.
 *
 * Threads: everything here runs on the core thread (the one that calls
 * http_service()), except http_wake(), which any thread may call (it is
 * lws_cancel_service()). Handlers and websocket callbacks run inside
 * http_service() on that thread; they may call http_ws_send() and
 * http_ws_close() but must not call http_service() or http_free().
 *
 * Ownership: the server copies route paths and option strings. A struct
 * http_req and everything it points to lives only for the handler call. A
 * handler fills struct http_resp; the body it mallocs is freed by the
 * server. http_ws_send() copies the data.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <stdint.h>

struct lws;
struct http_server;

#define HTTP_MAX_ROUTES     64
#define HTTP_MAX_WS         8
#define HTTP_STATIC_MAX     (8 * 1024 * 1024) /* largest static file served */
#define HTTP_WS_QUEUE_MSGS  256               /* queued messages per connection */
#define HTTP_WS_QUEUE_BYTES (4 * 1024 * 1024) /* queued bytes per connection */
#define HTTP_HEADER_MAX     8192              /* request line + known headers; over it: 431 */
#define HTTP_HEADER_TABLE   32768 /* lws's header table; over it lws closes, no answer */
#define HTTP_HEADER_SECS    3     /* seconds a connection may take to send its headers */
#define HTTP_HELD_MAX       256   /* default http_opts.held_max */
#define HTTP_HELD_LIMIT     4096  /* the largest held_max */
#define HTTP_HELD_MS        10000 /* default http_opts.held_ms */
#define HTTP_DISCARD_MAX                                                                           \
    (1024 * 1024) /* over-cap body bytes read and dropped                                          \
                     before a 413 (beyond it: 413 and close) */

struct http_req {
    const char *method; /* "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS" */
    const char *path;   /* decoded by lws, "/.." segments already resolved */
    const char *query;  /* without '?', "" if none; see http_query_param() */
    const char *body;   /* NUL-terminated, "" when none */
    size_t body_len;
    const char *remote_ip; /* the TCP peer */
    /* The address to key limits on: the peer, or, when the peer is the
     * configured trusted proxy and sent X-Forwarded-For, the last address
     * of that header (the one the proxy itself added). */
    const char *client_ip;
    struct lws *wsi; /* for http_req_header() */
};

/* The value of request header name (any case, without ':'), standard or
 * custom, copied into buf. NULL when absent or when it does not fit. */
const char *http_req_header(const struct http_req *r, const char *name, char *buf, size_t n);
/* Find name in a query string and copy its value into out, URL-decoded
 * ('+' is a space). BB_ENOTFOUND when absent, BB_ELIMIT when out is too
 * small, BB_EINVAL for a bad %-escape. */
int http_query_param(const char *query, const char *name, char *out, size_t n);

struct http_resp {
    int status;               /* 200 unless the handler sets it */
    const char *content_type; /* static string; default "application/json" */
    char *body;               /* malloc'd by the handler; the server frees it */
    size_t body_len;
    char headers[512]; /* extra header lines "Name: value\r\n..." */
};

typedef void (*http_handler_fn)(void *ctx, const struct http_req *req, struct http_resp *resp);

struct http_opts {
    const char *bind_addr;     /* default "127.0.0.1" */
    int port;                  /* 0 = ephemeral, see http_port() */
    size_t max_body;           /* default cap for routes given max_body 0; default 1 MiB */
    const char *static_dir;    /* GET paths with no route are served from here; NULL = none */
    const char *trusted_proxy; /* peer address whose X-Forwarded-For is believed; NULL/"" = none */
    int held_max; /* answers held open at once (http_hold); 0 = HTTP_HELD_MAX, at most 4096 */
    int held_ms;  /* a held answer not given by then is a 503; 0 = HTTP_HELD_MS */
};

/* Set client (n bytes) from the peer and its X-Forwarded-For value (xff,
 * NULL when absent): the last address of xff when peer equals
 * trusted_proxy (not empty) and that address is well formed (hex digits,
 * '.', ':', at most 45 characters), else the peer. */
void http_client_ip(const char *peer, const char *xff, const char *trusted_proxy, char *client,
                    size_t n);

/* Create the lws context and listen. Routes lws's logs (WARN and ERR only)
 * to bb_log; that setting is process-wide. */
int http_new(const struct http_opts *o, struct http_server **out);
int http_port(const struct http_server *s);
/* method is "GET", "POST", ...; path_prefix starts with '/' and matches
 * whole path segments ("/api" matches "/api" and "/api/x", not "/apix";
 * "/" matches everything). max_body 0 = the server default. BB_EEXIST for
 * the same method and prefix twice, BB_ELIMIT past HTTP_MAX_ROUTES. */
int http_route(struct http_server *s, const char *method, const char *path_prefix, size_t max_body,
               http_handler_fn fn, void *ctx);

/* Deferred answers (a webhook answered only once what it delivered is
 * committed). Inside a handler, http_hold(req) keeps the request open: the
 * handler's resp is then ignored, and the answer is given later by
 * http_answer() with the ticket returned (never 0). 0 when held_max answers
 * are held already: the handler answers itself (a 503, so the sender
 * retries). A held request not answered within held_ms gets
 * 503 {"error":"timed out"}; one whose connection closes is dropped. Either
 * way its ticket dies: http_answer() then returns BB_ENOTFOUND, which the
 * caller may ignore (the sender retries and the retry is deduplicated).
 * http_answer() copies body (JSON); core thread, outside handlers too. */
uint64_t http_hold(const struct http_req *req);
int http_answer(struct http_server *s, uint64_t ticket, int status, const char *body);
/* Answers held now (for tests and /metrics). */
int http_held_count(const struct http_server *s);

/* Header lines ("Name: value\r\n...", at most 511 bytes and 7 lines, copied)
 * sent with every HTTP response of the server: routes, static files, our
 * errors and lws's own error pages alike (e.g. a Content-Security-Policy),
 * after X-Content-Type-Options: nosniff, right after the status line (a
 * handler's own headers follow; it must not repeat these). "" removes them.
 * BB_EINVAL for text that does not end in CRLF, BB_ELIMIT when too long. */
int http_set_headers(struct http_server *s, const char *lines);

/* Websocket endpoint, matched on the exact path of the upgrade request.
 * Connection ids are unique for the life of the server, never 0. */
struct http_ws_ops {
    void (*on_open)(void *ctx, uint64_t conn_id, const struct http_req *upgrade_req);
    void (*on_message)(void *ctx, uint64_t conn_id, const char *data, size_t len);
    void (*on_close)(void *ctx, uint64_t conn_id);
};
int http_ws(struct http_server *s, const char *path, const struct http_ws_ops *ops, void *ctx,
            size_t max_msg);
/* Queue a text message. BB_ENOTFOUND for an unknown or closing connection;
 * BB_ELIMIT when the connection's queue is full: the connection is then
 * dropped (on_close follows). */
int http_ws_send(struct http_server *s, uint64_t conn_id, const char *data, size_t len);
/* Close after what is queued has been sent; on_close follows. */
void http_ws_close(struct http_server *s, uint64_t conn_id);

/* Run the lws loop once: returns after handling events or after about
 * timeout_ms (an lws timer bounds the wait), or sooner on http_wake(). */
int http_service(struct http_server *s, int timeout_ms);
/* fn(ctx) runs on the core thread after an http_wake() from any thread. */
void http_set_wake_handler(struct http_server *s, void (*fn)(void *ctx), void *ctx);
void http_wake(struct http_server *s);
/* Close everything (on_close is called for open websockets) and free. */
void http_free(struct http_server *s);

#endif
