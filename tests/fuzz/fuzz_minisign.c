/*
 * fuzz_minisign.c - the minisign parsers on untrusted bytes: public keys
 * (file and pinned forms), .minisig files, secret key files, trusted
 * comments and expiry dates. Every input goes through all of them.
 *
 * A parsed signature is verified with a key that claims its key id, so the
 * hashing and both signature checks run too. Encrypted secret keys are not
 * decrypted: their scrypt limits come from the input and would only measure
 * how long scrypt takes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "pg_minisign.h"
#include "pg_util.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Point pk's key id at the signature's, so verification gets past step 1. */
static void claim_keyid(struct pg_minisign_pubkey *pk, const struct pg_minisign_sig *sig)
{
    char id[PG_MINISIGN_KEYID_LEN];
    uint64_t v = 0;

    pg_minisign_sig_keyid(sig, id);
    for (const char *p = id; *p; p++)
        v = v << 4 | (uint64_t)(*p <= '9' ? *p - '0' : *p - 'A' + 10);
    for (int i = 0; i < PG_MINISIGN_KEYNUM_BYTES; i++, v >>= 8)
        pk->keynum[i] = (unsigned char)(v & 0xff);
}

static void fuzz_sig(const char *text, size_t size)
{
    struct pg_minisign_pubkey pk;
    struct pg_minisign_sig *sig = NULL;
    char *tc = NULL;

    memset(&pk, 0x42, sizeof(pk));
    if (pg_minisign_sig_parse(text, size, &sig, NULL) < 0)
        return;
    claim_keyid(&pk, sig);
    if (pg_minisign_verify(&pk, sig, text, size, 0, &tc, NULL) == 0)
        abort(); /* a forgery against a key nobody holds */
    if (tc)
        abort(); /* the trusted comment leaked without verification */
    pg_minisign_sig_free(sig);
}

static void fuzz_seckey(const char *text, size_t size)
{
    struct pg_minisign_seckey *sk = NULL;
    struct pg_minisign_pubkey pk;
    char *out = NULL;

    if (pg_minisign_seckey_parse(text, size, &sk, NULL) < 0)
        return;
    if (!pg_minisign_seckey_locked(sk) && pg_minisign_seckey_pubkey(sk, &pk, NULL) == 0 &&
        pg_minisign_sign(sk, "m", 1, "t", NULL, 0, &out, NULL) < 0)
        abort(); /* a key that parsed as usable must sign */
    free(out);
    pg_minisign_seckey_free(sk);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct pg_minisign_pubkey pk;
    struct pg_minisign_tc tc = PG_MINISIGN_TC_INIT;
    char *s;
    int64_t when;

    if (sodium_init() < 0)
        abort();
    (void)pg_minisign_pubkey_parse(&pk, text, size, NULL);
    fuzz_sig(text, size);
    fuzz_seckey(text, size);
    s = pg_xstrndup(text, size);
    if (pg_minisign_tc_parse(&tc, s, NULL) == 0)
        pg_minisign_tc_release(&tc);
    (void)pg_minisign_parse_expires(s, &when, NULL);
    free(s);
    return 0;
}
