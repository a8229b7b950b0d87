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

/* A document: name, type and bytes (any bytes, NULs too) survive the
 * round trip; bad names, types, empty and oversized files are refused. */
static void test_document(void **state)
{
    (void)state;
    struct outmsg d;
    char *json = NULL;
    const unsigned char bytes[] = {'{', 0, 0xff, '}', '\n'};
    assert_int_equal(outmsg_encode_doc("data.json", "application/json", bytes, sizeof(bytes),
                                       "Here it is", &json),
                     BB_OK);
    assert_non_null(strstr(json, "\"size\":5"));
    assert_int_equal(outmsg_decode(json, &d), BB_OK);
    free(json);
    assert_int_equal(d.kind, OUTMSG_DOC);
    assert_string_equal(d.text, "Here it is");
    assert_string_equal(d.doc_name, "data.json");
    assert_string_equal(d.doc_type, "application/json");
    assert_int_equal(d.doc_len, sizeof(bytes));
    assert_memory_equal(d.doc_data, bytes, sizeof(bytes));
    outmsg_clear(&d);
    /* without a caption: still a message */
    assert_int_equal(outmsg_encode_doc("a.txt", "text/plain", "abc", 3, NULL, &json), BB_OK);
    assert_int_equal(outmsg_decode(json, &d), BB_OK);
    assert_null(d.text);
    assert_int_equal(d.doc_len, 3);
    assert_memory_equal(d.doc_data, "abc", 3);
    outmsg_clear(&d);
    free(json);
    /* refused */
    assert_int_equal(outmsg_encode_doc("../etc/x", "text/plain", "a", 1, NULL, &json), BB_EINVAL);
    assert_int_equal(outmsg_encode_doc("a\nb", "text/plain", "a", 1, NULL, &json), BB_EINVAL);
    assert_int_equal(outmsg_encode_doc("a.txt", "text", "a", 1, NULL, &json), BB_EINVAL);
    assert_int_equal(outmsg_encode_doc("a.txt", "text/plain", "a", 0, NULL, &json), BB_EINVAL);
    char *big = calloc(OUTMSG_DOC_MAX + 1, 1);
    assert_non_null(big);
    assert_int_equal(outmsg_encode_doc("a.txt", "text/plain", big, OUTMSG_DOC_MAX + 1, NULL, &json),
                     BB_ELIMIT);
    assert_null(json);
    free(big);
    assert_int_equal(
        outmsg_decode("{\"doc\":{\"name\":\"a\",\"type\":\"text/plain\",\"data\":\"!!\"}}", &d),
        BB_EINVAL);
    assert_int_equal(
        outmsg_decode("{\"doc\":{\"name\":\"a/b\",\"type\":\"text/plain\",\"data\":\"YQ==\"}}", &d),
        BB_EINVAL);
    assert_int_equal(
        outmsg_decode("{\"doc\":{\"name\":\"a\",\"type\":\"text/plain\",\"data\":\"YQ==\"}}", &d),
        BB_OK);
    assert_int_equal(d.doc_len, 1);
    outmsg_clear(&d);
    /* delivered: the caption stays, the bytes go; not a document: ENOTFOUND */
    assert_int_equal(outmsg_encode_doc("a.json", "application/json", "{}", 2, "Your data", &json),
                     BB_OK);
    char *kept = NULL;
    assert_int_equal(outmsg_doc_delivered(json, &kept), BB_OK);
    free(json);
    assert_string_equal(kept, "{\"text\":\"Your data\"}");
    free(kept);
    assert_int_equal(outmsg_encode_doc("a.json", "application/json", "{}", 2, NULL, &json), BB_OK);
    assert_int_equal(outmsg_doc_delivered(json, &kept), BB_OK);
    free(json);
    assert_string_equal(kept, "{\"text\":\"[a.json]\"}");
    free(kept);
    assert_int_equal(outmsg_doc_delivered("{\"text\":\"the \\\"doc\\\": key\"}", &kept),
                     BB_ENOTFOUND);
    assert_null(kept);
}

TFX_MAIN(cmocka_unit_test(test_message_round_trip), cmocka_unit_test(test_text_and_notices),
         cmocka_unit_test(test_refused), cmocka_unit_test(test_document))
