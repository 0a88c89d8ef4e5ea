/*
 * pg_ondisk.c - what node_modules holds already (pg_ondisk.h): npm's
 * hidden lockfile, checked against each package's own package.json.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "pg_ondisk.h"
#include "pg_pkgjson.h"
#include "pg_semver.h"
#include "pg_strmap.h"
#include "pg_util.h"
#include "banned.h"

/* A package.json is small; a larger one is not taken as a record of anything. */
#define MAX_PKGJSON (1024 * 1024)

struct pg_ondisk {
    char *dir;                /* the project */
    struct pg_pkglock lk;     /* node_modules/.package-lock.json */
    struct pg_strmap at;      /* "name@version" -> its first entry in lk */
};

static int reinstalls_all(const struct pg_cmd *cmd)
{
    /* The route's alias table (pg_npmopts.h) names ic, clean-install and
     * the rest by these. */
    static const char *const subs[] = {"ci", "install-ci-test"};

    for (size_t i = 0; i < PG_ARRAY_SIZE(subs); i++)
        if (strcmp(cmd->subcmd, subs[i]) == 0)
            return 1;
    return 0;
}

struct pg_ondisk *pg_ondisk_open(const struct pg_cmd *cmd)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_ondisk *d;
    char *file;

    if (!cmd || cmd->tool != PG_TOOL_NPM || cmd->global || !cmd->subcmd || !cmd->manifest_dir ||
        reinstalls_all(cmd))
        return NULL;
    file = pg_xasprintf("%s/node_modules/.package-lock.json", cmd->manifest_dir);
    d = pg_xcalloc(1, sizeof(*d));
    d->lk = (struct pg_pkglock)PG_PKGLOCK_INIT;
    if (access(file, F_OK) != 0 || pg_pkgjson_lock_read(file, &d->lk, &err) < 0) {
        free(file);
        pg_ondisk_free(d);
        return NULL;
    }
    free(file);
    d->dir = pg_xstrdup(cmd->manifest_dir);
    for (size_t i = 0; i < d->lk.reqs.n; i++) {
        const struct pg_req *r = &d->lk.reqs.v[i];
        char *key;

        if (!r->name || !r->locked || !d->lk.ent[i].path)
            continue;
        key = pg_xasprintf("%s@%s", r->name, r->locked);
        if (!pg_strmap_get(&d->at, key))
            pg_strmap_put(&d->at, key, i);
        free(key);
    }
    return d;
}

/* The location's own package.json says name and version. */
static int installed(const char *dir, const char *where, const char *name, const char *version)
{
    char *path = pg_xasprintf("%s/%s/package.json", dir, where), *text = NULL;
    size_t len = 0;
    json_t *o = NULL;
    int ok = 0;

    if (pg_read_file(path, MAX_PKGJSON, &text, &len, NULL) == 0 &&
        (o = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL)) != NULL)
        ok = pg_streq(json_string_value(json_object_get(o, "name")), name) &&
             pg_streq(json_string_value(json_object_get(o, "version")), version);
    json_decref(o);
    free(text);
    free(path);
    return ok;
}

/* An entry for name, at version or within spec, that is really there. */
static int fits(const struct pg_ondisk *d, size_t i, const char *name, const char *version,
                const char *spec)
{
    const struct pg_req *r = &d->lk.reqs.v[i];

    if (!r->locked || !d->lk.ent[i].path || !pg_streq(r->name, name))
        return 0;
    if (version ? !pg_streq(r->locked, version)
                : spec && spec[0] && pg_semver_satisfies(r->locked, spec, 0) != 1)
        return 0;
    return installed(d->dir, d->lk.ent[i].path, name, r->locked);
}

const char *pg_ondisk_where(const struct pg_ondisk *d, const char *name, const char *version,
                            const char *spec, const char **found)
{
    char *key;
    const size_t *at;

    if (!d || !name)
        return NULL;
    if (version) {
        key = pg_xasprintf("%s@%s", name, version);
        at = pg_strmap_get(&d->at, key);
        free(key);
        if (!at || !fits(d, *at, name, version, NULL))
            return NULL;
        if (found)
            *found = d->lk.reqs.v[*at].locked;
        return d->lk.ent[*at].path;
    }
    /* Unresolved (a denied name is not asked about): rare, so a scan. */
    for (size_t i = 0; i < d->lk.reqs.n; i++)
        if (fits(d, i, name, NULL, spec)) {
            if (found)
                *found = d->lk.reqs.v[i].locked;
            return d->lk.ent[i].path;
        }
    return NULL;
}

void pg_ondisk_free(struct pg_ondisk *d)
{
    if (!d)
        return;
    pg_pkgjson_lock_release(&d->lk);
    pg_strmap_release(&d->at);
    free(d->dir);
    free(d);
}
