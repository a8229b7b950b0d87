/*
 * store_alerts.h - wellbeing and distress alerts in the store: one row per
 * alert (whose, what kind, when, who was told in chat), open until someone
 * on the dashboard acknowledges it. Never the answers or the message that
 * raised it. Called by bot/core/alert.c and the dashboard
 * (adapters/admin/admin.c); same thread rules and error codes as store.h.
 */
#ifndef STORE_ALERTS_H
#define STORE_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct store_alert {
    int64_t id, person_id;
    char kind[16]; /* "wellbeing", "distress" */
    int64_t created_at;
    char sent_to[16];     /* "mentor", "hr", "fallback", "" (nobody reached in chat) */
    int64_t recipient_id; /* the first person told in chat, 0 none (or since erased) */
    int reached;          /* how many were told in chat */
    int64_t acked_at;     /* 0 while open */
    char acked_by[64];
    /* store_alert_list only: the person and the recipient */
    char nip[32], name[128], unit[128], recipient_name[128];
};

/* A new open alert; *id its id. BB_EINVAL for a bad kind. */
int store_alert_add(struct store *st, int64_t person_id, const char *kind, int64_t now,
                    int64_t *id);
/* Record who was told in chat. */
int store_alert_set_sent(struct store *st, int64_t id, const char *sent_to, int64_t recipient_id,
                         int reached);
/* Is there an open alert of kind for the person created at or after since? */
int store_alert_open_since(struct store *st, int64_t person_id, const char *kind, int64_t since,
                           int *yes);
/* Open alerts (oldest first), then those acknowledged at or after since
 * (newest first); at most limit (1..1000). *out malloc'd (free()). */
int store_alert_list(struct store *st, int64_t since, int limit, struct store_alert **out, int *n);
/* Acknowledge: BB_ENOTFOUND for no such alert, BB_EEXIST when it already
 * was. */
int store_alert_ack(struct store *st, int64_t id, const char *actor, int64_t now);
/* The chat message (outbox row) an alert was sent to person_id as. */
int store_alert_send_add(struct store *st, int64_t alert_id, int64_t person_id, int64_t outbox_id);
/* Was the alert already sent to person_id (whatever became of it)? */
int store_alert_tried(struct store *st, int64_t alert_id, int64_t person_id, int *yes);
/* Open alerts that reached someone in chat but whose every message has
 * since failed or been blocked: ids, oldest first, at most 100; *ids
 * malloc'd (free()). */
int store_alert_undelivered(struct store *st, int64_t **ids, int *n);
/* One alert by id (without the joined names). */
int store_alert_get(struct store *st, int64_t id, struct store_alert *out);
/* Where to reach a person in chat: their newest identity that is not
 * blocked. BB_ENOTFOUND when there is none. */
int store_alert_reach(struct store *st, int64_t person_id, char *channel, size_t cn, char *ext_id,
                      size_t en);

#endif
