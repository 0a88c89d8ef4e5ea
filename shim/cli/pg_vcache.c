/*
 * pg_vcache.c - the verdict cache (pg_vcache.h).
 *
 * Keys are digests of everything pg_decide reads, fed to BLAKE2b with
 * every field length-prefixed so that no two different inputs can run
 * together into the same bytes ("ab"+"c" vs "a"+"bc").
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "pg_http_cache.h"
#include "pg_metacodec.h"
#include "pg_npmsig.h"
#include "pg_strmap.h"
#include "pg_vcache.h"
#include "pg_util.h"
#include "banned.h"

#ifndef PKGGATE_VERSION
#define PKGGATE_VERSION "0"
#endif

#define HEADER  "pkggate-verdicts 1\n"
#define KEYLEN  16 /* bytes; 32 hex digits a line */
#define MAXFILE ((size_t)(PG_VCACHE_MAX + 1) * (2 * KEYLEN + 1) + sizeof(HEADER))

struct pg_vcache {
    char *dir;
    char *path;
    const struct pg_decide_ctx *ctx;
    unsigned char ctxd[crypto_generichash_BYTES];
    struct pg_strmap keys;  /* hex key -> 1 used or new this run, 0 only on disk */
    size_t added;
    struct pg_strmap digests; /* "%p" of a meta or keyring -> index in dig */
    unsigned char (*dig)[crypto_generichash_BYTES];
    size_t ndig, adig;
};

static void feed_u(crypto_generichash_state *st, uint64_t v)
{
    unsigned char b[8];

    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    crypto_generichash_update(st, b, sizeof(b));
}

static void feed_s(crypto_generichash_state *st, const char *s)
{
    if (!s) {
        feed_u(st, UINT64_MAX);
        return;
    }
    feed_u(st, strlen(s));
    crypto_generichash_update(st, (const unsigned char *)s, strlen(s));
}

/* The context every key of one file shares (see the header). */
static void context_digest(const struct pg_decide_ctx *ctx, unsigned char out[crypto_generichash_BYTES])
{
    crypto_generichash_state st;
    struct pg_sb show = PG_SB_INIT;
    const struct pg_semver_env *npm = ctx->npm;

    crypto_generichash_init(&st, NULL, 0, crypto_generichash_BYTES);
    feed_s(&st, HEADER);
    feed_s(&st, PKGGATE_VERSION);
    pg_policy_show(ctx->pol, &show);
    feed_s(&st, pg_sb_str(&show));
    feed_u(&st, (uint64_t)pg_policy_next_expiry(ctx->pol, ctx->now));
    feed_u(&st, (uint64_t)ctx->pre);
    feed_u(&st, (uint64_t)ctx->scripts_off);
    feed_u(&st, npm != NULL);
    if (npm) {
        feed_s(&st, npm->default_tag);
        feed_u(&st, (uint64_t)npm->before);
        feed_s(&st, npm->node_version);
        feed_s(&st, npm->npm_version);
    }
    feed_s(&st, ctx->python);
    feed_u(&st, (uint64_t)ctx->prefer_binary);
    crypto_generichash_final(&st, out, crypto_generichash_BYTES);
    pg_sb_release(&show);
}

static void load(struct pg_vcache *c)
{
    char *text = NULL;
    size_t len = 0;

    if (pg_read_file(c->path, MAXFILE, &text, &len, NULL) == 0 && len >= strlen(HEADER) &&
        memcmp(text, HEADER, strlen(HEADER)) == 0) {
        for (char *p = text + strlen(HEADER); (size_t)(p - text) + 2 * KEYLEN < len;) {
            char *nl = memchr(p, '\n', len - (size_t)(p - text));

            if (!nl)
                break;
            *nl = '\0';
            if (nl - p == 2 * KEYLEN && strspn(p, "0123456789abcdef") == 2 * KEYLEN)
                pg_strmap_put(&c->keys, p, 0);
            p = nl + 1;
        }
    }
    free(text);
}

struct pg_vcache *pg_vcache_open(const char *dir, const struct pg_decide_ctx *ctx)
{
    struct pg_vcache *c;
    char hex[2 * crypto_generichash_BYTES + 1];

