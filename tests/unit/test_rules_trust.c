/*
 * test_rules_trust.c - policy/pg_rules_trust: registry_signature, integrity,
 * provenance_downgrade and publisher_change on registry metadata built here,
 * with keys and signatures made at test time (npmsig_testkeys.h) and the
 * policy read by the real policy loader.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "npmsig_testkeys.h"
#include "pg_rules_trust.h"
#include "pg_time.h"
#include "pg_util.h"

#define T(s) pg_time_parse(s)

struct fixture {
    struct tkey a, b, rogue; /* a listed, b listed expiring 2024-01-01, rogue not */
    struct pg_npmkeys *keys;
    char *integrity; /* of left-pad 1.3.0 */
};

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

/* The reasons of pg_rules_trust for version `ver` of m under `layer`, with a signature memo. */
static void run_with(const char *layer, const struct pg_sigmemo *sigs, const char *name,
                     const struct pg_meta *m, const char *ver, const struct pg_npmkeys *keys,
                     struct pg_verdict *v)
{
    struct pg_policy *pol = policy(layer);
    struct pg_decide_ctx ctx = {.pol = pol, .now = 1750000000, .sigs = sigs};
    struct pg_req req;

    memset(&req, 0, sizeof(req));
    req.eco = m->eco;
    req.source = PG_SRC_REGISTRY;
    req.name = (char *)name;
    req.spec = (char *)"";
    pg_verdict_init(v, &req);
    pg_rules_trust(&ctx, &req, m, ver ? pg_meta_find(m, ver) : NULL, keys, v);
    for (size_t i = 0; i < v->nreasons; i++) {
        const char *ev = v->reasons[i].evidence;
        json_t *j = ev ? json_loads(ev, 0, NULL) : NULL;

        /* Evidence is a JSON object; messages are one line. */
        if (ev && !json_is_object(j))
            fail_msg("%s: evidence is not a JSON object: %s", pg_rule_name(v->reasons[i].rule), ev);
        json_decref(j);
        assert_null(strchr(v->reasons[i].message, '\n'));
    }
    pg_policy_free(pol);
}

/* The reasons of pg_rules_trust for version `ver` of m under `layer`. */
static void run(const char *layer, const char *name, const struct pg_meta *m, const char *ver,
                const struct pg_npmkeys *keys, struct pg_verdict *v)
{
    run_with(layer, NULL, name, m, ver, keys, v);
}

/* The action rule fired with (a signature memo given), or -1 if it did not fire. */
static int fired_with(const char *layer, const struct pg_sigmemo *sigs, const char *name,
                      const struct pg_meta *m, const char *ver, const struct pg_npmkeys *keys,
                      const char *rule)
{
    struct pg_verdict v;
    const struct pg_reason *r;
    int act;

    run_with(layer, sigs, name, m, ver, keys, &v);
    r = reason(&v, rule);
    act = r ? (int)r->action : -1;
    pg_verdict_release(&v);
    return act;
}

/* The action rule fired with, or -1 if it did not fire. */
static int fired(const char *layer, const char *name, const struct pg_meta *m, const char *ver,
                 const struct pg_npmkeys *keys, const char *rule)
{
    return fired_with(layer, NULL, name, m, ver, keys, rule);
}

static struct pg_meta_version *version(struct pg_meta *m, const char *ver, const char *when)
{
    struct pg_meta_version *mv = pg_meta_add_version(m, ver);

    mv->published = when ? T(when) : -1;
    mv->evidence = PG_EVID_NONE;
    return mv;
}

static void sign_with(struct pg_meta_version *mv, const struct tkey *k, const char *name,
                      const char *integrity)
{
    char *msg = pg_xasprintf("%s@%s:%s", name, mv->version, integrity);
    char *sig = tkey_sign(k, msg);

    free(mv->integrity);
    free(mv->signatures_json);
    mv->integrity = pg_xstrdup(integrity);
    mv->signatures_json = tsigs_json(k->keyid, sig);
    free(sig);
    free(msg);
}

