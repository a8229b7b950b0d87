/*
 * safety.c - the distress screen (safety.h): config/safety.json compiled
 * once into phrases and PCRE2 patterns, matched against a normalised form
 * of each message, and the bilingual replies the core sends on a hit.
 *
 * Who may call: main (safety_load), the core (screen, replies), tests.
 * Thread rules: a loaded list is read-only; PCRE2 match data is per call.
 */
#include "bot/core/safety.h"
#include "bot/base/bb.h"
#include "bot/base/sapaan.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <pcre2.h>

#define SAFETY_FILE_MAX    (1024 * 1024)
#define SAFETY_MATCH_LIMIT 100000
#define SAFETY_DEPTH_LIMIT 1000

enum { RULE_PHRASE, RULE_PATTERN };

struct safety_rule {
    int kind;
    int index;      /* its position in "phrases" or "patterns" */
    char *phrase;   /* RULE_PHRASE: normalised, with a space at each end */
    pcre2_code *re; /* RULE_PATTERN */
};

struct safety {
    struct safety_rule *v;
    int n;
};

/* ---- normalising ------------------------------------------------------- */

int safety_normalise(const char *text, char *out, size_t n)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t o = 0, in = 0, w = 0;
    if (n < 3)
        return BB_ELIMIT;
    out[o++] = ' ';
    for (; *p && in < SAFETY_TEXT_MAX; p++, in++) {
        unsigned char c = *p;
        /* apostrophes vanish: "can't" and "cant" are one word */
        if (c == '\'' || c == '`')
            continue;
        if (c == 0xE2 && p[1] == 0x80 && (p[2] == 0x98 || p[2] == 0x99)) {
            p += 2;
            continue;
        }
        if (c < 0x80 && !isalnum(c)) {
            if (out[o - 1] == ' ')
                continue;
            c = ' ';
        }
        if (o + 2 >= n)
            return BB_ELIMIT;
        out[o++] = (char)tolower(c);
    }
    /* "matiii", "capeeek", "bgttt": a letter three times or more is one */
    for (size_t r = 0; r < o;) {
        size_t k = r + 1;
        while (k < o && out[k] == out[r])
            k++;
        if (k - r >= 3 && isalpha((unsigned char)out[r]))
            out[w++] = out[r];
        else
            while (r < k)
                out[w++] = out[r++];
        r = k;
    }
    if (out[w - 1] != ' ')
        out[w++] = ' ';
    out[w] = '\0';
    return BB_OK;
}

/* ---- loading ----------------------------------------------------------- */

void safety_free(struct safety *s)
{
    struct safety_rule *r = s ? s->v : NULL;
    for (int i = 0; r && i < s->n; i++)
        free(r[i].phrase), pcre2_code_free(r[i].re);
    free(r);
    free(s);
}

int safety_count(const struct safety *s)
{
    return s ? s->n : 0;
}

void safety_rule_name(const struct safety *s, int rule, char *out, size_t n)
{
    if (!s || rule < 0 || rule >= s->n) {
        bb_snprintf(out, n, "?");
        return;
    }
    bb_snprintf(out, n, "%s[%d]", s->v[rule].kind == RULE_PHRASE ? "phrases" : "patterns",
                s->v[rule].index);
}

/* What one screening needs for its patterns, made once per message (the
 * list itself stays read-only, so threads may share it). */
struct matcher {
    pcre2_match_data *md;
    pcre2_match_context *mc;
};

static int matcher_init(struct matcher *m)
{
    m->md = pcre2_match_data_create(1, NULL); /* only "did it match" is asked */
    m->mc = pcre2_match_context_create(NULL);
    if (!m->md || !m->mc) {
        pcre2_match_data_free(m->md);
        pcre2_match_context_free(m->mc);
        m->md = NULL;
        m->mc = NULL;
        return BB_ENOMEM;
    }
    /* JIT code runs on PCRE2's default 32 KiB stack; the limits bind the
     * interpreter (the fallback) */
    pcre2_set_match_limit(m->mc, SAFETY_MATCH_LIMIT);
    pcre2_set_depth_limit(m->mc, SAFETY_DEPTH_LIMIT);
    return BB_OK;
}

static void matcher_free(struct matcher *m)
{
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->mc);
}

