/*
 * pg_regconf for pip: the index, credentials and CA bundle behind each
 * package, from real command lines (parsed by pg_pipargs), pip configuration
 * files written into scratch directories and the Python behind pip.
 * npm is test_regconf.c.
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

/* ---- command line ---------------------------------------------------------- */

static void test_pip_cli(void **state)
{
    char *tmp = scratch();
    char *argv[] = {"pip",
                    "--cert",
                    "/a.pem",
                    "install",
                    "-i",
                    "https://u:pw@idx.example/simple",
                    "--extra-index-url=https://extra.example/simple",
                    "-f",
                    "./wheels",
                    "--cert=/b.pem",
                    "--isolated",
                    "requests",
                    NULL};
    char *argv2[] = {"pip", "install", "--isol", "--no-index", "x", NULL};
    char *argv3[] = {"pip", "--cert", "/c.pem", "frobnicate", "x", NULL};
    struct pg_cmd cmd;
    char **cli;

    (void)state;
    parse(&cmd, PG_TOOL_PIP, tmp, argv);
    cli = pg_regconf_pip_cli(&cmd);
    assert_true(cli_has(cli, "index-url=https://u:pw@idx.example/simple"));
    assert_true(cli_has(cli, "extra-index-url=https://extra.example/simple"));
    assert_true(cli_has(cli, "find-links=./wheels"));
    assert_true(cli_has(cli, "cert=/b.pem")); /* the last one wins */
    assert_true(cli_has(cli, "isolated"));
    assert_int_equal(cli_len(cli), 5);
    pg_regconf_cli_free(cli);
    pg_cmd_release(&cmd);
    /* pip's isolated mode is the exact word only; --no-index is kept. */
    parse(&cmd, PG_TOOL_PIP, tmp, argv2);
    cli = pg_regconf_pip_cli(&cmd);
    assert_true(cli_has(cli, "no-index"));
    assert_int_equal(cli_len(cli), 1);
    pg_regconf_cli_free(cli);
    pg_cmd_release(&cmd);
    /* A subcommand pip may know and pkggate does not: --cert still counts. */
    parse(&cmd, PG_TOOL_PIP, tmp, argv3);
    cli = pg_regconf_pip_cli(&cmd);
    assert_true(cli_has(cli, "cert=/c.pem"));
    assert_int_equal(cli_len(cli), 1);
    pg_regconf_cli_free(cli);
    pg_cmd_release(&cmd);
    /* No command: an empty layer. */
    cli = pg_regconf_pip_cli(NULL);
    assert_int_equal(cli_len(cli), 0);
    pg_regconf_cli_free(cli);
    rm_tree(tmp);
    free(tmp);
}

/* ---- pip ------------------------------------------------------------------ */

