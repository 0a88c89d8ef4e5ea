/*
 * sigstore_bench.c - CPU time to verify one real Sigstore bundle (npm
 * provenance of sigstore@2.0.0: SET, inclusion proof and checkpoint,
 * Fulcio chain P-384 + P-256, DSSE, statement) against the compiled-in
 * public-good root, and to parse that root. Target: at most 2 ms a bundle.
 * Usage: pg_bench_sigstore BUNDLE [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "pg_sigstore.h"
#include "pg_util.h"

#define INTEGRITY "sha512-RtTi90xIdzFmQAAKb9+Ki1nx4IR2Z5c+mFn3dN0xuPHgk3gTt3f7ZqKsZ9UFQP40ZAlm7un8LMyjhwgrTIXNPA=="

static double cpu_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_sigstore_root *root = NULL;
    char *bundle = NULL, *doc;
    size_t len = 0;
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 500;
    double t0;

    if (argc < 2 || sodium_init() < 0 || n <= 0 ||
        pg_read_file(argv[1], 1 << 22, &bundle, &len, &err) < 0) {
        fprintf(stderr, "usage: pg_bench_sigstore BUNDLE [N] %s\n", err.msg);
        return 2;
    }
    doc = pg_xasprintf("{\"attestations\":[{\"predicateType\":\"https://slsa.dev/provenance/v1\","
                       "\"bundle\":%s}]}", bundle);
    t0 = cpu_us();
    for (long i = 0; i < n; i++) {
        pg_sigstore_root_free(root);
        root = NULL;
        if (pg_sigstore_root_default(&root, &err) < 0)
            return fprintf(stderr, "%s\n", err.msg), 1;
    }
    printf("  trusted root parse: %.1f us CPU\n", (cpu_us() - t0) / (double)n);
    t0 = cpu_us();
    for (long i = 0; i < n; i++) {
        struct pg_sigstore_identity id = PG_SIGSTORE_IDENTITY_INIT;

        if (pg_sigstore_verify_npm(root, doc, strlen(doc), "sigstore", "2.0.0", INTEGRITY, &id,
                                   &err) != PG_SIGSTORE_OK)
            return fprintf(stderr, "%s\n", err.msg), 1;
        pg_sigstore_identity_release(&id);
    }
    printf("  verify one npm provenance bundle: %.1f us CPU (target <= 2000)\n",
           (cpu_us() - t0) / (double)n);
    pg_sigstore_root_free(root);
    free(doc);
    free(bundle);
    return 0;
}
