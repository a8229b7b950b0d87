/* test_store_survey.c - surveys and broadcasts in the store: waves and
 * their paced start timers, participation kept apart from answers, a
 * database that holds no link from an answer to a person (schema, row
 * order, random ids, no times), reminders' target list (non-responders
 * only), closing into counts, scrubbing, and the bulk broadcast insert. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "bot/base/bb.h"
#include "store/store.h"
#include "store/store_int.h"
#include "store/store_survey.h"
#include "tests/lib/fixture.h"

#define NPEOPLE 40
#define T0      1795770000 /* 2026-11-27T09:00:00Z */

struct fx {
    TFX_STORE_FIELDS;
    int64_t ids[NPEOPLE];
};

static void fx_init(struct fx *f)
{
    for (int i = 0; i < NPEOPLE; i++) {
        struct store_person p;
        char ext[32];
        memset(&p, 0, sizeof(p));
        bb_snprintf(p.nip, sizeof(p.nip), "19900101201501%04d", i);
        bb_snprintf(p.name, sizeof(p.name), "Person %d", i);
        bb_strlcpy(p.unit, i < 30 ? "Unit A" : "Unit B", sizeof(p.unit));
        bb_strlcpy(p.lang, i % 2 ? "en" : "id", sizeof(p.lang));
        assert_int_equal(store_person_upsert(f->st, &p, &f->ids[i], NULL), BB_OK);
        bb_snprintf(ext, sizeof(ext), "%d", 7000 + i);
        assert_int_equal(store_identity_link(f->st, "telegram", ext, f->ids[i], T0 - 100), BB_OK);
    }
}

TFX_STORE_SETUP_INIT(fx, setup, fx_init)
TFX_STORE_TEARDOWN_FINI(fx, teardown, TFX_NOTHING)

static int64_t add_wave(struct fx *f)
{
    struct store_wave w;
    memset(&w, 0, sizeof(w));
    bb_strlcpy(w.flow_id, "survey.enps", sizeof(w.flow_id));
    bb_strlcpy(w.segment, "all", sizeof(w.segment));
    w.start_at = T0;
    w.close_at = T0 + 7 * 86400;
    w.remind_at = T0 + 2 * 86400;
    w.created_at = T0;
    assert_int_equal(store_wave_add(f->st, &w, STORE_SEG_ALL, "", 10), BB_OK);
    assert_int_equal(w.invited, NPEOPLE);
    return w.id;
}

static void answer(struct fx *f, int64_t wave, int i)
{
    struct store_answer a[2];
    int64_t wid = 0;
    char unit[128];
    memset(a, 0, sizeof(a));
    assert_int_equal(
        store_survey_open_invitation(f->st, f->ids[i], "survey.enps", 5, &wid, unit, sizeof(unit)),
        BB_OK);
    assert_int_equal(wid, wave);
    bb_strlcpy(a[0].question, "enps", sizeof(a[0].question));
    a[0].has_num = 1;
    a[0].num = i; /* the value tells us the answer order */
    bb_strlcpy(a[1].question, "why", sizeof(a[1].question));
    a[1].txt = "ok";
    assert_int_equal(store_survey_answer(f->st, wave, f->ids[i], unit, a, 2, 5, T0 + 60 + i, 0),
                     BB_OK);
}

static void test_wave_timers_and_invitations(void **state)
{
    struct fx *f = *state;
    struct store_timer *t = NULL;
    int n = 0;
    char open[128];
    add_wave(f);
    assert_int_equal(store_timer_due(f->st, T0 + 100, 1000, &t, &n), BB_OK);
    assert_int_equal(n, NPEOPLE);
    /* paced: 10 starts a second, so the last is 3 s after the first */
    assert_int_equal(t[0].due, T0);
    assert_int_equal(t[n - 1].due, T0 + 3);
    assert_string_equal(t[0].kind, "flow");
    assert_string_equal(t[0].payload, "survey.enps");
    free(t);
    assert_int_equal(store_survey_person_open(f->st, f->ids[0], open, sizeof(open)), BB_OK);
    assert_string_equal(open, " survey.enps ");
    /* a bad segment changes nothing */
    struct store_wave w;
    memset(&w, 0, sizeof(w));
    bb_strlcpy(w.flow_id, "survey.enps", sizeof(w.flow_id));
    w.start_at = T0;
    w.close_at = T0 + 10;
    assert_int_equal(store_wave_add(f->st, &w, STORE_SEG_UNIT, "", 10), BB_EINVAL);
}

