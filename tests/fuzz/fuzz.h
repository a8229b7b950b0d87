/* fuzz.h - what the libFuzzer harnesses of tests/fuzz share: a NUL-ended
 * copy of the input, a private scratch directory (removed at exit), quiet
 * logs. For tests/fuzz/fuzz_*.c only; each harness includes it once. */
#ifndef FUZZ_H
#define FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bot/base/bb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a malloc'd C string (embedded NULs end it early, as they
 * would for the code under test). Never NULL: aborts when out of memory. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

static char fuzz_dir_[64];

static void fuzz_dir_rm(void)
{
    char cmd[128];
    if (fuzz_dir_[0] && snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_dir_) < (int)sizeof(cmd))
        (void)!system(cmd);
}

/* A scratch directory of this process, made on first use. */
static inline const char *fuzz_dir(void)
{
    if (!fuzz_dir_[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(fuzz_dir_, sizeof(fuzz_dir_), "%.40s/bbfuzz.XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(fuzz_dir_))
            abort();
        atexit(fuzz_dir_rm);
    }
    return fuzz_dir_;
}

/* Write data to path (replacing it). */
static inline void fuzz_write(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        abort();
}

/* Logs off: a rejected input is the common case, not news. */
static inline void fuzz_quiet(void)
{
    bb_log_threshold = -1;
}

#endif
