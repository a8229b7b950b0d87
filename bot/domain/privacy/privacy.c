/*
 * privacy.c - export and erasure asked for in the chat, erasure requests
 * carried out when due, and the retention purge: the module "privacy" (see
 * privacy.h). Its CLI rows are in privacy_cli.c.
 *
 * Thread rules: core thread / CLI only. No global mutable state.
 */
#include "bot/domain/privacy/privacy.h"
#include "bot/base/bb.h"
#include "bot/base/sapaan.h"
#include "bot/base/cal.h"
#include "bot/core/core.h"
#include "bot/core/outmsg.h"
#include "store/store_privacy.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- texts ------------------------------------------------------------------ */

static const char *const text_export_caption[3] = {
    "Ini semua data tentang Anda yang disimpan bimbing, dalam satu berkas JSON. Mohon disimpan "
    "dengan baik: isinya bersifat pribadi.",
    "Here is everything bimbing stores about you, in one JSON file. Keep it safe: it is personal.",
    "Ini semua data tentang kamu yang disimpan bimbing, dalam satu berkas JSON. Tolong simpan "
    "baik-baik: isinya bersifat pribadi.",
};
static const char *const text_export_about[2] = {
    "Ekspor data pribadi dari bimbing (hak akses menurut UU 27/2022). Isinya: profil, identitas "
    "chat, persetujuan, percakapan, check-in, kesejahteraan, tujuan, pembelajaran, refleksi, "
    "umpan balik, mentoring, pesan, pengingat, dan catatan tindakan SDM tentang Anda. Waktu "
    "ditulis sebagai detik Unix (UTC).",
    "Personal data export from bimbing (the right of access under UU 27/2022). It holds: profile, "
    "chat identities, consents, conversations, check-ins, wellbeing, goals, learning, "
    "reflections, feedback, mentoring, messages, reminders, and the log of HR actions about you. "
    "Times are Unix seconds (UTC).",
};
static const char *const text_export_too_big[3] = {
    "Maaf, data Anda terlalu besar untuk dikirim sebagai berkas di chat (lebih dari 2 MiB). "
    "Mintalah bagian SDM mengekspornya untuk Anda; mereka dapat melakukannya dengan perintah "
    "ekspor.",
    "Sorry, your data is too large to send as a file in the chat (more than 2 MiB). Ask HR to "
    "export it for you; they can do so with the export command.",
    "Maaf, datamu terlalu besar untuk dikirim sebagai berkas di chat (lebih dari 2 MiB). "
    "Minta bagian SDM mengekspornya untukmu; mereka bisa melakukannya dengan perintah "
    "ekspor.",
};

/* ---- helpers ---------------------------------------------------------------- */

static int lang_of(const struct store_person *p)
{
    return flow_lang_index(p->lang) == 1 ? 1 : 0;
}

/* t in the person's zone, as people read it in lang: "Senin, 15 Desember
 * 2026 pukul 10.00 WIB" / "Monday 15 December 2026 at 10:00 WIB". */
static void local_time(const struct domain_ctx *d, const struct store_person *p, int64_t t,
                       int lang, char *out, size_t n)
{
    int off = d->core ? core_tz_offset(d->core, p->tz, t) : 7 * 3600;
    int64_t lt = t + off, days = cal_floor_div(lt, 86400), sec = lt - days * 86400;
    char date[48], zone[16];
    cal_format_date(days, lang, CAL_LONG, date, sizeof(date));
    if (off == 7 * 3600)
        bb_strlcpy(zone, "WIB", sizeof(zone));
    else if (off == 8 * 3600)
        bb_strlcpy(zone, "WITA", sizeof(zone));
    else if (off == 9 * 3600)
        bb_strlcpy(zone, "WIT", sizeof(zone));
    else
        bb_snprintf(zone, sizeof(zone), "UTC%+d:%02d", off / 3600, abs(off % 3600) / 60);
    if (lang == CAL_LANG_EN)
        bb_snprintf(out, n, "%s at %02d:%02d %s", date, (int)(sec / 3600), (int)(sec % 3600 / 60),
                    zone);
    else
        bb_snprintf(out, n, "%s pukul %02d.%02d %s", date, (int)(sec / 3600),
                    (int)(sec % 3600 / 60), zone);
}

