/*
 * pg_metacodec.c - a facts record back to struct pg_meta (pg_metacodec.h);
 * the writer is pg_metacodec_enc.c.
 *
 * The decoder trusts nothing: a record comes from a cache file that
 * another process, a crash or a disk may have mangled. Each read checks
 * the bytes left; each count is bounded by them (every element takes at
 * least one byte), so a corrupt count cannot make it allocate much. The
 * whole decode also refuses every spelling but the writer's, so that
 * decoding and encoding again gives the same bytes (the fuzz target
 * checks it): a second spelling would be a meta the writer never made.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_metacodec.h"
#include "pg_metacodec_int.h"
#include "banned.h"

/*
 * A field added to pg_meta.h that the record forgets is silently lost on
 * every warm run (a cached version would lose its attestations, say).
 * These sizes make such an addition fail to compile here: decide whether
 * the new field is a fact (encode and decode it, bump
 * PG_METACODEC_VERSION, extend test_metacodec's full_meta) or filled
 * later from elsewhere (like prov*), then update the size. LP64 only: the
 * sizes are x86_64's and aarch64's.
 */
#if UINTPTR_MAX == UINT64_MAX && UINT_MAX == UINT32_MAX
_Static_assert(sizeof(struct pg_meta) == 136, "pg_meta changed: update the facts record");
_Static_assert(sizeof(struct pg_meta_version) == 240, "pg_meta_version changed: update the facts record");
_Static_assert(sizeof(struct pg_meta_file) == 56, "pg_meta_file changed: update the facts record");
_Static_assert(sizeof(struct pg_meta_dep) == 24, "pg_meta_dep changed: update the facts record");
#endif

static void get_files(struct rd *r, struct pg_meta_version *v)
{
    size_t n = get_count(r, 4);

    for (size_t i = 0; i < n && !r->bad; i++) {
        unsigned kind = get_flag(r, PG_META_WHEEL | PG_META_SDIST);
        char *rp = get_s(r);
        struct pg_meta_file *f = pg_meta_add_file(v, kind, rp);

        free(rp);
        f->url = get_s(r);
        f->core_metadata = get_s(r);
        f->filename = get_s(r);
        f->sha256 = get_s(r);
        f->provenance_url = get_s(r);
    }
}


/* One depset: into v's own list, or only checked (v NULL). */
static void get_deps(struct rd *r, const struct span *s, struct pg_meta_version *v)
{
    struct saved was = enter(r, s->p, s->n);
    size_t n = get_count(r, 4);
    struct pg_meta_dep skipped;

    if (!n && !r->bad)
        not_canonical(r); /* no deps is depset_ref 0, never an empty entry */
    if (v && n && !r->bad)
        v->deps = pg_xcalloc(n, sizeof(*v->deps));
    for (size_t i = 0; i < n && !r->bad; i++) {
        struct pg_meta_dep *d = v ? &v->deps[v->ndeps++] : &skipped;

        d->name = req_s(r, v != NULL);
        d->spec = req_s(r, v != NULL);
        d->kind = (enum pg_dep_kind)get_flag(r, PG_DEP_PEER_OPTIONAL);
        d->bundled = (int)get_flag(r, 1);
    }
    leave(r, was);
}

static void get_repos(struct rd *r)
{
    size_t n = get_count(r, 1);

    r->repos = n ? pg_xcalloc(n, sizeof(*r->repos)) : NULL;
    r->nrepos = n;
    for (size_t i = 0; i < n && !r->bad; i++)
        if (!(r->repos[i].p = at_s(r, &r->repos[i].n)) && !r->bad)
            fail(r, "facts record lacks a required string");
}