static int re_matches(const struct matcher *m, const pcre2_code *re, const char *s, size_t n)
{
    int rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, m->md, m->mc);
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) /* e.g. the JIT stack: once more, interpreted */
        rc = pcre2_match(re, (PCRE2_SPTR)s, n, 0, PCRE2_NO_JIT, m->md, m->mc);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    /* a match, or a limit hit: a missed message is the worse error */
    return 1;
}

static int re_matches_once(const pcre2_code *re, const char *s)
{
    struct matcher m;
    int hit = matcher_init(&m) == BB_OK ? re_matches(&m, re, s, strlen(s)) : 1;
    matcher_free(&m);
    return hit;
}

static int add_phrase(struct safety *s, int idx, const cJSON *e, const char *name, char *err,
                      size_t el)
{
    char buf[512];
    if (!cJSON_IsString(e) || !e->valuestring[0]) {
        bb_snprintf(err, el, "%s: phrases[%d] must be a non-empty string", name, idx);
        return BB_EINVAL;
    }
    if (strlen(e->valuestring) > 300 || !bb_utf8_valid(e->valuestring, strlen(e->valuestring)) ||
        safety_normalise(e->valuestring, buf, sizeof(buf)) != BB_OK) {
        bb_snprintf(err, el, "%s: phrases[%d] is longer than 300 bytes or not UTF-8", name, idx);
        return BB_EINVAL;
    }
    if (strcmp(buf, " ") == 0) {
        bb_snprintf(err, el, "%s: phrases[%d] \"%.60s\" has no letters or digits", name, idx,
                    e->valuestring);
        return BB_EINVAL;
    }
    for (int k = 0; k < s->n; k++)
        if (s->v[k].kind == RULE_PHRASE && strcmp(s->v[k].phrase, buf) == 0) {
            bb_snprintf(err, el, "%s: phrases[%d] \"%.60s\" repeats phrases[%d]", name, idx,
                        e->valuestring, s->v[k].index);
            return BB_EINVAL;
        }
    struct safety_rule *r = &s->v[s->n];
    r->kind = RULE_PHRASE;
    r->index = idx;
    r->phrase = malloc(strlen(buf) + 1);
    if (!r->phrase)
        return BB_ENOMEM;
    memcpy(r->phrase, buf, strlen(buf) + 1);
    s->n++;
    return BB_OK;
}

static int add_pattern(struct safety *s, int idx, const cJSON *e, const char *name, char *err,
                       size_t el)
{
    int code;
    PCRE2_SIZE off;
    if (!cJSON_IsString(e) || !e->valuestring[0] || strlen(e->valuestring) > 1000) {
        bb_snprintf(err, el, "%s: patterns[%d] must be a string of 1 to 1000 bytes", name, idx);
        return BB_EINVAL;
    }
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)e->valuestring, PCRE2_ZERO_TERMINATED,
                                   PCRE2_CASELESS, &code, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(code, msg, sizeof(msg));
        bb_snprintf(err, el, "%s: patterns[%d] \"%.80s\": %s at offset %zu", name, idx,
                    e->valuestring, (const char *)msg, (size_t)off);
        return BB_EINVAL;
    }
    /* A pattern that matches an empty or a one-word message would flag
     * everything: almost certainly a typo such as a stray "|". */
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* when PCRE2 has no JIT: interpreted */
    if (re_matches_once(re, " ") || re_matches_once(re, " ok ")) {
        pcre2_code_free(re);
        bb_snprintf(err, el,
                    "%s: patterns[%d] \"%.80s\" matches almost any message (an empty "
                    "alternative?)",
                    name, idx, e->valuestring);
        return BB_EINVAL;
    }
    struct safety_rule *r = &s->v[s->n++];
    r->kind = RULE_PATTERN;
    r->index = idx;
    r->re = re;
    return BB_OK;
}

