/*
 * survey_api.c - the survey module's parts of the HR dashboard: the
 * survey_admin_* hooks (survey.h; the contract in adapters/admin/
 * admin_hooks.h): the surveys, a survey's latest report as JSON and CSV,
 * sending a wave, broadcasts. Called by adapters/admin only.
 *
 * Thread rules: core thread only; no global mutable state.
 */
#include "bot/domain/survey/survey_int.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the HR dashboard's hooks (adapters/admin/admin_hooks.h) ---------------------- */

/* The module's threshold is a floor: the dashboard may ask for more. */
static int admin_k(const struct domain_ctx *d, int k)
{
    int mk = survey_k(d->cfg);
    return k < mk ? mk : k;
}

static const char *flow_text_en(const struct flow_text *t)
{
    if (t->t[1] && t->t[1][0])
        return t->t[1];
    return t->t[0] ? t->t[0] : "";
}

/* The Indonesian text, else the English one (the dashboard shows it in
 * Indonesian mode; "" only when the flow has neither). */
static const char *flow_text_id(const struct flow_text *t)
{
    if (t->t[0] && t->t[0][0])
        return t->t[0];
    return flow_text_en(t);
}

static const char *flow_title(const struct domain_ctx *d, const char *flow_id)
{
    const struct flow *f = d->lib ? flow_lib_get(d->lib, flow_id, 0) : NULL;
    const char *t = f ? flow_text_en(&f->title) : "";
    return t[0] ? t : flow_id;
}

static const char *flow_title_id(const struct domain_ctx *d, const char *flow_id)
{
    const struct flow *f = d->lib ? flow_lib_get(d->lib, flow_id, 0) : NULL;
    const char *t = f ? flow_text_id(&f->title) : "";
    return t[0] ? t : flow_id;
}

static int add_iso(cJSON *o, const char *name, int64_t t)
{
    char iso[32];
    bb_format_iso8601(t, iso, sizeof(iso));
    return cJSON_AddStringToObject(o, name, iso) ? BB_OK : BB_ENOMEM;
}

static double round1(double x)
{
    return round(x * 10.0) / 10.0;
}

static double rate(int64_t part, int64_t whole)
{
    return whole > 0 ? round(1000.0 * (double)part / (double)whole) / 1000.0 : 0.0;
}

/* Resolve the segment `to` (people_segment.h: case-insensitive, refused
 * when unknown or empty) into *seg; BB_EINVAL with the reason in err. */
static int segment_of(const struct domain_ctx *d, const char *to, struct people_segment *seg,
                      char *err)
{
    int rc = people_segment_resolve(d->st, to, seg);
    if (rc == BB_EINVAL)
        bb_strlcpy(err, seg->msg, SURVEY_ERR_MAX);
    return rc;
}

#define SURVEY_KNOWN_MAX 500 /* units named in a refusal */

static const char *const seg_codes[] = {
    [PEOPLE_SEG_SYNTAX] = "segment.syntax",
    [PEOPLE_SEG_UNIT] = "segment.unit",
    [PEOPLE_SEG_ROLE] = "segment.role",
    [PEOPLE_SEG_EMPTY] = "segment.empty",
};

/* The details of a refused segment for the dashboard, which words the
 * error in the reader's language from them: {"code", "value",
 * "suggestion", "known": [...]} (known: the units or roles there are). */
