/*
 * pg_render.h - verdicts for people and for machines.
 *
 * Human: one line per package that is not plainly allowed, naming the
 * decision, the package, each rule that fired and what to do about it.
 * Colour (red block, yellow warn) only when asked; the caller asks when
 * stderr is a TTY and NO_COLOR is unset.
 *
 * JSON (--json, the audit log): one object per package per line:
 *   {"ecosystem":"npm","name":"left-pad","spec":"^1","version":"1.3.0",
 *    "decision":"block","reasons":[{"rule":"deny","action":"block",
 *    "message":"...", <evidence fields>, "exempted":"<reason>"}]}
 * "version" is present when resolved; evidence fields of a rule (typosquat:
 * "target", "kind", "score") are merged into its reason object. A package
 * pulled in by others carries "path": ["express", "body-parser"], the
 * names above it, and its human line names the whole path after the
 * package: "blocked npm qs@6.14.1 (express > body-parser > qs): ...".
 */
#ifndef PG_RENDER_H
#define PG_RENDER_H

#include "pg_util.h"
#include "pg_verdict.h"

/*
 * Append s with each control character (below 0x20, and 0x7f; '\n' too)
 * shown as '?', so that text from argv, package.json, requirement files or
 * a registry cannot move the cursor or rewrite a line on the terminal.
 * Every human line goes through it: verdicts here, error lines through
 * pg_gate_errorf.
 */
void pg_render_clean(struct pg_sb *out, const char *s);

/*
 * "pkggate: npm NAME@VERSION verified: built by github.com/org/repo,
 * workflow release.yml" when v's provenance was verified; nothing else.
 */
void pg_render_provenance(const struct pg_verdict *v, int color, struct pg_sb *out);

/* Append the human lines for v (none for a plain allow). */
void pg_render_human(const struct pg_verdict *v, int color, struct pg_sb *out);
/* Append one JSON line (with '\n') for v: a compact object (JSON_COMPACT,
 * keys in a fixed order), so a caller may join another compact object's
 * members before them (pg_report's audit context). */
void pg_render_json(const struct pg_verdict *v, struct pg_sb *out);

#endif
