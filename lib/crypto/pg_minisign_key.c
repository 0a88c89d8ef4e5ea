/*
 * pg_minisign_key.c - minisign secret keys: generate, parse, decrypt, save.
 *
 * Every copy of secret material sits in sodium_malloc'd memory (guard pages,
 * mlock'd, wiped by sodium_free); the few stack temporaries are wiped with
 * sodium_memzero before returning.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "pg_minisign_int.h"
#include "banned.h"

static struct pg_minisign_seckey *sk_alloc(struct pg_err *err)
{
    struct pg_minisign_seckey *sk = sodium_malloc(sizeof(*sk));

    if (!sk) {
        pg_err_set(err, "cannot allocate secure memory for a secret key");
        return NULL;
    }
    sodium_memzero(sk, sizeof(*sk));
    return sk;
}

void pg_minisign_seckey_free(struct pg_minisign_seckey *sk)
{
    if (sk)
        sodium_free(sk);
}

/* minisign's checksum: BLAKE2b-256("Ed" || keynum || sk). */
static void seckey_chk(const unsigned char *blob, unsigned char out[crypto_generichash_BYTES])
{
    crypto_generichash_state st;

    crypto_generichash_init(&st, NULL, 0, crypto_generichash_BYTES);
    crypto_generichash_update(&st, blob + SK_ALG, 2);
    crypto_generichash_update(&st, blob + SK_KEYNUM, PG_MINISIGN_KEYNUM_BYTES);
    crypto_generichash_update(&st, blob + SK_SK, crypto_sign_SECRETKEYBYTES);
    crypto_generichash_final(&st, out, crypto_generichash_BYTES);
    sodium_memzero(&st, sizeof(st));
}

/*
 * Check a clear blob. An encrypted key must match its checksum (that is how
 * a wrong password shows). minisign -W leaves the checksum zero, so there a
 * zero one is accepted. Either way the seed must yield the stored Ed25519
 * key, which catches a corrupt file before it signs anything.
 */
static int seckey_check(const unsigned char *blob, int encrypted, struct pg_err *err)
{
    unsigned char chk[crypto_generichash_BYTES];
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    int chk_ok, key_ok;

    seckey_chk(blob, chk);
    chk_ok = sodium_memcmp(chk, blob + SK_CHK, sizeof(chk)) == 0 ||
             (!encrypted && sodium_is_zero(blob + SK_CHK, sizeof(chk)));
    crypto_sign_seed_keypair(pk, sk, blob + SK_SK);
    key_ok = sodium_memcmp(sk, blob + SK_SK, sizeof(sk)) == 0;
    sodium_memzero(chk, sizeof(chk));
    sodium_memzero(sk, sizeof(sk));
    if (!chk_ok)
        return pg_err_set(err, encrypted ? "wrong password for that key"
                                         : "secret key checksum mismatch (corrupt key file)");
    if (!key_ok)
        return pg_err_set(err, "secret key is inconsistent (corrupt key file)");
    return 0;
}

int pg_minisign_keygen(struct pg_minisign_seckey **out, struct pg_minisign_pubkey *pk,
                       struct pg_err *err)
{
    struct pg_minisign_seckey *sk = sk_alloc(err);

    *out = NULL;
    if (!sk)
        return -1;
    memcpy(sk->blob + SK_ALG, ALG_LEGACY, 2);
    memcpy(sk->blob + SK_CHKALG, CHK_BLAKE2, 2);
    randombytes_buf(sk->blob + SK_KEYNUM, PG_MINISIGN_KEYNUM_BYTES);
    crypto_sign_keypair(pk->pk, sk->blob + SK_SK);
    memcpy(pk->keynum, sk->blob + SK_KEYNUM, PG_MINISIGN_KEYNUM_BYTES);
    seckey_chk(sk->blob, sk->blob + SK_CHK);
    *out = sk;
    return 0;
}

/* Decode and check the key line into sk; the caller has found the line. */
static int seckey_blob(struct pg_minisign_seckey *sk, const char *b64, size_t len,
                       struct pg_err *err)
{
    static const unsigned char none[2] = {0, 0};

    if (b64_exact(sk->blob, SK_BYTES, b64, len) < 0)
        return pg_err_set(err, "secret key is not base64 of a %d-byte minisign key", SK_BYTES);
    if (memcmp(sk->blob + SK_ALG, ALG_LEGACY, 2) != 0)
        return pg_err_set(err, "secret key: unsupported signature algorithm");
    if (memcmp(sk->blob + SK_CHKALG, CHK_BLAKE2, 2) != 0)
        return pg_err_set(err, "secret key: unsupported checksum function");
    if (memcmp(sk->blob + SK_KDF, KDF_SCRYPT, 2) == 0) {
        sk->locked = 1;
        return 0;
    }
    if (memcmp(sk->blob + SK_KDF, none, 2) != 0)
        return pg_err_set(err, "secret key: unsupported key derivation function");
    return seckey_check(sk->blob, 0, err);
}

