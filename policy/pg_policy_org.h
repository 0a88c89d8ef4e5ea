/*
 * pg_policy_org.h - the org layer (layer 2) when an anchor pins its key.
 *
 * Reads the anchor (paths->org), then the layer from paths->system and the
 * .minisig beside it, or from the anchor's URL (pg_policy_orgurl.h), and
 * checks it (pg_policy_orgsig.h) before anyone parses it.
 */
#ifndef PG_POLICY_ORG_H
#define PG_POLICY_ORG_H

#include <stddef.h>

#include "pg_policy_orgsig.h"

/*
 * Read the org layer named by paths->org: *org NULL and 0 when there is no
 * anchor (paths->org NULL or no such file); else the verified text of the
 * org layer in *text (caller frees), and *org (pg_policy_org_free).
 */
int pg_policy_org_read(const struct pg_policy_paths *paths, struct pg_policy_org **org, char **text,
                       size_t *len, struct pg_err *err);
void pg_policy_org_free(struct pg_policy_org *org); /* NULL is fine */

#endif
