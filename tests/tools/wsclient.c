/*
 * wsclient.c - a small websocket client for the web chat tests: connects to
 * 127.0.0.1, does the RFC 6455 handshake (checking Sec-WebSocket-Accept),
 * then runs a script of steps given as arguments, printing every frame it
 * receives as one line "< {...}" on stdout.
 *
 *   wsclient --port P [--path /ws] [--cookie 'bb_web=...'] [--origin URL]
 *            [--timeout-ms N] [--] STEP...
 *
 * Steps:
 *   send JSON          send a text frame as given
 *   text STRING        {"type":"message","text":STRING,"id":<auto>}
 *   textid ID STRING   the same with a chosen id
 *   button TITLE       press the button whose title contains TITLE, in the
 *                      newest activity that has buttons
 *   resume             {"type":"resume","watermark":<highest seen>}
 *   expect SUBSTRING   read frames until one contains SUBSTRING
 *   raw N              a text frame of N 'x' bytes
 *   rawhex HEX         a text frame of the given bytes
 *   drain MS           read (and print) frames for MS milliseconds
 *   closed             expect the server to close the connection
 * At the end it prints "WATERMARK N" (highest watermark seen).
 *
 * Exit: 0 when every step passed; 2 handshake refused or failed; 3 a step
 * timed out or failed; 1 usage. Every read is bounded by the timeout.
 * Single-threaded; everything is freed on exit.
 */
#include "bot/base/bb.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#define WSC_MAX_FRAME (1024 * 1024)

struct wsc {
    int fd;
    int timeout_ms;
    int closed;
    long long watermark;
    cJSON *last_buttons; /* the newest "actions" array seen (a copy) */
    unsigned char rbuf[65536];
    size_t rlen;
    int auto_id;
};

static int64_t now_ms(void)
{
    return bb_mono_ms();
}

/* Read at least want bytes into the buffer before deadline. */
static int fill(struct wsc *c, size_t want, int64_t deadline)
{
    while (c->rlen < want) {
        int left = (int)(deadline - now_ms());
        struct pollfd p = {.fd = c->fd, .events = POLLIN};
        if (left <= 0)
            return BB_EAGAIN;
        int r = poll(&p, 1, left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return BB_EAGAIN;
        if (want > sizeof(c->rbuf))
            return BB_ELIMIT;
        ssize_t n = read(c->fd, c->rbuf + c->rlen, sizeof(c->rbuf) - c->rlen);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return BB_EIO;
        c->rlen += (size_t)n;
    }
    return BB_OK;
}

static void consume(struct wsc *c, size_t n)
{
    memmove(c->rbuf, c->rbuf + n, c->rlen - n);
    c->rlen -= n;
}

static int write_all(int fd, const void *p, size_t n)
{
    const unsigned char *b = p;
    while (n) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return BB_EIO;
        b += w;
        n -= (size_t)w;
    }
    return BB_OK;
}

static int send_frame(struct wsc *c, int opcode, const void *data, size_t len)
{
    unsigned char hdr[14], mask[4];
    size_t h = 0;
    unsigned char *m = malloc(len ? len : 1);
    int rc;
    if (!m)
        return BB_ENOMEM;
    bb_random(mask, 4);
    hdr[h++] = (unsigned char)(0x80 | opcode);
    if (len < 126) {
        hdr[h++] = (unsigned char)(0x80 | len);
    } else if (len < 65536) {
        hdr[h++] = 0x80 | 126;
        hdr[h++] = (unsigned char)(len >> 8);
        hdr[h++] = (unsigned char)len;
    } else {
        hdr[h++] = 0x80 | 127;
        for (int i = 7; i >= 0; i--)
            hdr[h++] = (unsigned char)((uint64_t)len >> (8 * i));
    }
    memcpy(hdr + h, mask, 4);
    h += 4;
    for (size_t i = 0; i < len; i++)
        m[i] = ((const unsigned char *)data)[i] ^ mask[i & 3];
    rc = write_all(c->fd, hdr, h);
    if (rc == BB_OK && len)
        rc = write_all(c->fd, m, len);
    free(m);
    return rc;
}

