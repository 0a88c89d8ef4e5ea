/*
 * pg_typo.h - name-only typosquat detection, offline.
 *
 * Given a package name and its ecosystem, pg_typo_check() finds the popular
 * package the name most likely imitates, the kind of confusion and a score.
 * The popular names are compiled in (data/README.md: which, and why those
 * thresholds), laid out at build time so that nothing is parsed, hashed or
 * allocated at start-up: pg_typo_builtin() returns static const data, and a
 * check allocates nothing. One check costs a few microseconds.
 *
 * What counts as a match (sizes are of the "key skeleton": the name
 * lowercased, separators - _ . @ / dropped, lookalikes folded, runs of one
 * letter collapsed; PyPI names are PEP 503-normalised first):
 *   - skeletons equal: separator games, homoglyphs, doubled letters, an npm
 *     scope written without its '@' and '/';
 *   - one edit (omission, insertion, substitution, adjacent transposition)
 *     on targets of 4 characters or more (on exactly 4, no arbitrary
 *     substitution: only the edits people make by accident), two edits on
 *     8 characters or more; never an edit on 3 characters or fewer;
 *   - the name is a popular one plus a known prefix or suffix (python-, py,
 *     -py, node-, -js, -cli, -dev, 2, -latest, ...), or with a leading or
 *     trailing word swapped for its synonym (py/python, js/javascript,
 *     node/nodejs), or the same words in another order;
 *   - npm: @scope/x where x is a popular unscoped name and scope, not an
 *     established one, closely imitates an established scope whose top
 *     package has 1,000,000+ downloads a month (one edit from 5
 *     characters, two from 10); or a scope that looks like an established
 *     one (a few edits, or the same scope plus an affix: "@azure-sdk/x"
 *     for "@azure/x", the same package name only), with x the real
 *     package's name or that name plus an affix ("@angulr/core-js").
 * Never matched:
 *   - the package itself (PyPI: the same name after PEP 503);
 *   - an npm name in an established scope (one that holds a known package):
 *     only the scope's owner can publish there;
 *   - an npm "@scope/x" a few edits from an unscoped name, counted over
 *     scope and name run together ("@best/cli", jest-cli): org packages
 *     read so (an equal skeleton, "@cross/env" for cross-env, still counts);
 *   - targets below the popularity floor (data/README.md);
 *   - a name that is itself known (in the popular lists), unless the target
 *     is popularity_ratio times more popular AND the confusion is one that
 *     is not also how related packages are named: homoglyph, separator,
 *     transposition, unscoped, word-order, scope-lookalike.
 *
 * Kinds (stable names, used in JSON evidence; pg_typo_kind_name()):
 *   homoglyph        lookalike characters: l/1/I, 0/o, rn/m, vv/w, i/l, and
 *                    Unicode letters that look like ASCII ("reqüests")
 *   separator        only - _ . or their absence differ ("crossenv")
 *   repetition       a letter doubled or a double letter dropped ("pasportt")
 *   transposition    two adjacent characters swapped ("reqeusts")
 *   omission         one character left out ("mcha")
 *   insertion        one character added ("lodashs")
 *   keyboard         one character replaced by a neighbouring key ("rwquests")
 *   substitution     one character replaced by another ("dequests")
 *   edits            two edits of any of the kinds above ("bab3el-regyster")
 *   affix            a prefix or suffix added ("mysqljs", "python3-dateutil"),
 *                    or a word swapped for its synonym ("py-dateutil")
 *   word-order       the same words reordered ("dateutil-python")
 *   unscoped         an npm scoped name written unscoped ("azure-cosmos")
 *   scoped           a popular unscoped npm name under an unrelated scope
 *                    ("@typescript_eslinter/prettier")
 *   scope-lookalike  a scope that imitates an established one ("@expue/config")
 *
 * Score: 0.5..1, higher is closer: equal skeletons 0.96-0.98 (homoglyph
 * 0.98, separator 0.97), word order 0.93, an affix 0.8-0.94 by how much of
 * the name the popular one makes up, edits 0.95 - 0.4 * edits / length
 * (one edit on 8 characters: 0.90). Among candidate targets the best score
 * wins, then the most downloaded, then the closest as written. Any match is
 * a finding: the score explains, it does not gate.
 */
#ifndef PG_TYPO_H
#define PG_TYPO_H

#include <stddef.h>
#include <stdint.h>

#include "pg_req.h"

struct pg_typo;

