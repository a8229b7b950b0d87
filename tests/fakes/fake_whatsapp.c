/*
 * fake_whatsapp.c - an offline WhatsApp Cloud API (Graph API) for tests:
 * POST /{version}/{phone_id}/messages with the real success and error
 * shapes, payload checks (code 100), the 24-hour window (131047) on a fake
 * clock, injected faults, and a control API that makes users "write": it
 * posts webhooks signed with X-Hub-Signature-256 (HMAC-SHA256 of the raw
 * body with the app secret) to the bot, plus status callbacks and replays.
 * The API is described in docs/whatsapp.md ("The fake Graph API").
 *
 * One thread, on the fakes' shared HTTP core (tests/fakes/lib/fakehttp.c):
 * requests are small, and a webhook POST to the bot is a short blocking
 * call made while handling a control request (the bot answers webhooks
 * without waiting on us, so this cannot deadlock). All state lives in
 * struct fake, owned by main.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "bot/base/bb.h"
#include "tests/fakes/lib/fakehttp.h"

#define FW_MAX_SENT   100000 /* records kept */
#define FW_MAX_USERS  10000
#define FW_MAX_FAULTS 16
#define FW_MAX_MEDIA  32 /* uploaded files kept (the oldest goes first) */

/* A file uploaded with POST /{phone_id}/media. */
struct media {
    char id[32];
    char filename[128];
    char mime[64];
    char *data_b64; /* the bytes, base64 */
    size_t size;
};

struct sent {
    int64_t seq;
    char to[32];
    char type[16];
    char id[48];
    int status; /* HTTP status answered */
    long code;  /* Graph error code, 0 on success */
    char *body; /* the request JSON */
    int64_t ms;
};

struct user {
    char wa_id[32];
    int64_t last_write; /* fake time, seconds */
};

struct fault {
    long code;
    int count;
    char to[32];
};

struct fake {
    char token[256];
    char phone_id[64];
    char secret[256];
    char webhook[512]; /* http://127.0.0.1:PORT/path of the bot */
    int window;        /* enforce the 24-hour rule */
    int64_t clock_off; /* seconds added to real time */
    int log;
    struct sent *sent;
    int nsent;
    int64_t seq, next_wamid, next_in;
    struct user users[FW_MAX_USERS];
    int nusers;
    struct fault faults[FW_MAX_FAULTS];
    int nfaults;
    char *last_webhook; /* body of the last webhook posted, for replay */
    int64_t requests, sends, accepted, rejected, webhooks, webhook_fail;
    int64_t win_start_ms[64]; /* accepted sends in the last second (ring) */
    int win_n, max_1s;
    int64_t start_ms;
    struct media media[FW_MAX_MEDIA];
    int nmedia;
    int64_t next_media;
};

static volatile sig_atomic_t fw_stop;

static void on_sig(int s)
{
    (void)s;
    fw_stop = 1;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t fake_now(const struct fake *f)
{
    return (int64_t)time(NULL) + f->clock_off;
}

/* ---- users, numbers ---------------------------------------------------- */

/* 08xx -> 628xx; +62.. -> 62..; digits only. 0 on success. */
static int norm_number(const char *in, char *out, size_t n)
{
    char d[32];
    size_t k = 0;
    for (const char *p = in; *p; p++) {
        if (*p == '+' || *p == ' ' || *p == '-')
            continue;
        if (!isdigit((unsigned char)*p) || k + 1 >= sizeof(d))
            return -1;
        d[k++] = *p;
    }
    d[k] = '\0';
    if (k < 5)
        return -1;
    if (d[0] == '0')
        return bb_snprintf(out, n, "62%s", d + 1) == BB_OK ? 0 : -1;
    return bb_strlcpy(out, d, n) == BB_OK ? 0 : -1;
}

static struct user *user_get(struct fake *f, const char *wa_id, int create)
{
    for (int i = 0; i < f->nusers; i++)
        if (strcmp(f->users[i].wa_id, wa_id) == 0)
            return &f->users[i];
    if (!create || f->nusers >= FW_MAX_USERS)
        return NULL;
    struct user *u = &f->users[f->nusers++];
    memset(u, 0, sizeof(*u));
    bb_strlcpy(u->wa_id, wa_id, sizeof(u->wa_id));
    return u;
}

/* ---- responses ---------------------------------------------------------- */

static void send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) {
            if (w < 0 && errno == EINTR)
                continue;
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

/* The request being answered. */
struct fw_call {
    struct fh_conn *conn;
    const struct fh_req *req;
};

static void respond(const struct fw_call *c, int status, const char *ctype, const char *body)
{
    fh_respond(c->conn, c->req, status, ctype, body, NULL);
}

static void respond_json(const struct fw_call *call, int status, cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    respond(call, status, "application/json", s ? s : "{}");
    free(s);
    cJSON_Delete(o);
}

static void control_err(const struct fw_call *call, int status, const char *msg)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "ok", 0);
    cJSON_AddStringToObject(o, "error", msg);
    respond_json(call, status, o);
}

/* The Graph API error envelope. */
static cJSON *graph_error(long code, const char *message, const char *type, const char *details)
{
    static int64_t trace;
    char tr[32];
    cJSON *o = cJSON_CreateObject(), *e = cJSON_AddObjectToObject(o, "error");
    cJSON_AddStringToObject(e, "message", message);
    cJSON_AddStringToObject(e, "type", type);
    cJSON_AddNumberToObject(e, "code", (double)code);
    if (details) {
        cJSON *d = cJSON_AddObjectToObject(e, "error_data");
        cJSON_AddStringToObject(d, "messaging_product", "whatsapp");
        cJSON_AddStringToObject(d, "details", details);
    }
    snprintf(tr, sizeof(tr), "AFakeTrace%06" PRId64, ++trace);
    cJSON_AddStringToObject(e, "fbtrace_id", tr);
    return o;
}

