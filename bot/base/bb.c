/*
 * bb.c - shared helpers: error texts, logging, clock, bounded strings,
 * UTF-8, randomness and the capped buffer. See bb.h.
 *
 * Thread rules: everything is callable from any thread. The pinned clock is
 * a process-wide setting meant for tests and CLI commands; the service never
 * pins it while threads run.
 */
#define _GNU_SOURCE
#include "bot/base/bb.h"
#include "bot/base/cal.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

int bb_log_threshold = BB_LOG_INFO;

const char *bb_strerror(int err)
{
    switch (err) {
    case BB_OK:
        return "ok";
    case BB_ENOMEM:
        return "out of memory";
    case BB_EINVAL:
        return "invalid input";
    case BB_EIO:
        return "input/output error";
    case BB_ENOTFOUND:
        return "not found";
    case BB_EEXIST:
        return "already exists";
    case BB_EAGAIN:
        return "try again later";
    case BB_ELIMIT:
        return "limit exceeded";
    case BB_ESTATE:
        return "not allowed in this state";
    case BB_EEXPIRED:
        return "expired";
    case BB_EPERM:
        return "permission denied";
    }
    return "unknown error";
}

void bb_log_emit(int level, const char *module, const char *fmt, ...)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    char line[1024];
    char ts[32];
    struct timespec now;
    struct tm tm;
    va_list ap;
    int off;

    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (level < 0 || level > BB_LOG_DEBUG)
        level = BB_LOG_DEBUG;
    /* Under systemd (stderr goes to the journal, which sets JOURNAL_STREAM)
     * a line starts with its syslog priority, "<3>" for an error, and no
     * time: journald keeps its own and filters by priority (journalctl -p). */
    static const char prio[] = {'3', '4', '6', '7'};
    static _Atomic int journal = -1;
    if (journal < 0)
        journal = getenv("JOURNAL_STREAM") != NULL;
    if (journal)
        off = snprintf(line, sizeof(line), "<%c>%s %s: ", prio[level], names[level],
                       module ? module : "-");
    else
        off = snprintf(line, sizeof(line), "%s %s %s: ", ts, names[level], module ? module : "-");
    if (off < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(line + off, sizeof(line) - (size_t)off, fmt, ap);
    va_end(ap);
    size_t len = strlen(line);
    if (len >= sizeof(line) - 1)
        len = sizeof(line) - 2;
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}

static _Atomic int64_t clock_pinned = INT64_MIN;

int64_t bb_now(void)
{
    int64_t p = atomic_load(&clock_pinned);
    if (p != INT64_MIN)
        return p;
    return (int64_t)time(NULL);
}

void bb_clock_set(int64_t t)
{
    atomic_store(&clock_pinned, t);
}

void bb_clock_advance(int64_t seconds)
{
    int64_t p = atomic_load(&clock_pinned);
    if (p == INT64_MIN)
        p = (int64_t)time(NULL);
    atomic_store(&clock_pinned, p + seconds);
}

void bb_clock_unpin(void)
{
    atomic_store(&clock_pinned, INT64_MIN);
}

int64_t bb_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int bb_parse_iso8601(const char *s, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, se = 0, oh = 0, om = 0, sign = 1;

    if (!s || strlen(s) < 10)
        return BB_EINVAL;
    if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
        digits(s + 8, 2, &d))
        return BB_EINVAL;
    s += 10;
    if (*s == 'T' || *s == ' ') {
        s++;
        if (digits(s, 2, &h) || s[2] != ':' || digits(s + 3, 2, &mi))
            return BB_EINVAL;
        s += 5;
        if (*s == ':') {
            if (digits(s + 1, 2, &se))
                return BB_EINVAL;
            s += 3;
        }
    }
    if (*s == 'Z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        sign = *s == '-' ? -1 : 1;
        if (digits(s + 1, 2, &oh) || s[3] != ':' || digits(s + 4, 2, &om))
            return BB_EINVAL;
        s += 6;
    }
    if (*s != '\0')
        return BB_EINVAL;
    if (!cal_valid(y, mo, d) || h > 23 || mi > 59 || se > 60 || oh > 14 || om > 59)
        return BB_EINVAL;
    *out = cal_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
           sign * (oh * 3600 + om * 60);
    return BB_OK;
}

