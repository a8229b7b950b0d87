/* test_expr.c - unit tests of bot/flow/expr.c: a table of expressions and the
 * values they must give (on a fixed clock, with a fixed set of variables),
 * a table of bad inputs and the compile error (with its column) each must
 * give, plus the string cap, the variable listing and value formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/flow/expr.h"
#include "tests/lib/fixture.h"

#define T_MON 1795428000 /* 2026-11-23T10:00:00Z, a Monday */
#define T_NYE 1798734600 /* 2026-12-31T16:30:00Z */
#define T_W53 1798993800 /* 2027-01-03T16:30:00Z */

static char big[EXPR_MAX_STR + 1];
static int lookups;

/* The variables lookup() knows: a number, a boolean, null or a string
 * ("big": the buffer big, EXPR_MAX_STR characters). */
static const struct var {
    const char *name;
    enum expr_type type;
    double num;
    const char *str;
} VARS[] = {
    {"mood", EXPR_NUM, 2, NULL},
    {"zero", EXPR_NUM, 0, NULL},
    {"wants_help", EXPR_BOOL, 0, NULL},
    {"flag", EXPR_BOOL, 1, NULL},
    {"nothing", EXPR_NULL, 0, NULL},
    {"lang", EXPR_STR, 0, "en"},
    {"person.unit", EXPR_STR, 0, "Biro SDM"},
    {"person.name.first", EXPR_STR, 0, "Budi"},
    {"empty", EXPR_STR, 0, ""},
    {"numstr", EXPR_STR, 0, "42"},
    {"padded", EXPR_STR, 0, "  7 "},
    {"win", EXPR_STR, 0, "Closed 3 tickets"},
    {"big", EXPR_STR, 0, big},
    {"deadline", EXPR_STR, 0, "2026-12-25"},
};

static int lookup(void *ctx, const char *name, struct expr_val *out)
{
    (void)ctx;
    lookups++;
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < BB_ARRAY_LEN(VARS); i++) {
        const struct var *v = &VARS[i];
        if (strcmp(name, v->name) != 0)
            continue;
        out->type = v->type;
        if (v->type == EXPR_NUM)
            out->num = v->num;
        else if (v->type == EXPR_BOOL)
            out->b = v->num != 0;
        else if (v->type == EXPR_STR) {
            out->str = strdup(v->str);
            if (!out->str)
                return BB_ENOMEM;
        }
        return BB_OK;
    }
    return BB_ENOTFOUND;
}

/* Render a value as "null", "b:1", "n:<%.17g>" or "s:<text>". */
static void render(const struct expr_val *v, char *buf, size_t n)
{
    switch (v->type) {
    case EXPR_NULL:
        snprintf(buf, n, "null");
        break;
    case EXPR_BOOL:
        snprintf(buf, n, "b:%d", v->b);
        break;
    case EXPR_NUM:
        snprintf(buf, n, "n:%.17g", v->num);
        break;
    case EXPR_STR:
        snprintf(buf, n, "s:%s", v->str);
        break;
    default:
        snprintf(buf, n, "?%d", v->type);
    }
}

struct good {
    const char *src;
    const char *want;
    int64_t now; /* 0: T_MON */
    int tz;      /* hours */
};

