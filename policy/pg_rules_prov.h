/*
 * pg_rules_prov.h - what the verified attestations say (issue 14).
 *
 * The provenance round (shim/cli/pg_provplan.h) leaves in each version
 * the state of its attestations (pg_meta.h, enum pg_prov_state). Here:
 *
 *   provenance   invalid (an attestation failed a check: wrong digest,
 *                certificate, log entry, signature, or an identity other
 *                than the publisher the index names)
 *                  -> block, whatever the action, allow entries or
 *                     exceptions say, as long as the rule is not "off"
 *                     (evidence of tampering, like an invalid registry
 *                     signature);
 *                the package matches "require_provenance" and its
 *                provenance is not verified (absent, unsupported,
 *                unavailable, not checked) -> the rule's action, which
 *                  no allow entry or exception silences either (only
 *                  removing the pattern, or the rule "off", lifts it);
 *   undecidable  the registry names attestations that could not be
 *                fetched, or the trusted root could not be loaded, and
 *                nothing above decided: the policy's "undecidable".
 *
 * The verdict carries the state and the verified identity (pg_verdict.h)
 * for output. Nothing is called verified unless the round verified it.
 */
#ifndef PG_RULES_PROV_H
#define PG_RULES_PROV_H

#include "pg_decide.h"

/* Add the provenance reasons for version mv that req asked for; no I/O. */
void pg_rules_prov(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                   const struct pg_meta_version *mv, struct pg_verdict *v);

/*
 * The latest release of m published before mv that names attestations
 * (npm dist.attestations.url, PyPI a provenance URL), or NULL: the one the
 * round verified beside mv for publisher_change.
 */
const struct pg_meta_version *pg_rules_prov_earlier(const struct pg_meta *m,
                                                    const struct pg_meta_version *mv);

/*
 * "verified: built by github.com/org/repo, workflow release.yml" for a
 * VERIFIED version, else "as the registry states; not verified", into buf
 * (control characters shown as '?'). Returns buf.
 */
const char *pg_rules_prov_words(const struct pg_meta_version *w, char *buf, size_t n);

#endif
