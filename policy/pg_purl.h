/*
 * pg_purl.h - package URL patterns for allow/deny lists and rule keys.
 *
 * A pattern is a purl (github.com/package-url/purl-spec) reduced to what a
 * policy needs, with globs in the name:
 *
 *   pkg:npm/left-pad              one package
 *   pkg:npm/@evil/STAR            every package in a scope (STAR is '*',
 *                                 which cannot be written after '/' here)
 *   pkg:npm/%40evil/STAR          the same; %XX escapes in the name are decoded
 *   pkg:pypi/reqeusts             PyPI names compare PEP 503-normalised, so
 *                                 this also matches "Reqeusts" and "reqeusts_"
 *   pkg:npm/lodash@^4             a node-semver range
 *   pkg:npm/lodash@>=4.1 <5       (spaces are fine in the range, not the name)
 *   pkg:pypi/django@>=4,<5        a PEP 440 specifier set
 *   pkg:pypi/django@4.2.1         a bare PyPI version means "==4.2.1"
 *
 * "pkg:" and the type (npm, pypi) are case-insensitive; other purl types,
 * qualifiers ("?a=b" is a glob here, see below) and subpaths ("#...") are
 * refused. The name may hold the globs '*' (any run of characters) and '?'
 * (one character); neither matches '/', so "pkg:npm/STAR" covers unscoped
 * packages only; scoped ones need a glob on each side of the '/' ("@*" in
 * the scope, STAR after it). So a scope pattern cannot reach into another
 * scope ("@myorg/" STAR never matches "@myorg-evil/x"). npm names are
 * compared exactly as written (npm names are case-sensitive).
 *
 * Version ranges go to pg_version_satisfies(); a pattern with a range never
 * matches a package whose version is not known yet (version NULL).
 */
#ifndef PG_PURL_H
#define PG_PURL_H

#include "pg_err.h"
#include "pg_req.h"

/* Longest name accepted in a pattern, after decoding (npm's limit is 214). */
#define PG_PURL_NAME_MAX 256

struct pg_purl {
    enum pg_eco eco;
    char *name;  /* decoded; PyPI: PEP 503-normalised; may hold globs */
    char *range; /* NULL when the pattern has no "@..." part */
    int glob;    /* 1 if name holds '*' or '?' */
};
#define PG_PURL_INIT                                                                               \
    {                                                                                              \
        PG_ECO_NPM, NULL, NULL, 0                                                                  \
    }

/*
 * Parse text into *p (which the caller has PG_PURL_INIT'ed or released).
 * Errors say what is wrong, quoting text: "bad package pattern
 * 'pkg:cargo/x': type must be npm or pypi". A range that
 * pg_version_satisfies() cannot read is an error too. On error *p is left
 * empty (released).
 */
int pg_purl_parse(struct pg_purl *p, const char *text, struct pg_err *err) PG_WARN_UNUSED;
void pg_purl_release(struct pg_purl *p);

/*
 * 1 if the package eco/name (as a tool or registry writes it; PyPI names are
 * normalised here) at version (NULL: not known) matches p, else 0.
 */
int pg_purl_match(const struct pg_purl *p, enum pg_eco eco, const char *name, const char *version);

/* 1 if s matches the glob pat ('*' and '?' as above, neither crossing '/'). */
int pg_purl_glob(const char *pat, const char *s);

#endif