/* An answer that fails half-way (a question twice) writes nothing: the
 * invitation stays open and a whole answer is taken afterwards. */
static void test_failed_answer_writes_nothing(void **state)
{
    struct fx *f = *state;
    int64_t wave = add_wave(f), wid = 0;
    char unit[128];
    struct store_answer a[2];
    memset(a, 0, sizeof(a));
    bb_strlcpy(a[0].question, "enps", sizeof(a[0].question));
    a[0].has_num = 1;
    a[0].num = 9;
    a[1] = a[0];
    assert_int_equal(store_survey_answer(f->st, wave, f->ids[0], "", a, 2, 5, T0 + 60, 0),
                     BB_EEXIST);
    assert_int_equal(
        store_survey_open_invitation(f->st, f->ids[0], "survey.enps", 5, &wid, unit, sizeof(unit)),
        BB_OK);
    assert_int_equal(wid, wave);
    answer(f, wave, 0);
}

static void test_answers_unlinkable(void **state)
{
    struct fx *f = *state;
    int64_t wave = add_wave(f);
    sqlite3 *db;
    sqlite3_stmt *s;
    for (int i = 0; i < NPEOPLE; i++)
        answer(f, wave, i);
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    /* 1. the answer tables have no person and no time column */
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM pragma_table_info('survey_pending')"
                                        " WHERE name NOT IN ('wave_id', 'unit', 'pending',"
                                        " 'question', 'num', 'txt')",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 0);
    sqlite3_finalize(s);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA table_info(survey_answers)", -1, &s, NULL),
                     SQLITE_OK);
    int cols = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(s, 1);
        assert_true(!strcmp(c, "response") || !strcmp(c, "wave_id") || !strcmp(c, "unit") ||
                    !strcmp(c, "question") || !strcmp(c, "num") || !strcmp(c, "txt") ||
                    !strcmp(c, "step")); /* the release a row came with: k responses share it */
        cols++;
    }
    sqlite3_finalize(s);
    assert_int_equal(cols, 7);
    /* 2. no rowid (insertion order) to read */
    assert_int_not_equal(sqlite3_prepare_v2(db, "SELECT rowid FROM survey_answers", -1, &s, NULL),
                         SQLITE_OK);
    sqlite3_finalize(s);
    /* 3. rows in storage order are not in answer (= invitation) order, and
     * every response id is 32 hex digits, one per person */
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT response, num FROM survey_answers"
                                        " WHERE question = 'enps'",
                                        -1, &s, NULL),
                     SQLITE_OK);
    int rows = 0, ascending = 1;
    double prev = -1;
    char seen[NPEOPLE][33];
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(s, 0);
        double v = sqlite3_column_double(s, 1);
        assert_int_equal(strlen(r), 32);
        assert_int_equal(strspn(r, "0123456789abcdef"), 32);
        for (int k = 0; k < rows; k++)
            assert_string_not_equal(seen[k], r);
        bb_strlcpy(seen[rows], r, sizeof(seen[rows]));
        if (v < prev)
            ascending = 0;
        prev = v;
        rows++;
    }
    sqlite3_finalize(s);
    assert_int_equal(rows, NPEOPLE);
    assert_false(ascending); /* 1 in 40! to fail by chance */
    /* 4. a unit under k invited (Unit B has 10 >= 5: kept; k = 20 folds it) */
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM survey_answers WHERE"
                                        " question = 'enps' AND unit = 'Unit B'",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 10);
    sqlite3_finalize(s);
    /* 5. nothing in the answers equals a timestamp of the answering */
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM survey_answers WHERE num >= ?1"
                                        " OR txt GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9]*'",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(s, 1, T0);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    /* answering twice is refused; a person not invited has nothing open */
    struct store_answer a = {.question = "enps", .has_num = 1, .num = 1};
    assert_int_equal(store_survey_answer(f->st, wave, f->ids[0], "", &a, 1, 5, T0, 0), BB_EEXIST);
    int64_t wid;
    char unit[64];
    assert_int_equal(
        store_survey_open_invitation(f->st, f->ids[0], "survey.enps", 5, &wid, unit, sizeof(unit)),
        BB_ENOTFOUND);
    /* the person's export shows participation, never answers */
    cJSON *ex = NULL;
    assert_int_equal(store_person_export(f->st, f->ids[3], &ex), BB_OK);
    char *txt = cJSON_PrintUnformatted(ex);
    assert_non_null(strstr(txt, "survey_invitations"));
    assert_null(strstr(txt, "\"enps\""));
    cJSON_free(txt);
    cJSON_Delete(ex);
}

