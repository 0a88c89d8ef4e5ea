/*
 * pg_depsrc.c - the tree builders' fetch callbacks (see pg_depsrc.h),
 * the same for npm and pip: only the ecosystem differs.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_depsrc.h"
#include "pg_util.h"
#include "banned.h"

void pg_deptree_src_fetch(void *arg, const char *const *names, size_t n)
{
    struct pg_deptree_src *s = arg;
    struct pg_reqlist *l;
    struct pg_facts *facts = pg_xcalloc(n ? n : 1, sizeof(*facts));

    /* pg_fetch keeps pointers to the names: the list lives as long as d. */
    s->d->asked = pg_xrealloc(s->d->asked, (s->d->nasked + 1) * sizeof(*s->d->asked));
    l = &s->d->asked[s->d->nasked++];
    memset(l, 0, sizeof(*l));
    for (size_t i = 0; i < n; i++) {
        struct pg_req *r = pg_reqlist_add(l, s->eco, PG_SRC_REGISTRY);

        r->name = pg_xstrdup(names[i]);
        r->spec = pg_xstrdup("");
    }
    pg_fetch_more(s->f, s->pol, s->cmd, l, s->fo, facts);
    free(facts);
}

const struct pg_meta *pg_deptree_src_meta(void *arg, const char *name, const char **error)
{
    struct pg_deptree_src *s = arg;

    return pg_fetch_meta(s->f, s->eco, name, error);
}
