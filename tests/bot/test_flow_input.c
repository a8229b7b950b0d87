/* test_flow_input.c - unit tests of bot/flow/flow_input.c: a table of typed
 * answers per input type (numbers, choices, scales, yes/no, dates, text
 * with lengths and PCRE2 patterns) and the value each must give, or its
 * refusal; plus a catastrophic-backtracking pattern that must be refused
 * by the match limits instead of hanging. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/flow/flow.h"
#include "bot/core/domain.h"
#include "bot/domain/modules.h"

/* The action rows of this build (the loader is handed them, like main does). */
static const struct flow_actions *acts(void)
{
    static struct flow_actions a;
    a = domain_flow_actions(domain_modules);
    return &a;
}

#define NOW 1795428000 /* 2026-11-23T10:00:00Z: 17:00 on Monday 23 November in WIB */
#define WIB (7 * 3600)

/* One ask node per input under test. */
static const char *const SRC =
    "{\"id\": \"t.input\", \"version\": 1, \"kind\": \"system\","
    " \"title\": {\"id\": \"Masukan\", \"en\": \"Input\"}, \"start\": \"num\","
    " \"nodes\": {"
    "  \"num\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"}, \"input\": {\"type\": \"number\"}, "
    "\"next\": \"rng\"},"
    "  \"rng\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"},"
    "    \"input\": {\"type\": \"number\", \"min\": 0.5, \"max\": 10}, \"next\": \"int\"},"
    "  \"int\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"},"
    "    \"input\": {\"type\": \"number\", \"min\": -5, \"integer\": true}, \"next\": \"cho\"},"
    "  \"cho\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"}, \"input\": {\"type\": \"choice\", "
    "\"options\": ["
    "    {\"id\": \"train\", \"label\": {\"id\": \"Kereta\", \"en\": \"Train\"},"
    "     \"synonyms\": {\"id\": [\"krl\", \"commuter line\"], \"en\": [\"rail\"]}},"
    "    {\"id\": \"bus\", \"label\": {\"id\": \"Bus\", \"en\": \"Bus\"}},"
    "    {\"id\": \"motor\", \"label\": {\"id\": \"Sepeda motor\", \"en\": \"Motorbike\"}}]},"
    "    \"next\": \"nch\"},"
    "  \"nch\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"}, \"input\": {\"type\": \"choice\", "
    "\"options\": ["
    "    {\"id\": \"h2\", \"label\": {\"id\": \"2 jam\", \"en\": \"2 hours\"}},"
    "    {\"id\": \"h4\", \"label\": {\"id\": \"4 jam\", \"en\": \"4 hours\"}},"
    "    {\"id\": \"h8\", \"label\": {\"id\": \"8 jam\", \"en\": \"8 hours\"}}]},"
    "    \"next\": \"scl\"},"
    "  \"scl\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"}, \"input\": {\"type\": \"scale\", "
    "\"min\": 0, \"max\": 4,"
    "    \"labels\": {\"id\": [\"Nol\", \"Sedikit\", \"Sedang\", \"Banyak\", \"Penuh\"],"
    "               \"en\": [\"None\", \"Little\", \"Some\", \"Much\", \"Full\"]}}, \"next\": "
    "\"yn\"},"
    "  \"yn\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"}, \"input\": {\"type\": \"yesno\","
    "    \"labels\": {\"id\": [\"Setuju\", \"Tolak\"], \"en\": [\"Agree\", \"Decline\"]}}, "
    "\"next\": \"dt\"},"
    "  \"dt\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"}, \"input\": {\"type\": \"date\"}, "
    "\"next\": \"dtr\"},"
    "  \"dtr\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"},"
    "    \"input\": {\"type\": \"date\", \"min_days\": 1, \"max_days\": 30}, \"next\": \"txt\"},"
    "  \"txt\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"}, \"input\": {\"type\": \"text\", "
    "\"min\": 2, \"max\": 5},"
    "    \"next\": \"pat\"},"
    "  \"pat\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"},"
    "    \"input\": {\"type\": \"text\", \"pattern\": \"^[0-9]{18}$\"}, \"next\": \"evil\"},"
    "  \"evil\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"},"
    "    \"input\": {\"type\": \"text\", \"pattern\": \"^(a+)+$\"}, \"next\": \"any\"},"
    "  \"any\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"}, \"input\": {\"type\": \"text\"}, "
    "\"next\": \"fin\"},"
    "  \"fin\": {\"say\": {\"id\": \"Selesai.\", \"en\": \"Done.\"}, \"end\": true}}}";

