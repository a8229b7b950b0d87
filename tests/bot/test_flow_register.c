/* test_flow_register.c - unit tests of the register (docs/coaching.md,
 * "Register"): the word rules of bot/flow/flow_register.c, the loader's
 * errors with their line:column, the casual variant chosen by the engine
 * only when the instance allows it, and the forms of address of
 * bot/base/sapaan.c (gender from the CSV, else the NIP's digit 15). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/base/sapaan.h"
#include "bot/core/core.h"
#include "bot/flow/flow.h"
#include "tests/lib/fixture.h"

/* The word the rules find in text (casual or formal), or NULL for none. */
static const char *fault(const char *text, int casual)
{
    static char word[64];
    char why[200];
    size_t at = 0;
    if (!flow_register_fault(text, casual, &at, word, sizeof(word), why, sizeof(why)))
        return NULL;
    assert_true(at < strlen(text));
    assert_memory_equal(text + at, word, strlen(word));
    return word;
}

static void test_rules(void **state)
{
    (void)state;
    /* formal: kamu and its kin, -mu possessives, a lower-case anda */
    assert_string_equal(fault("Bagaimana minggumu?", 0), "minggumu");
    assert_string_equal(fault("Kamu bisa mulai.", 0), "Kamu");
    assert_string_equal(fault("Apa yang kau rasakan?", 0), "kau");
    assert_string_equal(fault("Terima kasih, anda hebat.", 0), "anda");
    assert_string_equal(fault("Check-in-mu tersimpan.", 0), "mu");
    /* words that only end in "mu", placeholders, names in variables */
    assert_null(fault("Ilmu baru dari tamu yang bertemu di kantor; jangan jemu.", 0));
    assert_null(fault("Halo, {{sapaan_nama}}! Bagaimana minggu Anda?", 0));
    assert_null(fault("{{kamu}} dan {{minggumu}} tidak dibaca.", 0));
    assert_null(fault("ANDA? Tentu: Anda.", 0));
    /* casual: "Anda" (any case) is the formal register */
    assert_string_equal(fault("Gimana minggu Anda?", 1), "Anda");
    assert_string_equal(fault("gimana, anda?", 1), "anda");
    assert_null(fault("Gimana minggumu, {{first_name}}?", 1));
}

#define FLOW_HEAD                                                                                  \
    "{\"id\": \"t.reg\", \"version\": 1, \"kind\": \"coaching\",\n"                                \
    " \"title\": {\"id\": \"Uji\", \"en\": \"Test\"}, \"start\": \"a\",\n"                         \
    " \"nodes\": {\n"

/* flow_parse of src, for an instance that allows the casual register or
 * not: its diagnostics formatted into out, one a line. */
static int parse_diag_in(int casual, const char *src, char *out, size_t n)
{
    struct flow *f = NULL;
    struct flow_diags d;
    struct flow_actions acts = *tfx_actions();
    acts.casual = casual;
    flow_diags_init(&d);
    int rc = flow_parse(src, strlen(src), "t.json", &acts, &f, &d);
    out[0] = '\0';
    for (int i = 0; i < d.n; i++) {
        char line[600];
        flow_diag_format(&d.v[i], line, sizeof(line));
        bb_strlcpy(out + strlen(out), line, n - strlen(out));
        bb_strlcpy(out + strlen(out), "\n", n - strlen(out));
    }
    int nerr = d.nerrors;
    flow_diags_free(&d);
    flow_free(f);
    return rc == BB_OK ? 0 : nerr;
}

static int parse_diag(const char *src, char *out, size_t n)
{
    return parse_diag_in(0, src, out, n);
}

/* Where the instance allows "santai", a text that addresses the person
 * formally needs its casual variant; one that addresses nobody does not. */
static void test_casual_required(void **state)
{
    (void)state;
    char msg[2048];
    assert_true(flow_register_formal("Bagaimana minggu Anda?"));
    assert_true(flow_register_formal("Halo, {{ sapaan_nama }}!"));
    assert_true(flow_register_formal("Dan {{sapaan}} tidak sendirian."));
    assert_false(flow_register_formal("Apa satu hal yang berhasil minggu ini?"));
    assert_false(flow_register_formal("Halo {{first_name}}, {{sapaan_x}} Andalan."));
    static const char *const formal_only =
        FLOW_HEAD "  \"a\": {\"say\": {\"id\": \"Baik, Anda.\", \"en\": \"Okay.\"}, "
                  "\"next\": \"b\"},\n"
                  "  \"b\": {\"say\": {\"id\": \"Selesai.\", \"en\": \"Done.\"}, "
                  "\"end\": true}}}";
    /* a formal-only instance takes it */
    assert_int_equal(parse_diag_in(0, formal_only, msg, sizeof(msg)), 0);
    /* one that allows santai refuses it, naming the node; b is neutral */
    assert_int_equal(parse_diag_in(1, formal_only, msg, sizeof(msg)), 1);
    assert_non_null(strstr(msg, "[t.reg/a] say: this instance allows the casual register"));
    assert_non_null(strstr(msg, "needs its casual variant \"id_santai\""));
    /* with the variant it loads */
    assert_int_equal(parse_diag_in(1,
                                   FLOW_HEAD "  \"a\": {\"say\": {\"id\": \"Baik, Anda.\", "
                                             "\"id_santai\": \"Oke, kamu.\", \"en\": "
                                             "\"Okay.\"}, \"end\": true}}}",
                                   msg, sizeof(msg)),
                     0);
}

