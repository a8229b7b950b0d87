/* test_flow_load.c - unit tests of bot/flow/flow_load.c and bot/flow/flow_lib.c: what
 * a good flow compiles to (node kinds, triggers, durations, generated scale
 * and yes/no options), the line:column of JSON errors, warnings that do not
 * stop a flow, and the library's version rules. The one-rule-per-file
 * validator cases are in tests/flows/ (flows_check.test.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/flow/flow.h"
#include "bot/core/domain.h"
#include "bot/domain/modules.h"

#include "tests/lib/fixture.h"

static const char *const GOOD =
    "{\"_c\": \"comment keys are ignored\", \"id\": \"t.load\", \"version\": 7,\n"
    " \"kind\": \"survey\", \"menu\": true, \"description\": \"x\", \"stores\": [\"checkin\"],\n"
    " \"title\": {\"id\": \"Judul\", \"en\": \"Title\"},\n"
    " \"triggers\": [{\"command\": \"uji_1\"},\n"
    "   {\"keyword\": {\"id\": [\"Halo Bimbing\", \"HAI\"], \"en\": [\"Hello\"]}},\n"
    "   {\"every\": \"day\", \"at\": \"07:05\"},\n"
    "   {\"every\": \"week\", \"day\": \"sun\", \"at\": \"23:59\"},\n"
    "   {\"every\": \"month\", \"day\": 28, \"at\": \"00:00\"},\n"
    "   {\"hr\": true}, {\"event\": \"first_contact\"}],\n"
    " \"expire_after\": \"2d\", \"remind_after\": 5400,\n"
    " \"remind\": {\"id\": \"Ingat\", \"en\": \"Remember\"},\n"
    " \"start\": \"s\",\n"
    " \"nodes\": {\n"
    "  \"_skip\": \"a comment node\",\n"
    "  \"s\": {\"say\": {\"id\": \"a\", \"en\": \"a\"}, \"next\": \"st\"},\n"
    "  \"st\": {\"set\": {\"n\": 1, \"_c\": \"a comment\", \"f\": false, \"e\": \"n + 1\"}, "
    "\"next\": \"ac\"},\n"
    "  \"ac\": {\"do\": [{\"record\": \"checkin\", \"fields\": [\"n\"]}], \"next\": \"sc\"},\n"
    "  \"sc\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"}, \"input\": {\"type\": \"scale\", \"min\": "
    "1, \"max\": 3,\n"
    "     \"labels\": {\"id\": [\"Berat\", \"Biasa\", \"Hebat\"], \"en\": [\"Rough\", \"Okay\", "
    "\"Great\"]}},\n"
    "     \"save\": \"mood\", \"retry\": {\"max\": 0, \"else\": \"yn\"}, \"next\": \"yn\"},\n"
    "  \"yn\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"}, \"input\": {\"type\": \"yesno\"}, "
    "\"save\": \"ok\",\n"
    "     \"next\": \"yl\"},\n"
    "  \"yl\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"}, \"input\": {\"type\": \"yesno\",\n"
    "     \"labels\": {\"id\": [\"Boleh\", \"Jangan\"], \"en\": [\"Sure\", \"Don't\"]}}, \"next\": "
    "\"br\"},\n"
    "  \"br\": {\"branch\": [{\"if\": \"ok\", \"go\": \"w\"}, {\"go\": \"c\"}]},\n"
    "  \"w\": {\"wait\": \"1w\", \"next\": \"c\"},\n"
    "  \"c\": {\"call\": \"t.other\", \"next\": \"e\"},\n"
    "  \"e\": {\"say\": {\"id\": \"z\", \"en\": \"z\"}, \"end\": true}}}\n";

static struct flow *parse_ok(const char *src, struct flow_diags *d)
{
    struct flow *f = NULL;
    int rc = flow_parse(src, strlen(src), "t.json", tfx_actions(), &f, d);
    for (int i = 0; rc != BB_OK && i < d->n; i++) {
        char line[600];
        flow_diag_format(&d->v[i], line, sizeof(line));
        print_error("%s\n", line);
    }
    assert_int_equal(rc, BB_OK);
    assert_non_null(f);
    return f;
}

static const struct flow_node *node(const struct flow *f, const char *name)
{
    int i = flow_node_index(f, name);
    assert_true(i >= 0);
    return &f->nodes[i];
}

static void test_top_level(void **state)
{
    (void)state;
    struct flow_diags d;
    flow_diags_init(&d);
    struct flow *f = parse_ok(GOOD, &d);
    assert_int_equal(d.nerrors, 0);
    assert_string_equal(f->id, "t.load");
    assert_int_equal(f->version, 7);
    assert_string_equal(f->kind, "survey");
    assert_int_equal(f->stores, 1u << FLOW_CAT_CHECKIN);
    assert_int_equal(f->menu, 1);
    assert_string_equal(f->title.t[0], "Judul");
    assert_string_equal(f->title.t[1], "Title");
    assert_int_equal(f->expire_after, 2 * 86400);
    assert_int_equal(f->remind_after, 5400);
    assert_int_equal(f->has_remind, 1);
    assert_int_equal(f->has_expired, 0);
    assert_int_equal(f->nnodes, 10); /* "_skip" is not a node */
    assert_string_equal(f->nodes[f->start].name, "s");
    assert_int_equal(f->source_len, strlen(GOOD));
    assert_memory_equal(f->source, GOOD, f->source_len);
    assert_string_equal(f->path, "t.json");
    flow_free(f);
    flow_diags_free(&d);
}

