/* test_flow_input.c - unit tests of bot/flow/flow_input.c: a table of typed
 * answers per input type (numbers, choices, scales and moods, yes/no,
 * dates as people write them, durations, text with lengths and PCRE2
 * patterns) and the value each must give, or its
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
    "    \"input\": {\"type\": \"date\", \"min_days\": 1, \"max_days\": 30}, \"next\": \"dtp\"},"
    "  \"dtp\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"},"
    "    \"input\": {\"type\": \"date\", \"min_days\": -400, \"max_days\": 0}, \"next\": \"dur\"},"
    "  \"dur\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"},"
    "    \"input\": {\"type\": \"duration\", \"min\": 1, \"max\": 3600}, \"next\": \"dur6\"},"
    "  \"dur6\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"},"
    "    \"input\": {\"type\": \"duration\", \"day_jp\": 6}, \"next\": \"mood\"},"
    "  \"mood\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"}, \"input\": {\"type\": \"scale\", "
    "\"min\": 1, \"max\": 5, \"moods\": true,"
    "    \"labels\": {\"id\": [\"Berat\", \"Kurang\", \"Biasa\", \"Baik\", \"Hebat\"],"
    "               \"en\": [\"Hard\", \"Not great\", \"Okay\", \"Good\", \"Great\"]}}, "
    "\"next\": \"mood10\"},"
    "  \"mood10\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"}, \"input\": {\"type\": \"scale\", "
    "\"min\": 0, \"max\": 10, \"moods\": true}, \"next\": \"txt\"},"
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
    {"yn", "ya!", 0, BOOL, 1, NULL, 0}, /* a closing "!" does not matter */
    {"yn", "Tidak.", 0, BOOL, 0, NULL, 1},
    {"yn", "!", 0, BAD, 0, NULL, -1},
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
    {"dt", "31/12/26", 0, STR, 0, "2026-12-31", -1}, /* a two-digit year is 20YY */
    {"dt", "12/31/2026", 0, BAD, 0, NULL, -1},
    {"dt", "1/2-2027", 0, BAD, 0, NULL, -1},
    {"dt", "1/2/1899", 0, BAD, 0, NULL, -1},
    {"dt", "2026-1-5", 0, BAD, 0, NULL, -1},
    {"dt", "lusa depan", 0, BAD, 0, NULL, -1},
    {"dt", "Desember", 0, BAD, 0, NULL, -1},
    /* dates as people write them (Monday 23 November 2026): weekdays, months */
    {"dt", "Jumat", 0, STR, 0, "2026-11-27", -1},
    {"dt", "jum'at", 0, STR, 0, "2026-11-27", -1},
    {"dt", "hari Jumat", 0, STR, 0, "2026-11-27", -1},
    {"dt", "Friday", 1, STR, 0, "2026-11-27", -1},
    {"dt", "senin", 0, STR, 0, "2026-11-23", -1}, /* today counts */
    {"dt", "Minggu", 0, STR, 0, "2026-11-29", -1},
    {"dt", "Jumat depan", 0, STR, 0, "2026-12-04", -1},
    {"dt", "next Friday", 1, STR, 0, "2026-12-04", -1},
    {"dt", "Senin depan", 0, STR, 0, "2026-11-30", -1},
    {"dt", "Jumat lalu", 0, STR, 0, "2026-11-20", -1},
    {"dt", "last monday", 1, STR, 0, "2026-11-16", -1},
    {"dt", "15 Desember", 0, STR, 0, "2026-12-15", -1},
    {"dt", "15 Des 2026", 0, STR, 0, "2026-12-15", -1},
    {"dt", "tanggal 15 desember", 0, STR, 0, "2026-12-15", -1},
    {"dt", "Selasa, 15 Desember 2026", 0, STR, 0, "2026-12-15", -1},
    {"dt", "Senin, 15 Desember 2026", 0, BAD, 0, NULL, -1}, /* 15 December is a Tuesday */
    {"dt", "December 15", 1, STR, 0, "2026-12-15", -1},
    {"dt", "Dec 15th, 2026", 1, STR, 0, "2026-12-15", -1},
    {"dt", "15/12", 0, STR, 0, "2026-12-15", -1},
    {"dt", "1/1", 0, STR, 0, "2027-01-01", -1},         /* the year wraps */
    {"dt", "10 November", 0, STR, 0, "2027-11-10", -1}, /* already past: next year */
    {"dt", "29 Februari", 0, STR, 0, "2028-02-29", -1}, /* the next one that exists */
    {"dt", "23 November", 0, STR, 0, "2026-11-23", -1},
    {"dt", "Besok!", 0, STR, 0, "2026-11-24", -1},
    {"dt", "15 Desemberr", 0, BAD, 0, NULL, -1},
    {"dt", "Jumat Sabtu", 0, BAD, 0, NULL, -1},
    {"dt", "next", 1, BAD, 0, NULL, -1},
    {"dt", "32 Desember", 0, BAD, 0, NULL, -1},
    /* a question about the past: "Jumat" is the last Friday, a date without
     * a year the last one */
    {"dtp", "Jumat", 0, STR, 0, "2026-11-20", -1},
    {"dtp", "senin", 0, STR, 0, "2026-11-23", -1},
    {"dtp", "15 Desember", 0, STR, 0, "2025-12-15", -1},
    {"dtp", "kemarin", 0, STR, 0, "2026-11-22", -1},
    {"dtp", "besok", 0, BAD, 0, NULL, -1},
    /* durations, in minutes: 1 JP = 45 minutes, a day 8 JP */
    {"dur", "90 menit", 0, NUM, 90, NULL, -1},
    {"dur", "1,5 jam", 0, NUM, 90, NULL, -1},
    {"dur", "1.5 hours", 1, NUM, 90, NULL, -1},
    {"dur", "3 hari", 0, NUM, 1080, NULL, -1},
    {"dur", "2 JP", 0, NUM, 90, NULL, -1},
    {"dur", "2 jam pelajaran", 0, NUM, 90, NULL, -1},
    {"dur", "45 min", 1, NUM, 45, NULL, -1},
    {"dur", "90", 0, NUM, 90, NULL, -1},
    {"dur", "90menit", 0, NUM, 90, NULL, -1},
    {"dur", "1 jam 30 menit", 0, NUM, 90, NULL, -1},
    {"dur", "1 jam dan 15 menit", 0, NUM, 75, NULL, -1},
    {"dur", "1h30", 1, NUM, 90, NULL, -1},
    {"dur", "2 days", 1, NUM, 720, NULL, -1},
    {"dur", "setengah jam", 0, NUM, 30, NULL, -1},
    {"dur", "satu setengah jam", 0, NUM, 90, NULL, -1},
    {"dur", "dua hari", 0, NUM, 720, NULL, -1},
    {"dur", "setengah hari", 0, NUM, 180, NULL, -1},
    {"dur", "two hours", 1, NUM, 120, NULL, -1},
    {"dur", "satu jam setengah", 0, NUM, 90, NULL, -1},
    {"dur", "2 jam setengah", 0, NUM, 150, NULL, -1},
    {"dur", "setengah setengah", 0, BAD, 0, NULL, -1},
    {"dur", "sebelas jam", 0, BAD, 0, NULL, -1},
    {"dur", "0,5 hari", 0, NUM, 180, NULL, -1},
    {"dur", "0 menit", 0, BAD, 0, NULL, -1},
    {"dur", "-5 menit", 0, BAD, 0, NULL, -1},
    {"dur", "lama", 0, BAD, 0, NULL, -1},
    {"dur", "90 menitan", 0, BAD, 0, NULL, -1},
    {"dur", "1,5,5 jam", 0, BAD, 0, NULL, -1},
    {"dur", "2 minggu", 0, BAD, 0, NULL, -1},
    {"dur", "11 hari", 0, BAD, 0, NULL, -1}, /* 3,960 minutes: over the max */
    {"dur", "jam 2", 0, BAD, 0, NULL, -1},
    {"dur6", "3 hari", 0, NUM, 810, NULL, -1}, /* a day of 6 JP */
    /* moods on a scale that asks for them: words and emoji */
    {"mood", "hebat!", 0, NUM, 5, NULL, 4},
    {"mood", "Biasa saja", 0, NUM, 3, NULL, 2},
    {"mood", "lumayan", 0, NUM, 3, NULL, 2},
    {"mood", "capek", 0, NUM, 2, NULL, 1},
    {"mood", "great", 1, NUM, 5, NULL, 4},
    {"mood", "meh", 1, NUM, 3, NULL, 2},
    {"mood", "\xf0\x9f\x98\x80", 0, NUM, 5, NULL, 4},                 /* grinning */
    {"mood", "\xf0\x9f\x99\x82", 0, NUM, 4, NULL, 3},                 /* slight smile */
    {"mood", "\xf0\x9f\x98\x90", 0, NUM, 3, NULL, 2},                 /* neutral */
    {"mood", "\xf0\x9f\x99\x81", 0, NUM, 2, NULL, 1},                 /* slight frown */
    {"mood", "\xf0\x9f\x98\x9e", 0, NUM, 1, NULL, 0},                 /* disappointed */
    {"mood", "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", 0, NUM, 4, NULL, 3}, /* thumbs up, a skin tone */
    {"mood", "\xe2\x98\xb9\xef\xb8\x8f", 0, NUM, 1, NULL, 0},         /* frowning, emoji style */
    {"mood", "hebat \xf0\x9f\x98\x80\xf0\x9f\x98\x80", 0, NUM, 5, NULL, 4},
    {"mood", "hebat \xf0\x9f\x98\x9e", 0, BAD, 0, NULL, -1}, /* word and emoji disagree */
    {"mood", "capek \xf0\x9f\x98\x9e", 0, NUM, 2, NULL, 1},  /* one level apart: the word */
    {"mood", "\xf0\x9f\x98\x80\xf0\x9f\x99\x81", 0, BAD, 0, NULL, -1},
    {"mood", "\xf0\x9f\x8d\x95", 0, BAD, 0, NULL, -1}, /* a pizza is no mood */
    {"mood", "Baik", 0, NUM, 4, NULL, 3},
    {"mood", "4", 0, NUM, 4, NULL, 3},
    {"mood", "mungkin", 0, BAD, 0, NULL, -1},
    {"mood10", "hebat", 0, NUM, 10, NULL, 10}, /* the level onto 0..10 */
    {"mood10", "biasa", 0, NUM, 5, NULL, 5},
    {"mood10", "\xf0\x9f\x98\x9e", 0, NUM, 0, NULL, 0},
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
