/*
 * survey_series.c - waves over time: a wave scheduled with a start, a
 * reminder and a close moved into the instance's working time
 * (bot/core/worktime.c), recurring pulses (a series starts a new wave every
 * N weeks until it is stopped; the module's tick starts them) and closing a
 * wave now with the actor in the audit log. Shared by the CLI
 * (survey_cli.c) and the dashboard's API (survey_api.c) through
 * survey_int.h.
 *
 * Thread rules: core thread / CLI only; no global mutable state.
 */
#include "bot/domain/survey/survey_int.h"
#include "bot/core/core.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define SERIES_CATCHUP_MAX 520 /* periods skipped at most when a series was not ticked */

int survey_work_shift(const struct domain_ctx *d, int64_t t, int64_t *out)
{
    struct store_person nobody;
    *out = t;
    if (!d->core || !core_work_on(d->core))
        return BB_OK;
    /* nobody: the instance's working week in its default zone (WIB) */
    memset(&nobody, 0, sizeof(nobody));
    return core_work_next(d->core, &nobody, t, out);
}

/* Move the times of a wave into working time: a start in the future (a
 * start of now goes now: HR asked for it), the reminder (as far after the
 * start as asked) and the close.
 * BB_EINVAL with err when the wave would then close before it starts or
 * be reminded after it closes (strict: a refusal; else the reminder is
 * dropped). */
static int shift_times(const struct domain_ctx *d, int64_t *at, int64_t *close_at,
                       int64_t *remind_at, int strict, char err[SURVEY_ERR_MAX])
{
    int64_t asked = *at;
    int rc = BB_OK;
    if (*at > d->now)
        rc = survey_work_shift(d, *at, at);
    if (rc == BB_OK)
        rc = survey_work_shift(d, *close_at, close_at);
    /* the reminder keeps its distance from a start that moved */
    if (rc == BB_OK && *remind_at)
        rc = survey_work_shift(d, *remind_at + (*at - asked), remind_at);
    if (rc != BB_OK)
        return rc;
    if (*close_at <= *at) {
        bb_snprintf(err, SURVEY_ERR_MAX,
                    "the wave must close after it starts (in working time, the start moves to "
                    "the next working hour)");
        return BB_EINVAL;
    }
    if (*remind_at && (*remind_at <= *at || *remind_at >= *close_at)) {
        if (strict) {
            bb_snprintf(err, SURVEY_ERR_MAX,
                        "the reminder must fall between the start and the close (in working time)");
            return BB_EINVAL;
        }
        *remind_at = 0;
    }
    return BB_OK;
}

int survey_schedule(const struct domain_ctx *d, const struct survey_plan *p, const char *actor,
                    struct store_wave *w, int64_t *series_id, int64_t *unlinked,
                    char err[SURVEY_ERR_MAX])
{
    int64_t at = p->at, close_at = p->close_at, remind_at = p->remind_at;
    struct store_series s;
    struct people_segment seg;
    char detail[256];
    int rc;
    err[0] = '\0';
    *series_id = 0;
    if (p->every_weeks < 0 || p->every_weeks > SURVEY_EVERY_MAX) {
        bb_snprintf(err, SURVEY_ERR_MAX, "a series repeats every 1 to %d weeks", SURVEY_EVERY_MAX);
        return BB_EINVAL;
    }
    if (close_at <= at || (remind_at && (remind_at <= at || remind_at >= close_at))) {
        bb_snprintf(err, SURVEY_ERR_MAX,
                    close_at <= at ? "the wave must close after it starts"
                                   : "the reminder must fall between the start and the close");
        return BB_EINVAL;
    }
    if (p->every_weeks && close_at - at > (int64_t)p->every_weeks * 7 * 86400) {
        bb_snprintf(err, SURVEY_ERR_MAX,
                    "a wave of the series must close before the next one starts");
        return BB_EINVAL;
    }
    if ((rc = people_segment_resolve(d->st, p->to, &seg)) != BB_OK) {
        if (rc == BB_EINVAL)
            bb_strlcpy(err, seg.msg, SURVEY_ERR_MAX);
        return rc;
    }
    if ((rc = shift_times(d, &at, &close_at, &remind_at, 1, err)) != BB_OK)
        return rc;
    if ((rc = store_begin(d->st)) != BB_OK)
        return rc;
    if (p->every_weeks) {
        memset(&s, 0, sizeof(s));
        bb_strlcpy(s.flow_id, p->flow_id, sizeof(s.flow_id));
        bb_strlcpy(s.segment, seg.spec, sizeof(s.segment));
        bb_strlcpy(s.actor, actor, sizeof(s.actor));
        s.every_weeks = p->every_weeks;
        /* the next waves count from the start as asked, not as shifted */
        s.next_at = p->at + (int64_t)p->every_weeks * 7 * 86400;
        s.open_for = p->close_at - p->at;
        s.remind_after = p->remind_at ? p->remind_at - p->at : 0;
        s.created_at = d->now;
        rc = store_series_add(d->st, &s);
        if (rc == BB_OK)
            *series_id = s.id;
    }
    if (rc == BB_OK)
        rc = survey_wave_send_in(d, p->flow_id, seg.spec, at, close_at, remind_at, SURVEY_PACE,
                                 actor, *series_id, w, unlinked, err);
    if (rc == BB_OK && *series_id) {
        bb_snprintf(detail, sizeof(detail),
                    "series %" PRId64 " of %s to %s: every %d week(s), first wave %" PRId64,
                    *series_id, p->flow_id, w->segment, p->every_weeks, w->id);
        rc = store_audit(d->st, actor, "survey.series", 0, detail, d->now);
    }
    if (rc != BB_OK) {
        store_rollback(d->st);
        *series_id = 0; /* rolled back with everything else */
        return rc;
    }
    return store_commit(d->st);
}

