/* test_tz.c - unit tests of bot/base/tz.c against the system's tzdata (the
 * Indonesian zones, Europe/Berlin, America/New_York, Australia/Sydney,
 * Europe/Dublin) and against small TZif files written by the test itself
 * (version 1, footers of every form, broken files). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <ftw.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/base/tz.h"

#define T_MON 1795428000 /* 2026-11-23T10:00:00Z */

static int offset_of(const char *name, int64_t t)
{
    struct tz *z = NULL;
    int off = -1;
    int rc = tz_load(name, &z);
    if (rc != BB_OK)
        fail_msg("tz_load(%s): %s", name, bb_strerror(rc));
    assert_int_equal(tz_offset_at(z, t, &off), BB_OK);
    tz_free(z);
    return off;
}

static void test_indonesia(void **state)
{
    (void)state;
    assert_int_equal(offset_of("Asia/Jakarta", T_MON), 7 * 3600);
    assert_int_equal(offset_of("Asia/Makassar", T_MON), 8 * 3600);
    assert_int_equal(offset_of("Asia/Jayapura", T_MON), 9 * 3600);
    assert_int_equal(offset_of("WIB", T_MON), 7 * 3600);
    assert_int_equal(offset_of("wita", T_MON), 8 * 3600);
    assert_int_equal(offset_of("WIT", T_MON), 9 * 3600);
    /* history: Jakarta was +07:30 in 1940 and on local mean time in 1900 */
    assert_int_equal(offset_of("Asia/Jakarta", -946771200), 7 * 3600 + 1800);
    assert_int_equal(offset_of("Asia/Jakarta", -2208988800), 25632);
    assert_int_equal(offset_of("Asia/Jayapura", -473385600), 9 * 3600 + 1800); /* 1955 */
    /* far future: after the last transition, from the footer ("WIB-7") */
    assert_int_equal(offset_of("Asia/Jakarta", INT64_C(4102444800) * 2), 7 * 3600);

    struct tz *z = NULL;
    int y, mon, d, h, mi, wd;
    assert_int_equal(tz_load("WIT", &z), BB_OK);
    assert_string_equal(tz_name(z), "Asia/Jayapura");
    tz_utc_to_local(z, T_MON, &y, &mon, &d, &h, &mi, &wd);
    assert_int_equal(y, 2026);
    assert_int_equal(mon, 11);
    assert_int_equal(d, 23);
    assert_int_equal(h, 19);
    assert_int_equal(mi, 0);
    assert_int_equal(wd, 1);
    /* 2026-12-31T16:30Z is already 2027 in Jayapura, a Friday */
    tz_utc_to_local(z, 1798734600, &y, &mon, &d, &h, &mi, &wd);
    assert_true(y == 2027 && mon == 1 && d == 1 && h == 1 && mi == 30 && wd == 5);
    int64_t t;
    assert_int_equal(tz_local_to_utc(z, 2026, 11, 23, 19, 0, &t), BB_OK);
    assert_int_equal(t, T_MON);
    tz_free(z);
    /* UTC and a NULL zone */
    tz_utc_to_local(NULL, T_MON, &y, &mon, &d, &h, &mi, NULL);
    assert_true(y == 2026 && mon == 11 && d == 23 && h == 10 && mi == 0);
    assert_int_equal(offset_of("UTC", T_MON), 0);
    assert_int_equal(offset_of("Etc/GMT-7", T_MON), 7 * 3600);
}

