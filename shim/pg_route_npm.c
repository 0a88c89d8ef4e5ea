/*
 * pg_route_npm.c - npm's argv as nopt reads it, with libc alone.
 *
 * nopt rewrites its argument array as it goes: "--k=v" becomes "--k" "v",
 * a shorthand is spliced in place of the word ("-d" -> "--loglevel" "info").
 * We cannot allocate, so a small stream stands in for the array: pending
 * shorthand words first, then the text after an '=', then the rest of argv.
 * Only the word being read can be split; a lookahead word is always whole.
 */
#include <string.h>
#include <strings.h>

#include "pg_route_npm.h"
#include "pg_npmopts.h"
#include "banned.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct stream {
    int argc;
    char *const *argv;
    int next;                /* next argv word */
    const char *const *list; /* pending expansion of one shorthand */
    unsigned list_n, list_i;
    const char *grp; /* pending run of single-letter shorthands */
    size_t grp_n, grp_i;
    unsigned grp_sub; /* word within the current letter's expansion */
    const char *eqv;  /* pending text after '=' */
};

/* --- table lookups ---------------------------------------------------- */

/* strcmp of a counted key against a NUL-terminated table name. */
static int keycmp(const char *key, size_t n, const char *name)
{
    int c = strncmp(key, name, n);

    if (c)
        return c;
    return name[n] ? -1 : 0;
}

/*
 * Index of the exact match for key (*exact = 1), or of the only name that
 * starts with key (*exact = 0): nopt's and cmd-list's abbrev() rule. -1
 * when neither exists or the prefix is ambiguous. Names are sorted, so the
 * names sharing a prefix are adjacent.
 */
static long find_name(const void *base, size_t n, size_t size, const char *key, size_t klen,
                      int allow_prefix)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *name = *(const char *const *)((const char *)base + mid * size);

        if (keycmp(key, klen, name) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n) {
        const char *name = *(const char *const *)((const char *)base + lo * size);

        if (keycmp(key, klen, name) == 0)
            return (long)lo;
        if (allow_prefix && klen && strncmp(name, key, klen) == 0) {
            const char *nx =
                lo + 1 < n ? *(const char *const *)((const char *)base + (lo + 1) * size) : NULL;

            if (!nx || strncmp(nx, key, klen) != 0)
                return (long)lo;
        }
    }
    return -1;
}

static const struct pg_npmopt *opt_find(const char *key, size_t n, int allow_prefix)
{
    long i = find_name(pg_npmopts, NELEM(pg_npmopts), sizeof(pg_npmopts[0]), key, n, allow_prefix);

    return i < 0 ? NULL : &pg_npmopts[i];
}

static const struct pg_npmshort *short_find(const char *key, size_t n, int allow_prefix)
{
    long i =
        find_name(pg_npmshorts, NELEM(pg_npmshorts), sizeof(pg_npmshorts[0]), key, n, allow_prefix);

    return i < 0 ? NULL : &pg_npmshorts[i];
}

static unsigned explen(const struct pg_npmshort *sh)
{
    return sh->exp[1] ? 2 : 1;
}

/* --- the stream ---------------------------------------------------------- */

static const char *st_peek(const struct stream *s)
{
    if (s->list_i < s->list_n)
        return s->list[s->list_i];
    if (s->grp_i < s->grp_n)
        return short_find(s->grp + s->grp_i, 1, 0)->exp[s->grp_sub];
    if (s->eqv)
        return s->eqv;
    if (s->next < s->argc)
        return s->argv[s->next];
    return NULL;
}

static void st_drop(struct stream *s)
{
    if (s->list_i < s->list_n) {
        s->list_i++;
    } else if (s->grp_i < s->grp_n) {
        if (++s->grp_sub == explen(short_find(s->grp + s->grp_i, 1, 0))) {
            s->grp_sub = 0;
            s->grp_i++;
        }
    } else if (s->eqv) {
        s->eqv = NULL;
    } else if (s->next < s->argc) {
        s->next++;
    }
}

/* --- nopt's little regular expressions ----------------------------------- */

static int all_dashes2(const char *s) /* /^-{2,}$/ */
{
    size_t n = strspn(s, "-");

    return n >= 2 && s[n] == '\0';
}

