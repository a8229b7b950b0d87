/*
 * survey_int.h - what the parts of the survey module share among
 * themselves: survey.c (waves, answers, broadcasts, the tick),
 * survey_report.c (aggregation and reports), survey_cli.c (the `survey` and
 * `broadcast` commands) and survey_api.c (the HR dashboard's hooks). Not for
 * other modules: they use survey.h.
 *
 * Thread rules: core thread / CLI only; no global mutable state.
 */
#ifndef SURVEY_INT_H
#define SURVEY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "bot/base/bb.h"
#include "bot/domain/people/people_segment.h"
#include "bot/domain/survey/survey.h"
#include "store/store_survey.h"

#define SURVEY_MAXQ         32          /* questions per survey in a report */
#define SURVEY_MAX_COMMENTS 2000        /* free-text answers listed per wave */
#define SURVEY_PACE         10          /* flow starts per second in a wave */
#define SURVEY_LIST_MAX     200         /* broadcasts listed on the dashboard */
#define SURVEY_CLOSE_AFTER  (7 * 86400) /* a wave's default length */
#define SURVEY_REMIND_AFTER (2 * 86400) /* its default reminder */
#define SURVEY_ERR_MAX      256         /* a message for the person asking */
#define SURVEY_TEXT_MAX     4096        /* a broadcast text, in bytes */
#define SURVEY_REPORT_MAX   (16 << 20)  /* a report, text or CSV, in bytes */

/* ---- survey.c ---- */

/* Roles that may send surveys and broadcasts: hr, admin. */
int survey_is_staff(const char *role);
/* "now", "+DURATION" or an ISO-8601 time. */
int survey_parse_when(const char *s, int64_t now, int64_t *out);
/* The UTC day of t as the reports (in English) show dates: "15 Dec 2026"
 * (cal_format_date, short form). */
void survey_fmt_day(int64_t t, char *out, size_t n);
/* Check a broadcast text: valid UTF-8, not empty, not too long. */
int survey_text_ok(const char *t);
/* Where HR follows broadcast id in language li (0 id, 1 en), after
 * "buka" / "open": the dashboard's link when "dashboard_url" is
 * configured, else the way there in words ("dasbor → Siaran → #N"); never
 * a CLI command. */
void survey_broadcast_where(const struct config *cfg, int64_t id, int li, char *out, size_t n);
/* Queue a broadcast: one outbox row per reachable person of the segment. */
int survey_broadcast_queue(const struct domain_ctx *d, int kind, const char *value,
                           const char *segment, const char *t_id, const char *t_en, int64_t due,
                           const char *actor, int64_t *id, int64_t *n);
/* Close a wave: people still inside the survey get a closing note and their
 * session (with its unfinished answers) is deleted, with its timers; then
 * the store turns participation into counts. One transaction. */
int survey_close_wave(const struct domain_ctx *d, int64_t wave_id, int *did);
/* Send a wave of the survey flow flow_id to the segment `to`: invitations
 * and paced start timers (store_wave_add), then the audit line with actor.
 * remind_at 0: no reminder. *w gets the wave; *unlinked the people of the
 * segment without a chat. BB_ENOTFOUND (no such flow) and BB_EINVAL (not a
 * survey flow, a bad segment or times) come with a message in err. */
int survey_wave_send(const struct domain_ctx *d, const char *flow_id, const char *to, int64_t at,
                     int64_t close_at, int64_t remind_at, int pace, const char *actor,
                     struct store_wave *w, int64_t *unlinked, char err[SURVEY_ERR_MAX]);

/* survey_wave_send, for a wave of the recurring series series_id (0:
 * none). */
int survey_wave_send_in(const struct domain_ctx *d, const char *flow_id, const char *to, int64_t at,
                        int64_t close_at, int64_t remind_at, int pace, const char *actor,
                        int64_t series_id, struct store_wave *w, int64_t *unlinked,
                        char err[SURVEY_ERR_MAX]);

/* ---- survey_series.c ---- */

#define SURVEY_EVERY_MAX  52  /* a series repeats every 1..52 weeks */
#define SURVEY_PAST_SLACK 300 /* a start this far in the past still counts as now */

/* A wave (every_weeks 0) or a recurring series as HR asks for it: times
 * as given (remind_at 0: no reminder). */
struct survey_plan {
    const char *flow_id, *to;
    int64_t at, close_at, remind_at;
    int every_weeks;
};
/* t moved to the instance's next working slot (its working week and
 * holidays, in WIB); t itself when working time is off. */
int survey_work_shift(const struct domain_ctx *d, int64_t t, int64_t *out);
/* Schedule p in one transaction: a start in the future, the reminder and
 * the close are moved into working time; with every_weeks, a series (the
 * next waves every every_weeks weeks from p->at, each open as long as the
 * first) and its first wave. *w the (first) wave, *series_id the series
 * or 0. BB_EINVAL / BB_ENOTFOUND with err as survey_wave_send. */
int survey_schedule(const struct domain_ctx *d, const struct survey_plan *p, const char *actor,
                    struct store_wave *w, int64_t *series_id, int64_t *unlinked,
                    char err[SURVEY_ERR_MAX]);
