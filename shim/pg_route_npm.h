/*
 * pg_route_npm.h - could this npm/npx command line install anything?
 *
 * Two layers, both libc only: no allocation, no I/O, no environment, so the
 * shim (linked to libc alone) can compile pg_route_npm.c directly and call
 * pg_route_npm()/pg_route_npx() on every `npm run build`.
 *
 * 1. pg_npmscan() reads argv exactly as npm 11 does (nopt 9 with npm's config
 *    definitions): options anywhere, `--key=value`, value-taking keys by
 *    their nopt type, shorthands (`-g`, `-D`, `-w x`, grouped `-gD`),
 *    unambiguous abbreviations (`--reg` -> `--registry`), `--no-key`,
 *    `--key true|false`, `--` ending options, and unknown keys read as
 *    booleans. pg_npmargs.c builds the precise parse on top of it.
 * 2. pg_route_npm()/pg_route_npx() decide from that scan whether the command
 *    may fetch packages. They err towards 1: when an unknown option might
 *    have taken the word that follows it (an older or newer npm may know
 *    that key), the answer is 1.
 *
 * Everything here borrows from argv and from constant tables; nothing is
 * ever freed.
 */
#ifndef PG_ROUTE_NPM_H
#define PG_ROUTE_NPM_H

#include <stddef.h>

/*
 * 1 when the command may fetch or install packages (hand it to the full
 * checker), 0 when it certainly cannot (exec the real tool directly).
 * argv[0] is the program name and is not read.
 *
 * npm: install and every alias (i, add, isntall, ...), ci, update, exec/x,
 * install-test, install-ci-test, dedupe, link, uninstall and prune (npm
 * reifies the whole tree, installing what is missing), `pack <spec>`,
 * `cache add <spec>`, `init <initializer>`,
 * `audit fix` -> 1. run, test, ls, view, config, publish, a bare
 * `init`, `--version`, `--help`, unknown commands ... -> 0.
 * npx: 0 only for `npx` alone and `npx --version`/`-v`/`--help`/`-h`.
 */
int pg_route_npm(int argc, char *const argv[]);
int pg_route_npx(int argc, char *const argv[]);

/* One thing pg_npmscan() found. */
struct pg_npmscan_ev {
    int is_opt; /* 1: an option; 0: a positional word */
    /*
     * Options: name is npm's key ("registry" for `--reg`, `-C`...), NUL
     * terminated when known; for an unknown key it points into argv and only
     * namelen bytes belong to it. raw/rawlen is the option as written up to
     * any '=' ("--no-foo", "-x"), for reporting.
     */
    const char *name;
    size_t namelen;
    const char *raw;
    size_t rawlen;
    int known;   /* name is one of npm's config keys */
    int negated; /* written as --no-<key> */
    /*
     * The value: a NUL-terminated string (an argv word, the text after '=',
     * or a constant from a shorthand such as "-d" -> "info"), or NULL when
     * nopt stored a boolean (bool_value) or null (is_null).
     * Positionals: value is the word.
     */
    const char *value;
    int bool_value;
    int is_null;
    int after_dashdash; /* positional that followed "--" */
    int hanging;        /* unknown boolean option directly followed by a
                         * bare word that npm then reads as a positional */
};

/*
 * Scan argv[1..argc-1] the way npm's nopt does and call fn once per option
 * and positional, in order. fn returns 0 to go on; any other value stops the
 * scan and is returned. Returns 0 after the last word.
 */
int pg_npmscan(int argc, char *const argv[], int (*fn)(const struct pg_npmscan_ev *ev, void *ctx),
               void *ctx);

/*
 * The command npm runs for a typed command word, as lib/utils/cmd-list.js
 * deref() finds it: exact names, aliases ("i", "isntall", "x", "cit"...),
 * camelCase ("installTest"), unambiguous prefixes ("upd"). Returns a
 * constant string ("install", "exec", ...) or NULL when npm would say
 * "Unknown command".
 */
const char *pg_npm_deref(const char *word);

/*
 * 1 if the canonical command canon may fetch packages. arg1 is the first
 * positional after the command word (NULL if none): `init` installs only
 * with an initializer, `audit` only as `audit fix`.
 */
int pg_npm_cmd_installs(const char *canon, const char *arg1);

/*
 * npm's config key key[0..n): 1 if it exists (exactly, or as an
 * unambiguous prefix when abbrev is set) with *is_bool = 1 when nopt reads
 * it as a boolean switch (its type includes Boolean); 0 if unknown.
 */
int pg_npm_opt_lookup(const char *key, size_t n, int abbrev, int *is_bool);

/*
 * npm's shorthand named exactly key[0..n) ("g", "reg", "d", "local"...):
 * its expansion ("--global"; "--loglevel" "info") in exp[0..k), returns k
 * (1 or 2), or 0 when key is not a shorthand.
 */
int pg_npm_shorthand(const char *key, size_t n, const char *exp[2]);

/*
 * The i-th name of an internal table in storage order (table 0: config
 * keys, 1: shorthands, 2: command words), NULL past the end. Lets the tests
 * check that every bsearch table is sorted.
 */
const char *pg_npmscan_table_name(int table, size_t i);

#endif
