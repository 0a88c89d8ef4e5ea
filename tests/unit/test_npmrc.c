/*
 * npm configuration: layer order, ini dialect, ${ENV} expansion, scoped
 * registries and nerf-darted credentials. The data files live in
 * tests/unit/data/config/npm; the expectations for the layer order were
 * checked against `npm config get` (npm 11) on the same files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "pg_npmrc.h"
#include "pg_util.h"
#include "banned.h"

#define D PG_TEST_DATA_DIR "/unit/data/config/npm"

/* The fake environment the loader sees: NAME=value strings, NULL-ended. */
static const char *const *test_env;

static const char *fake_getenv(const char *name)
{
    size_t n = strlen(name);

    for (const char *const *e = test_env; e && *e; e++)
        if (!strncmp(*e, name, n) && (*e)[n] == '=')
            return *e + n + 1;
    return NULL;
}

static struct pg_npmrc *load_opts(struct pg_npmrc_opts *o, const char *const *env)
{
    struct pg_npmrc *cfg = NULL;
    struct pg_err err = PG_ERR_INIT;

    test_env = env;
    o->getenv_fn = fake_getenv;
    if (!o->node_path)
        o->node_path = D "/prefix/bin/node";
    if (pg_npmrc_load(&cfg, o, &err) < 0)
        fail_msg("load failed: %s", err.msg);
    return cfg;
}

static struct pg_npmrc *load(const char *cwd, const char *const *env, const char *const *cli)
{
    struct pg_npmrc_opts o = {0};

    o.cwd = cwd;
    o.cli = cli;
    return load_opts(&o, env);
}

/* A scratch directory outside any npm project. */
static char *scratch(void)
{
    char tmpl[] = "/tmp/pg-npmrc-XXXXXX";

    assert_non_null(mkdtemp(tmpl));
    return pg_xstrdup(tmpl);
}

static void test_layer_order(void **state)
{
    const char *const env_home[] = {"HOME=" D "/home", "PG_TEST_TOKEN=t0k", NULL};
    const char *const env_nohome[] = {"HOME=/nonexistent", NULL};
    const char *const env_noglobal[] = {"HOME=/nonexistent", "npm_config_globalconfig=/nope", NULL};
    const char *const cli[] = {"registry=https://cli.example", NULL};
    char *tmp = scratch();
    struct pg_npmrc *c;

    (void)state;
    c = load(D "/project/sub/dir", env_home, NULL);
    assert_string_equal(pg_npmrc_registry(c), "https://project.example/registry/");
    assert_int_equal(pg_npmrc_nfiles(c), 4); /* builtin, project, user, global */
    assert_string_equal(pg_npmrc_file(c, 1), D "/project/.npmrc");
    pg_npmrc_free(c);
    c = load(D "/project/sub/dir", env_home, cli);
    assert_string_equal(pg_npmrc_registry(c), "https://cli.example/");
    pg_npmrc_free(c);
    c = load(tmp, env_home, NULL);
    assert_string_equal(pg_npmrc_registry(c), "https://user.example/");
    pg_npmrc_free(c);
    c = load(tmp, env_nohome, NULL);
    assert_string_equal(pg_npmrc_registry(c), "https://global.example/");
    pg_npmrc_free(c);
    c = load(tmp, env_noglobal, NULL);
    assert_string_equal(pg_npmrc_registry(c), "https://builtin.example/");
    assert_string_equal(pg_npmrc_registry_for(c, "@built/x"), "https://builtin.example/scoped/");
    pg_npmrc_free(c);
    rmdir(tmp);
    free(tmp);
}

static void test_defaults(void **state)
{
    const char *const env[] = {NULL};
    struct pg_npmrc_opts o = {0};
    char *tmp = scratch();
    struct pg_npmrc *c;

    (void)state;
    o.cwd = tmp;
    o.node_path = "/nonexistent/bin/node";
    c = load_opts(&o, env);
    assert_string_equal(pg_npmrc_registry(c), PG_NPMRC_DEFAULT_REGISTRY);
    assert_string_equal(pg_npmrc_registry_for(c, "@any/x"), PG_NPMRC_DEFAULT_REGISTRY);
    assert_null(pg_npmrc_auth_for(c, "https://registry.npmjs.org/left-pad"));
    assert_null(pg_npmrc_cafile(c));
    assert_int_equal(pg_npmrc_strict_ssl(c), 1);
    assert_int_equal(pg_npmrc_nfiles(c), 0);
    pg_npmrc_free(c);
    rmdir(tmp);
    free(tmp);
}

