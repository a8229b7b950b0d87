/* test_worktime.c - unit tests of bot/core/worktime.c: working days and
 * hours, the shipped holiday file and refused ones, and the next working
 * slot with times worked out by hand in WIB (UTC+7), WITA (UTC+8) and WIT
 * (UTC+9). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/base/cal.h"
#include "bot/core/worktime.h"

static int64_t at(const char *iso)
{
    int64_t t = 0;
    if (bb_parse_iso8601(iso, &t) != BB_OK)
        fail_msg("bad time %s", iso);
    return t;
}

static int64_t day_of(const char *ymd)
{
    int64_t d = 0;
    assert_int_equal(cal_parse_iso(ymd, &d), 0);
    return d;
}

static struct work_holidays *shipped(void)
{
    struct work_holidays *h = NULL;
    char err[300] = "";
    int rc = work_holidays_load("config/holidays.json", &h, err, sizeof(err));
    if (rc != BB_OK)
        fail_msg("config/holidays.json: %s", err);
    return h;
}

/* next slot of `from` for a person in zone `zone` with days/hours ("" for
 * the default), leave until `leave` ("" for none), as ISO UTC */
static void expect_next(const char *zone, const char *days, const char *hours, const char *leave,
                        const char *from, const char *want)
{
    struct work_hours h;
    struct tz *z = NULL;
    struct work_holidays *hol = shipped();
    char err[200], got[32];
    int64_t out = 0;
    work_hours_default(&h);
    assert_int_equal(work_hours_parse(days, hours, &h, err, sizeof(err)), BB_OK);
    assert_int_equal(tz_load(zone, &z), BB_OK);
    assert_int_equal(work_next(&h, hol, z, at(from), leave[0] ? day_of(leave) : INT64_MIN, &out),
                     BB_OK);
    bb_format_iso8601(out, got, sizeof(got));
    if (strcmp(got, want) != 0)
        fail_msg("%s %s from %s: got %s, want %s", zone, days, from, got, want);
    tz_free(z);
    work_holidays_free(hol);
}

static void test_next_slot(void **state)
{
    (void)state;
    /* Friday 2026-11-27 16:00 WIB (09:00Z): after hours (16:00 is the end,
     * not in it) -> Monday 2026-11-30 07:30 WIB = 00:30Z. */
    expect_next("WIB", "", "", "", "2026-11-27T09:00:00Z", "2026-11-30T00:30:00Z");
    /* Friday 20:00 WITA (12:00Z) -> Monday 07:30 WITA = Sunday 23:30Z. */
    expect_next("WITA", "", "", "", "2026-11-27T12:00:00Z", "2026-11-29T23:30:00Z");
    /* Sunday 2026-11-29 10:00 WIT (01:00Z) -> Monday 07:30 WIT = Sunday 22:30Z. */
    expect_next("WIT", "", "", "", "2026-11-29T01:00:00Z", "2026-11-29T22:30:00Z");
    /* Inside: Wednesday 10:00 WIB, and 15:59 WIB on Thursday, stay. */
    expect_next("WIB", "", "", "", "2026-11-25T03:00:00Z", "2026-11-25T03:00:00Z");
    expect_next("WIB", "", "", "", "2026-11-26T08:59:00Z", "2026-11-26T08:59:00Z");
    /* Before the start: Tuesday 06:00 WIB (Monday 23:00Z) -> 07:30 that day. */
    expect_next("WIB", "", "", "", "2026-11-23T23:00:00Z", "2026-11-24T00:30:00Z");
    /* Thursday 16:00 WIB exactly -> Friday 07:30. */
    expect_next("WIB", "", "", "", "2026-11-26T09:00:00Z", "2026-11-27T00:30:00Z");
    /* Christmas: Wednesday 2026-12-23 17:00 WIB; 24 (cuti bersama), 25
     * (Natal), the weekend -> Monday 2026-12-28 07:30 WIB. */
    expect_next("WIB", "", "", "", "2026-12-23T10:00:00Z", "2026-12-28T00:30:00Z");
    /* New Year 2026: Wednesday 2025-12-31 17:00 WITA -> Friday 2 January. */
    expect_next("WITA", "", "", "", "2025-12-31T09:00:00Z", "2026-01-01T23:30:00Z");
    /* Lebaran: Tuesday 2026-03-17 16:30 WIB; 18 cuti, 19 Nyepi, 20 cuti, 21-22
     * Idulfitri, 23-24 cuti -> Wednesday 2026-03-25 07:30 WIB. */
    expect_next("WIB", "", "", "", "2026-03-17T09:30:00Z", "2026-03-25T00:30:00Z");
    /* Leave until Friday 2026-12-04: Monday 09:00 WIB -> Monday 7 December. */
    expect_next("WIB", "", "", "2026-12-04", "2026-11-30T02:00:00Z", "2026-12-07T00:30:00Z");
    /* A person's own week: Monday to Thursday 08:00-17:00, in WITA; Friday
     * 10:00 WITA -> Monday 08:00 WITA = Monday 00:00Z. */
    expect_next("WITA", "mon-thu", "08:00-17:00", "", "2026-11-27T02:00:00Z",
                "2026-11-30T00:00:00Z");
    /* Indonesian day names, Saturday work until 12:00: Saturday 11:00 WIB stays. */
    expect_next("WIB", "sen-sab", "07:00-12:00", "", "2026-11-28T04:00:00Z",
                "2026-11-28T04:00:00Z");
}

