/*
 * flow_engine.c - the conversation engine: one event in, a new session
 * state and a list of effects out (flow.h, flow_handle). Pure: no I/O, no
 * clock, no globals; the caller gives the time, the person and the flows.
 *
 * What it does for an event:
 *   - global commands in both languages, in the middle of any flow:
 *     /batal /cancel, /bantuan /help, /menu (and /start when no flow
 *     claims it);
 *   - flow commands and keywords start their flow; in the middle of a
 *     conversation that waits for an answer, a command (or a menu button)
 *     for a flow first asks whether to leave it (buttons "s<seq>." stay,
 *     "s<seq>.<flow>" leave and start; a press after the question moved on
 *     is stale);
 *   - an answer to the pending question is parsed, saved and the flow runs
 *     on until the next question, wait or end; a bad answer is re-asked
 *     up to the node's retry limit;
 *   - button presses carry the question's sequence number, so a press on
 *     an older question is recognised and not applied;
 *   - timers: one reminder for an unanswered question, expiry with a
 *     closing message, the end of a wait.
 *
 * Thread rules: any thread; all memory is the caller's (state, effects).
 */
#include "bot/flow/flow.h"
#include "bot/base/bb.h"
#include "bot/base/cal.h"

#include <assert.h>
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- system texts, in both languages ----------------------------------- */

enum sys_text {
    T_CANCELLED,
    T_NOTHING_TO_CANCEL,
    T_HELP,
    T_MENU,
    T_MENU_EMPTY,
    T_UNKNOWN_COMMAND,
    T_FALLBACK,
    T_STALE,
    T_RETRY_CHOICE,
    T_RETRY_NUMBER,
    T_RETRY_TEXT,
    T_RETRY_YESNO,
    T_RETRY_DATE,
    T_RETRY_DURATION,
    T_GAVE_UP,
    T_REMIND,
    T_EXPIRED,
    T_ERROR,
    T_HELP_CONTINUE,
    T_TOO_LONG,
    T_PAUSED,
    T_NOTHING_TO_CONTINUE,
    T_HELP_LINE,
    T_SWITCH,
    T_SWITCH_STAY,
    T_SWITCH_LEAVE,
    T_SKIPPED,
    T_BTN_LATER,
    T_BTN_SKIP,
};

static const char *const sys[][FLOW_NLANG] = {
    [T_CANCELLED] = {"Baik, percakapan ini dibatalkan. Ketik /menu untuk memulai yang lain.",
                     "Okay, this conversation is cancelled. Type /menu to start another."},
    [T_NOTHING_TO_CANCEL] = {"Tidak ada percakapan yang sedang berjalan. Ketik /menu untuk melihat "
                             "pilihan.",
                             "There is no conversation to cancel. Type /menu to see what I can "
                             "do."},
    [T_HELP] = {"Saya coach bimbing. Perintah yang bisa dipakai kapan saja:\n"
                "/menu - pilihan percakapan\n/batal - hentikan percakapan ini\n"
                "/lanjut - teruskan percakapan yang dijeda\n"
                "/bicara - bicara dengan seseorang (konselor)\n/bantuan - bantuan ini",
                "I am the bimbing coach. Commands you can use at any time:\n"
                "/menu - what we can talk about\n/cancel - stop this conversation\n"
                "/continue - carry on with a paused conversation\n"
                "/talk - talk to a person (a counsellor)\n/help - this help"},
    [T_MENU] = {"Apa yang ingin Anda bahas?", "What would you like to do?"},
    [T_MENU_EMPTY] = {"Belum ada percakapan yang tersedia.", "No conversations are available yet."},
    [T_UNKNOWN_COMMAND] = {"Perintah itu tidak saya kenal. Ketik /menu atau /bantuan.",
                           "I don't know that command. Type /menu or /help."},
    /* anything typed outside a conversation that is not a command, a
     * keyword, thanks or a greeting (small_talk answers those in kind) */
    [T_FALLBACK] = {"Maaf, pesan itu belum dapat saya jawab. Ketik /menu untuk melihat pilihan, "
                    "atau /bantuan.",
                    "Sorry, I can't answer that one. Type /menu to see what we can talk about, "
                    "or /help."},
    [T_STALE] = {"Pertanyaan itu sudah lewat, jadi pilihan tadi tidak dipakai.",
                 "That question has passed, so that choice was not used."},
    [T_RETRY_CHOICE] = {"Pilih salah satu tombol, atau ketik nomornya.",
                        "Please pick one of the buttons, or type its number."},
    [T_RETRY_NUMBER] = {"Mohon jawab dengan angka.", "Please answer with a number."},
    [T_RETRY_TEXT] = {"Jawaban itu belum dapat saya terima. Silakan tulis lagi.",
                      "I couldn't accept that answer. Please write it again."},
    [T_RETRY_YESNO] = {"Cukup jawab ya atau tidak.", "Just yes or no, please."},
    [T_RETRY_DATE] = {"Tulis tanggalnya, misalnya \"15 Desember\", \"Jumat\" atau \"besok\".",
                      "Write the date, e.g. \"15 December\", \"Friday\" or \"tomorrow\"."},
    [T_RETRY_DURATION] = {"Tulis lamanya, misalnya \"90 menit\", \"1,5 jam\", \"2 JP\" atau "
                          "\"1 hari\".",
                          "Write how long, e.g. \"90 minutes\", \"1.5 hours\", \"2 JP\" or "
                          "\"1 day\"."},
    [T_GAVE_UP] =
        {"Maaf, saya belum dapat memahami jawaban Anda. Kita berhenti di sini dulu; ketik "
         "/menu untuk mencoba lagi.",
         "Sorry, I couldn't understand the answer. Let's stop here for now; type /menu "
         "to try again."},
    [T_REMIND] = {"Masih ada pertanyaan yang menunggu jawaban Anda:",
                  "A question is still waiting for your answer:"},
    [T_EXPIRED] = {"Percakapan ini ditutup karena lama tidak dijawab. Ketik /menu kapan saja untuk "
                   "mulai lagi.",
                   "This conversation was closed because it went unanswered. Type /menu any time "
                   "to start again."},
    [T_ERROR] = {"Maaf, terjadi kesalahan pada percakapan ini dan percakapan dihentikan. Ketik "
                 "/menu untuk mulai lagi.",
                 "Sorry, something went wrong in this conversation and it was stopped. Type /menu "
                 "to start again."},
    [T_HELP_CONTINUE] = {"Kita lanjutkan:", "Let's continue:"},
    /* printf formats: the answer's length, then the limit (both in characters) */
    [T_TOO_LONG] =
        {"Jawaban Anda %zu karakter, sedangkan di sini batasnya %d karakter. Mohon "
         "dipersingkat sedikit, lalu dikirim lagi. Jawaban Anda sebelumnya tidak hilang.",
         "Your answer has %zu characters; the limit here is %d. Could you shorten it "
         "a little and send it again? Your earlier answers are not lost."},
    [T_PAUSED] = {"Saya di sini. Kalau ingin bicara dengan seseorang sekarang, telepon SEJIWA di "
                  "119 ext 8 (darurat: 112). Percakapan kita tadi masih saya jeda: ketik /lanjut "
                  "kalau sudah siap, atau /batal untuk menutupnya.",
                  "I'm here. If you'd like to talk to someone now, call SEJIWA on 119 ext 8 "
                  "(emergency: 112). Our conversation is still paused: type /continue when "
                  "you're ready, or /cancel to close it."},
    [T_NOTHING_TO_CONTINUE] = {"Tidak ada percakapan yang sedang dijeda. Ketik /menu untuk "
                               "melihat pilihan.",
                               "There is no paused conversation. Type /menu to see what I can "
                               "do."},
    [T_SWITCH] =
        {"\"%s\" belum selesai. Apakah Anda ingin meninggalkannya dan memulai \"%s\"? Jawaban yang "
         "sudah diberikan tidak disimpan.",
         "\"%s\" is not finished yet. Leave it and start \"%s\"? The answers given so "
         "far will not be kept."},
    [T_SWITCH_STAY] = {"Lanjutkan", "Continue"},
    [T_SWITCH_LEAVE] = {"Tinggalkan", "Leave it"},
    [T_SKIPPED] = {"Baik, yang ini kita lewati. Tidak ada pengingat; sampai jumpa di jadwal "
                   "berikutnya.",
                   "Okay, we'll skip this one. No reminder; see you next time."},
    [T_BTN_LATER] = {"Nanti saja", "Later"},
    [T_BTN_SKIP] = {"Lewati kali ini", "Skip this one"},
    [T_HELP_LINE] = {"\n\nSedang berat? Layanan SEJIWA: 119 ext 8. Darurat: 112.",
                     "\n\nGoing through a hard time? The SEJIWA line: 119 ext 8. Emergency: 112."},
};

/* ---- state ----------------------------------------------------------------- */

void flow_state_init(struct flow_state *st, const char *lang)
{
    memset(st, 0, sizeof(*st));
    bb_strlcpy(st->lang, flow_lang_index(lang) >= 0 ? lang : "id", sizeof(st->lang));
    st->vars = cJSON_CreateObject();
}