static void test_dst(void **state)
{
    (void)state;
    /* Berlin: 2026-03-29 01:00Z to CEST, 2026-10-25 01:00Z back to CET */
    assert_int_equal(offset_of("Europe/Berlin", 1774746000 - 1), 3600);
    assert_int_equal(offset_of("Europe/Berlin", 1774746000), 7200);
    assert_int_equal(offset_of("Europe/Berlin", 1792890000 - 1), 7200);
    assert_int_equal(offset_of("Europe/Berlin", 1792890000), 3600);
    /* 2100 is past the file's transitions: the footer rule decides.
     * Last Sunday of March 2100 is the 28th, of October the 31st. */
    assert_int_equal(offset_of("Europe/Berlin", INT64_C(4109878800) - 1), 3600);
    assert_int_equal(offset_of("Europe/Berlin", INT64_C(4109878800)), 7200);
    assert_int_equal(offset_of("Europe/Berlin", INT64_C(4128627600) - 1), 7200);
    assert_int_equal(offset_of("Europe/Berlin", INT64_C(4128627600)), 3600);
    /* New York 2200: second Sunday of March (9th), first of November (2nd) */
    assert_int_equal(offset_of("America/New_York", INT64_C(7263932400) - 1), -5 * 3600);
    assert_int_equal(offset_of("America/New_York", INT64_C(7263932400)), -4 * 3600);
    assert_int_equal(offset_of("America/New_York", INT64_C(7284492000) - 1), -4 * 3600);
    assert_int_equal(offset_of("America/New_York", INT64_C(7284492000)), -5 * 3600);
    /* southern hemisphere and Ireland's negative DST, in 2100 */
    assert_int_equal(offset_of("Australia/Sydney", INT64_C(4103654400)), 11 * 3600);
    assert_int_equal(offset_of("Australia/Sydney", INT64_C(4119292800)), 10 * 3600);
    assert_int_equal(offset_of("Europe/Dublin", INT64_C(4103654400)), 0);
    assert_int_equal(offset_of("Europe/Dublin", INT64_C(4119292800)), 3600);
}

static void test_local_to_utc(void **state)
{
    (void)state;
    struct tz *z = NULL;
    int64_t t;

    assert_int_equal(tz_load("America/New_York", &z), BB_OK);
    /* 2026-03-08 02:30 does not exist: read with EST, it is 03:30 EDT */
    assert_int_equal(tz_local_to_utc(z, 2026, 3, 8, 2, 30, &t), BB_OK);
    assert_int_equal(t, 1772955000);
    assert_int_equal(tz_local_to_utc(z, 2026, 3, 8, 1, 59, &t), BB_OK);
    assert_int_equal(t, 1772953200 - 60);
    assert_int_equal(tz_local_to_utc(z, 2026, 3, 8, 3, 0, &t), BB_OK);
    assert_int_equal(t, 1772953200);
    /* 2026-11-01 01:30 happens twice: the earlier one (EDT) */
    assert_int_equal(tz_local_to_utc(z, 2026, 11, 1, 1, 30, &t), BB_OK);
    assert_int_equal(t, 1793511000);
    assert_int_equal(tz_local_to_utc(z, 2026, 11, 1, 2, 0, &t), BB_OK);
    assert_int_equal(t, 1793512800 + 3600);
    /* the same in the footer years (2200) */
    assert_int_equal(tz_local_to_utc(z, 2200, 3, 9, 2, 30, &t), BB_OK);
    assert_int_equal(t, INT64_C(7263932400) + 1800);
    assert_int_equal(tz_local_to_utc(z, 2200, 11, 2, 1, 30, &t), BB_OK);
    assert_int_equal(t, INT64_C(7284492000) - 1800);
    /* bad wall times */
    assert_int_equal(tz_local_to_utc(z, 2026, 2, 29, 0, 0, &t), BB_EINVAL);
    assert_int_equal(tz_local_to_utc(z, 2026, 13, 1, 0, 0, &t), BB_EINVAL);
    assert_int_equal(tz_local_to_utc(z, 2026, 1, 1, 24, 0, &t), BB_EINVAL);
    assert_int_equal(tz_local_to_utc(z, 2026, 1, 1, 0, 60, &t), BB_EINVAL);
    assert_int_equal(tz_local_to_utc(z, 0, 1, 1, 0, 0, &t), BB_EINVAL);
    assert_int_equal(tz_local_to_utc(NULL, 2026, 1, 1, 0, 0, &t), BB_EINVAL);
    tz_free(z);
}

