/*
 * fuzz_expr.c - libFuzzer harness for bot/flow/expr.c: compiles each input as
 * an expression and, when it compiles, evaluates it against a few variables
 * on a few clocks. Built and run by tests/fuzz/run.sh, not by make.
 * Single-threaded; every value is released before returning.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/bb.h"
#include "bot/flow/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int lookup(void *ctx, const char *name, struct expr_val *out)
{
    (void)ctx;
    memset(out, 0, sizeof(*out));
    if (strcmp(name, "n") == 0 || strcmp(name, "a.b") == 0) {
        out->type = EXPR_NUM;
        out->num = 3;
        return BB_OK;
    }
    if (strcmp(name, "b") == 0) {
        out->type = EXPR_BOOL;
        out->b = 1;
        return BB_OK;
    }
    if (strcmp(name, "s") == 0 || strcmp(name, "d") == 0) {
        out->type = EXPR_STR;
        out->str = strdup(name[0] == 's' ? " 12 " : "2027-03-01");
        return out->str ? BB_OK : BB_ENOMEM;
    }
    return BB_ENOTFOUND;
}

static void count_var(void *ctx, const char *name)
{
    size_t *n = ctx;
    *n += strlen(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int64_t clocks[] = {1795428000, 1798734600, -86401, INT64_MAX};
    char *src = malloc(size + 1);
    char err[128];
    struct expr *e = NULL;
    size_t names = 0;

    if (!src)
        return 0;
    memcpy(src, data, size);
    src[size] = '\0';
    if (expr_compile(src, &e, err, sizeof(err)) == BB_OK) {
        expr_each_var(e, count_var, &names);
        for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
            struct expr_env env = {lookup, NULL, clocks[i], (int)(i * 3600 * 4) - 3600};
            struct expr_val v;
            char text[64];
            expr_eval(e, &env, &v);
            expr_val_format(&v, text, sizeof(text));
            (void)expr_val_truthy(&v);
            expr_val_clear(&v);
        }
    } else if (strncmp(err, "column ", 7) != 0) {
        abort(); /* every compile error names a column */
    }
    expr_free(e);
    free(src);
    return 0;
}
