/*
 * admin_invites.c - the dashboard's invite routes (see admin_invites.h and
 * docs/api.md). Called by admin.c's router after the session, role and
 * CSRF checks; everything that changes data goes through people_invite.c.
 *
 * A code leaves the service only in the answer to the request that made it
 * (the store keeps its SHA-256): the answer carries every row with both
 * links, the QR code of the first link a phone camera opens (Telegram when
 * the bot has a username, else the web chat) as SVG path data drawn from
 * libqrencode's matrix, and the same CSV the CLI writes.
 */
#include "adapters/admin/admin_invites.h"
#include "adapters/admin/admin_hooks.h"
#include "adapters/admin/admin_qr.h"
#include "adapters/net/apiutil.h"
#include "adapters/service/channels.h"
#include "bot/base/bb.h"
#include "bot/core/config.h"
#include "bot/domain/people/people_invite.h"
#include "store/store_survey.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define INV_CSV_MAX   (64u << 20) /* the CSV of one segment's codes */
#define INV_QR_MAX    (16u << 10) /* one QR code's SVG path data */
#define INV_LINK_MAX  256
#define INV_UNIT_MAX  128
#define INV_STATE_MAX 16

static void iso_add(cJSON *o, const char *name, int64_t t)
{
    char ts[32];
    if (!t) {
        cJSON_AddNullToObject(o, name);
        return;
    }
    bb_format_iso8601(t, ts, sizeof(ts));
    cJSON_AddStringToObject(o, name, ts);
}

static void fail500(const struct admin_call *c, const char *what, int rc)
{
    bb_log(BB_LOG_ERR, "admin", "invites: %s: %s (%s)", what, bb_strerror(rc),
           store_errmsg(c->d->st));
    api_error(c->resp, 500, "internal error; see the service log");
}

/* "a,b" as a JSON array of strings. */
static cJSON *list_of(const char *csv)
{
    cJSON *a = cJSON_CreateArray();
    char buf[160];
    char *save = NULL;
    if (!a)
        return NULL;
    bb_strlcpy(buf, csv, sizeof(buf));
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        cJSON_AddItemToArray(a, cJSON_CreateString(tok));
    return a;
}

void admin_invites_list(const struct admin_call *c)
{
    char unit[INV_UNIT_MAX] = "", state[INV_STATE_MAX] = "";
    struct store_invite_state *rows = NULL;
    struct store_unit_count *units = NULL;
    int n = 0, nu = 0, rc;
    int64_t now = bb_now();
    cJSON *o, *people, *counts, *ua;

    rc = http_query_param(c->req->query, "unit", unit, sizeof(unit));
    if (rc != BB_OK && rc != BB_ENOTFOUND) {
        api_error(c->resp, 400, "\"unit\" is too long");
        return;
    }
    rc = http_query_param(c->req->query, "state", state, sizeof(state));
    if ((rc != BB_OK && rc != BB_ENOTFOUND) || (state[0] && !people_invite_state_known(state))) {
        api_error(c->resp, 400,
                  "\"state\" must be onboarded, linked, invited, expired, revoked or not_invited");
        return;
    }
    rc = store_invite_states(c->d->st, unit, &rows, &n);
    if (rc == BB_OK)
        rc = store_segment_units(c->d->st, &units, &nu);
    if (rc != BB_OK) {
        free(rows);
        fail500(c, "list", rc);
        return;
    }
    o = cJSON_CreateObject();
    people = cJSON_AddArrayToObject(o, "people");
    counts = cJSON_AddObjectToObject(o, "counts");
    ua = cJSON_AddArrayToObject(o, "units");
    for (int i = 0; o && people && counts && ua && i < nu; i++)
        cJSON_AddItemToArray(ua, cJSON_CreateString(units[i].unit));
    for (int i = 0; o && people && counts && i < n; i++) {
        const char *s = people_invite_state(&rows[i], now);
        cJSON *cn = cJSON_GetObjectItemCaseSensitive(counts, s), *p;
        if (cn)
            cJSON_SetNumberValue(cn, cn->valuedouble + 1);
        else
            cJSON_AddNumberToObject(counts, s, 1);
        if (state[0] && strcmp(state, s) != 0)
            continue;
        if (!(p = cJSON_CreateObject()))
            break;
        cJSON_AddStringToObject(p, "nip", rows[i].nip);
        cJSON_AddStringToObject(p, "name", rows[i].name);
        cJSON_AddStringToObject(p, "unit", rows[i].unit);
        cJSON_AddStringToObject(p, "state", s);
        iso_add(p, "invited_at", rows[i].invited_at);
        iso_add(p, "expires_at", strcmp(s, "invited") == 0 ? rows[i].expires_at : 0);
        cJSON_AddItemToObject(p, "channels", list_of(rows[i].channels));
        cJSON_AddItemToObject(p, "consents", list_of(rows[i].consents));
        cJSON_AddItemToArray(people, p);
    }
    free(rows);
    free(units);
    if (!o || !people || !counts || !ua) {
        cJSON_Delete(o);
        api_error(c->resp, 500, "out of memory");
        return;
    }
    api_json(c->resp, 200, o);
    cJSON_Delete(o);
}

