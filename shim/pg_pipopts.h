/*
 * pg_pipopts.h - pip's options and subcommands, as constant tables.
 *
 * Shared by the libc-only router (pg_route_pip.c), the full argv parser
 * (pg_pipargs.c) and the requirement-file parser (pg_reqfile.c), so this
 * header includes libc only and holds no code that allocates or does I/O.
 *
 * Source: pip/_internal/cli/cmdoptions.py, commands/{install,download,
 * wheel,lock}.py and req/req_file.py (SUPPORTED_OPTIONS*) of pip 23.2-25.x,
 * as a union: an option a newer pip added is still known, so its value is
 * not mistaken for a package. Scope bits say which parser accepts a name:
 * optparse matches abbreviations only among the names its parser has.
 *
 * Both tables MUST stay sorted by strcmp (binary search; a unit test checks).
 */
#ifndef PG_PIPOPTS_H
#define PG_PIPOPTS_H

#include <stddef.h>
#include <string.h>

#define PG_PIPOPT_VAL 0x01u /* takes a value: --opt v, --opt=v, -ov, -o v */
#define PG_PIPOPT_G   0x02u /* general: the main parser and every command */
#define PG_PIPOPT_I   0x04u /* pip install */
#define PG_PIPOPT_D   0x08u /* pip download */
#define PG_PIPOPT_W   0x10u /* pip wheel */
#define PG_PIPOPT_L   0x20u /* pip lock (25.1+) */
#define PG_PIPOPT_R   0x40u /* a line of a requirements file */

/* Shorthands for the tables below. */
#define PG_PO_IDWL (PG_PIPOPT_I | PG_PIPOPT_D | PG_PIPOPT_W | PG_PIPOPT_L)
#define PG_PO_IDL  (PG_PIPOPT_I | PG_PIPOPT_D | PG_PIPOPT_L)
#define PG_PO_IDW  (PG_PIPOPT_I | PG_PIPOPT_D | PG_PIPOPT_W)
#define PG_PO_ID   (PG_PIPOPT_I | PG_PIPOPT_D)
#define PG_PO_IWL  (PG_PIPOPT_I | PG_PIPOPT_W | PG_PIPOPT_L)
#define PG_PO_V    PG_PIPOPT_VAL
#define PG_PO_G    PG_PIPOPT_G
#define PG_PO_R    PG_PIPOPT_R

/* What pkggate does with an option; most only need to be skipped right. */
enum pg_pipact {
    PG_PIPACT_NONE,
    PG_PIPACT_HELP,        /* -h: pip prints help and exits */
    PG_PIPACT_VERSION,     /* -V: before the subcommand pip prints and exits */
    PG_PIPACT_REQUIREMENT, /* -r FILE */
    PG_PIPACT_CONSTRAINT,  /* -c FILE */
    PG_PIPACT_EDITABLE,    /* -e PATH/URL */
    PG_PIPACT_INDEX_URL,
    PG_PIPACT_EXTRA_INDEX,
    PG_PIPACT_FIND_LINKS,
    PG_PIPACT_NO_INDEX,
    PG_PIPACT_PRE,
    PG_PIPACT_UPGRADE,
    PG_PIPACT_DRY_RUN,
    PG_PIPACT_NO_DEPS,
    PG_PIPACT_ONLY_BINARY,   /* pip's FormatControl: wheels only for these names */
    PG_PIPACT_NO_BINARY,     /* ... sdists only */
    PG_PIPACT_PREFER_BINARY, /* a wheel of an older version beats a newer sdist */
    PG_PIPACT_HASH,          /* --hash=algo:hex (requirement files) */
    PG_PIPACT_IGNORE_INSTALLED, /* -I, --force-reinstall, -t: installed ones are not kept */
    PG_PIPACT_UPGRADE_STRATEGY, /* "eager": -U upgrades dependencies too */
    /* Changes what pip installs in a way pkggate does not model: adds
     * packages it cannot see (--group, PEP 723 scripts), or picks for
     * another interpreter or platform (--python-version, --platform). */
    PG_PIPACT_UNSEEN,
};

struct pg_pipopt {
    const char *name;
    unsigned char act;   /* enum pg_pipact */
    unsigned char flags; /* PG_PIPOPT_* */
};

