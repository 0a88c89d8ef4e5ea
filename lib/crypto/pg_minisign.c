/*
 * pg_minisign.c - public keys, signatures, verification, signing and the
 * trusted comment. Secret keys live in pg_minisign_key.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "pg_minisign_int.h"
#include "pg_time.h"
#include "banned.h"

struct pg_minisign_sig {
    unsigned char blob[SIG_BLOB]; /* alg || keynum || sig */
    unsigned char global_sig[SIG_BYTES];
    char *tc; /* not trusted until verified */
    size_t tc_len;
};

void pg_minisign_keyid(const unsigned char keynum[PG_MINISIGN_KEYNUM_BYTES],
                       char out[PG_MINISIGN_KEYID_LEN])
{
    (void)snprintf(out, PG_MINISIGN_KEYID_LEN, "%016" PRIX64, le64_load(keynum));
}

/* ---- public keys ------------------------------------------------------ */

static int pubkey_from_b64(struct pg_minisign_pubkey *pk, const char *b64, size_t len,
                           struct pg_err *err)
{
    unsigned char blob[PK_BLOB];

    if (b64_exact(blob, sizeof(blob), b64, len) < 0)
        return pg_err_set(err, "public key is not base64 of a %d-byte minisign key", PK_BLOB);
    if (memcmp(blob, ALG_LEGACY, 2) != 0)
        return pg_err_set(err, "public key: unsupported signature algorithm (want Ed25519)");
    memcpy(pk->keynum, blob + 2, PG_MINISIGN_KEYNUM_BYTES);
    memcpy(pk->pk, blob + 2 + PG_MINISIGN_KEYNUM_BYTES, PG_MINISIGN_PK_BYTES);
    return 0;
}

int pg_minisign_pubkey_parse(struct pg_minisign_pubkey *pk, const char *text, size_t len,
                             struct pg_err *err)
{
    struct lines ls;
    const char *line;
    size_t n;

    while (len && is_blank(*text)) {
        text++;
        len--;
    }
    ls.p = text;
    ls.end = text + len;
    if (has_prefix(text, len, "untrusted comment:")) {
        /* File form: skip the comment; the key is the next line. */
        if (!next_line(&ls, &line, &n) || !next_line(&ls, &line, &n))
            return pg_err_set(err, "public key file has no key line");
    } else if (!next_line(&ls, &line, &n)) {
        return pg_err_set(err, "empty public key");
    }
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    if (!rest_is_blank(&ls))
        return pg_err_set(err, "public key: unexpected text after the key line");
    return pubkey_from_b64(pk, line, n, err);
}

int pg_minisign_pubkey_load(struct pg_minisign_pubkey *pk, const char *path, struct pg_err *err)
{
    char *text = NULL;
    size_t len = 0;
    int ret;

    if (pg_read_file(path, PG_MINISIGN_KEYFILE_MAX, &text, &len, err) < 0)
        return -1;
    ret = pg_minisign_pubkey_parse(pk, text, len, err);
    if (ret < 0)
        pg_err_prefix(err, "%s: ", path);
    free(text);
    return ret;
}

void pg_minisign_pubkey_base64(const struct pg_minisign_pubkey *pk,
                               char out[PG_MINISIGN_PUBKEY_B64_LEN])
{
    unsigned char blob[PK_BLOB];

    memcpy(blob, ALG_LEGACY, 2);
    memcpy(blob + 2, pk->keynum, PG_MINISIGN_KEYNUM_BYTES);
    memcpy(blob + 2 + PG_MINISIGN_KEYNUM_BYTES, pk->pk, PG_MINISIGN_PK_BYTES);
    sodium_bin2base64(out, PG_MINISIGN_PUBKEY_B64_LEN, blob, sizeof(blob),
                      sodium_base64_VARIANT_ORIGINAL);
}

char *pg_minisign_pubkey_format(const struct pg_minisign_pubkey *pk)
{
    char id[PG_MINISIGN_KEYID_LEN], b64[PG_MINISIGN_PUBKEY_B64_LEN];

    pg_minisign_keyid(pk->keynum, id);
    pg_minisign_pubkey_base64(pk, b64);
    return pg_xasprintf(UC_PREFIX "minisign public key %s\n%s\n", id, b64);
}

/* ---- signatures ------------------------------------------------------- */

static int sig_lines(struct pg_minisign_sig *sig, const char *l[4], const size_t n[4],
                     struct pg_err *err)
{
    size_t tp = strlen(TC_PREFIX);

