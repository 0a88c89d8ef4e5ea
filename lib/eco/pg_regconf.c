/*
 * pg_regconf.c - the registry (and credentials) behind each package, from
 * the tool's own configuration (see pg_regconf.h).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "pg_http.h"
#include "pg_npmmeta.h"
#include "pg_npmrc.h"
#include "pg_pipconf.h"
#include "pg_regconf.h"
#include "pg_util.h"
#include "banned.h"

struct pg_regconf {
    struct pg_npmrc *npm;
    struct pg_pipconf *pip;
    char *npm_error; /* set when npm's configuration was wanted and failed */
    char *pip_error; /* likewise pip's, or its only source is unchecked */
};

static char *npm_dir_of(const char *tool_path)
{
    char real[PATH_MAX];
    static const char tail[] = "/bin/npm-cli.js";

    /* /usr/bin/npm -> /usr/lib/node_modules/npm/bin/npm-cli.js */
    if (!tool_path || !realpath(tool_path, real) || !pg_ends_with(real, tail))
        return NULL;
    return pg_xstrndup(real, strlen(real) - (sizeof(tail) - 1));
}

static void regconf_load_npm(struct pg_regconf *c, const struct pg_cmd *cmd,
                     const struct pg_regconf_opts *o)
{
    struct pg_npmrc_opts no = {0};
    struct pg_err err = PG_ERR_INIT;
    char **cli = pg_regconf_npm_cli(cmd);
    char *npm_dir = o->npm_dir ? NULL : npm_dir_of(o->tool_path);

    no.cwd = o->cwd;
    no.getenv_fn = o->getenv_fn;
    no.environ = o->environ;
    no.cli = (const char *const *)cli;
    no.node_path = o->node_path;
    no.npm_dir = o->npm_dir ? o->npm_dir : npm_dir;
    /* The readers may quote a configured URL, with its credentials. */
    if (pg_npmrc_load(&c->npm, &no, &err) < 0)
        c->npm_error = pg_redact_urls(err.msg);
    pg_regconf_cli_free(cli);
    free(npm_dir);
}

/*
 * With no index, pip reads only find-links: fine when they are local
 * files, unchecked when one is a page on the network.
 */
static char *no_index_error(const struct pg_pipconf *p)
{
    for (size_t i = 0; i < pg_pipconf_nfind_links(p); i++) {
        const char *fl = pg_pipconf_find_links(p, i);

        if (pg_starts_with(fl, "http://") || pg_starts_with(fl, "https://")) {
            char *shown = pg_http_redact(fl);
            char *msg = pg_xasprintf("pip uses no index here and reads packages from the "
                                     "find-links page %s, which pkggate cannot check",
                                     shown);

            free(shown);
            return msg;
        }
    }
    return NULL;
}

static void regconf_load_pip(struct pg_regconf *c, const struct pg_cmd *cmd,
                     const struct pg_regconf_opts *o)
{
    struct pg_pipconf_opts po = {0};
    struct pg_err err = PG_ERR_INIT;
    char **cli = pg_regconf_pip_cli(cmd);
    char *site = pg_regconf_python_prefix(o->tool_path, o->getenv_fn);

    po.cwd = o->cwd;
    po.command = cmd && cmd->subcmd ? cmd->subcmd : "install";
    po.getenv_fn = o->getenv_fn;
    po.environ = o->environ;
    po.cli = (const char *const *)cli;
    po.site_prefix = site;
    po.etc_dir = o->etc_dir;
    if (pg_pipconf_load(&c->pip, &po, &err) < 0)
        c->pip_error = pg_redact_urls(err.msg);
    else if (pg_pipconf_no_index(c->pip))
        c->pip_error = no_index_error(c->pip);
    pg_regconf_cli_free(cli);
    free(site);
}

/* The reader of each tool's configuration, from pg_tools.def. */
static void (*const loaders[PG_TOOL_COUNT])(struct pg_regconf *, const struct pg_cmd *,
                                            const struct pg_regconf_opts *) = {
#define PG_TOOL(id, name, eco, route, parse, regconf) [id] = regconf,
#define PG_TOOL_ALIAS(id, name, match)
#include "pg_tools.def"
};

