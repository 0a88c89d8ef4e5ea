/*
 * pg_metacodec (facts records) and pg_metacache (their files): a record
 * gives back the very meta it was made from; anything damaged is refused,
 * never misread; the cache answers only while the freshness rules allow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "pg_http_cache.h"
#include "pg_metacache.h"
#include "pg_metacodec.h"
#include "pg_util.h"
#include "banned.h"

/* A meta with every field set to something other than its default. */
static struct pg_meta *full_meta(enum pg_eco eco, const char *name)
{
    struct pg_meta *m = pg_meta_new(eco, name);
    struct pg_meta_version *v;
    struct pg_meta_file *f;

    m->created = 1000;
    m->modified = -1;
    m->status = pg_xstrdup("quarantined");
    m->primary_has = 1;
    pg_meta_add_maintainer(m, "alice");
    pg_meta_add_maintainer(m, "bob");
    pg_meta_add_tag(m, "latest", "2.0.0");
    pg_meta_add_tag(m, "next", "3.0.0-rc.1");
    v = pg_meta_add_version(m, "1.0.0");
    v->published = 1234567890;
    v->deprecated = 1;
    v->deprecated_msg = pg_xstrdup("use 2 (\xc3\xa9t\xc3\xa9)");
    v->yanked = 0;
    v->install_scripts = 1;
    v->integrity = pg_xstrdup("sha512-AAAA");
    v->tarball = pg_xstrdup("https://r.example/x/-/x-1.0.0.tgz");
    v->shasum = pg_xstrdup("da39a3ee");
    v->publisher = pg_xstrdup("alice");
    v->publisher_workflow = pg_xstrdup("release.yml");
    v->provenance_url = pg_xstrdup("https://r.example/prov");
    v->evidence = PG_EVID_TRUSTED_PUBLISHER;
    v->signatures_json = pg_xstrdup("[{\"keyid\":\"SHA256:k\",\"sig\":\"MEUC\"}]");
    v->elsewhere = 1;
    v->engines_node = pg_xstrdup(">=18");
    v->engines_npm = pg_xstrdup("{\"x\":1}");
    f = pg_meta_add_file(v, PG_META_WHEEL, ">=3.8");
    f->url = pg_xstrdup("https://f.example/x-1.0.0-py3-none-any.whl");
    f->core_metadata = pg_xstrdup("sha256=ab");
    f->filename = pg_xstrdup("x-1.0.0-py3-none-any.whl");
    f->sha256 = pg_xstrdup("ab01");
    f->provenance_url = pg_xstrdup("https://f.example/integrity/x/1.0.0/x.whl/provenance");
    pg_meta_add_file(v, PG_META_SDIST, NULL);
    v->local_file = pg_xstrdup("/tmp/x-1.0.0.tar.gz");
    pg_meta_add_dep(v, "dep", "^1.2.0", PG_DEP_PROD);
    pg_meta_add_dep(v, "peer", "*", PG_DEP_PEER_OPTIONAL);
    v->deps[1].bundled = 1;
    v->deps_state = PG_DEPS_KNOWN;
    v->has_shrinkwrap = 1;
    v->attestations_url = pg_xstrdup("https://r.example/-/npm/v1/attestations/x@1.0.0");
    v->repository = pg_xstrdup("git+https://github.com/acme/x.git");
    /* A version with nothing known: the defaults must survive too. */
    pg_meta_add_version(m, "2.0.0");
    return m;
}

static void encode(const struct pg_meta *m, struct pg_sb *sb)
{
    pg_sb_reset(sb);
    pg_metacodec_encode(m, sb);
}

