/*
 * pg_pep508.c - PEP 508 requirement lines (pg_pep508.h).
 *
 * A recursive-descent parser over packaging's grammar rather than a port of
 * its regexes, ASCII only so the locale cannot change what parses, with a
 * length cap and a nesting cap because the input is untrusted.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_pep508.h"
#include "pg_util.h"
#include "banned.h"

/* Parser state: the whole input and a cursor. Messages quote the input. */
struct p {
    const char *s;
    size_t i;
    struct pg_err *err;
    const char *what; /* "requirement" or "marker" */
    int depth;
};

static int fail(struct p *p, const char *fmt, ...) PG_PRINTF(2, 3);

static int fail(struct p *p, const char *fmt, ...)
{
    char why[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    return pg_err_set(p->err, "invalid %s '%.200s': %s (column %zu)", p->what, p->s, why,
                      p->i + 1);
}

/* ASCII only: the grammar is ASCII and the locale must not change it. */
static int alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int wordc(char c)
{
    return alnum(c) || c == '_';
}

static int space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void skip_ws(struct p *p)
{
    while (p->s[p->i] == ' ' || p->s[p->i] == '\t')
        p->i++;
}

/*
 * A name or extra: [A-Za-z0-9], then [A-Za-z0-9._-], ending on [A-Za-z0-9]
 * (PEP 508; packaging's IDENTIFIER, made strict about the last character).
 */
static size_t ident_len(const char *s)
{
    size_t n = 0, end = 0;

    if (!alnum(s[0]))
        return 0;
    for (; alnum(s[n]) || s[n] == '.' || s[n] == '_' || s[n] == '-'; n++)
        if (alnum(s[n]))
            end = n + 1;
    return end;
}

static size_t digits(const char *s)
{
    size_t n = 0;

    while (s[n] >= '0' && s[n] <= '9')
        n++;
    return n;
}

static size_t sep(const char *s)
{
    return s[0] == '-' || s[0] == '_' || s[0] == '.';
}

/* Case-insensitive literal: length of w if s starts with it, else 0. */
static size_t lit(const char *s, const char *w)
{
    size_t n = 0;

    for (; w[n]; n++) {
        char c = s[n];

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != w[n])
            return 0;
    }
    return n;
}

/* A tag from tags, with optional separators around it and a number after. */
static size_t v_tagged(const char *s, const char *const *tags, size_t ntags)
{
    size_t i = sep(s);

    for (size_t t = 0; t < ntags; t++) {
        size_t n = lit(s + i, tags[t]);

        if (n) {
            i += n;
            i += sep(s + i);
            return i + digits(s + i);
        }
    }
    return 0;
}

static size_t v_pre(const char *s)
{
    /* Order matters: regex alternation takes the first that matches. */
    static const char *const tags[] = {"alpha", "beta", "preview", "pre", "a", "b", "c", "rc"};

    return v_tagged(s, tags, PG_ARRAY_SIZE(tags));
}

static size_t v_post(const char *s)
{
    static const char *const tags[] = {"post", "rev", "r"};
    if (s[0] == '-' && digits(s + 1) > 0)
        return 1 + digits(s + 1);
    return v_tagged(s, tags, PG_ARRAY_SIZE(tags));
}

static size_t v_dev(const char *s)
{
    static const char *const tags[] = {"dev"};

    return v_tagged(s, tags, 1);
}

static size_t alnum_run(const char *s)
{
    size_t n = 0;

    while (alnum(s[n]))
        n++;
    return n;
}

static size_t v_local(const char *s)
{
    size_t i;

    if (s[0] != '+' || alnum_run(s + 1) == 0)
        return 0;
    i = 1 + alnum_run(s + 1);
    while (sep(s + i) && alnum_run(s + i + 1) > 0)
        i += 1 + alnum_run(s + i + 1);
    return i;
}