static int send2(const struct domain_ctx *d, int64_t person_id, const char *id, const char *en)
{
    const char *texts[2] = {id, en};
    int rc = d->core ? core_send_text(d->core, person_id, texts, STORE_PRIO_LIVE, 0) : BB_OK;
    return rc == BB_ENOTFOUND ? BB_OK : rc; /* no chat: nothing to tell */
}

/* ---- the actions ------------------------------------------------------------ */

static int act_export(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    cJSON *exp = NULL;
    char *json = NULL, *body = NULL, name[64], date[16];
    int li = lang_of(p), rc;
    (void)args;
    rc = store_person_export(d->st, p->id, &exp);
    if (rc != BB_OK)
        return rc;
    /* the explanation first, in the person's language */
    cJSON *about = cJSON_CreateString(text_export_about[li]);
    cJSON *when = cJSON_CreateNumber((double)d->now);
    if (!about || !when) {
        cJSON_Delete(about);
        cJSON_Delete(when);
        cJSON_Delete(exp);
        return BB_ENOMEM;
    }
    cJSON_AddItemToObject(exp, "exported_at", when);
    cJSON_AddItemToObject(exp, "about", about);
    json = cJSON_Print(exp);
    cJSON_Delete(exp);
    if (!json)
        return BB_ENOMEM;
    cal_format_iso(cal_floor_div(d->now, 86400), date, sizeof(date));
    bb_snprintf(name, sizeof(name), "bimbing-data-%s.json", date);
    rc = outmsg_encode_doc(name, "application/json", json, strlen(json),
                           text_export_caption[SAPAAN_LI(li)], &body);
    if (rc == BB_ELIMIT) {
        free(json);
        bb_log(BB_LOG_WARN, "privacy", "an export did not fit in a chat document");
        return send2(d, p->id, text_export_too_big[SAPAAN_LI(0)], text_export_too_big[1]);
    }
    if (rc == BB_OK && d->core)
        rc = core_send_body(d->core, p->id, body, STORE_PRIO_LIVE, 0);
    if (rc == BB_OK) {
        char detail[64];
        bb_snprintf(detail, sizeof(detail), "in the chat, %zu bytes", strlen(json));
        rc = store_audit(d->st, p->nip, "person.export", p->id, detail, d->now);
    }
    free(json);
    free(body);
    return rc == BB_ENOTFOUND ? BB_OK : rc;
}