static void test_round_trip(void **state)
{
    static const enum pg_eco ecos[] = {PG_ECO_NPM, PG_ECO_PYPI};
    struct pg_err err = PG_ERR_INIT;

    (void)state;
    for (size_t e = 0; e < PG_ARRAY_SIZE(ecos); e++) {
        struct pg_meta *m = full_meta(ecos[e], "acme"), *d;
        struct pg_sb a = PG_SB_INIT, b = PG_SB_INIT;
        const struct pg_meta_version *v;

        encode(m, &a);
        d = pg_metacodec_decode(a.buf, a.len, &err);
        assert_non_null(d);
        /* Encoding what was decoded gives the same bytes: nothing lost. */
        encode(d, &b);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.buf, b.buf, a.len);
        assert_int_equal(d->eco, ecos[e]);
        assert_string_equal(d->latest, "2.0.0");
        assert_string_equal(pg_meta_tag(d, "next"), "3.0.0-rc.1");
        v = pg_meta_find(d, "1.0.0");
        assert_non_null(v);
        assert_int_equal(v->published, 1234567890);
        assert_string_equal(v->deprecated_msg, "use 2 (\xc3\xa9t\xc3\xa9)");
        assert_int_equal(v->evidence, PG_EVID_TRUSTED_PUBLISHER);
        assert_int_equal(v->nfiles, 2);
        assert_null(v->files[1].requires_python);
        assert_string_equal(v->files[0].filename, "x-1.0.0-py3-none-any.whl");
        assert_string_equal(v->files[0].sha256, "ab01");
        assert_non_null(v->files[0].provenance_url);
        assert_string_equal(v->attestations_url, "https://r.example/-/npm/v1/attestations/x@1.0.0");
        assert_string_equal(v->repository, "git+https://github.com/acme/x.git");
        assert_int_equal(d->nmaintainers, 2);
        assert_string_equal(d->maintainers[1], "bob");
        assert_int_equal(v->ndeps, 2);
        assert_int_equal(v->deps[1].kind, PG_DEP_PEER_OPTIONAL);
        assert_int_equal(v->deps[1].bundled, 1);
        v = pg_meta_find(d, "2.0.0");
        assert_int_equal(v->published, -1);
        assert_int_equal(v->deprecated, -1);
        assert_int_equal(v->evidence, PG_EVID_UNKNOWN);
        assert_null(v->integrity);
        pg_meta_free(d);
        pg_meta_free(m);
        pg_sb_release(&a);
        pg_sb_release(&b);
    }
}

/* Versions not kept lose only what no rule reads of a version it does not judge. */
static void test_skim(void **state)
{
    static const char *const keep[] = {"2.0.0"}, *const all[] = {"1.0.0", "2.0.0", "1.5.0"};
    struct pg_meta *m = full_meta(PG_ECO_NPM, "acme"), *d;
    struct pg_sb a = PG_SB_INIT, b = PG_SB_INIT, c = PG_SB_INIT;
    struct pg_err err = PG_ERR_INIT;
    const struct pg_meta_version *v;
    struct pg_meta_version *w;

    (void)state;
    w = pg_meta_add_version(m, "1.5.0"); /* names no attestations */
    w->integrity = pg_xstrdup("sha512-BBBB");
    w->repository = pg_xstrdup("git+https://github.com/acme/x.git");
    pg_meta_add_dep(w, "dep", "^1.0.0", PG_DEP_PROD);
    encode(m, &a);
    d = pg_metacodec_decode_keep(a.buf, a.len, keep, 1, &err);
    assert_non_null(d);
    assert_true(d->skimmed);
    v = pg_meta_find(d, "1.5.0");
    assert_null(v->integrity);
    assert_null(v->repository);
    assert_int_equal(v->ndeps, 0);
    v = pg_meta_find(d, "1.0.0");
    assert_non_null(v);
    /* What pickers and history rules read is there... */
    assert_int_equal(v->published, 1234567890);
    assert_int_equal(v->deprecated, 1);
    assert_int_equal(v->install_scripts, 1);
    assert_string_equal(v->publisher, "alice");
    assert_string_equal(v->publisher_workflow, "release.yml");
    assert_int_equal(v->evidence, PG_EVID_TRUSTED_PUBLISHER);
    assert_string_equal(v->engines_node, ">=18");
    assert_non_null(v->attestations_url);
    assert_non_null(v->provenance_url);
    assert_int_equal(v->nfiles, 2);
    assert_int_equal(v->has_shrinkwrap, 1);
    /* An attested release keeps what its attestation is verified against... */
    assert_string_equal(v->integrity, "sha512-AAAA");
    assert_string_equal(v->repository, "git+https://github.com/acme/x.git");
    /* ... what only installing it needs is not there. */
    assert_null(v->tarball);
    assert_null(v->shasum);
    assert_null(v->signatures_json);
    assert_null(v->deprecated_msg);
    assert_int_equal(v->ndeps, 0);
    assert_null(v->deps);
    assert_string_equal(d->latest, "2.0.0");
    pg_meta_free(d);
    /* Keeping every version, or none named, is the whole decode. */
    d = pg_metacodec_decode_keep(a.buf, a.len, all, 3, &err);
    encode(d, &b);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.buf, b.buf, a.len);
    pg_meta_free(d);
    d = pg_metacodec_decode_keep(a.buf, a.len, keep, 0, &err);
    assert_false(d->skimmed);
    assert_non_null(pg_meta_find(d, "1.0.0")->integrity);
    pg_meta_free(d);
    pg_meta_free(m);
    /* PyPI versions match by identity, not as written: always whole. */
    m = full_meta(PG_ECO_PYPI, "acme");
    encode(m, &c);
    d = pg_metacodec_decode_keep(c.buf, c.len, keep, 1, &err);
    assert_false(d->skimmed);
    assert_non_null(pg_meta_find(d, "1.0.0")->integrity);
    pg_meta_free(d);
    pg_meta_free(m);
    pg_sb_release(&a);
    pg_sb_release(&b);
    pg_sb_release(&c);
}