    if (!has_prefix(l[0], n[0], UC_PREFIX))
        return pg_err_set(err, "signature: line 1 must start with '" UC_PREFIX "'");
    if (n[0] - strlen(UC_PREFIX) > PG_MINISIGN_UC_MAX || !one_line(l[0], n[0]))
        return pg_err_set(err, "signature: bad untrusted comment");
    if (b64_exact(sig->blob, SIG_BLOB, l[1], n[1]) < 0)
        return pg_err_set(err, "signature: line 2 is not base64 of a %d-byte signature", SIG_BLOB);
    if (memcmp(sig->blob, ALG_HASHED, 2) != 0 && memcmp(sig->blob, ALG_LEGACY, 2) != 0)
        return pg_err_set(err, "signature: unsupported signature algorithm (want ED or Ed)");
    if (!has_prefix(l[2], n[2], TC_PREFIX))
        return pg_err_set(err, "signature: line 3 must start with '" TC_PREFIX "'");
    if (n[2] - tp > PG_MINISIGN_TC_MAX || !one_line(l[2], n[2]))
        return pg_err_set(err, "signature: trusted comment too long or not one line");
    if (b64_exact(sig->global_sig, SIG_BYTES, l[3], n[3]) < 0)
        return pg_err_set(err, "signature: line 4 is not base64 of a %d-byte signature", SIG_BYTES);
    sig->tc = pg_xstrndup(l[2] + tp, n[2] - tp);
    sig->tc_len = n[2] - tp;
    return 0;
}

int pg_minisign_sig_parse(const char *text, size_t len, struct pg_minisign_sig **out,
                          struct pg_err *err)
{
    struct pg_minisign_sig *sig;
    struct lines ls = {text, text + len};
    const char *l[4];
    size_t n[4];

    *out = NULL;
    if (len > PG_MINISIGN_SIGFILE_MAX)
        return pg_err_set(err, "signature: larger than %d bytes", PG_MINISIGN_SIGFILE_MAX);
    for (int i = 0; i < 4; i++)
        if (!next_line(&ls, &l[i], &n[i]))
            return pg_err_set(err, "signature: truncated (%d of 4 lines)", i);
    if (!rest_is_blank(&ls))
        return pg_err_set(err, "signature: unexpected text after line 4");
    sig = pg_xcalloc(1, sizeof(*sig));
    if (sig_lines(sig, l, n, err) < 0) {
        pg_minisign_sig_free(sig);
        return -1;
    }
    *out = sig;
    return 0;
}

void pg_minisign_sig_free(struct pg_minisign_sig *sig)
{
    if (!sig)
        return;
    free(sig->tc);
    free(sig);
}

void pg_minisign_sig_keyid(const struct pg_minisign_sig *sig, char out[PG_MINISIGN_KEYID_LEN])
{
    pg_minisign_keyid(sig->blob + 2, out);
}

int pg_minisign_sig_prehashed(const struct pg_minisign_sig *sig)
{
    return memcmp(sig->blob, ALG_HASHED, 2) == 0;
}

/* Verify sig64 over sig[64] || tc, the "global" signature. */
static int verify_global(const unsigned char *gsig, const unsigned char *sig, const char *tc,
                         size_t tc_len, const unsigned char *pk)
{
    unsigned char *buf = pg_xmalloc(SIG_BYTES + tc_len);
    int rc;

    memcpy(buf, sig, SIG_BYTES);
    memcpy(buf + SIG_BYTES, tc, tc_len);
    rc = crypto_sign_verify_detached(gsig, buf, SIG_BYTES + tc_len, pk);
    free(buf);
    return rc;
}

int pg_minisign_verify(const struct pg_minisign_pubkey *pk, const struct pg_minisign_sig *sig,
                       const void *msg, size_t msg_len, unsigned flags, char **trusted_comment,
                       struct pg_err *err)
{
    unsigned char hash[HASH_BYTES];
    const unsigned char *m = msg ? msg : (const unsigned char *)"";
    const unsigned char *s = sig->blob + 2 + PG_MINISIGN_KEYNUM_BYTES;
    char got[PG_MINISIGN_KEYID_LEN], want[PG_MINISIGN_KEYID_LEN];

    if (trusted_comment)
        *trusted_comment = NULL;
    if ((flags & PG_MINISIGN_REQUIRE_PREHASHED) && !pg_minisign_sig_prehashed(sig))
        return pg_err_set(err, "legacy (not pre-hashed) signature refused");
    if (memcmp(sig->blob + 2, pk->keynum, PG_MINISIGN_KEYNUM_BYTES) != 0) {
        pg_minisign_sig_keyid(sig, got);
        pg_minisign_keyid(pk->keynum, want);
        return pg_err_set(err, "signed by key %s, expected %s", got, want);
    }
    if (pg_minisign_sig_prehashed(sig)) {
        crypto_generichash(hash, sizeof(hash), m, msg_len, NULL, 0);
        m = hash;
        msg_len = sizeof(hash);
    }
    if (crypto_sign_verify_detached(s, m, msg_len, pk->pk) != 0)
        return pg_err_set(err, "signature verification failed: the file or signature was altered");
    if (verify_global(sig->global_sig, s, sig->tc, sig->tc_len, pk->pk) != 0)
        return pg_err_set(err, "trusted comment signature verification failed");
    if (trusted_comment)
        *trusted_comment = pg_xstrndup(sig->tc, sig->tc_len);
    return 0;
}

