/*
 * pg_npmdry: reading npm's --dry-run answer (its change lines, checked
 * against its JSON summary), which commands npm is asked about, and the
 * asking itself with a stand-in npm that records its argv; pg_child_capture's
 * cap on what a child may print.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "cli_fx.h"
#include "pg_child.h"
#include "pg_npmdry.h"

/* npm 11's summary (the lists are npm 11's; npm 7-10 print the counts only). */
#define SUMMARY(add, ch, rm)                                                                   \
    "{\n  \"added\": " #add ",\n  \"audited\": 0,\n  \"changed\": " #ch                        \
    ",\n  \"funding\": 0,\n  \"removed\": " #rm "\n}\n"

static enum pg_npmdry_answer read_with(const char *out, const char *const *names, size_t n,
                                       struct pg_err *err)
{
    struct pg_strlist l = PG_STRLIST_INIT;
    enum pg_npmdry_answer a;

    for (size_t i = 0; i < n; i++)
        pg_strlist_push(&l, names[i]);
    a = pg_npmdry_read(out, &l, err);
    pg_strlist_release(&l);
    return a;
}

static void leaves_when_no_line_names_them(void **state)
{
    const char *held[] = {"left-pad", "left-pad"};
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    assert_int_equal(read_with("add lodash 4.17.21\nremove left-pad-x 1.0.0\n" SUMMARY(1, 0, 1),
                               held, 2, &err),
                     PG_NPMDRY_LEAVES);
    /* Nothing to do at all. */
    assert_int_equal(read_with(SUMMARY(0, 0, 0), held, 1, &err), PG_NPMDRY_LEAVES);
    /* A removal of it is no harm. */
    assert_int_equal(read_with("remove left-pad 1.3.0\n" SUMMARY(0, 0, 1), held, 1, &err),
                     PG_NPMDRY_LEAVES);
}

static void touches_on_add_or_change(void **state)
{
    const char *held[] = {"left-pad", "@s/pad"};
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    assert_int_equal(read_with("add lodash 4.17.21\nchange left-pad 1.3.0 => 1.3.0\n" SUMMARY(
                                   1, 1, 0),
                               held, 2, &err),
                     PG_NPMDRY_TOUCHES);
    assert_string_equal(err.msg, "npm would change it (`change left-pad 1.3.0 => 1.3.0`)");
    /* Placed again elsewhere: an add of the same name, at any version. */
    assert_int_equal(read_with("add @s/pad 2.0.0\n" SUMMARY(1, 0, 0), held, 2, &err),
                     PG_NPMDRY_TOUCHES);
    assert_string_equal(err.msg, "npm would add it (`add @s/pad 2.0.0`)");
    /* npm 11's lists count too (their add list may hold what no line said). */
    assert_int_equal(read_with("{\"added\":0,\"changed\":0,\"removed\":0,\"add\":[{\"name\":"
                               "\"left-pad\",\"version\":\"1.3.0\"}]}",
                               held, 2, &err),
                     PG_NPMDRY_TOUCHES);
    /* A name that only starts like one held is another package. */
    assert_int_equal(read_with("add left-pad2 1.0.0\n" SUMMARY(1, 0, 0), held, 2, &err),
                     PG_NPMDRY_LEAVES);
}

static void unknown_when_the_answer_is_not_whole(void **state)
{
    const char *held[] = {"left-pad"};
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    /* Silenced (loglevel silent): no output is no answer. */
    assert_int_equal(read_with("", held, 1, &err), PG_NPMDRY_UNKNOWN);
    assert_string_equal(err.msg, "npm --dry-run printed no summary");
    /* A summary that counts a change no line named. */
    assert_int_equal(read_with("add lodash 4.17.21\n" SUMMARY(1, 1, 0), held, 1, &err),
                     PG_NPMDRY_UNKNOWN);
    assert_string_equal(err.msg, "npm --dry-run's summary does not match its list of changes");
    assert_int_equal(read_with(SUMMARY(2, 0, 0), held, 1, &err), PG_NPMDRY_UNKNOWN);
    /* Not JSON, or an npm error object. */
    assert_int_equal(read_with("add lodash 4.17.21\n{\n  \"added\": 1,\n", held, 1, &err),
                     PG_NPMDRY_UNKNOWN);
    assert_int_equal(read_with("{\"error\":{\"code\":\"E404\"}}", held, 1, &err),
                     PG_NPMDRY_UNKNOWN);
}

static struct pg_cmd npm(const char *sub, int global)
{
    struct pg_cmd cmd;

    pg_cmd_init(&cmd, PG_TOOL_NPM);
    cmd.installs = 1;
    cmd.global = global;
    cmd.subcmd = sub ? pg_xstrdup(sub) : NULL;
    return cmd;
}