/*
 * Every truncation and every flipped bit: refused or decoded, never misread
 * out of bounds (ASan watches the skim's jumps too).
 */
static void test_damage(void **state)
{
    static const char *const keep[] = {"2.0.0"}; /* 1.0.0, the full one, skimmed */
    struct pg_meta *m = full_meta(PG_ECO_NPM, "acme");
    struct pg_sb a = PG_SB_INIT;
    struct pg_err err = PG_ERR_INIT;
    char *copy;

    (void)state;
    encode(m, &a);
    for (size_t n = 0; n < a.len; n++) {
        copy = pg_xmalloc(n + 1); /* exactly n bytes readable: ASan sees overreads */
        memcpy(copy, a.buf, n);
        assert_null(pg_metacodec_decode(copy, n, &err));
        assert_null(pg_metacodec_decode_keep(copy, n, keep, 1, &err));
        free(copy);
    }
    copy = pg_xmalloc(a.len);
    for (size_t i = 0; i < a.len; i++)
        for (int bit = 0; bit < 8; bit++) {
            struct pg_meta *d, *k;

            memcpy(copy, a.buf, a.len);
            copy[i] ^= (char)(1 << bit);
            d = pg_metacodec_decode(copy, a.len, &err);
            /* What the whole decode takes, the skim takes; not the
             * converse: it only bounds-checks what it jumps over. */
            k = pg_metacodec_decode_keep(copy, a.len, keep, 1, &err);
            if (d)
                assert_non_null(k);
            pg_meta_free(d);
            pg_meta_free(k);
        }
    free(copy);
    pg_meta_free(m);
    pg_sb_release(&a);
}

static void expect_error(const char *bytes, size_t len, const char *msg)
{
    struct pg_err err = PG_ERR_INIT;

    assert_null(pg_metacodec_decode(bytes, len, &err));
    assert_string_equal(err.msg, msg);
}

