/*
 * pg_deptree.h - what an npm or pip command pulls in, ready to be judged.
 *
 * The gate judges the command's own packages first (pg_fetch_run); this
 * builds the tree below them (lib/npm/pg_npmtree.h) over the same
 * pg_fetch, one more parallel round per depth, and hands back every
 * package found with the facts the rules need. npm install, update,
 * uninstall, prune and exec (npx) build a tree; npm ci installs the
 * lockfile, which is judged whole already; pack and cache add fetch one
 * tarball. pip install, download and wheel build the pip tree
 * (lib/pypi/pg_piptree.h) unless --no-deps; it is handed back in the same
 * shape (tree.deps, tree.undecidable).
 */
#ifndef PG_DEPTREE_H
#define PG_DEPTREE_H

#include "pg_cmd.h"
#include "pg_decide.h"
#include "pg_fetch.h"
#include "pg_npmtree.h"

struct pg_deptree {
    struct pg_npmtree tree;   /* tree.deps: the packages to judge (npm or pip) */
    struct pg_facts *facts;   /* facts[i] for tree.deps.v[i] */
    struct pg_reqlist *asked; /* the requests each round made (pg_fetch borrows them) */
    size_t nasked;
};
#define PG_DEPTREE_INIT {PG_NPMTREE_INIT, NULL, NULL, 0}

/*
 * `npm install <name>` (and `npm update <name>`) installs package.json's
 * dependencies too: add those the command does not name to cmd->reqs,
 * before the lockfile is merged (pg_npmlock_merge keeps only what the
 * lockfile does not pin). Does nothing for other commands, -g, or
 * without a package.json. Returns 0, or -1 with err set.
 */
int pg_deptree_add_manifest(struct pg_cmd *cmd, struct pg_err *err);

/* npm's tag, before and node/npm versions from cmd (shim/cli/pg_npmenv.c
 * filled them), for picking as npm does; zeroed for other tools. */
struct pg_semver_env;
void pg_deptree_npm_env(const struct pg_cmd *cmd, struct pg_semver_env *env);

/*
 * Build the tree below reqs, whose first round f has answered. cmd NULL
 * (pkggate check) or a command that builds no tree: d stays empty.
 * Returns 0, or -1 with err set when the project's files are unreadable.
 * Release d after the last use of f's facts, with pg_deptree_release.
 */
int pg_deptree_build(struct pg_deptree *d, struct pg_fetch *f, const struct pg_policy *pol,
                     const struct pg_cmd *cmd, const struct pg_reqlist *reqs,
                     const struct pg_fetch_opts *fo, struct pg_err *err);
void pg_deptree_release(struct pg_deptree *d);

/* The pip half of pg_deptree_build (pg_deptree_pip.c). */
int pg_deptree_pip(struct pg_deptree *d, struct pg_fetch *f, const struct pg_policy *pol,
                   const struct pg_cmd *cmd, const struct pg_reqlist *reqs,
                   const struct pg_fetch_opts *fo);

#endif
