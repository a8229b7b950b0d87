/*
 * store.h - everything bimbing keeps, behind one interface. This module is
 * the only place in the project with SQL. The embedded backend is SQLite
 * (store.c); another backend would implement this same header.
 *
 * Thread rules: a struct store is used by one thread at a time. In the
 * service that is the core thread, which owns the one writing connection;
 * CLI commands open their own store (SQLite WAL lets them run beside the
 * service). Strings in the structs below are copied in (fixed, bounded
 * fields); functions that hand out heap memory say who frees it.
 *
 * Errors: every function returns 0 (BB_OK) or a negative enum bb_err;
 * BB_ENOTFOUND when a looked-up row does not exist; BB_EIO for database
 * errors, with store_errmsg() giving SQLite's text.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct store;

enum store_sync { STORE_SYNC_FULL = 0, STORE_SYNC_NORMAL = 1 };

struct store_opts {
    int sync;         /* enum store_sync; FULL survives power loss */
    int busy_timeout; /* milliseconds to wait on a lock held by another process */
};

/* Open (creating it and its parent directory if needed) and migrate to the
 * newest schema. opts may be NULL for defaults (FULL, 5000 ms). */
int store_open(const char *path, const struct store_opts *opts, struct store **out);
void store_free(struct store *st); /* NULL is a no-op */
const char *store_errmsg(struct store *st);
int store_schema_version(struct store *st, int *out);

/* The schema version of the database at path without opening it for
 * writing or migrating it (*have; 0 for a new file), and the newest this
 * program knows (*want). BB_ENOTFOUND if there is no such file. */
int store_schema_status(const char *path, int *have, int *want);

/* A consistent copy of the open database into a new file at path (SQLite's
 * online backup API: the service keeps running). The copy is written to a
 * temporary name beside path, checked (quick_check), synced and renamed;
 * an existing path is refused (BB_EEXIST) and nothing is left behind on
 * failure. */
int store_backup(struct store *st, const char *path);

/* Transactions. begin/commit/rollback nest: only the outermost pair touches
 * the database (a counter). A rollback inside marks the whole transaction to
 * roll back at the outermost end, and the outermost commit then returns
 * BB_ESTATE. */
int store_begin(struct store *st);
int store_commit(struct store *st);
int store_rollback(struct store *st);

/* Work that may be done only once what a transaction wrote is durable (move
 * a polling offset, answer a webhook, send a claimed message): fn(arg, 1)
 * runs right after the outermost COMMIT succeeds, fn(arg, 0) when the
 * outermost transaction rolls back (or its COMMIT fails) instead. Outside a
 * transaction fn(arg, 1) runs at once. The same (fn, arg) pair is kept once
 * per transaction; at most STORE_AFTER_MAX pairs (BB_ELIMIT beyond, nothing
 * kept). Hooks run in the order they were added, outside the transaction,
 * and may begin new ones. */
#define STORE_AFTER_MAX 16
typedef void (*store_after_fn)(void *arg, int committed);
int store_after_commit(struct store *st, store_after_fn fn, void *arg);
/* Is a transaction open (store_begin() not yet matched)? */
int store_in_tx(const struct store *st);

/* ---- people ------------------------------------------------------------ */

struct store_person {
    int64_t id;
    char nip[32];
    char name[128];
    char unit[128];
    char position[128];
    char grade[16];
    char role[16]; /* employee, mentor, hr, admin, counsellor */
    char lang[8];  /* id, en */
    char tz[48];   /* IANA name, e.g. Asia/Jakarta */
    char phone[32];
    char email[128];
    char supervisor_nip[32];
    char strengths[256]; /* comma-separated competency tags */
    char interests[256];
    char gender[2];     /* "L", "P" or "" (not given: see bb_nip_gender) */
    char panggilan[64]; /* the name to address them by, "" for their first name */
    int64_t created_at;
    int64_t updated_at;
};

/* Insert or update by NIP. *created (may be NULL) is 1 for a new person.
 * Fields given as "" on update keep their stored value, except that lang,
 * tz and role get defaults (id, Asia/Jakarta, employee) on insert. */
int store_person_upsert(struct store *st, const struct store_person *p, int64_t *id_out,
                        int *created);
int store_person_by_nip(struct store *st, const char *nip, struct store_person *out);
/* An audit actor as people read it: "operator" -> "Operator", "hr:<NIP>"
 * or "counsellor:<NIP>" -> that person's name (the NIP when no longer
 * known), anything else as it is. Always writes a string to out. */