/* Stop a series, with the actor in the audit log. BB_ENOTFOUND, BB_EEXIST
 * (stopped already) with err. */
int survey_series_stop(const struct domain_ctx *d, int64_t id, const char *actor,
                       char err[SURVEY_ERR_MAX]);
/* Close an open wave now (survey_close_wave: pending answers released as
 * at any close), with the actor in the audit log. BB_ENOTFOUND (no such
 * wave) or BB_EEXIST (closed already) with err. */
int survey_wave_close_now(const struct domain_ctx *d, int64_t wave_id, const char *actor,
                          char err[SURVEY_ERR_MAX]);
/* The tick's part: start the next wave of every due series. */
int survey_series_tick(const struct domain_ctx *d, int *did);

/* ---- survey_report.c ---- */

struct survey_qstat {
    char name[48];
    int is_text;
    int64_t n;
    double sum;
    int64_t hist[11]; /* whole values 0..10 */
};

struct survey_group {
    char unit[128];
    int64_t responses;
    int left_out; /* fewer than k responses: in no figure of the report */
    struct survey_qstat q[SURVEY_MAXQ];
    int nq;
    int64_t enps_n, enps_prom, enps_det;
    struct survey_who5 who5;
};

struct survey_agg {
    struct survey_group total; /* the groups that are not left out, merged */
    struct survey_group *g;
    int ng, cap;
    char **comments;    /* "question: text", of groups not left out */
    int *comment_group; /* index into g of each comment */
    int ncomments;
    int64_t left_out;    /* responses of the groups left out */
    int left_out_groups; /* how many groups that is */
    /* the response being read */
    char cur[40];
    char cur_unit[128];
    int who5[5], who5_have;
    int err;
};

/* How a report is written: into out (capped), text or CSV. The first
 * write error is kept in err. */
struct survey_report_opts {
    int by_unit, csv, k;
    struct bb_buf *out;
    int err;
};

void survey_agg_free(struct survey_agg *a);
/* Read one wave: participation per unit (*u, *nu; free()) with its sums,
 * and the released answers aggregated into *a (survey_agg_free() it, also
 * on error). The complement rule: a unit (group) with fewer than k
 * responses is left out of every figure - the total, eNPS, WHO-5, every
 * question and the comments - and only counted in a->left_out, so no two
 * reports (waves to overlapping segments, or one wave before and after)
 * can be subtracted to find it. */
int survey_wave_aggregate(const struct domain_ctx *d, int64_t wave_id, int k, struct survey_agg *a,
                          struct store_unit_count **u, int *nu, int64_t *invited,
                          int64_t *answered);
/* The comments of one question (texts without the "question: " prefix),
 * sorted; pointers into a (valid until survey_agg_free). *out malloc'd. */
int survey_agg_comments(struct survey_agg *a, const char *question, const char ***out, int *n);
/* The k rule of a whole wave: its results show only from k responses. */
int survey_agg_shown(const struct survey_agg *a, int k);
/* The report of every wave of flow_id into o->out (text with a trend table,
 * or CSV with its header): what `survey report` prints and the dashboard's
 * CSV download. BB_ENOTFOUND when the flow has no waves. */
int survey_report_flow(const struct domain_ctx *d, const char *flow_id,
                       struct survey_report_opts *o);

/* The report of one wave (wave_id of any flow) into o->out, as
 * survey_report_flow writes each wave: the per-wave CSV download.
 * BB_ENOTFOUND when there is no such wave. */
int survey_report_wave(const struct domain_ctx *d, int64_t wave_id, struct survey_report_opts *o);

/* Trends across the waves of a survey: per wave, what its report may show
 * (only released answers, the k rules of survey_wave_aggregate); a wave
 * under k (hidden) has shown 0 and no figures, and is left out of the
 * trend. */
struct survey_trend_q {
    char name[48];
    int is_text;
    int64_t n;   /* answers (to a text question: comments) */
    double mean; /* numeric questions */
    int64_t hist[11];
};
struct survey_trend_wave {
    struct store_wave w;
    int64_t invited, answered;
    int shown;
    int64_t responses, left_out;
    int has_enps, has_who5;
    double enps, who5;
    int64_t enps_n;
    struct survey_trend_q q[SURVEY_MAXQ];
    int nq;
};
/* Every wave of flow_id, oldest first; *out malloc'd (free()).
 * BB_ENOTFOUND when it has none. */
int survey_trend(const struct domain_ctx *d, const char *flow_id, int k,
                 struct survey_trend_wave **out, int *n);
/* The trend as CSV into o->out: "wave,start,metric,value" (responses,
 * response_rate_pct, enps, who5.index, QUESTION.n, QUESTION.mean,
 * QUESTION.VALUE counts; a hidden wave one row "suppressed"). */
int survey_trend_csv(const struct domain_ctx *d, const char *flow_id, struct survey_report_opts *o);

/* ---- survey_cli.c ---- */

/* The rows of `bimbing survey` and `bimbing broadcast`. */
extern const struct domain_cmd survey_cmds[];

#endif