/* One code as the API hands it out: the row, both links and its QR code. */
static cJSON *code_json(const struct admin_call *c, const struct people_invite *inv, char *tg,
                        char *web)
{
    struct bb_buf path;
    int width = 0;
    cJSON *o = cJSON_CreateObject(), *qr;
    if (!o)
        return NULL;
    (void)chan_invite_link(c->d->cfg, "telegram", inv->code, tg, INV_LINK_MAX);
    (void)chan_invite_link(c->d->cfg, "web", inv->code, web, INV_LINK_MAX);
    cJSON_AddStringToObject(o, "nip", inv->nip);
    cJSON_AddStringToObject(o, "name", inv->name);
    cJSON_AddStringToObject(o, "unit", inv->unit);
    cJSON_AddStringToObject(o, "code", inv->code);
    cJSON_AddStringToObject(o, "telegram_link", tg);
    cJSON_AddStringToObject(o, "web_link", web);
    iso_add(o, "expiry", inv->expires_at);
    bb_buf_init(&path, INV_QR_MAX);
    if (admin_qr_path(tg[0] ? tg : web, &path, &width) == BB_OK &&
        bb_buf_puts(&path, "") == BB_OK && (qr = cJSON_AddObjectToObject(o, "qr"))) {
        cJSON_AddStringToObject(qr, "link", tg[0] ? tg : web);
        cJSON_AddNumberToObject(qr, "size", width);
        cJSON_AddStringToObject(qr, "path", path.data ? path.data : "");
    } else {
        cJSON_AddNullToObject(o, "qr");
    }
    bb_buf_free(&path);
    return o;
}

struct issue_ctx {
    const struct admin_call *c;
    cJSON *rows;
    struct bb_buf csv;
};

static int issue_row(void *ctx, const struct people_invite *inv, int i, int n)
{
    struct issue_ctx *x = ctx;
    char tg[INV_LINK_MAX], web[INV_LINK_MAX];
    cJSON *r = code_json(x->c, inv, tg, web);
    (void)i;
    (void)n;
    if (!r)
        return BB_ENOMEM;
    cJSON_AddItemToArray(x->rows, r);
    return people_invite_csv_row(&x->csv, inv, tg, web);
}

/* The segment refused: 400 with the checker's detail, as for surveys. */
static void segment_refused(const struct admin_call *c, const char *to)
{
    char err[ADMIN_ERR_MAX] = "";
    cJSON *detail = NULL;
    if (admin_hooks.segment_check)
        (void)admin_hooks.segment_check(c->d, to, &detail, err, sizeof(err));
    api_segment_refused(c->resp, detail, err);
}