static cJSON *segment_detail(const struct domain_ctx *d, const struct people_segment *seg)
{
    struct store_unit_count *u = NULL;
    cJSON *o = cJSON_CreateObject(), *known;
    int n = 0, ok;
    if (!o)
        return NULL;
    assert(seg->err >= PEOPLE_SEG_SYNTAX && seg->err <= PEOPLE_SEG_EMPTY);
    ok = cJSON_AddStringToObject(o, "code", seg_codes[seg->err]) &&
         cJSON_AddStringToObject(o, "value",
                                 seg->err == PEOPLE_SEG_EMPTY ? seg->spec : seg->given) &&
         (!seg->suggest[0] || cJSON_AddStringToObject(o, "suggestion", seg->suggest)) &&
         (known = cJSON_AddArrayToObject(o, "known"));
    if (ok && seg->err == PEOPLE_SEG_UNIT && store_segment_units(d->st, &u, &n) == BB_OK) {
        for (int i = 0; ok && i < n && i < SURVEY_KNOWN_MAX; i++)
            ok = cJSON_AddItemToArray(known, cJSON_CreateString(u[i].unit));
    } else if (ok && seg->err == PEOPLE_SEG_ROLE) {
        for (int i = 0; ok && people_roles[i]; i++)
            ok = cJSON_AddItemToArray(known, cJSON_CreateString(people_roles[i]));
    }
    free(u);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

int survey_admin_segment(const struct domain_ctx *d, const char *segment, cJSON **detail, char *err,
                         size_t n)
{
    struct people_segment seg;
    char e[SURVEY_ERR_MAX] = "";
    int rc = segment_of(d, segment, &seg, e);
    *detail = NULL;
    bb_strlcpy(err, e, n);
    if (rc == BB_EINVAL)
        *detail = segment_detail(d, &seg);
    return rc;
}

static const char *const input_types[] = {"none",  "text",  "number", "choice",
                                          "scale", "yesno", "date"};

static const char *input_type(int t)
{
    return t >= 0 && (size_t)t < BB_ARRAY_LEN(input_types) ? input_types[t] : "none";
}

/* The asking node of a flow that saves `question`, or NULL. */
static const struct flow_node *question_node(const struct flow *f, const char *question)
{
    for (int i = 0; f && i < f->nnodes; i++)
        if (f->nodes[i].has_ask && !strcmp(f->nodes[i].save, question))
            return &f->nodes[i];
    return NULL;
}

/* One question of the whole wave: its text and answers per label (the
 * options of the flow's input where it has them, else the values). */
static int question_json(const struct flow_node *node, const struct survey_qstat *q,
                         struct survey_agg *a, cJSON *arr)
{
    char label[16];
    cJSON *o = cJSON_CreateObject(), *c, *lid;
    if (!o || !cJSON_AddItemToArray(arr, o))
        return BB_ENOMEM;
    if (!cJSON_AddStringToObject(o, "id", q->name) ||
        !cJSON_AddStringToObject(o, "text", node ? flow_text_en(&node->ask) : q->name) ||
        !cJSON_AddStringToObject(o, "text_id", node ? flow_text_id(&node->ask) : q->name) ||
        !cJSON_AddStringToObject(o, "type",
                                 node         ? input_type(node->input.type)
                                 : q->is_text ? "text"
                                              : "number") ||
        !cJSON_AddNumberToObject(o, "answers", (double)q->n) ||
        !(c = cJSON_AddObjectToObject(o, "counts")))
        return BB_ENOMEM;
    if (q->is_text) {
        /* free text: the comments themselves, sorted (never in answer order),
         * only those of units not left out; never counted per answer */
        const char **t = NULL;
        int nt = 0, rc = survey_agg_comments(a, q->name, &t, &nt);
        cJSON *list = rc == BB_OK ? cJSON_AddArrayToObject(o, "comments") : NULL;
        for (int i = 0; list && i < nt; i++)
            if (!cJSON_AddItemToArray(list, cJSON_CreateString(t[i])))
                list = NULL;
        free(t);
        return rc != BB_OK ? rc : list ? BB_OK : BB_ENOMEM;
    }
    if (node && node->input.nopts > 0) {
        /* each option's Indonesian label, keyed by the English one */
        if (!(lid = cJSON_AddObjectToObject(o, "labels_id")))
            return BB_ENOMEM;
        for (int i = 0; i < node->input.nopts; i++) {
            const struct flow_option *op = &node->input.opts[i];
            double v = op->value;
            int64_t n = v >= 0 && v <= 10 && v == floor(v) ? q->hist[(int)v] : 0;
            const char *l = flow_text_en(&op->label);
            if (!l[0]) {
                bb_snprintf(label, sizeof(label), "%g", v);
                l = label;
            }
            if (!cJSON_GetObjectItemCaseSensitive(c, l) &&
                (!cJSON_AddNumberToObject(c, l, (double)n) ||
                 !cJSON_AddStringToObject(
                     lid, l, op->label.t[0] && op->label.t[0][0] ? op->label.t[0] : l)))
                return BB_ENOMEM;
        }
        return BB_OK;
    }
    for (int v = 0; v <= 10; v++) {
        if (!q->hist[v])
            continue;
        bb_snprintf(label, sizeof(label), "%d", v);
        if (!cJSON_AddNumberToObject(c, label, (double)q->hist[v]))
            return BB_ENOMEM;
    }
    return BB_OK;
}

/* The results of the whole wave into o (the caller checked survey_agg_shown). */
static int report_json(const struct domain_ctx *d, const struct store_wave *w, struct survey_agg *a,
                       cJSON *o)
{
    const struct flow *f = d->lib ? flow_lib_get(d->lib, w->flow_id, 0) : NULL;
    const struct survey_group *g = &a->total;
    cJSON *arr;
    double e;
    int rc = BB_OK;
    if (survey_enps(g->enps_prom, g->enps_det, g->enps_n, &e) == BB_OK) {
        double pp = 100.0 * (double)g->enps_prom / (double)g->enps_n;
        double pd = 100.0 * (double)g->enps_det / (double)g->enps_n;
        cJSON *x = cJSON_AddObjectToObject(o, "enps");
        if (!x || !cJSON_AddNumberToObject(x, "score", round1(e)) ||
            !cJSON_AddNumberToObject(x, "promoters", round1(pp)) ||
            !cJSON_AddNumberToObject(x, "passives", round1(100.0 - pp - pd)) ||
            !cJSON_AddNumberToObject(x, "detractors", round1(pd)))
            return BB_ENOMEM;
    } else if (!cJSON_AddNullToObject(o, "enps")) {
        return BB_ENOMEM;
    }
    if (g->who5.n > 0) {
        cJSON *x = cJSON_AddObjectToObject(o, "who5");
        if (!x || !cJSON_AddNumberToObject(x, "index", round1(survey_who5_index(&g->who5))) ||
            !cJSON_AddNumberToObject(x, "below13_pct", round1(survey_who5_low_pct(&g->who5))) ||
            !cJSON_AddNumberToObject(x, "n", (double)g->who5.n))
            return BB_ENOMEM;
    }
    if (!(arr = cJSON_AddArrayToObject(o, "questions")))
        return BB_ENOMEM;
    /* In the flow's order first (answers come in random order), then any
     * question the current flow no longer asks. */
    for (int i = 0; f && rc == BB_OK && i < f->nnodes; i++) {
        const struct flow_node *nd = &f->nodes[i];
        for (int j = 0; nd->has_ask && nd->save[0] && j < g->nq; j++)
            if (!strcmp(g->q[j].name, nd->save) && question_node(f, nd->save) == nd) {
                rc = question_json(nd, &g->q[j], a, arr);
                break;
            }
    }
    for (int j = 0; rc == BB_OK && j < g->nq; j++)
        if (!question_node(f, g->q[j].name))
            rc = question_json(NULL, &g->q[j], a, arr);
    return rc;
}

/* The report of wave w (the n-th of its flow's waves, of count) as JSON:
 * what GET /surveys/ID (the latest wave) and GET /surveys/waves/ID show. */
static int wave_report(const struct domain_ctx *d, const struct store_wave *w, int count, int k,
                       cJSON **out)
{
    struct survey_agg a;
    struct store_unit_count *u = NULL;
    int nu = 0, rc;
    int64_t invited = 0, answered = 0;
    cJSON *o = NULL;
    *out = NULL;
    rc = survey_wave_aggregate(d, w->id, k, &a, &u, &nu, &invited, &answered);
    free(u);
    if (rc != BB_OK)
        goto out;
    rc = BB_ENOMEM;
    if (!(o = cJSON_CreateObject()) || !cJSON_AddStringToObject(o, "id", w->flow_id) ||
        !cJSON_AddStringToObject(o, "title", flow_title(d, w->flow_id)) ||
        !cJSON_AddStringToObject(o, "title_id", flow_title_id(d, w->flow_id)) ||
        !cJSON_AddNumberToObject(o, "wave", (double)w->id) ||
        !cJSON_AddNumberToObject(o, "waves", (double)count) ||
        !cJSON_AddNumberToObject(o, "series", (double)w->series_id) ||
        !cJSON_AddStringToObject(o, "segment", w->segment) ||
        add_iso(o, "start_at", w->start_at) != BB_OK ||
        add_iso(o, "close_at", w->close_at) != BB_OK ||
        !cJSON_AddBoolToObject(o, "closed", w->closed) ||
        !cJSON_AddNumberToObject(o, "invited", (double)invited))
        goto out;
    if (!survey_agg_shown(&a, k)) {
        /* no answer counts at all below k */
        if (!cJSON_AddTrueToObject(o, "hidden") || !cJSON_AddNumberToObject(o, "anonymity_k", k))
            goto out;
    } else if (!cJSON_AddNumberToObject(o, "responses", (double)a.total.responses) ||
               !cJSON_AddNumberToObject(o, "response_rate", rate(answered, invited)) ||
               !cJSON_AddNumberToObject(o, "left_out", (double)a.left_out) ||
               !cJSON_AddNumberToObject(o, "anonymity_k", k) ||
               (rc = report_json(d, w, &a, o)) != BB_OK) {
        goto out;
    }
    *out = o;
    o = NULL;
    rc = BB_OK;
out:
    cJSON_Delete(o);
    survey_agg_free(&a);
    return rc;
}

int survey_admin_report(const struct domain_ctx *d, const char *survey_id, int k, cJSON **out,
                        char *err)
{
    struct store_wave *w = NULL;
    int n = 0, rc;
    k = admin_k(d, k);
    *out = NULL;
    rc = store_wave_list(d->st, survey_id, &w, &n);
    if (rc == BB_OK && n == 0) {
        bb_snprintf(err, SURVEY_ERR_MAX, "no waves of %s yet", survey_id);
        rc = BB_ENOTFOUND;
    }
    if (rc == BB_OK) {
        /* the latest wave that has started: a scheduled one has no answers
         * yet (only when none has started, the first scheduled one) */
        int i = n - 1;
        while (i > 0 && w[i].start_at > d->now)
            i--;
        rc = wave_report(d, &w[i], n, k, out);
    }
    free(w);
    return rc;
}

int survey_admin_list(const struct domain_ctx *d, int k, cJSON **out, char *err)
{
    struct store_wave *w = NULL;
    int n = 0, rc;
    cJSON *o = NULL, *arr;
    (void)err;
    k = admin_k(d, k);
    *out = NULL;
    if ((rc = store_wave_list(d->st, NULL, &w, &n)) != BB_OK)
        return rc;
    rc = BB_ENOMEM;
    if (!(o = cJSON_CreateObject()) || !(arr = cJSON_AddArrayToObject(o, "surveys")))
        goto out;
    /* Newest first: walk back, one entry per flow at its latest started
     * wave ("sent" counts started waves only; "scheduled" the others). A
     * flow with only scheduled waves is listed at its first one. */
    for (int i = n - 1; i >= 0; i--) {
        struct store_unit_count *u = NULL;
        struct survey_agg a;
        int nu = 0, sent = 0, scheduled = 0, seen = 0, first = -1;
        int64_t invited = 0, answered = 0;
        cJSON *x;
        for (int j = 0; j < n; j++) {
            if (strcmp(w[j].flow_id, w[i].flow_id) != 0)
                continue;
            if (first < 0)
                first = j;
            if (w[j].start_at > d->now) {
                scheduled++;
                continue;
            }
            sent++;
            seen |= j > i;
        }
        if (seen || (w[i].start_at > d->now && (sent > 0 || i != first)))
            continue; /* not this flow's entry: a later started wave or another */
        rc = survey_wave_aggregate(d, w[i].id, k, &a, &u, &nu, &invited, &answered);
        free(u);
        if (rc == BB_OK) {
            int shown = survey_agg_shown(&a, k);
            rc = BB_ENOMEM;
            if ((x = cJSON_CreateObject()) && cJSON_AddItemToArray(arr, x) &&
                cJSON_AddStringToObject(x, "id", w[i].flow_id) &&
                cJSON_AddStringToObject(x, "title", flow_title(d, w[i].flow_id)) &&
                cJSON_AddStringToObject(x, "title_id", flow_title_id(d, w[i].flow_id)) &&
                cJSON_AddNumberToObject(x, "sent", sent) &&
                cJSON_AddNumberToObject(x, "scheduled", scheduled) &&
                cJSON_AddNumberToObject(x, "wave", (double)w[i].id) &&
                cJSON_AddNumberToObject(x, "invited", (double)invited) &&
                (shown ? cJSON_AddNumberToObject(x, "responses", (double)a.total.responses) != NULL
                       : cJSON_AddNullToObject(x, "responses") != NULL) &&
                (shown
                     ? cJSON_AddNumberToObject(x, "response_rate", rate(answered, invited)) != NULL
                     : cJSON_AddNullToObject(x, "response_rate") != NULL) &&
                add_iso(x, "last_sent", w[i].start_at) == BB_OK &&
                cJSON_AddBoolToObject(x, "closed", w[i].closed))
                rc = BB_OK;
        }
        survey_agg_free(&a);
        if (rc != BB_OK)
            goto out;
    }
    *out = o;
    o = NULL;
    rc = BB_OK;
out:
    cJSON_Delete(o);
    free(w);
    return rc;
}

int survey_admin_csv(const struct domain_ctx *d, const char *survey_id, int k, char **csv,
                     size_t *len, char *err)
{
    struct bb_buf buf;
    struct survey_report_opts o = {.k = admin_k(d, k), .csv = 1, .by_unit = 1, .out = &buf};
    int rc;
    *csv = NULL;
    *len = 0;
    bb_buf_init(&buf, SURVEY_REPORT_MAX);
    rc = survey_report_flow(d, survey_id, &o);
    if (rc == BB_ENOTFOUND)
        bb_snprintf(err, SURVEY_ERR_MAX, "no waves of %s yet", survey_id);
    if (rc == BB_OK) {
        *len = buf.len;
        if (!(*csv = bb_buf_take(&buf)))
            rc = BB_ENOMEM;
    }
    bb_buf_free(&buf);
    return rc;
}

int survey_admin_send(const struct domain_ctx *d, const char *survey_id, const char *segment,
                      const char *actor, cJSON **out, char *err)
{
    struct store_wave w;
    int64_t unlinked = 0;
    cJSON *o = NULL;
    int rc;
    *out = NULL;
    rc = survey_wave_send(d, survey_id, segment, d->now, d->now + SURVEY_CLOSE_AFTER,
                          d->now + SURVEY_REMIND_AFTER, SURVEY_PACE, actor, &w, &unlinked, err);
    if (rc != BB_OK)
        return rc;
    if (!(o = cJSON_CreateObject()) || !cJSON_AddStringToObject(o, "id", survey_id) ||
        !cJSON_AddNumberToObject(o, "wave", (double)w.id) ||
        !cJSON_AddNumberToObject(o, "recipients", (double)w.invited) ||
        !cJSON_AddNumberToObject(o, "unlinked", (double)unlinked) ||
        add_iso(o, "close_at", w.close_at) != BB_OK) {
        cJSON_Delete(o);
        return BB_ENOMEM; /* the wave is sent; only the answer is lost */
    }
    *out = o;
    return BB_OK;
}

int survey_admin_broadcasts(const struct domain_ctx *d, cJSON **out, char *err)
{
    struct store_broadcast *b = NULL;
    int n = 0, rc;
    cJSON *o = NULL, *arr;
    (void)err;
    *out = NULL;
    if ((rc = store_broadcast_list(d->st, SURVEY_LIST_MAX, &b, &n)) != BB_OK)
        return rc;
    rc = BB_ENOMEM;
    if (!(o = cJSON_CreateObject()) || !(arr = cJSON_AddArrayToObject(o, "broadcasts")))
        goto out;
    for (int i = 0; i < n; i++) {
        cJSON *x = cJSON_CreateObject();
        if (!x || !cJSON_AddItemToArray(arr, x) ||
            !cJSON_AddNumberToObject(x, "id", (double)b[i].id) ||
            add_iso(x, "created_at", b[i].created_at) != BB_OK ||
            add_iso(x, "due", b[i].due) != BB_OK ||
            !cJSON_AddStringToObject(x, "segment", b[i].segment) ||
            !cJSON_AddNumberToObject(x, "recipients", (double)b[i].recipients) ||
            !cJSON_AddStringToObject(x, "text_preview", b[i].preview) ||
            !cJSON_AddStringToObject(x, "actor", b[i].actor))
            goto out;
    }
    *out = o;
    o = NULL;
    rc = BB_OK;
out:
    cJSON_Delete(o);
    free(b);
    return rc;
}

int survey_admin_broadcast(const struct domain_ctx *d, const char *segment, const char *text,
                           const char *actor, cJSON **out, char *err)
{
    struct people_segment seg;
    int rc;
    int64_t id = 0, n = 0;
    cJSON *o;
    *out = NULL;
    if ((rc = segment_of(d, segment, &seg, err)) != BB_OK)
        return rc;
    if (!survey_text_ok(text)) {
        bb_snprintf(err, SURVEY_ERR_MAX,
                    "the text must be valid UTF-8, 1 to %d bytes, without direction-override "
                    "characters (U+202A-U+202E, U+2066-U+2069)",
                    SURVEY_TEXT_MAX);
        return BB_EINVAL;
    }
    rc = survey_broadcast_queue(d, seg.kind, seg.value, seg.spec, text, text, d->now, actor, &id,
                                &n);
    if (rc != BB_OK)
        return rc;
    if (!(o = cJSON_CreateObject()) || !cJSON_AddNumberToObject(o, "id", (double)id) ||
        !cJSON_AddNumberToObject(o, "recipients", (double)n)) {
        cJSON_Delete(o);
        return BB_ENOMEM;
    }
    *out = o;
    return BB_OK;
}

/* ---- waves over time: schedule, close, one wave, trends, series ---------------------- */

/* An ISO time member of body into *t; absent: dflt. 0 when it is there
 * but not a time. */
static int time_member(const cJSON *body, const char *name, int64_t dflt, int64_t *t)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, name);
    *t = dflt;
    if (!v || cJSON_IsNull(v))
        return 1;
    return cJSON_IsString(v) && bb_parse_iso8601(v->valuestring, t) == BB_OK;
}

