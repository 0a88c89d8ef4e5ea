/*
 * pg_pipargs.h - a pip command line, understood the way pip 23/24 reads it.
 *
 * pip parses in two steps (cli/main_parser.py): general options up to the
 * first positional word, the subcommand; then the subcommand's parser reads
 * the whole list again minus the first word equal to the subcommand, options
 * anywhere. pkggate does the same with the option tables in pg_pipopts.h:
 * "--opt v", "--opt=v", "-iURL", grouped flags "-qU", "--" and optparse's
 * unique-prefix abbreviations ("--index" is --index-url; "--upgr" is
 * ambiguous in pip too, between --upgrade and --upgrade-strategy).
 *
 * Requirements are read as pip's req/constructors.py does:
 *   name[extras] specifiers ; marker     registry (locked set for ==X / ===X)
 *   name @ https://...                    url (git+...: git, file:...: local)
 *   https://.../x.whl, git+https://...#egg=name, file:...  url / git / local
 *   ./dir, .[extras], /abs, x.whl, x.tar.gz, x.zip          local
 *   -e/--editable PATH|VCS-URL                              editable
 * (hg+, svn+ and bzr+ URLs are reported as PG_SRC_GIT: "version control".)
 * Paths are looked at (is it a directory?) relative to cwd, as pip does.
 */
#ifndef PG_PIPARGS_H
#define PG_PIPARGS_H

#include "pg_cmd.h"
#include "pg_err.h"

/*
 * Parse argv (argv[0] is the name pip was run as) into cmd, which the
 * caller has pg_cmd_init(cmd, PG_TOOL_PIP)'d; cwd is the directory relative
 * paths and requirement files are read against (NULL: the process's).
 *
 * cmd->subcmd is "install", "download", "wheel" or "lock" (these set
 * installs = 1), or the word as typed for any other command (installs = 0),
 * or NULL when there is none (`pip`, `pip --version`). installs is also 0
 * when pip would only print help or its version (-h anywhere it is read as
 * an option, -V before the subcommand). An unknown subcommand sets
 * installs = 1 and goes to cmd->unknown: it may be a newer pip's.
 *
 * cmd->reqs gets, in pip's order: packages from -c files' nested -r (pip
 * installs those), positional requirements, -e values, then -r files'
 * packages; origin "argv" or "FILE:LINE". -c files are read and checked but
 * add nothing. index_url / extra_index / find_links / no_index / pre come
 * from argv and then from option lines in the files (an --index-url line
 * replaces the list, as in pip). cmd->config gets --cert and --isolated
 * (pg_argconf_pip), whatever else happens to the parse.
 *
 * cmd->unknown gets what pkggate cannot vouch for, never guessed at:
 * options it does not know or ambiguous abbreviations (as typed),
 * options that add packages it cannot see ("--group=dev",
 * "--requirements-from-script=x.py"), remote or non-regular requirement
 * files, unknown options inside files ("req.txt:3: --frob").
 *
 * Returns 0, or -1 with err set for what pip would also refuse: a missing
 * option value, a value given to a flag, an invalid requirement, an
 * unreadable, oversized or cyclic requirement file (errors inside files
 * start with "FILE:LINE: "). cmd keeps what was parsed; release it either way.
 */
int pg_pipargs_parse(struct pg_cmd *cmd, int argc, char *const argv[], const char *cwd,
                     struct pg_err *err) PG_WARN_UNUSED;

/*
 * Append one requirement as pip reads it: a positional argument or a
 * requirements-file line (editable = 0), or the value of -e (editable = 1).
 * origin is copied into the entry ("argv", "req.txt:3") and prefixes
 * errors other than "argv". Returns 0 or -1 with err set.
 */
int pg_pipargs_add_req(struct pg_reqlist *reqs, const char *text, int editable,
                       const char *origin, const char *cwd, struct pg_err *err) PG_WARN_UNUSED;

/*
 * Read one requirements file as `pip install -r path` (constraint = 0) or
 * `-c path` (1) would, into cmd: packages, index options, unknowns, as
 * pg_pipargs_parse does for its files. For the lockfile checks: a fully
 * pinned file gives reqs whose locked field is set.
 */
int pg_pipargs_add_reqfile(struct pg_cmd *cmd, const char *path, int constraint,
                           const char *cwd, struct pg_err *err) PG_WARN_UNUSED;

#endif
