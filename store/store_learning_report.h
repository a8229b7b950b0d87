/*
 * store_learning_report.h - the rows HR's learning report is built from
 * (bot/domain/learning/learn_report.c, docs/learning.md "For HR"): the
 * learning needs of every active person counted per unit and competency,
 * and one row per active person with this year's JP and plan counts. No
 * row names a person; the report applies the anonymity threshold.
 *
 * Same thread rules and error codes as store.h.
 */
#ifndef STORE_LEARNING_REPORT_H
#define STORE_LEARNING_REPORT_H

#include <stdint.h>

#include "store/store.h"

#define STORE_LEARN_CELLS_MAX 100000 /* unit x competency cells read at once */

/* People of one unit whose profile has target > current for one
 * competency, and the sum of their gaps (target - current). */
struct store_learn_cell {
    char unit[128];
    char comp[64];
    int64_t people, gap_sum;
};
/* Every cell, ordered by competency, then unit; only active people
 * (not deactivated); unit "" (NULL or "") for every unit, else that unit
 * only. *out malloc'd (free(); NULL for none); BB_ELIMIT past the cap. */
int store_learning_need_cells(struct store *st, const char *unit, struct store_learn_cell **out,
                              int *n);

/* One active person: their unit, this year's JP minutes (the /jp sources,
 * days in [from, to)), their item in progress (0/1), and the items they
 * finished and dropped with ended_at in [t0, t1). */
struct store_learn_person_row {
    char unit[128];
    int64_t minutes;
    int64_t started, done, dropped;
};
/* Each row to fn(ctx, row) (row valid during the call only), ordered by
 * unit, then minutes; unit as above; from/to are YYYY-MM-DD. fn returns
 * BB_OK to go on, else the walk ends with its code. */
typedef int (*store_learn_person_fn)(void *ctx, const struct store_learn_person_row *row);
int store_learning_person_each(struct store *st, const char *unit, const char *from, const char *to,
                               int64_t t0, int64_t t1, store_learn_person_fn fn, void *ctx);

#endif
