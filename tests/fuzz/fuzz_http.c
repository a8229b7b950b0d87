/* fuzz_http.c - libFuzzer harness: HTTP request handling. The input is
 * what a client sends on one connection (request line, headers, a body
 * plain or chunked, pipelined requests); the real server parses it and
 * routes it to a handler that reads what the product's handlers read
 * (cookies, query parameters, headers, the body), or serves web/ as static
 * files. Every request must get an answer or a closed connection; with
 * FUZZ_HTTP_HANG set, a connection still open HTTP_HEADER_SECS + 2 s after
 * the client's end of input is a hang, reported as a crash (issue 14,
 * findings 1 and 11). */
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/fuzz_net.h"

#include "adapters/net/apiutil.h"

static void on_echo(void *ctx, const struct http_req *req, struct http_resp *resp)
{
    char tok[API_TOKEN_HEX + 1], v[256], hdr[512];
    struct bb_buf b;
    (void)ctx;
    bb_buf_init(&b, 1 << 20);
    (void)api_cookie_token(req, "bimbing_session", tok, NULL);
    (void)api_origin_ok(req);
    if (http_query_param(req->query, "q", v, sizeof(v)) == BB_OK)
        (void)bb_buf_puts(&b, v);
    if (http_req_header(req, "x-hub-signature-256", hdr, sizeof(hdr)))
        (void)bb_buf_puts(&b, hdr);
    if (http_req_header(req, "content-type", hdr, sizeof(hdr)))
        (void)bb_buf_puts(&b, hdr);
    if (strlen(req->body) > req->body_len)
        abort(); /* the body is NUL-ended at body_len */
    (void)bb_buf_append(&b, req->body, req->body_len);
    if (api_set_cookie(resp, req, "bimbing_session", "x", -1) != BB_OK)
        resp->headers[0] = '\0';
    resp->status = 200;
    resp->content_type = "text/plain";
    resp->body_len = b.len;
    resp->body = bb_buf_take(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct bb_buf reply;
    if (!fuzz_http_) {
        fuzz_quiet();
        struct http_server *s = fuzz_server("web");
        static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
        for (size_t i = 0; i < BB_ARRAY_LEN(methods); i++)
            if (http_route(s, methods[i], "/api", 4096, on_echo, NULL) != BB_OK)
                abort();
        if (http_route(s, "POST", "/webhooks/x", 0, on_echo, NULL) != BB_OK ||
            http_set_headers(s, "X-Content-Type-Options: nosniff\r\n") != BB_OK)
            abort();
        bb_buf_init(&reply, 64u << 20);
    }
    bb_buf_reset(&reply);
    int fd = fuzz_connect();
    int closed = fuzz_exchange(fd, data, size, 1, &reply, NULL);
    /* FUZZ_HTTP_HANG: lws may wait out a request it cannot finish parsing
     * (issue 14, finding 11), but no longer than the header phase's
     * timeout; a connection still open after that is a hang */
    if (!closed && getenv("FUZZ_HTTP_HANG")) {
        int64_t end = bb_mono_ms() + (HTTP_HEADER_SECS + 2) * 1000;
        while (!closed && bb_mono_ms() < end)
            closed = fuzz_exchange(fd, NULL, 0, 0, &reply, NULL);
        if (!closed) {
            fprintf(stderr, "fuzz_http: connection open %d s after the client ended its input\n",
                    HTTP_HEADER_SECS + 2);
            abort();
        }
    }
    fuzz_hangup(fd);
    return 0;
}
