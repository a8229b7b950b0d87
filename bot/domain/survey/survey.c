/*
 * survey.c - pulse surveys (waves, anonymous answers, reports) and
 * broadcasts: a domain module (see survey.h and bot/core/domain.h).
 *
 *   survey send FLOW --to SEG   a wave: invitations + paced "flow" timers
 *   (the person answers)        the flow calls survey_answer: answers are
 *                               stored anonymously (store_survey.c)
 *   tick                        one reminder to non-responders, closing at
 *                               close-at (open sessions ended politely),
 *                               scrubbing of answered conversations
 *   survey report FLOW          response rate, distributions, eNPS, WHO-5,
 *                               k-anonymity with complementary suppression
 *   broadcast --to SEG ...      one BULK outbox row per person, one INSERT
 *   survey_admin_*              the HR dashboard's hooks: the same report
 *                               (latest wave as JSON, CSV), sending and
 *                               broadcasting code as the CLI
 *
 * Thread rules: core thread / CLI only. No global mutable state: every
 * function works on what the domain context hands it.
 */
#include "bot/domain/survey/survey.h"
#include "bot/base/bb.h"
#include "store/store_survey.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SURVEY_MAXQ         32          /* questions per survey in a report */
#define SURVEY_MAX_COMMENTS 2000        /* free-text answers listed per wave */
#define SURVEY_PACE         10          /* flow starts per second in a wave */
#define SURVEY_LIST_MAX     200         /* broadcasts listed on the dashboard */
#define SURVEY_CLOSE_AFTER  (7 * 86400) /* a wave's default length */
#define SURVEY_REMIND_AFTER (2 * 86400) /* its default reminder */
#define SURVEY_ERR_MAX      256         /* a message for the person asking */
#define SURVEY_TEXT_MAX     4096        /* a broadcast text, in bytes */
#define SURVEY_REPORT_MAX   (16 << 20)  /* a report, text or CSV, in bytes */

/* ---- texts ---------------------------------------------------------------- */

static const char *const text_remind_inflow[2] = {
    "Pengingat: survei dari bagian SDM masih menunggu jawabanmu (lihat pertanyaan di atas). "
    "Jawabanmu anonim.",
    "Reminder: the HR survey is still waiting for your answer (see the question above). "
    "Your answers are anonymous.",
};
static const char *const text_remind_restart[2] = {
    "Pengingat: survei singkat dari bagian SDM belum kamu jawab. Jawabanmu anonim. Kita mulai "
    "lagi, ya.",
    "Reminder: you have not answered the short HR survey yet. Your answers are anonymous. Let's "
    "start again.",
};
static const char *const text_closed[2] = {
    "Survei ini sudah ditutup. Terima kasih atas waktumu; jawaban yang belum selesai tidak "
    "disimpan.",
    "This survey has now closed. Thank you for your time; unfinished answers were not kept.",
};
static const char *const text_not_allowed[2] = {
    "Maaf, hanya bagian SDM atau admin yang boleh mengirim siaran.",
    "Sorry, only HR or an admin may send broadcasts.",
};

/* ---- small helpers ---------------------------------------------------------- */

int survey_k(const struct config *cfg)
{
    int k = cfg ? cfg->anonymity_k : 5;
    return k < 3 ? 3 : k;
}

static int role_valid(const char *r)
{
    return !strcmp(r, "employee") || !strcmp(r, "mentor") || !strcmp(r, "hr") ||
           !strcmp(r, "admin");
}

static int is_staff(const char *role)
{
    return !strcmp(role, "hr") || !strcmp(role, "admin");
}

int survey_segment_parse(const char *s, int *kind, char *value, size_t n)
{
    if (!s || !kind || !value || n == 0)
        return BB_EINVAL;
    value[0] = '\0';
    if (!strcmp(s, "all")) {
        *kind = STORE_SEG_ALL;
        return BB_OK;
    }
    if (!strncmp(s, "unit=", 5) && s[5]) {
        *kind = STORE_SEG_UNIT;
        return bb_strlcpy(value, s + 5, n) == BB_OK ? BB_OK : BB_EINVAL;
    }
    if (!strncmp(s, "role=", 5) && role_valid(s + 5)) {
        *kind = STORE_SEG_ROLE;
        return bb_strlcpy(value, s + 5, n);
    }
    return BB_EINVAL;
}

int survey_enps(int64_t promoters, int64_t detractors, int64_t n, double *out)
{
    if (n <= 0 || promoters < 0 || detractors < 0 || promoters + detractors > n)
        return BB_EINVAL;
    *out = 100.0 * (double)(promoters - detractors) / (double)n;
    return BB_OK;
}

void survey_who5_add(struct survey_who5 *w, const int items[5])
{
    int raw = 0;
    for (int i = 0; i < 5; i++)
        raw += items[i];
    w->n++;
    w->raw_sum += raw;
    if (raw < 13)
        w->below13++;
}

double survey_who5_index(const struct survey_who5 *w)
{
    return w->n ? 4.0 * (double)w->raw_sum / (double)w->n : 0.0;
}

double survey_who5_low_pct(const struct survey_who5 *w)
{
    return w->n ? 100.0 * (double)w->below13 / (double)w->n : 0.0;
}

void survey_suppress(const int64_t *n, int count, int k, int *hidden)
{
    int64_t total = 0;
    for (int i = 0; i < count; i++) {
        total += n[i];
        hidden[i] = n[i] < k;
    }
    if (total < k) {
        for (int i = 0; i < count; i++)
            hidden[i] = 1;
        return;
    }
    for (;;) {
        int nh = 0, best = -1;
        int64_t sum = 0;
        for (int i = 0; i < count; i++)
            if (hidden[i]) {
                nh++;
                sum += n[i];
            }
        /* Nothing hidden, or the hidden groups together are a group of at
         * least k spread over two or more groups: total minus the shown
         * groups gives nothing smaller than k. */
        if (nh == 0 || (nh >= 2 && sum >= k))
            return;
        for (int i = 0; i < count; i++)
            if (!hidden[i] && (best < 0 || n[i] < n[best]))
                best = i;
        if (best < 0)
            return; /* everything is hidden already */
        hidden[best] = 1;
    }
}

static int parse_when(const char *s, int64_t now, int64_t *out)
{
    int64_t d;
    if (!strcmp(s, "now")) {
        *out = now;
        return BB_OK;
    }
    if (s[0] == '+' && bb_parse_duration(s + 1, &d) == BB_OK) {
        *out = now + d;
        return BB_OK;
    }
    return bb_parse_iso8601(s, out);
}

static void fmt_day(int64_t t, char *out, size_t n)
{
    char iso[32];
    bb_format_iso8601(t, iso, sizeof(iso));
    bb_snprintf(out, n, "%.10s", iso);
}

/* A channel-neutral outbox body {"text": t}; malloc'd (cJSON_free). */
static char *text_body(const char *t)
{
    cJSON *b = cJSON_CreateObject();
    char *s = NULL;
    if (b && cJSON_AddStringToObject(b, "text", t))
        s = cJSON_PrintUnformatted(b);
    cJSON_Delete(b);
    return s;
}

/* Check a broadcast text: valid UTF-8, not empty, not too long. */
static int text_ok(const char *t)
{
    size_t len = t ? strlen(t) : 0;
    return len > 0 && len <= SURVEY_TEXT_MAX && bb_utf8_valid(t, len);
}

/* Queue a broadcast: one outbox row per reachable person of the segment. */
static int broadcast_queue(const struct domain_ctx *d, int kind, const char *value,
                           const char *segment, const char *t_id, const char *t_en, int64_t due,
                           const char *actor, int64_t *id, int64_t *n)
{
    char *b_id = text_body(t_id), *b_en = text_body(t_en);
    char detail[256];
    int rc = BB_ENOMEM;
    if (b_id && b_en)
        rc = store_broadcast_add(d->st, kind, value, segment, t_id, t_en, b_id, b_en, due, d->now,
                                 actor, id, n);
    cJSON_free(b_id);
    cJSON_free(b_en);
    if (rc != BB_OK)
        return rc;
    bb_snprintf(detail, sizeof(detail), "broadcast %" PRId64 " to %s: %" PRId64 " recipient(s)",
                *id, segment, *n);
    return store_audit(d->st, actor, "broadcast.send", 0, detail, d->now);
}