void flow_state_free(struct flow_state *st)
{
    if (!st)
        return;
    cJSON_Delete(st->vars);
    st->vars = NULL;
}

int flow_state_to_json(const struct flow_state *st, char **out)
{
    /* Written by hand around the variables: cJSON's number printing is the
     * slowest part of a flow step, and these numbers are all integers. */
    static const char *modes[] = {"idle", "ask", "park", "result"};
    struct bb_buf b;
    char *vars = NULL;
    int rc = BB_ENOMEM;
    *out = NULL;
    bb_buf_init(&b, 1024 * 1024);
    bb_buf_puts(&b, "{\"stack\":[");
    for (int i = 0; i < st->depth; i++) {
        /* ids and node names are validated [a-z0-9_.-] / [A-Za-z0-9_]: no escaping needed */
        bb_buf_printf(&b, "%s{\"flow\":\"%s\",\"version\":%d,\"node\":\"%s\"}", i ? "," : "",
                      st->stack[i].flow_id, st->stack[i].version, st->stack[i].node);
    }
    vars = st->vars ? cJSON_PrintUnformatted(st->vars) : NULL;
    if (st->vars && !vars)
        goto out;
    if (bb_buf_printf(&b,
                      "],\"mode\":\"%s\",\"retries\":%d,\"reminded\":%s,\"seq\":%" PRId64
                      ",\"started\":%" PRId64 ",\"expires\":%" PRId64
                      ",\"lang\":\"%s\",\"vars\":%s%s}",
                      modes[st->mode >= 0 && st->mode <= FLOW_MODE_RESULT ? st->mode : 0],
                      st->retries, st->reminded ? "true" : "false", st->seq, st->started_at,
                      st->expires_at, flow_lang_index(st->lang) >= 0 ? st->lang : "id",
                      vars ? vars : "{}", st->paused ? ",\"paused\":true" : "") != BB_OK)
        goto out;
    *out = bb_buf_take(&b);
    rc = *out ? BB_OK : BB_ENOMEM;
out:
    cJSON_free(vars);
    bb_buf_free(&b);
    return rc;
}

static int64_t num_of(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? bb_num_or(v->valuedouble, 0) : 0;
}

int flow_state_from_json(struct flow_state *st, const char *json)
{
    cJSON *o = cJSON_Parse(json);
    const cJSON *stack, *mode, *lang, *vars;
    int rc = BB_EINVAL;
    if (!cJSON_IsObject(o))
        goto out;
    stack = cJSON_GetObjectItemCaseSensitive(o, "stack");
    if (!cJSON_IsArray(stack) || cJSON_GetArraySize(stack) > FLOW_MAX_DEPTH)
        goto out;
    st->depth = 0;
    for (const cJSON *fr = stack->child; fr; fr = fr->next) {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(fr, "flow");
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(fr, "node");
        if (!cJSON_IsString(f) || !cJSON_IsString(n))
            goto out;
        struct flow_frame *x = &st->stack[st->depth++];
        bb_strlcpy(x->flow_id, f->valuestring, sizeof(x->flow_id));
        bb_strlcpy(x->node, n->valuestring, sizeof(x->node));
        x->version = (int)num_of(fr, "version");
    }
    mode = cJSON_GetObjectItemCaseSensitive(o, "mode");
    st->mode = FLOW_MODE_IDLE;
    if (cJSON_IsString(mode) && strcmp(mode->valuestring, "ask") == 0)
        st->mode = FLOW_MODE_ASK;
    else if (cJSON_IsString(mode) && strcmp(mode->valuestring, "park") == 0)
        st->mode = FLOW_MODE_PARK;
    else if (cJSON_IsString(mode) && strcmp(mode->valuestring, "result") == 0)
        st->mode = FLOW_MODE_RESULT;
    st->retries = (int)num_of(o, "retries");
    st->reminded = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "reminded"));
    st->paused = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "paused"));
    st->seq = num_of(o, "seq");
    st->started_at = num_of(o, "started");
    st->expires_at = num_of(o, "expires");
    lang = cJSON_GetObjectItemCaseSensitive(o, "lang");
    if (cJSON_IsString(lang) && flow_lang_index(lang->valuestring) >= 0)
        bb_strlcpy(st->lang, lang->valuestring, sizeof(st->lang));
    vars = cJSON_GetObjectItemCaseSensitive(o, "vars");
    if (cJSON_IsObject(vars)) {
        cJSON_Delete(st->vars);
        st->vars = cJSON_Duplicate(vars, 1);
    }
    if (!st->vars)
        st->vars = cJSON_CreateObject();
    rc = st->vars ? BB_OK : BB_ENOMEM;
out:
    cJSON_Delete(o);
    return rc;
}

/* ---- effects ---------------------------------------------------------------- */

void flow_fxlist_init(struct flow_fxlist *l)
{
    memset(l, 0, sizeof(*l));
}

void flow_fxlist_free(struct flow_fxlist *l)
{
    if (!l)
        return;
    for (int i = 0; i < l->n; i++) {
        free(l->v[i].text);
        free(l->v[i].choices);
        cJSON_Delete(l->v[i].args);
    }
    free(l->v);
    memset(l, 0, sizeof(*l));
}

static struct flow_fx *fx_add(struct flow_fxlist *l, int type)
{
    if (l->n >= 256)
        return NULL; /* bounded: a runaway flow cannot flood the outbox */
    if (l->n == l->cap) {
        int nc = l->cap ? l->cap * 2 : 8;
        struct flow_fx *nv = realloc(l->v, (size_t)nc * sizeof(*nv));
        if (!nv)
            return NULL;
        l->v = nv;
        l->cap = nc;
    }
    struct flow_fx *f = &l->v[l->n++];
    memset(f, 0, sizeof(*f));
    f->type = type;
    return f;
}

/* ---- the run context ------------------------------------------------------- */

struct run {
    const struct flow_ctx *ctx;
    struct flow_state *st;
    struct flow_fxlist *fx;
    int lang;
    int failed; /* out of memory or a broken state: stop and apologise */
    /* the words after a command ("/cuti batal" -> "batal"), folded; the
     * flow it starts gets them as the variable command_arg */
    const char *cmd_arg;
    /* an ask whose options come from a variable ("options_from"): the node
     * as asked now, its options pointing into that variable */
    struct flow_node live;
    struct flow_option live_opts[FLOW_MAX_OPTS];
};

static const struct flow *get_flow(struct run *R, const char *id, int version)
{
    if (R->ctx->get)
        return R->ctx->get(R->ctx->get_ctx, id, version);
    return R->ctx->lib ? flow_lib_get(R->ctx->lib, id, version) : NULL;
}

static int json_to_val(const cJSON *v, struct expr_val *out)
{
    memset(out, 0, sizeof(*out));
    if (cJSON_IsString(v)) {
        size_t n = strlen(v->valuestring);
        out->str = malloc(n + 1);
        if (!out->str)
            return BB_ENOMEM;
        memcpy(out->str, v->valuestring, n + 1);
        out->type = EXPR_STR;
    } else if (cJSON_IsNumber(v)) {
        out->type = EXPR_NUM;
        out->num = v->valuedouble;
    } else if (cJSON_IsBool(v)) {
        out->type = EXPR_BOOL;
        out->b = cJSON_IsTrue(v);
    } else if (!v || cJSON_IsNull(v)) {
        out->type = EXPR_NULL;
    } else {
        return BB_ENOTFOUND;
    }
    return BB_OK;
}

/* A field of the person, computed on first use when the core supplies
 * person_more. */
static const cJSON *person_get(struct run *R, const char *name)
{
    const struct flow_ctx *c = R->ctx;
    const cJSON *v = c->person ? cJSON_GetObjectItemCaseSensitive(c->person, name) : NULL;
    if (!v && c->person && c->person_more && c->person_more(c->person_ctx, name) == BB_OK)
        v = cJSON_GetObjectItemCaseSensitive(c->person, name);
    return v;
}

static int lookup(void *vctx, const char *name, struct expr_val *out)
{
    struct run *R = vctx;
    const cJSON *v = NULL;
    if (strncmp(name, "person.", 7) == 0) {
        v = person_get(R, name + 7);
    } else if (strcmp(name, "lang") == 0) {
        memset(out, 0, sizeof(*out));
        out->type = EXPR_STR;
        out->str = malloc(4);
        if (!out->str)
            return BB_ENOMEM;
        bb_strlcpy(out->str, R->st->lang, 4);
        return BB_OK;
    } else {
        v = cJSON_GetObjectItemCaseSensitive(R->st->vars, name);
        if (!v)
            v = person_get(R, name);
    }
    if (!v)
        return BB_ENOTFOUND;
    return json_to_val(v, out);
}

static void eval(struct run *R, const struct expr *e, struct expr_val *out)
{
    struct expr_env env = {
        .lookup = lookup, .ctx = R, .now = R->ctx->now, .tz_offset_s = R->ctx->tz_offset_s};
    memset(out, 0, sizeof(*out));
    if (expr_eval(e, &env, out) != BB_OK) {
        expr_val_clear(out);
        out->type = EXPR_NULL;
    }
}