static void test_triggers(void **state)
{
    (void)state;
    struct flow_diags d;
    flow_diags_init(&d);
    struct flow *f = parse_ok(GOOD, &d);
    assert_int_equal(f->ntriggers, 7);
    const struct flow_trigger *t = f->triggers;
    assert_int_equal(t[0].type, FLOW_TRIG_COMMAND);
    assert_string_equal(t[0].word, "uji_1");
    assert_int_equal(t[1].type, FLOW_TRIG_KEYWORD);
    assert_int_equal(t[1].nkeywords[0], 2);
    assert_string_equal(t[1].keywords[0][0], "halo bimbing"); /* folded */
    assert_string_equal(t[1].keywords[0][1], "hai");
    assert_int_equal(t[1].nkeywords[1], 1);
    assert_string_equal(t[1].keywords[1][0], "hello");
    assert_int_equal(t[2].type, FLOW_TRIG_SCHEDULE);
    assert_string_equal(t[2].every, "day");
    assert_int_equal(t[2].at_min, 7 * 60 + 5);
    assert_string_equal(t[3].every, "week");
    assert_int_equal(t[3].day, 7); /* Sunday */
    assert_int_equal(t[3].at_min, 23 * 60 + 59);
    assert_string_equal(t[4].every, "month");
    assert_int_equal(t[4].day, 28);
    assert_int_equal(t[4].at_min, 0);
    assert_int_equal(t[5].type, FLOW_TRIG_HR);
    assert_int_equal(t[6].type, FLOW_TRIG_EVENT);
    assert_string_equal(t[6].word, "first_contact");
    flow_free(f);
    flow_diags_free(&d);
}

static void test_nodes(void **state)
{
    (void)state;
    struct flow_diags d;
    flow_diags_init(&d);
    struct flow *f = parse_ok(GOOD, &d);
    assert_int_equal(node(f, "s")->kind, FLOW_NODE_SAY);
    assert_int_equal(node(f, "st")->kind, FLOW_NODE_SET);
    assert_int_equal(node(f, "st")->nsets, 3);
    assert_string_equal(node(f, "st")->sets[2].var, "e");
    assert_int_equal(node(f, "ac")->kind, FLOW_NODE_ACTION);
    assert_string_equal(node(f, "ac")->acts[0].def->name, "record");
    assert_int_equal(node(f, "sc")->kind, FLOW_NODE_ASK);
    assert_int_equal(node(f, "sc")->retry_max, 0);
    assert_int_equal(node(f, "sc")->retry_else, flow_node_index(f, "yn"));
    assert_string_equal(node(f, "sc")->save, "mood");
    /* defaults: two retries, give up at the end */
    assert_int_equal(node(f, "yn")->retry_max, 2);
    assert_int_equal(node(f, "yn")->retry_else, FLOW_TARGET_END);
    assert_int_equal(node(f, "br")->kind, FLOW_NODE_BRANCH);
    assert_int_equal(node(f, "br")->nnext, 2);
    assert_non_null(node(f, "br")->next[0].cond);
    assert_null(node(f, "br")->next[1].cond);
    assert_int_equal(node(f, "br")->next[1].target, flow_node_index(f, "c"));
    assert_int_equal(node(f, "w")->kind, FLOW_NODE_WAIT);
    assert_int_equal(node(f, "w")->wait_s, 7 * 86400);
    assert_int_equal(node(f, "c")->kind, FLOW_NODE_CALL);
    assert_string_equal(node(f, "c")->call, "t.other");
    assert_int_equal(node(f, "e")->kind, FLOW_NODE_END);
    assert_int_equal(node(f, "e")->end, 1);
    /* the action rows: known names, NULL past the end, each name once */
    const struct flow_actions *a = tfx_actions();
    assert_string_equal(a->row(a->ctx, 0)->name, "record");
    assert_null(a->row(a->ctx, -1));
    assert_null(a->row(a->ctx, 1000));
    assert_ptr_equal(flow_actions_find(a, "notify"), a->row(a->ctx, 1));
    assert_null(flow_actions_find(a, "nope"));
    assert_null(flow_actions_find(NULL, "record"));
    for (int i = 0; a->row(a->ctx, i); i++)
        assert_ptr_equal(flow_actions_find(a, a->row(a->ctx, i)->name), a->row(a->ctx, i));
    flow_free(f);
    flow_diags_free(&d);
}

