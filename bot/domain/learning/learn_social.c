/*
 * learn_social.c - the social side of personalised learning (issue 15,
 * docs/learning.md): a colleague who agreed to be asked, and the mentor's
 * view of a mentee's learning plan. Flow actions of the learning module
 * (rows in learn.c), run by the core inside its batch; core thread only.
 *
 *   learn_askme_show   result: "ok" (message: what the person agreed to be
 *                      asked about; options: each competency rated 3 or 4)
 *                      or "none" (nothing rated 3 or more)
 *   learn_askme_set    fields comp (an option of learn_askme_show): agree,
 *                      or withdraw when already agreed
 *   learn_ask_answer   fields req, yes: the colleague's answer, relayed to
 *                      the asker (nothing shared without a yes)
 *   learn_mentee_plans the mentor's mentees' learning plans, each only with
 *                      the mentee's consent "mentor_learning"
 * and, for learn.c: the colleagues offered to /belajar
 * (learn_colleagues_load) and the request made when one is picked
 * (learn_ask_colleague); for the mentoring module: learn_plan_lines.
 */
#include "bot/domain/learning/learn_int.h"
#include "bot/base/bb.h"
#include "bot/base/cal.h"
#include "bot/base/sapaan.h"
#include "bot/core/core.h"
#include "store/store_coaching.h"
#include "store/store_learning.h"
#include "store/store_mentoring.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOD           "learning"
#define ASK_FLOW      "learning.colleague"
#define PLAN_DONE_MAX 3  /* finished items the mentor sees */
#define PLAN_HIST     24 /* newest plan rows read for them */
#define MIN_PER_JP    45
#define TEXT_CAP      4000

/* The name a colleague is shown by: their panggilan, else their first name. */
static void short_name(const char *panggilan, const char *name, char *out, size_t n)
{
    if (panggilan && *panggilan) {
        bb_strlcpy(out, panggilan, n);
        return;
    }
    bb_strlcpy(out, name ? name : "", n);
    char *sp = strchr(out, ' ');
    if (sp)
        *sp = '\0';
}

/* ---- colleagues offered to /belajar -------------------------------------- */

int learn_colleagues_load(const struct domain_ctx *d, const struct store_person *p,
                          struct learn_coll **out, int *n)
{
    struct store_learn_colleague *rows = calloc(STORE_LEARN_COLLEAGUES, sizeof(*rows));
    struct learn_coll *c = NULL;
    int nr = 0, nc = 0, rc;
    *out = NULL;
    *n = 0;
    if (!rows)
        return BB_ENOMEM;
    rc =
        store_learning_colleagues(d->st, p->id, p->unit, d->now, rows, STORE_LEARN_COLLEAGUES, &nr);
    if (rc == BB_OK && nr && !(c = calloc((size_t)nr, sizeof(*c))))
        rc = BB_ENOMEM;
    /* one colleague per competency: the rows come same unit first, so a
     * colleague of the asker's own unit is preferred */
    for (int i = 0; rc == BB_OK && i < nr; i++) {
        int covered = 0, at = -1;
        for (int k = 0; k < nc && !covered; k++)
            for (int j = 0; j < c[k].ncomps; j++)
                covered |= !strcmp(c[k].comp[j], rows[i].comp);
        if (covered)
            continue;
        for (int k = 0; k < nc && at < 0; k++)
            if (c[k].person_id == rows[i].person_id)
                at = k;
        if (at < 0) {
            char nm[64];
            at = nc++;
            c[at].person_id = rows[i].person_id;
            bb_strlcpy(c[at].nip, rows[i].nip, sizeof(c[at].nip));
            bb_snprintf(c[at].id, sizeof(c[at].id), "%s%s", LEARN_COLL_PREFIX, rows[i].nip);
            short_name(rows[i].panggilan, rows[i].name, nm, sizeof(nm));
            bb_snprintf(c[at].title, sizeof(c[at].title),
                        learn_en(p) ? "Ask a colleague: %s (%s)" : "Bertanya kepada rekan: %s (%s)",
                        nm, rows[i].unit);
        }
        if (c[at].ncomps < LEARN_COMP_MAX)
            bb_strlcpy(c[at].comp[c[at].ncomps++], rows[i].comp, sizeof(c[at].comp[0]));
    }
    free(rows);
    if (rc != BB_OK) {
        free(c);
        return rc;
    }
    *out = c;
    *n = nc;
    return BB_OK;
}

