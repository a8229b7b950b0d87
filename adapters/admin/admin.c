/*
 * admin.c - the HR dashboard's JSON API under /api/v1 (see admin.h and
 * docs/api.md); the pages themselves are static files in web/admin/.
 *
 * Sign-in (POST /api/v1/session) is either
 *   - {"token": "..."}: the operator's BIMBING_ADMIN_TOKEN, compared in
 *     constant time (both sides hashed first, so lengths leak nothing); or
 *   - {"webchat": true}: the person signed in on the web chat in this
 *     browser (its bb_web cookie, looked up read-only in the web chat's
 *     session table), when their role is hr, admin or counsellor.
 * Either way a new admin session is made: a random token in the cookie
 * bb_admin (HttpOnly, SameSite=Strict, no Max-Age: gone with the browser),
 * of which the store keeps only the SHA-256; idle for an hour or older than
 * twelve hours, it ends. Every route is one row of routes[] (method, path,
 * the role it needs, handler): every call but sign-in needs the session
 * (401), a person's role is read again on every call and checked against
 * the row's (403 when it does not fit: hr and admin use the HR views,
 * counsellor and admin the conversations), and every call that is not a GET needs the
 * header X-CSRF-Token: the SHA-256 of "csrf:" and the session token, which the server recomputes
 * from the cookie (nothing more to store) and hands out at sign-in and on
 * GET /api/v1/session. Sign-in attempts are limited per address.
 *
 * One access log line per API request at info: method, path (never the
 * query or a body), status, milliseconds.
 *
 * Threads: core thread only (handlers run in the lws loop). Ownership:
 * struct admin belongs to whoever called admin_new() and must outlive the
 * HTTP server's service loop; it borrows the domain context.
 */
#include "adapters/admin/admin.h"
#include "adapters/admin/admin_bcmentor.h"
#include "adapters/admin/admin_hooks.h"
#include "adapters/admin/admin_invites.h"
#include "adapters/admin/admin_learning.h"
#include "adapters/admin/admin_people.h"
#include "adapters/admin/admin_int.h"
#include "adapters/admin/admin_surveys.h"
#include "adapters/net/apiutil.h"
#include "bot/base/bb.h"
#include "bot/core/handoff.h"
#include "bot/domain/people/people.h"
#include "store/store_admin.h"
#include "store/store_handoff.h"
#include "store/store_alerts.h"
#include "store/store_web.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ADMIN_COOKIE      "bb_admin"
#define ADMIN_IDLE        3600         /* seconds without a request before a session ends */
#define ADMIN_MAX_AGE     (12 * 3600)  /* a session ends this long after sign-in */
#define ADMIN_TOUCH_EVERY 60           /* write last_seen at most once a minute */
#define ADMIN_RL_MAX      10           /* sign-in attempts per address ... */
#define ADMIN_RL_WINDOW   (600 * 1000) /* ... per 10 minutes */
#define ADMIN_BODY_MAX    (64 * 1024)
#define ADMIN_IMPORT_MAX  (8 * 1024 * 1024)
#define ADMIN_SEGMENT_MAX 128    /* "all", "unit=NAME", "role=ROLE" */
#define ADMIN_TEXT_MAX    4096   /* a broadcast's text */
#define ADMIN_WEEK_ORIGIN 320400 /* Monday 1970-01-05 00:00 WIB (UTC+7) */
#define ADMIN_WEEK        604800
#define ADMIN_HEADERS                                                                              \
    "Content-Security-Policy: default-src 'self'; frame-ancestors 'none'; base-uri 'none';"        \
    " form-action 'self'\r\n"                                                                      \
    "Referrer-Policy: no-referrer\r\n"

static struct store *st_of(const struct areq *r)
{
    return r->a->d->st;
}

static int64_t now_of(const struct areq *r)
{
    (void)r;
    return bb_now();
}

static void csrf_of(const char *tok, char out[65])
{
    char buf[API_TOKEN_HEX + 8];
    bb_snprintf(buf, sizeof(buf), "csrf:%s", tok);
    bb_sha256_hex(buf, strlen(buf), out);
}

/* May a person with this role sign in to the dashboard at all? Which views
 * they may use is the route's row (enum admin_role). */
static int role_ok(const char *role)
{
    return strcmp(role, "hr") == 0 || strcmp(role, "admin") == 0 || strcmp(role, "counsellor") == 0;
}

/* The audit log's actor prefix: "hr:<NIP>" (hr and admin, as always),
 * "counsellor:<NIP>". */
static const char *actor_kind(const char *role)
{
    return strcmp(role, "counsellor") == 0 ? "counsellor" : "hr";
}

static void iso(int64_t t, char *out, size_t n)
{
    bb_format_iso8601(t, out, n);
}

/* Log a store failure and answer 500. */
static void fail500(struct areq *r, const char *what, int rc)
{
    bb_log(BB_LOG_ERR, "admin", "%s: %s (%s)", what, bb_strerror(rc), store_errmsg(st_of(r)));
    api_error(r->resp, 500, "internal error; see the service log");
}

/* A string member of at most max bytes, valid UTF-8 without control
 * characters; NULL when absent or bad. */
static const char *str_member(const cJSON *o, const char *name, size_t min, size_t max)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    size_t n;
    if (!cJSON_IsString(v))
        return NULL;
    n = strlen(v->valuestring);
    if (n < min || n > max || !bb_utf8_valid(v->valuestring, n))
        return NULL;
    return v->valuestring;
}

/* Query parameter as an integer in [min, max]; def when absent. -1 when
 * malformed (the caller answers 400). */
static int query_int(const struct areq *r, const char *name, long long min, long long max,
                     long long def, long long *out)
{
    char v[32];
    int rc = http_query_param(r->req->query, name, v, sizeof(v));
    if (rc == BB_ENOTFOUND) {
        *out = def;
        return 0;
    }
    if (rc != BB_OK || bb_parse_ll(v, min, max, out) != BB_OK)
        return -1;
    return 0;
}

static void add_iso(cJSON *o, const char *name, int64_t t)
{
    char ts[32];
    iso(t, ts, sizeof(ts));
    cJSON_AddStringToObject(o, name, ts);
}

static cJSON *who_json(const struct areq *r)
{
    cJSON *w = cJSON_CreateObject();
    if (!w)
        return NULL;
    if (r->person_id == 0) {
        cJSON_AddStringToObject(w, "kind", "operator");
        cJSON_AddStringToObject(w, "name", "operator");
        cJSON_AddStringToObject(w, "role", "admin");
    } else {
        cJSON_AddStringToObject(w, "kind", "person");
        cJSON_AddStringToObject(w, "nip", r->person.nip);
        cJSON_AddStringToObject(w, "name", r->person.name);
        cJSON_AddStringToObject(w, "role", r->person.role);
    }
    return w;
}

/* {"who":..., "csrf":..., "anonymity_k":..., "features":{...}} */
static void session_answer(struct areq *r, int status)
{
    const struct admin_hooks *h = r->a->hooks;
    char csrf[65], lang[8];
    cJSON *o = cJSON_CreateObject(), *f;
    if (!o) {
        api_error(r->resp, 500, "out of memory");
        return;
    }
    csrf_of(r->tok, csrf);
    cJSON_AddItemToObject(o, "who", who_json(r));
    cJSON_AddStringToObject(o, "csrf", csrf);
    /* the dashboard's language: the person's choice; null for the operator
     * (no record: the browser keeps it) and for someone who never chose */
    if (r->person_id && store_admin_lang_get(st_of(r), r->person_id, lang, sizeof(lang)) == BB_OK)
        cJSON_AddStringToObject(o, "lang", lang);
    else
        cJSON_AddNullToObject(o, "lang");
    cJSON_AddNumberToObject(o, "anonymity_k", r->a->d->cfg->anonymity_k);
    f = cJSON_AddObjectToObject(o, "features");
    if (f) {
        cJSON_AddBoolToObject(f, "surveys", h->survey_list && h->survey_report);
        cJSON_AddBoolToObject(f, "broadcasts", h->broadcast_list && h->broadcast_send);
        cJSON_AddBoolToObject(f, "mentoring", h->pair_suggest && h->pair_list);
    }
    api_json(r->resp, status, o);
    cJSON_Delete(o);
}

