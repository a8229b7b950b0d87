/*
 * store_people.c - the people tables of store.h: people, identities (a
 * person's chats), invites, consents and the audit log. Called through
 * store.h; written with the query helpers of store_int.h.
 *
 * Thread rules: as store.h - one thread at a time per struct store.
 */
#include <assert.h>
#include <string.h>

#include "bot/base/bb.h"
#include "store/store_int.h"

/* ---- people ------------------------------------------------------------ */

static int one_of(const char *v, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v, set[i]) == 0)
            return 1;
    return 0;
}

static int valid_role(const char *r)
{
    static const char *const roles[] = {"employee", "mentor", "hr", "admin", "counsellor"};
    return one_of(r, roles, BB_ARRAY_LEN(roles));
}

static int valid_lang(const char *l)
{
    static const char *const langs[] = {"id", "en"};
    return one_of(l, langs, BB_ARRAY_LEN(langs));
}

int store_person_upsert(struct store *st, const struct store_person *p, int64_t *id_out,
                        int *created)
{
    /* ?1..?13 the text fields (nip first), ?14 now, ?15 gender, ?16 panggilan. */
    const struct store_arg a[] = {
        store_text(p->nip),
        store_text(p->name),
        store_text(p->unit),
        store_text(p->position),
        store_text(p->grade),
        store_text(p->role),
        store_text(p->lang),
        store_text(p->tz),
        store_text(p->phone),
        store_text(p->email),
        store_text(p->supervisor_nip),
        store_text(p->strengths),
        store_text(p->interests),
        store_int(bb_now()),
        store_text(p->gender),
        store_text(p->panggilan),
    };
    const struct store_args args = {a, (int)BB_ARRAY_LEN(a)};
    int64_t id = 0;
    int rc, found;
    if (!p->nip[0] || (p->role[0] && !valid_role(p->role)) ||
        (p->lang[0] && !valid_lang(p->lang)) ||
        (p->gender[0] && strcmp(p->gender, "L") && strcmp(p->gender, "P")))
        return BB_EINVAL;
    rc = store_begin(st);
    if (rc)
        return rc;
    rc = store_q_int64(st, "SELECT id FROM people WHERE nip = ?1", STORE_ARGS(store_text(p->nip)),
                       &id);
    if (rc && rc != BB_ENOTFOUND)
        goto done;
    found = rc == BB_OK;
    if (found)
        rc = store_q_exec(st,
                          "UPDATE people SET name = COALESCE(NULLIF(?2, ''), name),"
                          " unit = COALESCE(NULLIF(?3, ''), unit),"
                          " position = COALESCE(NULLIF(?4, ''), position),"
                          " grade = COALESCE(NULLIF(?5, ''), grade),"
                          " role = COALESCE(NULLIF(?6, ''), role),"
                          " lang = COALESCE(NULLIF(?7, ''), lang),"
                          " tz = COALESCE(NULLIF(?8, ''), tz),"
                          " phone = COALESCE(NULLIF(?9, ''), phone),"
                          " email = COALESCE(NULLIF(?10, ''), email),"
                          " supervisor_nip = COALESCE(NULLIF(?11, ''), supervisor_nip),"
                          " strengths = COALESCE(NULLIF(?12, ''), strengths),"
                          " interests = COALESCE(NULLIF(?13, ''), interests),"
                          " gender = COALESCE(NULLIF(?15, ''), gender),"
                          " panggilan = COALESCE(NULLIF(?16, ''), panggilan),"
                          " updated_at = ?14 WHERE nip = ?1",
                          args, NULL);
    else
        rc = store_q_insert(
            st,
            "INSERT INTO people (nip, name, unit, position, grade, role, lang, tz,"
            " phone, email, supervisor_nip, strengths, interests, created_at,"
            " updated_at, gender, panggilan) VALUES (?1, ?2, ?3, ?4, ?5,"
            " COALESCE(NULLIF(?6, ''), 'employee'), COALESCE(NULLIF(?7, ''), 'id'),"
            " COALESCE(NULLIF(?8, ''), 'Asia/Jakarta'), ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15,"
            " ?16)",
            args, &id);
    if (rc)
        goto done;
    if (id_out)
        *id_out = id;
    if (created)
        *created = !found;
done:
    return store_tx_end(st, rc);
}

