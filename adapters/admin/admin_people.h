/*
 * admin_people.h - the HR dashboard's people endpoints (docs/api.md,
 * "People"): the list with search, filters and paging, a person's page,
 * role change, deactivation, the export download and the erasure with a
 * typed confirmation. Rows in routes[] (adapters/admin/admin.c) name these;
 * the business logic is bot/domain/people/people_admin.c, the CLI's.
 */
#ifndef ADMIN_PEOPLE_H
#define ADMIN_PEOPLE_H

#include "adapters/admin/admin_call.h"

void admin_people_list(const struct admin_call *c);       /* GET /people */
void admin_people_get(const struct admin_call *c);        /* GET /people/NIP */
void admin_people_role(const struct admin_call *c);       /* PUT /people/NIP/role */
void admin_people_deactivate(const struct admin_call *c); /* POST /people/NIP/deactivate */
void admin_people_export(const struct admin_call *c);     /* GET /people/NIP/export */
void admin_people_erase(const struct admin_call *c);      /* POST /people/NIP/erase */

#endif
