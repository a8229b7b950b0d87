/*
 * register.h - how a chat identity gets linked to a person, the one place
 * for both ways in:
 *   - an invite code from HR (`bimbing invite`), sent as "/start CODE" or
 *     alone; codes are stored only as SHA-256 hashes, used once, and wrong
 *     codes are limited per chat per hour (the core redeems them for every
 *     channel);
 *   - a phone number that matches an imported person's (a channel that
 *     knows the sender's number asks them to confirm first, then links).
 * Either way the link, its audit line and the first event of onboarding
 * are made here.
 *
 * Thread rules: core thread (the writing store connection), inside the
 * caller's transaction. reg_code_normalise and reg_code_in_text are pure.
 */
#ifndef REGISTER_H
#define REGISTER_H

#include <stddef.h>
#include <stdint.h>

#include "bot/flow/flow.h"
#include "store/store.h"

#define REG_CODE_LEN        10
#define REG_MAX_WRONG_CODES 5 /* per chat per hour */

/* A one-time invite for a person: a code valid for ttl seconds from now.
 * code must hold REG_CODE_LEN + 1 bytes. */
int reg_invite(struct store *st, int64_t person_id, int64_t ttl, int64_t now, char *code, size_t n);

/* Normalise a typed code: upper case, no spaces or dashes. BB_EINVAL when
 * it cannot be a code. out: REG_CODE_LEN + 1 bytes. */
int reg_code_normalise(const char *in, char *out, size_t n);
/* The code a message holds ("/start CODE" or the bare code), normalised:
 * 1 when it holds one, else 0. out: REG_CODE_LEN + 1 bytes. */
int reg_code_in_text(const char *text, char *out, size_t n);

enum reg_result {
    REG_LINKED = 0, /* *pid is the person now linked */
    REG_BAD_CODE,   /* unknown, used or expired (counted against the chat) */
    REG_TOO_MANY,   /* too many wrong codes from this chat in the last hour */
};
/* Redeem a normalised code for (channel, ext_user): on success the
 * identity is linked (with its audit line). *result says which. */
int reg_redeem(struct store *st, const char *channel, const char *ext_user, const char *code,
               int64_t now, int *result, int64_t *pid);

/* The person whose phone is phone (digits as people import keeps them,
 * 62...). BB_ENOTFOUND when nobody's. */
int reg_phone_match(struct store *st, const char *phone, struct store_person *p);

/* Link (channel, ext_user) to person pid, with an audit line whose detail
 * says how (the channel's name, or e.g. "(phone confirmed)" after it). */
int reg_link(struct store *st, const char *channel, const char *ext_user, int64_t pid,
             const char *how, int64_t now);

/* What a newly linked person's first event is: a START of the onboarding
 * flow (the flow whose event is "first_contact"), or the text "/menu" when
 * there is none. Returns the flow id or NULL for "/menu". */
const char *reg_onboarding_flow(const struct flow_lib *lib);

#endif
