/*
 * pg_vcache.h - verdicts of unchanged lockfile entries, kept between runs.
 *
 * A warm `npm ci` of a 5,000-entry lockfile judged 5,000 packages that
 * were judged the same way the run before. This cache remembers that a
 * package was plainly allowed, keyed by everything the decision reads:
 *
 *   - the run's context (one file per context, named by its BLAKE2b
 *     digest): the cache format, pkggate's version (the rules and the
 *     compiled-in name lists), the effective policy as `policy show`
 *     prints it, the next moment an allow entry or exception expires,
 *     and the pick settings (pip --pre, the Python, npm's tag, before,
 *     node and npm versions, npm ignore-scripts);
 *   - per package (a 128-bit BLAKE2b key): the request (ecosystem,
 *     source, name, spec, alias, origin, the locked version, marker,
 *     extras, the lockfile's integrity, dev), the digest of the
 *     registry's facts for it (pg_metacodec record of the whole project,
 *     so another version published, a deprecation or a new signature
 *     changes it), what asking failed with, the signing keys (ids,
 *     expiry, support) and the package kinds pip may take.
 *
 * Only verdicts that say nothing are kept: an allow with no reason at all,
 * for a request that pins a version (a lockfile entry, a tree node) and
 * resolved to it. Such a verdict cannot turn into a block with time alone
 * (ages only grow; expiries are in the context), so a hit is rebuilt from
 * the request (pg_verdict_init) without deciding again. Anything else is
 * decided every run.
 *
 * File: "pkggate-verdicts 1\n" then one 32-hex key per line; written with
 * a temporary file and rename() in a private directory (0700, files 0600),
 * only when the run added keys; a line that is not a key is ignored, so a
 * damaged file costs misses, never a wrong verdict. Keys no run used are
 * dropped once a file holds PG_VCACHE_MAX of them.
 */
#ifndef PG_VCACHE_H
#define PG_VCACHE_H

#include "pg_decide.h"

#define PG_VCACHE_MAX 200000

struct pg_vcache;

/*
 * The cache for runs like ctx in dir (created 0700 if missing); NULL when
 * it cannot be used (no directory, not private), which only costs time.
 * ctx is borrowed until pg_vcache_close.
 */
struct pg_vcache *pg_vcache_open(const char *dir, const struct pg_decide_ctx *ctx);

/* 1 with v filled (pg_verdict_init'd, plainly allowed) on a hit; else 0, v untouched. */
int pg_vcache_get(struct pg_vcache *c, const struct pg_req *req, const struct pg_facts *facts,
                  struct pg_verdict *v);

/* Remember v, which pg_decide gave for req and facts, if it is cacheable. */
void pg_vcache_put(struct pg_vcache *c, const struct pg_req *req, const struct pg_facts *facts,
                   const struct pg_verdict *v);

/*
 * The memo of verified registry signatures (pg_decide.h), kept as keys in
 * the same file, so they live and are pruned like verdicts: *out is
 * filled to use c (borrowed until pg_vcache_close). A signature is then
 * checked once per run context (policy, pkggate version), not every run.
 */
void pg_vcache_sigmemo(struct pg_vcache *c, struct pg_sigmemo *out);

/* Write what this run added (failures ignored) and free. NULL is fine. */
void pg_vcache_close(struct pg_vcache *c);

#endif
