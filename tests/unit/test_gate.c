/*
 * test_gate.c - shim/cli/pg_gate: what `pkggate run` and `pkggate check`
 * share. With the policy given in memory and no registry (names_only, or
 * offline on an empty cache), check the exit status each outcome maps to,
 * what the person sees on stderr, the JSON lines on stdout, and the audit
 * log (one line per package, never argv). Also loading the layered policy
 * from the environment. No network: see cli_fx.h.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>

#include "cli_fx.h"
#include "pg_exit.h"
#include "pg_gate.h"
#include "banned.h"

static struct cli_fx fx;

static int setup(void **state)
{
    (void)state;
    return fx_setup(&fx);
}

static int teardown(void **state)
{
    (void)state;
    return fx_teardown(&fx);
}

static void add(struct pg_reqlist *l, enum pg_eco eco, const char *name)
{
    struct pg_req *r = pg_reqlist_add(l, eco, PG_SRC_REGISTRY);

    r->name = pg_xstrdup(name);
    r->spec = pg_xstrdup("");
    r->origin = pg_xstrdup("argv");
}

/* What one pg_gate_decide call returned and printed. */
struct run {
    int rc;
    char *out, *err, *audit;
};

static void run_release(struct run *r)
{
    free(r->out);
    free(r->err);
    free(r->audit);
}