/* utc -> local -> utc over two years, now and in the footer years. */
static void test_round_trip(void **state)
{
    (void)state;
    const char *zones[] = {"Asia/Jakarta",     "Asia/Makassar",    "Asia/Jayapura", "Europe/Berlin",
                           "America/New_York", "Australia/Sydney", "Europe/Dublin"};
    const int64_t starts[] = {1767225600, INT64_C(4102444800)}; /* 2026, 2100 */

    for (size_t k = 0; k < BB_ARRAY_LEN(zones); k++) {
        struct tz *z = NULL;
        int ambiguous = 0;
        assert_int_equal(tz_load(zones[k], &z), BB_OK);
        for (size_t s = 0; s < BB_ARRAY_LEN(starts); s++) {
            for (int64_t t = starts[s]; t < starts[s] + 2 * 366 * 86400; t += 7 * 3600 + 13 * 60) {
                int y, mon, d, h, mi, y2, mon2, d2, h2, mi2;
                int64_t back;
                tz_utc_to_local(z, t, &y, &mon, &d, &h, &mi, NULL);
                assert_int_equal(tz_local_to_utc(z, y, mon, d, h, mi, &back), BB_OK);
                /* the wall time always survives the trip */
                tz_utc_to_local(z, back, &y2, &mon2, &d2, &h2, &mi2, NULL);
                if (y != y2 || mon != mon2 || d != d2 || h != h2 || mi != mi2)
                    fail_msg("%s: %lld gave %lld", zones[k], (long long)t, (long long)back);
                /* and the instant too, unless the wall time was repeated */
                if (back != t) {
                    assert_int_equal(back, t - 3600);
                    ambiguous++;
                }
            }
        }
        /* DST zones hit the repeated hour a few times, the others never */
        if (k < 3)
            assert_int_equal(ambiguous, 0);
        tz_free(z);
    }
}

