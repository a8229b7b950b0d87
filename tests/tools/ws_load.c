/*
 * ws_load.c - a load client for the web chat (docs/benchmarks.md, "Web
 * chat"): opens N sessions to a `bimbing serve` on 127.0.0.1 the way
 * web/app.js does, keeps them open, then sends messages at a steady rate
 * spread across them and measures, per message, the time from the send to
 * the bot's reply. Not for production use; benchmarks and tests only.
 *
 *   ws_load --port P --codes FILE --sessions N [--rate M] [--duration S]
 *           [--messages K] [--text T] [--pid PID] [--setup-conc C] [--timeout S]
 *
 * Without --messages the load lasts --duration seconds (plus one); with it,
 * exactly K messages go out at most M a second, however long that takes
 * within --timeout (for tests: a slow server, e.g. under ASan, still gets
 * every message).
 *
 * One session: POST /api/v1/webchat/signin {"code":...} (the cookie comes
 * back), GET /ws with that cookie, {"type":"resume","watermark":"0"} like
 * the page sends on open; the session is ready once the replay has ended
 * ("resumed") and a question with buttons has arrived (the onboarding's
 * first one). Each sign-in carries its own X-Forwarded-For address
 * (10.x.y.z), so serve must run with http.trusted_proxy "127.0.0.1": the
 * per-address limits of the sign-in then apply per simulated browser.
 * During the load each message is {"type":"message","id":..,"text":T}; a
 * session has at most one message waiting for its reply, and the reply is
 * the first "activities" frame after the send. The default text "halo"
 * during the onboarding's first question gets exactly one reply (the
 * question again) and leaves the state as it was.
 *
 * A hand-written client over plain non-blocking sockets and one epoll
 * loop (one thread, no libwebsockets): ten thousand connections cost a few
 * hundred bytes each here, so the client is never what is measured. It
 * answers pings like a browser and does not check Sec-WebSocket-Accept
 * (wsclient.c does, for the tests).
 *
 * Bounded: every phase has a deadline (--timeout, default 300 s, for all
 * of it); a reply not in within 10 s counts as timed out. Prints one JSON
 * line: sessions open, setup time, sent, replied, errors, p50/p99/max
 * reply latency in ms, the rate reached and serve's VmRSS/VmHWM (from
 * /proc/PID/status) when all were connected and at the end. Exit 0 when
 * every session opened and every message got its reply, else 1 (2: usage).
 */
#define _GNU_SOURCE /* memmem */
#include "bot/base/bb.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WL_MAX_SESSIONS 100000
#define WL_RBUF         16384 /* bytes buffered per connection (one frame at most) */
#define WL_REPLY_MS     10000 /* a reply later than this: timed out */
#define WL_CODE_MAX     32

enum wl_state {
    WL_IDLE = 0, /* not started */
    WL_SIGNIN,   /* POST sent, reading the answer */
    WL_WS_HS,    /* upgrade sent, reading the 101 */
    WL_WS_OPEN,  /* websocket open, waiting to be ready */
    WL_READY,    /* ready for load */
    WL_FAILED,   /* gave up (counted) */
};

struct wl_sess {
    int fd;
    enum wl_state st;
    char code[WL_CODE_MAX];
    char cookie[80]; /* bb_web=<64 hex> */
    int resumed, asked;
    int64_t sent_us; /* 0: nothing waiting */
    char *rbuf;      /* WL_RBUF bytes while connected */
    size_t rlen;
};

struct wl {
    int port, ep, nsess, setup_conc, active_setup;
    struct wl_sess *s;
    const char *text;
    long long sent, replied, errors, timeouts, closed, frames;
    int64_t *lat; /* microseconds, one per reply */
    long long nlat, maxlat;
    int nready, nfailed; /* sessions ready for load; given up */
    int next_setup;
};

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long proc_kb(int pid, const char *key)
{
    char path[64], line[256];
    long v = 0;
    size_t kl = strlen(key);
    if (pid <= 0)
        return 0;
    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, key, kl) == 0 && line[kl] == ':')
            v = strtol(line + kl + 1, NULL, 10);
    fclose(f);
    return v;
}

