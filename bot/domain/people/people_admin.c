/*
 * people_admin.c - a person's page, role change, deactivation, export and
 * erasure (people_admin.h), for the CLI and the HR dashboard alike.
 */
#include "bot/domain/people/people_admin.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/bb.h"
#include "bot/core/consent.h"
#include "bot/flow/flow.h"
#include "store/store_people_admin.h"

#define PAGE_LINKS_MAX    20
#define PAGE_CHANNELS_MAX 8

/* Commit when rc is BB_OK, else roll back; rc or the commit's error. */
static int finish(struct store *st, int rc)
{
    if (rc == BB_OK)
        return store_commit(st);
    store_rollback(st);
    return rc;
}

int people_role_known(const char *role)
{
    static const char *const roles[] = {"employee", "mentor", "hr", "admin", "counsellor"};
    for (size_t i = 0; role && i < BB_ARRAY_LEN(roles); i++)
        if (strcmp(role, roles[i]) == 0)
            return 1;
    return 0;
}

static void add_time(cJSON *o, const char *name, int64_t t)
{
    char ts[32];
    if (!t) {
        cJSON_AddNullToObject(o, name);
        return;
    }
    bb_format_iso8601(t, ts, sizeof(ts));
    cJSON_AddStringToObject(o, name, ts);
}

static cJSON *links_json(const struct store_person_link *v, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < n; i++) {
        cJSON *x = cJSON_CreateObject();
        if (!x)
            break;
        cJSON_AddItemToArray(a, x);
        cJSON_AddStringToObject(x, "nip", v[i].nip);
        cJSON_AddStringToObject(x, "name", v[i].name);
        cJSON_AddStringToObject(x, "unit", v[i].unit);
        add_time(x, "since", v[i].since);
    }
    return a;
}

int people_page_json(struct store *st, const struct store_person *p, int64_t now, cJSON **out)
{
    struct store_person_channel ch[PAGE_CHANNELS_MAX];
    struct store_person_link mentors[PAGE_LINKS_MAX], mentees[PAGE_LINKS_MAX];
    struct store_person_event ev[PEOPLE_ACTIVITY_MAX];
    struct consent_state cs;
    char inv[16];
    int64_t gone = 0, ic, ie, iu;
    int nch = 0, nmr = 0, nme = 0, nev = 0, rc;
    cJSON *o, *x, *a;

    *out = NULL;
    rc = store_person_deactivated_at(st, p->id, &gone);
    if (rc == BB_OK)
        rc = store_person_channels(st, p->id, ch, PAGE_CHANNELS_MAX, &nch);
    if (rc == BB_OK)
        rc = store_person_mentors(st, p->id, mentors, PAGE_LINKS_MAX, &nmr);
    if (rc == BB_OK)
        rc = store_person_mentees(st, p->id, mentees, PAGE_LINKS_MAX, &nme);
    if (rc == BB_OK)
        rc = store_person_activity(st, p->id, ev, PEOPLE_ACTIVITY_MAX, &nev);
    if (rc == BB_OK)
        rc = store_person_invite_state(st, p->id, now, inv, sizeof(inv), &ic, &ie, &iu);
    if (rc == BB_OK)
        rc = consent_load(st, p->id, &cs);
    if (rc != BB_OK)
        return rc;
    if (!(o = cJSON_CreateObject()))
        return BB_ENOMEM;
    if ((x = cJSON_AddObjectToObject(o, "person"))) {
        cJSON_AddStringToObject(x, "nip", p->nip);
        cJSON_AddStringToObject(x, "name", p->name);
        cJSON_AddStringToObject(x, "unit", p->unit);
        cJSON_AddStringToObject(x, "position", p->position);
        cJSON_AddStringToObject(x, "grade", p->grade);
        cJSON_AddStringToObject(x, "role", p->role);
        cJSON_AddStringToObject(x, "language", p->lang);
        cJSON_AddStringToObject(x, "timezone", p->tz);
        cJSON_AddStringToObject(x, "gender", p->gender);
        cJSON_AddStringToObject(x, "supervisor_nip", p->supervisor_nip);
        cJSON_AddBoolToObject(x, "has_phone", p->phone[0] != '\0');
        cJSON_AddBoolToObject(x, "has_email", p->email[0] != '\0');
        add_time(x, "created_at", p->created_at);
        add_time(x, "deactivated_at", gone);
    }
    cJSON_AddStringToObject(o, "state",
                            gone                   ? "deactivated"
                            : nch > 0              ? "linked"
                            : !strcmp(inv, "open") ? "invited"
                                                   : "not_invited");
    if ((a = cJSON_AddArrayToObject(o, "channels")))
        for (int i = 0; i < nch; i++) {
            cJSON *c = cJSON_CreateObject();
            if (!c)
                break;
            cJSON_AddItemToArray(a, c);
            cJSON_AddStringToObject(c, "channel", ch[i].channel);
            cJSON_AddStringToObject(c, "handle", ch[i].handle);
            cJSON_AddBoolToObject(c, "blocked", ch[i].blocked);
            add_time(c, "linked_at", ch[i].linked_at);
            add_time(c, "last_seen", ch[i].last_seen);
        }
    if ((x = cJSON_AddObjectToObject(o, "consents")))
        for (int i = 0; i < CONSENT_N; i++)
            cJSON_AddStringToObject(x, consent_purposes[i],
                                    cs.granted[i] > 0    ? "given"
                                    : cs.granted[i] == 0 ? "refused"
                                                         : "not_asked");
    cJSON_AddBoolToObject(o, "onboarded", consent_onboarded(&cs));
    cJSON_AddItemToObject(o, "mentors", links_json(mentors, nmr));
    cJSON_AddItemToObject(o, "mentees", links_json(mentees, nme));
    if ((x = cJSON_AddObjectToObject(o, "invite"))) {
        cJSON_AddStringToObject(x, "state", inv);
        add_time(x, "created_at", ic);
        add_time(x, "expires_at", ie);
        add_time(x, "used_at", iu);
    }
    if ((a = cJSON_AddArrayToObject(o, "activity")))
        for (int i = 0; i < nev; i++) {
            cJSON *e = cJSON_CreateObject();
            if (!e)
                break;
            cJSON_AddItemToArray(a, e);
            cJSON_AddStringToObject(e, "kind", ev[i].kind);
            add_time(e, "at", ev[i].at);
        }
    *out = o;
    return BB_OK;
}

