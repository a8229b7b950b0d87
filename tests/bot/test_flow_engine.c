/* test_flow_engine.c - unit tests of bot/flow/flow_engine.c: small flows built
 * from JSON strings, put in a flow_lib and driven through flow_handle()
 * with a fixed clock and a fixed person. Each test checks the effects
 * (what is said, asked, recorded, timed) and the session state after. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/flow/flow.h"
#include "tests/lib/fixture.h"
#include "bot/core/domain.h"
#include "bot/domain/modules.h"

#define NOW 1795428000 /* 2026-11-23T10:00:00Z, a Monday */

static const char *const FLOW_COLOR =
    "{\"id\": \"t.color\", \"version\": 1, \"kind\": \"coaching\", \"menu\": true,"
    " \"title\": {\"id\": \"Warna\", \"en\": \"Colour\"},"
    " \"triggers\": [{\"command\": \"warna\"},"
    "                {\"keyword\": {\"id\": [\"warna favorit\"], \"en\": [\"favourite colour\"]}}],"
    " \"expire_after\": \"1d\", \"remind_after\": \"1h\","
    " \"remind\": {\"id\": \"Masih menunggu:\", \"en\": \"Still waiting:\"},"
    " \"expired\": {\"id\": \"Waktunya habis.\", \"en\": \"Time is up.\"},"
    " \"start\": \"hello\","
    " \"nodes\": {"
    "  \"hello\": {\"set\": {\"visits\": 1},"
    "    \"say\": {\"id\": \"Halo {{first_name}} dari {{person.unit}}!\","
    "              \"en\": \"Hi {{first_name}} from {{person.unit}}!\"}, \"next\": \"color\"},"
    "  \"color\": {\"ask\": {\"id\": \"Warna apa?\", \"en\": \"Which colour?\"},"
    "    \"input\": {\"type\": \"choice\", \"options\": ["
    "      {\"id\": \"c_red\", \"label\": {\"id\": \"Merah\", \"en\": \"Red\"},"
    "       \"synonyms\": {\"id\": [\"abang\"], \"en\": [\"crimson\"]}},"
    "      {\"id\": \"c_green\", \"label\": {\"id\": \"Hijau\", \"en\": \"Green\"}},"
    "      {\"id\": \"c_blue\", \"label\": {\"id\": \"Biru\", \"en\": \"Blue\"}}]},"
    "    \"retry\": {\"max\": 1, \"say\": {\"id\": \"Pilih warna.\", \"en\": \"Pick a colour.\"},"
    "              \"else\": \"fallback\"},"
    "    \"save\": \"color\", \"next\": \"done\"},"
    "  \"fallback\": {\"say\": {\"id\": \"Tidak apa.\", \"en\": \"Never mind.\"}, \"end\": true},"
    "  \"done\": {\"say\": {\"id\": \"Anda pilih {{color_label}} ({{color}}).\","
    "                     \"en\": \"You chose {{color_label}} ({{color}}).\"}, \"end\": true}}}";

static const char *const FLOW_AGE =
    "{\"id\": \"t.age\", \"version\": 1, \"kind\": \"coaching\", \"menu\": true,"
    " \"title\": {\"id\": \"Umur\", \"en\": \"Age\"}, \"triggers\": [{\"command\": \"umur\"}],"
    " \"start\": \"age\","
    " \"nodes\": {"
    "  \"age\": {\"ask\": {\"id\": \"Umur Anda?\", \"en\": \"Your age?\"},"
    "    \"input\": {\"type\": \"number\", \"min\": 18, \"max\": 70, \"integer\": true},"
    "    \"save\": \"age\", \"next\": \"done\"},"
    "  \"done\": {\"say\": {\"id\": \"Umur {{age}}.\", \"en\": \"Age {{age}}.\"}, \"end\": true}}}";

static const char *const FLOW_WAIT =
    "{\"id\": \"t.wait\", \"version\": 1, \"kind\": \"coaching\","
    " \"title\": {\"id\": \"Tunggu\", \"en\": \"Wait\"}, \"triggers\": [{\"command\": \"tunggu\"}],"
    " \"help\": true,"
    " \"start\": \"w\","
    " \"nodes\": {"
    "  \"w\": {\"say\": {\"id\": \"Sebentar.\", \"en\": \"One moment.\"}, \"wait\": \"1h\", "
    "\"next\": "
    "\"q\"},"
    "  \"q\": {\"ask\": {\"id\": \"Sudah siap?\", \"en\": \"Ready now?\"}, \"input\": {\"type\": "
    "\"yesno\"},"
    "    \"save\": \"ready\", \"next\": \"e\"},"
    "  \"e\": {\"say\": {\"id\": \"Siap: {{ready}}.\", \"en\": \"Ready: {{ready}}.\"}, \"end\": "
    "true}}}";

static const char *const FLOW_CALLER =
    "{\"id\": \"t.caller\", \"version\": 1, \"kind\": \"coaching\","
    " \"title\": {\"id\": \"Pemanggil\", \"en\": \"Caller\"}, \"triggers\": [{\"command\": "
    "\"panggil\"}],"
    " \"start\": \"c\","
    " \"nodes\": {"
    "  \"c\": {\"call\": \"t.sub\", \"next\": \"back\"},"
    "  \"back\": {\"say\": {\"id\": \"Kembali: {{note}}.\", \"en\": \"Back: {{note}}.\"}, \"end\": "
    "true}}}";

static const char *const FLOW_SUB =
    "{\"id\": \"t.sub\", \"version\": 1, \"kind\": \"system\","
    " \"title\": {\"id\": \"Sub\", \"en\": \"Sub\"}, \"start\": \"q\","
    " \"nodes\": {"
    "  \"q\": {\"ask\": {\"id\": \"Catatan?\", \"en\": \"A note?\"}, \"input\": {\"type\": "
    "\"text\"},"
    "    \"save\": \"note\", \"next\": \"e\"},"
    "  \"e\": {\"say\": {\"id\": \"Sub selesai.\", \"en\": \"Sub done.\"}, \"end\": true}}}";

static const char *const FLOW_LANG =
    "{\"id\": \"t.lang\", \"version\": 1, \"kind\": \"system\", \"stores\": [\"checkin\"],"
    " \"title\": {\"id\": \"Bahasa\", \"en\": \"Language\"}, \"triggers\": [{\"command\": "
    "\"bahasa\"}],"
    " \"start\": \"s\","
    " \"nodes\": {"
    "  \"s\": {\"do\": [{\"language\": \"'en'\"}], \"next\": \"q\"},"
    "  \"q\": {\"ask\": {\"id\": \"Siap?\", \"en\": \"Ready?\"}, \"input\": {\"type\": \"yesno\"},"
    "    \"save\": \"ok\", \"next\": [{\"if\": \"ok\", \"go\": \"y\"}, {\"go\": \"n\"}]},"
    "  \"y\": {\"do\": [{\"record\": \"checkin\", \"fields\": [\"ok\"]}],"
    "    \"say\": {\"id\": \"Ya.\", \"en\": \"Yes it is.\"}, \"end\": true},"
    "  \"n\": {\"say\": {\"id\": \"Tidak.\", \"en\": \"No it is not.\"}, \"end\": true}}}";

