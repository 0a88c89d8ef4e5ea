/*
 * pg_npmdry: reading npm's --dry-run answer (its change lines, each
 * handed to the caller's test, checked against its JSON summary), which
 * commands npm is asked about, the asking itself with a stand-in npm that
 * records its argv, and never asking when an option would swallow
 * --dry-run; pg_child_capture's cap on what a child may print.
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

/* The test the caller gives: records each call, refuses one name. */
struct seen {
    const char *refuse;
    char calls[512];
};

static int record(void *arg, const char *verb, const char *name, const char *version,
                  struct pg_err *err)
{
    struct seen *s = arg;
    size_t n = strlen(s->calls);

    snprintf(s->calls + n, sizeof(s->calls) - n, "%s %s@%s;", verb, name, version);
    if (s->refuse && strcmp(name, s->refuse) == 0)
        return pg_err_set(err, "refused %s", name);
    return 0;
}

static enum pg_npmdry_answer read_with(const char *out, const char *refuse, struct seen *s,
                                       struct pg_err *err)
{
    memset(s, 0, sizeof(*s));
    s->refuse = refuse;
    return pg_npmdry_read(out, record, s, err);
}

static void each_placed_package_is_tested(void **state)
{
    struct pg_err err = PG_ERR_INIT;
    struct seen s;

    (void)state;
    assert_int_equal(read_with("add lodash 4.17.21\nremove left-pad-x 1.0.0\n"
                               "change ms 2.0.0 => 2.1.3\n" SUMMARY(1, 1, 1),
                               "left-pad", &s, &err),
                     PG_NPMDRY_AGREED);
    /* A change is tested at the version it would have, a removal at the one on disk. */
    assert_string_equal(s.calls, "add lodash@4.17.21;remove left-pad-x@1.0.0;change ms@2.1.3;");
    /* Nothing to do at all. */
    assert_int_equal(read_with(SUMMARY(0, 0, 0), "left-pad", &s, &err), PG_NPMDRY_AGREED);
    assert_string_equal(s.calls, "");
    /* npm 11 may count fewer adds than it prints (a linked store), never more. */
    assert_int_equal(read_with("add a 1.0.0\nadd b 1.0.0\n" SUMMARY(1, 0, 0), NULL, &s, &err),
                     PG_NPMDRY_AGREED);
}

static void a_refusal_ends_it(void **state)
{
    struct pg_err err = PG_ERR_INIT;
    struct seen s;

    (void)state;
    assert_int_equal(read_with("add lodash 4.17.21\nchange left-pad 1.3.0 => 1.3.0\n"
                               "add z 1.0.0\n" SUMMARY(2, 1, 0),
                               "left-pad", &s, &err),
                     PG_NPMDRY_REFUSED);
    assert_string_equal(err.msg, "refused left-pad");
    assert_string_equal(s.calls, "add lodash@4.17.21;change left-pad@1.3.0;");
    /* npm 11's lists are tested too (they may hold what no line said). */
    assert_int_equal(read_with("change a 1.0.0 => 2.0.0\n{\"added\":0,\"changed\":1,"
                               "\"removed\":0,\"add\":[{\"name\":\"@s/pad\",\"version\":"
                               "\"1.3.0\"}],\"change\":[{\"from\":{\"name\":\"a\",\"version\":"
                               "\"1.0.0\"},\"to\":{\"name\":\"a\",\"version\":\"2.0.0\"}}]}",
                               "@s/pad", &s, &err),
                     PG_NPMDRY_REFUSED);
    assert_string_equal(s.calls, "change a@2.0.0;add @s/pad@1.3.0;");
}