static int setup(void **state)
{
    struct fixture *f = pg_xcalloc(1, sizeof(*f));
    const struct tkey *listed[] = {&f->a, &f->b};
    const char *expires[] = {NULL, "2024-01-01T00:00:00.000Z"};
    struct pg_err err = PG_ERR_INIT;
    char *doc;

    tkey_make(&f->a);
    tkey_make(&f->b);
    tkey_make(&f->rogue);
    doc = tkeys_doc(listed, expires, 2);
    if (pg_npmkeys_parse(&f->keys, doc, strlen(doc), &err) < 0)
        fail_msg("%s", err.msg);
    free(doc);
    f->integrity = tsri("left-pad 1.3.0");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    pg_npmkeys_free(f->keys);
    tkey_free(&f->a);
    tkey_free(&f->b);
    tkey_free(&f->rogue);
    free(f->integrity);
    free(f);
    return 0;
}

#define WARN_SIG "{\"rules\": {\"registry_signature\": {\"action\": \"warn\"}}}"
#define OFF_SIG  "{\"rules\": {\"registry_signature\": {\"action\": \"off\"}}}"
#define REQUIRE  "{\"rules\": {\"registry_signature\": {\"require_keys\": true}}}"
#define REQ_WARN                                                                                   \
    "{\"rules\": {\"registry_signature\": {\"require_keys\": true, \"action\": \"warn\"}}}"
#define SIG "registry_signature"

static void test_signature(void **state)
{
    struct fixture *f = *state;
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, "left-pad");
    struct pg_meta_version *mv = version(m, "1.3.0", "2024-06-01T00:00:00Z");
    struct pg_verdict v;
    char *evil = tsri("evil");

    /* Valid. */
    sign_with(mv, &f->a, "left-pad", f->integrity);
    assert_int_equal(fired(NULL, "left-pad", m, "1.3.0", f->keys, SIG), -1);
    /* Tampered integrity: blocks even where the rule only warns. */
    free(mv->integrity);
    mv->integrity = pg_xstrdup(evil);
    assert_int_equal(fired(NULL, "left-pad", m, "1.3.0", f->keys, SIG), PG_ACT_BLOCK);
    assert_int_equal(fired(WARN_SIG, "left-pad", m, "1.3.0", f->keys, SIG), PG_ACT_BLOCK);
    assert_int_equal(fired(OFF_SIG, "left-pad", m, "1.3.0", f->keys, SIG), -1);
    run(NULL, "left-pad", m, "1.3.0", f->keys, &v);
    assert_non_null(strstr(reason(&v, SIG)->evidence, "\"result\":\"invalid\""));
    pg_verdict_release(&v);
    /* Replay: left-pad's signed metadata served for right-pad. */
    sign_with(mv, &f->a, "left-pad", f->integrity);
    assert_int_equal(fired(NULL, "right-pad", m, "1.3.0", f->keys, SIG), PG_ACT_BLOCK);
    assert_int_equal(fired(WARN_SIG, "right-pad", m, "1.3.0", f->keys, SIG), PG_ACT_BLOCK);
    /* Unknown key: the rule's action. */
    sign_with(mv, &f->rogue, "left-pad", f->integrity);
    assert_int_equal(fired(NULL, "left-pad", m, "1.3.0", f->keys, SIG), PG_ACT_BLOCK);
    assert_int_equal(fired(WARN_SIG, "left-pad", m, "1.3.0", f->keys, SIG), PG_ACT_WARN);
    /* Expired key: published after b expired; fine before. */
    sign_with(mv, &f->b, "left-pad", f->integrity);
    assert_int_equal(fired(NULL, "left-pad", m, "1.3.0", f->keys, SIG), PG_ACT_BLOCK);
    assert_int_equal(fired(WARN_SIG, "left-pad", m, "1.3.0", f->keys, SIG), PG_ACT_WARN);
    mv->published = T("2023-12-01T00:00:00Z");
    assert_int_equal(fired(NULL, "left-pad", m, "1.3.0", f->keys, SIG), -1);
    /* Missing while the registry has keys. */
    free(mv->signatures_json);
    mv->signatures_json = NULL;
    assert_int_equal(fired(NULL, "left-pad", m, "1.3.0", f->keys, SIG), PG_ACT_BLOCK);
    assert_int_equal(fired(WARN_SIG, "left-pad", m, "1.3.0", f->keys, SIG), PG_ACT_WARN);
    assert_int_equal(fired(OFF_SIG, "left-pad", m, "1.3.0", f->keys, SIG), -1);
    pg_meta_free(m);
    free(evil);
}

