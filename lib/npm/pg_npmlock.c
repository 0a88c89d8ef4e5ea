/*
 * pg_npmlock.c - the packages an npm command installs, merged from its
 * lockfile and its request (see pg_npmlock.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_npmlock.h"
#include "pg_npmtree.h"
#include "pg_pkgjson.h"
#include "pg_strmap.h"
#include "pg_util.h"
#include "pg_version.h"
#include "banned.h"

/*
 * The entries merged so far, by name: a lockfile lists one name several
 * times (nested copies), and a 100,000-entry lockfile scanned whole for
 * every entry took minutes. head maps a name to its newest entry; next
 * chains to the older ones.
 */
struct merged {
    struct pg_reqlist all;
    struct pg_strmap head;
    size_t *next;
    size_t alloc;
};

/*
 * Whether the lockfile already pins what r asks for: an entry of that name
 * whose version satisfies r's range (npm keeps it then). A package.json
 * range the locked version does not satisfy is resolved afresh by npm, so
 * it must be checked as such.
 */
static int locked_already(const struct merged *m, const struct pg_req *r)
{
    const size_t *at = r->name ? pg_strmap_get(&m->head, r->name) : NULL;

    for (size_t i = at ? *at : SIZE_MAX; i != SIZE_MAX; i = m->next[i]) {
        const struct pg_req *e = &m->all.v[i];

        if (!e->locked)
            continue;
        if (r->locked ? !strcmp(e->locked, r->locked)
                      : pg_version_satisfies(PG_ECO_NPM, e->locked,
                                             r->spec && *r->spec ? r->spec : "*") == 1)
            return 1;
    }
    return 0;
}

static void move_req(struct merged *m, struct pg_req *r)
{
    struct pg_req *n = pg_reqlist_add(&m->all, r->eco, r->source);
    size_t i = m->all.n - 1;
    const size_t *at;

    *n = *r;
    memset(r, 0, sizeof(*r));
    if (i >= m->alloc) {
        m->alloc = m->alloc ? m->alloc * 2 : 64;
        m->next = pg_xrealloc(m->next, m->alloc * sizeof(*m->next));
    }
    m->next[i] = SIZE_MAX;
    if (!n->name)
        return;
    at = pg_strmap_get(&m->head, n->name);
    m->next[i] = at ? *at : SIZE_MAX;
    pg_strmap_put(&m->head, n->name, i);
}

int pg_npmlock_merge(struct pg_cmd *cmd, struct pg_err *err)
{
    struct pg_pkglock lk = PG_PKGLOCK_INIT;
    struct merged m = {PG_REQLIST_INIT, PG_STRMAP_INIT, NULL, 0};
    int ci = cmd->subcmd && !strcmp(cmd->subcmd, "ci");
    /* npm update resolves what it updates afresh, within the package.json
     * range, whatever the lockfile pins: its requests are always judged. */
    int update = cmd->subcmd && !strcmp(cmd->subcmd, "update");

    if (cmd->tool != PG_TOOL_NPM || !cmd->has_lockfile || cmd->global)
        return 0;
    if (pg_pkgjson_lock_read(cmd->lockfile_path, &lk, err) < 0)
        return -1;
    /* What the tree keeps, before the loop below takes the entries. */
    pg_strlist_release(&cmd->lock_pins);
    pg_npmtree_pins(&lk, &cmd->lock_pins);
    cmd->lock_pins_read = 1;
    for (size_t i = 0; i < lk.reqs.n; i++) {
        if (locked_already(&m, &lk.reqs.v[i]) ||
            (lk.reqs.v[i].name && pg_strlist_has(&cmd->removing, lk.reqs.v[i].name)))
            continue;
        /* npm checks the tarball against the lockfile's integrity, so that
         * is what must match the registry's. */
        if (lk.ent[i].integrity && !lk.reqs.v[i].integrity)
            lk.reqs.v[i].integrity = pg_xstrdup(lk.ent[i].integrity);
        move_req(&m, &lk.reqs.v[i]);
    }
    for (size_t i = 0; !ci && i < cmd->reqs.n; i++)
        if (!cmd->reqs.v[i].name || cmd->reqs.v[i].origin == NULL ||
            strcmp(cmd->reqs.v[i].origin, "package.json") != 0 ||
            update || !locked_already(&m, &cmd->reqs.v[i]))
            move_req(&m, &cmd->reqs.v[i]);
    pg_reqlist_release(&cmd->reqs);
    cmd->reqs = m.all;
    pg_strmap_release(&m.head);
    free(m.next);
    pg_pkgjson_lock_release(&lk);
    return 0;
}
