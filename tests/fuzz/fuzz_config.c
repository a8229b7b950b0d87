/* fuzz_config.c - libFuzzer harness: the configuration file through
 * chan_config_load (the core's keys and every channel's section), as
 * `bimbing serve --config FILE` reads it; the same bytes as a holiday file
 * (work_holidays_parse, config/holidays.json). */
#include "tests/fuzz/fuzz.h"

#include "adapters/service/channels.h"
#include "bot/core/config.h"
#include "bot/core/worktime.h"

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
    struct work_holidays *h = NULL;
    err[0] = '\0';
    if (work_holidays_parse((const char *)data, size, "holidays.json", &h, err, sizeof(err)) ==
        BB_OK) {
        /* a loaded file is sorted, each day once */
        for (int i = 1; i < work_holidays_ndays(h); i++)
            if (work_holidays_day(h, i)->day <= work_holidays_day(h, i - 1)->day)
                abort();
        work_holidays_free(h);
    } else if (h || !err[0]) {
        abort(); /* refused: nothing handed out, and a message */
    }
    return 0;
}
