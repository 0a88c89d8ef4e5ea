/*
 * The layered policy: defaults, layers from files and strings, merging,
 * where the files are found, show. Locks, errors and exceptions are
 * test_policy_cases.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pg_policy.h"
#include "policy_fx.h"
#include "banned.h"

static void test_defaults(void **state)
{
    struct pg_policy *pol = load(NULL, NULL, NULL);
    size_t n;
    const char *const *layers = pg_policy_layers(pol, &n);

    (void)state;
    assert_int_equal(n, 1);
    assert_string_equal(layers[0], "built-in default");
    assert_int_equal(pg_policy_mode(pol), PG_MODE_ENFORCE);
    assert_int_equal(pg_policy_undecidable(pol), PG_ACT_BLOCK);
    assert_int_equal(pg_policy_unknown_arguments(pol), PG_ACT_BLOCK);
    assert_int_equal(pg_policy_timeout(pol), 20);
    assert_int_equal(pg_policy_deadline(pol), 120);
    assert_int_equal(pg_policy_revalidate(pol), 86400);
    assert_int_equal(pg_policy_action(pol, PG_RULE_NON_REGISTRY_SOURCE), PG_ACT_WARN);
    assert_int_equal(pg_policy_action(pol, PG_RULE_TYPOSQUAT), PG_ACT_BLOCK);
    assert_true(pg_policy_number(pol, PG_RULE_TYPOSQUAT, "popularity_ratio", -1) == 1000.0);
    assert_int_equal(pg_policy_action(pol, PG_RULE_UNKNOWN_PACKAGE), PG_ACT_BLOCK);
    assert_int_equal(pg_policy_action(pol, PG_RULE_MIN_VERSION_AGE), PG_ACT_BLOCK);
    assert_int_equal(pg_policy_duration(pol, PG_RULE_MIN_VERSION_AGE, "age", -1), 48 * 3600);
    assert_int_equal(pg_policy_action(pol, PG_RULE_MIN_PACKAGE_AGE), PG_ACT_WARN);
    assert_int_equal(pg_policy_duration(pol, PG_RULE_MIN_PACKAGE_AGE, "age", -1), 30 * DAY);
    assert_int_equal(pg_policy_action(pol, PG_RULE_DEPRECATED), PG_ACT_WARN);
    assert_int_equal(pg_policy_action(pol, PG_RULE_YANKED), PG_ACT_WARN);
    assert_int_equal(pg_policy_action(pol, PG_RULE_QUARANTINED), PG_ACT_BLOCK);
    assert_int_equal(pg_policy_action(pol, PG_RULE_INSTALL_SCRIPTS), PG_ACT_WARN);
    assert_int_equal(pg_policy_action(pol, PG_RULE_REGISTRY_SIGNATURE), PG_ACT_BLOCK);
    assert_int_equal(pg_policy_bool(pol, PG_RULE_REGISTRY_SIGNATURE, "require_keys", -1), 0);
    assert_int_equal(pg_policy_action(pol, PG_RULE_PROVENANCE_DOWNGRADE), PG_ACT_BLOCK);
    assert_int_equal(pg_policy_action(pol, PG_RULE_PUBLISHER_CHANGE), PG_ACT_WARN);
    /* The reasons that are no rule of their own answer too; a cast fails closed. */
    assert_int_equal(pg_policy_action(pol, PG_RULE_DENY), PG_ACT_BLOCK);
    assert_int_equal(pg_policy_action(pol, PG_RULE_UNDECIDABLE), PG_ACT_BLOCK);
    assert_int_equal(pg_policy_action(pol, (enum pg_rule)99), PG_ACT_BLOCK);
    /* Unknown keys and wrong types give the caller's default. */
    assert_int_equal(pg_policy_duration(pol, PG_RULE_TYPOSQUAT, "action", -7), -7);
    assert_int_equal(pg_policy_bool(pol, PG_RULE_TYPOSQUAT, "age", 5), 5);
    assert_true(pg_policy_number(pol, PG_RULE_UNKNOWN_PACKAGE, "x", 2.5) == 2.5);
    assert_null(pg_policy_strings(pol, PG_RULE_TYPOSQUAT, "action", &n));
    assert_int_equal(n, 0);
    assert_non_null(pg_policy_strings(pol, PG_RULE_TYPOSQUAT, "ignore", &n));
    assert_int_equal(n, 0);
    assert_false(pg_policy_denied(pol, PG_ECO_NPM, "left-pad", NULL, NULL));
    pg_policy_free(pol);
    pg_policy_free(NULL);
    /* No policy at all: the strict answers. */
    assert_int_equal(pg_policy_mode(NULL), PG_MODE_ENFORCE);
    assert_int_equal(pg_policy_undecidable(NULL), PG_ACT_BLOCK);
}

