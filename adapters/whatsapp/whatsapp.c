/*
 * whatsapp.c - the whatsapp channel (see whatsapp.h). Not built yet: the service
 * runs without it.
 */
#include "adapters/whatsapp/whatsapp.h"
#include "bot/bb.h"

int wa_chan_new(struct chan **out)
{
    *out = 0;
    return BB_ENOTFOUND;
}
