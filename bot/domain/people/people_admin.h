/*
 * people_admin.h - what HR does to one person, one code path for the CLI
 * (`bimbing export`, `bimbing forget`, `bimbing person role|deactivate|show`)
 * and the dashboard (adapters/admin/admin_people.c): a person's page as
 * JSON, a role change, deactivating a leaver, the export and the erasure.
 * Each change writes its audit line (actor: "cli", "operator",
 * "hr:<NIP>").
 *
 * Thread rules: the thread that owns the struct store; nothing kept
 * between calls.
 */
#ifndef PEOPLE_ADMIN_H
#define PEOPLE_ADMIN_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "store/store.h"

#define PEOPLE_ACTIVITY_MAX 30 /* events on a person's page */

/* Is role one of employee, mentor, hr, admin, counsellor? */
int people_role_known(const char *role);

/* A person's page: {"person":{nip,name,unit,position,grade,role,language,
 * timezone,gender,supervisor_nip,created_at,deactivated_at},"state",
 * "channels":[...],"consents":{purpose: "given"|"refused"|"not_asked"},
 * "onboarded","mentors":[...],"mentees":[...],"invite":{state,...},
 * "activity":[{"kind","at"}]} (docs/api.md). Never a message body. */
int people_page_json(struct store *st, const struct store_person *p, int64_t now, cJSON **out);

/* Change p's role to role, as actor; by_admin 0 (HR) may neither give nor
 * take the admin role. BB_EINVAL (unknown role), BB_EPERM (the admin
 * rule), BB_ESTATE (deactivated), BB_EEXIST (already that role); a
 * message for people in err. Audit: person.role "old -> new". */
int people_set_role(struct store *st, const struct store_person *p, const char *role, int by_admin,
                    const char *actor, int64_t now, char *err, size_t errn);

/* Deactivate a leaver (store_person_deactivate): the data categories
 * whose consent the person has not given (now) are erased, the others
 * kept; *summary (malloc'd, may be NULL) says in English what was erased
 * and kept. BB_ESTATE when already deactivated. Audit:
 * person.deactivate "erased: ...; kept: ...". */
int people_deactivate(struct store *st, const struct store_person *p, const char *actor,
                      int64_t now, char **summary);

/* Everything stored about p (store_person_export), audit-logged
 * (person.export by actor, subject p). */
int people_export(struct store *st, const struct store_person *p, const char *actor, int64_t now,
                  cJSON **out);

/* Erase p and everything about them (store_person_forget, as `bimbing
 * forget`), with an audit line person.erase by actor (the NIP's SHA-256,
 * no name); *kept as store_person_forget. */
int people_erase(struct store *st, const struct store_person *p, const char *actor, int64_t now,
                 char **kept);

/* Does typed confirm p's erasure? Its NIP, or its name (any case, spaces
 * around ignored). */
int people_erase_confirmed(const struct store_person *p, const char *typed);

#endif
