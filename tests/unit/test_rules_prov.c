/*
 * test_rules_prov.c - what the rules make of verified attestations (issue
 * 14): the provenance rule (invalid blocks always, require_provenance),
 * provenance_downgrade and publisher_change comparing verified identities,
 * the verdict's provenance fields, and the policy keys behind them
 * (require_provenance tightens from any layer; sigstore_root only from the
 * organisation's). The states are set here as the provenance round would
 * leave them; the round itself runs against the fixture in e2e/t43.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pg_decide.h"
#include "pg_render.h"
#include "pg_time.h"
#include "pg_util.h"

#define PROV "provenance"
#define DOWN "provenance_downgrade"
#define PUB  "publisher_change"
#define NOW  1750000000

static struct pg_policy *policy(const char *layer)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_policy *pol = NULL;
    const char *texts[] = {layer};
    const char *names[] = {"test.json"};

    if (pg_policy_load_strings(&pol, texts, names, layer ? 1 : 0, &err) < 0)
        fail_msg("policy refused: %s", err.msg);
    return pol;
}

static const struct pg_reason *reason(const struct pg_verdict *v, const char *rule)
{
    for (size_t i = 0; i < v->nreasons; i++)
        if (strcmp(pg_rule_name(v->reasons[i].rule), rule) == 0)
            return &v->reasons[i];
    return NULL;
}

/* pg_decide on name@ver of m under layer. */
static void decide(const char *layer, const char *name, const struct pg_meta *m,
                   const char *ver, struct pg_verdict *v)
{
    struct pg_policy *pol = policy(layer);
    struct pg_decide_ctx ctx = {.pol = pol, .now = NOW};
    struct pg_facts facts = {.meta = m};
    struct pg_req req;

    memset(&req, 0, sizeof(req));
    req.eco = m->eco;
    req.source = PG_SRC_REGISTRY;
    req.name = (char *)name;
    req.spec = (char *)ver;
    req.locked = (char *)ver;
    pg_decide(&ctx, &req, &facts, v);
    pg_policy_free(pol);
}

static struct pg_meta_version *version(struct pg_meta *m, const char *ver, const char *when,
                                       enum pg_prov_state st, const char *repo, const char *wf)
{
    struct pg_meta_version *mv = pg_meta_add_version(m, ver);

    mv->published = pg_time_parse(when);
    mv->deprecated = mv->yanked = mv->install_scripts = 0;
    mv->evidence = st == PG_PROV_ABSENT ? PG_EVID_NONE : PG_EVID_PROVENANCE;
    if (m->eco == PG_ECO_NPM && st != PG_PROV_ABSENT)
        mv->attestations_url = pg_xasprintf("https://r.test/-/npm/v1/attestations/x@%s", ver);
    mv->prov = st;
    mv->prov_repository = repo ? pg_xstrdup(repo) : NULL;
    mv->prov_workflow = wf ? pg_xstrdup(wf) : NULL;
    if (st == PG_PROV_INVALID)
        mv->prov_detail = pg_xstrdup("the statement's subject digest is not the artefact's");
    return mv;
}

/* A package whose 1.0.0 was built by org/lib and whose 2.0.0 is in state st. */
static struct pg_meta *pkg(enum pg_prov_state st, const char *repo)
{
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, "lib");

    version(m, "1.0.0", "2024-01-01T00:00:00Z", PG_PROV_VERIFIED, "github.com/org/lib",
            "release.yml");
    version(m, "2.0.0", "2024-06-01T00:00:00Z", st, repo, repo ? "release.yml" : NULL);
    return m;
}

#define ALLOW_ALL  "{\"allow\": [\"pkg:npm/*\"]}"
#define EXCEPT_ALL "{\"exceptions\": [{\"package\": \"pkg:npm/*\", \"rules\": \"*\", \"reason\": \"r\"}]}"
#define WARN_PROV  "{\"rules\": {\"provenance\": {\"action\": \"warn\"}}}"
#define OFF_PROV   "{\"rules\": {\"provenance\": {\"action\": \"off\"}}}"

