/*
 * pg_depsrc.h - the fetch side of the tree builders (lib/npm/pg_npmtree.h,
 * lib/pypi/pg_piptree.h): one more parallel round through the gate's
 * pg_fetch for the names a depth brings, and the packuments it got.
 */
#ifndef PG_DEPSRC_H
#define PG_DEPSRC_H

#include "pg_deptree.h"
#include "pg_fetch.h"

/*
 * The builders' callbacks (pg_npmtree_src, pg_piptree_src): arg is a
 * struct pg_deptree_src, all borrowed. src_fetch asks one more round for
 * names (d keeps the request list, which pg_fetch points into); src_meta
 * is pg_fetch_meta.
 */
struct pg_deptree_src {
    struct pg_deptree *d;
    struct pg_fetch *f;
    const struct pg_policy *pol;
    const struct pg_cmd *cmd;
    const struct pg_fetch_opts *fo;
    enum pg_eco eco;
};
void pg_deptree_src_fetch(void *arg, const char *const *names, size_t n);
const struct pg_meta *pg_deptree_src_meta(void *arg, const char *name, const char **error);

#endif
