/*
 * pg_metacodec's tables (format 3): a tarball URL the prefix spells, a
 * repository and a dependency list shared by versions are written once
 * and read back into every version that has them; a record spelled in any
 * other way than the writer's (a literal the prefix would spell, a table
 * entry never used or used out of order, a reference past a table) is
 * refused by the whole decode, so decoding and encoding again always
 * gives the same bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pg_metacodec.h"
#include "pg_util.h"
#include "banned.h"

#define PREFIX "https://registry.npmjs.org/x/-/x-"
#define REPO "git+https://github.com/acme/x.git"

static void encode(const struct pg_meta *m, struct pg_sb *sb)
{
    pg_sb_reset(sb);
    pg_metacodec_encode(m, sb);
}

/* How often the n bytes at needle occur in sb. */
static size_t count_in(const struct pg_sb *sb, const char *needle)
{
    size_t n = strlen(needle), hits = 0;

    for (size_t i = 0; i + n <= sb->len; i++)
        hits += memcmp(sb->buf + i, needle, n) == 0;
    return hits;
}

/* Decoded d has the same bytes as a, and encodes back to them. */
static struct pg_meta *round_trip(const struct pg_sb *a)
{
    struct pg_err err = PG_ERR_INIT;
    struct pg_meta *d = pg_metacodec_decode(a->buf, a->len, &err);
    struct pg_sb b = PG_SB_INIT;

    if (!d)
        fail_msg("decode: %s", err.msg);
    encode(d, &b);
    assert_int_equal(a->len, b.len);
    assert_memory_equal(a->buf, b.buf, a->len);
    pg_sb_release(&b);
    return d;
}

static struct pg_meta_version *add(struct pg_meta *m, const char *ver, const char *tarball)
{
    struct pg_meta_version *v = pg_meta_add_version(m, ver);

    v->tarball = tarball ? pg_xstrdup(tarball) : NULL;
    return v;
}

static void test_tarball(void **state)
{
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, "x"), *d;
    struct pg_sb a = PG_SB_INIT;

    (void)state;
    add(m, "0.0.1", NULL);
    add(m, "0.1.0", "https://old.example/x-0.1.0.tar.gz"); /* not the pattern */
    add(m, "1.0.0", PREFIX "1.0.0.tgz");                  /* defines the prefix */
    add(m, "1.1.0", PREFIX "1.1.0.tgz");
    add(m, "1.2.0", "https://mirror.example/x-1.2.0.tgz"); /* another prefix: literal */
    add(m, "1.3.0", PREFIX "1.2.0.tgz");                  /* not its version: literal */
    add(m, "1.4.0", "");
    encode(m, &a);
    assert_int_equal(count_in(&a, PREFIX), 2); /* the prefix, and 1.3.0's literal */
    d = round_trip(&a);
    for (size_t i = 0; i < m->nversions; i++) {
        const char *want = m->versions[i].tarball, *got = d->versions[i].tarball;

        assert_true((want == NULL) == (got == NULL));
        if (want)
            assert_string_equal(got, want);
    }
    pg_meta_free(d);
    pg_meta_free(m);
    pg_sb_release(&a);
}

/* v1..v4 share a repository and dependency lists: written once each. */
static struct pg_meta *shared_meta(void)
{
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, "x");
    struct pg_meta_version *v;
    static const char *const vers[] = {"1.0.0", "1.0.1", "2.0.0", "2.0.1", "3.0.0"};

    for (size_t i = 0; i < PG_ARRAY_SIZE(vers); i++) {
        v = add(m, vers[i], NULL);
        v->integrity = pg_xasprintf("sha512-%zu", i);
        if (i != 2)
            v->repository = pg_xstrdup(i < 4 ? REPO : "git+https://gitlab.com/acme/x.git");
        if (i == 2) {
            pg_meta_add_dep(v, "left-pad-unique", "^2.0.0", PG_DEP_PROD);
        } else if (i != 4) {
            pg_meta_add_dep(v, "left-pad-unique", "^1.0.0", PG_DEP_PROD);
            pg_meta_add_dep(v, "peer", "*", PG_DEP_PEER);
        }
    }
    return m;
}

