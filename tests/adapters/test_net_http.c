/* test_net_http.c - tests of adapters/net/net.c and adapters/net/http.c together:
 * an http_server on 127.0.0.1 (ephemeral port) serviced by this thread,
 * a net object whose wake handler calls http_wake(), and requests from net
 * (and from raw sockets, for what curl would normalise away) against it.
 * Every loop is bounded by a deadline; nothing leaves 127.0.0.1. */
#define _GNU_SOURCE /* strcasestr */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <signal.h>
#include <unistd.h>

#include <curl/curl.h>

#include "adapters/net/http.h"
#include "adapters/net/net.h"
#include "bot/base/bb.h"

#define MAX_RESP 600

struct fx {
    struct http_server *s;
    struct net *n;
    char tmp[256];
    char web[300];
    int port;
    struct net_resp *resp[MAX_RESP]; /* by tag */
    int got;
    int wakes;
    /* websocket */
    uint64_t ws_id;
    int ws_opened, ws_closed, ws_msgs;
    char ws_query[64];
    int ws_left_fd;
    /* held answers (/hold) */
    uint64_t tickets[8];
    int nt, refused;
};

static struct fx F;

/* ---- handlers ---- */

static char *dup_str(const char *s)
{
    char *d = strdup(s);
    assert_non_null(d);
    return d;
}

static void h_query(void *ctx, const struct http_req *req, struct http_resp *resp)
{
    char q[128], body[200];
    (void)ctx;
    if (http_query_param(req->query, "q", q, sizeof(q)) != BB_OK)
        bb_strlcpy(q, "-", sizeof(q));
    bb_snprintf(body, sizeof(body), "{\"q\":\"%s\"}", q);
    resp->body = dup_str(body);
    resp->body_len = strlen(body);
}

static void h_echo(void *ctx, const struct http_req *req, struct http_resp *resp)
{
    (void)ctx;
    resp->body = malloc(req->body_len + 1);
    assert_non_null(resp->body);
    memcpy(resp->body, req->body, req->body_len);
    resp->body_len = req->body_len;
    resp->content_type = "application/json";
    bb_strlcpy(resp->headers, "X-Echo-Method: POST\r\n", sizeof(resp->headers));
}

static void h_hdr(void *ctx, const struct http_req *req, struct http_resp *resp)
{
    char a[64], b[64], body[200];
    const char *x = http_req_header(req, "X-Bimbing-Test", a, sizeof(a));
    const char *ua = http_req_header(req, "user-agent", b, sizeof(b));
    (void)ctx;
    bb_snprintf(body, sizeof(body), "%s|%s|%s|%s", x ? x : "(none)", ua ? ua : "(none)",
                http_req_header(req, "x-absent", a, sizeof(a)) ? "present" : "absent",
                req->remote_ip);
    resp->body = dup_str(body);
    resp->body_len = strlen(body);
    resp->content_type = "text/plain";
}

static void h_tag(void *ctx, const struct http_req *req, struct http_resp *resp)
{
    resp->body = dup_str((const char *)ctx);
    resp->body_len = strlen(resp->body);
    resp->status = strcmp(req->method, "DELETE") == 0 ? 204 : 200;
}

static void h_busy(void *ctx, const struct http_req *req, struct http_resp *resp)
{
    (void)ctx;
    (void)req;
    resp->status = 429;
    resp->body = dup_str("{\"error\":\"slow down\"}");
    resp->body_len = strlen(resp->body);
    bb_strlcpy(resp->headers, "Retry-After: 7\r\n", sizeof(resp->headers));
}

static void h_huge(void *ctx, const struct http_req *req, struct http_resp *resp)
{
    (void)ctx;
    (void)req;
    resp->body_len = NET_MAX_BODY + 1;
    resp->body = malloc(resp->body_len);
    assert_non_null(resp->body);
    memset(resp->body, 'x', resp->body_len);
}

/* Holds its answer (http_hold); a refused hold answers 503 at once. */
static void h_hold(void *ctx, const struct http_req *req, struct http_resp *resp)
{
    (void)ctx;
    uint64_t t = http_hold(req);
    if (!t) {
        F.refused++;
        resp->status = 503;
        resp->body = dup_str("{\"error\":\"full\"}");
        resp->body_len = strlen(resp->body);
        return;
    }
    assert_true(F.nt < 8);
    F.tickets[F.nt++] = t;
    resp->body = dup_str("ignored"); /* a held request's resp is not sent */
    resp->body_len = 7;
}

/* ---- websocket callbacks ---- */

static void ws_open(void *ctx, uint64_t id, const struct http_req *req)
{
    (void)ctx;
    F.ws_id = id;
    F.ws_opened++;
    if (http_query_param(req->query, "who", F.ws_query, sizeof(F.ws_query)) != BB_OK)
        F.ws_query[0] = '\0';
}

static void ws_message(void *ctx, uint64_t id, const char *data, size_t len)
{
    char out[300];
    (void)ctx;
    F.ws_msgs++;
    int n = snprintf(out, sizeof(out), "echo:%.*s", (int)len, data);
    assert_int_equal(http_ws_send(F.s, id, out, (size_t)n), BB_OK);
}

static void ws_close(void *ctx, uint64_t id)
{
    (void)ctx;
    assert_int_equal(id, F.ws_id);
    F.ws_closed++;
}

/* ---- plumbing ---- */

static void on_wake(void *ctx)
{
    struct fx *f = ctx;
    struct net_resp *r[32];
    int c;

    f->wakes++;
    do {
        assert_int_equal(net_poll(f->n, r, 32, &c), BB_OK);
        for (int i = 0; i < c; i++) {
            assert_true(r[i]->tag < MAX_RESP);
            assert_null(f->resp[r[i]->tag]);
            f->resp[r[i]->tag] = r[i];
            f->got++;
        }
    } while (c == 32);
}

static void net_wake(void *ctx)
{
    http_wake(ctx);
}

static void clear_resps(void)
{
    for (int i = 0; i < MAX_RESP; i++) {
        net_resp_free(F.resp[i]);
        F.resp[i] = NULL;
    }
    F.got = 0;
}

/* Service until `want` responses arrived (at most 10 s). */
static void wait_for(int want)
{
    int64_t end = bb_mono_ms() + 10000;
    while (F.got < want && bb_mono_ms() < end)
        assert_int_equal(http_service(F.s, 50), BB_OK);
    assert_int_equal(F.got, want);
}

static void url(char *out, size_t n, const char *path)
{
    bb_snprintf(out, n, "http://127.0.0.1:%d%s", F.port, path);
}

static struct net_resp *one(const char *method, const char *path, const char *body, const char *hdr)
{
    char u[256];
    struct net_req r;