static void test_every_scalar_has_a_default(void **state)
{
    struct pg_policy *pol = load(NULL, NULL, NULL);
    struct pg_sb out = PG_SB_INIT;

    (void)state;
    pg_policy_show(pol, &out);
    assert_null(strstr(pg_sb_str(&out), "(unset)"));
    assert_non_null(strstr(pg_sb_str(&out), "rules.publisher_change.action = \"warn\""));
    pg_sb_release(&out);
    pg_policy_free(pol);
}

/* pg_rules.def and the built-in policy agree, and every rule has a schema. */
static void test_rule_table(void **state)
{
    struct pg_policy *pol = load(NULL, NULL, NULL);
    struct pg_sb out = PG_SB_INIT;

    (void)state;
    pg_policy_show(pol, &out);
    for (int r = 0; r < PG_RULE_NCONF; r++) {
        char line[128];

        assert_int_equal(pg_policy_action(pol, (enum pg_rule)r), pg_rule_default((enum pg_rule)r));
        assert_int_equal(pg_rule_lookup(pg_rule_name((enum pg_rule)r), 1), r);
        assert_true(pg_rule_configurable((enum pg_rule)r));
        assert_true(pg_rule_description((enum pg_rule)r)[0] != '\0');
        snprintf(line, sizeof(line), "rules.%s.action = ", pg_rule_name((enum pg_rule)r));
        assert_non_null(strstr(pg_sb_str(&out), line));
    }
    /* The reasons are ids with names, but no rule a file can configure. */
    assert_string_equal(pg_rule_name(PG_RULE_DENY), "deny");
    assert_string_equal(pg_rule_name(PG_RULE_UNDECIDABLE), "undecidable");
    assert_false(pg_rule_configurable(PG_RULE_DENY));
    assert_int_equal(pg_rule_lookup("deny", 1), -1);
    assert_int_equal(pg_rule_lookup("undecidable", 0), PG_RULE_UNDECIDABLE);
    assert_int_equal(pg_rule_lookup("no_such_rule", 0), -1);
    assert_int_equal(PG_RULE_N, PG_RULE_NCONF + 3);
    assert_string_equal(pg_rule_name((enum pg_rule)PG_RULE_N), "?");
    pg_sb_release(&out);
    pg_policy_free(pol);
}

