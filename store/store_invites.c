/*
 * store_invites.c - bulk invites in the store (see store_invites.h):
 * the people of a segment not linked yet, revoking live codes, and the
 * invite state of each person. Called by bot/domain/people/people_invite.c;
 * same thread rules as store.h.
 */
#include "store/store_invites.h"
#include "bot/base/bb.h"
#include "store/store_int.h"
#include "store/store_survey.h"

#include <stddef.h>
#include <stdlib.h>

/* The segment condition over people p; ?1 = kind, ?2 = value (as in
 * store_survey.c). */
#define INV_SEG_WHERE "(?1 = 0 OR (?1 = 1 AND p.unit = ?2) OR (?1 = 2 AND p.role = ?2))"

static int map_invitable(sqlite3_stmt *s, void *row)
{
    static const struct store_col cols[] = {
        STORE_I64(struct store_invitable, id),
        STORE_TXT(struct store_invitable, nip),
        STORE_TXT(struct store_invitable, name),
        STORE_TXT(struct store_invitable, unit),
    };
    return STORE_MAP_COLS(s, row, cols);
}

int store_invite_candidates(struct store *st, int kind, const char *value,
                            struct store_invitable **out, int *n)
{
    *out = NULL;
    *n = 0;
    if (kind != STORE_SEG_ALL && (!value || !*value))
        return BB_EINVAL;
    return store_q_grow(st,
                        "SELECT p.id, p.nip, p.name, p.unit FROM people p WHERE " INV_SEG_WHERE
                        " AND NOT EXISTS (SELECT 1 FROM identities d WHERE d.person_id = p.id)"
                        " ORDER BY p.unit, p.name, p.nip",
                        STORE_ARGS(store_int(kind), store_text(value ? value : "")), map_invitable,
                        sizeof(struct store_invitable), STORE_INVITES_MAX, NULL, (void **)out, n);
}

int store_invite_revoke(struct store *st, int64_t person_id, int64_t now, int *revoked)
{
    int changes = 0;
    int rc = store_q_exec(st,
                          "UPDATE invites SET revoked_at = ?2 WHERE person_id = ?1"
                          " AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?2",
                          STORE_ARGS(store_int(person_id), store_int(now)), &changes);
    if (revoked)
        *revoked = rc == BB_OK ? changes : 0;
    return rc;
}

static int map_state(sqlite3_stmt *s, void *row)
{
    static const struct store_col cols[] = {
        STORE_I64(struct store_invite_state, id),
        STORE_TXT(struct store_invite_state, nip),
        STORE_TXT(struct store_invite_state, name),
        STORE_TXT(struct store_invite_state, unit),
        STORE_I64(struct store_invite_state, invited_at),
        STORE_I64(struct store_invite_state, expires_at),
        STORE_I64(struct store_invite_state, used_at),
        STORE_I64(struct store_invite_state, revoked_at),
        STORE_TXT(struct store_invite_state, channels),
        STORE_INT(struct store_invite_state, onboarded),
        STORE_TXT(struct store_invite_state, consents),
    };
    return STORE_MAP_COLS(s, row, cols);
}

int store_invite_states(struct store *st, const char *unit, struct store_invite_state **out, int *n)
{
    *out = NULL;
    *n = 0;
    return store_q_grow(
        st,
        "SELECT p.id, p.nip, p.name, p.unit,"
        " coalesce(i.created_at, 0), coalesce(i.expires_at, 0), coalesce(i.used_at, 0),"
        " coalesce(i.revoked_at, 0),"
        " coalesce((SELECT group_concat(channel, ',') FROM"
        "  (SELECT DISTINCT d.channel FROM identities d WHERE d.person_id = p.id"
        "   ORDER BY d.channel)), ''),"
        " EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id AND c.purpose = 'data'),"
        " coalesce((SELECT group_concat(purpose, ',') FROM"
        "  (SELECT c.purpose, c.granted FROM consents c WHERE c.person_id = p.id"
        "   AND c.id = (SELECT max(c2.id) FROM consents c2 WHERE c2.person_id = p.id"
        "   AND c2.purpose = c.purpose) ORDER BY c.purpose) WHERE granted = 1), '')"
        " FROM people p LEFT JOIN invites i ON i.id ="
        "  (SELECT max(j.id) FROM invites j WHERE j.person_id = p.id)"
        " WHERE ?1 = '' OR p.unit = ?1 ORDER BY p.unit, p.name, p.nip",
        STORE_ARGS(store_text(unit ? unit : "")), map_state, sizeof(struct store_invite_state),
        STORE_INVITES_MAX, NULL, (void **)out, n);
}
