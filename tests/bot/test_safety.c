/* test_safety.c - unit tests of bot/core/safety.c, the distress screen:
 * the shipped list (config/safety.json) against the measuring list
 * tests/bot/safety_corpus.txt (every distress line must be flagged: recall
 * 100%; false alarms are counted and printed) and the held-out list
 * tests/bot/safety_heldout.txt (printed only), the normal form messages are
 * matched in, a bad list refused with a message naming the entry, and the
 * replies (help lines, the button, both languages for a stranger). Run from
 * the repository root (tests/run.sh does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/core/safety.h"
#include "tests/lib/fixture.h"

#define LIST    "config/safety.json"
#define CORPUS  "tests/bot/safety_corpus.txt"
#define HELDOUT "tests/bot/safety_heldout.txt"

struct tally {
    int pos, neg, missed, alarms;
};

/* Screen every "+"/"-" line of a measuring list with the shipped list. */
static void measure(const struct safety *s, const char *path, struct tally *t)
{
    char line[1024];
    FILE *f = fopen(path, "r");
    memset(t, 0, sizeof(*t));
    assert_non_null(f);
    while (fgets(line, sizeof(line), f)) {
        size_t n = strlen(line);
        int rule = -1, hit;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n < 3 || (line[0] != '+' && line[0] != '-'))
            continue;
        hit = safety_screen(s, line + 2, &rule);
        if (line[0] == '+') {
            t->pos++;
            if (!hit) {
                t->missed++;
                printf("MISSED      %s\n", line + 2);
            }
        } else {
            t->neg++;
            if (hit) {
                char name[32];
                safety_rule_name(s, rule, name, sizeof(name));
                t->alarms++;
                printf("FALSE ALARM %s  (%s)\n", line + 2, name);
            }
        }
    }
    fclose(f);
    printf("%s: recall %d/%d (%.1f%%); false alarms %d/%d (%.1f%%)\n", path, t->pos - t->missed,
           t->pos, t->pos ? 100.0 * (t->pos - t->missed) / t->pos : 0.0, t->alarms, t->neg,
           t->neg ? 100.0 * t->alarms / t->neg : 0.0);
}

static void test_corpus(void **state)
{
    (void)state;
    struct safety *s = NULL;
    struct tally t, h;
    char err[400] = "";

    if (safety_load(LIST, &s, err, sizeof(err)) != BB_OK)
        fail_msg("%s", err);
    printf("distress screen: %d rules\n", safety_count(s));
    measure(s, CORPUS, &t);
    measure(s, HELDOUT, &h); /* reported, not asserted: see the file */
    safety_free(s);
    assert_true(t.pos >= 100);
    assert_true(t.neg >= 100);
    assert_int_equal(t.missed, 0);       /* a missed message is the worse error */
    assert_true(t.alarms * 10 <= t.neg); /* and no more than one ordinary message in ten */
}

static void test_normalise(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        /* message, its normal form */
        {"Gw CAPE bgt!!", " gw cape bgt "},
        {"pengen matiii...", " pengen mati "},
        {"I can't   go on", " i cant go on "},
        {"I can\xe2\x80\x99t go on", " i cant go on "},
        {"kill  time", " kill time "},
        {"ga kuaaat lagiii", " ga kuat lagi "},
        {"good week", " good week "}, /* two of a letter stay two */
        {"", " "},
        {"Kopi \xe2\x98\x95 dulu", " kopi \xe2\x98\x95 dulu "},
    };
    char out[128];
    for (size_t i = 0; i < BB_ARRAY_LEN(cases); i++) {
        assert_int_equal(safety_normalise(cases[i][0], out, sizeof(out)), BB_OK);
        assert_string_equal(out, cases[i][1]);
    }
    assert_int_equal(safety_normalise("abcdef", out, 4), BB_ELIMIT);
}

static void refused(const char *json, const char *want)
{
    struct safety *s = (struct safety *)1;
    char err[400] = "";
    assert_int_not_equal(safety_parse(json, strlen(json), "safety.json", &s, err, sizeof(err)),
                         BB_OK);
    assert_null(s);
    if (!strstr(err, want))
        fail_msg("error \"%s\" does not say \"%s\"", err, want);
}

