/*
 * alert.c - wellbeing and distress alerts (see alert.h): the row, the chat
 * message to the first reachable recipients, and what the person is told.
 * Called by the coaching module and the core's distress screen on the core
 * thread, inside their transaction.
 */
#include "bot/core/alert.h"
#include "bot/base/bb.h"
#include "bot/base/sapaan.h"
#include "bot/core/core.h"
#include "bot/core/outmsg.h"
#include "bot/flow/flow.h"
#include "store/store_alerts.h"
#include "store/store_coaching.h"
#include "store/store_mentoring.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define ALERT_HR_MAX 16 /* HR people told at once */

static const char *const via_names[] = {"", "mentor", "hr", "fallback"};

/* The message a recipient gets: [kind][lang], then %s name, %s unit. */
static const char *const text_to_recipient[2][2] = {
    {"%s (%s) mungkin sedang membutuhkan dukungan. Mohon sapa dan ajak bicara secara pribadi, "
     "dengan hangat dan tanpa menghakimi. Pesan ini dikirim atas persetujuannya; jawabannya "
     "tidak dibagikan.",
     "%s (%s) may need some support. Please reach out personally, warmly and without judgement. "
     "This message is sent with their consent; their answers are not shared."},
    {"%s (%s) baru saja menulis kepada coach bimbing hal yang menunjukkan ia mungkin sedang "
     "dalam kesulitan berat. Mohon hubungi ia secara pribadi hari ini, dengan hangat dan tanpa "
     "menghakimi; bila ada bahaya langsung, hubungi 112. Pesan ini dikirim atas persetujuannya; "
     "isi pesannya tidak dibagikan.",
     "%s (%s) has just written to the bimbing coach in a way that suggests they may be "
     "struggling badly. Please reach out personally today, warmly and without judgement; if "
     "there is immediate danger, call 112. This message is sent with their consent; what they "
     "wrote is not shared."},
};

static const char *const text_fallback_note[3] = {
    "\n\nAnda menerima ini karena nama Anda ada di daftar cadangan untuk peringatan yang tidak "
    "dapat disampaikan kepada mentor atau bagian SDM-nya. Peringatan ini juga terbuka di dasbor "
    "SDM "
    "(Peringatan) sampai ditandai sudah ditindaklanjuti.",
    "\n\nYou receive this because you are on the fallback list for alerts that could not reach "
    "their mentor or HR. The alert is also open on the HR dashboard (Alerts) until it is marked "
    "as followed up.",
    "\n\nKamu menerima ini karena namamu ada di daftar cadangan untuk peringatan yang tidak "
    "dapat disampaikan kepada mentor atau bagian SDM-nya. Peringatan ini juga terbuka di dasbor "
    "SDM (Peringatan) sampai ditandai sudah ditindaklanjuti.",
};

static int is_distress(const char *kind)
{
    return strcmp(kind, ALERT_DISTRESS) == 0;
}

/* Send the alert about p to person id when they can be reached in chat:
 * *sent = 1 then, and the first one sent to is noted in o (id, name). */
