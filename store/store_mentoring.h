/*
 * store_mentoring.h - what the mentor programme keeps: mentor profiles
 * (capacity, active or paused), matching suggestions and their proposed
 * pairs, pairings (active and ended), mentoring sessions, and the open mentor
 * requests of the coaching module when its table exists. Tables: migration 7.
 *
 * Thread rules: as store.h (the thread that owns the struct store). Results
 * go to caller-owned structs; arrays handed out are malloc'd and released
 * with free().
 */
#ifndef STORE_MENTORING_H
#define STORE_MENTORING_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* ---- mentor profiles --------------------------------------------------- */

struct store_mentor_profile {
    int64_t person_id;
    int capacity;   /* how many mentees at once */
    char status[8]; /* "active" or "paused" */
    int64_t updated_at;
};

/* BB_ENOTFOUND when the mentor has no profile row (defaults apply). */
int store_mentor_profile_get(struct store *st, int64_t person_id, struct store_mentor_profile *out);
/* Create or change: capacity < 0 keeps the stored one (default_capacity for
 * a new row), status NULL keeps it ("active" for a new row). */
int store_mentor_profile_put(struct store *st, int64_t person_id, int capacity,
                             int default_capacity, const char *status, int64_t now);

/* ---- people (for building a matching input) ---------------------------- */

/* Every person, by id. *out malloc'd (free()), NULL when *n is 0. */
int store_mentoring_people(struct store *st, struct store_person **out, int *n);

/* ---- mentor requests of the coaching module (table mentor_requests) ----- */

struct store_mentor_request {
    int64_t person_id;
    char tags[256];
};

/* Open requests (status 'open'), oldest first; *n = 0 when the table does
 * not exist in this database. *out malloc'd (free()). */
int store_mentoring_requests(struct store *st, struct store_mentor_request **out, int *n);

/* ---- suggestions and proposed pairs -------------------------------------- */

enum store_proposal_state {
    STORE_PROP_PROPOSED = 0,
    STORE_PROP_APPLIED = 1,
    STORE_PROP_SKIPPED = 2,
    STORE_PROP_REJECTED = 3 /* HR rejected it with a reason: never proposed again */
};

struct store_proposal {
    int64_t suggestion_id;
    int64_t mentee_id, mentor_id;
    int score;
    char reasons[256];
    int state; /* enum store_proposal_state */
};

int store_suggestion_add(struct store *st, const char *unit, int64_t now, int64_t *id_out);
/* The newest suggestion; BB_ENOTFOUND when there is none. */
int store_suggestion_latest(struct store *st, int64_t *id);
/* BB_OK if it exists, else BB_ENOTFOUND. */
int store_suggestion_exists(struct store *st, int64_t id);
int store_proposal_add(struct store *st, const struct store_proposal *p);
/* The proposals of a suggestion, by mentee id. *out malloc'd (free()). */
int store_proposal_list(struct store *st, int64_t suggestion_id, struct store_proposal **out,
                        int *n);
/* Every (mentee, mentor) HR rejected, once each. *out malloc'd. */
int store_proposal_rejected(struct store *st, struct store_proposal **out, int *n);
int store_proposal_set_state(struct store *st, int64_t suggestion_id, int64_t mentee_id, int state);

/* ---- pairings ------------------------------------------------------------ */

struct store_pairing {
    int64_t id;
    int64_t mentee_id, mentor_id;
    int64_t suggestion_id; /* 0 when not from a suggestion */
    char status[8];        /* "active" or "ended" */
    int64_t started_at;
    int64_t ended_at; /* 0 while active */
    char end_reason[256];
    char ended_by[40]; /* "cli", or the NIP of the side that ended it in chat */
    int64_t intro_mentee_at, intro_mentor_at; /* introduction sent, 0 = not yet */
    int64_t nudged_at;                        /* last "time to meet" nudge, 0 = never */
};

/* Start an active pairing; BB_EEXIST when the mentee already has one. */
int store_pairing_add(struct store *st, const struct store_pairing *p, int64_t *id_out);
int store_pairing_by_id(struct store *st, int64_t id, struct store_pairing *out);
/* The mentee's active pairing; BB_ENOTFOUND when none. */
int store_pairing_active_of(struct store *st, int64_t mentee_id, struct store_pairing *out);
/* Active pairings of a mentor (mentor_id 0: every active pairing), oldest
 * first (started_at, then id). *out malloc'd (free()). */
int store_pairing_list_active(struct store *st, int64_t mentor_id, struct store_pairing **out,
                              int *n);
/* Every ended pairing (for "never pair them again"). *out malloc'd. */
int store_pairing_list_ended(struct store *st, struct store_pairing **out, int *n);
int store_pairing_count_active(struct store *st, int64_t mentor_id, int *n);
/* End an active pairing; BB_ENOTFOUND when it is not active. */
int store_pairing_end(struct store *st, int64_t id, int64_t now, const char *reason,
                      const char *ended_by);
/* Programme figures by the mentee's unit (store_mentoring_figures):
 * mentees ever paired, pairings (active, ended), sessions and their
 * minutes, match ratings given and their sum. */
struct store_mfig {
    char unit[128];
    int64_t mentees, pairs, active, sessions, minutes, ratings, rating_sum;
};
/* One row per unit ("" for people without one), by unit. *out malloc'd. */
int store_mentoring_figures(struct store *st, struct store_mfig **out, int *n);

/* The people whose role is mentor, by name, with their profile (capacity
 * default_capacity and "active" without one) and active mentees. */
