/*
 * mentoring.c - the mentor programme (see mentoring.h and docs/mentoring.md):
 * building the matching input from the store, introductions and ending
 * pairings, the flow actions and person fields of mentors and mentees, and
 * the tick that delivers waiting introductions and nudges pairs that have
 * not met. `bimbing pair ...` is in mentoring_cli.c, the dashboard's hooks
 * in mentoring_admin.c.
 *
 * Core thread or the CLI's only thread. Nothing global; every text sent is
 * built in a bounded struct bb_buf and handed to core_send_text().
 */
#include "bot/domain/mentoring/mentoring_int.h"
#include "bot/domain/learning/learn.h"
#include "bot/base/bb.h"
#include "bot/base/cal.h"
#include "bot/base/sapaan.h"
#include "bot/core/core.h"
#include "store/store_mentoring.h"

#include <assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_CAP   4000 /* bytes of one message this module builds */
#define TICK_BATCH 100  /* introductions or nudges per tick */
#define WEEK       (7 * 86400)

/* ---- small helpers ------------------------------------------------------------ */

int mentoring_grade_rank(const char *grade)
{
    static const char *const romans[] = {"I", "II", "III", "IV"};
    char g[16];
    size_t k = 0;
    if (!grade)
        return 0;
    /* upper case, without spaces */
    for (const char *s = grade; *s; s++) {
        if (*s == ' ' || *s == '\t')
            continue;
        if (k + 1 >= sizeof(g))
            return 0;
        g[k++] = (*s >= 'a' && *s <= 'z') ? (char)(*s - 'a' + 'A') : *s;
    }
    g[k] = '\0';
    char *slash = strchr(g, '/');
    if (!slash || slash[1] == '\0' || slash[2] != '\0')
        return 0;
    *slash = '\0';
    int gol = 0;
    for (int i = 0; i < 4; i++)
        if (strcmp(g, romans[i]) == 0)
            gol = i + 1;
    char ruang = slash[1];
    int maxr = gol == 4 ? 'E' : 'D';
    if (!gol || ruang < 'A' || ruang > maxr)
        return 0;
    return (gol - 1) * 4 + (ruang - 'A') + 1;
}

/* The name p is called by (sapaan_called: panggilan, or the first name
 * without titles). */
static void first_name(const struct store_person *p, char *out, size_t n)
{
    sapaan_called(p->panggilan, p->name, out, n);
}

void mentoring_fmt_date(const struct domain_ctx *d, const char *tz, int64_t t, int lang, int style,
                        char *out, size_t n)
{
    int off = d && d->core ? core_tz_offset(d->core, tz, t) : 7 * 3600;
    cal_format_date(cal_floor_div(t + off, 86400), lang, style, out, n);
}

void mentoring_fmt_day(const char *day, int lang, int style, char *out, size_t n)
{
    int64_t days;
    if (cal_parse_iso(day, &days) == 0)
        cal_format_date(days, lang, style, out, n);
    else
        bb_strlcpy(out, day, n);
}

/* JP as "1,3" (id) or "1.3" (en), "2" when whole (as the flows show
 * numbers): minutes / 45, one decimal, rounded down. */
static void fmt_jp(int64_t minutes, int en, char *out, size_t n)
{
    int64_t tenths = minutes * 10 / 45;
    if (tenths % 10 == 0)
        bb_snprintf(out, n, "%" PRId64, tenths / 10);
    else
        bb_snprintf(out, n, "%" PRId64 "%c%" PRId64, tenths / 10, en ? '.' : ',', tenths % 10);
}

/* Send a text in both languages; a person who never wrote to the bot cannot
 * be reached (BB_ENOTFOUND is returned for the caller to decide). */
static int send2(const struct domain_ctx *d, int64_t person_id, struct bb_buf *id,
                 struct bb_buf *en, int prio)
{
    if (!id->data || !en->data)
        return BB_ENOMEM;
    const char *t[2] = {id->data, en->data};
    return core_send_text(d->core, person_id, t, prio, 0);
}

/* As send2, but "cannot be reached" is not an error (a flow action must not
 * roll the core's batch back for it). */
static int send2_soft(const struct domain_ctx *d, int64_t person_id, struct bb_buf *id,
                      struct bb_buf *en, int prio)
{
    int rc = send2(d, person_id, id, en, prio);
    if (rc == BB_ENOTFOUND) {
        bb_log(BB_LOG_INFO, "mentoring", "person %" PRId64 " has no channel yet", person_id);
        return BB_OK;
    }
    return rc;
}

int mentoring_send_one(const struct domain_ctx *d, int64_t person_id, const char *id_text,
                       const char *en_text)
{
    const char *t[2] = {id_text, en_text};
    int rc = core_send_text(d->core, person_id, t, STORE_PRIO_LIVE, 0);
    return rc == BB_ENOTFOUND ? BB_OK : rc;
}

static int consent_share(struct store *st, int64_t mentee_id, int *yes)
{
    int g = -1;
    int rc = store_consent_get(st, mentee_id, "mentor_share", &g);
    *yes = rc == BB_OK && g == 1;
    return rc == BB_ENOTFOUND ? BB_OK : rc;
}

/* A mentee's goals: interests plus the tags of open mentor requests. */
static int goals_of(const struct store_person *p, const struct store_mentor_request *req, int nreq,
                    char **out)
{
    struct bb_buf b;
    bb_buf_init(&b, 2048);
    bb_buf_puts(&b, p->interests);
    for (int i = 0; i < nreq; i++)
        if (req[i].person_id == p->id && req[i].tags[0]) {
            if (b.len)
                bb_buf_puts(&b, ", ");
            bb_buf_puts(&b, req[i].tags);
        }
    *out = bb_buf_take(&b);
    return *out ? BB_OK : BB_ENOMEM;
}

static int has_request(int64_t pid, const struct store_mentor_request *req, int nreq)
{
    for (int i = 0; i < nreq; i++)
        if (req[i].person_id == pid)
            return 1;
    return 0;
}

/* ---- public helpers -------------------------------------------------------------- */

int mentoring_mentor_of(struct store *st, int64_t mentee_id, int64_t *mentor_id)
{
    struct store_pairing pr;
    int rc;
    if (!st || !mentor_id)
        return BB_EINVAL;
    *mentor_id = 0;
    rc = store_pairing_active_of(st, mentee_id, &pr);
    if (rc == BB_OK)
        *mentor_id = pr.mentor_id;
    return rc;
}

int mentoring_minutes_in_year(struct store *st, int64_t person_id, int year, int64_t *minutes)
{
    char a[16], b[16];
    int64_t from, to;
    if (!st || !minutes || year < 1900 || year > 9998)
        return BB_EINVAL;
    *minutes = 0;
    bb_snprintf(a, sizeof(a), "%04d-01-01", year);
    bb_snprintf(b, sizeof(b), "%04d-01-01", year + 1);
    if (bb_parse_iso8601(a, &from) != BB_OK || bb_parse_iso8601(b, &to) != BB_OK)
        return BB_EINVAL;
    return store_msession_minutes(st, person_id, from, to, minutes);
}

/* ---- the matching input -------------------------------------------------------------- */

void mentoring_input_free(struct mentoring_input *mi)
{
    if (!mi)
        return;
    if (mi->goals)
        for (int i = 0; i < mi->in.nmentees; i++)
            free(mi->goals[i]);
    free(mi->goals);
    free(mi->people);
    free(mi->everyone);
    free(mi->mentees);
    free(mi->mentors);
    free(mi->bans);
    memset(mi, 0, sizeof(*mi));
}

static void to_match_person(const struct store_person *p, struct match_person *m)
{
    memset(m, 0, sizeof(*m));
    m->id = p->id;
    m->nip = p->nip;
    m->name = p->name;
    m->unit = p->unit;
    m->lang = p->lang;
    m->grade_rank = mentoring_grade_rank(p->grade);
    m->supervisor_nip = p->supervisor_nip;
    m->tags = p->strengths;
}

