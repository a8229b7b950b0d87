/*
 * expr_eval.c - values and the evaluator of the expression language: walks
 * the nodes expr.c compiled (expr_int.h) with the caller's variables and
 * clock. The choices of expr.c's header about operators, numeric strings,
 * len(), lower()/upper() and the EXPR_MAX_STR cap are carried out here.
 *
 * Pure and reentrant: no I/O, no global mutable state; several threads may
 * evaluate one compiled struct expr at once. The caller owns every value it
 * receives (expr_val_clear).
 */
#include "bot/flow/expr.h"
#include "bot/flow/expr_int.h"
#include "bot/base/bb.h"
#include "bot/base/cal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A whole string as a number: optional blanks, optional sign, NUMBER,
 * optional blanks. Returns 1 and sets *out when it is one. */
static int numeric_string(const char *s, double *out)
{
    size_t n = strlen(s);
    size_t i = 0, used;
    int neg = 0;
    double d;

    while (i < n && expr_is_blank((unsigned char)s[i]))
        i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        neg = s[i] == '-';
        i++;
    }
    if (expr_parse_number(s + i, n - i, &used, &d) != 0 || used == 0)
        return 0;
    i += used;
    while (i < n && expr_is_blank((unsigned char)s[i]))
        i++;
    if (i != n)
        return 0;
    *out = neg ? -d : d;
    return 1;
}

/* ---- values ------------------------------------------------------------- */

void expr_val_clear(struct expr_val *v)
{
    if (!v)
        return;
    free(v->str);
    memset(v, 0, sizeof(*v));
    v->type = EXPR_NULL;
}

int expr_val_truthy(const struct expr_val *v)
{
    if (!v)
        return 0;
    switch (v->type) {
    case EXPR_BOOL:
        return v->b != 0;
    case EXPR_NUM:
        return v->num != 0 && !isnan(v->num);
    case EXPR_STR:
        return v->str && v->str[0];
    default:
        return 0;
    }
}

/* Text of a number: integral values below 1e15 without a decimal point,
 * others with up to 15 significant digits. */
static int format_num(double x, char *out, size_t n)
{
    if (!isfinite(x))
        return bb_strlcpy(out, "", n);
    if (x == 0)
        return bb_strlcpy(out, "0", n);
    if (x == trunc(x) && fabs(x) < 1e15)
        return bb_snprintf(out, n, "%.0f", x);
    return bb_snprintf(out, n, "%.15g", x);
}

int expr_val_format(const struct expr_val *v, char *out, size_t n)
{
    if (!out || n == 0)
        return BB_ELIMIT;
    if (!v) {
        out[0] = '\0';
        return BB_OK;
    }
    switch (v->type) {
    case EXPR_BOOL:
        return bb_strlcpy(out, v->b ? "true" : "false", n);
    case EXPR_NUM:
        return format_num(v->num, out, n);
    case EXPR_STR:
        return bb_strlcpy(out, v->str ? v->str : "", n);
    default:
        out[0] = '\0';
        return BB_OK;
    }
}

static void set_null(struct expr_val *v)
{
    expr_val_clear(v);
}

static void set_bool(struct expr_val *v, int b)
{
    expr_val_clear(v);
    v->type = EXPR_BOOL;
    v->b = b != 0;
}

static void set_num(struct expr_val *v, double d)
{
    expr_val_clear(v);
    if (!isfinite(d))
        return;
    v->type = EXPR_NUM;
    v->num = d;
}

/* Set v to a copy of s[0..n). BB_ELIMIT past EXPR_MAX_STR. */
static int set_str(struct expr_val *v, const char *s, size_t n)
{
    expr_val_clear(v);
    if (n > EXPR_MAX_STR)
        return BB_ELIMIT;
    char *p = malloc(n + 1);
    if (!p)
        return BB_ENOMEM;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    v->type = EXPR_STR;
    v->str = p;
    return BB_OK;
}