/* utime + stime of a process in clock ticks (/proc/PID/stat), 0 if unknown. */
static long long proc_cpu(int pid)
{
    char path[64], buf[1024];
    long long ut = 0, st = 0;
    if (pid <= 0)
        return 0;
    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')'); /* the name may hold spaces */
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld", &ut, &st) != 2)
        return 0;
    return ut + st;
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    int spins = 0;
    while (n) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w > 0) {
            c += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && (errno == EAGAIN || errno == EINTR) && ++spins < 1000) {
            usleep(100); /* a full socket buffer: our frames are small, rare */
            continue;
        }
        return -1;
    }
    return 0;
}

static void sess_close(struct wl *w, struct wl_sess *s)
{
    if (s->fd >= 0) {
        epoll_ctl(w->ep, EPOLL_CTL_DEL, s->fd, NULL);
        close(s->fd);
    }
    s->fd = -1;
    s->rlen = 0;
}

static void sess_fail(struct wl *w, struct wl_sess *s, const char *why)
{
    static int shown;
    if (shown++ < 5)
        fprintf(stderr, "ws_load: session %ld: %s\n", (long)(s - w->s), why);
    if (s->st != WL_READY)
        w->active_setup--;
    else
        w->nready--;
    w->nfailed++;
    if (s->sent_us)
        w->errors++;
    s->sent_us = 0;
    s->st = WL_FAILED;
    sess_close(w, s);
    free(s->rbuf);
    s->rbuf = NULL;
}

static int sess_connect(struct wl *w, struct wl_sess *s)
{
    struct sockaddr_in a;
    int one = 1;
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (s->fd < 0)
        return -1;
    setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)w->port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* blocking connect to the loopback: immediate, keeps the code simple */
    if (connect(s->fd, (struct sockaddr *)&a, sizeof(a)) != 0)
        return -1;
    fcntl(s->fd, F_SETFL, fcntl(s->fd, F_GETFL) | O_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = s};
    return epoll_ctl(w->ep, EPOLL_CTL_ADD, s->fd, &ev);
}

static void xff_of(const struct wl *w, const struct wl_sess *s, char *out, size_t n)
{
    long i = (long)(s - w->s) + 1;
    snprintf(out, n, "10.%ld.%ld.%ld", (i >> 16) & 255, (i >> 8) & 255, i & 255);
}

static void start_signin(struct wl *w, struct wl_sess *s)
{
    char req[1024], body[128], xff[32];
    w->active_setup++;
    s->rbuf = malloc(WL_RBUF);
    if (!s->rbuf || sess_connect(w, s) != 0) {
        sess_fail(w, s, "cannot connect");
        return;
    }
    xff_of(w, s, xff, sizeof(xff));
    snprintf(body, sizeof(body), "{\"code\":\"%s\"}", s->code);
    snprintf(req, sizeof(req),
             "POST /api/v1/webchat/signin HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n"
             "X-Forwarded-For: %s\r\nConnection: close\r\n\r\n%s",
             w->port, strlen(body), xff, body);
    s->st = WL_SIGNIN;
    if (write_all(s->fd, req, strlen(req)) != 0)
        sess_fail(w, s, "sign-in not sent");
}

static void start_ws(struct wl *w, struct wl_sess *s)
{
    char req[1024], xff[32];
    sess_close(w, s);
    if (sess_connect(w, s) != 0) {
        sess_fail(w, s, "cannot connect (websocket)");
        return;
    }
    xff_of(w, s, xff, sizeof(xff));
    snprintf(req, sizeof(req),
             "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
             "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
             "Sec-WebSocket-Version: 13\r\nCookie: %s\r\nX-Forwarded-For: %s\r\n\r\n",
             w->port, s->cookie, xff);
    s->st = WL_WS_HS;
    if (write_all(s->fd, req, strlen(req)) != 0)
        sess_fail(w, s, "upgrade not sent");
}

/* A masked client frame (RFC 6455 5.3; a zero mask is a valid one). */
static int send_frame(struct wl_sess *s, int opcode, const char *msg, size_t n)
{
    unsigned char f[1024];
    size_t h;
    if (n > sizeof(f) - 8)
        return -1;
    f[0] = (unsigned char)(0x80 | opcode);
    if (n < 126) {
        f[1] = (unsigned char)(0x80 | n);
        h = 2;
    } else {
        f[1] = 0x80 | 126;
        f[2] = (unsigned char)(n >> 8);
        f[3] = (unsigned char)n;
        h = 4;
    }
    memset(f + h, 0, 4);
    memcpy(f + h + 4, msg, n);
    return write_all(s->fd, f, h + 4 + n);
}

static int send_text(struct wl_sess *s, const char *msg)
{
    return send_frame(s, 1, msg, strlen(msg));
}