static cJSON *series_json(const struct store_series *s)
{
    cJSON *x = cJSON_CreateObject();
    if (!x || !cJSON_AddNumberToObject(x, "id", (double)s->id) ||
        !cJSON_AddStringToObject(x, "survey", s->flow_id) ||
        !cJSON_AddStringToObject(x, "segment", s->segment) ||
        !cJSON_AddNumberToObject(x, "every_weeks", s->every_weeks) ||
        (s->stopped_at ? add_iso(x, "stopped_at", s->stopped_at) != BB_OK
                       : add_iso(x, "next_at", s->next_at) != BB_OK) ||
        !cJSON_AddNumberToObject(x, "open_days", (double)s->open_for / 86400.0) ||
        !cJSON_AddBoolToObject(x, "running", !s->stopped_at) ||
        !cJSON_AddStringToObject(x, "actor", s->actor)) {
        cJSON_Delete(x);
        return NULL;
    }
    return x;
}

int survey_admin_schedule(const struct domain_ctx *d, const char *survey_id, const cJSON *body,
                          const char *actor, cJSON **out, char *err)
{
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(body, "to");
    const cJSON *every = cJSON_GetObjectItemCaseSensitive(body, "every_weeks");
    const cJSON *remind = cJSON_GetObjectItemCaseSensitive(body, "remind_at");
    struct survey_plan p = {.flow_id = survey_id};
    struct store_wave w;
    int64_t series = 0, unlinked = 0;
    int rc;
    cJSON *o;
    *out = NULL;
    if (!cJSON_IsString(to) || !to->valuestring[0]) {
        bb_snprintf(err, SURVEY_ERR_MAX, "\"to\" must be all, unit=NAME or role=ROLE");
        return BB_EINVAL;
    }
    p.to = to->valuestring;
    if (!time_member(body, "start_at", d->now, &p.at) ||
        !time_member(body, "close_at", p.at + SURVEY_CLOSE_AFTER, &p.close_at) ||
        (!cJSON_IsFalse(remind) &&
         !time_member(body, "remind_at", p.at + SURVEY_REMIND_AFTER, &p.remind_at))) {
        bb_snprintf(err, SURVEY_ERR_MAX,
                    "start_at, close_at and remind_at must be ISO times (2026-12-01T02:00:00Z)");
        return BB_EINVAL;
    }
    if (p.at < d->now - SURVEY_PAST_SLACK) {
        bb_snprintf(err, SURVEY_ERR_MAX, "the start is in the past");
        return BB_EINVAL;
    }
    if (p.at < d->now)
        p.at = d->now;
    if (remind && cJSON_IsFalse(remind))
        p.remind_at = 0; /* "remind_at": false: no reminder */
    else if (!remind && p.remind_at >= p.close_at)
        p.remind_at = 0; /* the default reminder of a short wave */
    if (every && !cJSON_IsNull(every)) {
        if (!cJSON_IsNumber(every) || every->valuedouble != floor(every->valuedouble)) {
            bb_snprintf(err, SURVEY_ERR_MAX, "\"every_weeks\" must be a whole number of weeks");
            return BB_EINVAL;
        }
        if (every->valuedouble < 1 || every->valuedouble > SURVEY_EVERY_MAX) {
            bb_snprintf(err, SURVEY_ERR_MAX, "a series repeats every 1 to %d weeks",
                        SURVEY_EVERY_MAX);
            return BB_EINVAL;
        }
        p.every_weeks = (int)every->valuedouble;
    }
    rc = survey_schedule(d, &p, actor, &w, &series, &unlinked, err);
    if (rc != BB_OK)
        return rc;
    if (!(o = cJSON_CreateObject()) || !cJSON_AddStringToObject(o, "id", survey_id) ||
        !cJSON_AddNumberToObject(o, "wave", (double)w.id) ||
        !cJSON_AddNumberToObject(o, "recipients", (double)w.invited) ||
        !cJSON_AddNumberToObject(o, "unlinked", (double)unlinked) ||
        !cJSON_AddStringToObject(o, "segment", w.segment) ||
        add_iso(o, "start_at", w.start_at) != BB_OK ||
        (w.remind_at ? add_iso(o, "remind_at", w.remind_at) != BB_OK
                     : !cJSON_AddNullToObject(o, "remind_at")) ||
        add_iso(o, "close_at", w.close_at) != BB_OK ||
        (series ? !cJSON_AddNumberToObject(o, "series", (double)series)
                : !cJSON_AddNullToObject(o, "series"))) {
        cJSON_Delete(o);
        return BB_ENOMEM; /* scheduled; only the answer is lost */
    }
    *out = o;
    return BB_OK;
}

