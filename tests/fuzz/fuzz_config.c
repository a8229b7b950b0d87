/* fuzz_config.c - libFuzzer harness: the configuration file through
 * chan_config_load (the core's keys and every channel's section), as
 * `bimbing serve --config FILE` reads it. */
#include "tests/fuzz/fuzz.h"

#include "adapters/service/channels.h"
#include "bot/core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[128];
    static struct config c; /* large: not on the stack */
    char err[256];
    if (!path[0]) {
        fuzz_quiet();
        snprintf(path, sizeof(path), "%s/bimbing.json", fuzz_dir());
    }
    fuzz_write(path, data, size);
    err[0] = '\0';
    if (chan_config_load(&c, path, 1, err, sizeof(err)) != BB_OK && !err[0])
        abort(); /* a refused file always says why */
    return 0;
}
