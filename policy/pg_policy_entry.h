/*
 * pg_policy_entry.h - one entry of a policy list: an allow, deny or
 * exception entry, or one item of a rule's pattern or name list.
 *
 * The list itself (merging across layers, locks) is the caller's
 * (pg_policy_parse.c); this module reads what one item says and checks it
 * against the schema: a purl pattern, or an object with "package",
 * "reason", "expires" and, for exceptions, "rules" (names from
 * pg_rules.def, or "*"). Errors go through the walk's pg_lctx, so they
 * carry FILE:LINE:COL.
 */
#ifndef PG_POLICY_ENTRY_H
#define PG_POLICY_ENTRY_H

#include <stdint.h>

#include <jansson.h>

#include "pg_lctx.h"
#include "pg_policy_schema.h"
#include "pg_purl.h"

/* One allow/deny/exception entry, or one item of a pattern/name list. */
struct pg_entry {
    char *text; /* the pattern as written */
    struct pg_purl pat;
    char *reason;    /* NULL when none */
    char *why;       /* "text (reason)" or text, for pg_policy_denied/allowed */
    int64_t expires; /* first second it no longer applies; INT64_MAX: never */
    uint32_t rules;  /* exceptions: bit r for enum pg_rule r */
    json_t *raw;     /* the entry as written (a reference) */
    const char *layer;
    int loosens; /* from a trusted project or $PKGGATE_POLICY file, where
                  * entries of this list loosen the policy */
};

/*
 * Read item (the walk's path points at it) as an entry of a list of kind
 * into *e, which must be zeroed. e then owns its strings and a reference
 * to item; e->layer borrows c->name. On error *e may hold part of the
 * entry: release it either way.
 */
int pg_policy_entry_read(struct pg_lctx *c, enum pg_kind kind, struct pg_entry *e, json_t *item);
/* Free what e owns and zero it. */
void pg_policy_entry_release(struct pg_entry *e);

#endif
