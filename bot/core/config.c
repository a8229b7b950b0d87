/*
 * config.c - read config/bimbing.json and the BIMBING_* environment into a
 * struct config (see config.h); the sections others declare (the channels')
 * are handed to their own parsers. Main thread, at start-up.
 */
#include "bot/core/config.h"
#include "bot/base/bb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#define CONFIG_MAX_BYTES (256 * 1024)

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof(*c));
    bb_strlcpy(c->db, "var/bimbing.db", sizeof(c->db));
    bb_strlcpy(c->flows_dir, "flows", sizeof(c->flows_dir));
    bb_strlcpy(c->safety, "config/safety.json", sizeof(c->safety));
    bb_strlcpy(c->web_dir, "web", sizeof(c->web_dir));
    bb_strlcpy(c->http_bind, "127.0.0.1", sizeof(c->http_bind));
    c->http_port = 8080;
    c->batch = 100;
    c->anonymity_k = 5;
    c->invite_ttl = 14 * 86400;
    c->erasure_after = 72 * 3600;
    c->keep[STORE_KEEP_MESSAGES] = 30 * 86400;
    c->keep[STORE_KEEP_CHECKINS] = 730 * 86400;
    c->keep[STORE_KEEP_WELLBEING] = 365 * 86400;
    c->keep[STORE_KEEP_FEEDBACK] = 730 * 86400;
    /* goals, learning, mentoring, reflections: 0, kept until erased */
    bb_strlcpy(c->log_level, "info", sizeof(c->log_level));
    bb_strlcpy(c->work_days, "mon-fri", sizeof(c->work_days));
    bb_strlcpy(c->work_hours, "07:30-16:00", sizeof(c->work_hours));
    bb_strlcpy(c->holidays, "config/holidays.json", sizeof(c->holidays));
}

const void *config_section_get(const struct config *c, const char *key)
{
    for (int i = 0; i < c->nsect; i++)
        if (strcmp(c->sect[i].def->key, key) == 0)
            return c->sect[i].data;
    return NULL;
}

const void *config_section_of(const struct config *c, const struct config_section *s)
{
    const void *v = config_section_get(c, s->key);
    return v ? v : s->defaults;
}

int config_str_field(const cJSON *o, const char *key, char *dst, size_t n, char *err, size_t el)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        return 0;
    if (!cJSON_IsString(v) || bb_strlcpy(dst, v->valuestring, n) != BB_OK) {
        bb_snprintf(err, el, "\"%s\" must be a string of at most %zu bytes", key, n - 1);
        return -1;
    }
    return 0;
}

int config_num_field(const cJSON *o, const char *key, double min, double max, double *dst,
                     char *err, size_t el)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v)
        return 0;
    if (!cJSON_IsNumber(v) || v->valuedouble < min || v->valuedouble > max) {
        bb_snprintf(err, el, "\"%s\" must be a number from %g to %g", key, min, max);
        return -1;
    }
    *dst = v->valuedouble;
    return 0;
}

int config_known_keys(const cJSON *o, const char *const *keys, const char *where, char *err,
                      size_t el)
{
    for (const cJSON *c = o->child; c; c = c->next) {
        int ok = c->string && c->string[0] == '_';
        for (int i = 0; keys[i] && !ok; i++)
            ok = strcmp(c->string, keys[i]) == 0;
        if (!ok) {
            bb_snprintf(err, el, "unknown key \"%s\"%s", c->string ? c->string : "?", where);
            return -1;
        }
    }
    return 0;
}

int config_choice(const char *val, const char *what, const char *a, const char *b, int *out,
                  char *err, size_t el)
{
    if (strcmp(val, a) == 0 || strcmp(val, b) == 0) {
        *out = strcmp(val, b) == 0;
        return 0;
    }
    bb_snprintf(err, el, "\"%s\" must be \"%s\" or \"%s\"", what, a, b);
    return -1;
}

void config_env_str(const char *name, char *dst, size_t n)
{
    const char *v = getenv(name);
    if (v && *v)
        bb_strlcpy(dst, v, n);
}

/* A duration (or a number of seconds) at most max into *dst; "0" allowed. */
static int duration_field(const cJSON *o, const char *key, const char *where, int64_t max,
                          int64_t *dst, char *err, size_t el)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    int64_t d = -1;
    if (!v)
        return 0;
    if (cJSON_IsString(v) && bb_parse_duration(v->valuestring, &d) != BB_OK)
        d = -1;
    else if (cJSON_IsNumber(v) && bb_num_i64(v->valuedouble, &d) != BB_OK)
        d = -1;
    if (d < 0 || d > max) {
        bb_snprintf(err, el, "\"%s\"%s must be a duration like \"30d\" (0 or more, at most %lld s)",
                    key, where, (long long)max);
        return -1;
    }
    *dst = d;
    return 0;
}

