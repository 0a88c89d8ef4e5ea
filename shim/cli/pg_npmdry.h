/*
 * pg_npmdry.h - what an npm command would add or change: npm's own
 * answer, from `--dry-run`.
 *
 * Whether npm keeps a copy it finds in node_modules is its reify's
 * decision: where the tree places the package, which version it wants,
 * whether it trusts the copy (npm's record of node_modules against the
 * folders). A file check cannot repeat that safely, so pkggate asks the
 * same npm, with the same command line and settings, plus
 *
 *     --dry-run --ignore-scripts --no-audit --no-fund --json
 *     --loglevel=warn --color=false
 *
 * after the person's own words (npm's last word wins): nothing is
 * installed or saved and no script runs (npm still writes its debug log
 * and fills its cache, as any npm command does). The words are read back
 * with npm's own option parser first (pg_npmscan): an option of the
 * person's left without its value would take the next word, --dry-run,
 * and make the question an install, so then npm is not asked. npm prints
 * one line per change ("add ms 2.0.0", "change ms 2.0.0 => 2.1.3",
 * "remove ms 2.0.0") and then its JSON summary, whose counts must agree
 * with the lines, so a setting that silences them (--silent in a .npmrc)
 * makes the answer unknown rather than "nothing changes".
 *
 * Only `npm install` and `npm update` are asked (install-test would run
 * the tests; ci and link reinstall; -g is another tree), and not when the
 * command line holds "--", after which npm reads no options.
 */
#ifndef PG_NPMDRY_H
#define PG_NPMDRY_H

#include "pg_cmd.h"
#include "pg_err.h"
#include "pg_realtool.h"

enum pg_npmdry_answer {
    PG_NPMDRY_AGREED,  /* every change npm named passed the caller's test */
    PG_NPMDRY_REFUSED, /* the test refused one (err: why) */
    PG_NPMDRY_UNKNOWN, /* npm could not be asked, or its answer not read (err: why) */
};

/*
 * The caller's test of one package npm's answer names: verb "add",
 * "change" or "remove"; name as npm says it (the folder's: an npm:
 * alias's own name); version the one it would have (a change's new one;
 * a removal's, the one on disk). 0 to go on; else set err and return
 * nonzero.
 */
typedef int (*pg_npmdry_test)(void *arg, const char *verb, const char *name,
                              const char *version, struct pg_err *err);

/* 1 when npm can be asked about cmd (argv: the command line it came from). */
int pg_npmdry_askable(const struct pg_cmd *cmd, char *const argv[]);

/* Ask real (npm) what argv would change, skip as for pg_child_capture. */
enum pg_npmdry_answer pg_npmdry_ask(const char *real, char *const argv[],
                                    const struct pg_selfset *skip, pg_npmdry_test test,
                                    void *arg, struct pg_err *err);

/* Read npm's --dry-run --json output (out: NUL-terminated), as above. */
enum pg_npmdry_answer pg_npmdry_read(const char *out, pg_npmdry_test test, void *arg,
                                     struct pg_err *err);

#endif