/* ---- webhooks to the bot ------------------------------------------------ */

static void sign(const char *secret, const char *body, char out[72])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    static const char hex[] = "0123456789abcdef";
    HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)body, strlen(body), md,
         &n);
    memcpy(out, "sha256=", 7);
    for (unsigned int i = 0; i < n && i < 32; i++) {
        out[7 + 2 * i] = hex[md[i] >> 4];
        out[8 + 2 * i] = hex[md[i] & 15];
    }
    out[71] = '\0';
}

/* POST body to the bot's webhook; returns the HTTP status, 0 on failure. */
static int post_webhook(struct fake *f, const char *body, int forge)
{
    char host[128], path[384], sig[72], head[1024];
    int port = 80, fd = -1, status = 0;
    const char *u = f->webhook;
    if (strncmp(u, "http://", 7) != 0)
        return 0;
    u += 7;
    const char *slash = strchr(u, '/'), *colon = strchr(u, ':');
    if (!slash)
        return 0;
    if (colon && colon < slash) {
        bb_snprintf(host, sizeof(host), "%.*s", (int)(colon - u), u);
        port = (int)strtol(colon + 1, NULL, 10);
    } else {
        bb_snprintf(host, sizeof(host), "%.*s", (int)(slash - u), u);
    }
    bb_strlcpy(path, slash, sizeof(path));
    sign(forge ? "not-the-secret" : f->secret, body, sig);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &sa.sin_addr) != 1)
        return 0;
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    struct timeval tv = {.tv_sec = 5, .tv_usec = 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
        goto out;
    int hl = snprintf(head, sizeof(head),
                      "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
                      "X-Hub-Signature-256: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
                      path, host, port, sig, strlen(body));
    send_all(fd, head, (size_t)hl);
    send_all(fd, body, strlen(body));
    char resp[512];
    ssize_t r = recv(fd, resp, sizeof(resp) - 1, 0);
    if (r > 12) {
        resp[r] = '\0';
        status = (int)strtol(resp + 9, NULL, 10);
    }
out:
    close(fd);
    f->webhooks++;
    if (status < 200 || status >= 300)
        f->webhook_fail++;
    if (f->log)
        fprintf(stderr, "fake_whatsapp: webhook -> %d\n", status);
    return status;
}

/* The envelope around one value object; takes value. */
static char *envelope(struct fake *f, cJSON *value)
{
    cJSON *o = cJSON_CreateObject(), *entry = cJSON_AddArrayToObject(o, "entry");
    cJSON *e = cJSON_CreateObject(), *changes, *ch, *meta;
    cJSON_AddStringToObject(o, "object", "whatsapp_business_account");
    cJSON_AddItemToArray(entry, e);
    cJSON_AddStringToObject(e, "id", "102290129340398");
    changes = cJSON_AddArrayToObject(e, "changes");
    ch = cJSON_CreateObject();
    cJSON_AddItemToArray(changes, ch);
    cJSON_AddStringToObject(ch, "field", "messages");
    cJSON_AddStringToObject(value, "messaging_product", "whatsapp");
    meta = cJSON_AddObjectToObject(value, "metadata");
    cJSON_AddStringToObject(meta, "display_phone_number", "15550783881");
    cJSON_AddStringToObject(meta, "phone_number_id", f->phone_id);
    cJSON_AddItemToObject(ch, "value", value);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

static void post_and_answer(struct fake *f, const struct fw_call *call, char *body, int forge,
                            const char *id)
{
    int st;
    if (!body) {
        control_err(call, 500, "out of memory");
        return;
    }
    st = post_webhook(f, body, forge);
    free(f->last_webhook);
    f->last_webhook = body;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "ok", 1);
    if (id)
        cJSON_AddStringToObject(o, "id", id);
    cJSON_AddNumberToObject(o, "status", st);
    respond_json(call, 200, o);
}

/* POST /control/write {"from","text"|"button":{id,title}|"list":{id,title}|
 * "template_button":{payload,text}|"type":"image", "age_s", "id", "name",
 * "forge"} */
