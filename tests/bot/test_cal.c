/* test_cal.c - unit tests of bot/base/cal.c: leap years, month ends, 1970
 * and 2100, ISO weeks, the strict date form, dates as people write and
 * read them (a fixed today at a year's end), and round trips over a
 * thousand years of days checked against libc's gmtime_r. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>

#include "bot/base/cal.h"
#include "tests/lib/fixture.h"

static void test_floor_div(void **state)
{
    (void)state;
    assert_int_equal(cal_floor_div(7, 7), 1);
    assert_int_equal(cal_floor_div(6, 7), 0);
    assert_int_equal(cal_floor_div(0, 7), 0);
    assert_int_equal(cal_floor_div(-1, 7), -1);
    assert_int_equal(cal_floor_div(-7, 7), -1);
    assert_int_equal(cal_floor_div(-8, 7), -2);
    assert_int_equal(cal_floor_div(-1, 86400), -1);
    assert_int_equal(cal_floor_div(-86400, 86400), -1);
}

static void test_leap_years(void **state)
{
    (void)state;
    assert_true(cal_is_leap(2024));
    assert_true(cal_is_leap(2000));
    assert_true(cal_is_leap(1600));
    assert_true(cal_is_leap(0));
    assert_true(cal_is_leap(-4));
    assert_false(cal_is_leap(2026));
    assert_false(cal_is_leap(1900));
    assert_false(cal_is_leap(2100));
    assert_false(cal_is_leap(2200));
    assert_int_equal(cal_days_in_month(2024, 2), 29);
    assert_int_equal(cal_days_in_month(2100, 2), 28);
    assert_int_equal(cal_days_in_month(2000, 2), 29);
    assert_int_equal(cal_days_in_month(2026, 2), 28);
}

static void test_month_ends(void **state)
{
    static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    (void)state;
    for (int m = 1; m <= 12; m++) {
        assert_int_equal(cal_days_in_month(2026, m), len[m - 1]);
        assert_true(cal_valid(2026, m, len[m - 1]));
        assert_false(cal_valid(2026, m, len[m - 1] + 1));
        assert_false(cal_valid(2026, m, 0));
        /* the day after a month's last day is the first of the next */
        int64_t last = cal_days_from_civil(2026, m, len[m - 1]);
        int64_t y;
        int mm, d;
        cal_civil_from_days(last + 1, &y, &mm, &d);
        assert_int_equal(d, 1);
        assert_int_equal(mm, m == 12 ? 1 : m + 1);
        assert_int_equal(y, m == 12 ? 2027 : 2026);
    }
    assert_true(cal_valid(2024, 2, 29));
    assert_false(cal_valid(2100, 2, 29));
    assert_false(cal_valid(2026, 0, 1));
    assert_false(cal_valid(2026, 13, 1));
}