/* A memo of checks, as pg_vcache keeps them between runs (by what the check reads). */
struct memo {
    char *seen[4];
    size_t n, asked, added;
};

static char *memo_key(const struct pg_npmkeys *keys, const char *name,
                      const struct pg_meta_version *mv)
{
    return pg_xasprintf("%p %s %s %s %s %lld", (const void *)keys, name, mv->version,
                        mv->integrity ? mv->integrity : "-",
                        mv->signatures_json ? mv->signatures_json : "-",
                        (long long)mv->published);
}

static int memo_known(void *arg, const struct pg_npmkeys *keys, const char *name,
                      const struct pg_meta_version *mv)
{
    struct memo *m = arg;
    char *key = memo_key(keys, name, mv);
    int hit = 0;

    m->asked++;
    for (size_t i = 0; i < m->n; i++)
        hit |= strcmp(m->seen[i], key) == 0;
    free(key);
    return hit;
}

static void memo_add(void *arg, const struct pg_npmkeys *keys, const char *name,
                     const struct pg_meta_version *mv)
{
    struct memo *m = arg;

    assert_true(m->n < 4);
    m->seen[m->n++] = memo_key(keys, name, mv);
    m->added++;
}

/* A verified signature is remembered; anything else is checked again. */
static void test_signature_memo(void **state)
{
    struct fixture *f = *state;
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, "left-pad");
    struct pg_meta_version *mv = version(m, "1.3.0", "2024-06-01T00:00:00Z");
    struct memo mm = {{NULL}, 0, 0, 0};
    struct pg_sigmemo sigs = {memo_known, memo_add, &mm};
    char *evil = tsri("evil");

    sign_with(mv, &f->a, "left-pad", f->integrity);
    assert_int_equal(fired_with(NULL, &sigs, "left-pad", m, "1.3.0", f->keys, SIG), -1);
    assert_int_equal(mm.added, 1);
    /* Known: not checked again. */
    assert_int_equal(fired_with(NULL, &sigs, "left-pad", m, "1.3.0", f->keys, SIG), -1);
    assert_int_equal(mm.added, 1);
    assert_int_equal(mm.asked, 2);
    /* Other bytes (a tampered integrity, a replay under another name): checked, not kept. */
    free(mv->integrity);
    mv->integrity = pg_xstrdup(evil);
    assert_int_equal(fired_with(NULL, &sigs, "left-pad", m, "1.3.0", f->keys, SIG), PG_ACT_BLOCK);
    sign_with(mv, &f->a, "left-pad", f->integrity);
    assert_int_equal(fired_with(NULL, &sigs, "right-pad", m, "1.3.0", f->keys, SIG), PG_ACT_BLOCK);
    assert_int_equal(mm.added, 1);
    /* A later publish time moves it past b's expiry: not the remembered check. */
    sign_with(mv, &f->b, "left-pad", f->integrity);
    mv->published = T("2023-12-01T00:00:00Z");
    assert_int_equal(fired_with(NULL, &sigs, "left-pad", m, "1.3.0", f->keys, SIG), -1);
    assert_int_equal(mm.added, 2);
    mv->published = T("2024-06-01T00:00:00Z");
    assert_int_equal(fired_with(NULL, &sigs, "left-pad", m, "1.3.0", f->keys, SIG), PG_ACT_BLOCK);
    assert_int_equal(mm.added, 2);
    for (size_t i = 0; i < mm.n; i++)
        free(mm.seen[i]);
    pg_meta_free(m);
    free(evil);
}

