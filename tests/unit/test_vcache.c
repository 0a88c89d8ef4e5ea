/*
 * pg_vcache: a plain allow of a pinned request is remembered across runs,
 * and anything the decision reads that changes (the registry's facts, the
 * policy, the request, an expiry) makes it a miss; nothing else is kept.
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>

#include "cli_fx.h"
#include "pg_decide.h"
#include "pg_vcache.h"
#include "banned.h"

static int setup(void **state)
{
    struct cli_fx *fx = pg_xcalloc(1, sizeof(*fx));

    *state = fx;
    return fx_setup(fx);
}

static int teardown(void **state)
{
    struct cli_fx *fx = *state;
    int rc = fx_teardown(fx);

    free(fx);
    return rc;
}

struct world {
    struct pg_policy *pol;
    struct pg_decide_ctx ctx;
    struct pg_meta *meta;
    struct pg_req req;
    struct pg_facts facts;
    char *dir;
};

static void world_init(struct world *w, const struct cli_fx *fx, const char *policy)
{
    memset(w, 0, sizeof(*w));
    w->pol = fx_policy(policy);
    w->ctx.pol = w->pol;
    w->ctx.now = 1800000000;
    w->meta = pg_meta_new(PG_ECO_NPM, "acme");
    pg_meta_add_version(w->meta, "1.0.0")->published = 1700000000;
    w->req.eco = PG_ECO_NPM;
    w->req.source = PG_SRC_REGISTRY;
    w->req.name = "acme";
    w->req.spec = "^1.0.0";
    w->req.locked = "1.0.0";
    w->req.origin = "package-lock.json";
    w->facts.meta = w->meta;
    w->dir = fx_path(fx, "cache/pkggate/verdicts");
}

static void world_release(struct world *w)
{
    pg_policy_free(w->pol);
    pg_meta_free(w->meta);
    free(w->dir);
}

/* One run: look up, and on a miss put verdict `d` with nreasons reasons. */
static int run_once(struct world *w, enum pg_decision d, size_t nreasons)
{
    struct pg_vcache *c = pg_vcache_open(w->dir, &w->ctx);
    struct pg_verdict v;
    int hit;

    assert_non_null(c);
    hit = pg_vcache_get(c, &w->req, &w->facts, &v);
    if (hit) {
        assert_int_equal(v.decision, PG_ALLOW);
        assert_int_equal(v.nreasons, 0);
        assert_string_equal(v.version, "1.0.0");
        assert_string_equal(v.origin, "package-lock.json");
    } else {
        pg_verdict_init(&v, &w->req);
        v.decision = d;
        for (size_t i = 0; i < nreasons; i++)
            pg_verdict_add(&v, PG_RULE_DEPRECATED, PG_ACT_WARN, NULL, "deprecated");
    }
    pg_vcache_put(c, &w->req, &w->facts, &v);
    pg_verdict_release(&v);
    pg_vcache_close(c);
    return hit;
}

static void test_hit_and_misses(void **state)
{
    struct world w;

    world_init(&w, *state, "{}");
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 0);
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 1);
    /* The registry's facts changed (a new deprecation): decided again. */
    pg_meta_add_version(w.meta, "1.1.0");
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 0);
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 1);
    /* The lockfile's integrity for it changed. */
    w.req.integrity = "sha512-BBBB";
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 0);
    /* Asking failed this time. */
    w.facts.error = "HTTP 500";
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 0);
    w.facts.error = NULL;
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 1);
    world_release(&w);
}

/* What the provenance round found this run is part of the key. */
static void test_provenance_state(void **state)
{
    struct world w;
    struct pg_meta_version *v;

    world_init(&w, *state, "{}");
    v = (struct pg_meta_version *)pg_meta_find(w.meta, "1.0.0");
    v->prov = PG_PROV_VERIFIED;
    v->prov_repository = pg_xstrdup("github.com/acme/acme");
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 0);
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 1);
    v->prov = PG_PROV_UNAVAILABLE;
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 0);
    v->prov = PG_PROV_VERIFIED;
    free(v->prov_repository);
    v->prov_repository = pg_xstrdup("github.com/mallory/acme");
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 0);
    world_release(&w);
}