int people_set_role(struct store *st, const struct store_person *p, const char *role, int by_admin,
                    const char *actor, int64_t now, char *err, size_t errn)
{
    char detail[64];
    int64_t gone = 0;
    int rc;
    if (!people_role_known(role)) {
        bb_strlcpy(err, "role must be employee, mentor, hr, admin or counsellor", errn);
        return BB_EINVAL;
    }
    if (strcmp(p->role, role) == 0) {
        bb_snprintf(err, errn, "the role is %s already", role);
        return BB_EEXIST;
    }
    if (!by_admin && (strcmp(p->role, "admin") == 0 || strcmp(role, "admin") == 0)) {
        bb_strlcpy(err,
                   strcmp(role, "admin") == 0
                       ? "only an admin may give the admin role"
                       : "only an admin may take the admin role from a person",
                   errn);
        return BB_EPERM;
    }
    if ((rc = store_person_deactivated_at(st, p->id, &gone)) != BB_OK)
        return rc;
    if (gone) {
        bb_strlcpy(err, "the person is deactivated", errn);
        return BB_ESTATE;
    }
    if ((rc = store_begin(st)) != BB_OK)
        return rc;
    rc = store_person_set_role(st, p->id, role, now);
    bb_snprintf(detail, sizeof(detail), "%s -> %s", p->role, role);
    if (rc == BB_OK)
        rc = store_audit(st, actor, "person.role", p->id, detail, now);
    return finish(st, rc);
}

int people_deactivate(struct store *st, const struct store_person *p, const char *actor,
                      int64_t now, char **summary)
{
    struct consent_state cs;
    const char *erase[FLOW_NCAT];
    char erased[160] = "", kept[160] = "", detail[400];
    int nerase = 0, ended = 0, rc;

    if (summary)
        *summary = NULL;
    if ((rc = consent_load(st, p->id, &cs)) != BB_OK)
        return rc;
    /* a category is kept only under a consent given now */
    for (int c = 0; c < FLOW_NCAT; c++) {
        char *list;
        if (consent_for_category(c) < 0)
            continue; /* no consent covers it (anonymous surveys) */
        if (consent_allows(&cs, c))
            list = kept;
        else {
            erase[nerase++] = flow_categories[c];
            list = erased;
        }
        size_t len = strlen(list);
        bb_snprintf(list + len, 160 - len, "%s%s", len ? ", " : "", flow_categories[c]);
    }
    if ((rc = store_begin(st)) != BB_OK)
        return rc;
    rc = store_person_deactivate(st, p->id, erase, nerase, actor, now, &ended);
    bb_snprintf(detail, sizeof(detail),
                "erased: chats, invites, conversations, messages, schedule%s%s; kept: profile,"
                " consents, audit%s%s; pairings ended: %d",
                erased[0] ? ", " : "", erased, kept[0] ? ", " : "", kept, ended);
    if (rc == BB_OK)
        rc = store_audit(st, actor, "person.deactivate", p->id, detail, now);
    rc = finish(st, rc);
    if (rc == BB_OK && summary)
        *summary = strdup(detail);
    return rc;
}

int people_export(struct store *st, const struct store_person *p, const char *actor, int64_t now,
                  cJSON **out)
{
    int rc = store_person_export(st, p->id, out);
    if (rc != BB_OK)
        return rc;
    rc = store_audit(st, actor, "person.export", p->id, "", now);
    if (rc != BB_OK) {
        cJSON_Delete(*out);
        *out = NULL;
    }
    return rc;
}

int people_erase(struct store *st, const struct store_person *p, const char *actor, int64_t now,
                 char **kept)
{
    char hash[65], detail[96];
    int rc;
    if (kept)
        *kept = NULL;
    bb_sha256_hex(p->nip, strlen(p->nip), hash);
    bb_snprintf(detail, sizeof(detail), "nip_sha256=%s", hash);
    if ((rc = store_begin(st)) != BB_OK)
        return rc;
    rc = store_person_forget(st, p->id, now, kept);
    if (rc == BB_OK)
        rc = store_audit(st, actor, "person.erase", 0, detail, now);
    rc = finish(st, rc);
    if (rc != BB_OK && kept) {
        free(*kept);
        *kept = NULL;
    }
    return rc;
}

int people_erase_confirmed(const struct store_person *p, const char *typed)
{
    char t[256];
    size_t n;
    if (!typed)
        return 0;
    while (*typed == ' ' || *typed == '\t')
        typed++;
    if (bb_strlcpy(t, typed, sizeof(t)) != BB_OK)
        return 0;
    n = strlen(t);
    while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
        t[--n] = '\0';
    if (!n)
        return 0;
    return strcmp(t, p->nip) == 0 || strcasecmp(t, p->name) == 0;
}