static struct flow *flow;

static int setup(void **state)
{
    (void)state;
    struct flow_diags d;
    flow_diags_init(&d);
    int rc = flow_parse(SRC, strlen(SRC), "input", acts(), &flow, &d);
    for (int i = 0; i < d.n; i++) {
        char line[600];
        flow_diag_format(&d.v[i], line, sizeof(line));
        fprintf(stderr, "%s\n", line);
    }
    flow_diags_free(&d);
    return rc == BB_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    flow_free(flow);
    return 0;
}

static const struct flow_input *input(const char *node)
{
    int i = flow_node_index(flow, node);
    assert_true(i >= 0);
    return &flow->nodes[i].input;
}

enum { BAD = 0, NUM, STR, BOOL, LONG };

struct tcase {
    const char *node;
    const char *text;
    int lang;        /* 0 id, 1 en */
    int want;        /* BAD, NUM, STR, BOOL, LONG (over a text input's max) */
    double num;      /* NUM; BOOL: 1 or 0 */
    const char *str; /* STR */
    int opt;         /* the option index, -1 none */
};

static const struct tcase cases[] = {
    /* number */
    {"num", "3", 0, NUM, 3, NULL, -1},
    {"num", " -2 ", 0, NUM, -2, NULL, -1},
    {"num", "3,5", 0, NUM, 3.5, NULL, -1},
    {"num", "3.25", 1, NUM, 3.25, NULL, -1},
    {"num", "+7", 0, NUM, 7, NULL, -1},
    {"num", ",5", 0, NUM, 0.5, NULL, -1},
    {"num", "tiga", 0, BAD, 0, NULL, -1},
    {"num", "3 jam", 0, BAD, 0, NULL, -1},
    {"num", "1,2,3", 0, BAD, 0, NULL, -1},
    {"num", "inf", 0, BAD, 0, NULL, -1},
    {"num", "nan", 0, BAD, 0, NULL, -1},
    {"num", "1e999", 0, BAD, 0, NULL, -1},
    {"num", "", 0, BAD, 0, NULL, -1},
    {"num", "   ", 0, BAD, 0, NULL, -1},
    /* number with a range */
    {"rng", "0,5", 0, NUM, 0.5, NULL, -1},
    {"rng", "10", 0, NUM, 10, NULL, -1},
    {"rng", "0,4", 0, BAD, 0, NULL, -1},
    {"rng", "10,01", 0, BAD, 0, NULL, -1},
    {"rng", "-1", 0, BAD, 0, NULL, -1},
    /* whole numbers only */
    {"int", "-5", 0, NUM, -5, NULL, -1},
    {"int", "12", 0, NUM, 12, NULL, -1},
    {"int", "12,0", 0, NUM, 12, NULL, -1},
    {"int", "2,5", 0, BAD, 0, NULL, -1},
    {"int", "-6", 0, BAD, 0, NULL, -1},
    /* choice: number as shown, label (either language), synonym, id */
    {"cho", "1", 0, STR, 0, "train", 0},
    {"cho", "3", 1, STR, 0, "motor", 2},
    {"cho", "4", 0, BAD, 0, NULL, -1},
    {"cho", "0", 0, BAD, 0, NULL, -1},
    {"cho", "1,5", 0, BAD, 0, NULL, -1},
    {"cho", "kereta", 0, STR, 0, "train", 0},
    {"cho", "  SEPEDA MOTOR ", 0, STR, 0, "motor", 2},
    {"cho", "Motorbike", 0, STR, 0, "motor", 2},
    {"cho", "train", 0, STR, 0, "train", 0},
    {"cho", "KRL", 0, STR, 0, "train", 0},
    {"cho", "commuter line", 1, STR, 0, "train", 0},
    {"cho", "rail", 0, STR, 0, "train", 0},
    {"cho", "bus", 1, STR, 0, "bus", 1},
    {"cho", "sepeda", 0, BAD, 0, NULL, -1},
    {"cho", "commuter  line", 0, BAD, 0, NULL, -1},
    /* scale 0..4: a typed number is the value, not the position */
    {"scl", "0", 0, NUM, 0, NULL, 0},
    {"scl", "4", 0, NUM, 4, NULL, 4},
    {"scl", "5", 0, BAD, 0, NULL, -1},
    {"scl", "2,5", 0, BAD, 0, NULL, -1},
    {"scl", "sedang", 0, NUM, 2, NULL, 2},
    {"scl", "much", 0, NUM, 3, NULL, 3},
    {"scl", "3 Banyak", 0, NUM, 3, NULL, 3},
    {"scl", "lumayan", 0, BAD, 0, NULL, -1},
    /* yes/no: both languages' words, custom labels, numbers as shown */
    {"yn", "ya", 0, BOOL, 1, NULL, 0},
    /* choices that are numbers: a typed number is the number, never a position */
    {"nch", "4", 0, STR, 0, "h4", 1},
    {"nch", "2", 1, STR, 0, "h2", 0},
    {"nch", "8", 0, STR, 0, "h8", 2},
    {"nch", "1", 0, BAD, 0, NULL, -1},
    {"nch", "3", 0, BAD, 0, NULL, -1},
    {"nch", "4 jam", 0, STR, 0, "h4", 1},
    {"yn", "Iya", 1, BOOL, 1, NULL, 0},
    {"yn", "yes", 0, BOOL, 1, NULL, 0},
    {"yn", "ok", 0, BOOL, 1, NULL, 0},
    {"yn", "boleh", 0, BOOL, 1, NULL, 0},
    {"yn", "sure", 1, BOOL, 1, NULL, 0},
    {"yn", "setuju", 1, BOOL, 1, NULL, 0},
    {"yn", "agree", 0, BOOL, 1, NULL, 0},
    {"yn", "1", 0, BOOL, 1, NULL, 0},
    {"yn", "tidak", 0, BOOL, 0, NULL, 1},
    {"yn", "nggak", 0, BOOL, 0, NULL, 1},
    {"yn", "gak", 1, BOOL, 0, NULL, 1},
    {"yn", "no", 0, BOOL, 0, NULL, 1},
    {"yn", "Nope", 1, BOOL, 0, NULL, 1},
    {"yn", "not now", 1, BOOL, 0, NULL, 1},
    {"yn", "belum", 0, BOOL, 0, NULL, 1},
    {"yn", "tolak", 0, BOOL, 0, NULL, 1},
    {"yn", "decline", 1, BOOL, 0, NULL, 1},
    {"yn", "2", 0, BOOL, 0, NULL, 1},
    {"yn", "3", 0, BAD, 0, NULL, -1},
    {"yn", "mungkin", 0, BAD, 0, NULL, -1},
    {"yn", "ya!", 0, BAD, 0, NULL, -1},
    /* dates: today is 2026-11-23 in WIB */
    {"dt", "31/12/2026", 0, STR, 0, "2026-12-31", -1},
    {"dt", "2026-12-31", 0, STR, 0, "2026-12-31", -1},
    {"dt", "1/2/2027", 0, STR, 0, "2027-02-01", -1},
    {"dt", "01-02-2027", 0, STR, 0, "2027-02-01", -1},
    {"dt", "1.2.2027", 0, STR, 0, "2027-02-01", -1},
    {"dt", "29/02/2028", 0, STR, 0, "2028-02-29", -1},
    {"dt", "besok", 0, STR, 0, "2026-11-24", -1},
    {"dt", "Tomorrow", 1, STR, 0, "2026-11-24", -1},
    {"dt", "hari ini", 0, STR, 0, "2026-11-23", -1},
    {"dt", "today", 0, STR, 0, "2026-11-23", -1},
    {"dt", "sekarang", 0, STR, 0, "2026-11-23", -1},
    {"dt", "lusa", 0, STR, 0, "2026-11-25", -1},
    {"dt", "kemarin", 0, STR, 0, "2026-11-22", -1},
    {"dt", "yesterday", 0, STR, 0, "2026-11-22", -1},
    {"dt", "minggu depan", 0, STR, 0, "2026-11-30", -1},
    {"dt", "next week", 0, STR, 0, "2026-11-30", -1},
    {"dt", "31/02/2026", 0, BAD, 0, NULL, -1},
    {"dt", "29/02/2027", 0, BAD, 0, NULL, -1},
    {"dt", "2026-02-30", 0, BAD, 0, NULL, -1},
    {"dt", "2026-13-01", 0, BAD, 0, NULL, -1},
    {"dt", "32/01/2026", 0, BAD, 0, NULL, -1},
    {"dt", "31/12/26", 0, BAD, 0, NULL, -1},
    {"dt", "12/31/2026", 0, BAD, 0, NULL, -1},
    {"dt", "1/2-2027", 0, BAD, 0, NULL, -1},
    {"dt", "1/2/1899", 0, BAD, 0, NULL, -1},
    {"dt", "2026-1-5", 0, BAD, 0, NULL, -1},
    {"dt", "lusa depan", 0, BAD, 0, NULL, -1},
    {"dt", "Desember", 0, BAD, 0, NULL, -1},
    /* dates from tomorrow to 30 days ahead */
    {"dtr", "besok", 0, STR, 0, "2026-11-24", -1},
    {"dtr", "23/12/2026", 0, STR, 0, "2026-12-23", -1},
    {"dtr", "24/12/2026", 0, BAD, 0, NULL, -1},
    {"dtr", "hari ini", 0, BAD, 0, NULL, -1},
    {"dtr", "kemarin", 0, BAD, 0, NULL, -1},
    /* text: 2..5 characters, trimmed, case kept */
    {"txt", "ab", 0, STR, 0, "ab", -1},
    {"txt", "  Hai!  ", 0, STR, 0, "Hai!", -1},
    {"txt", "ééééé", 0, STR, 0, "ééééé", -1}, /* characters, not bytes */
    {"txt", "a", 0, BAD, 0, NULL, -1},
    {"txt", "abcdef", 0, LONG, 0, NULL, -1},
    {"txt", "ééééééé", 0, LONG, 0, NULL, -1},
    {"txt", " a ", 0, BAD, 0, NULL, -1},
    /* a pattern */
    {"pat", "198001012005011001", 0, STR, 0, "198001012005011001", -1},
    {"pat", " 198001012005011001 ", 0, STR, 0, "198001012005011001", -1},
    {"pat", "19800101200501100", 0, BAD, 0, NULL, -1},
    {"pat", "19800101200501100x", 0, BAD, 0, NULL, -1},
    /* the default text: 1..1000 characters */
    {"any", "x", 0, STR, 0, "x", -1},
    {"any", "   ", 0, BAD, 0, NULL, -1},
};

