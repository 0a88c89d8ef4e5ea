/*
 * pg_sigstore.h - Sigstore bundle verification (npm provenance, PEP 740
 * attestations), with OpenSSL libcrypto, jansson and libsodium.
 *
 * A bundle (application/vnd.dev.sigstore.bundle+json;version=0.1|0.2|0.3,
 * or ...bundle.v0.3+json; or PyPI's PEP 740 attestation object, the same
 * material under other names) is verified against a trusted root
 * (trusted_root.json, as sigstore's TUF repository publishes it):
 *
 *  1. transparency log: every Rekor v1 entry's log key is in the root and
 *     was valid at the entry's integrated time; its signed entry timestamp
 *     (SET: ECDSA over the RFC 8785 form of {body, integratedTime, logID,
 *     logIndex}) verifies, and, when present (always from bundle v0.2 on),
 *     its RFC 6962 inclusion proof leads to a root hash that a checkpoint
 *     (C2SP signed note) signed by the same log key states;
 *  2. the entry is about this signature: its canonicalized body (intoto
 *     0.0.2, dsse 0.0.1, hashedrekord 0.0.1) names the bundle's
 *     certificate, signature and payload hash (or artefact digest);
 *  3. the leaf certificate chains to a Fulcio CA of the root, which was
 *     valid (validFor) at the integrated time, and the chain was valid then;
 *  4. the signature verifies with the leaf key: DSSE over PAE(payloadType,
 *     payload), or a message signature over the artefact's digest;
 *  5. the in-toto statement has a subject whose digest is the artefact's
 *     (and whose name is the expected one, when the caller gives one);
 *  6. the identity (SAN, issuer, Fulcio extensions 1.3.6.1.4.1.57264.1.*)
 *     is returned for the caller to compare with what the registry names.
 *
 * Not verified (PG_SIGSTORE_UNSUPPORTED, never "ok"): bundles signed with
 * a plain public key (npm's publish attestation), Rekor v2 entries, and
 * time from RFC 3161 timestamps alone; SCTs in the certificate are not
 * checked against CT logs. The integrated time is trusted only through the
 * SET: an entry without one (and without an accepted timestamp) is invalid.
 *
 * Limits for untrusted input: a bundle over PG_SIGSTORE_MAX_BUNDLE bytes,
 * more than PG_SIGSTORE_MAX_TLOG entries, an inclusion proof over
 * PG_SIGSTORE_MAX_PROOF hashes, a payload over PG_SIGSTORE_MAX_PAYLOAD
 * bytes are refused. No I/O; a root is safe to share between threads.
 */
#ifndef PG_SIGSTORE_H
#define PG_SIGSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "pg_err.h"

#define PG_SIGSTORE_MAX_BUNDLE  ((size_t)4 << 20) /* a real one is 5-20 KiB */
#define PG_SIGSTORE_MAX_ROOT    ((size_t)1 << 20)
#define PG_SIGSTORE_MAX_PAYLOAD ((size_t)2 << 20)
#define PG_SIGSTORE_MAX_TLOG    4
#define PG_SIGSTORE_MAX_PROOF   64 /* a tree of 2^64 leaves needs 64 */
#define PG_SIGSTORE_MAX_FIELD   1024 /* an identity string longer is refused */

/* Date of the compiled-in public-good root (data/sigstore/README.md). */
#define PG_SIGSTORE_ROOT_DATE "2025-09-22"
/* The version of the TUF targets.json that lists that root (root-signing
 * 60cf2ce): a stored root from a newer one replaces it (pkggate trust-root). */
#define PG_SIGSTORE_ROOT_TUF_VERSION 14

struct pg_sigstore_root;

/*
 * Parse a trusted_root.json (mediaType ...trustedroot+json;version=0.1).
 * Keeps Fulcio CAs (certificate chains, validFor) and Rekor logs with an
 * ECDSA P-256 or Ed25519 key (logId is recomputed from the key and must
 * match). A root with no CA or no log is refused. Free with
 * pg_sigstore_root_free.
 */
int pg_sigstore_root_parse(struct pg_sigstore_root **out, const char *json, size_t len,
                           struct pg_err *err) PG_WARN_UNUSED;

