/*
 * pg_regconf for npm and npx: the registry, credentials and CA bundle behind
 * each package, from real command lines (parsed by pg_npmargs) and .npmrc
 * files written into scratch directories. pip is test_regconf_pip.c.
 */
#define _XOPEN_SOURCE 700 /* nftw */
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

#include "regconf_fx.h"
#include "banned.h"

/* ---- command-line layers ---------------------------------------------------- */

static void test_npm_cli(void **state)
{
    char *tmp = scratch();
    char *argv[] = {"npm",
                    "install",
                    "--reg=https://a.example/",
                    "-g",
                    "left-pad",
                    "--@corp:registry=https://corp.example/npm/",
                    "--//corp.example/npm/:_authToken=s3cr3t",
                    "--userconfig",
                    "/x/.npmrc",
                    "--strict-ssl=false",
                    "--frobnicate",
                    "--registry",
                    NULL};
    struct pg_cmd cmd;
    char **cli;

    (void)state;
    parse(&cmd, PG_TOOL_NPM, tmp, argv);
    cli = pg_regconf_npm_cli(&cmd);
    /* Abbreviations and shorthands are npm's keys; a trailing bare
     * --registry makes nopt delete the key, the earlier URL with it. */
    assert_false(cli_has(cli, "registry=https://a.example/"));
    assert_true(cli_has(cli, "global=true"));
    assert_true(cli_has(cli, "@corp:registry=https://corp.example/npm/"));
    assert_true(cli_has(cli, "//corp.example/npm/:_authToken=s3cr3t"));
    assert_true(cli_has(cli, "userconfig=/x/.npmrc"));
    assert_true(cli_has(cli, "strict-ssl=false"));
    assert_int_equal(cli_len(cli), 5);
    pg_regconf_cli_free(cli);
    /* The fields the parser fills agree with the layer. */
    assert_true(cmd.global);
    assert_null(cmd.index_url);
    pg_cmd_release(&cmd);
    /* Without the trailing flag the URL stands, in both readings. */
    argv[11] = NULL;
    parse(&cmd, PG_TOOL_NPM, tmp, argv);
    cli = pg_regconf_npm_cli(&cmd);
    assert_true(cli_has(cli, "registry=https://a.example/"));
    assert_int_equal(cli_len(cli), 6);
    assert_string_equal(cmd.index_url, "https://a.example/");
    pg_regconf_cli_free(cli);
    pg_cmd_release(&cmd);
    /* No command: an empty layer. */
    cli = pg_regconf_npm_cli(NULL);
    assert_int_equal(cli_len(cli), 0);
    pg_regconf_cli_free(cli);
    rm_tree(tmp);
    free(tmp);
}

static void test_npx_cli(void **state)
{
    char *tmp = scratch();
    char *argv[] = {"npx",
                    "--registry",
                    "https://a.example/",
                    "-p",
                    "create-x",
                    "create-x",
                    "--registry=https://evil.example/",
                    NULL};
    struct pg_cmd cmd;
    char **cli;

    (void)state;
    parse(&cmd, PG_TOOL_NPX, tmp, argv);
    cli = pg_regconf_npm_cli(&cmd);
    /* After the command word everything is the command's own. */
    assert_true(cli_has(cli, "registry=https://a.example/"));
    assert_true(cli_has(cli, "package=create-x"));
    assert_int_equal(cli_len(cli), 2);
    pg_regconf_cli_free(cli);
    pg_cmd_release(&cmd);
    rm_tree(tmp);
    free(tmp);
}

/* ---- npm ------------------------------------------------------------------ */