/* What fetching must bring follows the rules that are on. */
static void test_needs(void **state)
{
    struct pg_policy_needs nd;
    struct pg_policy *pol = load(NULL, NULL, NULL);

    (void)state;
    /* The defaults check signatures: the full document, always. */
    pg_policy_needs(pol, NOW, &nd);
    assert_int_equal(nd.settled_before, 0);
    assert_true(nd.signatures);
    assert_true(nd.publishers);
    assert_true(nd.provenance);
    pg_policy_free(pol);
    /* Attestations are fetched for the provenance rule alone, too. */
    pol = load("{\"rules\": {\"publisher_change\": {\"action\": \"off\"},"
               " \"provenance_downgrade\": {\"action\": \"off\"}}}",
               NULL, NULL);
    pg_policy_needs(pol, NOW, &nd);
    assert_true(nd.provenance);
    assert_false(nd.publishers);
    pg_policy_free(pol);
    pol = load("{\"rules\": {\"registry_signature\": {\"action\": \"off\"},"
               " \"publisher_change\": {\"action\": \"off\"},"
               " \"provenance\": {\"action\": \"off\"},"
               " \"provenance_downgrade\": {\"action\": \"off\"}}}",
               NULL, NULL);
    pg_policy_needs(pol, NOW, &nd);
    /* The longer age of the two age rules: min_package_age's 30 days. */
    assert_int_equal(nd.settled_before, NOW - 30 * DAY);
    assert_false(nd.signatures);
    assert_false(nd.publishers);
    assert_false(nd.provenance);
    pg_policy_free(pol);
    pol = load("{\"rules\": {\"registry_signature\": {\"action\": \"off\"},"
               " \"publisher_change\": {\"action\": \"off\"},"
               " \"provenance_downgrade\": {\"action\": \"off\"},"
               " \"provenance\": {\"action\": \"off\"},"
               " \"min_package_age\": {\"action\": \"off\"}}}",
               NULL, NULL);
    pg_policy_needs(pol, NOW, &nd);
    assert_int_equal(nd.settled_before, NOW - 2 * DAY);
    pg_policy_free(pol);
}

static void test_minimal_project_file(void **state)
{
    struct pg_policy *pol = load("{\"deny\": [\"pkg:npm/left-pad\"]}", NULL, NULL);
    const char *why = NULL;

    (void)state;
    assert_true(pg_policy_denied(pol, PG_ECO_NPM, "left-pad", "1.3.0", &why));
    assert_string_equal(why, "pkg:npm/left-pad");
    assert_false(pg_policy_denied(pol, PG_ECO_NPM, "right-pad", NULL, &why));
    assert_false(pg_policy_denied(pol, PG_ECO_PYPI, "left-pad", NULL, &why));
    /* Everything else stays at the defaults. */
    assert_int_equal(pg_policy_mode(pol), PG_MODE_ENFORCE);
    assert_int_equal(pg_policy_duration(pol, PG_RULE_MIN_VERSION_AGE, "age", 0), 48 * 3600);
    pg_policy_free(pol);
}

static void test_merge_order(void **state)
{
    struct pg_policy *pol =
        load("{\"mode\": \"warn\", \"allow\": [\"pkg:npm/a\"],"
             " \"rules\": {\"min_version_age\": {\"age\": \"7d\", \"action\": \"warn\"},"
             " \"typosquat\": {\"ignore\": [\"pkg:npm/x1\"]}}}",
             "{\"mode\": \"audit\", \"allow\": [{\"package\": \"pkg:npm/b\", \"reason\": \"r\"}],"
             " \"rules\": {\"min_version_age\": {\"age\": \"3d\"},"
             " \"typosquat\": {\"ignore\": [\"pkg:npm/x2\"]}}}",
             "{\"rules\": {\"typosquat\": {\"ignore\": [\"pkg:npm/x3\"], \"action\": \"off\"}}}");
    const char *const *ign;
    const char *why = NULL;
    size_t n;

    (void)state;
    assert_int_equal(pg_policy_mode(pol), PG_MODE_AUDIT);
    /* rule keys override per key: age from b, action still from a */
    assert_int_equal(pg_policy_duration(pol, PG_RULE_MIN_VERSION_AGE, "age", 0), 3 * DAY);
    assert_int_equal(pg_policy_action(pol, PG_RULE_MIN_VERSION_AGE), PG_ACT_WARN);
    assert_int_equal(pg_policy_action(pol, PG_RULE_TYPOSQUAT), PG_ACT_OFF);
    /* lists concatenate, lowest layer first */
    ign = pg_policy_strings(pol, PG_RULE_TYPOSQUAT, "ignore", &n);
    assert_int_equal(n, 3);
    assert_string_equal(ign[0], "pkg:npm/x1");
    assert_string_equal(ign[1], "pkg:npm/x2");
    assert_string_equal(ign[2], "pkg:npm/x3");
    assert_null(ign[3]);
    ign = pg_policy_top_strings(pol, "allow", &n);
    assert_int_equal(n, 2);
    assert_string_equal(ign[1], "pkg:npm/b");
    assert_true(pg_policy_allowed(pol, PG_ECO_NPM, "a", NULL, NOW, &why));
    assert_string_equal(why, "pkg:npm/a");
    assert_true(pg_policy_allowed(pol, PG_ECO_NPM, "b", NULL, NOW, &why));
    assert_string_equal(why, "pkg:npm/b (r)");
    assert_true(pg_policy_listed(pol, PG_RULE_TYPOSQUAT, "ignore", PG_ECO_NPM, "x2", NULL, &why));
    assert_string_equal(why, "pkg:npm/x2");
    assert_false(pg_policy_listed(pol, PG_RULE_TYPOSQUAT, "ignore", PG_ECO_NPM, "x4", NULL, &why));
    assert_false(pg_policy_listed(pol, PG_RULE_TYPOSQUAT, "action", PG_ECO_NPM, "x2", NULL, &why));
    pg_policy_free(pol);
}

