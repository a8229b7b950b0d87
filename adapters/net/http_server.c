/*
 * http_server.c - the server's lifecycle (http_new, http_service,
 * http_free) and the one lws callback, which hands HTTP events to the
 * transactions of http.c and websocket events to http_ws.c. See http.h,
 * and http.c for the threads and who owns what.
 */
#include "adapters/net/http.h"
#include "adapters/net/http_int.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "bot/base/bb.h"

#define DEFAULT_BODY (1024 * 1024)

static void lws_log_to_bb(int level, const char *line)
{
    char buf[512];
    size_t n;

    bb_strlcpy(buf, line ? line : "", sizeof(buf));
    n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    bb_log(level == LLL_ERR ? BB_LOG_ERR : BB_LOG_WARN, "lws", "%s", buf);
}

/* ---- the lws callback ---- */

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
    struct http_server *s = http_server_of(wsi);
    struct pss *pss = user;
    char path[256];

    switch (reason) {
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        if (s && !s->freeing && s->wake_fn)
            s->wake_fn(s->wake_ctx);
        return 0;
    case LWS_CALLBACK_HTTP:
        if (!pss)
            return -1;
        return http_on_request(s, wsi, pss, in);
    case LWS_CALLBACK_HTTP_BODY:
        if (!pss || !pss->txn)
            return -1;
        return http_on_body(s, wsi, pss->txn, in, len);
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        if (!pss || !pss->txn)
            return -1;
        return http_on_body_done(s, wsi, pss->txn);
    case LWS_CALLBACK_HTTP_WRITEABLE:
        if (!pss)
            return -1;
        return http_on_writeable(wsi, pss);
    case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
    case LWS_CALLBACK_CLOSED_HTTP:
        if (pss) {
            http_txn_free(pss->txn);
            pss->txn = NULL;
        }
        break;
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        /* refuse upgrades on paths without a websocket endpoint */
        return http_ws_endpoint(s, wsi, path, sizeof(path)) ? 0 : 1;
    case LWS_CALLBACK_ESTABLISHED:
        if (!pss)
            return -1;
        if (pss->txn) { /* upgraded from an HTTP transaction */
            http_txn_free(pss->txn);
            pss->txn = NULL;
        }
        return http_ws_on_open(s, wsi, pss);
    case LWS_CALLBACK_RECEIVE:
        return http_ws_on_receive(wsi, pss ? pss->ws : NULL, in, len);
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return http_ws_on_writeable(wsi, pss ? pss->ws : NULL);
    case LWS_CALLBACK_CLOSED:
        if (pss)
            http_ws_on_closed(s, pss);
        return 0;
    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* ---- lifecycle ---- */

int http_new(const struct http_opts *o, struct http_server **out)
{
    struct lws_context_creation_info info;
    struct http_server *s;
    int rc = BB_EINVAL;

    if (!out)
        return BB_EINVAL;
    *out = NULL;
    if (!o || o->port < 0 || o->port > 65535)
        return BB_EINVAL;
    s = calloc(1, sizeof(*s));
    if (!s)
        return BB_ENOMEM;
    if (bb_strlcpy(s->bind_addr, o->bind_addr ? o->bind_addr : "127.0.0.1", sizeof(s->bind_addr)) !=
        BB_OK)
        goto fail;
    s->max_body = o->max_body ? o->max_body : DEFAULT_BODY;
    if (bb_strlcpy(s->trusted_proxy, o->trusted_proxy ? o->trusted_proxy : "",
                   sizeof(s->trusted_proxy)) != BB_OK)
        goto fail;
    s->held_max = o->held_max > 0 ? o->held_max : HTTP_HELD_MAX;
    s->held_ms = o->held_ms > 0 ? o->held_ms : HTTP_HELD_MS;
    if (o->held_max < 0 || o->held_ms < 0 || s->held_max > HTTP_HELD_LIMIT)
        goto fail;
    rc = BB_ENOMEM;
    s->held = calloc((size_t)s->held_max, sizeof(*s->held));
    if (!s->held)
        goto fail;
    rc = BB_EINVAL;
    if (o->static_dir) {
        char real[PATH_MAX];
        if (!realpath(o->static_dir, real)) {
            bb_log(BB_LOG_ERR, "http", "static dir %s: %s", o->static_dir, strerror(errno));
            rc = BB_ENOTFOUND;
            goto fail;
        }
        rc = BB_ENOMEM;
        if (!(s->static_root = strdup(real)))
            goto fail;
    }

    lws_set_log_level(LLL_ERR | LLL_WARN, lws_log_to_bb);

    s->protocols[0].name = "http";
    s->protocols[0].callback = callback;
    s->protocols[0].per_session_data_size = sizeof(struct pss);
    s->protocols[0].rx_buffer_size = 0;

    memset(&info, 0, sizeof(info));
    info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
    info.user = s;
    /* The header table is the context's (lws ignores these on a vhost):
     * HTTP_HEADER_TABLE bytes, so that a header block over our limit
     * (HTTP_HEADER_MAX) still reaches us and gets its 431; at most 64
     * connections parse headers at once, the others wait their turn. */
    info.max_http_header_data = HTTP_HEADER_TABLE;
    info.max_http_header_pool = 64;
    rc = BB_EIO;
    s->ctx = lws_create_context(&info);
    if (!s->ctx)
        goto fail;

    memset(&info, 0, sizeof(info));
    info.port = o->port;
    info.iface = s->bind_addr;
    info.protocols = s->protocols;
    info.vhost_name = "bimbing";
    http_vhost_headers_build(s);
    info.headers = s->vh_headers; /* lws keeps the pointer: http_set_headers() edits in place */
    info.keepalive_timeout = 30;
    info.timeout_secs = 30;
    /* The header phase: a connection that has not sent a whole header
     * block within HTTP_HEADER_SECS is closed (lws's default is 10 s). It
     * bounds slow senders, and requests lws 4.1.6 cannot finish parsing
     * (a last header named by a prefix of a known one, docs/security.md). */
    info.timeout_secs_ah_idle = HTTP_HEADER_SECS;
    if (!strchr(s->bind_addr, ':'))
        info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
    s->vh = lws_create_vhost(s->ctx, &info);
    if (!s->vh) {
        bb_log(BB_LOG_ERR, "http", "cannot listen on %s:%d", s->bind_addr, o->port);
        goto fail;
    }
    s->port = lws_get_vhost_listen_port(s->vh);
    *out = s;
    return BB_OK;
fail:
    http_free(s);
    return rc;
}

int http_port(const struct http_server *s)
{
    return s ? s->port : -1;
}

/* The wait's timer. lws runs due timers just before it polls and then
 * waits for the next one; when ours is already due there (timeout 0, or a
 * busy machine) the poll would wait for lws's own next timer, up to 30 s.
 * Waking the loop ends that poll at once. */
static void sul_wake(lws_sorted_usec_list_t *sul)
{
    struct http_server *s = lws_container_of(sul, struct http_server, sul);
    lws_cancel_service(s->ctx);
}

int http_service(struct http_server *s, int timeout_ms)
{
    if (!s || !s->ctx)
        return BB_EINVAL;
    if (timeout_ms < 0)
        timeout_ms = 0;
    if (s->nheld > 0) {
        int64_t due = http_held_sweep(s, bb_mono_ms());
        if (due >= 0 && due < timeout_ms)
            timeout_ms = (int)due;
    }
    /* lws 4.1 ignores lws_service()'s timeout: a timer bounds the wait. */
    lws_sul_schedule(s->ctx, 0, &s->sul, sul_wake, (lws_usec_t)timeout_ms * LWS_US_PER_MS);
    if (lws_service(s->ctx, 0) < 0)
        return BB_EIO;
    return BB_OK;
}

void http_set_wake_handler(struct http_server *s, void (*fn)(void *ctx), void *ctx)
{
    if (!s)
        return;
    s->wake_fn = fn;
    s->wake_ctx = ctx;
}

void http_wake(struct http_server *s)
{
    if (s && s->ctx)
        lws_cancel_service(s->ctx);
}

void http_free(struct http_server *s)
{
    if (!s)
        return;
    if (s->ctx) {
        lws_sul_cancel(&s->sul);
        s->freeing = 1;
        lws_context_destroy(s->ctx); /* closes connections: on_close runs */
        s->ctx = NULL;
    }
    http_ws_free_conns(s);
    for (int i = 0; i < s->nroutes; i++)
        free(s->routes[i].prefix);
    for (int i = 0; i < s->neps; i++)
        free(s->eps[i].path);
    free(s->static_root);
    free(s->held);
    free(s);
}
