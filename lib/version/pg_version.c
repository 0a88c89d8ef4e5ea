/*
 * pg_version.c - the one entry point over npm semver and PEP 440.
 *
 * Both grammars are asked with prereleases admitted (node-semver's
 * includePrerelease, packaging's contains(v, prereleases=True)): a policy
 * range is a statement about versions, so a deny of "<2.0.0" must also cover
 * 1.5.0-beta.1. Each grammar's own exclusions (<2.0 leaves out 2.0rc1) hold.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_version.h"
#include "pg_name.h"
#include "pg_pep440.h"
#include "pg_semver.h"
#include "pg_util.h"
#include "banned.h"

int pg_version_satisfies(enum pg_eco eco, const char *version, const char *range)
{
    if (!version || !range)
        return -1;
    if (eco == PG_ECO_NPM)
        return pg_semver_satisfies(version, range, PG_SEMVER_INCLUDE_PRERELEASE);
    return pg_pep440_satisfies(version, range, 1);
}

static int sign(int c)
{
    return (c > 0) - (c < 0);
}

/* Unparsable sorts first; two unparsable ones by their text, for a total order. */
static int cmp_valid(int va, int vb, const char *a, const char *b)
{
    if (va && vb)
        return 0;
    if (!va && !vb)
        return sign(strcmp(a, b));
    return va ? 1 : -1;
}

int pg_version_cmp(enum pg_eco eco, const char *a, const char *b)
{
    if (eco == PG_ECO_NPM) {
        struct pg_semver x, y;
        int va = pg_semver_parse(a, &x, NULL) == 0, vb = pg_semver_parse(b, &y, NULL) == 0;

        return va && vb ? sign(pg_semver_cmp(&x, &y)) : cmp_valid(va, vb, a, b);
    } else {
        struct pg_pep440 x, y;
        int va = pg_pep440_parse(a, &x, NULL) == 0, vb = pg_pep440_parse(b, &y, NULL) == 0;

        return va && vb ? sign(pg_pep440_cmp(&x, &y)) : cmp_valid(va, vb, a, b);
    }
}

char *pg_version_ident(enum pg_eco eco, const char *name, const char *version)
{
    struct pg_pep440 v;
    struct pg_err err = PG_ERR_INIT;
    struct pg_sb ver = PG_SB_INIT;
    char *norm, *key;

    if (eco != PG_ECO_PYPI)
        return pg_xasprintf("%s@%s", name, version);
    norm = pg_name_normalize(eco, name);
    if (pg_pep440_parse(version, &v, &err) == 0)
        pg_pep440_format(&v, PG_PEP440_FMT_CANONICAL, &ver);
    else
        pg_sb_adds(&ver, version);
    key = pg_xasprintf("%s@%s", norm, pg_sb_str(&ver));
    pg_sb_release(&ver);
    free(norm);
    return key;
}
