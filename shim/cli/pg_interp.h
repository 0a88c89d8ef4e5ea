/*
 * pg_interp.h - the interpreter a tool's script runs on, when the script
 * itself does not say.
 *
 * npm's bin/npm-cli.js starts `#!/usr/bin/env node`, and pip's script names
 * its python; pkggate asks that interpreter its version (pg_npmenv.c,
 * pg_pyversion.c). When the tool pkggate would exec is not such a script
 * (a version manager's shim, a wrapper, a stand-in, a binary) the
 * interpreter is the one PATH finds, as `#!/usr/bin/env node` would find
 * it: version managers (nvm, fnm, volta, asdf, pyenv) select the same
 * interpreter for their `node`/`python3` as for the npm/pip they wrap. A
 * wrapper that hard-codes another interpreter is not seen through.
 */
#ifndef PG_INTERP_H
#define PG_INTERP_H

/*
 * The first executable `name` on PATH that is not a pkggate binary (the
 * python shims install.sh makes are skipped, as pg_realtool skips them),
 * as an absolute path; NULL when there is none. Caller frees.
 */
char *pg_interp_on_path(const char *name);

/* 1 when path (links followed) is a pkggate binary: one of our shims. */
int pg_interp_ours(const char *path);

/*
 * 1 when path is a script ("#!" first): an interpreter chosen at run time
 * (pyenv's and asdf's shims are scripts), so its answer may change without
 * the file changing and must not be cached by the file's identity.
 */
int pg_interp_is_script(const char *path);

/*
 * 1 when path names an interpreter of the family (its base name starts
 * with one of the NULL-terminated prefixes, e.g. "python", "pypy"). A
 * shell named by a wrapper's #! line is never asked: it would run the
 * question as commands.
 */
int pg_interp_named(const char *path, const char *const *prefixes);

#endif
