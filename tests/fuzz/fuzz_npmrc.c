/*
 * fuzz_npmrc.c - npm's ini dialect, ${ENV} expansion and credential
 * matching on untrusted bytes.
 *
 * The first byte picks where the rest goes: even, the project .npmrc (a
 * file in a scratch project made once per process); odd, NUL-separated
 * "npm_config_*=..." environment entries and command-line "key=value"
 * strings. The loaded configuration is then queried with scoped names and
 * URLs, so the nerf-dart walk and the same-host fallback run on fuzzed keys.
 * Load errors are fine; crashes, leaks and sanitizer reports are not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pg_npmrc.h"
#include "pg_util.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT ((size_t)64 << 10)

static const char *fuzz_getenv(const char *name)
{
    static const char *const env[][2] = {
        {"HOME", "/nonexistent-home"},
        {"TOKEN", "t0k"},
        {"EMPTY", ""},
        {"PATH", "/nonexistent-bin"},
        {"NPM_CONFIG_REGISTRY", "https://env.example/r"},
    };

    for (size_t i = 0; i < PG_ARRAY_SIZE(env); i++)
        if (!strcmp(env[i][0], name))
            return env[i][1];
    return NULL;
}

static char dir[] = "/tmp/pg-fuzz-npmrc-XXXXXX";

static void cleanup(void)
{
    char *p = pg_xasprintf("%s/package.json", dir);

    unlink(p);
    free(p);
    p = pg_xasprintf("%s/.npmrc", dir);
    unlink(p);
    free(p);
    rmdir(dir);
}

/* A scratch project, made once: mkdtemp + package.json, gone at exit. */
static const char *project(void)
{
    static int made;

    if (!made) {
        char *pj;
        FILE *f;

        if (!mkdtemp(dir))
            abort();
        pj = pg_xasprintf("%s/package.json", dir);
        f = fopen(pj, "w");
        if (!f)
            abort();
        fputs("{}\n", f);
        fclose(f);
        free(pj);
        atexit(cleanup);
        made = 1;
    }
    return dir;
}

static void query(const struct pg_npmrc *c)
{
    static const char *const names[] = {"left-pad", "@scope/x", "@a/b", "@", "@/x", ""};
    static const char *const urls[] = {"https://registry.npmjs.org/left-pad",
                                       "https://env.example/r/x/-/x-1.0.0.tgz",
                                       "http://localhost:8080/a/b/c",
                                       "https://h.example/",
                                       "not a url",
                                       "https://[::1]:1/x"};

    for (size_t i = 0; i < PG_ARRAY_SIZE(names); i++)
        for (size_t j = 0; j < PG_ARRAY_SIZE(urls); j++)
            (void)pg_npmrc_auth_for_pkg(c, urls[j], names[i]);
    for (size_t i = 0; i < PG_ARRAY_SIZE(names); i++)
        (void)pg_npmrc_registry_for(c, names[i]);
    for (size_t i = 0; i < pg_npmrc_nfiles(c); i++)
        (void)pg_npmrc_file(c, i);
    (void)pg_npmrc_cafile(c);
    (void)pg_npmrc_strict_ssl(c);
}

/* NUL-separated strings into a NULL-ended array (in place). */
static const char **split(char *buf, size_t len)
{
    size_t n = 1, k = 0;
    const char **v;

    for (size_t i = 0; i < len; i++)
        n += buf[i] == '\0';
    v = pg_xcalloc(n + 1, sizeof(*v));
    v[k++] = buf;
    for (size_t i = 0; i + 1 < len; i++)
        if (buf[i] == '\0')
            v[k++] = buf + i + 1;
    return v;
}

static int contains(const uint8_t *data, size_t size, const char *s)
{
    size_t n = strlen(s);

    for (size_t i = 0; i + n <= size; i++)
        if (!memcmp(data + i, s, n))
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pg_npmrc_opts o = {0};
    struct pg_err err = PG_ERR_INIT;
    struct pg_npmrc *c = NULL;
    char *text, *path = NULL;
    const char **list = NULL;

    if (size < 1 || size > MAX_INPUT)
        return 0;
    /* Config can name files to read; keep the fuzzer off devices. */
    if (contains(data, size, "/dev") || contains(data, size, "/proc") ||
        contains(data, size, "/sys"))
        return 0;
    text = pg_xstrndup((const char *)data + 1, size - 1); /* keeps embedded NULs */
    o.cwd = project();
    o.getenv_fn = fuzz_getenv;
    o.node_path = "/nonexistent/bin/node";
    path = pg_xasprintf("%s/.npmrc", o.cwd);
    if (data[0] % 2 == 0) {
        FILE *f = fopen(path, "wb");

        if (!f)
            abort();
        fwrite(text, 1, size - 1, f);
        fclose(f);
    } else {
        unlink(path);
        list = split(text, size - 1);
        if (data[0] & 2)
            o.environ = list;
        else
            o.cli = list;
    }
    if (pg_npmrc_load(&c, &o, &err) == 0)
        query(c);
    else if (!err.msg[0])
        abort(); /* every failure must say why */
    pg_npmrc_free(c);
    free(list);
    free(path);
    free(text);
    return 0;
}
