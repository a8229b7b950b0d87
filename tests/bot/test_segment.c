/*
 * test_segment.c - the one segment checker (bot/domain/people/people_segment.c):
 * case-insensitive units and roles, refusals that name the known units,
 * "did you mean" for near misses, empty segments refused, bad syntax.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/domain/people/people.h"
#include "bot/domain/people/people_segment.h"
#include "store/store.h"
#include "store/store_survey.h"
#include "tests/lib/fixture.h"

struct fx {
    TFX_STORE_FIELDS;
};

static void seed(struct fx *f)
{
    static const char csv[] = "nip,name,unit,role\n"
                              "198501012010012001,Ayu,Biro SDM,employee\n"
                              "198501012010011002,Budi,Biro SDM,mentor\n"
                              "198501012010011003,Citra,Biro Umum,hr\n"
                              "198501012010011004,Dedi,Pusat Data dan Informasi,employee\n";
    struct people_import_report rep;
    assert_int_equal(people_import_mem(f->st, csv, strlen(csv), &rep), BB_OK);
}

TFX_STORE_SETUP_INIT(fx, setup, seed)
TFX_STORE_TEARDOWN(fx, teardown)

static void test_resolves_case_insensitively(void **state)
{
    struct fx *f = *state;
    struct people_segment s;
    assert_int_equal(people_segment_resolve(f->st, "unit=biro sdm", &s), BB_OK);
    assert_int_equal(s.kind, STORE_SEG_UNIT);
    assert_string_equal(s.value, "Biro SDM");
    assert_string_equal(s.spec, "unit=Biro SDM");
    assert_int_equal(s.total, 2);
    assert_int_equal(people_segment_resolve(f->st, " UNIT=BIRO UMUM ", &s), BB_OK);
    assert_string_equal(s.value, "Biro Umum");
    assert_int_equal(s.total, 1);
    assert_int_equal(people_segment_resolve(f->st, "role=Mentor", &s), BB_OK);
    assert_int_equal(s.kind, STORE_SEG_ROLE);
    assert_string_equal(s.spec, "role=mentor");
    assert_int_equal(s.total, 1);
    assert_int_equal(people_segment_resolve(f->st, "ALL", &s), BB_OK);
    assert_int_equal(s.kind, STORE_SEG_ALL);
    assert_string_equal(s.spec, "all");
    assert_int_equal(s.total, 4);
}

static void test_unknown_unit_named_with_suggestion(void **state)
{
    struct fx *f = *state;
    struct people_segment s;
    assert_int_equal(people_segment_resolve(f->st, "unit=Biro SDMM", &s), BB_EINVAL);
    assert_int_equal(s.err, PEOPLE_SEG_UNIT);
    assert_string_equal(s.given, "Biro SDMM");
    assert_string_equal(s.suggest, "Biro SDM");
    assert_string_equal(s.msg, "no unit 'Biro SDMM'; did you mean 'Biro SDM'? known units: "
                               "Biro SDM, Biro Umum, Pusat Data dan Informasi");
    /* a swap of two letters is one edit */
    assert_int_equal(people_segment_resolve(f->st, "unit=biro smd", &s), BB_EINVAL);
    assert_string_equal(s.suggest, "Biro SDM");
    /* part of one unit's name */
    assert_int_equal(people_segment_resolve(f->st, "unit=pusat data", &s), BB_EINVAL);
    assert_string_equal(s.suggest, "Pusat Data dan Informasi");
    /* nothing near: the known units, no suggestion */
    assert_int_equal(people_segment_resolve(f->st, "unit=Nowhere", &s), BB_EINVAL);
    assert_string_equal(s.suggest, "");
    assert_string_equal(s.msg, "no unit 'Nowhere'; known units: Biro SDM, Biro Umum, Pusat Data "
                               "dan Informasi");
}

static void test_unknown_role(void **state)
{
    struct fx *f = *state;
    struct people_segment s;
    assert_int_equal(people_segment_resolve(f->st, "role=mentr", &s), BB_EINVAL);
    assert_int_equal(s.err, PEOPLE_SEG_ROLE);
    assert_string_equal(s.suggest, "mentor");
    assert_int_equal(people_segment_resolve(f->st, "role=boss", &s), BB_EINVAL);
    assert_string_equal(s.suggest, "");
    assert_string_equal(s.msg,
                        "no role 'boss'; known roles: employee, mentor, hr, admin, counsellor");
}

static void test_empty_and_syntax(void **state)
{
    struct fx *f = *state;
    struct people_segment s;
    /* a real role nobody has */
    assert_int_equal(people_segment_resolve(f->st, "role=counsellor", &s), BB_EINVAL);
    assert_int_equal(s.err, PEOPLE_SEG_EMPTY);
    assert_string_equal(s.msg, "nobody is in the segment role=counsellor");
    static const char *const bad[] = {
        "", "everyone", "unit=", "unit=  ", "role=", "units=x", "unit"};
    for (size_t i = 0; i < BB_ARRAY_LEN(bad); i++) {
        assert_int_equal(people_segment_resolve(f->st, bad[i], &s), BB_EINVAL);
        assert_int_equal(s.err, PEOPLE_SEG_SYNTAX);
    }
    assert_int_equal(people_segment_resolve(f->st, NULL, &s), BB_EINVAL);
    assert_int_equal(people_segment_resolve(f->st, "unit=\xff\xfe", &s), BB_EINVAL);
    char big[400];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    memcpy(big, "unit=", 5);
    assert_int_equal(people_segment_resolve(f->st, big, &s), BB_EINVAL);
}

static void test_many_units_listed_within_bounds(void **state)
{
    struct fx *f = *state;
    struct people_segment s;
    char csv[8192] = "nip,name,unit,role\n";
    size_t used = strlen(csv);
    for (int i = 0; i < 60; i++) {
        int n = snprintf(csv + used, sizeof(csv) - used,
                         "198501012010011%03d,Orang %d,Direktorat Pembinaan Nomor %02d,employee\n",
                         100 + i, i, i);
        used += (size_t)n;
    }
    struct people_import_report rep;
    assert_int_equal(people_import_mem(f->st, csv, used, &rep), BB_OK);
    assert_int_equal(people_segment_resolve(f->st, "unit=Kantor Pusat", &s), BB_EINVAL);
    assert_true(strlen(s.msg) < sizeof(s.msg) - 1 || s.msg[sizeof(s.msg) - 1] == '\0');
    assert_non_null(strstr(s.msg, " more"));
    assert_int_equal(people_segment_resolve(f->st, "unit=direktorat pembinaan nomor 07", &s),
                     BB_OK);
    assert_string_equal(s.value, "Direktorat Pembinaan Nomor 07");
}

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(people_segment_distance("", ""), 0);
    assert_int_equal(people_segment_distance("abc", ""), 3);
    assert_int_equal(people_segment_distance("Biro SDM", "biro sdm"), 0);
    assert_int_equal(people_segment_distance("kitten", "sitting"), 3);
    assert_int_equal(people_segment_distance("ab", "ba"), 1);
    assert_int_equal(people_segment_distance("mentor", "mentr"), 1);
    static const char *const c[] = {"hr", "admin"};
    assert_null(people_segment_nearest("boss", c, 2));
    assert_string_equal(people_segment_nearest("adm1n", c, 2), "admin");
}

TFX_MAIN(TFX_TEST(test_resolves_case_insensitively),
         TFX_TEST(test_unknown_unit_named_with_suggestion), TFX_TEST(test_unknown_role),
         TFX_TEST(test_empty_and_syntax), TFX_TEST(test_many_units_listed_within_bounds),
         TFX_TEST(test_distance))
