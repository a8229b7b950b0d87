/*
 * worktime.c - working days and hours, the holiday file and the next
 * working slot (see worktime.h). Pure functions apart from
 * work_holidays_load, which reads one file.
 */
#include "bot/core/worktime.h"
#include "bot/base/bb.h"
#include "bot/base/cal.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

struct work_holidays {
    struct work_year years[WORK_MAX_YEARS];
    int nyears;
    struct work_day *days; /* sorted by day, each day once */
    int ndays;
};

/* ---- the working week ------------------------------------------------------ */

static const char *const day_en[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const day_id[] = {"sen", "sel", "rab", "kam", "jum", "sab", "min"};

void work_hours_default(struct work_hours *h)
{
    h->days = 0x3e; /* Monday (bit 1) to Friday (bit 5) */
    h->start_min = 7 * 60 + 30;
    h->end_min = 16 * 60;
}

/* "mon" / "senin" / "jumat" ... -> 1..7, else 0. */
static int day_word(const char *s, size_t n)
{
    char w[12];
    if (n < 3 || n >= sizeof(w))
        return 0;
    for (size_t i = 0; i < n; i++)
        w[i] = (char)tolower((unsigned char)s[i]);
    w[n] = '\0';
    for (int d = 0; d < 7; d++)
        if (!strncmp(w, day_en[d], 3) || !strncmp(w, day_id[d], 3))
            return d + 1;
    return 0;
}

static int parse_days(const char *s, unsigned *out)
{
    unsigned days = 0;
    const char *p = s;
    int guard = 0;
    while (*p && guard++ < 16) {
        size_t a = strcspn(p, ",-");
        int d1 = day_word(p, a), d2 = d1;
        p += a;
        if (*p == '-') {
            size_t b = strcspn(p + 1, ",");
            d2 = day_word(p + 1, b);
            p += 1 + b;
        }
        if (!d1 || !d2 || d2 < d1)
            return -1;
        for (int d = d1; d <= d2; d++)
            days |= 1u << d;
        if (*p == ',' && p[1])
            p++;
        else if (*p)
            return -1; /* anything else, or a comma at the end */
    }
    if (*p || !days)
        return -1;
    *out = days;
    return 0;
}

static int parse_hhmm(const char *s, int *min)
{
    if (strlen(s) != 5 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
        s[2] != ':' || !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return -1;
    *min = h * 60 + m;
    return 0;
}

int work_hours_parse(const char *days, const char *hours, struct work_hours *h, char *err,
                     size_t el)
{
    struct work_hours w = *h;
    if (days && days[0] && parse_days(days, &w.days) != 0) {
        bb_snprintf(err, el,
                    "working days \"%.40s\": use day names like \"mon-fri\" or "
                    "\"mon,tue,thu\" (or sen-jum)",
                    days);
        return BB_EINVAL;
    }
    if (hours && hours[0]) {
        char a[8], b[8];
        const char *dash = strchr(hours, '-');
        int ok = dash && (size_t)(dash - hours) < sizeof(a) && strlen(dash + 1) < sizeof(b);
        if (ok) {
            memcpy(a, hours, (size_t)(dash - hours));
            a[dash - hours] = '\0';
            bb_strlcpy(b, dash + 1, sizeof(b));
            ok = parse_hhmm(a, &w.start_min) == 0 && parse_hhmm(b, &w.end_min) == 0 &&
                 w.start_min < w.end_min;
        }
        if (!ok) {
            bb_snprintf(err, el,
                        "working hours \"%.40s\": use \"HH:MM-HH:MM\" with the start "
                        "before the end, like \"07:30-16:00\"",
                        hours);
            return BB_EINVAL;
        }
    }
    *h = w;
    return BB_OK;
}

void work_hours_format(const struct work_hours *h, char *days, size_t dn, char *hours, size_t hn)
{
    size_t o = 0;
    if (dn)
        days[0] = '\0';
    for (int d = 1; d <= 7; d++)
        if (h->days & (1u << d)) {
            bb_snprintf(days + o, dn - o, "%s%s", o ? "," : "", day_en[d - 1]);
            o = strlen(days);
        }
    bb_snprintf(hours, hn, "%02d:%02d-%02d:%02d", h->start_min / 60, h->start_min % 60,
                h->end_min / 60, h->end_min % 60);
}

/* ---- the holiday file ------------------------------------------------------ */

static int cmp_day(const void *a, const void *b)
{
    const struct work_day *x = a, *y = b;
    return x->day < y->day ? -1 : x->day > y->day;
}

static int known_keys(const cJSON *o, const char *const *keys)
{
    for (const cJSON *c = o->child; c; c = c->next) {
        int ok = c->string && c->string[0] == '_';
        for (int i = 0; keys[i] && !ok; i++)
            ok = strcmp(c->string, keys[i]) == 0;
        if (!ok)
            return 0;
    }
    return 1;
}

static int name_ok(const cJSON *v)
{
    return cJSON_IsString(v) && v->valuestring[0] && strlen(v->valuestring) < WORK_NAME_MAX &&
           bb_utf8_valid(v->valuestring, strlen(v->valuestring)) &&
           !bb_has_bidi_control(v->valuestring);
}

static int parse_year(struct work_holidays *h, const cJSON *y, int yi, const char *name, char *err,
                      size_t el)
{
    static const char *const ykeys[] = {"year", "source", "days", "note", NULL};
    static const char *const dkeys[] = {"date", "kind", "id", "en", NULL};
    const cJSON *yr = cJSON_GetObjectItemCaseSensitive(y, "year");
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(y, "source");
    const cJSON *days = cJSON_GetObjectItemCaseSensitive(y, "days");
    struct work_year *w = &h->years[h->nyears];
    if (!cJSON_IsObject(y) || !known_keys(y, ykeys)) {
        bb_snprintf(err, el,
                    "%s: years[%d] must be an object with year, source, days (and "
                    "note)",
                    name, yi);
        return BB_EINVAL;
    }
    if (!cJSON_IsNumber(yr) || yr->valuedouble != (double)(int)yr->valuedouble ||
        yr->valueint < 2000 || yr->valueint > 2200) {
        bb_snprintf(err, el, "%s: years[%d].year must be a year from 2000 to 2200", name, yi);
        return BB_EINVAL;
    }
    w->year = yr->valueint;
    for (int i = 0; i < h->nyears; i++)
        if (h->years[i].year == w->year) {
            bb_snprintf(err, el, "%s: %d is listed twice", name, w->year);
            return BB_EINVAL;
        }
    if (!cJSON_IsString(src) || strlen(src->valuestring) >= WORK_SOURCE_MAX ||
        !bb_utf8_valid(src->valuestring, strlen(src->valuestring))) {
        bb_snprintf(err, el, "%s: %d.source must be a string (the decree) of at most %d bytes",
                    name, w->year, WORK_SOURCE_MAX - 1);
        return BB_EINVAL;
    }
    bb_strlcpy(w->source, src->valuestring, sizeof(w->source));
    if (!cJSON_IsArray(days) || cJSON_GetArraySize(days) > WORK_MAX_DAYS) {
        bb_snprintf(err, el, "%s: %d.days must be a list of at most %d days", name, w->year,
                    WORK_MAX_DAYS);
        return BB_EINVAL;
    }
    /* Only dates from a named decree: a year without its source lists none. */
    if (!w->source[0] && cJSON_GetArraySize(days) > 0) {
        bb_snprintf(err, el, "%s: %d lists days but names no source (the decree)", name, w->year);
        return BB_EINVAL;
    }
    int di = 0;
    const cJSON *d;
    cJSON_ArrayForEach(d, days)
    {
        const cJSON *date = cJSON_GetObjectItemCaseSensitive(d, "date");
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(d, "kind");
        const cJSON *nid = cJSON_GetObjectItemCaseSensitive(d, "id");
        const cJSON *nen = cJSON_GetObjectItemCaseSensitive(d, "en");
        struct work_day *o = &h->days[h->ndays];
        int64_t y0;
        int m0, d0;
        if (!cJSON_IsObject(d) || !known_keys(d, dkeys)) {
            bb_snprintf(err, el, "%s: %d.days[%d] must be an object with date, kind, id, en", name,
                        w->year, di);
            return BB_EINVAL;
        }
        if (!cJSON_IsString(date) || cal_parse_iso(date->valuestring, &o->day) != 0) {
            bb_snprintf(err, el, "%s: %d.days[%d].date must be a date YYYY-MM-DD", name, w->year,
                        di);
            return BB_EINVAL;
        }
        cal_civil_from_days(o->day, &y0, &m0, &d0);
        if (y0 != w->year) {
            bb_snprintf(err, el, "%s: %d.days[%d].date %s is not in %d", name, w->year, di,
                        date->valuestring, w->year);
            return BB_EINVAL;
        }
        if (cJSON_IsString(kind) && !strcmp(kind->valuestring, "holiday"))
            o->kind = WORK_HOLIDAY;
        else if (cJSON_IsString(kind) && !strcmp(kind->valuestring, "cuti_bersama"))
            o->kind = WORK_CUTI_BERSAMA;
        else {
            bb_snprintf(err, el, "%s: %d.days[%d].kind must be \"holiday\" or \"cuti_bersama\"",
                        name, w->year, di);
            return BB_EINVAL;
        }
        if (!name_ok(nid) || !name_ok(nen)) {
            bb_snprintf(err, el,
                        "%s: %d.days[%d] needs its name in \"id\" and \"en\" (text, at "
                        "most %d bytes)",
                        name, w->year, di, WORK_NAME_MAX - 1);
            return BB_EINVAL;
        }
        bb_strlcpy(o->name[0], nid->valuestring, sizeof(o->name[0]));
        bb_strlcpy(o->name[1], nen->valuestring, sizeof(o->name[1]));
        for (int i = 0; i < h->ndays; i++)
            if (h->days[i].day == o->day) {
                bb_snprintf(err, el, "%s: %s is listed twice", name, date->valuestring);
                return BB_EINVAL;
            }
        h->ndays++;
        di++;
    }
    w->ndays = di;
    h->nyears++;
    return BB_OK;
}

int work_holidays_parse(const char *json, size_t len, const char *name, struct work_holidays **out,
                        char *err, size_t el)
{
    static const char *const keys[] = {"years", NULL};
    struct work_holidays *h;
    cJSON *root;
    const cJSON *years, *y;
    int rc = BB_OK, yi = 0;
    *out = NULL;
    if (!name)
        name = "holidays";
    root = cJSON_ParseWithLength(json, len);
    if (!root) {
        bb_snprintf(err, el, "%s: not valid JSON", name);
        return BB_EINVAL;
    }
    years = cJSON_GetObjectItemCaseSensitive(root, "years");
    if (!cJSON_IsObject(root) || !known_keys(root, keys) || !cJSON_IsArray(years) ||
        cJSON_GetArraySize(years) > WORK_MAX_YEARS) {
        bb_snprintf(err, el, "%s: must be an object {\"years\": [...]} with at most %d years", name,
                    WORK_MAX_YEARS);
        cJSON_Delete(root);
        return BB_EINVAL;
    }
    h = calloc(1, sizeof(*h));
    if (h)
        h->days = calloc((size_t)WORK_MAX_YEARS * WORK_MAX_DAYS, sizeof(*h->days));
    if (!h || !h->days) {
        work_holidays_free(h);
        cJSON_Delete(root);
        return BB_ENOMEM;
    }
    cJSON_ArrayForEach(y, years)
    {
        if ((rc = parse_year(h, y, yi++, name, err, el)) != BB_OK)
            break;
    }
    cJSON_Delete(root);
    if (rc != BB_OK) {
        work_holidays_free(h);
        return rc;
    }
    assert(h->ndays <= WORK_MAX_YEARS * WORK_MAX_DAYS);
    qsort(h->days, (size_t)h->ndays, sizeof(*h->days), cmp_day);
    *out = h;
    return BB_OK;
}

int work_holidays_load(const char *path, struct work_holidays **out, char *err, size_t el)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0;
    int rc;
    *out = NULL;
    if (!f) {
        bb_snprintf(err, el, "%s: cannot be read (the national holidays)", path);
        return BB_EIO;
    }
    buf = malloc(WORK_FILE_MAX + 1);
    if (buf)
        n = fread(buf, 1, WORK_FILE_MAX + 1, f);
    fclose(f);
    if (!buf)
        return BB_ENOMEM;
    if (n > WORK_FILE_MAX) {
        free(buf);
        bb_snprintf(err, el, "%s: larger than %d bytes", path, WORK_FILE_MAX);
        return BB_ELIMIT;
    }
    rc = work_holidays_parse(buf, n, path, out, err, el);
    free(buf);
    return rc;
}

void work_holidays_free(struct work_holidays *h)
{
    if (!h)
        return;
    free(h->days);
    free(h);
}

const struct work_day *work_holiday_on(const struct work_holidays *h, int64_t day)
{
    int lo = 0, hi = h ? h->ndays - 1 : -1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (h->days[mid].day == day)
            return &h->days[mid];
        if (h->days[mid].day < day)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

int work_holidays_nyears(const struct work_holidays *h)
{
    return h ? h->nyears : 0;
}

const struct work_year *work_holidays_year(const struct work_holidays *h, int i)
{
    return h && i >= 0 && i < h->nyears ? &h->years[i] : NULL;
}

int work_holidays_ndays(const struct work_holidays *h)
{
    return h ? h->ndays : 0;
}

const struct work_day *work_holidays_day(const struct work_holidays *h, int i)
{
    return h && i >= 0 && i < h->ndays ? &h->days[i] : NULL;
}

/* ---- the next working slot ------------------------------------------------- */

int work_is_working_day(const struct work_hours *h, const struct work_holidays *hol, int64_t day,
                        int64_t leave_until)
{
    return (h->days & (1u << cal_weekday(day))) && day > leave_until && !work_holiday_on(hol, day);
}

int64_t work_local_day(const struct tz *z, int64_t t)
{
    int y, mon, d;
    tz_utc_to_local(z, t, &y, &mon, &d, NULL, NULL, NULL);
    return cal_days_from_civil(y, mon, d);
}

int work_next(const struct work_hours *h, const struct work_holidays *hol, const struct tz *z,
              int64_t t, int64_t leave_until, int64_t *out)
{
    int y, mon, d, hh, mi;
    tz_utc_to_local(z, t, &y, &mon, &d, &hh, &mi, NULL);
    int64_t day = cal_days_from_civil(y, mon, d);
    int now_min = hh * 60 + mi;
    assert(h->start_min < h->end_min);
    for (int i = 0; i < WORK_SEARCH_DAYS; i++, day++) {
        if (!work_is_working_day(h, hol, day, leave_until))
            continue;
        if (i == 0 && now_min >= h->end_min)
            continue; /* after hours today */
        if (i == 0 && now_min >= h->start_min) {
            *out = t; /* inside: now */
            return BB_OK;
        }
        int64_t cy;
        int cm, cd;
        cal_civil_from_days(day, &cy, &cm, &cd);
        int64_t u;
        if (tz_local_to_utc(z, (int)cy, cm, cd, h->start_min / 60, h->start_min % 60, &u) != BB_OK)
            return BB_EINVAL;
        /* A zone's start may fall in a DST gap and land later; never before t. */
        *out = u > t ? u : t;
        return BB_OK;
    }
    return BB_ENOTFOUND;
}

/* ---- as people read it --------------------------------------------------- */

static const char *const wday_names[2][7] = {
    {"Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"},
    {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
};
static const char *const month_names[2][12] = {
    {"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
     "Oktober", "November", "Desember"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
};

void work_format_day(int64_t day, int lang, char *out, size_t n)
{
    int64_t y;
    int m, d;
    int li = lang == 1 ? 1 : 0;
    cal_civil_from_days(day, &y, &m, &d);
    bb_snprintf(out, n, li ? "%s %d %s %lld" : "%s, %d %s %lld",
                wday_names[li][cal_weekday(day) - 1], d, month_names[li][m - 1], (long long)y);
}

void work_format_when(const struct tz *z, int64_t t, int lang, char *out, size_t n)
{
    int y, mon, d, hh, mi;
    char day[64];
    tz_utc_to_local(z, t, &y, &mon, &d, &hh, &mi, NULL);
    work_format_day(cal_days_from_civil(y, mon, d), lang, day, sizeof(day));
    if (lang == 1)
        bb_snprintf(out, n, "%s at %02d:%02d", day, hh, mi);
    else
        bb_snprintf(out, n, "%s pukul %02d.%02d", day, hh, mi);
}