static void test_env_spellings(void **state)
{
    const char *const lower[] = {"HOME=/nonexistent", "npm_config_registry=https://a.example",
                                 "NPM_CONFIG_REGISTRY=https://b.example", NULL};
    const char *const upper[] = {"HOME=/nonexistent", "NPM_CONFIG_REGISTRY=https://b.example",
                                 "npm_config_registry=", NULL};
    /* With a whole environment block, every npm_config_* counts, in order. */
    const char *const block[] = {"HOME=/nonexistent",
                                 "NPM_CONFIG_REGISTRY=https://b.example",
                                 "Npm_Config_Registry=https://c.example",
                                 "npm_config_@env:registry=https://env.example/s",
                                 "npm_config_//env.example/:_authToken=envtok",
                                 "npm_config_strict_ssl=false",
                                 NULL};
    struct pg_npmrc_opts o = {0};
    char *tmp = scratch();
    struct pg_npmrc *c;

    (void)state;
    c = load(tmp, lower, NULL);
    assert_string_equal(pg_npmrc_registry(c), "https://a.example/");
    pg_npmrc_free(c);
    c = load(tmp, upper, NULL);
    assert_string_equal(pg_npmrc_registry(c), "https://b.example/");
    pg_npmrc_free(c);
    o.cwd = tmp;
    o.environ = block;
    c = load_opts(&o, block);
    assert_string_equal(pg_npmrc_registry(c), "https://c.example/");
    assert_string_equal(pg_npmrc_registry_for(c, "@env/pkg"), "https://env.example/s/");
    assert_string_equal(pg_npmrc_auth_for(c, "https://env.example/s/pkg"), "Bearer envtok");
    assert_int_equal(pg_npmrc_strict_ssl(c), 0);
    pg_npmrc_free(c);
    rmdir(tmp);
    free(tmp);
}

static void test_scopes(void **state)
{
    const char *const env[] = {"HOME=" D "/home", NULL};
    struct pg_npmrc *c;

    (void)state;
    c = load(D "/project", env, NULL);
    assert_string_equal(pg_npmrc_registry_for(c, "@user/x"), "https://user.example/scoped/");
    /* The project layer overrides the user layer key by key. */
    assert_string_equal(pg_npmrc_registry_for(c, "@shared/x"), "https://project.example/shared/");
    assert_string_equal(pg_npmrc_registry_for(c, "@glob/x"), "https://glob.example/npm/");
    assert_string_equal(pg_npmrc_registry_for(c, "@nope/x"), "https://project.example/registry/");
    assert_string_equal(pg_npmrc_registry_for(c, "left-pad"), "https://project.example/registry/");
    assert_string_equal(pg_npmrc_registry_for(c, "@user"), "https://project.example/registry/");
    assert_string_equal(pg_npmrc_registry_for(c, "@use/x"), "https://project.example/registry/");
    pg_npmrc_free(c);
}