static void test_unanswered_and_close(void **state)
{
    struct fx *f = *state;
    int64_t wave = add_wave(f);
    struct store_invitee *v = NULL;
    struct store_unit_count *u = NULL;
    int n = 0;
    for (int i = 0; i < 30; i++)
        answer(f, wave, i);
    assert_int_equal(store_wave_unanswered(f->st, wave, &v, &n), BB_OK);
    assert_int_equal(n, 10);
    for (int i = 0; i < n; i++) {
        assert_int_equal(v[i].person_id, f->ids[30 + i]); /* only non-responders */
        assert_int_equal(v[i].has_timer, 1);
        assert_int_equal(v[i].in_flow, 0);
    }
    free(v);
    int64_t *ids = NULL;
    assert_int_equal(store_wave_due_remind(f->st, T0 + 86400, &ids, &n), BB_OK);
    assert_int_equal(n, 0);
    free(ids);
    assert_int_equal(store_wave_due_remind(f->st, T0 + 2 * 86400, &ids, &n), BB_OK);
    assert_int_equal(n, 1);
    free(ids);
    assert_int_equal(store_wave_finish(f->st, wave, T0 + 7 * 86400), BB_OK);
    assert_int_equal(store_wave_finish(f->st, wave, T0 + 7 * 86400), BB_ESTATE);
    /* participation is now counts per unit; no per-person rows are left */
    assert_int_equal(store_wave_units(f->st, wave, 5, &u, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_string_equal(u[0].unit, "Unit A");
    assert_int_equal(u[0].invited, 30);
    assert_int_equal(u[0].answered, 30);
    assert_int_equal(u[1].invited, 10);
    assert_int_equal(u[1].answered, 0);
    free(u);
    assert_int_equal(store_wave_unanswered(f->st, wave, &v, &n), BB_OK);
    assert_int_equal(n, 0);
    free(v);
    /* the start timers of the non-responders are gone */
    struct store_timer *t = NULL;
    assert_int_equal(store_timer_due(f->st, T0 + 100, 1000, &t, &n), BB_OK);
    assert_int_equal(n, 30); /* (in this test nobody's timer fired) */
    free(t);
}

static int count_row(void *ctx, const struct store_answer_row *r)
{
    (void)r;
    (*(int *)ctx)++;
    return BB_OK;
}

/* Add a message from chat 7000 + who; processed when done. Its inbox id. */
static int64_t inbox_msg(struct fx *f, int who, const char *mid, int kind, const char *text,
                         int done)
{
    struct store_inbox_event ev;
    int64_t id = 0;
    int dup = 0;
    memset(&ev, 0, sizeof(ev));
    bb_strlcpy(ev.channel, "telegram", sizeof(ev.channel));
    bb_snprintf(ev.ext_user, sizeof(ev.ext_user), "%d", 7000 + who);
    bb_strlcpy(ev.ext_msg_id, mid, sizeof(ev.ext_msg_id));
    ev.kind = kind;
    if (kind == STORE_EV_TEXT)
        ev.text = (char *)text;
    else
        bb_strlcpy(ev.payload, text, sizeof(ev.payload));
    ev.ts = T0 + 30;
    assert_int_equal(store_inbox_add(f->st, &ev, &dup, &id), BB_OK);
    if (done)
        assert_int_equal(store_inbox_done(f->st, id, T0 + 31), BB_OK);
    return id;
}

static int64_t count_sql(struct fx *f, const char *sql)
{
    int64_t n = -1;
    assert_int_equal(store_q_int64(f->st, sql, STORE_NOARGS, &n), BB_OK);
    return n;
}

/* The answer's traces go in the answer's own transaction: the person's
 * processed messages, those of the running batch up to the answering event
 * (a button press too), and the labels echoed in "answered" notices, even
 * queued ones; a message after the answering event (still to be read) and
 * other people's messages keep their text; no answer time is stored. */
static void test_scrub_with_answer(void **state)
{
    struct fx *f = *state;
    int64_t wave = add_wave(f);
    char *sess = NULL;
    bb_clock_set(T0 + 40); /* the outbox row's time */
    inbox_msg(f, 0, "m1", STORE_EV_TEXT, "sembilan", 1);
    inbox_msg(f, 1, "o1", STORE_EV_TEXT, "someone else", 1);
    inbox_msg(f, 0, "m2", STORE_EV_BUTTON, "score.9", 0);
    int64_t upto = inbox_msg(f, 0, "m3", STORE_EV_TEXT, "too much overtime", 0);
    inbox_msg(f, 0, "m4", STORE_EV_TEXT, "next message", 0);
    assert_int_equal(store_outbox_put(f->st, f->ids[0], "telegram", "7000", STORE_PRIO_LIVE,
                                      "{\"answered\":\"score\",\"text\":\"9\"}", 0, NULL),
                     BB_OK);
    assert_int_equal(store_session_put(f->st, f->ids[0], "", 0, "",
                                       "{\"stack\":[],\"mode\":\"idle\",\"vars\":{\"enps\":9}}",
                                       T0 + 60),
                     BB_OK);
    struct store_answer a[2];
    memset(a, 0, sizeof(a));
    bb_strlcpy(a[0].question, "enps", sizeof(a[0].question));
    a[0].has_num = 1;
    a[0].num = 9;
    bb_strlcpy(a[1].question, "why", sizeof(a[1].question));
    a[1].txt = "too much overtime";
    assert_int_equal(store_survey_answer(f->st, wave, f->ids[0], "", a, 2, 5, T0 + 60, upto),
                     BB_OK);
    bb_clock_unpin();
    assert_int_equal(count_sql(f, "SELECT count(*) FROM inbox WHERE text IN ('sembilan',"
                                  " 'too much overtime') OR payload <> ''"),
                     0);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM inbox WHERE text = 'next message'"), 1);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM inbox WHERE text = 'someone else'"), 1);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM outbox WHERE body LIKE '%9%'"), 0);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM outbox WHERE state = 0"), 1);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM survey_invitations WHERE answered_at <> 0"),
                     0);
    assert_int_equal(store_session_get(f->st, f->ids[0], &sess), BB_OK);
    assert_null(strstr(sess, "enps"));
    free(sess);
    /* one response: waiting for k - 1 more, none in the report table yet */
    int rows = 0;
    assert_int_equal(store_wave_answers(f->st, wave, count_row, &rows), BB_OK);
    assert_int_equal(rows, 0);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM survey_pending"), 2);
}

