/*
 * pg_typo_int.h - inside the typosquat index: table layout, skeletons,
 * hashing. Shared by lib/pg_typo*.c and the build-time generator
 * data/gen_typo.c, so that the tables compiled in and the code reading them
 * agree on every byte. Not a public interface.
 *
 * Skeletons. Names are compared through a "skeleton": lowercase ASCII
 * letters and digits only, separators (- _ . and npm's @ /) dropped.
 * Optional steps (flags below): fold confusables (0->o, 1->l, rn->m, vv->w,
 * Unicode lookalikes to their ASCII letter) and collapse runs of one letter
 * ("pasportt" -> "pasport"). A character that has no ASCII lookalike becomes
 * '~', which no popular name contains. The index is keyed by the folded,
 * collapsed skeleton (the "key skeleton"); the other forms tell apart, for
 * one match, a separator game from a homoglyph from a doubled letter.
 *
 * Tables. Per ecosystem one struct pg_typo_set: entries sorted by name
 * (bytes), so an npm scope's packages are contiguous; each has its name,
 * key skeleton, monthly downloads and flags. Four hash indexes map a key to
 * candidate entry ids; they store no keys, so a bucket may also hold ids of
 * other keys that hashed alike, and every candidate is verified:
 *   by_name  the name as pg_typo normalises it (exact lookup)
 *   by_skel  the key skeleton
 *   by_seg   (skeleton length L, segment i, segment text): the key skeleton
 *            cut into pg_typo_kf(L) + 1 segments (pass-join: a string within
 *            k edits of s contains one of s's k + 1 segments unchanged, near
 *            its place)
 *            (its ids carry the skeleton length above PG_TYPO_SEG_LEN_SHIFT)
 *   by_tok   the name's words sorted and joined with '-' (names of 2+ words)
 * Everything is const data: nothing is parsed or built at start-up.
 */
#ifndef PG_TYPO_INT_H
#define PG_TYPO_INT_H

#include <stddef.h>
#include <stdint.h>

#include "pg_req.h"

/* Longest key skeleton that gets approximate matching (longer: exact only). */
#define PG_TYPO_SKEL_MAX 64
/* Longest name looked at; npm's limit is 214, longer input is cut here. */
#define PG_TYPO_NAME_MAX 256

/* by_seg ids: entry id in the low bits, key skeleton length above. */
#define PG_TYPO_SEG_LEN_SHIFT 24
#define PG_TYPO_SEG_ID_MASK   ((1u << PG_TYPO_SEG_LEN_SHIFT) - 1)

/* Entry flags. */
#define PG_TYPO_F_TARGET 1u /* may be named as the package a squat imitates */

struct pg_typo_csr {
    uint32_t mask;         /* buckets - 1 (buckets is a power of two) */
    const uint32_t *start; /* [mask + 2]: bucket b holds ids[start[b] .. start[b+1]) */
    const uint32_t *ids;
};

struct pg_typo_set {
    uint32_t n;
    const char *names;        /* NUL-separated */
    const uint32_t *name_off; /* [n] */
    const char *skels;        /* key skeletons, NUL-separated */
    const uint32_t *skel_off; /* [n] */
    const uint8_t *skel_len;  /* [n], capped at 255 */
    const uint32_t *letters;  /* [n] pg_typo_letters() of the key skeleton */
    const uint32_t *pop;      /* [n] downloads a month (PyPI: estimated) */
    const uint8_t *flags;     /* [n] PG_TYPO_F_* */
    const uint32_t *first;    /* scopes only: [n] first package id in scope */
    const uint32_t *count;    /* scopes only: [n] number of packages */
    struct pg_typo_csr by_name, by_skel, by_seg, by_tok;
};

/*
 * Established names beyond the known ones (data/established-npm.txt): only
 * 32-bit fingerprints, pg_typo_hash(seed PG_TYPO_H_EST, name as normalised),
 * sorted. 4 bytes a name where the names themselves take 13; a name not on
 * the list collides with probability n / 2^32. A lookup reads start[] for
 * its top PG_TYPO_FP_BITS and bisects that bucket (some 32 values): two
 * pages touched, where bisecting all of v would fault in some 17 at start-up.
 */
#define PG_TYPO_FP_BITS 12
struct pg_typo_fps {
    uint32_t n;
    const uint32_t *v;     /* [n], ascending, no duplicates */
    const uint32_t *start; /* [2^PG_TYPO_FP_BITS + 1]: bucket b is v[start[b] .. start[b+1]) */
};

struct pg_typo {
    struct pg_typo_set pypi;
    struct pg_typo_set npm;
    struct pg_typo_set scopes; /* npm scopes that hold a known package, without '@' */
    struct pg_typo_fps est_pypi, est_npm;
    const char *snapshot; /* "2026-12-07": when the registry lists were taken */
};

/* The compiled-in index (generated: ${build}/data/pg_typo_data.c). */
extern const struct pg_typo pg_typo_builtin_index;

/* Skeleton flags. */
#define PG_SKEL_FOLD     1u /* confusables folded to one letter */
#define PG_SKEL_COLLAPSE 2u /* runs of one character collapsed */
#define PG_SKEL_KEY      (PG_SKEL_FOLD | PG_SKEL_COLLAPSE)

/*
 * Write the skeleton of name[0..n) into out (NUL-terminated, at most cap - 1
 * characters). Returns the length, or cap when it did not fit (out then
 * holds a truncated skeleton). npm drops '@' and '/' too.
 */
size_t pg_typo_skel(enum pg_eco eco, const char *name, size_t n, unsigned flags, char *out,
                    size_t cap);

/* Turn a plain skeleton (no flags) into a key skeleton, in place. */
size_t pg_typo_rekey(char *s, size_t n);

