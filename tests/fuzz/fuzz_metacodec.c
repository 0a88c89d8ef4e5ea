/*
 * fuzz_metacodec.c - the facts record decoder (pg_metacodec.h) on any
 * bytes: records come from cache files anything may have damaged.
 *
 * Invariants: decoding never reads out of bounds (the sanitizers say);
 * a record that decodes encodes back to exactly the same bytes (the
 * format has one spelling per meta, so nothing was dropped or invented);
 * a record the whole decode accepts, skimming (pg_metacodec_decode_keep,
 * keeping the first version whole) accepts too, and keeps that version as
 * the whole decode has it. Not the converse: the skim only bounds-checks
 * what it jumps over, so it may take a record the whole decode refuses
 * (it must still never read out of bounds on one).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_metacodec.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Both NULL or the same string. */
static int same_s(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Both metas keep m's first version alike (as far as the rules read it). */
static void same_first(const struct pg_meta *m, const struct pg_meta *k)
{
    const struct pg_meta_version *a = &m->versions[0], *b = pg_meta_find(k, a->version);

    if (!b || b->ndeps != a->ndeps || b->published != a->published ||
        !same_s(a->integrity, b->integrity) || !same_s(a->tarball, b->tarball) ||
        !same_s(a->repository, b->repository))
        abort();
    for (size_t i = 0; i < a->ndeps; i++)
        if (!same_s(a->deps[i].name, b->deps[i].name) ||
            !same_s(a->deps[i].spec, b->deps[i].spec) || a->deps[i].kind != b->deps[i].kind)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pg_sb sb = PG_SB_INIT;
    struct pg_meta *m = pg_metacodec_decode(data, size, NULL);
    struct pg_meta *k;
    const char *keep = NULL;

    k = pg_metacodec_decode_keep(data, size, &keep, 0, NULL); /* nothing kept: whole */
    if ((m == NULL) != (k == NULL))
        abort();
    pg_meta_free(k);
    if (!m) {
        /* Skimmed all the same (keeping some version or none): any answer, in bounds. */
        keep = "1.0.0";
        pg_meta_free(pg_metacodec_decode_keep(data, size, &keep, 1, NULL));
        return 0;
    }
    pg_metacodec_encode(m, &sb);
    if (sb.len != size || memcmp(sb.buf, data, size) != 0)
        abort();
    if (m->nversions) {
        keep = m->versions[0].version;
        k = pg_metacodec_decode_keep(data, size, &keep, 1, NULL);
        if (!k || k->nversions != m->nversions)
            abort();
        /* pg_meta_find gives the first of equal versions as written. */
        if (m->eco == PG_ECO_NPM && pg_meta_find(m, keep) == &m->versions[0])
            same_first(m, k);
        pg_meta_free(k);
    }
    pg_sb_release(&sb);
    pg_meta_free(m);
    return 0;
}
