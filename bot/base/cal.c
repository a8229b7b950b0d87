/*
 * cal.c - civil dates as day numbers, proleptic Gregorian. See cal.h.
 *
 * The conversions count years from March so that the leap day is the last
 * day of a year, and 400-year eras of 146,097 days (Howard Hinnant's
 * well-known days-from-civil arithmetic, written out here). Pure; any
 * thread. It stands below everything, bb.c included, and calls nothing of
 * bimbing's.
 */
#include "bot/base/cal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int64_t cal_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

int cal_is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cal_days_in_month(int64_t y, int m)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && cal_is_leap(y) ? 29 : mdays[m - 1];
}

int cal_valid(int64_t y, int m, int d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= cal_days_in_month(y, m);
}

int64_t cal_days_from_civil(int64_t y, int m, int d)
{
    if (m <= 2)
        y--;
    int64_t era = cal_floor_div(y, 400);
    int64_t yoe = y - era * 400;                         /* 0..399 */
    int mp = (m + 9) % 12;                               /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + d - 1;            /* 0..365 */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* 0..146096 */
    return era * 146097 + doe - 719468;
}

void cal_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    int64_t z = days + 719468;
    int64_t era = cal_floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int cal_weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday. */
    int64_t r = (days + 3) % 7;
    if (r < 0)
        r += 7;
    return (int)r + 1;
}

int cal_iso_week(int64_t days, int64_t *year)
{
    int64_t thu = days - (cal_weekday(days) - 1) + 3;
    int64_t y;
    int m, d;
    cal_civil_from_days(thu, &y, &m, &d);
    if (year)
        *year = y;
    return (int)((thu - cal_days_from_civil(y, 1, 1)) / 7 + 1);
}

int cal_parse_date(const char *s, int64_t *days)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return -1;
    }
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (!cal_valid(y, m, d))
        return -1;
    *days = cal_days_from_civil(y, m, d);
    return 0;
}

void cal_format_date(int64_t days, char *out, size_t n)
{
    int64_t y;
    int m, d;
    cal_civil_from_days(days, &y, &m, &d);
    snprintf(out, n, "%04lld-%02d-%02d", (long long)y, m, d);
}