/* The bytes of the file at path (NUL-terminated; *len without it), or NULL
 * when there is no such file. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    size_t cap = 1 << 20, got;
    char *buf;
    *len = 0;
    if (!fp)
        return NULL;
    buf = malloc(cap + 1);
    assert_non_null(buf);
    while ((got = fread(buf + *len, 1, cap - *len, fp)) > 0) {
        *len += got;
        if (*len == cap) {
            cap *= 2;
            assert_true(cap <= (64u << 20));
            buf = realloc(buf, cap + 1);
            assert_non_null(buf);
        }
    }
    fclose(fp);
    buf[*len] = '\0';
    return buf;
}

/* How often needle is in the database file and in its -wal file. */
static int in_files(struct fx *f, const char *needle)
{
    char wal[TFX_PATH_MAX + 8];
    int n = 0;
    bb_snprintf(wal, sizeof(wal), "%s-wal", f->path);
    const char *paths[] = {f->path, wal};
    for (size_t p = 0; p < BB_ARRAY_LEN(paths); p++) {
        size_t len = 0, nl = strlen(needle);
        char *b = slurp(paths[p], &len);
        for (size_t i = 0; b && i + nl <= len; i++)
            n += memcmp(b + i, needle, nl) == 0;
        free(b);
    }
    return n;
}