int safety_parse(const char *json, size_t len, const char *name, struct safety **out, char *err,
                 size_t el)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    struct safety *s = NULL;
    int rc = BB_EINVAL;
    *out = NULL;
    if (!cJSON_IsObject(root)) {
        size_t at = end && end >= json ? (size_t)(end - json) : 0;
        bb_snprintf(err, el, "%s: not a JSON object (error near byte %zu)", name, at);
        goto done;
    }
    for (const cJSON *k = root->child; k; k = k->next)
        if (strcmp(k->string, "phrases") && strcmp(k->string, "patterns") && k->string[0] != '_') {
            bb_snprintf(err, el, "%s: unknown key \"%.40s\" (phrases, patterns, or _comment)", name,
                        k->string);
            goto done;
        }
    const cJSON *ph = cJSON_GetObjectItemCaseSensitive(root, "phrases");
    const cJSON *pa = cJSON_GetObjectItemCaseSensitive(root, "patterns");
    if ((ph && !cJSON_IsArray(ph)) || (pa && !cJSON_IsArray(pa))) {
        bb_snprintf(err, el, "%s: \"phrases\" and \"patterns\" must be lists of strings", name);
        goto done;
    }
    int total = cJSON_GetArraySize(ph) + cJSON_GetArraySize(pa);
    if (total == 0 || total > SAFETY_MAX_RULES) {
        bb_snprintf(err, el, "%s: the list must have 1 to %d phrases and patterns", name,
                    SAFETY_MAX_RULES);
        goto done;
    }
    s = calloc(1, sizeof(*s));
    if (!s || !(s->v = calloc((size_t)total, sizeof(*s->v)))) {
        rc = BB_ENOMEM;
        goto done;
    }
    int i = 0;
    for (const cJSON *e = ph ? ph->child : NULL; e; e = e->next, i++)
        if ((rc = add_phrase(s, i, e, name, err, el)) != BB_OK)
            goto done;
    i = 0;
    for (const cJSON *e = pa ? pa->child : NULL; e; e = e->next, i++)
        if ((rc = add_pattern(s, i, e, name, err, el)) != BB_OK)
            goto done;
    *out = s;
    s = NULL;
    rc = BB_OK;
done:
    safety_free(s);
    cJSON_Delete(root);
    return rc;
}

int safety_load(const char *path, struct safety **out, char *err, size_t el)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0;
    int rc;
    *out = NULL;
    if (!f) {
        bb_snprintf(err, el, "%s: cannot be read (the distress screen needs it)", path);
        return BB_EIO;
    }
    buf = malloc(SAFETY_FILE_MAX + 1);
    if (buf)
        n = fread(buf, 1, SAFETY_FILE_MAX + 1, f);
    fclose(f);
    if (!buf)
        return BB_ENOMEM;
    if (n > SAFETY_FILE_MAX) {
        free(buf);
        bb_snprintf(err, el, "%s: larger than %d bytes", path, SAFETY_FILE_MAX);
        return BB_ELIMIT;
    }
    rc = safety_parse(buf, n, path, out, err, el);
    free(buf);
    return rc;
}

/* ---- screening --------------------------------------------------------- */

int safety_screen(const struct safety *s, const char *text, int *rule)
{
    size_t len;
    char *norm;
    struct matcher m;
    int hit = 0, have_re;
    if (rule)
        *rule = -1;
    if (!s || !text || !text[0])
        return 0;
    len = strlen(text);
    if (len > SAFETY_TEXT_MAX)
        len = SAFETY_TEXT_MAX;
    norm = malloc(len + 4);
    if (!norm || safety_normalise(text, norm, len + 4) != BB_OK) {
        free(norm);
        return 0;
    }
    /* Without memory for the patterns' matcher, the phrases still screen. */
    have_re = matcher_init(&m) == BB_OK;
    len = strlen(norm);
    for (int i = 0; i < s->n && !hit; i++) {
        const struct safety_rule *r = &s->v[i];
        hit = r->kind == RULE_PHRASE ? strstr(norm, r->phrase) != NULL
                                     : have_re && re_matches(&m, r->re, norm, len);
        if (hit && rule)
            *rule = i;
    }
    if (have_re)
        matcher_free(&m);
    free(norm);
    return hit;
}

/* ---- replies ----------------------------------------------------------- */

static const char *const text_hit[3] = {
    "Terima kasih sudah mau bercerita. Kedengarannya Anda sedang menanggung hal yang sangat berat, "
    "dan Anda tidak harus menanggungnya sendirian.\n"
    "- Bila Anda merasa dapat menyakiti diri sendiri atau sedang dalam bahaya, telepon 112 "
    "sekarang.\n"
    "- Untuk berbicara dengan konselor, hubungi layanan SEJIWA di 119 ext 8.\n"
    "Anda juga dapat memilih untuk berbicara dengan seseorang di kantor Anda.",
    "Thank you for telling me. It sounds like you are carrying something very heavy, and you "
    "don't have to carry it alone.\n"
    "- If you feel you might hurt yourself or you are in danger, call 112 now.\n"
    "- To talk to a counsellor, call the SEJIWA line on 119 ext 8.\n"
    "You can also choose to talk to someone at your office.",
    "Terima kasih sudah mau bercerita. Kedengarannya kamu sedang menanggung hal yang sangat berat, "
    "dan kamu tidak harus menanggungnya sendirian.\n"
    "- Bila kamu merasa bisa menyakiti diri sendiri atau sedang dalam bahaya, telepon 112 "
    "sekarang.\n"
    "- Untuk berbicara dengan konselor, hubungi layanan SEJIWA di 119 ext 8.\n"
    "Kamu juga bisa memilih untuk berbicara dengan seseorang di kantormu.",
};

