/*
 * admin_hooks.h - what the HR dashboard's JSON API needs from the domain
 * modules that are built beside it (surveys and broadcasts in
 * bot/domain/survey/survey_api.c, mentoring in
 * bot/domain/mentoring/mentoring_admin.c, segments checked by the survey
 * module's parser), as plain function pointers. The dependency
 * goes one way: the modules know nothing of the dashboard; the one table
 * admin_hooks (adapters/admin/admin_hooks.c) names the module functions
 * that serve each hook. A NULL hook makes its endpoint answer 501
 * {"error": "... not available in this build"}.
 *
 * Contract for every hook:
 *   - called on the core thread inside an API request, with the service's
 *     domain context (d->now is the current time);
 *   - returns BB_OK and a new cJSON tree in *out (the dashboard frees it),
 *     or an enum bb_err: BB_ENOTFOUND (404), BB_EINVAL (400, *err holds a
 *     message for the person using the dashboard), BB_EEXIST (409), any
 *     other error (500, logged);
 *   - actor names who asked ("operator" or "hr:<NIP>"): a hook that
 *     changes something writes it to the audit log (store_audit);
 *   - results about people's answers are anonymous: anything counted over
 *     fewer than k people (k = the anonymity_k setting, passed in) is left
 *     out or marked hidden by the module. The dashboard checks the top-level
 *     "responses" of a survey report again and hides the whole report when
 *     it is below k.
 * The JSON shapes each hook returns are in docs/api.md.
 */
#ifndef ADMIN_HOOKS_H
#define ADMIN_HOOKS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "bot/core/domain.h"

#define ADMIN_ERR_MAX 256 /* size of the err buffer given to hooks */

struct admin_hooks {
    /* is a segment ("all", "unit=NAME", "role=ROLE") one the modules accept
     * (a known unit or role, someone in it)? BB_OK, or BB_EINVAL with a
     * message in err (n bytes) and in *detail a new JSON object
     * {"code","value","suggestion","known"} that goes into the 400 answer.
     * The dashboard checks "to" of a survey wave or broadcast with it
     * before calling the hook. */
    int (*segment_check)(const struct domain_ctx *d, const char *segment, cJSON **detail, char *err,
                         size_t n);
    /* surveys: {"surveys":[{"id","title","sent","responses","response_rate","last_sent"}]} */
    int (*survey_list)(const struct domain_ctx *d, int k, cJSON **out, char *err);
    /* one survey's results: {"id","title","invited","responses","response_rate",
     * "enps":{"score","promoters","passives","detractors"} or null,
     * "questions":[{"id","text","type","counts":{"label":n,...}} ...]} */
    int (*survey_report)(const struct domain_ctx *d, const char *survey_id, int k, cJSON **out,
                         char *err);
    /* the same as CSV text (*csv malloc'd, the dashboard frees it) */
    int (*survey_csv)(const struct domain_ctx *d, const char *survey_id, int k, char **csv,
                      size_t *len, char *err);
    /* send a survey flow to a segment ("all", "unit=NAME", "role=ROLE"):
     * {"id","wave","recipients"} */
    int (*survey_send)(const struct domain_ctx *d, const char *survey_id, const char *segment,
                       const char *actor, cJSON **out, char *err);
    /* broadcasts: {"broadcasts":[{"id","created_at","segment","recipients",
     * "text_preview"}]} (newest first) */
    int (*broadcast_list)(const struct domain_ctx *d, cJSON **out, char *err);
    /* queue a broadcast: {"id","recipients"} */
    int (*broadcast_send)(const struct domain_ctx *d, const char *segment, const char *text,
                          const char *actor, cJSON **out, char *err);
    /* mentoring: {"suggestions":[{"mentor":{"nip","name","unit"},
     * "mentee":{"nip","name","unit"},"score","reasons":[...]}]} */
    int (*pair_suggest)(const struct domain_ctx *d, cJSON **out, char *err);
    /* approve one pair: {"id","mentor","mentee","status"} */
    int (*pair_apply)(const struct domain_ctx *d, const char *mentor_nip, const char *mentee_nip,
                      const char *actor, cJSON **out, char *err);
    /* {"pairs":[{"id","mentor":{...},"mentee":{...},"since","sessions"}]} */
    int (*pair_list)(const struct domain_ctx *d, cJSON **out, char *err);
    /* erasure requests made in the chat: {"erasures":[{"id","nip","name",
     * "state","requested_at","due_at","done_at","reason","actor"}]} */
    int (*erasure_list)(const struct domain_ctx *d, cJSON **out, char *err);
    /* hold one with a written reason / release it: the request as above;
     * BB_EEXIST (409) when it is not pending / not held */
    int (*erasure_hold)(const struct domain_ctx *d, int64_t id, const char *reason,
                        const char *actor, cJSON **out, char *err);
    int (*erasure_release)(const struct domain_ctx *d, int64_t id, const char *actor, cJSON **out,
                           char *err);
};

/* The hooks of this build (adapters/admin/admin_hooks.c). */
extern const struct admin_hooks admin_hooks;

#endif