static void test_refused(void **state)
{
    struct pg_meta *m = pg_meta_new(PG_ECO_NPM, "a");
    struct pg_sb a = PG_SB_INIT;
    char buf[256];

    (void)state;
    encode(m, &a);
    expect_error("PGMX\x01" "END!", 9, "not a facts record");
    memcpy(buf, a.buf, a.len);
    buf[4] = 7;
    expect_error(buf, a.len, "unknown facts format 7");
    /* Bytes after the record's end. */
    memcpy(buf, a.buf, a.len - 4);
    memcpy(buf + a.len - 4, "\x00" "END!", 5);
    expect_error(buf, a.len + 1, "facts record has bytes after its end");
    /* A NUL inside the name ("a" -> "\0"). */
    memcpy(buf, a.buf, a.len);
    assert_int_equal(buf[7], 'a');
    buf[7] = '\0';
    expect_error(buf, a.len, "facts record holds a NUL in a string");
    /* A version count far beyond what the bytes could hold. */
    memcpy(buf, a.buf, a.len);
    assert_int_equal(buf[a.len - 5], 0); /* nversions, the last field */
    memcpy(buf + a.len - 5, "\xff\xff\xff\x0f" "END!", 8);
    expect_error(buf, a.len + 3, "facts record holds an impossible count");
    /* A tri-state that is not one. */
    m->created = 5;
    pg_meta_add_version(m, "1.0.0")->deprecated = 2;
    encode(m, &a);
    expect_error(a.buf, a.len, "facts record holds a value out of range");
    pg_meta_free(m);
    pg_sb_release(&a);
}

/* ---- pg_metacache ---- */

struct fx {
    char *tmp;
    char *dir;
};

static int setup(void **state)
{
    struct fx *fx = pg_xcalloc(1, sizeof(*fx));

    fx->tmp = pg_xstrdup("/tmp/pg-test-metacache-XXXXXX");
    assert_non_null(mkdtemp(fx->tmp));
    fx->dir = pg_xasprintf("%s/facts", fx->tmp);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    char *sweep = pg_xasprintf("%s/" PG_HTTP_CACHE_SWEEP_MARKER, fx->dir);
    char *one = pg_http_cache_path(fx->dir, "https://r.example/acme", "application/json");

    unlink(one);
    unlink(sweep);
    rmdir(fx->dir);
    rmdir(fx->tmp);
    free(one);
    free(sweep);
    free(fx->dir);
    free(fx->tmp);
    free(fx);
    return 0;
}

static struct pg_metacache *open_cache(const struct fx *fx, int offline, int64_t fresh,
                                       int64_t reval)
{
    struct pg_metacache_opts o = {fx->dir, offline, fresh, reval};
    struct pg_err err = PG_ERR_INIT;
    struct pg_metacache *c = pg_metacache_new(&o, &err);

    assert_non_null(c);
    return c;
}

