/* test_telegram.c - unit tests of the Telegram update parser
 * (adapters/telegram/telegram.c): ids beyond 32 bits, private chats only,
 * callback queries, blocking, and refusal of what is not an update. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "adapters/telegram/telegram.h"
#include "bot/base/bb.h"
#include "tests/lib/fixture.h"

static int parse(const char *json, struct tg_update *u)
{
    return tg_parse_update(json, strlen(json), u);
}

static void test_message_52bit_ids(void **state)
{
    (void)state;
    struct tg_update u;
    assert_int_equal(
        parse("{\"update_id\":500001,\"message\":{\"message_id\":17,\"date\":1767225600,"
              "\"from\":{\"id\":4503599627370495,\"is_bot\":false,\"first_name\":\"Ana\"},"
              "\"chat\":{\"id\":4503599627370495,\"type\":\"private\"},\"text\":\"/start\"}}",
              &u),
        BB_OK);
    assert_int_equal(u.kind, TG_UPD_TEXT);
    assert_int_equal(u.update_id, 500001);
    assert_string_equal(u.chat, "4503599627370495"); /* 2^52 - 1, exact */
    assert_string_equal(u.text, "/start");
    assert_int_equal(u.date, 1767225600);
    free(u.text);
}

/* Issue 14, Info: a chat id of 2^53 or more cannot be read exactly from a
 * JSON number (2^53 + 1 parses as 2^53): the update is refused, never
 * answered in a rounded chat. */
static void test_id_above_2p53(void **state)
{
    (void)state;
    struct tg_update u;
    memset(&u, 0, sizeof(u));
    int rc = parse("{\"update_id\":500002,\"message\":{\"message_id\":17,\"date\":1767225600,"
                   "\"from\":{\"id\":9007199254740993,\"is_bot\":false,\"first_name\":\"Ana\"},"
                   "\"chat\":{\"id\":9007199254740993,\"type\":\"private\"},\"text\":\"hi\"}}",
                   &u);
    assert_int_not_equal(rc, BB_OK);
    assert_null(strstr(u.chat, "900719925474099"));
    free(u.text);
}

static void test_callback(void **state)
{
    (void)state;
    struct tg_update u;
    assert_int_equal(parse("{\"update_id\":7,\"callback_query\":{\"id\":\"4382bfdwdsb323b2d9\","
                           "\"from\":{\"id\":5123456789,\"is_bot\":false,\"first_name\":\"Ana\"},"
                           "\"message\":{\"message_id\":18,\"date\":1,\"chat\":{\"id\":5123456789,"
                           "\"type\":\"private\"}},\"chat_instance\":\"-88\",\"data\":\"q3.yes\"}}",
                           &u),
                     BB_OK);
    assert_int_equal(u.kind, TG_UPD_BUTTON);
    assert_string_equal(u.chat, "5123456789");
    assert_string_equal(u.data, "q3.yes");
    assert_string_equal(u.cb_id, "4382bfdwdsb323b2d9");
}

static void test_ignored_and_blocked(void **state)
{
    (void)state;
    struct tg_update u;
    /* a group message is not ours */
    assert_int_equal(parse("{\"update_id\":8,\"message\":{\"message_id\":1,\"date\":1,\"chat\":"
                           "{\"id\":-100123,\"type\":\"group\"},\"text\":\"hi\"}}",
                           &u),
                     BB_OK);
    assert_int_equal(u.kind, TG_UPD_IGNORED);
    /* an edited message is ignored safely */
    assert_int_equal(parse("{\"update_id\":9,\"edited_message\":{}}", &u), BB_OK);
    assert_int_equal(u.kind, TG_UPD_IGNORED);
    assert_int_equal(parse("{\"update_id\":10,\"my_chat_member\":{\"chat\":{\"id\":42,\"type\":"
                           "\"private\"},\"new_chat_member\":{\"status\":\"kicked\"}}}",
                           &u),
                     BB_OK);
    assert_int_equal(u.kind, TG_UPD_BLOCKED);
    assert_string_equal(u.chat, "42");
    /* a photo: a message without text gives empty text, so the person is answered */
    assert_int_equal(parse("{\"update_id\":11,\"message\":{\"message_id\":1,\"date\":1,\"chat\":"
                           "{\"id\":42,\"type\":\"private\"},\"photo\":[]}}",
                           &u),
                     BB_OK);
    assert_int_equal(u.kind, TG_UPD_TEXT);
    assert_string_equal(u.text, "");
    free(u.text);
}

static void test_refused(void **state)
{
    (void)state;
    struct tg_update u;
    assert_int_equal(parse("not json", &u), BB_EINVAL);
    assert_int_equal(parse("[]", &u), BB_EINVAL);
    assert_int_equal(parse("{\"message\":{}}", &u), BB_EINVAL); /* no update_id */
    /* found by fuzzing: an update_id far beyond 64 bits */
    assert_int_equal(
        parse("{\"update_id\":77777777777777777777777777777777777,\"message\":{}}", &u), BB_EINVAL);
    assert_int_equal(parse("{\"update_id\":1,\"message\":{\"chat\":{\"id\":\"x\",\"type\":"
                           "\"private\"},\"text\":\"a\"}}",
                           &u),
                     BB_EINVAL); /* a chat id that is not a number */
    assert_int_equal(parse("{\"update_id\":1,\"message\":{\"chat\":{\"id\":1.5,\"type\":"
                           "\"private\"},\"text\":\"a\"}}",
                           &u),
                     BB_EINVAL);
}