int survey_admin_close(const struct domain_ctx *d, int64_t wave_id, const char *actor, cJSON **out,
                       char *err)
{
    struct store_wave w;
    int rc = survey_wave_close_now(d, wave_id, actor, err);
    *out = NULL;
    if (rc == BB_OK)
        rc = store_wave_get(d->st, wave_id, &w);
    if (rc != BB_OK)
        return rc;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "wave", (double)w.id) ||
        !cJSON_AddStringToObject(o, "id", w.flow_id) || !cJSON_AddBoolToObject(o, "closed", 1) ||
        add_iso(o, "closed_at", d->now) != BB_OK) {
        cJSON_Delete(o);
        return BB_ENOMEM;
    }
    *out = o;
    return BB_OK;
}

int survey_admin_wave(const struct domain_ctx *d, int64_t wave_id, int k, cJSON **out, char *err)
{
    struct store_wave w;
    int rc = store_wave_get(d->st, wave_id, &w);
    *out = NULL;
    if (rc == BB_ENOTFOUND)
        bb_snprintf(err, SURVEY_ERR_MAX, "no wave %" PRId64, wave_id);
    if (rc != BB_OK)
        return rc;
    return wave_report(d, &w, 0, admin_k(d, k), out);
}

/* A report into a malloc'd buffer (*csv, *len) by fn. */
static int csv_of(struct survey_report_opts *o, int rc, struct bb_buf *buf, char **csv, size_t *len)
{
    if (rc == BB_OK) {
        *len = buf->len;
        if (!(*csv = bb_buf_take(buf)))
            rc = BB_ENOMEM;
    }
    (void)o;
    bb_buf_free(buf);
    return rc;
}