/* ---- sessions ------------------------------------------------------------ */

/* Who may call a route (its row in routes[] below). */
enum admin_role {
    ADMIN_ROLE_OPEN = 0, /* anyone: no session needed (sign-in) */
    ADMIN_ROLE_HR,       /* a session of the operator, or of a person whose role is hr or admin */
    ADMIN_ROLE_STAFF,    /* any session: the operator, hr, admin or counsellor (the session) */
    ADMIN_ROLE_COUNSEL,  /* the operator, or a person whose role is counsellor or admin */
    ADMIN_ROLE_ALERTS,   /* the operator, or a person whose role is in alert_roles[] */
};

/* The people's roles that see and acknowledge wellbeing and distress
 * alerts (GET /alerts, POST /alerts/ID/ack): widening this is one line. */
static const char *const alert_roles[] = {"hr", "counsellor", "admin", NULL};

static int role_in(const char *role, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(role, list[i]) == 0)
            return 1;
    return 0;
}

/* May the signed-in caller of r use a route that needs role? */
static int role_allows(const struct areq *r, int role)
{
    const char *pr = r->person.role;
    if (role == ADMIN_ROLE_OPEN || r->person_id == 0)
        return 1; /* the operator holds every role */
    if (!role_ok(pr))
        return 0;
    switch (role) {
    case ADMIN_ROLE_ALERTS:
        return role_in(pr, alert_roles);
    case ADMIN_ROLE_STAFF:
        return 1;
    case ADMIN_ROLE_HR:
        return strcmp(pr, "hr") == 0 || strcmp(pr, "admin") == 0;
    case ADMIN_ROLE_COUNSEL:
        return strcmp(pr, "counsellor") == 0 || strcmp(pr, "admin") == 0;
    default:
        return 0;
    }
}

static const char *role_refusal(int role)
{
    switch (role) {
    case ADMIN_ROLE_COUNSEL:
        return "forbidden: conversations are for the roles counsellor and admin";
    case ADMIN_ROLE_HR:
        return "forbidden: this view is for the roles hr and admin";
    case ADMIN_ROLE_ALERTS:
        return "forbidden: alerts are for the roles hr, counsellor and admin";
    default:
        return "forbidden: the dashboard is for the roles hr, admin and counsellor";
    }
}

/* Check the session of the request and that its holder has role (what the
 * route's row asks for). Answers (401/403) and returns an error when there
 * is no session or it may not be used. */
static int auth(struct areq *r, int role)
{
    struct store_admin_session s;
    int64_t now = now_of(r);
    int rc = api_cookie_token(r->req, ADMIN_COOKIE, r->tok, r->hash);

    if (rc != BB_OK) {
        api_error(r->resp, 401, "not signed in");
        return BB_EPERM;
    }
    rc = store_admin_session_get(st_of(r), r->hash, now, &s);
    if (rc == BB_OK && now - s.created_at >= ADMIN_MAX_AGE) {
        (void)store_admin_session_delete(st_of(r), r->hash);
        rc = BB_ENOTFOUND;
    }
    if (rc == BB_OK && s.person_id == 0 && !r->a->d->cfg->admin_token[0])
        rc = BB_ENOTFOUND; /* the token was switched off since */
    if (rc == BB_ENOTFOUND) {
        api_error(r->resp, 401, "not signed in (the session has ended)");
        return BB_EPERM;
    }
    if (rc != BB_OK) {
        fail500(r, "session", rc);
        return rc;
    }
    r->person_id = s.person_id;
    if (s.person_id) {
        rc = store_person_by_id(st_of(r), s.person_id, &r->person);
        if (rc == BB_ENOTFOUND) {
            api_error(r->resp, 401, "not signed in (the person is gone)");
            return BB_EPERM;
        }
        if (rc != BB_OK) {
            fail500(r, "session person", rc);
            return rc;
        }
        bb_snprintf(r->actor, sizeof(r->actor), "%s:%s", actor_kind(r->person.role), r->person.nip);
    } else {
        bb_strlcpy(r->actor, "operator", sizeof(r->actor));
    }
    if (!role_allows(r, role)) {
        api_error(r->resp, 403, role_refusal(role));
        return BB_EPERM;
    }
    if (strcmp(r->req->method, "GET") != 0) {
        char want[65], got[128];
        csrf_of(r->tok, want);
        if (!http_req_header(r->req, "x-csrf-token", got, sizeof(got)) || !api_equal(got, want)) {
            api_error(r->resp, 403, "missing or wrong X-CSRF-Token header");
            return BB_EPERM;
        }
        if (!api_origin_ok(r->req)) {
            api_error(r->resp, 403, "request from another site refused");
            return BB_EPERM;
        }
    }
    if (now - s.last_seen >= ADMIN_TOUCH_EVERY) {
        int64_t exp = now + ADMIN_IDLE;
        if (exp > s.created_at + ADMIN_MAX_AGE)
            exp = s.created_at + ADMIN_MAX_AGE;
        (void)store_admin_session_touch(st_of(r), r->hash, now, exp);
    }
    return BB_OK;
}

/* The person signed in on the web chat in this browser. */
static int webchat_person(struct areq *r, struct store_person *p)
{
    char hash[65], tok[API_TOKEN_HEX + 1], ext_user[64];
    int64_t pid = 0;
    int rc = api_cookie_token(r->req, "bb_web", tok, hash);
    if (rc == BB_OK)
        rc = store_web_session_get(st_of(r), hash, now_of(r), ext_user, sizeof(ext_user));
    if (rc == BB_OK)
        rc = store_identity_person(st_of(r), "web", ext_user, &pid);
    if (rc == BB_OK)
        rc = store_person_by_id(st_of(r), pid, p);
    if (rc == BB_EINVAL)
        rc = BB_ENOTFOUND;
    return rc;
}

static void h_signin(struct areq *r)
{
    const struct config *cfg = r->a->d->cfg;
    int64_t retry = 0, now = now_of(r);
    char old[65], oldtok[API_TOKEN_HEX + 1];
    cJSON *body = NULL;
    int rc;

    if (api_iplimit_hit(&r->a->rl, r->req->client_ip ? r->req->client_ip : "", bb_mono_ms(),
                        ADMIN_RL_MAX, ADMIN_RL_WINDOW, &retry) != BB_OK) {
        api_error(r->resp, 429, "too many sign-in attempts from this address; try again later");
        bb_snprintf(r->resp->headers, sizeof(r->resp->headers), "Retry-After: %" PRId64 "\r\n",
                    retry);
        bb_log(BB_LOG_INFO, "admin", "sign-in rate limit hit");
        return;
    }
    if (!api_origin_ok(r->req)) {
        api_error(r->resp, 403, "request from another site refused");
        return;
    }
    if (!(body = api_json_object(r->req, r->resp)))
        return;
    const cJSON *tok = cJSON_GetObjectItemCaseSensitive(body, "token");
    const cJSON *web = cJSON_GetObjectItemCaseSensitive(body, "webchat");
    if (cJSON_IsString(tok) && !web) {
        char a[65], b[65];
        if (!cfg->admin_token[0]) {
            api_error(r->resp, 403, "sign-in with a token is off (BIMBING_ADMIN_TOKEN is not set)");
            goto out;
        }
        bb_sha256_hex(tok->valuestring, strlen(tok->valuestring), a);
        bb_sha256_hex(cfg->admin_token, strlen(cfg->admin_token), b);
        if (!api_equal(a, b)) {
            api_error(r->resp, 401, "wrong token");
            bb_log(BB_LOG_INFO, "admin", "sign-in with a wrong token");
            goto out;
        }
        r->person_id = 0;
        bb_strlcpy(r->actor, "operator", sizeof(r->actor));
    } else if (cJSON_IsTrue(web) && !tok) {
        rc = webchat_person(r, &r->person);
        if (rc == BB_ENOTFOUND) {
            api_error(r->resp, 401, "sign in on the web chat first, in this browser");
            goto out;
        }
        if (rc != BB_OK) {
            fail500(r, "sign-in", rc);
            goto out;
        }
        if (!role_ok(r->person.role)) {
            api_error(r->resp, 403, role_refusal(ADMIN_ROLE_STAFF));
            goto out;
        }
        r->person_id = r->person.id;
        bb_snprintf(r->actor, sizeof(r->actor), "%s:%s", actor_kind(r->person.role), r->person.nip);
    } else {
        api_error(r->resp, 400, "send {\"token\": \"...\"} or {\"webchat\": true}");
        goto out;
    }

    rc = api_token_new(r->tok, r->hash);
    if (rc != BB_OK) {
        api_error(r->resp, 500, "no randomness available");
        goto out;
    }
    rc = store_begin(st_of(r));
    if (rc == BB_OK)
        rc = store_admin_session_prune(st_of(r), now, NULL);
    if (rc == BB_OK && api_cookie_token(r->req, ADMIN_COOKIE, oldtok, old) == BB_OK) {
        rc = store_admin_session_delete(st_of(r), old); /* replaces this browser's session */
        if (rc == BB_ENOTFOUND)
            rc = BB_OK;
    }
    if (rc == BB_OK)
        rc = store_admin_session_add(st_of(r), r->hash, r->person_id, now, now + ADMIN_IDLE);
    if (rc == BB_OK)
        rc = store_audit(st_of(r), r->actor, "admin.signin", r->person_id,
                         r->person_id ? "web chat session" : "admin token", now);
    if (rc == BB_OK)
        rc = store_commit(st_of(r));
    else
        store_rollback(st_of(r));
    if (rc != BB_OK) {
        fail500(r, "sign-in", rc);
        goto out;
    }
    session_answer(r, 200);
    api_set_cookie(r->resp, r->req, ADMIN_COOKIE, r->tok, -1);
out:
    cJSON_Delete(body);
}