static void test_auth(void **state)
{
    const char *const env[] = {"HOME=" D "/home", "PG_TEST_TOKEN=t0k", NULL};
    char *tmp = scratch();
    struct pg_npmrc *c;

    (void)state;
    c = load(tmp, env, NULL);
    assert_string_equal(pg_npmrc_auth_for(c, "https://user.example/left-pad"), "Bearer t0k");
    assert_string_equal(pg_npmrc_auth_for(c, "https://USER.example:443/x/-/x-1.0.0.tgz"),
                        "Bearer t0k");
    assert_string_equal(pg_npmrc_auth_for(c, "https://user.example/deep/path/x"),
                        "Bearer deep-token-2");
    assert_string_equal(pg_npmrc_auth_for(c, "https://user.example/deep/path"), "Bearer t0k");
    assert_string_equal(pg_npmrc_auth_for(c, "https://user.example/deep/other"), "Bearer t0k");
    /* username + base64 _password: Basic base64("alice:p4ssword") */
    assert_string_equal(pg_npmrc_auth_for(c, "https://basic.example/x"),
                        "Basic YWxpY2U6cDRzc3dvcmQ=");
    assert_string_equal(pg_npmrc_auth_for(c, "https://auth.example:8443/x"),
                        "Basic YWxpY2U6c2VjcmV0");
    assert_null(pg_npmrc_auth_for(c, "https://auth.example/x")); /* port differs */
    /* A client-certificate entry matches first and sends no header. */
    assert_null(pg_npmrc_auth_for(c, "https://cert.example/a/b"));
    assert_string_equal(pg_npmrc_auth_for(c, "https://cert.example/b"),
                        "Bearer never-sent-under-a");
    assert_string_equal(pg_npmrc_auth_for(c, "https://quoted.example/x"), "Bearer tok;en#1");
    assert_string_equal(pg_npmrc_auth_for(c, "https://inline.example/x"), "Bearer tok;en");
    assert_null(pg_npmrc_auth_for(c, "https://other.example/x"));
    assert_null(pg_npmrc_auth_for(c, "not a url"));
    /* Top-level _authToken is not sent anywhere; the [section] is ignored. */
    assert_string_equal(pg_npmrc_registry(c), "https://user.example/");
    /* Same host as the registry: the registry's credentials. */
    assert_string_equal(pg_npmrc_auth_for_pkg(c, "https://user.example/", "@user/x"), "Bearer t0k");
    assert_string_equal(pg_npmrc_cafile(c), D "/home/certs/ca.pem");
    assert_int_equal(pg_npmrc_strict_ssl(c), 0);
    pg_npmrc_free(c);
    rmdir(tmp);
    free(tmp);
}

static void test_same_host_fallback(void **state)
{
    const char *const env[] = {"HOME=/nonexistent", "npm_config_globalconfig=/nope", NULL};
    const char *const cli[] = {
        "registry=https://reg.example/npm/", "//reg.example/npm/:_authToken=regtok",
        "@s:registry=https://scoped.example/r/", "//scoped.example/r/:_authToken=stok", NULL};
    char *tmp = scratch();
    struct pg_npmrc *c;

    (void)state;
    c = load(tmp, env, cli);
    assert_string_equal(pg_npmrc_auth_for(c, "https://reg.example/npm/x"), "Bearer regtok");
    /* Tarball elsewhere on the registry's host: the registry's token. */
    assert_string_equal(pg_npmrc_auth_for(c, "https://reg.example/tarballs/x.tgz"),
                        "Bearer regtok");
    assert_null(pg_npmrc_auth_for(c, "https://cdn.example/tarballs/x.tgz"));
    assert_string_equal(pg_npmrc_auth_for_pkg(c, "https://scoped.example/t/x.tgz", "@s/x"),
                        "Bearer stok");
    assert_null(pg_npmrc_auth_for_pkg(c, "https://scoped.example/t/x.tgz", "plain"));
    pg_npmrc_free(c);
    rmdir(tmp);
    free(tmp);
}

static char *write_file(const char *dir, const char *name, const char *text)
{
    char *path = pg_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    return path;
}

static char *write_npmrc(const char *dir, const char *text)
{
    return write_file(dir, ".npmrc", text);
}

static void test_ini_and_expansion(void **state)
{
    const char *const env[] = {"HOME=/nonexistent", "npm_config_globalconfig=/nope", "NAME=v",
                               "EMPTY=", NULL};
    char *tmp = scratch();
    char *path = write_npmrc(tmp, "  ; comment\r\n# comment\r\n"
                                  "registry = https://r.example/${NAME}/${UNSET?}x\r\n"
                                  "@a:registry=https://a.example/${UNSET}\n"
                                  "@b:registry=https://b.example/\\${NAME}/\\\\\\\\${NAME}\n"
                                  "@c:registry='https://c.example/#x'\n"
                                  "@d:registry=\"https://d.example/\\u0041\"\n"
                                  "@e:registry=https://e.example/ # trailing comment\n"
                                  "@${NAME}:registry=https://keyexp.example/\n"
                                  "  [not-a-section]\n"
                                  "strict-ssl\n"
                                  "//t.example/:_authToken=${EMPTY?}z\n"
                                  "[s]\n@f:registry=https://f.example/\n");
    struct pg_npmrc *c;

    (void)state;
    c = load(tmp, env, NULL);
    assert_string_equal(pg_npmrc_registry(c), "https://r.example/v/x/");
    assert_string_equal(pg_npmrc_registry_for(c, "@a/p"), "https://a.example/${UNSET}/");
    assert_string_equal(pg_npmrc_registry_for(c, "@b/p"), "https://b.example/${NAME}/\\v/");
    assert_string_equal(pg_npmrc_registry_for(c, "@c/p"), "https://c.example/#x/");
    assert_string_equal(pg_npmrc_registry_for(c, "@d/p"), "https://d.example/A/");
    assert_string_equal(pg_npmrc_registry_for(c, "@e/p"), "https://e.example/");
    assert_string_equal(pg_npmrc_registry_for(c, "@v/p"), "https://keyexp.example/");
    assert_string_equal(pg_npmrc_registry_for(c, "@f/p"), "https://r.example/v/x/");
    assert_int_equal(pg_npmrc_strict_ssl(c), 1);
    assert_string_equal(pg_npmrc_auth_for(c, "https://t.example/"), "Bearer z");
    pg_npmrc_free(c);
    unlink(path);
    free(path);
    rmdir(tmp);
    free(tmp);
}

