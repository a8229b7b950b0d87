/*
 * store_admin.c - the HR dashboard's sessions and aggregates (see
 * store_admin.h): the admin_sessions table of migration 10, and read-only
 * queries over people, identities, check-ins, outbox and audit_log.
 * Same thread rules as store.h.
 */
#include "store/store_admin.h"
#include "bot/base/bb.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

#define ADMIN_LIST_MAX 10000 /* rows any list here hands out */

/* Step a prepared statement to its end; for writes. */
static int run_write(struct store *st, sqlite3_stmt *s, int want_change)
{
    int rc = sqlite3_step(s);
    store_done(s);
    if (rc != SQLITE_DONE)
        return store_sqlerr(st, rc);
    return !want_change || sqlite3_changes(st->db) > 0 ? BB_OK : BB_ENOTFOUND;
}

/* Grow *arr (of size elem) to hold one more than *n; capped. */
static int grow(void **arr, int *cap, int n, size_t elem)
{
    if (n < *cap)
        return BB_OK;
    if (n >= ADMIN_LIST_MAX)
        return BB_ELIMIT;
    int ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, (size_t)ncap * elem);
    if (!p)
        return BB_ENOMEM;
    *arr = p;
    *cap = ncap;
    return BB_OK;
}

/* ---- sessions ---------------------------------------------------------- */

int store_admin_session_add(struct store *st, const char *token_hash, int64_t person_id,
                            int64_t now, int64_t expires_at)
{
    sqlite3_stmt *s;
    int rc;
    if (!token_hash || strlen(token_hash) != 64 || person_id < 0)
        return BB_EINVAL;
    rc = store_stmt(st,
                    "INSERT INTO admin_sessions(token_hash, person_id, created_at, last_seen,"
                    " expires_at) VALUES(?1, ?2, ?3, ?3, ?4)",
                    &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, token_hash);
    sqlite3_bind_int64(s, 2, person_id);
    sqlite3_bind_int64(s, 3, now);
    sqlite3_bind_int64(s, 4, expires_at);
    return run_write(st, s, 0);
}

int store_admin_session_get(struct store *st, const char *token_hash, int64_t now,
                            struct store_admin_session *out)
{
    sqlite3_stmt *s;
    int rc;
    if (!token_hash || !out)
        return BB_EINVAL;
    memset(out, 0, sizeof(*out));
    rc = store_stmt(st,
                    "SELECT person_id, created_at, last_seen, expires_at FROM admin_sessions"
                    " WHERE token_hash = ?1 AND expires_at > ?2",
                    &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, token_hash);
    sqlite3_bind_int64(s, 2, now);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->person_id = sqlite3_column_int64(s, 0);
        out->created_at = sqlite3_column_int64(s, 1);
        out->last_seen = sqlite3_column_int64(s, 2);
        out->expires_at = sqlite3_column_int64(s, 3);
        rc = BB_OK;
    } else if (rc == SQLITE_DONE) {
        rc = BB_ENOTFOUND;
    } else {
        rc = store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

int store_admin_session_touch(struct store *st, const char *token_hash, int64_t now,
                              int64_t expires_at)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "UPDATE admin_sessions SET last_seen = ?2, expires_at = ?3"
                        " WHERE token_hash = ?1",
                        &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, token_hash);
    sqlite3_bind_int64(s, 2, now);
    sqlite3_bind_int64(s, 3, expires_at);
    return run_write(st, s, 1);
}

int store_admin_session_delete(struct store *st, const char *token_hash)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "DELETE FROM admin_sessions WHERE token_hash = ?1", &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, token_hash);
    return run_write(st, s, 1);
}

int store_admin_session_prune(struct store *st, int64_t now, int *n)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "DELETE FROM admin_sessions WHERE expires_at <= ?1", &s);
    if (n)
        *n = 0;
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, now);
    rc = run_write(st, s, 0);
    if (rc == BB_OK && n)
        *n = sqlite3_changes(st->db);
    return rc;
}

/* ---- aggregates --------------------------------------------------------- */

