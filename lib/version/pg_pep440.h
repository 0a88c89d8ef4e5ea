/*
 * pg_pep440.h - Python versions and specifiers as pip sees them (PEP 440).
 *
 * Semantics are those of `packaging` 24.2, which pip 25 vendors
 * (packaging.version.Version and packaging.specifiers.SpecifierSet): the
 * same normalisation ("1.0-ALPHA.1" is "1.0a1"), the same ordering with its
 * special cases (1.0.dev0 < 1.0a1 < 1.0 < 1.0+local < 1.0.post1), the same
 * operator rules (`==1.0.*` with zero padding, `<` and `>` excluding
 * pre/post/local releases of the bound itself, `~=`, `===`), and the same
 * prerelease rules. packaging 23 differs only in that `<V` and `>V` with a
 * prerelease V did not admit prereleases; packaging 26 reworked prerelease
 * handling and is not followed.
 *
 * Numbers are arbitrary-precision as in Python (kept as digit strings).
 * Deviations, for untrusted input: a version longer than PG_PEP440_MAX_LEN
 * or with more than PG_PEP440_MAX_PARTS release or local parts is invalid;
 * a specifier set longer than PG_PEP440_SPEC_MAX is invalid; whitespace is
 * ASCII (plus \x1c-\x1f, which Python also strips).
 */
#ifndef PG_PEP440_H
#define PG_PEP440_H

#include <stddef.h>
#include <stdint.h>

#include "pg_err.h"
#include "pg_meta.h"
#include "pg_util.h"

#define PG_PEP440_MAX_LEN   512
#define PG_PEP440_MAX_PARTS 128
#define PG_PEP440_SPEC_MAX  4096

/* A number as its decimal digits in text, leading zeros dropped (len 0 is 0). */
struct pg_pep440_num {
    uint16_t off, len;
};

/*
 * A parsed version. A value type: no allocation, copy freely (it is big,
 * about 1.6 KiB: pass pointers). Read it through the functions below.
 */
struct pg_pep440 {
    char text[PG_PEP440_MAX_LEN + 1]; /* the input, lowercased; nums point here */
    struct pg_pep440_num epoch;
    struct pg_pep440_num release[PG_PEP440_MAX_PARTS];
    size_t nrelease;
    char pre; /* 0, 'a', 'b' or 'c' (rc) */
    struct pg_pep440_num pre_n;
    int has_post, has_dev;
    struct pg_pep440_num post_n, dev_n;
    struct {
        uint16_t off, len;
        int numeric; /* digits only: compares as a number */
    } local[PG_PEP440_MAX_PARTS];
    size_t nlocal; /* 0: no local version label */
};

/*
 * Parse like `Version(s)`: surrounding whitespace, a leading 'v', any case
 * and every alternative spelling are accepted. 0, or -1 with err set
 * ("invalid version '...'").
 */
int pg_pep440_parse(const char *s, struct pg_pep440 *out, struct pg_err *err);

/*
 * How pg_pep440_format prints: PUBLIC drops the local label (Version.public);
 * CANONICAL strips trailing ".0"s of the release, as
 * packaging.utils.canonicalize_version does.
 */
#define PG_PEP440_FMT_PUBLIC    0x1
#define PG_PEP440_FMT_CANONICAL 0x2

/* Append the normalised form (`str(Version(s))`, "1!2.0rc1.post0.dev3+a.1"). */
void pg_pep440_format(const struct pg_pep440 *v, unsigned flags, struct pg_sb *out);

/* <0, 0, >0 by PEP 440 order. "1.0" and "1.0.0" compare equal. */
int pg_pep440_cmp(const struct pg_pep440 *a, const struct pg_pep440 *b);

/* Version.is_prerelease: a pre or a dev segment. */
int pg_pep440_is_prerelease(const struct pg_pep440 *v);

/*
 * A compiled specifier set (">=1.0,!=1.3.*"; "" is the empty set). Opaque;
 * free with pg_pep440_specset_free (NULL allowed).
 */
struct pg_pep440_specset;

/* `SpecifierSet(s)`; NULL with err set ("invalid specifier '...'"). Caller frees. */
struct pg_pep440_specset *pg_pep440_specset_parse(const char *s, struct pg_err *err);
void pg_pep440_specset_free(struct pg_pep440_specset *set);

/*
 * `SpecifierSet.contains(v, prereleases=True if pre else None)`: with pre 0
 * a prerelease is in only if some specifier other than != names a
 * prerelease (">=2.0b1", "<2.0.dev0");
 * the empty set then holds no prerelease. 1 or 0.
 */
int pg_pep440_specset_contains(const struct pg_pep440_specset *set, const struct pg_pep440 *v,
                               int pre);

/* 1 if the set names an exact version (`==` without `.*`, or `===`): pip's "pinned". */
int pg_pep440_specset_pinned(const struct pg_pep440_specset *set);

/* pg_pep440_specset_contains from text; -1 if either does not parse. */
int pg_pep440_satisfies(const char *version, const char *specset, int pre);

/*
 * `SpecifierSet.filter(versions, prereleases=True if pre else None)`: sets
 * keep[i] to 1 for each versions[i] that passes, 0 otherwise (versions[i]
 * NULL, as for an unparsable version, never passes). Besides the
 * contains() rule, an empty set with pre 0 lets prereleases through when
 * no final release was offered (packaging 23 to 25 do this for the empty
 * set only; a non-empty set never falls back to prereleases).
 */
void pg_pep440_specset_filter(const struct pg_pep440_specset *set,
                              const struct pg_pep440 *const *versions, size_t n, int pre,
                              int *keep);

/*
 * The version pip would install for `name<specset>` from the index data in
 * m (m->eco must be PG_ECO_PYPI), as pip 23+ chooses:
 *   - versions that are not valid PEP 440 are skipped (pip ignores them);
 *   - before > 0 keeps versions published at or before that Unix time; a
 *     version whose time is unknown (-1) is then skipped too (fail safe);
 *   - the rest go through pg_pep440_specset_filter (pre is pip --pre);
 *   - the highest remaining wins, yanked versions (PEP 592, yanked == 1)
 *     excluded unless the set is pinned (`==1.2`, `===1.2`) and every
 *     remaining candidate is yanked, as pip's resolver does.
 * Among equal versions ("1.0" and "1.0.0") the first in m wins.
 * Returns a pointer into m->versions (borrowed), or NULL with err set:
 * "invalid specifier '...'", "no version of requests matches '>=9'"
 * (with "(all matching versions are yanked)" when that is why).
 */
const struct pg_meta_version *pg_pep440_pick(const struct pg_meta *m, const char *specset, int pre,
                                             int64_t before, struct pg_err *err);

/*
 * What pip's finder knows beyond the specifier. kinds: the file kinds pip
 * may take for this project (PG_META_WHEEL | PG_META_SDIST; 0 is both), from
 * --only-binary / --no-binary. python: the version of the interpreter pip
 * runs on ("3.11.7"): files whose requires-python excludes it are skipped;
 * NULL does not apply requires-python. prefer_binary: --prefer-binary.
 */
struct pg_pep440_target {
    int pre;
    unsigned kinds;
    const char *python;
    int prefer_binary;
};

/*
 * pg_pep440_pick with pip's file filters: a version counts only when one
 * of its files (pg_meta_version.files; a version without files always
 * counts) passes them; with prefer_binary the newest version that has a
 * usable wheel wins over newer ones with an sdist alone.
 */
const struct pg_meta_version *pg_pep440_pick_for(const struct pg_meta *m, const char *specset,
                                                 const struct pg_pep440_target *t,
                                                 int64_t before, struct pg_err *err);

#endif
