/*
 * store_handoff.h - conversations handed to a person (a counsellor): the
 * handoffs table (one open per person at most) and every message of a
 * handoff both ways, kept from the moment it opened. Personal data: both
 * tables are in store_person_tables (export and forget).
 *
 * Who may call: the core (bot/core/handoff.c, opening from the chat and
 * the person's messages), the dashboard (reading, answering, closing).
 * Same thread rules and error codes as store.h. Strings are copied; lists
 * are malloc'd, freed with the function named below.
 */
#ifndef STORE_HANDOFF_H
#define STORE_HANDOFF_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_HANDOFF_TEXT_MAX 32768 /* bytes of one message (4,000 characters in any script) */

struct store_handoff {
    int64_t id;
    int64_t person_id;
    char reason[16];  /* command, distress, wellbeing */
    char paused[128]; /* title of the flow paused when it opened, or "" */
    int64_t opened_at;
    int64_t last_in_at;  /* the person's latest message, 0: none yet */
    int64_t last_out_at; /* the latest answer, 0: none yet */
    int64_t closed_at;   /* 0 while open */
    char closed_by[48];  /* "person", or the dashboard's actor */
    int64_t n_in;        /* the person's messages */
    int waiting;         /* 1: the newest message is the person's (no answer since) */
    /* the person, for lists */
    char nip[32];
    char name[128];
    char unit[128];
    char lang[8];
};

struct store_handoff_msg {
    int64_t at;
    int out;         /* 0: from the person, 1: an answer */
    char author[48]; /* an answer's actor (audit form), "" for the person */
    char shown[64];  /* the name the person saw with an answer */
    char *body;
};

/* Open a handoff for the person; *id (may be NULL) its id. BB_EEXIST when
 * one is open already (nothing changes). reason and paused are bounded by
 * their fields (BB_EINVAL when longer). */
int store_handoff_open(struct store *st, int64_t person_id, const char *reason, const char *paused,
                       int64_t now, int64_t *id);
/* The person's open handoff; BB_ENOTFOUND when none is open. */
int store_handoff_current(struct store *st, int64_t person_id, struct store_handoff *out);
/* A handoff by id, open or closed; BB_ENOTFOUND when there is none. */
int store_handoff_get(struct store *st, int64_t id, struct store_handoff *out);
/* Add a message to an OPEN handoff: from the person (out 0) or an answer
 * (out 1, author and shown set). BB_ENOTFOUND when the handoff is not open;
 * BB_EINVAL for an empty body or one over STORE_HANDOFF_TEXT_MAX. */
int store_handoff_add(struct store *st, int64_t id, int out, const char *author, const char *shown,
                      const char *body, int64_t now);
/* Close an open handoff. BB_ENOTFOUND when it is not open. */
int store_handoff_close(struct store *st, int64_t id, const char *by, int64_t now);
/* The open handoffs: those waiting for an answer first (the person wrote
 * after the last answer), newest message first; then the others, newest
 * first. At most 1000. Free with free(). */
int store_handoff_list_open(struct store *st, struct store_handoff **out, int *n);
/* Every message of a handoff, oldest first (at most 10000). Free with
 * store_handoff_msgs_free(). */
int store_handoff_messages(struct store *st, int64_t id, struct store_handoff_msg **out, int *n);
void store_handoff_msgs_free(struct store_handoff_msg *v, int n);
/* The ids of up to max people with the role counsellor, by id. */
int store_handoff_counsellors(struct store *st, int64_t *ids, int max, int *n);
/* Is there anyone who can read handoffs (a person with the role counsellor)? */
int store_handoff_staffed(struct store *st, int *yes);

#endif