int mentoring_input_build(struct store *st, const char *unit, struct mentoring_input *mi)
{
    struct store_mentor_request *req = NULL;
    struct store_pairing *ended = NULL;
    struct store_proposal *rej = NULL;
    int nreq = 0, nended = 0, nrej = 0, rc;
    memset(mi, 0, sizeof(*mi));
    match_default_weights(&mi->in.w);
    if ((rc = store_mentoring_people(st, &mi->people, &mi->npeople)) != BB_OK ||
        (rc = store_mentoring_requests(st, &req, &nreq)) != BB_OK ||
        (rc = store_pairing_list_ended(st, &ended, &nended)) != BB_OK ||
        (rc = store_proposal_rejected(st, &rej, &nrej)) != BB_OK)
        goto out;
    if (mi->npeople > MATCH_MAX_PEOPLE) {
        rc = BB_ELIMIT;
        goto out;
    }
    size_t np = mi->npeople ? (size_t)mi->npeople : 1;
    mi->everyone = calloc(np, sizeof(*mi->everyone));
    mi->mentees = calloc(np, sizeof(*mi->mentees));
    mi->mentors = calloc(np, sizeof(*mi->mentors));
    mi->goals = calloc(np, sizeof(*mi->goals));
    mi->bans = calloc((size_t)nended + (size_t)nrej + 1, sizeof(*mi->bans));
    if (!mi->everyone || !mi->mentees || !mi->mentors || !mi->goals || !mi->bans) {
        rc = BB_ENOMEM;
        goto out;
    }
    for (int i = 0; i < mi->npeople; i++) {
        const struct store_person *p = &mi->people[i];
        int64_t left = 0;
        to_match_person(p, &mi->everyone[mi->in.neveryone++]);
        rc = store_mentoring_optout_get(st, p->id, &left);
        if (rc == BB_OK)
            continue; /* left the programme (/mentor berhenti) until /mentor ikut */
        if (rc != BB_ENOTFOUND)
            goto out;
        if (strcmp(p->role, "employee") == 0) {
            struct store_pairing pr;
            if (unit && unit[0] && strcmp(p->unit, unit) != 0)
                continue;
            rc = store_pairing_active_of(st, p->id, &pr);
            if (rc == BB_OK)
                continue; /* already has a mentor */
            if (rc != BB_ENOTFOUND)
                goto out;
            if (!p->interests[0] && !has_request(p->id, req, nreq))
                continue; /* no goals and no request: not looking for a mentor */
            int k = mi->in.nmentees;
            to_match_person(p, &mi->mentees[k]);
            if ((rc = goals_of(p, req, nreq, &mi->goals[k])) != BB_OK)
                goto out;
            mi->mentees[k].tags = mi->goals[k];
            mi->in.nmentees++;
        } else if (strcmp(p->role, "mentor") == 0) {
            struct store_mentor_profile prof;
            int cap = MENTORING_DEFAULT_CAPACITY, used = 0;
            rc = store_mentor_profile_get(st, p->id, &prof);
            if (rc == BB_OK) {
                if (strcmp(prof.status, "paused") == 0)
                    continue;
                cap = prof.capacity;
            } else if (rc != BB_ENOTFOUND) {
                goto out;
            }
            if ((rc = store_pairing_count_active(st, p->id, &used)) != BB_OK)
                goto out;
            if (cap - used <= 0)
                continue;
            to_match_person(p, &mi->mentors[mi->in.nmentors]);
            mi->mentors[mi->in.nmentors++].capacity = cap - used;
        }
    }
    for (int i = 0; i < nended; i++) {
        mi->bans[i].mentee_id = ended[i].mentee_id;
        mi->bans[i].mentor_id = ended[i].mentor_id;
    }
    for (int i = 0; i < nrej; i++) { /* pairs HR rejected: never again either */
        mi->bans[nended + i].mentee_id = rej[i].mentee_id;
        mi->bans[nended + i].mentor_id = rej[i].mentor_id;
    }
    mi->in.nbans = nended + nrej;
    mi->in.mentees = mi->mentees;
    mi->in.mentors = mi->mentors;
    mi->in.everyone = mi->everyone;
    mi->in.bans = mi->bans;
    rc = BB_OK;
out:
    free(req);
    free(ended);
    free(rej);
    if (rc != BB_OK)
        mentoring_input_free(mi);
    return rc;
}

/* ---- introductions ------------------------------------------------------------------ */

static int maybe_ask_number(const struct domain_ctx *d, int64_t person_id, int64_t now);

/* One side's introduction (side 0 the mentee, 1 the mentor): sent, marked
 * in the pairing and in *got (bit 1 << side); a side that cannot be reached
 * is not an error. */
static int send_intro(const struct domain_ctx *d, const struct store_pairing *pr, int side,
                      int64_t to, struct bb_buf *id, struct bb_buf *en, int64_t now, int *got)
{
    int rc = send2(d, to, id, en, STORE_PRIO_LIVE);
    if (rc == BB_OK) {
        *got |= 1 << side;
        rc = store_pairing_set_intro(d->st, pr->id, side, now);
    }
    if (rc == BB_OK)
        rc = maybe_ask_number(d, to, now);
    return rc == BB_ENOTFOUND ? BB_OK : rc;
}

/* The person's WhatsApp number as wa.me wants it (digits only, no plus), only
 * when they gave the consent number_share; BB_ENOTFOUND otherwise (no
 * consent, no WhatsApp identity, or an id that is not a phone number). */
static int wa_number(const struct domain_ctx *d, int64_t person_id, char *out, size_t n)
{
    char ext[64];
    int g = -1, rc = store_consent_get(d->st, person_id, "number_share", &g);
    size_t k = 0;
    assert(n >= 16);
    out[0] = '\0';
    if (rc != BB_OK || g != 1)
        return rc == BB_OK || rc == BB_ENOTFOUND ? BB_ENOTFOUND : rc;
    if ((rc = store_identity_of(d->st, person_id, "whatsapp", ext, sizeof(ext))) != BB_OK)
        return rc;
    for (const char *c = ext[0] == '+' ? ext + 1 : ext; *c; c++) {
        if (*c < '0' || *c > '9' || k + 1 >= n)
            return BB_ENOTFOUND;
        out[k++] = *c;
    }
    out[k] = '\0';
    if (k < 8 || k > 15) { /* E.164: at most 15 digits */
        out[0] = '\0';
        return BB_ENOTFOUND;
    }
    return BB_OK;
}

/* Ask once, when the pairing starts, whether a WhatsApp user's number may
 * go to their partner (flow mentoring.number): only for a person with a
 * WhatsApp identity who was never asked. */
static int maybe_ask_number(const struct domain_ctx *d, int64_t person_id, int64_t now)
{
    char ext[64];
    int g = -1, rc = store_identity_of(d->st, person_id, "whatsapp", ext, sizeof(ext));
    if (rc == BB_ENOTFOUND)
        return BB_OK;
    if (rc == BB_OK)
        rc = store_consent_get(d->st, person_id, "number_share", &g);
    if (rc == BB_ENOTFOUND || (rc == BB_OK && g < 0))
        return core_start_flow(d->core, person_id, "mentoring.number", now);
    return rc;
}

/* How to reach `other` (for the introduction sent to the other side): their
 * Telegram link when they have a username, else a wa.me link when they
 * consented to share their WhatsApp number, else the offer to pass a first
 * message through the bot. Appended to id/en. */
static int contact_line(const struct domain_ctx *d, const struct store_person *other,
                        const char *first, struct bb_buf *id, struct bb_buf *en)
{
    char handle[64], who[160]; /* Indonesian names them as the register does */
    char called[64];
    first_name(other, called, sizeof(called));
    if (sapaan_casual())
        bb_strlcpy(who, called, sizeof(who)); /* santai: the first name alone */
    else
        sapaan_name(sapaan_gender(other->gender, other->nip), called, who, sizeof(who));
    int rc = store_identity_handle(d->st, other->id, "telegram", handle, sizeof(handle));
    if (rc == BB_OK) {
        bb_buf_printf(id, " Hubungi %s di Telegram: https://t.me/%s", who, handle);
        bb_buf_printf(en, " Reach %s on Telegram: https://t.me/%s", first, handle);
        return BB_OK;
    }
    if (rc != BB_ENOTFOUND)
        return rc;
    if ((rc = wa_number(d, other->id, handle, sizeof(handle))) == BB_OK) {
        bb_buf_printf(id, " Hubungi %s di WhatsApp: https://wa.me/%s", who, handle);
        bb_buf_printf(en, " Reach %s on WhatsApp: https://wa.me/%s", first, handle);
        return BB_OK;
    }
    if (rc != BB_ENOTFOUND)
        return rc;
    bb_buf_printf(
        id,
        SAPAAN_REG(" Anda juga dapat mengirim pesan pertama kepada %s lewat saya: ketik "
                   "/sapa.",
                   " Kamu juga bisa mengirim pesan pertama ke %s lewat saya: ketik /sapa."),
        who);
    bb_buf_printf(en, " You can also send %s a first message through me: type /greet.", first);
    return BB_OK;
}

/* Send what is still missing of a pairing's introduction; marks each side
 * that got it. *reached (may be NULL) gets a bit per side sent now or before
 * (1 mentee, 2 mentor). */
int mentoring_send_intros(const struct domain_ctx *d, const struct store_pairing *pr, int64_t now,
                          int *reached)
{
    struct store_person me, mo;
    struct store_mentor_request *req = NULL;
    char *goals = NULL, f1[128], f2[128], s1[160], s2[160];
    int nreq = 0, rc, got = 0;
    struct bb_buf id, en;
    bb_buf_init(&id, TEXT_CAP);
    bb_buf_init(&en, TEXT_CAP);
    if ((rc = store_person_by_id(d->st, pr->mentee_id, &me)) != BB_OK ||
        (rc = store_person_by_id(d->st, pr->mentor_id, &mo)) != BB_OK ||
        (rc = store_mentoring_requests(d->st, &req, &nreq)) != BB_OK ||
        (rc = goals_of(&me, req, nreq, &goals)) != BB_OK)
        goto out;
    first_name(&me, f1, sizeof(f1));
    first_name(&mo, f2, sizeof(f2));
    /* the register: "Bapak Andi" / "Ibu Ayu" / the first name, and the same
     * title before a full name */
    char g1 = sapaan_gender(me.gender, me.nip), g2 = sapaan_gender(mo.gender, mo.nip);
    const char *t1 = g1 == 'L' ? "Bapak " : g1 == 'P' ? "Ibu " : "";
    const char *t2 = g2 == 'L' ? "Bapak " : g2 == 'P' ? "Ibu " : "";
    sapaan_name(g1, f1, s1, sizeof(s1));
    sapaan_name(g2, f2, s2, sizeof(s2));
    if (sapaan_casual()) { /* santai: first names, no titles */
        t1 = t2 = "";
        bb_strlcpy(s1, f1, sizeof(s1));
        bb_strlcpy(s2, f2, sizeof(s2));
    }
    if (pr->intro_mentee_at) {
        got |= 1;
    } else {
        bb_buf_printf(&id,
                      SAPAAN_REG("Kabar baik, %s! Mulai sekarang Anda didampingi mentor %s%s (%s). "
                                 "Keahlian beliau: %s. Silakan sapa %s dan atur pertemuan "
                                 "pertama; catat setiap sesi dengan /sesi, dan akhiri mentoring "
                                 "kapan saja dengan /akhiri.",
                                 "Kabar baik, %s! Mulai sekarang kamu didampingi mentor %s%s (%s). "
                                 "Keahliannya: %s. Yuk sapa %s dan atur pertemuan pertama; catat "
                                 "setiap sesi dengan /sesi, dan akhiri mentoring kapan saja dengan "
                                 "/akhiri."),
                      s1, t2, mo.name, mo.unit[0] ? mo.unit : "-",
                      mo.strengths[0] ? mo.strengths : "-", s2);
        bb_buf_printf(&en,
                      "Good news, %s! From now on your mentor is %s (%s). Strengths: %s. Say "
                      "hello to %s and set up a first meeting; log each session with /session, "
                      "and end the mentoring at any time with /endmentoring.",
                      f1, mo.name, mo.unit[0] ? mo.unit : "-", mo.strengths[0] ? mo.strengths : "-",
                      f2);
        if ((rc = contact_line(d, &mo, f2, &id, &en)) != BB_OK ||
            (rc = send_intro(d, pr, 0, me.id, &id, &en, now, &got)) != BB_OK)
            goto out;
    }
    bb_buf_reset(&id);
    bb_buf_reset(&en);
    if (pr->intro_mentor_at) {
        got |= 2;
    } else {
        bb_buf_printf(&id,
                      SAPAAN_REG("%s, Anda sekarang mentor bagi %s%s (%s). Tujuan pengembangan "
                                 "beliau: %s. Silakan sapa %s dan atur pertemuan pertama. Lihat "
                                 "daftar mentee Anda dengan /mentee dan catat sesi dengan /sesi.",
                                 "%s, kamu sekarang mentor bagi %s%s (%s). Tujuan "
                                 "pengembangannya: %s. Yuk sapa %s dan atur pertemuan pertama. "
                                 "Lihat daftar mentee kamu dengan /mentee dan catat sesi dengan "
                                 "/sesi."),
                      s2, t1, me.name, me.unit[0] ? me.unit : "-", goals[0] ? goals : "-", s1);
        bb_buf_printf(&en,
                      "Hello %s, you are now the mentor of %s (%s). Development goals: %s. "
                      "Say hello to %s and set up a first meeting. See your mentees with /mentee "
                      "and log sessions with /session.",
                      f2, me.name, me.unit[0] ? me.unit : "-", goals[0] ? goals : "-", f1);
        if ((rc = contact_line(d, &me, f1, &id, &en)) != BB_OK ||
            (rc = send_intro(d, pr, 1, mo.id, &id, &en, now, &got)) != BB_OK)
            goto out;
    }
    rc = BB_OK;
out:
    if (reached)
        *reached = got;
    bb_buf_free(&id);
    bb_buf_free(&en);
    free(goals);
    free(req);
    return rc;
}

