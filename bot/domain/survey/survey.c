/*
 * survey.c - pulse surveys (waves, anonymous answers) and broadcasts: a
 * domain module (see survey.h and bot/core/domain.h). Its reports are in
 * survey_report.c, its CLI in survey_cli.c, the dashboard's hooks in
 * survey_api.c; what they share is survey_int.h.
 *
 *   survey send FLOW --to SEG   a wave: invitations + paced "flow" timers
 *   (the person answers)        the flow calls survey_answer: answers are
 *                               stored anonymously and the conversation's
 *                               traces blanked in the same transaction
 *                               (store_survey.c)
 *   tick                        one reminder to non-responders, closing at
 *                               close-at (open sessions ended politely)
 *   survey report FLOW          response rate, distributions, eNPS, WHO-5,
 *                               k-anonymity: units under k left out of all
 *   broadcast --to SEG ...      one BULK outbox row per person, one INSERT
 *   survey_admin_*              the HR dashboard's hooks: the same report
 *                               (latest wave as JSON, CSV), sending and
 *                               broadcasting code as the CLI
 *
 * Thread rules: core thread / CLI only. No global mutable state: every
 * function works on what the domain context hands it.
 */
#include "bot/domain/survey/survey_int.h"
#include "bot/core/core.h"
#include "bot/base/cal.h"
#include "bot/base/sapaan.h"
#include "bot/domain/people/people_segment.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- texts ---------------------------------------------------------------- */

