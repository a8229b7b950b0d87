/*
 * webchat.h - the webchat channel (see adapters/channel.h).
 * Core thread only.
 */
#ifndef WEBCHAT_H
#define WEBCHAT_H

#include "adapters/channel.h"

/* A new channel object; the service loop starts it when configured. */
int webchat_chan_new(struct chan **out);

#endif