static void test_names(void **state)
{
    (void)state;
    struct tz *z = (struct tz *)1;
    char longname[TZ_MAX_NAME + 8];
    const char *bad[] = {"",
                         "../etc/passwd",
                         "/etc/passwd",
                         "Asia/../../etc/passwd",
                         "Asia/Jakarta\n",
                         "Asia/Jak arta",
                         "Asia/Jakarta;ls",
                         "zone.tab",
                         "Asia\\Jakarta",
                         "Asia/Jakart\xc3\xa4",
                         "..",
                         NULL};

    for (size_t i = 0; i < BB_ARRAY_LEN(bad); i++) {
        assert_int_equal(tz_load(bad[i], &z), BB_EINVAL);
        assert_null(z);
    }
    memset(longname, 'A', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    assert_int_equal(tz_load(longname, &z), BB_EINVAL);
    assert_int_equal(tz_load("Asia/Atlantis", &z), BB_ENOTFOUND);
    assert_int_equal(tz_load("Nowhere", &z), BB_ENOTFOUND);
    assert_int_equal(tz_load("Asia", &z), BB_ENOTFOUND);           /* a directory */
    assert_int_equal(tz_load("Asia/Jakarta/x", &z), BB_ENOTFOUND); /* not a directory */
    assert_null(z);
    assert_int_equal(tz_load("Asia/Jakarta", NULL), BB_EINVAL);
    assert_int_equal(tz_offset_at(NULL, 0, &(int){0}), BB_EINVAL);
    tz_free(NULL);
}

static void test_cache(void **state)
{
    (void)state;
    struct tz_cache *c = NULL;
    const struct tz *a = NULL, *b = NULL, *w = NULL;

    assert_int_equal(tz_cache_new(&c), BB_OK);
    assert_int_equal(tz_cache_get(c, "Asia/Jakarta", &a), BB_OK);
    assert_int_equal(tz_cache_get(c, "Asia/Jakarta", &b), BB_OK);
    assert_ptr_equal(a, b);
    assert_int_equal(tz_cache_get(c, "WIB", &w), BB_OK);
    assert_ptr_equal(a, w);
    assert_int_equal(tz_cache_get(c, "Asia/Makassar", &b), BB_OK);
    assert_ptr_not_equal(a, b);
    int off;
    assert_int_equal(tz_offset_at(b, T_MON, &off), BB_OK);
    assert_int_equal(off, 8 * 3600);
    assert_int_equal(tz_cache_get(c, "Asia/Atlantis", &b), BB_ENOTFOUND);
    assert_null(b);
    assert_int_equal(tz_cache_get(c, "../x", &b), BB_EINVAL);
    /* many zones: the cache grows */
    const char *more[] = {"Europe/Berlin",    "America/New_York", "UTC",
                          "Asia/Tokyo",       "Europe/London",    "Australia/Sydney",
                          "Asia/Singapore",   "Asia/Jayapura",    "Africa/Cairo",
                          "America/Sao_Paulo"};
    for (size_t i = 0; i < BB_ARRAY_LEN(more); i++)
        assert_int_equal(tz_cache_get(c, more[i], &b), BB_OK);
    assert_int_equal(tz_cache_get(c, "WIB", &b), BB_OK);
    assert_ptr_equal(a, b);
    tz_cache_free(c);
    tz_cache_free(NULL);
}

/* ---- synthetic zone files ---------------------------------------------- */

static char dir[256];

static void write_file(const char *name, const void *data, size_t n)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static size_t put32(unsigned char *p, int64_t v)
{
    uint32_t u = (uint32_t)v;
    p[0] = (unsigned char)(u >> 24);
    p[1] = (unsigned char)(u >> 16);
    p[2] = (unsigned char)(u >> 8);
    p[3] = (unsigned char)u;
    return 4;
}

static size_t put64(unsigned char *p, int64_t v)
{
    put32(p, (int64_t)((uint64_t)v >> 32));
    put32(p + 4, v);
    return 8;
}

static size_t header(unsigned char *p, char version, int ntrans, int ntypes)
{
    memset(p, 0, 44);
    memcpy(p, "TZif", 4);
    p[4] = (unsigned char)version;
    put32(p + 32, ntrans);
    put32(p + 36, ntypes);
    put32(p + 40, 4); /* abbreviation bytes */
    return 44;
}

/* A TZif file: version '\0' (v1, 32-bit times) or '2'/'3' (an empty v1
 * block, then 64-bit times and the footer). */
static size_t build(unsigned char *buf, char version, int ntrans, const int64_t *trans,
                    const unsigned char *idx, int ntypes, const int32_t *offs, const char *footer)
{
    size_t n = 0;
    int v2 = version != '\0';
    int tsize = v2 ? 8 : 4;

    if (v2) { /* a minimal v1 block: one type, no transitions */
        n += header(buf + n, version, 0, 1);
        n += put32(buf + n, 0);
        buf[n++] = 0;
        buf[n++] = 0;
        memcpy(buf + n, "UTC", 4);
        n += 4;
    }
    n += header(buf + n, version, ntrans, ntypes);
    for (int i = 0; i < ntrans; i++)
        n += tsize == 8 ? put64(buf + n, trans[i]) : put32(buf + n, trans[i]);
    for (int i = 0; i < ntrans; i++)
        buf[n++] = idx[i];
    for (int i = 0; i < ntypes; i++) {
        n += put32(buf + n, offs[i]);
        buf[n++] = 0;
        buf[n++] = 0;
    }
    memcpy(buf + n, "XYZ", 4);
    n += 4;
    if (v2 && footer) {
        n += (size_t)snprintf((char *)buf + n, 128, "\n%s\n", footer);
    }
    return n;
}

static int setup_dir(void **state)
{
    (void)state;
    char path[512];
    FILE *in;
    unsigned char buf[4096];
    size_t n;

    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/test_tz.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof(path), "%s/Asia", dir);
    mkdir(path, 0700);
    in = fopen(TZ_DIR_DEFAULT "/Asia/Jakarta", "rb");
    if (!in)
        return -1;
    n = fread(buf, 1, sizeof(buf), in);
    fclose(in);
    write_file("Asia/Jakarta", buf, n);
    return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown_dir(void **state)
{
    (void)state;
    return nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

static int synth_offset(const char *name, int64_t t)
{
    struct tz *z = NULL;
    int off = -99999999;
    int rc = tz_load_from(dir, name, &z);
    if (rc != BB_OK)
        fail_msg("tz_load_from(%s): %s", name, bb_strerror(rc));
    tz_offset_at(z, t, &off);
    tz_free(z);
    return off;
}

static int64_t utc(int y, int m, int d, int h)
{
    /* via a UTC zone file so the test does not need its own calendar */
    struct tz *z = NULL;
    int64_t t = 0;
    assert_int_equal(tz_load("UTC", &z), BB_OK);
    assert_int_equal(tz_local_to_utc(z, y, m, d, h, 0, &t), BB_OK);
    tz_free(z);
    return t;
}

static void test_synthetic(void **state)
{
    (void)state;
    unsigned char buf[4096];
    size_t n;
    const int64_t tr[] = {1000, 2000};
    const unsigned char ix[] = {1, 0};
    const int32_t offs[] = {0, 7200};

    /* version 1, 32-bit times, no footer */
    n = build(buf, '\0', 2, tr, ix, 2, offs, NULL);
    write_file("V1", buf, n);
    assert_int_equal(synth_offset("V1", 999), 0);
    assert_int_equal(synth_offset("V1", 1000), 7200);
    assert_int_equal(synth_offset("V1", 1999), 7200);
    assert_int_equal(synth_offset("V1", 2000), 0);
    assert_int_equal(synth_offset("V1", INT64_C(1) << 40), 0);
    /* version 2, a quoted name with minutes, no transitions */
    n = build(buf, '2', 0, NULL, NULL, 1, offs, "<+0530>-5:30");
    write_file("Quoted", buf, n);
    assert_int_equal(synth_offset("Quoted", 0), 5 * 3600 + 1800);
    /* an empty footer keeps the last transition's type */
    n = build(buf, '2', 2, tr, ix, 2, offs, "");
    write_file("NoRule", buf, n);
    assert_int_equal(synth_offset("NoRule", 1500), 7200);
    assert_int_equal(synth_offset("NoRule", INT64_C(1) << 40), 0);
    /* a footer we do not understand falls back the same way */
    n = build(buf, '2', 2, tr, ix, 2, offs, "<+01");
    write_file("OddRule", buf, n);
    assert_int_equal(synth_offset("OddRule", INT64_C(1) << 40), 0);
    /* Jn and zero-based n dates: DST (-2h) from March 1 (J60, even in a leap
     * year) 02:00 to day 300 (Oct 27 in 2028) 02:00 */
    n = build(buf, '3', 0, NULL, NULL, 1, offs, "XST3XDT,J60,300");
    write_file("Julian", buf, n);
    assert_int_equal(synth_offset("Julian", utc(2028, 2, 29, 12)), -3 * 3600);
    assert_int_equal(synth_offset("Julian", utc(2028, 3, 1, 4)), -3 * 3600);
    assert_int_equal(synth_offset("Julian", utc(2028, 3, 1, 5)), -2 * 3600);
    assert_int_equal(synth_offset("Julian", utc(2028, 10, 26, 12)), -2 * 3600);
    assert_int_equal(synth_offset("Julian", utc(2028, 10, 27, 3)), -2 * 3600);
    assert_int_equal(synth_offset("Julian", utc(2028, 10, 27, 4)), -3 * 3600);
    /* version 3: DST all year round with times beyond 24h */
    n = build(buf, '3', 0, NULL, NULL, 1, offs, "EST5EDT,0/0,J365/25");
    write_file("AllYear", buf, n);
    assert_int_equal(synth_offset("AllYear", utc(2030, 1, 1, 0)), -4 * 3600);
    assert_int_equal(synth_offset("AllYear", utc(2030, 7, 1, 0)), -4 * 3600);
    assert_int_equal(synth_offset("AllYear", utc(2030, 12, 31, 23)), -4 * 3600);
    /* DST without a rule: the US default (second Sunday of March) */
    n = build(buf, '2', 0, NULL, NULL, 1, offs, "AAA-2BBB");
    write_file("DefRule", buf, n);
    assert_int_equal(synth_offset("DefRule", utc(2030, 1, 1, 0)), 2 * 3600);
    assert_int_equal(synth_offset("DefRule", utc(2030, 7, 1, 0)), 3 * 3600);

    /* broken files */
    struct tz *z = NULL;
    const int64_t down[] = {2000, 1000};
    n = build(buf, '2', 2, down, ix, 2, offs, "");
    write_file("Descending", buf, n);
    assert_int_equal(tz_load_from(dir, "Descending", &z), BB_EINVAL);
    const unsigned char badix[] = {1, 2};
    n = build(buf, '2', 2, tr, badix, 2, offs, "");
    write_file("BadIndex", buf, n);
    assert_int_equal(tz_load_from(dir, "BadIndex", &z), BB_EINVAL);
    const int32_t huge[] = {0, 100000};
    n = build(buf, '2', 2, tr, ix, 2, huge, "");
    write_file("BadOffset", buf, n);
    assert_int_equal(tz_load_from(dir, "BadOffset", &z), BB_EINVAL);
    n = build(buf, '2', 2, tr, ix, 2, offs, NULL); /* no footer at all */
    write_file("NoFooter", buf, n);
    assert_int_equal(tz_load_from(dir, "NoFooter", &z), BB_EINVAL);
    write_file("Text", "hello, world\n", 13);
    assert_int_equal(tz_load_from(dir, "Text", &z), BB_ENOTFOUND);
    write_file("Empty", "", 0);
    assert_int_equal(tz_load_from(dir, "Empty", &z), BB_ENOTFOUND);
    assert_null(z);

    /* every truncation of a real file is refused, none crashes */
    FILE *in = fopen(TZ_DIR_DEFAULT "/Europe/Berlin", "rb");
    assert_non_null(in);
    size_t full = fread(buf, 1, sizeof(buf), in);
    fclose(in);
    assert_true(full > 100 && full < sizeof(buf));
    for (size_t cut = 0; cut < full; cut += cut < 200 ? 1 : 7) {
        write_file("Cut", buf, cut);
        int rc = tz_load_from(dir, "Cut", &z);
        if (rc != BB_EINVAL && rc != BB_ENOTFOUND)
            fail_msg("cut at %zu: %d", cut, rc);
    }
    write_file("Cut", buf, full);
    assert_int_equal(tz_load_from(dir, "Cut", &z), BB_OK);
    tz_free(z);

    /* corrupted bytes (a fixed pseudo-random sequence): refused or loaded,
     * and a loaded zone answers without crashing (ASan watches) */
    uint32_t seed = 12345;
    for (int round = 0; round < 300; round++) {
        unsigned char copy[4096];
        memcpy(copy, buf, full);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            copy[(seed >> 8) % full] = (unsigned char)(seed >> 20);
        }
        write_file("Noise", copy, full);
        int rc = tz_load_from(dir, "Noise", &z);
        if (rc == BB_OK) {
            int off, y, mon, d, h, mi;
            int64_t t;
            for (int64_t at = -(INT64_C(1) << 40); at < INT64_C(1) << 40; at += INT64_C(1) << 36)
                tz_offset_at(z, at, &off);
            tz_utc_to_local(z, INT64_MAX, &y, &mon, &d, &h, &mi, NULL);
            tz_local_to_utc(z, 2100, 6, 1, 12, 0, &t);
            tz_free(z);
            z = NULL;
        } else {
            assert_true(rc == BB_EINVAL || rc == BB_ENOTFOUND);
        }
    }
}

static void test_missing_tzdata(void **state)
{
    (void)state;
    char empty[512], path[512];
    struct tz *z = NULL;

    snprintf(empty, sizeof(empty), "%s/empty", dir);
    mkdir(empty, 0700);
    assert_int_equal(tz_load_from(empty, "UTC", &z), BB_ENOTFOUND);
    assert_int_equal(tz_load_from(empty, "Asia/Jakarta", &z), BB_ENOTFOUND);
    assert_null(z);
    snprintf(path, sizeof(path), "%s/nonexistent", dir);
    assert_int_equal(tz_load_from(path, "WIB", &z), BB_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_indonesia),
        cmocka_unit_test(test_dst),
        cmocka_unit_test(test_local_to_utc),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_cache),
        cmocka_unit_test_setup_teardown(test_synthetic, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_missing_tzdata, setup_dir, teardown_dir),
    };
    bb_log_threshold = -1; /* the refusals above log; keep the output short */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
