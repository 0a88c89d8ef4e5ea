/*
 * pg_metacodec.c - struct pg_meta to and from its compact record
 * (pg_metacodec.h).
 *
 * The decoder trusts nothing: a record comes from a cache file that
 * another process, a crash or a disk may have mangled. Each read checks
 * the bytes left; each count is bounded by them (every element takes at
 * least one byte), so a corrupt count cannot make it allocate much.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_metacodec.h"
#include "banned.h"

static const char magic[4] = {'P', 'G', 'M', 'F'};
static const char endmark[4] = {'E', 'N', 'D', '!'};

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

/* ---- writing ---- */

static void put_u(struct pg_sb *sb, uint64_t v)
{
    char b[10];
    size_t n = 0;

    do {
        b[n] = (char)(v & 0x7f);
        v >>= 7;
        if (v)
            b[n] |= (char)0x80;
        n++;
    } while (v);
    pg_sb_add(sb, b, n);
}

static void put_i(struct pg_sb *sb, int64_t v)
{
    put_u(sb, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void put_s(struct pg_sb *sb, const char *s)
{
    size_t n;

    if (!s) {
        put_u(sb, 0);
        return;
    }
    n = strlen(s);
    put_u(sb, (uint64_t)n + 1);
    pg_sb_add(sb, s, n);
}

static void put_version(struct pg_sb *sb, const struct pg_meta_version *v)
{
    put_s(sb, v->version);
    put_i(sb, v->published);
    put_i(sb, v->deprecated);
    put_s(sb, v->deprecated_msg);
    put_i(sb, v->yanked);
    put_s(sb, v->yanked_reason);
    put_i(sb, v->install_scripts);
    put_s(sb, v->integrity);
    put_s(sb, v->tarball);
    put_s(sb, v->shasum);
    put_s(sb, v->publisher);
    put_s(sb, v->publisher_workflow);
    put_s(sb, v->provenance_url);
    put_i(sb, v->evidence);
    put_s(sb, v->signatures_json);
    put_i(sb, v->elsewhere);
    put_s(sb, v->engines_node);
    put_s(sb, v->engines_npm);
    put_u(sb, v->nfiles);
    for (size_t i = 0; i < v->nfiles; i++) {
        put_u(sb, v->files[i].kind);
        put_s(sb, v->files[i].requires_python);
        put_s(sb, v->files[i].url);
        put_s(sb, v->files[i].core_metadata);
        put_s(sb, v->files[i].filename);
        put_s(sb, v->files[i].sha256);
        put_s(sb, v->files[i].provenance_url);
    }
    put_s(sb, v->local_file);
    put_u(sb, v->ndeps);
    for (size_t i = 0; i < v->ndeps; i++) {
        put_s(sb, v->deps[i].name);
        put_s(sb, v->deps[i].spec);
        put_u(sb, (uint64_t)v->deps[i].kind);
        put_u(sb, v->deps[i].bundled != 0);
    }
    put_u(sb, (uint64_t)v->deps_state);
    put_u(sb, v->has_shrinkwrap != 0);
    put_s(sb, v->attestations_url);
    put_s(sb, v->repository);
}

void pg_metacodec_encode(const struct pg_meta *m, struct pg_sb *out)
{
    pg_sb_add(out, magic, sizeof(magic));
    pg_sb_addc(out, (char)PG_METACODEC_VERSION);
    put_u(out, (uint64_t)m->eco);
    put_s(out, m->name);
    put_u(out, m->exists != 0);
    put_i(out, m->created);
    put_i(out, m->modified);
    put_s(out, m->status);
    put_u(out, m->primary_has != 0);
    put_u(out, m->ntags);
    for (size_t i = 0; i < m->ntags; i++) {
        put_s(out, m->tag_names[i]);
        put_s(out, m->tag_versions[i]);
    }
    put_u(out, m->nmaintainers);
    for (size_t i = 0; i < m->nmaintainers; i++)
        put_s(out, m->maintainers[i]);
    put_u(out, m->nversions);
    for (size_t i = 0; i < m->nversions; i++)
        put_version(out, &m->versions[i]);
    pg_sb_add(out, endmark, sizeof(endmark));
}

/* ---- reading ---- */

struct rd {
    const unsigned char *p, *end;
    int bad; /* sticky: after the first error every read yields 0 / NULL */
    const char *why;
    const char *const *keep; /* NULL: every version whole */
    size_t nkeep;
};

static void fail(struct rd *r, const char *why)
{
    if (!r->bad)
        r->why = why;
    r->bad = 1;
}

static uint64_t get_u(struct rd *r)
{
    uint64_t v = 0;

    /* One spelling per number: no padding zero groups, nothing past 64 bits. */
    for (unsigned shift = 0; !r->bad; shift += 7) {
        if (r->p >= r->end)
            fail(r, "facts record truncated");
        else if ((shift == 63 && *r->p > 1) || (shift && *r->p == 0))
            fail(r, "facts record holds an overlong number");
        if (r->bad)
            break;
        v |= (uint64_t)(*r->p & 0x7f) << shift;
        if (!(*r->p++ & 0x80))
            return v;
    }
    return 0;
}

static int64_t get_i(struct rd *r)
{
    uint64_t u = get_u(r);

    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* A tri-state (-1, 0, 1) or a small enum in [lo, hi]. */
static int get_small(struct rd *r, int lo, int hi)
{
    int64_t v = get_i(r);

    if (v < lo || v > hi) {
        fail(r, "facts record holds a value out of range");
        return lo;
    }
    return (int)v;
}

static unsigned get_flag(struct rd *r, unsigned hi)
{
    uint64_t v = get_u(r);

    if (v > hi) {
        fail(r, "facts record holds a value out of range");
        return 0;
    }
    return (unsigned)v;
}

/* A count of things each at least `each` bytes long: bounded by what is left. */
static size_t get_count(struct rd *r, size_t each)
{
    uint64_t n = get_u(r);

    if (!r->bad && n > (uint64_t)(r->end - r->p) / each) {
        fail(r, "facts record holds an impossible count");
        return 0;
    }
    return (size_t)n;
}

/* A string's bytes, checked, and the reader moved past them; NULL: none. */
static const unsigned char *at_s(struct rd *r, size_t *len)
{
    uint64_t n = get_u(r);
    const unsigned char *s = r->p;

    if (r->bad || n == 0)
        return NULL;
    n--;
    if (n > (uint64_t)(r->end - r->p)) {
        fail(r, "facts record truncated");
        return NULL;
    }
    if (memchr(r->p, '\0', (size_t)n)) {
        fail(r, "facts record holds a NUL in a string");
        return NULL;
    }
    r->p += n;
    *len = (size_t)n;
    return s;
}

static char *get_s(struct rd *r)
{
    size_t n = 0;
    const unsigned char *s = at_s(r, &n);

    return s ? pg_xstrndup((const char *)s, n) : NULL;
}

/* A string a skimmed version does without: checked as get_s, not kept. */
static char *skip_s(struct rd *r, int keep)
{
    size_t n = 0;

    if (keep)
        return get_s(r);
    (void)at_s(r, &n);
    return NULL;
}

/* A string that must be there (a name, a version). */
static char *get_req(struct rd *r)
{
    char *s = get_s(r);

    if (!s && !r->bad)
        fail(r, "facts record lacks a required string");
    return s;
}

/* A string that must be there, kept only when keep is set. */
static char *req_s(struct rd *r, int keep)
{
    size_t n = 0;

    if (keep)
        return get_req(r);
    if (!at_s(r, &n) && !r->bad)
        fail(r, "facts record lacks a required string");
    return NULL;
}

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

static void get_deps(struct rd *r, struct pg_meta_version *v, int whole)
{
    size_t n = get_count(r, 4);
    struct pg_meta_dep skipped;

    v->deps = n && whole ? pg_xcalloc(n, sizeof(*v->deps)) : NULL;
    for (size_t i = 0; i < n && !r->bad; i++) {
        struct pg_meta_dep *d = whole ? &v->deps[v->ndeps++] : &skipped;

        d->name = req_s(r, whole);
        d->spec = req_s(r, whole);
        d->kind = (enum pg_dep_kind)get_flag(r, PG_DEP_PEER_OPTIONAL);
        d->bundled = (int)get_flag(r, 1);
    }
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

static void get_version(struct rd *r, struct pg_meta *m)
{
    char *ver = get_req(r);
    struct pg_meta_version *v;
    const unsigned char *integ = NULL;
    size_t ilen = 0;
    int w;

    if (r->bad)
        return;
    w = whole(r, ver);
    v = pg_meta_add_version(m, ver);
    free(ver);
    v->published = get_i(r);
    v->deprecated = get_small(r, -1, 1);
    v->deprecated_msg = skip_s(r, w);
    v->yanked = get_small(r, -1, 1);
    v->yanked_reason = skip_s(r, w);
    v->install_scripts = get_small(r, -1, 1);
    if (w)
        v->integrity = get_s(r);
    else
        integ = at_s(r, &ilen);
    v->tarball = skip_s(r, w);
    v->shasum = skip_s(r, w);
    v->publisher = get_s(r);
    v->publisher_workflow = get_s(r);
    v->provenance_url = get_s(r);
    v->evidence = (enum pg_evidence)get_small(r, PG_EVID_UNKNOWN, PG_EVID_TRUSTED_PUBLISHER);
    v->signatures_json = skip_s(r, w);
    v->elsewhere = get_small(r, 0, 1);
    v->engines_node = get_s(r);
    v->engines_npm = get_s(r);
    get_files(r, v);
    v->local_file = get_s(r);
    get_deps(r, v, w);
    v->deps_state = (enum pg_deps_state)get_flag(r, PG_DEPS_UNKNOWN);
    v->has_shrinkwrap = (int)get_flag(r, 1);
    v->attestations_url = get_s(r);
    /* An attested release may be the one the provenance round verifies
     * for provenance_downgrade (pg_rules_prov_earlier): against its
     * integrity and its package.json repository. */
    v->repository = skip_s(r, w || v->attestations_url || v->provenance_url);
    if (integ && !r->bad && (v->attestations_url || v->provenance_url))
        v->integrity = pg_xstrndup((const char *)integ, ilen);
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
    n = get_count(r, 20);
    for (size_t i = 0; i < n && !r->bad; i++)
        get_version(r, m);
    return m;
}

static struct pg_meta *decode(struct rd *r, size_t len, struct pg_err *err)
{
    const unsigned char *buf = r->p;
    struct pg_meta *m;

    if (len < sizeof(magic) + 1 + sizeof(endmark) || memcmp(buf, magic, sizeof(magic)) != 0) {
        pg_err_set(err, "not a facts record");
        return NULL;
    }
    if (buf[sizeof(magic)] != PG_METACODEC_VERSION) {
        pg_err_set(err, "unknown facts format %u", buf[sizeof(magic)]);
        return NULL;
    }
    r->p += sizeof(magic) + 1;
    r->end -= sizeof(endmark);
    if (memcmp(r->end, endmark, sizeof(endmark)) != 0)
        fail(r, "facts record truncated");
    m = get_meta(r);
    if (!r->bad && r->p != r->end)
        fail(r, "facts record has bytes after its end");
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
    struct rd r = {buf, (const unsigned char *)buf + len, 0, NULL, NULL, 0};

    return decode(&r, len, err);
}

struct pg_meta *pg_metacodec_decode_keep(const void *buf, size_t len, const char *const *keep,
                                         size_t nkeep, struct pg_err *err)
{
    struct rd r = {buf, (const unsigned char *)buf + len, 0, NULL, nkeep ? keep : NULL, nkeep};

    return decode(&r, len, err);
}
