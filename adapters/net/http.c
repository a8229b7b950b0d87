/*
 * http.c - the HTTP/websocket server on libwebsockets 4.1.6. See http.h.
 * Here: HTTP transactions (routes, capped and chunked bodies, static
 * files, responses); http_ws.c has the websocket connections, and
 * http_server.c the lifecycle and the lws callback that calls both.
 *
 * Threads: lws is single-threaded; every function here except http_wake()
 * runs on the core thread. http_wake() only calls lws_cancel_service(),
 * the one lws call documented as safe from other threads; the resulting
 * LWS_CALLBACK_EVENT_WAIT_CANCELLED runs the wake handler on the core
 * thread.
 *
 * Ownership: one protocol ("http", protocols[0]) serves both HTTP and
 * websocket connections (a websocket upgrade without a subprotocol lands
 * on protocols[0]). Its per-session data holds two pointers owned by us:
 *   txn - one HTTP transaction (request, capped body, response), freed when
 *         the transaction completes or the connection closes;
 *   ws  - one websocket connection (receive buffer, send queue), freed on
 *         LWS_CALLBACK_CLOSED; it is also linked into the server's id table.
 * Writes happen only in the WRITEABLE callbacks, one lws_write() each, with
 * LWS_PRE headroom.
 */
#include "adapters/net/http.h"
#include "adapters/net/http_int.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "bot/base/bb.h"

#define WRITE_CHUNK 16384
#define MAX_QUERY   4096

struct txn {
    char method[8];
    char *path;
    char *query;
    char ip[64];
    char client[64];
    struct route *route;
    struct bb_buf body;
    size_t discarded;
    int too_large;
    int chunked;    /* lws 4.1.6 hands us the raw chunked encoding */
    long long clen; /* Content-Length, -1 when none */
    int body_done;  /* LWS_CALLBACK_HTTP_BODY_COMPLETION seen */
    int ch_state;
    int ch_digits;
    uint64_t ch_left;
    /* response */
    int ready;
    int status;
    char ctype[96];
    char *rbody;
    size_t rlen;
    size_t sent;
    char headers[512];
    char allow[64];
    int is_static;
    int hdr_sent;
    int close_after;
    int head; /* a HEAD request: the GET's headers, no body */
    struct http_server *srv;
    int held_slot; /* held (http_hold): its slot + 1; 0 = not held */
};

/* ---- small helpers ---- */

struct http_server *http_server_of(struct lws *wsi)
{
    return lws_context_user(lws_get_context(wsi));
}

static void held_release(struct txn *t)
{
    struct http_server *s = t->srv;
    if (!t->held_slot || !s)
        return;
    struct http_held *h = &s->held[t->held_slot - 1];
    assert(h->t == t && s->nheld > 0);
    memset(h, 0, sizeof(*h));
    s->nheld--;
    t->held_slot = 0;
}

void http_txn_free(struct txn *t)
{
    if (!t)
        return;
    held_release(t); /* its connection closed: the ticket dies */
    free(t->path);
    free(t->query);
    bb_buf_free(&t->body);
    free(t->rbody);
    free(t);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* URL-decode s[0..len) into out (n bytes). */
static int url_decode(const char *s, size_t len, char *out, size_t n)
{
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (i + 2 >= len)
                return BB_EINVAL;
            int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            if (h < 0 || l < 0)
                return BB_EINVAL;
            c = h * 16 + l;
            i += 2;
        }
        if (o + 1 >= n)
            return BB_ELIMIT;
        out[o++] = (char)c;
    }
    if (n == 0)
        return BB_ELIMIT;
    out[o] = '\0';
    return BB_OK;
}

int http_query_param(const char *query, const char *name, char *out, size_t n)
{
    size_t nlen;
    const char *p;

    if (!query || !name || !out || n == 0)
        return BB_EINVAL;
    out[0] = '\0';
    nlen = strlen(name);
    p = query;
    while (*p) {
        const char *end = p + strcspn(p, "&");
        const char *eq = memchr(p, '=', (size_t)(end - p));
        const char *kend = eq ? eq : end;
        char key[256];
        if (url_decode(p, (size_t)(kend - p), key, sizeof(key)) == BB_OK && strlen(key) == nlen &&
            memcmp(key, name, nlen) == 0) {
            if (!eq)
                return n > 0 ? BB_OK : BB_ELIMIT;
            return url_decode(eq + 1, (size_t)(end - eq - 1), out, n);
        }
        p = *end ? end + 1 : end;
    }
    return BB_ENOTFOUND;
}

