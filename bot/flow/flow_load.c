/*
 * flow_load.c - parse a flow's JSON into the compiled form of flow.h and
 * validate it: every error is collected (not just the first) with the file,
 * flow and node it is in, so `bimbing flows check` can show them all. The
 * flow object, nodes, inputs and actions are read here; triggers, the node
 * graph, placeholders and JSON error positions are flow_check.c's.
 *
 * Rules checked here: JSON syntax (line:column), unknown keys, types,
 * missing translations, {{variable}} syntax, node references, unreachable
 * nodes, loops that never wait for input, bad expressions, PCRE2 patterns
 * that do not compile, duplicate ids (nodes, options, keys), option labels
 * too long for a button (FLOW_LABEL_MAX, and the channels' limits set with
 * flow_set_label_limits), durations and times.
 * Cross-flow rules live in flow_lib.c.
 *
 * Pure: reads only its arguments and the label limits set once at
 * start-up (flow_load_file reads the one file). Any thread. The returned flow is owned by the
 * caller (flow_free).
 */
#include "bot/flow/flow.h"
#include "bot/flow/flow_load_int.h"
#include "bot/base/bb.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pcre2.h>

/* ---- freeing -------------------------------------------------------------- */

static void text_free(struct flow_text *t)
{
    for (int i = 0; i < FLOW_NLANG; i++) {
        free(t->t[i]);
        t->t[i] = NULL;
    }
    free(t->casual);
    t->casual = NULL;
}

static void input_free(struct flow_input *in)
{
    free(in->pattern);
    if (in->re)
        pcre2_code_free(in->re);
    for (int i = 0; i < in->nopts; i++) {
        struct flow_option *o = &in->opts[i];
        text_free(&o->label);
        for (int l = 0; l < FLOW_NLANG; l++) {
            for (int k = 0; k < o->nsyn[l]; k++)
                free(o->syn[l][k]);
            free(o->syn[l]);
        }
    }
    free(in->opts);
}

static void node_free(struct flow_node *n)
{
    for (int i = 0; i < n->nsets; i++)
        expr_free(n->sets[i].value);
    free(n->sets);
    for (int i = 0; i < n->nacts; i++) {
        cJSON_Delete(n->acts[i].args);
        expr_free(n->acts[i].value);
        text_free(&n->acts[i].text);
    }
    free(n->acts);
    text_free(&n->say);
    text_free(&n->ask);
    text_free(&n->retry_say);
    input_free(&n->input);
    for (int i = 0; i < n->nnext; i++)
        expr_free(n->next[i].cond);
    free(n->next);
}

void flow_free(struct flow *f)
{
    if (!f)
        return;
    text_free(&f->title);
    text_free(&f->remind);
    text_free(&f->expired);
    for (int i = 0; i < f->ntriggers; i++)
        for (int l = 0; l < FLOW_NLANG; l++)
            words_free(f->triggers[i].keywords[l], f->triggers[i].nkeywords[l]);
    free(f->triggers);
    for (int i = 0; i < f->nnodes; i++)
        node_free(&f->nodes[i]);
    free(f->nodes);
    free(f->source);
    free(f);
}

int flow_node_index(const struct flow *f, const char *name)
{
    for (int i = 0; i < f->nnodes; i++)
        if (strcmp(f->nodes[i].name, name) == 0)
            return i;
    return -1;
}

/* ---- small validators ----------------------------------------------------- */

static int valid_flow_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= FLOW_ID_MAX || !islower((unsigned char)s[0]))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_' ||
              s[i] == '.' || s[i] == '-'))
            return 0;
    return 1;
}

static int valid_opt_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= FLOW_OPT_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_' ||
              s[i] == '-'))
            return 0;
    return 1;
}

/* The casual variant of a text's Indonesian ("id_santai"). */
static void parse_casual(struct ld *L, const cJSON *c, struct flow_text *t, const char *what,
                         int casual_ok)
{
    if (!casual_ok) {
        ERR(L, "%s: no \"%s\" here (labels and titles are the same in every register)", what,
            FLOW_CASUAL_KEY);
        return;
    }
    if (t->casual) {
        ERR(L, "%s: language \"%s\" given twice", what, FLOW_CASUAL_KEY);
        return;
    }
    if (!cJSON_IsString(c) || !c->valuestring[0] || strlen(c->valuestring) > FLOW_TEXT_MAX) {
        ERR(L, "%s: the \"%s\" text must be a non-empty string of at most %d bytes", what,
            FLOW_CASUAL_KEY, FLOW_TEXT_MAX);
        return;
    }
    flow_ld_check_placeholders(L, c->valuestring, what);
    flow_ld_check_register(L, c, 1, what);
    t->casual = strdup(c->valuestring);
    if (!t->casual)
        ERR(L, "out of memory");
}

/* A text in every language; casual_ok: it may carry a casual variant
 * ("id_santai": not option labels and titles, which are matched and listed
 * as they are). Every Indonesian text is checked for its register. */
static int parse_text(struct ld *L, const cJSON *j, struct flow_text *t, const char *what,
                      int casual_ok)
{
    int given[FLOW_NLANG] = {0}; /* reported already: no "missing" on top */
    memset(t, 0, sizeof(*t));
    if (!cJSON_IsObject(j)) {
        ERR(L,
            "%s must be an object with a text per language, e.g. {\"id\": \"...\", \"en\": "
            "\"...\"}",
            what);
        return -1;
    }
    for (const cJSON *c = j->child; c; c = c->next) {
        if (c->string && strcmp(c->string, FLOW_CASUAL_KEY) == 0) {
            parse_casual(L, c, t, what, casual_ok);
            continue;
        }
        int li =
            flow_ld_lang_of(L, c, what, casual_ok ? " (use id, en, id_santai)" : " (use id, en)");
        if (li < 0)
            continue;
        if (!cJSON_IsString(c)) {
            ERR(L, "%s: the \"%s\" text must be a string", what, c->string);
            given[li] = 1;
            continue;
        }
        if (t->t[li] || given[li]) {
            ERR(L, "%s: language \"%s\" given twice", what, c->string);
            continue;
        }
        size_t n = strlen(c->valuestring);
        given[li] = 1;
        if (n == 0) {
            ERR(L, "%s: the \"%s\" text is empty", what, c->string);
            continue;
        }
        if (n > FLOW_TEXT_MAX) {
            ERR(L, "%s: the \"%s\" text is over %d bytes", what, c->string, FLOW_TEXT_MAX);
            continue;
        }
        flow_ld_check_placeholders(L, c->valuestring, what);
        if (li == 0)
            flow_ld_check_register(L, c, 0, what);
        t->t[li] = strdup(c->valuestring);
        if (!t->t[li]) {
            ERR(L, "out of memory");
            return -1;
        }
    }
    if (casual_ok && L->acts && L->acts->casual && t->t[0] && !t->casual &&
        flow_register_formal(t->t[0]))
        ERR(L,
            "%s: this instance allows the casual register (\"register\": \"santai\"), so a "
            "text that says \"Anda\" or uses {{sapaan}} needs its casual variant \"%s\"",
            what, FLOW_CASUAL_KEY);
    for (int i = 0; i < FLOW_NLANG; i++)
        if (!t->t[i] && !given[i])
            ERR(L, "%s: missing translation \"%s\"", what, flow_langs[i]);
    return 0;
}

