/*
 * pg_npmtree_proj.c - what a project tells npm about its tree: the
 * versions it has already and package.json "overrides" (pg_npmtree.h).
 *
 * Overrides are read only in the form whose effect is certain: a package
 * name mapped to a spec, or to "$name" (the project's own spec for that
 * dependency), or {".": spec}. Version selectors ("foo@1") and nested
 * rules ({"foo": {"bar": "1"}}) change only parts of the tree; rather than
 * judge a tree npm would not build, they are reported as not modelled.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "pg_npmtree.h"
#include "pg_pkgjson.h"
#include "pg_strmap.h"
#include "pg_util.h"
#include "banned.h"

static int exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* "$name": the spec the project itself gives name, in any dependency map. */
static const char *reference(json_t *doc, const char *name)
{
    static const char *const maps[] = {"dependencies", "devDependencies", "optionalDependencies",
                                       "peerDependencies"};

    for (size_t i = 0; i < PG_ARRAY_SIZE(maps); i++) {
        json_t *v = json_object_get(json_object_get(doc, maps[i]), name);

        if (json_is_string(v))
            return json_string_value(v);
    }
    return NULL;
}

static void unmodelled(struct pg_npmtree_project *p, const char *key, const char *why)
{
    char *msg = pg_xasprintf("package.json overrides \"%s\" %s, which pkggate does not model; "
                             "the tree was judged without it",
                             key, why);

    pg_strlist_push(&p->unmodelled, msg);
    free(msg);
}

static void one_override(struct pg_npmtree_project *p, json_t *doc, const char *key, json_t *val)
{
    const char *spec = NULL;

    if (json_is_object(val) && json_object_size(val) == 1 && json_object_get(val, "."))
        val = json_object_get(val, ".");
    if (strchr(key + 1, '@')) {
        unmodelled(p, key, "selects versions");
        return;
    }
    if (json_is_object(val)) {
        unmodelled(p, key, "overrides the dependencies of a package");
        return;
    }
    if (!json_is_string(val)) {
        unmodelled(p, key, "is not a string");
        return;
    }
    spec = json_string_value(val);
    if (spec[0] == '$') {
        spec = reference(doc, spec + 1);
        if (!spec) {
            unmodelled(p, key, "refers to a dependency the project does not have");
            return;
        }
    }
    pg_strlist_push(&p->ov_names, key);
    pg_strlist_push(&p->ov_specs, spec);
}

static int read_overrides(struct pg_npmtree_project *p, const char *path, struct pg_err *err)
{
    char *buf = NULL;
    size_t len = 0;
    json_t *doc = NULL, *ov, *val;
    const char *key;
    int rc = -1;

    if (!exists(path))
        return 0;
    if (pg_read_file(path, PG_PKGJSON_MAX, &buf, &len, err) < 0)
        goto out;
    doc = json_loadb(buf, len, 0, NULL);
    if (!json_is_object(doc)) {
        /* package.json errors are reported where its dependencies are read. */
        rc = 0;
        goto out;
    }
    ov = json_object_get(doc, "overrides");
    json_object_foreach(ov, key, val) one_override(p, doc, key, val);
    rc = 0;
out:
    json_decref(doc);
    free(buf);
    return rc;
}

void pg_npmtree_pins(const struct pg_pkglock *lk, struct pg_strlist *out)
{
    /* A hash, not pg_strlist_has: a scan per entry is quadratic (12.5
     * million compares for a 5,000-entry lockfile). */
    struct pg_strmap seen = PG_STRMAP_INIT;

    for (size_t i = 0; i < out->n; i++)
        pg_strmap_put(&seen, out->v[i], 0);
    for (size_t i = 0; i < lk->reqs.n; i++) {
        const struct pg_req *r = &lk->reqs.v[i];
        char *one;

        if (r->source != PG_SRC_REGISTRY || !r->name || !r->locked)
            continue;
        one = pg_xasprintf("%s@%s", r->name, r->locked);
        if (!pg_strmap_get(&seen, one)) {
            pg_strmap_put(&seen, one, 0);
            pg_strlist_push(out, one);
        }
        free(one);
    }
    pg_strmap_release(&seen);
}

static int read_locked(struct pg_npmtree_project *p, const char *path, struct pg_err *err)
{
    struct pg_pkglock lk = PG_PKGLOCK_INIT;

    if (pg_pkgjson_lock_read(path, &lk, err) < 0)
        return -1;
    pg_npmtree_pins(&lk, &p->locked);
    pg_pkgjson_lock_release(&lk);
    return 0;
}

int pg_npmtree_project_load(struct pg_npmtree_project *p, const char *dir,
                            const char *lockfile_path, const struct pg_strlist *pins,
                            struct pg_err *err)
{
    char *pj = dir ? pg_xasprintf("%s/package.json", dir) : NULL;
    char *hidden = dir ? pg_xasprintf("%s/node_modules/.package-lock.json", dir) : NULL;
    int rc = 0;

    if (pj)
        rc = read_overrides(p, pj, err);
    /* No lockfile: npm still keeps what node_modules has (its hidden lockfile). */
    if (rc == 0 && lockfile_path && pins)
        for (size_t i = 0; i < pins->n; i++)
            pg_strlist_push(&p->locked, pins->v[i]);
    else if (rc == 0 && lockfile_path)
        rc = read_locked(p, lockfile_path, err);
    else if (rc == 0 && hidden && exists(hidden))
        rc = read_locked(p, hidden, err);
    free(pj);
    free(hidden);
    return rc;
}

void pg_npmtree_project_release(struct pg_npmtree_project *p)
{
    pg_strlist_release(&p->locked);
    pg_strlist_release(&p->ov_names);
    pg_strlist_release(&p->ov_specs);
    pg_strlist_release(&p->unmodelled);
}