enum pg_typo_kind {
    PG_TYPO_NONE = 0,
    PG_TYPO_HOMOGLYPH,
    PG_TYPO_SEPARATOR,
    PG_TYPO_REPETITION,
    PG_TYPO_TRANSPOSITION,
    PG_TYPO_OMISSION,
    PG_TYPO_INSERTION,
    PG_TYPO_KEYBOARD,
    PG_TYPO_SUBSTITUTION,
    PG_TYPO_EDITS,
    PG_TYPO_AFFIX,
    PG_TYPO_WORD_ORDER,
    PG_TYPO_UNSCOPED,
    PG_TYPO_SCOPED,
    PG_TYPO_SCOPE_LOOKALIKE,
};

struct pg_typo_opts {
    /* A known name is flagged only against a target this many times more
     * popular (monthly downloads); <= 0 means the default 1000. Why 1000:
     * the squats of the strong kinds that reached npm's download lists
     * had 1/3,700 (babelcli) to 1/8,000 of their target's downloads,
     * while real packages one separator or swap from a far bigger one
     * (base64, findup, notp) sit at 1/150 to 1/650. */
    double popularity_ratio;
    /* More names to protect (internal packages: also a guard against
     * dependency confusion), as registry names ("internal-lib",
     * "@myorg/lib"), borrowed for the call. They count as infinitely
     * popular and as targets. */
    const char *const *extra;
    size_t nextra;
};
#define PG_TYPO_OPTS_INIT {1000.0, NULL, 0}

struct pg_typo_match {
    enum pg_typo_kind kind;
    double score;         /* 0..1, two decimals */
    const char *target;   /* borrowed: static index data, or one of opts->extra */
    uint32_t target_pop;  /* downloads a month (PyPI: estimated); 0 for extra */
    uint32_t name_pop;    /* the checked name's own; 0 when not a known name */
    int target_extra;     /* 1 when the target came from opts->extra */
    int established;      /* the checked name is itself established offline
                           * (pg_typo_established()) */
    char detail[64];      /* affix: the added word(s), "node+ts", or the
                           * swap, "py>python";
                           * scoped, scope-lookalike: the scope, "@expue";
                           * else "" */
};

/* The compiled-in index; never NULL, static, nothing to free. */
const struct pg_typo *pg_typo_builtin(void);

/*
 * Check name (as written: "Reqeusts", "@scope/x") for eco. Returns 1 and
 * fills *m when the name imitates a popular package, 0 when not (also for
 * NULL, empty or over-long names). opts may be NULL (defaults). Does not
 * allocate; thread-safe.
 */
int pg_typo_check(const struct pg_typo *idx, enum pg_eco eco, const char *name,
                  const struct pg_typo_opts *opts, struct pg_typo_match *m);

/*
 * Up to max popular names nearest to name, best first, for "no such
 * package; did you mean ...". Looser than pg_typo_check(): any known name
 * (no target floor, no popularity gate), two edits from 7 characters.
 * out[i] point into static data. Returns how many were written (max 16).
 */
size_t pg_typo_suggest(const struct pg_typo *idx, enum pg_eco eco, const char *name,
                       const char **out, size_t max);

/*
 * 1 when name is an established package by the compiled-in lists: a known
 * (popular) name, or one of the long tail with real use (data/README.md:
 * npm from 1,000 downloads a month). The long tail is kept as 32-bit
 * fingerprints: a name not on it answers 1 with probability about 1 in
 * 33,000 (count / 2^32), which only turns a block into a warning.
 */
int pg_typo_established(const struct pg_typo *idx, enum pg_eco eco, const char *name);
/* How many long-tail fingerprints eco has (known names not counted). */
size_t pg_typo_established_count(const struct pg_typo *idx, enum pg_eco eco);
/* When the registry lists behind the index were taken: "2026-12-07". */
const char *pg_typo_snapshot(const struct pg_typo *idx);

/* Monthly downloads of a known name (PyPI: estimated), 0 if not known. */
uint32_t pg_typo_popularity(const struct pg_typo *idx, enum pg_eco eco, const char *name);

/* The known names, for benchmarks and tests: count, and the i-th (static). */
size_t pg_typo_count(const struct pg_typo *idx, enum pg_eco eco);
const char *pg_typo_name_at(const struct pg_typo *idx, enum pg_eco eco, size_t i);

/* "transposition", ...; "none" for PG_TYPO_NONE. */
const char *pg_typo_kind_name(enum pg_typo_kind kind);

#endif
