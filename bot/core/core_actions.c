/*
 * core_actions.c - the core's own flow actions as the module "core"
 * (domain.h): record a check-in, notify the supervisor or HR, consent (and
 * erasing a category's data after a withdrawal), the privacy summary,
 * language, schedule a flow, open a handoff to a counsellor, and "show"
 * (accepted, not carried out yet); the person fields consent_<purpose>
 * ("yes", "no", "" never asked) that the privacy flow branches on, and
 * handoff_available. Each row
 * holds the action's name, its argument schema (checked by the flow loader)
 * and its handler (run by core.c inside the batch transaction).
 *
 * Thread rules: core thread only; constant data.
 */
#include "bot/base/bb.h"
#include "bot/core/consent.h"
#include "bot/core/alert.h"
#include "bot/core/core.h"
#include "bot/core/domain.h"
#include "store/store_handoff.h"

#include <stdlib.h>
#include <string.h>

static int act_record(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(args, "record");
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(args, "fields");
    if (!cJSON_IsString(kind))
        return BB_EINVAL;
    if (strcmp(kind->valuestring, "checkin") == 0) {
        struct store_checkin ck;
        cJSON *extra = cJSON_CreateObject();
        memset(&ck, 0, sizeof(ck));
        ck.person_id = p->id;
        ck.at = d->now;
        ck.wants_help = -1;
        for (const cJSON *f = fields ? fields->child : NULL; f; f = f->next) {
            if (strcmp(f->string, "mood") == 0 && cJSON_IsNumber(f)) {
                int64_t mv = bb_num_or(f->valuedouble, 0);
                ck.mood = mv >= 0 && mv <= 10 ? (int)mv : 0;
            } else if (strcmp(f->string, "win") == 0 && cJSON_IsString(f))
                bb_strlcpy(ck.win, f->valuestring, sizeof(ck.win));
            else if (strcmp(f->string, "blocker") == 0 && cJSON_IsString(f))
                bb_strlcpy(ck.blocker, f->valuestring, sizeof(ck.blocker));
            else if (strcmp(f->string, "wants_help") == 0 && cJSON_IsBool(f))
                ck.wants_help = cJSON_IsTrue(f);
            else if (extra)
                cJSON_AddItemToObject(extra, f->string, cJSON_Duplicate(f, 1));
        }
        if (extra && extra->child) {
            char *s = cJSON_PrintUnformatted(extra);
            if (s && strlen(s) < sizeof(ck.extra))
                bb_strlcpy(ck.extra, s, sizeof(ck.extra));
            cJSON_free(s);
        }
        cJSON_Delete(extra);
        return store_checkin_add(d->st, &ck, NULL);
    }
    bb_log(BB_LOG_WARN, "core", "record \"%s\": no table for this kind yet; kept in the session",
           kind->valuestring);
    return BB_OK;
}

static int act_notify(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(args, "notify");
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(args, "text");
    struct store_person target;
    char channel[16], ext_user[64];
    int rc;
    if (!cJSON_IsString(to) || !cJSON_IsObject(text))
        return BB_EINVAL;
    if (strcmp(to->valuestring, "supervisor") == 0) {
        if (!p->supervisor_nip[0])
            return BB_OK;
        rc = store_person_by_nip(d->st, p->supervisor_nip, &target);
    } else if (strcmp(to->valuestring, "hr") == 0) {
        /* the one flows name as person.hr_name */
        rc = store_person_hr_contact(d->st, p->id, p->unit, &target);
    } else {
        /* mentor, mentee, asker: need the mentoring tables (pairings). */
        bb_log(BB_LOG_INFO, "core", "notify %s: no recipient known yet", to->valuestring);
        return BB_OK;
    }
    if (rc == BB_ENOTFOUND)
        return BB_OK;
    if (rc != BB_OK)
        return rc;
    if (store_identity_last(d->st, target.id, channel, sizeof(channel), ext_user,
                            sizeof(ext_user)) != BB_OK)
        return BB_OK; /* never wrote to us: nowhere to send */
    int li = flow_lang_index(target.lang);
    li = li < 0 ? 0 : li;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(text, flow_langs[li]);
    if (!cJSON_IsString(t))
        return BB_EINVAL;
    const char *texts[FLOW_NLANG] = {NULL};
    texts[li] = t->valuestring;
    return core_send_text(d->core, target.id, texts, STORE_PRIO_LIVE, 0);
}

