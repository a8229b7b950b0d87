/*
 * store_survey.h - the store side of pulse surveys and broadcasts
 * (bot/domain/survey/survey.c): survey waves, invitations (participation), anonymous
 * answers, and broadcasts with their bulk outbox insert. Tables of
 * migration 9.
 *
 * Anonymity (see docs/surveys.md): answers are written with no person id
 * and no time into survey_pending, and released into survey_answers k
 * responses of a unit at a time (or all at closing) under fresh random
 * response ids; the answer table is ordered by that id.
 * Participation (who was asked, who answered) lives in survey_invitations,
 * which is reduced to counts per unit when the wave closes.
 *
 * Thread rules: as store.h - one thread at a time per struct store.
 */
#ifndef STORE_SURVEY_H
#define STORE_SURVEY_H

#include <stdint.h>

#include "store/store.h"

/* Who a wave or broadcast goes to (DESIGN §7): everyone, a unit, a role. */
enum store_seg_kind { STORE_SEG_ALL = 0, STORE_SEG_UNIT = 1, STORE_SEG_ROLE = 2 };

/* Out-parameters may be NULL. total: people in the segment; reachable: of
 * them, those with at least one chat identity. */
int store_segment_count(struct store *st, int kind, const char *value, int64_t *total,
                        int64_t *reachable);

/* Of the reachable people of the segment, how many read Indonesian (any
 * language but "en": the Indonesian text) and how many English. */
int store_segment_langs(struct store *st, int kind, const char *value, int64_t *n_id,
                        int64_t *n_en);

struct store_unit_count;
/* The units people belong to (not ""), by name: unit and, in invited, the
 * number of people in it (answered 0). At most STORE_UNITS_MAX; *out
 * malloc'd (free(); NULL for none). The segment check names them. */
#define STORE_UNITS_MAX 10000
int store_segment_units(struct store *st, struct store_unit_count **out, int *n);

/* ---- broadcasts ---------------------------------------------------------- */

/* One transaction: a broadcasts row (with both bodies), one
 * broadcast_pending row per reachable person of the segment (the
 * recipients, *recipients of them), and the messages of the first
 * STORE_BROADCAST_CHUNK of them in the outbox: BULK, on the channel the
 * person was last seen on, body_id for people whose language is not "en",
 * body_en for the others (channel-neutral outbox bodies, {"text":...}),
 * batch_id = the broadcast's id. The rest follow with store_broadcast_fill
 * (the survey module's tick), so queuing costs one small row per person. */
#define STORE_BROADCAST_CHUNK    5000
#define STORE_BROADCAST_LOW      2000 /* top up below this many waiting */
#define STORE_BROADCAST_FILL_MAX 100  /* broadcasts looked at per fill */
int store_broadcast_add(struct store *st, int kind, const char *value, const char *segment,
                        const char *text_id, const char *text_en, const char *body_id,
                        const char *body_en, int64_t due, int64_t now, const char *actor,
                        int64_t *id_out, int64_t *recipients);

/* For each broadcast with recipients still pending (at most
 * STORE_BROADCAST_FILL_MAX): when fewer than `low` of its messages are
 * queued or sending, move the next `chunk` recipients' messages into the
 * outbox, one transaction each (those without a chat by now are dropped).
 * *moved: recipients taken off pending. */
int store_broadcast_fill(struct store *st, int64_t now, int low, int chunk, int *moved);

/* Messages of a batch by state: counts[enum store_out_state], 7 items; a
 * broadcast's pending recipients count as queued. */
int store_batch_status(struct store *st, int64_t batch_id, int64_t counts[7]);

struct store_broadcast {
    int64_t id;
    char segment[160];
    int64_t due, recipients, created_at;
    char actor[64];
    int64_t cancelled_at; /* 0 while not cancelled */
    int64_t dropped;      /* queued messages dropped by the cancel */
    char cancelled_by[64];
    char preview[404]; /* store_broadcast_list only: the first 100 characters of text_id */
};
int store_broadcast_get(struct store *st, int64_t id, struct store_broadcast *out);
/* Both texts of a broadcast (each at most n bytes, cut at a character). */
int store_broadcast_texts(struct store *st, int64_t id, char *text_id, char *text_en, size_t n);
/* Cancel a broadcast: its messages still queued (not handed to a channel)
 * are deleted and the broadcast marked cancelled, in one transaction;
 * *dropped = how many. BB_ENOTFOUND: no such broadcast; BB_EEXIST: it was
 * cancelled already, or nothing of it is left queued (all sent). */
int store_broadcast_cancel(struct store *st, int64_t id, int64_t now, const char *actor,
                           int64_t *dropped);
/* The newest broadcasts first, at most limit (1..1000). *out is malloc'd
 * (free()). */
int store_broadcast_list(struct store *st, int limit, struct store_broadcast **out, int *n);

/* ---- waves --------------------------------------------------------------- */

struct store_wave {
    int64_t id;
    char flow_id[48];
    char segment[160];
    int64_t start_at, close_at, remind_at; /* remind_at 0: no reminder */
    int reminded, closed;
    int64_t invited;
    int64_t created_at;
    char actor[64];
    int64_t series_id; /* the recurring series it belongs to; 0: none */
};

/* One transaction: the wave row, an invitation per reachable person of the
 * segment (with their unit), and a "flow" timer per invitee that starts
 * w->flow_id: the first at start_at, then `pace` per second (pace >= 1) so
 * that first questions trickle out instead of flooding the live queue.
 * w->id and w->invited are filled in. */
int store_wave_add(struct store *st, struct store_wave *w, int kind, const char *value, int pace);
int store_wave_get(struct store *st, int64_t id, struct store_wave *out);
/* Waves of a flow (all flows when flow_id is NULL), oldest first. *out is
 * malloc'd (free()). */