static const char *const FLOW_HIDDEN =
    "{\"id\": \"t.hidden\", \"version\": 1, \"kind\": \"survey\","
    " \"title\": {\"id\": \"Survei\", \"en\": \"Survey\"}, \"triggers\": [{\"hr\": true}],"
    " \"start\": \"s\","
    " \"nodes\": {\"s\": {\"ask\": {\"id\": \"Puas?\", \"en\": \"Happy?\"},"
    "  \"input\": {\"type\": \"scale\", \"min\": 1, \"max\": 5}, \"save\": \"happy\", \"next\": "
    "\"e\"},"
    "  \"e\": {\"say\": {\"id\": \"Terima kasih.\", \"en\": \"Thanks.\"}, \"end\": true}}}";

/* A versioned flow: v1 and v2 differ in what they say at the end. */
static const char *const FLOW_VER_FMT =
    "{\"id\": \"t.ver\", \"version\": %d, \"kind\": \"coaching\","
    " \"title\": {\"id\": \"Versi\", \"en\": \"Version\"}, \"triggers\": [{\"command\": "
    "\"versi\"}],"
    " \"start\": \"q\","
    " \"nodes\": {\"q\": {\"ask\": {\"id\": \"Nama?\", \"en\": \"Name?\"}, \"input\": {\"type\": "
    "\"text\"},"
    "  \"save\": \"nm\", \"next\": \"e\"},"
    "  \"e\": {\"say\": {\"id\": \"versi %d: {{nm}}\", \"en\": \"version %d: {{nm}}\"}, \"end\": "
    "true}}}";

/* An action whose outcome steers the flow ("result"), a pick list from that
 * outcome ("options_from") and a cancel hook ("on_cancel"). */
static const char *const FLOW_RESULT =
    "{\"id\": \"t.result\", \"version\": 1, \"kind\": \"coaching\","
    " \"title\": {\"id\": \"Hasil\", \"en\": \"Result\"}, \"triggers\": [{\"command\": "
    "\"hasil\"}],"
    " \"start\": \"q\", \"on_cancel\": \"bye\","
    " \"nodes\": {"
    "  \"q\": {\"ask\": {\"id\": \"Siapa?\", \"en\": \"Who?\"}, \"input\": {\"type\": "
    "\"text\"}, \"save\": \"who\", \"next\": \"look\"},"
    "  \"look\": {\"do\": [{\"broadcast_segment\": true, \"fields\": [\"who\"]}], "
    "\"result\": \"found\","
    "   \"branch\": [{\"if\": \"found == 'ok'\", \"go\": \"done\"},"
    "              {\"if\": \"found == 'several'\", \"go\": \"pick\"}, {\"go\": \"again\"}]},"
    "  \"again\": {\"ask\": {\"id\": \"{{found_message}} Lagi?\", \"en\": \"{{found_message}} "
    "Again?\"},"
    "   \"input\": {\"type\": \"text\"}, \"save\": \"who\", \"next\": \"look\"},"
    "  \"pick\": {\"ask\": {\"id\": \"Yang mana?\", \"en\": \"Which?\"},"
    "   \"input\": {\"type\": \"choice\", \"options_from\": \"found_options\", \"options\": "
    "[{\"id\": \"none\", \"label\": {\"id\": \"Bukan\", \"en\": \"None\"}}]},"
    "   \"save\": \"picked\", \"next\": \"done\"},"
    "  \"done\": {\"say\": {\"id\": \"Dapat {{found_value}} {{picked}} {{picked_label}}.\","
    " \"en\": \"Got {{found_value}}.\"}, \"end\": true},"
    "  \"bye\": {\"say\": {\"id\": \"Ditutup: {{who}}.\", \"en\": \"Closed: {{who}}.\"}, "
    "\"end\": true}}}";

/* ---- fixture ---------------------------------------------------------------- */

struct fx {
    struct flow_lib *lib;
    cJSON *person;
    struct flow_ctx ctx;
    struct flow_state st;
    struct flow_fxlist out;
    int gets; /* calls of the ctx.get callback */
};

static struct flow *parse(const char *json)
{
    return tfx_flow_parse(json, "test");
}

static const struct flow *get_cb(void *vctx, const char *id, int version)
{
    struct fx *x = vctx;
    x->gets++;
    return flow_lib_get(x->lib, id, version);
}

static int setup(void **state)
{
    struct fx *x = calloc(1, sizeof(*x));
    assert_non_null(x);
    assert_int_equal(flow_lib_new(&x->lib), BB_OK);
    const char *const all[] = {FLOW_COLOR, FLOW_AGE,    FLOW_WAIT,   FLOW_CALLER, FLOW_SUB,
                               FLOW_LANG,  FLOW_HIDDEN, FLOW_RESULT, NULL};
    for (int i = 0; all[i]; i++)
        assert_int_equal(flow_lib_add(x->lib, parse(all[i]), 1), BB_OK);
    x->person = cJSON_Parse("{\"nip\": \"198001012005011001\", \"name\": \"Sari Dewi\","
                            " \"first_name\": \"Sari\", \"unit\": \"Biro SDM\", \"lang\": \"id\"}");
    assert_non_null(x->person);
    x->ctx.lib = x->lib;
    x->ctx.get = get_cb;
    x->ctx.get_ctx = x;
    x->ctx.person = x->person;
    x->ctx.now = NOW;
    x->ctx.tz_offset_s = 7 * 3600;
    flow_state_init(&x->st, "id");
    flow_fxlist_init(&x->out);
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    struct fx *x = *state;
    flow_fxlist_free(&x->out);
    flow_state_free(&x->st);
    cJSON_Delete(x->person);
    flow_lib_free(x->lib);
    free(x);
    return 0;
}

/* Send one event; the effects of earlier events are dropped first. */
static int ev(struct fx *x, int type, const char *s)
{
    struct flow_event e = {.type = type};
    if (type == FLOW_EV_TEXT)
        e.text = s;
    else
        e.payload = s;
    flow_fxlist_free(&x->out);
    flow_fxlist_init(&x->out);
    return flow_handle(&x->ctx, &x->st, &e, &x->out);
}

static int text(struct fx *x, const char *s)
{
    return ev(x, FLOW_EV_TEXT, s);
}

/* The i-th effect of a type (0-based), or NULL. */
static const struct flow_fx *nth(const struct fx *x, int type, int i)
{
    for (int k = 0; k < x->out.n; k++)
        if (x->out.v[k].type == type && i-- == 0)
            return &x->out.v[k];
    return NULL;
}

static int count(const struct fx *x, int type)
{
    int n = 0;
    for (int k = 0; k < x->out.n; k++)
        n += x->out.v[k].type == type;
    return n;
}

/* Some SAY contains the fragment. */
static int said(const struct fx *x, const char *frag)
{
    for (int k = 0; k < x->out.n; k++)
        if (x->out.v[k].type == FLOW_FX_SAY && x->out.v[k].text && strstr(x->out.v[k].text, frag))
            return 1;
    return 0;
}

/* The question asked by this event (a SAY with asks set), or NULL. */
static const struct flow_fx *question(const struct fx *x)
{
    for (int k = 0; k < x->out.n; k++)
        if (x->out.v[k].type == FLOW_FX_SAY && x->out.v[k].asks)
            return &x->out.v[k];
    return NULL;
}

static const struct flow_fx *timer(const struct fx *x, int type, const char *kind)
{
    for (int k = 0; k < x->out.n; k++)
        if (x->out.v[k].type == type && strcmp(x->out.v[k].name, kind) == 0)
            return &x->out.v[k];
    return NULL;
}