static void test_table(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < BB_ARRAY_LEN(cases); i++) {
        const struct tcase *c = &cases[i];
        struct expr_val v;
        int opt = -7;
        int rc = flow_input_parse(input(c->node), c->text, c->lang, NOW, WIB, &v, &opt);
        int ok;
        if (c->want == BAD)
            ok = rc == BB_EINVAL && v.type == EXPR_NULL;
        else if (c->want == LONG)
            ok = rc == BB_ELIMIT && v.type == EXPR_NULL;
        else if (c->want == NUM)
            ok = rc == BB_OK && v.type == EXPR_NUM && v.num == c->num && opt == c->opt;
        else if (c->want == BOOL)
            ok = rc == BB_OK && v.type == EXPR_BOOL && v.b == (int)c->num && opt == c->opt;
        else
            ok = rc == BB_OK && v.type == EXPR_STR && strcmp(v.str, c->str) == 0 && opt == c->opt;
        if (!ok) {
            char got[128] = "";
            expr_val_format(&v, got, sizeof(got));
            print_error("case %zu: %s \"%s\": rc %d, type %d, value \"%s\", opt %d\n", i, c->node,
                        c->text, rc, v.type, got, opt);
            failures++;
        }
        expr_val_clear(&v);
    }
    assert_int_equal(failures, 0);
}