const char *http_req_header(const struct http_req *r, const char *name, char *buf, size_t n)
{
    char key[128];
    size_t klen;
    int len;

    if (!r || !r->wsi || !name || !buf || n == 0 || n > INT_MAX)
        return NULL;
    klen = strlen(name);
    if (klen == 0 || klen + 2 > sizeof(key))
        return NULL;
    for (size_t i = 0; i < klen; i++)
        key[i] = (char)tolower((unsigned char)name[i]);
    key[klen] = ':';
    key[klen + 1] = '\0';
    for (int t = 0; t < WSI_TOKEN_COUNT; t++) {
        const unsigned char *ts = lws_token_to_string((enum lws_token_indexes)t);
        if (!ts || strcmp((const char *)ts, key) != 0)
            continue;
        len = lws_hdr_total_length(r->wsi, (enum lws_token_indexes)t);
        if (len <= 0 || (size_t)len >= n)
            return NULL;
        if (lws_hdr_copy(r->wsi, buf, (int)n, (enum lws_token_indexes)t) < 0)
            return NULL;
        return buf;
    }
#if defined(LWS_WITH_CUSTOM_HEADERS)
    len = lws_hdr_custom_length(r->wsi, key, (int)(klen + 1));
    if (len < 0 || (size_t)len >= n)
        return NULL;
    if (lws_hdr_custom_copy(r->wsi, buf, (int)n, key, (int)(klen + 1)) < 0)
        return NULL;
    return buf;
#else
    return NULL;
#endif
}

/* ---- routing ---- */

static int prefix_matches(const struct route *r, const char *path)
{
    if (strncmp(path, r->prefix, r->plen) != 0)
        return 0;
    return r->prefix[r->plen - 1] == '/' || path[r->plen] == '\0' || path[r->plen] == '/';
}

/* The route with this method and the longest matching prefix. When there
 * is none but routes of other methods match the path, *path_known is set
 * and allow lists their methods (for a 405). */
static struct route *route_find(struct http_server *s, const char *method, const char *path,
                                int *path_known, char *allow, size_t allow_n)
{
    struct route *best = NULL;

    *path_known = 0;
    allow[0] = '\0';
    for (int i = 0; i < s->nroutes; i++) {
        struct route *r = &s->routes[i];
        if (prefix_matches(r, path) && strcmp(r->method, method) == 0 &&
            (!best || r->plen > best->plen))
            best = r;
    }
    if (best)
        return best;
    for (int i = 0; i < s->nroutes; i++) {
        struct route *r = &s->routes[i];
        if (!prefix_matches(r, path) || strstr(allow, r->method))
            continue;
        *path_known = 1;
        size_t used = strlen(allow);
        (void)bb_snprintf(allow + used, allow_n - used, "%s%s", used ? ", " : "", r->method);
    }
    return NULL;
}

