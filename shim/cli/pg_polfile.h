/*
 * pg_polfile.h - change a policy file the way a person would with an
 * editor, keeping everything else in it: `pkggate allow` adds an
 * exception.
 *
 * The file is read with jansson (duplicate keys refused, at most 1 MiB),
 * the new entry appended to its "exceptions" list, and the result checked
 * to load as a policy layer before it replaces the file atomically (a
 * temporary file beside it, fsync, rename). Key order and every other key
 * (comments included) stay; the layout becomes jansson's, two-space indent.
 * A new file is created with mode new_mode (0600 for the user's own file);
 * an existing one keeps its mode.
 */
#ifndef PG_POLFILE_H
#define PG_POLFILE_H

#include <stdint.h>
#include <sys/types.h>

#include "pg_err.h"

struct pg_exception {
    const char *package;      /* purl pattern, as pg_purl.h reads it */
    const char *const *rules; /* rule names; NULL or none: "*" */
    size_t nrules;
    const char *reason;
    int64_t expires;          /* Unix seconds; written as RFC 3339 UTC */
};

/*
 * Append ex to file's "exceptions" (file and its directory are created
 * when missing, the directory 0700). *created is set when the file did not
 * exist. 0, or -1 with err naming the file.
 */
int pg_polfile_add_exception(const char *file, const struct pg_exception *ex, mode_t new_mode,
                             int *created, struct pg_err *err) PG_WARN_UNUSED;

#endif
