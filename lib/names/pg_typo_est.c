/*
 * Established names: packages with real use that are not popular enough to
 * be in the index proper (data/README.md). Offline, they are what tells a
 * long-tail package one letter from a big one from a fresh squat of it.
 */
#include <string.h>

#include "pg_typo.h"
#include "pg_typo_int.h"
#include "banned.h"

static const struct pg_typo_fps *fps_for(const struct pg_typo *idx, enum pg_eco eco)
{
    return eco == PG_ECO_PYPI ? &idx->est_pypi : &idx->est_npm;
}

int pg_typo_est_has(const struct pg_typo *idx, enum pg_eco eco, const char *norm, size_t n)
{
    const struct pg_typo_fps *f = fps_for(idx, eco);
    uint32_t h = pg_typo_hash(pg_typo_seed(PG_TYPO_H_EST, 0, 0), norm, n);
    size_t lo, hi, end;

    if (f->n == 0)
        return 0;
    lo = f->start[h >> (32 - PG_TYPO_FP_BITS)];
    hi = end = f->start[(h >> (32 - PG_TYPO_FP_BITS)) + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (f->v[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < end && f->v[lo] == h;
}

size_t pg_typo_established_count(const struct pg_typo *idx, enum pg_eco eco)
{
    return fps_for(idx, eco)->n;
}

const char *pg_typo_snapshot(const struct pg_typo *idx)
{
    return idx->snapshot ? idx->snapshot : "unknown";
}
