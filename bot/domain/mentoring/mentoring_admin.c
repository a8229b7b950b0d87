/*
 * mentoring_admin.c - the mentor programme's side of the HR dashboard's JSON
 * API: the hooks pair_suggest, pair_apply and pair_list of
 * adapters/admin/admin_hooks.h, as JSON trees (shapes in docs/api.md). The
 * work itself is done by bot/domain/mentoring/mentoring.c's mentoring_suggest() and
 * mentoring_apply_one(), the same functions `bimbing pair` uses.
 *
 * Core thread (inside an API request). The cJSON trees handed out belong to
 * the caller; nothing global.
 */
#include "bot/base/bb.h"
#include "bot/domain/mentoring/mentoring.h"
#include "store/store_mentoring.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* {"nip", "name", "unit"} under key; 0 on success. */
static int ma_add_person(cJSON *o, const char *key, const struct store_person *p)
{
    cJSON *x = cJSON_AddObjectToObject(o, key);
    if (!x || !cJSON_AddStringToObject(x, "nip", p->nip) ||
        !cJSON_AddStringToObject(x, "name", p->name) ||
        !cJSON_AddStringToObject(x, "unit", p->unit))
        return BB_ENOMEM;
    return BB_OK;
}

/* "fit: a, b; other unit; 2 grades senior" -> ["fit: a, b", "other unit", ...] */
static int ma_add_reasons(cJSON *o, const char *reasons)
{
    cJSON *arr = cJSON_AddArrayToObject(o, "reasons");
    const char *s = reasons;
    if (!arr)
        return BB_ENOMEM;
    while (s && *s) {
        const char *e = strchr(s, ';');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char part[256];
        while (n > 0 && s[0] == ' ') {
            s++;
            n--;
        }
        while (n > 0 && s[n - 1] == ' ')
            n--;
        if (n >= sizeof(part))
            n = sizeof(part) - 1;
        memcpy(part, s, n);
        part[n] = '\0';
        if (n > 0) {
            cJSON *str = cJSON_CreateString(part);
            if (!str)
                return BB_ENOMEM;
            cJSON_AddItemToArray(arr, str);
        }
        s = e ? e + 1 : NULL;
    }
    return BB_OK;
}

int mentoring_admin_suggest(const struct domain_ctx *d, cJSON **out, char *err)
{
    struct mentoring_suggestion s;
    cJSON *o = NULL, *arr;
    int rc;
    if (!d || !out || !err)
        return BB_EINVAL;
    *out = NULL;
    err[0] = '\0';
    if ((rc = mentoring_suggest(d->st, NULL, 1, "system", d->now, &s)) != BB_OK)
        return rc;
    o = cJSON_CreateObject();
    arr = o ? cJSON_AddArrayToObject(o, "suggestions") : NULL;
    rc = arr ? BB_OK : BB_ENOMEM;
    for (int i = 0; i < s.res.npairs && rc == BB_OK; i++) {
        const struct match_result_pair *mp = &s.res.pairs[i];
        const struct store_person *mentee = mentoring_suggestion_person(&s, mp->mentee_id);
        const struct store_person *mentor = mentoring_suggestion_person(&s, mp->mentor_id);
        cJSON *x;
        if (!mentee || !mentor)
            continue;
        x = cJSON_CreateObject();
        if (!x) {
            rc = BB_ENOMEM;
            break;
        }
        cJSON_AddItemToArray(arr, x);
        if ((rc = ma_add_person(x, "mentor", mentor)) != BB_OK ||
            (rc = ma_add_person(x, "mentee", mentee)) != BB_OK)
            break;
        if (!cJSON_AddNumberToObject(x, "score", mp->score)) {
            rc = BB_ENOMEM;
            break;
        }
        rc = ma_add_reasons(x, mp->reasons);
    }
    mentoring_suggestion_free(&s);
    if (rc != BB_OK) {
        cJSON_Delete(o);
        return rc;
    }
    *out = o;
    return BB_OK;
}

/* The person with this NIP, or BB_EINVAL with a message. */
static int ma_person(const struct domain_ctx *d, const char *nip, const char *side,
                     struct store_person *p, char *err)
{
    int rc = store_person_by_nip(d->st, nip, p);
    if (rc == BB_ENOTFOUND) {
        bb_snprintf(err, MENTORING_ERR_MAX, "no person with NIP %s (%s)", nip, side);
        return BB_EINVAL;
    }
    return rc;
}

