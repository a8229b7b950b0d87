/*
 * console.c - the console channel (see console.h): ingress from stdin,
 * egress to stdout, the core in between.
 *
 * Egress claims this channel's queued messages and prints those for the
 * person at this terminal; a message for another console user (someone
 * else chatting on the same database) is put back in the queue untouched.
 *
 * Single-threaded. Owns nothing beyond one call.
 */
#include "adapters/console/console.h"
#include "adapters/channel.h"
#include "bot/base/bb.h"
#include "bot/core/outmsg.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

/* Text and numbered choices on a terminal (jsonl: the choices as data);
 * what was printed stays printed. */
static const struct chan_caps console_caps = {
    .edits_sent = 0,
    .buttons_max = 0, /* choices are numbered lines */
    .text_max = 0,
    .documents = 1, /* shown as a line naming the file */
};

const struct chan_def console_chan_def = {
    .name = CONSOLE_CHANNEL,
    .title = "Console",
    .caps = &console_caps,
    .new_chan = NULL, /* run by `bimbing chat`, not by the service */
};

/* Messages taken from the outbox and shown, to be marked sent only once
 * the output holding them is flushed (a crash in between sends them again). */
struct shown {
    int64_t ids[1024];
    int n;
};

static int mark_shown(struct store *st, struct shown *sh)
{
    int rc = BB_OK;
    for (int i = 0; i < sh->n && rc == BB_OK; i++)
        rc = store_outbox_mark(st, sh->ids[i], STORE_OUT_SENT, NULL, NULL, 0);
    sh->n = 0;
    return rc;
}

/* Print (or collect into replies) what the outbox holds for us. */
/* Write a document into dir under its own name (outmsg checked it has no
 * '/'); *note gets " saved as PATH". */
static int save_doc(const char *dir, const struct outmsg *b, char *note, size_t n)
{
    char path[512];
    FILE *fp;
    int ok;
    if (bb_snprintf(path, sizeof(path), "%s/%s", dir, b->doc_name) != BB_OK)
        return BB_ELIMIT;
    if (!(fp = fopen(path, "wb")))
        return BB_EIO;
    ok = fwrite(b->doc_data, 1, b->doc_len, fp) == b->doc_len;
    ok = fclose(fp) == 0 && ok;
    if (!ok)
        return BB_EIO;
    return bb_snprintf(note, n, " saved as %s", path);
}

