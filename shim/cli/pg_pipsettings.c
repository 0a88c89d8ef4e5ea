/*
 * pg_pipsettings.c - pip's settings from PIP_* variables and pip.conf into
 * the command model (pg_pipsettings.h).
 *
 * pip's ConfigOptionParser turns each setting into an option default, so
 * the option table (pg_pipopts.h) that classifies argv classifies them
 * too: one vocabulary for argv, requirement files and configuration.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pg_findlinks.h"
#include "pg_name.h"
#include "pg_pep508.h"
#include "pg_pipargs.h"
#include "pg_pipconf.h"
#include "pg_pipopts.h"
#include "pg_pipsettings.h"
#include "pg_pyversion.h"
#include "pg_regconf.h"
#include "pg_util.h"
#include "banned.h"

extern char **environ;

/* What the configuration said, before argv's part is added. */
struct conf {
    int pre, prefer_binary;
    struct pg_strlist formats, reqfiles, confiles;
};

static const char *env_get(const char *name)
{
    return getenv(name);
}

/* An append option from configuration: a whitespace-separated list that
 * replaces what an earlier layer said (val.split()). */
static void split_into(struct pg_strlist *l, const char *v)
{
    pg_strlist_release(l);
    while (*v) {
        size_t n;

        while (isspace((unsigned char)*v))
            v++;
        n = strcspn(v, " \t\r\n\f\v");
        if (n) {
            char *w = pg_xstrndup(v, n);

            pg_strlist_push(l, w);
            free(w);
        }
        v += n;
    }
}

static void unmodelled(struct pg_cmd *cmd, const char *name, const char *where)
{
    char *u = pg_xasprintf("--%s (set in %s)", name, where);

    pg_strlist_push(&cmd->unknown, u);
    free(u);
}

static int take(struct conf *c, struct pg_cmd *cmd, const struct pg_pipconf_setting *s,
                const struct pg_pipopt *o, struct pg_err *err)
{
    int *flag = o->act == PG_PIPACT_PRE ? &c->pre
                : o->act == PG_PIPACT_PREFER_BINARY ? &c->prefer_binary : NULL;

    if (flag && pg_pipconf_bool(s->value, flag) < 0)
        return pg_err_set(err, "%s: '%s' is not a valid value for %s (pip refuses it too)",
                          s->where, s->value, s->name);
    switch ((enum pg_pipact)o->act) {
    case PG_PIPACT_REQUIREMENT:
        split_into(&c->reqfiles, s->value);
        break;
    case PG_PIPACT_CONSTRAINT:
        split_into(&c->confiles, s->value);
        break;
    case PG_PIPACT_ONLY_BINARY:
    case PG_PIPACT_NO_BINARY: {
        char *f = pg_xasprintf("%s=%s", s->name, s->value);

        pg_strlist_push(&c->formats, f); /* pip's callbacks accumulate */
        free(f);
        break;
    }
    case PG_PIPACT_UNSEEN:
    case PG_PIPACT_EDITABLE:
        unmodelled(cmd, s->name, s->where);
        break;
    case PG_PIPACT_IGNORE_INSTALLED: {
        /* A flag's value is a boolean; --target's a path: set either way. */
        int on = 1;

        if (o->flags & PG_PO_V || pg_pipconf_bool(s->value, &on) == 0)
            cmd->ignore_installed |= on;
        break;
    }
    case PG_PIPACT_UPGRADE_STRATEGY:
        if (!cmd->upgrade_eager && strcmp(s->value, "eager") == 0)
            cmd->upgrade_eager = 1;
        break;
    default:
        break; /* harmless, or read by pg_regconf (index-url, find-links, ...) */
    }
    return 0;
}

/* Every setting of the command's parser, in pip's order. */
static int read_settings(struct conf *c, struct pg_cmd *cmd, const struct pg_pipconf *pc,
                         struct pg_err *err)
{
    const struct pg_pipcmd *pcmd = pg_pipcmd_find(cmd->subcmd);
    unsigned scope = PG_PIPOPT_G | (pcmd ? pcmd->scope : 0);

    for (size_t i = 0; i < pg_pipconf_nsettings(pc); i++) {
        const struct pg_pipconf_setting *s = pg_pipconf_setting(pc, i);
        char *opt = pg_xasprintf("--%s", s->name);
        const struct pg_pipopt *o = NULL;
        int found = pg_pipopt_find(pg_pipopts_long, PG_ARRAY_SIZE(pg_pipopts_long), opt,
                                   strlen(opt), scope, 1, &o) == PG_PIPOPT_FOUND;

        free(opt);
        /* get_option() is None: pip ignores the setting. */
        if (found && take(c, cmd, s, o, err) < 0)
            return -1;
    }
    /* Remote pages are not read (pg_findlinks.h): the version could come from there. */
    for (size_t i = 0; i < pg_pipconf_nfind_links(pc); i++)
        if (pg_findlinks_is_remote(pg_pipconf_find_links(pc, i))) {
            unmodelled(cmd, "find-links", "a remote page, which pkggate does not read");
            break;
        }
    return 0;
}

