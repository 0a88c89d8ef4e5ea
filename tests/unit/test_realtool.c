/*
 * test_realtool.c - shim/pg_realtool: finding the real pip/npm on PATH
 * while skipping pkggate's own binaries by identity (st_dev, st_ino), the
 * PKGGATE_REAL_* override, the PKGGATE_SEEN list that
 * break loops across exec, and what the exec'd tool sees.
 *
 * Each test builds its own PATH from directories in one temporary tree:
 *   self          a stand-in for the shim binary (never run)
 *   shims/        the shim directory: tool names linked to self
 *   shims2/       a second link to the shims (symlinked directory)
 *   copy/         a hard link to self under another name
 *   real/         the real tools (shell scripts)
 *   noexec/       a tool without the x bit; dir/ a directory named like one
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pg_realtool.h"
#include "pg_util.h"
#include "banned.h"

static char root[PATH_MAX];
static char *saved_path;

static char *at(const char *rel)
{
    return pg_xasprintf("%s/%s", root, rel);
}

static void write_exec(const char *rel, const char *text, mode_t mode)
{
    char *p = at(rel);
    FILE *f = fopen(p, "w");

    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(p, mode), 0);
    free(p);
}

static void mkdir_at(const char *rel)
{
    char *p = at(rel);

    assert_int_equal(mkdir(p, 0700), 0);
    free(p);
}

static void symlink_at(const char *target, const char *rel)
{
    char *p = at(rel);

    assert_int_equal(symlink(target, p), 0);
    free(p);
}

static int setup(void **state)
{
    const char *tmpdir = getenv("TMPDIR");
    char *self, *copy;
    int n;

    (void)state;
    n = snprintf(root, sizeof(root), "%s/pg-realtool-XXXXXX",
                 tmpdir && *tmpdir == '/' ? tmpdir : "/tmp");
    if (n < 0 || (size_t)n >= sizeof(root) || !mkdtemp(root))
        return -1;
    saved_path = getenv("PATH") ? pg_xstrdup(getenv("PATH")) : NULL;
    write_exec("self", "#!/bin/sh\nexit 99\n", 0755);
    mkdir_at("shims");
    symlink_at("../self", "shims/npm");
    symlink_at("../self", "shims/pip");
    symlink_at("../self", "shims/pip3.11");
    symlink_at("shims", "shims2");
    mkdir_at("copy");
    self = at("self");
    copy = at("copy/npm");
    assert_int_equal(link(self, copy), 0);
    free(self);
    free(copy);
    mkdir_at("real");
    write_exec("real/npm", "#!/bin/sh\necho real npm\n", 0755);
    write_exec("real/pip", "#!/bin/sh\necho real pip\n", 0755);
    write_exec("real/pip3", "#!/bin/sh\necho real pip3\n", 0755);
    mkdir_at("noexec");
    write_exec("noexec/npm", "#!/bin/sh\n", 0644);
    mkdir_at("dir");
    mkdir_at("dir/npm");
    return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static int teardown(void **state)
{
    (void)state;
    if (saved_path)
        setenv("PATH", saved_path, 1);
    free(saved_path);
    return nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* PATH from space-separated parts under root ("-" is an empty entry). */
static void set_path(const char *parts)
{
    struct pg_sb sb = PG_SB_INIT;
    char buf[512], *save = NULL;

    assert_true(strlen(parts) < sizeof(buf));
    memcpy(buf, parts, strlen(parts) + 1);
    for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (sb.len)
            pg_sb_addc(&sb, ':');
        if (strcmp(w, "-") == 0)
            continue;
        if (w[0] == '/')
            pg_sb_adds(&sb, w);
        else
            pg_sb_addf(&sb, "%s/%s", root, w);
    }
    assert_int_equal(setenv("PATH", pg_sb_str(&sb), 1), 0);
    pg_sb_release(&sb);
}

static void self_set(struct pg_selfset *s)
{
    char *self = at("self");

    memset(s, 0, sizeof(*s));
    pg_selfset_add_path(s, self);
    assert_int_equal(s->n, 1);
    free(self);
}