    if (!dir || pg_http_cache_prepare(dir, NULL) < 0)
        return NULL;
    c = pg_xcalloc(1, sizeof(*c));
    c->dir = pg_xstrdup(dir);
    c->ctx = ctx;
    context_digest(ctx, c->ctxd);
    sodium_bin2hex(hex, sizeof(hex), c->ctxd, sizeof(c->ctxd));
    c->path = pg_xasprintf("%s/%s", dir, hex);
    load(c);
    return c;
}

/* A digest per meta or keyring, computed once per run. */
static const unsigned char *once(struct pg_vcache *c, const void *p,
                                 void (*fn)(const void *, unsigned char *))
{
    char key[32];
    const size_t *at;

    snprintf(key, sizeof(key), "%p", p);
    at = pg_strmap_get(&c->digests, key);
    if (at)
        return c->dig[*at];
    pg_xgrow((void **)&c->dig, &c->adig, c->ndig + 1, sizeof(*c->dig));
    fn(p, c->dig[c->ndig]);
    pg_strmap_put(&c->digests, key, c->ndig);
    return c->dig[c->ndig++];
}

static void meta_digest(const void *p, unsigned char *out)
{
    struct pg_sb sb = PG_SB_INIT;

    pg_metacodec_encode(p, &sb);
    crypto_generichash(out, crypto_generichash_BYTES, (const unsigned char *)sb.buf, sb.len,
                       NULL, 0);
    pg_sb_release(&sb);
}

static void keys_digest(const void *p, unsigned char *out)
{
    crypto_generichash_state st;
    size_t n = pg_npmkeys_count(p);

    crypto_generichash_init(&st, NULL, 0, crypto_generichash_BYTES);
    feed_u(&st, n);
    for (size_t i = 0; i < n; i++) {
        feed_s(&st, pg_npmkeys_keyid(p, i));
        feed_u(&st, (uint64_t)pg_npmkeys_expires(p, i));
        feed_u(&st, (uint64_t)pg_npmkeys_supported(p, i));
    }
    crypto_generichash_final(&st, out, crypto_generichash_BYTES);
}

/* The entry's key as hex, or 0 when the request cannot be cached. */
static int entry_key(struct pg_vcache *c, const struct pg_req *r, const struct pg_facts *f,
                     char hex[2 * KEYLEN + 1])
{
    crypto_generichash_state st;
    unsigned char k[KEYLEN];
    const struct pg_meta_version *v;

    if (!r->locked || !r->name || !f->meta)
        return 0;
    crypto_generichash_init(&st, c->ctxd, sizeof(c->ctxd), KEYLEN);
    feed_u(&st, (uint64_t)r->eco);
    feed_u(&st, (uint64_t)r->source);
    feed_s(&st, r->name);
    feed_s(&st, r->spec);
    feed_s(&st, r->alias);
    feed_s(&st, r->origin);
    feed_s(&st, r->locked);
    feed_s(&st, r->marker);
    feed_s(&st, r->extras);
    feed_s(&st, r->integrity);
    feed_u(&st, (uint64_t)r->dev);
    crypto_generichash_update(&st, f->meta_digest ? f->meta_digest : once(c, f->meta, meta_digest),
                              crypto_generichash_BYTES);
    feed_s(&st, f->error);
    feed_s(&st, f->suggest);
    feed_s(&st, f->keys_error);
    feed_s(&st, f->insecure);
    feed_u(&st, f->keys != NULL);
    if (f->keys)
        crypto_generichash_update(&st, once(c, f->keys, keys_digest), crypto_generichash_BYTES);
    feed_u(&st, c->ctx->kinds);
    /* What this run's provenance round found is not in the facts record:
     * a verdict kept when the attestation verified must not answer for a
     * run that found it absent, tampered with or unreachable. */
    v = pg_meta_find(f->meta, r->locked);
    feed_u(&st, v ? (uint64_t)v->prov : UINT64_MAX);
    feed_s(&st, v ? v->prov_repository : NULL);
    feed_s(&st, v ? v->prov_workflow : NULL);
    crypto_generichash_final(&st, k, sizeof(k));
    sodium_bin2hex(hex, 2 * KEYLEN + 1, k, sizeof(k));
    return 1;
}