static void h_session(struct areq *r)
{
    session_answer(r, 200);
}

/* PUT /session/lang {"lang": "id" | "en"}: the dashboard's language for
 * the signed-in person, kept for their next sign-in. The operator has no
 * record: 200 with "stored": false, and the browser keeps it. */
static void h_session_lang(struct areq *r)
{
    cJSON *body, *o;
    const char *lang;
    int stored = 0, rc;
    if (!(body = api_json_object(r->req, r->resp)))
        return;
    lang = str_member(body, "lang", 2, 2);
    if (!lang || (strcmp(lang, "id") != 0 && strcmp(lang, "en") != 0)) {
        api_error(r->resp, 400, "\"lang\" must be \"id\" or \"en\"");
        cJSON_Delete(body);
        return;
    }
    if (r->person_id) {
        if ((rc = store_admin_lang_set(st_of(r), r->person_id, lang, now_of(r))) != BB_OK) {
            cJSON_Delete(body);
            fail500(r, "language", rc);
            return;
        }
        stored = 1;
    }
    if ((o = cJSON_CreateObject())) {
        cJSON_AddStringToObject(o, "lang", lang);
        cJSON_AddBoolToObject(o, "stored", stored);
    }
    api_json(r->resp, 200, o);
    cJSON_Delete(o);
    cJSON_Delete(body);
}

static void h_signout(struct areq *r)
{
    int rc = store_admin_session_delete(st_of(r), r->hash);
    if (rc != BB_OK && rc != BB_ENOTFOUND) {
        fail500(r, "sign-out", rc);
        return;
    }
    (void)store_audit(st_of(r), r->actor, "admin.signout", r->person_id, "", now_of(r));
    cJSON *o = cJSON_CreateObject();
    if (o)
        cJSON_AddStringToObject(o, "status", "signed out");
    api_json(r->resp, 200, o);
    cJSON_Delete(o);
    api_set_cookie(r->resp, r->req, ADMIN_COOKIE, "", 0);
}

/* ---- overview ------------------------------------------------------------- */

static int64_t week_start(int64_t t)
{
    int64_t d = t - ADMIN_WEEK_ORIGIN;
    return ADMIN_WEEK_ORIGIN + (d - (d % ADMIN_WEEK + ADMIN_WEEK) % ADMIN_WEEK);
}

static void h_overview(struct areq *r)
{
    struct store *st = st_of(r);
    int k = r->a->d->cfg->anonymity_k;
    struct store_admin_count *reach = NULL;
    struct store_admin_week *wk = NULL;
    int nreach = 0, nwk = 0, rc;
    long long weeks;
    int64_t people = 0, active = 0, cnt = 0, cpeople = 0, now = now_of(r);
    int64_t this_week = week_start(now), since;
    cJSON *o = NULL, *a, *x;

    if (query_int(r, "weeks", 1, 52, 12, &weeks) != 0) {
        api_error(r->resp, 400, "weeks must be a number from 1 to 52");
        return;
    }
    since = this_week - (int64_t)(weeks - 1) * ADMIN_WEEK;
    rc = store_person_count(st, &people);
    if (rc == BB_OK)
        rc = store_session_count_active(st, &active);
    if (rc == BB_OK)
        rc = store_admin_reach(st, &reach, &nreach);
    if (rc == BB_OK)
        rc = store_admin_checkins_since(st, this_week, &cnt, &cpeople);
    if (rc == BB_OK)
        rc = store_admin_mood_weeks(st, since, ADMIN_WEEK_ORIGIN, &wk, &nwk);
    if (rc != BB_OK) {
        fail500(r, "overview", rc);
        goto out;
    }
    o = cJSON_CreateObject();
    if (!o)
        goto oom;
    cJSON_AddNumberToObject(o, "anonymity_k", k);
    add_iso(o, "generated_at", now);
    cJSON_AddNumberToObject(o, "people", (double)people);
    cJSON_AddNumberToObject(o, "active_conversations", (double)active);
    a = cJSON_AddArrayToObject(o, "reach");
    for (int i = 0; a && i < nreach; i++) {
        x = cJSON_CreateObject();
        if (!x)
            goto oom;
        cJSON_AddStringToObject(x, "channel", reach[i].key);
        cJSON_AddNumberToObject(x, "people", (double)reach[i].n);
        cJSON_AddItemToArray(a, x);
    }
    x = cJSON_AddObjectToObject(o, "checkins_this_week");
    if (x) {
        add_iso(x, "since", this_week);
        if (cpeople >= k) {
            cJSON_AddNumberToObject(x, "count", (double)cnt);
            cJSON_AddNumberToObject(x, "people", (double)cpeople);
        } else {
            cJSON_AddTrueToObject(x, "hidden");
        }
    }
    a = cJSON_AddArrayToObject(o, "mood_weeks");
    for (int64_t ws = since, j = 0; a && ws <= this_week; ws += ADMIN_WEEK) {
        const struct store_admin_week *w = NULL;
        while (j < nwk && wk[j].start < ws)
            j++;
        if (j < nwk && wk[j].start == ws)
            w = &wk[j];
        x = cJSON_CreateObject();
        if (!x)
            goto oom;
        add_iso(x, "week", ws);
        {
            char day[32];
            iso(ws + 7 * 3600, day, sizeof(day)); /* the Monday, in WIB */
            day[10] = '\0';
            cJSON_AddStringToObject(x, "label", day);
        }
        if (w && w->people >= k) {
            cJSON_AddNumberToObject(x, "people", (double)w->people);
            cJSON_AddNumberToObject(x, "answers", (double)w->answers);
            cJSON_AddNumberToObject(x, "mood_avg",
                                    (double)(int64_t)(w->mood_avg * 100 + 0.5) / 100);
            cJSON *d = cJSON_AddArrayToObject(x, "mood");
            for (int m = 0; d && m < 5; m++)
                cJSON_AddItemToArray(d, cJSON_CreateNumber((double)w->mood_n[m]));
        } else {
            cJSON_AddTrueToObject(x, "hidden");
        }
        cJSON_AddItemToArray(a, x);
    }
    api_json(r->resp, 200, o);
    goto out;
oom:
    api_error(r->resp, 500, "out of memory");
out:
    cJSON_Delete(o);
    free(reach);
    free(wk);
}