static int act_erase(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    struct store_erasure e;
    char when[2][80], id[700], en[700];
    int64_t after = d->cfg ? d->cfg->erasure_after : 72 * 3600;
    int created = 0;
    (void)args;
    int rc = store_erasure_request(d->st, p->id, d->now, d->now + after, &e, &created);
    if (rc != BB_OK)
        return rc;
    for (int l = 0; l < 2; l++)
        local_time(d, p, e.due_at, l, when[l], sizeof(when[l]));
    if (e.state == STORE_ERASURE_HELD) {
        bb_snprintf(
            id, sizeof(id),
            SAPAAN_REG(
                "Permintaan penghapusan data Anda sudah tercatat, tetapi sedang ditunda oleh "
                "bagian SDM. Alasannya: %s",
                "Permintaan penghapusan datamu sudah tercatat, tetapi sedang ditunda oleh "
                "bagian SDM. Alasannya: %s"),
            e.reason);
        bb_snprintf(en, sizeof(en),
                    "Your erasure request is already recorded, but HR has put it on hold. "
                    "The reason: %s",
                    e.reason);
    } else {
        int64_t hours = (e.due_at - d->now + 3599) / 3600;
        bb_snprintf(
            id, sizeof(id),
            SAPAAN_REG("%s Semua data Anda akan dihapus pada %s (dalam %" PRId64
                       " jam). Sampai saat itu Anda masih dapat memakai /ekspor untuk menyimpan "
                       "salinannya. Setelah dihapus, data tidak dapat dikembalikan, dan Anda perlu "
                       "kode undangan baru untuk memakai bimbing lagi.",
                       "%s Semua datamu akan dihapus pada %s (dalam %" PRId64
                       " jam). Sampai saat itu kamu masih bisa memakai /ekspor untuk menyimpan "
                       "salinannya. Setelah dihapus, data tidak bisa dikembalikan, dan kamu perlu "
                       "kode undangan baru untuk memakai bimbing lagi."),
            created ? SAPAAN_REG("Permintaan Anda sudah tercatat.", "Permintaanmu sudah tercatat.")
                    : SAPAAN_REG("Permintaan Anda sudah tercatat sebelumnya.",
                                 "Permintaanmu sudah tercatat sebelumnya."),
            when[0], hours);
        bb_snprintf(en, sizeof(en),
                    "%s All your data will be erased on %s (in %" PRId64
                    " hours). Until then you can still use /export to keep a copy. Once erased, it "
                    "cannot be brought back, and you would need a new invite code to use bimbing "
                    "again.",
                    created ? "Your request is recorded." : "Your request was already recorded.",
                    when[1], hours);
    }
    if (created) {
        char detail[64];
        bb_snprintf(detail, sizeof(detail), "request %" PRId64 ", due %" PRId64, e.id, e.due_at);
        rc = store_audit(d->st, p->nip, "erasure.request", p->id, detail, d->now);
        if (rc != BB_OK)
            return rc;
    }
    return send2(d, p->id, id, en);
}

/* ---- HR: hold and release (CLI and dashboard) --------------------------------- */

int privacy_erasure_hold(const struct domain_ctx *d, int64_t id, const char *actor,
                         const char *reason, char *err, size_t errn)
{
    struct store_erasure e;
    char detail[600], tid[800], ten[800];
    int rc = store_erasure_get(d->st, id, &e);
    err[0] = '\0';
    if (rc == BB_ENOTFOUND)
        bb_snprintf(err, errn, "no erasure request %" PRId64, id);
    if (rc != BB_OK)
        return rc;
    if (!reason || !reason[0] || strlen(reason) > 500) {
        bb_snprintf(err, errn, "a hold needs a written reason (1 to 500 bytes)");
        return BB_EINVAL;
    }
    if (e.state != STORE_ERASURE_PENDING) {
        bb_snprintf(err, errn, "request %" PRId64 " is not pending", id);
        return BB_ESTATE;
    }
    rc = store_begin(d->st);
    if (rc)
        return rc;
    rc = store_erasure_hold(d->st, id, actor, reason, d->now);
    bb_snprintf(detail, sizeof(detail), "request %" PRId64 ": %s", id, reason);
    if (rc == BB_OK)
        rc = store_audit(d->st, actor, "erasure.hold", e.person_id, detail, d->now);
    bb_snprintf(
        tid, sizeof(tid),
        SAPAAN_REG(
            "Kabar tentang permintaan penghapusan data Anda: bagian SDM menundanya. Alasannya: "
            "%s\nData Anda belum dihapus. Anda akan diberi tahu bila penundaan ini dicabut. "
            "Ada pertanyaan? Hubungi bagian SDM.",
            "Kabar tentang permintaan penghapusan datamu: bagian SDM menundanya. Alasannya: "
            "%s\nDatamu belum dihapus. Kamu akan diberi tahu kalau penundaan ini dicabut. "
            "Ada pertanyaan? Hubungi bagian SDM."),
        reason);
    bb_snprintf(ten, sizeof(ten),
                "News about your erasure request: HR has put it on hold. The reason: %s\nYour "
                "data has not been erased. You will be told when the hold is lifted. Questions? "
                "Please contact HR.",
                reason);
    if (rc == BB_OK)
        rc = send2(d, e.person_id, tid, ten);
    if (rc == BB_OK)
        return store_commit(d->st);
    store_rollback(d->st);
    return rc;
}

