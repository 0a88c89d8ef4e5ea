/*
 * pg_minisign.h - minisign-compatible Ed25519 signatures (libsodium only).
 *
 * pkggate signs its org policy with the same file formats as minisign, so a
 * policy signed with `minisign -S` verifies here and one signed by pkggate
 * verifies with `minisign -V`. Formats (all base64 is the standard alphabet
 * with padding, no line breaks; "keynum" is 8 random bytes naming the key):
 *
 *   public key  untrusted comment: <text>
 *               base64("Ed" || keynum[8] || pk[32])                 42 bytes
 *   signature   untrusted comment: <text>
 *               base64(alg[2] || keynum[8] || sig[64])              74 bytes
 *               trusted comment: <text>
 *               base64(global_sig[64])
 *   secret key  untrusted comment: <text>
 *               base64("Ed" || kdf[2] || "B2" || salt[32] || ops[8 LE] ||
 *                      mem[8 LE] || keynum[8] || sk[64] || chk[32]) 158 bytes
 *
 * alg "ED" (the default) signs BLAKE2b-512(message); legacy "Ed" signs the
 * message itself. global_sig signs sig[64] || trusted comment, which is what
 * makes the trusted comment trusted. kdf "Sc" means keynum||sk||chk is XORed
 * with scrypt(password, salt, ops, mem); kdf "\0\0" means it is stored in
 * clear (minisign -W). chk is BLAKE2b-256("Ed" || keynum || sk).
 *
 * Key ids are shown as minisign shows them: the keynum read as a
 * little-endian 64-bit number, printed as 16 upper-case hex digits.
 *
 * Errors: every function that can fail fills err with one lowercase line and
 * returns -1 (or NULL). Nothing here prints, prompts or exits; reading a
 * password is the caller's business. sodium_init() must have succeeded
 * before any function here is called.
 */
#ifndef PG_MINISIGN_H
#define PG_MINISIGN_H

#include <stddef.h>
#include <stdint.h>

#include "pg_err.h"

#define PG_MINISIGN_KEYNUM_BYTES 8
#define PG_MINISIGN_PK_BYTES     32
/* A key id as text: 16 hex digits and a NUL. */
#define PG_MINISIGN_KEYID_LEN 17
/* Base64 of the 42-byte public key blob plus NUL. */
#define PG_MINISIGN_PUBKEY_B64_LEN 57
/* Longest trusted comment minisign itself will write or read (bytes). */
#define PG_MINISIGN_TC_MAX 8173
/* Longest untrusted comment, as minisign's 1024-byte line buffer allows. */
#define PG_MINISIGN_UC_MAX 1000
/* Size caps for the files parsed here; anything larger is not ours. */
#define PG_MINISIGN_SIGFILE_MAX 16384
#define PG_MINISIGN_KEYFILE_MAX 4096
/* Longest password read or accepted (bytes), as minisign's buffer. */
#define PG_MINISIGN_PASSWORD_MAX 1023

/* A public key. Not secret, so a plain value type. */
struct pg_minisign_pubkey {
    unsigned char keynum[PG_MINISIGN_KEYNUM_BYTES];
    unsigned char pk[PG_MINISIGN_PK_BYTES];
};

/* Key id of a keynum as minisign prints it (see above) into out. */
void pg_minisign_keyid(const unsigned char keynum[PG_MINISIGN_KEYNUM_BYTES],
                       char out[PG_MINISIGN_KEYID_LEN]);

/*
 * Parse a public key from text that is either a whole minisign .pub file
 * ("untrusted comment: ..." line, then the base64 line) or just the base64
 * line, as pinned in a policy. Surrounding blank space and a final newline
 * are allowed; anything else (wrong length, bad base64, an algorithm other
 * than "Ed", extra lines) is an error. text need not be NUL-terminated.
 */
int pg_minisign_pubkey_parse(struct pg_minisign_pubkey *pk, const char *text, size_t len,
                             struct pg_err *err) PG_WARN_UNUSED;
/* Read and parse a .pub file (capped at PG_MINISIGN_KEYFILE_MAX). */
int pg_minisign_pubkey_load(struct pg_minisign_pubkey *pk, const char *path,
                            struct pg_err *err) PG_WARN_UNUSED;
/* The bare base64 line for pk (what `minisign -P` takes) into out. */
void pg_minisign_pubkey_base64(const struct pg_minisign_pubkey *pk,
                               char out[PG_MINISIGN_PUBKEY_B64_LEN]);
