/*
 * people_invite.c - invite codes one by one and by segment (see
 * people_invite.h). Called by the CLI (adapters/service/main.c) and the
 * dashboard's API (adapters/admin/admin_invites.c).
 */
#include "bot/domain/people/people_invite.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static const char *const states[] = {"onboarded", "linked",  "invited",
                                     "expired",   "revoked", "not_invited"};

static int issue(struct store *st, int64_t pid, int64_t ttl, int64_t now, const char *actor,
                 struct people_invite *inv)
{
    int rc = store_invite_revoke(st, pid, now, NULL);
    if (rc == BB_OK)
        rc = reg_invite(st, pid, ttl, now, inv->code, sizeof(inv->code));
    if (rc == BB_OK)
        rc = store_audit(st, actor, "invite", pid, "", now);
    inv->person_id = pid;
    inv->expires_at = now + ttl;
    return rc;
}

int people_invite_segment(struct store *st, const char *spec, int64_t ttl, int64_t now,
                          const char *actor, struct people_segment *seg, people_invite_fn fn,
                          void *ctx, int *issued)
{
    struct store_invitable *who = NULL;
    struct people_invite *inv;
    int n = 0, rc;

    *issued = 0;
    if (ttl < 60 || !actor)
        return BB_EINVAL;
    rc = people_segment_resolve(st, spec, seg);
    if (rc != BB_OK)
        return rc;
    if (!(inv = calloc(1, sizeof(*inv))))
        return BB_ENOMEM;
    rc = store_begin(st);
    if (rc == BB_OK)
        rc = store_invite_candidates(st, seg->kind, seg->value, &who, &n);
    for (int i = 0; rc == BB_OK && i < n; i++) {
        memset(inv, 0, sizeof(*inv));
        bb_strlcpy(inv->nip, who[i].nip, sizeof(inv->nip));
        bb_strlcpy(inv->name, who[i].name, sizeof(inv->name));
        bb_strlcpy(inv->unit, who[i].unit, sizeof(inv->unit));
        rc = issue(st, who[i].id, ttl, now, actor, inv);
        if (rc == BB_OK && fn)
            rc = fn(ctx, inv, i, n);
    }
    if (rc == BB_OK) {
        char detail[PEOPLE_SEG_SPEC_MAX + 32];
        bb_snprintf(detail, sizeof(detail), "%s: %d code(s)", seg->spec, n);
        rc = store_audit(st, actor, "invite.bulk", 0, detail, now);
    }
    if (rc == BB_OK)
        rc = store_commit(st);
    else
        (void)store_rollback(st);
    if (rc == BB_OK)
        *issued = n;
    free(who);
    free(inv);
    return rc;
}

int people_invite_person(struct store *st, const char *nip, int64_t ttl, int64_t now,
                         const char *actor, struct people_invite *inv)
{
    struct store_person p;
    int rc;
    memset(inv, 0, sizeof(*inv));
    if (!nip || ttl < 60 || !actor)
        return BB_EINVAL;
    rc = store_person_by_nip(st, nip, &p);
    if (rc != BB_OK)
        return rc;
    bb_strlcpy(inv->nip, p.nip, sizeof(inv->nip));
    bb_strlcpy(inv->name, p.name, sizeof(inv->name));
    bb_strlcpy(inv->unit, p.unit, sizeof(inv->unit));
    rc = store_begin(st);
    if (rc != BB_OK)
        return rc;
    rc = issue(st, p.id, ttl, now, actor, inv);
    if (rc == BB_OK)
        return store_commit(st);
    (void)store_rollback(st);
    return rc;
}

int people_invite_revoke(struct store *st, const char *nip, int64_t now, const char *actor,
                         int *revoked)
{
    struct store_person p;
    int rc, k = 0;
    *revoked = 0;
    if (!nip || !actor)
        return BB_EINVAL;
    rc = store_person_by_nip(st, nip, &p);
    if (rc != BB_OK)
        return rc;
    rc = store_begin(st);
    if (rc != BB_OK)
        return rc;
    rc = store_invite_revoke(st, p.id, now, &k);
    if (rc == BB_OK && k > 0)
        rc = store_audit(st, actor, "invite.revoke", p.id, "", now);
    if (rc == BB_OK) {
        rc = store_commit(st);
        if (rc == BB_OK)
            *revoked = k;
        return rc;
    }
    (void)store_rollback(st);
    return rc;
}

int people_invite_csv_row(struct bb_buf *b, const struct people_invite *inv, const char *tg_link,
                          const char *web_link)
{
    char expiry[32];
    const char *cells[] = {
        inv->nip, inv->name, inv->unit, inv->code, tg_link ? tg_link : "", web_link ? web_link : "",
        expiry};
    int rc = BB_OK;
    bb_format_iso8601(inv->expires_at, expiry, sizeof(expiry));
    for (size_t i = 0; rc == BB_OK && i < BB_ARRAY_LEN(cells); i++) {
        if (i > 0)
            rc = bb_buf_puts(b, ",");
        if (rc == BB_OK)
            rc = bb_csv_field(b, cells[i]);
    }
    return rc == BB_OK ? bb_buf_puts(b, "\r\n") : rc;
}

const char *people_invite_state(const struct store_invite_state *s, int64_t now)
{
    assert(s);
    if (s->onboarded)
        return states[0];
    if (s->channels[0])
        return states[1];
    if (!s->invited_at)
        return states[5];
    if (s->revoked_at)
        return states[4];
    if (s->used_at == 0 && s->expires_at > now)
        return states[2];
    return states[3];
}

int people_invite_state_known(const char *name)
{
    for (size_t i = 0; name && i < BB_ARRAY_LEN(states); i++)
        if (strcmp(name, states[i]) == 0)
            return 1;
    return 0;
}
