/*
 * store_survey.c - surveys and broadcasts in the store (see store_survey.h):
 * the tables of migration 9, the bulk outbox insert of a broadcast, and the
 * scrubbing of a survey's conversation traces. Called by the survey module;
 * same thread rules as store.h.
 */
#include "store/store_survey.h"
#include "bot/base/bb.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#define ROW_CAP 1000000 /* rows any list here hands out */

/* The segment condition over people p; ?1 = kind, ?2 = value. */
#define SEG_WHERE                                                                                  \
    "p.deactivated_at = 0 AND (?1 = 0 OR (?1 = 1 AND p.unit = ?2) OR (?1 = 2 AND p.role = ?2))"
#define REACHABLE "EXISTS (SELECT 1 FROM identities d WHERE d.person_id = p.id)"

#define SCRUB_SLACK_BEFORE 3600
#define SCRUB_SLACK_AFTER  300

static int seg_ok(int kind, const char *value)
{
    if (kind == STORE_SEG_ALL)
        return 1;
    return (kind == STORE_SEG_UNIT || kind == STORE_SEG_ROLE) && value && value[0];
}

/* The segment's parameters ?1 (kind) and ?2 (value). */
#define SEG_ARGS(kind, value) store_int(kind), store_text((value) ? (value) : "")

/* All rows of sql into a growing array of `size`-byte elements. */
static int rows(struct store *st, const char *sql, struct store_args args, store_map_fn map,
                size_t size, void **out, int *n)
{
    return store_q_grow(st, sql, args, map, size, ROW_CAP, NULL, out, n);
}

struct seg_counts {
    int64_t *total, *reachable;
};

static int map_seg_counts(sqlite3_stmt *s, void *dst)
{
    struct seg_counts *c = dst;
    if (c->total)
        *c->total = sqlite3_column_int64(s, 0);
    if (c->reachable)
        *c->reachable = sqlite3_column_int64(s, 1);
    return BB_OK;
}

int store_segment_count(struct store *st, int kind, const char *value, int64_t *total,
                        int64_t *reachable)
{
    struct seg_counts c = {total, reachable};
    int rc;
    if (!seg_ok(kind, value))
        return BB_EINVAL;
    rc = store_q_one(st,
                     "SELECT count(*), coalesce(sum(" REACHABLE "), 0) FROM people p"
                     " WHERE " SEG_WHERE,
                     STORE_ARGS(SEG_ARGS(kind, value)), map_seg_counts, &c);
    return rc == BB_ENOTFOUND ? BB_EIO : rc;
}

int store_segment_langs(struct store *st, int kind, const char *value, int64_t *n_id, int64_t *n_en)
{
    struct seg_counts c = {n_id, n_en};
    int rc;
    if (!seg_ok(kind, value))
        return BB_EINVAL;
    rc = store_q_one(st,
                     "SELECT coalesce(sum(p.lang <> 'en'), 0), coalesce(sum(p.lang = 'en'), 0)"
                     " FROM people p WHERE " SEG_WHERE " AND " REACHABLE,
                     STORE_ARGS(SEG_ARGS(kind, value)), map_seg_counts, &c);
    return rc == BB_ENOTFOUND ? BB_EIO : rc;
}

int store_segment_units(struct store *st, struct store_unit_count **out, int *n)
{
    *out = NULL;
    *n = 0;
    return store_q_grow(st,
                        "SELECT unit, count(*), 0 FROM people WHERE unit <> ''"
                        " GROUP BY unit ORDER BY unit",
                        STORE_NOARGS, store_map_unit_count, sizeof(**out), STORE_UNITS_MAX, NULL,
                        (void **)out, n);
}

/* ---- broadcasts ---------------------------------------------------------- */

/* The end of an insert that fanned out n rows for the new row id: while rc
 * is BB_OK, its count set by sql (?1 = id, ?2 = n) and the transaction
 * committed; else rolled back. */
static int count_commit(struct store *st, int rc, const char *sql, int64_t id, int n)
{
    if (rc == BB_OK)
        rc = store_q_exec(st, sql, STORE_ARGS(store_int(id), store_int(n)), NULL);
    if (rc != BB_OK) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st);
}

/* One person's message of broadcast ?1, in their language, to the chat
 * they were last seen on; for the pending recipients of ?1 chosen by the
 * WHERE that follows (?3 = now). */