int survey_admin_wave_csv(const struct domain_ctx *d, int64_t wave_id, int k, char **csv,
                          size_t *len, char *err)
{
    struct bb_buf buf;
    struct survey_report_opts o = {.k = admin_k(d, k), .csv = 1, .by_unit = 1, .out = &buf};
    *csv = NULL;
    *len = 0;
    bb_buf_init(&buf, SURVEY_REPORT_MAX);
    int rc = survey_report_wave(d, wave_id, &o);
    if (rc == BB_ENOTFOUND)
        bb_snprintf(err, SURVEY_ERR_MAX, "no wave %" PRId64, wave_id);
    return csv_of(&o, rc, &buf, csv, len);
}

int survey_admin_trend_csv(const struct domain_ctx *d, const char *survey_id, int k, char **csv,
                           size_t *len, char *err)
{
    struct bb_buf buf;
    struct survey_report_opts o = {.k = admin_k(d, k), .csv = 1, .out = &buf};
    *csv = NULL;
    *len = 0;
    bb_buf_init(&buf, SURVEY_REPORT_MAX);
    int rc = survey_trend_csv(d, survey_id, &o);
    if (rc == BB_ENOTFOUND)
        bb_snprintf(err, SURVEY_ERR_MAX, "no waves of %s yet", survey_id);
    return csv_of(&o, rc, &buf, csv, len);
}