/* End a pairing and tell both sides (HR ending: by = "cli"; in chat: the
 * NIP of the side that ended it, whose own confirmation the caller sends). */
static int end_and_tell(const struct domain_ctx *d, const struct store_pairing *pr,
                        const char *reason, const char *by, int64_t by_person, int64_t now,
                        int leaving);
static int hr_end_tell(const struct domain_ctx *d, const struct store_pairing *pr,
                       const char *reason, int share, const char *by, int64_t now);

int mentoring_end_and_tell(const struct domain_ctx *d, const struct store_pairing *pr,
                           const char *reason, const char *by, int64_t by_person, int64_t now)
{
    if (by_person == 0)
        return hr_end_tell(d, pr, reason, 0, by, now);
    return end_and_tell(d, pr, reason, by, by_person, now, 0);
}

int mentoring_hr_end(const struct domain_ctx *d, int64_t pairing_id, const char *reason, int share,
                     const char *actor)
{
    struct store_pairing pr;
    int rc;
    if (!reason || !reason[0] || strlen(reason) > MENTORING_REASON_MAX ||
        !bb_utf8_valid(reason, strlen(reason)) || !actor || !actor[0])
        return BB_EINVAL;
    if ((rc = store_pairing_by_id(d->st, pairing_id, &pr)) != BB_OK)
        return rc;
    if (strcmp(pr.status, "active") != 0)
        return BB_EEXIST;
    if ((rc = store_begin(d->st)) != BB_OK)
        return rc;
    rc = hr_end_tell(d, &pr, reason, share, actor, d->now);
    if (rc == BB_OK)
        return store_commit(d->st);
    store_rollback(d->st);
    return rc;
}

/* HR ended a pairing (by: "cli" or the dashboard's actor): both sides are
 * told in their language, the partner named as the register does in
 * Indonesian ("Bapak Andi Wijaya"); the reason only when HR shares it. */
static int hr_end_tell(const struct domain_ctx *d, const struct store_pairing *pr,
                       const char *reason, int share, const char *by, int64_t now)
{
    struct store_person a, b;
    char detail[400];
    int rc;
    if ((rc = store_person_by_id(d->st, pr->mentee_id, &a)) != BB_OK ||
        (rc = store_person_by_id(d->st, pr->mentor_id, &b)) != BB_OK ||
        (rc = store_pairing_end(d->st, pr->id, now, reason, by)) != BB_OK ||
        (share && (rc = store_pairing_share_reason(d->st, pr->id)) != BB_OK))
        return rc;
    bb_snprintf(detail, sizeof(detail), "mentee %s, mentor %s: %s%s", a.nip, b.nip, reason,
                share ? " (reason shared with both)" : "");
    if ((rc = store_audit(d->st, by, "pair.end", a.id, detail, now)) != BB_OK ||
        (rc = store_audit(d->st, by, "pair.end", b.id, detail, now)) != BB_OK)
        return rc;
    for (int side = 0; side < 2; side++) {
        const struct store_person *to = side == 0 ? &a : &b;
        const struct store_person *other = side == 0 ? &b : &a;
        char g = sapaan_gender(other->gender, other->nip);
        const char *title = sapaan_casual() ? "" : g == 'L' ? "Bapak " : g == 'P' ? "Ibu " : "";
        char why_id[320] = "", why_en[320] = "", buf_id[768], buf_en[768];
        if (share) {
            bb_snprintf(why_id, sizeof(why_id), " Alasannya: %s.", reason);
            bb_snprintf(why_en, sizeof(why_en), " The reason: %s.", reason);
        }
        bb_snprintf(buf_id, sizeof(buf_id),
                    SAPAAN_REG("Mentoring antara Anda dan %s%s telah diakhiri oleh bagian SDM.%s "
                               "Terima kasih atas waktu dan kerja samanya.",
                               "Mentoring antara kamu dan %s%s sudah diakhiri oleh bagian SDM.%s "
                               "Terima kasih atas waktu dan kerja samanya."),
                    title, other->name, why_id);
        bb_snprintf(buf_en, sizeof(buf_en),
                    "The mentoring between you and %s was ended by HR.%s Thank you for your "
                    "time and work together.",
                    other->name, why_en);
        if ((rc = mentoring_send_one(d, to->id, buf_id, buf_en)) != BB_OK)
            return rc;
    }
    return BB_OK;
}

/* As mentoring_end_and_tell; leaving: by_person left the programme, and
 * the other side is told so. */
static int end_and_tell(const struct domain_ctx *d, const struct store_pairing *pr,
                        const char *reason, const char *by, int64_t by_person, int64_t now,
                        int leaving)
{
    struct store_person a, b;
    char detail[400];
    int rc;
    if ((rc = store_person_by_id(d->st, pr->mentee_id, &a)) != BB_OK ||
        (rc = store_person_by_id(d->st, pr->mentor_id, &b)) != BB_OK ||
        (rc = store_pairing_end(d->st, pr->id, now, reason, by)) != BB_OK)
        return rc;
    bb_snprintf(detail, sizeof(detail), "mentee %s, mentor %s: %s", a.nip, b.nip, reason);
    if ((rc = store_audit(d->st, by, "pair.end", a.id, detail, now)) != BB_OK ||
        (rc = store_audit(d->st, by, "pair.end", b.id, detail, now)) != BB_OK)
        return rc;
    for (int side = 0; side < 2; side++) {
        const struct store_person *to = side == 0 ? &a : &b;
        const struct store_person *other = side == 0 ? &b : &a;
        char buf_id[512], buf_en[512];
        if (to->id == by_person)
            continue; /* the one who ended it gets their own confirmation */
        if (leaving) {
            bb_snprintf(buf_id, sizeof(buf_id),
                        SAPAAN_REG("%s memutuskan untuk keluar dari program pendampingan, "
                                   "sehingga pendampingan Anda bersamanya berakhir. Terima kasih "
                                   "atas waktu dan kerja sama Anda.",
                                   "%s memutuskan untuk keluar dari program pendampingan, "
                                   "jadi pendampinganmu bersamanya berakhir. Terima kasih "
                                   "atas waktu dan kerja samamu."),
                        other->name);
            bb_snprintf(buf_en, sizeof(buf_en),
                        "%s has decided to leave the mentoring programme, so your mentoring "
                        "together has ended. Thank you for your time and work together.",
                        other->name);
        } else {
            bb_snprintf(buf_id, sizeof(buf_id),
                        SAPAAN_REG("%s telah mengakhiri mentoring Anda berdua. Terima kasih atas "
                                   "waktu dan kerja samanya.",
                                   "%s sudah mengakhiri mentoring kalian berdua. Terima kasih atas "
                                   "waktu dan kerja samanya."),
                        other->name);
            bb_snprintf(buf_en, sizeof(buf_en),
                        "%s has ended your mentoring. Thank you for your time and work together.",
                        other->name);
        }
        if ((rc = mentoring_send_one(d, to->id, buf_id, buf_en)) != BB_OK)
            return rc;
    }
    return BB_OK;
}

/* ---- flow actions ------------------------------------------------------------------------ */

static const cJSON *field(const cJSON *args, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(args, "fields"), name);
}

/* notify_mentor: the rendered text to the active mentor, only with the
 * mentee's mentor_share consent. */
