/* test_channels.c - unit tests of adapters/service/channels.c and the
 * channels' descriptions: capabilities by channel name, the label limits
 * the flow validator gets from them, each channel's configuration section
 * (its keys known, its messages kept, other top-level keys refused), the
 * invite link. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "adapters/service/channels.h"
#include "adapters/telegram/telegram.h"
#include "adapters/whatsapp/whatsapp.h"
#include "bot/base/bb.h"
#include "bot/flow/flow.h"
#include "tests/lib/fixture.h"

static void test_caps_lookup(void **state)
{
    (void)state;
    assert_non_null(chan_caps_of("telegram"));
    assert_int_equal(chan_caps_of("telegram")->edits_sent, 1);
    assert_int_equal(chan_caps_of("web")->edits_sent, 1);
    assert_int_equal(chan_caps_of("whatsapp")->edits_sent, 0);
    assert_int_equal(chan_caps_of("console")->edits_sent, 0);
    assert_int_equal(chan_caps_of("whatsapp")->buttons_max, 3);
    assert_int_equal(chan_caps_of("whatsapp")->button_label_max, 20);
    assert_int_equal(chan_caps_of("whatsapp")->list_rows_max, 10);
    assert_int_equal(chan_caps_of("whatsapp")->list_label_max, 24);
    assert_int_equal(chan_caps_of("telegram")->text_max, TG_TEXT_MAX);
    assert_null(chan_caps_of("fax"));
    assert_null(chan_def_find(""));
    assert_string_equal(chan_def_find("whatsapp")->title, "WhatsApp");
}

static const char *flow_with_labels(char *buf, size_t n, int nopts, const char *label)
{
    struct bb_buf b;
    bb_buf_init(&b, n);
    bb_buf_puts(&b, "{\"id\":\"t.labels\",\"version\":1,\"kind\":\"coaching\",\"title\":{\"id\":"
                    "\"Uji\",\"en\":\"Test\"},\"start\":\"a\",\"nodes\":{\"a\":{\"ask\":{\"id\":"
                    "\"Pilih\",\"en\":\"Pick\"},\"input\":{\"type\":\"choice\",\"options\":[");
    for (int i = 0; i < nopts; i++)
        bb_buf_printf(&b, "%s{\"id\":\"o%d\",\"label\":{\"id\":\"%s %d\",\"en\":\"x%d\"}}",
                      i ? "," : "", i, label, i, i);
    bb_buf_puts(&b, "]},\"save\":\"v\",\"next\":\"b\"},\"b\":{\"say\":{\"id\":\"Ya\","
                    "\"en\":\"Yes\"},\"end\":true}}}");
    char *s = bb_buf_take(&b);
    bb_strlcpy(buf, s ? s : "", n);
    free(s);
    return buf;
}

/* The first diagnostic of parsing that flow, or "" when it loads. */
static void diag_of(int nopts, const char *label, char *out, size_t n)
{
    char src[8192];
    struct flow_diags d;
    struct flow *f = NULL;
    flow_diags_init(&d);
    flow_with_labels(src, sizeof(src), nopts, label);
    out[0] = '\0';
    if (flow_parse(src, strlen(src), "t.json", tfx_actions(), &f, &d) != BB_OK && d.n > 0)
        bb_strlcpy(out, d.v[0].msg, n);
    flow_free(f);
    flow_diags_free(&d);
}

