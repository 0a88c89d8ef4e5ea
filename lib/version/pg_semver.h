/*
 * pg_semver.h - npm's version grammar, as node-semver 7 speaks it.
 *
 * Everything here follows node-semver 7.x with loose=false (the mode npm
 * uses for `semver.satisfies` in most places): `semver.valid`, `compare`,
 * `new Range(...)`, `Range.test`, `satisfies`. Ranges are desugared by the
 * same string rewrites node-semver applies (hyphen ranges, comparator
 * whitespace trimming, ~ and ^ trimming, caret, tilde, x-range and star
 * expansion, >=0.0.0 elision), so odd inputs such as "1.2.3 - v 2" or "**"
 * succeed or fail exactly as node-semver's do. The desugared form can be
 * printed (pg_semver_range_format) and matches `new Range(r).range`.
 *
 * Deviations, all for untrusted input or C:
 *   - whitespace is the ASCII set (space, \t \n \v \f \r); node-semver's
 *     \s also knows U+00A0, U+2028 and friends, which here are invalid;
 *   - a range longer than PG_SEMVER_RANGE_MAX bytes is rejected (node-semver
 *     has no cap; versions are capped at 256 like node-semver's MAX_LENGTH);
 *   - loose mode (npm's "1.2.3beta", "01.2.3") is not implemented: such
 *     strings are invalid here.
 * Build metadata is accepted and ignored by every comparison.
 */
#ifndef PG_SEMVER_H
#define PG_SEMVER_H

#include <stdint.h>

#include "pg_err.h"
#include "pg_meta.h"

#define PG_SEMVER_MAX_LEN   256                 /* node-semver MAX_LENGTH */
#define PG_SEMVER_RANGE_MAX 4096                /* ours: longest range text accepted */
#define PG_SEMVER_MAX_SAFE  9007199254740991ULL /* JS Number.MAX_SAFE_INTEGER */

/* Flags for ranges. */
#define PG_SEMVER_INCLUDE_PRERELEASE 0x1 /* node-semver { includePrerelease: true } */

/*
 * A parsed version. A value type: no allocation, copy freely.
 * pre holds the prerelease identifiers as written ("alpha.1"), "" if none.
 */
struct pg_semver {
    uint64_t major, minor, patch; /* each <= PG_SEMVER_MAX_SAFE */
    char pre[PG_SEMVER_MAX_LEN + 1];
};

/*
 * Parse like `new SemVer(s)`: surrounding whitespace and one leading 'v' are
 * allowed ("v1.2.3", " 1.2.3 "); "=1.2.3" is not (that is `clean`'s job).
 * Returns 0, or -1 with err set ("invalid version '...'").
 */
int pg_semver_parse(const char *s, struct pg_semver *out, struct pg_err *err);

/* 1 if s is a valid version (`semver.valid(s) !== null`), else 0. */
int pg_semver_valid(const char *s);

/*
 * Like `semver.clean(s)`: trim, drop leading '=' and 'v' characters, parse.
 * On success writes the canonical form ("1.2.3-beta.1") into buf (size at
 * least PG_SEMVER_MAX_LEN + 1 is always enough) and returns 0; else -1.
 */
int pg_semver_clean(const char *s, char *buf, size_t size);

/* Canonical text of v (`SemVer.version`: no 'v', no build) into buf. */
void pg_semver_format(const struct pg_semver *v, char *buf, size_t size);

/* <0, 0, >0 by semver precedence (`SemVer.compare`); build ignored. */
int pg_semver_cmp(const struct pg_semver *a, const struct pg_semver *b);

/*
 * Compiled range: `||`-separated sets of comparators. Opaque; free with
 * pg_semver_range_free (NULL allowed).
 */
struct pg_semver_range;

/*
 * Compile range text like `new Range(range, { includePrerelease })`. ""
 * and "*" mean any version. Returns NULL with err set ("invalid range
 * '...'") when node-semver would throw. Caller frees.
 */
struct pg_semver_range *pg_semver_range_parse(const char *range, unsigned flags,
                                              struct pg_err *err);
void pg_semver_range_free(struct pg_semver_range *r);

/* 1 if v is in r (`Range.test`), else 0; prerelease rules included. */
int pg_semver_range_test(const struct pg_semver_range *r, const struct pg_semver *v);

/* The desugared range (`new Range(r).range`), e.g. ">=1.2.3 <2.0.0-0". Caller frees. */
char *pg_semver_range_format(const struct pg_semver_range *r);

/* 1 if range compiles (`semver.validRange(r) !== null`), else 0. */
int pg_semver_range_valid(const char *range);

/*
 * `semver.satisfies(version, range, { includePrerelease })`, except that an
 * invalid version or range gives -1 instead of false. 1 or 0 otherwise.
 */
int pg_semver_satisfies(const char *version, const char *range, unsigned flags);

/*
 * The version npm would install for `name@spec`, as npm-pick-manifest 9
 * picks it from the packument in m (m->eco must be PG_ECO_NPM).
 *
 * spec is what follows the @: "" (npm's default, the "latest" tag), a
 * dist-tag ("latest", "next"), an exact version ("1.2.3", "v1.2.3",
 * "=1.2.3") or a range ("^1.2", "1.x || >=3", "*").
 * before > 0 keeps only versions published at or before that Unix time
 * (npm --before); versions whose time is unknown (-1) pass, as in npm.
 *
 * Order of preference, as npm-pick-manifest:
 *   1. a dist-tag: that tag's version; if it was published after `before`,
 *      the pick for the range "<=<tag version>" instead;
 *   2. an exact version: that version, if present and not after `before`;
 *   3. a range ("" counts as "*"): the `latest` tag's version if it satisfies
 *      the range (for "" and "*" it need not: npm takes latest even when
 *      it is a prerelease), was published by `before` and is not
 *      deprecated; otherwise the highest satisfying version by
 *      (not deprecated, semver precedence). Prereleases only where the
 *      range allows them.
 * Skipped because they need data pkggate does not have: staged and
 * policy-restricted versions, and --avoid. pg_semver_pick() applies no
 * engines (every version fits); pg_semver_pick_env() below does. npm parses the spec and the
 * registry's versions with loose=true; here they are strict (see above).
 *
 * Returns a pointer into m->versions (borrowed; lives as long as m), or
 * NULL with err set: "no such dist-tag 'beta' for lodash", "no version of
 * lodash matches '^9'", "no version of lodash published at or before ...".
 */
const struct pg_meta_version *pg_semver_pick(const struct pg_meta *m, const char *spec,
                                             int64_t before, struct pg_err *err);

/*
 * What npm-pick-manifest takes from npm's configuration and the running
 * node: `tag` (defaultTag, used where the spec is "" or a range: its
 * version is preferred as `latest` is above), `before`, and the versions
 * engineOk() compares engines.node / engines.npm with. Versions whose
 * engines fit are preferred (first the ones that also are not deprecated),
 * unless none do; the default tag's version is taken only if its engines
 * fit. An explicit tag or exact version ignores engines, as npm does.
 */
struct pg_semver_env {
    const char *default_tag;  /* NULL: "latest" */
    int64_t before;           /* 0: no cutoff */
    const char *node_version; /* "20.20.2"; NULL: engines are not applied */
    const char *npm_version;  /* NULL: engines.npm is not applied */
};
const struct pg_meta_version *pg_semver_pick_env(const struct pg_meta *m, const char *spec,
                                                 const struct pg_semver_env *env,
                                                 struct pg_err *err);

#endif
