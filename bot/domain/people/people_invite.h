/*
 * people_invite.h - invite codes for people, one or a whole segment at a
 * time (issue 13, bulk invites): the one code path of `bimbing invite` and
 * the dashboard's Undangan page. A person has at most one live code: a
 * re-issue revokes the old one in the same transaction, and a revoked code
 * is refused like an expired one. A segment's codes are made in one
 * transaction, for everyone in it not linked to a chat yet; the segment is
 * checked by people_segment_resolve (an unknown unit: nothing issued).
 * Every code made or revoked gets its audit line.
 *
 * Codes leave here only to the caller (stdout, the CSV, the API answer):
 * the store keeps their SHA-256 (bot/core/register.c).
 *
 * Thread rules: the thread that owns the struct store (the core thread in
 * the service). Nothing is kept between calls.
 */
#ifndef PEOPLE_INVITE_H
#define PEOPLE_INVITE_H

#include <stdint.h>

#include "bot/base/bb.h"
#include "bot/core/register.h"
#include "bot/domain/people/people_segment.h"
#include "store/store_invites.h"

/* One code made for one person. */
struct people_invite {
    int64_t person_id;
    char nip[32];
    char name[128];
    char unit[128];
    char code[REG_CODE_LEN + 1];
    int64_t expires_at;
};

/* Called for each code of a segment, i of n (0-based), inside the
 * transaction: an error from it rolls every code back and is returned. */
typedef int (*people_invite_fn)(void *ctx, const struct people_invite *inv, int i, int n);

/* Codes valid for ttl seconds for everyone in spec ("all", "unit=NAME",
 * "role=ROLE") not linked yet, each older live code revoked. BB_EINVAL:
 * the segment was refused (seg->msg says why) and nothing was issued.
 * *issued gets the number of codes (0 when everyone is linked). */
int people_invite_segment(struct store *st, const char *spec, int64_t ttl, int64_t now,
                          const char *actor, struct people_segment *seg, people_invite_fn fn,
                          void *ctx, int *issued);

/* A new code for the person with this NIP (any older live code revoked):
 * a first invite and a re-issue alike. BB_ENOTFOUND: no such person. */
int people_invite_person(struct store *st, const char *nip, int64_t ttl, int64_t now,
                         const char *actor, struct people_invite *inv);

/* Revoke the person's live codes; *revoked gets how many (0 when there was
 * none: nothing to do, still BB_OK). BB_ENOTFOUND: no such person. */
int people_invite_revoke(struct store *st, const char *nip, int64_t now, const char *actor,
                         int *revoked);

/* The CSV every invite list uses: the header line, and one row per code
 * (links "" when the channel has none). Fields through bb_csv_field. */
#define PEOPLE_INVITE_CSV_HEADER "nip,name,unit,code,telegram_link,web_link,expiry\r\n"
int people_invite_csv_row(struct bb_buf *b, const struct people_invite *inv, const char *tg_link,
                          const char *web_link);

/* A person's invite state at now, as the API and the CLI name it:
 * "onboarded" (answered onboarding), "linked" (a chat, onboarding not
 * answered), "invited" (a live code), "expired", "revoked", "not_invited". */
const char *people_invite_state(const struct store_invite_state *s, int64_t now);
/* 1 when name is one of the states above. */
int people_invite_state_known(const char *name);

#endif
