/*
 * admin_learning.h - the dashboard's learning routes (docs/api.md,
 * "Learning"): HR's learning report with its CSV per table, and the
 * catalogue (list, upload a CSV, retire an item). The business logic is
 * bot/domain/learning/ (learn_report.c, learn_catalog.c), the same code
 * paths as `bimbing learning report` and `bimbing catalog`.
 *
 * admin.c routes to these through rows of its routes[] table (ADMIN_EXT):
 * it checks the session, the role and the CSRF header first, then hands
 * over a struct admin_call.
 *
 * Threads: core thread only (inside an API request).
 */
#ifndef ADMIN_LEARNING_H
#define ADMIN_LEARNING_H

#include "adapters/admin/admin_call.h"

/* The largest catalogue upload (learn.h LEARN_CAT_MAX_BYTES). */
#define ADMIN_LEARN_UPLOAD_MAX (4u * 1024 * 1024)

/* GET /learning/report[?unit=NAME] */
void admin_learning_report(const struct admin_call *c);
/* GET /learning/report/csv?table=needs|gaps|progress[&unit=NAME] */
void admin_learning_report_csv(const struct admin_call *c);
/* GET /learning/catalog */
void admin_learning_catalog(const struct admin_call *c);
/* POST /learning/catalog/import (the CSV file as the body) */
void admin_learning_import(const struct admin_call *c);
/* POST /learning/catalog/ID/retire */
void admin_learning_retire(const struct admin_call *c);

#endif
