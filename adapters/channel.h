/*
 * channel.h - what every platform channel (Telegram, WhatsApp, web chat)
 * gives the service loop (adapters/service/serve.c), so the loop can start them, feed
 * them their network responses, and let them send what the outbox holds.
 *
 * Ingress: a channel turns each platform event into one struct
 * store_inbox_event and appends it with store_inbox_add() (unique on
 * channel + platform message id), then calls env->kick() so the core runs
 * soon. Egress: the channel claims its outbox rows, renders and sends them,
 * and records the outcome (sent, failed, blocked; delivery receipts later).
 *
 * Each channel also describes itself once, in a struct chan_def: its
 * capabilities (struct chan_caps: what it can show), its configuration
 * section, how the service creates it, and optionally an invite link.
 * adapters/service/channels.c lists every channel and hands what the lower layers
 * need to them: label limits to the flow validator, the capabilities the
 * core uses to the core, the sections to the configuration loader. Nothing
 * below adapters/ names a platform.
 *
 * Thread rules: every callback runs on the core thread (the lws loop).
 * Network work goes through env->net; responses come back to on_net().
 * A chan_def is constant: any thread.
 */
#ifndef CHANNEL_H
#define CHANNEL_H

#include <stdint.h>

#include "adapters/net/egress.h"
#include "adapters/net/http.h"
#include "adapters/net/net.h"
#include "bot/core/config.h"
#include "bot/flow/flow.h"
#include "store/store.h"

struct chan_env {
    struct store *st;
    struct http_server *http;
    struct net *net;
    const struct config *cfg;
    const struct flow_lib *lib;
    int net_channel;          /* net_req.channel value routed back to this channel */
    void (*kick)(void *loop); /* ask the loop to run the core now */
    void *loop;
};

struct chan {
    const char *name; /* the store's channel name: "telegram", "whatsapp", "web" */
    void *self;
    /* Register routes, start polling. BB_OK, or an error that keeps the
     * channel off (with a log line saying why). */
    int (*start)(void *self, const struct chan_env *env);
    /* A response to one of this channel's requests. Does not free r. */
    void (*on_net)(void *self, const struct net_resp *r);
    /* Send what is due; now_ms is the monotonic clock. Returns the ms until
     * it wants to be called again (0: as soon as possible). */
    int64_t (*egress)(void *self, int64_t now_ms);
    /* Optional (may be NULL): inside the service loop's transaction of one
     * pass, record the finished sends and claim new ones (egress_prepare());
     * the sending itself waits for egress(), after the commit. */
    void (*prepare)(void *self);
    /* Optional (may be NULL): inside the service loop's transaction of one
     * pass, before the core, append what the channel holds to the inbox
     * (webhook deliveries whose answers are held, http_hold()); each is
     * answered from a store_after_commit() hook: 200 once committed, 503
     * when rolled back. Outside a pass (a split pass) it commits itself. */
    void (*ingest)(void *self);
    void (*free)(void *self);
    /* Optional (may be NULL): egress counters for /metrics. */
    void (*stats)(void *self, struct egress_stats *out);
};

/* What a channel can show. Limits in characters unless said otherwise;
 * 0 means "none of this" for counts, "no limit of its own" for lengths. */
struct chan_caps {
    int edits_sent;       /* can change what it already sent (answered/stale notices) */
    int buttons_max;      /* most buttons under one message */
    int button_label_max; /* longest button label */
    int button_id_max;    /* longest choice id a button carries back, in bytes */
    int list_rows_max;    /* most rows of a list picker (0: no lists) */
    int list_label_max;   /* longest list row label */
    int text_max;         /* longest text of one message; longer text is split */
    int documents;        /* can send files */
};

/* The longest text a person may send in one message on any channel, in
 * bytes: a 4,000-character story in any script. A channel refuses longer
 * text with a reply and stores nothing of it (issue 14, finding 12). */
#define CHAN_TEXT_IN_MAX 16384

struct chan_def {
    const char *name;  /* the store's channel name */
    const char *title; /* the platform's name for people ("WhatsApp") */
    const struct chan_caps *caps;
    const struct config_section *config; /* NULL: no section of its own */
    /* The service's channel object, NULL for channels `serve` does not run
     * (the console). enabled: whether serve starts it with this config;
     * off_note: logged when it does not. */
    int (*new_chan)(struct chan **out);
    int (*enabled)(const struct config *cfg);
    const char *off_note;
    /* Optional: a link that opens a chat with the bot and sends the invite
     * code. BB_ENOTFOUND when there is none with this config. */
    int (*invite_link)(const struct config *cfg, const char *code, char *out, size_t n);
    /* Optional (NULL-terminated): the personal tables of the store that are
     * this channel's own, by their export key (store_set_table_channel). */
    const char *const *store_tables;
};

#endif