static int ttl_of(const struct admin_call *c, const cJSON *body, int64_t *ttl)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, "ttl");
    *ttl = c->d->cfg->invite_ttl;
    if (!v)
        return 1;
    if (!cJSON_IsString(v) || bb_parse_duration(v->valuestring, ttl) != BB_OK || *ttl < 60 ||
        *ttl > 366 * 86400) {
        api_error(c->resp, 400, "\"ttl\" must be a duration like \"14d\" (1m to 366d)");
        return 0;
    }
    return 1;
}

void admin_invites_issue(const struct admin_call *c)
{
    struct issue_ctx x = {.c = c};
    struct people_segment seg;
    int issued = 0, rc;
    int64_t ttl;
    cJSON *body = api_json_object(c->req, c->resp), *o = NULL;
    const cJSON *to;

    if (!body)
        return;
    to = cJSON_GetObjectItemCaseSensitive(body, "to");
    if (!cJSON_IsString(to) || !to->valuestring[0] || strlen(to->valuestring) >= 128) {
        api_error(c->resp, 400, "\"to\" must be all, unit=NAME or role=ROLE");
        cJSON_Delete(body);
        return;
    }
    if (!ttl_of(c, body, &ttl)) {
        cJSON_Delete(body);
        return;
    }
    bb_buf_init(&x.csv, INV_CSV_MAX);
    o = cJSON_CreateObject();
    x.rows = cJSON_CreateArray();
    rc = o && x.rows ? bb_buf_puts(&x.csv, PEOPLE_INVITE_CSV_HEADER) : BB_ENOMEM;
    if (rc == BB_OK)
        rc = people_invite_segment(c->d->st, to->valuestring, ttl, bb_now(), c->actor, &seg,
                                   issue_row, &x, &issued);
    if (rc == BB_EINVAL) {
        segment_refused(c, to->valuestring);
    } else if (rc != BB_OK) {
        fail500(c, "issue", rc);
    } else {
        cJSON_AddStringToObject(o, "segment", seg.spec);
        cJSON_AddNumberToObject(o, "people", (double)seg.total);
        cJSON_AddNumberToObject(o, "issued", issued);
        cJSON_AddNumberToObject(o, "already_linked", (double)(seg.total - issued));
        cJSON_AddItemToObject(o, "rows", x.rows);
        x.rows = NULL;
        cJSON_AddStringToObject(o, "csv", x.csv.data ? x.csv.data : "");
        api_json(c->resp, 200, o);
    }
    cJSON_Delete(x.rows);
    cJSON_Delete(o);
    cJSON_Delete(body);
    bb_buf_free(&x.csv);
}

void admin_invites_reissue(const struct admin_call *c)
{
    struct people_invite inv;
    char tg[INV_LINK_MAX], web[INV_LINK_MAX];
    int rc =
        people_invite_person(c->d->st, c->arg, c->d->cfg->invite_ttl, bb_now(), c->actor, &inv);
    cJSON *o;
    if (rc == BB_ENOTFOUND) {
        api_error(c->resp, 404, "no person with that NIP");
        return;
    }
    if (rc != BB_OK) {
        fail500(c, "reissue", rc);
        return;
    }
    if (!(o = code_json(c, &inv, tg, web))) {
        api_error(c->resp, 500, "out of memory");
        return;
    }
    api_json(c->resp, 200, o);
    cJSON_Delete(o);
}

void admin_invites_revoke(const struct admin_call *c)
{
    int n = 0, rc = people_invite_revoke(c->d->st, c->arg, bb_now(), c->actor, &n);
    cJSON *o;
    if (rc == BB_ENOTFOUND) {
        api_error(c->resp, 404, "no person with that NIP");
        return;
    }
    if (rc != BB_OK) {
        fail500(c, "revoke", rc);
        return;
    }
    if (!(o = cJSON_CreateObject())) {
        api_error(c->resp, 500, "out of memory");
        return;
    }
    cJSON_AddStringToObject(o, "nip", c->arg);
    cJSON_AddNumberToObject(o, "revoked", n);
    api_json(c->resp, 200, o);
    cJSON_Delete(o);
}
