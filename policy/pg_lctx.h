/*
 * pg_lctx.h - where the reading of one policy layer is, for errors.
 *
 * A struct pg_lctx walks one layer's JSON: the keys and indexes pushed so
 * far are the path, and every error is reported at that path as
 * "NAME:LINE:COL: message" (pg_jsonpos.h finds the line and column in the
 * text). It borrows everything it points at (policy, name, text, err) for
 * the length of the walk and owns nothing.
 */
#ifndef PG_LCTX_H
#define PG_LCTX_H

#include <stddef.h>

#include "pg_err.h"
#include "pg_jsonpos.h"
#include "pg_util.h"

struct pg_policy;

/* Deeper than the schema goes; a walk past it is a bug and stops naming. */
#define PG_POLICY_MAX_DEPTH 8

struct pg_lctx {
    struct pg_policy *pol; /* the policy the layer is merged into */
    const char *name;      /* layer name as errors call it */
    const char *text;
    size_t len;
    struct pg_jsonpos_step path[PG_POLICY_MAX_DEPTH];
    size_t depth;
    struct pg_err *err; /* where pg_lctx_fail writes */
    int trust;          /* enum pg_layer_trust of the layer */
};

void pg_lctx_push_key(struct pg_lctx *c, const char *key); /* key borrowed until popped */
void pg_lctx_push_index(struct pg_lctx *c, size_t i);
void pg_lctx_pop(struct pg_lctx *c);
/* The dotted path of the walk so far: "rules.typosquat.ignore[2]", in buf. */
const char *pg_lctx_where(const struct pg_lctx *c, char *buf, size_t n);
/* "NAME:LINE:COL: msg" at the current path into c->err; always returns -1. */
int pg_lctx_fail(struct pg_lctx *c, enum pg_jsonpos_what at, const char *fmt, ...) PG_PRINTF(3, 4);
/*
 * "unknown WHAT 'key' in 'path' (did you mean 'x'?)" at the current key,
 * the suggestion picked from cands; always returns -1.
 */
int pg_lctx_unknown(struct pg_lctx *c, const char *what, const char *key, const char *const *cands,
                    size_t n);

#endif
