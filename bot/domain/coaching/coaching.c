/*
 * coaching.c - development goals and learning hours (JP), wellbeing (WHO-5), GROW, BerAKHLAK
 * reflections, feedback, mentor requests. A domain module (see bot/core/domain.h): flows call its
 * actions inside the core's batch transaction; its person fields let flows show progress. All
 * rows go through store/store_coaching.h. Core thread / CLI only; no mutable global state.
 *
 * What an action does with bad arguments (a flow that passes the wrong variables): it logs and
 * changes nothing (BB_OK); only store failures are returned, so the core rolls the batch back.
 */
#include "bot/domain/coaching/coaching.h"
#include "bot/domain/mentoring/mentoring.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/bb.h"
#include "bot/base/sapaan.h"
#include "bot/base/cal.h"
#include "bot/base/tz.h"
#include "bot/core/alert.h"
#include "bot/core/core.h"
#include "store/store_coaching.h"

#define MOD "coaching"

/* ---- pure helpers ------------------------------------------------------------ */

int coaching_who5(const int items[5], int *raw, int *score, int *low)
{
    int sum = 0, any_low = 0;
    if (!items)
        return BB_EINVAL;
    for (int i = 0; i < 5; i++) {
        if (items[i] < 0 || items[i] > 5)
            return BB_EINVAL;
        sum += items[i];
        if (items[i] <= 1)
            any_low = 1;
    }
    if (raw)
        *raw = sum;
    if (score)
        *score = sum * 4;
    if (low)
        *low = sum < 13 || any_low;
    return BB_OK;
}

int64_t coaching_jp_tenths(int64_t minutes)
{
    /* minutes * 10 / 45, rounded: (2 * m * 10 + 45) / 90 for m >= 0 */
    if (minutes <= 0)
        return 0;
    return (minutes * 20 + 45) / 90;
}

int64_t coaching_jp_hundredths(int64_t minutes)
{
    if (minutes <= 0)
        return 0;
    return (minutes * 200 + 45) / 90;
}

int coaching_tz_offset(const char *tz, int64_t now)
{
    static const struct {
        const char *name;
        int off;
    } fixed[] = {{"WIB", 7 * 3600},
                 {"Asia/Jakarta", 7 * 3600},
                 {"Asia/Pontianak", 7 * 3600},
                 {"WITA", 8 * 3600},
                 {"Asia/Makassar", 8 * 3600},
                 {"WIT", 9 * 3600},
                 {"Asia/Jayapura", 9 * 3600},
                 {"UTC", 0}};
    struct tz *z = NULL;
    int off = 7 * 3600;
    if (!tz || !tz[0])
        return off;
    for (size_t i = 0; i < BB_ARRAY_LEN(fixed); i++)
        if (strcasecmp(tz, fixed[i].name) == 0)
            return fixed[i].off;
    if (tz_load(tz, &z) == BB_OK)
        tz_offset_at(z, now, &off);
    tz_free(z);
    return off;
}

void coaching_local_day(int64_t local, char *out, size_t n)
{
    cal_format_iso(cal_floor_div(local, 86400), out, n);
}

void coaching_iso_week(int64_t local, char *out, size_t n)
{
    int64_t y;
    int week = cal_iso_week(cal_floor_div(local, 86400), &y);
    bb_snprintf(out, n, "%04d-W%02d", (int)y, week);
}

const struct coaching_value coaching_values[COACHING_NVALUES] = {
    {"berorientasi_pelayanan",
     "Berorientasi Pelayanan",
     {"memberikan pelayanan prima", "excellent service to the public"},
     {{"Memahami dan memenuhi kebutuhan masyarakat",
       "Ramah, cekatan, memberi solusi, dan dapat diandalkan", "Terus melakukan perbaikan"},
      {"Understand and meet the public's needs", "Be friendly, quick, helpful and reliable",
       "Keep improving how things are done"}}},
    {"akuntabel",
     "Akuntabel",
     {"bertanggung jawab atas kepercayaan yang diberikan", "answerable for the trust given"},
     {{"Jujur, cermat, disiplin, dan berintegritas tinggi",
       "Memakai aset negara secara bertanggung jawab dan efisien",
       "Tidak menyalahgunakan wewenang"},
      {"Be honest, careful, disciplined, with high integrity",
       "Use state assets responsibly and efficiently", "Never misuse your authority"}}},
    {"kompeten",
     "Kompeten",
     {"terus belajar dan mengembangkan kemampuan", "keep learning and growing"},
     {{"Meningkatkan kompetensi diri", "Membantu orang lain belajar",
       "Mengerjakan tugas dengan mutu terbaik"},
      {"Build your own skills", "Help others learn", "Deliver work of the best quality"}}},
    {"harmonis",
     "Harmonis",
     {"saling peduli dan menghargai perbedaan", "caring and respecting differences"},
     {{"Menghargai setiap orang apa pun latar belakangnya", "Suka menolong orang lain",
       "Menjaga suasana kerja yang kondusif"},
      {"Respect everyone, whatever their background", "Be ready to help others",
       "Keep the workplace pleasant and productive"}}},
    {"loyal",
     "Loyal",
     {"berdedikasi pada bangsa dan negara", "devoted to the nation and the state"},
     {{"Memegang teguh Pancasila, UUD 1945, NKRI, dan pemerintahan yang sah",
       "Menjaga nama baik rekan, pimpinan, instansi, dan negara",
       "Menjaga rahasia jabatan dan negara"},
      {"Uphold Pancasila, the 1945 Constitution, the unitary state and the lawful government",
       "Protect the good name of colleagues, leaders, the agency and the state",
       "Keep official and state secrets"}}},
    {"adaptif",
     "Adaptif",
     {"terus berinovasi dan antusias menghadapi perubahan", "embracing change and innovating"},
     {{"Cepat menyesuaikan diri", "Terus berinovasi dan kreatif", "Bertindak proaktif"},
      {"Adapt quickly", "Keep innovating and be creative", "Act proactively"}}},
    {"kolaboratif",
     "Kolaboratif",
     {"membangun kerja sama yang sinergis", "building synergy together"},
     {{"Memberi kesempatan berbagai pihak untuk berkontribusi",
       "Terbuka bekerja sama untuk menghasilkan nilai tambah",
       "Menggerakkan sumber daya untuk tujuan bersama"},
      {"Give others room to contribute", "Work together openly to add value",
       "Pool resources for shared goals"}}},
};