static int same_name(const char *a, const char *b)
{
    char *na = pg_name_normalize(PG_ECO_PYPI, a), *nb = pg_name_normalize(PG_ECO_PYPI, b);
    int same = strcmp(na, nb) == 0;

    free(na);
    free(nb);
    return same;
}

/* Each constraint on a name narrows that requirement's specifier. */
static void constrain(struct pg_cmd *cmd, const char *line, const char *cwd)
{
    struct pg_reqlist one = PG_REQLIST_INIT;
    struct pg_err err = PG_ERR_INIT;
    const struct pg_req *c;

    if (pg_pipargs_add_req(&one, line, 0, "constraint", cwd, &err) < 0 || one.n != 1)
        goto out;
    c = &one.v[0];
    for (size_t i = 0; c->name && i < cmd->reqs.n; i++) {
        struct pg_req *r = &cmd->reqs.v[i];
        char *spec;

        if (r->source != PG_SRC_REGISTRY || !r->name || !same_name(r->name, c->name))
            continue;
        if (c->source != PG_SRC_REGISTRY) {
            unmodelled(cmd, "constraint", "a constraint naming a URL or path");
            continue;
        }
        if (!c->spec || !*c->spec)
            continue;
        spec = r->spec && *r->spec ? pg_xasprintf("%s,%s", r->spec, c->spec) : pg_xstrdup(c->spec);
        free(r->spec);
        r->spec = spec;
        if (!r->locked)
            r->locked = pg_pep508_pinned(r->spec);
    }
out:
    pg_reqlist_release(&one);
}

static int apply_conf(struct conf *c, struct pg_cmd *cmd, const char *cwd, struct pg_err *err)
{
    struct pg_strlist formats = PG_STRLIST_INIT;

    cmd->pre |= c->pre;
    cmd->prefer_binary |= c->prefer_binary;
    /* Configuration is the default argv's callbacks then edit: it goes first. */
    for (size_t i = 0; i < c->formats.n; i++)
        pg_strlist_push(&formats, c->formats.v[i]);
    for (size_t i = 0; i < cmd->formats.n; i++)
        pg_strlist_push(&formats, cmd->formats.v[i]);
    pg_strlist_release(&cmd->formats);
    cmd->formats = formats;
    for (size_t i = 0; i < c->confiles.n; i++)
        if (pg_pipargs_add_reqfile(cmd, c->confiles.v[i], 1, cwd, err) < 0)
            return -1;
    for (size_t i = 0; i < c->reqfiles.n; i++)
        if (pg_pipargs_add_reqfile(cmd, c->reqfiles.v[i], 0, cwd, err) < 0)
            return -1;
    for (size_t i = 0; i < cmd->constraints.n; i++)
        constrain(cmd, cmd->constraints.v[i], cwd);
    return 0;
}

int pg_pipsettings_apply(struct pg_cmd *cmd, const char *tool_path, const char *cwd,
                         struct pg_err *err)
{
    struct pg_pipconf_opts po = {0};
    struct pg_pipconf *pc = NULL;
    struct pg_err ignored = PG_ERR_INIT;
    struct conf c = {0};
    char **cli = pg_regconf_pip_cli(cmd);
    char *site = pg_regconf_python_prefix(tool_path, env_get);
    int ret = -1;

    po.cwd = cwd;
    po.command = cmd->subcmd ? cmd->subcmd : "install";
    po.getenv_fn = env_get;
    po.environ = (const char *const *)environ;
    po.cli = (const char *const *)cli;
    po.site_prefix = site;
    free(cmd->python);
    cmd->python = pg_pyversion_of_tool(tool_path);
    if (pg_pipconf_load(&pc, &po, &ignored) < 0) {
        ret = apply_conf(&c, cmd, cwd, err); /* pg_regconf reports the broken file */
        goto out;
    }
    if (read_settings(&c, cmd, pc, err) == 0)
        ret = apply_conf(&c, cmd, cwd, err);
out:
    pg_pipconf_free(pc);
    pg_regconf_cli_free(cli);
    free(site);
    pg_strlist_release(&c.formats);
    pg_strlist_release(&c.reqfiles);
    pg_strlist_release(&c.confiles);
    return ret;
}