static int act_notify_mentor(const struct domain_ctx *d, const struct store_person *p,
                             const cJSON *args)
{
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(args, "text");
    const cJSON *tid = cJSON_GetObjectItemCaseSensitive(text, "id");
    const cJSON *ten = cJSON_GetObjectItemCaseSensitive(text, "en");
    int64_t mentor = 0;
    int yes = 0, rc;
    if (!cJSON_IsString(tid) || !cJSON_IsString(ten))
        return BB_OK; /* the validator makes this impossible; ignore */
    rc = mentoring_mentor_of(d->st, p->id, &mentor);
    if (rc == BB_ENOTFOUND)
        return BB_OK;
    if (rc != BB_OK || (rc = consent_share(d->st, p->id, &yes)) != BB_OK)
        return rc;
    if (!yes) {
        bb_log(BB_LOG_INFO, "mentoring", "notify_mentor: no mentor_share consent; not sent");
        return BB_OK;
    }
    /* the flow's casual variant in a santai instance (flow_load requires one
     * for a text that addresses someone) */
    const cJSON *tsa = cJSON_GetObjectItemCaseSensitive(text, "id_santai");
    const char *t = sapaan_casual() && cJSON_IsString(tsa) ? tsa->valuestring : tid->valuestring;
    return mentoring_send_one(d, mentor, t, ten->valuestring);
}

/* mentor_summary: after a check-in, mood and whether help is wanted (never
 * the free texts) to the mentor, only with consent. */
static int act_mentor_summary(const struct domain_ctx *d, const struct store_person *p,
                              const cJSON *args)
{
    const cJSON *mood = field(args, "mood");
    const cJSON *help = field(args, "wants_help");
    int64_t mentor = 0;
    int yes = 0, rc;
    char mid[64], men[64], bid[512], ben[512];
    rc = mentoring_mentor_of(d->st, p->id, &mentor);
    if (rc == BB_ENOTFOUND)
        return BB_OK;
    if (rc != BB_OK || (rc = consent_share(d->st, p->id, &yes)) != BB_OK)
        return rc;
    if (!yes)
        return BB_OK;
    if (cJSON_IsNumber(mood) && mood->valuedouble >= 1 && mood->valuedouble <= 5) {
        bb_snprintf(mid, sizeof(mid), "suasana hati %d/5", (int)mood->valuedouble);
        bb_snprintf(men, sizeof(men), "mood %d/5", (int)mood->valuedouble);
    } else {
        bb_strlcpy(mid, "suasana hati tidak diisi", sizeof(mid));
        bb_strlcpy(men, "mood not given", sizeof(men));
    }
    int h = cJSON_IsTrue(help);
    bb_snprintf(bid, sizeof(bid), "Ringkasan check-in %s: %s, %s.", p->name, mid,
                h ? SAPAAN_REG("meminta bantuan Anda", "meminta bantuanmu")
                  : "tidak meminta bantuan");
    bb_snprintf(ben, sizeof(ben), "Check-in summary for %s: %s, %s.", p->name, men,
                h ? "asks for your help" : "no help needed");
    return mentoring_send_one(d, mentor, bid, ben);
}

/* mentees_list: the mentor's own mentees, with what each consented to share
 * (the check-in summary; the learning plan in one line, learn_plan_lines). */
static int act_mentees_list(const struct domain_ctx *d, const struct store_person *p,
                            const cJSON *args)
{
    struct store_pairing *v = NULL;
    int n = 0, rc;
    struct bb_buf id, en;
    (void)args;
    rc = store_pairing_list_active(d->st, p->id, &v, &n);
    if (rc != BB_OK)
        return rc;
    bb_buf_init(&id, TEXT_CAP);
    bb_buf_init(&en, TEXT_CAP);
    if (n == 0) {
        bb_buf_puts(&id, strcmp(p->role, "mentor") == 0
                             ? SAPAAN_REG("Anda belum memiliki mentee. Bagian SDM akan mengabari "
                                          "Anda saat Anda dipasangkan.",
                                          "Kamu belum punya mentee. Bagian SDM akan mengabari "
                                          "kamu saat kamu dipasangkan.")
                             : SAPAAN_REG("Anda belum memiliki mentee. Daftar ini untuk mentor.",
                                          "Kamu belum punya mentee. Daftar ini untuk mentor."));
        bb_buf_puts(&en, strcmp(p->role, "mentor") == 0
                             ? "You have no mentees yet. HR will let you know when you are paired."
                             : "You have no mentees. This list is for mentors.");
    } else {
        bb_buf_printf(&id, SAPAAN_REG("Mentee Anda (%d):", "Mentee kamu (%d):"), n);
        bb_buf_printf(&en, "Your mentees (%d):", n);
    }
    for (int i = 0; i < n && rc == BB_OK; i++) {
        struct store_person m;
        struct store_checkin *ck = NULL;
        int nck = 0, yes = 0, count = 0;
        int64_t minutes = 0;
        char since[2][32], day[11], last[2][32];
        if ((rc = store_person_by_id(d->st, v[i].mentee_id, &m)) != BB_OK ||
            (rc = consent_share(d->st, m.id, &yes)) != BB_OK ||
            (rc = store_msession_stats(d->st, v[i].id, &count, &minutes, day)) != BB_OK)
            break;
        for (int l = 0; l < 2; l++)
            mentoring_fmt_date(d, p->tz, v[i].started_at, l, CAL_SHORT, since[l], sizeof(since[l]));
        bb_buf_printf(&id, "\n%d. %s, %s (sejak %s)", i + 1, m.name, m.unit, since[0]);
        bb_buf_printf(&en, "\n%d. %s, %s (since %s)", i + 1, m.name, m.unit, since[1]);
        if (!yes) {
            bb_buf_puts(&id, "\n   check-in: tidak dibagikan");
            bb_buf_puts(&en, "\n   check-ins: not shared");
        } else {
            if ((rc = store_checkin_list(d->st, m.id, 1, &ck, &nck)) != BB_OK)
                break;
            if (nck == 0) {
                bb_buf_puts(&id, "\n   check-in: belum ada");
                bb_buf_puts(&en, "\n   check-ins: none yet");
            } else {
                char when[2][32];
                for (int l = 0; l < 2; l++)
                    mentoring_fmt_date(d, p->tz, ck[0].at, l, CAL_SHORT, when[l], sizeof(when[l]));
                bb_buf_printf(&id, "\n   check-in terakhir: %s", when[0]);
                bb_buf_printf(&en, "\n   last check-in: %s", when[1]);
                if (ck[0].mood > 0) {
                    bb_buf_printf(&id, ", suasana hati %d/5", ck[0].mood);
                    bb_buf_printf(&en, ", mood %d/5", ck[0].mood);
                }
                if (ck[0].wants_help == 1) {
                    bb_buf_puts(&id, ", minta bantuan");
                    bb_buf_puts(&en, ", asked for help");
                }
            }
            free(ck);
        }
        {
            struct bb_buf *both[2] = {&id, &en};
            if ((rc = learn_plan_lines(d, &m, 0, both)) != BB_OK)
                break;
        }
        if (count == 0) {
            bb_buf_puts(&id, "\n   sesi: belum ada");
            bb_buf_puts(&en, "\n   sessions: none yet");
        } else {
            for (int l = 0; l < 2; l++)
                mentoring_fmt_day(day, l, CAL_SHORT, last[l], sizeof(last[l]));
            bb_buf_printf(&id, "\n   sesi: %d (%" PRId64 " menit), terakhir %s", count, minutes,
                          last[0]);
            bb_buf_printf(&en, "\n   sessions: %d (%" PRId64 " min), last %s", count, minutes,
                          last[1]);
        }
    }
    if (rc == BB_OK && n > 0) {
        bb_buf_puts(&id, "\nCatat sesi dengan /sesi.");
        bb_buf_puts(&en, "\nLog a session with /session.");
    }
    if (rc == BB_OK)
        rc = send2_soft(d, p->id, &id, &en, STORE_PRIO_LIVE);
    bb_buf_free(&id);
    bb_buf_free(&en);
    free(v);
    return rc;
}

/* The pairing a chat action is about: the person's own mentor, or, for a
 * mentor, mentee number `which` (1-based, in the order of mentee_names; a
 * mentor with one mentee needs no number). BB_ENOTFOUND: no pairing;
 * BB_EINVAL: a number that is not one of theirs. */
static int pairing_for(const struct domain_ctx *d, const struct store_person *p, const cJSON *which,
                       struct store_pairing *out)
{
    struct store_pairing *v = NULL;
    int n = 0, k = cJSON_IsNumber(which) ? (int)which->valuedouble : 0;
    int rc = store_pairing_list_active(d->st, p->id, &v, &n);
    if (rc != BB_OK)
        return rc;
    if (n > 0 && (k >= 1 || n == 1)) {
        if (n == 1 && k <= 1)
            k = 1;
        rc = k >= 1 && k <= n ? BB_OK : BB_EINVAL;
        if (rc == BB_OK)
            *out = v[k - 1];
        free(v);
        return rc;
    }
    free(v);
    rc = store_pairing_active_of(d->st, p->id, out);
    if (rc == BB_ENOTFOUND && n > 1)
        return BB_EINVAL; /* a mentor of several who gave no number */
    return rc;
}

static int no_pairing_reply(const struct domain_ctx *d, const struct store_person *p, int rc)
{
    if (rc == BB_ENOTFOUND)
        return mentoring_send_one(
            d, p->id,
            SAPAAN_REG("Anda belum memiliki pasangan mentoring yang aktif, jadi tidak ada yang "
                       "saya ubah. Ketik /mentor untuk meminta mentor.",
                       "Kamu belum punya pasangan mentoring yang aktif, jadi tidak ada yang "
                       "saya ubah. Ketik /mentor untuk meminta mentor."),
            "You have no active mentoring pair, so nothing was changed. Type /mentor "
            "to ask for a mentor.");
    if (rc == BB_EINVAL)
        return mentoring_send_one(
            d, p->id,
            SAPAAN_REG("Nomor mentee itu tidak ada dalam daftar Anda, jadi tidak ada yang saya "
                       "ubah. Lihat daftarnya dengan /mentee.",
                       "Nomor mentee itu tidak ada dalam daftarmu, jadi tidak ada yang saya "
                       "ubah. Lihat daftarnya dengan /mentee."),
            "That mentee number is not on your list, so nothing was changed. See the "
            "list with /mentee.");
    return rc;
}