static void test_scale_options(void **state)
{
    (void)state;
    struct flow_diags d;
    flow_diags_init(&d);
    struct flow *f = parse_ok(GOOD, &d);
    const struct flow_input *in = &node(f, "sc")->input;
    assert_int_equal(in->type, FLOW_IN_SCALE);
    assert_int_equal(in->nopts, 3);
    assert_string_equal(in->opts[0].id, "1");
    assert_string_equal(in->opts[2].id, "3");
    assert_true(in->opts[1].value == 2);
    assert_string_equal(in->opts[0].label.t[0], "1 Berat");
    assert_string_equal(in->opts[2].label.t[1], "3 Great");
    assert_int_equal(in->opts[0].nsyn[0], 1);
    assert_string_equal(in->opts[0].syn[0][0], "berat"); /* the bare label, folded */
    assert_string_equal(in->opts[2].syn[1][0], "great");
    flow_free(f);

    /* without labels: the numbers */
    const char *plain = "{\"id\": \"t.s\", \"version\": 1, \"kind\": \"survey\","
                        " \"title\": {\"id\": \"a\", \"en\": \"a\"}, \"start\": \"q\", \"nodes\": {"
                        " \"q\": {\"ask\": {\"id\": \"?\", \"en\": \"?\"}, \"input\": {\"type\": "
                        "\"scale\", \"min\": 0, \"max\": 10}, \"next\": \"e\"},"
                        " \"e\": {\"say\": {\"id\": \"z\", \"en\": \"z\"}, \"end\": true}}}";
    f = parse_ok(plain, &d);
    in = &node(f, "q")->input;
    assert_int_equal(in->nopts, 11);
    assert_string_equal(in->opts[0].id, "0");
    assert_string_equal(in->opts[10].id, "10");
    assert_string_equal(in->opts[10].label.t[0], "10");
    assert_true(in->opts[10].value == 10);
    flow_free(f);
    flow_diags_free(&d);
}

static void test_yesno_options(void **state)
{
    (void)state;
    struct flow_diags d;
    flow_diags_init(&d);
    struct flow *f = parse_ok(GOOD, &d);
    const struct flow_input *in = &node(f, "yn")->input;
    assert_int_equal(in->type, FLOW_IN_YESNO);
    assert_int_equal(in->nopts, 2);
    assert_string_equal(in->opts[0].id, "yes");
    assert_string_equal(in->opts[1].id, "no");
    assert_true(in->opts[0].value == 1 && in->opts[1].value == 0);
    assert_string_equal(in->opts[0].label.t[0], "Ya");
    assert_string_equal(in->opts[0].label.t[1], "Yes");
    assert_string_equal(in->opts[1].label.t[0], "Tidak");
    assert_string_equal(in->opts[1].label.t[1], "No");
    assert_true(in->opts[0].nsyn[0] > 5 && in->opts[1].nsyn[1] > 5);
    in = &node(f, "yl")->input;
    assert_string_equal(in->opts[0].label.t[0], "Boleh");
    assert_string_equal(in->opts[1].label.t[1], "Don't");
    assert_string_equal(in->opts[1].id, "no"); /* ids stay yes / no */
    flow_free(f);
    flow_diags_free(&d);
}

/* The diagnostic of a bad source: the first one, formatted. */
static void first_diag(const char *src, char *out, size_t n, int *nerrors)
{
    struct flow_diags d;
    struct flow *f = NULL;
    flow_diags_init(&d);
    assert_int_equal(flow_parse(src, strlen(src), "x.json", tfx_actions(), &f, &d), BB_EINVAL);
    assert_null(f);
    assert_true(d.n >= 1);
    flow_diag_format(&d.v[0], out, n);
    *nerrors = d.nerrors;
    flow_diags_free(&d);
}