void learn_coll_cand(struct learn_coll *c, struct learn_cand *out)
{
    memset(out, 0, sizeof(*out));
    out->id = c->id;
    out->provider = c->nip;
    out->modality = "colleague";
    out->level = "";
    out->jp = 0;
    for (int j = 0; j < c->ncomps; j++)
        out->comps[j] = c->comp[j];
    out->ncomps = c->ncomps;
}

int learn_ask_colleague(const struct domain_ctx *d, const struct store_person *p,
                        const struct learn_coll *c, const char *comp)
{
    struct store_person g;
    char msg[600], nm[64];
    int64_t id = 0;
    int rc = store_person_by_id(d->st, c->person_id, &g);
    if (rc != BB_OK)
        return rc;
    short_name(g.panggilan, g.name, nm, sizeof(nm));
    rc = store_learning_ask_add(d->st, p->id, g.id, comp, d->now, &id);
    if (rc == BB_EEXIST || rc == BB_ELIMIT) {
        bb_snprintf(msg, sizeof(msg),
                    learn_en(p)
                        ? "%s can't take another request just now; nothing was sent."
                        : "%s belum dapat menerima permintaan lagi saat ini; tidak ada yang "
                          "dikirim.",
                    nm);
        return learn_result(d, "refused", NULL, msg);
    }
    if (rc != BB_OK || (rc = core_start_flow(d->core, g.id, ASK_FLOW, d->now)) != BB_OK)
        return rc;
    bb_log(BB_LOG_INFO, MOD, "ask %" PRId64 ": person %" PRId64 " asked person %" PRId64, id, p->id,
           g.id);
    bb_snprintf(msg, sizeof(msg),
                learn_en(p)
                    ? "I've asked %s (%s) whether they are willing to share what they know "
                      "about %s, with your name. Nothing else about you is shared; I'll let "
                      "you know their answer."
                    : SAPAAN_REG("Saya sudah bertanya kepada %s (%s) apakah bersedia berbagi "
                                 "tentang %s, dengan menyebut nama Anda. Tidak ada hal lain "
                                 "tentang Anda yang dibagikan; jawabannya akan saya sampaikan.",
                                 "Saya sudah bertanya ke %s (%s) apakah bersedia berbagi "
                                 "tentang %s, dengan menyebut namamu. Tidak ada hal lain "
                                 "tentang kamu yang dibagikan; jawabannya akan saya sampaikan."),
                nm, g.unit, learn_comp_label(comp, learn_en(p)));
    return learn_result(d, "asked", c->id, msg);
}

/* ---- the colleague's answer ---------------------------------------------- */

int learn_act_ask_answer(const struct domain_ctx *d, const struct store_person *p,
                         const cJSON *args)
{
    const cJSON *req = learn_field(args, "req"), *yes = learn_field(args, "yes");
    struct store_learn_ask a;
    struct store_person asker;
    char nm[64], tid[700], ten[700];
    long long id = 0;
    int rc;
    if (cJSON_IsNumber(req))
        id = (long long)req->valuedouble;
    else if (!cJSON_IsString(req) || bb_parse_ll(req->valuestring, 1, INT64_MAX, &id) != BB_OK)
        id = 0;
    if (id <= 0) {
        bb_log(BB_LOG_WARN, MOD, "learn_ask_answer: no request; nothing changed");
        return learn_result(d, "none", NULL, "");
    }
    rc = store_learning_ask_answer(d->st, id, p->id, cJSON_IsTrue(yes), d->now, &a);
    if (rc == BB_ENOTFOUND)
        return learn_result(d, "none", NULL,
                            learn_en(p)
                                ? "That request is no longer open; nothing was sent."
                                : "Permintaan itu sudah tidak berlaku; tidak ada yang dikirim.");
    if (rc != BB_OK || (rc = store_person_by_id(d->st, a.asker_id, &asker)) != BB_OK)
        return rc;
    short_name(p->panggilan, p->name, nm, sizeof(nm));
    if (cJSON_IsTrue(yes)) {
        bb_snprintf(tid, sizeof(tid),
                    SAPAAN_REG("Kabar baik: %s (%s) bersedia berbagi tentang %s. Silakan hubungi "
                               "beliau langsung untuk mengatur waktu; beliau juga sudah tahu nama "
                               "dan unit Anda.",
                               "Kabar baik: %s (%s) bersedia berbagi tentang %s. Silakan hubungi "
                               "dia langsung untuk mengatur waktu; dia juga sudah tahu nama dan "
                               "unitmu."),
                    nm, p->unit, a.comp);
        bb_snprintf(ten, sizeof(ten),
                    "Good news: %s (%s) is willing to share what they know about %s. Please "
                    "contact them directly to find a time; they know your name and unit too.",
                    nm, p->unit, learn_comp_label(a.comp, 1));
    } else {
        bb_snprintf(tid, sizeof(tid),
                    "%s belum dapat berbagi tentang %s saat ini. Ketik /belajar untuk saran lain.",
                    nm, a.comp);
        bb_snprintf(ten, sizeof(ten),
                    "%s can't share about %s just now. Type /learn for other suggestions.", nm,
                    learn_comp_label(a.comp, 1));
    }
    const char *t[2] = {tid, ten};
    rc = core_send_text(d->core, asker.id, t, STORE_PRIO_LIVE, 0);
    if (rc != BB_OK && rc != BB_ENOTFOUND)
        return rc;
    return learn_result(d, "ok", cJSON_IsTrue(yes) ? "yes" : "no", "");
}

