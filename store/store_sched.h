/*
 * store_sched.h - the scheduler's rows (migration 8): each person's planned
 * occurrence of each flow with a schedule trigger (sched_plan, one "flow"
 * timer each), the queue of people whose plans need a look (sched_dirty,
 * filled by SQL triggers when a consent, an identity, a zone or a planned
 * timer changes), and a few named values (sched_meta).
 *
 * Same thread rules and error codes as store.h (one thread at a time per
 * struct store; BB_ENOTFOUND for a missing row). Strings are copied into
 * bounded fields; a value too long for its field is BB_EINVAL.
 */
#ifndef STORE_SCHED_H
#define STORE_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct store_sched_plan {
    int64_t person_id;
    char flow_id[64];
    int64_t timer_id; /* the "flow" timer carrying it; 0 once it fired or was removed */
    int64_t due;      /* the occurrence planned (the last one, when detached) */
    char rule[256];   /* the flow's schedule rule it was planned from */
    char tz[48];      /* the person's zone it was planned in */
};

/* What planning needs to know about a person. */
struct store_sched_person {
    int64_t id;
    char tz[48];
    int reachable; /* has an identity that is not blocked */
    int consent;   /* consent "data": -1 never asked, 0 withdrawn/refused, 1 granted */
};

/* Named values. get: BB_ENOTFOUND when unset. */
int store_sched_meta_get(struct store *st, const char *key, char *val, size_t n);
int store_sched_meta_set(struct store *st, const char *key, const char *val);

/* The person; BB_ENOTFOUND when there is no such person. */
int store_sched_person(struct store *st, int64_t person_id, struct store_sched_person *out);
/* Up to max person ids after `after`, in id order (the re-plan sweep). */
int store_sched_people_after(struct store *st, int64_t after, int max, int64_t *ids, int *n);

/* The queue: up to max queued person ids (lowest first); remove one. */
int store_sched_dirty_next(struct store *st, int max, int64_t *ids, int *n);
int store_sched_dirty_done(struct store *st, int64_t person_id);
/* Queue a person (no error if queued already or unknown). */
int store_sched_dirty_add(struct store *st, int64_t person_id);

/* The person's plans, in flow id order; at most max (*n how many). */
int store_sched_plans_of(struct store *st, int64_t person_id, struct store_sched_plan *out, int max,
                         int *n);
/* Insert or replace a plan. */
int store_sched_plan_put(struct store *st, const struct store_sched_plan *p);
/* Forget a plan and remove its pending timer, if any. */
int store_sched_plan_drop(struct store *st, int64_t person_id, const char *flow_id);
/* Create the "flow" timer for a plan (payload = flow id): *timer_id. */
int store_sched_timer_add(struct store *st, int64_t person_id, const char *flow_id, int64_t due,
                          int64_t *timer_id);
/* Move a planned timer; BB_ENOTFOUND when it is gone. */
int store_sched_timer_move(struct store *st, int64_t timer_id, int64_t due);

struct store_sched_counts {
    int64_t plans;    /* rows in sched_plan */
    int64_t pending;  /* with a timer */
    int64_t overdue;  /* with a timer due at or before `now` */
    int64_t dirty;    /* people queued */
    int64_t next_due; /* earliest pending occurrence, 0 if none */
};
int store_sched_counts(struct store *st, int64_t now, struct store_sched_counts *out);

#endif
