/*
 * The typosquat checker (lib/pg_typo.h) against the compiled-in lists: each
 * kind of confusion caught with its target, and the near misses it must
 * leave alone. Targets are packages popular enough to stay in any refresh
 * of data/popular-*.txt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pg_typo.h"
#include "pg_typo_int.h"
#include "banned.h"

struct hit {
    enum pg_eco eco;
    const char *name;
    const char *target;
    enum pg_typo_kind kind;
};

static const struct hit hits[] = {
    /* homoglyphs: digits, letter pairs, Unicode */
    {PG_ECO_NPM, "1odash", "lodash", PG_TYPO_HOMOGLYPH},
    {PG_ECO_NPM, "rnocha", "mocha", PG_TYPO_HOMOGLYPH},
    {PG_ECO_NPM, "\xd0\xb5xpress", "express", PG_TYPO_HOMOGLYPH},           /* Cyrillic e */
    {PG_ECO_PYPI, "req\xcf\x85\x65sts", "requests", PG_TYPO_HOMOGLYPH},     /* Greek upsilon */
    {PG_ECO_PYPI, "\xef\xbd\x92\xef\xbd\x85\xef\xbd\x91\xef\xbd\x95\xef\xbd\x85\xef\xbd\x93"
                  "\xef\xbd\x94\xef\xbd\x93", "requests", PG_TYPO_HOMOGLYPH}, /* fullwidth */
    {PG_ECO_PYPI, "reque\xe2\x80\x8bsts", "requests", PG_TYPO_HOMOGLYPH},   /* zero width */
    {PG_ECO_PYPI, "jeIlyfish", "jellyfish", PG_TYPO_HOMOGLYPH},             /* I for l */
    /* separators */
    {PG_ECO_NPM, "crossenv", "cross-env", PG_TYPO_SEPARATOR},
    {PG_ECO_PYPI, "setup-tools", "setuptools", PG_TYPO_SEPARATOR},
    {PG_ECO_PYPI, "python.date_util", "python-dateutil", PG_TYPO_SEPARATOR},
    /* doubled or dropped letters */
    {PG_ECO_NPM, "pasportt", "passport", PG_TYPO_REPETITION},
    {PG_ECO_NPM, "mongose", "mongoose", PG_TYPO_REPETITION},
    {PG_ECO_PYPI, "requestts", "requests", PG_TYPO_REPETITION},
    /* one edit */
    {PG_ECO_PYPI, "reqeusts", "requests", PG_TYPO_TRANSPOSITION},
    {PG_ECO_NPM, "exprses", "express", PG_TYPO_TRANSPOSITION},
    {PG_ECO_NPM, "mcha", "mocha", PG_TYPO_OMISSION},
    {PG_ECO_PYPI, "rquests", "requests", PG_TYPO_OMISSION},
    {PG_ECO_NPM, "lodashs", "lodash", PG_TYPO_INSERTION},
    /* case is no written difference: the old "JSONStream", not the far
     * smaller "json-stream" one separator away */
    {PG_ECO_NPM, "jsknstream", "JSONStream", PG_TYPO_KEYBOARD},
    {PG_ECO_PYPI, "rwquests", "requests", PG_TYPO_KEYBOARD},
    {PG_ECO_PYPI, "nunpy", "numpy", PG_TYPO_KEYBOARD},
    {PG_ECO_PYPI, "gequests", "requests", PG_TYPO_SUBSTITUTION},
    /* two edits on a long name */
    {PG_ECO_NPM, "bab3el-regyster", "babel-register", PG_TYPO_EDITS},
    {PG_ECO_PYPI, "beutifulsop4", "beautifulsoup4", PG_TYPO_EDITS},
    /* affixes */
    {PG_ECO_NPM, "mysqljs", "mysql", PG_TYPO_AFFIX},
    {PG_ECO_NPM, "node-express", "express", PG_TYPO_AFFIX},
    {PG_ECO_NPM, "express-latest", "express", PG_TYPO_AFFIX},
    {PG_ECO_NPM, "lodash.js", "lodash", PG_TYPO_AFFIX},
    {PG_ECO_PYPI, "requests-py", "requests", PG_TYPO_AFFIX},
    {PG_ECO_PYPI, "python-requests", "requests", PG_TYPO_AFFIX},
    {PG_ECO_PYPI, "pyrequests", "requests", PG_TYPO_AFFIX},
    {PG_ECO_PYPI, "flask-dev", "flask", PG_TYPO_AFFIX},
    {PG_ECO_PYPI, "requests-darwin-lite", "requests", PG_TYPO_AFFIX},
    /* an affix on a big name beats two typos of a smaller one
     * (python-pptx, react-dates); one typo still wins (pip-tools) */
    {PG_ECO_PYPI, "python-httpx", "httpx", PG_TYPO_AFFIX},
    {PG_ECO_NPM, "react-latest", "react", PG_TYPO_AFFIX},
    {PG_ECO_PYPI, "piptool", "pip-tools", PG_TYPO_OMISSION},
    /* a word swapped for its synonym: py/python, js/javascript */
    {PG_ECO_PYPI, "py-dateutil", "python-dateutil", PG_TYPO_AFFIX},
    {PG_ECO_NPM, "discord-javascript", "discord.js", PG_TYPO_AFFIX},
    /* words reordered */
    {PG_ECO_PYPI, "dateutil-python", "python-dateutil", PG_TYPO_WORD_ORDER},
    /* npm scope tricks */
    {PG_ECO_NPM, "types-node", "@types/node", PG_TYPO_UNSCOPED},
    {PG_ECO_NPM, "typesnode", "@types/node", PG_TYPO_UNSCOPED},
    {PG_ECO_NPM, "@typos/node", "@types/node", PG_TYPO_SCOPE_LOOKALIKE},
    {PG_ECO_NPM, "@type/node", "@types/node", PG_TYPO_SCOPE_LOOKALIKE},
    {PG_ECO_NPM, "@typescript_eslinter/prettier", "prettier", PG_TYPO_SCOPED},
    /* an established scope plus an affix, the same package name */
    {PG_ECO_NPM, "@babel-sdk/core", "@babel/core", PG_TYPO_SCOPE_LOOKALIKE},
    {PG_ECO_NPM, "@types_js/node", "@types/node", PG_TYPO_SCOPE_LOOKALIKE},
    {PG_ECO_NPM, "@aws-crypto-official/util", "@aws-crypto/util", PG_TYPO_SCOPE_LOOKALIKE},
    /* a lookalike scope, the real name plus an affix (a big scope: found
     * through the key skeleton of scope and base run together) */
    {PG_ECO_NPM, "@angulr/core-js", "@angular/core", PG_TYPO_SCOPE_LOOKALIKE},
};