static void test_shared(void **state)
{
    static const char *const keep[] = {"2.0.1"}; /* its depset was first used by 1.0.0 */
    struct pg_meta *m = shared_meta(), *d;
    struct pg_sb a = PG_SB_INIT;
    struct pg_err err = PG_ERR_INIT;
    const struct pg_meta_version *v;

    (void)state;
    encode(m, &a);
    assert_int_equal(count_in(&a, REPO), 1);
    assert_int_equal(count_in(&a, "left-pad-unique"), 2); /* two distinct lists */
    d = round_trip(&a);
    for (size_t i = 0; i < m->nversions; i++) {
        assert_int_equal(d->versions[i].ndeps, m->versions[i].ndeps);
        if (i != 2)
            assert_string_equal(d->versions[i].repository, m->versions[i].repository);
    }
    assert_null(d->versions[2].repository);
    /* Each version owns its copy. */
    assert_ptr_not_equal(d->versions[0].deps, d->versions[1].deps);
    assert_ptr_not_equal(d->versions[0].deps[0].name, d->versions[1].deps[0].name);
    assert_string_equal(d->versions[1].deps[1].name, "peer");
    assert_int_equal(d->versions[1].deps[1].kind, PG_DEP_PEER);
    pg_meta_free(d);
    d = pg_metacodec_decode_keep(a.buf, a.len, keep, 1, &err);
    assert_non_null(d);
    v = pg_meta_find(d, "2.0.1");
    assert_int_equal(v->ndeps, 2);
    assert_string_equal(v->deps[0].spec, "^1.0.0");
    assert_string_equal(v->repository, REPO);
    assert_string_equal(v->integrity, "sha512-3");
    v = pg_meta_find(d, "1.0.0");
    assert_int_equal(v->ndeps, 0);
    assert_null(v->repository);
    assert_null(v->integrity);
    pg_meta_free(d);
    pg_meta_free(m);
    pg_sb_release(&a);
}

/* ---- records by hand: the spellings the writer never makes ---- */

static void u(struct pg_sb *sb, uint64_t v)
{
    do {
        pg_sb_addc(sb, (char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0)));
        v >>= 7;
    } while (v);
}

static void s(struct pg_sb *sb, const char *str)
{
    if (!str) {
        u(sb, 0);
        return;
    }
    u(sb, strlen(str) + 1);
    pg_sb_adds(sb, str);
}

struct hand_ver {
    const char *version;
    uint64_t repo_ref, depset_ref;
    uint64_t tgz;        /* tarball_code; a literal takes tgz_literal's length */
    const char *tgz_literal;
    int tail_pad;        /* a byte more in TAIL than its fields */
};

struct hand {
    const char *prefix;
    const char *repos[3];
    size_t nrepos;
    const char *depsets[3]; /* each one dependency of that name; "" an empty list */
    size_t ndepsets;
    int depset_pad;         /* a byte more in the first depset than its list */
    struct hand_ver v[3];
    size_t nv;
};

static void hand_depsets(struct pg_sb *sb, const struct hand *h)
{
    struct pg_sb d = PG_SB_INIT;

    u(sb, h->ndepsets);
    for (size_t i = 0; i < h->ndepsets; i++) {
        pg_sb_reset(&d);
        u(&d, *h->depsets[i] ? 1 : 0);
        if (*h->depsets[i]) {
            s(&d, h->depsets[i]);
            s(&d, "*");
            u(&d, 0);
            u(&d, 0);
        }
        if (i == 0 && h->depset_pad)
            u(&d, 0);
        u(sb, d.len);
        pg_sb_add(sb, d.buf, d.len);
    }
    pg_sb_release(&d);
}

static void hand_version(struct pg_sb *sb, const struct hand_ver *v)
{
    struct pg_sb t = PG_SB_INIT;

    s(sb, v->version);
    pg_sb_add(sb, "\x01\x01\x01\x01", 4); /* published, deprecated, yanked, scripts: -1 */
    pg_sb_add(sb, "\x00\x00\x00", 3);     /* publisher, workflow, provenance_url */
    pg_sb_add(sb, "\x01\x00", 2);         /* evidence -1, elsewhere 0 */
    pg_sb_add(sb, "\x00\x00\x00\x00", 4); /* engines, nfiles, local_file */
    pg_sb_add(sb, "\x00\x00\x00", 3);     /* deps_state, shrinkwrap, attestations_url */
    u(sb, v->repo_ref);
    u(sb, v->depset_ref);
    pg_sb_add(&t, "\x00\x00\x00", 3); /* messages, integrity */
    if (v->tgz_literal) {
        u(&t, strlen(v->tgz_literal) + 2);
        pg_sb_adds(&t, v->tgz_literal);
    } else {
        u(&t, v->tgz);
    }
    pg_sb_add(&t, "\x00\x00", 2); /* shasum, signatures */
    if (v->tail_pad)
        u(&t, 0);
    u(sb, t.len);
    pg_sb_add(sb, t.buf, t.len);
    pg_sb_release(&t);
}

static void hand_record(struct pg_sb *sb, const struct hand *h)
{
    pg_sb_reset(sb);
    pg_sb_add(sb, "PGMF\x03", 5);
    u(sb, PG_ECO_NPM);
    s(sb, "x");
    pg_sb_add(sb, "\x01\x01\x01\x00\x00", 5); /* exists, created, modified, status, primary */
    pg_sb_add(sb, "\x00\x00", 2);             /* no tags, no maintainers */
    s(sb, h->prefix);
    u(sb, h->nrepos);
    for (size_t i = 0; i < h->nrepos; i++)
        s(sb, h->repos[i]);
    hand_depsets(sb, h);
    u(sb, h->nv);
    for (size_t i = 0; i < h->nv; i++)
        hand_version(sb, &h->v[i]);
    pg_sb_add(sb, "END!", 4);
}