#define FILL_SELECT                                                                                \
    "SELECT p.id, d.channel, d.ext_id, 1, CASE WHEN p.lang = 'en' THEN b.body_en ELSE b.body_id"   \
    " END, 0, 0, b.due, ?3, ?3, b.id FROM broadcast_pending q JOIN broadcasts b"                   \
    " ON b.id = q.broadcast_id JOIN people p ON p.id = q.person_id JOIN identities d ON d.id ="    \
    " (SELECT x.id FROM identities x WHERE x.person_id = p.id"                                     \
    " ORDER BY x.last_seen DESC, x.id DESC LIMIT 1)"
/* The first ?2 pending recipients of broadcast ?1. */
#define FILL_NEXT                                                                                  \
    "(SELECT person_id FROM broadcast_pending WHERE broadcast_id = ?1 ORDER BY person_id"          \
    " LIMIT ?2)"

/* Inside a transaction: move the next `chunk` pending recipients of
 * broadcast id into the outbox (those without a chat by now are dropped);
 * *moved: how many left broadcast_pending. */
static int fill_chunk(struct store *st, int64_t id, int chunk, int64_t now, int *moved)
{
    int rc = store_q_exec(st,
                          "INSERT INTO outbox(person_id, channel, ext_user, priority, body, state,"
                          " attempts, due, created_at, updated_at, batch_id) " FILL_SELECT
                          " WHERE q.broadcast_id = ?1 AND q.person_id IN " FILL_NEXT
                          " ORDER BY q.person_id",
                          STORE_ARGS(store_int(id), store_int(chunk), store_int(now)), NULL);
    if (rc == BB_OK)
        rc = store_q_exec(st,
                          "DELETE FROM broadcast_pending WHERE broadcast_id = ?1 AND person_id IN"
                          " " FILL_NEXT,
                          STORE_ARGS(store_int(id), store_int(chunk)), moved);
    return rc;
}

int store_broadcast_add(struct store *st, int kind, const char *value, const char *segment,
                        const char *text_id, const char *text_en, const char *body_id,
                        const char *body_en, int64_t due, int64_t now, const char *actor,
                        int64_t *id_out, int64_t *recipients)
{
    int64_t id = 0;
    int rc, n = 0, moved = 0;
    if (!seg_ok(kind, value) || !segment || !text_id || !text_en || !body_id || !body_en || !actor)
        return BB_EINVAL;
    if ((rc = store_begin(st)) != BB_OK)
        return rc;
    rc = store_q_insert(st,
                        "INSERT INTO broadcasts(segment, text_id, text_en, due, created_at, actor,"
                        " body_id, body_en) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        STORE_ARGS(store_text(segment), store_text(text_id), store_text(text_en),
                                   store_int(due), store_int(now), store_text(actor),
                                   store_text(body_id), store_text(body_en)),
                        &id);
    /* Recipients: every reachable person of the segment now, in id order
     * (one small row each; their messages follow a chunk at a time). */
    if (rc == BB_OK)
        rc = store_q_exec(st,
                          "INSERT INTO broadcast_pending(broadcast_id, person_id)"
                          " SELECT ?3, p.id FROM people p NOT INDEXED WHERE " SEG_WHERE
                          " AND " REACHABLE " ORDER BY p.id",
                          STORE_ARGS(SEG_ARGS(kind, value), store_int(id)), &n);
    if (rc == BB_OK)
        rc = fill_chunk(st, id, STORE_BROADCAST_CHUNK, now, &moved);
    rc = count_commit(st, rc, "UPDATE broadcasts SET recipients = ?2 WHERE id = ?1", id, n);
    if (rc == BB_OK) {
        if (id_out)
            *id_out = id;
        if (recipients)
            *recipients = n;
    }
    return rc;
}

int store_broadcast_fill(struct store *st, int64_t now, int low, int chunk, int *moved)
{
    int64_t id = 0, queued = 0;
    int rc = BB_OK;
    *moved = 0;
    if (low < 0 || chunk < 1)
        return BB_EINVAL;
    /* Each broadcast with pending recipients (smallest id first, bounded):
     * topped up by one chunk while fewer than `low` of its messages wait. */
    for (int i = 0; i < STORE_BROADCAST_FILL_MAX; i++) {
        int64_t next = 0;
        int n = 0;
        rc = store_q_int64(st,
                           "SELECT coalesce(min(broadcast_id), 0) FROM broadcast_pending"
                           " WHERE broadcast_id > ?1",
                           STORE_ARGS(store_int(id)), &next);
        if (rc != BB_OK || next == 0)
            break;
        id = next;
        rc =
            store_q_int64(st, "SELECT count(*) FROM outbox WHERE batch_id = ?1 AND state IN (0, 1)",
                          STORE_ARGS(store_int(id)), &queued);
        if (rc != BB_OK)
            break;
        if (queued >= low)
            continue;
        if ((rc = store_begin(st)) != BB_OK)
            break;
        rc = fill_chunk(st, id, chunk, now, &n);
        if (rc != BB_OK) {
            store_rollback(st);
            break;
        }
        if ((rc = store_commit(st)) != BB_OK)
            break;
        *moved += n;
    }
    return rc;
}