static const char *var_str(const struct fx *x, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(x->st.vars, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- tests ------------------------------------------------------------------- */

/* person_more: a field missing from the person object is asked for once,
 * by name, and used when the callback adds it; a field that is there, or
 * that nobody reads, is never asked for. */
struct more_log {
    cJSON *person;
    char names[8][32];
    int n;
};

static int more_cb(void *vctx, const char *name)
{
    struct more_log *m = vctx;
    if (m->n < 8)
        bb_strlcpy(m->names[m->n++], name, sizeof(m->names[0]));
    if (strcmp(name, "unit") == 0)
        cJSON_AddStringToObject(m->person, "unit", "Biro Umum");
    return BB_OK;
}

static void test_person_more(void **state)
{
    struct fx *x = *state;
    struct more_log m = {.person = x->person};
    cJSON_DeleteItemFromObjectCaseSensitive(x->person, "unit");
    x->ctx.person_more = more_cb;
    x->ctx.person_ctx = &m;
    assert_int_equal(text(x, "/warna"), BB_OK);
    assert_true(said(x, "Halo Sari dari Biro Umum!"));
    assert_int_equal(m.n, 1); /* first_name is there; unit was asked for once */
    assert_string_equal(m.names[0], "unit");
    assert_int_equal(text(x, "merah"), BB_OK);
    for (int i = 0; i < m.n; i++) /* never a name the person object holds */
        assert_string_not_equal(m.names[i], "first_name");
    assert_int_equal(m.n >= 1 && strcmp(m.names[0], "unit") == 0, 1);
    for (int i = 1; i < m.n; i++)
        assert_string_not_equal(m.names[i], "unit");
}

static void test_start_by_command(void **state)
{
    struct fx *x = *state;
    assert_int_equal(text(x, "/warna"), BB_OK);
    assert_true(said(x, "Halo Sari dari Biro SDM!"));
    const struct flow_fx *q = question(x);
    assert_non_null(q);
    assert_string_equal(q->text, "Warna apa?");
    assert_string_equal(q->payload, "q1");
    assert_int_equal(q->nchoices, 3);
    assert_string_equal(q->choices[0].id, "q1.c_red");
    assert_string_equal(q->choices[0].label, "Merah");
    assert_string_equal(q->choices[2].id, "q1.c_blue");
    assert_int_equal(x->st.depth, 1);
    assert_string_equal(x->st.stack[0].flow_id, "t.color");
    assert_int_equal(x->st.stack[0].version, 1);
    assert_string_equal(x->st.stack[0].node, "color");
    assert_int_equal(x->st.mode, FLOW_MODE_ASK);
    assert_int_equal(x->st.seq, 1);
    assert_int_equal(x->st.started_at, NOW);
    assert_int_equal(x->st.expires_at, NOW + 86400);
    /* set ran before the say */
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(x->st.vars, "visits");
    assert_true(cJSON_IsNumber(v) && v->valuedouble == 1);
    const struct flow_fx *t = timer(x, FLOW_FX_TIMER_SET, "expire");
    assert_non_null(t);
    assert_int_equal(t->due, NOW + 86400);
    assert_string_equal(t->payload, "expire:1795428000");
    t = timer(x, FLOW_FX_TIMER_SET, "remind");
    assert_non_null(t);
    assert_int_equal(t->due, NOW + 3600);
    assert_string_equal(t->payload, "remind:1");
    /* the greeting comes before the question */
    assert_true(nth(x, FLOW_FX_SAY, 0) != q && nth(x, FLOW_FX_SAY, 1) == q);
}

static void test_keyword_starts(void **state)
{
    struct fx *x = *state;
    assert_int_equal(text(x, "  Warna Favorit "), BB_OK);
    assert_non_null(question(x));
    assert_string_equal(x->st.stack[0].flow_id, "t.color");
    /* other words while idle: the fallback */
    flow_state_free(&x->st);
    flow_state_init(&x->st, "en");
    assert_int_equal(text(x, "hello there"), BB_OK);
    assert_true(said(x, "Type /menu"));
    assert_int_equal(x->st.depth, 0);
}

/* Each way of answering the colour question, and what it saves. */
static void answer_color(void **state, int type, const char *answer, const char *id,
                         const char *label)
{
    struct fx *x = *state;
    char want[128];
    assert_int_equal(text(x, "/warna"), BB_OK);
    assert_int_equal(ev(x, type, answer), BB_OK);
    assert_string_equal(var_str(x, "color"), id);
    assert_string_equal(var_str(x, "color_label"), label);
    snprintf(want, sizeof(want), "Anda pilih %s (%s).", label, id);
    assert_true(said(x, want));
    const struct flow_fx *a = nth(x, FLOW_FX_ANSWERED, 0);
    assert_non_null(a);
    assert_string_equal(a->payload, "q1");
    assert_string_equal(a->text, label);
    /* the flow ended: idle, timers cleared */
    assert_int_equal(x->st.depth, 0);
    assert_int_equal(x->st.mode, FLOW_MODE_IDLE);
    assert_non_null(timer(x, FLOW_FX_TIMER_CLEAR, "expire"));
    assert_non_null(timer(x, FLOW_FX_TIMER_CLEAR, "remind"));
}

static void test_answer_number(void **state)
{
    answer_color(state, FLOW_EV_TEXT, "2", "c_green", "Hijau");
}

static void test_answer_label(void **state)
{
    answer_color(state, FLOW_EV_TEXT, "  BIRU ", "c_blue", "Biru");
}

static void test_answer_label_other_language(void **state)
{
    answer_color(state, FLOW_EV_TEXT, "green", "c_green", "Hijau");
}

static void test_answer_synonym(void **state)
{
    answer_color(state, FLOW_EV_TEXT, "Abang", "c_red", "Merah");
}

static void test_answer_synonym_other_language(void **state)
{
    answer_color(state, FLOW_EV_TEXT, "crimson", "c_red", "Merah");
}

static void test_answer_id(void **state)
{
    answer_color(state, FLOW_EV_TEXT, "c_blue", "c_blue", "Biru");
}

static void test_answer_button(void **state)
{
    answer_color(state, FLOW_EV_BUTTON, "q1.c_red", "c_red", "Merah");
}

static void test_bad_answer_reprompts_then_else(void **state)
{
    struct fx *x = *state;
    assert_int_equal(text(x, "/warna"), BB_OK);
    assert_int_equal(text(x, "ungu"), BB_OK);
    /* one line: the retry text carries the question's buttons (same seq);
     * the question itself is not repeated */
    assert_null(nth(x, FLOW_FX_SAY, 1));
    const struct flow_fx *q = question(x);
    assert_non_null(q);
    assert_string_equal(q->text, "Pilih warna.");
    assert_string_equal(q->payload, "q1");
    assert_int_equal(q->nchoices, 3);
    assert_string_equal(q->choices[0].id, "q1.c_red");
    assert_int_equal(x->st.mode, FLOW_MODE_ASK);
    assert_int_equal(x->st.retries, 1);
    assert_null(cJSON_GetObjectItemCaseSensitive(x->st.vars, "color"));
    /* a button id that is not an option counts as a bad answer too */
    assert_int_equal(ev(x, FLOW_EV_BUTTON, "q1.c_pink"), BB_OK);
    /* retry.max 1 is used up: retry.else */
    assert_true(said(x, "Tidak apa."));
    assert_null(question(x));
    assert_int_equal(x->st.depth, 0);
}

static void test_retries_exhausted_without_else(void **state)
{
    struct fx *x = *state;
    assert_int_equal(text(x, "/umur"), BB_OK);
    /* the default retry.max is 2: two re-prompts, then give up */
    for (int i = 0; i < 2; i++) {
        assert_int_equal(text(x, i == 0 ? "abc" : "17"), BB_OK);
        assert_true(said(x, "Mohon jawab dengan angka."));
        assert_non_null(question(x));
        assert_int_equal(x->st.mode, FLOW_MODE_ASK);
    }
    assert_int_equal(text(x, "33.5"), BB_OK); /* not a whole number */
    assert_true(said(x, "Maaf, saya belum dapat memahami jawaban Anda."));
    assert_null(question(x));
    assert_int_equal(x->st.depth, 0);
    assert_int_equal(x->st.mode, FLOW_MODE_IDLE);
    /* and a good answer after a bad one works */
    assert_int_equal(text(x, "/umur"), BB_OK);
    assert_int_equal(text(x, "tua"), BB_OK);
    assert_int_equal(text(x, "42"), BB_OK);
    assert_true(said(x, "Umur 42."));
}

static void test_cancel(void **state)
{
    struct fx *x = *state;
    const char *words[] = {"/batal", "/cancel", "/STOP", "/batal@bimbing_bot"};
    for (size_t i = 0; i < BB_ARRAY_LEN(words); i++) {
        assert_int_equal(text(x, "/warna"), BB_OK);
        assert_int_equal(x->st.depth, 1);
        assert_int_equal(text(x, words[i]), BB_OK);
        assert_int_equal(x->st.depth, 0);
        assert_int_equal(x->st.mode, FLOW_MODE_IDLE);
        assert_true(said(x, "dibatalkan"));
        assert_non_null(timer(x, FLOW_FX_TIMER_CLEAR, "remind"));
        assert_non_null(timer(x, FLOW_FX_TIMER_CLEAR, "expire"));
    }
    /* nothing to cancel */
    assert_int_equal(text(x, "/cancel"), BB_OK);
    assert_true(said(x, "Tidak ada percakapan"));
    /* an answer after cancelling is not taken as an answer */
    assert_int_equal(text(x, "2"), BB_OK);
    assert_true(said(x, "Ketik /menu"));
    assert_int_equal(x->st.depth, 0);
}

static void test_help_mid_flow(void **state)
{
    struct fx *x = *state;
    assert_int_equal(text(x, "/warna"), BB_OK);
    assert_int_equal(text(x, "/help"), BB_OK);
    const struct flow_fx *h = nth(x, FLOW_FX_SAY, 0);
    assert_non_null(h);
    assert_non_null(strstr(h->text, "/batal"));
    assert_non_null(strstr(h->text, "/warna - Warna"));   /* menu flows' commands */
    assert_null(strstr(h->text, "/panggil"));             /* not in the menu */
    assert_non_null(strstr(h->text, "/tunggu - Tunggu")); /* not in the menu, "help": true */
    assert_true(said(x, "Kita lanjutkan:"));
    const struct flow_fx *q = question(x);
    assert_non_null(q);
    assert_string_equal(q->payload, "q1");
    assert_int_equal(q->nchoices, 3);
    assert_int_equal(x->st.seq, 1);
    assert_int_equal(x->st.mode, FLOW_MODE_ASK);
    /* the answer still counts */
    assert_int_equal(text(x, "1"), BB_OK);
    assert_string_equal(var_str(x, "color"), "c_red");
    /* /bantuan while idle: help only */
    assert_int_equal(text(x, "/bantuan"), BB_OK);
    assert_int_equal(count(x, FLOW_FX_SAY), 1);
}

/* The safety net set the question aside: text is not an answer, the state
 * keeps the pause across a save, /lanjut asks again and the answer counts. */
static void test_pause_and_continue(void **state)
{
    struct fx *x = *state;
    struct flow_fxlist fx;
    char *j = NULL;
    assert_int_equal(text(x, "/lanjut"), BB_OK); /* nothing to continue */
    assert_true(said(x, "Tidak ada percakapan yang sedang dijeda"));
    assert_int_equal(text(x, "/warna"), BB_OK);
    flow_fxlist_init(&fx);
    assert_int_equal(flow_pause(&x->st, NOW, &fx), 1);
    assert_int_equal(fx.n, 2); /* no reminder while paused; the expiry moves */
    assert_int_equal(fx.v[0].type, FLOW_FX_TIMER_CLEAR);
    assert_string_equal(fx.v[0].name, "remind");
    flow_fxlist_free(&fx);
    assert_int_equal(flow_state_to_json(&x->st, &j), BB_OK);
    assert_non_null(strstr(j, "\"paused\":true"));
    flow_state_free(&x->st);
    flow_state_init(&x->st, "id");
    assert_int_equal(flow_state_from_json(&x->st, j), BB_OK);
    free(j);
    assert_int_equal(x->st.paused, 1);
    assert_int_equal(text(x, "1"), BB_OK); /* not taken as the answer */
    assert_true(said(x, "masih saya jeda"));
    assert_null(var_str(x, "color"));
    assert_int_equal(text(x, "/lanjut"), BB_OK);
    assert_true(said(x, "Kita lanjutkan:"));
    assert_non_null(question(x));
    assert_int_equal(x->st.paused, 0);
    assert_int_equal(text(x, "1"), BB_OK);
    assert_string_equal(var_str(x, "color"), "c_red");
    /* nothing waiting: nothing to pause */
    flow_fxlist_init(&fx);
    x->st.mode = FLOW_MODE_IDLE;
    assert_int_equal(flow_pause(&x->st, NOW, &fx), 0);
    assert_int_equal(fx.n, 0);
    flow_fxlist_free(&fx);
}

/* A paused conversation does not expire with its flow: the expiry moves
 * to FLOW_PAUSE_GRACE after the pause, the old expire event is not its end,
 * carrying on gives the flow's whole expire_after again, and a pause that
 * is never resumed ends at the grace. */
static void test_pause_keeps_conversation(void **state)
{
    struct fx *x = *state;
    struct flow_fxlist fx;
    int64_t old_expiry;
    char started[48];
    assert_int_equal(text(x, "/warna"), BB_OK);
    old_expiry = x->st.expires_at;
    bb_snprintf(started, sizeof(started), "expire:%" PRId64, x->st.started_at);
    x->ctx.now = NOW + 3600;
    flow_fxlist_init(&fx);
    assert_int_equal(flow_pause(&x->st, x->ctx.now, &fx), 1);
    assert_int_equal(fx.n, 2);
    assert_int_equal(fx.v[1].type, FLOW_FX_TIMER_SET);
    assert_string_equal(fx.v[1].name, "expire");
    assert_string_equal(fx.v[1].payload, started);
    assert_int_equal(fx.v[1].due, NOW + 3600 + FLOW_PAUSE_GRACE);
    flow_fxlist_free(&fx);
    /* the flow's own expiry passes (an expire event from before the pause) */
    x->ctx.now = old_expiry + 1;
    assert_int_equal(ev(x, FLOW_EV_TIMER, started), BB_OK);
    assert_int_equal(x->out.n, 0);
    assert_int_equal(x->st.depth, 1);
    assert_int_equal(x->st.paused, 1);
    /* carrying on three days later: the flow's whole expiry again */
    x->ctx.now = NOW + 3 * 86400;
    assert_int_equal(text(x, "/lanjut"), BB_OK);
    assert_int_equal(x->st.paused, 0);
    assert_true(x->st.expires_at > x->ctx.now);
    assert_true(x->st.expires_at < NOW + 3600 + FLOW_PAUSE_GRACE);
    int moved = 0;
    for (int i = 0; i < x->out.n; i++)
        if (x->out.v[i].type == FLOW_FX_TIMER_SET && !strcmp(x->out.v[i].name, "expire"))
            moved = x->out.v[i].due == x->st.expires_at;
    assert_true(moved);
    assert_int_equal(text(x, "1"), BB_OK);
    assert_string_equal(var_str(x, "color"), "c_red");
    /* paused and never resumed: it ends at the grace */
    assert_int_equal(text(x, "/warna"), BB_OK);
    flow_fxlist_init(&fx);
    assert_int_equal(flow_pause(&x->st, x->ctx.now, &fx), 1);
    flow_fxlist_free(&fx);
    bb_snprintf(started, sizeof(started), "expire:%" PRId64, x->st.started_at);
    x->ctx.now += FLOW_PAUSE_GRACE;
    assert_int_equal(ev(x, FLOW_EV_TIMER, started), BB_OK);
    assert_int_equal(x->st.depth, 0);
}

static void test_unknown_command_reasks(void **state)
{
    struct fx *x = *state;
    assert_int_equal(text(x, "/warna"), BB_OK);
    assert_int_equal(text(x, "/terbang"), BB_OK);
    assert_true(said(x, "Perintah itu tidak saya kenal"));
    assert_non_null(question(x));
    assert_int_equal(x->st.depth, 1);
}

static void test_menu(void **state)
{
    struct fx *x = *state;
    assert_int_equal(text(x, "/menu"), BB_OK);
    const struct flow_fx *m = nth(x, FLOW_FX_SAY, 0);
    assert_non_null(m);
    assert_string_equal(m->text, "Apa yang ingin Anda bahas?");
    /* the menu flows, in id order; not the others */
    assert_int_equal(m->nchoices, 2);
    assert_string_equal(m->choices[0].id, "m.t.age");
    assert_string_equal(m->choices[0].label, "Umur");
    assert_string_equal(m->choices[1].id, "m.t.color");
    assert_string_equal(m->choices[1].label, "Warna");
    assert_int_equal(x->st.depth, 0);
    /* pressing one starts it */
    assert_int_equal(ev(x, FLOW_EV_BUTTON, "m.t.color"), BB_OK);
    assert_non_null(question(x));
    assert_string_equal(x->st.stack[0].flow_id, "t.color");
    /* a flow not in the menu cannot be started by a forged menu button */
    assert_int_equal(ev(x, FLOW_EV_BUTTON, "m.t.hidden"), BB_OK);
    assert_string_equal(x->st.stack[0].flow_id, "t.color");
    assert_true(said(x, "sudah lewat"));
    /* /start with no flow claiming it shows the menu too */
    assert_int_equal(text(x, "/start"), BB_OK);
    assert_true(said(x, "Apa yang ingin Anda bahas?"));
}

/* A flow command while another conversation waits: ask first (stay / leave). */
static void test_switch_asks(void **state)
{
    struct fx *x = *state;
    assert_int_equal(text(x, "/warna"), BB_OK); /* question 1 */
    assert_int_equal(text(x, "/umur"), BB_OK);
    const struct flow_fx *c = nth(x, FLOW_FX_SAY, 0);
    assert_non_null(c);
    assert_int_equal(c->nchoices, 2);
    assert_string_equal(c->choices[0].id, "s1.");
    assert_string_equal(c->choices[1].id, "s1.t.age");
    assert_string_equal(x->st.stack[0].flow_id, "t.color"); /* nothing dropped yet */
    assert_int_equal(ev(x, FLOW_EV_BUTTON, "s1."), BB_OK);  /* stay */
    assert_true(said(x, "Kita lanjutkan"));
    assert_string_equal(question(x)->payload, "q1");
    assert_int_equal(ev(x, FLOW_EV_BUTTON, "s1.t.age"), BB_OK); /* leave */
    assert_string_equal(x->st.stack[0].flow_id, "t.age");
    assert_int_equal(x->st.seq, 2);
    assert_int_equal(ev(x, FLOW_EV_BUTTON, "s1."), BB_OK); /* that question is gone */
    assert_true(said(x, "sudah lewat"));
    assert_string_equal(x->st.stack[0].flow_id, "t.age");
}

static void test_stale_button(void **state)
{
    struct fx *x = *state;
    assert_int_equal(text(x, "/warna"), BB_OK); /* question 1 */
    /* its own command again just carries on (same question) */
    assert_int_equal(text(x, "/warna"), BB_OK);
    assert_int_equal(x->st.seq, 1);
    assert_true(said(x, "Kita lanjutkan"));
    assert_int_equal(text(x, "/batal"), BB_OK);
    assert_int_equal(text(x, "/warna"), BB_OK); /* started again: question 2 */
    assert_int_equal(x->st.seq, 2);
    char *before = NULL, *after = NULL;
    assert_int_equal(flow_state_to_json(&x->st, &before), BB_OK);
    assert_int_equal(ev(x, FLOW_EV_BUTTON, "q1.c_red"), BB_OK);
    const struct flow_fx *s = nth(x, FLOW_FX_STALE, 0);
    assert_non_null(s);
    assert_string_equal(s->payload, "q1.c_red");
    assert_true(said(x, "sudah lewat"));
    assert_null(nth(x, FLOW_FX_ANSWERED, 0));
    assert_int_equal(flow_state_to_json(&x->st, &after), BB_OK);
    assert_string_equal(before, after); /* nothing changed */
    /* malformed payloads are stale too */
    assert_int_equal(ev(x, FLOW_EV_BUTTON, "q2"), BB_OK);
    assert_non_null(nth(x, FLOW_FX_STALE, 0));
    assert_int_equal(ev(x, FLOW_EV_BUTTON, "zzz"), BB_OK);
    assert_non_null(nth(x, FLOW_FX_STALE, 0));
    /* the current question's button works */
    assert_int_equal(ev(x, FLOW_EV_BUTTON, "q2.c_red"), BB_OK);
    assert_string_equal(var_str(x, "color"), "c_red");
    free(before);
    free(after);
}

static void test_remind_once(void **state)
{
    struct fx *x = *state;
    assert_int_equal(text(x, "/warna"), BB_OK);
    assert_int_equal(ev(x, FLOW_EV_TIMER, "remind:0"), BB_OK); /* an old question */
    assert_int_equal(x->out.n, 0);
    assert_int_equal(ev(x, FLOW_EV_TIMER, "remind:1"), BB_OK);
    assert_true(said(x, "Masih menunggu:"));
    assert_non_null(question(x));
    assert_int_equal(x->st.reminded, 1);
    assert_int_equal(ev(x, FLOW_EV_TIMER, "remind:1"), BB_OK); /* again: nothing */
    assert_int_equal(x->out.n, 0);
    assert_int_equal(x->st.depth, 1);
    /* timers that are not ours are ignored */
    assert_int_equal(ev(x, FLOW_EV_TIMER, "bogus"), BB_OK);
    assert_int_equal(x->out.n, 0);
}

static void test_expire(void **state)
{
    struct fx *x = *state;
    assert_int_equal(text(x, "/warna"), BB_OK);
    assert_int_equal(ev(x, FLOW_EV_TIMER, "expire:12345"), BB_OK); /* another session */
    assert_int_equal(x->out.n, 0);
    assert_int_equal(x->st.depth, 1);
    assert_int_equal(ev(x, FLOW_EV_TIMER, "expire:1795428000"), BB_OK);
    assert_true(said(x, "Waktunya habis."));
    assert_int_equal(x->st.depth, 0);
    assert_int_equal(x->st.mode, FLOW_MODE_IDLE);
    /* without an "expired" text: the system text */
    assert_int_equal(text(x, "/umur"), BB_OK);
    assert_int_equal(ev(x, FLOW_EV_TIMER, "expire:1795428000"), BB_OK);
    assert_true(said(x, "ditutup karena lama tidak dijawab"));
    assert_int_equal(x->st.depth, 0);
}

static void test_wait_and_wake(void **state)
{
    struct fx *x = *state;
    assert_int_equal(text(x, "/tunggu"), BB_OK);
    assert_true(said(x, "Sebentar."));
    assert_null(question(x));
    assert_int_equal(x->st.mode, FLOW_MODE_PARK);
    const struct flow_fx *t = timer(x, FLOW_FX_TIMER_SET, "wake");
    assert_non_null(t);
    assert_int_equal(t->due, NOW + 3600);
    assert_string_equal(t->payload, "wake:1");
    /* while parked, chat is not an answer */
    assert_int_equal(text(x, "ya"), BB_OK);
    assert_true(said(x, "Ketik /menu"));
    assert_int_equal(x->st.mode, FLOW_MODE_PARK);
    assert_int_equal(ev(x, FLOW_EV_TIMER, "wake:0"), BB_OK); /* not this wait */
    assert_int_equal(x->out.n, 0);
    x->ctx.now = NOW + 3600;
    assert_int_equal(ev(x, FLOW_EV_TIMER, "wake:1"), BB_OK);
    const struct flow_fx *q = question(x);
    assert_non_null(q);
    assert_string_equal(q->text, "Sudah siap?");
    assert_string_equal(q->payload, "q2");
    assert_int_equal(q->nchoices, 2);
    assert_string_equal(q->choices[0].label, "Ya");
    assert_string_equal(q->choices[1].id, "q2.no");
    assert_int_equal(x->st.mode, FLOW_MODE_ASK);
    assert_int_equal(text(x, "iya"), BB_OK);
    assert_true(said(x, "Siap: true."));
}

static void test_call_returns(void **state)
{
    struct fx *x = *state;
    assert_int_equal(text(x, "/panggil"), BB_OK);
    assert_int_equal(x->st.depth, 2);
    assert_string_equal(x->st.stack[0].flow_id, "t.caller");
    assert_string_equal(x->st.stack[0].node, "c");
    assert_string_equal(x->st.stack[1].flow_id, "t.sub");
    assert_string_equal(x->st.stack[1].node, "q");
    const struct flow_fx *q = question(x);
    assert_non_null(q);
    assert_string_equal(q->text, "Catatan?");
    assert_int_equal(text(x, "  rapat pagi  "), BB_OK);
    /* the sub-flow's end, then the caller's next, with the shared variable */
    const struct flow_fx *a = nth(x, FLOW_FX_SAY, 0);
    const struct flow_fx *b = nth(x, FLOW_FX_SAY, 1);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a->text, "Sub selesai.");
    assert_string_equal(b->text, "Kembali: rapat pagi.");
    assert_int_equal(x->st.depth, 0);
}

static void test_start_defers(void **state)
{
    struct fx *x = *state;
    /* idle: a START runs */
    assert_int_equal(ev(x, FLOW_EV_START, "t.hidden"), BB_OK);
    assert_non_null(question(x));
    assert_string_equal(x->st.stack[0].flow_id, "t.hidden");
    /* mid-question: DEFER, nothing else changes */
    char *before = NULL, *after = NULL;
    assert_int_equal(flow_state_to_json(&x->st, &before), BB_OK);
    assert_int_equal(ev(x, FLOW_EV_START, "t.color"), BB_OK);
    assert_int_equal(x->out.n, 1);
    const struct flow_fx *d = nth(x, FLOW_FX_DEFER, 0);
    assert_non_null(d);
    assert_string_equal(d->payload, "t.color");
    assert_int_equal(flow_state_to_json(&x->st, &after), BB_OK);
    assert_string_equal(before, after);
    /* the same flow again (a scheduled check-in while that check-in is
     * under way): nothing at all, not even a deferral that would start a
     * second one afterwards */
    free(after);
    after = NULL;
    assert_int_equal(ev(x, FLOW_EV_START, "t.hidden"), BB_OK);
    assert_int_equal(x->out.n, 0);
    assert_int_equal(flow_state_to_json(&x->st, &after), BB_OK);
    assert_string_equal(before, after);
    /* an unknown flow */
    assert_int_equal(ev(x, FLOW_EV_START, "t.nope"), BB_ENOTFOUND);
    free(before);
    free(after);
}

/* The gate of flow_ctx: refuses t.color only. */
static int gate_no_color(void *ctx, const struct flow *f)
{
    (void)ctx;
    return strcmp(f->id, "t.color") != 0;
}

static void test_gate_refuses(void **state)
{
    struct fx *x = *state;
    x->ctx.may_start = gate_no_color;
    /* by command: nothing starts; GATED names the flow, asked by the person */
    assert_int_equal(text(x, "/warna"), BB_OK);
    assert_int_equal(x->st.depth, 0);
    assert_int_equal(count(x, FLOW_FX_SAY), 0);
    const struct flow_fx *g = nth(x, FLOW_FX_GATED, 0);
    assert_non_null(g);
    assert_string_equal(g->payload, "t.color");
    assert_int_equal(g->asks, 1);
    /* by keyword and by menu button: the same */
    assert_int_equal(text(x, "warna favorit"), BB_OK);
    assert_non_null(nth(x, FLOW_FX_GATED, 0));
    assert_int_equal(x->st.depth, 0);
    assert_int_equal(ev(x, FLOW_EV_BUTTON, "m.t.color"), BB_OK);
    assert_non_null(nth(x, FLOW_FX_GATED, 0));
    assert_int_equal(x->st.depth, 0);
    /* a START (schedule, HR): GATED with asks 0, nothing said, no deferral */
    assert_int_equal(ev(x, FLOW_EV_START, "t.color"), BB_OK);
    g = nth(x, FLOW_FX_GATED, 0);
    assert_non_null(g);
    assert_int_equal(g->asks, 0);
    assert_int_equal(x->out.n, 1);
    /* mid-question, a refused command leaves the open question waiting
     * and asks it again */
    assert_int_equal(text(x, "/umur"), BB_OK);
    assert_int_equal(x->st.mode, FLOW_MODE_ASK);
    assert_int_equal(text(x, "/warna"), BB_OK);
    assert_non_null(nth(x, FLOW_FX_GATED, 0));
    assert_string_equal(x->st.stack[0].flow_id, "t.age");
    assert_true(said(x, "Umur Anda?"));
    /* the flows it lets through start as before */
    assert_int_equal(text(x, "/batal"), BB_OK);
    assert_int_equal(text(x, "/umur"), BB_OK);
    assert_null(nth(x, FLOW_FX_GATED, 0));
    assert_string_equal(x->st.stack[0].flow_id, "t.age");
}

static void test_start_while_parked(void **state)
{
    struct fx *x = *state;
    assert_int_equal(text(x, "/tunggu"), BB_OK);
    assert_int_equal(x->st.mode, FLOW_MODE_PARK);
    /* a parked conversation gives way to a START */
    assert_int_equal(ev(x, FLOW_EV_START, "t.hidden"), BB_OK);
    assert_null(nth(x, FLOW_FX_DEFER, 0));
    assert_non_null(timer(x, FLOW_FX_TIMER_CLEAR, "wake"));
    assert_string_equal(x->st.stack[0].flow_id, "t.hidden");
    assert_int_equal(x->st.mode, FLOW_MODE_ASK);
}

static void test_scale_and_label(void **state)
{
    struct fx *x = *state;
    assert_int_equal(ev(x, FLOW_EV_START, "t.hidden"), BB_OK);
    const struct flow_fx *q = question(x);
    assert_int_equal(q->nchoices, 5);
    assert_string_equal(q->choices[3].id, "q1.4");
    assert_string_equal(q->choices[3].label, "4");
    assert_int_equal(ev(x, FLOW_EV_BUTTON, "q1.4"), BB_OK);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(x->st.vars, "happy");
    assert_true(cJSON_IsNumber(v) && v->valuedouble == 4);
    assert_string_equal(var_str(x, "happy_label"), "4");
}

static void test_language_action(void **state)
{
    struct fx *x = *state;
    assert_string_equal(x->st.lang, "id");
    assert_int_equal(text(x, "/bahasa"), BB_OK);
    const struct flow_fx *a = nth(x, FLOW_FX_ACTION, 0);
    assert_non_null(a);
    assert_string_equal(a->name, "language");
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(a->args, "language");
    assert_true(cJSON_IsString(l));
    assert_string_equal(l->valuestring, "en"); /* the expression, evaluated */
    assert_string_equal(x->st.lang, "en");
    const struct flow_fx *q = question(x);
    assert_non_null(q);
    assert_string_equal(q->text, "Ready?");
    assert_string_equal(q->choices[0].label, "Yes");
    assert_string_equal(q->choices[1].label, "No");
    /* Indonesian words still work after the switch */
    assert_int_equal(text(x, "ya"), BB_OK);
    assert_true(said(x, "Yes it is."));
    a = nth(x, FLOW_FX_ACTION, 0);
    assert_non_null(a);
    assert_string_equal(a->name, "record");
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(a->args, "fields");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(fields, "ok")));
    const cJSON *fl = cJSON_GetObjectItemCaseSensitive(a->args, "flow");
    assert_true(cJSON_IsString(fl));
    assert_string_equal(fl->valuestring, "t.lang");
    /* system texts follow the language too */
    assert_int_equal(text(x, "/cancel"), BB_OK);
    assert_true(said(x, "There is no conversation to cancel."));
}

