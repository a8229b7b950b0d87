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
 * Thread rules: every callback runs on the core thread (the lws loop).
 * Network work goes through env->net; responses come back to on_net().
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
    void (*free)(void *self);
    /* Optional (may be NULL): egress counters for /metrics. */
    void (*stats)(void *self, struct egress_stats *out);
};

#endif
