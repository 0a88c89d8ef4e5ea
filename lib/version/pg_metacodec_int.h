/*
 * pg_metacodec_int.h - what the facts record's writer
 * (pg_metacodec_enc.c) and reader (pg_metacodec.c) must agree on beyond
 * the layout in pg_metacodec.h. Internal to those two files.
 */
#ifndef PG_METACODEC_INT_H
#define PG_METACODEC_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pg_util.h"

#define PG_METACODEC_MAGIC "PGMF"
#define PG_METACODEC_END "END!"
#define PG_METACODEC_MARK 4 /* bytes of either */

/* tarball_code: 0 NULL, 1 tarball_prefix + version + ".tgz", n + 2 a literal of n bytes. */
#define PG_METACODEC_TGZ_NONE 0u
#define PG_METACODEC_TGZ_PREFIX 1u
#define PG_METACODEC_TGZ_LITERAL 2u

/*
 * If the n bytes at s are "<prefix><version>.tgz" with a non-empty prefix,
 * the prefix's length; else SIZE_MAX. The record's tarball_prefix is that
 * prefix of the first version for which there is one.
 */
size_t pg_metacodec_tgz_prefix(const char *s, size_t n, const char *version);

/*
 * ---- the checked reader under pg_metacodec.c's grammar ----
 *
 * Every read here checks the bytes left and is sticky on the first
 * error, so the grammar above it (pg_metacodec.c) reads field after field
 * without a bounds check of its own. Inline: a skim makes some twenty of
 * these reads a version.
 */

struct span {
    const unsigned char *p; /* into the record */
    size_t n;
};

struct rd {
    const unsigned char *p, *end;
    int bad; /* sticky: after the first error every read yields 0 / NULL */
    const char *why;
    const char *const *keep; /* NULL: every version whole, every check made */
    size_t nkeep;
    struct span prefix;      /* tarball_prefix; p NULL: none */
    int prefix_used;         /* a version so far had tarball code 1 */
    struct span *repos, *depsets;
    size_t nrepos, ndepsets;
    size_t repos_used, depsets_used; /* entries referred to so far */
};

static inline void fail(struct rd *r, const char *why)
{
    if (!r->bad)
        r->why = why;
    r->bad = 1;
}

static inline uint64_t get_u(struct rd *r)
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

static inline int64_t get_i(struct rd *r)
{
    uint64_t u = get_u(r);

    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* A tri-state (-1, 0, 1) or a small enum in [lo, hi]. */
static inline int get_small(struct rd *r, int lo, int hi)
{
    int64_t v = get_i(r);

    if (v < lo || v > hi) {
        fail(r, "facts record holds a value out of range");
        return lo;
    }
    return (int)v;
}

static inline unsigned get_flag(struct rd *r, unsigned hi)
{
    uint64_t v = get_u(r);

    if (v > hi) {
        fail(r, "facts record holds a value out of range");
        return 0;
    }
    return (unsigned)v;
}

/* A count of things each at least `each` bytes long: bounded by what is left. */
static inline size_t get_count(struct rd *r, size_t each)
{
    uint64_t n = get_u(r);

    if (!r->bad && n > (uint64_t)(r->end - r->p) / each) {
        fail(r, "facts record holds an impossible count");
        return 0;
    }
    return (size_t)n;
}

/* A string's bytes, checked, and the reader moved past them; NULL: none. */
static inline const unsigned char *at_s(struct rd *r, size_t *len)
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

static inline char *get_s(struct rd *r)
{
    size_t n = 0;
    const unsigned char *s = at_s(r, &n);

    return s ? pg_xstrndup((const char *)s, n) : NULL;
}

/* A string a skimmed version does without: checked as get_s, not kept. */
static inline char *skip_s(struct rd *r, int keep)
{
    size_t n = 0;

    if (keep)
        return get_s(r);
    (void)at_s(r, &n);
    return NULL;
}

/* A string that must be there (a name, a version). */
static inline char *get_req(struct rd *r)
{
    char *s = get_s(r);

    if (!s && !r->bad)
        fail(r, "facts record lacks a required string");
    return s;
}

/* A string that must be there, kept only when keep is set. */
static inline char *req_s(struct rd *r, int keep)
{
    size_t n = 0;

    if (keep)
        return get_req(r);
    if (!at_s(r, &n) && !r->bad)
        fail(r, "facts record lacks a required string");
    return NULL;
}

static inline void not_canonical(struct rd *r)
{
    fail(r, "facts record is not in canonical form");
}

/*
 * Read the n bytes at s as reader r would read them where they are (a
 * depset, a version's TAIL): every read bounded by them, then back.
 */
struct saved {
    const unsigned char *p, *end;
};

static inline struct saved enter(struct rd *r, const unsigned char *s, size_t n)
{
    struct saved was = {r->p, r->end};

    r->p = s;
    r->end = s + n;
    return was;
}

/* Leave the n bytes entered; they must all have been read. */
static inline void leave(struct rd *r, struct saved was)
{
    if (!r->bad && r->p != r->end)
        fail(r, "facts record holds a misstated length");
    r->p = was.p;
    r->end = was.end;
}

/* n bytes that must be there: where they start, the reader past them. */
static inline const unsigned char *get_bytes(struct rd *r, uint64_t n)
{
    const unsigned char *s = r->p;

    if (r->bad)
        return NULL;
    if (n > (uint64_t)(r->end - r->p)) {
        fail(r, "facts record truncated");
        return NULL;
    }
    r->p += n;
    return s;
}

#endif
