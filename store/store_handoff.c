/*
 * store_handoff.c - handoffs to a counsellor and their messages (see
 * store_handoff.h): the tables handoffs and handoff_messages of the
 * handoff migration in store_schema.c.
 *
 * Who may call: the core and the dashboard adapter, through
 * store_handoff.h. Same thread rules as store.h.
 */
#include "store/store_handoff.h"
#include "bot/base/bb.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#define HANDOFF_LIST_MAX 1000
#define HANDOFF_MSGS_MAX 10000

/* The columns of a struct store_handoff, in its order. */
#define HANDOFF_COLS                                                                               \
    "h.id, h.person_id, h.reason, h.paused, h.opened_at, h.last_in_at, h.last_out_at,"             \
    " h.closed_at, h.closed_by,"                                                                   \
    " (SELECT count(*) FROM handoff_messages m WHERE m.handoff_id = h.id AND m.out = 0),"          \
    " " HANDOFF_WAITING ", p.nip, p.name, p.unit, p.lang"

/* 1 when the newest message of h is the person's (by id: two within one
 * second keep their order). */
#define HANDOFF_WAITING                                                                            \
    "coalesce((SELECT 1 - m.out FROM handoff_messages m WHERE m.handoff_id = h.id"                 \
    " ORDER BY m.id DESC LIMIT 1), 0)"

static const struct store_col handoff_cols[] = {
    STORE_I64(struct store_handoff, id),          STORE_I64(struct store_handoff, person_id),
    STORE_TXT(struct store_handoff, reason),      STORE_TXT(struct store_handoff, paused),
    STORE_I64(struct store_handoff, opened_at),   STORE_I64(struct store_handoff, last_in_at),
    STORE_I64(struct store_handoff, last_out_at), STORE_I64(struct store_handoff, closed_at),
    STORE_TXT(struct store_handoff, closed_by),   STORE_I64(struct store_handoff, n_in),
    STORE_INT(struct store_handoff, waiting),     STORE_TXT(struct store_handoff, nip),
    STORE_TXT(struct store_handoff, name),        STORE_TXT(struct store_handoff, unit),
    STORE_TXT(struct store_handoff, lang)};

static int map_handoff(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, handoff_cols);
}

static const struct store_col msg_cols[] = {
    STORE_I64(struct store_handoff_msg, at), STORE_INT(struct store_handoff_msg, out),
    STORE_TXT(struct store_handoff_msg, author), STORE_TXT(struct store_handoff_msg, shown),
    STORE_DUP(struct store_handoff_msg, body)};

static int map_msg(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, msg_cols);
}

int store_handoff_open(struct store *st, int64_t person_id, const char *reason, const char *paused,
                       int64_t now, int64_t *id)
{
    if (person_id <= 0 || !reason || !reason[0] ||
        strlen(reason) >= sizeof(((struct store_handoff *)0)->reason) ||
        (paused && strlen(paused) >= sizeof(((struct store_handoff *)0)->paused)))
        return BB_EINVAL;
    /* the partial unique index allows one open handoff per person */
    return store_q_insert(st,
                          "INSERT INTO handoffs(person_id, reason, paused, opened_at)"
                          " VALUES(?1, ?2, ?3, ?4)",
                          STORE_ARGS(store_int(person_id), store_text(reason),
                                     store_text(paused ? paused : ""), store_int(now)),
                          id);
}

int store_handoff_current(struct store *st, int64_t person_id, struct store_handoff *out)
{
    memset(out, 0, sizeof(*out));
    return store_q_one(st,
                       "SELECT " HANDOFF_COLS " FROM handoffs h JOIN people p ON p.id = h.person_id"
                       " WHERE h.person_id = ?1 AND h.closed_at = 0",
                       STORE_ARGS(store_int(person_id)), map_handoff, out);
}

int store_handoff_get(struct store *st, int64_t id, struct store_handoff *out)
{
    memset(out, 0, sizeof(*out));
    return store_q_one(st,
                       "SELECT " HANDOFF_COLS " FROM handoffs h JOIN people p ON p.id = h.person_id"
                       " WHERE h.id = ?1",
                       STORE_ARGS(store_int(id)), map_handoff, out);
}