/* The canonical record the cases below spoil one way each. */
static const struct hand good = {
    "https://r/x-", {"a", "b"}, 2, {"d1", "d2"}, 2, 0,
    {{"1.0.0", 1, 1, 0, "https://r/x-1.0.0.tar.gz", 0},
     {"1.1.0", 1, 2, 1, NULL, 0},
     {"1.2.0", 2, 1, 0, "https://s/x-1.2.0.tgz", 0}}, 3,
};

static void expect(const struct hand *h, const char *msg)
{
    struct pg_sb sb = PG_SB_INIT;
    struct pg_err err = PG_ERR_INIT;
    struct pg_meta *d;

    hand_record(&sb, h);
    d = pg_metacodec_decode(sb.buf, sb.len, &err);
    if (!msg) {
        assert_non_null(d);
        pg_meta_free(round_trip(&sb));
    } else {
        assert_null(d);
        assert_string_equal(err.msg, msg);
    }
    pg_meta_free(d);
    pg_sb_release(&sb);
}

static void test_hand_good(void **state)
{
    struct pg_sb sb = PG_SB_INIT;
    struct pg_meta *d;

    (void)state;
    expect(&good, NULL);
    hand_record(&sb, &good);
    d = round_trip(&sb);
    assert_string_equal(d->versions[1].tarball, "https://r/x-1.1.0.tgz");
    assert_string_equal(d->versions[2].repository, "b");
    assert_string_equal(d->versions[2].deps[0].name, "d1");
    pg_meta_free(d);
    pg_sb_release(&sb);
}

static void test_not_canonical(void **state)
{
    static const char nc[] = "facts record is not in canonical form";
    struct hand h;

    (void)state;
    h = good; /* a literal the prefix spells */
    h.v[2].tgz_literal = "https://r/x-1.2.0.tgz";
    expect(&h, nc);
    h = good; /* a literal that would have made a prefix, before the first code 1 */
    h.v[0].tgz_literal = "https://q/x-1.0.0.tgz";
    expect(&h, nc);
    h = good; /* code 1 without a prefix */
    h.prefix = NULL;
    expect(&h, nc);
    h = good; /* a prefix no version uses */
    h.v[1].tgz = 0;
    expect(&h, nc);
    h = good; /* an empty prefix */
    h.prefix = "";
    expect(&h, nc);
    h = good; /* a repository never used */
    h.v[2].repo_ref = 1;
    expect(&h, nc);
    h = good; /* a table entry used before the one ahead of it */
    h.v[0].depset_ref = 2;
    h.v[1].depset_ref = 1;
    h.v[2].depset_ref = 2; /* each entry used all the same */
    expect(&h, nc);
    h = good; /* the same list twice */
    h.depsets[1] = "d1";
    expect(&h, nc);
    h = good; /* the same repository twice */
    h.repos[1] = "a";
    expect(&h, nc);
    h = good; /* an empty dependency list (no deps is depset_ref 0) */
    h.depsets[1] = "";
    expect(&h, nc);
}

static void test_refs_and_lengths(void **state)
{
    static const char *const keep[] = {"1.1.0"};
    struct pg_sb sb = PG_SB_INIT;
    struct pg_err err = PG_ERR_INIT;
    struct pg_meta *k;
    struct hand h;

    (void)state;
    h = good;
    h.v[2].repo_ref = 3;
    expect(&h, "facts record holds a reference out of range");
    h = good;
    h.v[1].depset_ref = 7;
    expect(&h, "facts record holds a reference out of range");
    h = good;
    h.depset_pad = 1;
    expect(&h, "facts record holds a misstated length");
    h = good;
    h.v[0].tail_pad = 1;
    expect(&h, "facts record holds a misstated length");
    /* The skim jumps over 1.0.0's TAIL: it does not see the extra byte. */
    hand_record(&sb, &h);
    k = pg_metacodec_decode_keep(sb.buf, sb.len, keep, 1, &err);
    assert_non_null(k);
    assert_string_equal(pg_meta_find(k, "1.1.0")->tarball, "https://r/x-1.1.0.tgz");
    pg_meta_free(k);
    /* ... but never past the record: a TAIL longer than what is left. */
    h = good;
    h.nv = 1;
    h.v[0].repo_ref = 1;
    h.v[0].tgz_literal = NULL; /* TAIL: 6 bytes of NULL fields */
    h.v[0].tgz = 0;
    h.repos[0] = "a";
    h.nrepos = 1;
    h.ndepsets = 1;
    h.prefix = NULL;
    hand_record(&sb, &h);
    assert_non_null(k = pg_metacodec_decode(sb.buf, sb.len, &err));
    pg_meta_free(k);
    assert_int_equal(sb.buf[sb.len - 11], 6);
    sb.buf[sb.len - 11] = 0x7f; /* tail_nbytes, just before TAIL and "END!" */
    assert_null(pg_metacodec_decode_keep(sb.buf, sb.len, keep, 1, &err));
    assert_string_equal(err.msg, "facts record truncated");
    pg_sb_release(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tarball),
        cmocka_unit_test(test_shared),
        cmocka_unit_test(test_hand_good),
        cmocka_unit_test(test_not_canonical),
        cmocka_unit_test(test_refs_and_lengths),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
