/*
 * store_admin.c - the HR dashboard's sessions and aggregates (see
 * store_admin.h): the admin_sessions table of migration 10, and read-only
 * queries over people, identities, check-ins, outbox and audit_log.
 * Called by the dashboard adapter; same thread rules as store.h.
 */
#include "store/store_admin.h"
#include "bot/base/bb.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#define ADMIN_LIST_MAX 10000 /* rows any list here hands out */

/* ---- sessions ---------------------------------------------------------- */

int store_admin_session_add(struct store *st, const char *token_hash, int64_t person_id,
                            int64_t now, int64_t expires_at)
{
    if (!token_hash || strlen(token_hash) != 64 || person_id < 0)
        return BB_EINVAL;
    return store_q_exec(st,
                        "INSERT INTO admin_sessions(token_hash, person_id, created_at, last_seen,"
                        " expires_at) VALUES(?1, ?2, ?3, ?3, ?4)",
                        STORE_ARGS(store_text(token_hash), store_int(person_id), store_int(now),
                                   store_int(expires_at)),
                        NULL);
}

int store_admin_session_get(struct store *st, const char *token_hash, int64_t now,
                            struct store_admin_session *out)
{
    if (!token_hash || !out)
        return BB_EINVAL;
    memset(out, 0, sizeof(*out));
    int64_t *const cols[] = {&out->person_id, &out->created_at, &out->last_seen, &out->expires_at};
    return store_q_ints(st,
                        "SELECT person_id, created_at, last_seen, expires_at FROM admin_sessions"
                        " WHERE token_hash = ?1 AND expires_at > ?2",
                        STORE_ARGS(store_text(token_hash), store_int(now)), cols, 4);
}

int store_admin_session_touch(struct store *st, const char *token_hash, int64_t now,
                              int64_t expires_at)
{
    return store_q_change(
        st,
        "UPDATE admin_sessions SET last_seen = ?2, expires_at = ?3"
        " WHERE token_hash = ?1",
        STORE_ARGS(store_text(token_hash), store_int(now), store_int(expires_at)));
}

int store_admin_session_delete(struct store *st, const char *token_hash)
{
    return store_q_change(st, "DELETE FROM admin_sessions WHERE token_hash = ?1",
                          STORE_ARGS(store_text(token_hash)));
}

int store_admin_session_prune(struct store *st, int64_t now, int *n)
{
    int k = 0;
    int rc = store_q_exec(st, "DELETE FROM admin_sessions WHERE expires_at <= ?1",
                          STORE_ARGS(store_int(now)), &k);
    if (n)
        *n = rc == BB_OK ? k : 0;
    return rc;
}

int store_admin_lang_get(struct store *st, int64_t person_id, char *lang, size_t n)
{
    int rc = store_q_text(st, "SELECT lang FROM admin_prefs WHERE person_id = ?1",
                          STORE_ARGS(store_int(person_id)), lang, n);
    if (rc == BB_OK && !lang[0])
        rc = BB_ENOTFOUND;
    return rc;
}

int store_admin_lang_set(struct store *st, int64_t person_id, const char *lang, int64_t now)
{
    if (!lang || (strcmp(lang, "id") != 0 && strcmp(lang, "en") != 0))
        return BB_EINVAL;
    return store_q_exec(st,
                        "INSERT INTO admin_prefs(person_id, lang, updated_at) VALUES(?1, ?2, ?3)"
                        " ON CONFLICT(person_id) DO UPDATE SET lang = ?2, updated_at = ?3",
                        STORE_ARGS(store_int(person_id), store_text(lang), store_int(now)), NULL);
}

/* ---- aggregates --------------------------------------------------------- */

/* A row of (key text, state int, n int). */
/* Rows of store_map_admin_count. */
static int counts(struct store *st, const char *sql, struct store_args args,
                  struct store_admin_count **out, int *n)
{
    return store_q_grow(st, sql, args, store_map_admin_count, sizeof(**out), ADMIN_LIST_MAX, NULL,
                        (void **)out, n);
}

int store_admin_reach(struct store *st, struct store_admin_count **out, int *n)
{
    if (!out || !n)
        return BB_EINVAL;
    return counts(st,
                  "SELECT channel, 0, count(DISTINCT person_id) FROM identities"
                  " WHERE blocked = 0 GROUP BY channel ORDER BY channel",
                  STORE_NOARGS, out, n);
}

int store_admin_checkins_since(struct store *st, int64_t since, int64_t *count, int64_t *people)
{
    int64_t *const cols[] = {count, people};
    int rc;
    if (!count || !people)
        return BB_EINVAL;
    *count = *people = 0;
    rc = store_q_ints(st, "SELECT count(*), count(DISTINCT person_id) FROM checkins WHERE at >= ?1",
                      STORE_ARGS(store_int(since)), cols, 2);
    return rc == BB_ENOTFOUND ? BB_EIO : rc;
}

static int map_week(sqlite3_stmt *s, void *out)
{
    struct store_admin_week *w = out;
    w->people = sqlite3_column_int64(s, 1);
    w->answers = sqlite3_column_int64(s, 2);
    w->mood_avg = sqlite3_column_double(s, 3);
    for (int i = 0; i < 5; i++)
        w->mood_n[i] = sqlite3_column_int64(s, 4 + i);
    w->start = sqlite3_column_int64(s, 0); /* the week's number: made a time below */
    return BB_OK;
}

