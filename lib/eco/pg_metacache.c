/*
 * pg_metacache.c - the facts cache (pg_metacache.h): pg_http_cache files
 * whose bodies are pg_metacodec records.
 *
 * Reusing the HTTP cache's file format keeps one implementation of the
 * hard parts (checksums, atomic replacement, refusing FIFOs and symlinks,
 * sweeping dead temporary files) for both caches.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "pg_http_cache.h"
#include "pg_metacache.h"
#include "pg_metacodec.h"
#include "pg_util.h"
#include "banned.h"

/* A record's digest is its file's checksum: the load that checks it pays for it. */
_Static_assert(PG_METACACHE_DIGEST == PG_HTTP_CACHE_SUM, "digest is the file checksum");

struct pg_metacache {
    char *dir;
    int offline;
    int64_t fresh_s;
    int64_t revalidate_s;
};

struct pg_metacache *pg_metacache_new(const struct pg_metacache_opts *o, struct pg_err *err)
{
    struct pg_metacache *c;

    if (pg_http_cache_prepare(o->dir, err) < 0)
        return NULL;
    c = pg_xcalloc(1, sizeof(*c));
    c->dir = pg_xstrdup(o->dir);
    c->offline = o->offline;
    c->fresh_s = o->fresh_s;
    c->revalidate_s = o->revalidate_s;
    return c;
}

void pg_metacache_free(struct pg_metacache *c)
{
    if (!c)
        return;
    free(c->dir);
    free(c);
}

void pg_metacache_rec_release(struct pg_metacache_rec *rec)
{
    pg_meta_free(rec->meta);
    free(rec->etag);
    free(rec->last_modified);
    free(rec->source);
    memset(rec, 0, sizeof(*rec));
}

static int younger(int64_t checked_at, int64_t now, int64_t max)
{
    int64_t age = now - checked_at;

    /* A time in the future is not trusted to be young. */
    return max > 0 && age >= 0 && age < max;
}

/* Whether a record checked at checked_at will be current only by the schedule. */
static int on_schedule(const struct pg_metacache *c, int64_t checked_at, size_t npinned,
                       int64_t now)
{
    return npinned && !c->offline && !younger(checked_at, now, c->fresh_s) &&
           younger(checked_at, now, c->revalidate_s);
}

/* The meta of a record: skimmed when it can answer only for the pinned versions. */
static struct pg_meta *decode(const struct pg_metacache *c, const struct pg_http_cache_entry *e,
                              const char *const *pinned, size_t npinned, int64_t now)
{
    struct pg_meta *m;

    if (!on_schedule(c, e->fetched_at, npinned, now))
        return pg_metacodec_decode(e->body, e->len, NULL);
    m = pg_metacodec_decode_keep(e->body, e->len, pinned, npinned, NULL);
    for (size_t i = 0; m && i < npinned; i++)
        if (!pg_meta_find(m, pinned[i])) {
            /* It will be revalidated, and a 304 hands this meta over whole. */
            pg_meta_free(m);
            return pg_metacodec_decode(e->body, e->len, NULL);
        }
    return m;
}

int pg_metacache_load(struct pg_metacache *c, const char *url, const char *accept,
                      const char *name, const char *const *pinned, size_t npinned, int64_t now,
                      struct pg_metacache_rec *rec)
{
    struct pg_http_cache_entry e = PG_HTTP_CACHE_ENTRY_INIT;
    char *path = pg_http_cache_path(c->dir, url, accept);
    int rc = -1;

    pg_metacache_rec_release(rec);
    if (pg_http_cache_load(path, PG_HTTP_DEFAULT_MAX_BODY, &e, NULL) < 0 || e.status != 200)
        goto out;
    rec->meta = decode(c, &e, pinned, npinned, now);
    if (!rec->meta || !pg_streq(rec->meta->name, name)) {
        pg_metacache_rec_release(rec);
        goto out;
    }
    rec->etag = e.etag;
    rec->last_modified = e.last_modified;
    rec->source = e.source;
    e.etag = e.last_modified = e.source = NULL;
    rec->checked_at = e.fetched_at;
    memcpy(rec->digest, e.sum, sizeof(rec->digest)); /* hashed once, by the load's check */
    rc = 0;
out:
    pg_http_cache_entry_release(&e);
    free(path);
    return rc;
}