static void test_state_round_trip(void **state)
{
    struct fx *x = *state;
    struct flow_state b;
    char *j1 = NULL, *j2 = NULL;
    assert_int_equal(text(x, "/panggil"), BB_OK); /* depth 2 */
    assert_int_equal(text(x, ""), BB_OK);         /* a bad answer: retries 1 */
    assert_int_equal(ev(x, FLOW_EV_TIMER, "remind:1"), BB_OK);
    assert_true(said(x, "Masih ada pertanyaan")); /* t.sub has no remind text */
    assert_int_equal(x->st.reminded, 1);
    cJSON_AddStringToObject(x->st.vars, "s", "teks \"kutip\" é");
    cJSON_AddNumberToObject(x->st.vars, "n", 2.5);
    cJSON_AddBoolToObject(x->st.vars, "b", 1);
    cJSON_AddNullToObject(x->st.vars, "z");
    assert_int_equal(flow_state_to_json(&x->st, &j1), BB_OK);
    flow_state_init(&b, "id");
    assert_int_equal(flow_state_from_json(&b, j1), BB_OK);
    assert_int_equal(b.depth, 2);
    for (int i = 0; i < 2; i++) {
        assert_string_equal(b.stack[i].flow_id, x->st.stack[i].flow_id);
        assert_string_equal(b.stack[i].node, x->st.stack[i].node);
        assert_int_equal(b.stack[i].version, x->st.stack[i].version);
    }
    assert_int_equal(b.mode, FLOW_MODE_ASK);
    assert_int_equal(b.retries, 1);
    assert_int_equal(b.reminded, 1);
    assert_int_equal(b.seq, x->st.seq);
    assert_int_equal(b.started_at, NOW);
    assert_int_equal(b.expires_at, x->st.expires_at);
    assert_string_equal(b.lang, "id");
    assert_true(cJSON_Compare(b.vars, x->st.vars, 1));
    assert_int_equal(flow_state_to_json(&b, &j2), BB_OK);
    assert_string_equal(j1, j2);
    /* the restored state carries on */
    flow_state_free(&x->st);
    x->st = b;
    assert_int_equal(text(x, "ok"), BB_OK);
    assert_true(said(x, "Kembali: ok."));
    /* garbage is refused */
    struct flow_state c;
    flow_state_init(&c, "en");
    assert_int_equal(flow_state_from_json(&c, "not json"), BB_EINVAL);
    flow_state_free(&c);
    flow_state_init(&c, "en");
    assert_int_equal(flow_state_from_json(&c, "{\"stack\": [1, 2, 3, 4, 5]}"), BB_EINVAL);
    flow_state_free(&c);
    free(j1);
    free(j2);
}

