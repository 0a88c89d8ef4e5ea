/*
 * pip configuration: file order, section order, PIP_* variables, the
 * command line, configparser syntax, credentials in index URLs and netrc.
 * Data in tests/unit/data/config/pip; the expected indexes and errors were
 * checked against pip 23.2's own "Looking in indexes" and error output on
 * the same files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "pg_pipconf.h"
#include "pg_util.h"
#include "banned.h"

#define D PG_TEST_DATA_DIR "/unit/data/config/pip"

static const char *const *test_env;

static const char *fake_getenv(const char *name)
{
    size_t n = strlen(name);

    for (const char *const *e = test_env; e && *e; e++)
        if (!strncmp(*e, name, n) && (*e)[n] == '=')
            return *e + n + 1;
    return NULL;
}

static int try_load(struct pg_pipconf **c, const char *cmd, const char *const *env,
                    const char *const *cli, struct pg_err *err)
{
    struct pg_pipconf_opts o = {0};

    test_env = env;
    o.cwd = "/work/dir";
    o.command = cmd;
    o.getenv_fn = fake_getenv;
    o.cli = cli;
    o.etc_dir = D "/etc";
    return pg_pipconf_load(c, &o, err);
}

static struct pg_pipconf *load(const char *cmd, const char *const *env, const char *const *cli)
{
    struct pg_pipconf *c = NULL;
    struct pg_err err = PG_ERR_INIT;

    if (try_load(&c, cmd, env, cli, &err) < 0)
        fail_msg("load failed: %s", err.msg);
    return c;
}

static const char *idx(const struct pg_pipconf *c, size_t i)
{
    const struct pg_pipconf_index *x = pg_pipconf_index(c, i);

    return x ? x->url : "(none)";
}

/* Expected Authorization value for user:pass. */
static void expect_basic(const char *got, const char *userpass)
{
    char b64[256];

    sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)userpass, strlen(userpass),
                      sodium_base64_VARIANT_ORIGINAL);
    assert_non_null(got);
    assert_true(pg_starts_with(got, "Basic "));
    assert_string_equal(got + 6, b64);
}

#define XDG "XDG_CONFIG_DIRS=" D "/xdg1:" D "/xdg2"

static void test_file_order(void **state)
{
    const char *const user[] = {"HOME=" D "/home", XDG, NULL};
    const char *const xhome[] = {"HOME=" D "/home", XDG, "XDG_CONFIG_HOME=" D "/xdghome", NULL};
    const char *const nohome[] = {XDG, NULL};
    const char *const one[] = {"XDG_CONFIG_DIRS=" D "/xdg1", NULL};
    const char *const venv[] = {"HOME=" D "/home", XDG, "VIRTUAL_ENV=" D "/venv", NULL};
    struct pg_pipconf *c;

    (void)state;
    c = load("download", user, NULL);
    assert_string_equal(idx(c, 0), "https://user.example/simple");
    /* Continuation lines, with a blank line and a comment inside. */
    assert_int_equal(pg_pipconf_nindexes(c), 4);
    assert_string_equal(idx(c, 1), "https://user.example/extra1");
    assert_string_equal(idx(c, 3), "https://user.example/extra3");
    assert_int_equal(pg_pipconf_nfind_links(c), 1);
    assert_string_equal(pg_pipconf_find_links(c, 0), "/user/wheels");
    /* The legacy file was read first; its cert stays (nothing overrides it). */
    assert_string_equal(pg_pipconf_cert(c), D "/home/certs/legacy.pem");
    assert_int_equal(pg_pipconf_nfiles(c), 5);
    pg_pipconf_free(c);
    c = load("download", xhome, NULL);
    assert_string_equal(idx(c, 0), "https://xdghome.example/simple");
    assert_string_equal(idx(c, 1), "https://xdg1.example/extra");
    pg_pipconf_free(c);
    c = load("download", nohome, NULL);
    assert_string_equal(idx(c, 0), "https://etc.example/simple");
    pg_pipconf_free(c);
    c = load("install", nohome, NULL); /* [install] beats [global] */
    assert_string_equal(idx(c, 0), "https://etc-install.example/simple");
    pg_pipconf_free(c);
    c = load("install", user, NULL); /* ... even from a lower-priority file */
    assert_string_equal(idx(c, 0), "https://etc-install.example/simple");
    pg_pipconf_free(c);
    c = load("download", venv, NULL);
    assert_string_equal(idx(c, 0), "https://site.example/simple");
    pg_pipconf_free(c);
    {
        struct pg_pipconf_opts o = {0};
        struct pg_err err = PG_ERR_INIT;

        test_env = one;
        o.cwd = "/";
        o.command = "download";
        o.getenv_fn = fake_getenv;
        o.etc_dir = "/nonexistent";
        assert_int_equal(pg_pipconf_load(&c, &o, &err), 0);
        assert_string_equal(idx(c, 0), "https://xdg1.example/simple");
        pg_pipconf_free(c);
    }
}