int store_person_by_nip(struct store *st, const char *nip, struct store_person *out)
{
    return store_q_one(st, "SELECT " STORE_PERSON_COLS " FROM people WHERE nip = ?1",
                       STORE_ARGS(store_text(nip)), store_map_person, out);
}

void store_actor_name(struct store *st, const char *actor, char *out, size_t n)
{
    struct store_person p;
    const char *nip = NULL;
    assert(out && n > 0);
    if (!actor)
        actor = "";
    if (strcmp(actor, "operator") == 0) {
        bb_snprintf(out, n, "%s", "Operator");
        return;
    }
    if (strncmp(actor, "hr:", 3) == 0)
        nip = actor + 3;
    else if (strncmp(actor, "counsellor:", 11) == 0)
        nip = actor + 11;
    if (nip && *nip && store_person_by_nip(st, nip, &p) == BB_OK && p.name[0])
        bb_snprintf(out, n, "%s", p.name);
    else
        bb_snprintf(out, n, "%s", nip && *nip ? nip : actor);
}

int store_person_by_id(struct store *st, int64_t id, struct store_person *out)
{
    return store_q_one(st, "SELECT " STORE_PERSON_COLS " FROM people WHERE id = ?1",
                       STORE_ARGS(store_int(id)), store_map_person, out);
}

int store_person_by_phone(struct store *st, const char *phone, struct store_person *out)
{
    if (!phone || !*phone)
        return BB_ENOTFOUND;
    return store_q_one(st,
                       "SELECT " STORE_PERSON_COLS " FROM people WHERE phone = ?1 AND"
                       " phone <> '' ORDER BY id LIMIT 1",
                       STORE_ARGS(store_text(phone)), store_map_person, out);
}

int store_person_hr_contact(struct store *st, int64_t person_id, const char *unit,
                            struct store_person *out)
{
    return store_q_one(st,
                       "SELECT " STORE_PERSON_COLS " FROM people WHERE role = 'hr' AND id <> ?1"
                       " AND EXISTS (SELECT 1 FROM identities i WHERE i.person_id = people.id"
                       " AND i.blocked = 0) ORDER BY unit = ?2 DESC, id LIMIT 1",
                       STORE_ARGS(store_int(person_id), store_text(unit ? unit : "")),
                       store_map_person, out);
}

int store_person_set_lang(struct store *st, int64_t id, const char *lang)
{
    if (!lang || !valid_lang(lang))
        return BB_EINVAL;
    return store_q_change(st, "UPDATE people SET lang = ?2, updated_at = ?3 WHERE id = ?1",
                          STORE_ARGS(store_int(id), store_text(lang), store_int(bb_now())));
}

int store_person_count(struct store *st, int64_t *out)
{
    return store_q_int64(st, "SELECT COUNT(*) FROM people", STORE_NOARGS, out);
}

/* ---- identities -------------------------------------------------------- */

int store_identity_link(struct store *st, const char *channel, const char *ext_id,
                        int64_t person_id, int64_t now)
{
    int64_t gone = 0;
    if (!channel || !*channel || !ext_id || !*ext_id)
        return BB_EINVAL;
    /* a deactivated leaver is linked to no chat again */
    if (store_q_int64(st, "SELECT deactivated_at FROM people WHERE id = ?1",
                      STORE_ARGS(store_int(person_id)), &gone) == BB_OK &&
        gone) {
        store_seterr(st, "the person is deactivated");
        return BB_EPERM;
    }
    return store_q_exec(
        st,
        "INSERT INTO identities (channel, ext_id, person_id, linked_at, last_seen)"
        " VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT(channel, ext_id) DO UPDATE SET"
        " person_id = excluded.person_id, linked_at = excluded.linked_at,"
        " last_seen = excluded.last_seen, blocked = 0, blocked_at = NULL",
        STORE_ARGS(store_text(channel), store_text(ext_id), store_int(person_id), store_int(now)),
        NULL);
}