static const struct pg_pipopt pg_pipopts_long[] = {
    {"--abi", PG_PIPACT_UNSEEN, PG_PO_V | PG_PO_ID},
    {"--all-releases", PG_PIPACT_NONE, PG_PO_V | PG_PO_IDL},
    {"--break-system-packages", PG_PIPACT_NONE, PG_PIPOPT_I},
    {"--build-constraint", PG_PIPACT_NONE, PG_PO_V | PG_PO_IDL},
    {"--build-option", PG_PIPACT_NONE, PG_PO_V | PG_PIPOPT_W},
    {"--cache-dir", PG_PIPACT_NONE, PG_PO_V | PG_PO_G},
    {"--cert", PG_PIPACT_NONE, PG_PO_V | PG_PO_G},
    {"--check-build-dependencies", PG_PIPACT_NONE, PG_PO_IDWL},
    {"--client-cert", PG_PIPACT_NONE, PG_PO_V | PG_PO_G},
    {"--compile", PG_PIPACT_NONE, PG_PIPOPT_I},
    {"--config-settings", PG_PIPACT_NONE, PG_PO_V | PG_PO_IWL | PG_PO_R},
    {"--constraint", PG_PIPACT_CONSTRAINT, PG_PO_V | PG_PO_IDWL | PG_PO_R},
    {"--debug", PG_PIPACT_NONE, PG_PO_G},
    {"--default-timeout", PG_PIPACT_NONE, PG_PO_V | PG_PO_G},
    {"--dest", PG_PIPACT_NONE, PG_PO_V | PG_PIPOPT_D},
    {"--destination-dir", PG_PIPACT_NONE, PG_PO_V | PG_PIPOPT_D},
    {"--destination-directory", PG_PIPACT_NONE, PG_PO_V | PG_PIPOPT_D},
    {"--disable-pip-version-check", PG_PIPACT_NONE, PG_PO_G},
    {"--dry-run", PG_PIPACT_DRY_RUN, PG_PIPOPT_I},
    {"--editable", PG_PIPACT_EDITABLE, PG_PO_V | PG_PO_IWL | PG_PO_R},
    {"--exists-action", PG_PIPACT_NONE, PG_PO_V | PG_PO_G},
    {"--extra-index-url", PG_PIPACT_EXTRA_INDEX, PG_PO_V | PG_PO_IDWL | PG_PO_R},
    {"--find-links", PG_PIPACT_FIND_LINKS, PG_PO_V | PG_PO_IDWL | PG_PO_R},
    {"--force-reinstall", PG_PIPACT_IGNORE_INSTALLED, PG_PIPOPT_I},
    {"--global-option", PG_PIPACT_NONE, PG_PO_V | PG_PO_IDW | PG_PO_R},
    {"--group", PG_PIPACT_UNSEEN, PG_PO_V | PG_PO_IDWL},
    {"--hash", PG_PIPACT_HASH, PG_PO_V | PG_PO_R},
    {"--help", PG_PIPACT_HELP, PG_PO_G},
    {"--ignore-installed", PG_PIPACT_IGNORE_INSTALLED, PG_PIPOPT_I},
    {"--ignore-requires-python", PG_PIPACT_UNSEEN, PG_PO_IDWL},
    {"--implementation", PG_PIPACT_UNSEEN, PG_PO_V | PG_PO_ID},
    {"--index-url", PG_PIPACT_INDEX_URL, PG_PO_V | PG_PO_IDWL | PG_PO_R},
    {"--isolated", PG_PIPACT_NONE, PG_PO_G},
    {"--keyring-provider", PG_PIPACT_NONE, PG_PO_V | PG_PO_G},
    {"--local-log", PG_PIPACT_NONE, PG_PO_V | PG_PO_G},
    {"--log", PG_PIPACT_NONE, PG_PO_V | PG_PO_G},
    {"--log-file", PG_PIPACT_NONE, PG_PO_V | PG_PO_G},
    {"--no-binary", PG_PIPACT_NO_BINARY, PG_PO_V | PG_PO_IDWL | PG_PO_R},
    {"--no-build-isolation", PG_PIPACT_NONE, PG_PO_IDWL},
    {"--no-cache-dir", PG_PIPACT_NONE, PG_PO_G},
    {"--no-clean", PG_PIPACT_NONE, PG_PO_IDWL},
    {"--no-color", PG_PIPACT_NONE, PG_PO_G},
    {"--no-compile", PG_PIPACT_NONE, PG_PIPOPT_I},
    {"--no-dependencies", PG_PIPACT_NO_DEPS, PG_PO_IDWL},
    {"--no-deps", PG_PIPACT_NO_DEPS, PG_PO_IDWL},
    {"--no-index", PG_PIPACT_NO_INDEX, PG_PO_IDWL | PG_PO_R},
    {"--no-input", PG_PIPACT_NONE, PG_PO_G},
    {"--no-python-version-warning", PG_PIPACT_NONE, PG_PO_G},
    {"--no-use-pep517", PG_PIPACT_NONE, PG_PO_IDW},
    {"--no-user", PG_PIPACT_NONE, PG_PIPOPT_I},
    {"--no-verify", PG_PIPACT_NONE, PG_PIPOPT_W},
    {"--no-warn-conflicts", PG_PIPACT_NONE, PG_PIPOPT_I},
    {"--no-warn-script-location", PG_PIPACT_NONE, PG_PIPOPT_I},
    {"--only-binary", PG_PIPACT_ONLY_BINARY, PG_PO_V | PG_PO_IDWL | PG_PO_R},
    {"--only-dependencies", PG_PIPACT_NONE, PG_PO_IDL},
    {"--only-deps", PG_PIPACT_NONE, PG_PO_IDL},
    {"--only-final", PG_PIPACT_NONE, PG_PO_V | PG_PO_IDL},
    {"--output", PG_PIPACT_NONE, PG_PO_V | PG_PIPOPT_L},
    {"--platform", PG_PIPACT_UNSEEN, PG_PO_V | PG_PO_ID},
    {"--pre", PG_PIPACT_PRE, PG_PO_IDWL | PG_PO_R},
    {"--prefer-binary", PG_PIPACT_PREFER_BINARY, PG_PO_IDWL | PG_PO_R},
    {"--prefix", PG_PIPACT_NONE, PG_PO_V | PG_PIPOPT_I},
    {"--progress-bar", PG_PIPACT_NONE, PG_PO_V | PG_PO_IDWL},
    {"--proxy", PG_PIPACT_NONE, PG_PO_V | PG_PO_G},
    {"--pypi-url", PG_PIPACT_INDEX_URL, PG_PO_V | PG_PO_IDWL | PG_PO_R},
    {"--python", PG_PIPACT_UNSEEN, PG_PO_V | PG_PO_G},
    {"--python-version", PG_PIPACT_UNSEEN, PG_PO_V | PG_PO_ID},
    {"--quiet", PG_PIPACT_NONE, PG_PO_G},
    {"--report", PG_PIPACT_NONE, PG_PO_V | PG_PIPOPT_I},
    {"--require-hashes", PG_PIPACT_NONE, PG_PO_IDWL | PG_PO_R},
    {"--require-venv", PG_PIPACT_NONE, PG_PO_G},
    {"--require-virtualenv", PG_PIPACT_NONE, PG_PO_G},
    {"--requirement", PG_PIPACT_REQUIREMENT, PG_PO_V | PG_PO_IDWL | PG_PO_R},
    {"--requirements-from-script", PG_PIPACT_UNSEEN, PG_PO_V | PG_PO_IDL},
    {"--resume-retries", PG_PIPACT_NONE, PG_PO_V | PG_PO_G},
    {"--retries", PG_PIPACT_NONE, PG_PO_V | PG_PO_G},
    {"--root", PG_PIPACT_NONE, PG_PO_V | PG_PIPOPT_I},
    {"--root-user-action", PG_PIPACT_NONE, PG_PO_V | PG_PIPOPT_I},
    {"--source", PG_PIPACT_NONE, PG_PO_V | PG_PO_IDWL},
    {"--source-dir", PG_PIPACT_NONE, PG_PO_V | PG_PO_IDWL},
    {"--source-directory", PG_PIPACT_NONE, PG_PO_V | PG_PO_IDWL},
    {"--src", PG_PIPACT_NONE, PG_PO_V | PG_PO_IDWL},
    {"--target", PG_PIPACT_IGNORE_INSTALLED, PG_PO_V | PG_PIPOPT_I},
    {"--timeout", PG_PIPACT_NONE, PG_PO_V | PG_PO_G},
    {"--trusted-host", PG_PIPACT_NONE, PG_PO_V | PG_PO_G | PG_PO_R},
    {"--upgrade", PG_PIPACT_UPGRADE, PG_PIPOPT_I},
    {"--upgrade-strategy", PG_PIPACT_UPGRADE_STRATEGY, PG_PO_V | PG_PIPOPT_I},
    {"--uploaded-prior-to", PG_PIPACT_NONE, PG_PO_V | PG_PO_IDWL},
    {"--use-deprecated", PG_PIPACT_UNSEEN, PG_PO_V | PG_PO_G},
    {"--use-feature", PG_PIPACT_NONE, PG_PO_V | PG_PO_G | PG_PO_R},
    {"--use-pep517", PG_PIPACT_NONE, PG_PO_IDWL},
    {"--user", PG_PIPACT_NONE, PG_PIPOPT_I},
    {"--verbose", PG_PIPACT_NONE, PG_PO_G},
    {"--version", PG_PIPACT_VERSION, PG_PO_G},
};