static void ctl_write(struct fake *f, const struct fw_call *call, const cJSON *in)
{
    const cJSON *from = cJSON_GetObjectItemCaseSensitive(in, "from");
    const cJSON *age = cJSON_GetObjectItemCaseSensitive(in, "age_s");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(in, "id");
    const cJSON *x;
    char wa[32], ts[24], mid[96];
    if (!cJSON_IsString(from) || norm_number(from->valuestring, wa, sizeof(wa)) != 0) {
        control_err(call, 400, "from must be a phone number");
        return;
    }
    int64_t t = fake_now(f) - (cJSON_IsNumber(age) ? (int64_t)age->valuedouble : 0);
    struct user *u = user_get(f, wa, 1);
    if (u && t > u->last_write)
        u->last_write = t;
    /* Webhook timestamps are real time (the bot's clock) minus the age. */
    snprintf(ts, sizeof(ts), "%" PRId64,
             (int64_t)time(NULL) - (cJSON_IsNumber(age) ? (int64_t)age->valuedouble : 0));
    if (cJSON_IsString(id))
        bb_strlcpy(mid, id->valuestring, sizeof(mid));
    else
        snprintf(mid, sizeof(mid), "wamid.IN%08" PRId64, ++f->next_in);

    cJSON *value = cJSON_CreateObject(), *contacts = cJSON_AddArrayToObject(value, "contacts");
    cJSON *c = cJSON_CreateObject(), *prof = cJSON_AddObjectToObject(c, "profile");
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(in, "name");
    cJSON_AddStringToObject(prof, "name", cJSON_IsString(name) ? name->valuestring : "Tester");
    cJSON_AddStringToObject(c, "wa_id", wa);
    cJSON_AddItemToArray(contacts, c);
    cJSON *msgs = cJSON_AddArrayToObject(value, "messages"), *m = cJSON_CreateObject();
    cJSON_AddItemToArray(msgs, m);
    cJSON_AddStringToObject(m, "from", wa);
    cJSON_AddStringToObject(m, "id", mid);
    cJSON_AddStringToObject(m, "timestamp", ts);
    if ((x = cJSON_GetObjectItemCaseSensitive(in, "text")) && cJSON_IsString(x)) {
        cJSON_AddStringToObject(m, "type", "text");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(m, "text"), "body", x->valuestring);
    } else if ((x = cJSON_GetObjectItemCaseSensitive(in, "button")) ||
               (x = cJSON_GetObjectItemCaseSensitive(in, "list"))) {
        const char *kind = strcmp(x->string, "button") == 0 ? "button_reply" : "list_reply";
        cJSON_AddStringToObject(m, "type", "interactive");
        cJSON *ia = cJSON_AddObjectToObject(m, "interactive");
        cJSON_AddStringToObject(ia, "type", kind);
        cJSON_AddItemToObject(ia, kind, cJSON_Duplicate(x, 1));
    } else if ((x = cJSON_GetObjectItemCaseSensitive(in, "template_button"))) {
        cJSON_AddStringToObject(m, "type", "button");
        cJSON_AddItemToObject(m, "button", cJSON_Duplicate(x, 1));
    } else {
        x = cJSON_GetObjectItemCaseSensitive(in, "type");
        const char *ty = cJSON_IsString(x) ? x->valuestring : "image";
        cJSON_AddStringToObject(m, "type", ty);
        cJSON *media = cJSON_AddObjectToObject(m, ty);
        cJSON_AddStringToObject(media, "id", "1234567890");
        cJSON_AddStringToObject(media, "mime_type", "image/jpeg");
    }
    post_and_answer(f, call, envelope(f, value),
                    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(in, "forge")), mid);
}

/* POST /control/status {"id":"wamid.."|"all":true, "statuses":["read","sent"],
 * "repeat":N, "error_code":131047} - one signed webhook. */
static void ctl_status(struct fake *f, const struct fw_call *call, const cJSON *in)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(in, "id");
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(in, "statuses");
    const cJSON *rep = cJSON_GetObjectItemCaseSensitive(in, "repeat");
    const cJSON *ec = cJSON_GetObjectItemCaseSensitive(in, "error_code");
    int all = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(in, "all"));
    int repeat = cJSON_IsNumber(rep) ? (int)rep->valuedouble : 1;
    char ts[24];
    if (repeat < 1 || repeat > 10 || (!all && !cJSON_IsString(id)) ||
        (list && !cJSON_IsArray(list))) {
        control_err(call, 400, "need id (or all) and statuses");
        return;
    }
    snprintf(ts, sizeof(ts), "%" PRId64, (int64_t)time(NULL));
    cJSON *value = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(value, "statuses");
    int n = 0;
    for (int i = 0; i < f->nsent; i++) {
        const struct sent *s = &f->sent[i];
        if (!s->id[0] || (!all && strcmp(s->id, id->valuestring) != 0))
            continue;
        for (int r = 0; r < repeat; r++) {
            const cJSON *st;
            cJSON *defaults = NULL;
            if (!list)
                list = defaults =
                    cJSON_CreateStringArray((const char *const[]){"sent", "delivered", "read"}, 3);
            cJSON_ArrayForEach(st, list)
            {
                if (!cJSON_IsString(st))
                    continue;
                cJSON *o = cJSON_CreateObject();
                cJSON_AddStringToObject(o, "id", s->id);
                cJSON_AddStringToObject(o, "status", st->valuestring);
                cJSON_AddStringToObject(o, "timestamp", ts);
                cJSON_AddStringToObject(o, "recipient_id", s->to);
                if (strcmp(st->valuestring, "failed") == 0) {
                    long code = cJSON_IsNumber(ec) ? (long)ec->valuedouble : 131026;
                    cJSON *errs = cJSON_AddArrayToObject(o, "errors"), *e = cJSON_CreateObject();
                    cJSON_AddNumberToObject(e, "code", (double)code);
                    cJSON_AddStringToObject(e, "title",
                                            code == 131047 ? "Re-engagement message"
                                                           : "Message undeliverable");
                    cJSON_AddItemToArray(errs, e);
                }
                cJSON_AddItemToArray(arr, o);
                n++;
            }
            if (defaults) {
                cJSON_Delete(defaults);
                list = NULL;
            }
        }
    }
    if (n == 0) {
        cJSON_Delete(value);
        control_err(call, 404, "no such message");
        return;
    }
    post_and_answer(f, call, envelope(f, value), 0, NULL);
}

