/*
 * pg_fetch_facts.c - where pkggate's caches live and how pg_fetch opens
 * the facts cache (pg_fetch.h).
 *
 * Kept apart from pg_fetch.c so the freshness rules of a run sit in one
 * short place: check trusts facts for pg_http's max age, run asks again
 * for anything it must pick, and a version a lockfile pins is trusted
 * for the policy's "revalidate" period.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_fetch.h"
#include "pg_http.h"
#include "pg_metacache.h"
#include "pg_util.h"
#include "banned.h"

char *pg_fetch_cache_path(const char *leaf)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");

    if (xdg && *xdg == '/')
        return pg_xasprintf("%s/pkggate/%s", xdg, leaf);
    if (home && *home)
        return pg_xasprintf("%s/.cache/pkggate/%s", home, leaf);
    return NULL;
}

struct pg_metacache *pg_fetch_facts_open(const struct pg_policy *pol,
                                         const struct pg_fetch_opts *fo)
{
    struct pg_metacache_opts o = {0};
    struct pg_metacache *mc;
    char *dir = pg_fetch_cache_path("facts");

    if (!dir)
        return NULL;
    o.dir = dir;
    o.offline = fo->offline;
    /* The same freshness pg_fetch gives the HTTP cache (pg_http.h). */
    o.fresh_s = fo->revalidate || fo->refresh ? 0 : PG_HTTP_DEFAULT_MAX_AGE_S;
    o.revalidate_s = fo->refresh ? 0 : pg_policy_revalidate(pol);
    mc = pg_metacache_new(&o, NULL);
    free(dir);
    return mc;
}
