/*
 * mentoring_hr.c - HR's decisions about the mentor programme and its
 * figures, one code path for `bimbing pair reject|mentor|figures` and the
 * dashboard (adapters/admin/admin_bcmentor.c): reject a proposed pair with
 * a reason, a mentor's capacity and pause, the list of mentors, and the
 * programme figures per unit with units under k folded (docs/mentoring.md).
 * Ending a pairing is mentoring_hr_end() in mentoring.c, beside the other
 * endings.
 *
 * Core thread or CLI (a domain context). cJSON trees handed out belong to
 * the caller; nothing global.
 */
#include "bot/base/bb.h"
#include "bot/domain/mentoring/mentoring.h"
#include "store/store_mentoring.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FOLD_NAME "(other units)"

static int reason_ok(const char *r)
{
    size_t n = r ? strlen(r) : 0;
    return n > 0 && n <= MENTORING_REASON_MAX && bb_utf8_valid(r, n);
}

int mentoring_hr_reject(const struct domain_ctx *d, int64_t mentee_id, const char *reason,
                        const char *actor)
{
    struct store_proposal *props = NULL;
    int64_t sid = 0;
    int n = 0, rc, found = -1;
    char detail[400];
    if (!reason_ok(reason) || !actor || !actor[0])
        return BB_EINVAL;
    if ((rc = store_suggestion_latest(d->st, &sid)) != BB_OK ||
        (rc = store_proposal_list(d->st, sid, &props, &n)) != BB_OK)
        return rc;
    for (int i = 0; i < n; i++)
        if (props[i].mentee_id == mentee_id && props[i].state == STORE_PROP_PROPOSED)
            found = i;
    if (found < 0) {
        free(props);
        return BB_ENOTFOUND;
    }
    bb_snprintf(detail, sizeof(detail), "suggestion %" PRId64 ", mentor id %" PRId64 ": %s", sid,
                props[found].mentor_id, reason);
    free(props);
    if ((rc = store_begin(d->st)) != BB_OK)
        return rc;
    rc = store_proposal_set_state(d->st, sid, mentee_id, STORE_PROP_REJECTED);
    if (rc == BB_OK)
        rc = store_audit(d->st, actor, "pair.reject", mentee_id, detail, d->now);
    if (rc != BB_OK) {
        store_rollback(d->st);
        return rc;
    }
    return store_commit(d->st);
}

int mentoring_hr_mentor(const struct domain_ctx *d, int64_t person_id, int capacity, int paused,
                        const char *actor)
{
    struct store_person p;
    char detail[64];
    int rc;
    if (capacity > MENTORING_MAX_MENTEES || capacity < -1 || paused < -1 || paused > 1 || !actor)
        return BB_EINVAL;
    if ((rc = store_person_by_id(d->st, person_id, &p)) != BB_OK)
        return rc;
    if (strcmp(p.role, "mentor") != 0)
        return BB_EPERM;
    if (capacity < 0 && paused < 0)
        return BB_OK; /* nothing asked */
    if ((rc = store_begin(d->st)) != BB_OK)
        return rc;
    rc = store_mentor_profile_put(d->st, person_id, capacity, MENTORING_DEFAULT_CAPACITY,
                                  paused < 0 ? NULL
                                  : paused   ? "paused"
                                             : "active",
                                  d->now);
    bb_snprintf(detail, sizeof(detail), "capacity %d, status %s", capacity,
                paused < 0 ? "-"
                : paused   ? "paused"
                           : "active");
    if (rc == BB_OK)
        rc = store_audit(d->st, actor, "pair.mentor", person_id, detail, d->now);
    if (rc != BB_OK) {
        store_rollback(d->st);
        return rc;
    }
    return store_commit(d->st);
}

int mentoring_admin_mentors(const struct domain_ctx *d, cJSON **out, char *err)
{
    struct store_mentor_row *v = NULL;
    int n = 0, rc;
    cJSON *o, *arr;
    (void)err;
    *out = NULL;
    if ((rc = store_mentor_rows(d->st, MENTORING_DEFAULT_CAPACITY, &v, &n)) != BB_OK)
        return rc;
    o = cJSON_CreateObject();
    arr = o ? cJSON_AddArrayToObject(o, "mentors") : NULL;
    rc = arr ? BB_OK : BB_ENOMEM;
    for (int i = 0; i < n && rc == BB_OK; i++) {
        cJSON *x = cJSON_CreateObject();
        if (!x || !cJSON_AddItemToArray(arr, x) || !cJSON_AddStringToObject(x, "nip", v[i].p.nip) ||
            !cJSON_AddStringToObject(x, "name", v[i].p.name) ||
            !cJSON_AddStringToObject(x, "unit", v[i].p.unit) ||
            !cJSON_AddNumberToObject(x, "capacity", v[i].capacity) ||
            !cJSON_AddNumberToObject(x, "active", v[i].active) ||
            !cJSON_AddBoolToObject(x, "paused", strcmp(v[i].status, "paused") == 0))
            rc = BB_ENOMEM;
    }
    free(v);
    if (rc != BB_OK) {
        cJSON_Delete(o);
        return rc;
    }
    *out = o;
    return BB_OK;
}

/* The figures with units of fewer than k mentees folded into one line,
 * the folded line last, and the total in *total. *out malloc'd. */