static void test_caught(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(hits) / sizeof(hits[0]); i++) {
        struct pg_typo_match m;
        int got = pg_typo_check(pg_typo_builtin(), hits[i].eco, hits[i].name, NULL, &m);

        if (!got || strcmp(m.target, hits[i].target) || m.kind != hits[i].kind)
            fail_msg("%s: got %s %s, want %s %s", hits[i].name, got ? m.target : "nothing",
                     got ? pg_typo_kind_name(m.kind) : "", hits[i].target,
                     pg_typo_kind_name(hits[i].kind));
        assert_true(m.score > 0.5 && m.score <= 1.0);
    }
}

struct miss {
    enum pg_eco eco;
    const char *name;
    const char *not_target; /* NULL: no match at all */
};

static const struct miss misses[] = {
    /* the package itself, however it is spelt */
    {PG_ECO_PYPI, "requests", NULL},
    {PG_ECO_PYPI, "Requests", NULL},
    {PG_ECO_PYPI, "python_dateutil", NULL},
    {PG_ECO_PYPI, "Python.Dateutil", NULL},
    {PG_ECO_NPM, "lodash", NULL},
    /* popular names next to more popular ones */
    {PG_ECO_PYPI, "pyyaml", NULL},
    {PG_ECO_PYPI, "attr", "attrs"},
    {PG_ECO_NPM, "mkdir", "mkdirp"},
    {PG_ECO_NPM, "react-dom", NULL},
    /* no edits on names of 3 letters, no substitution on 4 */
    {PG_ECO_NPM, "vux", "vue"},
    {PG_ECO_NPM, "jast", "jest"},
    /* no two edits on short names */
    {PG_ECO_NPM, "mxchx", "mocha"},
    {PG_ECO_NPM, "xprss", "express"},
    /* one owner publishes everything in an established scope */
    {PG_ECO_NPM, "@types/reqeusts", NULL},
    {PG_ECO_NPM, "@babel/cor", NULL},
    /* an unrelated scope is not an imitation by itself */
    {PG_ECO_NPM, "@myorg/lodash", NULL},
    /* nor one a letter from a small org's scope ("@most"), nor an
     * established scope plus an affix for a name that scope lacks: forks
     * and companion orgs are named so ("@octokit-next") */
    {PG_ECO_NPM, "@boost/cli", NULL},
    {PG_ECO_NPM, "@babel-sdk/left-pad", NULL},
    {PG_ECO_NPM, "@babel-sdk/zzqx-helper", NULL},
    /* an org's package is not a typo of an unscoped name spelt across
     * the scope ("@best/cli" and jest-cli, "@aave/core" and axe-core) */
    {PG_ECO_NPM, "@best/cli", "jest-cli"},
    {PG_ECO_NPM, "@aave/core", "axe-core"},
    /* nothing like any popular name */
    {PG_ECO_PYPI, "zqxjkvbwpf", NULL},
    {PG_ECO_NPM, "zqxjkvbwpf", NULL},
};

