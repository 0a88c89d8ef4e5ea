/*
 * pg_marker.c - environment markers evaluated (pg_marker.h).
 *
 * pg_pep508.c checks marker syntax when a requirement is read; this is the
 * other half, used only where pip would evaluate: which dependencies of a
 * version apply to the interpreter pip runs on. Every comparison is
 * evaluated, as packaging does, so an undefined one is an error even where
 * `and`/`or` would not need it.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_marker.h"
#include "pg_name.h"
#include "pg_pep440.h"
#include "pg_util.h"
#include "banned.h"

#define MAX_NEST 32

static const char *const names[PG_MK_NVARS] = {
    "implementation_name", "implementation_version", "os_name", "platform_machine",
    "platform_python_implementation", "platform_release", "platform_system",
    "platform_version", "python_full_version", "python_version", "sys_platform",
};

/* packaging's aliases for the pre-PEP 508 spellings. */
static const struct {
    const char *alias;
    enum pg_marker_var var;
} legacy[] = {
    {"os.name", PG_MK_OS_NAME},
    {"sys.platform", PG_MK_SYS_PLATFORM},
    {"platform.version", PG_MK_PLATFORM_VERSION},
    {"platform.machine", PG_MK_PLATFORM_MACHINE},
    {"platform.python_implementation", PG_MK_PLATFORM_PYTHON_IMPLEMENTATION},
    {"python_implementation", PG_MK_PLATFORM_PYTHON_IMPLEMENTATION},
};

const char *pg_marker_var_name(enum pg_marker_var var)
{
    return var >= 0 && var < PG_MK_NVARS ? names[var] : NULL;
}

