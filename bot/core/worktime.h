/*
 * worktime.h - working time: the days and hours a person works (the
 * instance's default, Monday-Friday 07:30-16:00, or their own), the
 * national holidays and cuti bersama of config/holidays.json, and leave.
 * work_next gives the next instant inside working time, in the person's
 * zone; the core moves every timer that falls outside it (docs/coaching.md,
 * "Working hours, holidays and leave").
 *
 * Who may call: main loads the holiday file and lends it to the core; the
 * core, the "work" domain module and the CLI use the pure functions. A
 * loaded struct work_holidays is immutable: any thread may read it.
 */
#ifndef WORKTIME_H
#define WORKTIME_H

#include <stddef.h>
#include <stdint.h>

#include "bot/base/tz.h"

#define WORK_FILE_MAX     (256 * 1024)           /* bytes of a holiday file */
#define WORK_MAX_YEARS    16                     /* years in a holiday file */
#define WORK_MAX_DAYS     64                     /* days listed per year */
#define WORK_NAME_MAX     128                    /* bytes of a holiday's name, per language */
#define WORK_SOURCE_MAX   512                    /* bytes of a year's source */
#define WORK_LEAVE_MAX    366                    /* days of leave at most, from today */
#define WORK_SEARCH_DAYS  (WORK_LEAVE_MAX + 400) /* bound of work_next's day walk */
#define WORK_DEFAULT_DAYS "mon-fri"
#define WORK_DEFAULT_HRS  "07:30-16:00"

/* A person's working week: days is a bit per weekday (1u << 1 Monday ...
 * 1u << 7 Sunday); from start to end (minutes after local midnight, start
 * < end, end at most 24:00) on each of them; end itself is after hours. */
struct work_hours {
    unsigned days;
    int start_min, end_min;
};

/* days: "mon-fri", "mon,tue,thu", "sen-jum" (Indonesian names too), any
 * case; hours: "07:30-16:00". Either NULL or "" keeps what *h holds (so
 * start from the default). BB_EINVAL with a message in err. */
int work_hours_parse(const char *days, const char *hours, struct work_hours *h, char *err,
                     size_t el);
/* The default week (WORK_DEFAULT_DAYS, WORK_DEFAULT_HRS). */
void work_hours_default(struct work_hours *h);
/* "mon,tue,wed,thu,fri" and "07:30-16:00" (buffers of 32 and 12 bytes). */
void work_hours_format(const struct work_hours *h, char *days, size_t dn, char *hours, size_t hn);

enum work_day_kind { WORK_HOLIDAY = 1, WORK_CUTI_BERSAMA = 2 };

struct work_day {
    int64_t day;                 /* day number (bot/base/cal.h) */
    int kind;                    /* enum work_day_kind */
    char name[2][WORK_NAME_MAX]; /* [0] Indonesian, [1] English */
};

struct work_year {
    int year;
    char source[WORK_SOURCE_MAX]; /* the decree; "" when the year's decree is not in the file */
    int ndays;
};

struct work_holidays; /* loaded and checked; immutable */

/* Read and check a holiday file (format: config/holidays.json, described in
 * docs/coaching.md). On error *out is NULL and err names the file and the
 * entry ("2026.days[3].date: ..."). */
int work_holidays_load(const char *path, struct work_holidays **out, char *err, size_t el);
int work_holidays_parse(const char *json, size_t len, const char *name, struct work_holidays **out,
                        char *err, size_t el);
void work_holidays_free(struct work_holidays *h); /* NULL is a no-op */
/* The listed day of a day number, or NULL (a NULL h lists none). */
const struct work_day *work_holiday_on(const struct work_holidays *h, int64_t day);
/* Years and days in order (for the CLI and tests). */
int work_holidays_nyears(const struct work_holidays *h);
const struct work_year *work_holidays_year(const struct work_holidays *h, int i);
int work_holidays_ndays(const struct work_holidays *h);
const struct work_day *work_holidays_day(const struct work_holidays *h, int i);

/* 1 when the local day (a day number) is a working day for h: its weekday
 * is one of h's days, it is not listed in hol, and it is after leave_until
 * (a day number; INT64_MIN for no leave). */
int work_is_working_day(const struct work_hours *h, const struct work_holidays *hol, int64_t day,
                        int64_t leave_until);

/* The first instant at or after t inside working time in zone z (NULL:
 * UTC): on a working day, from start to end. t itself when it is inside.
 * BB_ENOTFOUND when no working day comes within WORK_SEARCH_DAYS (a week
 * with no days cannot be parsed, so only leave or holidays that long). */
int work_next(const struct work_hours *h, const struct work_holidays *hol, const struct tz *z,
              int64_t t, int64_t leave_until, int64_t *out);

/* The local day number of t in zone z. */
int64_t work_local_day(const struct tz *z, int64_t t);

/* t as people read it, in zone z and language lang (0 Indonesian, 1
 * English): "Senin, 30 November 2026 pukul 07.30" / "Monday 30 November
 * 2026 at 07:30". */
void work_format_when(const struct tz *z, int64_t t, int lang, char *out, size_t n);
/* A day number the same way, without the time: "Senin, 30 November 2026". */
void work_format_day(int64_t day, int lang, char *out, size_t n);

#endif
