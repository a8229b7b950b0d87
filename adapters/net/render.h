/*
 * render.h - turning a channel-neutral outbox message into what a channel
 * can show: long text split on paragraph, line or word boundaries (never
 * inside a UTF-8 sequence), and choices as numbered text where a channel
 * has no buttons (or too many choices for its buttons).
 *
 * The outbox body itself is decoded by bot/core/outmsg.h.
 *
 * Pure; any thread. Results are malloc'd and owned by the caller.
 */
#ifndef RENDER_H
#define RENDER_H

#include <stddef.h>

#include "bot/core/outmsg.h"

/* Split text into parts of at most max_chars characters (code points),
 * preferring a paragraph break, then a line break, then a space, and only
 * then a hard cut between characters. *parts is a malloc'd array of
 * malloc'd strings; free with render_parts_free. Empty text gives one
 * empty part. */
int render_split(const char *text, size_t max_chars, char ***parts, int *n);
void render_parts_free(char **parts, int n);

/* Append the choices as numbered lines ("1. Label") to the text. Choices
 * whose labels are numbers already ("0" ... "10", "1 Berat" ... "5 Hebat")
 * are listed as they are, never renumbered. Returns a malloc'd string. */
char *render_numbered(const char *text, const struct outmsg_choice *c, int n);

#endif