static const struct good goods[] = {
    /* literals and precedence */
    {"1", "n:1", 0, 0},
    {"1 + 2 * 3", "n:7", 0, 0},
    {"(1 + 2) * 3", "n:9", 0, 0},
    {"10 - 4 - 3", "n:3", 0, 0},
    {"2 * 3 % 4", "n:2", 0, 0},
    {"7 % 3", "n:1", 0, 0},
    {"-7 % 3", "n:-1", 0, 0},
    {"1 / 4", "n:0.25", 0, 0},
    {"-2 * 3", "n:-6", 0, 0},
    {"- - 2", "n:2", 0, 0},
    {"-(1 + 2)", "n:-3", 0, 0},
    {"1.5e3", "n:1500", 0, 0},
    {"0.1 + 0.2 == 0.30000000000000004", "b:1", 0, 0},
    {"12345678901234567890", "n:1.2345678901234567e+19", 0, 0},
    {"1 + 2 == 3", "b:1", 0, 0},
    {"1 + 2 != 3", "b:0", 0, 0},
    {"1 < 2 and 2 < 3", "b:1", 0, 0},
    {"true or false and false", "b:1", 0, 0},
    {"(true or false) and false", "b:0", 0, 0},
    {"not true or true", "b:1", 0, 0},
    {"not (true or true)", "b:0", 0, 0},
    {"not 1 == 2", "b:1", 0, 0},
    {"not not 3", "b:1", 0, 0},
    {"true", "b:1", 0, 0},
    {"false", "b:0", 0, 0},
    {"null", "null", 0, 0},
    {"null == null", "b:1", 0, 0},
    {"null != 0", "b:1", 0, 0},
    /* truthiness: and/or/not give booleans */
    {"0 or \"\"", "b:0", 0, 0},
    {"\"x\" and 1", "b:1", 0, 0},
    {"not null", "b:1", 0, 0},
    {"not \"\"", "b:1", 0, 0},
    {"not \"0\"", "b:0", 0, 0},
    {"not 0", "b:1", 0, 0},
    {"not zero", "b:1", 0, 0},
    /* division by zero, non-finite */
    {"1 / 0", "null", 0, 0},
    {"1 % 0", "null", 0, 0},
    {"1 / zero", "null", 0, 0},
    {"1e300 * 1e300", "null", 0, 0},
    /* strings */
    {"'a' + \"b\"", "s:ab", 0, 0},
    {"\"it\\'s \" + 'a \\\"q\\\"'", "s:it's a \"q\"", 0, 0},
    {"'back\\\\slash'", "s:back\\slash", 0, 0},
    {"'line\\nbreak'", "s:line\nbreak", 0, 0},
    {"'héllo' + ' wörld'", "s:héllo wörld", 0, 0},
    {"'abc' < 'abd'", "b:1", 0, 0},
    {"'b' >= 'a'", "b:1", 0, 0},
    {"'a' == 'a'", "b:1", 0, 0},
    {"'a' == 'A'", "b:0", 0, 0},
    /* mixed types */
    {"'3' == 3", "b:1", 0, 0},
    {"3 == ' 3 '", "b:1", 0, 0},
    {"'3.0' == 3", "b:1", 0, 0},
    {"'x3' == 3", "b:0", 0, 0},
    {"'' == 0", "b:0", 0, 0},
    {"true == 1", "b:0", 0, 0},
    {"null == 0", "b:0", 0, 0},
    {"null == ''", "b:0", 0, 0},
    {"'10' > 9", "b:1", 0, 0},
    {"'10' > '9'", "b:0", 0, 0},
    {"'a' < 1", "b:0", 0, 0},
    {"null < 1", "b:0", 0, 0},
    {"true > false", "b:0", 0, 0},
    {"numstr + 1", "n:43", 0, 0},
    {"numstr + '1'", "s:421", 0, 0},
    {"'a' + 1", "null", 0, 0},
    {"true + 1", "null", 0, 0},
    {"null + 1", "null", 0, 0},
    {"-'4'", "n:-4", 0, 0},
    {"-'x'", "null", 0, 0},
    /* variables */
    {"mood <= 2 and not wants_help", "b:1", 0, 0},
    {"mood", "n:2", 0, 0},
    {"lang == \"en\"", "b:1", 0, 0},
    {"person.unit == \"Biro SDM\"", "b:1", 0, 0},
    {"person . name . first", "s:Budi", 0, 0},
    {"person.unknown", "null", 0, 0},
    {"unknown_var", "null", 0, 0},
    {"unknown_var == null", "b:1", 0, 0},
    {"nothing", "null", 0, 0},
    {"flag and mood > 1", "b:1", 0, 0},
    {"padded * 2", "n:14", 0, 0},
    /* functions */
    {"len(win) > 0", "b:1", 0, 0},
    {"len(win)", "n:16", 0, 0},
    {"len('héllo')", "n:5", 0, 0},
    {"len('')", "n:0", 0, 0},
    {"len(unknown_var)", "n:0", 0, 0},
    {"len(123)", "n:3", 0, 0},
    {"lower('ABC déF')", "s:abc déf", 0, 0},
    {"upper(person.unit)", "s:BIRO SDM", 0, 0},
    {"upper(null)", "s:", 0, 0},
    {"trim('  a b \\n')", "s:a b", 0, 0},
    {"trim(padded)", "s:7", 0, 0},
    {"contains(win, 'tickets')", "b:1", 0, 0},
    {"contains(win, 'Tickets')", "b:0", 0, 0},
    {"contains(win, '')", "b:1", 0, 0},
    {"contains(null, 'a')", "b:0", 0, 0},
    {"contains(12345, 34)", "b:1", 0, 0},
    {"number('12.5')", "n:12.5", 0, 0},
    {"number(' -3 ')", "n:-3", 0, 0},
    {"number('+1e2')", "n:100", 0, 0},
    {"number('abc')", "null", 0, 0},
    {"number('')", "null", 0, 0},
    {"number('1.')", "null", 0, 0},
    {"number('1e999')", "null", 0, 0},
    {"number(true)", "n:1", 0, 0},
    {"number(null)", "null", 0, 0},
    {"number(7)", "n:7", 0, 0},
    {"text(3)", "s:3", 0, 0},
    {"text(2.5)", "s:2.5", 0, 0},
    {"text(-0.0)", "s:0", 0, 0},
    {"text(1 / 3)", "s:0.333333333333333", 0, 0},
    {"text(1e20)", "s:1e+20", 0, 0},
    {"text(true)", "s:true", 0, 0},
    {"text(null)", "s:", 0, 0},
    {"text('x')", "s:x", 0, 0},
    {"'Week ' + text(week())", "s:Week 48", 0, 0},
    {"min(3, 5)", "n:3", 0, 0},
    {"max(3, '5')", "n:5", 0, 0},
    {"min(3, 'x')", "null", 0, 0},
    {"round(2.5)", "n:3", 0, 0},
    {"round(-2.5)", "n:-3", 0, 0},
    {"round(2.4)", "n:2", 0, 0},
    {"abs(-4)", "n:4", 0, 0},
    {"abs('x')", "null", 0, 0},
    {"max(min(1, 2), abs(-3)) + round(0.6)", "n:4", 0, 0},
    /* dates on the fixed clock: 2026-11-23T10:00Z, a Monday */
    {"now()", "n:1795428000", 0, 0},
    {"today()", "s:2026-11-23", 0, 7},
    {"today()", "s:2026-11-23", 0, 8},
    {"today()", "s:2026-11-23", 0, 9},
    {"today()", "s:2026-11-22", 0, -11},
    {"weekday()", "n:1", 0, 7},
    {"weekday()", "n:7", 0, -11},
    {"week()", "n:48", 0, 7},
    {"week() % 5 == 3", "b:1", 0, 7},
    {"month()", "n:11", 0, 7},
    {"year()", "n:2026", 0, 7},
    {"days_until('2026-12-25')", "n:32", 0, 7},
    {"days_until(deadline)", "n:32", 0, 9},
    {"days_until('2026-11-23')", "n:0", 0, 7},
    {"days_until('2026-01-01')", "n:-326", 0, 7},
    {"days_until('2028-02-29')", "n:463", 0, 7},
    {"days_until('2027-02-29')", "null", 0, 7},
    {"days_until('2026-13-01')", "null", 0, 7},
    {"days_until('2026-1-01')", "null", 0, 7},
    {"days_until('soon')", "null", 0, 7},
    {"days_until(5)", "null", 0, 7},
    /* around midnight: 2026-12-31T16:30Z is 23:30 in WIB, 00:30 in WITA */
    {"today()", "s:2026-12-31", T_NYE, 7},
    {"today()", "s:2027-01-01", T_NYE, 8},
    {"today()", "s:2027-01-01", T_NYE, 9},
    {"year()", "n:2026", T_NYE, 7},
    {"year()", "n:2027", T_NYE, 8},
    {"month()", "n:12", T_NYE, 7},
    {"month()", "n:1", T_NYE, 9},
    {"weekday()", "n:4", T_NYE, 7},
    {"weekday()", "n:5", T_NYE, 8},
    {"week()", "n:53", T_NYE, 8},
    {"days_until('2027-01-01')", "n:1", T_NYE, 7},
    {"days_until('2027-01-01')", "n:0", T_NYE, 8},
    /* ISO week boundary: 2027-01-03 (Sunday, week 53) -> 2027-01-04 (week 1) */
    {"week()", "n:53", T_W53, 7},
    {"weekday()", "n:7", T_W53, 7},
    {"week()", "n:1", T_W53, 8},
    {"weekday()", "n:1", T_W53, 8},
    /* a date before 1970 */
    {"today()", "s:1969-12-31", -1, 0},
};