static void test_loader_line_column(void **state)
{
    (void)state;
    char msg[2048];
    /* the word's own line and column, escapes counted as written */
    assert_int_equal(parse_diag(FLOW_HEAD "  \"a\": {\"say\": {\"id\": \"Ya, \\\"ok\\\" "
                                          "minggumu\", \"en\": \"Yes\"}, \"end\": true}}}",
                                msg, sizeof(msg)),
                     1);
    assert_non_null(strstr(msg, "t.json:4:35: error: [t.reg/a] say (id): \"minggumu\""));
    /* the same text twice: each node's own line; a casual variant's column */
    assert_int_equal(parse_diag(FLOW_HEAD "  \"a\": {\"say\": {\"id\": \"Baik, kamu.\", \"en\": "
                                          "\"Okay.\"}, \"next\": \"b\"},\n"
                                          "  \"b\": {\"say\": {\"id\": \"Baik, kamu.\", \"en\": "
                                          "\"Okay.\"}, \"next\": \"c\"},\n"
                                          "  \"c\": {\"say\": {\"id\": \"Baik.\", \"id_santai\": "
                                          "\"Oke, Anda.\", \"en\": \"Okay.\"}, \"end\": true}}}",
                                msg, sizeof(msg)),
                     3);
    assert_non_null(strstr(msg, "t.json:4:30: error: [t.reg/a] say (id): \"kamu\""));
    assert_non_null(strstr(msg, "t.json:5:30: error: [t.reg/b] say (id): \"kamu\""));
    assert_non_null(strstr(msg, "t.json:6:51: error: [t.reg/c] say (id_santai): \"Anda\""));
    /* a clean flow with a casual variant loads */
    assert_int_equal(parse_diag(FLOW_HEAD "  \"a\": {\"say\": {\"id\": \"Baik, Anda.\", "
                                          "\"id_santai\": \"Oke, kamu.\", \"en\": \"Okay.\"}, "
                                          "\"end\": true}}}",
                                msg, sizeof(msg)),
                     0);
}

static const char *const FLOW_CASUAL =
    "{\"id\": \"t.casual\", \"version\": 1, \"kind\": \"coaching\","
    " \"title\": {\"id\": \"Uji\", \"en\": \"Test\"}, \"triggers\": [{\"command\": \"uji\"}],"
    " \"start\": \"a\", \"nodes\": {\"a\": {\"say\": {\"id\": \"Halo, {{sapaan_nama}}. "
    "{{sapaan}} hebat.\", \"id_santai\": \"Halo {{first_name}}, kamu hebat.\", \"en\": \"Hi "
    "{{first_name}}.\"}, \"end\": true}}}";

/* The text the flow says for /uji, in lang, with the instance casual or not. */
static void said(int casual, const char *lang, const char *want)
{
    struct flow_lib *lib = NULL;
    struct flow_state st;
    struct flow_fxlist fx;
    assert_int_equal(flow_lib_new(&lib), BB_OK);
    assert_int_equal(flow_lib_add(lib, tfx_flow_parse(FLOW_CASUAL, "t"), 1), BB_OK);
    cJSON *person = cJSON_Parse("{\"first_name\": \"Sari\", \"sapaan\": \"Ibu Sari\","
                                " \"sapaan_nama\": \"Ibu Sari\"}");
    struct flow_ctx ctx = {.lib = lib, .person = person, .now = 1800000000, .casual = casual};
    struct flow_event e = {.type = FLOW_EV_TEXT, .text = "/uji"};
    flow_state_init(&st, lang);
    flow_fxlist_init(&fx);
    assert_int_equal(flow_handle(&ctx, &st, &e, &fx), BB_OK);
    int k = 0;
    while (k < fx.n && fx.v[k].type != FLOW_FX_SAY)
        k++;
    assert_true(k < fx.n);
    assert_string_equal(fx.v[k].text, want);
    flow_fxlist_free(&fx);
    flow_state_free(&st);
    cJSON_Delete(person);
    flow_lib_free(lib);
}

static void test_engine_variant(void **state)
{
    (void)state;
    said(0, "id", "Halo, Ibu Sari. Ibu Sari hebat.");
    said(1, "id", "Halo Sari, kamu hebat.");
    said(1, "en", "Hi Sari.");
    said(0, "en", "Hi Sari.");
}