/* ---- actions ---------------------------------------------------------------- */

static int act_survey_answer(const struct domain_ctx *d, const struct store_person *p,
                             const cJSON *args)
{
    const cJSON *flow = cJSON_GetObjectItemCaseSensitive(args, "flow");
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(args, "fields");
    struct store_answer a[SURVEY_MAXQ];
    char unit[128];
    int64_t wave = 0;
    int na = 0, rc;
    if (!cJSON_IsString(flow) || !cJSON_IsObject(fields))
        return BB_OK; /* nothing usable; the flow is checked at load */
    rc = store_survey_open_invitation(d->st, p->id, flow->valuestring, survey_k(d->cfg), &wave,
                                      unit, sizeof(unit));
    if (rc == BB_ENOTFOUND) {
        bb_log(BB_LOG_INFO, "survey", "answers to %s without an open invitation: not stored",
               flow->valuestring);
        return BB_OK;
    }
    if (rc != BB_OK)
        return rc;
    for (const cJSON *f = fields->child; f && na < SURVEY_MAXQ; f = f->next) {
        size_t len = f->string ? strlen(f->string) : 0;
        if (!len || len >= sizeof(a[0].question) ||
            (len > 6 && !strcmp(f->string + len - 6, "_label")))
            continue;
        memset(&a[na], 0, sizeof(a[na]));
        bb_strlcpy(a[na].question, f->string, sizeof(a[na].question));
        if (cJSON_IsNumber(f)) {
            a[na].has_num = 1;
            a[na].num = f->valuedouble;
        } else if (cJSON_IsBool(f)) {
            a[na].has_num = 1;
            a[na].num = cJSON_IsTrue(f) ? 1 : 0;
        } else if (cJSON_IsString(f) && f->valuestring[0] && strcmp(f->valuestring, "-") != 0) {
            a[na].txt = f->valuestring;
        } else {
            continue; /* skipped or unanswered */
        }
        na++;
    }
    rc = store_survey_answer(d->st, wave, p->id, unit, a, na, d->now);
    if (rc == BB_EEXIST)
        rc = BB_OK; /* answered twice (a replay): the first answer counts */
    return rc;
}

/* The segment a chat broadcast goes to, from the hr.broadcast flow's
 * fields: seg (all, unit, role), seg_unit, seg_role. */
static int chat_segment(const cJSON *fields, int *kind, char *value, size_t vn, char *label,
                        size_t ln)
{
    const cJSON *seg = cJSON_GetObjectItemCaseSensitive(fields, "seg");
    const cJSON *unit = cJSON_GetObjectItemCaseSensitive(fields, "seg_unit");
    const cJSON *role = cJSON_GetObjectItemCaseSensitive(fields, "seg_role");
    char spec[200];
    if (!cJSON_IsString(seg))
        return BB_EINVAL;
    if (!strcmp(seg->valuestring, "all"))
        bb_snprintf(spec, sizeof(spec), "all");
    else if (!strcmp(seg->valuestring, "unit") && cJSON_IsString(unit))
        bb_snprintf(spec, sizeof(spec), "unit=%s", unit->valuestring);
    else if (!strcmp(seg->valuestring, "role") && cJSON_IsString(role))
        bb_snprintf(spec, sizeof(spec), "role=%s", role->valuestring);
    else
        return BB_EINVAL;
    bb_strlcpy(label, spec, ln);
    return survey_segment_parse(spec, kind, value, vn);
}

static int act_broadcast(const struct domain_ctx *d, const struct store_person *p,
                         const cJSON *args, int send)
{
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(args, "fields");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(fields, "message");
    char value[128], label[200], id_text[400], en_text[400];
    int kind, rc;
    int64_t total = 0, reach = 0, id = 0, n = 0;
    if (!is_staff(p->role)) {
        store_audit(d->st, p->nip, "broadcast.refused", p->id, "not hr or admin", d->now);
        rc = core_send_text(d->core, p->id, text_not_allowed, STORE_PRIO_LIVE, 0);
        return rc == BB_ENOTFOUND ? BB_OK : rc;
    }
    if (!cJSON_IsObject(fields) ||
        chat_segment(fields, &kind, value, sizeof(value), label, sizeof(label)) != BB_OK ||
        !cJSON_IsString(msg) || !text_ok(msg->valuestring)) {
        bb_log(BB_LOG_WARN, "survey", "broadcast from chat: bad segment or text");
        return BB_OK;
    }
    if (!send) {
        if ((rc = store_segment_count(d->st, kind, value, &total, &reach)) != BB_OK)
            return rc;
        bb_snprintf(id_text, sizeof(id_text),
                    "Pesan ini akan dikirim ke %" PRId64 " orang (%s; %" PRId64
                    " orang di segmen ini belum terhubung dengan bot).",
                    reach, label, total - reach);
        bb_snprintf(en_text, sizeof(en_text),
                    "Recipients: %" PRId64 " (%s; %" PRId64
                    " more in this segment have not linked a chat yet).",
                    reach, label, total - reach);
    } else {
        rc = broadcast_queue(d, kind, value, label, msg->valuestring, msg->valuestring, d->now,
                             p->nip, &id, &n);
        if (rc != BB_OK)
            return rc;
        bb_snprintf(id_text, sizeof(id_text),
                    "Siaran #%" PRId64 " masuk antrean untuk %" PRId64
                    " orang. Status: bimbing broadcast status %" PRId64,
                    id, n, id);
        bb_snprintf(en_text, sizeof(en_text),
                    "Broadcast #%" PRId64 " is queued. Recipients: %" PRId64
                    ". Status: bimbing broadcast status %" PRId64,
                    id, n, id);
    }
    const char *t[2] = {id_text, en_text};
    rc = core_send_text(d->core, p->id, t, STORE_PRIO_LIVE, 0);
    return rc == BB_ENOTFOUND ? BB_OK : rc;
}

static int act_broadcast_preview(const struct domain_ctx *d, const struct store_person *p,
                                 const cJSON *args)
{
    return act_broadcast(d, p, args, 0);
}

static int act_broadcast_send(const struct domain_ctx *d, const struct store_person *p,
                              const cJSON *args)
{
    return act_broadcast(d, p, args, 1);
}

static const struct domain_action survey_actions[] = {
    {DOMAIN_ACTION_FIELDS("survey_answer"), act_survey_answer},
    {DOMAIN_ACTION_FIELDS("broadcast_preview"), act_broadcast_preview},
    {DOMAIN_ACTION_FIELDS("broadcast_send"), act_broadcast_send},
    DOMAIN_ACTIONS_END,
};

/* person.surveys: " flow.a flow.b " - the surveys waiting for this person,
 * so a survey flow can check `contains(person.surveys, ' survey.enps ')`. */
static int survey_person_fields(const struct domain_ctx *d, const struct store_person *p,
                                cJSON *out)
{
    char open[512];
    int rc = store_survey_person_open(d->st, p->id, open, sizeof(open));
    if (rc != BB_OK)
        return rc;
    return cJSON_AddStringToObject(out, "surveys", open) ? BB_OK : BB_ENOMEM;
}

/* ---- tick: reminders, closing, scrubbing --------------------------------------- */

/* End a store_begin() of this file: commit on success, else roll back. */
static int tx_end(struct store *st, int rc)
{
    if (rc == BB_OK)
        return store_commit(st);
    store_rollback(st);
    return rc;
}

