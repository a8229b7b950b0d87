/*
 * admin_learning.c - the dashboard's learning routes (see
 * admin_learning.h and docs/api.md "Learning"). Thin: each handler checks
 * the request and calls the learning module (learn_report.c for the
 * report under the anonymity threshold, learn_catalog.c for the upload:
 * every row checked first, nothing written on any error), then writes
 * the audit log for what changed. Called by admin.c's routes[] only.
 *
 * Threads: core thread only.
 */
#include "adapters/admin/admin_learning.h"
#include "adapters/net/apiutil.h"
#include "bot/base/bb.h"
#include "bot/core/config.h"
#include "bot/domain/learning/learn.h"
#include "bot/domain/learning/learn_report.h"
#include "bot/domain/people/people_segment.h"
#include "bot/domain/survey/survey.h"
#include "store/store_learning.h"
#include "store/store_survey.h"

#include <stdlib.h>
#include <string.h>

static void fail500(const struct admin_call *c, const char *what, int rc)
{
    bb_log(BB_LOG_ERR, "admin", "learning: %s: %s (%s)", what, bb_strerror(rc),
           store_errmsg(c->d->st));
    api_error(c->resp, 500, "internal error; see the service log");
}

/* The report for ?unit= (every unit when absent); 0 with the answer given
 * when the unit is not one people belong to. */
static int report_of(const struct admin_call *c, struct learn_report *r)
{
    char unit[PEOPLE_SEG_VALUE_MAX] = "", spec[PEOPLE_SEG_SPEC_MAX + 8];
    struct people_segment seg;
    int rc = http_query_param(c->req->query, "unit", unit, sizeof(unit));
    memset(r, 0, sizeof(*r));
    if (rc != BB_OK && rc != BB_ENOTFOUND) {
        api_error(c->resp, 400, "\"unit\" is too long");
        return 0;
    }
    if (unit[0]) {
        bb_snprintf(spec, sizeof(spec), "unit=%s", unit);
        rc = people_segment_resolve(c->d->st, spec, &seg);
        if (rc == BB_EINVAL || (rc == BB_OK && seg.kind != STORE_SEG_UNIT)) {
            api_error(c->resp, 400, rc == BB_EINVAL ? seg.msg : "not a unit");
            return 0;
        }
        if (rc != BB_OK) {
            fail500(c, "unit", rc);
            return 0;
        }
        bb_strlcpy(unit, seg.value, sizeof(unit));
    }
    rc = learn_report_build(c->d->st, survey_k(c->d->cfg), c->now, unit, r);
    if (rc != BB_OK) {
        learn_report_free(r);
        fail500(c, "report", rc);
        return 0;
    }
    return 1;
}

void admin_learning_report(const struct admin_call *c)
{
    struct learn_report r;
    cJSON *o = NULL;
    if (!report_of(c, &r))
        return;
    int rc = learn_report_json(&r, &o);
    learn_report_free(&r);
    if (rc != BB_OK) {
        fail500(c, "report", rc);
        return;
    }
    api_json(c->resp, 200, o);
    cJSON_Delete(o);
}

void admin_learning_report_csv(const struct admin_call *c)
{
    static const struct {
        const char *name;
        unsigned table;
    } tables[] = {{"needs", LEARN_T_NEEDS}, {"gaps", LEARN_T_GAPS}, {"progress", LEARN_T_PROGRESS}};
    char which[16] = "";
    unsigned t = 0;
    struct learn_report r;
    char *csv = NULL;
    size_t len = 0;
    if (http_query_param(c->req->query, "table", which, sizeof(which)) == BB_OK)
        for (size_t i = 0; i < BB_ARRAY_LEN(tables); i++)
            if (!strcmp(which, tables[i].name))
                t = tables[i].table;
    if (!t) {
        api_error(c->resp, 400, "\"table\" must be needs, gaps or progress");
        return;
    }
    if (!report_of(c, &r))
        return;
    int rc = learn_report_csv(&r, t, &csv, &len);
    learn_report_free(&r);
    if (rc != BB_OK) {
        free(csv);
        fail500(c, "report csv", rc);
        return;
    }
    c->resp->status = 200;
    c->resp->content_type = "text/csv; charset=utf-8";
    c->resp->body = csv;
    c->resp->body_len = len;
    bb_snprintf(c->resp->headers, sizeof(c->resp->headers),
                "Content-Disposition: attachment; filename=\"learning-%s.csv\"\r\n", which);
}