static int count_state(sqlite3_stmt *s, void *dst)
{
    int64_t *counts = dst;
    int state = sqlite3_column_int(s, 0);
    if (state >= 0 && state < 7)
        counts[state] = sqlite3_column_int64(s, 1);
    return BB_OK;
}

int store_batch_status(struct store *st, int64_t batch_id, int64_t counts[7])
{
    int64_t pending = 0;
    memset(counts, 0, 7 * sizeof(counts[0]));
    int rc = store_q_each(st,
                          "SELECT state, count(*) FROM outbox WHERE batch_id = ?1 AND batch_id <> 0"
                          " GROUP BY state",
                          STORE_ARGS(store_int(batch_id)), count_state, counts);
    /* a broadcast's recipients not yet in the outbox are queued too */
    if (rc == BB_OK && batch_id > 0)
        rc = store_q_int64(st, "SELECT count(*) FROM broadcast_pending WHERE broadcast_id = ?1",
                           STORE_ARGS(store_int(batch_id)), &pending);
    counts[STORE_OUT_QUEUED] += pending;
    return rc;
}

/* A broadcast selected as id, segment, due, recipients, created_at, actor
 * and optionally the text's preview. */
static int map_broadcast(sqlite3_stmt *s, void *dst)
{
    struct store_broadcast *b = dst;
    memset(b, 0, sizeof(*b));
    b->id = sqlite3_column_int64(s, 0);
    store_col_copy(s, 1, b->segment, sizeof(b->segment));
    b->due = sqlite3_column_int64(s, 2);
    b->recipients = sqlite3_column_int64(s, 3);
    b->created_at = sqlite3_column_int64(s, 4);
    store_col_copy(s, 5, b->actor, sizeof(b->actor));
    b->cancelled_at = sqlite3_column_int64(s, 6);
    b->dropped = sqlite3_column_int64(s, 7);
    store_col_copy(s, 8, b->cancelled_by, sizeof(b->cancelled_by));
    if (sqlite3_column_count(s) > 9)
        store_col_copy(s, 9, b->preview, sizeof(b->preview));
    return BB_OK;
}

int store_broadcast_get(struct store *st, int64_t id, struct store_broadcast *out)
{
    return store_q_one(st,
                       "SELECT id, segment, due, recipients, created_at, actor, cancelled_at,"
                       " dropped, cancelled_by FROM broadcasts WHERE id = ?1",
                       STORE_ARGS(store_int(id)), map_broadcast, out);
}

struct bc_texts {
    char *id, *en;
    size_t n;
};

static int map_texts(sqlite3_stmt *s, void *dst)
{
    struct bc_texts *t = dst;
    store_col_copy(s, 0, t->id, t->n);
    store_col_copy(s, 1, t->en, t->n);
    return BB_OK;
}

int store_broadcast_texts(struct store *st, int64_t id, char *text_id, char *text_en, size_t n)
{
    struct bc_texts t = {text_id, text_en, n};
    if (!text_id || !text_en || n == 0)
        return BB_EINVAL;
    return store_q_one(st, "SELECT text_id, text_en FROM broadcasts WHERE id = ?1",
                       STORE_ARGS(store_int(id)), map_texts, &t);
}

int store_broadcast_cancel(struct store *st, int64_t id, int64_t now, const char *actor,
                           int64_t *dropped)
{
    struct store_broadcast b;
    int rc, n = 0;
    if (!actor)
        return BB_EINVAL;
    if ((rc = store_begin(st)) != BB_OK)
        return rc;
    rc = store_broadcast_get(st, id, &b);
    if (rc == BB_OK && b.cancelled_at)
        rc = BB_EEXIST;
    if (rc == BB_OK)
        rc = store_q_exec(st,
                          "DELETE FROM outbox WHERE batch_id = ?1 AND batch_id <> 0 AND state = 0",
                          STORE_ARGS(store_int(id)), &n);
    /* recipients whose messages were not yet moved into the outbox */
    if (rc == BB_OK) {
        int pending = 0;
        rc = store_q_exec(st, "DELETE FROM broadcast_pending WHERE broadcast_id = ?1",
                          STORE_ARGS(store_int(id)), &pending);
        n += pending;
    }
    if (rc == BB_OK && n == 0)
        rc = BB_EEXIST; /* everything was handed to a channel already */
    if (rc == BB_OK)
        rc = store_q_exec(
            st,
            "UPDATE broadcasts SET cancelled_at = ?2, cancelled_by = ?3, dropped = ?4"
            " WHERE id = ?1",
            STORE_ARGS(store_int(id), store_int(now), store_text(actor), store_int(n)), NULL);
    if (rc != BB_OK) {
        store_rollback(st);
        return rc;
    }
    if ((rc = store_commit(st)) == BB_OK && dropped)
        *dropped = n;
    return rc;
}