static void test_no_keys(void **state)
{
    struct fixture *f = *state;
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, "left-pad");
    struct pg_meta *py = pg_meta_new(PG_ECO_PYPI, "requests");
    struct pg_meta_version *mv = version(m, "1.3.0", "2024-06-01T00:00:00Z");
    struct pg_policy *pol;
    struct pg_decide_ctx ctx = {.pol = NULL};
    char *note;

    version(py, "2.32.0", "2024-06-01T00:00:00Z")->integrity =
        pg_xstrdup("sha256=0000000000000000000000000000000000000000000000000000000000000000");
    /* A mirror without keys: the rule does not apply, signed or not. */
    assert_int_equal(fired(NULL, "left-pad", m, "1.3.0", NULL, SIG), -1);
    sign_with(mv, &f->rogue, "left-pad", f->integrity);
    assert_int_equal(fired(NULL, "left-pad", m, "1.3.0", NULL, SIG), -1);
    /* ... unless the policy demands keys. */
    assert_int_equal(fired(REQUIRE, "left-pad", m, "1.3.0", NULL, SIG), PG_ACT_BLOCK);
    assert_int_equal(fired(REQ_WARN, "left-pad", m, "1.3.0", NULL, SIG), PG_ACT_WARN);
    /* PyPI has no registry signatures: never this rule. */
    assert_int_equal(fired(REQUIRE, "requests", py, "2.32.0", NULL, SIG), -1);
    assert_int_equal(fired(REQUIRE, "requests", py, "2.32.0", NULL, "integrity"), -1);
    /* Said once per registry, by the caller, with this line. */
    ctx.pol = pol = policy(NULL);
    note = pg_rules_trust_no_keys_note(&ctx, "http://127.0.0.1:4873/");
    assert_non_null(note);
    assert_non_null(strstr(note, "http://127.0.0.1:4873/"));
    free(note);
    pg_policy_free(pol);
    ctx.pol = pol = policy(REQUIRE);
    assert_null(pg_rules_trust_no_keys_note(&ctx, "http://127.0.0.1:4873/"));
    pg_policy_free(pol);
    ctx.pol = pol = policy(OFF_SIG);
    assert_null(pg_rules_trust_no_keys_note(&ctx, "http://127.0.0.1:4873/"));
    pg_policy_free(pol);
    pg_meta_free(m);
    pg_meta_free(py);
}

static void test_integrity(void **state)
{
    struct fixture *f = *state;
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, "left-pad");
    struct pg_meta *py = pg_meta_new(PG_ECO_PYPI, "requests");
    struct pg_meta_version *mv = version(m, "1.3.0", "2024-06-01T00:00:00Z");
    struct pg_meta_version *pv = version(py, "2.32.0", "2024-06-01T00:00:00Z");
    struct pg_verdict v;

    /* Signed by the registry, yet malformed: the signature does not save it. */
    sign_with(mv, &f->a, "left-pad", "sha512-abc");
    assert_int_equal(fired(NULL, "left-pad", m, "1.3.0", f->keys, SIG), -1);
    assert_int_equal(fired(NULL, "left-pad", m, "1.3.0", f->keys, "integrity"), PG_ACT_BLOCK);
    run(NULL, "left-pad", m, "1.3.0", f->keys, &v);
    assert_non_null(strstr(reason(&v, "integrity")->evidence, "sha512-abc"));
    pg_verdict_release(&v);
    sign_with(mv, &f->a, "left-pad", f->integrity);
    assert_int_equal(fired(NULL, "left-pad", m, "1.3.0", f->keys, "integrity"), -1);
    free(mv->integrity);
    mv->integrity = NULL; /* absent is not malformed: npm falls back to shasum */
    free(mv->signatures_json);
    mv->signatures_json = NULL;
    assert_int_equal(fired(NULL, "left-pad", m, "1.3.0", NULL, "integrity"), -1);
    pv->integrity = pg_xstrdup("sha256=zz");
    assert_int_equal(fired(NULL, "requests", py, "2.32.0", NULL, "integrity"), PG_ACT_BLOCK);
    free(pv->integrity);
    pv->integrity = pg_xasprintf("sha256=%064d", 7);
    assert_int_equal(fired(NULL, "requests", py, "2.32.0", NULL, "integrity"), -1);
    pg_meta_free(m);
    pg_meta_free(py);
}

#define PROV "provenance_downgrade"

