/*
 * learn_report.h - HR's learning report (issue 15 item 5, docs/learning.md
 * "For HR"): learning needs by unit and competency, catalogue gaps (needs
 * with no offered item), and completion and JP progress per unit, all under
 * the anonymity threshold k of surveys. One code path for `bimbing
 * learning report` (learn_cli.c) and the dashboard (adapters/admin/
 * admin_learning.c): build, then print, JSON or CSV.
 *
 * The rule (the same as surveys, docs/surveys.md): a group is shown only
 * when it holds at least k people. A unit whose group is smaller, and
 * people without a unit, are pooled per competency (per table) into one
 * "other units" row, shown when the pool holds k, else suppressed. A
 * suppressed row carries no figure and counts in no other figure (the
 * catalogue gaps sum shown rows only), so no two figures can be subtracted
 * to find a small group. With one unit asked for there is no pool: the
 * unit's rows below k are suppressed.
 *
 * Thread rules: the thread that owns the struct store. Pure apart from the
 * store reads; no clock (now is passed in).
 */
#ifndef LEARN_REPORT_H
#define LEARN_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "store/store.h"

#define LEARN_JP20_MIN   900        /* 20 JP of 45 minutes */
#define LEARN_REPORT_TZ  (7 * 3600) /* the year is counted in WIB (UTC+7) */
#define LEARN_CSV_MAX    (16u << 20)
#define LEARN_OTHER_UNIT "(other units)"

struct learn_need_row {
    char unit[128]; /* "" for the pooled row */
    char comp[64];
    int other;       /* the pooled "other units" row */
    int suppressed;  /* fewer than k people: people and gap_sum are 0 */
    int64_t people;  /* people whose target is above their level */
    int64_t gap_sum; /* sum of target - current over them */
};

struct learn_gap_row {
    char comp[64];
    int64_t people, gap_sum; /* over the shown rows of the needs table */
};

struct learn_unit_row {
    char unit[128];
    int other, suppressed; /* as above; a suppressed row's figures are 0 */
    int64_t people;        /* active people */
    int64_t in_progress;   /* items started and not yet ended */
    int64_t done, dropped; /* items ended this year */
    int64_t at20;          /* people with 20 JP or more this year */
    int64_t median_jp10;   /* the median of this year's JP, in tenths */
};

struct learn_report {
    int k;
    int64_t year;
    char unit[128]; /* "" for every unit */
    struct learn_need_row *needs;
    int nneeds;
    struct learn_gap_row *gaps; /* most people first, then by competency */
    int ngaps;
    struct learn_unit_row *units;
    int nunits;
};

/* Build the report for every unit (unit NULL or "") or one unit as stored
 * (resolve what a person typed with people_segment_resolve first). k >= 1.
 * Free with learn_report_free (also after an error). */
int learn_report_build(struct store *st, int k, int64_t now, const char *unit,
                       struct learn_report *r);
void learn_report_free(struct learn_report *r);

/* The report as JSON (docs/api.md, GET /learning/report): *out owned by
 * the caller. */
int learn_report_json(const struct learn_report *r, cJSON **out);

/* Tables for learn_report_csv. */
#define LEARN_T_NEEDS    1u
#define LEARN_T_GAPS     2u
#define LEARN_T_PROGRESS 4u
#define LEARN_T_ALL      7u
/* The tables as one CSV (header row; with more than one table a first
 * column `table` says which, and each row fills its table's columns).
 * *out malloc'd (free()), *len its length. */
int learn_report_csv(const struct learn_report *r, unsigned tables, char **out, size_t *len);

/* The report as text for a terminal. */
void learn_report_print(FILE *f, const struct learn_report *r);

#endif