static void clear_overrides(void)
{
    static const char *const vars[] = {"PKGGATE_REAL_NPM", "PKGGATE_REAL_PIP",
                                       "PKGGATE_REAL_PIP3", "PKGGATE_REAL_PIP3_11",
                                       "PKGGATE_REAL_NPX"};

    for (size_t i = 0; i < PG_ARRAY_SIZE(vars); i++)
        unsetenv(vars[i]);
}

static void assert_found(const char *tool, const char *want_rel)
{
    struct pg_selfset s;
    char out[PATH_MAX], why[256] = "";
    char *want = at(want_rel);

    self_set(&s);
    if (pg_realtool_find(tool, &s, out, sizeof(out), why, sizeof(why)) != 0)
        fail_msg("%s not found: %s", tool, why);
    assert_string_equal(out, want);
    free(want);
}

static void selfset_by_identity(void **state)
{
    struct pg_selfset s = {.n = 0};
    char *self = at("self"), *link1 = at("shims/npm"), *hard = at("copy/npm");
    char *missing = at("no/such/file"), *real = at("real/npm");
    struct stat st;

    (void)state;
    pg_selfset_add_path(&s, self);
    pg_selfset_add_path(&s, link1); /* a symlink: same file, no new entry */
    pg_selfset_add_path(&s, hard);  /* a hard link: same inode, no new entry */
    pg_selfset_add_path(&s, missing);
    pg_selfset_add_path(&s, NULL);
    assert_int_equal(s.n, 1);
    assert_int_equal(stat(self, &st), 0);
    assert_true(pg_selfset_has(&s, st.st_dev, st.st_ino));
    assert_int_equal(stat(real, &st), 0);
    assert_false(pg_selfset_has(&s, st.st_dev, st.st_ino));
    free(self);
    free(link1);
    free(hard);
    free(missing);
    free(real);
}

static void selfset_lists(void **state)
{
    struct pg_selfset s = {.n = 0};

    (void)state;
    pg_selfset_add_list(&s, "1:2,3:4,1:2");
    assert_int_equal(s.n, 2);
    assert_true(pg_selfset_has(&s, 1, 2));
    assert_true(pg_selfset_has(&s, 3, 4));
    assert_false(pg_selfset_has(&s, 2, 1));

    /* Malformed items end the list; what came before stays. */
    memset(&s, 0, sizeof(s));
    pg_selfset_add_list(&s, "5:6,x:7,8:9");
    assert_int_equal(s.n, 1);
    memset(&s, 0, sizeof(s));
    pg_selfset_add_list(&s, "5");
    pg_selfset_add_list(&s, "5:6x");
    pg_selfset_add_list(&s, "");
    pg_selfset_add_list(&s, NULL);
    assert_int_equal(s.n, 0);

    /* The old "dev:ino:pid" form (PKGGATE_TARGET) is not an identity list. */
    pg_selfset_add_list(&s, "10:11:4242");
    assert_int_equal(s.n, 0);

    /* Full: further identities are dropped, not overflowed. */
    memset(&s, 0, sizeof(s));
    for (unsigned i = 0; i < PG_SELF_MAX + 4; i++) {
        char item[32];

        snprintf(item, sizeof(item), "7:%u", i);
        pg_selfset_add_list(&s, item);
    }
    assert_int_equal(s.n, PG_SELF_MAX);
}

static void path_skips_self(void **state)
{
    (void)state;
    clear_overrides();
    /* The shim directory first, as installed. */
    set_path("shims real");
    assert_found("npm", "real/npm");
    /* Listed twice, through a symlinked directory, and as a hard link. */
    set_path("shims shims2 copy shims real");
    assert_found("npm", "real/npm");
    /* Not executable, a directory, a missing directory: all passed over. */
    set_path("noexec dir nowhere shims real");
    assert_found("npm", "real/npm");
    /* The first real one wins, even before the shims. */
    set_path("real shims");
    assert_found("npm", "real/npm");
    assert_found("pip", "real/pip");
}

static void path_saw_self(void **state)
{
    struct pg_selfset s;
    char out[PATH_MAX];
    int saw = -1;

    (void)state;
    clear_overrides();
    self_set(&s);
    set_path("shims real");
    assert_int_equal(pg_realtool_on_path("npm", &s, out, sizeof(out), &saw), 0);
    assert_int_equal(saw, 1);
    set_path("real");
    assert_int_equal(pg_realtool_on_path("npm", &s, out, sizeof(out), &saw), 0);
    assert_int_equal(saw, 0);
    set_path("shims shims2 copy");
    assert_int_equal(pg_realtool_on_path("npm", &s, out, sizeof(out), &saw), -1);
    assert_int_equal(saw, 1);
    /* Too small a buffer: no candidate fits, none is cut short. */
    set_path("real");
    assert_int_equal(pg_realtool_on_path("npm", &s, out, 8, &saw), -1);
}

