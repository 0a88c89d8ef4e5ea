/*
 * pg_policy_orgsig.h - the checks a signed org layer must pass before its
 * JSON is read, and the serials remembered against rollback.
 *
 * The contract (order of checks, messages, what the state directory
 * holds) is "Signed org policy" in pg_policy.h. This module is the bottom
 * of the org layer's three: pg_policy_orgurl.c fetches a layer and checks
 * it here, pg_policy_org.c reads the anchor and a local layer and checks
 * it here; nothing here reads the anchor or fetches.
 */
#ifndef PG_POLICY_ORGSIG_H
#define PG_POLICY_ORGSIG_H

#include <stddef.h>
#include <stdint.h>

#include "pg_err.h"
#include "pg_minisign.h"
#include "pg_policy.h"

#define PG_POLICY_ORG_MAX_KEYS 8

/* The anchor file as read (pg_policy_org.c): the pinned keys and where the layer comes from. */
struct pg_policy_anchor {
    const char *path;
    struct pg_minisign_pubkey keys[PG_POLICY_ORG_MAX_KEYS];
    size_t nkeys;
    char *url, *sig_url; /* NULL: the org layer is paths->system */
    char *cafile;
    int64_t refresh, timeout; /* seconds; refresh 0 means always revalidate */
};

/*
 * The signed org layer as accepted. Owned by the policy (pol->org) and
 * freed with pg_policy_org_free (pg_policy_org.h); the checks here fill
 * info's key id, serial and expiry and last_serial.
 */
struct pg_policy_org {
    struct pg_policy_orginfo info; /* its strings point at the fields below */
    char *source, *anchor, *fetch_error;
    uint64_t last_serial; /* the highest serial on record before this load */
};

/*
 * Check a policy text against its signature text (sig NULL: none was
 * found; sigwhere names where it was looked for) under the anchor, in the
 * order given in pg_policy.h, and fill org->info's key id, serial and
 * expiry. Reads the serial on record from paths->state_dir. Errors: "org
 * policy NAME: ...", NAME being org->source.
 */
int pg_policy_orgsig_check(const struct pg_policy_anchor *a, const struct pg_policy_paths *paths,
                           struct pg_policy_org *org, const char *text, size_t len, const char *sig,
                           size_t siglen, const char *sigwhere, struct pg_err *err);
/*
 * Remember org's serial in paths->state_dir when it is higher than the one
 * on record. Call only once the whole policy loaded. Best effort: a state
 * that cannot be written only weakens later rollback checks. org NULL:
 * nothing to do.
 */
void pg_policy_orgsig_commit(const struct pg_policy_org *org, const struct pg_policy_paths *paths);

#endif
