/*
 * pg_semver_memo.c - compiled npm ranges, by their text (pg_semver_memo.h).
 */
#include <stdlib.h>
#include <string.h>

#include "pg_semver_memo.h"
#include "pg_util.h"
#include "banned.h"

const struct pg_semver_range *pg_semver_memo_range(struct pg_semver_memo *c, const char *text)
{
    const size_t *at = pg_strmap_get(&c->at, text);

    if (at)
        return c->v[*at];
    pg_xgrow((void **)&c->v, &c->alloc, c->n + 1, sizeof(*c->v));
    c->v[c->n] = pg_semver_range_parse(text, c->flags, NULL);
    pg_strmap_put(&c->at, text, c->n);
    return c->v[c->n++];
}

int pg_semver_memo_satisfies(struct pg_semver_memo *c, const char *version, const char *range)
{
    const struct pg_semver_range *r;
    struct pg_semver v;

    if (pg_semver_parse(version, &v, NULL) < 0)
        return -1;
    r = pg_semver_memo_range(c, range);
    return r ? pg_semver_range_test(r, &v) : -1;
}

void pg_semver_memo_release(struct pg_semver_memo *c)
{
    for (size_t i = 0; i < c->n; i++)
        pg_semver_range_free(c->v[i]);
    free(c->v);
    pg_strmap_release(&c->at);
    memset(c, 0, sizeof(*c));
}
