/*
 * admin.h - the HR dashboard's JSON API under /api/v1 on the service's
 * HTTP server (the pages are static files in web/admin/, served at
 * /admin/). The API, its sign-in and its roles are described in
 * docs/api.md. admin_new() also sets the security headers (a
 * Content-Security-Policy of default-src 'self', no framing) that the
 * server sends with every response, the web chat's pages included.
 *
 * Threads: core thread only. Ownership: the caller owns struct admin; it
 * borrows the domain context, which must outlive it, and must be freed
 * after the HTTP server (whose routes point at it).
 */
#ifndef ADMIN_H
#define ADMIN_H

#include "adapters/net/http.h"
#include "bot/core/domain.h"

struct admin;

/* Register the API routes. On an error after some routes were added,
 * *out is still set (those routes use it) and must be freed like on
 * success. */
int admin_new(struct http_server *http, const struct domain_ctx *d, struct admin **out);
void admin_free(struct admin *a); /* NULL is a no-op */

#endif
