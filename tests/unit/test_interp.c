/*
 * test_interp.c - shim/cli/pg_interp: the interpreter behind a tool when
 * its script does not name one. A temporary tree holds two PATH
 * directories with fake interpreters (shell scripts and a plain file) and
 * a link to pkggate's own program, which must never be taken for a python.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pg_interp.h"
#include "pg_realtool.h"
#include "pg_util.h"
#include "banned.h"

static char root[PATH_MAX];

static void put(const char *rel, const char *text, mode_t mode)
{
    char *p = pg_xasprintf("%s/%s", root, rel);
    FILE *f = fopen(p, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(chmod(p, mode), 0);
    free(p);
}

static int setup(void **state)
{
    char self[PATH_MAX], *a, *b, *link, *target, *path;

    (void)state;
    snprintf(root, sizeof(root), "%s/pg-interp-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(root))
        return -1;
    a = pg_xasprintf("%s/a", root);
    b = pg_xasprintf("%s/b", root);
    mkdir(a, 0700);
    mkdir(b, 0700);
    put("a/node", "not executable", 0600);
    put("b/node", "#!/bin/sh\necho v20.1.0\n", 0700);
    put("b/python3", "\x7f" "ELF", 0700);
    /* pkggate's own program (this test binary) under a python's name, first on PATH */
    assert_int_equal(pg_realtool_selfdir(self, sizeof(self)), 0);
    target = pg_xasprintf("%s/test_interp", self);
    link = pg_xasprintf("%s/a/python3", root);
    assert_int_equal(symlink(target, link), 0);
    path = pg_xasprintf("%s:%s", a, b);
    setenv("PATH", path, 1);
    free(path);
    free(a);
    free(b);
    free(link);
    free(target);
    return 0;
}

static int teardown(void **state)
{
    const char *files[] = {"a/node", "a/python3", "b/node", "b/python3"};

    (void)state;
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char *p = pg_xasprintf("%s/%s", root, files[i]);

        unlink(p);
        free(p);
    }
    for (const char *d = "a"; d; d = strcmp(d, "a") == 0 ? "b" : NULL) {
        char *p = pg_xasprintf("%s/%s", root, d);

        rmdir(p);
        free(p);
    }
    rmdir(root);
    return 0;
}

static void test_on_path(void **state)
{
    char *node, *py, *want, *self;

    (void)state;
    node = pg_interp_on_path("node"); /* a/node is not executable */
    want = pg_xasprintf("%s/b/node", root);
    assert_non_null(node);
    assert_string_equal(node, want);
    free(want);
    py = pg_interp_on_path("python3"); /* a/python3 is pkggate itself */
    want = pg_xasprintf("%s/b/python3", root);
    assert_non_null(py);
    assert_string_equal(py, want);
    self = pg_xasprintf("%s/a/python3", root);
    assert_true(pg_interp_ours(self));
    assert_false(pg_interp_ours(py));
    free(self);
    assert_null(pg_interp_on_path("pypy3"));
    free(want);
    free(node);
    free(py);
}

static void test_script_and_names(void **state)
{
    static const char *const pythons[] = {"python", "pypy", NULL};
    char *node = pg_xasprintf("%s/b/node", root), *py = pg_xasprintf("%s/b/python3", root);

    (void)state;
    assert_true(pg_interp_is_script(node));
    assert_false(pg_interp_is_script(py));
    assert_false(pg_interp_is_script("/nonexistent/x"));
    assert_true(pg_interp_named("/usr/bin/python3.11", pythons));
    assert_true(pg_interp_named("/opt/pypy/bin/pypy3", pythons));
    assert_true(pg_interp_named("python", pythons));
    assert_false(pg_interp_named("/bin/bash", pythons));
    assert_false(pg_interp_named("/usr/bin/zsh", pythons));
    free(node);
    free(py);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_on_path),
        cmocka_unit_test(test_script_and_names),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
