/*
 * pg_keyring.h - the npm registries' signing keys for one run.
 *
 * Each npm registry a run asks gets a keyring; its keys request rides in
 * the first fetch round that meets the registry (once a day through the
 * HTTP cache), and a registry that publishes none (404) is remembered for
 * a day by a marker file in the cache, since the cache keeps no 404s.
 *
 *     struct pg_keyrings k = PG_KEYRINGS_INIT;
 *     pg_keyrings_add(&k, registry);                 for each npm registry
 *     n = pg_keyrings_requests(&k, cache, conf, &reqs);   add to the round
 *     ... the round runs reqs[0..n) ...
 *     pg_keyrings_answers(&k, cache, reqs);          frees reqs' contents
 *     pg_keyrings_find(&k, registry)->keys
 *     pg_keyrings_release(&k);
 */
#ifndef PG_KEYRING_H
#define PG_KEYRING_H

#include <stddef.h>

#include "pg_decide.h"
#include "pg_http.h"
#include "pg_npmsig.h"
#include "pg_regconf.h"
#include "pg_util.h"

/* One npm registry's signing keys. All owned by the keyring. */
struct pg_keyring {
    char *registry;
    int asked;               /* its keys were asked for in an earlier round */
    size_t pending;          /* index of its keys request, SIZE_MAX: none */
    struct pg_npmkeys *keys; /* NULL: publishes none, or error */
    char *error;
};

struct pg_keyrings {
    struct pg_keyring *v;
    size_t n;
};
#define PG_KEYRINGS_INIT {NULL, 0}

/* Add registry (copied) unless it is there already. */
void pg_keyrings_add(struct pg_keyrings *k, const char *registry);
/*
 * The keys requests for registries not asked before (none for those whose
 * no-keys marker in cache is fresh); *out is the caller's to free after
 * pg_keyrings_answers. conf supplies each registry's credentials.
 */
size_t pg_keyrings_requests(struct pg_keyrings *k, const char *cache,
                            const struct pg_regconf *conf, struct pg_http_req **out);
/* Take the answers to those requests and release them (not the array). */
void pg_keyrings_answers(struct pg_keyrings *k, const char *cache, struct pg_http_req *reqs);
/* The keyring of registry, or NULL. */
const struct pg_keyring *pg_keyrings_find(const struct pg_keyrings *k, const char *registry);
/* One note line per registry that publishes no keys (pg_rules_trust_no_keys_note). */
void pg_keyrings_notes(const struct pg_keyrings *k, const struct pg_decide_ctx *ctx,
                       struct pg_sb *out);
void pg_keyrings_release(struct pg_keyrings *k);

#endif