static void note_frame(struct wsc *c, const char *s)
{
    cJSON *o = cJSON_Parse(s);
    const cJSON *wm = cJSON_GetObjectItemCaseSensitive(o, "watermark");
    const cJSON *acts = cJSON_GetObjectItemCaseSensitive(o, "activities");
    long long v;
    if (cJSON_IsString(wm) && bb_parse_ll(wm->valuestring, 0, INT64_MAX, &v) == BB_OK &&
        v > c->watermark)
        c->watermark = v;
    for (const cJSON *a = cJSON_IsArray(acts) ? acts->child : NULL; a; a = a->next) {
        const cJSON *sa = cJSON_GetObjectItemCaseSensitive(a, "suggestedActions");
        const cJSON *ac = cJSON_GetObjectItemCaseSensitive(sa, "actions");
        if (cJSON_IsArray(ac) && cJSON_GetArraySize(ac) > 0) {
            cJSON_Delete(c->last_buttons);
            c->last_buttons = cJSON_Duplicate(ac, 1);
        }
    }
    cJSON_Delete(o);
}

/* Read one message (text frames, fragments joined). *out malloc'd, NULL
 * when the connection closed. BB_EAGAIN on timeout. */
static int read_msg(struct wsc *c, int64_t deadline, char **out)
{
    struct bb_buf msg;
    int rc;
    *out = NULL;
    bb_buf_init(&msg, WSC_MAX_FRAME);
    for (;;) {
        if ((rc = fill(c, 2, deadline)) != BB_OK)
            goto fail;
        int fin = c->rbuf[0] & 0x80, op = c->rbuf[0] & 15;
        uint64_t len = c->rbuf[1] & 127;
        size_t h = 2;
        if (c->rbuf[1] & 0x80) { /* servers never mask */
            rc = BB_EINVAL;
            goto fail;
        }
        if (len == 126) {
            if ((rc = fill(c, 4, deadline)) != BB_OK)
                goto fail;
            len = ((uint64_t)c->rbuf[2] << 8) | c->rbuf[3];
            h = 4;
        } else if (len == 127) {
            if ((rc = fill(c, 10, deadline)) != BB_OK)
                goto fail;
            len = 0;
            for (int i = 0; i < 8; i++)
                len = (len << 8) | c->rbuf[2 + i];
            h = 10;
        }
        if (len > sizeof(c->rbuf) - h) {
            rc = BB_ELIMIT;
            goto fail;
        }
        if ((rc = fill(c, h + (size_t)len, deadline)) != BB_OK)
            goto fail;
        const unsigned char *p = c->rbuf + h;
        if (op == 8) {
            int code = len >= 2 ? (p[0] << 8) | p[1] : 0;
            printf("CLOSED %d %.*s\n", code, len > 2 ? (int)len - 2 : 0, (const char *)p + 2);
            consume(c, h + (size_t)len);
            send_frame(c, 8, NULL, 0);
            c->closed = 1;
            rc = BB_OK;
            goto fail;
        }
        if (op == 9) { /* ping */
            unsigned char tmp[126];
            size_t k = len < sizeof(tmp) ? (size_t)len : sizeof(tmp);
            memcpy(tmp, p, k);
            consume(c, h + (size_t)len);
            send_frame(c, 10, tmp, k);
            continue;
        }
        if (op == 10) {
            consume(c, h + (size_t)len);
            continue;
        }
        if (bb_buf_append(&msg, p, (size_t)len) != BB_OK) {
            rc = BB_ELIMIT;
            goto fail;
        }
        consume(c, h + (size_t)len);
        if (fin)
            break;
    }
    *out = bb_buf_take(&msg);
    bb_buf_free(&msg);
    return *out ? BB_OK : BB_ENOMEM;
fail:
    bb_buf_free(&msg);
    return rc;
}

/* Read until a message contains needle (NULL: until the deadline or close). */
static int read_until(struct wsc *c, const char *needle, int ms, int want_close)
{
    int64_t deadline = now_ms() + ms;
    for (;;) {
        char *m = NULL;
        if (c->closed)
            return want_close || !needle ? BB_OK : BB_EIO;
        int rc = read_msg(c, deadline, &m);
        if (rc == BB_EAGAIN)
            return needle || want_close ? BB_EAGAIN : BB_OK;
        if (rc == BB_EIO) { /* closed without a close frame */
            printf("CLOSED -1\n");
            c->closed = 1;
            continue;
        }
        if (rc != BB_OK)
            return rc;
        if (!m)
            continue; /* a close frame: loop sees c->closed */
        printf("< %s\n", m);
        fflush(stdout);
        note_frame(c, m);
        int hit = needle && strstr(m, needle);
        free(m);
        if (hit)
            return BB_OK;
    }
}

