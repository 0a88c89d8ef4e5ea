/*
 * pg_fetch_facts.c - how pg_fetch opens the facts cache (pg_fetch.h).
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

struct pg_metacache *pg_fetch_facts_open(const char *http_dir, const struct pg_policy *pol,
                                         const struct pg_fetch_opts *fo)
{
    struct pg_metacache_opts o = {0};
    struct pg_metacache *mc;
    char *dir;
    size_t n;

    if (!http_dir || !pg_ends_with(http_dir, "/http"))
        return NULL;
    n = strlen(http_dir) - strlen("http");
    dir = pg_xasprintf("%.*s%s", (int)n, http_dir, "facts");
    o.dir = dir;
    o.offline = fo->offline;
    /* The same freshness pg_fetch gives the HTTP cache (pg_http.h). */
    o.fresh_s = fo->revalidate || fo->refresh ? 0 : PG_HTTP_DEFAULT_MAX_AGE_S;
    o.revalidate_s = fo->refresh ? 0 : pg_policy_revalidate(pol);
    mc = pg_metacache_new(&o, NULL);
    free(dir);
    return mc;
}