static int parse_duration_field(struct ld *L, const cJSON *j, const char *what, int64_t *out)
{
    if (cJSON_IsNumber(j) && j->valuedouble >= 0 && j->valuedouble <= 3.2e9) {
        *out = (int64_t)j->valuedouble;
        return 0;
    }
    if (!cJSON_IsString(j) || bb_parse_duration(j->valuestring, out) != BB_OK) {
        ERR(L, "%s: bad duration (use e.g. \"90s\", \"15m\", \"4h\", \"2d\", \"1w\")", what);
        return -1;
    }
    return 0;
}

static struct expr *compile_expr(struct ld *L, const char *src, const char *what)
{
    struct expr *e = NULL;
    char err[200];
    if (expr_compile(src, &e, err, sizeof(err)) != BB_OK) {
        ERR(L, "%s: bad expression \"%.60s\": %s", what, src, err);
        return NULL;
    }
    return e;
}

/* ---- inputs --------------------------------------------------------------- */

#define SYN_MAX 20 /* words per list, the NULL included */
static const char *yes_syn[FLOW_NLANG][SYN_MAX] = {
    {"ya", "iya", "y", "yes", "ok", "oke", "boleh", "mau", "betul", "benar", "setuju", "ada", NULL},
    {"yes", "y", "yeah", "yep", "ok", "okay", "sure", "ya", "iya", NULL},
};
static const char *no_syn[FLOW_NLANG][SYN_MAX] = {
    {"tidak", "tdk", "ga", "gak", "nggak", "enggak", "ngga", "no", "n", "tak", "belum", "tidak ada",
     "nggak ada", "gak ada", "ga ada", "belum ada", NULL},
    {"no", "n", "nope", "nah", "not now", "tidak", "gak", "none", "nothing", NULL},
};

static int add_syns(struct flow_option *o, int lang, const char *const *words)
{
    int n = 0;
    while (n < SYN_MAX && words[n])
        n++;
    o->syn[lang] = calloc((size_t)n + 1, sizeof(char *));
    if (!o->syn[lang])
        return -1;
    for (int i = 0; i < n; i++) {
        o->syn[lang][i] = strdup(words[i]);
        if (!o->syn[lang][i])
            return -1;
        o->nsyn[lang]++;
    }
    return 0;
}

static int set_label(struct flow_text *t, int lang, const char *s)
{
    free(t->t[lang]);
    t->t[lang] = strdup(s);
    return t->t[lang] ? 0 : -1;
}

/* The channels' label limits, in increasing max_opts; set before threads. */
static struct flow_label_limit label_limits[FLOW_LABEL_LIMITS_MAX];
static int nlabel_limits;

void flow_set_label_limits(const struct flow_label_limit *v, int n)
{
    nlabel_limits = 0;
    for (int i = 0; i < n && nlabel_limits < FLOW_LABEL_LIMITS_MAX; i++) {
        int k = nlabel_limits++;
        while (k > 0 && label_limits[k - 1].max_opts > v[i].max_opts) {
            label_limits[k] = label_limits[k - 1];
            k--;
        }
        label_limits[k] = v[i];
    }
}

static void check_labels(struct ld *L, const struct flow_input *in)
{
    for (int i = 0; i < in->nopts; i++) {
        for (int l = 0; l < FLOW_NLANG; l++) {
            const char *lab = in->opts[i].label.t[l];
            if (!lab)
                continue;
            size_t n = bb_utf8_len(lab);
            if (n > FLOW_LABEL_MAX) {
                ERR(L, "option \"%s\": label \"%s\" is %zu characters; a button holds at most %d",
                    in->opts[i].id, lab, n, FLOW_LABEL_MAX);
                continue;
            }
            for (int k = 0; k < nlabel_limits; k++) {
                const struct flow_label_limit *lim = &label_limits[k];
                if (in->nopts > lim->max_opts || n <= (size_t)lim->max_chars)
                    continue;
                ERR(L, "option \"%s\": label \"%s\" is %zu characters; %s holds %d", in->opts[i].id,
                    lab, n, lim->what, lim->max_chars);
                break;
            }
        }
    }
}

static int parse_options(struct ld *L, const cJSON *arr, struct flow_input *in)
{
    static const char *const okeys[] = {"id", "label", "synonyms", NULL};
    int n = cJSON_GetArraySize(arr);
    if (!cJSON_IsArray(arr) || n < 1 || n > FLOW_MAX_OPTS) {
        ERR(L, "input.options must be a list of 1 to %d options", FLOW_MAX_OPTS);
        return -1;
    }
    in->opts = calloc((size_t)n, sizeof(*in->opts));
    if (!in->opts)
        return -1;
    for (const cJSON *o = arr->child; o; o = o->next) {
        struct flow_option *op = &in->opts[in->nopts];
        if (!cJSON_IsObject(o)) {
            ERR(L, "each option must be an object with an id and a label");
            continue;
        }
        check_keys(L, o, "an option", okeys);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
        if (!cJSON_IsString(id) || !valid_opt_id(id->valuestring)) {
            ERR(L, "option id must be 1-%d characters of a-z 0-9 _ -", FLOW_OPT_ID_MAX - 1);
            continue;
        }
        for (int k = 0; k < in->nopts; k++)
            if (strcmp(in->opts[k].id, id->valuestring) == 0)
                ERR(L, "duplicate option id \"%s\"", id->valuestring);
        bb_strlcpy(op->id, id->valuestring, sizeof(op->id));
        char what[96];
        bb_snprintf(what, sizeof(what), "label of option \"%s\"", op->id);
        parse_text(L, cJSON_GetObjectItemCaseSensitive(o, "label"), &op->label, what, 0);
        const cJSON *syn = cJSON_GetObjectItemCaseSensitive(o, "synonyms");
        if (syn)
            flow_ld_words(L, syn, op->syn, op->nsyn, "option synonyms");
        op->value = in->nopts + 1;
        in->nopts++;
    }
    return 0;
}

/* An optional date bound key of a date input, in days from today: *has and
 * *days set when it is given and valid, reported when it is not. */
static void date_bound(struct ld *L, const cJSON *j, const char *key, int *has, int *days)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    if (!v)
        return;
    if (!cJSON_IsNumber(v) || fabs(v->valuedouble) > 3650) {
        ERR(L, "input.%s must be a number of days from today (-3650..3650)", key);
        return;
    }
    *has = 1;
    *days = (int)v->valuedouble;
}

/* Each quick answer of a date or duration input ("Hari ini", "1 jam") must
 * be an answer to it in every language, as if typed (a date's bounds
 * aside: they move with the day). */