/* Short options: sorted by strcmp too (upper case first). */
static const struct pg_pipopt pg_pipopts_short[] = {
    {"-C", PG_PIPACT_NONE, PG_PO_V | PG_PO_IWL | PG_PO_R},
    {"-I", PG_PIPACT_IGNORE_INSTALLED, PG_PIPOPT_I},
    {"-U", PG_PIPACT_UPGRADE, PG_PIPOPT_I},
    {"-V", PG_PIPACT_VERSION, PG_PO_G},
    {"-c", PG_PIPACT_CONSTRAINT, PG_PO_V | PG_PO_IDWL | PG_PO_R},
    {"-d", PG_PIPACT_NONE, PG_PO_V | PG_PIPOPT_D},
    {"-e", PG_PIPACT_EDITABLE, PG_PO_V | PG_PO_IWL | PG_PO_R},
    {"-f", PG_PIPACT_FIND_LINKS, PG_PO_V | PG_PO_IDWL | PG_PO_R},
    {"-h", PG_PIPACT_HELP, PG_PO_G},
    {"-i", PG_PIPACT_INDEX_URL, PG_PO_V | PG_PO_IDWL | PG_PO_R},
    {"-o", PG_PIPACT_NONE, PG_PO_V | PG_PIPOPT_L},
    {"-q", PG_PIPACT_NONE, PG_PO_G},
    {"-r", PG_PIPACT_REQUIREMENT, PG_PO_V | PG_PO_IDWL | PG_PO_R},
    {"-t", PG_PIPACT_IGNORE_INSTALLED, PG_PO_V | PG_PIPOPT_I},
    {"-v", PG_PIPACT_NONE, PG_PO_G},
    {"-w", PG_PIPACT_NONE, PG_PO_V | PG_PIPOPT_W},
};

