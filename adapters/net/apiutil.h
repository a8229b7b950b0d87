/*
 * apiutil.h - small pieces the JSON endpoints of the HTTP server share (the
 * web chat's sign-in and the HR dashboard's API): JSON responses and
 * errors, session cookies holding 32 random bytes as 64 hex digits, a
 * per-address attempt limit, a constant-time comparison and the Origin
 * check for browsers.
 *
 * Threads: the core thread (inside HTTP handlers); a struct api_iplimit
 * belongs to one owner. Nothing here allocates except api_json().
 */
#ifndef APIUTIL_H
#define APIUTIL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "adapters/net/http.h"

#define API_TOKEN_HEX 64  /* a session token: 32 random bytes in hex */
#define API_IPLIMIT_N 256 /* remote addresses tracked by one limiter */

/* resp = status + o printed as JSON (o stays the caller's); 500 when o is
 * NULL or cannot be printed. */
void api_json(struct http_resp *resp, int status, const cJSON *o);
/* resp = status + {"error": msg}. */
void api_error(struct http_resp *resp, int status, const char *msg);
/* resp = 400 + detail (the segment checker's {"code", "value",
 * "suggestion", "known"}; NULL for none) with "error": err, or the
 * syntax text when err is empty, and "code" "segment.syntax" when detail
 * has none. Takes ownership of detail. */
void api_segment_refused(struct http_resp *resp, cJSON *detail, const char *err);
/* The request's body as a JSON object (the caller owns it), after checking
 * it is application/json and valid UTF-8; NULL when not, with resp already
 * answered 415 or 400. */
cJSON *api_json_object(const struct http_req *req, struct http_resp *resp);

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void api_hex(const unsigned char *b, size_t n, char *out);
/* A fresh token (API_TOKEN_HEX + 1 bytes) and its SHA-256 hex. */
int api_token_new(char tok[API_TOKEN_HEX + 1], char hash[65]);
/* The token in cookie `name` of the request, when it is exactly 64 hex
 * digits, and its SHA-256 hex (hash may be NULL). BB_ENOTFOUND when the
 * cookie is absent, BB_EINVAL when it has another shape. */
int api_cookie_token(const struct http_req *req, const char *name, char tok[API_TOKEN_HEX + 1],
                     char hash[65]);
/* 1 when the strings are equal; the time taken depends only on their
 * lengths, never on where they differ. */
int api_equal(const char *a, const char *b);
/* An Origin header, when sent, must name the host the request went to
 * (a browser request from another site is refused). 1 when fine. */
int api_origin_ok(const struct http_req *req);
/* Set-Cookie line for name=value (HttpOnly; SameSite=Strict; Path=/;
 * Secure behind an https proxy); max_age < 0: a browser-session cookie,
 * 0: delete it. Appended to resp->headers. */
int api_set_cookie(struct http_resp *resp, const struct http_req *req, const char *name,
                   const char *value, int max_age);

struct api_iplimit_slot {
    char ip[64];
    int64_t start_ms;
    int count;
};
struct api_iplimit {
    struct api_iplimit_slot slot[API_IPLIMIT_N];
};
/* Count an attempt from ip: at most max per window_ms. BB_ELIMIT when over
 * the limit, and *retry_s says when the window ends. The table is bounded:
 * a new address takes a free slot, else the one with the oldest window. */
int api_iplimit_hit(struct api_iplimit *l, const char *ip, int64_t now_ms, int max,
                    int64_t window_ms, int64_t *retry_s);

#endif