static void test_json_error_position(void **state)
{
    (void)state;
    static const struct {
        const char *src;
        const char *want;
    } cases[] = {
        /* a missing comma: at the next key */
        {"{\n  \"id\": \"a\"\n  \"version\": 1\n}\n", "x.json:3:3: error: JSON syntax error near "
                                                      "\"\"version\": 1\""},
        /* a trailing comma in an object: at the brace */
        {"{\n  \"id\": \"a\",\n}\n", "x.json:3:1: error: JSON syntax error near \"}\""},
        /* an unquoted key: at the key */
        {"{\n  \"id\": \"a\",\n  version: 1}", "x.json:3:3: error: JSON syntax error near "
                                               "\"version: 1}\""},
        /* a trailing comma in a list: at the bracket */
        {"{\"a\": [1, 2,]}", "x.json:1:13: error: JSON syntax error near \"]}\""},
        /* columns count characters, not bytes */
        {"{\"é\": \"ü\" \"b\"}", "x.json:1:11: error: JSON syntax error near \"\"b\"}\""},
        {"{\"a\": tru}", "x.json:1:7: error: JSON syntax error near \"tru}\""},
        /* the end of the file */
        {"{\n  \"id\": \"a\",\n", "x.json:2:13: error: JSON syntax error: unexpected end of file"},
        {"", "x.json:1:1: error: JSON syntax error: unexpected end of file"},
        /* anything after the flow's object */
        {"{\"a\": 1}\n\n  x", "x.json:3:3: error: JSON syntax error near \"x\""},
        {"{\"a\": 1} {\"b\": 2}", "x.json:1:10: error: JSON syntax error near \"{\"b\": 2}\""},
    };
    for (size_t i = 0; i < BB_ARRAY_LEN(cases); i++) {
        char line[600];
        int nerr = 0;
        first_diag(cases[i].src, line, sizeof(line), &nerr);
        if (strcmp(line, cases[i].want) != 0)
            print_error("case %zu: got  %s\n         want %s\n", i, line, cases[i].want);
        assert_string_equal(line, cases[i].want);
        assert_int_equal(nerr, 1);
    }
}

static void test_all_errors_reported(void **state)
{
    (void)state;
    const char *src = "{\"id\": \"Bad Id\", \"version\": 0, \"kind\": \"chat\","
                      " \"title\": {\"id\": \"a\"}, \"start\": \"s\", \"nodes\": {"
                      " \"s\": {\"say\": {\"id\": \"a\", \"en\": \"a\"}}}}";
    struct flow_diags d;
    struct flow *f = NULL;
    flow_diags_init(&d);
    assert_int_equal(flow_parse(src, strlen(src), NULL, tfx_actions(), &f, &d), BB_EINVAL);
    /* id, version, kind, title's missing "en", the node without next */
    assert_int_equal(d.nerrors, 5);
    char line[600];
    flow_diag_format(&d.v[0], line, sizeof(line));
    assert_non_null(strstr(line, "<flow>: error: "));
    flow_diags_free(&d);
}

static void test_warning_loads(void **state)
{
    (void)state;
    const char *src = "{\"id\": \"t.w\", \"version\": 1, \"kind\": \"coaching\","
                      " \"title\": {\"id\": \"a\", \"en\": \"a\"}, \"start\": \"s\", \"nodes\": {"
                      " \"s\": {\"say\": {\"id\": \"{{ mystery }} {{first_name}}\", \"en\": "
                      "\"{{person.grade}}\"}, \"end\": true}}}";
    struct flow_diags d;
    flow_diags_init(&d);
    struct flow *f = parse_ok(src, &d);
    assert_int_equal(d.nerrors, 0);
    assert_int_equal(d.nwarnings, 1);
    assert_int_equal(d.v[0].warning, 1);
    assert_non_null(strstr(d.v[0].msg, "{{mystery}} is never set"));
    char line[600];
    flow_diag_format(&d.v[0], line, sizeof(line));
    assert_non_null(strstr(line, "t.json: warning: [t.w/s] "));
    flow_free(f);
    flow_diags_free(&d);
}