/* The whole .pub file text, minisign's comment included. Caller frees. */
char *pg_minisign_pubkey_format(const struct pg_minisign_pubkey *pk);

/*
 * struct pg_minisign_sig - a parsed .minisig file. Opaque on purpose: its
 * trusted comment is not trusted until pg_minisign_verify() says so, so the
 * only way to read it is through a successful verification.
 */
struct pg_minisign_sig;

/*
 * Parse .minisig text (need not be NUL-terminated). Checks the shape only:
 * four lines, both comment prefixes, base64 of the right lengths, algorithm
 * "ED" or "Ed". On success *out is set; free it with pg_minisign_sig_free.
 */
int pg_minisign_sig_parse(const char *text, size_t len, struct pg_minisign_sig **out,
                          struct pg_err *err) PG_WARN_UNUSED;
void pg_minisign_sig_free(struct pg_minisign_sig *sig);
/* Key id of the key that claims to have made sig (unverified, for messages). */
void pg_minisign_sig_keyid(const struct pg_minisign_sig *sig, char out[PG_MINISIGN_KEYID_LEN]);
/* 1 for "ED" (pre-hashed), 0 for legacy "Ed". */
int pg_minisign_sig_prehashed(const struct pg_minisign_sig *sig);

/* Flags for pg_minisign_verify. */
#define PG_MINISIGN_REQUIRE_PREHASHED 0x1u /* reject legacy "Ed" (minisign -H) */

/*
 * Verify sig over msg with pk, in minisign's order: the key id must be pk's
 * ("signed by key X, expected Y"), then the signature over the message (or
 * its BLAKE2b-512 for "ED"), then the global signature over sig ||
 * trusted comment. Only when all three hold is *trusted_comment (if not
 * NULL) set to a copy of the trusted comment; caller frees it.
 * Returns 0 when verified, -1 otherwise: every failure means "not verified".
 */
int pg_minisign_verify(const struct pg_minisign_pubkey *pk, const struct pg_minisign_sig *sig,
                       const void *msg, size_t msg_len, unsigned flags, char **trusted_comment,
                       struct pg_err *err) PG_WARN_UNUSED;

/*
 * struct pg_minisign_seckey - a secret key in sodium_malloc'd memory
 * (guard pages, locked, wiped on free). Opaque; freed with
 * pg_minisign_seckey_free, which accepts NULL.
 */
struct pg_minisign_seckey;

/* Make a new key pair. *out must be freed with pg_minisign_seckey_free. */
int pg_minisign_keygen(struct pg_minisign_seckey **out, struct pg_minisign_pubkey *pk,
                       struct pg_err *err) PG_WARN_UNUSED;
/*
 * Parse secret key file text. An unencrypted key (kdf "\0\0") is checked and
 * usable at once; an encrypted one ("Sc") needs pg_minisign_seckey_decrypt
 * before signing. The text is wiped by the caller, not here.
 */
int pg_minisign_seckey_parse(const char *text, size_t len, struct pg_minisign_seckey **out,
                             struct pg_err *err) PG_WARN_UNUSED;
/* Read (capped at PG_MINISIGN_KEYFILE_MAX, buffer wiped) and parse a key file. */
int pg_minisign_seckey_load(const char *path, struct pg_minisign_seckey **out,
                            struct pg_err *err) PG_WARN_UNUSED;
/* 1 while the key still needs its password, 0 when it can sign. */
int pg_minisign_seckey_locked(const struct pg_minisign_seckey *sk);
/*
 * Decrypt with the password. Fails with "wrong password for that key" when
 * the checksum does not match (the key stays locked), and refuses KDF limits
 * beyond PG_MINISIGN_KDF_*_MAX taken from the file.
 */
int pg_minisign_seckey_decrypt(struct pg_minisign_seckey *sk, const char *password,
                               size_t password_len, struct pg_err *err) PG_WARN_UNUSED;
/* The public half of an unlocked key. */
int pg_minisign_seckey_pubkey(const struct pg_minisign_seckey *sk, struct pg_minisign_pubkey *pk,
                              struct pg_err *err) PG_WARN_UNUSED;
void pg_minisign_seckey_free(struct pg_minisign_seckey *sk);

/* scrypt limits: minisign's defaults ("sensitive") and what a file may ask. */
#define PG_MINISIGN_KDF_OPS_DEFAULT 33554432ULL
#define PG_MINISIGN_KDF_MEM_DEFAULT 1073741824ULL
#define PG_MINISIGN_KDF_OPS_MAX     (1ULL << 30)
#define PG_MINISIGN_KDF_MEM_MAX     (4ULL << 30)