static int dashes_then(const char *s, size_t min, size_t max) /* /^-{min,max}[^-]/ */
{
    size_t n = strspn(s, "-");

    return n >= min && n <= max && s[n] != '\0';
}

/* JavaScript's !isNaN(string): ASCII whitespace, decimal, 0x/0o/0b, Infinity. */
static int js_numeric(const char *s)
{
    const char *e;
    size_t n;

    while (*s && strchr(" \t\n\v\f\r", *s))
        s++;
    e = s + strlen(s);
    while (e > s && strchr(" \t\n\v\f\r", e[-1]))
        e--;
    n = (size_t)(e - s);
    if (n == 0)
        return 1;
    if (n > 2 && s[0] == '0' && strchr("xXoObB", s[1])) {
        const char *digits = strchr("xX", s[1])   ? "0123456789abcdefABCDEF"
                             : strchr("oO", s[1]) ? "01234567"
                                                  : "01";

        for (size_t i = 2; i < n; i++)
            if (!strchr(digits, s[i]))
                return 0;
        return 1;
    }
    if (*s == '+' || *s == '-')
        s++, n--;
    if (n == 8 && strncmp(s, "Infinity", 8) == 0)
        return 1;
    {
        size_t i = 0, mant = 0;

        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, mant++;
        if (i < n && s[i] == '.')
            for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
                mant++;
        if (!mant)
            return 0;
        if (i < n && (s[i] == 'e' || s[i] == 'E')) {
            size_t d = 0;

            i++;
            if (i < n && (s[i] == '+' || s[i] == '-'))
                i++;
            for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
                d++;
            if (!d)
                return 0;
        }
        return i == n;
    }
}

static int lits_has(const char *lits, const char *v)
{
    size_t n = strlen(v);

    for (const char *p = lits; p && (p = strchr(p, '|')) && p[1]; p++)
        if (strncmp(p + 1, v, n) == 0 && p[1 + n] == '|')
            return 1;
    return 0;
}

/* --- nopt parse() -------------------------------------------------------- */

/*
 * resolveShort(): 1 when the word expands (the expansion is queued; it may
 * be empty), 0 when it is read as a key itself.
 */
static int expand_short(struct stream *s, const char *name, size_t n)
{
    /*
     * Expansions are always exact keys ("--global") or values ("info"), so
     * a word taken from a pending expansion never expands again and the
     * single list/group slot is free whenever this queues something.
     */
    const struct pg_npmshort *sh;
    size_t i;

    if (opt_find(name, n, 0))
        return 0;
    sh = short_find(name, n, 0);
    if (!sh) {
        for (i = 0; i < n; i++) {
            const struct pg_npmshort *one = short_find(name + i, 1, 0);

            if (!one || strlen(one->name) != 1)
                break;
        }
        if (i == n) {
            s->grp = name;
            s->grp_n = n;
            s->grp_i = 0;
            s->grp_sub = 0;
            return 1;
        }
        if (opt_find(name, n, 1))
            return 0;
        sh = short_find(name, n, 1);
        if (!sh)
            return 0;
    }
    s->list = sh->exp;
    s->list_n = explen(sh);
    s->list_i = 0;
    return 1;
}

/* The boolean branch of parse(): "--flag", "--flag false", "--color always". */
static void read_bool(struct stream *s, const struct pg_npmopt *opt, int no,
                      struct pg_npmscan_ev *ev)
{
    const char *la = st_peek(s);

    ev->bool_value = no != 1;
    if (la && (strcmp(la, "true") == 0 || strcmp(la, "false") == 0)) {
        ev->bool_value = (la[0] == 't') != (no == 1);
        st_drop(s);
        return;
    }
    if (!opt || !(opt->type & PG_NT_ARRAY) || !la || !*la) /* JS: "" is falsy */
        return;
    if (lits_has(opt->lits, la)) {
        ev->value = la;
    } else if (strcmp(la, "null") == 0 && (opt->type & PG_NT_NULL)) {
        ev->is_null = 1;
    } else if (!dashes_then(la, 2, (size_t)-1) && js_numeric(la) && (opt->type & PG_NT_NUMBER)) {
        ev->value = la;
    } else if (!dashes_then(la, 1, 1) && (opt->type & PG_NT_STRING)) {
        ev->value = la;
    } else {
        return;
    }
    st_drop(s);
}

