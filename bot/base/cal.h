/*
 * cal.h - the proleptic Gregorian calendar as day numbers: days since
 * 1970-01-01 (day 0, a Thursday), negative before it. Civil date <-> day
 * number, leap years, month lengths, weekdays, ISO weeks and the strict
 * "YYYY-MM-DD" form. The one place in bimbing that does date arithmetic.
 *
 * Pure functions of their arguments: any module, any thread. Years are
 * int64_t so that any day number a 64-bit clock can reach converts back;
 * months are 1-12, days 1-31.
 */
#ifndef CAL_H
#define CAL_H

#include <stddef.h>
#include <stdint.h>

/* a / b rounded toward minus infinity (b > 0): the day of a Unix time is
 * cal_floor_div(t, 86400) also before 1970. */
int64_t cal_floor_div(int64_t a, int64_t b);

/* 1 when y is a leap year (divisible by 4, except centuries not divisible
 * by 400). */
int cal_is_leap(int64_t y);
/* Days in month m (1-12) of year y: 28 to 31. */
int cal_days_in_month(int64_t y, int m);
/* 1 when y-m-d is a real date (m 1-12, d within the month). */
int cal_valid(int64_t y, int m, int d);

/* Day number of y-m-d (m and d as cal_valid accepts them). */
int64_t cal_days_from_civil(int64_t y, int m, int d);
/* The civil date of a day number. */
void cal_civil_from_days(int64_t days, int64_t *y, int *m, int *d);
/* Weekday of a day number: 1 = Monday ... 7 = Sunday. */
int cal_weekday(int64_t days);
/* ISO 8601 week (1-53) of a day number; the week belongs to the year of
 * its Thursday, which *year receives when year is not NULL. */
int cal_iso_week(int64_t days, int64_t *year);

/* Strict "YYYY-MM-DD" (four-digit year, a real date) to a day number.
 * Returns 0, or -1 and leaves *days alone. */
int cal_parse_date(const char *s, int64_t *days);
/* A day number as "YYYY-MM-DD" (at least four year digits) into out;
 * 11 bytes hold any year 0-9999. */
void cal_format_date(int64_t days, char *out, size_t n);

#endif