/* An attestation that fails blocks whatever allows, excepts or softens it. */
static void test_invalid_blocks_always(void **state)
{
    const char *const layers[] = {NULL, ALLOW_ALL, EXCEPT_ALL, WARN_PROV};
    struct pg_meta *m = pkg(PG_PROV_INVALID, NULL);
    struct pg_verdict v;

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(layers); i++) {
        decide(layers[i], "lib", m, "2.0.0", &v);
        assert_int_equal(v.decision, PG_BLOCK);
        assert_non_null(reason(&v, PROV));
        assert_true(reason(&v, PROV)->binding);
        assert_non_null(strstr(reason(&v, PROV)->message, "does not verify (the statement's"));
        assert_string_equal(v.provenance, "invalid");
        assert_null(v.prov_repository);
        pg_verdict_release(&v);
    }
    /* Turning the rule off is the one way past it. */
    decide(OFF_PROV, "lib", m, "2.0.0", &v);
    assert_null(reason(&v, PROV));
    pg_verdict_release(&v);
    pg_meta_free(m);
}

#define REQ_ORG "{\"require_provenance\": [\"pkg:npm/lib\", \"pkg:npm/@org/*\"]}"

static void test_require_provenance(void **state)
{
    const enum pg_prov_state gaps[] = {PG_PROV_ABSENT, PG_PROV_UNSUPPORTED, PG_PROV_UNAVAILABLE,
                                       PG_PROV_UNCHECKED};
    struct pg_meta *m;
    struct pg_verdict v;

    (void)state;
    for (size_t i = 0; i < PG_ARRAY_SIZE(gaps); i++) {
        m = pkg(gaps[i], NULL);
        decide(REQ_ORG, "lib", m, "2.0.0", &v);
        assert_int_equal(v.decision, PG_BLOCK);
        assert_non_null(reason(&v, PROV));
        assert_non_null(strstr(reason(&v, PROV)->message, "require_provenance: pkg:npm/lib"));
        assert_non_null(strstr(reason(&v, PROV)->evidence, "\"required_by\":\"pkg:npm/lib\""));
        /* Required but unavailable: one reason, not also "undecidable". */
        assert_null(reason(&v, "undecidable"));
        pg_verdict_release(&v);
        /* Not named by the list: the rule has nothing to say about a gap. */
        decide(NULL, "lib", m, "2.0.0", &v);
        assert_null(reason(&v, PROV));
        pg_verdict_release(&v);
        pg_meta_free(m);
    }
    /* An allow entry or an exception is no way around the requirement. */
    m = pkg(PG_PROV_ABSENT, NULL);
    decide("{\"require_provenance\": [\"pkg:npm/lib\"], \"allow\": [\"pkg:npm/*\"], "
           "\"exceptions\": [{\"package\": \"pkg:npm/lib\", \"rules\": [\"provenance\"], "
           "\"reason\": \"r\"}]}",
           "lib", m, "2.0.0", &v);
    assert_int_equal(v.decision, PG_BLOCK);
    assert_true(reason(&v, PROV)->binding);
    pg_verdict_release(&v);
    decide("{\"require_provenance\": [\"pkg:npm/lib\"], "
           "\"rules\": {\"provenance\": {\"action\": \"warn\"}}}", "lib", m, "2.0.0", &v);
    assert_int_equal(reason(&v, PROV)->action, PG_ACT_WARN);
    pg_verdict_release(&v);
    pg_meta_free(m);
    m = pkg(PG_PROV_VERIFIED, "github.com/org/lib");
    decide(REQ_ORG, "lib", m, "2.0.0", &v);
    assert_int_equal(v.decision, PG_ALLOW);
    assert_string_equal(v.provenance, "verified");
    assert_string_equal(v.prov_repository, "github.com/org/lib");
    pg_verdict_release(&v);
    pg_meta_free(m);
}

/* Attestations named but not fetched, with no requirement: undecidable. */
static void test_unavailable_undecidable(void **state)
{
    struct pg_meta *m = pkg(PG_PROV_UNAVAILABLE, NULL);
    struct pg_verdict v;

    (void)state;
    decide(NULL, "lib", m, "2.0.0", &v);
    assert_non_null(reason(&v, "undecidable"));
    assert_int_equal(v.decision, PG_BLOCK);
    pg_verdict_release(&v);
    decide("{\"undecidable\": \"warn\"}", "lib", m, "2.0.0", &v);
    assert_int_equal(v.decision, PG_WARN);
    pg_verdict_release(&v);
    pg_meta_free(m);
}

