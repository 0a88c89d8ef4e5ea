/*
 * pg_pyversion.c - the real pip's Python version, asked once per
 * interpreter build and cached (pg_pyversion.h).
 *
 * The name (python3.11) or a venv's pyvenv.cfg would be cheaper, but give
 * no patch level or go stale when the base Python is upgraded in place;
 * requires-python may name a patch release, so the interpreter is asked.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "pg_pyversion.h"
#include "pg_regconf.h"
#include "pg_util.h"
#include "banned.h"

#define VERSION_MAX 32

static const char *env_get(const char *name)
{
    return getenv(name);
}

/* "N.N.N" and nothing else: what is cached and handed on. */
static int valid(const char *v)
{
    int dots = 0;

    if (!*v || strlen(v) >= VERSION_MAX)
        return 0;
    for (const char *p = v; *p; p++) {
        if (*p == '.' && p > v && p[-1] != '.')
            dots++;
        else if (*p < '0' || *p > '9')
            return 0;
    }
    return dots == 2 && v[strlen(v) - 1] != '.';
}

/* The cache file for this interpreter, by its real path; NULL: no cache. */
static char *cache_file(const char *real)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    char *dir;

    if (xdg && *xdg == '/')
        dir = pg_xasprintf("%s/pkggate", xdg);
    else if (home && *home == '/')
        dir = pg_xasprintf("%s/.cache/pkggate", home);
    else
        return NULL;
    crypto_hash_sha256(h, (const unsigned char *)real, strlen(real));
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    (void)mkdir(dir, 0700);
    {
        char *sub = pg_xasprintf("%s/python", dir);

        (void)mkdir(sub, 0700);
        free(dir);
        dir = sub;
    }
    {
        char *f = pg_xasprintf("%s/%.32s", dir, hex);

        free(dir);
        return f;
    }
}

/* The version cached for exactly this build (mtime and size), or NULL. */
static char *cached(const char *file, const struct stat *st)
{
    char buf[128], v[VERSION_MAX];
    long long mtime, size;
    FILE *f = file ? fopen(file, "re") : NULL;
    int ok;

    if (!f)
        return NULL;
    ok = fgets(buf, sizeof(buf), f) && sscanf(buf, "%lld %lld %31s", &mtime, &size, v) == 3 &&
         mtime == (long long)st->st_mtime && size == (long long)st->st_size && valid(v);
    fclose(f);
    return ok ? pg_xstrdup(v) : NULL;
}

static void remember(const char *file, const struct stat *st, const char *v)
{
    char *tmp = file ? pg_xasprintf("%s.%ld.tmp", file, (long)getpid()) : NULL;
    int fd = tmp ? open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;
    char line[128];
    int n;

    if (fd >= 0) {
        n = snprintf(line, sizeof(line), "%lld %lld %s\n", (long long)st->st_mtime,
                     (long long)st->st_size, v);
        if (n > 0 && write(fd, line, (size_t)n) == n && close(fd) == 0)
            (void)rename(tmp, file);
        else
            (void)unlink(tmp);
        fd = -1;
    }
    free(tmp);
}

/* Run `py -I -c ...` (no shell, stdin and stderr /dev/null); its one line. */
static char *ask(const char *py)
{
    static const char code[] = "import sys; print('%d.%d.%d' % sys.version_info[:3])";
    char buf[VERSION_MAX + 2];
    size_t got = 0;
    ssize_t n;
    int fds[2], status;
    pid_t pid;

    if (pipe(fds) < 0)
        return NULL;
    pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        char *const argv[] = {(char *)py, "-I", "-c", (char *)code, NULL};

        dup2(null, 0);
        dup2(fds[1], 1);
        dup2(null, 2);
        execv(py, argv);
        _exit(127);
    }
    close(fds[1]);
    while (pid > 0 && got < sizeof(buf) - 1 &&
           ((n = read(fds[0], buf + got, sizeof(buf) - 1 - got)) > 0 || (n < 0 && errno == EINTR)))
        got += n > 0 ? (size_t)n : 0;
    close(fds[0]);
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return NULL;
    buf[got] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    return valid(buf) ? pg_xstrdup(buf) : NULL;
}

/* A python binary run directly (python -m pip): the tool is the interpreter. */
static int is_python(const char *path)
{
    const char *base = strrchr(path, '/');

    return pg_starts_with(base ? base + 1 : path, "python");
}

char *pg_pyversion_of_tool(const char *tool_path)
{
    char real[PATH_MAX];
    char *py, *file, *v = NULL;
    struct stat st;

    if (!tool_path)
        return NULL;
    py = pg_regconf_python_path(tool_path, env_get);
    if (!py && is_python(tool_path))
        py = pg_xstrdup(tool_path);
    if (!py || !realpath(py, real) || stat(real, &st) < 0 || !S_ISREG(st.st_mode)) {
        free(py);
        return NULL;
    }
    file = cache_file(real);
    v = cached(file, &st);
    if (!v) {
        v = ask(real);
        if (v)
            remember(file, &st, v);
    }
    free(file);
    free(py);
    return v;
}