void admin_learning_catalog(const struct admin_call *c)
{
    struct store_learn_item *it = NULL;
    int n = 0, rc = store_learning_items(c->d->st, 1, &it, &n), ok;
    cJSON *o, *a;
    if (rc != BB_OK) {
        fail500(c, "catalog", rc);
        return;
    }
    o = cJSON_CreateObject();
    a = o ? cJSON_AddArrayToObject(o, "items") : NULL;
    ok = a != NULL;
    for (int i = 0; ok && i < n; i++) {
        cJSON *x = cJSON_CreateObject();
        char ts[32] = "";
        if (it[i].retired_at)
            bb_format_iso8601(it[i].retired_at, ts, sizeof(ts));
        ok = x && cJSON_AddItemToArray(a, x) && cJSON_AddStringToObject(x, "id", it[i].id) &&
             cJSON_AddStringToObject(x, "title", it[i].title) &&
             cJSON_AddStringToObject(x, "provider", it[i].provider) &&
             cJSON_AddStringToObject(x, "modality", it[i].modality) &&
             cJSON_AddNumberToObject(x, "jp", it[i].jp) &&
             cJSON_AddStringToObject(x, "competencies", it[i].competencies) &&
             cJSON_AddStringToObject(x, "level", it[i].level) &&
             cJSON_AddStringToObject(x, "language", it[i].lang) &&
             cJSON_AddStringToObject(x, "url", it[i].url) &&
             (it[i].retired_at ? cJSON_AddStringToObject(x, "retired_at", ts) != NULL
                               : cJSON_AddNullToObject(x, "retired_at") != NULL);
    }
    free(it);
    if (!ok) {
        cJSON_Delete(o);
        api_error(c->resp, 500, "out of memory");
        return;
    }
    api_json(c->resp, 200, o);
    cJSON_Delete(o);
}

void admin_learning_import(const struct admin_call *c)
{
    struct learn_import_report *rep;
    char detail[128];
    cJSON *o, *e;
    int rc;
    if (c->req->body_len == 0) {
        api_error(c->resp, 400, "send the CSV file as the request body");
        return;
    }
    if (!(rep = calloc(1, sizeof(*rep)))) {
        api_error(c->resp, 500, "out of memory");
        return;
    }
    rc = learn_catalog_import_mem(c->d->st, c->req->body, c->req->body_len, c->now, rep);
    if (rc != BB_OK && rc != BB_EINVAL && rc != BB_ELIMIT) {
        free(rep);
        fail500(c, "import", rc);
        return;
    }
    if (rc == BB_OK) {
        bb_snprintf(detail, sizeof(detail), "dashboard rows=%d created=%d updated=%d", rep->rows,
                    rep->created, rep->updated);
        store_audit(c->d->st, c->actor, "catalog.import", 0, detail, c->now);
    }
    o = cJSON_CreateObject();
    if (o) {
        cJSON_AddBoolToObject(o, "ok", rc == BB_OK);
        cJSON_AddNumberToObject(o, "rows", rep->rows);
        cJSON_AddNumberToObject(o, "created", rc == BB_OK ? rep->created : 0);
        cJSON_AddNumberToObject(o, "updated", rc == BB_OK ? rep->updated : 0);
        cJSON_AddNumberToObject(o, "nerrors", rep->nerrors);
        e = cJSON_AddArrayToObject(o, "errors");
        for (int i = 0; e && i < rep->nerrors && i < LEARN_CAT_MAX_ERRORS; i++)
            cJSON_AddItemToArray(e, cJSON_CreateString(rep->errors[i]));
        if (rc != BB_OK)
            cJSON_AddStringToObject(o, "error",
                                    rc == BB_ELIMIT ? "the file is too large; nothing was changed"
                                                    : "the file has errors; nothing was changed");
    }
    free(rep);
    if (!o) {
        api_error(c->resp, 500, "out of memory");
        return;
    }
    api_json(c->resp, rc == BB_OK ? 200 : rc == BB_ELIMIT ? 413 : 422, o);
    cJSON_Delete(o);
}

void admin_learning_retire(const struct admin_call *c)
{
    struct store_learn_item it;
    int rc = store_learning_item_get(c->d->st, c->arg, &it);
    cJSON *o;
    if (rc == BB_ENOTFOUND) {
        api_error(c->resp, 404, "no catalogue item with that id");
        return;
    }
    if (rc == BB_OK && it.retired_at) {
        api_error(c->resp, 409, "the item is retired already");
        return;
    }
    if (rc == BB_OK)
        rc = store_learning_item_retire(c->d->st, c->arg, c->now);
    if (rc != BB_OK) {
        fail500(c, "retire", rc);
        return;
    }
    store_audit(c->d->st, c->actor, "catalog.retire", 0, c->arg, c->now);
    o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "id", c->arg) ||
        !cJSON_AddBoolToObject(o, "retired", 1)) {
        cJSON_Delete(o);
        api_error(c->resp, 500, "out of memory");
        return;
    }
    api_json(c->resp, 200, o);
    cJSON_Delete(o);
}
