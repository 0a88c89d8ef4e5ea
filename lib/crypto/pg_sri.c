/*
 * pg_sri.c - integrity strings and checking bytes against them (pg_sri.h).
 *
 * The parser is strict (a malformed string is an error, never "no check")
 * and keeps only the strongest algorithm present, as ssri does. Digests are
 * compared with sodium_memcmp.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "pg_sri.h"
#include "pg_util.h"
#include "banned.h"

/* One token before the strongest algorithm is chosen. */
struct token {
    enum pg_sri_alg alg;
    unsigned char digest[PG_SRI_MAX_DIGEST];
};

static const struct {
    const char *name;
    enum pg_sri_alg alg;
} algs[] = {
    {"sha1", PG_SRI_SHA1},
    {"sha256", PG_SRI_SHA256},
    {"sha512", PG_SRI_SHA512},
};

const char *pg_sri_alg_name(enum pg_sri_alg alg)
{
    for (size_t i = 0; i < PG_ARRAY_SIZE(algs); i++)
        if (algs[i].alg == alg)
            return algs[i].name;
    return "none";
}

/* Digest length in bytes (64, 32, 20; 0 for none). */
static size_t digest_len(enum pg_sri_alg alg)
{
    switch (alg) {
    case PG_SRI_SHA1:
        return 20;
    case PG_SRI_SHA256:
        return crypto_hash_sha256_BYTES;
    case PG_SRI_SHA512:
        return crypto_hash_sha512_BYTES;
    case PG_SRI_NONE:
        break;
    }
    return 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static enum pg_sri_alg alg_of(const char *name, size_t n)
{
    for (size_t i = 0; i < PG_ARRAY_SIZE(algs); i++)
        if (strlen(algs[i].name) == n && memcmp(algs[i].name, name, n) == 0)
            return algs[i].alg;
    return PG_SRI_NONE;
}

/* Decode the value of a known algorithm into t->digest. */
static int decode(struct token *t, char sep, const char *v, size_t n, struct pg_err *err)
{
    size_t want = digest_len(t->alg), got = 0;
    const char *end = NULL;
    int rc;

    if (sep == '-') {
        /* SRI options after '?' carry no meaning for the digest. */
        const char *q = memchr(v, '?', n);

        if (q)
            n = (size_t)(q - v);
        rc = sodium_base642bin(t->digest, want, v, n, NULL, &got, &end,
                               sodium_base64_VARIANT_ORIGINAL);
    } else {
        rc = sodium_hex2bin(t->digest, want, v, n, NULL, &got, &end);
    }
    if (rc != 0 || end != v + n || got != want)
        return pg_err_set(err, "%s digest is not %zu bytes of %s", pg_sri_alg_name(t->alg), want,
                          sep == '-' ? "padded base64" : "hex");
    return 0;
}

/*
 * One whitespace-free token. Returns 1 if it was a supported digest, 0 if it
 * named an algorithm pkggate does not know, -1 if malformed.
 */
static int parse_token(struct token *t, const char *s, size_t n, struct pg_err *err)
{
    size_t a = 0;

    t->alg = PG_SRI_NONE;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
            return pg_err_set(err, "integrity holds a control or non-ASCII byte");
    while (a < n && is_lower_alnum(s[a]))
        a++;
    if (a == 0 || a == n || (s[a] != '-' && s[a] != '=' && s[a] != ':'))
        return pg_err_set(err, "'%.*s' is not <algorithm>-<base64> or <algorithm>=<hex>",
                          (int)(n > 40 ? 40 : n), s);
    if (a + 1 == n)
        return pg_err_set(err, "'%.*s' has an empty digest", (int)a, s);
    t->alg = alg_of(s, a);
    if (t->alg == PG_SRI_NONE)
        return 0;
    return decode(t, s[a], s + a + 1, n - a - 1, err) < 0 ? -1 : 1;
}

int pg_sri_parse(struct pg_sri *out, const char *text, struct pg_err *err)
{
    struct token t;
    size_t len, ntok = 0;
    const char *p;

    memset(out, 0, sizeof(*out));
    if (!text || !*text)
        return pg_err_set(err, "integrity is empty");
    len = strnlen(text, PG_SRI_MAX_TEXT + 1);
    if (len > PG_SRI_MAX_TEXT)
        return pg_err_set(err, "integrity is longer than %d bytes", PG_SRI_MAX_TEXT);
    for (p = text; *p;) {
        size_t n = 0;
        int rc;

        while (is_space(*p))
            p++;
        while (p[n] && !is_space(p[n]))
            n++;
        if (n == 0)
            break;
        if (++ntok > PG_SRI_MAX_TOKENS)
            return pg_err_set(err, "integrity has more than %d digests", PG_SRI_MAX_TOKENS);
        rc = parse_token(&t, p, n, err);
        p += n;
        if (rc < 0)
            goto fail;
        if (rc == 0 || t.alg < out->alg)
            continue;
        if (t.alg > out->alg) {
            out->alg = t.alg;
            out->n = 0;
        }
        memcpy(out->digest[out->n++], t.digest, sizeof(t.digest));
    }
    if (ntok == 0)
        return pg_err_set(err, "integrity is empty");
    if (out->alg == PG_SRI_NONE)
        return pg_err_set(err, "integrity names no supported algorithm (sha512, sha256, sha1)");
    return 0;
fail:
    memset(out, 0, sizeof(*out));
    return -1;
}

/* Append "alg-<base64>" of a digest to buf. */
static void sri_text(char *buf, size_t bufsz, enum pg_sri_alg alg, const unsigned char *d)
{
    char b64[sodium_base64_ENCODED_LEN(PG_SRI_MAX_DIGEST, sodium_base64_VARIANT_ORIGINAL)];

    sodium_bin2base64(b64, sizeof(b64), d, digest_len(alg), sodium_base64_VARIANT_ORIGINAL);
    snprintf(buf, bufsz, "%s-%s", pg_sri_alg_name(alg), b64);
}

static int compare(const struct pg_sri *want, const unsigned char *got, struct pg_err *err)
{
    size_t n = digest_len(want->alg);
    char w[100], g[100];

    for (size_t i = 0; i < want->n; i++)
        if (sodium_memcmp(want->digest[i], got, n) == 0)
            return 0;
    sri_text(w, sizeof(w), want->alg, want->digest[0]);
    sri_text(g, sizeof(g), want->alg, got);
    return pg_err_set(err, "integrity mismatch: expected %s, got %s", w, g);
}

void pg_sri_hasher_init(struct pg_sri_hasher *h, const struct pg_sri *sri)
{
    h->want = *sri;
    h->state = NULL;
    switch (sri->alg) {
    case PG_SRI_SHA512:
        h->state = pg_xmalloc(sizeof(crypto_hash_sha512_state));
        crypto_hash_sha512_init(h->state);
        break;
    case PG_SRI_SHA256:
        h->state = pg_xmalloc(sizeof(crypto_hash_sha256_state));
        crypto_hash_sha256_init(h->state);
        break;
    case PG_SRI_SHA1:
        /* OpenSSL only here: libsodium has no SHA-1, on purpose. */
        h->state = EVP_MD_CTX_new();
        if (!h->state || EVP_DigestInit_ex(h->state, EVP_sha1(), NULL) != 1)
            abort(); /* out of memory, like pg_xmalloc */
        break;
    case PG_SRI_NONE:
        break;
    }
}

void pg_sri_hasher_update(struct pg_sri_hasher *h, const void *data, size_t len)
{
    if (!h->state)
        return;
    switch (h->want.alg) {
    case PG_SRI_SHA512:
        crypto_hash_sha512_update(h->state, data, len);
        break;
    case PG_SRI_SHA256:
        crypto_hash_sha256_update(h->state, data, len);
        break;
    case PG_SRI_SHA1:
        if (EVP_DigestUpdate(h->state, data, len) != 1)
            abort();
        break;
    case PG_SRI_NONE:
        break;
    }
}

void pg_sri_hasher_release(struct pg_sri_hasher *h)
{
    if (h->want.alg == PG_SRI_SHA1)
        EVP_MD_CTX_free(h->state);
    else
        free(h->state);
    h->state = NULL;
}

int pg_sri_hasher_final(struct pg_sri_hasher *h, struct pg_err *err)
{
    unsigned char got[PG_SRI_MAX_DIGEST];
    int rc = -1;

    if (!h->state) {
        pg_err_set(err, "integrity has no supported digest to check against");
        goto out;
    }
    switch (h->want.alg) {
    case PG_SRI_SHA512:
        crypto_hash_sha512_final(h->state, got);
        break;
    case PG_SRI_SHA256:
        crypto_hash_sha256_final(h->state, got);
        break;
    case PG_SRI_SHA1:
        if (EVP_DigestFinal_ex(h->state, got, NULL) != 1)
            abort();
        break;
    case PG_SRI_NONE:
        break;
    }
    rc = compare(&h->want, got, err);
out:
    pg_sri_hasher_release(h);
    return rc;
}

int pg_sri_verify(const struct pg_sri *sri, const void *data, size_t len, struct pg_err *err)
{
    struct pg_sri_hasher h;

    pg_sri_hasher_init(&h, sri);
    pg_sri_hasher_update(&h, data, len);
    return pg_sri_hasher_final(&h, err);
}

int pg_sri_check(const char *integrity, const void *data, size_t len, struct pg_err *err)
{
    struct pg_sri sri;

    if (pg_sri_parse(&sri, integrity, err) < 0)
        return -1;
    return pg_sri_verify(&sri, data, len, err);
}