static int send_json_obj(struct wsc *c, cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    int rc = s ? send_frame(c, 1, s, strlen(s)) : BB_ENOMEM;
    if (s)
        printf("> %s\n", s);
    cJSON_free(s);
    return rc;
}

static int send_msg(struct wsc *c, const char *id, const char *key, const char *val)
{
    char auto_id[32];
    cJSON *o = cJSON_CreateObject();
    int rc;
    if (!id) {
        bb_snprintf(auto_id, sizeof(auto_id), "t%d-%d", (int)getpid(), ++c->auto_id);
        id = auto_id;
    }
    cJSON_AddStringToObject(o, "type", "message");
    cJSON_AddStringToObject(o, key, val);
    cJSON_AddStringToObject(o, "id", id);
    rc = send_json_obj(c, o);
    cJSON_Delete(o);
    return rc;
}

static int press(struct wsc *c, const char *title)
{
    for (const cJSON *b = c->last_buttons ? c->last_buttons->child : NULL; b; b = b->next) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(b, "title");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(b, "value");
        if (cJSON_IsString(t) && cJSON_IsString(v) && strstr(t->valuestring, title))
            return send_msg(c, NULL, "value", v->valuestring);
    }
    fprintf(stderr, "wsclient: no button titled '%s'\n", title);
    return BB_ENOTFOUND;
}