/* Date the record back by age seconds. */
static void age_record(const char *path, int64_t age)
{
    struct timespec ts[2];

    ts[0].tv_sec = ts[1].tv_sec = (time_t)(time(NULL) - age);
    ts[0].tv_nsec = ts[1].tv_nsec = 0;
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void test_cache(void **state)
{
    static const char url[] = "https://r.example/acme", acc[] = "application/json";
    struct fx *fx = *state;
    struct pg_metacache *c = open_cache(fx, 0, 300, 86400), *off;
    struct pg_metacache_rec rec = PG_METACACHE_REC_INIT;
    struct pg_http_req r = PG_HTTP_REQ_INIT;
    struct pg_meta *m = full_meta(PG_ECO_NPM, "acme");
    char *path = pg_http_cache_path(fx->dir, url, acc);
    int64_t now = (int64_t)time(NULL);
    unsigned char stored[PG_METACACHE_DIGEST];
    const char *one[] = {"1.0.0"}, *both[] = {"1.0.0", "2.0.0"}, *missing[] = {"1.0.0", "9.9.9"};
    FILE *fp;

    (void)state;
    assert_int_equal(pg_metacache_load(c, url, acc, "acme", NULL, 0, now, &rec), -1);
    r.etag = pg_xstrdup("\"v1\"");
    pg_metacache_store(c, url, acc, m, &r, NULL, stored);
    assert_int_equal(pg_metacache_load(c, url, acc, "acme", NULL, 0, now, &rec), 0);
    assert_string_equal(rec.etag, "\"v1\"");
    /* The digest a load gives is the one the store gave. */
    assert_memory_equal(rec.digest, stored, sizeof(stored));
    assert_null(rec.last_modified);
    assert_non_null(pg_meta_find(rec.meta, "1.0.0"));
    /* Never for another name, even under the same key. */
    assert_int_equal(pg_metacache_load(c, url, acc, "other", NULL, 0, now, &rec), -1);
    assert_int_equal(pg_metacache_load(c, url, acc, "acme", NULL, 0, now, &rec), 0);
    assert_int_equal(pg_metacache_current(c, &rec, NULL, 0, now), 1); /* just written */
    assert_int_equal(pg_metacache_current(c, &rec, one, 1, now), 1);
    /* An hour old: only a pinned version the record holds is current. */
    age_record(path, 3600);
    assert_int_equal(pg_metacache_load(c, url, acc, "acme", NULL, 0, now, &rec), 0);
    assert_int_equal(pg_metacache_current(c, &rec, NULL, 0, now), 0);
    assert_int_equal(pg_metacache_current(c, &rec, one, 1, now), 2);
    assert_int_equal(pg_metacache_current(c, &rec, both, 2, now), 2);
    assert_int_equal(pg_metacache_current(c, &rec, missing, 2, now), 0); /* all, or none */
    assert_false(rec.meta->skimmed);
    /* Loaded for what it will answer: on the schedule, skimmed to the pins... */
    assert_int_equal(pg_metacache_load(c, url, acc, "acme", both + 1, 1, now, &rec), 0);
    assert_true(rec.meta->skimmed);
    assert_null(pg_meta_find(rec.meta, "1.0.0")->tarball);
    assert_int_equal(pg_metacache_current(c, &rec, both + 1, 1, now), 2);
    assert_memory_equal(rec.digest, stored, sizeof(stored)); /* same record, same digest */
    /* ... but whole when a pin is missing: it will be revalidated, and a
     * 304 hands this meta over for any pick. */
    assert_int_equal(pg_metacache_load(c, url, acc, "acme", missing, 2, now, &rec), 0);
    assert_false(rec.meta->skimmed);
    assert_non_null(pg_meta_find(rec.meta, "1.0.0")->integrity);
    /* Two days old: past "revalidate", pinned or not; offline, any age. */
    age_record(path, 2 * 86400);
    assert_int_equal(pg_metacache_load(c, url, acc, "acme", one, 1, now, &rec), 0);
    assert_false(rec.meta->skimmed);
    assert_int_equal(pg_metacache_current(c, &rec, one, 1, now), 0);
    off = open_cache(fx, 1, 0, 0);
    assert_int_equal(pg_metacache_current(off, &rec, NULL, 0, now), 1);
    /* A 304 makes it current again. */
    pg_metacache_touch(c, url, acc);
    assert_int_equal(pg_metacache_load(c, url, acc, "acme", one, 1, now, &rec), 0);
    assert_false(rec.meta->skimmed); /* fresh: current for any pick */
    assert_int_equal(pg_metacache_current(c, &rec, NULL, 0, (int64_t)time(NULL)), 1);
    /* A damaged file is a miss. */
    fp = fopen(path, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, -3, SEEK_END), 0);
    fputc('#', fp);
    fclose(fp);
    assert_int_equal(pg_metacache_load(c, url, acc, "acme", NULL, 0, now, &rec), -1);
    assert_null(rec.meta);
    pg_metacache_rec_release(&rec);
    pg_http_req_release(&r);
    pg_meta_free(m);
    pg_metacache_free(c);
    pg_metacache_free(off);
    free(path);
}

static ino_t inode_of(const char *path)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    return st.st_ino;
}

/*
 * The same document again (a registry without validators sends it whole
 * every time): the record is confirmed in place, not written anew; any
 * change to the facts or the validators writes it.
 */
