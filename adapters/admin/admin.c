/*
 * admin.c - the HR dashboard and JSON API (see admin.h); not built yet.
 */
#include "adapters/admin/admin.h"
#include "bot/bb.h"

int admin_start(struct http_server *http, const struct domain_ctx *d)
{
    (void)http;
    (void)d;
    return BB_OK;
}