static int map_text(sqlite3_stmt *s, void *dst)
{
    char(*t)[40] = dst;
    bb_strlcpy(*t, (const char *)sqlite3_column_text(s, 0), sizeof(*t));
    return BB_OK;
}

/* Issue 14, finding 2: answers wait in survey_pending (no person, no time)
 * and reach the report table only k responses of a unit at a time, under
 * new response ids and in random order; the pending rows are then zeroed
 * in the file, so an id seen while pending names nothing afterwards; a
 * wave's closing releases the rest. Participation moves with the releases
 * (one step behind while the wave is open), not with each answer. */
static void test_release_in_steps(void **state)
{
    struct fx *f = *state;
    int64_t wave = add_wave(f);
    struct store_unit_count *u = NULL;
    char(*pend)[40] = NULL;
    int n = 0, np = 0, in_order = 0;
    for (int batch = 0; batch < 6; batch++) { /* Unit A: 30 people, 6 steps of 5 */
        for (int j = 0; j < 4; j++)
            answer(f, wave, batch * 5 + j);
        assert_int_equal(count_sql(f, "SELECT count(DISTINCT pending) FROM survey_pending"), 4);
        assert_int_equal(count_sql(f, "SELECT count(DISTINCT response) FROM survey_answers"),
                         batch * 5);
        /* participation as an open wave's report sees it: released steps
         * but the latest */
        assert_int_equal(store_wave_units(f->st, wave, 5, &u, &n), BB_OK);
        assert_int_equal(n, 2);
        assert_string_equal(u[0].unit, "Unit A");
        assert_int_equal(u[0].invited, 30);
        assert_int_equal(u[0].answered, batch > 0 ? (batch - 1) * 5 : 0);
        free(u);
        assert_int_equal(count_sql(f, "SELECT coalesce(max(step), 0) FROM survey_answers"), batch);
        /* the pending ids, as a snapshot of the file would show them */
        assert_int_equal(store_q_list(f->st, "SELECT DISTINCT pending FROM survey_pending",
                                      STORE_NOARGS, map_text, sizeof(*pend), 10, NULL,
                                      (void **)&pend, &np),
                         BB_OK);
        assert_int_equal(np, 4);
        for (int j = 0; j < np; j++)
            assert_true(in_files(f, pend[j]) > 0);
        answer(f, wave, batch * 5 + 4); /* the k-th: the bucket is released */
        assert_int_equal(count_sql(f, "SELECT count(*) FROM survey_pending"), 0);
        assert_int_equal(count_sql(f, "SELECT count(DISTINCT response) FROM survey_answers"),
                         (batch + 1) * 5);
        for (int j = 0; j < np; j++) {
            assert_int_equal(in_files(f, pend[j]), 0); /* zeroed, WAL truncated */
            char q[120];
            bb_snprintf(q, sizeof(q), "SELECT count(*) FROM survey_answers WHERE response = '%s'",
                        pend[j]);
            assert_int_equal(count_sql(f, q), 0);
        }
        free(pend);
        pend = NULL;
        /* storage order of this batch against the order it was given */
        char q[160];
        int64_t asc = 0;
        bb_snprintf(q, sizeof(q),
                    "SELECT count(*) = 4 FROM (SELECT num, lag(num) OVER () AS prev FROM"
                    " survey_answers WHERE question = 'enps' AND num BETWEEN %d AND %d)"
                    " WHERE prev < num",
                    batch * 5, batch * 5 + 4);
        asc = count_sql(f, q);
        in_order += (int)asc;
    }
    /* 6 batches of 5 all in the given order by chance: 1 in 120^6 */
    assert_true(in_order < 6);
    /* Unit B: 3 of 10 answer; below k they wait until the wave closes */
    for (int i = 30; i < 33; i++)
        answer(f, wave, i);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM survey_answers WHERE unit = 'Unit B'"), 0);
    assert_int_equal(store_wave_finish(f->st, wave, T0 + 7 * 86400), BB_OK);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM survey_pending"), 0);
    assert_int_equal(count_sql(f, "SELECT count(DISTINCT response) FROM survey_answers"
                                  " WHERE unit = 'Unit B'"),
                     3);
    assert_int_equal(store_wave_units(f->st, wave, 5, &u, &n), BB_OK);
    assert_int_equal(n, 2);
    assert_int_equal(u[1].answered, 3);
    free(u);
}