/* ---- the opt-in ----------------------------------------------------------- */

/* An option id for a competency: itself with '_' for spaces when it is made
 * of a-z 0-9 - and spaces and fits, else "k" and its place in the profile. */
static void comp_option(const char *comp, int idx, char *out, size_t n)
{
    size_t len = strlen(comp);
    int clean = len > 0 && len <= 40 && len < n;
    for (size_t i = 0; clean && i < len; i++)
        clean = (comp[i] >= 'a' && comp[i] <= 'z') || (comp[i] >= '0' && comp[i] <= '9') ||
                comp[i] == '-' || comp[i] == ' ';
    if (!clean) {
        bb_snprintf(out, n, "k%d", idx);
        return;
    }
    for (size_t i = 0; i <= len; i++)
        out[i] = comp[i] == ' ' ? '_' : comp[i];
}

static int is_askable(char (*on)[64], int non, const char *comp)
{
    for (int i = 0; i < non; i++)
        if (!strcmp(on[i], comp))
            return 1;
    return 0;
}

int learn_act_askme_show(const struct domain_ctx *d, const struct store_person *p,
                         const cJSON *args)
{
    struct store_learn_need nd[STORE_LEARN_NEEDS_MAX];
    char on[STORE_LEARN_NEEDS_MAX][64];
    int n = 0, non = 0, offered = 0, rc;
    struct bb_buf b;
    cJSON *opts;
    (void)args;
    if (!d->result)
        return BB_OK;
    if ((rc = store_learning_needs(d->st, p->id, nd, STORE_LEARN_NEEDS_MAX, &n)) != BB_OK ||
        (rc = store_learning_askable(d->st, p->id, on, STORE_LEARN_NEEDS_MAX, &non)) != BB_OK)
        return rc;
    if (!(opts = cJSON_CreateArray()))
        return BB_ENOMEM;
    bb_buf_init(&b, 2048);
    if (non) {
        bb_buf_puts(&b, learn_en(p)
                            ? "Colleagues who want to learn may ask you, through me, about:"
                            : SAPAAN_REG("Rekan yang ingin belajar dapat meminta bantuan Anda, "
                                         "melalui saya, tentang:",
                                         "Rekan yang ingin belajar bisa meminta bantuanmu, "
                                         "melalui saya, tentang:"));
        for (int i = 0; i < non; i++)
            bb_buf_printf(&b, "\n- %s", learn_comp_label(on[i], learn_en(p)));
    } else {
        bb_buf_puts(&b, learn_en(p)
                            ? "You have not offered to be asked about any competency yet."
                            : SAPAAN_REG("Anda belum bersedia ditanya tentang kompetensi apa "
                                         "pun.",
                                         "Kamu belum bersedia ditanya tentang kompetensi apa "
                                         "pun."));
    }
    for (int i = 0; i < n; i++) {
        char oid[48], label[FLOW_LABEL_MAX * 4];
        cJSON *o;
        if (nd[i].current < STORE_LEARN_ASK_MIN)
            continue;
        comp_option(nd[i].comp, i, oid, sizeof(oid));
        bb_snprintf(label, sizeof(label), "%s%s", is_askable(on, non, nd[i].comp) ? "✓ " : "",
                    learn_comp_label(nd[i].comp, learn_en(p)));
        label[bb_utf8_cut(label, strlen(label), (size_t)FLOW_LABEL_MAX)] = '\0';
        if (!(o = cJSON_CreateObject()) || !cJSON_AddItemToArray(opts, o) ||
            !cJSON_AddStringToObject(o, "id", oid) || !cJSON_AddStringToObject(o, "label", label)) {
            cJSON_Delete(opts); /* o belongs to opts once added (cJSON_AddItemToArray) */
            bb_buf_free(&b);
            return BB_ENOMEM;
        }
        offered++;
    }
    if (!offered) {
        cJSON_Delete(opts);
        bb_buf_free(&b);
        return learn_result(
            d, "none", NULL,
            learn_en(p) ? "You can offer the competencies you rate 3 or 4 in your profile. "
                          "None is rated that high yet: rate them with /profile."
                        : SAPAAN_REG("Anda dapat menawarkan kompetensi yang Anda nilai 3 atau "
                                     "4 di profil. Belum ada yang bernilai setinggi itu: "
                                     "nilailah dengan /profil.",
                                     "Kamu bisa menawarkan kompetensi yang kamu nilai 3 atau "
                                     "4 di profil. Belum ada yang bernilai setinggi itu: "
                                     "nilailah dengan /profil."));
    }
    rc = learn_result(d, "ok", NULL, b.data ? b.data : "");
    if (rc == BB_OK)
        cJSON_AddItemToObject(d->result, "options", opts);
    else
        cJSON_Delete(opts);
    bb_buf_free(&b);
    return rc;
}

