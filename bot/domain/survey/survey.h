/*
 * survey.h - pulse surveys (waves, anonymous answers, reports) and
 * broadcasts. A domain module (see bot/core/domain.h): the flow actions
 * survey_answer (the answer stored and its traces blanked in one
 * transaction), broadcast_preview and broadcast_send; the person field
 * person.surveys; a tick that sends wave reminders and closes waves; the
 * CLI commands `survey` and `broadcast`.
 *
 * The report arithmetic (eNPS, WHO-5) is plain functions,
 * exposed here for the unit tests.
 *
 * Thread rules: core thread / CLI only; no global mutable state.
 */
#ifndef SURVEY_H
#define SURVEY_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "bot/core/domain.h"

extern const struct domain_module survey_module;

/* The smallest group a report shows: the configured anonymity_k, never
 * below 3 (and 5 when cfg is NULL). */
int survey_k(const struct config *cfg);

/* Segments ("all", "unit=NAME", "role=ROLE") are parsed and checked by
 * people_segment_resolve (bot/domain/people/people_segment.h), the one
 * parser for the CLI, the dashboard and the chat. */

/* eNPS from counts: % promoters (9-10) minus % detractors (0-6), -100..100.
 * BB_EINVAL when n is 0. */
int survey_enps(int64_t promoters, int64_t detractors, int64_t n, double *out);

/* WHO-5 over complete responses: the mean raw score (0-25) times 4, and the
 * share (0-100) of responses with a raw score below 13. */
struct survey_who5 {
    int64_t n;
    int64_t raw_sum;
    int64_t below13;
};
void survey_who5_add(struct survey_who5 *w, const int items[5]);
double survey_who5_index(const struct survey_who5 *w);
double survey_who5_low_pct(const struct survey_who5 *w);

/* The HR dashboard's hooks (adapters/admin/admin_hooks.h gives the
 * contract; docs/api.md the JSON shapes). A survey's id is its flow id; its
 * report is that of its latest wave, hidden below k (never below
 * survey_k), and the CSV is `survey report ID --by unit --csv`. Sending
 * writes the audit log with actor; an empty or bad segment is BB_EINVAL
 * with a message in err, which has room for 256 bytes (ADMIN_ERR_MAX). */
int survey_admin_list(const struct domain_ctx *d, int k, cJSON **out, char *err);
int survey_admin_report(const struct domain_ctx *d, const char *survey_id, int k, cJSON **out,
                        char *err);
int survey_admin_csv(const struct domain_ctx *d, const char *survey_id, int k, char **csv,
                     size_t *len, char *err);
/* The dashboard's check of a segment (admin_hooks.segment_check): BB_OK,
 * or BB_EINVAL with the English reason in err (n bytes) and in *detail a
 * new {"code": "segment.syntax|unit|role|empty", "value", "suggestion",
 * "known": [...]} for the dashboard to word in its reader's language. */
int survey_admin_segment(const struct domain_ctx *d, const char *segment, cJSON **detail, char *err,
                         size_t n);
int survey_admin_send(const struct domain_ctx *d, const char *survey_id, const char *segment,
                      const char *actor, cJSON **out, char *err);
int survey_admin_broadcasts(const struct domain_ctx *d, cJSON **out, char *err);
int survey_admin_broadcast(const struct domain_ctx *d, const char *segment, const char *text,
                           const char *actor, cJSON **out, char *err);

/* Waves over time (docs/api.md, "Surveys over time"), for the dashboard's
 * survey routes (adapters/admin/admin_surveys.c); err as above.
 * schedule: body {"to", "start_at", "close_at", "remind_at" (or false),
 * "every_weeks"} -> {"id","wave","recipients","unlinked","segment",
 * "start_at","remind_at","close_at","series"}; close: a wave now (its
 * pending answers released) -> {"wave","id","closed","closed_at"},
 * BB_EEXIST when closed already; wave: one wave's report as
 * survey_admin_report; trend: every wave with its figures and each
 * question's points per wave, and the survey's series; series_stop: the
 * series, BB_EEXIST when stopped already. */
int survey_admin_schedule(const struct domain_ctx *d, const char *survey_id, const cJSON *body,
                          const char *actor, cJSON **out, char *err);
int survey_admin_close(const struct domain_ctx *d, int64_t wave_id, const char *actor, cJSON **out,
                       char *err);
int survey_admin_wave(const struct domain_ctx *d, int64_t wave_id, int k, cJSON **out, char *err);
int survey_admin_wave_csv(const struct domain_ctx *d, int64_t wave_id, int k, char **csv,
                          size_t *len, char *err);
int survey_admin_trend(const struct domain_ctx *d, const char *survey_id, int k, cJSON **out,
                       char *err);
int survey_admin_trend_csv(const struct domain_ctx *d, const char *survey_id, int k, char **csv,
                           size_t *len, char *err);
int survey_admin_series_stop(const struct domain_ctx *d, int64_t id, const char *actor, cJSON **out,
                             char *err);
/* Broadcasts on the dashboard (adapters/admin/admin_bcmentor.c; the CLI
 * shares the same calls). A segment is resolved by the one checker. */
/* Compose: the Indonesian and English texts (each person gets the one of
 * their language), due at `at` (0: now): {"id","recipients","due"}. */
int survey_admin_compose(const struct domain_ctx *d, const char *segment, const char *text_id,
                         const char *text_en, int64_t at, const char *actor, cJSON **out,
                         char *err);
/* Preview without queuing: {"segment","total","recipients","unlinked",
 * "by_lang":{"id","en"},"texts":{"id","en"}} (the texts as the chat shows
 * them). */
int survey_admin_preview(const struct domain_ctx *d, const char *segment, const char *text_id,
                         const char *text_en, cJSON **out, char *err);
/* One broadcast's page: {"id","segment","texts":{"id","en"},"created_at",
 * "due","actor","recipients","state":"scheduled|sending|done|cancelled",
 * "cancelled_at","dropped","counts":{"queued","sent","failed","blocked",
 * "delivered","read"}}; BB_ENOTFOUND. */
int survey_admin_bc_detail(const struct domain_ctx *d, int64_t id, cJSON **out, char *err);
/* Cancel: the page as above; BB_EEXIST when cancelled already or all sent. */
int survey_admin_bc_cancel(const struct domain_ctx *d, int64_t id, const char *actor, cJSON **out,
                           char *err);
/* Cancel broadcast id (its queued messages dropped, audit-logged):
 * store_broadcast_cancel's errors. */
int survey_broadcast_cancel(const struct domain_ctx *d, int64_t id, const char *actor,
                            int64_t *dropped);

#endif