static const char *mime_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".htm", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json"},
        {".txt", "text/plain; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".map", "application/json"},
    };
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');

    if (dot && (!slash || dot > slash))
        for (size_t i = 0; i < BB_ARRAY_LEN(types); i++)
            if (strcasecmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

static void set_json_error(struct txn *t, int status, const char *msg)
{
    char body[128];

    t->status = status;
    bb_strlcpy(t->ctype, "application/json", sizeof(t->ctype));
    bb_snprintf(body, sizeof(body), "{\"error\":\"%s\"}", msg);
    free(t->rbody);
    t->rbody = strdup(body);
    t->rlen = t->rbody ? strlen(t->rbody) : 0;
    t->is_static = 0;
    t->ready = 1;
}

/* Read a static file for t->path into the response. 0 when served (or an
 * error response was set), BB_ENOTFOUND to fall through to 404. */
static int serve_static(struct http_server *s, struct txn *t)
{
    char want[PATH_MAX], real[PATH_MAX];
    size_t rootlen = strlen(s->static_root);
    struct stat st;
    struct bb_buf b;
    int fd = -1, rc = BB_ENOTFOUND;
    const char *p = t->path;

    bb_buf_init(&b, HTTP_STATIC_MAX);
    /* Refuse anything that is not a plain relative path, and dotfiles and
     * dot-directories (issue 14, finding 14). */
    if (p[0] != '/' || strstr(p, "..") || strchr(p, '\\') || strstr(p, "//") || strstr(p, "/."))
        goto done;
    if (bb_snprintf(want, sizeof(want), "%s%s", s->static_root, p) != BB_OK)
        goto done;
    if (want[strlen(want) - 1] == '/' &&
        bb_snprintf(want + strlen(want), sizeof(want) - strlen(want), "index.html") != BB_OK)
        goto done;
    if (!realpath(want, real))
        goto done;
    if (strncmp(real, s->static_root, rootlen) != 0 || real[rootlen] != '/')
        goto done; /* a symlink out of the root */
    if (p[strlen(p) - 1] != '/' && stat(real, &st) == 0 && S_ISDIR(st.st_mode)) {
        for (const char *c = p; *c; c++)
            if ((unsigned char)*c < 0x21 || (unsigned char)*c == 0x7f)
                goto done; /* never a control character in a header */
        /* "/admin" -> "/admin/", so that the page's relative links work */
        set_json_error(t, 301, "moved");
        if (bb_snprintf(t->headers, sizeof(t->headers), "Location: %s/\r\n", p) != BB_OK)
            set_json_error(t, 404, "not found");
        rc = BB_OK;
        goto done;
    }
    /* Only the file types the web UI is made of (the table of mime_of):
     * never a script, a dump or an unknown file (issue 14, finding 14). */
    if (strcmp(mime_of(real), "application/octet-stream") == 0)
        goto done;
    fd = open(real, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        goto done;
    if (st.st_size > HTTP_STATIC_MAX) {
        set_json_error(t, 500, "file too large");
        rc = BB_OK;
        goto done;
    }
    for (;;) {
        char chunk[8192];
        ssize_t r = read(fd, chunk, sizeof(chunk));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            set_json_error(t, 500, "read error");
            rc = BB_OK;
            goto done;
        }
        if (r == 0)
            break;
        if (bb_buf_append(&b, chunk, (size_t)r) != BB_OK) {
            set_json_error(t, 500, "file too large");
            rc = BB_OK;
            goto done;
        }
    }
    t->status = 200;
    bb_strlcpy(t->ctype, mime_of(real), sizeof(t->ctype));
    free(t->rbody);
    t->rlen = b.len;
    t->rbody = bb_buf_take(&b);
    if (!t->rbody) {
        set_json_error(t, 500, "out of memory");
    } else {
        t->is_static = 1;
        t->ready = 1;
    }
    rc = BB_OK;
done:
    if (fd >= 0)
        close(fd);
    bb_buf_free(&b);
    return rc;
}

/* Run the route's handler on the complete request. */
static void dispatch(struct http_server *s, struct lws *wsi, struct txn *t)
{
    struct http_req req = {
        .method = t->method,
        .path = t->path,
        .query = t->query ? t->query : "",
        .body = t->body.data ? t->body.data : "",
        .body_len = t->body.len,
        .remote_ip = t->ip,
        .client_ip = t->client,
        .wsi = wsi,
    };
    struct http_resp resp;

    (void)s;
    memset(&resp, 0, sizeof(resp));
    resp.status = 200;
    t->route->fn(t->route->ctx, &req, &resp);
    if (t->held_slot) {
        free(resp.body); /* the answer comes from http_answer() */
        return;
    }
    if (resp.status < 100 || resp.status > 599)
        resp.status = 500;
    t->status = resp.status;
    bb_strlcpy(t->ctype, resp.content_type ? resp.content_type : "application/json",
               sizeof(t->ctype));
    free(t->rbody);
    t->rbody = resp.body;
    t->rlen = resp.body ? resp.body_len : 0;
    resp.headers[sizeof(resp.headers) - 1] = '\0';
    bb_strlcpy(t->headers, resp.headers, sizeof(t->headers));
    t->is_static = 0;
    t->ready = 1;
}

static const char *method_of(struct lws *wsi)
{
    static const struct {
        enum lws_token_indexes tok;
        const char *name;
    } m[] = {
        {WSI_TOKEN_GET_URI, "GET"},       {WSI_TOKEN_POST_URI, "POST"},
        {WSI_TOKEN_PUT_URI, "PUT"},       {WSI_TOKEN_PATCH_URI, "PATCH"},
        {WSI_TOKEN_DELETE_URI, "DELETE"}, {WSI_TOKEN_OPTIONS_URI, "OPTIONS"},
        {WSI_TOKEN_HEAD_URI, "HEAD"},
    };
    for (size_t i = 0; i < BB_ARRAY_LEN(m); i++)
        if (lws_hdr_total_length(wsi, m[i].tok) > 0)
            return m[i].name;
    return NULL;
}

static int url_encode_into(struct bb_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char e[3];
        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            if (bb_buf_append(b, &c, 1) != BB_OK)
                return BB_ELIMIT;
            continue;
        }
        e[0] = '%';
        e[1] = hex[c >> 4];
        e[2] = hex[c & 15];
        if (bb_buf_append(b, e, 3) != BB_OK)
            return BB_ELIMIT;
    }
    return BB_OK;
}

