/*
 * pg_keyring.c - the npm registries' signing keys for one run (see
 * pg_keyring.h): their requests ride in the fetch rounds, and a registry
 * without keys is remembered for a day so warm runs ask nothing.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "pg_keyring.h"
#include "pg_rules_trust.h"
#include "banned.h"

#define DAY (24 * 3600)

const struct pg_keyring *pg_keyrings_find(const struct pg_keyrings *k, const char *registry)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->v[i].registry, registry) == 0)
            return &k->v[i];
    return NULL;
}

void pg_keyrings_add(struct pg_keyrings *k, const char *registry)
{
    if (pg_keyrings_find(k, registry))
        return;
    k->v = pg_xrealloc(k->v, (k->n + 1) * sizeof(*k->v));
    memset(&k->v[k->n], 0, sizeof(*k->v));
    k->v[k->n].pending = SIZE_MAX;
    k->v[k->n++].registry = pg_xstrdup(registry);
}

static void take_keys(struct pg_keyring *ring, const struct pg_http_req *r)
{
    struct pg_err err = PG_ERR_INIT;

    if (r->failed)
        ring->error = pg_xasprintf("cannot fetch the registry's signing keys: %s", r->err.msg);
    else if (r->status == 404 || r->status == 410)
        return; /* publishes no keys: the signature rule does not apply */
    else if (pg_npmkeys_parse(&ring->keys, r->body, r->len, &err) < 0)
        ring->error = pg_xasprintf("the registry's signing keys are unreadable: %s", err.msg);
}

/*
 * A registry without keys answers 404, which the HTTP cache does not keep;
 * a marker file remembers it for a day so warm runs ask nothing.
 */
static char *nokeys_marker(const char *cache, const char *registry)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];

    if (!cache)
        return NULL;
    crypto_hash_sha256(h, (const unsigned char *)registry, strlen(registry));
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    return pg_xasprintf("%s/nokeys-%.32s", cache, hex);
}

static int nokeys_fresh(const char *marker)
{
    struct stat st;
    time_t now = time(NULL);

    return marker && stat(marker, &st) == 0 && st.st_mtime <= now && now - st.st_mtime < DAY;
}

static void nokeys_remember(const char *marker)
{
    int fd = marker ? open(marker, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;

    if (fd >= 0)
        close(fd);
}

/*
 * The keys requests ride in the first round that meets their registry;
 * one per day.
 */
size_t pg_keyrings_requests(struct pg_keyrings *k, const char *cache,
                            const struct pg_regconf *conf, struct pg_http_req **out)
{
    struct pg_http_req *reqs = pg_xcalloc(k->n ? k->n : 1, sizeof(*reqs));
    size_t n = 0;

    for (size_t i = 0; i < k->n; i++) {
        char *marker;

        if (k->v[i].asked)
            continue;
        k->v[i].asked = 1;
        marker = nokeys_marker(cache, k->v[i].registry);
        if (!nokeys_fresh(marker)) {
            reqs[n].url = pg_npmsig_keys_url(k->v[i].registry);
            reqs[n].accept = "application/json";
            reqs[n].auth = pg_regconf_auth_for(conf, PG_ECO_NPM, reqs[n].url, NULL);
            reqs[n].max_age_s = DAY;
            reqs[n].allow_http = 1; /* the registry's own origin, as configured */
            k->v[i].pending = n++;
        } else {
            k->v[i].pending = SIZE_MAX;
        }
        free(marker);
    }
    *out = reqs;
    return n;
}

void pg_keyrings_answers(struct pg_keyrings *k, const char *cache, struct pg_http_req *reqs)
{
    for (size_t i = 0; i < k->n; i++) {
        struct pg_http_req *r;

        if (k->v[i].pending == SIZE_MAX)
            continue;
        r = &reqs[k->v[i].pending];
        k->v[i].pending = SIZE_MAX;
        take_keys(&k->v[i], r);
        if (!r->failed && (r->status == 404 || r->status == 410)) {
            char *marker = nokeys_marker(cache, k->v[i].registry);

            nokeys_remember(marker);
            free(marker);
        }
        pg_http_req_release(r);
        free((char *)r->url);
    }
}

void pg_keyrings_notes(const struct pg_keyrings *k, const struct pg_decide_ctx *ctx,
                       struct pg_sb *out)
{
    for (size_t i = 0; i < k->n; i++) {
        char *shown, *note;

        if (k->v[i].keys || k->v[i].error)
            continue;
        shown = pg_http_redact(k->v[i].registry);
        note = pg_rules_trust_no_keys_note(ctx, shown);
        if (note)
            pg_sb_addf(out, "pkggate: note: %s\n", note);
        free(note);
        free(shown);
    }
}

void pg_keyrings_release(struct pg_keyrings *k)
{
    for (size_t i = 0; i < k->n; i++) {
        free(k->v[i].registry);
        pg_npmkeys_free(k->v[i].keys);
        free(k->v[i].error);
    }
    free(k->v);
    memset(k, 0, sizeof(*k));
}