static int send_note(const struct domain_ctx *d, int64_t person_id, const char *const t[2],
                     int64_t wave_id)
{
    int rc = core_send_text(d->core, person_id, t, STORE_PRIO_BULK, -wave_id);
    return rc == BB_ENOTFOUND ? BB_OK : rc;
}

static int remind_wave(const struct domain_ctx *d, int64_t wave_id, int *did)
{
    struct store_wave w;
    struct store_invitee *v = NULL;
    int n = 0, rc;
    if ((rc = store_begin(d->st)) != BB_OK)
        return rc;
    rc = store_wave_get(d->st, wave_id, &w);
    if (rc == BB_OK)
        rc = store_wave_unanswered(d->st, wave_id, &v, &n);
    for (int i = 0; rc == BB_OK && i < n; i++) {
        if (v[i].in_flow) {
            rc = send_note(d, v[i].person_id, text_remind_inflow, wave_id);
        } else if (!v[i].has_timer) {
            /* They stopped or let it expire: ask once more from the start. */
            rc = send_note(d, v[i].person_id, text_remind_restart, wave_id);
            if (rc == BB_OK)
                rc = core_start_flow(d->core, v[i].person_id, w.flow_id, d->now);
        } else {
            continue; /* not started yet (deferred): the start is the reminder */
        }
        if (rc == BB_OK)
            (*did)++;
    }
    free(v);
    if (rc == BB_OK)
        rc = store_wave_set_reminded(d->st, wave_id);
    return tx_end(d->st, rc);
}

/* Close a wave: people still inside the survey get a closing note and their
 * session (with its unfinished answers) is deleted, with its timers; then
 * the store turns participation into counts. One transaction. */
static int close_wave(const struct domain_ctx *d, int64_t wave_id, int *did)
{
    static const char *const engine_timers[] = {"remind", "expire", "wake"};
    struct store_invitee *v = NULL;
    char detail[96];
    int n = 0, rc;
    if ((rc = store_begin(d->st)) != BB_OK)
        return rc;
    rc = store_wave_unanswered(d->st, wave_id, &v, &n);
    for (int i = 0; rc == BB_OK && i < n; i++) {
        if (!v[i].in_flow)
            continue;
        rc = store_session_delete(d->st, v[i].person_id);
        for (size_t t = 0; rc == BB_OK && t < BB_ARRAY_LEN(engine_timers); t++)
            rc = store_timer_cancel(d->st, v[i].person_id, engine_timers[t]);
        if (rc == BB_OK)
            rc = send_note(d, v[i].person_id, text_closed, wave_id);
        if (rc == BB_OK)
            (*did)++;
    }
    free(v);
    if (rc == BB_OK)
        rc = store_wave_finish(d->st, wave_id, d->now);
    if (rc == BB_OK) {
        bb_snprintf(detail, sizeof(detail), "wave %" PRId64, wave_id);
        rc = store_audit(d->st, "system", "survey.close", 0, detail, d->now);
    }
    if (rc == BB_OK)
        (*did)++;
    return tx_end(d->st, rc);
}

static int survey_tick(const struct domain_ctx *d, int *did)
{
    int64_t *ids = NULL;
    int n = 0, work = 0, scrubbed = 0;
    int rc = store_wave_due_remind(d->st, d->now, &ids, &n);
    for (int i = 0; rc == BB_OK && i < n; i++)
        rc = remind_wave(d, ids[i], &work);
    free(ids);
    ids = NULL;
    if (rc == BB_OK)
        rc = store_wave_due_close(d->st, d->now, &ids, &n);
    for (int i = 0; rc == BB_OK && i < n; i++)
        rc = close_wave(d, ids[i], &work);
    free(ids);
    if (rc == BB_OK)
        rc = store_survey_scrub(d->st, d->now, &scrubbed);
    if (did)
        *did = work + scrubbed;
    return rc;
}

/* ---- reports ----------------------------------------------------------------- */

struct qstat {
    char name[48];
    int is_text;
    int64_t n;
    double sum;
    int64_t hist[11]; /* whole values 0..10 */
};

struct group {
    char unit[128];
    int64_t responses;
    struct qstat q[SURVEY_MAXQ];
    int nq;
    int64_t enps_n, enps_prom, enps_det;
    struct survey_who5 who5;
};

struct agg {
    struct group total;
    struct group *g;
    int ng, cap;
    char **comments; /* "question: text", total only */
    int ncomments;
    /* the response being read */
    char cur[40];
    char cur_unit[128];
    int who5[5], who5_have;
    int err;
};

static struct group *group_of(struct agg *a, const char *unit)
{
    for (int i = 0; i < a->ng; i++)
        if (!strcmp(a->g[i].unit, unit))
            return &a->g[i];
    if (a->ng == a->cap) {
        int nc = a->cap ? a->cap * 2 : 8;
        struct group *ng = realloc(a->g, (size_t)nc * sizeof(*ng));
        if (!ng)
            return NULL;
        a->g = ng;
        a->cap = nc;
    }
    memset(&a->g[a->ng], 0, sizeof(a->g[0]));
    bb_strlcpy(a->g[a->ng].unit, unit, sizeof(a->g[0].unit));
    return &a->g[a->ng++];
}

static struct qstat *q_of(struct group *g, const char *name, int is_text)
{
    for (int i = 0; i < g->nq; i++)
        if (!strcmp(g->q[i].name, name))
            return &g->q[i];
    if (g->nq == SURVEY_MAXQ)
        return NULL;
    struct qstat *q = &g->q[g->nq++];
    memset(q, 0, sizeof(*q));
    bb_strlcpy(q->name, name, sizeof(q->name));
    q->is_text = is_text;
    return q;
}

static void add_num(struct group *g, const char *question, double v)
{
    struct qstat *q = q_of(g, question, 0);
    if (!q)
        return;
    q->n++;
    q->sum += v;
    if (v >= 0 && v <= 10 && v == floor(v))
        q->hist[(int)v]++;
    if (!strcmp(question, "enps")) {
        g->enps_n++;
        if (v >= 9)
            g->enps_prom++;
        else if (v <= 6)
            g->enps_det++;
    }
}

/* End of one response: count it in its unit and the total. */
static void end_response(struct agg *a)
{
    if (!a->cur[0])
        return;
    struct group *u = group_of(a, a->cur_unit);
    if (!u) {
        a->err = BB_ENOMEM;
        return;
    }
    a->total.responses++;
    u->responses++;
    if (a->who5_have == 0x1f) {
        survey_who5_add(&a->total.who5, a->who5);
        survey_who5_add(&u->who5, a->who5);
    }
    a->cur[0] = '\0';
    a->who5_have = 0;
}

static int on_row(void *ctx, const struct store_answer_row *r)
{
    struct agg *a = ctx;
    if (strcmp(a->cur, r->response) != 0) {
        end_response(a);
        bb_strlcpy(a->cur, r->response, sizeof(a->cur));
        bb_strlcpy(a->cur_unit, r->unit, sizeof(a->cur_unit));
    }
    if (r->has_num) {
        struct group *u = group_of(a, r->unit);
        if (!u)
            return BB_ENOMEM;
        add_num(&a->total, r->question, r->num);
        add_num(u, r->question, r->num);
        if (!strncmp(r->question, "who5_", 5) && r->question[5] >= '1' && r->question[5] <= '5' &&
            !r->question[6]) {
            int i = r->question[5] - '1';
            a->who5[i] = (int)r->num;
            a->who5_have |= 1 << i;
        }
    } else if (r->txt) {
        struct qstat *q = q_of(&a->total, r->question, 1);
        if (q)
            q->n++;
        if (a->ncomments < SURVEY_MAX_COMMENTS) {
            size_t len = strlen(r->question) + strlen(r->txt) + 3;
            char **nc = realloc(a->comments, (size_t)(a->ncomments + 1) * sizeof(*nc));
            if (!nc)
                return BB_ENOMEM;
            a->comments = nc;
            if (!(nc[a->ncomments] = malloc(len)))
                return BB_ENOMEM;
            bb_snprintf(nc[a->ncomments], len, "%s: %s", r->question, r->txt);
            a->ncomments++;
        }
    }
    return a->err;
}

