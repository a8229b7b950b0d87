/* fuzz_whatsapp.c - libFuzzer harness: WhatsApp webhook bodies. The
 * input is the body of a POST to /webhooks/whatsapp, signed with the app
 * secret like Meta signs it, sent to the real server and channel (messages,
 * interactive replies, statuses, errors) with an in-memory store. The
 * answer must be 200, 400 or 500, never a hang or a crash. */
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/fuzz_net.h"

#include "adapters/whatsapp/whatsapp.h"

#define SECRET "fuzz-app-secret"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct store *st;
    static struct bb_buf req, reply;
    unsigned char mac[32];
    unsigned int maclen = 0;
    char hex[65];

    if (!st) {
        fuzz_quiet();
        setenv("BIMBING_WHATSAPP_PHONE_ID", "1234567890", 1);
        setenv("BIMBING_WHATSAPP_APP_SECRET", SECRET, 1);
        setenv("BIMBING_WHATSAPP_API", "http://127.0.0.1:9", 1);
        fuzz_channel(wa_chan_new, &st);
        bb_buf_init(&req, 1u << 22);
        bb_buf_init(&reply, 1u << 20);
    }
    if (!HMAC(EVP_sha256(), SECRET, (int)strlen(SECRET), data, size, mac, &maclen) || maclen != 32)
        abort();
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", mac[i]);
    bb_buf_reset(&req);
    bb_buf_reset(&reply);
    if (bb_buf_printf(&req,
                      "POST /webhooks/whatsapp HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Content-Type: application/json\r\nX-Hub-Signature-256: sha256=%s\r\n"
                      "Connection: close\r\nContent-Length: %zu\r\n\r\n",
                      hex, size) != BB_OK ||
        bb_buf_append(&req, data, size) != BB_OK)
        abort();
    int fd = fuzz_connect();
    (void)fuzz_exchange(fd, (const uint8_t *)req.data, req.len, 0, &reply, fuzz_have_head);
    fuzz_hangup(fd);
    if (reply.len < 12 || (memcmp(reply.data, "HTTP/1.1 200", 12) != 0 &&
                           memcmp(reply.data, "HTTP/1.1 400", 12) != 0 &&
                           memcmp(reply.data, "HTTP/1.1 413", 12) != 0 &&
                           memcmp(reply.data, "HTTP/1.1 500", 12) != 0)) {
        fprintf(stderr, "fuzz_whatsapp: unexpected answer: %.*s\n",
                (int)(reply.len > 80 ? 80 : reply.len), reply.data ? reply.data : "");
        abort();
    }
    return 0;
}