static void check_quick_answers(struct ld *L, const struct flow_input *in)
{
    struct flow_input probe = *in;
    probe.nopts = 0;
    probe.has_date_min = probe.has_date_max = 0;
    for (int i = 0; i < in->nopts; i++)
        for (int l = 0; l < FLOW_NLANG; l++) {
            const char *lab = in->opts[i].label.t[l];
            struct expr_val v;
            int opt;
            if (!lab)
                continue;
            if (flow_input_parse(&probe, lab, l, 0, 0, &v, &opt) != BB_OK)
                ERR(L, "option \"%s\": the label \"%s\" (%s) is not a %s this input takes",
                    in->opts[i].id, lab, flow_langs[l],
                    in->type == FLOW_IN_DATE ? "date" : "duration");
            expr_val_clear(&v);
        }
}

static int parse_input(struct ld *L, const cJSON *j, struct flow_input *in)
{
    static const char *const keys[] = {"type",    "min",          "max",      "integer",  "pattern",
                                       "options", "labels",       "min_days", "max_days", "day_jp",
                                       "moods",   "options_from", NULL};
    memset(in, 0, sizeof(*in));
    if (!cJSON_IsObject(j)) {
        ERR(L, "an ask needs \"input\": {\"type\": ...}");
        return -1;
    }
    check_keys(L, j, "input", keys);
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(j, "type");
    const char *t = cJSON_IsString(type) ? type->valuestring : "";
    const cJSON *min = cJSON_GetObjectItemCaseSensitive(j, "min");
    const cJSON *max = cJSON_GetObjectItemCaseSensitive(j, "max");
    if (min && !cJSON_IsNumber(min))
        ERR(L, "input.min must be a number");
    if (max && !cJSON_IsNumber(max))
        ERR(L, "input.max must be a number");
    /* Every bound fits an int (scale points, text lengths are cast below);
     * 1e9 is far above any sensible bound and far below INT_MAX. */
    if (cJSON_IsNumber(min) && !(fabs(min->valuedouble) <= 1e9)) {
        ERR(L, "input.min must be between -1000000000 and 1000000000");
        return -1;
    }
    if (cJSON_IsNumber(max) && !(fabs(max->valuedouble) <= 1e9)) {
        ERR(L, "input.max must be between -1000000000 and 1000000000");
        return -1;
    }
    in->has_min = cJSON_IsNumber(min);
    in->has_max = cJSON_IsNumber(max);
    in->min = in->has_min ? min->valuedouble : 0;
    in->max = in->has_max ? max->valuedouble : 0;
    if (in->has_min && in->has_max && in->min > in->max)
        ERR(L, "input.min is greater than input.max");

    if (strcmp(t, "text") == 0) {
        in->type = FLOW_IN_TEXT;
        in->minlen = in->has_min ? (int)in->min : 1;
        in->maxlen = in->has_max ? (int)in->max : 1000;
        if (in->minlen < 0 || in->maxlen < 1 || in->maxlen > FLOW_VAR_MAX / 4)
            ERR(L, "text input: min must be >= 0 and max 1..%d characters", FLOW_VAR_MAX / 4);
        const cJSON *pat = cJSON_GetObjectItemCaseSensitive(j, "pattern");
        if (pat) {
            int errcode;
            PCRE2_SIZE erroff;
            if (!cJSON_IsString(pat) || !pat->valuestring[0]) {
                ERR(L, "input.pattern must be a non-empty string");
            } else {
                in->pattern = strdup(pat->valuestring);
                pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat->valuestring, PCRE2_ZERO_TERMINATED,
                                               PCRE2_UTF | PCRE2_UCP, &errcode, &erroff, NULL);
                if (!re) {
                    PCRE2_UCHAR msg[160];
                    pcre2_get_error_message(errcode, msg, sizeof(msg));
                    ERR(L, "input.pattern does not compile at offset %zu: %s", (size_t)erroff,
                        (const char *)msg);
                } else {
                    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* best effort */
                    in->re = re;
                }
            }
        }
    } else if (strcmp(t, "number") == 0) {
        in->type = FLOW_IN_NUMBER;
        const cJSON *integer = cJSON_GetObjectItemCaseSensitive(j, "integer");
        if (integer && !cJSON_IsBool(integer))
            ERR(L, "input.integer must be true or false");
        in->integer = cJSON_IsTrue(integer);
    } else if (strcmp(t, "choice") == 0) {
        in->type = FLOW_IN_CHOICE;
        const cJSON *from = cJSON_GetObjectItemCaseSensitive(j, "options_from");
        const cJSON *fixed = cJSON_GetObjectItemCaseSensitive(j, "options");
        if (from) {
            if (!cJSON_IsString(from) || !valid_name(from->valuestring))
                ERR(L, "input.options_from must be a variable name (letters, digits, _)");
            else
                bb_strlcpy(in->options_from, from->valuestring, sizeof(in->options_from));
        }
        if (!from || fixed)
            parse_options(L, fixed, in);
    } else if (strcmp(t, "scale") == 0) {
        in->type = FLOW_IN_SCALE;
        if (!in->has_min || !in->has_max || in->min != (int)in->min || in->max != (int)in->max ||
            in->max - in->min > 10 || in->max <= in->min) {
            ERR(L, "scale input needs whole-number min and max, 2 to 11 points apart");
            return -1;
        }
        int n = (int)(in->max - in->min) + 1;
        in->opts = calloc((size_t)n, sizeof(*in->opts));
        if (!in->opts)
            return -1;
        const cJSON *labels = cJSON_GetObjectItemCaseSensitive(j, "labels");
        if (labels && !cJSON_IsObject(labels))
            ERR(L, "scale labels must be {\"id\": [...], \"en\": [...]}");
        for (int i = 0; i < n; i++) {
            struct flow_option *o = &in->opts[i];
            int v = (int)in->min + i;
            bb_snprintf(o->id, sizeof(o->id), "%d", v);
            o->value = v;
            in->nopts++;
            for (int l = 0; l < FLOW_NLANG; l++) {
                const cJSON *arr =
                    labels ? cJSON_GetObjectItemCaseSensitive(labels, flow_langs[l]) : NULL;
                char lab[FLOW_LABEL_MAX * 4 + 16];
                if (arr) {
                    const cJSON *s = cJSON_GetArrayItem(arr, i);
                    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) != n) {
                        if (i == 0)
                            ERR(L, "scale labels \"%s\" must list exactly %d labels", flow_langs[l],
                                n);
                        bb_snprintf(lab, sizeof(lab), "%d", v);
                    } else if (!cJSON_IsString(s) || !s->valuestring[0] ||
                               strlen(s->valuestring) > FLOW_LABEL_MAX * 4) {
                        ERR(L, "scale label %d (%s) must be a short non-empty string", i + 1,
                            flow_langs[l]);
                        bb_snprintf(lab, sizeof(lab), "%d", v);
                    } else {
                        char folded[FLOW_LABEL_MAX * 4 + 1];
                        if (l == 0)
                            flow_ld_check_register(L, s, 0, "scale labels");
                        bb_snprintf(lab, sizeof(lab), "%d %s", v, s->valuestring);
                        if (bb_fold(s->valuestring, folded, sizeof(folded)) == BB_OK) {
                            const char *w[2] = {folded, NULL};
                            words_free(o->syn[l], o->nsyn[l]);
                            o->syn[l] = NULL;
                            o->nsyn[l] = 0;
                            add_syns(o, l, w);
                        }
                    }
                } else {
                    if (labels && i == 0)
                        ERR(L, "scale labels: missing translation \"%s\"", flow_langs[l]);
                    bb_snprintf(lab, sizeof(lab), "%d", v);
                }
                set_label(&o->label, l, lab);
            }
        }
    } else if (strcmp(t, "yesno") == 0) {
        in->type = FLOW_IN_YESNO;
        in->opts = calloc(2, sizeof(*in->opts));
        if (!in->opts)
            return -1;
        static const char *defl[2][FLOW_NLANG] = {{"Ya", "Yes"}, {"Tidak", "No"}};
        const cJSON *labels = cJSON_GetObjectItemCaseSensitive(j, "labels");
        for (int i = 0; i < 2; i++) {
            struct flow_option *o = &in->opts[i];
            bb_strlcpy(o->id, i == 0 ? "yes" : "no", sizeof(o->id));
            o->value = i == 0 ? 1 : 0;
            in->nopts++;
            for (int l = 0; l < FLOW_NLANG; l++) {
                const cJSON *arr =
                    labels ? cJSON_GetObjectItemCaseSensitive(labels, flow_langs[l]) : NULL;
                const cJSON *s = arr ? cJSON_GetArrayItem(arr, i) : NULL;
                if (labels && (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) != 2 ||
                               !cJSON_IsString(s) || !s->valuestring[0])) {
                    if (i == 0)
                        ERR(L, "yesno labels \"%s\" must be [\"yes label\", \"no label\"]",
                            flow_langs[l]);
                    s = NULL;
                }
                set_label(&o->label, l, s ? s->valuestring : defl[i][l]);
                add_syns(o, l, i == 0 ? yes_syn[l] : no_syn[l]);
            }
        }
    } else if (strcmp(t, "date") == 0) {
        in->type = FLOW_IN_DATE;
        date_bound(L, j, "min_days", &in->has_date_min, &in->date_min_days);
        date_bound(L, j, "max_days", &in->has_date_max, &in->date_max_days);
    } else if (strcmp(t, "duration") == 0) {
        in->type = FLOW_IN_DURATION;
        in->day_minutes = FLOW_DAY_JP * FLOW_JP_MINUTES;
        const cJSON *dj = cJSON_GetObjectItemCaseSensitive(j, "day_jp");
        if (dj && (!cJSON_IsNumber(dj) || dj->valuedouble != (int)dj->valuedouble ||
                   dj->valuedouble < 1 || dj->valuedouble > 24))
            ERR(L, "input.day_jp must be a whole number of JP in a day, 1 to 24");
        else if (dj)
            in->day_minutes = (int)dj->valuedouble * FLOW_JP_MINUTES;
        if ((in->has_min && in->min < 1) || (in->has_max && in->max > 1000000))
            ERR(L, "duration input: min and max are minutes, 1 to 1000000");
    } else {
        ERR(L, "unknown input type \"%s\" (text, number, choice, scale, yesno, date, duration)", t);
        return -1;
    }
    if (in->type != FLOW_IN_DURATION && cJSON_GetObjectItemCaseSensitive(j, "day_jp"))
        ERR(L, "input.day_jp is only for duration inputs");
    const cJSON *moods = cJSON_GetObjectItemCaseSensitive(j, "moods");
    if (moods && (!cJSON_IsBool(moods) || in->type != FLOW_IN_SCALE))
        ERR(L, "input.moods (true or false) is only for scale inputs");
    in->moods = cJSON_IsTrue(moods);
    if (in->type == FLOW_IN_DATE || in->type == FLOW_IN_DURATION) {
        /* quick answers: buttons whose labels are answers themselves */
        const cJSON *qo = cJSON_GetObjectItemCaseSensitive(j, "options");
        if (qo && parse_options(L, qo, in) == 0)
            check_quick_answers(L, in);
    } else if (in->type != FLOW_IN_CHOICE && cJSON_GetObjectItemCaseSensitive(j, "options_from")) {
        ERR(L, "input.options_from is only for choice inputs");
    } else if (in->type != FLOW_IN_CHOICE && cJSON_GetObjectItemCaseSensitive(j, "options")) {
        ERR(L, "input.options is only for choice inputs, and quick answers of date and "
               "duration inputs");
    }
    if (in->nopts)
        check_labels(L, in);
    return 0;
}

