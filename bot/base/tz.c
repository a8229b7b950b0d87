/*
 * tz.c - IANA time zones from TZif files (RFC 8536), so the scheduler can
 * tell each person's local time without libc localtime() and setenv("TZ"),
 * which are not thread-safe. See tz.h.
 *
 * Threads: a struct tz never changes after tz_load returns it, so any
 * number of threads may read it. A struct tz_cache has no lock: one thread
 * at a time. Ownership: tz_load's caller owns the zone; a cache owns the
 * zones it hands out.
 *
 * What is read: the version 2+ data block (64-bit times) when there is one,
 * else the version 1 block; the local time types' UTC offsets; and the
 * POSIX TZ footer ("std offset [dst [offset] [,start[/time],end[/time]]]",
 * with Jn, n and Mm.w.d dates and version 3 times beyond 24h) for instants
 * after the last transition. Abbreviations, leap-second records and the
 * standard/wall indicators are not needed and are skipped.
 */
#include "bot/base/tz.h"
#include "bot/base/bb.h"
#include "bot/base/cal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MOD "tz"

#define MAX_TRANS  100000 /* transitions in one file; real ones have < 2,000 */
#define MAX_OFFSET 93599  /* RFC 8536: -89999 ... 93599 seconds */
#define MIN_OFFSET (-89999)
#define TIME_CLAMP INT64_C(10000000000000) /* about 317,000 years */

/* A rule date of the POSIX TZ string. */
struct rule_date {
    char kind;   /* 'J' (Julian 1-365, no Feb 29), 'N' (0-365), 'M' (month.week.day) */
    int n;       /* J, N */
    int m, w, d; /* M: month 1-12, week 1-5 (5 = last), day 0-6 (0 = Sunday) */
    int secs;    /* local time of day of the change, may be negative or > 24h */
};

struct rule {
    int std_off; /* UTC offset, east positive */
    int dst_off;
    int has_dst;
    struct rule_date start, end;
};

struct tz {
    char name[TZ_MAX_NAME + 1];
    size_t ntrans;
    int64_t *trans;      /* ascending */
    unsigned char *tidx; /* type index of each transition */
    size_t ntypes;       /* >= 1 */
    int32_t *toff;       /* UTC offset of each type */
    int has_rule;        /* footer present and understood */
    struct rule rule;
};

struct tz_cache {
    size_t n;
    size_t alloc;
    struct tz **zones;
};

static const struct {
    const char *alias;
    const char *name;
} aliases[] = {
    {"WIB", "Asia/Jakarta"},
    {"WITA", "Asia/Makassar"},
    {"WIT", "Asia/Jayapura"},
};

static int64_t clamp_time(int64_t t)
{
    return t > TIME_CLAMP ? TIME_CLAMP : t < -TIME_CLAMP ? -TIME_CLAMP : t;
}

/* ---- the POSIX TZ footer ------------------------------------------------ */

struct cur {
    const char *s;
    size_t n;
    size_t i;
};

static int cur_peek(const struct cur *c)
{
    return c->i < c->n ? (unsigned char)c->s[c->i] : -1;
}