int coaching_value_index(int64_t local)
{
    int64_t weeks = cal_floor_div(cal_floor_div(local, 86400) - 4, 7); /* 1970-01-05, a Monday */
    int64_t i = weeks % COACHING_NVALUES;
    return (int)(i < 0 ? i + COACHING_NVALUES : i);
}

int coaching_value_find(const char *key)
{
    for (int i = 0; key && i < COACHING_NVALUES; i++)
        if (strcmp(coaching_values[i].key, key) == 0)
            return i;
    return -1;
}

int coaching_tags_normalise(const char *in, char *out, size_t n)
{
    size_t len = 0;
    int count = 0;
    if (!in || !out || n == 0)
        return BB_EINVAL;
    out[0] = '\0';
    const char *p = in;
    while (*p) {
        const char *start = p;
        while (*p && *p != ',' && *p != ';' && *p != '\n')
            p++;
        const char *end = p;
        if (*p)
            p++;
        while (start < end && isspace((unsigned char)*start))
            start++;
        while (end > start && isspace((unsigned char)end[-1]))
            end--;
        if (end == start)
            continue;
        char tag[256];
        size_t tl = 0;
        int space = 0;
        for (const char *c = start; c < end; c++) {
            unsigned char ch = (unsigned char)*c;
            if (isspace(ch)) { /* inner runs of spaces become one */
                space = 1;
                continue;
            }
            if (tl + 3 >= sizeof(tag))
                return BB_ELIMIT;
            if (space)
                tag[tl++] = ' ';
            space = 0;
            tag[tl++] = (char)(ch < 128 ? tolower(ch) : ch);
        }
        tag[tl] = '\0';
        /* a duplicate: the same tag between commas already in out */
        int dup = 0;
        for (const char *q = out; *q && !dup;) {
            const char *c = strchr(q, ',');
            size_t ql = c ? (size_t)(c - q) : strlen(q);
            dup = ql == tl && memcmp(q, tag, tl) == 0;
            q += ql + (c ? 1 : 0);
        }
        if (dup)
            continue;
        if (count == 20)
            break;
        if (len + tl + 2 > n)
            return BB_ELIMIT;
        if (count++)
            out[len++] = ',';
        memcpy(out + len, tag, tl);
        len += tl;
        out[len] = '\0';
    }
    return count ? BB_OK : BB_EINVAL;
}

/* ---- argument helpers ------------------------------------------------------- */

static const cJSON *field(const cJSON *args, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(args, "fields"), name);
}

