/*
 * expr.h - the small, safe expression language of flow conditions and
 * `set` nodes, e.g.  mood <= 2 and not wants_help,  len(win) > 0,
 * lang == "en",  week() % 5 == 3,  person.unit == "Biro SDM".
 *
 * Pure: no I/O, no global state. Variables come from a lookup callback;
 * the time from the caller (so transcripts run on a fake clock). Any thread.
 *
 * Grammar (lowest precedence first):
 *   expr    := or
 *   or      := and ("or" and)*
 *   and     := not ("and" not)*
 *   not     := "not" not | cmp
 *   cmp     := sum (("=="|"!="|"<"|"<="|">"|">=") sum)?
 *   sum     := term (("+"|"-") term)*
 *   term    := unary (("*"|"/"|"%") unary)*
 *   unary   := "-" unary | primary
 *   primary := NUMBER | STRING | "true" | "false" | "null"
 *            | NAME ("." NAME)*            a variable, dotted
 *            | NAME "(" [expr ("," expr)*] ")"   a function call
 *            | "(" expr ")"
 * STRING is '...' or "..." with \\ \" \' \n escapes. Words are ASCII
 * [A-Za-z_][A-Za-z0-9_]*. Source at most EXPR_MAX_SRC bytes, at most
 * EXPR_MAX_NODES nodes and EXPR_MAX_DEPTH nesting: anything bigger is a
 * compile error, so evaluation is always bounded.
 *
 * Values: null, bool, number (double), string. Truthiness: null, false, 0
 * and "" are false. Comparing a number with a numeric string compares
 * numbers; "==" on other mixed types is false. "+" on two strings
 * concatenates. Division by zero gives null. Unknown variables are null.
 *
 * Functions: len(s), lower(s), upper(s), trim(s), contains(s, part),
 * number(s), text(x), min(a,b), max(a,b), round(x), abs(x),
 * now() (Unix seconds), today() ("YYYY-MM-DD" in the caller's time zone
 * offset), week() (ISO week number 1-53), month() (1-12), year(),
 * weekday() (1 = Monday ... 7 = Sunday), days_until("YYYY-MM-DD").
 */
#ifndef EXPR_H
#define EXPR_H

#include <stddef.h>
#include <stdint.h>

#define EXPR_MAX_SRC   1024
#define EXPR_MAX_NODES 256
#define EXPR_MAX_DEPTH 32
#define EXPR_MAX_STR   4096 /* longest string value an evaluation may build */

enum expr_type { EXPR_NULL = 0, EXPR_BOOL, EXPR_NUM, EXPR_STR };

/* A value. For EXPR_STR, str is malloc'd and owned by the value: release
 * with expr_val_clear(). Values returned by a lookup callback are copied by
 * the evaluator. */
struct expr_val {
    int type;
    int b;
    double num;
    char *str;
};

void expr_val_clear(struct expr_val *v);
int expr_val_truthy(const struct expr_val *v);
/* Render a value as text for {{variables}} in messages: null -> "",
 * booleans -> "true"/"false", integral numbers without a decimal point.
 * Returns BB_ELIMIT when out is too small (out is then truncated). */
int expr_val_format(const struct expr_val *v, char *out, size_t n);

/* Look up a (possibly dotted) variable name. Fill *out (a string is copied
 * by the callback with malloc) and return 0; return BB_ENOTFOUND for an
 * unknown name (the evaluator then uses null). */
typedef int (*expr_lookup_fn)(void *ctx, const char *name, struct expr_val *out);

struct expr_env {
    expr_lookup_fn lookup;
    void *ctx;
    int64_t now;     /* Unix seconds */
    int tz_offset_s; /* the person's UTC offset, for today(), week(), ... */
};

struct expr;

/* Compile src. On error returns BB_EINVAL and writes a message with the
 * 1-based column into err (e.g. "column 7: expected ')'"). */
int expr_compile(const char *src, struct expr **out, char *err, size_t errlen);
void expr_free(struct expr *e); /* NULL is a no-op */
/* Evaluate. *out is set (type EXPR_NULL on runtime errors such as a wrong
 * argument count, which compile already rejects). Returns 0, or BB_ENOMEM /
 * BB_ELIMIT (a string over EXPR_MAX_STR). */
int expr_eval(const struct expr *e, const struct expr_env *env, struct expr_val *out);
/* Call fn for every variable name the expression reads (for validators). */
void expr_each_var(const struct expr *e, void (*fn)(void *ctx, const char *name), void *ctx);

#endif
