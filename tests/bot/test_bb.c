/* test_bb.c - unit tests of bot/base/bb.c: time parsing, durations, UTF-8,
 * bounded copies and the capped buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "bot/base/bb.h"
#include "tests/lib/fixture.h"

/* An input of a parser, the code it must return and, when BB_OK, the
 * value. */
struct parse_case {
    const char *in;
    int rc;
    int64_t want;
};

static void check_parse(int (*parse)(const char *, int64_t *), const struct parse_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int64_t v = -1;
        int rc = parse(c[i].in, &v);
        if (rc != c[i].rc || (rc == BB_OK && v != c[i].want))
            print_error("case %zu: \"%s\" gave %d, %lld\n", i, c[i].in, rc, (long long)v);
        assert_int_equal(rc, c[i].rc);
        if (c[i].rc == BB_OK)
            assert_int_equal(v, c[i].want);
    }
}

static void test_iso8601(void **state)
{
    (void)state;
    static const struct parse_case cases[] = {
        {"1970-01-01", BB_OK, 0},
        {"2026-11-23T10:00:00Z", BB_OK, 1795428000},
        {"2026-11-23T17:00+07:00", BB_OK, 1795428000},
        {"2024-02-29", BB_OK, 1709164800},
        {"2023-02-29", BB_EINVAL, 0},
        {"2026-13-01", BB_EINVAL, 0},
        {"2026-11-23T10:00:00Zjunk", BB_EINVAL, 0},
        {"yesterday", BB_EINVAL, 0},
    };
    check_parse(bb_parse_iso8601, cases, BB_ARRAY_LEN(cases));
    char out[32];
    bb_format_iso8601(1795428000, out, sizeof(out));
    assert_string_equal(out, "2026-11-23T10:00:00Z");
}

static void test_duration(void **state)
{
    (void)state;
    static const struct parse_case cases[] = {
        {"90s", BB_OK, 90},       {"4h", BB_OK, 4 * 3600}, {"2d", BB_OK, 2 * 86400},
        {"1w", BB_OK, 7 * 86400}, {"h", BB_EINVAL, 0},     {"-1d", BB_EINVAL, 0},
        {"3x", BB_EINVAL, 0},
    };
    check_parse(bb_parse_duration, cases, BB_ARRAY_LEN(cases));
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(bb_utf8_valid("héllo", strlen("héllo")));
    assert_false(bb_utf8_valid("\xC3", 1));
    assert_false(bb_utf8_valid("\xC0\xAF", 2));        /* overlong */
    assert_false(bb_utf8_valid("\xED\xA0\x80", 3));    /* surrogate */
    assert_true(bb_utf8_valid("\xF0\x9F\x98\x80", 4)); /* emoji */
    assert_int_equal(bb_utf8_len("héllo"), 5);
    /* "é" is 2 bytes at offset 1: cutting at 2 bytes must not split it */
    assert_int_equal(bb_utf8_cut("héllo", 6, 2), 1);
    char small[3];
    assert_int_equal(bb_strlcpy(small, "héllo", sizeof(small)), BB_ELIMIT);
    assert_string_equal(small, "h");
    char f[32];
    assert_int_equal(bb_fold("  YA Á ", f, sizeof(f)), BB_OK);
    assert_string_equal(f, "ya á");
}

static void test_buf_cap(void **state)
{
    (void)state;
    struct bb_buf b;
    bb_buf_init(&b, 8);
    assert_int_equal(bb_buf_puts(&b, "1234"), BB_OK);
    assert_int_equal(bb_buf_printf(&b, "%d", 5678), BB_OK);
    assert_int_equal(bb_buf_puts(&b, "9"), BB_ELIMIT);
    assert_string_equal(b.data, "12345678");
    char *s = bb_buf_take(&b);
    assert_string_equal(s, "12345678");
    free(s);
    assert_null(b.data);
    bb_buf_free(&b);
}

/* Finding 8 of issue 14: a CSV cell a spreadsheet would run as a formula
 * is written with a leading apostrophe; numbers and plain text are not. */
