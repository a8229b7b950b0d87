/*
 * flow_input.c - turn what a person typed into the value of an ask node:
 * numbers ("3", "3,5"), choices (by number, label, synonym or id), scales
 * (and, where a flow asks for it, moods in words and emoji: "hebat!",
 * "capek", a smiley), yes/no in Indonesian and English, dates as people
 * write them (cal_parse_date: "15 Desember", "Jumat depan", "besok"),
 * durations ("90 menit", "1,5 jam", "3 hari", "2 JP") as minutes, and text
 * checked against length and a PCRE2 pattern run with match and depth
 * limits.
 *
 * Pure and thread-safe (PCRE2 match data is made per call).
 */
#include "bot/flow/flow.h"
#include "bot/base/bb.h"
#include "bot/base/cal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#define MATCH_LIMIT 100000
#define DEPTH_LIMIT 1000

static int set_str(struct expr_val *v, const char *s)
{
    size_t n = strlen(s);
    v->type = EXPR_STR;
    v->str = malloc(n + 1);
    if (!v->str) {
        v->type = EXPR_NULL;
        return BB_ENOMEM;
    }
    memcpy(v->str, s, n + 1);
    return BB_OK;
}

/* "3", "-2", "3.5", "3,5" (Indonesian decimal comma). */
static int parse_number(const char *s, double *out)
{
    char buf[64];
    char *end;
    if (bb_fold(s, buf, sizeof(buf)) != BB_OK || !buf[0])
        return -1;
    for (char *p = buf; *p; p++)
        if (*p == ',')
            *p = '.';
    if (!(isdigit((unsigned char)buf[0]) || buf[0] == '-' || buf[0] == '+' || buf[0] == '.'))
        return -1;
    double v = strtod(buf, &end);
    if (*end != '\0' || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* ---- durations ---------------------------------------------------------- */

/* Units of a typed duration, in minutes per unit; a day's minutes come
 * from the input (day_jp * 45). "hr" is left out: hour in English, day
 * (hari) in Indonesian. */
enum { U_MIN = 1, U_HOUR, U_JP, U_DAY };
static int unit_word(const char *w)
{
    static const struct {
        const char *w;
        int u;
    } v[] = {{"menit", U_MIN},  {"mnt", U_MIN},     {"min", U_MIN},    {"mins", U_MIN},
             {"minute", U_MIN}, {"minutes", U_MIN}, {"m", U_MIN},      {"jam", U_HOUR},
             {"j", U_HOUR},     {"hour", U_HOUR},   {"hours", U_HOUR}, {"hrs", U_HOUR},
             {"h", U_HOUR},     {"jp", U_JP},       {"hari", U_DAY},   {"day", U_DAY},
             {"days", U_DAY},   {"d", U_DAY}};
    for (size_t i = 0; i < BB_ARRAY_LEN(v); i++)
        if (strcmp(w, v[i].w) == 0)
            return v[i].u;
    return 0;
}

/* Small numbers written as words, in place: "satu setengah jam" and
 * "satu jam setengah" -> "1.5 jam", "dua hari" -> "2 hari", "setengah
 * hari" -> "0.5 hari", "three hours" -> "3 hours". -1 when it would not
 * fit (or has too many words to be a duration). */
static int number_words(char *buf, size_t cap)
{
    static const char *const id[] = {"nol",  "satu",  "dua",     "tiga",     "empat",  "lima",
                                     "enam", "tujuh", "delapan", "sembilan", "sepuluh"};
    static const char *const en[] = {"zero", "one",   "two",   "three", "four", "five",
                                     "six",  "seven", "eight", "nine",  "ten"};
    char tmp[96], out[96], num[8][24];
    char *tok[8];
    int whole[8] = {0}; /* the token is a whole number (a half may join it) */
    int nt = 0;
    char *save = NULL;
    if (bb_strlcpy(tmp, buf, sizeof(tmp)) != BB_OK)
        return -1;
    for (char *w = strtok_r(tmp, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (nt == 8)
            return -1;
        tok[nt++] = w;
    }
    for (int i = 0; i < nt; i++) {
        double v = -1;
        for (int k = 0; k <= 10 && v < 0; k++)
            if (strcmp(tok[i], id[k]) == 0 || strcmp(tok[i], en[k]) == 0)
                v = k;
        if (strcmp(tok[i], "setengah") == 0) {
            if (i > 0 && whole[i - 1]) {
                /* "satu setengah": one and a half */
                bb_snprintf(num[i - 1], sizeof(num[i - 1]), "%g", strtod(tok[i - 1], NULL) + 0.5);
                tok[i - 1] = num[i - 1];
                whole[i - 1] = 0;
                tok[i] = NULL;
                continue;
            }
            if (i > 1 && whole[i - 2] && unit_word(tok[i - 1])) {
                /* "satu jam setengah", "2 jam setengah": and a half */
                bb_snprintf(num[i - 2], sizeof(num[i - 2]), "%g", strtod(tok[i - 2], NULL) + 0.5);
                tok[i - 2] = num[i - 2];
                whole[i - 2] = 0;
                tok[i] = NULL;
                continue;
            }
            v = 0.5; /* "setengah hari": half a day */
        }
        if (v >= 0) {
            bb_snprintf(num[i], sizeof(num[i]), "%g", v);
            tok[i] = num[i];
        }
        whole[i] = v != 0.5 && strspn(tok[i], "0123456789") == strlen(tok[i]);
    }
    size_t o = 0;
    for (int i = 0; i < nt; i++) {
        if (!tok[i])
            continue;
        size_t n = strlen(tok[i]);
        if (o + n + 2 > sizeof(out))
            return -1;
        if (o)
            out[o++] = ' ';
        memcpy(out + o, tok[i], n);
        o += n;
    }
    out[o] = '\0';
    return bb_strlcpy(buf, out, cap) == BB_OK ? 0 : -1;
}

/* Minutes of a typed duration: one or more "<number> <unit>" ("90 menit",
 * "1,5 jam", "1 jam 30 menit", "2 JP", "2 jam pelajaran", "3 hari", "45
 * min", "1h30m"), small numbers in words ("satu setengah jam", "dua
 * hari"), a few phrases ("half an hour", "sejam"), or a bare number of
 * minutes. Decimal comma or point. -1 when it is not
 * a duration (or is not more than zero, or is absurdly long). */
static long parse_duration(const char *folded, int day_minutes)
{
    static const struct {
        const char *w;
        int min;
    } phrases[] = {{"setengah jam", 30}, {"half an hour", 30}, {"half hour", 30}, {"sejam", 60},
                   {"satu jam", 60},     {"an hour", 60},      {"one hour", 60},  {"satu hari", -1},
                   {"sehari", -1},       {"a day", -1},        {"one day", -1}};
    char buf[96];
    double total = 0;
    int parts = 0;
    if (bb_strlcpy(buf, folded, sizeof(buf)) != BB_OK)
        return -1;
    for (size_t i = 0; i < BB_ARRAY_LEN(phrases); i++)
        if (strcmp(buf, phrases[i].w) == 0)
            return phrases[i].min > 0 ? phrases[i].min : day_minutes;
    if (number_words(buf, sizeof(buf)) != 0)
        return -1;
    const char *p = buf;
    for (int guard = 0; *p && guard < 8; guard++) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        /* the number: digits with at most one decimal comma or point */
        char num[24];
        size_t k = 0;
        int seps = 0;
        while ((isdigit((unsigned char)*p) || *p == ',' || *p == '.') && k + 1 < sizeof(num)) {
            if (*p == ',' || *p == '.') {
                if (++seps > 1)
                    return -1;
                num[k++] = '.';
            } else {
                num[k++] = *p;
            }
            p++;
        }
        num[k] = '\0';
        if (k == 0 || num[0] == '.' || num[k - 1] == '.')
            return -1;
        double v = strtod(num, NULL);
        while (*p == ' ')
            p++;
        /* the unit: letters, glued on or after a space ("90menit", "1h30m") */
        char w[16];
        k = 0;
        while (isalpha((unsigned char)*p) && k + 1 < sizeof(w))
            w[k++] = *p++;
        w[k] = '\0';
        if (isalpha((unsigned char)*p))
            return -1;
        int u = k ? unit_word(w) : 0;
        if (k && !u)
            return -1;
        if (u == U_HOUR && strncmp(p, " pelajaran", 10) == 0) { /* "2 jam pelajaran" */
            u = U_JP;
            p += 10;
        }
        if (!u) {
            /* no unit: a bare number is minutes; after "1 jam" or "1h" it is
             * the minutes that follow ("1 jam 30", "1h30") */
            if (parts == 0 && *p == '\0')
                u = U_MIN;
            else if (parts > 0 && *p == '\0')
                u = U_MIN;
            else
                return -1;
        }
        total += v * (u == U_MIN    ? 1
                      : u == U_HOUR ? 60
                      : u == U_JP   ? FLOW_JP_MINUTES
                                    : day_minutes);
        parts++;
        while (*p == ' ')
            p++;
        if (strncmp(p, "dan ", 4) == 0) /* "1 jam dan 30 menit" */
            p += 4;
        else if (strncmp(p, "and ", 4) == 0)
            p += 4;
    }
    if (*p || parts == 0 || !isfinite(total))
        return -1;
    long m = lround(total);
    return m > 0 && m <= 1000000 ? m : -1;
}

/* ---- moods ------------------------------------------------------------- */

/* Words and emoji of mood, each on a five-step level (1 very bad ... 5
 * very good); a scale that asks for moods maps the level onto its own
 * range. flows/FORMAT.md lists the table. */
static const struct {
    const char *w;
    int level;
} mood_words[] = {
    {"berat", 1},         {"sangat berat", 1}, {"buruk", 1},        {"sangat buruk", 1},
    {"parah", 1},         {"hancur", 1},       {"terrible", 1},     {"awful", 1},
    {"very bad", 1},      {"horrible", 1},     {"kurang", 2},       {"kurang baik", 2},
    {"tidak baik", 2},    {"kurang bagus", 2}, {"capek", 2},        {"cape", 2},
    {"capai", 2},         {"lelah", 2},        {"sedih", 2},        {"stres", 2},
    {"stress", 2},        {"jelek", 2},        {"bad", 2},          {"not good", 2},
    {"not great", 2},     {"tired", 2},        {"sad", 2},          {"exhausted", 2},
    {"stressed", 2},      {"rough", 2},        {"biasa", 3},        {"biasa saja", 3},
    {"biasa aja", 3},     {"lumayan", 3},      {"standar", 3},      {"normal", 3},
    {"so-so", 3},         {"so so", 3},        {"meh", 3},          {"ok", 3},
    {"oke", 3},           {"okay", 3},         {"fine", 3},         {"not bad", 3},
    {"average", 3},       {"baik", 4},         {"bagus", 4},        {"senang", 4},
    {"cukup baik", 4},    {"lumayan baik", 4}, {"menyenangkan", 4}, {"produktif", 4},
    {"good", 4},          {"pretty good", 4},  {"happy", 4},        {"productive", 4},
    {"hebat", 5},         {"luar biasa", 5},   {"sangat baik", 5},  {"sangat bagus", 5},
    {"sangat senang", 5}, {"mantap", 5},       {"mantul", 5},       {"keren", 5},
    {"great", 5},         {"excellent", 5},    {"amazing", 5},      {"awesome", 5},
    {"fantastic", 5},     {"wonderful", 5},    {"very good", 5},    {"super", 5},
};
static const struct {
    const char *e;
    int level;
} mood_emoji[] = {
    {"\xf0\x9f\x98\x9e", 1}, /* 😞 */ {"\xf0\x9f\x98\xa2", 1},    /* 😢 */
    {"\xf0\x9f\x98\xad", 1}, /* 😭 */ {"\xf0\x9f\x98\xa9", 1},    /* 😩 */
    {"\xf0\x9f\x98\xab", 1}, /* 😫 */ {"\xf0\x9f\x98\x96", 1},    /* 😖 */
    {"\xf0\x9f\x98\xa3", 1}, /* 😣 */ {"\xe2\x98\xb9", 1},        /* ☹ */
    {"\xf0\x9f\x91\x8e", 1}, /* 👎 */ {"\xf0\x9f\x92\x94", 1},    /* 💔 */
    {"\xf0\x9f\x99\x81", 2}, /* 🙁 */ {"\xf0\x9f\x98\x95", 2}, /* 😕 */
    {"\xf0\x9f\x98\x94", 2}, /* 😔 */ {"\xf0\x9f\x98\x9f", 2},    /* 😟 */
    {"\xf0\x9f\x98\x93", 2}, /* 😓 */ {"\xf0\x9f\x98\xa5", 2},    /* 😥 */
    {"\xf0\x9f\x98\xaa", 2}, /* 😪 */ {"\xf0\x9f\x98\xb4", 2},    /* 😴 */
    {"\xf0\x9f\x98\x90", 3}, /* 😐 */ {"\xf0\x9f\x98\xb6", 3},    /* 😶 */
    {"\xf0\x9f\x98\x91", 3}, /* 😑 */ {"\xf0\x9f\xa4\xb7", 3},    /* 🤷 */
    {"\xf0\x9f\x99\x82", 4}, /* 🙂 */ {"\xf0\x9f\x98\x8a", 4}, /* 😊 */
    {"\xf0\x9f\x91\x8d", 4}, /* 👍 */ {"\xe2\x98\xba", 4},        /* ☺ */
    {"\xf0\x9f\x98\x8c", 4}, /* 😌 */ {"\xf0\x9f\x98\x80", 5},    /* 😀 */
    {"\xf0\x9f\x98\x83", 5}, /* 😃 */ {"\xf0\x9f\x98\x84", 5},    /* 😄 */
    {"\xf0\x9f\x98\x81", 5}, /* 😁 */ {"\xf0\x9f\xa4\xa9", 5},    /* 🤩 */
    {"\xf0\x9f\xa5\xb3", 5}, /* 🥳 */ {"\xf0\x9f\x8e\x89", 5}, /* 🎉 */
    {"\xf0\x9f\x92\xaa", 5}, /* 💪 */ {"\xf0\x9f\x98\x8d", 5},    /* 😍 */
    {"\xf0\x9f\x99\x8c", 5}, /* 🙌 */ {"\xf0\x9f\x91\x8f", 5},    /* 👏 */
};

/* Length of the UTF-8 sequence a lead byte opens (1 for anything else). */
static size_t seq_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* The mood level (1-5) of a folded answer, or 0: its words as a whole
 * ("biasa saja") and its emoji ("😀😀"). Emoji must agree with each other;
 * words and emoji may differ by one level ("capek 😞": the words' level),
 * not more ("hebat 😞" is not guessed). A closing "!", "." or "?" does not
 * count. */
static int mood_level(const char *folded)
{
    char words[96];
    size_t o = 0;
    int emo = 0;
    for (const char *p = folded; *p;) {
        unsigned char c = (unsigned char)*p;
        size_t n = seq_len(c);
        if (strlen(p) < n)
            return 0;
        if (c >= 0xE0) {
            /* variation selector, zero-width joiner and skin tones: ignored */
            if (memcmp(p, "\xef\xb8\x8f", 3) == 0 || memcmp(p, "\xe2\x80\x8d", 3) == 0 ||
                (n == 4 && memcmp(p, "\xf0\x9f\x8f", 3) == 0 && (unsigned char)p[3] >= 0xBB &&
                 (unsigned char)p[3] <= 0xBF)) {
                p += n;
                continue;
            }
            int lv = 0;
            for (size_t i = 0; i < BB_ARRAY_LEN(mood_emoji) && !lv; i++)
                if (strlen(mood_emoji[i].e) == n && memcmp(p, mood_emoji[i].e, n) == 0)
                    lv = mood_emoji[i].level;
            if (!lv || (emo && emo != lv))
                return 0;
            emo = lv;
            p += n;
            continue;
        }
        if (o + n >= sizeof(words))
            return 0;
        memcpy(words + o, p, n);
        o += n;
        p += n;
    }
    words[o] = '\0';
    while (o > 0 && (words[o - 1] == ' ' || words[o - 1] == '!' || words[o - 1] == '.' ||
                     words[o - 1] == '?'))
        words[--o] = '\0';
    char *w = words;
    while (*w == ' ')
        w++;
    if (!*w)
        return emo;
    for (size_t i = 0; i < BB_ARRAY_LEN(mood_words); i++)
        if (strcmp(w, mood_words[i].w) == 0)
            return !emo || abs(emo - mood_words[i].level) <= 1 ? mood_words[i].level : 0;
    return 0;
}

static int match_option_exact(const struct flow_input *in, const char *folded, int lang)
{
    char lab[FLOW_LABEL_MAX * 4 + 16];
    /* by label, in the person's language first, then any language */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < in->nopts; i++)
            for (int l = 0; l < FLOW_NLANG; l++) {
                if ((pass == 0) != (l == lang))
                    continue;
                const char *t = in->opts[i].label.t[l];
                if (t && bb_fold(t, lab, sizeof(lab)) == BB_OK && strcmp(lab, folded) == 0)
                    return i;
                for (int k = 0; k < in->opts[i].nsyn[l]; k++)
                    if (strcmp(in->opts[i].syn[l][k], folded) == 0)
                        return i;
            }
    for (int i = 0; i < in->nopts; i++)
        if (strcmp(in->opts[i].id, folded) == 0)
            return i;
    return -1;
}

/* By label, synonym or id; then once more without a closing "!", "." or
 * "?" ("Ya!", "hebat!"). */
static int match_option(const struct flow_input *in, const char *folded, int lang)
{
    char cut[FLOW_LABEL_MAX * 4 + 16];
    int i = match_option_exact(in, folded, lang);
    if (i >= 0 || bb_strlcpy(cut, folded, sizeof(cut)) != BB_OK)
        return i;
    size_t n = strlen(cut);
    while (n > 0 &&
           (cut[n - 1] == '!' || cut[n - 1] == '.' || cut[n - 1] == '?' || cut[n - 1] == ' '))
        cut[--n] = '\0';
    return n > 0 && cut[n] == '\0' && strcmp(cut, folded) != 0 ? match_option_exact(in, cut, lang)
                                                               : -1;
}

/* The number an option's label opens with in the person's language ("7",
 * "3 Biasa"), or -1. */
static long option_label_number(const struct flow_input *in, int i, int lang)
{
    const char *l = in->opts[i].label.t[lang] ? in->opts[i].label.t[lang] : in->opts[i].label.t[0];
    long v = 0;
    int k = 0;
    if (!l)
        return -1;
    for (; l[k] >= '0' && l[k] <= '9'; k++) {
        if (k >= 9)
            return -1;
        v = v * 10 + (l[k] - '0');
    }
    return k > 0 && (l[k] == '\0' || l[k] == ' ') ? v : -1;
}

/* 1 when any option is labelled with a number: then a typed number never
 * means a position on screen (the channels list such options unnumbered). */
static int numbered_options(const struct flow_input *in, int lang)
{
    for (int i = 0; i < in->nopts; i++)
        if (option_label_number(in, i, lang) >= 0)
            return 1;
    return 0;
}

static int option_numbered(const struct flow_input *in, int lang, double num)
{
    for (int i = 0; i < in->nopts; i++)
        if (num >= 0 && option_label_number(in, i, lang) == (long)num)
            return i;
    return -1;
}

/* A quick answer of a date or duration input (a button whose label is an
 * answer, "Hari ini"), typed as its label, or for a date as its number on
 * screen (a typed number is minutes to a duration): the value its label in
 * the person's language gives. BB_ENOTFOUND when text is none of them. */
static int quick_answer(const struct flow_input *in, const char *text, const char *folded, int lang,
                        int64_t now, int tz_offset_s, struct expr_val *val, int *opt)
{
    double num;
    int i;
    if (in->nopts == 0)
        return BB_ENOTFOUND;
    if (in->type == FLOW_IN_DATE && parse_number(text, &num) == 0 && num == floor(num) &&
        num >= 1 && num <= in->nopts)
        i = (int)num - 1;
    else if ((i = match_option(in, folded, lang)) < 0)
        return BB_ENOTFOUND;
    const char *lab =
        in->opts[i].label.t[lang] ? in->opts[i].label.t[lang] : in->opts[i].label.t[0];
    struct flow_input plain = *in;
    plain.nopts = 0;
    int rc = lab ? flow_input_parse(&plain, lab, lang, now, tz_offset_s, val, opt) : BB_EINVAL;
    if (rc == BB_OK)
        *opt = i;
    return rc;
}

int flow_input_parse(const struct flow_input *in, const char *text, int lang, int64_t now,
                     int tz_offset_s, struct expr_val *val, int *opt)
{
    char folded[FLOW_VAR_MAX];
    double num;
    size_t len = strlen(text);

    memset(val, 0, sizeof(*val));
    *opt = -1;
    if (len == 0 || !bb_utf8_valid(text, len))
        return BB_EINVAL;
    if (len >= FLOW_VAR_MAX) /* a story too long for any text answer: say the limit */
        return in->type == FLOW_IN_TEXT ? BB_ELIMIT : BB_EINVAL;
    if (bb_fold(text, folded, sizeof(folded)) != BB_OK)
        return BB_EINVAL;
    if (lang < 0 || lang >= FLOW_NLANG)
        lang = 0;

    switch (in->type) {
    case FLOW_IN_TEXT: {
        /* trim, keep case */
        const char *a = text;
        while (*a && isspace((unsigned char)*a))
            a++;
        size_t n = strlen(a);
        while (n > 0 && isspace((unsigned char)a[n - 1]))
            n--;
        char *s = malloc(n + 1);
        if (!s)
            return BB_ENOMEM;
        memcpy(s, a, n);
        s[n] = '\0';
        size_t chars = bb_utf8_len(s);
        if (chars > (size_t)in->maxlen) {
            free(s);
            return BB_ELIMIT; /* too long: the engine says the limit and asks again */
        }
        if ((int)chars < in->minlen || (in->minlen > 0 && n == 0)) {
            free(s);
            return BB_EINVAL;
        }
        if (in->re) {
            pcre2_match_data *md = pcre2_match_data_create_from_pattern(in->re, NULL);
            pcre2_match_context *mc = pcre2_match_context_create(NULL);
            int rc = -1;
            if (md && mc) {
                pcre2_set_match_limit(mc, MATCH_LIMIT);
                pcre2_set_depth_limit(mc, DEPTH_LIMIT);
                rc = pcre2_match(in->re, (PCRE2_SPTR)s, n, 0, 0, md, mc);
            }
            pcre2_match_data_free(md);
            pcre2_match_context_free(mc);
            if (rc < 0) {
                free(s);
                return BB_EINVAL; /* no match, or a limit hit: never accepted */
            }
        }
        val->type = EXPR_STR;
        val->str = s;
        return BB_OK;
    }
    case FLOW_IN_NUMBER:
        if (parse_number(text, &num) != 0)
            return BB_EINVAL;
        if (in->integer && num != floor(num))
            return BB_EINVAL;
        if ((in->has_min && num < in->min) || (in->has_max && num > in->max))
            return BB_EINVAL;
        val->type = EXPR_NUM;
        val->num = num;
        return BB_OK;
    case FLOW_IN_SCALE:
        if (parse_number(text, &num) == 0) {
            if (num != floor(num) || num < in->min || num > in->max)
                return BB_EINVAL;
            *opt = (int)(num - in->min);
        } else if ((*opt = match_option(in, folded, lang)) < 0) {
            int lv = in->moods ? mood_level(folded) : 0;
            if (!lv)
                return BB_EINVAL;
            /* the level 1-5 onto the scale's own range */
            *opt = (int)lround((lv - 1) * (in->max - in->min) / 4.0);
            if (*opt < 0 || *opt >= in->nopts)
                return BB_EINVAL;
        }
        val->type = EXPR_NUM;
        val->num = in->opts[*opt].value;
        return BB_OK;
    case FLOW_IN_CHOICE:
    case FLOW_IN_YESNO:
        if (parse_number(text, &num) == 0 && num == floor(num) && numbered_options(in, lang)) {
            /* choices that are numbers: a typed number is the number itself */
            if ((*opt = option_numbered(in, lang, num)) < 0)
                return BB_EINVAL;
        } else if (parse_number(text, &num) == 0 && num == floor(num) && num >= 1 &&
                   num <= in->nopts)
            *opt = (int)num - 1; /* "2": the second option, as numbered on screen */
        else if ((*opt = match_option(in, folded, lang)) < 0)
            return BB_EINVAL;
        if (in->type == FLOW_IN_YESNO) {
            val->type = EXPR_BOOL;
            val->b = in->opts[*opt].value != 0;
            return BB_OK;
        }
        return set_str(val, in->opts[*opt].id);
    case FLOW_IN_DATE: {
        int rc = quick_answer(in, text, folded, lang, now, tz_offset_s, val, opt);
        if (rc != BB_ENOTFOUND)
            return rc;
        int64_t today = cal_floor_div(now + tz_offset_s, 86400);
        int64_t day;
        /* a question about the past ("when was it?") takes "Jumat" as the
         * last Friday; any other as the coming one */
        int dir = in->has_date_max && in->date_max_days <= 0 ? -1 : 1;
        if (cal_parse_date(text, today, dir, &day) != 0)
            return BB_EINVAL;
        if ((in->has_date_min && day < today + in->date_min_days) ||
            (in->has_date_max && day > today + in->date_max_days))
            return BB_EINVAL;
        char buf[16];
        cal_format_iso(day, buf, sizeof(buf));
        return set_str(val, buf);
    }
    case FLOW_IN_DURATION: {
        int rc = quick_answer(in, text, folded, lang, now, tz_offset_s, val, opt);
        if (rc != BB_ENOTFOUND)
            return rc;
        long m = parse_duration(folded, in->day_minutes > 0 ? in->day_minutes
                                                            : FLOW_DAY_JP * FLOW_JP_MINUTES);
        if (m < 0 || (in->has_min && m < in->min) || (in->has_max && m > in->max))
            return BB_EINVAL;
        val->type = EXPR_NUM;
        val->num = (double)m;
        return BB_OK;
    }
    default:
        return BB_EINVAL;
    }
}