void store_actor_name(struct store *st, const char *actor, char *out, size_t n);
int store_person_by_id(struct store *st, int64_t id, struct store_person *out);
int store_person_by_phone(struct store *st, const char *phone, struct store_person *out);
int store_person_set_lang(struct store *st, int64_t id, const char *lang);
int store_person_count(struct store *st, int64_t *out);
/* The HR officer who hears a person's request for help: someone with the
 * role hr, not the person, reachable (an unblocked chat), of the person's
 * own unit first, else the lowest id. BB_ENOTFOUND when there is none. */
int store_person_hr_contact(struct store *st, int64_t person_id, const char *unit,
                            struct store_person *out);

/* ---- identities: (channel, external id) -> person ---------------------- */

/* Link, replacing any earlier link of that (channel, ext_id). */
int store_identity_link(struct store *st, const char *channel, const char *ext_id,
                        int64_t person_id, int64_t now);
int store_identity_person(struct store *st, const char *channel, const char *ext_id,
                          int64_t *person_id);
/* The person's identity on a channel, newest first; BB_ENOTFOUND if none. */
int store_identity_of(struct store *st, int64_t person_id, const char *channel, char *ext_id,
                      size_t n);
/* The channel the person wrote from most recently (for replies to timers and
 * HR sends); BB_ENOTFOUND when the person has no identity at all. */
int store_identity_last(struct store *st, int64_t person_id, char *channel, size_t cn, char *ext_id,
                        size_t en);
/* Record that the person wrote now (at most one write a minute; no error for
 * an unknown identity). */
int store_identity_touch(struct store *st, const char *channel, const char *ext_id, int64_t now);
/* Keep an identity's public handle (a Telegram username; "" clears it);
 * BB_ENOTFOUND for an identity not linked yet. Written only when it
 * changed. */
int store_identity_set_handle(struct store *st, const char *channel, const char *ext_id,
                              const char *handle);
/* The person's newest non-empty handle on a channel; BB_ENOTFOUND if none. */
int store_identity_handle(struct store *st, int64_t person_id, const char *channel, char *out,
                          size_t n);
int store_identity_set_blocked(struct store *st, const char *channel, const char *ext_id,
                               int blocked, int64_t now);

/* ---- invites: one-time codes, stored only as SHA-256 hex ---------------- */

int store_invite_add(struct store *st, int64_t person_id, const char *code_hash, int64_t now,
                     int64_t expires_at);
/* Mark used and give the person; BB_ENOTFOUND for an unknown or already used
 * code, BB_EEXPIRED for an expired one. Atomic: a code works once. */
int store_invite_redeem(struct store *st, const char *code_hash, int64_t now, int64_t *person_id);

/* ---- consents: an append-only history; the newest row per purpose wins -- */

int store_consent_set(struct store *st, int64_t person_id, const char *purpose, int granted,
                      int64_t now);
/* *granted = -1 when never asked, else 0 or 1. */
int store_consent_get(struct store *st, int64_t person_id, const char *purpose, int *granted);
/* The same for n purposes at once (one query): granted[i] for purposes[i]. */
int store_consent_all(struct store *st, int64_t person_id, const char *const *purposes, int n,
                      int *granted);

/* ---- a person's data by category (store_category.c) ---------------------- */

/* Rows stored about the person in a data category (bot/flow/flow.h's
 * flow_categories names); BB_EINVAL for an unknown category. */
int store_category_count(struct store *st, int64_t person_id, const char *category, int64_t *n);
/* Erase the person's rows of a category (when its consent is withdrawn);
 * *erased (may be NULL): how many rows went. Run it inside a transaction. */
int store_category_erase(struct store *st, int64_t person_id, const char *category,
                         int64_t *erased);

/* ---- flow versions: the source of every flow version ever loaded -------- */

/* Keep the source of (id, version). The same id and version with a different
 * source is BB_EEXIST (a flow edited without a version bump). */
int store_flow_put(struct store *st, const char *id, int version, const char *source, int64_t now);
/* *source is malloc'd; the caller frees it. */
int store_flow_get(struct store *st, const char *id, int version, char **source);

/* ---- sessions: one per person, the engine's state as JSON --------------- */

/* *state_json is malloc'd; the caller frees it. */
int store_session_get(struct store *st, int64_t person_id, char **state_json);
int store_session_put(struct store *st, int64_t person_id, const char *flow_id, int version,
                      const char *node, const char *state_json, int64_t now);
int store_session_delete(struct store *st, int64_t person_id);
int store_session_count_active(struct store *st, int64_t *out);

/* ---- inbox: every inbound event, unique on (channel, ext_msg_id) -------- */

