/*
 * pg_piptree.h - the distributions pip would install below the command's
 * requirements, from index metadata, without building or running anything.
 *
 * The command's own requirements (the roots: argv, -r files, pins) are
 * judged as they are; this works out what they pull in, as pip 23+'s
 * resolver does when nothing conflicts:
 *   - each picked version's Requires-Dist (PEP 658 core metadata, else the
 *     JSON API's requires_dist: pg_registry_fetch_deps), parsed as PEP 508;
 *   - markers evaluated in the interpreter's environment (pg_marker.h),
 *     with `extra` "" and each extra the requirement asks for, so
 *     `pkg[socks]` pulls the `extra == "socks"` requirements;
 *   - constraint lines (-c, PIP_CONSTRAINT) narrow a dependency's
 *     specifier as they narrow a root's;
 *   - one version per name: a version already chosen that satisfies the
 *     specifier is reused; an installed distribution that satisfies it is
 *     kept (not judged: it is not installed now) unless upgrading eagerly
 *     (--upgrade-strategy eager; -U alone upgrades the roots only), and its
 *     installed Requires-Dist is followed;
 *   - else the version pip's finder picks (pg_pep440_pick_for).
 * What pip would backtrack over (a placed version that another edge
 * excludes) is not guessed: it goes to `undecidable`, as does a version no
 * metadata describes (an sdist without PEP 658 metadata or JSON API
 * requires_dist; one pip would take from a local find-links file,
 * local_file, whose metadata is not read), a requirement that cannot be read, and a marker that
 * cannot be evaluated (its requirement is followed as if it applied). A direct
 * URL requirement (`name @ https://...`) becomes a request with its
 * source; it is not followed.
 *
 * The walk goes depth by depth: each depth asks src->fetch_deps once for
 * the versions it placed and src->fetch once for the names it meets, two
 * parallel rounds, since the names of depth d + 1 are only known once the
 * metadata of depth d is read.
 */
#ifndef PG_PIPTREE_H
#define PG_PIPTREE_H

#include "pg_cmd.h"
#include "pg_marker.h"
#include "pg_meta.h"
#include "pg_pep440.h"
#include "pg_pysite.h"
#include "pg_req.h"

#define PG_PIPTREE_MAX_NODES 20000
#define PG_PIPTREE_MAX_DEPTH 100

/* Where project pages and dependency lists come from; no I/O in the builder. */
struct pg_piptree_src {
    /* One parallel round for the project pages of names[0..n). */
    void (*fetch)(void *arg, const char *const *names, size_t n);
    /* A project's page as pip sees it (every index and find-links
     * location it reads, as one: pip picks the best version of all), or
     * NULL with *error (borrowed) saying why; both NULL: never asked.
     * Metas live until the tree is released. */
    const struct pg_meta *(*meta)(void *arg, const char *name, const char **error);
    /* One parallel round: afterwards the versions' deps_state is KNOWN
     * or UNKNOWN (pg_registry_fetch_deps). */
    void (*fetch_deps)(void *arg, const char *const *names, const char *const *versions,
                       size_t n);
    void *arg;
};

struct pg_piptree_opts {
    const struct pg_marker_env *env;      /* the interpreter's; NULL: every marker
                                           * is undecidable */
    struct pg_pep440_target target;       /* pre, python, prefer_binary (kinds per name) */
    const struct pg_strlist *formats;     /* cmd->formats, or NULL */
    const struct pg_strlist *constraints; /* cmd->constraints, or NULL */
    const struct pg_pysite *installed;    /* NULL: nothing installed is reused */
    int upgrade;                          /* -U: the roots are picked anew */
    int eager;                            /* --upgrade-strategy eager (with -U) */
    size_t max_nodes;                     /* 0: PG_PIPTREE_MAX_NODES */
    int max_depth;                        /* 0: PG_PIPTREE_MAX_DEPTH */
};

struct pg_piptree {
    /* What the roots pull in and pip would install, once per name
     * (unresolved ones once per name@spec): name, spec (with constraints),
     * extras, locked (the version picked; NULL when none could be),
     * origin "dependency", path. */
    struct pg_reqlist deps;
    struct pg_strlist kept;        /* "name==version" installed ones reused */
    struct pg_strlist undecidable; /* what was not followed, and why */
    size_t rounds;                 /* fetch rounds asked for */
};
#define PG_PIPTREE_INIT {PG_REQLIST_INIT, PG_STRLIST_INIT, PG_STRLIST_INIT, 0}

/*
 * Build the tree below roots (PyPI registry requests are followed, others
 * skipped). t must be PG_PIPTREE_INIT. Never fails: what cannot be
 * resolved becomes an unresolved request or an undecidable line.
 */
void pg_piptree_build(struct pg_piptree *t, const struct pg_reqlist *roots,
                      const struct pg_piptree_opts *o, const struct pg_piptree_src *src);
void pg_piptree_release(struct pg_piptree *t);

#endif
