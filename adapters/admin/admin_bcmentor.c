/*
 * admin_bcmentor.c - the HR dashboard's JSON routes for broadcasts and
 * mentoring (see admin_bcmentor.h): HTTP only. The work is the survey
 * module's (survey_admin_compose, _preview, _bc_detail, _bc_cancel) and the
 * mentoring module's (mentoring_hr_end, _hr_reject, _hr_mentor,
 * mentoring_admin_mentors, _figures), the same calls `bimbing broadcast`
 * and `bimbing pair` make. Segments go through the one checker
 * (survey_admin_segment), whose 400 names the known units.
 *
 * Core thread only (admin.c's route rows call it). Every answer is built
 * and freed here; nothing global.
 */
#include "adapters/admin/admin_bcmentor.h"
#include "adapters/net/apiutil.h"
#include "bot/base/bb.h"
#include "bot/core/config.h"
#include "bot/domain/mentoring/mentoring.h"
#include "bot/domain/survey/survey.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BCM_ERR_MAX     256
#define BCM_SEGMENT_MAX 128  /* "all", "unit=NAME", "role=ROLE" */
#define BCM_TEXT_MAX    4096 /* a broadcast's text, per language */
#define BCM_NIP_MAX     31

/* Answer rc of a module call: out (200/201...) or the error it means. */
static void answer(const struct admin_call *c, int rc, cJSON *out, const char *err, int ok)
{
    if (rc == BB_OK && out)
        api_json(c->resp, ok, out);
    else if (rc == BB_ENOTFOUND)
        api_error(c->resp, 404, err && err[0] ? err : "not found");
    else if (rc == BB_EINVAL)
        api_error(c->resp, 400, err && err[0] ? err : "bad request");
    else if (rc == BB_EEXIST)
        api_error(c->resp, 409, err && err[0] ? err : "not possible any more");
    else {
        bb_log(BB_LOG_ERR, "admin", "%s %s: %s (%s)", c->req->method, "bcmentor", bb_strerror(rc),
               store_errmsg(c->d->st));
        api_error(c->resp, 500, "internal error; see the service log");
    }
    cJSON_Delete(out);
}

/* A string member of min..max bytes of UTF-8; NULL when absent or bad. */
static const char *str_of(const cJSON *o, const char *name, size_t min, size_t max)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    size_t n;
    if (!cJSON_IsString(v))
        return NULL;
    n = strlen(v->valuestring);
    return n >= min && n <= max && bb_utf8_valid(v->valuestring, n) ? v->valuestring : NULL;
}

/* Is "to" a segment the checker accepts? Answers 400 with the checker's
 * detail ({"error","code","value","suggestion","known"}) when not. */
static int segment_ok(const struct admin_call *c, const char *to)
{
    char err[BCM_ERR_MAX] = "";
    cJSON *detail = NULL;
    int rc = to ? survey_admin_segment(c->d, to, &detail, err, sizeof(err)) : BB_EINVAL;
    if (rc == BB_OK)
        return 1;
    if (rc != BB_EINVAL) {
        cJSON_Delete(detail);
        answer(c, rc, NULL, NULL, 200);
        return 0;
    }
    api_segment_refused(c->resp, detail, to ? err : NULL);
    return 0;
}

/* The two texts of a body: text_id and text_en, or one "text" for both. */
static int texts_of(const cJSON *body, const char **t_id, const char **t_en)
{
    const char *one = str_of(body, "text", 1, BCM_TEXT_MAX);
    *t_id = str_of(body, "text_id", 1, BCM_TEXT_MAX);
    *t_en = str_of(body, "text_en", 1, BCM_TEXT_MAX);
    if (!*t_id)
        *t_id = one;
    if (!*t_en)
        *t_en = one;
    return *t_id && *t_en;
}

static int id_of(const struct admin_call *c, int64_t *id)
{
    long long v;
    if (bb_parse_ll(c->arg, 1, INT64_MAX, &v) != BB_OK) {
        api_error(c->resp, 404, "not found");
        return 0;
    }
    *id = v;
    return 1;
}

/* ---- broadcasts ------------------------------------------------------------------ */