/* v? (N!)? N(.N)* with at least min_parts release numbers. */
static size_t v_release(const char *s, int min_parts)
{
    size_t i = (s[0] == 'v' || s[0] == 'V'), n;
    int parts = 1;

    n = digits(s + i);
    if (n && s[i + n] == '!')
        i += n + 1;
    n = digits(s + i);
    if (!n)
        return 0;
    i += n;
    while (s[i] == '.' && digits(s + i + 1) > 0) {
        i += 1 + digits(s + i + 1);
        parts++;
    }
    return parts >= min_parts ? i : 0;
}

static size_t op_len(const char *s)
{
    static const char *const ops[] = {"===", "==", "!=", "~=", "<=", ">=", "<", ">"};

    for (size_t k = 0; k < PG_ARRAY_SIZE(ops); k++)
        if (strncmp(s, ops[k], strlen(ops[k])) == 0)
            return strlen(ops[k]);
    return 0;
}

/*
 * One SPECIFIER token (operator, optional space, version) as packaging's
 * Specifier regex allows per operator; 0 if none. *oplen gets the operator
 * length even when the version does not match.
 */
static size_t spec_token(const char *s, size_t *oplen)
{
    size_t op = op_len(s), i = op, n;
    int eq = op == 2 && (s[0] == '=' || s[0] == '!');

    *oplen = op;
    if (!op)
        return 0;
    while (space(s[i]))
        i++;
    if (op == 3) { /* ===: arbitrary string, no space, ';' or ')' */
        for (n = 0; s[i + n] && !space(s[i + n]) && s[i + n] != ';' && s[i + n] != ')'; n++)
            ;
        return n ? i + n : 0;
    }
    n = v_release(s + i, s[0] == '~' ? 2 : 1);
    if (!n)
        return 0;
    i += n;
    if (eq && s[i] == '.' && s[i + 1] == '*')
        return i + 2;
    i += v_pre(s + i);
    i += v_post(s + i);
    i += v_dev(s + i);
    if (eq)
        i += v_local(s + i);
    return i;
}

static int parse_extras(struct p *p, struct pg_sb *out)
{
    size_t n;

    if (p->s[p->i] != '[')
        return 0;
    p->i++;
    skip_ws(p);
    n = ident_len(p->s + p->i);
    while (n) {
        if (out->len)
            pg_sb_addc(out, ',');
        pg_sb_add(out, p->s + p->i, n);
        p->i += n;
        skip_ws(p);
        if (ident_len(p->s + p->i))
            return fail(p, "expected comma between extra names");
        if (p->s[p->i] != ',')
            break;
        p->i++;
        skip_ws(p);
        n = ident_len(p->s + p->i);
        if (!n)
            return fail(p, "expected extra name after comma");
    }
    skip_ws(p);
    if (p->s[p->i] != ']')
        return fail(p, "expected ']' after extras");
    p->i++;
    return 0;
}

static int parse_specs(struct p *p, struct pg_sb *out)
{
    int paren = p->s[p->i] == '(';

    if (paren) {
        p->i++;
        skip_ws(p);
    }
    for (;;) {
        size_t oplen, n = spec_token(p->s + p->i, &oplen);

        if (!n && oplen)
            return fail(p, "expected a valid version after '%.*s'", (int)oplen, p->s + p->i);
        if (!n)
            break;
        if (out->len)
            pg_sb_addc(out, ',');
        for (size_t k = 0; k < n; k++)
            if (!space(p->s[p->i + k]))
                pg_sb_addc(out, p->s[p->i + k]);
        p->i += n;
        if (p->s[p->i] == '.' && p->s[p->i + 1] == '*')
            return fail(p, "'.*' suffix can only be used with == or !=");
        if (v_local(p->s + p->i))
            return fail(p, "local version label can only be used with == or !=");
        skip_ws(p);
        if (p->s[p->i] != ',')
            break;
        p->i++;
        skip_ws(p);
    }
    if (paren) {
        skip_ws(p);
        if (p->s[p->i] != ')')
            return fail(p, "expected ')' after version specifier");
        p->i++;
    }
    return 0;
}

/* ---- markers: syntax only -------------------------------------------- */

