/*
 * expr.c - the expression language of flow conditions and `set` nodes: a
 * tokenizer and recursive-descent parser that build a small array of nodes
 * (expr_int.h); the tree-walking evaluator is in expr_eval.c. See expr.h for
 * the grammar and the values.
 *
 * Pure and reentrant: no I/O, no global mutable state, so any thread may
 * compile and evaluate. A compiled struct expr is immutable and may be
 * evaluated by several threads at once. The caller owns the struct expr
 * (expr_free) and every value it receives (expr_val_clear).
 *
 * Choices the header leaves open, decided here:
 * - "and", "or" and "not" always give a boolean (not one of their operands).
 * - "<", "<=", ">", ">=" compare two numbers (a numeric string counts as a
 *   number) or two strings (byte order); any other pair gives false.
 * - "-", "*", "/", "%" and unary "-" take numbers or numeric strings; "+"
 *   concatenates two strings and otherwise adds like "-" subtracts. Any other
 *   operand gives null. "%" is C's fmod (the sign follows the left side).
 * - A numeric string is one that matches the NUMBER syntax, with an optional
 *   sign and surrounding blanks: "42", " -3.5 ", "1e3".
 * - len() counts UTF-8 code points; lower() and upper() change ASCII letters
 *   only; functions that want a string take text(x) of anything else, and
 *   len(null) is 0.
 * - Columns in error messages count code points from 1.
 * - Every string the evaluator makes (literals, concatenation, lower, ...)
 *   is capped at EXPR_MAX_STR bytes; a string handed over by the lookup
 *   callback is used as it is.
 */
#include "bot/flow/expr.h"
#include "bot/flow/expr_int.h"
#include "bot/base/bb.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- functions ---------------------------------------------------------- */

const struct expr_fn expr_fns[] = {
    [F_LEN] = {"len", 1},     [F_LOWER] = {"lower", 1},       [F_UPPER] = {"upper", 1},
    [F_TRIM] = {"trim", 1},   [F_CONTAINS] = {"contains", 2}, [F_NUMBER] = {"number", 1},
    [F_TEXT] = {"text", 1},   [F_MIN] = {"min", 2},           [F_MAX] = {"max", 2},
    [F_ROUND] = {"round", 1}, [F_ABS] = {"abs", 1},           [F_NOW] = {"now", 0},
    [F_TODAY] = {"today", 0}, [F_WEEK] = {"week", 0},         [F_MONTH] = {"month", 0},
    [F_YEAR] = {"year", 0},   [F_WEEKDAY] = {"weekday", 0},   [F_DAYS_UNTIL] = {"days_until", 1},
};

/* ---- characters and numbers --------------------------------------------- */

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_word_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_word(int c)
{
    return is_word_start(c) || is_digit(c);
}

/* The NUMBER syntax, for the tokenizer and numeric strings (expr_int.h). */
int expr_parse_number(const char *s, size_t n, size_t *used, double *out)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    uint64_t mant = 0;
    int sig = 0;
    long exp10 = 0;
    size_t i = 0;

    *used = 0;
    if (n == 0 || !is_digit((unsigned char)s[0]))
        return 0;
    for (; i < n && is_digit((unsigned char)s[i]); i++) {
        if (sig < 19) {
            mant = mant * 10 + (uint64_t)(s[i] - '0');
            if (mant)
                sig++;
        } else if (exp10 < 100000) {
            exp10++;
        }
    }
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || !is_digit((unsigned char)s[i])) {
            *used = i;
            return -1;
        }
        for (; i < n && is_digit((unsigned char)s[i]); i++) {
            if (sig < 19) {
                mant = mant * 10 + (uint64_t)(s[i] - '0');
                if (mant)
                    sig++;
                exp10--;
            }
        }
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        long ev = 0;
        int neg = 0;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) {
            neg = s[i] == '-';
            i++;
        }
        if (i >= n || !is_digit((unsigned char)s[i])) {
            *used = i;
            return -1;
        }
        for (; i < n && is_digit((unsigned char)s[i]); i++) {
            if (ev < 100000)
                ev = ev * 10 + (s[i] - '0');
        }
        exp10 += neg ? -ev : ev;
    }
    *used = i;

    double d = (double)mant;
    if (mant == 0) {
        d = 0;
    } else if (exp10 >= 0 && exp10 <= 22 && mant <= (1ULL << 53)) {
        d *= p10[exp10];
    } else if (exp10 < 0 && exp10 >= -22 && mant <= (1ULL << 53)) {
        d /= p10[-exp10];
    } else if (exp10 > 0) {
        d *= pow(10.0, (double)(exp10 > 400 ? 400 : exp10));
    } else if (exp10 >= -300) {
        d /= pow(10.0, (double)-exp10);
    } else {
        d /= 1e300;
        d /= pow(10.0, (double)(-exp10 - 300 > 400 ? 400 : -exp10 - 300));
    }
    if (!isfinite(d))
        return -1;
    *out = d;
    return 0;
}

