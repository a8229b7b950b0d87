/*
 * bb.h - the few things every bimbing module shares: error codes, logging,
 * the clock, bounded strings and a capped growable buffer.
 *
 * Any thread may call these functions. Logging writes whole lines to stderr
 * with one write(2) each, so lines from two threads never interleave.
 * Nothing here allocates except struct bb_buf, whose owner frees it with
 * bb_buf_free().
 */
#ifndef BB_H
#define BB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Error codes: 0 is success, every failure is negative. Numbers are never
 * reused. bb_strerror() gives a short English text. */
enum bb_err {
    BB_OK = 0,
    BB_ENOMEM = -1,    /* out of memory */
    BB_EINVAL = -2,    /* bad argument or malformed input */
    BB_EIO = -3,       /* file, database or network failure */
    BB_ENOTFOUND = -4, /* no such thing */
    BB_EEXIST = -5,    /* already exists (a duplicate) */
    BB_EAGAIN = -6,    /* try again later */
    BB_ELIMIT = -7,    /* a size or rate limit was hit */
    BB_ESTATE = -8,    /* not allowed in the current state */
    BB_EEXPIRED = -9,  /* too old: an invite, a session, a button */
    BB_EPERM = -10,    /* not allowed for this role */
};

const char *bb_strerror(int err);

/* Logging. Levels: the lower, the more important. The macro does not
 * evaluate its arguments when the level is filtered out. Never log tokens
 * or message bodies at BB_LOG_INFO or above. */
enum bb_log_level { BB_LOG_ERR = 0, BB_LOG_WARN = 1, BB_LOG_INFO = 2, BB_LOG_DEBUG = 3 };
extern int bb_log_threshold;
void bb_log_emit(int level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define bb_log(level, module, ...)                                                                 \
    do {                                                                                           \
        if ((level) <= bb_log_threshold)                                                           \
            bb_log_emit((level), (module), __VA_ARGS__);                                           \
    } while (0)

/* The clock, in Unix seconds. A process may pin it (tests, `tick --at`,
 * transcripts) with bb_clock_set(); bb_clock_advance() moves a pinned clock.
 * Unpinned, bb_now() is the real time. */
int64_t bb_now(void);
void bb_clock_set(int64_t t);
void bb_clock_advance(int64_t seconds);
void bb_clock_unpin(void);
/* Milliseconds from a monotonic clock, for latency and rate limits. */
int64_t bb_mono_ms(void);

/* Parse ISO-8601 "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" with optional "Z" or
 * "+HH:MM"; without an offset the time is UTC. Returns BB_EINVAL on garbage. */
int bb_parse_iso8601(const char *s, int64_t *out);
/* Format t (UTC) as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void bb_format_iso8601(int64_t t, char *out, size_t n);
/* Parse a duration: "90s", "15m", "4h", "2d", "1w" (or a plain number of
 * seconds). Returns BB_EINVAL on garbage. */
int bb_parse_duration(const char *s, int64_t *out);

/* Bounded string copy: always NUL-terminates when n > 0; returns BB_ELIMIT
 * (after copying what fits, cut on a UTF-8 boundary) when src was too long. */
int bb_strlcpy(char *dst, const char *src, size_t n);
/* snprintf that reports truncation as BB_ELIMIT and never fails silently. */
int bb_snprintf(char *dst, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Strict decimal parse of a whole string into a long long within [min, max]. */
int bb_parse_ll(const char *s, long long min, long long max, long long *out);

/* A JSON number as an integer: BB_OK when d is finite, whole and strictly
 * within +-2^53 (where every integer, and so the number that was written,
 * is exact); otherwise BB_EINVAL and *out untouched.
 * Never cast a double from outside straight to an integer: out of range is
 * undefined behaviour. bb_num_or() gives dflt instead of an error. */
int bb_num_i64(double d, int64_t *out);
int64_t bb_num_or(double d, int64_t dflt);

/* UTF-8: 1 when the n bytes are valid UTF-8 (no overlongs, no surrogates). */
int bb_utf8_valid(const char *s, size_t n);
/* Number of code points in a valid UTF-8 string. */
size_t bb_utf8_len(const char *s);
/* Largest prefix length <= max_bytes that ends on a code point boundary. */
size_t bb_utf8_cut(const char *s, size_t len, size_t max_bytes);
/* Simple case fold (ASCII and Latin-1 letters) into out; for matching typed
 * answers against labels. Returns BB_ELIMIT when out was too small. */
int bb_fold(const char *s, char *out, size_t n);

/* Random bytes from the kernel (getrandom). */
int bb_random(void *buf, size_t n);
/* Lower-case hex of SHA-256(data) into out (65 bytes). */
void bb_sha256_hex(const void *data, size_t n, char out[65]);

/* A growable byte buffer with a hard cap. Always NUL-terminated.
 * bb_buf_init sets it empty with no allocation; bb_buf_free releases it and
 * leaves it empty (safe to call twice). Appends past cap fail with
 * BB_ELIMIT and leave the buffer as it was. */
struct bb_buf {
    char *data;
    size_t len;
    size_t alloc;
    size_t cap;
};
void bb_buf_init(struct bb_buf *b, size_t cap);
void bb_buf_free(struct bb_buf *b);
void bb_buf_reset(struct bb_buf *b);
int bb_buf_append(struct bb_buf *b, const void *data, size_t n);
int bb_buf_puts(struct bb_buf *b, const char *s);
int bb_buf_printf(struct bb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the data over: the caller owns the returned string (free()), and the
 * buffer is left empty. Returns NULL only if nothing was ever allocated and
 * allocating an empty string fails. */
char *bb_buf_take(struct bb_buf *b);

/* 1 when s holds a bidirectional embedding, override or isolate control
 * (U+202A-U+202E, U+2066-U+2069): text that displays in another order
 * than it reads ("Trojan Source"). Refused in broadcasts. */
int bb_has_bidi_control(const char *s);

/* Append s to b as one RFC 4180 CSV field: in double quotes, quotes doubled.
 * A cell a spreadsheet would run as a formula (first character = + - @, tab
 * or CR) gets a leading apostrophe, unless the whole cell is a plain number
 * such as -12.5 (OWASP "CSV injection"). The one writer of every CSV bimbing
 * produces. BB_ELIMIT past the buffer's cap (buffer unchanged). */
int bb_csv_field(struct bb_buf *b, const char *s);

#define BB_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