static void test_label_limits_from_caps(void **state)
{
    (void)state;
    struct config cfg;
    char err[200], msg[256];
    flow_set_label_limits(NULL, 0);
    diag_of(2, "Label ini dua puluh satu", msg, sizeof(msg));
    assert_string_equal(msg, ""); /* no channel limits: only FLOW_LABEL_MAX */
    assert_int_equal(chan_config_load(&cfg, NULL, 0, err, sizeof(err)), BB_OK);
    diag_of(2, "Label ini dua puluh satu", msg, sizeof(msg));
    assert_non_null(strstr(msg, "; a WhatsApp reply button holds 20"));
    diag_of(5, "Label dua puluh dua", msg, sizeof(msg)); /* 22 characters fit a list row */
    assert_string_equal(msg, "");
    diag_of(5, "Label ini dua puluh lima kar", msg, sizeof(msg));
    assert_non_null(strstr(msg, "; a WhatsApp list row holds 24"));
    diag_of(12, "Label ini dua puluh lima kar", msg, sizeof(msg)); /* numbered text */
    assert_string_equal(msg, "");
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* chan_config_load refuses the file holding json, with a message ending
 * in expect. */
static void refused(struct config *cfg, const char *path, const char *json, const char *expect)
{
    char err[400];
    assert_int_equal(write_file(path, json), 0);
    assert_int_equal(chan_config_load(cfg, path, 1, err, sizeof(err)), BB_EINVAL);
    assert_non_null(strstr(err, expect));
}

static void test_sections(void **state)
{
    (void)state;
    char path[] = "/tmp/bimbing-test-channels-XXXXXX";
    char err[400];
    int fd = mkstemp(path);
    struct config *cfg = calloc(1, sizeof(*cfg));
    assert_true(fd >= 0 && cfg);
    close(fd);
    unsetenv("BIMBING_TELEGRAM_TOKEN");
    setenv("BIMBING_WHATSAPP_TOKEN", "wa-secret", 1);

    assert_int_equal(write_file(path, "{\"telegram\":{\"mode\":\"webhook\",\"username\":\"bimbot\","
                                      "\"rate_total\":12},\"whatsapp\":{\"rate\":5},\"batch\":7}"),
                     0);
    assert_int_equal(chan_config_load(cfg, path, 1, err, sizeof(err)), BB_OK);
    assert_int_equal(cfg->batch, 7);
    const struct tg_settings *tg = tg_settings_of(cfg);
    assert_int_equal(tg->webhook, 1);
    assert_string_equal(tg->username, "bimbot");
    assert_true(tg->rate_total == 12 && tg->rate_chat == 1);
    assert_int_equal(tg->max_connections, 40); /* the default */
    assert_string_equal(tg->api, "https://api.telegram.org");
    assert_string_equal(tg->token, "");
    assert_true(wa_settings_of(cfg)->rate == 5);
    assert_string_equal(wa_settings_of(cfg)->token, "wa-secret");
    assert_int_equal(chan_def_find("telegram")->enabled(cfg), 0);
    assert_int_equal(chan_def_find("whatsapp")->enabled(cfg), 1);

    /* the same messages as when the core parsed every section */
    refused(cfg, path, "{\"telegram\":{\"mode\":\"push\"}}",
            ": \"telegram.mode\" must be \"polling\" or \"webhook\"");
    assert_int_equal(write_file(path, "{\"telegram\":{\"max_connections\":100}}"), 0);
    assert_int_equal(chan_config_load(cfg, path, 1, err, sizeof(err)), BB_OK);
    assert_int_equal(tg_settings_of(cfg)->max_connections, 100);
    static const char *const bad_mc[] = {"0", "101", "2.5", "\"40\"", "-1"};
    for (size_t i = 0; i < sizeof(bad_mc) / sizeof(bad_mc[0]); i++) {
        char json[80];
        snprintf(json, sizeof(json), "{\"telegram\":{\"max_connections\":%s}}", bad_mc[i]);
        refused(cfg, path, json,
                ": \"telegram.max_connections\" must be a whole number from 1 to 100 (the "
                "webhook connections Telegram may open at once; default 40)");
    }
    refused(cfg, path, "{\"whatsapp\":{\"rate\":80,\"speed\":1}}",
            ": unknown key \"speed\" in \"whatsapp\"");
    refused(cfg, path, "{\"whatsapp\":[]}", ": \"whatsapp\" must be an object");
    refused(cfg, path, "{\"signal\":{}}", ": unknown key \"signal\"");
    /* without the channels' sections their keys are unknown too */
    assert_int_equal(write_file(path, "{\"telegram\":{}}"), 0);
    assert_int_equal(config_load(cfg, path, 1, NULL, 0, err, sizeof(err)), BB_EINVAL);
    assert_non_null(strstr(err, ": unknown key \"telegram\""));
    assert_null(config_section_get(cfg, "telegram"));
    assert_string_equal(tg_settings_of(cfg)->api, "https://api.telegram.org");

    unsetenv("BIMBING_WHATSAPP_TOKEN");
    unlink(path);
    free(cfg);
}

/* What chan_print_invite_links prints for one code. */
static void links(const struct config *cfg, char *out, size_t n)
{
    memset(out, 0, n);
    FILE *m = fmemopen(out, n - 1, "w");
    assert_non_null(m);
    chan_print_invite_links(cfg, "ABCDE23456", m);
    fclose(m);
}

static void test_invite_link(void **state)
{
    (void)state;
    char path[] = "/tmp/bimbing-test-channels-XXXXXX";
    char err[400], out[512] = "";
    int fd = mkstemp(path);
    struct config *cfg = calloc(1, sizeof(*cfg));
    assert_true(fd >= 0 && cfg);
    close(fd);
    assert_int_equal(chan_config_load(cfg, path, 1, err, sizeof(err)), BB_EINVAL); /* empty */
    assert_int_equal(write_file(path, "{}"), 0);
    assert_int_equal(chan_config_load(cfg, path, 1, err, sizeof(err)), BB_OK);
    links(cfg, out, sizeof(out));
    /* no bot username: no Telegram link; the web chat at the bind address */
    assert_string_equal(out, "Web chat: http://127.0.0.1:8080/?code=ABCDE23456\n");
    assert_string_equal(cfg->dashboard_url, ""); /* neither address: the chat names the way */
    char one[256];
    assert_int_equal(chan_invite_link(cfg, "telegram", "ABCDE23456", one, sizeof(one)),
                     BB_ENOTFOUND);
    assert_string_equal(one, "");
    assert_int_equal(write_file(path, "{\"telegram\":{\"username\":\"bimbot\"},"
                                      "\"http\":{\"public_url\":\"https://b.example.go.id\"}}"),
                     0);
    assert_int_equal(chan_config_load(cfg, path, 1, err, sizeof(err)), BB_OK);
    links(cfg, out, sizeof(out));
    assert_string_equal(out, "Web chat: https://b.example.go.id/?code=ABCDE23456\n"
                             "Telegram: https://t.me/bimbot?start=ABCDE23456\n");
    assert_int_equal(chan_invite_link(cfg, "web", "ABCDE23456", one, sizeof(one)), BB_OK);
    assert_string_equal(one, "https://b.example.go.id/?code=ABCDE23456");
    /* the dashboard beside the web chat, unless it has its own address */
    assert_string_equal(cfg->dashboard_url, "https://b.example.go.id/admin/");
    assert_int_equal(write_file(path, "{\"http\":{\"public_url\":\"https://b.example.go.id//\"},"
                                      "\"dashboard_url\":\"https://sdm.example.go.id/dasbor/\"}"),
                     0);
    assert_int_equal(chan_config_load(cfg, path, 1, err, sizeof(err)), BB_OK);
    assert_string_equal(cfg->dashboard_url, "https://sdm.example.go.id/dasbor/");
    assert_int_equal(write_file(path, "{\"http\":{\"public_url\":\"https://b.example.go.id//\"}}"),
                     0);
    assert_int_equal(chan_config_load(cfg, path, 1, err, sizeof(err)), BB_OK);
    assert_string_equal(cfg->dashboard_url, "https://b.example.go.id/admin/");
    unlink(path);
    free(cfg);
}

TFX_MAIN(cmocka_unit_test(test_caps_lookup), cmocka_unit_test(test_label_limits_from_caps),
         cmocka_unit_test(test_sections), cmocka_unit_test(test_invite_link))