static int send_to(const struct domain_ctx *d, const struct store_person *p, const char *kind,
                   int64_t id, int fallback, int *sent, struct alert_outcome *o, int64_t *first)
{
    struct store_person r;
    char channel[16], ext[64], text[1400], *json = NULL;
    int64_t out_id = 0;
    int rc, li, tried = 0;
    *sent = 0;
    if (id == p->id)
        return BB_OK; /* never the person themself */
    if ((rc = store_alert_tried(d->st, o->id, id, &tried)) != BB_OK || tried)
        return rc; /* tried before for this alert: its message failed */
    rc = store_alert_reach(d->st, id, channel, sizeof(channel), ext, sizeof(ext));
    if (rc == BB_ENOTFOUND)
        return BB_OK; /* no chat, or only blocked ones */
    if (rc != BB_OK || (rc = store_person_by_id(d->st, id, &r)) != BB_OK)
        return rc == BB_ENOTFOUND ? BB_OK : rc;
    li = flow_lang_index(r.lang) == 1 ? 1 : 0;
    bb_snprintf(text, sizeof(text), text_to_recipient[is_distress(kind)][li], p->name, p->unit);
    if (fallback) {
        size_t len = strlen(text);
        bb_strlcpy(text + len, text_fallback_note[SAPAAN_LI(li)], sizeof(text) - len);
    }
    if ((rc = outmsg_encode_text(text, &json)) != BB_OK)
        return rc;
    rc = store_outbox_put(d->st, r.id, channel, ext, STORE_PRIO_LIVE, json, 0, &out_id);
    free(json);
    if (rc == BB_OK)
        rc = store_alert_send_add(d->st, o->id, r.id, out_id);
    if (rc == BB_OK) {
        *sent = 1;
        if (!*first) {
            *first = r.id;
            bb_strlcpy(o->name, r.name, sizeof(o->name));
        }
    }
    return rc;
}

/* Send alert o->id about p along the chain (mentor, HR, the fallback list),
 * skipping people it was sent to before; record who was reached. */
static int deliver(const struct domain_ctx *d, const struct store_person *p, const char *kind,
                   struct alert_outcome *o, const char *audit_action)
{
    struct store_pairing pr;
    int64_t ids[ALERT_HR_MAX], first = 0;
    char detail[128];
    int n = 0, sent = 0, rc;

    o->via = ALERT_VIA_NONE;
    o->reached = 0;
    o->name[0] = '\0';
    /* 1. the mentor */
    rc = store_pairing_active_of(d->st, p->id, &pr);
    if (rc == BB_OK) {
        if ((rc = send_to(d, p, kind, pr.mentor_id, 0, &sent, o, &first)) != BB_OK)
            return rc;
        if (sent) {
            o->via = ALERT_VIA_MENTOR;
            o->reached = 1;
        }
    } else if (rc != BB_ENOTFOUND) {
        return rc;
    }
    /* 2. HR of the unit, else any HR: all of them who can be reached */
    if (!o->reached) {
        if ((rc = store_coaching_alert_recipients(d->st, p->id, ids, ALERT_HR_MAX, &n)) != BB_OK)
            return rc;
        for (int i = 0; i < n; i++) {
            if ((rc = send_to(d, p, kind, ids[i], 0, &sent, o, &first)) != BB_OK)
                return rc;
            o->reached += sent;
        }
        if (o->reached)
            o->via = ALERT_VIA_HR;
    }
    /* 3. the first reachable person on the fallback list */
    for (int i = 0; !o->reached && d->cfg && i < d->cfg->nalert_fallback; i++) {
        struct store_person f;
        rc = store_person_by_nip(d->st, d->cfg->alert_fallback[i], &f);
        if (rc == BB_ENOTFOUND) {
            bb_log(BB_LOG_WARN, "alert", "alert_fallback item %d names nobody", i + 1);
            continue;
        }
        if (rc != BB_OK || (rc = send_to(d, p, kind, f.id, 1, &sent, o, &first)) != BB_OK)
            return rc;
        if (sent) {
            o->via = ALERT_VIA_FALLBACK;
            o->reached = 1;
        }
    }
    if (!o->reached)
        bb_log(BB_LOG_WARN, "alert",
               "alert %" PRId64 " (%s) reached nobody in chat: open on the dashboard", o->id, kind);
    if ((rc = store_alert_set_sent(d->st, o->id, via_names[o->via], first, o->reached)) != BB_OK)
        return rc;
    bb_snprintf(detail, sizeof(detail), "alert %" PRId64 ": %s, %d reached in chat", o->id,
                o->reached ? via_names[o->via] : "nobody", o->reached);
    return store_audit(d->st, p->nip, audit_action, p->id, detail, d->now);
}

