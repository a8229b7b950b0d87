/* fuzz_flow.c - libFuzzer harness: a flow file through the loader and
 * validator (flow_parse), and, when it loads, a few events through the
 * engine. Any input must give a flow or diagnostics, never a crash. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bot/base/bb.h"
#include "bot/flow/flow.h"
#include "bot/core/domain.h"
#include "bot/domain/modules.h"

/* The action rows of this build (the loader is handed them, like main does). */
static const struct flow_actions *acts(void)
{
    static struct flow_actions a;
    a = domain_flow_actions(domain_modules);
    return &a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct flow *f = NULL;
    struct flow_diags d;
    flow_diags_init(&d);
    if (flow_parse((const char *)data, size, "fuzz.json", acts(), &f, &d) == BB_OK) {
        struct flow_lib *lib = NULL;
        if (flow_lib_new(&lib) == BB_OK && flow_lib_add(lib, f, 1) == BB_OK) {
            static const char *inputs[] = {"/start", "1",     "ya",    "2026-12-01",
                                           "hello",  "/menu", "/batal"};
            struct flow_state st;
            cJSON *person = cJSON_CreateObject();
            cJSON_AddStringToObject(person, "first_name", "Ana");
            flow_state_init(&st, "id");
            struct flow_ctx ctx = {
                .lib = lib, .person = person, .now = 1795428000, .tz_offset_s = 7 * 3600};
            struct flow_event ev = {.type = FLOW_EV_START, .payload = f->id};
            for (size_t i = 0; i <= BB_ARRAY_LEN(inputs); i++) {
                struct flow_fxlist fx;
                flow_fxlist_init(&fx);
                flow_handle(&ctx, &st, &ev, &fx);
                flow_fxlist_free(&fx);
                if (i < BB_ARRAY_LEN(inputs)) {
                    ev.type = FLOW_EV_TEXT;
                    ev.text = inputs[i];
                }
            }
            flow_state_free(&st);
            cJSON_Delete(person);
        }
        flow_lib_free(lib);
    }
    flow_diags_free(&d);
    return 0;
}