static void test_hours_parse(void **state)
{
    (void)state;
    struct work_hours h, d;
    char err[200], days[48], hours[16];
    work_hours_default(&d);
    h = d;
    assert_int_equal(work_hours_parse("sen-jum", "07:30-16:00", &h, err, sizeof(err)), BB_OK);
    assert_memory_equal(&h, &d, sizeof(h));
    work_hours_format(&h, days, sizeof(days), hours, sizeof(hours));
    assert_string_equal(days, "mon,tue,wed,thu,fri");
    assert_string_equal(hours, "07:30-16:00");
    assert_int_equal(work_hours_parse("Mon,Wed,fri", "00:00-24:00", &h, err, sizeof(err)), BB_OK);
    assert_int_equal(h.days, (1u << 1) | (1u << 3) | (1u << 5));
    assert_int_equal(h.end_min, 24 * 60);
    /* refused, and *h is left as it was */
    static const char *const bad_days[] = {"fri-mon", "xyz", "mon,", "mon--fri", ",", "monday-x"};
    for (size_t i = 0; i < sizeof(bad_days) / sizeof(bad_days[0]); i++) {
        h = d;
        err[0] = '\0';
        assert_int_equal(work_hours_parse(bad_days[i], NULL, &h, err, sizeof(err)), BB_EINVAL);
        assert_non_null(strstr(err, "working days"));
        assert_memory_equal(&h, &d, sizeof(h));
    }
    static const char *const bad_hours[] = {"16:00-07:30", "7:30-16:00",  "07:30",
                                            "07:30-24:01", "07:60-16:00", "08:00-08:00"};
    for (size_t i = 0; i < sizeof(bad_hours) / sizeof(bad_hours[0]); i++) {
        h = d;
        assert_int_equal(work_hours_parse(NULL, bad_hours[i], &h, err, sizeof(err)), BB_EINVAL);
        assert_non_null(strstr(err, "working hours"));
        assert_memory_equal(&h, &d, sizeof(h));
    }
}

static void test_shipped_file(void **state)
{
    (void)state;
    struct work_holidays *h = shipped();
    int hol = 0, cuti = 0;
    assert_int_equal(work_holidays_nyears(h), 2);
    const struct work_year *y26 = work_holidays_year(h, 0), *y27 = work_holidays_year(h, 1);
    assert_int_equal(y26->year, 2026);
    assert_non_null(strstr(y26->source, "1497 Tahun 2025"));
    /* 2027's decree was not found: no source, no days */
    assert_int_equal(y27->year, 2027);
    assert_string_equal(y27->source, "");
    assert_int_equal(y27->ndays, 0);
    for (int i = 0; i < work_holidays_ndays(h); i++) {
        const struct work_day *d = work_holidays_day(h, i);
        hol += d->kind == WORK_HOLIDAY;
        cuti += d->kind == WORK_CUTI_BERSAMA;
        if (i > 0)
            assert_true(d->day > work_holidays_day(h, i - 1)->day);
    }
    /* the decree: 17 national holidays and 8 days of cuti bersama */
    assert_int_equal(hol, 17);
    assert_int_equal(cuti, 8);
    const struct work_day *x = work_holiday_on(h, day_of("2026-08-17"));
    assert_non_null(x);
    assert_int_equal(x->kind, WORK_HOLIDAY);
    assert_string_equal(x->name[1], "Independence Day");
    x = work_holiday_on(h, day_of("2026-12-24"));
    assert_non_null(x);
    assert_int_equal(x->kind, WORK_CUTI_BERSAMA);
    assert_null(work_holiday_on(h, day_of("2026-08-18")));
    assert_null(work_holiday_on(NULL, day_of("2026-08-17")));
    work_holidays_free(h);
}

