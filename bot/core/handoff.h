/*
 * handoff.h - a person to talk to: a conversation handed from the bot to a
 * counsellor (docs/safety.md, "A person to talk to"). While a handoff is
 * open the bot stays quiet: the person's texts are kept for the counsellor
 * (store/store_handoff.h), the running flow stays paused, and the
 * counsellor's answers go to the person through the normal outbox. Either
 * side ends it; the person is then told the bot is back.
 *
 * Who may call: the core (opening from /bicara, /talk, the distress reply's
 * button and the flow action "handoff"; the person's messages), the
 * dashboard adapter (answer, close). Core thread only. Every function
 * writes inside the caller's transaction (the core's batch; the dashboard
 * begins one): on an error the caller rolls back, so nothing is half-done.
 */
#ifndef HANDOFF_H
#define HANDOFF_H

#include <stdint.h>

#include "bot/core/outmsg.h"
#include "store/store.h"

struct core;

#define HANDOFF_END_ID   "handoff.end" /* the button id of "end the conversation" */
#define HANDOFF_TEXT_MAX 4000          /* characters of a counsellor's answer */

/* Is the text one of the handoff's commands? "/bicara" "/talk" -> 1 (open),
 * "/selesai" "/done" -> 2 (end), anything else 0. */
int handoff_command(const char *text);

/* Open a handoff for p (reason: command, distress, wellbeing; paused: the
 * title of the flow it paused, or NULL), audit it, and fill *reply with
 * what the person is told (freed with outmsg_clear). BB_EEXIST when one is
 * open already: *reply is then the reminder. */
int handoff_open(struct store *st, const struct store_person *p, const char *reason,
                 const char *paused, int64_t now, struct outmsg *reply);
/* The person ends the open handoff id: closed, audited, *reply says the
 * bot is back (and names the paused flow). */
int handoff_end_by_person(struct store *st, const struct store_person *p, int64_t id,
                          const char *paused, int64_t now, struct outmsg *reply);
/* A message the person sent while the handoff id is open: kept for the
 * counsellor. No reply (the bot is quiet). */
int handoff_keep(struct store *st, int64_t id, const char *text, int64_t now);

/* Tell every counsellor (at most 50) on the chat they last wrote from that
 * a conversation is waiting on the dashboard: no name, nothing of what was
 * said. A counsellor who never wrote to the bot is skipped. */
int handoff_notify(struct core *c, struct store *st, int64_t now);

/* Replies in the person's language (li 0 Indonesian, 1 English). */
int handoff_reminder(int li, struct outmsg *m);       /* "you are connected; /selesai ends it" */
int handoff_distress_reply(int li, struct outmsg *m); /* help lines, no button: see safety.md */

/* From the dashboard. actor: the audit log's actor ("counsellor:<NIP>",
 * "operator", ...); shown: the name the person sees with the answer (first
 * name, or "" for "Konselor" alone). BB_ENOTFOUND: no open handoff id;
 * BB_EINVAL: an empty text or one over HANDOFF_TEXT_MAX characters. */
int handoff_answer(struct core *c, struct store *st, int64_t id, const char *actor,
                   const char *shown, const char *text, int64_t now);
int handoff_close(struct core *c, struct store *st, int64_t id, const char *actor, int64_t now);

#endif