static int handshake(struct wsc *c, int port, const char *path, const char *cookie,
                     const char *origin)
{
    unsigned char key[16], sha[SHA_DIGEST_LENGTH];
    char key64[32], want[64], req[4096], cat[128];
    struct bb_buf extra;
    bb_random(key, sizeof(key));
    EVP_EncodeBlock((unsigned char *)key64, key, sizeof(key));
    bb_snprintf(cat, sizeof(cat), "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key64);
    SHA1((const unsigned char *)cat, strlen(cat), sha);
    EVP_EncodeBlock((unsigned char *)want, sha, sizeof(sha));
    bb_buf_init(&extra, 2048);
    if (cookie)
        bb_buf_printf(&extra, "Cookie: %s\r\n", cookie);
    if (origin)
        bb_buf_printf(&extra, "Origin: %s\r\n", origin);
    if (bb_snprintf(req, sizeof(req),
                    "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
                    "Sec-WebSocket-Version: 13\r\n%s\r\n",
                    path, port, key64, extra.data ? extra.data : "") != BB_OK) {
        bb_buf_free(&extra);
        return BB_ELIMIT;
    }
    bb_buf_free(&extra);
    if (write_all(c->fd, req, strlen(req)) != BB_OK)
        return BB_EIO;
    int64_t deadline = now_ms() + c->timeout_ms;
    for (;;) {
        c->rbuf[c->rlen < sizeof(c->rbuf) ? c->rlen : sizeof(c->rbuf) - 1] = 0;
        char *end = c->rlen ? strstr((char *)c->rbuf, "\r\n\r\n") : NULL;
        if (end) {
            size_t hl = (size_t)(end - (char *)c->rbuf) + 4;
            char head[8192];
            bb_strlcpy(head, (char *)c->rbuf, hl < sizeof(head) ? hl : sizeof(head));
            consume(c, hl);
            if (strncmp(head, "HTTP/1.1 101", 12) != 0) {
                printf("REFUSED %.40s\n", head);
                return BB_EPERM;
            }
            char *a = NULL;
            for (char *l = head; l && *l; l = strstr(l, "\r\n") ? strstr(l, "\r\n") + 2 : NULL)
                if (strncasecmp(l, "sec-websocket-accept:", 21) == 0) {
                    a = l + 21;
                    break;
                }
            if (!a)
                return BB_EINVAL;
            while (*a == ' ')
                a++;
            if (strncmp(a, want, strlen(want)) != 0)
                return BB_EINVAL;
            printf("OPEN\n");
            return BB_OK;
        }
        if (fill(c, c->rlen + 1, deadline) != BB_OK) {
            printf("REFUSED (no answer)\n");
            return BB_EIO;
        }
    }
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

static int run_step(struct wsc *c, char **argv, int argc, int *i)
{
    const char *s = argv[*i];
    const char *a1 = *i + 1 < argc ? argv[*i + 1] : NULL;
    const char *a2 = *i + 2 < argc ? argv[*i + 2] : NULL;
    long long n;
    if (strcmp(s, "closed") == 0)
        return read_until(c, NULL, c->timeout_ms, 1);
    if (strcmp(s, "resume") == 0) {
        char buf[96];
        bb_snprintf(buf, sizeof(buf), "{\"type\":\"resume\",\"watermark\":\"%lld\"}", c->watermark);
        printf("> %s\n", buf);
        return send_frame(c, 1, buf, strlen(buf));
    }
    if (!a1)
        return BB_EINVAL;
    (*i)++;
    if (strcmp(s, "send") == 0) {
        printf("> %s\n", a1);
        return send_frame(c, 1, a1, strlen(a1));
    }
    if (strcmp(s, "text") == 0)
        return send_msg(c, NULL, "text", a1);
    if (strcmp(s, "button") == 0)
        return press(c, a1);
    if (strcmp(s, "expect") == 0) {
        int rc = read_until(c, a1, c->timeout_ms, 0);
        if (rc != BB_OK)
            fprintf(stderr, "wsclient: expected '%s': %s\n", a1, bb_strerror(rc));
        return rc;
    }
    if (strcmp(s, "drain") == 0) {
        if (bb_parse_ll(a1, 0, 60000, &n) != BB_OK)
            return BB_EINVAL;
        return read_until(c, NULL, (int)n, 0);
    }
    if (strcmp(s, "raw") == 0) {
        if (bb_parse_ll(a1, 0, WSC_MAX_FRAME, &n) != BB_OK)
            return BB_EINVAL;
        char *b = malloc((size_t)n + 1);
        if (!b)
            return BB_ENOMEM;
        memset(b, 'x', (size_t)n);
        printf("> (%lld bytes)\n", n);
        int rc = send_frame(c, 1, b, (size_t)n);
        free(b);
        return rc;
    }
    if (strcmp(s, "rawhex") == 0) {
        size_t l = strlen(a1) / 2;
        unsigned char b[4096];
        if (l > sizeof(b))
            return BB_EINVAL;
        for (size_t k = 0; k < l; k++) {
            int h = hexval(a1[2 * k]), lo = hexval(a1[2 * k + 1]);
            if (h < 0 || lo < 0)
                return BB_EINVAL;
            b[k] = (unsigned char)(h * 16 + lo);
        }
        printf("> (hex %s)\n", a1);
        return send_frame(c, 1, b, l);
    }
    if (strcmp(s, "textid") == 0 && a2) {
        (*i)++;
        return send_msg(c, a1, "text", a2);
    }
    return BB_EINVAL;
}

int main(int argc, char **argv)
{
    struct wsc c;
    const char *path = "/ws", *cookie = NULL, *origin = NULL;
    long long port = 0, to = 5000;
    int i = 1, rc = 0;
    struct sockaddr_in sa;

    memset(&c, 0, sizeof(c));
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (i + 1 >= argc || argv[i][0] != '-')
            break;
        if (strcmp(argv[i], "--port") == 0 && bb_parse_ll(argv[i + 1], 1, 65535, &port) == BB_OK)
            i++;
        else if (strcmp(argv[i], "--path") == 0)
            path = argv[++i];
        else if (strcmp(argv[i], "--cookie") == 0)
            cookie = argv[++i];
        else if (strcmp(argv[i], "--origin") == 0)
            origin = argv[++i];
        else if (strcmp(argv[i], "--timeout-ms") == 0 &&
                 bb_parse_ll(argv[i + 1], 1, 600000, &to) == BB_OK)
            i++;
        else {
            fprintf(stderr, "wsclient: bad option %s\n", argv[i]);
            return 1;
        }
    }
    if (!port) {
        fprintf(stderr, "usage: wsclient --port P [--cookie C] [--origin O] [--] STEP...\n");
        return 1;
    }
    c.timeout_ms = (int)to;
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (c.fd < 0 || connect(c.fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        printf("REFUSED (connect)\n");
        rc = 2;
        goto out;
    }
    if (handshake(&c, (int)port, path, cookie, origin) != BB_OK) {
        rc = 2;
        goto out;
    }
    for (; i < argc; i++) {
        int r = run_step(&c, argv, argc, &i);
        if (r != BB_OK) {
            fprintf(stderr, "wsclient: step '%s' failed: %s\n", argv[i], bb_strerror(r));
            rc = 3;
            break;
        }
        fflush(stdout);
    }
out:
    printf("WATERMARK %lld\n", c.watermark);
    cJSON_Delete(c.last_buttons);
    if (c.fd >= 0)
        close(c.fd);
    return rc;
}