/* One question's points across the waves: {"wave", "n", "mean",
 * "counts"} per shown wave, null for a hidden one or where it was not
 * asked. */
static int trend_question(const struct flow *f, const char *name, int is_text,
                          const struct survey_trend_wave *t, int n, cJSON *arr)
{
    const struct flow_node *node = question_node(f, name);
    cJSON *o = cJSON_CreateObject(), *pts, *lid = NULL;
    char label[16];
    if (!o || !cJSON_AddItemToArray(arr, o))
        return BB_ENOMEM;
    if (!cJSON_AddStringToObject(o, "id", name) ||
        !cJSON_AddStringToObject(o, "text", node ? flow_text_en(&node->ask) : name) ||
        !cJSON_AddStringToObject(o, "text_id", node ? flow_text_id(&node->ask) : name) ||
        !cJSON_AddStringToObject(o, "type",
                                 node      ? input_type(node->input.type)
                                 : is_text ? "text"
                                           : "number") ||
        !(pts = cJSON_AddArrayToObject(o, "waves")))
        return BB_ENOMEM;
    if (node && node->input.nopts > 0 && !(lid = cJSON_AddObjectToObject(o, "labels")))
        return BB_ENOMEM;
    for (int i = 0; lid && node && i < node->input.nopts; i++) {
        const struct flow_option *op = &node->input.opts[i];
        bb_snprintf(label, sizeof(label), "%g", op->value);
        cJSON *l = cJSON_CreateObject();
        if (!l || !cJSON_AddItemToObject(lid, label, l) ||
            !cJSON_AddStringToObject(l, "en", flow_text_en(&op->label)) ||
            !cJSON_AddStringToObject(l, "id", flow_text_id(&op->label)))
            return BB_ENOMEM;
    }
    for (int i = 0; i < n; i++) {
        const struct survey_trend_q *q = NULL;
        for (int j = 0; t[i].shown && j < t[i].nq; j++)
            if (!strcmp(t[i].q[j].name, name))
                q = &t[i].q[j];
        if (!q) {
            if (!cJSON_AddItemToArray(pts, cJSON_CreateNull()))
                return BB_ENOMEM;
            continue;
        }
        cJSON *p = cJSON_CreateObject(), *c;
        if (!p || !cJSON_AddItemToArray(pts, p) ||
            !cJSON_AddNumberToObject(p, "wave", (double)t[i].w.id) ||
            !cJSON_AddNumberToObject(p, "n", (double)q->n))
            return BB_ENOMEM;
        if (q->is_text)
            continue;
        if (!cJSON_AddNumberToObject(p, "mean", round(q->mean * 100.0) / 100.0) ||
            !(c = cJSON_AddObjectToObject(p, "counts")))
            return BB_ENOMEM;
        for (int v = 0; v <= 10; v++) {
            if (!q->hist[v])
                continue;
            bb_snprintf(label, sizeof(label), "%d", v);
            if (!cJSON_AddNumberToObject(c, label, (double)q->hist[v]))
                return BB_ENOMEM;
        }
    }
    return BB_OK;
}