int mentoring_admin_apply(const struct domain_ctx *d, const char *mentor_nip,
                          const char *mentee_nip, const char *actor, cJSON **out, char *err)
{
    struct store_person mentor, mentee;
    struct store_proposal *props = NULL, *pp = NULL;
    struct store_pairing pr;
    int64_t sid = 0;
    int nprops = 0, reached = 0, rc;
    char why[128];
    cJSON *o = NULL;
    if (!d || !mentor_nip || !mentee_nip || !actor || !out || !err)
        return BB_EINVAL;
    *out = NULL;
    err[0] = '\0';
    if ((rc = ma_person(d, mentor_nip, "mentor", &mentor, err)) != BB_OK ||
        (rc = ma_person(d, mentee_nip, "mentee", &mentee, err)) != BB_OK)
        goto out;
    rc = store_suggestion_latest(d->st, &sid);
    if (rc == BB_ENOTFOUND) {
        bb_snprintf(err, MENTORING_ERR_MAX,
                    "there is no suggestion yet; open the suggestions first");
        rc = BB_EINVAL;
        goto out;
    }
    if (rc != BB_OK || (rc = store_proposal_list(d->st, sid, &props, &nprops)) != BB_OK)
        goto out;
    for (int i = 0; i < nprops; i++)
        if (props[i].mentee_id == mentee.id && props[i].mentor_id == mentor.id)
            pp = &props[i];
    if (!pp) {
        bb_snprintf(err, MENTORING_ERR_MAX,
                    "%s as mentor of %s is not in the latest suggestion (%" PRId64
                    "); nothing was changed",
                    mentor.name, mentee.name, sid);
        rc = BB_EINVAL;
        goto out;
    }
    if ((rc = store_begin(d->st)) != BB_OK)
        goto out;
    rc = mentoring_apply_one(d, pp, actor, d->now, &pr, &reached, why, sizeof(why));
    if (rc == BB_OK || rc == BB_EPERM) {
        int rc2 = store_commit(d->st); /* the pairing, or the proposal marked skipped */
        if (rc2 != BB_OK)
            rc = rc2;
    } else {
        store_rollback(d->st);
    }
    if (rc == BB_EPERM) {
        bb_snprintf(err, MENTORING_ERR_MAX, "%s as mentor of %s is no longer possible: %s",
                    mentor.name, mentee.name, why);
        rc = BB_EEXIST;
        goto out;
    }
    if (rc != BB_OK)
        goto out;
    o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "id", (double)pr.id) ||
        !cJSON_AddStringToObject(o, "mentor", mentor.nip) ||
        !cJSON_AddStringToObject(o, "mentee", mentee.nip) ||
        !cJSON_AddStringToObject(o, "status", "active")) {
        cJSON_Delete(o);
        o = NULL;
        rc = BB_ENOMEM;
        goto out;
    }
    bb_log(BB_LOG_INFO, "mentoring", "pairing %" PRId64 " approved on the dashboard (%s)", pr.id,
           reached == 3 ? "both introduced" : "an introduction waits");
    *out = o;
out:
    free(props);
    return rc;
}

int mentoring_admin_list(const struct domain_ctx *d, cJSON **out, char *err)
{
    struct store_pairing *v = NULL;
    int n = 0, rc;
    cJSON *o = NULL, *arr;
    if (!d || !out || !err)
        return BB_EINVAL;
    *out = NULL;
    err[0] = '\0';
    if ((rc = store_pairing_list_active(d->st, 0, &v, &n)) != BB_OK)
        return rc;
    o = cJSON_CreateObject();
    arr = o ? cJSON_AddArrayToObject(o, "pairs") : NULL;
    rc = arr ? BB_OK : BB_ENOMEM;
    for (int i = 0; i < n && rc == BB_OK; i++) {
        struct store_person a, b;
        int count = 0;
        int64_t minutes = 0;
        char day[11], since[32];
        cJSON *x;
        if ((rc = store_person_by_id(d->st, v[i].mentee_id, &a)) != BB_OK ||
            (rc = store_person_by_id(d->st, v[i].mentor_id, &b)) != BB_OK ||
            (rc = store_msession_stats(d->st, v[i].id, &count, &minutes, day)) != BB_OK)
            break;
        bb_format_iso8601(v[i].started_at, since, sizeof(since));
        x = cJSON_CreateObject();
        if (!x) {
            rc = BB_ENOMEM;
            break;
        }
        cJSON_AddItemToArray(arr, x);
        if (!cJSON_AddNumberToObject(x, "id", (double)v[i].id) ||
            (rc = ma_add_person(x, "mentor", &b)) != BB_OK ||
            (rc = ma_add_person(x, "mentee", &a)) != BB_OK ||
            !cJSON_AddStringToObject(x, "since", since) ||
            !cJSON_AddNumberToObject(x, "sessions", count))
            rc = rc != BB_OK ? rc : BB_ENOMEM;
    }
    free(v);
    if (rc != BB_OK) {
        cJSON_Delete(o);
        return rc;
    }
    *out = o;
    return BB_OK;
}