static void agg_free(struct agg *a)
{
    for (int i = 0; i < a->ncomments; i++)
        free(a->comments[i]);
    free(a->comments);
    free(a->g);
    memset(a, 0, sizeof(*a));
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* How a report is written: into out (capped), text or CSV. The first
 * write error is kept in err. */
struct report_opts {
    int by_unit, csv, k;
    struct bb_buf *out;
    int err;
};

static void out_printf(struct report_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void out_printf(struct report_opts *o, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    int r;
    if (o->err)
        return;
    va_start(ap, fmt);
    r = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (r < 0) {
        o->err = BB_EINVAL;
        return;
    }
    if ((size_t)r < sizeof(small)) {
        o->err = bb_buf_append(o->out, small, (size_t)r);
        return;
    }
    char *big = malloc((size_t)r + 1);
    if (!big) {
        o->err = BB_ENOMEM;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)r + 1, fmt, ap);
    va_end(ap);
    o->err = bb_buf_append(o->out, big, (size_t)r);
    free(big);
}

static const char *unit_name(const char *u)
{
    return u[0] ? u : "(other units)";
}

/* CSV: a field in double quotes, quotes doubled. */
static void csv_field(struct report_opts *o, const char *s)
{
    const char *q;
    out_printf(o, "\"");
    while ((q = strchr(s, '"')) != NULL) {
        out_printf(o, "%.*s\"\"", (int)(q - s), s);
        s = q + 1;
    }
    out_printf(o, "%s\"", s);
}

static void csv_row(struct report_opts *o, int64_t wave, const char *group, const char *metric,
                    const char *value)
{
    out_printf(o, "%" PRId64 ",", wave);
    csv_field(o, group);
    out_printf(o, ",");
    csv_field(o, metric);
    out_printf(o, ",");
    csv_field(o, value);
    out_printf(o, "\n");
}

static void print_group(int64_t wave, const struct group *g, const char *label,
                        struct report_opts *o)
{
    char metric[96], val[64];
    if (o->csv) {
        bb_snprintf(val, sizeof(val), "%" PRId64, g->responses);
        csv_row(o, wave, label, "responses", val);
    } else {
        out_printf(o, "  %s: %" PRId64 " response(s)\n", label, g->responses);
    }
    for (int i = 0; i < g->nq; i++) {
        const struct qstat *q = &g->q[i];
        if (q->is_text || q->n == 0)
            continue;
        if (o->csv) {
            bb_snprintf(metric, sizeof(metric), "%s.mean", q->name);
            bb_snprintf(val, sizeof(val), "%.2f", q->sum / (double)q->n);
            csv_row(o, wave, label, metric, val);
            for (int v = 0; v <= 10; v++) {
                if (!q->hist[v])
                    continue;
                bb_snprintf(metric, sizeof(metric), "%s.%d", q->name, v);
                bb_snprintf(val, sizeof(val), "%" PRId64, q->hist[v]);
                csv_row(o, wave, label, metric, val);
            }
            continue;
        }
        out_printf(o, "    %-12s n %" PRId64 ", mean %.2f;", q->name, q->n, q->sum / (double)q->n);
        for (int v = 0; v <= 10; v++)
            if (q->hist[v])
                out_printf(o, " %d:%" PRId64, v, q->hist[v]);
        out_printf(o, "\n");
    }
    double e;
    if (survey_enps(g->enps_prom, g->enps_det, g->enps_n, &e) == BB_OK) {
        double pp = 100.0 * (double)g->enps_prom / (double)g->enps_n;
        double pd = 100.0 * (double)g->enps_det / (double)g->enps_n;
        if (o->csv) {
            bb_snprintf(val, sizeof(val), "%.1f", e);
            csv_row(o, wave, label, "enps", val);
            bb_snprintf(val, sizeof(val), "%.1f", pp);
            csv_row(o, wave, label, "enps.promoters_pct", val);
            bb_snprintf(val, sizeof(val), "%.1f", pd);
            csv_row(o, wave, label, "enps.detractors_pct", val);
        } else {
            out_printf(o, "    eNPS %+.0f (promoters %.1f%%, passives %.1f%%, detractors %.1f%%)\n",
                       e, pp, 100.0 - pp - pd, pd);
        }
    }
    if (g->who5.n > 0) {
        if (o->csv) {
            bb_snprintf(val, sizeof(val), "%.1f", survey_who5_index(&g->who5));
            csv_row(o, wave, label, "who5.index", val);
            bb_snprintf(val, sizeof(val), "%.1f", survey_who5_low_pct(&g->who5));
            csv_row(o, wave, label, "who5.below13_pct", val);
        } else {
            out_printf(
                o,
                "    WHO-5 index %.1f of 100 (mean raw score x 4); raw score below 13: %.1f%% "
                "(n %" PRId64 ")\n",
                survey_who5_index(&g->who5), survey_who5_low_pct(&g->who5), g->who5.n);
        }
    }
}

static void print_hidden(int64_t wave, const char *label, const char *why, struct report_opts *o)
{
    if (o->csv)
        csv_row(o, wave, label, "suppressed", why);
    else
        out_printf(o, "  %s: hidden (%s)\n", label, why);
}

/* Read one wave: participation per unit (*u, *nu; free()) with its sums,
 * and the answers aggregated into *a (agg_free() it, also on error). */
static int wave_aggregate(const struct domain_ctx *d, int64_t wave_id, struct agg *a,
                          struct store_unit_count **u, int *nu, int64_t *invited, int64_t *answered)
{
    int rc;
    memset(a, 0, sizeof(*a));
    *invited = *answered = 0;
    rc = store_wave_units(d->st, wave_id, u, nu);
    if (rc != BB_OK)
        return rc;
    for (int i = 0; i < *nu; i++) {
        *invited += (*u)[i].invited;
        *answered += (*u)[i].answered;
    }
    rc = store_wave_answers(d->st, wave_id, on_row, a);
    if (rc == BB_OK) {
        end_response(a);
        rc = a->err;
    }
    return rc;
}

/* The k rule of a whole wave: its results show only from k responses. */
static int agg_shown(const struct agg *a, int k)
{
    return a->total.responses >= k;
}

/* Trend line data of one wave. */
struct trend {
    int64_t wave, start, invited, answered;
    int shown;
    double enps, who5;
    int has_enps, has_who5;
};

static int report_wave(const struct domain_ctx *d, const struct store_wave *w,
                       struct report_opts *o, struct trend *t)
{
    struct agg a;
    struct store_unit_count *u = NULL;
    int nu = 0, rc;
    int64_t invited = 0, answered = 0;
    char day0[16], day1[16], val[64];

    memset(t, 0, sizeof(*t));
    rc = wave_aggregate(d, w->id, &a, &u, &nu, &invited, &answered);
    if (rc != BB_OK)
        goto out;
    fmt_day(w->start_at, day0, sizeof(day0));
    fmt_day(w->close_at, day1, sizeof(day1));
    t->wave = w->id;
    t->start = w->start_at;
    t->invited = invited;
    t->answered = answered;
    if (o->csv) {
        bb_snprintf(val, sizeof(val), "%" PRId64, invited);
        csv_row(o, w->id, "all", "invited", val);
        bb_snprintf(val, sizeof(val), "%" PRId64, answered);
        csv_row(o, w->id, "all", "answered", val);
        bb_snprintf(val, sizeof(val), "%.1f",
                    invited ? 100.0 * (double)answered / (double)invited : 0.0);
        csv_row(o, w->id, "all", "response_rate_pct", val);
    } else {
        out_printf(o, "Wave %" PRId64 " of %s to %s, %s to %s%s\n", w->id, w->flow_id, w->segment,
                   day0, day1, w->closed ? " (closed)" : " (open)");
        out_printf(o, "  invited %" PRId64 ", answered %" PRId64 ", response rate %.1f%%\n",
                   invited, answered, invited ? 100.0 * (double)answered / (double)invited : 0.0);
    }
    if (!agg_shown(&a, o->k)) {
        print_hidden(w->id, "all", "fewer answers than the anonymity threshold", o);
        goto out;
    }
    t->shown = 1;
    t->has_enps =
        survey_enps(a.total.enps_prom, a.total.enps_det, a.total.enps_n, &t->enps) == BB_OK;
    t->has_who5 = a.total.who5.n > 0;
    t->who5 = survey_who5_index(&a.total.who5);
    print_group(w->id, &a.total, "all", o);
    /* Free text: only for the whole wave, sorted (never in answer order). */
    if (a.ncomments > 0) {
        qsort(a.comments, (size_t)a.ncomments, sizeof(char *), cmp_str);
        for (int i = 0; i < a.ncomments; i++) {
            if (o->csv)
                csv_row(o, w->id, "all", "comment", a.comments[i]);
            else
                out_printf(o, "%s    - %s\n", i == 0 ? "  comments (sorted):\n" : "",
                           a.comments[i]);
        }
    }
    if (o->by_unit && a.ng > 0) {
        int64_t *n = calloc((size_t)a.ng, sizeof(*n));
        int *hidden = calloc((size_t)a.ng, sizeof(*hidden));
        if (!n || !hidden) {
            free(n);
            free(hidden);
            rc = BB_ENOMEM;
            goto out;
        }
        for (int i = 0; i < a.ng; i++)
            n[i] = a.g[i].responses;
        survey_suppress(n, a.ng, o->k, hidden);
        if (!o->csv)
            out_printf(
                o,
                "  by unit (groups under %d answers are hidden, and so is any group that would "
                "reveal one):\n",
                o->k);
        for (int i = 0; i < a.ng; i++) {
            if (hidden[i])
                print_hidden(w->id, unit_name(a.g[i].unit),
                             n[i] < o->k ? "fewer answers than the anonymity threshold"
                                         : "would reveal a smaller group",
                             o);
            else
                print_group(w->id, &a.g[i], unit_name(a.g[i].unit), o);
        }
        free(n);
        free(hidden);
        /* Participation by unit: counts of people, not answers; units with
         * fewer than k invited are folded into one line. */
        int64_t oi = 0, oa = 0;
        for (int i = 0; i < nu; i++) {
            if (u[i].invited < o->k) {
                oi += u[i].invited;
                oa += u[i].answered;
                continue;
            }
            if (o->csv) {
                bb_snprintf(val, sizeof(val), "%" PRId64 "/%" PRId64, u[i].answered, u[i].invited);
                csv_row(o, w->id, u[i].unit, "answered/invited", val);
            } else {
                out_printf(o, "  participation %s: %" PRId64 " of %" PRId64 "\n", u[i].unit,
                           u[i].answered, u[i].invited);
            }
        }
        if (oi > 0) {
            if (o->csv) {
                bb_snprintf(val, sizeof(val), "%" PRId64 "/%" PRId64, oa, oi);
                csv_row(o, w->id, "(small units)", "answered/invited", val);
            } else {
                out_printf(o,
                           "  participation (units under %d invited, together): %" PRId64
                           " of %" PRId64 "\n",
                           o->k, oa, oi);
            }
        }
    }
out:
    free(u);
    agg_free(&a);
    return rc == BB_OK ? o->err : rc;
}

/* The report of every wave of flow_id into o->out (text with a trend table,
 * or CSV with its header): what `survey report` prints and the dashboard's
 * CSV download. BB_ENOTFOUND when the flow has no waves. */
static int report_flow(const struct domain_ctx *d, const char *flow_id, struct report_opts *o)
{
    struct store_wave *w = NULL;
    struct trend *t = NULL;
    int n = 0, rc;
    rc = store_wave_list(d->st, flow_id, &w, &n);
    if (rc == BB_OK && n == 0)
        rc = BB_ENOTFOUND;
    if (rc == BB_OK && !(t = calloc((size_t)n, sizeof(*t))))
        rc = BB_ENOMEM;
    if (rc != BB_OK)
        goto out;
    if (o->csv)
        out_printf(o, "wave,group,metric,value\n");
    for (int i = 0; i < n && rc == BB_OK; i++) {
        rc = report_wave(d, &w[i], o, &t[i]);
        if (!o->csv)
            out_printf(o, "\n");
    }
    if (rc == BB_OK && !o->csv && n > 1) {
        out_printf(o, "Trend across waves (anonymity threshold %d):\n", o->k);
        out_printf(o, "  %-6s %-10s %9s %8s %8s %8s\n", "wave", "start", "answered", "rate", "eNPS",
                   "WHO-5");
        for (int i = 0; i < n; i++) {
            char day[16], e[16], h[16];
            fmt_day(t[i].start, day, sizeof(day));
            bb_strlcpy(e, "-", sizeof(e));
            bb_strlcpy(h, "-", sizeof(h));
            if (!t[i].shown) {
                bb_strlcpy(e, "hidden", sizeof(e));
                bb_strlcpy(h, "hidden", sizeof(h));
            } else {
                if (t[i].has_enps)
                    bb_snprintf(e, sizeof(e), "%+.0f", t[i].enps);
                if (t[i].has_who5)
                    bb_snprintf(h, sizeof(h), "%.1f", t[i].who5);
            }
            out_printf(o, "  %-6" PRId64 " %-10s %9" PRId64 " %7.1f%% %8s %8s\n", t[i].wave, day,
                       t[i].answered,
                       t[i].invited ? 100.0 * (double)t[i].answered / (double)t[i].invited : 0.0, e,
                       h);
        }
    }
    if (rc == BB_OK)
        rc = o->err;
out:
    free(t);
    free(w);
    return rc;
}

/* ---- sending a wave (CLI and dashboard) ----------------------------------------- */

static int is_survey_flow(const struct flow *f)
{
    if (strcmp(f->kind, "survey") != 0)
        return 0;
    for (int i = 0; i < f->ntriggers; i++)
        if (f->triggers[i].type == FLOW_TRIG_HR)
            return 1;
    return 0;
}

/* Send a wave of the survey flow flow_id to the segment `to`: invitations
 * and paced start timers (store_wave_add), then the audit line with actor.
 * remind_at 0: no reminder. *w gets the wave; *unlinked the people of the
 * segment without a chat. BB_ENOTFOUND (no such flow) and BB_EINVAL (not a
 * survey flow, a bad segment or times) come with a message in err. */
static int wave_send(const struct domain_ctx *d, const char *flow_id, const char *to, int64_t at,
                     int64_t close_at, int64_t remind_at, int pace, const char *actor,
                     struct store_wave *w, int64_t *unlinked, char err[SURVEY_ERR_MAX])
{
    const struct flow *f = d->lib ? flow_lib_get(d->lib, flow_id, 0) : NULL;
    char value[128], detail[256];
    int64_t total = 0, reach = 0;
    int kind, rc;
    err[0] = '\0';
    if (!f) {
        bb_snprintf(err, SURVEY_ERR_MAX, "no flow %s in the flows directory", flow_id);
        return BB_ENOTFOUND;
    }
    if (!is_survey_flow(f)) {
        bb_snprintf(err, SURVEY_ERR_MAX,
                    "%s is not a survey flow (kind \"survey\" with an hr trigger)", flow_id);
        return BB_EINVAL;
    }
    if (survey_segment_parse(to, &kind, value, sizeof(value)) != BB_OK) {
        bb_snprintf(err, SURVEY_ERR_MAX,
                    "bad segment %s (all, unit=NAME, role=employee|mentor|hr|admin)", to);
        return BB_EINVAL;
    }
    if (close_at <= at || pace < 1) {
        bb_snprintf(err, SURVEY_ERR_MAX, "the wave must close after it starts");
        return BB_EINVAL;
    }
    if ((rc = store_segment_count(d->st, kind, value, &total, &reach)) != BB_OK)
        return rc;
    memset(w, 0, sizeof(*w));
    bb_strlcpy(w->flow_id, flow_id, sizeof(w->flow_id));
    bb_strlcpy(w->segment, to, sizeof(w->segment));
    bb_strlcpy(w->actor, actor, sizeof(w->actor));
    w->start_at = at;
    w->close_at = close_at;
    w->remind_at = remind_at;
    w->created_at = d->now;
    if ((rc = store_wave_add(d->st, w, kind, value, pace)) != BB_OK)
        return rc;
    *unlinked = total - reach;
    bb_snprintf(detail, sizeof(detail), "wave %" PRId64 " of %s to %s: %" PRId64 " invited", w->id,
                flow_id, to, w->invited);
    return store_audit(d->st, actor, "survey.send", 0, detail, d->now);
}

/* ---- CLI ---------------------------------------------------------------------- */

/* --as NIP: the person must be HR or admin; the actor is their NIP. */
static int cli_actor(const struct domain_ctx *d, const char *as, char *actor, size_t n)
{
    struct store_person p;
    if (!as) {
        bb_strlcpy(actor, "cli", n);
        return BB_OK;
    }
    if (store_person_by_nip(d->st, as, &p) != BB_OK) {
        fprintf(stderr, "bimbing: no person with NIP %s\n", as);
        return BB_ENOTFOUND;
    }
    if (!is_staff(p.role)) {
        fprintf(stderr, "bimbing: only HR or admin may do this (%s is %s)\n", as, p.role);
        store_audit(d->st, p.nip, "survey.refused", p.id, "not hr or admin", d->now);
        return BB_EPERM;
    }
    bb_strlcpy(actor, p.nip, n);
    return BB_OK;
}

static int usage_err(const char *msg, const char *arg)
{
    fprintf(stderr, "bimbing: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    return 2;
}

static int cmd_survey_send(const struct domain_ctx *d, int argc, char **argv)
{
    const char *flow_id = NULL, *to = NULL, *as = NULL;
    int64_t at = d->now, close_at = 0, close_after = SURVEY_CLOSE_AFTER,
            remind_after = SURVEY_REMIND_AFTER;
    int no_remind = 0, kind, rc;
    long long pace = SURVEY_PACE;
    char value[128], actor[64], err[SURVEY_ERR_MAX], d0[32], d1[32], d2[32];
    int64_t unlinked = 0;
    struct store_wave w;

    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--to") && v) {
            to = v;
            i++;
        } else if (!strcmp(a, "--at") && v) {
            if (parse_when(v, d->now, &at) != BB_OK)
                return usage_err("bad time for --at", v);
            i++;
        } else if (!strcmp(a, "--close-at") && v) {
            if (parse_when(v, d->now, &close_at) != BB_OK)
                return usage_err("bad time for --close-at", v);
            i++;
        } else if (!strcmp(a, "--close-after") && v) {
            if (bb_parse_duration(v, &close_after) != BB_OK || close_after <= 0)
                return usage_err("bad duration for --close-after", v);
            i++;
        } else if (!strcmp(a, "--remind-after") && v) {
            if (bb_parse_duration(v, &remind_after) != BB_OK || remind_after <= 0)
                return usage_err("bad duration for --remind-after", v);
            i++;
        } else if (!strcmp(a, "--no-remind")) {
            no_remind = 1;
        } else if (!strcmp(a, "--pace") && v) {
            if (bb_parse_ll(v, 1, 1000, &pace) != BB_OK)
                return usage_err("--pace must be 1 to 1000 starts per second", v);
            i++;
        } else if (!strcmp(a, "--as") && v) {
            as = v;
            i++;
        } else if (a[0] != '-' && !flow_id) {
            flow_id = a;
        } else {
            return usage_err("survey send: unknown argument", a);
        }
    }
    if (!flow_id || !to)
        return usage_err("usage: survey send FLOW --to SEGMENT [--at TIME] [--close-at TIME | "
                         "--close-after DUR] [--remind-after DUR | --no-remind]",
                         NULL);
    if (survey_segment_parse(to, &kind, value, sizeof(value)) != BB_OK)
        return usage_err("bad segment (all, unit=NAME, role=employee|mentor|hr|admin)", to);
    if (!close_at)
        close_at = at + close_after;
    if (close_at <= at)
        return usage_err("the wave must close after it starts", NULL);
    if (cli_actor(d, as, actor, sizeof(actor)) != BB_OK)
        return 1;
    rc = wave_send(d, flow_id, to, at, close_at,
                   no_remind || at + remind_after >= close_at ? 0 : at + remind_after, (int)pace,
                   actor, &w, &unlinked, err);
    if (rc == BB_ENOTFOUND || rc == BB_EINVAL) {
        fprintf(stderr, "bimbing: %s\n", err);
        return 1;
    }
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: survey send failed: %s\n", store_errmsg(d->st));
        return 1;
    }
    bb_format_iso8601(w.start_at, d0, sizeof(d0));
    bb_format_iso8601(w.close_at, d1, sizeof(d1));
    if (w.remind_at)
        bb_format_iso8601(w.remind_at, d2, sizeof(d2));
    else
        bb_strlcpy(d2, "none", sizeof(d2));
    printf("wave %" PRId64 ": %" PRId64 " invited (%" PRId64
           " in the segment have no chat linked); starts %s, reminder %s, closes %s\n",
           w.id, w.invited, unlinked, d0, d2, d1);
    return 0;
}