int survey_admin_trend(const struct domain_ctx *d, const char *survey_id, int k, cJSON **out,
                       char *err)
{
    const struct flow *f = d->lib ? flow_lib_get(d->lib, survey_id, 0) : NULL;
    struct survey_trend_wave *t = NULL;
    struct store_series *s = NULL;
    int n = 0, ns = 0, rc;
    cJSON *o = NULL, *waves, *qs, *ser;
    k = admin_k(d, k);
    *out = NULL;
    rc = survey_trend(d, survey_id, k, &t, &n);
    if (rc == BB_ENOTFOUND)
        bb_snprintf(err, SURVEY_ERR_MAX, "no waves of %s yet", survey_id);
    if (rc == BB_OK)
        rc = store_series_list(d->st, survey_id, &s, &ns);
    if (rc != BB_OK)
        goto out;
    rc = BB_ENOMEM;
    if (!(o = cJSON_CreateObject()) || !cJSON_AddStringToObject(o, "id", survey_id) ||
        !cJSON_AddStringToObject(o, "title", flow_title(d, survey_id)) ||
        !cJSON_AddStringToObject(o, "title_id", flow_title_id(d, survey_id)) ||
        !cJSON_AddNumberToObject(o, "anonymity_k", k) ||
        !(waves = cJSON_AddArrayToObject(o, "waves")) ||
        !(qs = cJSON_AddArrayToObject(o, "questions")) ||
        !(ser = cJSON_AddArrayToObject(o, "series")))
        goto out;
    for (int i = 0; i < n; i++) {
        const struct survey_trend_wave *x = &t[i];
        cJSON *wv = cJSON_CreateObject();
        if (!wv || !cJSON_AddItemToArray(waves, wv) ||
            !cJSON_AddNumberToObject(wv, "wave", (double)x->w.id) ||
            !cJSON_AddStringToObject(wv, "segment", x->w.segment) ||
            add_iso(wv, "start_at", x->w.start_at) != BB_OK ||
            (x->w.remind_at ? add_iso(wv, "remind_at", x->w.remind_at) != BB_OK
                            : !cJSON_AddNullToObject(wv, "remind_at")) ||
            add_iso(wv, "close_at", x->w.close_at) != BB_OK ||
            !cJSON_AddBoolToObject(wv, "started", x->w.start_at <= d->now) ||
            !cJSON_AddBoolToObject(wv, "closed", x->w.closed) ||
            !cJSON_AddNumberToObject(wv, "series", (double)x->w.series_id) ||
            !cJSON_AddNumberToObject(wv, "invited", (double)x->invited) ||
            !cJSON_AddBoolToObject(wv, "hidden", !x->shown))
            goto out;
        if (x->shown &&
            (!cJSON_AddNumberToObject(wv, "responses", (double)x->responses) ||
             !cJSON_AddNumberToObject(wv, "response_rate", rate(x->answered, x->invited)) ||
             !cJSON_AddNumberToObject(wv, "left_out", (double)x->left_out) ||
             (x->has_enps ? !cJSON_AddNumberToObject(wv, "enps", round1(x->enps))
                          : !cJSON_AddNullToObject(wv, "enps")) ||
             (x->has_who5 ? !cJSON_AddNumberToObject(wv, "who5", round1(x->who5))
                          : !cJSON_AddNullToObject(wv, "who5"))))
            goto out;
    }
    /* the questions in the flow's order, then any the flow no longer asks */
    rc = BB_OK;
    for (int i = 0; f && rc == BB_OK && i < f->nnodes; i++) {
        const struct flow_node *nd = &f->nodes[i];
        if (nd->has_ask && nd->save[0] && question_node(f, nd->save) == nd)
            rc = trend_question(f, nd->save, nd->input.type == FLOW_IN_TEXT, t, n, qs);
    }
    for (int i = 0; rc == BB_OK && i < n; i++)
        for (int j = 0; rc == BB_OK && j < t[i].nq; j++) {
            int seen = question_node(f, t[i].q[j].name) != NULL;
            for (int i2 = 0; !seen && i2 < i; i2++)
                for (int j2 = 0; !seen && j2 < t[i2].nq; j2++)
                    seen = !strcmp(t[i2].q[j2].name, t[i].q[j].name);
            if (!seen)
                rc = trend_question(f, t[i].q[j].name, t[i].q[j].is_text, t, n, qs);
        }
    for (int i = 0; rc == BB_OK && i < ns; i++) {
        cJSON *x = series_json(&s[i]);
        if (!x || !cJSON_AddItemToArray(ser, x)) {
            cJSON_Delete(x);
            rc = BB_ENOMEM;
        }
    }
    if (rc != BB_OK)
        goto out;
    *out = o;
    o = NULL;
out:
    cJSON_Delete(o);
    free(t);
    free(s);
    return rc;
}

int survey_admin_series_stop(const struct domain_ctx *d, int64_t id, const char *actor, cJSON **out,
                             char *err)
{
    struct store_series s;
    int rc = survey_series_stop(d, id, actor, err);
    *out = NULL;
    if (rc == BB_OK)
        rc = store_series_get(d->st, id, &s);
    if (rc != BB_OK)
        return rc;
    return (*out = series_json(&s)) ? BB_OK : BB_ENOMEM;
}

/* ---- broadcasts: compose, preview, a broadcast's page, cancel ---------------- */

static int texts_ok(const char *text_id, const char *text_en, char *err)
{
    if (survey_text_ok(text_id) && survey_text_ok(text_en))
        return 1;
    bb_snprintf(err, SURVEY_ERR_MAX,
                "both texts (Indonesian and English) must be valid UTF-8, 1 to %d bytes, without "
                "direction-override characters (U+202A-U+202E, U+2066-U+2069)",
                SURVEY_TEXT_MAX);
    return 0;
}

static cJSON *texts_json(const char *text_id, const char *text_en)
{
    cJSON *t = cJSON_CreateObject();
    if (t && (!cJSON_AddStringToObject(t, "id", text_id) ||
              !cJSON_AddStringToObject(t, "en", text_en))) {
        cJSON_Delete(t);
        return NULL;
    }
    return t;
}