static cJSON *val_to_json(const struct expr_val *v)
{
    switch (v->type) {
    case EXPR_BOOL:
        return cJSON_CreateBool(v->b);
    case EXPR_NUM:
        return cJSON_CreateNumber(v->num);
    case EXPR_STR:
        return cJSON_CreateString(v->str ? v->str : "");
    default:
        return cJSON_CreateNull();
    }
}

static void set_var(struct run *R, const char *name, cJSON *item)
{
    if (!item) {
        R->failed = 1;
        return;
    }
    if (cJSON_GetObjectItemCaseSensitive(R->st->vars, name)) {
        cJSON_ReplaceItemInObjectCaseSensitive(R->st->vars, name, item);
    } else if (cJSON_GetArraySize(R->st->vars) >= FLOW_MAX_VARS) {
        cJSON_Delete(item); /* bounded; the validator keeps real flows far below */
    } else {
        cJSON_AddItemToObject(R->st->vars, name, item);
    }
}

/* A value as the person reads it: a number with the decimal comma in
 * Indonesian ("1,33"), a stored date ("2026-12-15") in the language's one
 * date format (cal_format_date: "Selasa, 15 Desember 2026"), anything else
 * as it is. */
static void format_for(struct run *R, const struct expr_val *v, char *out, size_t n)
{
    int64_t day;
    expr_val_format(v, out, n);
    if (v->type == EXPR_NUM && R->lang == 0) {
        for (char *p = out; *p; p++)
            if (*p == '.')
                *p = ',';
    } else if (v->type == EXPR_STR && cal_parse_iso(out, &day) == 0) {
        cal_format_date(day, R->lang, CAL_LONG, out, n);
    }
}

/* Render {{name}} placeholders in a template. Returns malloc'd text. */
static char *render(struct run *R, const char *tpl)
{
    struct bb_buf b;
    struct flow_placeholder ph;
    bb_buf_init(&b, FLOW_TEXT_MAX);
    for (const char *p = tpl; p && *p; p = ph.end) {
        if (flow_placeholder_next(p, &ph) <= 0) {
            bb_buf_puts(&b, p);
            break;
        }
        bb_buf_append(&b, p, (size_t)(ph.at - p));
        struct expr_val v;
        if (ph.len < sizeof(ph.name) && lookup(R, ph.name, &v) == BB_OK) {
            char out[FLOW_VAR_MAX];
            format_for(R, &v, out, sizeof(out));
            if (bb_buf_puts(&b, out) != BB_OK && b.cap > b.len + 8) {
                /* a long answer in a notice: as much as fits, then "…" */
                bb_buf_append(&b, out, bb_utf8_cut(out, strlen(out), b.cap - b.len - 8));
                bb_buf_puts(&b, "\xe2\x80\xa6");
            }
            expr_val_clear(&v);
        }
    }
    return bb_buf_take(&b);
}

/* The text in the conversation's language; in Indonesian, its casual
 * variant when the instance's register is "santai" and it has one. */
static const char *tx(struct run *R, const struct flow_text *t)
{
    if (R->lang == 0 && R->ctx->casual && t->casual)
        return t->casual;
    const char *s = t->t[R->lang];
    return s ? s : t->t[0] ? t->t[0] : "";
}

/* The casual forms (register "santai", docs/coaching.md) of the texts
 * above that address the person; the others read the same in both. */
static const char *const sys_santai[sizeof(sys) / sizeof(sys[0])] = {
    [T_MENU] = "Apa yang ingin kamu bahas?",
    [T_GAVE_UP] = "Maaf, saya belum bisa memahami jawabanmu. Kita berhenti di sini dulu; ketik "
                  "/menu untuk mencoba lagi.",
    [T_REMIND] = "Masih ada pertanyaan yang menunggu jawabanmu:",
    [T_TOO_LONG] = "Jawabanmu %zu karakter, sedangkan di sini batasnya %d karakter. Tolong "
                   "dipersingkat sedikit, lalu dikirim lagi. Jawabanmu sebelumnya tidak hilang.",
    [T_SWITCH] = "\"%s\" belum selesai. Kamu mau meninggalkannya dan memulai \"%s\"? Jawaban "
                 "yang sudah diberikan tidak disimpan.",
};

static const char *systx(struct run *R, int which)
{
    if (R->lang == 0 && R->ctx->casual && sys_santai[which])
        return sys_santai[which];
    return sys[which][R->lang];
}

static struct flow_fx *say_raw(struct run *R, const char *text)
{
    struct flow_fx *f = fx_add(R->fx, FLOW_FX_SAY);
    if (!f) {
        R->failed = 1;
        return NULL;
    }
    size_t n = strlen(text);
    f->text = malloc(n + 1);
    if (!f->text) {
        R->failed = 1;
        return NULL;
    }
    memcpy(f->text, text, n + 1);
    return f;
}

static void say_tpl(struct run *R, const char *tpl)
{
    char *s = render(R, tpl);
    if (!s) {
        R->failed = 1;
        return;
    }
    say_raw(R, s);
    free(s);
}

static void timer_set(struct run *R, const char *kind, int64_t due, const char *payload)
{
    struct flow_fx *f = fx_add(R->fx, FLOW_FX_TIMER_SET);
    if (!f)
        return;
    bb_strlcpy(f->name, kind, sizeof(f->name));
    bb_strlcpy(f->payload, payload, sizeof(f->payload));
    f->due = due;
}

static void timer_clear(struct run *R, const char *kind)
{
    struct flow_fx *f = fx_add(R->fx, FLOW_FX_TIMER_CLEAR);
    if (f)
        bb_strlcpy(f->name, kind, sizeof(f->name));
}

static struct flow_frame *top(struct run *R)
{
    return R->st->depth > 0 ? &R->st->stack[R->st->depth - 1] : NULL;
}

static const struct flow *cur_flow(struct run *R)
{
    struct flow_frame *fr = top(R);
    return fr ? get_flow(R, fr->flow_id, fr->version) : NULL;
}

static const struct flow_node *cur_node(struct run *R, const struct flow **fout)
{
    const struct flow *f = cur_flow(R);
    int i;
    if (fout)
        *fout = f;
    if (!f || (i = flow_node_index(f, top(R)->node)) < 0)
        return NULL;
    return &f->nodes[i];
}

/* End the whole conversation: back to idle, timers gone. */
static void finish(struct run *R)
{
    struct flow_state *st = R->st;
    st->depth = 0;
    st->mode = FLOW_MODE_IDLE;
    st->retries = 0;
    st->reminded = 0;
    st->paused = 0;
    timer_clear(R, "remind");
    timer_clear(R, "expire");
    timer_clear(R, "wake");
}

/* n as it is asked now: itself, or for a choice with "options_from" a copy
 * whose options are the variable's list of {"id", "label"} (ids that are
 * not option ids, and entries past FLOW_MAX_OPTS, are skipped) followed by
 * the node's fixed options. The copy's labels point into the variable:
 * valid until that variable changes. */
static const struct flow_node *live_node(struct run *R, const struct flow_node *n)
{
    if (!n || n->kind != FLOW_NODE_ASK || !n->input.options_from[0])
        return n;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(R->st->vars, n->input.options_from);
    int k = 0;
    R->live = *n;
    for (const cJSON *o = cJSON_IsArray(list) ? list->child : NULL; o && k < FLOW_MAX_OPTS;
         o = o->next) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
        const cJSON *label = cJSON_GetObjectItemCaseSensitive(o, "label");
        if (!cJSON_IsString(id) || !cJSON_IsString(label) || !label->valuestring[0] ||
            !id->valuestring[0] || strlen(id->valuestring) >= FLOW_OPT_ID_MAX ||
            strspn(id->valuestring, "abcdefghijklmnopqrstuvwxyz0123456789_-") !=
                strlen(id->valuestring))
            continue;
        struct flow_option *op = &R->live_opts[k++];
        memset(op, 0, sizeof(*op));
        bb_strlcpy(op->id, id->valuestring, sizeof(op->id));
        for (int l = 0; l < FLOW_NLANG; l++)
            op->label.t[l] = label->valuestring;
    }
    for (int i = 0; i < n->input.nopts && k < FLOW_MAX_OPTS; i++)
        R->live_opts[k++] = n->input.opts[i];
    R->live.input.opts = R->live_opts;
    R->live.input.nopts = k;
    return &R->live;
}

/* The ids of the two extra choices on a snoozable first question (a
 * flow's option ids are a-z 0-9 _ -, so these never clash). */
#define SNOOZE_LATER_ID "~later"
#define SNOOZE_SKIP_ID  "~skip"

/* 1 when the pending question is the first one of a top-level flow that
 * declares "snooze": there "nanti" / "lewati" (typed or pressed) put the
 * conversation off or skip it. */
static int snoozable(struct run *R)
{
    const struct flow *f = cur_flow(R);
    return R->st->depth == 1 && f && f->snooze_after > 0 &&
           strcmp(R->st->stack[0].node, f->nodes[f->start].name) == 0;
}

