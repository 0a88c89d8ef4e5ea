/*
 * pg_npmargs.h - an npm or npx command line, understood as npm 11 does.
 *
 * argv is read with pg_npmscan() (nopt with npm's config definitions: see
 * pg_route_npm.h); npx first gets npx-cli.js's treatment (-p is --package,
 * the first bare word and everything after it belong to the command being
 * run, --no-install is --yes=false, removed flags are dropped). The
 * command word goes through npm's deref (aliases, abbreviations).
 *
 * What lands in struct pg_cmd:
 *   subcmd     npm's name for the command ("install" for i/add/isntall...,
 *              "ci", "update", "exec" (also for npx), "install-test",
 *              "init", "run", ...); the word as typed when npm does not
 *              know it; NULL when there is none
 *   installs   1 for install, ci, update, install-test, install-ci-test,
 *              dedupe, link, exec/npx (unless it only opens a shell or
 *              is a usage error), `init <initializer>`, `audit fix`; 0
 *              otherwise and whenever --version, --versions or --help/-h
 *              turns the command into output
 *   reqs       origin "argv": install/link/install-test arguments (a bare
 *              `npm install -g` is "." as a local spec, as npm does);
 *              exec/npx: the --package/-p values, else the command word
 *              (`npx create-react-app app` -> create-react-app); init: the
 *              create-* package npm derives (`npm init react-app` ->
 *              create-react-app); update: the named packages, taking their
 *              package.json range when listed there. A registry spec
 *              written without a range gets the --tag value when --tag
 *              was given (npm resolves it through that dist-tag).
 *              Commands without package arguments (bare install, ci,
 *              update, install-test, install-ci-test, dedupe, audit fix,
 *              link) read <prefix>/package.json: origin "package.json",
 *              from_manifest = 1.
 *   manifest_dir, has_lockfile, lockfile_path
 *              for local (not -g) commands that install: --prefix/-C
 *              (relative to cwd), else npm's local prefix
 *              (pg_pkgjson_find_prefix); npm-shrinkwrap.json wins over
 *              package-lock.json; with --no-package-lock npm ignores
 *              both, and has_lockfile stays 0
 *   index_url  --registry when it is a URL npm accepts (scheme://host)
 *   global     -g/--global or --location=global; dry_run --dry-run
 *   unknown    options npm does not know, as written up to any '='
 *              ("--foo", "--no-bar", "-x"). Scoped registry keys
 *              ("--@scope:registry=URL") and per-registry keys
 *              ("--//host/:_authToken=...") are npm's and are not listed,
 *              so their values never reach a message.
 *   config     npm's settings from argv, for the registry-config reader
 *              (pg_argconf_npm: "key=value", tokens included, wiped on
 *              release)
 *
 * Errors (-1, err set): a package spec npm would reject, an unparsable or
 * malformed package.json where it is read. A missing package.json is not
 * an error: installs stays 1 with no reqs, and npm fails by itself.
 */
#ifndef PG_NPMARGS_H
#define PG_NPMARGS_H

#include "pg_cmd.h"
#include "pg_err.h"

/*
 * cmd must be pg_cmd_init()'d with PG_TOOL_NPM or PG_TOOL_NPX; argv[0] is
 * the program name. cwd (absolute) is where npm runs: relative --prefix
 * values and the local prefix search start there. On error cmd may hold
 * partial results; pg_cmd_release() frees them either way.
 */
int pg_npmargs_parse(struct pg_cmd *cmd, int argc, char *const argv[], const char *cwd,
                     struct pg_err *err);

#endif
