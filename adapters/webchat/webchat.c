/*
 * webchat.c - the webchat channel (see webchat.h). Not built yet: the service
 * runs without it.
 */
#include "adapters/webchat/webchat.h"
#include "bot/bb.h"

int webchat_chan_new(struct chan **out)
{
    *out = 0;
    return BB_ENOTFOUND;
}