static void test_npm_project(void **state)
{
    char *tmp = scratch();
    char *home = pg_xasprintf("HOME=%s/home", tmp);
    char *proj = pg_xasprintf("%s/app", tmp);
    const char *const env[] = {home, "CORP_TOKEN=env-t0k", NULL};
    char *argv[] = {"npm", "install", "left-pad", "@fixture/x", NULL};
    const char *auth = "unset";
    char *ca = pg_xasprintf("%s/app/ca.pem", tmp);
    struct pg_cmd cmd;
    struct pg_regconf *c;

    (void)state;
    free(put(tmp, "app/package.json", "{\"name\":\"app\",\"version\":\"1.0.0\"}\n"));
    free(put(tmp, "app/.npmrc",
             "registry=http://127.0.0.1:4873/\n"
             "@fixture:registry=https://scoped.example/npm/\n"
             "//127.0.0.1:4873/:_authToken=proj-t0k\n"
             "//scoped.example/npm/:_authToken=${CORP_TOKEN}\n"
             "cafile=./ca.pem\n"
             "strict-ssl=false\n"));
    free(put(tmp, "home/.npmrc", "registry=https://user.example/\n"));
    parse(&cmd, PG_TOOL_NPM, proj, argv);
    c = load(&cmd, proj, env);
    assert_null(pg_regconf_error(c, PG_ECO_NPM));
    assert_string_equal(pg_regconf_index(c, PG_ECO_NPM, "left-pad", &auth),
                        "http://127.0.0.1:4873/");
    assert_string_equal(auth, "Bearer proj-t0k");
    assert_string_equal(pg_regconf_index(c, PG_ECO_NPM, "@fixture/x", &auth),
                        "https://scoped.example/npm/");
    assert_string_equal(auth, "Bearer env-t0k");
    assert_int_equal(pg_regconf_nindexes(c, PG_ECO_NPM), 1);
    assert_null(pg_regconf_index_at(c, PG_ECO_NPM, "left-pad", 1, &auth));
    assert_null(auth);
    /* Other documents on a registry: its signing keys, tarballs. */
    assert_string_equal(
        pg_regconf_auth_for(c, PG_ECO_NPM, "http://127.0.0.1:4873/-/npm/v1/keys", NULL),
        "Bearer proj-t0k");
    assert_string_equal(
        pg_regconf_auth_for(c, PG_ECO_NPM, "https://scoped.example/npm/-/npm/v1/keys", NULL),
        "Bearer env-t0k");
    assert_null(pg_regconf_auth_for(c, PG_ECO_NPM, "https://other.example/-/npm/v1/keys", NULL));
    assert_null(pg_regconf_auth_for(c, PG_ECO_PYPI, "http://127.0.0.1:4873/simple/", NULL));
    assert_string_equal(pg_regconf_cafile(c, PG_ECO_NPM), ca);
    assert_int_equal(pg_regconf_tls_relaxed(c, PG_ECO_NPM), 1);
    /* Only the command's ecosystem is read. */
    assert_non_null(pg_regconf_error(c, PG_ECO_PYPI));
    assert_null(pg_regconf_index(c, PG_ECO_PYPI, "requests", &auth));
    pg_regconf_free(c);
    pg_cmd_release(&cmd);
    free(home);
    free(proj);
    free(ca);
    rm_tree(tmp);
    free(tmp);
}

static void test_npm_argv_wins(void **state)
{
    char *tmp = scratch();
    char *home = pg_xasprintf("HOME=%s/home", tmp);
    char *uc = pg_xasprintf("--userconfig=%s/other.npmrc", tmp);
    const char *const env[] = {home, "npm_config_registry=https://env.example/", NULL};
    char *argv[] = {"npm",        "i",        uc,  "--@fixture:registry=https://cli.example/s",
                    "@fixture/x", "left-pad", NULL};
    char *plain[] = {"npm", "i", "@fixture/x", "left-pad", NULL};
    const char *auth = NULL;
    struct pg_cmd cmd;
    struct pg_regconf *c;

    (void)state;
    free(put(tmp, "other.npmrc", "//env.example/:_authToken=other-t0k\n"));
    free(put(tmp, "home/.npmrc", "//env.example/:_authToken=home-t0k\n"));
    parse(&cmd, PG_TOOL_NPM, tmp, argv);
    c = load(&cmd, tmp, env);
    /* npm_config_registry over the files; --userconfig moved the user file. */
    assert_string_equal(pg_regconf_index(c, PG_ECO_NPM, "left-pad", &auth), "https://env.example/");
    assert_string_equal(auth, "Bearer other-t0k");
    /* --@scope:registry on the command line; no token goes to that host. */
    assert_string_equal(pg_regconf_index(c, PG_ECO_NPM, "@fixture/x", &auth),
                        "https://cli.example/s/");
    assert_null(auth);
    pg_regconf_free(c);
    pg_cmd_release(&cmd);
    /* A command line without those two does not see them (pkggate check). */
    parse(&cmd, PG_TOOL_NPM, tmp, plain);
    c = load(&cmd, tmp, env);
    assert_string_equal(pg_regconf_index(c, PG_ECO_NPM, "left-pad", &auth), "https://env.example/");
    assert_string_equal(auth, "Bearer home-t0k");
    assert_string_equal(pg_regconf_index(c, PG_ECO_NPM, "@fixture/x", &auth),
                        "https://env.example/");
    pg_regconf_free(c);
    pg_cmd_release(&cmd);
    free(home);
    free(uc);
    rm_tree(tmp);
    free(tmp);
}