int alert_raise(const struct domain_ctx *d, const struct store_person *p, const char *kind,
                struct alert_outcome *o)
{
    char action[32];
    int rc;
    memset(o, 0, sizeof(*o));
    if ((rc = store_alert_add(d->st, p->id, kind, d->now, &o->id)) != BB_OK)
        return rc;
    bb_snprintf(action, sizeof(action), "%s.alert", kind);
    return deliver(d, p, kind, o, action);
}

/* One undelivered alert: on to the next person, and the person is told. */
static int escalate(const struct domain_ctx *d, int64_t id)
{
    struct store_alert a;
    struct store_person p;
    struct alert_outcome o;
    char action[40];
    int rc = store_alert_get(d->st, id, &a);
    if (rc == BB_OK)
        rc = store_person_by_id(d->st, a.person_id, &p);
    if (rc != BB_OK)
        return rc;
    memset(&o, 0, sizeof(o));
    o.id = id;
    bb_log(BB_LOG_WARN, "alert", "alert %" PRId64 ": every chat message failed; passing it on", id);
    bb_snprintf(action, sizeof(action), "%s.alert.moved", a.kind);
    if ((rc = deliver(d, &p, a.kind, &o, action)) != BB_OK)
        return rc;
    return alert_tell_person(d, &p, a.kind, &o);
}

int alert_tick(const struct domain_ctx *d, int *did)
{
    int64_t *ids = NULL;
    int n = 0, rc = store_alert_undelivered(d->st, &ids, &n);
    for (int i = 0; rc == BB_OK && i < n; i++) {
        if ((rc = store_begin(d->st)) != BB_OK)
            break;
        rc = escalate(d, ids[i]);
        if (rc == BB_OK)
            rc = store_commit(d->st);
        else
            store_rollback(d->st);
    }
    free(ids);
    if (did)
        *did = rc == BB_OK ? n : 0;
    return rc;
}