static void test_provenance(void **state)
{
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, "left-pad");
    struct pg_meta *py = pg_meta_new(PG_ECO_PYPI, "requests");
    struct pg_verdict v;

    (void)state;
    version(m, "1.0.0", "2023-01-01T00:00:00Z");
    version(m, "1.1.0", "2023-02-01T00:00:00Z")->evidence = PG_EVID_PROVENANCE;
    version(m, "2.0.0", "2023-03-01T00:00:00Z")->evidence = PG_EVID_TRUSTED_PUBLISHER;
    version(m, "2.0.1", "2023-04-01T00:00:00Z");                                /* none */
    version(m, "1.1.1", "2023-05-01T00:00:00Z")->evidence = PG_EVID_PROVENANCE; /* backport */
    version(m, "2.0.2", NULL)->evidence = PG_EVID_TRUSTED_PUBLISHER;            /* time unknown */
    version(m, "2.0.3", "2023-06-01T00:00:00Z")->evidence = PG_EVID_UNKNOWN;
    version(m, "0.9.0", "2022-01-01T00:00:00Z");
    assert_int_equal(fired(NULL, "left-pad", m, "2.0.1", NULL, PROV), PG_ACT_BLOCK);
    run(NULL, "left-pad", m, "2.0.1", NULL, &v);
    assert_non_null(strstr(reason(&v, PROV)->evidence, "\"earlier_version\":\"2.0.0\""));
    assert_non_null(strstr(reason(&v, PROV)->message, "trusted publisher"));
    /* Nothing was verified: the message says the claim is the registry's. */
    assert_null(strstr(reason(&v, PROV)->message, "verified:"));
    assert_non_null(strstr(reason(&v, PROV)->message, "as the registry states; not verified"));
    pg_verdict_release(&v);
    assert_int_equal(fired(NULL, "left-pad", m, "1.1.1", NULL, PROV), PG_ACT_BLOCK);
    assert_int_equal(fired(NULL, "left-pad", m, "2.0.0", NULL, PROV), -1);
    assert_int_equal(fired(NULL, "left-pad", m, "1.1.0", NULL, PROV), -1);
    assert_int_equal(fired(NULL, "left-pad", m, "1.0.0", NULL, PROV), -1);
    assert_int_equal(fired(NULL, "left-pad", m, "0.9.0", NULL, PROV), -1); /* nothing before */
    assert_int_equal(fired(NULL, "left-pad", m, "2.0.2", NULL, PROV), -1); /* cannot order */
    assert_int_equal(fired(NULL, "left-pad", m, "2.0.3", NULL, PROV), -1); /* not stated */
    assert_int_equal(fired("{\"rules\": {\"" PROV "\": {\"action\": \"warn\"}}}", "left-pad", m,
                           "2.0.1", NULL, PROV),
                     PG_ACT_WARN);
    assert_int_equal(fired("{\"rules\": {\"" PROV "\": {\"action\": \"off\"}}}", "left-pad", m,
                           "2.0.1", NULL, PROV),
                     -1);
    /* PyPI: PEP 740 provenance on 1.0, none on 1.1. */
    version(py, "1.0", "2024-01-01T00:00:00Z")->evidence = PG_EVID_PROVENANCE;
    version(py, "1.1", "2024-02-01T00:00:00Z");
    assert_int_equal(fired(NULL, "requests", py, "1.1", NULL, PROV), PG_ACT_BLOCK);
    assert_int_equal(fired(NULL, "requests", py, "1.0", NULL, PROV), -1);
    pg_meta_free(m);
    pg_meta_free(py);
}

#define PUB "publisher_change"

static void published_by(struct pg_meta *m, const char *ver, const char *when, const char *who,
                         const char *workflow)
{
    struct pg_meta_version *mv = version(m, ver, when);

    mv->publisher = who ? pg_xstrdup(who) : NULL;
    mv->publisher_workflow = workflow ? pg_xstrdup(workflow) : NULL;
}