int store_handoff_add(struct store *st, int64_t id, int out, const char *author, const char *shown,
                      const char *body, int64_t now)
{
    size_t n = body ? strlen(body) : 0;
    int rc;
    if (n == 0 || n > STORE_HANDOFF_TEXT_MAX || (out != 0 && out != 1))
        return BB_EINVAL;
    if ((author && strlen(author) >= sizeof(((struct store_handoff_msg *)0)->author)) ||
        (shown && strlen(shown) >= sizeof(((struct store_handoff_msg *)0)->shown)))
        return BB_EINVAL;
    rc = store_begin(st);
    if (rc != BB_OK)
        return rc;
    /* the handoff must be open: the update finds it or nothing is written */
    rc = store_q_change(st,
                        "UPDATE handoffs SET last_in_at = CASE WHEN ?2 = 0 THEN ?3 ELSE last_in_at"
                        " END, last_out_at = CASE WHEN ?2 = 1 THEN ?3 ELSE last_out_at END"
                        " WHERE id = ?1 AND closed_at = 0",
                        STORE_ARGS(store_int(id), store_int(out), store_int(now)));
    if (rc == BB_OK)
        rc = store_q_exec(st,
                          "INSERT INTO handoff_messages(handoff_id, at, out, author, shown, body)"
                          " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                          STORE_ARGS(store_int(id), store_int(now), store_int(out),
                                     store_text(author ? author : ""),
                                     store_text(shown ? shown : ""), store_text(body)),
                          NULL);
    return store_tx_end(st, rc);
}

int store_handoff_close(struct store *st, int64_t id, const char *by, int64_t now)
{
    if (!by || !by[0] || strlen(by) >= sizeof(((struct store_handoff *)0)->closed_by))
        return BB_EINVAL;
    return store_q_change(st,
                          "UPDATE handoffs SET closed_at = ?2, closed_by = ?3"
                          " WHERE id = ?1 AND closed_at = 0",
                          STORE_ARGS(store_int(id), store_int(now > 0 ? now : 1), store_text(by)));
}

int store_handoff_list_open(struct store *st, struct store_handoff **out, int *n)
{
    *out = NULL;
    *n = 0;
    return store_q_grow(
        st,
        "SELECT " HANDOFF_COLS " FROM handoffs h JOIN people p ON p.id = h.person_id"
        " WHERE h.closed_at = 0"
        " ORDER BY " HANDOFF_WAITING " DESC,"
        " max(h.last_in_at, h.opened_at) DESC, h.id DESC LIMIT 1000",
        STORE_NOARGS, map_handoff, sizeof(**out), HANDOFF_LIST_MAX, NULL, (void **)out, n);
}

void store_handoff_msgs_free(struct store_handoff_msg *v, int n)
{
    for (int i = 0; v && i < n; i++)
        free(v[i].body);
    free(v);
}

static void drop_msgs(void *arr, int n)
{
    store_handoff_msgs_free(arr, n);
}

int store_handoff_messages(struct store *st, int64_t id, struct store_handoff_msg **out, int *n)
{
    *out = NULL;
    *n = 0;
    return store_q_grow(st,
                        "SELECT at, out, author, shown, body FROM handoff_messages"
                        " WHERE handoff_id = ?1 ORDER BY id LIMIT 10000",
                        STORE_ARGS(store_int(id)), map_msg, sizeof(**out), HANDOFF_MSGS_MAX,
                        drop_msgs, (void **)out, n);
}

int store_handoff_staffed(struct store *st, int *yes)
{
    int64_t k = 0;
    /* Asked on every message: the partial index people_counsellor keeps
     * it a lookup, not a scan of everyone. */
    int rc = store_q_int64(st, "SELECT EXISTS(SELECT 1 FROM people WHERE role = 'counsellor')",
                           STORE_NOARGS, &k);
    *yes = rc == BB_OK && k > 0;
    return rc == BB_ENOTFOUND ? BB_OK : rc;
}

int store_handoff_counsellors(struct store *st, int64_t *ids, int max, int *n)
{
    *n = 0;
    if (max <= 0)
        return BB_EINVAL;
    return store_q_fill(st, "SELECT id FROM people WHERE role = 'counsellor' ORDER BY id LIMIT ?1",
                        STORE_ARGS(store_int(max)), store_map_int64, sizeof(*ids), max, ids, n);
}