static void test_values(void **state)
{
    (void)state;
    for (size_t i = 0; i < BB_ARRAY_LEN(goods); i++) {
        struct expr *e = NULL;
        char err[128], got[256];
        struct expr_val v;
        struct expr_env env = {lookup, NULL, goods[i].now ? goods[i].now : T_MON,
                               goods[i].tz * 3600};

        int rc = expr_compile(goods[i].src, &e, err, sizeof(err));
        if (rc != BB_OK)
            fail_msg("compile \"%s\": %s", goods[i].src, err);
        rc = expr_eval(e, &env, &v);
        assert_int_equal(rc, BB_OK);
        render(&v, got, sizeof(got));
        if (strcmp(got, goods[i].want) != 0)
            fail_msg("\"%s\" gave %s, want %s", goods[i].src, got, goods[i].want);
        expr_val_clear(&v);
        expr_free(e);
    }
}

struct bad {
    const char *src;
    const char *want; /* the whole message */
};

static const struct bad bads[] = {
    {"", "column 1: empty expression"},
    {"   ", "column 4: empty expression"},
    {"'abc", "column 1: unterminated string"},
    {"lang == \"en", "column 9: unterminated string"},
    {"'abc\\", "column 1: unterminated string"},
    {"'a\\qb'", "column 3: unknown escape '\\q' (use \\\\ \\\" \\' or \\n)"},
    {"1 2", "column 3: unexpected '2' after the end of the expression"},
    {"mood <= 2 x", "column 11: unexpected 'x' after the end of the expression"},
    {"(1 + 2", "column 7: expected ')', found end of expression"},
    {"(1 + 2))", "column 8: unexpected ')' after the end of the expression"},
    {"len(win, 2)", "column 1: len() takes 1 argument"},
    {"1 + len()", "column 5: len() takes 1 argument"},
    {"contains('a')", "column 1: contains() takes 2 arguments"},
    {"today(1)", "column 1: today() takes 0 arguments"},
    {"min(1, 2, 3)", "column 1: min() takes 2 arguments"},
    {"len(a b)", "column 7: expected ',' or ')' in call of len(), found 'b'"},
    {"foo(1)", "column 1: unknown function 'foo'"},
    {"1 + foo()", "column 5: unknown function 'foo'"},
    {"a.b(1)", "column 1: unknown function 'a.b'"},
    {"+", "column 1: expected a value, found '+'"},
    {"1 +", "column 4: expected a value, found end of expression"},
    {"* 2", "column 1: expected a value, found '*'"},
    {"not", "column 4: expected a value, found end of expression"},
    {"and", "column 1: expected a value, found 'and'"},
    {"1 and or 2", "column 7: expected a value, found 'or'"},
    {"mood = 2", "column 6: '=' is not an operator here; use == to compare"},
    {"!wants_help", "column 1: '!' is not an operator; use 'not' or !="},
    {"a && b", "column 3: use 'and' instead of '&'"},
    {"a || b", "column 3: use 'or' instead of '|'"},
    {"a <> b", "column 3: use != for 'not equal'"},
    {"1 < 2 < 3", "column 7: comparisons cannot be chained; join them with 'and'"},
    {"a # b", "column 3: unexpected character '#'"},
    {"'é' + é", "column 7: unexpected byte 0xC3"},
    {"12abc", "column 1: bad number: a name cannot start with a digit"},
    {"1.", "column 1: bad number '1.'"},
    {"1e+", "column 1: bad number '1e+'"},
    {"1e999", "column 1: bad number '1e999'"},
    {".5", "column 1: expected a value, found '.'"},
    {"a.", "column 3: expected a name after '.', found end of expression"},
    {"a.1", "column 3: expected a name after '.', found '1'"},
    {"'\xff'", "column 1: string is not valid UTF-8"},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < BB_ARRAY_LEN(bads); i++) {
        struct expr *e = (struct expr *)1;
        char err[160];
        int rc = expr_compile(bads[i].src, &e, err, sizeof(err));
        if (rc != BB_EINVAL)
            fail_msg("\"%s\" compiled (rc %d)", bads[i].src, rc);
        assert_null(e);
        if (strcmp(err, bads[i].want) != 0)
            fail_msg("\"%s\" gave \"%s\", want \"%s\"", bads[i].src, err, bads[i].want);
    }
}