static void test_version_pinning(void **state)
{
    struct fx *x = *state;
    char src[2048];
    snprintf(src, sizeof(src), FLOW_VER_FMT, 1, 1, 1);
    assert_int_equal(flow_lib_add(x->lib, parse(src), 1), BB_OK);
    assert_int_equal(text(x, "/versi"), BB_OK);
    assert_int_equal(x->st.stack[0].version, 1);
    /* v2 arrives and becomes current while the session waits */
    snprintf(src, sizeof(src), FLOW_VER_FMT, 2, 2, 2);
    assert_int_equal(flow_lib_add(x->lib, parse(src), 1), BB_OK);
    assert_int_equal(flow_lib_get(x->lib, "t.ver", 0)->version, 2);
    x->gets = 0;
    assert_int_equal(text(x, "Budi"), BB_OK);
    assert_true(x->gets > 0); /* the pinned version came through ctx.get */
    assert_true(said(x, "versi 1: Budi"));
    /* a new session starts on v2 */
    assert_int_equal(text(x, "/versi"), BB_OK);
    assert_int_equal(x->st.stack[0].version, 2);
    assert_int_equal(text(x, "Budi"), BB_OK);
    assert_true(said(x, "versi 2: Budi"));
    /* the same version with another text is refused */
    snprintf(src, sizeof(src), FLOW_VER_FMT, 2, 3, 3);
    assert_int_equal(flow_lib_add(x->lib, parse(src), 1), BB_EEXIST);
}

