/*
 * admin.h - the HR dashboard at /admin and the JSON API under /api/v1 on
 * the service's HTTP server. Core thread only.
 */
#ifndef ADMIN_H
#define ADMIN_H

#include "adapters/http.h"
#include "bot/domain.h"

/* Register the routes. The context must outlive the server. */
int admin_start(struct http_server *http, const struct domain_ctx *d);

#endif
