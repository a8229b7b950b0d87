/*
 * flow_check.c - the flow loader's rules beyond one node, and how it
 * reports: a flow's triggers (commands, keywords, schedules, HR, events),
 * the node graph (every node reachable from the start, no loop that never
 * waits for the person), {{placeholders}} (well formed; warned when nothing
 * in the flow sets them), JSON syntax errors with line:column, and the
 * diagnostics list itself with the languages. flow_load.c reads the flow
 * object and its nodes and calls in here (flow_load_int.h); nothing here
 * calls flow_load.c.
 *
 * Pure: reads only its arguments. Any thread.
 */
#include "bot/flow/flow.h"
#include "bot/flow/flow_load_int.h"
#include "bot/base/bb.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- languages and diagnostics --------------------------------------------- */

const char *const flow_langs[FLOW_NLANG] = {"id", "en"};

int flow_lang_index(const char *lang)
{
    for (int i = 0; i < FLOW_NLANG; i++)
        if (lang && strcmp(lang, flow_langs[i]) == 0)
            return i;
    return -1;
}

void flow_diags_init(struct flow_diags *d)
{
    memset(d, 0, sizeof(*d));
}

void flow_diags_free(struct flow_diags *d)
{
    if (!d)
        return;
    free(d->v);
    memset(d, 0, sizeof(*d));
}

void flow_diag_format(const struct flow_diag *g, char *out, size_t n)
{
    char where[160] = "";
    if (g->flow[0] && g->node[0])
        bb_snprintf(where, sizeof(where), "[%s/%s] ", g->flow, g->node);
    else if (g->flow[0])
        bb_snprintf(where, sizeof(where), "[%s] ", g->flow);
    else if (g->node[0])
        bb_snprintf(where, sizeof(where), "[%s] ", g->node);
    if (g->line > 0)
        bb_snprintf(out, n, "%s:%d:%d: %s: %s%s", g->file[0] ? g->file : "<flow>", g->line, g->col,
                    g->warning ? "warning" : "error", where, g->msg);
    else
        bb_snprintf(out, n, "%s: %s: %s%s", g->file[0] ? g->file : "<flow>",
                    g->warning ? "warning" : "error", where, g->msg);
}

void flow_ld_diag(struct ld *L, int warning, const char *fmt, ...)
{
    struct flow_diag *g;
    va_list ap;

    if (!warning)
        L->errors++;
    if (!L->d)
        return;
    if (L->d->n == L->d->cap) {
        int nc = L->d->cap ? L->d->cap * 2 : 16;
        if (nc > 4096)
            return; /* enough said */
        struct flow_diag *nv = realloc(L->d->v, (size_t)nc * sizeof(*nv));
        if (!nv)
            return;
        L->d->v = nv;
        L->d->cap = nc;
    }
    g = &L->d->v[L->d->n++];
    memset(g, 0, sizeof(*g));
    bb_strlcpy(g->file, L->file ? L->file : "", sizeof(g->file));
    if (L->f)
        bb_strlcpy(g->flow, L->f->id, sizeof(g->flow));
    if (L->node)
        bb_strlcpy(g->node, L->node, sizeof(g->node));
    g->warning = warning;
    va_start(ap, fmt);
    vsnprintf(g->msg, sizeof(g->msg), fmt, ap);
    va_end(ap);
    if (warning)
        L->d->nwarnings++;
    else
        L->d->nerrors++;
}

/* ---- JSON syntax errors ---------------------------------------------------- */

