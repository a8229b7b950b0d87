/*
 * cal.c - civil dates as day numbers, proleptic Gregorian. See cal.h.
 *
 * The conversions count years from March so that the leap day is the last
 * day of a year, and 400-year eras of 146,097 days (Howard Hinnant's
 * well-known days-from-civil arithmetic, written out here). Pure; any
 * thread. It stands below everything, bb.c included, and calls nothing of
 * bimbing's. Below the arithmetic: the one parser of dates as people type
 * them and the one format of dates as people read them, per language.
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

int cal_parse_iso(const char *s, int64_t *days)
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

void cal_format_iso(int64_t days, char *out, size_t n)
{
    int64_t y;
    int m, d;
    cal_civil_from_days(days, &y, &m, &d);
    snprintf(out, n, "%04lld-%02d-%02d", (long long)y, m, d);
}

/* ---- dates as people write them ------------------------------------------ */

#define YEAR_MIN 1900
#define YEAR_MAX 2200
#define TOK_MAX  8
#define TEXT_MAX 96

static const char *const wd_names[2][7] = {
    {"Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"},
    {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}};
static const char *const month_names[2][12] = {
    {"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
     "Oktober", "November", "Desember"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"}};
static const char *const month_short[2][12] = {
    {"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"},
    {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}};

/* Weekday (1-7) of a lower-case word, or 0. */
static int weekday_word(const char *w)
{
    static const struct {
        const char *w;
        int wd;
    } v[] = {{"senin", 1},     {"selasa", 2},   {"rabu", 3},   {"kamis", 4},    {"jumat", 5},
             {"sabtu", 6},     {"minggu", 7},   {"ahad", 7},   {"monday", 1},   {"tuesday", 2},
             {"wednesday", 3}, {"thursday", 4}, {"friday", 5}, {"saturday", 6}, {"sunday", 7},
             {"mon", 1},       {"tue", 2},      {"tues", 2},   {"wed", 3},      {"thu", 4},
             {"thur", 4},      {"thurs", 4},    {"fri", 5},    {"sat", 6},      {"sun", 7},
             {"sen", 1},       {"sel", 2},      {"rab", 3},    {"kam", 4},      {"jum", 5},
             {"sab", 6},       {"min", 7}};
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        if (strcmp(w, v[i].w) == 0)
            return v[i].wd;
    return 0;
}

/* Month (1-12) of a lower-case word: a full name or an abbreviation in
 * either language ("des", "dec", "agt", "sept"), or 0. */
static int month_word(const char *w)
{
    static const struct {
        const char *w;
        int m;
    } extra[] = {{"agt", 8}, {"ags", 8},      {"agus", 8}, {"sept", 9},
                 {"peb", 2}, {"pebruari", 2}, {"nop", 11}, {"nopember", 11}};
    char low[16];
    for (int l = 0; l < 2; l++)
        for (int m = 0; m < 12; m++) {
            size_t k;
            for (k = 0; month_names[l][m][k] && k + 1 < sizeof(low); k++)
                low[k] = (char)tolower((unsigned char)month_names[l][m][k]);
            low[k] = '\0';
            if (strcmp(w, low) == 0)
                return m + 1;
            for (k = 0; month_short[l][m][k] && k + 1 < sizeof(low); k++)
                low[k] = (char)tolower((unsigned char)month_short[l][m][k]);
            low[k] = '\0';
            if (strcmp(w, low) == 0)
                return m + 1;
        }
    for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
        if (strcmp(w, extra[i].w) == 0)
            return extra[i].m;
    return 0;
}

/* A whole decimal number of 1 to max_digits digits within [lo, hi], or -1. */
static long num_word(const char *w, int max_digits, long lo, long hi)
{
    long v = 0;
    int k = 0;
    for (; w[k]; k++) {
        if (!isdigit((unsigned char)w[k]) || k >= max_digits)
            return -1;
        v = v * 10 + (w[k] - '0');
    }
    return k > 0 && v >= lo && v <= hi ? v : -1;
}

/* A day of the month, also written "15th", "1st", "2nd", "3rd", or -1. */
static long day_word(const char *w)
{
    char tmp[8];
    size_t n = strlen(w);
    if (n >= sizeof(tmp))
        return -1;
    memcpy(tmp, w, n + 1);
    if (n > 2 && (strcmp(tmp + n - 2, "st") == 0 || strcmp(tmp + n - 2, "nd") == 0 ||
                  strcmp(tmp + n - 2, "rd") == 0 || strcmp(tmp + n - 2, "th") == 0))
        tmp[n - 2] = '\0';
    return num_word(tmp, 2, 1, 31);
}

static long year_word(const char *w)
{
    long y = num_word(w, 4, 0, 9999);
    if (y >= 0 && strlen(w) == 2)
        return 2000 + y;
    return strlen(w) == 4 && y >= YEAR_MIN && y <= YEAR_MAX ? y : -1;
}

/* d/m without a year: the next such date from today (dir >= 0) or the last
 * one (dir < 0); a 29 February looks up to eight years away. */
static int resolve_year(int m, int d, int64_t today, int dir, int64_t *out)
{
    int64_t y;
    int tm, td;
    cal_civil_from_days(today, &y, &tm, &td);
    for (int k = 0; k <= 8; k++) {
        int64_t yy = dir >= 0 ? y + k : y - k;
        if (yy < YEAR_MIN || yy > YEAR_MAX || !cal_valid(yy, m, d))
            continue;
        int64_t day = cal_days_from_civil(yy, m, d);
        if ((dir >= 0 && day >= today) || (dir < 0 && day <= today)) {
            *out = day;
            return 0;
        }
    }
    return -1;
}

static int ymd(long y, long m, long d, int64_t *out)
{
    if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12 || !cal_valid(y, (int)m, (int)d))
        return -1;
    *out = cal_days_from_civil(y, (int)m, (int)d);
    return 0;
}

/* "2026-12-15", "15/12", "15/12/2026", "15-12-26", "15.12.2026". */
static int numeric_date(const char *w, int64_t today, int dir, int64_t *out)
{
    char tmp[16];
    char *part[3];
    int np = 0;
    size_t n = strlen(w);
    if (n < 3 || n >= sizeof(tmp))
        return -1;
    memcpy(tmp, w, n + 1);
    char sep = 0;
    part[np++] = tmp;
    for (char *p = tmp; *p; p++) {
        if (*p == '/' || *p == '-' || *p == '.') {
            if ((sep && *p != sep) || np == 3)
                return -1;
            sep = *p;
            *p = '\0';
            part[np++] = p + 1;
        } else if (!isdigit((unsigned char)*p)) {
            return -1;
        }
    }
    if (np < 2)
        return -1;
    if (np == 3 && strlen(part[0]) == 4) { /* ISO: year first, dashes only */
        if (sep != '-' || strlen(part[1]) != 2 || strlen(part[2]) != 2)
            return -1;
        return ymd(num_word(part[0], 4, 0, 9999), num_word(part[1], 2, 1, 12),
                   num_word(part[2], 2, 1, 31), out);
    }
    long d = num_word(part[0], 2, 1, 31), m = num_word(part[1], 2, 1, 12);
    if (d < 0 || m < 0)
        return -1;
    if (np == 2)
        return resolve_year((int)m, (int)d, today, dir, out);
    return ymd(year_word(part[2]), m, d, out);
}

/* The weekday wd from today: the coming one (dir >= 0) or the last one,
 * today included. */
static int64_t weekday_near(int wd, int64_t today, int dir)
{
    int now = cal_weekday(today);
    return dir >= 0 ? today + (wd - now + 7) % 7 : today - (now - wd + 7) % 7;
}

int cal_parse_date(const char *s, int64_t today, int dir, int64_t *days)
{
    static const struct {
        const char *w;
        int off;
    } rel[] = {{"hari ini", 0},   {"today", 0},       {"sekarang", 0},      {"now", 0},
               {"besok", 1},      {"tomorrow", 1},    {"lusa", 2},          {"besok lusa", 2},
               {"kemarin", -1},   {"yesterday", -1},  {"kemarin lusa", -2}, {"minggu depan", 7},
               {"next week", 7},  {"pekan depan", 7}, {"minggu lalu", -7},  {"last week", -7},
               {"pekan lalu", -7}};
    char text[TEXT_MAX];
    char *tok[TOK_MAX];
    int nt = 0;
    size_t o = 0;

    if (!s || !days)
        return -1;
    /* lower case, apostrophes (' and U+2019) dropped, commas as spaces */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\'')
            continue;
        if (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x99) {
            p += 2;
            continue;
        }
        if (o + 1 >= sizeof(text))
            return -1;
        text[o++] = *p == ',' ? ' ' : (char)tolower(*p);
    }
    text[o] = '\0';
    while (o > 0 && (isspace((unsigned char)text[o - 1]) || text[o - 1] == '.' ||
                     text[o - 1] == '!' || text[o - 1] == '?'))
        text[--o] = '\0';
    {
        char *save = NULL;
        for (char *p = strtok_r(text, " \t\r\n", &save); p; p = strtok_r(NULL, " \t\r\n", &save)) {
            if (nt == TOK_MAX)
                return -1;
            tok[nt++] = p;
        }
    }
    if (nt == 0)
        return -1;
    int at = 0;
    if (nt - at > 1 && (strcmp(tok[at], "tanggal") == 0 || strcmp(tok[at], "tgl") == 0 ||
                        strcmp(tok[at], "on") == 0))
        at++;
    /* relative words */
    if (nt - at <= 2) {
        char phrase[TEXT_MAX];
        snprintf(phrase, sizeof(phrase), "%s%s%s", tok[at], nt - at == 2 ? " " : "",
                 nt - at == 2 ? tok[at + 1] : "");
        for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++)
            if (strcmp(phrase, rel[i].w) == 0) {
                *days = today + rel[i].off;
                return 0;
            }
    }
    if (nt - at > 1 && strcmp(tok[at], "hari") == 0)
        at++;
    /* weekdays: "jumat", "jumat depan", "next friday", "jumat lalu", "last friday" */
    int mod = 0; /* 1 next, -1 last, 2 this */
    if (nt - at == 2 && (strcmp(tok[at], "next") == 0 || strcmp(tok[at], "last") == 0 ||
                         strcmp(tok[at], "this") == 0)) {
        mod = tok[at][0] == 'n' ? 1 : tok[at][0] == 'l' ? -1 : 2;
        at++;
    }
    int wd = weekday_word(tok[at]);
    if (wd && nt - at <= 2) {
        if (nt - at == 2) {
            if (mod)
                return -1;
            if (strcmp(tok[at + 1], "depan") == 0 || strcmp(tok[at + 1], "mendatang") == 0)
                mod = 1;
            else if (strcmp(tok[at + 1], "lalu") == 0 || strcmp(tok[at + 1], "kemarin") == 0)
                mod = -1;
            else if (strcmp(tok[at + 1], "ini") == 0)
                mod = 2;
            else
                wd = -wd; /* a weekday before a date: checked below */
        }
        if (wd > 0) {
            int now = cal_weekday(today);
            if (mod == 1) /* that day of next week */
                *days = today - (now - 1) + 7 + (wd - 1);
            else if (mod == -1) /* the last one before today */
                *days = today - ((now - wd + 6) % 7 + 1);
            else if (mod == 2) /* that day of this week */
                *days = today - (now - 1) + (wd - 1);
            else
                *days = weekday_near(wd, today, dir);
            return 0;
        }
        wd = -wd;
    } else if (mod) {
        return -1;
    }
    int want_wd = 0;
    if (wd) { /* "Selasa, 15 Desember 2026": the weekday must agree */
        want_wd = wd;
        at++;
    }
    int64_t day;
    int rc = -1;
    int left = nt - at;
    if (left == 1) {
        rc = numeric_date(tok[at], today, dir, &day);
    } else if (left == 2 || left == 3) {
        long d = day_word(tok[at]);
        int m = month_word(tok[at + 1]);
        if (d < 0 || !m) { /* "December 15", "Dec 15 2026" */
            m = month_word(tok[at]);
            d = day_word(tok[at + 1]);
        }
        if (d >= 0 && m) {
            if (left == 2)
                rc = resolve_year(m, (int)d, today, dir, &day);
            else
                rc = ymd(year_word(tok[at + 2]), m, d, &day);
        }
    }
    if (rc != 0 || (want_wd && cal_weekday(day) != want_wd))
        return -1;
    *days = day;
    return 0;
}

/* ---- dates as people read them -------------------------------------------- */

const char *cal_weekday_name(int wd, int lang)
{
    if (wd < 1 || wd > 7)
        return "";
    return wd_names[lang == CAL_LANG_EN ? 1 : 0][wd - 1];
}

int cal_format_date(int64_t days, int lang, int style, char *out, size_t n)
{
    int64_t y;
    int m, d;
    int l = lang == CAL_LANG_EN ? 1 : 0;
    cal_civil_from_days(days, &y, &m, &d);
    if (style == CAL_SHORT)
        return snprintf(out, n, "%d %s %lld", d, month_short[l][m - 1], (long long)y);
    if (l == 0)
        return snprintf(out, n, "%s, %d %s %lld", wd_names[0][cal_weekday(days) - 1], d,
                        month_names[0][m - 1], (long long)y);
    return snprintf(out, n, "%s %d %s %lld", wd_names[1][cal_weekday(days) - 1], d,
                    month_names[1][m - 1], (long long)y);
}