/* Read rows of (key text, state int, n int) into a growing array. */
static int read_counts(struct store *st, sqlite3_stmt *s, struct store_admin_count **out, int *n)
{
    struct store_admin_count *v = NULL;
    int cap = 0, cnt = 0, rc;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        rc = grow((void **)&v, &cap, cnt, sizeof(*v));
        if (rc != BB_OK)
            goto fail;
        memset(&v[cnt], 0, sizeof(v[cnt]));
        store_col_copy(s, 0, v[cnt].key, sizeof(v[cnt].key));
        v[cnt].state = sqlite3_column_int(s, 1);
        v[cnt].n = sqlite3_column_int64(s, 2);
        cnt++;
    }
    if (rc != SQLITE_DONE) {
        rc = store_sqlerr(st, rc);
        goto fail;
    }
    store_done(s);
    *out = v;
    *n = cnt;
    return BB_OK;
fail:
    store_done(s);
    free(v);
    return rc;
}

int store_admin_reach(struct store *st, struct store_admin_count **out, int *n)
{
    sqlite3_stmt *s;
    int rc;
    if (!out || !n)
        return BB_EINVAL;
    *out = NULL;
    *n = 0;
    rc = store_stmt(st,
                    "SELECT channel, 0, count(DISTINCT person_id) FROM identities"
                    " WHERE blocked = 0 GROUP BY channel ORDER BY channel",
                    &s);
    if (rc != BB_OK)
        return rc;
    return read_counts(st, s, out, n);
}

int store_admin_checkins_since(struct store *st, int64_t since, int64_t *count, int64_t *people)
{
    sqlite3_stmt *s;
    int rc;
    if (!count || !people)
        return BB_EINVAL;
    *count = *people = 0;
    rc = store_stmt(st, "SELECT count(*), count(DISTINCT person_id) FROM checkins WHERE at >= ?1",
                    &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, since);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *count = sqlite3_column_int64(s, 0);
        *people = sqlite3_column_int64(s, 1);
        rc = BB_OK;
    } else {
        rc = store_sqlerr(st, rc);
    }
    store_done(s);
    return rc;
}

int store_admin_mood_weeks(struct store *st, int64_t since, int64_t origin,
                           struct store_admin_week **out, int *n)
{
    struct store_admin_week *v = NULL;
    sqlite3_stmt *s;
    int cap = 0, cnt = 0, rc;

    if (!out || !n || origin > since)
        return BB_EINVAL;
    *out = NULL;
    *n = 0;
    rc = store_stmt(st,
                    "SELECT (at - ?2) / 604800 AS wk, count(DISTINCT person_id), count(*),"
                    " avg(mood), sum(mood = 1), sum(mood = 2), sum(mood = 3), sum(mood = 4),"
                    " sum(mood = 5) FROM checkins WHERE at >= ?1 AND mood BETWEEN 1 AND 5"
                    " GROUP BY wk ORDER BY wk",
                    &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int64(s, 1, since);
    sqlite3_bind_int64(s, 2, origin);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        rc = grow((void **)&v, &cap, cnt, sizeof(*v));
        if (rc != BB_OK)
            goto fail;
        struct store_admin_week *w = &v[cnt++];
        w->start = origin + sqlite3_column_int64(s, 0) * 604800;
        w->people = sqlite3_column_int64(s, 1);
        w->answers = sqlite3_column_int64(s, 2);
        w->mood_avg = sqlite3_column_double(s, 3);
        for (int i = 0; i < 5; i++)
            w->mood_n[i] = sqlite3_column_int64(s, 4 + i);
    }
    if (rc != SQLITE_DONE) {
        rc = store_sqlerr(st, rc);
        goto fail;
    }
    store_done(s);
    *out = v;
    *n = cnt;
    return BB_OK;
fail:
    store_done(s);
    free(v);
    return rc;
}

int store_admin_outbox_counts(struct store *st, int64_t batch_id, int64_t since,
                              struct store_admin_count **out, int *n)
{
    sqlite3_stmt *s;
    int rc;
    if (!out || !n)
        return BB_EINVAL;
    *out = NULL;
    *n = 0;
    if (batch_id > 0) {
        rc = store_stmt(st,
                        "SELECT channel, state, count(*) FROM outbox WHERE batch_id = ?1"
                        " GROUP BY channel, state ORDER BY channel, state",
                        &s);
        if (rc != BB_OK)
            return rc;
        sqlite3_bind_int64(s, 1, batch_id);
    } else {
        rc = store_stmt(st,
                        "SELECT channel, state, count(*) FROM outbox WHERE created_at >= ?1"
                        " GROUP BY channel, state ORDER BY channel, state",
                        &s);
        if (rc != BB_OK)
            return rc;
        sqlite3_bind_int64(s, 1, since);
    }
    return read_counts(st, s, out, n);
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
    struct store_admin_person *v = NULL;
    sqlite3_stmt *s = NULL;
    char pat[300];
    int cap = 0, cnt = 0, rc;