/* Number value of v: a number, or a numeric string. */
static int as_number(const struct expr_val *v, double *d)
{
    if (v->type == EXPR_NUM) {
        *d = v->num;
        return 1;
    }
    if (v->type == EXPR_STR && v->str)
        return numeric_string(v->str, d);
    return 0;
}

/* v rendered as text into out (a string of v, or a formatted scalar). The
 * pointer stays valid while v and buf live. */
static const char *as_text(const struct expr_val *v, char *buf, size_t n)
{
    if (v->type == EXPR_STR)
        return v->str ? v->str : "";
    expr_val_format(v, buf, n);
    return buf;
}

/* ---- dates ------------------------------------------------------------ */

/* The local day number of env->now, or -1 when the clock is absurd (more
 * than about 30,000 years from 1970). */
static int local_days(const struct expr_env *env, int64_t *days)
{
    const int64_t lim = INT64_C(1000000000000);
    if (env->now > lim || env->now < -lim || env->tz_offset_s > 86400 || env->tz_offset_s < -86400)
        return -1;
    *days = cal_floor_div(env->now + env->tz_offset_s, 86400);
    return 0;
}

/* ---- evaluator ---------------------------------------------------------- */

static int eval_node(const struct expr *e, int i, const struct expr_env *env, struct expr_val *out);

static int eval_var(const char *name, const struct expr_env *env, struct expr_val *out)
{
    struct expr_val v;
    int rc;

    memset(&v, 0, sizeof(v));
    expr_val_clear(out);
    if (!env->lookup)
        return BB_OK;
    rc = env->lookup(env->ctx, name, &v);
    if (rc != BB_OK) {
        expr_val_clear(&v);
        return rc == BB_ENOMEM ? BB_ENOMEM : BB_OK;
    }
    switch (v.type) {
    case EXPR_BOOL:
        set_bool(out, v.b);
        break;
    case EXPR_NUM:
        set_num(out, v.num);
        break;
    case EXPR_STR:
        if (v.str) {
            out->type = EXPR_STR;
            out->str = v.str; /* ownership moves to out */
            v.str = NULL;
        }
        break;
    default:
        break;
    }
    expr_val_clear(&v);
    return BB_OK;
}

/* "==" semantics; see the file comment. */
static int values_equal(const struct expr_val *a, const struct expr_val *b)
{
    double x, y;
    if (a->type == EXPR_NULL || b->type == EXPR_NULL)
        return a->type == b->type;
    if (a->type == EXPR_BOOL || b->type == EXPR_BOOL)
        return a->type == b->type && a->b == b->b;
    if (a->type == EXPR_STR && b->type == EXPR_STR)
        return strcmp(a->str, b->str) == 0;
    if (as_number(a, &x) && as_number(b, &y))
        return x == y;
    return 0;
}

/* Ordering: sets *c to <0, 0, >0; returns 0 when the pair is not ordered. */
static int values_order(const struct expr_val *a, const struct expr_val *b, int *c)
{
    double x, y;
    if (a->type == EXPR_STR && b->type == EXPR_STR) {
        *c = strcmp(a->str, b->str);
        return 1;
    }
    if ((a->type == EXPR_NUM || b->type == EXPR_NUM) && as_number(a, &x) && as_number(b, &y)) {
        *c = x < y ? -1 : x > y ? 1 : 0;
        return 1;
    }
    return 0;
}

static int concat(const struct expr_val *a, const struct expr_val *b, struct expr_val *out)
{
    size_t la = strlen(a->str), lb = strlen(b->str);
    if (la + lb > EXPR_MAX_STR) {
        set_null(out);
        return BB_ELIMIT;
    }
    char *s = malloc(la + lb + 1);
    if (!s)
        return BB_ENOMEM;
    memcpy(s, a->str, la);
    memcpy(s + la, b->str, lb + 1);
    expr_val_clear(out);
    out->type = EXPR_STR;
    out->str = s;
    return BB_OK;
}

static int eval_bin(int op, const struct expr_val *a, const struct expr_val *b,
                    struct expr_val *out)
{
    double x, y;
    int c;