static int act_consent(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    const cJSON *purpose = cJSON_GetObjectItemCaseSensitive(args, "consent");
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(args, "value");
    if (!cJSON_IsString(purpose))
        return BB_EINVAL;
    int rc = store_consent_set(d->st, p->id, purpose->valuestring, cJSON_IsTrue(value), d->now);
    if (rc == BB_OK)
        rc = store_audit(d->st, p->nip, cJSON_IsTrue(value) ? "consent.grant" : "consent.withdraw",
                         p->id, purpose->valuestring, d->now);
    return rc;
}

/* {"erase": "data"}: after a withdrawal, erase what was stored under that
 * consent (every category it covers), and audit-log how much went. A
 * consent still given is not erased under (the flow asks only after a
 * withdrawal; this holds if it did not). */
static int act_erase(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    const cJSON *purpose = cJSON_GetObjectItemCaseSensitive(args, "erase");
    int pi = cJSON_IsString(purpose) ? consent_purpose_index(purpose->valuestring) : -1;
    int granted = -1, rc;
    char detail[128];
    int64_t total = 0;
    if (pi < 0)
        return BB_EINVAL;
    if ((rc = store_consent_get(d->st, p->id, consent_purposes[pi], &granted)) != BB_OK)
        return rc;
    if (granted == 1) {
        bb_log(BB_LOG_WARN, "core", "erase %s: the consent is given; nothing erased",
               consent_purposes[pi]);
        return BB_OK;
    }
    for (int k = 0; k < FLOW_NCAT; k++) {
        int64_t n = 0;
        if (consent_for_category(k) != pi)
            continue;
        if ((rc = store_category_erase(d->st, p->id, flow_categories[k], &n)) != BB_OK)
            return rc;
        total += n;
    }
    bb_snprintf(detail, sizeof(detail), "%s: %lld rows", consent_purposes[pi], (long long)total);
    return store_audit(d->st, p->nip, "consent.erase", p->id, detail, d->now);
}

/* {"privacy_summary": true}: what is stored about the person and each
 * consent's state, sent to them in their language. */
static int act_privacy_summary(const struct domain_ctx *d, const struct store_person *p,
                               const cJSON *args)
{
    char *t[FLOW_NLANG] = {NULL};
    int rc = BB_OK;
    (void)args;
    for (int li = 0; li < FLOW_NLANG && rc == BB_OK; li++)
        rc = consent_summary(d->st, p->id, li, &t[li]);
    if (rc == BB_OK)
        rc = core_send_text(d->core, p->id, (const char *const *)t, STORE_PRIO_LIVE, 0);
    for (int li = 0; li < FLOW_NLANG; li++)
        free(t[li]);
    return rc;
}

static int consent_fields(const struct domain_ctx *d, const struct store_person *p, cJSON *out)
{
    struct consent_state cs;
    int rc = consent_load(d->st, p->id, &cs);
    if (rc != BB_OK)
        return rc;
    for (int i = 0; i < CONSENT_N; i++) {
        char key[48];
        bb_snprintf(key, sizeof(key), "consent_%s", consent_purposes[i]);
        if (!cJSON_AddStringToObject(out, key,
                                     cs.granted[i] == 1   ? "yes"
                                     : cs.granted[i] == 0 ? "no"
                                                          : ""))
            return BB_ENOMEM;
    }
    return BB_OK;
}

static int act_language(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    const cJSON *lang = cJSON_GetObjectItemCaseSensitive(args, "language");
    if (cJSON_IsString(lang) && flow_lang_index(lang->valuestring) >= 0)
        return store_person_set_lang(d->st, p->id, lang->valuestring);
    return BB_OK;
}

