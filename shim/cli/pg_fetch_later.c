/*
 * pg_fetch_later.c - what the later stages ask of a run's answers
 * (pg_fetch.h): a package's document by name, the index and client it
 * came through, the dependencies of picked PyPI versions, and asking again
 * for names whose facts the revalidation schedule answered.
 *
 * Apart from pg_fetch.c, which plans and runs the rounds, because these
 * are read-mostly questions about a finished round: the dependency tree,
 * the provenance round and the typosquat target fetch ask them.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_fetch_int.h"
#include "banned.h"

size_t pg_fetch_refresh(struct pg_fetch *f, const struct pg_policy *pol,
                        const struct pg_fetch_opts *fo, enum pg_eco eco,
                        const char *const *names, size_t n)
{
    struct pg_registry_query *q = pg_xcalloc(n + 1, sizeof(*q));
    size_t *at = pg_xcalloc(n + 1, sizeof(*at)), k = 0;

    for (size_t i = 0; i < n; i++) {
        char *key = pg_fetch_name_key(eco, names[i]);
        const size_t *p = pg_strmap_get(&f->qname, key);

        free(key);
        if (!p || !f->q[*p].on_schedule)
            continue;
        /* The old answer may still be pointed at: it lives until pg_fetch_free. */
        f->merged = pg_xrealloc(f->merged, (f->nmerged + 1) * sizeof(*f->merged));
        f->merged[f->nmerged++] = f->q[*p].meta;
        f->q[*p].on_schedule = 0; /* a name met twice is asked once */
        at[k] = *p;
        q[k] = f->q[*p];
        q[k].meta = NULL;
        q[k].locked = NULL;
        q[k].pins = NULL;
        q[k].npins = 0;
        q[k].latest_pinned = 0;
        q[k].has_digest = 0;
        q[k++].on_schedule = 0;
    }
    if (k && pg_fetch_http_open(f, pol, fo))
        pg_registry_fetch_cached(f->h, f->mc, q, k, f->full_docs ? 0 : f->needs.settled_before,
                                 NULL, 0);
    for (size_t i = 0; i < k; i++) {
        if (!q[i].meta && !q[i].error)
            q[i].error = pg_xstrdup(f->http_error ? f->http_error : "not asked");
        f->q[at[i]] = q[i];
    }
    free(q);
    free(at);
    return k;
}

static const struct view *view_of(const struct pg_fetch *f, const char *name)
{
    char *key = pg_fetch_name_key(PG_ECO_PYPI, name);
    const size_t *at = pg_strmap_get(&f->vname, key);

    free(key);
    return at ? &f->views[*at] : NULL;
}

const struct pg_meta *pg_fetch_meta(const struct pg_fetch *f, enum pg_eco eco, const char *name,
                                    const char **error)
{
    char *key;
    const size_t *at;

    *error = NULL;
    if (!f)
        return NULL;
    if (eco == PG_ECO_PYPI) {
        const struct view *v = view_of(f, name);

        *error = v ? v->error : NULL;
        return v ? v->meta : NULL;
    }
    key = pg_fetch_name_key(eco, name);
    at = pg_strmap_get(&f->qname, key);
    free(key);
    if (!at)
        return NULL;
    *error = f->q[*at].error;
    return f->q[*at].meta;
}

struct pg_meta *pg_fetch_peek(const struct pg_fetch *f, enum pg_eco eco, const char *name)
{
    const char *auth = NULL, *index;

    if (!f || !f->mc || pg_metacache_offline(f->mc) || eco != PG_ECO_NPM ||
        pg_regconf_error(f->conf, eco))
        return NULL;
    index = pg_regconf_index_at(f->conf, eco, name, 0, &auth);
    return index ? pg_registry_peek_npm(f->mc, index, name) : NULL;
}

struct pg_http *pg_fetch_http(struct pg_fetch *f, const struct pg_policy *pol,
                              const struct pg_fetch_opts *fo, struct pg_policy_needs *needs)
{
    struct pg_http *h = f && f->nq ? pg_fetch_http_open(f, pol, fo) : NULL;

    if (h)
        *needs = f->needs;
    return h;
}