int privacy_erasure_release(const struct domain_ctx *d, int64_t id, const char *actor, char *err,
                            size_t errn)
{
    struct store_erasure e;
    struct store_person p;
    char detail[64], when[2][80], tid[400], ten[400];
    int rc = store_erasure_get(d->st, id, &e);
    err[0] = '\0';
    if (rc == BB_ENOTFOUND)
        bb_snprintf(err, errn, "no erasure request %" PRId64, id);
    if (rc != BB_OK)
        return rc;
    if (e.state != STORE_ERASURE_HELD) {
        bb_snprintf(err, errn, "request %" PRId64 " is not on hold", id);
        return BB_ESTATE;
    }
    if ((rc = store_person_by_id(d->st, e.person_id, &p)) != BB_OK)
        return rc;
    rc = store_begin(d->st);
    if (rc)
        return rc;
    rc = store_erasure_release(d->st, id, actor, d->now);
    bb_snprintf(detail, sizeof(detail), "request %" PRId64, id);
    if (rc == BB_OK)
        rc = store_audit(d->st, actor, "erasure.release", e.person_id, detail, d->now);
    for (int l = 0; l < 2; l++)
        local_time(d, &p, e.due_at > d->now ? e.due_at : d->now, l, when[l], sizeof(when[l]));
    bb_snprintf(
        tid, sizeof(tid),
        SAPAAN_REG(
            "Penundaan permintaan penghapusan data Anda sudah dicabut. Semua data Anda akan "
            "dihapus "
            "%s%s.",
            "Penundaan permintaan penghapusan datamu sudah dicabut. Semua datamu akan dihapus "
            "%s%s."),
        e.due_at > d->now ? "pada " : "sekarang, ", when[0]);
    bb_snprintf(ten, sizeof(ten),
                "The hold on your erasure request has been lifted. All your data will be erased "
                "%s%s.",
                e.due_at > d->now ? "on " : "now, ", when[1]);
    if (rc == BB_OK)
        rc = send2(d, e.person_id, tid, ten);
    if (rc == BB_OK)
        return store_commit(d->st);
    store_rollback(d->st);
    return rc;
}

static const char *const state_names[] = {"pending", "held", "done", "cancelled"};

int privacy_erasure_json(const struct domain_ctx *d, cJSON **out)
{
    struct store_erasure *v = NULL;
    int n = 0, rc = store_erasure_list(d->st, 500, &v, &n);
    cJSON *arr;
    *out = NULL;
    if (rc != BB_OK)
        return rc;
    if (!(arr = cJSON_CreateArray())) {
        free(v);
        return BB_ENOMEM;
    }
    for (int i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o) {
            rc = BB_ENOMEM;
            break;
        }
        cJSON_AddItemToArray(arr, o);
        cJSON_AddNumberToObject(o, "id", (double)v[i].id);
        cJSON_AddStringToObject(o, "nip", v[i].nip);
        cJSON_AddStringToObject(o, "name", v[i].name);
        cJSON_AddStringToObject(o, "state", state_names[v[i].state & 3]);
        cJSON_AddNumberToObject(o, "requested_at", (double)v[i].requested_at);
        cJSON_AddNumberToObject(o, "due_at", (double)v[i].due_at);
        cJSON_AddNumberToObject(o, "done_at", (double)v[i].done_at);
        cJSON_AddStringToObject(o, "reason", v[i].reason);
        cJSON_AddStringToObject(o, "actor", v[i].actor);
    }
    free(v);
    if (rc != BB_OK) {
        cJSON_Delete(arr);
        return rc;
    }
    *out = arr;
    return BB_OK;
}

/* ---- carrying out --------------------------------------------------------------- */

static const char *const text_erased[3] = {
    "Semua data Anda sudah dihapus dari bimbing, sesuai permintaan Anda. Terima kasih sudah "
    "memakai "
    "bimbing. Bila suatu saat ingin kembali, minta kode undangan baru ke bagian SDM.",
    "All your data has been erased from bimbing, as you asked. Thank you for using bimbing. If "
    "you ever want to come back, ask HR for a new invite code.",
    "Semua datamu sudah dihapus dari bimbing, sesuai permintaanmu. Makasih sudah memakai "
    "bimbing. Kalau suatu saat ingin kembali, minta kode undangan baru ke bagian SDM.",
};

