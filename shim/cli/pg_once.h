/*
 * pg_once.h - say a thing once: remember that a note or a warning was
 * shown, so that the next run in the same place does not repeat it.
 *
 * A person keeps pkggate installed only if it is quiet when all is well.
 * Notes about a registry (no signing keys, plain http) are shown once per
 * registry per day; a warning about a package the person did not just name
 * (it came from package.json or a lockfile) once per project and version.
 * The audit log still records every decision: this only governs stderr.
 *
 * State: one empty marker file per (kind, key) in
 * $XDG_STATE_HOME/pkggate/once/ (~/.local/state/pkggate/once/, 0700),
 * named by the SHA-256 of the key, so no key text (a registry URL, a
 * project path) is written anywhere. Its mtime is when it was last shown.
 */
#ifndef PG_ONCE_H
#define PG_ONCE_H

#include <stdint.h>

#define PG_ONCE_DAY    ((int64_t)24 * 3600)
#define PG_ONCE_FOREVER 0

/*
 * 1 when (kind, key) was not shown within period seconds (PG_ONCE_FOREVER:
 * ever) and is recorded now as shown; 0 when it was. Without a state
 * directory (no HOME, unwritable) it returns 1: better said twice than lost.
 */
int pg_once(const char *kind, const char *key, int64_t period);

/*
 * 1 when notes may be shown at all: $PKGGATE_QUIET is unset, empty or
 * "0", and policy_notes (pg_policy_notes) is 1.
 */
int pg_once_notes_wanted(int policy_notes);

#endif
