/*
 * admin_invites.h - the dashboard's invite routes (docs/api.md,
 * "Invites"): each person's invite state, codes for a segment with their
 * CSV and the printable sheet's QR codes, re-issue and revoke one person's
 * code. The business logic is bot/domain/people/people_invite.c, the same
 * code path as `bimbing invite`.
 *
 * admin.c routes to these through rows of its routes[] table whose `call`
 * is one of the functions below: it checks the session, the role and the
 * CSRF header first, then hands over a struct admin_call.
 *
 * Threads: core thread only (inside an API request).
 */
#ifndef ADMIN_INVITES_H
#define ADMIN_INVITES_H

#include "adapters/net/http.h"
#include "adapters/admin/admin_call.h"
#include "bot/core/domain.h"

/* GET /invites[?unit=NAME&state=STATE] */
void admin_invites_list(const struct admin_call *c);
/* POST /invites {"to": SEGMENT[, "ttl": "14d"]} */
void admin_invites_issue(const struct admin_call *c);
/* POST /invites/NIP/reissue */
void admin_invites_reissue(const struct admin_call *c);
/* POST /invites/NIP/revoke */
void admin_invites_revoke(const struct admin_call *c);

#endif