/* ---- tokenizer ---------------------------------------------------------- */

struct parser {
    const char *src;
    size_t len;
    size_t pos;   /* next byte to lex */
    int tok;      /* current token */
    size_t start; /* its first byte */
    size_t tlen;  /* its length in bytes */
    double num;   /* T_NUM */
    int depth;
    struct expr *e;
    char *err;
    size_t errlen;
    int failed;
};

/* 1-based column of byte offset pos, counting code points. */
static size_t column_of(const struct parser *p, size_t pos)
{
    size_t col = 1;
    for (size_t i = 0; i < pos && i < p->len; i++) {
        if (((unsigned char)p->src[i] & 0xC0) != 0x80)
            col++;
    }
    return col;
}

__attribute__((format(printf, 3, 4))) static void fail(struct parser *p, size_t pos,
                                                       const char *fmt, ...)
{
    char msg[160];
    va_list ap;

    if (p->failed)
        return;
    p->failed = 1;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (p->err && p->errlen)
        bb_snprintf(p->err, p->errlen, "column %zu: %s", column_of(p, pos), msg);
}

/* Describe the current token for "unexpected ..." messages. */
static void tok_desc(const struct parser *p, char *buf, size_t n)
{
    if (p->tok == T_END) {
        bb_strlcpy(buf, "end of expression", n);
        return;
    }
    if (p->tok == T_STR) {
        bb_strlcpy(buf, "a string", n);
        return;
    }
    size_t l = p->tlen > 24 ? 24 : p->tlen;
    bb_snprintf(buf, n, "'%.*s%s'", (int)l, p->src + p->start, p->tlen > l ? "..." : "");
}

/* Scan a string literal starting at the quote at p->pos; on success the
 * token spans both quotes. Decoding happens later (decode_string). */
static int lex_string(struct parser *p)
{
    char q = p->src[p->pos];
    size_t i = p->pos + 1;

    while (i < p->len && p->src[i] != q) {
        if (p->src[i] == '\\') {
            char c = i + 1 < p->len ? p->src[i + 1] : '\0';
            if (c != '\\' && c != '"' && c != '\'' && c != 'n') {
                if (c == '\0') {
                    i = p->len; /* a backslash at the very end */
                    break;
                }
                if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
                    fail(p, i, "unknown escape '\\%c' (use \\\\ \\\" \\' or \\n)", c);
                else
                    fail(p, i, "unknown escape (use \\\\ \\\" \\' or \\n)");
                return -1;
            }
            i += 2;
            continue;
        }
        i++;
    }
    if (i >= p->len) {
        fail(p, p->pos, "unterminated string");
        return -1;
    }
    if (!bb_utf8_valid(p->src + p->pos + 1, i - p->pos - 1)) {
        fail(p, p->pos, "string is not valid UTF-8");
        return -1;
    }
    p->tok = T_STR;
    p->start = p->pos;
    p->tlen = i + 1 - p->pos;
    p->pos = i + 1;
    return 0;
}

