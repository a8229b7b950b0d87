/*
 * store_invites.h - the store's side of bulk invites (bot/domain/people/
 * people_invite.c): who in a segment is not linked to a chat yet, a
 * person's live codes revoked, and each person's invite state (invited,
 * linked, onboarded, consents) for the dashboard and the CLI. Invite codes
 * themselves are added and redeemed in store.h (store_invite_add/redeem).
 *
 * Thread rules: as store.h (the thread that owns the struct store).
 */
#ifndef STORE_INVITES_H
#define STORE_INVITES_H

#include <stdint.h>

#include "store/store.h"

#define STORE_INVITES_MAX 200000 /* people any list here hands out */

/* A person in a segment who has no chat linked yet. */
struct store_invitable {
    int64_t id;
    char nip[32];
    char name[128];
    char unit[128];
};

/* Everyone of the segment (kind: enum store_seg_kind, value: the unit or
 * role as stored) without an identity, by unit then name. *out malloc'd
 * (free(); NULL when none). */
int store_invite_candidates(struct store *st, int kind, const char *value,
                            struct store_invitable **out, int *n);

/* Revoke every live code of the person (not used, not revoked, not
 * expired at now): *revoked (may be NULL) gets how many. */
int store_invite_revoke(struct store *st, int64_t person_id, int64_t now, int *revoked);

/* One person's invite state. */
struct store_invite_state {
    int64_t id;
    char nip[32];
    char name[128];
    char unit[128];
    /* the newest invite (0 when never invited) */
    int64_t invited_at, expires_at, used_at, revoked_at;
    char channels[64];  /* the linked chats' channels, comma-separated ("" none) */
    int onboarded;      /* answered onboarding's consent question */
    char consents[128]; /* purposes given now, comma-separated */
};

/* Every person (unit "" = any unit; otherwise matched exactly), by unit
 * then name. *out malloc'd (free(); NULL when none). */
int store_invite_states(struct store *st, const char *unit, struct store_invite_state **out,
                        int *n);

#endif
