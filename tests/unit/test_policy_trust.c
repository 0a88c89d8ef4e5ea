/*
 * test_policy_trust.c - a project file and $PKGGATE_POLICY loosen only once
 * the user trusts that exact file (pg_policy.h, "Trust"): each kind of
 * loosening is ignored while untrusted, applied once trusted, ignored again
 * after one byte changes; tightening applies at once; locks still win.
 * Real files in a temporary directory, loaded by pg_policy_load.
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

#include "pg_policy.h"
#include "banned.h"

#define NOW ((time_t)1800000000)
#define DAY (24 * 3600)

struct fx {
    char dir[32];
    char user[64], project_dir[64], project[96], env[64], state[64];
    struct pg_policy_paths paths;
};

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    snprintf(f->dir, sizeof(f->dir), "/tmp/pg-trust-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    snprintf(f->user, sizeof(f->user), "%s/user.json", f->dir);
    snprintf(f->project_dir, sizeof(f->project_dir), "%s/repo", f->dir);
    snprintf(f->project, sizeof(f->project), "%s/.pkggate.json", f->project_dir);
    snprintf(f->env, sizeof(f->env), "%s/env.json", f->dir);
    snprintf(f->state, sizeof(f->state), "%s/state/pkggate", f->dir);
    mkdir(f->project_dir, 0700);
    f->paths.user = f->user;
    f->paths.cwd = f->project_dir;
    f->paths.state_dir = f->state;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char path[96];

    unlink(f->user);
    unlink(f->project);
    unlink(f->env);
    snprintf(path, sizeof(path), "%s/trusted", f->state);
    unlink(path);
    rmdir(f->state);
    snprintf(path, sizeof(path), "%s/state", f->dir);
    rmdir(path);
    rmdir(f->project_dir);
    rmdir(f->dir);
    free(f);
    return 0;
}

static struct pg_policy *load(const struct fx *f, struct pg_sb *notes)
{
    struct pg_policy *pol = NULL;
    struct pg_err err = PG_ERR_INIT;

    if (pg_policy_load(&pol, &f->paths, &err) < 0)
        fail_msg("load: %s", err.msg);
    pg_sb_reset(notes);
    pg_policy_trust_notes(pol, notes);
    return pol;
}

static void trust(const struct fx *f, const char *file)
{
    struct pg_err err = PG_ERR_INIT;
    char *canon = NULL;

    if (pg_policy_trust(&f->paths, file, &canon, &err) < 0)
        fail_msg("trust: %s", err.msg);
    free(canon);
}

/* Each predicate is true when the loosening it names is in force. */
static int allows_x(const struct pg_policy *p)
{
    return pg_policy_allowed(p, PG_ECO_NPM, "x", "1.0.0", NOW, NULL);
}
static int excepts_x(const struct pg_policy *p)
{
    return pg_policy_exempt(p, PG_ECO_NPM, "x", "1.0.0", PG_RULE_TYPOSQUAT, NOW) != NULL;
}
static int age_warns(const struct pg_policy *p)
{
    return pg_policy_action(p, PG_RULE_MIN_VERSION_AGE) == PG_ACT_WARN;
}
static int scripts_off(const struct pg_policy *p)
{
    return pg_policy_action(p, PG_RULE_INSTALL_SCRIPTS) == PG_ACT_OFF;
}
static int mode_warn(const struct pg_policy *p)
{
    return pg_policy_mode(p) == PG_MODE_WARN;
}
static int undecidable_allow(const struct pg_policy *p)
{
    return pg_policy_undecidable(p) == PG_ACT_OFF;
}
static int unknown_pass(const struct pg_policy *p)
{
    return pg_policy_unknown_arguments(p) == PG_ACT_OFF;
}
static int age_zero(const struct pg_policy *p)
{
    return pg_policy_duration(p, PG_RULE_MIN_VERSION_AGE, "age", -1) == 0;
}
static int ratio_high(const struct pg_policy *p)
{
    return pg_policy_number(p, PG_RULE_TYPOSQUAT, "popularity_ratio", 0) > 4999;
}
static int timeout_long(const struct pg_policy *p)
{
    return pg_policy_timeout(p) == 120;
}
static int keys_optional(const struct pg_policy *p)
{
    return !pg_policy_bool(p, PG_RULE_REGISTRY_SIGNATURE, "require_keys", 1);
}
static int ignores_x(const struct pg_policy *p)
{
    return pg_policy_listed(p, PG_RULE_TYPOSQUAT, "ignore", PG_ECO_NPM, "x", NULL, NULL);
}
static int scripts_allow_x(const struct pg_policy *p)
{
    return pg_policy_listed(p, PG_RULE_INSTALL_SCRIPTS, "allow", PG_ECO_NPM, "x", NULL, NULL);
}