/* A response with every question skipped still counts (a marker row). */
static void test_empty_response_counts(void **state)
{
    struct fx *f = *state;
    int64_t wave = add_wave(f);
    for (int i = 0; i < 5; i++)
        assert_int_equal(store_survey_answer(f->st, wave, f->ids[i], "Unit A", NULL, 0, 5, T0, 0),
                         BB_OK);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM survey_answers WHERE question = ''"), 5);
}

static void test_broadcast_bulk(void **state)
{
    struct fx *f = *state;
    int64_t id = 0, n = 0, c[7], total = 0, reach = 0;
    struct store_broadcast b;
    struct store_outbox_msg *m = NULL;
    int nm = 0;
    assert_int_equal(store_segment_count(f->st, STORE_SEG_UNIT, "Unit B", &total, &reach), BB_OK);
    assert_int_equal(total, 10);
    assert_int_equal(reach, 10);
    assert_int_equal(store_broadcast_add(f->st, STORE_SEG_UNIT, "Unit B", "unit=Unit B", "Halo",
                                         "Hello", "{\"text\":\"Halo\"}", "{\"text\":\"Hello\"}", T0,
                                         T0, "cli", &id, &n),
                     BB_OK);
    assert_int_equal(n, 10);
    assert_int_equal(store_broadcast_get(f->st, id, &b), BB_OK);
    assert_int_equal(b.recipients, 10);
    assert_int_equal(store_batch_status(f->st, id, c), BB_OK);
    assert_int_equal(c[STORE_OUT_QUEUED], 10);
    /* bulk rows carry the person's language and BULK priority */
    assert_int_equal(store_outbox_claim(f->st, "telegram", T0, 100, &m, &nm), BB_OK);
    assert_int_equal(nm, 10);
    for (int i = 0; i < nm; i++) {
        assert_int_equal(m[i].priority, STORE_PRIO_BULK);
        assert_int_equal(m[i].batch_id, id);
        int en = (m[i].person_id - f->ids[0]) % 2;
        assert_string_equal(m[i].body, en ? "{\"text\":\"Hello\"}" : "{\"text\":\"Halo\"}");
    }
    store_outbox_free(m, nm);
    assert_int_equal(store_batch_status(f->st, id, c), BB_OK);
    assert_int_equal(c[STORE_OUT_SENDING], 10);
    /* a bad segment is refused and writes nothing */
    assert_int_equal(
        store_broadcast_add(f->st, 9, "", "x", "a", "b", "{}", "{}", T0, T0, "cli", &id, &n),
        BB_EINVAL);
}

