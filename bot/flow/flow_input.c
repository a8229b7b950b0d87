/*
 * flow_input.c - turn what a person typed into the value of an ask node:
 * numbers ("3", "3,5"), choices (by number, label, synonym or id), scales,
 * yes/no in Indonesian and English, dates ("2026-12-01", "1/12/2026",
 * "besok", "tomorrow"), and text checked against length and a PCRE2
 * pattern run with match and depth limits.
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

/* A date a person may mean: a real date between 1900 and 2200. */
static int valid_date(int y, int m, int d)
{
    return y >= 1900 && y <= 2200 && cal_valid(y, m, d);
}

/* Day number (days since 1970-01-01) of a typed date, relative words
 * resolved against today. */
static int parse_date(const char *folded, int64_t today, int64_t *day)
{
    static const struct {
        const char *w;
        int off;
    } rel[] = {{"hari ini", 0},     {"today", 0},    {"sekarang", 0}, {"besok", 1},
               {"tomorrow", 1},     {"lusa", 2},     {"kemarin", -1}, {"yesterday", -1},
               {"minggu depan", 7}, {"next week", 7}};
    int y, m, d;
    char sep;
    for (size_t i = 0; i < BB_ARRAY_LEN(rel); i++)
        if (strcmp(folded, rel[i].w) == 0) {
            *day = today + rel[i].off;
            return 0;
        }
    size_t n = strlen(folded);
    if (n == 10 && folded[4] == '-' && folded[7] == '-') {
        /* YYYY-MM-DD */
        char tmp[11];
        memcpy(tmp, folded, 11);
        tmp[4] = tmp[7] = '\0';
        long long a, b, c;
        if (bb_parse_ll(tmp, 0, 9999, &a) || bb_parse_ll(tmp + 5, 1, 12, &b) ||
            bb_parse_ll(tmp + 8, 1, 31, &c))
            return -1;
        y = (int)a, m = (int)b, d = (int)c;
    } else {
        /* D/M/YYYY, D-M-YYYY, D.M.YYYY (day first, as written in Indonesia) */
        char tmp[16];
        if (n < 8 || n > 10)
            return -1;
        memcpy(tmp, folded, n + 1);
        char *p1 = NULL, *p2 = NULL;
        for (char *p = tmp; *p; p++) {
            if (*p == '/' || *p == '-' || *p == '.') {
                if (!p1)
                    p1 = p;
                else if (!p2)
                    p2 = p;
                else
                    return -1;
            } else if (!isdigit((unsigned char)*p)) {
                return -1;
            }
        }
        if (!p1 || !p2 || *p1 != *p2)
            return -1;
        sep = *p1;
        (void)sep;
        *p1 = *p2 = '\0';
        long long a, b, c;
        if (bb_parse_ll(tmp, 1, 31, &a) || bb_parse_ll(p1 + 1, 1, 12, &b) ||
            bb_parse_ll(p2 + 1, 1900, 2200, &c))
            return -1;
        d = (int)a, m = (int)b, y = (int)c;
    }
    if (!valid_date(y, m, d))
        return -1;
    *day = cal_days_from_civil(y, m, d);
    return 0;
}

static int match_option(const struct flow_input *in, const char *folded, int lang)
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
        int64_t today = (now + tz_offset_s) / 86400;
        if (now + tz_offset_s < 0)
            today--;
        int64_t day;
        if (parse_date(folded, today, &day) != 0)
            return BB_EINVAL;
        if ((in->has_date_min && day < today + in->date_min_days) ||
            (in->has_date_max && day > today + in->date_max_days))
            return BB_EINVAL;
        char buf[16];
        cal_format_date(day, buf, sizeof(buf));
        return set_str(val, buf);
    }
    default:
        return BB_EINVAL;
    }
}
