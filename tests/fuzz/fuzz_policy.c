/*
 * fuzz_policy.c - the policy parser on untrusted bytes.
 *
 * The input is up to three layers separated by NUL bytes, merged onto the
 * built-in default, so locks from one layer meet values from the next.
 * Inputs over the 1 MiB file cap are cut there, as pg_policy_load would
 * refuse them. Loaded policies are then shown and queried, so matching
 * (globs, PEP 503 names, version ranges, expiry) runs on fuzzed patterns.
 * A failed load must report "FILE:LINE:COL: why"; finding the position runs
 * the JSON position scanner on the same text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_policy.h"
#include "pg_util.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define POLICY_FUZZ_MAX ((size_t)1 << 20)

static void query(const struct pg_policy *pol)
{
    static const struct {
        enum pg_eco eco;
        const char *name, *version;
    } pkgs[] = {
        {PG_ECO_NPM, "left-pad", "1.3.0"},    {PG_ECO_NPM, "@scope/x", "2.0.0-rc.1"},
        {PG_ECO_NPM, "lodash", NULL},         {PG_ECO_PYPI, "Django", "4.2.1"},
        {PG_ECO_PYPI, "zope.interface", "5"}, {PG_ECO_PYPI, "requests", NULL},
    };
    struct pg_sb out = PG_SB_INIT;
    const char *why;
    size_t n;

    for (size_t i = 0; i < PG_ARRAY_SIZE(pkgs); i++) {
        pg_policy_denied(pol, pkgs[i].eco, pkgs[i].name, pkgs[i].version, &why);
        pg_policy_allowed(pol, pkgs[i].eco, pkgs[i].name, pkgs[i].version, 1900000000, &why);
        pg_policy_exempt(pol, pkgs[i].eco, pkgs[i].name, pkgs[i].version, PG_RULE_TYPOSQUAT,
                         1900000000);
        pg_policy_listed(pol, PG_RULE_INSTALL_SCRIPTS, "allow", pkgs[i].eco, pkgs[i].name,
                         pkgs[i].version, &why);
    }
    pg_policy_strings(pol, PG_RULE_TYPOSQUAT, "extra_popular", &n);
    pg_policy_duration(pol, PG_RULE_MIN_VERSION_AGE, "age", 0);
    pg_policy_show(pol, &out);
    pg_sb_release(&out);
}

/* "X.json:LINE:COL: ..." as every load error must be. */
static int positioned(const char *msg)
{
    const char *p = msg + 7;

    if (strncmp(msg + 1, ".json:", 6) != 0 || *p < '1' || *p > '9')
        return 0;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p++ != ':' || *p < '1' || *p > '9')
        return 0;
    while (*p >= '0' && *p <= '9')
        p++;
    return p[0] == ':' && p[1] == ' ';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *texts[3], *names[3] = {"a.json", "b.json", "c.json"};
    struct pg_policy *pol = NULL;
    struct pg_err err = PG_ERR_INIT;
    char *copy;
    size_t n = 0, at = 0;

    if (size > POLICY_FUZZ_MAX)
        size = POLICY_FUZZ_MAX;
    copy = pg_xmalloc(size + 1);
    memcpy(copy, data, size);
    copy[size] = '\0';
    while (n < 3 && at <= size) {
        texts[n++] = copy + at;
        at += strlen(copy + at) + 1;
    }
    if (pg_policy_load_strings(&pol, texts, names, n, &err) == 0) {
        query(pol);
        pg_policy_free(pol);
    } else if (!positioned(err.msg)) {
        abort(); /* every failure must say where */
    }
    free(copy);
    return 0;
}
