/*
 * pg_version.h - one entry point over npm semver and PEP 440.
 *
 * The policy matches purl patterns with version ranges through this, so it
 * need not know which grammar an ecosystem speaks. See pg_semver.h and
 * pg_pep440.h for the full interfaces.
 */
#ifndef PG_VERSION_H
#define PG_VERSION_H

#include "pg_req.h"

/*
 * 1 if version satisfies range (npm: a node-semver range; pypi: a PEP 440
 * specifier set such as ">=1.0,!=1.3.*"), 0 if not, -1 if either does not
 * parse. Prereleases are admitted in both: this answers "is this version
 * inside the policy's range", not "would the tool pick it".
 */
int pg_version_satisfies(enum pg_eco eco, const char *version, const char *range);

/* <0, 0, >0 like strcmp, by the ecosystem's ordering; unparsable sorts first. */
int pg_version_cmp(enum pg_eco eco, const char *a, const char *b);

/*
 * One package version as a key: "name@version" with the name and the
 * version in the ecosystem's normal form (PyPI: PEP 503 name, PEP 440
 * canonical version, so "Zope.Interface" 6.0.0 and "zope-interface" 6.0
 * are one key; npm: both as written, npm names being case-sensitive). A
 * version that does not parse is kept as written. Caller frees.
 */
char *pg_version_ident(enum pg_eco eco, const char *name, const char *version);

#endif