static void test_bad_lists(void **state)
{
    (void)state;
    struct safety *s = NULL;
    char err[400] = "";
    refused("{\"phrases\": [\"a\"", "not a JSON object");
    refused("[]", "not a JSON object");
    refused("{\"phrase\": [\"bunuh diri\"]}", "unknown key \"phrase\"");
    refused("{\"phrases\": \"bunuh diri\"}", "must be lists");
    refused("{}", "1 to 1000");
    refused("{\"phrases\": [\"bunuh diri\", \"\"]}", "phrases[1] must be a non-empty string");
    refused("{\"phrases\": [\"bunuh diri\", 3]}", "phrases[1]");
    refused("{\"phrases\": [\"?!\"]}", "phrases[0] \"?!\" has no letters or digits");
    refused("{\"phrases\": [\"bunuh diri\", \"Bunuh  DIRI!\"]}",
            "phrases[1] \"Bunuh  DIRI!\" repeats phrases[0]");
    refused("{\"patterns\": [\"\\\\bmati\\\\b\", \"(bunuh\"]}", "patterns[1] \"(bunuh\": missing");
    refused("{\"patterns\": [\"bunuh diri|\"]}", "patterns[0] \"bunuh diri|\" matches almost any");
    refused("{\"patterns\": [\".*\"]}", "matches almost any");
    assert_int_equal(safety_load("no/such/safety.json", &s, err, sizeof(err)), BB_EIO);
    assert_null(s);
    assert_non_null(strstr(err, "no/such/safety.json"));

    /* a good one; comments are allowed */
    const char *good = "{\"_comment\": \"x\", \"phrases\": [\"ingin mati\"],"
                       " \"patterns\": [\"\\\\bbunuh ?diri\\\\b\"]}";
    int rule = -1;
    char name[32];
    assert_int_equal(safety_parse(good, strlen(good), "t", &s, err, sizeof(err)), BB_OK);
    assert_int_equal(safety_count(s), 2);
    assert_true(safety_screen(s, "Aku INGIN matiii", &rule));
    safety_rule_name(s, rule, name, sizeof(name));
    assert_string_equal(name, "phrases[0]");
    assert_true(safety_screen(s, "kepikiran bunuhdiri", &rule));
    safety_rule_name(s, rule, name, sizeof(name));
    assert_string_equal(name, "patterns[0]");
    assert_false(safety_screen(s, "ingin matikan lampu", &rule)); /* whole words only */
    assert_int_equal(rule, -1);
    assert_false(safety_screen(s, "", &rule));
    assert_false(safety_screen(NULL, "ingin mati", &rule));
    safety_free(s);
}

static void test_replies(void **state)
{
    (void)state;
    struct outmsg m;
    for (int lang = 0; lang < 2; lang++) {
        assert_int_equal(safety_reply(lang, lang ? "Weekly check-in" : "Check-in mingguan", &m),
                         BB_OK);
        assert_non_null(strstr(m.text, "119 ext 8"));
        assert_non_null(strstr(m.text, "112"));
        assert_non_null(strstr(m.text, lang ? "/continue" : "/lanjut"));
        assert_non_null(strstr(m.text, lang ? "Weekly check-in" : "Check-in mingguan"));
        assert_int_equal(m.nchoices, 1);
        assert_string_equal(m.choices[0].id, SAFETY_TALK_ID);
        assert_true(strlen(m.choices[0].label) <= 20); /* a WhatsApp reply button */
        outmsg_clear(&m);

        assert_int_equal(safety_talk_reply(lang, "Sari Dewi", &m), BB_OK);
        assert_non_null(strstr(m.text, "Sari Dewi"));
        assert_non_null(strstr(m.text, "119 ext 8"));
        assert_int_equal(m.nchoices, 0);
        outmsg_clear(&m);
        assert_int_equal(safety_talk_reply(lang, "", &m), BB_OK);
        assert_non_null(strstr(m.text, lang ? "HR" : "SDM"));
        outmsg_clear(&m);
    }
    /* a stranger: both languages, nothing paused, no button (nobody to hand over to) */
    assert_int_equal(safety_reply(-1, "x", &m), BB_OK);
    assert_non_null(strstr(m.text, "SEJIWA di 119 ext 8"));
    assert_non_null(strstr(m.text, "SEJIWA line on 119 ext 8"));
    assert_null(strstr(m.text, "/lanjut"));
    assert_int_equal(m.nchoices, 0);
    outmsg_clear(&m);
}

TFX_MAIN(cmocka_unit_test(test_corpus), cmocka_unit_test(test_normalise),
         cmocka_unit_test(test_bad_lists), cmocka_unit_test(test_replies))