static struct run decide(const struct pg_gate_opts *o, const char *pjson,
                         const struct pg_reqlist *reqs)
{
    struct pg_policy *pol = fx_policy(pjson);
    struct fx_capture out, err;
    struct run r;

    fx_capture_begin(&fx, &out, 1);
    fx_capture_begin(&fx, &err, 2);
    r.rc = pg_gate_decide(o, pol, NULL, reqs);
    r.err = fx_capture_end(&err);
    r.out = fx_capture_end(&out);
    r.audit = fx_audit_take(&fx);
    pg_policy_free(pol);
    return r;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Line i (0-based) of text as JSON; the caller decrefs. */
static json_t *json_line(const char *text, size_t i)
{
    json_error_t e;
    json_t *j;

    for (; i > 0 && strchr(text, '\n'); i--)
        text = strchr(text, '\n') + 1;
    j = json_loadb(text, strcspn(text, "\n"), 0, &e);
    if (!j)
        fail_msg("not JSON (%s): %.*s", e.text, (int)strcspn(text, "\n"), text);
    return j;
}

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void allowed_names_pass(void **state)
{
    struct pg_gate_opts o = {.names_only = 1, .tool = "npm", .subcmd = "install"};
    struct pg_reqlist reqs = PG_REQLIST_INIT;
    struct run r;
    json_t *line;

    (void)state;
    add(&reqs, PG_ECO_NPM, "lodash");
    add(&reqs, PG_ECO_PYPI, "requests");
    r = decide(&o, "{}", &reqs);
    assert_int_equal(r.rc, PG_EXIT_OK);
    assert_string_equal(r.out, ""); /* no --json */
    assert_null(strstr(r.err, "blocked"));
    /* One audit line per package, with when and what, but no argv. */
    assert_int_equal(count_lines(r.audit), 2);
    line = json_line(r.audit, 1);
    assert_string_equal(jstr(line, "name"), "requests");
    assert_string_equal(jstr(line, "ecosystem"), "pypi");
    assert_string_equal(jstr(line, "decision"), "allow");
    assert_string_equal(jstr(line, "tool"), "npm");
    assert_string_equal(jstr(line, "command"), "install");
    assert_non_null(jstr(line, "time"));
    json_decref(line);
    run_release(&r);
    pg_reqlist_release(&reqs);
}

static void deny_blocks(void **state)
{
    struct pg_gate_opts o = {.names_only = 1, .tool = "npm", .subcmd = "install"};
    struct pg_reqlist reqs = PG_REQLIST_INIT;
    struct run r;
    json_t *line;

    (void)state;
    add(&reqs, PG_ECO_NPM, "lodash");
    add(&reqs, PG_ECO_NPM, "evil");
    r = decide(&o, "{\"deny\": [\"pkg:npm/evil\"]}", &reqs);
    assert_int_equal(r.rc, PG_EXIT_BLOCKED);
    assert_non_null(strstr(r.err, "evil"));
    assert_non_null(strstr(r.err, "pkggate: 1 of 2 packages blocked by policy; nothing was "
                                  "installed\n"));
    line = json_line(r.audit, 1);
    assert_string_equal(jstr(line, "decision"), "block");
    json_decref(line);
    run_release(&r);

    /* pkggate check (no tool): the same verdict, worded as a forecast. */
    o.tool = o.subcmd = NULL;
    r = decide(&o, "{\"deny\": [\"pkg:npm/evil\"]}", &reqs);
    assert_int_equal(r.rc, PG_EXIT_BLOCKED);
    assert_non_null(strstr(r.err, "1 of 2 packages would be blocked by policy\n"));
    line = json_line(r.audit, 0);
    assert_string_equal(jstr(line, "tool"), "pkggate");
    assert_string_equal(jstr(line, "command"), "check");
    json_decref(line);
    run_release(&r);
    pg_reqlist_release(&reqs);
}

/* warn and audit never stop the command; audit says nothing but logs. */
static void modes_soften(void **state)
{
    struct pg_gate_opts o = {.names_only = 1, .tool = "npm", .subcmd = "install"};
    struct pg_reqlist reqs = PG_REQLIST_INIT;
    struct run r;
    json_t *line;

    (void)state;
    add(&reqs, PG_ECO_NPM, "evil");
    r = decide(&o, "{\"mode\": \"warn\", \"deny\": [\"pkg:npm/evil\"]}", &reqs);
    assert_int_equal(r.rc, PG_EXIT_OK);
    assert_non_null(strstr(r.err, "evil"));
    assert_null(strstr(r.err, "blocked by policy"));
    line = json_line(r.audit, 0);
    assert_string_equal(jstr(line, "decision"), "warn");
    json_decref(line);
    run_release(&r);

    r = decide(&o, "{\"mode\": \"audit\", \"deny\": [\"pkg:npm/evil\"]}", &reqs);
    assert_int_equal(r.rc, PG_EXIT_OK);
    assert_string_equal(r.err, "");
    assert_int_equal(count_lines(r.audit), 1);
    run_release(&r);
    pg_reqlist_release(&reqs);
}

static void json_and_quiet(void **state)
{
    struct pg_gate_opts o = {.names_only = 1, .json = 1, .quiet = 1, .tool = "pip",
                             .subcmd = "install"};
    struct pg_reqlist reqs = PG_REQLIST_INIT;
    struct run r;
    json_t *line;

    (void)state;
    add(&reqs, PG_ECO_PYPI, "reqeusts"); /* a warning under this policy */
    add(&reqs, PG_ECO_PYPI, "denied");
    r = decide(&o,
               "{\"deny\": [\"pkg:pypi/denied\"],"
               " \"rules\": {\"typosquat\": {\"action\": \"warn\"}}}",
               &reqs);
    assert_int_equal(r.rc, PG_EXIT_BLOCKED);
    /* --json: one object per package on stdout, in request order. */
    assert_int_equal(count_lines(r.out), 2);
    line = json_line(r.out, 0);
    assert_string_equal(jstr(line, "name"), "reqeusts");
    assert_string_equal(jstr(line, "decision"), "warn");
    assert_null(json_object_get(line, "tool")); /* the audit context stays in the log */
    json_decref(line);
    line = json_line(r.out, 1);
    assert_string_equal(jstr(line, "name"), "denied");
    assert_string_equal(jstr(line, "decision"), "block");
    assert_true(json_array_size(json_object_get(line, "reasons")) >= 1);
    json_decref(line);
    /* --quiet drops the warning but still explains the block. */
    assert_null(strstr(r.err, "reqeusts"));
    assert_non_null(strstr(r.err, "denied"));
    /* Both are in the audit log all the same. */
    assert_int_equal(count_lines(r.audit), 2);
    run_release(&r);
    pg_reqlist_release(&reqs);
}

static void typosquat_by_name(void **state)
{
    struct pg_gate_opts o = {.names_only = 1, .tool = "pip", .subcmd = "install"};
    struct pg_reqlist reqs = PG_REQLIST_INIT;
    struct run r;

    (void)state;
    add(&reqs, PG_ECO_PYPI, "reqeusts");
    r = decide(&o, "{}", &reqs);
    assert_int_equal(r.rc, PG_EXIT_BLOCKED);
    assert_non_null(strstr(r.err, "typosquat"));
    assert_non_null(strstr(r.err, "requests"));
    run_release(&r);

    r = decide(&o, "{\"rules\": {\"typosquat\": {\"action\": \"warn\"}}}", &reqs);
    assert_int_equal(r.rc, PG_EXIT_OK);
    assert_non_null(strstr(r.err, "typosquat"));
    run_release(&r);
    pg_reqlist_release(&reqs);
}

/* Offline on an empty cache nothing can be known: the policy's
 * "undecidable" decides (block by default, fail closed). */
static void offline_undecidable(void **state)
{
    struct pg_gate_opts o = {.offline = 1, .tool = "npm", .subcmd = "install"};
    struct pg_reqlist reqs = PG_REQLIST_INIT;
    struct run r;
    json_t *line;

    (void)state;
    add(&reqs, PG_ECO_NPM, "left-pad");
    r = decide(&o, "{}", &reqs);
    assert_int_equal(r.rc, PG_EXIT_BLOCKED);
    assert_non_null(strstr(r.err, "[undecidable]"));
    assert_non_null(strstr(r.err, "offline and not in the cache"));
    line = json_line(r.audit, 0);
    assert_string_equal(jstr(line, "decision"), "block");
    json_decref(line);
    run_release(&r);

    r = decide(&o, "{\"undecidable\": \"warn\"}", &reqs);
    assert_int_equal(r.rc, PG_EXIT_OK);
    run_release(&r);
    /* Warn mode: "is block" alone would claim a block that does not happen. */
    r = decide(&o, "{\"mode\": \"warn\"}", &reqs);
    assert_int_equal(r.rc, PG_EXIT_OK);
    assert_non_null(strstr(r.err, "\"undecidable\" is block, reported only because the mode "
                                  "is warn"));
    run_release(&r);
    r = decide(&o, "{\"undecidable\": \"allow\"}", &reqs);
    assert_int_equal(r.rc, PG_EXIT_OK);
    run_release(&r);
    pg_reqlist_release(&reqs);
}

/* An exception that silenced a warning: "allowed" once, no "(allowed)" tail. */
static void excepted_wording(void **state)
{
    struct pg_gate_opts o = {.names_only = 1, .tool = "pip", .subcmd = "install"};
    struct pg_reqlist reqs = PG_REQLIST_INIT;
    struct run r;

    (void)state;
    add(&reqs, PG_ECO_PYPI, "reqeusts");
    r = decide(&o,
               "{\"exceptions\": [{\"package\": \"pkg:pypi/reqeusts\", \"rules\": [\"typosquat\"],"
               " \"reason\": \"our fork\"}]}",
               &reqs);
    assert_int_equal(r.rc, PG_EXIT_OK);
    assert_non_null(strstr(r.err, "pkggate: allowed pypi reqeusts: [typosquat] "));
    assert_non_null(strstr(r.err, " (exception: our fork)\n"));
    assert_null(strstr(r.err, "(allowed)"));
    assert_null(strstr(r.err, "excepted"));
    run_release(&r);
    pg_reqlist_release(&reqs);
}

static void empty_request_list(void **state)
{
    struct pg_gate_opts o = {.offline = 1, .tool = "npm", .subcmd = "install"};
    struct pg_reqlist reqs = PG_REQLIST_INIT;
    struct run r;

    (void)state;
    r = decide(&o, "{}", &reqs);
    assert_int_equal(r.rc, PG_EXIT_OK);
    assert_string_equal(r.audit, "");
    run_release(&r);
}

static int block_command(const char *pjson, int quiet, char **err, char **audit)
{
    struct pg_gate_opts o = {.quiet = quiet, .tool = "pip", .subcmd = "install"};
    struct pg_policy *pol = fx_policy(pjson);
    struct fx_capture cap;
    int rc;

    fx_capture_begin(&fx, &cap, 2);
    rc = pg_gate_block_command(&o, pol, "unknown_argument", "pip option '--frobnicate'");
    *err = fx_capture_end(&cap);
    *audit = fx_audit_take(&fx);
    pg_policy_free(pol);
    return rc;
}

static void whole_command_verdict(void **state)
{
    char *err, *audit;
    json_t *line, *reason;

    (void)state;
    assert_int_equal(block_command("{}", 0, &err, &audit), PG_EXIT_BLOCKED);
    assert_string_equal(err, "pkggate: blocked [unknown_argument] pip option '--frobnicate'; "
                             "nothing was installed\n");
    line = json_line(audit, 0);
    assert_string_equal(jstr(line, "decision"), "block");
    assert_null(json_object_get(line, "name")); /* the command is the subject */
    reason = json_array_get(json_object_get(line, "reasons"), 0);
    assert_string_equal(jstr(reason, "rule"), "unknown_argument");
    assert_string_equal(jstr(reason, "action"), "block");
    json_decref(line);
    free(err);
    free(audit);

    assert_int_equal(block_command("{\"mode\": \"warn\"}", 0, &err, &audit), PG_EXIT_OK);
    assert_string_equal(err, "pkggate: warning [unknown_argument] pip option '--frobnicate'\n");
    assert_non_null(strstr(audit, "\"decision\":\"warn\""));
    free(err);
    free(audit);

    /* quiet hides a warning, never a block; audit mode prints nothing. */
    assert_int_equal(block_command("{\"mode\": \"warn\"}", 1, &err, &audit), PG_EXIT_OK);
    assert_string_equal(err, "");
    free(err);
    free(audit);
    assert_int_equal(block_command("{}", 1, &err, &audit), PG_EXIT_BLOCKED);
    assert_non_null(strstr(err, "blocked"));
    free(err);
    free(audit);
    assert_int_equal(block_command("{\"mode\": \"audit\"}", 0, &err, &audit), PG_EXIT_OK);
    assert_string_equal(err, "");
    assert_non_null(strstr(audit, "unknown_argument"));
    free(err);
    free(audit);
}

/* Error lines show control characters as '?', as verdict lines do. */
static void error_lines_clean(void **state)
{
    struct pg_gate_opts o = {.tool = "npm", .subcmd = "install"};
    struct pg_policy *pol = fx_policy("{}");
    struct fx_capture cap;
    char *err, *audit;

    (void)state;
    fx_capture_begin(&fx, &cap, 2);
    pg_gate_errorf("pkggate: cannot understand `npm %s`: invalid package name '%s'", "install",
                   "\033[2J\007evil\nx\177");
    err = fx_capture_end(&cap);
    assert_string_equal(err, "pkggate: cannot understand `npm install`: "
                             "invalid package name '?[2J?evil?x?'\n");
    free(err);
    fx_capture_begin(&fx, &cap, 2);
    assert_int_equal(pg_gate_block_command(&o, pol, "unknown_arguments", "npm option '--\033[1A'"),
                     PG_EXIT_BLOCKED);
    err = fx_capture_end(&cap);
    assert_string_equal(err, "pkggate: blocked [unknown_arguments] npm option '--?[1A'; "
                             "nothing was installed\n");
    /* The audit log is JSON, which escapes control characters itself. */
    audit = fx_audit_take(&fx);
    assert_null(strchr(audit, '\033'));
    assert_non_null(strstr(audit, "[1A"));
    free(audit);
    free(err);
    pg_policy_free(pol);
}

static const char *getenv_const(const char *name)
{
    return getenv(name);
}

/* `pkggate policy trust FILE`, as the user whose environment the fixture set. */
static void trust_env(const char *file)
{
    struct pg_policy_paths paths;
    struct pg_err err = PG_ERR_INIT;
    char buf[PG_POLICY_PATHS_BUFSZ], *canon = NULL;

    pg_policy_paths_from_env(&paths, buf, sizeof(buf), getenv_const);
    if (pg_policy_trust(&paths, file, &canon, &err) < 0)
        fail_msg("trust: %s", err.msg);
    free(canon);
}

static void load_from_environment(void **state)
{
    struct pg_policy *pol = NULL;
    struct fx_capture cap;
    char *env = fx_path(&fx, "env.json"), *err;

    (void)state;
    if (access("/etc/pkggate", F_OK) == 0)
        skip(); /* the compiled-in system layer would join in */
    fx_write(&fx, "env.json", "{\"mode\": \"warn\"}\n");
    setenv("PKGGATE_POLICY", env, 1);
    /* Until the user trusts it, a $PKGGATE_POLICY file does not loosen: one line says so. */
    fx_capture_begin(&fx, &cap, 2);
    assert_int_equal(pg_gate_load_policy(&pol, 1), 0);
    err = fx_capture_end(&cap);
    assert_int_equal(pg_policy_mode(pol), PG_MODE_ENFORCE);
    assert_non_null(strstr(err, "is not trusted, so what it loosens is ignored: mode = \"warn\""));
    assert_non_null(strstr(err, "; to apply it: pkggate policy trust /"));
    assert_int_equal(count_lines(err), 1);
    pg_policy_free(pol);
    free(err);
    trust_env(env);
    pol = NULL;
    fx_capture_begin(&fx, &cap, 2);
    assert_int_equal(pg_gate_load_policy(&pol, 1), 0);
    err = fx_capture_end(&cap);
    assert_int_equal(pg_policy_mode(pol), PG_MODE_WARN);
    assert_non_null(strstr(err, "(trusted) loosens: mode = \"warn\"\n"));
    pg_policy_free(pol);
    free(err);

    /* A project file that loosens the policy is loaded, but never silently. */
    fx_write(&fx, "env.json", "{}\n");
    fx_write(&fx, "work/.pkggate.json", "{\"rules\": {\"typosquat\": {\"action\": \"off\"}}}\n");
    pol = NULL;
    fx_capture_begin(&fx, &cap, 2);
    assert_int_equal(pg_gate_load_policy(&pol, 1), 0);
    err = fx_capture_end(&cap);
    assert_non_null(strstr(err, "is not trusted"));
    assert_non_null(strstr(err, "rules.typosquat.action = \"off\""));
    assert_int_equal(pg_policy_action(pol, PG_RULE_TYPOSQUAT), PG_ACT_BLOCK);
    pg_policy_free(pol);
    free(err);
    fx_write(&fx, "work/.pkggate.json", "{}\n");

    /* A broken layer: one line naming it, and nothing is installed. */
    fx_write(&fx, "env.json", "{\"mode\": \"sometimes\"}\n");
    pol = NULL;
    fx_capture_begin(&fx, &cap, 2);
    assert_int_equal(pg_gate_load_policy(&pol, PG_GATE_OFFLINE | PG_GATE_INSTALL), -1);
    err = fx_capture_end(&cap);
    assert_non_null(strstr(err, "pkggate: policy: "));
    assert_non_null(strstr(err, "env.json"));
    assert_non_null(strstr(err, "(nothing was installed)\n"));
    assert_int_equal(count_lines(err), 1);
    pg_policy_free(pol);
    free(err);
    /* policy show, doctor and check install nothing, so they do not say so. */
    pol = NULL;
    fx_capture_begin(&fx, &cap, 2);
    assert_int_equal(pg_gate_load_policy(&pol, PG_GATE_OFFLINE), -1);
    err = fx_capture_end(&cap);
    assert_non_null(strstr(err, "env.json"));
    assert_null(strstr(err, "nothing was installed"));
    free(err);
    unsetenv("PKGGATE_POLICY");
    free(env);
}

static void color_honours_no_color(void **state)
{
    (void)state;
    setenv("NO_COLOR", "1", 1);
    assert_int_equal(pg_gate_color(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allowed_names_pass),
        cmocka_unit_test(deny_blocks),
        cmocka_unit_test(modes_soften),
        cmocka_unit_test(json_and_quiet),
        cmocka_unit_test(typosquat_by_name),
        cmocka_unit_test(offline_undecidable),
        cmocka_unit_test(empty_request_list),
        cmocka_unit_test(excepted_wording),
        cmocka_unit_test(whole_command_verdict),
        cmocka_unit_test(error_lines_clean),
        cmocka_unit_test(load_from_environment),
        cmocka_unit_test(color_honours_no_color),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
