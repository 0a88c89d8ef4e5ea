/*
 * test_policy_org.c - the signed org layer from a file, through
 * pg_policy_load: keys made at test time (policy_org_fx.h), every way a
 * signed layer must be refused, rollback memory, the anchor's own checks,
 * and a policy signed by the real `minisign` when it is installed.
 * The URL source is test_policy_orgurl.c.
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy_org_fx.h"
#include "banned.h"

#define WARN_POLICY "{\"mode\": \"warn\", \"deny\": [\"pkg:npm/left-pad\"]}\n"

static void test_no_anchor_reads_unsigned(void **state)
{
    struct fx *f = *state;
    struct pg_policy *pol;

    put(f->policy, WARN_POLICY); /* no org.json, no .minisig */
    pol = load_ok(f);
    assert_int_equal(pg_policy_mode(pol), PG_MODE_WARN);
    assert_null(pg_policy_org_info(pol));
    pg_policy_free(pol);
    assert_int_equal(recorded(f), -1);
}

static void test_signed_loads(void **state)
{
    struct fx *f = *state;
    const struct pg_policy_orginfo *org;
    struct pg_policy *pol;
    const char *const *layers;
    size_t n;

    anchor(f, "%s", "");
    publish(f, f->policy, WARN_POLICY, 0, 3, "2099-01-01");
    pol = load_ok(f);
    assert_int_equal(pg_policy_mode(pol), PG_MODE_WARN);
    assert_true(pg_policy_denied(pol, PG_ECO_NPM, "left-pad", NULL, NULL));
    layers = pg_policy_layers(pol, &n);
    assert_int_equal(n, 2);
    assert_string_equal(layers[1], f->policy);
    org = pg_policy_org_info(pol);
    assert_non_null(org);
    assert_string_equal(org->source, f->policy);
    assert_string_equal(org->anchor, f->anchor);
    assert_string_equal(org->keyid, f->k->id[0]);
    assert_int_equal(org->serial, 3);
    assert_int_equal(org->expires, 4070908800); /* 2099-01-01T00:00:00Z */
    assert_int_equal(org->cached, 0);
    pg_policy_free(pol);
    assert_int_equal(recorded(f), 3);
}

static void test_tampered(void **state)
{
    struct fx *f = *state;

    anchor(f, "%s", "");
    publish(f, f->policy, WARN_POLICY, 0, 1, NULL);
    put(f->policy, "{\"mode\": \"audit\"}\n");
    load_fails(f, "org policy ");
    load_fails(f, "signature verification failed");
    /* Verified before parsed: broken JSON reports the signature, not a parse error. */
    put(f->policy, "{\"mode\": ");
    load_fails(f, "signature verification failed");
    /* An altered signature file fails too. */
    publish(f, f->policy, WARN_POLICY, 0, 1, NULL);
    put(f->sig, "untrusted comment: x\nnot base64\ntrusted comment: y\nAAAA\n");
    load_fails(f, "policy.json.minisig: signature: line 2");
    assert_int_equal(recorded(f), -1);
}

static void test_wrong_key(void **state)
{
    struct fx *f = *state;
    char want[200];
    struct pg_policy *pol;

    anchor(f, "%s", "");
    publish(f, f->policy, WARN_POLICY, 1, 1, NULL);
    snprintf(want, sizeof(want), "org policy %s: signature by key %s, expected %s", f->policy,
             f->k->id[1], f->k->id[0]);
    load_fails(f, want);
    /* Two pins (a key rotation): either key signs. */
    {
        char *a = pg_xasprintf("{\"public_key\": [\"%s\", \"%s\"]}", f->k->b64[0], f->k->b64[1]);

        put(f->anchor, a);
        free(a);
    }
    pol = load_ok(f);
    assert_string_equal(pg_policy_org_info(pol)->keyid, f->k->id[1]);
    pg_policy_free(pol);
}