/* ---- people ----------------------------------------------------------------- */

static void h_import(struct areq *r)
{
    struct people_import_report rep;
    char v[8], detail[128];
    int dry =
        http_query_param(r->req->query, "dry_run", v, sizeof(v)) == BB_OK && strcmp(v, "0") != 0;
    int rc, rc2;
    cJSON *o;

    if (r->req->body_len == 0) {
        api_error(r->resp, 400, "send the CSV file as the request body");
        return;
    }
    memset(&rep, 0, sizeof(rep));
    rc = store_begin(st_of(r));
    if (rc != BB_OK) {
        fail500(r, "import", rc);
        return;
    }
    /* only the operator or an admin may give or take the admin role */
    rc = people_import_mem_as(st_of(r), r->req->body, r->req->body_len,
                              r->person_id == 0 || strcmp(r->person.role, "admin") == 0, &rep);
    if (rc == BB_OK && !dry) {
        bb_snprintf(detail, sizeof(detail), "rows=%d created=%d updated=%d", rep.rows, rep.created,
                    rep.updated);
        rc2 = store_audit(st_of(r), r->actor, "people.import", 0, detail, now_of(r));
        if (rc2 == BB_OK)
            rc2 = store_commit(st_of(r));
        else
            store_rollback(st_of(r));
    } else {
        /* a dry run, or a file with errors: nothing stays */
        store_rollback(st_of(r));
        rc2 = BB_OK;
    }
    if (rc == BB_OK && rc2 != BB_OK) {
        fail500(r, "import", rc2);
        return;
    }
    if (rc != BB_OK && rc != BB_EINVAL && rc != BB_ELIMIT) {
        fail500(r, "import", rc);
        return;
    }
    o = cJSON_CreateObject();
    if (!o) {
        api_error(r->resp, 500, "out of memory");
        return;
    }
    cJSON_AddBoolToObject(o, "ok", rc == BB_OK);
    cJSON_AddBoolToObject(o, "dry_run", dry);
    cJSON_AddNumberToObject(o, "rows", rep.rows);
    cJSON_AddNumberToObject(o, "created", rc == BB_OK ? rep.created : 0);
    cJSON_AddNumberToObject(o, "updated", rc == BB_OK ? rep.updated : 0);
    cJSON_AddNumberToObject(o, "nerrors", rep.nerrors);
    cJSON *e = cJSON_AddArrayToObject(o, "errors");
    for (int i = 0; e && i < rep.nerrors && i < PEOPLE_MAX_ERRORS; i++)
        cJSON_AddItemToArray(e, cJSON_CreateString(rep.errors[i]));
    /* the same errors as line, column and code, for the dashboard's language */
    e = cJSON_AddArrayToObject(o, "where");
    for (int i = 0; e && i < rep.nerrors && i < PEOPLE_MAX_ERRORS; i++) {
        cJSON *w = cJSON_CreateObject();
        if (!w)
            break;
        cJSON_AddItemToArray(e, w);
        cJSON_AddNumberToObject(w, "line", rep.where[i].line);
        cJSON_AddNumberToObject(w, "column", rep.where[i].col);
        cJSON_AddStringToObject(w, "name", rep.where[i].column);
        cJSON_AddStringToObject(w, "code", rep.where[i].code);
        cJSON_AddStringToObject(w, "arg", rep.where[i].arg);
    }
    if (rc != BB_OK)
        cJSON_AddStringToObject(o, "error",
                                rc == BB_ELIMIT ? "the file is too large; nothing was changed"
                                                : "the file has errors; nothing was changed");
    api_json(r->resp, rc == BB_OK ? 200 : rc == BB_ELIMIT ? 413 : 422, o);
    cJSON_Delete(o);
}

/* ---- delivery and audit ---------------------------------------------------- */

static const char *state_name(int s)
{
    static const char *const names[] = {"queued", "sending", "sent",   "delivered",
                                        "read",   "failed",  "blocked"};
    return s >= 0 && s < (int)BB_ARRAY_LEN(names) ? names[s] : "other";
}

/* {"channels":[{"channel","total","queued",...}]} for a batch or a period. */
static void delivery_answer(struct areq *r, int64_t batch, int64_t since)
{
    struct store_admin_count *v = NULL;
    int n = 0, rc = store_admin_outbox_counts(st_of(r), batch, since, &v, &n);
    cJSON *o = NULL, *a, *cur = NULL;
    const char *cur_name = NULL;

    if (rc != BB_OK) {
        fail500(r, "delivery", rc);
        return;
    }
    o = cJSON_CreateObject();
    a = o ? cJSON_AddArrayToObject(o, "channels") : NULL;
    if (!a)
        goto oom;
    if (batch > 0)
        cJSON_AddNumberToObject(o, "batch", (double)batch);
    else
        add_iso(o, "since", since);
    for (int i = 0; i < n; i++) {
        if (!cur_name || strcmp(cur_name, v[i].key) != 0) {
            cur = cJSON_CreateObject();
            if (!cur)
                goto oom;
            cJSON_AddItemToArray(a, cur);
            cJSON_AddStringToObject(cur, "channel", v[i].key);
            cJSON_AddNumberToObject(cur, "total", 0);
            for (int s = 0; s <= STORE_OUT_BLOCKED; s++)
                cJSON_AddNumberToObject(cur, state_name(s), 0);
            cur_name = v[i].key;
        }
        cJSON *t = cJSON_GetObjectItemCaseSensitive(cur, "total");
        cJSON_SetNumberValue(t, t->valuedouble + (double)v[i].n);
        cJSON *sv = cJSON_GetObjectItemCaseSensitive(cur, state_name(v[i].state));
        if (sv)
            cJSON_SetNumberValue(sv, sv->valuedouble + (double)v[i].n);
    }
    api_json(r->resp, 200, o);
    goto out;
oom:
    api_error(r->resp, 500, "out of memory");
out:
    cJSON_Delete(o);
    free(v);
}

static void h_delivery(struct areq *r)
{
    long long batch, days;
    if (query_int(r, "batch", 1, INT64_MAX, 0, &batch) != 0 ||
        query_int(r, "days", 1, 366, 7, &days) != 0) {
        api_error(r->resp, 400, "batch must be a positive id and days 1-366");
        return;
    }
    delivery_answer(r, batch, now_of(r) - (int64_t)days * 86400);
}

static void h_broadcast_status(struct areq *r)
{
    long long id;
    if (bb_parse_ll(r->arg, 1, INT64_MAX, &id) != BB_OK) {
        api_error(r->resp, 404, "no such broadcast");
        return;
    }
    delivery_answer(r, id, 0);
}

static void h_audit(struct areq *r)
{
    struct store_admin_audit *v = NULL;
    char who[128];
    long long limit;
    int n = 0, rc;
    cJSON *o = NULL, *a;

    if (query_int(r, "limit", 1, 500, 50, &limit) != 0) {
        api_error(r->resp, 400, "limit must be 1-500");
        return;
    }
    /* who asked for a counsellor is not HR's business: only the operator,
     * admins and counsellors see the handoff lines */
    int hide = r->person_id != 0 && strcmp(r->person.role, "hr") == 0;
    rc = store_admin_audit_list_hiding(st_of(r), (int)limit, hide ? "handoff." : NULL, &v, &n);
    if (rc != BB_OK) {
        fail500(r, "audit", rc);
        return;
    }
    o = cJSON_CreateObject();
    a = o ? cJSON_AddArrayToObject(o, "entries") : NULL;
    for (int i = 0; a && i < n; i++) {
        cJSON *x = cJSON_CreateObject();
        if (!x)
            break;
        cJSON_AddItemToArray(a, x);
        add_iso(x, "at", v[i].at);
        cJSON_AddStringToObject(x, "actor", v[i].actor);
        cJSON_AddStringToObject(x, "action", v[i].action);
        cJSON_AddStringToObject(x, "subject_nip", v[i].subject_nip);
        cJSON_AddStringToObject(x, "detail", v[i].detail);
        store_actor_name(st_of(r), v[i].actor, who, sizeof(who));
        cJSON_AddStringToObject(x, "actor_name", who);
    }
    api_json(r->resp, 200, o);
    cJSON_Delete(o);
    free(v);
}