/* "Tomorrow" follows the person's local date, not UTC. */
static void test_date_time_zone(void **state)
{
    (void)state;
    struct expr_val v;
    int opt;
    int64_t late = 1795464000; /* 2026-11-23T20:00:00Z = 03:00 on the 24th in WIB */
    assert_int_equal(flow_input_parse(input("dt"), "besok", 0, late, WIB, &v, &opt), BB_OK);
    assert_string_equal(v.str, "2026-11-25");
    expr_val_clear(&v);
    assert_int_equal(flow_input_parse(input("dt"), "besok", 0, late, 0, &v, &opt), BB_OK);
    assert_string_equal(v.str, "2026-11-24");
    expr_val_clear(&v);
    /* min_days counts from the local today */
    assert_int_equal(flow_input_parse(input("dtr"), "24/11/2026", 0, late, WIB, &v, &opt),
                     BB_EINVAL);
    assert_int_equal(flow_input_parse(input("dtr"), "24/11/2026", 0, late, 0, &v, &opt), BB_OK);
    expr_val_clear(&v);
}

/* ^(a+)+$ against a long run of a's and a mismatch backtracks
 * exponentially; the match limit must stop it and the answer is refused. */
static void test_catastrophic_pattern(void **state)
{
    (void)state;
    struct expr_val v;
    int opt;
    assert_int_equal(flow_input_parse(input("evil"), "aaaa", 0, NOW, WIB, &v, &opt), BB_OK);
    assert_string_equal(v.str, "aaaa");
    expr_val_clear(&v);
    assert_int_equal(
        flow_input_parse(input("evil"), "aaaaaaaaaaaaaaaaaaaaaaaaaaaa!", 0, NOW, WIB, &v, &opt),
        BB_EINVAL);
    assert_int_equal(v.type, EXPR_NULL);
    char longer[200];
    memset(longer, 'a', sizeof(longer) - 2);
    longer[sizeof(longer) - 2] = '!';
    longer[sizeof(longer) - 1] = '\0';
    assert_int_equal(flow_input_parse(input("evil"), longer, 0, NOW, WIB, &v, &opt), BB_EINVAL);
}