static void json_error_position(const char *src, const char *at, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (const char *p = src; p < at && *p; p++) {
        if (*p == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

/* cJSON reports a missing key one character too far (it has stepped over
 * what should have been the opening quote): `{ a: 1 }`, `[..., }`. When the
 * character before the error follows a '{' or ',' and is not a quote, the
 * error is at that character. */
const char *flow_ld_json_fixup(const char *src, const char *at)
{
    const char *p = at, *q;
    if (p <= src)
        return p;
    p--;
    while (p > src && ((unsigned char)*p & 0xC0) == 0x80)
        p--;
    if (*p == '"' || isspace((unsigned char)*p))
        return at;
    q = p;
    while (q > src && isspace((unsigned char)q[-1]))
        q--;
    if (q > src && (q[-1] == '{' || q[-1] == ','))
        return p;
    return at;
}

void flow_ld_json_locate(struct flow_diag *g, const char *src, size_t len, const char *at,
                         const char *what)
{
    const char *end = src + len;
    const char *p = at;
    char near[64];
    size_t n = 0;

    json_error_position(src, at, &g->line, &g->col);
    while (p < end && *p && isspace((unsigned char)*p))
        p++;
    if (p >= end || !*p) {
        bb_snprintf(g->msg, sizeof(g->msg), "JSON syntax error: %s", what);
        return;
    }
    while (at + n < end && at[n] && at[n] != '\n' && at[n] != '\r' && n < sizeof(near) - 1)
        n++;
    n = bb_utf8_cut(at, n, 20);
    memcpy(near, at, n);
    near[n] = '\0';
    bb_snprintf(g->msg, sizeof(g->msg), "JSON syntax error near \"%s\"", near);
}

/* ---- the register of a text, at its line:column --------------------------- */

/* The index of target among the JSON string tokens under node (object keys
 * and string values, in document order, as they appear in the file); *count
 * is the number of tokens before. -1 when target is not under node. */
static int string_token_index(const cJSON *node, const cJSON *target, int *count, int depth)
{
    if (depth > 64)
        return -1;
    for (const cJSON *c = node->child; c; c = c->next) {
        if (cJSON_IsObject(node) && c->string)
            (*count)++;
        if (c == target)
            return *count;
        if (cJSON_IsString(c))
            (*count)++;
        else if (c->child) {
            int r = string_token_index(c, target, count, depth + 1);
            if (r >= 0)
                return r;
        }
    }
    return -1;
}

/* Past the JSON string literal that opens at p (its '"'). */
static const char *string_end(const char *p, const char *end)
{
    for (p++; p < end && *p != '"'; p++)
        if (*p == '\\' && p + 1 < end)
            p++;
    return p < end ? p + 1 : end;
}

/* Where byte off of the decoded string whose literal opens at q (its '"')
 * is in the source: escapes count as the bytes they decode to. */
static const char *raw_offset(const char *q, const char *end, size_t off)
{
    const char *p = q + 1;
    size_t d = 0;
    while (p < end && *p != '"' && d < off) {
        if (*p != '\\') {
            p++;
            d++;
            continue;
        }
        if (p + 1 < end && p[1] == 'u' && p + 5 < end) {
            char hex[5] = {p[2], p[3], p[4], p[5], '\0'};
            unsigned v = (unsigned)strtoul(hex, NULL, 16);
            if (v >= 0xD800 && v < 0xDC00 && p + 11 < end && p[6] == '\\') {
                p += 12;
                d += 4;
            } else {
                p += 6;
                d += v < 0x80 ? 1 : v < 0x800 ? 2 : 3;
            }
        } else {
            p += 2;
            d++;
        }
    }
    return p;
}

void flow_ld_check_register(struct ld *L, const cJSON *str, int casual, const char *what)
{
    size_t at = 0;
    char word[64], why[200];
    if (!cJSON_IsString(str) ||
        !flow_register_fault(str->valuestring, casual, &at, word, sizeof(word), why, sizeof(why)))
        return;
    ERR(L, "%s (%s): \"%s\": %s", what, casual ? FLOW_CASUAL_KEY : "id", word, why);
    if (!L->d || L->d->n == 0 || !L->src || !L->root)
        return;
    /* the line:column of the word: find the string's literal in the file */
    int count = 0, want = string_token_index(L->root, str, &count, 0), k = -1;
    const char *p = L->src, *end = L->src + L->len;
    if (want < 0)
        return;
    while (p < end) {
        if (*p != '"') {
            p++;
            continue;
        }
        if (++k == want) {
            int line, col;
            json_error_position(L->src, raw_offset(p, end, at), &line, &col);
            L->d->v[L->d->n - 1].line = line;
            L->d->v[L->d->n - 1].col = col;
            return;
        }
        p = string_end(p, end);
    }
}

/* ---- {{placeholders}} ------------------------------------------------------ */

int flow_placeholder_next(const char *s, struct flow_placeholder *ph)
{
    ph->at = strstr(s, "{{");
    if (!ph->at)
        return 0;
    const char *e = strstr(ph->at + 2, "}}");
    if (!e)
        return -1;
    const char *a = ph->at + 2;
    while (a < e && *a == ' ')
        a++;
    const char *b = e;
    while (b > a && b[-1] == ' ')
        b--;
    ph->len = (size_t)(b - a);
    ph->end = e + 2;
    ph->name[0] = '\0';
    if (ph->len < sizeof(ph->name)) {
        memcpy(ph->name, a, ph->len);
        ph->name[ph->len] = '\0';
    }
    return 1;
}

/* {{name}} placeholders: well formed, and names collected for a later check. */
void flow_ld_check_placeholders(struct ld *L, const char *s, const char *what)
{
    struct flow_placeholder ph;
    int r;
    for (const char *p = s; (r = flow_placeholder_next(p, &ph)) != 0; p = ph.end) {
        if (r < 0) {
            ERR(L, "%s: \"{{\" without \"}}\"", what);
            return;
        }
        if (ph.len == 0 || ph.len >= sizeof(ph.name)) {
            ERR(L, "%s: empty or too long {{variable}}", what);
            continue;
        }
        for (size_t i = 0; i < ph.len; i++)
            if (!(isalnum((unsigned char)ph.name[i]) || ph.name[i] == '_' || ph.name[i] == '.')) {
                ERR(L, "%s: bad variable name \"{{%s}}\"", what, ph.name);
                break;
            }
    }
}

/* Variables set anywhere in the flow, to warn about {{names}} that are not. */
static int var_is_set(const struct flow *f, const char *name)
{
    static const char *person_fields[] = {"name",   "first_name", "nip",   "unit",   "position",
                                          "role",   "lang",       "grade", "sapaan", "sapaan_nama",
                                          "gender", "register",   NULL};
    char base[FLOW_NAME_MAX * 2];
    bb_strlcpy(base, name, sizeof(base));
    if (strncmp(base, "person.", 7) == 0)
        return 1;
    for (int i = 0; person_fields[i]; i++)
        if (strcmp(base, person_fields[i]) == 0)
            return 1;
    size_t bl = strlen(base);
    if (bl > 6 && strcmp(base + bl - 6, "_label") == 0)
        base[bl - 6] = '\0';
    for (int i = 0; i < f->nnodes; i++) {
        const struct flow_node *n = &f->nodes[i];
        if (strcmp(n->save, base) == 0)
            return 1;
        if (n->result[0]) { /* a "result" node sets <r>, <r>_value, _message, _options */
            static const char *const sfx[] = {"", "_value", "_message", "_options", NULL};
            char v[FLOW_NAME_MAX + 16];
            for (int k = 0; sfx[k]; k++)
                if (bb_snprintf(v, sizeof(v), "%s%s", n->result, sfx[k]) == BB_OK &&
                    strcmp(v, name) == 0)
                    return 1;
        }
        for (int k = 0; k < n->nsets; k++)
            if (strcmp(n->sets[k].var, base) == 0)
                return 1;
    }
    return 0;
}

static void warn_placeholders(struct ld *L, const struct flow *f, const struct flow_text *t)
{
    for (int l = 0; l <= FLOW_NLANG; l++) {
        struct flow_placeholder ph;
        const char *txt = l < FLOW_NLANG ? t->t[l] : t->casual;
        if (!txt)
            continue;
        for (const char *p = txt; flow_placeholder_next(p, &ph) > 0; p = ph.end)
            if (ph.len < sizeof(ph.name) && !var_is_set(f, ph.name))
                WARN(L,
                     "{{%s}} is never set in this flow (it shows as empty unless a "
                     "calling flow sets it)",
                     ph.name);
    }
}

/* ---- keyword lists and triggers -------------------------------------------- */

int flow_ld_lang_of(struct ld *L, const cJSON *c, const char *what, const char *hint)
{
    if (!c->string || is_comment_key(c->string))
        return -1;
    int li = flow_lang_index(c->string);
    if (li < 0)
        ERR(L, "%s: unknown language \"%s\"%s", what, c->string, hint);
    return li;
}

/* A list of words per language: {"id": ["a", "b"], "en": [...]}. Folded. */
void flow_ld_words(struct ld *L, const cJSON *j, char **out[FLOW_NLANG], int nout[FLOW_NLANG],
                   const char *what)
{
    if (!cJSON_IsObject(j)) {
        ERR(L, "%s must be an object of word lists per language", what);
        return;
    }
    for (const cJSON *c = j->child; c; c = c->next) {
        int li = flow_ld_lang_of(L, c, what, "");
        if (li < 0)
            continue;
        if (!cJSON_IsArray(c)) {
            ERR(L, "%s: \"%s\" must be a list of words", what, c->string);
            continue;
        }
        int n = cJSON_GetArraySize(c);
        if (n > 50) {
            ERR(L, "%s: at most 50 words per language", what);
            continue;
        }
        char **w = calloc((size_t)n + 1, sizeof(char *));
        if (!w)
            return;
        int k = 0;
        for (const cJSON *s = c->child; s; s = s->next) {
            char folded[128];
            if (!cJSON_IsString(s) || !s->valuestring[0] ||
                bb_fold(s->valuestring, folded, sizeof(folded)) != BB_OK) {
                ERR(L, "%s: words must be non-empty strings under 128 bytes", what);
                continue;
            }
            w[k] = strdup(folded);
            if (w[k])
                k++;
        }
        words_free(out[li], nout[li]);
        out[li] = w;
        nout[li] = k;
    }
}

static int weekday_num(const char *s)
{
    static const char *d[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (int i = 0; i < 7; i++)
        if (strcmp(s, d[i]) == 0)
            return i + 1;
    return 0;
}

void flow_ld_triggers(struct ld *L, const cJSON *j, struct flow *f)
{
    static const char *const keys[] = {"command", "keyword", "every", "day",
                                       "at",      "hr",      "event", NULL};
    if (!cJSON_IsArray(j) || cJSON_GetArraySize(j) > 16) {
        ERR(L, "\"triggers\" must be a list of at most 16 triggers");
        return;
    }
    f->triggers = calloc((size_t)cJSON_GetArraySize(j) + 1, sizeof(*f->triggers));
    if (!f->triggers)
        return;
    for (const cJSON *c = j->child; c; c = c->next) {
        struct flow_trigger *t = &f->triggers[f->ntriggers];
        if (!cJSON_IsObject(c)) {
            ERR(L, "each trigger must be an object");
            continue;
        }
        check_keys(L, c, "a trigger", keys);
        const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(c, "command");
        const cJSON *kw = cJSON_GetObjectItemCaseSensitive(c, "keyword");
        const cJSON *every = cJSON_GetObjectItemCaseSensitive(c, "every");
        const cJSON *hr = cJSON_GetObjectItemCaseSensitive(c, "hr");
        const cJSON *ev = cJSON_GetObjectItemCaseSensitive(c, "event");
        if (!!cmd + !!kw + !!every + !!hr + !!ev != 1) {
            ERR(L, "a trigger is exactly one of command, keyword, every, hr, event");
            continue;
        }
        if (cmd) {
            t->type = FLOW_TRIG_COMMAND;
            const char *w = cJSON_IsString(cmd) ? cmd->valuestring : "";
            size_t n = strlen(w);
            int ok = n >= 1 && n <= 32;
            for (size_t i = 0; i < n; i++)
                if (!(islower((unsigned char)w[i]) || isdigit((unsigned char)w[i]) || w[i] == '_'))
                    ok = 0;
            if (!ok)
                ERR(L, "command must be 1-32 characters of a-z 0-9 _ (without the /)");
            bb_strlcpy(t->word, w, sizeof(t->word));
        } else if (kw) {
            t->type = FLOW_TRIG_KEYWORD;
            flow_ld_words(L, kw, t->keywords, t->nkeywords, "keyword trigger");
        } else if (every) {
            t->type = FLOW_TRIG_SCHEDULE;
            const cJSON *day = cJSON_GetObjectItemCaseSensitive(c, "day");
            const cJSON *at = cJSON_GetObjectItemCaseSensitive(c, "at");
            const char *e = cJSON_IsString(every) ? every->valuestring : "";
            bb_strlcpy(t->every, e, sizeof(t->every));
            if (!cJSON_IsString(at) || parse_hhmm(at->valuestring, &t->at_min) != 0)
                ERR(L, "a schedule trigger needs \"at\": \"HH:MM\" (local time)");
            if (strcmp(e, "day") == 0) {
                if (day)
                    ERR(L, "a daily schedule has no \"day\"");
            } else if (strcmp(e, "week") == 0) {
                t->day = cJSON_IsString(day) ? weekday_num(day->valuestring) : 0;
                if (!t->day)
                    ERR(L, "a weekly schedule needs \"day\": mon, tue, wed, thu, fri, sat or sun");
            } else if (strcmp(e, "month") == 0) {
                if (!cJSON_IsNumber(day) || day->valuedouble < 1 || day->valuedouble > 28)
                    ERR(L, "a monthly schedule needs \"day\": 1 to 28");
                else
                    t->day = (int)day->valuedouble;
            } else {
                ERR(L, "\"every\" must be day, week or month");
            }
        } else if (hr) {
            t->type = FLOW_TRIG_HR;
            if (!cJSON_IsTrue(hr))
                ERR(L, "\"hr\" trigger must be true");
        } else {
            t->type = FLOW_TRIG_EVENT;
            if (!cJSON_IsString(ev) || !valid_name(ev->valuestring) ||
                strlen(ev->valuestring) >= sizeof(t->word))
                ERR(L,
                    "\"event\" must name an event (at most %d characters), e.g. "
                    "\"first_contact\"",
                    (int)sizeof(t->word) - 1);
            else
                bb_strlcpy(t->word, ev->valuestring, sizeof(t->word));
        }
        f->ntriggers++;
    }
}

/* ---- the node graph ---------------------------------------------------------- */

static void check_graph(struct ld *L, const struct flow *f)
{
    int n = f->nnodes;
    char *seen = calloc((size_t)n + 1, 1);
    int *stack = calloc((size_t)n + 1, sizeof(int));
    char *color = calloc((size_t)n + 1, 1);
    int *iter = calloc((size_t)n + 1, sizeof(int));
    if (!seen || !stack || !color || !iter)
        goto out;

    /* Reachability from start. */
    int top = 0;
    if (f->start >= 0) {
        stack[top++] = f->start;
        seen[f->start] = 1;
    }
    if (f->on_cancel >= 0 && !seen[f->on_cancel]) { /* a second way in: /batal */
        stack[top++] = f->on_cancel;
        seen[f->on_cancel] = 1;
    }
    while (top > 0) {
        const struct flow_node *nd = &f->nodes[stack[--top]];
        for (int k = -1; k < nd->nnext; k++) {
            int t = k < 0 ? nd->retry_else : nd->next[k].target;
            if (t >= 0 && !seen[t]) {
                seen[t] = 1;
                stack[top++] = t;
            }
        }
    }
    for (int i = 0; i < n; i++)
        if (!seen[i]) {
            L->node = f->nodes[i].name;
            ERR(L, "unreachable: no path from the start node \"%s\" leads here",
                f->start >= 0 ? f->nodes[f->start].name : "?");
            L->node = NULL;
        }

    /* A loop of nodes none of which waits for the person (ask, wait, call
     * count as waiting) would spin forever: iterative DFS for a back edge. */
    for (int s = 0; s < n; s++) {
        if (color[s])
            continue;
        top = 0;
        stack[top++] = s;
        color[s] = 1;
        iter[s] = 0;
        while (top > 0) {
            int u = stack[top - 1];
            const struct flow_node *nd = &f->nodes[u];
            int waits = nd->kind == FLOW_NODE_ASK || nd->kind == FLOW_NODE_WAIT ||
                        nd->kind == FLOW_NODE_CALL;
            if (waits || iter[u] >= nd->nnext) {
                color[u] = 2;
                top--;
                continue;
            }
            int v = nd->next[iter[u]++].target;
            if (v < 0)
                continue;
            if (color[v] == 1) {
                L->node = f->nodes[v].name;
                ERR(L,
                    "loop without a question: \"%s\" leads back here and nothing on the way "
                    "waits for the person",
                    nd->name);
                L->node = NULL;
            } else if (color[v] == 0) {
                color[v] = 1;
                iter[v] = 0;
                stack[top++] = v;
            }
        }
    }
out:
    free(seen);
    free(stack);
    free(color);
    free(iter);
}

void flow_ld_check_flow(struct ld *L, const struct flow *f)
{
    check_graph(L, f);
    for (int i = 0; i < f->nnodes; i++) {
        L->node = f->nodes[i].name;
        warn_placeholders(L, f, &f->nodes[i].say);
        warn_placeholders(L, f, &f->nodes[i].ask);
        for (int a = 0; a < f->nodes[i].nacts; a++)
            warn_placeholders(L, f, &f->nodes[i].acts[a].text);
    }
    L->node = NULL;
}
