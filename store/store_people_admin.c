/*
 * store_people_admin.c - the people pages' queries and the deactivation of
 * a leaver (store_people_admin.h). Row mappers are here beside their
 * structs. Same thread rules as store.h.
 */
#include "store/store_people_admin.h"

#include <string.h>

#include "bot/base/bb.h"
#include "store/store_int.h"

/* ---- the list -------------------------------------------------------------- */

#define PERSON_STATE                                                                               \
    "CASE WHEN p.deactivated_at > 0 THEN 'deactivated'"                                            \
    " WHEN EXISTS(SELECT 1 FROM identities i WHERE i.person_id = p.id) THEN 'linked'"              \
    " WHEN EXISTS(SELECT 1 FROM invites v WHERE v.person_id = p.id AND v.used_at IS NULL"          \
    " AND v.expires_at > ?6) THEN 'invited' ELSE 'not_invited' END"

/* ?1 q, ?2 its LIKE pattern, ?3 unit, ?4 role, ?5 state, ?6 now */
#define PEOPLE_MATCH                                                                               \
    "SELECT p.*, " PERSON_STATE " AS state FROM people p WHERE (?1 = '' OR p.nip LIKE ?2"          \
    " ESCAPE '\\' OR p.name LIKE ?2 ESCAPE '\\' OR p.unit LIKE ?2 ESCAPE '\\')"                    \
    " AND (?3 = '' OR lower(p.unit) = lower(?3)) AND (?4 = '' OR p.role = ?4)"
#define STATE_MATCH " WHERE ?5 = '' OR state = ?5 OR (?5 = 'active' AND state <> 'deactivated')"

static const struct store_col people_row_cols[] = {
    STORE_TXT(struct store_people_row, nip),           STORE_TXT(struct store_people_row, name),
    STORE_TXT(struct store_people_row, unit),          STORE_TXT(struct store_people_row, position),
    STORE_TXT(struct store_people_row, role),          STORE_TXT(struct store_people_row, lang),
    STORE_TXT(struct store_people_row, channels),      STORE_TXT(struct store_people_row, state),
    STORE_I64(struct store_people_row, deactivated_at)};

static int map_people_row(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, people_row_cols);
}

static int like_pattern(const char *q, char *out, size_t n)
{
    size_t j = 0;
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

static int state_known(const char *s)
{
    static const char *const states[] = {"",       "active",  "deactivated",
                                         "linked", "invited", "not_invited"};
    for (size_t i = 0; i < BB_ARRAY_LEN(states); i++)
        if (strcmp(s, states[i]) == 0)
            return 1;
    return 0;
}

int store_people_find(struct store *st, const struct store_people_filter *f, int64_t now, int limit,
                      int offset, struct store_people_row **out, int *n, int64_t *total)
{
    char pat[300];
    const char *q, *unit, *role, *state;
    int rc;
    if (!f || !out || !n || !total || limit < 1 || limit > STORE_PEOPLE_PAGE_MAX || offset < 0)
        return BB_EINVAL;
    *out = NULL;
    *n = 0;
    *total = 0;
    q = f->q ? f->q : "";
    unit = f->unit ? f->unit : "";
    role = f->role ? f->role : "";
    state = f->state ? f->state : "";
    if (!state_known(state) || like_pattern(q, pat, sizeof(pat)) != BB_OK)
        return BB_EINVAL;
#define FIND_ARGS                                                                                  \
    store_text(q), store_text(pat), store_text(unit), store_text(role), store_text(state),         \
        store_int(now)
    rc = store_q_int64(st, "SELECT count(*) FROM (" PEOPLE_MATCH ")" STATE_MATCH,
                       STORE_ARGS(FIND_ARGS), total);
    if (rc)
        return rc == BB_ENOTFOUND ? BB_EIO : rc;
    return store_q_grow(st,
                        "SELECT nip, name, unit, position, role, lang,"
                        " (SELECT group_concat(channel, ',') FROM (SELECT DISTINCT channel FROM"
                        " identities i WHERE i.person_id = m.id AND i.blocked = 0 ORDER BY"
                        " channel)), state, deactivated_at FROM (" PEOPLE_MATCH ") m" STATE_MATCH
                        " ORDER BY name, nip LIMIT ?7 OFFSET ?8",
                        STORE_ARGS(FIND_ARGS, store_int(limit), store_int(offset)), map_people_row,
                        sizeof(**out), STORE_PEOPLE_PAGE_MAX, NULL, (void **)out, n);
#undef FIND_ARGS
}

/* ---- one person ---------------------------------------------------------------- */

static const struct store_col channel_cols[] = {STORE_TXT(struct store_person_channel, channel),
                                                STORE_TXT(struct store_person_channel, handle),
                                                STORE_INT(struct store_person_channel, blocked),
                                                STORE_I64(struct store_person_channel, linked_at),
                                                STORE_I64(struct store_person_channel, last_seen)};

static int map_channel(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, channel_cols);
}

