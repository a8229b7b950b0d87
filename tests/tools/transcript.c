/*
 * transcript.c - play conversation transcripts against the real binary.
 *
 *   transcript [--bin PATH] [--db PATH] [--print] FILE.txt...
 *
 * For each file: a fresh temporary database, a people import, then
 * `bimbing --db DB --flows DIR chat --as NIP --jsonl --now TIME` as a child
 * process on two pipes (fork/exec, no shell). Lines the person types are
 * sent; each yields one JSON line, whose replies must match the expected
 * lines that follow. The format is described in tests/transcripts/README.md.
 *
 * Every read from the child has a deadline (tr_timeout_ms), so a hung child
 * fails its transcript instead of hanging CI; every child is reaped. Prints
 * one line per failure and closes with "N passed, N failed" (one per file).
 *
 *   --bin PATH   the binary (default $BIMBING_BIN, else bin/bimbing)
 *   --db PATH    use this database and keep it (one file only; for scripts
 *                that inspect the result, e.g. with `bimbing export`)
 *   --print      record instead of checking: play the sent lines and print
 *                the whole exchange in transcript syntax (to write a new
 *                transcript: run, review every reply, paste)
 *
 * Single-threaded; owns its children, its temporary directory and all
 * memory it allocates.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "bot/base/bb.h"

#define TR_PATH_MAX    1024
#define TR_RESP_MAX    (1 << 20) /* one JSON response line */
#define TR_TEXT_MAX    (64 * 1024)
#define TR_MAX_EXPECT  64 /* replies expected after one sent line */
#define TR_MAX_CHOICES 16
#define TR_DEFAULT_NOW "2026-11-27T09:00:00Z" /* a Friday, 16:00 WIB */
#define TR_DEFAULT_AS  "198501012010012001"

static int tr_timeout_ms = 10000;

/* One expected reply: its text (lines joined with \n) and its choices. */
struct tr_expect {
    int line;
    int is_error; /* "<! text": the response's error field */
    struct bb_buf text;
    int choices_mode; /* 0 none allowed, 1 listed, 2 any ([*]) */
    int nchoices;
    char *choices[TR_MAX_CHOICES];
};

struct tr_child {
    pid_t pid;
    int in_fd, out_fd;
    struct bb_buf rbuf; /* bytes read, not yet a whole line */
};

struct tr {
    const char *bin;
    const char *file;
    const char *keep_db;
    int print;
    char dir[TR_PATH_MAX];
    char db[TR_PATH_MAX];
    char errlog[TR_PATH_MAX];
    char as[64];
    char people[TR_PATH_MAX];
    char flows[TR_PATH_MAX];
    char consent[TR_PATH_MAX];  /* @consent: purposes every imported person has given */
    char config[TR_PATH_MAX];   /* "" for none */
    char whatsapp[TR_PATH_MAX]; /* @whatsapp: "NIP NUMBER" pairs, space-separated */
    int64_t now;
    int db_ready;
    struct tr_child ch;
    /* the last response and what is expected of it */
    cJSON *resp;
    int resp_line;
    struct tr_expect ex[TR_MAX_EXPECT];
    int nex;
    /* every reply with choices so far, oldest first (for [button N]) */
    cJSON *asked;
    int failed;
};

/* ---- small helpers ---------------------------------------------------------- */

