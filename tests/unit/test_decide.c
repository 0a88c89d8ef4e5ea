/*
 * The decision for one package: deny/allow lists, non-registry sources,
 * the registry rules on hand-built metadata, exceptions, modes, rendering.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pg_decide.h"
#include "pg_render.h"
#include "pg_typo.h"
#include "pg_util.h"
#include "banned.h"

#define NOW  ((time_t)1800000000)
#define HOUR 3600
#define DAY  (24 * HOUR)

static struct pg_policy *policy(const char *json)
{
    const char *texts[] = {json};
    const char *names[] = {"test.json"};
    struct pg_policy *pol = NULL;
    struct pg_err err = PG_ERR_INIT;

    if (pg_policy_load_strings(&pol, texts, names, 1, &err) < 0)
        fail_msg("policy: %s", err.msg);
    return pol;
}

static struct pg_req req(enum pg_eco eco, const char *name, const char *spec)
{
    struct pg_req r;

    memset(&r, 0, sizeof(r));
    r.eco = eco;
    r.source = PG_SRC_REGISTRY;
    r.name = (char *)name;
    r.spec = (char *)spec;
    r.origin = (char *)"argv";
    return r;
}

/* lodash: 4.17.20 old, 4.17.21 one hour old and latest. */
static struct pg_meta *lodash(void)
{
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, "lodash");
    struct pg_meta_version *v;

    v = pg_meta_add_version(m, "4.17.20");
    v->published = NOW - 400 * DAY;
    v->deprecated = v->install_scripts = 0;
    v = pg_meta_add_version(m, "4.17.21");
    v->published = NOW - HOUR;
    v->deprecated = v->install_scripts = 0;
    pg_meta_add_tag(m, "latest", "4.17.21");
    return m;
}

static const struct pg_reason *find(const struct pg_verdict *v, const char *rule)
{
    for (size_t i = 0; i < v->nreasons; i++)
        if (strcmp(pg_rule_name(v->reasons[i].rule), rule) == 0)
            return &v->reasons[i];
    return NULL;
}

static void decide_with(const char *pjson, int scripts_off, struct pg_req *r, struct pg_facts *f,
                        struct pg_verdict *v)
{
    struct pg_policy *pol = policy(pjson);
    struct pg_decide_ctx ctx = {.pol = pol, .typo = NULL, .now = NOW, .pre = 0};

    ctx.scripts_off = scripts_off;
    pg_decide(&ctx, r, f, v);
    pg_policy_free(pol);
}

static void decide(const char *pjson, struct pg_req *r, struct pg_facts *f, struct pg_verdict *v)
{
    decide_with(pjson, 0, r, f, v);
}

static void test_young_version_blocked_with_pin(void **state)
{
    struct pg_meta *m = lodash();
    struct pg_req r = req(PG_ECO_NPM, "lodash", "^4.17.0");
    struct pg_facts f = {.meta = m};
    struct pg_verdict v;
    const struct pg_reason *why;

    (void)state;
    decide("{}", &r, &f, &v);
    assert_int_equal(v.decision, PG_BLOCK);
    assert_string_equal(v.version, "4.17.21");
    why = find(&v, "min_version_age");
    assert_non_null(why);
    assert_non_null(strstr(why->message, "published 60 min ago"));
    assert_non_null(strstr(why->message, "npm install lodash@4.17.20"));
    pg_verdict_release(&v);
    /* Never suggest a version the policy would stop for another reason. */
    decide("{\"deny\":[\"pkg:npm/lodash@4.17.20\"]}", &r, &f, &v);
    why = find(&v, "min_version_age");
    assert_non_null(strstr(why->message, "no matching version is old enough yet"));
    pg_verdict_release(&v);
    m->versions[0].deprecated = 1;
    decide("{}", &r, &f, &v);
    assert_null(strstr(find(&v, "min_version_age")->message, "4.17.20"));
    pg_verdict_release(&v);
    pg_meta_free(m);
}

/* The pin suggestion keeps the registry the person typed. */
static void test_pin_keeps_registry(void **state)
{
    struct pg_meta *m = lodash();
    struct pg_req r = req(PG_ECO_NPM, "lodash", "^4.17.0");
    struct pg_facts f = {.meta = m};
    struct pg_policy *pol = policy("{}");
    struct pg_decide_ctx ctx = {.pol = pol, .now = NOW, .pin_args = "--registry http://r.test/"};
    struct pg_verdict v;

    (void)state;
    pg_decide(&ctx, &r, &f, &v);
    assert_non_null(strstr(find(&v, "min_version_age")->message,
                           "npm install --registry http://r.test/ lodash@4.17.20"));
    pg_verdict_release(&v);
    pg_policy_free(pol);
    pg_meta_free(m);
}

