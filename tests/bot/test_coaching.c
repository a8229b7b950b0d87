/* test_coaching.c - the coaching module's pure parts: WHO-5 scoring, JP
 * arithmetic, local dates and ISO weeks, the BerAKHLAK rotation, tag
 * normalising. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/domain/coaching/coaching.h"
#include "tests/lib/fixture.h"

static void test_who5(void **state)
{
    (void)state;
    int raw = -1, score = -1, low = -1;
    int good[5] = {3, 3, 3, 2, 2}; /* 13: not low */
    assert_int_equal(coaching_who5(good, &raw, &score, &low), BB_OK);
    assert_int_equal(raw, 13);
    assert_int_equal(score, 52);
    assert_int_equal(low, 0);
    int under[5] = {3, 3, 2, 2, 2}; /* 12 < 13 */
    assert_int_equal(coaching_who5(under, &raw, &score, &low), BB_OK);
    assert_int_equal(raw, 12);
    assert_int_equal(score, 48);
    assert_int_equal(low, 1);
    int one_item[5] = {5, 5, 5, 5, 1}; /* 21, but an item at 1 */
    assert_int_equal(coaching_who5(one_item, &raw, &score, &low), BB_OK);
    assert_int_equal(raw, 21);
    assert_int_equal(low, 1);
    int zero_item[5] = {0, 5, 5, 5, 5};
    assert_int_equal(coaching_who5(zero_item, &raw, &score, &low), BB_OK);
    assert_int_equal(low, 1);
    int top[5] = {5, 5, 5, 5, 5};
    assert_int_equal(coaching_who5(top, &raw, &score, &low), BB_OK);
    assert_int_equal(score, 100);
    assert_int_equal(low, 0);
    int twos[5] = {2, 2, 2, 2, 2};
    assert_int_equal(coaching_who5(twos, &raw, &score, &low), BB_OK);
    assert_int_equal(low, 1); /* 10 < 13 though no item at 0-1 */
    /* out of range: refused, outputs untouched */
    int bad[5] = {6, 0, 0, 0, 0};
    raw = 77;
    assert_int_equal(coaching_who5(bad, &raw, &score, &low), BB_EINVAL);
    assert_int_equal(raw, 77);
    int neg[5] = {1, 1, -1, 1, 1};
    assert_int_equal(coaching_who5(neg, &raw, NULL, NULL), BB_EINVAL);
    assert_int_equal(coaching_who5(NULL, &raw, &score, &low), BB_EINVAL);
}

static void test_jp(void **state)
{
    (void)state;
    assert_int_equal(coaching_jp_tenths(0), 0);
    assert_int_equal(coaching_jp_tenths(-5), 0);
    assert_int_equal(coaching_jp_tenths(45), 10);
    assert_int_equal(coaching_jp_tenths(90), 20);
    assert_int_equal(coaching_jp_tenths(150), 33); /* 3.333 */
    assert_int_equal(coaching_jp_tenths(60), 13);  /* 1.333 */
    assert_int_equal(coaching_jp_tenths(70), 16);  /* 1.556 */
    assert_int_equal(coaching_jp_tenths(900), 200);
    assert_int_equal(coaching_jp_hundredths(60), 133);
    assert_int_equal(coaching_jp_hundredths(70), 156); /* 1.5556 */
    assert_int_equal(coaching_jp_hundredths(1), 2);    /* 0.0222 */
    assert_int_equal(coaching_jp_hundredths(1440), 3200);
}