/* The query string, rebuilt. lws 4.1.6 splits the arguments on '&' and
 * URL-decodes each "name=value" fragment ('+' included); the raw query is
 * not kept. Re-encoding each side of the first '=' gives back a query that
 * http_query_param() decodes unambiguously (a %26 inside a value stays
 * inside it). NULL only when out of memory. */
char *http_query_of(struct lws *wsi)
{
    struct bb_buf b;
    char frag[MAX_QUERY];

    bb_buf_init(&b, 3 * MAX_QUERY);
    for (int i = 0;; i++) {
        int n = lws_hdr_copy_fragment(wsi, frag, sizeof(frag), WSI_TOKEN_HTTP_URI_ARGS, i);
        if (n < 0)
            break;
        const char *eq = memchr(frag, '=', (size_t)n);
        size_t klen = eq ? (size_t)(eq - frag) : (size_t)n;
        if ((i && bb_buf_puts(&b, "&") != BB_OK) || url_encode_into(&b, frag, klen) != BB_OK)
            break;
        if (eq && (bb_buf_puts(&b, "=") != BB_OK ||
                   url_encode_into(&b, eq + 1, (size_t)n - klen - 1) != BB_OK))
            break;
    }
    char *q = bb_buf_take(&b);
    bb_buf_free(&b);
    return q;
}

void http_client_ip(const char *peer, const char *xff, const char *trusted_proxy, char *client,
                    size_t n)
{
    bb_strlcpy(client, peer ? peer : "", n);
    if (!peer || !xff || !trusted_proxy || !trusted_proxy[0] || strcmp(peer, trusted_proxy) != 0)
        return;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ' || *last == '\t')
        last++;
    size_t len = strcspn(last, " \t");
    if (len == 0 || len > 45 || len >= n || last[len + strspn(last + len, " \t")] != '\0')
        return;
    for (size_t i = 0; i < len; i++)
        if (!isxdigit((unsigned char)last[i]) && last[i] != '.' && last[i] != ':')
            return;
    memcpy(client, last, len);
    client[len] = '\0';
}

void http_peer_of(struct http_server *s, struct lws *wsi, char *ip, char *client)
{
    char xff[512];
    int have = 0;
    ip[0] = '\0';
    lws_get_peer_simple(wsi, ip, 64);
    if (s->trusted_proxy[0]) {
        struct http_req r = {.wsi = wsi};
        have = http_req_header(&r, "x-forwarded-for", xff, sizeof(xff)) != NULL;
    }
    http_client_ip(ip, have ? xff : NULL, s->trusted_proxy, client, 64);
}

/* 1 when the last coding of a Transfer-Encoding value is "chunked". */
static int last_is_chunked(const char *v)
{
    const char *last = strrchr(v, ',');
    size_t n;

    last = last ? last + 1 : v;
    while (*last == ' ' || *last == '\t')
        last++;
    n = strlen(last);
    while (n && (last[n - 1] == ' ' || last[n - 1] == '\t'))
        n--;
    return n == 7 && strncasecmp(last, "chunked", 7) == 0;
}

/* The bytes of the request line and the headers lws knows by name (the
 * values it kept; headers it does not know are not counted). */
static size_t header_bytes(struct lws *wsi)
{
    size_t n = 0;

    for (int t = 0; t < WSI_TOKEN_COUNT; t++) {
        int len = lws_hdr_total_length(wsi, (enum lws_token_indexes)t);
        if (len > 0)
            n += (size_t)len;
    }
    return n;
}