/* ---- alerts (store_alerts.h, bot/core/alert.h) ------------------------------- */

#define ADMIN_ALERTS_MAX  500          /* alerts listed */
#define ADMIN_ALERTS_DAYS (30 * 86400) /* acknowledged ones listed this long */

/* GET /alerts: open alerts (oldest first), then those acknowledged in the
 * last 30 days. Never answers or messages: none are stored. */
static void h_alerts(struct areq *r)
{
    struct store_alert *v = NULL;
    char who[128];
    int n = 0, rc;
    cJSON *o = NULL, *a;

    rc = store_alert_list(st_of(r), now_of(r) - ADMIN_ALERTS_DAYS, ADMIN_ALERTS_MAX, &v, &n);
    if (rc != BB_OK) {
        fail500(r, "alerts", rc);
        return;
    }
    o = cJSON_CreateObject();
    a = o ? cJSON_AddArrayToObject(o, "alerts") : NULL;
    for (int i = 0; a && i < n; i++) {
        cJSON *x = cJSON_CreateObject(), *pp;
        if (!x)
            break;
        cJSON_AddItemToArray(a, x);
        cJSON_AddNumberToObject(x, "id", (double)v[i].id);
        cJSON_AddStringToObject(x, "kind", v[i].kind);
        add_iso(x, "created_at", v[i].created_at);
        if ((pp = cJSON_AddObjectToObject(x, "person"))) {
            cJSON_AddStringToObject(pp, "nip", v[i].nip);
            cJSON_AddStringToObject(pp, "name", v[i].name);
            cJSON_AddStringToObject(pp, "unit", v[i].unit);
        }
        cJSON_AddStringToObject(x, "sent_to", v[i].sent_to[0] ? v[i].sent_to : "nobody");
        cJSON_AddNumberToObject(x, "reached", v[i].reached);
        if (v[i].recipient_name[0])
            cJSON_AddStringToObject(x, "recipient", v[i].recipient_name);
        else
            cJSON_AddNullToObject(x, "recipient");
        cJSON_AddStringToObject(x, "state", v[i].acked_at ? "acknowledged" : "open");
        if (v[i].acked_at) {
            add_iso(x, "acked_at", v[i].acked_at);
            cJSON_AddStringToObject(x, "acked_by", v[i].acked_by);
            store_actor_name(st_of(r), v[i].acked_by, who, sizeof(who));
            cJSON_AddStringToObject(x, "acked_by_name", who);
        }
    }
    api_json(r->resp, 200, o);
    cJSON_Delete(o);
    free(v);
}

/* POST /alerts/ID/ack: someone has followed up; audit-logged. */
static void h_alert_ack(struct areq *r)
{
    long long id = 0;
    char detail[64];
    int rc;
    if (bb_parse_ll(r->arg, 1, INT64_MAX, &id) != BB_OK) {
        api_error(r->resp, 400, "an alert id is a positive number");
        return;
    }
    if ((rc = store_begin(st_of(r))) != BB_OK) {
        fail500(r, "alert ack", rc);
        return;
    }
    rc = store_alert_ack(st_of(r), id, r->actor, now_of(r));
    if (rc == BB_OK) {
        bb_snprintf(detail, sizeof(detail), "alert %lld", id);
        rc = store_audit(st_of(r), r->actor, "alert.ack", 0, detail, now_of(r));
    }
    if (rc == BB_OK)
        rc = store_commit(st_of(r));
    else
        store_rollback(st_of(r));
    if (rc == BB_ENOTFOUND)
        api_error(r->resp, 404, "no such alert");
    else if (rc == BB_EEXIST)
        api_error(r->resp, 409, "this alert was acknowledged already");
    else if (rc != BB_OK)
        fail500(r, "alert ack", rc);
    else {
        cJSON *o = cJSON_CreateObject();
        if (o) {
            cJSON_AddNumberToObject(o, "id", (double)id);
            cJSON_AddStringToObject(o, "state", "acknowledged");
        }
        api_json(r->resp, 200, o);
        cJSON_Delete(o);
    }
}

/* ---- the modules' endpoints (admin_hooks.h) ---------------------------------- */

static int hook_missing(struct areq *r, const void *fn, const char *what)
{
    char msg[160];
    if (fn)
        return 0;
    bb_snprintf(msg, sizeof(msg), "not implemented: %s are not available in this build", what);
    api_error(r->resp, 501, msg);
    return 1;
}

/* Answer a hook's result. */
static void hook_answer(struct areq *r, const char *what, int rc, cJSON *out, const char *err,
                        int ok_status)
{
    if (rc == BB_OK && out)
        api_json(r->resp, ok_status, out);
    else if (rc == BB_OK || rc == BB_ENOMEM)
        api_error(r->resp, 500, "internal error; see the service log");
    else if (rc == BB_ENOTFOUND)
        api_error(r->resp, 404, err[0] ? err : "not found");
    else if (rc == BB_EINVAL)
        api_error(r->resp, 400, err[0] ? err : "bad request");
    else if (rc == BB_EEXIST)
        api_error(r->resp, 409, err[0] ? err : "already exists");
    else
        fail500(r, what, rc);
    cJSON_Delete(out);
}

static void h_surveys(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "";
    cJSON *out = NULL;
    if (hook_missing(r, (const void *)r->a->hooks->survey_list, "surveys"))
        return;
    int rc = r->a->hooks->survey_list(r->a->d, r->a->d->cfg->anonymity_k, &out, err);
    hook_answer(r, "surveys", rc, out, err, 200);
}

static void h_survey(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "";
    int k = r->a->d->cfg->anonymity_k;
    cJSON *out = NULL;
    if (hook_missing(r, (const void *)r->a->hooks->survey_report, "surveys"))
        return;
    int rc = r->a->hooks->survey_report(r->a->d, r->arg, k, &out, err);
    if (rc == BB_OK && out) {
        /* the module hides small groups; check the whole report again */
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(out, "responses");
        if (!cJSON_IsNumber(n) || n->valuedouble < k) {
            /* keep only what names the survey (its titles) */
            cJSON *title = cJSON_DetachItemFromObjectCaseSensitive(out, "title");
            cJSON *title_id = cJSON_DetachItemFromObjectCaseSensitive(out, "title_id");
            cJSON_Delete(out);
            out = cJSON_CreateObject();
            if (out && title)
                cJSON_AddItemToObject(out, "title", title);
            else
                cJSON_Delete(title);
            if (out && title_id)
                cJSON_AddItemToObject(out, "title_id", title_id);
            else
                cJSON_Delete(title_id);
            if (out) {
                cJSON_AddStringToObject(out, "id", r->arg);
                cJSON_AddTrueToObject(out, "hidden");
                cJSON_AddNumberToObject(out, "anonymity_k", k);
            }
        }
    }
    hook_answer(r, "survey report", rc, out, err, 200);
}

static void h_survey_csv(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "";
    char *csv = NULL;
    size_t len = 0;
    if (hook_missing(r, (const void *)r->a->hooks->survey_csv, "surveys"))
        return;
    int rc = r->a->hooks->survey_csv(r->a->d, r->arg, r->a->d->cfg->anonymity_k, &csv, &len, err);
    if (rc == BB_OK && csv) {
        r->resp->status = 200;
        r->resp->content_type = "text/csv; charset=utf-8";
        r->resp->body = csv;
        r->resp->body_len = len;
        bb_snprintf(r->resp->headers, sizeof(r->resp->headers),
                    "Content-Disposition: attachment; filename=\"survey-%s.csv\"\r\n", r->arg);
        return;
    }
    free(csv);
    hook_answer(r, "survey csv", rc == BB_OK ? BB_ENOMEM : rc, NULL, err, 200);
}

/* "to" of a request: a segment the modules accept (admin_hooks.segment_check,
 * the one segment checker, as the CLI uses). Answers 400 and returns 0
 * when it is not: {"error", "code", "value", "suggestion", "known"}. */