/*
 * The path the shim was exec'd by is ours by its spelling alone: the walk
 * skips it without a stat (one syscall less on every pass-through).
 */
static void self_path_skips_by_spelling(void **state)
{
    struct pg_selfset s = {.n = 0};
    char out[PATH_MAX], *shim = at("shims/npm"), *real = at("real/npm"), *none = at("real/none");
    int saw = -1;

    (void)state;
    clear_overrides();
    pg_selfset_add_self(&s, none); /* a missing file is not remembered */
    assert_int_equal(s.n, 0);
    assert_null(s.self_path);
    pg_selfset_add_self(&s, shim);
    assert_int_equal(s.n, 1);
    assert_ptr_equal(s.self_path, shim);
    /* By identity too: another spelling of the same file is skipped. */
    set_path("shims2 shims real");
    assert_int_equal(pg_realtool_on_path("npm", &s, out, sizeof(out), &saw), 0);
    assert_string_equal(out, real);
    assert_int_equal(saw, 1);
    /* The spelling alone decides: a path spelled as self is not looked at. */
    s.n = 0;
    s.self_path = real;
    set_path("real");
    assert_int_equal(pg_realtool_on_path("npm", &s, out, sizeof(out), &saw), -1);
    assert_int_equal(saw, 1);
    free(shim);
    free(real);
    free(none);
}

static void empty_entry_is_cwd(void **state)
{
    struct pg_selfset s;
    char out[PATH_MAX], why[256], cwd[PATH_MAX], *real = at("real");

    (void)state;
    clear_overrides();
    self_set(&s);
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(real), 0);
    set_path("shims -");
    assert_int_equal(pg_realtool_find("npm", &s, out, sizeof(out), why, sizeof(why)), 0);
    assert_string_equal(out, "./npm");
    assert_int_equal(chdir(cwd), 0);
    free(real);
}

static void missing_tool(void **state)
{
    struct pg_selfset s;
    char out[PATH_MAX], why[256];

    (void)state;
    clear_overrides();
    self_set(&s);
    set_path("real noexec");
    assert_int_equal(pg_realtool_find("npx", &s, out, sizeof(out), why, sizeof(why)), -1);
    assert_non_null(strstr(why, "no real npx found on PATH"));
    assert_non_null(strstr(why, "PKGGATE_REAL_NPX"));
    assert_null(strstr(why, "only pkggate"));

    /* Only the shims themselves: the loop is broken and said so. */
    set_path("shims shims2 copy");
    assert_int_equal(pg_realtool_find("npm", &s, out, sizeof(out), why, sizeof(why)), -1);
    assert_non_null(strstr(why, "(only pkggate's own shims)"));
    assert_null(strchr(why, '\n'));
}

static void override_wins(void **state)
{
    struct pg_selfset s;
    char out[PATH_MAX], why[256];
    char *real = at("real/pip3"), *self = at("shims/npm"), *noexec = at("noexec/npm");

    (void)state;
    clear_overrides();
    self_set(&s);
    set_path("real");
    /* pip3.11 tries PIP3_11, then PIP3, then PIP. */
    setenv("PKGGATE_REAL_PIP", real, 1);
    assert_int_equal(pg_realtool_find("pip3.11", &s, out, sizeof(out), why, sizeof(why)), 0);
    assert_string_equal(out, real);
    setenv("PKGGATE_REAL_PIP3_11", "/nonexistent/pip", 1);
    assert_int_equal(pg_realtool_find("pip3.11", &s, out, sizeof(out), why, sizeof(why)), -1);
    assert_non_null(strstr(why, "PKGGATE_REAL_PIP3_11=/nonexistent/pip is not an executable"));
    unsetenv("PKGGATE_REAL_PIP3_11");
    setenv("PKGGATE_REAL_PIP3", real, 1);
    setenv("PKGGATE_REAL_PIP", "/nonexistent/pip", 1);
    assert_int_equal(pg_realtool_find("pip3.11", &s, out, sizeof(out), why, sizeof(why)), 0);
    assert_string_equal(out, real);
    /* An empty value is no override. */
    clear_overrides();
    setenv("PKGGATE_REAL_NPM", "", 1);
    assert_found("npm", "real/npm");

    /* An override never points back at pkggate, and is never skipped past. */
    setenv("PKGGATE_REAL_NPM", self, 1);
    assert_int_equal(pg_realtool_find("npm", &s, out, sizeof(out), why, sizeof(why)), -1);
    assert_non_null(strstr(why, "points back at pkggate"));
    setenv("PKGGATE_REAL_NPM", noexec, 1);
    assert_int_equal(pg_realtool_find("npm", &s, out, sizeof(out), why, sizeof(why)), -1);
    assert_non_null(strstr(why, "is not an executable file"));
    setenv("PKGGATE_REAL_NPM", real, 1);
    assert_int_equal(pg_realtool_find("npm", &s, out, 8, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "too long"));
    clear_overrides();
    free(real);
    free(self);
    free(noexec);
}