int store_broadcast_list(struct store *st, int limit, struct store_broadcast **out, int *n)
{
    *out = NULL;
    *n = 0;
    if (limit < 1 || limit > 1000)
        return BB_EINVAL;
    return store_q_list(st,
                        "SELECT id, segment, due, recipients, created_at, actor, cancelled_at,"
                        " dropped, cancelled_by, substr(text_id, 1, 100) FROM broadcasts"
                        " ORDER BY id DESC LIMIT ?1",
                        STORE_ARGS(store_int(limit)), map_broadcast, sizeof(**out), limit, NULL,
                        (void **)out, n);
}

/* ---- waves --------------------------------------------------------------- */

#define WAVE_COLS                                                                                  \
    "id, flow_id, segment, start_at, close_at, remind_at, reminded, closed, invited, created_at,"  \
    " actor, series_id"

int store_wave_add(struct store *st, struct store_wave *w, int kind, const char *value, int pace)
{
    int64_t id = 0;
    int rc, n = 0;
    if (!w || !w->flow_id[0] || !seg_ok(kind, value) || pace < 1 || w->close_at <= w->start_at)
        return BB_EINVAL;
    if ((rc = store_begin(st)) != BB_OK)
        return rc;
    rc = store_q_insert(st,
                        "INSERT INTO survey_waves(flow_id, segment, start_at, close_at, remind_at,"
                        " created_at, actor, series_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        STORE_ARGS(store_text(w->flow_id), store_text(w->segment),
                                   store_int(w->start_at), store_int(w->close_at),
                                   store_int(w->remind_at), store_int(w->created_at),
                                   store_text(w->actor), store_int(w->series_id)),
                        &id);
    if (rc == BB_OK)
        rc = store_q_exec(st,
                          "INSERT INTO survey_invitations(wave_id, person_id, unit)"
                          " SELECT ?3, p.id, p.unit FROM people p WHERE " SEG_WHERE
                          " AND " REACHABLE,
                          STORE_ARGS(SEG_ARGS(kind, value), store_int(id)), &n);
    if (rc == BB_OK)
        rc = store_q_exec(st,
                          "INSERT INTO timers(person_id, kind, payload, due)"
                          " SELECT person_id, 'flow', ?2,"
                          " ?3 + (ROW_NUMBER() OVER (ORDER BY person_id) - 1) / ?4"
                          " FROM survey_invitations WHERE wave_id = ?1",
                          STORE_ARGS(store_int(id), store_text(w->flow_id), store_int(w->start_at),
                                     store_int(pace)),
                          NULL);
    rc = count_commit(st, rc, "UPDATE survey_waves SET invited = ?2 WHERE id = ?1", id, n);
    if (rc == BB_OK) {
        w->id = id;
        w->invited = n;
    }
    return rc;
}

int store_wave_get(struct store *st, int64_t id, struct store_wave *out)
{
    return store_q_one(st, "SELECT " WAVE_COLS " FROM survey_waves WHERE id = ?1",
                       STORE_ARGS(store_int(id)), store_map_wave, out);
}

int store_wave_list(struct store *st, const char *flow_id, struct store_wave **out, int *n)
{
    return rows(st,
                "SELECT " WAVE_COLS " FROM survey_waves WHERE ?1 IS NULL OR flow_id = ?1"
                " ORDER BY id",
                STORE_ARGS(store_text(flow_id)), store_map_wave, sizeof(**out), (void **)out, n);
}

int store_wave_due_remind(struct store *st, int64_t now, int64_t **ids, int *n)
{
    return rows(st,
                "SELECT id FROM survey_waves WHERE closed = 0 AND reminded = 0"
                " AND remind_at > 0 AND remind_at <= ?1 AND close_at > ?1 ORDER BY id",
                STORE_ARGS(store_int(now)), store_map_int64, sizeof(**ids), (void **)ids, n);
}

