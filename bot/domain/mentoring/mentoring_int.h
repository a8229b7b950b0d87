/*
 * mentoring_int.h - what the parts of the mentoring module share among
 * themselves: mentoring.c (input, introductions, actions, tick) and
 * mentoring_cli.c (`bimbing pair`). Other modules use mentoring.h.
 *
 * Thread rules: core thread or the CLI's only thread; no global state.
 */
#ifndef MENTORING_INT_H
#define MENTORING_INT_H

#include <stddef.h>
#include <stdint.h>

#include "bot/domain/mentoring/mentoring.h"

/* The local date of t in time zone tz (WIB without a core), as people
 * read it in lang (cal_format_date: CAL_LONG or CAL_SHORT). */
void mentoring_fmt_date(const struct domain_ctx *d, const char *tz, int64_t t, int lang, int style,
                        char *out, size_t n);
/* A stored day "2026-11-20" as people read it in lang; anything else as it is. */
void mentoring_fmt_day(const char *day, int lang, int style, char *out, size_t n);
/* Send one text (Indonesian, English) to a person live; a person with no
 * channel yet is not an error. */
int mentoring_send_one(const struct domain_ctx *d, int64_t person_id, const char *id_text,
                       const char *en_text);
/* Send what is still missing of a pairing's introduction; marks each side
 * that got it. *reached (may be NULL) gets a bit per side sent now or before
 * (1 mentee, 2 mentor). */
int mentoring_send_intros(const struct domain_ctx *d, const struct store_pairing *pr, int64_t now,
                          int *reached);
/* End a pairing and tell both sides (HR ending: by = "cli"; in chat: the
 * NIP of the side that ended it, whose own confirmation the caller sends). */
int mentoring_end_and_tell(const struct domain_ctx *d, const struct store_pairing *pr,
                           const char *reason, const char *by, int64_t by_person, int64_t now);

/* The row of `bimbing pair` (mentoring_cli.c). */
extern const struct domain_cmd mentoring_cmds[];

#endif
