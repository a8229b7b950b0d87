/*
 * core.h - the core stage: takes events from the inbox in batches and, in
 * one transaction per batch, runs each person's flow one step, records what
 * the step produced, and queues replies in the outbox. Also turns due timers
 * into inbox events, and registers new people by invite code
 * (bot/core/register.h).
 *
 *   ingress --store_inbox_add--> inbox --core_process--> outbox --> egress
 *
 * Thread rules: core thread only (it uses the writing store connection).
 * The core borrows the store and the flow library; main owns both.
 */
#ifndef CORE_H
#define CORE_H

#include <stdint.h>

#include "bot/core/register.h"
#include "bot/core/worktime.h"
#include "bot/flow/flow.h"
#include "store/store.h"
#include "store/store_work.h"

struct core;

#define CORE_STAT_CHANNELS 8
struct core_stats {
    struct {
        char channel[16]; /* "" for internal events (timers, HR sends) */
        int64_t events;
    } in[CORE_STAT_CHANNELS]; /* inbox events processed, per channel */
    int64_t events;           /* inbox events processed */
    int64_t replies;          /* outbox messages queued */
    int64_t errors;           /* events that ended in an engine or store error */
    int64_t unknown;          /* events from people we do not know */
};

/* modules: the modules whose actions, person fields and ticks the core
 * runs (NULL-terminated, borrowed; the composition root passes
 * domain_modules). NULL: none, not even the core's own actions. */
struct domain_module;
int core_new(struct store *st, struct flow_lib *lib, const struct domain_module *const *modules,
             struct core **out);
void core_free(struct core *c);

/* Process up to max inbox events in one transaction. *n (may be NULL) gets
 * how many were processed. On a store error the batch is rolled back and
 * the events stay in the inbox for the next call. */
int core_process(struct core *c, int max, int *n);
/* Process until the inbox is empty (batches of `batch`). */
int core_drain(struct core *c, int batch, int *n);

/* Move timers due at `now` into the inbox (one transaction). *n fired. */
int core_tick(struct core *c, int64_t now, int *n);

/* Make an invite for a person (reg_invite, bot/core/register.h): a
 * one-time code (stored hashed) valid for ttl seconds. code must hold
 * CORE_CODE_LEN + 1 bytes. */
#define CORE_CODE_LEN REG_CODE_LEN
int core_invite(struct core *c, int64_t person_id, int64_t ttl, char *code, size_t n);

void core_get_stats(const struct core *c, struct core_stats *s);

/* The module list the core was made with. */
const struct domain_module *const *core_modules(const struct core *c);

/* Run every module's periodic work (its tick) as of `now`, in list order;
 * *did (may be NULL) sums their work. Stops at the first error. */
int core_modules_tick(struct core *c, int64_t now, int *did);

/* A time zone's UTC offset at `now`, in seconds (WIB when the zone is
 * unknown or empty); zones are cached by the core. */
int core_tz_offset(struct core *c, const char *tzname, int64_t now);

/* What the core needs to know of a channel, set by the program for every
 * channel it has (adapters/service/channels.c) before events are processed. A
 * channel never set has none of these abilities. */
#define CORE_MAX_CHANNELS 8
struct core_chan_caps {
    int edits_sent; /* can change what it sent: queue "answered"/"stale" notices */
};
/* BB_ELIMIT when CORE_MAX_CHANNELS are set already; setting one again
 * replaces it. */
int core_set_channel_caps(struct core *c, const char *channel, const struct core_chan_caps *caps);

/* The configuration domain modules see (defaults until set). Borrowed. */
struct config;
void core_set_config(struct core *c, const struct config *cfg);

/* For domain modules (bot/core/domain.h), inside or outside a core batch:
 * queue text for a person on the channel they last wrote from, in their
 * language (text[0] Indonesian, text[1] English; NULL falls back to the
 * other). prio is enum store_out_prio; batch_id ties it to a broadcast or
 * survey wave (0 for none). BB_ENOTFOUND when the person has no channel. */
int core_send_text(struct core *c, int64_t person_id, const char *const text[2], int prio,
                   int64_t batch_id);
/* The same with choices: body is a channel-neutral outbox body
 * ({"text":..,"choices":[..]}), already in the person's language. */
int core_send_body(struct core *c, int64_t person_id, const char *body_json, int prio,
                   int64_t batch_id);
/* Start flow_id for the person at `due` (now or later): a stored timer, so
 * it survives restarts; a conversation already running defers it. */
int core_start_flow(struct core *c, int64_t person_id, const char *flow_id, int64_t due);
/* The same as a start the bot planned itself (a follow-up, a snooze): kind
 * "later", held to the person's working time when it comes due. */
int core_start_later(struct core *c, int64_t person_id, const char *flow_id, int64_t due);

/* Working time (bot/core/worktime.h; docs/coaching.md). def: the
 * instance's working week (copied), NULL to turn working time off (the
 * default: every timer fires when due); hol: the holidays (borrowed, may be
 * NULL). When on, core_tick moves reminders, expiry notes, recurring
 * starts and "later" starts to the person's next working slot, and drops
 * reminders and recurring starts while the person is on leave. */
void core_set_work(struct core *c, const struct work_hours *def, const struct work_holidays *hol);
int core_work_on(const struct core *c);
/* A person's working time: their hours (or the instance's), zone,
 * holidays and leave. */
struct core_work {
    struct work_hours hours;
    const struct tz *zone;
    const struct work_holidays *holidays;
    int64_t leave_until; /* last day of leave (day number), or STORE_WORK_NO_LEAVE */
};
int core_work_of(struct core *c, const struct store_person *p, struct core_work *w);
/* The first instant at or after t in p's working time (after their leave
 * when it is on at t); t itself when working time is off. */
int core_work_next(struct core *c, const struct store_person *p, int64_t t, int64_t *out);
/* A zone by name, Asia/Jakarta when unknown (cached by the core). */
const struct tz *core_person_zone(struct core *c, const char *tzname);

/* Open a handoff to a counsellor for p (bot/core/handoff.h) and tell them
 * on the channel they last wrote from; one already open is kept (they are
 * reminded). For the flow action "handoff". */
int core_handoff_open(struct core *c, const struct store_person *p, const char *reason,
                      int64_t now);

/* The distress screen (bot/core/safety.h), borrowed; NULL (the default)
 * screens nothing. Set once before processing. */
struct safety;
void core_set_safety(struct core *c, const struct safety *s);

/* Bilingual texts the core itself sends (not from a flow): Indonesian
 * first, English first, Indonesian first in the casual register (index with
 * SAPAAN_LI, bot/base/sapaan.h). */
extern const char *const core_text_unknown_user[3];

#endif