int pg_metacache_offline(const struct pg_metacache *c)
{
    return c->offline;
}

int pg_metacache_may_answer(const struct pg_metacache *c, int pinned)
{
    return c->offline || c->fresh_s > 0 || (pinned && c->revalidate_s > 0);
}

int pg_metacache_current(const struct pg_metacache *c, const struct pg_metacache_rec *rec,
                         const char *const *pinned, size_t npinned, int64_t now)
{
    if (!rec->meta)
        return 0;
    if (c->offline || younger(rec->checked_at, now, c->fresh_s))
        return 1;
    if (npinned == 0 || !younger(rec->checked_at, now, c->revalidate_s))
        return 0;
    for (size_t i = 0; i < npinned; i++)
        if (!pg_meta_find(rec->meta, pinned[i]))
            return 0;
    return 2;
}

/*
 * What a parse of r reads: its body, and for PyPI's pages the type and
 * the final URL (links resolve against it). "blake2b:" + hex; caller frees.
 */
static char *source_of(const struct pg_http_req *r)
{
    unsigned char d[32];
    char hex[sizeof(d) * 2 + 1];
    crypto_generichash_state st;
    const char *type = r->content_type ? r->content_type : "";
    const char *url = r->final_url ? r->final_url : "";

    crypto_generichash_init(&st, NULL, 0, sizeof(d));
    crypto_generichash_update(&st, (const unsigned char *)type, strlen(type) + 1);
    crypto_generichash_update(&st, (const unsigned char *)url, strlen(url) + 1);
    if (r->len)
        crypto_generichash_update(&st, (const unsigned char *)r->body, r->len);
    crypto_generichash_final(&st, d, sizeof(d));
    sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
    return pg_xasprintf("blake2b:%s", hex);
}

static int same_or_none(const char *a, const char *b)
{
    return (!a && !b) || pg_streq(a, b);
}

int pg_metacache_unchanged(const struct pg_metacache_rec *rec, const struct pg_http_req *r)
{
    char *now;
    int same;

    if (!rec->meta || rec->meta->skimmed || !rec->source || r->status != 200 ||
        !same_or_none(rec->etag, r->etag) || !same_or_none(rec->last_modified, r->last_modified))
        return 0;
    now = source_of(r);
    same = pg_streq(now, rec->source);
    free(now);
    return same;
}

void pg_metacache_store(struct pg_metacache *c, const char *url, const char *accept,
                        const struct pg_meta *m, const struct pg_http_req *r,
                        const struct pg_metacache_rec *prev,
                        unsigned char digest[PG_METACACHE_DIGEST])
{
    struct pg_http_cache_entry e = PG_HTTP_CACHE_ENTRY_INIT;
    struct pg_sb sb = PG_SB_INIT;
    unsigned char d[PG_METACACHE_DIGEST];
    char *path = pg_http_cache_path(c->dir, url, accept), *source;

    pg_metacodec_encode(m, &sb);
    e.status = 200;
    /* Borrowed: the entry is only written, never released. */
    e.etag = r->etag;
    e.last_modified = r->last_modified;
    e.content_type = r->content_type;
    e.url = r->final_url;
    e.source = source = source_of(r);
    e.body = sb.buf;
    e.len = sb.len;
    pg_http_cache_sum(&e, d);
    if (digest)
        memcpy(digest, d, sizeof(d));
    /* The same file, byte for byte: only confirmed. */
    if (prev && prev->meta && sodium_memcmp(prev->digest, d, sizeof(d)) == 0)
        (void)pg_http_cache_touch(path, NULL);
    else
        (void)pg_http_cache_store_summed(path, &e, d, NULL);
    pg_sb_release(&sb);
    free(source);
    free(path);
}

void pg_metacache_touch(struct pg_metacache *c, const char *url, const char *accept)
{
    char *path = pg_http_cache_path(c->dir, url, accept);

    (void)pg_http_cache_touch(path, NULL);
    free(path);
}