    memset(&r, 0, sizeof(r));
    url(u, sizeof(u), path);
    r.method = method;
    r.url = u;
    r.body = body;
    r.body_len = body ? strlen(body) : 0;
    r.content_type = body ? "application/json" : NULL;
    r.headers[0] = hdr;
    r.timeout_ms = 5000;
    r.tag = 0;
    clear_resps();
    assert_int_equal(net_submit(F.n, &r), BB_OK);
    wait_for(1);
    if (F.resp[0]->curl_code)
        print_message("curl %d: %s\n", F.resp[0]->curl_code, F.resp[0]->errbuf);
    return F.resp[0];
}

/* one(), then the status must be status and, unless want_body is NULL, the
 * body want_body. */
static struct net_resp *expect(const char *method, const char *path, const char *body,
                               const char *hdr, int status, const char *want_body)
{
    struct net_resp *r = one(method, path, body, hdr);
    assert_int_equal(r->status, status);
    if (want_body)
        assert_string_equal(r->body, want_body);
    return r;
}

/* A TCP socket bound to a free port of 127.0.0.1, listening when listening
 * is set; *port its port. */
static int loopback_socket(int listening, int *port)
{
    struct sockaddr_in a;
    socklen_t al = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    if (listening)
        assert_int_equal(listen(fd, 4), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static int raw_connect(void)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)F.port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/* Read into out until done(out, len) says so, the peer closes, or 5 s. */
static size_t raw_read(int fd, char *out, size_t cap, size_t have,
                       int (*done)(const char *, size_t))
{
    int64_t end = bb_mono_ms() + 5000;
    out[have] = '\0';
    while (bb_mono_ms() < end && !(done && done(out, have))) {
        assert_int_equal(http_service(F.s, 10), BB_OK);
        ssize_t r = recv(fd, out + have, cap - 1 - have, 0);
        if (r == 0)
            break;
        if (r > 0)
            have += (size_t)r;
        out[have] = '\0';
        if (have >= cap - 1)
            break;
    }
    out[have] = '\0';
    return have;
}

/* An HTTP response is complete when its Content-Length body is in. */
static int http_done(const char *buf, size_t len)
{
    const char *eoh = strstr(buf, "\r\n\r\n");
    const char *cl = strcasestr(buf, "content-length:");
    long long n;
    char v[32];
    if (!eoh || !cl || cl > eoh)
        return 0;
    size_t k = strcspn(cl + 15, "\r\n");
    if (k >= sizeof(v))
        return 0;
    memcpy(v, cl + 15, k);
    v[k] = '\0';
    char *p = v;
    while (*p == ' ')
        p++;
    if (bb_parse_ll(p, 0, 1 << 30, &n) != BB_OK)
        return 0;
    return len >= (size_t)(eoh + 4 - buf) + (size_t)n;
}

static size_t raw_http(const char *req, char *out, size_t cap)
{
    int fd = raw_connect();
    assert_int_equal(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
    size_t n = raw_read(fd, out, cap, 0, http_done);
    close(fd);
    return n;
}

/* ---- setup ---- */

static int setup(void **state)
{
    char p[400];
    struct http_opts o = {0};
    static const struct http_ws_ops ops = {ws_open, ws_message, ws_close};
    (void)state;

    bb_log_threshold = BB_LOG_WARN;
    curl_global_init(CURL_GLOBAL_ALL);
    memset(&F, 0, sizeof(F));
    bb_strlcpy(F.tmp, "/tmp/bb-net-http-XXXXXX", sizeof(F.tmp));
    if (!mkdtemp(F.tmp))
        return -1;
    bb_snprintf(F.web, sizeof(F.web), "%s/web", F.tmp);
    mkdir(F.web, 0700);
    bb_snprintf(p, sizeof(p), "%s/secret.txt", F.tmp);
    write_file(p, "TOPSECRET");
    bb_snprintf(p, sizeof(p), "%s/index.html", F.web);
    write_file(p, "<h1>chat</h1>");
    bb_snprintf(p, sizeof(p), "%s/app.js", F.web);
    write_file(p, "console.log(1);");

    o.bind_addr = "127.0.0.1";
    o.port = 0;
    o.static_dir = F.web;
    o.held_max = 2;
    o.held_ms = 1500;
    if (http_new(&o, &F.s) != BB_OK)
        return -1;
    F.port = http_port(F.s);
    if (F.port <= 0)
        return -1;
    http_set_wake_handler(F.s, on_wake, &F);
    if (http_route(F.s, "GET", "/echo-query", 0, h_query, NULL) ||
        http_route(F.s, "POST", "/echo", 64 * 1024, h_echo, NULL) ||
        http_route(F.s, "GET", "/hdr", 0, h_hdr, NULL) ||
        http_route(F.s, "POST", "/small", 1000, h_echo, NULL) ||
        http_route(F.s, "GET", "/api", 0, h_tag, "api") ||
        http_route(F.s, "GET", "/api/v1", 0, h_tag, "api-v1") ||
        http_route(F.s, "DELETE", "/api/v1/items", 0, h_tag, "items") ||
        http_route(F.s, "GET", "/busy", 0, h_busy, NULL) ||
        http_route(F.s, "GET", "/huge", 0, h_huge, NULL) ||
        http_route(F.s, "POST", "/hold", 0, h_hold, NULL) || http_ws(F.s, "/ws", &ops, NULL, 1024))
        return -1;
    if (net_new(net_wake, F.s, &F.n) != BB_OK)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    char cmd[300];
    (void)state;
    clear_resps();
    net_free(F.n);
    http_free(F.s);
    assert_int_equal(F.ws_closed, F.ws_opened);
    if (F.ws_left_fd > 0)
        close(F.ws_left_fd);
    curl_global_cleanup();
    bb_snprintf(cmd, sizeof(cmd), "rm -rf '%s'", F.tmp);
    assert_int_equal(system(cmd), 0);
    return 0;
}

/* ---- tests ---- */

static void test_get_query(void **state)
{
    (void)state;
    struct net_resp *r = expect("GET", "/echo-query?x=1&q=hello%20w%26rld+%2B", NULL, NULL, 200,
                                "{\"q\":\"hello w&rld +\"}");
    assert_int_equal(r->curl_code, 0);
    assert_int_equal(r->retry_after, -1);
    assert_true(F.wakes > 0);
    r = one("GET", "/echo-query", NULL, NULL);
    assert_string_equal(r->body, "{\"q\":\"-\"}");
}

static void test_post_echo(void **state)
{
    (void)state;
    const char *json = "{\"text\":\"Selamat pagi\",\"n\":[1,2,3]}";
    struct net_resp *r = expect("POST", "/echo", json, NULL, 200, NULL);
    assert_int_equal(r->body_len, strlen(json));
    assert_string_equal(r->body, json);
    /* chunked request body */
    expect("POST", "/echo", json, "Transfer-Encoding: chunked", 200, json);
    /* empty body */
    r = expect("POST", "/echo", "", NULL, 200, NULL);
    assert_int_equal(r->body_len, 0);
}

static void test_custom_header(void **state)
{
    (void)state;
    struct net_resp *r = expect("GET", "/hdr", NULL, "X-Bimbing-Test: s3cr3t-Value", 200,
                                "s3cr3t-Value|bimbing|absent|127.0.0.1");
    r = one("GET", "/hdr", NULL, NULL);
    assert_string_equal(r->body, "(none)|bimbing|absent|127.0.0.1");
}

static void test_routing(void **state)
{
    (void)state;
    struct net_resp *r = expect("GET", "/nope", NULL, NULL, 404, "{\"error\":\"not found\"}");
    expect("POST", "/hdr", "{}", NULL, 405, NULL);
    expect("GET", "/api/v1/items/7", NULL, NULL, 200, "api-v1"); /* longest GET prefix */
    r = one("GET", "/api/other", NULL, NULL);
    assert_string_equal(r->body, "api");
    expect("GET", "/apix", NULL, NULL, 404, NULL); /* whole segments only */
    expect("DELETE", "/api/v1/items/7", NULL, NULL, 204, NULL);
    expect("POST", "/api/v1/items/7", "{}", NULL, 405, NULL);
}

static void test_body_cap(void **state)
{
    (void)state;
    char *big = malloc(5001);
    assert_non_null(big);
    memset(big, 'a', 5000);
    big[5000] = '\0';
    struct net_resp *r = expect("POST", "/small", big, NULL, 413, "{\"error\":\"body too large\"}");
    expect("POST", "/small", big, "Transfer-Encoding: chunked", 413, NULL);
    big[1000] = '\0'; /* exactly the cap */
    r = expect("POST", "/small", big, NULL, 200, NULL);
    assert_int_equal(r->body_len, 1000);
    free(big);
}

static void test_static(void **state)
{
    (void)state;
    char buf[4096];
    expect("GET", "/app.js", NULL, NULL, 200, "console.log(1);");
    expect("GET", "/", NULL, NULL, 200, "<h1>chat</h1>");
    expect("GET", "/missing.css", NULL, NULL, 404, NULL);

    raw_http("GET /app.js HTTP/1.1\r\nHost: x\r\n\r\n", buf, sizeof(buf));
    assert_non_null(strstr(buf, "HTTP/1.1 200"));
    assert_non_null(strcasestr(buf, "content-type: text/javascript"));
    assert_non_null(strcasestr(buf, "x-content-type-options: nosniff"));
    assert_non_null(strstr(buf, "console.log(1);"));
}

/* Issue 14, finding 14: only what the web UI needs is served: no
 * dotfiles, no dot-directories, no shell scripts or unknown file types. */
static void test_static_only_ui(void **state)
{
    (void)state;
    char p[400], buf[4096];
    static const char *paths[] = {"/.env", "/vendor.sh", "/.git/config", "/sub/.hidden.js",
                                  "/sub/data.db"};
    bb_snprintf(p, sizeof(p), "%s/.env", F.web);
    write_file(p, "DOTSECRET");
    bb_snprintf(p, sizeof(p), "%s/vendor.sh", F.web);
    write_file(p, "SHSECRET");
    bb_snprintf(p, sizeof(p), "%s/.git", F.web);
    mkdir(p, 0700);
    bb_snprintf(p, sizeof(p), "%s/.git/config", F.web);
    write_file(p, "GITSECRET");
    bb_snprintf(p, sizeof(p), "%s/sub", F.web);
    mkdir(p, 0700);
    bb_snprintf(p, sizeof(p), "%s/sub/.hidden.js", F.web);
    write_file(p, "HIDSECRET");
    bb_snprintf(p, sizeof(p), "%s/sub/data.db", F.web);
    write_file(p, "DBSECRET");
    for (size_t i = 0; i < BB_ARRAY_LEN(paths); i++) {
        char req[256];
        bb_snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", paths[i]);
        raw_http(req, buf, sizeof(buf));
        if (!strstr(buf, "HTTP/1.1 404") || strstr(buf, "SECRET"))
            fail_msg("%s: %s", paths[i], buf);
    }
    struct net_resp *r = one("GET", "/app.js", NULL, NULL);
    assert_int_equal(r->status, 200);
}

static void test_traversal(void **state)
{
    (void)state;
    static const char *reqs[] = {
        "GET /../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /%2e%2e/secret.txt HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /..%2fsecret.txt HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /x/../../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /%2e%2e%2fsecret.txt HTTP/1.1\r\nHost: x\r\n\r\n",
    };
    char buf[4096];
    for (size_t i = 0; i < BB_ARRAY_LEN(reqs); i++) {
        raw_http(reqs[i], buf, sizeof(buf));
        assert_null(strstr(buf, "TOPSECRET"));
        assert_null(strstr(buf, " 200 "));
    }
}

/* Read until the peer closes (1) or 5 s pass (0). */
static int raw_read_to_close(int fd, char *out, size_t cap)
{
    int64_t end = bb_mono_ms() + 5000;
    size_t have = 0;
    out[0] = '\0';
    while (bb_mono_ms() < end) {
        assert_int_equal(http_service(F.s, 1), BB_OK);
        ssize_t r = recv(fd, out + have, cap - 1 - have, 0);
        if (r == 0)
            return 1;
        if (r > 0)
            have += (size_t)r;
        out[have] = '\0';
        if (have >= cap - 1)
            return 0;
    }
    return 0;
}

/* One request on a fresh connection; 1 when the answer came and the
 * server closed. */
static int raw_http_closed(const char *req, char *out, size_t cap)
{
    int fd = raw_connect();
    assert_int_equal(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
    int closed = raw_read_to_close(fd, out, cap);
    close(fd);
    return closed;
}

static int open_fds(void)
{
    int n = 0;
    char p[64];
    for (int i = 0; i < 65536; i++) {
        bb_snprintf(p, sizeof(p), "/proc/self/fd/%d", i);
        if (access(p, F_OK) == 0)
            n++;
    }
    return n;
}

/* Finding 1 (issue 14): Content-Length together with Transfer-Encoding is
 * refused with 400 and close (RFC 9112 6.1), and a chunked body that ends
 * early is answered and closed, not left open. */
static void test_cl_te(void **state)
{
    (void)state;
    char buf[4096];
    static const char *reqs[] = {
        /* CL + TE, the chunked body cut short by the Content-Length */
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
        "Transfer-Encoding: chunked\r\n\r\n5\r\nab",
        /* CL + TE, a complete chunked body */
        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        "Content-Length: 10\r\n\r\n0\r\n\r\nxxxxx",
        /* CL + TE on a route that does not exist */
        "POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
        "Transfer-Encoding: chunked\r\n\r\n5\r\nab",
        /* a transfer coding that is not chunked */
        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc",
        /* a chunked body that is malformed */
        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab",
    };
    for (size_t i = 0; i < BB_ARRAY_LEN(reqs); i++) {
        assert_true(raw_http_closed(reqs[i], buf, sizeof(buf)));
        if (!strstr(buf, "HTTP/1.1 400") && !strstr(buf, "HTTP/1.1 404"))
            fail_msg("request %zu: %s", i, buf);
        assert_non_null(strcasestr(buf, "connection: close"));
    }
}

/* Finding 1 (issue 14): up to 2,000 such requests (at most 8 s of them, at
 * least 100) leave no socket behind and the server still answers. */
static void test_cl_te_flood(void **state)
{
    (void)state;
    char buf[4096];
    const char *bad = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n5\r\nab";
    int before = open_fds();
    int64_t end = bb_mono_ms() + 8000;
    int done = 0;
    for (int i = 0; i < 2000 && bb_mono_ms() < end; i++, done++) {
        int fd = raw_connect();
        assert_int_equal(send(fd, bad, strlen(bad), 0), (ssize_t)strlen(bad));
        if (!raw_read_to_close(fd, buf, sizeof(buf)))
            fail_msg("request %d not answered and closed: %s", i, buf);
        close(fd);
    }
    for (int i = 0; i < 20; i++)
        assert_int_equal(http_service(F.s, 10), BB_OK);
    assert_true(done >= 100);
    assert_true(open_fds() <= before + 2);
    struct net_resp *r = one("GET", "/echo-query?q=up", NULL, NULL);
    assert_int_equal(r->status, 200);
    assert_string_equal(r->body, "{\"q\":\"up\"}");
}

static void test_response_headers(void **state)
{
    (void)state;
    char buf[4096];
    raw_http("GET /echo-query?q=a HTTP/1.1\r\nHost: x\r\n\r\n", buf, sizeof(buf));
    assert_non_null(strstr(buf, "HTTP/1.1 200"));
    assert_non_null(strcasestr(buf, "content-type: application/json"));
    assert_non_null(strcasestr(buf, "content-length: 9\r\n"));
    assert_non_null(strcasestr(buf, "x-content-type-options: nosniff"));
    assert_non_null(strcasestr(buf, "cache-control: no-store"));
    assert_non_null(strstr(buf, "\r\n\r\n{\"q\":\"a\"}"));
    raw_http("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", buf, sizeof(buf));
    assert_non_null(strcasestr(buf, "x-echo-method: POST"));
    raw_http("POST /hdr HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", buf, sizeof(buf));
    assert_non_null(strstr(buf, "HTTP/1.1 405"));
    assert_non_null(strcasestr(buf, "allow: GET"));
}

static int head_done(const char *buf, size_t len)
{
    (void)len;
    return strstr(buf, "\r\n\r\n") != NULL;
}

/* Finding 11 (issue 14): HEAD is answered like GET, without a body, and
 * the connection stays usable. */
static void test_head(void **state)
{
    (void)state;
    char buf[4096];
    int fd = raw_connect();
    const char *h = "HEAD /echo-query?q=a HTTP/1.1\r\nHost: x\r\n\r\n";
    const char *g = "GET /echo-query?q=b HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_int_equal(send(fd, h, strlen(h), 0), (ssize_t)strlen(h));
    size_t n = raw_read(fd, buf, sizeof(buf), 0, head_done);
    assert_non_null(strstr(buf, "HTTP/1.1 200"));
    assert_non_null(strcasestr(buf, "content-length: 9\r\n"));
    assert_true(n == (size_t)(strstr(buf, "\r\n\r\n") + 4 - buf)); /* no body */
    assert_int_equal(send(fd, g, strlen(g), 0), (ssize_t)strlen(g));
    raw_read(fd, buf, sizeof(buf), 0, http_done);
    assert_non_null(strstr(buf, "HTTP/1.1 200"));
    assert_non_null(strstr(buf, "\r\n\r\n{\"q\":\"b\"}"));
    assert_null(strstr(buf, "{\"q\":\"a\"}"));
    close(fd);
    fd = raw_connect();
    h = "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    assert_int_equal(send(fd, h, strlen(h), 0), (ssize_t)strlen(h));
    assert_true(raw_read_to_close(fd, buf, sizeof(buf)));
    assert_non_null(strstr(buf, "HTTP/1.1 200"));
    assert_non_null(strcasestr(buf, "content-type: text/html"));
    assert_true(strlen(buf) == (size_t)(strstr(buf, "\r\n\r\n") + 4 - buf));
    close(fd);
}

/* Finding 11 (issue 14): the server-wide headers are on lws's own error
 * pages too (a request lws refuses before any handler), once each on ours. */
static void test_lws_error_headers(void **state)
{
    (void)state;
    char buf[4096];
    assert_int_equal(http_set_headers(F.s, "X-Test-Policy: on\r\nX-Other: 2\r\n"), BB_OK);
    assert_true(raw_http_closed("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", buf, sizeof(buf)));
    assert_non_null(strstr(buf, " 403 "));
    assert_non_null(strcasestr(buf, "x-content-type-options: nosniff"));
    assert_non_null(strcasestr(buf, "x-test-policy: on"));
    assert_non_null(strcasestr(buf, "x-other: 2"));
    raw_http("GET /echo-query?q=a HTTP/1.1\r\nHost: x\r\n\r\n", buf, sizeof(buf));
    const char *first = strcasestr(buf, "x-test-policy: on");
    assert_non_null(first);
    assert_null(strcasestr(first + 1, "x-test-policy: on"));
    first = strcasestr(buf, "x-content-type-options: nosniff");
    assert_non_null(first);
    assert_null(strcasestr(first + 1, "x-content-type-options"));
    assert_int_equal(http_set_headers(F.s, ""), BB_OK);
    raw_http("GET /echo-query?q=a HTTP/1.1\r\nHost: x\r\n\r\n", buf, sizeof(buf));
    assert_null(strcasestr(buf, "x-test-policy"));
    assert_non_null(strcasestr(buf, "x-content-type-options: nosniff"));
}

static void test_keepalive(void **state)
{
    (void)state;
    char buf[4096];
    int fd = raw_connect();
    const char *a = "GET /echo-query?q=one HTTP/1.1\r\nHost: x\r\n\r\n";
    const char *b = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
    assert_int_equal(send(fd, a, strlen(a), 0), (ssize_t)strlen(a));
    raw_read(fd, buf, sizeof(buf), 0, http_done);
    assert_non_null(strstr(buf, "{\"q\":\"one\"}"));
    assert_int_equal(send(fd, b, strlen(b), 0), (ssize_t)strlen(b));
    raw_read(fd, buf, sizeof(buf), 0, http_done);
    assert_non_null(strstr(buf, "HTTP/1.1 200"));
    assert_non_null(strstr(buf, "\r\n\r\nhello"));
    close(fd);
}

static void test_curl_errors(void **state)
{
    (void)state;
    char u[128];
    struct net_req r;
    int port;

    /* a closed port */
    int fd = loopback_socket(0, &port);
    close(fd);
    memset(&r, 0, sizeof(r));
    bb_snprintf(u, sizeof(u), "http://127.0.0.1:%d/x", port);
    r.method = "GET";
    r.url = u;
    r.timeout_ms = 5000;
    r.tag = 1;
    r.channel = 3;
    clear_resps();
    assert_int_equal(net_submit(F.n, &r), BB_OK);
    wait_for(1);
    assert_int_equal(F.resp[1]->curl_code, CURLE_COULDNT_CONNECT);
    assert_int_equal(F.resp[1]->status, 0);
    assert_int_equal(F.resp[1]->channel, 3);
    assert_true(F.resp[1]->errbuf[0] != '\0');

    /* a server that accepts (in the kernel) and never answers */
    fd = loopback_socket(1, &port);
    bb_snprintf(u, sizeof(u), "http://127.0.0.1:%d/slow", port);
    r.timeout_ms = 300;
    r.tag = 2;
    clear_resps();
    assert_int_equal(net_submit(F.n, &r), BB_OK);
    wait_for(1);
    assert_int_equal(F.resp[2]->curl_code, CURLE_OPERATION_TIMEDOUT);
    assert_int_equal(F.resp[2]->status, 0);
    close(fd);
}

static void test_retry_after_and_cap(void **state)
{
    (void)state;
    struct net_resp *r = expect("GET", "/busy", NULL, NULL, 429, "{\"error\":\"slow down\"}");
    assert_int_equal(r->retry_after, 7);
    r = one("GET", "/huge", NULL, NULL);
    assert_int_equal(r->curl_code, CURLE_WRITE_ERROR);
    assert_non_null(strstr(r->errbuf, "response body over"));
    assert_true(r->body_len <= NET_MAX_BODY);
}

static void test_many(void **state)
{
    (void)state;
    char u[128];
    struct net_req r;
    enum { N = 500 };

    clear_resps();
    for (int i = 0; i < N; i++) {
        memset(&r, 0, sizeof(r));
        bb_snprintf(u, sizeof(u), "http://127.0.0.1:%d/echo-query?q=n%d", F.port, i);
        r.method = "GET";
        r.url = u;
        r.timeout_ms = 20000;
        r.tag = (uint64_t)i;
        r.channel = i % 7;
        assert_int_equal(net_submit(F.n, &r), BB_OK);
    }
    assert_true(net_pending(F.n) > 0);
    wait_for(N);
    for (int i = 0; i < N; i++) {
        char want[64];
        assert_non_null(F.resp[i]);
        assert_int_equal(F.resp[i]->status, 200);
        assert_int_equal(F.resp[i]->channel, i % 7);
        bb_snprintf(want, sizeof(want), "{\"q\":\"n%d\"}", i);
        assert_string_equal(F.resp[i]->body, want);
    }
    assert_int_equal(net_pending(F.n), 0);
    clear_resps();
}

static void test_net_invalid(void **state)
{
    (void)state;
    struct net_req r;
    memset(&r, 0, sizeof(r));
    r.method = "GET";
    r.url = "ftp://127.0.0.1/x";
    r.timeout_ms = 1000;
    assert_int_equal(net_submit(F.n, &r), BB_EINVAL);
    r.url = "http://127.0.0.1/x";
    r.timeout_ms = 0;
    assert_int_equal(net_submit(F.n, &r), BB_EINVAL);
    r.timeout_ms = 1000;
    r.method = "BREW";
    assert_int_equal(net_submit(F.n, &r), BB_EINVAL);
    r.method = "GET";
    r.headers[0] = "X-Bad: a\r\nX-Injected: b";
    assert_int_equal(net_submit(F.n, &r), BB_EINVAL);
    r.headers[0] = NULL;
    r.body_len = 3;
    assert_int_equal(net_submit(F.n, &r), BB_EINVAL);
    assert_int_equal(net_submit(NULL, &r), BB_EINVAL);
    assert_int_equal(net_pending(F.n), 0);
    net_free(NULL);
    net_resp_free(NULL);
    http_free(NULL);

    char red[64];
    net_redact_url("https://api.telegram.org/bot123:SECRET/getUpdates?offset=5", red, sizeof(red));
    assert_string_equal(red, "https://api.telegram.org/...");
    net_redact_url("http://user:pw@host:8080", red, sizeof(red));
    assert_string_equal(red, "http://host:8080");
}

static void test_query_param(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(http_query_param("a=1&b=x%20y&c", "b", out, sizeof(out)), BB_OK);
    assert_string_equal(out, "x y");
    assert_int_equal(http_query_param("a=1&b=x%20y&c", "c", out, sizeof(out)), BB_OK);
    assert_string_equal(out, "");
    assert_int_equal(http_query_param("a=1", "z", out, sizeof(out)), BB_ENOTFOUND);
    assert_int_equal(http_query_param("", "a", out, sizeof(out)), BB_ENOTFOUND);
    assert_int_equal(http_query_param("a=%zz", "a", out, sizeof(out)), BB_EINVAL);
    assert_int_equal(http_query_param("a=%4", "a", out, sizeof(out)), BB_EINVAL);
    assert_int_equal(http_query_param("a=0123456789abcdefghij", "a", out, sizeof(out)), BB_ELIMIT);
    assert_int_equal(http_query_param("my%20key=v", "my key", out, sizeof(out)), BB_OK);
    assert_string_equal(out, "v");
}

static int ws_frame_done(const char *buf, size_t len)
{
    return len >= 2 && len >= 2 + (size_t)(buf[1] & 0x7f);
}

static int ws_handshake_done(const char *buf, size_t len)
{
    (void)len;
    return strstr(buf, "\r\n\r\n") != NULL;
}

static int seven_done(const char *buf, size_t len)
{
    (void)buf;
    return len >= 7;
}

static void ws_send_frame(int fd, int opcode, int fin, const char *data, size_t len)
{
    unsigned char f[200];
    const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
    assert_true(len < 126);
    f[0] = (unsigned char)((fin ? 0x80 : 0) | opcode);
    f[1] = (unsigned char)(0x80 | len);
    memcpy(f + 2, mask, 4);
    for (size_t i = 0; i < len; i++)
        f[6 + i] = (unsigned char)data[i] ^ mask[i % 4];
    assert_int_equal(send(fd, f, 6 + len, 0), (ssize_t)(6 + len));
}

static void test_websocket(void **state)
{
    (void)state;
    char buf[2048];
    const char *hs = "GET /ws?who=tester HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n";
    int fd = raw_connect();
    assert_int_equal(send(fd, hs, strlen(hs), 0), (ssize_t)strlen(hs));
    raw_read(fd, buf, sizeof(buf), 0, ws_handshake_done);
    assert_non_null(strstr(buf, "HTTP/1.1 101"));
    assert_non_null(strstr(buf, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    assert_int_equal(F.ws_opened, 1);
    assert_string_equal(F.ws_query, "tester");
    assert_true(F.ws_id != 0);

    ws_send_frame(fd, 1, 1, "halo", 4);
    size_t n = raw_read(fd, buf, sizeof(buf), 0, ws_frame_done);
    assert_int_equal(F.ws_msgs, 1);
    assert_true(n >= 11);
    assert_int_equal((unsigned char)buf[0], 0x81);
    assert_int_equal(buf[1], 9);
    assert_memory_equal(buf + 2, "echo:halo", 9);

    /* the server may also send: queue two, both arrive in order */
    assert_int_equal(http_ws_send(F.s, F.ws_id, "a", 1), BB_OK);
    assert_int_equal(http_ws_send(F.s, F.ws_id, "bc", 2), BB_OK);
    n = raw_read(fd, buf, sizeof(buf), 0, seven_done);
    assert_true(n >= 7);
    assert_memory_equal(buf,
                        "\x81\x01"
                        "a"
                        "\x81\x02"
                        "bc",
                        7);

    assert_int_equal(http_ws_send(F.s, 999999, "x", 1), BB_ENOTFOUND);

    /* client closes: on_close runs */
    ws_send_frame(fd, 8, 1, "\x03\xe8", 2);
    int64_t end = bb_mono_ms() + 5000;
    while (!F.ws_closed && bb_mono_ms() < end)
        assert_int_equal(http_service(F.s, 10), BB_OK);
    assert_int_equal(F.ws_closed, 1);
    assert_int_equal(http_ws_send(F.s, F.ws_id, "x", 1), BB_ENOTFOUND);
    close(fd);

    /* server closes */
    fd = raw_connect();
    assert_int_equal(send(fd, hs, strlen(hs), 0), (ssize_t)strlen(hs));
    raw_read(fd, buf, sizeof(buf), 0, ws_handshake_done);
    assert_non_null(strstr(buf, "HTTP/1.1 101"));
    assert_int_equal(F.ws_opened, 2);
    assert_int_equal(http_ws_send(F.s, F.ws_id, "bye", 3), BB_OK);
    http_ws_close(F.s, F.ws_id);
    n = raw_read(fd, buf, sizeof(buf), 0, NULL); /* until the server closes */
    assert_true(n >= 5);
    assert_memory_equal(buf,
                        "\x81\x03"
                        "bye",
                        5);
    assert_int_equal((unsigned char)buf[5], 0x88); /* close frame */
    end = bb_mono_ms() + 5000;
    while (F.ws_closed < 2 && bb_mono_ms() < end)
        assert_int_equal(http_service(F.s, 10), BB_OK);
    assert_int_equal(F.ws_closed, 2);
    close(fd);

    /* an upgrade on a path without an endpoint is refused */
    fd = raw_connect();
    const char *bad = "GET /nows HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n";
    assert_int_equal(send(fd, bad, strlen(bad), 0), (ssize_t)strlen(bad));
    raw_read(fd, buf, sizeof(buf), 0, ws_handshake_done);
    assert_null(strstr(buf, " 101 "));
    assert_int_equal(F.ws_opened, 2);
    close(fd);

    /* a message over max_msg (1024) closes the connection */
    fd = raw_connect();
    assert_int_equal(send(fd, hs, strlen(hs), 0), (ssize_t)strlen(hs));
    raw_read(fd, buf, sizeof(buf), 0, ws_handshake_done);
    assert_int_equal(F.ws_opened, 3);
    for (int i = 0; i < 12; i++)
        ws_send_frame(fd, i == 0 ? 1 : 0, 0,
                      "0123456789012345678901234567890123456789"
                      "0123456789012345678901234567890123456789"
                      "0123456789012345678901234567890123456789",
                      120);
    /* the server sends close 1009 (0x3f1), then waits for our close */
    n = raw_read(fd, buf, sizeof(buf), 0, ws_frame_done);
    assert_true(n >= 4);
    assert_int_equal((unsigned char)buf[0], 0x88);
    assert_int_equal((unsigned char)buf[2], 0x03);
    assert_int_equal((unsigned char)buf[3], 0xf1);
    close(fd);
    end = bb_mono_ms() + 5000;
    while (F.ws_closed < 3 && bb_mono_ms() < end)
        assert_int_equal(http_service(F.s, 10), BB_OK);
    assert_int_equal(F.ws_closed, 3);
    assert_int_equal(F.ws_msgs, 1);

    /* a client that does not read: the queue is bounded, then it is dropped */
    fd = raw_connect();
    assert_int_equal(send(fd, hs, strlen(hs), 0), (ssize_t)strlen(hs));
    raw_read(fd, buf, sizeof(buf), 0, ws_handshake_done);
    assert_int_equal(F.ws_opened, 4);
    for (int i = 0; i < HTTP_WS_QUEUE_MSGS; i++)
        assert_int_equal(http_ws_send(F.s, F.ws_id, "m", 1), BB_OK);
    assert_int_equal(http_ws_send(F.s, F.ws_id, "m", 1), BB_ELIMIT);
    assert_int_equal(http_ws_send(F.s, F.ws_id, "m", 1), BB_ENOTFOUND);
    end = bb_mono_ms() + 5000;
    while (F.ws_closed < 4 && bb_mono_ms() < end)
        assert_int_equal(http_service(F.s, 10), BB_OK);
    assert_int_equal(F.ws_closed, 4);
    close(fd);

    /* left open: http_free() closes it and on_close runs (see teardown) */
    F.ws_left_fd = raw_connect();
    assert_int_equal(send(F.ws_left_fd, hs, strlen(hs), 0), (ssize_t)strlen(hs));
    raw_read(F.ws_left_fd, buf, sizeof(buf), 0, ws_handshake_done);
    assert_int_equal(F.ws_opened, 5);
}

/* A POST with a body pipelined behind another request in one packet:
 * lws 4.1.6 reported its body complete over and over without handing it
 * over, and http_service never returned (one unauthenticated request hung
 * the whole service at full CPU; found by the HTTP fuzz harness). Now the
 * first answer goes, the connection closes, and the server still answers.
 * The alarm turns a hang into a failure. */
static void test_pipelined_body(void **state)
{
    (void)state;
    char buf[4096];
    static const char *reqs[] = {
        "GET /api HTTP/1.1\r\nHost: x\r\n\r\n"
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n{\"a\":1}",
        "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n{\"a\":1}",
    };
    alarm(60);
    for (size_t i = 0; i < BB_ARRAY_LEN(reqs); i++) {
        if (!raw_http_closed(reqs[i], buf, sizeof(buf)))
            fail_msg("request %zu not closed: %s", i, buf);
        assert_true(strncmp(buf, "HTTP/1.1 ", 9) == 0);
        raw_http("GET /api HTTP/1.1\r\nHost: x\r\n\r\n", buf, sizeof(buf));
        assert_non_null(strstr(buf, "HTTP/1.1 200"));
    }
    alarm(0);
}

/* http_service(s, 0) with nothing to do returns at once: it used to wait
 * for lws's next own timer (30 s), stalling the service loop whenever the
 * core asked to come straight back. Bound: 5 s, far from either. */
static void test_service_no_wait(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        int64_t t0 = bb_mono_ms();
        assert_int_equal(http_service(F.s, 0), BB_OK);
        assert_true(bb_mono_ms() - t0 < 5000);
    }
}

/* Read until the peer closes or limit_ms pass; the milliseconds it took,
 * or -1 when it did not close. */
static int64_t ms_to_close(int fd, char *out, size_t cap, int64_t limit_ms)
{
    int64_t t0 = bb_mono_ms(), end = t0 + limit_ms;
    size_t have = 0;
    out[0] = '\0';
    while (bb_mono_ms() < end) {
        assert_int_equal(http_service(F.s, 10), BB_OK);
        ssize_t r = recv(fd, out + have, cap - 1 - have, 0);
        if (r == 0)
            return bb_mono_ms() - t0;
        if (r > 0)
            have += (size_t)r;
        out[have] = '\0';
        if (have >= cap - 1)
            break;
    }
    return -1;
}

/* Finding 11 (issue 14): a header whose name is a prefix of one lws knows
 * ("X-A:" of "x-auth-token:", "Cooki:" of "cookie:"), sent last, leaves
 * lws 4.1.6 waiting for more header lines (its lexer takes the ':' as the
 * character that failed the match, and the line ends inside the name).
 * That wait is bounded by the header phase's timeout (HTTP_HEADER_SECS),
 * not lws's default 10 s. The same header followed by another is parsed
 * (and the request answered). */
static void test_header_prefix(void **state)
{
    (void)state;
    char buf[4096];
    static const char *reqs[] = {
        "GET /echo-query?q=a HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n\r\n",
        "GET /echo-query?q=a HTTP/1.1\r\nHost: x\r\nCooki: a=b\r\n\r\n",
    };
    for (size_t i = 0; i < BB_ARRAY_LEN(reqs); i++) {
        int fd = raw_connect();
        assert_int_equal(send(fd, reqs[i], strlen(reqs[i]), 0), (ssize_t)strlen(reqs[i]));
        int64_t ms = ms_to_close(fd, buf, sizeof(buf), 9000);
        close(fd);
        if (ms < 0 || ms > (HTTP_HEADER_SECS + 2) * 1000)
            fail_msg("request %zu: closed after %lld ms (bound %d s)", i, (long long)ms,
                     HTTP_HEADER_SECS + 2);
    }
    raw_http("GET /echo-query?q=a HTTP/1.1\r\nX-A: 1\r\nHost: x\r\n\r\n", buf, sizeof(buf));
    assert_non_null(strstr(buf, "HTTP/1.1 200"));
}

/* The header phase's timeout (HTTP_HEADER_SECS) ends with the headers: a
 * body that takes longer to arrive, and a kept-alive connection that
 * waits longer for its next request, are not cut by it. */
static void test_header_timeout_scope(void **state)
{
    (void)state;
    char buf[4096];
    const char *h = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n";
    int fd = raw_connect();
    assert_int_equal(send(fd, h, strlen(h), 0), (ssize_t)strlen(h));
    for (int i = 0; i < 4; i++) {
        int64_t end = bb_mono_ms() + (HTTP_HEADER_SECS + 1) * 1000 / 4;
        while (bb_mono_ms() < end)
            assert_int_equal(http_service(F.s, 10), BB_OK);
        assert_int_equal(send(fd, "abcd" + i, 1, MSG_NOSIGNAL), 1);
    }
    raw_read(fd, buf, sizeof(buf), 0, http_done);
    if (!strstr(buf, "HTTP/1.1 200") || !strstr(buf, "\r\n\r\nabcd"))
        fail_msg("a slow body: %s", buf);
    int64_t end = bb_mono_ms() + (HTTP_HEADER_SECS + 1) * 1000;
    while (bb_mono_ms() < end)
        assert_int_equal(http_service(F.s, 10), BB_OK);
    h = "GET /echo-query?q=later HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_int_equal(send(fd, h, strlen(h), MSG_NOSIGNAL), (ssize_t)strlen(h));
    raw_read(fd, buf, sizeof(buf), 0, http_done);
    assert_non_null(strstr(buf, "{\"q\":\"later\"}"));
    close(fd);
}

/* Finding 11 (issue 14): a request line and headers of up to
 * HTTP_HEADER_MAX bytes are read (the limit was set on the vhost, where
 * lws 4.1.6 ignores it: lws's default 4,096 bytes applied, and a larger
 * request was closed without an answer); over it the answer is 431 and
 * the server carries on; beyond lws's own table (HTTP_HEADER_TABLE) lws
 * closes the connection. */
static int big_request(char *req, const char *name, size_t n)
{
    int k = snprintf(req, 200, "GET /echo-query?q=big HTTP/1.1\r\nHost: x\r\n%s: ", name);
    memset(req + k, 'a', n);
    memcpy(req + k + n, "\r\n\r\n", 5);
    return raw_connect();
}

static void test_header_size(void **state)
{
    (void)state;
    char *req = malloc(HTTP_HEADER_TABLE + 4096), buf[4096];
    assert_non_null(req);
    int fd = big_request(req, "Cookie", HTTP_HEADER_MAX - 1024); /* well over 4,096 */
    assert_int_equal(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
    raw_read(fd, buf, sizeof(buf), 0, http_done);
    close(fd);
    if (!strstr(buf, "HTTP/1.1 200"))
        fail_msg("a %d-byte cookie: %s", HTTP_HEADER_MAX - 1024, buf);
    fd = big_request(req, "Cookie", HTTP_HEADER_MAX + 1024);
    assert_int_equal(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
    assert_true(ms_to_close(fd, buf, sizeof(buf), 5000) >= 0);
    close(fd);
    if (!strstr(buf, "HTTP/1.1 431 ") || !strcasestr(buf, "x-content-type-options: nosniff") ||
        !strcasestr(buf, "connection: close"))
        fail_msg("a %d-byte cookie: %s", HTTP_HEADER_MAX + 1024, buf);
    fd = big_request(req, "Cookie", HTTP_HEADER_TABLE + 1024);
    size_t sent = 0, len = strlen(req);
    for (int i = 0; i < 1000 && sent < len; i++) {
        ssize_t r = send(fd, req + sent, len - sent, MSG_NOSIGNAL);
        if (r > 0)
            sent += (size_t)r;
        else if (r < 0 && errno != EAGAIN)
            break;
        assert_int_equal(http_service(F.s, 1), BB_OK);
    }
    assert_true(ms_to_close(fd, buf, sizeof(buf), 5000) >= 0);
    close(fd);
    assert_null(strstr(buf, "HTTP/1.1 200"));
    raw_http("GET /echo-query?q=a HTTP/1.1\r\nHost: x\r\n\r\n", buf, sizeof(buf));
    assert_non_null(strstr(buf, "HTTP/1.1 200"));
    free(req);
}

/* Finding 11 (issue 14): HEAD on a path lws refuses itself (a bad
 * %-escape, before any callback of ours) gets lws's 403 page with its
 * body: lws_return_http_status() does not look at the method. lws closes
 * the connection after it, so those bytes can never be read as the answer
 * to a next request (docs/security.md). */
static void test_head_lws_error(void **state)
{
    (void)state;
    char buf[4096];
    int fd = raw_connect();
    const char *h = "HEAD /%zz HTTP/1.1\r\nHost: x\r\n\r\nGET /api HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_int_equal(send(fd, h, strlen(h), 0), (ssize_t)strlen(h));
    assert_true(ms_to_close(fd, buf, sizeof(buf), 5000) >= 0);
    close(fd);
    assert_non_null(strstr(buf, " 403 "));
    assert_non_null(strcasestr(buf, "x-content-type-options: nosniff"));
    assert_null(strstr(buf, "api")); /* the pipelined GET was not answered */
}

/* ---- deferred answers ---- */

static void hold_submit(uint64_t tag)
{
    char u[256];
    struct net_req r;
    memset(&r, 0, sizeof(r));
    url(u, sizeof(u), "/hold");
    r.method = "POST";
    r.url = u;
    r.body = "{}";
    r.body_len = 2;
    r.content_type = "application/json";
    r.timeout_ms = 8000;
    r.tag = tag;
    assert_int_equal(net_submit(F.n, &r), BB_OK);
}

/* Service until n answers are held and `refused` holds were refused. */
static void wait_held(int n, int refused)
{
    int64_t end = bb_mono_ms() + 5000;
    while ((F.nt < n || F.refused < refused) && bb_mono_ms() < end)
        assert_int_equal(http_service(F.s, 20), BB_OK);
    assert_int_equal(F.nt, n);
    assert_int_equal(F.refused, refused);
}

static void hold_reset(void)
{
    clear_resps();
    F.nt = F.refused = 0;
}

/* A held request is answered only by http_answer(), with its body. */
static void test_hold_answer(void **state)
{
    (void)state;
    hold_reset();
    hold_submit(0);
    wait_held(1, 0);
    assert_int_equal(http_held_count(F.s), 1);
    for (int i = 0; i < 10; i++) /* held: nothing comes back meanwhile */
        assert_int_equal(http_service(F.s, 10), BB_OK);
    assert_int_equal(F.got, 0);
    assert_int_equal(http_answer(F.s, F.tickets[0], 200, "{\"stored\":true}"), BB_OK);
    assert_int_equal(http_held_count(F.s), 0);
    wait_for(1);
    assert_int_equal(F.resp[0]->status, 200);
    assert_string_equal(F.resp[0]->body, "{\"stored\":true}");
    /* a ticket answers once */
    assert_int_equal(http_answer(F.s, F.tickets[0], 200, "{}"), BB_ENOTFOUND);
    assert_int_equal(http_answer(F.s, 0, 200, "{}"), BB_EINVAL);
    hold_reset();
}

/* Past held_max (2) a hold is refused and the handler answers itself;
 * each held one gets its own answer. */
static void test_hold_limit(void **state)
{
    (void)state;
    hold_reset();
    for (uint64_t i = 0; i < 3; i++)
        hold_submit(i);
    wait_held(2, 1);
    wait_for(1);
    int first = F.resp[0] ? 0 : F.resp[1] ? 1 : 2;
    assert_int_equal(F.resp[first]->status, 503);
    assert_string_equal(F.resp[first]->body, "{\"error\":\"full\"}");
    assert_int_equal(http_held_count(F.s), 2);
    assert_int_equal(http_answer(F.s, F.tickets[1], 503, "{\"error\":\"rolled back\"}"), BB_OK);
    assert_int_equal(http_answer(F.s, F.tickets[0], 200, "{}"), BB_OK);
    wait_for(3);
    int ok = 0, rb = 0;
    for (int i = 0; i < 3; i++) {
        ok += F.resp[i]->status == 200 && strcmp(F.resp[i]->body, "{}") == 0;
        rb += F.resp[i]->status == 503 && strstr(F.resp[i]->body, "rolled back") != NULL;
    }
    assert_int_equal(ok, 1);
    assert_int_equal(rb, 1);
    hold_reset();
}

/* A held request not answered within held_ms gets a 503; its ticket dies. */
static void test_hold_timeout(void **state)
{
    (void)state;
    hold_reset();
    hold_submit(0);
    wait_held(1, 0);
    wait_for(1); /* held_ms is 1.5 s; wait_for allows 10 s */
    assert_int_equal(F.resp[0]->status, 503);
    assert_string_equal(F.resp[0]->body, "{\"error\":\"timed out\"}");
    assert_int_equal(http_held_count(F.s), 0);
    assert_int_equal(http_answer(F.s, F.tickets[0], 200, "{}"), BB_ENOTFOUND);
    hold_reset();
}

/* A held request whose client goes away frees its slot; its ticket dies. */
static void test_hold_closed(void **state)
{
    (void)state;
    static const char req[] = "POST /hold HTTP/1.1\r\nHost: x\r\nContent-Type: "
                              "application/json\r\nContent-Length: 2\r\n\r\n{}";
    hold_reset();
    int fd = raw_connect();
    assert_int_equal(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
    wait_held(1, 0);
    close(fd);
    int64_t end = bb_mono_ms() + 5000;
    while (http_held_count(F.s) > 0 && bb_mono_ms() < end)
        assert_int_equal(http_service(F.s, 20), BB_OK);
    assert_int_equal(http_held_count(F.s), 0);
    assert_int_equal(http_answer(F.s, F.tickets[0], 200, "{}"), BB_ENOTFOUND);
    hold_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_param),
        cmocka_unit_test(test_net_invalid),
        cmocka_unit_test(test_get_query),
        cmocka_unit_test(test_post_echo),
        cmocka_unit_test(test_custom_header),
        cmocka_unit_test(test_routing),
        cmocka_unit_test(test_body_cap),
        cmocka_unit_test(test_static),
        cmocka_unit_test(test_traversal),
        cmocka_unit_test(test_static_only_ui),
        cmocka_unit_test(test_cl_te),
        cmocka_unit_test(test_cl_te_flood),
        cmocka_unit_test(test_response_headers),
        cmocka_unit_test(test_head),
        cmocka_unit_test(test_lws_error_headers),
        cmocka_unit_test(test_keepalive),
        cmocka_unit_test(test_curl_errors),
        cmocka_unit_test(test_retry_after_and_cap),
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_websocket),
        cmocka_unit_test(test_service_no_wait),
        cmocka_unit_test(test_pipelined_body),
        cmocka_unit_test(test_header_prefix),
        cmocka_unit_test(test_header_timeout_scope),
        cmocka_unit_test(test_header_size),
        cmocka_unit_test(test_head_lws_error),
        cmocka_unit_test(test_hold_answer),
        cmocka_unit_test(test_hold_limit),
        cmocka_unit_test(test_hold_timeout),
        cmocka_unit_test(test_hold_closed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