/* Subcommands of pip 23-25. scope: the option scope bit if it installs, else 0. */
struct pg_pipcmd {
    const char *name;
    unsigned char scope;
};

static const struct pg_pipcmd pg_pipcmds[] = {
    {"cache", 0},      {"check", 0},
    {"completion", 0}, {"config", 0},
    {"debug", 0},      {"download", PG_PIPOPT_D},
    {"freeze", 0},     {"hash", 0},
    {"help", 0},       {"index", 0},
    {"inspect", 0},    {"install", PG_PIPOPT_I},
    {"list", 0},       {"lock", PG_PIPOPT_L},
    {"search", 0},     {"show", 0},
    {"uninstall", 0},  {"wheel", PG_PIPOPT_W},
};

enum {
    PG_PIPOPT_FOUND = 0,
    PG_PIPOPT_UNKNOWN = -1,
    PG_PIPOPT_AMBIGUOUS = -2,
};

/*
 * Look name[0..len) up in tab (sorted) among entries whose flags meet scope:
 * an exact name wins, else a unique prefix (optparse's _match_abbrev, which
 * counts names, so "--no-dep" is ambiguous between --no-deps and
 * --no-dependencies). With exact_only, abbreviations are not tried (short
 * options). Returns PG_PIPOPT_FOUND and sets *out, or UNKNOWN/AMBIGUOUS.
 */
