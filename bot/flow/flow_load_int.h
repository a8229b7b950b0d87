/*
 * flow_load_int.h - what the flow loader's two files share: flow_load.c
 * (the flow object, nodes, inputs, actions) and flow_check.c (triggers,
 * the node graph, placeholders, JSON syntax errors, the diagnostics list).
 * For those two files only; everyone else uses flow.h.
 *
 * Every problem is reported through one loading context, struct ld, which
 * knows the file, flow and node being read (flow_check.c collects them).
 */
#ifndef FLOW_LOAD_INT_H
#define FLOW_LOAD_INT_H

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bot/flow/flow.h"

/* The loading context: where we are, for diagnostics. */
struct ld {
    struct flow_diags *d;
    const struct flow_actions *acts; /* what "do" may name */
    const char *file;
    struct flow *f;
    const char *node; /* current node name or NULL */
    int errors;
    const char *src; /* the file's text and its parsed JSON: where a text */
    size_t len;      /* stands (line:column) for the register check */
    const cJSON *root;
};

/* ---- flow_check.c ---------------------------------------------------------- */

/* Report a problem where L stands; warnings do not fail the flow. */
__attribute__((format(printf, 3, 4))) void flow_ld_diag(struct ld *L, int warning, const char *fmt,
                                                        ...);
#define ERR(L, ...)  flow_ld_diag((L), 0, __VA_ARGS__)
#define WARN(L, ...) flow_ld_diag((L), 1, __VA_ARGS__)

/* The register of an Indonesian text (str, a JSON string of the file):
 * formal (casual 0) or the casual variant "id_santai" (casual 1); a fault
 * is an error at the word's line:column (flow_register_fault). */
void flow_ld_check_register(struct ld *L, const cJSON *str, int casual, const char *what);
/* {{name}} placeholders in s: well formed, with valid names. */
void flow_ld_check_placeholders(struct ld *L, const char *s, const char *what);
/* The language of member c of a per-language object: its index, or -1 for a
 * comment key (passed over) or an unknown language (reported, hint after). */
int flow_ld_lang_of(struct ld *L, const cJSON *c, const char *what, const char *hint);
/* A list of words per language: {"id": ["a", "b"], "en": [...]}. Folded. */
void flow_ld_words(struct ld *L, const cJSON *j, char **out[FLOW_NLANG], int nout[FLOW_NLANG],
                   const char *what);
/* The "triggers" list of a flow into f->triggers. */
void flow_ld_triggers(struct ld *L, const cJSON *j, struct flow *f);
/* The checks of a flow whose nodes parsed without errors: every node
 * reachable, no loop that never waits for the person, {{placeholders}} that
 * nothing sets (warnings). */
void flow_ld_check_flow(struct ld *L, const struct flow *f);
/* Where a JSON syntax error really is (cJSON may report one character too
 * far), and the diagnostic g made exact: its line:column and a short quote
 * of the text there (what says what was found when nothing is left). */
const char *flow_ld_json_fixup(const char *src, const char *at);
void flow_ld_json_locate(struct flow_diag *g, const char *src, size_t len, const char *at,
                         const char *what);

/* ---- small shared checks --------------------------------------------------- */

static inline int is_comment_key(const char *k)
{
    return k[0] == '_' || k[0] == '$';
}

static inline int valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= FLOW_NAME_MAX || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
            return 0;
    return 1;
}

static inline int parse_hhmm(const char *s, int *min)
{
    if (strlen(s) != 5 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
        s[2] != ':' || !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return -1;
    *min = h * 60 + m;
    return 0;
}

static inline void words_free(char **w, int n)
{
    for (int i = 0; i < n; i++)
        free(w[i]);
    free(w);
}

/* Report keys not in allowed (a NULL-terminated list) and duplicate keys. */
static inline void check_keys(struct ld *L, const cJSON *obj, const char *what,
                              const char *const *allowed)
{
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (!c->string)
            continue;
        for (const cJSON *e = obj->child; e != c; e = e->next)
            if (e->string && strcmp(e->string, c->string) == 0) {
                ERR(L, "duplicate key \"%s\" in %s", c->string, what);
                break;
            }
        if (is_comment_key(c->string))
            continue;
        int ok = 0;
        for (int i = 0; allowed[i]; i++)
            if (strcmp(allowed[i], c->string) == 0)
                ok = 1;
        if (!ok)
            ERR(L, "unknown key \"%s\" in %s", c->string, what);
    }
}

#endif
