/*
 * pg_argconf.c - npm's and pip's settings given on the command line, into
 * cmd->config (see pg_argconf.h).
 *
 * Every value is formatted straight into the string cmd->config keeps, so
 * no unwiped copy of a token is left behind on the heap.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "pg_argconf.h"
#include "pg_pipopts.h"
#include "pg_route_npm.h"
#include "pg_util.h"
#include "banned.h"

/* Like pg_strlist_push, but takes ownership (no unwiped copy is left). */
static void take(struct pg_strlist *l, char *owned)
{
    pg_xgrow((void **)&l->v, &l->alloc, l->n + 1, sizeof(*l->v));
    l->v[l->n++] = owned;
}

/* ---- npm ------------------------------------------------------------------ */

static void drop_key(struct pg_strlist *l, const char *key)
{
    size_t kl = strlen(key), j = 0;

    for (size_t i = 0; i < l->n; i++) {
        if (strncmp(l->v[i], key, kl) == 0 && l->v[i][kl] == '=') {
            sodium_memzero(l->v[i], strlen(l->v[i]));
            free(l->v[i]);
        } else {
            l->v[j++] = l->v[i];
        }
    }
    l->n = j;
}

struct npmscan {
    struct pg_strlist *out;
    int npx; /* stop at the command word: the rest is the command's */
};

static int npm_cb(const struct pg_npmscan_ev *ev, void *arg)
{
    struct npmscan *s = arg;
    size_t n = ev->known ? strlen(ev->name) : ev->namelen;
    int is_bool = 0;

    if (!ev->is_opt)
        return s->npx; /* npm: options anywhere; npx: the command starts here */
    if (n == 0)
        return 0;
    if (ev->value) {
        take(s->out, pg_xasprintf("%.*s=%s", (int)n, ev->name, ev->value));
    } else if (!ev->is_null && ev->known && pg_npm_opt_lookup(ev->name, n, 0, &is_bool) &&
               is_bool) {
        take(s->out, pg_xasprintf("%s=%s", ev->name, ev->bool_value ? "true" : "false"));
    } else if (ev->known) {
        /* A string key as a bare flag: nopt's clean() deletes the key, so
         * an earlier value on the command line is gone too. */
        drop_key(s->out, ev->name);
    }
    return 0;
}

void pg_argconf_npm(struct pg_cmd *cmd, int argc, char *const argv[])
{
    struct npmscan s = {&cmd->config, cmd->tool == PG_TOOL_NPX};
    char **copy;

    if (argc < 1 || !argv)
        return;
    /* npx-cli.js reads -p as --package, not npm's --parseable. */
    copy = pg_xcalloc((size_t)argc + 1, sizeof(*copy));
    for (int i = 0; i < argc; i++)
        copy[i] = s.npx && i > 0 && !strcmp(argv[i], "-p") ? "--package" : argv[i];
    pg_npmscan(argc, copy, npm_cb, &s);
    free(copy);
}

/* ---- pip ------------------------------------------------------------------ */

/*
 * pip's --cert, read as pip reads options: the main parser up to the
 * subcommand, then the subcommand's parser over everything but that word.
 * The last one wins. Borrowed from argv, or NULL.
 */
static const char *pip_cert(int argc, char *const *argv)
{
    struct pg_pipscan s = pg_pipscan_general(argc, argv, 1, 4, 0);
    const struct pg_pipcmd *pc = s.k < argc ? pg_pipcmd_find(argv[s.k]) : NULL;
    unsigned scope = PG_PIPOPT_G | (pc ? pc->scope : 0);
    struct pg_pipopt_iter it;
    const struct pg_pipopt *o;
    const char *val, *word, *cert = NULL;
    int rm = -1, ev;

    for (int i = 1; s.k < argc && i < argc && rm < 0; i++)
        if (strcmp(argv[i], argv[s.k]) == 0)
            rm = i;
    pg_pipopt_iter_init(&it, argc, argv, 1, rm, scope);
    while ((ev = pg_pipopt_next(&it, &o, &val, &word)) != PG_PIPEV_END && ev != PG_PIPEV_NOVALUE)
        if (ev == PG_PIPEV_OPT && val && strcmp(o->name, "--cert") == 0)
            cert = val;
    return cert;
}

void pg_argconf_pip(struct pg_cmd *cmd, int argc, char *const argv[])
{
    const char *cert = argc > 1 && argv ? pip_cert(argc, argv) : NULL;

    if (cert)
        take(&cmd->config, pg_xasprintf("cert=%s", cert));
    /* pip's main(): isolated = "--isolated" in cmd_args, the exact word only. */
    for (int i = 1; argv && i < argc; i++)
        if (strcmp(argv[i], "--isolated") == 0) {
            take(&cmd->config, pg_xstrdup("isolated"));
            break;
        }
}
