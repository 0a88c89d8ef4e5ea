/*
 * pg_rules_registry.h - the rules that need the registry's answer.
 *
 *   unknown_package       the name does not exist on the registry
 *   quarantined           PEP 792 project status "quarantined"
 *   min_version_age       the version that would be installed is too young;
 *                         names the newest version that is old enough
 *   min_package_age       the project's first release is too young
 *   deprecated, yanked    as the registry marks them
 *   install_scripts       the npm version runs lifecycle scripts
 *   undecidable           a rule above needed an answer the registry did not
 *                         give (unreachable, no publish time): the policy's
 *                         "undecidable" key is the action
 *
 * Resolution picks the version the tool itself would install (npm:
 * npm-pick-manifest order; pip: highest matching, PEP 592 yanks), or the
 * locked version from a lockfile / exact pin. The chosen version is stored
 * in v->version.
 */
#ifndef PG_RULES_REGISTRY_H
#define PG_RULES_REGISTRY_H

#include "pg_decide.h"

/* Adds the reasons of every registry rule that fires; no I/O. */
void pg_rules_registry(const struct pg_decide_ctx *ctx, const struct pg_req *req,
                       const struct pg_facts *facts, struct pg_verdict *v);

/*
 * The version req would install as pg_rules_registry picks it (the lock,
 * else the tool's own pick), or NULL: not from a registry, not known, or
 * a find-links file. For the provenance round, which fetches what the
 * rules will read about exactly that version. No I/O.
 */
const struct pg_meta_version *pg_rules_registry_version(const struct pg_decide_ctx *ctx,
                                                        const struct pg_req *req,
                                                        const struct pg_facts *facts);

#endif