int store_admin_mood_weeks(struct store *st, int64_t since, int64_t origin,
                           struct store_admin_week **out, int *n)
{
    int rc;
    if (!out || !n || origin > since)
        return BB_EINVAL;
    rc = store_q_grow(st,
                      "SELECT (at - ?2) / 604800 AS wk, count(DISTINCT person_id), count(*),"
                      " avg(mood), sum(mood = 1), sum(mood = 2), sum(mood = 3), sum(mood = 4),"
                      " sum(mood = 5) FROM checkins WHERE at >= ?1 AND mood BETWEEN 1 AND 5"
                      " GROUP BY wk ORDER BY wk",
                      STORE_ARGS(store_int(since), store_int(origin)), map_week, sizeof(**out),
                      ADMIN_LIST_MAX, NULL, (void **)out, n);
    for (int i = 0; rc == BB_OK && i < *n; i++)
        (*out)[i].start = origin + (*out)[i].start * 604800;
    return rc;
}

int store_admin_outbox_counts(struct store *st, int64_t batch_id, int64_t since,
                              struct store_admin_count **out, int *n)
{
    if (!out || !n)
        return BB_EINVAL;
    if (batch_id > 0)
        return counts(st,
                      /* a broadcast's recipients not yet in the outbox
                       * (store_broadcast_fill) are queued on no channel yet */
                      "SELECT channel, state, count(*) FROM outbox WHERE batch_id = ?1"
                      " GROUP BY channel, state UNION ALL SELECT 'pending', 0, count(*)"
                      " FROM broadcast_pending WHERE broadcast_id = ?1 HAVING count(*) > 0"
                      " ORDER BY 1, 2",
                      STORE_ARGS(store_int(batch_id)), out, n);
    return counts(st,
                  "SELECT channel, state, count(*) FROM outbox WHERE created_at >= ?1"
                  " GROUP BY channel, state ORDER BY channel, state",
                  STORE_ARGS(store_int(since)), out, n);
}

/* ---- lists ----------------------------------------------------------- */

/* ?1 = the search text ("" matches all): a LIKE pattern with % and _ escaped. */
#define PEOPLE_WHERE                                                                               \
    " WHERE ?1 = '' OR p.nip LIKE ?2 ESCAPE '\\' OR p.name LIKE ?2 ESCAPE '\\'"                    \
    " OR p.unit LIKE ?2 ESCAPE '\\'"

static int like_pattern(const char *q, char *out, size_t n)
{
    size_t j = 0;
    if (n < 3)
        return BB_ELIMIT;
    out[j++] = '%';
    for (const char *p = q; *p; p++) {
        if (j + 4 > n)
            return BB_ELIMIT;
        if (*p == '%' || *p == '_' || *p == '\\')
            out[j++] = '\\';
        out[j++] = *p;
    }
    out[j++] = '%';
    out[j] = '\0';
    return BB_OK;
}

int store_admin_people(struct store *st, const char *q, int limit, int offset,
                       struct store_admin_person **out, int *n, int64_t *total)
{
    char pat[300];
    int rc;
    if (!q || !out || !n || !total || limit < 0 || offset < 0)
        return BB_EINVAL;
    *out = NULL;
    *n = 0;
    *total = 0;
    if (limit > ADMIN_LIST_MAX)
        limit = ADMIN_LIST_MAX;
    if (like_pattern(q, pat, sizeof(pat)) != BB_OK)
        return BB_EINVAL;
    rc = store_q_int64(st, "SELECT count(*) FROM people p" PEOPLE_WHERE,
                       STORE_ARGS(store_text(q), store_text(pat)), total);
    if (rc)
        return rc == BB_ENOTFOUND ? BB_EIO : rc;
    return store_q_grow(
        st,
        "SELECT p.nip, p.name, p.unit, p.position, p.role, p.lang, p.created_at,"
        " (SELECT group_concat(channel, ',') FROM (SELECT DISTINCT channel FROM"
        " identities i WHERE i.person_id = p.id AND i.blocked = 0 ORDER BY"
        " channel)) FROM people p" PEOPLE_WHERE " ORDER BY p.name, p.nip LIMIT ?3 OFFSET ?4",
        STORE_ARGS(store_text(q), store_text(pat), store_int(limit), store_int(offset)),
        store_map_admin_person, sizeof(**out), ADMIN_LIST_MAX, NULL, (void **)out, n);
}

int store_admin_audit_list(struct store *st, int limit, struct store_admin_audit **out, int *n)
{
    return store_admin_audit_list_hiding(st, limit, NULL, out, n);
}

int store_admin_audit_list_hiding(struct store *st, int limit, const char *hide_prefix,
                                  struct store_admin_audit **out, int *n)
{
    if (!out || !n || limit < 0 ||
        (hide_prefix && (!hide_prefix[0] || strchr(hide_prefix, '%') || strchr(hide_prefix, '_'))))
        return BB_EINVAL;
    return store_q_grow(st,
                        "SELECT a.at, a.actor, a.action, coalesce(p.nip, ''), a.detail FROM"
                        " audit_log a LEFT JOIN people p ON p.id = a.subject_person AND"
                        " a.subject_person <> 0 WHERE ?2 IS NULL OR"
                        " substr(a.action, 1, length(?2)) <> ?2 ORDER BY a.id DESC LIMIT ?1",
                        STORE_ARGS(store_int(limit > ADMIN_LIST_MAX ? ADMIN_LIST_MAX : limit),
                                   store_text(hide_prefix)),
                        store_map_admin_audit, sizeof(**out), ADMIN_LIST_MAX, NULL, (void **)out,
                        n);
}