static void test_old_enough_allowed(void **state)
{
    struct pg_meta *m = lodash();
    struct pg_req r = req(PG_ECO_NPM, "lodash", "4.17.20");
    struct pg_facts f = {.meta = m};
    struct pg_verdict v;

    (void)state;
    decide("{}", &r, &f, &v);
    assert_int_equal(v.decision, PG_ALLOW);
    assert_string_equal(v.version, "4.17.20");
    assert_null(find(&v, "min_version_age"));
    pg_verdict_release(&v);
    /* A shorter policy age lets the young one through. */
    r.spec = (char *)"^4";
    decide("{\"rules\":{\"min_version_age\":{\"age\":\"30m\"}}}", &r, &f, &v);
    assert_int_equal(v.decision, PG_ALLOW);
    assert_string_equal(v.version, "4.17.21");
    pg_verdict_release(&v);
    pg_meta_free(m);
}

static void test_exception_silences_rule(void **state)
{
    struct pg_meta *m = lodash();
    struct pg_req r = req(PG_ECO_NPM, "lodash", "latest");
    struct pg_facts f = {.meta = m};
    struct pg_verdict v;
    const struct pg_reason *why;

    (void)state;
    decide("{\"exceptions\":[{\"package\":\"pkg:npm/lodash@4.17.21\","
           "\"rules\":[\"min_version_age\"],\"reason\":\"CVE fix\"}]}",
           &r, &f, &v);
    assert_int_equal(v.decision, PG_ALLOW);
    why = find(&v, "min_version_age");
    assert_non_null(why);
    assert_non_null(why->exempted);
    assert_non_null(strstr(why->exempted, "CVE fix"));
    pg_verdict_release(&v);
    /* An expired exception no longer applies. */
    decide("{\"exceptions\":[{\"package\":\"pkg:npm/lodash\",\"rules\":[\"min_version_age\"],"
           "\"reason\":\"old\",\"expires\":\"2020-01-01\"}]}",
           &r, &f, &v);
    assert_int_equal(v.decision, PG_BLOCK);
    pg_verdict_release(&v);
    pg_meta_free(m);
}

static void test_unknown_package(void **state)
{
    struct pg_meta *m = pg_meta_new(PG_ECO_PYPI, "reqeusts-xyz");
    struct pg_req r = req(PG_ECO_PYPI, "reqeusts-xyz", "");
    struct pg_facts f = {.meta = m, .suggest = "`requests`"};
    struct pg_verdict v;
    const struct pg_reason *why;

    (void)state;
    m->exists = 0;
    decide("{}", &r, &f, &v);
    assert_int_equal(v.decision, PG_BLOCK);
    why = find(&v, "unknown_package");
    assert_non_null(why);
    assert_non_null(strstr(why->message, "did you mean `requests`?"));
    pg_verdict_release(&v);
    pg_meta_free(m);
}

static void test_undecidable_follows_policy(void **state)
{
    struct pg_req r = req(PG_ECO_NPM, "lodash", "^4");
    struct pg_facts f = {.error = "registry.npmjs.org: timed out after 20 s"};
    struct pg_verdict v;

    (void)state;
    decide("{}", &r, &f, &v);
    assert_int_equal(v.decision, PG_BLOCK);
    assert_non_null(strstr(find(&v, "undecidable")->message, "timed out"));
    pg_verdict_release(&v);
    decide("{\"undecidable\":\"warn\"}", &r, &f, &v);
    assert_int_equal(v.decision, PG_WARN);
    pg_verdict_release(&v);
    decide("{\"undecidable\":\"allow\"}", &r, &f, &v);
    assert_int_equal(v.decision, PG_ALLOW);
    pg_verdict_release(&v);
}

static void test_no_publish_time_is_undecidable(void **state)
{
    struct pg_meta *m = lodash();
    struct pg_req r = req(PG_ECO_NPM, "lodash", "4.17.20");
    struct pg_facts f = {.meta = m};
    struct pg_verdict v;

    (void)state;
    for (size_t i = 0; i < m->nversions; i++)
        m->versions[i].published = -1;
    decide("{\"rules\":{\"min_package_age\":{\"action\":\"off\"}}}", &r, &f, &v);
    assert_int_equal(v.decision, PG_BLOCK);
    assert_non_null(strstr(find(&v, "undecidable")->message, "when it was published"));
    pg_verdict_release(&v);
    pg_meta_free(m);
}