enum store_ev_kind {
    STORE_EV_TEXT = 1,   /* the person typed text */
    STORE_EV_BUTTON = 2, /* the person pressed a button; payload holds its id */
    STORE_EV_TIMER = 3,  /* a timer fired; payload holds the timer kind */
    STORE_EV_START = 4,  /* start a flow for the person (HR send); payload = flow id */
};

struct store_inbox_event {
    int64_t id;
    char channel[16];  /* "telegram", "whatsapp", "web", "console", "" for internal */
    char ext_user[64]; /* the platform's user/chat id; "" for internal events */
    char ext_msg_id[96];
    int64_t person_id; /* known person (internal events), else 0 */
    int kind;          /* enum store_ev_kind */
    char *text;        /* malloc'd, may be NULL */
    char payload[256];
    int64_t ts;
};

/* Append an event. *dup = 1 (and nothing is written) when the same
 * (channel, ext_msg_id) is already there. text may be NULL. */
int store_inbox_add(struct store *st, const struct store_inbox_event *ev, int *dup,
                    int64_t *id_out);
/* Up to limit unprocessed events, oldest first. *evs is malloc'd; free with
 * store_inbox_free(). */
int store_inbox_next(struct store *st, int limit, struct store_inbox_event **evs, int *n);
void store_inbox_free(struct store_inbox_event *evs, int n);
int store_inbox_done(struct store *st, int64_t id, int64_t now);
/* Mark done every unprocessed event with id <= max_id: the core's batch,
 * which is always the oldest unprocessed events (store_inbox_next). */
int store_inbox_done_upto(struct store *st, int64_t max_id, int64_t now);
int store_inbox_pending(struct store *st, int64_t *out);

/* ---- outbox: every outbound message until it is sent or has failed ------ */

enum store_out_state {
    STORE_OUT_QUEUED = 0,
    STORE_OUT_SENDING = 1, /* handed to the network; back to QUEUED after a crash */
    STORE_OUT_SENT = 2,
    STORE_OUT_DELIVERED = 3,
    STORE_OUT_READ = 4,
    STORE_OUT_FAILED = 5,
    STORE_OUT_BLOCKED = 6,
};
enum store_out_prio { STORE_PRIO_LIVE = 0, STORE_PRIO_BULK = 1 };

struct store_outbox_msg {
    int64_t id;
    int64_t person_id;
    char channel[16];
    char ext_user[64];
    int priority; /* enum store_out_prio: LIVE goes before BULK */
    char *body;   /* malloc'd channel-neutral JSON: {"text":..,"choices":[{"id","label"}]} */
    int state;    /* enum store_out_state */
    int attempts;
    int64_t due; /* not before this time */
    int64_t created_at;
    char ext_msg_id[96]; /* the platform's id once sent */
    int64_t batch_id;    /* broadcast or wave id, 0 for conversation replies */
};

int store_outbox_add(struct store *st, const struct store_outbox_msg *m, int64_t *id_out);
/* The common case of store_outbox_add: a message due now. */
int store_outbox_put(struct store *st, int64_t person_id, const char *channel, const char *ext_user,
                     int priority, const char *body, int64_t batch_id, int64_t *id_out);
/* Up to limit QUEUED messages of a channel with due <= now, LIVE first, then
 * oldest; they are set to SENDING in the same call. */
int store_outbox_claim(struct store *st, const char *channel, int64_t now, int limit,
                       struct store_outbox_msg **msgs, int *n);
void store_outbox_free(struct store_outbox_msg *msgs, int n);
/* Record an outcome. ext_msg_id and error may be NULL. For QUEUED, next_due
 * is when to try again and attempts is incremented. */
int store_outbox_mark(struct store *st, int64_t id, int state, const char *ext_msg_id,
                      const char *error, int64_t next_due);
/* Delivery receipts arrive by the platform's message id. Moves only forward
 * (SENT < DELIVERED < READ); FAILED always applies. BB_ENOTFOUND if unknown. */
int store_outbox_status_by_ext(struct store *st, const char *channel, const char *ext_msg_id,
                               int state, const char *error, int64_t now);
/* At start-up: SENDING rows go back to QUEUED (they may have been sent). */
int store_outbox_recover(struct store *st, int *n);
int store_outbox_pending(struct store *st, const char *channel, int64_t *out);

/* ---- timers ------------------------------------------------------------ */

struct store_timer {
    int64_t id;
    int64_t person_id;
    char kind[32];     /* e.g. "remind", "expire", "wake", "flow:<id>" */
    char payload[256]; /* free text for the owner of the timer kind */
    int64_t due;
};