static void test_project_rules(void **state)
{
    const char *const env_hp[] = {"HOME=" D "/homeproj", "npm_config_globalconfig=/nope", NULL};
    const char *const env[] = {"HOME=" D "/home", "PG_TEST_TOKEN=x", NULL};
    const char *const global[] = {"global=true", NULL};
    const char *const prefix[] = {"prefix=" D "/project", NULL};
    const char *const moved[] = {"HOME=/nonexistent", "npm_config_userconfig=~/x",
                                 "npm_config_globalconfig=/nope", NULL};
    const char *const home_moved[] = {"HOME=" D "/home", "PG_TEST_TOKEN=x",
                                      "npm_config_userconfig=" D "/homeproj/.npmrc",
                                      "npm_config_globalconfig=/nope", NULL};
    char *tmp = scratch();
    struct pg_npmrc *c;

    (void)state;
    /* Home is also the project: its .npmrc is read once, as user config. */
    c = load(D "/homeproj", env_hp, NULL);
    assert_string_equal(pg_npmrc_registry(c), "https://homeproj.example/");
    assert_int_equal(pg_npmrc_nfiles(c), 2);
    pg_npmrc_free(c);
    c = load(D "/project", env, global);
    assert_string_equal(pg_npmrc_registry(c), "https://user.example/");
    pg_npmrc_free(c);
    c = load(tmp, env, prefix);
    assert_string_equal(pg_npmrc_registry(c), "https://project.example/registry/");
    pg_npmrc_free(c);
    c = load(tmp, moved, NULL);
    assert_string_equal(pg_npmrc_registry(c), "https://builtin.example/");
    pg_npmrc_free(c);
    c = load(tmp, home_moved, NULL);
    assert_string_equal(pg_npmrc_registry(c), "https://homeproj.example/");
    pg_npmrc_free(c);
    rmdir(tmp);
    free(tmp);
}

/*
 * In a workspace's folder npm reads the workspace root's .npmrc and
 * ignores the workspace's own ("ignoring workspace config", npm 11),
 * unless --workspaces=false.
 */
static void test_workspace_npmrc(void **state)
{
    const char *const env[] = {"HOME=/nonexistent", "npm_config_globalconfig=/nope", NULL};
    const char *const off[] = {"workspaces=false", NULL};
    static const char *const made[] = {"package.json", ".npmrc", "pkgs/a/package.json",
                                       "pkgs/a/.npmrc", "pkgs/a", "pkgs"};
    char *root = scratch(), *ws = pg_xasprintf("%s/pkgs/a", root), *pkgs;
    struct pg_npmrc *c;

    (void)state;
    pkgs = pg_xasprintf("%s/pkgs", root);
    assert_int_equal(mkdir(pkgs, 0700), 0);
    assert_int_equal(mkdir(ws, 0700), 0);
    free(write_file(root, "package.json", "{\"name\":\"r\",\"workspaces\":[\"pkgs/*\"]}"));
    free(write_npmrc(root, "registry=https://root.example/\n"));
    free(write_file(ws, "package.json", "{\"name\":\"a\",\"version\":\"1.0.0\"}"));
    free(write_npmrc(ws, "registry=https://ws.example/\n"));
    c = load(ws, env, NULL);
    assert_string_equal(pg_npmrc_registry(c), "https://root.example/");
    pg_npmrc_free(c);
    c = load(ws, env, off);
    assert_string_equal(pg_npmrc_registry(c), "https://ws.example/");
    pg_npmrc_free(c);
    for (size_t i = 0; i < PG_ARRAY_SIZE(made); i++) {
        char *path = pg_xasprintf("%s/%s", root, made[i]);

        assert_int_equal(i < 4 ? unlink(path) : rmdir(path), 0);
        free(path);
    }
    rmdir(root);
    free(pkgs);
    free(ws);
    free(root);
}

