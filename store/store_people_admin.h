/*
 * store_people_admin.h - the HR dashboard's people pages and the CLI's
 * person commands, the store's side: the list with search, filters and
 * paging; a person's channels, mentors and mentees, recent activity (kinds
 * and times, never a message body) and invite state; a role change; and
 * deactivation of a leaver (what it erases and keeps: docs/privacy.md,
 * "Deactivating a leaver"). The decisions (who may, which categories the
 * person consented to keep, the audit lines) are
 * bot/domain/people/people_admin.c's.
 *
 * Thread rules: as store.h (the thread that owns the struct store).
 */
#ifndef STORE_PEOPLE_ADMIN_H
#define STORE_PEOPLE_ADMIN_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_PEOPLE_PAGE_MAX 500 /* rows in one page of the list */

/* A person's state on the list: "deactivated", "linked" (a chat
 * identity), "invited" (an open invite code), "not_invited". The filter
 * also takes "active" (anything but deactivated) and "" (all). */
struct store_people_filter {
    const char *q;     /* NIP, name or unit contains q; "" any */
    const char *unit;  /* the unit, any case; "" any */
    const char *role;  /* employee, mentor, hr, admin, counsellor; "" any */
    const char *state; /* see above */
};

struct store_people_row {
    char nip[32];
    char name[128];
    char unit[128];
    char position[128];
    char role[16];
    char lang[8];
    char channels[64]; /* comma-separated channels the person is linked on */
    char state[16];
    int64_t deactivated_at; /* 0: active */
};

/* One page of the people that match f, by name then NIP; *total counts
 * every match. BB_EINVAL for a bad filter (unknown state, limit). */
int store_people_find(struct store *st, const struct store_people_filter *f, int64_t now, int limit,
                      int offset, struct store_people_row **out, int *n, int64_t *total);

struct store_person_channel {
    char channel[16];
    char handle[64];
    int blocked;
    int64_t linked_at;
    int64_t last_seen;
};
int store_person_channels(struct store *st, int64_t person_id, struct store_person_channel *arr,
                          int max, int *n);

/* A mentor or mentee of the person in an active pairing. */
struct store_person_link {
    char nip[32];
    char name[128];
    char unit[128];
    int64_t since;
};
int store_person_mentors(struct store *st, int64_t person_id, struct store_person_link *arr,
                         int max, int *n);
int store_person_mentees(struct store *st, int64_t person_id, struct store_person_link *arr,
                         int max, int *n);

/* Recent activity, newest first: what happened and when, never what was
 * said. kind is "message.text", "message.button", "message.timer",
 * "message.start" (in the inbox), "reply.<delivery state>" (the outbox),
 * "checkin", or "audit.<action>" (HR actions and consent changes). */
struct store_person_event {
    char kind[48];
    int64_t at;
};
int store_person_activity(struct store *st, int64_t person_id, struct store_person_event *arr,
                          int max, int *n);

/* The newest invite: *state "none", "open", "used" or "expired", and its
 * times (0 when not applicable). */
int store_person_invite_state(struct store *st, int64_t person_id, int64_t now, char *state,
                              size_t n, int64_t *created_at, int64_t *expires_at, int64_t *used_at);

/* When the person was deactivated (0: active). BB_ENOTFOUND: no such
 * person. */
int store_person_deactivated_at(struct store *st, int64_t person_id, int64_t *at);

/* Set the role (one of the five; checked by the caller). */
int store_person_set_role(struct store *st, int64_t person_id, const char *role, int64_t now);

/* Deactivate a leaver, in one transaction: erase every chat identity and
 * what hangs on them (web and WhatsApp sessions), open invites,
 * conversations in progress, timers and the schedule, inbox and outbox
 * rows (message bodies included), working week, survey participation,
 * alerts, handoffs, dashboard sign-ins, mentoring proposals, relays and
 * the mentor profile; end active pairings (reason "deactivated", by
 * actor); erase each data category named in erase_cats (the ones the
 * person has not consented to keep, flow_categories names); blank phone
 * and e-mail; mark the person deactivated at now. *pairings_ended (may be
 * NULL) gets how many pairings ended. BB_ESTATE when already deactivated,
 * BB_ENOTFOUND when there is no such person. Nothing changes on error. */
int store_person_deactivate(struct store *st, int64_t person_id, const char *const *erase_cats,
                            int ncats, const char *actor, int64_t now, int *pairings_ended);

#endif