struct store_mentor_row {
    struct store_person p;
    int capacity, active;
    char status[8];
};
int store_mentor_rows(struct store *st, int default_capacity, struct store_mentor_row **out,
                      int *n);

/* HR shared the end reason with both sides (it stays with HR otherwise). */
int store_pairing_share_reason(struct store *st, int64_t id);
/* which: 0 the mentee's introduction, 1 the mentor's. */
int store_pairing_set_intro(struct store *st, int64_t id, int which, int64_t now);
int store_pairing_set_nudged(struct store *st, int64_t id, int64_t now);
/* Active pairings with an introduction still to send (at most limit). */
int store_pairing_intro_pending(struct store *st, int limit, struct store_pairing **out, int *n);
/* Active pairings that have not met (no session held, nor started) since
 * `before`, and were not nudged since then either (at most limit). */
int store_pairing_quiet(struct store *st, int64_t before, int limit, struct store_pairing **out,
                        int *n);

/* ---- mentoring sessions -------------------------------------------------- */

struct store_msession {
    int64_t id;
    int64_t pairing_id;
    int64_t mentee_id, mentor_id;
    int64_t logged_by; /* person id of the side that logged it */
    char day[11];      /* YYYY-MM-DD */
    int64_t held_at;   /* the day at 12:00 UTC, for ordering and years */
    int minutes;
    char topics[512];
    char next_steps[512];
    int64_t created_at;
};

int store_msession_add(struct store *st, const struct store_msession *m, int64_t *id_out);
/* The session of a pairing on day that the other side logged and nobody
 * has confirmed yet (not logged by person_id): its id and minutes.
 * BB_ENOTFOUND when there is none. */
int store_msession_unconfirmed(struct store *st, int64_t pairing_id, const char *day,
                               int64_t person_id, int64_t *id, int64_t *minutes);
/* person_id confirms session id (logged by the other side): one session. */
int store_msession_confirm(struct store *st, int64_t id, int64_t person_id, int64_t now);
/* Minutes of sessions with the person on either side, held in [from, to). */
int store_msession_minutes(struct store *st, int64_t person_id, int64_t from, int64_t to,
                           int64_t *minutes);
/* For one pairing: how many sessions, their minutes and the newest day
 * ("" when none; day holds 11 bytes). */
int store_msession_stats(struct store *st, int64_t pairing_id, int *count, int64_t *minutes,
                         char day[11]);

/* ---- leaving the programme, and the questions about a pairing ------------ */

/* The person left the programme (BB_OK, *since) or not (BB_ENOTFOUND). */
int store_mentoring_optout_get(struct store *st, int64_t person_id, int64_t *since);
/* Left (reason kept for HR) / back in: idempotent. */
int store_mentoring_optout_set(struct store *st, int64_t person_id, const char *reason,
                               int64_t now);
int store_mentoring_optout_clear(struct store *st, int64_t person_id);

struct store_pcheck {
    int64_t pairing_id, person_id;
    char kind[8]; /* "met" or "rate" */
    int asks;
    int64_t asked_at, next_at, answered_at;
    char answer[16];
    int rating;
    char word[64];
};

/* Sides of active pairings started at or before `before` that have no
 * question of this kind yet (for "met": only pairings with no session
 * logged), at most limit: pairing_id and person_id filled. */
int store_pcheck_new_due(struct store *st, const char *kind, int64_t before, int limit,
                         struct store_pcheck **out, int *n);
/* "Not yet" answers due to be asked again (next_at <= now) whose pairing
 * is still active (at most limit). */
int store_pcheck_again_due(struct store *st, const char *kind, int64_t now, int limit,
                           struct store_pcheck **out, int *n);
/* Ask (a new row with asks 1, or asks + 1 on the existing one): waiting
 * for the answer. */
int store_pcheck_ask(struct store *st, int64_t pairing_id, int64_t person_id, const char *kind,
                     int64_t now);
/* The person's oldest unanswered question of this kind about an active
 * pairing; BB_ENOTFOUND when none. */
int store_pcheck_pending(struct store *st, int64_t person_id, const char *kind,
                         struct store_pcheck *out);
/* Record the answer (next_at 0: not asked again). */
int store_pcheck_answer(struct store *st, int64_t pairing_id, int64_t person_id, const char *kind,
                        const char *answer, int rating, const char *word, int64_t next_at,
                        int64_t now);
/* Match ratings given: count and the number of each rating 1..5 (by[0] is
 * rating 1). */
int store_pcheck_ratings(struct store *st, int64_t *count, int64_t by[5]);
/* People who left the programme, oldest first: person ids, since, reasons
 * (malloc'd arrays of n; free()). */
/* A first message passed through the bot (/sapa) and its one answer. */
/* How many first messages from_id sent in this pairing. */
int store_relay_count(struct store *st, int64_t pairing_id, int64_t from_id, int64_t *n);
int store_relay_add(struct store *st, int64_t pairing_id, int64_t from_id, int64_t to_id,
                    int64_t now);
/* The oldest unanswered first message to to_id in an active pairing:
 * its id and sender; BB_ENOTFOUND when none. */
int store_relay_open_to(struct store *st, int64_t to_id, int64_t *id, int64_t *from_id);
int store_relay_answered(struct store *st, int64_t id, int64_t now);

struct store_optout {
    int64_t person_id, since;
    char reason[256];
};
int store_mentoring_optouts(struct store *st, struct store_optout **out, int *n);

#endif