int pg_minisign_seckey_parse(const char *text, size_t len, struct pg_minisign_seckey **out,
                             struct pg_err *err)
{
    struct lines ls = {text, text + len};
    struct pg_minisign_seckey *sk;
    const char *line;
    size_t n;

    *out = NULL;
    if (!next_line(&ls, &line, &n) || !has_prefix(line, n, "untrusted comment:"))
        return pg_err_set(err, "secret key: line 1 must start with '" UC_PREFIX "'");
    if (!next_line(&ls, &line, &n))
        return pg_err_set(err, "secret key: truncated (no key line)");
    if (!rest_is_blank(&ls))
        return pg_err_set(err, "secret key: unexpected text after the key line");
    sk = sk_alloc(err);
    if (!sk)
        return -1;
    if (seckey_blob(sk, line, n, err) < 0) {
        pg_minisign_seckey_free(sk);
        return -1;
    }
    *out = sk;
    return 0;
}

int pg_minisign_seckey_load(const char *path, struct pg_minisign_seckey **out, struct pg_err *err)
{
    /* Read straight into secure memory: pg_read_file would leave copies. */
    char *buf = sodium_malloc(PG_MINISIGN_KEYFILE_MAX + 1);
    size_t len = 0;
    int fd = -1, ret = -1;

    *out = NULL;
    if (!buf)
        return pg_err_set(err, "cannot allocate secure memory for a secret key");
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        pg_err_set(err, "%s: %s", path, strerror(errno));
        goto out;
    }
    for (;;) {
        ssize_t r = read(fd, buf + len, PG_MINISIGN_KEYFILE_MAX + 1 - len);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            pg_err_set(err, "%s: %s", path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        len += (size_t)r;
        if (len > PG_MINISIGN_KEYFILE_MAX) {
            pg_err_set(err, "%s: larger than %d bytes", path, PG_MINISIGN_KEYFILE_MAX);
            goto out;
        }
    }
    ret = pg_minisign_seckey_parse(buf, len, out, err);
    if (ret < 0)
        pg_err_prefix(err, "%s: ", path);
out:
    if (fd >= 0)
        close(fd);
    sodium_free(buf);
    return ret;
}

int pg_minisign_seckey_locked(const struct pg_minisign_seckey *sk)
{
    return sk->locked;
}

/* XOR the secret tail of blob with scrypt(password, salt, ops, mem). */
static int kdf_xor(unsigned char *blob, const char *pw, size_t pw_len, uint64_t ops, uint64_t mem)
{
    unsigned char *stream = sodium_malloc(SK_SECRET_LEN);
    int rc;

    if (!stream)
        return -1;
    rc = crypto_pwhash_scryptsalsa208sha256(stream, SK_SECRET_LEN, pw, pw_len, blob + SK_SALT,
                                            (unsigned long long)ops, (size_t)mem);
    if (rc == 0)
        for (size_t i = 0; i < SK_SECRET_LEN; i++)
            blob[SK_KEYNUM + i] ^= stream[i];
    sodium_free(stream);
    return rc;
}

int pg_minisign_seckey_decrypt(struct pg_minisign_seckey *sk, const char *password,
                               size_t password_len, struct pg_err *err)
{
    uint64_t ops = le64_load(sk->blob + SK_OPS), mem = le64_load(sk->blob + SK_MEM);
    unsigned char *tmp;
    int ret = -1;

    if (!sk->locked)
        return 0;
    if (password_len > PG_MINISIGN_PASSWORD_MAX)
        return pg_err_set(err, "password longer than %d bytes", PG_MINISIGN_PASSWORD_MAX);
    if (ops > PG_MINISIGN_KDF_OPS_MAX || mem > PG_MINISIGN_KDF_MEM_MAX || mem > SIZE_MAX)
        return pg_err_set(err, "secret key asks for excessive scrypt limits");
    tmp = sodium_malloc(SK_BYTES);
    if (!tmp)
        return pg_err_set(err, "cannot allocate secure memory for a secret key");
    memcpy(tmp, sk->blob, SK_BYTES);
    if (kdf_xor(tmp, password, password_len, ops, mem) != 0) {
        pg_err_set(err, "key derivation failed (not enough memory?)");
        goto out;
    }
    /* Only a key that checks out replaces the locked one. */
    if (seckey_check(tmp, 1, err) < 0)
        goto out;
    memcpy(sk->blob, tmp, SK_BYTES);
    sk->locked = 0;
    ret = 0;
out:
    sodium_free(tmp);
    return ret;
}

int pg_minisign_seckey_pubkey(const struct pg_minisign_seckey *sk, struct pg_minisign_pubkey *pk,
                              struct pg_err *err)
{
    if (sk->locked)
        return pg_err_set(err, "secret key is still encrypted");
    memcpy(pk->keynum, sk->blob + SK_KEYNUM, PG_MINISIGN_KEYNUM_BYTES);
    /* An Ed25519 secret key is seed || public key. */
    memcpy(pk->pk, sk->blob + SK_SK + crypto_sign_SECRETKEYBYTES - PG_MINISIGN_PK_BYTES,
           PG_MINISIGN_PK_BYTES);
    return 0;
}

