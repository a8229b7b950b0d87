/*
 * store_coaching.h - the coaching module's rows (migration 6): wellbeing
 * (WHO-5), GROW sessions, development goals, learning activities (JP),
 * BerAKHLAK reflections, feedback requests and feedback, mentor requests.
 *
 * Same thread rules and error codes as store.h (one thread at a time per
 * struct store; BB_ENOTFOUND for a missing row). Strings are copied in and
 * out of bounded fields; longer input is refused with BB_EINVAL.
 *
 * Tables (all rows name a person and are covered by export and forget):
 *   wellbeing(person_id, at, day 'YYYY-MM-DD' local, raw 0..25, items
 *             "a,b,c,d,e" each 0..5, alerted 0/1) - health data: its own
 *             table, read by nothing but export;
 *   grow_sessions(person_id, at, goal, reality, options, will, confidence
 *             1..10, followup_day, followup_at, progress, followup_note);
 *   dev_goals(person_id, at, comp_group manajerial|sosial_kultural|teknis,
 *             competency, goal, due, status open|done, done_at);
 *   learning_log(person_id, at, day local, title, kind, minutes);
 *   reflections(person_id, at, week 'YYYY-Www', value key, rating 1..5,
 *             example);
 *   feedback_requests(asker_id, giver_id, topic, status asked|answered,
 *             created_at, answered_at);
 *   feedback(to_person, giver_id NULL when anonymous, day, topic, went_well,
 *             better, anonymous) - no link to its request, and only the day,
 *             so an anonymous text cannot be joined back to its giver;
 *   mentor_requests - FOR THE MENTORING MODULE (matching reads it):
 *             id, person_id, tags (lower case, comma-separated, no spaces
 *             around commas, e.g. "kepemimpinan,analisis data"), traits
 *             (free text), created_at, updated_at, status: 'open' (waiting
 *             for a match), 'matched' (a pairing was made), 'closed'
 *             (withdrawn). At most one 'open' row per person: a new request
 *             replaces the open one. Matching sets the status with
 *             store_coaching_mentor_request_set_status().
 *
 * JP hook: the view jp_sources(person_id, day 'YYYY-MM-DD', minutes, source)
 * is what the yearly JP progress sums. Migration 6 defines it over
 * learning_log only. When mentoring sessions get a table, a later migration
 * recreates it with a second source, e.g.
 *     DROP VIEW jp_sources;
 *     CREATE VIEW jp_sources(person_id, day, minutes, source) AS
 *       SELECT person_id, day, minutes, 'learning' FROM learning_log
 *       UNION ALL SELECT mentee_id, day, minutes, 'mentoring' FROM <sessions>;
 * and /jp, person.jp_year and export count those minutes with no code change.
 */
#ifndef STORE_COACHING_H
#define STORE_COACHING_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_COACHING_TEXT 2100 /* longest stored free text, bytes + 1 */

/* ---- wellbeing ---------------------------------------------------------- */
/* items: five answers 0..5; raw is computed here. BB_EINVAL for an item out
 * of range or a bad day. */
int store_coaching_wellbeing_add(struct store *st, int64_t person_id, int64_t at, const char *day,
                                 const int items[5], int64_t *id_out);
int store_coaching_wellbeing_set_alerted(struct store *st, int64_t id);
/* People to tell (by id) that a person may need support: HR people of the
 * same unit, else HR people of any unit; never the person. Up to max ids in
 * ids (ordered by id), *n how many. (When pairings exist the mentoring
 * module's mentor lookup should be asked first; see bot/domain/coaching/coaching.c.) */
int store_coaching_alert_recipients(struct store *st, int64_t person_id, int64_t *ids, int max,
                                    int *n);

/* ---- GROW --------------------------------------------------------------- */
struct store_grow {
    int64_t id;
    int64_t person_id;
    int64_t at;
    char goal[STORE_COACHING_TEXT];
    char reality[STORE_COACHING_TEXT];
    char options[STORE_COACHING_TEXT];
    char will[STORE_COACHING_TEXT];
    int confidence;                  /* 1..10 */
    char followup_day[16];           /* "YYYY-MM-DD" or "" */
    char boost[STORE_COACHING_TEXT]; /* what would raise the confidence, "" if not asked */
};
int store_coaching_grow_add(struct store *st, const struct store_grow *g, int64_t *id_out);
/* The follow-up of the person's session that is due (store_coaching_summary's
 * grow_goal: not followed up yet, follow-up day on or before today, the most
 * recent such day first; else the newest not followed up). today is the
 * person's local "YYYY-MM-DD". BB_ENOTFOUND when none is waiting. */