/* ---- the Graph API ------------------------------------------------------ */

static size_t ulen(const char *s)
{
    return bb_utf8_valid(s, strlen(s)) ? bb_utf8_len(s) : (size_t)-1;
}

static int str_in(const cJSON *o, const char *key, size_t min, size_t max, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsString(v))
        return 0;
    size_t l = ulen(v->valuestring);
    if (l == (size_t)-1 || l < min || l > max)
        return 0;
    if (out)
        *out = v->valuestring;
    return 1;
}

/* NULL when valid; else what is wrong (for error_data.details). */
static const char *validate(const cJSON *m, const char **type_out)
{
    const char *type = NULL, *to = NULL, *s;
    const cJSON *x;
    if (!cJSON_IsObject(m))
        return "the body must be a JSON object";
    if (!str_in(m, "messaging_product", 8, 8, &s) || strcmp(s, "whatsapp") != 0)
        return "messaging_product must be whatsapp";
    if (!str_in(m, "to", 5, 20, &to))
        return "to is required";
    for (const char *p = to; *p; p++)
        if (!isdigit((unsigned char)*p) && *p != '+')
            return "to must be a phone number";
    if (!str_in(m, "type", 1, 16, &type))
        type = "text";
    *type_out = type;
    if (strcmp(type, "text") == 0) {
        x = cJSON_GetObjectItemCaseSensitive(m, "text");
        if (!str_in(x, "body", 1, 4096, NULL))
            return "text.body must be 1 to 4096 characters";
        return NULL;
    }
    if (strcmp(type, "template") == 0) {
        x = cJSON_GetObjectItemCaseSensitive(m, "template");
        if (!str_in(x, "name", 1, 512, NULL) ||
            !str_in(cJSON_GetObjectItemCaseSensitive(x, "language"), "code", 2, 16, NULL))
            return "template.name and template.language.code are required";
        return NULL;
    }
    if (strcmp(type, "document") == 0) {
        x = cJSON_GetObjectItemCaseSensitive(m, "document");
        if (!str_in(x, "id", 1, 64, NULL) && !str_in(x, "link", 8, 2048, NULL))
            return "document.id or document.link is required";
        if (cJSON_GetObjectItemCaseSensitive(x, "caption") && !str_in(x, "caption", 1, 1024, NULL))
            return "document.caption must be 1 to 1024 characters";
        if (cJSON_GetObjectItemCaseSensitive(x, "filename") && !str_in(x, "filename", 1, 240, NULL))
            return "document.filename must be 1 to 240 characters";
        return NULL;
    }
    if (strcmp(type, "interactive") != 0)
        return "unsupported message type";
    const cJSON *ia = cJSON_GetObjectItemCaseSensitive(m, "interactive");
    const cJSON *action = cJSON_GetObjectItemCaseSensitive(ia, "action");
    if (!str_in(ia, "type", 1, 16, &s))
        return "interactive.type is required";
    if (!str_in(cJSON_GetObjectItemCaseSensitive(ia, "body"), "text", 1, 1024, NULL))
        return "interactive.body.text must be 1 to 1024 characters";
    if (strcmp(s, "button") == 0) {
        const cJSON *bs = cJSON_GetObjectItemCaseSensitive(action, "buttons"), *b;
        int n = cJSON_GetArraySize(bs);
        if (!cJSON_IsArray(bs) || n < 1 || n > 3)
            return "action.buttons must have 1 to 3 buttons";
        const char *titles[3];
        int k = 0;
        cJSON_ArrayForEach(b, bs)
        {
            const cJSON *r = cJSON_GetObjectItemCaseSensitive(b, "reply");
            const char *t;
            if (!str_in(b, "type", 5, 5, NULL) || !str_in(r, "id", 1, 256, NULL) ||
                !str_in(r, "title", 1, 20, &t))
                return "each button needs type reply, an id (1-256) and a title (1-20)";
            for (int i = 0; i < k; i++)
                if (strcmp(titles[i], t) == 0)
                    return "button titles must be unique";
            titles[k++] = t;
        }
        return NULL;
    }
    if (strcmp(s, "list") == 0) {
        const cJSON *secs = cJSON_GetObjectItemCaseSensitive(action, "sections"), *sec, *row;
        int nsec = cJSON_GetArraySize(secs), rows = 0;
        if (!str_in(action, "button", 1, 20, NULL))
            return "action.button must be 1 to 20 characters";
        if (!cJSON_IsArray(secs) || nsec < 1 || nsec > 10)
            return "action.sections must have 1 to 10 sections";
        cJSON_ArrayForEach(sec, secs)
        {
            const cJSON *rs = cJSON_GetObjectItemCaseSensitive(sec, "rows");
            if (nsec > 1 && !str_in(sec, "title", 1, 24, NULL))
                return "a section title is required with more than one section";
            if (!cJSON_IsArray(rs) || cJSON_GetArraySize(rs) < 1)
                return "each section needs rows";
            cJSON_ArrayForEach(row, rs)
            {
                if (!str_in(row, "id", 1, 200, NULL) || !str_in(row, "title", 1, 24, NULL))
                    return "each row needs an id (1-200) and a title (1-24)";
                rows++;
            }
        }
        if (rows > 10)
            return "a list has at most 10 rows";
        return NULL;
    }
    return "unsupported interactive type";
}