static void test_downgrade_words(void **state)
{
    struct pg_meta *m = pkg(PG_PROV_ABSENT, NULL);
    struct pg_verdict v;

    (void)state;
    decide(NULL, "lib", m, "2.0.0", &v);
    assert_non_null(reason(&v, DOWN));
    assert_non_null(strstr(reason(&v, DOWN)->message,
                           "(verified: built by github.com/org/lib, workflow release.yml)"));
    assert_non_null(strstr(reason(&v, DOWN)->evidence, "\"earlier_provenance\":\"verified\""));
    pg_verdict_release(&v);
    /* The earlier release only claimed it: the message says so. */
    ((struct pg_meta_version *)pg_meta_find(m, "1.0.0"))->prov = PG_PROV_UNCHECKED;
    decide(NULL, "lib", m, "2.0.0", &v);
    assert_non_null(strstr(reason(&v, DOWN)->message, "(as the registry states; not verified)"));
    assert_null(strstr(reason(&v, DOWN)->message, "verified:"));
    pg_verdict_release(&v);
    /* Fetched and found absent, whatever the packument claims: a downgrade. */
    ((struct pg_meta_version *)pg_meta_find(m, "2.0.0"))->evidence = PG_EVID_PROVENANCE;
    decide(NULL, "lib", m, "2.0.0", &v);
    assert_non_null(reason(&v, DOWN));
    pg_verdict_release(&v);
    pg_meta_free(m);
}

static void test_verified_publisher(void **state)
{
    struct pg_meta *m = pkg(PG_PROV_VERIFIED, "github.com/evil/lib");
    struct pg_meta_version *mv = (struct pg_meta_version *)pg_meta_find(m, "2.0.0");
    struct pg_verdict v;

    (void)state;
    decide(NULL, "lib", m, "2.0.0", &v);
    assert_non_null(reason(&v, PUB));
    assert_non_null(strstr(reason(&v, PUB)->message,
                           "lib 2.0.0 (verified: built by github.com/evil/lib, workflow "
                           "release.yml), but 1.0.0 (verified: built by github.com/org/lib"));
    pg_verdict_release(&v);
    /* Same repository (case aside) and workflow: no change, whatever _npmUser says. */
    free(mv->prov_repository);
    mv->prov_repository = pg_xstrdup("github.com/Org/Lib");
    mv->publisher = pg_xstrdup("mallory");
    ((struct pg_meta_version *)pg_meta_find(m, "1.0.0"))->publisher = pg_xstrdup("alice");
    decide(NULL, "lib", m, "2.0.0", &v);
    assert_null(reason(&v, PUB));
    pg_verdict_release(&v);
    /* Another workflow of the same repository is a change. */
    free(mv->prov_workflow);
    mv->prov_workflow = pg_xstrdup("adhoc.yml");
    decide(NULL, "lib", m, "2.0.0", &v);
    assert_non_null(reason(&v, PUB));
    pg_verdict_release(&v);
    /* Not verified: back to the registry's account names, said as such. */
    mv->prov = PG_PROV_UNCHECKED;
    decide(NULL, "lib", m, "2.0.0", &v);
    assert_non_null(strstr(reason(&v, PUB)->message, "'mallory'"));
    assert_non_null(strstr(reason(&v, PUB)->message, "not verified"));
    assert_null(v.provenance);
    pg_verdict_release(&v);
    pg_meta_free(m);
}