static void test_global_prefix(void **state)
{
    const char *const path_env[] = {"HOME=/nonexistent", "PATH=/nonexistent:" D "/prefix/bin",
                                    NULL};
    const char *const prefix_env[] = {"HOME=/nonexistent", "PREFIX=" D "/altprefix", NULL};
    const char *const cfg_prefix[] = {"HOME=/nonexistent", "npm_config_prefix=" D "/altprefix",
                                      NULL};
    const char *const destdir[] = {"HOME=/nonexistent", "DESTDIR=/nonexistent", NULL};
    struct pg_npmrc_opts o = {0};
    char *tmp = scratch();
    struct pg_npmrc *c;

    (void)state;
    o.cwd = tmp;
    o.node_path = NULL;
    test_env = path_env;
    o.getenv_fn = fake_getenv;
    {
        struct pg_err err = PG_ERR_INIT;

        assert_int_equal(pg_npmrc_load(&c, &o, &err), 0);
    }
    assert_string_equal(pg_npmrc_registry(c), "https://global.example/");
    pg_npmrc_free(c);
    c = load(tmp, prefix_env, NULL);
    assert_string_equal(pg_npmrc_registry(c), "https://altprefix.example/");
    pg_npmrc_free(c);
    c = load(tmp, cfg_prefix, NULL);
    assert_string_equal(pg_npmrc_registry(c), "https://altprefix.example/");
    pg_npmrc_free(c);
    /* DESTDIR moves the global config away, not npm's builtin one. */
    c = load(tmp, destdir, NULL);
    assert_string_equal(pg_npmrc_registry(c), "https://builtin.example/");
    pg_npmrc_free(c);
    rmdir(tmp);
    free(tmp);
}

static void test_errors(void **state)
{
    const char *const env[] = {"HOME=/nonexistent", NULL};
    struct pg_npmrc_opts o = {0};
    struct pg_err err = PG_ERR_INIT;
    struct pg_npmrc *c = NULL;
    char *tmp = scratch();
    char *dir = pg_xasprintf("%s/.npmrc", tmp);
    char *pj = pg_xasprintf("%s/package.json", tmp);
    FILE *f = fopen(pj, "w");

    (void)state;
    assert_non_null(f);
    fclose(f);
    test_env = env;
    o.getenv_fn = fake_getenv;
    o.node_path = D "/prefix/bin/node";
    o.cwd = D "/badreg";
    assert_int_equal(pg_npmrc_load(&c, &o, &err), -1);
    assert_null(c);
    assert_non_null(strstr(err.msg, "ftp://mirror.example/"));
    assert_null(strstr(err.msg, "s3cr3t"));
    /* A directory where the project .npmrc should be. */
    assert_int_equal(mkdir(dir, 0700), 0);
    o.cwd = tmp;
    assert_int_equal(pg_npmrc_load(&c, &o, &err), -1);
    assert_non_null(strstr(err.msg, ".npmrc"));
    o.cwd = "relative";
    assert_int_equal(pg_npmrc_load(&c, &o, &err), -1);
    rmdir(dir);
    unlink(pj);
    rmdir(tmp);
    free(dir);
    free(pj);
    free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layer_order),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_env_spellings),
        cmocka_unit_test(test_scopes),
        cmocka_unit_test(test_auth),
        cmocka_unit_test(test_same_host_fallback),
        cmocka_unit_test(test_ini_and_expansion),
        cmocka_unit_test(test_project_rules),
        cmocka_unit_test(test_global_prefix),
        cmocka_unit_test(test_workspace_npmrc),
        cmocka_unit_test(test_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