static void test_not_caught(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(misses) / sizeof(misses[0]); i++) {
        struct pg_typo_match m;
        int got = pg_typo_check(pg_typo_builtin(), misses[i].eco, misses[i].name, NULL, &m);

        if (got && (!misses[i].not_target || !strcmp(m.target, misses[i].not_target)))
            fail_msg("%s: flagged as %s (%s)", misses[i].name, m.target,
                     pg_typo_kind_name(m.kind));
    }
}

/* A swap says what it swapped; a popular name is no swap of another. */
static void test_synonym_swap(void **state)
{
    struct pg_typo_match m;

    (void)state;
    assert_int_equal(pg_typo_check(pg_typo_builtin(), PG_ECO_PYPI, "pydateutil", NULL, &m), 1);
    assert_string_equal(m.target, "python-dateutil");
    assert_string_equal(m.detail, "py>python");
    /* "python-jwt" is pyjwt with python for py, but a real package */
    assert_true(pg_typo_popularity(pg_typo_builtin(), PG_ECO_PYPI, "python-jwt") > 0);
    assert_int_equal(pg_typo_check(pg_typo_builtin(), PG_ECO_PYPI, "python-jwt", NULL, &m), 0);
}

static void test_bad_input(void **state)
{
    struct pg_typo_match m;
    char longname[400];

    (void)state;
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    assert_int_equal(pg_typo_check(pg_typo_builtin(), PG_ECO_NPM, NULL, NULL, &m), 0);
    assert_int_equal(pg_typo_check(pg_typo_builtin(), PG_ECO_NPM, "", NULL, &m), 0);
    assert_int_equal(pg_typo_check(pg_typo_builtin(), PG_ECO_NPM, "---", NULL, &m), 0);
    assert_int_equal(pg_typo_check(pg_typo_builtin(), PG_ECO_PYPI, longname, NULL, &m), 0);
    /* malformed UTF-8 is no lookalike of anything */
    assert_int_equal(pg_typo_check(pg_typo_builtin(), PG_ECO_PYPI, "\xff\xfe\xc0", NULL, &m), 0);
    assert_int_equal(pg_typo_popularity(pg_typo_builtin(), PG_ECO_PYPI, NULL), 0);
}

/* A known name is flagged only against a far more popular target. */
static void test_popularity_ratio(void **state)
{
    const struct pg_typo *idx = pg_typo_builtin();
    struct pg_typo_opts opts = PG_TYPO_OPTS_INIT;
    struct pg_typo_match m;
    uint32_t own = pg_typo_popularity(idx, PG_ECO_NPM, "notp");
    uint32_t big = pg_typo_popularity(idx, PG_ECO_NPM, "nopt");
    double ratio = (double)big / (double)own;

    (void)state;
    assert_true(own > 0 && big > own);
    opts.popularity_ratio = ratio * 0.9;
    assert_int_equal(pg_typo_check(idx, PG_ECO_NPM, "notp", &opts, &m), 1);
    assert_string_equal(m.target, "nopt");
    assert_int_equal(m.kind, PG_TYPO_TRANSPOSITION);
    assert_int_equal(m.name_pop, own);
    opts.popularity_ratio = ratio * 1.1;
    assert_int_equal(pg_typo_check(idx, PG_ECO_NPM, "notp", &opts, &m), 0);
}

