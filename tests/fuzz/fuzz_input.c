/* fuzz_input.c - libFuzzer harness: typed answers (numbers, dates, scales,
 * choices, yes/no, text with a pattern) through flow_input_parse, with the
 * inputs the real loader builds from tests/flows/good/everything.json (run
 * from the top of the tree); and the same text as a duration, an ISO 8601
 * time and an integer (bb_parse_*). First byte: language and time zone. */
#include "tests/fuzz/fuzz.h"

#include "bot/core/domain.h"
#include "bot/domain/modules.h"
#include "bot/flow/expr.h"
#include "bot/flow/flow.h"

static struct flow *flow_of_all_inputs(void)
{
    static struct flow *f;
    static struct flow_actions a;
    struct flow_diags d;
    if (f)
        return f;
    fuzz_quiet();
    a = domain_flow_actions(domain_modules);
    flow_diags_init(&d);
    if (flow_load_file("tests/flows/good/everything.json", &a, &f, &d) != BB_OK) {
        fprintf(stderr, "fuzz_input: run from the top of the tree (tests/flows/good)\n");
        abort();
    }
    flow_diags_free(&d);
    return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int offsets[] = {7 * 3600, 8 * 3600, 9 * 3600, -12 * 3600, 14 * 3600, 0};
    const struct flow *f = flow_of_all_inputs();
    if (size < 1)
        return 0;
    int lang = data[0] & 1, off = offsets[(data[0] >> 1) % BB_ARRAY_LEN(offsets)];
    int64_t now = (data[0] & 0x80) ? 1795428000 : 4102444799LL;
    char *text = fuzz_cstr(data + 1, size - 1);
    for (int i = 0; i < f->nnodes; i++) {
        const struct flow_input *in = &f->nodes[i].input;
        struct expr_val v;
        int opt;
        if (in->type == FLOW_IN_NONE)
            continue;
        if (flow_input_parse(in, text, lang, now, off, &v, &opt) == BB_OK) {
            if ((in->type == FLOW_IN_CHOICE || in->type == FLOW_IN_SCALE ||
                 in->type == FLOW_IN_YESNO) &&
                (opt < 0 || opt >= in->nopts))
                abort(); /* an accepted choice names one of the options */
            expr_val_clear(&v);
        }
    }
    int64_t t;
    long long n;
    (void)bb_parse_duration(text, &t);
    (void)bb_parse_iso8601(text, &t);
    (void)bb_parse_ll(text, -1000000, 1000000, &n);
    free(text);
    return 0;
}
