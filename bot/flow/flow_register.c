/*
 * flow_register.c - the register rules of the Indonesian texts of flows
 * (docs/coaching.md, "Register"; flows/FORMAT.md §5): formal texts address
 * the person as "Anda" (or "Bapak/Ibu" by name, {{sapaan}}), never with
 * kamu or the -mu possessive; a casual variant ("id_santai") never says
 * "Anda". Word-level: a word is a run of letters (any byte of a multi-byte
 * UTF-8 character counts as a letter); {{variables}} are skipped.
 *
 * flow_register_formal tells the texts that address someone formally (they
 * need a casual variant where the instance allows "santai").
 *
 * Called by the flow loader (flow_load.c, through flow_check.c, which adds
 * the line:column) for every Indonesian text; pure, any thread.
 */
#include "bot/flow/flow.h"
#include "bot/base/bb.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Words of the informal second person, as a whole word. */
static const char *const informal[] = {"kamu", "kau", "engkau", "dikau", "kamulah", "kamupun"};

/* Words that end in "mu" but are no possessive (lower case). Extend with
 * care: each entry lets that word through every formal text. */
static const char *const mu_words[] = {"ilmu", "temu", "bertemu", "ketemu", "menemu", "tamu",
                                       "jamu", "semu", "jemu",    "ramu",   "meramu", "emu",
                                       "gemu", "ummu", "sumu",    "lemu",   "dimu",   "palmu"};

static int is_letter(unsigned char c)
{
    return isalpha(c) || c >= 0x80;
}

static int in_list(const char *w, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(w, list[i]) == 0)
            return 1;
    return 0;
}

/* 1 when the word breaks the register; why says how. */
static int word_fault(const char *w, size_t len, int casual, char *why, size_t whyn)
{
    if (casual) {
        if (strcasecmp(w, "anda") == 0) {
            bb_snprintf(why, whyn,
                        "\"Anda\" belongs to the formal register; a casual variant says kamu "
                        "(or the name)");
            return 1;
        }
        return 0;
    }
    if (in_list(w, informal, BB_ARRAY_LEN(informal))) {
        bb_snprintf(why, whyn, "the formal register says \"Anda\" (or {{sapaan}}), not \"%s\"", w);
        return 1;
    }
    if (strcasecmp(w, "anda") == 0 && w[0] == 'a') {
        bb_snprintf(why, whyn, "write \"Anda\" with a capital A");
        return 1;
    }
    if (len >= 2 && strncasecmp(w + len - 2, "mu", 2) == 0 &&
        !in_list(w, mu_words, BB_ARRAY_LEN(mu_words))) {
        bb_snprintf(why, whyn,
                    "the formal register has no -mu possessive: write \"... Anda\" (e.g. "
                    "\"minggu Anda\") instead of \"%s\"",
                    w);
        return 1;
    }
    return 0;
}

int flow_register_fault(const char *text, int casual, size_t *at, char *word, size_t wn, char *why,
                        size_t whyn)
{
    const char *p = text;
    while (p && *p) {
        if (p[0] == '{' && p[1] == '{') {
            const char *e = strstr(p + 2, "}}");
            if (!e)
                return 0; /* the placeholder check reports it */
            p = e + 2;
            continue;
        }
        if (!is_letter((unsigned char)*p)) {
            p++;
            continue;
        }
        const char *s = p;
        while (*p && is_letter((unsigned char)*p))
            p++;
        size_t len = (size_t)(p - s);
        char w[64];
        if (len >= sizeof(w))
            continue; /* no register word is that long */
        memcpy(w, s, len);
        w[len] = '\0';
        if (word_fault(w, len, casual, why, whyn)) {
            *at = (size_t)(s - text);
            bb_strlcpy(word, w, wn);
            return 1;
        }
    }
    return 0;
}

int flow_register_formal(const char *text)
{
    const char *p = text;
    while (p && *p) {
        if (p[0] == '{' && p[1] == '{') {
            const char *e = strstr(p + 2, "}}");
            if (!e)
                return 0;
            const char *s = p + 2;
            while (*s == ' ')
                s++;
            size_t k = 0;
            while (s + k < e && (isalnum((unsigned char)s[k]) || s[k] == '_'))
                k++;
            if ((k == 6 && !strncmp(s, "sapaan", 6)) || (k == 11 && !strncmp(s, "sapaan_nama", 11)))
                return 1;
            p = e + 2;
            continue;
        }
        if (!is_letter((unsigned char)*p)) {
            p++;
            continue;
        }
        const char *w = p;
        while (*p && is_letter((unsigned char)*p))
            p++;
        if (p - w == 4 && !strncmp(w, "Anda", 4))
            return 1;
    }
    return 0;
}