static const char *const text_remind_inflow[3] = {
    "Pengingat: survei dari bagian SDM masih menunggu jawaban Anda (lihat pertanyaan di atas). "
    "Jawaban Anda anonim.",
    "Reminder: the HR survey is still waiting for your answer (see the question above). "
    "Your answers are anonymous.",
    "Pengingat: survei dari bagian SDM masih menunggu jawabanmu (lihat pertanyaan di atas). "
    "Jawabanmu anonim.",
};
static const char *const text_remind_restart[3] = {
    "Pengingat: survei singkat dari bagian SDM belum Anda jawab. Jawaban Anda anonim. Kita mulai "
    "lagi dari awal.",
    "Reminder: you have not answered the short HR survey yet. Your answers are anonymous. Let's "
    "start again.",
    "Pengingat: survei singkat dari bagian SDM belum kamu jawab. Jawabanmu anonim. Kita mulai "
    "lagi dari awal.",
};
static const char *const text_closed[3] = {
    "Survei ini sudah ditutup. Terima kasih atas waktu Anda; jawaban yang belum selesai tidak "
    "disimpan.",
    "This survey has now closed. Thank you for your time; unfinished answers were not kept.",
    "Survei ini sudah ditutup. Makasih atas waktumu; jawaban yang belum selesai tidak "
    "disimpan.",
};
static const char *const text_bidi[2] = {
    "Maaf, pesan siaran ini berisi karakter tak terlihat yang membalik arah teks. Mohon ketik "
    "ulang pesannya tanpa menyalin dari sumber lain.",
    "Sorry, this broadcast text holds invisible characters that reverse the text's direction. "
    "Please type the message again rather than pasting it.",
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

int survey_is_staff(const char *role)
{
    return !strcmp(role, "hr") || !strcmp(role, "admin");
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

int survey_parse_when(const char *s, int64_t now, int64_t *out)
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

void survey_fmt_day(int64_t t, char *out, size_t n)
{
    /* the reports are in English; the short form of the one date format */
    cal_format_date(cal_floor_div(t, 86400), CAL_LANG_EN, CAL_SHORT, out, n);
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
int survey_text_ok(const char *t)
{
    size_t len = t ? strlen(t) : 0;
    return len > 0 && len <= SURVEY_TEXT_MAX && bb_utf8_valid(t, len) && !bb_has_bidi_control(t);
}

/* Queue a broadcast: one outbox row per reachable person of the segment. */
int survey_broadcast_queue(const struct domain_ctx *d, int kind, const char *value,
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

int survey_broadcast_cancel(const struct domain_ctx *d, int64_t id, const char *actor,
                            int64_t *dropped)
{
    char detail[128];
    int64_t n = 0;
    int rc = store_broadcast_cancel(d->st, id, d->now, actor, &n);
    if (rc != BB_OK)
        return rc;
    if (dropped)
        *dropped = n;
    bb_snprintf(detail, sizeof(detail), "broadcast %" PRId64 " cancelled: %" PRId64 " dropped", id,
                n);
    return store_audit(d->st, actor, "broadcast.cancel", 0, detail, d->now);
}

void survey_broadcast_where(const struct config *cfg, int64_t id, int li, char *out, size_t n)
{
    if (cfg && cfg->dashboard_url[0])
        (void)bb_snprintf(out, n, "%s#broadcast/%" PRId64, cfg->dashboard_url, id);
    else if (li)
        (void)bb_snprintf(out, n, "the dashboard \u2192 Broadcasts \u2192 #%" PRId64, id);
    else
        (void)bb_snprintf(out, n, "dasbor \u2192 Siaran \u2192 #%" PRId64, id);
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
    rc =
        store_survey_answer(d->st, wave, p->id, unit, a, na, survey_k(d->cfg), d->now, d->event_id);
    if (rc == BB_EEXIST)
        rc = BB_OK; /* answered twice (a replay): the first answer counts */
    return rc;
}

/* The segment a chat broadcast goes to, from the hr.broadcast flow's
 * fields: seg (all, unit, role), seg_unit, seg_role; resolved into *seg
 * (people_segment.h). BB_EINVAL with seg->msg when it is refused. */
static int chat_segment(struct store *st, const cJSON *fields, struct people_segment *seg)
{
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(fields, "seg");
    const cJSON *unit = cJSON_GetObjectItemCaseSensitive(fields, "seg_unit");
    const cJSON *role = cJSON_GetObjectItemCaseSensitive(fields, "seg_role");
    char spec[PEOPLE_SEG_SPEC_MAX + 8];
    if (!cJSON_IsString(kind))
        spec[0] = '\0';
    else if (!strcmp(kind->valuestring, "all"))
        bb_snprintf(spec, sizeof(spec), "all");
    else if (!strcmp(kind->valuestring, "unit") && cJSON_IsString(unit))
        (void)bb_snprintf(spec, sizeof(spec), "unit=%s", unit->valuestring);
    else if (!strcmp(kind->valuestring, "role") && cJSON_IsString(role))
        (void)bb_snprintf(spec, sizeof(spec), "role=%s", role->valuestring);
    else
        spec[0] = '\0';
    return people_segment_resolve(st, spec, seg);
}

/* Why the segment was refused, in language li (0 id, 1 en): the unit or
 * role, the nearest known one; with restart, how to start again (when the
 * flow cannot ask again itself). */
static void segment_refusal(const struct people_segment *seg, int li, int restart, char *out,
                            size_t n)
{
    char near[PEOPLE_SEG_VALUE_MAX + 40] = "";
    if (seg->suggest[0])
        (void)bb_snprintf(near, sizeof(near), li ? " Did you mean '%s'?" : " Maksud Anda '%s'?",
                          seg->suggest);
    if (seg->err == PEOPLE_SEG_UNIT || seg->err == PEOPLE_SEG_ROLE) {
        if (li)
            (void)bb_snprintf(out, n, "There is no %s '%s' in the staff data.%s%s",
                              seg->err == PEOPLE_SEG_ROLE ? "role" : "unit", seg->given, near,
                              restart ? " This broadcast cannot be sent. Choose Cancel, then type "
                                        "/broadcast to start again."
                                      : "");
        else
            (void)bb_snprintf(out, n, "%s '%s' tidak ditemukan di data pegawai.%s%s",
                              seg->err == PEOPLE_SEG_ROLE ? "Peran" : "Unit", seg->given, near,
                              restart ? " Siaran ini tidak dapat dikirim. Pilih Batal, lalu ketik "
                                        "/siaran untuk mengulang."
                                      : "");
    } else {
        (void)bb_snprintf(
            out, n,
            li ? "Nobody is in the segment %s. This broadcast cannot be sent."
               : "Tidak ada seorang pun di segmen %s. Siaran ini tidak dapat dikirim.",
            seg->spec[0] ? seg->spec : seg->given);
    }
}

/* Tell the person why the segment was refused: in the chat, or, when the
 * flow waits for the outcome (d->result), as its message (the flow asks
 * again). Nothing is queued either way. */
static int say_segment_refused(const struct domain_ctx *d, const struct store_person *p,
                               const struct people_segment *seg)
{
    char id_text[400], en_text[400];
    if (d->result) {
        int li = flow_lang_index(p->lang) == 1 ? 1 : 0;
        segment_refusal(seg, li, 0, id_text, sizeof(id_text));
        cJSON_AddBoolToObject(d->result, "ok", 0);
        cJSON_AddStringToObject(d->result, "message", id_text);
        cJSON_AddStringToObject(d->result, "value", seg->suggest);
        return BB_OK;
    }
    segment_refusal(seg, 0, 1, id_text, sizeof(id_text));
    segment_refusal(seg, 1, 1, en_text, sizeof(en_text));
    const char *t[2] = {id_text, en_text};
    int rc = core_send_text(d->core, p->id, t, STORE_PRIO_LIVE, 0);
    return rc == BB_ENOTFOUND ? BB_OK : rc;
}

/* {"broadcast_segment": true, "fields": ["seg", "seg_unit", "seg_role"]}:
 * only checks the segment (HR or admin only); its outcome, when the flow
 * waits for it, is ok with the canonical segment as the value, or refused
 * with the reason and the nearest unit or role. Says nothing itself when
 * the segment is fine. */
static int act_broadcast_segment(const struct domain_ctx *d, const struct store_person *p,
                                 const cJSON *args)
{
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(args, "fields");
    struct people_segment seg;
    if (!survey_is_staff(p->role)) {
        store_audit(d->st, p->nip, "broadcast.refused", p->id, "not hr or admin", d->now);
        if (d->result)
            cJSON_AddBoolToObject(d->result, "ok", 0);
        int rc = core_send_text(d->core, p->id, text_not_allowed, STORE_PRIO_LIVE, 0);
        return rc == BB_ENOTFOUND ? BB_OK : rc;
    }
    int rc = chat_segment(d->st, fields, &seg);
    if (rc == BB_EINVAL)
        return say_segment_refused(d, p, &seg);
    if (rc != BB_OK)
        return rc;
    if (d->result) {
        cJSON_AddBoolToObject(d->result, "ok", 1);
        cJSON_AddStringToObject(d->result, "value", seg.spec);
    }
    return BB_OK;
}

static int act_broadcast(const struct domain_ctx *d, const struct store_person *p,
                         const cJSON *args, int send)
{
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(args, "fields");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(fields, "message");
    struct people_segment seg;
    char id_text[400], en_text[400];
    int rc;
    int64_t id = 0, n = 0;
    if (d->result)
        cJSON_AddBoolToObject(d->result, "ok", 0); /* until the preview is sent */
    if (!survey_is_staff(p->role)) {
        store_audit(d->st, p->nip, "broadcast.refused", p->id, "not hr or admin", d->now);
        rc = core_send_text(d->core, p->id, text_not_allowed, STORE_PRIO_LIVE, 0);
        return rc == BB_ENOTFOUND ? BB_OK : rc;
    }
    if (cJSON_IsString(msg) && bb_has_bidi_control(msg->valuestring)) {
        /* issue 14, Info: text that displays in another order than it reads */
        if (d->result) { /* the flow asks for the text again */
            cJSON_AddStringToObject(d->result, "status", "bad_message");
            cJSON_AddStringToObject(d->result, "message",
                                    text_bidi[flow_lang_index(p->lang) == 1 ? 1 : 0]);
            return BB_OK;
        }
        rc = core_send_text(d->core, p->id, text_bidi, STORE_PRIO_LIVE, 0);
        return rc == BB_ENOTFOUND ? BB_OK : rc;
    }
    if (!cJSON_IsObject(fields) || !cJSON_IsString(msg) || !survey_text_ok(msg->valuestring)) {
        bb_log(BB_LOG_WARN, "survey", "broadcast from chat: bad text");
        return BB_OK;
    }
    rc = chat_segment(d->st, fields, &seg);
    if (rc == BB_EINVAL)
        return say_segment_refused(d, p, &seg); /* nothing is queued */
    if (rc != BB_OK)
        return rc;
    if (!send) {
        bb_snprintf(id_text, sizeof(id_text),
                    "Pesan ini akan dikirim ke %" PRId64 " orang (%s; %" PRId64
                    " orang di segmen ini belum terhubung dengan bot).",
                    seg.reachable, seg.spec, seg.total - seg.reachable);
        bb_snprintf(en_text, sizeof(en_text),
                    "Recipients: %" PRId64 " (%s; %" PRId64
                    " more in this segment have not linked a chat yet).",
                    seg.reachable, seg.spec, seg.total - seg.reachable);
    } else {
        rc = survey_broadcast_queue(d, seg.kind, seg.value, seg.spec, msg->valuestring,
                                    msg->valuestring, d->now, p->nip, &id, &n);
        if (rc != BB_OK)
            return rc;
        char w_id[320], w_en[320];
        survey_broadcast_where(d->cfg, id, 0, w_id, sizeof(w_id));
        survey_broadcast_where(d->cfg, id, 1, w_en, sizeof(w_en));
        bb_snprintf(id_text, sizeof(id_text),
                    "Siaran #%" PRId64 " masuk antrean untuk %" PRId64
                    " orang. Untuk mengikuti pengirimannya, buka %s",
                    id, n, w_id);
        bb_snprintf(en_text, sizeof(en_text),
                    "Broadcast #%" PRId64 " is queued. Recipients: %" PRId64
                    ". To follow its delivery, open %s",
                    id, n, w_en);
    }
    const char *t[2] = {id_text, en_text};
    rc = core_send_text(d->core, p->id, t, STORE_PRIO_LIVE, 0);
    if (d->result && (rc == BB_OK || rc == BB_ENOTFOUND)) {
        cJSON_ReplaceItemInObjectCaseSensitive(d->result, "ok", cJSON_CreateBool(1));
        cJSON_AddStringToObject(d->result, "value", seg.spec);
    }
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
    {DOMAIN_ACTION_FIELDS("survey_answer", "survey"), act_survey_answer},
    {DOMAIN_ACTION_FIELDS("broadcast_segment", NULL), act_broadcast_segment},
    {DOMAIN_ACTION_FIELDS("broadcast_preview", NULL), act_broadcast_preview},
    {DOMAIN_ACTION_FIELDS("broadcast_send", NULL), act_broadcast_send},
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

/* every name person_fields adds (computed on first read, domain.h) */
static const char *const field_names[] = {"surveys", NULL};

/* ---- tick: reminders and closing --------------------------------------- */

/* End a store_begin() of this file: commit on success, else roll back. */
static int tx_end(struct store *st, int rc)
{
    if (rc == BB_OK)
        return store_commit(st);
    store_rollback(st);
    return rc;
}

static int send_note(const struct domain_ctx *d, int64_t person_id, const char *const t[3],
                     int64_t wave_id)
{
    const char *const tt[2] = {t[SAPAAN_LI(0)], t[1]}; /* {id or id_santai, en} */
    int rc = core_send_text(d->core, person_id, tt, STORE_PRIO_BULK, -wave_id);
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
int survey_close_wave(const struct domain_ctx *d, int64_t wave_id, int *did)
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
    int n = 0, work = 0, moved = 0;
    /* broadcasts: the next chunk of messages while a queue runs low */
    int rc =
        store_broadcast_fill(d->st, d->now, STORE_BROADCAST_LOW, STORE_BROADCAST_CHUNK, &moved);
    if (rc == BB_OK && moved > 0)
        work++;
    if (rc == BB_OK)
        rc = store_wave_due_remind(d->st, d->now, &ids, &n);
    for (int i = 0; rc == BB_OK && i < n; i++)
        rc = remind_wave(d, ids[i], &work);
    free(ids);
    ids = NULL;
    if (rc == BB_OK)
        rc = store_wave_due_close(d->st, d->now, &ids, &n);
    for (int i = 0; rc == BB_OK && i < n; i++)
        rc = survey_close_wave(d, ids[i], &work);
    free(ids);
    if (rc == BB_OK)
        rc = survey_series_tick(d, &work);
    if (did)
        *did = work;
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
int survey_wave_send(const struct domain_ctx *d, const char *flow_id, const char *to, int64_t at,
                     int64_t close_at, int64_t remind_at, int pace, const char *actor,
                     struct store_wave *w, int64_t *unlinked, char err[SURVEY_ERR_MAX])
{
    return survey_wave_send_in(d, flow_id, to, at, close_at, remind_at, pace, actor, 0, w, unlinked,
                               err);
}

int survey_wave_send_in(const struct domain_ctx *d, const char *flow_id, const char *to, int64_t at,
                        int64_t close_at, int64_t remind_at, int pace, const char *actor,
                        int64_t series_id, struct store_wave *w, int64_t *unlinked,
                        char err[SURVEY_ERR_MAX])
{
    const struct flow *f = d->lib ? flow_lib_get(d->lib, flow_id, 0) : NULL;
    struct people_segment seg;
    char detail[256];
    int rc;
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
    if ((rc = people_segment_resolve(d->st, to, &seg)) != BB_OK) {
        if (rc == BB_EINVAL)
            bb_strlcpy(err, seg.msg, SURVEY_ERR_MAX);
        return rc;
    }
    if (close_at <= at || pace < 1) {
        bb_snprintf(err, SURVEY_ERR_MAX, "the wave must close after it starts");
        return BB_EINVAL;
    }
    memset(w, 0, sizeof(*w));
    bb_strlcpy(w->flow_id, flow_id, sizeof(w->flow_id));
    bb_strlcpy(w->segment, seg.spec, sizeof(w->segment));
    bb_strlcpy(w->actor, actor, sizeof(w->actor));
    w->start_at = at;
    w->close_at = close_at;
    w->remind_at = remind_at;
    w->created_at = d->now;
    w->series_id = series_id;
    if ((rc = store_wave_add(d->st, w, seg.kind, seg.value, pace)) != BB_OK)
        return rc;
    *unlinked = seg.total - seg.reachable;
    bb_snprintf(detail, sizeof(detail), "wave %" PRId64 " of %s to %s: %" PRId64 " invited", w->id,
                flow_id, seg.spec, w->invited);
    return store_audit(d->st, actor, "survey.send", 0, detail, d->now);
}

const struct domain_module survey_module = {
    .name = "survey",
    .actions = survey_actions,
    .person_fields = survey_person_fields,
    .person_field_names = field_names,
    .tick = survey_tick,
    .cmds = survey_cmds,
};
