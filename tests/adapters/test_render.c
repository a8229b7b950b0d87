/* test_render.c - unit tests of adapters/net/render.c (splitting long text on
 * paragraph, line and word boundaries without breaking UTF-8; numbered
 * choices of an outbox body decoded by bot/core/outmsg.c) and
 * adapters/net/ratelimit.c (token buckets per chat and overall, holds after
 * a 429). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "adapters/net/ratelimit.h"
#include "adapters/net/render.h"
#include "bot/base/bb.h"
#include "tests/lib/fixture.h"

static void test_split_short(void **state)
{
    (void)state;
    char **p;
    int n;
    assert_int_equal(render_split("hello", 4096, &p, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(p[0], "hello");
    render_parts_free(p, n);
}

static void test_split_paragraph_first(void **state)
{
    (void)state;
    /* 30 chars max: the paragraph break at 20 wins over the space at 26 */
    const char *t = "aaaa bbbb cccc dddd\n\neeee ffff gggg hhhh";
    char **p;
    int n;
    assert_int_equal(render_split(t, 30, &p, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_string_equal(p[0], "aaaa bbbb cccc dddd");
    assert_string_equal(p[1], "eeee ffff gggg hhhh");
    render_parts_free(p, n);
}

static void test_split_words_and_utf8(void **state)
{
    (void)state;
    /* 100 two-byte characters without spaces, limit 16 characters: hard
     * cuts, each part exactly 16 characters and valid UTF-8 */
    char t[401];
    for (int i = 0; i < 100; i++)
        memcpy(t + 2 * i, "\xC3\xA9", 2);
    t[200] = '\0';
    char **p;
    int n;
    assert_int_equal(render_split(t, 16, &p, &n), BB_OK);
    assert_int_equal(n, 7);
    size_t total = 0;
    for (int i = 0; i < n; i++) {
        assert_true(bb_utf8_valid(p[i], strlen(p[i])));
        assert_true(bb_utf8_len(p[i]) <= 16);
        total += bb_utf8_len(p[i]);
    }
    assert_int_equal(total, 100);
    render_parts_free(p, n);
    /* words: never cut inside one when a space is near */
    assert_int_equal(render_split("kata kata kata kata kata kata", 16, &p, &n), BB_OK);
    for (int i = 0; i < n; i++)
        assert_true(strlen(p[i]) <= 16);
    assert_string_equal(p[0], "kata kata kata");
    render_parts_free(p, n);
}

static void test_split_4096(void **state)
{
    (void)state;
    /* 10,000 characters of words: every part within Telegram's limit */
    char *t = malloc(10001);
    assert_non_null(t);
    for (int i = 0; i < 10000; i++)
        t[i] = (i % 7 == 6) ? ' ' : 'x';
    t[10000] = '\0';
    char **p;
    int n;
    assert_int_equal(render_split(t, 4096, &p, &n), BB_OK);
    assert_int_equal(n, 3);
    for (int i = 0; i < n; i++) {
        assert_true(strlen(p[i]) <= 4096);
        if (i < n - 1)
            assert_true(strlen(p[i]) > 2048); /* cut near the limit, at a space */
    }
    render_parts_free(p, n);
    free(t);
}

static void test_numbered_and_parse(void **state)
{
    (void)state;
    struct outmsg m;
    assert_int_equal(outmsg_decode("{\"text\":\"Pilih\",\"q\":\"q3\",\"choices\":[{\"id\":\"q3.a\","
                                   "\"label\":\"Satu\"},{\"id\":\"q3.b\",\"label\":\"Dua\"}]}",
                                   &m),
                     BB_OK);
    assert_string_equal(m.q, "q3");
    assert_int_equal(m.nchoices, 2);
    char *s = render_numbered(m.text, m.choices, m.nchoices);
    assert_string_equal(s, "Pilih\n1. Satu\n2. Dua");
    free(s);
    /* choices that are numbers keep their own numbers (eNPS 0-10, moods) */
    struct outmsg_choice num[3] = {{.label = "0"}, {.label = "7"}, {.label = "10"}};
    s = render_numbered("Skor?", num, 3);
    assert_string_equal(s, "Skor?\n0\n7\n10");
    free(s);
    struct outmsg_choice mood[2] = {{.label = "1 Berat"}, {.label = "2 Kurang"}};
    s = render_numbered("Minggu ini?", mood, 2);
    assert_string_equal(s, "Minggu ini?\n1 Berat\n2 Kurang");
    free(s);
    /* a repeated number or a label that only starts with digits: numbered */
    struct outmsg_choice mixed[2] = {{.label = "3 hari"}, {.label = "3x"}};
    s = render_numbered("?", mixed, 2);
    assert_string_equal(s, "?\n1. 3 hari\n2. 3x");
    free(s);
    outmsg_clear(&m);
    assert_int_equal(outmsg_decode("{\"answered\":\"q3\",\"text\":\"Satu\"}", &m), BB_OK);
    assert_string_equal(m.answered, "q3");
    outmsg_clear(&m);
    assert_int_equal(outmsg_decode("[1,2]", &m), BB_EINVAL);
    assert_int_equal(outmsg_decode("{\"choices\":[]}", &m), BB_EINVAL);
    assert_int_equal(outmsg_decode("{\"text\":\"x\",\"choices\":[{\"id\":1}]}", &m), BB_EINVAL);
}

static void test_ratelimit(void **state)
{
    (void)state;
    struct rl *r;
    int64_t w;
    /* 30/s overall, 1/s per chat with a burst of 3 */
    assert_int_equal(rl_new(30, 30, 1, 3, &r), BB_OK);
    assert_true(rl_take(r, "a", 0, &w));
    assert_true(rl_take(r, "a", 0, &w));
    assert_true(rl_take(r, "a", 0, &w));
    assert_false(rl_take(r, "a", 0, &w)); /* the chat's burst is spent */
    assert_true(w > 0 && w <= 1001);
    assert_true(rl_take(r, "b", 0, &w)); /* another chat is not held up */
    assert_true(rl_take(r, "a", 1001, &w));
    /* overall: 30 chats at once, then the 31st waits */
    struct rl *r2;
    assert_int_equal(rl_new(30, 30, 1, 1, &r2), BB_OK);
    char key[16];
    int sent = 0;
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof(key), "c%d", i);
        sent += rl_take(r2, key, 0, &w);
    }
    assert_int_equal(sent, 30);
    /* a 429 hold stops everything until it ends */
    rl_hold(r2, NULL, 5000);
    assert_false(rl_take(r2, "z", 4000, &w));
    assert_int_equal(w, 1000);
    assert_true(rl_take(r2, "z", 5000, &w));
    rl_free(r);
    rl_free(r2);
    assert_int_equal(rl_new(0, 1, 0, 0, &r), BB_EINVAL);
}

TFX_MAIN(cmocka_unit_test(test_split_short), cmocka_unit_test(test_split_paragraph_first),
         cmocka_unit_test(test_split_words_and_utf8), cmocka_unit_test(test_split_4096),
         cmocka_unit_test(test_numbered_and_parse), cmocka_unit_test(test_ratelimit))
