/*
 * pg_util.c - allocation, string buffers, checked numbers, capped reads
 * (pg_util.h).
 *
 * The allocators abort on out-of-memory instead of returning NULL: every
 * caller would have to fail closed anyway, and one abort is easier to trust
 * than hundreds of unchecked NULLs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pg_util.h"
#include "banned.h"

static void oom(size_t n)
{
    fprintf(stderr, "pkggate: out of memory allocating %zu bytes\n", n);
    abort();
}

void *pg_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        oom(n);
    return p;
}

void *pg_xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

    if (!p)
        oom(nmemb * size);
    return p;
}

void *pg_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q)
        oom(n);
    return q;
}

void pg_xgrow(void **p, size_t *alloc, size_t need, size_t elem)
{
    size_t n = *alloc ? *alloc : 8;

    if (need <= *alloc)
        return;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem)
            oom(SIZE_MAX);
        n *= 2;
    }
    *p = pg_xrealloc(*p, n * elem);
    *alloc = n;
}

char *pg_xstrdup(const char *s)
{
    return pg_xstrndup(s, strlen(s));
}

char *pg_xstrndup(const char *s, size_t n)
{
    char *p = pg_xmalloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *pg_xasprintf(const char *fmt, ...)
{
    struct pg_sb sb = PG_SB_INIT;
    va_list ap;

    va_start(ap, fmt);
    pg_sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    return pg_sb_detach(&sb);
}

void pg_sb_add(struct pg_sb *sb, const void *data, size_t n)
{
    pg_xgrow((void **)&sb->buf, &sb->alloc, sb->len + n + 1, 1);
    memcpy(sb->buf + sb->len, data, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void pg_sb_adds(struct pg_sb *sb, const char *s)
{
    pg_sb_add(sb, s, strlen(s));
}

void pg_sb_addc(struct pg_sb *sb, char c)
{
    pg_sb_add(sb, &c, 1);
}

void pg_sb_vaddf(struct pg_sb *sb, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return;
    pg_xgrow((void **)&sb->buf, &sb->alloc, sb->len + (size_t)n + 1, 1);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void pg_sb_addf(struct pg_sb *sb, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    pg_sb_vaddf(sb, fmt, ap);
    va_end(ap);
}

void pg_sb_reset(struct pg_sb *sb)
{
    sb->len = 0;
    if (sb->buf)
        sb->buf[0] = '\0';
}

char *pg_sb_detach(struct pg_sb *sb)
{
    char *p = sb->buf ? sb->buf : pg_xstrdup("");

    sb->buf = NULL;
    sb->len = sb->alloc = 0;
    return p;
}

void pg_sb_release(struct pg_sb *sb)
{
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->alloc = 0;
}

const char *pg_sb_str(const struct pg_sb *sb)
{
    return sb->buf ? sb->buf : "";
}

int pg_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;

    if (!s || !*s)
        return -1;
    for (; *s; s++) {
        unsigned d;

        if (*s < '0' || *s > '9')
            return -1;
        d = (unsigned)(*s - '0');
        if (v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int pg_read_file(const char *path, size_t cap, char **out, size_t *len, struct pg_err *err)
{
    struct pg_sb sb = PG_SB_INIT;
    char chunk[8192];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int ret = -1;

    if (fd < 0)
        return pg_err_set(err, "%s: %s", path, strerror(errno));
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            pg_err_set(err, "%s: %s", path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        if (sb.len + (size_t)n > cap) {
            pg_err_set(err, "%s: larger than the %zu byte limit", path, cap);
            goto out;
        }
        pg_sb_add(&sb, chunk, (size_t)n);
    }
    if (len)
        *len = sb.len;
    *out = pg_sb_detach(&sb);
    ret = 0;
out:
    pg_sb_release(&sb);
    close(fd);
    return ret;
}

int pg_write_all(int fd, const void *p, size_t n)
{
    const char *c = p;

    while (n) {
        ssize_t w = write(fd, c, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

int pg_streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

int pg_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int pg_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* What ends a URL inside free text: URLs hold none of these unencoded. */
#define URL_END " \t\r\n'\"<>`"

char *pg_redact_urls(const char *s)
{
    struct pg_sb sb = PG_SB_INIT;
    const char *p = s;

    for (;;) {
        const char *sep = strstr(p, "://");
        const char *auth, *end, *path_end, *next, *at = NULL;
        size_t q;

        if (!sep) {
            pg_sb_adds(&sb, p);
            break;
        }
        auth = sep + 3;
        end = auth + strcspn(auth, "/?#" URL_END);
        for (const char *c = auth; c < end; c++)
            if (*c == '@')
                at = c; /* the last '@' ends the userinfo */
        pg_sb_add(&sb, p, (size_t)(auth - p));
        if (at)
            pg_sb_adds(&sb, "****");
        p = at ? at : auth;
        /* The path, up to the query; a URL nested in it is redacted on its own. */
        path_end = end + strcspn(end, "?#" URL_END);
        next = strstr(end, "://");
        if (next && next < path_end)
            path_end = next;
        pg_sb_add(&sb, p, (size_t)(path_end - p));
        p = path_end;
        if (*p != '?')
            continue;
        /* Signed URLs (S3's X-Amz-Signature, sig=, token=) keep the secret here. */
        q = strcspn(p + 1, "#" URL_END);
        /* A last ')' closes the prose around the URL: "(see https://h/?x)". */
        if (q > 0 && p[q] == ')')
            q--;
        pg_sb_adds(&sb, q ? "?..." : "?");
        p += 1 + q;
    }
    return pg_sb_detach(&sb);
}

char *pg_path_resolve(const char *base, const char *p)
{
    struct pg_sb in = PG_SB_INIT, out = PG_SB_INIT;
    const char *s, *e;

    if (p[0] != '/')
        pg_sb_addf(&in, "%s/", base);
    pg_sb_adds(&in, p);
    for (s = pg_sb_str(&in); *s; s = e) {
        s += strspn(s, "/");
        e = s + strcspn(s, "/");
        if ((e - s == 1 && s[0] == '.') || e == s)
            continue;
        if (e - s == 2 && s[0] == '.' && s[1] == '.') {
            while (out.len && out.buf[out.len - 1] != '/')
                out.len--;
            if (out.len)
                out.len--;
            out.buf[out.len] = '\0';
            continue;
        }
        pg_sb_addc(&out, '/');
        pg_sb_add(&out, s, (size_t)(e - s));
    }
    if (!out.len)
        pg_sb_addc(&out, '/');
    pg_sb_release(&in);
    return pg_sb_detach(&out);
}

char *pg_fmt_size(size_t n)
{
    if (n >= ((size_t)1 << 20) && n % ((size_t)1 << 20) == 0)
        return pg_xasprintf("%zu MiB", n >> 20);
    if (n >= 1024 && n % 1024 == 0)
        return pg_xasprintf("%zu KiB", n >> 10);
    return pg_xasprintf("%zu bytes", n);
}
