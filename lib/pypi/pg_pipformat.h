/*
 * pg_pipformat.h - pip's FormatControl: which file kinds (wheel, sdist)
 * pip may install for a project under --only-binary and --no-binary.
 *
 * The two options share one pair of sets that each value edits in turn
 * (":all:" clears both, ":none:" clears its own, a name moves from the
 * other set to this one), so their effect depends on order: the caller
 * gives every value in the order pip applies them, configuration first,
 * then argv, then requirement files.
 */
#ifndef PG_PIPFORMAT_H
#define PG_PIPFORMAT_H

#include "pg_cmd.h"

/*
 * ops: "only-binary=V" / "no-binary=V" strings (V as given: "a,b",
 * ":all:", ":none:"). Returns PG_META_WHEEL, PG_META_SDIST or both, as
 * FormatControl.get_allowed_formats(name) does.
 */
unsigned pg_pipformat_kinds(const struct pg_strlist *ops, const char *name);

#endif