static void test_comments_ignored(void **state)
{
    struct pg_policy *pol = load("{\"_comment\": 1, \"$schema\": \"x\", \"rules\": {\"_x\": [],"
                                 " \"yanked\": {\"$why\": {}, \"action\": \"block\"}},"
                                 " \"allow\": [{\"package\": \"pkg:pypi/six\", \"_note\": \"n\"}],"
                                 " \"exceptions\": [{\"package\": \"pkg:npm/q\", \"rules\": \"*\","
                                 " \"reason\": \"r\", \"$c\": true}]}",
                                 NULL, NULL);

    (void)state;
    assert_int_equal(pg_policy_action(pol, PG_RULE_YANKED), PG_ACT_BLOCK);
    assert_true(pg_policy_allowed(pol, PG_ECO_PYPI, "Six", NULL, NOW, NULL));
    pg_policy_free(pol);
}

static const char *env_fake(const char *name)
{
    if (strcmp(name, "XDG_CONFIG_HOME") == 0)
        return "/xdg";
    if (strcmp(name, "HOME") == 0)
        return "/home/u";
    if (strcmp(name, "PKGGATE_POLICY") == 0)
        return "/tmp/p.json";
    return NULL;
}

static const char *env_relative_xdg(const char *name)
{
    if (strcmp(name, "XDG_CONFIG_HOME") == 0)
        return "rel";
    if (strcmp(name, "HOME") == 0)
        return "/home/u";
    if (strcmp(name, "PKGGATE_POLICY") == 0)
        return "";
    return NULL;
}

static const char *env_empty(const char *name)
{
    (void)name;
    return NULL;
}

static void test_paths_from_env(void **state)
{
    struct pg_policy_paths p;
    char buf[8192], cwd[4096];

    (void)state;
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    pg_policy_paths_from_env(&p, buf, sizeof(buf), env_fake);
    assert_string_equal(p.system, "/etc/pkggate/policy.json");
    assert_string_equal(p.user, "/xdg/pkggate/policy.json");
    assert_string_equal(p.env, "/tmp/p.json");
    assert_string_equal(p.cwd, cwd);
    assert_int_equal(p.truncated, 0);
    pg_policy_paths_from_env(&p, buf, sizeof(buf), env_relative_xdg);
    assert_string_equal(p.user, "/home/u/.config/pkggate/policy.json");
    assert_null(p.env);
    pg_policy_paths_from_env(&p, buf, sizeof(buf), env_empty);
    assert_null(p.user);
    assert_null(p.env);
    assert_string_equal(p.cwd, cwd);
    /* Too small a buffer must not quietly drop a layer. */
    pg_policy_paths_from_env(&p, buf, 10, env_fake);
    assert_int_equal(p.truncated, 1);
    pg_policy_paths_from_env(&p, buf, strlen("/xdg/pkggate/policy.json") + 2, env_fake);
    assert_int_equal(p.truncated, 1);
}