static int segment_ok(struct areq *r, const char *to)
{
    char err[ADMIN_ERR_MAX] = "";
    cJSON *detail = NULL;
    int rc = BB_EINVAL;
    if (!r->a->hooks->segment_check) {
        api_error(r->resp, 501, "not implemented: segments are not available in this build");
        return 0;
    }
    if (to)
        rc = r->a->hooks->segment_check(r->a->d, to, &detail, err, sizeof(err));
    if (rc == BB_OK)
        return 1;
    if (rc != BB_EINVAL) {
        cJSON_Delete(detail);
        fail500(r, "segment", rc);
        return 0;
    }
    api_segment_refused(r->resp, detail, to ? err : NULL);
    return 0;
}

static void h_survey_send(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "";
    cJSON *out = NULL, *body;
    if (hook_missing(r, (const void *)r->a->hooks->survey_send, "surveys"))
        return;
    if (!(body = api_json_object(r->req, r->resp)))
        return;
    const char *to = str_member(body, "to", 1, ADMIN_SEGMENT_MAX);
    if (segment_ok(r, to)) {
        int rc = r->a->hooks->survey_send(r->a->d, r->arg, to, r->actor, &out, err);
        hook_answer(r, "survey send", rc, out, err, 202);
    }
    cJSON_Delete(body);
}

static void h_broadcasts(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "";
    cJSON *out = NULL;
    if (hook_missing(r, (const void *)r->a->hooks->broadcast_list, "broadcasts"))
        return;
    int rc = r->a->hooks->broadcast_list(r->a->d, &out, err);
    hook_answer(r, "broadcasts", rc, out, err, 200);
}

static void h_suggestions(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "";
    cJSON *out = NULL;
    if (hook_missing(r, (const void *)r->a->hooks->pair_suggest, "mentoring pairs"))
        return;
    int rc = r->a->hooks->pair_suggest(r->a->d, &out, err); /* before out is read */
    hook_answer(r, "pair suggest", rc, out, err, 200);
}

static void h_pairs(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "";
    cJSON *out = NULL;
    if (hook_missing(r, (const void *)r->a->hooks->pair_list, "mentoring pairs"))
        return;
    int rc = r->a->hooks->pair_list(r->a->d, &out, err); /* before out is read */
    hook_answer(r, "pair list", rc, out, err, 200);
}

static int nip_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 31)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static void h_pair_apply(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "";
    cJSON *out = NULL, *body;
    if (hook_missing(r, (const void *)r->a->hooks->pair_apply, "mentoring pairs"))
        return;
    if (!(body = api_json_object(r->req, r->resp)))
        return;
    const char *mentor = str_member(body, "mentor", 1, 31);
    const char *mentee = str_member(body, "mentee", 1, 31);
    if (!nip_ok(mentor) || !nip_ok(mentee) || strcmp(mentor, mentee) == 0) {
        api_error(r->resp, 400, "\"mentor\" and \"mentee\" must be two different NIPs");
    } else {
        int rc = r->a->hooks->pair_apply(r->a->d, mentor, mentee, r->actor, &out, err);
        hook_answer(r, "pair apply", rc, out, err, 201);
    }
    cJSON_Delete(body);
}

/* ---- conversations handed to a counsellor (bot/core/handoff.h) ---------------- */

/* The handoff id of the path, or 0 (answered 404). */
static int64_t handoff_id_of(struct areq *r)
{
    long long id;
    if (bb_parse_ll(r->arg, 1, INT64_MAX, &id) != BB_OK) {
        api_error(r->resp, 404, "no such conversation");
        return 0;
    }
    return (int64_t)id;
}

static cJSON *handoff_json(const struct store_handoff *h)
{
    cJSON *x = cJSON_CreateObject(), *p;
    if (!x)
        return NULL;
    cJSON_AddNumberToObject(x, "id", (double)h->id);
    p = cJSON_AddObjectToObject(x, "person");
    if (p) {
        cJSON_AddStringToObject(p, "nip", h->nip);
        cJSON_AddStringToObject(p, "name", h->name);
        cJSON_AddStringToObject(p, "unit", h->unit);
        cJSON_AddStringToObject(p, "language", h->lang);
    }
    cJSON_AddStringToObject(x, "reason", h->reason);
    add_iso(x, "opened_at", h->opened_at);
    if (h->last_in_at)
        add_iso(x, "last_message_at", h->last_in_at);
    if (h->last_out_at)
        add_iso(x, "last_answer_at", h->last_out_at);
    cJSON_AddBoolToObject(x, "waiting", h->waiting);
    cJSON_AddNumberToObject(x, "messages", (double)h->n_in);
    cJSON_AddBoolToObject(x, "open", h->closed_at == 0);
    if (h->closed_at) {
        add_iso(x, "closed_at", h->closed_at);
        cJSON_AddStringToObject(x, "closed_by", h->closed_by);
    }
    return x;
}

/* GET /handoffs: the open ones, waiting first. Names only: not audited. */
static void h_handoffs(struct areq *r)
{
    struct store_handoff *v = NULL;
    int n = 0, rc = store_handoff_list_open(st_of(r), &v, &n);
    cJSON *o = NULL, *a;
    if (rc != BB_OK) {
        fail500(r, "handoffs", rc);
        return;
    }
    o = cJSON_CreateObject();
    a = o ? cJSON_AddArrayToObject(o, "handoffs") : NULL;
    for (int i = 0; a && i < n; i++)
        cJSON_AddItemToArray(a, handoff_json(&v[i]));
    if (a)
        api_json(r->resp, 200, o);
    else
        api_error(r->resp, 500, "out of memory");
    cJSON_Delete(o);
    free(v);
}

/* GET /handoffs/ID: one conversation with every message since it opened;
 * the reading is audited (who read whose conversation, not what). */
static void h_handoff(struct areq *r)
{
    struct store_handoff h;
    struct store_handoff_msg *m = NULL;
    int64_t id = handoff_id_of(r);
    int n = 0, rc;
    char detail[64];
    cJSON *o = NULL, *a;
    if (!id)
        return;
    rc = store_handoff_get(st_of(r), id, &h);
    if (rc == BB_ENOTFOUND) {
        api_error(r->resp, 404, "no such conversation");
        return;
    }
    if (rc == BB_OK)
        rc = store_handoff_messages(st_of(r), id, &m, &n);
    bb_snprintf(detail, sizeof(detail), "handoff %" PRId64, id);
    if (rc == BB_OK)
        rc = store_audit(st_of(r), r->actor, "handoff.read", h.person_id, detail, now_of(r));
    if (rc != BB_OK) {
        fail500(r, "handoff", rc);
        goto out;
    }
    o = handoff_json(&h);
    a = o ? cJSON_AddArrayToObject(o, "thread") : NULL;
    for (int i = 0; a && i < n; i++) {
        cJSON *x = cJSON_CreateObject();
        if (!x)
            break;
        cJSON_AddItemToArray(a, x);
        add_iso(x, "at", m[i].at);
        cJSON_AddStringToObject(x, "from", m[i].out ? "counsellor" : "person");
        if (m[i].out)
            cJSON_AddStringToObject(x, "by", m[i].author);
        cJSON_AddStringToObject(x, "text", m[i].body ? m[i].body : "");
    }
    if (a)
        api_json(r->resp, 200, o);
    else
        api_error(r->resp, 500, "out of memory");
out:
    cJSON_Delete(o);
    store_handoff_msgs_free(m, n);
}