/* A skim only notes where each depset is; the whole decode checks each too. */
static void get_depsets(struct rd *r)
{
    size_t n = get_count(r, 6); /* nbytes, ndeps, and a dep's 4 */

    r->depsets = n ? pg_xcalloc(n, sizeof(*r->depsets)) : NULL;
    r->ndepsets = n;
    for (size_t i = 0; i < n && !r->bad; i++) {
        struct span *s = &r->depsets[i];

        s->n = (size_t)get_u(r);
        s->p = get_bytes(r, s->n);
        if (!r->keep && !r->bad)
            get_deps(r, s, NULL);
    }
}

static void get_tables(struct rd *r)
{
    r->prefix.p = at_s(r, &r->prefix.n);
    if (r->prefix.p && !r->prefix.n)
        not_canonical(r);
    get_repos(r);
    get_depsets(r);
}

/*
 * A table reference: 0 none, k entry k-1. Entries are in order of first
 * use, so a reference to one not used before is to the next one.
 */
static size_t get_ref(struct rd *r, size_t n, size_t *used)
{
    uint64_t k = get_u(r);

    if (r->bad || k == 0)
        return 0;
    if (k > n) {
        fail(r, "facts record holds a reference out of range");
        return 0;
    }
    if (k > *used + 1) {
        not_canonical(r);
        return 0;
    }
    if (k == *used + 1)
        (*used)++;
    return (size_t)k;
}

static int span_cmp(const void *a, const void *b)
{
    const struct span *x = a, *y = b;

    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    return x->n ? memcmp(x->p, y->p, x->n) : 0;
}

/* Whether two of the n entries are the same bytes (the writer keeps one). */
static int has_dup(const struct span *s, size_t n)
{
    struct span *c;
    int dup = 0;

    if (n < 2)
        return 0;
    c = pg_xmalloc(n * sizeof(*c));
    memcpy(c, s, n * sizeof(*c));
    qsort(c, n, sizeof(*c), span_cmp);
    for (size_t i = 1; i < n && !dup; i++)
        dup = span_cmp(&c[i - 1], &c[i]) == 0;
    free(c);
    return dup;
}

/* After the last version: every table entry used once, as the writer does. */
static void check_tables(struct rd *r)
{
    if (r->bad)
        return;
    if (r->repos_used != r->nrepos || r->depsets_used != r->ndepsets)
        not_canonical(r);
    else if (!r->keep && r->prefix.p && !r->prefix_used)
        not_canonical(r);
    else if (!r->keep && (has_dup(r->repos, r->nrepos) || has_dup(r->depsets, r->ndepsets)))
        not_canonical(r);
}

static char *tarball_from_prefix(struct rd *r, const char *ver)
{
    size_t vlen = strlen(ver);
    char *s;

    if (!r->prefix.p) {
        not_canonical(r);
        return NULL;
    }
    r->prefix_used = 1;
    s = pg_xmalloc(r->prefix.n + vlen + 5);
    memcpy(s, r->prefix.p, r->prefix.n);
    memcpy(s + r->prefix.n, ver, vlen);
    memcpy(s + r->prefix.n + vlen, ".tgz", 5);
    return s;
}

/*
 * tarball_code. A literal the prefix would spell is refused; so is,
 * before the first version that used the prefix, one that would have
 * made a prefix (the whole decode only: it follows every version).
 */
static char *get_tarball(struct rd *r, const char *ver)
{
    uint64_t code = get_u(r);
    const unsigned char *s;
    size_t n, pl;

    if (r->bad || code == PG_METACODEC_TGZ_NONE)
        return NULL;
    if (code == PG_METACODEC_TGZ_PREFIX)
        return tarball_from_prefix(r, ver);
    n = (size_t)(code - PG_METACODEC_TGZ_LITERAL);
    s = get_bytes(r, code - PG_METACODEC_TGZ_LITERAL);
    if (!s)
        return NULL;
    if (memchr(s, '\0', n)) {
        fail(r, "facts record holds a NUL in a string");
        return NULL;
    }
    pl = pg_metacodec_tgz_prefix((const char *)s, n, ver);
    if (pl != SIZE_MAX && ((r->prefix.p && pl == r->prefix.n && memcmp(s, r->prefix.p, pl) == 0) ||
                           (!r->keep && !r->prefix_used))) {
        not_canonical(r);
        return NULL;
    }
    return pg_xstrndup((const char *)s, n);
}