/* Read the next token into p->tok. Returns 0, or -1 after fail(). */
static int next(struct parser *p)
{
    const char *s = p->src;

    while (p->pos < p->len && expr_is_blank((unsigned char)s[p->pos]))
        p->pos++;
    p->start = p->pos;
    p->tlen = 1;
    if (p->pos >= p->len) {
        p->tok = T_END;
        p->tlen = 0;
        return 0;
    }
    unsigned char c = (unsigned char)s[p->pos];
    unsigned char c2 = p->pos + 1 < p->len ? (unsigned char)s[p->pos + 1] : 0;

    if (is_digit(c)) {
        size_t used;
        if (expr_parse_number(s + p->pos, p->len - p->pos, &used, &p->num) != 0) {
            fail(p, p->pos, "bad number '%.*s'", (int)(used > 24 ? 24 : used), s + p->pos);
            return -1;
        }
        if (p->pos + used < p->len && is_word((unsigned char)s[p->pos + used])) {
            fail(p, p->pos, "bad number: a name cannot start with a digit");
            return -1;
        }
        p->tok = T_NUM;
        p->tlen = used;
        p->pos += used;
        return 0;
    }
    if (is_word_start(c)) {
        size_t i = p->pos;
        while (i < p->len && is_word((unsigned char)s[i]))
            i++;
        p->tok = T_NAME;
        p->tlen = i - p->pos;
        p->pos = i;
        return 0;
    }
    if (c == '"' || c == '\'')
        return lex_string(p);

    /* One-character operators; the rest below look at the next byte. */
    static const char singles[] = "(),.+-*/%";
    static const unsigned char single_tok[] = {T_LP,    T_RP,   T_COMMA, T_DOT, T_PLUS,
                                               T_MINUS, T_STAR, T_SLASH, T_PCT};
    const char *one = c ? strchr(singles, c) : NULL;
    if (one) {
        p->tok = single_tok[one - singles];
        p->pos += 1;
        return 0;
    }
    switch (c) {
    case '=':
        if (c2 != '=') {
            fail(p, p->pos, "'=' is not an operator here; use == to compare");
            return -1;
        }
        p->tok = T_EQ;
        p->tlen = 2;
        break;
    case '!':
        if (c2 != '=') {
            fail(p, p->pos, "'!' is not an operator; use 'not' or !=");
            return -1;
        }
        p->tok = T_NE;
        p->tlen = 2;
        break;
    case '<':
        p->tok = c2 == '=' ? T_LE : T_LT;
        p->tlen = c2 == '=' ? 2 : 1;
        if (c2 == '>') {
            fail(p, p->pos, "use != for 'not equal'");
            return -1;
        }
        break;
    case '>':
        p->tok = c2 == '=' ? T_GE : T_GT;
        p->tlen = c2 == '=' ? 2 : 1;
        break;
    case '&':
        fail(p, p->pos, "use 'and' instead of '&'");
        return -1;
    case '|':
        fail(p, p->pos, "use 'or' instead of '|'");
        return -1;
    default:
        if (c >= 0x21 && c < 0x7f)
            fail(p, p->pos, "unexpected character '%c'", c);
        else
            fail(p, p->pos, "unexpected byte 0x%02X", c);
        return -1;
    }
    p->pos += p->tlen;
    return 0;
}

static int tok_is_word(const struct parser *p, const char *w)
{
    size_t n = strlen(w);
    return p->tok == T_NAME && p->tlen == n && memcmp(p->src + p->start, w, n) == 0;
}

/* ---- parser ------------------------------------------------------------- */

static int new_node(struct parser *p, int kind)
{
    if (p->e->n >= EXPR_MAX_NODES) {
        fail(p, p->start, "expression too complex (more than %d parts)", EXPR_MAX_NODES);
        return -1;
    }
    int i = p->e->n++;
    memset(&p->e->nodes[i], 0, sizeof(p->e->nodes[i]));
    p->e->nodes[i].kind = (unsigned char)kind;
    p->e->nodes[i].kid[0] = p->e->nodes[i].kid[1] = -1;
    return i;
}

static int enter(struct parser *p, size_t pos)
{
    if (++p->depth > EXPR_MAX_DEPTH) {
        fail(p, pos, "nested too deeply (at most %d levels)", EXPR_MAX_DEPTH);
        return -1;
    }
    return 0;
}

static int parse_or(struct parser *p);

/* Decode the current string token into the pool; returns the offset. */
static unsigned decode_string(struct parser *p)
{
    struct expr *e = p->e;
    unsigned off = (unsigned)e->pool_len;
    size_t end = p->start + p->tlen - 1;

    for (size_t i = p->start + 1; i < end; i++) {
        char c = p->src[i];
        if (c == '\\') {
            c = p->src[++i];
            if (c == 'n')
                c = '\n';
        }
        e->pool[e->pool_len++] = c;
    }
    e->pool[e->pool_len++] = '\0';
    return off;
}

static int lookup_fn(const char *name, size_t n)
{
    for (size_t i = 0; i < BB_ARRAY_LEN(expr_fns); i++) {
        if (strlen(expr_fns[i].name) == n && memcmp(expr_fns[i].name, name, n) == 0)
            return (int)i;
    }
    return -1;
}

static int is_keyword(const struct parser *p)
{
    static const char *kw[] = {"and", "or", "not", "true", "false", "null"};
    for (size_t i = 0; i < BB_ARRAY_LEN(kw); i++) {
        if (tok_is_word(p, kw[i]))
            return 1;
    }
    return 0;
}