static void test_lib_versions(void **state)
{
    (void)state;
    struct flow_lib *lib = NULL;
    struct flow_diags d;
    flow_diags_init(&d);
    assert_int_equal(flow_lib_new(&lib), BB_OK);
    flow_lib_set_actions(lib, tfx_actions());
    assert_int_equal(flow_lib_add(lib, parse_ok(GOOD, &d), 1), BB_OK);
    /* the same text again: a no-op */
    assert_int_equal(flow_lib_add(lib, parse_ok(GOOD, &d), 1), BB_OK);
    assert_int_equal(flow_lib_count(lib), 1);
    /* the same version, another text: refused, the old one stays */
    char *other = strdup(GOOD);
    assert_non_null(other);
    char *p = strstr(other, "Judul");
    memcpy(p, "Jodul", 5);
    assert_int_equal(flow_lib_add(lib, parse_ok(other, &d), 1), BB_EEXIST);
    assert_string_equal(flow_lib_get(lib, "t.load", 7)->title.t[0], "Judul");
    /* version 8, not current: v7 stays what new sessions start */
    p = strstr(other, "\"version\": 7");
    p[11] = '8';
    assert_int_equal(flow_lib_add(lib, parse_ok(other, &d), 0), BB_OK);
    assert_int_equal(flow_lib_get(lib, "t.load", 0)->version, 7);
    assert_int_equal(flow_lib_get(lib, "t.load", 8)->version, 8);
    assert_null(flow_lib_get(lib, "t.load", 9));
    assert_int_equal(flow_lib_count(lib), 1);
    assert_non_null(flow_lib_by_command(lib, "uji_1"));
    assert_non_null(flow_lib_by_keyword(lib, "halo bimbing", 0));
    assert_null(flow_lib_by_keyword(lib, "halo bimbing", 1));
    assert_non_null(flow_lib_by_keyword(lib, "hello", -1));
    assert_non_null(flow_lib_by_event(lib, "first_contact"));
    assert_null(flow_lib_by_event(lib, "mentor_assigned"));
    /* the cross-flow check: t.other is not loaded */
    assert_int_equal(flow_lib_check(lib, &d), BB_EINVAL);
    assert_non_null(strstr(d.v[d.n - 1].msg, "calls flow \"t.other\", which is not loaded"));
    free(other);
    flow_lib_free(lib);
    flow_lib_free(NULL);
    flow_free(NULL);
    flow_diags_free(&d);
}

/* A directory with a broken file: the good ones load, the broken one is
 * reported, and an earlier good version of it stays current. */
static void test_load_dir(void **state)
{
    (void)state;
    char dir[] = "/tmp/bimbing-flowload-XXXXXX";
    char path[600];
    const char *v1 = "{\"id\": \"t.dir\", \"version\": 1, \"kind\": \"coaching\","
                     " \"title\": {\"id\": \"a\", \"en\": \"a\"}, \"start\": \"s\", \"nodes\": {"
                     " \"s\": {\"say\": {\"id\": \"satu\", \"en\": \"one\"}, \"end\": true}}}";
    const char *v2bad = "{\"id\": \"t.dir\", \"version\": 2, \"kind\": \"coaching\","
                        " \"title\": {\"id\": \"a\", \"en\": \"a\"}, \"start\": \"s\", \"nodes\": {"
                        " \"s\": {\"say\": {\"id\": \"dua\"}, \"end\": true}}}";
    struct flow_lib *lib = NULL;
    struct flow_diags d;
    FILE *fp;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/dir.json", dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(v1, fp);
    fclose(fp);
    flow_diags_init(&d);
    assert_int_equal(flow_lib_new(&lib), BB_OK);
    flow_lib_set_actions(lib, tfx_actions());
    assert_int_equal(flow_lib_load_dir(lib, dir, &d), BB_OK);
    assert_int_equal(flow_lib_get(lib, "t.dir", 0)->version, 1);
    /* the file is edited into a broken v2 and reloaded */
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(v2bad, fp);
    fclose(fp);
    assert_int_equal(flow_lib_load_dir(lib, dir, &d), BB_EINVAL);
    assert_int_equal(flow_lib_get(lib, "t.dir", 0)->version, 1);
    assert_null(flow_lib_get(lib, "t.dir", 2));
    assert_true(d.nerrors >= 1);
    assert_non_null(strstr(d.v[d.n - 1].msg, "missing translation \"en\""));
    unlink(path);
    rmdir(dir);
    /* a directory that is not there */
    assert_int_equal(flow_lib_load_dir(lib, "/nonexistent/flows", &d), BB_EIO);
    flow_lib_free(lib);
    flow_diags_free(&d);
}

TFX_MAIN(cmocka_unit_test(test_top_level), cmocka_unit_test(test_triggers),
         cmocka_unit_test(test_nodes), cmocka_unit_test(test_scale_options),
         cmocka_unit_test(test_yesno_options), cmocka_unit_test(test_json_error_position),
         cmocka_unit_test(test_all_errors_reported), cmocka_unit_test(test_warning_loads),
         cmocka_unit_test(test_lib_versions), cmocka_unit_test(test_load_dir))