static void test_pypi_flags(void **state)
{
    struct pg_meta *m = pg_meta_new(PG_ECO_PYPI, "Demo");
    struct pg_req r = req(PG_ECO_PYPI, "demo", "==1.0");
    struct pg_facts f = {.meta = m};
    struct pg_meta_version *v1 = pg_meta_add_version(m, "1.0");
    struct pg_verdict v;

    (void)state;
    v1->published = NOW - 90 * DAY;
    v1->yanked = 1;
    v1->yanked_reason = pg_xstrdup("broken build");
    v1->deprecated = v1->install_scripts = 0;
    decide("{}", &r, &f, &v);
    assert_int_equal(v.decision, PG_WARN);
    assert_non_null(strstr(find(&v, "yanked")->message, "broken build"));
    pg_verdict_release(&v);
    m->status = pg_xstrdup("quarantined");
    decide("{}", &r, &f, &v);
    assert_int_equal(v.decision, PG_BLOCK);
    assert_non_null(find(&v, "quarantined"));
    pg_verdict_release(&v);
    pg_meta_free(m);
}

static void test_young_project_and_scripts(void **state)
{
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, "fresh");
    struct pg_meta_version *v1 = pg_meta_add_version(m, "1.0.0");
    struct pg_req r = req(PG_ECO_NPM, "fresh", "");
    struct pg_facts f = {.meta = m};
    struct pg_verdict v;

    (void)state;
    v1->published = NOW - 5 * DAY;
    v1->deprecated = 0;
    v1->install_scripts = 1;
    pg_meta_add_tag(m, "latest", "1.0.0");
    decide("{}", &r, &f, &v);
    assert_int_equal(v.decision, PG_WARN);
    assert_non_null(find(&v, "min_package_age"));
    assert_non_null(find(&v, "install_scripts"));
    pg_verdict_release(&v);
    decide("{\"rules\":{\"install_scripts\":{\"allow\":[\"pkg:npm/fresh\"]},"
           "\"min_package_age\":{\"action\":\"block\"}}}",
           &r, &f, &v);
    assert_int_equal(v.decision, PG_BLOCK);
    assert_null(find(&v, "install_scripts"));
    pg_verdict_release(&v);
    /* npm with ignore-scripts runs none of them: nothing to warn about. */
    decide_with("{\"rules\":{\"install_scripts\":{\"action\":\"block\"}}}", 0, &r, &f, &v);
    assert_int_equal(v.decision, PG_BLOCK);
    assert_non_null(find(&v, "install_scripts"));
    pg_verdict_release(&v);
    decide_with("{\"rules\":{\"install_scripts\":{\"action\":\"block\"},"
                "\"min_package_age\":{\"action\":\"off\"}}}",
                1, &r, &f, &v);
    assert_int_equal(v.decision, PG_ALLOW);
    assert_null(find(&v, "install_scripts"));
    pg_verdict_release(&v);
    pg_meta_free(m);
}

static void test_lists_and_modes(void **state)
{
    struct pg_req r = req(PG_ECO_PYPI, "Left_Pad", "");
    struct pg_facts f = {.meta = NULL};
    struct pg_verdict v;

    (void)state;
    decide("{\"deny\":[\"pkg:pypi/left-pad\"],\"allow\":[\"pkg:pypi/left-pad\"]}", &r, &f, &v);
    assert_int_equal(v.decision, PG_BLOCK);
    assert_non_null(find(&v, "deny"));
    pg_verdict_release(&v);
    decide("{\"mode\":\"warn\",\"deny\":[\"pkg:pypi/left-pad\"]}", &r, &f, &v);
    assert_int_equal(v.decision, PG_WARN);
    pg_verdict_release(&v);
    r.source = PG_SRC_GIT;
    r.spec = (char *)"git+https://example.org/x.git";
    decide("{}", &r, &f, &v);
    assert_int_equal(v.decision, PG_WARN);
    assert_non_null(find(&v, "non_registry_source"));
    pg_verdict_release(&v);
    decide("{\"rules\":{\"non_registry_source\":{\"action\":\"block\"}}}", &r, &f, &v);
    assert_int_equal(v.decision, PG_BLOCK);
    pg_verdict_release(&v);
}