/* Whether version ver is decoded whole (see pg_metacodec_decode_keep). */
static int whole(const struct rd *r, const char *ver)
{
    if (!r->keep)
        return 1;
    for (size_t i = 0; i < r->nkeep; i++)
        if (pg_streq(r->keep[i], ver))
            return 1;
    return 0;
}

/*
 * An attested release may be the one the provenance round verifies for
 * provenance_downgrade (pg_rules_prov_earlier): against its integrity and
 * its package.json repository, so a skim keeps those two.
 */
static int attested(const struct pg_meta_version *v)
{
    return v->attestations_url || v->provenance_url;
}

/* HEAD, after the version string. */
static void get_head(struct rd *r, struct pg_meta_version *v)
{
    v->published = get_i(r);
    v->deprecated = get_small(r, -1, 1);
    v->yanked = get_small(r, -1, 1);
    v->install_scripts = get_small(r, -1, 1);
    v->publisher = get_s(r);
    v->publisher_workflow = get_s(r);
    v->provenance_url = get_s(r);
    v->evidence = (enum pg_evidence)get_small(r, PG_EVID_UNKNOWN, PG_EVID_TRUSTED_PUBLISHER);
    v->elsewhere = get_small(r, 0, 1);
    v->engines_node = get_s(r);
    v->engines_npm = get_s(r);
    get_files(r, v);
    v->local_file = get_s(r);
    v->deps_state = (enum pg_deps_state)get_flag(r, PG_DEPS_UNKNOWN);
    v->has_shrinkwrap = (int)get_flag(r, 1);
    v->attestations_url = get_s(r);
}

/* TAIL: whole (w), its integrity only (attested, skimmed), or jumped. */
static void get_tail(struct rd *r, struct pg_meta_version *v, int w)
{
    uint64_t n = get_u(r);
    const unsigned char *tail = get_bytes(r, n);
    struct saved was;

    if (!tail || (!w && !attested(v)))
        return;
    was = enter(r, tail, (size_t)n);
    v->deprecated_msg = skip_s(r, w);
    v->yanked_reason = skip_s(r, w);
    v->integrity = get_s(r);
    if (w) {
        v->tarball = get_tarball(r, v->version);
        v->shasum = get_s(r);
        v->signatures_json = get_s(r);
    } else {
        r->p = r->end; /* the rest is not read */
    }
    leave(r, was);
}

/* The version string, in buf when it fits (no allocation), else in *heap. */
static const char *get_ver(struct rd *r, char *buf, size_t size, char **heap)
{
    size_t n = 0;
    const unsigned char *s = at_s(r, &n);

    *heap = NULL;
    if (!s) {
        if (!r->bad)
            fail(r, "facts record lacks a required string");
        return NULL;
    }
    if (n >= size)
        return *heap = pg_xstrndup((const char *)s, n);
    memcpy(buf, s, n);
    buf[n] = '\0';
    return buf;
}

static void get_version(struct rd *r, struct pg_meta *m)
{
    char buf[64], *heap;
    const char *ver = get_ver(r, buf, sizeof(buf), &heap);
    struct pg_meta_version *v;
    size_t repo, deps;
    int w;

    if (r->bad)
        return;
    w = whole(r, ver);
    v = pg_meta_add_version(m, ver);
    free(heap);
    get_head(r, v);
    repo = get_ref(r, r->nrepos, &r->repos_used);
    deps = get_ref(r, r->ndepsets, &r->depsets_used);
    get_tail(r, v, w);
    if (r->bad)
        return;
    if (repo && (w || attested(v)))
        v->repository = pg_xstrndup((const char *)r->repos[repo - 1].p, r->repos[repo - 1].n);
    if (deps && w)
        get_deps(r, &r->depsets[deps - 1], v);
}

