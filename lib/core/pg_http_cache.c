/*
 * pg_http_cache.c - atomic, checksummed response files (see the header for
 * the format and the reasoning).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "pg_http_cache.h"
#include "pg_util.h"
#include "banned.h"

#define MAGIC        "pkggate-http-cache 1\n"
#define SUM_BYTES    PG_HTTP_CACHE_SUM
/* Room for the header lines on top of the body limit. */
#define HEADER_SLACK ((size_t)64 << 10)
#define TMP_PREFIX   ".tmp-"
/* A write takes seconds; an hour-old temporary file lost its writer. */
#define TMP_STALE_S   3600
#define SWEEP_EVERY_S (24 * 3600)

/*
 * Remove the temporary files of writers killed before their rename. The
 * scan reads the whole directory, so it runs at most once a day: the
 * marker's mtime says when it last did (a future mtime is not trusted).
 */
static void sweep(const char *dir)
{
    char *marker = pg_xasprintf("%s/" PG_HTTP_CACHE_SWEEP_MARKER, dir);
    time_t now = time(NULL);
    struct dirent *de;
    struct stat st;
    DIR *d = NULL;
    int fd;

    if (lstat(marker, &st) == 0 && now >= st.st_mtime && now - st.st_mtime < SWEEP_EVERY_S)
        goto out;
    /* Mark first, so runs starting together rarely all scan. */
    fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
    if (fd < 0)
        goto out;
    (void)futimens(fd, NULL);
    close(fd);
    d = opendir(dir);
    while (d && (de = readdir(d))) {
        if (strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0 ||
            fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || S_ISDIR(st.st_mode))
            continue;
        if (now - st.st_mtime > TMP_STALE_S)
            (void)unlinkat(dirfd(d), de->d_name, 0);
    }
out:
    if (d)
        closedir(d);
    free(marker);
}

int pg_http_cache_prepare(const char *dir, struct pg_err *err)
{
    char *path = pg_xstrdup(dir);
    struct stat st;
    int ret = -1;

    /* mkdir -p, one component at a time; existing ones are fine. */
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) < 0 && errno != EEXIST) {
            pg_err_set(err, "cannot create cache directory '%s': %s", path, strerror(errno));
            goto out;
        }
        *p = '/';
    }
    if (mkdir(path, 0700) < 0 && errno != EEXIST) {
        pg_err_set(err, "cannot create cache directory '%s': %s", path, strerror(errno));
        goto out;
    }
    if (stat(path, &st) < 0) {
        pg_err_set(err, "cache directory '%s': %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISDIR(st.st_mode)) {
        pg_err_set(err, "cache directory '%s' is not a directory", path);
        goto out;
    }
    /* Anyone who can write here can plant responses pkggate would trust. */
    if (st.st_uid != geteuid() || (st.st_mode & 022)) {
        pg_err_set(err, "cache directory '%s' is writable by other users", path);
        goto out;
    }
    sweep(path);
    ret = 0;
out:
    free(path);
    return ret;
}

char *pg_http_cache_path(const char *dir, const char *url, const char *accept)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[sizeof(h) * 2 + 1];
    crypto_hash_sha256_state st;

    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)url, strlen(url));
    crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    if (accept)
        crypto_hash_sha256_update(&st, (const unsigned char *)accept, strlen(accept));
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    return pg_xasprintf("%s/%s", dir, hex);
}

void pg_http_cache_entry_release(struct pg_http_cache_entry *e)
{
    free(e->etag);
    free(e->last_modified);
    free(e->content_type);
    free(e->url);
    free(e->source);
    free(e->body);
    /* Field by field: clang-analyzer does not follow a compound-literal reset. */
    e->etag = e->last_modified = e->content_type = e->url = e->source = e->body = NULL;
    e->status = 0;
    e->len = 0;
    e->fetched_at = 0;
}

/*
 * Read the whole open file, refusing more than cap bytes. Straight into
 * sb's buffer (sized for the file by the caller): a warm run reads
 * megabytes of records, and a bounce through a stack buffer copied them
 * twice. The file may still grow under us (another writer renames, never
 * writes in place, but an odd file may): the buffer grows with it.
 */
static int read_all(int fd, size_t cap, struct pg_sb *sb, struct pg_err *err)
{
    for (;;) {
        ssize_t n;

        if (sb->alloc - sb->len < 2)
            pg_xgrow((void **)&sb->buf, &sb->alloc, sb->len + 65536, 1);
        n = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return pg_err_set(err, "read: %s", strerror(errno));
        if (n == 0)
            break;
        sb->len += (size_t)n;
        if (sb->len > cap)
            return pg_err_set(err, "larger than %zu bytes", cap);
    }
    sb->buf[sb->len] = '\0';
    return 0;
}