static void test_cache_unchanged(void **state)
{
    static const char url[] = "https://r.example/acme", acc[] = "application/json";
    struct fx *fx = *state;
    struct pg_metacache *c = open_cache(fx, 0, 300, 86400);
    struct pg_metacache_rec rec = PG_METACACHE_REC_INIT;
    struct pg_http_req r = PG_HTTP_REQ_INIT;
    struct pg_meta *m = full_meta(PG_ECO_NPM, "acme");
    char *path = pg_http_cache_path(fx->dir, url, acc);
    int64_t now = (int64_t)time(NULL);
    unsigned char d1[PG_METACACHE_DIGEST], d2[PG_METACACHE_DIGEST];
    ino_t first;

    pg_metacache_store(c, url, acc, m, &r, NULL, d1);
    first = inode_of(path);
    age_record(path, 3600);
    assert_int_equal(pg_metacache_load(c, url, acc, "acme", NULL, 0, now, &rec), 0);
    pg_metacache_store(c, url, acc, m, &r, &rec, d2);
    assert_memory_equal(d1, d2, sizeof(d1));
    assert_true(inode_of(path) == first); /* touched in place... */
    assert_int_equal(pg_metacache_load(c, url, acc, "acme", NULL, 0, now, &rec), 0);
    assert_int_equal(pg_metacache_current(c, &rec, NULL, 0, (int64_t)time(NULL)), 1); /* ...as new */
    /* Other validators: written. */
    r.etag = pg_xstrdup("\"v2\"");
    pg_metacache_store(c, url, acc, m, &r, &rec, NULL);
    assert_true(inode_of(path) != first);
    assert_int_equal(pg_metacache_load(c, url, acc, "acme", NULL, 0, now, &rec), 0);
    assert_string_equal(rec.etag, "\"v2\"");
    /* Other facts: written. */
    first = inode_of(path);
    pg_meta_add_version(m, "3.0.0");
    pg_metacache_store(c, url, acc, m, &r, &rec, d2);
    assert_true(inode_of(path) != first);
    assert_memory_not_equal(d1, d2, sizeof(d1));
    pg_metacache_rec_release(&rec);
    pg_http_req_release(&r);
    pg_meta_free(m);
    pg_metacache_free(c);
    free(path);
}

/* A registry without validators sends the same document again: the record answers for it. */
static void test_cache_same_document(void **state)
{
    static const char url[] = "https://r.example/acme", acc[] = "application/json";
    struct fx *fx = *state;
    struct pg_metacache *c = open_cache(fx, 0, 0, 86400);
    struct pg_metacache_rec rec = PG_METACACHE_REC_INIT;
    struct pg_http_req r = PG_HTTP_REQ_INIT;
    struct pg_meta *m = full_meta(PG_ECO_NPM, "acme");
    const char *pin = m->versions[0].version;
    char *path = pg_http_cache_path(fx->dir, url, acc);
    int64_t now = (int64_t)time(NULL);

    r.status = 200;
    r.body = pg_xstrdup("{\"name\":\"acme\"}");
    r.len = strlen(r.body);
    r.content_type = pg_xstrdup("application/json");
    r.final_url = pg_xstrdup(url);
    pg_metacache_store(c, url, acc, m, &r, NULL, NULL);
    assert_int_equal(pg_metacache_load(c, url, acc, "acme", NULL, 0, now, &rec), 0);
    assert_true(pg_metacache_unchanged(&rec, &r));
    /* Another body, another final URL, new validators: not the same document. */
    r.body[1] = ' ';
    assert_false(pg_metacache_unchanged(&rec, &r));
    r.body[1] = '"';
    free(r.final_url);
    r.final_url = pg_xstrdup("https://mirror.example/acme");
    assert_false(pg_metacache_unchanged(&rec, &r));
    free(r.final_url);
    r.final_url = pg_xstrdup(url);
    r.etag = pg_xstrdup("\"v1\"");
    assert_false(pg_metacache_unchanged(&rec, &r));
    free(r.etag);
    r.etag = NULL;
    /* A skimmed meta cannot stand for the whole document. */
    age_record(path, 3600);
    assert_int_equal(pg_metacache_load(c, url, acc, "acme", &pin, 1, now, &rec), 0);
    assert_true(rec.meta->skimmed);
    assert_false(pg_metacache_unchanged(&rec, &r));
    pg_metacache_rec_release(&rec);
    pg_http_req_release(&r);
    pg_meta_free(m);
    pg_metacache_free(c);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_skim),
        cmocka_unit_test(test_damage),
        cmocka_unit_test(test_refused),
        cmocka_unit_test_setup_teardown(test_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_unchanged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_same_document, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
