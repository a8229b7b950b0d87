/*
 * telegram.h - the Telegram channel (see adapters/channel.h).
 *
 * Start-up: getMe (a refused token turns the channel off with one clear
 * log line, no retry storm), then deleteWebhook and long polling, or
 * setWebhook with a secret token in webhook mode, and setMyCommands per
 * language (id, en, and a default).
 * Ingress: private-chat messages and button presses (callback queries)
 * become inbox events, unique on "u<update_id>", so an update seen twice
 * (a retried webhook, a re-read after a crash) is processed once; the
 * polling offset moves only after the inbox commit. In webhook mode
 * (setWebhook with max_connections) each delivery's answer is held open
 * and the update goes into the service loop's next pass: the 200 is sent
 * only after that pass commits (many deliveries share one commit), a 503
 * after a rollback, so Telegram delivers it again. Every button press is
 * answered with answerCallbackQuery. my_chat_member "kicked"/"member"
 * marks the person blocked/unblocked.
 * Egress (adapters/net/egress.c): choices become inline keyboards; long text is
 * split within 4096 characters; once a question is answered its keyboard
 * is replaced by one inert button showing the choice, so it cannot be
 * pressed again; 429 waits retry_after; 5xx retries with backoff; 403
 * "blocked" marks the identity blocked.
 *
 * Core thread only.
 */
#ifndef TELEGRAM_H
#define TELEGRAM_H

#include <stdint.h>

#include "adapters/channel.h"

#define TG_TEXT_MAX 4096  /* characters per message */
#define TG_CB_MAX   64    /* bytes of callback_data */
#define TG_IN_MAX   16384 /* bytes of inbound text we keep */

int tg_chan_new(struct chan **out);
/* The channel's description: capabilities, section, invite link. */
extern const struct chan_def tg_chan_def;

/* The "telegram" section of the configuration and its environment. */
struct tg_settings {
    int webhook;           /* "mode": "polling" (0, default) or "webhook" (1) */
    char webhook_url[512]; /* "webhook_url" */
    char username[64];     /* "username": the bot's, for invite deep links */
    double rate_chat;      /* "rate_per_chat": messages/s to one chat (1) */
    double rate_total;     /* "rate_total": messages/s overall (30) */
    int max_connections;   /* "max_connections": webhook connections at once, 1..100 (40) */
    char token[256];       /* BIMBING_TELEGRAM_TOKEN */
    char api[512];         /* BIMBING_TELEGRAM_API (https://api.telegram.org) */
    char secret[257];      /* BIMBING_TELEGRAM_WEBHOOK_SECRET */
};
/* The settings config_load read, or the defaults. */
const struct tg_settings *tg_settings_of(const struct config *cfg);

/* One update, as ingress needs it. Exposed for tests and the fuzzer. */
enum tg_upd_kind {
    TG_UPD_IGNORED = 0, /* kinds we do not handle, group chats, bots */
    TG_UPD_TEXT,        /* a private message; text "" when it was not text */
    TG_UPD_BUTTON,      /* a callback query */
    TG_UPD_BLOCKED,     /* my_chat_member: the person blocked the bot */
    TG_UPD_UNBLOCKED,   /* my_chat_member: the person allowed the bot again */
};

struct tg_update {
    int64_t update_id;
    int kind;
    char chat[24];     /* the private chat id (= the user id), decimal */
    char *text;        /* TG_UPD_TEXT: malloc'd (possibly ""), capped at TG_IN_MAX */
    char data[72];     /* TG_UPD_BUTTON: callback_data */
    char cb_id[80];    /* TG_UPD_BUTTON: callback query id, to answer */
    char username[33]; /* the sender's public @username (5-32 of A-Z a-z 0-9 _), or "" */
    int64_t date;
};

/* Parse one Update object (webhook body). BB_EINVAL when it is not one
 * (no update_id); kinds we ignore parse fine as TG_UPD_IGNORED. */
int tg_parse_update(const char *json, size_t len, struct tg_update *u);
/* Parse a getUpdates response {"ok":true,"result":[...]}; *ups malloc'd,
 * free with tg_updates_free. BB_EINVAL for a malformed response. */
int tg_parse_updates(const char *json, size_t len, struct tg_update **ups, int *n);
void tg_updates_free(struct tg_update *ups, int n);

#endif
