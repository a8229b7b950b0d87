/*
 * store_privacy.h - a person's rights in the chat and retention: erasure
 * requests (erasure_requests: asked for in the chat, carried out when due
 * with store_person_forget unless HR holds them with a written reason) and
 * the retention purge (message bodies blanked, old rows of each personal
 * data category deleted, in bounded batches).
 *
 * Called by the privacy module (bot/domain/privacy/) and the dashboard API.
 * Same thread rules and error codes as store.h (one thread at a time per
 * struct store; BB_ENOTFOUND for a missing row, BB_ESTATE for a request not
 * in the state the change needs).
 */
#ifndef STORE_PRIVACY_H
#define STORE_PRIVACY_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* ---- erasure requests -------------------------------------------------- */

enum store_erasure_state {
    STORE_ERASURE_PENDING = 0, /* waiting for its due time */
    STORE_ERASURE_HELD,        /* HR put it on hold, with a reason */
    STORE_ERASURE_DONE,        /* carried out; person_id is 0 from then on */
    STORE_ERASURE_CANCELLED,   /* the person was erased another way (bimbing forget) */
};

struct store_erasure {
    int64_t id;
    int64_t person_id; /* 0 once carried out */
    char nip[32];      /* "" once carried out */
    char name[128];
    int state; /* enum store_erasure_state */
    int64_t requested_at, due_at, updated_at, done_at;
    char reason[512]; /* the hold's written reason ("" when none) */
    char actor[64];   /* who last changed it */
};

/* The person's open (pending or held) request, or a new pending one due at
 * `due`. *created: 1 when new, 0 when one was open already (then *out is
 * that one). */
int store_erasure_request(struct store *st, int64_t person_id, int64_t now, int64_t due,
                          struct store_erasure *out, int *created);
int store_erasure_get(struct store *st, int64_t id, struct store_erasure *out);
/* The person's open request: BB_ENOTFOUND when none. */
int store_erasure_open_of(struct store *st, int64_t person_id, struct store_erasure *out);
/* Open requests first (by due time), then up to `limit` in all, newest
 * done last. Free with free(). */
int store_erasure_list(struct store *st, int limit, struct store_erasure **out, int *n);
/* pending -> held with a non-empty reason (at most 500 bytes, else
 * BB_EINVAL); BB_ESTATE when not pending. */
int store_erasure_hold(struct store *st, int64_t id, const char *actor, const char *reason,
                       int64_t now);
/* held -> pending (due time kept: an overdue request runs at the next
 * pass); BB_ESTATE when not held. */
int store_erasure_release(struct store *st, int64_t id, const char *actor, int64_t now);
/* Pending requests due at now, oldest first, at most max ids. */
int store_erasure_due(struct store *st, int64_t now, int64_t *ids, int max, int *n);
/* Carry out request id: the person's erasure (store_person_forget) and the
 * request marked done, in one transaction. BB_ESTATE when not pending. */
int store_erasure_run(struct store *st, int64_t id, int64_t now);

/* ---- retention --------------------------------------------------------- */

/* The categories with a retention setting (seconds; 0 keeps for ever). */
enum store_keep {
    STORE_KEEP_MESSAGES = 0, /* inbox and outbox bodies (blanked, rows stay) */
    STORE_KEEP_CHECKINS,
    STORE_KEEP_WELLBEING,
    STORE_KEEP_GOALS, /* development goals and GROW sessions */
    STORE_KEEP_LEARNING,
    STORE_KEEP_MENTORING, /* mentoring sessions, ended pairings, mentor requests */
    STORE_KEEP_FEEDBACK,
    STORE_KEEP_REFLECTIONS,
    STORE_KEEP_N
};
/* The categories' names as the configuration writes them ("messages"...). */
extern const char *const store_keep_names[STORE_KEEP_N];

/* One pass: per category, at most `batch` rows older than now - keep[c]
 * blanked or deleted (keep[c] 0: none). n[c] (may be NULL) gets how many.
 * *more: 1 when some category had a full batch (call again). One
 * transaction. */
int store_purge(struct store *st, const int64_t keep[STORE_KEEP_N], int64_t now, int batch,
                int n[STORE_KEEP_N], int *more);

/* Named times of the privacy module (the next purge pass): get gives 0
 * when unset. */
int store_privacy_meta_get(struct store *st, const char *key, int64_t *val);
int store_privacy_meta_set(struct store *st, const char *key, int64_t val);

#endif