static void on_frame(struct wl *w, struct wl_sess *s, const char *p, size_t n)
{
    w->frames++;
    if (n >= 14 && memcmp(p, "{\"activities\"", 13) == 0) {
        if (s->sent_us) {
            int64_t d = now_us() - s->sent_us;
            w->lat[w->nlat++] = d;
            if (d > w->maxlat)
                w->maxlat = d;
            w->replied++;
            s->sent_us = 0;
        } else if (memmem(p, n, "\"suggestedActions\"", 18)) {
            s->asked = 1;
        }
    } else if (memmem(p, n, "\"type\":\"resumed\"", 16)) {
        s->resumed = 1;
    } else if (memmem(p, n, "\"type\":\"error\"", 14)) {
        char why[160];
        snprintf(why, sizeof(why), "error frame %.*s", (int)(n < 120 ? n : 120), p);
        if (s->st == WL_READY && s->sent_us) {
            w->errors++;
            s->sent_us = 0;
            fprintf(stderr, "ws_load: %s\n", why);
        } else if (s->st != WL_READY) {
            sess_fail(w, s, why);
            return;
        }
    } else if (memmem(p, n, "\"type\":\"hello\"", 14)) {
        if (send_text(s, "{\"type\":\"resume\",\"watermark\":\"0\"}") != 0)
            sess_fail(w, s, "resume not sent");
        return;
    }
    if (s->st == WL_WS_OPEN && s->resumed && s->asked) {
        s->st = WL_READY;
        w->active_setup--;
        w->nready++;
    }
}

/* Read what is there; complete frames are handled and consumed. */
static void on_readable(struct wl *w, struct wl_sess *s)
{
    for (int rounds = 0; rounds < 64 && s->fd >= 0; rounds++) {
        if (s->rlen == WL_RBUF) {
            sess_fail(w, s, "frame larger than the client's buffer");
            return;
        }
        ssize_t r = recv(s->fd, s->rbuf + s->rlen, WL_RBUF - s->rlen - 1, 0);
        if (r == 0) {
            if (s->st == WL_SIGNIN)
                break; /* the answer is complete: handled below */
            w->closed++;
            sess_fail(w, s, "closed by the server");
            return;
        }
        if (r < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return;
            sess_fail(w, s, "read error");
            return;
        }
        s->rlen += (size_t)r;
        s->rbuf[s->rlen] = 0;
        if (s->st == WL_SIGNIN)
            continue; /* read to the server's close (Connection: close) */
        if (s->st == WL_WS_HS) {
            char *end = strstr(s->rbuf, "\r\n\r\n");
            if (!end)
                continue;
            if (strncmp(s->rbuf, "HTTP/1.1 101", 12) != 0) {
                sess_fail(w, s, "upgrade refused");
                return;
            }
            size_t hl = (size_t)(end - s->rbuf) + 4;
            memmove(s->rbuf, s->rbuf + hl, s->rlen - hl);
            s->rlen -= hl;
            s->st = WL_WS_OPEN;
        }
        for (;;) { /* frames from the server: never masked */
            unsigned char *b = (unsigned char *)s->rbuf;
            size_t h = 2, len;
            if (s->rlen < 2)
                break;
            len = b[1] & 0x7f;
            if (len == 126) {
                if (s->rlen < 4)
                    break;
                len = ((size_t)b[2] << 8) | b[3];
                h = 4;
            } else if (len == 127) {
                sess_fail(w, s, "frame over 64 KiB");
                return;
            }
            if (h + len > WL_RBUF - 1) {
                sess_fail(w, s, "frame larger than the client's buffer");
                return;
            }
            if (s->rlen < h + len)
                break;
            int op = b[0] & 0x0f;
            if (op == 8) {
                w->closed++;
                sess_fail(w, s, "close frame");
                return;
            }
            if (op == 1 && (b[0] & 0x80))
                on_frame(w, s, s->rbuf + h, len);
            else if (op == 9 && send_frame(s, 10, s->rbuf + h, len) != 0) {
                /* lws pings an idle connection (after 5 minutes) and
                 * closes it without a pong, as a browser would answer */
                sess_fail(w, s, "pong not sent");
                return;
            }
            if (s->fd < 0)
                return;
            memmove(s->rbuf, s->rbuf + h + len, s->rlen - h - len);
            s->rlen -= h + len;
        }
    }
    if (s->fd >= 0 && s->st == WL_SIGNIN) {
        char *c = strstr(s->rbuf, "bb_web=");
        if (strncmp(s->rbuf, "HTTP/1.1 202", 12) != 0 || !c || strlen(c) < 7 + 64) {
            char why[96];
            snprintf(why, sizeof(why), "sign-in refused: %.60s", s->rbuf);
            sess_fail(w, s, why);
            return;
        }
        snprintf(s->cookie, sizeof(s->cookie), "%.71s", c);
        start_ws(w, s);
    }
}

