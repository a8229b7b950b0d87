/*
 * tests/fakes/lib/fakehttp.c - the HTTP/1.1 server core of fakehttp.h,
 * linked into every fake platform in tests/fakes/ (nothing else uses it).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/fakes/lib/fakehttp.h"

struct fh_server {
    struct fh_opts o;
    const struct fh_ops *ops;
    void *app;
    int ep;
    int lfd;
    int port;
    size_t nconns;
    struct fh_conn *timed; /* parked */
    struct fh_conn *all;   /* every live connection */
    struct fh_conn *dead;  /* closed this turn */
    struct fh_conn *ready; /* to process again at the end of the turn */
};

/* ------------------------------------------------------------- helpers */

const char *fh_memmem(const char *h, size_t hn, const char *n, size_t nn)
{
    return memmem(h, hn, n, nn);
}

int fh_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long fh_dechunk(const char *p, size_t n, size_t max, struct bb_buf *out)
{
    size_t i = 0;
    bb_buf_reset(out);
    for (;;) {
        const char *eol = fh_memmem(p + i, n - i, "\r\n", 2);
        if (!eol)
            return n - i > 64 ? -1 : 0;
        size_t sz = 0, digits = 0;
        for (const char *q = p + i; q < eol && fh_hexval(*q) >= 0; q++, digits++) {
            if (sz > max)
                return -2;
            sz = sz * 16 + (size_t)fh_hexval(*q);
        }
        if (!digits)
            return -1;
        i = (size_t)(eol - p) + 2;
        if (sz == 0) { /* trailers until an empty line */
            for (;;) {
                const char *e2 = fh_memmem(p + i, n - i, "\r\n", 2);
                if (!e2)
                    return 0;
                size_t ll = (size_t)(e2 - (p + i));
                i += ll + 2;
                if (ll == 0)
                    return (long)i;
            }
        }
        if (sz > max || out->len + sz > max)
            return -2;
        if (n - i < sz + 2)
            return 0;
        if (bb_buf_append(out, p + i, sz) != BB_OK)
            return -2;
        i += sz + 2;
    }
}

void fh_header(const struct fh_req *r, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    const char *end = r->head + r->head_len;
    out[0] = '\0';
    for (const char *p = r->head; p < end;) {
        const char *le = fh_memmem(p, (size_t)(end - p), "\r\n", 2);
        if (!le || le == p)
            return;
        if (p != r->head && (size_t)(le - p) > nl && !strncasecmp(p, name, nl) && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (v < le && (*v == ' ' || *v == '\t'))
                v++;
            bb_snprintf(out, n, "%.*s", (int)(le - v), v);
            return;
        }
        p = le + 2;
    }
}

const char *fh_status_text(int st)
{
    switch (st) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 414:
        return "URI Too Long";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    }
    return "Status";
}