static void record(struct fake *f, const char *to, const char *type, const char *id, int status,
                   long code, const char *body)
{
    if (f->nsent >= FW_MAX_SENT) {
        free(f->sent[0].body);
        memmove(&f->sent[0], &f->sent[1], sizeof(f->sent[0]) * (size_t)(f->nsent - 1));
        f->nsent--;
    }
    struct sent *s = &f->sent[f->nsent++];
    memset(s, 0, sizeof(*s));
    s->seq = ++f->seq;
    bb_strlcpy(s->to, to ? to : "", sizeof(s->to));
    bb_strlcpy(s->type, type ? type : "", sizeof(s->type));
    bb_strlcpy(s->id, id ? id : "", sizeof(s->id));
    s->status = status;
    s->code = code;
    s->body = strdup(body);
    s->ms = now_ms() - f->start_ms;
}

static void count_rate(struct fake *f)
{
    int64_t t = now_ms();
    int n = 0;
    f->win_start_ms[f->win_n++ % 64] = t;
    for (int i = 0; i < 64 && i < f->win_n; i++)
        if (t - f->win_start_ms[i] < 1000)
            n++;
    if (n > f->max_1s)
        f->max_1s = n;
}

/* Case-insensitive strstr for header names. */
static const char *ci_find(const char *h, const char *n)
{
    size_t k = strlen(n);
    for (; *h; h++)
        if (strncasecmp(h, n, k) == 0)
            return h;
    return NULL;
}

/* One parameter of a header value (name="..." or name=token) into out. */
static int header_param(const char *h, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    for (const char *p = h; (p = strstr(p, name)) != NULL; p += nl) {
        if ((p > h && p[-1] != ' ' && p[-1] != ';') || p[nl] != '=')
            continue;
        p += nl + 1;
        size_t k = *p == '"' ? strcspn(p + 1, "\"") : strcspn(p, "; \r\n");
        if (k + 1 > n)
            return 0;
        memcpy(out, *p == '"' ? p + 1 : p, k);
        out[k] = '\0';
        return 1;
    }
    return 0;
}

/* POST /{version}/{phone_id}/media, multipart/form-data with
 * messaging_product=whatsapp, type and file: the file is kept and its
 * media id answered ({"id": ...}); GET /control/media?id= gives it back. */
static void graph_media(struct fake *f, const struct fw_call *call, const char *auth,
                        const char *phone_id, const struct fh_req *r)
{
    char boundary[128], delim[140], product[16] = "";
    struct media m;
    memset(&m, 0, sizeof(m));
    if (!auth || strncmp(auth, "Bearer ", 7) != 0 || strcmp(auth + 7, f->token) != 0) {
        respond_json(call, 401,
                     graph_error(190, "Invalid OAuth access token - Cannot parse access token",
                                 "OAuthException", NULL));
        return;
    }
    if (strcmp(phone_id, f->phone_id) != 0 ||
        strncasecmp(r->ctype, "multipart/form-data", 19) != 0 ||
        !header_param(r->ctype, "boundary", boundary, sizeof(boundary))) {
        respond_json(call, 400,
                     graph_error(100, "(#100) Invalid parameter", "OAuthException",
                                 "the upload must be multipart/form-data to a known phone id"));
        return;
    }
    snprintf(delim, sizeof(delim), "\r\n--%s", boundary);
    /* parts: each starts after "--boundary\r\n" */
    const char *p = r->body, *end = r->body + r->body_len;
    size_t dl = strlen(delim);
    if ((size_t)(end - p) < dl - 2 || memcmp(p, delim + 2, dl - 2) != 0)
        goto bad;
    p += dl - 2;
    while (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
        const char *hend = fh_memmem(p + 2, (size_t)(end - p - 2), "\r\n\r\n", 4);
        char hdrs[1024], name[64] = "", fname[128] = "";
        if (!hend || (size_t)(hend - p) >= sizeof(hdrs))
            goto bad;
        memcpy(hdrs, p + 2, (size_t)(hend - p - 2));
        hdrs[hend - p - 2] = '\0';
        const char *data = hend + 4;
        const char *next = fh_memmem(data, (size_t)(end - data), delim, dl);
        if (!next)
            goto bad;
        size_t len = (size_t)(next - data);
        const char *cd = ci_find(hdrs, "content-disposition:");
        if (!cd || !header_param(cd, "name", name, sizeof(name)))
            goto bad;
        if (strcmp(name, "file") == 0 && header_param(cd, "filename", fname, sizeof(fname))) {
            const char *ct = ci_find(hdrs, "content-type:");
            bb_strlcpy(m.filename, fname, sizeof(m.filename));
            if (ct) {
                for (ct += 13; *ct == ' '; ct++)
                    ;
                snprintf(m.mime, sizeof(m.mime), "%.*s", (int)strcspn(ct, "\r\n"), ct);
            }
            free(m.data_b64);
            m.data_b64 = NULL;
            if (bb_base64_encode(data, len, &m.data_b64) != BB_OK)
                goto bad;
            m.size = len;
        } else if (strcmp(name, "messaging_product") == 0) {
            snprintf(product, sizeof(product), "%.*s", (int)(len < 15 ? len : 15), data);
        }
        p = next + dl;
    }
    if (strcmp(product, "whatsapp") != 0 || !m.data_b64 || m.size == 0) {
        free(m.data_b64);
        respond_json(call, 400,
                     graph_error(100, "(#100) Invalid parameter", "OAuthException",
                                 "messaging_product whatsapp and a non-empty file are required"));
        return;
    }
    if (f->nmedia == FW_MAX_MEDIA) {
        free(f->media[0].data_b64);
        memmove(&f->media[0], &f->media[1], sizeof(f->media[0]) * (FW_MAX_MEDIA - 1));
        f->nmedia--;
    }
    snprintf(m.id, sizeof(m.id), "%" PRId64, 4490709300000000 + ++f->next_media);
    f->media[f->nmedia++] = m;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", m.id);
    respond_json(call, 200, o);
    return;
bad:
    free(m.data_b64);
    respond_json(call, 400,
                 graph_error(100, "(#100) Invalid parameter", "OAuthException",
                             "a malformed multipart body"));
}

