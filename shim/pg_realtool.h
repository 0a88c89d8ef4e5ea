/*
 * pg_realtool.h - finding the real pip/npm behind the shims, and exec'ing it.
 *
 * libc only: the pass-through path of pkggate-shim uses this, and every
 * `npm run build` pays for what it links.
 *
 * Like ccache's masquerade directory: walk PATH and take the first
 * executable `tool` that is not a pkggate binary. pkggate binaries are
 * recognised by identity (st_dev, st_ino), never by name, so a PATH holding
 * the shim directory twice, a symlink to it, or a second installed copy of
 * pkggate all resolve to the real tool instead of looping.
 *
 * One variable crosses exec boundaries:
 *   PKGGATE_SEEN    "dev:ino,dev:ino,..." pkggate binaries that already
 *                   handled this command; they are skipped on PATH, so two
 *                   installed copies never exec each other in a loop.
 * Nothing says "checked already": a copy exec'd as another copy's real tool
 * checks the command again (twice the cost, in that rare set-up only), so
 * no value planted in an environment can skip a check. A planted SEEN can
 * only hide a binary from the walk, which ends in "no real tool" at worst.
 */
#ifndef PG_REALTOOL_H
#define PG_REALTOOL_H

#include <stddef.h>
#include <sys/types.h>

#define PG_SELF_MAX 16


struct pg_selfset {
    dev_t dev[PG_SELF_MAX];
    ino_t ino[PG_SELF_MAX];
    size_t n;
    /* The path the running binary was exec'd by (borrowed, not owned), or
     * NULL: a PATH entry spelled the same is ours without a stat. */
    const char *self_path;
};

/* Add the file at path (following links); 1 if it was there, else 0 (ignored). */
int pg_selfset_add_path(struct pg_selfset *s, const char *path);
/*
 * pg_selfset_add_path for the path the running binary was exec'd by (the
 * kernel's AT_EXECFN), remembered as s->self_path when it names a file.
 * The PATH walk then skips that exact spelling without a stat: it is the
 * first entry of a shim directory put first on PATH, and a stat is a
 * noticeable part of what every pass-through costs. path must outlive s.
 */
void pg_selfset_add_self(struct pg_selfset *s, const char *path);
/* Add every "dev:ino" in a PKGGATE_SEEN value; malformed items are ignored. */
void pg_selfset_add_list(struct pg_selfset *s, const char *list);
/*
 * Add the pkggate program's own binaries: the running one, what
 * PKGGATE_SEEN lists, and its shim as installed (<prefix>/lib/pkggate,
 * beside <prefix>/bin) or in the build tree (the same directory).
 */
void pg_selfset_add_program(struct pg_selfset *s);
int pg_selfset_has(const struct pg_selfset *s, dev_t dev, ino_t ino);

/*
 * Find the real `tool`. PKGGATE_REAL_<TOOL> wins when set (tool upper-cased,
 * '.' -> '_'; pip3.11 also tries PKGGATE_REAL_PIP3 then PKGGATE_REAL_PIP).
 * A tool holding a '/' is that file, when it is executable and not ours.
 * On success writes the path to out and returns 0. On failure returns -1
 * and writes a one-line reason to why (no trailing newline).
 */
int pg_realtool_find(const char *tool, const struct pg_selfset *skip, char *out, size_t outsz,
                     char *why, size_t whysz);

/* The PATH walk alone, without the PKGGATE_REAL_* override. */
int pg_realtool_on_path(const char *tool, const struct pg_selfset *skip, char *out, size_t outsz,
                        int *saw_self);

/*
 * The directory holding the running binary, from /proc/self/exe (links
 * resolved), without its trailing '/'. The one place pkggate and its shim
 * learn where they are installed: they find each other, and the shim
 * directory, relative to it. 0, or -1 without /proc. A path longer than
 * outsz - 1 is cut short, as readlink(2) cuts it.
 */
int pg_realtool_selfdir(char *out, size_t outsz);

/*
 * execv(path, argv) with PKGGATE_SEEN = skip. Returns only on failure
 * (errno set). Signal dispositions pass through as they are: a caller that
 * changed one (pkggate ignores SIGPIPE) restores it first; the shim
 * changes none, so the tool starts as it would have without it.
 */
int pg_realtool_exec(const char *path, char *const argv[], const struct pg_selfset *skip);

/*
 * Tell the python hook (shim/pkggate_hook.py) of the Python about to be
 * exec'd that this pip command was handled already, so it does not hand it
 * back to pkggate in a loop: a pipe whose read end stays open across exec,
 * named in PKGGATE_HANDLED as "fd:dev:ino". The hook believes it only when
 * that fd really is that pipe, which a value planted in an environment
 * cannot arrange; it then closes the fd and drops the variable, so pip's
 * own children are handled afresh. 0, or -1 (errno set).
 */
int pg_realtool_mark_handled(void);

#endif