static void test_limits(void **state)
{
    (void)state;
    char src[EXPR_MAX_SRC + 64], err[160];
    struct expr *e = NULL;
    size_t i;

    /* 1000 '(' : a clean error, no stack overflow */
    for (i = 0; i < 1000; i++)
        src[i] = '(';
    src[i] = '\0';
    assert_int_equal(expr_compile(src, &e, err, sizeof(err)), BB_EINVAL);
    assert_string_equal(err, "column 33: nested too deeply (at most 32 levels)");
    /* exactly EXPR_MAX_DEPTH levels are fine */
    for (i = 0; i < EXPR_MAX_DEPTH; i++)
        src[i] = '(';
    src[i++] = '1';
    for (int k = 0; k < EXPR_MAX_DEPTH; k++)
        src[i++] = ')';
    src[i] = '\0';
    assert_int_equal(expr_compile(src, &e, err, sizeof(err)), BB_OK);
    expr_free(e);
    /* deep 'not' and '-' chains and function nesting count too */
    for (i = 0; i < 200; i++)
        memcpy(src + 4 * i, "not ", 4);
    memcpy(src + 4 * i, "1", 2);
    assert_int_equal(expr_compile(src, &e, err, sizeof(err)), BB_EINVAL);
    assert_string_equal(err, "column 129: nested too deeply (at most 32 levels)");
    memset(src, '-', 500);
    memcpy(src + 500, "1", 2);
    assert_int_equal(expr_compile(src, &e, err, sizeof(err)), BB_EINVAL);
    assert_string_equal(err, "column 33: nested too deeply (at most 32 levels)");
    src[0] = '\0';
    for (i = 0; i < 40; i++)
        strcat(src, "abs(");
    assert_int_equal(expr_compile(src, &e, err, sizeof(err)), BB_EINVAL);
    assert_string_equal(err, "column 129: nested too deeply (at most 32 levels)");

    /* too long */
    memset(src, ' ', EXPR_MAX_SRC + 1);
    src[0] = '1';
    src[EXPR_MAX_SRC + 1] = '\0';
    assert_int_equal(expr_compile(src, &e, err, sizeof(err)), BB_EINVAL);
    assert_string_equal(err, "column 1025: expression too long (at most 1024 bytes)");
    src[EXPR_MAX_SRC] = '\0'; /* exactly the maximum is fine */
    assert_int_equal(expr_compile(src, &e, err, sizeof(err)), BB_OK);
    expr_free(e);

    /* too many nodes: 1+1+...+1 with 200 ones is 399 nodes */
    src[0] = '\0';
    for (i = 0; i < 200; i++)
        strcat(src, i ? "+1" : "1");
    assert_int_equal(expr_compile(src, &e, err, sizeof(err)), BB_EINVAL);
    assert_string_equal(err, "column 257: expression too complex (more than 256 parts)");
    /* 128 ones (255 nodes) fit and evaluate */
    src[0] = '\0';
    for (i = 0; i < 128; i++)
        strcat(src, i ? "+1" : "1");
    assert_int_equal(expr_compile(src, &e, err, sizeof(err)), BB_OK);
    struct expr_env env = {lookup, NULL, T_MON, 0};
    struct expr_val v;
    assert_int_equal(expr_eval(e, &env, &v), BB_OK);
    assert_int_equal(v.type, EXPR_NUM);
    assert_true(v.num == 128);
    expr_free(e);

    /* an error buffer that is too small or missing is safe */
    char tiny[8];
    assert_int_equal(expr_compile("foo(", &e, tiny, sizeof(tiny)), BB_EINVAL);
    assert_string_equal(tiny, "column ");
    assert_int_equal(expr_compile("foo(", &e, NULL, 0), BB_EINVAL);
    assert_int_equal(expr_compile(NULL, &e, err, sizeof(err)), BB_EINVAL);
}