    switch (op) {
    case T_EQ:
        set_bool(out, values_equal(a, b));
        return BB_OK;
    case T_NE:
        set_bool(out, !values_equal(a, b));
        return BB_OK;
    case T_LT:
    case T_LE:
    case T_GT:
    case T_GE:
        if (!values_order(a, b, &c)) {
            set_bool(out, 0);
            return BB_OK;
        }
        set_bool(out, op == T_LT ? c < 0 : op == T_LE ? c <= 0 : op == T_GT ? c > 0 : c >= 0);
        return BB_OK;
    default:
        break;
    }
    if (op == T_PLUS && a->type == EXPR_STR && b->type == EXPR_STR)
        return concat(a, b, out);
    if (!as_number(a, &x) || !as_number(b, &y)) {
        set_null(out);
        return BB_OK;
    }
    switch (op) {
    case T_PLUS:
        set_num(out, x + y);
        break;
    case T_MINUS:
        set_num(out, x - y);
        break;
    case T_STAR:
        set_num(out, x * y);
        break;
    case T_SLASH:
        if (y == 0)
            set_null(out);
        else
            set_num(out, x / y);
        break;
    case T_PCT:
        if (y == 0)
            set_null(out);
        else
            set_num(out, fmod(x, y));
        break;
    default:
        set_null(out);
        break;
    }
    return BB_OK;
}

