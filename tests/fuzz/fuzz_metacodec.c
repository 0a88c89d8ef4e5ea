/*
 * fuzz_metacodec.c - the facts record decoder (pg_metacodec.h) on any
 * bytes: records come from cache files anything may have damaged.
 *
 * Invariants: decoding never reads out of bounds (the sanitizers say);
 * a record that decodes encodes back to exactly the same bytes (the
 * format has one spelling per meta, so nothing was dropped or invented).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_metacodec.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pg_sb sb = PG_SB_INIT;
    struct pg_meta *m = pg_metacodec_decode(data, size, NULL);

    if (!m)
        return 0;
    pg_metacodec_encode(m, &sb);
    if (sb.len != size || memcmp(sb.buf, data, size) != 0)
        abort();
    pg_sb_release(&sb);
    pg_meta_free(m);
    return 0;
}
