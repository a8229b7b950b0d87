/*
 * cal.h - the proleptic Gregorian calendar as day numbers: days since
 * 1970-01-01 (day 0, a Thursday), negative before it. Civil date <-> day
 * number, leap years, month lengths, weekdays, ISO weeks, the strict
 * "YYYY-MM-DD" form, dates as people write them (Indonesian and English)
 * and as people read them. The one place in bimbing that does date
 * arithmetic and formats dates for people.
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

/* Strict "YYYY-MM-DD" (four-digit year, a real date) to a day number: the
 * form bimbing stores. Returns 0, or -1 and leaves *days alone. */
int cal_parse_iso(const char *s, int64_t *days);
/* A day number as "YYYY-MM-DD" (at least four year digits) into out;
 * 11 bytes hold any year 0-9999. The stored form, not for people. */
void cal_format_iso(int64_t days, char *out, size_t n);

/* A date as people write it, in Indonesian or English, to a day number;
 * relative words and weekdays count from today (a day number). The one
 * parser of typed dates (flows/FORMAT.md, "date"):
 *   - "hari ini" "today" "sekarang", "besok" "tomorrow", "lusa", "kemarin"
 *     "yesterday", "kemarin lusa", "minggu depan" "next week" (+7),
 *     "minggu lalu" "last week" (-7);
 *   - a weekday ("Jumat", "jum'at", "Friday", "fri"): with dir >= 0 the
 *     coming one (today counts), with dir < 0 the last one (today counts);
 *     "Jumat depan" / "next Friday": that day of next week (Monday-Sunday
 *     weeks); "Jumat lalu" / "last Friday": the last one before today;
 *   - "15 Desember", "15 Des 2026", "December 15, 2026", "15th Dec": a
 *     month name or its abbreviation in either language; without a year,
 *     the next such date (dir >= 0; today counts) or the last one (dir < 0);
 *   - "15/12", "15/12/2026", "15-12-2026", "15.12.26" (day first, as
 *     written in Indonesia; a two-digit year is 20YY), "2026-12-15";
 *   - an optional "tanggal"/"tgl"/"on" before, and a weekday before a date
 *     ("Selasa, 15 Desember 2026"), which must then be that date's weekday.
 * Case, apostrophes and a closing "." "!" or "?" do not matter. Years
 * 1900-2200. Returns 0, or -1 (not a date) and leaves *days alone. */
int cal_parse_date(const char *s, int64_t today, int dir, int64_t *days);

/* Languages of cal_format_date, in flow_langs order. */
enum { CAL_LANG_ID = 0, CAL_LANG_EN = 1 };
/* How much of a date to show: CAL_LONG "Senin, 15 Desember 2026" /
 * "Monday 15 December 2026"; CAL_SHORT "15 Des 2026" / "15 Dec 2026" where
 * space is tight (lists, reports). The one date format per language of
 * every text people read. */
enum { CAL_LONG = 0, CAL_SHORT = 1 };
/* A day number in lang's format into out (always terminated when n > 0; 32
 * bytes hold any of them). An unknown lang is Indonesian. Returns the
 * length it needed, like snprintf. */
int cal_format_date(int64_t days, int lang, int style, char *out, size_t n);
/* The name of a weekday (1 = Monday ... 7) in lang, or "". */
const char *cal_weekday_name(int wd, int lang);

#endif