/* Lists with version ranges apply to the version the tool would install. */
static void test_versioned_lists(void **state)
{
    struct pg_meta *m = lodash();
    struct pg_req r = req(PG_ECO_NPM, "lodash", "^4.17.0");
    struct pg_facts f = {.meta = m};
    struct pg_verdict v;

    (void)state;
    m->versions[1].published = NOW - 400 * DAY; /* 4.17.21 old enough too */
    decide("{\"deny\":[\"pkg:npm/lodash@4.17.21\"]}", &r, &f, &v);
    assert_int_equal(v.decision, PG_BLOCK);
    assert_non_null(find(&v, "deny"));
    pg_verdict_release(&v);
    decide("{\"deny\":[\"pkg:npm/lodash@4.17.20\"]}", &r, &f, &v);
    assert_int_equal(v.decision, PG_ALLOW);
    pg_verdict_release(&v);
    m->versions[1].published = NOW - 3600;
    decide("{\"allow\":[\"pkg:npm/lodash@>=4.17.21\"]}", &r, &f, &v);
    assert_int_equal(v.decision, PG_ALLOW);
    assert_non_null(find(&v, "min_version_age")->exempted);
    pg_verdict_release(&v);
    pg_meta_free(m);
}

static void test_render(void **state)
{
    struct pg_req r = req(PG_ECO_NPM, "left-pad", "^1");
    struct pg_facts f = {.meta = NULL};
    struct pg_sb out = PG_SB_INIT;
    struct pg_verdict v;

    (void)state;
    decide("{\"deny\":[{\"package\":\"pkg:npm/left-pad\",\"reason\":\"unneeded\"}]}", &r, &f, &v);
    pg_render_json(&v, &out);
    assert_string_equal(pg_sb_str(&out),
                        "{\"ecosystem\":\"npm\",\"name\":\"left-pad\",\"spec\":\"^1\","
                        "\"origin\":\"argv\",\"decision\":\"block\",\"reasons\":[{\"rule\":"
                        "\"deny\",\"action\":\"block\",\"message\":\"on the policy's deny list "
                        "(pkg:npm/left-pad (unneeded))\"}]}\n");
    pg_sb_reset(&out);
    pg_render_human(&v, 0, &out);
    assert_string_equal(pg_sb_str(&out), "pkggate: blocked npm left-pad: [deny] on the policy's "
                                         "deny list (pkg:npm/left-pad (unneeded))\n");
    pg_sb_release(&out);
    pg_verdict_release(&v);
}

/*
 * typosquat runs after the registry rules resolved the version (whose
 * publisher makes a companion) and is still the first reason reported.
 */
static void test_typosquat_first_after_version(void **state)
{
    struct pg_meta *squat = lodash(), *target = lodash();
    struct pg_req r = req(PG_ECO_NPM, "lodahs", "^4.17.0");
    struct pg_facts f = {.meta = squat, .target = target};
    struct pg_policy *pol = policy("{}");
    struct pg_decide_ctx ctx = {.pol = pol, .typo = pg_typo_builtin(), .now = NOW};
    struct pg_verdict v;

    (void)state;
    free(squat->name);
    squat->name = pg_xstrdup("lodahs");
    squat->versions[1].publisher = pg_xstrdup("jdalton");
    pg_meta_add_maintainer(target, "jdalton");
    pg_decide(&ctx, &r, &f, &v);
    assert_true(v.nreasons >= 2);
    assert_int_equal(v.reasons[0].rule, PG_RULE_TYPOSQUAT);
    assert_int_equal(v.reasons[0].action, PG_ACT_WARN);
    assert_non_null(strstr(v.reasons[0].message, "`jdalton` published `lodahs@4.17.21`"));
    assert_non_null(find(&v, "min_version_age"));
    assert_int_equal(v.decision, PG_BLOCK); /* the young version still blocks */
    pg_verdict_release(&v);
    /* 4.17.20's publisher is unknown: no companion, the block stands */
    r.spec = (char *)"4.17.20";
    pg_decide(&ctx, &r, &f, &v);
    assert_int_equal(v.reasons[0].rule, PG_RULE_TYPOSQUAT);
    assert_int_equal(v.reasons[0].action, PG_ACT_BLOCK);
    pg_verdict_release(&v);
    pg_meta_free(squat);
    pg_meta_free(target);
    pg_policy_free(pol);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_young_version_blocked_with_pin),
        cmocka_unit_test(test_pin_keeps_registry),
        cmocka_unit_test(test_old_enough_allowed),
        cmocka_unit_test(test_exception_silences_rule),
        cmocka_unit_test(test_unknown_package),
        cmocka_unit_test(test_undecidable_follows_policy),
        cmocka_unit_test(test_no_publish_time_is_undecidable),
        cmocka_unit_test(test_pypi_flags),
        cmocka_unit_test(test_young_project_and_scripts),
        cmocka_unit_test(test_lists_and_modes),
        cmocka_unit_test(test_versioned_lists),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_typosquat_first_after_version),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