int store_wave_due_close(struct store *st, int64_t now, int64_t **ids, int *n)
{
    return rows(st, "SELECT id FROM survey_waves WHERE closed = 0 AND close_at <= ?1 ORDER BY id",
                STORE_ARGS(store_int(now)), store_map_int64, sizeof(**ids), (void **)ids, n);
}

int store_wave_set_reminded(struct store *st, int64_t wave_id)
{
    return store_q_exec(st, "UPDATE survey_waves SET reminded = 1 WHERE id = ?1",
                        STORE_ARGS(store_int(wave_id)), NULL);
}

int store_wave_unanswered(struct store *st, int64_t wave_id, struct store_invitee **out, int *n)
{
    return rows(st,
                "SELECT i.person_id,"
                " EXISTS (SELECT 1 FROM sessions x WHERE x.person_id = i.person_id"
                " AND x.flow_id = w.flow_id),"
                " EXISTS (SELECT 1 FROM timers t WHERE t.person_id = i.person_id AND"
                " t.kind = 'flow' AND t.payload = w.flow_id)"
                " FROM survey_invitations i JOIN survey_waves w ON w.id = i.wave_id"
                " WHERE i.wave_id = ?1 AND i.answered = 0 ORDER BY i.person_id",
                STORE_ARGS(store_int(wave_id)), store_map_invitee, sizeof(**out), (void **)out, n);
}

/* Blank one person's conversation traces between from and to: the text
 * and button payload of the messages they sent (processed ones, and those
 * of the running batch up to the event upto_event, 0 for none: later ones
 * are still to be read), the label echoed in "answered" notices whatever
 * their state (a queued notice then shows only its check mark), and the
 * variables of their session when it is idle. Only the person's own rows. */
static int scrub_person(struct store *st, int64_t person_id, int64_t from, int64_t to,
                        int64_t upto_event)
{
    const struct store_arg a[] = {store_int(person_id), store_int(from - SCRUB_SLACK_BEFORE),
                                  store_int(to + SCRUB_SLACK_AFTER), store_int(upto_event)};
    const struct store_args args = {a, (int)BB_ARRAY_LEN(a)};
    const struct store_args args3 = {a, 3};
    int rc = store_q_exec(
        st,
        "UPDATE inbox SET text = NULL, payload = '' WHERE kind IN (1, 2)"
        " AND (processed_at IS NOT NULL OR id <= ?4) AND ts BETWEEN ?2 AND ?3 AND id IN"
        " (SELECT id FROM inbox WHERE person_id = ?1 UNION SELECT i.id FROM identities d"
        " JOIN inbox i ON i.channel = d.channel AND i.ext_user = d.ext_id WHERE d.person_id = ?1)"
        " AND (text IS NOT NULL OR payload <> '')",
        args, NULL);
    if (rc == BB_OK)
        rc = store_q_exec(st,
                          "UPDATE outbox SET body = json_set(body, '$.text', '') WHERE"
                          " person_id = ?1 AND created_at BETWEEN ?2 AND ?3 AND"
                          " json_valid(body) AND json_type(body, '$.answered') IS NOT NULL"
                          " AND json_extract(body, '$.text') <> ''",
                          args3, NULL);
    if (rc == BB_OK)
        rc = store_q_exec(st,
                          "UPDATE sessions SET state = json_set(state, '$.vars', json('{}'))"
                          " WHERE person_id = ?1 AND flow_id = '' AND json_valid(state)",
                          STORE_ARGS(store_int(person_id)), NULL);
    return rc;
}

/* 32 hex digits from getrandom into out (33 bytes). */
static int random_hex(char out[33])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char rnd[16];
    if (bb_random(rnd, sizeof(rnd)) != BB_OK)
        return BB_EIO;
    for (size_t i = 0; i < sizeof(rnd); i++) {
        out[2 * i] = hex[rnd[i] >> 4];
        out[2 * i + 1] = hex[rnd[i] & 15];
    }
    out[32] = '\0';
    return BB_OK;
}

/* A pending response and the response id it is released under. */
struct release_pair {
    char pending[33], response[33];
};

static int map_release_pair(sqlite3_stmt *s, void *dst)
{
    struct release_pair *p = dst;
    memset(p, 0, sizeof(*p));
    store_col_copy(s, 0, p->pending, sizeof(p->pending));
    return random_hex(p->response);
}

static int cmp_release(const void *a, const void *b)
{
    return strcmp(((const struct release_pair *)a)->response,
                  ((const struct release_pair *)b)->response);
}

/* Move the pending responses of one bucket (wave, unit) into survey_answers,
 * inside the caller's transaction: each under a fresh random response id,
 * inserted in the order of those ids (a random order, not the order they
 * were given), all with the bucket's next step number, then the bucket's
 * pending rows deleted. Only when it holds
 * at least min responses (0: whatever it holds). *released: how many. */