/* log_session: fields day ("YYYY-MM-DD"), minutes, topics, next_steps and,
 * for a mentor of several, which. */
/* p confirms the session of day that other logged (id, minutes): one
 * session; both are told, with this year's mentoring total. */
static int confirm_session(const struct domain_ctx *d, const struct store_person *p,
                           const struct store_person *other, const char *day, int64_t id,
                           int64_t minutes)
{
    char dshow[2][40], jp[16], jpy[16], ys[5];
    long long year = 0;
    int64_t year_min = 0;
    int rc = store_msession_confirm(d->st, id, p->id, d->now);
    bb_strlcpy(ys, day, sizeof(ys));
    if (rc == BB_OK)
        rc = bb_parse_ll(ys, 1900, 9998, &year);
    if (rc == BB_OK)
        rc = mentoring_minutes_in_year(d->st, p->id, (int)year, &year_min);
    if (rc != BB_OK)
        return rc;
    for (int l = 0; l < 2; l++)
        mentoring_fmt_day(day, l, CAL_LONG, dshow[l], sizeof(dshow[l]));
    struct bb_buf bid, ben;
    bb_buf_init(&bid, TEXT_CAP);
    bb_buf_init(&ben, TEXT_CAP);
    fmt_jp(minutes, 0, jp, sizeof(jp));
    fmt_jp(year_min, 0, jpy, sizeof(jpy));
    bb_buf_printf(&bid,
                  SAPAAN_REG("%s sudah mencatat sesi %s (%" PRId64
                             " menit, %s JP). Catatan Anda mengonfirmasinya, "
                             "jadi sesi ini dihitung sekali. Mentoring tahun %.4s: %" PRId64
                             " menit (%s JP) menuju 20 JP.",
                             "%s sudah mencatat sesi %s (%" PRId64
                             " menit, %s JP). Catatanmu mengonfirmasinya, "
                             "jadi sesi ini dihitung sekali. Mentoring tahun %.4s: %" PRId64
                             " menit (%s JP) menuju 20 JP."),
                  other->name, dshow[0], minutes, jp, day, year_min, jpy);
    fmt_jp(minutes, 1, jp, sizeof(jp));
    fmt_jp(year_min, 1, jpy, sizeof(jpy));
    bb_buf_printf(&ben,
                  "%s had already logged the session of %s (%" PRId64 " minutes, %s JP). Your log "
                  "confirms it, so it counts once. Mentoring in %.4s: %" PRId64
                  " minutes (%s JP) toward 20 JP.",
                  other->name, dshow[1], minutes, jp, day, year_min, jpy);
    rc = send2_soft(d, p->id, &bid, &ben, STORE_PRIO_LIVE);
    if (rc == BB_OK) {
        bb_buf_reset(&bid);
        bb_buf_reset(&ben);
        bb_buf_printf(&bid,
                      SAPAAN_REG("%s mengonfirmasi sesi mentoring Anda berdua pada %s.",
                                 "%s mengonfirmasi sesi mentoring kalian berdua pada %s."),
                      p->name, dshow[0]);
        bb_buf_printf(&ben, "%s confirmed your mentoring session of %s.", p->name, dshow[1]);
        rc = send2_soft(d, other->id, &bid, &ben, STORE_PRIO_LIVE);
    }
    bb_buf_free(&bid);
    bb_buf_free(&ben);
    return rc;
}

static int log_for_pairing(const struct domain_ctx *d, const struct store_person *p,
                           const struct store_pairing *ppr, const cJSON *day, const cJSON *min,
                           const cJSON *topics, const cJSON *next);

static int act_log_session(const struct domain_ctx *d, const struct store_person *p,
                           const cJSON *args)
{
    struct store_pairing pr;
    int rc = pairing_for(d, p, field(args, "which"), &pr);
    if (rc != BB_OK)
        return no_pairing_reply(d, p, rc);
    return log_for_pairing(d, p, &pr, field(args, "day"), field(args, "minutes"),
                           field(args, "topics"), field(args, "next_steps"));
}

/* Log (or confirm, when the other side logged that day already) a session
 * of pairing *ppr by p, and tell both sides. */
static int log_for_pairing(const struct domain_ctx *d, const struct store_person *p,
                           const struct store_pairing *ppr, const cJSON *day, const cJSON *min,
                           const cJSON *topics, const cJSON *next)
{
    const struct store_pairing pr = *ppr;
    struct store_msession m;
    struct store_person other;
    char iso[32], dshow[2][40], jp[16], jpy[16];
    int64_t held, year_min = 0;
    int rc;
    memset(&m, 0, sizeof(m));
    if (!cJSON_IsString(day) || strlen(day->valuestring) != 10 ||
        bb_snprintf(iso, sizeof(iso), "%sT12:00:00Z", day->valuestring) != BB_OK ||
        bb_parse_iso8601(iso, &held) != BB_OK || !cJSON_IsNumber(min) || min->valuedouble < 1 ||
        min->valuedouble > 1440) {
        bb_log(BB_LOG_WARN, "mentoring", "log_session: bad day or minutes from the flow");
        return mentoring_send_one(
            d, p->id, "Maaf, tanggal atau durasi sesi tidak terbaca; tidak tercatat.",
            "Sorry, the session's date or length could not be read; nothing was "
            "logged.");
    }
    m.pairing_id = pr.id;
    m.mentee_id = pr.mentee_id;
    m.mentor_id = pr.mentor_id;
    m.logged_by = p->id;
    bb_strlcpy(m.day, day->valuestring, sizeof(m.day));
    m.held_at = held;
    m.minutes = (int)min->valuedouble;
    if (cJSON_IsString(topics))
        bb_strlcpy(m.topics, topics->valuestring, sizeof(m.topics));
    if (cJSON_IsString(next) && strcmp(next->valuestring, "-") != 0)
        bb_strlcpy(m.next_steps, next->valuestring, sizeof(m.next_steps));
    m.created_at = d->now;
    rc = store_person_by_id(d->st, pr.mentee_id == p->id ? pr.mentor_id : pr.mentee_id, &other);
    if (rc != BB_OK)
        return rc;
    /* The other side logged this day's session already: this log confirms
     * it, and it stays one session (counted once toward JP). */
    int64_t first_id = 0, first_min = 0;
    rc = store_msession_unconfirmed(d->st, pr.id, m.day, p->id, &first_id, &first_min);
    if (rc == BB_OK)
        return confirm_session(d, p, &other, m.day, first_id, first_min);
    if (rc != BB_ENOTFOUND || (rc = store_msession_add(d->st, &m, NULL)) != BB_OK)
        return rc;
    char ys[5];
    long long year = 0;
    bb_strlcpy(ys, m.day, sizeof(ys));
    rc = bb_parse_ll(ys, 1900, 9998, &year);
    if (rc == BB_OK)
        rc = mentoring_minutes_in_year(d->st, p->id, (int)year, &year_min);
    if (rc != BB_OK)
        return rc;
    for (int l = 0; l < 2; l++)
        mentoring_fmt_day(m.day, l, CAL_LONG, dshow[l], sizeof(dshow[l]));
    struct bb_buf id, en;
    bb_buf_init(&id, TEXT_CAP);
    bb_buf_init(&en, TEXT_CAP);
    fmt_jp(m.minutes, 0, jp, sizeof(jp));
    fmt_jp(year_min, 0, jpy, sizeof(jpy));
    bb_buf_printf(&id,
                  "Tercatat: sesi %s dengan %s, %d menit (%s JP). Mentoring tahun %.4s: "
                  "%" PRId64 " menit (%s JP) menuju 20 JP.",
                  dshow[0], other.name, m.minutes, jp, m.day, year_min, jpy);
    fmt_jp(m.minutes, 1, jp, sizeof(jp));
    fmt_jp(year_min, 1, jpy, sizeof(jpy));
    bb_buf_printf(&en,
                  "Logged: the session of %s with %s, %d minutes (%s JP). Mentoring in %.4s: "
                  "%" PRId64 " minutes (%s JP) toward 20 JP.",
                  dshow[1], other.name, m.minutes, jp, m.day, year_min, jpy);
    rc = send2_soft(d, p->id, &id, &en, STORE_PRIO_LIVE);
    if (rc == BB_OK) {
        bb_buf_reset(&id);
        bb_buf_reset(&en);
        bb_buf_printf(&id,
                      SAPAAN_REG("%s mencatat sesi mentoring Anda berdua pada %s (%d menit).",
                                 "%s mencatat sesi mentoring kalian berdua pada %s (%d menit)."),
                      p->name, dshow[0], m.minutes);
        bb_buf_printf(&en, "%s logged your mentoring session of %s (%d minutes).", p->name,
                      dshow[1], m.minutes);
        rc = send2_soft(d, other.id, &id, &en, STORE_PRIO_LIVE);
    }
    bb_buf_free(&id);
    bb_buf_free(&en);
    return rc;
}

