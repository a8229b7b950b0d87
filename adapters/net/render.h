/*
 * render.h - turning a channel-neutral outbox message into what a channel
 * can show: long text split on paragraph, line or word boundaries (never
 * inside a UTF-8 sequence), and choices as numbered text where a channel
 * has no buttons (or too many choices for its buttons).
 *
 * Pure; any thread. Results are malloc'd and owned by the caller.
 */
#ifndef RENDER_H
#define RENDER_H

#include <stddef.h>

/* The outbox body, parsed. */
struct render_choice {
    char id[64];
    char label[160];
};

struct render_msg {
    char *text;                    /* owned */
    struct render_choice *choices; /* owned */
    int nchoices;
    char q[32];        /* the question's payload ("q12") when it asks */
    char answered[32]; /* an "answered" notice: the question payload */
    char stale[64];    /* a "stale" notice: the button payload pressed */
};

/* Parse an outbox body ({"text","choices","q"} or {"answered"/"stale"}).
 * BB_EINVAL for anything else. Free with render_msg_clear(). */
int render_parse(const char *body, struct render_msg *m);
void render_msg_clear(struct render_msg *m);

/* Split text into parts of at most max_chars characters (code points),
 * preferring a paragraph break, then a line break, then a space, and only
 * then a hard cut between characters. *parts is a malloc'd array of
 * malloc'd strings; free with render_parts_free. Empty text gives one
 * empty part. */
int render_split(const char *text, size_t max_chars, char ***parts, int *n);
void render_parts_free(char **parts, int n);

/* Append the choices as numbered lines ("1. Label") to the text. Returns a
 * malloc'd string. */
char *render_numbered(const char *text, const struct render_choice *c, int n);

#endif
