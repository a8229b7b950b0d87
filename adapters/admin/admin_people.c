/*
 * admin_people.c - the HR dashboard's people endpoints (admin_people.h):
 * HTTP only (parameters, bodies, status codes); what they do is
 * bot/domain/people/people_admin.c, the same code as the CLI's `bimbing
 * person`, `export` and `forget`. Called by admin.c's router on the core
 * thread after the session and role checks.
 */
#include "adapters/admin/admin_people.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "adapters/net/apiutil.h"
#include "bot/base/bb.h"
#include "bot/domain/people/people_admin.h"
#include "store/store_people_admin.h"

static void fail500(const struct admin_call *c, const char *what, int rc)
{
    bb_log(BB_LOG_ERR, "admin", "%s: %s (%s)", what, bb_strerror(rc), store_errmsg(c->d->st));
    api_error(c->resp, 500, "internal error; see the service log");
}

/* {"error": msg, "code": code}: a refusal the dashboard translates by code. */
static void refuse(const struct admin_call *c, int status, const char *code, const char *msg)
{
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "error", msg);
        cJSON_AddStringToObject(o, "code", code);
    }
    api_json(c->resp, status, o);
    cJSON_Delete(o);
}

/* The person named by the path, or answered 404. */
static int person_of(const struct admin_call *c, struct store_person *p)
{
    int rc = store_person_by_nip(c->d->st, c->arg, p);
    if (rc == BB_ENOTFOUND || rc == BB_EINVAL)
        refuse(c, 404, "not_found", "no person with this NIP");
    else if (rc != BB_OK)
        fail500(c, "person", rc);
    return rc;
}

static const char *body_str(const cJSON *o, const char *name, size_t max)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsString(v) || strlen(v->valuestring) > max)
        return NULL;
    return v->valuestring;
}

/* A query parameter into out ("" when absent); 0 when malformed. */
static int param(const struct admin_call *c, const char *name, char *out, size_t n)
{
    int rc = http_query_param(c->req->query, name, out, n);
    if (rc == BB_ENOTFOUND) {
        out[0] = '\0';
        return 1;
    }
    return rc == BB_OK && bb_utf8_valid(out, strlen(out));
}

static void add_channels(cJSON *p, const char *list)
{
    cJSON *ch = cJSON_AddArrayToObject(p, "channels");
    for (const char *s = list; ch && *s;) {
        char one[16];
        size_t len = strcspn(s, ",");
        if (len < sizeof(one)) {
            memcpy(one, s, len);
            one[len] = '\0';
            cJSON_AddItemToArray(ch, cJSON_CreateString(one));
        }
        s += len;
        if (*s == ',')
            s++;
    }
}

void admin_people_list(const struct admin_call *c)
{
    struct store_people_row *v = NULL;
    struct store_people_filter f;
    char q[128], unit[128], role[16], state[16], num[16];
    long long limit = 100, offset = 0;
    int64_t total = 0;
    int n = 0, rc;
    cJSON *o = NULL, *a;

    if (!param(c, "q", q, sizeof(q)) || !param(c, "unit", unit, sizeof(unit)) ||
        !param(c, "role", role, sizeof(role)) || !param(c, "state", state, sizeof(state))) {
        api_error(c->resp, 400,
                  "q and unit must be at most 127 bytes of UTF-8, role and state"
                  " known names");
        return;
    }
    if ((param(c, "limit", num, sizeof(num)) && num[0] &&
         bb_parse_ll(num, 1, STORE_PEOPLE_PAGE_MAX, &limit) != BB_OK) ||
        (param(c, "offset", num, sizeof(num)) && num[0] &&
         bb_parse_ll(num, 0, 1000000, &offset) != BB_OK)) {
        api_error(c->resp, 400, "limit must be 1-500 and offset 0 or more");
        return;
    }
    if (role[0] && !people_role_known(role)) {
        refuse(c, 400, "role", "role must be employee, mentor, hr, admin or counsellor");
        return;
    }
    f = (struct store_people_filter){q, unit, role, state};
    rc = store_people_find(c->d->st, &f, c->now, (int)limit, (int)offset, &v, &n, &total);
    if (rc == BB_EINVAL) {
        refuse(c, 400, "state",
               "state must be active, deactivated, linked, invited or not_invited");
        return;
    }
    if (rc != BB_OK) {
        fail500(c, "people", rc);
        return;
    }
    o = cJSON_CreateObject();
    a = o ? cJSON_AddArrayToObject(o, "people") : NULL;
    if (!a) {
        api_error(c->resp, 500, "out of memory");
        goto out;
    }
    cJSON_AddNumberToObject(o, "total", (double)total);
    cJSON_AddNumberToObject(o, "limit", (double)limit);
    cJSON_AddNumberToObject(o, "offset", (double)offset);
    for (int i = 0; i < n; i++) {
        cJSON *p = cJSON_CreateObject();
        if (!p)
            break;
        cJSON_AddItemToArray(a, p);
        cJSON_AddStringToObject(p, "nip", v[i].nip);
        cJSON_AddStringToObject(p, "name", v[i].name);
        cJSON_AddStringToObject(p, "unit", v[i].unit);
        cJSON_AddStringToObject(p, "position", v[i].position);
        cJSON_AddStringToObject(p, "role", v[i].role);
        cJSON_AddStringToObject(p, "language", v[i].lang);
        cJSON_AddStringToObject(p, "state", v[i].state);
        add_channels(p, v[i].channels);
    }
    api_json(c->resp, 200, o);
out:
    cJSON_Delete(o);
    free(v);
}

