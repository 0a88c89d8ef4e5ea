/*
 * pg_pypiprov.h - who published a PyPI file, from its PEP 740 provenance.
 *
 * The PEP 691 simple API gives each file a "provenance" URL; it answers
 * (PyPI's Integrity API, GET /integrity/<project>/<version>/<file>/provenance)
 *
 *     {"version": 1,
 *      "attestation_bundles": [
 *        {"publisher": {"kind": "GitHub", "repository": "owner/repo",
 *                       "workflow": "release.yml", "environment": "pypi"},
 *         "attestations": [ ... sigstore bundles ... ]}]}
 *
 * This module reads the publisher of the first bundle: kind, repository,
 * workflow ("workflow" for GitHub, "workflow_filepath" for GitLab) and
 * environment. Presence and identity only: the attestations' certificates,
 * signatures and transparency entries are not looked at, so nothing here
 * is "verified". The publisher is what the index states.
 *
 * Limits, for untrusted input: a body over PG_PYPIPROV_MAX_BODY bytes, a
 * publisher string over PG_PYPIPROV_MAX_FIELD bytes or one holding control
 * characters is refused.
 */
#ifndef PG_PYPIPROV_H
#define PG_PYPIPROV_H

#include <stddef.h>

#include "pg_err.h"

#define PG_PYPIPROV_MAX_BODY  ((size_t)4 << 20)
#define PG_PYPIPROV_MAX_FIELD 512

/* Accept header for the Integrity API. */
#define PG_PYPIPROV_ACCEPT "application/vnd.pypi.integrity.v1+json, application/json;q=0.9"

/* Every string is owned by the struct; NULL when the document has none. */
struct pg_pypiprov {
    char *kind;        /* "GitHub", "GitLab", "Google", ... as stated */
    char *repository;  /* GitHub/GitLab "owner/repo" ("group/sub/repo") */
    char *workflow;    /* GitHub workflow file name; GitLab CI file path */
    char *environment; /* deployment environment, NULL when none */
    char *email;       /* Google: the service account */
    /*
     * The identity publisher_change compares, never NULL after a successful
     * parse: the repository for GitHub ("owner/repo"), else the kind in
     * lowercase and the repository or email ("gitlab:group/repo",
     * "google:sa@project.iam.gserviceaccount.com"), so that a move from one
     * CI provider to another is a change even under the same name.
     */
    char *identity;
};

#define PG_PYPIPROV_INIT {NULL, NULL, NULL, NULL, NULL, NULL}

/*
 * Parse a provenance document into *out (initialised with PG_PYPIPROV_INIT
 * or released). 0, or -1 with err set and *out left empty: not JSON, not
 * an object, "version" other than 1, no attestation bundle, a publisher
 * without "kind", a kind that names neither repository nor email, a field
 * too long or with control characters. Free with pg_pypiprov_release.
 */
int pg_pypiprov_parse(struct pg_pypiprov *out, const char *body, size_t len,
                      struct pg_err *err) PG_WARN_UNUSED;

/* Free the strings and reset to PG_PYPIPROV_INIT. */
void pg_pypiprov_release(struct pg_pypiprov *p);

#endif