/* LWS_CALLBACK_HTTP: start a transaction. Returns what the callback returns. */
int http_on_request(struct http_server *s, struct lws *wsi, struct pss *pss, const char *in)
{
    struct txn *t;
    const char *m = method_of(wsi);
    int path_known = 0;
    long long clen = -1;
    int chunked = 0;
    char v[64];

    http_txn_free(pss->txn);
    pss->txn = NULL;
    t = calloc(1, sizeof(*t));
    if (!t)
        return -1;
    pss->txn = t;
    t->srv = s;
    bb_strlcpy(t->method, m ? m : "?", sizeof(t->method));
    t->path = strdup(in ? in : "/");
    t->query = http_query_of(wsi);
    if (!t->path || !t->query)
        return -1;
    http_peer_of(s, wsi, t->ip, t->client);
    /* RFC 6585: lws reads up to HTTP_HEADER_TABLE bytes; over our limit
     * the request is refused here (issue 14, finding 11) */
    if (header_bytes(wsi) > HTTP_HEADER_MAX) {
        set_json_error(t, 431, "request headers too large");
        t->close_after = 1;
        goto respond;
    }

    if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0 &&
        lws_hdr_copy(wsi, v, sizeof(v), WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0) {
        if (bb_parse_ll(v, 0, LLONG_MAX, &clen) != BB_OK) {
            set_json_error(t, 400, "bad content-length");
            t->close_after = 1;
            goto respond;
        }
    }
    if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0) {
        /* RFC 9112 6.1: Content-Length with Transfer-Encoding, or a last
         * coding that is not chunked, is a 400 and the connection closes
         * (it would frame the body two ways: request smuggling). */
        if (lws_hdr_copy(wsi, v, sizeof(v), WSI_TOKEN_HTTP_TRANSFER_ENCODING) <= 0 ||
            lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0 || !last_is_chunked(v)) {
            set_json_error(t, 400, "bad transfer-encoding");
            t->close_after = 1;
            goto respond;
        }
        chunked = 1;
    }
    int has_body = clen > 0 || chunked;
    t->chunked = chunked;
    /* HEAD is GET without the body (RFC 9110 9.3.2; issue 14, finding 11) */
    t->head = m && strcmp(m, "HEAD") == 0;
    if (t->head)
        m = "GET";
    t->clen = clen;

    t->route = m ? route_find(s, m, t->path, &path_known, t->allow, sizeof(t->allow)) : NULL;
    if (!t->route) {
        if (m && strcmp(m, "GET") == 0 && !path_known && s->static_root &&
            serve_static(s, t) == BB_OK)
            goto respond;
        if (path_known)
            set_json_error(t, 405, "method not allowed");
        else
            set_json_error(t, 404, "not found");
        t->close_after = has_body; /* we will not read that body */
        goto respond;
    }
    bb_buf_init(&t->body, t->route->max_body);
    if (clen > (long long)t->route->max_body) {
        t->too_large = 1;
        if (clen - (long long)t->route->max_body > HTTP_DISCARD_MAX) {
            set_json_error(t, 413, "body too large");
            t->close_after = 1;
            goto respond;
        }
    }
    if (has_body)
        return 0; /* the body follows in LWS_CALLBACK_HTTP_BODY */
    dispatch(s, wsi, t);
respond:
    lws_callback_on_writable(wsi);
    return 0;
}

enum {
    CH_SIZE,
    CH_EXT,
    CH_SIZE_LF,
    CH_DATA,
    CH_DATA_CR,
    CH_DATA_LF,
    CH_TRAILER,
    CH_TRAILER_LINE,
    CH_TRAILER_LF,
    CH_DONE
};

/* Keep (or count and drop, when over the cap) decoded body bytes. */
static void body_take(struct txn *t, const char *p, size_t n)
{
    if (!t->too_large && bb_buf_append(&t->body, p, n) != BB_OK)
        t->too_large = 1;
    if (t->too_large)
        t->discarded += n;
}

/* Decode chunked transfer encoding. BB_OK with ch_state CH_DONE at the
 * end, BB_EINVAL on a malformed stream. */
static int chunked_feed(struct txn *t, const char *p, size_t n)
{
    for (size_t i = 0; i < n && t->ch_state != CH_DONE; i++) {
        char c = p[i];
        switch (t->ch_state) {
        case CH_SIZE:
            if (c == ';' && t->ch_digits) {
                t->ch_state = CH_EXT;
            } else if (c == '\r' && t->ch_digits) {
                t->ch_state = CH_SIZE_LF;
            } else {
                int v = hexval((unsigned char)c);
                if (v < 0 || ++t->ch_digits > 15)
                    return BB_EINVAL;
                t->ch_left = t->ch_left * 16 + (uint64_t)v;
            }
            break;
        case CH_EXT:
            if (c == '\r')
                t->ch_state = CH_SIZE_LF;
            break;
        case CH_SIZE_LF:
            if (c != '\n')
                return BB_EINVAL;
            t->ch_digits = 0;
            t->ch_state = t->ch_left ? CH_DATA : CH_TRAILER;
            break;
        case CH_DATA: {
            size_t k = n - i;
            if (k > t->ch_left)
                k = (size_t)t->ch_left;
            body_take(t, p + i, k);
            t->ch_left -= k;
            i += k - 1;
            if (!t->ch_left)
                t->ch_state = CH_DATA_CR;
            break;
        }
        case CH_DATA_CR:
            if (c != '\r')
                return BB_EINVAL;
            t->ch_state = CH_DATA_LF;
            break;
        case CH_DATA_LF:
            if (c != '\n')
                return BB_EINVAL;
            t->ch_state = CH_SIZE;
            break;
        case CH_TRAILER: /* start of a trailer line; an empty one ends it all */
            t->ch_state = c == '\r' ? CH_TRAILER_LF : CH_TRAILER_LINE;
            break;
        case CH_TRAILER_LINE:
            if (c == '\n')
                t->ch_state = CH_TRAILER;
            break;
        case CH_TRAILER_LF:
            if (c != '\n')
                return BB_EINVAL;
            t->ch_state = CH_DONE;
            break;
        }
    }
    return BB_OK;
}

