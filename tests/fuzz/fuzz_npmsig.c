/*
 * fuzz_npmsig.c - the npm signature parsers on untrusted bytes: a registry
 * keys document, a version's dist.signatures and an integrity string.
 *
 * The input is "<keys JSON> NUL <signatures JSON>" (without a NUL, the whole
 * input is both). The signatures are checked against the input's keys, if
 * they parse, and against registry.npmjs.org's real keys: a signature that
 * verifies there is a forgery against a key nobody here holds, so it aborts.
 * The second part is also parsed as an integrity string and checked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "pg_npmsig.h"
#include "pg_sri.h"
#include "pg_util.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char npmjs_keys[] =
    "{\"keys\":[{\"expires\":\"2025-01-29T00:00:00.000Z\","
    "\"keyid\":\"SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA\","
    "\"keytype\":\"ecdsa-sha2-nistp256\",\"scheme\":\"ecdsa-sha2-nistp256\","
    "\"key\":\"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1Olb3zMAFFxXKHiIkQO5cJ3Yhl5i6UPp+Ihu"
    "teBJbuHcA5UogKo0EWtlWwW6KSaKoTNEYL7JlCQiVnkhBktUgg==\"},"
    "{\"expires\":null,\"keyid\":\"SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U\","
    "\"keytype\":\"ecdsa-sha2-nistp256\",\"scheme\":\"ecdsa-sha2-nistp256\","
    "\"key\":\"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEY6Ya7W++7aUPzvMTrezH6Ycx3c+HOKYCcNGybJZS"
    "CJq/fd7Qa8uuAKtdIkUQtQiEKERhAmE5lMMJhP8OkDOa2g==\"}]}";

#define INTEGRITY                                                                                  \
    "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/"                                                    \
    "SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="

static void check_sri(const char *text)
{
    struct pg_sri sri;

    if (pg_sri_parse(&sri, text, NULL) < 0)
        return;
    if (sri.alg == PG_SRI_NONE || sri.n == 0 || sri.n > PG_SRI_MAX_TOKENS)
        abort(); /* parsed means something to check against */
    (void)pg_sri_verify(&sri, text, strlen(text), NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nul = memchr(data, '\0', size);
    size_t klen = nul ? (size_t)(nul - (const char *)data) : size;
    char *sigs =
        nul ? pg_xstrndup(nul + 1, size - klen - 1) : pg_xstrndup((const char *)data, size);
    struct pg_npmkeys *keys = NULL, *real = NULL;
    struct pg_npmsig_status st;

    if (sodium_init() < 0)
        abort();
    if (pg_npmkeys_parse(&keys, (const char *)data, klen, NULL) == 0) {
        for (size_t i = 0; i < pg_npmkeys_count(keys); i++)
            if (!pg_npmkeys_keyid(keys, i)[0])
                abort();
        (void)pg_npmsig_verify(keys, "fuzz", "1.0.0", INTEGRITY, sigs, 1700000000, &st);
        pg_npmkeys_free(keys);
    }
    if (pg_npmkeys_parse(&real, npmjs_keys, sizeof(npmjs_keys) - 1, NULL) < 0)
        abort();
    if (pg_npmsig_verify(real, "fuzz", "1.0.0", INTEGRITY, sigs, -1, &st) == PG_NPMSIG_OK)
        abort(); /* a forgery of npm's registry signature */
    if (st.result != PG_NPMSIG_MISSING && !st.why.msg[0])
        abort(); /* every failure names its cause */
    pg_npmkeys_free(real);
    check_sri(sigs);
    free(sigs);
    return 0;
}
