/*
 * pg_ondisk.c - what node_modules holds already (pg_ondisk.h): npm's
 * hidden lockfile, checked against each package's own package.json.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <jansson.h>

#include "pg_ondisk.h"
#include "pg_pkgjson.h"
#include "pg_strmap.h"
#include "pg_util.h"
#include "banned.h"

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

/* A location npm's record names, inside node_modules and going nowhere else. */
static int inside(const char *where)
{
    return pg_starts_with(where, "node_modules/") && !strstr(where, "/../") &&
           !pg_ends_with(where, "/..");
}

/*
 * dir/where is a folder reached through no link at all: a linked package,
 * or one under a linked parent or @scope, is not npm's own copy (npm
 * runs a linked package's scripts on every install). where is inside().
 */
static int own_folder(const char *dir, const char *where)
{
    char real_dir[PATH_MAX], real_at[PATH_MAX];
    char *at = pg_xasprintf("%s/%s", dir, where), *want = NULL;
    struct stat st;
    int ok = 0;

    if (realpath(dir, real_dir) && realpath(at, real_at) && stat(real_at, &st) == 0 &&
        S_ISDIR(st.st_mode)) {
        want = pg_xasprintf("%s/%s", pg_streq(real_dir, "/") ? "" : real_dir, where);
        ok = strcmp(want, real_at) == 0;
    }
    free(want);
    free(at);
    return ok;
}

/*
 * The location is npm's own folder (own_folder), and its package.json, a
 * regular file (not a link, FIFO or device planted there: never followed,
 * never waited on), says name and version.
 */
static int installed(const char *dir, const char *where, const char *name, const char *version)
{
    char *path = pg_xasprintf("%s/%s/package.json", dir, where);
    struct stat st;
    int fd = inside(where) && own_folder(dir, where)
                 ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
                 : -1;
    json_t *o = NULL;
    int ok = 0;

    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= PG_PKGJSON_MAX)
        o = json_loadfd(fd, JSON_REJECT_DUPLICATES, NULL);
    ok = o && pg_streq(json_string_value(json_object_get(o, "name")), name) &&
         pg_streq(json_string_value(json_object_get(o, "version")), version);
    json_decref(o);
    if (fd >= 0)
        close(fd);
    free(path);
    return ok;
}

const char *pg_ondisk_where(const struct pg_ondisk *d, const char *name, const char *version,
                            const char **folder)
{
    char *key;
    const size_t *at;
    const struct pg_req *r;

    if (!d || !name || !version)
        return NULL;
    key = pg_xasprintf("%s@%s", name, version);
    at = pg_strmap_get(&d->at, key);
    free(key);
    if (!at || !installed(d->dir, d->lk.ent[*at].path, name, version))
        return NULL;
    r = &d->lk.reqs.v[*at];
    if (folder)
        *folder = r->alias ? r->alias : r->name;
    return d->lk.ent[*at].path;
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
