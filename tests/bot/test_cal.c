/* test_cal.c - unit tests of bot/base/cal.c: leap years, month ends, 1970
 * and 2100, ISO weeks, the strict date form, and round trips over a
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
    assert_int_equal(cal_parse_date("1970-01-01", &days), 0);
    assert_int_equal(days, 0);
    assert_int_equal(cal_parse_date("2024-02-29", &days), 0);
    assert_int_equal(days, cal_days_from_civil(2024, 2, 29));
    days = 42;
    assert_int_equal(cal_parse_date("2100-02-29", &days), -1);
    assert_int_equal(cal_parse_date("2026-13-01", &days), -1);
    assert_int_equal(cal_parse_date("2026-04-31", &days), -1);
    assert_int_equal(cal_parse_date("2026-4-30", &days), -1);
    assert_int_equal(cal_parse_date("2026-04-30 ", &days), -1);
    assert_int_equal(cal_parse_date("2026/04/30", &days), -1);
    assert_int_equal(cal_parse_date("20x6-04-30", &days), -1);
    assert_int_equal(cal_parse_date("", &days), -1);
    assert_int_equal(days, 42);
    cal_format_date(0, buf, sizeof(buf));
    assert_string_equal(buf, "1970-01-01");
    cal_format_date(cal_days_from_civil(2100, 2, 28) + 1, buf, sizeof(buf));
    assert_string_equal(buf, "2100-03-01");
    cal_format_date(cal_days_from_civil(999, 7, 4), buf, sizeof(buf));
    assert_string_equal(buf, "0999-07-04");
    cal_format_date(cal_days_from_civil(2026, 12, 31), buf, 8); /* bounded */
    assert_string_equal(buf, "2026-12");
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
        cal_format_date(day, buf, sizeof(buf));
        strftime(want, sizeof(want), "%Y-%m-%d", &tm);
        assert_string_equal(buf, want);
        int64_t back = 0;
        assert_int_equal(cal_parse_date(buf, &back), 0);
        assert_int_equal(back, day);
        py = y, pm = m, pd = d;
    }
}

TFX_MAIN(cmocka_unit_test(test_floor_div), cmocka_unit_test(test_leap_years),
         cmocka_unit_test(test_month_ends), cmocka_unit_test(test_known_days),
         cmocka_unit_test(test_iso_weeks), cmocka_unit_test(test_parse_format),
         cmocka_unit_test(test_round_trip))
