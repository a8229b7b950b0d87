/* test_survey.c - the survey module's report arithmetic (eNPS, WHO-5) and
 * segments. The anonymity rules of reports: test_survey_report.c. */
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
         cmocka_unit_test(test_segment_and_k))