static void test_bad_files(void **state)
{
    (void)state;
    static const struct {
        const char *json, *want;
    } cases[] = {
        {"{", "not valid JSON"},
        {"[]", "must be an object"},
        {"{\"years\": [], \"extra\": 1}", "must be an object"},
        {"{\"years\": [{\"year\": 1999, \"source\": \"x\", \"days\": []}]}", "year from 2000"},
        {"{\"years\": [{\"year\": 2026, \"days\": []}]}", "source must be a string"},
        {"{\"years\": [{\"year\": 2026, \"source\": \"\", \"days\": [{\"date\": \"2026-01-01\","
         " \"kind\": \"holiday\", \"id\": \"a\", \"en\": \"b\"}]}]}",
         "names no source"},
        {"{\"years\": [{\"year\": 2026, \"source\": \"SKB\", \"days\": [{\"date\": \"2027-01-01\","
         " \"kind\": \"holiday\", \"id\": \"a\", \"en\": \"b\"}]}]}",
         "is not in 2026"},
        {"{\"years\": [{\"year\": 2026, \"source\": \"SKB\", \"days\": [{\"date\": \"2026-02-30\","
         " \"kind\": \"holiday\", \"id\": \"a\", \"en\": \"b\"}]}]}",
         "days[0].date must be a date"},
        {"{\"years\": [{\"year\": 2026, \"source\": \"SKB\", \"days\": [{\"date\": \"2026-01-01\","
         " \"kind\": \"libur\", \"id\": \"a\", \"en\": \"b\"}]}]}",
         "kind must be"},
        {"{\"years\": [{\"year\": 2026, \"source\": \"SKB\", \"days\": [{\"date\": \"2026-01-01\","
         " \"kind\": \"holiday\", \"id\": \"a\"}]}]}",
         "needs its name"},
        {"{\"years\": [{\"year\": 2026, \"source\": \"SKB\", \"days\": [{\"date\": \"2026-01-01\","
         " \"kind\": \"holiday\", \"id\": \"a\", \"en\": \"b\"}, {\"date\": \"2026-01-01\","
         " \"kind\": \"cuti_bersama\", \"id\": \"a\", \"en\": \"b\"}]}]}",
         "listed twice"},
        {"{\"years\": [{\"year\": 2026, \"source\": \"a\", \"days\": []}, {\"year\": 2026,"
         " \"source\": \"b\", \"days\": []}]}",
         "2026 is listed twice"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct work_holidays *h = (struct work_holidays *)1;
        char err[300] = "";
        int rc = work_holidays_parse(cases[i].json, strlen(cases[i].json), "t.json", &h, err,
                                     sizeof(err));
        if (rc != BB_EINVAL || h != NULL || !strstr(err, cases[i].want))
            fail_msg("case %zu: rc %d, err \"%s\", want \"%s\"", i, rc, err, cases[i].want);
        assert_non_null(strstr(err, "t.json"));
    }
    struct work_holidays *h = NULL;
    char err[300];
    assert_int_equal(work_holidays_load("/nonexistent/holidays.json", &h, err, sizeof(err)),
                     BB_EIO);
    assert_null(h);
}

static void test_format(void **state)
{
    (void)state;
    struct tz *z = NULL;
    char out[80];
    assert_int_equal(tz_load("WITA", &z), BB_OK);
    work_format_when(z, at("2026-11-29T23:30:00Z"), 0, out, sizeof(out));
    assert_string_equal(out, "Senin, 30 November 2026 pukul 07.30");
    work_format_when(z, at("2026-11-29T23:30:00Z"), 1, out, sizeof(out));
    assert_string_equal(out, "Monday 30 November 2026 at 07:30");
    work_format_day(day_of("2026-12-04"), 0, out, sizeof(out));
    assert_string_equal(out, "Jumat, 4 Desember 2026");
    tz_free(z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_next_slot),    cmocka_unit_test(test_hours_parse),
        cmocka_unit_test(test_shipped_file), cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
