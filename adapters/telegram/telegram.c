/* telegram.c - placeholder while the adapter is written. */
#include "adapters/telegram/telegram.h"
#include "bot/bb.h"

int tg_chan_new(struct chan **out)
{
    *out = 0;
    return BB_ENOTFOUND;
}
