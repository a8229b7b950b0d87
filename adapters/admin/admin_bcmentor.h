/*
 * admin_bcmentor.h - the HR dashboard's routes for broadcasts (compose in
 * two languages, preview, a broadcast's page, cancel) and mentoring (end or
 * reject a pairing with a reason, a mentor's capacity and pause, programme
 * figures per unit). Issue 13, items 5 and 6. Called only by admin.c's
 * route rows, on the core thread inside an API request, after admin.c has
 * checked the session, the role of the row and the CSRF header.
 */
#ifndef ADMIN_BCMENTOR_H
#define ADMIN_BCMENTOR_H

#include "adapters/net/http.h"
#include "bot/core/domain.h"

#include "adapters/admin/admin_call.h"

/* Shapes in docs/api.md. */
void admin_bc_compose(const struct admin_call *c); /* POST /broadcasts */
void admin_bc_preview(const struct admin_call *c); /* POST /broadcasts/preview */
void admin_bc_detail(const struct admin_call *c);  /* GET /broadcasts/ID/detail */
void admin_bc_cancel(const struct admin_call *c);  /* POST /broadcasts/ID/cancel */
void admin_mt_mentors(const struct admin_call *c); /* GET /mentoring/mentors */
void admin_mt_mentor(const struct admin_call *c);  /* PUT /mentoring/mentors/NIP */
void admin_mt_end(const struct admin_call *c);     /* POST /mentoring/pairs/ID/end */
void admin_mt_reject(const struct admin_call *c);  /* POST /mentoring/suggestions/NIP/reject */
void admin_mt_figures(const struct admin_call *c); /* GET /mentoring/figures */

#endif