static void test_updates_list(void **state)
{
    (void)state;
    struct tg_update *ups = NULL;
    int n = 0;
    const char *r = "{\"ok\":true,\"result\":[{\"update_id\":1,\"message\":{\"message_id\":1,"
                    "\"date\":1,\"chat\":{\"id\":5,\"type\":\"private\"},\"text\":\"a\"}},"
                    "{\"update_id\":2,\"message\":{\"chat\":{\"id\":\"bad\"}}},"
                    "{\"update_id\":3,\"poll\":{}}]}";
    assert_int_equal(tg_parse_updates(r, strlen(r), &ups, &n), BB_OK);
    /* the unreadable update 2 is kept as ignored so the offset moves past it */
    assert_int_equal(n, 3);
    assert_int_equal(ups[0].kind, TG_UPD_TEXT);
    assert_int_equal(ups[1].update_id, 2);
    assert_int_equal(ups[1].kind, TG_UPD_IGNORED);
    assert_int_equal(ups[2].kind, TG_UPD_IGNORED);
    tg_updates_free(ups, n);
    const char *e = "{\"ok\":false,\"error_code\":409,\"description\":\"Conflict\"}";
    assert_int_equal(tg_parse_updates(e, strlen(e), &ups, &n), BB_EINVAL);
}

static void test_text_caps(void **state)
{
    (void)state;
    struct tg_update u;
    /* a lone surrogate escape is not valid JSON text: refused */
    assert_int_equal(parse("{\"update_id\":1,\"message\":{\"message_id\":1,\"date\":1,\"chat\":"
                           "{\"id\":5,\"type\":\"private\"},\"text\":\"\\udc80x\"}}",
                           &u),
                     BB_EINVAL);
    /* raw bytes that are not UTF-8 are never passed on */
    assert_int_equal(parse("{\"update_id\":1,\"message\":{\"message_id\":1,\"date\":1,\"chat\":"
                           "{\"id\":5,\"type\":\"private\"},\"text\":\"ab\xff\xfe\"}}",
                           &u),
                     BB_OK);
    assert_string_equal(u.text, "");
    free(u.text);
    size_t big = TG_IN_MAX + 100;
    char *json = malloc(big + 200);
    assert_non_null(json);
    int off = snprintf(json, 200,
                       "{\"update_id\":1,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\""
                       ":5,\"type\":\"private\"},\"text\":\"");
    memset(json + off, 'a', big);
    memcpy(json + off + big, "\"}}", 4);
    assert_int_equal(parse(json, &u), BB_OK);
    assert_string_equal(u.text, ""); /* over the cap: not passed on */
    free(u.text);
    free(json);
}

/* The sender's public username is passed on (messages and button presses)
 * only when it is a valid one: 5-32 of A-Z a-z 0-9 _. */
static void test_username(void **state)
{
    (void)state;
    struct tg_update u;
    assert_int_equal(parse("{\"update_id\":7,\"message\":{\"message_id\":1,\"date\":1,"
                           "\"from\":{\"id\":5,\"is_bot\":false,\"first_name\":\"Ana\","
                           "\"username\":\"ana_W1\"},\"chat\":{\"id\":5,\"type\":\"private\"},"
                           "\"text\":\"hi\"}}",
                           &u),
                     BB_OK);
    assert_string_equal(u.username, "ana_W1");
    free(u.text);
    static const char *const bad[] = {"ana", "ana-w", "ana w1",
                                      "a_name_that_is_much_longer_than_32"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char json[512];
        snprintf(json, sizeof(json),
                 "{\"update_id\":8,\"message\":{\"message_id\":1,\"date\":1,\"from\":{\"id\":5,"
                 "\"is_bot\":false,\"first_name\":\"Ana\",\"username\":\"%s\"},\"chat\":{\"id\":5,"
                 "\"type\":\"private\"},\"text\":\"hi\"}}",
                 bad[i]);
        assert_int_equal(parse(json, &u), BB_OK);
        assert_string_equal(u.username, "");
        free(u.text);
    }
    assert_int_equal(parse("{\"update_id\":9,\"callback_query\":{\"id\":\"c1\",\"from\":{\"id\":5,"
                           "\"is_bot\":false,\"first_name\":\"Ana\",\"username\":\"ana_w\"},"
                           "\"data\":\"q1.yes\"}}",
                           &u),
                     BB_OK);
    assert_int_equal(u.kind, TG_UPD_BUTTON);
    assert_string_equal(u.username, "ana_w");
    free(u.text);
}

TFX_MAIN(cmocka_unit_test(test_username), cmocka_unit_test(test_message_52bit_ids),
         cmocka_unit_test(test_id_above_2p53), cmocka_unit_test(test_callback),
         cmocka_unit_test(test_ignored_and_blocked), cmocka_unit_test(test_refused),
         cmocka_unit_test(test_updates_list), cmocka_unit_test(test_text_caps))