static void test_known_days(void **state)
{
    int64_t y;
    int m, d;
    (void)state;
    assert_int_equal(cal_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(cal_weekday(0), 4); /* a Thursday */
    assert_int_equal(cal_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(cal_weekday(-1), 3);
    assert_int_equal(cal_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(cal_days_from_civil(2026, 11, 23), 20780);
    assert_int_equal(cal_weekday(20780), 1); /* a Monday */
    assert_int_equal(cal_days_from_civil(2100, 3, 1) - cal_days_from_civil(2100, 2, 28), 1);
    assert_int_equal(cal_days_from_civil(2101, 1, 1) - cal_days_from_civil(2100, 1, 1), 365);
    assert_int_equal(cal_days_from_civil(2001, 1, 1) - cal_days_from_civil(2000, 1, 1), 366);
    cal_civil_from_days(cal_days_from_civil(2100, 12, 31), &y, &m, &d);
    assert_int_equal(y, 2100);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
    cal_civil_from_days(-719468, &y, &m, &d); /* the epoch of the arithmetic */
    assert_int_equal(y, 0);
    assert_int_equal(m, 3);
    assert_int_equal(d, 1);
}

static void test_iso_weeks(void **state)
{
    int64_t y;
    (void)state;
    /* 2026-01-01 is a Thursday: week 1 of 2026 */
    assert_int_equal(cal_iso_week(cal_days_from_civil(2026, 1, 1), &y), 1);
    assert_int_equal(y, 2026);
    /* 2027-01-01 is a Friday: still week 53 of 2026 */
    assert_int_equal(cal_iso_week(cal_days_from_civil(2027, 1, 1), &y), 53);
    assert_int_equal(y, 2026);
    /* 2024-12-30 is a Monday: week 1 of 2025 */
    assert_int_equal(cal_iso_week(cal_days_from_civil(2024, 12, 30), &y), 1);
    assert_int_equal(y, 2025);
    assert_int_equal(cal_iso_week(cal_days_from_civil(2026, 11, 23), NULL), 48);
    assert_int_equal(cal_iso_week(0, &y), 1); /* 1970-01-01 */
    assert_int_equal(y, 1970);
}

static void test_parse_format(void **state)
{
    int64_t days = 42;
    char buf[16];
    (void)state;
    assert_int_equal(cal_parse_iso("1970-01-01", &days), 0);
    assert_int_equal(days, 0);
    assert_int_equal(cal_parse_iso("2024-02-29", &days), 0);
    assert_int_equal(days, cal_days_from_civil(2024, 2, 29));
    days = 42;
    assert_int_equal(cal_parse_iso("2100-02-29", &days), -1);
    assert_int_equal(cal_parse_iso("2026-13-01", &days), -1);
    assert_int_equal(cal_parse_iso("2026-04-31", &days), -1);
    assert_int_equal(cal_parse_iso("2026-4-30", &days), -1);
    assert_int_equal(cal_parse_iso("2026-04-30 ", &days), -1);
    assert_int_equal(cal_parse_iso("2026/04/30", &days), -1);
    assert_int_equal(cal_parse_iso("20x6-04-30", &days), -1);
    assert_int_equal(cal_parse_iso("", &days), -1);
    assert_int_equal(days, 42);
    cal_format_iso(0, buf, sizeof(buf));
    assert_string_equal(buf, "1970-01-01");
    cal_format_iso(cal_days_from_civil(2100, 2, 28) + 1, buf, sizeof(buf));
    assert_string_equal(buf, "2100-03-01");
    cal_format_iso(cal_days_from_civil(999, 7, 4), buf, sizeof(buf));
    assert_string_equal(buf, "0999-07-04");
    cal_format_iso(cal_days_from_civil(2026, 12, 31), buf, 8); /* bounded */
    assert_string_equal(buf, "2026-12");
}

/* The one parser of typed dates, with a fixed today: Wednesday 30
 * December 2026, so that dates without a year and weekdays wrap into 2027,
 * and (dir < 0) back from January into December. */
static int64_t pd(const char *s, int64_t today, int dir)
{
    int64_t d = -999999;
    if (cal_parse_date(s, today, dir, &d) != 0)
        return -999999;
    return d;
}

static void test_parse_people(void **state)
{
    (void)state;
    int64_t t = cal_days_from_civil(2026, 12, 30); /* a Wednesday */
    assert_int_equal(cal_weekday(t), 3);
    assert_int_equal(pd("besok", t, 1), cal_days_from_civil(2026, 12, 31));
    assert_int_equal(pd("lusa", t, 1), cal_days_from_civil(2027, 1, 1));
    assert_int_equal(pd("hari ini", t, 1), t);
    assert_int_equal(pd("Tomorrow", t, 1), t + 1);
    assert_int_equal(pd("minggu depan", t, 1), t + 7);
    assert_int_equal(pd("Jumat", t, 1), cal_days_from_civil(2027, 1, 1));
    assert_int_equal(pd("Jumat depan", t, 1), cal_days_from_civil(2027, 1, 8));
    assert_int_equal(pd("next friday", t, 1), cal_days_from_civil(2027, 1, 8));
    assert_int_equal(pd("Rabu", t, 1), t);
    assert_int_equal(pd("Rabu depan", t, 1), t + 7);
    assert_int_equal(pd("Rabu lalu", t, 1), t - 7);
    assert_int_equal(pd("Jumat", t, -1), cal_days_from_civil(2026, 12, 25));
    assert_int_equal(pd("5 Januari", t, 1), cal_days_from_civil(2027, 1, 5));
    assert_int_equal(pd("5/1", t, 1), cal_days_from_civil(2027, 1, 5));
    assert_int_equal(pd("Jan 5", t, 1), cal_days_from_civil(2027, 1, 5));
    assert_int_equal(pd("30 Desember", t, 1), t);
    assert_int_equal(pd("15 Des", t, 1), cal_days_from_civil(2027, 12, 15));
    assert_int_equal(pd("15 Des", t, -1), cal_days_from_civil(2026, 12, 15));
    assert_int_equal(pd("15 Des 2026", t, 1), cal_days_from_civil(2026, 12, 15));
    assert_int_equal(pd("2027-01-05", t, 1), cal_days_from_civil(2027, 1, 5));
    assert_int_equal(pd("5 Agustus 2027", t, 1), cal_days_from_civil(2027, 8, 5));
    assert_int_equal(pd("5 agt 2027", t, 1), cal_days_from_civil(2027, 8, 5));
    assert_int_equal(pd("Jumat, 1 Januari 2027", t, 1), cal_days_from_civil(2027, 1, 1));
    assert_int_equal(pd("Friday 1 January 2027", t, 1), cal_days_from_civil(2027, 1, 1));
    /* from January 2027, a question about the past wraps back */
    int64_t jan = cal_days_from_civil(2027, 1, 2);
    assert_int_equal(pd("30 Desember", jan, -1), t);
    assert_int_equal(pd("31/12", jan, -1), t + 1);
    assert_int_equal(pd("Rabu", jan, -1), t);
    assert_int_equal(pd("kemarin", jan, -1), jan - 1);
    /* not dates: nothing written */
    static const char *const bad[] = {"",
                                      "   ",
                                      "besok lusa depan",
                                      "Desember",
                                      "31 Juni",
                                      "1 Januari 1899",
                                      "Kamis, 1 Januari 2027",
                                      "next",
                                      "15 Desember 2026 pagi",
                                      "jumat jumat",
                                      "12/31/2026",
                                      "2026-1-5",
                                      "1/2-2027",
                                      "depan"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t d = 42;
        assert_int_equal(cal_parse_date(bad[i], t, 1, &d), -1);
        assert_int_equal(d, 42);
    }
    /* a bounded copy: a long answer is no date, never an overflow */
    char big[400];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(pd(big, t, 1), -999999);
}

/* The one format per language, long and short, and a bounded buffer. */
static void test_format_people(void **state)
{
    char buf[64];
    (void)state;
    int64_t d = cal_days_from_civil(2026, 12, 15);
    cal_format_date(d, CAL_LANG_ID, CAL_LONG, buf, sizeof(buf));
    assert_string_equal(buf, "Selasa, 15 Desember 2026");
    cal_format_date(d, CAL_LANG_EN, CAL_LONG, buf, sizeof(buf));
    assert_string_equal(buf, "Tuesday 15 December 2026");
    cal_format_date(d, CAL_LANG_ID, CAL_SHORT, buf, sizeof(buf));
    assert_string_equal(buf, "15 Des 2026");
    cal_format_date(d, CAL_LANG_EN, CAL_SHORT, buf, sizeof(buf));
    assert_string_equal(buf, "15 Dec 2026");
    cal_format_date(cal_days_from_civil(2027, 8, 1), CAL_LANG_ID, CAL_LONG, buf, sizeof(buf));
    assert_string_equal(buf, "Minggu, 1 Agustus 2027");
    cal_format_date(d, 7, CAL_LONG, buf, sizeof(buf)); /* unknown: Indonesian */
    assert_string_equal(buf, "Selasa, 15 Desember 2026");
    assert_int_equal(cal_format_date(d, CAL_LANG_ID, CAL_LONG, buf, 8), 24);
    assert_string_equal(buf, "Selasa,");
    /* every day of a year reads back through the parser */
    for (int64_t k = d; k < d + 366; k++) {
        int64_t back = 0;
        for (int l = 0; l < 2; l++) {
            cal_format_date(k, l, CAL_LONG, buf, sizeof(buf));
            assert_int_equal(cal_parse_date(buf, d, 1, &back), 0);
            assert_int_equal(back, k);
            cal_format_date(k, l, CAL_SHORT, buf, sizeof(buf));
            assert_int_equal(cal_parse_date(buf, d, 1, &back), 0);
            assert_int_equal(back, k);
        }
    }
    assert_string_equal(cal_weekday_name(5, CAL_LANG_ID), "Jumat");
    assert_string_equal(cal_weekday_name(5, CAL_LANG_EN), "Friday");
    assert_string_equal(cal_weekday_name(0, CAL_LANG_EN), "");
}

/* Every day from 1500 to 2500 against gmtime_r, and back again. */
static void test_round_trip(void **state)
{
    (void)state;
    int64_t from = cal_days_from_civil(1500, 1, 1), to = cal_days_from_civil(2500, 12, 31);
    int64_t py = 0;
    int pm = 0, pd = 0;
    for (int64_t day = from; day <= to; day++) {
        int64_t y;
        int m, d;
        char buf[16], want[16];
        struct tm tm;
        time_t t = (time_t)(day * 86400);
        cal_civil_from_days(day, &y, &m, &d);
        assert_non_null(gmtime_r(&t, &tm));
        assert_int_equal(y, tm.tm_year + 1900);
        assert_int_equal(m, tm.tm_mon + 1);
        assert_int_equal(d, tm.tm_mday);
        assert_int_equal(cal_weekday(day), tm.tm_wday == 0 ? 7 : tm.tm_wday);
        assert_true(cal_valid(y, m, d));
        assert_int_equal(cal_days_from_civil(y, m, d), day);
        if (day > from) /* consecutive: the next day of the month, or the 1st */
            assert_true((y == py && m == pm && d == pd + 1) ||
                        (d == 1 && pd == cal_days_in_month(py, pm)));
        cal_format_iso(day, buf, sizeof(buf));
        strftime(want, sizeof(want), "%Y-%m-%d", &tm);
        assert_string_equal(buf, want);
        int64_t back = 0;
        assert_int_equal(cal_parse_iso(buf, &back), 0);
        assert_int_equal(back, day);
        py = y, pm = m, pd = d;
    }
}

TFX_MAIN(cmocka_unit_test(test_floor_div), cmocka_unit_test(test_leap_years),
         cmocka_unit_test(test_month_ends), cmocka_unit_test(test_known_days),
         cmocka_unit_test(test_iso_weeks), cmocka_unit_test(test_parse_format),
         cmocka_unit_test(test_round_trip), cmocka_unit_test(test_parse_people),
         cmocka_unit_test(test_format_people))