static void test_env_file_and_devnull(void **state)
{
    const char *const envfile[] = {"HOME=" D "/home", XDG, "PIP_CONFIG_FILE=" D "/envfile.conf",
                                   NULL};
    const char *const devnull[] = {"HOME=" D "/home", XDG, "PIP_CONFIG_FILE=/dev/null",
                                   "PIP_INDEX_URL=https://env.example/simple", NULL};
    const char *const missing[] = {"HOME=" D "/home", "PIP_CONFIG_FILE=/nonexistent.conf", NULL};
    struct pg_pipconf *c;

    (void)state;
    c = load("download", envfile, NULL);
    /* Name case and '_' do not matter, ':' works, [Global] is another section. */
    assert_string_equal(idx(c, 0), "https://envfile.example/simple");
    assert_string_equal(pg_pipconf_index(c, 0)->display,
                        "https://alice:****@envfile.example/simple");
    assert_string_equal(pg_pipconf_index(c, 1)->display, "https://****@tok.example/simple");
    assert_string_equal(idx(c, 1), "https://tok.example/simple");
    assert_string_equal(idx(c, 2), "https://other.example/simple");
    /* The user files were skipped: no find-links from them. */
    assert_int_equal(pg_pipconf_nfind_links(c), 0);
    /* [DEFAULT] cert reaches [global], beating the (skipped) user cert. */
    assert_string_equal(pg_pipconf_cert(c), "/from/default.pem");
    assert_int_equal(pg_pipconf_no_index(c), 0);
    pg_pipconf_free(c);
    c = load("download", devnull, NULL);
    assert_int_equal(pg_pipconf_nfiles(c), 0);
    assert_string_equal(idx(c, 0), "https://env.example/simple");
    assert_int_equal(pg_pipconf_nindexes(c), 1);
    assert_null(pg_pipconf_cert(c));
    pg_pipconf_free(c);
    c = load("download", missing, NULL); /* a missing PIP_CONFIG_FILE keeps user files */
    assert_string_equal(idx(c, 0), "https://user.example/simple");
    pg_pipconf_free(c);
}

