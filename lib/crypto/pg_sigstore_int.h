/*
 * pg_sigstore_int.h - the pieces of the Sigstore verifier (pg_sigstore.h),
 * one file per noun, called in this order by pg_sigstore.c:
 *
 *   pg_sigstore_util.c    base64, JSON fields, hashes, signature checks
 *   pg_sigstore_root.c    trusted_root.json -> Fulcio CAs, Rekor keys
 *   pg_sigstore_bundle.c  bundle / PEP 740 attestation JSON -> struct ss_bundle
 *   pg_sigstore_tlog.c    Rekor entry: body, SET, inclusion proof, checkpoint
 *   pg_sigstore_cert.c    leaf -> Fulcio chain at a time; identity extensions
 *
 * Nothing here is verified by parsing: struct ss_bundle holds claims until
 * pg_sigstore.c has run every check on them.
 */
#ifndef PG_SIGSTORE_INT_H
#define PG_SIGSTORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "pg_err.h"
#include "pg_sigstore.h"

#define SS_HASH 32 /* SHA-256, the only tree and log-id hash Rekor v1 uses */

struct ss_log {
    unsigned char id[SS_HASH]; /* SHA-256 of the key's SPKI DER */
    EVP_PKEY *key;
    int64_t start, end; /* validFor; end -1: still valid */
};

struct ss_ca {
    X509 *root;               /* the self-signed end of certChain */
    STACK_OF(X509) *inter;    /* the rest, issuing CA first; possibly empty */
    int64_t start, end;       /* validFor; end -1: still valid */
};

struct pg_sigstore_root {
    struct ss_log *logs;
    size_t nlogs;
    struct ss_ca *cas;
    size_t ncas;
};

struct ss_entry {
    int64_t log_index, integrated_time;
    unsigned char log_id[SS_HASH];
    char kind[16], version[16];
    unsigned char *body; /* canonicalizedBody, decoded */
    size_t body_len;
    unsigned char *set; /* signedEntryTimestamp; NULL when absent */
    size_t set_len;
    int has_proof;
    int64_t proof_index, tree_size;
    unsigned char root_hash[SS_HASH];
    unsigned char *hashes; /* nhashes * SS_HASH */
    size_t nhashes;
    char *checkpoint;
};

struct ss_bundle {
    int minor; /* media type 0.1, 0.2, 0.3 -> 1, 2, 3; PEP 740 -> 3 */
    X509 *leaf;
    unsigned char *leaf_der; /* its DER, to compare with log entries */
    size_t leaf_der_len;
    int dsse; /* 1: DSSE envelope; 0: message signature */
    char *payload_type;
    unsigned char *payload;
    size_t payload_len;
    unsigned char *sig;
    size_t sig_len;
    unsigned char digest[SS_HASH]; /* message signature: SHA2_256 digest */
    struct ss_entry entries[PG_SIGSTORE_MAX_TLOG];
    size_t nentries;
};

/* pg_sigstore_util.c */
int ss_b64(const char *s, unsigned char **out, size_t *len, size_t cap, struct pg_err *err);
int ss_b64_fixed(const char *s, unsigned char *out, size_t want, struct pg_err *err);
const char *ss_str(json_t *obj, const char *key);
int ss_i64(json_t *obj, const char *key, int64_t *out);
void ss_sha256(const void *p, size_t n, unsigned char out[SS_HASH]);
int ss_sig_ok(EVP_PKEY *key, const unsigned char *msg, size_t len, const unsigned char *sig,
              size_t sig_len);
int ss_hex_is(const char *hex, const unsigned char *bin, size_t n);
X509 *ss_x509_der(const unsigned char *der, size_t len);
json_t *ss_json(const void *text, size_t len, size_t cap, struct pg_err *err);

/* pg_sigstore_root.c */
const struct ss_log *ss_root_log(const struct pg_sigstore_root *root,
                                 const unsigned char id[SS_HASH]);

/* pg_sigstore_bundle.c: PG_SIGSTORE_OK, INVALID or UNSUPPORTED (err says why) */
enum pg_sigstore_result ss_bundle_parse(struct ss_bundle *b, json_t *doc, struct pg_err *err);
enum pg_sigstore_result ss_pep740_parse(struct ss_bundle *b, json_t *doc, struct pg_err *err);
void ss_bundle_release(struct ss_bundle *b);

/*
 * pg_sigstore_tlog.c: the entry is in the log and about b's signature: 0,
 * -1 (invalid) or -2 (a Rekor v2 entry, which pkggate does not check).
 */
int ss_tlog_verify(const struct pg_sigstore_root *root, const struct ss_bundle *b,
                   const struct ss_entry *e, struct pg_err *err);
int ss_inclusion_ok(const unsigned char leaf[SS_HASH], int64_t index, int64_t size,
                    const unsigned char *path, size_t n, const unsigned char root[SS_HASH]);

/* pg_sigstore_cert.c */
int ss_ca_chain_ok(const struct ss_ca *ca);
int ss_cert_verify(const struct pg_sigstore_root *root, X509 *leaf, int64_t t,
                   struct pg_err *err);
int ss_cert_identity(X509 *leaf, struct pg_sigstore_identity *id, struct pg_err *err);

/* pg_sigstore.c: one bundle (pep740 0) or PEP 740 attestation (1), parsed */
enum pg_sigstore_result ss_verify_json(const struct pg_sigstore_root *root, json_t *doc,
                                       int pep740, const struct pg_sigstore_subject *subj,
                                       struct pg_sigstore_identity *id, struct pg_err *err);

#endif