static const struct media *media_get(const struct fake *f, const char *id)
{
    for (int i = 0; id && i < f->nmedia; i++)
        if (strcmp(f->media[i].id, id) == 0)
            return &f->media[i];
    return NULL;
}

static void graph_messages(struct fake *f, const struct fw_call *call, const char *auth,
                           const char *phone_id, const char *body)
{
    const char *type = "", *why;
    char to[32] = "";
    cJSON *m = NULL, *err = NULL;
    int status = 400;
    long code = 100;

    f->sends++;
    if (!auth || strncmp(auth, "Bearer ", 7) != 0 || strcmp(auth + 7, f->token) != 0) {
        status = 401;
        code = 190;
        err = graph_error(190, "Invalid OAuth access token - Cannot parse access token",
                          "OAuthException", NULL);
        goto reject;
    }
    if (strcmp(phone_id, f->phone_id) != 0) {
        code = 100;
        err = graph_error(100,
                          "Unsupported post request. Object does not exist, cannot be loaded due "
                          "to missing permissions, or does not support this operation",
                          "GraphMethodException", NULL);
        goto reject;
    }
    m = cJSON_Parse(body);
    if ((why = validate(m, &type)) != NULL) {
        err = graph_error(100, "(#100) Invalid parameter", "OAuthException", why);
        goto reject;
    }
    if (strcmp(type, "document") == 0) {
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(m, "document");
        const cJSON *mid = cJSON_GetObjectItemCaseSensitive(d, "id");
        if (cJSON_IsString(mid) && !media_get(f, mid->valuestring)) {
            err = graph_error(100, "(#100) Invalid parameter", "OAuthException",
                              "document.id is not a media id uploaded to this phone number");
            goto reject;
        }
    }
    norm_number(cJSON_GetObjectItemCaseSensitive(m, "to")->valuestring, to, sizeof(to));
    for (int i = 0; i < f->nfaults; i++) {
        struct fault *fl = &f->faults[i];
        if (fl->count <= 0 || (fl->to[0] && strcmp(fl->to, to) != 0))
            continue;
        fl->count--;
        code = fl->code;
        if (code == 500) {
            status = 500;
            err = graph_error(1, "An unknown error occurred", "OAuthException", NULL);
        } else if (code == 130429) {
            err = graph_error(code, "(#130429) Rate limit hit", "OAuthException",
                              "Cloud API message throughput has been reached.");
        } else if (code == 131056) {
            err = graph_error(code,
                              "(#131056) (Business Account, Consumer Account) pair rate "
                              "limit hit",
                              "OAuthException",
                              "Too many messages sent from this phone number to the same phone "
                              "number in a short period of time.");
        } else if (code == 131047) {
            err = graph_error(code, "Re-engagement message", "OAuthException",
                              "Message failed to send because more than 24 hours have passed "
                              "since the customer last replied to this number.");
        } else {
            err = graph_error(code, "Injected fault", "OAuthException", NULL);
        }
        goto reject;
    }
    if (f->window && strcmp(type, "template") != 0) {
        struct user *u = user_get(f, to, 0);
        if (!u || fake_now(f) - u->last_write >= 86400) {
            code = 131047;
            err = graph_error(code, "Re-engagement message", "OAuthException",
                              "Message failed to send because more than 24 hours have passed "
                              "since the customer last replied to this number.");
            goto reject;
        }
    }
    char id[48];
    snprintf(id, sizeof(id), "wamid.FAKE%010" PRId64, ++f->next_wamid);
    record(f, to, type, id, 200, 0, body);
    f->accepted++;
    count_rate(f);
    cJSON *o = cJSON_CreateObject(), *cs = cJSON_AddArrayToObject(o, "contacts"), *c, *ms, *mm;
    cJSON_AddStringToObject(o, "messaging_product", "whatsapp");
    c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "input", to);
    cJSON_AddStringToObject(c, "wa_id", to);
    cJSON_AddItemToArray(cs, c);
    ms = cJSON_AddArrayToObject(o, "messages");
    mm = cJSON_CreateObject();
    cJSON_AddStringToObject(mm, "id", id);
    cJSON_AddStringToObject(mm, "message_status", "accepted");
    cJSON_AddItemToArray(ms, mm);
    cJSON_Delete(m);
    respond_json(call, 200, o);
    return;
reject:
    f->rejected++;
    record(f, to, type, "", status, code, body);
    cJSON_Delete(m);
    respond_json(call, status, err);
}

/* ---- control ------------------------------------------------------------ */