int store_timer_add(struct store *st, const struct store_timer *t, int64_t *id_out);
/* The person's one timer of t->kind, created or moved (for kinds a person
 * has at most one of: remind, expire, wake). */
int store_timer_set(struct store *st, const struct store_timer *t);
/* Remove pending timers of a person; kind NULL removes all of them. */
int store_timer_cancel(struct store *st, int64_t person_id, const char *kind);
/* Up to limit timers with due <= now, earliest first. Free with free(). */
int store_timer_due(struct store *st, int64_t now, int limit, struct store_timer **out, int *n);
int store_timer_delete(struct store *st, int64_t id);
/* The same timer (same id, so a plan that points at it still does) at a new
 * due time: working time moves timers this way (bot/core/worktime.h). */
int store_timer_move(struct store *st, int64_t id, int64_t due);

/* ---- check-ins --------------------------------------------------------- */

struct store_checkin {
    int64_t id;
    int64_t person_id;
    int64_t at;
    int mood;        /* 1-5, or 0 when not given */
    char win[16384]; /* a typed answer: up to 4,000 characters of any script */
    char blocker[16384];
    int wants_help;    /* 0/1, or -1 when not given */
    char extra[36864]; /* JSON object of any other recorded fields (a 4,000-character story), or ""
                        */
};

int store_checkin_add(struct store *st, const struct store_checkin *c, int64_t *id_out);
/* Newest first. Free with free(). */
int store_checkin_list(struct store *st, int64_t person_id, int limit, struct store_checkin **out,
                       int *n);

/* ---- audit log: who did what, for HR actions and a person's processing log */

int store_audit(struct store *st, const char *actor, const char *action, int64_t subject_person,
                const char *detail, int64_t now);

/* ---- registration attempts (store_reg.c): wrong invite codes per chat --- */

int store_attempts_add(struct store *st, const char *channel, const char *ext_user, int64_t now);
/* Attempts from that chat at or after `since`. */
int store_attempts_count(struct store *st, const char *channel, const char *ext_user, int64_t since,
                         int64_t *out);

/* ---- channels (store_chan.c) ----------------------------------------- */

/* *blocked = 1 when the identity is marked blocked; 0 when not or unknown. */
int store_identity_blocked(struct store *st, const char *channel, const char *ext_id, int *blocked);
/* The newest message sent to a chat whose body asks question q ("q12"):
 * its platform id (ext_msg_id, "" if it has none) and body (*body malloc'd,
 * caller frees). BB_ENOTFOUND if none. */
int store_outbox_find_question(struct store *st, const char *channel, const char *ext_user,
                               const char *q, char *ext_msg_id, size_t n, char **body);
/* SENDING rows of one chat back to QUEUED (a channel that restarts alone,
 * like the console, must not touch another process's rows in flight). */
int store_outbox_recover_chat(struct store *st, const char *channel, const char *ext_user, int *n);
/* Messages of a chat after an outbox id, oldest first, at most limit (for
 * a reconnecting web chat). Free with store_outbox_free(). */
int store_outbox_after(struct store *st, const char *channel, const char *ext_user,
                       int64_t after_id, int limit, struct store_outbox_msg **msgs, int *n);
/* Replace the body of outbox row id (a downloaded document's bytes
 * dropped); BB_ENOTFOUND when there is no such row. */
int store_outbox_set_body(struct store *st, int64_t id, const char *body);

/* ---- a person's data, for the personal data law (UU 27/2022) ------------ */

/* Everything stored about the person as one JSON object (*out owned by the
 * caller, cJSON_Delete): person, identities, consents, sessions, check-ins,
 * inbox and outbox messages, timers, invites (without hashes), audit entries
 * about them. */
int store_person_export(struct store *st, int64_t person_id, cJSON **out);
/* Erase the person and everything linked to them, in one transaction. The
 * audit log keeps one line that a forget happened, naming the NIP's SHA-256
 * only; *kept (may be NULL, caller frees) describes what was kept and why. */
int store_person_forget(struct store *st, int64_t person_id, int64_t now, char **kept);
/* A personal table that belongs to one channel (export key "web_sessions",
 * "whatsapp_window") is found through that channel's identities; the program
 * names the channel once after opening the store (the channel list does it:
 * adapters/service/channels.c). Export and forget refuse with BB_ESTATE
 * while such a table has no channel. BB_ELIMIT past STORE_OWNERS_MAX. */
int store_set_table_channel(struct store *st, const char *table, const char *channel);

#endif