void bb_format_iso8601(int64_t t, char *out, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    if (strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0 && n > 0)
        out[0] = '\0';
}

int bb_parse_duration(const char *s, int64_t *out)
{
    long long v;
    char num[24];
    size_t len;
    int64_t mult = 1;

    if (!s || !*s)
        return BB_EINVAL;
    len = strlen(s);
    if (len >= sizeof(num))
        return BB_EINVAL;
    memcpy(num, s, len + 1);
    switch (num[len - 1]) {
    case 's':
        mult = 1;
        break;
    case 'm':
        mult = 60;
        break;
    case 'h':
        mult = 3600;
        break;
    case 'd':
        mult = 86400;
        break;
    case 'w':
        mult = 7 * 86400;
        break;
    default:
        mult = 0;
    }
    if (mult)
        num[--len] = '\0';
    else
        mult = 1;
    if (bb_parse_ll(num, 0, 100LL * 365 * 86400, &v) != BB_OK)
        return BB_EINVAL;
    if (v > (100LL * 365 * 86400) / mult)
        return BB_EINVAL;
    *out = (int64_t)v * mult;
    return BB_OK;
}

int bb_strlcpy(char *dst, const char *src, size_t n)
{
    size_t len;
    if (n == 0)
        return BB_ELIMIT;
    len = strlen(src);
    if (len < n) {
        memcpy(dst, src, len + 1);
        return BB_OK;
    }
    len = bb_utf8_cut(src, len, n - 1);
    memcpy(dst, src, len);
    dst[len] = '\0';
    return BB_ELIMIT;
}

int bb_snprintf(char *dst, size_t n, const char *fmt, ...)
{
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = vsnprintf(dst, n, fmt, ap);
    va_end(ap);
    if (r < 0)
        return BB_EINVAL;
    if ((size_t)r >= n)
        return BB_ELIMIT;
    return BB_OK;
}

int bb_parse_ll(const char *s, long long min, long long max, long long *out)
{
    char *end;
    long long v;
    if (!s || !*s || isspace((unsigned char)*s))
        return BB_EINVAL;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end != '\0' || v < min || v > max)
        return BB_EINVAL;
    *out = v;
    return BB_OK;
}

int bb_num_i64(double d, int64_t *out)
{
    /* Strictly inside +-2^53: 2^53 itself is also what 2^53 + 1 rounds to,
     * so a JSON id of 9007199254740993 must not become ...992 (issue 14,
     * Info: Telegram ids above 2^53 were rounded). */
    const double limit = 9007199254740992.0; /* 2^53 */
    if (!(d > -limit && d < limit) || d != (double)(int64_t)d)
        return BB_EINVAL; /* NaN fails the comparisons; the cast is in range here */
    *out = (int64_t)d;
    return BB_OK;
}

int64_t bb_num_or(double d, int64_t dflt)
{
    int64_t v;
    return bb_num_i64(d, &v) == BB_OK ? v : dflt;
}