static void tr_fail(struct tr *t, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void tr_fail(struct tr *t, int line, const char *fmt, ...)
{
    va_list ap;
    if (t->failed)
        return;
    t->failed = 1;
    printf("FAIL %s:%d: ", t->file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static const char *tr_indent = "    "; /* "" when recording (--print) */

static void print_text_lines(const char *prefix, const char *text)
{
    const char *p = text;
    int first = 1;
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        printf("%s%s%s%.*s\n", tr_indent, first ? prefix : "<+", n ? " " : "", (int)n, p);
        first = 0;
        if (!nl)
            break;
        p = nl + 1;
    }
}

/* Print one response in transcript syntax (indented, for messages). */
static void print_response(const cJSON *resp)
{
    const cJSON *reps = cJSON_GetObjectItemCaseSensitive(resp, "replies");
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(resp, "error");
    const cJSON *r;
    if (!cJSON_GetArraySize(reps) && !cJSON_IsString(err))
        printf("%s(no replies)\n", tr_indent[0] ? tr_indent : "# ");
    cJSON_ArrayForEach(r, reps)
    {
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(r, "text");
        const cJSON *chs = cJSON_GetObjectItemCaseSensitive(r, "choices");
        const cJSON *c;
        int k = 1;
        print_text_lines("<", cJSON_IsString(text) ? text->valuestring : "");
        cJSON_ArrayForEach(c, chs)
        {
            const cJSON *lab = cJSON_GetObjectItemCaseSensitive(c, "label");
            printf("%s  [%d] %s\n", tr_indent, k++, cJSON_IsString(lab) ? lab->valuestring : "");
        }
    }
    if (cJSON_IsString(err))
        printf("%s<! %s\n", tr_indent, err->valuestring);
}

static void print_expect(const struct tr_expect *e)
{
    print_text_lines(e->is_error ? "<!" : "<", e->text.data ? e->text.data : "");
    if (e->choices_mode == 2)
        printf("      [*]\n");
    for (int i = 0; i < e->nchoices; i++)
        printf("      [%d] %s\n", i + 1, e->choices[i]);
}

static void expect_clear(struct tr *t)
{
    for (int i = 0; i < t->nex; i++) {
        bb_buf_free(&t->ex[i].text);
        for (int k = 0; k < t->ex[i].nchoices; k++)
            free(t->ex[i].choices[k]);
    }
    memset(t->ex, 0, sizeof(t->ex));
    t->nex = 0;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Wait for a child to exit within ms; kill -9 it if it does not. Returns its
 * wait status, or -1 when it had to be killed. Always reaps. */
static int reap(pid_t pid, int ms)
{
    int status = 0;
    for (int waited = 0; waited <= ms; waited += 10) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        if (r < 0 && errno != EINTR)
            return -1;
        sleep_ms(10);
    }
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return -1;
}

/* Show the end of the children's stderr after a failure. */
static void show_errlog(const struct tr *t)
{
    FILE *f = fopen(t->errlog, "r");
    char line[512];
    char *tail[12] = {0};
    int n = 0;
    if (!f)
        return;
    while (fgets(line, sizeof(line), f)) {
        free(tail[n % 12]);
        tail[n % 12] = xstrdup(line);
        n++;
    }
    fclose(f);
    if (n > 0)
        printf("    stderr of the bot (last lines):\n");
    for (int i = n > 12 ? n - 12 : 0; i < n; i++) {
        printf("      %s", tail[i % 12] ? tail[i % 12] : "\n");
        free(tail[i % 12]);
        tail[i % 12] = NULL;
    }
    for (int i = 0; i < 12; i++)
        free(tail[i]);
}

/* ---- running the binary ------------------------------------------------------- */

static int open_errlog(const struct tr *t)
{
    return open(t->errlog, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

/* Run a command to completion (stdout and stderr to the error log).
 * Returns its exit code, or -1. */
static int run_cmd(struct tr *t, char *const argv[])
{
    int efd = open_errlog(t);
    pid_t pid;
    if (efd < 0)
        return -1;
    pid = fork();
    if (pid < 0) {
        close(efd);
        return -1;
    }
    if (pid == 0) {
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0)
            dup2(nul, 0);
        dup2(efd, 1);
        dup2(efd, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    close(efd);
    int st = reap(pid, 60000);
    return st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int chat_start(struct tr *t, int line)
{
    int in[2] = {-1, -1}, out[2] = {-1, -1};
    char now[40];
    int efd;
    bb_format_iso8601(t->now, now, sizeof(now));
    char *argv[] = {(char *)t->bin, "--db", t->db, "--flows", t->flows, "--config", t->config,
                    "chat",         "--as", t->as, "--jsonl", "--now",  now,        NULL};
    if (!t->config[0]) /* no configuration: leave the pair out */
        memmove(&argv[5], &argv[7], 7 * sizeof(argv[0]));
    if (pipe(in) != 0 || pipe(out) != 0) {
        tr_fail(t, line, "pipe: %s", strerror(errno));
        goto fail;
    }
    efd = open_errlog(t);
    if (efd < 0) {
        tr_fail(t, line, "cannot open %s", t->errlog);
        goto fail;
    }
    t->ch.pid = fork();
    if (t->ch.pid < 0) {
        close(efd);
        tr_fail(t, line, "fork: %s", strerror(errno));
        goto fail;
    }
    if (t->ch.pid == 0) {
        setpgid(0, 0); /* its own group: a kill reaches anything it started */
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(efd, 2);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(efd);
    close(in[0]);
    close(out[1]);
    fcntl(in[1], F_SETFD, FD_CLOEXEC);
    fcntl(out[0], F_SETFD, FD_CLOEXEC);
    t->ch.in_fd = in[1];
    t->ch.out_fd = out[0];
    bb_buf_reset(&t->ch.rbuf);
    return 0;
fail:
    for (int i = 0; i < 2; i++) {
        if (in[i] >= 0)
            close(in[i]);
        if (out[i] >= 0)
            close(out[i]);
    }
    t->ch.pid = 0;
    return -1;
}

static void chat_close_fds(struct tr *t)
{
    if (t->ch.in_fd >= 0)
        close(t->ch.in_fd);
    if (t->ch.out_fd >= 0)
        close(t->ch.out_fd);
    t->ch.in_fd = t->ch.out_fd = -1;
}

/* kill -9 and reap. */
static void chat_kill(struct tr *t)
{
    if (t->ch.pid > 0) {
        kill(-t->ch.pid, SIGKILL);
        kill(t->ch.pid, SIGKILL);
        reap(t->ch.pid, tr_timeout_ms);
    }
    t->ch.pid = 0;
    chat_close_fds(t);
}

/* Read one line from the child within the deadline. Returns a malloc'd
 * line, or NULL with *eof set when the child closed its output. */
static char *chat_read_line(struct tr *t, int *eof, int *timeout)
{
    int64_t deadline = bb_mono_ms() + tr_timeout_ms;
    *eof = 0;
    *timeout = 0;
    for (;;) {
        char *nl = t->ch.rbuf.data ? memchr(t->ch.rbuf.data, '\n', t->ch.rbuf.len) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - t->ch.rbuf.data);
            char *s = malloc(n + 1);
            if (!s)
                return NULL;
            memcpy(s, t->ch.rbuf.data, n);
            s[n] = '\0';
            size_t rest = t->ch.rbuf.len - n - 1;
            memmove(t->ch.rbuf.data, nl + 1, rest);
            t->ch.rbuf.len = rest;
            t->ch.rbuf.data[rest] = '\0';
            return s;
        }
        int64_t left = deadline - bb_mono_ms();
        if (left <= 0) {
            *timeout = 1;
            return NULL;
        }
        struct pollfd p = {.fd = t->ch.out_fd, .events = POLLIN};
        int r = poll(&p, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            *timeout = r == 0;
            return NULL;
        }
        char chunk[4096];
        ssize_t got = read(t->ch.out_fd, chunk, sizeof(chunk));
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            *eof = 1;
            return NULL;
        }
        if (bb_buf_append(&t->ch.rbuf, chunk, (size_t)got) != BB_OK)
            return NULL; /* a line over the cap: treated as a failure */
    }
}

/* Close the child's input, expect no more output and a clean exit. */
static void chat_stop(struct tr *t, int line)
{
    int eof, timeout;
    if (t->ch.pid <= 0)
        return;
    close(t->ch.in_fd);
    t->ch.in_fd = -1;
    char *s = chat_read_line(t, &eof, &timeout);
    if (s) {
        tr_fail(t, line, "unexpected output after the last line: %s", s);
        free(s);
        chat_kill(t);
        return;
    }
    if (timeout) {
        tr_fail(t, line, "the chat did not exit within %d ms after its input closed",
                tr_timeout_ms);
        chat_kill(t);
        return;
    }
    int st = reap(t->ch.pid, tr_timeout_ms);
    t->ch.pid = 0;
    chat_close_fds(t);
    if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        if (st >= 0 && WIFSIGNALED(st))
            tr_fail(t, line, "the chat died of signal %d", WTERMSIG(st));
        else
            tr_fail(t, line, "the chat exited with status %d",
                    st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    }
}

static int write_all(int fd, const char *s, size_t n);

/* Before a kill: a no-op line whose answer proves that everything before it
 * is done, including marking the replies already read as sent. Without it
 * the kill could land between printing a reply and recording it, and the
 * restarted chat would show that reply again (which the service allows:
 * the one message in flight at a crash may come twice). */
static void chat_sync(struct tr *t, int line)
{
    int eof, timeout;
    static const char sync[] = "{\"sync\":true}\n";
    if (write_all(t->ch.in_fd, sync, sizeof(sync) - 1) != 0)
        return;
    char *s = chat_read_line(t, &eof, &timeout);
    cJSON *o = s ? cJSON_Parse(s) : NULL;
    if (!o || cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(o, "replies")) != 0)
        tr_fail(t, line, "@restart: unexpected output before the kill: %s", s ? s : "(none)");
    cJSON_Delete(o);
    free(s);
}

/* @consent PURPOSE...: the imported people have answered onboarding and
 * given these consents (a test's starting point, written straight into the
 * fresh database, as if each had said yes in the chat). */
static int grant_consents(struct tr *t, int line)
{
    sqlite3 *db = NULL;
    char words[sizeof(t->consent)], *save = NULL;
    int rc = 0;
    if (!t->consent[0])
        return 0;
    bb_strlcpy(words, t->consent, sizeof(words));
    if (sqlite3_open(t->db, &db) != SQLITE_OK) {
        tr_fail(t, line, "@consent: cannot open %s", t->db);
        sqlite3_close(db);
        return -1;
    }
    for (char *w = strtok_r(words, " ", &save); w && rc == 0; w = strtok_r(NULL, " ", &save)) {
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(db,
                               "INSERT INTO consents (person_id, purpose, granted, at)"
                               " SELECT id, ?1, 1, 0 FROM people",
                               -1, &s, NULL) != SQLITE_OK ||
            sqlite3_bind_text(s, 1, w, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
            sqlite3_step(s) != SQLITE_DONE) {
            tr_fail(t, line, "@consent %s: %s", w, sqlite3_errmsg(db));
            rc = -1;
        }
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return rc;
}

/* @whatsapp NIP NUMBER: that person is also linked to WhatsApp with that
 * number (an identity older than the chat's own, so replies still come to
 * the chat), written straight into the fresh database. */
static int link_whatsapp(struct tr *t, int line)
{
    sqlite3 *db = NULL;
    char words[sizeof(t->whatsapp)], *save = NULL;
    int rc = 0;
    if (!t->whatsapp[0])
        return 0;
    bb_strlcpy(words, t->whatsapp, sizeof(words));
    if (sqlite3_open(t->db, &db) != SQLITE_OK) {
        tr_fail(t, line, "@whatsapp: cannot open %s", t->db);
        sqlite3_close(db);
        return -1;
    }
    for (char *nip = strtok_r(words, " ", &save); nip && rc == 0;
         nip = strtok_r(NULL, " ", &save)) {
        char *num = strtok_r(NULL, " ", &save);
        sqlite3_stmt *s = NULL;
        if (!num ||
            sqlite3_prepare_v2(db,
                               "INSERT INTO identities (channel, ext_id, person_id,"
                               " linked_at, last_seen)"
                               " SELECT 'whatsapp', ?2, id, 0, 0 FROM people WHERE nip = ?1",
                               -1, &s, NULL) != SQLITE_OK ||
            sqlite3_bind_text(s, 1, nip, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
            sqlite3_bind_text(s, 2, num, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
            sqlite3_step(s) != SQLITE_DONE || sqlite3_changes(db) != 1) {
            tr_fail(t, line, "@whatsapp %s: %s", nip, num ? sqlite3_errmsg(db) : "no number");
            rc = -1;
        }
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return rc;
}

/* Make the database (once per file) and start the chat if needed. */
static int ensure_chat(struct tr *t, int line)
{
    if (t->ch.pid > 0)
        return 0;
    if (!t->db_ready) {
        char *argv[] = {(char *)t->bin, "--db", t->db, "people", "import", t->people, NULL};
        int rc = run_cmd(t, argv);
        if (rc != 0) {
            tr_fail(t, line, "people import %s failed (exit %d)", t->people, rc);
            return -1;
        }
        if (grant_consents(t, line) != 0 || link_whatsapp(t, line) != 0)
            return -1;
        t->db_ready = 1;
    }
    return chat_start(t, line);
}

/* ---- checking ----------------------------------------------------------------- */

static int text_eq(const cJSON *r, const struct tr_expect *e)
{
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(r, "text");
    const char *got = cJSON_IsString(text) ? text->valuestring : "";
    return strcmp(got, e->text.data ? e->text.data : "") == 0;
}

static int choices_eq(const cJSON *r, const struct tr_expect *e)
{
    const cJSON *chs = cJSON_GetObjectItemCaseSensitive(r, "choices");
    int n = cJSON_GetArraySize(chs);
    if (e->choices_mode == 2)
        return n > 0;
    if (n != e->nchoices)
        return 0;
    for (int i = 0; i < n; i++) {
        const cJSON *lab = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(chs, i), "label");
        if (!cJSON_IsString(lab) || strcmp(lab->valuestring, e->choices[i]) != 0)
            return 0;
    }
    return 1;
}

/* Compare the last response with the expected replies gathered for it. */
static void check_response(struct tr *t)
{
    const cJSON *reps, *err;
    int nerr = 0, bad = 0, bad_line = t->resp_line, k = 0;
    if (!t->resp) {
        if (t->nex > 0)
            tr_fail(t, t->ex[0].line, "a reply is expected before anything was sent");
        expect_clear(t);
        return;
    }
    reps = cJSON_GetObjectItemCaseSensitive(t->resp, "replies");
    err = cJSON_GetObjectItemCaseSensitive(t->resp, "error");
    for (int i = 0; i < t->nex && !bad; i++) {
        const struct tr_expect *e = &t->ex[i];
        if (e->is_error) {
            nerr++;
            if (!cJSON_IsString(err) || strcmp(err->valuestring, e->text.data) != 0)
                bad = 1, bad_line = e->line;
            continue;
        }
        const cJSON *r = cJSON_GetArrayItem(reps, k++);
        if (!r || !text_eq(r, e) || !choices_eq(r, e))
            bad = 1, bad_line = e->line;
    }
    if (!bad && k < cJSON_GetArraySize(reps))
        bad = 1; /* more replies than expected */
    if (!bad && cJSON_IsString(err) && nerr == 0)
        bad = 1;
    if (bad && !t->failed && !t->print) {
        tr_fail(t, bad_line, "the replies differ");
        printf("  expected (after line %d):\n", t->resp_line);
        if (t->nex == 0)
            printf("    (no replies)\n");
        for (int i = 0; i < t->nex; i++)
            print_expect(&t->ex[i]);
        printf("  got:\n");
        print_response(t->resp);
    }
    expect_clear(t);
    cJSON_Delete(t->resp);
    t->resp = NULL;
}

/* ---- one sent line ------------------------------------------------------------ */

/* "[button N]" or "[button N back K]": the id of that choice. */
static int button_id(struct tr *t, int line, const char *spec, char *id, size_t n)
{
    char tmp[64], *back;
    long long num, k = 0;
    int nasked = cJSON_GetArraySize(t->asked);
    if (bb_strlcpy(tmp, spec, sizeof(tmp)) != BB_OK)
        goto bad;
    back = strstr(tmp, " back ");
    if (back) {
        *back = '\0';
        if (bb_parse_ll(back + 6, 0, 1000, &k) != BB_OK)
            goto bad;
    }
    if (bb_parse_ll(tmp, 1, TR_MAX_CHOICES, &num) != BB_OK)
        goto bad;
    if (k >= nasked) {
        tr_fail(t, line, "no question with choices to press a button on");
        return -1;
    }
    const cJSON *chs = cJSON_GetArrayItem(t->asked, nasked - 1 - (int)k);
    const cJSON *c = cJSON_GetArrayItem(chs, (int)num - 1);
    const cJSON *cid = cJSON_GetObjectItemCaseSensitive(c, "id");
    if (!cJSON_IsString(cid)) {
        tr_fail(t, line, "that question has no choice %lld", num);
        return -1;
    }
    return bb_strlcpy(id, cid->valuestring, n) == BB_OK ? 0 : -1;
bad:
    tr_fail(t, line, "bad button line (use [button N] or [button N back K])");
    return -1;
}

static int write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/* A control line that moves the clock: keep our copy of it in step, so a
 * restart continues at the same time. */
static void follow_clock(struct tr *t, const char *sent)
{
    cJSON *j = cJSON_Parse(sent);
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(j, "clock");
    int64_t v;
    if (cJSON_IsString(c)) {
        if (c->valuestring[0] == '+' && bb_parse_duration(c->valuestring + 1, &v) == BB_OK)
            t->now += v;
        else if (bb_parse_iso8601(c->valuestring, &v) == BB_OK)
            t->now = v;
    }
    cJSON_Delete(j);
}

static void send_line(struct tr *t, int line, const char *what)
{
    struct bb_buf out;
    char *resp = NULL;
    int eof, timeout;

    if (ensure_chat(t, line) != 0)
        return;
    bb_buf_init(&out, TR_TEXT_MAX);
    if (strncmp(what, "[button ", 8) == 0) {
        char id[128], spec[64];
        size_t n = strlen(what);
        if (what[n - 1] != ']' || n - 9 >= sizeof(spec)) {
            tr_fail(t, line, "bad button line");
            goto out;
        }
        memcpy(spec, what + 8, n - 9);
        spec[n - 9] = '\0';
        if (button_id(t, line, spec, id, sizeof(id)) != 0)
            goto out;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "button", id);
        char *s = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        if (!s || bb_buf_puts(&out, s) != BB_OK) {
            cJSON_free(s);
            tr_fail(t, line, "out of memory");
            goto out;
        }
        cJSON_free(s);
    } else if (bb_buf_puts(&out, what) != BB_OK) {
        tr_fail(t, line, "line too long");
        goto out;
    }
    if (t->print)
        printf("> %s\n", what);
    bb_buf_puts(&out, "\n");
    if (write_all(t->ch.in_fd, out.data, out.len) != 0) {
        tr_fail(t, line, "the chat is gone (cannot write to it)");
        chat_kill(t);
        goto out;
    }
    resp = chat_read_line(t, &eof, &timeout);
    if (!resp) {
        if (timeout)
            tr_fail(t, line, "no answer within %d ms", tr_timeout_ms);
        else if (eof)
            tr_fail(t, line, "the chat exited instead of answering");
        else
            tr_fail(t, line, "an answer over %d bytes", TR_RESP_MAX);
        chat_kill(t);
        goto out;
    }
    t->resp = cJSON_Parse(resp);
    t->resp_line = line;
    if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(t->resp, "replies"))) {
        tr_fail(t, line, "not a JSON response: %s", resp);
        cJSON_Delete(t->resp);
        t->resp = NULL;
        goto out;
    }
    if (what[0] == '{' && !cJSON_GetObjectItemCaseSensitive(t->resp, "error"))
        follow_clock(t, what);
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(t->resp, "replies"))
    {
        const cJSON *chs = cJSON_GetObjectItemCaseSensitive(r, "choices");
        if (cJSON_GetArraySize(chs) > 0)
            cJSON_AddItemToArray(t->asked, cJSON_Duplicate(chs, 1));
    }
    if (t->print)
        print_response(t->resp);
out:
    free(resp);
    bb_buf_free(&out);
}

/* ---- one file ------------------------------------------------------------------- */

static int add_expect(struct tr *t, int line, const char *text, int is_error)
{
    if (t->nex >= TR_MAX_EXPECT) {
        tr_fail(t, line, "more than %d replies expected after one line", TR_MAX_EXPECT);
        return -1;
    }
    struct tr_expect *e = &t->ex[t->nex++];
    e->line = line;
    e->is_error = is_error;
    bb_buf_init(&e->text, TR_TEXT_MAX);
    if (bb_buf_puts(&e->text, text) != BB_OK) {
        tr_fail(t, line, "expected text too long");
        return -1;
    }
    return 0;
}

static int add_choices(struct tr *t, int line, const char *spec)
{
    struct tr_expect *e = t->nex > 0 ? &t->ex[t->nex - 1] : NULL;
    if (!e || e->is_error) {
        tr_fail(t, line, "choices must follow a '< ' reply line");
        return -1;
    }
    if (strcmp(spec, "[*]") == 0) {
        if (e->choices_mode != 0)
            goto dup;
        e->choices_mode = 2;
        return 0;
    }
    if (strncmp(spec, "[choices] ", 10) == 0) {
        if (e->choices_mode != 0)
            goto dup;
        e->choices_mode = 1;
        const char *p = spec + 10;
        for (;;) {
            const char *bar = strstr(p, " | ");
            size_t n = bar ? (size_t)(bar - p) : strlen(p);
            if (e->nchoices >= TR_MAX_CHOICES || !(e->choices[e->nchoices] = malloc(n + 1))) {
                tr_fail(t, line, "too many choices");
                return -1;
            }
            memcpy(e->choices[e->nchoices], p, n);
            e->choices[e->nchoices++][n] = '\0';
            if (!bar)
                break;
            p = bar + 3;
        }
        return 0;
    }
    /* "[N] label", N counting from 1 in order */
    char *end = NULL;
    long num = strtol(spec + 1, &end, 10);
    if (!end || end[0] != ']' || end[1] != ' ' || e->choices_mode == 2 || num != e->nchoices + 1 ||
        e->nchoices >= TR_MAX_CHOICES) {
        tr_fail(t, line, "bad choice line (use '  [%d] label', numbered in order)",
                e->nchoices + 1);
        return -1;
    }
    e->choices_mode = 1;
    e->choices[e->nchoices] = xstrdup(end + 2);
    if (!e->choices[e->nchoices]) {
        tr_fail(t, line, "out of memory");
        return -1;
    }
    e->nchoices++;
    return 0;
dup:
    tr_fail(t, line, "choices given twice for one reply");
    return -1;
}

static int set_path(struct tr *t, int line, char *dst, const char *src, const char *what)
{
    if (t->db_ready || t->ch.pid > 0) {
        tr_fail(t, line, "%s must come before the first sent line", what);
        return -1;
    }
    if (bb_strlcpy(dst, src, TR_PATH_MAX) != BB_OK) {
        tr_fail(t, line, "path too long");
        return -1;
    }
    return 0;
}

static void directive(struct tr *t, int line, const char *s)
{
    const char *arg = strchr(s, ' ');
    size_t wl = arg ? (size_t)(arg - s) : strlen(s);
    while (arg && *arg == ' ')
        arg++;
    if (!arg)
        arg = "";
    check_response(t);
    if (wl == 8 && strncmp(s, "@restart", 8) == 0) {
        /* a crash: kill -9, then the same person again on the same database */
        if (t->ch.pid <= 0) {
            tr_fail(t, line, "@restart with no chat running");
            return;
        }
        chat_sync(t, line);
        chat_kill(t);
        chat_start(t, line);
    } else if (wl == 3 && strncmp(s, "@as", 3) == 0) {
        chat_stop(t, line); /* a clean end; the next sent line starts anew */
        if (bb_strlcpy(t->as, arg, sizeof(t->as)) != BB_OK || !arg[0])
            tr_fail(t, line, "@as needs a NIP");
    } else if (wl == 4 && strncmp(s, "@now", 4) == 0) {
        chat_stop(t, line);
        if (bb_parse_iso8601(arg, &t->now) != BB_OK)
            tr_fail(t, line, "@now needs an ISO-8601 time, got '%s'", arg);
    } else if (wl == 4 && strncmp(s, "@run", 4) == 0) {
        /* another command on the same database while the chat runs (what a
         * counsellor or HR does meanwhile); it must exit 0 */
        char buf[1024], *argv[40];
        int n = 0;
        if (ensure_chat(t, line) != 0)
            return;
        if (bb_strlcpy(buf, arg, sizeof(buf)) != BB_OK || !arg[0]) {
            tr_fail(t, line, "@run needs a command of at most 1023 bytes");
            return;
        }
        argv[n++] = (char *)t->bin;
        argv[n++] = "--db";
        argv[n++] = t->db;
        argv[n++] = "--flows";
        argv[n++] = t->flows;
        if (t->config[0]) { /* the instance's configuration, as HR's command has it */
            argv[n++] = "--config";
            argv[n++] = t->config;
        }
        for (char *w = strtok(buf, " "); w && n < (int)BB_ARRAY_LEN(argv) - 1;
             w = strtok(NULL, " "))
            argv[n++] = w;
        argv[n] = NULL;
        int rc = run_cmd(t, argv);
        if (rc != 0)
            tr_fail(t, line, "@run %s: exit %d (see the bot's stderr)", arg, rc);
    } else if (wl == 6 && strncmp(s, "@flows", 6) == 0) {
        set_path(t, line, t->flows, arg, "@flows");
    } else if (wl == 7 && strncmp(s, "@people", 7) == 0) {
        set_path(t, line, t->people, arg, "@people");
    } else if (wl == 8 && strncmp(s, "@consent", 8) == 0) {
        if (!arg[0])
            tr_fail(t, line, "@consent needs one or more purposes");
        else
            set_path(t, line, t->consent, arg, "@consent");
    } else if (wl == 9 && strncmp(s, "@whatsapp", 9) == 0) {
        char pair[TR_PATH_MAX];
        if (!arg[0] || !strchr(arg, ' '))
            tr_fail(t, line, "@whatsapp needs a NIP and a number");
        else if (bb_snprintf(pair, sizeof(pair), "%s%s%s", t->whatsapp, t->whatsapp[0] ? " " : "",
                             arg) != BB_OK)
            tr_fail(t, line, "@whatsapp: too many");
        else
            set_path(t, line, t->whatsapp, pair, "@whatsapp");
    } else if (wl == 7 && strncmp(s, "@config", 7) == 0) {
        set_path(t, line, t->config, arg, "@config");
    } else {
        tr_fail(t, line, "unknown directive '%.*s'", (int)wl, s);
    }
}

static void play_line(struct tr *t, int line, char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    if (t->print && (s[0] == '#' || s[0] == '@'))
        printf("%s\n", s);
    if (n == 0 || s[0] == '#')
        return;
    if (s[0] == '@') {
        directive(t, line, s);
    } else if (strncmp(s, "> ", 2) == 0 || strcmp(s, ">") == 0) {
        check_response(t);
        if (!t->failed)
            send_line(t, line, n > 1 ? s + 2 : "");
    } else if (strncmp(s, "<! ", 3) == 0) {
        add_expect(t, line, s + 3, 1);
    } else if (strncmp(s, "< ", 2) == 0 || strcmp(s, "<") == 0) {
        add_expect(t, line, n > 1 ? s + 2 : "", 0);
    } else if (strncmp(s, "<+ ", 3) == 0 || strcmp(s, "<+") == 0) {
        struct tr_expect *e = t->nex > 0 ? &t->ex[t->nex - 1] : NULL;
        if (!e || e->is_error || e->choices_mode != 0)
            tr_fail(t, line, "'<+' continues a '< ' reply line (before its choices)");
        else if (bb_buf_puts(&e->text, "\n") != BB_OK ||
                 bb_buf_puts(&e->text, n > 2 ? s + 3 : "") != BB_OK)
            tr_fail(t, line, "expected text too long");
    } else if (strncmp(s, "  [", 3) == 0) {
        add_choices(t, line, s + 2);
    } else {
        tr_fail(t, line, "cannot read this line (see tests/transcripts/README.md): %s", s);
    }
}

static void cleanup_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[TR_PATH_MAX * 2];
    if (!d)
        return;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (bb_snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) == BB_OK)
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Play one file. Returns 0 when it passed. */
static int play_file(const char *bin, const char *keep_db, int print, const char *file)
{
    struct tr t;
    FILE *f = NULL;
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0;
    const char *tmp = getenv("TMPDIR");

    memset(&t, 0, sizeof(t));
    t.bin = bin;
    t.file = file;
    t.keep_db = keep_db;
    t.print = print;
    t.ch.in_fd = t.ch.out_fd = -1;
    bb_buf_init(&t.ch.rbuf, TR_RESP_MAX);
    bb_strlcpy(t.as, TR_DEFAULT_AS, sizeof(t.as));
    bb_strlcpy(t.people, "config/demo-people.csv", sizeof(t.people));
    /* the flows directory: @flows in the file, else BIMBING_FLOWS, else flows */
    const char *fl = getenv("BIMBING_FLOWS");
    bb_strlcpy(t.flows, fl && fl[0] ? fl : "flows", sizeof(t.flows));
    bb_parse_iso8601(TR_DEFAULT_NOW, &t.now);
    t.asked = cJSON_CreateArray();

    bb_snprintf(t.dir, sizeof(t.dir), "%s/bimbing-tr.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!t.asked || !mkdtemp(t.dir)) {
        t.dir[0] = '\0';
        tr_fail(&t, 0, "cannot make a temporary directory");
        goto out;
    }
    bb_snprintf(t.errlog, sizeof(t.errlog), "%s/stderr.log", t.dir);
    if (keep_db)
        bb_strlcpy(t.db, keep_db, sizeof(t.db));
    else
        bb_snprintf(t.db, sizeof(t.db), "%s/test.db", t.dir);

    f = fopen(file, "r");
    if (!f) {
        tr_fail(&t, 0, "cannot open: %s", strerror(errno));
        goto out;
    }
    if (print)
        printf("## %s\n", file);
    while (!t.failed && getline(&line, &cap, f) >= 0)
        play_line(&t, ++lineno, line);
    if (!t.failed)
        check_response(&t);
    if (!t.failed && t.ch.pid <= 0 && t.resp_line == 0)
        tr_fail(&t, lineno, "nothing was sent");
    if (!t.failed)
        chat_stop(&t, lineno);
out:
    if (t.failed && t.errlog[0])
        show_errlog(&t);
    chat_kill(&t);
    expect_clear(&t);
    cJSON_Delete(t.resp);
    cJSON_Delete(t.asked);
    bb_buf_free(&t.ch.rbuf);
    free(line);
    if (f)
        fclose(f);
    if (t.dir[0])
        cleanup_dir(t.dir);
    return t.failed;
}

int main(int argc, char **argv)
{
    const char *bin = getenv("BIMBING_BIN");
    const char *keep_db = NULL;
    int print = 0, passed = 0, failed = 0, i = 1;

    if (!bin || !bin[0])
        bin = "bin/bimbing";
    signal(SIGPIPE, SIG_IGN);
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--bin") == 0 && i + 1 < argc)
            bin = argv[++i];
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            keep_db = argv[++i];
        else if (strcmp(argv[i], "--print") == 0)
            print = 1, tr_indent = "";
        else
            break;
    }
    if (i >= argc || argv[i][0] == '-' || (keep_db && argc - i != 1)) {
        fprintf(stderr, "usage: transcript [--bin PATH] [--db PATH] [--print] FILE.txt...\n"
                        "       (--db takes exactly one file)\n");
        return 2;
    }
    if (access(bin, X_OK) != 0) {
        fprintf(stderr, "transcript: %s is not an executable (build it, or give --bin)\n", bin);
        return 2;
    }
    for (; i < argc; i++) {
        if (play_file(bin, keep_db, print, argv[i]) == 0)
            passed++;
        else
            failed++;
        fflush(stdout);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
