/*
 * pkggate trust-root update [--url URL] [--root FILE]
 * pkggate trust-root show
 *
 * Keeps sigstore's trusted root (the Fulcio CAs and Rekor keys provenance
 * is verified against) current without a new pkggate: a TUF client
 * (lib/crypto/pg_tuf.h) starting from the root.json compiled in
 * (data/sigstore/README.md), storing what it verified under
 * $XDG_DATA_HOME/pkggate/trust-root, which pg_provplan then prefers to the
 * compiled-in root when newer. An org policy's "sigstore_root" still wins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "pg_exit.h"
#include "pg_gate.h"
#include "pg_http.h"
#include "pg_main.h"
#include "pg_provplan.h"
#include "pg_sigstore.h"
#include "pg_tuf.h"
#include "pg_util.h"
#include "banned.h"

extern const unsigned char pg_tuf_sigstore_root_json[];
extern const size_t pg_tuf_sigstore_root_json_len;

static const char trustroot_usage[] =
    "usage: pkggate trust-root update [--url URL] [--root FILE]\n"
    "       pkggate trust-root show\n"
    "\n"
    "Provenance (npm attestations, PEP 740) is verified against sigstore's trusted\n"
    "root: the Fulcio CAs and Rekor log keys. pkggate carries one (dated " PG_SIGSTORE_ROOT_DATE
    ");\n"
    "`update` fetches the current one from sigstore's TUF repository and verifies\n"
    "it the TUF way before keeping it: each new root.json signed by a threshold of\n"
    "the previous root's keys and its own, timestamp -> snapshot -> targets signed,\n"
    "unexpired, versions never going back, the file's length and sha256 as signed.\n"
    "The chain starts from sigstore's root.json compiled into pkggate. On any failure\n"
    "nothing is stored and the root in use stays as it was.\n"
    "\n"
    "  --url URL    the TUF repository (default " PG_TUF_SIGSTORE_URL ")\n"
    "  --root FILE  start from this root.json instead, while nothing is stored\n"
    "               for URL yet (a private sigstore's TUF repository); it is\n"
    "               trusted as you would trust pkggate itself\n"
    "\n"
    "`show` says which root provenance checks use and where it came from. An org\n"
    "policy's \"sigstore_root\" overrides both (`pkggate policy show`).\n"
    "\n"
    "examples:\n"
    "  pkggate trust-root update          (now and then: from cron, or with each\n"
    "                                      configuration-management run)\n"
    "  pkggate trust-root update --url https://tuf.example.org --root root.json\n"
    "\n"
    "The verified root is kept in $XDG_DATA_HOME/pkggate/trust-root\n"
    "(~/.local/share/pkggate/trust-root). Exit status: 0 done; 11 the update\n"
    "failed (nothing changed); 64 usage.\n";

/* The TUF fetcher over pg_http: no cache (TUF keeps its own state). */
static int http_get(void *arg, const char *url, size_t max, char **body, size_t *len,
                    struct pg_err *err)
{
    struct pg_http *h = arg;
    struct pg_http_req r = PG_HTTP_REQ_INIT;
    int rc = -1;

    (void)max;
    *body = NULL;
    r.url = url;
    r.no_cache = 1;
    pg_http_fetch(h, &r, 1);
    if (r.failed) {
        pg_err_set(err, "%s", r.err.msg);
        goto out;
    }
    if (r.status == 404 || r.status == 410) {
        rc = 0;
        goto out;
    }
    if (r.status != 200) {
        pg_err_set(err, "HTTP %ld", r.status);
        goto out;
    }
    if (r.len > max) {
        pg_err_set(err, "%zu bytes, over the %zu this file may have", r.len, max);
        goto out;
    }
    *body = pg_xmalloc(r.len + 1);
    memcpy(*body, r.body, r.len);
    (*body)[r.len] = '\0';
    *len = r.len;
    rc = 0;
out:
    pg_http_req_release(&r);
    return rc;
}

/* A verified target that pkggate could not use must not replace a usable one. */
static int usable(const char *data, size_t len, struct pg_err *err)
{
    struct pg_sigstore_root *root = NULL;
    int rc = pg_sigstore_root_parse(&root, data, len, err);

    pg_sigstore_root_free(root);
    return rc;
}

