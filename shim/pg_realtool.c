#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pg_realtool.h"
#include "banned.h"

static void add_id(struct pg_selfset *s, dev_t dev, ino_t ino)
{
    if (s->n >= PG_SELF_MAX || pg_selfset_has(s, dev, ino))
        return;
    s->dev[s->n] = dev;
    s->ino[s->n] = ino;
    s->n++;
}

int pg_selfset_add_path(struct pg_selfset *s, const char *path)
{
    struct stat st;

    if (!path || stat(path, &st) != 0)
        return 0;
    add_id(s, st.st_dev, st.st_ino);
    return 1;
}

void pg_selfset_add_self(struct pg_selfset *s, const char *path)
{
    if (pg_selfset_add_path(s, path))
        s->self_path = path;
}

void pg_selfset_add_list(struct pg_selfset *s, const char *list)
{
    const char *p = list;

    while (p && *p) {
        unsigned long long dev, ino;
        char *end;

        errno = 0;
        dev = strtoull(p, &end, 10);
        if (errno || *end != ':')
            return;
        ino = strtoull(end + 1, &end, 10);
        if (errno || (*end && *end != ','))
            return;
        add_id(s, (dev_t)dev, (ino_t)ino);
        p = *end ? end + 1 : end;
    }
}

int pg_selfset_has(const struct pg_selfset *s, dev_t dev, ino_t ino)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->dev[i] == dev && s->ino[i] == ino)
            return 1;
    return 0;
}