static int release_bucket(struct store *st, int64_t wave_id, const char *unit, int min,
                          int *released)
{
    struct release_pair *p = NULL;
    int64_t step = 0;
    int n = 0, rc;
    *released = 0;
    rc = rows(st,
              "SELECT DISTINCT pending FROM survey_pending WHERE wave_id = ?1 AND unit = ?2"
              " ORDER BY pending",
              STORE_ARGS(store_int(wave_id), store_text(unit)), map_release_pair, sizeof(*p),
              (void **)&p, &n);
    if (rc != BB_OK || n == 0 || n < min) {
        free(p);
        return rc;
    }
    qsort(p, (size_t)n, sizeof(*p), cmp_release);
    rc = store_q_int64(st,
                       "SELECT coalesce(max(step), 0) + 1 FROM survey_answers"
                       " WHERE wave_id = ?1 AND unit = ?2",
                       STORE_ARGS(store_int(wave_id), store_text(unit)), &step);
    for (int i = 0; rc == BB_OK && i < n; i++)
        rc = store_q_exec(st,
                          "INSERT INTO survey_answers(response, wave_id, unit, question, num, txt,"
                          " step) SELECT ?4, wave_id, unit, question, num, txt, ?5"
                          " FROM survey_pending WHERE wave_id = ?1 AND unit = ?2 AND pending = ?3",
                          STORE_ARGS(store_int(wave_id), store_text(unit), store_text(p[i].pending),
                                     store_text(p[i].response), store_int(step)),
                          NULL);
    if (rc == BB_OK)
        rc = store_q_exec(st, "DELETE FROM survey_pending WHERE wave_id = ?1 AND unit = ?2",
                          STORE_ARGS(store_int(wave_id), store_text(unit)), NULL);
    if (rc == BB_OK)
        *released = n;
    free(p);
    return rc;
}

struct unit_name {
    char unit[128];
};

static int map_unit_name(sqlite3_stmt *s, void *dst)
{
    struct unit_name *u = dst;
    store_col_copy(s, 0, u->unit, sizeof(u->unit));
    return BB_OK;
}

/* Release every bucket of a wave, whatever it holds (the wave closes). */
static int release_all(struct store *st, int64_t wave_id)
{
    struct unit_name *units = NULL;
    int n = 0, got = 0;
    int rc =
        rows(st, "SELECT DISTINCT unit FROM survey_pending WHERE wave_id = ?1 ORDER BY 1",
             STORE_ARGS(store_int(wave_id)), map_unit_name, sizeof(*units), (void **)&units, &n);
    for (int i = 0; rc == BB_OK && i < n; i++)
        rc = release_bucket(st, wave_id, units[i].unit, 0, &got);
    free(units);
    return rc;
}

int store_wave_finish(struct store *st, int64_t wave_id, int64_t now)
{
    struct store_wave w;
    int64_t *people = NULL;
    int np = 0, rc;
    if ((rc = store_begin(st)) != BB_OK)
        return rc;
    rc = store_wave_get(st, wave_id, &w);
    if (rc == BB_OK && w.closed)
        rc = BB_ESTATE;
    if (rc == BB_OK)
        rc = store_q_exec(
            st,
            "DELETE FROM timers WHERE kind = 'flow' AND payload = ?2 AND person_id IN"
            " (SELECT person_id FROM survey_invitations WHERE wave_id = ?1 AND answered = 0)"
            " AND person_id NOT IN (SELECT i.person_id FROM survey_invitations i"
            " JOIN survey_waves v ON v.id = i.wave_id WHERE v.flow_id = ?2 AND v.closed = 0"
            " AND v.id <> ?1 AND i.answered = 0)",
            STORE_ARGS(store_int(wave_id), store_text(w.flow_id)), NULL);
    if (rc == BB_OK)
        rc = rows(st,
                  "SELECT person_id FROM survey_invitations WHERE wave_id = ?1"
                  " AND scrubbed = 0",
                  STORE_ARGS(store_int(wave_id)), store_map_int64, sizeof(*people),
                  (void **)&people, &np);
    for (int i = 0; rc == BB_OK && i < np; i++)
        rc = scrub_person(st, people[i], w.start_at, now, 0);
    if (rc == BB_OK)
        rc = release_all(st, wave_id);
    if (rc == BB_OK)
        rc = store_q_exec(st,
                          "INSERT INTO survey_wave_units(wave_id, unit, invited, answered)"
                          " SELECT wave_id, unit, count(*), sum(answered) FROM survey_invitations"
                          " WHERE wave_id = ?1 GROUP BY unit",
                          STORE_ARGS(store_int(wave_id)), NULL);
    if (rc == BB_OK)
        rc = store_q_exec(st, "DELETE FROM survey_invitations WHERE wave_id = ?1",
                          STORE_ARGS(store_int(wave_id)), NULL);
    if (rc == BB_OK)
        rc = store_q_exec(st, "UPDATE survey_waves SET closed = 1 WHERE id = ?1",
                          STORE_ARGS(store_int(wave_id)), NULL);
    if (rc == BB_OK)
        store_wipe_wal_after_commit(st);
    free(people);
    return store_tx_end(st, rc);
}