/* Take one "key value\n" line from [*p, end); an empty line gives key "". */
static int next_line(char **p, char *end, char **key, char **val)
{
    char *nl = memchr(*p, '\n', (size_t)(end - *p));
    char *sp;

    if (!nl)
        return -1;
    *nl = '\0';
    *key = *p;
    sp = strchr(*p, ' ');
    if (sp) {
        *sp = '\0';
        *val = sp + 1;
    } else {
        *val = nl;
    }
    *p = nl + 1;
    return 0;
}

static int parse_fields(char **p, char *end, struct pg_http_cache_entry *e, uint64_t *blen,
                        struct pg_err *err)
{
    char *key, *val;
    uint64_t status = 0;
    int have_len = 0;

    for (;;) {
        if (next_line(p, end, &key, &val) < 0)
            return pg_err_set(err, "corrupt: unterminated header");
        if (!*key)
            break;
        if (pg_streq(key, "status")) {
            if (pg_parse_u64(val, 999, &status) < 0)
                return pg_err_set(err, "corrupt: bad status");
        } else if (pg_streq(key, "body")) {
            if (pg_parse_u64(val, SIZE_MAX, blen) < 0)
                return pg_err_set(err, "corrupt: bad body length");
            have_len = 1;
        } else if (pg_streq(key, "etag") && !e->etag) {
            e->etag = pg_xstrdup(val);
        } else if (pg_streq(key, "last-modified") && !e->last_modified) {
            e->last_modified = pg_xstrdup(val);
        } else if (pg_streq(key, "content-type") && !e->content_type) {
            e->content_type = pg_xstrdup(val);
        } else if (pg_streq(key, "url") && !e->url) {
            e->url = pg_xstrdup(val);
        } else if (pg_streq(key, "source") && !e->source) {
            e->source = pg_xstrdup(val);
        }
        /* Unknown keys are skipped: a newer writer may add fields. */
    }
    if (!status || !have_len)
        return pg_err_set(err, "corrupt: status or body length missing");
    e->status = (long)status;
    return 0;
}

/* Check magic and checksum, then split fields and body out of sb. */
static int parse_entry(struct pg_sb *sb, size_t max_body, struct pg_http_cache_entry *e,
                       struct pg_err *err)
{
    unsigned char want[SUM_BYTES], got[SUM_BYTES];
    char *p = sb->buf, *end = sb->buf + sb->len, *key, *val;
    uint64_t blen = 0;
    size_t hex_len = 0;

    if (sb->len < strlen(MAGIC) || memcmp(p, MAGIC, strlen(MAGIC)) != 0)
        return pg_err_set(err, "corrupt: not a cache file");
    p += strlen(MAGIC);
    if (next_line(&p, end, &key, &val) < 0 || !pg_streq(key, "sum") ||
        sodium_hex2bin(want, sizeof(want), val, strlen(val), NULL, &hex_len, NULL) != 0 ||
        hex_len != sizeof(want))
        return pg_err_set(err, "corrupt: no checksum");
    crypto_generichash(got, sizeof(got), (const unsigned char *)p, (size_t)(end - p), NULL, 0);
    if (sodium_memcmp(want, got, sizeof(got)) != 0)
        return pg_err_set(err, "corrupt: checksum mismatch");
    memcpy(e->sum, got, sizeof(got));
    if (parse_fields(&p, end, e, &blen, err) < 0)
        return -1;
    if (blen != (uint64_t)(end - p))
        return pg_err_set(err, "corrupt: body length mismatch");
    if (blen > max_body)
        return pg_err_set(err, "larger than the body limit");
    /* Move the body to the front and hand the buffer over. */
    memmove(sb->buf, p, (size_t)blen);
    sb->buf[blen] = '\0';
    e->len = (size_t)blen;
    e->body = pg_sb_detach(sb);
    return 0;
}

int pg_http_cache_load(const char *path, size_t max_body, struct pg_http_cache_entry *e,
                       struct pg_err *err)
{
    struct pg_sb sb = PG_SB_INIT;
    struct stat st;
    int fd, ret = -1;

    pg_http_cache_entry_release(e);
    /*
     * O_NONBLOCK: a FIFO planted at an entry's path would otherwise block
     * the open until a writer comes, past every timeout. Regular files
     * ignore the flag; anything else is refused just below.
     */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0 && errno == ENOENT)
        return pg_err_set(err, "not cached");
    if (fd < 0)
        return pg_err_set(err, "cannot open: %s", strerror(errno));
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        pg_err_set(err, "not a regular file");
        goto out;
    }
    if (max_body > SIZE_MAX - HEADER_SLACK)
        max_body = SIZE_MAX - HEADER_SLACK;
    if ((uint64_t)st.st_size > max_body + HEADER_SLACK) {
        pg_err_set(err, "larger than the body limit");
        goto out;
    }
    /* One allocation of the right size; the file never changes in place. */
    pg_xgrow((void **)&sb.buf, &sb.alloc, (size_t)st.st_size + 2, 1);
    if (read_all(fd, max_body + HEADER_SLACK, &sb, err) < 0 || parse_entry(&sb, max_body, e, err) < 0) {
        pg_http_cache_entry_release(e);
        goto out;
    }
    e->fetched_at = (int64_t)st.st_mtime;
    ret = 0;