int store_wave_list(struct store *st, const char *flow_id, struct store_wave **out, int *n);
/* Open waves due for their reminder (remind_at <= now, not reminded) or
 * for closing (close_at <= now). Ids, malloc'd (free()). */
int store_wave_due_remind(struct store *st, int64_t now, int64_t **ids, int *n);
int store_wave_due_close(struct store *st, int64_t now, int64_t **ids, int *n);
int store_wave_set_reminded(struct store *st, int64_t wave_id);

/* An invitee who has not answered yet. */
struct store_invitee {
    int64_t person_id;
    int in_flow;   /* their session is inside the wave's flow right now */
    int has_timer; /* a "flow" timer for the wave's flow is still pending */
};
/* Unanswered invitees of a wave. *out malloc'd (free()). */
int store_wave_unanswered(struct store *st, int64_t wave_id, struct store_invitee **out, int *n);

/* Close a wave, inside the caller's transaction (or its own): remove the
 * pending start timers of the flow for unanswered invitees, scrub the
 * conversation traces of every invitee since start_at (as
 * store_survey_answer does), release every pending answer of the wave,
 * turn invitations into counts per unit, delete them, mark the wave
 * closed. */
int store_wave_finish(struct store *st, int64_t wave_id, int64_t now);

/* ---- answers ------------------------------------------------------------- */

/* The oldest open wave of flow_id in which the person is invited and has not
 * answered: its id, and the unit to store with the answers ("" when fewer
 * than k people of the person's unit were invited). BB_ENOTFOUND if none. */
int store_survey_open_invitation(struct store *st, int64_t person_id, const char *flow_id, int k,
                                 int64_t *wave_id, char *unit, size_t n);

struct store_answer {
    char question[48];
    int has_num; /* num holds the value; else txt */
    double num;
    const char *txt; /* borrowed */
};
/* One transaction: mark the invitation answered (BB_EEXIST when it was
 * already) and write the answers into survey_pending under a fresh random
 * pending id, with no person id and no time (na 0: one marker row, so the
 * response counts). When the wave's bucket for this unit then holds k
 * pending responses, the bucket is released into survey_answers in the
 * same transaction: fresh random response ids, random order, pending rows
 * deleted. In the same transaction the conversation's traces are blanked:
 * the text and button payload of the person's messages since the wave
 * started (processed ones, and unprocessed ones up to the inbox event
 * upto_event - the core's running batch; 0 for none), the labels echoed in
 * "answered" notices (queued or sent), and the session's variables when it
 * is idle. No answer time is stored anywhere; the -wal file is truncated
 * after the commit. */
int store_survey_answer(struct store *st, int64_t wave_id, int64_t person_id, const char *unit,
                        const struct store_answer *a, int na, int k, int64_t now,
                        int64_t upto_event);

/* Flow ids (space separated, with a space before and after each: " a b ")
 * of the open waves where the person has an unanswered invitation. */
int store_survey_person_open(struct store *st, int64_t person_id, char *out, size_t n);

/* ---- reports --------------------------------------------------------------- */

struct store_unit_count {
    char unit[128];
    int64_t invited, answered;
};
/* Participation of a wave per unit. Closed: the counts kept at closing.
 * Open: invited from the invitations, answered from the released responses
 * that reports show (store_wave_answers: so it moves in steps of k like
 * the answers, one step behind); units with fewer than
 * k invited show 0 answered, and their released responses (stored without
 * a unit) are one row '' with 0 invited. *out malloc'd (free()). */
int store_wave_units(struct store *st, int64_t wave_id, int k, struct store_unit_count **out,
                     int *n);

struct store_answer_row {
    const char *response; /* valid during the callback only */
    const char *unit;
    const char *question;
    int has_num;
    double num;
    const char *txt; /* NULL when numeric */
};
/* The answer rows a report of the wave may use, grouped by response (rows
 * of one response are consecutive): every released row of a closed wave;
 * of an open wave, those of each unit's steps but the latest, so that the
 * final report differs from any open one by a whole step (k answers) or
 * more. fn returns BB_OK to go on. */
int store_wave_answers(struct store *st, int64_t wave_id,
                       int (*fn)(void *ctx, const struct store_answer_row *r), void *ctx);

/* ---- recurring series (store_series.c) ----------------------------------- */

/* A recurring pulse: a wave of flow_id to segment every every_weeks weeks,
 * the next one starting at next_at, each open for open_for seconds with a
 * reminder remind_after seconds after its start (0: none); stopped_at 0
 * while it runs. */
struct store_series {
    int64_t id;
    char flow_id[48];
    char segment[160];
    int every_weeks;
    int64_t next_at, open_for, remind_after, stopped_at, created_at;
    char actor[64];
};
/* s->id is filled in. BB_EINVAL for an empty flow or segment, every_weeks
 * outside 1..52 or open_for <= 0. */
int store_series_add(struct store *st, struct store_series *s);
int store_series_get(struct store *st, int64_t id, struct store_series *out);
/* Every series (flow_id NULL) or those of one flow, oldest first; *out
 * malloc'd (free()). */
int store_series_list(struct store *st, const char *flow_id, struct store_series **out, int *n);
/* Running series whose next wave is due (next_at <= now). */
int store_series_due(struct store *st, int64_t now, struct store_series **out, int *n);
/* The next wave's start moves to next_at. */
int store_series_set_next(struct store *st, int64_t id, int64_t next_at);
/* Stop a series (no more waves; those sent stay as they are). BB_ENOTFOUND
 * when there is no such series, BB_EEXIST when it was stopped already. */
int store_series_stop(struct store *st, int64_t id, int64_t now);

#endif
