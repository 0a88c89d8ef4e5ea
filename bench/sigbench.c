/*
 * sigbench.c - what checking npm registry signatures and integrity costs.
 *
 * Signs N distinct packages ("pkg-<i>@1.0.<i>:<sha512 SRI>") with a P-256
 * key made at start, then times, each as the median of ROUNDS rounds:
 *   keys     pg_npmkeys_parse of a two-key /-/npm/v1/keys document (once
 *            per registry: decodes each SPKI into an EVP_PKEY)
 *   verify   pg_npmsig_verify per package: dist.signatures JSON, base64,
 *            keyid lookup, expiry, ECDSA verify (the per-package cost)
 *   floor    EVP_DigestVerify alone on the same signatures (OpenSSL's own
 *            cost; what verify adds is the difference)
 *   sri      pg_sri_check of a 1 MiB artefact against its sha512
 * Wall and CPU time per operation are printed in microseconds. Every
 * verify must succeed, or the run fails: a fast wrong answer is no result.
 *
 * usage: pg_bench_sig [N] [ROUNDS]   (default 2000 packages, 5 rounds)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "pg_npmsig.h"
#include "pg_sri.h"
#include "pg_util.h"

struct pkg {
    char name[32], version[32], integrity[128], *sigs, *msg;
    unsigned char der[80];
    size_t derlen;
};

struct clocks {
    double wall, cpu;
};

static double now(clockid_t c)
{
    struct timespec ts;

    clock_gettime(c, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return v[n / 2];
}

static void sign(EVP_PKEY *pk, struct pkg *p, const char *keyid)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    char b64[sodium_base64_ENCODED_LEN(80, sodium_base64_VARIANT_ORIGINAL)];

    p->derlen = sizeof(p->der);
    if (EVP_DigestSignInit_ex(ctx, NULL, "SHA256", NULL, NULL, pk, NULL) != 1 ||
        EVP_DigestSign(ctx, p->der, &p->derlen, (const unsigned char *)p->msg, strlen(p->msg)) != 1)
        abort();
    EVP_MD_CTX_free(ctx);
    sodium_bin2base64(b64, sizeof(b64), p->der, p->derlen, sodium_base64_VARIANT_ORIGINAL);
    p->sigs = pg_xasprintf("[{\"keyid\":\"%s\",\"sig\":\"%s\"}]", keyid, b64);
}

static char *keys_doc(EVP_PKEY *pk, EVP_PKEY *old, char keyid[PG_NPMSIG_KEYID_MAX])
{
    unsigned char *der = NULL, *der2 = NULL;
    char b1[200], b2[200], oldid[PG_NPMSIG_KEYID_MAX];
    int n1 = i2d_PUBKEY(pk, &der), n2 = i2d_PUBKEY(old, &der2);
    char *doc;

    if (n1 <= 0 || n2 <= 0 || pg_npmsig_keyid(der, (size_t)n1, keyid, NULL) < 0 ||
        pg_npmsig_keyid(der2, (size_t)n2, oldid, NULL) < 0)
        abort();
    sodium_bin2base64(b1, sizeof(b1), der, (size_t)n1, sodium_base64_VARIANT_ORIGINAL);
    sodium_bin2base64(b2, sizeof(b2), der2, (size_t)n2, sodium_base64_VARIANT_ORIGINAL);
    doc =
        pg_xasprintf("{\"keys\":[{\"expires\":\"2025-01-29T00:00:00.000Z\",\"keyid\":\"%s\","
                     "\"keytype\":\"ecdsa-sha2-nistp256\",\"scheme\":\"ecdsa-sha2-nistp256\","
                     "\"key\":\"%s\"},{\"expires\":null,\"keyid\":\"%s\",\"keytype\":"
                     "\"ecdsa-sha2-nistp256\",\"scheme\":\"ecdsa-sha2-nistp256\",\"key\":\"%s\"}]}",
                     oldid, b2, keyid, b1);
    OPENSSL_free(der);
    OPENSSL_free(der2);
    return doc;
}

static struct clocks time_keys(const char *doc, int reps)
{
    double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    struct clocks r;

    for (int i = 0; i < reps; i++) {
        struct pg_npmkeys *k = NULL;

        if (pg_npmkeys_parse(&k, doc, strlen(doc), NULL) < 0)
            abort();
        pg_npmkeys_free(k);
    }
    r.wall = (now(CLOCK_MONOTONIC) - t0) / reps;
    r.cpu = (now(CLOCK_PROCESS_CPUTIME_ID) - c0) / reps;
    return r;
}

static struct clocks time_verify(const struct pg_npmkeys *keys, struct pkg *p, int n)
{
    double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    struct pg_npmsig_status st;
    struct clocks r;

    for (int i = 0; i < n; i++)
        if (pg_npmsig_verify(keys, p[i].name, p[i].version, p[i].integrity, p[i].sigs, 1700000000,
                             &st) != PG_NPMSIG_OK) {
            fprintf(stderr, "verify failed: %s\n", st.why.msg);
            exit(1);
        }
    r.wall = (now(CLOCK_MONOTONIC) - t0) / n;
    r.cpu = (now(CLOCK_PROCESS_CPUTIME_ID) - c0) / n;
    return r;
}

static struct clocks time_floor(EVP_PKEY *pk, struct pkg *p, int n)
{
    double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    struct clocks r;

    for (int i = 0; i < n; i++) {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();

        if (EVP_DigestVerifyInit_ex(ctx, NULL, "SHA256", NULL, NULL, pk, NULL) != 1 ||
            EVP_DigestVerify(ctx, p[i].der, p[i].derlen, (const unsigned char *)p[i].msg,
                             strlen(p[i].msg)) != 1)
            abort();
        EVP_MD_CTX_free(ctx);
    }
    r.wall = (now(CLOCK_MONOTONIC) - t0) / n;
    r.cpu = (now(CLOCK_PROCESS_CPUTIME_ID) - c0) / n;
    return r;
}

static struct clocks time_sri(int reps)
{
    size_t len = 1 << 20;
    unsigned char *buf = pg_xmalloc(len), d[crypto_hash_sha512_BYTES];
    char b64[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];
    char *sri;
    double t0, c0;
    struct clocks r;

    randombytes_buf(buf, len);
    crypto_hash_sha512(d, buf, len);
    sodium_bin2base64(b64, sizeof(b64), d, sizeof(d), sodium_base64_VARIANT_ORIGINAL);
    sri = pg_xasprintf("sha512-%s", b64);
    t0 = now(CLOCK_MONOTONIC);
    c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    for (int i = 0; i < reps; i++)
        if (pg_sri_check(sri, buf, len, NULL) < 0)
            abort();
    r.wall = (now(CLOCK_MONOTONIC) - t0) / reps;
    r.cpu = (now(CLOCK_PROCESS_CPUTIME_ID) - c0) / reps;
    free(sri);
    free(buf);
    return r;
}

static void report(const char *what, double *wall, double *cpu, int rounds, const char *unit)
{
    printf("  %-8s %9.1f us wall  %9.1f us cpu  per %s\n", what, median(wall, rounds),
           median(cpu, rounds), unit);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 2000;
    int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5;
    EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    EVP_PKEY *old = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    char keyid[PG_NPMSIG_KEYID_MAX], *doc;
    struct pkg *p;
    struct pg_npmkeys *keys = NULL;
    double w[4][64], c[4][64];

    if (sodium_init() < 0 || !pk || !old || n < 1 || rounds < 1 || rounds > 64)
        return 2;
    doc = keys_doc(pk, old, keyid);
    if (pg_npmkeys_parse(&keys, doc, strlen(doc), NULL) < 0)
        return 2;
    p = pg_xcalloc((size_t)n, sizeof(*p));
    for (int i = 0; i < n; i++) {
        unsigned char d[64];
        char b64[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];

        snprintf(p[i].name, sizeof(p[i].name), "pkg-%d", i);
        snprintf(p[i].version, sizeof(p[i].version), "1.0.%d", i);
        crypto_hash_sha512(d, (const unsigned char *)p[i].name, strlen(p[i].name));
        sodium_bin2base64(b64, sizeof(b64), d, sizeof(d), sodium_base64_VARIANT_ORIGINAL);
        snprintf(p[i].integrity, sizeof(p[i].integrity), "sha512-%s", b64);
        p[i].msg = pg_xasprintf("%s@%s:%s", p[i].name, p[i].version, p[i].integrity);
        sign(pk, &p[i], keyid);
    }
    for (int r = 0; r < rounds; r++) {
        struct clocks k = time_keys(doc, 200), v = time_verify(keys, p, n);
        struct clocks f = time_floor(pk, p, n), s = time_sri(20);

        w[0][r] = k.wall, c[0][r] = k.cpu;
        w[1][r] = v.wall, c[1][r] = v.cpu;
        w[2][r] = f.wall, c[2][r] = f.cpu;
        w[3][r] = s.wall, c[3][r] = s.cpu;
    }
    printf("npm registry signatures, %d packages x %d rounds (median)\n", n, rounds);
    report("keys", w[0], c[0], rounds, "keys document (2 keys, once per registry)");
    report("verify", w[1], c[1], rounds, "package (1 signature; target <= 50 us)");
    report("floor", w[2], c[2], rounds, "EVP_DigestVerify alone");
    report("sri", w[3], c[3], rounds, "MiB of artefact (sha512)");
    for (int i = 0; i < n; i++) {
        free(p[i].sigs);
        free(p[i].msg);
    }
    free(p);
    free(doc);
    pg_npmkeys_free(keys);
    EVP_PKEY_free(pk);
    EVP_PKEY_free(old);
    return 0;
}
