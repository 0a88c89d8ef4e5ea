/*
 * pg_provplan.h - the provenance round of one command (issue 14).
 *
 * After the dependency tree is known and before anything is judged, the
 * attestations of every version that would be installed (and, when
 * publisher_change is on, of the latest earlier release that names some,
 * whose verified identity it is compared with) are fetched and verified in
 * one parallel round (lib/eco/pg_provround.h), only when the policy's
 * rules read the result (pg_policy_needs: provenance). The results land in
 * the versions the facts point to, where the rules read them.
 *
 * The trusted root is, in order: the organisation's "sigstore_root"
 * (pg_policy_sigstore_root: a path or the root inline); in a build with
 * the test suite (PKGGATE_TESTS, never install.sh's or the .deb's), the
 * file named by $PKGGATE_TEST_SIGSTORE_ROOT; else the root the last
 * `pkggate trust-root update` verified and stored, when it is newer than
 * the compiled-in one (pg_provplan_stored_root); else the public-good root
 * compiled in. A root that cannot be read makes every attested version
 * UNAVAILABLE (undecidable), never verified.
 */
#ifndef PG_PROVPLAN_H
#define PG_PROVPLAN_H

#include "pg_cmd.h"
#include "pg_decide.h"
#include "pg_fetch.h"

/* The environment variable a test build reads (see above). */
#define PG_PROVPLAN_TEST_ROOT_ENV "PKGGATE_TEST_SIGSTORE_ROOT"

/* $XDG_DATA_HOME/pkggate/trust-root (~/.local/share/...); NULL without a home. Caller frees. */
char *pg_provplan_trust_dir(void);

/*
 * The stored trusted_root.json (pg_tuf_stored) if it is to be used: it
 * came from another repository than sigstore's CDN (--url), or its
 * targets version is above PG_SIGSTORE_ROOT_TUF_VERSION. *text and *url:
 * caller frees. -1 and err otherwise.
 */
int pg_provplan_stored_root(char **text, size_t *len, int64_t *targets_version, char **url,
                            struct pg_err *err);

/*
 * Run the round for reqs[i]/facts[i] (n of them) and deps[i]/dfacts[i]
 * (nd). ctx as pg_decide will get it (its kinds are set per package here
 * from cmd, which may be NULL). f NULL (names only): nothing.
 */
void pg_provplan_run(struct pg_fetch *f, const struct pg_policy *pol,
                     const struct pg_fetch_opts *fo, const struct pg_decide_ctx *ctx,
                     const struct pg_cmd *cmd, const struct pg_req *reqs,
                     const struct pg_facts *facts, size_t n, const struct pg_req *deps,
                     const struct pg_facts *dfacts, size_t nd);

#endif
