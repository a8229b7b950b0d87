/*
 * test_people_invite.c - invites one by one and by segment
 * (bot/domain/people/people_invite.c, store/store_invites.c) and the QR
 * code of the printable sheet (adapters/admin/admin_qr.c): codes only for
 * people not linked yet, one transaction, an unknown unit issues nothing,
 * a re-issue revokes the old code (which then cannot be redeemed), revoke,
 * the states (invited, expired, revoked, linked, onboarded, consents), the
 * CSV row, and libqrencode's matrix for a fixed link against a known value
 * (that matrix, drawn as an image, was decoded by zbarimg to the link).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "adapters/admin/admin_qr.h"
#include "bot/base/bb.h"
#include "bot/core/register.h"
#include "bot/domain/people/people.h"
#include "bot/domain/people/people_invite.h"
#include "store/store.h"
#include "tests/lib/fixture.h"

#define NOW 1800000000
#define DAY 86400

struct fx {
    TFX_STORE_FIELDS;
};
static struct fx *cur; /* the test's fixture, for count() */

static void seed(struct fx *f)
{
    static const char csv[] = "nip,name,unit,role\n"
                              "197001012000011001,Ayu,Biro SDM,employee\n"
                              "197001012000011002,Budi,Biro SDM,mentor\n"
                              "197001012000011003,Citra,Biro Umum,hr\n"
                              "197001012000011004,Dedi,Biro SDM,employee\n";
    struct people_import_report rep;
    struct store_person p;
    cur = f;
    assert_int_equal(people_import_mem(f->st, csv, strlen(csv), &rep), BB_OK);
    /* Budi has a chat: linked already */
    assert_int_equal(store_person_by_nip(f->st, "197001012000011002", &p), BB_OK);
    assert_int_equal(store_identity_link(f->st, "telegram", "77", p.id, NOW - DAY), BB_OK);
}

TFX_STORE_SETUP_INIT(fx, setup, seed)
TFX_STORE_TEARDOWN(fx, teardown)

struct seen {
    int n, total;
    char nips[8][32];
    char codes[8][REG_CODE_LEN + 1];
    int fail_at; /* -1: never */
};

static int collect(void *ctx, const struct people_invite *inv, int i, int n)
{
    struct seen *s = ctx;
    assert_true(i < 8);
    s->total = n;
    if (i == s->fail_at)
        return BB_EIO;
    bb_strlcpy(s->nips[i], inv->nip, sizeof(s->nips[i]));
    bb_strlcpy(s->codes[i], inv->code, sizeof(s->codes[i]));
    assert_int_equal(inv->expires_at, NOW + 14 * DAY);
    s->n = i + 1;
    return BB_OK;
}

/* The first column of sql's first row, read on a connection of its own
 * (what is committed). */