/* The whole body is in (or was dropped for being over the cap): answer.
 * An answer already set (an error) is written too: returning without
 * asking to write left the socket open for good (issue 14, finding 1). */
static void body_complete(struct http_server *s, struct lws *wsi, struct txn *t)
{
    if (!t->ready) {
        if (t->too_large)
            set_json_error(t, 413, "body too large");
        else
            dispatch(s, wsi, t);
    }
    lws_callback_on_writable(wsi);
}

int http_on_body(struct http_server *s, struct lws *wsi, struct txn *t, const void *in, size_t len)
{
    if (t->ready)
        return 0; /* answered already (an error, and close); drop */
    if (t->chunked) {
        if (chunked_feed(t, in, len) != BB_OK) {
            set_json_error(t, 400, "bad chunked encoding");
            t->close_after = 1;
            lws_callback_on_writable(wsi);
            return 0;
        }
        if (t->ch_state == CH_DONE) {
            /* lws does not know where this body ended: no keep-alive */
            t->close_after = 1;
            body_complete(s, wsi, t);
            return 0;
        }
    } else {
        body_take(t, in, len);
    }
    if (t->too_large && t->discarded > HTTP_DISCARD_MAX) {
        set_json_error(t, 413, "body too large");
        t->close_after = 1;
        lws_callback_on_writable(wsi);
    }
    return 0;
}

/* LWS_CALLBACK_HTTP_BODY_COMPLETION: a chunked body must have ended
 * properly, a plain one must have as many bytes as its Content-Length said;
 * then the request goes to its handler. lws 4.1.6 mis-frames the body of a
 * request pipelined behind another in one read: it reports the body
 * complete without handing it over, and then again and again without
 * returning (the whole service loop hung at full CPU). Such a body is a
 * 400, and a second completion closes the connection. */
int http_on_body_done(struct http_server *s, struct lws *wsi, struct txn *t)
{
    if (t->body_done)
        return -1;
    t->body_done = 1;
    if (t->ready) {
        /* answered already (an error): written by body_complete */
    } else if (t->chunked && t->ch_state != CH_DONE) {
        set_json_error(t, 400, "bad chunked encoding");
        t->close_after = 1;
    } else if (!t->chunked && t->clen >= 0 && t->body.len + t->discarded != (size_t)t->clen) {
        set_json_error(t, 400, "incomplete body");
        t->close_after = 1;
    }
    body_complete(s, wsi, t);
    return 0;
}

static int add_extra_headers(struct lws *wsi, const char *h, unsigned char **p, unsigned char *end)
{
    while (*h) {
        const char *eol = strstr(h, "\r\n");
        const char *line_end = eol ? eol : h + strlen(h);
        const char *colon = memchr(h, ':', (size_t)(line_end - h));
        if (colon && colon > h) {
            char name[64];
            size_t nl = (size_t)(colon - h);
            const char *val = colon + 1;
            while (val < line_end && *val == ' ')
                val++;
            if (nl + 2 <= sizeof(name)) {
                memcpy(name, h, nl);
                name[nl] = ':';
                name[nl + 1] = '\0';
                if (lws_add_http_header_by_name(wsi, (const unsigned char *)name,
                                                (const unsigned char *)val, (int)(line_end - val),
                                                p, end))
                    return -1;
            }
        }
        h = eol ? eol + 2 : line_end;
    }
    return 0;
}