static int is_alpha(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

/* A zone abbreviation: letters, or <...> with letters, digits, '+', '-'. */
static int parse_abbr(struct cur *c)
{
    size_t start = c->i;
    if (cur_peek(c) == '<') {
        c->i++;
        while (c->i < c->n && c->s[c->i] != '>') {
            int ch = (unsigned char)c->s[c->i];
            if (!is_alpha(ch) && !is_digit(ch) && ch != '+' && ch != '-')
                return -1;
            c->i++;
        }
        if (cur_peek(c) != '>' || c->i - start < 2)
            return -1;
        c->i++;
        return 0;
    }
    while (is_alpha(cur_peek(c)))
        c->i++;
    return c->i > start ? 0 : -1;
}

static int parse_uint(struct cur *c, int max, int *out)
{
    int v = 0;
    size_t start = c->i;
    while (is_digit(cur_peek(c))) {
        v = v * 10 + (c->s[c->i] - '0');
        if (v > max)
            return -1;
        c->i++;
    }
    if (c->i == start)
        return -1;
    *out = v;
    return 0;
}

/* [+-]hh[:mm[:ss]] as seconds; hh at most max_h. */
static int parse_hms(struct cur *c, int max_h, int *secs)
{
    int neg = 0, h, m = 0, s = 0;
    if (cur_peek(c) == '+' || cur_peek(c) == '-') {
        neg = cur_peek(c) == '-';
        c->i++;
    }
    if (parse_uint(c, max_h, &h) != 0)
        return -1;
    if (cur_peek(c) == ':') {
        c->i++;
        if (parse_uint(c, 59, &m) != 0)
            return -1;
        if (cur_peek(c) == ':') {
            c->i++;
            if (parse_uint(c, 59, &s) != 0)
                return -1;
        }
    }
    *secs = (neg ? -1 : 1) * (h * 3600 + m * 60 + s);
    return 0;
}

static int parse_rule_date(struct cur *c, struct rule_date *rd)
{
    rd->secs = 2 * 3600;
    if (cur_peek(c) == 'J') {
        c->i++;
        rd->kind = 'J';
        if (parse_uint(c, 365, &rd->n) != 0 || rd->n < 1)
            return -1;
    } else if (cur_peek(c) == 'M') {
        c->i++;
        rd->kind = 'M';
        if (parse_uint(c, 12, &rd->m) != 0 || rd->m < 1 || cur_peek(c) != '.')
            return -1;
        c->i++;
        if (parse_uint(c, 5, &rd->w) != 0 || rd->w < 1 || cur_peek(c) != '.')
            return -1;
        c->i++;
        if (parse_uint(c, 6, &rd->d) != 0)
            return -1;
    } else {
        rd->kind = 'N';
        if (parse_uint(c, 365, &rd->n) != 0)
            return -1;
    }
    if (cur_peek(c) == '/') {
        c->i++;
        if (parse_hms(c, 167, &rd->secs) != 0)
            return -1;
    }
    return 0;
}

static int parse_footer(const char *s, size_t n, struct rule *r)
{
    struct cur c = {s, n, 0};
    int off;

    memset(r, 0, sizeof(*r));
    if (parse_abbr(&c) != 0 || parse_hms(&c, 24, &off) != 0)
        return -1;
    r->std_off = -off; /* POSIX counts west as positive */
    if (c.i == c.n)
        return 0;
    if (parse_abbr(&c) != 0)
        return -1;
    r->has_dst = 1;
    r->dst_off = r->std_off + 3600;
    if (cur_peek(&c) != ',' && c.i < c.n) {
        if (parse_hms(&c, 24, &off) != 0)
            return -1;
        r->dst_off = -off;
    }
    if (c.i == c.n) {
        /* No rule: the historical POSIX default, the US rules. */
        r->start = (struct rule_date){'M', 0, 3, 2, 0, 2 * 3600};
        r->end = (struct rule_date){'M', 0, 11, 1, 0, 2 * 3600};
        return 0;
    }
    if (cur_peek(&c) != ',')
        return -1;
    c.i++;
    if (parse_rule_date(&c, &r->start) != 0 || cur_peek(&c) != ',')
        return -1;
    c.i++;
    if (parse_rule_date(&c, &r->end) != 0 || c.i != c.n)
        return -1;
    return 0;
}

/* Day number of a rule date in year y. */
static int64_t rule_day(const struct rule_date *rd, int64_t y)
{
    int64_t jan1 = cal_days_from_civil(y, 1, 1);
    if (rd->kind == 'J')
        return jan1 + rd->n - 1 + (cal_is_leap(y) && rd->n >= 60);
    if (rd->kind == 'N')
        return jan1 + rd->n;
    int64_t first = cal_days_from_civil(y, rd->m, 1);
    int wd_first = cal_weekday(first) % 7; /* 0 = Sunday */
    int64_t day = first + (rd->d - wd_first + 7) % 7 + (int64_t)(rd->w - 1) * 7;
    while (day >= first + cal_days_in_month(y, rd->m))
        day -= 7;
    return day;
}

static int rule_offset(const struct rule *r, int64_t t)
{
    if (!r->has_dst)
        return r->std_off;
    t = clamp_time(t);
    int64_t y;
    int m, d;
    cal_civil_from_days(cal_floor_div(t + r->std_off, 86400), &y, &m, &d);
    /* The change to DST happens on standard time, the change back on DST. */
    int64_t start = rule_day(&r->start, y) * 86400 + r->start.secs - r->std_off;
    int64_t end = rule_day(&r->end, y) * 86400 + r->end.secs - r->dst_off;
    if (start < end)
        return t >= start && t < end ? r->dst_off : r->std_off;
    /* Southern hemisphere (or a negative DST): DST spans the new year. */
    return t >= end && t < start ? r->std_off : r->dst_off;
}

/* ---- TZif --------------------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    uint64_t v = (uint64_t)be32(p) << 32 | be32(p + 4);
    return (int64_t)v;
}

struct counts {
    uint32_t isut, isstd, leap, time, type, chars;
};

/* Read a header at b[off]; sets *datalen to its data block's size for
 * times of tsize bytes. */
static int read_header(const unsigned char *b, size_t n, size_t off, size_t tsize, struct counts *c,
                       size_t *datalen)
{
    if (n < off || n - off < 44 || memcmp(b + off, "TZif", 4) != 0)
        return -1;
    const unsigned char *h = b + off + 20;
    c->isut = be32(h);
    c->isstd = be32(h + 4);
    c->leap = be32(h + 8);
    c->time = be32(h + 12);
    c->type = be32(h + 16);
    c->chars = be32(h + 20);
    if (c->time > MAX_TRANS || c->type < 1 || c->type > 256 || c->leap > MAX_TRANS ||
        c->chars > 65536 || c->isut > 256 || c->isstd > 256)
        return -1;
    *datalen = (size_t)c->time * (tsize + 1) + (size_t)c->type * 6 + c->chars +
               (size_t)c->leap * (tsize + 4) + c->isstd + c->isut;
    if (n - off - 44 < *datalen)
        return -1;
    return 0;
}

/* Parse a whole TZif file into z. BB_ENOTFOUND when it is not TZif at all,
 * BB_EINVAL when it is broken, BB_ENOMEM. */
static int parse_tzif(struct tz *z, const unsigned char *b, size_t n)
{
    struct counts c;
    size_t len1, len2, off, tsize = 4;
    const unsigned char *p;

    if (n < 5 || memcmp(b, "TZif", 4) != 0)
        return BB_ENOTFOUND;
    if (read_header(b, n, 0, 4, &c, &len1) != 0)
        return BB_EINVAL;
    off = 44;
    if (b[4] >= '2') {
        if (read_header(b, n, 44 + len1, 8, &c, &len2) != 0)
            return BB_EINVAL;
        off = 44 + len1 + 44;
        tsize = 8;
    } else {
        len2 = len1;
    }
    p = b + off;

    z->ntrans = c.time;
    z->ntypes = c.type;
    z->trans = malloc((c.time ? c.time : 1) * sizeof(*z->trans));
    z->tidx = malloc(c.time ? c.time : 1);
    z->toff = malloc(c.type * sizeof(*z->toff));
    if (!z->trans || !z->tidx || !z->toff)
        return BB_ENOMEM;
    for (size_t i = 0; i < c.time; i++) {
        z->trans[i] = tsize == 8 ? be64(p + i * 8) : (int64_t)(int32_t)be32(p + i * 4);
        if (i > 0 && z->trans[i] <= z->trans[i - 1])
            return BB_EINVAL;
    }
    p += (size_t)c.time * tsize;
    for (size_t i = 0; i < c.time; i++) {
        z->tidx[i] = p[i];
        if (p[i] >= c.type)
            return BB_EINVAL;
    }
    p += c.time;
    for (size_t i = 0; i < c.type; i++) {
        int32_t o = (int32_t)be32(p + i * 6);
        if (o < MIN_OFFSET || o > MAX_OFFSET || p[i * 6 + 4] > 1)
            return BB_EINVAL;
        z->toff[i] = o;
    }

    if (tsize == 8) {
        /* The footer: "\n" TZ-string "\n" right after the data block. */
        const char *f = (const char *)b + off + len2;
        size_t left = n - off - len2;
        if (left < 2 || f[0] != '\n')
            return BB_EINVAL;
        const char *nl = memchr(f + 1, '\n', left - 1);
        if (!nl)
            return BB_EINVAL;
        size_t flen = (size_t)(nl - f - 1);
        if (flen > 0) {
            if (parse_footer(f + 1, flen, &z->rule) == 0)
                z->has_rule = 1;
            else
                bb_log(BB_LOG_WARN, MOD,
                       "%s: TZ rule '%.*s' not understood; using the last "
                       "transition for later times",
                       z->name, (int)(flen > 60 ? 60 : flen), f + 1);
        }
    }
    return BB_OK;
}

/* ---- loading ------------------------------------------------------------ */

/* Resolve an alias and check the name. Returns the name to load or NULL. */
static const char *check_name(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < BB_ARRAY_LEN(aliases); i++) {
        if (strcasecmp(name, aliases[i].alias) == 0)
            return aliases[i].name;
    }
    size_t n = strnlen(name, TZ_MAX_NAME + 1);
    if (n == 0 || n > TZ_MAX_NAME || name[0] == '/' || strstr(name, ".."))
        return NULL;
    for (size_t i = 0; i < n; i++) {
        int ch = (unsigned char)name[i];
        if (!is_alpha(ch) && !is_digit(ch) && ch != '_' && ch != '+' && ch != '-' && ch != '/')
            return NULL;
    }
    return name;
}