/* ---- actions -------------------------------------------------------------- */

/* The rows come from the caller (struct flow_actions, flow.h): the modules
 * that carry the actions out declare their arguments beside their handlers. */
const struct flow_action_def *flow_actions_find(const struct flow_actions *acts, const char *name)
{
    const struct flow_action_def *def;
    if (!acts || !acts->row)
        return NULL;
    for (int i = 0; (def = acts->row(acts->ctx, i)) != NULL; i++)
        if (strcmp(def->name, name) == 0)
            return def;
    return NULL;
}

/* "a, b, c or d" of a row's name_values. */
static void join_values(const struct flow_action_def *def, char *out, size_t n)
{
    int count = 0;
    out[0] = '\0';
    while (count < FLOW_ACTION_VALUES - 1 && def->name_values[count])
        count++;
    for (int i = 0; i < count; i++) {
        size_t len = strlen(out);
        bb_snprintf(out + len, n - len, "%s%s",
                    i == 0           ? ""
                    : i == count - 1 ? " or "
                                     : ", ",
                    def->name_values[i]);
    }
}

static void parse_action(struct ld *L, const cJSON *j, struct flow_action *a)
{
    memset(a, 0, sizeof(*a));
    if (!cJSON_IsObject(j) || !j->child) {
        ERR(L, "each item of \"do\" must be an object naming an action");
        return;
    }
    const struct flow_action_def *def = NULL;
    for (int i = 0; L->acts && L->acts->row && !def; i++) {
        const struct flow_action_def *row = L->acts->row(L->acts->ctx, i);
        if (!row)
            break;
        if (cJSON_GetObjectItemCaseSensitive(j, row->name))
            def = row;
    }
    a->def = def;
    if (!def) {
        ERR(L, "unknown action \"%s\"", j->child->string ? j->child->string : "?");
        return;
    }
    const char *keys[8] = {def->name};
    for (int k = 0; k < FLOW_ACTION_KEYS && def->keys[k]; k++)
        keys[k + 1] = def->keys[k];
    char what[48];
    bb_snprintf(what, sizeof(what), "action \"%s\"", def->name);
    check_keys(L, j, what, keys);
    a->args = cJSON_Duplicate(j, 1);

    const cJSON *nv = cJSON_GetObjectItemCaseSensitive(j, def->name);
    if (def->name_kind == 's' && (!cJSON_IsString(nv) || !nv->valuestring[0]))
        ERR(L, "%s: \"%s\" must name what to %s (a string)", what, def->name, def->name);
    if (def->name_kind == 'e') {
        if (!cJSON_IsString(nv))
            ERR(L, "%s: \"%s\" must be an expression (a string)", what, def->name);
        else
            a->value = compile_expr(L, nv->valuestring, what);
        bb_strlcpy(a->value_key, def->name, sizeof(a->value_key));
    }
    if (def->name_values[0] && cJSON_IsString(nv)) {
        int known = 0;
        for (int k = 0; k < FLOW_ACTION_VALUES && def->name_values[k] && !known; k++)
            known = strcmp(nv->valuestring, def->name_values[k]) == 0;
        if (!known) {
            char list[160];
            join_values(def, list, sizeof(list));
            ERR(L, "%s: %s %s, not \"%s\"", what, def->name, list, nv->valuestring);
        }
    }
    for (int k = 0; k < FLOW_ACTION_KEYS && def->keys[k]; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, def->keys[k]);
        char kind = def->kinds[k];
        if (!v) {
            if (strstr(def->required, def->keys[k]))
                ERR(L, "%s needs \"%s\"", what, def->keys[k]);
            continue;
        }
        char kw[96];
        bb_snprintf(kw, sizeof(kw), "%s \"%s\"", what, def->keys[k]);
        switch (kind) {
        case 'e':
            bb_strlcpy(a->value_key, def->keys[k], sizeof(a->value_key));
            if (cJSON_IsString(v))
                a->value = compile_expr(L, v->valuestring, kw);
            else if (cJSON_IsBool(v))
                a->value = compile_expr(L, cJSON_IsTrue(v) ? "true" : "false", kw);
            else
                ERR(L, "%s must be an expression", kw);
            break;
        case 't':
            parse_text(L, v, &a->text, kw, 1);
            break;
        case 'f':
            if (!cJSON_IsArray(v)) {
                ERR(L, "%s must be a list of variable names", kw);
                break;
            }
            for (const cJSON *s = v->child; s; s = s->next)
                if (!cJSON_IsString(s) || !valid_name(s->valuestring))
                    ERR(L, "%s: \"%s\" is not a variable name", kw,
                        cJSON_IsString(s) ? s->valuestring : "?");
            break;
        case 'd': {
            int64_t d;
            parse_duration_field(L, v, kw, &d);
            break;
        }
        case 'h': {
            int m;
            if (!cJSON_IsString(v) || parse_hhmm(v->valuestring, &m) != 0)
                ERR(L, "%s must be a time \"HH:MM\"", kw);
            break;
        }
        default:
            break;
        }
    }
}