/* "privacy": {"erasure_after": D, "retention": {category: D, ...}}. */
static int parse_privacy(struct config *c, const cJSON *pv, char *err, size_t el)
{
    static const char *const keys[] = {"erasure_after", "retention", NULL};
    const char *cats[STORE_KEEP_N + 1];
    const cJSON *r;
    if (!cJSON_IsObject(pv)) {
        bb_snprintf(err, el, "\"privacy\" must be an object");
        return -1;
    }
    if (config_known_keys(pv, keys, " in \"privacy\"", err, el) ||
        duration_field(pv, "erasure_after", " in \"privacy\"", 72 * 3600, &c->erasure_after, err,
                       el))
        return -1;
    r = cJSON_GetObjectItemCaseSensitive(pv, "retention");
    if (!r)
        return 0;
    for (int i = 0; i < STORE_KEEP_N; i++)
        cats[i] = store_keep_names[i];
    cats[STORE_KEEP_N] = NULL;
    if (!cJSON_IsObject(r)) {
        bb_snprintf(err, el, "\"retention\" in \"privacy\" must be an object");
        return -1;
    }
    if (config_known_keys(r, cats, " in \"privacy.retention\"", err, el))
        return -1;
    for (int i = 0; i < STORE_KEEP_N; i++)
        if (duration_field(r, cats[i], " in \"privacy.retention\"", (int64_t)100 * 366 * 86400,
                           &c->keep[i], err, el))
            return -1;
    return 0;
}

/* "alert_fallback": a list of NIPs (digits, 1 to 31 of them), at most
 * CONFIG_ALERT_FALLBACK_MAX, each once. v NULL: the key is absent. */
static int parse_fallback(struct config *c, const cJSON *v, char *err, size_t el)
{
    const cJSON *e;
    if (!v)
        return 0;
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > CONFIG_ALERT_FALLBACK_MAX) {
        bb_snprintf(err, el, "\"alert_fallback\" must be a list of at most %d NIPs",
                    CONFIG_ALERT_FALLBACK_MAX);
        return -1;
    }
    c->nalert_fallback = 0;
    cJSON_ArrayForEach(e, v)
    {
        size_t len = cJSON_IsString(e) ? strlen(e->valuestring) : 0;
        int ok = len > 0 && len < sizeof(c->alert_fallback[0]);
        for (size_t i = 0; ok && i < len; i++)
            ok = e->valuestring[i] >= '0' && e->valuestring[i] <= '9';
        for (int i = 0; ok && i < c->nalert_fallback; i++)
            ok = strcmp(c->alert_fallback[i], e->valuestring) != 0;
        if (!ok) {
            bb_snprintf(err, el, "\"alert_fallback\": item %d must be a NIP (digits), once",
                        c->nalert_fallback + 1);
            return -1;
        }
        bb_strlcpy(c->alert_fallback[c->nalert_fallback++], e->valuestring,
                   sizeof(c->alert_fallback[0]));
    }
    return 0;
}

/* "work": {"days", "hours", "holidays"} or false (off). The days and hours
 * are checked by their parser when the core is set up (worktime.h); here
 * only their form. */
static int parse_work(struct config *c, const cJSON *w, char *err, size_t el)
{
    static const char *const keys[] = {"days", "hours", "holidays", NULL};
    if (cJSON_IsFalse(w)) {
        c->work_off = 1;
        return 0;
    }
    if (!cJSON_IsObject(w)) {
        bb_snprintf(err, el, "\"work\" must be an object (days, hours, holidays) or false");
        return -1;
    }
    if (config_known_keys(w, keys, " in \"work\"", err, el) ||
        config_str_field(w, "days", c->work_days, sizeof(c->work_days), err, el) ||
        config_str_field(w, "hours", c->work_hours, sizeof(c->work_hours), err, el) ||
        config_str_field(w, "holidays", c->holidays, sizeof(c->holidays), err, el))
        return -1;
    return 0;
}