static const char *const marker_vars[] = {
    "dependency_groups", "extra", "extras", "implementation_name", "implementation_version",
    "os.name", "os_name", "platform.machine", "platform.python_implementation",
    "platform.version", "platform_machine", "platform_python_implementation",
    "platform_release", "platform_system", "platform_version", "python_full_version",
    "python_implementation", "python_version", "sys.platform", "sys_platform",
};

/* A keyword such as "and" standing alone (\bword\b). */
static int keyword(const struct p *p, const char *w)
{
    size_t n = strlen(w);

    return strncmp(p->s + p->i, w, n) == 0 && !wordc(p->s[p->i + n]) &&
           (p->i == 0 || !wordc(p->s[p->i - 1]));
}

static int marker_var(struct p *p)
{
    const char *s = p->s + p->i;
    size_t n = 0;

    if (s[0] == '\'' || s[0] == '"') {
        const char *end = strchr(s + 1, s[0]);

        if (!end)
            return fail(p, "unterminated string in marker");
        p->i += (size_t)(end - s) + 1;
        return 0;
    }
    while (wordc(s[n]) || s[n] == '.')
        n++;
    for (size_t k = 0; n && k < PG_ARRAY_SIZE(marker_vars); k++) {
        if (strlen(marker_vars[k]) == n && strncmp(s, marker_vars[k], n) == 0) {
            p->i += n;
            return 0;
        }
    }
    return fail(p, "expected a marker variable or quoted string");
}

static int marker_op(struct p *p)
{
    size_t n;

    if (keyword(p, "in")) {
        p->i += 2;
        return 0;
    }
    if (keyword(p, "not")) {
        p->i += 3;
        if (p->s[p->i] != ' ' && p->s[p->i] != '\t')
            return fail(p, "expected whitespace after 'not'");
        skip_ws(p);
        if (!keyword(p, "in"))
            return fail(p, "expected 'in' after 'not'");
        p->i += 2;
        return 0;
    }
    n = op_len(p->s + p->i);
    if (!n)
        return fail(p, "expected a marker operator (<, <=, ==, !=, >=, >, ~=, ===, in, not in)");
    p->i += n;
    return 0;
}

static int marker_or(struct p *p);

static int marker_atom(struct p *p)
{
    skip_ws(p);
    if (p->s[p->i] == '(') {
        if (++p->depth > PG_PEP508_MAX_NEST)
            return fail(p, "marker nested more than %d deep", PG_PEP508_MAX_NEST);
        p->i++;
        if (marker_or(p) < 0)
            return -1;
        skip_ws(p);
        if (p->s[p->i] != ')')
            return fail(p, "expected ')' to close marker expression");
        p->i++;
        p->depth--;
    } else {
        if (marker_var(p) < 0)
            return -1;
        skip_ws(p);
        if (marker_op(p) < 0)
            return -1;
        skip_ws(p);
        if (marker_var(p) < 0)
            return -1;
    }
    skip_ws(p);
    return 0;
}

static int marker_or(struct p *p)
{
    if (marker_atom(p) < 0)
        return -1;
    for (;;) {
        if (keyword(p, "and"))
            p->i += 3;
        else if (keyword(p, "or"))
            p->i += 2;
        else
            return 0;
        if (marker_atom(p) < 0)
            return -1;
    }
}

int pg_pep508_check_marker(const char *marker, struct pg_err *err)
{
    struct p p = {marker, 0, err, "marker", 0};

    if (strlen(marker) > PG_PEP508_MAX)
        return pg_err_set(err, "marker longer than %d bytes", PG_PEP508_MAX);
    if (marker_or(&p) < 0)
        return -1;
    skip_ws(&p);
    if (p.s[p.i])
        return fail(&p, "expected 'and', 'or' or the end of the marker");
    return 0;
}

/* ---- requirements ----------------------------------------------------- */

/* A URL must at least start with a scheme: "foo @ 1.0" is a mistake. */
static int url_ok(const char *u, size_t n)
{
    size_t k = 1;

    if (!n || !((u[0] >= 'a' && u[0] <= 'z') || (u[0] >= 'A' && u[0] <= 'Z')))
        return 0;
    while (k < n && (alnum(u[k]) || u[k] == '+' || u[k] == '-' || u[k] == '.'))
        k++;
    return k < n && u[k] == ':' && k + 1 < n;
}

