/*
 * store_wa.h - what the WhatsApp channel keeps beyond the shared queues:
 * each number's 24-hour customer service window, the numbers waiting to
 * confirm that they belong to an imported person, and the outbox queries
 * that hold messages while a window is closed. Tables: migration 5.
 *
 * Thread rules: as store.h (the thread that owns the struct store; in the
 * service the core thread). Results go to caller-owned structs.
 */
#ifndef STORE_WA_H
#define STORE_WA_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_WA_WINDOW 86400 /* seconds a person's message keeps the window open */

struct store_wa_window {
    int64_t last_in;   /* newest inbound message time, 0 if never */
    int64_t closed_at; /* when the platform said 131047, 0 if never */
    int64_t nudged_at; /* when a re-engagement template was last queued, 0 if never */
};

/* An inbound message from wa_id at time ts: the window opens (last_in only
 * moves forward) and messages held for that number on `channel` (the
 * caller's own channel name, as in the outbox) become due at now. */
int store_wa_inbound(struct store *st, const char *channel, const char *wa_id, int64_t ts,
                     int64_t now);
/* BB_ENOTFOUND (and *w zeroed) when the number never wrote. */
int store_wa_window_get(struct store *st, const char *wa_id, struct store_wa_window *w);
/* 1 when a non-template message may go to the number at now. */
int store_wa_window_open(const struct store_wa_window *w, int64_t now);
/* The platform refused a message with 131047: the window is closed. */
int store_wa_window_close(struct store *st, const char *wa_id, int64_t now);
int store_wa_set_nudged(struct store *st, const char *wa_id, int64_t now);

/* A queued message the window keeps from going. */
struct store_wa_held {
    int64_t id;
    int64_t person_id;
    char ext_user[64];
    int64_t created_at;
    int64_t batch_id;
};

/* Among the first `limit` (1..1024) due queued rows of `channel` (the
 * caller's own channel name) and priority prio (the ones a claim would take
 * next, in the same order), those whose number's window is closed, skipping
 * re-engagement templates (body key "wa_template"). *out malloc'd (free()),
 * NULL when *n is 0. */
int store_wa_due_closed(struct store *st, const char *channel, int prio, int64_t now, int limit,
                        struct store_wa_held **out, int *n);
/* Keep a queued row back until `until` (attempts unchanged). */
int store_wa_hold(struct store *st, int64_t outbox_id, int64_t until);

/* Pending link confirmations. state: 0 asked, 1 declined. */
enum store_wa_pending_state { STORE_WA_ASKED = 0, STORE_WA_DECLINED = 1 };
struct store_wa_pending {
    int64_t person_id;
    int state;
    int prompts; /* times the question was sent */
    int64_t created_at;
};
int store_wa_pending_get(struct store *st, const char *wa_id, struct store_wa_pending *out);
/* Insert or replace. */
int store_wa_pending_put(struct store *st, const char *wa_id, const struct store_wa_pending *p);
int store_wa_pending_delete(struct store *st, const char *wa_id);

#endif
