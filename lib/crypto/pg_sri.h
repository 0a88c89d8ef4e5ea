/*
 * pg_sri.h - artefact digests as registries state them, and checking bytes
 * against them.
 *
 * Two spellings are understood, one token or several separated by ASCII
 * whitespace:
 *   - Subresource Integrity, as npm's dist.integrity: "sha512-<base64>",
 *     optionally followed by "?options" (ignored, as the W3C spec says);
 *   - a hex digest as PyPI and pip write it: "sha256=<hex>" (the form
 *     pg_pypimeta stores) or "sha256:<hex>" (pip's --hash).
 * Supported algorithms are sha512, sha256 (libsodium) and sha1 (OpenSSL
 * libcrypto). Only the strongest algorithm present is used, as ssri does:
 * sha1 counts only where nothing else exists, because SHA-1 collisions can
 * be made and a sha1-only integrity is what very old npm versions carry.
 * Tokens of algorithms pkggate does not know (sha384, md5, ...) are skipped
 * if well-formed; a string left with no supported digest is an error.
 *
 * Malformed means: empty, over PG_SRI_MAX_TEXT bytes or PG_SRI_MAX_TOKENS
 * tokens, an algorithm name that is not [a-z0-9]+, a known algorithm whose
 * digest does not decode (padded standard base64 / hex) to exactly its
 * length, or stray characters. A malformed string is never "no check":
 * every function here fails on it.
 *
 * Only the streaming hasher allocates (its hash state); the caller has
 * called sodium_init().
 */
#ifndef PG_SRI_H
#define PG_SRI_H

#include <stddef.h>

#include "pg_err.h"

/* Ordered by strength, so the strongest of a set is the largest. */
enum pg_sri_alg {
    PG_SRI_NONE = 0,
    PG_SRI_SHA1,
    PG_SRI_SHA256,
    PG_SRI_SHA512,
};

#define PG_SRI_MAX_TEXT   4096
#define PG_SRI_MAX_TOKENS 16
#define PG_SRI_MAX_DIGEST 64

/*
 * A parsed integrity: the strongest supported algorithm and every digest
 * given for it (SRI allows several; any one matching is a match).
 */
struct pg_sri {
    enum pg_sri_alg alg;
    size_t n;
    unsigned char digest[PG_SRI_MAX_TOKENS][PG_SRI_MAX_DIGEST];
};

/* Parse text into *out. Returns 0, or -1 with err naming what is wrong. */
int pg_sri_parse(struct pg_sri *out, const char *text, struct pg_err *err) PG_WARN_UNUSED;

/* "sha512", "sha256", "sha1"; "none" for PG_SRI_NONE. */
const char *pg_sri_alg_name(enum pg_sri_alg alg);

/*
 * Check len bytes at data against a parsed integrity. Returns 0 on a match;
 * -1 with err "integrity mismatch: expected sha512-..., got sha512-..." on
 * none (the digests in SRI form, whatever spelling was parsed).
 */
int pg_sri_verify(const struct pg_sri *sri, const void *data, size_t len,
                  struct pg_err *err) PG_WARN_UNUSED;

/* Parse and check in one call; a malformed text fails like a mismatch. */
int pg_sri_check(const char *integrity, const void *data, size_t len,
                 struct pg_err *err) PG_WARN_UNUSED;

/*
 * Streaming check for artefacts read in pieces (a tarball off the wire):
 *
 *     struct pg_sri_hasher h;
 *     pg_sri_hasher_init(&h, &sri);
 *     while (more) pg_sri_hasher_update(&h, buf, n);
 *     if (pg_sri_hasher_final(&h, &err) < 0) ... mismatch ...
 *
 * The hasher keeps a copy of the expected digests. final releases it; a
 * hasher abandoned before final must be released with pg_sri_hasher_release
 * (which is a no-op after final).
 */
struct pg_sri_hasher {
    struct pg_sri want;
    void *state; /* libsodium state or OpenSSL EVP_MD_CTX; owned */
};

void pg_sri_hasher_init(struct pg_sri_hasher *h, const struct pg_sri *sri);
void pg_sri_hasher_update(struct pg_sri_hasher *h, const void *data, size_t len);
int pg_sri_hasher_final(struct pg_sri_hasher *h, struct pg_err *err) PG_WARN_UNUSED;
void pg_sri_hasher_release(struct pg_sri_hasher *h);

#endif