/* The value branch of parse(). */
static void read_value(struct stream *s, const struct pg_npmopt *opt, struct pg_npmscan_ev *ev)
{
    const char *la = st_peek(s);

    if (opt && (opt->type & PG_NT_STR1) && (!la || dashes_then(la, 1, 2))) {
        ev->value = "";
        return;
    }
    if (!la || all_dashes2(la)) {
        ev->bool_value = 1;
        return;
    }
    ev->value = la;
    st_drop(s);
}

/* One word that starts with '-'. Returns 1 when an event is ready in ev. */
static int read_opt(struct stream *s, const char *w, struct pg_npmscan_ev *ev)
{
    const char *eq = strchr(w, '=');
    size_t klen = eq ? (size_t)(eq - w) : strlen(w);
    size_t dashes = strspn(w, "-");
    const char *name = w + (dashes < klen ? dashes : klen);
    size_t n = klen - (size_t)(name - w);
    const struct pg_npmopt *opt;
    const char *la;
    int no = -1; /* nopt's `no`: null, then toggled per "no-" */

    if (eq)
        s->eqv = eq + 1;
    if (expand_short(s, name, n))
        return 0;
    while (n >= 3 && strncasecmp(name, "no-", 3) == 0) {
        no = no == 1 ? 0 : 1;
        name += 3;
        n -= 3;
    }
    opt = opt_find(name, n, 1);
    memset(ev, 0, sizeof(*ev));
    ev->is_opt = 1;
    ev->raw = w;
    ev->rawlen = klen;
    ev->known = opt != NULL;
    ev->negated = no == 1;
    ev->name = opt ? opt->name : name;
    ev->namelen = opt ? strlen(opt->name) : n;
    la = st_peek(s);
    if (!opt && !eq && la && la[0] && la[0] != '-' && strcmp(la, "true") != 0 &&
        strcmp(la, "false") != 0)
        ev->hanging = 1;
    if (no != -1 || (opt && (opt->type & PG_NT_BOOL)) || (!opt && !eq) ||
        (la && strcmp(la, "false") == 0 && opt && (opt->type & PG_NT_ARRAY) &&
         (opt->type & PG_NT_NULL)))
        read_bool(s, opt, no, ev);
    else
        read_value(s, opt, ev);
    return 1;
}

int pg_npmscan(int argc, char *const argv[], int (*fn)(const struct pg_npmscan_ev *ev, void *ctx),
               void *ctx)
{
    struct stream s;
    struct pg_npmscan_ev ev;
    const char *w;
    int dashdash = 0, rc;

    memset(&s, 0, sizeof(s));
    s.argc = argc;
    s.argv = argv;
    s.next = argc > 0 ? 1 : 0;
    while ((w = st_peek(&s)) != NULL) {
        st_drop(&s);
        if (!dashdash && all_dashes2(w)) {
            dashdash = 1;
            continue;
        }
        if (!dashdash && w[0] == '-' && w[1]) {
            if (!read_opt(&s, w, &ev))
                continue;
        } else {
            memset(&ev, 0, sizeof(ev));
            ev.value = w;
            ev.after_dashdash = dashdash;
        }
        rc = fn(&ev, ctx);
        if (rc)
            return rc;
    }
    return 0;
}

/* --- commands ------------------------------------------------------------ */

const char *pg_npm_deref(const char *word)
{
    char buf[64];
    size_t n = 0;
    long i;

    if (!word || !*word)
        return NULL;
    /* installTest -> install-test */
    for (const char *p = word; *p; p++) {
        if (n + 2 >= sizeof(buf))
            return NULL; /* longer than any command */
        if (*p >= 'A' && *p <= 'Z') {
            buf[n++] = '-';
            buf[n++] = (char)(*p - 'A' + 'a');
        } else {
            buf[n++] = *p;
        }
    }
    buf[n] = '\0';
    i = find_name(pg_npmcmds, NELEM(pg_npmcmds), sizeof(pg_npmcmds[0]), buf, n, 1);
    return i < 0 ? NULL : pg_npmcmds[i].cmd;
}