static int cmd_survey_report(const struct domain_ctx *d, int argc, char **argv)
{
    const char *flow_id = NULL, *as = NULL;
    struct bb_buf buf;
    struct report_opts o = {.k = survey_k(d->cfg), .out = &buf};
    char actor[64], detail[160];
    int rc;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--by") && i + 1 < argc && !strcmp(argv[i + 1], "unit")) {
            o.by_unit = 1;
            i++;
        } else if (!strcmp(argv[i], "--csv")) {
            o.csv = 1;
        } else if (!strcmp(argv[i], "--as") && i + 1 < argc) {
            as = argv[++i];
        } else if (argv[i][0] != '-' && !flow_id) {
            flow_id = argv[i];
        } else {
            return usage_err("survey report: unknown argument (usage: survey report FLOW "
                             "[--by unit] [--csv])",
                             argv[i]);
        }
    }
    if (!flow_id)
        return usage_err("usage: survey report FLOW [--by unit] [--csv]", NULL);
    if (cli_actor(d, as, actor, sizeof(actor)) != BB_OK)
        return 1;
    bb_buf_init(&buf, SURVEY_REPORT_MAX);
    rc = report_flow(d, flow_id, &o);
    if (rc == BB_ENOTFOUND) {
        fprintf(stderr, "bimbing: no waves of %s yet\n", flow_id);
        bb_buf_free(&buf);
        return 1;
    }
    bb_snprintf(detail, sizeof(detail), "report of %s%s", flow_id, o.by_unit ? " by unit" : "");
    if (rc == BB_OK)
        rc = store_audit(d->st, actor, "survey.report", 0, detail, d->now);
    if (rc != BB_OK) {
        fprintf(stderr, "bimbing: survey report: %s\n",
                rc == BB_ELIMIT ? "the report is too large" : store_errmsg(d->st));
        bb_buf_free(&buf);
        return 1;
    }
    if (buf.len)
        fwrite(buf.data, 1, buf.len, stdout);
    bb_buf_free(&buf);
    return 0;
}