static void poll_once(struct wl *w, int ms)
{
    struct epoll_event evs[256];
    int n = epoll_wait(w->ep, evs, 256, ms);
    for (int i = 0; i < n; i++) {
        struct wl_sess *s = evs[i].data.ptr;
        if (s->fd >= 0)
            on_readable(w, s);
    }
}

static int read_codes(const char *path, struct wl *w)
{
    FILE *f = fopen(path, "r");
    char line[256];
    int n = 0;
    if (!f)
        return -1;
    while (n < w->nsess && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n,")] = 0;
        if (!line[0])
            continue;
        snprintf(w->s[n].code, WL_CODE_MAX, "%.31s", line);
        n++;
    }
    fclose(f);
    return n;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    struct wl w;
    const char *codes = NULL;
    long long port = 0, n = 0, rate = 100, dur = 10, pid = 0, conc = 32, tmo = 300, msgs = -1;
    memset(&w, 0, sizeof(w));
    w.text = "halo";
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        int ok = 1;
        if (strcmp(k, "--port") == 0)
            ok = bb_parse_ll(v, 1, 65535, &port) == BB_OK;
        else if (strcmp(k, "--codes") == 0)
            codes = v;
        else if (strcmp(k, "--sessions") == 0)
            ok = bb_parse_ll(v, 1, WL_MAX_SESSIONS, &n) == BB_OK;
        else if (strcmp(k, "--rate") == 0)
            ok = bb_parse_ll(v, 0, 100000, &rate) == BB_OK;
        else if (strcmp(k, "--duration") == 0)
            ok = bb_parse_ll(v, 0, 3600, &dur) == BB_OK;
        else if (strcmp(k, "--messages") == 0)
            ok = bb_parse_ll(v, 0, 10000000, &msgs) == BB_OK;
        else if (strcmp(k, "--pid") == 0)
            ok = bb_parse_ll(v, 0, 1 << 30, &pid) == BB_OK;
        else if (strcmp(k, "--setup-conc") == 0)
            ok = bb_parse_ll(v, 1, 10000, &conc) == BB_OK;
        else if (strcmp(k, "--timeout") == 0)
            ok = bb_parse_ll(v, 1, 7200, &tmo) == BB_OK;
        else if (strcmp(k, "--text") == 0 && strlen(v) > 0 && strlen(v) < 200 &&
                 !strpbrk(v, "\"\\"))
            w.text = v;
        else
            ok = 0;
        if (!ok)
            codes = NULL, i = argc;
    }
    if (!codes || !port || !n) {
        fprintf(stderr, "usage: ws_load --port P --codes FILE --sessions N [--rate M] "
                        "[--duration S] [--messages K] [--text T] [--pid PID] [--setup-conc C] "
                        "[--timeout S]\n");
        return 2;
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)n + 16) {
        fprintf(stderr, "ws_load: %lld sessions need more open files than the limit (%llu)\n", n,
                (unsigned long long)rl.rlim_cur);
        return 1;
    }
    w.port = (int)port;
    w.nsess = (int)n;
    w.setup_conc = (int)conc;
    w.s = calloc((size_t)n, sizeof(*w.s));
    long long due_total = msgs >= 0 ? msgs : rate * dur;
    w.lat = calloc((size_t)(due_total + 1), sizeof(*w.lat));
    w.ep = epoll_create1(0);
    if (!w.s || !w.lat || w.ep < 0)
        return 1;
    for (int i = 0; i < w.nsess; i++)
        w.s[i].fd = -1;
    if (read_codes(codes, &w) != w.nsess) {
        fprintf(stderr, "ws_load: %s has fewer than %lld codes\n", codes, n);
        return 1;
    }
    int64_t t0 = now_us(), deadline = t0 + tmo * 1000000LL;

    /* 1. set-up: at most --setup-conc sessions between sign-in and ready */
    int ready = 0, failed = 0;
    while (now_us() < deadline) {
        while (w.next_setup < w.nsess && w.active_setup < w.setup_conc)
            start_signin(&w, &w.s[w.next_setup++]);
        poll_once(&w, 5);
        ready = w.nready;
        failed = w.nfailed;
        if (ready + failed == w.nsess)
            break;
    }
    int64_t t_setup = now_us();
    long rss_open = proc_kb((int)pid, "VmRSS");
    long long cpu0 = proc_cpu((int)pid);

    /* 2. load: `rate` messages a second, each to the next idle session */
    int64_t load_end = t_setup + dur * 1000000LL;
    long long msg = 0;
    int rr = 0;
    char frame[512];
    while (ready > 0 && w.sent < due_total && (msgs >= 0 || now_us() < load_end + 1000000) &&
           now_us() < deadline) {
        int64_t t = now_us();
        long long due = (long long)((double)(t - t_setup) * (double)rate / 1e6);
        if (due > due_total)
            due = due_total;
        while (w.sent < due) {
            int tries = 0;
            struct wl_sess *s = NULL;
            while (tries++ < w.nsess) {
                struct wl_sess *c = &w.s[rr];
                rr = (rr + 1) % w.nsess;
                if (c->st == WL_READY && !c->sent_us) {
                    s = c;
                    break;
                }
            }
            if (!s)
                break; /* every session is waiting for a reply */
            snprintf(frame, sizeof(frame),
                     "{\"type\":\"message\",\"id\":\"l%lld\",\"text\":\"%s\"}", ++msg, w.text);
            s->sent_us = now_us();
            w.sent++;
            if (send_text(s, frame) != 0)
                sess_fail(&w, s, "message not sent");
        }
        poll_once(&w, 1);
    }
    int64_t t_sent = now_us();
    /* 3. wait for the last replies (bounded) */
    for (;;) {
        int waiting = 0;
        int64_t t = now_us();
        for (int i = 0; i < w.nsess; i++) {
            if (!w.s[i].sent_us)
                continue;
            if (t - w.s[i].sent_us > WL_REPLY_MS * 1000LL || t > deadline) {
                w.timeouts++;
                w.s[i].sent_us = 0;
            } else {
                waiting++;
            }
        }
        if (!waiting)
            break;
        poll_once(&w, 10);
    }
    long rss_end = proc_kb((int)pid, "VmRSS"), hwm = proc_kb((int)pid, "VmHWM");
    double cpu_load_s = (double)(proc_cpu((int)pid) - cpu0) / (double)sysconf(_SC_CLK_TCK);
    qsort(w.lat, (size_t)w.nlat, sizeof(*w.lat), cmp_i64);
    double p50 = w.nlat ? (double)w.lat[w.nlat / 2] / 1000.0 : 0;
    double p99 = w.nlat ? (double)w.lat[(w.nlat * 99) / 100] / 1000.0 : 0;
    double send_s = (double)(t_sent - t_setup) / 1e6;
    printf("{\"bench\":\"webchat\",\"sessions\":%d,\"open\":%d,\"failed\":%d,\"setup_s\":%.1f,"
           "\"rate_asked\":%lld,\"rate_sent\":%.0f,\"sent\":%lld,\"replied\":%lld,"
           "\"errors\":%lld,\"timed_out\":%lld,\"closed\":%lld,\"reply_p50_ms\":%.1f,"
           "\"reply_p99_ms\":%.1f,\"reply_max_ms\":%.1f,\"serve_rss_open_kb\":%ld,"
           "\"serve_rss_end_kb\":%ld,\"serve_hwm_kb\":%ld,\"serve_cpu_load_s\":%.2f,"
           "\"serve_cpu_us_per_msg\":%.0f}\n",
           w.nsess, ready, failed, (double)(t_setup - t0) / 1e6, rate,
           send_s > 0 ? (double)w.sent / send_s : 0, w.sent, w.replied, w.errors, w.timeouts,
           w.closed, p50, p99, (double)w.maxlat / 1000.0, rss_open, rss_end, hwm, cpu_load_s,
           w.replied ? cpu_load_s * 1e6 / (double)w.replied : 0);
    int ok = ready == w.nsess && w.replied == w.sent && w.sent == due_total;
    for (int i = 0; i < w.nsess; i++) {
        sess_close(&w, &w.s[i]);
        free(w.s[i].rbuf);
    }
    close(w.ep);
    free(w.s);
    free(w.lat);
    return ok ? 0 : 1;
}
