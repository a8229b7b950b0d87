/*
 * expr_int.h - what the two halves of the expression language share: the
 * compiled form (nodes in one array, strings in one pool), the token and
 * function numbers, blanks and numbers. For bot/flow/expr.c (the
 * tokenizer and parser) and bot/flow/expr_eval.c (values and the
 * evaluator) only; everyone else uses expr.h.
 */
#ifndef EXPR_INT_H
#define EXPR_INT_H

#include "bot/flow/expr.h"

#include <stddef.h>

/* ---- nodes -------------------------------------------------------------- */

enum node_kind {
    N_NULL,
    N_BOOL,
    N_NUM,
    N_STR,
    N_VAR,
    N_CALL,
    N_NEG,
    N_NOT,
    N_AND,
    N_OR,
    N_BIN, /* arithmetic or comparison; op is the token type */
};

enum fn_id {
    F_LEN,
    F_LOWER,
    F_UPPER,
    F_TRIM,
    F_CONTAINS,
    F_NUMBER,
    F_TEXT,
    F_MIN,
    F_MAX,
    F_ROUND,
    F_ABS,
    F_NOW,
    F_TODAY,
    F_WEEK,
    F_MONTH,
    F_YEAR,
    F_WEEKDAY,
    F_DAYS_UNTIL,
};

struct expr_fn {
    const char *name;
    int nargs;
};
/* The functions by enum fn_id, with the number of arguments each takes. */
extern const struct expr_fn expr_fns[];

#define MAX_ARGS 2

struct node {
    unsigned char kind;
    unsigned char op;    /* N_BIN: token type */
    unsigned char fn;    /* N_CALL: enum fn_id */
    unsigned char nargs; /* N_CALL */
    int b;               /* N_BOOL */
    int kid[MAX_ARGS];   /* operands or arguments */
    double num;          /* N_NUM */
    unsigned str;        /* N_STR, N_VAR: offset into pool, NUL-terminated */
};

/* Every decoded string or name is no longer than its source text, and each
 * needs one NUL, so this pool can never overflow. */
#define POOL_SIZE (EXPR_MAX_SRC + EXPR_MAX_NODES + 1)

struct expr {
    int n;
    int root;
    size_t pool_len;
    struct node nodes[EXPR_MAX_NODES];
    char pool[POOL_SIZE];
};

/* Tokens; N_BIN nodes keep the operator's token type in op. */
enum tok {
    T_END,
    T_NUM,
    T_STR,
    T_NAME,
    T_LP,
    T_RP,
    T_COMMA,
    T_DOT,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_SLASH,
    T_PCT,
    T_EQ,
    T_NE,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
};

/* ---- blanks and numbers ------------------------------------------------- */

/* Blanks around numeric strings and for trim(). */
static inline int expr_is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Parse the NUMBER syntax digits ["." digits] [("e"|"E") [sign] digits] at
 * s[0..n). Sets *used to the bytes consumed (0 when s does not start with a
 * digit) and *out to the value. Returns 0, or -1 when the syntax is broken
 * after a valid start ("1e", "1.") or the value is not finite. Locale-free:
 * a significand of up to 19 digits scaled by a power of ten, which is exact
 * for the usual literals (up to 2^53 times 10^+-22). */
int expr_parse_number(const char *s, size_t n, size_t *used, double *out);

#endif