int pg_marker_var_find(const char *name)
{
    for (int i = 0; i < PG_MK_NVARS; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    for (size_t i = 0; i < PG_ARRAY_SIZE(legacy); i++)
        if (strcmp(legacy[i].alias, name) == 0)
            return (int)legacy[i].var;
    return -1;
}

struct ev {
    const char *s;
    size_t i;
    const struct pg_marker_env *env;
    const char *extra;
    struct pg_err *err;
    int depth;
    int failed;
};

/* One side of a comparison: a literal, or a variable's name. */
struct operand {
    char *text;
    int var;
};

static int fail(struct ev *e, const char *what)
{
    if (!e->failed)
        pg_err_set(e->err, "invalid marker '%s': %s", e->s, what);
    e->failed = 1;
    return -1;
}

static void skip_ws(struct ev *e)
{
    while (e->s[e->i] == ' ' || e->s[e->i] == '\t')
        e->i++;
}

static int wordc(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.';
}

/* The keyword w standing alone at the cursor; consumed when it is. */
static int keyword(struct ev *e, const char *w)
{
    size_t n = strlen(w);

    skip_ws(e);
    if (strncmp(e->s + e->i, w, n) != 0 || wordc(e->s[e->i + n]))
        return 0;
    e->i += n;
    return 1;
}

static int operand(struct ev *e, struct operand *o)
{
    const char *p;
    size_t n = 0;

    skip_ws(e);
    p = e->s + e->i;
    if (*p == '\'' || *p == '"') {
        const char *end = strchr(p + 1, *p);

        if (!end)
            return fail(e, "unterminated string");
        o->text = pg_xstrndup(p + 1, (size_t)(end - p - 1));
        o->var = 0;
        e->i += (size_t)(end - p) + 1;
        return 0;
    }
    while (wordc(p[n]))
        n++;
    if (!n)
        return fail(e, "expected a variable or a quoted string");
    o->text = pg_xstrndup(p, n);
    o->var = 1;
    e->i += n;
    return 0;
}

/* The operator at the cursor into op[8]; "in" and "not in" as words. */
static int operator(struct ev *e, char op[8])
{
    static const char *const sym[] = {"===", "<=", ">=", "==", "!=", "~=", "<", ">"};
    const char *p;

    skip_ws(e);
    p = e->s + e->i;
    for (size_t k = 0; k < PG_ARRAY_SIZE(sym); k++) {
        size_t n = strlen(sym[k]);

        if (strncmp(p, sym[k], n) == 0) {
            memcpy(op, sym[k], n + 1);
            e->i += n;
            return 0;
        }
    }
    if (keyword(e, "in")) {
        memcpy(op, "in", 3);
        return 0;
    }
    if (keyword(e, "not") && keyword(e, "in")) {
        memcpy(op, "not in", 7);
        return 0;
    }
    return fail(e, "expected a marker operator");
}

/* The environment's value for a variable name; NULL (and e failed) if none. */
static const char *lookup(struct ev *e, const char *name)
{
    int v;

    if (strcmp(name, "extra") == 0)
        return e->extra ? e->extra : "";
    v = pg_marker_var_find(name);
    if (v < 0 || !e->env || !e->env->v[v]) {
        if (!e->failed)
            pg_err_set(e->err, "marker '%s': the environment has no value for '%s'", e->s,
                       name);
        e->failed = 1;
        return NULL;
    }
    return e->env->v[v];
}

static int strop(const char *op, const char *l, const char *r)
{
    int c = strcmp(l, r);

    if (strcmp(op, "in") == 0)
        return strstr(r, l) != NULL;
    if (strcmp(op, "not in") == 0)
        return strstr(r, l) == NULL;
    if (strcmp(op, "==") == 0)
        return c == 0;
    if (strcmp(op, "!=") == 0)
        return c != 0;
    if (strcmp(op, "<") == 0)
        return c < 0;
    if (strcmp(op, "<=") == 0)
        return c <= 0;
    if (strcmp(op, ">") == 0)
        return c > 0;
    if (strcmp(op, ">=") == 0)
        return c >= 0;
    return -1; /* ~= and === have no string meaning */
}

/* packaging's _eval_op: a version comparison when op + rhs is a specifier. */
static int eval_op(struct ev *e, const char *l, const char *op, const char *r)
{
    char *text = pg_xasprintf("%s%s", op, r);
    struct pg_pep440_specset *set = NULL;
    struct pg_pep440 *v = NULL;
    int res;

    /* One specifier, not a set: a comma makes Specifier() refuse it. */
    if (strcmp(op, "in") != 0 && strcmp(op, "not in") != 0 && !strchr(r, ','))
        set = pg_pep440_specset_parse(text, NULL);
    if (set) {
        v = pg_xmalloc(sizeof(*v));
        res = pg_pep440_parse(l, v, NULL) == 0 ? pg_pep440_specset_contains(set, v, 1) : -2;
    } else {
        res = strop(op, l, r);
    }
    if (res == -2)
        fail(e, "a version comparison with a value that is not a version");
    else if (res < 0)
        fail(e, "undefined comparison");
    pg_pep440_specset_free(set);
    free(v);
    free(text);
    return res < 0 ? 0 : res;
}

static int compare(struct ev *e, const struct operand *a, const char *op,
                   const struct operand *b)
{
    const char *key = a->var ? a->text : b->var ? b->text : NULL;
    const char *l, *r;
    char *nl = NULL, *nr = NULL;
    int res;

    if (!key)
        return fail(e, "a comparison of two strings");
    /* As packaging: the variable's value on its own side, the other as text. */
    l = a->var ? lookup(e, a->text) : a->text;
    r = a->var ? b->text : lookup(e, b->text);
    if (!l || !r)
        return 0;
    if (strcmp(key, "extra") == 0) {
        l = nl = pg_name_normalize(PG_ECO_PYPI, l);
        r = nr = pg_name_normalize(PG_ECO_PYPI, r);
    }
    res = eval_op(e, l, op, r);
    free(nl);
    free(nr);
    return res;
}

static int or_expr(struct ev *e);

static int atom(struct ev *e)
{
    struct operand a = {NULL, 0}, b = {NULL, 0};
    char op[8];
    int res = 0;

    skip_ws(e);
    if (e->s[e->i] == '(') {
        if (++e->depth > MAX_NEST)
            return fail(e, "nested too deep");
        e->i++;
        res = or_expr(e);
        skip_ws(e);
        if (e->s[e->i] != ')')
            return fail(e, "expected ')'");
        e->i++;
        e->depth--;
        return res;
    }
    if (operand(e, &a) == 0 && operator(e, op) == 0 && operand(e, &b) == 0)
        res = compare(e, &a, op, &b);
    free(a.text);
    free(b.text);
    return res;
}

static int and_expr(struct ev *e)
{
    int res = atom(e);

    while (!e->failed && keyword(e, "and"))
        res = atom(e) & res; /* both evaluated: an error anywhere counts */
    return res;
}

static int or_expr(struct ev *e)
{
    int res = and_expr(e);

    while (!e->failed && keyword(e, "or"))
        res = and_expr(e) | res;
    return res;
}

int pg_marker_eval(const char *marker, const struct pg_marker_env *env, const char *extra,
                   struct pg_err *err)
{
    struct ev e = {marker, 0, env, extra, err, 0, 0};
    int res;

    if (strlen(marker) > 65536)
        return pg_err_set(err, "marker longer than 65536 bytes");
    res = or_expr(&e);
    skip_ws(&e);
    if (!e.failed && e.s[e.i])
        fail(&e, "expected 'and', 'or' or the end");
    return e.failed ? -1 : res;
}