out:
    pg_sb_release(&sb);
    close(fd);
    return ret;
}

/* An optional field; values that would break the line format are dropped. */
static void add_field(struct pg_sb *sb, const char *key, const char *val)
{
    if (val && !strpbrk(val, "\r\n"))
        pg_sb_addf(sb, "%s %s\n", key, val);
}

/* The checksummed fields, and (when hash) their checksum with the body's. */
static void fields(const struct pg_http_cache_entry *e, struct pg_sb *hdr,
                   unsigned char sum[SUM_BYTES], int hash)
{
    crypto_generichash_state st;

    pg_sb_addf(hdr, "status %ld\n", e->status);
    add_field(hdr, "etag", e->etag);
    add_field(hdr, "last-modified", e->last_modified);
    add_field(hdr, "content-type", e->content_type);
    add_field(hdr, "url", e->url);
    add_field(hdr, "source", e->source);
    pg_sb_addf(hdr, "body %zu\n\n", e->len);
    if (!hash)
        return;
    crypto_generichash_init(&st, NULL, 0, SUM_BYTES);
    crypto_generichash_update(&st, (const unsigned char *)hdr->buf, hdr->len);
    if (e->len)
        crypto_generichash_update(&st, (const unsigned char *)e->body, e->len);
    crypto_generichash_final(&st, sum, SUM_BYTES);
}

void pg_http_cache_sum(const struct pg_http_cache_entry *e, unsigned char sum[PG_HTTP_CACHE_SUM])
{
    struct pg_sb hdr = PG_SB_INIT;

    fields(e, &hdr, sum, 1);
    pg_sb_release(&hdr);
}

/* The first two lines ("magic", "sum ...") and the checksummed fields;
 * known: the checksum when the caller has it already, else NULL. */
static void serialise(const struct pg_http_cache_entry *e, const unsigned char *known,
                      struct pg_sb *head, struct pg_sb *hdr)
{
    unsigned char sum[SUM_BYTES];
    char hex[SUM_BYTES * 2 + 1];

    fields(e, hdr, sum, known == NULL);
    sodium_bin2hex(hex, sizeof(hex), known ? known : sum, SUM_BYTES);
    pg_sb_addf(head, "%ssum %s\n", MAGIC, hex);
}

int pg_http_cache_store(const char *path, const struct pg_http_cache_entry *e,
                        struct pg_err *err)
{
    return pg_http_cache_store_summed(path, e, NULL, err);
}

int pg_http_cache_store_summed(const char *path, const struct pg_http_cache_entry *e,
                               const unsigned char sum[PG_HTTP_CACHE_SUM], struct pg_err *err)
{
    struct pg_sb hdr = PG_SB_INIT, head = PG_SB_INIT;
    const char *slash = strrchr(path, '/');
    char *tmp;
    int fd, ret = -1;

    serialise(e, sum, &head, &hdr);
    /* Same directory, so the rename is atomic; mkstemp makes it 0600. */
    tmp = pg_xasprintf("%.*s" TMP_PREFIX "XXXXXX", slash ? (int)(slash - path + 1) : 0, path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        pg_err_set(err, "cache: cannot create a file next to '%s': %s", path, strerror(errno));
        goto out;
    }
    if (pg_write_all(fd, head.buf, head.len) < 0 || pg_write_all(fd, hdr.buf, hdr.len) < 0 ||
        (e->len && pg_write_all(fd, e->body, e->len) < 0)) {
        pg_err_set(err, "cache: cannot write '%s': %s", tmp, strerror(errno));
        close(fd);
    } else if (close(fd) < 0) {
        pg_err_set(err, "cache: cannot write '%s': %s", tmp, strerror(errno));
    } else if (rename(tmp, path) < 0) {
        pg_err_set(err, "cache: cannot rename to '%s': %s", path, strerror(errno));
    } else {
        ret = 0;
    }
    if (ret < 0)
        unlink(tmp);
out:
    free(tmp);
    pg_sb_release(&hdr);
    pg_sb_release(&head);
    return ret;
}

int pg_http_cache_touch(const char *path, struct pg_err *err)
{
    if (utimensat(AT_FDCWD, path, NULL, AT_SYMLINK_NOFOLLOW) < 0)
        return pg_err_set(err, "cache: cannot refresh '%s': %s", path, strerror(errno));
    return 0;
}
