/*
 * pg_npmsig.h - npm registry signatures (ECDSA P-256 over
 * "<name>@<version>:<dist.integrity>"), checked as pacote checks them.
 *
 * A registry that signs publishes its keys at <registry>/-/npm/v1/keys:
 *
 *   {"keys": [{"expires": null | "2025-01-29T00:00:00.000Z",
 *              "keyid": "SHA256:<unpadded base64>",
 *              "keytype": "ecdsa-sha2-nistp256",
 *              "scheme": "ecdsa-sha2-nistp256",
 *              "key": "<base64 SubjectPublicKeyInfo DER>"}]}
 *
 * and every version carries dist.signatures = [{"keyid", "sig"}], sig being
 * a base64 DER ECDSA signature made with SHA-256. The keys document is
 * parsed once per registry into a struct pg_npmkeys, which holds each key
 * as a ready OpenSSL EVP_PKEY (the SPKI is decoded once, not per verify).
 *
 * A key's id is npm's: "SHA256:" + unpadded base64 of SHA-256 over the
 * OpenSSH wire blob string("ecdsa-sha2-nistp256") || string("nistp256") ||
 * string(Q), Q the 65-byte uncompressed point (what `ssh-keygen -l` prints).
 * pkggate computes it and refuses a keys document whose stated id differs.
 *
 * Identity: the signed message is built from the name the caller asked for
 * and the version it picked, never from fields of the version document, so
 * a signature copied from another package or version fails as INVALID
 * (pacote's EMANIFESTMISMATCH and EINTEGRITYSIGNATURE in one check).
 *
 * Expiry: a key is valid for a version if its "expires" is null or the
 * version's publish time is before it. Without a publish time (npm's
 * abbreviated document has none) the time is taken as 2015-01-01T00:00:00Z,
 * as pacote does; callers that want the expiry checked fetch the full
 * packument. Times are whole seconds: a publish time in the same second as
 * the expiry counts as expired.
 *
 * Every signature of a version must verify with a known, unexpired key
 * (pacote fails on the first one that does not). The caller has called
 * sodium_init().
 */
#ifndef PG_NPMSIG_H
#define PG_NPMSIG_H

#include <stddef.h>
#include <stdint.h>

#include "pg_err.h"

#define PG_NPMSIG_KEYID_MAX         64     /* "SHA256:" + 43, with room */
#define PG_NPMKEYS_MAX_BODY         262144 /* 256 KiB: a keys document larger is refused */
#define PG_NPMKEYS_MAX_KEYS         64
#define PG_NPMSIG_MAX_SIGS          16         /* more signatures on a version: invalid */
#define PG_NPMSIG_MAX_JSON          65536      /* 64 KiB: dist.signatures text larger: invalid */
#define PG_NPMSIG_DEFAULT_PUBLISHED 1420070400 /* 2015-01-01T00:00:00Z, pacote's default */

struct pg_npmkeys;

/* "<registry>/-/npm/v1/keys", registry with or without trailing '/'. Caller frees. */
char *pg_npmsig_keys_url(const char *registry);

/*
 * Parse a keys document of len bytes into *out (caller frees with
 * pg_npmkeys_free; NULL on error). Errors: not JSON or duplicate object
 * keys, no "keys" list, more than PG_NPMKEYS_MAX_KEYS entries, an entry
 * without a string keyid, an "expires" that is neither null nor a time, two
 * entries with one keyid, an ecdsa-sha2-nistp256 key that is not a P-256
 * SubjectPublicKeyInfo, or a keyid that is not the key's. Entries of other
 * key types are kept, by id only, as unsupported: a signature by one is
 * UNKNOWN_KEY. {"keys": []} parses to zero keys, which pg_npmsig_verify
 * treats as a registry that publishes none.
 */
int pg_npmkeys_parse(struct pg_npmkeys **out, const char *body, size_t len,
                     struct pg_err *err) PG_WARN_UNUSED;
void pg_npmkeys_free(struct pg_npmkeys *keys); /* NULL is fine */

/* Entries in document order, supported or not. Strings owned by keys. */
size_t pg_npmkeys_count(const struct pg_npmkeys *keys); /* 0 for NULL */
const char *pg_npmkeys_keyid(const struct pg_npmkeys *keys, size_t i);
int64_t pg_npmkeys_expires(const struct pg_npmkeys *keys, size_t i); /* -1: never */
int pg_npmkeys_supported(const struct pg_npmkeys *keys, size_t i);

/*
 * npm's keyid of a DER SubjectPublicKeyInfo holding a P-256 key, into out.
 * Returns 0, or -1 with err (not DER, trailing bytes, not EC P-256).
 */
int pg_npmsig_keyid(const unsigned char *spki, size_t len, char out[PG_NPMSIG_KEYID_MAX],
                    struct pg_err *err) PG_WARN_UNUSED;

enum pg_npmsig_result {
    PG_NPMSIG_OK,          /* every signature verified with a valid key */
    PG_NPMSIG_INVALID,     /* a signature does not verify, is malformed, or
                            * the version is signed but has no integrity */
    PG_NPMSIG_MISSING,     /* the registry has keys; the version no signature */
    PG_NPMSIG_UNKNOWN_KEY, /* signed with a keyid the registry does not list
                            * (or lists with a type pkggate cannot check):
                            * a caller with cached keys refetches them once */
    PG_NPMSIG_EXPIRED_KEY, /* signed with a key that expired before publish */
    PG_NPMSIG_NO_KEYS,     /* keys NULL or empty: nothing to check against */
};

/* "ok", "invalid", "missing", "unknown_key", "expired_key", "no_keys". */
const char *pg_npmsig_result_name(enum pg_npmsig_result r);

struct pg_npmsig_status {
    enum pg_npmsig_result result;
    char keyid[PG_NPMSIG_KEYID_MAX]; /* the signature's keyid behind the result, or "" */
    struct pg_err why;               /* one line; for OK names the key that verified */
};

/*
 * Check one version. name is the package asked for, version the version
 * picked, integrity its dist.integrity as the registry wrote it (NULL if
 * absent), signatures_json its dist.signatures as JSON text (NULL if
 * absent; pg_meta_version.signatures_json), published its publish time in
 * Unix seconds or -1 if unknown. keys NULL means the registry publishes no
 * keys. Fills *st and returns st->result. When several signatures fail, the
 * result is the gravest: INVALID, then EXPIRED_KEY, then UNKNOWN_KEY.
 * No I/O; safe to call from several threads on one keys.
 */
enum pg_npmsig_result pg_npmsig_verify(const struct pg_npmkeys *keys, const char *name,
                                       const char *version, const char *integrity,
                                       const char *signatures_json, int64_t published,
                                       struct pg_npmsig_status *st);

#endif