/* Put off (the core plans it again, in working time, and says when) or
 * skip (closed politely: no reminder) the snoozable conversation. */
static void snooze_now(struct run *R, int skip)
{
    const struct flow *f = cur_flow(R);
    assert(f && f->snooze_after > 0);
    finish(R);
    if (skip) {
        say_raw(R, systx(R, T_SKIPPED));
        return;
    }
    struct flow_fx *x = fx_add(R->fx, FLOW_FX_SNOOZE);
    if (!x) {
        R->failed = 1;
        return;
    }
    bb_strlcpy(x->payload, f->id, sizeof(x->payload));
    x->due = R->ctx->now + f->snooze_after;
}

/* "nanti" / "lewati minggu ini" typed on a snoozable question. Returns 1
 * when the text was one of these words (and was acted on). */
static int snooze_or_skip(struct run *R, const char *text)
{
    static const char *const later[] = {"nanti", "nanti saja", "nanti dulu",   "nanti ya",
                                        "later", "not now",    "ask me later", NULL};
    static const char *const skip[] = {"lewati",          "lewati saja", "lewati minggu ini",
                                       "lewati kali ini", "skip",        "skip this week",
                                       "skip this one",   "skip it",     NULL};
    char w[40];
    size_t n;
    int is_later = 0, is_skip = 0;
    if (!snoozable(R))
        return 0;
    if (bb_fold(text, w, sizeof(w)) != BB_OK)
        return 0;
    n = strlen(w);
    while (n > 0 && (isspace((unsigned char)w[n - 1]) || strchr(".!", w[n - 1])))
        w[--n] = '\0';
    for (int i = 0; later[i]; i++)
        is_later |= !strcmp(w, later[i]);
    for (int i = 0; skip[i]; i++)
        is_skip |= !strcmp(w, skip[i]);
    if (!is_later && !is_skip)
        return 0;
    snooze_now(R, is_skip);
    return 1;
}

/* Emit text as the pending question of an ask node, with its choices: the
 * question itself, or a retry's one line (the buttons stay with it). */
static void ask_with(struct run *R, const struct flow_node *n, const char *text)
{
    n = live_node(R, n);
    struct flow_fx *f = say_raw(R, text);
    if (!f)
        return;
    f->asks = 1;
    bb_snprintf(f->payload, sizeof(f->payload), "q%" PRId64, R->st->seq);
    int extra = snoozable(R) ? 2 : 0; /* "later" and "skip" after the options */
    if (n->input.nopts + extra > 0) {
        f->choices = calloc((size_t)(n->input.nopts + extra), sizeof(*f->choices));
        if (!f->choices) {
            R->failed = 1;
            return;
        }
        for (int i = 0; i < n->input.nopts; i++) {
            const struct flow_option *o = &n->input.opts[i];
            bb_snprintf(f->choices[i].id, sizeof(f->choices[i].id), "q%" PRId64 ".%s", R->st->seq,
                        o->id);
            char *lab = render(R, tx(R, &o->label));
            bb_strlcpy(f->choices[i].label, lab ? lab : o->id, sizeof(f->choices[i].label));
            free(lab);
        }
        f->nchoices = n->input.nopts;
        if (extra) {
            struct flow_choice *c = &f->choices[f->nchoices];
            bb_snprintf(c[0].id, sizeof(c[0].id), "q%" PRId64 "." SNOOZE_LATER_ID, R->st->seq);
            bb_strlcpy(c[0].label, systx(R, T_BTN_LATER), sizeof(c[0].label));
            bb_snprintf(c[1].id, sizeof(c[1].id), "q%" PRId64 "." SNOOZE_SKIP_ID, R->st->seq);
            bb_strlcpy(c[1].label, systx(R, T_BTN_SKIP), sizeof(c[1].label));
            f->nchoices += extra;
        }
    }
}

/* Emit the question of an ask node, with its choices. */
static void ask_question(struct run *R, const struct flow_node *n, int reprompt_prefix)
{
    (void)reprompt_prefix;
    char *text = render(R, tx(R, &n->ask));
    if (!text) {
        R->failed = 1;
        return;
    }
    ask_with(R, n, text);
    free(text);
}