static void only_install_and_update_are_asked(void **state)
{
    char *plain[] = {"npm", "install", "lodash", NULL};
    char *dashdash[] = {"npm", "install", "--", "lodash", NULL};
    const char *no[] = {"ci", "install-test", "link", "exec", NULL};
    struct pg_cmd cmd;

    (void)state;
    cmd = npm("install", 0);
    assert_true(pg_npmdry_askable(&cmd, plain));
    /* After "--" npm reads no options: the dry-run flags would be words. */
    assert_false(pg_npmdry_askable(&cmd, dashdash));
    assert_false(pg_npmdry_askable(&cmd, NULL));
    pg_cmd_release(&cmd);
    cmd = npm("update", 0);
    assert_true(pg_npmdry_askable(&cmd, plain));
    pg_cmd_release(&cmd);
    cmd = npm("install", 1);
    assert_false(pg_npmdry_askable(&cmd, plain));
    pg_cmd_release(&cmd);
    for (size_t i = 0; no[i]; i++) {
        cmd = npm(no[i], 0);
        assert_false(pg_npmdry_askable(&cmd, plain));
        pg_cmd_release(&cmd);
    }
    cmd = npm(NULL, 0);
    cmd.tool = PG_TOOL_PIP;
    assert_false(pg_npmdry_askable(&cmd, plain));
    pg_cmd_release(&cmd);
}

static int setup(void **state)
{
    struct cli_fx *fx = calloc(1, sizeof(*fx));

    *state = fx;
    return fx_setup(fx);
}

static int teardown(void **state)
{
    int rc = fx_teardown(*state);

    free(*state);
    return rc;
}

/* A stand-in npm: records its argv one word per line, prints body, exits code. */
static char *stand_in(const struct cli_fx *fx, const char *body, int code)
{
    char *path = fx_path(fx, "npm"), *log = fx_path(fx, "argv");
    char *text = pg_xasprintf("#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done >'%s'\n"
                              "printf '%%s' '%s'\nexit %d\n",
                              log, body, code);

    fx_write(fx, "npm", text);
    assert_int_equal(chmod(path, 0700), 0);
    free(text);
    free(log);
    return path;
}

static void asks_with_the_flags_last(void **state)
{
    struct cli_fx *fx = *state;
    char *argv[] = {"npm", "install", "--silent", "lodash", NULL};
    struct pg_selfset skip = {.n = 0};
    struct pg_strlist held = PG_STRLIST_INIT;
    struct pg_err err = PG_ERR_INIT;
    char *real = stand_in(fx, "add lodash 4.17.21\n" SUMMARY(1, 0, 0), 0);
    char *log = fx_path(fx, "argv"), *words = NULL;
    size_t len;

    pg_strlist_push(&held, "left-pad");
    assert_int_equal(pg_npmdry_ask(real, argv, &skip, &held, &err), PG_NPMDRY_LEAVES);
    assert_int_equal(pg_read_file(log, 4096, &words, &len, NULL), 0);
    /* The person's words untouched, then npm's last word on each setting. */
    assert_string_equal(words, "install\n--silent\nlodash\n--dry-run\n--ignore-scripts\n"
                               "--no-audit\n--no-fund\n--json\n--loglevel=warn\n"
                               "--color=false\n");
    free(words);
    free(real);

    real = stand_in(fx, "", 1);
    assert_int_equal(pg_npmdry_ask(real, argv, &skip, &held, &err), PG_NPMDRY_UNKNOWN);
    assert_string_equal(err.msg, "npm --dry-run failed (exit 1)");
    free(real);
    real = fx_path(fx, "no-such-npm");
    assert_int_equal(pg_npmdry_ask(real, argv, &skip, &held, &err), PG_NPMDRY_UNKNOWN);
    assert_string_equal(err.msg, "npm --dry-run failed (exit 127)");
    free(real);
    free(log);
    pg_strlist_release(&held);
}

static void capture_is_capped(void **state)
{
    struct cli_fx *fx = *state;
    char *argv[] = {"yes", NULL};
    struct pg_selfset skip = {.n = 0};
    struct pg_sb out = PG_SB_INIT;
    int status = 0;

    (void)fx;
    /* `yes` never ends by itself: the cap ends it. */
    assert_int_equal(pg_child_capture("/usr/bin/yes", argv, &skip, 100000, &out, &status), -1);
    assert_int_equal(errno, EFBIG);
    assert_true(out.len <= 100000);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    pg_sb_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(leaves_when_no_line_names_them),
        cmocka_unit_test(touches_on_add_or_change),
        cmocka_unit_test(unknown_when_the_answer_is_not_whole),
        cmocka_unit_test(only_install_and_update_are_asked),
        cmocka_unit_test_setup_teardown(asks_with_the_flags_last, setup, teardown),
        cmocka_unit_test_setup_teardown(capture_is_capped, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