/* Run pg_realtool_exec in a child; return what the tool printed. */
static char *exec_and_read(const char *path, char *const argv[], const struct pg_selfset *skip,
                           pid_t *child)
{
    struct pg_sb sb = PG_SB_INIT;
    char buf[256];
    int fds[2], status;
    ssize_t n;

    assert_int_equal(pipe(fds), 0);
    *child = fork();
    assert_true(*child >= 0);
    if (*child == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        pg_realtool_exec(path, argv, skip);
        _exit(126);
    }
    close(fds[1]);
    while ((n = read(fds[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            pg_sb_add(&sb, buf, (size_t)n);
    close(fds[0]);
    assert_int_equal(waitpid(*child, &status, 0), *child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    return pg_sb_detach(&sb);
}

static void exec_passes_identities(void **state)
{
    struct pg_selfset s;
    struct stat st_self, st_tool;
    char *tool = at("real/show"), *self = at("self"), *got, want[256];
    char *argv[] = {"show", "a b", "", NULL};
    pid_t child;

    (void)state;
    write_exec("real/show",
               "#!/bin/sh\nprintf '%s|%s|%s|%s|%s' \"$PKGGATE_SEEN\" \"$PKGGATE_TARGET\" $$ "
               "\"$1\" \"$#\"\n",
               0755);
    self_set(&s);
    pg_selfset_add_list(&s, "3:4,18446744073709551615:0");
    assert_int_equal(stat(self, &st_self), 0);
    assert_int_equal(stat(tool, &st_tool), 0);
    got = exec_and_read(tool, argv, &s, &child);
    /* SEEN lists every skipped identity; no "checked already" marker is set
     * (PKGGATE_TARGET is gone); argv is passed unchanged. */
    (void)st_tool;
    snprintf(want, sizeof(want), "%llu:%llu,3:4,18446744073709551615:0||%llu|a b|2",
             (unsigned long long)st_self.st_dev, (unsigned long long)st_self.st_ino,
             (unsigned long long)child);
    assert_string_equal(got, want);
    free(got);
    free(tool);
    free(self);
}

static void exec_failure_returns(void **state)
{
    struct pg_selfset s = {.n = 0};
    char *missing = at("real/none"), *noexec = at("noexec/npm");
    char *argv[] = {"none", NULL};

    (void)state;
    errno = 0;
    assert_int_equal(pg_realtool_exec(missing, argv, &s), -1);
    assert_int_equal(errno, ENOENT);
    errno = 0;
    assert_int_equal(pg_realtool_exec(noexec, argv, &s), -1);
    assert_int_equal(errno, EACCES);
    unsetenv("PKGGATE_SEEN");
    free(missing);
    free(noexec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(selfset_by_identity),
        cmocka_unit_test(selfset_lists),
        cmocka_unit_test(path_skips_self),
        cmocka_unit_test(path_saw_self),
        cmocka_unit_test(self_path_skips_by_spelling),
        cmocka_unit_test(empty_entry_is_cwd),
        cmocka_unit_test(missing_tool),
        cmocka_unit_test(override_wins),
        cmocka_unit_test(exec_passes_identities),
        cmocka_unit_test(exec_failure_returns),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