static void test_broken_state(void **state)
{
    struct fx *x = *state;
    flow_state_free(&x->st);
    flow_state_init(&x->st, "en");
    assert_int_equal(flow_state_from_json(&x->st,
                                          "{\"stack\": [{\"flow\": \"t.gone\", \"version\": "
                                          "1, \"node\": \"q\"}], \"mode\": \"ask\", "
                                          "\"seq\": 4, \"lang\": \"en\", \"vars\": {}}"),
                     BB_OK);
    assert_int_equal(x->st.depth, 1);
    assert_int_equal(text(x, "hello"), BB_ESTATE);
    assert_int_equal(x->st.depth, 0);
    assert_int_equal(x->st.mode, FLOW_MODE_IDLE);
    assert_int_equal(count(x, FLOW_FX_SAY), 1);
    assert_true(said(x, "Sorry, something went wrong"));
    /* a node that no longer exists in a known flow is broken too */
    assert_int_equal(flow_state_from_json(&x->st, "{\"stack\": [{\"flow\": \"t.color\", "
                                                  "\"version\": 1, \"node\": \"gone\"}], "
                                                  "\"mode\": \"ask\", \"seq\": 1}"),
                     BB_OK);
    assert_int_equal(ev(x, FLOW_EV_BUTTON, "q1.c_red"), BB_ESTATE);
    assert_int_equal(x->st.depth, 0);
    /* after the reset the person can start again */
    assert_int_equal(text(x, "/warna"), BB_OK);
    assert_non_null(question(x));
}