int store_person_channels(struct store *st, int64_t person_id, struct store_person_channel *arr,
                          int max, int *n)
{
    return store_q_fill(st,
                        "SELECT channel, coalesce(handle, ''), blocked, linked_at, last_seen"
                        " FROM identities WHERE person_id = ?1 ORDER BY channel, id",
                        STORE_ARGS(store_int(person_id)), map_channel, sizeof(*arr), max, arr, n);
}

static const struct store_col link_cols[] = {
    STORE_TXT(struct store_person_link, nip), STORE_TXT(struct store_person_link, name),
    STORE_TXT(struct store_person_link, unit), STORE_I64(struct store_person_link, since)};

static int map_link(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, link_cols);
}

int store_person_mentors(struct store *st, int64_t person_id, struct store_person_link *arr,
                         int max, int *n)
{
    return store_q_fill(st,
                        "SELECT p.nip, p.name, p.unit, g.started_at FROM pairings g JOIN people p"
                        " ON p.id = g.mentor_id WHERE g.mentee_id = ?1 AND g.status = 'active'"
                        " ORDER BY g.started_at, g.id",
                        STORE_ARGS(store_int(person_id)), map_link, sizeof(*arr), max, arr, n);
}

int store_person_mentees(struct store *st, int64_t person_id, struct store_person_link *arr,
                         int max, int *n)
{
    return store_q_fill(st,
                        "SELECT p.nip, p.name, p.unit, g.started_at FROM pairings g JOIN people p"
                        " ON p.id = g.mentee_id WHERE g.mentor_id = ?1 AND g.status = 'active'"
                        " ORDER BY g.started_at, g.id",
                        STORE_ARGS(store_int(person_id)), map_link, sizeof(*arr), max, arr, n);
}

static const struct store_col event_cols[] = {STORE_TXT(struct store_person_event, kind),
                                              STORE_I64(struct store_person_event, at)};

static int map_event(sqlite3_stmt *s, void *row)
{
    return STORE_MAP_COLS(s, row, event_cols);
}

int store_person_activity(struct store *st, int64_t person_id, struct store_person_event *arr,
                          int max, int *n)
{
    /* kinds and times only: no text, payload or body column is read */
    return store_q_fill(
        st,
        "SELECT kind, at FROM ("
        " SELECT 'message.' || CASE i.kind WHEN 1 THEN 'text' WHEN 2 THEN 'button' WHEN 3 THEN"
        " 'timer' WHEN 4 THEN 'start' ELSE 'other' END AS kind, i.ts AS at, i.id AS k FROM inbox i"
        " WHERE i.id IN (SELECT id FROM inbox WHERE person_id = ?1 UNION SELECT b.id FROM"
        " identities d JOIN inbox b ON b.channel = d.channel AND b.ext_user = d.ext_id WHERE"
        " d.person_id = ?1)"
        " UNION ALL SELECT 'reply.' || CASE o.state WHEN 0 THEN 'queued' WHEN 1 THEN 'sending'"
        " WHEN 2 THEN 'sent' WHEN 3 THEN 'delivered' WHEN 4 THEN 'read' WHEN 5 THEN 'failed'"
        " WHEN 6 THEN 'blocked' ELSE 'other' END, o.created_at, o.id FROM outbox o"
        " WHERE o.person_id = ?1"
        " UNION ALL SELECT 'checkin', c.at, c.id FROM checkins c WHERE c.person_id = ?1"
        " UNION ALL SELECT 'audit.' || a.action, a.at, a.id FROM audit_log a"
        " WHERE a.subject_person = ?1)"
        " ORDER BY at DESC, k DESC LIMIT ?2",
        STORE_ARGS(store_int(person_id), store_int(max)), map_event, sizeof(*arr), max, arr, n);
}

int store_person_invite_state(struct store *st, int64_t person_id, int64_t now, char *state,
                              size_t n, int64_t *created_at, int64_t *expires_at, int64_t *used_at)
{
    int64_t c = 0, e = 0, u = 0;
    int64_t *const cols[] = {&c, &e, &u};
    int rc = store_q_ints(st,
                          "SELECT created_at, expires_at, coalesce(used_at, 0) FROM invites"
                          " WHERE person_id = ?1 ORDER BY id DESC LIMIT 1",
                          STORE_ARGS(store_int(person_id)), cols, 3);
    if (rc == BB_ENOTFOUND) {
        *created_at = *expires_at = *used_at = 0;
        return bb_strlcpy(state, "none", n);
    }
    if (rc)
        return rc;
    *created_at = c;
    *expires_at = e;
    *used_at = u;
    return bb_strlcpy(state, u ? "used" : e > now ? "open" : "expired", n);
}

