/*
 * consent.c - consent enforced by the core (see consent.h): the category ->
 * consent table, the gate a flow passes before it starts, and the texts of
 * a refused start and of /privasi's summary.
 *
 * Thread rules: core thread only; constant data.
 */
#include "bot/core/consent.h"
#include "bot/base/bb.h"
#include "bot/base/sapaan.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *const consent_purposes[CONSENT_N] = {
    [CONSENT_DATA] = "data",
    [CONSENT_HEALTH] = "health",
    [CONSENT_MENTOR_SHARE] = "mentor_share",
    [CONSENT_WELLBEING_ALERT] = "wellbeing_alert",
    [CONSENT_NUMBER_SHARE] = "number_share",
    [CONSENT_MENTOR_LEARNING] = "mentor_learning",
};

/* One row per data category: the consent it needs (-1: none) and how
 * /privasi names it. */
static const struct {
    int consent;
    const char *label[FLOW_NLANG];
} categories[FLOW_NCAT] = {
    [FLOW_CAT_CHECKIN] = {CONSENT_DATA, {"Check-in mingguan", "Weekly check-ins"}},
    [FLOW_CAT_HEALTH] = {CONSENT_HEALTH,
                         {"Cek kesejahteraan (data kesehatan)", "Wellbeing checks (health data)"}},
    [FLOW_CAT_DEVELOPMENT] = {CONSENT_DATA,
                              {"Tujuan pengembangan, JP, GROW, refleksi",
                               "Development goals, learning hours (JP), GROW, reflections"}},
    [FLOW_CAT_MENTORING] = {CONSENT_DATA,
                            {"Permintaan mentor dan sesi mentoring",
                             "Mentor requests and mentoring sessions"}},
    [FLOW_CAT_FEEDBACK] = {CONSENT_DATA, {"Umpan balik", "Feedback"}},
    [FLOW_CAT_SURVEY] = {-1,
                         {"Undangan survei (jawabannya anonim)",
                          "Survey invitations (the answers are anonymous)"}},
};

static const char *const purpose_label[CONSENT_N][FLOW_NLANG] = {
    [CONSENT_DATA] = {"Data pendampingan (check-in, tujuan, mentor, umpan balik)",
                      "Coaching data (check-ins, goals, mentoring, feedback)"},
    [CONSENT_HEALTH] = {"Data kesehatan (cek kesejahteraan WHO-5)",
                        "Health data (WHO-5 wellbeing checks)"},
    [CONSENT_MENTOR_SHARE] = {"Ringkasan check-in untuk mentor",
                              "Check-in summary for your mentor"},
    [CONSENT_WELLBEING_ALERT] = {"Kabar ke mentor/SDM bila kesejahteraan rendah",
                                 "Telling your mentor/HR when wellbeing is low"},
    [CONSENT_NUMBER_SHARE] = {"Nomor WhatsApp untuk mentor/mentee (tautan wa.me)",
                              "Your WhatsApp number for your mentor/mentee (wa.me link)"},
    [CONSENT_MENTOR_LEARNING] = {"Rencana belajar untuk mentor", "Learning plan for your mentor"},
};

static const char *const state_label[3][FLOW_NLANG] = {
    {"belum ditanyakan", "not asked yet"},
    {"tidak diberikan", "not given"},
    {"diberikan", "given"},
};

int consent_purpose_index(const char *name)
{
    for (int i = 0; name && i < CONSENT_N; i++)
        if (strcmp(name, consent_purposes[i]) == 0)
            return i;
    return -1;
}

int consent_load(struct store *st, int64_t person_id, struct consent_state *cs)
{
    return store_consent_all(st, person_id, consent_purposes, CONSENT_N, cs->granted);
}

int consent_onboarded(const struct consent_state *cs)
{
    return cs->granted[CONSENT_DATA] >= 0;
}

int consent_for_category(int category)
{
    return category >= 0 && category < FLOW_NCAT ? categories[category].consent : -1;
}

int consent_allows(const struct consent_state *cs, int category)
{
    int need = consent_for_category(category);
    if (category < 0 || category >= FLOW_NCAT || !consent_onboarded(cs))
        return 0;
    return need < 0 || cs->granted[need] == 1;
}

int consent_gate(const struct consent_state *cs, const struct flow *f, int *missing)
{
    *missing = -1;
    /* Onboarding and a person's rights (/privasi, /ekspor, /hapusdata) run
     * for anyone, consent or not, as long as they store no category: a
     * flow of these kinds that declares one passes the checks below. */
    if ((strcmp(f->kind, "onboarding") == 0 || strcmp(f->kind, "privacy") == 0) && f->stores == 0)
        return CONSENT_GATE_OK;
    if (!consent_onboarded(cs))
        return CONSENT_GATE_ONBOARDING;
    for (int k = 0; k < FLOW_NCAT; k++) {
        int need = consent_for_category(k);
        if ((f->stores & (1u << k)) && need >= 0 && cs->granted[need] != 1) {
            *missing = need;
            return CONSENT_GATE_MISSING;
        }
    }
    return CONSENT_GATE_OK;
}

