#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg_fetch.h"
#include "pg_http.h"
#include "pg_regconf.h"
#include "pg_registry.h"
#include "pg_typo.h"
#include "pg_util.h"
#include "banned.h"

#define DAY (24 * 3600)

struct pg_fetch {
    struct pg_registry_query *q;
    size_t nq;
    char **suggest; /* per request */
    size_t nreq;
    struct pg_regconf *conf;
};

static char *cache_dir(void)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");

    if (xdg && *xdg == '/')
        return pg_xasprintf("%s/pkggate/http", xdg);
    if (home && *home)
        return pg_xasprintf("%s/.cache/pkggate/http", home);
    return NULL;
}

/* Same package from the same index: ask once. */
static size_t query_for(struct pg_fetch *f, const struct pg_req *r, const char *index,
                        const char *auth)
{
    for (size_t i = 0; i < f->nq; i++)
        if (f->q[i].eco == r->eco && strcmp(f->q[i].name, r->name) == 0 &&
            strcmp(f->q[i].index, index) == 0)
            return i;
    f->q = pg_xrealloc(f->q, (f->nq + 1) * sizeof(*f->q));
    memset(&f->q[f->nq], 0, sizeof(*f->q));
    f->q[f->nq].eco = r->eco;
    f->q[f->nq].name = r->name;
    f->q[f->nq].index = index;
    f->q[f->nq].auth = auth;
    return f->nq++;
}

/*
 * Before this time a change means no version can be young enough for the
 * age rules, so npm's abbreviated document is enough.
 */
static int64_t settled_before(const struct pg_policy *pol, time_t now)
{
    int64_t age = 0;

    if (pg_policy_action(pol, "min_version_age") != PG_ACT_OFF)
        age = pg_policy_duration(pol, "min_version_age", "age", 2 * DAY);
    if (pg_policy_action(pol, "min_package_age") != PG_ACT_OFF) {
        int64_t p = pg_policy_duration(pol, "min_package_age", "age", 30 * DAY);

        age = p > age ? p : age;
    }
    /* Publisher and provenance rules need the full document. */
    if (pg_policy_action(pol, "publisher_change") != PG_ACT_OFF ||
        pg_policy_action(pol, "provenance_downgrade") != PG_ACT_OFF)
        return 0;
    return (int64_t)now - age;
}

static void fail_all(struct pg_fetch *f, const char *msg)
{
    for (size_t i = 0; i < f->nq; i++)
        if (!f->q[i].meta && !f->q[i].error)
            f->q[i].error = pg_xstrdup(msg);
}

static void fetch(struct pg_fetch *f, const struct pg_policy *pol, int offline)
{
    struct pg_http_opts o = {0};
    struct pg_err err = PG_ERR_INIT;
    struct pg_http *h;
    char *dir = cache_dir();

    o.cache_dir = dir;
    o.timeout_ms = (long)pg_policy_duration(pol, NULL, "timeout", 20) * 1000;
    o.offline = offline;
    o.cafile = pg_regconf_cafile(f->conf);
    h = pg_http_new(&o, &err);
    free(dir);
    if (!h) {
        fail_all(f, err.msg);
        return;
    }
    pg_registry_fetch(h, f->q, f->nq, settled_before(pol, time(NULL)));
    pg_http_free(h);
}

static char *suggestions(enum pg_eco eco, const char *name)
{
    const char *near[3];
    size_t n = pg_typo_suggest(pg_typo_builtin(), eco, name, near, PG_ARRAY_SIZE(near));
    struct pg_sb sb = PG_SB_INIT;

    for (size_t i = 0; i < n; i++)
        pg_sb_addf(&sb, "%s`%s`", i ? ", " : "", near[i]);
    return pg_sb_detach(&sb);
}

struct pg_fetch *pg_fetch_run(const struct pg_policy *pol, const struct pg_cmd *cmd,
                              const struct pg_reqlist *reqs, int offline,
                              struct pg_facts *facts)
{
    struct pg_fetch *f = pg_xcalloc(1, sizeof(*f));
    size_t *map = pg_xcalloc(reqs->n ? reqs->n : 1, sizeof(*map));

    f->conf = pg_regconf_load(cmd);
    f->nreq = reqs->n;
    f->suggest = pg_xcalloc(reqs->n ? reqs->n : 1, sizeof(*f->suggest));
    for (size_t i = 0; i < reqs->n; i++) {
        const struct pg_req *r = &reqs->v[i];
        const char *auth = NULL;
        const char *index;

        map[i] = SIZE_MAX;
        memset(&facts[i], 0, sizeof(facts[i]));
        if (r->source != PG_SRC_REGISTRY || !r->name)
            continue;
        index = pg_regconf_index(f->conf, r->eco, r->name, &auth);
        map[i] = query_for(f, r, index, auth);
    }
    if (f->nq)
        fetch(f, pol, offline);
    for (size_t i = 0; i < reqs->n; i++) {
        const struct pg_registry_query *q;

        if (map[i] == SIZE_MAX)
            continue;
        q = &f->q[map[i]];
        facts[i].meta = q->meta;
        facts[i].error = q->error;
        if (q->meta && !q->meta->exists) {
            f->suggest[i] = suggestions(reqs->v[i].eco, reqs->v[i].name);
            facts[i].suggest = f->suggest[i];
        }
    }
    free(map);
    return f;
}

void pg_fetch_free(struct pg_fetch *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nq; i++)
        pg_registry_query_release(&f->q[i]);
    for (size_t i = 0; i < f->nreq; i++)
        free(f->suggest[i]);
    free(f->q);
    free(f->suggest);
    pg_regconf_free(f->conf);
    free(f);
}