static void test_string_cap(void **state)
{
    (void)state;
    struct expr *e = NULL;
    struct expr_val v;
    struct expr_env env = {lookup, NULL, T_MON, 0};
    char err[128];

    memset(big, 'a', EXPR_MAX_STR);
    big[EXPR_MAX_STR] = '\0';
    /* exactly the cap is fine */
    assert_int_equal(expr_compile("big + ''", &e, err, sizeof(err)), BB_OK);
    assert_int_equal(expr_eval(e, &env, &v), BB_OK);
    assert_int_equal(v.type, EXPR_STR);
    assert_int_equal(strlen(v.str), EXPR_MAX_STR);
    expr_val_clear(&v);
    expr_free(e);
    /* one byte more is BB_ELIMIT and a null value */
    const char *over[] = {"big + 'x'", "len(big + big) > 0", "upper(big + '!')"};
    for (size_t i = 0; i < BB_ARRAY_LEN(over); i++) {
        assert_int_equal(expr_compile(over[i], &e, err, sizeof(err)), BB_OK);
        assert_int_equal(expr_eval(e, &env, &v), BB_ELIMIT);
        assert_int_equal(v.type, EXPR_NULL);
        assert_null(v.str);
        expr_free(e);
    }
    /* repeated concatenation below the cap is fine */
    assert_int_equal(expr_compile("win + win + win + win + win + win + win + win + win + win", &e,
                                  err, sizeof(err)),
                     BB_OK);
    assert_int_equal(expr_eval(e, &env, &v), BB_OK);
    assert_int_equal(strlen(v.str), 160);
    expr_val_clear(&v);
    expr_free(e);
}