static int read_file(const char *path, unsigned char **out, size_t *len)
{
    struct stat st;
    unsigned char *buf = NULL;
    size_t got = 0;
    int rc = BB_EIO;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR ? BB_ENOTFOUND : BB_EIO;
    if (fstat(fd, &st) != 0)
        goto out;
    if (!S_ISREG(st.st_mode)) {
        rc = BB_ENOTFOUND;
        goto out;
    }
    if (st.st_size > TZ_MAX_FILE) {
        rc = BB_EINVAL;
        goto out;
    }
    buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        rc = BB_ENOMEM;
        goto out;
    }
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    if (got != (size_t)st.st_size)
        goto out;
    *out = buf;
    *len = got;
    buf = NULL;
    rc = BB_OK;
out:
    free(buf);
    close(fd);
    return rc;
}

int tz_load_from(const char *dir, const char *name, struct tz **out)
{
    char path[4096];
    unsigned char *data = NULL;
    size_t len = 0;
    struct tz *z = NULL;
    struct stat st;
    const char *real;
    int rc;

    if (!out)
        return BB_EINVAL;
    *out = NULL;
    real = check_name(name);
    if (!dir || !real)
        return BB_EINVAL;
    /* Install check: without tzdata every zone is unknown; say why once here. */
    if (bb_snprintf(path, sizeof(path), "%s/Asia/Jakarta", dir) != BB_OK)
        return BB_EINVAL;
    if (stat(path, &st) != 0) {
        bb_log(BB_LOG_ERR, MOD,
               "time zone data missing: %s not found (install the Debian "
               "package tzdata)",
               path);
        return BB_ENOTFOUND;
    }
    if (bb_snprintf(path, sizeof(path), "%s/%s", dir, real) != BB_OK)
        return BB_EINVAL;
    rc = read_file(path, &data, &len);
    if (rc != BB_OK)
        goto out;
    z = calloc(1, sizeof(*z));
    if (!z) {
        rc = BB_ENOMEM;
        goto out;
    }
    bb_strlcpy(z->name, real, sizeof(z->name));
    rc = parse_tzif(z, data, len);
    if (rc == BB_EINVAL)
        bb_log(BB_LOG_WARN, MOD, "%s: not a valid TZif file", path);
    if (rc != BB_OK)
        goto out;
    *out = z;
    z = NULL;
out:
    tz_free(z);
    free(data);
    return rc;
}