/* Only a verified verdict prints the line, and --json carries the state. */
static void test_render(void **state)
{
    struct pg_meta *m = pkg(PG_PROV_VERIFIED, "github.com/org/l\033[2Jib");
    struct pg_verdict v;
    struct pg_sb out = PG_SB_INIT;

    (void)state;
    decide(NULL, "lib", m, "2.0.0", &v);
    pg_render_provenance(&v, 0, &out);
    assert_string_equal(pg_sb_str(&out), "pkggate: npm lib@2.0.0 verified: built by "
                                         "github.com/org/l?[2Jib, workflow release.yml\n");
    pg_sb_reset(&out);
    pg_render_json(&v, &out);
    assert_non_null(strstr(pg_sb_str(&out), "\"provenance\":{\"state\":\"verified\","
                                            "\"repository\":\"github.com/org/l\\u001B[2Jib\","
                                            "\"workflow\":\"release.yml\"}"));
    pg_verdict_release(&v);
    pg_meta_free(m);
    m = pkg(PG_PROV_ABSENT, NULL);
    decide(NULL, "lib", m, "2.0.0", &v);
    pg_sb_reset(&out);
    pg_render_provenance(&v, 0, &out);
    assert_string_equal(pg_sb_str(&out), "");
    pg_render_json(&v, &out);
    assert_non_null(strstr(pg_sb_str(&out), "\"provenance\":{\"state\":\"absent\"}"));
    pg_verdict_release(&v);
    pg_meta_free(m);
    pg_sb_release(&out);
}

static int load_two(const char *base, const char *project, struct pg_policy **pol,
                    struct pg_err *err)
{
    const char *texts[] = {base, project};
    const char *names[] = {"base.json", "project.json"};

    return pg_policy_load_strings(pol, texts, names, 2, err);
}

static void test_policy_keys(void **state)
{
    struct pg_policy *pol = NULL;
    struct pg_err err = PG_ERR_INIT;
    int is_inline = -1;

    (void)state;
    /* Lists concatenate: a later layer adds, and nothing it writes removes. */
    assert_int_equal(load_two("{\"require_provenance\": [\"pkg:npm/a\"], \"locked\": "
                              "[\"require_provenance\"]}",
                              "{\"require_provenance\": [\"pkg:npm/@org/*\"]}", &pol, &err),
                     0);
    assert_true(pg_policy_requires_provenance(pol, PG_ECO_NPM, "a", "1.0.0", NULL));
    assert_true(pg_policy_requires_provenance(pol, PG_ECO_NPM, "@org/x", "1.0.0", NULL));
    assert_false(pg_policy_requires_provenance(pol, PG_ECO_NPM, "b", "1.0.0", NULL));
    assert_false(pg_policy_requires_provenance(pol, PG_ECO_PYPI, "a", "1.0.0", NULL));
    assert_null(pg_policy_sigstore_root(pol, &is_inline));
    pg_policy_free(pol);
    /* The trust root is the organisation's alone: no other layer names one. */
    assert_int_equal(load_two("{}", "{\"sigstore_root\": \"/tmp/root.json\"}", &pol, &err), -1);
    assert_non_null(strstr(err.msg, "project.json:1:2: 'sigstore_root' may only be set by the "
                                    "organisation's policy"));
    assert_null(pol);
}

/* The org layer (the system file, no anchor) may name a root: a path or inline. */
static void test_org_root(void **state)
{
    char dir[] = "/tmp/pg-test-prov.XXXXXX", path[64];
    struct pg_policy_paths p;
    struct pg_policy *pol = NULL;
    struct pg_err err = PG_ERR_INIT;
    int is_inline = -1;
    FILE *f;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/policy.json", dir);
    memset(&p, 0, sizeof(p));
    p.system = path;
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"sigstore_root\": {\"mediaType\": \"x\"}}", f);
    fclose(f);
    if (pg_policy_load(&pol, &p, &err) < 0)
        fail_msg("%s", err.msg);
    assert_string_equal(pg_policy_sigstore_root(pol, &is_inline), "{\"mediaType\":\"x\"}");
    assert_int_equal(is_inline, 1);
    pg_policy_free(pol);
    f = fopen(path, "w");
    fputs("{\"sigstore_root\": \"relative/root.json\"}", f);
    fclose(f);
    assert_int_equal(pg_policy_load(&pol, &p, &err), -1);
    assert_non_null(strstr(err.msg, "must be an absolute path"));
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_blocks_always),
        cmocka_unit_test(test_require_provenance),
        cmocka_unit_test(test_unavailable_undecidable),
        cmocka_unit_test(test_downgrade_words),
        cmocka_unit_test(test_verified_publisher),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_policy_keys),
        cmocka_unit_test(test_org_root),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