static void test_npm_errors(void **state)
{
    char *tmp = scratch();
    char *home = pg_xasprintf("HOME=%s/home", tmp);
    const char *const env[] = {home, NULL};
    char *argv[] = {"npm", "install", "left-pad", NULL};
    const char *auth = "unset";
    struct pg_regconf_opts none = {0};
    struct pg_cmd cmd;
    struct pg_regconf *c;
    const char *why;

    (void)state;
    free(put(tmp, "home/.npmrc", "registry=ftp://alice:hunter2@files.example/npm/\n"));
    parse(&cmd, PG_TOOL_NPM, tmp, argv);
    c = load(&cmd, tmp, env);
    why = pg_regconf_error(c, PG_ECO_NPM);
    assert_non_null(why);
    assert_non_null(strstr(why, "registry"));
    assert_null(strstr(why, "hunter2"));
    assert_null(strstr(why, "alice"));
    assert_null(pg_regconf_index(c, PG_ECO_NPM, "left-pad", &auth));
    assert_null(auth);
    assert_int_equal(pg_regconf_nindexes(c, PG_ECO_NPM), 0);
    pg_regconf_free(c);
    /* No working directory or environment: nothing can be decided. */
    c = pg_regconf_load(&cmd, &none);
    assert_non_null(pg_regconf_error(c, PG_ECO_NPM));
    assert_null(pg_regconf_index(c, PG_ECO_NPM, "left-pad", &auth));
    pg_regconf_free(c);
    pg_cmd_release(&cmd);
    free(home);
    rm_tree(tmp);
    free(tmp);
}

static void test_npm_builtin_from_tool(void **state)
{
    char *tmp = scratch();
    char *cli = put(tmp, "lib/node_modules/npm/bin/npm-cli.js", "#!/usr/bin/env node\n");
    char *link = pg_xasprintf("%s/bin/npm", tmp);
    char *bindir = pg_xasprintf("%s/bin", tmp);
    const char *const env[] = {"HOME=/nonexistent", NULL};
    struct pg_regconf_opts o = {0};
    const char *auth;
    struct pg_regconf *c;

    (void)state;
    free(put(tmp, "lib/node_modules/npm/npmrc", "registry=https://builtin.example/\n"));
    assert_int_equal(mkdir(bindir, 0755), 0);
    assert_int_equal(symlink(cli, link), 0);
    test_env = env;
    o.cwd = tmp;
    o.getenv_fn = fake_getenv;
    o.tool_path = link;
    o.node_path = "/nonexistent/bin/node";
    o.etc_dir = "/nonexistent";
    c = pg_regconf_load(NULL, &o);
    assert_string_equal(pg_regconf_index(c, PG_ECO_NPM, "left-pad", &auth),
                        "https://builtin.example/");
    /* cmd NULL reads pip's configuration too: the defaults here. */
    assert_null(pg_regconf_error(c, PG_ECO_PYPI));
    assert_string_equal(pg_regconf_index(c, PG_ECO_PYPI, "requests", &auth),
                        "https://pypi.org/simple");
    pg_regconf_free(c);
    free(cli);
    free(link);
    free(bindir);
    rm_tree(tmp);
    free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_npm_cli),
        cmocka_unit_test(test_npx_cli),
        cmocka_unit_test(test_npm_project),
        cmocka_unit_test(test_npm_argv_wins),
        cmocka_unit_test(test_npm_errors),
        cmocka_unit_test(test_npm_builtin_from_tool),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
