/* fuzz_webchat.c - libFuzzer harness: web chat frames and messages. Each
 * input opens a websocket to /ws of the real server and channel, signed
 * in with a session (in an in-memory store), and sends, by the first byte:
 * even: the rest split at 0xff bytes, each piece one masked text frame
 * (JSON frames: message, resume, typing, anything); odd: the rest as raw
 * bytes after the handshake (lws's frame parser and our reassembly). A
 * close frame ends both; the server must answer or close, never crash. */
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/fuzz_net.h"

#include "adapters/net/apiutil.h"
#include "adapters/webchat/webchat.h"
#include "store/store_web.h"

static void frame(struct bb_buf *b, int opcode, const uint8_t *p, size_t n)
{
    unsigned char h[14];
    size_t hl = 2;
    h[0] = (unsigned char)(0x80 | opcode);
    if (n < 126) {
        h[1] = (unsigned char)(0x80 | n);
    } else if (n < 65536) {
        h[1] = 0x80 | 126;
        h[2] = (unsigned char)(n >> 8);
        h[3] = (unsigned char)n;
        hl = 4;
    } else {
        h[1] = 0x80 | 127;
        for (int i = 0; i < 8; i++)
            h[2 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
        hl = 10;
    }
    memset(h + hl, 0, 4); /* a zero masking key: the payload goes as it is */
    if (bb_buf_append(b, h, hl + 4) != BB_OK || bb_buf_append(b, p, n) != BB_OK)
        abort();
}

/* stop(): the server's close frame has come (its frames are unmasked). */
static int have_close(const struct bb_buf *b)
{
    const unsigned char *p = (const unsigned char *)b->data;
    size_t i = 0;
    while (i + 2 <= b->len) {
        uint64_t n = p[i + 1] & 0x7f;
        size_t hl = 2;
        if ((p[i] & 0x0f) == 8)
            return 1;
        if (n == 126) {
            if (i + 4 > b->len)
                return 0;
            n = (uint64_t)p[i + 2] << 8 | p[i + 3];
            hl = 4;
        } else if (n == 127) {
            if (i + 10 > b->len)
                return 0;
            n = 0;
            for (int k = 0; k < 8; k++)
                n = n << 8 | p[i + 2 + k];
            hl = 10;
        }
        if (n > b->len - i - hl)
            return 0;
        i += hl + (size_t)n;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct store *st;
    static struct bb_buf hs, out, reply;
    if (!st) {
        char tok[API_TOKEN_HEX + 1], hash[65];
        fuzz_quiet();
        fuzz_channel(webchat_chan_new, &st);
        if (api_token_new(tok, hash) != BB_OK ||
            store_web_session_add(st, hash, "w0123456789abcdef", bb_now(), bb_now() + 86400) !=
                BB_OK)
            abort();
        bb_buf_init(&hs, 4096);
        bb_buf_init(&out, 1u << 22);
        bb_buf_init(&reply, 1u << 24);
        if (bb_buf_printf(&hs,
                          "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Version: 13\r\nCookie: bb_web=%s\r\n\r\n",
                          tok) != BB_OK)
            abort();
    }
    if (size < 1)
        return 0;
    bb_buf_reset(&out);
    bb_buf_reset(&reply);
    if (data[0] & 1) {
        if (bb_buf_append(&out, data + 1, size - 1) != BB_OK)
            abort();
    } else {
        const uint8_t *p = data + 1, *end = data + size;
        while (p <= end) {
            const uint8_t *q = memchr(p, 0xff, (size_t)(end - p));
            if (!q)
                q = end;
            frame(&out, 1, p, (size_t)(q - p));
            p = q + 1;
        }
    }
    frame(&out, 8, (const uint8_t *)"\x03\xe8", 2);
    int fd = fuzz_connect();
    (void)fuzz_exchange(fd, (const uint8_t *)hs.data, hs.len, 0, &reply, fuzz_have_head);
    if (reply.len < 12 || memcmp(reply.data, "HTTP/1.1 101", 12) != 0) {
        fprintf(stderr, "fuzz_webchat: the upgrade was refused: %.*s\n",
                (int)(reply.len > 80 ? 80 : reply.len), reply.data ? reply.data : "");
        abort();
    }
    bb_buf_reset(&reply);
    (void)fuzz_exchange(fd, (const uint8_t *)out.data, out.len, 0, &reply, have_close);
    fuzz_hangup(fd);
    return 0;
}