void http_vhost_headers_build(struct http_server *s)
{
    struct lws_protocol_vhost_options *v = s->vh_headers;
    const char *h = s->common_headers;
    size_t used = 0;
    int n = 1;

    /* The list is edited in place while lws holds it; on one thread. */
    memset(&v[0], 0, sizeof(v[0]));
    bb_strlcpy(s->vh_names[0], "x-content-type-options:", sizeof(s->vh_names[0]));
    v[0].name = s->vh_names[0];
    v[0].value = "nosniff";
    while (*h && n < HTTP_VH_HEADERS) {
        const char *eol = strstr(h, "\r\n");
        const char *line_end = eol ? eol : h + strlen(h);
        const char *colon = memchr(h, ':', (size_t)(line_end - h));
        if (colon && colon > h && (size_t)(colon - h) + 2 <= sizeof(s->vh_names[n])) {
            const char *val = colon + 1;
            while (val < line_end && *val == ' ')
                val++;
            size_t vl = (size_t)(line_end - val);
            if (used + vl + 1 <= sizeof(s->vh_values)) {
                memcpy(s->vh_names[n], h, (size_t)(colon - h));
                s->vh_names[n][colon - h] = ':';
                s->vh_names[n][colon - h + 1] = '\0';
                memcpy(s->vh_values + used, val, vl);
                s->vh_values[used + vl] = '\0';
                memset(&v[n], 0, sizeof(v[n]));
                v[n].name = s->vh_names[n];
                v[n].value = s->vh_values + used;
                v[n - 1].next = &v[n];
                used += vl + 1;
                n++;
            }
        }
        h = eol ? eol + 2 : line_end;
    }
    v[n - 1].next = NULL;
}

static int write_headers(struct lws *wsi, struct txn *t)
{
    unsigned char buf[LWS_PRE + 2048], *start = buf + LWS_PRE, *p = start,
                                       *end = buf + sizeof(buf) - 1;

    int no_body = t->status == 204 || t->status == 304;

    if (no_body)
        t->rlen = 0; /* RFC 9110: these carry no content and no Content-Length */
    if (lws_add_http_header_status(wsi, (unsigned int)t->status, &p, end) ||
        lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE,
                                     (const unsigned char *)t->ctype, (int)strlen(t->ctype), &p,
                                     end) ||
        (!no_body && lws_add_http_header_content_length(wsi, (lws_filepos_t)t->rlen, &p, end)) ||
        lws_add_http_header_by_token(
            wsi, WSI_TOKEN_HTTP_CACHE_CONTROL,
            (const unsigned char *)(t->is_static ? "no-cache" : "no-store"), 8, &p, end))
        return -1;
    if (t->allow[0] && t->status == 405 &&
        lws_add_http_header_by_name(
            wsi, (const unsigned char *)"allow:", (const unsigned char *)t->allow,
            (int)strlen(t->allow), &p, end))
        return -1;
    if (t->close_after && lws_add_http_header_by_token(wsi, WSI_TOKEN_CONNECTION,
                                                       (const unsigned char *)"close", 5, &p, end))
        return -1;
    /* nosniff and the http_set_headers() lines: lws adds them after the
     * status line (the vhost's canned headers, http_vhost_headers_build) */
    if (add_extra_headers(wsi, t->headers, &p, end))
        return -1;
    if (lws_finalize_http_header(wsi, &p, end))
        return -1;
    if (lws_write(wsi, start, (size_t)(p - start), LWS_WRITE_HTTP_HEADERS) < 0)
        return -1;
    t->hdr_sent = 1;
    if (t->head)
        t->sent = t->rlen; /* the Content-Length of the GET, and no body */
    return 0;
}

/* LWS_CALLBACK_HTTP_WRITEABLE */
int http_on_writeable(struct lws *wsi, struct pss *pss)
{
    struct txn *t = pss->txn;
    unsigned char buf[LWS_PRE + WRITE_CHUNK];

    if (!t || !t->ready)
        return 0;
    if (!t->hdr_sent) {
        if (write_headers(wsi, t))
            return -1;
    } else if (t->sent < t->rlen) {
        size_t n = t->rlen - t->sent;
        if (n > WRITE_CHUNK)
            n = WRITE_CHUNK;
        memcpy(buf + LWS_PRE, t->rbody + t->sent, n);
        int final = t->sent + n == t->rlen;
        if (lws_write(wsi, buf + LWS_PRE, n, final ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) <
            (int)n)
            return -1;
        t->sent += n;
    }
    if (t->sent < t->rlen) {
        lws_callback_on_writable(wsi);
        return 0;
    }
    /* Done: free the transaction, then keep-alive or close. */
    int close_after = t->close_after;
    http_txn_free(t);
    pss->txn = NULL;
    if (close_after)
        return -1;
    if (lws_http_transaction_completed(wsi))
        return -1;
    return 0;
}