int learn_act_askme_set(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    const cJSON *v = learn_field(args, "comp");
    struct store_learn_need nd[STORE_LEARN_NEEDS_MAX];
    char on[STORE_LEARN_NEEDS_MAX][64], msg[600];
    int n = 0, non = 0, rc, at = -1;
    if (!cJSON_IsString(v)) {
        bb_log(BB_LOG_WARN, MOD, "learn_askme_set: no comp; nothing stored");
        return learn_result(d, "refused", NULL, "");
    }
    if ((rc = store_learning_needs(d->st, p->id, nd, STORE_LEARN_NEEDS_MAX, &n)) != BB_OK ||
        (rc = store_learning_askable(d->st, p->id, on, STORE_LEARN_NEEDS_MAX, &non)) != BB_OK)
        return rc;
    for (int i = 0; i < n && at < 0; i++) {
        char oid[48];
        comp_option(nd[i].comp, i, oid, sizeof(oid));
        if (!strcmp(oid, v->valuestring))
            at = i;
    }
    if (at < 0)
        return learn_result(
            d, "refused", NULL,
            learn_en(p) ? "That competency is no longer in your profile; nothing was changed."
                        : "Kompetensi itu sudah tidak ada di profil; tidak ada yang diubah.");
    const char *comp = nd[at].comp, *lbl = learn_comp_label(nd[at].comp, learn_en(p));
    if (is_askable(on, non, comp)) {
        if ((rc = store_learning_askable_set(d->st, p->id, comp, 0, d->now)) != BB_OK)
            return rc;
        bb_snprintf(msg, sizeof(msg),
                    learn_en(p) ? "Withdrawn: you will no longer be suggested for %s. A request "
                                  "already sent stays yours to answer or decline."
                                : "Ditarik: Anda tidak lagi disarankan untuk %s. Permintaan yang "
                                  "sudah terkirim tetap boleh Anda jawab atau tolak.",
                    lbl);
        return learn_result(d, "ok", "off", msg);
    }
    rc = store_learning_askable_set(d->st, p->id, comp, 1, d->now);
    if (rc == BB_EINVAL)
        return learn_result(
            d, "refused", NULL,
            learn_en(p) ? "Only a competency you rate 3 or 4 can be offered; nothing was "
                          "changed."
                        : "Hanya kompetensi yang Anda nilai 3 atau 4 yang dapat ditawarkan; "
                          "tidak ada yang diubah.");
    if (rc != BB_OK)
        return rc;
    bb_snprintf(msg, sizeof(msg),
                learn_en(p)
                    ? "Noted: a colleague who wants to learn %s may be pointed to you. They "
                      "see your name and unit, never your ratings, and I ask you first each "
                      "time (at most 3 requests a week)."
                    : SAPAAN_REG("Tercatat: rekan yang ingin belajar %s dapat diarahkan kepada "
                                 "Anda. Mereka melihat nama dan unit Anda, tidak pernah nilai "
                                 "Anda, dan saya selalu bertanya kepada Anda lebih dulu (paling "
                                 "banyak 3 permintaan seminggu).",
                                 "Tercatat: rekan yang ingin belajar %s bisa diarahkan "
                                 "kepadamu. Mereka melihat nama dan unitmu, tidak pernah "
                                 "nilaimu, dan saya selalu bertanya kepadamu lebih dulu (paling "
                                 "banyak 3 permintaan seminggu)."),
                lbl);
    return learn_result(d, "ok", "on", msg);
}

