/* test_register.c - unit tests of bot/core/register.c: invite codes (made,
 * normalised, found in a message, redeemed once, wrong ones limited per
 * chat), phone matching and the link with its audit line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/core/register.h"
#include "tests/lib/fixture.h"

struct fx {
    struct store *st;
    int64_t ayu;
};

/* A database in memory with one imported person. */
static int setup(void **state)
{
    struct store_person ayu = {
        .nip = "198501012010012001", .name = "Ayu Lestari", .phone = "6281234567890"};
    struct fx *f = calloc(1, sizeof(*f));
    if (!f || store_open(":memory:", NULL, &f->st) != BB_OK ||
        store_person_upsert(f->st, &ayu, &f->ayu, NULL) != BB_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_free(f->st);
    free(f);
    return 0;
}

static void test_codes_in_text(void **state)
{
    (void)state;
    char code[REG_CODE_LEN + 1];
    assert_int_equal(reg_code_normalise("ab-cd 23 45 6x", code, sizeof(code)), BB_OK);
    assert_string_equal(code, "ABCD23456X");
    assert_int_equal(reg_code_normalise("ABCD23456", code, sizeof(code)), BB_EINVAL);
    assert_int_equal(reg_code_normalise("ABCD23456XY", code, sizeof(code)), BB_EINVAL);
    assert_int_equal(reg_code_normalise("ABCD2345!X", code, sizeof(code)), BB_EINVAL);
    assert_int_equal(reg_code_normalise("ABCD23456X", code, 5), BB_EINVAL);
    assert_int_equal(reg_code_in_text("  /start abcd-23456x", code, sizeof(code)), 1);
    assert_string_equal(code, "ABCD23456X");
    assert_int_equal(reg_code_in_text("ABCD23456X", code, sizeof(code)), 1);
    assert_int_equal(reg_code_in_text("/start", code, sizeof(code)), 0);
    assert_int_equal(reg_code_in_text("halo apa kabar", code, sizeof(code)), 0);
    assert_int_equal(reg_code_in_text(NULL, code, sizeof(code)), 0);
}

static void test_invite_and_redeem(void **state)
{
    struct fx *f = *state;
    char code[REG_CODE_LEN + 1], typed[REG_CODE_LEN + 1];
    int64_t now = 1800000000, pid = -1, linked = 0;
    int result = -1;
    assert_int_equal(reg_invite(f->st, f->ayu, 3600, now, code, sizeof(code)), BB_OK);
    assert_int_equal(strlen(code), REG_CODE_LEN);
    assert_null(strpbrk(code, "01ILO"));
    assert_int_equal(reg_code_in_text(code, typed, sizeof(typed)), 1);
    assert_int_equal(reg_redeem(f->st, "chat", "u1", typed, now + 10, &result, &pid), BB_OK);
    assert_int_equal(result, REG_LINKED);
    assert_int_equal(pid, f->ayu);
    assert_int_equal(store_identity_person(f->st, "chat", "u1", &linked), BB_OK);
    assert_int_equal(linked, f->ayu);
    /* once only; and an expired one fails the same way */
    assert_int_equal(reg_redeem(f->st, "chat", "u2", typed, now + 20, &result, &pid), BB_OK);
    assert_int_equal(result, REG_BAD_CODE);
    assert_int_equal(pid, 0);
    assert_int_equal(reg_invite(f->st, f->ayu, 60, now, code, sizeof(code)), BB_OK);
    assert_int_equal(reg_redeem(f->st, "chat", "u2", code, now + 61, &result, &pid), BB_OK);
    assert_int_equal(result, REG_BAD_CODE);
}

static void test_wrong_codes_limited(void **state)
{
    struct fx *f = *state;
    char code[REG_CODE_LEN + 1];
    int64_t now = 1800000000, pid = 0;
    int result = -1;
    for (int i = 0; i < REG_MAX_WRONG_CODES; i++) {
        assert_int_equal(reg_redeem(f->st, "chat", "bad", "ZZZZZZZZZZ", now + i, &result, &pid),
                         BB_OK);
        assert_int_equal(result, REG_BAD_CODE);
    }
    /* even a good code waits out the hour */
    assert_int_equal(reg_invite(f->st, f->ayu, 86400, now, code, sizeof(code)), BB_OK);
    assert_int_equal(reg_redeem(f->st, "chat", "bad", code, now + 60, &result, &pid), BB_OK);
    assert_int_equal(result, REG_TOO_MANY);
    assert_int_equal(reg_redeem(f->st, "chat", "bad", code, now + 3700, &result, &pid), BB_OK);
    assert_int_equal(result, REG_LINKED);
    assert_int_equal(pid, f->ayu);
}

static void test_phone_match_and_link(void **state)
{
    struct fx *f = *state;
    struct store_person p;
    int64_t linked = 0;
    assert_int_equal(reg_phone_match(f->st, "6281234567890", &p), BB_OK);
    assert_int_equal(p.id, f->ayu);
    assert_int_equal(reg_phone_match(f->st, "6289999999999", &p), BB_ENOTFOUND);
    assert_int_equal(reg_link(f->st, "phone", "6281234567890", f->ayu, "phone (confirmed)", 100),
                     BB_OK);
    assert_int_equal(store_identity_person(f->st, "phone", "6281234567890", &linked), BB_OK);
    assert_int_equal(linked, f->ayu);
    assert_null(reg_onboarding_flow(NULL));
}

TFX_MAIN(cmocka_unit_test(test_codes_in_text), TFX_TEST(test_invite_and_redeem),
         TFX_TEST(test_wrong_codes_limited), TFX_TEST(test_phone_match_and_link))
