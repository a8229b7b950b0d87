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

/* 1 when header is "sha256=<hex HMAC-SHA256(secret, body)>" (hex in any
 * case), compared in constant time; 0 otherwise (also for a NULL header or
 * an empty secret). */
int wa_signature_ok(const char *secret, const char *body, size_t len, const char *header);

#endif