static inline int pg_pipopt_find(const struct pg_pipopt *tab, size_t n, const char *name,
                                 size_t len, unsigned scope, int exact_only,
                                 const struct pg_pipopt **out)
{
    size_t lo = 0, hi = n, hits = 0;
    const struct pg_pipopt *hit = NULL;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strncmp(tab[mid].name, name, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n && strncmp(tab[lo].name, name, len) == 0; lo++) {
        if (!(tab[lo].flags & scope))
            continue;
        if (tab[lo].name[len] == '\0') {
            *out = &tab[lo];
            return PG_PIPOPT_FOUND;
        }
        hits++;
        hit = &tab[lo];
    }
    if (hits == 1 && !exact_only) {
        *out = hit;
        return PG_PIPOPT_FOUND;
    }
    return hits > 1 && !exact_only ? PG_PIPOPT_AMBIGUOUS : PG_PIPOPT_UNKNOWN;
}

/* A long option, arg like "--index-url=x" or "--ind": the name ends at '='. */
static inline int pg_pipopt_long(const char *arg, unsigned scope, const struct pg_pipopt **out)
{
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);

    return pg_pipopt_find(pg_pipopts_long, sizeof(pg_pipopts_long) / sizeof(pg_pipopts_long[0]),
                          arg, len, scope, 0, out);
}

/* The short option letter c ("-c"). */
static inline int pg_pipopt_short(char c, unsigned scope, const struct pg_pipopt **out)
{
    char name[3] = {'-', c, '\0'};

    return pg_pipopt_find(pg_pipopts_short,
                          sizeof(pg_pipopts_short) / sizeof(pg_pipopts_short[0]), name, 2, scope,
                          1, out);
}

