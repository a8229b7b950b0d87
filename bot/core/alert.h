/*
 * alert.h - wellbeing and distress alerts that are never lost. An alert is
 * a row in the store (store_alerts.h), open until someone acknowledges it
 * on the dashboard; in chat it goes to the person's mentor, else the HR
 * people of their unit (else any HR), and when none of them can be reached
 * in chat (no linked chat, a blocked one, nobody there) to the first
 * reachable person on the configured fallback list ("alert_fallback",
 * config.h). It carries the person's name and unit and that they may need
 * support: never their answers or what they wrote. The person is told who
 * was told (alert_tell_person).
 *
 * Callers: the coaching module (a low WHO-5, with consent) and the core's
 * distress screen (with the same consent). Core thread only, inside the
 * caller's transaction.
 */
#ifndef ALERT_H
#define ALERT_H

#include <stdint.h>

#include "bot/core/domain.h"

#define ALERT_WELLBEING "wellbeing"
#define ALERT_DISTRESS  "distress"

/* Who was told in chat. */
enum alert_via { ALERT_VIA_NONE = 0, ALERT_VIA_MENTOR, ALERT_VIA_HR, ALERT_VIA_FALLBACK };

struct alert_outcome {
    int64_t id;     /* the alert's row */
    int via;        /* enum alert_via */
    int reached;    /* people told in chat */
    char name[128]; /* the first of them ("" for none) */
};

/* Record an alert of kind (ALERT_WELLBEING, ALERT_DISTRESS) about p and
 * send it in chat as above; *o says to whom. */
int alert_raise(const struct domain_ctx *d, const struct store_person *p, const char *kind,
                struct alert_outcome *o);
/* Periodic (the core module's tick): an open alert whose every chat
 * message has since failed or been blocked goes on along the chain to the
 * people not tried yet (else it is marked as reaching nobody), and the
 * person is told. *did: alerts passed on. Its own transaction per alert. */
int alert_tick(const struct domain_ctx *d, int *did);
/* Tell p, in their language, who was told (or that nobody could be reached
 * in chat and the alert waits on the dashboard). */
int alert_tell_person(const struct domain_ctx *d, const struct store_person *p, const char *kind,
                      const struct alert_outcome *o);

#endif