/* ---- nodes ---------------------------------------------------------------- */

/* Targets are resolved after every node is known: keep names for now. */
struct pending_ref {
    int node;
    int slot; /* index into next[], or -1 for retry_else */
    char name[FLOW_NAME_MAX];
};

struct refs {
    struct pending_ref *v;
    int n, cap;
};

static void add_ref(struct refs *r, int node, int slot, const char *name)
{
    if (r->n == r->cap) {
        int nc = r->cap ? r->cap * 2 : 32;
        struct pending_ref *nv = realloc(r->v, (size_t)nc * sizeof(*nv));
        if (!nv)
            return;
        r->v = nv;
        r->cap = nc;
    }
    r->v[r->n].node = node;
    r->v[r->n].slot = slot;
    bb_strlcpy(r->v[r->n].name, name, sizeof(r->v[r->n].name));
    r->n++;
}

static void parse_next(struct ld *L, const cJSON *j, struct flow_node *n, int idx, struct refs *r,
                       const char *key)
{
    if (cJSON_IsString(j)) {
        n->next = calloc(1, sizeof(*n->next));
        if (!n->next)
            return;
        n->nnext = 1;
        add_ref(r, idx, 0, j->valuestring);
        return;
    }
    if (!cJSON_IsArray(j) || cJSON_GetArraySize(j) < 1 || cJSON_GetArraySize(j) > 32) {
        ERR(L, "\"%s\" must be a node name or a list of {\"if\": ..., \"go\": ...}", key);
        return;
    }
    int cnt = cJSON_GetArraySize(j);
    n->next = calloc((size_t)cnt, sizeof(*n->next));
    if (!n->next)
        return;
    static const char *const keys[] = {"if", "go", NULL};
    int i = 0;
    for (const cJSON *c = j->child; c; c = c->next, i++) {
        if (!cJSON_IsObject(c)) {
            ERR(L, "\"%s\" item %d must be {\"if\": ..., \"go\": ...}", key, i + 1);
            continue;
        }
        check_keys(L, c, key, keys);
        const cJSON *cond = cJSON_GetObjectItemCaseSensitive(c, "if");
        const cJSON *go = cJSON_GetObjectItemCaseSensitive(c, "go");
        if (!cJSON_IsString(go)) {
            ERR(L, "\"%s\" item %d has no \"go\"", key, i + 1);
            continue;
        }
        if (cond) {
            if (!cJSON_IsString(cond))
                ERR(L, "\"%s\" item %d: \"if\" must be an expression string", key, i + 1);
            else
                n->next[n->nnext].cond = compile_expr(L, cond->valuestring, key);
        } else if (c->next) {
            ERR(L, "\"%s\" item %d has no \"if\", so the items after it can never be taken", key,
                i + 1);
        }
        add_ref(r, idx, n->nnext, go->valuestring);
        n->nnext++;
    }
    if (n->nnext > 0 && n->next[n->nnext - 1].cond)
        ERR(L, "the last item of \"%s\" must have no \"if\" (where to go otherwise)", key);
}