static void test_context(void **state)
{
    struct world w;
    struct pg_policy *other;

    world_init(&w, *state,
               "{\"exceptions\": [{\"package\": \"pkg:npm/x\", \"rules\": \"*\", "
               "\"reason\": \"r\", \"expires\": \"2027-06-01T00:00:00Z\"}]}");
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 0);
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 1);
    /* Past the exception's expiry, the policy means something else. */
    w.ctx.now = 1800000000 + 86400 * 400;
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 0);
    /* Another policy. */
    other = fx_policy("{\"rules\": {\"deprecated\": {\"action\": \"block\"}}}");
    w.ctx.pol = other;
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 0);
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 1);
    w.ctx.pol = w.pol;
    pg_policy_free(other);
    world_release(&w);
}

static void test_only_plain_allows(void **state)
{
    struct world w;

    world_init(&w, *state, "{}");
    assert_int_equal(run_once(&w, PG_WARN, 1), 0);
    assert_int_equal(run_once(&w, PG_WARN, 1), 0); /* a warning is said every run */
    assert_int_equal(run_once(&w, PG_ALLOW, 1), 0); /* an exempted reason too */
    assert_int_equal(run_once(&w, PG_ALLOW, 1), 0);
    w.req.locked = NULL; /* a range, not a pin: picked afresh every run */
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 0);
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 0);
    world_release(&w);
}

/* The verdict file in dir (the only name not starting with '.'). */
static char *only_file(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char *path = NULL;

    assert_non_null(d);
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') {
            assert_null(path);
            path = pg_xasprintf("%s/%s", dir, e->d_name);
        }
    closedir(d);
    assert_non_null(path);
    return path;
}

static void test_damaged_file(void **state)
{
    struct world w;
    char *path, *text = NULL;
    size_t len = 0;
    FILE *fp;

    world_init(&w, *state, "{}");
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 0);
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 1);
    /* One digit of the key flipped: a miss, not an error. */
    path = only_file(w.dir);
    assert_int_equal(pg_read_file(path, 1 << 20, &text, &len, NULL), 0);
    text[len - 2] = text[len - 2] == '0' ? '1' : '0';
    fp = fopen(path, "w");
    assert_non_null(fp);
    fwrite(text, 1, len, fp);
    fclose(fp);
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 0);
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 1);
    /* A truncated key line and garbage: ignored. */
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("pkggate-verdicts 1\nzz\n0123\n", fp);
    fclose(fp);
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 0);
    free(text);
    free(path);
    world_release(&w);
}

/* A verified signature is remembered across runs, by everything the check reads. */
static void test_signature_memo(void **state)
{
    struct world w;
    struct pg_sigmemo memo;
    struct pg_vcache *c;
    struct pg_meta_version *mv;

    world_init(&w, *state, "{}");
    mv = &w.meta->versions[0];
    mv->integrity = pg_xstrdup("sha512-AAAA");
    mv->signatures_json = pg_xstrdup("[{\"keyid\":\"SHA256:k\",\"sig\":\"MEUC\"}]");
    c = pg_vcache_open(w.dir, &w.ctx);
    assert_non_null(c);
    pg_vcache_sigmemo(c, &memo);
    assert_false(memo.known(memo.arg, NULL, "acme", mv));
    memo.add(memo.arg, NULL, "acme", mv);
    pg_vcache_close(c);
    c = pg_vcache_open(w.dir, &w.ctx);
    pg_vcache_sigmemo(c, &memo);
    assert_true(memo.known(memo.arg, NULL, "acme", mv));
    /* Another name (a replay), other bytes, another publish time: not the same check. */
    assert_false(memo.known(memo.arg, NULL, "acme-evil", mv));
    mv->published++;
    assert_false(memo.known(memo.arg, NULL, "acme", mv));
    mv->published--;
    free(mv->integrity);
    mv->integrity = pg_xstrdup("sha512-BBBB");
    assert_false(memo.known(memo.arg, NULL, "acme", mv));
    /* Nor is it a verdict: the request is still decided. */
    assert_int_equal(run_once(&w, PG_ALLOW, 0), 0);
    pg_vcache_close(c);
    world_release(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hit_and_misses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_provenance_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_context, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_plain_allows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signature_memo, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
