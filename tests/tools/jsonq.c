/*
 * jsonq.c - read one JSON document from stdin and print a value from it, for
 * shell tests (the project does not depend on jq).
 *
 *   jsonq PATH < doc.json
 *
 * PATH is dot-separated: object keys, array indexes (0-based), `#` for the
 * size of an array or object, `*` for every element (one line each); `.`
 * alone is the whole document. Strings print raw, numbers with %g, true,
 * false and null as words, arrays and objects as compact JSON.
 * Exit: 0 printed, 1 no such path, 2 not JSON or bad usage.
 *
 * Single-threaded; owns what it allocates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bot/base/bb.h"

#define JQ_MAX_INPUT (64u << 20)

static void jq_print(const cJSON *v)
{
    if (cJSON_IsString(v)) {
        printf("%s\n", v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        printf("%.17g\n", v->valuedouble);
    } else if (cJSON_IsBool(v)) {
        printf("%s\n", cJSON_IsTrue(v) ? "true" : "false");
    } else if (cJSON_IsNull(v)) {
        printf("null\n");
    } else {
        char *s = cJSON_PrintUnformatted(v);
        printf("%s\n", s ? s : "");
        cJSON_free(s);
    }
}

/* Walk path (modified in place) from v; prints what it finds. Returns the
 * number of values printed. */
static int jq_walk(const cJSON *v, char *path)
{
    if (!v)
        return 0;
    if (!path || !*path) {
        jq_print(v);
        return 1;
    }
    char *dot = strchr(path, '.');
    char *rest = NULL;
    if (dot) {
        *dot = '\0';
        rest = dot + 1;
    }
    int n = 0;
    if (strcmp(path, "#") == 0 && (cJSON_IsArray(v) || cJSON_IsObject(v)) && !rest) {
        printf("%d\n", cJSON_GetArraySize(v));
        n = 1;
    } else if (strcmp(path, "*") == 0 && (cJSON_IsArray(v) || cJSON_IsObject(v))) {
        const cJSON *c;
        cJSON_ArrayForEach(c, v)
        {
            char *copy = NULL;
            if (rest) {
                size_t len = strlen(rest);
                copy = malloc(len + 1);
                if (!copy)
                    return n;
                memcpy(copy, rest, len + 1);
            }
            n += jq_walk(c, copy);
            free(copy);
        }
    } else if (cJSON_IsArray(v)) {
        long long i;
        if (bb_parse_ll(path, 0, 1 << 30, &i) == BB_OK)
            n = jq_walk(cJSON_GetArrayItem(v, (int)i), rest);
    } else if (cJSON_IsObject(v)) {
        n = jq_walk(cJSON_GetObjectItemCaseSensitive(v, path), rest);
    }
    if (dot)
        *dot = '.';
    return n;
}

int main(int argc, char **argv)
{
    struct bb_buf in;
    char chunk[65536];
    size_t got;
    int rc = 2;
    cJSON *doc = NULL;
    char *path = NULL;

    if (argc != 2) {
        fprintf(stderr, "usage: jsonq PATH < doc.json   (PATH: a.0.b, a.#, a.*.b, .)\n");
        return 2;
    }
    bb_buf_init(&in, JQ_MAX_INPUT);
    while ((got = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
        if (bb_buf_append(&in, chunk, got) != BB_OK) {
            fprintf(stderr, "jsonq: input too large\n");
            goto out;
        }
    doc = cJSON_ParseWithLength(in.data ? in.data : "", in.len);
    if (!doc) {
        fprintf(stderr, "jsonq: not valid JSON\n");
        goto out;
    }
    if (strcmp(argv[1], ".") == 0) {
        jq_print(doc);
        rc = 0;
        goto out;
    }
    size_t len = strlen(argv[1]);
    path = malloc(len + 1);
    if (!path)
        goto out;
    memcpy(path, argv[1], len + 1);
    rc = jq_walk(doc, path) > 0 ? 0 : 1;
out:
    free(path);
    cJSON_Delete(doc);
    bb_buf_free(&in);
    return rc;
}