/*
 * How pg_minisign_seckey_save stores the key. password NULL means
 * unencrypted (minisign -W). ops/mem 0 mean the defaults; when scrypt cannot
 * get that much memory both are halved and retried (as minisign does).
 */
struct pg_minisign_save_opts {
    const char *password;
    size_t password_len;
    uint64_t kdf_ops;
    uint64_t kdf_mem;
    const char *comment; /* untrusted comment; NULL for minisign's */
    int overwrite;       /* 0: fail if path exists */
};
/* clang-format off */
#define PG_MINISIGN_SAVE_OPTS_INIT {NULL, 0, 0, 0, NULL, 0}
/* clang-format on */

/* Write an unlocked key to path, mode 0600, atomically (temp file, rename). */
int pg_minisign_seckey_save(const struct pg_minisign_seckey *sk, const char *path,
                            const struct pg_minisign_save_opts *opts,
                            struct pg_err *err) PG_WARN_UNUSED;

/*
 * Write data to path atomically: a 0600 temp file beside it, then fchmod to
 * mode and rename (overwrite) or link (no overwrite: fails with "already
 * exists" if path does, so the check and the write cannot race; this needs a
 * file system with hard links).
 */
int pg_minisign_write_file(const char *path, const void *data, size_t len, unsigned mode,
                           int overwrite, struct pg_err *err) PG_WARN_UNUSED;

/* Flags for pg_minisign_sign. */
#define PG_MINISIGN_LEGACY 0x1u /* sign the raw message ("Ed"), not its hash */

/*
 * Sign msg with an unlocked key. trusted_comment must be one line (no CR, LF
 * or NUL) of at most PG_MINISIGN_TC_MAX bytes; untrusted_comment NULL means
 * minisign's default. The result is verified before it is returned. On
 * success *out is the .minisig text; caller frees.
 */
int pg_minisign_sign(const struct pg_minisign_seckey *sk, const void *msg, size_t msg_len,
                     const char *trusted_comment, const char *untrusted_comment, unsigned flags,
                     char **out, struct pg_err *err) PG_WARN_UNUSED;

/*
 * The trusted comment pkggate writes: tab-separated key:value fields, a
 * superset of minisign's default, e.g.
 *
 *   timestamp:1700000000<TAB>file:policy.json<TAB>serial:7<TAB>expires:2027-01-01<TAB>hashed
 *
 * timestamp  seconds since the epoch when signed (minisign)
 * file       base name of the signed file (minisign)
 * serial     pkggate: policy serial, must grow with each release (rollback)
 * expires    pkggate: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC); the policy
 *            is expired from that instant on (a date means 00:00:00Z)
 *
 * Other fields and bare words (minisign's "hashed") are ignored. A known key
 * given twice, or with a bad value, is an error: a reader must never have to
 * guess which serial counts.
 */
struct pg_minisign_tc {
    int has_timestamp;
    uint64_t timestamp;
    char *file; /* NULL if absent; owned, freed by release */
    int has_serial;
    uint64_t serial;
    int has_expires;
    int64_t expires; /* seconds since the epoch, UTC */
};
/* clang-format off */
#define PG_MINISIGN_TC_INIT {0, 0, NULL, 0, 0, 0, 0}
/* clang-format on */

int pg_minisign_tc_parse(struct pg_minisign_tc *tc, const char *comment,
                         struct pg_err *err) PG_WARN_UNUSED;
void pg_minisign_tc_release(struct pg_minisign_tc *tc);

/* Parse an expires value (either form above) into seconds since the epoch. */
int pg_minisign_parse_expires(const char *s, int64_t *out, struct pg_err *err) PG_WARN_UNUSED;

/*
 * Build a trusted comment. base NULL or "" means minisign's default,
 * "timestamp:<now>\tfile:<basename of file>"; then "\tserial:N" when serial
 * is not NULL, "\texpires:<expires>" when expires is not NULL, and
 * "\thashed" when base was defaulted and prehashed is set (as minisign).
 * The result is checked with pg_minisign_tc_parse. Caller frees *out.
 */
int pg_minisign_tc_build(const char *base, const char *file, uint64_t now, const uint64_t *serial,
                         const char *expires, int prehashed, char **out,
                         struct pg_err *err) PG_WARN_UNUSED;

#endif