/* ---- signing ---------------------------------------------------------- */

/* Build the four .minisig lines for a finished signature. Caller frees. */
static char *sig_text(const char *uc, const unsigned char blob[SIG_BLOB], const char *tc,
                      const unsigned char gsig[SIG_BYTES])
{
    char *b1 = b64_encode(blob, SIG_BLOB);
    char *b2 = b64_encode(gsig, SIG_BYTES);
    char *text = pg_xasprintf(UC_PREFIX "%s\n%s\n" TC_PREFIX "%s\n%s\n", uc, b1, tc, b2);

    free(b1);
    free(b2);
    return text;
}

/* Read the new signature back as a verifier will, so a bad key never ships one. */
static int self_check(const struct pg_minisign_pubkey *pk, const char *text, const void *msg,
                      size_t msg_len, struct pg_err *err)
{
    struct pg_minisign_sig *sig = NULL;
    int ret = -1;

    if (pg_minisign_sig_parse(text, strlen(text), &sig, err) < 0 ||
        pg_minisign_verify(pk, sig, msg, msg_len, 0, NULL, err) < 0) {
        pg_err_prefix(err, "new signature failed its own check: ");
        goto out;
    }
    ret = 0;
out:
    pg_minisign_sig_free(sig);
    return ret;
}

int pg_minisign_sign(const struct pg_minisign_seckey *sk, const void *msg, size_t msg_len,
                     const char *trusted_comment, const char *untrusted_comment, unsigned flags,
                     char **out, struct pg_err *err)
{
    struct pg_minisign_pubkey pk;
    unsigned char blob[SIG_BLOB], gsig[SIG_BYTES], hash[HASH_BYTES];
    const unsigned char *m = msg ? msg : (const unsigned char *)"";
    size_t m_len = msg_len, tc_len;
    unsigned char *buf;
    char *text;
    int legacy = (flags & PG_MINISIGN_LEGACY) != 0;

    *out = NULL;
    if (!untrusted_comment)
        untrusted_comment = "signature from pkggate secret key";
    tc_len = trusted_comment ? strlen(trusted_comment) : 0;
    if (!trusted_comment || tc_len > PG_MINISIGN_TC_MAX || !one_line(trusted_comment, tc_len))
        return pg_err_set(err, "trusted comment must be one line of at most %d bytes",
                          PG_MINISIGN_TC_MAX);
    if (strlen(untrusted_comment) > PG_MINISIGN_UC_MAX ||
        !one_line(untrusted_comment, strlen(untrusted_comment)))
        return pg_err_set(err, "untrusted comment must be one line of at most %d bytes",
                          PG_MINISIGN_UC_MAX);
    if (pg_minisign_seckey_pubkey(sk, &pk, err) < 0)
        return -1;
    memcpy(blob, legacy ? ALG_LEGACY : ALG_HASHED, 2);
    memcpy(blob + 2, pk.keynum, PG_MINISIGN_KEYNUM_BYTES);
    if (!legacy) {
        crypto_generichash(hash, sizeof(hash), m, m_len, NULL, 0);
        m = hash;
        m_len = sizeof(hash);
    }
    crypto_sign_detached(blob + 2 + PG_MINISIGN_KEYNUM_BYTES, NULL, m, m_len, sk->blob + SK_SK);
    buf = pg_xmalloc(SIG_BYTES + tc_len);
    memcpy(buf, blob + 2 + PG_MINISIGN_KEYNUM_BYTES, SIG_BYTES);
    memcpy(buf + SIG_BYTES, trusted_comment, tc_len);
    crypto_sign_detached(gsig, NULL, buf, SIG_BYTES + tc_len, sk->blob + SK_SK);
    free(buf);
    text = sig_text(untrusted_comment, blob, trusted_comment, gsig);
    if (self_check(&pk, text, msg, msg_len, err) < 0) {
        free(text);
        return -1;
    }
    *out = text;
    return 0;
}

/* ---- trusted comment -------------------------------------------------- */

