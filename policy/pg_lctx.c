/*
 * The position of a layer walk and the errors reported at it.
 */
#include <stdarg.h>
#include <stdio.h>

#include "pg_lctx.h"
#include "pg_policy_schema.h"
#include "banned.h"

void pg_lctx_push_key(struct pg_lctx *c, const char *key)
{
    /* The schema is shallower than the limit; deeper walks are a bug. */
    if (c->depth < PG_POLICY_MAX_DEPTH)
        c->path[c->depth] = (struct pg_jsonpos_step){key, 0};
    c->depth++;
}

void pg_lctx_push_index(struct pg_lctx *c, size_t i)
{
    if (c->depth < PG_POLICY_MAX_DEPTH)
        c->path[c->depth] = (struct pg_jsonpos_step){NULL, i};
    c->depth++;
}

void pg_lctx_pop(struct pg_lctx *c)
{
    if (c->depth > 0)
        c->depth--;
}

const char *pg_lctx_where(const struct pg_lctx *c, char *buf, size_t n)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t d = 0; d < c->depth && d < PG_POLICY_MAX_DEPTH && used < n; d++) {
        const struct pg_jsonpos_step *s = &c->path[d];
        int w;

        if (s->key)
            w = snprintf(buf + used, n - used, "%s%s", d ? "." : "", s->key);
        else
            w = snprintf(buf + used, n - used, "[%zu]", s->index);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}

int pg_lctx_fail(struct pg_lctx *c, enum pg_jsonpos_what at, const char *fmt, ...)
{
    char msg[PG_ERR_MSG_MAX];
    unsigned line = 1, col = 1;
    size_t depth = c->depth < PG_POLICY_MAX_DEPTH ? c->depth : PG_POLICY_MAX_DEPTH;
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (pg_jsonpos_find(c->text, c->len, c->path, depth, at, &line, &col) < 0) {
        line = 1;
        col = 1;
    }
    return pg_err_set(c->err, "%s:%u:%u: %s", c->name, line, col, msg);
}

int pg_lctx_unknown(struct pg_lctx *c, const char *what, const char *key, const char *const *cands,
                    size_t n)
{
    const char *hint = pg_policy_suggest(key, cands, n);
    char where[160], tail[160] = "";

    if (hint)
        snprintf(tail, sizeof(tail), " (did you mean '%s'?)", hint);
    /* The enclosing object names the place, when it is not the top level. */
    c->depth--;
    pg_lctx_where(c, where, sizeof(where));
    c->depth++;
    if (where[0])
        return pg_lctx_fail(c, PG_JSONPOS_KEY, "unknown %s '%.100s' in '%s'%s", what, key, where,
                            tail);
    return pg_lctx_fail(c, PG_JSONPOS_KEY, "unknown %s '%.100s'%s", what, key, tail);
}