int store_person_deactivated_at(struct store *st, int64_t person_id, int64_t *at)
{
    return store_q_int64(st, "SELECT deactivated_at FROM people WHERE id = ?1",
                         STORE_ARGS(store_int(person_id)), at);
}

int store_person_set_role(struct store *st, int64_t person_id, const char *role, int64_t now)
{
    if (!role || !*role)
        return BB_EINVAL;
    return store_q_change(st, "UPDATE people SET role = ?2, updated_at = ?3 WHERE id = ?1",
                          STORE_ARGS(store_int(person_id), store_text(role), store_int(now)));
}

/* ---- deactivation ---------------------------------------------------------------- */

/* The personal tables (store_person_tables keys) that a deactivation
 * erases with their own erase_sql, in this order: what is found through
 * the identities first, the identities after. */
static const char *const deactivate_keys[] = {
    "whatsapp_pending", "whatsapp_window",  "web_sessions",   "inbox",
    "outbox",           "identities",       "invites",        "sessions",
    "timers",           "schedule",         "work_prefs",     "survey_invitations",
    "alerts",           "handoff_messages", "handoffs",       "admin_sessions",
    "admin_prefs",      "mentoring_relays", "pair_proposals", "mentoring_optout",
    "mentor_profile",
};

/* Statements of their own (the keyed ones would reach other people's rows). */
static const char *const deactivate_sql[] = {
    "DELETE FROM sched_dirty WHERE person_id = ?1",
    "DELETE FROM alert_sends WHERE person_id = ?1",
    "UPDATE alerts SET recipient_id = 0 WHERE recipient_id = ?1",
    "DELETE FROM pairing_checks WHERE person_id = ?1",
};

static int erase_key(struct store *st, const char *key, int64_t person_id)
{
    for (int t = 0; t < store_person_ntables; t++) {
        const struct store_person_table *pt = &store_person_tables[t];
        if (!pt->key || strcmp(pt->key, key) != 0)
            continue;
        if (!pt->erase_sql)
            return BB_OK;
        if (!pt->by_channel)
            return store_q_exec(st, pt->erase_sql, STORE_ARGS(store_int(person_id)), NULL);
        for (int i = 0; i < st->nowners; i++)
            if (strcmp(st->owners[i].table, key) == 0)
                return store_q_exec(
                    st, pt->erase_sql,
                    STORE_ARGS(store_int(person_id), store_text(st->owners[i].channel)), NULL);
        char msg[96];
        bb_snprintf(msg, sizeof(msg), "no channel is set for the table %s", key);
        store_seterr(st, msg);
        return BB_ESTATE;
    }
    return BB_OK; /* a table this build does not have */
}

int store_person_deactivate(struct store *st, int64_t person_id, const char *const *erase_cats,
                            int ncats, const char *actor, int64_t now, int *pairings_ended)
{
    int64_t at = 0, erased;
    int changes = 0, rc;
    if (!actor || ncats < 0 || (ncats && !erase_cats))
        return BB_EINVAL;
    rc = store_begin(st);
    if (rc)
        return rc;
    rc = store_person_deactivated_at(st, person_id, &at);
    if (rc == BB_OK && at)
        rc = BB_ESTATE;
    /* the pairings end before the tables that hang on them go */
    if (rc == BB_OK)
        rc = store_q_exec(st,
                          "UPDATE pairings SET status = 'ended', ended_at = ?2, end_reason ="
                          " 'deactivated', ended_by = ?3 WHERE status = 'active' AND"
                          " (mentee_id = ?1 OR mentor_id = ?1)",
                          STORE_ARGS(store_int(person_id), store_int(now), store_text(actor)),
                          &changes);
    for (size_t i = 0; rc == BB_OK && i < BB_ARRAY_LEN(deactivate_sql); i++)
        rc = store_q_exec(st, deactivate_sql[i], STORE_ARGS(store_int(person_id)), NULL);
    for (size_t i = 0; rc == BB_OK && i < BB_ARRAY_LEN(deactivate_keys); i++)
        rc = erase_key(st, deactivate_keys[i], person_id);
    for (int i = 0; rc == BB_OK && i < ncats; i++)
        rc = store_category_erase(st, person_id, erase_cats[i], &erased);
    if (rc == BB_OK)
        rc = store_q_change(st,
                            "UPDATE people SET deactivated_at = ?2, phone = '', email = '',"
                            " updated_at = ?2 WHERE id = ?1",
                            STORE_ARGS(store_int(person_id), store_int(now)));
    if (rc == BB_OK)
        store_wipe_wal_after_commit(st); /* message bodies leave the -wal file too */
    if (rc == BB_OK && pairings_ended)
        *pairings_ended = changes;
    return store_tx_end(st, rc);
}