int store_identity_person(struct store *st, const char *channel, const char *ext_id,
                          int64_t *person_id)
{
    return store_q_int64(st, "SELECT person_id FROM identities WHERE channel = ?1 AND ext_id = ?2",
                         STORE_ARGS(store_text(channel), store_text(ext_id)), person_id);
}

int store_identity_of(struct store *st, int64_t person_id, const char *channel, char *ext_id,
                      size_t n)
{
    return store_q_text(st,
                        "SELECT ext_id FROM identities WHERE person_id = ?1 AND channel = ?2"
                        " ORDER BY last_seen DESC, id DESC LIMIT 1",
                        STORE_ARGS(store_int(person_id), store_text(channel)), ext_id, n);
}

struct chat_out {
    char *channel, *ext_id;
    size_t cn, en;
};

static int map_chat(sqlite3_stmt *s, void *out)
{
    struct chat_out *c = out;
    store_col_copy(s, 0, c->channel, c->cn);
    store_col_copy(s, 1, c->ext_id, c->en);
    return BB_OK;
}

int store_identity_last(struct store *st, int64_t person_id, char *channel, size_t cn, char *ext_id,
                        size_t en)
{
    struct chat_out c = {channel, ext_id, cn, en};
    return store_q_one(st,
                       "SELECT channel, ext_id FROM identities WHERE person_id = ?1"
                       " ORDER BY last_seen DESC, id DESC LIMIT 1",
                       STORE_ARGS(store_int(person_id)), map_chat, &c);
}

int store_identity_touch(struct store *st, const char *channel, const char *ext_id, int64_t now)
{
    /* No row changed: unknown, or touched within the minute (once a minute
     * is enough: fewer writes). */
    return store_q_exec(st,
                        "UPDATE identities SET last_seen = ?3 WHERE channel = ?1 AND ext_id = ?2"
                        " AND last_seen < ?3 - 60",
                        STORE_ARGS(store_text(channel), store_text(ext_id), store_int(now)), NULL);
}

int store_identity_set_handle(struct store *st, const char *channel, const char *ext_id,
                              const char *handle)
{
    int64_t one = 0;
    int rc = store_q_int64(st, "SELECT 1 FROM identities WHERE channel = ?1 AND ext_id = ?2",
                           STORE_ARGS(store_text(channel), store_text(ext_id)), &one);
    if (rc != BB_OK)
        return rc;
    return store_q_exec(
        st,
        "UPDATE identities SET handle = ?3 WHERE channel = ?1 AND ext_id = ?2"
        " AND handle <> ?3",
        STORE_ARGS(store_text(channel), store_text(ext_id), store_text(handle ? handle : "")),
        NULL);
}

int store_identity_handle(struct store *st, int64_t person_id, const char *channel, char *out,
                          size_t n)
{
    return store_q_text(st,
                        "SELECT handle FROM identities WHERE person_id = ?1 AND channel = ?2"
                        " AND handle <> '' AND blocked = 0 ORDER BY last_seen DESC LIMIT 1",
                        STORE_ARGS(store_int(person_id), store_text(channel)), out, n);
}

int store_identity_set_blocked(struct store *st, const char *channel, const char *ext_id,
                               int blocked, int64_t now)
{
    return store_q_change(st,
                          "UPDATE identities SET blocked = ?3, blocked_at = CASE WHEN ?3 THEN ?4"
                          " END WHERE channel = ?1 AND ext_id = ?2",
                          STORE_ARGS(store_text(channel), store_text(ext_id),
                                     store_int(blocked ? 1 : 0), store_int(now)));
}

/* ---- invites ----------------------------------------------------------- */

int store_invite_add(struct store *st, int64_t person_id, const char *code_hash, int64_t now,
                     int64_t expires_at)
{
    int64_t gone = 0;
    if (!code_hash || !*code_hash)
        return BB_EINVAL;
    if (store_q_int64(st, "SELECT deactivated_at FROM people WHERE id = ?1",
                      STORE_ARGS(store_int(person_id)), &gone) == BB_OK &&
        gone) {
        store_seterr(st, "the person is deactivated: no invite");
        return BB_EPERM;
    }
    return store_q_exec(st,
                        "INSERT INTO invites (code_hash, person_id, created_at, expires_at)"
                        " VALUES (?1, ?2, ?3, ?4)",
                        STORE_ARGS(store_text(code_hash), store_int(person_id), store_int(now),
                                   store_int(expires_at)),
                        NULL);
}