/* Run fn (answer or close) in one transaction; answer its outcome. */
static void handoff_write(struct areq *r, int64_t id, const char *text)
{
    char shown[64] = "";
    int rc;
    if (r->person_id) { /* the counsellor's first name, as the person sees it */
        size_t k = strcspn(r->person.name, " ");
        bb_strlcpy(shown, r->person.name, k + 1 < sizeof(shown) ? k + 1 : sizeof(shown));
    }
    rc = store_begin(st_of(r));
    if (rc == BB_OK) {
        rc = text ? handoff_answer(r->a->d->core, st_of(r), id, r->actor, shown, text, now_of(r))
                  : handoff_close(r->a->d->core, st_of(r), id, r->actor, now_of(r));
        if (rc == BB_OK)
            rc = store_commit(st_of(r));
        else
            store_rollback(st_of(r));
    }
    if (rc == BB_ENOTFOUND) {
        struct store_handoff h;
        int known = store_handoff_get(st_of(r), id, &h) == BB_OK;
        api_error(r->resp, known ? 409 : 404,
                  known ? "this conversation is closed" : "no such conversation");
    } else if (rc == BB_EINVAL) {
        api_error(r->resp, 400, "\"text\" must be 1 to 4000 characters of UTF-8");
    } else if (rc != BB_OK) {
        fail500(r, text ? "handoff answer" : "handoff close", rc);
    } else {
        cJSON *o = cJSON_CreateObject();
        if (o) {
            cJSON_AddNumberToObject(o, "id", (double)id);
            cJSON_AddStringToObject(o, "status", text ? "sent" : "closed");
        }
        api_json(r->resp, text ? 201 : 200, o);
        cJSON_Delete(o);
    }
}

/* POST /handoffs/ID/messages {"text": "..."}: an answer to the person. */
static void h_handoff_answer(struct areq *r)
{
    int64_t id = handoff_id_of(r);
    cJSON *body;
    if (!id || !(body = api_json_object(r->req, r->resp)))
        return;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(body, "text");
    if (!cJSON_IsString(t) || !t->valuestring[0])
        api_error(r->resp, 400, "\"text\" must be 1 to 4000 characters of UTF-8");
    else
        handoff_write(r, id, t->valuestring);
    cJSON_Delete(body);
}

/* POST /handoffs/ID/close: the person is told a human has left. */
static void h_handoff_close(struct areq *r)
{
    int64_t id = handoff_id_of(r);
    if (id)
        handoff_write(r, id, NULL);
}

static int erasure_id(struct areq *r, int64_t *id)
{
    char *end = NULL;
    long long v = strtoll(r->arg, &end, 10);
    if (!r->arg[0] || !end || *end || v <= 0) {
        api_error(r->resp, 404, "no such erasure request");
        return 0;
    }
    *id = v;
    return 1;
}

static void h_erasures(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "";
    cJSON *out = NULL;
    if (hook_missing(r, (const void *)r->a->hooks->erasure_list, "erasure requests"))
        return;
    int rc = r->a->hooks->erasure_list(r->a->d, &out, err); /* before out is read */
    hook_answer(r, "erasure list", rc, out, err, 200);
}

static void h_erasure_hold(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "";
    cJSON *out = NULL, *body;
    int64_t id;
    if (hook_missing(r, (const void *)r->a->hooks->erasure_hold, "erasure requests") ||
        !erasure_id(r, &id) || !(body = api_json_object(r->req, r->resp)))
        return;
    const char *reason = str_member(body, "reason", 1, 500);
    if (!reason) {
        api_error(r->resp, 400, "\"reason\" must say why, in 1 to 500 bytes of UTF-8");
    } else {
        int rc = r->a->hooks->erasure_hold(r->a->d, id, reason, r->actor, &out, err);
        hook_answer(r, "erasure hold", rc, out, err, 200);
    }
    cJSON_Delete(body);
}

static void h_erasure_release(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "";
    cJSON *out = NULL;
    int64_t id;
    if (hook_missing(r, (const void *)r->a->hooks->erasure_release, "erasure requests") ||
        !erasure_id(r, &id))
        return;
    int rc = r->a->hooks->erasure_release(r->a->d, id, r->actor, &out, err);
    hook_answer(r, "erasure release", rc, out, err, 200);
}

/* ---- routing ----------------------------------------------------------------- */

/* One API route: method, path (after /api/v1; '*' is one segment: an id),
 * the role its caller needs (enum admin_role, checked before the handler
 * runs) and the handler. The module endpoints' handlers call admin_hooks;
 * an area's handlers in their own file (admin_call.h) get a handler here
 * from ADMIN_EXT(their function). */
struct admin_route {
    const char *method;
    const char *path;
    int role;
    void (*fn)(struct areq *r);
};

/* Call an area file's handler with the call's view of r. */
static void run_ext(struct areq *r, void (*ext)(const struct admin_call *c))
{
    struct admin_call c = {r->a->d,
                           r->req,
                           r->resp,
                           r->arg,
                           r->actor,
                           r->person_id,
                           r->person_id ? r->person.role : "admin",
                           now_of(r)};
    ext(&c);
}
#define ADMIN_EXT(fn)                                                                              \
    static void h_##fn(struct areq *r)                                                             \
    {                                                                                              \
        run_ext(r, fn);                                                                            \
    }
ADMIN_EXT(admin_invites_list)
ADMIN_EXT(admin_invites_issue)
ADMIN_EXT(admin_invites_reissue)
ADMIN_EXT(admin_invites_revoke)
ADMIN_EXT(admin_people_list)
ADMIN_EXT(admin_bc_compose)
ADMIN_EXT(admin_bc_preview)
ADMIN_EXT(admin_bc_detail)
ADMIN_EXT(admin_bc_cancel)
ADMIN_EXT(admin_mt_mentors)
ADMIN_EXT(admin_mt_mentor)
ADMIN_EXT(admin_mt_end)
ADMIN_EXT(admin_mt_reject)
ADMIN_EXT(admin_mt_figures)
ADMIN_EXT(admin_people_get)
ADMIN_EXT(admin_people_role)
ADMIN_EXT(admin_people_deactivate)
ADMIN_EXT(admin_people_export)
ADMIN_EXT(admin_people_erase)
ADMIN_EXT(admin_learning_report)
ADMIN_EXT(admin_learning_report_csv)
ADMIN_EXT(admin_learning_catalog)
ADMIN_EXT(admin_learning_import)
ADMIN_EXT(admin_learning_retire)