static void test_publisher_npm(void **state)
{
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, "left-pad");
    struct pg_verdict v;
    const struct pg_reason *r;

    (void)state;
    published_by(m, "1.0.0", "2023-01-01T00:00:00Z", "alice", NULL);
    published_by(m, "1.1.0", "2023-02-01T00:00:00Z", "bob", NULL);
    published_by(m, "1.1.1", "2023-02-15T00:00:00Z", "bob", NULL);
    published_by(m, "1.2.0", "2023-03-01T00:00:00Z", NULL, NULL); /* unknown */
    published_by(m, "1.3.0", "2023-04-01T00:00:00Z", "mallory", NULL);
    published_by(m, "1.4.0", "2023-05-01T00:00:00Z", "mallory", NULL);
    published_by(m, "1.5.0", "2023-06-01T00:00:00Z", "alice", NULL);
    published_by(m, "2.0.0", NULL, "eve", NULL); /* time unknown */
    published_by(m, "2.1.0", "2023-07-01T00:00:00Z", "ev\nil", NULL);
    assert_int_equal(fired(NULL, "left-pad", m, "1.3.0", NULL, PUB), PG_ACT_WARN);
    run(NULL, "left-pad", m, "1.3.0", NULL, &v);
    r = reason(&v, PUB);
    assert_non_null(strstr(r->message, "'mallory'"));
    assert_non_null(strstr(r->evidence, "\"earlier_publishers\":[\"bob\",\"alice\"]"));
    assert_non_null(strstr(r->evidence, "\"earlier_releases\":3"));
    pg_verdict_release(&v);
    /* Later releases do not count; a returning publisher is no change. */
    assert_int_equal(fired(NULL, "left-pad", m, "1.4.0", NULL, PUB), -1);
    assert_int_equal(fired(NULL, "left-pad", m, "1.5.0", NULL, PUB), -1);
    assert_int_equal(fired(NULL, "left-pad", m, "1.1.1", NULL, PUB), -1);
    assert_int_equal(fired(NULL, "left-pad", m, "1.1.0", NULL, PUB), PG_ACT_WARN);
    assert_int_equal(fired(NULL, "left-pad", m, "1.0.0", NULL, PUB), -1); /* first release */
    assert_int_equal(fired(NULL, "left-pad", m, "1.2.0", NULL, PUB), -1); /* unknown publisher */
    assert_int_equal(fired(NULL, "left-pad", m, "2.0.0", NULL, PUB), -1); /* unknown time */
    assert_int_equal(fired(NULL, "left-pad", m, "2.1.0", NULL, PUB), PG_ACT_WARN);
    assert_int_equal(fired("{\"rules\": {\"" PUB "\": {\"action\": \"block\"}}}", "left-pad", m,
                           "1.3.0", NULL, PUB),
                     PG_ACT_BLOCK);
    assert_int_equal(fired("{\"rules\": {\"" PUB "\": {\"action\": \"off\"}}}", "left-pad", m,
                           "1.3.0", NULL, PUB),
                     -1);
    pg_meta_free(m);
}

/* PyPI: the publisher of the release just before, by publish time. */
static int pypi_change(const char *prev_repo, const char *prev_wf, const char *repo, const char *wf)
{
    struct pg_meta *m = pg_meta_new(PG_ECO_PYPI, "requests");
    int act;

    published_by(m, "0.9", "2023-12-01T00:00:00Z", "someone/else", "x.yml");
    published_by(m, "1.0", "2024-01-01T00:00:00Z", prev_repo, prev_wf);
    published_by(m, "1.1", "2024-02-01T00:00:00Z", NULL, NULL); /* no attestation */
    published_by(m, "1.2", "2024-03-01T00:00:00Z", repo, wf);
    published_by(m, "1.3", "2024-04-01T00:00:00Z", "later/repo", "x.yml");
    act = fired(NULL, "requests", m, "1.2", NULL, PUB);
    pg_meta_free(m);
    return act;
}

static void test_publisher_pypi(void **state)
{
    (void)state;
    assert_int_equal(pypi_change("psf/requests", "release.yml", "psf/requests", "release.yml"), -1);
    assert_int_equal(pypi_change("psf/requests", "release.yml", "PSF/Requests", "release.yml"), -1);
    assert_int_equal(pypi_change("psf/requests", "release.yml", "evil/requests", "release.yml"),
                     PG_ACT_WARN);
    assert_int_equal(pypi_change("psf/requests", "release.yml", "psf/requests", "adhoc.yml"),
                     PG_ACT_WARN);
    assert_int_equal(pypi_change("psf/requests", NULL, "psf/requests", "adhoc.yml"), -1);
    assert_int_equal(pypi_change(NULL, NULL, "psf/requests", "release.yml"), PG_ACT_WARN);
}

static void test_nothing_picked(void **state)
{
    struct fixture *f = *state;
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, "left-pad");
    struct pg_verdict v;

    version(m, "1.3.0", "2024-06-01T00:00:00Z")->integrity = pg_xstrdup("garbage");
    run(REQUIRE, "left-pad", m, NULL, f->keys, &v);
    assert_int_equal(v.nreasons, 0);
    pg_verdict_release(&v);
    run(REQUIRE, "left-pad", m, "1.3.0", f->keys, &v);
    assert_int_equal(v.nreasons, 2); /* integrity, and no signature */
    pg_verdict_release(&v);
    pg_meta_free(m);
}