void admin_people_get(const struct admin_call *c)
{
    struct store_person p;
    cJSON *o = NULL;
    int rc;
    if (person_of(c, &p) != BB_OK)
        return;
    rc = people_page_json(c->d->st, &p, c->now, &o);
    if (rc != BB_OK) {
        fail500(c, "person page", rc);
        return;
    }
    api_json(c->resp, 200, o);
    cJSON_Delete(o);
}

void admin_people_role(const struct admin_call *c)
{
    struct store_person p;
    char err[160] = "";
    cJSON *body;
    const char *role;
    int rc;
    if (person_of(c, &p) != BB_OK || !(body = api_json_object(c->req, c->resp)))
        return;
    role = body_str(body, "role", 16);
    rc = people_set_role(c->d->st, &p, role ? role : "",
                         c->person_id == 0 || strcmp(c->role, "admin") == 0, c->actor, c->now, err,
                         sizeof(err));
    if (rc == BB_OK) {
        cJSON *o = cJSON_CreateObject();
        if (o) {
            cJSON_AddStringToObject(o, "nip", p.nip);
            cJSON_AddStringToObject(o, "role", role);
            cJSON_AddStringToObject(o, "was", p.role);
        }
        api_json(c->resp, 200, o);
        cJSON_Delete(o);
    } else if (rc == BB_EINVAL)
        refuse(c, 400, "role", err);
    else if (rc == BB_EPERM)
        refuse(c, 403, "admin_only", err);
    else if (rc == BB_EEXIST)
        refuse(c, 409, "same_role", err);
    else if (rc == BB_ESTATE)
        refuse(c, 409, "deactivated", err);
    else
        fail500(c, "role", rc);
    cJSON_Delete(body);
}

void admin_people_deactivate(const struct admin_call *c)
{
    struct store_person p;
    char *summary = NULL;
    int rc;
    if (person_of(c, &p) != BB_OK)
        return;
    rc = people_deactivate(c->d->st, &p, c->actor, c->now, &summary);
    if (rc == BB_OK) {
        cJSON *o = cJSON_CreateObject();
        if (o) {
            cJSON_AddStringToObject(o, "nip", p.nip);
            cJSON_AddStringToObject(o, "state", "deactivated");
            cJSON_AddStringToObject(o, "summary", summary ? summary : "");
        }
        api_json(c->resp, 200, o);
        cJSON_Delete(o);
    } else if (rc == BB_ESTATE)
        refuse(c, 409, "deactivated", "the person is deactivated already");
    else
        fail500(c, "deactivate", rc);
    free(summary);
}

void admin_people_export(const struct admin_call *c)
{
    struct store_person p;
    cJSON *o = NULL;
    char *txt, day[32];
    int rc;
    if (person_of(c, &p) != BB_OK)
        return;
    rc = people_export(c->d->st, &p, c->actor, c->now, &o);
    if (rc != BB_OK) {
        fail500(c, "export", rc);
        return;
    }
    txt = cJSON_Print(o); /* as `bimbing export` prints it */
    cJSON_Delete(o);
    if (!txt) {
        api_error(c->resp, 500, "out of memory");
        return;
    }
    free(c->resp->body);
    c->resp->status = 200;
    c->resp->content_type = "application/json; charset=utf-8";
    c->resp->body = strdup(txt);
    c->resp->body_len = c->resp->body ? strlen(c->resp->body) : 0;
    cJSON_free(txt);
    if (!c->resp->body) {
        api_error(c->resp, 500, "out of memory");
        return;
    }
    bb_format_iso8601(c->now, day, sizeof(day)); /* "YYYY-MM-DD" of it */
    bb_snprintf(c->resp->headers, sizeof(c->resp->headers),
                "Content-Disposition: attachment; filename=\"bimbing-%s-%.10s.json\"\r\n", p.nip,
                day);
}

void admin_people_erase(const struct admin_call *c)
{
    struct store_person p;
    char *kept = NULL;
    cJSON *body;
    const char *typed;
    int rc;
    if (person_of(c, &p) != BB_OK || !(body = api_json_object(c->req, c->resp)))
        return;
    typed = body_str(body, "confirm", 255);
    if (!people_erase_confirmed(&p, typed)) {
        refuse(c, 400, "confirm",
               "type the person's NIP or full name in \"confirm\" to erase them; nothing was"
               " erased");
        cJSON_Delete(body);
        return;
    }
    cJSON_Delete(body);
    rc = people_erase(c->d->st, &p, c->actor, c->now, &kept);
    if (rc != BB_OK) {
        fail500(c, "erase", rc);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "nip", p.nip);
        cJSON_AddStringToObject(o, "state", "erased");
        cJSON_AddStringToObject(o, "kept", kept ? kept : "");
    }
    api_json(c->resp, 200, o);
    cJSON_Delete(o);
    free(kept);
}