static int parse_call(struct parser *p, size_t name_pos, size_t name_len, size_t name_end)
{
    int fn = lookup_fn(p->src + name_pos, name_len);
    if (fn < 0) {
        fail(p, name_pos, "unknown function '%.*s'", (int)(name_end - name_pos), p->src + name_pos);
        return -1;
    }
    int i = new_node(p, N_CALL);
    if (i < 0 || enter(p, name_pos) < 0 || next(p) < 0) /* skip '(' */
        return -1;
    p->e->nodes[i].fn = (unsigned char)fn;
    int nargs = 0;
    if (p->tok != T_RP) {
        for (;;) {
            int a = parse_or(p);
            if (a < 0)
                return -1;
            if (nargs < MAX_ARGS)
                p->e->nodes[i].kid[nargs] = a;
            nargs++;
            if (p->tok != T_COMMA)
                break;
            if (next(p) < 0)
                return -1;
        }
    }
    if (p->tok != T_RP) {
        char d[48];
        tok_desc(p, d, sizeof(d));
        fail(p, p->start, "expected ',' or ')' in call of %s(), found %s", expr_fns[fn].name, d);
        return -1;
    }
    if (nargs != expr_fns[fn].nargs) {
        int want = expr_fns[fn].nargs;
        fail(p, name_pos, "%s() takes %d argument%s", expr_fns[fn].name, want,
             want == 1 ? "" : "s");
        return -1;
    }
    p->e->nodes[i].nargs = (unsigned char)nargs;
    p->depth--;
    if (next(p) < 0)
        return -1;
    return i;
}

static int parse_primary(struct parser *p)
{
    int i;

    switch (p->tok) {
    case T_NUM:
        i = new_node(p, N_NUM);
        if (i < 0)
            return -1;
        p->e->nodes[i].num = p->num;
        return next(p) < 0 ? -1 : i;
    case T_STR:
        i = new_node(p, N_STR);
        if (i < 0)
            return -1;
        p->e->nodes[i].str = decode_string(p);
        return next(p) < 0 ? -1 : i;
    case T_LP:
        if (enter(p, p->start) < 0 || next(p) < 0)
            return -1;
        i = parse_or(p);
        if (i < 0)
            return -1;
        if (p->tok != T_RP) {
            char d[48];
            tok_desc(p, d, sizeof(d));
            fail(p, p->start, "expected ')', found %s", d);
            return -1;
        }
        p->depth--;
        return next(p) < 0 ? -1 : i;
    case T_NAME:
        break;
    default: {
        char d[48];
        tok_desc(p, d, sizeof(d));
        fail(p, p->start, "expected a value, found %s", d);
        return -1;
    }
    }

    if (tok_is_word(p, "true") || tok_is_word(p, "false")) {
        i = new_node(p, N_BOOL);
        if (i < 0)
            return -1;
        p->e->nodes[i].b = tok_is_word(p, "true");
        return next(p) < 0 ? -1 : i;
    }
    if (tok_is_word(p, "null")) {
        i = new_node(p, N_NULL);
        return i < 0 || next(p) < 0 ? -1 : i;
    }
    if (is_keyword(p)) {
        char d[48];
        tok_desc(p, d, sizeof(d));
        fail(p, p->start, "expected a value, found %s", d);
        return -1;
    }

    /* A variable (dotted) or a function call. */
    size_t name_pos = p->start, first_len = p->tlen;
    unsigned off = (unsigned)p->e->pool_len;
    int dotted = 0;
    for (;;) {
        memcpy(p->e->pool + p->e->pool_len, p->src + p->start, p->tlen);
        p->e->pool_len += p->tlen;
        size_t end = p->start + p->tlen;
        if (next(p) < 0)
            return -1;
        if (p->tok == T_LP) {
            p->e->pool_len = off;
            if (dotted) {
                fail(p, name_pos, "unknown function '%.*s'", (int)(end - name_pos),
                     p->src + name_pos);
                return -1;
            }
            return parse_call(p, name_pos, first_len, end);
        }
        if (p->tok != T_DOT)
            break;
        if (next(p) < 0)
            return -1;
        if (p->tok != T_NAME) {
            char d[48];
            tok_desc(p, d, sizeof(d));
            fail(p, p->start, "expected a name after '.', found %s", d);
            return -1;
        }
        p->e->pool[p->e->pool_len++] = '.';
        dotted = 1;
    }
    p->e->pool[p->e->pool_len++] = '\0';
    i = new_node(p, N_VAR);
    if (i < 0)
        return -1;
    p->e->nodes[i].str = off;
    return i;
}

/* A prefix operator ("-", "not") and its operand, which sub parses. */
static int prefix(struct parser *p, int kind, int (*sub)(struct parser *))
{
    if (enter(p, p->start) < 0)
        return -1;
    int i = new_node(p, kind);
    if (i < 0 || next(p) < 0)
        return -1;
    int a = sub(p);
    if (a < 0)
        return -1;
    p->e->nodes[i].kid[0] = a;
    p->depth--;
    return i;
}