static int64_t count(struct store *st, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    int64_t n = -1;
    (void)st;
    assert_int_equal(sqlite3_open(cur->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

static int redeem(struct store *st, const char *code, const char *ext)
{
    int result = -1;
    int64_t pid = 0;
    assert_int_equal(reg_redeem(st, "telegram", ext, code, NOW + 60, &result, &pid), BB_OK);
    return result;
}

static void test_segment_only_unlinked(void **state)
{
    struct fx *f = *state;
    struct people_segment seg;
    struct seen s = {.fail_at = -1};
    int issued = -1;
    assert_int_equal(people_invite_segment(f->st, "unit=biro sdm", 14 * DAY, NOW, "test", &seg,
                                           collect, &s, &issued),
                     BB_OK);
    assert_int_equal(issued, 2);
    assert_int_equal(s.total, 2);
    assert_string_equal(seg.spec, "unit=Biro SDM");
    assert_int_equal(seg.total, 3);
    /* by unit then name: Ayu, Dedi; Budi (linked) has none */
    assert_string_equal(s.nips[0], "197001012000011001");
    assert_string_equal(s.nips[1], "197001012000011004");
    assert_string_not_equal(s.codes[0], s.codes[1]);
    assert_int_equal(count(f->st, "SELECT count(*) FROM invites"), 2);
    assert_int_equal(count(f->st, "SELECT count(*) FROM audit_log WHERE action = 'invite'"), 2);
    assert_int_equal(count(f->st, "SELECT count(*) FROM audit_log WHERE action = 'invite.bulk'"
                                  " AND detail = 'unit=Biro SDM: 2 code(s)'"),
                     1);
    /* the code works once */
    assert_int_equal(redeem(f->st, s.codes[0], "100"), REG_LINKED);
    assert_int_equal(redeem(f->st, s.codes[0], "101"), REG_BAD_CODE);
}

static void test_unknown_unit_issues_nothing(void **state)
{
    struct fx *f = *state;
    struct people_segment seg;
    struct seen s = {.fail_at = -1};
    int issued = -1;
    assert_int_equal(people_invite_segment(f->st, "unit=biro sdmx", 14 * DAY, NOW, "test", &seg,
                                           collect, &s, &issued),
                     BB_EINVAL);
    assert_int_equal(seg.err, PEOPLE_SEG_UNIT);
    assert_string_equal(seg.suggest, "Biro SDM");
    assert_int_equal(issued, 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(count(f->st, "SELECT count(*) FROM invites"), 0);
}

static void test_failure_rolls_back_every_code(void **state)
{
    struct fx *f = *state;
    struct people_segment seg;
    struct seen s = {.fail_at = 2};
    int issued = -1;
    assert_int_equal(
        people_invite_segment(f->st, "all", 14 * DAY, NOW, "test", &seg, collect, &s, &issued),
        BB_EIO);
    assert_int_equal(s.total, 3);
    assert_int_equal(issued, 0);
    assert_int_equal(count(f->st, "SELECT count(*) FROM invites"), 0);
    assert_int_equal(count(f->st, "SELECT count(*) FROM audit_log WHERE action LIKE 'invite%'"), 0);
}

static void test_reissue_revokes_the_old_code(void **state)
{
    struct fx *f = *state;
    struct people_invite a, b;
    int n = -1;
    assert_int_equal(people_invite_person(f->st, "197001012000011001", 14 * DAY, NOW, "test", &a),
                     BB_OK);
    assert_string_equal(a.name, "Ayu");
    assert_int_equal(people_invite_person(f->st, "197001012000011001", 14 * DAY, NOW, "test", &b),
                     BB_OK);
    assert_string_not_equal(a.code, b.code);
    assert_int_equal(count(f->st, "SELECT count(*) FROM invites WHERE revoked_at IS NULL"), 1);
    assert_int_equal(redeem(f->st, a.code, "200"), REG_BAD_CODE); /* the old one is dead */
    assert_int_equal(people_invite_revoke(f->st, "197001012000011001", NOW, "test", &n), BB_OK);
    assert_int_equal(n, 1);
    assert_int_equal(redeem(f->st, b.code, "201"), REG_BAD_CODE); /* revoked */
    assert_int_equal(people_invite_revoke(f->st, "197001012000011001", NOW, "test", &n), BB_OK);
    assert_int_equal(n, 0);
    assert_int_equal(people_invite_revoke(f->st, "99", NOW, "test", &n), BB_ENOTFOUND);
    assert_int_equal(people_invite_person(f->st, "99", 14 * DAY, NOW, "test", &a), BB_ENOTFOUND);
    assert_int_equal(count(f->st, "SELECT count(*) FROM audit_log WHERE action = 'invite.revoke'"),
                     1);
}

static const char *state_of(const struct store_invite_state *rows, int n, const char *nip,
                            int64_t now)
{
    for (int i = 0; i < n; i++)
        if (strcmp(rows[i].nip, nip) == 0)
            return people_invite_state(&rows[i], now);
    return "missing";
}

static void test_states(void **state)
{
    struct fx *f = *state;
    struct store_invite_state *rows = NULL;
    struct people_invite inv;
    int n = 0, k = 0;
    struct store_person p;

    assert_int_equal(people_invite_person(f->st, "197001012000011001", 14 * DAY, NOW, "test", &inv),
                     BB_OK);
    assert_int_equal(people_invite_person(f->st, "197001012000011003", DAY, NOW, "test", &inv),
                     BB_OK);
    assert_int_equal(people_invite_person(f->st, "197001012000011004", 14 * DAY, NOW, "test", &inv),
                     BB_OK);
    assert_int_equal(people_invite_revoke(f->st, "197001012000011004", NOW, "test", &k), BB_OK);
    assert_int_equal(store_person_by_nip(f->st, "197001012000011002", &p), BB_OK);
    assert_int_equal(store_consent_set(f->st, p.id, "data", 1, NOW), BB_OK);
    assert_int_equal(store_consent_set(f->st, p.id, "health", 1, NOW), BB_OK);
    assert_int_equal(store_consent_set(f->st, p.id, "health", 0, NOW + 1), BB_OK);

    assert_int_equal(store_invite_states(f->st, "", &rows, &n), BB_OK);
    assert_int_equal(n, 4);
    assert_string_equal(state_of(rows, n, "197001012000011001", NOW + DAY * 2), "invited");
    assert_string_equal(state_of(rows, n, "197001012000011003", NOW + DAY * 2), "expired");
    assert_string_equal(state_of(rows, n, "197001012000011004", NOW + DAY * 2), "revoked");
    assert_string_equal(state_of(rows, n, "197001012000011002", NOW + DAY * 2), "onboarded");
    for (int i = 0; i < n; i++) {
        if (strcmp(rows[i].nip, "197001012000011002") == 0) {
            assert_string_equal(rows[i].channels, "telegram");
            assert_string_equal(rows[i].consents, "data"); /* health withdrawn */
        }
    }
    free(rows);
    assert_int_equal(store_invite_states(f->st, "Biro Umum", &rows, &n), BB_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].name, "Citra");
    free(rows);
    assert_true(people_invite_state_known("not_invited"));
    assert_false(people_invite_state_known("nope"));
}

static void test_csv_row(void **state)
{
    struct people_invite inv = {.nip = "198501012010012001",
                                .name = "Ayu \"A\" Lestari",
                                .unit = "=Biro SDM",
                                .code = "ABCDEFGH23",
                                .expires_at = 1800000000};
    struct bb_buf b;
    (void)state;
    bb_buf_init(&b, 4096);
    assert_int_equal(people_invite_csv_row(&b, &inv, "", "https://x.example/?code=ABCDEFGH23"),
                     BB_OK);
    assert_int_equal(bb_buf_puts(&b, ""), BB_OK);
    assert_string_equal(b.data, "\"198501012010012001\",\"Ayu \"\"A\"\" Lestari\",\"'=Biro SDM\","
                                "\"ABCDEFGH23\",\"\",\"https://x.example/?code=ABCDEFGH23\","
                                "\"2027-01-15T08:00:00Z\"\r\n");
    bb_buf_free(&b);
}

/* libqrencode's matrix for this link (level M): decoded by zbarimg to the
 * same link when the matrix was drawn as an image. */
static const char *const qr_known[] = {
    "#######..####..######.#######", "#.....#..#.#.#####....#.....#",
    "#.###.#.#...#..##..#..#.###.#", "#.###.#.#.....##.#....#.###.#",
    "#.###.#.#.#....##..##.#.###.#", "#.....#.##.#.###....#.#.....#",
    "#######.#.#.#.#.#.#.#.#######", "........#...#.###.###........",
    "#.#####..##.#.##.####.#####..", "####....####.#.###..###.#...#",
    ".#..#.#..#.##..###..#.###....", "#.#.#....#.........##.####.#.",
    "#.....##.##.##.#.#.......##..", "#####..#......###..######...#",
    "##....##.#...#.#.##..#.####..", "#.##....#.#........#####...#.",
    "#.#...##..####.#.#.#.....##..", "#...##.##.#.#.###..######.#.#",
    "#.#.####...###.##...###...#..", "#.##.....###..##..#....#...#.",
    "#....####......#.#.######.###", "........#..###.##.#.#...#####",
    "#######....#.####.###.#.###..", "#.....#.####.#.##..##...#....",
    "#.###.#.#..##.#.##..#####.###", "#.###.#.#..#........#....####",
    "#.###.#.#...####.##..##.####.", "#.....#...##..###.#.#.#.##.#.",
    "#######.#..#...###.#...####..",
};
#define QR_LINK "https://t.me/bimbing_bot?start=ABCDEFGH23"

static void test_qr_matrix_known(void **state)
{
    unsigned char m[177 * 177];
    int w = 0;
    (void)state;
    assert_int_equal(admin_qr_matrix(QR_LINK, m, sizeof(m), &w), BB_OK);
    assert_int_equal(w, (int)BB_ARRAY_LEN(qr_known));
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++)
            assert_int_equal(m[y * w + x], qr_known[y][x] == '#');
    assert_int_equal(admin_qr_matrix(QR_LINK, m, 100, &w), BB_ELIMIT);
    assert_int_equal(admin_qr_matrix("", m, sizeof(m), &w), BB_EINVAL);
}

/* The SVG path draws exactly the matrix: parse it back module by module. */
static void test_qr_path_draws_the_matrix(void **state)
{
    unsigned char drawn[29 * 29] = {0};
    struct bb_buf b;
    int w = 0, x, y, run, used;
    const char *p;
    (void)state;
    bb_buf_init(&b, 16384);
    assert_int_equal(admin_qr_path(QR_LINK, &b, &w), BB_OK);
    assert_int_equal(w, 29);
    assert_int_equal(bb_buf_puts(&b, ""), BB_OK);
    for (p = b.data; *p; p += used) {
        int run2 = 0;
        used = 0;
        assert_int_equal(sscanf(p, "M%d %dh%dv1h-%dz%n", &x, &y, &run, &run2, &used), 4);
        assert_int_equal(run, run2);
        assert_true(x >= 0 && y >= 0 && run > 0 && x + run <= w && y < w);
        for (int i = 0; i < run; i++) {
            assert_int_equal(drawn[y * w + x + i], 0);
            drawn[y * w + x + i] = 1;
        }
    }
    for (y = 0; y < w; y++)
        for (x = 0; x < w; x++)
            assert_int_equal(drawn[y * w + x], qr_known[y][x] == '#');
    bb_buf_free(&b);
}

TFX_MAIN(TFX_TEST(test_segment_only_unlinked), TFX_TEST(test_unknown_unit_issues_nothing),
         TFX_TEST(test_failure_rolls_back_every_code), TFX_TEST(test_reissue_revokes_the_old_code),
         TFX_TEST(test_states), TFX_TEST(test_csv_row), TFX_TEST(test_qr_matrix_known),
         TFX_TEST(test_qr_path_draws_the_matrix))
