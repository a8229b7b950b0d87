/*
 * wa_load.c - a load client for WhatsApp webhooks, for tests and
 * benchmarks only (tests/e2e/webhook_load_wa.test.sh, bench/webhook.sh).
 * It plays Meta: USERS people each send MESSAGES texts ("urutan 1",
 * "urutan 2", ...) as signed webhook POSTs (X-Hub-Signature-256) to
 * 127.0.0.1:PORT over CONNS keep-alive connections at once, one person's
 * next message only after the previous was answered 2xx (as Meta delivers
 * one conversation's messages in order). A non-2xx answer or a connection
 * error is retried after RETRY_MS, as Meta retries, until --timeout-s.
 * GAP_MS: a person's pause between one message answered and the next (a
 * load that lasts long enough for a test to kill the service during it).
 *
 *   wa_load --port P --secret S [--users 100] [--messages 5] [--conns 40]
 *           [--base 628100000000] [--timeout-s 120] [--retry-ms 100]
 *           [--gap-ms 0] [--acked FILE]
 *
 * --acked FILE gets one line per message answered 2xx ("wamid.load.U.I"),
 * written at once, in the order of the answers. Prints one JSON line:
 * messages answered 2xx, retries by cause, elapsed ms, messages/s and the
 * answer latency (p50/p99 ms). Exit 0 when every message was answered 2xx,
 * 3 on timeout.
 *
 * One thread, poll(); every buffer bounded; nothing leaves 127.0.0.1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "bot/base/bb.h"

#define WL_CONNS_MAX 256
#define WL_REQ_MAX   4096
#define WL_RESP_MAX  8192

struct wl_user {
    int next;    /* messages answered 2xx so far */
    int busy;    /* a delivery in flight */
    int64_t due; /* no retry before (monotonic ms) */
};

struct wl_conn {
    int fd; /* -1: not connected */
    int user;
    char out[WL_REQ_MAX];
    size_t olen, ooff;
    char in[WL_RESP_MAX];
    size_t ilen;
    int64_t sent_ms;
};

static struct {
    int port;
    const char *secret;
    long long users, messages, conns, timeout_s, retry_ms, gap_ms;
    long long base;
    FILE *acked;
    struct wl_user *u;
    struct wl_conn c[WL_CONNS_MAX];
    long long done, retries_status, retries_conn;
    int64_t *lat;
    size_t nlat;
    long long cursor;
} W;

static int wl_connect(void)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0)
        return -1;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)W.port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/* The request of user u's next message into c->out. */
static int wl_build(struct wl_conn *c, int u)
{
    char body[1024], sig[65];
    unsigned char mac[32];
    unsigned int maclen = 0;
    long long from = W.base + u;
    int i = W.u[u].next + 1;
    if (bb_snprintf(body, sizeof(body),
                    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\","
                    "\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":"
                    "\"whatsapp\",\"metadata\":{\"phone_number_id\":\"1\"},\"contacts\":[{"
                    "\"wa_id\":\"%lld\",\"profile\":{\"name\":\"Load\"}}],\"messages\":[{"
                    "\"from\":\"%lld\",\"id\":\"wamid.load.%d.%d\",\"timestamp\":\"%lld\","
                    "\"type\":\"text\",\"text\":{\"body\":\"urutan %d\"}}]}}]}]}",
                    from, from, u, i, (long long)bb_now(), i) != BB_OK)
        return BB_ELIMIT;
    if (!HMAC(EVP_sha256(), W.secret, (int)strlen(W.secret), (const unsigned char *)body,
              strlen(body), mac, &maclen) ||
        maclen != 32)
        return BB_EIO;
    for (int k = 0; k < 32; k++)
        snprintf(sig + 2 * k, 3, "%02x", mac[k]);
    if (bb_snprintf(c->out, sizeof(c->out),
                    "POST /webhooks/whatsapp HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                    "Content-Type: application/json\r\nX-Hub-Signature-256: sha256=%s\r\n"
                    "Content-Length: %zu\r\n\r\n%s",
                    W.port, sig, strlen(body), body) != BB_OK)
        return BB_ELIMIT;
    c->olen = strlen(c->out);
    c->ooff = 0;
    c->ilen = 0;
    return BB_OK;
}