int pg_npm_cmd_installs(const char *canon, const char *arg1)
{
    static const char *const fetching[] = {
        "ci",   "dedupe", "exec",  "install",   "install-ci-test",
        "install-test", "link", "prune", "uninstall", "update",
    };

    if (!canon)
        return 0;
    for (size_t i = 0; i < NELEM(fetching); i++)
        if (strcmp(canon, fetching[i]) == 0)
            return 1;
    /* `npm init foo` runs `npm exec create-foo`; a bare `npm init` writes package.json */
    if (strcmp(canon, "init") == 0)
        return arg1 != NULL;
    if (strcmp(canon, "audit") == 0)
        return arg1 && strcmp(arg1, "fix") == 0;
    /* `npm pack <spec>` and `npm cache add <spec>` fetch it; a git spec is
     * cloned and its prepare script run. A bare `npm pack` is the project. */
    if (strcmp(canon, "pack") == 0)
        return arg1 != NULL;
    if (strcmp(canon, "cache") == 0)
        return arg1 && strcmp(arg1, "add") == 0;
    return 0;
}

int pg_npm_opt_lookup(const char *key, size_t n, int abbrev, int *is_bool)
{
    const struct pg_npmopt *opt = opt_find(key, n, abbrev);

    if (is_bool)
        *is_bool = opt && (opt->type & PG_NT_BOOL);
    return opt != NULL;
}

int pg_npm_shorthand(const char *key, size_t n, const char *exp[2])
{
    const struct pg_npmshort *sh = short_find(key, n, 0);

    if (!sh)
        return 0;
    exp[0] = sh->exp[0];
    exp[1] = sh->exp[1];
    return (int)explen(sh);
}

const char *pg_npmscan_table_name(int table, size_t i)
{
    if (table == 0)
        return i < NELEM(pg_npmopts) ? pg_npmopts[i].name : NULL;
    if (table == 1)
        return i < NELEM(pg_npmshorts) ? pg_npmshorts[i].name : NULL;
    if (table == 2)
        return i < NELEM(pg_npmcmds) ? pg_npmcmds[i].name : NULL;
    return NULL;
}

/* --- routing ------------------------------------------------------------- */

struct route {
    const char *cmd, *arg1;
    int npos;
    int version, versions, usage;
    int uncertain;
};

static int route_cb(const struct pg_npmscan_ev *ev, void *ctx)
{
    struct route *r = ctx;

    if (!ev->is_opt) {
        if (r->npos == 0)
            r->cmd = ev->value;
        else if (r->npos == 1)
            r->arg1 = ev->value;
        r->npos++;
        return 0;
    }
    /*
     * An unknown key might take the next word in another npm version: that
     * matters before the command word, and before init's or audit's
     * argument.
     */
    if (ev->hanging && r->npos < 2)
        r->uncertain |= r->npos == 0 ? 1 : 2;
    if (!ev->known)
        return 0;
    if (strcmp(ev->name, "version") == 0)
        r->version = ev->value ? 1 : ev->bool_value;
    else if (strcmp(ev->name, "versions") == 0)
        r->versions = ev->value ? 1 : ev->bool_value;
    else if (strcmp(ev->name, "usage") == 0)
        r->usage = ev->value ? 1 : ev->bool_value;
    return 0;
}

int pg_route_npm(int argc, char *const argv[])
{
    struct route r;
    const char *canon;

    memset(&r, 0, sizeof(r));
    pg_npmscan(argc, argv, route_cb, &r);
    /* npm --version / --versions print and exit before any command runs */
    if (r.version || r.versions)
        return 0;
    if (r.uncertain & 1)
        return 1;
    canon = pg_npm_deref(r.cmd);
    if (!canon || r.usage)
        return 0;
    if ((r.uncertain & 2) && (strcmp(canon, "init") == 0 || strcmp(canon, "audit") == 0))
        return 1;
    return pg_npm_cmd_installs(canon, r.arg1);
}

int pg_route_npx(int argc, char *const argv[])
{
    static const char *const harmless[] = {"--help", "--version", "-h", "-v"};

    if (argc <= 1)
        return 0; /* npx alone opens a shell with node_modules/.bin on PATH */
    if (argc == 2)
        for (size_t i = 0; i < NELEM(harmless); i++)
            if (strcmp(argv[1], harmless[i]) == 0)
                return 0;
    return 1;
}