static const char *fstr(const cJSON *args, const char *name)
{
    const cJSON *v = field(args, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A whole number field within [lo, hi]; numbers given as text count too. */
static int fint(const cJSON *args, const char *name, int lo, int hi, int *out)
{
    const cJSON *v = field(args, name);
    double d;
    if (cJSON_IsNumber(v)) {
        d = v->valuedouble;
    } else if (cJSON_IsString(v)) {
        long long ll;
        if (bb_parse_ll(v->valuestring, lo, hi, &ll) != BB_OK)
            return BB_EINVAL;
        d = (double)ll;
    } else {
        return BB_EINVAL;
    }
    if (d != (double)(long long)d || d < lo || d > hi)
        return BB_EINVAL;
    *out = (int)d;
    return BB_OK;
}

/* Store errors roll the batch back; refusals of bad input do not. */
static int store_result(int rc, const char *what)
{
    if (rc == BB_EINVAL || rc == BB_ENOTFOUND || rc == BB_EEXIST) {
        bb_log(BB_LOG_WARN, MOD, "%s: %s; nothing stored", what, bb_strerror(rc));
        return BB_OK;
    }
    return rc;
}

static int bad_args(const char *what)
{
    bb_log(BB_LOG_WARN, MOD, "%s: missing or bad fields; nothing stored", what);
    return BB_OK;
}

static void local_now(const struct domain_ctx *d, const struct store_person *p, int64_t *local)
{
    *local = d->now + coaching_tz_offset(p->tz, d->now);
}

/* Send a person a text in their language; nowhere to send is not an error. */
static int tell(const struct domain_ctx *d, int64_t person_id, const char *id, const char *en)
{
    const char *t[2] = {id, en};
    int rc = core_send_text(d->core, person_id, t, STORE_PRIO_LIVE, 0);
    return rc == BB_ENOTFOUND ? BB_OK : rc;
}

/* tell() with one argument list for both texts, each formatted into a
 * bounded buffer (a colleague's name or what they typed). */
__attribute__((format(printf, 3, 5), format(printf, 4, 5))) static int
tellf(const struct domain_ctx *d, int64_t person_id, const char *fmt_id, const char *fmt_en, ...)
{
    char t[2][1400];
    const char *fmt[2] = {fmt_id, fmt_en};
    for (int i = 0; i < 2; i++) {
        va_list ap;
        va_start(ap, fmt_en);
        vsnprintf(t[i], sizeof(t[i]), fmt[i], ap);
        va_end(ap);
    }
    return tell(d, person_id, t[0], t[1]);
}

/* ---- wellbeing ------------------------------------------------------------- */

static int act_wellbeing(const struct domain_ctx *d, const struct store_person *p,
                         const cJSON *args)
{
    static const char *const names[5] = {"w1", "w2", "w3", "w4", "w5"};
    int items[5], raw = 0, score = 0, low = 0, granted = -1, rc;
    int64_t local, row = 0;
    char day[16];
    for (int i = 0; i < 5; i++)
        if (fint(args, names[i], 0, 5, &items[i]) != BB_OK)
            return bad_args("wellbeing_record");
    coaching_who5(items, &raw, &score, &low);
    local_now(d, p, &local);
    coaching_local_day(local, day, sizeof(day));
    rc = store_coaching_wellbeing_add(d->st, p->id, d->now, day, items, &row);
    if (rc != BB_OK)
        return store_result(rc, "wellbeing_record");
    if (!low)
        return BB_OK;
    if ((rc = store_consent_get(d->st, p->id, "wellbeing_alert", &granted)) != BB_OK)
        return rc;
    if (granted != 1)
        return BB_OK; /* no consent: nobody else hears of it */
    /* The mentor, else HR, else the fallback list; open on the dashboard
     * until acknowledged, whoever could be told (bot/core/alert.h). */
    struct alert_outcome o;
    if ((rc = alert_raise(d, p, ALERT_WELLBEING, &o)) != BB_OK)
        return rc;
    if (o.reached && (rc = store_coaching_wellbeing_set_alerted(d->st, row)) != BB_OK)
        return rc;
    return alert_tell_person(d, p, ALERT_WELLBEING, &o);
}

/* ---- GROW --------------------------------------------------------------------- */

static int copy_text(char *dst, size_t n, const char *src)
{
    if (!src)
        return BB_EINVAL;
    return bb_strlcpy(dst, src, n);
}

static int act_grow(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    struct store_grow g;
    const char *fu = fstr(args, "followup");
    memset(&g, 0, sizeof(g));
    g.person_id = p->id;
    g.at = d->now;
    if (copy_text(g.goal, sizeof(g.goal), fstr(args, "goal")) != BB_OK ||
        copy_text(g.reality, sizeof(g.reality), fstr(args, "reality")) != BB_OK ||
        copy_text(g.options, sizeof(g.options), fstr(args, "options")) != BB_OK ||
        copy_text(g.will, sizeof(g.will), fstr(args, "will")) != BB_OK ||
        fint(args, "confidence", 1, 10, &g.confidence) != BB_OK)
        return bad_args("grow_record");
    if (fu && bb_strlcpy(g.followup_day, fu, sizeof(g.followup_day)) != BB_OK)
        return bad_args("grow_record");
    const char *boost = fstr(args, "boost"); /* asked only at confidence 6 or less */
    if (boost && strcmp(boost, "-") != 0 && copy_text(g.boost, sizeof(g.boost), boost) != BB_OK)
        return bad_args("grow_record");
    return store_result(store_coaching_grow_add(d->st, &g, NULL), "grow_record");
}

static int act_grow_followup(const struct domain_ctx *d, const struct store_person *p,
                             const cJSON *args)
{
    const char *progress = fstr(args, "progress");
    const char *note = fstr(args, "note");
    char today[16];
    int64_t local;
    if (!progress)
        return bad_args("grow_followup");
    local_now(d, p, &local);
    cal_format_iso(cal_floor_div(local, 86400), today, sizeof(today));
    return store_result(
        store_coaching_grow_followup(d->st, p->id, d->now, today, progress, note ? note : ""),
        "grow_followup");
}

/* ---- goals and learning ------------------------------------------------------ */

static int act_goal(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    const char *group = fstr(args, "group"), *comp = fstr(args, "competency");
    const char *goal = fstr(args, "goal"), *due = fstr(args, "due");
    if (!group || !goal)
        return bad_args("goal_record");
    return store_result(store_coaching_goal_add(d->st, p->id, d->now, group, comp ? comp : "", goal,
                                                due ? due : "", NULL),
                        "goal_record");
}

/* A learning activity: minutes (at most 10 working days of 8 JP), and the
 * day it took place ("YYYY-MM-DD", within the past year, not after today;
 * today when not given). */
#define LEARNING_MAX_MINUTES (10 * 8 * 45)
static int act_learning(const struct domain_ctx *d, const struct store_person *p, const cJSON *args)
{
    const char *title = fstr(args, "title"), *kind = fstr(args, "kind");
    const char *given = fstr(args, "day");
    int minutes;
    int64_t local, when;
    char day[16];
    if (!title || fint(args, "minutes", 1, LEARNING_MAX_MINUTES, &minutes) != BB_OK)
        return bad_args("learning_log");
    local_now(d, p, &local);
    int64_t today = cal_floor_div(local, 86400);
    if (given && given[0]) {
        if (cal_parse_iso(given, &when) != 0 || when > today || when < today - 366)
            return bad_args("learning_log");
        cal_format_iso(when, day, sizeof(day));
    } else {
        coaching_local_day(local, day, sizeof(day));
    }
    return store_result(store_coaching_learning_add(d->st, p->id, d->now, day, title,
                                                    kind ? kind : "", minutes, NULL),
                        "learning_log");
}

/* ---- reflections -------------------------------------------------------------- */

static int act_reflection(const struct domain_ctx *d, const struct store_person *p,
                          const cJSON *args)
{
    const char *example = fstr(args, "example");
    int rating, vi = coaching_value_find(fstr(args, "value"));
    int64_t local;
    char week[16];
    if (fint(args, "rating", 1, 5, &rating) != BB_OK)
        return bad_args("reflection_record");
    local_now(d, p, &local);
    if (vi < 0)
        vi = coaching_value_index(local);
    coaching_iso_week(local, week, sizeof(week));
    return store_result(store_coaching_reflection_add(d->st, p->id, d->now, week,
                                                      coaching_values[vi].key, rating,
                                                      example ? example : "", NULL),
                        "reflection_record");
}

/* ---- feedback ----------------------------------------------------------------- */

#define FEEDBACK_TTL (7 * 86400) /* a request unanswered this long expires */

static int all_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Find the colleague the asker typed; on any outcome but one colleague the
 * asker is told why, and *found stays 0. */
static int find_giver(const struct domain_ctx *d, const struct store_person *p, const char *typed,
                      struct store_person *giver, int *found)
{
    char q[160];
    struct store_person cand[5];
    int n = 0, rc;
    size_t len;
    *found = 0;
    while (*typed == ' ' || *typed == '\t')
        typed++;
    if (bb_strlcpy(q, typed, sizeof(q)) != BB_OK)
        q[bb_utf8_cut(q, strlen(q), sizeof(q) - 1)] = '\0';
    len = strlen(q);
    while (len > 0 && (q[len - 1] == ' ' || q[len - 1] == '\t'))
        q[--len] = '\0';
    if (all_digits(q)) {
        rc = store_person_by_nip(d->st, q, giver);
        if (rc == BB_ENOTFOUND) {
            return tellf(d, p->id,
                         "Saya tidak menemukan pegawai dengan NIP %s. Periksa lagi NIP-nya, lalu "
                         "ketik /umpanbalik.",
                         "I couldn't find anyone with NIP %s. Check the number, then type "
                         "/feedback again.",
                         q);
        }
        if (rc != BB_OK)
            return rc;
        if (giver->id == p->id)
            return tell(
                d, p->id,
                SAPAAN_REG("Itu NIP Anda sendiri. Tulis nama atau NIP rekan yang ingin Anda mintai "
                           "umpan balik; ketik /umpanbalik untuk mencoba lagi.",
                           "Itu NIP kamu sendiri. Tulis nama atau NIP rekan yang ingin kamu mintai "
                           "umpan balik; ketik /umpanbalik untuk mencoba lagi."),
                "That is your own NIP. Give a colleague's name or NIP; type /feedback to "
                "try again.");
        *found = 1;
        return BB_OK;
    }
    if (bb_utf8_len(q) < 3)
        return tell(
            d, p->id,
            SAPAAN_REG(
                "Tulis minimal 3 huruf dari nama rekan Anda, atau NIP-nya. Ketik /umpanbalik "
                "untuk mencoba lagi.",
                "Tulis minimal 3 huruf dari nama rekanmu, atau NIP-nya. Ketik /umpanbalik "
                "untuk mencoba lagi."),
            "Type at least 3 letters of your colleague's name, or their NIP. Type "
            "/feedback to try again.");
    rc = store_coaching_find_colleagues(d->st, p->id, p->unit, q, cand, 5, &n);
    if (rc == BB_EINVAL)
        n = 0;
    else if (rc != BB_OK)
        return rc;
    int other_units = 0;
    if (n == 0 && p->unit[0]) { /* nobody of that name in the unit: other units, if unambiguous */
        rc = store_coaching_find_colleagues(d->st, p->id, "", q, cand, 5, &n);
        if (rc == BB_EINVAL)
            n = 0;
        else if (rc != BB_OK)
            return rc;
        other_units = 1;
    }
    if (n == 1 || (n > 1 && strcasecmp(cand[0].name, q) == 0 && strcasecmp(cand[1].name, q) != 0)) {
        *giver = cand[0];
        *found = 1;
        return BB_OK;
    }
    if (n == 0) {
        return tellf(d, p->id,
                     "Saya tidak menemukan rekan bernama \"%s\", di %s maupun di unit lain. Coba "
                     "ketik /umpanbalik lagi dengan nama lain atau NIP-nya.",
                     "I couldn't find a colleague called \"%s\", in %s or any other unit. Type "
                     "/feedback again with another name or their NIP.",
                     q, p->unit);
    }
    /* Several: list them (name and position) so the asker can be exact. */
    char list[1100];
    size_t k = 0;
    list[0] = '\0';
    for (int i = 0; i < n && i < 5; i++) {
        char line[300];
        if (other_units)
            bb_snprintf(line, sizeof(line), "\n- %s (%s, %s)", cand[i].name, cand[i].position,
                        cand[i].unit);
        else
            bb_snprintf(line, sizeof(line), "\n- %s (%s)", cand[i].name, cand[i].position);
        if (bb_strlcpy(list + k, line, sizeof(list) - k) != BB_OK)
            break;
        k += strlen(line);
    }
    return tellf(d, p->id,
                 "Ada beberapa rekan yang cocok dengan \"%s\":%s%s\nKetik /umpanbalik lagi dengan "
                 "nama lengkap atau NIP-nya.",
                 "Several colleagues match \"%s\":%s%s\nType /feedback again with the full name or "
                 "their NIP.",
                 q, list, n > 5 ? "\n- ..." : "");
}

/* The outcome of a lookup for the flow waiting on it (d->result): status,
 * and the message in the person's language, formatted into a bounded
 * buffer. */
__attribute__((format(printf, 4, 6), format(printf, 5, 6))) static void
resultf(const struct domain_ctx *d, const struct store_person *p, const char *status,
        const char *fmt_id, const char *fmt_en, ...)
{
    char t[600];
    va_list ap;
    va_start(ap, fmt_en);
    if (vsnprintf(t, sizeof(t), flow_lang_index(p->lang) == 1 ? fmt_en : fmt_id, ap) < 0)
        t[0] = '\0';
    va_end(ap);
    cJSON_AddBoolToObject(d->result, "ok", !strcmp(status, "ok"));
    cJSON_AddStringToObject(d->result, "status", status);
    cJSON_AddStringToObject(d->result, "message", t);
}

#define FEEDBACK_PICK_MAX 8 /* colleagues offered in one pick list */

/* {"feedback_find": true, "fields": ["colleague"]} in a node with
 * "result": looks up the colleague the asker typed, by NIP or by name in
 * any unit, before anything is stored. Outcomes: "ok" (value: the NIP,
 * message: "Name (position, unit)"), "several" (options: up to
 * FEEDBACK_PICK_MAX colleagues, id = NIP, label = name and unit; message:
 * how many), "none" (message: why: not found, one's own NIP, too short,
 * not joined yet). Without a waiting flow it does nothing. */
static int act_feedback_find(const struct domain_ctx *d, const struct store_person *p,
                             const cJSON *args)
{
    const char *typed = fstr(args, "colleague");
    struct store_person cand[FEEDBACK_PICK_MAX];
    char q[160], ch[16], ext[64];
    int n = 0, rc;
    if (!d->result)
        return BB_OK;
    if (!typed)
        typed = "";
    while (*typed == ' ' || *typed == '\t')
        typed++;
    if (bb_strlcpy(q, typed, sizeof(q)) != BB_OK)
        q[bb_utf8_cut(q, strlen(q), sizeof(q) - 1)] = '\0';
    for (size_t len = strlen(q); len > 0 && (q[len - 1] == ' ' || q[len - 1] == '\t');)
        q[--len] = '\0';
    if (all_digits(q)) {
        rc = store_person_by_nip(d->st, q, &cand[0]);
        if (rc == BB_ENOTFOUND) {
            resultf(d, p, "none", "Saya tidak menemukan pegawai dengan NIP %s.",
                    "I couldn't find anyone with NIP %s.", q);
            return BB_OK;
        }
        if (rc != BB_OK)
            return rc;
        if (cand[0].id == p->id) {
            resultf(d, p, "none", SAPAAN_REG("Itu NIP Anda sendiri.%s", "Itu NIP kamu sendiri.%s"),
                    "That is your own NIP.%s", "");
            return BB_OK;
        }
        n = 1;
    } else if (bb_utf8_len(q) < 3) {
        resultf(d, p, "none",
                SAPAAN_REG("Tulis minimal 3 huruf dari nama rekan Anda, atau NIP-nya.%s",
                           "Tulis minimal 3 huruf dari nama rekanmu, atau NIP-nya.%s"),
                "Type at least 3 letters of your colleague's name, or their NIP.%s", "");
        return BB_OK;
    } else {
        rc = store_coaching_find_colleagues(d->st, p->id, "", q, cand, FEEDBACK_PICK_MAX, &n);
        if (rc == BB_EINVAL)
            n = 0;
        else if (rc != BB_OK)
            return rc;
        if (n > FEEDBACK_PICK_MAX)
            n = FEEDBACK_PICK_MAX + 1;
        /* a whole name that only one colleague has is that colleague */
        if (n > 1 && strcasecmp(cand[0].name, q) == 0 && strcasecmp(cand[1].name, q) != 0)
            n = 1;
    }
    if (n == 0) {
        resultf(d, p, "none", "Saya tidak menemukan rekan bernama \"%s\" di unit mana pun.",
                "I couldn't find a colleague called \"%s\" in any unit.", q);
        return BB_OK;
    }
    if (n > 1) {
        int shown = n > FEEDBACK_PICK_MAX ? FEEDBACK_PICK_MAX : n;
        cJSON *opts = cJSON_CreateArray();
        if (!opts)
            return BB_ENOMEM;
        for (int i = 0; i < shown; i++) {
            char label[FLOW_LABEL_MAX * 4];
            cJSON *o = cJSON_CreateObject();
            bb_snprintf(label, sizeof(label), "%s (%s)", cand[i].name, cand[i].unit);
            label[bb_utf8_cut(label, strlen(label), (size_t)FLOW_LABEL_MAX)] = '\0';
            if (!o || !cJSON_AddItemToArray(opts, o) ||
                !cJSON_AddStringToObject(o, "id", cand[i].nip) ||
                !cJSON_AddStringToObject(o, "label", label)) {
                cJSON_Delete(opts);
                return BB_ENOMEM;
            }
        }
        if (n > FEEDBACK_PICK_MAX)
            resultf(d, p, "several",
                    "Lebih dari %d rekan cocok dengan \"%s\"; ini %d yang pertama.",
                    "More than %d colleagues match \"%s\"; here are the first %d.",
                    FEEDBACK_PICK_MAX, q, shown);
        else
            resultf(d, p, "several", "%d rekan cocok dengan \"%s\".", "%d colleagues match \"%s\".",
                    shown, q);
        cJSON_AddItemToObject(d->result, "options", opts);
        return BB_OK;
    }
    if (store_identity_last(d->st, cand[0].id, ch, sizeof(ch), ext, sizeof(ext)) != BB_OK) {
        resultf(d, p, "none",
                "%s belum terhubung dengan bimbing, jadi permintaan umpan balik belum dapat saya "
                "kirimkan kepadanya.",
                "%s has not joined bimbing yet, so I can't ask them for feedback.", cand[0].name);
        return BB_OK;
    }
    if (cand[0].position[0])
        resultf(d, p, "ok", "%s (%s, %s)", "%s (%s, %s)", cand[0].name, cand[0].position,
                cand[0].unit);
    else
        resultf(d, p, "ok", "%s (%s)", "%s (%s)", cand[0].name, cand[0].unit);
    cJSON_AddStringToObject(d->result, "value", cand[0].nip);
    return BB_OK;
}

static int act_feedback_request(const struct domain_ctx *d, const struct store_person *p,
                                const cJSON *args)
{
    const char *typed = fstr(args, "colleague"), *topic = fstr(args, "topic");
    struct store_person g;
    char ch[16], ext[64];
    int found = 0, rc;
    if (!typed)
        return bad_args("feedback_request");
    if ((rc = find_giver(d, p, typed, &g, &found)) != BB_OK || !found)
        return rc;
    if (store_identity_last(d->st, g.id, ch, sizeof(ch), ext, sizeof(ext)) != BB_OK) {
        return tellf(d, p->id,
                     "%s belum terhubung dengan bimbing, jadi belum dapat saya mintai umpan balik. "
                     "Silakan coba lagi setelah beliau bergabung.",
                     "%s has not joined bimbing yet, so I can't ask them for feedback. Try again "
                     "once they have joined.",
                     g.name);
    }
    rc = store_coaching_feedback_ask(d->st, p->id, g.id, topic ? topic : "", d->now, NULL);
    if (rc == BB_EEXIST) {
        return tellf(
            d, p->id,
            SAPAAN_REG("Anda sudah meminta umpan balik dari %s dan jawabannya belum masuk. Saya "
                       "kabari begitu beliau menjawab.",
                       "Kamu sudah meminta umpan balik dari %s dan jawabannya belum masuk. Saya "
                       "kabari begitu dia menjawab."),
            "You have already asked %s for feedback and the answer is not in yet. I'll "
            "tell you as soon as they reply.",
            g.name);
    }
    if (rc != BB_OK)
        return store_result(rc, "feedback_request");
    if ((rc = core_start_flow(d->core, g.id, "feedback.give", d->now)) != BB_OK ||
        (rc = core_start_flow(d->core, p->id, "feedback.expire", d->now + FEEDBACK_TTL + 60)) !=
            BB_OK)
        return rc;
    return tellf(
        d, p->id,
        SAPAAN_REG(
            "Permintaan Anda sudah saya kirim kepada %s. Saya kabari begitu beliau menjawab.",
            "Permintaanmu sudah saya kirim ke %s. Saya kabari begitu dia menjawab."),
        "I've sent your request to %s. I'll let you know as soon as they reply.", g.name);
}

static int act_feedback_give(const struct domain_ctx *d, const struct store_person *p,
                             const cJSON *args)
{
    const char *well = fstr(args, "went_well"), *better = fstr(args, "better");
    const cJSON *anon = field(args, "anonymous");
    struct store_feedback_req r;
    int req, rc;
    int64_t local;
    char day[16];
    if (fint(args, "req", 1, 2000000000, &req) != BB_OK || !well || !better)
        return bad_args("feedback_give");
    int anonymous = cJSON_IsTrue(anon);
    if ((rc = store_coaching_feedback_req(d->st, req, &r)) != BB_OK)
        return store_result(rc, "feedback_give");
    local_now(d, p, &local);
    coaching_local_day(local, day, sizeof(day));
    rc = store_coaching_feedback_give(d->st, req, p->id, day, well, better, anonymous, d->now);
    if (rc != BB_OK)
        return store_result(rc, "feedback_give");

    /* The asker hears it at once; the giver's name only when not anonymous. */
    size_t cap = 7000;
    char *mid = malloc(cap), *men = malloc(cap);
    char who_id[160], who_en[160], about_id[2200], about_en[2200];
    bb_snprintf(who_id, sizeof(who_id), "%s", anonymous ? "seorang rekan (anonim)" : p->name);
    bb_snprintf(who_en, sizeof(who_en), "%s", anonymous ? "a colleague (anonymous)" : p->name);
    about_id[0] = about_en[0] = '\0';
    if (r.topic[0]) {
        bb_snprintf(about_id, sizeof(about_id), " tentang \"%s\"", r.topic);
        bb_snprintf(about_en, sizeof(about_en), " on \"%s\"", r.topic);
    }
    if (!mid || !men) {
        rc = BB_ENOMEM;
    } else {
        bb_snprintf(
            mid, cap,
            SAPAAN_REG(
                "Umpan balik untuk Anda dari %s%s:\nYang sudah baik: %s\nYang bisa lebih baik: %s",
                "Umpan balik untukmu dari %s%s:\nYang sudah baik: %s\nYang bisa lebih baik: %s"),
            who_id, about_id, well, better);
        bb_snprintf(men, cap,
                    "Feedback for you from %s%s:\nWhat went well: %s\nWhat could be better: %s",
                    who_en, about_en, well, better);
        rc = tell(d, r.asker_id, mid, men);
    }
    free(mid);
    free(men);
    if (rc != BB_OK)
        return rc;
    /* More requests waiting for this giver: offer the next one. */
    rc = store_coaching_feedback_pending(d->st, p->id, &r);
    if (rc == BB_OK)
        return core_start_flow(d->core, p->id, "feedback.give", d->now + 60);
    return rc == BB_ENOTFOUND ? BB_OK : rc;
}

/* The giver says no: the request is closed as declined and the asker told,
 * so they can ask someone else (or the same colleague later). */
static int act_feedback_decline(const struct domain_ctx *d, const struct store_person *p,
                                const cJSON *args)
{
    struct store_feedback_req r;
    int req, rc;
    if (fint(args, "req", 1, 2000000000, &req) != BB_OK)
        return bad_args("feedback_decline");
    if ((rc = store_coaching_feedback_req(d->st, req, &r)) != BB_OK || r.giver_id != p->id)
        return rc == BB_OK || rc == BB_ENOTFOUND ? BB_OK : rc;
    rc = store_coaching_feedback_close(d->st, req, "declined", d->now);
    if (rc == BB_ENOTFOUND)
        return BB_OK; /* no longer waiting */
    if (rc != BB_OK)
        return rc;
    return tellf(
        d, r.asker_id,
        SAPAAN_REG("%s belum dapat memberi umpan balik tentang \"%s\" kali ini. Anda dapat meminta "
                   "rekan lain, atau memintanya lagi nanti, dengan /umpanbalik.",
                   "%s belum bisa memberi umpan balik tentang \"%s\" kali ini. Kamu bisa meminta "
                   "rekan lain, atau memintanya lagi nanti, dengan /umpanbalik."),
        "%s can't give feedback on \"%s\" this time. You can ask someone else, or ask "
        "again later, with /feedback.",
        p->name, r.topic);
}

/* Requests unanswered for FEEDBACK_TTL are closed as expired and the asker
 * is told (they may ask again): feedback.expire, started for the asker by
 * feedback_request when the TTL is over, runs this. */
#define FEEDBACK_EXPIRE_MAX 50

static int act_feedback_expire(const struct domain_ctx *d, const struct store_person *p,
                               const cJSON *args)
{
    struct store_feedback_req r;
    struct store_person g;
    int rc = BB_OK;
    (void)args;
    for (int i = 0; i < FEEDBACK_EXPIRE_MAX; i++) {
        rc = store_coaching_feedback_overdue(d->st, p->id, d->now - FEEDBACK_TTL, &r);
        if (rc == BB_ENOTFOUND)
            return BB_OK;
        if (rc == BB_OK)
            rc = store_coaching_feedback_close(d->st, r.id, "expired", d->now);
        if (rc == BB_OK)
            rc = store_person_by_id(d->st, r.giver_id, &g);
        if (rc == BB_OK)
            rc = tellf(
                d, p->id,
                SAPAAN_REG(
                    "%s belum menjawab permintaan umpan balik Anda tentang \"%s\" dalam 7 hari, "
                    "jadi permintaan itu saya tutup. Anda dapat memintanya lagi, atau meminta "
                    "rekan lain, dengan /umpanbalik.",
                    "%s belum menjawab permintaan umpan balikmu tentang \"%s\" dalam 7 hari, "
                    "jadi permintaan itu saya tutup. Kamu bisa memintanya lagi, atau meminta "
                    "rekan lain, dengan /umpanbalik."),
                "%s did not answer your request for feedback on \"%s\" within 7 days, so "
                "I have closed it. You can ask again, or ask someone else, with /feedback.",
                g.name, r.topic);
        if (rc != BB_OK)
            return rc;
    }
    return BB_OK;
}

/* ---- mentor requests --------------------------------------------------------- */

static int act_request_mentor(const struct domain_ctx *d, const struct store_person *p,
                              const cJSON *args)
{
    const char *tags = fstr(args, "tags"), *traits = fstr(args, "traits");
    char norm[STORE_COACHING_TEXT];
    if (!tags || coaching_tags_normalise(tags, norm, sizeof(norm)) != BB_OK)
        return bad_args("request_mentor");
    return store_result(
        store_coaching_mentor_request(d->st, p->id, norm, traits ? traits : "", d->now, NULL),
        "request_mentor");
}

/* ---- person fields ---------------------------------------------------------------- */

static int add_string(cJSON *out, const char *k, const char *v)
{
    return cJSON_AddStringToObject(out, k, v) ? BB_OK : BB_ENOMEM;
}

static int add_number(cJSON *out, const char *k, double v)
{
    return cJSON_AddNumberToObject(out, k, v) ? BB_OK : BB_ENOMEM;
}

static int person_fields(const struct domain_ctx *d, const struct store_person *p, cJSON *out)
{
    struct store_coaching_summary *s = NULL;
    int64_t local;
    char from[16], to[16], today[16], week[16], list[2][600];
    int64_t y;
    int m, dd, granted = -1, rc;

    local_now(d, p, &local);
    cal_civil_from_days(cal_floor_div(local, 86400), &y, &m, &dd);
    bb_snprintf(from, sizeof(from), "%04d-01-01", (int)y);
    bb_snprintf(to, sizeof(to), "%04d-01-01", (int)y + 1);
    cal_format_iso(cal_floor_div(local, 86400), today, sizeof(today));
    s = calloc(1, sizeof(*s));
    if (!s)
        return BB_ENOMEM;
    if ((rc = store_coaching_summary(d->st, p->id, from, to, today, s)) != BB_OK)
        goto out;
    if ((rc = store_consent_get(d->st, p->id, "wellbeing_alert", &granted)) != BB_OK)
        goto out;
    int vi = coaching_value_index(local);
    const struct coaching_value *v = &coaching_values[vi];
    coaching_iso_week(local, week, sizeof(week));
    for (int l = 0; l < 2; l++)
        bb_snprintf(list[l], sizeof(list[l]), "1. %s\n2. %s\n3. %s", v->behaviours[l][0],
                    v->behaviours[l][1], v->behaviours[l][2]);
    if ((rc = add_number(out, "jp_year", (double)coaching_jp_tenths(s->jp_minutes) / 10.0)) ||
        (rc = add_number(out, "jp_minutes_year", (double)s->jp_minutes)) ||
        (rc = add_number(out, "jp_target", 20)) ||
        (rc = add_number(out, "goals_open", s->goals_open)) ||
        (rc = add_number(out, "mentor_request_open", s->mentor_request_open)) ||
        (rc = add_string(out, "grow_goal", s->grow_goal)) ||
        (rc = add_number(out, "feedback_req", (double)s->feedback_req)) ||
        (rc = add_string(out, "feedback_from", s->feedback_from)) ||
        (rc = add_string(out, "feedback_topic", s->feedback_topic)) ||
        (rc = add_number(out, "feedback_asked", s->feedback_asked)) ||
        (rc = add_string(out, "wellbeing_consent",
                         granted == 1   ? "yes"
                         : granted == 0 ? "no"
                                        : "")) ||
        (rc = add_string(out, "value_key", v->key)) ||
        (rc = add_string(out, "value_of_week", v->name)) ||
        (rc = add_string(out, "value_week", week)) ||
        (rc = add_string(out, "value_meaning_id", v->meaning[0])) ||
        (rc = add_string(out, "value_meaning_en", v->meaning[1])) ||
        (rc = add_string(out, "value_behaviours_id", list[0])) ||
        (rc = add_string(out, "value_behaviours_en", list[1])))
        goto out;
out:
    free(s);
    return rc;
}

/* every name person_fields adds (computed on first read, domain.h) */
static const char *const field_names[] = {"jp_year",
                                          "jp_minutes_year",
                                          "jp_target",
                                          "goals_open",
                                          "mentor_request_open",
                                          "grow_goal",
                                          "feedback_req",
                                          "feedback_from",
                                          "feedback_topic",
                                          "feedback_asked",
                                          "wellbeing_consent",
                                          "value_key",
                                          "value_of_week",
                                          "value_week",
                                          "value_meaning_id",
                                          "value_meaning_en",
                                          "value_behaviours_id",
                                          "value_behaviours_en",
                                          NULL};

static const struct domain_action actions[] = {
    {DOMAIN_ACTION_FIELDS("wellbeing_record", "health"), act_wellbeing},
    {DOMAIN_ACTION_FIELDS("grow_record", "development"), act_grow},
    {DOMAIN_ACTION_FIELDS("grow_followup", "development"), act_grow_followup},
    {DOMAIN_ACTION_FIELDS("goal_record", "development"), act_goal},
    {DOMAIN_ACTION_FIELDS("learning_log", "development"), act_learning},
    {DOMAIN_ACTION_FIELDS("reflection_record", "development"), act_reflection},
    {DOMAIN_ACTION_FIELDS("feedback_find", NULL), act_feedback_find},
    {DOMAIN_ACTION_FIELDS("feedback_request", "feedback"), act_feedback_request},
    {DOMAIN_ACTION_FIELDS("feedback_give", "feedback"), act_feedback_give},
    {DOMAIN_ACTION_FIELDS("feedback_decline", "feedback"), act_feedback_decline},
    {{"feedback_expire", 'b', {NULL}, "", "", {NULL}, "feedback"}, act_feedback_expire},
    {DOMAIN_ACTION_FIELDS("request_mentor", "mentoring"), act_request_mentor},
    DOMAIN_ACTIONS_END,
};

const struct domain_module coaching_module = {
    .name = "coaching",
    .actions = actions,
    .person_fields = person_fields,
    .person_field_names = field_names,
};
