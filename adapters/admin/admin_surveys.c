/*
 * admin_surveys.c - the HR dashboard's routes for surveys over time (see
 * admin_surveys.h; docs/api.md "Surveys over time"). Thin: each handler
 * checks the request and calls the survey module's survey_admin_*
 * function (bot/domain/survey/survey.h), the same code paths as
 * `bimbing survey`; the module writes the audit log and applies the
 * anonymity threshold. Called by admin.c's routes[] only.
 *
 * Threads: core thread only.
 */
#include "adapters/admin/admin_surveys.h"
#include "adapters/admin/admin_hooks.h"
#include "adapters/admin/admin_int.h"
#include "bot/base/bb.h"
#include "bot/domain/survey/survey.h"

#include <stdlib.h>
#include <string.h>

static int k_of(const struct areq *r)
{
    return r->a->d->cfg->anonymity_k;
}

/* The path's id as a positive number; 400 answered and 0 when it is not. */
static int64_t num_arg(struct areq *r)
{
    long long v = 0;
    if (bb_parse_ll(r->arg, 1, INT64_MAX, &v) != BB_OK) {
        api_error(r->resp, 400, "the id must be a positive whole number");
        return 0;
    }
    return v;
}

/* A CSV download named name-ARG.csv, or the error. */
static void csv_answer(struct areq *r, const char *name, int rc, char *csv, size_t len,
                       const char *err)
{
    if (rc == BB_OK && csv) {
        r->resp->status = 200;
        r->resp->content_type = "text/csv; charset=utf-8";
        r->resp->body = csv;
        r->resp->body_len = len;
        bb_snprintf(r->resp->headers, sizeof(r->resp->headers),
                    "Content-Disposition: attachment; filename=\"%s-%s.csv\"\r\n", name, r->arg);
        return;
    }
    free(csv);
    admin_hook_answer(r, name, rc == BB_OK ? BB_ENOMEM : rc, NULL, err, 200);
}

void admin_surveys_schedule(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "";
    cJSON *out = NULL, *body = api_json_object(r->req, r->resp);
    if (!body)
        return;
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(body, "to");
    if (admin_segment_ok(r, cJSON_IsString(to) ? to->valuestring : NULL)) {
        int rc = survey_admin_schedule(r->a->d, r->arg, body, r->actor, &out, err);
        admin_hook_answer(r, "survey schedule", rc, out, err, 202);
    }
    cJSON_Delete(body);
}

void admin_surveys_trend(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "";
    cJSON *out = NULL;
    int rc = survey_admin_trend(r->a->d, r->arg, k_of(r), &out, err);
    admin_hook_answer(r, "survey trend", rc, out, err, 200);
}

void admin_surveys_trend_csv(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "", *csv = NULL;
    size_t len = 0;
    int rc = survey_admin_trend_csv(r->a->d, r->arg, k_of(r), &csv, &len, err);
    csv_answer(r, "survey-trend", rc, csv, len, err);
}

void admin_surveys_wave(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "";
    cJSON *out = NULL;
    int64_t id = num_arg(r);
    if (!id)
        return;
    int rc = survey_admin_wave(r->a->d, id, k_of(r), &out, err);
    admin_hook_answer(r, "survey wave", rc, out, err, 200);
}

void admin_surveys_wave_csv(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "", *csv = NULL;
    size_t len = 0;
    int64_t id = num_arg(r);
    if (!id)
        return;
    int rc = survey_admin_wave_csv(r->a->d, id, k_of(r), &csv, &len, err);
    csv_answer(r, "survey-wave", rc, csv, len, err);
}

void admin_surveys_close(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "";
    cJSON *out = NULL;
    int64_t id = num_arg(r);
    if (!id)
        return;
    int rc = survey_admin_close(r->a->d, id, r->actor, &out, err);
    admin_hook_answer(r, "survey close", rc, out, err, 200);
}

void admin_surveys_series_stop(struct areq *r)
{
    char err[ADMIN_ERR_MAX] = "";
    cJSON *out = NULL;
    int64_t id = num_arg(r);
    if (!id)
        return;
    int rc = survey_admin_series_stop(r->a->d, id, r->actor, &out, err);
    admin_hook_answer(r, "series stop", rc, out, err, 200);
}
