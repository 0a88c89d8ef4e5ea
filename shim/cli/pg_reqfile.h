/*
 * pg_reqfile.h - requirements files, read the way pip 23/24 reads them.
 *
 * pip/_internal/req/req_file.py, step by step:
 *   - UTF-8, a UTF-8 BOM dropped (pip also decodes UTF-16/32 by BOM;
 *     pkggate refuses those and NUL bytes with a clear error); lines split
 *     like Python's str.splitlines(), \v \f \x1c-\x1e U+0085 U+2028/9 too,
 *     so no line pip sees can hide inside a comment here;
 *   - a line ending in '\' joins the next one (not when it is a comment
 *     line); the joined line keeps the first line's number;
 *   - comments: '#' at the start of a line or after whitespace, to the end
 *     (so `pkg#egg` and `url#frag` are not comments); blank lines skipped;
 *   - ${VAR} (only that form, VAR in [A-Z0-9_]) is replaced when set and
 *     non-empty, after comments are stripped;
 *   - words before the first word starting with '-' are the requirement;
 *     the rest is split like a shell (shlex) and read as options:
 *     -r/-c FILE (nested, relative to the including file's directory),
 *     -e X, -i/--index-url, --extra-index-url, --no-index, -f, --pre,
 *     --trusted-host, --only-binary, --no-binary, --prefer-binary,
 *     --require-hashes, --use-feature, and per requirement --hash,
 *     --global-option, -C/--config-settings. Abbreviations as optparse.
 *   - on a requirement line only the per-requirement options count; on an
 *     option line -r/-c wins over everything else on it (as in pip).
 *   - a -r inside a constraints file yields requirements, not constraints
 *     (pip does the same: nested -r resets the constraint flag).
 *
 * pkggate does not fetch: `-r https://...` and files that are not regular
 * files (pipes such as `-r <(cmd)`, which pip alone must read) are listed in
 * .unknown instead. Options pkggate does not know are listed there too,
 * never guessed at.
 *
 * Limits, each a clear error: PG_REQFILE_MAX_SIZE bytes per file, nesting
 * deeper than PG_REQFILE_MAX_DEPTH, more than PG_REQFILE_MAX_FILES files or
 * PG_REQFILE_MAX_TOTAL bytes in one struct. A file that includes one of
 * its includers is an error naming the cycle.
 */
#ifndef PG_REQFILE_H
#define PG_REQFILE_H

#include <stddef.h>

#include "pg_cmd.h"
#include "pg_err.h"

#define PG_REQFILE_MAX_SIZE  (1024 * 1024)
#define PG_REQFILE_MAX_DEPTH 32
#define PG_REQFILE_MAX_FILES 256
#define PG_REQFILE_MAX_TOTAL (16 * 1024 * 1024)

/* One requirement line. Strings are owned by the entry. */
struct pg_reqfile_entry {
    char *text;               /* the requirement as pip hands it on: the words
                               * before the options, or the -e value */
    char *file;               /* the file as pip names it: nested paths are
                               * joined onto the including file's directory */
    unsigned long line;       /* first physical line of the logical line */
    int editable;             /* from -e / --editable */
    int constraint;           /* from a -c file: constrains, installs nothing */
    struct pg_strlist hashes; /* "sha256:<hex>" from --hash, validated */
};

struct pg_reqfile {
    struct pg_reqfile_entry *v; /* in pip's order */
    size_t n, alloc;

    /*
     * Where pip will look, as its finder stands after the files: an
     * --index-url line replaces the whole list (extra URLs before it
     * included), --no-index empties it for good. Set no_index before
     * parsing when the command line has --no-index.
     */
    int index_replaced;            /* an --index-url line (or --no-index) replaced the list */
    char *index_url;               /* its URL; NULL after --no-index */
    struct pg_strlist extra_index; /* --extra-index-url since the last replacement */
    struct pg_strlist find_links;  /* -f as written (pip tries it next to the file first) */
    int no_index;
    int pre;
    int prefer_binary;
    int require_hashes;
    struct pg_strlist formats; /* "only-binary=V" / "no-binary=V", as pg_cmd.formats */

    struct pg_strlist unknown; /* "req.txt:3: --frobnicate", "-r https://...: not fetched" */
    struct pg_strlist files;   /* every file read, as named */

    size_t total;   /* bytes read so far, against PG_REQFILE_MAX_TOTAL */
};
#define PG_REQFILE_INIT {0}

struct pg_reqfile_opts {
    const char *cwd; /* base of relative paths; NULL: the process's cwd */
    /* ${VAR} lookup; NULL: getenv(3). Return NULL when unset. */
    const char *(*getenv)(const char *name, void *ctx);
    void *env_ctx;
    int no_nested; /* 1: do not open nested -r/-c files, list them in .unknown (fuzzing) */
};

void pg_reqfile_init(struct pg_reqfile *rf);
void pg_reqfile_release(struct pg_reqfile *rf);

/*
 * Read path (a path, or a local file: URL without %-escapes) and everything
 * it includes, appending
 * entries to rf. constraint: 1 for a -c file. opts may be NULL. Returns 0,
 * or -1 with err naming the file and line: "req.txt:3: invalid option ...".
 * On error rf keeps what was read before; release it either way.
 */
int pg_reqfile_parse(struct pg_reqfile *rf, const char *path, int constraint,
                     const struct pg_reqfile_opts *opts, struct pg_err *err) PG_WARN_UNUSED;

/* The same for content already in memory; name is used for messages and
 * to resolve nested files. buf need not be NUL-terminated. */
int pg_reqfile_parse_buf(struct pg_reqfile *rf, const char *name, const char *buf, size_t len,
                         int constraint, const struct pg_reqfile_opts *opts,
                         struct pg_err *err) PG_WARN_UNUSED;

#endif