/* A broadcast queues its recipients and the first chunk of messages; the
 * rest follow chunk by chunk when the queue runs low (store_broadcast_fill,
 * the tick); status counts pending recipients as queued; a person erased
 * or without a chat by then gets nothing. */
static void test_broadcast_fill(void **state)
{
    struct fx *f = *state;
    int64_t id = 0, n = 0, c[7], extra = STORE_BROADCAST_CHUNK + 20, last = 0, gone = 0;
    int moved = -1;
    char *kept = NULL;
    assert_int_equal(store_begin(f->st), BB_OK);
    for (int64_t i = 0; i < extra; i++) {
        struct store_person p;
        char ext[32];
        memset(&p, 0, sizeof(p));
        bb_snprintf(p.nip, sizeof(p.nip), "19910101201501%04d", (int)i);
        bb_snprintf(p.name, sizeof(p.name), "Extra %d", (int)i);
        bb_strlcpy(p.lang, "id", sizeof(p.lang));
        assert_int_equal(store_person_upsert(f->st, &p, &last, NULL), BB_OK);
        bb_snprintf(ext, sizeof(ext), "%d", 90000 + (int)i);
        assert_int_equal(store_identity_link(f->st, "telegram", ext, last, T0 - 100), BB_OK);
        if (i == extra - 2)
            gone = last;
    }
    assert_int_equal(store_commit(f->st), BB_OK);
    assert_int_equal(store_broadcast_add(f->st, STORE_SEG_ALL, "", "all", "Halo", "Hello",
                                         "{\"text\":\"Halo\"}", "{\"text\":\"Hello\"}", T0, T0,
                                         "cli", &id, &n),
                     BB_OK);
    assert_int_equal(n, NPEOPLE + extra);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM outbox WHERE batch_id > 0"),
                     STORE_BROADCAST_CHUNK);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM broadcast_pending"),
                     NPEOPLE + extra - STORE_BROADCAST_CHUNK);
    assert_int_equal(store_batch_status(f->st, id, c), BB_OK);
    assert_int_equal(c[STORE_OUT_QUEUED], NPEOPLE + extra);
    /* enough waiting: nothing moves */
    assert_int_equal(store_broadcast_fill(f->st, T0, STORE_BROADCAST_LOW, 100, &moved), BB_OK);
    assert_int_equal(moved, 0);
    /* one erased, one without a chat now: both leave pending, neither is sent to */
    assert_int_equal(store_person_forget(f->st, gone, T0, &kept), BB_OK);
    free(kept);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM broadcast_pending"),
                     NPEOPLE + extra - STORE_BROADCAST_CHUNK - 1);
    assert_int_equal(store_q_exec(f->st, "DELETE FROM identities WHERE person_id = ?1",
                                  STORE_ARGS(store_int(last)), NULL),
                     BB_OK);
    /* running low: chunks of 10 until none is pending */
    assert_int_equal(store_broadcast_fill(f->st, T0, STORE_BROADCAST_CHUNK + 1, 10, &moved), BB_OK);
    assert_int_equal(moved, 10);
    for (int i = 0; i < 10 && moved > 0; i++)
        assert_int_equal(store_broadcast_fill(f->st, T0, 1000000, 10, &moved), BB_OK);
    assert_int_equal(moved, 0);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM broadcast_pending"), 0);
    assert_int_equal(count_sql(f, "SELECT count(*) FROM outbox WHERE batch_id > 0"),
                     NPEOPLE + extra - 2);
    assert_int_equal(count_sql(f,
                               "SELECT count(*) FROM outbox WHERE person_id IN (SELECT id FROM"
                               " people WHERE nip LIKE '1991%') AND body <> '{\"text\":\"Halo\"}'"),
                     0);
    assert_int_equal(store_batch_status(f->st, id, c), BB_OK);
    assert_int_equal(c[STORE_OUT_QUEUED], NPEOPLE + extra - 2);
    assert_int_equal(store_broadcast_fill(f->st, T0, 0, 10, &moved), BB_OK);
    assert_int_equal(store_broadcast_fill(f->st, T0, 10, 0, &moved), BB_EINVAL);
}

