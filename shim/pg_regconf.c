#include <stdlib.h>
#include <string.h>

#include "pg_regconf.h"
#include "pg_util.h"
#include "banned.h"

#define NPM_DEFAULT  "https://registry.npmjs.org/"
#define PYPI_DEFAULT "https://pypi.org/simple"

struct pg_regconf {
    char *npm;
    char *pypi;
    char *cafile;
};

static char *first_env(const char *a, const char *b)
{
    const char *v = getenv(a);

    if (!v || !*v)
        v = b ? getenv(b) : NULL;
    return v && *v ? pg_xstrdup(v) : NULL;
}

struct pg_regconf *pg_regconf_load(const struct pg_cmd *cmd)
{
    struct pg_regconf *c = pg_xcalloc(1, sizeof(*c));

    if (cmd && cmd->index_url && cmd->eco == PG_ECO_NPM)
        c->npm = pg_xstrdup(cmd->index_url);
    if (cmd && cmd->index_url && cmd->eco == PG_ECO_PYPI)
        c->pypi = pg_xstrdup(cmd->index_url);
    if (!c->npm)
        c->npm = first_env("npm_config_registry", "NPM_CONFIG_REGISTRY");
    if (!c->pypi)
        c->pypi = first_env("PIP_INDEX_URL", NULL);
    if (!c->npm)
        c->npm = pg_xstrdup(NPM_DEFAULT);
    if (!c->pypi)
        c->pypi = pg_xstrdup(PYPI_DEFAULT);
    c->cafile = first_env("PIP_CERT", NULL);
    return c;
}

void pg_regconf_free(struct pg_regconf *c)
{
    if (!c)
        return;
    free(c->npm);
    free(c->pypi);
    free(c->cafile);
    free(c);
}

const char *pg_regconf_index(struct pg_regconf *c, enum pg_eco eco, const char *name,
                             const char **auth)
{
    (void)name;
    *auth = NULL;
    return eco == PG_ECO_NPM ? c->npm : c->pypi;
}

const char *pg_regconf_cafile(const struct pg_regconf *c)
{
    return c->cafile;
}