static int parse_unary(struct parser *p)
{
    return p->tok == T_MINUS ? prefix(p, N_NEG, parse_unary) : parse_primary(p);
}

static int binary(struct parser *p, int kind, int op, int left, int (*sub)(struct parser *))
{
    int i = new_node(p, kind);
    if (i < 0 || next(p) < 0)
        return -1;
    int r = sub(p);
    if (r < 0)
        return -1;
    p->e->nodes[i].op = (unsigned char)op;
    p->e->nodes[i].kid[0] = left;
    p->e->nodes[i].kid[1] = r;
    return i;
}

static int parse_term(struct parser *p)
{
    int l = parse_unary(p);
    while (l >= 0 && (p->tok == T_STAR || p->tok == T_SLASH || p->tok == T_PCT))
        l = binary(p, N_BIN, p->tok, l, parse_unary);
    return l;
}

static int parse_sum(struct parser *p)
{
    int l = parse_term(p);
    while (l >= 0 && (p->tok == T_PLUS || p->tok == T_MINUS))
        l = binary(p, N_BIN, p->tok, l, parse_term);
    return l;
}

static int is_cmp(int t)
{
    return t == T_EQ || t == T_NE || t == T_LT || t == T_LE || t == T_GT || t == T_GE;
}

static int parse_cmp(struct parser *p)
{
    int l = parse_sum(p);
    if (l < 0 || !is_cmp(p->tok))
        return l;
    l = binary(p, N_BIN, p->tok, l, parse_sum);
    if (l >= 0 && is_cmp(p->tok)) {
        fail(p, p->start, "comparisons cannot be chained; join them with 'and'");
        return -1;
    }
    return l;
}

static int parse_not(struct parser *p)
{
    return tok_is_word(p, "not") ? prefix(p, N_NOT, parse_not) : parse_cmp(p);
}

static int parse_and(struct parser *p)
{
    int l = parse_not(p);
    while (l >= 0 && tok_is_word(p, "and"))
        l = binary(p, N_AND, 0, l, parse_not);
    return l;
}

static int parse_or(struct parser *p)
{
    int l = parse_and(p);
    while (l >= 0 && tok_is_word(p, "or"))
        l = binary(p, N_OR, 0, l, parse_and);
    return l;
}

int expr_compile(const char *src, struct expr **out, char *err, size_t errlen)
{
    struct parser p;
    struct expr *e = NULL;
    int rc = BB_EINVAL;

    if (err && errlen)
        err[0] = '\0';
    if (out)
        *out = NULL;
    if (!src || !out) {
        if (err && errlen)
            bb_strlcpy(err, "column 1: no expression", errlen);
        return BB_EINVAL;
    }
    memset(&p, 0, sizeof(p));
    p.src = src;
    p.len = strnlen(src, EXPR_MAX_SRC + 1);
    p.err = err;
    p.errlen = errlen;
    if (p.len > EXPR_MAX_SRC) {
        p.len = EXPR_MAX_SRC;
        fail(&p, EXPR_MAX_SRC, "expression too long (at most %d bytes)", EXPR_MAX_SRC);
        goto out;
    }
    e = calloc(1, sizeof(*e));
    if (!e) {
        rc = BB_ENOMEM;
        if (err && errlen)
            bb_strlcpy(err, "column 1: out of memory", errlen);
        goto out;
    }
    p.e = e;
    if (next(&p) < 0)
        goto out;
    if (p.tok == T_END) {
        fail(&p, p.start, "empty expression");
        goto out;
    }
    e->root = parse_or(&p);
    if (e->root < 0)
        goto out;
    if (p.tok != T_END) {
        char d[48];
        tok_desc(&p, d, sizeof(d));
        fail(&p, p.start, "unexpected %s after the end of the expression", d);
        goto out;
    }
    *out = e;
    e = NULL;
    rc = BB_OK;
out:
    free(e);
    return rc;
}

void expr_free(struct expr *e)
{
    free(e);
}

void expr_each_var(const struct expr *e, void (*fn)(void *ctx, const char *name), void *ctx)
{
    if (!e || !fn)
        return;
    for (int i = 0; i < e->n; i++) {
        if (e->nodes[i].kind != N_VAR)
            continue;
        const char *name = e->pool + e->nodes[i].str;
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = e->nodes[j].kind == N_VAR && strcmp(e->pool + e->nodes[j].str, name) == 0;
        if (!seen)
            fn(ctx, name);
    }
}
