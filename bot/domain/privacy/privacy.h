/*
 * privacy.h - a person's rights in the chat and retention, as a domain
 * module (bot/core/domain.h):
 *   privacy_export   flow action: the person's full export (the same
 *                    store_person_export as `bimbing export`) sent to them as
 *                    a JSON document in their chat, audit-logged
 *   privacy_erase    flow action: records an erasure request, due
 *                    `privacy.erasure_after` (at most 72 h) later, and tells
 *                    the person when
 *   tick             carries out due requests (store_person_forget, the same
 *                    as `bimbing forget`) unless HR holds them, then runs the
 *                    retention purge in bounded batches (once an hour, or
 *                    again at once while a batch came back full)
 *   cmds             `bimbing erasure list|hold|release`, `bimbing purge`
 * The dashboard API (adapters/admin) calls privacy_erasure_hold/release
 * and privacy_erasure_json, the same code as the CLI. See docs/privacy.md.
 *
 * Thread rules: core thread / CLI only; no state outside the store.
 */
#ifndef PRIVACY_H
#define PRIVACY_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "bot/core/domain.h"

extern const struct domain_module privacy_module;
extern const struct domain_cmd privacy_cmds[]; /* privacy_cli.c */

#define PRIVACY_ERASE_BATCH 20  /* requests carried out per tick */
#define PRIVACY_PURGE_BATCH 500 /* rows per category per purge pass */
#define PRIVACY_PURGE_EVERY 3600

/* Hold (with a written reason) or release a request, as actor; the person
 * is told (hold: the reason; release: the new time). BB_ENOTFOUND,
 * BB_ESTATE (not pending / not held), BB_EINVAL (empty or too long reason)
 * come with a message in err. Audit-logged. */
int privacy_erasure_hold(const struct domain_ctx *d, int64_t id, const char *actor,
                         const char *reason, char *err, size_t errn);
int privacy_erasure_release(const struct domain_ctx *d, int64_t id, const char *actor, char *err,
                            size_t errn);
/* The requests (open first) as a JSON array, for the dashboard. */
int privacy_erasure_json(const struct domain_ctx *d, cJSON **out);
/* The dashboard's hooks (privacy_api.c; adapters/admin/admin_hooks.h):
 * {"erasures":[...]}, and the request after a hold or a release. err holds
 * ADMIN_ERR_MAX (256) bytes. */
int privacy_admin_erasures(const struct domain_ctx *d, cJSON **out, char *err);
int privacy_admin_hold(const struct domain_ctx *d, int64_t id, const char *reason,
                       const char *actor, cJSON **out, char *err);
int privacy_admin_release(const struct domain_ctx *d, int64_t id, const char *actor, cJSON **out,
                          char *err);
/* Carry out due requests (at most PRIVACY_ERASE_BATCH); *n how many. */
int privacy_erase_due(const struct domain_ctx *d, int *n);
/* One purge pass with the configured retention; n[] per category (may be
 * NULL), *more when a batch was full. */
int privacy_purge(const struct domain_ctx *d, int n[STORE_KEEP_N], int *more);

#endif
