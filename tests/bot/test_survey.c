/* test_survey.c - the survey module's report arithmetic (eNPS, WHO-5), the
 * anonymity threshold with complementary suppression, and segments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/core/config.h"
#include "bot/domain/survey/survey.h"
#include "store/store_survey.h"
#include "tests/lib/fixture.h"

static void test_enps(void **state)
{
    double e;
    (void)state;
    /* 5 promoters, 3 passives, 2 detractors of 10: 50% - 20% = +30 */
    assert_int_equal(survey_enps(5, 2, 10, &e), BB_OK);
    assert_true(e > 29.999 && e < 30.001);
    assert_int_equal(survey_enps(0, 4, 4, &e), BB_OK);
    assert_true(e < -99.999);
    assert_int_equal(survey_enps(7, 0, 7, &e), BB_OK);
    assert_true(e > 99.999);
    assert_int_equal(survey_enps(1, 1, 3, &e), BB_OK);
    assert_true(e > -0.001 && e < 0.001);
    assert_int_equal(survey_enps(0, 0, 0, &e), BB_EINVAL);
    assert_int_equal(survey_enps(3, 3, 5, &e), BB_EINVAL);
}

static void test_who5(void **state)
{
    struct survey_who5 w;
    const int a[5] = {5, 5, 5, 5, 5}; /* 25 raw */
    const int b[5] = {2, 2, 2, 3, 3}; /* 12 raw: below 13 */
    const int c[5] = {3, 2, 3, 2, 3}; /* 13 raw: not below */
    (void)state;
    memset(&w, 0, sizeof(w));
    survey_who5_add(&w, a);
    survey_who5_add(&w, b);
    survey_who5_add(&w, c);
    assert_int_equal(w.n, 3);
    assert_int_equal(w.raw_sum, 50);
    /* mean raw 50/3 = 16.67, x4 = 66.67 */
    assert_true(survey_who5_index(&w) > 66.66 && survey_who5_index(&w) < 66.67);
    assert_true(survey_who5_low_pct(&w) > 33.33 && survey_who5_low_pct(&w) < 33.34);
    memset(&w, 0, sizeof(w));
    assert_true(survey_who5_index(&w) == 0.0);
}

static void test_suppress_threshold(void **state)
{
    int h[4];
    (void)state;
    /* All groups large enough: nothing hidden. */
    const int64_t big[3] = {5, 6, 9};
    survey_suppress(big, 3, 5, h);
    assert_int_equal(h[0] + h[1] + h[2], 0);
    /* The total under k: everything hidden. */
    const int64_t tiny[2] = {2, 2};
    survey_suppress(tiny, 2, 5, h);
    assert_true(h[0] && h[1]);
    /* k = 3 shows a group of 3. */
    const int64_t three[2] = {3, 4};
    survey_suppress(three, 2, 3, h);
    assert_true(!h[0] && !h[1]);
}

static void test_suppress_complementary(void **state)
{
    int h[4];
    (void)state;
    /* One small group (2) beside large ones: total - others would give it
     * away, so the smallest other group (6) is hidden too. */
    const int64_t n1[3] = {10, 2, 6};
    survey_suppress(n1, 3, 5, h);
    assert_int_equal(h[0], 0);
    assert_int_equal(h[1], 1);
    assert_int_equal(h[2], 1);
    /* Two small groups (1 and 2): together only 3 < 5, so a third one goes. */
    const int64_t n2[4] = {9, 1, 2, 7};
    survey_suppress(n2, 4, 5, h);
    assert_int_equal(h[1], 1);
    assert_int_equal(h[2], 1);
    assert_int_equal(h[3], 1); /* 7 is the smallest shown group */
    assert_int_equal(h[0], 0);
    /* Two small groups that together reach k: no more hiding needed. */
    const int64_t n3[3] = {20, 3, 4};
    survey_suppress(n3, 3, 5, h);
    assert_int_equal(h[0], 0);
    assert_true(h[1] && h[2]);
    /* Only two groups, one small: both hidden (the total still shows). */
    const int64_t n4[2] = {30, 1};
    survey_suppress(n4, 2, 5, h);
    assert_true(h[0] && h[1]);
}

static void test_segment_and_k(void **state)
{
    /* segments: tests/bot/test_segment.c */
    struct config c;
    (void)state;
    config_defaults(&c);
    assert_int_equal(survey_k(&c), 5);
    c.anonymity_k = 1;
    assert_int_equal(survey_k(&c), 3);
    c.anonymity_k = 8;
    assert_int_equal(survey_k(&c), 8);
}

TFX_MAIN(cmocka_unit_test(test_enps), cmocka_unit_test(test_who5),
         cmocka_unit_test(test_suppress_threshold), cmocka_unit_test(test_suppress_complementary),
         cmocka_unit_test(test_segment_and_k))