/* One request: the erasure and a last message to the chat it came from,
 * in one transaction (the message is the only trace, with no person). */
static int erase_one(const struct domain_ctx *d, int64_t id)
{
    struct store_erasure e;
    struct store_person p;
    char channel[16] = "", ext[64] = "", *body = NULL;
    int rc = store_erasure_get(d->st, id, &e), li = 0;
    if (rc != BB_OK)
        return rc;
    if (store_person_by_id(d->st, e.person_id, &p) == BB_OK) {
        li = lang_of(&p);
        if (store_identity_last(d->st, p.id, channel, sizeof(channel), ext, sizeof(ext)) != BB_OK)
            channel[0] = '\0';
    }
    rc = store_begin(d->st);
    if (rc)
        return rc;
    rc = store_erasure_run(d->st, id, d->now);
    if (rc == BB_OK && channel[0] &&
        (rc = outmsg_encode_text(text_erased[SAPAAN_LI(li)], &body)) == BB_OK)
        rc = store_outbox_put(d->st, 0, channel, ext, STORE_PRIO_LIVE, body, 0, NULL);
    free(body);
    if (rc == BB_OK)
        return store_commit(d->st);
    store_rollback(d->st);
    return rc;
}

int privacy_erase_due(const struct domain_ctx *d, int *n)
{
    int64_t ids[PRIVACY_ERASE_BATCH];
    int k = 0, rc = store_erasure_due(d->st, d->now, ids, PRIVACY_ERASE_BATCH, &k);
    *n = 0;
    for (int i = 0; rc == BB_OK && i < k; i++) {
        rc = erase_one(d, ids[i]);
        if (rc == BB_OK)
            (*n)++;
        else
            bb_log(BB_LOG_ERR, "privacy", "erasure request %" PRId64 " failed: %s (%s)", ids[i],
                   bb_strerror(rc), store_errmsg(d->st));
    }
    if (*n)
        bb_log(BB_LOG_INFO, "privacy", "%d erasure request(s) carried out", *n);
    return rc;
}

int privacy_purge(const struct domain_ctx *d, int n[STORE_KEEP_N], int *more)
{
    struct config defaults;
    const struct config *cfg = d->cfg;
    if (!cfg) {
        config_defaults(&defaults);
        cfg = &defaults;
    }
    return store_purge(d->st, cfg->keep, d->now, PRIVACY_PURGE_BATCH, n, more);
}

static int privacy_tick(const struct domain_ctx *d, int *did)
{
    int erased = 0, n[STORE_KEEP_N], more = 0, purged = 0;
    int64_t next = 0;
    int rc = privacy_erase_due(d, &erased);
    if (rc == BB_OK)
        rc = store_privacy_meta_get(d->st, "purge_next", &next);
    if (rc == BB_OK && d->now >= next) {
        rc = privacy_purge(d, n, &more);
        for (int c = 0; rc == BB_OK && c < STORE_KEEP_N; c++)
            purged += n[c];
        if (rc == BB_OK)
            rc = store_privacy_meta_set(d->st, "purge_next",
                                        more ? d->now : d->now + PRIVACY_PURGE_EVERY);
        if (purged)
            bb_log(BB_LOG_INFO, "privacy", "retention: %d row(s) blanked or deleted", purged);
    }
    if (did)
        *did = erased + purged;
    return rc;
}

static const struct domain_action privacy_actions[] = {
    {{"privacy_export", 'b', {NULL}, "", "", {NULL}, NULL}, act_export},
    {{"privacy_erase", 'b', {NULL}, "", "", {NULL}, NULL}, act_erase},
    DOMAIN_ACTIONS_END,
};

const struct domain_module privacy_module = {
    .name = "privacy",
    .actions = privacy_actions,
    .tick = privacy_tick,
    .cmds = privacy_cmds,
};