struct loosening {
    const char *json; /* the project file */
    const char *note; /* what the notes name */
    int (*in_force)(const struct pg_policy *);
};

/* The user file sets require_keys, so that false loosens it. */
#define USER_POLICY "{\"rules\": {\"registry_signature\": {\"require_keys\": true}}}\n"

static const struct loosening kinds[] = {
    {"{\"allow\": [\"pkg:npm/*\"]}", "allow += \"pkg:npm/*\"", allows_x},
    {"{\"exceptions\": [{\"package\": \"pkg:npm/x\", \"rules\": \"*\", \"reason\": \"r\"}]}",
     "exceptions += {", excepts_x},
    {"{\"rules\": {\"min_version_age\": {\"action\": \"warn\"}}}",
     "rules.min_version_age.action = \"warn\"", age_warns},
    {"{\"rules\": {\"install_scripts\": {\"action\": \"off\"}}}",
     "rules.install_scripts.action = \"off\"", scripts_off},
    {"{\"mode\": \"warn\"}", "mode = \"warn\"", mode_warn},
    {"{\"undecidable\": \"allow\"}", "undecidable = \"allow\"", undecidable_allow},
    {"{\"unknown_arguments\": \"pass\"}", "unknown_arguments = \"pass\"", unknown_pass},
    {"{\"rules\": {\"min_version_age\": {\"age\": \"0s\"}}}", "rules.min_version_age.age = \"0s\"",
     age_zero},
    {"{\"rules\": {\"typosquat\": {\"popularity_ratio\": 5000}}}",
     "rules.typosquat.popularity_ratio = 5000", ratio_high},
    {"{\"timeout\": \"2m\"}", "timeout = \"2m\"", timeout_long},
    {"{\"rules\": {\"registry_signature\": {\"require_keys\": false}}}",
     "rules.registry_signature.require_keys = false", keys_optional},
    {"{\"rules\": {\"typosquat\": {\"ignore\": [\"pkg:npm/x\"]}}}",
     "rules.typosquat.ignore += \"pkg:npm/x\"", ignores_x},
    {"{\"rules\": {\"install_scripts\": {\"allow\": [\"pkg:npm/x\"]}}}",
     "rules.install_scripts.allow += \"pkg:npm/x\"", scripts_allow_x},
};

/* Untrusted: ignored and named with the command; trusted: applied and named. */
static void check_kind(struct fx *f, const struct loosening *k, struct pg_sb *notes)
{
    struct pg_policy *pol;
    char cmd[160];

    snprintf(cmd, sizeof(cmd), "; to apply it: pkggate policy trust %s\n", f->project);
    put(f->project, k->json);
    pol = load(f, notes);
    if (k->in_force(pol))
        fail_msg("untrusted %s was applied", k->json);
    if (!strstr(pg_sb_str(notes), k->note) || !strstr(pg_sb_str(notes), "is not trusted") ||
        !strstr(pg_sb_str(notes), cmd))
        fail_msg("untrusted %s: notes '%s'", k->json, pg_sb_str(notes));
    pg_policy_free(pol);

    trust(f, f->project);
    pol = load(f, notes);
    if (!k->in_force(pol))
        fail_msg("trusted %s was not applied", k->json);
    if (!strstr(pg_sb_str(notes), k->note) || !strstr(pg_sb_str(notes), "(trusted) loosens: "))
        fail_msg("trusted %s: notes '%s'", k->json, pg_sb_str(notes));
    pg_policy_free(pol);

    /* One byte more, and it is someone else's file again. */
    put(f->project, k->json);
    {
        FILE *a = fopen(f->project, "a");

        assert_non_null(a);
        fputc(' ', a);
        assert_int_equal(fclose(a), 0);
    }
    pol = load(f, notes);
    if (k->in_force(pol))
        fail_msg("changed %s was applied", k->json);
    assert_non_null(strstr(pg_sb_str(notes), "is not trusted"));
    pg_policy_free(pol);
}

static void test_each_loosening(void **state)
{
    struct fx *f = *state;
    struct pg_sb notes = PG_SB_INIT;

    put(f->user, USER_POLICY);
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        check_kind(f, &kinds[i], &notes);
    pg_sb_release(&notes);
}

