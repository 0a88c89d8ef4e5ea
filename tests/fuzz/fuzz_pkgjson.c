/*
 * fuzz_pkgjson.c - package.json and package-lock.json text from anywhere.
 *
 * Every input is read both ways: as a package.json (dependency maps) and
 * as a lockfile (v1 "dependencies" trees, v2/v3 "packages" maps).
 *
 * Oracles: errors carry a message; a parsed lockfile has one pg_lockent per
 * request, each with a location and a name, and a failed one is empty.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_pkgjson.h"
#include "pg_util.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pg_reqlist deps = PG_REQLIST_INIT;
    struct pg_pkglock lk = PG_PKGLOCK_INIT;
    struct pg_err err = PG_ERR_INIT;
    const char *text = (const char *)data;

    if (size > (1u << 20))
        return 0;
    if (pg_pkgjson_parse_deps(text, size, NULL, &deps, &err) < 0 && !err.msg[0])
        abort();
    for (size_t i = 0; i < deps.n; i++)
        if (!deps.v[i].spec || !deps.v[i].origin)
            abort();
    pg_reqlist_release(&deps);

    err.msg[0] = '\0';
    if (pg_pkgjson_lock_parse(text, size, NULL, &lk, &err) < 0) {
        if (!err.msg[0] || lk.nent || lk.reqs.n)
            abort();
        return 0;
    }
    if (lk.nent != lk.reqs.n)
        abort();
    for (size_t i = 0; i < lk.nent; i++)
        if (!lk.ent[i].path || !lk.reqs.v[i].name || !lk.reqs.v[i].spec)
            abort();
    pg_pkgjson_lock_release(&lk);
    return 0;
}