/* ---- the mentor's view ---------------------------------------------------- */

static int consent_learning(struct store *st, int64_t mentee_id, int *yes)
{
    int g = -1;
    int rc = store_consent_get(st, mentee_id, "mentor_learning", &g);
    *yes = rc == BB_OK && g == 1;
    return rc == BB_ENOTFOUND ? BB_OK : rc;
}

/* This year's JP of the person (their local year), in tenths. */
static int year_tenths(const struct domain_ctx *d, const struct store_person *m, int *tenths)
{
    int64_t day = cal_floor_div(d->now + core_tz_offset(d->core, m->tz, d->now), 86400), y, min = 0;
    int mo, dd, rc;
    char from[16], to[16];
    cal_civil_from_days(day, &y, &mo, &dd);
    bb_snprintf(from, sizeof(from), "%04lld-01-01", (long long)y);
    bb_snprintf(to, sizeof(to), "%04lld-01-01", (long long)y + 1);
    if ((rc = store_coaching_jp_minutes(d->st, m->id, from, to, &min)) != BB_OK)
        return rc;
    *tenths = (int)((min * 10 + MIN_PER_JP / 2) / MIN_PER_JP);
    return BB_OK;
}

static void fmt_tenths(int t, int li, char *out, size_t n)
{
    if (t % 10)
        bb_snprintf(out, n, li ? "%d.%d" : "%d,%d", t / 10, t % 10);
    else
        bb_snprintf(out, n, "%d", t / 10);
}

int learn_plan_lines(const struct domain_ctx *d, const struct store_person *m, int full,
                     struct bb_buf *out[2])
{
    struct store_learn_plan cur, hist[PLAN_HIST];
    int yes = 0, nh = 0, tenths = 0, rc, have_cur, shown = 0;
    char jp[2][24];
    if ((rc = consent_learning(d->st, m->id, &yes)) != BB_OK)
        return rc;
    if (!yes) {
        bb_buf_puts(out[0], "\n   rencana belajar: tidak dibagikan");
        bb_buf_puts(out[1], "\n   learning plan: not shared");
        return BB_OK;
    }
    rc = store_learning_plan_current(d->st, m->id, &cur);
    if (rc != BB_OK && rc != BB_ENOTFOUND)
        return rc;
    have_cur = rc == BB_OK;
    if ((rc = year_tenths(d, m, &tenths)) != BB_OK)
        return rc;
    for (int l = 0; l < 2; l++)
        fmt_tenths(tenths, l, jp[l], sizeof(jp[l]));
    if (!full) {
        if (have_cur) {
            bb_buf_printf(out[0], "\n   belajar: sedang %s; %s/20 JP tahun ini", cur.title, jp[0]);
            bb_buf_printf(out[1], "\n   learning: taking %s; %s/20 JP this year", cur.title, jp[1]);
        } else {
            bb_buf_printf(out[0], "\n   belajar: %s/20 JP tahun ini", jp[0]);
            bb_buf_printf(out[1], "\n   learning: %s/20 JP this year", jp[1]);
        }
        return BB_OK;
    }
    if (have_cur) {
        char since[2][32];
        for (int l = 0; l < 2; l++) {
            int64_t day = cal_floor_div(
                cur.started_at + core_tz_offset(d->core, m->tz, cur.started_at), 86400);
            cal_format_date(day, l, CAL_SHORT, since[l], sizeof(since[l]));
        }
        bb_buf_printf(out[0], "\n   sedang diikuti: %s (%d JP, sejak %s)", cur.title, cur.jp,
                      since[0]);
        bb_buf_printf(out[1], "\n   taking: %s (%d JP, since %s)", cur.title, cur.jp, since[1]);
    } else {
        bb_buf_puts(out[0], "\n   sedang diikuti: belum ada");
        bb_buf_puts(out[1], "\n   taking: nothing at the moment");
    }
    rc = store_learning_history(d->st, m->id, d->now - 366 * 86400, hist, PLAN_HIST, &nh);
    if (rc != BB_OK)
        return rc;
    for (int i = 0; i < nh && shown < PLAN_DONE_MAX; i++) {
        if (strcmp(hist[i].state, "done"))
            continue;
        bb_buf_printf(out[0], "%s%s (%d JP)", shown ? "; " : "\n   selesai: ", hist[i].title,
                      hist[i].jp);
        bb_buf_printf(out[1], "%s%s (%d JP)", shown ? "; " : "\n   finished: ", hist[i].title,
                      hist[i].jp);
        shown++;
    }
    if (!shown) {
        bb_buf_puts(out[0], "\n   selesai: belum ada dalam 12 bulan terakhir");
        bb_buf_puts(out[1], "\n   finished: none in the past 12 months");
    }
    bb_buf_printf(out[0], "\n   JP tahun ini: %s dari 20", jp[0]);
    bb_buf_printf(out[1], "\n   JP this year: %s of 20", jp[1]);
    return BB_OK;
}