/* end_pairing: fields reason and, for a mentor of several, which. */
static int act_end_pairing(const struct domain_ctx *d, const struct store_person *p,
                           const cJSON *args)
{
    const cJSON *reason = field(args, "reason");
    struct store_pairing pr;
    struct store_person other;
    char r[256], bid[512], ben[512];
    int rc = pairing_for(d, p, field(args, "which"), &pr);
    if (rc != BB_OK)
        return no_pairing_reply(d, p, rc);
    bb_strlcpy(r, cJSON_IsString(reason) ? reason->valuestring : "", sizeof(r));
    if ((rc = store_person_by_id(d->st, pr.mentee_id == p->id ? pr.mentor_id : pr.mentee_id,
                                 &other)) != BB_OK ||
        (rc = mentoring_end_and_tell(d, &pr, r, p->nip, p->id, d->now)) != BB_OK)
        return rc;
    bb_snprintf(bid, sizeof(bid),
                "Mentoring dengan %s sudah diakhiri dan alasannya dicatat untuk bagian SDM. Terima "
                "kasih!",
                other.name);
    bb_snprintf(ben, sizeof(ben),
                "Your mentoring with %s has ended and the reason was noted for HR. Thank you!",
                other.name);
    return mentoring_send_one(d, p->id, bid, ben);
}

/* ---- leaving the programme, did you meet, rate the match ---------------------------- */

/* leave_programme: fields reason. Ends every active pairing of the person
 * (either side; the other side is told), records that they left (not
 * matched again until join_programme), audit mentoring.leave. */
static int act_leave(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    const cJSON *reason = field(args, "reason");
    struct store_pairing own, *v = NULL;
    char r[256], detail[320];
    int n = 0, ended = 0, rc;
    bb_strlcpy(r, cJSON_IsString(reason) ? reason->valuestring : "", sizeof(r));
    rc = store_pairing_active_of(d->st, p->id, &own);
    if (rc == BB_OK) {
        if ((rc = end_and_tell(d, &own, r, p->nip, p->id, d->now, 1)) != BB_OK)
            return rc;
        ended++;
    } else if (rc != BB_ENOTFOUND) {
        return rc;
    }
    if ((rc = store_pairing_list_active(d->st, p->id, &v, &n)) != BB_OK)
        return rc;
    for (int i = 0; i < n && rc == BB_OK; i++)
        if ((rc = end_and_tell(d, &v[i], r, p->nip, p->id, d->now, 1)) == BB_OK)
            ended++;
    free(v);
    bb_snprintf(detail, sizeof(detail), "%d pairing(s) ended: %s", ended, r);
    if (rc != BB_OK || (rc = store_mentoring_optout_set(d->st, p->id, r, d->now)) != BB_OK ||
        (rc = store_audit(d->st, p->nip, "mentoring.leave", p->id, detail, d->now)) != BB_OK)
        return rc;
    return mentoring_send_one(
        d, p->id,
        ended ? SAPAAN_REG("Anda sudah keluar dari program pendampingan. Pendampingan Anda telah "
                           "diakhiri, pasangan Anda sudah diberi tahu, dan alasannya dicatat untuk "
                           "SDM. Anda tidak akan dipasangkan lagi sampai Anda mengetik /mentor "
                           "ikut.",
                           "Kamu sudah keluar dari program pendampingan. Pendampinganmu sudah "
                           "diakhiri, pasanganmu sudah diberi tahu, dan alasannya dicatat untuk "
                           "SDM. Kamu tidak akan dipasangkan lagi sampai kamu mengetik /mentor "
                           "ikut.")
              : SAPAAN_REG("Anda sudah keluar dari program pendampingan, dan alasannya dicatat "
                           "untuk SDM. Anda tidak akan dipasangkan lagi sampai Anda mengetik "
                           "/mentor ikut.",
                           "Kamu sudah keluar dari program pendampingan, dan alasannya dicatat "
                           "untuk SDM. Kamu tidak akan dipasangkan lagi sampai kamu mengetik "
                           "/mentor ikut."),
        ended ? "You have left the mentoring programme. Your mentoring has ended, your partner "
                "has been told, and the reason was noted for HR. You will not be paired again "
                "until you type /mentor join."
              : "You have left the mentoring programme, and the reason was noted for HR. You "
                "will not be paired again until you type /mentor join.");
}

/* join_programme: back in after leaving (audit mentoring.join). */
static int act_join(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    int64_t since = 0;
    int rc = store_mentoring_optout_get(d->st, p->id, &since);
    (void)args;
    if (rc == BB_ENOTFOUND)
        return mentoring_send_one(
            d, p->id,
            SAPAAN_REG(
                "Anda sudah terdaftar di program pendampingan; tidak ada yang perlu diubah.",
                "Kamu sudah terdaftar di program pendampingan; tidak ada yang perlu diubah."),
            "You are already in the mentoring programme; nothing needed changing.");
    if (rc != BB_OK || (rc = store_mentoring_optout_clear(d->st, p->id)) != BB_OK ||
        (rc = store_audit(d->st, p->nip, "mentoring.join", p->id, "back in the programme",
                          d->now)) != BB_OK)
        return rc;
    return mentoring_send_one(
        d, p->id,
        SAPAAN_REG(
            "Selamat bergabung kembali di program pendampingan. Tim SDM dapat memasangkan "
            "Anda lagi; ketik /mentor untuk menyampaikan bidang yang ingin Anda kembangkan.",
            "Selamat bergabung kembali di program pendampingan. Bagian SDM bisa memasangkan "
            "kamu lagi; ketik /mentor untuk menyampaikan bidang yang ingin kamu kembangkan."),
        "Welcome back to the mentoring programme. HR can pair you again; type /mentor to say "
        "what you would like to grow in.");
}

/* met_answer: fields met (yes/no) and, when met, day and minutes. Answers
 * the person's pending "did you meet?" question: yes logs the session
 * (one session when the other side logs or answered too); not yet asks
 * again a week later, at most MENTORING_MET_ASKS times in all. */
static int act_met(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    struct store_pcheck c;
    struct store_pairing pr;
    const cJSON *met = field(args, "met");
    int rc = store_pcheck_pending(d->st, p->id, "met", &c);
    if (rc == BB_ENOTFOUND)
        return mentoring_send_one(d, p->id,
                                  SAPAAN_REG("Tidak ada pertanyaan pendampingan yang menunggu "
                                             "jawaban Anda.",
                                             "Tidak ada pertanyaan pendampingan yang menunggu "
                                             "jawabanmu."),
                                  "There is no mentoring question waiting for your answer.");
    if (rc != BB_OK || (rc = store_pairing_by_id(d->st, c.pairing_id, &pr)) != BB_OK)
        return rc;
    if (cJSON_IsTrue(met)) {
        static const char *const topic[2] = {"Pertemuan (dijawab lewat pertanyaan mingguan)",
                                             "Meeting (answered to the weekly question)"};
        cJSON *t = cJSON_CreateString(topic[strcmp(p->lang, "en") == 0]);
        if (!t)
            return BB_ENOMEM;
        rc = store_pcheck_answer(d->st, c.pairing_id, p->id, "met", "yes", 0, "", 0, d->now);
        if (rc == BB_OK)
            rc = log_for_pairing(d, p, &pr, field(args, "day"), field(args, "minutes"), t, NULL);
        cJSON_Delete(t);
        return rc;
    }
    int again = c.asks < MENTORING_MET_ASKS;
    rc = store_pcheck_answer(d->st, c.pairing_id, p->id, "met", "not_yet", 0, "",
                             again ? d->now + WEEK : 0, d->now);
    if (rc != BB_OK)
        return rc;
    return mentoring_send_one(
        d, p->id,
        again ? "Baik, tidak apa-apa. Saya akan menanyakannya lagi minggu depan."
              : SAPAAN_REG("Baik, terima kasih. Saya tidak akan menanyakannya lagi; catat "
                           "pertemuan Anda dengan /sesi kapan saja.",
                           "Oke, terima kasih. Saya tidak akan menanyakannya lagi; catat "
                           "pertemuanmu dengan /sesi kapan saja."),
        again ? "All right, no problem. I will ask again next week."
              : "All right, thank you. I will not ask again; log your meetings with /session "
                "any time.");
}

/* rate_match: fields rating (1-5) and word ("-" for none). */
static int act_rate(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    struct store_pcheck c;
    const cJSON *rating = field(args, "rating"), *word = field(args, "word");
    char w[64] = "";
    int rc = store_pcheck_pending(d->st, p->id, "rate", &c);
    if (rc == BB_ENOTFOUND)
        return mentoring_send_one(d, p->id,
                                  SAPAAN_REG("Tidak ada pertanyaan pendampingan yang menunggu "
                                             "jawaban Anda.",
                                             "Tidak ada pertanyaan pendampingan yang menunggu "
                                             "jawabanmu."),
                                  "There is no mentoring question waiting for your answer.");
    if (rc != BB_OK)
        return rc;
    if (!cJSON_IsNumber(rating) || rating->valuedouble < 1 || rating->valuedouble > 5) {
        bb_log(BB_LOG_WARN, "mentoring", "rate_match: bad rating from the flow");
        return BB_OK;
    }
    if (cJSON_IsString(word) && strcmp(word->valuestring, "-") != 0) {
        bb_strlcpy(w, word->valuestring, sizeof(w));
        w[bb_utf8_cut(w, strlen(w), sizeof(w) - 1)] = '\0';
    }
    rc = store_pcheck_answer(d->st, c.pairing_id, p->id, "rate", "rated", (int)rating->valuedouble,
                             w, 0, d->now);
    if (rc != BB_OK)
        return rc;
    return mentoring_send_one(
        d, p->id,
        SAPAAN_REG("Terima kasih atas penilaian Anda. SDM hanya melihatnya sebagai angka gabungan, "
                   "tidak per orang, untuk memperbaiki cara memasangkan mentor.",
                   "Terima kasih atas penilaianmu. SDM hanya melihatnya sebagai angka gabungan, "
                   "tidak per orang, untuk memperbaiki cara memasangkan mentor."),
        "Thank you for your rating. HR sees it only as a combined figure, never per person, to "
        "improve how mentors are matched.");
}

/* relay_first: fields which (a mentor of several) and message: a first
 * message passed to the other side of the pairing, once per sender and
 * pairing; the receiver may answer it once (relay_reply). */