static void parse_node(struct ld *L, const cJSON *j, struct flow_node *n, int idx, struct refs *r)
{
    static const char *const keys[] = {"say",  "ask",  "input", "retry", "save",   "set",    "do",
                                       "call", "wait", "end",   "next",  "branch", "result", NULL};
    if (!cJSON_IsObject(j)) {
        ERR(L, "a node must be an object");
        return;
    }
    check_keys(L, j, "this node", keys);
    n->retry_max = 2;
    n->retry_else = FLOW_TARGET_END;

    const cJSON *say = cJSON_GetObjectItemCaseSensitive(j, "say");
    const cJSON *ask = cJSON_GetObjectItemCaseSensitive(j, "ask");
    const cJSON *input = cJSON_GetObjectItemCaseSensitive(j, "input");
    const cJSON *retry = cJSON_GetObjectItemCaseSensitive(j, "retry");
    const cJSON *save = cJSON_GetObjectItemCaseSensitive(j, "save");
    const cJSON *set = cJSON_GetObjectItemCaseSensitive(j, "set");
    const cJSON *act = cJSON_GetObjectItemCaseSensitive(j, "do");
    const cJSON *call = cJSON_GetObjectItemCaseSensitive(j, "call");
    const cJSON *wait = cJSON_GetObjectItemCaseSensitive(j, "wait");
    const cJSON *end = cJSON_GetObjectItemCaseSensitive(j, "end");
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(j, "next");
    const cJSON *branch = cJSON_GetObjectItemCaseSensitive(j, "branch");
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(j, "result");

    if (say) {
        n->has_say = 1;
        parse_text(L, say, &n->say, "say", 1);
    }
    if (set) {
        if (!cJSON_IsObject(set)) {
            ERR(L, "\"set\" must be an object of variable: expression");
        } else {
            int cnt = cJSON_GetArraySize(set);
            n->sets = calloc((size_t)cnt + 1, sizeof(*n->sets));
            for (const cJSON *c = set->child; c && n->sets; c = c->next) {
                if (is_comment_key(c->string))
                    continue;
                if (!valid_name(c->string)) {
                    ERR(L, "set: \"%s\" is not a variable name", c->string);
                    continue;
                }
                char src[64];
                const char *e = NULL;
                if (cJSON_IsString(c))
                    e = c->valuestring;
                else if (cJSON_IsBool(c))
                    e = cJSON_IsTrue(c) ? "true" : "false";
                else if (cJSON_IsNumber(c) &&
                         bb_snprintf(src, sizeof(src), "%.17g", c->valuedouble) == BB_OK)
                    e = src;
                if (!e) {
                    ERR(L, "set \"%s\": give an expression string, a number or a boolean",
                        c->string);
                    continue;
                }
                bb_strlcpy(n->sets[n->nsets].var, c->string, sizeof(n->sets[n->nsets].var));
                n->sets[n->nsets].value = compile_expr(L, e, "set");
                n->nsets++;
            }
        }
    }
    if (act) {
        if (!cJSON_IsArray(act) || cJSON_GetArraySize(act) > 16) {
            ERR(L, "\"do\" must be a list of at most 16 actions");
        } else {
            n->acts = calloc((size_t)cJSON_GetArraySize(act) + 1, sizeof(*n->acts));
            for (const cJSON *c = act->child; c && n->acts; c = c->next)
                parse_action(L, c, &n->acts[n->nacts++]);
        }
    }

    int primaries = !!ask + !!call + !!wait + !!branch + cJSON_IsTrue(end);
    if (primaries > 1)
        ERR(L, "a node does one of ask, call, wait, branch or end, not several");
    if (end && !cJSON_IsBool(end))
        ERR(L, "\"end\" must be true");

    if (ask) {
        n->kind = FLOW_NODE_ASK;
        n->has_ask = 1;
        parse_text(L, ask, &n->ask, "ask", 1);
        parse_input(L, input, &n->input);
        if (save) {
            if (!cJSON_IsString(save) || !valid_name(save->valuestring))
                ERR(L, "\"save\" must be a variable name (letters, digits, _)");
            else
                bb_strlcpy(n->save, save->valuestring, sizeof(n->save));
        }
        if (retry) {
            static const char *const rkeys[] = {"max", "say", "else", NULL};
            if (!cJSON_IsObject(retry)) {
                ERR(L, "\"retry\" must be {\"max\": N, \"say\": {...}, \"else\": node}");
            } else {
                check_keys(L, retry, "retry", rkeys);
                const cJSON *mx = cJSON_GetObjectItemCaseSensitive(retry, "max");
                const cJSON *rs = cJSON_GetObjectItemCaseSensitive(retry, "say");
                const cJSON *re = cJSON_GetObjectItemCaseSensitive(retry, "else");
                if (mx) {
                    if (!cJSON_IsNumber(mx) || mx->valuedouble < 0 || mx->valuedouble > 5)
                        ERR(L, "retry.max must be 0 to 5");
                    else
                        n->retry_max = (int)mx->valuedouble;
                }
                if (rs) {
                    n->has_retry_say = 1;
                    parse_text(L, rs, &n->retry_say, "retry.say", 1);
                }
                if (re) {
                    if (!cJSON_IsString(re))
                        ERR(L, "retry.else must be a node name");
                    else
                        add_ref(r, idx, -1, re->valuestring);
                }
            }
        }
    } else {
        if (input)
            ERR(L, "\"input\" belongs to an ask node");
        if (retry)
            ERR(L, "\"retry\" belongs to an ask node");
        if (save)
            ERR(L, "\"save\" belongs to an ask node (use \"set\" elsewhere)");
    }
    if (call) {
        n->kind = FLOW_NODE_CALL;
        if (!cJSON_IsString(call) || !valid_flow_id(call->valuestring))
            ERR(L, "\"call\" must name a flow id");
        else
            bb_strlcpy(n->call, call->valuestring, sizeof(n->call));
    }
    if (wait) {
        n->kind = FLOW_NODE_WAIT;
        if (parse_duration_field(L, wait, "wait", &n->wait_s) == 0 && n->wait_s < 1)
            ERR(L, "wait must be at least 1 second");
    }
    if (cJSON_IsTrue(end)) {
        n->kind = FLOW_NODE_END;
        n->end = 1;
        if (next)
            ERR(L, "an end node has no \"next\"");
    }
    if (branch) {
        n->kind = FLOW_NODE_BRANCH;
        if (next)
            ERR(L, "a branch node has no \"next\" (its list is where it goes)");
        parse_next(L, branch, n, idx, r, "branch");
    } else if (next) {
        parse_next(L, next, n, idx, r, "next");
    } else if (!n->end) {
        ERR(L, "no \"next\" and not \"end\": where does the conversation go from here?");
    }
    if (result) {
        /* the action's outcome steers the flow (flows/FORMAT.md, "Results") */
        if (!cJSON_IsString(result) || !valid_name(result->valuestring) ||
            strlen(result->valuestring) + sizeof("_message") > sizeof(n->result))
            ERR(L, "\"result\" must be a variable name (letters, digits, _; at most %d)",
                (int)(sizeof(n->result) - sizeof("_message")));
        else
            bb_strlcpy(n->result, result->valuestring, sizeof(n->result));
        if (n->nacts != 1)
            ERR(L, "\"result\" needs exactly one action in \"do\" (the one whose outcome it "
                   "keeps)");
        if (ask || call || wait || cJSON_IsTrue(end))
            ERR(L, "a node with \"result\" goes on with \"next\" or \"branch\" (no ask, call, "
                   "wait or end)");
    }
    if (!n->kind)
        n->kind = n->has_say ? FLOW_NODE_SAY
                  : n->nacts ? FLOW_NODE_ACTION
                  : n->nsets ? FLOW_NODE_SET
                             : FLOW_NODE_SAY;
    if (n->kind == FLOW_NODE_SAY && !n->has_say && !n->nacts && !n->nsets)
        ERR(L, "this node does nothing (say, ask, set, do, call, wait, branch or end)");
}

/* ---- the flow ------------------------------------------------------------- */

/* ---- data categories ("stores") ------------------------------------------ */

