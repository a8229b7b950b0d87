/*
 * apiutil.c - shared helpers of the JSON endpoints (see apiutil.h). The
 * functions were the web chat's own until the HR dashboard needed the same.
 */
#include "adapters/net/apiutil.h"
#include "bot/base/bb.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void api_json(struct http_resp *resp, int status, const cJSON *o)
{
    char *s = o ? cJSON_PrintUnformatted(o) : NULL;
    free(resp->body);
    resp->body = NULL;
    resp->body_len = 0;
    resp->status = s ? status : 500;
    resp->content_type = "application/json";
    if (s) {
        resp->body = strdup(s);
        resp->body_len = resp->body ? strlen(resp->body) : 0;
        cJSON_free(s);
    }
    if (!resp->body)
        resp->status = 500;
}

void api_error(struct http_resp *resp, int status, const char *msg)
{
    cJSON *o = cJSON_CreateObject();
    if (o)
        cJSON_AddStringToObject(o, "error", msg);
    api_json(resp, status, o);
    cJSON_Delete(o);
}

void api_segment_refused(struct http_resp *resp, cJSON *detail, const char *err)
{
    if (!detail)
        detail = cJSON_CreateObject();
    if (!detail) {
        api_error(resp, 500, "out of memory");
        return;
    }
    if (!cJSON_GetObjectItemCaseSensitive(detail, "code"))
        cJSON_AddStringToObject(detail, "code", "segment.syntax");
    cJSON_DeleteItemFromObjectCaseSensitive(detail, "error");
    cJSON_AddStringToObject(detail, "error",
                            err && *err ? err : "\"to\" must be all, unit=NAME or role=ROLE");
    api_json(resp, 400, detail);
    cJSON_Delete(detail);
}

cJSON *api_json_object(const struct http_req *req, struct http_resp *resp)
{
    char ctype[128];
    cJSON *o = NULL;
    if (!http_req_header(req, "content-type", ctype, sizeof(ctype)) ||
        strncasecmp(ctype, "application/json", 16) != 0) {
        api_error(resp, 415, "send a JSON object as application/json");
        return NULL;
    }
    if (!bb_utf8_valid(req->body, req->body_len) ||
        !(o = cJSON_ParseWithLength(req->body, req->body_len)) || !cJSON_IsObject(o)) {
        cJSON_Delete(o);
        api_error(resp, 400, "the body must be a JSON object");
        return NULL;
    }
    return o;
}

void api_hex(const unsigned char *b, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[b[i] >> 4];
        out[2 * i + 1] = hx[b[i] & 15];
    }
    out[2 * n] = '\0';
}

int api_token_new(char tok[API_TOKEN_HEX + 1], char hash[65])
{
    unsigned char rnd[API_TOKEN_HEX / 2];
    int rc = bb_random(rnd, sizeof(rnd));
    if (rc != BB_OK)
        return rc;
    api_hex(rnd, sizeof(rnd), tok);
    bb_sha256_hex(tok, API_TOKEN_HEX, hash);
    return BB_OK;
}

int api_cookie_token(const struct http_req *req, const char *name, char tok[API_TOKEN_HEX + 1],
                     char hash[65])
{
    char hdr[4096];
    size_t klen = strlen(name);
    const char *p = hdr;

    if (!http_req_header(req, "cookie", hdr, sizeof(hdr)))
        return BB_ENOTFOUND;
    while (*p) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = p + strcspn(p, ";");
        if ((size_t)(end - p) > klen && strncmp(p, name, klen) == 0 && p[klen] == '=') {
            const char *v = p + klen + 1;
            if ((size_t)(end - v) != API_TOKEN_HEX)
                return BB_EINVAL;
            for (int i = 0; i < API_TOKEN_HEX; i++)
                if (!strchr("0123456789abcdef", v[i]) || !v[i])
                    return BB_EINVAL;
            memcpy(tok, v, API_TOKEN_HEX);
            tok[API_TOKEN_HEX] = '\0';
            if (hash)
                bb_sha256_hex(tok, API_TOKEN_HEX, hash);
            return BB_OK;
        }
        p = end;
    }
    return BB_ENOTFOUND;
}

int api_equal(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned char d = na != nb;
    /* walk the longer one fully, whatever the contents */
    size_t n = na > nb ? na : nb;
    for (size_t i = 0; i < n; i++) {
        unsigned char ca = i < na ? (unsigned char)a[i] : 0;
        unsigned char cb = i < nb ? (unsigned char)b[i] : 0;
        d |= ca ^ cb;
    }
    return d == 0;
}

int api_origin_ok(const struct http_req *req)
{
    char origin[256], host[256];
    if (!http_req_header(req, "origin", origin, sizeof(origin)))
        return 1; /* not a browser */
    if (!http_req_header(req, "host", host, sizeof(host)))
        return 0;
    const char *p = strstr(origin, "://");
    return p && strcasecmp(p + 3, host) == 0;
}

int api_set_cookie(struct http_resp *resp, const struct http_req *req, const char *name,
                   const char *value, int max_age)
{
    char xfp[16], age[32] = "";
    size_t used = strlen(resp->headers);
    int secure = http_req_header(req, "x-forwarded-proto", xfp, sizeof(xfp)) &&
                 strcasecmp(xfp, "https") == 0;
    if (max_age >= 0)
        bb_snprintf(age, sizeof(age), "; Max-Age=%d", max_age);
    return bb_snprintf(resp->headers + used, sizeof(resp->headers) - used,
                       "Set-Cookie: %s=%s; HttpOnly; SameSite=Strict; Path=/%s%s\r\n", name, value,
                       age, secure ? "; Secure" : "");
}

int api_iplimit_hit(struct api_iplimit *l, const char *ip, int64_t now_ms, int max,
                    int64_t window_ms, int64_t *retry_s)
{
    struct api_iplimit_slot *slot = NULL, *oldest = NULL;
    for (int i = 0; i < API_IPLIMIT_N; i++) {
        struct api_iplimit_slot *r = &l->slot[i];
        if (r->ip[0] && strcmp(r->ip, ip) == 0) {
            slot = r;
            break;
        }
        if (!oldest || !r->ip[0] || (oldest->ip[0] && r->start_ms < oldest->start_ms))
            oldest = r;
    }
    if (slot && now_ms - slot->start_ms >= window_ms) {
        slot->count = 0;
        slot->start_ms = now_ms;
    }
    if (!slot) {
        slot = oldest;
        bb_strlcpy(slot->ip, ip, sizeof(slot->ip));
        slot->start_ms = now_ms;
        slot->count = 0;
    }
    if (slot->count >= max) {
        if (retry_s)
            *retry_s = (slot->start_ms + window_ms - now_ms + 999) / 1000;
        return BB_ELIMIT;
    }
    slot->count++;
    return BB_OK;
}