static void wl_close(struct wl_conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

/* The delivery on c ended: status 2xx, another status, or 0 (no answer). */
static void wl_end(struct wl_conn *c, int status, int64_t now)
{
    struct wl_user *u = &W.u[c->user];
    u->busy = 0;
    if (status >= 200 && status < 300) {
        if (W.acked) {
            fprintf(W.acked, "wamid.load.%d.%d\n", c->user, u->next + 1);
            fflush(W.acked);
        }
        u->next++;
        u->due = now + W.gap_ms;
        W.done++;
        if (W.nlat < (size_t)(W.users * W.messages))
            W.lat[W.nlat++] = now - c->sent_ms;
    } else {
        if (status)
            W.retries_status++;
        else
            W.retries_conn++;
        u->due = now + W.retry_ms;
    }
    c->user = -1;
}

/* A user whose next message may go now, or -1. */
static int wl_pick(int64_t now)
{
    for (long long k = 0; k < W.users; k++) {
        long long i = (W.cursor + k) % W.users;
        struct wl_user *u = &W.u[i];
        if (!u->busy && u->next < W.messages && u->due <= now) {
            W.cursor = i + 1;
            return (int)i;
        }
    }
    return -1;
}

/* 1 when c->in holds a whole answer (status in *st, *close_after). */
static int wl_parse(struct wl_conn *c, int *st, int *close_after)
{
    c->in[c->ilen] = '\0';
    char *eoh = strstr(c->in, "\r\n\r\n");
    long long v = 0, cl = 0;
    if (!eoh)
        return 0;
    if (c->ilen < 12 || strncmp(c->in, "HTTP/1.", 7) != 0)
        return -1;
    char code[4] = {c->in[9], c->in[10], c->in[11], 0};
    if (bb_parse_ll(code, 100, 599, &v) != BB_OK)
        return -1;
    *st = (int)v;
    *eoh = '\0';
    const char *h = strcasestr(c->in, "\ncontent-length:");
    *close_after = strcasestr(c->in, "\nconnection: close") != NULL;
    if (h) {
        h += 16;
        while (*h == ' ')
            h++;
        char num[16];
        size_t n = strspn(h, "0123456789");
        if (n == 0 || n >= sizeof(num))
            return -1;
        memcpy(num, h, n);
        num[n] = '\0';
        if (bb_parse_ll(num, 0, WL_RESP_MAX, &cl) != BB_OK)
            return -1;
    }
    *eoh = '\r';
    size_t need = (size_t)(eoh + 4 - c->in) + (size_t)cl;
    return c->ilen >= need ? 1 : 0;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int64_t pct(double q)
{
    if (!W.nlat)
        return 0;
    size_t i = (size_t)(q * (double)(W.nlat - 1) + 0.5);
    return W.lat[i];
}

static int usage(void)
{
    fprintf(stderr,
            "usage: wa_load --port P --secret S [--users N] [--messages K] [--conns C] "
            "[--base NUMBER] [--timeout-s T] [--retry-ms MS] [--gap-ms MS] [--acked FILE]\n");
    return 2;
}

int main(int argc, char **argv)
{
    long long port = 0;
    W.users = 100;
    W.messages = 5;
    W.conns = 40;
    W.base = 628100000000LL;
    W.timeout_s = 120;
    W.retry_ms = 100;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *a = argv[i], *v = argv[i + 1];
        int ok = 1;
        if (!strcmp(a, "--port"))
            ok = bb_parse_ll(v, 1, 65535, &port) == BB_OK;
        else if (!strcmp(a, "--secret"))
            W.secret = v;
        else if (!strcmp(a, "--users"))
            ok = bb_parse_ll(v, 1, 1000000, &W.users) == BB_OK;
        else if (!strcmp(a, "--messages"))
            ok = bb_parse_ll(v, 1, 1000, &W.messages) == BB_OK;
        else if (!strcmp(a, "--conns"))
            ok = bb_parse_ll(v, 1, WL_CONNS_MAX, &W.conns) == BB_OK;
        else if (!strcmp(a, "--base"))
            ok = bb_parse_ll(v, 1, 999999999999999LL, &W.base) == BB_OK;
        else if (!strcmp(a, "--timeout-s"))
            ok = bb_parse_ll(v, 1, 86400, &W.timeout_s) == BB_OK;
        else if (!strcmp(a, "--retry-ms"))
            ok = bb_parse_ll(v, 1, 60000, &W.retry_ms) == BB_OK;
        else if (!strcmp(a, "--gap-ms"))
            ok = bb_parse_ll(v, 0, 60000, &W.gap_ms) == BB_OK;
        else if (!strcmp(a, "--acked"))
            ok = (W.acked = fopen(v, "w")) != NULL;
        else
            ok = 0;
        if (!ok)
            return usage();
    }
    if (!port || !W.secret || (argc - 1) % 2)
        return usage();
    W.port = (int)port;
    W.u = calloc((size_t)W.users, sizeof(*W.u));
    W.lat = calloc((size_t)(W.users * W.messages), sizeof(*W.lat));
    if (!W.u || !W.lat)
        return 1;
    for (int k = 0; k < W.conns; k++) {
        W.c[k].fd = -1;
        W.c[k].user = -1;
    }
    const long long total = W.users * W.messages;
    int64_t start = bb_mono_ms(), end = start + W.timeout_s * 1000;
    struct pollfd pf[WL_CONNS_MAX];
    while (W.done < total && bb_mono_ms() < end) {
        int64_t now = bb_mono_ms();
        /* idle connections take the next message due */
        for (int k = 0; k < W.conns; k++) {
            struct wl_conn *c = &W.c[k];
            if (c->user >= 0)
                continue;
            int u = wl_pick(now);
            if (u < 0)
                break;
            if (c->fd < 0 && (c->fd = wl_connect()) < 0) {
                W.u[u].due = now + W.retry_ms; /* the service is down: later */
                W.retries_conn++;
                continue;
            }
            if (wl_build(c, u) != BB_OK)
                return 1;
            c->user = u;
            c->sent_ms = now;
            W.u[u].busy = 1;
        }
        int n = 0;
        for (int k = 0; k < W.conns; k++) {
            struct wl_conn *c = &W.c[k];
            if (c->user < 0 || c->fd < 0)
                continue;
            pf[n].fd = c->fd;
            pf[n].events = (short)(c->ooff < c->olen ? POLLOUT : POLLIN);
            pf[n].revents = 0;
            n++;
        }
        if (poll(pf, (nfds_t)n, 10) < 0 && errno != EINTR)
            return 1;
        now = bb_mono_ms();
        for (int k = 0, p = 0; k < W.conns; k++) {
            struct wl_conn *c = &W.c[k];
            if (c->user < 0 || c->fd < 0)
                continue;
            short re = pf[p++].revents;
            if (!re)
                continue;
            if (c->ooff < c->olen) {
                ssize_t w = send(c->fd, c->out + c->ooff, c->olen - c->ooff, MSG_NOSIGNAL);
                if (w < 0 && errno != EAGAIN && errno != EINTR) {
                    wl_close(c);
                    wl_end(c, 0, now);
                } else if (w > 0) {
                    c->ooff += (size_t)w;
                }
                continue;
            }
            ssize_t r = recv(c->fd, c->in + c->ilen, sizeof(c->in) - 1 - c->ilen, 0);
            if (r < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (r <= 0) {
                wl_close(c);
                wl_end(c, 0, now);
                continue;
            }
            c->ilen += (size_t)r;
            int st = 0, close_after = 0;
            int pr = wl_parse(c, &st, &close_after);
            if (pr == 0 && c->ilen < sizeof(c->in) - 1)
                continue;
            if (pr != 1) {
                wl_close(c);
                wl_end(c, 0, now);
                continue;
            }
            wl_end(c, st, now);
            if (close_after)
                wl_close(c);
        }
    }
    int64_t elapsed = bb_mono_ms() - start;
    qsort(W.lat, W.nlat, sizeof(*W.lat), cmp64);
    printf("{\"users\":%lld,\"messages\":%lld,\"answered_2xx\":%lld,\"retries_status\":%lld,"
           "\"retries_connection\":%lld,\"elapsed_ms\":%" PRId64 ",\"messages_per_s\":%.1f,"
           "\"answer_ms\":{\"p50\":%" PRId64 ",\"p99\":%" PRId64 ",\"max\":%" PRId64
           "},\"timed_out\":%s}\n",
           W.users, total, W.done, W.retries_status, W.retries_conn, elapsed,
           elapsed > 0 ? (double)W.done * 1000.0 / (double)elapsed : 0.0, pct(0.5), pct(0.99),
           W.nlat ? W.lat[W.nlat - 1] : 0, W.done < total ? "true" : "false");
    for (int k = 0; k < W.conns; k++)
        wl_close(&W.c[k]);
    if (W.acked)
        fclose(W.acked);
    free(W.u);
    free(W.lat);
    return W.done < total ? 3 : 0;
}
