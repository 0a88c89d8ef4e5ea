/*
 * pg_pyversion.c - the real pip's Python, asked once per interpreter
 * build and cached (pg_pyversion.h).
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

#include "pg_interp.h"
#include "pg_pyversion.h"
#include "pg_regconf.h"
#include "pg_util.h"
#include "banned.h"

#define VERSION_MAX 32
#define ANSWER_MAX  16384

/* What the interpreter is asked: one "key=value" line each, nothing run but the stdlib. */
static const char code[] =
    "import os, platform, sys, sysconfig\n"
    "i = sys.implementation\n"
    "def fv(v):\n"
    "    s = '%d.%d.%d' % (v.major, v.minor, v.micro)\n"
    "    return s if v.releaselevel == 'final' else s + v.releaselevel[0] + str(v.serial)\n"
    "e = {'version': '%d.%d.%d' % sys.version_info[:3],\n"
    "     'implementation_name': i.name, 'implementation_version': fv(i.version),\n"
    "     'os_name': os.name, 'platform_machine': platform.machine(),\n"
    "     'platform_python_implementation': platform.python_implementation(),\n"
    "     'platform_release': platform.release(), 'platform_system': platform.system(),\n"
    "     'platform_version': platform.version(),\n"
    "     'python_full_version': platform.python_version(),\n"
    "     'python_version': '.'.join(platform.python_version_tuple()[:2]),\n"
    "     'sys_platform': sys.platform,\n"
    "     'purelib': sysconfig.get_path('purelib'), 'platlib': sysconfig.get_path('platlib')}\n"
    "for k, v in e.items():\n"
    "    print(k + '=' + str(v).replace('\\n', ' '))\n";

static const char *env_get(const char *name)
{
    return getenv(name);
}

/* "N.N.N" and nothing else: what is handed on as the version. */
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

/* The cache file for the interpreter at path py; NULL: no cache. */
static char *cache_file(const char *py)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    char *dir, *sub, *f;

    if (xdg && *xdg == '/')
        dir = pg_xasprintf("%s/pkggate", xdg);
    else if (home && *home == '/')
        dir = pg_xasprintf("%s/.cache/pkggate", home);
    else
        return NULL;
    crypto_hash_sha256(h, (const unsigned char *)py, strlen(py));
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    (void)mkdir(dir, 0700);
    sub = pg_xasprintf("%s/python", dir);
    (void)mkdir(sub, 0700);
    f = pg_xasprintf("%s/env-%.32s", sub, hex);
    free(sub);
    free(dir);
    return f;
}

/* Take the "key=value" lines of an answer into env; 0 when it is whole. */
static int take(struct pg_pyenv *env, const char *text)
{
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        const char *eq = memchr(p, '=', n);

        if (eq) {
            char *key = pg_xstrndup(p, (size_t)(eq - p));
            char *val = pg_xstrndup(eq + 1, n - (size_t)(eq - p) - 1);
            int var = pg_marker_var_find(key);
            char **slot = strcmp(key, "version") == 0   ? &env->version
                          : strcmp(key, "purelib") == 0 ? &env->purelib
                          : strcmp(key, "platlib") == 0 ? &env->platlib
                          : var >= 0                     ? &env->markers[var]
                                                         : NULL;

            if (slot && !*slot)
                *slot = val;
            else
                free(val);
            free(key);
        }
        p += n + (p[n] == '\n');
    }
    return env->version && valid(env->version) ? 0 : -1;
}

/* The answer cached for exactly this build (mtime and size), or NULL. */
static char *cached(const char *file, const struct stat *st)
{
    char *text = NULL;
    size_t len = 0;
    long long mtime, size;
    char *nl;

    if (!file || pg_read_file(file, ANSWER_MAX, &text, &len, NULL) < 0)
        return NULL;
    nl = strchr(text, '\n');
    if (!nl || sscanf(text, "%lld %lld", &mtime, &size) != 2 ||
        mtime != (long long)st->st_mtime || size != (long long)st->st_size) {
        free(text);
        return NULL;
    }
    memmove(text, nl + 1, strlen(nl + 1) + 1);
    return text;
}

static void remember(const char *file, const struct stat *st, const char *answer)
{
    char *tmp = file ? pg_xasprintf("%s.%ld.tmp", file, (long)getpid()) : NULL;
    int fd = tmp ? open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600) : -1;
    char *text;

    if (fd >= 0) {
        text = pg_xasprintf("%lld %lld\n%s", (long long)st->st_mtime, (long long)st->st_size,
                            answer);
        if (pg_write_all(fd, text, strlen(text)) == 0 && close(fd) == 0)
            (void)rename(tmp, file);
        else
            (void)unlink(tmp);
        free(text);
    }
    free(tmp);
}

