/*
 * outmsg.h - the one encoder and decoder of outbox message bodies: the
 * channel-neutral JSON every channel renders,
 *     {"text":..,"q":..,"choices":[{"id":..,"label":..}]}   a message
 *     {"answered":Q,"text":LABEL} / {"stale":PAYLOAD}         notices
 *     {"text":CAPTION,"doc":{"name":..,"type":..,"size":N,"data":BASE64}}
 *                                                              a document (a file)
 * The core and the domain modules encode (through core_send_*), the
 * channels in adapters/ encode their own prompts and decode every row.
 *
 * Pure; any thread. A decoded message owns its text and choices
 * (outmsg_clear frees them); encoded JSON is malloc'd (free()).
 */
#ifndef OUTMSG_H
#define OUTMSG_H

#include <stddef.h>

#define OUTMSG_TEXT_MAX    (64 * 1024) /* bytes of text a body may hold */
#define OUTMSG_CHOICES_MAX 100
#define OUTMSG_DOC_MAX     (2 * 1024 * 1024) /* bytes of one document */

struct outmsg_choice {
    char id[64];     /* what a press sends back (struct flow_choice's sizes) */
    char label[160]; /* in the person's language */
};

enum outmsg_kind {
    OUTMSG_SAY = 0,  /* a message to show */
    OUTMSG_ANSWERED, /* a notice: question `answered` was answered with `text` */
    OUTMSG_STALE,    /* a notice: button `stale` was pressed too late */
    OUTMSG_DOC,      /* a file to deliver (text, when set, is its caption) */
};

struct outmsg {
    int kind;                      /* enum outmsg_kind; decoded from which key is present */
    char *text;                    /* NULL: none (a notice without text) */
    struct outmsg_choice *choices; /* nchoices of them */
    int nchoices;
    char q[128];        /* the question's payload ("q12") when it asks */
    char answered[128]; /* an "answered" notice: the question payload */
    char stale[128];    /* a "stale" notice: the button payload pressed */
    /* A document: a file name (no '/', no control characters), a media
     * type ("application/json") and 1..OUTMSG_DOC_MAX bytes (doc_data is
     * owned by a decoded message; NUL after the bytes). */
    char doc_name[128];
    char doc_type[64];
    unsigned char *doc_data;
    size_t doc_len;
};

/* JSON text of m into *json (malloc'd; free()). Keys in a fixed order:
 * answered or stale (by kind, even when empty), text (when not NULL), q
 * (when set), choices (when any). BB_EINVAL for a message with no text
 * that is not a notice. */
int outmsg_encode(const struct outmsg *m, char **json);
/* A document body with an optional caption (text may be NULL); BB_EINVAL
 * for a bad name or type, or no bytes; BB_ELIMIT above OUTMSG_DOC_MAX. */
int outmsg_encode_doc(const char *name, const char *type, const void *data, size_t len,
                      const char *caption, char **json);
/* What a document's row keeps once it was delivered: its caption (or
 * its file name) as a plain message, without the bytes. BB_ENOTFOUND when
 * body is not a document. */
int outmsg_doc_delivered(const char *body, char **json);
/* A body with only text: {"text":T}. */
int outmsg_encode_text(const char *text, char **json);

/* Parse a body into m. BB_EINVAL for anything that is not one of the
 * shapes above (not an object, text not a string, no text and no notice,
 * a choice without string id and label, too many choices or too much
 * text, a document with a bad name, type or data, or too large). Free with outmsg_clear() (also
 * after an error: m is zeroed). */
int outmsg_decode(const char *body, struct outmsg *m);
void outmsg_clear(struct outmsg *m);

#endif