static void do_actions(struct run *R, const struct flow_node *n)
{
    for (int i = 0; i < n->nacts && !R->failed; i++) {
        const struct flow_action *a = &n->acts[i];
        const char *name = a->def ? a->def->name : NULL;
        cJSON *args = cJSON_Duplicate(a->args, 1);
        struct flow_fx *f;
        if (!name || !args) {
            cJSON_Delete(args);
            continue;
        }
        /* fields: a list of variable names becomes an object of values */
        cJSON *fields = cJSON_GetObjectItemCaseSensitive(args, "fields");
        if (cJSON_IsArray(fields) || (!fields && strcmp(name, "record") == 0)) {
            cJSON *vals = cJSON_CreateObject();
            if (fields) {
                for (const cJSON *s = fields->child; s && vals; s = s->next) {
                    const cJSON *v = cJSON_GetObjectItemCaseSensitive(R->st->vars, s->valuestring);
                    cJSON_AddItemToObject(vals, s->valuestring,
                                          v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
                }
            } else if (vals) {
                cJSON_Delete(vals);
                vals = cJSON_Duplicate(R->st->vars, 1);
            }
            if (fields)
                cJSON_ReplaceItemInObjectCaseSensitive(args, "fields", vals);
            else
                cJSON_AddItemToObject(args, "fields", vals);
        }
        if (a->value && a->value_key[0]) {
            struct expr_val v;
            eval(R, a->value, &v);
            cJSON *j = val_to_json(&v);
            expr_val_clear(&v);
            if (j)
                cJSON_ReplaceItemInObjectCaseSensitive(args, a->value_key, j);
            if (strcmp(name, "language") == 0 && cJSON_IsString(j) &&
                flow_lang_index(j->valuestring) >= 0) {
                bb_strlcpy(R->st->lang, j->valuestring, sizeof(R->st->lang));
                R->lang = flow_lang_index(R->st->lang);
            }
        }
        if (a->text.t[0]) {
            cJSON *t = cJSON_CreateObject();
            for (int l = 0; l < FLOW_NLANG && t; l++) {
                const char *src = l == 0 && R->ctx->casual && a->text.casual ? a->text.casual
                                  : a->text.t[l]                             ? a->text.t[l]
                                                                             : "";
                char *s = render(R, src);
                cJSON_AddStringToObject(t, flow_langs[l], s ? s : "");
                free(s);
            }
            if (t)
                cJSON_ReplaceItemInObjectCaseSensitive(args, "text", t);
        }
        if (strcmp(name, "schedule") == 0) {
            const cJSON *after = cJSON_GetObjectItemCaseSensitive(args, "after");
            int64_t d = 0;
            if (cJSON_IsString(after) && bb_parse_duration(after->valuestring, &d) == BB_OK)
                cJSON_ReplaceItemInObjectCaseSensitive(args, "after",
                                                       cJSON_CreateNumber((double)d));
        }
        cJSON_AddStringToObject(args, "flow", top(R) ? top(R)->flow_id : "");
        f = fx_add(R->fx, FLOW_FX_ACTION);
        if (!f) {
            cJSON_Delete(args);
            R->failed = 1;
            return;
        }
        bb_strlcpy(f->name, name, sizeof(f->name));
        f->args = args;
    }
}

/* The index of the node to go to from n, FLOW_TARGET_END to end. */
static int follow(struct run *R, const struct flow_node *n)
{
    for (int i = 0; i < n->nnext; i++) {
        if (!n->next[i].cond)
            return n->next[i].target;
        struct expr_val v;
        eval(R, n->next[i].cond, &v);
        int t = expr_val_truthy(&v);
        expr_val_clear(&v);
        if (t)
            return n->next[i].target;
    }
    return FLOW_TARGET_END;
}

/* Move the top frame to target and run; FLOW_TARGET_END ends this flow. */
static void run_from(struct run *R, int target);

static void pop_frame(struct run *R)
{
    R->st->depth--;
    if (R->st->depth <= 0) {
        finish(R);
        return;
    }
    /* back in the caller, at its call node: go on from there */
    const struct flow *f;
    const struct flow_node *n = cur_node(R, &f);
    if (!n) {
        R->failed = 1;
        return;
    }
    run_from(R, follow(R, n));
}

static void run_from(struct run *R, int target)
{
    for (int steps = 0; steps < FLOW_MAX_STEPS && !R->failed; steps++) {
        const struct flow *f = cur_flow(R);
        if (!f) {
            R->failed = 1;
            return;
        }
        if (target == FLOW_TARGET_END) {
            pop_frame(R);
            return;
        }
        const struct flow_node *n = &f->nodes[target];
        bb_strlcpy(top(R)->node, n->name, sizeof(top(R)->node));

        for (int i = 0; i < n->nsets; i++) {
            struct expr_val v;
            eval(R, n->sets[i].value, &v);
            set_var(R, n->sets[i].var, val_to_json(&v));
            expr_val_clear(&v);
        }
        do_actions(R, n);
        if (n->has_say)
            say_tpl(R, tx(R, &n->say));
        if (n->result[0] && !R->failed) {
            /* wait for the action's outcome: the core runs it and feeds it
             * back as FLOW_EV_RESULT in the same pass (handle_result) */
            for (int i = R->fx->n - 1; i >= 0; i--) {
                if (R->fx->v[i].type == FLOW_FX_ACTION) {
                    R->fx->v[i].wants_result = 1;
                    break;
                }
            }
            R->st->mode = FLOW_MODE_RESULT;
            return;
        }

        switch (n->kind) {
        case FLOW_NODE_ASK:
            R->st->seq++;
            R->st->mode = FLOW_MODE_ASK;
            R->st->retries = 0;
            R->st->reminded = 0;
            ask_question(R, n, 0);
            if (f->remind_after > 0) {
                char p[48];
                bb_snprintf(p, sizeof(p), "remind:%" PRId64, R->st->seq);
                timer_set(R, "remind", R->ctx->now + f->remind_after, p);
            }
            return;
        case FLOW_NODE_WAIT: {
            char p[48];
            R->st->seq++;
            R->st->mode = FLOW_MODE_PARK;
            bb_snprintf(p, sizeof(p), "wake:%" PRId64, R->st->seq);
            timer_set(R, "wake", R->ctx->now + n->wait_s, p);
            timer_clear(R, "remind");
            return;
        }
        case FLOW_NODE_CALL: {
            const struct flow *callee = get_flow(R, n->call, 0);
            if (!callee || R->st->depth >= FLOW_MAX_DEPTH) {
                R->failed = 1;
                return;
            }
            struct flow_frame *fr = &R->st->stack[R->st->depth++];
            bb_strlcpy(fr->flow_id, callee->id, sizeof(fr->flow_id));
            fr->version = callee->version;
            bb_strlcpy(fr->node, callee->nodes[callee->start].name, sizeof(fr->node));
            target = callee->start;
            continue;
        }
        case FLOW_NODE_END:
            pop_frame(R);
            return;
        default:
            target = follow(R, n);
            continue;
        }
    }
    R->failed = 1; /* too many steps without waiting: a loop the validator missed */
}

static void start_flow(struct run *R, const struct flow *f)
{
    struct flow_state *st = R->st;
    char p[48];
    if (st->depth > 0)
        timer_clear(R, "wake");
    st->depth = 1;
    bb_strlcpy(st->stack[0].flow_id, f->id, sizeof(st->stack[0].flow_id));
    st->stack[0].version = f->version;
    bb_strlcpy(st->stack[0].node, f->nodes[f->start].name, sizeof(st->stack[0].node));
    st->mode = FLOW_MODE_IDLE;
    st->retries = 0;
    st->reminded = 0;
    st->paused = 0;
    cJSON_Delete(st->vars);
    st->vars = cJSON_CreateObject();
    if (!st->vars) {
        R->failed = 1;
        return;
    }
    if (R->cmd_arg && R->cmd_arg[0])
        set_var(R, "command_arg", cJSON_CreateString(R->cmd_arg));
    R->cmd_arg = NULL;
    st->started_at = R->ctx->now;
    st->expires_at = R->ctx->now + (f->expire_after > 0 ? f->expire_after : FLOW_DEFAULT_EXPIRE);
    bb_snprintf(p, sizeof(p), "expire:%" PRId64, st->started_at);
    timer_set(R, "expire", st->expires_at, p);
    run_from(R, f->start);
}

/* A flow the person or a START asked for: the gate decides (flow_ctx). A
 * refusal leaves the running conversation as it was; an open question is
 * asked again after the core's explanation. */
static void reask(struct run *R);
static void try_start(struct run *R, const struct flow *f, int asked)
{
    if (R->ctx->may_start && !R->ctx->may_start(R->ctx->gate_ctx, f)) {
        struct flow_fx *g = fx_add(R->fx, FLOW_FX_GATED);
        if (!g) {
            R->failed = 1;
            return;
        }
        bb_strlcpy(g->payload, f->id, sizeof(g->payload));
        g->asks = asked;
        if (asked && R->st->mode == FLOW_MODE_ASK) {
            say_raw(R, systx(R, T_HELP_CONTINUE));
            reask(R);
        }
        return;
    }
    start_flow(R, f);
}

/* ---- commands ----------------------------------------------------------- */

static void show_menu(struct run *R)
{
    const struct flow_lib *lib = R->ctx->lib;
    int n = lib ? flow_lib_count(lib) : 0, k = 0;
    struct flow_fx *f = say_raw(R, systx(R, T_MENU));
    if (!f)
        return;
    f->choices = calloc((size_t)n + 1, sizeof(*f->choices));
    if (!f->choices) {
        R->failed = 1;
        return;
    }
    for (int i = 0; i < n && k < 10; i++) {
        const struct flow *fl = flow_lib_at(lib, i);
        if (!fl->menu)
            continue;
        bb_snprintf(f->choices[k].id, sizeof(f->choices[k].id), "m.%s", fl->id);
        bb_strlcpy(f->choices[k].label, tx(R, &fl->title), sizeof(f->choices[k].label));
        k++;
    }
    f->nchoices = k;
    if (k == 0) {
        free(f->text);
        f->text = NULL;
        size_t len = strlen(systx(R, T_MENU_EMPTY));
        f->text = malloc(len + 1);
        if (f->text)
            memcpy(f->text, systx(R, T_MENU_EMPTY), len + 1);
    }
}

static void show_help(struct run *R)
{
    struct bb_buf b;
    const struct flow_lib *lib = R->ctx->lib;
    bb_buf_init(&b, FLOW_TEXT_MAX);
    bb_buf_puts(&b, systx(R, T_HELP));
    for (int i = 0; lib && i < flow_lib_count(lib); i++) {
        const struct flow *fl = flow_lib_at(lib, i);
        for (int t = 0; t < fl->ntriggers; t++)
            if (fl->triggers[t].type == FLOW_TRIG_COMMAND && (fl->menu || fl->help))
                bb_buf_printf(&b, "\n/%s - %s", fl->triggers[t].word, tx(R, &fl->title));
    }
    bb_buf_puts(&b, systx(R, T_HELP_LINE));
    char *s = bb_buf_take(&b);
    if (!s) {
        R->failed = 1;
        return;
    }
    say_raw(R, s);
    free(s);
}

/* The person carries on with a conversation the safety net paused: the
 * pause ends and the flow's whole expire_after starts again (flow_pause). */
static void unpause(struct run *R)
{
    const struct flow *f = cur_flow(R);
    char p[48];
    if (!R->st->paused)
        return;
    R->st->paused = 0;
    R->st->expires_at =
        R->ctx->now + (f && f->expire_after > 0 ? f->expire_after : FLOW_DEFAULT_EXPIRE);
    bb_snprintf(p, sizeof(p), "expire:%" PRId64, R->st->started_at);
    timer_set(R, "expire", R->st->expires_at, p);
}

/* Re-ask the pending question (after help, a reminder, a bad answer). */
static void reask(struct run *R)
{
    const struct flow_node *n = cur_node(R, NULL);
    unpause(R); /* asked again: the next text answers it */
    if (R->st->mode == FLOW_MODE_ASK && n && n->kind == FLOW_NODE_ASK)
        ask_question(R, n, 1);
}

/* A command or menu press for flow f: at once when nothing is half done;
 * while a conversation waits for an answer, ask first whether to leave it
 * (its answers would be lost), with the buttons stay / leave. */
static void start_or_confirm(struct run *R, const struct flow *f)
{
    const struct flow *cur = cur_flow(R);
    /* A flow the person may not start (consent) is refused before asking
     * whether to leave the current one. */
    if (R->ctx->may_start && !R->ctx->may_start(R->ctx->gate_ctx, f)) {
        try_start(R, f, 1);
        return;
    }
    if (R->st->depth == 0 || R->st->mode != FLOW_MODE_ASK || !cur) {
        start_flow(R, f);
        return;
    }
    if (strcmp(cur->id, f->id) == 0) { /* already in it: carry on */
        say_raw(R, systx(R, T_HELP_CONTINUE));
        reask(R);
        return;
    }
    char msg[FLOW_LABEL_MAX * 8 + 256];
    bb_snprintf(msg, sizeof(msg), systx(R, T_SWITCH), tx(R, &cur->title), tx(R, &f->title));
    struct flow_fx *fx = say_raw(R, msg);
    if (!fx)
        return;
    fx->choices = calloc(2, sizeof(*fx->choices));
    if (!fx->choices) {
        R->failed = 1;
        return;
    }
    bb_snprintf(fx->choices[0].id, sizeof(fx->choices[0].id), "s%" PRId64 ".", R->st->seq);
    bb_strlcpy(fx->choices[0].label, systx(R, T_SWITCH_STAY), sizeof(fx->choices[0].label));
    if (bb_snprintf(fx->choices[1].id, sizeof(fx->choices[1].id), "s%" PRId64 ".%s", R->st->seq,
                    f->id) != BB_OK) {
        start_flow(R, f); /* an id too long for a button: no way to ask */
        return;
    }
    bb_strlcpy(fx->choices[1].label, systx(R, T_SWITCH_LEAVE), sizeof(fx->choices[1].label));
    fx->nchoices = 2;
}

/* The answer to start_or_confirm: "s<seq>." stays, "s<seq>.<flow>" leaves. */
static void handle_switch(struct run *R, const char *payload)
{
    char *dot = strchr(payload, '.');
    char seqs[24];
    long long seq = -1;
    if (dot && dot - payload > 1 && (size_t)(dot - payload - 1) < sizeof(seqs)) {
        memcpy(seqs, payload + 1, (size_t)(dot - payload - 1));
        seqs[dot - payload - 1] = '\0';
        if (bb_parse_ll(seqs, 0, INT64_MAX, &seq) != BB_OK)
            seq = -1;
    }
    if (!dot || seq != R->st->seq || R->st->depth == 0 || R->st->mode != FLOW_MODE_ASK) {
        struct flow_fx *f = fx_add(R->fx, FLOW_FX_STALE);
        if (f)
            bb_strlcpy(f->payload, payload, sizeof(f->payload));
        say_raw(R, systx(R, T_STALE));
        return;
    }
    if (!dot[1]) {
        say_raw(R, systx(R, T_HELP_CONTINUE));
        reask(R);
        return;
    }
    const struct flow *f = R->ctx->lib ? flow_lib_get(R->ctx->lib, dot + 1, 0) : NULL;
    if (!f) {
        say_raw(R, systx(R, T_STALE));
        return;
    }
    try_start(R, f, 1);
}

/* Returns 1 when the text was a command (handled), 0 otherwise. */
static int handle_command(struct run *R, const char *text)
{
    char word[40];
    size_t n = 0;
    const char *p = text + 1;
    while (*p && !isspace((unsigned char)*p) && *p != '@' && n + 1 < sizeof(word))
        word[n++] = (char)tolower((unsigned char)*p++);
    word[n] = '\0';
    if (*p && !isspace((unsigned char)*p) && *p != '@')
        word[0] = '\0'; /* too long to be a command of ours */

    if (!strcmp(word, "batal") || !strcmp(word, "cancel") || !strcmp(word, "stop")) {
        if (R->st->depth > 0) {
            /* the outer flow's "on_cancel" node closes what it opened:
             * run from there in the outer frame, then end whatever it did */
            const struct flow *outer =
                get_flow(R, R->st->stack[0].flow_id, R->st->stack[0].version);
            int said = 0, first = R->fx->n;
            if (outer && outer->on_cancel >= 0) {
                timer_clear(R, "remind");
                R->st->depth = 1;
                R->st->mode = FLOW_MODE_IDLE;
                R->st->paused = 0;
                run_from(R, outer->on_cancel);
                for (int i = first; i < R->fx->n; i++)
                    said |= R->fx->v[i].type == FLOW_FX_SAY;
            }
            /* one line: what on_cancel said (it tells what became of the
             * conversation), else the usual "cancelled" */
            if (!said)
                say_raw(R, systx(R, T_CANCELLED));
            if (R->st->depth > 0)
                finish(R);
        } else {
            say_raw(R, systx(R, T_NOTHING_TO_CANCEL));
        }
        return 1;
    }
    if (!strcmp(word, "bantuan") || !strcmp(word, "help")) {
        show_help(R);
        if (R->st->mode == FLOW_MODE_ASK) {
            say_raw(R, systx(R, T_HELP_CONTINUE));
            reask(R);
        }
        return 1;
    }
    if (!strcmp(word, "lanjut") || !strcmp(word, "continue")) {
        if (R->st->mode == FLOW_MODE_ASK) {
            say_raw(R, systx(R, T_HELP_CONTINUE));
            reask(R);
        } else {
            say_raw(R, systx(R, T_NOTHING_TO_CONTINUE));
        }
        return 1;
    }
    const struct flow *f = R->ctx->lib ? flow_lib_by_command(R->ctx->lib, word) : NULL;
    if (f) {
        char arg[FLOW_ARG_MAX];
        p += strcspn(p, " \t\r\n"); /* past "@botname" */
        p += strspn(p, " \t\r\n");
        if (bb_fold(p, arg, sizeof(arg)) != BB_OK)
            arg[0] = '\0'; /* too long to be an argument of ours */
        for (size_t k = strlen(arg); k > 0 && isspace((unsigned char)arg[k - 1]); k--)
            arg[k - 1] = '\0';
        R->cmd_arg = arg;
        start_or_confirm(R, f);
        R->cmd_arg = NULL;
        return 1;
    }
    if (!strcmp(word, "menu") || !strcmp(word, "start")) {
        const struct flow *w = R->ctx->welcome && R->st->mode != FLOW_MODE_ASK
                                   ? get_flow(R, R->ctx->welcome, 0)
                                   : NULL;
        if (w) { /* not onboarded yet: the menu would offer only refusals */
            start_or_confirm(R, w);
            return 1;
        }
        show_menu(R);
        if (R->st->mode == FLOW_MODE_ASK) {
            /* the menu offers other things; the open question still waits */
            say_raw(R, systx(R, T_HELP_CONTINUE));
            reask(R);
        }
        return 1;
    }
    say_raw(R, systx(R, T_UNKNOWN_COMMAND));
    if (R->st->mode == FLOW_MODE_ASK)
        reask(R);
    return 1;
}

/* ---- answers ---------------------------------------------------------------- */

static void accept_answer(struct run *R, const struct flow_node *n, struct expr_val *v, int opt)
{
    if (n->save[0]) {
        set_var(R, n->save, val_to_json(v));
        if (opt >= 0 && opt < n->input.nopts) {
            char key[FLOW_NAME_MAX + 8];
            bb_snprintf(key, sizeof(key), "%s_label", n->save);
            set_var(R, key, cJSON_CreateString(tx(R, &n->input.opts[opt].label)));
        }
    }
    struct flow_fx *f = fx_add(R->fx, FLOW_FX_ANSWERED);
    if (f) {
        bb_snprintf(f->payload, sizeof(f->payload), "q%" PRId64, R->st->seq);
        char shown[FLOW_VAR_MAX];
        if (opt >= 0 && opt < n->input.nopts)
            bb_strlcpy(shown, tx(R, &n->input.opts[opt].label), sizeof(shown));
        else
            expr_val_format(v, shown, sizeof(shown));
        size_t len = strlen(shown);
        if (len > 300) { /* the echo of a long story: its beginning is enough */
            len = bb_utf8_cut(shown, len, 300);
            bb_strlcpy(shown + len, "\xe2\x80\xa6", sizeof(shown) - len);
            len = strlen(shown);
        }
        f->text = malloc(len + 1);
        if (f->text)
            memcpy(f->text, shown, len + 1);
    }
    R->st->mode = FLOW_MODE_IDLE;
    R->st->retries = 0;
    unpause(R); /* a press on a paused question's button carries on */
    timer_clear(R, "remind");
    run_from(R, follow(R, n));
}

static void reject_answer(struct run *R, const struct flow_node *n)
{
    R->st->retries++;
    if (R->st->retries > n->retry_max) {
        R->st->mode = FLOW_MODE_IDLE;
        R->st->retries = 0;
        timer_clear(R, "remind");
        if (n->retry_else == FLOW_TARGET_END) {
            say_raw(R, systx(R, T_GAVE_UP));
            finish(R);
            return;
        }
        run_from(R, n->retry_else);
        return;
    }
    /* One short line saying what is expected, with the question's buttons:
     * the question (and its greeting) is not repeated. */
    R->st->paused = 0;
    if (n->has_retry_say) {
        char *s = render(R, tx(R, &n->retry_say));
        if (!s) {
            R->failed = 1;
            return;
        }
        ask_with(R, n, s);
        free(s);
    } else {
        static const int by_type[] = {
            [FLOW_IN_NONE] = T_RETRY_TEXT,     [FLOW_IN_TEXT] = T_RETRY_TEXT,
            [FLOW_IN_NUMBER] = T_RETRY_NUMBER, [FLOW_IN_CHOICE] = T_RETRY_CHOICE,
            [FLOW_IN_SCALE] = T_RETRY_CHOICE,  [FLOW_IN_YESNO] = T_RETRY_YESNO,
            [FLOW_IN_DATE] = T_RETRY_DATE,     [FLOW_IN_DURATION] = T_RETRY_DURATION,
        };
        int t = n->input.type >= 0 && n->input.type <= FLOW_IN_DURATION ? by_type[n->input.type]
                                                                        : T_RETRY_TEXT;
        ask_with(R, n, systx(R, t));
    }
}

static void handle_answer_text(struct run *R, const char *text)
{
    const struct flow_node *n = live_node(R, cur_node(R, NULL));
    struct expr_val v;
    int opt;
    if (!n || n->kind != FLOW_NODE_ASK) {
        R->failed = 1;
        return;
    }
    int rc = flow_input_parse(&n->input, text, R->lang, R->ctx->now, R->ctx->tz_offset_s, &v, &opt);
    if (rc == BB_ENOMEM) {
        R->failed = 1;
        return;
    }
    if (rc == BB_ELIMIT) {
        /* Too long: say the limit and ask again, without using up a retry,
         * so a long story never ends the conversation. */
        char msg[400];
        bb_snprintf(msg, sizeof(msg), systx(R, T_TOO_LONG), bb_utf8_len(text), n->input.maxlen);
        say_raw(R, msg);
        reask(R);
        return;
    }
    if (rc != BB_OK) {
        reject_answer(R, n);
        return;
    }
    accept_answer(R, n, &v, opt);
    expr_val_clear(&v);
}

/* ---- thanks and greetings outside a conversation -------------------------- */

/* What a person may say outside a conversation, answered in kind. The
 * reply is in the person's language; a greeting with a time of day is
 * returned in kind ("Selamat pagi" -> "Selamat pagi, Ayu!"). */
enum { ST_THANKS = 1, ST_HELLO, ST_SALAM, ST_TIME };
static const struct {
    const char *w;
    int kind;
    const char *echo[FLOW_NLANG]; /* ST_TIME: the greeting in each language */
} small_words[] = {
    {"terima kasih", ST_THANKS, {NULL, NULL}},
    {"terimakasih", ST_THANKS, {NULL, NULL}},
    {"makasih", ST_THANKS, {NULL, NULL}},
    {"trima kasih", ST_THANKS, {NULL, NULL}},
    {"trims", ST_THANKS, {NULL, NULL}},
    {"tq", ST_THANKS, {NULL, NULL}},
    {"thanks", ST_THANKS, {NULL, NULL}},
    {"thank you", ST_THANKS, {NULL, NULL}},
    {"thx", ST_THANKS, {NULL, NULL}},
    {"matur nuwun", ST_THANKS, {NULL, NULL}},
    {"halo", ST_HELLO, {NULL, NULL}},
    {"hallo", ST_HELLO, {NULL, NULL}},
    {"hai", ST_HELLO, {NULL, NULL}},
    {"hi", ST_HELLO, {NULL, NULL}},
    {"hello", ST_HELLO, {NULL, NULL}},
    {"hey", ST_HELLO, {NULL, NULL}},
    {"assalamualaikum", ST_SALAM, {NULL, NULL}},
    {"assalamu'alaikum", ST_SALAM, {NULL, NULL}},
    {"assalamu alaikum", ST_SALAM, {NULL, NULL}},
    {"selamat pagi", ST_TIME, {"Selamat pagi", "Good morning"}},
    {"selamat siang", ST_TIME, {"Selamat siang", "Good afternoon"}},
    {"selamat sore", ST_TIME, {"Selamat sore", "Good afternoon"}},
    {"selamat malam", ST_TIME, {"Selamat malam", "Good evening"}},
    {"pagi", ST_TIME, {"Selamat pagi", "Good morning"}},
    {"good morning", ST_TIME, {"Selamat pagi", "Good morning"}},
    {"good afternoon", ST_TIME, {"Selamat siang", "Good afternoon"}},
    {"good evening", ST_TIME, {"Selamat malam", "Good evening"}},
};

/* 1 when text was thanks or a greeting (and it was answered). The phrase
 * may be followed by a few words ("terima kasih banyak", "halo bot") and
 * punctuation, not by a question of its own. */
static int small_talk(struct run *R, const char *text)
{
    char folded[96];
    if (bb_fold(text, folded, sizeof(folded)) != BB_OK)
        return 0;
    size_t n = strlen(folded);
    while (n > 0 && strchr("!.,? ", folded[n - 1]))
        folded[--n] = '\0';
    for (size_t i = 0; i < BB_ARRAY_LEN(small_words); i++) {
        size_t k = strlen(small_words[i].w);
        if (strncmp(folded, small_words[i].w, k) != 0 ||
            (folded[k] && folded[k] != ' ' && folded[k] != ',' && folded[k] != '!'))
            continue;
        /* what follows: at most three short words, no question */
        const char *rest = folded + k;
        int words = 0;
        for (const char *p = rest; *p; p++)
            if (*p != ' ' && *p != ',' && *p != '!' && (p == rest || p[-1] == ' '))
                words++;
        if (words > 3 || strlen(rest) > 24 || strchr(rest, '?'))
            return 0;
        int en = R->lang == 1;
        /* Indonesian calls the person as the register does ("Ibu Ayu"),
         * English by the first name */
        const cJSON *fn = R->ctx->person ? cJSON_GetObjectItemCaseSensitive(
                                               R->ctx->person, en ? "first_name" : "sapaan_nama")
                                         : NULL;
        if (!en && !(cJSON_IsString(fn) && fn->valuestring[0]) && R->ctx->person)
            fn = cJSON_GetObjectItemCaseSensitive(R->ctx->person, "first_name");
        const char *name = cJSON_IsString(fn) && fn->valuestring[0] ? fn->valuestring : NULL;
        char msg[400], who[80];
        if (name)
            bb_snprintf(who, sizeof(who), ", %s", name);
        else
            who[0] = '\0';
        switch (small_words[i].kind) {
        case ST_THANKS:
            bb_snprintf(msg, sizeof(msg),
                        en ? "You're welcome%s. Type /menu whenever you'd like to talk again."
                           : "Sama-sama%s. Ketik /menu kapan saja bila ada yang ingin dibahas.",
                        who);
            break;
        case ST_SALAM:
            bb_snprintf(msg, sizeof(msg),
                        en ? "Wa'alaikumsalam%s! Type /menu to see what we can talk about, or "
                             "/help."
                           : "Wa'alaikumsalam%s! Ketik /menu untuk melihat pilihan, atau "
                             "/bantuan.",
                        who);
            break;
        case ST_TIME:
            bb_snprintf(msg, sizeof(msg),
                        en ? "%s%s! Type /menu to see what we can talk about, or /help."
                           : "%s%s! Ketik /menu untuk melihat pilihan, atau /bantuan.",
                        small_words[i].echo[en], who);
            break;
        default:
            bb_snprintf(msg, sizeof(msg),
                        en ? "Hello%s! Type /menu to see what we can talk about, or /help."
                           : "Halo%s! Ketik /menu untuk melihat pilihan, atau /bantuan.",
                        who);
            break;
        }
        say_raw(R, msg);
        return 1;
    }
    return 0;
}

/* A flow a person may start by typing its command may also be started by
 * a button (the gate's "get started" / "consent" offers). */
static int has_command(const struct flow *f)
{
    for (int t = 0; t < f->ntriggers; t++)
        if (f->triggers[t].type == FLOW_TRIG_COMMAND)
            return 1;
    return 0;
}

static void handle_button(struct run *R, const char *payload)
{
    if (strncmp(payload, "m.", 2) == 0) {
        const struct flow *f = R->ctx->lib ? flow_lib_get(R->ctx->lib, payload + 2, 0) : NULL;
        if (f && (f->menu || has_command(f)))
            start_or_confirm(R, f);
        else
            say_raw(R, systx(R, T_STALE));
        return;
    }
    if (payload[0] == 's') {
        handle_switch(R, payload);
        return;
    }
    if (payload[0] != 'q') {
        say_raw(R, systx(R, T_STALE));
        fx_add(R->fx, FLOW_FX_STALE);
        return;
    }
    char *dot = strchr(payload, '.');
    char seqs[24];
    long long seq = -1;
    if (dot && (size_t)(dot - payload - 1) < sizeof(seqs)) {
        memcpy(seqs, payload + 1, (size_t)(dot - payload - 1));
        seqs[dot - payload - 1] = '\0';
        if (bb_parse_ll(seqs, 0, INT64_MAX, &seq) != BB_OK)
            seq = -1;
    }
    const struct flow_node *n = live_node(R, cur_node(R, NULL));
    if (!dot || seq != R->st->seq || R->st->mode != FLOW_MODE_ASK || !n ||
        n->kind != FLOW_NODE_ASK) {
        struct flow_fx *f = fx_add(R->fx, FLOW_FX_STALE);
        if (f)
            bb_strlcpy(f->payload, payload, sizeof(f->payload));
        say_raw(R, systx(R, T_STALE));
        return;
    }
    const char *oid = dot + 1;
    if (snoozable(R) && (!strcmp(oid, SNOOZE_LATER_ID) || !strcmp(oid, SNOOZE_SKIP_ID))) {
        snooze_now(R, !strcmp(oid, SNOOZE_SKIP_ID));
        return;
    }
    for (int i = 0; i < n->input.nopts; i++) {
        if (strcmp(n->input.opts[i].id, oid) != 0)
            continue;
        struct expr_val v = {0};
        if (n->input.type == FLOW_IN_YESNO) {
            v.type = EXPR_BOOL;
            v.b = n->input.opts[i].value != 0;
        } else if (n->input.type == FLOW_IN_SCALE) {
            v.type = EXPR_NUM;
            v.num = n->input.opts[i].value;
        } else if (n->input.type == FLOW_IN_DATE || n->input.type == FLOW_IN_DURATION) {
            /* a quick answer: what its label says, as if typed */
            int opt;
            int rc = flow_input_parse(&n->input, tx(R, &n->input.opts[i].label), R->lang,
                                      R->ctx->now, R->ctx->tz_offset_s, &v, &opt);
            if (rc == BB_ENOMEM) {
                R->failed = 1;
                return;
            }
            if (rc != BB_OK)
                break;
        } else {
            v.type = EXPR_STR;
            v.str = malloc(strlen(oid) + 1);
            if (!v.str) {
                R->failed = 1;
                return;
            }
            memcpy(v.str, oid, strlen(oid) + 1);
        }
        accept_answer(R, n, &v, i);
        expr_val_clear(&v);
        return;
    }
    reject_answer(R, n);
}

static void handle_timer(struct run *R, const char *payload)
{
    struct flow_state *st = R->st;
    long long x;
    const char *colon = strchr(payload, ':');
    if (!colon || bb_parse_ll(colon + 1, INT64_MIN, INT64_MAX, &x) != BB_OK)
        return; /* not ours: ignore */
    if (strncmp(payload, "remind:", 7) == 0) {
        /* No reminder for a conversation already past its expiry (both
         * timers due in one tick, e.g. after downtime): only the closing. */
        int expired = st->expires_at > 0 && R->ctx->now >= st->expires_at;
        if (st->mode == FLOW_MODE_ASK && st->seq == x && !st->reminded && !expired) {
            const struct flow *f = cur_flow(R);
            st->reminded = 1;
            if (f && f->has_remind)
                say_tpl(R, tx(R, &f->remind));
            else
                say_raw(R, systx(R, T_REMIND));
            reask(R);
        }
    } else if (strncmp(payload, "expire:", 7) == 0) {
        /* A paused conversation's expiry was moved (flow_pause): an expire
         * event from before the move is not its end. */
        int early = st->paused && R->ctx->now < st->expires_at;
        if (st->depth > 0 && st->started_at == x && !early) {
            const struct flow *f = cur_flow(R);
            if (f && f->has_expired)
                say_tpl(R, tx(R, &f->expired));
            else
                say_raw(R, systx(R, T_EXPIRED));
            finish(R);
        }
    } else if (strncmp(payload, "wake:", 5) == 0) {
        if (st->mode == FLOW_MODE_PARK && st->seq == x) {
            const struct flow_node *n = cur_node(R, NULL);
            if (!n) {
                R->failed = 1;
                return;
            }
            st->mode = FLOW_MODE_IDLE;
            run_from(R, follow(R, n));
        }
    }
}

/* The outcome of the action a "result" node waits for: kept in the
 * variables <result> ("ok", "refused" or the action's own status),
 * <result>_value, <result>_message and <result>_options, then on along
 * "next". Anything else while no outcome is awaited is ignored. */
static void handle_result(struct run *R, const char *payload)
{
    struct flow_state *st = R->st;
    char var[FLOW_NAME_MAX + 16];
    if (st->mode != FLOW_MODE_RESULT || st->depth == 0)
        return;
    const struct flow_node *n = cur_node(R, NULL);
    cJSON *o = cJSON_Parse(payload);
    if (!n || !n->result[0]) {
        cJSON_Delete(o);
        R->failed = 1;
        return;
    }
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(o, "status");
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(o, "value");
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(o, "message");
    const cJSON *options = cJSON_GetObjectItemCaseSensitive(o, "options");
    int ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "ok"));
    int valid_status = cJSON_IsString(status) && status->valuestring[0] &&
                       strlen(status->valuestring) < FLOW_NAME_MAX;
    set_var(R, n->result,
            cJSON_CreateString(valid_status ? status->valuestring
                               : ok         ? "ok"
                                            : "refused"));
    bb_snprintf(var, sizeof(var), "%s_value", n->result);
    set_var(R, var,
            (cJSON_IsString(value) || cJSON_IsNumber(value) || cJSON_IsBool(value))
                ? cJSON_Duplicate(value, 0)
                : cJSON_CreateNull());
    bb_snprintf(var, sizeof(var), "%s_message", n->result);
    set_var(R, var,
            cJSON_CreateString(cJSON_IsString(message) && strlen(message->valuestring) < 1000
                                   ? message->valuestring
                                   : ""));
    bb_snprintf(var, sizeof(var), "%s_options", n->result);
    if (cJSON_IsArray(options) && cJSON_GetArraySize(options) <= FLOW_MAX_OPTS)
        set_var(R, var, cJSON_Duplicate(options, 1));
    else
        cJSON_DeleteItemFromObjectCaseSensitive(st->vars, var);
    cJSON_Delete(o);
    if (R->failed)
        return;
    st->mode = FLOW_MODE_IDLE;
    run_from(R, follow(R, n));
}