/* Run `py -I -c code` (no shell, stdin and stderr /dev/null); its output. */
static char *ask(const char *py)
{
    char *buf = pg_xmalloc(ANSWER_MAX + 1);
    size_t got = 0;
    ssize_t n;
    int fds[2], status;
    pid_t pid;

    if (pipe(fds) < 0)
        goto fail;
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
    while (pid > 0 && got < ANSWER_MAX &&
           ((n = read(fds[0], buf + got, ANSWER_MAX - got)) > 0 || (n < 0 && errno == EINTR)))
        got += n > 0 ? (size_t)n : 0;
    close(fds[0]);
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        goto fail;
    buf[got] = '\0';
    return buf;
fail:
    free(buf);
    return NULL;
}

/* A python binary run directly (python -m pip): the tool is the interpreter. */
static int is_python(const char *path)
{
    const char *base = strrchr(path, '/');

    return pg_starts_with(base ? base + 1 : path, "python");
}

/*
 * The python a pip that names none runs on (a pyenv shim, a wrapper or a
 * stand-in script): the one PATH finds, as `#!/usr/bin/env python3` would
 * (pg_interp.h), under the name pip's own implies: pip3.11 -> python3.11,
 * else python3. Caller frees.
 */
static char *python_on_path(const char *tool_path)
{
    const char *base = strrchr(tool_path, '/');
    char name[32] = "python3";

    base = base ? base + 1 : tool_path;
    if (pg_starts_with(base, "pip3.") && strlen(base) < 16 &&
        strspn(base + 5, "0123456789") == strlen(base + 5) && base[5])
        snprintf(name, sizeof(name), "python%s", base + 3);
    return pg_interp_on_path(name);
}

/*
 * The interpreter to ask for tool_path: the python its #! line names (or
 * the tool itself, python -m pip), else one on PATH. Never a shell a
 * wrapper names (it would run the question as commands), never a pkggate
 * shim (whose identity says nothing about the python behind it).
 */
static char *python_of(const char *tool_path)
{
    static const char *const pythons[] = {"python", "pypy", NULL};
    char *py = pg_regconf_python_path(tool_path, env_get);

    if (!py && is_python(tool_path))
        py = pg_xstrdup(tool_path);
    if (py && pg_interp_ours(py)) {
        char *behind = pg_interp_on_path(strrchr(py, '/') ? strrchr(py, '/') + 1 : py);

        free(py);
        py = behind;
    }
    if (py && !pg_interp_named(py, pythons)) {
        free(py);
        py = NULL;
    }
    return py ? py : python_on_path(tool_path);
}

int pg_pyenv_of_tool(const char *tool_path, struct pg_pyenv *env)
{
    char real[PATH_MAX];
    char *py, *file = NULL, *answer = NULL;
    struct stat st;
    int rc = -1;

    memset(env, 0, sizeof(*env));
    if (!tool_path)
        return -1;
    py = python_of(tool_path);
    if (!py || !realpath(py, real) || stat(real, &st) < 0 || !S_ISREG(st.st_mode))
        goto out;
    /* A script (pyenv's shim) chooses its python when it runs: never cached. */
    file = pg_interp_is_script(real) ? NULL : cache_file(py);
    answer = cached(file, &st);
    if (answer && take(env, answer) == 0) {
        rc = 0;
        goto out;
    }
    pg_pyenv_release(env);
    free(answer);
    /* By py, not real: a venv's python is a link, and only that path says venv. */
    answer = ask(py);
    if (answer && take(env, answer) == 0) {
        remember(file, &st, answer);
        rc = 0;
    }
out:
    if (rc < 0)
        pg_pyenv_release(env);
    free(answer);
    free(file);
    free(py);
    return rc;
}

void pg_pyenv_markers(const struct pg_pyenv *env, struct pg_marker_env *out)
{
    for (int i = 0; i < PG_MK_NVARS; i++)
        out->v[i] = env->markers[i];
}

void pg_pyenv_release(struct pg_pyenv *env)
{
    free(env->version);
    for (int i = 0; i < PG_MK_NVARS; i++)
        free(env->markers[i]);
    free(env->purelib);
    free(env->platlib);
    memset(env, 0, sizeof(*env));
}

char *pg_pyversion_of_tool(const char *tool_path)
{
    struct pg_pyenv env;
    char *v = NULL;

    if (pg_pyenv_of_tool(tool_path, &env) == 0) {
        v = env.version;
        env.version = NULL;
    }
    pg_pyenv_release(&env);
    return v;
}