static int egress(struct store *st, const struct console_opts *o, cJSON *replies, struct shown *sh)
{
    struct store_outbox_msg *m = NULL;
    int n = 0, rc = BB_OK;
    for (int round = 0; round < 100 && sh->n < (int)BB_ARRAY_LEN(sh->ids) - 100; round++) {
        rc = store_outbox_claim(st, CONSOLE_CHANNEL, bb_now(), 100, &m, &n);
        if (rc != BB_OK)
            return rc;
        if (n == 0)
            break;
        int ours = 0;
        for (int i = 0; i < n; i++) {
            if (strcmp(m[i].ext_user, o->nip) != 0) {
                store_outbox_mark(st, m[i].id, STORE_OUT_QUEUED, NULL, NULL, bb_now());
                continue;
            }
            ours++;
            sh->ids[sh->n++] = m[i].id;
            struct outmsg b;
            int ok = outmsg_decode(m[i].body, &b) == BB_OK;
            int visible = ok && (b.kind == OUTMSG_SAY || b.kind == OUTMSG_DOC);
            char *with_doc = NULL;
            if (ok && b.kind == OUTMSG_DOC) {
                /* a document: its caption, then a line naming the file (the
                 * bytes are in the outbox row; --jsonl adds name, type, size) */
                struct bb_buf db;
                bb_buf_init(&db, OUTMSG_TEXT_MAX + 512);
                char saved[600] = "";
                if (o->files_dir && save_doc(o->files_dir, &b, saved, sizeof(saved)) != BB_OK)
                    bb_strlcpy(saved, " (could not be saved)", sizeof(saved));
                if (bb_buf_printf(&db, "%s%s[file: %s (%s)]%s", b.text ? b.text : "",
                                  b.text ? "\n" : "", b.doc_name, b.doc_type, saved) == BB_OK)
                    with_doc = bb_buf_take(&db);
                bb_buf_free(&db);
            }
            const char *text = with_doc ? with_doc : b.text ? b.text : "";
            if (visible && replies) {
                cJSON *r = cJSON_CreateObject();
                cJSON_AddStringToObject(r, "text", text);
                if (b.kind == OUTMSG_DOC) {
                    cJSON *doc = cJSON_AddObjectToObject(r, "doc");
                    cJSON_AddStringToObject(doc, "name", b.doc_name);
                    cJSON_AddStringToObject(doc, "type", b.doc_type);
                    cJSON_AddNumberToObject(doc, "size", (double)b.doc_len);
                }
                if (b.choices) {
                    cJSON *arr = cJSON_AddArrayToObject(r, "choices");
                    for (int k = 0; arr && k < b.nchoices; k++) {
                        cJSON *c = cJSON_CreateObject();
                        cJSON_AddItemToArray(arr, c);
                        cJSON_AddStringToObject(c, "id", b.choices[k].id);
                        cJSON_AddStringToObject(c, "label", b.choices[k].label);
                    }
                }
                cJSON_AddItemToArray(replies, r);
            } else if (visible) {
                fprintf(o->out, "%s\n", text);
                for (int k = 0; k < b.nchoices; k++)
                    fprintf(o->out, "  %d. %s\n", k + 1, b.choices[k].label);
                fprintf(o->out, "\n");
            }
            free(with_doc);
            outmsg_clear(&b);
        }
        store_outbox_free(m, n);
        m = NULL;
        if (ours == 0)
            break; /* only other people's messages are left */
    }
    return BB_OK;
}

static int ingest(struct store *st, const char *nip, int kind, const char *text,
                  const char *payload)
{
    struct store_inbox_event ev;
    unsigned char rnd[8];
    int dup = 0;
    memset(&ev, 0, sizeof(ev));
    bb_strlcpy(ev.channel, CONSOLE_CHANNEL, sizeof(ev.channel));
    bb_strlcpy(ev.ext_user, nip, sizeof(ev.ext_user));
    if (bb_random(rnd, sizeof(rnd)) != BB_OK)
        return BB_EIO;
    bb_snprintf(ev.ext_msg_id, sizeof(ev.ext_msg_id), "c%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0],
                rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
    ev.kind = kind;
    ev.text = (char *)text;
    if (payload)
        bb_strlcpy(ev.payload, payload, sizeof(ev.payload));
    ev.ts = bb_now();
    return store_inbox_add(st, &ev, &dup, NULL);
}

/* One JSON-object input line; returns 1 if it was one, with *err set on a
 * malformed one. */
static int control_line(struct store *st, struct core *core, const struct console_opts *o,
                        const char *line, int *err)
{
    cJSON *j;
    const cJSON *v;
    *err = 0;
    if (line[0] != '{')
        return 0;
    j = cJSON_Parse(line);
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        *err = BB_EINVAL;
        return 1;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(j, "text")) && cJSON_IsString(v)) {
        *err = ingest(st, o->nip, STORE_EV_TEXT, v->valuestring, NULL);
    } else if ((v = cJSON_GetObjectItemCaseSensitive(j, "button")) && cJSON_IsString(v)) {
        *err = ingest(st, o->nip, STORE_EV_BUTTON, NULL, v->valuestring);
    } else if ((v = cJSON_GetObjectItemCaseSensitive(j, "clock")) && cJSON_IsString(v)) {
        int64_t t;
        if (v->valuestring[0] == '+' && bb_parse_duration(v->valuestring + 1, &t) == BB_OK)
            bb_clock_advance(t);
        else if (bb_parse_iso8601(v->valuestring, &t) == BB_OK)
            bb_clock_set(t);
        else
            *err = BB_EINVAL;
        if (!*err)
            *err = core_tick(core, bb_now(), NULL);
    } else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "sync"))) {
        *err = BB_OK; /* nothing: its answer says all before it is done */
    } else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "tick"))) {
        *err = core_tick(core, bb_now(), NULL);
    } else {
        *err = BB_EINVAL;
    }
    cJSON_Delete(j);
    return 1;
}