/* A "result" node emits its one action marked wants_result and waits
 * (mode result, nothing asked); the outcome fed back as FLOW_EV_RESULT is
 * kept in <result>, _value, _message, _options and steers "next". */
static void test_result_steers(void **state)
{
    struct fx *x = *state;
    assert_int_equal(text(x, "/hasil"), BB_OK);
    assert_int_equal(text(x, "Biro SDMM"), BB_OK);
    const struct flow_fx *a = nth(x, FLOW_FX_ACTION, 0);
    assert_non_null(a);
    assert_string_equal(a->name, "broadcast_segment");
    assert_int_equal(a->wants_result, 1);
    assert_null(question(x));
    assert_int_equal(x->st.mode, FLOW_MODE_RESULT);

    /* the state survives the store while it waits */
    char *js = NULL;
    assert_int_equal(flow_state_to_json(&x->st, &js), BB_OK);
    assert_non_null(strstr(js, "\"mode\":\"result\""));
    struct flow_state back;
    flow_state_init(&back, "id");
    assert_int_equal(flow_state_from_json(&back, js), BB_OK);
    assert_int_equal(back.mode, FLOW_MODE_RESULT);
    flow_state_free(&back);
    free(js);

    /* refused: asked again with the action's message; text is not an outcome */
    assert_int_equal(
        ev(x, FLOW_EV_RESULT,
           "{\"ok\": false, \"message\": \"Unit tidak ada.\", \"value\": \"Biro SDM\"}"),
        BB_OK);
    assert_string_equal(var_str(x, "found"), "refused");
    assert_string_equal(var_str(x, "found_value"), "Biro SDM");
    assert_non_null(question(x));
    assert_string_equal(question(x)->text, "Unit tidak ada. Lagi?");
    assert_int_equal(x->st.mode, FLOW_MODE_ASK);
    /* an outcome nobody waits for changes nothing */
    assert_int_equal(ev(x, FLOW_EV_RESULT, "{\"ok\": true}"), BB_OK);
    assert_int_equal(x->out.n, 0);
    assert_string_equal(var_str(x, "found"), "refused");

    /* ok: on to "done" */
    assert_int_equal(text(x, "Biro SDM"), BB_OK);
    assert_int_equal(x->st.mode, FLOW_MODE_RESULT);
    assert_int_equal(ev(x, FLOW_EV_RESULT, "{\"ok\": true, \"value\": \"unit=Biro SDM\"}"), BB_OK);
    assert_true(said(x, "Dapat unit=Biro SDM"));
    assert_int_equal(x->st.depth, 0);
}