static void test_env_and_cli(void **state)
{
    const char *const env[] = {"PIP_CONFIG_FILE=/dev/null",
                               "PIP_INDEX_URL=https://env.example/i",
                               "PIP_EXTRA_INDEX_URL= https://e1.example  https://e2.example ",
                               "PIP_FIND_LINKS=/opt/wheels",
                               "PIP_CERT=rel/ca.pem",
                               NULL};
    const char *const cli[] = {"extra-index-url=https://c1.example",
                               "index-url=https://x.example",
                               "index-url=https://cli.example/i",
                               "find-links=/more",
                               "cert=/abs/ca.pem",
                               NULL};
    const char *const block[] = {"PIP_CONFIG_FILE=/dev/null", "PIP_Index_Url=https://b.example/",
                                 "PIP_NO_INDEX=", "PIP_VERSION=1", NULL};
    const char *const noindex[] = {"PIP_CONFIG_FILE=/dev/null", "PIP_NO_INDEX=Yes", NULL};
    const char *const isolated[] = {"isolated", NULL};
    const char *const nocli[] = {"no-index", NULL};
    struct pg_pipconf_opts o = {0};
    struct pg_err err = PG_ERR_INIT;
    struct pg_pipconf *c;

    (void)state;
    c = load("install", env, NULL);
    assert_string_equal(idx(c, 0), "https://env.example/i");
    assert_int_equal(pg_pipconf_nindexes(c), 3);
    assert_string_equal(idx(c, 2), "https://e2.example");
    assert_string_equal(pg_pipconf_find_links(c, 0), "/opt/wheels");
    assert_string_equal(pg_pipconf_cert(c), "/work/dir/rel/ca.pem");
    pg_pipconf_free(c);
    c = load("install", env, cli); /* index-url replaced; lists appended */
    assert_string_equal(idx(c, 0), "https://cli.example/i");
    assert_int_equal(pg_pipconf_nindexes(c), 4);
    assert_string_equal(idx(c, 3), "https://c1.example");
    assert_int_equal(pg_pipconf_nfind_links(c), 2);
    assert_string_equal(pg_pipconf_cert(c), "/abs/ca.pem");
    pg_pipconf_free(c);
    c = load("install", env, isolated); /* no PIP_* variables */
    assert_string_equal(idx(c, 0), PG_PIPCONF_DEFAULT_INDEX);
    assert_int_equal(pg_pipconf_nfind_links(c), 0);
    pg_pipconf_free(c);
    c = load("install", noindex, NULL);
    assert_int_equal(pg_pipconf_no_index(c), 1);
    assert_int_equal(pg_pipconf_nindexes(c), 0);
    assert_null(pg_pipconf_index(c, 0));
    assert_string_equal(pg_pipconf_index_url(c), PG_PIPCONF_DEFAULT_INDEX);
    pg_pipconf_free(c);
    c = load("install", block, nocli);
    assert_int_equal(pg_pipconf_no_index(c), 1);
    pg_pipconf_free(c);
    /* A whole environment block: any PIP_* spelling, empty values ignored. */
    test_env = block;
    o.cwd = "/";
    o.command = "install";
    o.getenv_fn = fake_getenv;
    o.environ = block;
    o.etc_dir = "/nonexistent";
    assert_int_equal(pg_pipconf_load(&c, &o, &err), 0);
    assert_string_equal(idx(c, 0), "https://b.example/");
    assert_int_equal(pg_pipconf_no_index(c), 0);
    pg_pipconf_free(c);
}

static void test_ca_bundle(void **state)
{
    const char *const env[] = {"PIP_CONFIG_FILE=/dev/null", "PIP_CERT=/pip/ca.pem", NULL};
    const char *const req[] = {"PIP_CONFIG_FILE=/dev/null", "PIP_CERT=/pip/ca.pem",
                               "REQUESTS_CA_BUNDLE=", "CURL_CA_BUNDLE=/curl/ca.pem", NULL};
    const char *const home[] = {"PIP_CONFIG_FILE=/dev/null", "HOME=/h", NULL};
    const char *const cli[] = {"cert=~/ca.pem", NULL};
    struct pg_pipconf *c;

    (void)state;
    c = load("install", env, NULL);
    assert_string_equal(pg_pipconf_ca_bundle(c), "/pip/ca.pem");
    pg_pipconf_free(c);
    c = load("install", req, NULL);
    assert_string_equal(pg_pipconf_cert(c), "/pip/ca.pem");
    assert_string_equal(pg_pipconf_ca_bundle(c), "/curl/ca.pem");
    pg_pipconf_free(c);
    c = load("install", home, cli);
    assert_string_equal(pg_pipconf_cert(c), "/h/ca.pem");
    pg_pipconf_free(c);
}