/* The subcommand word, or NULL if pip has no such command (no abbreviations). */
static inline const struct pg_pipcmd *pg_pipcmd_find(const char *word)
{
    size_t lo = 0, hi = sizeof(pg_pipcmds) / sizeof(pg_pipcmds[0]);

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(pg_pipcmds[mid].name, word);

        if (c == 0)
            return &pg_pipcmds[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* What pg_pipopt_next() found. */
enum pg_pipev {
    PG_PIPEV_END,       /* no words left */
    PG_PIPEV_ARG,       /* a positional word, in *word */
    PG_PIPEV_OPT,       /* option *opt, its value in *val (NULL for a flag) */
    PG_PIPEV_UNKNOWN,   /* *word has an option this parser does not know; the
                         * rest of a short group is skipped */
    PG_PIPEV_AMBIGUOUS, /* *word abbreviates several option names */
    PG_PIPEV_NOVALUE,   /* *opt takes a value and no word is left */
    PG_PIPEV_BADVALUE,  /* *opt is a flag but came as --flag=value */
};

/*
 * optparse's walk over a word list: "--" makes every later word positional,
 * "--opt=v" / "--opt v" / "-ov" / "-o v" / grouped flags "-qU". A value is
 * the next word whatever it looks like (optparse does the same). The word
 * at index skip (-1: none) is not there: pip removes the subcommand word.
 */
struct pg_pipopt_iter {
    int argc;
    char *const *argv;
    int skip;
    unsigned scope; /* PG_PIPOPT_* bits: names in this parser */
    int i;          /* next word */
    size_t j;       /* next letter inside a short group, else 0 */
    int dd;         /* "--" seen */
};

static inline void pg_pipopt_iter_init(struct pg_pipopt_iter *it, int argc, char *const *argv,
                                       int start, int skip, unsigned scope)
{
    it->argc = argc;
    it->argv = argv;
    it->skip = skip;
    it->scope = scope;
    it->i = start;
    it->j = 0;
    it->dd = 0;
}

/* The word after the current one as an option's value. */
static inline int pg_pipopt_value(struct pg_pipopt_iter *it, const char **val)
{
    int n = it->i == it->skip ? it->i + 1 : it->i;

    if (n >= it->argc)
        return PG_PIPEV_NOVALUE;
    *val = it->argv[n];
    it->i = n + 1;
    return PG_PIPEV_OPT;
}

static inline int pg_pipopt_next(struct pg_pipopt_iter *it, const struct pg_pipopt **opt,
                                 const char **val, const char **word)
{
    const char *a;

    *opt = NULL;
    *val = NULL;
    while (it->j == 0) {
        if (it->i == it->skip)
            it->i++;
        if (it->i >= it->argc)
            return PG_PIPEV_END;
        a = *word = it->argv[it->i++];
        if (it->dd || a[0] != '-' || a[1] == '\0')
            return PG_PIPEV_ARG;
        if (strcmp(a, "--") == 0) {
            it->dd = 1;
            continue;
        }
        if (a[1] == '-') {
            const char *eq = strchr(a, '=');
            int r = pg_pipopt_long(a, it->scope, opt);

            if (r != PG_PIPOPT_FOUND)
                return r == PG_PIPOPT_AMBIGUOUS ? PG_PIPEV_AMBIGUOUS : PG_PIPEV_UNKNOWN;
            if (!((*opt)->flags & PG_PIPOPT_VAL))
                return eq ? PG_PIPEV_BADVALUE : PG_PIPEV_OPT;
            if (!eq)
                return pg_pipopt_value(it, val);
            *val = eq + 1;
            return PG_PIPEV_OPT;
        }
        it->j = 1;
        it->i--;
    }
    a = *word = it->argv[it->i];
    if (pg_pipopt_short(a[it->j], it->scope, opt) != PG_PIPOPT_FOUND) {
        it->j = 0;
        it->i++;
        return PG_PIPEV_UNKNOWN;
    }
    if ((*opt)->flags & PG_PIPOPT_VAL) {
        const char *rest = a + it->j + 1;

        it->j = 0;
        it->i++;
        if (!*rest)
            return pg_pipopt_value(it, val);
        *val = rest;
        return PG_PIPEV_OPT;
    }
    if (!a[++it->j]) {
        it->j = 0;
        it->i++;
    }
    return PG_PIPEV_OPT;
}

/* Python's str.isspace() over ASCII: what pip's strip() and regex \s remove. */
static inline int pg_pip_isspace(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

/* The main parser's view of argv: where the subcommand is, and whether pip stops first. */
struct pg_pipscan {
    int k;                           /* index of the subcommand word, argc if none */
    int stop;                        /* -h or -V: pip prints and exits */
    int unsure;                      /* an unknown or ambiguous option was read */
    const struct pg_pipopt *novalue; /* an option at the end lacking its value */
};

/* 1 if pip, reading s, goes on to a subcommand that fetches (or one it does not know). */
static inline int pg_pipscan_installs(const struct pg_pipscan *s, int argc, char *const argv[])
{
    const struct pg_pipcmd *pc;

    if (s->stop || s->novalue || s->k >= argc)
        return 0;
    pc = pg_pipcmd_find(argv[s->k]);
    return !pc || pc->scope;
}

/*
 * pip's main parser (interspersed options off) from argv[start]. pip
 * rejects an option it does not know; a newer pip may know it and take the
 * next word as its value. While budget lasts both readings are tried and
 * one that installs wins, so a check is never skipped by guessing.
 */
static inline struct pg_pipscan pg_pipscan_general(int argc, char *const argv[], int start,
                                                   int budget, int stop)
{
    struct pg_pipopt_iter it;
    const struct pg_pipopt *o;
    const char *val, *word;
    struct pg_pipscan r = {argc, stop, 0, NULL};

    pg_pipopt_iter_init(&it, argc, argv, start, -1, PG_PIPOPT_G);
    for (;;) {
        switch (pg_pipopt_next(&it, &o, &val, &word)) {
        case PG_PIPEV_ARG:
            r.k = it.i - 1;
            return r;
        case PG_PIPEV_END:
            return r;
        case PG_PIPEV_NOVALUE:
            r.novalue = o;
            return r;
        case PG_PIPEV_OPT:
            r.stop |= o->act == PG_PIPACT_HELP || o->act == PG_PIPACT_VERSION;
            if (o->act == PG_PIPACT_HELP)
                return r;
            break;
        case PG_PIPEV_BADVALUE:
            break;
        default:
            r.unsure = 1;
            if (budget > 0 && it.i < argc && !(word[1] == '-' && strchr(word, '='))) {
                struct pg_pipscan flag = pg_pipscan_general(argc, argv, it.i, budget - 1, r.stop);
                struct pg_pipscan value =
                    pg_pipscan_general(argc, argv, it.i + 1, budget - 1, r.stop);

                flag.unsure = value.unsure = 1;
                return pg_pipscan_installs(&flag, argc, argv) ||
                               !pg_pipscan_installs(&value, argc, argv)
                           ? flag
                           : value;
            }
            break;
        }
    }
}

#endif