static void get_tags(struct rd *r, struct pg_meta *m)
{
    size_t n = get_count(r, 2);

    for (size_t i = 0; i < n && !r->bad; i++) {
        char *tag = get_req(r), *ver = get_req(r);

        if (!r->bad)
            pg_meta_add_tag(m, tag, ver);
        free(tag);
        free(ver);
    }
}

static void get_maintainers(struct rd *r, struct pg_meta *m)
{
    size_t n = get_count(r, 2);

    for (size_t i = 0; i < n && !r->bad; i++) {
        char *who = get_req(r);

        if (!r->bad)
            pg_meta_add_maintainer(m, who);
        free(who);
    }
}

/*
 * The least a version takes: 19 HEAD fields, tail_nbytes, 6 TAIL fields
 * of a byte each. A bound a whole-decodable record always meets.
 */
#define VERSION_MIN_BYTES 26

static struct pg_meta *get_meta(struct rd *r)
{
    unsigned eco = get_flag(r, PG_ECO_PYPI);
    char *name = get_req(r);
    struct pg_meta *m;
    size_t n;

    /* PyPI finds "1.0" as "1.0.0" (PEP 440 identity): versions as written
     * would not say which to keep, so its records decode whole. */
    if (eco != PG_ECO_NPM)
        r->keep = NULL;
    if (r->bad)
        return NULL;
    m = pg_meta_new((enum pg_eco)eco, name);
    free(name);
    m->exists = (int)get_flag(r, 1);
    m->created = get_i(r);
    m->modified = get_i(r);
    m->status = get_s(r);
    m->primary_has = (int)get_flag(r, 1);
    get_tags(r, m);
    get_maintainers(r, m);
    get_tables(r);
    n = get_count(r, VERSION_MIN_BYTES);
    if (!r->bad)
        pg_meta_reserve(m, n);
    for (size_t i = 0; i < n && !r->bad; i++)
        get_version(r, m);
    check_tables(r);
    return m;
}

static struct pg_meta *decode(struct rd *r, size_t len, struct pg_err *err)
{
    const unsigned char *buf = r->p;
    struct pg_meta *m;

    if (len < 2 * PG_METACODEC_MARK + 1 || memcmp(buf, PG_METACODEC_MAGIC, PG_METACODEC_MARK) != 0) {
        pg_err_set(err, "not a facts record");
        return NULL;
    }
    if (buf[PG_METACODEC_MARK] != PG_METACODEC_VERSION) {
        pg_err_set(err, "unknown facts format %u", buf[PG_METACODEC_MARK]);
        return NULL;
    }
    r->p += PG_METACODEC_MARK + 1;
    r->end -= PG_METACODEC_MARK;
    if (memcmp(r->end, PG_METACODEC_END, PG_METACODEC_MARK) != 0)
        fail(r, "facts record truncated");
    m = get_meta(r);
    if (!r->bad && r->p != r->end)
        fail(r, "facts record has bytes after its end");
    free(r->repos);
    free(r->depsets);
    if (r->bad) {
        pg_meta_free(m);
        pg_err_set(err, "%s", r->why);
        return NULL;
    }
    m->skimmed = r->keep != NULL;
    return m;
}

struct pg_meta *pg_metacodec_decode(const void *buf, size_t len, struct pg_err *err)
{
    struct rd r = {.p = buf, .end = (const unsigned char *)buf + len};

    return decode(&r, len, err);
}

struct pg_meta *pg_metacodec_decode_keep(const void *buf, size_t len, const char *const *keep,
                                         size_t nkeep, struct pg_err *err)
{
    struct rd r = {.p = buf, .end = (const unsigned char *)buf + len};

    r.keep = nkeep ? keep : NULL;
    r.nkeep = nkeep;
    return decode(&r, len, err);
}