const char *const flow_categories[FLOW_NCAT] = {
    [FLOW_CAT_CHECKIN] = "checkin",         [FLOW_CAT_HEALTH] = "health",
    [FLOW_CAT_DEVELOPMENT] = "development", [FLOW_CAT_MENTORING] = "mentoring",
    [FLOW_CAT_FEEDBACK] = "feedback",       [FLOW_CAT_SURVEY] = "survey",
};

int flow_category_index(const char *name)
{
    for (int i = 0; name && i < FLOW_NCAT; i++)
        if (strcmp(name, flow_categories[i]) == 0)
            return i;
    return -1;
}

static void category_list(char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < FLOW_NCAT; i++) {
        bb_snprintf(out + len, n - len, "%s%s", i ? ", " : "", flow_categories[i]);
        len = strlen(out);
    }
}

/* "stores": the categories of personal data the flow writes. */
static void parse_stores(struct ld *L, const cJSON *j, struct flow *f)
{
    char list[128];
    if (!j)
        return;
    category_list(list, sizeof(list));
    if (!cJSON_IsArray(j)) {
        ERR(L, "\"stores\" must be a list of data categories (%s)", list);
        return;
    }
    for (const cJSON *c = j->child; c; c = c->next) {
        int k = cJSON_IsString(c) ? flow_category_index(c->valuestring) : -1;
        if (k < 0) {
            ERR(L, "\"stores\": \"%s\" is not a data category (%s)",
                cJSON_IsString(c) ? c->valuestring : "?", list);
            continue;
        }
        if (f->stores & (1u << k))
            ERR(L, "\"stores\": \"%s\" is listed twice", c->valuestring);
        f->stores |= 1u << k;
    }
}

/* Every action that writes personal data writes into a declared category;
 * a declared category nothing writes is only a warning (the flow then asks
 * for a consent it does not need). */
static void check_stores(struct ld *L, const struct flow *f)
{
    unsigned used = 0;
    for (int i = 0; i < f->nnodes; i++) {
        const struct flow_node *n = &f->nodes[i];
        L->node = n->name;
        for (int a = 0; a < n->nacts; a++) {
            const struct flow_action_def *def = n->acts[a].def;
            int k = def && def->stores ? flow_category_index(def->stores) : -1;
            if (k < 0)
                continue;
            used |= 1u << k;
            if (!(f->stores & (1u << k)))
                ERR(L,
                    "action \"%s\" stores %s data, but the flow does not declare it: add "
                    "\"%s\" to \"stores\"",
                    def->name, def->stores, def->stores);
        }
    }
    L->node = NULL;
    for (int k = 0; k < FLOW_NCAT; k++)
        if ((f->stores & ~used) & (1u << k))
            WARN(L, "\"stores\" declares %s, but no action of this flow stores it",
                 flow_categories[k]);
}

/* The on_cancel node and every node after it (its next and branch targets,
 * and their own, followed to the end): the conversation ends after them,
 * so none may ask, wait, call or wait for a result. Each such node is an
 * error naming it; the walk is bounded by the node count. */
static void check_on_cancel_path(struct ld *L, const struct flow *f)
{
    int n = f->nnodes, top = 0;
    char *seen = calloc((size_t)n + 1, 1);
    int *stack = calloc((size_t)n + 1, sizeof(int));
    if (!seen || !stack) {
        ERR(L, "out of memory");
        goto out;
    }
    stack[top++] = f->on_cancel;
    seen[f->on_cancel] = 1;
    while (top > 0) {
        const struct flow_node *nd = &f->nodes[stack[--top]];
        if (nd->kind == FLOW_NODE_ASK || nd->kind == FLOW_NODE_WAIT || nd->kind == FLOW_NODE_CALL ||
            nd->result[0]) {
            L->node = nd->name;
            ERR(L,
                "the on_cancel node \"%s\" and the nodes after it must not ask, wait, call or "
                "wait for a result (the conversation ends after them)",
                f->nodes[f->on_cancel].name);
            L->node = NULL;
        }
        for (int k = -1; k < nd->nnext; k++) {
            int t = k < 0 ? nd->retry_else : nd->next[k].target;
            if (t >= 0 && t < n && !seen[t]) {
                assert(top < n);
                seen[t] = 1;
                stack[top++] = t;
            }
        }
    }
out:
    free(seen);
    free(stack);
}

/* A JSON syntax error: where, and a short quote of the text there. */
static void json_error(struct ld *L, const char *src, size_t len, const char *at, const char *what)
{
    ERR(L, "JSON syntax error");
    if (L->d && L->d->n > 0)
        flow_ld_json_locate(&L->d->v[L->d->n - 1], src, len, at, what);
}

int flow_parse(const char *src, size_t len, const char *path, const struct flow_actions *acts,
               struct flow **out, struct flow_diags *d)
{
    static const char *const keys[] = {
        "id",           "version",      "kind",   "title",     "menu",  "triggers",
        "expire_after", "remind_after", "remind", "expired",   "start", "nodes",
        "description",  "stores",       "snooze", "on_cancel", "help",  NULL};
    struct ld L = {.d = d, .acts = acts, .file = path, .src = src, .len = len};
    struct flow *f = NULL;
    cJSON *root = NULL;
    struct refs refs = {0};
    const char *end = NULL;

    *out = NULL;
    if (len > FLOW_SRC_MAX) {
        ERR(&L, "file is larger than %d bytes", FLOW_SRC_MAX);
        return BB_EINVAL;
    }
    if (!bb_utf8_valid(src, len)) {
        ERR(&L, "file is not valid UTF-8");
        return BB_EINVAL;
    }
    root = cJSON_ParseWithLengthOpts(src, len, &end, 0);
    if (!root) {
        json_error(&L, src, len, flow_ld_json_fixup(src, end ? end : src),
                   "unexpected end of file");
        return BB_EINVAL;
    }
    L.root = root;
    /* Only white space may follow the flow's object. */
    while (end && end < src + len && *end && isspace((unsigned char)*end))
        end++;
    if (end && end < src + len && *end) {
        json_error(&L, src, len, end, "text after the end of the flow");
        cJSON_Delete(root);
        return BB_EINVAL;
    }
    f = calloc(1, sizeof(*f));
    if (!f)
        goto nomem;
    L.f = f;
    f->start = -1;
    f->on_cancel = -1;
    bb_strlcpy(f->path, path ? path : "", sizeof(f->path));
    f->source = malloc(len + 1);
    if (!f->source)
        goto nomem;
    memcpy(f->source, src, len);
    f->source[len] = '\0';
    f->source_len = len;