static void test_dates(void **state)
{
    (void)state;
    char b[16];
    int64_t t;
    /* 2026-11-27 16:00 WIB is Friday of ISO week 48 */
    assert_int_equal(bb_parse_iso8601("2026-11-27T09:00:00Z", &t), BB_OK);
    int off = coaching_tz_offset("WIB", t);
    assert_int_equal(off, 7 * 3600);
    assert_int_equal(coaching_tz_offset("WIT", t), 9 * 3600);
    assert_int_equal(coaching_tz_offset("Asia/Makassar", t), 8 * 3600);
    assert_int_equal(coaching_tz_offset("", t), 7 * 3600);
    coaching_local_day(t + off, b, sizeof(b));
    assert_string_equal(b, "2026-11-27");
    coaching_iso_week(t + off, b, sizeof(b));
    assert_string_equal(b, "2026-W48");
    /* late evening UTC is the next day in Jayapura */
    assert_int_equal(bb_parse_iso8601("2026-12-31T20:00:00Z", &t), BB_OK);
    coaching_local_day(t + 9 * 3600, b, sizeof(b));
    assert_string_equal(b, "2027-01-01");
    /* ISO weeks across New Year: 2027-01-01 (Friday) is 2026-W53 */
    coaching_iso_week(t + 9 * 3600, b, sizeof(b));
    assert_string_equal(b, "2026-W53");
    assert_int_equal(bb_parse_iso8601("2024-12-30T00:00:00Z", &t), BB_OK);
    coaching_iso_week(t, b, sizeof(b));
    assert_string_equal(b, "2025-W01");
    assert_int_equal(bb_parse_iso8601("2024-02-29T12:00:00Z", &t), BB_OK);
    coaching_local_day(t, b, sizeof(b));
    assert_string_equal(b, "2024-02-29");
}

static void test_values(void **state)
{
    (void)state;
    int64_t t;
    assert_int_equal(bb_parse_iso8601("2026-11-27T16:00:00Z", &t), BB_OK);
    int i = coaching_value_index(t);
    assert_string_equal(coaching_values[i].key, "berorientasi_pelayanan");
    /* one value a week, in order, all seven, then again */
    int seen[COACHING_NVALUES] = {0};
    for (int w = 0; w < COACHING_NVALUES; w++) {
        int k = coaching_value_index(t + (int64_t)w * 7 * 86400);
        assert_int_equal(k, (i + w) % COACHING_NVALUES);
        seen[k]++;
    }
    for (int k = 0; k < COACHING_NVALUES; k++)
        assert_int_equal(seen[k], 1);
    assert_int_equal(coaching_value_index(t + 7 * 7 * 86400), i);
    /* the same all week: Monday 00:00 to Sunday 23:59 */
    int64_t mon;
    assert_int_equal(bb_parse_iso8601("2026-11-23T00:00:00Z", &mon), BB_OK);
    assert_int_equal(coaching_value_index(mon), i);
    assert_int_equal(coaching_value_index(mon + 7 * 86400 - 1), i);
    assert_int_equal(coaching_value_index(mon - 1), (i + 6) % 7);
    assert_int_equal(coaching_value_find("kolaboratif"), 6);
    assert_int_equal(coaching_value_find("nope"), -1);
    assert_int_equal(coaching_value_find(NULL), -1);
    for (int k = 0; k < COACHING_NVALUES; k++)
        for (int l = 0; l < 2; l++)
            for (int b = 0; b < 3; b++)
                assert_non_null(coaching_values[k].behaviours[l][b]);
}

static void test_tags(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(coaching_tags_normalise(" Kepemimpinan, analisis  data;Excel,,kepemimpinan ",
                                             out, sizeof(out)),
                     BB_OK);
    assert_string_equal(out, "kepemimpinan,analisis data,excel");
    assert_int_equal(coaching_tags_normalise(" , ;", out, sizeof(out)), BB_EINVAL);
    assert_int_equal(coaching_tags_normalise("", out, sizeof(out)), BB_EINVAL);
    char small[8];
    assert_int_equal(coaching_tags_normalise("abcdefghij", small, sizeof(small)), BB_ELIMIT);
    assert_int_equal(coaching_tags_normalise(NULL, out, sizeof(out)), BB_EINVAL);
    char big[512];
    assert_int_equal(
        coaching_tags_normalise("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v", big, sizeof(big)),
        BB_OK);
    assert_string_equal(big, "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t"); /* 20 at most */
}

TFX_MAIN(cmocka_unit_test(test_who5), cmocka_unit_test(test_jp), cmocka_unit_test(test_dates),
         cmocka_unit_test(test_values), cmocka_unit_test(test_tags))