int fh_response(const struct fh_server *s, struct bb_buf *out, int status, const char *ctype,
                const char *body, const char *extra, int close)
{
    size_t blen = body ? strlen(body) : 0;
    int rc = bb_buf_printf(out, "HTTP/1.1 %d %s\r\n", status, fh_status_text(status));
    if (rc == BB_OK && s->o.name)
        rc = bb_buf_printf(out, "Server: %s\r\n", s->o.name);
    if (rc == BB_OK)
        rc = bb_buf_printf(out, "Content-Type: %s\r\nContent-Length: %zu\r\n", ctype, blen);
    if (rc == BB_OK && extra)
        rc = bb_buf_puts(out, extra);
    if (rc == BB_OK)
        rc = bb_buf_puts(out,
                         close ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n");
    if (rc == BB_OK && blen)
        rc = bb_buf_append(out, body, blen);
    return rc;
}

/* --------------------------------------------------------- connections */

static void timed_unlink(struct fh_conn *c)
{
    struct fh_server *s = c->srv;
    if (c->tprev)
        c->tprev->tnext = c->tnext;
    else if (s->timed == c)
        s->timed = c->tnext;
    if (c->tnext)
        c->tnext->tprev = c->tprev;
    c->tnext = c->tprev = NULL;
}

void fh_park(struct fh_conn *c, int how, int64_t deadline_ms)
{
    struct fh_server *s = c->srv;
    if (c->park)
        timed_unlink(c);
    c->park = how;
    c->deadline_ms = deadline_ms;
    c->tprev = NULL;
    c->tnext = s->timed;
    if (s->timed)
        s->timed->tprev = c;
    s->timed = c;
}

void fh_unpark(struct fh_conn *c)
{
    if (!c->park)
        return;
    timed_unlink(c);
    c->park = FH_PARK_NONE;
}

void fh_close(struct fh_conn *c)
{
    struct fh_server *s = c->srv;
    if (c->dead)
        return;
    c->dead = 1;
    epoll_ctl(s->ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = -1;
    if (c->park)
        timed_unlink(c);
    c->park = FH_PARK_NONE;
    if (c->aprev)
        c->aprev->anext = c->anext;
    else
        s->all = c->anext;
    if (c->anext)
        c->anext->aprev = c->aprev;
    c->dnext = s->dead;
    s->dead = c;
    s->nconns--;
    if (s->ops->closing)
        s->ops->closing(s->app, c);
}

static void conn_free(struct fh_conn *c)
{
    if (!c)
        return;
    bb_buf_free(&c->in);
    bb_buf_free(&c->out);
    bb_buf_free(&c->body);
    bb_buf_free(&c->held);
    free(c);
}

static struct fh_conn *conn_new(struct fh_server *s, int fd, int kind)
{
    struct fh_conn *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->srv = s;
    c->fd = fd;
    c->kind = kind;
    bb_buf_init(&c->in, s->o.max_body + s->o.max_head + 64 * 1024);
    bb_buf_init(&c->out, s->o.out_cap);
    bb_buf_init(&c->body, s->o.max_body);
    bb_buf_init(&c->held, s->o.out_cap);
    c->events = EPOLLIN | EPOLLRDHUP;
    struct epoll_event ev = {.events = c->events, .data.ptr = c};
    if (epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
        conn_free(c);
        return NULL;
    }
    s->nconns++;
    c->anext = s->all;
    if (s->all)
        s->all->aprev = c;
    s->all = c;
    return c;
}

static void conn_events(struct fh_conn *c)
{
    if (c->dead)
        return;
    uint32_t want = EPOLLRDHUP;
    if (c->in.len < c->in.cap)
        want |= EPOLLIN;
    if (c->out.len > c->out_off || c->connecting)
        want |= EPOLLOUT;
    if (want == c->events)
        return;
    struct epoll_event ev = {.events = want, .data.ptr = c};
    if (epoll_ctl(c->srv->ep, EPOLL_CTL_MOD, c->fd, &ev) == 0)
        c->events = want;
}

void fh_flush(struct fh_conn *c)
{
    while (!c->dead && !c->connecting && c->out.len > c->out_off) {
        ssize_t w = send(c->fd, c->out.data + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                fh_close(c);
            break;
        }
        c->out_off += (size_t)w;
    }
    if (c->dead)
        return;
    if (c->out_off == c->out.len) {
        bb_buf_reset(&c->out);
        c->out_off = 0;
        if (c->close_after) {
            fh_close(c);
            return;
        }
    }
    conn_events(c);
}

void fh_resume(struct fh_conn *c)
{
    if (c->in_ready)
        return;
    c->in_ready = 1;
    c->rnext = c->srv->ready;
    c->srv->ready = c;
}

void fh_respond(struct fh_conn *c, const struct fh_req *r, int status, const char *ctype,
                const char *body, const char *extra)
{
    if (fh_response(c->srv, &c->out, status, ctype, body, extra, !r->keep_alive) != BB_OK) {
        fh_close(c);
        return;
    }
    if (!r->keep_alive)
        c->close_after = 1;
}

void fh_hold(struct fh_conn *c, const struct fh_req *r, long long delay_ms, int status,
             const char *ctype, const char *body, const char *extra)
{
    if (fh_response(c->srv, &c->held, status, ctype, body, extra, !r->keep_alive) != BB_OK) {
        fh_close(c);
        return;
    }
    c->park_close = !r->keep_alive;
    fh_park(c, FH_PARK_HELD, bb_mono_ms() + delay_ms);
}

struct fh_conn *fh_connect(struct fh_server *s, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return NULL;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int r = connect(fd, (struct sockaddr *)&a, sizeof(a));
    if (r < 0 && errno != EINPROGRESS) {
        close(fd);
        return NULL;
    }
    struct fh_conn *c = conn_new(s, fd, FH_CONN_CLIENT);
    if (!c) {
        close(fd);
        return NULL;
    }
    c->connecting = r < 0;
    conn_events(c);
    return c;
}

/* ---------------------------------------------------------------- HTTP */

static void expect_continue(struct fh_conn *c, int expect)
{
    if (expect && !c->sent_continue) {
        c->sent_continue = 1;
        bb_buf_puts(&c->out, "HTTP/1.1 100 Continue\r\n\r\n");
    }
}

/* Parses one request from c->in. 1 complete, 0 incomplete, or a negative
 * HTTP status for a request that cannot be served. */
static int http_parse(struct fh_conn *c, struct fh_req *r)
{
    const struct fh_opts *o = &c->srv->o;
    const char *d = c->in.data + c->in_off;
    size_t avail = c->in.len - c->in_off;
    const char *hend = fh_memmem(d, avail < o->max_head ? avail : o->max_head, "\r\n\r\n", 4);
    if (!hend)
        return avail >= o->max_head ? -431 : 0;
    size_t hlen = (size_t)(hend - d) + 4;
    const char *eol = fh_memmem(d, hlen, "\r\n", 2);
    const char *sp1 = memchr(d, ' ', (size_t)(eol - d));
    const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
    if (!sp1 || !sp2 || (size_t)(sp1 - d) >= sizeof(r->method))
        return -400;
    if ((size_t)(sp2 - sp1 - 1) >= sizeof(r->target))
        return -414;
    memcpy(r->method, d, (size_t)(sp1 - d));
    r->method[sp1 - d] = '\0';
    memcpy(r->target, sp1 + 1, (size_t)(sp2 - sp1 - 1));
    r->target[sp2 - sp1 - 1] = '\0';
    int http10 = (size_t)(eol - sp2 - 1) == 8 && !memcmp(sp2 + 1, "HTTP/1.0", 8);
    if ((size_t)(eol - sp2 - 1) != 8 || memcmp(sp2 + 1, "HTTP/1.", 7))
        return -400;
    r->head = d;
    r->head_len = hlen;
    r->keep_alive = !http10;
    r->ctype[0] = '\0';
    long long clen = -1;
    int chunked = 0, expect = 0;
    const char *line = eol + 2;
    while (line < hend + 2) {
        const char *le = fh_memmem(line, (size_t)(hend + 2 - line), "\r\n", 2);
        if (!le || le == line)
            break;
        const char *colon = memchr(line, ':', (size_t)(le - line));
        if (!colon)
            return -400;
        size_t nl = (size_t)(colon - line);
        const char *v = colon + 1;
        while (v < le && (*v == ' ' || *v == '\t'))
            v++;
        size_t vl = (size_t)(le - v);
        while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
            vl--;
        char val[512];
        size_t cp = vl < sizeof(val) - 1 ? vl : sizeof(val) - 1;
        memcpy(val, v, cp);
        val[cp] = '\0';
        if (nl == 14 && !strncasecmp(line, "content-length", 14)) {
            if (bb_parse_ll(val, 0, INT64_MAX / 2, &clen) != BB_OK)
                return -400;
        } else if (nl == 12 && !strncasecmp(line, "content-type", 12)) {
            bb_strlcpy(r->ctype, val, sizeof(r->ctype));
        } else if (nl == 17 && !strncasecmp(line, "transfer-encoding", 17)) {
            chunked = strcasestr(val, "chunked") != NULL;
        } else if (nl == 10 && !strncasecmp(line, "connection", 10)) {
            if (strcasestr(val, "close"))
                r->keep_alive = 0;
            else if (strcasestr(val, "keep-alive"))
                r->keep_alive = 1;
        } else if (nl == 6 && !strncasecmp(line, "expect", 6)) {
            expect = strcasestr(val, "100-continue") != NULL;
        }
        line = le + 2;
    }
    if (!chunked && clen > (long long)o->max_body)
        return -413;
    size_t have = avail - hlen;
    if (chunked) {
        long used = fh_dechunk(d + hlen, have, o->max_body, &c->body);
        if (used == -2)
            return -413;
        if (used < 0)
            return -400;
        if (used == 0) {
            expect_continue(c, expect);
            return 0;
        }
        r->body = c->body.data ? c->body.data : "";
        r->body_len = c->body.len;
        r->total = hlen + (size_t)used;
        return 1;
    }
    if (clen < 0)
        clen = 0;
    if (have < (size_t)clen) {
        expect_continue(c, expect);
        return 0;
    }
    r->body = d + hlen;
    r->body_len = (size_t)clen;
    r->total = hlen + (size_t)clen;
    return 1;
}

/* Serves what is buffered on c until it parks, must wait, or is closed. */
static void conn_process(struct fh_conn *c)
{
    struct fh_server *s = c->srv;
    while (!c->dead && !c->park && !c->close_after && c->out.len - c->out_off < s->o.out_pause &&
           c->in.len > c->in_off) {
        struct fh_req r;
        int rc = http_parse(c, &r);
        if (rc == 0)
            break;
        if (rc < 0) {
            if (s->ops->refuse)
                s->ops->refuse(s->app, c, -rc);
            else if (fh_response(s, &c->out, -rc, "application/json", "{}", NULL, 1) != BB_OK)
                fh_close(c);
            c->close_after = 1;
            break;
        }
        s->ops->request(s->app, c, &r);
        if (c->dead)
            return;
        c->in_off += r.total;
        c->sent_continue = 0;
    }
    if (c->in_off == c->in.len) {
        bb_buf_reset(&c->in);
        c->in_off = 0;
    } else if (c->in_off > 0 && (c->in_off > c->in.len / 2 || c->in.len >= c->in.cap)) {
        memmove(c->in.data, c->in.data + c->in_off, c->in.len - c->in_off);
        c->in.len -= c->in_off;
        c->in.data[c->in.len] = '\0';
        c->in_off = 0;
    }
    fh_flush(c);
}

/* ---------------------------------------------------------------- loop */

static void accept_all(struct fh_server *s)
{
    for (;;) {
        int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        if (s->nconns >= s->o.max_conns) {
            close(fd);
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (!conn_new(s, fd, FH_CONN_SERVER))
            close(fd);
    }
}

static void conn_read(struct fh_conn *c)
{
    for (int i = 0; i < 8; i++) {
        char tmp[65536];
        size_t room = c->in.cap - c->in.len;
        if (!room)
            return;
        ssize_t r = recv(c->fd, tmp, room < sizeof(tmp) ? room : sizeof(tmp), 0);
        if (r > 0) {
            if (bb_buf_append(&c->in, tmp, (size_t)r) != BB_OK) {
                fh_close(c);
                return;
            }
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            fh_close(c);
        return;
    }
}

/* Parked connections whose deadline has passed. */
static void deadlines(struct fh_server *s, int64_t now)
{
    struct fh_conn *c = s->timed, *next;
    for (; c; c = next) {
        next = c->tnext;
        if (c->deadline_ms > now)
            continue;
        if (c->park == FH_PARK_WAIT) {
            if (s->ops->expired)
                s->ops->expired(s->app, c);
            else
                fh_unpark(c);
        } else if (c->park == FH_PARK_HELD) {
            fh_unpark(c);
            if (bb_buf_append(&c->out, c->held.data, c->held.len) != BB_OK) {
                fh_close(c);
                continue;
            }
            bb_buf_reset(&c->held);
            if (c->park_close)
                c->close_after = 1;
            fh_flush(c);
            if (!c->dead)
                fh_resume(c);
        }
    }
}

static int next_timeout(struct fh_server *s)
{
    int64_t now = bb_mono_ms(), t = now + 1000;
    for (struct fh_conn *c = s->timed; c; c = c->tnext)
        if (c->deadline_ms < t)
            t = c->deadline_ms;
    if (s->ops->next_due)
        t = s->ops->next_due(s->app, t);
    return t <= now ? 0 : (int)(t - now);
}

void fh_run(struct fh_server *s, volatile sig_atomic_t *stop)
{
    struct epoll_event evs[256];
    while (!*stop) {
        int n = epoll_wait(s->ep, evs, 256, next_timeout(s));
        if (n < 0 && errno != EINTR)
            break;
        for (int i = 0; i < n; i++) {
            struct fh_conn *c = evs[i].data.ptr;
            uint32_t ev = evs[i].events;
            if (!c) {
                accept_all(s);
                continue;
            }
            if (c->dead)
                continue;
            if (c->kind == FH_CONN_CLIENT) {
                if (s->ops->client_event)
                    s->ops->client_event(s->app, c, ev);
                continue;
            }
            if (ev & (EPOLLIN | EPOLLHUP | EPOLLERR))
                conn_read(c);
            else if ((ev & EPOLLRDHUP) && c->in.len >= c->in.cap)
                fh_close(c);
            if (!c->dead && (ev & EPOLLOUT))
                fh_flush(c);
            if (!c->dead)
                conn_process(c);
        }
        int64_t now = bb_mono_ms();
        deadlines(s, now);
        if (s->ops->tick)
            s->ops->tick(s->app, now);
        while (s->ready) {
            struct fh_conn *c = s->ready;
            s->ready = c->rnext;
            c->in_ready = 0;
            if (!c->dead)
                conn_process(c);
        }
        if (s->ops->turn_end)
            s->ops->turn_end(s->app);
        while (s->dead) {
            struct fh_conn *c = s->dead;
            s->dead = c->dnext;
            conn_free(c);
        }
    }
}

/* -------------------------------------------------------------- server */

int fh_server_new(const struct fh_opts *o, const struct fh_ops *ops, void *app, long long port,
                  struct fh_server **out)
{
    struct fh_server *s = calloc(1, sizeof(*s));
    *out = NULL;
    if (!s)
        return BB_ENOMEM;
    s->o = *o;
    if (!s->o.max_head)
        s->o.max_head = 16 * 1024;
    if (!s->o.max_body)
        s->o.max_body = 1024 * 1024;
    if (!s->o.out_cap)
        s->o.out_cap = 96u * 1024 * 1024;
    if (!s->o.out_pause)
        s->o.out_pause = 1024 * 1024;
    if (!s->o.max_conns)
        s->o.max_conns = 20000;
    s->ops = ops;
    s->app = app;
    s->lfd = -1;
    s->ep = epoll_create1(EPOLL_CLOEXEC);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    if (s->ep < 0 || fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 4096) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) < 0 ||
        epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        fh_server_free(s);
        errno = e;
        return BB_EIO;
    }
    s->lfd = fd;
    s->port = ntohs(a.sin_port);
    *out = s;
    return BB_OK;
}

void fh_server_free(struct fh_server *s)
{
    if (!s)
        return;
    while (s->all)
        fh_close(s->all);
    while (s->dead) {
        struct fh_conn *c = s->dead;
        s->dead = c->dnext;
        conn_free(c);
    }
    if (s->lfd >= 0)
        close(s->lfd);
    if (s->ep >= 0)
        close(s->ep);
    free(s);
}

int fh_port(const struct fh_server *s)
{
    return s->port;
}

size_t fh_nconns(const struct fh_server *s)
{
    return s->nconns;
}

int fh_write_port_file(const struct fh_server *s, const char *path)
{
    char tmp[1024];
    if (bb_snprintf(tmp, sizeof(tmp), "%s.tmp", path) != BB_OK)
        return BB_EINVAL;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return BB_EIO;
    int bad = fprintf(f, "%d\n", s->port) < 0;
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        unlink(tmp);
        return BB_EIO;
    }
    return BB_OK;
}