int alert_tell_person(const struct domain_ctx *d, const struct store_person *p, const char *kind,
                      const struct alert_outcome *o)
{
    char t[2][700];
    const char *what[2] = {SAPAAN_REG("Jawaban Anda", "Jawabanmu"), "Your answers"};
    const char *what_en_verb = "are";
    int rc;
    if (is_distress(kind)) {
        what[0] = SAPAAN_REG("Isi pesan Anda", "Isi pesanmu");
        what[1] = "What you wrote";
        what_en_verb = "is";
    }
    switch (o->via) {
    case ALERT_VIA_MENTOR:
        bb_snprintf(
            t[0], sizeof(t[0]),
            SAPAAN_REG(
                "Sesuai persetujuan Anda, saya sudah mengabari mentor Anda, %s, bahwa Anda "
                "mungkin membutuhkan dukungan. %s tidak saya bagikan. Bagian SDM juga melihat "
                "peringatan ini (hanya nama dan unit Anda) di dasbor mereka sampai ada yang "
                "menindaklanjuti.",
                "Sesuai persetujuanmu, saya sudah mengabari mentormu, %s, bahwa kamu "
                "mungkin butuh dukungan. %s tidak saya bagikan. Bagian SDM juga melihat "
                "peringatan ini (hanya nama dan unitmu) di dasbor mereka sampai ada yang "
                "menindaklanjuti."),
            o->name, what[0]);
        bb_snprintf(t[1], sizeof(t[1]),
                    "As you agreed, I've let your mentor, %s, know that you may need some "
                    "support. %s %s not shared. The alert is also on the HR dashboard (only your "
                    "name and unit) until someone follows up.",
                    o->name, what[1], what_en_verb);
        break;
    case ALERT_VIA_HR:
        bb_snprintf(
            t[0], sizeof(t[0]),
            SAPAAN_REG("Sesuai persetujuan Anda, saya sudah mengabari bagian SDM (%s) bahwa Anda "
                       "mungkin membutuhkan dukungan. %s tidak saya bagikan. Peringatan ini juga "
                       "terlihat di dasbor SDM (hanya nama dan unit Anda) sampai ada yang "
                       "menindaklanjuti.",
                       "Sesuai persetujuanmu, saya sudah mengabari bagian SDM (%s) bahwa kamu "
                       "mungkin butuh dukungan. %s tidak saya bagikan. Peringatan ini juga "
                       "terlihat di dasbor SDM (hanya nama dan unitmu) sampai ada yang "
                       "menindaklanjuti."),
            o->name, what[0]);
        bb_snprintf(t[1], sizeof(t[1]),
                    "As you agreed, I've let HR (%s) know that you may need some support. %s %s "
                    "not shared. The alert is also on the HR dashboard (only your name and unit) "
                    "until someone follows up.",
                    o->name, what[1], what_en_verb);
        break;
    case ALERT_VIA_FALLBACK:
        bb_snprintf(
            t[0], sizeof(t[0]),
            SAPAAN_REG(
                "Sesuai persetujuan Anda, saya ingin mengabari mentor Anda atau bagian SDM, "
                "tetapi mereka belum dapat dihubungi lewat chat. Jadi saya mengabari %s, yang "
                "ditunjuk untuk menerima peringatan seperti ini, bahwa Anda mungkin "
                "membutuhkan dukungan. %s tidak saya bagikan. Peringatan ini juga terlihat di "
                "dasbor SDM (hanya nama dan unit Anda) sampai ada yang menindaklanjuti.",
                "Sesuai persetujuanmu, saya ingin mengabari mentormu atau bagian SDM, "
                "tetapi mereka belum bisa dihubungi lewat chat. Jadi saya mengabari %s, yang "
                "ditunjuk untuk menerima peringatan seperti ini, bahwa kamu mungkin "
                "butuh dukungan. %s tidak saya bagikan. Peringatan ini juga terlihat di "
                "dasbor SDM (hanya nama dan unitmu) sampai ada yang menindaklanjuti."),
            o->name, what[0]);
        bb_snprintf(t[1], sizeof(t[1]),
                    "As you agreed, I wanted to let your mentor or HR know, but they cannot be "
                    "reached by chat yet. So I've let %s, who is named to receive alerts like "
                    "this, know that you may need some support. %s %s not shared. The alert is "
                    "also on the HR dashboard (only your name and unit) until someone follows up.",
                    o->name, what[1], what_en_verb);
        break;
    default:
        bb_snprintf(
            t[0], sizeof(t[0]),
            SAPAAN_REG(
                "Sesuai persetujuan Anda, saya ingin mengabari mentor Anda atau bagian SDM, "
                "tetapi saat ini belum ada yang dapat saya hubungi lewat chat. Peringatan "
                "ini (hanya nama dan unit Anda; %s tidak) tetap terbuka di dasbor SDM sampai "
                "ada yang menindaklanjuti. Jangan ragu menghubungi mereka langsung; "
                "dalam keadaan darurat hubungi 112.",
                "Sesuai persetujuanmu, saya ingin mengabari mentormu atau bagian SDM, "
                "tetapi saat ini belum ada yang bisa saya hubungi lewat chat. Peringatan "
                "ini (hanya nama dan unitmu; %s tidak) tetap terbuka di dasbor SDM sampai "
                "ada yang menindaklanjuti. Jangan ragu menghubungi mereka langsung; "
                "dalam keadaan darurat hubungi 112."),
            is_distress(kind) ? SAPAAN_REG("isi pesan Anda", "isi pesanmu")
                              : SAPAAN_REG("jawaban Anda", "jawabanmu"));
        bb_snprintf(t[1], sizeof(t[1]),
                    "As you agreed, I wanted to let your mentor or HR know, but nobody can be "
                    "reached by chat just now. The alert (only your name and unit; not %s) stays "
                    "open on the HR dashboard until someone follows up. Please feel free to "
                    "contact them directly; in an emergency call 112.",
                    is_distress(kind) ? "what you wrote" : "your answers");
        break;
    }
    const char *tt[2] = {t[0], t[1]};
    rc = core_send_text(d->core, p->id, tt, STORE_PRIO_LIVE, 0);
    return rc == BB_ENOTFOUND ? BB_OK : rc;
}
