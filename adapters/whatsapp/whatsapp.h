/*
 * whatsapp.h - the WhatsApp Cloud API channel (see adapters/channel.h and
 * docs/whatsapp.md): signed webhooks in, Graph API sends out through the
 * shared egress, the 24-hour window, phone-number linking.
 * Core thread only (wa_signature_ok is pure: any thread).
 */
#ifndef WHATSAPP_H
#define WHATSAPP_H

#include <stddef.h>

#include "adapters/channel.h"

/* A new channel object; the service loop starts it when configured. */
int wa_chan_new(struct chan **out);
/* The channel's description: capabilities (button and list limits), its
 * configuration section. */
extern const struct chan_def wa_chan_def;

/* The "whatsapp" section of the configuration and its environment. */
struct wa_settings {
    double rate;            /* "rate": messages/s (80) */
    char token[512];        /* BIMBING_WHATSAPP_TOKEN */
    char api[512];          /* BIMBING_WHATSAPP_API (https://graph.facebook.com/v23.0) */
    char phone_id[64];      /* BIMBING_WHATSAPP_PHONE_ID */
    char app_secret[256];   /* BIMBING_WHATSAPP_APP_SECRET */
    char verify_token[256]; /* BIMBING_WHATSAPP_VERIFY_TOKEN */
};
/* The settings config_load read, or the defaults. */
const struct wa_settings *wa_settings_of(const struct config *cfg);

/* 1 when header is "sha256=<hex HMAC-SHA256(secret, body)>" (hex in any
 * case), compared in constant time; 0 otherwise (also for a NULL header or
 * an empty secret). */
int wa_signature_ok(const char *secret, const char *body, size_t len, const char *header);

#endif