static void ctl_media(struct fake *f, const struct fw_call *call, const char *query)
{
    char id[32] = "";
    const char *p = strstr(query, "id=");
    if (p)
        bb_snprintf(id, sizeof(id), "%.*s", (int)strcspn(p + 3, "&"), p + 3);
    const struct media *m = media_get(f, id);
    if (!m) {
        control_err(call, 404, "no such media");
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", m->id);
    cJSON_AddStringToObject(o, "filename", m->filename);
    cJSON_AddStringToObject(o, "mime_type", m->mime);
    cJSON_AddNumberToObject(o, "size", (double)m->size);
    cJSON_AddStringToObject(o, "data_b64", m->data_b64);
    respond_json(call, 200, o);
}

static void ctl_sent(struct fake *f, const struct fw_call *call, const char *query)
{
    char to[32] = "", since[24] = "";
    long long since_v = 0;
    const char *p;
    if ((p = strstr(query, "to=")))
        bb_snprintf(to, sizeof(to), "%.*s", (int)strcspn(p + 3, "&"), p + 3);
    if ((p = strstr(query, "since=")))
        bb_snprintf(since, sizeof(since), "%.*s", (int)strcspn(p + 6, "&"), p + 6);
    if (since[0] && bb_parse_ll(since, 0, INT64_MAX, &since_v) != BB_OK) {
        control_err(call, 400, "bad since");
        return;
    }
    if (to[0]) {
        char n[32];
        if (norm_number(to, n, sizeof(n)) == 0)
            bb_strlcpy(to, n, sizeof(to));
    }
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < f->nsent; i++) {
        const struct sent *s = &f->sent[i];
        if (s->seq <= since_v || (to[0] && strcmp(s->to, to) != 0))
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "seq", (double)s->seq);
        cJSON_AddStringToObject(o, "to", s->to);
        cJSON_AddStringToObject(o, "type", s->type);
        cJSON_AddStringToObject(o, "id", s->id);
        cJSON_AddNumberToObject(o, "status", s->status);
        cJSON_AddNumberToObject(o, "code", (double)s->code);
        cJSON_AddNumberToObject(o, "ms", (double)s->ms);
        cJSON *b = cJSON_Parse(s->body);
        cJSON_AddItemToObject(o, "body", b ? b : cJSON_CreateNull());
        cJSON_AddItemToArray(arr, o);
    }
    respond_json(call, 200, arr);
}

static void ctl_stats(struct fake *f, const struct fw_call *call)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "requests", (double)f->requests);
    cJSON_AddNumberToObject(o, "sends", (double)f->sends);
    cJSON_AddNumberToObject(o, "accepted", (double)f->accepted);
    cJSON_AddNumberToObject(o, "rejected", (double)f->rejected);
    cJSON_AddNumberToObject(o, "max_overall_1s", f->max_1s);
    cJSON_AddNumberToObject(o, "webhooks_posted", (double)f->webhooks);
    cJSON_AddNumberToObject(o, "webhooks_failed", (double)f->webhook_fail);
    cJSON_AddNumberToObject(o, "clock", (double)fake_now(f));
    cJSON_AddBoolToObject(o, "window", f->window);
    respond_json(call, 200, o);
}

static void ctl_ok(const struct fw_call *call)
{
    respond(call, 200, "application/json", "{\"ok\":true}");
}

static void control(struct fake *f, const struct fw_call *call, const char *method,
                    const char *path, const char *query, const char *body)
{
    cJSON *in = NULL;
    if (strcmp(method, "GET") == 0) {
        if (strcmp(path, "/control/media") == 0)
            ctl_media(f, call, query);
        else if (strcmp(path, "/control/sent") == 0)
            ctl_sent(f, call, query);
        else if (strcmp(path, "/control/stats") == 0)
            ctl_stats(f, call);
        else
            control_err(call, 404, "unknown control");
        return;
    }
    if (strcmp(method, "POST") != 0) {
        control_err(call, 404, "unknown control");
        return;
    }
    in = cJSON_Parse(body && *body ? body : "{}");
    if (!cJSON_IsObject(in)) {
        control_err(call, 400, "the body must be a JSON object");
        goto out;
    }
    if (strcmp(path, "/control/write") == 0) {
        ctl_write(f, call, in);
    } else if (strcmp(path, "/control/status") == 0) {
        ctl_status(f, call, in);
    } else if (strcmp(path, "/control/replay") == 0) {
        if (!f->last_webhook) {
            control_err(call, 404, "nothing to replay");
            goto out;
        }
        char *copy = strdup(f->last_webhook);
        post_and_answer(f, call, copy, 0, NULL);
    } else if (strcmp(path, "/control/fault") == 0) {
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(in, "code");
        const cJSON *count = cJSON_GetObjectItemCaseSensitive(in, "count");
        const cJSON *to = cJSON_GetObjectItemCaseSensitive(in, "to");
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(in, "clear"))) {
            f->nfaults = 0;
            ctl_ok(call);
            goto out;
        }
        if (!cJSON_IsNumber(code) || f->nfaults >= FW_MAX_FAULTS) {
            control_err(call, 400, "code (a number) is required");
            goto out;
        }
        struct fault *fl = &f->faults[f->nfaults];
        memset(fl, 0, sizeof(*fl));
        fl->code = (long)code->valuedouble;
        fl->count = cJSON_IsNumber(count) ? (int)count->valuedouble : 1;
        if (cJSON_IsString(to) && norm_number(to->valuestring, fl->to, sizeof(fl->to)) != 0) {
            control_err(call, 400, "to must be a phone number");
            goto out;
        }
        f->nfaults++;
        ctl_ok(call);
    } else if (strcmp(path, "/control/window") == 0) {
        f->window = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(in, "enabled"));
        ctl_ok(call);
    } else if (strcmp(path, "/control/clock") == 0) {
        const cJSON *adv = cJSON_GetObjectItemCaseSensitive(in, "advance_s");
        if (!cJSON_IsNumber(adv)) {
            control_err(call, 400, "advance_s (a number) is required");
            goto out;
        }
        f->clock_off += (int64_t)adv->valuedouble;
        ctl_ok(call);
    } else if (strcmp(path, "/control/reset") == 0) {
        for (int i = 0; i < f->nsent; i++)
            free(f->sent[i].body);
        f->nsent = 0;
        f->nusers = 0;
        f->nfaults = 0;
        f->clock_off = 0;
        f->max_1s = 0;
        f->win_n = 0;
        ctl_ok(call);
    } else {
        control_err(call, 404, "unknown control");
    }