/* An http(s) address with a host and no spaces or control characters. */
static int dashboard_url_ok(const char *u)
{
    size_t skip = strncmp(u, "https://", 8) == 0 ? 8 : strncmp(u, "http://", 7) == 0 ? 7 : 0;
    if (!skip || !u[skip] || u[skip] == '/')
        return 0;
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            return 0;
    return 1;
}

static int parse(struct config *c, const cJSON *root, char *err, size_t el)
{
    /* the core's keys, then every section's */
    const char *keys[16 + CONFIG_SECTIONS_MAX];
    int nkeys = 0;
    static const char *const top[] = {"db",        "flows_dir", "web_dir",       "durability",
                                      "http",      "batch",     "anonymity_k",   "invite_ttl",
                                      "log_level", "safety",    "privacy",       "alert_fallback",
                                      "work",      "register",  "dashboard_url", NULL};
    static const char *const http[] = {"bind", "port", "trusted_proxy", "public_url", NULL};
    double d;
    char tmp[32] = "";

    if (!cJSON_IsObject(root)) {
        bb_snprintf(err, el, "the configuration must be one JSON object");
        return -1;
    }
    for (int i = 0; top[i]; i++)
        keys[nkeys++] = top[i];
    for (int i = 0; i < c->nsect; i++)
        keys[nkeys++] = c->sect[i].def->key;
    keys[nkeys] = NULL;
    if (config_known_keys(root, keys, "", err, el) ||
        config_str_field(root, "db", c->db, sizeof(c->db), err, el) ||
        config_str_field(root, "flows_dir", c->flows_dir, sizeof(c->flows_dir), err, el) ||
        config_str_field(root, "web_dir", c->web_dir, sizeof(c->web_dir), err, el) ||
        config_str_field(root, "safety", c->safety, sizeof(c->safety), err, el) ||
        config_str_field(root, "log_level", c->log_level, sizeof(c->log_level), err, el) ||
        config_str_field(root, "durability", tmp, sizeof(tmp), err, el))
        return -1;
    if (tmp[0] && config_choice(tmp, "durability", "full", "normal", &c->durability, err, el))
        return -1;
    if (config_str_field(root, "dashboard_url", c->dashboard_url, sizeof(c->dashboard_url), err,
                         el))
        return -1;
    if (c->dashboard_url[0] && !dashboard_url_ok(c->dashboard_url)) {
        bb_snprintf(err, el,
                    "\"dashboard_url\" must be an http:// or https:// address without spaces, "
                    "like \"https://bimbing.example.go.id/admin/\"");
        return -1;
    }
    tmp[0] = '\0';
    if (config_str_field(root, "register", tmp, sizeof(tmp), err, el) ||
        (tmp[0] && config_choice(tmp, "register", "formal", "santai", &c->casual, err, el)))
        return -1;
    if (strcmp(c->log_level, "error") && strcmp(c->log_level, "warn") &&
        strcmp(c->log_level, "info") && strcmp(c->log_level, "debug")) {
        bb_snprintf(err, el, "\"log_level\" must be error, warn, info or debug");
        return -1;
    }
    d = c->batch;
    if (config_num_field(root, "batch", 1, 1000, &d, err, el))
        return -1;
    c->batch = (int)d;
    d = c->anonymity_k;
    if (config_num_field(root, "anonymity_k", 3, 1000, &d, err, el))
        return -1;
    c->anonymity_k = (int)d;
    const cJSON *ttl = cJSON_GetObjectItemCaseSensitive(root, "invite_ttl");
    if (ttl && (!cJSON_IsString(ttl) || bb_parse_duration(ttl->valuestring, &c->invite_ttl) ||
                c->invite_ttl < 60)) {
        bb_snprintf(err, el, "\"invite_ttl\" must be a duration like \"14d\" (at least 1m)");
        return -1;
    }
    const cJSON *pv = cJSON_GetObjectItemCaseSensitive(root, "privacy");
    if (pv && parse_privacy(c, pv, err, el))
        return -1;
    if (parse_fallback(c, cJSON_GetObjectItemCaseSensitive(root, "alert_fallback"), err, el))
        return -1;
    const cJSON *wk = cJSON_GetObjectItemCaseSensitive(root, "work");
    if (wk && parse_work(c, wk, err, el))
        return -1;
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(root, "http");
    if (h) {
        if (!cJSON_IsObject(h) || config_known_keys(h, http, " in \"http\"", err, el) ||
            config_str_field(h, "bind", c->http_bind, sizeof(c->http_bind), err, el) ||
            config_str_field(h, "trusted_proxy", c->trusted_proxy, sizeof(c->trusted_proxy), err,
                             el) ||
            config_str_field(h, "public_url", c->public_url, sizeof(c->public_url), err, el))
            return err[0] ? -1 : (bb_snprintf(err, el, "\"http\" must be an object"), -1);
        if (c->public_url[0] && strncmp(c->public_url, "https://", 8) != 0 &&
            strncmp(c->public_url, "http://", 7) != 0) {
            bb_snprintf(err, el, "\"public_url\" in \"http\" must start with https:// or http://");
            return -1;
        }
        d = c->http_port;
        if (config_num_field(h, "port", 0, 65535, &d, err, el))
            return -1;
        c->http_port = (int)d;
    }
    /* The dashboard is served beside the web chat: without its own address
     * it is the public one's /admin/. */
    if (!c->dashboard_url[0] && c->public_url[0]) {
        size_t n = strlen(c->public_url);
        while (n > 0 && c->public_url[n - 1] == '/')
            n--;
        (void)bb_snprintf(c->dashboard_url, sizeof(c->dashboard_url), "%.*s/admin/", (int)n,
                          c->public_url);
    }
    for (int i = 0; i < c->nsect; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, c->sect[i].def->key);
        if (v && c->sect[i].def->parse(v, c->sect[i].data, err, el) != 0)
            return -1;
    }
    return 0;
}