int tz_load(const char *name, struct tz **out)
{
    return tz_load_from(TZ_DIR_DEFAULT, name, out);
}

void tz_free(struct tz *z)
{
    if (!z)
        return;
    free(z->trans);
    free(z->tidx);
    free(z->toff);
    free(z);
}

const char *tz_name(const struct tz *z)
{
    return z ? z->name : "UTC";
}

/* ---- conversions -------------------------------------------------------- */

static int offset_at(const struct tz *z, int64_t t)
{
    if (z->ntrans == 0)
        return z->has_rule ? rule_offset(&z->rule, t) : z->toff[0];
    if (t < z->trans[0])
        return z->toff[0];
    size_t lo = 0, hi = z->ntrans; /* the answer is in [lo, hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->trans[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    if (lo == z->ntrans - 1 && z->has_rule)
        return rule_offset(&z->rule, t);
    return z->toff[z->tidx[lo]];
}

int tz_offset_at(const struct tz *z, int64_t utc, int *offset_s)
{
    if (!z || !offset_s)
        return BB_EINVAL;
    *offset_s = offset_at(z, utc);
    return BB_OK;
}

int tz_local_to_utc(const struct tz *z, int y, int mon, int d, int h, int mi, int64_t *utc)
{
    if (!z || !utc || y < 1 || y > 9999 || mon < 1 || mon > 12 || d < 1 ||
        d > cal_days_in_month(y, mon) || h < 0 || h > 23 || mi < 0 || mi > 59)
        return BB_EINVAL;
    int64_t wall = cal_days_from_civil(y, mon, d) * 86400 + h * 3600 + mi * 60;
    /* Offsets that could apply: before, at and after the wall time. Real
     * zones never change twice within two days. */
    int cand[3] = {offset_at(z, wall - 2 * 86400), offset_at(z, wall),
                   offset_at(z, wall + 2 * 86400)};
    int found = 0;
    int64_t best = 0;
    for (int i = 0; i < 3; i++) {
        int64_t t = wall - cand[i];
        if (offset_at(z, t) == cand[i] && (!found || t < best)) {
            best = t;
            found = 1;
        }
    }
    /* In a gap: read the wall time with the offset from before the jump. */
    *utc = found ? best : wall - cand[0];
    return BB_OK;
}

