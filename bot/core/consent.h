/*
 * consent.h - consent enforced by the core: which consent each data
 * category (bot/flow/flow.h, flow_categories) needs, the gate every flow
 * passes before it starts, and the texts of /privasi's summary and of a
 * refused start. The flows only ask the questions and record the answers
 * (the core action "consent"); whether anything is stored is decided here.
 *
 *   category                                    consent
 *   checkin, development, mentoring, feedback   "data" (onboarding)
 *   health (WHO-5)                              "health" (its own question:
 *                                               specific personal data, UU 27/2022)
 *   survey (anonymous answers)                  none beyond onboarding
 *
 * A person has finished onboarding once they answered the "data" question
 * (yes or no); before that only onboarding, privacy flows and the built-in
 * commands (/bantuan, /menu, /batal, /lanjut) run.
 *
 * Called by the core (core.c, core_actions.c) on the core thread.
 */
#ifndef CONSENT_H
#define CONSENT_H

#include <stdint.h>

#include "bot/core/outmsg.h"
#include "bot/flow/flow.h"
#include "store/store.h"

enum consent_purpose {
    CONSENT_DATA = 0,        /* check-ins, development, mentoring, feedback */
    CONSENT_HEALTH,          /* wellbeing answers (WHO-5) */
    CONSENT_MENTOR_SHARE,    /* a short check-in summary to the mentor */
    CONSENT_WELLBEING_ALERT, /* mentor/HR told when a wellbeing check is low */
    CONSENT_NUMBER_SHARE,    /* a WhatsApp number (wa.me link) to the mentoring partner */
    CONSENT_MENTOR_LEARNING, /* the learning plan (docs/learning.md) shown to the mentor */
    CONSENT_N,
};

/* The purposes as stored (consents.purpose), in enum order. */
extern const char *const consent_purposes[CONSENT_N];
int consent_purpose_index(const char *name); /* -1 when unknown */

struct consent_state {
    int granted[CONSENT_N]; /* -1 never asked, 0 refused or withdrawn, 1 given */
};

int consent_load(struct store *st, int64_t person_id, struct consent_state *cs);
int consent_onboarded(const struct consent_state *cs);

/* The consent a data category needs (enum consent_purpose), or -1 for none. */
int consent_for_category(int category);
/* May data of this category (enum flow_category) be stored now? */
int consent_allows(const struct consent_state *cs, int category);

enum consent_gate {
    CONSENT_GATE_OK = 0,
    CONSENT_GATE_ONBOARDING, /* not onboarded yet */
    CONSENT_GATE_MISSING,    /* *missing: the consent the flow's data needs */
};
/* May flow f start for this person? (enum consent_gate) */
int consent_gate(const struct consent_state *cs, const struct flow *f, int *missing);

/* The reply to a refused start, in language li (0 id, 1 en): why, and a
 * button to the flow that fixes it (offer_flow: the onboarding flow for
 * CONSENT_GATE_ONBOARDING, the privacy flow for a missing consent; NULL:
 * no button). m's text is malloc'd: outmsg_clear(m). */
int consent_gate_reply(int li, int reason, int missing, const struct flow *f,
                       const char *offer_flow, struct outmsg *m);

/* What /privasi shows first: rows per category and each consent's state,
 * in language li. *out malloc'd (free()). */
int consent_summary(struct store *st, int64_t person_id, int li, char **out);

#endif