out:
    cJSON_Delete(in);
}

/* ---- HTTP --------------------------------------------------------------- */

/* fakehttp: one request. */
static void handle(void *app, struct fh_conn *conn, const struct fh_req *r)
{
    struct fake *f = app;
    const struct fw_call call = {conn, r}, *c = &call;
    char auth[512], path[1024];
    const char *query = "";
    char *body = malloc(r->body_len + 1);
    if (!body) {
        respond(c, 500, "application/json", "{}");
        return;
    }
    memcpy(body, r->body, r->body_len);
    body[r->body_len] = '\0';
    f->requests++;
    bb_strlcpy(path, r->target, sizeof(path));
    char *q = strchr(path, '?');
    if (q) {
        *q = '\0';
        query = r->target + (q - path) + 1;
    }
    fh_header(r, "Authorization", auth, sizeof(auth));
    if (f->log)
        fprintf(stderr, "fake_whatsapp: %s %s\n", r->method,
                strncmp(path, "/control/", 9) == 0 ? path : "(graph)");
    /* /{version}/{phone_id}/messages */
    char ver[32], pid[64], tail[32];
    if (strncmp(path, "/control/", 9) == 0) {
        control(f, c, r->method, path, query, body);
    } else if (strcmp(r->method, "POST") == 0 &&
               sscanf(path, "/%31[^/]/%63[^/]/%31s", ver, pid, tail) == 3 &&
               strcmp(tail, "messages") == 0) {
        graph_messages(f, c, auth[0] ? auth : NULL, pid, body);
    } else if (strcmp(r->method, "POST") == 0 &&
               sscanf(path, "/%31[^/]/%63[^/]/%31s", ver, pid, tail) == 3 &&
               strcmp(tail, "media") == 0) {
        graph_media(f, c, auth[0] ? auth : NULL, pid, r);
    } else {
        respond_json(c, 400,
                     graph_error(100, "Unsupported request - method type: get",
                                 "GraphMethodException", NULL));
    }
    free(body);
}

static void usage(void)
{
    fprintf(stderr, "usage: fake_whatsapp [--port N] [--port-file F] [--token T] [--phone-id ID]\n"
                    "       [--app-secret S] [--webhook URL] [--window] [--log]\n");
}

int main(int argc, char **argv)
{
    static struct fake f;
    static const struct fh_ops ops = {.request = handle};
    static const struct fh_opts opts = {.name = NULL};
    struct fh_server *srv = NULL;
    int port = 0;
    const char *port_file = NULL;
    bb_strlcpy(f.token, "TEST_TOKEN", sizeof(f.token));
    bb_strlcpy(f.phone_id, "123456789", sizeof(f.phone_id));
    bb_strlcpy(f.secret, "test-app-secret", sizeof(f.secret));
    /* the options that set a string */
    const struct {
        const char *name;
        char *dst;
        size_t n;
    } strs[] = {
        {"--token", f.token, sizeof(f.token)},
        {"--phone-id", f.phone_id, sizeof(f.phone_id)},
        {"--app-secret", f.secret, sizeof(f.secret)},
        {"--webhook", f.webhook, sizeof(f.webhook)},
    };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        long long n;
        size_t k = 0;
        while (k < BB_ARRAY_LEN(strs) && strcmp(a, strs[k].name) != 0)
            k++;
        if (v && k < BB_ARRAY_LEN(strs)) {
            bb_strlcpy(strs[k].dst, v, strs[k].n);
            i++;
        } else if (strcmp(a, "--window") == 0) {
            f.window = 1;
        } else if (strcmp(a, "--log") == 0) {
            f.log = 1;
        } else if (v && strcmp(a, "--port") == 0 && bb_parse_ll(v, 0, 65535, &n) == BB_OK) {
            port = (int)n;
            i++;
        } else if (v && strcmp(a, "--port-file") == 0) {
            port_file = v;
            i++;
        } else {
            usage();
            return 2;
        }
    }
    f.sent = calloc(FW_MAX_SENT, sizeof(*f.sent));
    if (!f.sent)
        return 1;
    f.start_ms = now_ms();
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sig;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    if (fh_server_new(&opts, &ops, &f, port, &srv) != BB_OK) {
        perror("fake_whatsapp: listen");
        return 1;
    }
    printf("listening on 127.0.0.1:%d\n", fh_port(srv));
    fflush(stdout);
    if (port_file && fh_write_port_file(srv, port_file) != BB_OK)
        return 1;
    fh_run(srv, &fw_stop);
    fh_server_free(srv);
    for (int i = 0; i < f.nsent; i++)
        free(f.sent[i].body);
    free(f.sent);
    for (int i = 0; i < f.nmedia; i++)
        free(f.media[i].data_b64);
    free(f.last_webhook);
    return 0;
}
