/*
 * pg_pep508.h - PEP 508 dependency specifiers, as packaging (pip 23/24) reads them.
 *
 *     name [extras] specifiers ; marker        requests[socks]>=2.8,<3 ; python_version>"3.8"
 *     name [extras] @ url ; marker             pkg @ https://example.org/pkg-1.0.tar.gz
 *
 * The grammar is packaging's (_parser.py / _tokenizer.py): names and extras
 * are [A-Za-z0-9] runs with . _ - inside; specifier versions are checked
 * with packaging's per-operator version patterns (so `~=1` or `>=1.0.*` are
 * errors); markers are checked for syntax, never evaluated.
 *
 * Limits: input longer than PG_PEP508_MAX is refused; markers may nest
 * PG_PEP508_MAX_NEST parentheses deep.
 */
#ifndef PG_PEP508_H
#define PG_PEP508_H

#include "pg_err.h"

#define PG_PEP508_MAX      65536
#define PG_PEP508_MAX_NEST 32

/* One parsed requirement. Every string is owned by the struct. */
struct pg_pep508 {
    char *name;   /* as written, never NULL after a successful parse */
    char *extras; /* "a,b" (whitespace removed); NULL when none or "[]" */
    char *spec;   /* specifier set with whitespace and parentheses removed,
                   * e.g. ">=1.0,<2"; "" when none (always "" for a URL) */
    char *url;    /* `name @ url`: the URL; else NULL */
    char *marker; /* marker text after ';', trimmed; NULL when none */
};
#define PG_PEP508_INIT {NULL, NULL, NULL, NULL, NULL}

/*
 * Parse s (leading/trailing spaces and tabs allowed). On error returns -1,
 * leaves *out released and err says what is wrong and where:
 * "invalid requirement 'foo>=': expected a version after '>=' (column 6)".
 */
int pg_pep508_parse(struct pg_pep508 *out, const char *s, struct pg_err *err) PG_WARN_UNUSED;

/* Free the strings and re-init; safe on a PG_PEP508_INIT value. */
void pg_pep508_release(struct pg_pep508 *r);

/*
 * Syntax check of a marker expression on its own (the text after ';').
 * 0 if valid; -1 with "invalid marker '...': ..." otherwise.
 */
int pg_pep508_check_marker(const char *marker, struct pg_err *err) PG_WARN_UNUSED;

/*
 * The exact version a specifier set pins, or NULL: spec must be a single
 * "==X" without a ".*" wildcard, or "===X" (as produced in pg_pep508.spec).
 * Caller frees.
 */
char *pg_pep508_pinned(const char *spec);

#endif