static int update(const char *url, const char *root_file)
{
    struct pg_http_opts ho = {0};
    struct pg_err err = PG_ERR_INIT;
    struct pg_tuf_update u = {0};
    struct pg_http *h = NULL;
    char *dir = pg_provplan_trust_dir(), *root = NULL;
    size_t root_len = 0;
    int rc = PG_EXIT_FAILED;

    ho.max_body = PG_TUF_MAX_META > PG_TUF_MAX_TARGET ? PG_TUF_MAX_META : PG_TUF_MAX_TARGET;
    if (!dir) {
        pg_gate_errorf("pkggate: trust-root: no data directory (set XDG_DATA_HOME or HOME)");
        goto out;
    }
    if (root_file && pg_read_file(root_file, PG_TUF_MAX_META, &root, &root_len, &err) < 0) {
        pg_gate_errorf("pkggate: trust-root: %s", err.msg);
        goto out;
    }
    h = pg_http_new(&ho, &err);
    if (!h) {
        pg_gate_errorf("pkggate: trust-root: %s", err.msg);
        goto out;
    }
    u.url = url;
    u.state_dir = dir;
    u.initial_root = root ? root : (const char *)pg_tuf_sigstore_root_json;
    u.initial_len = root ? root_len : pg_tuf_sigstore_root_json_len;
    u.target = "trusted_root.json";
    u.check = usable;
    u.now = (int64_t)time(NULL);
    u.fetch.get = http_get;
    u.fetch.arg = h;
    if (pg_tuf_update_run(&u, &err) < 0) {
        pg_gate_errorf("pkggate: trust-root update failed, nothing changed: %s", err.msg);
        goto out;
    }
    printf("pkggate: trust root %s: root.json version %lld (%d new), targets version %lld, "
           "stored in %s\n",
           u.target_changed ? "updated" : "already current", (long long)u.root_version,
           u.root_rotations, (long long)u.targets_version, dir);
    rc = PG_EXIT_OK;
out:
    pg_http_free(h);
    free(root);
    free(dir);
    return rc;
}

static int show(void)
{
    struct pg_err err = PG_ERR_INIT;
    unsigned char d[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    char *text = NULL, *url = NULL;
    size_t len = 0;
    int64_t tv = 0;

    if (pg_provplan_stored_root(&text, &len, &tv, &url, &err) == 0) {
        crypto_hash_sha256(d, (const unsigned char *)text, len);
        sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
        printf("in use: the root stored by `pkggate trust-root update`\n"
               "  from %s, targets version %lld, sha256 %s\n",
               url, (long long)tv, hex);
    } else {
        printf("in use: the public-good root compiled in (%s, TUF targets version %d)\n"
               "  (no newer stored root: %s)\n",
               PG_SIGSTORE_ROOT_DATE, PG_SIGSTORE_ROOT_TUF_VERSION, err.msg);
    }
    printf("an org policy's \"sigstore_root\" overrides it: see `pkggate policy show`\n");
    free(text);
    free(url);
    return PG_EXIT_OK;
}

int pg_main_trustroot(int argc, char **argv)
{
    const char *url = PG_TUF_SIGSTORE_URL, *root = NULL;
    int i;

    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(trustroot_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? PG_EXIT_USAGE : PG_EXIT_OK;
    }
    for (i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(trustroot_usage, stdout);
            return PG_EXIT_OK;
        } else if (!strcmp(argv[i], "--url") && i + 1 < argc && !strcmp(argv[1], "update")) {
            url = argv[++i];
        } else if (!strcmp(argv[i], "--root") && i + 1 < argc && !strcmp(argv[1], "update")) {
            root = argv[++i];
        } else {
            pg_gate_errorf("pkggate: trust-root: unknown argument '%s'; see `pkggate "
                           "trust-root --help`",
                           argv[i]);
            return PG_EXIT_USAGE;
        }
    }
    if (!strcmp(argv[1], "update"))
        return update(url, root);
    if (!strcmp(argv[1], "show"))
        return show();
    pg_gate_errorf("pkggate: trust-root: unknown action '%s' (update or show)", argv[1]);
    return PG_EXIT_USAGE;
}
