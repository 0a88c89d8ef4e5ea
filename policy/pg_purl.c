#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pg_name.h"
#include "pg_purl.h"
#include "pg_util.h"
#include "pg_version.h"
#include "banned.h"

/* Longest pattern text looked at; anything longer is refused, not cut. */
#define PURL_TEXT_MAX 1024

void pg_purl_release(struct pg_purl *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->range);
    p->name = NULL;
    p->range = NULL;
    p->glob = 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode %XX escapes in s[0..n); NULL for a bad escape or an encoded NUL. */
static char *pct_decode(const char *s, size_t n)
{
    struct pg_sb sb = PG_SB_INIT;

    for (size_t i = 0; i < n; i++) {
        int hi, lo;

        if (s[i] != '%') {
            pg_sb_addc(&sb, s[i]);
            continue;
        }
        hi = i + 1 < n ? hexval(s[i + 1]) : -1;
        lo = hi >= 0 && i + 2 < n ? hexval(s[i + 2]) : -1;
        if (lo < 0 || (hi == 0 && lo == 0)) {
            pg_sb_release(&sb);
            return NULL;
        }
        pg_sb_addc(&sb, (char)(hi * 16 + lo));
        i += 2;
    }
    return pg_sb_detach(&sb);
}

/* One '/'-free part of a name: letters, digits, - . _ ~ and the globs. */
static int part_ok(const char *s, size_t n, const char *extra)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (!isalnum(c) && !strchr(extra, c))
            return 0;
    }
    return 1;
}

/* NULL if name is acceptable for eco, else why not. */
static const char *name_problem(enum pg_eco eco, const char *name)
{
    const char *slash = strchr(name, '/');
    size_t n = strlen(name);

    if (n == 0)
        return "no package name";
    if (n > PG_PURL_NAME_MAX)
        return "name too long";
    if (eco == PG_ECO_PYPI)
        return part_ok(name, n, "-._*?") ? NULL : "a PyPI name holds only letters, digits, - . _";
    if (name[0] != '@')
        return !slash && part_ok(name, n, "-._~*?") ? NULL : "bad npm name";
    if (!slash || strchr(slash + 1, '/'))
        return "a scoped npm name is @scope/name";
    if (!part_ok(name + 1, (size_t)(slash - name - 1), "-._~*?") ||
        !part_ok(slash + 1, strlen(slash + 1), "-._~*?"))
        return "bad npm name";
    return NULL;
}

/* Split "name[@range]" (still encoded) into the decoded parts of p. */
static const char *split_rest(struct pg_purl *p, const char *rest)
{
    const char *at = strchr(rest + (rest[0] == '@'), '@');
    size_t nlen = at ? (size_t)(at - rest) : strlen(rest);
    const char *why;

    p->name = pct_decode(rest, nlen);
    if (!p->name)
        return "bad %-escape in the name";
    /* Spaces may separate parts of a range ("@>=1.2 <2"), never a name. */
    if (strchr(p->name, ' '))
        return "spaces are not allowed in a name";
    why = name_problem(p->eco, p->name);
    if (why)
        return why;
    if (at) {
        p->range = pct_decode(at + 1, strlen(at + 1));
        if (!p->range)
            return "bad %-escape in the version";
        if (!p->range[0])
            return "nothing after '@'";
    }
    return NULL;
}

static const char *parse_parts(struct pg_purl *p, const char *text)
{
    const char *rest;
    const char *why;

    if (strlen(text) > PURL_TEXT_MAX)
        return "too long";
    for (const char *c = text; *c; c++)
        if (iscntrl((unsigned char)*c))
            return "control characters are not allowed";
    if (strncasecmp(text, "pkg:", 4) != 0)
        return "must start with pkg:";
    if (strncasecmp(text + 4, "npm/", 4) == 0) {
        p->eco = PG_ECO_NPM;
        rest = text + 8;
    } else if (strncasecmp(text + 4, "pypi/", 5) == 0) {
        p->eco = PG_ECO_PYPI;
        rest = text + 9;
    } else {
        return "type must be npm or pypi";
    }
    if (strchr(rest, '#'))
        return "subpaths (#...) are not supported";
    why = split_rest(p, rest);
    if (why)
        return why;
    p->glob = strpbrk(p->name, "*?") != NULL;
    if (p->eco == PG_ECO_PYPI) {
        char *norm = pg_name_normalize(PG_ECO_PYPI, p->name);

        free(p->name);
        p->name = norm;
        /* A purl carries an exact version; as a PEP 440 specifier that is ==. */
        if (p->range && isalnum((unsigned char)p->range[0])) {
            char *eq = pg_xasprintf("==%s", p->range);

            free(p->range);
            p->range = eq;
        }
    }
    return NULL;
}

int pg_purl_parse(struct pg_purl *p, const char *text, struct pg_err *err)
{
    const char *why;

    p->name = NULL;
    p->range = NULL;
    p->glob = 0;
    if (!text)
        return pg_err_set(err, "missing package pattern");
    why = parse_parts(p, text);
    if (!why && p->range &&
        pg_version_satisfies(p->eco, p->eco == PG_ECO_NPM ? "0.0.0" : "0", p->range) < 0)
        why = p->eco == PG_ECO_NPM ? "bad semver range" : "bad PEP 440 specifier";
    if (why) {
        pg_purl_release(p);
        return pg_err_set(err, "bad package pattern '%.300s': %s", text, why);
    }
    return 0;
}

/* Match one '/'-free segment; the classic single-backtrack glob. */
static int glob_seg(const char *p, const char *pe, const char *s, const char *se)
{
    const char *star = NULL, *resume = NULL;

    while (s < se) {
        if (p < pe && (*p == '?' || *p == *s) && *p != '*') {
            p++;
            s++;
        } else if (p < pe && *p == '*') {
            star = p++;
            resume = s;
        } else if (star) {
            p = star + 1;
            s = ++resume;
        } else {
            return 0;
        }
    }
    while (p < pe && *p == '*')
        p++;
    return p == pe;
}

int pg_purl_glob(const char *pat, const char *s)
{
    for (;;) {
        const char *pe = strchr(pat, '/');
        const char *se = strchr(s, '/');

        if (!pe != !se)
            return 0;
        if (!pe)
            return glob_seg(pat, pat + strlen(pat), s, s + strlen(s));
        if (!glob_seg(pat, pe, s, se))
            return 0;
        pat = pe + 1;
        s = se + 1;
    }
}

int pg_purl_match(const struct pg_purl *p, enum pg_eco eco, const char *name, const char *version)
{
    char *norm = NULL;
    int hit;

    if (!p || !p->name || !name || eco != p->eco)
        return 0;
    if (eco == PG_ECO_PYPI)
        norm = pg_name_normalize(eco, name);
    hit = p->glob ? pg_purl_glob(p->name, norm ? norm : name)
                  : strcmp(p->name, norm ? norm : name) == 0;
    free(norm);
    if (hit && p->range)
        hit = version && pg_version_satisfies(eco, version, p->range) == 1;
    return hit;
}