static int act_relay_first(const struct domain_ctx *d, const struct store_person *p,
                           const cJSON *args)
{
    const cJSON *msg = field(args, "message");
    struct store_pairing pr;
    struct store_person other;
    struct bb_buf id, en;
    int64_t sent = 0;
    int rc = pairing_for(d, p, field(args, "which"), &pr);
    if (rc != BB_OK)
        return no_pairing_reply(d, p, rc);
    if (!cJSON_IsString(msg) || !msg->valuestring[0])
        return BB_OK; /* the validator and the flow make this impossible */
    int mentee = pr.mentee_id == p->id;
    if ((rc = store_person_by_id(d->st, mentee ? pr.mentor_id : pr.mentee_id, &other)) != BB_OK ||
        (rc = store_relay_count(d->st, pr.id, p->id, &sent)) != BB_OK)
        return rc;
    if (sent > 0) {
        char bid[512], ben[512];
        bb_snprintf(bid, sizeof(bid),
                    SAPAAN_REG("Pesan pertama Anda kepada %s sudah saya teruskan sebelumnya, jadi "
                               "pesan ini tidak saya kirim. Silakan lanjutkan langsung dengan %s.",
                               "Pesan pertamamu ke %s sudah saya teruskan sebelumnya, jadi "
                               "pesan ini tidak saya kirim. Lanjutkan langsung dengan %s, ya."),
                    other.name, other.name);
        bb_snprintf(ben, sizeof(ben),
                    "I already passed on your first message to %s, so this one was not sent. "
                    "Please carry on with %s directly.",
                    other.name, other.name);
        return mentoring_send_one(d, p->id, bid, ben);
    }
    bb_buf_init(&id, TEXT_CAP);
    bb_buf_init(&en, TEXT_CAP);
    bb_buf_printf(&id,
                  SAPAAN_REG("Pesan dari %s (%s Anda) lewat bimbing:\n\"%s\"\nAnda dapat "
                             "membalasnya sekali lewat saya dengan /balas.",
                             "Pesan dari %s (%s kamu) lewat bimbing:\n\"%s\"\nKamu bisa "
                             "membalasnya sekali lewat saya dengan /balas."),
                  p->name, mentee ? "mentee" : "mentor", msg->valuestring);
    bb_buf_printf(&en,
                  "A message from %s (your %s) through bimbing:\n\"%s\"\nYou can answer it once "
                  "through me with /reply.",
                  p->name, mentee ? "mentee" : "mentor", msg->valuestring);
    rc = send2(d, other.id, &id, &en, STORE_PRIO_LIVE);
    bb_buf_free(&id);
    bb_buf_free(&en);
    if (rc == BB_ENOTFOUND) { /* the other side never wrote to the bot: nothing kept */
        char bid[400], ben[400];
        bb_snprintf(bid, sizeof(bid),
                    SAPAAN_REG("%s belum terhubung dengan bimbing, jadi pesan Anda belum dapat "
                               "saya teruskan. Silakan coba lagi nanti.",
                               "%s belum terhubung dengan bimbing, jadi pesanmu belum bisa "
                               "saya teruskan. Coba lagi nanti, ya."),
                    other.name);
        bb_snprintf(ben, sizeof(ben),
                    "%s has not joined bimbing yet, so I could not pass on your message. "
                    "Please try again later.",
                    other.name);
        return mentoring_send_one(d, p->id, bid, ben);
    }
    if (rc == BB_OK)
        rc = store_relay_add(d->st, pr.id, p->id, other.id, d->now);
    if (rc != BB_OK)
        return rc;
    char bid[400], ben[400];
    bb_snprintf(bid, sizeof(bid),
                SAPAAN_REG("Pesan Anda sudah saya teruskan kepada %s.",
                           "Pesanmu sudah saya teruskan ke %s."),
                other.name);
    bb_snprintf(ben, sizeof(ben), "I have passed your message on to %s.", other.name);
    return mentoring_send_one(d, p->id, bid, ben);
}

/* relay_reply: field message: the one answer to the oldest first message
 * waiting for this person. */
static int act_relay_reply(const struct domain_ctx *d, const struct store_person *p,
                           const cJSON *args)
{
    const cJSON *msg = field(args, "message");
    struct store_person from;
    struct bb_buf id, en;
    int64_t rid = 0, from_id = 0;
    int rc = store_relay_open_to(d->st, p->id, &rid, &from_id);
    if (rc == BB_ENOTFOUND)
        return mentoring_send_one(
            d, p->id,
            SAPAAN_REG("Tidak ada pesan pendampingan yang menunggu balasan Anda, jadi tidak ada "
                       "yang saya kirim.",
                       "Tidak ada pesan pendampingan yang menunggu balasanmu, jadi tidak ada "
                       "yang saya kirim."),
            "There is no mentoring message waiting for your answer, so nothing was sent.");
    if (rc != BB_OK || (rc = store_person_by_id(d->st, from_id, &from)) != BB_OK)
        return rc;
    if (!cJSON_IsString(msg) || !msg->valuestring[0])
        return BB_OK;
    if ((rc = store_relay_answered(d->st, rid, d->now)) != BB_OK)
        return rc;
    bb_buf_init(&id, TEXT_CAP);
    bb_buf_init(&en, TEXT_CAP);
    bb_buf_printf(&id, "Balasan dari %s lewat bimbing:\n\"%s\"", p->name, msg->valuestring);
    bb_buf_printf(&en, "An answer from %s through bimbing:\n\"%s\"", p->name, msg->valuestring);
    rc = send2_soft(d, from.id, &id, &en, STORE_PRIO_LIVE);
    bb_buf_free(&id);
    bb_buf_free(&en);
    if (rc != BB_OK)
        return rc;
    char bid[400], ben[400];
    bb_snprintf(bid, sizeof(bid),
                SAPAAN_REG("Balasan Anda sudah saya teruskan kepada %s. Selanjutnya silakan "
                           "berhubungan langsung.",
                           "Balasanmu sudah saya teruskan ke %s. Selanjutnya silakan "
                           "berhubungan langsung, ya."),
                from.name);
    bb_snprintf(ben, sizeof(ben),
                "I have passed your answer on to %s. From here on, please talk directly.",
                from.name);
    return mentoring_send_one(d, p->id, bid, ben);
}

static int act_share_number(const struct domain_ctx *d, const struct store_person *p,
                            const cJSON *args);

static const struct domain_action actions[] = {
    {{"notify_mentor", 'b', {"text"}, "t", "text", {NULL}, NULL}, act_notify_mentor},
    {DOMAIN_ACTION_FIELDS("mentor_summary", NULL), act_mentor_summary},
    {{"mentees_list", 'b', {NULL}, "", "", {NULL}, NULL}, act_mentees_list},
    {DOMAIN_ACTION_FIELDS("log_session", "mentoring"), act_log_session},
    {DOMAIN_ACTION_FIELDS("end_pairing", "mentoring"), act_end_pairing},
    {DOMAIN_ACTION_FIELDS("leave_programme", "mentoring"), act_leave},
    {{"join_programme", 'b', {NULL}, "", "", {NULL}, NULL}, act_join},
    {DOMAIN_ACTION_FIELDS("met_answer", "mentoring"), act_met},
    {DOMAIN_ACTION_FIELDS("rate_match", "mentoring"), act_rate},
    {DOMAIN_ACTION_FIELDS("relay_first", "mentoring"), act_relay_first},
    {DOMAIN_ACTION_FIELDS("relay_reply", "mentoring"), act_relay_reply},
    {{"share_number", 'b', {NULL}, "", "", {NULL}, NULL}, act_share_number},
    DOMAIN_ACTIONS_END,
};

/* share_number: after the person gave number_share (mentoring.number),
 * each active partner gets the wa.me link. Without the consent, or without
 * a WhatsApp number, nothing is sent. */
static int act_share_number(const struct domain_ctx *d, const struct store_person *p,
                            const cJSON *args)
{
    struct store_pairing *v = NULL, mine;
    char num[24], f[128];
    int n = 0, rc = wa_number(d, p->id, num, sizeof(num));
    (void)args;
    if (rc == BB_ENOTFOUND)
        return BB_OK;
    if (rc != BB_OK || (rc = store_pairing_list_active(d->st, p->id, &v, &n)) != BB_OK)
        return rc;
    /* the person's pairings as a mentor (v), then as a mentee (mine) */
    int has_mine = (rc = store_pairing_active_of(d->st, p->id, &mine)) == BB_OK;
    if (rc != BB_OK && rc != BB_ENOTFOUND) {
        free(v);
        return rc;
    }
    rc = BB_OK;
    first_name(p, f, sizeof(f));
    for (int i = 0; i < n + has_mine && rc == BB_OK; i++) {
        const struct store_pairing *pr = i < n ? &v[i] : &mine;
        int mentee = pr->mentee_id == p->id;
        struct bb_buf id, en;
        bb_buf_init(&id, TEXT_CAP);
        bb_buf_init(&en, TEXT_CAP);
        bb_buf_printf(&id,
                      SAPAAN_REG("%s (%s Anda) membagikan nomor WhatsApp-nya agar Anda dapat "
                                 "menghubunginya langsung: https://wa.me/%s",
                                 "%s (%s kamu) membagikan nomor WhatsApp-nya supaya kamu bisa "
                                 "menghubunginya langsung: https://wa.me/%s"),
                      p->name, mentee ? "mentee" : "mentor", num);
        bb_buf_printf(&en,
                      "%s (your %s) shares their WhatsApp number so that you can reach %s "
                      "directly: https://wa.me/%s",
                      p->name, mentee ? "mentee" : "mentor", f, num);
        rc = send2_soft(d, mentee ? pr->mentor_id : pr->mentee_id, &id, &en, STORE_PRIO_LIVE);
        bb_buf_free(&id);
        bb_buf_free(&en);
    }
    free(v);
    return rc;
}

/* ---- person fields ------------------------------------------------------------------------ */