static int same_path(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* An executable regular file that is not one of ours. */
static int usable(const char *path, const struct pg_selfset *skip, int *is_self)
{
    struct stat st;

    *is_self = same_path(path, skip->self_path);
    if (*is_self)
        return 0;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    if (pg_selfset_has(skip, st.st_dev, st.st_ino)) {
        *is_self = 1;
        return 0;
    }
    return access(path, X_OK) == 0;
}

static const char *env_override(const char *tool, char *name, size_t namesz)
{
    /* pip3.11 -> PIP3_11, then PIP3, then PIP. */
    for (int pass = 0; pass < 3; pass++) {
        size_t n = (size_t)snprintf(name, namesz, "PKGGATE_REAL_");
        const char *v;

        for (const char *t = tool; *t && n + 1 < namesz; t++) {
            char c = *t;

            if (c == '.' && pass > 0)
                break;
            if (pass == 2 && c >= '0' && c <= '9')
                break;
            name[n++] = c == '.' ? '_' : (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
        }
        name[n] = '\0';
        v = getenv(name);
        if (v && *v)
            return v;
    }
    return NULL;
}

static int from_override(const char *var, const char *val, const struct pg_selfset *skip,
                         char *out, size_t outsz, char *why, size_t whysz)
{
    int is_self;

    if (!usable(val, skip, &is_self)) {
        snprintf(why, whysz, "%s%s%s %s", var, *var ? "=" : "", val,
                 is_self ? "points back at pkggate" : "is not an executable file");
        return -1;
    }
    if ((size_t)snprintf(out, outsz, "%s", val) >= outsz) {
        snprintf(why, whysz, "%s is too long", *var ? var : val);
        return -1;
    }
    return 0;
}

int pg_realtool_on_path(const char *tool, const struct pg_selfset *skip, char *out, size_t outsz,
                        int *saw_self)
{
    const char *path = getenv("PATH");
    size_t tlen = strlen(tool);

    *saw_self = 0;
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (1) {
        const char *end = strchr(path, ':');
        size_t len = end ? (size_t)(end - path) : strlen(path);
        int is_self = 0;

        /* An empty PATH entry means the current directory. memcpy, not
         * snprintf: this runs on every pass-through, and the printf
         * machinery is the largest code the shim would touch. */
        if (!len) {
            path = ".";
            len = 1;
        }
        if (len + 1 + tlen < outsz) {
            memcpy(out, path, len);
            out[len] = '/';
            memcpy(out + len + 1, tool, tlen + 1);
            if (usable(out, skip, &is_self))
                return 0;
        }
        *saw_self |= is_self;
        if (!end)
            break;
        path = end + 1;
    }
    return -1;
}

int pg_realtool_find(const char *tool, const struct pg_selfset *skip, char *out, size_t outsz,
                     char *why, size_t whysz)
{
    char var[64];
    const char *val;
    int saw_self;

    /* A path names its tool (python's hook hands over the venv's own
     * interpreter). One of our own shims called by its path (`$(command -v
     * npm) install`) stands for the tool behind it on PATH. */
    if (strchr(tool, '/')) {
        int is_self = 0;

        if (usable(tool, skip, &is_self) || !is_self)
            return from_override("", tool, skip, out, outsz, why, whysz);
        tool = strrchr(tool, '/') + 1;
    }
    val = env_override(tool, var, sizeof(var));
    if (val)
        return from_override(var, val, skip, out, outsz, why, whysz);
    if (pg_realtool_on_path(tool, skip, out, outsz, &saw_self) == 0)
        return 0;
    snprintf(why, whysz, "no real %s found on PATH%s; install it, or set %s", tool,
             saw_self ? " (only pkggate's own shims)" : "", var);
    return -1;
}

int pg_realtool_selfdir(char *out, size_t outsz)
{
    ssize_t n = outsz > 1 ? readlink("/proc/self/exe", out, outsz - 1) : -1;
    char *slash;

    if (n <= 0)
        return -1;
    out[n] = '\0';
    slash = strrchr(out, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    return 0;
}

/* v in decimal at p; returns the end. No printf: see the PATH walk. */
static char *put_u64(char *p, unsigned long long v)
{
    char tmp[24];
    size_t k = 0;

    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k)
        *p++ = tmp[--k];
    return p;
}

/* Append ",dev:ino" (no comma first) when it fits; buf stays terminated. */
static void put_id(char *buf, size_t bufsz, size_t *n, dev_t dev, ino_t ino)
{
    char item[2 * 24 + 2], *e = item;
    size_t len;

    if (*n)
        *e++ = ',';
    e = put_u64(e, (unsigned long long)dev);
    *e++ = ':';
    e = put_u64(e, (unsigned long long)ino);
    len = (size_t)(e - item);
    if (*n + len < bufsz) {
        memcpy(buf + *n, item, len);
        *n += len;
        buf[*n] = '\0';
    }
}

int pg_realtool_exec(const char *path, char *const argv[], const struct pg_selfset *skip)
{
    char seen[PG_SELF_MAX * 42 + 1];
    size_t n = 0;

    seen[0] = '\0';
    for (size_t i = 0; i < skip->n; i++)
        put_id(seen, sizeof(seen), &n, skip->dev[i], skip->ino[i]);
    if (setenv("PKGGATE_SEEN", seen, 1) != 0)
        return -1;
    execv(path, argv);
    return -1;
}

int pg_realtool_mark_handled(void)
{
    int fds[2];
    struct stat st;
    char v[80];

    if (pipe(fds) != 0)
        return -1;
    /* The read end crosses exec; the write end dies with us, so nothing can
     * ever be read from it and nothing blocks on it. */
    close(fds[1]);
    if (fstat(fds[0], &st) != 0) {
        close(fds[0]);
        return -1;
    }
    snprintf(v, sizeof(v), "%d:%llu:%llu", fds[0], (unsigned long long)st.st_dev,
             (unsigned long long)st.st_ino);
    return setenv("PKGGATE_HANDLED", v, 1);
}

void pg_selfset_add_program(struct pg_selfset *s)
{
    char self[PATH_MAX], path[PATH_MAX + 32];

    pg_selfset_add_path(s, "/proc/self/exe");
    pg_selfset_add_list(s, getenv("PKGGATE_SEEN"));
    if (pg_realtool_selfdir(self, sizeof(self)) < 0)
        return;
    snprintf(path, sizeof(path), "%s/../lib/pkggate/pkggate-shim", self);
    pg_selfset_add_path(s, path);
    snprintf(path, sizeof(path), "%s/pkggate-shim", self);
    pg_selfset_add_path(s, path);
}