int survey_series_stop(const struct domain_ctx *d, int64_t id, const char *actor,
                       char err[SURVEY_ERR_MAX])
{
    char detail[64];
    int rc;
    err[0] = '\0';
    if ((rc = store_begin(d->st)) != BB_OK)
        return rc;
    rc = store_series_stop(d->st, id, d->now);
    if (rc == BB_ENOTFOUND)
        bb_snprintf(err, SURVEY_ERR_MAX, "no series %" PRId64, id);
    else if (rc == BB_EEXIST)
        bb_snprintf(err, SURVEY_ERR_MAX, "series %" PRId64 " was stopped already", id);
    if (rc == BB_OK) {
        bb_snprintf(detail, sizeof(detail), "series %" PRId64 " stopped", id);
        rc = store_audit(d->st, actor, "survey.series.stop", 0, detail, d->now);
    }
    if (rc != BB_OK) {
        store_rollback(d->st);
        return rc;
    }
    return store_commit(d->st);
}

int survey_wave_close_now(const struct domain_ctx *d, int64_t wave_id, const char *actor,
                          char err[SURVEY_ERR_MAX])
{
    struct store_wave w;
    char detail[64];
    int did = 0, rc;
    err[0] = '\0';
    rc = store_wave_get(d->st, wave_id, &w);
    if (rc == BB_ENOTFOUND || (rc == BB_OK && w.closed)) {
        bb_snprintf(err, SURVEY_ERR_MAX, "no open wave %" PRId64, wave_id);
        return rc == BB_OK ? BB_EEXIST : rc;
    }
    if (rc != BB_OK)
        return rc;
    if ((rc = store_begin(d->st)) != BB_OK)
        return rc;
    rc = survey_close_wave(d, wave_id, &did);
    if (rc == BB_OK) {
        bb_snprintf(detail, sizeof(detail), "wave %" PRId64 " closed early", wave_id);
        rc = store_audit(d->st, actor, "survey.close", 0, detail, d->now);
    }
    if (rc != BB_OK) {
        store_rollback(d->st);
        return rc;
    }
    return store_commit(d->st);
}

/* One due series: its next wave (the reminder dropped when working time
 * pushes it past the close), then the next start a whole number of
 * periods later, after now (a service that was down skips the periods it
 * missed instead of sending them all at once). */
static int series_fire(const struct domain_ctx *d, const struct store_series *s, int *did)
{
    struct store_wave w;
    int64_t period = (int64_t)s->every_weeks * 7 * 86400, next = s->next_at, unlinked = 0;
    int64_t at = s->next_at > d->now ? s->next_at : d->now;
    int64_t close_at = at + s->open_for, remind_at = s->remind_after ? at + s->remind_after : 0;
    char err[SURVEY_ERR_MAX] = "", detail[SURVEY_ERR_MAX + 64];
    int rc, sent;
    if (period <= 0)
        return BB_EINVAL; /* the table's CHECK keeps every_weeks in 1..52 */
    for (int i = 0; i < SERIES_CATCHUP_MAX && next <= d->now; i++)
        next += period;
    if ((rc = store_begin(d->st)) != BB_OK)
        return rc;
    rc = shift_times(d, &at, &close_at, &remind_at, 0, err);
    if (rc == BB_OK)
        rc = survey_wave_send_in(d, s->flow_id, s->segment, at, close_at, remind_at, SURVEY_PACE,
                                 s->actor, s->id, &w, &unlinked, err);
    sent = rc == BB_OK;
    if (rc == BB_EINVAL || rc == BB_ENOTFOUND) {
        /* the segment or flow is gone: this period is skipped, said in the
         * audit log; the series goes on */
        bb_log(BB_LOG_WARN, "survey", "series %" PRId64 ": no wave this time: %s", s->id, err);
        bb_snprintf(detail, sizeof(detail), "series %" PRId64 ": no wave: %s", s->id, err);
        rc = store_audit(d->st, "system", "survey.series.skip", 0, detail, d->now);
    }
    if (rc == BB_OK)
        rc = store_series_set_next(d->st, s->id, next);
    if (rc != BB_OK) {
        store_rollback(d->st);
        return rc;
    }
    if ((rc = store_commit(d->st)) == BB_OK && sent)
        (*did)++;
    return rc;
}

int survey_series_tick(const struct domain_ctx *d, int *did)
{
    struct store_series *s = NULL;
    int n = 0, rc = store_series_due(d->st, d->now, &s, &n);
    for (int i = 0; rc == BB_OK && i < n; i++)
        rc = series_fire(d, &s[i], did);
    free(s);
    return rc;
}