static int person_fields(const struct domain_ctx *d, const struct store_person *p, cJSON *out)
{
    struct store_pairing pr;
    struct store_person other;
    int count = 0, yes = 0;
    int rc = store_pairing_active_of(d->st, p->id, &pr);
    int has = rc == BB_OK;
    if (rc != BB_OK && rc != BB_ENOTFOUND)
        return rc;
    if (has && (rc = store_person_by_id(d->st, pr.mentor_id, &other)) != BB_OK)
        return rc;
    if ((rc = store_pairing_count_active(d->st, p->id, &count)) != BB_OK ||
        (rc = consent_share(d->st, p->id, &yes)) != BB_OK)
        return rc;
    cJSON_AddBoolToObject(out, "has_mentor", has);
    cJSON_AddStringToObject(out, "mentor_name", has ? other.name : "");
    cJSON_AddBoolToObject(out, "is_mentor", strcmp(p->role, "mentor") == 0 || count > 0);
    cJSON_AddNumberToObject(out, "mentee_count", count);
    cJSON_AddBoolToObject(out, "shares_with_mentor", yes);
    /* in_programme: not left (/mentor berhenti); met_with / rate_with: the
     * other side of the pairing a pending question is about ("" when none) */
    int64_t since = 0;
    rc = store_mentoring_optout_get(d->st, p->id, &since);
    if (rc != BB_OK && rc != BB_ENOTFOUND)
        return rc;
    cJSON_AddBoolToObject(out, "in_programme", rc == BB_ENOTFOUND);
    /* on_whatsapp: the person has a WhatsApp identity (mentoring.number) */
    char ext[64];
    rc = store_identity_of(d->st, p->id, "whatsapp", ext, sizeof(ext));
    if (rc != BB_OK && rc != BB_ENOTFOUND)
        return rc;
    cJSON_AddBoolToObject(out, "on_whatsapp", rc == BB_OK);
    for (int k = 0; k < 2; k++) {
        struct store_pcheck c;
        struct store_pairing cp;
        struct store_person o;
        const char *who = "";
        rc = store_pcheck_pending(d->st, p->id, k ? "rate" : "met", &c);
        if (rc == BB_OK && (rc = store_pairing_by_id(d->st, c.pairing_id, &cp)) == BB_OK &&
            (rc = store_person_by_id(d->st, cp.mentee_id == p->id ? cp.mentor_id : cp.mentee_id,
                                     &o)) == BB_OK)
            who = o.name;
        if (rc != BB_OK && rc != BB_ENOTFOUND)
            return rc;
        cJSON_AddStringToObject(out, k ? "rate_with" : "met_with", who);
        if (!k)
            cJSON_AddBoolToObject(out, "met_again", who[0] && c.asks > 1);
    }
    /* relay_from: who sent the first message waiting for this person's
     * one answer (/balas), "" when none */
    int64_t rid = 0, from_id = 0;
    struct store_person from;
    rc = store_relay_open_to(d->st, p->id, &rid, &from_id);
    if (rc == BB_OK)
        rc = store_person_by_id(d->st, from_id, &from);
    if (rc != BB_OK && rc != BB_ENOTFOUND)
        return rc;
    cJSON_AddStringToObject(out, "relay_from", rc == BB_OK ? from.name : "");
    if (count > 0) {
        struct store_pairing *v = NULL;
        int n = 0;
        struct bb_buf b;
        if ((rc = store_pairing_list_active(d->st, p->id, &v, &n)) != BB_OK)
            return rc;
        bb_buf_init(&b, TEXT_CAP);
        for (int i = 0; i < n; i++)
            if (store_person_by_id(d->st, v[i].mentee_id, &other) == BB_OK)
                bb_buf_printf(&b, "%s%d. %s", i ? "\n" : "", i + 1, other.name);
        free(v);
        cJSON_AddStringToObject(out, "mentee_names", b.data ? b.data : "");
        bb_buf_free(&b);
    } else {
        cJSON_AddStringToObject(out, "mentee_names", "");
    }
    return BB_OK;
}

/* every name person_fields adds (computed on first read, domain.h) */
static const char *const field_names[] = {
    "has_mentor",   "mentor_name",  "is_mentor", "mentee_count", "shares_with_mentor",
    "in_programme", "on_whatsapp",  "met_with",  "met_again",    "rate_with",
    "relay_from",   "mentee_names", NULL};

/* ---- tick: waiting introductions, nudges --------------------------------------------------- */

static int nudge(const struct domain_ctx *d, const struct store_pairing *pr)
{
    struct store_person a, b;
    int rc;
    if ((rc = store_person_by_id(d->st, pr->mentee_id, &a)) != BB_OK ||
        (rc = store_person_by_id(d->st, pr->mentor_id, &b)) != BB_OK)
        return rc;
    for (int side = 0; side < 2 && rc == BB_OK; side++) {
        const struct store_person *to = side == 0 ? &a : &b;
        const struct store_person *other = side == 0 ? &b : &a;
        struct bb_buf id, en;
        bb_buf_init(&id, TEXT_CAP);
        bb_buf_init(&en, TEXT_CAP);
        bb_buf_printf(&id,
                      SAPAAN_REG("Sudah %d minggu tidak ada sesi mentoring yang tercatat antara "
                                 "Anda dan %s (%s). Mari atur pertemuan berikutnya, lalu catat "
                                 "dengan /sesi.",
                                 "Sudah %d minggu tidak ada sesi mentoring yang tercatat antara "
                                 "kamu dan %s (%s). Yuk atur pertemuan berikutnya, lalu catat "
                                 "dengan /sesi."),
                      MENTORING_NUDGE_WEEKS, other->name, side == 0 ? "mentor" : "mentee");
        bb_buf_printf(&en,
                      "No mentoring session between you and %s (your %s) has been logged for %d "
                      "weeks. How about setting up the next meeting? Log it with /session.",
                      other->name, side == 0 ? "mentor" : "mentee", MENTORING_NUDGE_WEEKS);
        rc = send2(d, to->id, &id, &en, STORE_PRIO_BULK);
        if (rc == BB_ENOTFOUND)
            rc = BB_OK;
        bb_buf_free(&id);
        bb_buf_free(&en);
    }
    return rc;
}

/* The questions about a pairing, started as flows (core_start_flow: a
 * conversation already running defers them): "did you meet?" a week after
 * the start when no session is logged (again a week after "not yet", at
 * most MENTORING_MET_ASKS times), "how is the match?" after the first
 * month. */
static int ask_checks(const struct domain_ctx *d, int *work)
{
    static const struct {
        const char *kind, *flow;
        int64_t after;
    } q[] = {{"met", "mentoring.met", MENTORING_MET_AFTER_DAYS * 86400},
             {"rate", "mentoring.rate", MENTORING_RATE_AFTER_DAYS * 86400}};
    int rc = BB_OK;
    for (size_t k = 0; k < sizeof(q) / sizeof(q[0]) && rc == BB_OK; k++) {
        for (int again = 0; again < 2 && rc == BB_OK; again++) {
            struct store_pcheck *v = NULL;
            int n = 0;
            if (again && strcmp(q[k].kind, "met") != 0)
                continue;
            rc = again ? store_pcheck_again_due(d->st, q[k].kind, d->now, TICK_BATCH, &v, &n)
                       : store_pcheck_new_due(d->st, q[k].kind, d->now - q[k].after, TICK_BATCH, &v,
                                              &n);
            if (rc == BB_OK && n > 0 && (rc = store_begin(d->st)) == BB_OK) {
                for (int i = 0; i < n && rc == BB_OK; i++) {
                    rc =
                        store_pcheck_ask(d->st, v[i].pairing_id, v[i].person_id, q[k].kind, d->now);
                    if (rc == BB_OK)
                        rc = core_start_flow(d->core, v[i].person_id, q[k].flow, d->now);
                    (*work)++;
                }
                rc = rc == BB_OK ? store_commit(d->st) : (store_rollback(d->st), rc);
            }
            free(v);
        }
    }
    return rc;
}

static int tick(const struct domain_ctx *d, int *did)
{
    struct store_pairing *v = NULL;
    int n = 0, work = 0, rc;
    *did = 0;
    if ((rc = store_pairing_intro_pending(d->st, TICK_BATCH, &v, &n)) != BB_OK)
        return rc;
    if (n > 0 && (rc = store_begin(d->st)) == BB_OK) {
        for (int i = 0; i < n && rc == BB_OK; i++) {
            int before = (v[i].intro_mentee_at ? 1 : 0) | (v[i].intro_mentor_at ? 2 : 0), after;
            rc = mentoring_send_intros(d, &v[i], d->now, &after);
            if (rc == BB_OK && after != before)
                work++;
        }
        rc = rc == BB_OK ? store_commit(d->st) : (store_rollback(d->st), rc);
    }
    free(v);
    v = NULL;
    if (rc != BB_OK)
        return rc;
    rc = store_pairing_quiet(d->st, d->now - (int64_t)MENTORING_NUDGE_WEEKS * WEEK, TICK_BATCH, &v,
                             &n);
    if (rc == BB_OK && n > 0 && (rc = store_begin(d->st)) == BB_OK) {
        for (int i = 0; i < n && rc == BB_OK; i++) {
            rc = nudge(d, &v[i]);
            if (rc == BB_OK)
                rc = store_pairing_set_nudged(d->st, v[i].id, d->now);
            work++;
        }
        rc = rc == BB_OK ? store_commit(d->st) : (store_rollback(d->st), rc);
    }
    free(v);
    v = NULL;
    if (rc == BB_OK)
        rc = ask_checks(d, &work);
    *did = work;
    return rc;
}

const struct domain_module mentoring_module = {
    .name = "mentoring",
    .actions = actions,
    .person_fields = person_fields,
    .person_field_names = field_names,
    .tick = tick,
    .cmds = mentoring_cmds,
};