/* Collapse runs of one character in s (in place); returns the new length. */
size_t pg_typo_collapse(char *s, size_t n);

/*
 * The set of characters in a key skeleton as 32 bits (a-z, digits folded
 * in 5 bits, '~'). k edits change at most 2k bits, so two skeletons whose
 * sets differ more cannot be within k edits: a one-instruction filter.
 */
uint32_t pg_typo_letters(const char *s, size_t n);

/* Hash kinds, mixed into the seed so the indexes never share keys. */
enum pg_typo_hkind {
    PG_TYPO_H_NAME = 1,
    PG_TYPO_H_SKEL = 2,
    PG_TYPO_H_TOK = 3,
    PG_TYPO_H_SEG = 4,
    PG_TYPO_H_EST = 5,
};

/* FNV-1a over s[0..n) from a seed, finished with a 32-bit avalanche. */
uint32_t pg_typo_hash(uint32_t seed, const char *s, size_t n);
uint32_t pg_typo_seed(enum pg_typo_hkind kind, unsigned len, unsigned seg);

/* 1 when norm[0..n) (pg_typo_query's norm) is on the established list. */
int pg_typo_est_has(const struct pg_typo *idx, enum pg_eco eco, const char *norm, size_t n);

/* Edits allowed by the pass-join filter for a key skeleton of length L. */
int pg_typo_kf(size_t len);
/* Start and length of segment i (of kf + 1) of a key skeleton of length L. */
void pg_typo_segment(size_t len, int kf, int i, size_t *start, size_t *seglen);

/*
 * The words of a normalised name sorted and joined with '-' into out (cap
 * bytes). Returns the number of words, or 0 when out is too small. npm scope
 * punctuation is dropped, so "@babel/core" gives "babel-core".
 */
size_t pg_typo_words(const char *norm, char *out, size_t cap);

/*
 * One checked name, prepared once (pg_typo_query_init) and compared with
 * many targets (pg_typo_relate). Lives on the stack: no allocation.
 */
#define PG_TYPO_MAX_REM 32
#define PG_TYPO_BUF     (PG_TYPO_NAME_MAX + 1)

struct pg_typo_rem {
    char key[PG_TYPO_SKEL_MAX + 1]; /* key skeleton of what is left */
    char affix[24];                 /* what was taken away, "node+ts", or
                                     * swapped, "py>python" */
    int swap;                       /* a synonym swapped, not an affix taken */
};

/* Pattern bitmasks for pg_typo_osa_bits (patterns of 1 to 64 characters). */
struct pg_typo_peq {
    uint64_t eq[256];
    size_t m; /* 0: pattern too long, every distance is max + 1 */
};

struct pg_typo_query {
    enum pg_eco eco;
    char norm[PG_TYPO_BUF]; /* PyPI: PEP 503; npm: as written */
    char key[PG_TYPO_BUF];  /* folded, collapsed */
    char fold[PG_TYPO_BUF]; /* folded */
    char plain[PG_TYPO_BUF];
    char pcol[PG_TYPO_BUF]; /* plain, collapsed */
    size_t klen;
    char words[PG_TYPO_BUF];
    size_t nwords;
    /* npm "@scope/base": lengths into norm; scope_len 0 when unscoped */
    size_t scope_len;
    const char *base;
    char scope_key[PG_TYPO_BUF];
    /* The scope looks like an established one: only then is "@scope/x"
     * read as imitating an unscoped x (orgs publish @org/react freely). */
    int scope_suspicious;
    char base_key[PG_TYPO_BUF];
    struct pg_typo_rem rem[PG_TYPO_MAX_REM];
    size_t nrem;
    uint32_t pop; /* the name's own popularity when known */
    int known;
    struct pg_typo_peq peq; /* of key, for distances to many targets */
};

/* What one target is to the query. */
struct pg_typo_rel {
    int kind;     /* enum pg_typo_kind */
    double score;
    char detail[64];
};

/* Prepare q for name; returns 0 when the name cannot be checked. */
int pg_typo_query_init(struct pg_typo_query *q, enum pg_eco eco, const char *name);

/*
 * Relate q to one target (its name as the index stores it, and its key
 * skeleton, or NULL to compute it). loose: suggestion mode (one edit on
 * short names too). Returns 1 and fills *r when the target is imitated.
 */
int pg_typo_relate(const struct pg_typo_query *q, const char *tname, const char *tkey,
                   int loose, struct pg_typo_rel *r);

/* Fill q->rem: what is left of q's name without the affixes squatters add
 * (pg_typo_affix.c). */
void pg_typo_make_remainders(struct pg_typo_query *q);

/*
 * Key skeleton s[0..n) is whole[0..wn) with one affix added before or after
 * it ("azuresdk" is "azure" + "sdk"); whole is 3 characters or more.
 */
int pg_typo_affixed(const char *s, size_t n, const char *whole, size_t wn);

/* The key skeletons s[0..n) leaves with one affix taken away, up to max of
 * them into out; returns how many. */
size_t pg_typo_unaffix(const char *s, size_t n, char (*out)[PG_TYPO_SKEL_MAX + 1], size_t max);

void pg_typo_peq_init(struct pg_typo_peq *pe, const char *a, size_t m);
int pg_typo_osa_bits(const struct pg_typo_peq *pe, const char *b, size_t n, int max);

/* Edits between q and tname as written (normalised), at most 5. */
int pg_typo_written_edits(const struct pg_typo_query *q, const char *tname);

/* Damerau (OSA) distance between a and b, or max + 1 when above max. */
int pg_typo_osa(const char *a, size_t la, const char *b, size_t lb, int max);

#endif
