/*
 * console.h - the console channel: a person talks to the coach in a
 * terminal (`bimbing chat --as NIP`). It is a real channel on the one path
 * of every message: each typed line is appended to the inbox, the core
 * processes it, and the replies are taken from the outbox and printed.
 * With jsonl, each input line yields exactly one JSON line:
 *     {"replies":[{"text":"...","choices":[{"id":"...","label":"..."}]}]}
 * This is what transcript tests drive.
 *
 * Thread rules: single-threaded; borrows the store and the core.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdio.h>

#include "bot/core/core.h"
#include "store/store.h"

#define CONSOLE_CHANNEL  "console"
#define CONSOLE_LINE_MAX 65536 /* bytes: a 4,000-character story, JSON-escaped */

struct console_opts {
    const char *nip; /* the person talking */
    int jsonl;       /* machine mode */
    FILE *in, *out;
    int batch; /* inbox events per transaction */
    /* A directory where documents the bot sends (an export) are saved, as
     * their file name; NULL: they are only named. */
    const char *files_dir;
};

/* Run until end of input. Returns 0, or an error code (unknown NIP,
 * database failure). Input lines in jsonl mode may also be JSON objects:
 *   {"text": "..."}          the same as typing the text
 *   {"button": "q3.yes"}     press a button by its choice id
 *   {"clock": "+2h"}         advance the (pinned) clock, then run due timers
 *   {"clock": "2026-12-01T09:00:00Z"}  set it
 *   {"tick": true}           run due timers now
 *   {"sync": true}           nothing; its (empty) answer means every line
 *                            before it is processed and its replies recorded  */
/* The channel's description (adapters/channel.h). */
struct chan_def;
extern const struct chan_def console_chan_def;

int console_run(struct store *st, struct core *core, const struct console_opts *o);

#endif