void tz_utc_to_local(const struct tz *z, int64_t utc, int *y, int *mon, int *d, int *h, int *mi,
                     int *wday)
{
    int64_t t = clamp_time(utc);
    int64_t local = t + (z ? offset_at(z, t) : 0);
    int64_t days = cal_floor_div(local, 86400);
    int64_t secs = local - days * 86400;
    int64_t yy;
    int mm, dd;

    cal_civil_from_days(days, &yy, &mm, &dd);
    if (y)
        *y = (int)yy;
    if (mon)
        *mon = mm;
    if (d)
        *d = dd;
    if (h)
        *h = (int)(secs / 3600);
    if (mi)
        *mi = (int)(secs % 3600 / 60);
    if (wday)
        *wday = cal_weekday(days);
}

/* ---- cache -------------------------------------------------------------- */

int tz_cache_new(struct tz_cache **out)
{
    if (!out)
        return BB_EINVAL;
    *out = calloc(1, sizeof(**out));
    return *out ? BB_OK : BB_ENOMEM;
}

void tz_cache_free(struct tz_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        tz_free(c->zones[i]);
    free(c->zones);
    free(c);
}

int tz_cache_get(struct tz_cache *c, const char *name, const struct tz **out)
{
    struct tz *z = NULL;
    const char *real;
    int rc;

    if (!out)
        return BB_EINVAL;
    *out = NULL;
    real = check_name(name);
    if (!c || !real)
        return BB_EINVAL;
    for (size_t i = 0; i < c->n; i++) {
        if (strcmp(c->zones[i]->name, real) == 0) {
            *out = c->zones[i];
            return BB_OK;
        }
    }
    if (c->n >= TZ_CACHE_MAX)
        return BB_ELIMIT;
    if (c->n == c->alloc) {
        size_t na = c->alloc ? c->alloc * 2 : 8;
        struct tz **nz = realloc(c->zones, na * sizeof(*nz));
        if (!nz)
            return BB_ENOMEM;
        c->zones = nz;
        c->alloc = na;
    }
    rc = tz_load(real, &z);
    if (rc != BB_OK)
        return rc;
    c->zones[c->n++] = z;
    *out = z;
    return BB_OK;
}
