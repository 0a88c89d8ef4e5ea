/*
 * pg_provround.h - fetch and verify the attestations of chosen versions,
 * all of them in one parallel round (issue 14).
 *
 * For each job, the version's attestations are asked from the registry
 * and verified with pg_sigstore against root:
 *  - npm: GET dist.attestations.url ({"attestations":[...]}); the SLSA
 *    provenance bundle must verify about "pkg:npm/<name>@<version>" and
 *    the sha512 of dist.integrity (pg_sigstore_verify_npm), and the
 *    repository in the certificate must be package.json's "repository"
 *    when pg_npmmeta_repo can read that one;
 *  - PyPI: GET each file's PEP 740 provenance URL; every attestation must
 *    verify about the file's name and the sha256 the index states, and
 *    the identity in the certificate must be the publisher the document
 *    names (GitHub/GitLab repository, and for GitHub the workflow). The
 *    publisher the document states fills v->publisher and
 *    v->publisher_workflow (the registry's claim, as pg_pypiprov reads it).
 *
 * Results go into the version (pg_meta.h, enum pg_prov_state): a version
 * the registry names no attestation for is ABSENT (PyPI: also when any of
 * its files has none, since pip may install that one); a fetch that fails
 * is UNAVAILABLE; any attestation that fails a check makes it INVALID;
 * one of a kind pkggate does not check (npm's keyed publish attestation
 * alone, Rekor v2, RFC 3161) UNSUPPORTED; only when every attestation of
 * the version verified is it VERIFIED, with the identity of the first.
 * Versions whose prov is not PG_PROV_UNCHECKED are left alone, so a
 * version named twice is fetched once.
 *
 * Credentials (auth) go only to the index's own origin; plain http only to
 * it as well (the person configured it).
 */
#ifndef PG_PROVROUND_H
#define PG_PROVROUND_H

#include <stddef.h>

#include "pg_http.h"
#include "pg_meta.h"
#include "pg_sigstore.h"

/* A version with more files than this is UNSUPPORTED (not fetched file by file). */
#define PG_PROVROUND_MAX_FILES 32

struct pg_provround_job {
    enum pg_eco eco;
    const char *name;  /* as asked for; borrowed */
    const char *index; /* the registry or simple index the version was listed on */
    const char *auth;  /* its Authorization header value, or NULL */
    struct pg_meta_version *v;
};

/*
 * 1 when some job would ask for an attestation (and so needs the trusted
 * root): loading the root costs more than a warm run of a lockfile whose
 * packages name none.
 */
int pg_provround_needs_root(const struct pg_provround_job *jobs, size_t n);

/*
 * Fill jobs[i].v's provenance fields. root NULL: every version that names
 * attestations is UNAVAILABLE with root_error as the reason (the trusted
 * root could not be loaded: nothing can be called verified).
 */
void pg_provround_run(struct pg_http *h, const struct pg_sigstore_root *root,
                      const char *root_error, struct pg_provround_job *jobs, size_t n);

#endif