/* pg_decide on left-pad@1.3.0 (published 2024, old enough) under layer. */
static void decide(const char *layer, const struct pg_meta *m, const struct pg_npmkeys *keys,
                   struct pg_verdict *v)
{
    struct pg_policy *pol = policy(layer);
    struct pg_decide_ctx ctx = {.pol = pol, .now = 1750000000};
    struct pg_facts facts = {.meta = m, .keys = keys};
    struct pg_req req;

    memset(&req, 0, sizeof(req));
    req.eco = PG_ECO_NPM;
    req.source = PG_SRC_REGISTRY;
    req.name = (char *)"left-pad";
    req.spec = (char *)"1.3.0";
    pg_decide(&ctx, &req, &facts, v);
    pg_policy_free(pol);
}

#define ALLOW_ALL "{\"allow\": [\"pkg:npm/*\"]}"
#define ALLOW_VER "{\"allow\": [\"pkg:npm/left-pad@>=1\"]}"
#define EXCEPT_ALL                                                                                 \
    "{\"exceptions\": [{\"package\": \"pkg:npm/*\", \"rules\": \"*\", \"reason\": \"r\"}]}"
#define EXCEPT_SIG                                                                                 \
    "{\"exceptions\": [{\"package\": \"pkg:npm/left-pad\", \"rules\": [\"registry_signature\"], "  \
    "\"reason\": \"r\"}]}"

/* No allow entry or exception silences an invalid signature (issue 3, break 9). */
static void test_invalid_beats_allow(void **state)
{
    struct fixture *f = *state;
    const char *const layers[] = {ALLOW_ALL, ALLOW_VER, EXCEPT_ALL, EXCEPT_SIG};
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, "left-pad");
    struct pg_meta_version *mv = version(m, "1.3.0", "2024-06-01T00:00:00Z");
    struct pg_verdict v;
    char *evil = tsri("evil");

    pg_meta_add_tag(m, "latest", "1.3.0");
    sign_with(mv, &f->a, "left-pad", f->integrity);
    for (size_t i = 0; i < PG_ARRAY_SIZE(layers); i++) {
        /* A good signature: the entries do what they say. */
        decide(layers[i], m, f->keys, &v);
        assert_int_equal(v.decision, PG_ALLOW);
        pg_verdict_release(&v);
    }
    free(mv->integrity);
    mv->integrity = pg_xstrdup(evil);
    for (size_t i = 0; i < PG_ARRAY_SIZE(layers); i++) {
        decide(layers[i], m, f->keys, &v);
        assert_int_equal(v.decision, PG_BLOCK);
        assert_non_null(reason(&v, SIG));
        assert_true(reason(&v, SIG)->binding);
        assert_null(reason(&v, SIG)->exempted);
        assert_string_equal(v.version, "1.3.0");
        pg_verdict_release(&v);
    }
    /* Unknown key is a gap, not tampering: an allow entry still covers it. */
    sign_with(mv, &f->rogue, "left-pad", f->integrity);
    decide(ALLOW_ALL, m, f->keys, &v);
    assert_int_equal(v.decision, PG_ALLOW);
    pg_verdict_release(&v);
    decide(EXCEPT_SIG, m, f->keys, &v);
    assert_int_equal(v.decision, PG_ALLOW);
    pg_verdict_release(&v);
    /* The rule turned off is the only way past it, and only where allowed to be. */
    free(mv->integrity);
    mv->integrity = pg_xstrdup(evil);
    decide(OFF_SIG, m, f->keys, &v);
    assert_int_equal(v.decision, PG_ALLOW);
    pg_verdict_release(&v);
    pg_meta_free(m);
    free(evil);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signature),      cmocka_unit_test(test_no_keys),
        cmocka_unit_test(test_integrity),      cmocka_unit_test(test_provenance),
        cmocka_unit_test(test_publisher_npm),  cmocka_unit_test(test_publisher_pypi),
        cmocka_unit_test(test_nothing_picked), cmocka_unit_test(test_invalid_beats_allow),
        cmocka_unit_test(test_signature_memo),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, setup, teardown);
}