static void test_not_signed(void **state)
{
    struct fx *f = *state;
    char want[PATH_MAX + 100];

    anchor(f, "%s", "");
    put(f->policy, WARN_POLICY);
    snprintf(want, sizeof(want), "org policy %s: not signed (expected policy.json.minisig)",
             f->policy);
    load_fails(f, want);
    /* With a pin, the org layer must be there at all. */
    unlink(f->policy);
    load_fails(f, "missing, but");
    /* A legacy signature (minisign -l) is refused, with the fix. */
    {
        char *sig = sign_text(f, 0, WARN_POLICY, 1, NULL, PG_MINISIGN_LEGACY);

        put(f->policy, WARN_POLICY);
        put(f->sig, sig);
        free(sig);
    }
    load_fails(f, "legacy (not pre-hashed) signature refused (sign without -l)");
}

static void test_expired(void **state)
{
    struct fx *f = *state;
    struct pg_policy *pol;

    anchor(f, "%s", "");
    publish(f, f->policy, WARN_POLICY, 0, 1, "2020-01-01");
    load_fails(f, "signature expired on 2020-01-01");
    /* An instant: valid up to it, expired from it on. */
    publish(f, f->policy, WARN_POLICY, 0, 1, "2030-06-15T12:00:00Z");
    f->p.now = T2030 - 1;
    pol = load_ok(f);
    assert_int_equal(pg_policy_org_info(pol)->expires, T2030);
    pg_policy_free(pol);
    f->p.now = T2030;
    load_fails(f, "signature expired on 2030-06-15T12:00:00Z");
}

static void test_rollback(void **state)
{
    struct fx *f = *state;
    char *user = pg_xasprintf("%s/user.json", f->tmp);
    char *path = NULL;

    anchor(f, "%s", "");
    publish(f, f->policy, WARN_POLICY, 0, 5, NULL);
    pg_policy_free(load_ok(f));
    assert_int_equal(recorded(f), 5);
    publish(f, f->policy, WARN_POLICY, 0, 3, NULL);
    load_fails(f, "serial 3 is older than the last accepted serial 5 (rollback?)");
    /* The same serial again is fine (every run reloads it); a higher one is recorded. */
    publish(f, f->policy, WARN_POLICY, 0, 5, NULL);
    pg_policy_free(load_ok(f));
    publish(f, f->policy, WARN_POLICY, 0, 6, NULL);
    pg_policy_free(load_ok(f));
    assert_int_equal(recorded(f), 6);
    /* No serial at all counts as 0: older than 6. */
    publish(f, f->policy, WARN_POLICY, 0, NO_SERIAL, NULL);
    load_fails(f, "serial 0 is older than the last accepted serial 6");
    /* Only a policy that loads whole raises the record. */
    publish(f, f->policy, WARN_POLICY, 0, 7, NULL);
    put(user, "{\"mode\": \"bogus\"}");
    f->p.user = user;
    load_fails(f, "user.json");
    assert_int_equal(recorded(f), 6);
    f->p.user = NULL;
    /* A record that is not a number fails closed, and says how to reset. */
    path = pg_xasprintf("%s/org-serial-%s", f->state, f->k->id[0]);
    put(path, "six\n");
    load_fails(f, "not a serial number (delete it to forget the serials seen)");
    /* The user can forget (documented: this guards against mirrors, not the user). */
    unlink(path);
    publish(f, f->policy, WARN_POLICY, 0, 3, NULL);
    pg_policy_free(load_ok(f));
    assert_int_equal(recorded(f), 3);
    /* Without a state directory there is no memory, and nothing fails. */
    f->p.state_dir = NULL;
    publish(f, f->policy, WARN_POLICY, 0, 1, NULL);
    pg_policy_free(load_ok(f));
    free(path);
    free(user);
}