int config_load(struct config *c, const char *path, int path_required,
                const struct config_section *const *sections, int nsections, char *err,
                size_t errlen)
{
    FILE *fp = NULL;
    char *buf = NULL;
    int rc = BB_OK;

    config_defaults(c);
    err[0] = '\0';
    for (int i = 0; i < nsections; i++) {
        if (c->nsect >= CONFIG_SECTIONS_MAX || sections[i]->size > CONFIG_SECTION_BYTES) {
            bb_snprintf(err, errlen, "section \"%s\" does not fit", sections[i]->key);
            return BB_ELIMIT;
        }
        c->sect[c->nsect].def = sections[i];
        memcpy(c->sect[c->nsect].data, sections[i]->defaults, sections[i]->size);
        c->nsect++;
    }
    if (path) {
        fp = fopen(path, "rb");
        if (!fp && (path_required || errno != ENOENT)) {
            bb_snprintf(err, errlen, "%s: %s", path, strerror(errno));
            return BB_EIO;
        }
    }
    if (fp) {
        buf = malloc(CONFIG_MAX_BYTES + 1);
        size_t n = buf ? fread(buf, 1, CONFIG_MAX_BYTES + 1, fp) : 0;
        fclose(fp);
        if (!buf)
            return BB_ENOMEM;
        if (n > CONFIG_MAX_BYTES) {
            bb_snprintf(err, errlen, "%s: larger than %d bytes", path, CONFIG_MAX_BYTES);
            free(buf);
            return BB_EINVAL;
        }
        buf[n] = '\0';
        const char *end = NULL;
        cJSON *root = cJSON_ParseWithLengthOpts(buf, n, &end, 0);
        if (!root) {
            int line = 1;
            for (const char *p = buf; end && p < end; p++)
                line += *p == '\n';
            bb_snprintf(err, errlen, "%s: line %d: JSON syntax error", path, line);
            rc = BB_EINVAL;
        } else {
            char msg[200] = "";
            if (parse(c, root, msg, sizeof(msg)) != 0) {
                bb_snprintf(err, errlen, "%s: %s", path, msg);
                rc = BB_EINVAL;
            }
            cJSON_Delete(root);
        }
        free(buf);
        if (rc != BB_OK)
            return rc;
    }
    for (int i = 0; i < c->nsect; i++)
        for (const struct config_env_var *v = c->sect[i].def->env; v && v->name; v++)
            if (v->off + v->n <= c->sect[i].def->size)
                config_env_str(v->name, (char *)c->sect[i].data + v->off, v->n);
    config_env_str("BIMBING_ADMIN_TOKEN", c->admin_token, sizeof(c->admin_token));
    config_env_str("BIMBING_METRICS_TOKEN", c->metrics_token, sizeof(c->metrics_token));
    const char *port = getenv("BIMBING_HTTP_PORT");
    if (port && *port) {
        long long p;
        if (bb_parse_ll(port, 0, 65535, &p) != BB_OK) {
            bb_snprintf(err, errlen, "BIMBING_HTTP_PORT must be a port number (0-65535)");
            return BB_EINVAL;
        }
        c->http_port = (int)p;
    }
    return BB_OK;
}