/* By default a known name needs a target 1000 times more popular. */
static void test_default_ratio(void **state)
{
    const struct pg_typo *idx = pg_typo_builtin();
    struct pg_typo_match m;
    uint32_t own = pg_typo_popularity(idx, PG_ECO_NPM, "notp");
    uint32_t big = pg_typo_popularity(idx, PG_ECO_NPM, "nopt");

    (void)state;
    /* Two real packages a swap apart, the bigger one less than 1000 times
     * as downloaded: left alone. */
    assert_true(own > 0 && big > 100.0 * own && big < 1000.0 * own);
    assert_int_equal(pg_typo_check(idx, PG_ECO_NPM, "notp", NULL, &m), 0);
}

/* Affixes on key skeletons: which splits count. */
static void test_affixed(void **state)
{
    char rest[8][PG_TYPO_SKEL_MAX + 1];
    size_t n;
    int fwd = 0, back = 0;

    (void)state;
    assert_int_equal(pg_typo_affixed("azuresdk", 8, "azure", 5), 1);
    assert_int_equal(pg_typo_affixed("nodeazure", 9, "azure", 5), 1);
    assert_int_equal(pg_typo_affixed("azurex", 6, "azure", 5), 0);
    /* "sdk" is a suffix, not a prefix */
    assert_int_equal(pg_typo_affixed("sdkazure", 8, "azure", 5), 0);
    /* key skeletons collapse doubles: "official" is written "oficial" */
    assert_int_equal(pg_typo_affixed("azureoficial", 12, "azure", 5), 1);
    /* ... and across the seam too: "crypto" + "oficial" */
    assert_int_equal(pg_typo_affixed("cryptoficial", 12, "crypto", 6), 1);
    assert_int_equal(pg_typo_affixed("cryptficial", 11, "crypt", 5), 0);
    /* too short a stem to say */
    assert_int_equal(pg_typo_affixed("abjs", 4, "ab", 2), 0);
    n = pg_typo_unaffix("nodexpresjs", 11, rest, 8);
    for (size_t i = 0; i < n; i++) {
        fwd += !strcmp(rest[i], "nodexpres");
        back += !strcmp(rest[i], "xpresjs");
    }
    assert_int_equal(fwd, 1);
    assert_int_equal(back, 1);
    assert_int_equal(pg_typo_unaffix("zqxwvb", 6, rest, 8), 0);
}

static void test_extra_names(void **state)
{
    static const char *const extra[] = {"acme-internal-billing", "@acme/secret-sauce"};
    struct pg_typo_opts opts = PG_TYPO_OPTS_INIT;
    struct pg_typo_match m;

    (void)state;
    opts.extra = extra;
    opts.nextra = 2;
    assert_int_equal(pg_typo_check(pg_typo_builtin(), PG_ECO_NPM, "acme-internal-bliling", &opts, &m), 1);
    assert_string_equal(m.target, "acme-internal-billing");
    assert_int_equal(m.target_extra, 1);
    assert_int_equal(m.kind, PG_TYPO_TRANSPOSITION);
    assert_int_equal(pg_typo_check(pg_typo_builtin(), PG_ECO_NPM, "acme-secret-sauce", &opts, &m), 1);
    assert_string_equal(m.target, "@acme/secret-sauce");
    assert_int_equal(m.kind, PG_TYPO_UNSCOPED);
    /* the internal name itself is not a typo of itself */
    assert_int_equal(pg_typo_check(pg_typo_builtin(), PG_ECO_NPM, "acme-internal-billing", &opts, &m), 0);
    /* without the extra list nothing is protected */
    assert_int_equal(pg_typo_check(pg_typo_builtin(), PG_ECO_NPM, "acme-internal-bliling", NULL, &m), 0);
}

static void test_suggest(void **state)
{
    const char *out[4];
    size_t n = pg_typo_suggest(pg_typo_builtin(), PG_ECO_PYPI, "reqests", out, 4);

    (void)state;
    assert_true(n >= 1 && n <= 4);
    assert_string_equal(out[0], "requests");
    assert_int_equal(pg_typo_suggest(pg_typo_builtin(), PG_ECO_PYPI, "zqxjkvbwpf", out, 4), 0);
    assert_int_equal(pg_typo_suggest(pg_typo_builtin(), PG_ECO_PYPI, "reqests", out, 0), 0);
}

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(pg_typo_kind_name(PG_TYPO_TRANSPOSITION), "transposition");
    assert_string_equal(pg_typo_kind_name(PG_TYPO_SCOPE_LOOKALIKE), "scope-lookalike");
    assert_string_equal(pg_typo_kind_name(PG_TYPO_WORD_ORDER), "word-order");
    assert_string_equal(pg_typo_kind_name((enum pg_typo_kind)99), "none");
}