int pg_minisign_parse_expires(const char *s, int64_t *out, struct pg_err *err)
{
    size_t n = strlen(s);
    int64_t t;
    /* Only the two forms pkggate writes: no fraction, no offset. */
    int form = n == 10 || (n == 20 && s[19] == 'Z') ? pg_time_scan(s, &t) : PG_TIME_BAD_SHAPE;

    if (form == PG_TIME_BAD_SHAPE)
        return pg_err_set(err, "bad expiry '%s' (want YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)", s);
    if (form < 0)
        return pg_err_set(err, "expiry '%s' is not a real date and time", s);
    *out = t;
    return 0;
}

static int key_is(const char *k, size_t klen, const char *name)
{
    return klen == strlen(name) && memcmp(k, name, klen) == 0;
}

/* One "key:value" field; unknown keys are someone else's and are skipped. */
static int tc_field(struct pg_minisign_tc *tc, const char *k, size_t klen, const char *v,
                    size_t vlen, struct pg_err *err)
{
    char buf[32];
    int *seen = key_is(k, klen, "timestamp") ? &tc->has_timestamp
                : key_is(k, klen, "serial")  ? &tc->has_serial
                : key_is(k, klen, "expires") ? &tc->has_expires
                                             : NULL;

    if (key_is(k, klen, "file")) {
        if (tc->file)
            return pg_err_set(err, "trusted comment: 'file' given twice");
        tc->file = pg_xstrndup(v, vlen);
        return 0;
    }
    if (!seen)
        return 0;
    if (*seen)
        return pg_err_set(err, "trusted comment: '%.*s' given twice", (int)klen, k);
    if (vlen >= sizeof(buf))
        return pg_err_set(err, "trusted comment: '%.*s' value too long", (int)klen, k);
    memcpy(buf, v, vlen);
    buf[vlen] = '\0';
    *seen = 1;
    if (seen == &tc->has_expires)
        return pg_minisign_parse_expires(buf, &tc->expires, err);
    if (pg_parse_u64(buf, UINT64_MAX, seen == &tc->has_serial ? &tc->serial : &tc->timestamp) < 0)
        return pg_err_set(err, "trusted comment: bad %.*s '%s'", (int)klen, k, buf);
    return 0;
}

int pg_minisign_tc_parse(struct pg_minisign_tc *tc, const char *comment, struct pg_err *err)
{
    struct pg_minisign_tc t = PG_MINISIGN_TC_INIT;
    const char *p = comment;

    while (*p) {
        const char *end = strchr(p, '\t');
        const char *colon;

        if (!end)
            end = p + strlen(p);
        colon = memchr(p, ':', (size_t)(end - p));
        if (colon &&
            tc_field(&t, p, (size_t)(colon - p), colon + 1, (size_t)(end - colon - 1), err) < 0) {
            pg_minisign_tc_release(&t);
            return -1;
        }
        p = *end ? end + 1 : end;
    }
    *tc = t;
    return 0;
}

void pg_minisign_tc_release(struct pg_minisign_tc *tc)
{
    struct pg_minisign_tc empty = PG_MINISIGN_TC_INIT;

    free(tc->file);
    *tc = empty;
}

int pg_minisign_tc_build(const char *base, const char *file, uint64_t now, const uint64_t *serial,
                         const char *expires, int prehashed, char **out, struct pg_err *err)
{
    struct pg_sb sb = PG_SB_INIT;
    struct pg_minisign_tc tc = PG_MINISIGN_TC_INIT;
    int defaulted = !base || !*base;
    int64_t when;
    int ret = -1;

    *out = NULL;
    if (!defaulted) {
        pg_sb_adds(&sb, base);
    } else {
        const char *name = file ? strrchr(file, '/') : NULL;

        name = name ? name + 1 : file;
        pg_sb_addf(&sb, "timestamp:%" PRIu64, now);
        if (name && strchr(name, '\t')) {
            pg_err_set(err, "file name contains a tab");
            goto out;
        }
        if (name)
            pg_sb_addf(&sb, "\tfile:%s", name);
    }
    if (serial)
        pg_sb_addf(&sb, "\tserial:%" PRIu64, *serial);
    if (expires && pg_minisign_parse_expires(expires, &when, err) < 0)
        goto out;
    if (expires)
        pg_sb_addf(&sb, "\texpires:%s", expires);
    if (defaulted && prehashed)
        pg_sb_adds(&sb, "\thashed");
    if (sb.len > PG_MINISIGN_TC_MAX || !one_line(pg_sb_str(&sb), sb.len)) {
        pg_err_set(err, "trusted comment must be one line of at most %d bytes", PG_MINISIGN_TC_MAX);
        goto out;
    }
    if (pg_minisign_tc_parse(&tc, pg_sb_str(&sb), err) < 0)
        goto out;
    *out = pg_sb_detach(&sb);
    ret = 0;
out:
    pg_minisign_tc_release(&tc);
    pg_sb_release(&sb);
    return ret;
}