static void test_csv_field(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""},
        {"+1+1", "\"'+1+1\""},
        {"-2+3", "\"'-2+3\""},
        {"@SUM(A1)", "\"'@SUM(A1)\""},
        {"\t=1", "\"'\t=1\""},
        {"\r=1", "\"'\r=1\""},
        {"-12.5", "\"-12.5\""},
        {"+3", "\"+3\""},
        {"-", "\"'-\""},
        {"Biro SDM", "\"Biro SDM\""},
        {"a \"b\"", "\"a \"\"b\"\"\""},
        {"", "\"\""},
    };
    for (size_t i = 0; i < BB_ARRAY_LEN(cases); i++) {
        struct bb_buf b;
        bb_buf_init(&b, 256);
        assert_int_equal(bb_csv_field(&b, cases[i][0]), BB_OK);
        assert_string_equal(b.data, cases[i][1]);
        bb_buf_free(&b);
    }
    struct bb_buf b;
    bb_buf_init(&b, 6);
    assert_int_equal(bb_buf_puts(&b, "x,"), BB_OK);
    assert_int_equal(bb_csv_field(&b, "=abc"), BB_ELIMIT);
    assert_string_equal(b.data, "x,");
    bb_buf_free(&b);
}

/* Issue 14, Info: direction overrides and isolates are found; other
 * scripts (Arabic, Indonesian) and the marks LRM/RLM are not. */
static void test_bidi(void **state)
{
    (void)state;
    assert_int_equal(bb_has_bidi_control("Rapat pukul 10"), 0);
    assert_int_equal(bb_has_bidi_control("\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 hello"), 0);
    assert_int_equal(bb_has_bidi_control("a\xe2\x80\x8f b"), 0);       /* U+200F RLM */
    assert_int_equal(bb_has_bidi_control("a\xe2\x80\xae fdp.exe"), 1); /* U+202E RLO */
    assert_int_equal(bb_has_bidi_control("\xe2\x80\xaax"), 1);         /* U+202A LRE */
    assert_int_equal(bb_has_bidi_control("x\xe2\x81\xa6"), 1);         /* U+2066 LRI */
    assert_int_equal(bb_has_bidi_control("x\xe2\x81\xa9y"), 1);        /* U+2069 PDI */
    assert_int_equal(bb_has_bidi_control("\xe2\x80"), 0);              /* cut short */
    assert_int_equal(bb_has_bidi_control(""), 0);
}

static void test_parse_ll(void **state)
{
    (void)state;
    long long v;
    assert_int_equal(bb_parse_ll("42", 0, 100, &v), BB_OK);
    assert_int_equal(v, 42);
    assert_int_equal(bb_parse_ll("101", 0, 100, &v), BB_EINVAL);
    assert_int_equal(bb_parse_ll("4x", 0, 100, &v), BB_EINVAL);
    assert_int_equal(bb_parse_ll("", 0, 100, &v), BB_EINVAL);
    assert_int_equal(bb_parse_ll(" 4", 0, 100, &v), BB_EINVAL);
}

static void test_num_i64(void **state)
{
    (void)state;
    int64_t v = -1;
    assert_int_equal(bb_num_i64(4503599627370495.0, &v), BB_OK); /* a 52-bit Telegram id */
    assert_int_equal(v, 4503599627370495LL);
    assert_int_equal(bb_num_i64(-42.0, &v), BB_OK);
    assert_int_equal(v, -42);
    assert_int_equal(bb_num_i64(1.5, &v), BB_EINVAL);
    assert_int_equal(bb_num_i64(7.7e82, &v), BB_EINVAL); /* would be undefined as a cast */
    assert_int_equal(bb_num_i64(0.0 / 0.0, &v), BB_EINVAL);
    assert_int_equal(bb_num_or(1e300, 7), 7);
    /* issue 14, Info: ids above 2^53 are refused, never rounded */
    assert_int_equal(bb_num_i64(9007199254740991.0, &v), BB_OK);
    assert_int_equal(v, 9007199254740991LL);
    cJSON *j = cJSON_Parse("[9007199254740993, -9007199254740993, 9007199254740992]");
    assert_non_null(j);
    for (int i = 0; i < 3; i++) {
        v = -1;
        assert_int_equal(bb_num_i64(cJSON_GetArrayItem(j, i)->valuedouble, &v), BB_EINVAL);
        assert_int_equal(v, -1);
    }
    cJSON_Delete(j);
}

TFX_MAIN(cmocka_unit_test(test_iso8601), cmocka_unit_test(test_duration),
         cmocka_unit_test(test_utf8), cmocka_unit_test(test_buf_cap),
         cmocka_unit_test(test_parse_ll), cmocka_unit_test(test_num_i64),
         cmocka_unit_test(test_csv_field), cmocka_unit_test(test_bidi))
