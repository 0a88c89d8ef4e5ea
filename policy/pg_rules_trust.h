/*
 * pg_rules_trust.h - does the registry vouch for the version, and did it
 * come from where the package's releases usually come from (issue 5).
 *
 * A hijacked maintainer token publishes a version that the registry signs
 * but that was built outside the project's CI, often by another account.
 * These rules look for the traces of that in what the registry says:
 *
 *   registry_signature    npm only. dist.signatures checked against the
 *                         registry's keys (pg_npmsig.h) over the name asked
 *                         for and the version picked:
 *                           invalid (bad, malformed, replayed from another
 *                           package or version, signed without integrity)
 *                             -> block, whatever the rule's action, as long
 *                                as the rule is not "off";
 *                           missing while the registry publishes keys, key
 *                           unknown, key expired before publish
 *                             -> the rule's action (block by default);
 *                           the registry publishes no keys (keys NULL or
 *                           an empty list) -> the rule does not apply,
 *                             unless rules.registry_signature.require_keys
 *                             is true: then the rule's action.
 *   integrity             the version's integrity string (npm
 *                         dist.integrity, PyPI sha256) is malformed or
 *                         names no supported digest (pg_sri.h): the
 *                         installer could not check what it downloads.
 *                         The rule's action (block by default).
 *   provenance            see pg_rules_prov.h (verified attestations)
 *   provenance_downgrade  the version carries weaker publish evidence than
 *                         an earlier-published version of the package:
 *                         trusted publisher > provenance > none. A version
 *                         whose attestations were fetched and found absent
 *                         has none, whatever its packument claims; the
 *                         earlier release's evidence is named as verified
 *                         or as the registry's claim.
 *   publisher_change      when the version and the attested release before
 *                         it both verified: their certificates' repository
 *                         or workflow differ. Otherwise, from what the
 *                         registry states: npm: the version's _npmUser
 *                         published none of the earlier releases. PyPI:
 *                         the version's PEP 740 publisher repository or
 *                         workflow differs from that of the release
 *                         published just before it.
 *
 * "Earlier" is by publish time. Versions whose publish time, evidence or
 * publisher is unknown are left out of the comparison; when the picked
 * version's own is unknown, the rule does not apply (a registry that does
 * not carry the information, like a filtered mirror, is not an error).
 * A message says "verified" only of what the provenance round verified
 * (pg_rules_prov.h); comparisons of registry claims say so.
 */
#ifndef PG_RULES_TRUST_H
#define PG_RULES_TRUST_H

#include "pg_decide.h"
#include "pg_npmsig.h"

/*
 * Add the reasons of the trust rules for the version mv of m that req asked
 * for (no I/O). mv NULL (nothing picked) or req->name NULL: nothing. keys
 * are the registry's parsed /-/npm/v1/keys; NULL means the registry
 * answered that it publishes none (404 or an empty list). A keys fetch that
 * failed for another reason is not "none": report it as undecidable instead
 * of calling this with NULL. If a signature names a keyid that cached keys
 * lack, refetch the keys once before calling (rotation).
 */
void pg_rules_trust(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                    const struct pg_meta *m, const struct pg_meta_version *mv,
                    const struct pg_npmkeys *keys, struct pg_verdict *v);

/*
 * The line to print once per registry that publishes no keys, where the
 * signature rule therefore does not apply: NULL when there is nothing to
 * say (rule off, or require_keys true, which blocks each package instead).
 * registry is shown as given (pass it redacted). Caller frees.
 */
char *pg_rules_trust_no_keys_note(const struct pg_decide_ctx *ctx, const char *registry);

#endif