int store_invite_redeem(struct store *st, const char *code_hash, int64_t now, int64_t *person_id)
{
    int64_t id = 0, pid = 0, expires = 0;
    int64_t *const cols[] = {&id, &pid, &expires};
    int rc;
    if (!code_hash)
        return BB_EINVAL;
    rc = store_begin(st);
    if (rc)
        return rc;
    rc = store_q_ints(st,
                      "SELECT id, person_id, expires_at FROM invites WHERE code_hash = ?1"
                      " AND used_at IS NULL AND revoked_at IS NULL",
                      STORE_ARGS(store_text(code_hash)), cols, 3);
    if (rc == BB_OK && now >= expires)
        rc = BB_EEXPIRED;
    if (rc == BB_OK)
        rc = store_q_change(st, "UPDATE invites SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL",
                            STORE_ARGS(store_int(id), store_int(now)));
    if (rc == BB_OK)
        *person_id = pid;
    return store_tx_end(st, rc);
}

/* ---- consents ---------------------------------------------------------- */

int store_consent_set(struct store *st, int64_t person_id, const char *purpose, int granted,
                      int64_t now)
{
    if (!purpose || !*purpose)
        return BB_EINVAL;
    return store_q_exec(
        st, "INSERT INTO consents (person_id, purpose, granted, at) VALUES (?1, ?2, ?3, ?4)",
        STORE_ARGS(store_int(person_id), store_text(purpose), store_int(granted ? 1 : 0),
                   store_int(now)),
        NULL);
}

int store_consent_get(struct store *st, int64_t person_id, const char *purpose, int *granted)
{
    int64_t g = 0;
    int rc = store_q_int64(st,
                           "SELECT granted FROM consents WHERE person_id = ?1 AND purpose = ?2"
                           " ORDER BY id DESC LIMIT 1",
                           STORE_ARGS(store_int(person_id), store_text(purpose)), &g);
    if (rc == BB_ENOTFOUND) {
        *granted = -1;
        return BB_OK;
    }
    if (rc == BB_OK)
        *granted = g ? 1 : 0;
    return rc;
}

struct consents_of {
    const char *const *purposes;
    int n;
    int *granted;
};

static int map_consent(sqlite3_stmt *s, void *ctx)
{
    struct consents_of *c = ctx;
    const char *purpose = (const char *)sqlite3_column_text(s, 0);
    for (int i = 0; purpose && i < c->n; i++)
        if (strcmp(purpose, c->purposes[i]) == 0)
            c->granted[i] =
                sqlite3_column_int(s, 1) ? 1 : 0; /* rows oldest first: the newest wins */
    return BB_OK;
}

int store_consent_all(struct store *st, int64_t person_id, const char *const *purposes, int n,
                      int *granted)
{
    struct consents_of c = {purposes, n, granted};
    for (int i = 0; i < n; i++)
        granted[i] = -1;
    return store_q_each(st,
                        "SELECT purpose, granted FROM consents WHERE person_id = ?1 ORDER BY id",
                        STORE_ARGS(store_int(person_id)), map_consent, &c);
}

/* ---- audit ------------------------------------------------------------- */

int store_audit(struct store *st, const char *actor, const char *action, int64_t subject_person,
                const char *detail, int64_t now)
{
    if (!actor || !action || !*action)
        return BB_EINVAL;
    return store_q_exec(st,
                        "INSERT INTO audit_log (at, actor, action, subject_person, detail)"
                        " VALUES (?1, ?2, ?3, ?4, ?5)",
                        STORE_ARGS(store_int(now), store_text(actor), store_text(action),
                                   store_int(subject_person), store_text(detail ? detail : "")),
                        NULL);
}