static void test_pip_config_file(void **state)
{
    char *tmp = scratch();
    char *conf = put(tmp, "pip.conf",
                     "[global]\n"
                     "index-url = https://bob:s3cret@mirror.example/simple\n"
                     "extra-index-url = https://extra.example/simple\n"
                     "cert = /etc/corp-ca.pem\n"
                     "[download]\n"
                     "index-url = https://download.example/simple\n");
    char *pcf = pg_xasprintf("PIP_CONFIG_FILE=%s", conf);
    const char *const env[] = {"HOME=/nonexistent", pcf, NULL};
    const char *const env_ca[] = {"HOME=/nonexistent", pcf, "CURL_CA_BUNDLE=/curl.pem", NULL};
    char *argv[] = {"pip", "install", "requests", NULL};
    char *dl[] = {"pip", "download", "requests", NULL};
    const char *auth = NULL;
    struct pg_cmd cmd;
    struct pg_regconf *c;

    (void)state;
    parse(&cmd, PG_TOOL_PIP, tmp, argv);
    c = load(&cmd, tmp, env);
    assert_null(pg_regconf_error(c, PG_ECO_PYPI));
    /* The URL carries no credentials; they go in the header, for that origin. */
    assert_string_equal(pg_regconf_index(c, PG_ECO_PYPI, "requests", &auth),
                        "https://mirror.example/simple");
    assert_string_equal(auth, "Basic Ym9iOnMzY3JldA==");
    assert_int_equal(pg_regconf_nindexes(c, PG_ECO_PYPI), 2);
    assert_string_equal(pg_regconf_index_at(c, PG_ECO_PYPI, "requests", 1, &auth),
                        "https://extra.example/simple");
    assert_null(auth);
    assert_string_equal(
        pg_regconf_auth_for(c, PG_ECO_PYPI, "https://mirror.example/packages/x.whl", NULL),
        "Basic Ym9iOnMzY3JldA==");
    assert_null(pg_regconf_auth_for(c, PG_ECO_PYPI, "http://mirror.example/simple", NULL));
    assert_string_equal(pg_regconf_cafile(c, PG_ECO_PYPI), "/etc/corp-ca.pem");
    assert_int_equal(pg_regconf_tls_relaxed(c, PG_ECO_PYPI), 0);
    pg_regconf_free(c);
    /* requests' variables override pip's cert. */
    c = load(&cmd, tmp, env_ca);
    assert_string_equal(pg_regconf_cafile(c, PG_ECO_PYPI), "/curl.pem");
    pg_regconf_free(c);
    pg_cmd_release(&cmd);
    /* The subcommand is pip's config section. */
    parse(&cmd, PG_TOOL_PIP, tmp, dl);
    c = load(&cmd, tmp, env);
    assert_string_equal(pg_regconf_index(c, PG_ECO_PYPI, "requests", &auth),
                        "https://download.example/simple");
    assert_null(auth);
    pg_regconf_free(c);
    pg_cmd_release(&cmd);
    free(conf);
    free(pcf);
    rm_tree(tmp);
    free(tmp);
}

static void test_pip_argv(void **state)
{
    char *tmp = scratch();
    char *conf = put(tmp, "pip.conf", "[global]\nindex-url = https://conf.example/simple\n");
    char *pcf = pg_xasprintf("PIP_CONFIG_FILE=%s", conf);
    const char *const env[] = {"HOME=/nonexistent", pcf, "PIP_CERT=/env.pem", NULL};
    char *argv[] = {"pip",    "install", "--index-url", "https://tok3n@idx.example:8443/simple/",
                    "--cert", "ca.pem",  "requests",    NULL};
    char *req = put(tmp, "req.txt", "--index-url https://file.example/simple\nrequests\n");
    char *argv2[] = {"pip", "install", "-r", req, NULL};
    const char *auth = NULL;
    struct pg_cmd cmd;
    struct pg_regconf *c;
    char *ca = pg_xasprintf("%s/ca.pem", tmp);

    (void)state;
    parse(&cmd, PG_TOOL_PIP, tmp, argv);
    c = load(&cmd, tmp, env);
    assert_string_equal(pg_regconf_index(c, PG_ECO_PYPI, "requests", &auth),
                        "https://idx.example:8443/simple/");
    assert_string_equal(auth, "Basic dG9rM246"); /* "tok3n:" */
    assert_string_equal(pg_regconf_cafile(c, PG_ECO_PYPI), ca);
    pg_regconf_free(c);
    pg_cmd_release(&cmd);
    /* An --index-url line in a requirements file counts as the command line. */
    parse(&cmd, PG_TOOL_PIP, tmp, argv2);
    c = load(&cmd, tmp, env);
    assert_string_equal(pg_regconf_index(c, PG_ECO_PYPI, "requests", &auth),
                        "https://file.example/simple");
    assert_string_equal(pg_regconf_cafile(c, PG_ECO_PYPI), "/env.pem");
    pg_regconf_free(c);
    pg_cmd_release(&cmd);
    free(conf);
    free(pcf);
    free(req);
    free(ca);
    rm_tree(tmp);
    free(tmp);
}