/* Cancelling drops only what is still queued, once; the texts and the
 * languages of a segment for the preview. */
static void test_broadcast_cancel(void **state)
{
    struct fx *f = *state;
    int64_t id = 0, n = 0, c[7], dropped = -1, n_id = 0, n_en = 0;
    struct store_broadcast b;
    struct store_outbox_msg *m = NULL;
    char t_id[16], t_en[16];
    int nm = 0;
    assert_int_equal(store_segment_langs(f->st, STORE_SEG_UNIT, "Unit B", &n_id, &n_en), BB_OK);
    assert_int_equal(n_id + n_en, 10);
    assert_int_equal(n_en, 5);
    assert_int_equal(store_broadcast_add(f->st, STORE_SEG_UNIT, "Unit B", "unit=Unit B", "Halo",
                                         "Hello", "{\"text\":\"Halo\"}", "{\"text\":\"Hello\"}", T0,
                                         T0, "cli", &id, &n),
                     BB_OK);
    assert_int_equal(store_broadcast_texts(f->st, id, t_id, t_en, sizeof(t_id)), BB_OK);
    assert_string_equal(t_id, "Halo");
    assert_string_equal(t_en, "Hello");
    /* four are handed to a channel already: they stay */
    assert_int_equal(store_outbox_claim(f->st, "telegram", T0, 4, &m, &nm), BB_OK);
    assert_int_equal(nm, 4);
    store_outbox_free(m, nm);
    assert_int_equal(store_broadcast_cancel(f->st, id, T0 + 60, "hr:1", &dropped), BB_OK);
    assert_int_equal(dropped, 6);
    assert_int_equal(store_batch_status(f->st, id, c), BB_OK);
    assert_int_equal(c[STORE_OUT_QUEUED], 0);
    assert_int_equal(c[STORE_OUT_SENDING], 4);
    assert_int_equal(store_broadcast_get(f->st, id, &b), BB_OK);
    assert_int_equal(b.cancelled_at, T0 + 60);
    assert_int_equal(b.dropped, 6);
    assert_string_equal(b.cancelled_by, "hr:1");
    /* once only; an unknown one is not found; nothing changes either way */
    assert_int_equal(store_broadcast_cancel(f->st, id, T0 + 90, "cli", &dropped), BB_EEXIST);
    assert_int_equal(store_broadcast_get(f->st, id, &b), BB_OK);
    assert_int_equal(b.cancelled_at, T0 + 60);
    assert_int_equal(store_broadcast_cancel(f->st, id + 1, T0, "cli", &dropped), BB_ENOTFOUND);
    /* nothing left queued (all handed over): refused, not marked */
    assert_int_equal(store_broadcast_add(f->st, STORE_SEG_UNIT, "Unit B", "unit=Unit B", "a", "b",
                                         "{}", "{}", T0, T0, "cli", &id, &n),
                     BB_OK);
    assert_int_equal(store_outbox_claim(f->st, "telegram", T0, 100, &m, &nm), BB_OK);
    store_outbox_free(m, nm);
    assert_int_equal(store_broadcast_cancel(f->st, id, T0, "cli", &dropped), BB_EEXIST);
    assert_int_equal(store_broadcast_get(f->st, id, &b), BB_OK);
    assert_int_equal(b.cancelled_at, 0);
}

TFX_MAIN(TFX_TEST(test_wave_timers_and_invitations), TFX_TEST(test_failed_answer_writes_nothing),
         TFX_TEST(test_answers_unlinkable), TFX_TEST(test_unanswered_and_close),
         TFX_TEST(test_scrub_with_answer), TFX_TEST(test_release_in_steps),
         TFX_TEST(test_empty_response_counts), TFX_TEST(test_broadcast_bulk),
         TFX_TEST(test_broadcast_fill), TFX_TEST(test_broadcast_cancel))