const char *pg_fetch_index(const struct pg_fetch *f, enum pg_eco eco, const char *name,
                           const char **auth)
{
    char *key = pg_fetch_name_key(eco, name);
    const size_t *at = pg_strmap_get(&f->qname, key);

    free(key);
    *auth = at ? f->q[*at].auth : NULL;
    return at ? f->q[*at].index : NULL;
}

/*
 * How pip ranks one source's files of a version (its candidate sort key,
 * as far as pkggate knows the files): a file not yanked over a yanked one,
 * a wheel over an sdist. 0: the source does not offer it.
 */
static int rank(const struct pg_meta *m, const char *version)
{
    const struct pg_meta_version *v = m && m->exists ? pg_meta_find(m, version) : NULL;
    int wheel = v && !v->nfiles; /* no files listed: any may do */

    for (size_t i = 0; v && i < v->nfiles; i++)
        wheel |= v->files[i].kind == PG_META_WHEEL;
    return v ? 1 + 2 * !v->yanked + wheel : 0;
}

/*
 * The query whose index pip would take version from, or -1 when it would
 * take a find-links file (or nothing offers it). pip lists the find-links
 * files' candidates first, then each index's in order, sorts them stably
 * by its key and walks them from the best down: of equal candidates the
 * last listed wins, so an extra index's copy of a version the primary
 * also serves is the one installed.
 */
static long source(const struct pg_fetch *f, const struct view *v, const char *version)
{
    int best = rank(v->local, version);
    long at = -1;

    for (size_t k = 0; k < v->nq; k++) {
        int r = rank(f->q[v->q[k]].meta, version);

        if (r && r >= best) {
            best = r;
            at = (long)v->q[k];
        }
    }
    return at;
}

/* What the index's copy of a version depends on, into the merged view's. */
static void copy_deps(struct pg_meta_version *to, const struct pg_meta_version *from)
{
    if (to == from || to->deps_state != PG_DEPS_UNASKED)
        return;
    for (size_t i = 0; i < from->ndeps; i++)
        pg_meta_add_dep(to, from->deps[i].name, from->deps[i].spec, from->deps[i].kind);
    to->deps_state = from->deps_state == PG_DEPS_UNASKED ? PG_DEPS_UNKNOWN : from->deps_state;
}

void pg_fetch_deps(struct pg_fetch *f, const struct pg_policy *pol,
                   const struct pg_fetch_opts *fo, const char *const *names,
                   const char *const *versions, size_t n)
{
    struct pg_registry_depq *q = pg_xcalloc(n + 1, sizeof(*q));
    struct pg_meta_version **to = pg_xcalloc(n + 1, sizeof(*to));
    struct pg_meta_version **from = pg_xcalloc(n + 1, sizeof(*from));
    size_t k = 0, npair = 0;

    for (size_t i = 0; i < n; i++) {
        const struct view *v = view_of(f, names[i]);
        struct pg_meta_version *mv =
            v && v->meta ? (struct pg_meta_version *)pg_meta_find(v->meta, versions[i]) : NULL;
        long at = mv ? source(f, v, versions[i]) : -1;
        int dup = 0;

        if (!mv || mv->deps_state != PG_DEPS_UNASKED)
            continue;
        if (at < 0) {
            /* A find-links file: pkggate reads no local file, so nothing says. */
            mv->deps_state = PG_DEPS_UNKNOWN;
            continue;
        }
        to[npair] = mv;
        from[npair] = (struct pg_meta_version *)pg_meta_find(f->q[at].meta, versions[i]);
        for (size_t j = 0; j < k; j++)
            dup |= q[j].v == from[npair];
        if (!dup) {
            q[k].name = names[i];
            q[k].index = f->q[at].index;
            q[k].auth = f->q[at].auth;
            q[k++].v = from[npair];
        }
        npair++;
    }
    if (k && f->nq && pg_fetch_http_open(f, pol, fo))
        pg_registry_fetch_deps(f->h, q, k);
    for (size_t i = 0; i < npair; i++)
        copy_deps(to[i], from[i]);
    free(q);
    free(to);
    free(from);
}