int http_route(struct http_server *s, const char *method, const char *path_prefix, size_t max_body,
               http_handler_fn fn, void *ctx)
{
    struct route *r;

    if (!s || !method || !path_prefix || !fn || path_prefix[0] != '/' || !method[0] ||
        strlen(method) >= sizeof(r->method))
        return BB_EINVAL;
    for (int i = 0; i < s->nroutes; i++)
        if (strcmp(s->routes[i].method, method) == 0 &&
            strcmp(s->routes[i].prefix, path_prefix) == 0)
            return BB_EEXIST;
    if (s->nroutes >= HTTP_MAX_ROUTES)
        return BB_ELIMIT;
    r = &s->routes[s->nroutes];
    memset(r, 0, sizeof(*r));
    r->prefix = strdup(path_prefix);
    if (!r->prefix)
        return BB_ENOMEM;
    bb_strlcpy(r->method, method, sizeof(r->method));
    r->plen = strlen(path_prefix);
    r->max_body = max_body ? max_body : s->max_body;
    r->fn = fn;
    r->ctx = ctx;
    s->nroutes++;
    return BB_OK;
}

int http_set_headers(struct http_server *s, const char *lines)
{
    size_t n;

    if (!s || !lines)
        return BB_EINVAL;
    n = strlen(lines);
    if (n > 0 && (n < 2 || strcmp(lines + n - 2, "\r\n") != 0))
        return BB_EINVAL;
    int rc = bb_strlcpy(s->common_headers, lines, sizeof(s->common_headers));
    if (rc == BB_OK)
        http_vhost_headers_build(s);
    return rc;
}

/* ---- deferred answers ---- */

uint64_t http_hold(const struct http_req *req)
{
    if (!req || !req->wsi)
        return 0;
    struct http_server *s = http_server_of(req->wsi);
    struct pss *pss = lws_wsi_user(req->wsi);
    struct txn *t = pss ? pss->txn : NULL;
    if (!s || !t || t->ready || !s->held || s->nheld >= s->held_max)
        return 0;
    if (t->held_slot)
        return s->held[t->held_slot - 1].ticket;
    int slot = (int)(s->held_seq % (uint64_t)s->held_max);
    for (int k = 0; k < s->held_max && s->held[slot].t; k++)
        slot = (slot + 1) % s->held_max;
    assert(!s->held[slot].t);
    /* the slot in the low 12 bits, a sequence number above: never 0, and
     * a dead ticket never matches the slot's next one */
    uint64_t ticket = (++s->held_seq << 12) | (uint64_t)slot;
    s->held[slot].ticket = ticket;
    s->held[slot].t = t;
    s->held[slot].wsi = req->wsi;
    s->held[slot].deadline_ms = bb_mono_ms() + s->held_ms;
    s->nheld++;
    t->held_slot = slot + 1;
    return ticket;
}

static void held_give(struct http_held *h, int status, const char *body)
{
    struct txn *t = h->t;
    struct lws *wsi = h->wsi;
    held_release(t);
    t->status = status;
    bb_strlcpy(t->ctype, "application/json", sizeof(t->ctype));
    free(t->rbody);
    t->rbody = strdup(body ? body : "{}");
    t->rlen = t->rbody ? strlen(t->rbody) : 0;
    if (!t->rbody) {
        t->status = 500;
        t->close_after = 1;
    }
    t->headers[0] = '\0';
    t->is_static = 0;
    t->ready = 1;
    lws_callback_on_writable(wsi);
}

int http_answer(struct http_server *s, uint64_t ticket, int status, const char *body)
{
    if (!s || !s->held || !ticket || status < 100 || status > 599)
        return BB_EINVAL;
    uint64_t slot = ticket & 0xfff;
    if (slot >= (uint64_t)s->held_max || s->held[slot].ticket != ticket || !s->held[slot].t)
        return BB_ENOTFOUND;
    held_give(&s->held[slot], status, body);
    return BB_OK;
}

int http_held_count(const struct http_server *s)
{
    return s ? s->nheld : 0;
}

int64_t http_held_sweep(struct http_server *s, int64_t now_ms)
{
    int64_t next = -1;
    for (int i = 0; s->nheld > 0 && i < s->held_max; i++) {
        struct http_held *h = &s->held[i];
        if (!h->t)
            continue;
        if (h->deadline_ms <= now_ms) {
            bb_log(BB_LOG_WARN, "http", "a held answer timed out (%s): 503", h->t->path);
            held_give(h, 503, "{\"error\":\"timed out\"}");
        } else if (next < 0 || h->deadline_ms - now_ms < next) {
            next = h->deadline_ms - now_ms;
        }
    }
    return next;
}