    if (!q || !out || !n || !total || limit < 0 || offset < 0)
        return BB_EINVAL;
    *out = NULL;
    *n = 0;
    *total = 0;
    if (limit > ADMIN_LIST_MAX)
        limit = ADMIN_LIST_MAX;
    rc = like_pattern(q, pat, sizeof(pat));
    if (rc != BB_OK)
        return BB_EINVAL;
    rc = store_stmt(st, "SELECT count(*) FROM people p" PEOPLE_WHERE, &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, q);
    store_bind_text(s, 2, pat);
    rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        rc = store_sqlerr(st, rc);
        goto fail;
    }
    *total = sqlite3_column_int64(s, 0);
    store_done(s);

    rc = store_stmt(st,
                    "SELECT p.nip, p.name, p.unit, p.position, p.role, p.lang, p.created_at,"
                    " (SELECT group_concat(channel, ',') FROM (SELECT DISTINCT channel FROM"
                    " identities i WHERE i.person_id = p.id AND i.blocked = 0 ORDER BY channel))"
                    " FROM people p" PEOPLE_WHERE " ORDER BY p.name, p.nip LIMIT ?3 OFFSET ?4",
                    &s);
    if (rc != BB_OK)
        return rc;
    store_bind_text(s, 1, q);
    store_bind_text(s, 2, pat);
    sqlite3_bind_int(s, 3, limit);
    sqlite3_bind_int(s, 4, offset);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        rc = grow((void **)&v, &cap, cnt, sizeof(*v));
        if (rc != BB_OK)
            goto fail;
        struct store_admin_person *p = &v[cnt++];
        memset(p, 0, sizeof(*p));
        store_col_copy(s, 0, p->nip, sizeof(p->nip));
        store_col_copy(s, 1, p->name, sizeof(p->name));
        store_col_copy(s, 2, p->unit, sizeof(p->unit));
        store_col_copy(s, 3, p->position, sizeof(p->position));
        store_col_copy(s, 4, p->role, sizeof(p->role));
        store_col_copy(s, 5, p->lang, sizeof(p->lang));
        p->created_at = sqlite3_column_int64(s, 6);
        store_col_copy(s, 7, p->channels, sizeof(p->channels));
    }
    if (rc != SQLITE_DONE) {
        rc = store_sqlerr(st, rc);
        goto fail;
    }
    store_done(s);
    *out = v;
    *n = cnt;
    return BB_OK;
fail:
    store_done(s);
    free(v);
    return rc;
}

int store_admin_audit_list(struct store *st, int limit, struct store_admin_audit **out, int *n)
{
    struct store_admin_audit *v = NULL;
    sqlite3_stmt *s;
    int cap = 0, cnt = 0, rc;

    if (!out || !n || limit < 0)
        return BB_EINVAL;
    *out = NULL;
    *n = 0;
    rc = store_stmt(st,
                    "SELECT a.at, a.actor, a.action, coalesce(p.nip, ''), a.detail FROM audit_log a"
                    " LEFT JOIN people p ON p.id = a.subject_person AND a.subject_person <> 0"
                    " ORDER BY a.id DESC LIMIT ?1",
                    &s);
    if (rc != BB_OK)
        return rc;
    sqlite3_bind_int(s, 1, limit > ADMIN_LIST_MAX ? ADMIN_LIST_MAX : limit);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        rc = grow((void **)&v, &cap, cnt, sizeof(*v));
        if (rc != BB_OK)
            goto fail;
        struct store_admin_audit *a = &v[cnt++];
        memset(a, 0, sizeof(*a));
        a->at = sqlite3_column_int64(s, 0);
        store_col_copy(s, 1, a->actor, sizeof(a->actor));
        store_col_copy(s, 2, a->action, sizeof(a->action));
        store_col_copy(s, 3, a->subject_nip, sizeof(a->subject_nip));
        store_col_copy(s, 4, a->detail, sizeof(a->detail));
    }
    if (rc != SQLITE_DONE) {
        rc = store_sqlerr(st, rc);
        goto fail;
    }
    store_done(s);
    *out = v;
    *n = cnt;
    return BB_OK;
fail:
    store_done(s);
    free(v);
    return rc;
}
