/*
 * work.c - the "work" module: leave (/cuti) as flow actions and person
 * fields (see work.h). Called by the core inside its batch; core thread.
 */
#include "bot/domain/work/work.h"
#include "bot/base/bb.h"
#include "bot/base/sapaan.h"
#include "bot/base/cal.h"
#include "bot/core/core.h"
#include "bot/core/worktime.h"
#include "store/store_work.h"

#include <inttypes.h>
#include <string.h>

/* The person's local day now, and their leave (STORE_WORK_NO_LEAVE when
 * none is on: a leave that ended before today is none). */
static int leave_now(const struct domain_ctx *d, const struct store_person *p, int64_t *today,
                     int64_t *until)
{
    struct store_work w;
    int rc = store_work_get(d->st, p->id, &w);
    if (rc != BB_OK)
        return rc;
    *today = work_local_day(core_person_zone(d->core, p->tz), d->now);
    *until = w.leave_until >= *today ? w.leave_until : STORE_WORK_NO_LEAVE;
    return BB_OK;
}

static int tell(const struct domain_ctx *d, const struct store_person *p, const char *id,
                const char *en)
{
    const char *t[2] = {id, en};
    int rc = core_send_text(d->core, p->id, t, STORE_PRIO_LIVE, 0);
    return rc == BB_ENOTFOUND ? BB_OK : rc; /* no chat to tell: the leave still holds */
}

/* {"leave": "<date>"}: on leave through that local day. */
static int act_leave(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(args, "leave");
    int64_t day, today, until, back = 0;
    char dayt[2][64], backt[2][96], id[400], en[400];
    int rc;
    if (!cJSON_IsString(v) || cal_parse_iso(v->valuestring, &day) != 0) {
        bb_log(BB_LOG_WARN, "work", "leave: not a date; nothing changed");
        return BB_OK;
    }
    if ((rc = leave_now(d, p, &today, &until)) != BB_OK)
        return rc;
    if (day < today || day > today + WORK_LEAVE_MAX)
        return tell(d, p,
                    "Tanggal itu tidak bisa saya pakai: cuti bisa dicatat mulai hari ini sampai "
                    "setahun ke depan. Tidak ada yang diubah.",
                    "I can't use that date: leave can run from today up to a year ahead. "
                    "Nothing was changed.");
    if ((rc = store_work_set_leave(d->st, p->id, day, d->now)) != BB_OK)
        return rc;
    for (int li = 0; li < 2; li++)
        work_format_day(day, li, dayt[li], sizeof(dayt[li]));
    if (!core_work_on(d->core)) {
        bb_snprintf(
            id, sizeof(id),
            SAPAAN_REG(
                "Baik, selamat cuti. Sampai %s saya tidak mengirim check-in maupun pengingat. "
                "Ketik /cuti batal bila Anda kembali lebih awal.",
                "Oke, selamat cuti. Sampai %s saya tidak mengirim check-in maupun pengingat. "
                "Ketik /cuti batal kalau kamu kembali lebih awal."),
            dayt[0]);
        bb_snprintf(en, sizeof(en),
                    "Enjoy your leave. Until %s I won't send check-ins or reminders. Type /leave "
                    "cancel if you are back earlier.",
                    dayt[1]);
        return tell(d, p, id, en);
    }
    if ((rc = core_work_next(d->core, p, d->now, &back)) != BB_OK)
        return rc;
    for (int li = 0; li < 2; li++)
        work_format_when(core_person_zone(d->core, p->tz), back, li, backt[li], sizeof(backt[li]));
    bb_snprintf(
        id, sizeof(id),
        SAPAAN_REG("Baik, selamat cuti. Sampai %s saya tidak mengirim check-in maupun pengingat; "
                   "kita lanjutkan lagi pada %s. Ketik /cuti batal bila Anda kembali lebih awal.",
                   "Oke, selamat cuti. Sampai %s saya tidak mengirim check-in maupun pengingat; "
                   "kita lanjutkan lagi pada %s. Ketik /cuti batal kalau kamu kembali lebih awal."),
        dayt[0], backt[0]);
    bb_snprintf(en, sizeof(en),
                "Enjoy your leave. Until %s I won't send check-ins or reminders; we'll pick up "
                "again on %s. Type /leave cancel if you are back earlier.",
                dayt[1], backt[1]);
    return tell(d, p, id, en);
}

/* {"leave_end": true}: back early. */
static int act_leave_end(const struct domain_ctx *d, const struct store_person *p,
                         const cJSON *args)
{
    int64_t today, until;
    int rc = leave_now(d, p, &today, &until);
    (void)args;
    if (rc != BB_OK)
        return rc;
    if (until == STORE_WORK_NO_LEAVE)
        return tell(d, p,
                    SAPAAN_REG("Saat ini Anda tidak sedang cuti, jadi tidak ada yang diubah.",
                               "Saat ini kamu tidak sedang cuti, jadi tidak ada yang diubah."),
                    "You are not on leave at the moment, so nothing was changed.");
    if ((rc = store_work_set_leave(d->st, p->id, STORE_WORK_NO_LEAVE, d->now)) != BB_OK)
        return rc;
    return tell(
        d, p,
        SAPAAN_REG("Selamat datang kembali. Cuti Anda sudah saya akhiri; check-in dan pengingat "
                   "berjalan lagi seperti biasa.",
                   "Selamat datang kembali. Cutimu sudah saya akhiri; check-in dan pengingat "
                   "berjalan lagi seperti biasa."),
        "Welcome back. Your leave has ended; check-ins and reminders are back as usual.");
}

static int person_fields(const struct domain_ctx *d, const struct store_person *p, cJSON *out)
{
    int64_t today, until;
    char day[64] = "";
    int rc = leave_now(d, p, &today, &until);
    if (rc != BB_OK)
        return rc;
    if (until != STORE_WORK_NO_LEAVE)
        work_format_day(until, strcmp(p->lang, "en") == 0 ? 1 : 0, day, sizeof(day));
    if (!cJSON_AddBoolToObject(out, "on_leave", until != STORE_WORK_NO_LEAVE) ||
        !cJSON_AddStringToObject(out, "leave_until", day))
        return BB_ENOMEM;
    return BB_OK;
}

/* every name person_fields adds (computed on first read, domain.h) */
static const char *const field_names[] = {"on_leave", "leave_until", NULL};

static const struct domain_action actions[] = {
    {{"leave", 'e', {NULL}, "", "", {NULL}, NULL}, act_leave},
    {{"leave_end", 'b', {NULL}, "", "", {NULL}, NULL}, act_leave_end},
    DOMAIN_ACTIONS_END,
};

const struct domain_module work_module = {
    .name = "work",
    .actions = actions,
    .person_fields = person_fields,
    .person_field_names = field_names,
    .cmds = work_cmds,
};
