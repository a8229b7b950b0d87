/*
 * whatsapp.h - the whatsapp channel (see adapters/channel.h).
 * Core thread only.
 */
#ifndef WHATSAPP_H
#define WHATSAPP_H

#include "adapters/channel.h"

/* A new channel object; the service loop starts it when configured. */
int wa_chan_new(struct chan **out);

#endif