static void test_anchor_checks(void **state)
{
    struct fx *f = *state;

    publish(f, f->policy, WARN_POLICY, 0, 1, NULL);
    anchor(f, "%s", "");
    assert_int_equal(chmod(f->anchor, 0666), 0);
    load_fails(f, "org.json: writable by group or others");
    assert_int_equal(chmod(f->anchor, 0644), 0);
    anchor(f, ", \"publik_key\": \"x\"");
    load_fails(f, "unknown key 'publik_key' (did you mean 'public_key'?)");
    put(f->anchor, "{\"url\": \"https://example.org/p.json\"}");
    load_fails(f, "no 'public_key' to pin");
    put(f->anchor, "{\"public_key\": \"RWQnot-a-key\"}");
    load_fails(f, "org.json: 'public_key': public key");
    anchor(f, ", \"url\": \"http://example.org/policy.json\"");
    load_fails(f, "org.json: 'url': ");
    anchor(f, ", \"url\": \"https://example.org/policy.json?v=1\"");
    load_fails(f, "say where its signature is with 'signature_url'");
    anchor(f, ", \"refresh\": \"1 hour\"");
    load_fails(f, "org.json: 'refresh': ");
    put(f->anchor, "{\"public_key\": ");
    load_fails(f, "org.json:1:");
    /* Comments are fine. */
    anchor(f, ", \"_why\": \"pinned by IT, ticket 42\"");
    pg_policy_free(load_ok(f));
}

/* The compiled-in anchor cannot be moved through the environment. */
static const char *env_tries(const char *name)
{
    if (!strcmp(name, "HOME"))
        return "/home/u";
    if (!strcmp(name, "XDG_STATE_HOME"))
        return "/st";
    if (!strcmp(name, "PKGGATE_SYSTEM_DIR") || !strcmp(name, "PKGGATE_ORG"))
        return "/tmp/evil";
    return NULL;
}

static void test_paths(void **state)
{
    struct pg_policy_paths p;
    char *buf = pg_xmalloc(PG_POLICY_PATHS_BUFSZ);

    (void)state;
    pg_policy_paths_from_env(&p, buf, PG_POLICY_PATHS_BUFSZ, env_tries);
    assert_string_equal(p.org, "/etc/pkggate/org.json");
    assert_string_equal(p.system, "/etc/pkggate/policy.json");
    assert_string_equal(p.state_dir, "/st/pkggate");
    assert_string_equal(p.cache_dir, "/home/u/.cache/pkggate/http");
    assert_int_equal(p.truncated, 0);
    free(buf);
}

/* The real minisign signs; pkggate verifies. */
static void test_minisign_cli(void **state)
{
    struct fx *f = *state;
    char *pub = pg_xasprintf("%s/m.pub", f->tmp), *sec = pg_xasprintf("%s/m.key", f->tmp);
    char *gen[] = {"minisign", "-G", "-W", "-p", pub, "-s", sec, NULL};
    char tc[] = "timestamp:1700000000\tfile:policy.json\tserial:9\texpires:2099-01-01";
    char *sign[] = {"minisign", "-S", "-s", sec, "-m", f->policy, "-t", tc, NULL};
    char *text = NULL, *a;
    struct pg_policy *pol;
    size_t len = 0;

    if (run_wait((char *[]){"minisign", "-v", NULL}) != 0) {
        free(pub);
        free(sec);
        skip();
    }
    put(f->policy, WARN_POLICY);
    assert_int_equal(run_wait(gen), 0);
    assert_int_equal(run_wait(sign), 0);
    assert_int_equal(pg_read_file(pub, 4096, &text, &len, NULL), 0);
    /* The .pub file's second line is the key as pinned. */
    text[strcspn(text, "\n")] = ' ';
    text[strcspn(text, "\n")] = '\0';
    a = pg_xasprintf("{\"public_key\": \"%s\"}", strrchr(text, ' ') + 1);
    put(f->anchor, a);
    pol = load_ok(f);
    assert_int_equal(pg_policy_org_info(pol)->serial, 9);
    assert_int_equal(pg_policy_mode(pol), PG_MODE_WARN);
    pg_policy_free(pol);
    put(f->policy, "{\"mode\": \"audit\"}\n");
    load_fails(f, "signature verification failed");
    free(a);
    free(text);
    free(pub);
    free(sec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_anchor_reads_unsigned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signed_loads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_signed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expired, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anchor_checks, setup, teardown),
        cmocka_unit_test(test_paths),
        cmocka_unit_test_setup_teardown(test_minisign_cli, setup, teardown),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