static void collect(void *ctx, const char *name)
{
    char *buf = ctx;
    if (buf[0])
        strcat(buf, ",");
    strcat(buf, name);
}

static void test_each_var(void **state)
{
    (void)state;
    struct expr *e = NULL;
    char err[128], names[256] = "";

    assert_int_equal(expr_compile("mood <= 2 and not wants_help or person.unit == 'x' "
                                  "or len(win) > mood + days_until(deadline)",
                                  &e, err, sizeof(err)),
                     BB_OK);
    expr_each_var(e, collect, names);
    assert_string_equal(names, "mood,wants_help,person.unit,win,deadline");
    expr_free(e);

    names[0] = '\0';
    assert_int_equal(expr_compile("1 + len('x') + now()", &e, err, sizeof(err)), BB_OK);
    expr_each_var(e, collect, names);
    assert_string_equal(names, "");
    expr_each_var(NULL, collect, names);
    expr_free(e);
    expr_free(NULL);
}

static void test_short_circuit(void **state)
{
    (void)state;
    struct expr *e = NULL;
    struct expr_val v;
    struct expr_env env = {lookup, NULL, T_MON, 0};
    char err[128];

    assert_int_equal(expr_compile("false and mood", &e, err, sizeof(err)), BB_OK);
    lookups = 0;
    assert_int_equal(expr_eval(e, &env, &v), BB_OK);
    assert_int_equal(lookups, 0);
    expr_free(e);
    assert_int_equal(expr_compile("true or mood", &e, err, sizeof(err)), BB_OK);
    assert_int_equal(expr_eval(e, &env, &v), BB_OK);
    assert_int_equal(lookups, 0);
    assert_int_equal(v.type, EXPR_BOOL);
    expr_free(e);

    /* no lookup callback: every variable is null */
    struct expr_env bare = {NULL, NULL, T_MON, 0};
    assert_int_equal(expr_compile("mood == null", &e, err, sizeof(err)), BB_OK);
    assert_int_equal(expr_eval(e, &bare, &v), BB_OK);
    assert_true(v.type == EXPR_BOOL && v.b == 1);
    assert_int_equal(expr_eval(NULL, &bare, &v), BB_EINVAL);
    assert_int_equal(v.type, EXPR_NULL);
    assert_int_equal(expr_eval(e, NULL, &v), BB_EINVAL);
    expr_free(e);
}

static void test_format(void **state)
{
    (void)state;
    char out[32];
    struct expr_val v = {EXPR_NUM, 0, 42, NULL};

    assert_int_equal(expr_val_format(&v, out, sizeof(out)), BB_OK);
    assert_string_equal(out, "42");
    v.num = -3.25;
    expr_val_format(&v, out, sizeof(out));
    assert_string_equal(out, "-3.25");
    v.num = 1e15;
    expr_val_format(&v, out, sizeof(out));
    assert_string_equal(out, "1e+15");
    v.num = 999999999999999;
    expr_val_format(&v, out, sizeof(out));
    assert_string_equal(out, "999999999999999");
    v.type = EXPR_BOOL;
    v.b = 1;
    expr_val_format(&v, out, sizeof(out));
    assert_string_equal(out, "true");
    v.type = EXPR_NULL;
    expr_val_format(&v, out, sizeof(out));
    assert_string_equal(out, "");
    v.type = EXPR_STR;
    v.str = "hello world";
    assert_int_equal(expr_val_format(&v, out, 6), BB_ELIMIT);
    assert_string_equal(out, "hello");
    assert_true(expr_val_truthy(&v));
    v.str = "";
    assert_false(expr_val_truthy(&v));
    v.str = NULL;
    expr_val_clear(NULL);
}

TFX_MAIN(cmocka_unit_test(test_values), cmocka_unit_test(test_errors),
         cmocka_unit_test(test_limits), cmocka_unit_test(test_string_cap),
         cmocka_unit_test(test_each_var), cmocka_unit_test(test_short_circuit),
         cmocka_unit_test(test_format))
