/*
 * pg_minisign_int.h - private to lib/pg_minisign*.c: wire layouts and the
 * small text helpers both halves of the module share. Not for other modules.
 */
#ifndef PG_MINISIGN_INT_H
#define PG_MINISIGN_INT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "pg_minisign.h"
#include "pg_util.h"

#define UC_PREFIX  "untrusted comment: "
#define TC_PREFIX  "trusted comment: "
#define ALG_LEGACY "Ed"
#define ALG_HASHED "ED"
#define KDF_SCRYPT "Sc"
#define CHK_BLAKE2 "B2"

#define SIG_BYTES  crypto_sign_BYTES
#define HASH_BYTES crypto_generichash_BYTES_MAX
/* Wire blobs: alg[2] || keynum || pk, and alg[2] || keynum || sig. */
#define PK_BLOB  (2 + PG_MINISIGN_KEYNUM_BYTES + PG_MINISIGN_PK_BYTES)
#define SIG_BLOB (2 + PG_MINISIGN_KEYNUM_BYTES + SIG_BYTES)

/* Offsets in the secret key blob, laid out exactly as in the file. */
enum {
    SK_ALG = 0,
    SK_KDF = 2,
    SK_CHKALG = 4,
    SK_SALT = 6,
    SK_OPS = SK_SALT + crypto_pwhash_scryptsalsa208sha256_SALTBYTES,
    SK_MEM = SK_OPS + 8,
    SK_KEYNUM = SK_MEM + 8,
    SK_SK = SK_KEYNUM + PG_MINISIGN_KEYNUM_BYTES,
    SK_CHK = SK_SK + crypto_sign_SECRETKEYBYTES,
    SK_BYTES = SK_CHK + crypto_generichash_BYTES
};
/* The tail of the blob (keynum || sk || chk) that scrypt's stream encrypts. */
#define SK_SECRET_LEN (SK_BYTES - SK_KEYNUM)

_Static_assert(SK_BYTES == 158, "minisign secret key blob is 158 bytes");
_Static_assert(crypto_sign_PUBLICKEYBYTES == PG_MINISIGN_PK_BYTES, "ed25519 key size");

/* Lives in sodium_malloc'd memory only. */
struct pg_minisign_seckey {
    unsigned char blob[SK_BYTES];
    int locked;
};

struct lines {
    const char *p, *end;
};

/* Next line without "\n" or "\r\n"; returns 0 when the text is used up. */
static inline int next_line(struct lines *ls, const char **line, size_t *len)
{
    const char *nl;

    if (ls->p >= ls->end)
        return 0;
    nl = memchr(ls->p, '\n', (size_t)(ls->end - ls->p));
    *line = ls->p;
    *len = (size_t)((nl ? nl : ls->end) - ls->p);
    ls->p = nl ? nl + 1 : ls->end;
    if (*len && (*line)[*len - 1] == '\r')
        (*len)--;
    return 1;
}

static inline int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Only blank space may follow the last line of a key or signature. */
static inline int rest_is_blank(const struct lines *ls)
{
    for (const char *p = ls->p; p < ls->end; p++)
        if (!is_blank(*p))
            return 0;
    return 1;
}

/* A comment must stay one line and a C string: no NUL, CR or LF inside. */
static inline int one_line(const char *s, size_t n)
{
    return !memchr(s, '\0', n) && !memchr(s, '\r', n) && !memchr(s, '\n', n);
}

static inline int has_prefix(const char *s, size_t n, const char *prefix)
{
    size_t plen = strlen(prefix);

    return n >= plen && memcmp(s, prefix, plen) == 0;
}

/* Decode base64 (standard alphabet, padded) that must be exactly want bytes. */
static inline int b64_exact(unsigned char *bin, size_t want, const char *b64, size_t len)
{
    size_t got = 0;

    if (sodium_base642bin(bin, want, b64, len, NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) !=
        0)
        return -1;
    return got == want ? 0 : -1;
}

/* Base64 of n bytes; caller frees with free(). Not for secrets. */
static inline char *b64_encode(const unsigned char *bin, size_t n)
{
    size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *out = pg_xmalloc(cap);

    sodium_bin2base64(out, cap, bin, n, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

static inline uint64_t le64_load(const unsigned char *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static inline void le64_store(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        p[i] = (unsigned char)(v & 0xff);
}

#endif