/* The bit-parallel and the banded distance agree with a plain DP. */
static int plain_osa(const char *a, const char *b)
{
    int d[20][20];
    size_t la = strlen(a), lb = strlen(b);

    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

static void test_distance(void **state)
{
    static const char *const words[] = {"", "a", "ab", "ba", "abc", "acb", "bca", "abcd",
                                        "abdc", "badc", "aabb", "abab", "cabd", "dcba"};
    size_t n = sizeof(words) / sizeof(words[0]);

    (void)state;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            for (int max = 1; max <= 2; max++) {
                int want = plain_osa(words[i], words[j]);
                struct pg_typo_peq pe;

                want = want > max ? max + 1 : want;
                assert_int_equal(pg_typo_osa(words[i], strlen(words[i]), words[j],
                                             strlen(words[j]), max), want);
                if (!*words[i])
                    continue;
                pg_typo_peq_init(&pe, words[i], strlen(words[i]));
                assert_int_equal(pg_typo_osa_bits(&pe, words[j], strlen(words[j]), max), want);
            }
}


/* Levenshtein distance (no transpositions), capped: what pass-join promises. */
static int lev(const char *a, const char *b, int cap)
{
    int row[PG_TYPO_BUF + 1], n = (int)strlen(b);

    for (int j = 0; j <= n; j++)
        row[j] = j;
    for (const char *p = a; *p; p++) {
        int diag = row[0], best;

        row[0]++;
        best = row[0];
        for (int j = 1; j <= n; j++) {
            int up = row[j], v = diag + (*p != b[j - 1]);

            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            diag = up;
            row[j] = v;
            if (v < best)
                best = v;
        }
        if (best > cap)
            return cap + 1;
    }
    return row[n] > cap ? cap + 1 : row[n];
}

/*
 * The index loses nothing a linear scan finds: for mutated popular names,
 * whenever some target within the filter's edits relates to the name, the
 * indexed check reports a match too.
 */
static void test_index_complete(void **state)
{
    const struct pg_typo *idx = pg_typo_builtin();
    unsigned long long seed = 12345;
    int checked = 0;

    (void)state;
    for (int e = 0; e < 2; e++) {
        const struct pg_typo_set *set = e ? &idx->pypi : &idx->npm;

        for (int k = 0; k < 300; k++) {
            struct pg_typo_query q;
            struct pg_typo_match m;
            char name[PG_TYPO_BUF];
            const char *src;
            size_t n, at;
            int expect = 0;

            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            src = set->names + set->name_off[(seed >> 33) % set->n];
            n = strlen(src);
            if (n < 5 || n + 2 >= sizeof(name) || src[0] == '@')
                continue;
            memcpy(name, src, n + 1);
            at = (size_t)(seed >> 20) % (n - 1);
            if (seed & 1) /* drop a character, or change it */
                memmove(name + at, name + at + 1, n - at);
            else
                name[at] = name[at] == 'q' ? 'x' : 'q';
            if (!pg_typo_query_init(&q, e ? PG_ECO_PYPI : PG_ECO_NPM, name) ||
                pg_typo_popularity(idx, q.eco, name))
                continue;
            for (uint32_t id = 0; id < set->n && !expect; id++) {
                const char *tkey = set->skels + set->skel_off[id];
                size_t tl = set->skel_len[id];
                struct pg_typo_rel r;

                if (!(set->flags[id] & PG_TYPO_F_TARGET) ||
                    (tl > q.klen ? tl - q.klen : q.klen - tl) > 2 ||
                    lev(q.key, tkey, pg_typo_kf(tl)) > pg_typo_kf(tl))
                    continue;
                expect = pg_typo_relate(&q, set->names + set->name_off[id], tkey, 0, &r);
            }
            if (expect && !pg_typo_check(idx, q.eco, name, NULL, &m))
                fail_msg("%s: a linear scan finds a target, the index none", name);
            checked += expect;
        }
    }
    print_message("%d names had a target within the filter\n", checked);
    assert_true(checked > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_caught),         cmocka_unit_test(test_not_caught),
        cmocka_unit_test(test_bad_input),      cmocka_unit_test(test_popularity_ratio),
        cmocka_unit_test(test_extra_names),    cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_kind_names),     cmocka_unit_test(test_distance),
        cmocka_unit_test(test_index_complete), cmocka_unit_test(test_default_ratio),
        cmocka_unit_test(test_affixed),        cmocka_unit_test(test_synonym_swap),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
