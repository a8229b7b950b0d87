/*
 * people_segment.h - the one parser and checker of segments, who a survey
 * wave, a broadcast or a bulk invite goes to: "all", "unit=NAME",
 * "role=ROLE". Every place that takes a segment (the CLI, the dashboard's
 * API, the chat's /siaran) resolves it here, so a typo is refused the same
 * way everywhere: units and roles match without regard to case ("unit=biro
 * sdm" is the unit "Biro SDM"), an unknown one is refused with the known
 * ones named and, for a near miss, "did you mean 'Biro SDM'?" (edit
 * distance), and a segment with nobody in it is refused too.
 *
 * Thread rules: the thread that owns the struct store. Nothing is kept
 * between calls.
 */
#ifndef PEOPLE_SEGMENT_H
#define PEOPLE_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define PEOPLE_SEG_VALUE_MAX 128 /* a unit name or role, with its NUL */
#define PEOPLE_SEG_SPEC_MAX  (PEOPLE_SEG_VALUE_MAX + 8)
#define PEOPLE_SEG_MSG_MAX   256 /* the English refusal, known units included */

/* Why a segment was refused. */
enum people_seg_err {
    PEOPLE_SEG_OK = 0,
    PEOPLE_SEG_SYNTAX, /* not all, unit=NAME or role=ROLE */
    PEOPLE_SEG_UNIT,   /* no person has that unit */
    PEOPLE_SEG_ROLE,   /* not one of people_roles */
    PEOPLE_SEG_EMPTY,  /* a valid segment with nobody in it */
};

struct people_segment {
    int kind;                         /* enum store_seg_kind */
    char value[PEOPLE_SEG_VALUE_MAX]; /* the unit as stored, or the role; "" for all */
    char spec[PEOPLE_SEG_SPEC_MAX];   /* canonical: "all", "unit=Biro SDM", "role=hr" */
    int64_t total, reachable;         /* people in it, and of them those with a chat */
    /* when refused (people_segment_resolve returned BB_EINVAL): */
    int err;                            /* enum people_seg_err */
    char given[PEOPLE_SEG_VALUE_MAX];   /* the unit or role asked for (cut to fit) */
    char suggest[PEOPLE_SEG_VALUE_MAX]; /* the nearest known one; "" when none is near */
    char msg[PEOPLE_SEG_MSG_MAX];       /* the reason in English, for the CLI and the API */
};

/* The roles a person may have (people import), NULL-terminated. */
extern const char *const people_roles[];

/* Resolve spec into seg. BB_OK: seg->kind, value, spec, total and
 * reachable are set and total > 0. BB_EINVAL: refused, seg->err, given,
 * suggest and msg say why. Other errors come from the store. */
int people_segment_resolve(struct store *st, const char *spec, struct people_segment *seg);

/* The edit distance of a and b (optimal string alignment: insert, delete,
 * replace, swap two neighbours), ASCII letters folded to lower case; each
 * string counts at most its first PEOPLE_SEG_VALUE_MAX - 1 bytes. */
int people_segment_distance(const char *a, const char *b);

/* The nearest of the n names (cands[i]) to s, or NULL when none is near
 * enough to suggest: at most 1 edit for up to 4 bytes, 2 up to 8, else 3;
 * or else the one name that holds s (at least 3 bytes), without regard to
 * case. Ties go to the first. */
const char *people_segment_nearest(const char *s, const char *const *cands, int n);

#endif