static void test_load_files(void **state)
{
    struct pg_policy_paths p = {.system = DATA "system.json", .user = DATA "user.json",
                                .cwd = DATA "project/sub/dir", .env = DATA "env.json"};
    struct pg_policy *pol = NULL;
    struct pg_err err = PG_ERR_INIT;
    const char *const *layers, *const *pop, *why = NULL;
    size_t n;

    (void)state;
    if (pg_policy_load(&pol, &p, &err) < 0)
        fail_msg("%s", err.msg);
    layers = pg_policy_layers(pol, &n);
    assert_int_equal(n, 5);
    assert_string_equal(layers[0], "built-in default");
    assert_string_equal(layers[1], DATA "system.json");
    assert_string_equal(layers[2], DATA "user.json");
    assert_string_equal(layers[3], DATA "project/.pkggate.json");
    assert_string_equal(layers[4], DATA "env.json");
    assert_int_equal(pg_policy_undecidable(pol), PG_ACT_WARN);
    assert_int_equal(pg_policy_duration(pol, PG_RULE_MIN_VERSION_AGE, "age", 0), 7 * DAY);
    assert_int_equal(pg_policy_action(pol, PG_RULE_INSTALL_SCRIPTS), PG_ACT_BLOCK);
    assert_true(pg_policy_denied(pol, PG_ECO_NPM, "left-pad", NULL, &why));
    assert_true(pg_policy_denied(pol, PG_ECO_NPM, "event-stream", "3.3.6", &why));
    assert_string_equal(why, "pkg:npm/event-stream@3.3.6 (compromised)");
    assert_false(pg_policy_denied(pol, PG_ECO_NPM, "event-stream", "3.3.5", &why));
    pop = pg_policy_strings(pol, PG_RULE_TYPOSQUAT, "extra_popular", &n);
    assert_int_equal(n, 2);
    assert_string_equal(pop[0], "pkg:npm/internal-lib");
    assert_string_equal(pop[1], "pkg:pypi/internal-tools");
    assert_string_equal(
        pg_policy_exempt(pol, PG_ECO_NPM, "@myorg/x", "1.0.0", PG_RULE_MIN_VERSION_AGE, NOW),
        "our own packages");
    pg_policy_free(pol);
}

static void test_missing_files(void **state)
{
    struct pg_policy_paths p = {.system = DATA "nope.json", .user = DATA "nope/user.json"};
    struct pg_policy *pol = NULL;
    struct pg_err err = PG_ERR_INIT;
    size_t n;

    (void)state;
    assert_int_equal(pg_policy_load(&pol, &p, &err), 0);
    pg_policy_layers(pol, &n);
    assert_int_equal(n, 1);
    pg_policy_free(pol);
    /* $PKGGATE_POLICY must exist */
    p.env = DATA "nope-env.json";
    assert_int_equal(pg_policy_load(&pol, &p, &err), -1);
    assert_null(pol);
    assert_string_equal(err.msg,
                        "$PKGGATE_POLICY: " DATA "nope-env.json: No such file or directory");
    p.env = NULL;
    p.truncated = 1;
    assert_int_equal(pg_policy_load(&pol, &p, &err), -1);
    assert_non_null(strstr(err.msg, "did not fit"));
}

