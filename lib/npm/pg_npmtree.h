/*
 * pg_npmtree.h - the dependency tree npm would install, from packuments.
 *
 * The command's own packages (the roots: argv specs, package.json,
 * lockfile entries) are judged as they are; this module works out what
 * they pull in, the way npm 7+ (arborist) builds its ideal tree:
 *
 *   - dependencies and optionalDependencies of each picked version, and
 *     peerDependencies (npm 7+ installs non-optional peers; optional ones
 *     only when something else brings them); never a dependency's
 *     devDependencies;
 *   - a version already placed (a root, or an earlier dependency) that
 *     satisfies the range is reused, as hoisting does: one version per
 *     name where the ranges allow, several where they do not;
 *   - else a version the project already has (package-lock.json,
 *     npm-shrinkwrap.json, node_modules/.package-lock.json) that
 *     satisfies the range, else the one npm-pick-manifest would pick
 *     (pg_semver_pick);
 *   - `npm:` aliases, dist-tags, and package.json `overrides` of the
 *     simple form {"name": "spec"} (with "$name" references); any other
 *     form is reported as undecidable, not guessed;
 *   - git, tarball and file specs become requests with their source (the
 *     non_registry_source rule decides); they are not followed;
 *   - bundleDependencies ship inside their parent's tarball and a
 *     _hasShrinkwrap package pins its own tree: both become notes, their
 *     contents are not judged here.
 *
 * Not modelled (see README "Not done yet"): platform checks of optional
 * dependencies (os, cpu, libc: judged as if installed), engines, peer
 * conflict resolution (ERESOLVE, --legacy-peer-deps's nesting), the exact
 * placement of nested copies, and workspaces.
 *
 * The walk goes depth by depth: each depth asks src->fetch once for every
 * name it meets that the depth above did not (pg_fetch's parallel round),
 * then resolves. It stops after max_nodes packages or below max_depth,
 * saying so in `undecidable`. Cycles end where a name@version is placed
 * already.
 */
#ifndef PG_NPMTREE_H
#define PG_NPMTREE_H

#include "pg_cmd.h"
#include "pg_err.h"
#include "pg_meta.h"
#include "pg_req.h"
#include "pg_semver_memo.h"

struct pg_semver_env;

#define PG_NPMTREE_MAX_NODES 20000
#define PG_NPMTREE_MAX_DEPTH 100

/* Where packuments come from; the builder itself does no I/O. */
struct pg_npmtree_src {
    /* One parallel round for names[0..n): afterwards meta() answers for
     * them. Names asked before must cost nothing. */
    void (*fetch)(void *arg, const char *const *names, size_t n);
    /* The packument of name, or NULL with *error (borrowed) saying why;
     * *error NULL: never asked. Metas must live until the tree is released. */
    const struct pg_meta *(*meta)(void *arg, const char *name, const char **error);
    void *arg;
};

/* What the project says about the tree (pg_npmtree_project_load). */
struct pg_npmtree_project {
    struct pg_strlist locked;   /* "name@version" the project has already */
    struct pg_strlist ov_names; /* overrides {"name": "spec"}, specs resolved */
    struct pg_strlist ov_specs;
    struct pg_strlist unmodelled; /* overrides pkggate cannot apply, one line each */
};
#define PG_NPMTREE_PROJECT_INIT                                                                    \
    {                                                                                              \
        PG_STRLIST_INIT, PG_STRLIST_INIT, PG_STRLIST_INIT, PG_STRLIST_INIT                         \
    }

/*
 * Read dir/package.json's "overrides" and the versions the project has:
 * lockfile_path (may be NULL) else dir/node_modules/.package-lock.json
 * when present. pins (may be NULL): what lockfile_path pins, as
 * pg_npmtree_pins gave it, when the caller parsed it already (borrowed;
 * copied). Missing files are fine; unreadable ones give -1 with err.
 */
int pg_npmtree_project_load(struct pg_npmtree_project *p, const char *dir,
                            const char *lockfile_path, const struct pg_strlist *pins,
                            struct pg_err *err);

/* Append "name@version" of each registry entry of lk not in out yet, in file order. */
struct pg_pkglock;
void pg_npmtree_pins(const struct pg_pkglock *lk, struct pg_strlist *out);
void pg_npmtree_project_release(struct pg_npmtree_project *p);

struct pg_npmtree_opts {
    size_t max_nodes;  /* 0: PG_NPMTREE_MAX_NODES */
    int max_depth;     /* 0: PG_NPMTREE_MAX_DEPTH */
    int omit_dev;      /* --omit=dev, --production, NODE_ENV=production */
    int omit_optional; /* --omit=optional, --no-optional */
    int omit_peer;     /* --omit=peer, --legacy-peer-deps */
    const struct pg_semver_env *env; /* npm's tag, before, node/npm for engines;
                                      * NULL: the plain pick */
    struct pg_semver_memo *ranges;   /* compiled ranges to reuse across walks (flags
                                      * 0), or NULL: the walk keeps its own */
};

struct pg_npmtree {
    /* What the roots pull in, once per name@version (unresolved ones once
     * per name@spec): name, spec (the range asked), alias, locked (the
     * version picked; NULL when none could be), origin "dependency", path. */
    struct pg_reqlist deps;
    struct pg_strlist notes;       /* what ships unjudged (bundled, shrinkwrap) */
    struct pg_strlist undecidable; /* what was not followed, and why */
    size_t rounds;                 /* fetch rounds asked for */
};
#define PG_NPMTREE_INIT                                                                            \
    {                                                                                              \
        PG_REQLIST_INIT, PG_STRLIST_INIT, PG_STRLIST_INIT, 0                                       \
    }

/*
 * Build the tree below roots (npm registry requests are followed; others
 * are skipped). proj may be NULL. t must be PG_NPMTREE_INIT; release it
 * with pg_npmtree_release. Never fails: what cannot be resolved becomes an
 * unresolved request, which the rules find undecidable.
 */
void pg_npmtree_build(struct pg_npmtree *t, const struct pg_reqlist *roots,
                      const struct pg_npmtree_project *proj, const struct pg_npmtree_opts *o,
                      const struct pg_npmtree_src *src);
void pg_npmtree_release(struct pg_npmtree *t);

#endif
