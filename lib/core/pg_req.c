/*
 * pg_req.c - the list of requested packages (pg_req.h): growth and
 * release, and the names of the enums for messages and JSON output.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_req.h"
#include "pg_util.h"
#include "banned.h"

struct pg_req *pg_reqlist_add(struct pg_reqlist *l, enum pg_eco eco, enum pg_source src)
{
    struct pg_req *r;

    pg_xgrow((void **)&l->v, &l->alloc, l->n + 1, sizeof(*l->v));
    r = &l->v[l->n++];
    memset(r, 0, sizeof(*r));
    r->eco = eco;
    r->source = src;
    return r;
}

void pg_req_release(struct pg_req *r)
{
    free(r->name);
    free(r->spec);
    free(r->alias);
    free(r->origin);
    free(r->locked);
    free(r->marker);
    free(r->extras);
    free(r->integrity);
    free(r->path);
    memset(r, 0, sizeof(*r));
}

void pg_reqlist_release(struct pg_reqlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        pg_req_release(&l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->alloc = 0;
}

const char *pg_eco_name(enum pg_eco eco)
{
    return eco == PG_ECO_NPM ? "npm" : "pypi";
}

const char *pg_source_name(enum pg_source s)
{
    static const char *const names[] = {"registry", "url", "git", "local", "editable"};

    return (unsigned)s < PG_ARRAY_SIZE(names) ? names[s] : "unknown";
}
