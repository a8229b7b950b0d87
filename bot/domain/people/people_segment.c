/*
 * people_segment.c - the one segment parser and checker (people_segment.h):
 * "all", "unit=NAME", "role=ROLE" resolved against the people in the store,
 * case-insensitively, with "did you mean" for near misses. Called by the
 * survey module (CLI, dashboard API, chat broadcasts) and by anything else
 * that sends to a segment.
 */
#include "bot/domain/people/people_segment.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/bb.h"
#include "store/store_survey.h"

const char *const people_roles[] = {"employee", "mentor", "hr", "admin", "counsellor", NULL};

static int fold(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int same_fold(const char *a, const char *b)
{
    while (*a && fold((unsigned char)*a) == fold((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

/* Does hay hold needle (case folded)? */
static int holds_fold(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && fold((unsigned char)hay[i]) == fold((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

static int min3(int a, int b, int c)
{
    int m = a < b ? a : b;
    return m < c ? m : c;
}

int people_segment_distance(const char *a, const char *b)
{
    enum { M = PEOPLE_SEG_VALUE_MAX };
    int row[3][M]; /* rows i-2, i-1 and i of the table, as row[i % 3] */
    size_t la = strnlen(a, M - 1), lb = strnlen(b, M - 1);
    for (size_t j = 0; j <= lb; j++)
        row[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int *cur = row[i % 3], *prev = row[(i - 1) % 3], *prev2 = row[(i + 1) % 3];
        int ca = fold((unsigned char)a[i - 1]);
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cb = fold((unsigned char)b[j - 1]);
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb));
            if (i > 1 && j > 1 && ca == fold((unsigned char)b[j - 2]) &&
                fold((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < cur[j])
                cur[j] = prev2[j - 2] + 1;
        }
    }
    return row[la % 3][lb];
}

const char *people_segment_nearest(const char *s, const char *const *cands, int n)
{
    size_t len = strlen(s);
    int limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    int best = limit + 1, holders = 0;
    const char *pick = NULL, *holder = NULL;
    for (int i = 0; i < n; i++) {
        int d = people_segment_distance(s, cands[i]);
        if (d < best) {
            best = d;
            pick = cands[i];
        }
        if (len >= 3 && holds_fold(cands[i], s)) {
            holders++;
            holder = cands[i];
        }
    }
    if (pick)
        return pick;
    return holders == 1 ? holder : NULL;
}

/* "A, B, C" into out (n bytes), as many names as fit, then "and N more". */
static void name_list(const char *const *names, int count, char *out, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < count; i++) {
        char more[40];
        size_t len = strlen(names[i]);
        bb_snprintf(more, sizeof(more), " and %d more", count - i);
        if (used + len + 2 + strlen(more) + 1 > n) {
            bb_strlcpy(out + used, more, n - used);
            return;
        }
        if (i) {
            memcpy(out + used, ", ", 2);
            used += 2;
        }
        memcpy(out + used, names[i], len + 1);
        used += len;
    }
}

/* The refusal for an unknown unit or role: the names known, the nearest. */
static int refuse_unknown(struct people_segment *seg, int err, const char *what,
                          const char *const *names, int count)
{
    char list[PEOPLE_SEG_MSG_MAX - 64], near[PEOPLE_SEG_VALUE_MAX + 24] = "";
    const char *n = people_segment_nearest(seg->given, names, count);
    seg->err = err;
    if (n) {
        bb_strlcpy(seg->suggest, n, sizeof(seg->suggest));
        bb_snprintf(near, sizeof(near), "did you mean '%s'? ", n);
    }
    name_list(names, count, list, sizeof(list));
    if (count == 0)
        bb_snprintf(seg->msg, sizeof(seg->msg), "no %s '%s': nobody has a %s yet", what, seg->given,
                    what);
    else
        (void)bb_snprintf(seg->msg, sizeof(seg->msg), "no %s '%s'; %sknown %ss: %s", what,
                          seg->given, near, what, list);
    return BB_EINVAL;
}

/* Copy s without the spaces around it into out (n bytes). */
static void trimmed(const char *s, char *out, size_t n)
{
    while (*s == ' ' || *s == '\t')
        s++;
    bb_strlcpy(out, s, n);
    size_t len = strlen(out);
    while (len && (out[len - 1] == ' ' || out[len - 1] == '\t'))
        out[--len] = '\0';
}

static int resolve_unit(struct store *st, struct people_segment *seg)
{
    struct store_unit_count *u = NULL;
    const char **names = NULL;
    int n = 0, rc, found = -1;
    if ((rc = store_segment_units(st, &u, &n)) != BB_OK)
        return rc;
    if (n > 0 && !(names = malloc((size_t)n * sizeof(*names)))) {
        free(u);
        return BB_ENOMEM;
    }
    for (int i = 0; i < n; i++) {
        names[i] = u[i].unit;
        if (!strcmp(u[i].unit, seg->given))
            found = i; /* the exact spelling wins over another case */
        else if (found < 0 && same_fold(u[i].unit, seg->given))
            found = i;
    }
    if (found >= 0) {
        bb_strlcpy(seg->value, u[found].unit, sizeof(seg->value));
        rc = BB_OK;
    } else {
        rc = refuse_unknown(seg, PEOPLE_SEG_UNIT, "unit", names, n);
    }
    free(names);
    free(u);
    return rc;
}

static int resolve_role(struct people_segment *seg)
{
    int count = 0;
    while (people_roles[count])
        count++;
    for (int i = 0; i < count; i++) {
        if (same_fold(people_roles[i], seg->given)) {
            bb_strlcpy(seg->value, people_roles[i], sizeof(seg->value));
            return BB_OK;
        }
    }
    return refuse_unknown(seg, PEOPLE_SEG_ROLE, "role", people_roles, count);
}

int people_segment_resolve(struct store *st, const char *spec, struct people_segment *seg)
{
    char s[PEOPLE_SEG_SPEC_MAX + 16];
    int rc;
    assert(st && seg);
    memset(seg, 0, sizeof(*seg));
    if (!spec || strlen(spec) >= sizeof(s) || !bb_utf8_valid(spec, strlen(spec))) {
        seg->err = PEOPLE_SEG_SYNTAX;
        bb_strlcpy(seg->msg, "a segment is all, unit=NAME or role=ROLE", sizeof(seg->msg));
        return BB_EINVAL;
    }
    trimmed(spec, s, sizeof(s));
    if (same_fold(s, "all")) {
        seg->kind = STORE_SEG_ALL;
        bb_strlcpy(seg->spec, "all", sizeof(seg->spec));
    } else if ((!strncasecmp(s, "unit=", 5) || !strncasecmp(s, "role=", 5)) && s[5]) {
        int unit = fold((unsigned char)s[0]) == 'u';
        trimmed(s + 5, seg->given, sizeof(seg->given));
        seg->kind = unit ? STORE_SEG_UNIT : STORE_SEG_ROLE;
        if (!seg->given[0])
            goto syntax;
        rc = unit ? resolve_unit(st, seg) : resolve_role(seg);
        if (rc != BB_OK)
            return rc;
        bb_snprintf(seg->spec, sizeof(seg->spec), "%s=%s", unit ? "unit" : "role", seg->value);
    } else {
        goto syntax;
    }
    rc = store_segment_count(st, seg->kind, seg->value, &seg->total, &seg->reachable);
    if (rc != BB_OK)
        return rc;
    if (seg->total <= 0) {
        seg->err = PEOPLE_SEG_EMPTY;
        bb_snprintf(seg->msg, sizeof(seg->msg), "nobody is in the segment %s", seg->spec);
        return BB_EINVAL;
    }
    return BB_OK;
syntax:
    seg->err = PEOPLE_SEG_SYNTAX;
    bb_strlcpy(seg->given, s, sizeof(seg->given));
    bb_snprintf(seg->msg, sizeof(seg->msg),
                "bad segment '%s': use all, unit=NAME or role=ROLE (%s)", seg->given,
                "employee, mentor, hr, admin, counsellor");
    return BB_EINVAL;
}
