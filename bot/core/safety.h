/*
 * safety.h - the safety net: every text a person sends, inside or outside a
 * flow, is screened for signs of distress or self-harm before the flow sees
 * it. The list is config/safety.json (phrases and PCRE2 patterns, in
 * Indonesian and English, edited by a counsellor; docs/safety.md), compiled
 * once at start-up; a bad entry is an error naming it and the service does
 * not start.
 *
 * On a hit the core (core.c) answers at once, in the person's language,
 * with the national help lines and a button to talk to a person, and pauses
 * the running flow (flow_pause; /lanjut or /continue resumes it). Only the
 * name of the rule that matched is logged, never the text.
 *
 * Who may call: main loads the list and lends it to the core; the core
 * screens and builds the replies. Thread rules: a loaded list is read-only,
 * so any thread may screen with it (match data is made per call).
 */
#ifndef SAFETY_H
#define SAFETY_H

#include <stddef.h>

#include "bot/core/outmsg.h"

#define SAFETY_TALK_ID   "safety.talk" /* the button id of "talk to a person" */
#define SAFETY_MAX_RULES 1000
#define SAFETY_TEXT_MAX  65536 /* bytes of a message screened (inbound caps are lower) */

struct safety;

/* Read and compile the list at path. On error *out is NULL and err names
 * the file and the entry ("patterns[3] \"(bunuh\": missing closing
 * parenthesis at offset 6"). */
int safety_load(const char *path, struct safety **out, char *err, size_t errlen);
/* The same from JSON text; name is used in messages. */
int safety_parse(const char *json, size_t len, const char *name, struct safety **out, char *err,
                 size_t errlen);
void safety_free(struct safety *s);
int safety_count(const struct safety *s); /* rules (phrases and patterns) */

/* 1 when text shows a sign of distress, else 0. *rule (may be NULL) gets
 * the index of the first rule that matched, for safety_rule_name. A NULL
 * list screens nothing. */
int safety_screen(const struct safety *s, const char *text, int *rule);
/* "phrases[4]" or "patterns[2]": what the log names instead of the text. */
void safety_rule_name(const struct safety *s, int rule, char *out, size_t n);

/* The lowered, spaced form the rules are matched against (for tests and the
 * docs): lower case, everything but letters and digits a space, one space
 * between words, a space at each end. */
int safety_normalise(const char *text, char *out, size_t n);

/* The outbox message (text and one button) answering a hit, into *m
 * (BB_OK or BB_ENOMEM; free with outmsg_clear). lang: 0
 * Indonesian, 1 English, -1 both (a sender we do not know yet). paused:
 * the title of the flow that was paused (in that language), or NULL. */
int safety_reply(int lang, const char *paused, struct outmsg *m);
/* The answer to the "talk to a person" button: who to contact, honestly
 * (nobody reads this chat yet). mentor: their mentor's name or "". Into
 * *m, as safety_reply. */
int safety_talk_reply(int lang, const char *mentor, struct outmsg *m);

#endif
