/* fuzz_people.c - libFuzzer harness: the people CSV (bot/domain/people),
 * as the CLI and the HR dashboard's upload import it (people_import_mem),
 * into an in-memory store. A refused file must say why and change nothing. */
#include "tests/fuzz/fuzz.h"

#include "adapters/service/channels.h"
#include "bot/domain/people/people.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct store *st;
    static struct people_import_report rep;
    if (!st) {
        fuzz_quiet();
        if (store_open(":memory:", NULL, &st) != BB_OK || chan_store_setup(st) != BB_OK)
            abort();
    }
    memset(&rep, 0, sizeof(rep));
    int rc = people_import_mem(st, (const char *)data, size, &rep);
    if (rc == BB_EINVAL && rep.nerrors == 0)
        abort(); /* refused without a reason */
    if (rc == BB_OK && rep.created + rep.updated > rep.rows)
        abort();
    return 0;
}