static void test_show(void **state)
{
    struct pg_policy *pol =
        load("{\"mode\": \"warn\", \"deny\": [\"pkg:npm/x\", {\"package\": \"pkg:npm/y\","
             " \"reason\": \"bad\"}], \"locked\": [\"mode\", \"rules.yanked\"]}",
             "{\"rules\": {\"yanked\": {\"action\": \"block\"}, \"min_version_age\": "
             "{\"age\": \"P3D\"}}}",
             NULL);
    struct pg_sb out = PG_SB_INIT;
    FILE *f;
    char want[4096];
    size_t n;

    (void)state;
    pg_policy_show(pol, &out);
    f = fopen(DATA "show.txt", "r");
    assert_non_null(f);
    n = fread(want, 1, sizeof(want) - 1, f);
    fclose(f);
    want[n] = '\0';
    if (strcmp(pg_sb_str(&out), want) != 0)
        fail_msg("show output differs; got:\n%s", pg_sb_str(&out));
    /* it appends */
    pg_policy_show(pol, &out);
    assert_int_equal(out.len, 2 * n);
    pg_sb_release(&out);
    pg_policy_free(pol);
}

static void write_file(const char *path, const char *head, size_t pad, const char *tail)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(head, f);
    for (size_t i = 0; i < pad; i++)
        fputc('x', f);
    fputs(tail, f);
    assert_int_equal(fclose(f), 0);
}

static void test_file_size_cap(void **state)
{
    char dir[] = "/tmp/pg-policy-XXXXXX", path[64];
    const char *head = "{\"_c\": \"", *tail = "\"}";
    size_t pad = ((size_t)1 << 20) - strlen(head) - strlen(tail);
    struct pg_policy_paths p = {.env = path};
    struct pg_policy *pol = NULL;
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/p.json", dir);
    write_file(path, head, pad, tail); /* exactly 1 MiB */
    assert_int_equal(pg_policy_load(&pol, &p, &err), 0);
    pg_policy_free(pol);
    write_file(path, head, pad + 1, tail);
    assert_int_equal(pg_policy_load(&pol, &p, &err), -1);
    assert_non_null(strstr(err.msg, "larger than the 1048576 byte limit"));
    assert_non_null(strstr(err.msg, path));
    unlink(path);
    rmdir(dir);
}

static void test_no_project_file(void **state)
{
    char dir[] = "/tmp/pg-policy-XXXXXX", sub[64], file[80];
    struct pg_policy_paths p = {.cwd = sub};
    struct pg_policy *pol = NULL;
    struct pg_err err = PG_ERR_INIT;
    size_t n;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(sub, sizeof(sub), "%s/a/", dir);
    assert_int_equal(pg_policy_load(&pol, &p, &err), 0); /* sub does not even exist */
    pg_policy_layers(pol, &n);
    pg_policy_free(pol);
    /* nothing above /tmp is expected to hold a .pkggate.json */
    if (n != 1)
        skip();
    snprintf(file, sizeof(file), "%s/.pkggate.json", dir);
    write_file(file, "{\"mode\": \"au", 0, "dit\"}");
    assert_int_equal(pg_policy_load(&pol, &p, &err), 0);
    /* Found and read; with no state dir it cannot be trusted, so "audit" is ignored. */
    assert_int_equal(pg_policy_mode(pol), PG_MODE_ENFORCE);
    assert_string_equal(pg_policy_layers(pol, &n)[1], file);
    pg_policy_free(pol);
    /* "/" itself is searched last; an empty cwd searches nothing */
    p.cwd = "/";
    assert_int_equal(pg_policy_load(&pol, &p, &err), 0);
    pg_policy_free(pol);
    p.cwd = "";
    assert_int_equal(pg_policy_load(&pol, &p, &err), 0);
    pg_policy_layers(pol, &n);
    assert_int_equal(n, 1);
    pg_policy_free(pol);
    unlink(file);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_every_scalar_has_a_default),
        cmocka_unit_test(test_rule_table),
        cmocka_unit_test(test_needs),
        cmocka_unit_test(test_minimal_project_file),
        cmocka_unit_test(test_merge_order),
        cmocka_unit_test(test_comments_ignored),
        cmocka_unit_test(test_paths_from_env),
        cmocka_unit_test(test_load_files),
        cmocka_unit_test(test_missing_files),
        cmocka_unit_test(test_show),
        cmocka_unit_test(test_file_size_cap),
        cmocka_unit_test(test_no_project_file),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
