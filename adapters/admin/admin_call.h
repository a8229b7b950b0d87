/*
 * admin_call.h - one API request as an area's handler file sees it
 * (adapters/admin/admin_<area>.c): the routes[] row in admin.c names the
 * handler in its `ext` column, and admin.c calls it after the session, the
 * row's role and (for anything but GET) the CSRF header were checked.
 *
 * Threads: the core thread, inside the request; everything is borrowed
 * for the call.
 */
#ifndef ADMIN_CALL_H
#define ADMIN_CALL_H

#include <stdint.h>

#include "adapters/net/http.h"
#include "bot/core/domain.h"

struct admin_call {
    const struct domain_ctx *d;
    const struct http_req *req;
    struct http_resp *resp;
    const char *arg;   /* the '*' segment of the route ("" when none) */
    const char *actor; /* "operator" or "hr:<NIP>", for the audit log */
    int64_t person_id; /* the signed-in person, 0 for the operator */
    const char *role;  /* their role; "admin" for the operator */
    int64_t now;
};

#endif