/* Encrypt blob in place with a fresh salt; halve the limits if memory is short. */
static int encrypt_blob(unsigned char *blob, const struct pg_minisign_save_opts *o,
                        struct pg_err *err)
{
    uint64_t ops = o->kdf_ops ? o->kdf_ops : PG_MINISIGN_KDF_OPS_DEFAULT;
    uint64_t mem = o->kdf_mem ? o->kdf_mem : PG_MINISIGN_KDF_MEM_DEFAULT;

    if (o->password_len > PG_MINISIGN_PASSWORD_MAX)
        return pg_err_set(err, "password longer than %d bytes", PG_MINISIGN_PASSWORD_MAX);
    if (ops > PG_MINISIGN_KDF_OPS_MAX || mem > PG_MINISIGN_KDF_MEM_MAX)
        return pg_err_set(err, "scrypt limits too large");
    memcpy(blob + SK_KDF, KDF_SCRYPT, 2);
    randombytes_buf(blob + SK_SALT, crypto_pwhash_scryptsalsa208sha256_SALTBYTES);
    while (kdf_xor(blob, o->password, o->password_len, ops, mem) != 0) {
        ops /= 2;
        mem /= 2;
        if (ops < crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN ||
            mem < crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN)
            return pg_err_set(err, "key derivation failed (not enough memory)");
    }
    le64_store(blob + SK_OPS, ops);
    le64_store(blob + SK_MEM, mem);
    return 0;
}

int pg_minisign_seckey_save(const struct pg_minisign_seckey *sk, const char *path,
                            const struct pg_minisign_save_opts *opts, struct pg_err *err)
{
    const char *comment = opts->comment;
    unsigned char *blob = NULL;
    char *text = NULL;
    size_t b64cap = sodium_base64_ENCODED_LEN(SK_BYTES, sodium_base64_VARIANT_ORIGINAL);
    size_t cap, len;
    int ret = -1;

    if (sk->locked)
        return pg_err_set(err, "secret key is still encrypted");
    if (!comment)
        comment =
            opts->password ? "minisign encrypted secret key" : "minisign unencrypted secret key";
    if (strlen(comment) > PG_MINISIGN_UC_MAX || !one_line(comment, strlen(comment)))
        return pg_err_set(err, "untrusted comment must be one line of at most %d bytes",
                          PG_MINISIGN_UC_MAX);
    cap = strlen(UC_PREFIX) + strlen(comment) + 1 + b64cap + 1;
    blob = sodium_malloc(SK_BYTES);
    text = sodium_malloc(cap);
    if (!blob || !text) {
        pg_err_set(err, "cannot allocate secure memory for a secret key");
        goto out;
    }
    memcpy(blob, sk->blob, SK_BYTES);
    memset(blob + SK_KDF, 0, SK_KEYNUM - SK_KDF);
    memcpy(blob + SK_CHKALG, CHK_BLAKE2, 2);
    seckey_chk(blob, blob + SK_CHK);
    if (opts->password && encrypt_blob(blob, opts, err) < 0)
        goto out;
    len = (size_t)snprintf(text, cap, UC_PREFIX "%s\n", comment);
    sodium_bin2base64(text + len, cap - len, blob, SK_BYTES, sodium_base64_VARIANT_ORIGINAL);
    len += strlen(text + len);
    text[len++] = '\n';
    ret = pg_minisign_write_file(path, text, len, 0600, opts->overwrite, err);
out:
    if (blob)
        sodium_free(blob);
    if (text)
        sodium_free(text);
    return ret;
}

int pg_minisign_write_file(const char *path, const void *data, size_t len, unsigned mode,
                           int overwrite, struct pg_err *err)
{
    /* mkstemp creates the file 0600, so a secret is never readable by others. */
    char *tmp = pg_xasprintf("%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp), made = fd >= 0, ret = -1;

    if (fd < 0) {
        pg_err_set(err, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (pg_write_all(fd, data, len) < 0 || fchmod(fd, (mode_t)mode) < 0 || fsync(fd) < 0) {
        pg_err_set(err, "%s: %s", tmp, strerror(errno));
        goto out;
    }
    if (close(fd) < 0) {
        fd = -1;
        pg_err_set(err, "%s: %s", tmp, strerror(errno));
        goto out;
    }
    fd = -1;
    /* link() refuses to replace an existing file, atomically; rename() replaces. */
    if (overwrite ? rename(tmp, path) < 0 : link(tmp, path) < 0) {
        if (errno == EEXIST)
            pg_err_set(err, "%s: already exists", path);
        else
            pg_err_set(err, "%s: %s", path, strerror(errno));
        goto out;
    }
    ret = 0;
out:
    if (fd >= 0)
        close(fd);
    if (made && !(ret == 0 && overwrite))
        unlink(tmp);
    free(tmp);
    return ret;
}
