/*
 * store_admin.h - the HR dashboard's rows and read-only aggregates: its
 * sign-in sessions (a browser holds a random token in a cookie; the store
 * keeps only its SHA-256 hex), and the counts the overview, the people
 * list, the delivery view and the audit view show.
 *
 * Same thread rules and error codes as store.h (one thread at a time per
 * struct store; BB_ENOTFOUND for a missing row). Strings are copied; arrays
 * handed out are malloc'd and the caller frees them with free().
 */
#ifndef STORE_ADMIN_H
#define STORE_ADMIN_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* ---- sessions ---------------------------------------------------------- */

struct store_admin_session {
    int64_t person_id; /* 0: an operator signed in with the admin token */
    int64_t created_at;
    int64_t last_seen;
    int64_t expires_at;
};

/* A new session. BB_EEXIST if the hash is already there. */
int store_admin_session_add(struct store *st, const char *token_hash, int64_t person_id,
                            int64_t now, int64_t expires_at);
/* A session that has not expired at now; BB_ENOTFOUND otherwise. */
int store_admin_session_get(struct store *st, const char *token_hash, int64_t now,
                            struct store_admin_session *out);
/* Record use and move the expiry. BB_ENOTFOUND for an unknown session. */
int store_admin_session_touch(struct store *st, const char *token_hash, int64_t now,
                              int64_t expires_at);
/* Sign out: BB_ENOTFOUND when there was no such session. */
int store_admin_session_delete(struct store *st, const char *token_hash);
/* Remove sessions expired at or before now; *n (may be NULL) how many. */
int store_admin_session_prune(struct store *st, int64_t now, int *n);

/* The dashboard language a person chose ("id" or "en") into lang (at
 * least 3 bytes); BB_ENOTFOUND when they never chose (the dashboard then
 * shows Indonesian). set: BB_EINVAL for anything but "id" or "en". */
int store_admin_lang_get(struct store *st, int64_t person_id, char *lang, size_t n);
int store_admin_lang_set(struct store *st, int64_t person_id, const char *lang, int64_t now);

/* ---- aggregates --------------------------------------------------------- */

struct store_admin_count {
    char key[32]; /* a channel name */
    int state;    /* enum store_out_state, for outbox counts; else 0 */
    int64_t n;
};

/* People reached per channel: distinct people with a linked identity that
 * is not blocked, one row per channel, by channel name. */
int store_admin_reach(struct store *st, struct store_admin_count **out, int *n);
/* Check-ins at or after since: how many, and from how many people. */
int store_admin_checkins_since(struct store *st, int64_t since, int64_t *count, int64_t *people);

struct store_admin_week {
    int64_t start;   /* origin + k * 7 days */
    int64_t people;  /* distinct people with a mood that week */
    int64_t answers; /* check-ins with a mood (1-5) */
    double mood_avg;
    int64_t mood_n[5]; /* answers per mood 1..5 */
};
/* Check-ins with a mood at or after since, by week (weeks start at origin +
 * k * 604800, origin <= since), oldest first; weeks without one are
 * absent. */
int store_admin_mood_weeks(struct store *st, int64_t since, int64_t origin,
                           struct store_admin_week **out, int *n);
/* Outbox rows per (channel, state): of one broadcast or wave when
 * batch_id > 0 (a broadcast's recipients not yet in the outbox as channel
 * "pending", state queued), else of every row created at or after since. */
int store_admin_outbox_counts(struct store *st, int64_t batch_id, int64_t since,
                              struct store_admin_count **out, int *n);

/* ---- lists ----------------------------------------------------------- */

struct store_admin_person {
    char nip[32];
    char name[128];
    char unit[128];
    char position[128];
    char role[16];
    char lang[8];
    char channels[64]; /* comma-separated channels the person is linked on */
    int64_t created_at;
};
/* People whose NIP, name or unit contains q ("" for all), by name; at most
 * limit from offset; *total counts every match. */
int store_admin_people(struct store *st, const char *q, int limit, int offset,
                       struct store_admin_person **out, int *n, int64_t *total);

struct store_admin_audit {
    int64_t at;
    char actor[64];
    char action[64];
    char subject_nip[32]; /* "" when none or forgotten */
    char detail[256];
};
/* The newest audit entries, newest first. */
int store_admin_audit_list(struct store *st, int limit, struct store_admin_audit **out, int *n);
/* The same without the actions that begin with hide_prefix (NULL: none;
 * no '%' or '_'): HR's view of the log leaves out "handoff." lines, which
 * would tell HR who asked for a counsellor. */
int store_admin_audit_list_hiding(struct store *st, int limit, const char *hide_prefix,
                                  struct store_admin_audit **out, int *n);

#endif