struct pg_regconf *pg_regconf_load(const struct pg_cmd *cmd, const struct pg_regconf_opts *opts)
{
    struct pg_regconf *c = pg_xcalloc(1, sizeof(*c));

    if (!opts || !opts->cwd || opts->cwd[0] != '/' || !opts->getenv_fn) {
        c->npm_error = pg_xstrdup("registry configuration: no working directory or environment");
        c->pip_error = pg_xstrdup(c->npm_error);
        return c;
    }
    if (cmd && (unsigned)cmd->tool < PG_TOOL_COUNT) {
        loaders[cmd->tool](c, cmd, opts);
    } else {
        regconf_load_npm(c, cmd, opts);
        regconf_load_pip(c, cmd, opts);
    }
    return c;
}

void pg_regconf_free(struct pg_regconf *c)
{
    if (!c)
        return;
    pg_npmrc_free(c->npm);
    pg_pipconf_free(c->pip);
    free(c->npm_error);
    free(c->pip_error);
    free(c);
}

const char *pg_regconf_error(const struct pg_regconf *c, enum pg_eco eco)
{
    if (eco == PG_ECO_NPM)
        return c->npm_error ? c->npm_error
               : c->npm     ? NULL
                            : "pkggate did not read npm's configuration for this command";
    return c->pip_error ? c->pip_error
           : c->pip     ? NULL
                        : "pkggate did not read pip's configuration for this command";
}

size_t pg_regconf_nindexes(const struct pg_regconf *c, enum pg_eco eco)
{
    if (pg_regconf_error(c, eco))
        return 0;
    return eco == PG_ECO_NPM ? 1 : pg_pipconf_nindexes(c->pip);
}

const char *pg_regconf_index_at(const struct pg_regconf *c, enum pg_eco eco, const char *name,
                                size_t i, const char **auth)
{
    const struct pg_pipconf_index *ix;
    const char *reg;
    char *url;

    *auth = NULL;
    if (i >= pg_regconf_nindexes(c, eco))
        return NULL;
    if (eco == PG_ECO_PYPI) {
        ix = pg_pipconf_index(c->pip, i);
        *auth = pg_pipconf_auth_for(c->pip, ix->url);
        return ix->url;
    }
    /* npm matches credentials against the URL it fetches: the packument's. */
    reg = pg_npmrc_registry_for(c->npm, name);
    url = name ? pg_npmmeta_url(reg, name) : pg_xstrdup(reg);
    *auth = pg_npmrc_auth_for_pkg(c->npm, url, name);
    free(url);
    return reg;
}

const char *pg_regconf_index(struct pg_regconf *c, enum pg_eco eco, const char *name,
                             const char **auth)
{
    return pg_regconf_index_at(c, eco, name, 0, auth);
}

const char *pg_regconf_auth_for(const struct pg_regconf *c, enum pg_eco eco, const char *url,
                                const char *name)
{
    if (pg_regconf_error(c, eco) || !url)
        return NULL;
    if (eco == PG_ECO_NPM)
        return pg_npmrc_auth_for_pkg(c->npm, url, name);
    return pg_pipconf_auth_for(c->pip, url);
}

size_t pg_regconf_nfind_links(const struct pg_regconf *c)
{
    return c->pip ? pg_pipconf_nfind_links(c->pip) : 0;
}

const char *pg_regconf_find_links(const struct pg_regconf *c, size_t i)
{
    return c->pip ? pg_pipconf_find_links(c->pip, i) : NULL;
}

const char *pg_regconf_cafile(const struct pg_regconf *c, enum pg_eco eco)
{
    if (eco == PG_ECO_NPM)
        return c->npm ? pg_npmrc_cafile(c->npm) : NULL;
    return c->pip ? pg_pipconf_ca_bundle(c->pip) : NULL;
}

int pg_regconf_tls_relaxed(const struct pg_regconf *c, enum pg_eco eco)
{
    return eco == PG_ECO_NPM && c->npm && !pg_npmrc_strict_ssl(c->npm);
}

const struct pg_npmrc *pg_regconf_npmrc(const struct pg_regconf *c)
{
    return c->npm_error ? NULL : c->npm;
}