/* lower/upper/trim of text t. */
static int str_map(int fn, const char *t, struct expr_val *out)
{
    size_t n = strlen(t);
    if (fn == F_TRIM) {
        size_t a = 0;
        while (a < n && expr_is_blank((unsigned char)t[a]))
            a++;
        while (n > a && expr_is_blank((unsigned char)t[n - 1]))
            n--;
        return set_str(out, t + a, n - a);
    }
    int rc = set_str(out, t, n);
    if (rc != BB_OK)
        return rc;
    for (char *s = out->str; *s; s++) {
        if (fn == F_LOWER && *s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
        else if (fn == F_UPPER && *s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
    }
    return BB_OK;
}

static int call_fn(int fn, const struct expr_val *a, int nargs, const struct expr_env *env,
                   struct expr_val *out)
{
    char buf[2][64];
    double x, y;
    int64_t days, other;
    int64_t yy;
    int mm, dd;

    if (nargs != expr_fns[fn].nargs) {
        set_null(out);
        return BB_OK;
    }
    switch (fn) {
    case F_LEN: {
        if (a[0].type == EXPR_NULL) {
            set_num(out, 0);
            break;
        }
        size_t n = 0;
        for (const char *s = as_text(&a[0], buf[0], sizeof(buf[0])); *s; s++)
            n += ((unsigned char)*s & 0xC0) != 0x80;
        set_num(out, (double)n);
        break;
    }
    case F_LOWER:
    case F_UPPER:
    case F_TRIM:
        return str_map(fn, as_text(&a[0], buf[0], sizeof(buf[0])), out);
    case F_CONTAINS:
        if (a[0].type == EXPR_NULL || a[1].type == EXPR_NULL) {
            set_bool(out, 0);
            break;
        }
        set_bool(out, strstr(as_text(&a[0], buf[0], sizeof(buf[0])),
                             as_text(&a[1], buf[1], sizeof(buf[1]))) != NULL);
        break;
    case F_NUMBER:
        if (a[0].type == EXPR_BOOL)
            set_num(out, a[0].b ? 1 : 0);
        else if (as_number(&a[0], &x))
            set_num(out, x);
        else
            set_null(out);
        break;
    case F_TEXT: {
        const char *t = as_text(&a[0], buf[0], sizeof(buf[0]));
        return set_str(out, t, strlen(t));
    }
    case F_MIN:
    case F_MAX:
        if (!as_number(&a[0], &x) || !as_number(&a[1], &y))
            set_null(out);
        else
            set_num(out, fn == F_MIN ? (x < y ? x : y) : (x > y ? x : y));
        break;
    case F_ROUND:
    case F_ABS:
        if (!as_number(&a[0], &x))
            set_null(out);
        else
            set_num(out, fn == F_ROUND ? round(x) : fabs(x));
        break;
    case F_NOW:
        set_num(out, (double)env->now);
        break;
    case F_TODAY:
    case F_WEEK:
    case F_MONTH:
    case F_YEAR:
    case F_WEEKDAY:
    case F_DAYS_UNTIL:
        if (local_days(env, &days) != 0) {
            set_null(out);
            break;
        }
        cal_civil_from_days(days, &yy, &mm, &dd);
        if (fn == F_TODAY) {
            char d[32];
            cal_format_iso(days, d, sizeof(d));
            return set_str(out, d, strlen(d));
        }
        if (fn == F_WEEK)
            set_num(out, cal_iso_week(days, NULL));
        else if (fn == F_MONTH)
            set_num(out, mm);
        else if (fn == F_YEAR)
            set_num(out, (double)yy);
        else if (fn == F_WEEKDAY)
            set_num(out, cal_weekday(days));
        else if (a[0].type == EXPR_STR && cal_parse_iso(a[0].str, &other) == 0)
            set_num(out, (double)(other - days));
        else
            set_null(out);
        break;
    default:
        set_null(out);
        break;
    }
    return BB_OK;
}

static int eval_node(const struct expr *e, int i, const struct expr_env *env, struct expr_val *out)
{
    const struct node *nd = &e->nodes[i];
    struct expr_val a[MAX_ARGS];
    int rc = BB_OK;

    memset(a, 0, sizeof(a));
    switch (nd->kind) {
    case N_NULL:
        set_null(out);
        break;
    case N_BOOL:
        set_bool(out, nd->b);
        break;
    case N_NUM:
        set_num(out, nd->num);
        break;
    case N_STR: {
        const char *s = e->pool + nd->str;
        rc = set_str(out, s, strlen(s));
        break;
    }
    case N_VAR:
        rc = eval_var(e->pool + nd->str, env, out);
        break;
    case N_NEG:
    case N_NOT:
        rc = eval_node(e, nd->kid[0], env, &a[0]);
        if (rc != BB_OK)
            break;
        if (nd->kind == N_NOT) {
            set_bool(out, !expr_val_truthy(&a[0]));
        } else {
            double x;
            if (as_number(&a[0], &x))
                set_num(out, -x);
            else
                set_null(out);
        }
        break;
    case N_AND:
    case N_OR: {
        rc = eval_node(e, nd->kid[0], env, &a[0]);
        if (rc != BB_OK)
            break;
        int t = expr_val_truthy(&a[0]);
        if ((nd->kind == N_AND && !t) || (nd->kind == N_OR && t)) {
            set_bool(out, t);
            break;
        }
        rc = eval_node(e, nd->kid[1], env, &a[1]);
        if (rc != BB_OK)
            break;
        set_bool(out, expr_val_truthy(&a[1]));
        break;
    }
    case N_BIN:
        rc = eval_node(e, nd->kid[0], env, &a[0]);
        if (rc == BB_OK)
            rc = eval_node(e, nd->kid[1], env, &a[1]);
        if (rc == BB_OK)
            rc = eval_bin(nd->op, &a[0], &a[1], out);
        break;
    case N_CALL:
        for (int k = 0; k < nd->nargs && k < MAX_ARGS && rc == BB_OK; k++)
            rc = eval_node(e, nd->kid[k], env, &a[k]);
        if (rc == BB_OK)
            rc = call_fn(nd->fn, a, nd->nargs, env, out);
        break;
    default:
        set_null(out);
        break;
    }
    expr_val_clear(&a[0]);
    expr_val_clear(&a[1]);
    if (rc != BB_OK)
        set_null(out);
    return rc;
}

int expr_eval(const struct expr *e, const struct expr_env *env, struct expr_val *out)
{
    if (!out)
        return BB_EINVAL;
    memset(out, 0, sizeof(*out));
    out->type = EXPR_NULL;
    if (!e || !env || e->root < 0 || e->root >= e->n)
        return BB_EINVAL;
    return eval_node(e, e->root, env, out);
}
