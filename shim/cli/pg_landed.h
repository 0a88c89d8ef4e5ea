/*
 * pg_landed.h - what an install put on disk, set against what was judged.
 *
 * pkggate judges the tree it models before the tool runs; the tool then
 * builds its own. Whatever lands that pkggate did not judge (a tarball
 * URL's or a git dependency's own dependencies, a setting it does not
 * model, a modelling gap) must not pass in silence: pkggate never claims a
 * tree it did not see. No registry is asked: the comparison reads local
 * files only.
 *
 *   npm: <prefix>/node_modules/.package-lock.json, npm's record of what
 *        node_modules holds (npm 7+), before and after: every entry whose
 *        location or version is new.
 *   pip: the names of the *.dist-info directories in the environment's
 *        site-packages (purelib, platlib), before and after: every new one
 *        ("requests_mini-2.31.0.dist-info" is requests-mini 2.31.0).
 *
 * Not watched (pg_landed_begin returns 0, and the tool is exec'd as
 * usual): npm -g, npx / npm exec, --dry-run, commands that do not install
 * into the project (pack, cache), pip download/wheel, and a Python whose
 * site-packages cannot be told. pip --target/--user/--prefix/--root land
 * outside the environment's site-packages and are not read.
 *
 *     struct pg_landed l = PG_LANDED_INIT;
 *     if (pg_landed_begin(&l, cmd, real)) { run the tool; pg_landed_unjudged(&l, judged, &out); }
 *     pg_landed_release(&l);
 */
#ifndef PG_LANDED_H
#define PG_LANDED_H

#include "pg_cmd.h"
#include "pg_gate.h"
#include "pg_strmap.h"

struct pg_landed {
    enum pg_eco eco;
    char *project;           /* for the audit log: npm's prefix, or the cwd */
    char *lockfile;          /* npm: the hidden lockfile's path */
    char *dirs[2];           /* pip: purelib, platlib (NULL: none) */
    struct pg_strmap before; /* npm: "location name@version"; pip: dist-info names */
    char *before_text;       /* npm: the hidden lockfile as it was (NULL: none) */
    size_t before_len;
    int settled;             /* before holds before_text's entries */
};
#define PG_LANDED_INIT {PG_ECO_NPM, NULL, NULL, {NULL, NULL}, PG_STRMAP_INIT, NULL, 0, 0}

/* One package that landed. Owned strings. */
struct pg_landed_pkg {
    char *name;    /* npm: as npm names it; pip: from the dist-info's name */
    char *version;
    char *where;   /* npm: "node_modules/a/node_modules/b"; pip: the directory */
};
struct pg_landed_list {
    struct pg_landed_pkg *v;
    size_t n, alloc;
};
#define PG_LANDED_LIST_INIT {NULL, 0, 0}
void pg_landed_list_release(struct pg_landed_list *l);

/*
 * Whether cmd (run by the real tool at real) installs somewhere this can
 * read afterwards; if so note what is there now and return 1, else 0.
 * npm's record is only read here, not parsed: pg_landed_settle parses it,
 * best while the tool runs (pg_child_run's meanwhile), off the path
 * between the verdict and the tool's start.
 */
int pg_landed_begin(struct pg_landed *l, const struct pg_cmd *cmd, const char *real);

/* Parse what pg_landed_begin read; once (later calls do nothing). */
void pg_landed_settle(struct pg_landed *l);

/*
 * Append to out what landed since pg_landed_begin whose key is not in
 * judged (keys of pg_version_ident). An unreadable record reads as empty;
 * an npm record unchanged byte for byte holds nothing new.
 */
void pg_landed_unjudged(struct pg_landed *l, const struct pg_strmap *judged,
                        struct pg_landed_list *out);

void pg_landed_release(struct pg_landed *l);

/*
 * Say it: loudly on stderr (unless the policy's mode is audit), one
 * audit record per package (rule "unjudged", decision "warn"), and with
 * --json/--json-out one object per package in a verdict's shape (origin
 * "landed"). Nothing when list is empty. The tool's exit status is not
 * changed by this.
 */
void pg_landed_report(const struct pg_landed *l, const struct pg_landed_list *list,
                      const struct pg_gate_opts *o, const struct pg_policy *pol);

#endif