/* ---- answers ------------------------------------------------------------- */

struct open_inv {
    int64_t *wave_id;
    char *unit;
    size_t n;
    int k;
};

static int map_open_inv(sqlite3_stmt *s, void *dst)
{
    struct open_inv *o = dst;
    *o->wave_id = sqlite3_column_int64(s, 0);
    /* A unit with fewer than k invitees would single people out. */
    if (sqlite3_column_int64(s, 2) >= o->k)
        store_col_copy(s, 1, o->unit, o->n);
    else
        o->unit[0] = '\0';
    return BB_OK;
}

int store_survey_open_invitation(struct store *st, int64_t person_id, const char *flow_id, int k,
                                 int64_t *wave_id, char *unit, size_t n)
{
    struct open_inv o = {wave_id, unit, n, k};
    if (!flow_id || !wave_id || !unit || n == 0)
        return BB_EINVAL;
    return store_q_one(st,
                       "SELECT i.wave_id, i.unit, (SELECT count(*) FROM survey_invitations j"
                       " WHERE j.wave_id = i.wave_id AND j.unit = i.unit)"
                       " FROM survey_invitations i JOIN survey_waves w ON w.id = i.wave_id"
                       " WHERE i.person_id = ?1 AND i.answered = 0 AND w.flow_id = ?2"
                       " AND w.closed = 0 ORDER BY i.wave_id LIMIT 1",
                       STORE_ARGS(store_int(person_id), store_text(flow_id)), map_open_inv, &o);
}

int store_survey_answer(struct store *st, int64_t wave_id, int64_t person_id, const char *unit,
                        const struct store_answer *a, int na, int k, int64_t now,
                        int64_t upto_event)
{
    char pending[33];
    struct store_wave w;
    int rc, released = 0;
    if (!unit || (na > 0 && !a) || na < 0 || k < 1)
        return BB_EINVAL;
    if (random_hex(pending) != BB_OK)
        return BB_EIO;
    if ((rc = store_begin(st)) != BB_OK)
        return rc;
    if ((rc = store_wave_get(st, wave_id, &w)) != BB_OK) {
        store_rollback(st);
        return rc;
    }
    /* No answer time is kept: the traces go now, in this transaction. */
    rc = store_q_change(st,
                        "UPDATE survey_invitations SET answered = 1, scrubbed = 1"
                        " WHERE wave_id = ?1 AND person_id = ?2 AND answered = 0",
                        STORE_ARGS(store_int(wave_id), store_int(person_id)));
    if (rc == BB_ENOTFOUND)
        rc = BB_EEXIST;
    int marked = rc == BB_OK; /* from here on, an error must not commit */
    /* Every question skipped: one marker row, so the response still counts. */
    static const struct store_answer none = {.question = ""};
    if (na == 0) {
        a = &none;
        na = 1;
    }
    for (int i = 0; rc == BB_OK && i < na; i++) {
        int is_num = a[i].has_num, is_txt = !is_num && a[i].question[0];
        rc = store_q_exec(
            st,
            "INSERT INTO survey_pending(wave_id, unit, pending, question, num, txt)"
            " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
            STORE_ARGS(store_int(wave_id), store_text(unit), store_text(pending),
                       store_text(a[i].question), is_num ? store_real(a[i].num) : store_text(NULL),
                       is_txt ? store_text(a[i].txt ? a[i].txt : "") : store_text(NULL)),
            NULL);
    }
    if (rc == BB_OK)
        rc = release_bucket(st, wave_id, unit, k, &released);
    if (rc == BB_OK)
        rc = scrub_person(st, person_id, w.start_at, now, upto_event);
    if (rc == BB_OK)
        store_wipe_wal_after_commit(st);
    if (rc != BB_OK && marked) { /* e.g. a question twice: not half an answer */
        store_rollback(st);
        return rc;
    }
    return store_tx_end(st, rc);
}

