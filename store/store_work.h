/*
 * store_work.h - a person's working time: their own working days and hours
 * (when they differ from the instance's) and their leave (/cuti), in the
 * table work_prefs (one row per person, only when something is set). The
 * core reads it for every timer it fires (bot/core/worktime.h); the "work"
 * module, the people import and `bimbing work` write it.
 *
 * Same thread rules and error codes as store.h. Strings are copied.
 */
#ifndef STORE_WORK_H
#define STORE_WORK_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_WORK_NO_LEAVE INT64_MIN

struct store_work {
    char days[48];       /* "" = the instance's default (e.g. "mon-fri") */
    char hours[16];      /* "" = the instance's default (e.g. "07:30-16:00") */
    int64_t leave_until; /* last local day of leave (day number), or STORE_WORK_NO_LEAVE */
    int64_t leave_set_at;
};

/* The person's row; without one, defaults ("" and no leave) and BB_OK. */
int store_work_get(struct store *st, int64_t person_id, struct store_work *out);
/* Set days and/or hours (NULL keeps what is stored; "" returns to the
 * default). */
int store_work_set_hours(struct store *st, int64_t person_id, const char *days, const char *hours);
/* Leave until a day number (inclusive), or end it (STORE_WORK_NO_LEAVE). */
int store_work_set_leave(struct store *st, int64_t person_id, int64_t leave_until, int64_t now);

#endif