static void test_parse_errors(void **state)
{
    static const struct {
        const char *file;
        const char *needle;
    } cases[] = {
        {"dup-option.conf", "dup-option.conf:3: option 'index-url' appears twice"},
        {"no-section.conf", "no-section.conf:1: no [section] header"},
        {"no-delim.conf", "no-delim.conf:2: line is neither"},
        {"bad-bool.conf", "'maybe' is not a valid value for no-index"},
    };

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(cases); i++) {
        char *var = pg_xasprintf("PIP_CONFIG_FILE=%s/%s", D, cases[i].file);
        const char *const env[] = {var, NULL};
        struct pg_err err = PG_ERR_INIT;
        struct pg_pipconf *c = NULL;

        assert_int_equal(try_load(&c, "install", env, NULL, &err), -1);
        assert_null(c);
        if (!strstr(err.msg, cases[i].needle))
            fail_msg("%s: got '%s'", cases[i].file, err.msg);
        free(var);
    }
}

static void test_credentials(void **state)
{
    const char *const env[] = {"PIP_CONFIG_FILE=" D "/envfile.conf", "NETRC=/nonexistent", NULL};
    struct pg_pipconf *c;

    (void)state;
    c = load("download", env, NULL); /* [install] of etc/pip.conf would win for install */
    assert_true(pg_pipconf_index(c, 0)->has_auth);
    assert_false(pg_pipconf_index(c, 2)->has_auth);
    /* Percent-decoded, and for that origin only (any path on it). */
    expect_basic(pg_pipconf_auth_for(c, "https://envfile.example/files/x-1.0-py3-none-any.whl"),
                 "alice:s@cret");
    expect_basic(pg_pipconf_auth_for(c, "https://ENVFILE.example:443/simple/x/"), "alice:s@cret");
    assert_null(pg_pipconf_auth_for(c, "http://envfile.example/simple/"));
    assert_null(pg_pipconf_auth_for(c, "https://envfile.example:8443/simple/"));
    expect_basic(pg_pipconf_auth_for(c, "https://tok.example/simple/x/"), "tok123:");
    assert_null(pg_pipconf_auth_for(c, "https://other.example/simple/x/"));
    assert_null(pg_pipconf_auth_for(c, "::not a url"));
    for (size_t i = 0; i < pg_pipconf_nindexes(c); i++) {
        assert_null(strstr(pg_pipconf_index(c, i)->url, "s%40cret"));
        assert_null(strstr(pg_pipconf_index(c, i)->display, "tok123"));
    }
    pg_pipconf_free(c);
}

static void test_netrc(void **state)
{
    const char *const env[] = {"PIP_CONFIG_FILE=/dev/null", "NETRC=" D "/netrc",
                               "PIP_INDEX_URL=https://u:p@files.example/simple", NULL};
    const char *const bad[] = {"PIP_CONFIG_FILE=/dev/null", "NETRC=" D "/netrc-bad", NULL};
    const char *const home[] = {"PIP_CONFIG_FILE=/dev/null", "HOME=" D, NULL};
    struct pg_pipconf *c;

    (void)state;
    c = load("install", env, NULL);
    /* The index URL's own credentials win on its origin... */
    expect_basic(pg_pipconf_auth_for(c, "https://files.example/simple/"), "u:p");
    /* ...netrc by host elsewhere; the later duplicate entry wins. */
    expect_basic(pg_pipconf_auth_for(c, "http://files.example:8080/x"), "bob2:later");
    expect_basic(pg_pipconf_auth_for(c, "https://acct.example/x"), "acc:pw2");
    expect_basic(pg_pipconf_auth_for(c, "https://elsewhere.example/x"), "anon:anonpw");
    pg_pipconf_free(c);
    c = load("install", bad, NULL); /* a malformed netrc is ignored whole */
    assert_null(pg_pipconf_auth_for(c, "https://x.example/"));
    pg_pipconf_free(c);
    c = load("install", home, NULL); /* ~/.netrc absent, ~/_netrc absent */
    assert_null(pg_pipconf_auth_for(c, "https://files.example/"));
    pg_pipconf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_order),   cmocka_unit_test(test_env_file_and_devnull),
        cmocka_unit_test(test_env_and_cli),  cmocka_unit_test(test_ca_bundle),
        cmocka_unit_test(test_parse_errors), cmocka_unit_test(test_credentials),
        cmocka_unit_test(test_netrc),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