/* The public-good root compiled into pkggate (PG_SIGSTORE_ROOT_DATE). */
int pg_sigstore_root_default(struct pg_sigstore_root **out, struct pg_err *err) PG_WARN_UNUSED;

void pg_sigstore_root_free(struct pg_sigstore_root *root); /* NULL is fine */

/*
 * What the artefact is. alg "sha256" or "sha512", digest its raw bytes.
 * name, when not NULL, must equal a subject's name in the statement (npm:
 * "pkg:npm/<name>@<version>", PyPI: the file name); the subject with that
 * name must carry the digest. For a message signature name is ignored
 * and alg must be "sha256".
 */
struct pg_sigstore_subject {
    const char *name;
    const char *alg;
    const unsigned char *digest;
    size_t digest_len;
};

/*
 * Who signed, from the verified leaf certificate; strings owned by the
 * struct, NULL when the certificate has none. Only filled by a verify that
 * returned PG_SIGSTORE_OK.
 */
struct pg_sigstore_identity {
    char *san;             /* URI or e-mail Subject Alternative Name */
    char *issuer;          /* OIDC issuer (.1.8, else the legacy .1.1) */
    char *source_repo;     /* .1.12 source repository URI */
    char *source_ref;      /* .1.14 source repository ref */
    char *source_digest;   /* .1.13 source repository digest (commit) */
    char *build_config;    /* .1.18 build config URI (workflow @ ref) */
    char *build_signer;    /* .1.9 build signer URI */
    char *runner;          /* .1.11 runner environment */
    char *repository;      /* "github.com/org/repo", from source_repo */
    char *workflow;        /* "release.yml", the file of build_config */
    char *predicate_type;  /* the statement's predicateType */
    int64_t integrated_time;
    int64_t log_index;
};

#define PG_SIGSTORE_IDENTITY_INIT {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1}

void pg_sigstore_identity_release(struct pg_sigstore_identity *id);

enum pg_sigstore_result {
    PG_SIGSTORE_OK,          /* everything in the list above verified */
    PG_SIGSTORE_INVALID,     /* malformed, or a check failed: never trust it */
    PG_SIGSTORE_UNSUPPORTED, /* a kind pkggate does not check (see above) */
};

/* "ok", "invalid", "unsupported". */
const char *pg_sigstore_result_name(enum pg_sigstore_result r);

/*
 * Verify one bundle (JSON text, len bytes) about subj. On OK fills *id
 * (initialised with PG_SIGSTORE_IDENTITY_INIT; released by the caller);
 * otherwise err says which check failed.
 */
enum pg_sigstore_result pg_sigstore_verify(const struct pg_sigstore_root *root, const char *json,
                                           size_t len, const struct pg_sigstore_subject *subj,
                                           struct pg_sigstore_identity *id, struct pg_err *err);

/*
 * npm: an attestations document (GET dist.attestations.url,
 * {"attestations":[{"predicateType","bundle"}]}). The SLSA provenance
 * attestation (predicateType https://slsa.dev/provenance/v*) is verified
 * about pkg:npm/<name>@<version> and the sha512 of integrity (SRI); the
 * others (npm's keyed publish attestation) are not looked at. No SLSA
 * attestation is INVALID: the registry said there was one.
 */
enum pg_sigstore_result pg_sigstore_verify_npm(const struct pg_sigstore_root *root,
                                               const char *doc, size_t len, const char *name,
                                               const char *version, const char *integrity,
                                               struct pg_sigstore_identity *id,
                                               struct pg_err *err);

/*
 * PyPI: a provenance document (Integrity API, {"version":1,
 * "attestation_bundles":[{"publisher","attestations":[...]}]}). Every
 * attestation must verify about filename and sha256 (raw 32 bytes); *id
 * is the first one's identity. Any failure is INVALID.
 */
enum pg_sigstore_result pg_sigstore_verify_pypi(const struct pg_sigstore_root *root,
                                                const char *doc, size_t len,
                                                const char *filename,
                                                const unsigned char sha256[32],
                                                struct pg_sigstore_identity *id,
                                                struct pg_err *err);

#endif
