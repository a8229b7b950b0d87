/* fuzz_telegram.c - libFuzzer harness: Telegram update parsing, as a
 * webhook body (one Update) and as a getUpdates response. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "adapters/telegram/telegram.h"
#include "bot/base/bb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tg_update u;
    struct tg_update *ups = NULL;
    int n = 0;
    if (tg_parse_update((const char *)data, size, &u) == BB_OK)
        free(u.text);
    if (tg_parse_updates((const char *)data, size, &ups, &n) == BB_OK)
        tg_updates_free(ups, n);
    return 0;
}