static const char *const text_paused[2] = {
    "\n\nPercakapan kita tadi (%s) saya jeda dulu, tidak hilang. Bila sudah siap, ketik /lanjut "
    "untuk meneruskannya.",
    "\n\nI've paused our conversation (%s); nothing is lost. When you're ready, type /continue "
    "to carry on.",
};

static const char *const label_talk[2] = {"Bicara dengan orang", "Talk to a person"};

static const char *const text_talk[3] = {
    "Saat ini belum ada konselor yang membaca percakapan ini, dan saya tidak memberi tahu siapa "
    "pun tanpa izin Anda. Yang dapat Anda hubungi sekarang:\n",
    "Right now no counsellor reads this chat, and I have not told anyone without your "
    "permission. People you can reach now:\n",
    "Saat ini belum ada konselor yang membaca percakapan ini, dan saya tidak memberi tahu siapa "
    "pun tanpa izinmu. Yang bisa kamu hubungi sekarang:\n",
};

static const char *const text_talk_mentor[3] = {
    "- mentor Anda, %s, atau bagian SDM di kantor Anda\n",
    "- your mentor, %s, or HR at your office\n", "- mentormu, %s, atau bagian SDM di kantormu\n"};
static const char *const text_talk_hr[3] = {"- bagian SDM di kantor Anda, atau atasan yang Anda "
                                            "percayai\n",
                                            "- HR at your office, or a manager you trust\n",
                                            "- bagian SDM di kantormu, atau atasan yang kamu "
                                            "percayai\n"};
static const char *const text_talk_lines[2] = {
    "- layanan SEJIWA: telepon 119 ext 8\n- keadaan darurat: 112",
    "- the SEJIWA line: call 119 ext 8\n- in an emergency: 112",
};

int safety_reply(int lang, const char *paused, struct outmsg *m)
{
    struct bb_buf b;
    int l0 = lang == 1 ? 1 : 0;
    memset(m, 0, sizeof(*m));
    bb_buf_init(&b, 8192);
    bb_buf_puts(&b, text_hit[SAPAAN_LI(l0)]);
    if (paused && paused[0] && lang >= 0)
        bb_buf_printf(&b, text_paused[l0], paused);
    if (lang < 0) { /* someone we do not know yet: both languages */
        bb_buf_puts(&b, "\n\n");
        bb_buf_puts(&b, text_hit[1]);
    }
    if (!(m->text = bb_buf_take(&b)))
        return BB_ENOMEM;
    if (lang >= 0) {
        if (!(m->choices = calloc(1, sizeof(*m->choices)))) {
            outmsg_clear(m);
            return BB_ENOMEM;
        }
        m->nchoices = 1;
        bb_strlcpy(m->choices[0].id, SAFETY_TALK_ID, sizeof(m->choices[0].id));
        bb_strlcpy(m->choices[0].label, label_talk[l0], sizeof(m->choices[0].label));
    }
    return BB_OK;
}

int safety_talk_reply(int lang, const char *mentor, struct outmsg *m)
{
    struct bb_buf b;
    int l = lang == 1 ? 1 : 0;
    memset(m, 0, sizeof(*m));
    bb_buf_init(&b, 8192);
    bb_buf_puts(&b, text_talk[SAPAAN_LI(l)]);
    if (mentor && mentor[0])
        bb_buf_printf(&b, text_talk_mentor[SAPAAN_LI(l)], mentor);
    else
        bb_buf_puts(&b, text_talk_hr[SAPAAN_LI(l)]);
    bb_buf_puts(&b, text_talk_lines[l]);
    return (m->text = bb_buf_take(&b)) ? BB_OK : BB_ENOMEM;
}
