/*
 * pg_npmlock.c - the packages an npm command installs, merged from its
 * lockfile and its request (see pg_npmlock.h).
 */
#include <string.h>

#include "pg_npmlock.h"
#include "pg_pkgjson.h"
#include "pg_util.h"
#include "pg_version.h"
#include "banned.h"

/*
 * Whether the lockfile already pins what r asks for: an entry of that name
 * whose version satisfies r's range (npm keeps it then). A package.json
 * range the locked version does not satisfy is resolved afresh by npm, so
 * it must be checked as such.
 */
static int locked_already(const struct pg_reqlist *l, const struct pg_req *r)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct pg_req *e = &l->v[i];

        if (!e->locked || !r->name || !e->name || strcmp(e->name, r->name) != 0)
            continue;
        if (r->locked ? !strcmp(e->locked, r->locked)
                      : pg_version_satisfies(PG_ECO_NPM, e->locked,
                                             r->spec && *r->spec ? r->spec : "*") == 1)
            return 1;
    }
    return 0;
}

static void move_req(struct pg_reqlist *to, struct pg_req *r)
{
    struct pg_req *n = pg_reqlist_add(to, r->eco, r->source);

    *n = *r;
    memset(r, 0, sizeof(*r));
}

int pg_npmlock_merge(struct pg_cmd *cmd, struct pg_err *err)
{
    struct pg_pkglock lk = PG_PKGLOCK_INIT;
    struct pg_reqlist all = PG_REQLIST_INIT;
    int ci = cmd->subcmd && !strcmp(cmd->subcmd, "ci");
    /* npm update resolves what it updates afresh, within the package.json
     * range, whatever the lockfile pins: its requests are always judged. */
    int update = cmd->subcmd && !strcmp(cmd->subcmd, "update");

    if (cmd->tool != PG_TOOL_NPM || !cmd->has_lockfile || cmd->global)
        return 0;
    if (pg_pkgjson_lock_read(cmd->lockfile_path, &lk, err) < 0)
        return -1;
    for (size_t i = 0; i < lk.reqs.n; i++) {
        if (locked_already(&all, &lk.reqs.v[i]) ||
            (lk.reqs.v[i].name && pg_strlist_has(&cmd->removing, lk.reqs.v[i].name)))
            continue;
        /* npm checks the tarball against the lockfile's integrity, so that
         * is what must match the registry's. */
        if (lk.ent[i].integrity && !lk.reqs.v[i].integrity)
            lk.reqs.v[i].integrity = pg_xstrdup(lk.ent[i].integrity);
        move_req(&all, &lk.reqs.v[i]);
    }
    for (size_t i = 0; !ci && i < cmd->reqs.n; i++)
        if (!cmd->reqs.v[i].name || cmd->reqs.v[i].origin == NULL ||
            strcmp(cmd->reqs.v[i].origin, "package.json") != 0 ||
            update || !locked_already(&all, &cmd->reqs.v[i]))
            move_req(&all, &cmd->reqs.v[i]);
    pg_reqlist_release(&cmd->reqs);
    cmd->reqs = all;
    pg_pkgjson_lock_release(&lk);
    return 0;
}
