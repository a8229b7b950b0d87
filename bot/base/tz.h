/*
 * tz.h - IANA time zones (Asia/Jakarta, Europe/Berlin, ...) read from the
 * system's TZif files (Debian package tzdata), without libc localtime and
 * without touching the process's TZ, so any thread can convert times.
 *
 * Threads: a loaded struct tz is immutable; any thread may read it at once.
 * tz_load and tz_free may run on any thread. A struct tz_cache is for one
 * thread at a time (no locking); the zones it hands out belong to it and
 * live until tz_cache_free().
 *
 * Names: IANA names ("Asia/Jakarta", "UTC", "Etc/GMT-7") and the Indonesian
 * abbreviations "WIB" (Asia/Jakarta), "WITA" (Asia/Makassar) and "WIT"
 * (Asia/Jayapura), any case. A name that is empty, longer than
 * TZ_MAX_NAME, starts with '/', contains ".." or a character outside
 * [A-Za-z0-9_+-/] is refused with BB_EINVAL before any file is opened.
 *
 * Times: Unix seconds (leap seconds are ignored, as in POSIX time), and
 * proleptic Gregorian dates. Instants after a zone's last transition follow
 * the POSIX TZ rule at the end of the file (e.g. "CET-1CEST,M3.5.0,M10.5.0/3"),
 * so far-future times get the right DST. Instants before the first
 * transition use the zone's first local time type (usually local mean time).
 */
#ifndef TZ_H
#define TZ_H

#include <stdint.h>

#define TZ_DIR_DEFAULT "/usr/share/zoneinfo"
#define TZ_MAX_NAME    255
#define TZ_MAX_FILE    (256 * 1024) /* larger zone files are refused */

struct tz; /* a loaded zone, immutable */

/* Load a zone from TZ_DIR_DEFAULT. *out is owned by the caller (tz_free).
 * Returns BB_EINVAL for a refused name or a corrupt file, BB_ENOTFOUND for
 * an unknown name or when tzdata is not installed (no Asia/Jakarta under the
 * zone directory; logged at error level), BB_EIO for a read error,
 * BB_ENOMEM. */
int tz_load(const char *name, struct tz **out);
/* The same from another zone directory (tests, or a bundled copy). */
int tz_load_from(const char *dir, const char *name, struct tz **out);
void tz_free(struct tz *z); /* NULL is a no-op */
/* The IANA name the zone was loaded as (an alias is resolved: "WIB" gives
 * "Asia/Jakarta"). Valid while z lives. */
const char *tz_name(const struct tz *z);

/* The UTC offset in seconds (east positive: +25200 for Jakarta) in force at
 * the instant utc. Returns 0, or BB_EINVAL when z or offset_s is NULL. */
int tz_offset_at(const struct tz *z, int64_t utc, int *offset_s);

/* Local wall time -> UTC. mon 1-12, d 1-31 (checked against the month),
 * h 0-23, mi 0-59, y 1-9999; anything else is BB_EINVAL.
 * - A wall time that happens twice (clocks go back) gives the earlier
 *   instant, the first time the clock shows it.
 * - A wall time that does not exist (clocks jump forward over it) is read
 *   with the offset in force before the jump, so it lands as far after the
 *   jump as it was after the last valid minute: 02:30 on a spring-forward
 *   night of one hour gives 03:30 new time. A reminder is never skipped. */
int tz_local_to_utc(const struct tz *z, int y, int mon, int d, int h, int mi, int64_t *utc);

/* UTC -> local wall time; wday is 1 = Monday ... 7 = Sunday. Any output
 * pointer may be NULL. utc is clamped to about +-300,000 years. A NULL z
 * converts as UTC. */
void tz_utc_to_local(const struct tz *z, int64_t utc, int *y, int *mon, int *d, int *h, int *mi,
                     int *wday);

/* A small cache of loaded zones by name, so callers can ask for
 * "Asia/Jakarta" repeatedly without reading the file again. Single-threaded
 * use. It holds at most TZ_CACHE_MAX names; asking a full cache for a new
 * one gives BB_ELIMIT. Unknown names are not cached. */
#define TZ_CACHE_MAX 1024
struct tz_cache;
int tz_cache_new(struct tz_cache **out);
void tz_cache_free(struct tz_cache *c); /* frees every zone it handed out */
/* *out stays owned by the cache. Errors as tz_load. */
int tz_cache_get(struct tz_cache *c, const char *name, const struct tz **out);

#endif
