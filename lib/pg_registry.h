/*
 * pg_registry.h - registry metadata for many packages at once.
 *
 * Every package of one command is fetched in parallel (one round trip of
 * wall time, through the pg_http cache), in at most two rounds:
 *  - npm: the abbreviated document first; it lacks publish times, so when
 *    its "modified" is not older than `settled_before` (the age rules could
 *    still fire) the full document is fetched in a second round. When it is
 *    older, every version is older too, and each version's publish time is
 *    taken as that "modified" (an upper bound: ages are never overstated).
 *  - PyPI: the PEP 691 JSON simple API; an index that answers in HTML or
 *    without upload times is asked again through its JSON API.
 * A 404 gives a meta with exists = 0. Any other failure gives error.
 */
#ifndef PG_REGISTRY_H
#define PG_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "pg_http.h"
#include "pg_meta.h"

struct pg_registry_query {
    /* inputs, borrowed */
    enum pg_eco eco;
    const char *name;
    const char *index; /* npm registry base URL / PyPI simple index URL */
    const char *auth;  /* Authorization header value for that index, or NULL */
    /* results, owned until pg_registry_query_release */
    struct pg_meta *meta;
    char *error;       /* one line, when meta is NULL */
};

/*
 * Fill meta or error of each of n queries. settled_before: Unix time before
 * which a modification means the abbreviated npm document suffices (0: always
 * fetch full documents).
 */
void pg_registry_fetch(struct pg_http *h, struct pg_registry_query *q, size_t n,
                       int64_t settled_before);
void pg_registry_query_release(struct pg_registry_query *q);

#endif