static int cmd_survey_list(const struct domain_ctx *d)
{
    struct store_wave *w = NULL;
    int n = 0;
    if (store_wave_list(d->st, NULL, &w, &n) != BB_OK) {
        fprintf(stderr, "bimbing: %s\n", store_errmsg(d->st));
        return 1;
    }
    for (int i = 0; i < n; i++) {
        char a[32], b[32];
        bb_format_iso8601(w[i].start_at, a, sizeof(a));
        bb_format_iso8601(w[i].close_at, b, sizeof(b));
        printf("%" PRId64 "\t%s\t%s\t%" PRId64 " invited\t%s\t%s\t%s\n", w[i].id, w[i].flow_id,
               w[i].segment, w[i].invited, a, b, w[i].closed ? "closed" : "open");
    }
    free(w);
    return 0;
}

static int cmd_survey_close(const struct domain_ctx *d, int argc, char **argv)
{
    long long id;
    const char *as = NULL;
    char actor[64], detail[64];
    struct store_wave w;
    int did = 0;
    if (argc < 3 || bb_parse_ll(argv[2], 1, INT64_MAX, &id) != BB_OK)
        return usage_err("usage: survey close WAVE", NULL);
    if (argc == 5 && !strcmp(argv[3], "--as"))
        as = argv[4];
    else if (argc != 3)
        return usage_err("usage: survey close WAVE [--as NIP]", NULL);
    if (cli_actor(d, as, actor, sizeof(actor)) != BB_OK)
        return 1;
    if (store_wave_get(d->st, id, &w) != BB_OK || w.closed) {
        fprintf(stderr, "bimbing: no open wave %lld\n", id);
        return 1;
    }
    bb_snprintf(detail, sizeof(detail), "wave %lld closed early", id);
    if (close_wave(d, id, &did) != BB_OK ||
        store_audit(d->st, actor, "survey.close", 0, detail, d->now) != BB_OK) {
        fprintf(stderr, "bimbing: survey close: %s\n", store_errmsg(d->st));
        return 1;
    }
    printf("wave %lld closed\n", id);
    return 0;
}

