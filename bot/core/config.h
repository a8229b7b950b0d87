/*
 * config.h - the service's settings: config/bimbing.json (every key has a
 * default; an unknown key or a value out of range is an error naming it)
 * and, for secrets and endpoints, the environment (BIMBING_*).
 *
 * Read once at start-up by main into a struct owned by main; read-only
 * afterwards, so any thread may read it.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>
#include <stdint.h>

struct config {
    char db[512];        /* "db": path of the SQLite file (var/bimbing.db) */
    char flows_dir[512]; /* "flows_dir": directory of flow JSON files (flows) */
    char safety[512];    /* "safety": the distress screen's list (config/safety.json) */
    char web_dir[512];   /* "web_dir": static files of the web chat (web) */
    int durability;      /* "durability": "full" (default) or "normal", see store.h */
    char http_bind[64];  /* "http": {"bind": "127.0.0.1", "port": 8080} */
    int http_port;
    int batch;          /* "batch": inbox events per transaction (100) */
    int anonymity_k;    /* "anonymity_k": smallest group shown in reports (5, >= 3) */
    int64_t invite_ttl; /* "invite_ttl": how long an invite code works ("14d") */
    char log_level[8];  /* "log_level": error, warn, info, debug */
    /* telegram */
    int tg_webhook; /* "telegram": {"mode": "polling" | "webhook", ...} */
    char tg_webhook_url[512];
    char tg_username[64]; /* "telegram": {"username": "..."} for invite deep links */
    double tg_rate_chat;  /* "telegram": {"rate_per_chat": 1, "rate_total": 30} msgs/s */
    double tg_rate_total;
    /* whatsapp */
    double wa_rate; /* "whatsapp": {"rate": 80} msgs/s */
    /* from the environment */
    char tg_token[256];        /* BIMBING_TELEGRAM_TOKEN */
    char tg_api[512];          /* BIMBING_TELEGRAM_API */
    char tg_secret[257];       /* BIMBING_TELEGRAM_WEBHOOK_SECRET */
    char wa_token[512];        /* BIMBING_WHATSAPP_TOKEN */
    char wa_api[512];          /* BIMBING_WHATSAPP_API */
    char wa_phone_id[64];      /* BIMBING_WHATSAPP_PHONE_ID */
    char wa_app_secret[256];   /* BIMBING_WHATSAPP_APP_SECRET */
    char wa_verify_token[256]; /* BIMBING_WHATSAPP_VERIFY_TOKEN */
    char admin_token[256];     /* BIMBING_ADMIN_TOKEN */
};

/* Fill defaults, then read path (NULL or a missing default file: defaults
 * only; a missing file that was asked for is an error), then the
 * environment. On error writes a message naming the key into err. */
int config_load(struct config *c, const char *path, int path_required, char *err, size_t errlen);
void config_defaults(struct config *c);

#endif
