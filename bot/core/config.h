/*
 * config.h - the service's settings: config/bimbing.json (every key has a
 * default; an unknown key or a value out of range is an error naming it)
 * and, for secrets and endpoints, the environment (BIMBING_*).
 *
 * Only what the core and the service loop need is parsed here. A layer
 * above (each channel in adapters/) declares its own top-level section with
 * a struct config_section and parses it into settings kept in the struct
 * config (config_section_get); its keys are then known, every other
 * top-level key is still refused.
 *
 * Read once at start-up by main into a struct owned by main; read-only
 * afterwards, so any thread may read it.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "store/store_privacy.h"

#define CONFIG_SECTIONS_MAX       4
#define CONFIG_SECTION_BYTES      2048
#define CONFIG_ALERT_FALLBACK_MAX 8 /* people on the alert fallback list */

struct config_env_var {
    const char *name; /* BIMBING_... */
    size_t off, n;    /* the string's place and size in the settings */
};

/* One row of a section's env table: the variable, the settings type and
 * its string member. */
#define CONFIG_ENV_VAR(name, type, field)                                                          \
    {                                                                                              \
        name, offsetof(type, field), sizeof(((type *)0)->field)                                    \
    }

/* A top-level section parsed by its owner (a channel). */
struct config_section {
    const char *key;      /* the top-level key */
    size_t size;          /* bytes of its settings, at most CONFIG_SECTION_BYTES */
    const void *defaults; /* size bytes: the settings before parsing */
    /* The section's JSON value (only called when the key is present). On
     * an error: a message naming the key in err, and -1. */
    int (*parse)(const cJSON *v, void *settings, char *err, size_t el);
    /* Secrets and endpoints from the environment: a variable that is set
     * and not empty replaces the string at offset off (n bytes). */
    const struct config_env_var *env; /* ends with name NULL; may be NULL */
};

struct config {
    char db[512];        /* "db": path of the SQLite file (var/bimbing.db) */
    char flows_dir[512]; /* "flows_dir": directory of flow JSON files (flows) */
    char safety[512];    /* "safety": the distress screen's list (config/safety.json) */
    char web_dir[512];   /* "web_dir": static files of the web chat (web) */
    int durability;      /* "durability": "full" (default) or "normal", see store.h */
    char http_bind[64];  /* "http": {"bind": "127.0.0.1", "port": 8080} */
    int http_port;
    /* "http": {"trusted_proxy": "127.0.0.1"}: the reverse proxy's address;
     * from it, X-Forwarded-For names the client that limits key on ("" = none) */
    char trusted_proxy[64];
    /* "http": {"public_url": "https://bimbing.example.go.id"}: where people
     * reach the web chat, for invite links ("" = http://bind:port) */
    char public_url[192];
    /* "dashboard_url": the HR dashboard's public address as people open
     * it ("https://bimbing.example.go.id/admin/"), for links the chat
     * sends to HR (a broadcast's page); without it, http.public_url +
     * "/admin/"; "" when neither is set: the chat names the way */
    char dashboard_url[256];
    int batch;          /* "batch": inbox events per transaction (100) */
    int anonymity_k;    /* "anonymity_k": smallest group shown in reports (5, >= 3) */
    int64_t invite_ttl; /* "invite_ttl": how long an invite code works ("14d") */
    char log_level[8];  /* "log_level": error, warn, info, debug */
    /* "register": "formal" (default: every Indonesian text in its formal
     * form) or "santai" (a text's casual variant "id_santai", where it has
     * one, for people who speak Indonesian); docs/coaching.md, "Register" */
    int casual;
    /* "privacy": {"erasure_after": "72h", "retention": {"messages": "30d", ...}}
     * (docs/privacy.md): how long after a request made in the chat a
     * person's data is erased (at most 72h, the law's 3x24 hours), and how
     * long each category is kept (seconds, 0 = kept until erased). */
    int64_t erasure_after;
    int64_t keep[STORE_KEEP_N];
    /* "alert_fallback": NIPs, in order, who get an alert that reaches
     * neither the mentor nor HR in chat (docs/safety.md); none by default */
    char alert_fallback[CONFIG_ALERT_FALLBACK_MAX][32];
    int nalert_fallback;
    /* "work": {"days": "mon-fri", "hours": "07:30-16:00", "holidays":
     * "config/holidays.json"}: the instance's working week and the holiday
     * file (docs/coaching.md); "work": false turns working time off (every
     * reminder and scheduled start fires when due) */
    int work_off;
    char work_days[48];
    char work_hours[16];
    char holidays[512];
    /* from the environment */
    char admin_token[256];   /* BIMBING_ADMIN_TOKEN */
    char metrics_token[256]; /* BIMBING_METRICS_TOKEN: /metrics needs "Bearer" it */
    /* the sections of config_load's `sections`, each with its settings */
    struct {
        const struct config_section *def;
        _Alignas(max_align_t) unsigned char data[CONFIG_SECTION_BYTES];
    } sect[CONFIG_SECTIONS_MAX];
    int nsect;
};

/* Fill defaults, then read path (NULL or a missing default file: defaults
 * only; a missing file that was asked for is an error), then the
 * environment. sections (nsections of them, may be 0) are the sections
 * others parse. On error writes a message naming the key into err. */
int config_load(struct config *c, const char *path, int path_required,
                const struct config_section *const *sections, int nsections, char *err,
                size_t errlen);
void config_defaults(struct config *c);

/* The settings of the section named key, NULL when it was not loaded. */
const void *config_section_get(const struct config *c, const char *key);
/* The settings of section s, or its defaults when it was not loaded. */
const void *config_section_of(const struct config *c, const struct config_section *s);

/* For sections' parsers: the same checks and messages as the core's own
 * keys. Each returns 0, or -1 with a message naming the key in err. An
 * absent key is not an error and leaves dst alone. */
int config_str_field(const cJSON *o, const char *key, char *dst, size_t n, char *err, size_t el);
int config_num_field(const cJSON *o, const char *key, double min, double max, double *dst,
                     char *err, size_t el);
/* Refuse keys of o not in keys (NULL-terminated); where ends the message
 * (" in \"section\""). Keys starting with '_' are comments. */
int config_known_keys(const cJSON *o, const char *const *keys, const char *where, char *err,
                      size_t el);
/* *out = 0 when val is a, 1 when it is b; else -1 with the message
 * "\"<what>\" must be \"<a>\" or \"<b>\"". */
int config_choice(const char *val, const char *what, const char *a, const char *b, int *out,
                  char *err, size_t el);
/* dst from the environment variable name when it is set and not empty. */
void config_env_str(const char *name, char *dst, size_t n);

#endif