static void test_sapaan(void **state)
{
    (void)state;
    char out[64];
    /* digit 15 of an 18-digit NIP (Perka BKN 22/2007): 1 male, 2 female */
    assert_int_equal(sapaan_gender("", "199001012015011001"), 'L');
    assert_int_equal(sapaan_gender("", "199202022016022002"), 'P');
    assert_int_equal(sapaan_gender(NULL, "199202022016023002"), 0);
    assert_int_equal(sapaan_gender("", "12345"), 0);
    assert_int_equal(sapaan_gender("", "1990010120150110a1"), 0);
    /* the CSV comes first */
    assert_int_equal(sapaan_gender("P", "199001012015011001"), 'P');
    assert_int_equal(sapaan_gender("L", "199202022016022002"), 'L');
    assert_string_equal(sapaan_gender_norm("Perempuan"), "P");
    assert_string_equal(sapaan_gender_norm("laki-laki"), "L");
    assert_string_equal(sapaan_gender_norm("M"), "L");
    assert_null(sapaan_gender_norm("x"));
    assert_null(sapaan_gender_norm(""));
    sapaan_text('L', "Andi", out, sizeof(out));
    assert_string_equal(out, "Bapak Andi");
    sapaan_text(0, "Kris", out, sizeof(out));
    assert_string_equal(out, "Anda");
    sapaan_name(0, "Kris", out, sizeof(out));
    assert_string_equal(out, "Kris");
    sapaan_name('P', "", out, sizeof(out));
    assert_string_equal(out, "Anda");
    /* the name one is called by: panggilan first, else the first name
     * without titles (before and after it, and after a comma) */
    static const struct {
        const char *panggilan, *name, *want;
    } called[] = {
        {"", "Andi Wijaya", "Andi"},
        {NULL, "  Ayu Lestari", "Ayu"},
        {"", "Dr. Budi Santoso, M.Si.", "Budi"},
        {"", "Ir. H. Made Sutrisna, M.T.", "Made"},
        {"", "Prof Dr Ir Siti Aminah", "Siti"},
        {"", "dr. Yohana Rumbiak, Sp.PD", "Yohana"},
        {"", "Drs. Hendra Gunawan S.E. M.Si.", "Hendra"},
        {"", "Dr.", "Dr."},
        {"", ", M.Si.", ""},
        {"", "", ""},
        {"Yayuk", "Ir. Hj. Sri Rahayu, M.T.", "Yayuk"},
        {" Pak Haji ", "H. Ahmad", "Pak Haji"},
    };
    for (size_t i = 0; i < sizeof(called) / sizeof(called[0]); i++) {
        sapaan_called(called[i].panggilan, called[i].name, out, sizeof(out));
        assert_string_equal(out, called[i].want);
    }
    sapaan_called(NULL, "Dr. Budi Santoso, M.Si.", out, sizeof(out));
    sapaan_text('L', out, out + 32, 32);
    assert_string_equal(out + 32, "Bapak Budi");
    /* bounded: cut, never overrun */
    char tiny[6];
    sapaan_text('L', "Andi", tiny, sizeof(tiny));
    assert_true(strlen(tiny) < sizeof(tiny));
}

/* The C texts' pairs: the formal text unless the instance is santai; the
 * table index moves to the casual column only for Indonesian. */
static void test_c_register(void **state)
{
    static const char *const t[3] = {"Cuti Anda", "Your leave", "Cutimu"};
    (void)state;
    sapaan_set_casual(0);
    assert_string_equal(SAPAAN_REG("Anda sudah", "kamu sudah"), "Anda sudah");
    assert_string_equal(t[SAPAAN_LI(0)], "Cuti Anda");
    assert_string_equal(t[SAPAAN_LI(1)], "Your leave");
    sapaan_set_casual(7);
    assert_int_equal(sapaan_casual(), 1);
    assert_string_equal(SAPAAN_REG("Anda sudah", "kamu sudah"), "kamu sudah");
    assert_string_equal(t[SAPAAN_LI(0)], "Cutimu");
    assert_string_equal(t[SAPAAN_LI(1)], "Your leave");
    sapaan_set_casual(0);
    assert_int_equal(sapaan_casual(), 0);
}

/* The core's text for someone not registered yet has its casual form:
 * "kantormu", never "Anda", and the English part unchanged. */
static void test_c_unknown_user(void **state)
{
    (void)state;
    assert_non_null(strstr(core_text_unknown_user[0], "di kantor Anda."));
    assert_null(strstr(core_text_unknown_user[2], "Anda"));
    assert_non_null(strstr(core_text_unknown_user[2], "di kantormu."));
    assert_non_null(strstr(core_text_unknown_user[2], "Ask HR at your office."));
    sapaan_set_casual(1);
    assert_ptr_equal(core_text_unknown_user[SAPAAN_LI(0)], core_text_unknown_user[2]);
    assert_ptr_equal(core_text_unknown_user[SAPAAN_LI(1)], core_text_unknown_user[1]);
    sapaan_set_casual(0);
    assert_ptr_equal(core_text_unknown_user[SAPAAN_LI(0)], core_text_unknown_user[0]);
}

TFX_MAIN(cmocka_unit_test(test_rules), cmocka_unit_test(test_loader_line_column),
         cmocka_unit_test(test_casual_required), cmocka_unit_test(test_engine_variant),
         cmocka_unit_test(test_sapaan), cmocka_unit_test(test_c_register),
         cmocka_unit_test(test_c_unknown_user))
