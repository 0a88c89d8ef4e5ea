/*
 * pg_policy_orgurl.h - the org layer fetched from the URL its anchor
 * names, with its .minisig, through pg_http and its ETag cache.
 *
 * Every copy, fresh or cached, passes pg_policy_orgsig_check before its
 * text is handed on; when the cache may stand in for the network is in
 * pg_policy.h ("Signed org policy").
 */
#ifndef PG_POLICY_ORGURL_H
#define PG_POLICY_ORGURL_H

#include <stddef.h>

#include "pg_policy_orgsig.h"

/*
 * Fetch the org layer from a->url and a->sig_url and check it, falling
 * back to the cache in paths->cache_dir as pg_policy.h describes (then
 * org->info.cached and org->fetch_error say so). On success *text (caller
 * frees) and *len hold the verified layer.
 */
int pg_policy_orgurl_fetch(const struct pg_policy_anchor *a, const struct pg_policy_paths *paths,
                           struct pg_policy_org *org, char **text, size_t *len, struct pg_err *err);

#endif