int console_run(struct store *st, struct core *core, const struct console_opts *o)
{
    struct store_person p;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc, tty = !o->jsonl && isatty(fileno(o->in));
    int64_t linked = 0;

    rc = store_person_by_nip(st, o->nip, &p);
    if (rc != BB_OK)
        return rc;
    /* The console is an operator's tool on the server itself: the person
     * named on the command line is linked without an invite. */
    if (store_identity_person(st, CONSOLE_CHANNEL, o->nip, &linked) != BB_OK || linked != p.id) {
        rc = store_identity_link(st, CONSOLE_CHANNEL, o->nip, p.id, bb_now());
        if (rc != BB_OK)
            return rc;
    }
    /* Anything left from before: replies claimed but never shown (a crash),
     * timers that came due while nobody was chatting, unprocessed input. */
    int recovered = 0;
    struct shown sh = {.n = 0};
    if ((rc = store_outbox_recover_chat(st, CONSOLE_CHANNEL, o->nip, &recovered)) != BB_OK ||
        (rc = core_tick(core, bb_now(), NULL)) != BB_OK ||
        (rc = core_drain(core, o->batch, NULL)) != BB_OK)
        return rc;
    cJSON *pending = o->jsonl ? cJSON_CreateArray() : NULL;
    if ((rc = egress(st, o, pending, &sh)) != BB_OK)
        goto out;
    if (!o->jsonl) {
        fflush(o->out);
        if ((rc = mark_shown(st, &sh)) != BB_OK)
            goto out;
    }
    if (tty)
        fprintf(o->out, "(%s; type /menu to start, /help for help, Ctrl-D to leave)\n> ", p.name);
    fflush(o->out);
    while ((len = getline(&line, &cap, o->in)) >= 0) {
        int err = 0;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 && !o->jsonl) {
            if (tty)
                fprintf(o->out, "> ");
            continue;
        }
        if (len > CONSOLE_LINE_MAX || !bb_utf8_valid(line, (size_t)len)) {
            err = BB_EINVAL;
        } else if (!o->jsonl || !control_line(st, core, o, line, &err)) {
            err = ingest(st, o->nip, STORE_EV_TEXT, line, NULL);
        }
        if (err == BB_OK)
            err = core_drain(core, o->batch, NULL);
        cJSON *replies = o->jsonl ? cJSON_CreateArray() : NULL;
        if (pending && replies) {
            /* replies waiting from start-up go out with the first answer */
            while (cJSON_GetArraySize(pending) > 0)
                cJSON_AddItemToArray(replies, cJSON_DetachItemFromArray(pending, 0));
        }
        if (err == BB_OK)
            err = egress(st, o, replies, &sh);
        if (o->jsonl) {
            cJSON *res = cJSON_CreateObject();
            cJSON_AddItemToObject(res, "replies", replies ? replies : cJSON_CreateArray());
            if (err != BB_OK)
                cJSON_AddStringToObject(res, "error",
                                        err == BB_EINVAL ? "invalid input line (too long, not "
                                                           "UTF-8, or a malformed control object)"
                                                         : bb_strerror(err));
            char *s = cJSON_PrintUnformatted(res);
            fprintf(o->out, "%s\n", s ? s : "{\"replies\":[]}");
            cJSON_free(s);
            cJSON_Delete(res);
        } else if (err != BB_OK) {
            fprintf(o->out, "(error: %s)\n", bb_strerror(err));
        }
        if (tty)
            fprintf(o->out, "> ");
        fflush(o->out);
        /* shown (and flushed): now they count as sent */
        int mrc = mark_shown(st, &sh);
        if (err == BB_OK || err == BB_EINVAL)
            err = mrc != BB_OK ? mrc : err;
        if (err != BB_OK && err != BB_EINVAL) {
            rc = err;
            break;
        }
    }
out:
    cJSON_Delete(pending);
    free(line);
    return rc;
}
