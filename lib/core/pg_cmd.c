/*
 * pg_cmd.c - the parsed command line both argv readers fill (pg_cmd.h).
 *
 * It lives in core, not with the readers, because the policy reads it too:
 * a struct, its lifecycle and the string list it uses, nothing more.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "pg_cmd.h"
#include "pg_util.h"
#include "banned.h"

void pg_strlist_push(struct pg_strlist *l, const char *s)
{
    pg_xgrow((void **)&l->v, &l->alloc, l->n + 1, sizeof(*l->v));
    l->v[l->n++] = pg_xstrdup(s);
}

void pg_strlist_release(struct pg_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->alloc = 0;
}

int pg_strlist_has(const struct pg_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return 1;
    return 0;
}

void pg_cmd_init(struct pg_cmd *cmd, enum pg_tool tool)
{
    memset(cmd, 0, sizeof(*cmd));
    cmd->tool = tool;
    cmd->eco = pg_tool_eco(tool);
}

void pg_cmd_release(struct pg_cmd *cmd)
{
    free(cmd->subcmd);
    pg_reqlist_release(&cmd->reqs);
    free(cmd->index_url);
    pg_strlist_release(&cmd->extra_index);
    pg_strlist_release(&cmd->find_links);
    pg_strlist_release(&cmd->formats);
    pg_strlist_release(&cmd->constraints);
    free(cmd->python);
    free(cmd->lockfile_path);
    free(cmd->manifest_dir);
    pg_strlist_release(&cmd->removing);
    pg_strlist_release(&cmd->lock_pins);
    pg_strlist_release(&cmd->unknown);
    free(cmd->npm_tag);
    free(cmd->node_version);
    free(cmd->npm_version);
    pg_strlist_release(&cmd->unmodelled);
    for (size_t i = 0; i < cmd->config.n; i++)
        sodium_memzero(cmd->config.v[i], strlen(cmd->config.v[i]));
    pg_strlist_release(&cmd->config);
    memset(cmd, 0, sizeof(*cmd));
}
