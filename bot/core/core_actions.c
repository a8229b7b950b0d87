/*
 * core_actions.c - the core's own flow actions as the module "core"
 * (domain.h): record a check-in, notify the supervisor or HR, consent, language,
 * schedule a flow, and "show" (accepted, not carried out yet). Each row
 * holds the action's name, its argument schema (checked by the flow loader)
 * and its handler (run by core.c inside the batch transaction).
 *
 * Thread rules: core thread only; constant data.
 */
#include "bot/base/bb.h"
#include "bot/core/core.h"
#include "bot/core/domain.h"

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
    }
    return core_start_flow(d->core, p->id, flow->valuestring, due);
}

static const struct domain_action core_actions[] = {
    {{"record", 's', {"fields"}, "f", "", {NULL}}, act_record},
    {{"notify",
      's',
      {"text"},
      "t",
      "text",
      {"mentor", "mentee", "supervisor", "hr", "asker", NULL}},
     act_notify},
    {{"consent", 's', {"value"}, "e", "value", {NULL}}, act_consent},
    {{"language", 'e', {NULL}, "", "", {NULL}}, act_language},
    {{"schedule", 's', {"after", "date", "time"}, "deh", "", {NULL}}, act_schedule},
    {{"show", 's', {NULL}, "", "", {NULL}}, NULL}, /* accepted, not carried out yet */
    DOMAIN_ACTIONS_END,
};

const struct domain_module core_module = {
    .name = "core",
    .actions = core_actions,
};