static int cmd_survey(const struct domain_ctx *d, int argc, char **argv)
{
    if (argc < 2)
        return usage_err("survey: say send, report, list or close", NULL);
    if (!strcmp(argv[1], "send"))
        return cmd_survey_send(d, argc, argv);
    if (!strcmp(argv[1], "report"))
        return cmd_survey_report(d, argc, argv);
    if (!strcmp(argv[1], "list"))
        return cmd_survey_list(d);
    if (!strcmp(argv[1], "close"))
        return cmd_survey_close(d, argc, argv);
    return usage_err("survey: unknown subcommand", argv[1]);
}

static int cmd_broadcast_status(const struct domain_ctx *d, int argc, char **argv)
{
    long long id;
    const char *as = NULL;
    char actor[64], detail[64];
    struct store_broadcast b;
    int64_t c[7];
    if (argc < 3 || bb_parse_ll(argv[2], 1, INT64_MAX, &id) != BB_OK)
        return usage_err("usage: broadcast status ID", NULL);
    if (argc == 5 && !strcmp(argv[3], "--as"))
        as = argv[4];
    else if (argc != 3)
        return usage_err("usage: broadcast status ID [--as NIP]", NULL);
    if (cli_actor(d, as, actor, sizeof(actor)) != BB_OK)
        return 1;
    if (store_broadcast_get(d->st, id, &b) != BB_OK) {
        fprintf(stderr, "bimbing: no broadcast %lld\n", id);
        return 1;
    }
    bb_snprintf(detail, sizeof(detail), "status of broadcast %lld", id);
    if (store_batch_status(d->st, id, c) != BB_OK ||
        store_audit(d->st, actor, "broadcast.status", 0, detail, d->now) != BB_OK) {
        fprintf(stderr, "bimbing: broadcast status: %s\n", store_errmsg(d->st));
        return 1;
    }
    printf("broadcast %lld to %s: %" PRId64 " recipient(s)\n", id, b.segment, b.recipients);
    /* "sending" (handed to the network) is shown as queued: not sent yet. */
    printf("queued %" PRId64 "\nsent %" PRId64 "\ndelivered %" PRId64 "\nread %" PRId64
           "\nfailed %" PRId64 "\nblocked %" PRId64 "\n",
           c[0] + c[1], c[2], c[3], c[4], c[5], c[6]);
    return 0;
}

static int cmd_broadcast(const struct domain_ctx *d, int argc, char **argv)
{
    const char *to = NULL, *text = NULL, *t_id = NULL, *t_en = NULL, *as = NULL;
    int64_t at = d->now, id = 0, n = 0;
    char value[128], actor[64];
    int kind;
    if (argc >= 2 && !strcmp(argv[1], "status"))
        return cmd_broadcast_status(d, argc, argv);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return usage_err("broadcast: missing value or unknown argument", a);
        if (!strcmp(a, "--to"))
            to = v;
        else if (!strcmp(a, "--text"))
            text = v;
        else if (!strcmp(a, "--text-id"))
            t_id = v;
        else if (!strcmp(a, "--text-en"))
            t_en = v;
        else if (!strcmp(a, "--as"))
            as = v;
        else if (!strcmp(a, "--at")) {
            if (parse_when(v, d->now, &at) != BB_OK)
                return usage_err("bad time for --at", v);
        } else
            return usage_err("broadcast: unknown argument", a);
        i++;
    }
    if (text && !t_id)
        t_id = text;
    if (text && !t_en)
        t_en = text;
    if (!to || !t_id || !t_en)
        return usage_err("usage: broadcast --to SEGMENT (--text TEXT | --text-id TEXT --text-en "
                         "TEXT) [--at TIME]",
                         NULL);
    if (survey_segment_parse(to, &kind, value, sizeof(value)) != BB_OK)
        return usage_err("bad segment (all, unit=NAME, role=employee|mentor|hr|admin)", to);
    if (!text_ok(t_id) || !text_ok(t_en))
        return usage_err("the text must be valid UTF-8, 1 to 4096 bytes", NULL);
    if (cli_actor(d, as, actor, sizeof(actor)) != BB_OK)
        return 1;
    if (broadcast_queue(d, kind, value, to, t_id, t_en, at, actor, &id, &n) != BB_OK) {
        fprintf(stderr, "bimbing: broadcast failed: %s\n", store_errmsg(d->st));
        return 1;
    }
    printf("broadcast %" PRId64 ": %" PRId64 " message(s) queued\n", id, n);
    return 0;
}

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

