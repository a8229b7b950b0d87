/*
 * admin_int.h - what the HR dashboard's API (adapters/admin/admin.c) shares
 * with the files that hold one area's routes (admin_surveys.c, ...): the
 * request as a handler sees it and a few helpers. Not for anything outside
 * adapters/admin.
 *
 * Threads: core thread only, as admin.c.
 */
#ifndef ADMIN_INT_H
#define ADMIN_INT_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "adapters/net/apiutil.h"
#include "adapters/net/http.h"
#include "bot/core/domain.h"
#include "store/store.h"

#define ADMIN_ID_MAX 64 /* a survey or broadcast id in a path */

struct admin {
    const struct domain_ctx *d;
    const struct admin_hooks *hooks;
    struct api_iplimit rl;
};

/* One API request, as the handlers see it. */
struct areq {
    struct admin *a;
    const struct http_req *req;
    struct http_resp *resp;
    const char *sub;            /* the path after /api/v1 */
    char arg[ADMIN_ID_MAX + 1]; /* the '*' segment of the endpoint, if any */
    /* the session, once checked */
    char tok[API_TOKEN_HEX + 1];
    char hash[65];
    int64_t person_id; /* 0: operator */
    struct store_person person;
    char actor[48]; /* "operator" or "hr:<NIP>" for the audit log */
};

/* Answer a module's result: out (ok_status), or the error by rc: 404, 400,
 * 409 with err, 500 logged. Frees out. */
void admin_hook_answer(struct areq *r, const char *what, int rc, cJSON *out, const char *err,
                       int ok_status);
/* "to" of a request checked by the one segment checker; 0 when refused
 * (400 answered with the details). */
int admin_segment_ok(struct areq *r, const char *to);

#endif