int consent_gate_reply(int li, int reason, int missing, const struct flow *f,
                       const char *offer_flow, struct outmsg *m)
{
    char text[1024];
    li = li == 1 ? 1 : 0;
    const char *title = f && f->title.t[li] ? f->title.t[li] : "";
    memset(m, 0, sizeof(*m));
    if (reason == CONSENT_GATE_ONBOARDING) {
        bb_strlcpy(
            text,
            li ? "We haven't finished getting started yet. Before I keep anything about "
                 "you, I explain what I store and ask for your consent. Until then you "
                 "can use /help and /privacy, and /talk to reach a person."
               : SAPAAN_REG(
                     "Kita belum selesai berkenalan. Sebelum menyimpan apa pun tentang Anda, "
                     "saya menjelaskan data apa yang saya simpan dan meminta persetujuan Anda. "
                     "Sampai saat itu Anda dapat memakai /bantuan dan /privasi, dan /bicara "
                     "untuk berbicara dengan seseorang.",
                     "Kita belum selesai berkenalan. Sebelum menyimpan apa pun tentang kamu, "
                     "saya menjelaskan data apa yang saya simpan dan meminta persetujuanmu. "
                     "Sampai saat itu kamu bisa memakai /bantuan dan /privasi, dan /bicara "
                     "untuk berbicara dengan seseorang."),
            sizeof(text));
    } else if (missing == CONSENT_HEALTH) {
        bb_snprintf(
            text, sizeof(text),
            li ? "\"%s\" keeps answers about your health. Under the personal data law "
                 "(UU 27/2022) that is specific personal data, so it needs its own "
                 "consent, which you have not given. I did not start it and kept "
                 "nothing. You can give it with the button below."
               : SAPAAN_REG(
                     "\"%s\" menyimpan jawaban tentang kesehatan Anda. Menurut UU 27/2022 itu "
                     "data pribadi yang spesifik, jadi perlu persetujuan tersendiri, yang "
                     "belum Anda berikan. Saya tidak memulainya dan tidak menyimpan apa "
                     "pun. Anda dapat memberikannya lewat tombol di bawah.",
                     "\"%s\" menyimpan jawaban tentang kesehatanmu. Menurut UU 27/2022 itu "
                     "data pribadi yang spesifik, jadi perlu persetujuan tersendiri, yang "
                     "belum kamu berikan. Saya tidak memulainya dan tidak menyimpan apa "
                     "pun. Kamu bisa memberikannya lewat tombol di bawah."),
            title);
    } else {
        bb_snprintf(
            text, sizeof(text),
            li ? "\"%s\" keeps your answers, and you have not given (or have withdrawn) "
                 "your consent for coaching data. I did not start it and kept nothing. "
                 "You can give your consent with the button below."
               : SAPAAN_REG("\"%s\" menyimpan jawaban Anda, dan Anda belum memberi (atau sudah "
                            "menarik) persetujuan untuk data pendampingan. Saya tidak memulainya "
                            "dan tidak menyimpan apa pun. Anda dapat memberikan persetujuan lewat "
                            "tombol di bawah.",
                            "\"%s\" menyimpan jawabanmu, dan kamu belum memberi (atau sudah "
                            "menarik) persetujuan untuk data pendampingan. Saya tidak memulainya "
                            "dan tidak menyimpan apa pun. Kamu bisa memberikan persetujuan lewat "
                            "tombol di bawah."),
            title);
    }
    if (!(m->text = strdup(text)))
        return BB_ENOMEM;
    if (offer_flow && offer_flow[0]) {
        if (!(m->choices = calloc(1, sizeof(*m->choices)))) {
            outmsg_clear(m);
            return BB_ENOMEM;
        }
        bb_snprintf(m->choices[0].id, sizeof(m->choices[0].id), "m.%s", offer_flow);
        bb_strlcpy(m->choices[0].label,
                   reason == CONSENT_GATE_ONBOARDING ? (li ? "Get started" : "Mulai perkenalan")
                                                     : (li ? "Review consent" : "Atur persetujuan"),
                   sizeof(m->choices[0].label));
        m->nchoices = 1;
    }
    return BB_OK;
}

int consent_summary(struct store *st, int64_t person_id, int li, char **out)
{
    struct consent_state cs;
    struct bb_buf b;
    int rc;
    li = li == 1 ? 1 : 0;
    *out = NULL;
    if ((rc = consent_load(st, person_id, &cs)) != BB_OK)
        return rc;
    bb_buf_init(&b, FLOW_TEXT_MAX);
    bb_buf_puts(&b, li ? "What I keep about you (entries):"
                       : SAPAAN_REG("Yang saya simpan tentang Anda (jumlah):",
                                    "Yang saya simpan tentang kamu (jumlah):"));
    for (int k = 0; k < FLOW_NCAT; k++) {
        int64_t n = 0;
        if ((rc = store_category_count(st, person_id, flow_categories[k], &n)) != BB_OK) {
            bb_buf_free(&b);
            return rc;
        }
        bb_buf_printf(&b, "\n- %s: %" PRId64, categories[k].label[li], n);
    }
    bb_buf_puts(&b,
                li ? "\nAlso your name, unit and position from HR records, and the "
                     "language you chose."
                   : SAPAAN_REG("\nJuga nama, unit, dan jabatan Anda dari data SDM, serta bahasa "
                                "pilihan Anda.",
                                "\nJuga nama, unit, dan jabatanmu dari data SDM, serta bahasa "
                                "pilihanmu."));
    bb_buf_puts(&b, li ? "\n\nYour consents:"
                       : SAPAAN_REG("\n\nPersetujuan Anda:", "\n\nPersetujuanmu:"));
    for (int i = 0; i < CONSENT_N; i++)
        bb_buf_printf(&b, "\n- %s: %s", purpose_label[i][li], state_label[cs.granted[i] + 1][li]);
    if (!(*out = bb_buf_take(&b)))
        return BB_ENOMEM;
    return BB_OK;
}
