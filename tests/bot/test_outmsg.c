/* test_outmsg.c - unit tests of bot/core/outmsg.c: the outbox body encoder
 * and decoder (round trips of messages and notices, the exact JSON the
 * channels and the stored rows rely on, refused shapes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/core/outmsg.h"
#include "tests/lib/fixture.h"

static void test_message_round_trip(void **state)
{
    (void)state;
    struct outmsg_choice ch[2] = {{"q3.a", "Satu"}, {"q3.b", "Dua \xF0\x9F\x99\x82"}};
    struct outmsg m = {.text = "Pilih \"satu\"\nbaris", .choices = ch, .nchoices = 2};
    struct outmsg d;
    char *json = NULL, *again = NULL;
    bb_strlcpy(m.q, "q3", sizeof(m.q));
    assert_int_equal(outmsg_encode(&m, &json), BB_OK);
    assert_string_equal(json, "{\"text\":\"Pilih \\\"satu\\\"\\nbaris\",\"q\":\"q3\",\"choices\":"
                              "[{\"id\":\"q3.a\",\"label\":\"Satu\"},{\"id\":\"q3.b\",\"label\":"
                              "\"Dua \xF0\x9F\x99\x82\"}]}");
    assert_int_equal(outmsg_decode(json, &d), BB_OK);
    assert_int_equal(d.kind, OUTMSG_SAY);
    assert_string_equal(d.text, m.text);
    assert_string_equal(d.q, "q3");
    assert_int_equal(d.nchoices, 2);
    assert_string_equal(d.choices[1].id, "q3.b");
    assert_string_equal(d.choices[1].label, ch[1].label);
    assert_int_equal(outmsg_encode(&d, &again), BB_OK);
    assert_string_equal(again, json);
    outmsg_clear(&d);
    free(json);
    free(again);
}

static void test_text_and_notices(void **state)
{
    (void)state;
    struct outmsg m, d;
    char *json = NULL;
    assert_int_equal(outmsg_encode_text("Halo", &json), BB_OK);
    assert_string_equal(json, "{\"text\":\"Halo\"}");
    free(json);

    memset(&m, 0, sizeof(m));
    m.kind = OUTMSG_ANSWERED;
    bb_strlcpy(m.answered, "q7", sizeof(m.answered));
    m.text = "Ya";
    assert_int_equal(outmsg_encode(&m, &json), BB_OK);
    assert_string_equal(json, "{\"answered\":\"q7\",\"text\":\"Ya\"}");
    assert_int_equal(outmsg_decode(json, &d), BB_OK);
    assert_int_equal(d.kind, OUTMSG_ANSWERED);
    assert_string_equal(d.answered, "q7");
    assert_string_equal(d.text, "Ya");
    outmsg_clear(&d);
    free(json);

    /* a stale notice without a payload is still written as one */
    memset(&m, 0, sizeof(m));
    m.kind = OUTMSG_STALE;
    assert_int_equal(outmsg_encode(&m, &json), BB_OK);
    assert_string_equal(json, "{\"stale\":\"\"}");
    free(json);
    bb_strlcpy(m.stale, "q1.yes", sizeof(m.stale));
    assert_int_equal(outmsg_encode(&m, &json), BB_OK);
    assert_int_equal(outmsg_decode(json, &d), BB_OK);
    assert_int_equal(d.kind, OUTMSG_STALE);
    assert_string_equal(d.stale, "q1.yes");
    assert_null(d.text);
    outmsg_clear(&d);
    free(json);
}

static void test_refused(void **state)
{
    (void)state;
    struct outmsg m, d;
    char *json = NULL;
    memset(&m, 0, sizeof(m));
    assert_int_equal(outmsg_encode(&m, &json), BB_EINVAL); /* no text, no notice */
    assert_null(json);
    assert_int_equal(outmsg_decode(NULL, &d), BB_EINVAL);
    assert_int_equal(outmsg_decode("[1,2]", &d), BB_EINVAL);
    assert_int_equal(outmsg_decode("{\"choices\":[]}", &d), BB_EINVAL);
    assert_int_equal(outmsg_decode("{\"text\":5}", &d), BB_EINVAL);
    assert_int_equal(outmsg_decode("{\"text\":\"x\",\"choices\":[{\"id\":1}]}", &d), BB_EINVAL);
    assert_null(d.text);
    assert_null(d.choices);
    /* an empty stale notice is not a readable one (channels skip it) */
    assert_int_equal(outmsg_decode("{\"stale\":\"\"}", &d), BB_EINVAL);
}

TFX_MAIN(cmocka_unit_test(test_message_round_trip), cmocka_unit_test(test_text_and_notices),
         cmocka_unit_test(test_refused))
