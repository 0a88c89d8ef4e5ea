/*
 * pg_deptree_pip.c - the pip tree (lib/pypi/pg_piptree.h), fetched
 * through the gate's pg_fetch (pg_deptree.h).
 *
 * pip's environment comes from the interpreter pip runs on, asked once
 * and cached (pg_pyversion.h): the marker values, and site-packages for
 * the distributions pip would keep.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

#include "pg_depsrc.h"
#include "pg_deptree.h"
#include "pg_piptree.h"
#include "pg_pysite.h"
#include "pg_pyversion.h"
#include "pg_util.h"
#include "banned.h"

static void src_deps(void *arg, const char *const *names, const char *const *versions, size_t n)
{
    struct pg_deptree_src *s = arg;

    pg_fetch_deps(s->f, s->pol, s->fo, names, versions, n);
}

/* pip's settings that send the install elsewhere, as environment variables. */
static int env_elsewhere(void)
{
    static const char *const vars[] = {"PIP_TARGET", "PIP_IGNORE_INSTALLED",
                                       "PIP_FORCE_REINSTALL"};

    for (size_t i = 0; i < PG_ARRAY_SIZE(vars); i++) {
        const char *v = getenv(vars[i]);

        if (v && *v && strcmp(v, "0") != 0 && strcasecmp(v, "false") != 0 &&
            strcasecmp(v, "no") != 0 && strcasecmp(v, "off") != 0)
            return 1;
    }
    return 0;
}

/*
 * Values the interpreter did not give (it could not be run: a pyenv shim,
 * a wrapper script) from this machine and pip's version: pip runs here,
 * on CPython in practice. What stays unknown makes its markers
 * undecidable.
 */
static void fallback(struct pg_marker_env *e, const struct utsname *u, const char *python,
                     char *pyver, size_t size)
{
    const char **v = e->v;

    if (!v[PG_MK_SYS_PLATFORM] && strcmp(u->sysname, "Linux") == 0)
        v[PG_MK_SYS_PLATFORM] = "linux";
    if (!v[PG_MK_OS_NAME])
        v[PG_MK_OS_NAME] = "posix";
    if (!v[PG_MK_PLATFORM_SYSTEM])
        v[PG_MK_PLATFORM_SYSTEM] = u->sysname;
    if (!v[PG_MK_PLATFORM_MACHINE])
        v[PG_MK_PLATFORM_MACHINE] = u->machine;
    if (!v[PG_MK_PLATFORM_RELEASE])
        v[PG_MK_PLATFORM_RELEASE] = u->release;
    if (!v[PG_MK_PLATFORM_VERSION])
        v[PG_MK_PLATFORM_VERSION] = u->version;
    if (!v[PG_MK_IMPLEMENTATION_NAME])
        v[PG_MK_IMPLEMENTATION_NAME] = "cpython";
    if (!v[PG_MK_PLATFORM_PYTHON_IMPLEMENTATION])
        v[PG_MK_PLATFORM_PYTHON_IMPLEMENTATION] = "CPython";
    if (python && !v[PG_MK_PYTHON_FULL_VERSION]) {
        const char *dot = strchr(python, '.');

        v[PG_MK_PYTHON_FULL_VERSION] = v[PG_MK_IMPLEMENTATION_VERSION] = python;
        dot = dot ? strchr(dot + 1, '.') : NULL;
        snprintf(pyver, size, "%.*s", dot ? (int)(dot - python) : (int)strlen(python), python);
        if (!v[PG_MK_PYTHON_VERSION])
            v[PG_MK_PYTHON_VERSION] = pyver;
    }
}

/* What the tree hands to the gate: the same shape as npm's. */
static void take(struct pg_deptree *d, struct pg_piptree *t)
{
    d->tree.deps = t->deps;
    d->tree.undecidable = t->undecidable;
    d->tree.rounds = t->rounds;
    memset(&t->deps, 0, sizeof(t->deps));
    memset(&t->undecidable, 0, sizeof(t->undecidable));
}

int pg_deptree_pip(struct pg_deptree *d, struct pg_fetch *f, const struct pg_policy *pol,
                   const struct pg_cmd *cmd, const struct pg_reqlist *reqs,
                   const struct pg_fetch_opts *fo)
{
    struct pg_deptree_src s = {d, f, pol, cmd, fo, PG_ECO_PYPI};
    struct pg_piptree_src src = {pg_deptree_src_fetch, pg_deptree_src_meta, src_deps, &s};
    struct pg_piptree_opts o = {0};
    struct pg_piptree t = PG_PIPTREE_INIT;
    struct pg_pyenv env = PG_PYENV_INIT;
    struct pg_marker_env menv = {{0}};
    struct pg_pysite site = PG_PYSITE_INIT;
    struct utsname u;
    char pyver[32];

    if (pg_pyenv_of_tool(fo->tool_path, &env) == 0) {
        const char *dirs[2] = {env.purelib, env.platlib};

        pg_pyenv_markers(&env, &menv);
        /* download and wheel fetch everything, whatever is installed. */
        if (!cmd->ignore_installed && !env_elsewhere() && strcmp(cmd->subcmd, "install") == 0)
            pg_pysite_load(&site, dirs, 2);
    }
    if (uname(&u) == 0)
        fallback(&menv, &u, cmd->python, pyver, sizeof(pyver));
    o.env = &menv;
    o.target.pre = cmd->pre;
    o.target.python = cmd->python;
    o.target.prefer_binary = cmd->prefer_binary;
    o.formats = &cmd->formats;
    o.constraints = &cmd->constraints;
    o.installed = &site;
    o.upgrade = cmd->upgrade;
    o.eager = cmd->upgrade_eager;
    pg_piptree_build(&t, reqs, &o, &src);
    take(d, &t);
    /* Every name was fetched while building; the facts of the picked
     * versions (their own queries: spec and pin) come in one more round. */
    d->facts = pg_xcalloc(d->tree.deps.n ? d->tree.deps.n : 1, sizeof(*d->facts));
    pg_fetch_more(f, pol, cmd, &d->tree.deps, fo, d->facts);
    pg_piptree_release(&t);
    pg_pysite_release(&site);
    pg_pyenv_release(&env);
    return 0;
}