static void test_bad_text_bytes(void **state)
{
    (void)state;
    struct expr_val v;
    int opt;
    /* invalid UTF-8 and over-long answers are refused for every type; a
     * text answer that is too long says so (BB_ELIMIT), so the limit can be told */
    const char *nodes[] = {"num", "cho", "yn", "dt", "any"};
    char huge[FLOW_VAR_MAX + 10];
    memset(huge, '1', sizeof(huge) - 1);
    huge[sizeof(huge) - 1] = '\0';
    for (size_t i = 0; i < BB_ARRAY_LEN(nodes); i++) {
        assert_int_equal(flow_input_parse(input(nodes[i]), "ya\xff", 0, NOW, WIB, &v, &opt),
                         BB_EINVAL);
        assert_int_equal(flow_input_parse(input(nodes[i]), huge, 0, NOW, WIB, &v, &opt),
                         strcmp(nodes[i], "any") == 0 ? BB_ELIMIT : BB_EINVAL);
    }
    /* an unknown language index falls back to Indonesian */
    assert_int_equal(flow_input_parse(input("yn"), "ya", 9, NOW, WIB, &v, &opt), BB_OK);
    assert_int_equal(v.b, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_date_time_zone),
        cmocka_unit_test(test_catastrophic_pattern),
        cmocka_unit_test(test_bad_text_bytes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