static const char *flow_title(const struct domain_ctx *d, const char *flow_id)
{
    const struct flow *f = d->lib ? flow_lib_get(d->lib, flow_id, 0) : NULL;
    const char *t = f ? flow_text_en(&f->title) : "";
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

/* An empty segment is almost always a typing mistake on the dashboard. */
static int segment_nonempty(const struct domain_ctx *d, const char *to, char *err)
{
    char value[128];
    int kind, rc;
    int64_t total = 0;
    if (survey_segment_parse(to, &kind, value, sizeof(value)) != BB_OK) {
        bb_snprintf(err, SURVEY_ERR_MAX,
                    "bad segment %s (all, unit=NAME, role=employee|mentor|hr|admin)", to);
        return BB_EINVAL;
    }
    if ((rc = store_segment_count(d->st, kind, value, &total, NULL)) != BB_OK)
        return rc;
    if (total == 0) {
        bb_snprintf(err, SURVEY_ERR_MAX, "nobody is in the segment %s", to);
        return BB_EINVAL;
    }
    return BB_OK;
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
static int question_json(const struct flow_node *node, const struct qstat *q, cJSON *arr)
{
    char label[16];
    cJSON *o = cJSON_CreateObject(), *c;
    if (!o || !cJSON_AddItemToArray(arr, o))
        return BB_ENOMEM;
    if (!cJSON_AddStringToObject(o, "id", q->name) ||
        !cJSON_AddStringToObject(o, "text", node ? flow_text_en(&node->ask) : q->name) ||
        !cJSON_AddStringToObject(o, "type",
                                 node         ? input_type(node->input.type)
                                 : q->is_text ? "text"
                                              : "number") ||
        !cJSON_AddNumberToObject(o, "answers", (double)q->n) ||
        !(c = cJSON_AddObjectToObject(o, "counts")))
        return BB_ENOMEM;
    if (q->is_text)
        return BB_OK; /* free text: in the CSV, never counted per answer */
    if (node && node->input.nopts > 0) {
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
                !cJSON_AddNumberToObject(c, l, (double)n))
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

/* The results of the whole wave into o (the caller checked agg_shown). */
static int report_json(const struct domain_ctx *d, const struct store_wave *w, const struct agg *a,
                       cJSON *o)
{
    const struct flow *f = d->lib ? flow_lib_get(d->lib, w->flow_id, 0) : NULL;
    const struct group *g = &a->total;
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
                rc = question_json(nd, &g->q[j], arr);
                break;
            }
    }
    for (int j = 0; rc == BB_OK && j < g->nq; j++)
        if (!question_node(f, g->q[j].name))
            rc = question_json(NULL, &g->q[j], arr);
    return rc;
}

/* The latest wave of a flow and its aggregate; *w malloc'd (free()). */
static int latest_wave(const struct domain_ctx *d, const char *flow_id, struct store_wave **w,
                       int *n, struct agg *a, int64_t *invited, char *err)
{
    struct store_unit_count *u = NULL;
    int nu = 0, rc;
    int64_t answered = 0;
    memset(a, 0, sizeof(*a));
    rc = store_wave_list(d->st, flow_id, w, n);
    if (rc == BB_OK && *n == 0) {
        bb_snprintf(err, SURVEY_ERR_MAX, "no waves of %s yet", flow_id);
        rc = BB_ENOTFOUND;
    }
    if (rc == BB_OK)
        rc = wave_aggregate(d, (*w)[*n - 1].id, a, &u, &nu, invited, &answered);
    free(u);
    return rc;
}

int survey_admin_report(const struct domain_ctx *d, const char *survey_id, int k, cJSON **out,
                        char *err)
{
    struct store_wave *w = NULL;
    struct agg a;
    int n = 0, rc;
    int64_t invited = 0;
    cJSON *o = NULL;
    k = admin_k(d, k);
    *out = NULL;
    rc = latest_wave(d, survey_id, &w, &n, &a, &invited, err);
    if (rc != BB_OK)
        goto out;
    const struct store_wave *lw = &w[n - 1];
    rc = BB_ENOMEM;
    if (!(o = cJSON_CreateObject()) || !cJSON_AddStringToObject(o, "id", survey_id) ||
        !cJSON_AddStringToObject(o, "title", flow_title(d, survey_id)) ||
        !cJSON_AddNumberToObject(o, "wave", (double)lw->id) ||
        !cJSON_AddNumberToObject(o, "waves", (double)n) ||
        !cJSON_AddStringToObject(o, "segment", lw->segment) ||
        add_iso(o, "start_at", lw->start_at) != BB_OK ||
        add_iso(o, "close_at", lw->close_at) != BB_OK ||
        !cJSON_AddBoolToObject(o, "closed", lw->closed) ||
        !cJSON_AddNumberToObject(o, "invited", (double)invited))
        goto out;
    if (!agg_shown(&a, k)) {
        /* no answer counts at all below k */
        if (!cJSON_AddTrueToObject(o, "hidden") || !cJSON_AddNumberToObject(o, "anonymity_k", k))
            goto out;
    } else if (!cJSON_AddNumberToObject(o, "responses", (double)a.total.responses) ||
               !cJSON_AddNumberToObject(o, "response_rate", rate(a.total.responses, invited)) ||
               (rc = report_json(d, lw, &a, o)) != BB_OK) {
        goto out;
    }
    *out = o;
    o = NULL;
    rc = BB_OK;
out:
    cJSON_Delete(o);
    agg_free(&a);
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
    /* Newest first: walk back, one entry per flow at its latest wave. */
    for (int i = n - 1; i >= 0; i--) {
        struct store_unit_count *u = NULL;
        struct agg a;
        int nu = 0, sent = 0, seen = 0;
        int64_t invited = 0, answered = 0;
        cJSON *x;
        for (int j = 0; j < n; j++) {
            if (strcmp(w[j].flow_id, w[i].flow_id) != 0)
                continue;
            sent++;
            seen |= j > i;
        }
        if (seen)
            continue; /* a later wave of this flow was listed already */
        rc = wave_aggregate(d, w[i].id, &a, &u, &nu, &invited, &answered);
        free(u);
        if (rc == BB_OK) {
            int shown = agg_shown(&a, k);
            rc = BB_ENOMEM;
            if ((x = cJSON_CreateObject()) && cJSON_AddItemToArray(arr, x) &&
                cJSON_AddStringToObject(x, "id", w[i].flow_id) &&
                cJSON_AddStringToObject(x, "title", flow_title(d, w[i].flow_id)) &&
                cJSON_AddNumberToObject(x, "sent", sent) &&
                cJSON_AddNumberToObject(x, "wave", (double)w[i].id) &&
                cJSON_AddNumberToObject(x, "invited", (double)invited) &&
                (shown ? cJSON_AddNumberToObject(x, "responses", (double)a.total.responses) != NULL
                       : cJSON_AddNullToObject(x, "responses") != NULL) &&
                (shown ? cJSON_AddNumberToObject(x, "response_rate",
                                                 rate(a.total.responses, invited)) != NULL
                       : cJSON_AddNullToObject(x, "response_rate") != NULL) &&
                add_iso(x, "last_sent", w[i].start_at) == BB_OK &&
                cJSON_AddBoolToObject(x, "closed", w[i].closed))
                rc = BB_OK;
        }
        agg_free(&a);
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
    struct report_opts o = {.k = admin_k(d, k), .csv = 1, .by_unit = 1, .out = &buf};
    int rc;
    *csv = NULL;
    *len = 0;
    bb_buf_init(&buf, SURVEY_REPORT_MAX);
    rc = report_flow(d, survey_id, &o);
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
    if ((rc = segment_nonempty(d, segment, err)) != BB_OK)
        return rc;
    rc = wave_send(d, survey_id, segment, d->now, d->now + SURVEY_CLOSE_AFTER,
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
    char value[128];
    int kind, rc;
    int64_t id = 0, n = 0;
    cJSON *o;
    *out = NULL;
    if ((rc = segment_nonempty(d, segment, err)) != BB_OK)
        return rc;
    if (!text_ok(text)) {
        bb_snprintf(err, SURVEY_ERR_MAX, "the text must be valid UTF-8, 1 to %d bytes",
                    SURVEY_TEXT_MAX);
        return BB_EINVAL;
    }
    if (survey_segment_parse(segment, &kind, value, sizeof(value)) != BB_OK)
        return BB_EINVAL; /* checked above */
    rc = broadcast_queue(d, kind, value, segment, text, text, d->now, actor, &id, &n);
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

static const struct domain_cmd survey_cmds[] = {
    {"survey",
     "HR and mentoring",
     {{"survey send FLOW --to SEGMENT [--at TIME] [--close-at TIME | --close-after DUR]\n"
       "         [--remind-after DUR | --no-remind] [--as NIP]",
       "send a survey wave (SEGMENT: all, unit=NAME, role=ROLE)"},
      {"survey report FLOW [--by unit] [--csv] [--as NIP]",
       "anonymous results of every wave (k-anonymity applies)"},
      {"survey list | survey close WAVE", "the waves; close one now"}},
     cmd_survey},
    {"broadcast",
     "HR and mentoring",
     {{"broadcast --to SEGMENT (--text TEXT | --text-id TEXT --text-en TEXT) [--at TIME]",
       "send a message to many people (bulk priority)"},
      {"broadcast status ID", "queued, sent, delivered, read, failed, blocked"}},
     cmd_broadcast},
    {NULL, NULL, {{NULL, NULL}}, NULL},
};

const struct domain_module survey_module = {
    .name = "survey",
    .actions = survey_actions,
    .person_fields = survey_person_fields,
    .tick = survey_tick,
    .cmds = survey_cmds,
};