int flow_handle(const struct flow_ctx *ctx, struct flow_state *st, const struct flow_event *ev,
                struct flow_fxlist *fx)
{
    struct run R = {.ctx = ctx, .st = st, .fx = fx};
    int start_n = fx->n;

    R.lang = flow_lang_index(st->lang);
    if (R.lang < 0) {
        R.lang = 0;
        bb_strlcpy(st->lang, flow_langs[0], sizeof(st->lang));
    }
    if (!st->vars && !(st->vars = cJSON_CreateObject()))
        return BB_ENOMEM;
    /* A session pinned to a flow version we can no longer find is broken. */
    if (st->depth > 0 && !cur_node(&R, NULL))
        R.failed = 1;

    if (!R.failed) {
        switch (ev->type) {
        case FLOW_EV_TEXT: {
            const char *t = ev->text ? ev->text : "";
            while (isspace((unsigned char)*t))
                t++;
            if (t[0] == '/') {
                handle_command(&R, t);
            } else if (st->mode == FLOW_MODE_ASK && st->paused) {
                say_raw(&R, systx(&R, T_PAUSED)); /* not an answer: see flow_pause */
            } else if (st->mode == FLOW_MODE_ASK) {
                if (!snooze_or_skip(&R, t))
                    handle_answer_text(&R, t);
            } else {
                char folded[128];
                const struct flow *f = NULL;
                if (ctx->lib && bb_fold(t, folded, sizeof(folded)) == BB_OK)
                    f = flow_lib_by_keyword(ctx->lib, folded, -1);
                if (f)
                    try_start(&R, f, 1);
                else if (!small_talk(&R, t))
                    say_raw(&R, systx(&R, T_FALLBACK));
            }
            break;
        }
        case FLOW_EV_BUTTON:
            handle_button(&R, ev->payload ? ev->payload : "");
            break;
        case FLOW_EV_TIMER:
            handle_timer(&R, ev->payload ? ev->payload : "");
            break;
        case FLOW_EV_RESULT:
            handle_result(&R, ev->payload ? ev->payload : "");
            break;
        case FLOW_EV_START: {
            const struct flow *f =
                ctx->lib ? flow_lib_get(ctx->lib, ev->payload ? ev->payload : "", 0) : NULL;
            if (!f)
                return BB_ENOTFOUND;
            if (st->depth > 0 && strcmp(st->stack[0].flow_id, f->id) == 0)
                return BB_OK; /* that conversation is already under way */
            if (ctx->may_start && !ctx->may_start(ctx->gate_ctx, f)) {
                try_start(&R, f, 0); /* refused: only the GATED effect */
                break;
            }
            if (st->depth > 0 && st->mode != FLOW_MODE_PARK) {
                struct flow_fx *d = fx_add(fx, FLOW_FX_DEFER);
                if (d)
                    bb_strlcpy(d->payload, f->id, sizeof(d->payload));
                return BB_OK;
            }
            start_flow(&R, f);
            break;
        }
        default:
            return BB_EINVAL;
        }
    }
    if (R.failed) {
        /* Drop what this event produced, reset, apologise. */
        for (int i = start_n; i < fx->n; i++) {
            free(fx->v[i].text);
            free(fx->v[i].choices);
            cJSON_Delete(fx->v[i].args);
        }
        fx->n = start_n;
        finish(&R);
        R.failed = 0;
        say_raw(&R, systx(&R, T_ERROR));
        return BB_ESTATE;
    }
    return BB_OK;
}

int flow_pause(struct flow_state *st, int64_t now, struct flow_fxlist *fx)
{
    struct flow_fx *f;
    if (st->depth == 0 || st->mode != FLOW_MODE_ASK)
        return 0;
    st->paused = 1;
    f = fx_add(fx, FLOW_FX_TIMER_CLEAR); /* no reminder after a cry for help */
    if (f)
        bb_strlcpy(f->name, "remind", sizeof(f->name));
    if (now + FLOW_PAUSE_GRACE > st->expires_at) {
        st->expires_at = now + FLOW_PAUSE_GRACE;
        f = fx_add(fx, FLOW_FX_TIMER_SET);
        if (f) {
            bb_strlcpy(f->name, "expire", sizeof(f->name));
            bb_snprintf(f->payload, sizeof(f->payload), "expire:%" PRId64, st->started_at);
            f->due = st->expires_at;
        }
    }
    return 1;
}
