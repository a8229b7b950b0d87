/*
 * sched.h - the scheduler: recurring check-ins in each person's local time.
 * A domain module (see bot/core/domain.h). Core thread / CLI only; no state of
 * its own outside the store.
 *
 * For every person we can reach (an identity that is not blocked) who
 * granted consent "data", and for every current flow with a schedule
 * trigger ({"every": "day"|"week"|"month", "day": .., "at": "HH:MM"}), the
 * scheduler keeps exactly one pending timer of kind "flow" (payload: the
 * flow id) at the next occurrence in the person's zone. core_tick turns it
 * into a START event like any other flow timer; the store's sched_plan
 * table (migration 8) says which "flow" timers are the scheduler's. When
 * a planned timer is deleted (it fired, or was removed) a SQL trigger
 * queues the person, and the next tick plans the following occurrence
 * from the current time, so a service that was down for three weeks
 * starts the flow once, not three times. See docs/scheduler.md.
 */
#ifndef SCHED_H
#define SCHED_H

#include <stdint.h>

#include "bot/core/domain.h"
#include "bot/flow/flow.h"
#include "bot/base/tz.h"

extern const struct domain_module sched_module;
/* The row of `bimbing sched` (sched_cli.c). */
extern const struct domain_cmd sched_cmds[];

/* The scheduler's keys in the store's meta table: the signature of the
 * flows' schedule rules, and the re-plan sweep (the last person id
 * re-planned, or "done"). */
#define SCHED_META_SIG   "flows_sig"
#define SCHED_META_SWEEP "sweep"

/* People per transaction, and the work one tick may do before it yields
 * (the rest goes on at the next tick). */
#define SCHED_BATCH     200
#define SCHED_BUDGET_MS 50
/* Zone used when a person's zone is unknown to the system. */
#define SCHED_DEFAULT_TZ "Asia/Jakarta"

/* The first occurrence of a schedule trigger strictly after `after`, in
 * zone z (local wall time; a time skipped by a DST jump lands after the
 * jump, see tz_local_to_utc). BB_EINVAL for a trigger that is not a valid
 * schedule. */
int sched_next(const struct tz *z, const struct flow_trigger *t, int64_t after, int64_t *out);
/* The earliest next occurrence over all of a flow's schedule triggers;
 * BB_ENOTFOUND when it has none. */
int sched_next_flow(const struct tz *z, const struct flow *f, int64_t after, int64_t *out);
/* The flow's schedule rule as text ("week:5:960;" per trigger: every, day,
 * minute of the day), "" when it has none. BB_ELIMIT when n is too small. */
int sched_rule(const struct flow *f, char *out, size_t n);

/* Bring one person's plans in line with the current flows, their zone,
 * reachability and consent, at d->now. *changed (may be NULL): timers
 * created, moved or removed. Runs in the caller's transaction, if any. */
int sched_plan_person(const struct domain_ctx *d, int64_t person_id, int *changed);
/* The periodic work: a full re-plan when the schedule triggers changed
 * (flows reloaded), else only the queued people; at most SCHED_BUDGET_MS
 * of it per call. *did: timers created, moved or removed. */
int sched_tick(const struct domain_ctx *d, int *did);
/* Everything sched_tick would do over as many ticks, now, to the end
 * (`bimbing sched plan`); full = 1 re-plans every person. */
int sched_plan_all(const struct domain_ctx *d, int full, int *did);

#endif
