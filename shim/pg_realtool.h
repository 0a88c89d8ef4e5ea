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
 * Two variables cross exec boundaries:
 *   PKGGATE_SEEN    "dev:ino,dev:ino,..." pkggate binaries that already
 *                   handled this command; they are skipped.
 *   PKGGATE_TARGET  "dev:ino:pid" of the binary exec'd as the real tool
 *                   and of the process exec'ing it. A pkggate copy that
 *                   finds itself named here, with its own pid (exec keeps
 *                   the pid), was exec'd as another copy's "real tool": the
 *                   command was checked already, so it only passes it on.
 *                   Children of the real tool (install scripts running
 *                   `npm install`) and a value planted in an environment do
 *                   not match and are checked as usual.
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
};

/* Add the file at path (following links); missing files are ignored. */
void pg_selfset_add_path(struct pg_selfset *s, const char *path);
/* Add every "dev:ino" in a PKGGATE_SEEN value; malformed items are ignored. */
void pg_selfset_add_list(struct pg_selfset *s, const char *list);
/*
 * Add the pkggate program's own binaries: the running one, what
 * PKGGATE_SEEN lists, and its shim as installed (<prefix>/lib/pkggate,
 * beside <prefix>/bin) or in the build tree (the same directory).
 */
void pg_selfset_add_program(struct pg_selfset *s);
int pg_selfset_has(const struct pg_selfset *s, dev_t dev, ino_t ino);
/* 1 if the PKGGATE_TARGET value names self (a set holding one identity). */
int pg_selfset_is_target(const struct pg_selfset *self, const char *target_env);

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
 * execv(path, argv) with PKGGATE_SEEN = skip and PKGGATE_TARGET = path's
 * identity. Returns only on failure (errno set).
 */
int pg_realtool_exec(const char *path, char *const argv[], const struct pg_selfset *skip);

#endif