/* A project can always add a deny, raise an age, turn warn into block. */
static void test_tightening_applies_at_once(void **state)
{
    struct fx *f = *state;
    struct pg_sb notes = PG_SB_INIT;
    struct pg_policy *pol;
    size_t n;

    put(f->user, "{}\n");
    put(f->project,
        "{\"mode\": \"enforce\", \"deny\": [\"pkg:npm/left-pad\"], \"timeout\": \"5s\",\n"
        " \"rules\": {\"min_version_age\": {\"age\": \"7d\"},\n"
        "   \"min_package_age\": {\"action\": \"block\"},\n"
        "   \"typosquat\": {\"extra_popular\": [\"pkg:npm/acme\"],"
        " \"popularity_ratio\": 10},\n"
        "   \"registry_signature\": {\"require_keys\": true}}}\n");
    pol = load(f, &notes);
    assert_true(pg_policy_denied(pol, PG_ECO_NPM, "left-pad", NULL, NULL));
    assert_int_equal(pg_policy_duration(pol, PG_RULE_MIN_VERSION_AGE, "age", 0), 7 * DAY);
    assert_int_equal(pg_policy_action(pol, PG_RULE_MIN_PACKAGE_AGE), PG_ACT_BLOCK);
    assert_int_equal(pg_policy_timeout(pol), 5);
    assert_true(pg_policy_number(pol, PG_RULE_TYPOSQUAT, "popularity_ratio", 0) < 11);
    assert_true(pg_policy_bool(pol, PG_RULE_REGISTRY_SIGNATURE, "require_keys", 0));
    pg_policy_strings(pol, PG_RULE_TYPOSQUAT, "extra_popular", &n);
    assert_int_equal(n, 1);
    assert_string_equal(pg_sb_str(&notes), ""); /* nothing to say */
    pg_policy_free(pol);

    /* Mixed: the tightening half applies, the loosening half waits. */
    put(f->project, "{\"deny\": [\"pkg:npm/left-pad\"], \"allow\": [\"pkg:npm/*\"],"
                    " \"rules\": {\"min_version_age\": {\"age\": \"1h\"},"
                    " \"min_package_age\": {\"age\": \"60d\"}}}\n");
    pol = load(f, &notes);
    assert_true(pg_policy_denied(pol, PG_ECO_NPM, "left-pad", NULL, NULL));
    assert_false(allows_x(pol));
    assert_int_equal(pg_policy_duration(pol, PG_RULE_MIN_VERSION_AGE, "age", 0), 2 * DAY);
    assert_int_equal(pg_policy_duration(pol, PG_RULE_MIN_PACKAGE_AGE, "age", 0), 60 * DAY);
    assert_non_null(strstr(pg_sb_str(&notes), "allow += \"pkg:npm/*\", "
                                              "rules.min_version_age.age = \"1h\"; to apply"));
    assert_null(strstr(pg_sb_str(&notes), "min_package_age"));
    pg_policy_free(pol);
    pg_sb_release(&notes);
}

/* Looser is judged against the layers below, not against the built-in values. */
static void test_relative_to_layers_below(void **state)
{
    struct fx *f = *state;
    struct pg_sb notes = PG_SB_INIT;
    struct pg_policy *pol;

    put(f->user, "{\"mode\": \"warn\", \"rules\": {\"min_version_age\": {\"age\": \"1h\"}}}\n");
    put(f->project, "{\"mode\": \"warn\", \"rules\": {\"min_version_age\": {\"age\": \"2h\"}}}\n");
    pol = load(f, &notes);
    assert_int_equal(pg_policy_mode(pol), PG_MODE_WARN);
    assert_int_equal(pg_policy_duration(pol, PG_RULE_MIN_VERSION_AGE, "age", 0), 7200);
    assert_string_equal(pg_sb_str(&notes), "");
    pg_policy_free(pol);
    put(f->project, "{\"mode\": \"audit\"}\n");
    pol = load(f, &notes);
    assert_int_equal(pg_policy_mode(pol), PG_MODE_WARN);
    assert_non_null(strstr(pg_sb_str(&notes), "mode = \"audit\""));
    pg_policy_free(pol);
    pg_sb_release(&notes);
}