static int add_flow_id(sqlite3_stmt *s, void *dst)
{
    struct bb_buf *b = dst;
    const unsigned char *t = sqlite3_column_text(s, 0);
    if (t && bb_buf_printf(b, "%s%s ", b->len ? "" : " ", (const char *)t) != BB_OK)
        return STORE_STOP; /* more open surveys than fit: the first ones are enough */
    return BB_OK;
}

int store_survey_person_open(struct store *st, int64_t person_id, char *out, size_t n)
{
    struct bb_buf b;
    int rc;
    if (!out || n == 0)
        return BB_EINVAL;
    out[0] = '\0';
    bb_buf_init(&b, n - 1);
    rc = store_q_each(st,
                      "SELECT DISTINCT w.flow_id FROM survey_invitations i"
                      " JOIN survey_waves w ON w.id = i.wave_id"
                      " WHERE i.person_id = ?1 AND i.answered = 0 AND w.closed = 0 ORDER BY 1",
                      STORE_ARGS(store_int(person_id)), add_flow_id, &b);
    if (b.data)
        bb_strlcpy(out, b.data, n);
    bb_buf_free(&b);
    return rc;
}

/* ---- reports --------------------------------------------------------------- */

/* A released answer a that an open wave's report shows: not of its unit's
 * latest step (a closed wave shows every step). */
#define SHOWN_STEP                                                                                 \
    "(a.step < (SELECT max(b.step) FROM survey_answers b WHERE b.wave_id = a.wave_id"              \
    " AND b.unit = a.unit) OR EXISTS (SELECT 1 FROM survey_waves v WHERE v.id = a.wave_id"         \
    " AND v.closed = 1))"

int store_wave_units(struct store *st, int64_t wave_id, int k, struct store_unit_count **out,
                     int *n)
{
    /* Open: invited from the invitations, answered from the released
     * responses (a unit under k invited has its answers stored without its
     * name: they are counted in a row '' with no one invited). */
    return rows(st,
                "SELECT unit, invited, answered FROM survey_wave_units WHERE wave_id = ?1"
                " UNION ALL SELECT i.unit, count(*), CASE WHEN count(*) >= ?2 AND i.unit <> ''"
                " THEN (SELECT count(DISTINCT a.response) FROM survey_answers a"
                " WHERE a.wave_id = ?1 AND a.unit = i.unit AND " SHOWN_STEP ") ELSE 0 END"
                " FROM survey_invitations i WHERE i.wave_id = ?1 GROUP BY i.unit"
                " UNION ALL SELECT '', 0, count(DISTINCT a.response) FROM survey_answers a"
                " WHERE a.wave_id = ?1 AND a.unit = '' AND " SHOWN_STEP " AND EXISTS (SELECT 1"
                " FROM survey_invitations x WHERE x.wave_id = ?1) HAVING count(*) > 0 ORDER BY 1",
                STORE_ARGS(store_int(wave_id), store_int(k)), store_map_unit_count, sizeof(**out),
                (void **)out, n);
}

/* The caller's row function and what it last returned. */
struct answers_ctx {
    int (*fn)(void *ctx, const struct store_answer_row *r);
    void *ctx;
    int frc;
};

static int answer_row(sqlite3_stmt *s, void *dst)
{
    struct answers_ctx *a = dst;
    struct store_answer_row r;
    r.response = (const char *)sqlite3_column_text(s, 0);
    r.unit = (const char *)sqlite3_column_text(s, 1);
    r.question = (const char *)sqlite3_column_text(s, 2);
    r.has_num = sqlite3_column_type(s, 3) != SQLITE_NULL;
    r.num = sqlite3_column_double(s, 3);
    r.txt = r.has_num ? NULL : (const char *)sqlite3_column_text(s, 4);
    if (!r.response || !r.question)
        return BB_OK;
    if (!r.unit)
        r.unit = "";
    a->frc = a->fn(a->ctx, &r);
    return a->frc != BB_OK ? STORE_STOP : BB_OK;
}

int store_wave_answers(struct store *st, int64_t wave_id,
                       int (*fn)(void *ctx, const struct store_answer_row *r), void *ctx)
{
    struct answers_ctx a = {fn, ctx, BB_OK};
    int rc = store_q_each(st,
                          "SELECT response, unit, question, num, txt FROM survey_answers a"
                          " WHERE wave_id = ?1 AND " SHOWN_STEP " ORDER BY response, question",
                          STORE_ARGS(store_int(wave_id)), answer_row, &a);
    return rc != BB_OK ? rc : a.frc;
}