int pg_vcache_get(struct pg_vcache *c, const struct pg_req *req, const struct pg_facts *facts,
                  struct pg_verdict *v)
{
    char hex[2 * KEYLEN + 1];
    size_t *at;

    if (!c || !entry_key(c, req, facts, hex) || !(at = pg_strmap_get(&c->keys, hex)))
        return 0;
    *at = 1;
    pg_verdict_init(v, req); /* version = req->locked, decision allow, no reasons */
    return 1;
}

void pg_vcache_put(struct pg_vcache *c, const struct pg_req *req, const struct pg_facts *facts,
                   const struct pg_verdict *v)
{
    char hex[2 * KEYLEN + 1];

    if (!c || v->decision != PG_ALLOW || v->nreasons || !pg_streq(v->version, req->locked) ||
        !entry_key(c, req, facts, hex))
        return;
    if (pg_strmap_put(&c->keys, hex, 1))
        c->added++;
}

/*
 * A verified signature's key: everything pg_npmsig_verify reads. A keyid
 * is the digest of its key (pg_npmkeys_parse refuses any other), so the
 * keys' digest stands for the keys themselves. Another domain than the
 * verdicts' (no context key), so the two kinds never meet.
 */
static void sig_key(const struct pg_npmkeys *keys, const char *name,
                    const struct pg_meta_version *mv, char hex[2 * KEYLEN + 1])
{
    crypto_generichash_state st;
    unsigned char k[KEYLEN], kd[crypto_generichash_BYTES];

    keys_digest(keys, kd);
    crypto_generichash_init(&st, NULL, 0, KEYLEN);
    feed_s(&st, "pkggate npm signature verified 1");
    crypto_generichash_update(&st, kd, sizeof(kd));
    feed_s(&st, name);
    feed_s(&st, mv->version);
    feed_s(&st, mv->integrity);
    feed_s(&st, mv->signatures_json);
    feed_u(&st, (uint64_t)mv->published);
    crypto_generichash_final(&st, k, sizeof(k));
    sodium_bin2hex(hex, 2 * KEYLEN + 1, k, sizeof(k));
}

static int sig_known(void *arg, const struct pg_npmkeys *keys, const char *name,
                     const struct pg_meta_version *mv)
{
    struct pg_vcache *c = arg;
    char hex[2 * KEYLEN + 1];
    size_t *at;

    sig_key(keys, name, mv, hex);
    at = pg_strmap_get(&c->keys, hex);
    if (at)
        *at = 1; /* used by this run: kept when the file is pruned */
    return at != NULL;
}

static void sig_add(void *arg, const struct pg_npmkeys *keys, const char *name,
                    const struct pg_meta_version *mv)
{
    struct pg_vcache *c = arg;
    char hex[2 * KEYLEN + 1];

    sig_key(keys, name, mv, hex);
    if (pg_strmap_put(&c->keys, hex, 1))
        c->added++;
}

void pg_vcache_sigmemo(struct pg_vcache *c, struct pg_sigmemo *out)
{
    out->known = sig_known;
    out->add = sig_add;
    out->arg = c;
}

/* The keys to keep: all of them, or only this run's once there are too many. */
static void save(struct pg_vcache *c)
{
    char *tmp = pg_xasprintf("%s/.tmp-verdicts-XXXXXX", c->dir);
    int keep_all = c->keys.n <= PG_VCACHE_MAX, fd = mkstemp(tmp), ok;
    struct pg_sb sb = PG_SB_INIT;

    if (fd < 0)
        goto out;
    pg_sb_adds(&sb, HEADER);
    for (size_t i = 0; i < c->keys.cap; i++)
        if (c->keys.keys[i] && (keep_all || c->keys.vals[i])) {
            pg_sb_adds(&sb, c->keys.keys[i]);
            pg_sb_addc(&sb, '\n');
        }
    ok = pg_write_all(fd, sb.buf, sb.len) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, c->path) != 0)
        unlink(tmp);
out:
    pg_sb_release(&sb);
    free(tmp);
}

void pg_vcache_close(struct pg_vcache *c)
{
    if (!c)
        return;
    if (c->added)
        save(c);
    pg_strmap_release(&c->keys);
    pg_strmap_release(&c->digests);
    free(c->dig);
    free(c->path);
    free(c->dir);
    free(c);
}