    if (!cJSON_IsObject(root)) {
        ERR(&L, "a flow file holds one JSON object");
        goto done;
    }
    check_keys(&L, root, "the flow", keys);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "id");
    if (!cJSON_IsString(id) || !valid_flow_id(id->valuestring))
        ERR(&L, "\"id\" must be 1-47 characters of a-z 0-9 . _ - starting with a letter");
    else
        bb_strlcpy(f->id, id->valuestring, sizeof(f->id));
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (!cJSON_IsNumber(ver) || ver->valuedouble < 1 || ver->valuedouble > 1000000 ||
        ver->valuedouble != (int)ver->valuedouble)
        ERR(&L, "\"version\" must be a whole number from 1");
    else
        f->version = (int)ver->valuedouble;
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(root, "kind");
    const char *k = cJSON_IsString(kind) ? kind->valuestring : "";
    if (strcmp(k, "onboarding") && strcmp(k, "coaching") && strcmp(k, "survey") &&
        strcmp(k, "system") && strcmp(k, "mentoring") && strcmp(k, "privacy"))
        ERR(&L, "\"kind\" must be onboarding, coaching, mentoring, survey, privacy or system");
    bb_strlcpy(f->kind, k, sizeof(f->kind));
    parse_stores(&L, cJSON_GetObjectItemCaseSensitive(root, "stores"), f);
    parse_text(&L, cJSON_GetObjectItemCaseSensitive(root, "title"), &f->title, "title", 0);

    const cJSON *trig = cJSON_GetObjectItemCaseSensitive(root, "triggers");
    if (trig)
        flow_ld_triggers(&L, trig, f);
    const cJSON *menu = cJSON_GetObjectItemCaseSensitive(root, "menu");
    if (menu && !cJSON_IsBool(menu))
        ERR(&L, "\"menu\" must be true or false");
    f->menu = cJSON_IsTrue(menu);
    const cJSON *help = cJSON_GetObjectItemCaseSensitive(root, "help");
    if (help && !cJSON_IsBool(help))
        ERR(&L, "\"help\" must be true or false");
    f->help = cJSON_IsTrue(help);
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(root, "expire_after");
    if (exp)
        parse_duration_field(&L, exp, "expire_after", &f->expire_after);
    const cJSON *rem = cJSON_GetObjectItemCaseSensitive(root, "remind_after");
    if (rem)
        parse_duration_field(&L, rem, "remind_after", &f->remind_after);
    if (f->expire_after && f->remind_after && f->remind_after >= f->expire_after)
        ERR(&L, "remind_after must be shorter than expire_after");
    const cJSON *snz = cJSON_GetObjectItemCaseSensitive(root, "snooze");
    if (snz) {
        if (parse_duration_field(&L, snz, "snooze", &f->snooze_after) == 0 &&
            (f->snooze_after < 60 || f->snooze_after > 7 * 86400))
            ERR(&L, "snooze must be a duration from 1m to 7d");
    }
    const cJSON *rt = cJSON_GetObjectItemCaseSensitive(root, "remind");
    if (rt) {
        f->has_remind = 1;
        parse_text(&L, rt, &f->remind, "remind", 1);
    }
    const cJSON *et = cJSON_GetObjectItemCaseSensitive(root, "expired");
    if (et) {
        f->has_expired = 1;
        parse_text(&L, et, &f->expired, "expired", 1);
    }

    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(root, "nodes");
    int nn = cJSON_GetArraySize(nodes);
    if (!cJSON_IsObject(nodes) || nn < 1 || nn > FLOW_MAX_NODES) {
        ERR(&L, "\"nodes\" must be an object with 1 to %d nodes", FLOW_MAX_NODES);
        goto done;
    }
    f->nodes = calloc((size_t)nn, sizeof(*f->nodes));
    if (!f->nodes)
        goto nomem;
    for (const cJSON *c = nodes->child; c; c = c->next) {
        if (!c->string || is_comment_key(c->string))
            continue;
        L.node = c->string;
        if (!valid_name(c->string)) {
            ERR(&L, "node name must be letters, digits and _ (at most %d)", FLOW_NAME_MAX - 1);
            continue;
        }
        if (flow_node_index(f, c->string) >= 0) {
            ERR(&L, "duplicate node name");
            continue;
        }
        struct flow_node *nd = &f->nodes[f->nnodes];
        bb_strlcpy(nd->name, c->string, sizeof(nd->name));
        f->nnodes++;
        parse_node(&L, c, nd, f->nnodes - 1, &refs);
    }
    L.node = NULL;
    for (int i = 0; i < refs.n; i++) {
        struct pending_ref *r = &refs.v[i];
        int t = flow_node_index(f, r->name);
        if (t < 0) {
            L.node = f->nodes[r->node].name;
            ERR(&L, "goes to \"%s\", which is not a node of this flow", r->name);
            L.node = NULL;
            continue;
        }
        if (r->slot < 0)
            f->nodes[r->node].retry_else = t;
        else
            f->nodes[r->node].next[r->slot].target = t;
    }
    const cJSON *start = cJSON_GetObjectItemCaseSensitive(root, "start");
    if (!cJSON_IsString(start))
        ERR(&L, "\"start\" must name the first node");
    else if ((f->start = flow_node_index(f, start->valuestring)) < 0)
        ERR(&L, "start node \"%s\" is not a node of this flow", start->valuestring);
    const cJSON *oc = cJSON_GetObjectItemCaseSensitive(root, "on_cancel");
    if (oc) {
        if (!cJSON_IsString(oc) || (f->on_cancel = flow_node_index(f, oc->valuestring)) < 0)
            ERR(&L, "\"on_cancel\" must name a node of this flow");
        else
            check_on_cancel_path(&L, f);
    }
    if (L.errors == 0)
        check_stores(&L, f);
    if (L.errors == 0)
        flow_ld_check_flow(&L, f);
done:
    free(refs.v);
    cJSON_Delete(root);
    if (L.errors) {
        flow_free(f);
        return BB_EINVAL;
    }
    *out = f;
    return BB_OK;
nomem:
    ERR(&L, "out of memory");
    free(refs.v);
    cJSON_Delete(root);
    flow_free(f);
    return BB_ENOMEM;
}

int flow_load_file(const char *path, const struct flow_actions *acts, struct flow **out,
                   struct flow_diags *d)
{
    struct ld L = {.d = d, .file = path};
    FILE *fp = NULL;
    char *buf = NULL;
    struct stat sb;
    int rc = BB_EIO;

    *out = NULL;
    fp = fopen(path, "rb");
    if (!fp) {
        ERR(&L, "cannot open: %s", strerror(errno));
        return BB_EIO;
    }
    if (fstat(fileno(fp), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        ERR(&L, "not a regular file");
        goto out;
    }
    if (sb.st_size > FLOW_SRC_MAX) {
        ERR(&L, "file is larger than %d bytes", FLOW_SRC_MAX);
        rc = BB_EINVAL;
        goto out;
    }
    buf = malloc((size_t)sb.st_size + 1);
    if (!buf) {
        rc = BB_ENOMEM;
        goto out;
    }
    size_t got = fread(buf, 1, (size_t)sb.st_size, fp);
    if (got != (size_t)sb.st_size) {
        ERR(&L, "read error");
        goto out;
    }
    buf[got] = '\0';
    rc = flow_parse(buf, got, path, acts, out, d);
out:
    free(buf);
    if (fp)
        fclose(fp);
    return rc;
}
