/*
 * render.c - channel rendering helpers (see render.h). Pure; any thread.
 */
#include "adapters/net/render.h"
#include "bot/base/bb.h"

#include <stdlib.h>
#include <string.h>

#define RENDER_TEXT_MAX OUTMSG_TEXT_MAX

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

/* The number a label opens with ("7", "3 Biasa"), or -1: digits, then the
 * end or a space. */
static long label_number(const char *l)
{
    long v = 0;
    int k = 0;
    for (; l[k] >= '0' && l[k] <= '9'; k++) {
        if (k >= 9)
            return -1;
        v = v * 10 + (l[k] - '0');
    }
    return k > 0 && (l[k] == '\0' || l[k] == ' ') ? v : -1;
}

/* 1 when every label opens with its own number, all different: such
 * choices are listed as they are, never renumbered ("8. 7" would make a
 * typed 8 ambiguous; the engine reads a typed number as the number). */
static int labels_numbered(const struct outmsg_choice *c, int n)
{
    for (int i = 0; i < n; i++) {
        long v = label_number(c[i].label);
        if (v < 0)
            return 0;
        for (int k = 0; k < i; k++)
            if (label_number(c[k].label) == v)
                return 0;
    }
    return n > 0;
}

char *render_numbered(const char *text, const struct outmsg_choice *c, int n)
{
    struct bb_buf b;
    int own = labels_numbered(c, n);
    bb_buf_init(&b, RENDER_TEXT_MAX + 8192);
    bb_buf_puts(&b, text ? text : "");
    for (int i = 0; i < n; i++) {
        if (own)
            bb_buf_printf(&b, "\n%s", c[i].label);
        else
            bb_buf_printf(&b, "\n%d. %s", i + 1, c[i].label);
    }
    return bb_buf_take(&b);
}