int learn_act_mentee_plans(const struct domain_ctx *d, const struct store_person *p,
                           const cJSON *args)
{
    struct store_pairing *v = NULL;
    struct bb_buf id, en_;
    struct bb_buf *both[2] = {&id, &en_};
    int n = 0, rc;
    (void)args;
    if ((rc = store_pairing_list_active(d->st, p->id, &v, &n)) != BB_OK)
        return rc;
    bb_buf_init(&id, TEXT_CAP);
    bb_buf_init(&en_, TEXT_CAP);
    if (!n) {
        bb_buf_puts(&id, SAPAAN_REG("Anda belum memiliki mentee. Daftar ini untuk mentor.",
                                    "Kamu belum punya mentee. Daftar ini untuk mentor."));
        bb_buf_puts(&en_, "You have no mentees. This list is for mentors.");
    } else {
        bb_buf_puts(&id, SAPAAN_REG("Rencana belajar mentee Anda, sebagai bahan percakapan "
                                    "(hanya yang dibagikan oleh mentee):",
                                    "Rencana belajar mentee kamu, sebagai bahan obrolan (hanya "
                                    "yang dibagikan oleh mentee):"));
        bb_buf_puts(&en_, "Your mentees' learning plans, as a conversation starter (only what "
                          "each mentee shares):");
    }
    for (int i = 0; i < n && rc == BB_OK; i++) {
        struct store_person m;
        if ((rc = store_person_by_id(d->st, v[i].mentee_id, &m)) != BB_OK)
            break;
        bb_buf_printf(&id, "\n%d. %s, %s", i + 1, m.name, m.unit);
        bb_buf_printf(&en_, "\n%d. %s, %s", i + 1, m.name, m.unit);
        rc = learn_plan_lines(d, &m, 1, both);
    }
    if (rc == BB_OK && n) {
        bb_buf_puts(&id, "\nMentee membagikan rencananya dengan /bagibelajar.");
        bb_buf_puts(&en_, "\nA mentee shares their plan with /sharelearning.");
    }
    if (rc == BB_OK) {
        if (!id.data || !en_.data)
            rc = BB_ENOMEM;
        else {
            const char *t[2] = {id.data, en_.data};
            rc = core_send_text(d->core, p->id, t, STORE_PRIO_LIVE, 0);
            if (rc == BB_ENOTFOUND)
                rc = BB_OK;
        }
    }
    bb_buf_free(&id);
    bb_buf_free(&en_);
    free(v);
    return rc;
}

/* ---- person fields --------------------------------------------------------- */

int learn_social_fields(const struct domain_ctx *d, const struct store_person *p, cJSON *out)
{
    struct store_learn_ask a;
    struct store_person asker;
    char who[300] = "";
    int rc = store_learning_ask_open(d->st, p->id, d->now, &a);
    if (rc == BB_ENOTFOUND) {
        a.id = 0;
        a.comp[0] = '\0';
    } else if (rc != BB_OK) {
        return rc;
    } else if ((rc = store_person_by_id(d->st, a.asker_id, &asker)) != BB_OK) {
        return rc;
    } else {
        bb_snprintf(who, sizeof(who), "%s (%s)", asker.name, asker.unit);
    }
    if (!cJSON_AddNumberToObject(out, "learn_ask_id", (double)a.id) ||
        !cJSON_AddStringToObject(out, "learn_ask_from", who) ||
        !cJSON_AddStringToObject(out, "learn_ask_comp",
                                 a.comp[0] ? learn_comp_label(a.comp, learn_en(p)) : ""))
        return BB_ENOMEM;
    return BB_OK;
}
