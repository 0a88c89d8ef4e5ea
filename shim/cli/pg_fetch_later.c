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

const struct pg_meta *pg_fetch_meta(const struct pg_fetch *f, enum pg_eco eco, const char *name,
                                    const char **error)
{
    char *key;
    const size_t *at;

    *error = NULL;
    if (!f)
        return NULL;
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

void pg_fetch_deps(struct pg_fetch *f, const struct pg_policy *pol,
                   const struct pg_fetch_opts *fo, const char *const *names,
                   const char *const *versions, size_t n)
{
    struct pg_registry_depq *q = pg_xcalloc(n + 1, sizeof(*q));
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        char *want = pg_fetch_name_key(PG_ECO_PYPI, names[i]);

        for (size_t j = 0; j < f->nq; j++) {
            char *have = f->q[j].eco == PG_ECO_PYPI && f->q[j].meta
                             ? pg_fetch_name_key(PG_ECO_PYPI, f->q[j].name) : NULL;
            int same = have && strcmp(have, want) == 0;

            free(have);
            if (same) {
                q[k].name = names[i];
                q[k].index = f->q[j].index;
                q[k].auth = f->q[j].auth;
                q[k].v = (struct pg_meta_version *)pg_meta_find(f->q[j].meta, versions[i]);
                k += q[k].v != NULL;
                break;
            }
        }
        free(want);
    }
    if (k && f->nq && pg_fetch_http_open(f, pol, fo))
        pg_registry_fetch_deps(f->h, q, k);
    free(q);
}