void admin_bc_compose(const struct admin_call *c)
{
    char err[BCM_ERR_MAX] = "";
    const char *t_id, *t_en, *to, *at_s;
    int64_t at = 0;
    cJSON *out = NULL, *body = api_json_object(c->req, c->resp);
    if (!body)
        return;
    to = str_of(body, "to", 1, BCM_SEGMENT_MAX);
    at_s = str_of(body, "at", 1, 40);
    if (!segment_ok(c, to))
        ; /* answered */
    else if (!texts_of(body, &t_id, &t_en))
        api_error(c->resp, 400,
                  "give \"text_id\" and \"text_en\" (or one \"text\"), each 1 to 4096 bytes of "
                  "UTF-8");
    else if (cJSON_GetObjectItemCaseSensitive(body, "at") &&
             !cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(body, "at")) &&
             (!at_s || bb_parse_iso8601(at_s, &at) != BB_OK))
        api_error(c->resp, 400, "\"at\" must be a time like 2026-12-08T09:00:00+07:00, or null");
    else {
        int rc = survey_admin_compose(c->d, to, t_id, t_en, at, c->actor, &out, err);
        answer(c, rc, out, err, 202);
    }
    cJSON_Delete(body);
}

void admin_bc_preview(const struct admin_call *c)
{
    char err[BCM_ERR_MAX] = "";
    const char *t_id, *t_en, *to;
    cJSON *out = NULL, *body = api_json_object(c->req, c->resp);
    if (!body)
        return;
    to = str_of(body, "to", 1, BCM_SEGMENT_MAX);
    if (!segment_ok(c, to))
        ; /* answered */
    else if (!texts_of(body, &t_id, &t_en))
        api_error(c->resp, 400,
                  "give \"text_id\" and \"text_en\" (or one \"text\"), each 1 to 4096 bytes of "
                  "UTF-8");
    else {
        int rc = survey_admin_preview(c->d, to, t_id, t_en, &out, err); /* before out is read */
        answer(c, rc, out, err, 200);
    }
    cJSON_Delete(body);
}

void admin_bc_detail(const struct admin_call *c)
{
    char err[BCM_ERR_MAX] = "";
    cJSON *out = NULL;
    int64_t id;
    if (!id_of(c, &id))
        return;
    int rc = survey_admin_bc_detail(c->d, id, &out, err);
    answer(c, rc, out, rc == BB_ENOTFOUND ? "no such broadcast" : err, 200);
}

void admin_bc_cancel(const struct admin_call *c)
{
    char err[BCM_ERR_MAX] = "";
    cJSON *out = NULL;
    int64_t id;
    if (!id_of(c, &id))
        return;
    int rc = survey_admin_bc_cancel(c->d, id, c->actor, &out, err);
    answer(c, rc, out, rc == BB_ENOTFOUND ? "no such broadcast" : err, 200);
}

/* ---- mentoring -------------------------------------------------------------------- */

static int nip_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > BCM_NIP_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* The person of the path's NIP; 0: answered 404. */
static int person_of(const struct admin_call *c, struct store_person *p)
{
    if (nip_ok(c->arg) && store_person_by_nip(c->d->st, c->arg, p) == BB_OK)
        return 1;
    api_error(c->resp, 404, "no person with this NIP");
    return 0;
}

void admin_mt_mentors(const struct admin_call *c)
{
    char err[BCM_ERR_MAX] = "";
    cJSON *out = NULL;
    int rc = mentoring_admin_mentors(c->d, &out, err); /* before out is read */
    answer(c, rc, out, err, 200);
}

void admin_mt_figures(const struct admin_call *c)
{
    char err[BCM_ERR_MAX] = "";
    cJSON *out = NULL;
    int k = c->d->cfg->anonymity_k >= 3 ? c->d->cfg->anonymity_k : 3;
    int rc = mentoring_admin_figures(c->d, k, &out, err); /* before out is read */
    answer(c, rc, out, err, 200);
}

