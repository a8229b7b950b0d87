/*
 * render.c - channel rendering helpers (see render.h). Pure; any thread.
 */
#include "adapters/net/render.h"
#include "bot/base/bb.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#define RENDER_TEXT_MAX (64 * 1024)

void render_msg_clear(struct render_msg *m)
{
    free(m->text);
    free(m->choices);
    memset(m, 0, sizeof(*m));
}

int render_parse(const char *body, struct render_msg *m)
{
    cJSON *b = cJSON_Parse(body);
    const cJSON *text, *choices, *q, *ans, *stale;
    int rc = BB_EINVAL;

    memset(m, 0, sizeof(*m));
    if (!cJSON_IsObject(b))
        goto out;
    text = cJSON_GetObjectItemCaseSensitive(b, "text");
    choices = cJSON_GetObjectItemCaseSensitive(b, "choices");
    q = cJSON_GetObjectItemCaseSensitive(b, "q");
    ans = cJSON_GetObjectItemCaseSensitive(b, "answered");
    stale = cJSON_GetObjectItemCaseSensitive(b, "stale");
    if (cJSON_IsString(ans))
        bb_strlcpy(m->answered, ans->valuestring, sizeof(m->answered));
    if (cJSON_IsString(stale))
        bb_strlcpy(m->stale, stale->valuestring, sizeof(m->stale));
    if (cJSON_IsString(q))
        bb_strlcpy(m->q, q->valuestring, sizeof(m->q));
    if (text && !cJSON_IsString(text))
        goto out;
    if (!text && !m->answered[0] && !m->stale[0])
        goto out;
    if (cJSON_IsString(text)) {
        size_t n = strlen(text->valuestring);
        if (n > RENDER_TEXT_MAX)
            goto out;
        m->text = malloc(n + 1);
        if (!m->text) {
            rc = BB_ENOMEM;
            goto out;
        }
        memcpy(m->text, text->valuestring, n + 1);
    }
    if (cJSON_IsArray(choices)) {
        int n = cJSON_GetArraySize(choices);
        if (n > 100)
            goto out;
        m->choices = calloc((size_t)n + 1, sizeof(*m->choices));
        if (!m->choices) {
            rc = BB_ENOMEM;
            goto out;
        }
        for (const cJSON *c = choices->child; c; c = c->next) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
            const cJSON *lab = cJSON_GetObjectItemCaseSensitive(c, "label");
            if (!cJSON_IsString(id) || !cJSON_IsString(lab))
                goto out;
            bb_strlcpy(m->choices[m->nchoices].id, id->valuestring, sizeof(m->choices[0].id));
            bb_strlcpy(m->choices[m->nchoices].label, lab->valuestring,
                       sizeof(m->choices[0].label));
            m->nchoices++;
        }
    }
    rc = BB_OK;
out:
    cJSON_Delete(b);
    if (rc != BB_OK)
        render_msg_clear(m);
    return rc;
}

void render_parts_free(char **parts, int n)
{
    for (int i = 0; parts && i < n; i++)
        free(parts[i]);
    free(parts);
}

/* Byte offset after max_chars code points of s (or its end). */
static size_t byte_of_char(const char *s, size_t len, size_t max_chars)
{
    size_t chars = 0, i = 0;
    while (i < len) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (chars == max_chars)
                return i;
            chars++;
        }
        i++;
    }
    return len;
}

static int push_part(char ***parts, int *n, int *cap, const char *s, size_t len)
{
    /* trim the whitespace a split leaves at either end */
    while (len > 0 && (*s == ' ' || *s == '\n')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\n'))
        len--;
    if (len == 0 && *n > 0)
        return BB_OK;
    if (*n == *cap) {
        int nc = *cap ? *cap * 2 : 4;
        char **np = realloc(*parts, (size_t)nc * sizeof(char *));
        if (!np)
            return BB_ENOMEM;
        *parts = np;
        *cap = nc;
    }
    char *p = malloc(len + 1);
    if (!p)
        return BB_ENOMEM;
    memcpy(p, s, len);
    p[len] = '\0';
    (*parts)[(*n)++] = p;
    return BB_OK;
}

int render_split(const char *text, size_t max_chars, char ***parts, int *n)
{
    size_t len = strlen(text);
    int cap = 0, rc = BB_OK;
    const char *s = text;

    *parts = NULL;
    *n = 0;
    if (max_chars < 16 || len > RENDER_TEXT_MAX)
        return BB_EINVAL;
    while (rc == BB_OK) {
        size_t rest = len - (size_t)(s - text);
        size_t lim = byte_of_char(s, rest, max_chars);
        if (lim >= rest) {
            rc = push_part(parts, n, &cap, s, rest);
            break;
        }
        /* Look back from the limit for the best break, but not so far back
         * that parts become tiny (keep at least half). */
        size_t cut = 0, floor_ = lim / 2;
        for (size_t i = lim; i > floor_ && !cut; i--)
            if (s[i] == '\n' && s[i - 1] == '\n')
                cut = i;
        for (size_t i = lim; i > floor_ && !cut; i--)
            if (s[i] == '\n')
                cut = i;
        for (size_t i = lim; i > floor_ && !cut; i--)
            if (s[i] == ' ')
                cut = i;
        if (!cut)
            cut = lim; /* a hard cut, on a character boundary */
        rc = push_part(parts, n, &cap, s, cut);
        s += cut;
    }
    if (rc != BB_OK) {
        render_parts_free(*parts, *n);
        *parts = NULL;
        *n = 0;
    }
    return rc;
}

char *render_numbered(const char *text, const struct render_choice *c, int n)
{
    struct bb_buf b;
    bb_buf_init(&b, RENDER_TEXT_MAX + 8192);
    bb_buf_puts(&b, text ? text : "");
    for (int i = 0; i < n; i++)
        bb_buf_printf(&b, "\n%d. %s", i + 1, c[i].label);
    return bb_buf_take(&b);
}