static const struct admin_route routes[] = {
    {"POST", "/session", ADMIN_ROLE_OPEN, h_signin},
    {"GET", "/session", ADMIN_ROLE_STAFF, h_session},
    {"DELETE", "/session", ADMIN_ROLE_STAFF, h_signout},
    {"PUT", "/session/lang", ADMIN_ROLE_STAFF, h_session_lang},
    {"GET", "/overview", ADMIN_ROLE_HR, h_overview},
    {"GET", "/people", ADMIN_ROLE_HR, h_admin_people_list},
    {"POST", "/people/import", ADMIN_ROLE_HR, h_import},
    {"GET", "/people/*", ADMIN_ROLE_HR, h_admin_people_get},
    {"PUT", "/people/*/role", ADMIN_ROLE_HR, h_admin_people_role},
    {"POST", "/people/*/deactivate", ADMIN_ROLE_HR, h_admin_people_deactivate},
    {"GET", "/people/*/export", ADMIN_ROLE_HR, h_admin_people_export},
    {"POST", "/people/*/erase", ADMIN_ROLE_HR, h_admin_people_erase},
    {"GET", "/delivery", ADMIN_ROLE_HR, h_delivery},
    {"GET", "/audit", ADMIN_ROLE_HR, h_audit},
    {"GET", "/surveys", ADMIN_ROLE_HR, h_surveys},
    {"GET", "/surveys/*", ADMIN_ROLE_HR, h_survey},
    {"GET", "/surveys/*/csv", ADMIN_ROLE_HR, h_survey_csv},
    {"POST", "/surveys/*/send", ADMIN_ROLE_HR, h_survey_send},
    {"POST", "/surveys/*/schedule", ADMIN_ROLE_HR, admin_surveys_schedule},
    {"GET", "/surveys/*/trend", ADMIN_ROLE_HR, admin_surveys_trend},
    {"GET", "/surveys/*/trend/csv", ADMIN_ROLE_HR, admin_surveys_trend_csv},
    {"GET", "/survey-waves/*", ADMIN_ROLE_HR, admin_surveys_wave},
    {"GET", "/survey-waves/*/csv", ADMIN_ROLE_HR, admin_surveys_wave_csv},
    {"POST", "/survey-waves/*/close", ADMIN_ROLE_HR, admin_surveys_close},
    {"POST", "/survey-series/*/stop", ADMIN_ROLE_HR, admin_surveys_series_stop},
    {"GET", "/broadcasts", ADMIN_ROLE_HR, h_broadcasts},
    {"POST", "/broadcasts", ADMIN_ROLE_HR, h_admin_bc_compose},
    {"POST", "/broadcasts/preview", ADMIN_ROLE_HR, h_admin_bc_preview},
    {"GET", "/broadcasts/*", ADMIN_ROLE_HR, h_broadcast_status},
    {"GET", "/broadcasts/*/detail", ADMIN_ROLE_HR, h_admin_bc_detail},
    {"POST", "/broadcasts/*/cancel", ADMIN_ROLE_HR, h_admin_bc_cancel},
    {"GET", "/mentoring/suggestions", ADMIN_ROLE_HR, h_suggestions},
    {"POST", "/mentoring/suggestions/*/reject", ADMIN_ROLE_HR, h_admin_mt_reject},
    {"GET", "/mentoring/pairs", ADMIN_ROLE_HR, h_pairs},
    {"POST", "/mentoring/pairs", ADMIN_ROLE_HR, h_pair_apply},
    {"POST", "/mentoring/pairs/*/end", ADMIN_ROLE_HR, h_admin_mt_end},
    {"GET", "/mentoring/mentors", ADMIN_ROLE_HR, h_admin_mt_mentors},
    {"PUT", "/mentoring/mentors/*", ADMIN_ROLE_HR, h_admin_mt_mentor},
    {"GET", "/mentoring/figures", ADMIN_ROLE_HR, h_admin_mt_figures},
    {"GET", "/handoffs", ADMIN_ROLE_COUNSEL, h_handoffs},
    {"GET", "/handoffs/*", ADMIN_ROLE_COUNSEL, h_handoff},
    {"POST", "/handoffs/*/messages", ADMIN_ROLE_COUNSEL, h_handoff_answer},
    {"POST", "/handoffs/*/close", ADMIN_ROLE_COUNSEL, h_handoff_close},
    {"GET", "/erasures", ADMIN_ROLE_HR, h_erasures},
    {"POST", "/erasures/*/hold", ADMIN_ROLE_HR, h_erasure_hold},
    {"POST", "/erasures/*/release", ADMIN_ROLE_HR, h_erasure_release},
    {"GET", "/alerts", ADMIN_ROLE_ALERTS, h_alerts},
    {"POST", "/alerts/*/ack", ADMIN_ROLE_ALERTS, h_alert_ack},
    {"GET", "/invites", ADMIN_ROLE_HR, h_admin_invites_list},
    {"POST", "/invites", ADMIN_ROLE_HR, h_admin_invites_issue},
    {"POST", "/invites/*/reissue", ADMIN_ROLE_HR, h_admin_invites_reissue},
    {"POST", "/invites/*/revoke", ADMIN_ROLE_HR, h_admin_invites_revoke},
    {"GET", "/learning/report", ADMIN_ROLE_HR, h_admin_learning_report},
    {"GET", "/learning/report/csv", ADMIN_ROLE_HR, h_admin_learning_report_csv},
    {"GET", "/learning/catalog", ADMIN_ROLE_HR, h_admin_learning_catalog},
    {"POST", "/learning/catalog/import", ADMIN_ROLE_HR, h_admin_learning_import},
    {"POST", "/learning/catalog/*/retire", ADMIN_ROLE_HR, h_admin_learning_retire},
};

static int id_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
}

/* Does path match pattern? The '*' segment goes to arg. */
static int path_match(const char *pattern, const char *path, char *arg, size_t n)
{
    while (*pattern && *path) {
        if (*pattern == '*') {
            size_t len = 0;
            while (path[len] && path[len] != '/') {
                if (!id_char((unsigned char)path[len]))
                    return 0;
                len++;
            }
            if (len == 0 || len >= n || (len <= 2 && path[0] == '.'))
                return 0;
            memcpy(arg, path, len);
            arg[len] = '\0';
            path += len;
            pattern++;
            continue;
        }
        if (*pattern++ != *path++)
            return 0;
    }
    return !*pattern && !*path;
}

static void sanitize(const char *in, char *out, size_t n)
{
    size_t j = 0;
    for (; *in && j + 1 < n; in++)
        out[j++] = (unsigned char)*in < 0x20 || (unsigned char)*in >= 0x7f ? '?' : *in;
    out[j] = '\0';
}

static void on_api(void *ctx, const struct http_req *req, struct http_resp *resp)
{
    struct areq *r = calloc(1, sizeof(*r));
    int64_t t0 = bb_mono_ms();
    const struct admin_route *ep = NULL;
    int path_known = 0;
    char logpath[160];

    if (!r) {
        api_error(resp, 500, "out of memory");
        return;
    }
    r->a = ctx;
    r->req = req;
    r->resp = resp;
    r->sub = req->path + strlen("/api/v1");
    for (size_t i = 0; i < BB_ARRAY_LEN(routes); i++) {
        char arg[ADMIN_ID_MAX + 1] = "";
        if (!path_match(routes[i].path, r->sub, arg, sizeof(arg)))
            continue;
        path_known = 1;
        if (strcmp(routes[i].method, req->method) == 0) {
            ep = &routes[i];
            bb_strlcpy(r->arg, arg, sizeof(r->arg));
            break;
        }
    }
    /* An unknown route needs a session too: nothing to discover without. */
    if (ep && ep->role == ADMIN_ROLE_OPEN)
        ep->fn(r);
    else if (auth(r, ep ? ep->role : ADMIN_ROLE_HR) != BB_OK)
        ; /* answered: 401, 403 or 500 */
    else if (ep)
        ep->fn(r);
    else if (path_known)
        api_error(resp, 405, "method not allowed");
    else
        api_error(resp, 404, "no such endpoint (see docs/api.md)");
    sanitize(req->path, logpath, sizeof(logpath));
    bb_log(BB_LOG_INFO, "api", "%s %s %d %" PRId64 "ms", req->method, logpath, resp->status,
           bb_mono_ms() - t0);
    free(r);
}

/* ---- lifecycle ------------------------------------------------------------------ */

int admin_new(struct http_server *http, const struct domain_ctx *d, struct admin **out)
{
    static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    struct admin *a;
    int rc = BB_OK;

    if (!out)
        return BB_EINVAL;
    *out = NULL;
    if (!http || !d || !d->st || !d->cfg)
        return BB_EINVAL;
    a = calloc(1, sizeof(*a));
    if (!a)
        return BB_ENOMEM;
    a->d = d;
    a->hooks = &admin_hooks;
    rc = http_set_headers(http, ADMIN_HEADERS);
    for (size_t i = 0; rc == BB_OK && i < BB_ARRAY_LEN(methods); i++)
        rc = http_route(http, methods[i], "/api/v1", ADMIN_BODY_MAX, on_api, a);
    if (rc == BB_OK)
        rc = http_route(http, "POST", "/api/v1/people/import", ADMIN_IMPORT_MAX, on_api, a);
    if (rc == BB_OK)
        rc = http_route(http, "POST", "/api/v1/learning/catalog/import", ADMIN_LEARN_UPLOAD_MAX,
                        on_api, a);
    if (rc != BB_OK) {
        /* routes already added stay pointing at a: keep it (a few bytes) */
        bb_log(BB_LOG_ERR, "admin", "cannot register the API: %s", bb_strerror(rc));
        *out = a;
        return rc;
    }
    bb_log(BB_LOG_INFO, "admin", "HR dashboard on /admin/, API on /api/v1%s",
           d->cfg->admin_token[0]
               ? ""
               : " (no BIMBING_ADMIN_TOKEN: HR people sign in via the web chat)");
    *out = a;
    return BB_OK;
}

void admin_free(struct admin *a)
{
    free(a);
}

/* ---- shared with the area files (admin_int.h) ------------------------------------ */

void admin_hook_answer(struct areq *r, const char *what, int rc, cJSON *out, const char *err,
                       int ok_status)
{
    hook_answer(r, what, rc, out, err, ok_status);
}

int admin_segment_ok(struct areq *r, const char *to)
{
    return segment_ok(r, to);
}