static int figures(const struct domain_ctx *d, int k, struct store_mfig **out, int *n,
                   struct store_mfig *total)
{
    struct store_mfig *v = NULL, fold;
    int m = 0, j = 0, folded = 0, rc;
    *out = NULL;
    *n = 0;
    memset(total, 0, sizeof(*total));
    memset(&fold, 0, sizeof(fold));
    if ((rc = store_mentoring_figures(d->st, &v, &m)) != BB_OK)
        return rc;
    for (int i = 0; i < m; i++) {
        struct store_mfig *f = &v[i];
        total->mentees += f->mentees;
        total->pairs += f->pairs;
        total->active += f->active;
        total->sessions += f->sessions;
        total->minutes += f->minutes;
        total->ratings += f->ratings;
        total->rating_sum += f->rating_sum;
        if (f->mentees >= k && f->unit[0]) {
            v[j++] = *f;
            continue;
        }
        folded = 1;
        fold.mentees += f->mentees;
        fold.pairs += f->pairs;
        fold.active += f->active;
        fold.sessions += f->sessions;
        fold.minutes += f->minutes;
        fold.ratings += f->ratings;
        fold.rating_sum += f->rating_sum;
    }
    bb_strlcpy(total->unit, "total", sizeof(total->unit));
    if (folded) {
        bb_strlcpy(fold.unit, FOLD_NAME, sizeof(fold.unit));
        v[j++] = fold; /* j <= i here: a folded row freed a slot */
    }
    *out = v;
    *n = j;
    return BB_OK;
}

static int64_t jp_tenths(int64_t minutes)
{
    return minutes <= 0 ? 0 : (minutes * 20 + 45) / 90; /* 1 JP = 45 minutes */
}

static int fig_json(cJSON *x, const struct store_mfig *f, int k)
{
    if (!cJSON_AddStringToObject(x, "unit", f->unit) ||
        !cJSON_AddNumberToObject(x, "mentees", (double)f->mentees) ||
        !cJSON_AddNumberToObject(x, "pairs", (double)f->pairs) ||
        !cJSON_AddNumberToObject(x, "active", (double)f->active) ||
        !cJSON_AddNumberToObject(x, "ended", (double)(f->pairs - f->active)) ||
        !cJSON_AddNumberToObject(x, "sessions", (double)f->sessions) ||
        !cJSON_AddNumberToObject(x, "jp", (double)jp_tenths(f->minutes) / 10.0) ||
        !cJSON_AddNumberToObject(x, "ratings", (double)f->ratings))
        return BB_ENOMEM;
    if (f->ratings >= k) {
        int64_t tenths = (f->rating_sum * 10 + f->ratings / 2) / f->ratings;
        return cJSON_AddNumberToObject(x, "rating_mean", (double)tenths / 10.0) ? BB_OK : BB_ENOMEM;
    }
    return cJSON_AddNullToObject(x, "rating_mean") ? BB_OK : BB_ENOMEM;
}

int mentoring_admin_figures(const struct domain_ctx *d, int k, cJSON **out, char *err)
{
    struct store_mfig *v = NULL, total;
    int n = 0, rc;
    cJSON *o, *arr, *t;
    (void)err;
    *out = NULL;
    if (k < 1)
        return BB_EINVAL;
    if ((rc = figures(d, k, &v, &n, &total)) != BB_OK)
        return rc;
    o = cJSON_CreateObject();
    rc = BB_ENOMEM;
    if (o && cJSON_AddNumberToObject(o, "k", k) && (arr = cJSON_AddArrayToObject(o, "units")) &&
        (t = cJSON_AddObjectToObject(o, "total"))) {
        rc = fig_json(t, &total, k);
        for (int i = 0; i < n && rc == BB_OK; i++) {
            cJSON *x = cJSON_CreateObject();
            rc = x && cJSON_AddItemToArray(arr, x) ? fig_json(x, &v[i], k) : BB_ENOMEM;
        }
    }
    free(v);
    if (rc != BB_OK) {
        cJSON_Delete(o);
        return rc;
    }
    *out = o;
    return BB_OK;
}

int mentoring_figures_print(const struct domain_ctx *d, int k)
{
    struct store_mfig *v = NULL, total;
    int n = 0, rc;
    if ((rc = figures(d, k, &v, &n, &total)) != BB_OK)
        return rc;
    printf("mentoring by the mentee's unit (units under k=%d mentees folded):\n", k);
    printf("%-32s %7s %5s %6s %5s %8s %6s %7s %6s\n", "unit", "mentees", "pairs", "active", "ended",
           "sessions", "JP", "ratings", "mean");
    for (int i = 0; i <= n; i++) {
        const struct store_mfig *f = i < n ? &v[i] : &total;
        int64_t jp = jp_tenths(f->minutes);
        char mean[16] = "-";
        if (f->ratings >= k) {
            int64_t tenths = (f->rating_sum * 10 + f->ratings / 2) / f->ratings;
            bb_snprintf(mean, sizeof(mean), "%" PRId64 ".%" PRId64, tenths / 10, tenths % 10);
        }
        printf("%-32s %7" PRId64 " %5" PRId64 " %6" PRId64 " %5" PRId64 " %8" PRId64 " %4" PRId64
               ".%" PRId64 " %7" PRId64 " %6s\n",
               f->unit, f->mentees, f->pairs, f->active, f->pairs - f->active, f->sessions, jp / 10,
               jp % 10, f->ratings, mean);
    }
    free(v);
    return BB_OK;
}
