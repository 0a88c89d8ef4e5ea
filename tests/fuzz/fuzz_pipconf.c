/*
 * fuzz_pipconf.c - pip's configparser dialect, option semantics, index
 * credentials and the netrc parser on untrusted bytes.
 *
 * The first byte picks the use of the rest: bit 0 clear, a pip.conf named
 * by PIP_CONFIG_FILE; set, a netrc file named by NETRC (with a credentialed
 * index URL in the environment). Bit 1 picks the command section. The
 * result is then queried: indexes, display forms and Authorization values
 * for several URLs. Load errors are fine; crashes and sanitizer reports
 * are not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pg_pipconf.h"
#include "pg_util.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT ((size_t)64 << 10)

static char dir[] = "/tmp/pg-fuzz-pipconf-XXXXXX";
static char *scratch_file;

static void cleanup(void)
{
    unlink(scratch_file);
    rmdir(dir);
    free(scratch_file);
}

/* The scratch file the input is written to, made once, gone at exit. */
static const char *scratch(void)
{
    if (!scratch_file) {
        if (!mkdtemp(dir))
            abort();
        scratch_file = pg_xasprintf("%s/input", dir);
        atexit(cleanup);
    }
    return scratch_file;
}

static const char *const *fuzz_env;

static const char *fuzz_getenv(const char *name)
{
    size_t n = strlen(name);

    for (const char *const *e = fuzz_env; *e; e++)
        if (!strncmp(*e, name, n) && (*e)[n] == '=')
            return *e + n + 1;
    return NULL;
}

static void query(const struct pg_pipconf *c)
{
    static const char *const urls[] = {"https://pypi.org/simple/x/",
                                       "https://files.example/f.whl",
                                       "http://h.example:8080/",
                                       "https://u:p@priv.example/simple",
                                       "not a url",
                                       "file:///tmp/x"};

    for (size_t i = 0; i < pg_pipconf_nindexes(c); i++) {
        const struct pg_pipconf_index *x = pg_pipconf_index(c, i);

        (void)pg_pipconf_auth_for(c, x->url);
        if (strlen(x->url) > strlen(x->display) + 4096)
            abort();
    }
    for (size_t i = 0; i < PG_ARRAY_SIZE(urls); i++)
        (void)pg_pipconf_auth_for(c, urls[i]);
    for (size_t i = 0; i < pg_pipconf_nfind_links(c); i++)
        (void)pg_pipconf_find_links(c, i);
    (void)pg_pipconf_index_url(c);
    (void)pg_pipconf_cert(c);
    (void)pg_pipconf_ca_bundle(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pg_pipconf_opts o = {0};
    struct pg_err err = PG_ERR_INIT;
    struct pg_pipconf *c = NULL;
    const char *file = scratch();
    char *var = NULL;
    const char *env[5] = {NULL};
    FILE *f;

    if (size < 1 || size > MAX_INPUT)
        return 0;
    f = fopen(file, "wb");
    if (!f)
        abort();
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    if (data[0] & 1) {
        var = pg_xasprintf("NETRC=%s", file);
        env[0] = "PIP_CONFIG_FILE=/dev/null";
        env[1] = "PIP_EXTRA_INDEX_URL=https://u:p%41@priv.example/simple https://tok@t.example/";
        env[2] = var;
    } else {
        var = pg_xasprintf("PIP_CONFIG_FILE=%s", file);
        env[0] = var;
        env[1] = "NETRC=/nonexistent";
    }
    fuzz_env = env;
    o.cwd = "/work";
    o.command = data[0] & 2 ? "install" : "download";
    o.getenv_fn = fuzz_getenv;
    o.etc_dir = "/nonexistent";
    if (pg_pipconf_load(&c, &o, &err) == 0)
        query(c);
    else if (!err.msg[0])
        abort(); /* every failure must say why */
    pg_pipconf_free(c);
    free(var);
    return 0;
}
