/*
 * The typosquat rule: the message and evidence it adds, the policy keys
 * that steer it (action, extra_popular, ignore, popularity_ratio), and the
 * registry's evidence that softens it (an established name, a companion).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "pg_meta.h"
#include "pg_npmmeta.h"
#include "pg_policy.h"
#include "pg_rule_typosquat.h"
#include "pg_typo.h"
#include "pg_verdict.h"
#include "banned.h"

static struct pg_policy *load(const char *text)
{
    const char *texts[] = {text};
    const char *names[] = {"test.json"};
    struct pg_policy *pol = NULL;
    struct pg_err err = PG_ERR_INIT;

    if (pg_policy_load_strings(&pol, texts, names, text ? 1 : 0, &err) < 0)
        fail_msg("policy refused: %s", err.msg);
    return pol;
}

/* Run the rule on one registry name; returns what it returned. */
static int run(const struct pg_policy *pol, enum pg_eco eco, const char *name,
               struct pg_verdict *v)
{
    struct pg_req req;

    memset(&req, 0, sizeof(req));
    req.eco = eco;
    req.source = PG_SRC_REGISTRY;
    req.name = (char *)name;
    req.spec = (char *)"";
    pg_verdict_init(v, &req);
    return pg_rule_typosquat(pol, pg_typo_builtin(), &req, NULL, NULL, NULL, 0, v);
}

static void test_message_and_evidence(void **state)
{
    struct pg_policy *pol = load(NULL);
    struct pg_verdict v;
    json_t *ev;
    json_error_t jerr;

    (void)state;
    assert_int_equal(run(pol, PG_ECO_PYPI, "reqeusts", &v), 1);
    assert_int_equal(v.nreasons, 1);
    assert_int_equal(v.reasons[0].rule, PG_RULE_TYPOSQUAT);
    assert_int_equal(v.reasons[0].action, PG_ACT_BLOCK);
    assert_string_equal(v.reasons[0].message,
                        "did you mean `requests`? (`reqeusts` swaps two letters; `requests` "
                        "is among the most downloaded PyPI projects)");
    ev = json_loads(v.reasons[0].evidence, 0, &jerr);
    assert_non_null(ev);
    assert_string_equal(json_string_value(json_object_get(ev, "target")), "requests");
    assert_string_equal(json_string_value(json_object_get(ev, "kind")), "transposition");
    assert_true(json_real_value(json_object_get(ev, "score")) > 0.8);
    assert_true(json_real_value(json_object_get(ev, "score")) < 1.0);
    json_decref(ev);
    pg_verdict_finish(&v, PG_MODE_ENFORCE);
    assert_int_equal(v.decision, PG_BLOCK);
    pg_verdict_release(&v);

    assert_int_equal(run(pol, PG_ECO_NPM, "crossenv", &v), 1);
    assert_non_null(strstr(v.reasons[0].message, "did you mean `cross-env`?"));
    assert_non_null(strstr(v.reasons[0].message, "times a month from npm"));
    pg_verdict_release(&v);
    pg_policy_free(pol);
}

/* A package first published age_days ago with n releases. */
static struct pg_meta *history(const char *name, int age_days, int n, time_t now)
{
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, name);

    m->exists = 1;
    m->created = (int64_t)now - (int64_t)age_days * 86400;
    for (int i = 0; i < n; i++) {
        char ver[32];

        snprintf(ver, sizeof(ver), "1.0.%d", i);
        pg_meta_add_version(m, ver)->published = m->created + i * 3600;
    }
    return m;
}

/* The rule on npm name@version (NULL: unresolved) with what the run knows. */
static int run_npm(const struct pg_policy *pol, const char *name, const char *version,
                   const struct pg_meta *meta, const struct pg_meta *target, const char *sponsor,
                   time_t now, struct pg_verdict *v)
{
    struct pg_req req;

    memset(&req, 0, sizeof(req));
    req.eco = PG_ECO_NPM;
    req.source = PG_SRC_REGISTRY;
    req.name = (char *)name;
    req.spec = (char *)"";
    pg_verdict_init(v, &req);
    if (version)
        v->version = strdup(version);
    return pg_rule_typosquat(pol, pg_typo_builtin(), &req, meta, target, sponsor, now, v);
}