int bb_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint32_t cp;
        if ((c & 0xE0) == 0xC0) {
            need = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            need = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            need = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= n || (s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
            (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += need + 1;
    }
    return 1;
}

size_t bb_utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

size_t bb_utf8_cut(const char *s, size_t len, size_t max_bytes)
{
    if (len <= max_bytes)
        return len;
    size_t cut = max_bytes;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    return cut;
}

int bb_fold(const char *s, char *out, size_t n)
{
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    if (n == 0)
        return BB_ELIMIT;
    /* Trim leading and trailing space; fold ASCII and Latin-1 upper case. */
    while (*p && isspace(*p))
        p++;
    for (; *p; p++) {
        unsigned char c = *p;
        if (c == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
            if (o + 2 >= n)
                return BB_ELIMIT;
            out[o++] = (char)c;
            out[o++] = (char)(p[1] + 0x20);
            p++;
            continue;
        }
        if (o + 1 >= n)
            return BB_ELIMIT;
        out[o++] = (char)tolower(c);
    }
    while (o > 0 && isspace((unsigned char)out[o - 1]))
        o--;
    out[o] = '\0';
    return BB_OK;
}

int bb_random(void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t r = getrandom(p, n, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return BB_EIO;
        }
        p += r;
        n -= (size_t)r;
    }
    return BB_OK;
}

void bb_sha256_hex(const void *data, size_t n, char out[65])
{
    unsigned char md[32];
    unsigned int mdlen = 0;
    static const char hex[] = "0123456789abcdef";
    EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL);
    for (unsigned int i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

void bb_buf_init(struct bb_buf *b, size_t cap)
{
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
    b->cap = cap;
}

void bb_buf_free(struct bb_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
}

void bb_buf_reset(struct bb_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

int bb_buf_append(struct bb_buf *b, const void *data, size_t n)
{
    if (n > b->cap || b->len > b->cap - n)
        return BB_ELIMIT;
    if (b->len + n + 1 > b->alloc) {
        size_t na = b->alloc ? b->alloc : 64;
        while (na < b->len + n + 1)
            na *= 2;
        if (na > b->cap + 1)
            na = b->cap + 1;
        char *nd = realloc(b->data, na);
        if (!nd)
            return BB_ENOMEM;
        b->data = nd;
        b->alloc = na;
    }
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return BB_OK;
}

int bb_buf_puts(struct bb_buf *b, const char *s)
{
    return bb_buf_append(b, s, strlen(s));
}

int bb_buf_printf(struct bb_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (r < 0)
        return BB_EINVAL;
    if ((size_t)r < sizeof(small))
        return bb_buf_append(b, small, (size_t)r);
    char *big = malloc((size_t)r + 1);
    if (!big)
        return BB_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)r + 1, fmt, ap);
    va_end(ap);
    int rc = bb_buf_append(b, big, (size_t)r);
    free(big);
    return rc;
}

char *bb_buf_take(struct bb_buf *b)
{
    char *d = b->data;
    if (!d)
        d = calloc(1, 1);
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
    return d;
}

int bb_has_bidi_control(const char *s)
{
    /* U+202A-U+202E: E2 80 AA-AE; U+2066-U+2069: E2 81 A6-A9 */
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
        if (p[0] == 0xE2 && ((p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) ||
                             (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9)))
            return 1;
    return 0;
}

/* A plain decimal number: optional sign, digits, at most one '.', digits. */
static int csv_is_number(const char *s)
{
    int digits = 0, dots = 0;
    if (*s == '-' || *s == '+')
        s++;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digits++;
        else if (*s == '.' && !dots)
            dots++;
        else
            return 0;
    }
    return digits > 0;
}

int bb_csv_field(struct bb_buf *b, const char *s)
{
    size_t len0 = b->len;
    int rc = bb_buf_append(b, "\"", 1);
    if (rc == BB_OK && s[0] && strchr("=+-@\t\r", s[0]) && !csv_is_number(s))
        rc = bb_buf_append(b, "'", 1);
    for (const char *p = s; rc == BB_OK && *p; p++)
        rc = *p == '"' ? bb_buf_append(b, "\"\"", 2) : bb_buf_append(b, p, 1);
    if (rc == BB_OK)
        rc = bb_buf_append(b, "\"", 1);
    if (rc != BB_OK) {
        b->len = len0;
        if (b->data)
            b->data[len0] = '\0';
    }
    return rc;
}