/* PUT {"capacity": 0..20, "paused": true|false}, either or both. */
void admin_mt_mentor(const struct admin_call *c)
{
    struct store_person p;
    cJSON *body;
    if (!person_of(c, &p) || !(body = api_json_object(c->req, c->resp)))
        return;
    const cJSON *cap = cJSON_GetObjectItemCaseSensitive(body, "capacity");
    const cJSON *pause = cJSON_GetObjectItemCaseSensitive(body, "paused");
    int capacity = -1, paused = -1;
    if ((cap && (!cJSON_IsNumber(cap) || cap->valuedouble != (double)(int)cap->valuedouble ||
                 cap->valueint < 0 || cap->valueint > MENTORING_MAX_MENTEES)) ||
        (pause && !cJSON_IsBool(pause)) || (!cap && !pause)) {
        api_error(c->resp, 400,
                  "give \"capacity\" (a whole number 0-20) and/or \"paused\" (true or false)");
        cJSON_Delete(body);
        return;
    }
    if (cap)
        capacity = cap->valueint;
    if (pause)
        paused = cJSON_IsTrue(pause) ? 1 : 0;
    cJSON_Delete(body);
    int rc = mentoring_hr_mentor(c->d, p.id, capacity, paused, c->actor);
    if (rc == BB_EPERM) {
        api_error(c->resp, 409, "this person's role is not mentor");
        return;
    }
    if (rc != BB_OK) {
        answer(c, rc, NULL, NULL, 200);
        return;
    }
    /* the answer: the mentor's row as GET /mentoring/mentors shows it */
    char err[BCM_ERR_MAX] = "";
    cJSON *all = NULL, *one = NULL;
    rc = mentoring_admin_mentors(c->d, &all, err);
    if (rc == BB_OK) {
        cJSON *m;
        cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(all, "mentors"))
        {
            const cJSON *nip = cJSON_GetObjectItemCaseSensitive(m, "nip");
            if (cJSON_IsString(nip) && strcmp(nip->valuestring, p.nip) == 0) {
                one = cJSON_Duplicate(m, 1);
                break;
            }
        }
    }
    cJSON_Delete(all);
    answer(c, rc == BB_OK && !one ? BB_ENOMEM : rc, one, err, 200);
}

/* The reason of a body: 1..255 bytes; NULL: answered 400. */
static const char *reason_of(const struct admin_call *c, const cJSON *body)
{
    const char *r = str_of(body, "reason", 1, MENTORING_REASON_MAX);
    if (!r)
        api_error(c->resp, 400, "\"reason\" must be 1 to 255 bytes of UTF-8");
    return r;
}

/* POST {"reason": "...", "share": false} */
void admin_mt_end(const struct admin_call *c)
{
    int64_t id;
    const char *reason;
    cJSON *body;
    if (!id_of(c, &id) || !(body = api_json_object(c->req, c->resp)))
        return;
    const cJSON *share = cJSON_GetObjectItemCaseSensitive(body, "share");
    if (share && !cJSON_IsBool(share))
        api_error(c->resp, 400, "\"share\" must be true or false");
    else if ((reason = reason_of(c, body)) != NULL) {
        int rc = mentoring_hr_end(c->d, id, reason, cJSON_IsTrue(share), c->actor);
        cJSON *out = NULL;
        if (rc == BB_OK && (out = cJSON_CreateObject())) {
            cJSON_AddNumberToObject(out, "id", (double)id);
            cJSON_AddStringToObject(out, "status", "ended");
            cJSON_AddBoolToObject(out, "shared", cJSON_IsTrue(share));
        }
        answer(c, rc == BB_OK && !out ? BB_ENOMEM : rc, out,
               rc == BB_ENOTFOUND ? "no such pairing"
               : rc == BB_EEXIST  ? "this pairing has ended already"
                                  : NULL,
               200);
    }
    cJSON_Delete(body);
}

/* POST {"reason": "..."}: the path names the mentee. */
void admin_mt_reject(const struct admin_call *c)
{
    struct store_person p;
    const char *reason;
    cJSON *body;
    if (!person_of(c, &p) || !(body = api_json_object(c->req, c->resp)))
        return;
    if ((reason = reason_of(c, body)) != NULL) {
        int rc = mentoring_hr_reject(c->d, p.id, reason, c->actor);
        cJSON *out = NULL;
        if (rc == BB_OK && (out = cJSON_CreateObject())) {
            cJSON_AddStringToObject(out, "mentee", p.nip);
            cJSON_AddStringToObject(out, "status", "rejected");
        }
        answer(c, rc == BB_OK && !out ? BB_ENOMEM : rc, out,
               rc == BB_ENOTFOUND ? "no proposed mentor waits for this person" : NULL, 200);
    }
    cJSON_Delete(body);
}