static int run_meta(const struct pg_policy *pol, const char *name, const struct pg_meta *meta,
                    time_t now, struct pg_verdict *v)
{
    return run_npm(pol, name, NULL, meta, NULL, NULL, now, v);
}

static const char *ev_str(const struct pg_reason *r, const char *key, char *out, size_t cap)
{
    json_t *ev = json_loads(r->evidence, 0, NULL);
    json_t *val = json_object_get(ev, key);

    snprintf(out, cap, "%s",
             json_is_string(val) ? json_string_value(val) : json_is_true(val) ? "true" : "false");
    json_decref(ev);
    return out;
}

/* An established package is warned about, a fresh one blocked. */
static void test_established(void **state)
{
    struct pg_policy *pol = load(NULL);
    time_t now = 1796000000;
    struct pg_meta *old = history("expres", 3 * 365, 40, now);
    struct pg_meta *young = history("expres", 2, 1, now);
    struct pg_verdict v;
    char buf[64];

    (void)state;
    /* offline: on the compiled-in list of npm packages with real use */
    assert_int_equal(run(pol, PG_ECO_NPM, "asbuild", &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_WARN);
    assert_string_equal(ev_str(&v.reasons[0], "established_by", buf, sizeof(buf)), "names");
    assert_non_null(strstr(v.reasons[0].message, "not blocked, established: on the list"));
    pg_verdict_release(&v);
    /* the registry's history decides when it answered */
    assert_int_equal(run_meta(pol, "expres", old, now, &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_WARN);
    assert_string_equal(ev_str(&v.reasons[0], "established", buf, sizeof(buf)), "true");
    assert_non_null(strstr(v.reasons[0].message, "first published 3 years ago, 40 releases"));
    pg_verdict_release(&v);
    assert_int_equal(run_meta(pol, "expres", young, now, &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_BLOCK);
    assert_string_equal(ev_str(&v.reasons[0], "established", buf, sizeof(buf)), "false");
    assert_non_null(strstr(v.reasons[0].message, "; first published 2 days ago)"));
    pg_verdict_release(&v);
    /* a fresh registration of a listed name (re-registered after removal) */
    assert_int_equal(run_meta(pol, "asbuild", young, now, &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_BLOCK);
    pg_verdict_release(&v);
    /* old with few releases: established if the lists know it */
    pg_meta_free(old);
    old = history("asbuild", 3 * 365, 2, now);
    assert_int_equal(run_meta(pol, "asbuild", old, now, &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_WARN);
    assert_string_equal(ev_str(&v.reasons[0], "established_by", buf, sizeof(buf)), "names");
    pg_verdict_release(&v);
    /* old, with no release history, and unknown to the lists: not established */
    pg_meta_free(old);
    old = history("lodahs", 3 * 365, 2, now);
    assert_int_equal(run_meta(pol, "lodahs", old, now, &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_BLOCK);
    assert_non_null(strstr(v.reasons[0].message, "; only 2 releases in 3 years)"));
    pg_verdict_release(&v);
    pg_meta_free(old);
    pg_meta_free(young);
    pg_policy_free(pol);
}

static void test_clean_names(void **state)
{
    struct pg_policy *pol = load(NULL);
    struct pg_verdict v;
    struct pg_req req;

    (void)state;
    assert_int_equal(run(pol, PG_ECO_PYPI, "requests", &v), 0);
    assert_int_equal(v.nreasons, 0);
    pg_verdict_release(&v);
    assert_int_equal(run(pol, PG_ECO_NPM, "@types/node", &v), 0);
    pg_verdict_release(&v);
    /* a URL has no name to imitate with */
    memset(&req, 0, sizeof(req));
    req.eco = PG_ECO_PYPI;
    req.source = PG_SRC_URL;
    req.name = (char *)"reqeusts";
    req.spec = (char *)"https://example.invalid/reqeusts.tar.gz";
    pg_verdict_init(&v, &req);
    assert_int_equal(pg_rule_typosquat(pol, pg_typo_builtin(), &req, NULL, NULL, NULL, 0, &v), 0);
    pg_verdict_release(&v);
    /* no index: the rule is skipped */
    req.source = PG_SRC_REGISTRY;
    pg_verdict_init(&v, &req);
    assert_int_equal(pg_rule_typosquat(pol, NULL, &req, NULL, NULL, NULL, 0, &v), 0);
    pg_verdict_release(&v);
    pg_policy_free(pol);
}

static void test_action(void **state)
{
    struct pg_policy *warn = load("{\"rules\": {\"typosquat\": {\"action\": \"warn\"}}}");
    struct pg_policy *off = load("{\"rules\": {\"typosquat\": {\"action\": \"off\"}}}");
    struct pg_verdict v;

    (void)state;
    assert_int_equal(run(warn, PG_ECO_NPM, "mongose", &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_WARN);
    pg_verdict_release(&v);
    assert_int_equal(run(off, PG_ECO_NPM, "mongose", &v), 0);
    pg_verdict_release(&v);
    pg_policy_free(warn);
    pg_policy_free(off);
}

static void test_ignore(void **state)
{
    struct pg_policy *pol = load(
        "{\"rules\": {\"typosquat\": {\"ignore\": [\"pkg:npm/mongose\", \"pkg:pypi/Reqeusts\"]}}}");
    struct pg_verdict v;

    (void)state;
    assert_int_equal(run(pol, PG_ECO_NPM, "mongose", &v), 0);
    pg_verdict_release(&v);
    assert_int_equal(run(pol, PG_ECO_PYPI, "reqeusts", &v), 0);
    pg_verdict_release(&v);
    /* only the listed names */
    assert_int_equal(run(pol, PG_ECO_PYPI, "rquests", &v), 1);
    pg_verdict_release(&v);
    pg_policy_free(pol);
}

static void test_extra_popular(void **state)
{
    struct pg_policy *pol = load("{\"rules\": {\"typosquat\": {\"extra_popular\": "
                                 "[\"pkg:npm/@acme/billing-core\", \"pkg:pypi/acme-billing\"]}}}");
    struct pg_verdict v;

    (void)state;
    assert_int_equal(run(pol, PG_ECO_NPM, "acme-billing-core", &v), 1);
    assert_non_null(strstr(v.reasons[0].message, "did you mean `@acme/billing-core`?"));
    assert_non_null(strstr(v.reasons[0].message, "extra_popular"));
    pg_verdict_release(&v);
    assert_int_equal(run(pol, PG_ECO_PYPI, "acme-bliling", &v), 1);
    assert_non_null(strstr(v.reasons[0].message, "`acme-billing`"));
    pg_verdict_release(&v);
    /* an npm entry protects nothing on PyPI */
    assert_int_equal(run(pol, PG_ECO_PYPI, "acme-billing-core", &v), 0);
    pg_verdict_release(&v);
    pg_policy_free(pol);
}

static void test_popularity_ratio(void **state)
{
    uint32_t own = pg_typo_popularity(pg_typo_builtin(), PG_ECO_NPM, "notp");
    uint32_t big = pg_typo_popularity(pg_typo_builtin(), PG_ECO_NPM, "nopt");
    char text[160];
    struct pg_policy *pol;
    struct pg_verdict v;

    (void)state;
    assert_true(own > 0 && big > own);
    snprintf(text, sizeof(text), "{\"rules\": {\"typosquat\": {\"popularity_ratio\": %.1f}}}",
             (double)big / own * 0.9);
    pol = load(text);
    assert_int_equal(run(pol, PG_ECO_NPM, "notp", &v), 1);
    pg_verdict_release(&v);
    pg_policy_free(pol);
    snprintf(text, sizeof(text), "{\"rules\": {\"typosquat\": {\"popularity_ratio\": %.1f}}}",
             (double)big / own * 1.1);
    pol = load(text);
    assert_int_equal(run(pol, PG_ECO_NPM, "notp", &v), 0);
    pg_verdict_release(&v);
    pg_policy_free(pol);
}

/*
 * A packument as the registry sends it: one version 1.0.0, 10 days old,
 * published by `by` (a trusted publisher's robot when by is "GitHub
 * Actions"), listing the maintainers `maint` (JSON array text).
 */
static struct pg_meta *packument(const char *name, const char *by, const char *maint, time_t now)
{
    struct pg_err err = PG_ERR_INIT;
    char when[32], doc[1024];
    time_t t = now - 10 * 86400;
    struct tm tm;
    struct pg_meta *m;
    int robot = strcmp(by, "GitHub Actions") == 0;

    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S.000Z", gmtime_r(&t, &tm));
    snprintf(doc, sizeof(doc),
             "{\"name\":\"%s\",\"dist-tags\":{\"latest\":\"1.0.0\"},\"maintainers\":%s,"
             "\"time\":{\"created\":\"%s\",\"1.0.0\":\"%s\"},\"versions\":{\"1.0.0\":"
             "{\"name\":\"%s\",\"version\":\"1.0.0\",\"_npmUser\":{\"name\":\"%s\"%s},"
             "\"dist\":{\"integrity\":\"sha512-AA==\"}}}}",
             name, maint, when, when, name, by,
             robot ? ",\"trustedPublisher\":{\"id\":\"github\",\"oidcConfigId\":\"x\"}" : "");
    m = pg_npmmeta_parse(name, doc, strlen(doc), &err);
    if (!m)
        fail_msg("packument refused: %s", err.msg);
    return m;
}

/* The rule on `exprss`@version (NULL: unresolved) against express's packument. */
static int run_companion(const struct pg_policy *pol, const struct pg_meta *meta,
                         const struct pg_meta *target, const char *version, time_t now,
                         struct pg_verdict *v)
{
    return run_npm(pol, "exprss", version, meta, target, NULL, now, v);
}

/* The evidence's "companion": "true", "false" or "absent". */
static const char *companion(const struct pg_reason *r)
{
    json_t *ev = json_loads(r->evidence, 0, NULL);
    json_t *c = json_object_get(ev, "companion");
    const char *s = !c ? "absent" : json_is_true(c) ? "true" : "false";

    json_decref(ev);
    return s;
}

/* Published by one of the target's people: a companion, warned about. */
static void test_companion(void **state)
{
    struct pg_policy *pol = load(NULL);
    time_t now = 1796000000;
    struct pg_meta *express = packument("express", "wesleytodd", "[{\"name\":\"dougwilson\"}]", now);
    struct pg_meta *by_maint = packument("exprss", "dougwilson", "[{\"name\":\"dougwilson\"}]", now);
    struct pg_meta *by_latest = packument("exprss", "wesleytodd", "[]", now);
    struct pg_verdict v;
    char buf[64];

    (void)state;
    assert_non_null(express->maintainers);
    assert_string_equal(express->maintainers[0], "dougwilson");
    assert_int_equal(run_companion(pol, by_maint, express, "1.0.0", now, &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_WARN);
    assert_non_null(strstr(v.reasons[0].message, "; first published 10 days ago; not blocked, "
                                                 "a companion: `dougwilson` published "
                                                 "`exprss@1.0.0` and maintains `express`)"));
    assert_string_equal(companion(&v.reasons[0]), "true");
    assert_string_equal(ev_str(&v.reasons[0], "publisher", buf, sizeof(buf)), "dougwilson");
    pg_verdict_release(&v);
    /* the publisher of the target's latest version counts too */
    assert_int_equal(run_companion(pol, by_latest, express, "1.0.0", now, &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_WARN);
    assert_non_null(strstr(v.reasons[0].message, "published the latest version of `express`"));
    pg_verdict_release(&v);
    /* off is off, companion or not */
    pg_policy_free(pol);
    pol = load("{\"rules\": {\"typosquat\": {\"action\": \"off\"}}}");
    assert_int_equal(run_companion(pol, by_maint, express, "1.0.0", now, &v), 0);
    pg_verdict_release(&v);
    pg_meta_free(express);
    pg_meta_free(by_maint);
    pg_meta_free(by_latest);
    pg_policy_free(pol);
}

/* What a candidate cannot use to claim companionship. */
static void test_companion_forged(void **state)
{
    struct pg_policy *pol = load(NULL);
    time_t now = 1796000000;
    struct pg_meta *express = packument("express", "wesleytodd", "[{\"name\":\"dougwilson\"}]", now);
    /* its own maintainers name the target's (npm owner add needs no consent) */
    struct pg_meta *owner_add = packument(
        "exprss", "mallory", "[{\"name\":\"mallory\"},{\"name\":\"dougwilson\"}]", now);
    struct pg_meta *robot = packument("exprss", "GitHub Actions", "[]", now);
    struct pg_meta *robot_target = packument("express", "GitHub Actions", "[]", now);
    struct pg_meta *case_alike = packument("exprss", "DougWilson", "[]", now);
    struct pg_verdict v;

    (void)state;
    assert_int_equal(run_companion(pol, owner_add, express, "1.0.0", now, &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_BLOCK);
    assert_string_equal(companion(&v.reasons[0]), "false");
    assert_null(strstr(v.reasons[0].message, "companion"));
    pg_verdict_release(&v);
    /* a trusted publisher's shared CI name is nobody in particular */
    assert_int_equal(run_companion(pol, robot, robot_target, "1.0.0", now, &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_BLOCK);
    assert_string_equal(companion(&v.reasons[0]), "absent");
    pg_verdict_release(&v);
    assert_int_equal(run_companion(pol, case_alike, express, "1.0.0", now, &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_BLOCK);
    pg_verdict_release(&v);
    /* nothing to compare: no target fetched, no version resolved, no such version */
    assert_int_equal(run_companion(pol, owner_add, NULL, "1.0.0", now, &v), 1);
    assert_string_equal(companion(&v.reasons[0]), "absent");
    assert_int_equal(v.reasons[0].action, PG_ACT_BLOCK);
    pg_verdict_release(&v);
    assert_int_equal(run_companion(pol, owner_add, express, NULL, now, &v), 1);
    assert_string_equal(companion(&v.reasons[0]), "absent");
    pg_verdict_release(&v);
    assert_int_equal(run_companion(pol, owner_add, express, "9.9.9", now, &v), 1);
    assert_string_equal(companion(&v.reasons[0]), "absent");
    pg_verdict_release(&v);
    pg_meta_free(express);
    pg_meta_free(owner_add);
    pg_meta_free(robot);
    pg_meta_free(robot_target);
    pg_meta_free(case_alike);
    pg_policy_free(pol);
}

/* Which requests need the target's packument: npm names the rule would block. */
static void test_companion_target(void **state)
{
    struct pg_policy *pol = load(NULL);
    struct pg_policy *warn = load("{\"rules\": {\"typosquat\": {\"action\": \"warn\"}}}");
    time_t now = 1796000000;
    struct pg_meta *young = history("exprss", 10, 1, now);
    struct pg_meta *old = history("exprss", 3 * 365, 40, now);
    struct pg_meta *none = history("exprss", 10, 1, now);
    struct pg_req req;
    char *t;

    (void)state;
    none->exists = 0;
    memset(&req, 0, sizeof(req));
    req.eco = PG_ECO_NPM;
    req.source = PG_SRC_REGISTRY;
    req.name = (char *)"exprss";
    req.spec = (char *)"";
    t = pg_rule_typosquat_target(pol, pg_typo_builtin(), &req, young, now);
    assert_non_null(t);
    assert_string_equal(t, "express");
    free(t);
    assert_null(pg_rule_typosquat_target(pol, pg_typo_builtin(), &req, old, now));
    assert_null(pg_rule_typosquat_target(pol, pg_typo_builtin(), &req, none, now));
    assert_null(pg_rule_typosquat_target(pol, pg_typo_builtin(), &req, NULL, now));
    assert_null(pg_rule_typosquat_target(warn, pg_typo_builtin(), &req, young, now));
    req.name = (char *)"left-pad";
    assert_null(pg_rule_typosquat_target(pol, pg_typo_builtin(), &req, young, now));
    req.name = (char *)"reqeusts";
    req.eco = PG_ECO_PYPI;
    assert_null(pg_rule_typosquat_target(pol, pg_typo_builtin(), &req, young, now));
    pg_meta_free(young);
    pg_meta_free(old);
    pg_meta_free(none);
    pg_policy_free(pol);
    pg_policy_free(warn);
}

static void test_explain(void **state)
{
    struct pg_typo_match m;
    char out[128];

    (void)state;
    memset(&m, 0, sizeof(m));
    m.kind = PG_TYPO_AFFIX;
    snprintf(m.detail, sizeof(m.detail), "node+ts");
    pg_rule_typosquat_explain(&m, out, sizeof(out));
    assert_string_equal(out, "adds `node` and `ts`");
    snprintf(m.detail, sizeof(m.detail), "py>python");
    pg_rule_typosquat_explain(&m, out, sizeof(out));
    assert_string_equal(out, "writes `py` for `python`");
    m.kind = PG_TYPO_SCOPE_LOOKALIKE;
    snprintf(m.detail, sizeof(m.detail), "@expue");
    pg_rule_typosquat_explain(&m, out, sizeof(out));
    assert_string_equal(out, "uses `@expue`, a lookalike of its scope");
    /* control characters in a name never reach the one-line message */
    {
        struct pg_policy *pol = load(NULL);
        struct pg_verdict v;

        assert_int_equal(run(pol, PG_ECO_NPM, "cross\nenv", &v), 1);
        assert_null(strchr(v.reasons[0].message, '\n'));
        pg_verdict_release(&v);
        pg_policy_free(pol);
    }
}

/*
 * A name a popular package depends on (webpack's minimizer-webpack-plugin,
 * two edits from css-minimizer-webpack-plugin) is warned about, not
 * blocked, once it is a month old; fresh, unsponsored, sponsored by an
 * unknown package, or without registry dates, it stays a block.
 */
static void test_sponsor(void **state)
{
    struct pg_policy *pol = load(NULL);
    const char *name = "minimizer-webpack-plugin";
    time_t now = 1800000000;
    struct pg_meta *months = history(name, 150, 3, now), *days = history(name, 2, 1, now);
    struct pg_verdict v;
    char buf[64];

    (void)state;
    assert_true(pg_rule_typosquat_sponsor(pg_typo_builtin(), PG_ECO_NPM, "webpack"));
    assert_false(pg_rule_typosquat_sponsor(pg_typo_builtin(), PG_ECO_NPM, "no-such-pkg-xyzzy"));
    assert_int_equal(run_npm(pol, name, NULL, months, NULL, NULL, now, &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_BLOCK); /* the false alarm, unsponsored */
    pg_verdict_release(&v);
    assert_int_equal(run_npm(pol, name, NULL, months, NULL, "webpack", now, &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_WARN);
    assert_non_null(strstr(v.reasons[0].message, "not blocked, a dependency that `webpack`"));
    assert_string_equal(ev_str(&v.reasons[0], "sponsor", buf, sizeof(buf)), "webpack");
    pg_verdict_release(&v);
    assert_int_equal(run_npm(pol, name, NULL, days, NULL, "webpack", now, &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_BLOCK); /* days old: hijack territory */
    assert_null(strstr(v.reasons[0].evidence, "sponsor"));
    pg_verdict_release(&v);
    assert_int_equal(run_npm(pol, name, NULL, months, NULL, "no-such-pkg-xyzzy", now, &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_BLOCK);
    pg_verdict_release(&v);
    assert_int_equal(run_npm(pol, name, NULL, NULL, NULL, "webpack", now, &v), 1);
    assert_int_equal(v.reasons[0].action, PG_ACT_BLOCK); /* no dates: no sponsor */
    pg_verdict_release(&v);
    pg_meta_free(months);
    pg_meta_free(days);
    pg_policy_free(pol);
}

/* A sponsor is looked for only where the rule would look twice. */
static void test_suspect(void **state)
{
    struct pg_policy *pol = load(NULL), *off = load("{\"rules\": {\"typosquat\": "
                                                     "{\"action\": \"off\"}}}");
    struct pg_policy *ign = load("{\"rules\": {\"typosquat\": {\"ignore\": [\"pkg:npm/mongose\"]}}}");
    struct pg_req req;

    (void)state;
    memset(&req, 0, sizeof(req));
    req.eco = PG_ECO_NPM;
    req.source = PG_SRC_REGISTRY;
    req.name = (char *)"mongose";
    assert_true(pg_rule_typosquat_suspect(pol, pg_typo_builtin(), &req));
    assert_false(pg_rule_typosquat_suspect(off, pg_typo_builtin(), &req));
    assert_false(pg_rule_typosquat_suspect(ign, pg_typo_builtin(), &req));
    req.name = (char *)"express"; /* itself the popular one */
    assert_false(pg_rule_typosquat_suspect(pol, pg_typo_builtin(), &req));
    pg_policy_free(pol);
    pg_policy_free(off);
    pg_policy_free(ign);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_message_and_evidence), cmocka_unit_test(test_established),
        cmocka_unit_test(test_clean_names),
        cmocka_unit_test(test_action),               cmocka_unit_test(test_ignore),
        cmocka_unit_test(test_suspect),
        cmocka_unit_test(test_extra_popular),        cmocka_unit_test(test_popularity_ratio),
        cmocka_unit_test(test_explain),              cmocka_unit_test(test_companion),
        cmocka_unit_test(test_sponsor),
        cmocka_unit_test(test_companion_forged),     cmocka_unit_test(test_companion_target),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
