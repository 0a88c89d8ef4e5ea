/*
 * pg_npmdry.h - whether an npm command would install packages again that
 * are on disk already: npm's own answer, from `--dry-run`.
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
 * after the person's own words (npm's last word wins): nothing is written
 * or extracted, no script runs (not even the project's own), and npm
 * prints one line per change ("add ms 2.0.0", "change ms 2.0.0 => 2.1.3",
 * "remove ms 2.0.0") and then its JSON summary. The summary's counts must
 * agree with the lines, so a setting that silences them (--silent in a
 * .npmrc) makes the answer unknown rather than "nothing changes".
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
    PG_NPMDRY_LEAVES,  /* npm adds and changes none of the names */
    PG_NPMDRY_TOUCHES, /* it adds or changes at least one (err: the line) */
    PG_NPMDRY_UNKNOWN, /* npm could not be asked, or its answer not read (err: why) */
};

/* 1 when npm can be asked about cmd (argv: the command line it came from). */
int pg_npmdry_askable(const struct pg_cmd *cmd, char *const argv[]);

/*
 * Ask real (npm) what argv would change, skip as for pg_child_capture.
 * names: the package and folder names on disk that must stay untouched.
 * err gets the line that touches one, or why there is no answer.
 */
enum pg_npmdry_answer pg_npmdry_ask(const char *real, char *const argv[],
                                    const struct pg_selfset *skip,
                                    const struct pg_strlist *names, struct pg_err *err);

/* Read npm's --dry-run --json output (out: NUL-terminated), as above. */
enum pg_npmdry_answer pg_npmdry_read(const char *out, const struct pg_strlist *names,
                                     struct pg_err *err);

#endif