static void test_pip_no_index(void **state)
{
    char *tmp = scratch();
    const char *const env[] = {"HOME=/nonexistent", "PIP_CONFIG_FILE=/dev/null", NULL};
    const char *const env_fl[] = {"HOME=/nonexistent", "PIP_CONFIG_FILE=/dev/null",
                                  "PIP_FIND_LINKS=https://u:pw@wheels.example/links/", NULL};
    const char *const env_ni[] = {"HOME=/nonexistent", "PIP_CONFIG_FILE=/dev/null",
                                  "PIP_NO_INDEX=yes", NULL};
    char *argv[] = {"pip", "install", "--no-index", "-f", "./wheels", "requests", NULL};
    char *plain[] = {"pip", "install", "requests", NULL};
    const char *auth = "unset", *why;
    struct pg_cmd cmd;
    struct pg_regconf *c;

    (void)state;
    parse(&cmd, PG_TOOL_PIP, tmp, argv);
    c = load(&cmd, tmp, env);
    /* Local find-links only: nothing to ask, and no error. */
    assert_null(pg_regconf_error(c, PG_ECO_PYPI));
    assert_null(pg_regconf_index(c, PG_ECO_PYPI, "requests", &auth));
    assert_null(auth);
    assert_int_equal(pg_regconf_nindexes(c, PG_ECO_PYPI), 0);
    pg_regconf_free(c);
    /* A find-links page on the network is the only source: undecidable. */
    c = load(&cmd, tmp, env_fl);
    why = pg_regconf_error(c, PG_ECO_PYPI);
    assert_non_null(why);
    assert_non_null(strstr(why, "https://wheels.example/links/"));
    assert_null(strstr(why, "pw"));
    assert_null(pg_regconf_index(c, PG_ECO_PYPI, "requests", &auth));
    pg_regconf_free(c);
    pg_cmd_release(&cmd);
    /* PIP_NO_INDEX counts as much as --no-index. */
    parse(&cmd, PG_TOOL_PIP, tmp, plain);
    c = load(&cmd, tmp, env_ni);
    assert_null(pg_regconf_error(c, PG_ECO_PYPI));
    assert_null(pg_regconf_index(c, PG_ECO_PYPI, "requests", &auth));
    pg_regconf_free(c);
    pg_cmd_release(&cmd);
    rm_tree(tmp);
    free(tmp);
}

static void test_pip_bad_config(void **state)
{
    char *tmp = scratch();
    char *conf = put(tmp, "pip.conf", "index-url = https://carol:pa55@x.example/simple\n");
    char *pcf = pg_xasprintf("PIP_CONFIG_FILE=%s", conf);
    const char *const env[] = {"HOME=/nonexistent", pcf, NULL};
    char *argv[] = {"pip", "install", "requests", NULL};
    const char *auth = "unset", *why;
    struct pg_cmd cmd;
    struct pg_regconf *c;

    (void)state;
    parse(&cmd, PG_TOOL_PIP, tmp, argv);
    c = load(&cmd, tmp, env);
    why = pg_regconf_error(c, PG_ECO_PYPI);
    assert_non_null(why);
    assert_null(strstr(why, "pa55"));
    assert_null(pg_regconf_index(c, PG_ECO_PYPI, "requests", &auth));
    assert_null(auth);
    pg_regconf_free(c);
    pg_cmd_release(&cmd);
    free(conf);
    free(pcf);
    rm_tree(tmp);
    free(tmp);
}

/* ---- the Python behind pip -------------------------------------------------- */

static char *exe(const char *dir, const char *rel, const char *text)
{
    char *p = put(dir, rel, text);

    assert_int_equal(chmod(p, 0755), 0);
    return p;
}