int store_coaching_grow_followup(struct store *st, int64_t person_id, int64_t at, const char *today,
                                 const char *progress, const char *note);

/* ---- development goals and learning ------------------------------------ */
int store_coaching_goal_add(struct store *st, int64_t person_id, int64_t at, const char *group,
                            const char *competency, const char *goal, const char *due,
                            int64_t *id_out);
/* minutes 1..1440. */
int store_coaching_learning_add(struct store *st, int64_t person_id, int64_t at, const char *day,
                                const char *title, const char *kind, int minutes, int64_t *id_out);
/* Minutes in jp_sources for the person with from <= day < to (dates). */
int store_coaching_jp_minutes(struct store *st, int64_t person_id, const char *from, const char *to,
                              int64_t *minutes);

/* ---- reflections -------------------------------------------------------- */
int store_coaching_reflection_add(struct store *st, int64_t person_id, int64_t at, const char *week,
                                  const char *value, int rating, const char *example,
                                  int64_t *id_out);

/* ---- feedback ----------------------------------------------------------- */
/* People of the unit (any unit when unit is "") whose name contains `name` (case-insensitive for
 * ASCII; % and _ are literal), not the asker; up to max in out, *n how many (max + 1 found means
 * "more than max": *n is max + 1 and out holds max). An exact (case-insensitive) name match comes
 * first. */
int store_coaching_find_colleagues(struct store *st, int64_t asker_id, const char *unit,
                                   const char *name, struct store_person *out, int max, int *n);
/* BB_EEXIST when the asker already has a request waiting with that giver
 * (one declined, expired or answered may be asked again). */
int store_coaching_feedback_ask(struct store *st, int64_t asker_id, int64_t giver_id,
                                const char *topic, int64_t now, int64_t *id_out);
struct store_feedback_req {
    int64_t id;
    int64_t asker_id;
    int64_t giver_id;
    char topic[STORE_COACHING_TEXT];
    char status[16];
};
int store_coaching_feedback_req(struct store *st, int64_t id, struct store_feedback_req *out);
/* The oldest request still waiting for the giver; BB_ENOTFOUND if none. */
int store_coaching_feedback_pending(struct store *st, int64_t giver_id,
                                    struct store_feedback_req *out);
/* Close request id if it is still 'asked': status "declined" (the giver
 * said no) or "expired" (unanswered for too long). BB_ENOTFOUND when it was
 * not waiting any more. */
int store_coaching_feedback_close(struct store *st, int64_t id, const char *status, int64_t now);
/* The asker's oldest request still 'asked' that was made before `before`,
 * for the expiry; BB_ENOTFOUND when there is none. */
int store_coaching_feedback_overdue(struct store *st, int64_t asker_id, int64_t before,
                                    struct store_feedback_req *out);
/* Store the answer to request req (it must be 'asked' and for giver_id:
 * else BB_ENOTFOUND) and mark the request answered, in one transaction. An
 * anonymous feedback row keeps no giver and no request id. */
int store_coaching_feedback_give(struct store *st, int64_t req, int64_t giver_id, const char *day,
                                 const char *went_well, const char *better, int anonymous,
                                 int64_t now);

/* ---- mentor requests (read by the mentoring module) ---------------------- */
/* Replace the person's open request, or add one. */
int store_coaching_mentor_request(struct store *st, int64_t person_id, const char *tags,
                                  const char *traits, int64_t now, int64_t *id_out);
/* status: open, matched or closed. */
int store_coaching_mentor_request_set_status(struct store *st, int64_t id, const char *status,
                                             int64_t now);

/* ---- the person's summary (person fields, /jp) --------------------------- */
struct store_coaching_summary {
    int64_t jp_minutes; /* this year's minutes in jp_sources */
    int goals_open;
    int mentor_request_open;
    char grow_goal[STORE_COACHING_TEXT]; /* the GROW goal due for follow-up, "" if none */
    int64_t feedback_req;                /* oldest request waiting for them, 0 if none */
    char feedback_from[128];             /* its asker's name */
    char feedback_topic[STORE_COACHING_TEXT];
    int feedback_asked; /* how many people its asker asked, from 30 days before it on */
};
/* year_from, year_to: "YYYY-01-01" and the next year's; today: the person's
 * local "YYYY-MM-DD" (which GROW goal is due). */
int store_coaching_summary(struct store *st, int64_t person_id, const char *year_from,
                           const char *year_to, const char *today,
                           struct store_coaching_summary *out);

#endif