static int act_schedule(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    const cJSON *flow = cJSON_GetObjectItemCaseSensitive(args, "schedule");
    const cJSON *after = cJSON_GetObjectItemCaseSensitive(args, "after");
    const cJSON *date = cJSON_GetObjectItemCaseSensitive(args, "date");
    const cJSON *time = cJSON_GetObjectItemCaseSensitive(args, "time");
    int64_t due = d->now;
    if (!cJSON_IsString(flow))
        return BB_EINVAL;
    if (cJSON_IsString(date)) {
        /* a local date (and time, default 09:00) in the person's zone */
        int64_t day0;
        char iso[32];
        const char *hm = cJSON_IsString(time) ? time->valuestring : "09:00";
        if (bb_snprintf(iso, sizeof(iso), "%.10sT%.5s", date->valuestring, hm) != BB_OK ||
            bb_parse_iso8601(iso, &day0) != BB_OK)
            return BB_OK; /* a bad date from a flow: nothing to schedule */
        due = day0 - core_tz_offset(d->core, p->tz, day0);
    } else if (cJSON_IsNumber(after)) {
        due = d->now + bb_num_or(after->valuedouble, 0);
    } else {
        return core_start_flow(d->core, p->id, flow->valuestring, due); /* at once */
    }
    /* a follow-up: held to the person's working time when it comes due */
    return core_start_later(d->core, p->id, flow->valuestring, due);
}

/* {"handoff": "wellbeing"}: a person to talk to (bot/core/handoff.h). */
static int act_handoff(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    const cJSON *why = cJSON_GetObjectItemCaseSensitive(args, "handoff");
    int staffed = 0, rc = store_handoff_staffed(d->st, &staffed);
    if (rc != BB_OK)
        return rc;
    if (!cJSON_IsString(why) || !staffed) {
        bb_log(BB_LOG_WARN, "core", "handoff: nobody has the role counsellor; nothing opened");
        return BB_OK;
    }
    return core_handoff_open(d->core, p, why->valuestring, d->now);
}

/* The person fields of the core: handoff_available, whether anyone can
 * read a handoff (a flow offers one only then). */
static int core_person_fields(const struct domain_ctx *d, const struct store_person *p, cJSON *out)
{
    int staffed = 0, rc = consent_fields(d, p, out);
    if (rc == BB_OK)
        rc = store_handoff_staffed(d->st, &staffed);
    if (rc != BB_OK)
        return rc;
    return cJSON_AddBoolToObject(out, "handoff_available", staffed) ? BB_OK : BB_ENOMEM;
}

/* every name person_fields adds (computed on first read, domain.h) */
static const char *const core_field_names[] = {"consent_*", "handoff_available", NULL};

static const struct domain_action core_actions[] = {
    {{"record", 's', {"fields"}, "f", "", {"checkin", NULL}, "checkin"}, act_record},
    {{"notify",
      's',
      {"text"},
      "t",
      "text",
      {"mentor", "mentee", "supervisor", "hr", "asker", NULL},
      NULL},
     act_notify},
    {{"consent",
      's',
      {"value"},
      "e",
      "value",
      {"data", "health", "mentor_share", "wellbeing_alert", "number_share", "mentor_learning"},
      NULL},
     act_consent},
    {{"erase", 's', {NULL}, "", "", {"data", "health", NULL}, NULL}, act_erase},
    {{"privacy_summary", 'b', {NULL}, "", "", {NULL}, NULL}, act_privacy_summary},
    {{"language", 'e', {NULL}, "", "", {NULL}, NULL}, act_language},
    {{"schedule", 's', {"after", "date", "time"}, "deh", "", {NULL}, NULL}, act_schedule},
    {{"show", 's', {NULL}, "", "", {NULL}, NULL}, NULL}, /* accepted, not carried out yet */
    {{"handoff", 's', {NULL}, "", "", {"wellbeing", "checkin", NULL}, NULL}, act_handoff},
    DOMAIN_ACTIONS_END,
};

const struct domain_module core_module = {
    .name = "core",
    .actions = core_actions,
    .person_fields = core_person_fields,
    .person_field_names = core_field_names,
    .tick = alert_tick, /* alerts whose chat messages all failed go on (alert.h) */
};