/* $PKGGATE_POLICY pointing at an allow-all file is someone else's file too. */
static void test_env_layer(void **state)
{
    struct fx *f = *state;
    struct pg_sb notes = PG_SB_INIT, shown = PG_SB_INIT;
    struct pg_policy *pol;
    struct pg_err err = PG_ERR_INIT;
    char *canon = NULL;

    put(f->user, "{}\n");
    put(f->project, "{}\n");
    put(f->env, "{\"allow\": [\"pkg:npm/*\", \"pkg:pypi/*\"], \"deny\": [\"pkg:npm/evil\"]}\n");
    f->paths.env = f->env;
    pol = load(f, &notes);
    assert_false(allows_x(pol));
    assert_true(pg_policy_denied(pol, PG_ECO_NPM, "evil", NULL, NULL));
    assert_non_null(strstr(pg_sb_str(&notes), f->env));
    assert_non_null(strstr(pg_sb_str(&notes), "allow += \"pkg:npm/*\", allow += \"pkg:pypi/*\""));
    pg_policy_show(pol, &shown);
    assert_non_null(strstr(pg_sb_str(&shown), "allow[+] = \"pkg:npm/*\""));
    assert_non_null(strstr(pg_sb_str(&shown), "untrusted, loosens: ignored)"));
    assert_non_null(strstr(pg_sb_str(&shown), "(not trusted: what it loosens is ignored)"));
    pg_policy_free(pol);
    trust(f, f->env);
    pol = load(f, &notes);
    assert_true(allows_x(pol));
    pg_sb_reset(&shown);
    pg_policy_show(pol, &shown);
    assert_non_null(strstr(pg_sb_str(&shown), "; trusted, loosens)"));
    pg_policy_free(pol);
    /* untrust forgets it; a second untrust has nothing to forget. */
    assert_int_equal(pg_policy_untrust(&f->paths, f->env, &canon, &err), 1);
    free(canon);
    assert_int_equal(pg_policy_untrust(&f->paths, f->env, &canon, &err), 0);
    free(canon);
    pol = load(f, &notes);
    assert_false(allows_x(pol));
    pg_policy_free(pol);
    f->paths.env = NULL;
    pg_sb_release(&notes);
    pg_sb_release(&shown);
}

/* The record: 0600, refused when others can write it; trust needs a file that loads. */
static void test_record(void **state)
{
    struct fx *f = *state;
    struct pg_sb notes = PG_SB_INIT;
    struct pg_policy *pol;
    struct pg_err err = PG_ERR_INIT;
    char rec[96], *canon = NULL;
    struct stat st;

    put(f->user, "{}\n");
    put(f->project, "{\"allow\": [\"pkg:npm/*\"]}\n");
    trust(f, f->project);
    snprintf(rec, sizeof(rec), "%s/trusted", f->state);
    assert_int_equal(stat(rec, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    pol = load(f, &notes);
    assert_true(allows_x(pol));
    pg_policy_free(pol);
    assert_int_equal(chmod(rec, 0620), 0);
    pol = load(f, &notes);
    assert_false(allows_x(pol));
    pg_policy_free(pol);
    assert_int_equal(chmod(rec, 0600), 0);
    /* A broken file is not recorded; the error names its place. */
    put(f->project, "{\"allow\": [\"pkg:npm/*\"], \"mdoe\": 1}\n");
    assert_int_equal(pg_policy_trust(&f->paths, f->project, &canon, &err), -1);
    assert_non_null(strstr(err.msg, "unknown key 'mdoe'"));
    free(canon);
    /* No state dir: nothing is trusted, and nothing can be. */
    f->paths.state_dir = NULL;
    put(f->project, "{\"allow\": [\"pkg:npm/*\"]}\n");
    pol = load(f, &notes);
    assert_false(allows_x(pol));
    pg_policy_free(pol);
    assert_int_equal(pg_policy_trust(&f->paths, f->project, &canon, &err), -1);
    free(canon);
    f->paths.state_dir = f->state;
    pg_sb_release(&notes);
}

/* A lock in the user or org layer wins over a trusted file. */
static void test_locks_win(void **state)
{
    struct fx *f = *state;
    struct pg_policy *pol = NULL;
    struct pg_err err = PG_ERR_INIT;

    put(f->user, "{\"locked\": [\"rules.min_version_age\", \"allow\"]}\n");
    put(f->project, "{\"rules\": {\"min_version_age\": {\"age\": \"0s\"}}}\n");
    trust(f, f->project);
    assert_int_equal(pg_policy_load(&pol, &f->paths, &err), -1);
    assert_non_null(strstr(err.msg, "is locked by"));
    put(f->project, "{\"allow\": [\"pkg:npm/*\"]}\n");
    assert_int_equal(pg_policy_load(&pol, &f->paths, &err), -1);
    assert_non_null(strstr(err.msg, "'allow' is locked by"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_each_loosening, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tightening_applies_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relative_to_layers_below, setup, teardown),
        cmocka_unit_test_setup_teardown(test_env_layer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_locks_win, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