static int parse_url(struct p *p, struct pg_pep508 *out)
{
    size_t start, n = 0;

    p->i++; /* '@' */
    skip_ws(p);
    start = p->i;
    while (p->s[start + n] && p->s[start + n] != ' ' && p->s[start + n] != '\t')
        n++;
    if (!n)
        return fail(p, "expected a URL after '@'");
    if (!url_ok(p->s + start, n))
        return fail(p, "'%.*s' is not a URL (expected scheme:...)", (int)(n > 100 ? 100 : n),
                    p->s + start);
    out->url = pg_xstrndup(p->s + start, n);
    p->i += n;
    return 0;
}

static int parse_marker_tail(struct p *p, struct pg_pep508 *out, const char *after)
{
    size_t start, end;

    skip_ws(p);
    if (!p->s[p->i])
        return 0;
    if (p->s[p->i] != ';') {
        if (p->s[p->i] == '=' && !out->url)
            return fail(p, "'=' is not a version operator; did you mean '=='?");
        return fail(p, "expected the end or ';' after %s", after);
    }
    p->i++;
    start = p->i;
    if (marker_or(p) < 0)
        return -1;
    if (p->s[p->i])
        return fail(p, "expected 'and', 'or' or the end of the marker");
    while (p->s[start] == ' ' || p->s[start] == '\t')
        start++;
    end = p->i;
    while (end > start && (p->s[end - 1] == ' ' || p->s[end - 1] == '\t'))
        end--;
    out->marker = pg_xstrndup(p->s + start, end - start);
    return 0;
}

int pg_pep508_parse(struct pg_pep508 *out, const char *s, struct pg_err *err)
{
    struct p p = {s, 0, err, "requirement", 0};
    struct pg_sb extras = PG_SB_INIT, spec = PG_SB_INIT;
    size_t n;
    int ret = -1;

    memset(out, 0, sizeof(*out));
    if (strlen(s) > PG_PEP508_MAX)
        return pg_err_set(err, "requirement longer than %d bytes", PG_PEP508_MAX);
    skip_ws(&p);
    n = ident_len(s + p.i);
    if (!n) {
        fail(&p, "expected a package name");
        goto out;
    }
    out->name = pg_xstrndup(s + p.i, n);
    p.i += n;
    skip_ws(&p);
    if (parse_extras(&p, &extras) < 0)
        goto out;
    skip_ws(&p);
    if (s[p.i] == '@') {
        if (parse_url(&p, out) < 0 || parse_marker_tail(&p, out, "the URL") < 0)
            goto out;
    } else {
        if (parse_specs(&p, &spec) < 0)
            goto out;
        if (parse_marker_tail(&p, out, spec.len ? "the version specifier" : "the name") < 0)
            goto out;
    }
    out->extras = extras.len ? pg_sb_detach(&extras) : NULL;
    out->spec = pg_sb_detach(&spec);
    ret = 0;
out:
    pg_sb_release(&extras);
    pg_sb_release(&spec);
    if (ret < 0)
        pg_pep508_release(out);
    return ret;
}

void pg_pep508_release(struct pg_pep508 *r)
{
    free(r->name);
    free(r->extras);
    free(r->spec);
    free(r->url);
    free(r->marker);
    memset(r, 0, sizeof(*r));
}

char *pg_pep508_pinned(const char *spec)
{
    size_t n;

    if (!spec || strchr(spec, ','))
        return NULL;
    if (strncmp(spec, "===", 3) == 0)
        return spec[3] ? pg_xstrdup(spec + 3) : NULL;
    if (strncmp(spec, "==", 2) != 0 || !spec[2])
        return NULL;
    n = strlen(spec);
    if (n >= 2 && spec[n - 2] == '.' && spec[n - 1] == '*')
        return NULL;
    return pg_xstrdup(spec + 2);
}