/* "options_from": the outcome's options are the question's choices (bad
 * ids skipped), then the fixed ones; a typed number, a label and a button
 * all pick from them. */
static void test_result_pick_list(void **state)
{
    struct fx *x = *state;
    static const char *const several =
        "{\"ok\": false, \"status\": \"several\", \"options\": ["
        "{\"id\": \"198501012010012001\", \"label\": \"Ayu Lestari (Biro SDM)\"},"
        "{\"id\": \"Not An Id!\", \"label\": \"Skipped\"},"
        "{\"id\": \"199512122020122011\", \"label\": \"Putri Maharani (Biro SDM)\"}]}";
    assert_int_equal(text(x, "/hasil"), BB_OK);
    assert_int_equal(text(x, "ayu"), BB_OK);
    assert_int_equal(ev(x, FLOW_EV_RESULT, several), BB_OK);
    assert_string_equal(var_str(x, "found"), "several");
    const struct flow_fx *q = question(x);
    assert_non_null(q);
    assert_int_equal(q->nchoices, 3);
    assert_string_equal(q->choices[0].label, "Ayu Lestari (Biro SDM)");
    assert_string_equal(q->choices[1].label, "Putri Maharani (Biro SDM)");
    assert_string_equal(q->choices[2].label, "Bukan");
    /* a label typed in other letter case */
    assert_int_equal(text(x, "putri maharani (biro sdm)"), BB_OK);
    assert_string_equal(var_str(x, "picked"), "199512122020122011");
    assert_true(said(x, "199512122020122011 Putri Maharani (Biro SDM)."));

    /* again, by button, and a choice that is not offered is refused */
    assert_int_equal(text(x, "/hasil"), BB_OK);
    assert_int_equal(text(x, "ayu"), BB_OK);
    assert_int_equal(ev(x, FLOW_EV_RESULT, several), BB_OK);
    char btn[64];
    snprintf(btn, sizeof(btn), "q%" PRId64 ".skipped", x->st.seq);
    assert_int_equal(ev(x, FLOW_EV_BUTTON, btn), BB_OK);
    assert_int_equal(x->st.mode, FLOW_MODE_ASK);
    snprintf(btn, sizeof(btn), "q%" PRId64 ".198501012010012001", x->st.seq);
    assert_int_equal(ev(x, FLOW_EV_BUTTON, btn), BB_OK);
    assert_string_equal(var_str(x, "picked"), "198501012010012001");
    assert_int_equal(x->st.depth, 0);
}

/* "on_cancel": /batal runs the hook (it sees the flow's variables) and the
 * conversation ends; without a conversation /batal says so and runs none. */
static void test_on_cancel(void **state)
{
    struct fx *x = *state;
    assert_int_equal(text(x, "/hasil"), BB_OK);
    assert_int_equal(text(x, "Biro SDMM"), BB_OK);
    assert_int_equal(ev(x, FLOW_EV_RESULT, "{\"ok\": false, \"message\": \"Tidak ada.\"}"), BB_OK);
    assert_int_equal(text(x, "/batal"), BB_OK);
    assert_true(said(x, "Ditutup: Biro SDMM."));
    assert_int_equal(x->st.depth, 0);
    assert_int_equal(x->st.mode, FLOW_MODE_IDLE);
    assert_int_equal(text(x, "/batal"), BB_OK);
    assert_false(said(x, "Ditutup"));
    /* a flow without the hook: only the usual line */
    assert_int_equal(text(x, "/warna"), BB_OK);
    assert_int_equal(text(x, "/batal"), BB_OK);
    assert_int_equal(count(x, FLOW_FX_SAY), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) TFX_TEST(f)
        T(test_person_more),
        T(test_start_by_command),
        T(test_keyword_starts),
        T(test_answer_number),
        T(test_answer_label),
        T(test_answer_label_other_language),
        T(test_answer_synonym),
        T(test_answer_synonym_other_language),
        T(test_answer_id),
        T(test_answer_button),
        T(test_bad_answer_reprompts_then_else),
        T(test_retries_exhausted_without_else),
        T(test_cancel),
        T(test_help_mid_flow),
        T(test_pause_and_continue),
        T(test_pause_keeps_conversation),
        T(test_unknown_command_reasks),
        T(test_menu),
        T(test_switch_asks),
        T(test_stale_button),
        T(test_remind_once),
        T(test_expire),
        T(test_wait_and_wake),
        T(test_call_returns),
        T(test_start_defers),
        T(test_start_while_parked),
        T(test_gate_refuses),
        T(test_scale_and_label),
        T(test_language_action),
        T(test_state_round_trip),
        T(test_version_pinning),
        T(test_broken_state),
        T(test_result_steers),
        T(test_result_pick_list),
        T(test_on_cancel),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
