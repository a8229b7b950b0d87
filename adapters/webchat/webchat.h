/*
 * webchat.h - the webchat channel (see adapters/channel.h).
 * Core thread only.
 */
#ifndef WEBCHAT_H
#define WEBCHAT_H

#include "adapters/channel.h"

/* A new channel object; the service loop starts it when configured. */
int webchat_chan_new(struct chan **out);
/* The channel's description (store name "web", capabilities). */
extern const struct chan_def webchat_chan_def;

#endif