int survey_admin_compose(const struct domain_ctx *d, const char *segment, const char *text_id,
                         const char *text_en, int64_t at, const char *actor, cJSON **out, char *err)
{
    struct people_segment seg;
    int64_t id = 0, n = 0, due = at > d->now ? at : d->now;
    int rc;
    cJSON *o;
    *out = NULL;
    if ((rc = segment_of(d, segment, &seg, err)) != BB_OK)
        return rc;
    if (!texts_ok(text_id, text_en, err))
        return BB_EINVAL;
    if (at && at < d->now - 60) {
        bb_snprintf(err, SURVEY_ERR_MAX, "the time to send is in the past");
        return BB_EINVAL;
    }
    rc = survey_broadcast_queue(d, seg.kind, seg.value, seg.spec, text_id, text_en, due, actor, &id,
                                &n);
    if (rc != BB_OK)
        return rc;
    if (!(o = cJSON_CreateObject()) || !cJSON_AddNumberToObject(o, "id", (double)id) ||
        !cJSON_AddNumberToObject(o, "recipients", (double)n) || add_iso(o, "due", due) != BB_OK) {
        cJSON_Delete(o);
        return BB_ENOMEM; /* queued; only the answer is lost */
    }
    *out = o;
    return BB_OK;
}

int survey_admin_preview(const struct domain_ctx *d, const char *segment, const char *text_id,
                         const char *text_en, cJSON **out, char *err)
{
    struct people_segment seg;
    int64_t n_id = 0, n_en = 0;
    int rc;
    cJSON *o, *by;
    *out = NULL;
    if ((rc = segment_of(d, segment, &seg, err)) != BB_OK)
        return rc;
    if (!texts_ok(text_id, text_en, err))
        return BB_EINVAL;
    if ((rc = store_segment_langs(d->st, seg.kind, seg.value, &n_id, &n_en)) != BB_OK)
        return rc;
    o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "segment", seg.spec) ||
        !cJSON_AddNumberToObject(o, "total", (double)seg.total) ||
        !cJSON_AddNumberToObject(o, "recipients", (double)seg.reachable) ||
        !cJSON_AddNumberToObject(o, "unlinked", (double)(seg.total - seg.reachable)) ||
        !(by = cJSON_AddObjectToObject(o, "by_lang")) ||
        !cJSON_AddNumberToObject(by, "id", (double)n_id) ||
        !cJSON_AddNumberToObject(by, "en", (double)n_en) ||
        !cJSON_AddItemToObject(o, "texts", texts_json(text_id, text_en))) {
        cJSON_Delete(o);
        return BB_ENOMEM;
    }
    *out = o;
    return BB_OK;
}

int survey_admin_bc_detail(const struct domain_ctx *d, int64_t id, cJSON **out, char *err)
{
    struct store_broadcast b;
    int64_t c[7];
    char *t_id = NULL, *t_en = NULL;
    char who[128];
    const char *state;
    int rc;
    cJSON *o = NULL, *cnt;
    (void)err;
    *out = NULL;
    if ((rc = store_broadcast_get(d->st, id, &b)) != BB_OK ||
        (rc = store_batch_status(d->st, id, c)) != BB_OK)
        return rc;
    t_id = malloc(SURVEY_TEXT_MAX + 1);
    t_en = malloc(SURVEY_TEXT_MAX + 1);
    rc = BB_ENOMEM;
    if (!t_id || !t_en)
        goto out;
    if ((rc = store_broadcast_texts(d->st, id, t_id, t_en, SURVEY_TEXT_MAX + 1)) != BB_OK)
        goto out;
    /* "sending" (handed to the network) counts as queued: not sent yet */
    if (b.cancelled_at)
        state = "cancelled";
    else if (c[0] + c[1] == 0)
        state = "done";
    else if (b.due > d->now)
        state = "scheduled";
    else
        state = "sending";
    store_actor_name(d->st, b.actor, who, sizeof(who));
    rc = BB_ENOMEM;
    o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "id", (double)b.id) ||
        !cJSON_AddStringToObject(o, "segment", b.segment) ||
        !cJSON_AddItemToObject(o, "texts", texts_json(t_id, t_en)) ||
        add_iso(o, "created_at", b.created_at) != BB_OK || add_iso(o, "due", b.due) != BB_OK ||
        !cJSON_AddStringToObject(o, "actor", b.actor) ||
        !cJSON_AddStringToObject(o, "actor_name", who) ||
        !cJSON_AddNumberToObject(o, "recipients", (double)b.recipients) ||
        !cJSON_AddStringToObject(o, "state", state) ||
        !cJSON_AddNumberToObject(o, "dropped", (double)b.dropped) ||
        !(cnt = cJSON_AddObjectToObject(o, "counts")) ||
        !cJSON_AddNumberToObject(cnt, "queued", (double)(c[0] + c[1])) ||
        !cJSON_AddNumberToObject(cnt, "sent", (double)(c[2] + c[3] + c[4])) ||
        !cJSON_AddNumberToObject(cnt, "delivered", (double)(c[3] + c[4])) ||
        !cJSON_AddNumberToObject(cnt, "read", (double)c[4]) ||
        !cJSON_AddNumberToObject(cnt, "failed", (double)c[5]) ||
        !cJSON_AddNumberToObject(cnt, "blocked", (double)c[6]))
        goto out;
    if (b.cancelled_at ? add_iso(o, "cancelled_at", b.cancelled_at) != BB_OK
                       : !cJSON_AddNullToObject(o, "cancelled_at"))
        goto out;
    *out = o;
    o = NULL;
    rc = BB_OK;
out:
    cJSON_Delete(o);
    free(t_id);
    free(t_en);
    return rc;
}

int survey_admin_bc_cancel(const struct domain_ctx *d, int64_t id, const char *actor, cJSON **out,
                           char *err)
{
    int rc = survey_broadcast_cancel(d, id, actor, NULL);
    *out = NULL;
    if (rc == BB_EEXIST)
        bb_snprintf(err, SURVEY_ERR_MAX,
                    "this broadcast was cancelled already, or every message of it has been sent");
    if (rc != BB_OK)
        return rc;
    return survey_admin_bc_detail(d, id, out, err);
}
