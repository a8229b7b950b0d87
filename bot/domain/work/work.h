/*
 * work.h - working time as a domain module (bot/core/domain.h): leave and
 * a person's working week. The rules themselves (the next working slot,
 * holidays) are the core's (bot/core/worktime.h); this module carries:
 *   leave        flow action {"leave": "<expression: a date YYYY-MM-DD>"}:
 *                on leave through that day (today up to WORK_LEAVE_MAX days
 *                ahead); the person is told until when and when check-ins
 *                come again
 *   leave_end    flow action {"leave_end": true}: leave ends now (told)
 *   person       on_leave (bool) and leave_until (the day, as people read
 *                it in their language; "" when not on leave)
 *   cmds         `bimbing work show|set|leave NIP ...`, `bimbing holidays
 *                list|check` (work_cli.c)
 *
 * Thread rules: core thread / CLI only; no state outside the store.
 */
#ifndef WORK_H
#define WORK_H

#include "bot/core/domain.h"

extern const struct domain_module work_module;
extern const struct domain_cmd work_cmds[]; /* work_cli.c */

#endif
