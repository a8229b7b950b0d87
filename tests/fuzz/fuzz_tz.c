/* fuzz_tz.c - libFuzzer harness: time zones (bot/base/tz.c). First byte
 * even: the rest is a TZif file (with its POSIX TZ footer), loaded from a
 * scratch zone directory and asked for offsets and conversions around its
 * transitions and far in the future; odd: the rest is a zone name, checked
 * and looked up in the system's tzdata (tz_load, tz_cache_get). */
#include <sys/stat.h>

#include "tests/fuzz/fuzz.h"

#include "bot/base/tz.h"

static void exercise(const struct tz *z)
{
    static const int64_t at[] = {INT64_MIN / 4, -2208988800LL, 0,
                                 1700000000,    1795428000,    2147483647LL,
                                 4102444800LL,  253402300799LL};
    int off, y, mon, d, h, mi, wd;
    int64_t u;
    (void)tz_name(z);
    for (size_t i = 0; i < BB_ARRAY_LEN(at); i++) {
        if (tz_offset_at(z, at[i], &off) != BB_OK)
            abort();
        tz_utc_to_local(z, at[i], &y, &mon, &d, &h, &mi, &wd);
    }
    static const int ymd[][5] = {{1, 1, 1, 0, 0},      {1970, 1, 1, 0, 0},
                                 {2026, 3, 29, 2, 30}, {2026, 10, 25, 2, 30},
                                 {2038, 1, 19, 3, 14}, {9999, 12, 31, 23, 59}};
    for (size_t i = 0; i < BB_ARRAY_LEN(ymd); i++)
        (void)tz_local_to_utc(z, ymd[i][0], ymd[i][1], ymd[i][2], ymd[i][3], ymd[i][4], &u);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char zdir[128], zfile[192];
    struct tz *z = NULL;
    if (!zdir[0]) {
        fuzz_quiet();
        snprintf(zdir, sizeof(zdir), "%s/zoneinfo", fuzz_dir());
        snprintf(zfile, sizeof(zfile), "%s/Asia", zdir);
        if (mkdir(zdir, 0700) != 0 || mkdir(zfile, 0700) != 0)
            abort();
        snprintf(zfile, sizeof(zfile), "%s/Asia/Jakarta", zdir);
    }
    if (size < 1)
        return 0;
    if ((data[0] & 1) == 0) {
        fuzz_write(zfile, data + 1, size - 1);
        if (tz_load_from(zdir, "Asia/Jakarta", &z) == BB_OK)
            exercise(z);
        tz_free(z);
    } else {
        char *name = fuzz_cstr(data + 1, size - 1);
        struct tz_cache *c = NULL;
        const struct tz *cz;
        if (tz_load(name, &z) == BB_OK)
            exercise(z);
        tz_free(z);
        if (tz_cache_new(&c) == BB_OK && tz_cache_get(c, name, &cz) == BB_OK)
            exercise(cz);
        tz_cache_free(c);
        free(name);
    }
    return 0;
}