static void unknown_when_the_answer_is_not_whole(void **state)
{
    struct pg_err err = PG_ERR_INIT;
    struct seen s;

    (void)state;
    /* Silenced (loglevel silent): no output is no answer. */
    assert_int_equal(read_with("", NULL, &s, &err), PG_NPMDRY_UNKNOWN);
    assert_string_equal(err.msg, "npm --dry-run printed no summary");
    /* A summary that counts a change no line named. */
    assert_int_equal(read_with("add lodash 4.17.21\n" SUMMARY(1, 1, 0), NULL, &s, &err),
                     PG_NPMDRY_UNKNOWN);
    assert_string_equal(err.msg, "npm --dry-run's summary does not match its list of changes");
    assert_int_equal(read_with(SUMMARY(2, 0, 0), NULL, &s, &err), PG_NPMDRY_UNKNOWN);
    /* Not JSON, or an npm error object. */
    assert_int_equal(read_with("add lodash 4.17.21\n{\n  \"added\": 1,\n", NULL, &s, &err),
                     PG_NPMDRY_UNKNOWN);
    assert_int_equal(read_with("{\"error\":{\"code\":\"E404\"}}", NULL, &s, &err),
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
    struct pg_err err = PG_ERR_INIT;
    char *real = stand_in(fx, "add lodash 4.17.21\n" SUMMARY(1, 0, 0), 0);
    char *log = fx_path(fx, "argv"), *words = NULL;
    struct seen s = {"left-pad", ""};
    size_t len;

    assert_int_equal(pg_npmdry_ask(real, argv, &skip, record, &s, &err), PG_NPMDRY_AGREED);
    assert_string_equal(s.calls, "add lodash@4.17.21;");
    assert_int_equal(pg_read_file(log, 4096, &words, &len, NULL), 0);
    /* The person's words untouched, then npm's last word on each setting. */
    assert_string_equal(words, "install\n--silent\nlodash\n--dry-run\n--ignore-scripts\n"
                               "--no-audit\n--no-fund\n--json\n--loglevel=warn\n"
                               "--color=false\n");
    free(words);
    free(real);
    free(log);

    real = stand_in(fx, "{\"error\":{\"code\":\"E404\",\"summary\":\"Not Found - x\\nmore\"}}",
                    1);
    assert_int_equal(pg_npmdry_ask(real, argv, &skip, record, &s, &err), PG_NPMDRY_UNKNOWN);
    assert_string_equal(err.msg, "npm --dry-run failed (exit 1: Not Found - x)");
    free(real);
    real = fx_path(fx, "no-such-npm");
    assert_int_equal(pg_npmdry_ask(real, argv, &skip, record, &s, &err), PG_NPMDRY_UNKNOWN);
    assert_string_equal(err.msg, "npm --dry-run failed (exit 127)");
    free(real);
}

/* An option left without its value would take --dry-run: npm is not asked. */
static void never_asks_when_a_flag_would_be_a_value(void **state)
{
    struct cli_fx *fx = *state;
    char *prefix[] = {"npm", "install", "lodash", "--prefix", NULL};
    char *cwd[] = {"npm", "install", "lodash", "-C", NULL};
    char *omit[] = {"npm", "install", "--omit", NULL};
    char *fine[] = {"npm", "install", "--prefix", "x", "lodash", "--save-dev", NULL};
    char *undo[] = {"npm", "install", "--no-dry-run", "--before", NULL};
    char **bad[] = {prefix, cwd, omit, undo};
    struct pg_selfset skip = {.n = 0};
    struct pg_err err = PG_ERR_INIT;
    char *real = stand_in(fx, SUMMARY(0, 0, 0), 0), *log = fx_path(fx, "argv");
    struct seen s = {NULL, ""};

    for (size_t i = 0; i < PG_ARRAY_SIZE(bad); i++) {
        unlink(log);
        assert_int_equal(pg_npmdry_ask(real, bad[i], &skip, record, &s, &err),
                         PG_NPMDRY_UNKNOWN);
        assert_string_equal(err.msg,
                            "npm would read --dry-run as the value of the command's last option");
        assert_int_equal(access(log, F_OK), -1); /* npm never ran */
    }
    assert_int_equal(pg_npmdry_ask(real, fine, &skip, record, &s, &err), PG_NPMDRY_AGREED);
    free(real);
    free(log);
}

/* With stdin and stdout closed, the pipe's ends could land on 0 and 1. */
static void answers_with_stdio_closed(void **state)
{
    struct cli_fx *fx = *state;
    char *argv[] = {"npm", "install", "lodash", NULL};
    struct pg_selfset skip = {.n = 0};
    struct pg_err err = PG_ERR_INIT;
    char *real = stand_in(fx, "add lodash 4.17.21\n" SUMMARY(1, 0, 0), 0);
    struct seen s = {NULL, ""};
    int in = dup(STDIN_FILENO), out = dup(STDOUT_FILENO);
    enum pg_npmdry_answer a;

    assert_true(in > STDERR_FILENO && out > STDERR_FILENO);
    fflush(stdout);
    close(STDIN_FILENO);
    close(STDOUT_FILENO);
    a = pg_npmdry_ask(real, argv, &skip, record, &s, &err);
    dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    close(in);
    close(out);
    assert_int_equal(a, PG_NPMDRY_AGREED);
    assert_string_equal(s.calls, "add lodash@4.17.21;");
    free(real);
}

static void capture_is_capped(void **state)
{
    struct cli_fx *fx = *state;
    char *argv[] = {"talker", NULL};
    struct pg_selfset skip = {.n = 0};
    struct pg_sb out = PG_SB_INIT;
    char *talker = fx_path(fx, "talker");
    int status = 0;

    /* It never ends by itself: the cap ends it. */
    fx_write(fx, "talker", "#!/bin/sh\nwhile :; do echo yyyyyyyyyyyyyyyy; done\n");
    assert_int_equal(chmod(talker, 0700), 0);
    assert_int_equal(pg_child_capture(talker, argv, &skip, 100000, &out, &status), -1);
    assert_int_equal(errno, EFBIG);
    assert_true(out.len <= 100000);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    pg_sb_release(&out);
    free(talker);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_placed_package_is_tested),
        cmocka_unit_test(a_refusal_ends_it),
        cmocka_unit_test(unknown_when_the_answer_is_not_whole),
        cmocka_unit_test(only_install_and_update_are_asked),
        cmocka_unit_test_setup_teardown(asks_with_the_flags_last, setup, teardown),
        cmocka_unit_test_setup_teardown(never_asks_when_a_flag_would_be_a_value, setup, teardown),
        cmocka_unit_test_setup_teardown(answers_with_stdio_closed, setup, teardown),
        cmocka_unit_test_setup_teardown(capture_is_capped, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