static void test_python_prefix(void **state)
{
    char *tmp = scratch();
    char *venv_py = exe(tmp, "venv/bin/python", "");
    char *sys_py = exe(tmp, "opt/py/bin/python3.12", "");
    char *usrbin = pg_xasprintf("%s/usr/bin", tmp);
    char *link = pg_xasprintf("%s/python3", usrbin);
    char *path = pg_xasprintf("PATH=/nonexistent:%s", usrbin);
    const char *const env[] = {path, NULL};
    char *venv = pg_xasprintf("%s/venv", tmp), *sys = pg_xasprintf("%s/opt/py", tmp);
    char *text, *pip, *got;

    (void)state;
    test_env = env;
    free(put(tmp, "venv/pyvenv.cfg", "home = /usr/bin\n"));
    pip = exe(tmp, "usr/bin/pip", "#!/usr/bin/env python3\n");
    assert_int_equal(symlink(sys_py, link), 0);
    /* env python3 on PATH, a link to a system Python: the real prefix. */
    got = pg_regconf_python_prefix(pip, fake_getenv);
    assert_string_equal(got, sys);
    free(got);
    free(pip);
    /* A virtualenv: its directory, whatever the interpreter links to. */
    text = pg_xasprintf("#!%s\nimport sys\n", venv_py);
    pip = exe(tmp, "venv/bin/pip", text);
    got = pg_regconf_python_prefix(pip, fake_getenv);
    assert_string_equal(got, venv);
    free(got);
    free(pip);
    free(text);
    /* pip's launcher for long paths. */
    text = pg_xasprintf("#!/bin/sh\n'''exec' \"%s\" \"$0\" \"$@\"\n' '''\n", venv_py);
    pip = exe(tmp, "venv/bin/pip3", text);
    got = pg_regconf_python_prefix(pip, fake_getenv);
    assert_string_equal(got, venv);
    free(got);
    free(pip);
    free(text);
    /* Not a script, a relative interpreter, nothing there: unknown. */
    pip = exe(tmp, "bin/pipbin", "\177ELF\001\001");
    assert_null(pg_regconf_python_prefix(pip, fake_getenv));
    free(pip);
    pip = exe(tmp, "bin/piprel", "#!python\n");
    assert_null(pg_regconf_python_prefix(pip, fake_getenv));
    free(pip);
    assert_null(pg_regconf_python_prefix("/nonexistent/pip", fake_getenv));
    assert_null(pg_regconf_python_prefix(NULL, fake_getenv));
    free(venv_py);
    free(sys_py);
    free(link);
    free(usrbin);
    free(path);
    free(venv);
    free(sys);
    rm_tree(tmp);
    free(tmp);
}

static void test_pip_site_config(void **state)
{
    char *tmp = scratch();
    char *py = exe(tmp, "venv/bin/python", "");
    char *text = pg_xasprintf("#!%s\n", py);
    char *pip = exe(tmp, "venv/bin/pip", text);
    const char *const env[] = {"HOME=/nonexistent", "VIRTUAL_ENV=/elsewhere", NULL};
    char *argv[] = {"pip", "install", "requests", NULL};
    struct pg_regconf_opts o = {0};
    const char *auth;
    struct pg_cmd cmd;
    struct pg_regconf *c;

    (void)state;
    free(put(tmp, "venv/pyvenv.cfg", "home = /usr/bin\n"));
    free(put(tmp, "venv/pip.conf", "[install]\nindex-url = https://site.example/simple\n"));
    parse(&cmd, PG_TOOL_PIP, tmp, argv);
    test_env = env;
    o.cwd = tmp;
    o.getenv_fn = fake_getenv;
    o.environ = env;
    o.tool_path = pip;
    o.etc_dir = "/nonexistent";
    c = pg_regconf_load(&cmd, &o);
    /* The site pip.conf of the real pip's own Python, not $VIRTUAL_ENV's. */
    assert_string_equal(pg_regconf_index(c, PG_ECO_PYPI, "requests", &auth),
                        "https://site.example/simple");
    pg_regconf_free(c);
    pg_cmd_release(&cmd);
    free(py);
    free(text);
    free(pip);
    rm_tree(tmp);
    free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pip_cli),
        cmocka_unit_test(test_pip_config_file),
        cmocka_unit_test(test_pip_argv),
        cmocka_unit_test(test_pip_no_index),
        cmocka_unit_test(test_pip_bad_config),
        cmocka_unit_test(test_python_prefix),
        cmocka_unit_test(test_pip_site_config),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
