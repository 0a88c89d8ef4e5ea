/*
 * pg_policy_parse.h - reading one policy layer into a policy.
 *
 * The layer's JSON is checked against the schema (pg_policy_schema.h),
 * every value against the lock an earlier layer left on its slot, and
 * merged in; the layer's own "locked" then binds the layers after it.
 * Errors are "NAME:LINE:COL: message" (pg_lctx.h).
 */
#ifndef PG_POLICY_PARSE_H
#define PG_POLICY_PARSE_H

#include <stddef.h>

#include "pg_policy_schema.h"

/*
 * Merge the layer text (len bytes, JSON) into pol. name is what errors
 * call the layer; pol keeps pointers to it, so it must live as long as pol
 * (pg_policy.c passes pol's own copy). trust (enum pg_layer_trust) says
 * whether values that loosen what the layers below gave are applied, and
 * whether they are recorded in pol->loose; locks are checked first either
 * way, so loosening a locked key is an error even in a trusted file. On
 * error pol may hold part of the layer and must be freed, not used.
 */
int pg_policy_apply(struct pg_policy *pol, const char *name, const char *text, size_t len,
                    int trust, struct pg_err *err);

#endif
