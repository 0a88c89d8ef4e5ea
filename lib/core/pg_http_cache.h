/*
 * pg_http_cache.h - the on-disk response cache behind pg_http.
 *
 * One file per (URL, Accept) pair, named by the hex SHA-256 of
 * "URL\nAccept" in a directory private to the user (0700, files 0600). A
 * file holds the response status, validators (ETag, Last-Modified),
 * Content-Type, the final URL (userinfo removed) and the body, behind a
 * BLAKE2b checksum of everything after the first two lines:
 *
 *     pkggate-http-cache 1\n
 *     sum <64 hex>\n
 *     status 200\n
 *     etag "abc"\n            (optional, likewise the next three)
 *     last-modified ...\n
 *     content-type ...\n
 *     url https://...\n
 *     source ...\n           (optional: pg_http_cache_entry.source)
 *     body <length>\n
 *     \n
 *     <length bytes>
 *
 * The fetch time is the file's mtime, so a 304 refreshes an entry with one
 * utimensat() instead of rewriting a multi-megabyte body.
 *
 * Writers build the file under a unique temporary name in the same
 * directory and rename() it into place, so readers (other pkggate
 * processes included) see the old file or the new one, never a mix. There
 * is no fsync: after a crash a torn file fails its checksum and reads as a
 * miss, which for a cache is the right outcome. A missing, truncated,
 * corrupt or oversized file is a miss, never an error the caller must
 * handle specially; so is anything but a regular file (a symlink, a FIFO,
 * a device), which is never opened in a way that could block.
 */
#ifndef PG_HTTP_CACHE_H
#define PG_HTTP_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "pg_err.h"

#define PG_HTTP_CACHE_SUM 32

struct pg_http_cache_entry {
    long status;
    char *etag;          /* or NULL */
    char *last_modified; /* or NULL */
    char *content_type;  /* or NULL */
    char *url;           /* final URL, or NULL */
    char *source;        /* what the body was made from, as its writer names
                          * it (pg_metacache: a digest of the registry's
                          * document), or NULL; one line of text */
    char *body;          /* NUL-terminated; len bytes */
    size_t len;
    int64_t fetched_at;  /* Unix seconds (file mtime); set by load */
    unsigned char sum[PG_HTTP_CACHE_SUM]; /* the file's checksum; set by load */
};

#define PG_HTTP_CACHE_ENTRY_INIT {0, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, {0}}

/*
 * Create dir (and missing parents) with mode 0700, then check that it is a
 * directory owned by this user that nobody else can write to. -1 with err
 * otherwise.
 *
 * Then, at most once a day (the mtime of dir/PG_HTTP_CACHE_SWEEP_MARKER
 * says when it last ran), remove the temporary files of writers killed
 * before their rename: ".tmp-*" files last modified over an hour ago. A
 * younger one may be another process's write in progress. Failures here
 * are ignored: a leftover file only wastes space.
 */
int pg_http_cache_prepare(const char *dir, struct pg_err *err);

#define PG_HTTP_CACHE_SWEEP_MARKER ".sweep"

/* The file for (url, accept) in dir; accept may be NULL. Caller frees. */
char *pg_http_cache_path(const char *dir, const char *url, const char *accept);

/*
 * Read the entry at path into *e (released first). 0 on a hit; -1 on a
 * miss, with err saying why ("not cached", "corrupt: checksum mismatch",
 * "larger than ..."). Bodies over max_body count as a miss.
 */
int pg_http_cache_load(const char *path, size_t max_body, struct pg_http_cache_entry *e,
                       struct pg_err *err);

/*
 * Atomically replace the entry at path with e (its fetched_at is ignored:
 * the file's mtime is now). Validator strings holding a newline are
 * dropped rather than stored. -1 with err on an I/O failure; the previous
 * entry, if any, is then left intact.
 */
int pg_http_cache_store(const char *path, const struct pg_http_cache_entry *e,
                        struct pg_err *err);
/* The same, with sum what pg_http_cache_sum(e) gave: e is not hashed again. */
int pg_http_cache_store_summed(const char *path, const struct pg_http_cache_entry *e,
                               const unsigned char sum[PG_HTTP_CACHE_SUM], struct pg_err *err);

/*
 * The checksum a store of e writes and a load of it sets in e->sum: a
 * BLAKE2b digest of everything the entry holds but its time, so two
 * entries with the same sum hold the same answer.
 */
void pg_http_cache_sum(const struct pg_http_cache_entry *e, unsigned char sum[PG_HTTP_CACHE_SUM]);

/* Mark the entry at path as fetched now (after a 304). */
int pg_http_cache_touch(const char *path, struct pg_err *err);

/* Free the strings and body and re-init. */
void pg_http_cache_entry_release(struct pg_http_cache_entry *e);

#endif
