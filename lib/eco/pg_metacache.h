/*
 * pg_metacache.h - the facts cache: what a registry document said, kept as
 * the compact record of pg_metacodec.h instead of the document itself.
 *
 * One record per (URL, Accept), in its own directory beside the HTTP cache
 * ($XDG_CACHE_HOME/pkggate/facts). A record is a pg_http_cache file
 * (pg_http_cache.h: checksum, atomic rename, 0600 in a 0700 directory,
 * anything corrupt or odd reads as a miss) whose body is the facts record
 * and whose ETag / Last-Modified are the document's validators, so the
 * next run can ask the registry "has it changed?" (If-None-Match) and, on
 * a 304, rebuild the facts without downloading or parsing the document.
 * The record's mtime is when the registry last gave or confirmed it. It
 * also names the document it was read from by a digest
 * (pg_metacache_unchanged), for registries that send no validators.
 *
 * When a record answers without asking the registry at all
 * (pg_metacache_current):
 *  - offline: always (what is not cached is a miss, as before);
 *  - younger than fresh_s (check: pg_http's 300 s; run: never, since the
 *    version an install would pick may have been published a minute ago);
 *  - the caller needs only exact versions (a lockfile's) that the record
 *    holds, and the record is younger than revalidate_s (the policy's
 *    "revalidate", default a day): a published version's facts do not
 *    change except by deprecation, yanking or unpublishing, and those are
 *    the facts this schedule bounds the age of.
 * Anything else is revalidated with the record's validators.
 */
#ifndef PG_METACACHE_H
#define PG_METACACHE_H

#include <stdint.h>

#include "pg_err.h"
#include "pg_http.h"
#include "pg_meta.h"

struct pg_metacache;

#define PG_METACACHE_DIGEST 32

struct pg_metacache_opts {
    const char *dir;      /* created 0700 if missing; must be private (pg_http_cache_prepare) */
    int offline;          /* every record is current, whatever its age */
    int64_t fresh_s;      /* records younger than this are current (<= 0: none) */
    int64_t revalidate_s; /* ... or younger than this and holding the pinned version */
};

/* NULL with err when the directory cannot be made private. Free with pg_metacache_free. */
struct pg_metacache *pg_metacache_new(const struct pg_metacache_opts *o, struct pg_err *err);
void pg_metacache_free(struct pg_metacache *c);

/* A record as loaded. */
struct pg_metacache_rec {
    struct pg_meta *meta;  /* owned; take it by setting this to NULL */
    char *etag;            /* validators, or NULL */
    char *last_modified;
    int64_t checked_at;    /* Unix seconds the registry last gave or confirmed it */
    unsigned char digest[PG_METACACHE_DIGEST]; /* of the record: its file's checksum */
    char *source;          /* the digest of the document it was read from, or NULL */
};
#define PG_METACACHE_REC_INIT {NULL, NULL, NULL, 0, {0}, NULL}

/*
 * Load the record for (url, accept) into *rec (released first). 0 on a
 * hit; -1 on a miss: none, corrupt, another format version, or a record
 * for another package than name (a record never answers for a name it was
 * not asked about). pinned[0..npinned) and now are what
 * pg_metacache_current will be asked with: when the record can be current
 * only by the schedule (2), its meta is skimmed (pg_metacodec_decode_keep:
 * the pinned versions whole, the others with what the rules read of
 * them), which is what makes a warm run over a large lockfile cheap;
 * otherwise, and whenever a pinned version is missing (the record will
 * be revalidated, and a 304 hands its meta over), it is whole.
 */
int pg_metacache_load(struct pg_metacache *c, const char *url, const char *accept,
                      const char *name, const char *const *pinned, size_t npinned, int64_t now,
                      struct pg_metacache_rec *rec);

/*
 * Whether rec answers without the network (see the header): 0 no; 1 yes;
 * 2 yes, but only because it holds every one of pinned[0..npinned) (it is
 * older than fresh_s). npinned 0: nothing is pinned.
 */
int pg_metacache_current(const struct pg_metacache *c, const struct pg_metacache_rec *rec,
                         const char *const *pinned, size_t npinned, int64_t now);

/*
 * Record m as the facts of the 200 answer r to (url, accept): its
 * validators come from r. Failures are ignored (the next run is slower).
 * digest (may be NULL) gets the record's digest, as a load would give it.
 * prev (may be NULL) is the record loaded for (url, accept) before asking:
 * when the new record would be the same bytes with the same validators (a
 * registry without validators sends the whole document every time, and it
 * rarely changed), prev's file is only marked confirmed, as a 304 would:
 * writing a new file cost more than parsing the document.
 */
void pg_metacache_store(struct pg_metacache *c, const char *url, const char *accept,
                        const struct pg_meta *m, const struct pg_http_req *r,
                        const struct pg_metacache_rec *prev,
                        unsigned char digest[PG_METACACHE_DIGEST]);

/*
 * Whether the 200 answer r is the very document rec was read from (the
 * same bytes, content type and final URL, and the same validators): a
 * registry that sends no ETag (a mirror) sends the whole document on
 * every ask, and parsing it again would give rec's facts. Only a whole
 * meta counts (not a skimmed one). The caller then treats r as a 304.
 */
int pg_metacache_unchanged(const struct pg_metacache_rec *rec, const struct pg_http_req *r);

/* The registry confirmed the record (304): it is current from now. */
void pg_metacache_touch(struct pg_metacache *c, const char *url, const char *accept);

/*
 * Whether a record could answer without the network at all, for a caller
 * that pins versions (pinned) or not: 0 means every load will be
 * revalidated, so its request can leave before the other records load.
 */
int pg_metacache_may_answer(const struct pg_metacache *c, int pinned);

void pg_metacache_rec_release(struct pg_metacache_rec *rec);

/* 1 when made with offline set. */
int pg_metacache_offline(const struct pg_metacache *c);

#endif
